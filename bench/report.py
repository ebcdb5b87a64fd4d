"""The benchmark's report: the fixed-width table of run.py's figures (ours, plain mkdocs-material
in its best configuration, and plain with the automatic navigation), ours' growth with N, the
goals of issue 15, and <out>/results.json.

Imported by run.py and page_weight.py; bench/ is a folder of scripts, not a package.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

from generate import QUERIES


def kb(n: int) -> str:
    return f"{n / 1024:.1f}"


# (key in results.json, column label): ours, then plain mkdocs-material in its best configuration
# (the baseline), then plain with MkDocs' automatic navigation (when run.py built it).
COLUMNS = (("ours", "ours"), ("baseline", "plain"), ("baseline_auto_nav", "plain, auto nav"))
MB = 1000 * 1000
MIB = 1024 * 1024
# Issue 15's goals (MB and GB as written there, decimal; the table shows MiB).
RATIO_GOAL = 1.25
QUERY_GOAL_KB = 300
EDIT_GOAL_S = 10.0
SIZE_GOALS = {3000: (None, 600 * MB), 10000: (15 * 60, 2000 * MB)}  # N: (seconds, tree bytes)


def columns(r: dict[str, Any]) -> list[str]:
    return [key for key, _ in COLUMNS if key in r]


def table_rows(r: dict[str, Any]) -> list[tuple[str, ...]]:
    """(label, ours, plain[, plain auto nav]) for one N."""
    keys = columns(r)
    sites = [r[k] for k in keys]
    blank = [""] * (len(keys) - 1)

    def each(fmt: Any) -> list[str]:
        return [fmt(s) for s in sites]

    def ours_only(text: str) -> tuple[str, ...]:
        return (text, *blank)

    def per_1000(s: dict[str, Any], key: str, digits: int) -> str:
        value = s.get(key)
        return "" if value is None else f"{value:.{digits}f}"

    o = r["ours"]
    rows: list[tuple[str, ...]] = [
        ("build wall (s)", *each(lambda s: f"{s['seconds']:.1f}")),
        ("peak memory, process tree (MiB)", *each(lambda s: f"{s['peak_tree_mib']:.0f}")),
        ("peak RSS, largest process (MiB)", *each(lambda s: f"{s['peak_rss_mib']:.0f}")),
        ("HTML pages", *each(lambda s: str(s["html_pages"]))),
        ("ms per HTML page", *each(lambda s: f"{s['ms_per_page']:.1f}")),
        ("s per 1,000 groups", *each(lambda s: per_1000(s, "seconds_per_1000_groups", 1))),
        ("tree MiB per 1,000 groups", *each(lambda s: per_1000(s, "tree_mib_per_1000_groups", 0))),
        (f"per-page ratio vs plain (<={RATIO_GOAL})", *ours_only(f"{r['per_page_ratio']:.2f}x")),
    ]
    if "per_page_ratio_auto_nav" in r:
        rows.append(
            (
                "per-page ratio vs plain, auto nav",
                *ours_only(f"{r['per_page_ratio_auto_nav']:.2f}x"),
            )
        )
    rows += [
        ("one group page (KB)", *each(lambda s: kb(s["group_page_bytes"]))),
        (
            "groups/index.json KB raw/gz",
            *ours_only(f"{kb(o['groups_index_json']['raw'])}/{kb(o['groups_index_json']['gzip'])}"),
        ),
        (
            "groups/index.html KB raw/gz",
            *ours_only(f"{kb(o['groups_index_html']['raw'])}/{kb(o['groups_index_html']['gzip'])}"),
        ),
        (
            "search index KB raw/gz",
            kb(o["pagefind_bytes"]),
            *(
                f"{kb(s['search_index_json']['raw'])}/{kb(s['search_index_json']['gzip'])}"
                for s in sites[1:]
            ),
        ),
    ]
    for q in QUERIES:
        found = (o["queries"] or {}).get(q)
        first = q == QUERIES[0]  # Material downloads the whole index once, whatever the query
        rows.append(
            (
                f"「{q}」 KB raw",
                kb(found["bytes"]) if found else "skipped",
                *(kb(s["search_index_json"]["raw"]) if first else "" for s in sites[1:]),
            )
        )
        rows.append(
            (
                f"「{q}」 KB gzip-served (<={QUERY_GOAL_KB})",
                kb(found["served_bytes"]) if found else "skipped",
                *(kb(s["search_index_json"]["gzip"]) if first else "" for s in sites[1:]),
            )
        )
        rows.append(
            (
                f"「{q}」 results/truth",
                *ours_only(f"{found['results']}/{r['truth'][q]}" if found else "skipped"),
            )
        )
    if "events" in o:
        e = o["events"]

        def raw_gz(sizes: dict[str, Any]) -> str:
            return f"{kb(sizes['raw'])}/{kb(sizes['gzip'])}"

        rows += [
            ("events total/recurring", *ours_only(f"{e['total']}/{e['recurring']}")),
            ("groups with events", *ours_only(str(e["groups_with_events"]))),
            ("event occurrences (csv rows)", *ours_only(str(e["occurrences"]))),
            ("HTML pages under events/", *ours_only(str(e["html_pages"]))),
            ("largest month page KB raw/gz", *ours_only(raw_gz(e["largest_month_page"]))),
            ("events/index.html KB raw/gz", *ours_only(raw_gz(e["events_index_html"]))),
            ("events.ics KB raw/gz", *ours_only(raw_gz(e["events_ics"]))),
            ("largest group events.ics KB raw/gz", *ours_only(raw_gz(e["largest_group_ics"]))),
            ("opendata/events.csv KB raw/gz", *ours_only(raw_gz(e["opendata_csv"]))),
        ]
    if "edit_loop" in r:
        loop = r["edit_loop"]
        failed = "error" in loop
        runs = " ".join(edit_seconds(x["seconds"]) for x in loop.get("edits", []))
        first_build = "" if failed else edit_seconds(loop.get("first_build_seconds"))
        rows += [
            (
                f"edit loop median s (<={EDIT_GOAL_S:.0f})",
                *ours_only("failed" if failed else edit_seconds(loop.get("median_seconds"))),
            ),
            ("edit loop runs (s)", *ours_only(runs)),
            ("serve first build (s)", *ours_only(first_build)),
            (
                "serve peak tree memory (MiB)",
                *ours_only("" if failed else f"{loop.get('serve_peak_tree_mib', 0):.0f}"),
            ),
        ]
    return rows


def edit_seconds(value: float | None) -> str:
    return "timeout" if value is None else f"{value:.1f}"


def edit_error(loop: dict[str, Any]) -> str:
    """The line of a failed edit loop's message that says why (MkDocs' ERROR line, if any)."""
    lines = loop["error"].splitlines() or [""]
    at = next((i for i, line in enumerate(lines) if "ERROR" in line), 0)
    why = " ".join(line.replace("ERROR", "").strip(" -") for line in lines[at : at + 2])
    return "failed: " + why[:120]


def shown_width(text: str) -> int:
    """Display width in a terminal: full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int) -> str:
    """Left-justify by display width (full-width characters count 2)."""
    return text + " " * max(0, width - shown_width(text))


