"""YAML syntax errors in a group's front matter, as a volunteer makes them: each is reported at
the line where the broken construct starts, under the key whose value is broken, and explained in
Japanese (never libyaml's English), as `path:line: key: message`."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from civic_portal.load.checks import read_document
from civic_portal.load.frontmatter import Document, FrontMatterError, parse, parse_yaml

from ..conftest import LINE_RE

HEAD = "---\nname: 団体\nkana: だんたい\n"  # name is line 2, kana line 3, the next line is 4
ENGLISH = re.compile(
    r"found|expected|while (?:scanning|parsing)|mapping values|not allowed|could not|did not"
    r"|character|stream",
    re.IGNORECASE,
)


def _problem(text: str, parser=parse) -> FrontMatterError:
    """The first problem reading `text` gives: the error that stops it, or the first one
    collected while its values were read."""
    try:
        doc: Document = parser(text)
    except FrontMatterError as e:
        return e
    assert doc.errors, f"no problem reported for {text!r}"
    return doc.errors[0]


# (front matter, expected line, expected key, a fragment of the message)
CASES = [
    # 1. unclosed quotes: at the opening quote, under the key that holds it
    pytest.param(
        HEAD + 'summary: "引用符が閉じない\nfields: [まちづくり]\n---\n本文\n',
        4,
        "summary",
        '4行目の summary: の引用符（"）が閉じていません。値の最後に " を書いてください',
        id="double-quote",
    ),
    pytest.param(
        HEAD + "summary: '引用符が閉じない\nfields: [まちづくり]\n---\n",
        4,
        "summary",
        "4行目の summary: の引用符（'）が閉じていません",
        id="single-quote",
    ),
    pytest.param(
        HEAD + 'summary: "最後の行\n---\n',
        4,
        "summary",
        '引用符（"）が閉じていません',
        id="dq-last",
    ),
    pytest.param(
        HEAD + 'fields:\n  - "まちづくり\n  - 福祉\nsummary: 紹介\n---\n',
        5,
        "fields[0]",
        '5行目の「- 」の項目の引用符（"）が閉じていません',
        id="dq-list-item",
    ),
    pytest.param(
        HEAD + "fields:\n  - まちづくり\n  - '福祉\nsummary: 紹介\n---\n",
        6,
        "fields[1]",
        "引用符（'）が閉じていません",
        id="sq-second-list-item",
    ),
    pytest.param(
        HEAD + 'contact:\n  email: "a@example.jp\n  phone: 000\nsummary: 紹介\n---\n',
        5,
        "contact.email",
        '5行目の email: の引用符（"）が閉じていません',
        id="dq-nested-key",
    ),
    pytest.param(
        HEAD + 'events:\n  - title: "春の会\n    start: 2026-04-01\n---\n',
        5,
        "events[0].title",
        '5行目の title: の引用符（"）が閉じていません',
        id="dq-event-title",
    ),
    pytest.param(
        HEAD + "events:\n  - title: 春の会\n    start: 2026-04-01\n"
        "  - title: '秋の会\n    start: 2026-10-01\n---\n",
        7,
        "events[1].title",
        "7行目の title: の引用符（'）が閉じていません",
        id="sq-second-event-title",
    ),
    pytest.param(
        HEAD + 'summary: "閉じない\nactivity: "毎週" 水曜\nfields: [まちづくり]\n---\n',
        4,
        "summary",
        '引用符（"）が閉じていません',
        id="dq-closed-by-a-later-line",
    ),
    pytest.param(
        HEAD + "summary: '閉じない\nactivity: it's\n---\n",
        4,
        "summary",
        "引用符（'）が閉じていません",
        id="sq-closed-by-a-later-apostrophe",
    ),
    pytest.param(
        HEAD + 'summary: "彼は"こんにちは"と言った"\n---\n',
        4,
        "summary",
        "4行目の summary: の値の途中に \" があります。値全体を '...' で囲んでください",
        id="quote-inside-quotes",
    ),
    pytest.param(
        HEAD + "summary: 'It's fine'\n---\n",
        4,
        "summary",
        "4行目の summary: の値の途中に ' があります",
        id="apostrophe-inside-single-quotes",
    ),
    pytest.param(
        HEAD + 'summary: "C:\\Users"\n---\n',
        4,
        "summary",
        "\\ の書き方",
        id="bad-escape",
    ),
    # 2. no space after the colon
    pytest.param(
        "---\nname:ひだまり\nkana: ひだまり\nsummary: 紹介\n---\n",
        2,
        "name",
        "2行目の name: のあとに半角スペースを1つ入れてください",
        id="no-space-first-line",
    ),
    pytest.param(
        HEAD.replace("kana: ", "kana:") + "summary: 紹介\n---\n",
        3,
        "kana",
        "3行目の kana: のあとに半角スペースを1つ入れてください",
        id="no-space-middle",
    ),
    pytest.param(
        HEAD.replace("kana: ", "kana:") + "---\n",
        3,
        "kana",
        "kana: のあとに半角スペースを1つ入れてください",
        id="no-space-last-line",
    ),
    pytest.param(
        "---\nname:ひだまり\n---\n",
        2,
        "name",
        "name: のあとに半角スペースを1つ入れてください",
        id="no-space-only-line",
    ),
    pytest.param(
        HEAD + "contact:\n  email:a@example.jp\n  phone: 000\n---\n",
        5,
        "contact.email",
        "email: のあとに半角スペースを1つ入れてください",
        id="no-space-nested",
    ),
    pytest.param(
        HEAD + "contact:\n  email:a@example.jp\n---\n",
        5,
        "contact.email",
        "email: のあとに半角スペースを1つ入れてください",
        id="no-space-nested-last",
    ),
    pytest.param(
        HEAD + "url:https://example.jp/\nsummary: 紹介\n---\n",
        4,
        "url",
        "url: のあとに半角スペースを1つ入れてください",
        id="no-space-url",
    ),
    # 3. tabs
    pytest.param(
        HEAD + "contact:\n\temail: a@example.jp\n---\n",
        5,
        "contact.email",
        "5行目の行頭にタブ文字があります。字下げには半角スペースを使ってください",
        id="tab-indent",
    ),
    pytest.param(
        HEAD + "contact:\n  email: a@example.jp\n\tphone: 000\n---\n",
        6,
        "contact.phone",
        "6行目の行頭にタブ文字があります",
        id="tab-after-spaces",
    ),
    pytest.param(
        HEAD + "fields:\n\t- まちづくり\n---\n",
        5,
        "fields[0]",
        "タブ文字",
        id="tab-list-item",
    ),
    # 4. list items and keys at the wrong indent
    pytest.param(
        HEAD + "fields:\n  - まちづくり\n - 福祉\nsummary: 紹介\n---\n",
        6,
        "fields[1]",
        "6行目の「- 」の位置が5行目の「- 」とそろっていません",
        id="list-item-less-indented",
    ),
    pytest.param(
        HEAD + "fields:\n - まちづくり\n  - 福祉\nsummary: 紹介\n---\n",
        5,
        "fields[0]",
        "6行目の「- 」が5行目の「- 」より右にあるため、5行目の項目の続きとして読まれています",
        id="list-item-more-indented",
    ),
    pytest.param(
        HEAD + "fields: まちづくり\n  - 福祉\n---\n",
        4,
        "fields",
        "4行目を fields: だけにして",
        id="list-item-after-a-value-deeper",
    ),
    pytest.param(
        HEAD + "fields: まちづくり\n- 福祉\n---\n",
        4,
        "fields",
        "4行目を fields: だけにして",
        id="list-item-after-a-value",
    ),
    pytest.param(
        HEAD + "contact:\n    email: a@example.jp\n  phone: 000\n---\n",
        6,
        "contact.phone",
        "6行目の phone: の字下げ（行頭の半角スペースの数）が5行目の email: とそろっていません",
        id="key-less-indented",
    ),
    pytest.param(
        HEAD + "contact:\n  email: a@example.jp\n    phone: 000\n---\n",
        6,
        "contact.phone",
        "6行目の phone: が5行目の email: より深く字下げされています",
        id="key-more-indented",
    ),
    pytest.param(
        HEAD + "events:\n  - title: 春の会\n   start: 2026-04-01\n---\n",
        6,
        "events[0].start",
        "6行目の start: の字下げ（行頭の半角スペースの数）が5行目の title: とそろっていません",
        id="event-key-less-indented",
    ),
    pytest.param(
        HEAD + "fields:\n  -まちづくり\n---\n",
        5,
        "fields[0]",
        "5行目の「-」のあとに半角スペースを1つ入れてください（- まちづくり）",
        id="list-item-without-space",
    ),
    pytest.param(
        HEAD + "fields:\n  - 福祉\n  -まちづくり\nsummary: 紹介\n---\n",
        6,
        "fields[1]",
        "6行目の「-」のあとに半角スペースを1つ入れてください",
        id="second-list-item-without-space",
    ),
    # 5. ": " inside a value
    pytest.param(
        HEAD + "summary: 時間: 10時から\n---\n",
        4,
        "summary",
        '4行目の summary: の値の中に「: 」があります。値全体を "..." で囲んでください',
        id="colon-in-value",
    ),
    pytest.param(
        HEAD + "contact:\n  phone: 受付: 000-111\n---\n",
        5,
        "contact.phone",
        '値全体を "..." で囲んでください（例: phone: "受付: 000-111"）',
        id="colon-in-nested-value",
    ),
    # 6. full-width spaces and colons
    pytest.param(
        HEAD + "contact:\n\u3000\u3000email: a@example.jp\n---\n",
        5,
        "contact.email",
        "5行目の行頭に全角スペースがあります。字下げには半角スペースを使ってください",
        id="full-width-indent",
    ),
    pytest.param(
        "---\nname: 団体\n\u3000kana: だんたい\n---\n",
        3,
        "kana",
        "3行目の行頭に全角スペースがあります",
        id="full-width-indent-top-level",
    ),
    pytest.param(
        HEAD + "fields:\n\u3000- まちづくり\n---\n",
        5,
        "fields[0]",
        "5行目の行頭に全角スペースがあります",
        id="full-width-indent-list-item",
    ),
    pytest.param(
        "---\nna\u3000me: 団体\nkana: だんたい\n---\n",
        2,
        "name",
        "2行目のキーに全角スペースがあります",
        id="full-width-space-in-key",
    ),
    pytest.param(
        "---\nname：ひだまり\nkana: ひだまり\n---\n",
        2,
        "name",
        "2行目の name： のコロンが全角（：）です",
        id="full-width-colon-first-line",
    ),
    pytest.param(
        "---\nname: 団体\nkana：だんたい\nsummary: 紹介\n---\n",
        3,
        "kana",
        "3行目の kana： のコロンが全角（：）です",
        id="full-width-colon-middle",
    ),
    pytest.param(
        "---\nname: 団体\nkana：だんたい\n---\n",
        3,
        "kana",
        "コロンが全角（：）です",
        id="full-width-colon-last-line",
    ),
    pytest.param(
        "---\nname：ひだまり\n---\n",
        2,
        "name",
        "コロンが全角（：）です",
        id="full-width-colon-only-line",
    ),
    pytest.param(
        HEAD + "contact:\n  email：a@example.jp\n---\n",
        5,
        "contact.email",
        "コロンが全角（：）です",
        id="full-width-colon-nested",
    ),
    pytest.param(
        "---\nname:\u3000ひだまり\nkana: ひだまり\n---\n",
        2,
        "name",
        "2行目の name: のあとのスペースが全角です",
        id="full-width-space-after-colon",
    ),
    # 7. no closing ---
    pytest.param(
        "---\nname: 団体\nkana: だんたい\n",
        1,
        "front-matter",
        "設定の終わりを示す --- が見つかりません",
        id="no-closing-fence",
    ),
    # 8. everything else libyaml raises, in Japanese with the key
    pytest.param(
        HEAD + "fields: [まちづくり, 福祉\nsummary: 紹介\n---\n",
        4,
        "fields",
        "4行目の fields: の [ が閉じていません。最後に ] を書いてください",
        id="unclosed-bracket",
    ),
    pytest.param(
        HEAD + "contact: {email: a@example.jp\n---\n",
        4,
        "contact",
        "{ が閉じていません。最後に } を書いてください",
        id="unclosed-brace",
    ),
    pytest.param(
        HEAD + "tags: [子育て: 0歳から: 3歳]\n---\n",
        4,
        "tags",
        "[ ] の中の書き方",
        id="colons-in-a-flow-list",
    ),
    pytest.param(
        HEAD + "tags: " + "[" * 1100 + "]" * 1100 + "\n---\n",
        4,
        "tags",
        "入れ子（リストや「キー: 値」の中の入れ子）が深すぎます",
        id="nesting-too-deep",
    ),
    pytest.param(
        HEAD + "maintainers: @kawanami-taro\n---\n",
        4,
        "maintainers",
        '値が @ で始まっています。@ で始まる値は全体を "..." で囲んでください',
        id="at-sign",
    ),
    pytest.param(
        HEAD + "summary: `コード`の会\n---\n",
        4,
        "summary",
        "値が ` で始まっています",
        id="backtick",
    ),
    pytest.param(
        HEAD + "summary: *注意* 土曜です\n---\n",
        4,
        "summary",
        "値が * で始まっています",
        id="asterisk",
    ),
    pytest.param(
        HEAD + "summary: *note\n---\n",
        4,
        "summary",
        "値が * で始まっています",
        id="undefined-alias",
    ),
    pytest.param(
        HEAD + "summary: !重要 土曜です\n---\n", 4, "summary", "値が ! で始まっています", id="tag"
    ),
    pytest.param(
        HEAD + "summary: %割引あり\n---\n", 4, "summary", "値が % で始まっています", id="percent"
    ),
    pytest.param(
        HEAD + "summary: - 子育て\nfields: [まちづくり]\n---\n",
        4,
        "summary",
        "値が「- 」で始まっています",
        id="dash-value",
    ),
    pytest.param(
        HEAD + "summary: |説明\n  本文\n---\n",
        4,
        "summary",
        "| や > のあとには何も書かず",
        id="block-scalar-header",
    ),
    pytest.param(
        HEAD + "summary: 紹介\n活動の説明\nfields: [まちづくり]\n---\n",
        5,
        "yaml",
        "5行目（活動の説明）に「キー: 値」の「: 」がありません",
        id="line-without-colon",
    ),
    pytest.param(
        HEAD + "summary: 紹介\nactivity\n---\n",
        5,
        "activity",
        "5行目（activity）に「キー: 値」の「: 」がありません",
        id="key-without-colon",
    ),
    pytest.param(
        HEAD + ": 紹介\n---\n",
        4,
        "yaml",
        "4行目の「:」の前にキーの名前がありません",
        id="empty-key",
    ),
    pytest.param(HEAD + "summary: a\x07b\n---\n", 4, "summary", "制御文字", id="control-character"),
    pytest.param(
        HEAD + "--- summary: 紹介\n---\n",
        4,
        "yaml",
        "--- は設定の最初と最後にだけ書いてください",
        id="second-document",
    ),
]


@pytest.mark.parametrize(("text", "line", "key", "fragment"), CASES)
def test_a_yaml_mistake_is_named_where_it_starts(
    text: str, line: int, key: str, fragment: str
) -> None:
    problem = _problem(text)
    assert (problem.line, problem.key) == (line, key), problem.message
    assert fragment in problem.message
    assert not ENGLISH.search(problem.message), problem.message


def test_the_venue_register_counts_lines_from_its_first() -> None:
    text = "tsunaguba:\n  name: 川波市市民活動センター\n  kana: 'かわなみ\n  address: 中央1-2-3\n"
    problem = _problem(text, parse_yaml)
    assert (problem.line, problem.key) == (3, "tsunaguba.kana")
    assert "3行目の kana: の引用符（'）が閉じていません" in problem.message


def test_the_cli_line_names_the_file_the_line_and_the_key(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_text(
        HEAD + 'summary: "閉じない\nfields: [まちづくり]\n---\n本文\n', encoding="utf-8"
    )
    problem = read_document(path, "groups/x.md")
    assert not isinstance(problem, Document)
    assert str(problem) == (
        'groups/x.md:4: summary: 4行目の summary: の引用符（"）が閉じていません。'
        '値の最後に " を書いてください'
    )
    assert LINE_RE.match(str(problem))


# Lines written to make a line-by-line search slow: each error is still explained in time.
HOSTILE = [
    pytest.param(HEAD + "a:\n" + "  " * 60_000 + 'b: "x\n---\n', id="long-indent"),
    pytest.param(HEAD + "x" * 250_000 + ":\n---\n", id="long-key"),
    pytest.param(HEAD + "a: " + "x: " * 80_000 + "\n---\n", id="many-colons"),
    pytest.param(
        HEAD + "".join(f"k{i}:\n" + " " * i for i in range(600)) + "\tz\n---\n", id="stairs"
    ),
    pytest.param(HEAD + "- a\n" * 60_000 + 'b: "x\n---\n', id="many-items"),
    pytest.param(HEAD + "fields:\n" + "  - a\n" * 40_000 + " - b\n---\n", id="many-siblings"),
    pytest.param(HEAD + "s: " + "[" * 120_000 + "\n---\n", id="bracket-flood"),
    pytest.param(HEAD + 'a: "' + "x\n" * 100_000 + "---\n", id="long-quote"),
]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_hostile_front_matter_is_explained_quickly(text: str) -> None:
    start = time.perf_counter()
    try:
        problems = parse(text).errors
    except FrontMatterError as e:
        problems = [e]
    assert time.perf_counter() - start < 5
    for problem in problems:
        assert LINE_RE.match(f"groups/x.md:{problem.line}: {problem.key}: {problem.message}")
        assert not ENGLISH.search(problem.message), problem.message
