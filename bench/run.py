"""Build-cost and search-transfer benchmark: the civic portal vs. a plain mkdocs-material site.

Usage: .venv/bin/python bench/run.py [--sizes 200 1000 3000] [--out bench/out] [--events-per-group 5]
See bench/README.md for what each figure means.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import dataclasses
import datetime as dt
import gzip
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
QUERIES = ("子ども食堂", "おもちゃ病院")
SEED = 20261118
BUILD_ENV = {"NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1795000000"}

# -- Japanese text pools (name parts carry their reading, so kana stays consistent) ----------

TOWNS = [
    t.split(":")
    for t in (
        "桜町:さくらまち 緑ヶ丘:みどりがおか 青葉台:あおばだい 旭町:あさひまち 池田:いけだ 上野原:うえのはら "
        "大川:おおかわ 柏木:かしわぎ 北山:きたやま 栗原:くりはら 小松:こまつ 白石:しろいし 杉並台:すぎなみだい "
        "高砂:たかさご 千代田:ちよだ 鶴見:つるみ 寺町:てらまち 戸田:とだ 中町:なかまち 西浜:にしはま "
        "沼田:ぬまた 根岸:ねぎし 野田:のだ 花園:はなぞの 東原:ひがしはら 富士見:ふじみ 星川:ほしかわ "
        "松原:まつばら 南台:みなみだい 向ヶ丘:むこうがおか 本町:もとまち 八幡:やはた 湯川:ゆかわ "
        "横山:よこやま 竜ヶ崎:りゅうがさき 蓮華寺:れんげじ 若葉:わかば 和田:わだ"
    ).split()
]
KINDS = [
    k.split(":")
    for k in (
        "の会:のかい クラブ:くらぶ 友の会:とものかい 協議会:きょうぎかい 実行委員会:じっこういいんかい "
        "応援団:おうえんだん 研究会:けんきゅうかい サロン:さろん ネット:ねっと プロジェクト:ぷろじぇくと "
        "ひろば:ひろば 倶楽部:くらぶ の集い:のつどい"
    ).split()
]
# word | reading | fields (short names) | tags | what the group does (for the summary)
THEMES = [
    line.split("|")
    for line in """\
