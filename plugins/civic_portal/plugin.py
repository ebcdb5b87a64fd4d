"""The `civic` MkDocs plugin: the adapter between MkDocs and the core. Hooks only, each a few
lines that delegate; the hooks run in MkDocs' order (on_config → on_files → per page
on_page_markdown, on_page_content → on_page_context → on_post_build)."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import posixpath
import zlib
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import markdown
from jinja2 import FileSystemBytecodeCache
from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure import pages as mkdocs_pages
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from . import urls
from .clock import build_now
from .config import CivicConfig
from .kana import forget_dictionary
from .load import LoadMemo, load_site, site_vocabulary
from .load.cms_config import CONFIG_PATH
from .model import Problem
from .model.settings import Settings, SettingsError
from .outputs.admin import admin_outputs
from .outputs.printing import newsletter_pdfs
from .outputs.search import IndexInBackground, SearchBehind
from .outputs.site import OutputFile, made_by, site_files
from .outputs.writing import RemoveInBackground, WriteInBackground, set_aside
from .pages import (
    CONTENT_BACKED,
    UNTRUSTED_KINDS,
    PageSpec,
    built_page_context,
    facet_tokens,
    page_inputs,
    plan_pages,
)
from .pages.newsletter import with_placeholders
from .render.assets import ASSETS, AssetMissing, build_assets, bundle_paths, bundle_sources
from .render.pdf import PdfInfo, PdfUnavailable
from .render.sanitize import sanitize_html
from .render.search import SearchRecord, page_record

log = get_plugin_logger(__name__)


class CivicPlugin(BasePlugin[CivicConfig]):
    supports_multiple_instances = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Kept across serve rebuilds (this method makes MkDocs keep the instance): previews skip
        the PDFs (slow, and they need Japanese fonts), and reuse what the previous build made of
        unchanged sources: each group file as read (LoadMemo), each group and event page whose
        inputs are equal (pages.page_inputs), each event's calendar entry (Calendars), and the
        search index, rebuilt in the background (SearchBehind)."""
        self.command = command
        self.dirty = dirty  # `mkdocs serve --dirty`: unchanged files are not written again
        self.in_place = False  # a rebuild of `mkdocs serve` written over the previous one
        self.served: set[str] = set()  # what the previous preview build wrote (see on_env)
        self.written: dict[str, bytes] = {}  # output → digest of its content, last build
        # a build reads and writes everything once: nothing to keep for the next (memory)
        self.memo = LoadMemo() if command == "serve" else None
        self.output_memo: dict[Any, Any] | None = {} if command == "serve" else None
        self.reused: dict[str, tuple[tuple[Any, ...], bytes, SearchRecord]] = {}
        self.shared_inputs: tuple[Any, ...] | None = None
        self.search_behind = SearchBehind() if command == "serve" else None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """Per-build state, reset here (serve rebuilds and tests reuse this instance): the plain
        settings the core works from, and the build's one "now"."""
        try:
            self.settings: Settings = self.config.settings(config)
        except SettingsError as e:
            raise PluginError(f"mkdocs.yml: {e.key}: {e.message}") from None
        self.now = build_now(self.settings.timezone)
        self.pages: dict[str, PageSpec] = {}
        self.records: dict[str, SearchRecord] = {}
        self.pdfs: dict[str, PdfInfo] = {}
        self.indexing: IndexInBackground | None = None
        self.writer: WriteInBackground | None = None
        self.hits: dict[str, tuple[tuple[Any, ...], bytes, SearchRecord]] = {}
        self.misses: dict[str, tuple[Any, ...]] = {}
        self.parser = _OneParser(config)
        if self._serving:
            shared = shared_inputs(config, self.settings)
            if shared != self.shared_inputs:  # the theme, mkdocs.yml or settings changed
                self.shared_inputs, self.reused = shared, {}
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """`mkdocs build` (not --dirty) sets the previous site aside before MkDocs would delete
        it file by file, and has it deleted by a process of its own while the pages are rendered
        (outputs.writing.set_aside); MkDocs finds nothing left to delete. The build waits for it
        at its end, so no hidden folder is left in the site."""
        self.clearing: RemoveInBackground | None = None
        if getattr(self, "command", None) == "build" and not getattr(self, "dirty", True):
            if (aside := set_aside(Path(config.site_dir))) is not None:
                self.clearing = RemoveInBackground(aside)

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Read every source once, then add every generated page and file (and the newsletter
        PDFs); all problems at once, as one PluginError, before anything is written."""
        self.site, problems = load_site(self.settings, self.now, memo=getattr(self, "memo", None))
        if not self._serving:
            forget_dictionary()  # the readings are guessed; a preview keeps it for the next save
        self.pages = plan_pages(self.site, self.settings.news.per_page)
        existing = {f.src_uri for f in files.documentation_pages()}
        outputs, found = site_files(
            self.site, self.settings, self.pages, existing, getattr(self, "output_memo", None)
        )
        if self._serving:  # made here: a rebuild writes only the files that changed
            outputs = [out.made() for out in outputs]
        vocabulary = site_vocabulary(self.settings, self.site)
        admin, wrong = admin_outputs(self.settings, vocabulary, serving=self._serving)
        found += wrong
        if problems or found:
            raise PluginError(_report([*problems, *found]))
        if self.site.notices:
            log.info(
                "%d件の提案があります（civic check で表示します。エラーではありません）",
                len(self.site.notices),
            )
        for src_uri, spec in self.pages.items():
            if spec.kind in CONTENT_BACKED and (page := files.get_file_from_path(src_uri)):
                page.inclusion = InclusionLevel.NOT_IN_NAV  # listed on /news/, /newsletters/
        same = self._unchanged(outputs) if self._serving else set()  # noted for the next build
        unchanged = same if self._over_previous else set()
        if self._over_previous:
            _render_every_page(files)
        for out in outputs:
            files.append(_as_file(config, out, out.path in unchanged))
        self._add_admin(files, config, admin)
        self._add_pdfs(files, config)
        self._add_assets(files, config)
        pending = [
            f
            for f in files
            if isinstance(f, _Written) and not f.sent and not f.is_documentation_page()
        ]
        for file in pending:
            file.sent = True
        made = [] if self._serving else [made_by(self.site, self.settings)]
        self.writer = WriteInBackground(
            Path(config.site_dir), [(f.dest_uri, f.take) for f in pending], made
        )
        if self.settings.search_enabled and getattr(self, "search_behind", None) is None:
            self.indexing = IndexInBackground(
                Path(config.site_dir) / "pagefind",
                part_tokens=self.settings.search_part_tokens,
                after=self.writer.pid,
            )
        return files

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        """`civic_asset(name)` in every template (the 404 page too): a bundle's path. Every
        page's search record exists by now (on_page_content ran for all), so a build's index
        has its last part, which it indexes while MkDocs renders the pages (it has been indexing
        the full ones since the first was)."""
        _templates_kept(env)
        if self._serving:
            self.dests = {file.dest_uri for file in files}
        paths = self.asset_paths
        env.globals["civic_asset"] = lambda name: paths[name]
        env.globals["civic_previewing"] = self._serving
        env.globals["civic_once"] = _once()
        env.globals["civic_t"] = _translations(env, config.theme["language"])
        _same_outside_the_nav(env, _SAME_IN_A_FOLDER, _BASE_BLOCKS_IN_A_FOLDER)
        if self.indexing is not None:
            self.indexing.finish()
        return env

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        """A generated page's title, description and template, escaped (Material prints them
        unescaped); nothing a group wrote is kept as metadata. Issues get section placeholders."""
        spec = self.pages.get(page.file.src_uri)
        if spec is None:
            return markdown
        if spec.kind in UNTRUSTED_KINDS:
            page.meta.clear()  # never anything a group wrote (see pages.NO_METADATA)
        title = spec.title if spec.kind == "newsletter" else page.meta.get("title", spec.title)
        page.meta["title"] = escape(title)
        if self._reuse(page.file.src_uri, spec):
            page.meta["template"] = REUSED_TEMPLATE
            _skip_markdown(page)
            return ""
        page.meta["template"] = spec.template
        self.parser.use_for(page)
        page.meta["description"] = escape(page.meta.get("description", spec.description))
        if spec.kind == "group" and self.settings.edit_url:
            page.edit_url = self.settings.edit_url + spec.subject.source  # type: ignore[union-attr]
        return with_placeholders(markdown) if spec.kind == "newsletter" else markdown

    @event_priority(100)
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Sanitise what groups wrote first (priority 100), so no later plugin and not the search
        record ever sees unsanitised HTML; then keep the page's search record."""
        spec = self.pages.get(page.file.src_uri)
        if (hit := self.hits.get(page.file.src_uri)) is not None:
            self.records[page.file.src_uri] = hit[2]
            return html
        if spec is not None and spec.kind in UNTRUSTED_KINDS:
            html = sanitize_html(html)
        group = spec.subject if spec is not None and spec.kind == "group" else None
        title = spec.title if spec is not None else (page.title or "")
        facets = facet_tokens(self.site, group) if group is not None else ()
        record = page_record("/" + page.url, title, html, group, facets)  # type: ignore[arg-type]
        if self.indexing is not None:
            self.indexing.add(record)  # a build's: to the index's process, not kept
        elif self._serving:  # a preview's: indexed after the build, and kept with the page
            self.records[page.file.src_uri] = record
        return html

    def on_page_context(
        self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Any
    ) -> dict[str, Any]:
        """What our templates find under `civic` (or a reused page's HTML)."""
        if (hit := self.hits.get(page.file.src_uri)) is not None:
            context["civic_reused"] = zlib.decompress(hit[1]).decode("utf-8")
            return context
        spec = self.pages.get(page.file.src_uri)
        context["civic"] = built_page_context(
            spec, self.site, self.settings, self.pdfs, page.url, page.content or ""
        )
        return context

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        """When previewing, keep each group and event page for the next build."""
        src_uri = page.file.src_uri
        if (inputs := self.misses.get(src_uri)) is not None and src_uri in self.records:
            kept = zlib.compress(output.encode("utf-8"), 1)  # 6,000 pages: 25 MB, not 120
            self.reused[src_uri] = (inputs, kept, self.records[src_uri])
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """The generated files written (started in on_files); the site's Pagefind index, started
        in on_env, finished (when previewing: indexed in the background after the first build;
        the search may lag a save by a few seconds)."""
        self._cleared()
        if (writer := self.writer) is not None:
            self.writer = None
            try:
                writer.done()
            except Exception as e:  # a full disk, a folder it may not write in
                raise PluginError(f"サイトのファイルを書き込めませんでした（{e}）") from e
        if self._serving:
            if self._over_previous:
                _remove(Path(config.site_dir), self.served - self.dests)
            self.served = self.dests
        if not self.settings.search_enabled:
            return
        if (behind := getattr(self, "search_behind", None)) is not None:
            behind.part_tokens = self.settings.search_part_tokens
            try:
                behind.update(self.records.values(), Path(config.site_dir) / "pagefind")
            except Exception as e:  # the first preview index runs at once: as a build's
                raise PluginError(f"サイト内検索の索引を作れませんでした（Pagefind: {e}）") from e
            return
        if self.indexing is None:  # no build index (see on_files)
            return
        try:
            count = self.indexing.result()
        except Exception as e:  # the Pagefind service is a subprocess; report, don't trace back
            raise PluginError(f"サイト内検索の索引を作れませんでした（Pagefind: {e}）") from e
        log.info("Pagefind: %d pages indexed", count)

    def on_build_error(self, *, error: Exception) -> None:
        """A failed build does not leave Pagefind writing into its site; when previewing, the
        next build writes every file again (this one may have stopped before writing them) and
        removes whatever this one may have written that the next does not."""
        if (indexing := getattr(self, "indexing", None)) is not None:
            indexing.cancel()
        if (writer := getattr(self, "writer", None)) is not None:
            writer.cancel()
        self._cleared()
        if self._serving:
            self.written = {}
            self.served |= getattr(self, "dests", set())

    def on_shutdown(self) -> None:
        """The end of a preview: its background search index, and the bundles it kept."""
        if (behind := getattr(self, "search_behind", None)) is not None:
            behind.close()

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        """Rebuild when a group file changes (they live outside docs_dir), over the previous
        build: MkDocs would empty its folder and write all of the site's files again on every
        save (20-30 s at 1,000 groups with 5,000 events, most of it the disk)."""
        server.watch(str(self.settings.groups_path))
        if self._serving and not self.dirty:  # not `--dirty`, nor `--clean` (a build's)
            server.builder = _in_place(builder, self)
        return server

    def _cleared(self) -> None:
        """The previous site deleted (on_pre_build); what could not be, the next build sets
        aside again."""
        if (clearing := getattr(self, "clearing", None)) is not None:
            self.clearing = None
            with contextlib.suppress(RuntimeError):
                clearing.done()

    def _add_admin(self, files: Files, config: MkDocsConfig, admin: list[OutputFile]) -> None:
        """The web form at /admin/, when `npm ci` has installed the CMS."""
        if not admin and self.settings.docs_dir.joinpath(*CONFIG_PATH).is_file():
            log.info(
                "編集フォーム（/admin/）は作りません: node_modules/decap-cms がありません（npm ci で入ります）"
            )
        for out in admin:
            files.append(_as_file(config, out))

    def _unchanged(self, outputs: list[OutputFile]) -> set[str]:
        """When previewing: the outputs this build would write as they already are (a page of
        equal inputs, a file of equal bytes), which a build over the previous one leaves alone."""
        unchanged = set()
        written = {}
        for out in outputs:
            if out.page and (spec := self.pages.get(out.path)) is not None:
                if self._reuse(out.path, spec):
                    unchanged.add(out.path)
                    self.records[out.path] = self.hits[out.path][2]  # the search still finds it
            elif out.content is not None:
                data = out.content.encode("utf-8") if isinstance(out.content, str) else out.content
                written[out.path] = digest = hashlib.blake2b(data, digest_size=16).digest()
                if self.written.get(out.path) == digest:
                    unchanged.add(out.path)
        self.written = written
        return unchanged

    def _reuse(self, src_uri: str, spec: PageSpec) -> bool:
        """When previewing: whether the page is made of the same inputs as in the previous build
        (then its HTML is reused); otherwise its inputs are noted, to keep its HTML."""
        if not self._serving:
            return False
        inputs = page_inputs(spec, self.site)
        if inputs is None:
            return False
        kept = self.reused.get(src_uri)
        if kept is not None and kept[0] == inputs:
            self.hits[src_uri] = kept
            return True
        self.misses[src_uri] = inputs
        return False

    def _add_assets(self, files: Files, config: MkDocsConfig) -> None:
        """Our stylesheets and scripts as minified, hashed bundles, instead of their sources."""
        assets_dir = Path(config.theme.custom_dir or config.config_file_path).joinpath("assets")
        try:
            assets = build_assets(assets_dir)
        except AssetMissing as e:
            raise PluginError(f"テーマのファイルが見つかりません: {e}") from None
        for source in bundle_sources():
            if (file := files.get_file_from_path(f"assets/{source}")) is not None:
                files.remove(file)
        for asset in assets:
            files.append(File.generated(config, asset.path, content=asset.content))
        self.asset_paths = bundle_paths(assets)
        log.debug("Assets: %d bundles in %s/", len(assets), ASSETS)

    @property
    def _over_previous(self) -> bool:
        """Whether this build writes over the previous one (`--dirty`, or a rebuild of `mkdocs
        serve`), so that what did not change is neither rendered nor written again."""
        return bool(getattr(self, "dirty", False) or getattr(self, "in_place", False))

    @property
    def _serving(self) -> bool:
        """Whether this is a preview (`mkdocs serve`); `mkdocs build` when not started."""
        return getattr(self, "command", "build") == "serve"

    def _add_pdfs(self, files: Files, config: MkDocsConfig) -> None:
        """Each newsletter issue as a PDF beside its page, unless turned off (or previewing)."""
        letters = self.settings.newsletters
        previewing = getattr(self, "command", "build") == "serve" and not letters.pdf_on_serve
        if not letters.pdf or previewing or not self.site.newsletters:
            return
        template = print_template(config)
        rendered = 0
        try:
            for issue, pdf, info, cached in newsletter_pdfs(
                self.settings, self.site, self.site.newsletters, template
            ):
                files.append(
                    File.generated(config, urls.newsletter_pdf(issue.src_uri), content=pdf)
                )
                self.pdfs[issue.src_uri] = info
                rendered += not cached
        except PdfUnavailable as e:
            raise PluginError(f"情報紙の PDF を作れません: {e}") from None
        log.info("Newsletter PDFs: %d rendered, %d unchanged", rendered, len(self.pdfs) - rendered)


