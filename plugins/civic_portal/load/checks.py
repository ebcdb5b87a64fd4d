"""Value checks shared by the loaders: each returns a clean value or records a Problem."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from PIL import Image, ImageFile

from ..model import Problem
from .frontmatter import INVALID, Document, FrontMatterError, dotted, parse
from .group_contract import MESSAGES

URL_SCHEMES = ("http", "https")
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")
_EMAIL_RE = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$")
_PHONE_RE = re.compile(r"^\+?[0-9][0-9() -]{5,20}$")
_DATE_RE = re.compile(r"^(\d{4}) ?[-/年] ?(\d{1,2}) ?[-/月] ?(\d{1,2}) ?日?$")
_SPACES = re.compile(r"\s+")
_LONGEST_DATE = 40  # 2026年12月6日 10時00分 and every other accepted spelling is shorter
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
MAX_SOURCE_BYTES = 256 * 1024  # a group file, a news post or a newsletter issue


class Checker:
    """Collects problems for one source file, each with the line of the offending value."""

    def __init__(self, path: str, doc: Document) -> None:
        self.path, self.doc = path, doc
        self.problems: list[Problem] = [Problem(path, e.line, e.key, e.message) for e in doc.errors]
        self.notices: list[Problem] = []  # suggestions: shown by `civic check`, never fatal

    def suggest(self, path: tuple[Any, ...], message: str) -> None:
        """A suggestion for the editor to confirm (a registered venue, a reading); not an error."""
        self.notices.append(Problem(self.path, self.doc.line(*path), dotted(path), message))

    def report(self, path: tuple[Any, ...], message: str, *, line: int | None = None) -> None:
        key = dotted(path) or "front-matter"
        self.problems.append(
            Problem(self.path, line if line is not None else self.doc.line(*path), key, message)
        )

    # -- structure -----------------------------------------------------------------------

    def mapping(
        self,
        value: Any,
        path: tuple[Any, ...],
        allowed: Iterable[str],
        required: Iterable[str] = (),
        *,
        required_line: int | None = None,
    ) -> dict[str, Any] | None:
        """Check that `value` is a mapping with only `allowed` keys and all `required` ones. A
        missing key is reported at `required_line` if given (the line of the key that holds the
        mapping), else where the mapping starts."""
        if value is INVALID:
            return None
        if not isinstance(value, dict):
            example = ", ".join(list(allowed)[:3])
            self.report(path, f"「キー: 値」の形で書いてください（使えるキー: {example} など）")
            return None
        allowed = list(allowed)
        for key in value:
            if key not in allowed:
                self.report((*path, key), unknown_key_message(key, allowed))
        for key in required:
            if value.get(key) is None and value.get(key) is not INVALID:
                where = required_line or (self.doc.line(*path) if path else self.doc.fence_line)
                self.report((*path, key), MESSAGES["required"].format(key=key), line=where)
        return value

    def listing(
        self, value: Any, path: tuple[Any, ...], *, min_items: int = 0, max_items: int = 100
    ) -> list[Any]:
        """A YAML list; a single scalar is refused with the list syntax shown."""
        if value is INVALID or value is None:
            return []
        if not isinstance(value, list):
            self.report(path, "リストで書いてください（例: [項目1, 項目2] または行頭に「- 」）")
            return []
        if len(value) < min_items:
            self.report(path, MESSAGES["min_items"].format(count=min_items))
        if len(value) > max_items:
            self.report(
                path, MESSAGES["max_items"].format(count=max_items) + f"（今は{len(value)}個）"
            )
        return value

    def group_refs(
        self, value: Any, path: tuple[Any, ...], group_slugs: set[str], max_items: int
    ) -> tuple[str, ...]:
        """A list of group files named as `hidamari-salon` or `groups/hidamari-salon.md` (a news
        post's `groups`, an issue's `featured`): their slugs, each known and listed once."""
        slugs: list[str] = []
        for i, item in enumerate(self.listing(value, path, max_items=max_items)):
            text = self.text(item, (*path, i), max_length=80)
            if text is None:
                continue
            slug = text.removeprefix("groups/").removesuffix(".md")
            if slug not in group_slugs:
                close = difflib.get_close_matches(slug, sorted(group_slugs), n=1, cutoff=0.6)
                hint = f"もしかして「{close[0]}」ですか？" if close else ""
                self.report(
                    (*path, i),
                    f"「{text}」という団体ファイルはありません（groups/{slug}.md）。{hint}",
                )
            elif slug in slugs:
                self.report((*path, i), f"「{slug}」が2回書かれています")
            else:
                slugs.append(slug)
        return tuple(slugs)

    # -- scalars -------------------------------------------------------------------------

    def text(
        self,
        value: Any,
        path: tuple[Any, ...],
        *,
        max_length: int = 200,
        single_line: bool = True,
    ) -> str | None:
        if value is None or value is INVALID:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.report(path, "文字で書いてください")
            return None
        if not isinstance(value, str):
            self.report(path, f'文字として書くときは "{value}" のように引用符で囲んでください')
            return None
        text = value.strip()
        if not text:
            self.report(path, "空になっています。書くか、この行を消してください")
            return None
        if _CONTROL_RE.search(text):
            self.report(path, "制御文字（見えない特殊な文字）が含まれています。消してください")
            return None
        if single_line and "\n" in text:
            self.report(path, "1行で書いてください（改行は使えません）")
        if len(text) > max_length:
            self.report(
                path, MESSAGES["too_long"].format(limit=max_length) + f"（今は{len(text)}文字）"
            )
        return text

    def integer(
        self, value: Any, path: tuple[Any, ...], *, minimum: int, maximum: int
    ) -> int | None:
        if value is None or value is INVALID:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.report(path, MESSAGES["integer"])
            return None
        if not minimum <= value <= maximum:
            self.report(path, MESSAGES["range"].format(minimum=minimum, maximum=maximum))
            return None
        return value

    def date(self, value: Any, path: tuple[Any, ...]) -> dt.date | None:
        if value is None or value is INVALID:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        # Quoted dates and the spellings people write (2027/03/31, 2027年3月31日) are dates too.
        match = _DATE_RE.match(compact_value(value))
        if match:
            try:
                return dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                self.report(path, f"存在しない日付です（{value}）。年-月-日 を確かめてください")
                return None
        self.report(path, MESSAGES["date"] + f"（今は「{value}」）")
        return None

    def choice(
        self, value: Any, path: tuple[Any, ...], choices: dict[str, Any], label: str
    ) -> Any | None:
        """Look `value` up in `choices` (every accepted spelling → item)."""
        text = self.text(value, path, max_length=100)
        if text is None:
            return None
        key = unicodedata.normalize("NFKC", text)
        if key in choices:
            return choices[key]
        # one spelling per item: the first Japanese one (a field's short name), else the first
        first: dict[int, str] = {}
        for k, item in choices.items():
            if id(item) not in first or (first[id(item)].isascii() and not str(k).isascii()):
                first[id(item)] = str(k)
        names = list(dict.fromkeys(first.values()))
        # a close spelling, else the one name the text is part of (学術 → 学術・文化・芸術・スポーツ)
        close = difflib.get_close_matches(key, names, n=1, cutoff=0.5)
        close = close or [n for n in names if key in n][:1]
        hint = f"もしかして「{close[0]}」ですか？" if close else ""
        self.report(
            path, f"「{text}」は{label}の一覧にありません。{hint}使えるもの: {'、'.join(names)}"
        )
        return None

    def url(
        self, value: Any, path: tuple[Any, ...], schemes: tuple[str, ...] = URL_SCHEMES
    ) -> str | None:
        text = self.text(value, path, max_length=2000)
        if text is None:
            return None
        problem = url_problem(text, schemes)
        if problem:
            self.report(path, problem)
            return None
        return text

    def email(self, value: Any, path: tuple[Any, ...]) -> str | None:
        text = self.text(value, path, max_length=254)
        if text is None:
            return None
        text = unicodedata.normalize("NFKC", text)
        if text.lower().startswith("mailto:"):
            text = text[7:]
        if not _EMAIL_RE.match(text):
            self.report(path, MESSAGES["email"] + f"（今は「{text}」）")
            return None
        return text

    def phone(self, value: Any, path: tuple[Any, ...]) -> str | None:
        text = self.text(value, path, max_length=30)
        if text is None:
            return None
        text = unicodedata.normalize("NFKC", text).replace("‐", "-").replace("ー", "-")
        if not _PHONE_RE.match(text):
            self.report(path, MESSAGES["phone"] + f"（今は「{text}」）")
            return None
        return text


def compact_value(value: Any) -> str:
    """A date or time as written, ready for the date patterns: NFKC, trimmed, runs of spaces as
    one; anything longer than a date can be is returned empty (it matches no pattern)."""
    text = _SPACES.sub(" ", unicodedata.normalize("NFKC", str(value))).strip()
    return text if len(text) <= _LONGEST_DATE else ""


def content_files(folder: Path) -> list[Path]:
    """The Markdown sources of a content folder (news posts, newsletter issues), in a stable
    order; its index.md is the section's own page."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.md") if p.name != "index.md")


