"""Generated pages: which exist, which template renders each, and what each template is given."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..kana import GOJUON_ROWS, OTHER_ROW
from ..model import ActivityField, Area, Group, Site
from ..render.search import facet_token
from . import urls

TEMPLATES = {
    "group": "civic/group.html",
    "directory": "civic/directory.html",
    "field": "civic/list.html",
    "area": "civic/list.html",
    "inactive": "civic/list.html",
}


@dataclass(frozen=True)
class PageSpec:
    """A page the plugin generates (or takes over, for the directory's own intro)."""

    kind: str
    title: str
    markdown: str = ""
    subject: Group | ActivityField | Area | None = None

    @property
    def template(self) -> str:
        return TEMPLATES[self.kind]

    @property
    def description(self) -> str:
        if isinstance(self.subject, Group):
            return self.subject.summary
        return f"{self.title}の一覧です。"


def plan_pages(site: Site) -> dict[str, PageSpec]:
    """Every generated page by src_uri, in a stable order."""
    pages = {urls.DIRECTORY: PageSpec("directory", "団体をさがす")}
    for g in site.groups:
        pages[urls.group_src(g.slug)] = PageSpec("group", g.name, g.body, g)
    for f in site.fields:
        pages[urls.field_src(f.slug)] = PageSpec("field", f"{f.short}の団体", subject=f)
    for a in site.areas:
        pages[urls.area_src(a.slug)] = PageSpec("area", f"{a.name}の団体", subject=a)
    pages[urls.INACTIVE] = PageSpec("inactive", "活動休止中の団体")
    return pages


def rows(groups: tuple[Group, ...]) -> list[dict[str, Any]]:
    """Groups split into 五十音 index rows, keeping their order; every row listed, even empty."""
    by_row: dict[str, list[Group]] = {}
    for g in groups:
        by_row.setdefault(g.row[0], []).append(g)
    return [
        {
            "id": row_id,
            "label": label,
            "heading": "その他" if row_id == OTHER_ROW[0] else f"{label}行",
            "groups": by_row.get(row_id, []),
        }
        for row_id, label, _ in (*GOJUON_ROWS, OTHER_ROW)
        if row_id != OTHER_ROW[0] or row_id in by_row
    ]


def counted(site: Site) -> dict[str, list[tuple[Any, int]]]:
    """Fields and areas with how many active groups each has."""
    return {
        "fields": [(f, len(site.groups_in_field(f.slug))) for f in site.fields],
        "areas": [(a, len(site.groups_in_area(a.slug))) for a in site.areas],
    }


def page_context(spec: PageSpec | None, site: Site, newest: int) -> dict[str, Any]:
    """What a template finds under `civic`; every page gets the shared part."""
    context: dict[str, Any] = {
        "site": site,
        "today": site.today,
        "urls": urls,
        "facet_token": facet_token,
        "kind": spec.kind if spec else "content",
    }
    if spec is None:
        context["newest"] = site.newest(newest)
        context.update(counted(site))
        return context
    context["spec"] = spec
    if spec.kind == "group":
        group = spec.subject
        assert isinstance(group, Group)
        context["group"] = group
        context["recruiting"] = group.open_recruiting(site.today)
    elif spec.kind == "directory":
        context["rows"] = rows(site.active_groups)
        context["inactive_count"] = len(site.inactive_groups)
        context.update(counted(site))
    else:
        if spec.kind == "field":
            assert isinstance(spec.subject, ActivityField)
            listed = site.groups_in_field(spec.subject.slug)
        elif spec.kind == "area":
            assert isinstance(spec.subject, Area)
            listed = site.groups_in_area(spec.subject.slug)
        else:
            listed = site.inactive_groups
        context["groups"] = listed
        context["rows"] = rows(listed)
    return context
