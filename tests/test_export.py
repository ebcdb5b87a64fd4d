"""`civic export groups`: the register the centre's staff sort, print and mail-merge, run as they
run it, and read back with `csv` and openpyxl."""

from __future__ import annotations

import csv
import io
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from civic_portal.kana import gojuon_key

from .conftest import REPO, SITE_URL, group_file, imports_of, run_civic, write_project

HEADERS = [
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
]
PRIVATE_HEADERS = [
    "非公開:担当者",
    "非公開:電話番号",
    "非公開:メール",
    "非公開:住所",
    "非公開:メモ",
]
FORMULA_SUMMARY = '=HYPERLINK("http://x")'

# Today is 2026-11-21 (SOURCE_DATE_EPOCH in conftest).
SMALL_GROUPS = {
    "sakura.md": group_file(
        name="さくら会",
        kana="さくらかい",
        summary=FORMULA_SUMMARY,
        fields=["まちづくり", "子どもの健全育成"],
        areas=["中央地区", "北部地区"],
        tags=["@SUM(1)", "花見"],
        members=12,
        contact={
            "email": "sakura@example.jp",
            "private": {"person": "山田 花子", "phone": "090-0000-0000", "note": "=1+1"},
        },
        recruiting=[
            {"title": "会員募集", "until": "2027-01-31"},
            {"title": "終わった募集", "until": "2026-10-01"},
            {"title": "いつでも募集"},
        ],
        events=[
            {"title": "春の準備会", "id": "junbi", "start": "2026-12-05"},
            {"title": "年末の集い", "id": "tsudoi", "start": "2026-12-20 10:00"},
            {"title": "秋の会", "id": "aki", "start": "2026-10-01"},
        ],
    ),
    "aoba.md": group_file(name="あおば", kana="あおば", founded="2015-04-01"),
    "gakudo.md": group_file(name="学童の会", kana="がくどうのかい", status="inactive"),
    "kaze.md": group_file(name="風の会", kana="かぜのかい"),
}


def _read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """The header and rows of an exported CSV, after checking its BOM and CRLF line ends."""
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, so Excel reads it as UTF-8"
    text = data[3:].decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def _export(root: Path, target: Path, *args: str) -> str:
    """Run the export in a small project into `target`; what it said on stderr."""
    run = run_civic("export", "groups", *args, "-o", str(target), cwd=root)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout == ""
    assert f"{target} を書きました" in run.stderr
    return run.stderr


