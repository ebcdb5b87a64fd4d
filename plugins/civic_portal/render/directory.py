"""The compact JSON the group directory filters with in the browser."""

from __future__ import annotations

import json

from ..model import Site


def directory_json(site: Site) -> str:
    """Compact, deterministic JSON: field/area tables once, then one short row per group.

    Rows: {"s": slug, "h": folded haystack, "f": [field index], "a": [area index], "r": 1 if
    recruiting}. Cards are already in the page; the script only decides which to show.
    """
    field_index = {f.slug: i for i, f in enumerate(site.fields)}
    area_index = {a.slug: i for i, a in enumerate(site.areas)}
    rows = []
    for g in site.active_groups:
        row: dict[str, object] = {
            "s": g.slug,
            "h": g.haystack(),
            "f": [field_index[f.slug] for f in g.fields],
        }
        if g.areas:
            row["a"] = [area_index[a.slug] for a in g.areas]
        if g.open_recruiting(site.today):
            row["r"] = 1
        rows.append(row)
    payload = {
        "fields": [f.slug for f in site.fields],
        "areas": [a.slug for a in site.areas],
        "groups": rows,
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
