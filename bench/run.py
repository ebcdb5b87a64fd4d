"""Build-cost and search-transfer benchmark: the civic portal vs. a plain mkdocs-material site.

Usage: .venv/bin/python bench/run.py [--sizes 200 1000 3000] [--out bench/out] [--events-per-group 5]
See bench/README.md for what each figure means. The work is done by generate.py (the groups and
projects), measure.py (builds and figures) and report.py (the table and results.json).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from generate import REPO  # bench/ is a folder of scripts: this one's folder is on sys.path
from measure import bench_size
from report import print_table, write_results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000, 3000])
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    parser.add_argument(
        "--events-per-group",
        type=float,
        default=0,
        metavar="FLOAT",
        help="events per group on average, 20 %% of them recurring (ours only; default 0: none)",
    )
    args = parser.parse_args()
    if args.events_per_group < 0:
        parser.error("--events-per-group must be 0 or more")
    args.out.mkdir(parents=True, exist_ok=True)
    results = []
    for n in args.sizes:
        results.append(bench_size(n, args.events_per_group))
        path = write_results(results, args.out)  # after each N: a cut-short run keeps its results
    print()
    print_table(results)
    print(f"\nresults: {path}")


if __name__ == "__main__":
    main()
