"""The files of the site, as plain descriptions any engine can write.

`site_files()` turns the model into every generated page (Markdown a theme renders) and every
machine-readable file (directory data, schema, calendars, open data, feeds, pictures). The
MkDocs adapter makes each one a `File.generated`; another engine would write pages as Markdown
before its build and the rest after it. PDFs (printing.py) and the search bundle (search.py)
are outputs too, run at their own moments because they are slow or need the built site.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

from .. import urls
from ..load import vocabulary_of
from ..load.schema import schema_json
from ..model import Problem, Site
from ..model.settings import Settings
from ..pages import CONTENT_BACKED, PageSpec
from ..render.directory import directory_json
from ..render.images import logo_files, logo_sizes
from .events import event_files
from .feeds import feed_files


@dataclass(frozen=True)
class OutputFile:
    """One file of the site: its path under the site (as a src_uri: pages end in .md) and its
    content, or the source file to copy."""

    path: str
    content: str | bytes | None = None
    source: str | None = None  # absolute path of a file copied as it is
    page: bool = False  # Markdown for the theme to render
    in_nav: bool = False  # an entry point: the directory, the calendar, the first news page


def site_files(
    site: Site,
    settings: Settings,
    pages: Mapping[str, PageSpec],
    existing: Collection[str],
    memo: MutableMapping[Any, Any] | None = None,
) -> tuple[list[OutputFile], list[Problem]]:
    """Every generated file, and a problem for each content page that sits where a generated
    page must go. `existing`: the src_uris of the content pages the engine already has (an entry
    point's own intro text is one of those, and is kept); `memo`: calendar entries and feeds of
    earlier builds in this process (`mkdocs serve`), by what they are made of."""
    files: list[OutputFile] = []
    problems: list[Problem] = []
    docs = settings.docs_dir.name
    for src_uri, spec in pages.items():
        if spec.kind in CONTENT_BACKED or (src_uri in existing and spec.entry_point):
            continue
        if src_uri in existing:
            problems.append(
                Problem(
                    f"{docs}/{src_uri}",
                    1,
                    "file",
                    "団体ページ用にサイトが作るページと同じ場所です。別の名前にしてください",
                )
            )
            continue
        files.append(OutputFile(src_uri, spec.markdown, page=True, in_nav=spec.entry_point))
    files.append(OutputFile(urls.DIRECTORY_JSON, directory_json(site)))
    vocabulary = vocabulary_of(settings, site.today)
    files.append(OutputFile(urls.GROUP_SCHEMA, schema_json(vocabulary, settings.site_url)))
    generated = event_files(site, settings, memo) | feed_files(site, settings, memo)
    files += [OutputFile(path, content) for path, content in generated.items()]
    pictures = {name: path for g in site.groups for name, path in g.pictures.items()}
    files += [OutputFile(urls.logo_src(n), source=p) for n, p in sorted(pictures.items())]
    for group in site.groups:  # each logo also in the sizes its page offers
        if (
            group.logo
            and group.logo_source
            and (sizes := logo_sizes(group.logo, group.logo_source))
        ):
            files += [
                OutputFile(path, data)
                for path, data in logo_files(sizes, group.logo_source).items()
            ]
    return files, problems
