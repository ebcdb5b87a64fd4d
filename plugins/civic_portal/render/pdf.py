"""HTML to PDF with WeasyPrint, refusing to print Japanese without a Japanese font, and a cache
keyed by the document's content so unchanged issues are not rendered again."""

from __future__ import annotations

import hashlib
import logging
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

FONT_PACKAGES = "fonts-noto-cjk（または fonts-ipaexfont）"
INSTALL_HINT = (
    "Debian/Ubuntu では sudo apt-get install fonts-noto-cjk libharfbuzz-subset0 で入ります。"
    "PDF が要らないときは mkdocs.yml の civic: newsletters: pdf: を false にしてください"
)


@dataclass(frozen=True)
class PdfInfo:
    """What the archive says about a PDF beside its link."""

    size: int
    pages: int


class PdfUnavailable(Exception):
    """What is missing on this machine to print a PDF, said in Japanese with the fix."""


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


def weasyprint_version() -> str:
    """WeasyPrint's version, or PdfUnavailable if it (or the Pango it needs) cannot load."""
    try:
        import weasyprint
    except ImportError as e:
        raise PdfUnavailable(f"WeasyPrint がありません（pip install -e . で入ります）: {e}") from e
    except OSError as e:  # the Pango shared library is missing
        raise PdfUnavailable(
            f"WeasyPrint が使う Pango がありません（sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0）: {e}"
        ) from e
    return str(weasyprint.__version__)


def render_pdf(html: str, base_url: str) -> tuple[bytes, int]:
    """A tagged (accessible) PDF of `html` and its page count; relative images resolve against
    `base_url`. Only local files and data: URIs are read: a build never waits on the network,
    and the same sources always give the same PDF.
    """
    weasyprint_version()
    import weasyprint
    from weasyprint.urls import URLFetcher

    logging.getLogger("fontTools").setLevel(logging.ERROR)
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher).render()
    return document.write_pdf(pdf_tags=True), len(document.pages)


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
