"""A forward node's area: which records the rear sends down to it, and in what form."""

from __future__ import annotations

import json

from goldenhour.domain.nodes import AreaItem, area_message, area_subject, in_node_area

BRIGADE = "/b/"
COMPANY = "/b/c1/"
OTHER = "/b/c2/"


def test_a_record_of_a_unit_below_the_area_concerns_the_node() -> None:
    assert in_node_area(COMPANY, [COMPANY + "p1/"])
    assert in_node_area(COMPANY, [COMPANY])


def test_a_record_of_another_company_does_not_unless_it_touches_the_area() -> None:
    assert not in_node_area(COMPANY, [OTHER])
    # sent towards a facility of the node's company
    assert in_node_area(COMPANY, [OTHER, COMPANY])


def test_a_record_of_the_unit_above_the_area_does_not_concern_the_node() -> None:
    assert not in_node_area(COMPANY, [BRIGADE])
    assert not in_node_area(COMPANY, [None])


def test_the_area_message_carries_the_event_and_its_records_unit_as_json() -> None:
    event = {"kind": "casualty_registered", "casualty_id": "x"}
    item = AreaItem(seq=3, event_id="e", scope_unit="u", payload=json.dumps(event).encode())
    assert json.loads(area_message(item)) == {"scope_unit": "u", "event": event}
    unscoped = AreaItem(seq=3, event_id="e", scope_unit=None, payload=b"{}")
    assert json.loads(area_message(unscoped)) == {"scope_unit": None, "event": {}}


def test_each_forward_node_has_its_own_subject_on_the_rears_stream() -> None:
    assert area_subject("rear", "fwd1") == "gh.rear.area.fwd1"
