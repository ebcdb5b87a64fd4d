"""A centre's existing group register (a table: see register_file.py) brought into the group-file
contract, row by row: columns recognised by their Japanese headers, values normalised (readings
to hiragana, full-width digits, field words to the portal's fields), private columns kept apart,
and every problem as `file:row:column: message`. Pure: writing files is `scaffold.py`'s and the
command's job.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..kana import fold, katakana_to_hiragana
from ..model import Problem
from .checks import _EMAIL_RE, _PHONE_RE, url_problem
from .group_contract import (
    _KANA_RE,
    MAX_ITEMS,
    MAX_LENGTH,
    MESSAGES,
    RESERVED_SLUGS,
    SLUG_RE,
)
from .groups import Vocabulary
from .places import venue_named
from .register_file import Table

# What a column holds: a key of the group file (dotted for nested ones), "body", or "ignore".
COLUMN_KEYS = (
    "name", "kana", "summary", "body", "fields", "areas", "tags", "legal_form", "founded",
    "members", "activity", "place", "contact.email", "contact.phone", "contact.url",
    "contact.address", "contact.person", "contact", "fax", "postal", "status",
    "contact.private.person", "contact.private.phone", "contact.private.email",
    "contact.private.address", "contact.private.note", "ignore",
)  # fmt: skip
# Header spellings of Japanese registers, compared after `header_key()` (width, case, spaces,
# parentheses and punctuation folded away).
_ALIASES = {
    "name": ("団体名", "名称", "団体名称", "団体の名称", "名前", "グループ名", "サークル名"),
    "kana": ("ふりがな", "フリガナ", "よみがな", "ヨミガナ", "よみ", "読み", "読みがな", "かな",
             "団体名ふりがな", "団体名フリガナ", "名称フリガナ"),
    "summary": ("団体の紹介", "紹介", "紹介文", "概要", "団体概要", "一言紹介", "pr"),
    "body": ("活動内容", "活動概要", "活動の内容", "事業内容", "主な活動"),
    "fields": ("活動分野", "分野", "活動分類"),
    "areas": ("活動地域", "活動地区", "地区", "地域", "活動エリア"),
    "tags": ("キーワード", "タグ"),
    "legal_form": ("法人格", "団体種別", "種別", "組織形態"),
    "founded": ("設立", "設立年", "設立年月日", "設立日", "設立年月", "発足", "発足年"),
    "members": ("会員数", "人数", "構成員数", "メンバー数", "会員"),
    "activity": ("活動日時", "活動日", "活動時間", "活動日程"),
    "place": ("活動場所", "活動拠点", "拠点"),
    "contact.email": ("メール", "email", "メールアドレス", "mail", "電子メール"),
    "contact.phone": ("電話番号", "電話", "tel", "連絡先電話番号"),
    "contact.url": ("ホームページ", "url", "hp", "ウェブサイト", "website", "webサイト"),
    "contact.address": ("住所", "所在地", "連絡先住所"),
    "postal": ("郵便番号", "〒", "郵便"),
    "contact.person": ("担当者", "連絡担当者", "窓口"),
    "contact": ("連絡先",),
    "fax": ("fax", "ファックス", "ファクス"),
    "status": ("活動状況",),
    "contact.private.person": ("代表者", "代表者名", "代表", "代表者氏名", "非公開:担当者"),
    "contact.private.phone": ("代表者電話番号", "代表者電話", "代表者連絡先", "非公開:電話番号"),
    "contact.private.email": ("代表者メール", "非公開:メール"),
    "contact.private.address": ("代表者住所", "非公開:住所"),
    "contact.private.note": ("備考", "メモ", "非公開:メモ"),
    # what `civic export groups` adds and an import cannot write back
    "ignore": ("募集", "これからのイベント数", "ページのurl", "最終更新日", "ファイル", "no", "番号"),
}  # fmt: skip
_BRACKETS = re.compile(r"[（(［\[【〔].*?[）)］\]】〕]")
_NOISE = re.compile(r"[\s・･\-‐ー_／/:：.。、,]+")
_SPLIT = re.compile(r"[、,，・･/／\s]+|\n")
_LIST_SPLIT = re.compile(r"[、,，/／;；\n]+")
_WORD_SPLIT = re.compile(r"[・･\s]+")
_SENTENCE = re.compile(r"^.*?[。！？!?]")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(?!\d)")
_BARE_DOMAIN = re.compile(r"^[\w-]+(\.[\w-]+)+\.?(:\d+)?(/\S*)?$")
_ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925, "大正": 1911, "明治": 1867,
         "r": 2018, "h": 1988, "s": 1925}  # fmt: skip
_YEAR = re.compile(r"^(\d{4})年?(?:度)?$")
_DATE = re.compile(r"^(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})日?$")
_ERA = re.compile(r"^(令和|平成|昭和|大正|明治|[rhs])\s*(元|\d{1,2})年?(?:[.\-/](\d{1,2}))?")
_NUMBER = re.compile(r"^(?:約)?(\d{1,7})(?:人|名|団体|世帯)?(?:程度|くらい|位)?$")
PRIVATE = "contact.private."


def header_key(header: str) -> str:
    """A header as compared: 「団体名（正式名称）」 and 「団体名」, 「Ｅ－ｍａｉｌ」 and 「email」 match."""
    text = unicodedata.normalize("NFKC", header).lower()
    text = _BRACKETS.sub("", text) or text
    return _NOISE.sub("", text)


_BY_HEADER = {header_key(alias): key for key, aliases in _ALIASES.items() for alias in aliases}


@dataclass(frozen=True)
class Columns:
    """Which column holds what; the columns no key was found for; the private ones."""

    keys: dict[int, str]
    unknown: tuple[str, ...]
    private: tuple[str, ...]


def recognise(table: Table, overrides: Mapping[str, str]) -> tuple[Columns, list[Problem]]:
    """Map each header to a key (`--map 列名=key` first); unknown headers are listed."""
    problems: list[Problem] = []
    keys: dict[int, str] = {}
    unknown: list[str] = []
    wanted = {header_key(h): k for h, k in overrides.items()}
    for given, key in overrides.items():
        if key not in COLUMN_KEYS:
            problems.append(
                Problem(
                    "--map",
                    1,
                    given,
                    f"「{key}」という項目はありません。使えるもの: {', '.join(COLUMN_KEYS)}",
                )
            )
        if header_key(given) not in {header_key(h) for h in table.headers}:
            problems.append(
                Problem("--map", 1, given, f"「{given}」という列はこの名簿にありません")
            )
    taken: dict[str, str] = {}
    for index, header in enumerate(table.headers):
        if not header:
            continue
        key = wanted.get(header_key(header)) or _BY_HEADER.get(header_key(header))
        if key is None:
            unknown.append(header)
            continue
        if key != "ignore" and key in taken:
            problems.append(
                Problem(
                    table.path,
                    table.header_row,
                    header,
                    f"「{taken[key]}」と同じ項目（{key}）の列です。--map {header}=ignore で片方を外すか、"
                    f"--map で別の項目にしてください",
                )
            )
            continue
        taken[key] = header
        keys[index] = key
    if "name" not in taken:
        problems.append(
            Problem(
                table.path,
                table.header_row,
                "団体名",
                "団体名の列が見つかりません。--map 列名=name で指定してください",
            )
        )
    private = tuple(table.headers[i] for i, k in keys.items() if k.startswith(PRIVATE))
    return Columns(keys, tuple(unknown), private), problems


@dataclass
class ImportedRow:
    """One register row as group-file values (nested dicts), with what needs a look."""

    row: int
    values: dict[str, Any]
    body: str = ""
    confirm: list[str] = field(default_factory=list)  # matches made that a person should check


@dataclass
class Reader:
    """Turns rows into group-file values, collecting problems with their row and column."""

    table: Table
    vocabulary: Vocabulary
    problems: list[Problem] = field(default_factory=list)

    def report(self, row: int, column: str, message: str) -> None:
        self.problems.append(Problem(self.table.path, row, column, message))

    def rows(self, columns: Columns) -> list[ImportedRow]:
        out: list[ImportedRow] = []
        names: dict[str, int] = {}
        for row, cells in self.table.rows:
            before = len(self.problems)
            item = self.row(row, cells, columns)
            name = item.values.get("name")
            if isinstance(name, str):
                key = fold(name)
                if key in names:
                    self.report(row, "団体名", f"「{name}」は {names[key]} 行目と同じ団体名です")
                else:
                    names[key] = row
            if len(self.problems) == before:
                out.append(item)
        return out

    def row(self, row: int, cells: tuple[str, ...], columns: Columns) -> ImportedRow:
        item = ImportedRow(row, {})
        headers = self.table.headers
        summary_given = any(k == "summary" for k in columns.keys.values())
        for index, key in sorted(columns.keys.items()):
            header = headers[index]
            text = cells[index].strip() if index < len(cells) else ""
            if (row, index) in self.table.formula_cells:
                self.report(
                    row,
                    header,
                    "数式のセルです。Excel で値だけを貼り付けて（値として）保存し直してください",
                )
                continue
            if key == "ignore" or not text:
                continue
            if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@"):
                text = text[
                    1:
                ]  # the quote spreadsheet_safe() puts before what looks like a formula
            if text.startswith(("=", "+", "@")) and not _PHONE_RE.match(
                unicodedata.normalize("NFKC", text)
            ):
                self.report(
                    row,
                    header,
                    f"数式のような値（{text[:30]}）は取り込めません。値に直してください",
                )
                continue
            self.cell(item, key, header, text, summary_given)
        postal = item.values.pop("postal", None)
        if postal:  # 〒 goes in front of the address (or is the address's first line alone)
            address = item.values.get("contact", {}).get("address", "")
            put(item.values, "contact.address", f"〒{postal} {address}".strip())
        for key, label in (("name", "団体名"), ("kana", "ふりがな")):
            if key not in item.values:
                self.report(row, label, f"必須の項目です。「{label}」の列に書いてください")
        if "summary" not in item.values:
            self.report(row, "団体の紹介", "紹介文（団体の紹介 または 活動内容）がありません")
        if not item.values.get("fields"):
            self.report(row, "活動分野", "活動分野がありません。1〜3つ書いてください")
        return item

    def cell(
        self, item: ImportedRow, key: str, header: str, text: str, summary_given: bool
    ) -> None:
        row, values = item.row, item.values
        one_line = key not in ("body", "summary", "contact.private.note")
        if one_line and "\n" in text:
            self.report(row, header, "セルの中で改行されています。1行にしてください")
            return
        if key == "name":
            self._text(values, "name", row, header, text, MAX_LENGTH["name"])
        elif key == "kana":
            kana = katakana_to_hiragana(unicodedata.normalize("NFKC", text)).strip()
            if not _KANA_RE.match(kana):
                self.report(row, header, MESSAGES["kana"] + f"（今は「{text}」）")
            else:
                values["kana"] = kana
        elif key in ("summary", "body"):
            self._summary(item, key, header, text, summary_given)
        elif key in ("fields", "areas"):
            self._choices(item, key, header, text)
        elif key == "tags":
            values["tags"] = [t for t in _SPLIT.split(unicodedata.normalize("NFKC", text)) if t][
                : MAX_ITEMS["tags"]
            ]
        elif key == "legal_form":
            self._legal_form(item, header, text)
        elif key == "founded":
            self._founded(values, row, header, text)
        elif key == "members":
            match = _NUMBER.match(unicodedata.normalize("NFKC", text).replace(",", ""))
            if match:
                values["members"] = int(match.group(1))
            else:
                self.report(row, header, MESSAGES["integer"] + f"（今は「{text}」）")
        elif key in ("activity", "place"):
            self._text(values, key, row, header, text, MAX_LENGTH[key])
            if key == "place" and (found := venue_named(text, self.vocabulary.venues)):
                values["place"] = found[0].id  # a registered venue, as the export names it
                if found[1]:
                    values["room"] = found[1]
        elif key == "postal":
            code = re.sub(r"[‐ー－―−]", "-", unicodedata.normalize("NFKC", text)).lstrip("〒 ")
            if re.fullmatch(r"\d{3}-?\d{4}", code):
                values["postal"] = f"{code[:3]}-{code[-4:]}"
            else:
                self.report(
                    row, header, f"郵便番号は 123-4567 のように書いてください（今は「{text}」）"
                )
        elif key == "status":
            if "休" in text or text.lower() == "inactive":
                values["status"] = "inactive"  # active is what a file without `status` means
        else:
            self._contact(item, key, header, text)

    def _text(
        self, values: dict[str, Any], key: str, row: int, header: str, text: str, limit: int
    ) -> None:
        text = " ".join(text.split())
        if len(text) > limit:
            self.report(
                row, header, MESSAGES["too_long"].format(limit=limit) + f"（今は{len(text)}文字）"
            )
        else:
            put(values, key, text)

    def _summary(
        self, item: ImportedRow, key: str, header: str, text: str, summary_given: bool
    ) -> None:
        """A short one-line introduction is the summary; a long text (活動内容) is the body, and
        its first sentence the summary when the register has no summary column."""
        one_line = " ".join(text.split())
        short = len(one_line) <= MAX_LENGTH["summary"] and "\n" not in text.strip()
        if short and (key == "summary" or not summary_given):
            item.values["summary"] = one_line
            return
        item.body = text.replace("\r\n", "\n").strip() + "\n"
        if key == "summary" or not summary_given:
            match = _SENTENCE.match(one_line)
            first = (match.group(0) if match else one_line)[: MAX_LENGTH["summary"]]
            item.values["summary"] = first
            item.confirm.append(
                f"{header}: 長いので本文にし、最初の一文を紹介文にしました（「{first[:30]}…」）"
            )

    def _choices(self, item: ImportedRow, key: str, header: str, text: str) -> None:
        label = "活動分野" if key == "fields" else "地区"
        if key == "fields":
            options = {f.short: (f.short, f.name, f.slug) for f in self.vocabulary.fields}
        else:
            options = {a.name: (a.name, a.slug) for a in self.vocabulary.areas}
        found: list[str] = []
        for token in (t for t in _LIST_SPLIT.split(unicodedata.normalize("NFKC", text)) if t):
            exact = [
                o for o, spellings in options.items() if fold(token) in {fold(s) for s in spellings}
            ]
            # 学術・文化・芸術・スポーツ is one field; 子ども・文化 is two words
            words = [token] if exact else [w for w in _WORD_SPLIT.split(token) if w]
            for word in words:
                self._match(item, header, label, options, word, found)
        limit = 3 if key == "fields" else MAX_ITEMS["areas"]
        if len(found) > limit:
            self.report(
                item.row,
                header,
                MESSAGES["max_items"].format(count=limit) + f"（今は{len(found)}個）",
            )
        elif found:
            item.values[key] = found

    def _match(
        self,
        item: ImportedRow,
        header: str,
        label: str,
        options: dict[str, tuple[str, ...]],
        word: str,
        found: list[str],
    ) -> None:
        """One word to one option: exactly, or as the only option it is part of (shown for a
        person to confirm); none or several is a problem, never a guess."""
        exact = [
            o for o, spellings in options.items() if fold(word) in {fold(s) for s in spellings}
        ]
        near = exact or [
            o for o, spellings in options.items()
            if any(fold(word) in fold(s) or fold(s) in fold(word) for s in spellings)
        ]  # fmt: skip
        if len(near) == 1:
            if not exact:
                item.confirm.append(f"{header}: 「{word}」を「{near[0]}」としました")
            if near[0] not in found:
                found.append(near[0])
        elif not near:
            self.report(
                item.row,
                header,
                f"「{word}」はこのポータルの{label}の一覧にありません。使えるもの: {'、'.join(options)}",
            )
        else:
            self.report(
                item.row,
                header,
                f"「{word}」は{label}の「{'」「'.join(near)}」のどれか決められません。名簿を直すか、ファイルを書いたあとで直してください",
            )

    def _legal_form(self, item: ImportedRow, header: str, text: str) -> None:
        word = fold(text).replace("特定非営利活動法人", "npo法人")
        exact = [f for f in self.vocabulary.legal_forms if fold(f) == word]
        near = exact or [
            f for f in self.vocabulary.legal_forms if fold(f) in word or word in fold(f)
        ]
        if len(near) >= 1:
            choice = sorted(near, key=len)[-1] if not exact else exact[0]
            if not exact:
                item.confirm.append(f"{header}: 「{text}」を「{choice}」としました")
            item.values["legal_form"] = choice
        else:
            self.report(
                item.row,
                header,
                f"「{text}」は法人格の一覧にありません。使えるもの: {'、'.join(self.vocabulary.legal_forms)}",
            )

    def _founded(self, values: dict[str, Any], row: int, header: str, text: str) -> None:
        norm = unicodedata.normalize("NFKC", text).lower().replace(" ", "")
        if match := _YEAR.match(norm):
            values["founded"] = int(match.group(1))
        elif match := _DATE.match(norm):
            values["founded"] = (
                f"{int(match.group(1)):04d}-{int(match.group(2)):02d}-{int(match.group(3)):02d}"
            )
        elif match := _ERA.match(norm):
            year = 1 if match.group(2) == "元" else int(match.group(2))
            values["founded"] = _ERAS[match.group(1)] + year
        else:
            self.report(
                row, header, f"設立は 2015 や 平成27年 のように書いてください（今は「{text}」）"
            )

    def _contact(self, item: ImportedRow, key: str, header: str, text: str) -> None:
        norm = unicodedata.normalize("NFKC", text).strip()
        phone = re.sub(r"[‐ー－―−]", "-", norm)
        if key == "contact":  # 連絡先: what it looks like decides where it goes
            if _EMAIL_RE.match(norm):
                key = "contact.email"
            elif _PHONE_RE.match(phone):
                key = "contact.phone"
            else:
                key = "contact.address"
            item.confirm.append(f"{header}: 「{text[:30]}」を {key} にしました")
        if key == "fax":
            _add_note(item.values, f"FAX: {phone}")
        elif key.endswith("email"):
            if _EMAIL_RE.match(norm.removeprefix("mailto:")):
                put(item.values, key, norm.removeprefix("mailto:"))
            else:
                self.report(item.row, header, MESSAGES["email"] + f"（今は「{text}」）")
        elif key.endswith("phone"):
            if _PHONE_RE.match(phone):
                put(item.values, key, phone)
            else:
                self.report(item.row, header, MESSAGES["phone"] + f"（今は「{text}」）")
        elif key == "contact.url":
            bare = _BARE_DOMAIN.match(norm) and not _SCHEME.match(norm)
            url = "https://" + norm if bare else norm  # www.example.jp/… is a web address
            problem = url_problem(url)
            if problem:
                self.report(item.row, header, problem)
            else:
                if url != norm:
                    item.confirm.append(f"{header}: 「{norm}」に https:// を付けました")
                put(item.values, key, url)
        elif key == "contact.private.note":
            _add_note(item.values, text.strip()[: MAX_LENGTH["private"]])
        else:
            limit = MAX_LENGTH["person"] if key.endswith("person") else MAX_LENGTH["address"]
            self._text(item.values, key, item.row, header, text, limit)  # as written: （） stay


def put(values: dict[str, Any], dotted: str, value: Any) -> None:
    """Set `contact.private.note` in nested mappings, making the parents it needs."""
    *parents, last = dotted.split(".")
    for part in parents:
        values = values.setdefault(part, {})
    values[last] = value


def _add_note(values: dict[str, Any], text: str) -> None:
    """FAX and 備考 both go to contact.private.note, one line each."""
    before = values.get("contact", {}).get("private", {}).get("note")
    put(values, "contact.private.note", f"{before}\n{text}" if before else text)


def slug_for(kana: str, name: str, taken: set[str], legal_forms: tuple[str, ...] = ()) -> str:
    """A file name from the group's name without its legal form, romanised (Hepburn, by
    pykakasi): the words as pykakasi splits them, joined with hyphens, cut to 40 letters
    (川波こども将棋クラブ → kawanami-kodomo-shougi-kurabu); -2, -3 … when taken. The same name
    always gives the same file name, and a re-import finds a group's file by its name."""
    import pykakasi  # imported here: only the import command needs it

    plain = unicodedata.normalize("NFKC", name)
    for form in sorted((*legal_forms, "特定非営利活動法人"), key=len, reverse=True):
        plain = plain.replace(unicodedata.normalize("NFKC", form), " ")
    # the name's kanji and kana runs give the words; the reading alone would be one long word
    parts = [item["hepburn"] for item in pykakasi.kakasi().convert(plain.strip() or kana)]
    base = re.sub(r"[^a-z0-9]+", "-", "-".join(parts).lower()).strip("-")[:40].strip("-")
    if len(base) < 2 or not SLUG_RE.match(base) or base in RESERVED_SLUGS:
        base = f"group-{base}".strip("-") if len(base) >= 1 else "group"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
