"""The group register for the centre's staff (`civic export groups`): one row per group, active
and inactive, in 五十音 order, as CSV or as an Excel workbook.

The column headers are the ones `civic import groups` reads back. Neither file is part of the
site: the register is written on a staff member's machine, and with `contact.private` (read by
`load.private`, never by the build) it holds personal data the site does not publish.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.xml.functions import tostring

from .. import urls
from ..model import Group, Site
from ..model.settings import Settings
from ..render.opendata import spreadsheet_safe

COLUMNS: tuple[str, ...] = (
    "団体名",
    "ふりがな",
    "団体の紹介",
    "活動分野",
    "活動地区",
    "キーワード",
    "法人格",
    "設立",
    "会員数",
    "活動日時",
    "活動場所",
    "メール",
    "電話番号",
    "ホームページ",
    "住所",
    "担当者",
    "募集",
    "活動状況",
    "これからのイベント数",
    "ページのURL",
    "最終更新日",
    "ファイル",
)
# Header → key of `contact.private` (load.private), in the order the columns are appended.
PRIVATE_COLUMNS: dict[str, str] = {
    "非公開:担当者": "person",
    "非公開:電話番号": "phone",
    "非公開:メール": "email",
    "非公開:住所": "address",
    "非公開:メモ": "note",
}
NUMBER_COLUMNS = frozenset({"会員数", "これからのイベント数"})
STATUS_LABELS = {"active": "活動中", "inactive": "休止中"}
SHEET_TITLE = "団体一覧"
LIST_SEPARATOR = "、"

Value = str | int | None  # None: an empty cell (a number not given)


@dataclass(frozen=True)
class Register:
    """The register as a table; `modified` is the time its workbook says it was last changed."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]
    modified: dt.datetime


def group_register(
    site: Site, settings: Settings, private: Mapping[str, Mapping[str, str]] | None = None
) -> Register:
    """Every group of the site, in the directory's order; with `private` (load.private's
    slug → details), the five 非公開 columns are added at the end."""
    columns = COLUMNS + (tuple(PRIVATE_COLUMNS) if private is not None else ())
    rows = []
    for group in sorted(site.groups, key=lambda g: g.sort_key):
        row = _public_row(group, site, settings)
        if private is not None:
            details = private.get(group.slug, {})
            row += tuple(details.get(key, "") for key in PRIVATE_COLUMNS.values())
        rows.append(row)
    # The time of the newest change to a group file (from git): the same sources give the same
    # workbook, whenever it is exported.
    changes = [g.changed for g in site.groups if g.changed is not None]
    return Register(columns, tuple(rows), max(changes, default=site.now))


def _public_row(group: Group, site: Site, settings: Settings) -> tuple[Value, ...]:
    contact = group.contact
    founded = group.founded
    return (
        group.name,
        group.kana,
        group.summary,
        LIST_SEPARATOR.join(f.short for f in group.fields),
        LIST_SEPARATOR.join(a.name for a in group.areas),
        LIST_SEPARATOR.join(group.tags),
        group.legal_form or "",
        founded.isoformat() if isinstance(founded, dt.date) else str(founded or ""),
        group.members,
        group.activity or "",
        group.place_label or "",
        contact.email or "",
        contact.phone or "",
        contact.url or "",
        contact.address or "",
        contact.person or "",
        LIST_SEPARATOR.join(r.title for r in group.open_recruiting(site.today)),
        STATUS_LABELS.get(group.status, group.status),
        len(site.upcoming(group.slug)),
        settings.site_url + urls.group_url(group.slug),
        group.changed.date().isoformat() if group.changed is not None else "",
        group.source,
    )


def register_csv(register: Register) -> bytes:
    """UTF-8 with BOM (Excel reads it as UTF-8) and CRLF; no cell runs as a formula."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in (register.columns, *register.rows):
        writer.writerow(spreadsheet_safe("" if v is None else str(v)) for v in row)
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def register_xlsx(register: Register) -> bytes:
    """One sheet 団体一覧: bold frozen header, a filter over the table, numbers as numbers and
    every other cell as text, never as a formula. The same register gives the same bytes."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None, "a new workbook has one sheet"
    sheet.title = SHEET_TITLE
    numbers = {i for i, name in enumerate(register.columns) if name in NUMBER_COLUMNS}
    for index, name in enumerate(register.columns, start=1):
        _text_cell(sheet.cell(row=1, column=index), name).font = Font(bold=True)
    for r, row in enumerate(register.rows, start=2):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue  # an empty cell, not an empty text
            if c in numbers:
                sheet.cell(row=r, column=c + 1, value=value)
            else:
                _text_cell(sheet.cell(row=r, column=c + 1), str(value))
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(register.columns))}{len(register.rows) + 1}"
    for index, name in enumerate(register.columns):
        values = [name, *(str(row[index]) for row in register.rows if row[index] is not None)]
        width = max(_display_width(v) for v in values)
        sheet.column_dimensions[get_column_letter(index + 1)].width = min(max(width + 2, 8), 50)
    return _reproducible(workbook, register.modified)


def _text_cell(cell: Cell, text: str) -> Cell:
    """A text cell: openpyxl makes a string that starts with "=" a formula (and "#N/A" an
    error); forcing the type keeps it the text the group wrote, and Excel's quote prefix (not
    shown in the cell) keeps it text when someone edits it."""
    cell.value = text
    cell.data_type = "s"
    if spreadsheet_safe(text) != text:
        cell.quotePrefix = True
    return cell


def _display_width(text: str) -> int:
    """Columns a line of text takes in a spreadsheet: a full-width character counts two."""
    longest = max(text.splitlines() or [""], key=len)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in longest)


def _reproducible(workbook: Workbook, modified: dt.datetime) -> bytes:
    """The workbook's bytes with no trace of the moment they were written: openpyxl stamps
    docProps/core.xml with the current time on save, and zipfile stamps every member."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    utc = modified.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
    workbook.properties.created = workbook.properties.modified = utc
    core = tostring(workbook.properties.to_tree())
    stamp = max(modified.timetuple()[:6], (1980, 1, 1, 0, 0, 0))  # zip dates start in 1980
    out = io.BytesIO()
    with (
        zipfile.ZipFile(buffer) as written,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as fixed,
    ):
        for member in written.infolist():
            data = core if member.filename == "docProps/core.xml" else written.read(member)
            fixed.writestr(
                zipfile.ZipInfo(member.filename, date_time=stamp), data, zipfile.ZIP_DEFLATED
            )
    return out.getvalue()
