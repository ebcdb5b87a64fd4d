"""The files of the site, as plain descriptions any engine can write.

`site_files()` turns the model into every generated page (Markdown a theme renders) and every
machine-readable file (directory data, schema, calendars, open data, feeds, pictures). The
MkDocs adapter makes each one a `File.generated`; another engine would write pages as Markdown
before its build and the rest after it. PDFs (printing.py) and the search bundle (search.py)
are outputs too, run at their own moments because they are slow or need the built site.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Collection, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, replace
from functools import cache, partial
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
from .writing import Batch, Make, as_bytes


@dataclass(frozen=True)
class OutputFile:
    """One file of the site: its path under the site (as a src_uri: pages end in .md) and its
    content, or the source file to copy."""

    path: str
    content: str | bytes | None = None
    source: str | None = None  # absolute path of a file copied as it is
    page: bool = False  # Markdown for the theme to render
    in_nav: bool = False  # an entry point: the directory, the calendar, the first news page
    make: Make | None = None  # the content made when asked for (data_files), instead of content

    def made(self) -> OutputFile:
        """This file with its content made."""
        return self if self.make is None else replace(self, content=self.make(), make=None)


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
    files += [
        OutputFile(path, make=make) for path, make in data_files(site, settings, memo).items()
    ]
    pictures = {name: path for g in site.groups for name, path in g.pictures.items()}
    files += [OutputFile(urls.logo_src(n), source=p) for n, p in sorted(pictures.items())]
    return files, problems


def data_files(
    site: Site, settings: Settings, memo: MutableMapping[Any, Any] | None = None
) -> dict[str, Make]:
    """src_uri → how to make it, for every machine-readable file (directory data, schema,
    calendars, open data, feeds, the logos' sizes). Their names are known at once; their
    content is made when asked for: a build has them made in its writing process (`made_by`),
    out of the way of its pages."""
    files: dict[str, Make] = {urls.DIRECTORY_JSON: partial(directory_json, site)}
    files[urls.GROUP_SCHEMA] = lambda: schema_json(
        vocabulary_of(settings, site.today), settings.site_url
    )
    files |= event_files(site, settings, memo)
    files |= feed_files(site, settings, memo)
    for group in site.groups:  # each logo also in the sizes its page offers
        if (
            group.logo
            and (source := group.logo_source)
            and (sizes := logo_sizes(group.logo, source))
        ):
            resized = cache(partial(logo_files, sizes, source))  # every size at once
            files |= {path: _one_of(resized, path) for path in map(sizes.src, sizes.widths)}
    return files


def _one_of(files: Callable[[], Mapping[str, bytes]], path: str) -> Make:
    return lambda: files()[path]


def made_by(site: Site, settings: Settings) -> Batch:
    """The data files as a Batch for the writing process: the site's model pickled now (the
    build goes on computing parts of it as it renders), made into the files there."""
    return partial(_made, pickle.dumps((site, settings), protocol=pickle.HIGHEST_PROTOCOL))


def _made(model: bytes) -> Iterator[tuple[str, bytes]]:
    site, settings = pickle.loads(model)
    files = data_files(site, settings)
    for path in list(files):
        yield path, as_bytes(files.pop(path)())  # each let go of once written