読み聞かせ|よみきかせ|社会教育,子どもの健全育成|絵本,図書館,親子,おはなし会|絵本の読み聞かせで子どもたちと本をつなぐ
里山保全|さとやまほぜん|環境の保全,農山漁村・中山間地域|里山,竹林整備,生きもの観察,自然体験|雑木林や竹林の手入れを通じて身近な自然を守る
防災|ぼうさい|災害救援,地域安全|防災訓練,避難所運営,備蓄,防災マップ|防災訓練や防災マップづくりで災害に強いまちをめざす
子育て|こそだて|子どもの健全育成,男女共同参画社会|子育て支援,親子ひろば,乳幼児,孤立防止|親子が気軽に集える場をひらき子育て中の孤立を防ぐ
国際交流|こくさいこうりゅう|国際協力,人権・平和|多文化共生,日本語教室,外国人支援,交流会|日本語教室や交流会で外国にルーツのある住民を支える
合唱|がっしょう|学術・文化・芸術・スポーツ|コーラス,音楽,発表会,生涯学習|歌を通じて世代をこえた仲間づくりを楽しむ
清掃|せいそう|環境の保全,まちづくり|ごみ拾い,河川清掃,美化活動,リサイクル|川辺や公園のごみ拾いでまちをきれいにする
見守り|みまもり|保健・医療・福祉,地域安全|高齢者,声かけ,地域福祉,配食|ひとり暮らしの高齢者への声かけや見守りを行う
花いっぱい|はないっぱい|まちづくり,環境の保全|花壇,緑化,ガーデニング,公園|駅前や公園の花壇を手入れして季節の花で彩る
郷土史|きょうどし|社会教育,学術・文化・芸術・スポーツ|歴史,文化財,古文書,まち歩き|地域の歴史や文化財を調べて次の世代に伝える
健康体操|けんこうたいそう|保健・医療・福祉,学術・文化・芸術・スポーツ|介護予防,体操,健康づくり,シニア|介護予防の体操で元気に暮らせる地域をつくる
学習支援|がくしゅうしえん|子どもの健全育成,社会教育|居場所,中高生,不登校,無料塾|中高生の学習支援と安心して過ごせる居場所づくりに取り組む
パソコン|ぱそこん|情報化社会,社会教育|スマホ教室,デジタル,IT講座,シニア|シニア向けのスマホ教室やパソコン講座をひらく
観光ガイド|かんこうがいど|観光,まちづくり|ボランティアガイド,まち歩き,観光案内,名所|ボランティアガイドとしてまちの魅力を案内する
祭り囃子|まつりばやし|学術・文化・芸術・スポーツ,まちづくり|伝統芸能,太鼓,笛,祭り|祭り囃子の継承と子どもたちへの指導を続ける
農園|のうえん|農山漁村・中山間地域,環境の保全|市民農園,野菜づくり,食育,有機栽培|市民農園での野菜づくりと食育に取り組む
就労支援|しゅうろうしえん|職業能力・雇用機会,保健・医療・福祉|障がい福祉,職業訓練,居場所,相談|働きたい人の就労準備と職場体験を支える
消費生活|しょうひせいかつ|消費者の保護,社会教育|消費者教育,悪質商法,家計,学習会|悪質商法の被害を防ぐ学習会や出前講座をひらく
平和学習|へいわがくしゅう|人権・平和,社会教育|平和,戦争体験,語り部,展示|戦争体験を聞き取り平和の大切さを伝える
男女共同参画|だんじょきょうどうさんかく|男女共同参画社会,職業能力・雇用機会|ジェンダー,働き方,講座,相談|だれもが自分らしく働き暮らせる社会を考える講座をひらく
地域通貨|ちいきつうか|経済活動の活性化,まちづくり|地域通貨,商店街,地産地消,マルシェ|地域通貨とマルシェで商店街と住民をつなぐ
環境学習|かんきょうがくしゅう|環境の保全,科学技術の振興|環境教育,自然観察,科学実験,子ども|自然観察や科学実験で子どもたちの好奇心を育てる
手話|しゅわ|保健・医療・福祉,人権・平和|手話,聴覚障がい,通訳,交流|手話の学習と聞こえない人との交流を広げる
野鳥観察|やちょうかんさつ|環境の保全|野鳥,自然観察,河川,観察会|川辺の野鳥の観察会や生息調査を行う
囲碁|いご|学術・文化・芸術・スポーツ|囲碁,将棋,世代間交流,大会|囲碁や将棋を通じて子どもから高齢者までが交流する
市民活動応援|しみんかつどうおうえん|連絡・助言・援助,まちづくり|中間支援,団体運営,相談,ネットワーク|地域で活動する団体の運営相談や交流会をひらく""".splitlines()
]
SENTENCES = """\
私たちは{town}を拠点に、{theme}の活動を続けている市民グループです。
会のはじまりは、{town}に住む数人の仲間が「自分たちにできることから始めよう」と集まったことでした。
現在は、20代から80代までの幅広い世代のメンバーが、それぞれの得意を生かして参加しています。
活動日には、地区の公民館や集会所を借りて、和やかな雰囲気で準備を進めています。
初めての方でも気軽に参加できるよう、見学や体験参加をいつでも受け付けています。
年に一度の{town}まつりでは、活動の成果を展示し、多くの来場者に楽しんでいただいています。
近隣の小学校や町内会、社会福祉協議会とも連携し、地域ぐるみの取り組みに広げてきました。
参加費は無料、または材料費として1回100円から300円程度をいただいています。
活動の様子は、会報やSNSで定期的にお知らせしています。
感染症が流行した時期はオンラインでの集まりに切り替え、つながりを絶やさないよう工夫しました。
最近では、子育て世代や学生のボランティアも増え、新しいアイデアが次々に生まれています。
高齢の方の見守りを兼ねて、活動の前後には必ずお茶の時間を設けています。
市の市民活動支援補助金を活用して、必要な道具や備品をそろえることができました。
「できる人が、できるときに、できることを」を合言葉に、無理のない参加を大切にしています。
{theme}を通じて、世代や国籍をこえた顔の見える関係をつくることが私たちの目標です。
毎回の活動のあとには振り返りの時間をとり、次回に向けた改善点を話し合っています。
障がいのある方や外国にルーツのある方も参加しやすいよう、やさしい日本語での案内を心がけています。
地元の商店街のみなさんからは、会場の提供や物品のご寄付など、たくさんのご支援をいただいています。
活動を始めて10年以上がたち、当時の参加者が今ではスタッフとして活動を支えてくれています。
夏休みには親子向けの特別企画を開き、毎年たくさんの家族が参加してくれます。
メンバーの多くは仕事や子育てと両立しながら、休日を使って活動しています。
市民活動センターの講座で学んだことをきっかけに、会の運営方法を見直しました。
会計は毎年の総会で報告し、会員のみなさんに活動の収支を公開しています。
雨の日や暑さの厳しい日は、屋内でできるプログラムに切り替えて実施しています。
災害時にも地域で助け合えるよう、日ごろから連絡網を整えています。
地区の回覧板や掲示板にも、活動日のお知らせを載せていただいています。
これまでに延べ3,000人を超える方々に参加していただきました。
活動場所までは{town}駅から歩いて10分ほどです。駐車場は台数に限りがあります。
新しく参加した方には、経験のあるメンバーが付き添ってていねいにお伝えします。
ほかの地域で同じような活動をしている団体とも情報交換を行い、互いに学び合っています。
活動の記録は写真とともにブログにまとめ、どなたでもご覧いただけるようにしています。
会員の高齢化が課題となっており、若い世代の仲間を募集しています。
企業の社会貢献活動としてのご参加や、社員ボランティアの受け入れも行っています。
大学のゼミやサークルと協力して、学生の地域活動の場にもなっています。
地域の困りごとを話し合う「{town}まちづくり会議」にも毎回参加しています。
用具の貸し出しや出前講座のご依頼にも、できるかぎりお応えしています。
小さな活動ですが、続けることで少しずつ地域の輪が広がってきたと感じています。
興味のある方は、まずは一度、活動日にのぞいてみてください。
お問い合わせはメールで受け付けています。担当者から折り返しご連絡いたします。
これからも{town}で暮らす人たちの笑顔のために、一歩ずつ活動を続けていきます。""".splitlines()
# Only these sentences carry the benchmark's search words, so the ground truth is exact.
SEARCH_SENTENCES = {
    "子ども食堂": (
        "月に2回、{town}の集会所で子ども食堂を開き、温かい夕食をみんなで囲んでいます。",
        "子ども食堂には地元の農家さんから野菜が届き、ボランティアが手づくりの料理を用意します。",
    ),
    "おもちゃ病院": (
        "毎月第2日曜には、壊れたおもちゃを無料で直すおもちゃ病院を開いています。",
        "おもちゃ病院のドクターは退職した技術者が中心で、子どもと一緒に修理を楽しんでいます。",
    ),
}
SEARCH_SHARE = {"子ども食堂": 0.035, "おもちゃ病院": 0.04}
PLACES = ("公民館", "地区センター", "コミュニティハウス", "集会所", "小学校 多目的室")
SURNAMES = "佐藤 鈴木 高橋 田中 伊藤 渡辺 山本 中村 小林 加藤 吉田 山田".split()
SUMMARY_TAILS = (
    "初めての方も歓迎です。",
    "一緒に活動する仲間を募集中です。",
    "見学はいつでもどうぞ。",
    "",
)


@dataclass(frozen=True)
class GeneratedGroup:
    slug: str
    front_matter: dict[str, Any]
    body: str
    town: str = ""
    theme: str = ""
    events: tuple[dict[str, Any], ...] = ()  # written under `events:`; only ours reads them

    def indexed_text(self) -> str:
        fm = self.front_matter
        return "\n".join(
            [fm["name"], fm["summary"], *fm["tags"], fm["activity"], fm["place"], self.body]
        )


def portal_areas() -> list[str]:
    return re.findall(
        r"\{ slug: [\w-]+, name: ([^ }]+) \}", (REPO / "mkdocs.yml").read_text("utf-8")
    )


def unique_name(
    rng: random.Random, town: list[str], theme: list[str], taken: set[str]
) -> tuple[str, str, str]:
    """(name, kana, legal_form) not yet in `taken`."""
    for attempt in range(100):
        kind = rng.choice(KINDS)
        pattern = rng.random()
        if pattern < 0.6:
            name, kana, form = (
                f"{town[0]}{theme[0]}{kind[0]}",
                town[1] + theme[1] + kind[1],
                "任意団体",
            )
        elif pattern < 0.8:
            form = rng.choice(("NPO法人", "一般社団法人"))
            name, kana = f"{form} {town[0]}{theme[0]}{kind[0]}", town[1] + theme[1] + kind[1]
        else:
            name, kana, form = (
                f"{theme[0]}を楽しむ会 {town[0]}",
                f"{theme[1]}をたのしむかい{town[1]}",
                "任意団体",
            )
        if attempt > 50:
            name += f" 第{attempt}支部"
        if unicodedata.normalize("NFKC", name) not in taken:
            taken.add(unicodedata.normalize("NFKC", name))
            return name, kana, form
        town = rng.choice(TOWNS)
    raise RuntimeError("could not make a unique group name")


def group_body(rng: random.Random, town: str, theme: str) -> str:
    target = rng.randint(400, 880)
    pool = rng.sample(SENTENCES, len(SENTENCES))
    sentences: list[str] = []
    while sum(map(len, sentences)) < target:
        sentences.append(pool.pop().format(town=town, theme=theme))
    for word, share in SEARCH_SHARE.items():
        if rng.random() < share:
            sentences.insert(
                rng.randrange(len(sentences) + 1),
                rng.choice(SEARCH_SENTENCES[word]).format(town=town),
            )
    paragraphs = min(rng.randint(3, 6), len(sentences))
    cuts = [round(i * len(sentences) / paragraphs) for i in range(1, paragraphs)]
    return (
        "\n\n".join(
            "".join(sentences[a:b])
            for a, b in zip([0, *cuts], [*cuts, len(sentences)], strict=True)
        )
        + "\n"
    )


def generate_group(
    rng: random.Random, index: int, areas: list[str], taken: set[str]
) -> GeneratedGroup:
    town, theme = rng.choice(TOWNS), rng.choice(THEMES)
    name, kana, legal_form = unique_name(rng, town, theme, taken)
    slug = f"g{index:05d}-{rng.getrandbits(16):04x}"
    fields = theme[2].split(",")
    if len(fields) < 3 and rng.random() < 0.3:
        fields.append(rng.choice([f for t in THEMES for f in t[2].split(",") if f not in fields]))
    day, hour = rng.choice("月火水木金土日"), rng.randint(9, 18)
    fm: dict[str, Any] = {
        "name": name,
        "kana": kana,
        "summary": f"{town[0]}を拠点に、{theme[4]}活動をしています。{rng.choice(SUMMARY_TAILS)}"[
            :120
        ],
        "fields": fields,
        "areas": rng.sample(areas, rng.randint(1, 2)),
        "tags": rng.sample(theme[3].split(","), rng.randint(2, 4))
        + ([town[0]] if rng.random() < 0.3 else []),
        "legal_form": legal_form,
        "founded": rng.randint(1975, 2025),
        "members": rng.randint(5, 300),
        "activity": f"毎月第{rng.randint(1, 4)}{day}曜 {hour}:00〜{hour + 2}:00",
        "place": f"{town[0]}{rng.choice(PLACES)}",
        "contact": {
            "email": f"info@{slug}.example.jp",
            "phone": f"000-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
            "url": f"https://{slug}.example.jp/",
            "person": f"{rng.choice(SURNAMES)}（代表）",
        },
        "maintainers": [slug],
    }
    if rng.random() < 0.3:
        fm["recruiting"] = [
            {
                "title": f"{theme[0]}の活動ボランティア",
                "detail": "月に1回から参加できます。経験は問いません。",
                "until": f"2027-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            }
        ]
    return GeneratedGroup(slug, fm, group_body(rng, town[0], theme[0]), town[0], theme[0])


def generate_groups(count: int, events_per_group: float = 0) -> list[GeneratedGroup]:
    rng, areas = random.Random(SEED), portal_areas()
    taken: set[str] = set()
    groups = [generate_group(rng, i, areas, taken) for i in range(1, count + 1)]
    return add_events(groups, events_per_group) if events_per_group > 0 else groups


# -- events (ours only; the baseline has no equivalent) ------------------------------------------
# Own random stream, so the groups are the same with or without events. Every date lies in
# 2026-09..2027-10, inside the plugin's window around SOURCE_DATE_EPOCH (2026-11-18).

EVENT_SEED = f"{SEED}-events"
RECURRING_SHARE = 0.2
EVENTS_FIRST, EVENTS_LAST = dt.date(2026, 9, 1), dt.date(2027, 10, 31)
WEEKDAY_CHARS = "月火水木金土日"  # index = date.weekday()
EVENT_KINDS = (
    "体験会",
    "講座",
    "交流会",
    "勉強会",
    "説明会",
    "ワークショップ",
    "見学会",
    "発表会",
    "報告会",
)
REGULAR_KINDS = ("定例活動", "定例会", "活動日", "練習会", "オープンデー", "相談会")
SEASONS = {
    9: "秋",
    10: "秋",
    11: "秋",
    12: "冬",
    1: "冬",
    2: "冬",
    3: "春",
    4: "春",
    5: "春",
    6: "夏",
    7: "夏",
    8: "夏",
}
EVENT_SENTENCES = (
    "{theme}に関心のある方なら、どなたでも参加できます。",
    "{town}で活動するメンバーが、日ごろの取り組みをわかりやすく紹介します。",
    "初めての方には、経験のあるメンバーがていねいにご案内します。",
    "動きやすい服装でお越しください。必要な道具はこちらで用意します。",
    "親子での参加も歓迎です。小学生以下のお子さんは保護者と一緒にご参加ください。",
    "終了後には、参加者どうしで感想を話し合う時間を設けます。",
    "雨天の場合は屋内のプログラムに切り替えて実施します。",
    "{theme}の基礎から、実際の活動の様子までを体験していただけます。",
    "会場には駐車場がありませんので、公共交通機関をご利用ください。",
    "途中からの参加や途中での退出もできます。お気軽にどうぞ。",
)
FEES = ("無料", "無料", "無料", "100円", "300円", "500円", "資料代200円", "1,000円")
APPLIES = (
    "申込不要。直接会場へお越しください",
    "メールでお申し込みください（先着順）",
    "電話またはメールで前日までにお申し込みください",
    "申込フォームからお申し込みください",
)
# The search benchmark's ground truth counts only group texts, so no event may carry its words.
FORBIDDEN_IN_EVENTS = ("食堂", "おもちゃ", "病院")


def nth_in_month(day: dt.date) -> int:
    return (day.day - 1) // 7 + 1


def is_last_in_month(day: dt.date) -> bool:
    return day.day + 7 > calendar.monthrange(day.year, day.month)[1]


def random_day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


def random_rule(rng: random.Random) -> tuple[str, Callable[[dt.date, dt.date], bool]]:
    """A `repeat` text and a test `(day, first) -> is day an occurrence` for it."""
    wd = rng.randrange(7)
    name = WEEKDAY_CHARS[wd]
    form = rng.choices(
        ("weekly", "weekly2", "biweekly", "nth", "nth2", "monthday", "last"),
        weights=(3, 1, 1, 4, 2, 1, 1),
    )[0]
    if form == "weekly":
        return f"毎週{name}曜", lambda d, first: d.weekday() == wd
    if form == "weekly2":
        a, b = sorted(rng.sample(range(7), 2))
        return (
            f"毎週{WEEKDAY_CHARS[a]}曜・{WEEKDAY_CHARS[b]}曜",
            lambda d, first: d.weekday() in (a, b),
        )
    if form == "biweekly":
        return f"隔週{name}曜", lambda d, first: d.weekday() == wd and (d - first).days % 14 == 0
    if form == "nth":
        n = rng.randint(1, 4)
        return f"毎月第{n}{name}曜", lambda d, first: d.weekday() == wd and nth_in_month(d) == n
    if form == "nth2":
        pair = rng.choice(((1, 3), (2, 4)))
        return (
            f"毎月第{pair[0]}・第{pair[1]}{name}曜",
            lambda d, first: d.weekday() == wd and nth_in_month(d) in pair,
        )
    if form == "monthday":
        n = rng.randint(1, 28)
        return f"毎月{n}日", lambda d, first: d.day == n
    return f"毎月最終{name}曜", lambda d, first: d.weekday() == wd and is_last_in_month(d)


def event_times(
    rng: random.Random, day: dt.date, timed_share: float
) -> tuple[str, str | None, bool]:
    """(start, end, all_day) as written in YAML: `2026-12-06 10:00` and a quoted `"12:00"`."""
    if rng.random() < timed_share:
        hour, minute = rng.randint(9, 19), rng.choice((0, 0, 30))
        length = rng.choice((60, 90, 120, 120, 180))
        end = dt.datetime.combine(day, dt.time(hour, minute)) + dt.timedelta(minutes=length)
        return f"{day} {hour:02d}:{minute:02d}", json.dumps(f"{end:%H:%M}"), False
    if rng.random() < 0.3:
        return str(day), str(day + dt.timedelta(days=rng.randint(1, 2))), True
    return str(day), None, True


def make_event(
    rng: random.Random, group: GeneratedGroup, number: int, recurring: bool
) -> dict[str, Any]:
    """One `events:` item (key order as written). Recurring: start is the rule's first day."""
    town, theme = group.town, group.theme
    item: dict[str, Any] = {"id": f"e{number}"}
    if recurring:
        repeat, test = random_rule(rng)
        anchor = random_day(rng, EVENTS_FIRST, dt.date(2027, 6, 30))
        first = next(
            anchor + dt.timedelta(days=i)
            for i in range(62)
            if test(anchor + dt.timedelta(days=i), anchor + dt.timedelta(days=i))
        )
        until = random_day(rng, first + dt.timedelta(days=60), EVENTS_LAST)
        days = [first + dt.timedelta(days=i) for i in range((until - first).days + 1)]
        occurrences = [d for d in days if test(d, first)]
        title = f"{theme}{rng.choice(REGULAR_KINDS)}"
        start, end, _ = event_times(rng, first, 0.9)
    else:
        day = random_day(rng, EVENTS_FIRST, EVENTS_LAST)
        kind = rng.choice(EVENT_KINDS)
        title = rng.choice(
            (
                f"{town}{theme}{kind}",
                f"{SEASONS[day.month]}の{theme}{kind}",
                f"{theme}{kind}（{town}）",
            )
        )
        start, end, _ = event_times(rng, day, 0.75)
    item |= {"title": title, "start": start}
    if end:
        item["end"] = end
    item["place"] = (
        group.front_matter["place"] if rng.random() < 0.6 else f"{town}{rng.choice(PLACES)}"
    )
    item["address"] = f"川波市{town}{rng.randint(1, 5)}-{rng.randint(1, 20)}-{rng.randint(1, 30)}"
    item["fee"] = rng.choice(FEES)
    if rng.random() < 0.7:
        item["capacity"] = rng.choice((10, 15, 20, 30, 40, 50, 100))
    item["apply"] = rng.choice(APPLIES)
    item["description"] = "".join(
        s.format(town=town, theme=theme) for s in rng.sample(EVENT_SENTENCES, rng.randint(1, 2))
    )
    status = rng.random()
    if status < 0.02:
        item["status"] = "cancelled"
    elif status < 0.03:
        item["status"] = "postponed"
    elif status < 0.06:
        item["status"] = "online"
    if recurring:
        item |= {"repeat": repeat, "until": str(until)}
        if len(occurrences) > 3 and rng.random() < 0.3:
            item["except"] = sorted(rng.sample(occurrences[1:], rng.randint(1, 2)))
    text = "".join(str(v) for v in item.values())
    assert not any(w in text for w in FORBIDDEN_IN_EVENTS), text
    return item


