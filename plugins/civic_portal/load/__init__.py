"""The only code that reads source files. Everything it finds wrong comes back as Problems."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..config import CivicConfig, EventsConfig
from ..model import Group, Problem, Site
from ..model.events import Occurrence
from ..model.news import NewsCategory, NewsItem
from ..model.newsletter import Newsletter
from ..schedule import expand_occurrences
from .group_contract import MAX_OCCURRENCES_PER_FILE
from .groups import Vocabulary, group_files, load_groups, relative_path
from .history import file_history
from .news import load_news, news_files
from .newsletters import load_newsletters, newsletter_files

__all__ = ["load_site", "vocabulary_of"]


def vocabulary_of(config: CivicConfig, now: dt.datetime) -> Vocabulary:
    return Vocabulary(
        fields=config.activity_fields(),
        areas=config.area_list(),
        legal_forms=tuple(config.legal_forms),
        today=now.date(),
        image_bytes=config.limits.image_kb * 1024,
    )


def load_site(
    config: CivicConfig,
    root: Path,
    now: dt.datetime,
    paths: Sequence[Path] | None = None,
    docs_dir: Path | None = None,
) -> tuple[Site, list[Problem]]:
    """Read every source (or just `paths`: group files, news posts or newsletter issues, each
    read by its own loader) into a Site; problems are returned, not raised."""
    groups_dir = root / config.groups_dir
    news_dir = (docs_dir / config.news.dir) if docs_dir else None
    issues_dir = (docs_dir / config.newsletters.dir) if docs_dir else None
    if paths is None:
        files = group_files(groups_dir)
        posts = news_files(news_dir) if news_dir else []
        issues = newsletter_files(issues_dir) if issues_dir else []
    else:
        posts = [p for p in paths if news_dir and _inside(p, news_dir)]
        issues = [p for p in paths if issues_dir and _inside(p, issues_dir)]
        files = [p for p in paths if p not in posts and p not in issues]
    folders = [config.groups_dir] + ([relative_path(news_dir, root)] if news_dir else [])
    history = file_history(root, folders, now.tzinfo) if paths is None else {}
    groups, problems = load_groups(
        files,
        root,
        vocabulary_of(config, now),
        groups_dir / "images",
        {(rel := relative_path(f, root)): history.get(rel, (now, now)) for f in files},
    )
    # Posts and issues name groups: when only they are checked, the group files' names suffice.
    slugs = {g.slug for g in groups} if paths is None else {p.stem for p in group_files(groups_dir)}
    categories = tuple(NewsCategory(c.slug, c.name) for c in config.news.categories)
    news: list[NewsItem] = []
    newsletters: list[Newsletter] = []
    if docs_dir is not None:
        news, found = load_news(
            posts,
            docs_dir,
            root,
            categories,
            slugs,
            now.tzinfo,
            history,  # type: ignore[arg-type]
        )
        problems += found
        newsletters, found = load_newsletters(issues, docs_dir, root, slugs)
        problems += found
    window = event_window(now.date(), config.events)
    occurrences, found = expand_all(groups, now.tzinfo, *window)  # type: ignore[arg-type]
    problems += found
    site = Site(
        groups=tuple(groups),
        fields=config.activity_fields(),
        areas=config.area_list(),
        now=now,
        occurrences=occurrences,
        window=window,
        news=tuple(news),
        news_categories=categories,
        newsletters=tuple(newsletters),
    )
    return site, problems


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def event_window(today: dt.date, settings: EventsConfig) -> tuple[dt.date, dt.date]:
    """From `archive_months` back (whole months) to `horizon_months` ahead (whole months)."""
    first = _add_months(today.replace(day=1), -settings.archive_months)
    last = _add_months(today.replace(day=1), settings.horizon_months + 1) - dt.timedelta(days=1)
    return first, last


def expand_all(
    groups: Sequence[Group], tz: dt.tzinfo, first: dt.date, last: dt.date
) -> tuple[tuple[Occurrence, ...], list[Problem]]:
    """Every occurrence of every group's events within first..last, in date order, and a problem
    for each group file whose events would produce more than MAX_OCCURRENCES_PER_FILE dates
    (expansion stops there, so a hostile file costs at most that many)."""
    found: list[Occurrence] = []
    problems = []
    for g in groups:
        count = 0
        for e in g.events:
            mine = expand_occurrences(e, tz, first, last)
            count += len(mine)
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


def config_problems(mkdocs_config: Any, config_file: Path) -> list[Problem]:
    """What mkdocs.yml must say for the portal's outputs: feeds and UIDs need absolute URLs."""
    if mkdocs_config.site_url:
        return []
    return [
        Problem(
            config_file.name,
            1,
            "site_url",
            "フィードやカレンダーには絶対URLが必要です。mkdocs.yml に site_url: https://（公開するアドレス）/ を書いてください",
        )
    ]
