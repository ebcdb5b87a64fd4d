"""The venue register (load/places.py): every bad entry with its line, places named in group
files resolved against it, the venue suggestion, one-off addresses, and event readings."""

from __future__ import annotations

from pathlib import Path

import pytest

from civic_portal.kana import guess_reading, is_kana, to_katakana
from civic_portal.load.checks import Checker
from civic_portal.load.events import load_events
from civic_portal.load.frontmatter import parse
from civic_portal.load.places import Defaults, Venues, load_places
from civic_portal.model.places import parse_address

from ..conftest import dedent

DEFAULTS = Defaults("川波県", "川波市")
REGISTER = dedent(
    """
    # 会場一覧
    tsunaguba:
      name: 川波市市民活動センター
      kana: かわなみししみんかつどうせんたー
      postal_code: "000-0001"
      address: 中央1-2-3
      building: 川波市民プラザ2階
      lat: 35.4452
      lon: 139.3301
      access: 川波駅東口から徒歩5分
      parking: あり（30台）
      wheelchair: true
      toilet: true
      nursing_room: false
      rooms: [会議室A, 会議室B, 交流スペース]
      aliases: [つなぐば]
    seibu-kominkan:
      name: 川波市西部公民館
      kana: かわなみしせいぶこうみんかん
      postal_code: ０００－０００４
      address: 西部4-1-1
    """
)


def _places(tmp_path: Path, text: str) -> tuple[dict, list[str]]:
    path = tmp_path / "places.yml"
    path.write_text(text, encoding="utf-8")
    places, problems = load_places(path, "groups/places.yml", DEFAULTS)
    return places, [str(p) for p in problems]


def test_a_valid_register_reads_every_fact(tmp_path: Path) -> None:
    places, problems = _places(tmp_path, REGISTER)
    assert problems == []
    centre = places["tsunaguba"]
    assert str(centre.address) == "〒000-0001 川波県川波市中央1-2-3 川波市民プラザ2階"
    assert centre.address.line == "川波県川波市中央1-2-3"
    assert (centre.latitude, centre.longitude) == (35.4452, 139.3301)
    assert centre.access.facilities == (
        ("車いすで入れる", True),
        ("多目的トイレ", True),
        ("授乳室", False),
    )
    assert centre.map_url() == (
        "https://www.openstreetmap.org/?mlat=35.445200&mlon=139.330100#map=18/35.445200/139.330100"
    )
    assert places["seibu-kominkan"].address.postal_code == "000-0004"  # full-width, normalised
    assert places["seibu-kominkan"].has_position is False
    assert places["seibu-kominkan"].line == 17


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("Bad_ID:\n  name: x", "groups/places.yml:1: Bad_ID: 会場の id「Bad_ID」は使えません"),
        ("hall:\n  kana: ほーる\n  postal_code: 000-0001\n  address: 中央1",
         "groups/places.yml:1: hall.name: 必須の項目です"),
        ("hall:\n  name: ホール\n  kana: ホール\n  postal_code: 1234\n  address: 中央1",
         "groups/places.yml:4: hall.postal_code: 郵便番号は 000-0001 のように7桁"),
        ("hall:\n  name: ホール\n  kana: hall\n  postal_code: 000-0001\n  address: 中央1",
         "groups/places.yml:3: hall.kana: 読みがなは ひらがな か カタカナ"),
        ("hall:\n  name: ホール\n  kana: ほーる\n  postal_code: 000-0001\n  address: 中央1\n"
         "  lat: 139.3\n  lon: 35.4",
         "groups/places.yml:6: hall.lat: 緯度 139.3 は日本の範囲"),
        ("hall:\n  name: ホール\n  kana: ほーる\n  postal_code: 000-0001\n  address: 中央1\n"
         "  lat: 35.4",
         "groups/places.yml:1: hall.lon: 緯度（lat）と経度（lon）は両方"),
        ("hall:\n  name: ホール\n  kana: ほーる\n  postal_code: 000-0001\n  address: 中央1\n"
         "  lat: 北緯35度",
         "groups/places.yml:6: hall.lat: 緯度は 35.6812 のように"),
        ("hall:\n  name: ホール\n  kana: ほーる\n  postal_code: 000-0001\n  address: 中央1\n"
         "  wheelchair: たぶん",
         "groups/places.yml:6: hall.wheelchair: はい か いいえ"),
        ("hall:\n  name: ホール\n  kana: ほーる\n  postal_code: 000-0001\n  address: 中央1\n"
         "  url: javascript:alert(1)",
         "groups/places.yml:6: hall.url: URLは http://・https:// で始まるもの"),
        ("hall:\n  name: ホール\n  kana: ほーる\n  postal_code: 000-0001\n  address: 中央1\n"
         "  rooms: [A室, Ａ室]",
         "groups/places.yml:6: hall.rooms[1]: 「Ａ室」が2回書かれています"),
        ("hall:\n  name: ホール\n  kana: ほーる\n  postal_code: 000-0001\n  address: " + "中" * 101,
         "groups/places.yml:5: hall.address: 100文字以内にしてください"),
        ("hall:\n  name: ホール\n  kana: ほーる\n  postal_code: 000-0001\n  address: 中央1\n"
         "  floor: 2",
         "groups/places.yml:6: hall.floor: 「floor」という項目はありません"),
        ("hall:\n  name: ホール\n  kana: ほーる\n  postal_code: 000-0001\n  address: 中央1\n"
         "hall2:\n  name: ホール\n  kana: ほーる\n  postal_code: 000-0001\n  address: 中央1",
         "groups/places.yml:7: hall2.name: 会場名「ホール」は hall と同じです"),
        ("hall:\n  name: ホール\nhall:\n  name: ホール2", "groups/places.yml:3: hall: 「hall」が2回"),
        ("- name: ホール", "groups/places.yml:1: front-matter: 設定は「キー: 値」の形で"),
        ("hall:\n  name: 'ホール\n", "groups/places.yml:"),
        ("a: &x [1]\nb: *x", "アンカー（&）とエイリアス（*）は使えません"),
    ],
)  # fmt: skip
def test_every_bad_entry_is_a_line_of_its_own(tmp_path: Path, entry: str, expected: str) -> None:
    places, problems = _places(tmp_path, entry + "\n")
    named = {p.split(": ")[1].split(".")[0] for p in problems}
    assert not named & set(places), "an entry with problems is left out"
    assert any(p.startswith(expected) or expected in p for p in problems), problems


