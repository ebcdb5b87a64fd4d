"""The only code that reads source files. Everything it finds wrong comes back as Problems."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from ..kana import gojuon_key
from ..model import Group, Problem, Site
from ..model.events import Occurrence
from ..model.settings import EventSettings, Settings
from ..schedule import expand_occurrences
from .checks import content_files
from .group_contract import MAX_OCCURRENCES_PER_FILE
from .groups import (
    LoadMemo,
    Vocabulary,
    group_files,
    load_groups,
    relative_path,
    resolved_folder,
)
from .history import file_history
from .news import load_news
from .newsletters import load_newsletters
from .places import Defaults, Venues, load_places

__all__ = [
    "LoadMemo",
    "load_site",
    "load_venues",
    "place_defaults",
    "site_vocabulary",
    "vocabulary_of",
]


def vocabulary_of(settings: Settings, today: dt.date, venues: Venues | None = None) -> Vocabulary:
    return Vocabulary(
        fields=settings.fields,
        areas=settings.areas,
        legal_forms=settings.legal_forms,
        today=today,
        image_bytes=settings.image_kb * 1024,
        venues=venues or Venues(defaults=place_defaults(settings)),
    )


def site_vocabulary(settings: Settings, site: Site) -> Vocabulary:
    """The vocabulary a loaded site was checked against, its venues included (the web form
    offers them)."""
    venues = Venues({p.id: p for p in site.places}, place_defaults(settings))
    return vocabulary_of(settings, site.today, venues)


def place_defaults(settings: Settings) -> Defaults:
    return Defaults(settings.events.prefecture, settings.events.municipality)


def load_venues(settings: Settings) -> tuple[Venues, list[Problem]]:
    """The venue register (groups/places.yml by default), checked, with the portal's city."""
    path = settings.root / settings.places_file
    places, problems = load_places(
        path, relative_path(path, settings.root), place_defaults(settings)
    )
    broken = frozenset(p.key.split(".", 1)[0] for p in problems) - set(places)
    return Venues(places, place_defaults(settings), broken), problems


def _undated(path: str, now: dt.datetime, memo: LoadMemo | None) -> tuple[dt.datetime, dt.datetime]:
    """Added and changed for a file git does not know: now (a preview: when it first read it)."""
    when = memo.first_seen(path, now) if memo is not None else now
    return when, when


def load_site(
    settings: Settings,
    now: dt.datetime,
    paths: Sequence[Path] | None = None,
    memo: LoadMemo | None = None,
) -> tuple[Site, list[Problem]]:
    """Read every source (or just `paths`: group files, news posts or newsletter issues, each
    read by its own loader) into a Site; problems are returned, not raised. `memo`: the group
    files the previous build of this process read (`mkdocs serve`)."""
    resolved_folder.cache_clear()
    root, docs_dir = settings.root, settings.docs_dir
    groups_dir = settings.groups_path
    news_dir = docs_dir / settings.news.dir
    issues_dir = docs_dir / settings.newsletters.dir
    if paths is None:
        files = group_files(groups_dir)
        posts = content_files(news_dir)
        issues = content_files(issues_dir)
    else:
        posts = [p for p in paths if _inside(p, news_dir)]
        issues = [p for p in paths if _inside(p, issues_dir)]
        files = [p for p in paths if p not in posts and p not in issues]
    folders = [settings.groups_dir, relative_path(news_dir, root)]
    tz = now.tzinfo
    assert tz is not None, "the build's now is aware (clock.build_now)"
    history = file_history(root, folders, tz) if paths is None else {}
    named = {relative_path(f, root) for f in files}
    venues, problems = load_venues(settings)
    notices: list[Problem] = []
    if paths is not None and files:
        # The rules between files (one slug, one name, one page per event name) need every
        # group file: all are read, and only what concerns the named files is reported.
        every = {relative_path(f, root): f for f in [*group_files(groups_dir), *files]}
        files = [every[rel] for rel in sorted(every)]
    groups, found = load_groups(
        files,
        root,
        vocabulary_of(settings, now.date(), venues),
        groups_dir / "images",
        {
            (rel := relative_path(f, root)): history.get(rel) or _undated(rel, now, memo)
            for f in files
        },
        notices,
        memo,
    )
    problems += found
    if paths is not None:
        register = relative_path(settings.root / settings.places_file, root)
        groups = [g for g in groups if g.source in named]
        problems = [p for p in problems if p.path in named or p.path == register]
        notices = [p for p in notices if p.path in named]
    # Posts and issues name groups by file. A group file with problems is still a group file: its
    # own problems are reported, not a "missing group" in every post that names it.
    slugs = {p.stem for p in group_files(groups_dir)}
    categories = settings.news.categories
    news, found = load_news(
        posts,
        docs_dir,
        root,
        categories,
        slugs,
        tz,
        history,
    )
    problems += found
    newsletters, found = load_newsletters(issues, docs_dir, root, slugs)
    problems += found
    window = event_window(now.date(), settings.events)
    span = (
        min([window[0], *(n.period[0] for n in newsletters)]),
        max([window[1], *(n.period[1] for n in newsletters)]),
    )
    expanded, found = expand_all(groups, tz, span, window)
    problems += found
    site = Site(
        groups=tuple(groups),
        fields=settings.fields,
        areas=settings.areas,
        now=now,
        occurrences=tuple(o for o in expanded if o.overlaps(*window)),
        expanded=expanded,
        window=window,
        news=tuple(news),
        news_categories=categories,
        newsletters=tuple(newsletters),
        places=tuple(sorted(venues.places.values(), key=lambda p: (*gojuon_key(p.kana), p.id))),
        notices=tuple(sorted(notices)),
    )
    return site, problems


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def event_window(today: dt.date, settings: EventSettings) -> tuple[dt.date, dt.date]:
    """From `archive_months` back (whole months) to `horizon_months` ahead (whole months)."""
    first = _add_months(today.replace(day=1), -settings.archive_months)
    last = _add_months(today.replace(day=1), settings.horizon_months + 1) - dt.timedelta(days=1)
    return first, last


def expand_all(
    groups: Sequence[Group],
    tz: dt.tzinfo,
    span: tuple[dt.date, dt.date],
    window: tuple[dt.date, dt.date],
) -> tuple[tuple[Occurrence, ...], list[Problem]]:
    """Every occurrence of every group's events within `span` (the window and every newsletter
    period), in date order, and a problem for each group file whose events produce more than
    MAX_OCCURRENCES_PER_FILE dates in the `window` (expansion stops there, so a hostile file
    costs at most that many)."""
    found: list[Occurrence] = []
    problems = []
    first, last = window
    for g in groups:
        count = 0
        for e in g.events:
            mine = expand_occurrences(e, tz, *span)
            count += sum(1 for o in mine if o.overlaps(first, last))
            if count > MAX_OCCURRENCES_PER_FILE:
                problems.append(
                    Problem(
                        g.source,
                        e.line,
                        "events",
                        f"イベントの日付が多すぎます（{first}〜{last} の間に{MAX_OCCURRENCES_PER_FILE:,}回まで）。"
                        "くり返しを減らすか、until: で終わりの日を書いてください",
                    )
                )
                break
            found += mine
    return tuple(sorted(found, key=lambda o: o.sort_key)), problems


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return day.replace(year=index // 12, month=index % 12 + 1)
