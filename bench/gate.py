"""What a hostile group file costs the gate: `civic check` on each file of tests/hostile/reject/,
side by side with the same command on the sample portal's largest real group file (with the sample's areas and
images, so it has no problem to report).

    .venv/bin/python bench/gate.py [--runs 3]

Each check runs in its own process in a fresh copy of a small project (the repository's
mkdocs.yml settings are not needed); wall seconds are the best of --runs (Python start-up and
imports included), peak memory is the child's maximum resident set size. The goal: every file answered within 5 s and
256 MiB on a 2-core machine, never a traceback.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HOSTILE = REPO / "tests" / "hostile" / "reject"
GOAL_SECONDS, GOAL_MIB = 5.0, 256

CONFIG = """site_name: bench
site_url: https://portal.example.jp/
docs_dir: content
theme: {name: material, language: ja}
plugins:
  - civic:
      areas:
        - {slug: chuo, name: 中央地区}
        - {slug: hokubu, name: 北部地区}
        - {slug: nanbu, name: 南部地区}
        - {slug: tobu, name: 東部地区}
        - {slug: seibu, name: 西部地区}
        - {slug: kawabe, name: 川辺地区}
        - {slug: zenshi, name: 市内全域}
"""


def largest_sample_group() -> Path:
    files = [p for p in (REPO / "groups").glob("*.md") if p.name.lower() != "readme.md"]
    return max(files, key=lambda p: p.stat().st_size)


# The CLI in a child that reports its own peak resident memory when it ends.
CHILD = """
import resource, sys
from civic_portal.cli import main
try:
    code = main(sys.argv[1:])
finally:
    print("PEAK_KIB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


def measure(source: Path, runs: int) -> tuple[float, float, int, bool]:
    """(best wall seconds, peak MiB, problems printed, whether a traceback appeared)."""
    best, peak, problems, traceback = float("inf"), 0.0, 0, False
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            (root / "content").mkdir()
            (root / "groups" / "images").mkdir(parents=True)
            shutil.copyfile(source, root / "groups" / source.name)
            for image in (source.parent / "images").glob("*"):  # the baseline's logo
                shutil.copyfile(image, root / "groups" / "images" / image.name)
            (root / "mkdocs.yml").write_text(CONFIG, encoding="utf-8")
            began = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", CHILD, "check", f"groups/{source.name}"],
                cwd=root,
                capture_output=True,
                text=True,
                timeout=600,
            )
            best = min(best, time.perf_counter() - began)
            kib = [
                int(line.split()[1])
                for line in done.stderr.splitlines()
                if line.startswith("PEAK_KIB")
            ]
            peak = max(peak, kib[-1] / 1024 if kib else float("nan"))
            problems = len(done.stdout.splitlines())
            traceback = traceback or "Traceback" in done.stderr
    return best, peak, problems, traceback


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    baseline = largest_sample_group()
    rows = [("baseline: " + baseline.name, *measure(baseline, args.runs))]
    for path in sorted(HOSTILE.glob("*.md")):
        rows.append((path.name, *measure(path, args.runs)))
    base_seconds = rows[0][1]
    print(f"{'file':38} {'KB':>6} {'s':>6} {'×base':>6} {'MiB':>6} {'problems':>8}")
    failed = False
    for (name, seconds, mib, problems, traceback), size in zip(
        rows,
        [baseline.stat().st_size, *(p.stat().st_size for p in sorted(HOSTILE.glob("*.md")))],
        strict=True,
    ):
        over = seconds > GOAL_SECONDS or mib > GOAL_MIB or traceback
        failed |= over
        flag = "  TRACEBACK" if traceback else ("  OVER GOAL" if over else "")
        print(
            f"{name:38} {size / 1024:6.1f} {seconds:6.2f} {seconds / base_seconds:6.2f} "
            f"{mib:6.0f} {problems:8d}{flag}"
        )
    print(f"\ngoal: every file within {GOAL_SECONDS:.0f} s and {GOAL_MIB} MiB, no traceback: "
          + ("NOT MET" if failed else "met"))  # fmt: skip
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
