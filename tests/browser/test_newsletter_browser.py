"""A newsletter issue printed from the browser (Debian's chromium, Playwright): the site around
it disappears, the article keeps its masthead and two columns, and the paper is A4."""

from __future__ import annotations

import io
import unicodedata
from typing import Any

from pypdf import PdfReader

from .browser_support import TEST_OUTPUT, base_url, browser, needs_browser, open_page

pytestmark = needs_browser
__all__ = ["base_url", "browser"]  # fixtures, used by name

HIDDEN_IN_PRINT = (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-footer", ".civic-nl-nav")


def display(page: Any, selector: str) -> str:
    return page.eval_on_selector(selector, "e => getComputedStyle(e).display")


def test_issue_prints_without_the_site_around_it(browser: Any, base_url: str) -> None:
    with open_page(browser) as page:
        page.goto(base_url + "newsletters/2026-12/")
        for selector in HIDDEN_IN_PRINT:
            assert display(page, selector) != "none", selector  # on screen: the whole site
        prose = "document.querySelector('.civic-nl__prose:not(.civic-nl__prose--wide)')"
        assert page.evaluate(f"getComputedStyle({prose}).columnCount") == "auto"
        page.emulate_media(media="print")
        for selector in HIDDEN_IN_PRINT:
            assert display(page, selector) == "none", selector
        assert page.is_visible("h1.civic-nl__title")
        assert page.evaluate(f"getComputedStyle({prose}).columnCount") == "2"
        wide = "document.querySelector('.civic-nl__prose--wide')"
        assert page.evaluate(f"getComputedStyle({wide}).columnCount") in ("1", "auto")
        TEST_OUTPUT.mkdir(exist_ok=True)
        page.screenshot(path=str(TEST_OUTPUT / "newsletter-print-media.png"), full_page=True)
        pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
    box = pdf.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 from @page
    # NFKC: Chromium's CJK subsets map some kanji to their radical forms (⽉ for 月) in text.
    pages = ["".join(unicodedata.normalize("NFKC", p.extract_text()).split()) for p in pdf.pages]
    assert pages[0].startswith("1/"), pages[0][:40]  # the page number in the bottom margin box
    assert "しみんの広場vol.8" in pages[0][:30], pages[0][:80]  # the masthead opens page 1
    text = "".join(pages)
    assert "団体ページの編集方法" not in text and "サイト内検索" not in text  # no site navigation
    assert "お問い合わせ" in text and "000-100-2000" in text
