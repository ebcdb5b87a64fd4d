"""The benchmark's report: the fixed-width table of run.py's figures, and <out>/results.json.

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


def table_rows(r: dict[str, Any]) -> list[tuple[str, str, str]]:
    o, b = r["ours"], r["baseline"]
    rows = [
        ("build wall (s)", f"{o['seconds']:.1f}", f"{b['seconds']:.1f}"),
        ("peak RSS (MiB)", f"{o['peak_rss_mib']:.0f}", f"{b['peak_rss_mib']:.0f}"),
        ("HTML pages", str(o["html_pages"]), str(b["html_pages"])),
        ("ms per HTML page", f"{o['ms_per_page']:.1f}", f"{b['ms_per_page']:.1f}"),
        ("per-page ratio (goal <=1.25)", f"{r['per_page_ratio']:.2f}x", ""),
        ("one group page (KB)", kb(o["group_page_bytes"]), kb(b["group_page_bytes"])),
        (
            "groups/index.json KB raw/gz",
            f"{kb(o['groups_index_json']['raw'])}/{kb(o['groups_index_json']['gzip'])}",
            "",
        ),
        (
            "groups/index.html KB raw/gz",
            f"{kb(o['groups_index_html']['raw'])}/{kb(o['groups_index_html']['gzip'])}",
            "",
        ),
        (
            "search index KB raw/gz",
            kb(o["pagefind_bytes"]),
            f"{kb(b['search_index_json']['raw'])}/{kb(b['search_index_json']['gzip'])}",
        ),
    ]
    for q in QUERIES:
        found = (o["queries"] or {}).get(q)
        base = kb(b["search_index_json"]["raw"]) if q == QUERIES[0] else ""
        rows.append((f"「{q}」 KB raw", kb(found["bytes"]) if found else "skipped", base))
        base_gz = kb(b["search_index_json"]["gzip"]) if q == QUERIES[0] else ""
        rows.append(
            (
                f"「{q}」 KB gzip-served (<=300)",
                kb(found["served_bytes"]) if found else "skipped",
                base_gz,
            )
        )
        rows.append(
            (
                f"「{q}」 results/truth",
                f"{found['results']}/{r['truth'][q]}" if found else "skipped",
                "",
            )
        )
    if "events" in o:
        e = o["events"]

        def raw_gz(sizes: dict[str, Any]) -> str:
            return f"{kb(sizes['raw'])}/{kb(sizes['gzip'])}"

        rows += [
            ("events total/recurring", f"{e['total']}/{e['recurring']}", ""),
            ("event occurrences (csv rows)", str(e["occurrences"]), ""),
            ("HTML pages under events/", str(e["html_pages"]), ""),
            ("largest month page KB raw/gz", raw_gz(e["largest_month_page"]), ""),
            ("events/index.html KB raw/gz", raw_gz(e["events_index_html"]), ""),
            ("events.ics KB raw/gz", raw_gz(e["events_ics"]), ""),
            ("largest group events.ics KB raw/gz", raw_gz(e["largest_group_ics"]), ""),
            ("opendata/events.csv KB raw/gz", raw_gz(e["opendata_csv"]), ""),
        ]
    return rows


def pad(text: str, width: int) -> str:
    """Left-justify by display width (full-width characters count 2)."""
    shown = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - shown)


def print_table(results: list[dict[str, Any]]) -> None:
    per_size = [table_rows(r) for r in results]
    header = ["metric"] + [f"N={r['n']} {side}" for r in results for side in ("ours", "base")]
    body = [
        [label] + [cell for rows in per_size for cell in rows[i][1:]]
        for i, (label, *_) in enumerate(per_size[0])
    ]
    widths = [max(len(h), 14, *(len(row[i]) for row in body)) for i, h in enumerate(header)]
    widths[0] = 36
    for line in [header, ["-" * w for w in widths], *body]:
        print(
            "  ".join(
                pad(c, w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(line, widths, strict=True))
            ).rstrip()
        )


def write_results(results: list[dict[str, Any]], out: Path) -> Path:
    """Write `results` (one object per N) to <out>/results.json; its path."""
    path = out / "results.json"
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2), "utf-8")
    return path