def print_table(results: list[dict[str, Any]]) -> None:
    """Every figure, side by side: per N, ours, plain and (if built) plain with auto nav."""
    per_size = [{row[0]: row[1:] for row in table_rows(r)} for r in results]
    order: list[str] = []  # every N's rows, in their order (the edit loop may be at some N only)
    for rows in per_size:
        at = 0
        for label in rows:
            if label in order:
                at = order.index(label) + 1
            else:
                order.insert(at, label)
                at += 1
    names = dict(COLUMNS)
    header = ["metric"] + [f"N={r['n']} {names[k]}" for r in results for k in columns(r)]
    body = [
        [label]
        + [
            cell
            for r, rows in zip(results, per_size, strict=True)
            for cell in rows.get(label, ("",) * len(columns(r)))
        ]
        for label in order
    ]
    print_fixed(header, body)


def print_fixed(header: list[str], body: list[list[str]], first: int = 36) -> None:
    widths = [max(len(h), 8, *(len(row[i]) for row in body)) for i, h in enumerate(header)]
    widths[0] = max(first, *(shown_width(row[0]) for row in body))
    for line in [header, ["-" * w for w in widths], *body]:
        print(
            "  ".join(
                pad(c, w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(line, widths, strict=True))
            ).rstrip()
        )


# -- growth with N, and the goals of issue 15 ------------------------------------------------------


def add_growth(results: list[dict[str, Any]]) -> None:
    """Give each N a `growth` object: ours' figures per 1,000 groups and, from the next smaller N
    of the run, the increase per 1,000 more groups (what the fixed cost does not blur)."""
    previous: dict[str, Any] | None = None
    for r in sorted(results, key=lambda r: r["n"]):
        o = r["ours"]
        growth: dict[str, Any] = {
            "seconds_per_1000_groups": o.get("seconds_per_1000_groups"),
            "tree_mib_per_1000_groups": o.get("tree_mib_per_1000_groups"),
            "pages_per_group": round(o["html_pages"] / r["n"], 2) if r["n"] else None,
        }
        if previous is not None and r["n"] > previous["n"]:
            step, p = (r["n"] - previous["n"]) / 1000, previous["ours"]
            growth |= {
                "from_n": previous["n"],
                "added_seconds_per_1000_groups": round((o["seconds"] - p["seconds"]) / step, 2),
                "added_tree_mib_per_1000_groups": round(
                    (o["peak_tree_mib"] - p["peak_tree_mib"]) / step, 1
                ),
                "added_pages_per_1000_groups": round((o["html_pages"] - p["html_pages"]) / step),
            }
        r["growth"] = growth
        previous = r