class _Unchanged(File):
    """An output that is already in the site as this build would write it: MkDocs' dirty
    builds (`mkdocs serve --dirty`) neither render nor write a file that is not modified."""

    def is_modified(self) -> bool:
        return False


class _Written(File):
    """A generated file that the build's writing process writes (`sent`, see on_files), not
    MkDocs; its text is let go of once handed over (MkDocs would hold them all until the build
    ends: at 3,000 groups with events, 17,000 calendars, feeds and data files, about 50 MB)."""

    sent = False

    def take(self) -> bytes:
        data = self.content_bytes
        self._content = b""
        return data

    def copy_file(self, dirty: bool = False) -> None:
        if not self.sent:
            super().copy_file(dirty)


def _in_place(builder: Callable[[], None], plugin: CivicPlugin) -> Callable[[], None]:
    """`mkdocs serve`'s rebuild as a dirty one (as with `--dirty`), kept as correct as a full
    build: the plugin marks its unchanged outputs (`_Unchanged`), renders every page of docs_dir
    again (the home page lists the newest groups) and removes what the build no longer writes.

    MkDocs 1.6's serve builder reads `is_dirty` from serve()'s scope; the cell is set for the
    rebuild and restored after it. Without that cell (another MkDocs), rebuilds stay full ones.
    """
    names = builder.__code__.co_freevars if hasattr(builder, "__code__") else ()
    if "is_dirty" not in names or builder.__closure__ is None:
        return builder
    cell = builder.__closure__[names.index("is_dirty")]
    quiet = _DirtyWarning()

    def rebuild() -> None:
        was = cell.cell_contents
        cell.cell_contents = plugin.in_place = True
        build_log = logging.getLogger("mkdocs.commands.build")
        build_log.addFilter(quiet)
        try:
            builder()
        finally:
            build_log.removeFilter(quiet)
            cell.cell_contents, plugin.in_place = was, False

    return rebuild


