"""Each real ATAK event, sent through a real taky server to a second client, decodes the same.

taky 0.10 relays ``<detail>`` untouched but writes ``<point>`` anew with six decimals for
latitude and longitude and one for height and errors (up to 0.06 m): the point is compared as
taky writes it, every other field exactly.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
from tak_servers import TakClient

from goldenhour.adapters.cot import ChatMessage, decode_cot

from cot_samples import REFERENCE_NAMES, as_taky_writes, fresh_reference

pytestmark = pytest.mark.timeout(60)


def test_the_five_reference_events_are_all_here() -> None:
    assert len(REFERENCE_NAMES) == 5


@pytest.mark.parametrize("name", REFERENCE_NAMES)
def test_an_atak_event_relayed_by_taky_decodes_as_the_original(
    name: str, tak_client: Callable[..., TakClient]
) -> None:
    data, renamed = fresh_reference(name)
    original = decode_cot(data)
    # A direct chat is routed to the uid it is addressed to: the receiver identifies as it.
    to = original.meaning.chatroom if isinstance(original.meaning, ChatMessage) else None
    receiver_uid = renamed["ANDROID-355499060918435"] if to else "receiver-" + original.uid
    receiver = tak_client(receiver_uid)
    sender = tak_client("sender-" + original.uid)
    # The sender sees the receiver's SA once taky has identified the receiver.
    sender.wait_for_event(lambda e: e.uid == receiver_uid, what="the receiver's SA")

    sender.send(data)
    relayed = receiver.wait_for_event(lambda e: e.uid == original.uid, what=name)

    assert relayed == as_taky_writes(original)
    assert math.isclose(relayed.point.lat, original.point.lat, abs_tol=5e-7)
    assert math.isclose(relayed.point.lon, original.point.lon, abs_tol=5e-7)
