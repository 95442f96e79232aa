"""Each ATAK event, sent through a real taky server to a second client, decodes the same.

The project's own ATAK-shaped messages always; the real ATAK-CIV captures when they are beside
the repository (tests/cot_samples.py).

taky 0.10 relays ``<detail>`` untouched but writes ``<point>`` anew with six decimals for
latitude and longitude and one for height and errors (up to 0.06 m): the point is compared as
taky writes it, every other field exactly.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest
from tak_servers import TakClient

from goldenhour.adapters.cot import ChatMessage, decode_cot

from cot_samples import as_taky_writes, cot_files, fresh_reference

pytestmark = pytest.mark.timeout(60)


@pytest.mark.parametrize("path", cot_files())
def test_an_atak_event_relayed_by_taky_decodes_as_the_original(
    path: Path, tak_client: Callable[..., TakClient]
) -> None:
    data, _ = fresh_reference(path)
    original = decode_cot(data)
    # A direct chat is routed to the uid its remarks are addressed to: the receiver is that uid.
    chat = isinstance(original.meaning, ChatMessage)
    to = dict(original.remarks_attributes).get("to") if chat else None
    receiver_uid = to or "receiver-" + original.uid
    receiver = tak_client(receiver_uid)
    sender = tak_client("sender-" + original.uid)
    # The sender sees the receiver's SA once taky has identified the receiver.
    sender.wait_for_event(lambda e: e.uid == receiver_uid, what="the receiver's SA")

    sender.send(data)
    relayed = receiver.wait_for_event(lambda e: e.uid == original.uid, what=path.name)

    assert relayed == as_taky_writes(original)
    assert math.isclose(relayed.point.lat, original.point.lat, abs_tol=5e-7)
    assert math.isclose(relayed.point.lon, original.point.lon, abs_tol=5e-7)
