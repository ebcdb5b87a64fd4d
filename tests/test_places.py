"""The venue register as citizens and data users meet it: place pages and their calendars,
event pages with address and access, open data validated against its own descriptor with
`frictionless`, and the structured data search engines read. Whole builds in tmp_path, and the
sample portal."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import feedparser
import icalendar
import pytest
from frictionless import Package

from civic_portal.render.opendata import EVENT_COLUMNS

from .conftest import Built, dedent, group_file, run_civic, write_project

PLACES = dedent(
    """
    # テスト市の会場一覧
    tsunaguba:
      name: テスト市市民活動センター
      kana: てすとししみんかつどうせんたー
      postal_code: 000-0001
      address: 中央1-2-3
      building: 市民プラザ2階
      lat: 35.4452
      lon: 139.3301
      access: テスト駅東口から徒歩5分
      parking: 地下駐車場（60台・有料）
      wheelchair: true
      toilet: true
      nursing_room: false
      url: https://www.example.jp/tsunaguba/
      rooms: [会議室A, 交流スペース]
      aliases: [つなぐば]
    kita-hall:
      name: 北部市民ホール
      kana: ほくぶしみんほーる
      postal_code: 000-0002
      address: 北部2-9-1
      lat: 35.4601
      lon: 139.3302
      access: "テスト北駅から徒歩3分\\n市内循環バス「北部ホール前」すぐ"
      wheelchair: false
    """
)
SALON = {
    "title": "親子ふれあいサロン",
    "kana": "おやこ ふれあいさろん",
    "start": "2026-12-01 10:00",
    "end": "12:00",
    "place": "tsunaguba",
    "room": "交流スペース",
    "fee": "300円",
    "description": "親子で遊べるサロンです。\n\nおもちゃを用意しています。\n申し込み不要です。",
    "id": "salon",
    "repeat": "毎週火曜",
    "cancelled": ["2027-02-23"],
}
FESTIVAL = {
    "title": "冬の市民まつり",
    "start": "2026-12-06",
    "place": "kita-hall",
}
SHOP = {
    "title": "まちかど写真展",
    "kana": "まちかどしゃしんてん",
    "start": "2026-12-10 10:00",
    "end": "16:00",
    "place": "喫茶こもれび",
    "address": "〒000-0005 テスト市西部4-1-20",
}
ONLINE = {
    "title": "オンライン勉強会",
    "kana": "おんらいんべんきょうかい",
    "start": "2026-12-19 20:00",
    "end": "21:30",
    "online_url": "https://meet.example.jp/x",
}
EVENTS_SETTINGS = {"prefecture": "テスト県", "municipality": "テスト市"}


def _groups() -> dict[str, str]:
    return {
        "hidamari.md": group_file(
            name="ひだまり",
            kana="ひだまり",
            place="tsunaguba",
            room="会議室A",
            contact={"phone": "000-234-5678", "email": "info@example.jp"},
            events=[SALON, FESTIVAL, SHOP, ONLINE],
        ),
    }


@pytest.fixture
def built(make_site: Callable[..., Built], tmp_path: Path) -> Built:
    (tmp_path / "project" / "groups").mkdir(parents=True)
    (tmp_path / "project" / "groups" / "places.yml").write_text(PLACES, encoding="utf-8")
    (tmp_path / "project" / "content" / "images").mkdir(parents=True)
    (tmp_path / "project" / "content" / "images" / "portal.png").write_bytes(b"png")
    return make_site(_groups(), plugin={"events": EVENTS_SETTINGS, "image": "images/portal.png"})


def _ld(page: object) -> object:
    return json.loads(page.select_one("script[type='application/ld+json']").string)  # type: ignore[attr-defined]


def test_a_place_page_has_address_access_map_link_events_and_calendar(built: Built) -> None:
    page = built.html("places/tsunaguba")
    assert page.select_one("h1").get_text(strip=True) == "テスト市市民活動センター"
    text = page.select_one("article").get_text(" ", strip=True)
    for expected in (
        "〒000-0001 テスト県テスト市中央1-2-3 市民プラザ2階",
        "テスト駅東口から徒歩5分",
        "地下駐車場（60台・有料）",
        "車いすで入れる: はい",
        "多目的トイレ: あり",
        "授乳室: なし",
        "会議室A、交流スペース",
        "親子ふれあいサロン",
        "ひだまり",  # based here
    ):
        assert expected in text, expected
    osm = page.select_one("a[href^='https://www.openstreetmap.org/']")
    assert osm["href"] == (
        "https://www.openstreetmap.org/?mlat=35.445200&mlon=139.330100#map=18/35.445200/139.330100"
    )
    assert not page.select("iframe"), "a link, not an embedded third-party map"
    assert page.select_one("a[download]")["href"] == "calendar.ics"
    calendar = icalendar.Calendar.from_ical(
        (built.site / "places/tsunaguba/calendar.ics").read_bytes()
    )
    [event] = calendar.walk("VEVENT")[:1]
    assert str(event["SUMMARY"]) == "親子ふれあいサロン"
    assert str(event["LOCATION"]).startswith("テスト市市民活動センター 交流スペース, 〒000-0001")
    assert event["GEO"].latitude == pytest.approx(35.4452)
    place = _ld(page)
    assert place["@type"] == "Place" and place["geo"]["longitude"] == 139.3301
    assert place["address"]["postalCode"] == "000-0001"
    listing = built.html("places")
    names = [a.get_text(strip=True) for a in listing.select("article a[href$='/']")][:2]
    assert names == ["テスト市市民活動センター", "北部市民ホール"]  # 五十音: て, ほ


def test_an_event_page_shows_the_venue_and_links_its_page(built: Built) -> None:
    page = built.html("events/hidamari-salon")
    text = page.select_one("article").get_text(" ", strip=True)
    assert "テスト市市民活動センター 交流スペース" in text
    assert "〒000-0001 テスト県テスト市中央1-2-3 市民プラザ2階" in text
    assert "テスト駅東口から徒歩5分" in text and "車いすで入れる: はい" in text
    assert page.select_one("a[href='../../places/tsunaguba/']") is not None
    shop = built.html("events/hidamari-20261210").select_one("article").get_text(" ", strip=True)
    assert "喫茶こもれび" in shop and "〒000-0005 テスト県テスト市西部4-1-20" in shop
    group = built.html("groups/hidamari")
    assert (
        group.select_one("a[href='../../places/tsunaguba/']").get_text()
        == "テスト市市民活動センター"
    )


def test_feeds_and_search_name_the_venue_not_its_id(built: Built) -> None:
    feed = feedparser.parse((built.site / "groups/hidamari/feed.xml").read_bytes())
    salon = next(e for e in feed.entries if "親子ふれあいサロン" in e.title)
    assert "テスト市市民活動センター 交流スペース" in salon.summary
    assert "tsunaguba" not in salon.summary
    record = built.html("groups/hidamari").select_one("dd a[href$='places/tsunaguba/']")
    assert record.get_text() == "テスト市市民活動センター"


def _rows(built: Built) -> list[dict[str, str]]:
    raw = (built.site / "opendata/events.csv").read_bytes().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(raw, newline="")))


def test_open_data_rows_are_complete(built: Built) -> None:
    rows = _rows(built)
    salon = next(r for r in rows if r["イベント名"] == "親子ふれあいサロン")
    assert salon["イベント名_カナ"] == "オヤコ\u3000フレアイサロン"  # full-width, no ASCII space
    assert salon["住所"] == "テスト県テスト市中央1-2-3"
    assert salon["方書"] == "市民プラザ2階 交流スペース"
    assert (salon["緯度"], salon["経度"]) == ("35.4452", "139.3301")
    assert salon["アクセス方法"] == "テスト駅東口から徒歩5分"
    assert salon["駐車場情報"] == "地下駐車場（60台・有料）"
    assert (
        salon["説明"]
        == "親子で遊べるサロンです。\u3000おもちゃを用意しています。\u3000申し込み不要です。"
    )
    assert salon["都道府県名"] == "テスト県"
    assert "設備: 車いす可・多目的トイレあり・授乳室なし" in salon["備考"]
    festival = next(r for r in rows if r["イベント名"] == "冬の市民まつり")
    assert festival["開始日時特記事項"] == "終日" and festival["開始時間"] == ""
    # a reading nobody wrote is a dictionary's guess, and the row says so
    assert festival["イベント名_カナ"] == "フユノシミンマツリ"
    assert "イベント名_カナは辞書による自動の推定です" in festival["備考"]
    assert festival["アクセス方法"] == "テスト北駅から徒歩3分\u3000市内循環バス「北部ホール前」すぐ"
    shop = next(r for r in rows if r["イベント名"] == "まちかど写真展")
    assert (shop["住所"], shop["緯度"]) == ("テスト県テスト市西部4-1-20", "")
    online = next(r for r in rows if r["イベント名"] == "オンライン勉強会")
    assert (online["場所名称"], online["住所"]) == ("オンライン", "オンライン")
    raw = (built.site / "opendata/events.csv").read_bytes()
    assert raw.count(b"\n") == len(rows) + 1, "one line per record, whatever the reader"


def test_open_data_validates_against_its_descriptor(built: Built) -> None:
    descriptor = json.loads(built.text("opendata/datapackage.json"))
    fields = {f["name"]: f for f in descriptor["resources"][0]["schema"]["fields"]}
    assert list(fields) == EVENT_COLUMNS
    code = fields["都道府県コード又は市区町村コード"]
    assert code["type"] == "string" and code["constraints"]["pattern"] == "[0-9]{6}"
    assert fields["開始日"]["constraints"]["required"] is True
    assert fields["緯度"]["type"] == "number" and fields["定員"]["type"] == "integer"
    report = Package(str(built.site / "opendata/datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_a_broken_row_fails_the_descriptor(built: Built, tmp_path: Path) -> None:
    """The validation above can fail: a row with an empty reading does."""
    folder = tmp_path / "copy"
    folder.mkdir()
    (folder / "datapackage.json").write_text(built.text("opendata/datapackage.json"))
    text = (built.site / "opendata/events.csv").read_bytes().decode("utf-8-sig")
    broken = text.replace(",オヤコ\u3000フレアイサロン,", ",,", 1)
    assert broken != text
    (folder / "events.csv").write_bytes(b"\xef\xbb\xbf" + broken.encode())
    report = Package(str(folder / "datapackage.json")).validate()
    assert not report.valid


def test_structured_data_of_event_pages(built: Built) -> None:
    lds = _ld(built.html("events/hidamari-salon"))
    first = lds[0]
    location = first["location"]
    assert (
        location["@type"] == "Place" and location["name"] == "テスト市市民活動センター 交流スペース"
    )
    address = location["address"]
    assert (address["postalCode"], address["addressRegion"], address["addressLocality"]) == (
        "000-0001",
        "テスト県",
        "テスト市",
    )
    assert address["streetAddress"] == "中央1-2-3 市民プラザ2階"
    assert location["geo"] == {
        "@type": "GeoCoordinates",
        "latitude": 35.4452,
        "longitude": 139.3301,
    }
    assert first["image"] == ["https://portal.example.jp/images/portal.png"]
    # the cancelled date lies beyond the ten listed dates, and is still in the data
    cancelled = [d for d in lds if d["eventStatus"].endswith("EventCancelled")]
    assert [d["startDate"][:10] for d in cancelled] == ["2027-02-23"]
    assert all("offers" not in d for d in cancelled)
    online = _ld(built.html("events/hidamari-20261219"))[0]
    assert online["location"] == {"@type": "VirtualLocation", "url": "https://meet.example.jp/x"}
    organization = _ld(built.html("groups/hidamari"))
    assert organization["address"]["streetAddress"] == "中央1-2-3 市民プラザ2階"
    assert (organization["telephone"], organization["email"]) == ("000-234-5678", "info@example.jp")


def _portal_with(root: Path, event: dict[str, str]) -> None:
    """A portal with the register above and one group holding `event`."""
    write_project(
        root,
        {"hidamari.md": group_file(name="ひだまり", kana="ひだまり", events=[event])},
        plugin={"events": EVENTS_SETTINGS},
    )
    (root / "groups" / "places.yml").write_text(PLACES, encoding="utf-8")


def test_civic_check_suggests_a_venue_and_a_reading_without_failing(tmp_path: Path) -> None:
    free = {"title": "交流サロン", "start": "2026-12-01 10:00", "place": "つなぐば 会議室A"}
    _portal_with(tmp_path, free)
    result = run_civic("check", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == "", "stdout is the list of problems; suggestions go to stderr"
    lines = result.stderr.splitlines()
    assert any(
        line.startswith("groups/hidamari.md:")
        and ": events[0].place: 提案: " in line
        and "place: tsunaguba、room: 会議室A" in line
        for line in lines
    ), lines
    assert any(
        ": events[0].title: 提案: " in line and "kana: コウリュウサロン" in line for line in lines
    )
    assert "2件の提案があります" in result.stderr
    github = run_civic("check", "--format", "github", cwd=tmp_path)
    notices = [line for line in github.stdout.splitlines() if line.startswith("::notice ")]
    assert len(notices) == 2 and "file=groups/hidamari.md,line=" in notices[0]


def test_an_unknown_venue_id_stops_the_build_with_the_nearest(tmp_path: Path) -> None:
    event = {"title": "サロン", "kana": "さろん", "start": "2026-12-01 10:00", "place": "tsunagu"}
    _portal_with(tmp_path, event)
    result = run_civic("check", cwd=tmp_path)
    assert result.returncode == 1
    assert (
        "events[0].place: 「tsunagu」という会場は会場一覧（groups/places.yml）にありません。"
        "もしかして「tsunaguba」（テスト市市民活動センター）ですか？" in result.stdout
    )
    (tmp_path / "groups" / "places.yml").write_text("tsunaguba:\n  name: センター\n")
    result = run_civic("check", cwd=tmp_path)
    assert result.returncode == 1
    assert "groups/places.yml:1: tsunaguba.kana: 必須の項目です" in result.stdout


# -- the sample portal ---------------------------------------------------------------------------

_REQUIRED = ("イベント名", "イベント名_カナ", "開始日", "終了日", "説明", "場所名称", "住所")


def test_every_sample_row_has_every_required_column(sample_site: Built) -> None:
    rows = _rows(sample_site)
    assert len(rows) > 50
    for row in rows:
        empty = [c for c in _REQUIRED if not row[c]]
        assert empty == [], (row["NO"], row["イベント名"], empty)
        if row["開始時間"]:
            assert row["終了時間"], (row["NO"], row["イベント名"], "a timed row has its end")
        else:
            assert row["開始日時特記事項"].startswith("終日"), row["NO"]
        assert " " not in row["イベント名_カナ"]
        assert "推定" not in row["備考"], "every sample event has its own reading"
        if row["住所"] != "オンライン":
            assert row["緯度"] and row["経度"], (row["NO"], row["場所名称"])
    report = Package(str(sample_site.site / "opendata/datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_every_sample_event_page_has_complete_structured_data(sample_site: Built) -> None:
    pages = sorted((sample_site.site / "events").glob("*/index.html"))
    checked = 0
    for path in pages:
        page = sample_site.html(str(path.relative_to(sample_site.site)))
        script = page.select_one("script[type='application/ld+json']")
        if script is None:
            continue  # month and list pages
        for data in json.loads(script.string):
            checked += 1
            where = path.parent.name
            assert (data["name"] and "T" in data["startDate"]) or len(data["startDate"]) == 10
            if "T" in data["startDate"]:
                assert data["startDate"].endswith("+09:00"), where
            assert data["eventStatus"].startswith("https://schema.org/Event"), where
            assert data["eventAttendanceMode"].startswith("https://schema.org/"), where
            assert data["image"], where
            locations = (
                data["location"] if isinstance(data["location"], list) else [data["location"]]
            )
            for location in locations:
                if location["@type"] == "VirtualLocation":
                    assert location["url"].startswith("https://"), where
                    continue
                address = location["address"]
                for key in ("streetAddress", "addressLocality", "addressRegion", "postalCode"):
                    assert address.get(key), (where, key)
                assert {"latitude", "longitude"} <= set(location["geo"]), where
            if data["eventStatus"].endswith("EventCancelled"):
                assert "InStock" not in json.dumps(data.get("offers", {})), where
    assert checked > 50


def test_sample_places_and_news_pages(sample_site: Built) -> None:
    places = sample_site.html("places")
    links = places.select("article .civic-place__name a")
    assert len(links) >= 10
    for link in links:
        page = sample_site.html("places/" + link["href"].strip("/").rsplit("/", 1)[-1])
        assert page.select_one("a[href^='https://www.openstreetmap.org/']"), link["href"]
    news = sorted((sample_site.site / "news").glob("2026-*/index.html"))
    assert len(news) == 9
    for path in news:
        page = sample_site.html(str(path.relative_to(sample_site.site)))
        assert len(page.select("h1")) == 1, path
        description = page.select_one("meta[name='description']")["content"]
        assert "一覧です" not in description and description, path