class _DirtyWarning(logging.Filter):
    """MkDocs' warning that a dirty build may leave navigation and links stale: not so here (see
    `_in_place`), and `mkdocs serve --strict` would count it as a problem."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("A 'dirty' build is being performed")


def _render_every_page(files: Files) -> None:
    """In a build over the previous one, every page of docs_dir is rendered again, modified or
    not: it may show the site's groups and events, or link to a page that came or went."""
    for file in files.documentation_pages(inclusion=lambda _: True):
        file.is_modified = lambda: True  # type: ignore[method-assign]


def _remove(site_dir: Path, gone: set[str]) -> None:
    """The files a build over the previous one no longer writes (a removed group's pages, a
    past event's), and the folders they leave empty."""
    for dest_uri in sorted(gone):
        path = site_dir / dest_uri
        path.unlink(missing_ok=True)
        folder = path.parent
        while folder != site_dir and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def _translations(env: Any, language: str) -> Callable[[str], Any]:
    """Material's translation of a word (partials/language.html), each word asked once."""
    own = env.get_template(f"partials/languages/{language}.html").module
    english = env.get_template("partials/languages/en.html").module

    @cache
    def translate(key: str) -> Any:
        return own.t(key) or english.t(key) or key

    return translate


class _OneParser:
    """One Markdown parser for the generated pages of a build, reset between pages. MkDocs
    builds a parser with every extension for each page (about 0.8 ms: 5 s at 6,000 pages); this
    one gets MkDocs' own per-page processors (links, anchors, the title) as MkDocs' Page.render
    registers them, so a page's HTML, contents and anchors are the same."""

    _PROCESSORS = (
        "_RawHTMLPreprocessor",
        "_ExtractAnchorsTreeprocessor",
        "_RelativePathTreeprocessor",
        "_ExtractTitleTreeprocessor",
    )

    def __init__(self, config: MkDocsConfig) -> None:
        self.config = config
        self.md: markdown.Markdown | None = None
        # MkDocs' private processors (MkDocs 1.6); without them, MkDocs renders each page
        self.usable = all(hasattr(mkdocs_pages, name) for name in self._PROCESSORS)

    def use_for(self, page: Page) -> None:
        if self.usable:
            page.render = lambda config, files: self._render(page, files)  # type: ignore[method-assign]

    def _render(self, page: Page, files: Files) -> None:
        config = self.config
        if self.md is None:
            self.md = markdown.Markdown(
                extensions=config.markdown_extensions, extension_configs=config.mdx_configs or {}
            )
        md = self.md
        md.reset()
        raw_html = mkdocs_pages._RawHTMLPreprocessor()
        anchors = mkdocs_pages._ExtractAnchorsTreeprocessor(page.file, files, config)
        links = mkdocs_pages._RelativePathTreeprocessor(page.file, files, config)
        title = mkdocs_pages._ExtractTitleTreeprocessor()
        for processor in (raw_html, anchors, links, title):
            processor._register(md)  # replaces the previous page's, registered by name
        assert page.markdown is not None
        page.content = md.convert(page.markdown)
        page.toc = get_toc(getattr(md, "toc_tokens", []))
        page._title_from_render = title.title
        page.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
        if mkdocs_pages.log.getEffectiveLevel() > logging.DEBUG:
            page.links_to_anchors = links.links_to_anchors


