"""Errors raised by evacuation planning: a bad scenario file and a refused decision.

GoldenHourError
└── ValidationError (ValueError)
    ├── ScenarioError          a scenario file has a bad key or value; names the key path
    ├── DecisionRefusedError   a policy's decision breaks a rule of the world; names the rule
    └── UnknownPolicyError     a policy name that is not (yet) implemented
"""

from __future__ import annotations

from goldenhour.domain.errors import ValidationError


class ScenarioError(ValidationError):
    """A scenario file cannot be read, or a key or value in it is refused.

    ``path`` is the key path (``vehicles[2].speed_kmh``; empty for the file as a whole) and
    ``reason`` says what is wrong. ``source`` names the file when there is one.
    """

    def __init__(self, path: str, reason: str, *, source: str | None = None) -> None:
        self.path = path
        self.source = source
        super().__init__(path or "scenario", reason)
        where = " ".join(part for part in (source, path) if part) or "scenario"
        self.args = (f"{where}: {reason}",)

    def in_file(self, source: str) -> ScenarioError:
        """Return the same error, naming the file it was found in."""
        return ScenarioError(self.path, self.reason, source=source)


class DecisionRefusedError(ValidationError):
    """A policy's assignment would break a rule: capacity, surgery, or an unknown id.

    ``vehicle_id`` names the vehicle of the refused assignment and ``rule`` the rule broken.
    """

    def __init__(self, *, vehicle_id: str, rule: str, reason: str) -> None:
        self.vehicle_id = vehicle_id
        self.rule = rule
        super().__init__(f"assignment[{vehicle_id}].{rule}", reason)


class UnknownPolicyError(ValidationError):
    """A policy was asked for by a name no policy has; ``available`` lists the names that do."""

    def __init__(self, name: str, available: tuple[str, ...]) -> None:
        self.name = name
        self.available = available
        super().__init__("policies", f"unknown policy {name!r}; available: {', '.join(available)}")
