"""A centre's register read back from every encoding and shape an office produces, and every
file that is not a register refused with a Japanese message and the row to look at."""

from __future__ import annotations

import datetime as dt
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from civic_portal.load import register_file
from civic_portal.load.register_file import (
    MAX_ROWS,
    RegisterFileError,
    Table,
    read_table,
)

TITLE = "登録団体一覧（令和8年4月1日現在）"
HEADER = ["団体名", "代表者", "住所"]
ROWS = [
    ["ひだまりサロン", "山田 花子", "中央区1-2-3"],
    ["子ども食堂 あおぞら", "佐藤 一郎", "北区4-5"],
]


def _lines(delimiter: str = ",") -> str:
    return "\r\n".join(delimiter.join(r) for r in [[TITLE], HEADER, *ROWS]) + "\r\n"


def _write(tmp_path: Path, data: bytes, name: str = "register.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _refused(path: Path) -> RegisterFileError:
    with pytest.raises(RegisterFileError) as caught:
        read_table(path)
    error = caught.value
    assert error.message == str(error)
    assert any("\u3040" <= ch <= "\u30ff" for ch in error.message), error.message  # Japanese
    return error


def _check_plain(table: Table, encoding: str) -> None:
    assert table.encoding == encoding
    assert table.header_row == 2
    assert table.headers == tuple(HEADER)
    assert table.rows == ((3, tuple(ROWS[0])), (4, tuple(ROWS[1])))
    assert table.formula_cells == frozenset()
    assert table.sheet == ""


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (_lines().encode("utf-8"), "UTF-8"),
        (b"\xef\xbb\xbf" + _lines().encode("utf-8"), "UTF-8（BOM付き）"),
        (_lines().encode("cp932"), "Shift_JIS（CP932）"),
        (b"\xff\xfe" + _lines("\t").encode("utf-16-le"), "UTF-16"),  # Excel's "Unicode text"
        (b"\xfe\xff" + _lines("\t").encode("utf-16-be"), "UTF-16"),
        (_lines("\t").encode("utf-16-le"), "UTF-16"),  # no BOM: found by where the NULs are
        (_lines().encode("utf-16-be"), "UTF-16"),
    ],
    ids=["utf8", "utf8-bom", "cp932", "utf16le-bom-tab", "utf16be-bom-tab", "utf16le", "utf16be"],
)
def test_every_text_encoding_reads_the_same_table(
    tmp_path: Path, data: bytes, encoding: str
) -> None:
    table = read_table(_write(tmp_path, data, "名簿.txt"))
    _check_plain(table, encoding)
    assert table.path == str(tmp_path / "名簿.txt")


def test_cp932_only_characters_and_tab_in_cp932(tmp_path: Path) -> None:
    """CP932 has ①, ㈱ and 髙 that plain Shift_JIS lacks; a tab file in CP932 is read as such."""
    text = "団体名\t代表者\r\n㈱ひだまり①\t髙橋 花子\r\n"
    table = read_table(_write(tmp_path, text.encode("cp932")))
    assert table.encoding == "Shift_JIS（CP932）"
    assert table.rows == ((2, ("㈱ひだまり①", "髙橋 花子")),)


def test_quoted_cells_keep_commas_and_line_breaks_and_rows_are_physical_lines(
    tmp_path: Path,
) -> None:
    text = (
        "団体名,住所,活動内容\r\n"
        '"ひだまり, 中央","中央区1-2-3","高齢者の居場所づくり\r\n毎週水曜日"\r\n'
        "\r\n"  # a wholly empty row is skipped, and still counted as a line
        ",,\r\n"
        '  あおぞら  ,"北区","子ども食堂"\r\n'
    )
    table = read_table(_write(tmp_path, text.encode("utf-8")))
    assert table.header_row == 1
    assert table.rows == (
        (2, ("ひだまり, 中央", "中央区1-2-3", "高齢者の居場所づくり\n毎週水曜日")),
        (6, ("あおぞら", "北区", "子ども食堂")),
    )


def test_empty_header_cells_are_kept_and_short_rows_padded(tmp_path: Path) -> None:
    text = "団体名,,代表者,,\n ひだまり ,メモ,山田\n"
    table = read_table(_write(tmp_path, text.encode("utf-8")))
    assert table.headers == ("団体名", "", "代表者")  # trailing empty header cells dropped
    assert table.rows == ((2, ("ひだまり", "メモ", "山田")),)
    table = read_table(_write(tmp_path, "団体名\t代表者\t住所\nひだまり\n".encode()))
    assert table.rows == ((2, ("ひだまり", "", "")),)


def test_a_title_line_with_a_comma_does_not_make_a_tab_file_comma_separated(
    tmp_path: Path,
) -> None:
    text = "一覧, 中央地区\n団体名\t代表者\t住所\nひだまり\t山田\t中央区\n"
    table = read_table(_write(tmp_path, text.encode("utf-8")))
    assert table.header_row == 2
    assert table.headers == tuple(HEADER)


