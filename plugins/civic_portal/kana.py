"""Japanese text folding and 五十音 ordering.

Pure functions over strings. The browser carries a twin of `fold` in
`overrides/assets/javascripts/civic-fold.js`; `tests/test_kana.py` runs one table
through both so that indexing (here) and querying (there) always agree.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import pairwise
from typing import Any

# Katakana ァ..ヶ sit exactly 0x60 above hiragana ぁ..ゖ.
_KATA_FIRST, _KATA_LAST, _KANA_SHIFT = 0x30A1, 0x30F6, 0x60
_HIRA_ITERATION = {0x30FD: 0x309D, 0x30FE: 0x309E}  # ヽヾ → ゝゞ

# The vowel each hiragana ends in, for reading the long-vowel mark ー as dictionaries do.
_VOWEL_OF = {
    ch: vowel
    for vowel, members in (
        ("あ", "あかさたなはまやらわがざだばぱぁゃゎゕ"),
        ("い", "いきしちにひみりゐぎじぢびぴぃ"),
        ("う", "うくすつぬふむゆるぐずづぶぷぅっゅゔ"),
        ("え", "えけせてねへめれゑげぜでべぺぇゖ"),
        ("お", "おこそとのほもよろをごぞどぼぽぉょ"),
    )
    for ch in members
}

# katakana_to_hiragana as one table (str.translate: a few times faster than a loop in Python)
_TO_HIRAGANA = {
    **{code: code - _KANA_SHIFT for code in range(_KATA_FIRST, _KATA_LAST + 1)},
    **{code: to for code, to in _HIRA_ITERATION.items() if not _KATA_FIRST <= code <= _KATA_LAST},
}

_SMALL_TO_LARGE = str.maketrans("ぁぃぅぇぉっゃゅょゎゕゖ", "あいうえおつやゆよわかけ")

# Rows of the 五十音 index, by the first (unvoiced, large) kana of the reading.
GOJUON_ROWS: tuple[tuple[str, str, str], ...] = (
    ("a", "あ", "あいうえお"),
    ("ka", "か", "かきくけこ"),
    ("sa", "さ", "さしすせそ"),
    ("ta", "た", "たちつてと"),
    ("na", "な", "なにぬねの"),
    ("ha", "は", "はひふへほ"),
    ("ma", "ま", "まみむめも"),
    ("ya", "や", "やゆよ"),
    ("ra", "ら", "らりるれろ"),
    ("wa", "わ", "わゐゑをん"),
)
OTHER_ROW = ("other", "他", "")


def katakana_to_hiragana(text: str) -> str:
    """Turn every katakana letter that has a hiragana twin into it (ヴ → ゔ, ヶ → ゖ)."""
    return text.translate(_TO_HIRAGANA)


def fold(text: str) -> str:
    """Normalise text for matching: NFKC width folding, lower case, katakana as hiragana.

    ＮＰＯ → npo, ﾎﾞﾗﾝﾃｨｱ → ぼらんてぃあ, ボランティア → ぼらんてぃあ.
    """
    return katakana_to_hiragana(unicodedata.normalize("NFKC", text).lower())


def to_katakana(text: str) -> str:
    """A reading as open data writes it: full-width katakana, runs of spaces as one full-width
    space (ｶﾜﾅﾐ  ひろば → カワナミ　ヒロバ)."""
    folded = katakana_to_hiragana(unicodedata.normalize("NFKC", text))
    kata = "".join(chr(ord(c) + _KANA_SHIFT) if "ぁ" <= c <= "ゖ" else c for c in folded)
    return "\u3000".join(kata.split())


def is_kana(text: str) -> bool:
    """Whether the text is already a reading: kana, ー, ・ and spaces only (after NFKC)."""
    plain = "".join(unicodedata.normalize("NFKC", text).split())
    return bool(plain) and all(
        "ぁ" <= c <= "ゖ" or "ァ" <= c <= "ヺ" or c in "ーゝゞヽヾ・" for c in plain
    )


@lru_cache(maxsize=4096)
def guess_reading(text: str) -> str:
    """A reading guessed by pykakasi's dictionary, in katakana. A guess: shown to the group to
    confirm (civic check), and marked as such wherever it is published."""
    words = unicodedata.normalize("NFKC", text).split()  # the text's own spaces are kept
    read = to_katakana(" ".join("".join(i["kana"] for i in _kakasi().convert(w)) for w in words))
    # only what a reading holds: katakana, ー and spaces; digits full-width; symbols dropped
    kept = "".join(
        chr(ord(c) + 0xFEE0) if c.isascii() and c.isdigit() else c
        for c in read
        if "ァ" <= c <= "ヿ" or c == "\u3000" or (c.isascii() and c.isdigit())
    )
    return "\u3000".join(kept.split())


@lru_cache(maxsize=1)
def _kakasi() -> Any:
    import pykakasi  # loaded on first use: only texts without a reading need it

    return pykakasi.kakasi()


def forget_dictionary() -> None:
    """Let go of pykakasi's dictionary (about 90 MiB once loaded: 1.4 million objects) when no
    more readings are to be guessed; the next guess loads it again (0.8 s). pykakasi keeps it in
    a class-level table (2.3: `kanji.Kanwa`), which is emptied when it is found."""
    if not _kakasi.cache_info().currsize:
        return
    _kakasi.cache_clear()
    from pykakasi import kanji

    shared = getattr(getattr(kanji, "Kanwa", None), "_shared_state", None)
    if isinstance(shared, dict) and "_jisyo_table" in shared:
        shared["_jisyo_table"] = None


def _unvoiced(text: str) -> str:
    # NFD splits が into か + U+3099; dropping the marks sorts が with か, ぱ with は.
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if ch not in "\u3099\u309a")
    )


def gojuon_key(kana: str) -> tuple[str, str]:
    """Sort key in Japanese dictionary order: unvoiced and large kana first, then exact kana.

    As in printed directories, spaces and middle dots are ignored and ー reads as the vowel
    before it (ガーデン sorts as かあでん).
    """
    folded = fold(kana)
    for ch in " \u3000・":
        folded = folded.replace(ch, "")
    spelled = "".join(
        _VOWEL_OF.get(folded[i - 1], ch) if ch == "ー" and i else ch for i, ch in enumerate(folded)
    )
    return (_unvoiced(spelled).translate(_SMALL_TO_LARGE), folded)


def gojuon_row(kana: str) -> tuple[str, str]:
    """The (id, label) of the 五十音 index row a reading belongs to, e.g. ("ka", "か")."""
    primary = gojuon_key(kana)[0]
    first = primary[:1]
    if first == "ゔ":
        first = "う"
    for row_id, label, members in GOJUON_ROWS:
        if first and first in members:
            return row_id, label
    return OTHER_ROW[0], OTHER_ROW[1]


# -- search tokens -------------------------------------------------------------------------
# Pagefind segments Japanese with a dictionary when indexing and with the browser's
# Intl.Segmenter when searching; the two disagree on hiragana-heavy (and folded) text, so a
# query such as ぼらんてぃあ missed pages. We hand Pagefind no Japanese at all: every run of
# non-ASCII letters becomes overlapping character bigrams, each spelled in ASCII letters after
# the mark "j", and a word of a query is the same bigrams as an exact phrase. Matching is then
# plain substring matching, identical on both sides. ASCII words (npo, line, 2026) are kept,
# after the mark "a", so that no ASCII word is a prefix of a letter's token (Pagefind searches a
# missing word as the longest word it begins with). The spelling is short (7 characters a
# bigram) because index chunks and result fragments are what a query downloads.

_SYMBOLS = "0123456789abcdefghijklmnopqrstuvwxyz"
_SHORT_LIMIT = 35 * 36 * 36  # three symbols, the first never "z": kana, kanji (U+0000–U+B12F)
_TOKEN_MARK = "j"
_ASCII_MARK = "a"


@lru_cache(maxsize=65536)  # a few thousand distinct letters, spelled millions of times a build
def _spell(ch: str) -> str:
    """A prefix-free ASCII spelling of one letter: 3 symbols, or "z" and 4 for rarer letters."""
    code, width, prefix = ord(ch), 3, ""
    if code >= _SHORT_LIMIT:
        code, width, prefix = code - _SHORT_LIMIT, 4, "z"
    digits = []
    for _ in range(width):
        code, rest = divmod(code, 36)
        digits.append(_SYMBOLS[rest])
    return prefix + "".join(reversed(digits))


def _bigrams(run: str) -> list[str]:
    spelled = list(map(_spell, run))
    return [_TOKEN_MARK + a + b for a, b in pairwise(spelled)]


# A run: letters and digits (str.isalnum, which is \w without "_"), ASCII or not
_RUN = re.compile(r"[0-9A-Za-z]+|[^\W_\x00-\x7f]+")


def _runs(text: str) -> list[str]:
    return _RUN.findall(fold(text))


def _tokens(text: str, *, for_index: bool) -> list[str]:
    tokens: list[str] = []
    for run in _runs(text):
        if run.isascii():
            tokens.append(_ASCII_MARK + run)
            continue
        tokens += _bigrams(run)
        # The index also holds each run's last letter, so a one-letter query finds run ends.
        if for_index or len(run) == 1:
            tokens.append(_TOKEN_MARK + _spell(run[-1]))
    return tokens


def search_tokens(text: str) -> list[str]:
    """Index tokens: marked ASCII words, and for other runs each bigram plus the run's last
    letter."""
    return _tokens(text, for_index=True)


def query_tokens(text: str) -> list[str]:
    """Query tokens for one search word: bigrams only, or one letter (matched as a prefix)."""
    return _tokens(text, for_index=False)


def search_queries(text: str) -> list[str]:
    """The Pagefind queries for what a person typed, one a word; a page must answer every one.

    Each word is searched on its own and the search page keeps the pages found for all of them:
    Pagefind honours a quoted phrase only as the whole query, and leaves out of a query of
    several words any word its index (or one part of it) lacks. A word is an exact phrase of
    its tokens; a word of one letter is that letter's token unquoted, so that it also finds
    the letter's bigrams (Pagefind matches an unquoted word as a prefix).
    """
    queries = []
    for word in fold(text).split():
        runs = _runs(word)
        if len(runs) == 1 and len(runs[0]) == 1 and not runs[0].isascii():
            queries.append(_TOKEN_MARK + _spell(runs[0]))
        elif tokens := query_tokens(word):
            queries.append('"' + " ".join(tokens) + '"')
    return queries
