"""The Golden Hour server as the bridge uses it: log in, send a batch, page through the log.

Transport failures, server errors and rate limits raise ``GoldenHourUnavailable`` (the caller
waits and tries again); an expired token is renewed once by logging in again; a refused login
raises ``GoldenHourRefused``. The transport can be replaced (``httpx.MockTransport``) in tests.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import httpx

from goldenhour.bridges.tak.errors import GoldenHourRefused, GoldenHourUnavailable
from goldenhour.domain.codec import encode_event
from goldenhour.domain.event import DomainEvent

__all__ = ["EventsPage", "GoldenHourServer", "Submission"]

#: Events asked for per page of the log.
PAGE_SIZE = 500


@dataclass(frozen=True, slots=True, kw_only=True)
class EventsPage:
    """A page of the log after a cursor (``EventPublic`` dicts)."""

    events: list[dict[str, Any]]
    next_cursor: int
    has_more: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Submission:
    """The server's answer for one event of a batch."""

    event_id: str | None
    outcome: str
    field: str | None = None
    reason: str | None = None

    @property
    def stored(self) -> bool:
        """Tell whether the event is in the log now (accepted, or sent before)."""
        return self.outcome in ("accepted", "duplicate")


class GoldenHourServer:
    """An HTTP client of one Golden Hour server, logged in as one user on one device."""

    def __init__(
        self,
        *,
        base_url: str,
        username: str,
        password: str,
        device: str,
        timeout_s: float = 15.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.username = username
        self._password = password
        self.device = device
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"), timeout=timeout_s, transport=transport
        )
        self._token: str | None = None
        self.unit_id: UUID | None = None

    async def aclose(self) -> None:
        """Close the connections."""
        await self._http.aclose()

    async def login(self) -> UUID:
        """Log in (OAuth2 password flow, ``client_id`` = device) and return the user's unit."""
        form = {"username": self.username, "password": self._password, "client_id": self.device}
        response = await self._send("POST", "/api/v1/auth/token", data=form)
        if response.status_code in (400, 401, 403):
            raise GoldenHourRefused(self.username, _reason(response))
        _check(response, "login")
        body = response.json()
        self._token = str(body["access_token"])
        self.unit_id = UUID(str(body["unit_id"]))
        return self.unit_id

    async def submit(self, events: Sequence[DomainEvent]) -> list[Submission]:
        """Send a batch of events; return the answer for each, in batch order."""
        batch = {"events": [encode_event(event) for event in events]}
        response = await self._authorised("POST", "/api/v1/events", json=batch)
        _check(response, "submit events")
        return [
            Submission(
                event_id=result.get("event_id"),
                outcome=str(result["outcome"]),
                field=result.get("field"),
                reason=result.get("reason"),
            )
            for result in response.json()["results"]
        ]

    async def events_after(self, cursor: int) -> EventsPage:
        """Return the page of the log after ``cursor`` that the user may see."""
        params = {"after": cursor, "limit": PAGE_SIZE}
        response = await self._authorised("GET", "/api/v1/events", params=params)
        _check(response, "read events")
        body = response.json()
        return EventsPage(
            events=list(body["events"]),
            next_cursor=int(body["next_cursor"]),
            has_more=bool(body["has_more"]),
        )

    async def _authorised(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        if self._token is None:
            await self.login()
        response = await self._send(method, path, headers=self._headers(), **kwargs)
        if response.status_code == 401:  # the token expired or was revoked: log in again
            await self.login()
            response = await self._send(method, path, headers=self._headers(), **kwargs)
        return response

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"}

    async def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            return await self._http.request(method, path, **kwargs)
        except httpx.TransportError as error:
            raise GoldenHourUnavailable(path, f"{type(error).__name__}: {error}") from None


def _check(response: httpx.Response, what: str) -> None:
    if response.status_code >= 400:
        raise GoldenHourUnavailable(what, f"HTTP {response.status_code}: {_reason(response)}")


def _reason(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    detail = body.get("detail") if isinstance(body, dict) else body
    if isinstance(detail, list) and detail and isinstance(detail[0], dict):
        return str(detail[0].get("reason") or detail[0].get("msg") or detail)
    return str(detail)[:200]