def _skip_markdown(page: Page) -> None:
    """A page printed from its kept HTML needs no Markdown: MkDocs would still build a parser
    with every extension for it (about 1 ms; 6,000 times a save). Its anchors are then unknown
    to MkDocs, which checks no link against them (as for any page it did not render)."""

    def render(config: MkDocsConfig, files: Files) -> None:
        page.content = ""

    page.render = render  # type: ignore[method-assign]


# Material's partials that a page outside the navigation shares with its folder: the navigation
# and tabs, the footer (no previous/next links off the navigation), the logo, the repository link
_SAME_IN_A_FOLDER = (
    "partials/nav.html",
    "partials/tabs.html",
    "partials/footer.html",
    "partials/logo.html",
    "partials/source.html",
)
# Blocks of Material's base.html that depend on no page but through the links in them: its
# styles (and the custom icons' CSS), scripts, the site's settings for Material's JavaScript
# (`__config`: the translations, the features), fonts, analytics. Ours (main.html) add to
# styles and scripts outside the block of base.html they call.
_BASE_BLOCKS_IN_A_FOLDER = ("styles", "libs", "fonts", "analytics", "config", "scripts")


def _same_outside_the_nav(
    env: Any, partials: tuple[str, ...], base_blocks: tuple[str, ...] = ()
) -> None:
    """Render Material's partials `partials` and base.html's blocks `base_blocks` once per
    folder for pages outside the navigation.

    None of them depends on such a page except through its links, which are relative to the
    page's folder (no navigation entry is active, none is the page, none lies in the page's own
    folder, and the footer has no previous or next page), and a portal's pages are mostly outside
    it: 5,000 event pages rendered the same navigation 5,000 times, a fifth of their rendering.
    Pages in the navigation, and the top pages (/guides/, which the footer links to), are
    rendered as usual: the few pages a partial may link to as "./".
    """
    memo: dict[tuple[str, str], str] = {}
    folders: dict[str, str | None] = {}  # page URL → the folder it shares with, or None

    def folder(page: Any, nav: Any) -> str | None:
        if (shared := folders.get(page.url, "")) != "":
            return shared
        url = page.url
        alone = (
            not url.endswith("/")
            or "/" not in url.rstrip("/")  # a top page: the footer may link to it
            or any(p == page or p.url.startswith(url) for p in nav.pages)
        )
        folders[url] = shared = None if alone else posixpath.dirname(url.rstrip("/"))
        return shared

    def shared(name: str, render: Any) -> Callable[[Any], Iterator[str]]:
        def once(context: Any) -> Iterator[str]:
            page, nav = context.get("page"), context.get("nav")
            if page is None or nav is None or (where := folder(page, nav)) is None:
                yield from render(context)
                return
            key = (name, where)
            if (html := memo.get(key)) is None:
                memo[key] = html = "".join(render(context))
            yield html

        return once

    for name in partials:
        template = env.get_template(name)
        template.root_render_func = shared(name, template.root_render_func)
    base = env.get_template("base.html")
    for block in base_blocks:
        if block in base.blocks:  # a later Material may have dropped one
            base.blocks[block] = shared(f"base.html#{block}", base.blocks[block])