def _workbook(tmp_path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "登録団体"
    ws.append([TITLE])
    ws.append([])
    ws.append(["団体名", "代表者", "会員数", "登録日", "更新", "活動内容", "表示名"])
    ws.append(
        ["ひだまりサロン", "山田 花子", 25.0, dt.date(2026, 4, 1), True, "居場所\n毎週水曜日"]
    )
    ws["G4"] = "=A4&B4"
    ws.append(["あおぞら", "佐藤 一郎", 12.5, dt.datetime(2026, 4, 1, 9, 30), False, None])
    ws.append([])
    ws.append(["みどりの会", "鈴木", 7, None, None, "  前後の空白  "])
    ws["G7"] = "=A7&B7"
    path = tmp_path / "register.csv"  # the extension lies: the content decides
    wb.save(path)
    return path


def test_xlsx_values_as_text_and_formulas_reported(tmp_path: Path) -> None:
    table = read_table(_workbook(tmp_path))
    assert table.encoding == "Excel（.xlsx）"
    assert table.sheet == "登録団体"
    assert table.header_row == 3
    assert table.headers == ("団体名", "代表者", "会員数", "登録日", "更新", "活動内容", "表示名")
    # openpyxl writes no cached value for a formula: the cell is empty, never "=A4&B4"
    assert table.rows == (
        (4, ("ひだまりサロン", "山田 花子", "25", "2026-04-01", "TRUE", "居場所\n毎週水曜日", "")),
        (5, ("あおぞら", "佐藤 一郎", "12.5", "2026-04-01 09:30", "FALSE", "", "")),
        (7, ("みどりの会", "鈴木", "7", "", "", "前後の空白", "")),
    )
    assert table.formula_cells == frozenset({(4, 6), (7, 6)})


def test_xlsx_cached_formula_value_is_the_cell_text(tmp_path: Path) -> None:
    """Excel saves each formula's last result beside it; that result is the value."""
    path = _workbook(tmp_path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    assert "<f>A4&amp;B4</f><v></v>" in sheet or "<f>A4&amp;B4</f><v />" in sheet
    sheet = sheet.replace("<f>A4&amp;B4</f><v></v>", "<f>A4&amp;B4</f><v>ひだまりサロン山田</v>")
    sheet = sheet.replace("<f>A4&amp;B4</f><v />", "<f>A4&amp;B4</f><v>ひだまりサロン山田</v>")
    sheet = sheet.replace('r="G4"', 'r="G4" t="str"')
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    table = read_table(path)
    assert table.rows[0][1][6] == "ひだまりサロン山田"
    assert (4, 6) in table.formula_cells


def test_xlsx_a_row_of_uncalculated_formulas_is_kept(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["団体名", "表示名"])
    ws.append(["ひだまり", "x"])
    ws["B3"] = "=A2"
    path = tmp_path / "r.xlsx"
    wb.save(path)
    table = read_table(path)
    assert table.rows == ((2, ("ひだまり", "x")), (3, ("", "")))
    assert table.formula_cells == frozenset({(3, 1)})


def test_xlsx_an_empty_or_hidden_first_sheet_is_passed_over(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.title = "表紙"
    hidden = wb.create_sheet("選択肢")
    hidden.append(["福祉", "教育"])
    hidden.sheet_state = "hidden"
    ws = wb.create_sheet("名簿")
    ws.append(["団体名", "代表者"])
    ws.append(["ひだまり", "山田"])
    wb.move_sheet("選択肢", offset=-1)
    path = tmp_path / "r.xlsx"
    wb.save(path)
    table = read_table(path)
    assert (table.sheet, table.header_row, table.rows) == ("名簿", 1, ((2, ("ひだまり", "山田")),))


# --- refused --------------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    assert "見つかりません" in _refused(tmp_path / "ない.csv").message


def test_a_folder(tmp_path: Path) -> None:
    assert "ファイルではありません" in _refused(tmp_path).message


@pytest.mark.parametrize(
    "data", [b"", b"\xef\xbb\xbf", b"\r\n\r\n,,,\r\n"], ids=["0", "bom", "blank"]
)
def test_empty_file(tmp_path: Path, data: bytes) -> None:
    assert "空です" in _refused(_write(tmp_path, data)).message


def test_only_a_header_row(tmp_path: Path) -> None:
    error = _refused(_write(tmp_path, f"{TITLE}\n団体名,代表者\n,\n".encode()))
    assert error.line == 2
    assert "団体の行がありません" in error.message


def test_no_header_row(tmp_path: Path) -> None:
    error = _refused(_write(tmp_path, "団体名\nひだまり\n".encode()))
    assert "見出しの行が見つかりません" in error.message


def test_a_50_mb_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("wb") as f:
        f.truncate(50 * 1024 * 1024)  # sparse: nothing is written
    started = time.perf_counter()
    error = _refused(path)
    assert time.perf_counter() - started < 0.5
    assert "大きすぎます" in error.message and "10 MB" in error.message


def test_too_many_rows(tmp_path: Path) -> None:
    text = "団体名,代表者\n" + "".join(f"団体{i},代表{i}\n" for i in range(MAX_ROWS + 1))
    error = _refused(_write(tmp_path, text.encode()))
    assert error.line == MAX_ROWS + 2
    assert f"{MAX_ROWS} 行" in error.message
    text = "団体名,代表者\n" + "".join(f"団体{i},代表{i}\n" for i in range(MAX_ROWS))
    assert len(read_table(_write(tmp_path, text.encode())).rows) == MAX_ROWS


@pytest.mark.parametrize("extra", [1, 100])
def test_too_many_rows_in_a_workbook(tmp_path: Path, extra: int) -> None:
    """Just over the limit, and far over it (refused while the sheet is still being read)."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("名簿")
    ws.append(["団体名", "代表者"])
    for i in range(MAX_ROWS + extra):
        ws.append([f"団体{i}", "代表"])
    path = tmp_path / "r.xlsx"
    wb.save(path)
    error = _refused(path)
    assert f"{MAX_ROWS} 行" in error.message
    assert error.line > MAX_ROWS


def test_duplicate_header_names_are_named(tmp_path: Path) -> None:
    error = _refused(_write(tmp_path, f"{TITLE}\n団体名,住所,電話,住所\nあ,い,う,え\n".encode()))
    assert error.line == 2
    assert "「住所」" in error.message and "2 列目" in error.message and "4 列目" in error.message
    wb = Workbook()
    wb.active.append(["団体名", "電話", "電話"])
    wb.active.append(["あ", "1", "2"])
    wb.save(tmp_path / "r.xlsx")
    assert "B 列" in _refused(tmp_path / "r.xlsx").message


def test_a_value_beyond_the_last_header_is_refused_not_cut_off(tmp_path: Path) -> None:
    """An address with an unquoted comma shifts every later cell: say so, lose nothing."""
    text = "団体名,住所,電話\nひだまり,中央区1-2,3,03-1234-5678\n"
    error = _refused(_write(tmp_path, text.encode()))
    assert error.line == 2
    assert "4 列目" in error.message and "03-1234-5678" in error.message


def test_a_broken_quote_is_refused_at_its_line(tmp_path: Path) -> None:
    text = '団体名,代表者\nひだまり,山田\n"あおぞら,佐藤\nみどり,鈴木\n'
    error = _refused(_write(tmp_path, text.encode()))
    assert error.line == 3
    assert "引用符" in error.message


def test_legacy_xls(tmp_path: Path) -> None:
    path = _write(tmp_path, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "r.xls")
    error = _refused(path)
    assert ".xls" in error.message and "保存し直して" in error.message


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01",  # NULs on both bytes
        "団体名,代表者\nひだ\x00まり,山田\n".encode()[:-1] + b"\x00",  # odd length
        "団体名,代表者\nひだ\x00まり,山田\n\n".encode(),  # even length: not UTF-16 either
        b"\x80\x81\xfd\xfe\xff,\xa0\n" * 10,  # neither UTF-8 nor CP932
        b"\xff\xfe\x00\xd8\x41\x00",  # UTF-16 with a lone surrogate
    ],
    ids=["png", "nul-odd", "nul-even", "undecodable", "bad-utf16"],
)
def test_binary_files(tmp_path: Path, data: bytes) -> None:
    assert _refused(_write(tmp_path, data)).line == 1


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04" + bytes(100), b"PK\x03\x04garbage" * 50],
    ids=["zeros", "garbage"],
)
def test_a_corrupt_zip(tmp_path: Path, data: bytes) -> None:
    assert "開けません" in _refused(_write(tmp_path, data, "r.xlsx")).message


def test_a_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "開けません" in _refused(path).message


def test_a_truncated_workbook(tmp_path: Path) -> None:
    path = _workbook(tmp_path)
    path.write_bytes(path.read_bytes()[:2000])
    assert "開けません" in _refused(path).message


def test_a_damaged_part_of_a_workbook(tmp_path: Path) -> None:
    path = _workbook(tmp_path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    for name, broken in [("xl/worksheets/sheet1.xml", b"<worksheet><row"), ("xl/styles.xml", b"x")]:
        with zipfile.ZipFile(path, "w") as archive:
            for part, content in parts.items():
                archive.writestr(part, broken if part == name else content)
        assert "開けません" in _refused(path).message, name


def test_a_zip_bomb_is_refused_before_unpacking(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(register_file, "MAX_UNPACKED_BYTES", 1024 * 1024)
    path = tmp_path / "r.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b" " * (2 * 1024 * 1024))
    assert "大きすぎます" in _refused(path).message


def test_an_empty_workbook(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    Workbook().save(path)
    assert "値がありません" in _refused(path).message
