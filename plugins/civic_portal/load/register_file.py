"""A centre's existing group register (CSV, tab-separated text or XLSX) read into a plain table.

The format comes from the content, never the extension: a file saved as 登録団体.csv is often a
workbook, and an Excel "Unicode text" export is called .txt. In this order, each step exact:

1. size, with stat, before anything is read: a 50 MB file is refused without being loaded;
2. b"PK\\x03\\x04" is a ZIP, read as XLSX by openpyxl; D0 CF 11 E0 is a legacy .xls (OLE2),
   refused with how to save it again;
3. a byte-order mark (UTF-8, UTF-16 LE/BE) is certain, so it is trusted first;
4. UTF-16 without a BOM puts a NUL beside every ASCII character (commas, tabs, line ends) and
   almost never on the other byte, a pattern no other text encoding produces;
5. strict UTF-8 before CP932: a CP932 file with any Japanese in it is almost never valid UTF-8,
   while much UTF-8 happens to decode as (wrong) CP932;
6. strict CP932 (Shift_JIS as Excel writes it); what none of these decodes, or NUL bytes outside
   UTF-16, is a binary file.

Comma or tab is chosen by which one makes a header row with more named cells. The header row is
the first row with at least two non-empty cells: registers often carry a title line above it.
Cells are text, stripped, inner line breaks kept as "\\n"; the mapping layer decides what they mean.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

MAX_REGISTER_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000
# What an XLSX may unpack to (declared sizes, which zipfile enforces when reading): a register of
# a few hundred rows is well under 1 MB of XML; a ZIP bomb is refused before openpyxl opens it.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024

XLSX, UTF8, UTF8_BOM, CP932, UTF16 = (
    "Excel（.xlsx）",
    "UTF-8",
    "UTF-8（BOM付き）",
    "Shift_JIS（CP932）",
    "UTF-16",
)
_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0"
_DELIMITERS = (",", "\t")
_SAVE_AGAIN = (
    "Excel で開き、「名前を付けて保存」→「CSV UTF-8（コンマ区切り）」か"
    "「Excel ブック（.xlsx）」で保存し直してください。"
)
_EMPTY = "ファイルが空です。団体の一覧を書いた CSV か Excel ブック（.xlsx）を指定してください。"
_BINARY = "文字の表として読めないファイルです（画像・PDF・壊れたファイルなど）。" + _SAVE_AGAIN
_BROKEN_XLSX = (
    "Excel ブック（.xlsx）として開けません（壊れているか、Excel 以外の ZIP ファイルです）。"
    "Excel で開けるか確かめ、開けたら「名前を付けて保存」で保存し直してください。"
)
# openpyxl reports a damaged workbook through any of these, depending on which part is broken.
_XLSX_ERRORS = (
    zipfile.BadZipFile,
    InvalidFileException,
    KeyError,
    ValueError,
    TypeError,
    AttributeError,
    IndexError,
    SyntaxError,  # a damaged XML part, from xml.etree or lxml
    OSError,
    EOFError,
)


@dataclass(frozen=True)
class Table:
    """A register as read: header cells, then data rows with their row numbers in the file."""

    path: str
    encoding: str
    header_row: int
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    formula_cells: frozenset[tuple[int, int]]
    sheet: str = ""


class RegisterFileError(ValueError):
    """The file cannot be read as a register; `line` (row, or 1) and a Japanese `message` that
    says what to do."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


def read_table(path: Path) -> Table:
    """Read a register file whole, or raise RegisterFileError: nothing is ever half-read."""
    data = _read_bytes(path)
    if data.startswith(_OLE2_MAGIC):
        raise RegisterFileError(
            1, "古い Excel 形式（.xls）のファイルは読み込めません。" + _SAVE_AGAIN
        )
    if data.startswith(_ZIP_MAGIC):
        return _read_xlsx(str(path), data)
    encoding, text = _decode(data)
    return _read_text(str(path), encoding, text)