@pytest.fixture
def small(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    write_project(root, SMALL_GROUPS)
    return root


# -- the sample portal ---------------------------------------------------------------------------


def test_sample_portal_csv(tmp_path: Path) -> None:
    target = tmp_path / "名簿.csv"
    run = run_civic("export", "groups", "--format", "csv", "-o", str(target), cwd=REPO)
    assert run.returncode == 0, run.stdout + run.stderr
    header, rows = _read_csv(target)
    assert header == HEADERS
    files = sorted(p for p in (REPO / "groups").glob("*.md") if p.name.lower() != "readme.md")
    assert sorted(r["ファイル"] for r in rows) == [f"groups/{p.name}" for p in files]
    assert f"団体 {len(files)} 件" in run.stderr and "書きました" in run.stderr
    # 五十音 order, as the directory lists them: by the reading, ties by the file name.
    assert rows == sorted(rows, key=lambda r: (*gojuon_key(r["ふりがな"]), r["ファイル"]))
    inactive = {
        f"groups/{p.name}" for p in files if "\nstatus: inactive" in p.read_text(encoding="utf-8")
    }
    assert inactive, "the sample has inactive groups"
    for row in rows:
        assert row["活動状況"] == ("休止中" if row["ファイル"] in inactive else "活動中")
        slug = Path(row["ファイル"]).stem
        assert row["ページのURL"] == f"https://portal.example.jp/groups/{slug}/"
        assert row["これからのイベント数"].isdigit()
        assert len(row["最終更新日"]) == 10 and row["最終更新日"][4] == "-"
        assert not any(h.startswith("非公開") for h in row)
    hidamari = next(r for r in rows if r["ファイル"] == "groups/hidamari-salon.md")
    assert hidamari["活動分野"] == "子どもの健全育成、まちづくり"
    assert hidamari["キーワード"] == "子育て、空き店舗活用、親子の居場所、商店街"
    assert hidamari["募集"] == "見守りボランティア"
    assert int(hidamari["これからのイベント数"]) > 2  # a weekly salon and a Christmas party


def test_sample_portal_xlsx_holds_the_csv(tmp_path: Path) -> None:
    run_csv = run_civic("export", "groups", "-o", str(tmp_path / "g.csv"), cwd=REPO)
    run_xlsx = run_civic("export", "groups", "-o", str(tmp_path / "g.xlsx"), cwd=REPO)
    assert run_csv.returncode == run_xlsx.returncode == 0, run_csv.stderr + run_xlsx.stderr
    _, rows = _read_csv(tmp_path / "g.csv")
    sheet = openpyxl.load_workbook(tmp_path / "g.xlsx")["団体一覧"]
    cells = list(sheet.iter_rows(values_only=True))
    assert list(cells[0]) == HEADERS
    assert len(cells) == len(rows) + 1
    for row, values in zip(rows, cells[1:], strict=True):
        as_text = ["" if v is None else str(v) for v in values]
        assert as_text == [v.removeprefix("'") for v in row.values()]
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:V{len(rows) + 1}"
    assert all(c.font.b for c in next(sheet.iter_rows(max_row=1)))
    assert sheet.column_dimensions["A"].width > sheet.column_dimensions["I"].width >= 8


# -- small projects ------------------------------------------------------------------------------


def test_rows_values_and_formulas_in_csv(small: Path, tmp_path: Path) -> None:
    target = tmp_path / "g.csv"
    stderr = _export(small, target)
    assert "団体 4 件" in stderr and "休止中 1 件" in stderr
    header, rows = _read_csv(target)
    assert header == HEADERS
    assert [r["団体名"] for r in rows] == ["あおば", "学童の会", "風の会", "さくら会"]
    sakura, aoba, gakudo = rows[3], rows[0], rows[1]
    assert sakura["団体の紹介"] == "'" + FORMULA_SUMMARY  # shown as text, never run
    assert sakura["キーワード"] == "'@SUM(1)、花見"
    assert sakura["活動分野"] == "まちづくり、子どもの健全育成"
    assert sakura["活動地区"] == "中央地区、北部地区"
    assert sakura["募集"] == "会員募集、いつでも募集"
    assert sakura["これからのイベント数"] == "2"  # the October event is over
    assert sakura["会員数"] == "12" and sakura["メール"] == "sakura@example.jp"
    assert sakura["ページのURL"] == f"{SITE_URL}groups/sakura/"
    assert sakura["ファイル"] == "groups/sakura.md"
    assert sakura["最終更新日"] == "2026-11-21"  # not in git: the build's now
    assert aoba["設立"] == "2015-04-01" and aoba["会員数"] == ""
    assert gakudo["活動状況"] == "休止中"
    assert "山田" not in target.read_text(encoding="utf-8-sig")


def test_formulas_are_text_cells_in_xlsx(small: Path, tmp_path: Path) -> None:
    target = tmp_path / "g.xlsx"
    _export(small, target, "--format", "xlsx")
    sheet = openpyxl.load_workbook(target)["団体一覧"]
    column = {h: i + 1 for i, h in enumerate(HEADERS)}
    sakura = next(r for r in range(2, 6) if sheet.cell(r, 1).value == "さくら会")
    for header, value in (("団体の紹介", FORMULA_SUMMARY), ("キーワード", "@SUM(1)、花見")):
        cell = sheet.cell(sakura, column[header])
        assert cell.value == value and cell.data_type == "s"
    members = sheet.cell(sakura, column["会員数"])
    events = sheet.cell(sakura, column["これからのイベント数"])
    assert (members.value, members.data_type) == (12, "n")
    assert (events.value, events.data_type) == (2, "n")
    # No formula anywhere in the sheet's XML.
    with zipfile.ZipFile(target) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in xml and b"<f " not in xml


def test_private_columns_only_when_asked(small: Path) -> None:
    plain = run_civic("export", "groups", "--format", "xlsx", cwd=small)
    assert plain.returncode == 0, plain.stderr
    sheet = openpyxl.load_workbook(small / "groups.xlsx")["団体一覧"]
    assert [c.value for c in sheet[1]] == HEADERS
    assert "個人情報" not in plain.stderr

    run = run_civic("export", "groups", "--format", "xlsx", "--include-private", cwd=small)
    assert run.returncode == 0, run.stderr
    assert "個人情報" in run.stderr and "コミットしないでください" in run.stderr
    assert "センターの中だけ" in run.stderr
    sheet = openpyxl.load_workbook(small / "groups.xlsx")["団体一覧"]
    assert [c.value for c in sheet[1]] == HEADERS + PRIVATE_HEADERS
    rows = {r[0]: r[len(HEADERS) :] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["さくら会"] == ("山田 花子", "090-0000-0000", None, None, "=1+1")
    assert rows["風の会"] == (None,) * 5
    note = sheet.cell(2 + list(rows).index("さくら会"), len(HEADERS) + 5)
    assert note.data_type == "s"

    csv_run = run_civic("export", "groups", "--include-private", "-o", "private.csv", cwd=small)
    assert csv_run.returncode == 0, csv_run.stderr
    header, rows = _read_csv(small / "private.csv")
    assert header == HEADERS + PRIVATE_HEADERS
    sakura = next(r for r in rows if r["団体名"] == "さくら会")
    assert sakura["非公開:メモ"] == "'=1+1" and sakura["非公開:担当者"] == "山田 花子"


def test_two_xlsx_exports_are_byte_identical(small: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    _export(small, first)
    time.sleep(1.1)  # zip members and docProps carry a time: a second later, still the same
    _export(small, second)
    assert first.read_bytes() == second.read_bytes()


def test_problems_stop_the_export(small: Path) -> None:
    (small / "groups" / "broken.md").write_text(
        group_file(name="壊れた会", kana="こわれたかい", members="たくさん"), encoding="utf-8"
    )
    run = run_civic("export", "groups", cwd=small)
    assert run.returncode == 1
    assert run.stdout.startswith("groups/broken.md:") and "members" in run.stdout
    assert "件の問題があります" in run.stderr
    assert not (small / "groups.csv").exists()


def test_format_and_file_name_must_agree(small: Path) -> None:
    run = run_civic("export", "groups", "--format", "csv", "-o", "g.xlsx", cwd=small)
    assert run.returncode == 2 and "拡張子" in run.stderr
    assert not (small / "g.xlsx").exists()


def test_only_the_command_reads_private_contacts() -> None:
    """`contact.private` reaches no page: only cli.py (the export) imports load.private."""
    package = REPO / "plugins" / "civic_portal"
    readers = set()
    for path in package.rglob("*.py"):
        dotted = ["civic_portal", *path.relative_to(package).parent.parts]
        for _, module, names in imports_of(path, dotted):
            if module == "civic_portal.load.private" or (
                module == "civic_portal.load" and "private" in names
            ):
                readers.add(path.relative_to(package).as_posix())
    assert readers == {"cli.py"}
