"""Reading FHIR bundles back: malformed or altered bundles raise FhirError naming the path."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from goldenhour.adapters.fhir import FhirError, export_bundle, import_bundle, read_bundle
from goldenhour.domain.casualty.card import fold
from goldenhour.domain.codec import encode_event
from goldenhour.domain.operations.events import UnitRegistered
from goldenhour.domain.operations.vocabulary import UnitKind

from fhir_cases import CASUALTY, full_history

Bundle = dict[str, Any]


def fresh() -> Bundle:
    return export_bundle(full_history(), casualty_id=CASUALTY)


def history_index(bundle: Bundle) -> int:
    kinds = [entry["resource"]["resourceType"] for entry in bundle["entry"]]
    return kinds.index("DocumentReference")


def with_history(bundle: Bundle, payload: bytes, *, rehash: bool = True) -> Bundle:
    attachment = bundle["entry"][history_index(bundle)]["resource"]["content"][0]["attachment"]
    attachment["data"] = base64.b64encode(payload).decode()
    if rehash:
        attachment["hash"] = base64.b64encode(hashlib.sha1(payload).digest()).decode()
    return bundle


def events_json(bundle: Bundle) -> list[Any]:
    attachment = bundle["entry"][history_index(bundle)]["resource"]["content"][0]["attachment"]
    loaded: list[Any] = json.loads(base64.b64decode(attachment["data"]))
    return loaded


def first(bundle: Bundle, kind: str, having: str = "id") -> tuple[int, Bundle]:
    for index, entry in enumerate(bundle["entry"]):
        if entry["resource"]["resourceType"] == kind and having in entry["resource"]:
            return index, entry["resource"]
    raise AssertionError(kind)


def refused(bundle: Any) -> FhirError:
    with pytest.raises(FhirError) as caught:
        import_bundle(bundle)
    return caught.value


class TestReadingText:
    @pytest.mark.parametrize(
        ("text", "words"),
        [
            (b"{", "not JSON"),
            (b'{"resourceType": NaN}', "not JSON"),
            (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
            (b"\xff\xfe{}", "not UTF-8"),
            (b"[]", "resourceType Bundle"),
            (b'{"resourceType": "Patient"}', "resourceType Bundle"),
        ],
    )
    def test_text_that_is_no_bundle_is_refused(self, text: bytes, words: str) -> None:
        """Broken JSON, NaN, deep nesting, other encodings and other resources are refused."""
        with pytest.raises(FhirError, match=words):
            read_bundle(text)

    def test_a_bundle_over_the_size_limit_is_refused_unread(self) -> None:
        """The size limit applies before any parsing."""
        with pytest.raises(FhirError, match="at most 100 are read") as caught:
            read_bundle(b" " * 101, max_bytes=100)
        assert caught.value.path == "Bundle"


class TestMalformedBundles:
    def test_a_bundle_type_without_resources_is_refused(self) -> None:
        """A transaction-response carries no resources to read."""
        bundle = fresh() | {"type": "transaction-response"}
        assert refused(bundle).path == "Bundle.type"

    def test_an_entry_without_a_resource_is_named(self) -> None:
        """The entry's index is in the path."""
        bundle = fresh()
        bundle["entry"][3] = {"fullUrl": "urn:uuid:x"}
        assert refused(bundle).path == "Bundle.entry[3].resource"

    def test_a_bundle_without_the_history_is_refused(self) -> None:
        """Without the Golden Hour history the card cannot be rebuilt without loss."""
        bundle = fresh()
        del bundle["entry"][history_index(bundle)]
        assert "found 0" in refused(bundle).reason

    def test_two_histories_are_refused(self) -> None:
        """One bundle, one casualty, one history."""
        bundle = fresh()
        bundle["entry"].append(copy.deepcopy(bundle["entry"][history_index(bundle)]))
        assert "found 2" in refused(bundle).reason

    @pytest.mark.parametrize(
        ("change", "path_end"),
        [
            (lambda a: a.update(contentType="text/plain"), "attachment.contentType"),
            (lambda a: a.update(data="not base64!"), "attachment.data"),
            (lambda a: a.pop("data"), "attachment.data"),
            (lambda a: a.update(hash="AAAA"), "attachment.hash"),
        ],
    )
    def test_a_bad_attachment_is_named(
        self, change: Callable[[dict[str, Any]], Any], path_end: str
    ) -> None:
        """The media type, the base64 and the SHA-1 of the history are checked."""
        bundle = fresh()
        index = history_index(bundle)
        change(bundle["entry"][index]["resource"]["content"][0]["attachment"])
        error = refused(bundle)
        assert error.path == f"Bundle.entry[{index}].resource.content[0].{path_end}"

    @pytest.mark.parametrize(
        ("payload", "words"),
        [(b"{", "not JSON"), (b"[]", "non-empty JSON list"), (b'{"a": 1}', "non-empty JSON list")],
    )
    def test_a_history_that_is_no_list_of_events_is_refused(
        self, payload: bytes, words: str
    ) -> None:
        """The attachment must hold the JSON list of events."""
        with pytest.raises(FhirError, match=words):
            import_bundle(with_history(fresh(), payload))

    def test_text_that_is_not_unicode_is_refused(self) -> None:
        """A JSON escape spelling a lone surrogate is no character: refused, in either layer."""
        with pytest.raises(FhirError, match="lone surrogate"):
            read_bundle(b'{"resourceType": "Bundle", "id": "\\ud800"}')
        bundle = fresh()
        events = events_json(bundle)
        next(e for e in events if e["kind"] == "note_added")["text"] = "\ud800"
        error = refused(with_history(bundle, json.dumps(events).encode()))
        assert error.path.endswith("attachment.data")

    def test_a_bad_event_is_named_by_index_and_field(self) -> None:
        """An impossible value names the event and its field, as the event codec does."""
        bundle = fresh()
        events = events_json(bundle)
        index = next(i for i, e in enumerate(events) if e["kind"] == "vitals_recorded")
        events[index]["pulse"] = 400
        error = refused(with_history(bundle, json.dumps(events).encode()))
        assert error.path.endswith(f"attachment.data[{index}].pulse")
        assert "400" in error.reason

    def test_an_event_of_another_stream_is_refused(self) -> None:
        """Only casualty events belong in a casualty's history."""
        bundle = fresh()
        events = events_json(bundle)
        unit = encode_event(
            UnitRegistered(
                event_id=CASUALTY, occurred_at=full_history()[0].occurred_at,
                recorded_at=full_history()[0].occurred_at, author="a", device="d",
                unit_id=CASUALTY, name="company", unit_kind=UnitKind.COMPANY,
            )
        )  # fmt: skip
        error = refused(with_history(bundle, json.dumps([*events, unit]).encode()))
        assert "not a casualty event" in error.reason

    def test_events_of_two_casualties_are_refused(self) -> None:
        """A bundle is one casualty's."""
        bundle = fresh()
        events = events_json(bundle)
        events[-1]["casualty_id"] = "00000000-0000-4000-8000-000000000002"
        assert "2 casualties" in refused(with_history(bundle, json.dumps(events).encode())).reason

    def test_one_event_id_with_two_contents_is_refused(self) -> None:
        """A conflict inside the history is not silently resolved."""
        bundle = fresh()
        events = events_json(bundle)
        twin = next(e for e in events if e["kind"] == "note_added") | {"text": "other words"}
        error = refused(with_history(bundle, json.dumps([*events, twin]).encode()))
        assert "two contents" in error.reason


