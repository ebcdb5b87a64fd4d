"""An issue's print document, the one path from sources to PDF for `mkdocs build` and
`civic newsletter pdf`: Markdown with the site's extensions, the shared article template, the
print sheet, then WeasyPrint (cached by content)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..config import CivicConfig
from ..load.frontmatter import split
from ..model import Site
from ..model.newsletter import Newsletter
from ..render.pdf import PdfInfo, cached_pdf
from . import PageSpec, page_context
from .newsletter import print_body, split_body

_IMG_SRC_RE = re.compile(r'<img\b[^>]*?\bsrc="([^"]+)"')


def print_document(
    mkdocs_config: Any, civic: CivicConfig, site: Site, issue: Newsletter, docs_dir: Path
) -> tuple[str, str, list[Path]]:
    """(HTML, base URL for its images, the local images it shows) of one issue."""
    source = docs_dir / issue.src_uri
    text = source.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    _, _, body, _ = split(text)
    site_url = mkdocs_config.site_url or ""
    body_html = print_body(
        body,
        issue.src_uri,
        site_url,
        list(mkdocs_config.markdown_extensions),
        dict(mkdocs_config.mdx_configs),
    )
    spec = PageSpec("newsletter", issue.label, subject=issue)
    context = page_context(spec, site, civic.newest_groups, civic.events)
    context["parts"] = split_body(body_html)
    env = mkdocs_config.theme.get_env()
    html = env.get_template("civic/newsletter_print.html").render(
        config=mkdocs_config, page=None, base_url=site_url.rstrip("/"), civic=context
    )
    base = source.parent.resolve().as_uri() + "/"
    images = []
    for src in _IMG_SRC_RE.findall(body_html):
        parts = urlsplit(src)
        if not parts.scheme and not parts.netloc:
            images.append((source.parent / unquote(parts.path)).resolve())
    return html, base, images


def newsletter_pdf(
    mkdocs_config: Any, civic: CivicConfig, site: Site, issue: Newsletter, docs_dir: Path
) -> tuple[bytes, PdfInfo, bool]:
    """The issue's PDF, its size and pages, and whether the cache already had it."""
    html, base, images = print_document(mkdocs_config, civic, site, issue, docs_dir)
    root = Path(mkdocs_config.config_file_path or ".").resolve().parent
    return cached_pdf(html, base, root / civic.newsletters.cache_dir / "pdf", images)