def _once() -> Callable[..., Any]:
    """`{% call civic_once(key…) %}…{% endcall %}` in a template: the block rendered the first
    time in a build, and what it printed then for every later call with the same key (a group's
    card is in the directory and in each of its fields' and areas' lists; the key holds
    everything the block depends on). A new one for each build (on_env)."""
    printed: dict[tuple[Any, ...], Any] = {}

    def once(*key: Any, caller: Callable[[], Any]) -> Any:
        if (html := printed.get(key)) is None:
            printed[key] = html = caller()
        return html

    return once


def _templates_kept(env: Any) -> None:
    """The build's templates, compiled, kept for the next build (in the system's temporary
    folder, one per user, which Jinja makes private; a template is compiled again when its text
    changes): compiling Material's and ours took each build and each `mkdocs serve` rebuild 0.8
    s. And looked up in a plain dict: Jinja's cache moves each template looked up to the end of
    a queue of up to 400, and a page looks up a dozen (its includes and imports)."""
    if env.bytecode_cache is None:
        try:
            env.bytecode_cache = _KeptTemplates(pattern="civic-portal-%s.cache")
        except (OSError, RuntimeError):  # no private temporary folder: compiled every build
            pass
    if env.cache is not None:
        env.cache = dict(env.cache.items())


class _KeptTemplates(FileSystemBytecodeCache):
    """A compiled template that cannot be read or kept (a full disk) is compiled as usual."""

    def load_bytecode(self, bucket: Any) -> None:
        with contextlib.suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: Any) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _as_file(config: MkDocsConfig, out: OutputFile, unchanged: bool = False) -> File:
    """An output as MkDocs' virtual file: pages other than the entry points stay out of the nav."""
    if out.source is not None:
        return File.generated(config, out.path, abs_src_path=out.source)
    hidden = out.page and not out.in_nav
    inclusion = InclusionLevel.NOT_IN_NAV if hidden else InclusionLevel.UNDEFINED
    if out.make is not None:  # made and written by the writing process (made_by)
        file = _Written.generated(config, out.path, content=b"", inclusion=inclusion)
        file.sent = True
        return file
    kind = _Unchanged if unchanged else _Written
    return kind.generated(config, out.path, content=out.content, inclusion=inclusion)  # type: ignore[arg-type]


