"""``goldenhour demo`` prints the demo casualty's card, tourniquet clock, 9-line and MIST."""

from __future__ import annotations

import json

from cli_runner import goldenhour

NOW = "2022-06-14T13:15:00Z"


def test_the_demo_prints_card_clock_nine_line_and_mist() -> None:
    result = goldenhour("demo", "--now", NOW)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "CASUALTY CARD AP4821 Petrenko, Andrii" in out
    assert "left leg above the knee (CAT): on since 1232Z, 43 min [OK]" in out
    assert "9-LINE MEDEVAC REQUEST\nLINE 1: 37U DQ 4356 1853" in out
    assert "MIST HANDOVER\nMIST Z: AP4821" in out


def test_the_demo_json_holds_its_events_and_card_show_folds_them_to_the_same_card() -> None:
    demo = json.loads(goldenhour("demo", "--now", NOW, "--json").stdout)
    assert demo["card"]["tourniquet_clocks"][0]["elapsed_minutes"] == 43
    assert demo["nine_line"].startswith("LINE 1: 37U DQ 4356 1853")
    shown = goldenhour(
        "card", "show", "-", "--now", NOW, "--json", stdin=json.dumps(demo["events"])
    )
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout) == demo["card"]


def test_card_show_refuses_an_impossible_pulse_naming_the_event_and_field() -> None:
    events = json.loads(goldenhour("demo", "--now", NOW, "--json").stdout)["events"]
    vitals = next(i for i, e in enumerate(events) if e["kind"] == "vitals_recorded")
    events[vitals]["pulse"] = 400
    result = goldenhour("card", "show", "-", "--now", NOW, stdin=json.dumps(events))
    assert result.returncode == 2
    assert "pulse: 400 /min is impossible; allowed 0 to 300" in result.stderr


def test_card_show_refuses_events_from_the_future() -> None:
    events = json.loads(goldenhour("demo", "--now", NOW, "--json").stdout)["events"]
    result = goldenhour(
        "card", "show", "-", "--now", "2022-06-14T12:00:00Z", stdin=json.dumps(events)
    )
    assert result.returncode == 2
    assert "in the future" in result.stderr


def test_card_show_refuses_text_that_is_not_json() -> None:
    result = goldenhour("card", "show", "-", stdin="LINE 1: 37U")
    assert result.returncode == 2
    assert "file: not JSON" in result.stderr
