"""A group's logo in the sizes the screens that show it need.

The group page shows a logo in a box of `LOGO_BOX` CSS pixels (its longer side). A phone's
screen has two or three device pixels to the CSS pixel, so the site offers the logo at the box's
size for one, two and three device pixels per CSS pixel (never larger than the file the group
added) and lets the browser choose (`srcset` with widths, `sizes`): a 1× screen loads the
96-pixel file, a high-density phone the 192- or 288-pixel one, and nobody the group's original,
which may be ten times larger. Each size is written to `groups/images/<width>/<name>`, in the
original's format, with its orientation applied and without its metadata (a photo's EXIF may
carry where it was taken). The original stays at `groups/images/<name>` for structured data and
feeds.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageOps

from .. import urls

LOGO_BOX = 96  # CSS pixels: the longer side of the logo on the group page
DENSITIES = (1, 2, 3)  # device pixels per CSS pixel offered
_ROTATED = {5, 6, 7, 8}  # EXIF orientations that swap width and height
_SAVE = {
    "PNG": {"optimize": True},
    "JPEG": {"quality": 85, "optimize": True},
    "WEBP": {"quality": 85, "method": 6},
    "GIF": {"optimize": True},
}


@dataclass(frozen=True)
class LogoSizes:
    """How a page shows a logo: its box (CSS pixels) and the widths it is offered in."""

    name: str
    width: int  # CSS pixels
    height: int
    widths: tuple[int, ...]  # device pixels, ascending

    def src(self, width: int) -> str:
        return urls.logo_sized_src(self.name, width)

    @property
    def default_src(self) -> str:
        """For browsers without srcset: the size for a 1× screen."""
        return self.src(self.widths[0])

    @property
    def srcset(self) -> str:
        return ", ".join(f"{self.src(w)} {w}w" for w in self.widths)

    @property
    def sizes(self) -> str:
        return f"{self.width}px"


def logo_sizes(name: str, source: str | Path) -> LogoSizes | None:
    """The sizes of the logo file `source` (published as `name`), from its header only; None if
    it cannot be read (the loader has already reported such a file)."""
    try:
        with Image.open(source) as image:
            width, height = image.size
            if image.getexif().get(0x0112) in _ROTATED:
                width, height = height, width
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    scale = LOGO_BOX / max(width, height)
    box_w, box_h = max(1, round(width * scale)), max(1, round(height * scale))
    widths = tuple(sorted({min(width, box_w * d) for d in DENSITIES}))
    return LogoSizes(name, box_w, box_h, widths)


def logo_files(sizes: LogoSizes, source: str | Path) -> dict[str, bytes]:
    """Every size of the logo: path under the site → the file's bytes."""
    with Image.open(source) as original:
        kind = original.format or "PNG"
        image = ImageOps.exif_transpose(original)
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA")
        out = {}
        for width in sizes.widths:
            height = max(1, round(image.height * width / image.width))
            resized = image.resize((width, height), Image.Resampling.LANCZOS)
            if kind == "JPEG" and resized.mode != "RGB":
                resized = resized.convert("RGB")
            buffer = io.BytesIO()
            resized.save(buffer, format=kind, **_SAVE.get(kind, {}))
            out[sizes.src(width)] = buffer.getvalue()
    return out