def test_prefecture_and_city_are_required_without_the_portals(tmp_path: Path) -> None:
    path = tmp_path / "places.yml"
    path.write_text(
        "hall:\n  name: ホール\n  kana: ほーる\n  postal_code: 000-0001\n  address: 中央1\n"
    )
    _, problems = load_places(path, "groups/places.yml", Defaults())
    assert [p.key for p in problems] == ["hall.prefecture", "hall.municipality"]


def test_the_register_is_read_safely(tmp_path: Path) -> None:
    (tmp_path / "target.yml").write_text(REGISTER)
    (tmp_path / "places.yml").symlink_to(tmp_path / "target.yml")
    places, problems = load_places(tmp_path / "places.yml", "groups/places.yml", DEFAULTS)
    assert places == {} and "リンク" in problems[0].message
    (tmp_path / "big.yml").write_text("x: " + "あ" * 300_000)
    _, problems = load_places(tmp_path / "big.yml", "groups/big.yml", DEFAULTS)
    assert "大きすぎます" in problems[0].message
    assert load_places(tmp_path / "missing.yml", "groups/missing.yml", DEFAULTS) == ({}, [])


# -- places in group files ---------------------------------------------------------------------


def _events(tmp_path: Path, events_yaml: str) -> tuple[list, list[str], list[str]]:
    places, _ = _places(tmp_path, REGISTER)
    doc = parse("---\n" + events_yaml + "---\n")
    check = Checker("groups/hidamari.md", doc)
    events = load_events(check, doc.data.get("events"), "hidamari", Venues(places, DEFAULTS))
    return list(events), [str(p) for p in check.problems], [str(p) for p in check.notices]


EVENT = "events:\n  - title: サロン\n    kana: さろん\n    start: 2026-12-06 10:00\n"


def test_an_event_names_a_venue_and_a_room(tmp_path: Path) -> None:
    events, problems, notices = _events(
        tmp_path, EVENT + "    place: tsunaguba\n    room: 会議室Ａ\n"
    )
    assert problems == [] and notices == []
    (event,) = events
    assert event.venue is not None and event.venue.id == "tsunaguba"
    assert event.room == "会議室A", "the register's spelling"
    assert event.place_label == "川波市市民活動センター 会議室A"
    assert event.where == event.venue.address


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ("    place: tsunagu-ba\n",
         "groups/hidamari.md:6: events[0].place: 「tsunagu-ba」という会場は会場一覧（groups/places.yml）にありません。"
         "もしかして「tsunaguba」（川波市市民活動センター）ですか？"),
        ("    place: tsunaguba\n    room: 会議室Z\n",
         "groups/hidamari.md:7: events[0].room: 「会議室Z」は川波市市民活動センターの部屋の一覧にありません。"
         "もしかして「会議室"),
        ("    room: 会議室A\n", "groups/hidamari.md:6: events[0].room: room は place"),
        ("    place: 公園の東屋\n    room: 東屋\n", "groups/hidamari.md:7: events[0].room: room は登録された会場の id"),
        ("    place: tsunaguba\n    address: 中央1-2-3\n",
         "groups/hidamari.md:7: events[0].address: 会場一覧の「川波市市民活動センター」の住所が使われる"),
    ],
)  # fmt: skip
def test_a_wrong_place_is_an_error_with_the_nearest(
    tmp_path: Path, lines: str, expected: str
) -> None:
    events, problems, _ = _events(tmp_path, EVENT + lines)
    assert events == []
    assert any(p.startswith(expected) for p in problems), problems


