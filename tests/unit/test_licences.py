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


#: Dependencies whose wheels bundle a GPL component under an exception made for non-GPL
#: programs, and that exception: SciPy (BSD-3-Clause) bundles libgfortran under the GCC Runtime
#: Library Exception. Their text may name GPL only in bundled components under that exception.
BUNDLED_UNDER_EXCEPTION = {"scipy": "GPL-3.0-or-later WITH GCC-exception-3.1"}


def _is_gpl(name: str, text: str) -> bool:
    allowed = BUNDLED_UNDER_EXCEPTION.get(name)
    if allowed is not None:
        bundled = re.findall(r"License: (.*)", text)
        return any("GPL" in line and line.strip() not in (allowed,) and "LGPL" not in line
                   for line in bundled)  # fmt: skip
    return bool(re.search(r"(?<!L)GPL|GNU General Public", text))


def test_goldenhour_itself_is_apache_2() -> None:
    assert "Apache-2.0" in _licence_text("goldenhour")


def test_no_runtime_dependency_is_gpl() -> None:
    dependencies = _runtime_closure("goldenhour") - {"goldenhour"}
    assert {"pygeodesy", "typer", "rich"} <= dependencies
    gpl = {name: _licence_text(name) for name in dependencies if _is_gpl(name, _licence_text(name))}
    assert gpl == {}


def test_a_bundled_gpl_component_without_the_exception_still_counts() -> None:
    text = "BSD-3-Clause\n License: GPL-3.0-or-later WITH GCC-exception-3.1\n License: GPL-2.0\n"
    assert _is_gpl("scipy", text)
    assert not _is_gpl("scipy", text.replace(" License: GPL-2.0\n", ""))
