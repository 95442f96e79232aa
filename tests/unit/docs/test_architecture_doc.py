"""docs/architecture.md names files, modules and functions that exist, and the real contracts."""

from __future__ import annotations

import importlib
import re
import tomllib
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
DOC = ROOT / "docs" / "architecture.md"
#: Where the code the document names lives; paths in it are relative to one of these.
CODE = (ROOT / "src" / "goldenhour", ROOT / "web" / "src", ROOT / "tests", ROOT / "scripts")
#: The first part of a dotted name that makes it a module path under ``goldenhour``.
PACKAGES = frozenset(
    {"goldenhour", "domain", "services", "adapters", "planning", "simulation", "api", "cli"}
)
_FILE = re.compile(r"\.(py|ts|tsx|md|yaml|toml)$")


def _spans() -> list[str]:
    """Return every inline code span outside fenced blocks (diagrams), its spaces collapsed."""
    text = re.sub(r"^```.*?^```", "", DOC.read_text(encoding="utf-8"), flags=re.S | re.M)
    return [" ".join(span.split()) for span in re.findall(r"`([^`]+)`", text) if span.strip()]


@cache
def _known_paths() -> frozenset[str]:
    paths: set[str] = set()
    for base in (ROOT, *CODE):
        for found in base.rglob("*"):
            if "node_modules" in found.parts or "__pycache__" in found.parts:
                continue
            paths.add(found.relative_to(base).as_posix())
    return frozenset(paths)


@cache
def _code_words() -> frozenset[str]:
    words: set[str] = set()
    for base in CODE:
        for found in base.rglob("*"):
            if found.suffix in {".py", ".ts", ".tsx"} and "node_modules" not in found.parts:
                words.update(re.findall(r"\w+", found.read_text(encoding="utf-8")))
    return frozenset(words)


def _resolves(dotted: str) -> bool:
    """Say whether ``dotted`` (``goldenhour.`` optional) is a module or an attribute of one."""
    parts = dotted.removesuffix(".**").split(".")
    if parts[0] != "goldenhour":
        parts.insert(0, "goldenhour")
    for cut in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for name in parts[cut:]:
            if not hasattr(found, name):
                return False
            found = getattr(found, name)
        return True
    return False


def _lead(span: str) -> str:
    """Return the name or path a span starts with (``emit("x")`` names ``emit``)."""
    found = re.match(r"[\w./*-]*", span)
    return found.group(0) if found else ""


def _is_path(lead: str) -> bool:
    """Say whether a span's lead is a path in the repository (``/api/...`` is a URL)."""
    return not lead.startswith("/") and ("/" in lead or bool(_FILE.search(lead)))


def _module_names(span: str) -> list[str]:
    """Return the dotted names under our packages a span holds (both sides of ``a -> b``)."""
    sides = [_lead(side) for side in re.split(r"\s*->\s*", span)] if "->" in span else [_lead(span)]
    return [
        side for side in sides
        if re.fullmatch(r"[A-Za-z_]\w*(\.(\w+|\*\*))+", side) and side.split(".")[0] in PACKAGES
    ]  # fmt: skip


def _code_name(span: str) -> str | None:
    """Return the identifier a span names, if it looks like code (snake, camel or dotted)."""
    lead = _lead(span).rstrip(".")
    if not re.fullmatch(r"[\w.]+", lead) or _is_path(lead) or lead.split(".")[0] in PACKAGES:
        return None
    if "_" in lead or "." in lead or re.search(r"[a-z][A-Z]", lead):
        return lead.split(".")[-1]
    return None


SPANS = _spans()
PATHS = sorted({_lead(span) for span in SPANS if _is_path(_lead(span))})
MODULE_NAMES = sorted({name for span in SPANS for name in _module_names(span)})
CODE_NAMES = sorted({name for span in SPANS if (name := _code_name(span))})


def test_the_document_names_many_things() -> None:
    assert len(PATHS) > 30 and len(MODULE_NAMES) > 30 and len(CODE_NAMES) > 50


@pytest.mark.parametrize("path", PATHS)
def test_every_path_named_exists(path: str) -> None:
    wanted = path.removeprefix("./").rstrip("/")
    assert any(known == wanted or known.endswith("/" + wanted) for known in _known_paths()), path


@pytest.mark.parametrize("name", MODULE_NAMES)
def test_every_module_or_function_named_resolves(name: str) -> None:
    assert _resolves(name), f"{name} is not a module or attribute under goldenhour"


@pytest.mark.parametrize("name", CODE_NAMES)
def test_every_other_code_name_occurs_in_the_code(name: str) -> None:
    assert name in _code_words(), f"{name} occurs nowhere in src, web/src, tests or scripts"


def test_the_contracts_are_quoted_by_their_names() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    names = [contract["name"] for contract in config["tool"]["importlinter"]["contracts"]]
    text = DOC.read_text(encoding="utf-8")
    assert names and all(f"**{name}**" in text for name in names), names


def _slug(heading: str) -> str:
    """Return the anchor GitHub gives a heading: lower case, punctuation dropped, spaces as -."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_every_link_leads_somewhere() -> None:
    text = DOC.read_text(encoding="utf-8")
    anchors = {_slug(line.lstrip("#")) for line in text.splitlines() if line.startswith("#")}
    links = re.findall(r"\]\(([^)]+)\)", text)
    assert links
    for link in links:
        if link.startswith("#"):
            assert link[1:] in anchors, link
        elif not link.startswith("http"):
            assert (DOC.parent / link.split("#")[0]).exists(), link
