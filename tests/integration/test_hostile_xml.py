"""Hostile XML is refused with a clear error: entity bombs, external entities, floods.

How fast each refusal is belongs to a benchmark, not here: a wall-clock bound failed on a loaded
CI machine (a 5,000-deep document took 2.8 s there). What these tests hold is the order of the
checks: the size refusal names the size limit (it comes before any parsing), the entity refusal
names the DTD (it comes before any expansion: no file is read)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from takproto.proto import TakMessage

from goldenhour.adapters.cot import CotError, decode_cot, decode_tak_proto
from goldenhour.adapters.cot.proto_codec import TakFraming, encode_tak_proto

from cli_runner import goldenhour_process as goldenhour

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10 if n > 1 else "&lol;" * 10}">'
        for n in range(1, 10)
    )
    + ']><event uid="x" type="a-f-G" time="2024-01-01T00:00:00Z" start="2024-01-01T00:00:00Z" '
    'stale="2024-01-01T00:00:00Z"><point lat="0" lon="0"/><detail><remarks>&lol9;</remarks>'
    "</detail></event>"
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE event [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    '<event uid="x" type="a-f-G" time="2024-01-01T00:00:00Z" start="2024-01-01T00:00:00Z" '
    'stale="2024-01-01T00:00:00Z"><point lat="0" lon="0"/><detail><remarks>&xxe;</remarks>'
    "</detail></event>"
)
HUNDRED_MB = b"<event>" + b"A" * (100 * 1024 * 1024) + b"</event>"
DEEP = "<event>" + "<a>" * 5000 + "</a>" * 5000 + "</event>"


def _refused(decode: Callable[[], object], reason: str) -> None:
    with pytest.raises(CotError, match=reason):
        decode()


def test_billion_laughs_is_refused_before_any_expansion() -> None:
    _refused(lambda: decode_cot(BILLION_LAUGHS), "DTD or entities")


def test_an_external_entity_is_refused_and_no_file_is_read() -> None:
    with pytest.raises(CotError) as caught:
        decode_cot(EXTERNAL_ENTITY)
    assert "root:" not in str(caught.value)
    assert "DTD or entities" in caught.value.reason


def test_a_100_mb_body_is_refused_before_parsing() -> None:
    _refused(lambda: decode_cot(HUNDRED_MB), "at most 65536")


def test_a_100_mb_text_is_refused_before_encoding_it() -> None:
    text = HUNDRED_MB.decode("ascii")
    _refused(lambda: decode_cot(text), "at most 65536")


def test_nesting_deeper_than_cot_is_refused() -> None:
    _refused(lambda: decode_cot(DEEP), "nests deeper")


def test_a_dtd_smuggled_into_takproto_xml_detail_is_refused() -> None:
    message = TakMessage()
    message.cotEvent.uid, message.cotEvent.type = "x", "a-f-G"
    message.cotEvent.detail.xmlDetail = '<!DOCTYPE d [<!ENTITY e "e">]><remarks>&e;</remarks>'
    data = b"\xbf\x01\xbf" + message.SerializeToString()
    _refused(lambda: decode_tak_proto(data), "xmlDetail")


def test_a_100_mb_takproto_message_is_refused_before_parsing() -> None:
    _refused(lambda: decode_tak_proto(b"\xbf\x01\xbf" + HUNDRED_MB), "at most 65536")


def test_the_cli_refuses_a_100_mb_file_with_exit_code_2(tmp_path: Path) -> None:
    path = tmp_path / "flood.xml"
    path.write_bytes(HUNDRED_MB)
    result = goldenhour("cot", "decode", str(path))
    assert result.returncode == 2
    assert "at most 65536" in result.stderr


def test_the_cli_refuses_billion_laughs_on_standard_input_with_exit_code_2() -> None:
    result = goldenhour("cot", "decode", "-", stdin=BILLION_LAUGHS)
    assert result.returncode == 2
    assert "DTD or entities" in result.stderr


def test_encoding_what_we_decoded_never_reintroduces_a_dtd() -> None:
    framed = encode_tak_proto(
        decode_cot(BILLION_LAUGHS.split("]>", 1)[1].replace("&lol9;", "x")), framing=TakFraming.MESH
    )
    assert b"DOCTYPE" not in framed