REUSED_TEMPLATE = "civic/reused.html"  # prints a page's HTML kept from the previous build


def shared_inputs(config: MkDocsConfig, settings: Settings) -> tuple[Any, ...]:
    """What every page is made of besides its own inputs: the settings, mkdocs.yml, the theme's
    files and the pages of the navigation (whose titles it may show; without a `nav:`, every page
    of docs_dir): a change to any of them renders every page again."""
    theme = []
    for folder in config.theme.dirs:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                stat = path.stat()
                theme.append((str(path), stat.st_mtime_ns, stat.st_size))
    docs = Path(config.docs_dir)
    if config.nav is None:  # MkDocs lists every page of docs_dir, by its title
        names = sorted(str(p.relative_to(docs)) for p in docs.rglob("*.md"))
    else:
        names = _nav_files(config.nav)
    for name in names:
        path = docs / name
        if path.is_file():
            theme.append((str(path), path.stat().st_mtime_ns, path.stat().st_size))
    config_file = Path(config.config_file_path or "")
    mkdocs_yml = config_file.read_bytes() if config_file.is_file() else b""
    return (repr(settings), mkdocs_yml, config.site_url, tuple(theme))


def _nav_files(nav: Any) -> list[str]:
    """The file names in mkdocs.yml's nav (titles, sections and URLs left out)."""
    if isinstance(nav, str):
        return [nav] if nav.endswith(".md") else []
    if isinstance(nav, dict):
        return [name for value in nav.values() for name in _nav_files(value)]
    if isinstance(nav, list):
        return [name for item in nav for name in _nav_files(item)]
    return []


def print_template(config: Any) -> Any:
    """The theme's print template for a newsletter issue, as a function of its `civic` context."""
    template = config.theme.get_env().get_template("civic/newsletter_print.html")
    base_url = (config.site_url or "").rstrip("/")
    return lambda civic: template.render(config=config, page=None, base_url=base_url, civic=civic)


def _report(problems: list[Problem]) -> str:
    lines = [str(p) for p in sorted(problems)]
    return (
        f"{len(problems)}件の問題があります。直してからもう一度ビルドしてください:\n"
        + "\n".join(lines)
    )