def add_events(groups: list[GeneratedGroup], per_group: float) -> list[GeneratedGroup]:
    """round(N × per_group) events spread unevenly over the groups (about a quarter have none),
    exactly round(total × 20 %) of them recurring."""
    rng = random.Random(EVENT_SEED)
    total = round(len(groups) * per_group)
    weights = [0 if rng.random() < 0.25 else rng.choice((1, 1, 1, 2, 2, 3, 5)) for _ in groups]
    if not any(weights):
        weights = [1] * len(groups)
    owners = rng.choices(range(len(groups)), weights=weights, k=total)
    recurring = set(rng.sample(range(total), round(total * RECURRING_SHARE)))
    items: list[list[dict[str, Any]]] = [[] for _ in groups]
    for k, owner in enumerate(owners):
        items[owner].append(make_event(rng, groups[owner], len(items[owner]) + 1, k in recurring))
    assert max(map(len, items), default=0) <= 200, "the plugin allows 200 events per group"
    return [dataclasses.replace(g, events=tuple(e)) for g, e in zip(groups, items, strict=True)]


def event_lines(events: tuple[dict[str, Any], ...]) -> list[str]:
    """`events:` as YAML: dates and `start` bare, `end` already quoted when it is a time."""
    lines = ["events:"]
    for event in events:
        for i, (key, value) in enumerate(event.items()):
            lead = "  - " if i == 0 else "    "
            if key == "except":
                text = "[" + ", ".join(map(str, value)) + "]"
            elif key in ("start", "end", "until") or isinstance(value, int):
                text = str(value)
            else:
                text = json.dumps(value, ensure_ascii=False)
            lines.append(f"{lead}{key}: {text}")
    return lines


