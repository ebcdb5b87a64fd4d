"""The package reads bottom to top: no import runs back up a floor, and only the MkDocs adapter
(plugin.py, config.py, cli.py) imports MkDocs or Material. Read from the source with `ast`, so a
function-level import counts as much as one at the top of a module."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..conftest import imports_of

PACKAGE = Path(__file__).resolve().parents[2] / "plugins" / "civic_portal"

# Floors from the ground up. A module may import its own floor and the floors below it; load and
# render share a floor but may not import each other (checked separately below).
FLOORS: dict[str, int] = {
    "urls": 0,
    "kana": 0,
    "jdate": 0,
    "clock": 0,
    "links": 0,
    "background": 0,
    "model": 1,
    "schedule": 2,
    "load": 3,
    "render": 3,
    "owners": 4,
    "scaffold": 4,
    "importer": 4,
    "pages": 4,
    "outputs": 5,
    "config": 6,
    "plugin": 7,
    "cli": 7,
}
ADAPTER = {"plugin", "config", "cli"}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _unit(path: Path) -> str:
    """The floor a module belongs to: its top-level module or subpackage name."""
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def _imports(path: Path, text: str | None = None) -> list[tuple[int, str]]:
    """(line, absolute dotted name) of everything `path` (or `text` as if it were `path`) imports;
    `from .. import urls` counts as civic_portal.urls."""
    package = ["civic_portal", *path.relative_to(PACKAGE).parent.parts]
    found: list[tuple[int, str]] = []
    for line, base, names in imports_of(path, package, text):
        is_package = base in ("civic_portal", *(f"civic_portal.{p}" for p in FLOORS))
        found += [(line, f"{base}.{n}") for n in names] if is_package and names else [(line, base)]
    return found


def _target_unit(name: str) -> str | None:
    parts = name.split(".")
    if parts[0] != "civic_portal" or len(parts) < 2:
        return None
    return parts[1]


def test_every_module_has_a_floor() -> None:
    assert {_unit(p) for p in _modules()} <= set(FLOORS), "add the new module to FLOORS"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_import_runs_back_up(path: Path) -> None:
    mine = _unit(path)
    for line, name in _imports(path):
        target = _target_unit(name)
        if target is None or target == mine:
            continue
        assert FLOORS[target] <= FLOORS[mine], f"{path.name}:{line} imports {name}"
        assert {mine, target} != {"load", "render"}, f"{path.name}:{line} imports {name}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_adapter_imports_mkdocs(path: Path) -> None:
    if _unit(path) in ADAPTER:
        return
    for line, name in _imports(path):
        root = name.split(".")[0]
        assert root not in ("mkdocs", "material"), f"{path.name}:{line} imports {name}"


def test_the_checks_would_catch_a_wrong_import() -> None:
    """Relative imports are read for what they are (a test that cannot fail is no test)."""
    text = (
        "from ..pages import urls\nfrom .. import outputs\nfrom mkdocs.plugins import BasePlugin\n"
    )
    found = [name for _, name in _imports(PACKAGE / "render" / "ical.py", text)]
    assert found == ["civic_portal.pages.urls", "civic_portal.outputs", "mkdocs.plugins"]
    assert FLOORS[_target_unit(found[0]) or ""] > FLOORS["render"]
