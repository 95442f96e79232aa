"""``goldenhour fhir export|import``: events to a FHIR R4 Bundle and back, from files or stdin."""

from __future__ import annotations

import json
from pathlib import Path

from cli_runner import goldenhour

NOW = "2022-06-14T13:15:00Z"


def demo_events() -> list[dict[str, object]]:
    events: list[dict[str, object]] = json.loads(goldenhour("demo", "--now", NOW, "--json").stdout)[
        "events"
    ]
    return events


def test_export_then_import_gives_back_the_events_and_the_card() -> None:
    events = demo_events()
    exported = goldenhour("fhir", "export", "-", stdin=json.dumps(events))
    assert exported.returncode == 0, exported.stderr
    bundle = json.loads(exported.stdout)
    assert (bundle["resourceType"], bundle["type"]) == ("Bundle", "transaction")
    imported = goldenhour("fhir", "import", "-", stdin=exported.stdout)
    assert imported.returncode == 0, imported.stderr
    key = lambda e: e["event_id"]  # noqa: E731
    assert sorted(json.loads(imported.stdout), key=key) == sorted(events, key=key)
    card = goldenhour("fhir", "import", "-", "--card", "--now", NOW, stdin=exported.stdout)
    assert "CASUALTY CARD AP4821 Petrenko, Andrii" in card.stdout
    shown = goldenhour("card", "show", "-", "--now", NOW, "--json", stdin=json.dumps(events))
    as_json = goldenhour(
        "fhir", "import", "-", "--card", "--json", "--now", NOW, stdin=exported.stdout
    )
    assert json.loads(as_json.stdout) == json.loads(shown.stdout)


def test_export_reads_a_file(tmp_path: Path) -> None:
    path = tmp_path / "events.json"
    path.write_text(json.dumps(demo_events()), encoding="utf-8")
    result = goldenhour("fhir", "export", str(path))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["entry"][0]["resource"]["resourceType"] == "Patient"


def test_import_refuses_an_altered_bundle_naming_the_entry() -> None:
    bundle = json.loads(goldenhour("fhir", "export", "-", stdin=json.dumps(demo_events())).stdout)
    index = next(i for i, e in enumerate(bundle["entry"]) if "valueQuantity" in e["resource"])
    bundle["entry"][index]["resource"]["valueQuantity"]["value"] = 60
    result = goldenhour("fhir", "import", "-", stdin=json.dumps(bundle))
    assert result.returncode == 2
    assert f"Bundle.entry[{index}].resource.valueQuantity.value" in result.stderr


def test_import_refuses_what_is_not_json() -> None:
    result = goldenhour("fhir", "import", "-", stdin="<Bundle/>")
    assert result.returncode == 2
    assert "not JSON" in result.stderr


def test_export_asks_which_casualty_when_the_file_holds_several() -> None:
    events = demo_events()
    other = dict(events[1], event_id="00000000-0000-4000-8000-00000000000a",
                 casualty_id="00000000-0000-4000-8000-00000000000b")  # fmt: skip
    result = goldenhour("fhir", "export", "-", stdin=json.dumps([*events, other]))
    assert result.returncode == 2
    assert "--casualty" in result.stderr
    chosen = goldenhour(
        "fhir", "export", "-", "--casualty", str(events[0]["casualty_id"]),
        stdin=json.dumps([*events, other]),
    )  # fmt: skip
    assert chosen.returncode == 0, chosen.stderr


def test_export_refuses_a_casualty_no_event_is_about() -> None:
    stranger = "00000000-0000-4000-8000-00000000000c"
    result = goldenhour(
        "fhir", "export", "-", "--casualty", stranger, stdin=json.dumps(demo_events())
    )
    assert (result.returncode, result.stdout) == (2, "")
    assert f"--casualty: no event in the file is about {stranger}" in result.stderr


def test_import_names_a_bundle_file_it_cannot_read(tmp_path: Path) -> None:
    missing = tmp_path / "absent.json"
    result = goldenhour("fhir", "import", str(missing))
    assert (result.returncode, result.stdout) == (2, "")
    assert f"file: cannot read {missing}:" in result.stderr


def test_import_refuses_a_bundle_over_the_size_limit() -> None:
    from goldenhour.adapters.fhir import MAX_BUNDLE_BYTES

    result = goldenhour("fhir", "import", "-", stdin=" " * (MAX_BUNDLE_BYTES + 1))
    assert (result.returncode, result.stdout) == (2, "")
    assert str(MAX_BUNDLE_BYTES) in result.stderr