def test_free_text_that_looks_like_a_venue_gets_a_suggestion(tmp_path: Path) -> None:
    events, problems, notices = _events(tmp_path, EVENT + "    place: 市民活動センター　会議室A\n")
    assert problems == [] and events[0].venue is None
    assert notices == [
        "groups/hidamari.md:6: events[0].place: 「市民活動センター　会議室A」は登録された会場"
        "「川波市市民活動センター」のようです。place: tsunaguba、room: 会議室A と書くと、"
        "住所・地図・アクセスがイベントのページとオープンデータに載ります"
    ]
    _, _, by_alias = _events(tmp_path, EVENT + "    place: つなぐば 交流スペース\n")
    assert "place: tsunaguba、room: 交流スペース" in by_alias[0]
    _, _, other = _events(
        tmp_path, EVENT + "    place: 喫茶こもれび\n    address: 川波市西部4-1-20\n"
    )
    assert other == [], "a place unlike every venue is left alone"


def test_a_one_off_address_is_read_into_its_parts(tmp_path: Path) -> None:
    events, problems, _ = _events(
        tmp_path, EVENT + "    place: 喫茶こもれび\n    address: 〒000-0005 川波市西部4-1-20 1階\n"
    )
    assert problems == []
    where = events[0].where
    assert (where.postal_code, where.prefecture, where.municipality, where.street) == (
        "000-0005",
        "川波県",
        "川波市",
        "西部4-1-20 1階",
    )


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("川波市中央2-8-3", ("", "川波県", "川波市", "中央2-8-3")),
        ("川波県川波市中央2-8-3", ("", "川波県", "川波市", "中央2-8-3")),
        ("〒１２３－４５６７ 東京都千代田区丸の内1-1", ("123-4567", "東京都", "千代田区", "丸の内1-1")),
        ("神奈川県横浜市中区1-1", ("", "神奈川県", "横浜市", "中区1-1")),
        ("中央2-8-3", ("", "川波県", "川波市", "中央2-8-3")),
    ],
)  # fmt: skip
def test_parse_address(text: str, parts: tuple[str, str, str, str]) -> None:
    a = parse_address(text, "川波県", "川波市")
    assert (a.postal_code, a.prefecture, a.municipality, a.street) == parts


# -- readings -----------------------------------------------------------------------------------


def test_readings_are_full_width_katakana_with_full_width_spaces() -> None:
    assert to_katakana("ｶﾜﾅﾐ  ひろば") == "カワナミ\u3000ヒロバ"
    assert to_katakana("さろん　クリスマス") == "サロン\u3000クリスマス"
    assert is_kana("はーもにー・コーラス") and not is_kana("川波サロン") and not is_kana(" ")


def test_a_guessed_reading_keeps_only_what_a_reading_holds() -> None:
    assert (
        guess_reading("冬のおはなし会 クリスマス特別編")
        == "フユノオハナシカイ\u3000クリスマストクベツヘン"
    )
    assert guess_reading("「ふしぎ」な万華鏡") == "フシギナマンゲキョウ"


def test_an_event_without_kana_gets_a_marked_guess_and_a_suggestion(tmp_path: Path) -> None:
    text = "events:\n  - title: 冬のおはなし会\n    start: 2026-12-06\n"
    events, problems, notices = _events(tmp_path, text)
    assert problems == []
    assert (events[0].reading, events[0].reading_guessed) == ("フユノオハナシカイ", True)
    assert notices and "kana: フユノオハナシカイ" in notices[0]
    assert notices[0].startswith("groups/hidamari.md:3: events[0].title: ")
    events, _, notices = _events(
        tmp_path, "events:\n  - title: おはなしかい\n    start: 2026-12-06\n"
    )
    assert (events[0].reading, events[0].reading_guessed, notices) == ("オハナシカイ", False, [])


def test_a_name_as_the_export_writes_it_is_the_venue(tmp_path: Path) -> None:
    """`civic export groups` writes a venue as its name and room; the import reads it back."""
    from civic_portal.load.places import venue_named

    places, _ = _places(
        tmp_path,
        REGISTER + "ekimae:\n  name: 川波駅前商店街\n  kana: えきまえ\n  postal_code: 000-0001\n"
        "  address: 中央2\nfuton:\n  name: 川波駅前商店街 旧ふとん店\n  kana: ふとんてん\n"
        "  postal_code: 000-0001\n  address: 中央2-5-8\n",
    )
    venues = Venues(places, DEFAULTS)
    found = {
        text: (lambda f: f and (f[0].id, f[1]))(venue_named(text, venues))
        for text in (
            "川波市市民活動センター 会議室A",
            "川波市市民活動センター",
            "つなぐば 交流スペース",
            "川波駅前商店街 旧ふとん店",
            "川波駅前商店街 東口",
            "川波市市民活動センター 屋上",
            "どこかの公園",
        )
    }
    assert found == {
        "川波市市民活動センター 会議室A": ("tsunaguba", "会議室A"),
        "川波市市民活動センター": ("tsunaguba", None),
        "つなぐば 交流スペース": ("tsunaguba", "交流スペース"),
        "川波駅前商店街 旧ふとん店": ("futon", None),  # the longest name, not a room of ekimae
        "川波駅前商店街 東口": ("ekimae", "東口"),  # no room list: any room
        "川波市市民活動センター 屋上": None,  # not one of its rooms
        "どこかの公園": None,
    }