class TestAlteredBundles:
    def test_a_changed_vital_is_refused_naming_entry_and_element(self) -> None:
        """An edit to a structured resource that the history does not hold would be lost."""
        bundle = fresh()
        index, observation = first(bundle, "Observation", "valueQuantity")
        observation["valueQuantity"]["value"] = 60
        error = refused(bundle)
        assert error.path == f"Bundle.entry[{index}].resource.valueQuantity.value"
        assert error.resource == f"Observation/{observation['id']}"

    def test_a_removed_resource_is_refused(self) -> None:
        """Every resource the history gives must be there."""
        bundle = fresh()
        index, _ = first(bundle, "Procedure")
        del bundle["entry"][index]
        assert "missing" in refused(bundle).reason

    def test_an_added_resource_is_refused(self) -> None:
        """A resource the history does not give is named."""
        bundle = fresh()
        extra = {"fullUrl": "urn:uuid:1", "resource": {"resourceType": "Patient", "id": "1"}}
        bundle["entry"].append(extra)
        error = refused(bundle)
        assert (error.path, error.resource) == (f"Bundle.entry[{len(bundle['entry']) - 1}]",
                                                "Patient/1")  # fmt: skip

    def test_a_repeated_entry_is_refused(self) -> None:
        """The same full URL twice is named."""
        bundle = fresh()
        bundle["entry"].append(copy.deepcopy(bundle["entry"][0]))
        assert "twice" in refused(bundle).reason

    def test_a_changed_history_is_refused_when_the_resources_disagree(self) -> None:
        """A history edited behind the structured resources' back is refused too."""
        bundle = fresh()
        events = events_json(bundle)
        index = next(i for i, e in enumerate(events) if e["kind"] == "fluid_given")
        events[index]["volume_ml"] = 1000.0
        assert "differs" in refused(with_history(bundle, json.dumps(events).encode())).reason

    def test_what_a_server_adds_is_ignored(self) -> None:
        """Server bookkeeping (meta, narrative) and a collection bundle still import."""
        history = full_history()
        bundle = export_bundle(history, casualty_id=CASUALTY)
        for entry in bundle["entry"]:
            entry["resource"]["meta"] = {"versionId": "2", "lastUpdated": "2022-06-15T10:00:00Z"}
            entry["resource"]["text"] = {"status": "generated", "div": "<div>…</div>"}
            del entry["request"]
        bundle["type"] = "collection"
        assert fold(CASUALTY, import_bundle(bundle)) == fold(CASUALTY, history)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, (*prefix, index))


