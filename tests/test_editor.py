"""The editor checks (remark + the generated JSON Schema) flag what civic check flags."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import REPO

NPX = shutil.which("npx")
READY = NPX is not None and (REPO / "node_modules" / "remark-lint-frontmatter-schema").is_dir()
if not READY and os.environ.get("CI") == "true":
    raise RuntimeError("editor checks cannot run under CI: run `npm ci` (see .ci/run)")
pytestmark = pytest.mark.skipif(
    not READY,
    reason="EDITOR CHECKS SKIPPED: run `npm ci` (Node.js packages for the remark editor check)",
)


def test_remark_flags_a_bad_group_file_and_passes_the_sample(tmp_path: Path) -> None:
    for name in ("package.json", ".remarkrc.mjs"):
        shutil.copy(REPO / name, tmp_path / name)
    (tmp_path / "node_modules").symlink_to(REPO / "node_modules")
    (tmp_path / "groups").mkdir()
    shutil.copy(REPO / "groups/group.schema.json", tmp_path / "groups")
    shutil.copy(REPO / "groups/hidamari-salon.md", tmp_path / "groups")
    good = _remark(tmp_path)
    assert good.returncode == 0, good.stderr
    (tmp_path / "groups/bad-group.md").write_text(
        "---\nname: x\nkana: えっくす\nsumary: typo\nfields: [子育て]\n---\n本文\n"
    )
    bad = _remark(tmp_path)
    assert bad.returncode != 0
    assert "groups/bad-group.md" in bad.stderr and "additional properties" in bad.stderr
    assert "5:" in bad.stderr  # the line of the field that is not in the list


def _remark(folder: Path) -> subprocess.CompletedProcess[str]:
    """Run remark over groups/ as the VS Code extension would (same engine, same config)."""
    command = [NPX or "npx", "remark", "groups/", "--quiet", "--frail", "--no-color"]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=120)
