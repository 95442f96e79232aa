"""The live plan names ids in its texts by call signs and labels, word by word, as the plain
search-and-replace does (``services.live_plan._namer``), without a search per id per text."""

from __future__ import annotations

from uuid import uuid4

from goldenhour.services.live_plan import _named, _namer


def test_word_by_word_naming_gives_the_texts_of_search_and_replace() -> None:
    casualties = {str(uuid4()): f"#{n:04d}" for n in range(50)}
    vehicles = {str(uuid4()): "KALYNA 21", "buhai": "BUHAI 2"}
    labels = {**casualties, **vehicles}
    ids = list(labels)
    texts = [
        f"{ids[0]}: later trip of {ids[-2]} (at care at 10:40); p 0.31 now",
        f"{ids[3]} and {ids[4]}, {ids[5]}; buhai first (base:buhai)",
        "unreachable: no vehicle can bring them to care within the horizon",
    ]
    named = _namer(labels)
    assert [named(t) for t in texts] == [_named(t, labels) for t in texts]
    assert named(texts[1]).endswith("BUHAI 2 first (base:BUHAI 2)")


def test_ids_that_are_not_words_are_still_named() -> None:
    labels = {"vehicle/1": "KALYNA 22"}
    assert _namer(labels)("send vehicle/1 now") == "send KALYNA 22 now"