def _read_bytes(path: Path) -> bytes:
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise RegisterFileError(
            1, "ファイルが見つかりません。ファイル名と場所を確かめてください。"
        ) from None
    except OSError as err:
        raise RegisterFileError(
            1,
            f"ファイルを開けません（{err.strerror}）。ファイルの場所と読み取りの権限を確かめてください。",
        ) from None
    if not path.is_file():
        raise RegisterFileError(
            1, "ファイルではありません（フォルダなど）。名簿のファイルを指定してください。"
        )
    if stat.st_size > MAX_REGISTER_BYTES:
        raise RegisterFileError(
            1,
            f"ファイルが大きすぎます（{stat.st_size / 1024 / 1024:.1f} MB、上限は "
            f"{MAX_REGISTER_BYTES // 1024 // 1024} MB）。名簿の表だけを別のファイルに"
            "保存し直してください（画像や他のシートを除いてください）。",
        )
    if stat.st_size == 0:
        raise RegisterFileError(1, _EMPTY)
    try:
        with path.open("rb") as f:
            data = f.read(MAX_REGISTER_BYTES + 1)
    except OSError as err:
        raise RegisterFileError(
            1,
            f"ファイルを読み込めません（{err.strerror}）。ほかのソフトで開いていれば閉じて、もう一度試してください。",
        ) from None
    if len(data) > MAX_REGISTER_BYTES:  # grew since stat
        raise RegisterFileError(1, "ファイルが大きすぎます。名簿の表だけを保存し直してください。")
    return data


