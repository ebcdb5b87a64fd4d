"""Sanitise the HTML that group-written Markdown turns into (nh3, an allow-list)."""

from __future__ import annotations

import re

import nh3

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
_STRIPPED_BY_BROWSERS = re.compile(r"[\t\n\r]")  # the URL standard removes these before parsing
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def _url_filter(element: str, attribute: str, value: str) -> str | None:
    """Check URLs as a browser reads them: "jav&#x09;ascript:" is javascript: to a browser
    (tabs and newlines are removed), though to ammonia it looks like a relative path."""
    if attribute not in _URL_ATTRIBUTES:
        return value
    url = _STRIPPED_BY_BROWSERS.sub("", value).strip("\x00 \x0c")
    scheme = _SCHEME.match(url)
    if scheme and scheme.group(1).lower() not in URL_SCHEMES:
        return None
    if re.match(r"^[\x00-\x20]*[a-zA-Z][a-zA-Z0-9+.-]*[\x00-\x20]*:", url) and not scheme:
        return None  # a scheme hidden by other control characters
    return url


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
