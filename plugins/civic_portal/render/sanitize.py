"""Sanitise the HTML that group-written Markdown turns into (nh3, an allow-list)."""

from __future__ import annotations

import re

import nh3

from ..links import as_browser_reads, leaves_the_site, scheme_of

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "dd",
        "del",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "rp",
        "rt",
        "ruby",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    }
)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "ol": {"start"},
    **{h: {"id"} for h in _HEADINGS},  # the table of contents links to heading ids
}
# A group's text sits in a section of its page headed by an <h2> (活動紹介 on a group page, 内容 on an
# event page), so its own headings start at <h3>.
BODY_TOP_HEADING = 3
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_URL_ATTRIBUTES = frozenset({"href", "src"})


def _url_filter(element: str, attribute: str, value: str) -> str | None:
    """Check URLs as a browser reads them: "jav&#x09;ascript:" is javascript: to a browser
    (tabs and newlines are removed), though to ammonia it looks like a relative path. An image
    may only come from this site: a remote one would tell a third party who reads the page (the
    loader refuses those it can see with a line number; this catches any other spelling)."""
    if attribute not in _URL_ATTRIBUTES:
        return value
    scheme = scheme_of(value)
    if scheme is None or (scheme and scheme not in URL_SCHEMES):
        return None
    if element == "img" and leaves_the_site(value):
        return None
    return as_browser_reads(value)


def sanitize_html(html: str, top_heading: int = BODY_TOP_HEADING) -> str:
    """Keep only the allow-listed tags, attributes and URL schemes; drop script-bearing content;
    the headings moved so the highest is <h`top_heading`> (see `fit_headings`).

    Links get rel="noopener nofollow ugc": the text is user-generated and unendorsed.
    """
    clean = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={
            "script",
            "style",
            "iframe",
            "object",
            "embed",
            "form",
            "svg",
            "math",
            "template",
            "noscript",
            "textarea",
            "select",
        },
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener nofollow ugc",
        strip_comments=True,
        attribute_filter=_url_filter,
    )
    return fit_headings(clean, top_heading)


# Only for HTML that nh3 wrote: it escapes every "<" of text and of attribute values, so each "<h"
# left is a tag.
_HEADING_TAG = re.compile(r"<(/?)h([1-6])(?=[\s>])")


def fit_headings(html: str, top: int) -> str:
    """The headings moved together so the highest is <h`top`>, their steps kept, none below <h6>;
    ids and text unchanged. With top=3, `#`/`##` become h3/h4, and a text that starts at `##`
    (as the editing guide asks) gets h3: no level is skipped below the page's <h2>."""
    levels = [int(m.group(2)) for m in _HEADING_TAG.finditer(html) if not m.group(1)]
    if not levels:
        return html
    shift = top - min(levels)
    return _HEADING_TAG.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + shift)}", html)
