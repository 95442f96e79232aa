"""The server's access log: secrets in a URL never reach a line."""

from __future__ import annotations

import logging

import pytest

from goldenhour.api.logs import RedactSecrets, redact, uvicorn_log_config


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/api/v1/stream?ticket=abc-DEF_123&after=7", "/api/v1/stream?ticket=[redacted]&after=7"),
        (
            "/api/v1/stream?after=7&access_token=xyz",
            "/api/v1/stream?after=7&access_token=[redacted]",
        ),
        ("/x?Password=hunter2#top", "/x?Password=[redacted]#top"),
        ("/api/v1/casualties?limit=10", "/api/v1/casualties?limit=10"),
    ],
)
def test_the_value_of_a_secret_parameter_is_redacted(path: str, logged: str) -> None:
    assert redact(path) == logged


def test_an_access_log_record_is_written_without_the_ticket() -> None:
    # uvicorn's access log record: client, method, path with query, HTTP version, status.
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/api/v1/stream?ticket=s3cret", "1.1", 200), None,
    )  # fmt: skip
    assert RedactSecrets().filter(record)
    assert (
        record.getMessage()
        == '127.0.0.1:5000 - "GET /api/v1/stream?ticket=[redacted] HTTP/1.1" 200'
    )


def test_every_uvicorn_handler_redacts() -> None:
    config = uvicorn_log_config()
    assert all("redact_secrets" in h["filters"] for h in config["handlers"].values())
