"""Folding, 五十音 order and search tokens: one table through Python and the browser's JS twin."""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from civic_portal.kana import (
    fold,
    forget_dictionary,
    gojuon_key,
    gojuon_row,
    guess_reading,
    search_queries,
    search_tokens,
)

from .conftest import REPO

FOLD_CASES = [
    ("ボランティア", "ぼらんてぃあ"),
    ("ﾎﾞﾗﾝﾃｨｱ", "ぼらんてぃあ"),  # half-width katakana with separate voiced marks
    ("ＮＰＯ法人", "npo法人"),
    ("NPO", "npo"),
    ("１２３", "123"),
    ("ヴァイオリン", "ゔぁいおりん"),
    ("ヶ", "ゖ"),
    ("ヽヾ", "ゝゞ"),
    ("入間", "入間"),
    ("ＡＢＣ　クラブ", "abc クラブ".replace("クラブ", "くらぶ")),
    ("ー", "ー"),
]

# (query, text) pairs that must match once both are folded: the directory's contract.
MATCHES = [
    ("ぼらんてぃあ", "ボランティア募集"),
    ("ボランティア", "ぼらんてぃあ"),
    ("ＮＰＯ", "NPO法人 かわなみ"),
    ("npo", "ＮＰＯ法人"),
    ("ﾎﾞﾗﾝﾃｨｱ", "災害ボランティア"),
    ("いるま", "入間台ウォーキングクラブ いるまだいうぉーきんぐくらぶ"),
]


@pytest.mark.parametrize(("text", "expected"), FOLD_CASES)
def test_fold(text: str, expected: str) -> None:
    assert fold(text) == expected


@pytest.mark.parametrize(("query", "text"), MATCHES)
def test_folded_query_matches(query: str, text: str) -> None:
    assert fold(query) in fold(text)


def test_gojuon_order() -> None:
    readings = [
        "わかば",
        "あおぞら",
        "ガーデン",
        "かわなみ",
        "きらり",
        "ごみぜろ",
        "ハーモニー",
        "ばら",
        "ぱんだ",
        "はな",
        "やまびこ",
        "ゆめ",
    ]
    ordered = sorted(readings, key=gojuon_key)
    assert ordered == [
        "あおぞら",
        "ガーデン",
        "かわなみ",
        "きらり",
        "ごみぜろ",
        "ハーモニー",
        "はな",
        "ばら",
        "ぱんだ",
        "やまびこ",
        "ゆめ",
        "わかば",
    ]


@pytest.mark.parametrize(
    ("kana", "row"),
    [
        ("あい", "a"),
        ("ガーデン", "ka"),
        ("ごみ", "ka"),
        ("ぱんだ", "ha"),
        ("ゔぃら", "a"),
        ("ヴィラ", "a"),
        ("んー", "wa"),
        ("をかし", "wa"),
        ("ゃ", "ya"),
        ("1ばん", "other"),
    ],
)
def test_gojuon_row(kana: str, row: str) -> None:
    assert gojuon_row(kana)[0] == row


def test_small_kana_sort_with_large() -> None:
    assert gojuon_key("きゃんぷ")[0] == gojuon_key("きやんぷ")[0]


def _search_matches(query: str, text: str) -> bool:
    """Simulate the search page on Pagefind: every query must match; a quoted one occurs as
    consecutive words, an unquoted one as the beginning of a word."""
    tokens = search_tokens(text)

    def matches(q: str) -> bool:
        if q.startswith('"'):
            phrase = q.strip('"').split()
            return any(tokens[i : i + len(phrase)] == phrase for i in range(len(tokens)))
        return any(t.startswith(q) for t in tokens)

    queries = search_queries(query)
    return bool(queries) and all(matches(q) for q in queries)


