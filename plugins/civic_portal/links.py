"""URLs written in group text, read the way a browser reads them (the WHATWG URL standard).

Shared by the loader (which refuses what it can name with a line) and the sanitiser (which
removes whatever the loader could not see): one reading, so the two cannot disagree.
"""

from __future__ import annotations

import re

_REMOVED_BY_BROWSERS = re.compile(r"[\t\n\r]")  # removed anywhere before parsing
_TRIMMED_BY_BROWSERS = "".join(chr(c) for c in range(0x21))  # C0 controls and space, both ends
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_HIDDEN_SCHEME = re.compile(r"^[\x00-\x20]*[a-zA-Z][a-zA-Z0-9+.-]*[\x00-\x20]*:")


def as_browser_reads(url: str) -> str:
    """`url` after the browser's clean-up: "jav&#x09;ascript:" (a tab once decoded) is javascript:."""
    return _REMOVED_BY_BROWSERS.sub("", url).strip(_TRIMMED_BY_BROWSERS)


def scheme_of(url: str) -> str | None:
    """The scheme a browser would use ("javascript", "https"), "" for a relative URL, or None when
    the value hides a scheme behind other control characters (refuse it)."""
    cleaned = as_browser_reads(url)
    match = _SCHEME.match(cleaned)
    if match:
        return match.group(1).lower()
    return None if _HIDDEN_SCHEME.match(cleaned) else ""


def leaves_the_site(url: str) -> bool:
    """Whether loading `url` (an image, say) would contact another host: any scheme, or a
    scheme-relative "//host" (browsers read "\\\\host", "/\\host" and "\\/host" the same way)."""
    cleaned = as_browser_reads(url)
    return scheme_of(url) != "" or cleaned[:2].replace("\\", "/") == "//"
