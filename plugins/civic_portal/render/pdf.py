"""HTML to PDF with WeasyPrint: tagged, offline, deterministic. (Which fonts the machine has and
the cache of rendered PDFs are outputs' business: outputs/printing.py.)"""

from __future__ import annotations

import logging
from dataclasses import dataclass

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
