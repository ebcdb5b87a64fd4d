"""Sanitise the HTML that group-written Markdown turns into (nh3, an allow-list)."""

from __future__ import annotations

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


def sanitize_html(html: str) -> str:
    """Keep only the allow-listed tags, attributes and URL schemes; drop script-bearing content.

    Links get rel="noopener nofollow ugc": the text is user-generated and unendorsed.
    """
    return nh3.clean(
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