@pytest.mark.parametrize(
    ("query", "text", "found"),
    [
        ("ぼらんてぃあ", "災害ボランティアの募集", True),
        ("ボランティア", "ぼらんてぃあの会", True),
        ("子ども食堂", "毎月、子ども食堂を開いています", True),
        ("食堂", "子ども食堂", True),
        ("ども食", "子ども食堂", True),
        ("堂", "子ども食堂", True),  # a single letter at the end of a run
        ("子ども 食堂", "子ども向けの食堂", True),  # words in any order
        ("子ども食堂", "子ども向けの食堂", False),  # but a word is an exact substring
        ("ＮＰＯ法人", "NPO法人です", True),
        ("おもちゃ病院", "おもちゃの病院", False),
        ("ＮＰＯ法人 フードバンク", "NPO法人 フードバンクかわなみ", True),
        ("フードバンク ＮＰＯ法人", "NPO法人 フードバンクかわなみ", True),  # any order
        ("子ども食堂 おもちゃ", "子ども食堂", False),  # a word found nowhere: nothing
        ("川", "川辺の清掃", True),  # one letter: also inside a run
        ("npo", "NPO法人", True),
        ("np", "NPO法人", False),  # Latin words are whole words
        ("フードバンク 食堂", "フードバンクと子ども食堂", True),
        ("フードバンク 食堂", "フードバンクの会", False),
    ],
)
def test_search_tokens_substring_semantics(query: str, text: str, found: bool) -> None:
    assert _search_matches(query, text) is found


NODE = shutil.which("node")


@pytest.mark.skipif(NODE is None and os.environ.get("CI") != "true", reason="node is not installed")
def test_javascript_twin_agrees() -> None:
    """civic-fold.js folds and tokenises exactly as civic_portal.kana does."""
    assert NODE is not None, "node is required under CI"
    texts = (
        [t for t, _ in FOLD_CASES]
        + [q for q, _ in MATCHES]
        + [
            "子ども食堂",
            "おもちゃ 病院",
            "NPO法人かわなみ",
            "ﾊﾟｿｺﾝ教室2026",
            "𠮷野家",
            "a-b_c",
            "",
        ]
    )
    script = f"""
      const k = require({json.dumps(str(REPO / "overrides/assets/javascripts/civic-fold.js"))});
      const texts = JSON.parse(process.argv[1]);
      console.log(JSON.stringify(texts.map(t => [k.fold(t), k.searchQueries(t)])));
    """
    out = subprocess.run(
        [NODE, "-e", script, json.dumps(texts)], capture_output=True, text=True, check=True
    ).stdout
    assert json.loads(out) == [[fold(t), search_queries(t)] for t in texts]


def test_spelling_is_prefix_free_and_injective() -> None:
    """Bigram tokens concatenate two spellings; they must never be ambiguous."""
    from civic_portal.kana import _spell

    ranges = [
        (0x3040, 0x30FF),
        (0x4E00, 0x9FFF),
        (0xAC00, 0xAD00),
        (0xFF00, 0xFFEF),
        (0x20000, 0x20100),
    ]
    spellings = {_spell(chr(c)) for lo, hi in ranges for c in range(lo, hi + 1)}
    assert len(spellings) == sum(hi - lo + 1 for lo, hi in ranges)
    assert all((len(s) == 3 and s[0] != "z") or (len(s) == 5 and s[0] == "z") for s in spellings)


def test_the_reading_dictionary_is_let_go_of_and_loaded_again_when_needed() -> None:
    """A build lets go of pykakasi's dictionary (about 90 MiB) once the readings are guessed;
    a later guess loads it again and reads the same."""
    from pykakasi import kanji

    guess_reading.cache_clear()
    before = guess_reading("川波市民活動センター")
    assert kanji.Kanwa._shared_state["_jisyo_table"] is not None
    forget_dictionary()
    assert kanji.Kanwa._shared_state["_jisyo_table"] is None
    guess_reading.cache_clear()
    assert guess_reading("川波市民活動センター") == before