def group_file_text(group: GeneratedGroup) -> str:
    """Front matter as YAML (JSON scalars are YAML; `until` stays a bare date)."""
    lines = ["---"]
    for key, value in group.front_matter.items():
        if key == "contact":
            lines += [
                "contact:",
                *(f"  {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in value.items()),
            ]
        elif key == "recruiting":
            lines.append("recruiting:")
            for r in value:
                lines += [
                    f"  - title: {json.dumps(r['title'], ensure_ascii=False)}",
                    f"    detail: {json.dumps(r['detail'], ensure_ascii=False)}",
                    f"    until: {r['until']}",
                ]
        else:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    if group.events:
        lines += event_lines(group.events)
    return "\n".join([*lines, "---", group.body])


def baseline_page_text(group: GeneratedGroup) -> str:
    fm = group.front_matter
    return (
        f"# {fm['name']}\n\n- 紹介: {fm['summary']}\n- 活動分野: {'、'.join(fm['fields'])}\n"
        f"- 地区: {'、'.join(fm['areas'])}\n\n{group.body}"
    )


# -- projects and builds ---------------------------------------------------------------------------


def write_portal_project(root: Path, groups: list[GeneratedGroup]) -> Path:
    # The sample's news posts and newsletter issues name sample groups, which a generated portal
    # does not have; they are not what this benchmark measures.
    shutil.copytree(
        REPO / "content", root / "content", ignore=shutil.ignore_patterns("news", "newsletters")
    )
    (root / "groups").mkdir()
    for g in groups:
        (root / "groups" / f"{g.slug}.md").write_text(group_file_text(g), "utf-8")
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    config = re.sub(r"(?m)^(\s*custom_dir:).*$", rf"\1 {REPO / 'overrides'}", config)
    config = re.sub(r"(?m)^docs_dir:.*$", f"docs_dir: {root / 'content'}", config)
    (root / "mkdocs.yml").write_text(config, "utf-8")
    return root / "mkdocs.yml"


def write_baseline_project(root: Path, groups: list[GeneratedGroup]) -> Path:
    (root / "docs" / "groups").mkdir(parents=True)
    (root / "docs" / "index.md").write_text(
        "# 市民活動団体（比較用サイト）\n\n各団体の紹介ページです。\n", "utf-8"
    )
    for g in groups:
        (root / "docs" / "groups" / f"{g.slug}.md").write_text(baseline_page_text(g), "utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: 比較用サイト\nsite_url: https://portal.example.jp/\ndocs_dir: docs\n"
        "theme:\n  name: material\n  language: ja\n  font: false\nplugins:\n  - search:\n      lang: ja\n",
        "utf-8",
    )
    return root / "mkdocs.yml"


def build_site(config: Path, site: Path, label: str) -> dict[str, float]:
    """Run `mkdocs build` in a child process; wall seconds and peak RSS (largest of it and its children)."""
    log = config.parent / "build.log"
    env = {**os.environ, **BUILD_ENV}
    start = time.perf_counter()
    with log.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(site)],
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=env,
        )
        _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        tail = log.read_text("utf-8", errors="replace").splitlines()[-40:]
        print(
            f"BUILD FAILED ({label}, exit {proc.returncode}); stderr tail:\n" + "\n".join(tail),
            file=sys.stderr,
        )
        sys.exit(1)
    return {"seconds": round(seconds, 2), "peak_rss_mib": round(usage.ru_maxrss / 1024, 1)}