def print_growth(results: list[dict[str, Any]]) -> None:
    """Ours per N: seconds, pages and peak tree memory, and how each grows with N."""
    header = [
        "N",
        "build s",
        "HTML pages",
        "ms/page",
        "tree MiB",
        "s/1k groups",
        "MiB/1k groups",
        "from N",
        "+s/1k groups",
        "+MiB/1k groups",
        "+pages/1k",
        "plain s",
        "plain s/1k",
    ]
    body = []
    for r in sorted(results, key=lambda r: r["n"]):
        o, b, g = r["ours"], r["baseline"], r.get("growth", {})

        def cell(value: Any, digits: int = 1) -> str:
            return "" if value is None else f"{value:,.{digits}f}"

        body.append(
            [
                f"{r['n']:,}",
                cell(o["seconds"]),
                f"{o['html_pages']:,}",
                cell(o["ms_per_page"]),
                cell(o["peak_tree_mib"], 0),
                cell(g.get("seconds_per_1000_groups")),
                cell(g.get("tree_mib_per_1000_groups"), 0),
                f"{g['from_n']:,}" if "from_n" in g else "",
                cell(g.get("added_seconds_per_1000_groups")),
                cell(g.get("added_tree_mib_per_1000_groups"), 0),
                cell(g.get("added_pages_per_1000_groups"), 0),
                cell(b["seconds"]),
                cell(b.get("seconds_per_1000_groups")),
            ]
        )
    print("Growth of ours with N (s/1k, MiB/1k: per 1,000 groups; +…: added per 1,000 groups")
    print("from the next smaller N of this run; plain: the best-configuration baseline)\n")
    print_fixed(header, body, first=6)


def goal_checks(results: list[dict[str, Any]]) -> list[tuple[str, str, bool]]:
    """(goal, measured, met) for every goal of issue 15 that this run measured."""
    checks: list[tuple[str, str, bool]] = []
    for r in sorted(results, key=lambda r: r["n"]):
        n, o = r["n"], r["ours"]
        events = o.get("events")
        what = f"N={n:,}" + (f", {events['total']:,} events" if events else "")
        checks.append(
            (
                f"{what}: ms per page <= {RATIO_GOAL}x plain (best config)",
                f"{r['per_page_ratio']:.2f}x ({o['ms_per_page']:.1f} / "
                f"{r['baseline']['ms_per_page']:.1f} ms)",
                r["per_page_ratio"] <= RATIO_GOAL,
            )
        )
        seconds_goal, memory_goal = SIZE_GOALS.get(n, (None, None))
        if seconds_goal is not None:
            checks.append(
                (
                    f"{what}: build <= {seconds_goal / 60:.0f} min",
                    f"{o['seconds']:.0f} s",
                    o["seconds"] <= seconds_goal,
                )
            )
        if memory_goal is not None:
            tree = o["peak_tree_mib"] * MIB
            checks.append(
                (
                    f"{what}: peak tree memory <= {memory_goal / MB:,.0f} MB",
                    f"{tree / MB:,.0f} MB ({o['peak_tree_mib']:,.0f} MiB)",
                    tree <= memory_goal,
                )
            )
        for q in QUERIES:
            found = (o["queries"] or {}).get(q)
            if found is None:
                continue
            exact = found["results"] == r["truth"][q]
            checks.append(
                (
                    f"{what}: 「{q}」 results exact",
                    f"{found['results']}/{r['truth'][q]}",
                    exact,
                )
            )
            if n == 3000:
                checks.append(
                    (
                        f"{what}: 「{q}」 transfer <= {QUERY_GOAL_KB} KB (gzip-served)",
                        f"{kb(found['served_bytes'])} KB",
                        found["served_bytes"] <= QUERY_GOAL_KB * 1024,
                    )
                )
        if "edit_loop" in r:
            median = r["edit_loop"].get("median_seconds")
            checks.append(
                (
                    f"{what}: edit shown in browser <= {EDIT_GOAL_S:.0f} s (mkdocs serve)",
                    edit_error(r["edit_loop"])
                    if "error" in r["edit_loop"]
                    else f"median {edit_seconds(median)} s",
                    median is not None and median <= EDIT_GOAL_S,
                )
            )
    sizes = {r["n"]: r["ours"]["group_page_bytes"] for r in results}
    if len(sizes) > 1:
        low, high = min(sizes.values()), max(sizes.values())
        checks.append(
            (
                "one group page the same size at every N (within 2 %)",
                " / ".join(f"{kb(v)} KB" for _, v in sorted(sizes.items())),
                high <= low * 1.02,
            )
        )
    return checks


def print_goals(results: list[dict[str, Any]]) -> None:
    checks = goal_checks(results)
    width = max(shown_width(c[0]) for c in checks)
    print("Goals of issue 15 measured in this run (MB = 1,000,000 bytes, as the issue writes it)\n")
    for goal, measured, met in checks:
        print(f"{'pass' if met else 'FAIL'}  {pad(goal, width)}  {measured}")


def write_results(results: list[dict[str, Any]], out: Path) -> Path:
    """Write `results` (one object per N) to <out>/results.json; its path."""
    path = out / "results.json"
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2), "utf-8")
    return path
