"""Golden Hour is Apache-2.0: nothing it depends on at run time may be GPL-licensed."""

from __future__ import annotations

import re
from importlib import metadata

from packaging.requirements import Requirement


def _runtime_closure(name: str) -> set[str]:
    seen: set[str] = set()
    pending = [name]
    while pending:
        current = pending.pop()
        key = re.sub(r"[-_.]+", "-", current).lower()
        if key in seen:
            continue
        seen.add(key)
        for spec in metadata.requires(current) or []:
            requirement = Requirement(spec)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                pending.append(requirement.name)
    return seen


def _licence_text(name: str) -> str:
    meta = metadata.metadata(name)
    parts = [meta.get("License") or "", meta.get("License-Expression") or ""]
    parts += [c for c in meta.get_all("Classifier") or [] if c.startswith("License")]
    return " ".join(parts)


def test_goldenhour_itself_is_apache_2() -> None:
    assert "Apache-2.0" in _licence_text("goldenhour")


def test_no_runtime_dependency_is_gpl() -> None:
    dependencies = _runtime_closure("goldenhour") - {"goldenhour"}
    assert {"pygeodesy", "typer", "rich"} <= dependencies
    gpl = {
        name: _licence_text(name)
        for name in dependencies
        if re.search(r"(?<!L)GPL|GNU General Public", _licence_text(name))
    }
    assert gpl == {}
