"""`civic import groups`: a centre's register (CSV in the encodings offices produce, or XLSX)
becomes group files that `civic check` accepts, with every problem as `file:row:column: message`,
private columns only under `contact.private`, nothing written half-way; a re-import changes only
what the register changed; the sample city exported and imported again lists the same groups in
the same order.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml
from bs4 import BeautifulSoup

from civic_portal.load.frontmatter import parse

from .conftest import LINE_RE, REPO, build_project, run_civic, write_project

HEADER = ["団体名", "フリガナ", "活動分野", "活動地域", "設立", "法人格", "会員数", "代表者",
          "電話番号", "ＦＡＸ", "Ｅ－ｍａｉｌ", "ホームページ", "活動内容", "活動日時", "活動場所",
          "旧システムID", "郵便番号", "所在地（事務局）"]  # fmt: skip
SHOGI = ["川波こども将棋クラブ", "ｶﾜﾅﾐｺﾄﾞﾓｼｮｳｷﾞｸﾗﾌﾞ", "子ども・文化", "北部地区", "平成27年",
         "任意団体", "２５人", "川波 太郎", "０００－１２３－４５６７", "000-123-4568",
         "shogi@example.jp", "www.example.jp/shogi",
         "小学生から中学生までが集まって将棋を指すクラブです。" + "毎週土曜日に公民館で活動しています。" * 8,
         "毎週土曜 10:00〜12:00", "北部公民館", "A-001", "〒０００－１２３４", "川波市北町1-2"]  # fmt: skip
READING = ["川波読書会", "カワナミドクショカイ", "社会教育", "中央地区", "2019", "", "10", "", "",
           "", "", "", "本を持ち寄って話す会です。", "", "", "A-002", "", ""]  # fmt: skip
NO_READING = [
    "名前だけの会",
    "",
    "福祉",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "紹介です。",
    "",
    "",
    "A-003",
]
TWICE = ["川波読書会", "かわなみどくしょかい", "社会教育", "", "", "", "", "", "", "", "", "",
         "同じ名前です。", "", "", "A-004", "", ""]  # fmt: skip
NO_NAME = ["", "なまえのないかい", "福祉", "", "", "", "", "", "", "", "", "", "紹介です。", "", "",
           "A-005", "", ""]  # fmt: skip
ROWS = [SHOGI, READING, NO_READING, TWICE, NO_NAME]


def _csv(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["登録団体一覧（令和8年4月1日現在）"])
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue()


def _register(path: Path, encoding: str, rows: list[list[str]] = ROWS) -> Path:
    if encoding == "xlsx":
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["登録団体一覧（令和8年4月1日現在）"])
        sheet.append(HEADER)
        for row in rows:
            sheet.append([int(c) if c.isascii() and c.isdigit() else c for c in row])
        book.save(path)
        return path
    text = _csv(rows, "\t" if encoding == "utf-16" else ",")
    data = {
        "utf-8": text.encode("utf-8"),
        "utf-8-sig": text.encode("utf-8-sig"),
        "cp932": text.replace("〜", "～").encode("cp932"),
        "utf-16": text.encode("utf-16"),
    }[encoding]
    path.write_bytes(data)
    return path


@pytest.fixture
def portal(tmp_path: Path) -> Path:
    write_project(tmp_path, {})
    return tmp_path


def _import(portal: Path, register: Path, *args: str) -> tuple[int, str, str]:
    name = register.relative_to(portal) if register.is_relative_to(portal) else register
    run = run_civic("import", "groups", str(name), *args, cwd=portal)
    assert "Traceback" not in run.stderr, run.stderr
    return run.returncode, run.stdout, run.stderr


def _front(path: Path) -> dict[str, object]:
    return parse(path.read_text(encoding="utf-8")).data


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp932", "utf-16", "xlsx"])
def test_a_messy_register_becomes_group_files_that_pass_the_check(
    portal: Path, encoding: str
) -> None:
    register = _register(
        portal / ("register.xlsx" if encoding == "xlsx" else "register.csv"), encoding
    )
    code, out, err = _import(portal, register)
    assert code == 1  # three rows have problems: reported, not written
    problems = [line for line in out.splitlines() if line.startswith("register.")]
    assert all(LINE_RE.match(p) for p in problems), problems
    assert any(":5: ふりがな: 必須の項目です" in p for p in problems), problems
    assert any(":6: 団体名: 「川波読書会」は 4 行目と同じ団体名です" in p for p in problems), (
        problems
    )
    report = out + err
    assert {"xlsx": "Excel", "cp932": "Shift_JIS", "utf-16": "UTF-16", "utf-8-sig": "BOM"}.get(
        encoding, "UTF-8"
    ) in report
    assert "旧システムID" in report  # an unknown column is listed, not dropped silently
    assert "代表者" in report and "contact.private" in report  # which columns are private
    assert "「子ども」を「子どもの健全育成」" in report  # an uncertain match, shown

    shogi = _front(portal / "groups" / "kawanami-kodomo-shougi-kurabu.md")
    assert shogi["kana"] == "かわなみこどもしょうぎくらぶ"  # half-width katakana → hiragana
    assert shogi["fields"] == ["子どもの健全育成", "学術・文化・芸術・スポーツ"]
    assert shogi["areas"] == ["北部地区"] and shogi["founded"] == 2015 and shogi["members"] == 25
    contact = shogi["contact"]
    assert contact["phone"] == "000-123-4567"  # full-width digits and hyphens
    assert contact["address"] == "〒000-1234 川波市北町1-2"
    assert contact["url"] == "https://www.example.jp/shogi"
    assert contact["private"] == {"person": "川波 太郎", "note": "FAX: 000-123-4568"}
    assert "川波 太郎" not in json.dumps({k: v for k, v in contact.items() if k != "private"})
    body = (portal / "groups" / "kawanami-kodomo-shougi-kurabu.md").read_text("utf-8")
    assert (
        shogi["summary"] == "小学生から中学生までが集まって将棋を指すクラブです。"
    )  # first sentence
    assert "毎週土曜日に公民館で活動しています。" in body.split("---\n")[-1]  # the rest: the body
    assert "# 団体名（必須" in body  # the same comments as civic new-group

    check = run_civic("check", cwd=portal)
    assert check.returncode == 0, check.stdout + check.stderr


def test_dry_run_writes_nothing_and_says_what_it_would(portal: Path) -> None:
    register = _register(portal / "register.csv", "utf-8", [SHOGI, READING])
    code, out, _ = _import(portal, register, "--dry-run")
    assert code == 0, out
    assert "groups/kawanami-kodomo-shougi-kurabu.md" in out
    assert not list((portal / "groups").glob("*.md"))
    assert not (portal / "groups" / ".imported.json").exists()


def test_map_names_a_column_the_import_does_not_know(portal: Path) -> None:
    register = _register(portal / "register.csv", "utf-8", [SHOGI, READING])
    code, out, _ = _import(portal, register, "--map", "旧システムID=contact.private.note")
    assert code == 0, out
    note = _front(portal / "groups" / "kawanami-kodomo-shougi-kurabu.md")["contact"]["private"][
        "note"
    ]
    assert "A-001" in note


def test_re_import_is_idempotent_and_keeps_what_groups_edited(portal: Path) -> None:
    register = _register(portal / "register.csv", "utf-8", [SHOGI, READING])
    assert _import(portal, register)[0] == 0
    files = {p.name: p.read_bytes() for p in (portal / "groups").iterdir()}
    code, out, _ = _import(portal, register)
    assert code == 0
    assert {p.name: p.read_bytes() for p in (portal / "groups").iterdir()} == files

    # The group edits its place; the centre's newer register changes members and place.
    path = portal / "groups" / "kawanami-kodomo-shougi-kurabu.md"
    path.write_text(
        path.read_text("utf-8").replace("place: 北部公民館", "place: 北部公民館 和室"), "utf-8"
    )
    newer = list(SHOGI)
    newer[6] = "30"
    newer[8] = "000-123-9999"
    newer[14] = "北部コミュニティセンター"
    _register(register, "utf-8", [newer, READING])
    code, out, _ = _import(portal, register)
    assert code == 0, out
    data = _front(path)
    assert data["members"] == 30  # changed in the register only: updated
    assert data["contact"]["phone"] == "000-123-9999"  # … nested values too
    assert data["place"] == "北部公民館 和室"  # changed by both: the group's stays
    assert "place" in out and "北部コミュニティセンター" in out  # … and the conflict is listed
    assert (portal / "groups" / "kawanami-dokusho-kai.md").read_bytes() == files[
        "kawanami-dokusho-kai.md"
    ]
    assert run_civic("check", cwd=portal).returncode == 0


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "空"),
        ("団体名,フリガナ\r\n".encode(), "行がありません"),
        (bytes(range(256)) * 40, "読め"),
        (
            '団体名,フリガナ,活動分野,活動内容\r\n=HYPERLINK("http://x"),かい,社会教育,紹介\r\n'.encode(),
            "数式",
        ),
        (
            '団体名,フリガナ,活動分野,活動内容\r\n"二行の\n名前",かい,社会教育,紹介\r\n'.encode(),
            "改行",
        ),
    ],
    ids=["empty", "header-only", "binary", "formula", "line-break"],
)
def test_bad_registers_get_a_clear_message_and_nothing_is_written(
    portal: Path, content: bytes, words: str
) -> None:
    register = portal / "register.csv"
    register.write_bytes(content)
    code, out, err = _import(portal, register)
    assert code != 0
    assert words in out + err, out + err
    assert not list((portal / "groups").glob("*.md"))


def test_a_50_mb_file_is_refused_quickly(portal: Path) -> None:
    register = portal / "huge.csv"
    with register.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    code, out, err = _import(portal, register)
    assert code != 0 and "大きすぎ" in out + err


def test_formulas_in_an_xlsx_are_not_imported(portal: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["団体名", "ふりがな", "活動分野", "活動内容"])
    sheet.append(["川波読書会", "かわなみどくしょかい", "社会教育", '=A2&"の紹介"'])
    book.save(portal / "register.xlsx")
    code, out, _ = _import(portal, portal / "register.xlsx")
    assert code == 1 and ":2: 活動内容: 数式" in out
    assert not list((portal / "groups").glob("*.md"))


def test_the_sample_city_exported_and_imported_lists_the_same_groups(tmp_path: Path) -> None:
    exported = tmp_path / "register.xlsx"
    run = run_civic("export", "groups", "--format", "xlsx", "-o", str(exported), cwd=REPO)
    assert run.returncode == 0, run.stderr
    empty = tmp_path / "portal"

    class Loader(yaml.SafeLoader):  # mkdocs.yml's !ENV and !!python tags read as nothing
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    mkdocs = yaml.load((REPO / "mkdocs.yml").read_text("utf-8"), Loader=Loader)
    options = next(p["civic"] for p in mkdocs["plugins"] if isinstance(p, dict) and "civic" in p)
    config = write_project(empty, {}, plugin={"areas": options["areas"]})
    code, out, _ = _import(empty, exported)
    assert code == 0, out
    before = BeautifulSoup(
        (build_project(REPO / "mkdocs.yml", tmp_path / "a") / "groups/index.html").read_text(
            "utf-8"
        ),
        "lxml",
    )
    after = BeautifulSoup(
        (build_project(config, tmp_path / "b") / "groups/index.html").read_text("utf-8"), "lxml"
    )

    def names(page: BeautifulSoup) -> list[str]:
        return [h.get_text(strip=True) for h in page.select("li.civic-card .civic-card__name")]

    assert names(after) == names(before)


def test_what_a_register_carries_goes_through_the_gate(portal: Path) -> None:
    """A register is another way in: a script in a name is text on the page, a javascript: URL
    and an over-long summary are problems with their row and column, never written."""
    rows = [
        ["<script>alert(1)</script>の会", "すくりぷとのかい", "社会教育", "", "", "", "", "", "",
         "", "", "", "紹介です。", "", "", "", "", ""],
        ["危ないURLの会", "あぶないかい", "社会教育", "", "", "", "", "", "", "", "",
         "javascript:alert(1)", "紹介です。", "", "", "", "", ""],
        ["長い会", "ながいかい", "社会教育", "", "", "", "", "", "", "", "", "", "", "", "", "", "",
         ""],
    ]  # fmt: skip
    rows[2][12] = "あ" * 100 + "\n" + "い" * 100
    register = _register(portal / "register.csv", "utf-8", rows)
    code, out, _ = _import(portal, register)
    assert code == 1
    assert "register.csv:4: ホームページ: URLは http://・https:// で始まるもの" in out
    written = sorted(p.name for p in (portal / "groups").glob("*.md"))
    assert len(written) == 2 and not any("abunai" in name for name in written), written
    site = build_project(portal / "mkdocs.yml", portal / "site")
    for page in site.rglob("*.html"):
        assert "<script>alert(1)" not in page.read_text("utf-8"), page


def test_importing_the_sample_citys_own_export_changes_nothing(tmp_path: Path) -> None:
    """The export holds what the files say, so importing it over the same portal writes no file
    and finds no conflict: an import only ever changes what the register changed."""
    portal = tmp_path / "portal"
    for name in ("content", "groups", "overrides"):
        shutil.copytree(REPO / name, portal / name)
    shutil.copy(REPO / "mkdocs.yml", portal / "mkdocs.yml")
    exported = tmp_path / "register.csv"
    run = run_civic("export", "groups", "--format", "csv", "-o", str(exported), cwd=portal)
    assert run.returncode == 0, run.stderr
    before = {p.name: p.read_bytes() for p in (portal / "groups").glob("*.md")}
    code, out, _ = _import(portal, exported)
    assert code == 0, out
    assert "書きました" not in out and "食い違い" not in out, out
    assert "変わりなし: 38 件" in out
    assert {p.name: p.read_bytes() for p in (portal / "groups").glob("*.md")} == before


@pytest.mark.parametrize("state", [b"{not json", b"[1, 2]", b'{"groups": {"x": [1]}}', b"\xff\xfe"])
def test_a_damaged_import_record_is_a_message_not_a_traceback(portal: Path, state: bytes) -> None:
    register = _register(portal / "register.csv", "utf-8", [SHOGI, READING])
    (portal / "groups" / ".imported.json").write_bytes(state)
    code, out, _ = _import(portal, register)
    assert code == 1 and "groups/.imported.json:1: file: 前回の取り込みの記録が読めません" in out
    assert not list((portal / "groups").glob("*.md"))
    assert (portal / "groups" / ".imported.json").read_bytes() == state  # left for staff to see