def html_page_count(site: Path) -> int:
    return sum(1 for p in site.rglob("*.html") if p.name != "404.html")


def file_sizes(path: Path) -> dict[str, int]:
    data = path.read_bytes()
    return {"raw": len(data), "gzip": len(gzip.compress(data, compresslevel=9))}


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def largest(paths: list[Path], site: Path) -> dict[str, Any]:
    """Sizes of the biggest of `paths` (by raw bytes), with its path in the site."""
    if not paths:
        return {"path": None, "raw": 0, "gzip": 0}
    biggest = max(paths, key=lambda p: (p.stat().st_size, str(p)))
    return {"path": biggest.relative_to(site).as_posix(), **file_sizes(biggest)}


def event_figures(site: Path, groups: list[GeneratedGroup]) -> dict[str, Any]:
    """Ours only: what the generator wrote and what the events part of the build produced."""
    with (site / "opendata" / "events.csv").open(encoding="utf-8-sig", newline="") as f:
        csv_rows = sum(1 for _ in csv.reader(f)) - 1  # records, not counting the header
    events_dir = site / "events"
    return {
        "total": sum(len(g.events) for g in groups),
        "recurring": sum("repeat" in e for g in groups for e in g.events),
        "groups_with_events": sum(bool(g.events) for g in groups),
        "occurrences": csv_rows,
        "html_pages": sum(1 for _ in events_dir.rglob("*.html")),
        "largest_month_page": largest(
            list(events_dir.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/index.html")), site
        ),
        "events_index_html": file_sizes(events_dir / "index.html"),
        "events_ics": file_sizes(site / "events.ics"),
        "largest_group_ics": largest(list((site / "groups").glob("*/events.ics")), site),
        "opendata_csv": file_sizes(site / "opendata" / "events.csv"),
    }


# -- search transfer in a real browser -------------------------------------------------------------

STATUS_SETTLED = """() => { const t = (document.querySelector('#site-status') || {}).textContent || '';
  return t.trim() !== '' && !t.includes('検索しています'); }"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"http.server did not start on port {port}")


TEXT_SUFFIXES = (".js", ".json", ".css", ".html")


def served_bytes(name: str, body: bytes) -> int:
    """Bytes a static host sends: text gzipped (as GitHub Pages, nginx do); Pagefind's .pf_* and
    wasm files are gzip already, so they travel as they are."""
    return len(gzip.compress(body, 9)) if name.endswith(TEXT_SUFFIXES) else len(body)


def search_in_browser(browser: Any, port: int, query: str) -> dict[str, Any]:
    """Open the search page with ?q= in a fresh context; bytes of /pagefind/ responses and result count."""
    context = browser.new_context()
    page = context.new_page()
    responses: list[Any] = []
    page.on("response", lambda r: responses.append(r) if "/pagefind/" in r.url else None)
    page.goto(f"http://127.0.0.1:{port}/search/?q={quote(query)}")
    page.wait_for_function(STATUS_SETTLED, timeout=120_000)
    page.wait_for_load_state("networkidle")
    status = page.inner_text("#site-status")
    bodies = {urlsplit(r.url).path.split("/pagefind/", 1)[1]: r.body() for r in responses}
    files = {name: len(body) for name, body in bodies.items()}
    context.close()
    found = re.search(r"(\d+)件", status)
    served = sum(served_bytes(name, body) for name, body in bodies.items())
    return {
        "bytes": sum(files.values()),
        "served_bytes": served,
        "requests": len(responses),
        "results": int(found.group(1)) if found else 0,
        "status": status,
        "files": files,
    }


def measure_search_transfer(
    site: Path, queries: tuple[str, ...]
) -> dict[str, dict[str, Any]] | None:
    if not CHROMIUM.exists():
        print("query transfer: skipped (chromium missing)", flush=True)
        return None
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "http.server",
            str(port),
            "--bind",
            "127.0.0.1",
            "--directory",
            str(site),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=str(CHROMIUM),
                args=[
                    "--no-sandbox",
                    "--disable-background-networking",
                    "--disable-component-update",
                ],
            )
            results = {q: search_in_browser(browser, port, q) for q in queries}
            browser.close()
        return results
    finally:
        server.terminate()
        server.wait()


# -- one size, the whole run, the table ------------------------------------------------------------


def bench_size(n: int, events_per_group: float = 0) -> dict[str, Any]:
    groups = generate_groups(n, events_per_group)
    truth = {q: sum(q in g.indexed_text() for g in groups) for q in QUERIES}
    first = groups[0].slug
    with tempfile.TemporaryDirectory(prefix=f"civic-bench-{n}-") as tmp:
        result: dict[str, Any] = {"n": n, "first_slug": first, "truth": truth}
        if events_per_group:
            result["events_per_group"] = events_per_group
        for label, writer in (("ours", write_portal_project), ("baseline", write_baseline_project)):
            root, site = Path(tmp, label), Path(tmp, f"{label}-site")
            root.mkdir()
            config = writer(root, groups)
            print(f"[N={n}] building {label} …", flush=True)
            stats = build_site(config, site, f"{label}, N={n}")
            pages = html_page_count(site)
            stats |= {
                "html_pages": pages,
                "ms_per_page": round(1000 * stats["seconds"] / pages, 2),
                "group_page_bytes": (site / "groups" / first / "index.html").stat().st_size,
            }
            print(
                f"[N={n}] {label}: {stats['seconds']} s, {pages} pages, {stats['peak_rss_mib']} MiB",
                flush=True,
            )
            if label == "ours":
                stats |= {
                    "groups_index_json": file_sizes(site / "groups" / "index.json"),
                    "groups_index_html": file_sizes(site / "groups" / "index.html"),
                    "pagefind_bytes": folder_bytes(site / "pagefind"),
                }
                if events_per_group:
                    stats["events"] = event_figures(site, groups)
                    e = stats["events"]
                    print(
                        f"[N={n}] ours events: {e['total']} ({e['recurring']} recurring), "
                        f"{e['occurrences']} occurrences, {e['html_pages']} pages under events/",
                        flush=True,
                    )
                print(f"[N={n}] searching ours in Chromium …", flush=True)
                stats["queries"] = measure_search_transfer(site, QUERIES)
            else:
                stats["search_index_json"] = file_sizes(site / "search" / "search_index.json")
            result[label] = stats
    result["per_page_ratio"] = round(
        result["ours"]["ms_per_page"] / result["baseline"]["ms_per_page"], 2
    )
    return result


def kb(n: int) -> str:
    return f"{n / 1024:.1f}"


def table_rows(r: dict[str, Any]) -> list[tuple[str, str, str]]:
    o, b = r["ours"], r["baseline"]
    rows = [
        ("build wall (s)", f"{o['seconds']:.1f}", f"{b['seconds']:.1f}"),
        ("peak RSS (MiB)", f"{o['peak_rss_mib']:.0f}", f"{b['peak_rss_mib']:.0f}"),
        ("HTML pages", str(o["html_pages"]), str(b["html_pages"])),
        ("ms per HTML page", f"{o['ms_per_page']:.1f}", f"{b['ms_per_page']:.1f}"),
        ("per-page ratio (goal <=1.25)", f"{r['per_page_ratio']:.2f}x", ""),
        ("one group page (KB)", kb(o["group_page_bytes"]), kb(b["group_page_bytes"])),
        (
            "groups/index.json KB raw/gz",
            f"{kb(o['groups_index_json']['raw'])}/{kb(o['groups_index_json']['gzip'])}",
            "",
        ),
        (
            "groups/index.html KB raw/gz",
            f"{kb(o['groups_index_html']['raw'])}/{kb(o['groups_index_html']['gzip'])}",
            "",
        ),
        (
            "search index KB raw/gz",
            kb(o["pagefind_bytes"]),
            f"{kb(b['search_index_json']['raw'])}/{kb(b['search_index_json']['gzip'])}",
        ),
    ]
    for q in QUERIES:
        found = (o["queries"] or {}).get(q)
        base = kb(b["search_index_json"]["raw"]) if q == QUERIES[0] else ""
        rows.append((f"「{q}」 KB raw", kb(found["bytes"]) if found else "skipped", base))
        base_gz = kb(b["search_index_json"]["gzip"]) if q == QUERIES[0] else ""
        rows.append(
            (
                f"「{q}」 KB gzip-served (<=300)",
                kb(found["served_bytes"]) if found else "skipped",
                base_gz,
            )
        )
        rows.append(
            (
                f"「{q}」 results/truth",
                f"{found['results']}/{r['truth'][q]}" if found else "skipped",
                "",
            )
        )
    if "events" in o:
        e = o["events"]

        def raw_gz(sizes: dict[str, Any]) -> str:
            return f"{kb(sizes['raw'])}/{kb(sizes['gzip'])}"

        rows += [
            ("events total/recurring", f"{e['total']}/{e['recurring']}", ""),
            ("event occurrences (csv rows)", str(e["occurrences"]), ""),
            ("HTML pages under events/", str(e["html_pages"]), ""),
            ("largest month page KB raw/gz", raw_gz(e["largest_month_page"]), ""),
            ("events/index.html KB raw/gz", raw_gz(e["events_index_html"]), ""),
            ("events.ics KB raw/gz", raw_gz(e["events_ics"]), ""),
            ("largest group events.ics KB raw/gz", raw_gz(e["largest_group_ics"]), ""),
            ("opendata/events.csv KB raw/gz", raw_gz(e["opendata_csv"]), ""),
        ]
    return rows


def pad(text: str, width: int) -> str:
    """Left-justify by display width (full-width characters count 2)."""
    shown = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - shown)


def print_table(results: list[dict[str, Any]]) -> None:
    per_size = [table_rows(r) for r in results]
    header = ["metric"] + [f"N={r['n']} {side}" for r in results for side in ("ours", "base")]
    body = [
        [label] + [cell for rows in per_size for cell in rows[i][1:]]
        for i, (label, *_) in enumerate(per_size[0])
    ]
    widths = [max(len(h), 14, *(len(row[i]) for row in body)) for i, h in enumerate(header)]
    widths[0] = 36
    for line in [header, ["-" * w for w in widths], *body]:
        print(
            "  ".join(
                pad(c, w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(line, widths, strict=True))
            ).rstrip()
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000, 3000])
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out")
    parser.add_argument(
        "--events-per-group",
        type=float,
        default=0,
        metavar="FLOAT",
        help="events per group on average, 20 %% of them recurring (ours only; default 0: none)",
    )
    args = parser.parse_args()
    if args.events_per_group < 0:
        parser.error("--events-per-group must be 0 or more")
    args.out.mkdir(parents=True, exist_ok=True)
    results = []
    for n in args.sizes:
        results.append(bench_size(n, args.events_per_group))
        (args.out / "results.json").write_text(
            json.dumps(results, ensure_ascii=False, indent=2), "utf-8"
        )
    print()
    print_table(results)
    print(f"\nresults: {args.out / 'results.json'}")


if __name__ == "__main__":
    main()
