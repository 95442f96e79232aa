"""Security headers on every answer, and the API docs page under its own policy.

Every answer gets a Content-Security-Policy that allows no inline script (the web app loads
only its own files), may not be framed, sends no referrer and is not sniffed for another type.
Every answer of the API (``/api/``, where casualty data lives) is ``Cache-Control: no-store``, so
no browser or proxy keeps a copy on disk.
"""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: The web app's policy: its own scripts, styles, workers and API only. ``blob:`` and ``data:``
#: images and ``blob:`` workers are what the map (MapLibre) makes for itself.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "child-src 'self' blob:",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
_ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
#: Where Swagger UI's files come from (FastAPI's defaults).
_DOCS_CDN = "https://cdn.jsdelivr.net"
_DOCS_ICON = "https://fastapi.tiangolo.com"


class SecurityHeaders:
    """ASGI middleware: the headers above on every HTTP answer.

    An answer that sets its own Content-Security-Policy (the docs page) keeps it.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_api = str(scope.get("path", "")).startswith("/api/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                for name, value in _ALWAYS.items():
                    headers[name] = value
                if is_api:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _script_hashes(html: str) -> list[str]:
    """Return the CSP sources (``'sha256-…'``) of the inline scripts in ``html``."""
    found = re.findall(r"<script>(.*?)</script>", html, flags=re.DOTALL)
    return [
        f"'sha256-{base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()}'"
        for body in found
    ]


def install_docs(app: FastAPI) -> None:
    """Serve Swagger UI at ``/docs``, its one inline script allowed by hash, nothing else."""

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        page = get_swagger_ui_html(openapi_url="/openapi.json", title=f"{app.title} - docs")
        html = bytes(page.body).decode()
        policy = "; ".join(
            (
                "default-src 'self'",
                f"script-src 'self' {_DOCS_CDN} {' '.join(_script_hashes(html))}",
                f"style-src 'self' {_DOCS_CDN} 'unsafe-inline'",
                f"img-src 'self' data: {_DOCS_ICON}",
                "connect-src 'self'",
                "object-src 'none'",
                "base-uri 'none'",
                "frame-ancestors 'none'",
            )
        )
        return HTMLResponse(html, headers={"Content-Security-Policy": policy})
