"""Refuse oversize request bodies before they are read into memory."""

from __future__ import annotations

import json
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from fastapi import HTTPException, Request
from fastapi.dependencies.models import Dependant
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(HTTPException):
    """Raised inside ``receive`` when a body passes the limit.

    An ``HTTPException``, so that FastAPI's body parsing passes it on as the 413 it is rather
    than answering 400 "error parsing the body" (it wraps any other exception so).
    """

    def __init__(self, max_bytes: int) -> None:
        super().__init__(status_code=413, detail=_detail(max_bytes))


def _detail(max_bytes: int) -> list[dict[str, str]]:
    return [{"field": "body", "reason": f"larger than {max_bytes} bytes"}]


class BodySizeLimit:
    """ASGI middleware: a body over ``max_bytes`` gets 413, by header or by counting."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(send)
            return
        seen = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracking_send)
        except BodyTooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"detail": _detail(self.max_bytes)}).encode()
        headers: list[Any] = [(b"content-type", b"application/json"),
                              (b"content-length", str(len(body)).encode())]  # fmt: skip
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def single_valued_query(request: Request) -> None:
    """Refuse a query parameter given twice when the operation takes one value of it.

    FastAPI would keep the last value and drop the others without a word; a device that sends
    ``?updated_since=5&updated_since=900`` gets an answer to a question it did not mean to
    ask. The answer is a 422 naming the parameter, as for any other bad query value.
    """
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    for field in _query_params(dependant):
        name = field.alias
        if len(request.query_params.getlist(name)) > 1 and not _takes_many(
            field.field_info.annotation
        ):
            raise HTTPException(
                status_code=422,
                detail=[{"field": name, "reason": "given more than once; give it once"}],
            )


def _query_params(dependant: Dependant) -> list[Any]:
    found = list(dependant.query_params)
    for inner in dependant.dependencies:
        found.extend(_query_params(inner))
    return found


def _takes_many(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin in (list, tuple, set, frozenset):
        return True
    if origin is Annotated:
        return _takes_many(get_args(annotation)[0])
    if origin is Union or origin is UnionType:
        return any(_takes_many(argument) for argument in get_args(annotation))
    return False