def read_document(
    path: Path, rel: str, parser: Callable[[str], Document] = parse
) -> Document | Problem:
    """One source file (a group file, a news post, a newsletter issue; the venue register with
    `parse_yaml`) as front matter and body, or the one problem that stops it from being read at
    all: a link, too large, a NUL byte, not UTF-8, or no front matter. The same checks for every
    kind of source."""
    if path.is_symlink():
        return Problem(
            rel,
            1,
            "file",
            "リンク（シンボリックリンク）は使えません。ファイルそのものを置いてください",
        )
    try:
        raw = path.read_bytes()
    except OSError as e:
        return Problem(rel, 1, "file", f"ファイルを読めません（{e.strerror}）")
    if len(raw) > MAX_SOURCE_BYTES:
        return Problem(
            rel,
            1,
            "file",
            f"ファイルが大きすぎます（{len(raw) // 1024} KB）。{MAX_SOURCE_BYTES // 1024} KB 以内にしてください",
        )
    if b"\x00" in raw:
        return Problem(
            rel,
            1,
            "file",
            "ファイルに NUL 文字が含まれています。テキストとして保存し直してください",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        return Problem(
            rel,
            raw[: e.start].count(b"\n") + 1,
            "file",
            "文字コードを UTF-8 にして保存してください（Shift_JIS などは読めません）",
        )
    try:
        return parser(text.replace("\r\n", "\n").replace("\r", "\n"))
    except FrontMatterError as e:
        return Problem(rel, e.line, e.key, e.message)


def url_problem(text: str, schemes: tuple[str, ...] = URL_SCHEMES) -> str | None:
    """Why `text` is not an acceptable link, or None. Only http(s) leave the site by default."""
    allowed = "・".join(f"{s}:" if s in ("mailto", "tel") else f"{s}://" for s in schemes)
    if any(ch.isspace() for ch in text) or _CONTROL_RE.search(text):
        return "URLに空白や改行が含まれています"
    try:
        parts = urlsplit(text)
    except ValueError:
        return f"URLとして読めません（{text}）"
    if parts.scheme.lower() not in schemes:
        return MESSAGES["url"].format(allowed=allowed) + f"（今は「{text[:60]}」）"
    if parts.scheme.lower() in ("http", "https") and not parts.hostname:
        return f"URLにサイトの名前（ドメイン）がありません（{text}）"
    return None


def unknown_key_message(key: Any, allowed: list[str]) -> str:
    close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
    hint = f"もしかして「{close[0]}」ですか？" if close else f"使えるキー: {', '.join(allowed)}"
    return f"「{key}」という項目はありません。{hint}"


MAX_IMAGE_SIDE = 4096  # pixels; a 60,000 x 60,000 PNG of 437 KB would take 14 GB to draw
_IMAGE_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


def image_problem(
    path: Path, shown_as: str, max_bytes: int | None = None, *, decode: bool = False
) -> str | None:
    """Why the image at `path` cannot be published, or None. Judged by content, never by the
    name's extension (SVG can carry script), and by its pixel size as well as its bytes: only
    the header is read, and then, with `decode` (an image the site resizes: a logo), the
    pixels, whose size the header has bounded."""
    if path.is_symlink() or path.parent.is_symlink():
        return (
            f"画像 {shown_as} はリンク（シンボリックリンク）です。リンクは使えないので、"
            "画像ファイルそのものを置いてください"
        )
    if not path.is_file():
        return (
            f"画像 {shown_as} が見つかりません。ファイルを追加したか、名前の綴りを確かめてください"
        )
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        return f"画像が大きすぎます（{size // 1024} KB）。{max_bytes // 1024} KB 以内にしてください"
    with path.open("rb") as f:
        head = f.read(12)
    if not (head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")):
        return "画像ファイルの中身が PNG・JPEG・WebP・GIF ではありません"
    try:
        with Image.open(path) as image:  # reads the header only
            kind, (width, height) = image.format, image.size
    except Image.DecompressionBombError:
        return f"画像のピクセル数が多すぎます。縦横とも {MAX_IMAGE_SIDE} ピクセル以内に縮小してください"
    except (OSError, ValueError):
        return "画像ファイルが壊れているか、読めない形式です。保存し直してください"
    if kind not in _IMAGE_FORMATS:
        return "画像ファイルの中身が PNG・JPEG・WebP・GIF ではありません"
    if max(width, height) > MAX_IMAGE_SIDE:
        return (
            f"画像の大きさが {width}×{height} ピクセルあります。"
            f"縦横とも {MAX_IMAGE_SIDE} ピクセル以内に縮小してください"
        )
    if decode:
        # WeasyPrint, once imported, tells Pillow to fill a cut-off image in silently
        # (a global): for this check, a cut-off image is an error again.
        tolerant, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
        try:
            with Image.open(path) as image:
                image.load()
        except (OSError, ValueError, Image.DecompressionBombError):
            return "画像ファイルが壊れているか、途中で切れています。保存し直してください"
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = tolerant
    return None
