"""The web app's forms check the domain's own bounds: web/src/limits.json is generated from
``form_limits`` (scripts/web-limits) and must not drift from it."""

from __future__ import annotations

import json
from pathlib import Path

from goldenhour.domain.casualty import limits
from goldenhour.domain.casualty.limits import form_limits

WEB_LIMITS = Path(__file__).resolve().parents[4] / "web" / "src" / "limits.json"


def test_the_web_forms_check_the_same_bounds_as_the_domain() -> None:
    """The committed limits.json equals what scripts/web-limits writes today."""
    assert json.loads(WEB_LIMITS.read_text()) == form_limits()


def test_the_form_bounds_are_the_ones_the_events_check() -> None:
    """Each vital sign's bound is the domain's range for it."""
    vitals = form_limits()["vitals"]
    assert vitals == {
        "pulse": list(limits.PULSE_RANGE),
        "respiratory_rate": list(limits.RESPIRATORY_RATE_RANGE),
        "spo2": list(limits.SPO2_RANGE),
        "systolic": list(limits.SYSTOLIC_RANGE),
        "diastolic": list(limits.DIASTOLIC_RANGE),
        "pain": list(limits.PAIN_RANGE),
        "gcs_eye": list(limits.GCS_EYE_RANGE),
        "gcs_verbal": list(limits.GCS_VERBAL_RANGE),
        "gcs_motor": list(limits.GCS_MOTOR_RANGE),
    }
    assert form_limits()["burn_tbsa_percent"] == list(limits.TBSA_RANGE)
    assert form_limits()["volume_ml"] == list(limits.VOLUME_ML_RANGE)
    assert form_limits()["dose_max"] == limits.DOSE_RANGE[1]
