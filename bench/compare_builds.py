"""Do two versions of the code build the same site? Builds the sample portal with the code of a
git revision (default: the last commit) and with the code of the working tree, from the same
sources and the same clock, and compares every file byte for byte.

    .venv/bin/python bench/compare_builds.py [--base REV] [--pdf]

Used to show that a refactoring changes no output. Exit 1 when any file differs (they are
listed), 0 when the two sites are identical.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EPOCH = "1795230000"  # 2026-11-21 12:00 JST, as the tests use

# Run MkDocs with only `plugins` of the given tree importable as civic_portal (the editable
# install of this repository would otherwise be found too).
BUILD = """
import sys
tree = sys.argv.pop(1)
sys.path = [p for p in sys.path if not p.rstrip("/").endswith("/plugins")]
sys.path.insert(0, tree + "/plugins")
from mkdocs.__main__ import cli
cli()
"""


def build(code_tree: Path, site: Path, pdf: bool) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_MKDOCS_2_WARNING": "1"}
    env["CIVIC_NEWSLETTER_PDF"] = "true" if pdf else "false"
    subprocess.run(
        [sys.executable, "-c", BUILD, str(code_tree), "build", "-q", "-f", str(REPO / "mkdocs.yml"),
         "-d", str(site)],
        check=True,
        env=env,
        cwd=REPO,
    )  # fmt: skip


def differences(a: Path, b: Path) -> list[str]:
    found = []
    compared = filecmp.dircmp(a, b)
    found += [f"only in base: {n}" for n in compared.left_only]
    found += [f"only in working tree: {n}" for n in compared.right_only]
    _, mismatch, errors = filecmp.cmpfiles(a, b, compared.common_files, shallow=False)
    found += [f"differs: {n}" for n in [*mismatch, *errors]]
    for sub in compared.common_dirs:
        found += [f"{sub}/{line}" for line in differences(a / sub, b / sub)]
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="HEAD", help="revision whose code is the baseline")
    parser.add_argument("--pdf", action="store_true", help="also build the newsletter PDFs")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="civic-compare-") as tmp:
        base_tree = Path(tmp) / "code"
        subprocess.run(
            [
                "git",
                "-C",
                str(REPO),
                "worktree",
                "add",
                "-q",
                "--detach",
                str(base_tree),
                args.base,
            ],
            check=True,
        )
        try:
            build(base_tree, Path(tmp) / "base", args.pdf)
            build(REPO, Path(tmp) / "work", args.pdf)
            found = differences(Path(tmp) / "base", Path(tmp) / "work")
            files = sum(1 for p in (Path(tmp) / "work").rglob("*") if p.is_file())
        finally:
            subprocess.run(
                ["git", "-C", str(REPO), "worktree", "remove", "--force", str(base_tree)],
                check=False,
            )
    if found:
        print(f"{len(found)} differences between {args.base} and the working tree:")
        print("\n".join(found))
        return 1
    print(
        f"identical: the sample portal built by {args.base} and by the working tree ({files} files)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
