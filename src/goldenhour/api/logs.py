"""What the server logs: uvicorn's access log, with secrets in URLs blotted out.

The web app opens the live stream with a ticket in the URL (EventSource cannot send headers).
A ticket is spent before its request is logged, but no secret should reach a log line at all:
the values of ``ticket``, ``access_token``, ``token`` and ``password`` parameters are replaced
by ``[redacted]`` before uvicorn writes the line.
"""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

_SECRET_PARAMETER = re.compile(
    r"([?&](?:access_token|ticket|token|password)=)[^&#\s\"]*", flags=re.IGNORECASE
)


def redact(text: str) -> str:
    """Return ``text`` with the values of secret URL parameters replaced."""
    return _SECRET_PARAMETER.sub(r"\1[redacted]", text)


class RedactSecrets(logging.Filter):
    """A logging filter that blots secret URL parameters out of a record's arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's message arguments; keep the record."""
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def uvicorn_log_config() -> dict[str, Any]:
    """Return uvicorn's logging configuration with ``RedactSecrets`` on every handler."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["redact_secrets"] = {"()": RedactSecrets}
    for handler in config["handlers"].values():
        handler.setdefault("filters", []).append("redact_secrets")
    return config
