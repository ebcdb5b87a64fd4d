"""An issue's print document, the one path from sources to PDF for `mkdocs build` and
`civic newsletter pdf`: Markdown with the site's extensions, the shared article template, the
print sheet, then WeasyPrint (cached by content)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..config import CivicConfig
from ..model import Site
from ..model.newsletter import Newsletter
from ..render.pdf import PdfInfo, cached_pdf, renderer
from . import PageSpec, page_context
from .newsletter import print_body, split_body

_IMG_SRC_RE = re.compile(r'<img\b[^>]*?\bsrc="([^"]+)"')


def print_document(
    mkdocs_config: Any, civic: CivicConfig, site: Site, issue: Newsletter, env: Any
) -> tuple[str, str, list[Path]]:
    """(HTML, base URL for its images, the local images it shows) of one issue; `env` is the
    theme's Jinja environment."""
    site_url = mkdocs_config.site_url or ""
    body_html = print_body(
        issue.body,
        issue.src_uri,
        site_url,
        list(mkdocs_config.markdown_extensions),
        dict(mkdocs_config.mdx_configs),
    )
    spec = PageSpec("newsletter", issue.label, subject=issue)
    context = page_context(spec, site, civic.newest_groups, civic.events)
    context["parts"] = split_body(body_html)
    html = env.get_template("civic/newsletter_print.html").render(
        config=mkdocs_config, page=None, base_url=site_url.rstrip("/"), civic=context
    )
    folder = (Path(mkdocs_config.docs_dir) / issue.src_uri).parent.resolve()
    images = []
    for src in _IMG_SRC_RE.findall(body_html):
        parts = urlsplit(src)
        if not parts.scheme and not parts.netloc:
            images.append((folder / unquote(parts.path)).resolve())
    return html, folder.as_uri() + "/", images


def newsletter_pdfs(
    mkdocs_config: Any, civic: CivicConfig, site: Site, issues: Iterable[Newsletter]
) -> Iterator[tuple[Newsletter, bytes, PdfInfo, bool]]:
    """Each issue with its PDF, size and pages, and whether the cache already had it. The
    renderer is checked (PdfUnavailable) and the templates loaded once for all of them."""
    engine = renderer()
    env = mkdocs_config.theme.get_env()
    root = Path(mkdocs_config.config_file_path or ".").resolve().parent
    cache_dir = root / civic.newsletters.cache_dir / "pdf"
    for issue in issues:
        html, base, images = print_document(mkdocs_config, civic, site, issue, env)
        yield (issue, *cached_pdf(html, base, cache_dir, engine, images))
