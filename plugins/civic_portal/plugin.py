"""The `civic` MkDocs plugin: hooks only, each delegating to the model, loaders and renderers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from .clock import build_now
from .config import CivicConfig
from .load import config_problems, load_site, vocabulary_of
from .load.schema import schema_json
from .model import Group, Problem, Site
from .pages import CONTENT_BACKED, UNTRUSTED_KINDS, PageSpec, page_context, plan_pages, urls
from .pages.newsletter import split_body, with_placeholders
from .pages.printing import newsletter_pdfs
from .render.directory import directory_json
from .render.event_files import event_files
from .render.feed_files import feed_files
from .render.pdf import PdfInfo, PdfUnavailable
from .render.sanitize import sanitize_html
from .render.search import SearchRecord, excerpt_of, facet_token, html_text, write_index
from .render.structured import event_ld, organization

log = get_plugin_logger(__name__)


class CivicPlugin(BasePlugin[CivicConfig]):
    supports_multiple_instances = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Kept across serve rebuilds: previews skip the PDFs (slow, and they need Japanese fonts).
        self.command = command

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # Per-build state is reset here: serve rebuilds (and tests) reuse this instance.
        self.root = Path(config.config_file_path or ".").resolve().parent
        self.now = build_now(self.config.timezone)
        self.site: Site | None = None
        self.pages: dict[str, PageSpec] = {}
        self.records: dict[str, SearchRecord] = {}
        self.facets: dict[tuple[str, str], str] = {}
        self.pdfs: dict[str, PdfInfo] = {}
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        """Read the group files and add every generated page and file."""
        site, problems = load_site(self.config, self.root, self.now, docs_dir=Path(config.docs_dir))
        self.site, self.pages = site, plan_pages(site, self.config.news.per_page)
        self.facets = {
            **{("f", f.slug): facet_token("f", i) for i, f in enumerate(site.fields)},
            **{("a", a.slug): facet_token("a", i) for i, a in enumerate(site.areas)},
        }
        problems += config_problems(config, Path(config.config_file_path or "mkdocs.yml"))
        problems += self._add_files(files, config)
        if problems:
            raise PluginError(_report(problems))
        self._add_pdfs(files, config)
        return files

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        spec = self.pages.get(page.file.src_uri)
        if spec is not None:
            if spec.kind in UNTRUSTED_KINDS:
                page.meta.clear()  # never anything a group wrote (see pages.NO_METADATA)
            # Material prints these two unescaped (<title>, <meta>, header): escape group text here.
            title = spec.title if spec.kind == "newsletter" else page.meta.get("title", spec.title)
            page.meta["title"] = escape(title)
            page.meta["template"] = spec.template
            page.meta["description"] = escape(page.meta.get("description", spec.description))
            if spec.kind == "group" and self.config.edit_url:
                page.edit_url = self.config.edit_url + spec.subject.source  # type: ignore[union-attr]
            if spec.kind == "newsletter":
                return with_placeholders(markdown)
        return markdown

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        spec = self.pages.get(page.file.src_uri)
        if spec is not None and spec.kind in UNTRUSTED_KINDS:
            html = sanitize_html(html)
        self.records[page.file.src_uri] = self._record(page, spec, html)
        return html

    def on_page_context(
        self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Any
    ) -> dict[str, Any]:
        assert self.site is not None
        spec = self.pages.get(page.file.src_uri)
        civic = page_context(
            spec, self.site, self.config.newest_groups, self.config.events, self.pdfs
        )
        if spec is not None and spec.kind == "newsletter":
            civic["parts"] = split_body(page.content or "")
        if spec is not None and spec.kind == "group":
            civic["structured"] = organization(spec.subject, config.site_url, page.url)  # type: ignore[arg-type]
        elif spec is not None and spec.kind == "event":
            listed = civic["next"] or civic["past"][-1:]
            civic["structured"] = event_ld(
                listed, civic["group"], config.site_url, page.url, self.config.events.municipality
            )
        context["civic"] = civic
        return context

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Index the whole site for Pagefind once every page is written."""
        if not self.config.search.enabled:
            return
        try:
            count = write_index(self.records.values(), Path(config.site_dir) / "pagefind")
        except Exception as e:  # the Pagefind service is a subprocess; report, don't trace back
            raise PluginError(f"サイト内検索の索引を作れませんでした（Pagefind: {e}）") from e
        log.info("Pagefind: %d pages indexed", count)

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        server.watch(str(self.root / self.config.groups_dir))
        return server

    # -- helpers -----------------------------------------------------------------------------

    def _add_files(self, files: Files, config: MkDocsConfig) -> list[Problem]:
        assert self.site is not None
        problems: list[Problem] = []
        docs = Path(config.docs_dir).name
        for src_uri, spec in self.pages.items():
            existing = files.get_file_from_path(src_uri)
            if spec.kind in CONTENT_BACKED:
                if existing is not None:  # listed on /news/, not in the navigation
                    existing.inclusion = InclusionLevel.NOT_IN_NAV
                continue
            if existing is not None:
                if spec.entry_point:
                    continue  # the centre's own intro text for the directory, calendar or news
                problems.append(
                    Problem(
                        f"{docs}/{src_uri}",
                        1,
                        "file",
                        "団体ページ用にサイトが作るページと同じ場所です。別の名前にしてください",
                    )
                )
                continue
            # the entry points are in the navigation; the rest hang off them
            inclusion = InclusionLevel.UNDEFINED if spec.entry_point else InclusionLevel.NOT_IN_NAV
            files.append(
                File.generated(config, src_uri, content=spec.markdown, inclusion=inclusion)
            )
        files.append(File.generated(config, urls.DIRECTORY_JSON, content=directory_json(self.site)))
        vocabulary = vocabulary_of(self.config, self.now)
        files.append(
            File.generated(
                config, urls.GROUP_SCHEMA, content=schema_json(vocabulary, config.site_url or "")
            )
        )
        outputs = event_files(self.site, self.config, config.site_url or "", config.site_name)
        author = self.config.feeds.author or config.site_author or config.site_name
        outputs |= feed_files(
            self.site,
            config.site_url or "",
            config.site_name,
            author,
            self.config.feeds.max_entries,
        )
        for src_uri, content in outputs.items():
            files.append(File.generated(config, src_uri, content=content))
        pictures = {name: path for g in self.site.groups for name, path in g.pictures.items()}
        for name, source in sorted(pictures.items()):
            files.append(File.generated(config, urls.logo_src(name), abs_src_path=source))
        return problems

    def _add_pdfs(self, files: Files, config: MkDocsConfig) -> None:
        """Each newsletter issue as a PDF beside its page, unless turned off (or previewing)."""
        assert self.site is not None
        settings = self.config.newsletters
        previewing = getattr(self, "command", "build") == "serve" and not settings.pdf_on_serve
        if not settings.pdf or previewing or not self.site.newsletters:
            return
        rendered = 0
        try:
            for issue, pdf, info, cached in newsletter_pdfs(
                config, self.config, self.site, self.site.newsletters
            ):
                files.append(
                    File.generated(config, urls.newsletter_pdf(issue.src_uri), content=pdf)
                )
                self.pdfs[issue.src_uri] = info
                rendered += not cached
        except PdfUnavailable as e:
            raise PluginError(f"情報紙の PDF を作れません: {e}") from None
        log.info("Newsletter PDFs: %d rendered, %d unchanged", rendered, len(self.pdfs) - rendered)

    def _record(self, page: Page, spec: PageSpec | None, html: str) -> SearchRecord:
        text = html_text(html)
        if spec is None or spec.kind != "group":
            return SearchRecord(
                url="/" + page.url,
                title=spec.title if spec is not None else (page.title or ""),
                text=text,
                excerpt=excerpt_of(text),
            )
        g: Group = spec.subject  # type: ignore[assignment]
        facets = [self.facets["f", f.slug] for f in g.fields] + [
            self.facets["a", a.slug] for a in g.areas
        ]
        parts = [
            g.kana,
            g.summary,
            *g.tags,
            *(f.short for f in g.fields),
            *(a.name for a in g.areas),
        ]
        return SearchRecord(
            url="/" + page.url,
            title=g.name,
            text="\n".join([*parts, g.activity or "", g.place or "", text]),
            excerpt=g.summary,
            facets=tuple(facets),
        )


def _report(problems: list[Problem]) -> str:
    lines = [str(p) for p in sorted(problems)]
    return (
        f"{len(problems)}件の問題があります。直してからもう一度ビルドしてください:\n"
        + "\n".join(lines)
    )
