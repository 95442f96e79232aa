"""``goldenhour tak``: refusals exit 2 naming what was wrong; ``tak send`` reaches a TAK client."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from uuid import uuid4

import pytest
from tak_servers import BIN, GoldenHour, TakClient, Taky

from goldenhour.adapters.cot import MedevacMarker, decode_cot

from cli_runner import goldenhour_process as goldenhour
from cot_samples import NINE_LINE_ZMIST, fresh_reference

pytestmark = pytest.mark.timeout(90)


def test_tak_send_delivers_a_cot_file_to_a_tak_client(
    taky: Taky, tak_client: Callable[..., TakClient], tmp_path: Path
) -> None:
    atak = tak_client(f"atak-{uuid4()}")
    data, _ = fresh_reference(NINE_LINE_ZMIST)
    (tmp_path / "medevac.xml").write_bytes(data)

    result = goldenhour("tak", "send", str(tmp_path / "medevac.xml"), "--tak-port", str(taky.port))

    assert result.returncode == 0, result.stderr
    received = atak.wait_for_event(lambda e: e.uid == decode_cot(data).uid, what="the marker")
    assert isinstance(received.meaning, MedevacMarker)


def test_tak_send_refuses_a_file_that_is_not_cot(tmp_path: Path) -> None:
    (tmp_path / "note.xml").write_text("<note>not CoT</note>")

    result = goldenhour("tak", "send", str(tmp_path / "note.xml"), "--tak-port", "9")

    assert result.returncode == 2
    assert "note.xml" in result.stderr


def test_the_bridge_refuses_to_start_without_a_password(tmp_path: Path) -> None:
    result = goldenhour(
        "tak", "bridge", "--username", "coordinator", "--password-env", "NO_SUCH_VARIABLE",
        "--state-file", str(tmp_path / "state.json"),
    )  # fmt: skip

    assert result.returncode == 2
    assert "NO_SUCH_VARIABLE" in result.stderr


def test_the_bridge_stops_when_golden_hour_refuses_its_login(
    taky: Taky, golden_hour: GoldenHour, tmp_path: Path
) -> None:
    result = subprocess.run(
        [str(BIN / "goldenhour"), "tak", "bridge", "--tak-port", str(taky.port),
         "--server", golden_hour.url, "--username", "coordinator", "--password-env", "PW",
         "--state-file", str(tmp_path / "state.json")],
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PW": "not-the-password"},
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip

    assert result.returncode == 2
    assert "coordinator: wrong user name or password" in result.stderr
