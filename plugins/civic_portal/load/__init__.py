"""The only code that reads source files. Everything it finds wrong comes back as Problems."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from ..config import CivicConfig
from ..model import Problem, Site
from .groups import Vocabulary, group_files, load_groups, relative_path
from .history import first_added

__all__ = ["load_site", "vocabulary_of"]


def vocabulary_of(config: CivicConfig, now: dt.datetime) -> Vocabulary:
    return Vocabulary(
        fields=config.activity_fields(),
        areas=config.area_list(),
        legal_forms=tuple(config.legal_forms),
        today=now.date(),
    )


def load_site(
    config: CivicConfig, root: Path, now: dt.datetime, paths: Sequence[Path] | None = None
) -> tuple[Site, list[Problem]]:
    """Read every group file (or just `paths`) into a Site; problems are returned, not raised."""
    groups_dir = root / config.groups_dir
    files = group_files(groups_dir) if paths is None else list(paths)
    added = first_added(root, config.groups_dir, now.tzinfo) if paths is None else {}
    groups, problems = load_groups(
        files,
        root,
        vocabulary_of(config, now),
        groups_dir / "images",
        {(rel := relative_path(f, root)): added.get(rel, now) for f in files},
    )
    site = Site(
        groups=tuple(groups), fields=config.activity_fields(), areas=config.area_list(), now=now
    )
    return site, problems
