"""Every kind of bad group file gives its own Japanese message at the right line, all at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from civic_portal.load import groups
from civic_portal.model import Problem

from .conftest import (
    LINE_RE,
    VOCABULARY,
    build_project,
    dedent,
    group_file,
    load_problems,
    run_civic,
    write_project,
)

VALID_HEAD = "---\nname: 団体\nkana: だんたい\nsummary: 紹介\nfields: [まちづくり]\n"

# (file text, expected key, expected line, a fragment of the message)
CASES = [
    pytest.param(
        VALID_HEAD + "sumary: x\n---\n",
        "sumary",
        6,
        "もしかして「summary」",
        id="unknown-key-suggestion",
    ),
    pytest.param("---\nname: 団体\n---\n", "kana", 1, "必須の項目です", id="missing-required"),
    pytest.param(
        VALID_HEAD + "founded: 2026-02-30\n---\n",
        "founded",
        6,
        "存在しない日付",
        id="impossible-date",
    ),
    pytest.param(
        VALID_HEAD + "founded: 2030\n---\n", "founded", 6, "1868から2026", id="future-year"
    ),
    pytest.param(
        VALID_HEAD + "founded: 平成元年\n---\n", "founded", 6, "西暦の年", id="founded-wrong-type"
    ),
    pytest.param(
        VALID_HEAD.replace("[まちづくり]", "[子育て]") + "---\n",
        "fields[0]",
        5,
        "活動分野の一覧にありません",
        id="field-not-in-list",
    ),
    pytest.param(
        VALID_HEAD.replace("[まちづくり]", "[まちづくり, 観光, 国際協力, 災害救援]") + "---\n",
        "fields",
        5,
        "3個まで",
        id="too-many-fields",
    ),
    pytest.param(
        VALID_HEAD.replace("[まちづくり]", "[まちづくり, machizukuri]") + "---\n",
        "fields[1]",
        5,
        "2回書かれています",
        id="duplicate-field",
    ),
    pytest.param(
        VALID_HEAD.replace("[まちづくり]", "[]") + "---\n",
        "fields",
        5,
        "少なくとも1つ",
        id="no-field",
    ),
    pytest.param(
        VALID_HEAD + "areas: [南区]\n---\n",
        "areas[0]",
        6,
        "地区の一覧にありません",
        id="area-not-in-list",
    ),
    pytest.param(
        VALID_HEAD.replace("だんたい", "団体") + "---\n",
        "kana",
        3,
        "ひらがな か カタカナ",
        id="kana-with-kanji",
    ),
    pytest.param(
        VALID_HEAD.replace("紹介", "あ" * 121) + "---\n",
        "summary",
        4,
        "120文字以内",
        id="summary-too-long",
    ),
    pytest.param(
        VALID_HEAD.replace("summary: 紹介", "summary: |\n  一行目\n  二行目") + "---\n",
        "summary",
        4,
        "1行で",
        id="summary-multiline",
    ),
    pytest.param(VALID_HEAD + "members: -3\n---\n", "members", 6, "0から", id="members-negative"),
    pytest.param(
        VALID_HEAD + "members: 二十\n---\n", "members", 6, "半角数字", id="members-not-number"
    ),
    pytest.param(
        VALID_HEAD + "contact:\n  url: javascript:alert(1)\n---\n",
        "contact.url",
        7,
        "http://・https://",
        id="javascript-url",
    ),
    pytest.param(
        VALID_HEAD + "links:\n  x: ftp://example.jp/x\n---\n",
        "links.x",
        7,
        "http://・https://",
        id="ftp-url",
    ),
    pytest.param(
        VALID_HEAD + "links:\n  tiktok: https://example.jp\n---\n",
        "links.tiktok",
        7,
        "という項目はありません",
        id="unknown-link-kind",
    ),
    pytest.param(
        VALID_HEAD + "contact:\n  email: info-at-example.jp\n---\n",
        "contact.email",
        7,
        "メールアドレス",
        id="bad-email",
    ),
    pytest.param(
        VALID_HEAD + "contact:\n  phone: でんわ\n---\n",
        "contact.phone",
        7,
        "電話番号",
        id="bad-phone",
    ),
    pytest.param(
        VALID_HEAD + "contact: info@example.jp\n---\n",
        "contact",
        6,
        "「キー: 値」",
        id="contact-not-mapping",
    ),
    pytest.param(
        VALID_HEAD + "recruiting:\n  - detail: x\n---\n",
        "recruiting[0].title",
        7,
        "必須の項目",
        id="recruit-missing-title",
    ),
    pytest.param(
        VALID_HEAD + "recruiting:\n  - title: x\n    until: 2027-04-31\n---\n",
        "recruiting[0].until",
        8,
        "存在しない日付",
        id="recruit-bad-date",
    ),
    pytest.param(
        VALID_HEAD + "recruiting:\n  - title: x\n    until: 来年3月\n---\n",
        "recruiting[0].until",
        8,
        "年-月-日",
        id="recruit-date-text",
    ),
    pytest.param(
        VALID_HEAD + "logo: images/none.png\n---\n", "logo", 6, "見つかりません", id="missing-image"
    ),
    pytest.param(
        VALID_HEAD + "logo: ../secret.png\n---\n",
        "logo",
        6,
        "フォルダの移動",
        id="image-path-escape",
    ),
    pytest.param(
        VALID_HEAD + "logo: images/logo.svg\n---\n", "logo", 6, "SVG は使えません", id="svg-logo"
    ),
    pytest.param(
        VALID_HEAD + "logo: images/fake.png\n---\n", "logo", 6, "中身が", id="image-not-image"
    ),
    pytest.param(
        VALID_HEAD + "maintainers: [山田]\n---\n",
        "maintainers[0]",
        6,
        "GitHub",
        id="bad-maintainer",
    ),
    pytest.param(
        VALID_HEAD + "status: closed\n---\n",
        "status",
        6,
        "活動状況の一覧にありません",
        id="bad-status",
    ),
    pytest.param(
        VALID_HEAD + "legal_form: 株式会社X\n---\n",
        "legal_form",
        6,
        "法人格の一覧にありません",
        id="bad-legal-form",
    ),
    pytest.param(
        VALID_HEAD + "events: 毎週水曜\n---\n", "events", 6, "リストで", id="events-not-list"
    ),
    pytest.param(
        VALID_HEAD + "tags: [" + "あ" * 31 + "]\n---\n",
        "tags[0]",
        6,
        "30文字以内",
        id="tag-too-long",
    ),
    pytest.param(VALID_HEAD + "tags: [2026]\n---\n", "tags[0]", 6, "引用符", id="tag-number"),
    pytest.param(
        VALID_HEAD + "name: 別名\n---\n", "name", 6, "2回書かれています", id="duplicate-key"
    ),
    pytest.param(
        VALID_HEAD + "place: &p 公民館\nactivity: *p\n---\n", "activity", 7, "アンカー", id="alias"
    ),
    pytest.param(
        VALID_HEAD + "place: 公民館: 2階\n---\n", "place", 6, "「: 」", id="colon-in-value"
    ),
    pytest.param(
        VALID_HEAD + "contact:\n\temail: a@example.jp\n---\n",
        "contact.email",
        7,
        "タブ文字",
        id="tab-indent",
    ),
    pytest.param(
        VALID_HEAD + "place: [公民館\n---\n", "place", 6, "[ が閉じていません", id="broken-flow"
    ),
    pytest.param("name: 団体\n", "front-matter", 1, "先頭に --- ", id="no-front-matter"),
    pytest.param(
        "---\nname: 団体\n", "front-matter", 1, "終わりを示す ---", id="unclosed-front-matter"
    ),
    pytest.param(
        "---\n- a\n- b\n---\n", "front-matter", 2, "「キー: 値」", id="front-matter-is-list"
    ),
    pytest.param(
        VALID_HEAD + 'activity: "a\\x07b"\n---\n', "activity", 6, "制御文字", id="control-char"
    ),
]


@pytest.mark.parametrize(("text", "key", "line", "fragment"), CASES)
def test_each_bad_input_has_its_message(
    tmp_path: Path, text: str, key: str, line: int, fragment: str
) -> None:
    lines = load_problems(tmp_path, {"sample-group.md": text})
    parsed = [LINE_RE.match(entry) for entry in lines]
    assert all(parsed), lines
    found = [(m["key"], int(m["line"]), m["message"]) for m in parsed if m]
    assert any(k == key and n == line and fragment in msg for k, n, msg in found), found
    assert all(m["path"] == "groups/sample-group.md" for m in parsed if m)


def test_valid_file_has_no_problems(tmp_path: Path) -> None:
    text = VALID_HEAD + dedent("""
        areas: [中央地区, kita]
        tags: [子育て, 多世代交流]
        legal_form: NPO法人
        founded: 2015-04-01
        members: 12
        contact:
          email: info@example.jp
          phone: ０００-１２３-４５６７
          url: https://example.jp/
        links:
          instagram: https://instagram.example.jp/x
        recruiting:
          - title: 見守りボランティア
            until: 2027-03-31
        logo: images/ok.png
        maintainers: ["@kawanami-taro"]
        ---
        本文
    """)
    assert load_problems(tmp_path, {"sample-group.md": text}) == []


def test_all_problems_in_a_file_are_reported_at_once(tmp_path: Path) -> None:
    text = (
        VALID_HEAD.replace("だんたい", "団体")
        + "sumary: x\nfounded: 2026-02-30\ncontact:\n  url: javascript:x\n---\n"
    )
    keys = {line.split(": ")[1] for line in load_problems(tmp_path, {"many-problems.md": text})}
    assert keys == {"kana", "sumary", "founded", "contact.url"}


@pytest.mark.parametrize(
    ("name", "data", "fragment"),
    [
        ("日本語.md", VALID_HEAD + "---\n", "日本語や全角文字"),
        ("Upper.md", VALID_HEAD + "---\n", "ファイル名「Upper」"),
        ("fields.md", VALID_HEAD + "---\n", "サイトが使う名前"),
        ("sjis-file.md", (VALID_HEAD + "---\n").encode("cp932"), "UTF-8"),
        ("nul-file.md", (VALID_HEAD + "---\n\x00").encode(), "NUL"),
        ("huge-file.md", VALID_HEAD + "---\n" + "あ" * 200_000, "大きすぎます"),
    ],
)
def test_file_level_problems(tmp_path: Path, name: str, data: str | bytes, fragment: str) -> None:
    lines = load_problems(tmp_path, {name: data})
    assert any(fragment in line for line in lines), lines


def test_bom_and_crlf_keep_line_numbers(tmp_path: Path) -> None:
    text = "\ufeff" + (VALID_HEAD + "sumary: x\n---\n").replace("\n", "\r\n")
    assert load_problems(tmp_path, {"windows-file.md": text}) == [
        "groups/windows-file.md:6: sumary: 「sumary」という項目はありません。もしかして「summary」ですか？"
    ]


def test_billion_laughs_is_refused_quickly(tmp_path: Path) -> None:
    bomb = "---\n" + "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    bomb += "".join(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10))
    bomb += "---\n"
    lines = load_problems(tmp_path, {"bomb-file.md": bomb})
    assert any("アンカー" in line for line in lines)


def test_duplicate_names_point_at_both_files(tmp_path: Path) -> None:
    lines = load_problems(
        tmp_path, {"first-one.md": VALID_HEAD + "---\n", "second-one.md": VALID_HEAD + "---\n"}
    )
    assert lines == ["groups/second-one.md:2: name: 同じ団体名が groups/first-one.md にもあります"]


# -- the command line and the build report the same problems ---------------------------------


def test_civic_check_exit_codes_and_format(tmp_path: Path) -> None:
    config = write_project(
        tmp_path,
        {"good-group.md": group_file(), "bad-group.md": group_file(name="別の団体", sumary="x")},
    )
    run = run_civic("check", "-f", str(config), cwd=tmp_path)
    assert run.returncode == 1
    assert run.stdout.splitlines() == [
        "groups/bad-group.md:7: sumary: 「sumary」という項目はありません。もしかして「summary」ですか？"
    ]
    assert "Traceback" not in run.stderr
    (tmp_path / "groups" / "bad-group.md").unlink()
    ok = run_civic("check", "-f", str(config), cwd=tmp_path)
    assert (ok.returncode, ok.stdout) == (0, "")


def test_civic_check_given_paths(tmp_path: Path) -> None:
    config = write_project(
        tmp_path, {"good-group.md": group_file(), "bad-group.md": group_file(name="別", kana="別")}
    )
    run = run_civic(
        "check", "-f", str(config), "groups/good-group.md", "groups/missing.md", cwd=tmp_path
    )
    assert run.returncode == 1
    assert run.stdout.splitlines() == ["groups/missing.md:1: file: ファイルが見つかりません"]


def test_civic_check_bad_config_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    config = write_project(tmp_path, {}, plugin={"areas": [{"slug": "Bad Slug", "name": "x"}]})
    run = run_civic("check", "-f", str(config), cwd=tmp_path)
    assert run.returncode != 0
    assert "Bad Slug" in run.stderr and "Traceback" not in run.stderr


def test_build_fails_with_the_same_messages(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = write_project(tmp_path, {"bad-group.md": group_file(sumary="x", founded="2026年")})
    with pytest.raises(Abort):
        build_project(config, tmp_path / "site")
    assert not (tmp_path / "site").exists()  # nothing half-written
    message = "\n".join(r.getMessage() for r in caplog.records if r.levelname == "ERROR")
    assert "2件の問題があります" in message
    assert "groups/bad-group.md:7: sumary:" in message
    assert "groups/bad-group.md:8: founded:" in message


@pytest.mark.parametrize(
    "spelling", ['"2027-03-31"', "2027/03/31", "2027年3月31日", "２０２７年３月３１日"]
)
def test_dates_in_the_spellings_people_write(tmp_path: Path, spelling: str) -> None:
    text = VALID_HEAD + f"recruiting:\n  - title: 募集\n    until: {spelling}\n---\n"
    assert load_problems(tmp_path, {"date-spelling.md": text}) == []


def test_quoted_impossible_date(tmp_path: Path) -> None:
    text = VALID_HEAD + 'recruiting:\n  - title: 募集\n    until: "2027-02-30"\n---\n'
    assert load_problems(tmp_path, {"date-spelling.md": text}) == [
        "groups/date-spelling.md:8: recruiting[0].until: 存在しない日付です（2027-02-30）。年-月-日 を確かめてください"
    ]


def test_duplicate_slug_from_two_extensions(tmp_path: Path) -> None:
    lines = load_problems(
        tmp_path,
        {
            "same-slug.md": VALID_HEAD + "---\n",
            "same-slug.markdown": VALID_HEAD.replace("団体", "別団体") + "---\n",
        },
    )
    assert lines == [
        "groups/same-slug.markdown:1: slug: 団体のURL名「same-slug」が groups/same-slug.md と重複しています"
    ]


def test_many_group_files_are_read_by_two_processes_as_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From load.groups.SHARED_FROM files on, a build has a second process read the last of
    them while it reads the others: the groups, every problem (a file's own, and a clash between
    a file of each share) and every notice are what one process finds, in the same order."""
    event = {"title": "清掃活動", "id": "seiso", "start": "2026-12-05 10:00"}  # no kana: a notice
    files = {
        f"group-{n}.md": group_file(name=f"団体{n}", kana="だんたい", events=[event])
        for n in range(8)
    }
    files["group-3.md"] = "---\nname: [閉じていない\n---\n"
    files["group-6.md"] = group_file(name="団体1", kana="だんたい")  # group-1's name
    (tmp_path / "groups" / "images").mkdir(parents=True)
    paths = []
    for name, text in files.items():
        paths.append(tmp_path / "groups" / name)
        paths[-1].write_text(text, encoding="utf-8")

    def load() -> tuple[list[str], list[str], list[str]]:
        notices: list[Problem] = []
        found, problems = groups.load_groups(
            paths, tmp_path, VOCABULARY, tmp_path / "groups" / "images", notices=notices
        )
        return [g.slug for g in found], [str(p) for p in problems], [str(p) for p in notices]

    alone = load()
    here: list[str] = []
    load_group = groups.load_group

    def counted(path: Path, *args: object) -> object:
        here.append(path.name)
        return load_group(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(groups, "load_group", counted)
    monkeypatch.setattr(groups, "SHARED_FROM", 4)
    assert load() == alone
    assert here == [f"group-{n}.md" for n in range(4)]  # the other four: the second process
    slugs, problems, notices = alone
    assert "group-3" not in slugs and "group-6" not in slugs and len(notices) == 6
    assert any("group-3.md" in p for p in problems)
    assert any("group-6.md" in p and "group-1.md" in p for p in problems)
