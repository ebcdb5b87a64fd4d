"""The portal's own stylesheets and scripts as the site serves them: one minified stylesheet for
every page, and one minified script per kind of page holding just the parts that kind runs, each
named by a hash of its content so that a host may cache it for a year (as Material's own assets
are named).

A page asks for a bundle by name (`civic.css`, `directory.js`, ...); `asset_files()` gives every
bundle's path under the site and its bytes, `bundle_paths()` the names → paths the templates use.
The sources stay readable in the theme folder (overrides/assets/); the tests run the sources of
civic-fold.js against the Python folding, and the newsletter's print template includes its
stylesheet as it is.

Minified with rcssmin and rjsmin (CSS and JavaScript minifiers that only remove comments and
whitespace, so the behaviour cannot change): civic.css goes from 11.7 KB to 8.6 KB (2.6 KB
gzip-compressed).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import rcssmin
import rjsmin

ASSETS = "assets/civic"  # folder of the bundles under the site

# Bundle → its sources under the theme's assets/ folder, in order. Every page's script ends with
# the scroll-region marker (civic-scroll-regions.js), so a page loads exactly one of ours.
_EVERY_PAGE = "javascripts/civic-scroll-regions.js"
BUNDLES: Mapping[str, tuple[str, ...]] = {
    "civic.css": ("stylesheets/civic.css",),
    "newsletter.css": ("stylesheets/newsletter.css",),
    "page.js": (_EVERY_PAGE,),
    "directory.js": (
        "javascripts/civic-fold.js",
        "javascripts/civic-url-state.js",
        "javascripts/civic-directory.js",
        _EVERY_PAGE,
    ),
    "search.js": (
        "javascripts/civic-fold.js",
        "javascripts/civic-url-state.js",
        "javascripts/civic-search.js",
        _EVERY_PAGE,
    ),
    "events.js": ("javascripts/civic-events.js", _EVERY_PAGE),
}


@dataclass(frozen=True)
class Asset:
    name: str  # the bundle's name, e.g. "directory.js"
    path: str  # under the site, e.g. "assets/civic/directory.1a2b3c4d.min.js"
    content: bytes


class AssetMissing(Exception):
    """A source of a bundle is not in the theme folder (a fork removed or renamed it)."""


def bundle_sources() -> set[str]:
    """Every source file the bundles are made of (relative to the theme's assets/ folder)."""
    return {source for sources in BUNDLES.values() for source in sources}


def build_assets(assets_dir: Path) -> list[Asset]:
    """Every bundle, minified and named by its content's hash, from the sources in
    `assets_dir` (the theme's assets/ folder)."""
    out = []
    for name, sources in BUNDLES.items():
        texts = []
        for source in sources:
            path = assets_dir / source
            try:
                texts.append(path.read_text(encoding="utf-8"))
            except OSError as e:
                raise AssetMissing(f"{path}: {e.strerror or e}") from None
        stem, kind = name.rsplit(".", 1)
        if kind == "css":
            content = rcssmin.cssmin("\n".join(texts))
        else:  # each source is a self-contained function expression; `;` keeps them apart
            content = ";\n".join(rjsmin.jsmin(text).rstrip(";") for text in texts) + ";\n"
        data = content.encode("utf-8")
        digest = hashlib.sha256(data).hexdigest()[:8]
        out.append(Asset(name, f"{ASSETS}/{stem}.{digest}.min.{kind}", data))
    return out


def bundle_paths(assets: list[Asset]) -> dict[str, str]:
    """Bundle name → its path under the site, for the templates."""
    return {a.name: a.path for a in assets}
