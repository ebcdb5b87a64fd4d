"""An issue's print document, the one path from sources to PDF for `mkdocs build` and
`civic newsletter pdf`: Markdown with the site's extensions, the shared article template, the
print sheet, then WeasyPrint, refusing to print Japanese without a Japanese font, and a cache
keyed by the document's content so unchanged issues are not rendered again."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..model import Site
from ..model.newsletter import Newsletter
from ..model.settings import Settings
from ..pages import PageSpec, page_context
from ..pages.newsletter import print_body, split_body
from ..render.pdf import (
    FONT_PACKAGES,
    INSTALL_HINT,
    PdfInfo,
    PdfUnavailable,
    render_pdf,
    weasyprint_version,
)

_IMG_SRC_RE = re.compile(r'<img\b[^>]*?\bsrc="([^"]+)"')


Template = Callable[[dict[str, Any]], str]
"""Renders the theme's civic/newsletter_print.html with the given `civic` context."""


def print_document(
    settings: Settings, site: Site, issue: Newsletter, template: Template
) -> tuple[str, str, list[Path]]:
    """(HTML, base URL for its images, the local images it shows) of one issue."""
    body_html = print_body(
        issue.body,
        issue.src_uri,
        settings.site_url,
        list(settings.markdown_extensions),
        dict(settings.markdown_configs),
    )
    spec = PageSpec("newsletter", issue.label, subject=issue)
    context = page_context(spec, site, settings.newest_groups, settings.events)
    context["parts"] = split_body(body_html)
    html = template(context)
    folder = (settings.docs_dir / issue.src_uri).parent.resolve()
    images = []
    for src in _IMG_SRC_RE.findall(body_html):
        parts = urlsplit(src)
        if not parts.scheme and not parts.netloc:
            images.append((folder / unquote(parts.path)).resolve())
    return html, folder.as_uri() + "/", images


def newsletter_pdfs(
    settings: Settings, site: Site, issues: Iterable[Newsletter], template: Template
) -> Iterator[tuple[Newsletter, bytes, PdfInfo, bool]]:
    """Each issue with its PDF, size and pages, and whether the cache already had it. The
    renderer is checked (PdfUnavailable) once for all of them."""
    engine = renderer()
    cache_dir = settings.root / settings.newsletters.cache_dir / "pdf"
    for issue in issues:
        html, base, images = print_document(settings, site, issue, template)
        yield (issue, *cached_pdf(html, base, cache_dir, engine, images))


def japanese_fonts() -> list[str]:
    """Families fontconfig offers for Japanese text; raises PdfUnavailable when there is none."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        raise PdfUnavailable(
            f"フォントの一覧（fontconfig の fc-list）がありません。fontconfig と {FONT_PACKAGES} を入れてください。{INSTALL_HINT}"
        )
    try:
        listed = subprocess.run(
            [fc_list, ":lang=ja", "family"], capture_output=True, text=True, check=True, timeout=60
        ).stdout
    except (OSError, subprocess.SubprocessError) as e:
        raise PdfUnavailable(f"フォントの一覧を読めません（{e}）") from e
    families = sorted({line.split(",")[0].strip() for line in listed.splitlines() if line.strip()})
    if not families:
        raise PdfUnavailable(
            f"日本語のフォントがありません。このまま作ると文字が空の四角になるため PDF を作りません。{FONT_PACKAGES} を入れてください。{INSTALL_HINT}"
        )
    return families


def renderer() -> str:
    """What, besides the document, decides the PDF: WeasyPrint's version and the Japanese fonts.
    Raises PdfUnavailable when either is missing; asked once per run, not once per issue."""
    return weasyprint_version() + "\0" + "\0".join(japanese_fonts())


def cached_pdf(
    html: str, base_url: str, cache_dir: Path, engine: str, images: Sequence[Path] = ()
) -> tuple[bytes, PdfInfo, bool]:
    """The PDF of `html` from `cache_dir` when the same document (and the same images, and the
    same `engine`, from `renderer()`) was printed before; otherwise render it and keep it.

    Returns (pdf, info, whether it came from the cache).
    """
    key = hashlib.sha256()
    key.update(engine.encode() + b"\0")
    key.update(base_url.encode() + b"\0" + html.encode())
    for image in images:
        key.update(image.read_bytes() if image.is_file() else b"")
    path = cache_dir / f"{key.hexdigest()}.pdf"
    pages_file = path.with_suffix(".pages")
    if path.is_file() and pages_file.is_file():
        pdf = path.read_bytes()
        return pdf, PdfInfo(len(pdf), int(pages_file.read_text())), True
    pdf, pages = render_pdf(html, base_url)
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Written aside, then renamed: an entry is whole or absent, even if the build is stopped.
    for target, data in ((pages_file, str(pages).encode()), (path, pdf)):
        partial = target.with_suffix(target.suffix + ".tmp")
        partial.write_bytes(data)
        partial.replace(target)
    return pdf, PdfInfo(len(pdf), pages), False