# --- text ---------------------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, str]:
    """(encoding label, text) by the order in the module docstring."""
    if data.startswith(b"\xef\xbb\xbf"):
        return UTF8_BOM, _strict(data[3:], "utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16-le" if data.startswith(b"\xff\xfe") else "utf-16-be"
        return UTF16, _strict(data[2:], codec)
    if b"\x00" in data:
        codec = _utf16_by_nuls(data)
        if codec is None:
            raise RegisterFileError(1, _BINARY)
        return UTF16, _strict(data, codec, needs_line_break=True)
    for label, codec in ((UTF8, "utf-8"), (CP932, "cp932")):
        try:
            return label, data.decode(codec)
        except UnicodeDecodeError:
            continue
    raise RegisterFileError(
        1,
        "文字コードを判別できません（UTF-8・Shift_JIS・UTF-16 のどれでもありません）。"
        + _SAVE_AGAIN,
    )


def _utf16_by_nuls(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when most NULs sit on one byte of each pair. Every ASCII
    character (delimiter, digit, line end) puts one there; Japanese text puts one on the other
    byte only for the rare U+xx00 character (一 is U+4E00)."""
    if len(data) % 2:
        return None
    sample = data[: 64 * 1024]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd and odd >= 2 * even:
        return "utf-16-le"
    if even and even >= 2 * odd:
        return "utf-16-be"
    return None


def _strict(data: bytes, codec: str, *, needs_line_break: bool = False) -> str:
    """The text, or a binary-file error: a NUL character is never text, and UTF-16 without a BOM
    must also show a line break where one is expected (almost any even-length bytes decode)."""
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        raise RegisterFileError(1, _BINARY) from None
    if "\x00" in text or (needs_line_break and not any(c in text for c in "\r\n")):
        raise RegisterFileError(1, _BINARY)
    return text


def _read_text(path: str, encoding: str, text: str) -> Table:
    text = text.rstrip("\x1a")  # the DOS end-of-file mark some old systems still write
    delimiter = _delimiter(text, prefer_tab=encoding == UTF16)
    records = _records(text, delimiter)
    header_row, headers, rows = _split_header(records, lambda c: f"{c + 1} 列目")
    return Table(path, encoding, header_row, headers, rows, frozenset())


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(physical line where the record starts, cells); a broken quote is an error at its line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise RegisterFileError(
                start,
                f'{start} 行目から、引用符（"）の対応が取れていないか、項目が長すぎます。'
                '値の中の " は "" と二つ重ね、値全体を " で囲んでください。'
                "Excel で開いて保存し直すと直ります。",
            ) from None
        yield start, [_text(c) for c in cells]
        start = reader.line_num + 1


def _delimiter(text: str, *, prefer_tab: bool) -> str:
    """The delimiter whose header row (first row with two non-empty cells) names more columns."""
    best, best_count = "\t" if prefer_tab else ",", 0
    head = "".join(io.StringIO(text, newline="").readlines(64 * 1024))
    order = ("\t", ",") if prefer_tab else _DELIMITERS
    for delimiter in order:
        try:
            for _, cells in _records(head, delimiter):
                count = sum(1 for c in cells if c)
                if count >= 2:
                    if count > best_count:
                        best, best_count = delimiter, count
                    break
        except RegisterFileError:
            continue  # the cut at 64 KiB or the wrong delimiter broke a quote
    return best


# --- xlsx ---------------------------------------------------------------------------------------


def _read_xlsx(path: str, data: bytes) -> Table:
    _check_zip(data)
    title, rows = _register_sheet(data)
    formulas = _formula_cells(data, title)
    # A formula never calculated (a workbook written by a program) has no cached value: its row
    # looks empty but is kept, so the mapping layer can say which cell to look at.
    found = {number for number, _ in rows}
    rows += [(number, []) for number in sorted({r for r, _ in formulas} - found)]
    rows.sort(key=lambda row: row[0])
    header_row, headers, table_rows = _split_header(
        rows, lambda c: f"{get_column_letter(c + 1)} 列", sheet=title, formulas=formulas
    )
    width = len(headers)
    kept = frozenset((r, c) for r, c in formulas if r > header_row and c < width)
    return Table(path, XLSX, header_row, headers, table_rows, kept, sheet=title)


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise RegisterFileError(1, _BROKEN_XLSX) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise RegisterFileError(
            1,
            "Excel ブックの中身が大きすぎます。名簿の表だけを新しいブックか CSV に"
            "保存し直してください。",
        )


def _open(data: bytes, *, data_only: bool) -> Any:
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except _XLSX_ERRORS:
        raise RegisterFileError(1, _BROKEN_XLSX) from None


def _register_sheet(data: bytes) -> tuple[str, list[tuple[int, list[str]]]]:
    """The first worksheet with a header row (two non-empty cells in a row), else the first with
    any value; visible sheets before hidden ones (a hidden sheet is often the list behind a
    drop-down, not the register). Sheets after the register are not read."""
    workbook = _open(data, data_only=True)
    try:
        sheets = sorted(workbook.worksheets, key=lambda ws: ws.sheet_state != "visible")
        first: tuple[str, list[tuple[int, list[str]]]] | None = None
        for ws in sheets:
            ws.reset_dimensions()  # a stale <dimension> would pad every row to its width
            rows = _limited(
                (number, [_text(_cell_text(v)) for v in values])
                for number, values in enumerate(ws.iter_rows(values_only=True), start=1)
            )
            if any(sum(1 for c in cells if c) >= 2 for _, cells in rows):
                return ws.title, rows
            if rows and first is None:
                first = ws.title, rows
    except RegisterFileError:
        raise
    except _XLSX_ERRORS:  # RegisterFileError is a ValueError too: it is re-raised above
        raise RegisterFileError(1, _BROKEN_XLSX) from None
    finally:
        workbook.close()
    if first is None:
        raise RegisterFileError(1, "Excel ブックのどのシートにも値がありません。" + _SAVE_AGAIN)
    return first


def _limited(rows: Iterable[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """The non-empty rows, refused once there are more than a header and MAX_ROWS."""
    kept: list[tuple[int, list[str]]] = []
    for number, cells in rows:
        if any(cells):
            kept.append((number, cells))
            if len(kept) > MAX_ROWS + 1 + 10:  # room for a title or two above the header
                raise RegisterFileError(number, _too_many())
    return kept


def _formula_cells(data: bytes, title: str) -> frozenset[tuple[int, int]]:
    """(row, column index) of every formula in the sheet, read a second time without cached
    values: openpyxl gives either a formula or its value, never both."""
    workbook = _open(data, data_only=False)
    try:
        ws = workbook[title]
        ws.reset_dimensions()
        found = set()
        for number, cells in enumerate(ws.iter_rows(), start=1):
            for index, cell in enumerate(cells):
                value = getattr(cell, "value", None)
                if getattr(cell, "data_type", None) == "f" or isinstance(
                    value, (ArrayFormula, DataTableFormula)
                ):
                    found.add((number, index))
        return frozenset(found)
    except RegisterFileError:
        raise
    except _XLSX_ERRORS:  # RegisterFileError is a ValueError too: it is re-raised above
        raise RegisterFileError(1, _BROKEN_XLSX) from None
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    """A cell's value as the register shows it: 25 not 25.0, dates as YYYY-MM-DD[ HH:MM]."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.strftime("%Y-%m-%d")
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value)


# --- both ---------------------------------------------------------------------------------------


def _text(cell: str) -> str:
    """Stripped, with every line break spelt "\\n"."""
    return cell.replace("\r\n", "\n").replace("\r", "\n").strip()


def _too_many() -> str:
    return (
        f"データの行が多すぎます（上限 {MAX_ROWS} 行）。"
        "名簿をいくつかのファイルに分けて、一つずつ読み込んでください。"
    )


def _split_header(
    records: Iterable[tuple[int, Sequence[str]]],
    column: Callable[[int], str],
    sheet: str = "",
    formulas: frozenset[tuple[int, int]] = frozenset(),
) -> tuple[int, tuple[str, ...], tuple[tuple[int, tuple[str, ...]], ...]]:
    """The header row (first with two non-empty cells), its cells, and the data rows after it
    (a row with only formulas counts, however empty their cached values). `column(index)` names
    a column in a message ("3 列目" in a CSV, "C 列" in a sheet)."""
    where = f"シート「{sheet}」の" if sheet else ""
    header_row, headers = 0, ()
    rows: list[tuple[int, tuple[str, ...]]] = []
    seen_any = False
    for number, cells in records:
        if not header_row:
            seen_any = seen_any or any(cells)
            if sum(1 for c in cells if c) >= 2:
                header_row, headers = number, _headers(number, cells, column)
            continue
        if not any(cells) and not any((number, i) in formulas for i in range(len(headers))):
            continue
        rows.append((number, _fit(number, cells, headers, column, in_sheet=bool(sheet))))
        if len(rows) > MAX_ROWS:
            raise RegisterFileError(number, _too_many())
    if not seen_any:
        raise RegisterFileError(1, _EMPTY)
    if not header_row:
        raise RegisterFileError(
            1,
            f"{where}見出しの行が見つかりません。表の一番上に「団体名」「代表者」のような"
            "項目名を 2 つ以上並べた行を入れてください。",
        )
    if not rows:
        raise RegisterFileError(
            header_row,
            f"{where}{header_row} 行目の見出しの下に団体の行がありません。"
            "団体を 1 行に 1 団体ずつ書いてください。",
        )
    return header_row, headers, tuple(rows)


def _headers(number: int, cells: Sequence[str], column: Callable[[int], str]) -> tuple[str, ...]:
    """The header cells, without the empty ones at the right end; a name used twice is an error."""
    headers = list(cells)
    while headers and not headers[-1]:
        headers.pop()
    first: dict[str, int] = {}
    for index, name in enumerate(headers):
        if not name:
            continue
        if name in first:
            raise RegisterFileError(
                number,
                f"{number} 行目の見出し「{name}」が {column(first[name])} と {column(index)} の"
                " 2 か所にあります。どちらかの名前を変えるか、不要な列を消してください。",
            )
        first[name] = index
    return tuple(headers)


def _fit(
    number: int,
    cells: Sequence[str],
    headers: tuple[str, ...],
    column: Callable[[int], str],
    *,
    in_sheet: bool,
) -> tuple[str, ...]:
    """Cells padded to the header's width; a value beyond the last header is refused, not cut
    off (in a CSV it is most often an address with an unquoted comma)."""
    width = len(headers)
    extra = [i for i in range(width, len(cells)) if cells[i]]
    if extra:
        fix = (
            "その列に見出しを付けるか、不要なら消してください。"
            if in_sheet
            else '値に「,」が入っているならその値を " で囲んでください。'
            "そうでなければ、その列に見出しを付けるか、不要なら消してください。"
        )
        raise RegisterFileError(
            number,
            f"{number} 行目の {column(extra[0])}に、見出しのない値「{cells[extra[0]][:20]}」が"
            "あります。" + fix,
        )
    return tuple(cells[:width]) + ("",) * (width - len(cells))
