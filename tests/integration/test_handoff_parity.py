"""What the web's handoff codec writes, the Python codec reads: the same entries, field for field.

web/tests/handoff.test.ts encodes the handoff vectors and every casualty history of
tests/goldens/rules (corrections, retractions, tourniquets on and off, the dead...) with the
browser's codec (fflate's deflate, not zlib's); here ``decode_handoff`` must give back each
history exactly, and the domain must accept every entry.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from goldenhour.adapters.radio.handoff import decode_handoff

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"


@pytest.fixture(scope="module")
def web_handoffs(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """Return the histories and the codes the web wrote for them."""
    npx = shutil.which("npx")
    assert npx is not None, "npx is needed: ./scripts/bootstrap installs Node.js"
    assert (WEB / "node_modules").is_dir(), "web/node_modules is missing: run ./scripts/bootstrap"
    out = tmp_path_factory.mktemp("handoff") / "handoff.json"
    run = subprocess.run(
        [npx, "vitest", "run", "tests/handoff.test.ts"],
        cwd=WEB, env=os.environ | {"GOLDENHOUR_HANDOFF_OUT": str(out)},
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    written: list[dict[str, Any]] = json.loads(out.read_text(encoding="utf-8"))
    return written


def test_python_reads_every_history_the_web_encodes(web_handoffs: list[dict[str, Any]]) -> None:
    assert len(web_handoffs) > 200
    multipart = 0
    for case in web_handoffs:
        parts = [bytes.fromhex(p) for p in case["parts"]]
        multipart += len(parts) > 1
        assert decode_handoff(parts) == case["events"], case["name"]
    assert multipart > 100, "most histories take several codes at 200 bytes a code"
