"""The tests' own layout, read from the source with `ast` (a function-level import counts too):

- no test module imports another test module: what several share lives in tests/conftest.py
  (and the browser tests' server and Chromium in tests/browser/browser_support.py);
- no test imports bench/ (a folder of scripts; tests run them as programs);
- only tests import the tests' helpers: nothing in plugins/ or bench/ imports tests;
- the tests that drive Chromium are in tests/browser/, and tests/unit/ builds no site and starts
  no process.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from ..conftest import imports_of

TESTS = Path(__file__).resolve().parent.parent
REPO = TESTS.parent
BENCH_SCRIPTS = {p.stem for p in (REPO / "bench").glob("*.py")}
# What a unit test may not use: a site build, a child process, a browser.
NOT_IN_UNIT = {"mkdocs", "subprocess", "playwright"}
BUILDING_HELPERS = {"build_project", "run_civic", "make_site", "sample_site", "Built"}


def _python_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if "__pycache__" not in p.parts)


def _imports(path: Path, text: str | None = None) -> list[tuple[int, str]]:
    """(line, absolute dotted name) of every module `path` (or `text` as if it were at `path`)
    imports; `from package import name` also lists package.name, which may be a module."""
    package = path.relative_to(REPO).parent.parts
    found: list[tuple[int, str]] = []
    for line, base, names in imports_of(path, package, text):
        found.append((line, base))
        if names and REPO.joinpath(*base.split(".")).is_dir():  # a package: names may be modules
            found += [(line, f"{base}.{name}") for name in names]
    return found


def _imported_names(path: Path, text: str | None = None) -> set[str]:
    """The names a module takes with `from ... import name`."""
    tree = ast.parse(text if text is not None else path.read_text(encoding="utf-8"))
    return {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}


def _wrong(name: str) -> str | None:
    """Why a test module may not import `name`, or None."""
    parts = name.split(".")
    if parts[0] == "bench" or parts[0] in BENCH_SCRIPTS:
        return "bench/ is a folder of scripts: run them, do not import them"
    if parts[0].startswith("test_") or (
        parts[0] == "tests" and any(p.startswith("test_") for p in parts[1:])
    ):
        return "a test module imports another: move what they share into tests/conftest.py"
    return None


def _test_modules() -> list[Path]:
    return [p for p in _python_files(TESTS) if p.name.startswith("test_")]


def _rel(path: Path) -> str:
    return str(path.relative_to(REPO))


@pytest.mark.parametrize("path", _python_files(TESTS), ids=_rel)
def test_no_test_module_imports_another_or_bench(path: Path) -> None:
    for line, name in _imports(path):
        problem = _wrong(name)
        assert problem is None, f"{_rel(path)}:{line} imports {name}: {problem}"


@pytest.mark.parametrize(
    "path", _python_files(REPO / "plugins") + _python_files(REPO / "bench"), ids=_rel
)
def test_only_tests_import_the_test_helpers(path: Path) -> None:
    for line, name in _imports(path):
        assert name.split(".")[0] not in ("tests", "conftest"), f"{_rel(path)}:{line}: {name}"


def test_every_test_folder_is_a_package() -> None:
    """Test modules import their helpers relatively (from ..conftest import ...)."""
    for path in _python_files(TESTS):
        assert (path.parent / "__init__.py").is_file(), f"{_rel(path.parent)} needs __init__.py"


@pytest.mark.parametrize("path", _test_modules(), ids=_rel)
def test_only_browser_tests_drive_a_browser(path: Path) -> None:
    if path.parent == TESTS / "browser":
        return
    for line, name in _imports(path):
        assert name.split(".")[0] != "playwright", f"{_rel(path)}:{line}: move it to tests/browser/"
        assert not name.startswith("tests.browser"), f"{_rel(path)}:{line}: {name}"


@pytest.mark.parametrize("path", _python_files(TESTS / "unit"), ids=_rel)
def test_unit_tests_build_nothing(path: Path) -> None:
    for line, name in _imports(path):
        assert name.split(".")[0] not in NOT_IN_UNIT, f"{_rel(path)}:{line} imports {name}"
    helpers = _imported_names(path) & BUILDING_HELPERS
    assert not helpers, f"{_rel(path)} uses {sorted(helpers)}: that is an integration test"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            fixtures = {a.arg for a in node.args.args} & BUILDING_HELPERS
            assert not fixtures, f"{_rel(path)}:{node.lineno} {node.name} uses {fixtures}"


@pytest.mark.parametrize(
    "text",
    [
        "from .test_validation import VOCABULARY\n",
        "from . import test_news\n",
        "from .. import test_news\n",
        "from ..test_events import SALON\n",
        "import tests.test_news\n",
        "from tests import test_news\n",
        "from tests.unit.test_ical import SALON\n",
        "def f():\n    from .test_owners import BASE\n",
        "import test_news\n",
        "import bench.generate\n",
        "from bench import generate\n",
        "from bench.measure import main\n",
        "import generate\n",  # bench/ put on sys.path
    ],
)
def test_the_check_catches_each_way_of_writing_it(text: str) -> None:
    """A check that cannot fail is no check: each spelling of a forbidden import is caught."""
    here = TESTS / "unit" / "test_example.py"
    assert any(_wrong(name) for _, name in _imports(here, text)), _imports(here, text)


@pytest.mark.parametrize(
    "text",
    [
        "from ..conftest import PNG, make_group\n",
        "from .browser_support import page\n",
        "from civic_portal.render.ical import calendar_ics\n",
        "import feedparser\nfrom pathlib import Path\n",
        "from .conftest import test_data\n",  # a name in conftest, not a module
    ],
)
def test_the_check_lets_helpers_through(text: str) -> None:
    here = TESTS / "unit" / "test_example.py"
    assert [name for _, name in _imports(here, text) if _wrong(name)] == []