TEMPLATE = fresh()
TEMPLATE_PATHS = [path for path in paths(TEMPLATE) if path]
TEMPLATE_EVENTS = events_json(TEMPLATE)
EVENT_PATHS = [path for path in paths(TEMPLATE_EVENTS) if path]


def replaced(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    changed = copy.deepcopy(value)
    *parents, last = path
    target = changed
    for part in parents:
        target = target[part]
    target[last] = new
    return changed


def accepts_or_refuses_clearly(bundle: Any) -> None:
    try:
        import_bundle(bundle)
    except FhirError as error:
        assert error.path and error.reason


class TestFuzz:
    @given(json_values)
    def test_any_json_value_is_refused_with_our_error(self, value: Any) -> None:
        """Arbitrary JSON never raises anything but FhirError."""
        with pytest.raises(FhirError):
            import_bundle(value)

    @given(st.binary(max_size=300))
    def test_any_bytes_are_refused_with_our_error(self, data: bytes) -> None:
        """Arbitrary bytes never raise anything but FhirError."""
        with pytest.raises(FhirError):
            read_bundle(data)

    @given(st.sampled_from(TEMPLATE_PATHS), json_values)
    def test_a_bundle_changed_anywhere_imports_or_raises_our_error(
        self, path: tuple[Any, ...], new: Any
    ) -> None:
        """Any one element of a valid bundle replaced by any JSON: events or FhirError."""
        accepts_or_refuses_clearly(replaced(TEMPLATE, path, new))

    @given(st.sampled_from(EVENT_PATHS), json_values)
    def test_a_history_changed_anywhere_imports_or_raises_our_error(
        self, path: tuple[Any, ...], new: Any
    ) -> None:
        """Any one field of the carried history replaced by any JSON: events or FhirError."""
        payload = json.dumps(replaced(TEMPLATE_EVENTS, path, new)).encode()
        accepts_or_refuses_clearly(with_history(copy.deepcopy(TEMPLATE), payload))
