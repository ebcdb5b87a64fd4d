"""Build-cost and search-transfer benchmark: the civic portal vs. a plain mkdocs-material site.

Usage: .venv/bin/python bench/run.py [--sizes 200 1000 3000] [--out bench/out]
           [--events-per-group 5 [--events-share 0.25]] [--no-auto-nav] [--edit-loop [N ...]]
See bench/README.md for what each figure means. The work is done by generate.py (the groups and
projects), measure.py (builds and figures), serve_edit.py (the `mkdocs serve` edit loop) and
report.py (the tables and results.json).
"""

from __future__ import annotations

import argparse
from pathlib import Path

# bench/ is a folder of scripts: this one's folder is on sys.path
from generate import REPO, add_event_options, check_event_options
from measure import bench_size
from report import add_growth, print_goals, print_growth, print_table, write_results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000, 3000])
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    add_event_options(parser)  # the events are ours only: plain Material has none
    parser.add_argument(
        "--no-auto-nav",
        action="store_true",
        help="skip the plain baseline with MkDocs' automatic navigation (minutes at N=3000, "
        "hours at N=10000); the best-configuration baseline is always built",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        metavar="R",
        help="build each site R times and keep the fastest (this machine's speed varies from run "
        "to run, the plain baseline's by 5.7-8.1 s at N=1000)",
    )
    parser.add_argument(
        "--edit-loop",
        type=int,
        nargs="*",
        default=None,
        metavar="N",
        help="also measure the `mkdocs serve` edit loop on ours (serve_edit.py) at these N "
        "(each must be in --sizes; no N: at every size)",
    )
    args = parser.parse_args()
    check_event_options(parser, args)
    if args.repeat < 1:
        parser.error("--repeat must be 1 or more")
    if any(n < 1 for n in args.sizes):
        parser.error("--sizes must be 1 or more")
    edit_sizes = set(args.sizes if args.edit_loop == [] else args.edit_loop or [])
    if edit_sizes - set(args.sizes):
        parser.error(f"--edit-loop sizes not in --sizes: {sorted(edit_sizes - set(args.sizes))}")
    args.out.mkdir(parents=True, exist_ok=True)
    results = []
    for n in args.sizes:
        results.append(
            bench_size(
                n,
                args.events_per_group,
                args.events_share,
                auto_nav=not args.no_auto_nav,
                edit_loop=n in edit_sizes,
                repeat=args.repeat,
            )
        )
        add_growth(results)
        path = write_results(results, args.out)  # after each N: a cut-short run keeps its results
    print()
    print_table(results)
    print()
    print_growth(results)
    print()
    print_goals(results)
    print(f"\nresults: {path}")


if __name__ == "__main__":
    main()
