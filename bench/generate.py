"""The benchmark's generator: fake group files of realistic Japanese text from a fixed seed, and
the projects built from them (the civic portal, and a plain mkdocs-material site to compare with).

    .venv/bin/python bench/generate.py --groups 50 --out /tmp/portal
    .venv/bin/python bench/generate.py --groups 1000 --with-sample --out /tmp/portal-1000
    .venv/bin/python bench/generate.py --groups 20 --events-per-group 5 --out /tmp/portal-events
    .venv/bin/python bench/generate.py --groups 40 --events-per-group 5 --events-share 0.25 --out /tmp/p
    .venv/bin/python bench/generate.py --groups 50 --baseline --out /tmp/plain
    .venv/bin/python bench/generate.py --groups 50 --baseline --auto-nav --out /tmp/plain-nav

The same arguments always write the same files. Imported by the other bench scripts
(bench/ is a folder of scripts: a script's own folder is on sys.path); tests run it as a program.
Standard library only.
"""

from __future__ import annotations

import argparse
import calendar
import dataclasses
import datetime as dt
import json
import math
import random
import re
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
# The words the generator plants in some bodies (and nowhere else): the search benchmark's queries.
QUERIES = ("子ども食堂", "おもちゃ病院")
SEED = 20261118

# -- Japanese text pools (name parts carry their reading, so kana stays consistent) ----------------

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


def generate_groups(
    count: int, events_per_group: float = 0, events_share: float | None = None
) -> list[GeneratedGroup]:
    """`count` groups; with `events_per_group` > 0 their events (see add_events and
    add_events_to_share for what `events_share` changes)."""
    rng, areas = random.Random(SEED), portal_areas()
    taken: set[str] = set()
    groups = [generate_group(rng, i, areas, taken) for i in range(1, count + 1)]
    if events_per_group <= 0:
        return groups
    if events_share is None:
        return add_events(groups, events_per_group)
    return add_events_to_share(groups, events_per_group, events_share)


# -- events (ours only; the baseline has no equivalent) --------------------------------------------
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


SHARE_SEED = f"{SEED}-events-share"


def spread(i: int, share: float) -> int:
    """How many of the first `i` items a steady `share` of them gives: ⌈i × share⌉. Item i is
    picked when spread(i + 1) > spread(i): the first item, then every 1/share-th (for 0.25:
    items 0, 4, 8, …); the first N items always hold exactly ⌈N × share⌉ picks."""
    return math.ceil(round(i * share, 9))


def add_events_to_share(
    groups: list[GeneratedGroup], per_group: float, share: float
) -> list[GeneratedGroup]:
    """Events on ⌈N × share⌉ groups (the first, then every 1/share-th: groups 1, 5, 9, … for 0.25),
    `per_group` each (⌊per_group⌋ or ⌈per_group⌉ when it is not whole); of all the events, every
    fifth in order is recurring (⌈total × 20 %⌉). Each group's events come from its own random
    stream (seed `20261118-events-share-<index>`), so none of this depends on N: a group has the
    same events, and the same page, in every portal size, and the groups are those without events."""
    if not 0 < share <= 1:
        raise ValueError("events share must be more than 0 and at most 1")
    out: list[GeneratedGroup] = []
    picked = made = 0  # groups with events so far, events so far
    for i, group in enumerate(groups):
        if spread(i + 1, share) == spread(i, share):
            out.append(group)
            continue
        rng = random.Random(f"{SHARE_SEED}-{i}")
        count = spread(picked + 1, per_group) - spread(picked, per_group)
        picked += 1
        events = []
        for k in range(count):
            recurring = spread(made + 1, RECURRING_SHARE) > spread(made, RECURRING_SHARE)
            events.append(make_event(rng, group, k + 1, recurring))
            made += 1
        assert len(events) <= 200, "the plugin allows 200 events per group"
        out.append(dataclasses.replace(group, events=tuple(events)))
    return out


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


# -- projects --------------------------------------------------------------------------------------


def write_portal_project(root: Path, groups: list[GeneratedGroup]) -> Path:
    # The sample's news posts and newsletter issues name sample groups, which a generated portal
    # does not have; they are not what this benchmark measures.
    shutil.copytree(
        REPO / "content", root / "content", ignore=shutil.ignore_patterns("news", "newsletters")
    )
    (root / "groups").mkdir()
    for g in groups:
        (root / "groups" / f"{g.slug}.md").write_text(group_file_text(g), "utf-8")
    # the sample's venue register comes with its mkdocs.yml (and the form's committed config)
    shutil.copy(REPO / "groups" / "places.yml", root / "groups" / "places.yml")
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    config = re.sub(r"(?m)^(\s*custom_dir:).*$", rf"\1 {REPO / 'overrides'}", config)
    config = re.sub(r"(?m)^docs_dir:.*$", f"docs_dir: {root / 'content'}", config)
    (root / "mkdocs.yml").write_text(config, "utf-8")
    return root / "mkdocs.yml"


# Plain Material at its fastest (issue 15): the group pages stay out of the navigation, so a page
# does not carry a nav of every group; MkDocs is told not to report each page left out of it.
BASELINE_BEST_NAV = "nav:\n  - index.md\nvalidation:\n  nav:\n    omitted_files: ignore\n"


def write_baseline_project(
    root: Path, groups: list[GeneratedGroup], *, auto_nav: bool = False
) -> Path:
    """Plain mkdocs-material with its own search over the same group pages; its mkdocs.yml.

    By default its best configuration, the benchmark's baseline: `nav:` lists only the home page
    and `validation: nav: omitted_files: ignore`. With `auto_nav`, no `nav:` (MkDocs lists every
    page in the navigation of every page: the "plain, auto nav" column, slow at large N)."""
    (root / "docs" / "groups").mkdir(parents=True)
    (root / "docs" / "index.md").write_text(
        "# 市民活動団体（比較用サイト）\n\n各団体の紹介ページです。\n", "utf-8"
    )
    for g in groups:
        (root / "docs" / "groups" / f"{g.slug}.md").write_text(baseline_page_text(g), "utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: 比較用サイト\nsite_url: https://portal.example.jp/\ndocs_dir: docs\n"
        "theme:\n  name: material\n  language: ja\n  font: false\nplugins:\n  - search:\n      lang: ja\n"
        + ("" if auto_nav else BASELINE_BEST_NAV),
        "utf-8",
    )
    return root / "mkdocs.yml"


def sample_group_files() -> list[Path]:
    """The repository's own sample group files (groups/*.md)."""
    return sorted(p for p in (REPO / "groups").glob("*.md") if p.name != "README.md")


def write_portal_with_sample(
    root: Path, count: int, events_per_group: float = 0, events_share: float | None = None
) -> Path:
    """A portal of `count` groups: the sample's own groups (and their images) plus generated ones
    up to `count`; its mkdocs.yml. Events, if any, go to the generated groups only."""
    sample = sample_group_files()
    generated = generate_groups(count - len(sample), events_per_group, events_share)
    clash = {g.slug for g in generated} & {p.stem for p in sample}
    if clash:
        raise RuntimeError(f"generated slugs clash with the sample's: {sorted(clash)}")
    config = write_portal_project(root, generated)
    for path in sample:
        shutil.copy(path, root / "groups" / path.name)
    shutil.copytree(REPO / "groups" / "images", root / "groups" / "images")
    return config


# -- command line ----------------------------------------------------------------------------------


def add_event_options(parser: argparse.ArgumentParser) -> None:
    """--events-per-group and --events-share, as every script that generates groups takes them."""
    parser.add_argument(
        "--events-per-group",
        type=float,
        default=0,
        metavar="FLOAT",
        help="events per generated group on average, 20 %% of them recurring (default 0: none); "
        "with --events-share, events per group of that share",
    )
    parser.add_argument(
        "--events-share",
        type=float,
        default=None,
        metavar="FRACTION",
        help="only this share of the generated groups get events, --events-per-group each "
        "(0.25: the 1st, 5th, 9th … group; a group's events do not depend on N); "
        "default: all groups, unevenly",
    )


def check_event_options(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """The parser's error for --events-per-group / --events-share values that make no portal."""
    if args.events_per_group < 0:
        parser.error("--events-per-group must be 0 or more")
    if args.events_share is not None and not 0 < args.events_share <= 1:
        parser.error("--events-share must be more than 0 and at most 1")
    if args.events_share is not None and not args.events_per_group:
        parser.error("--events-share needs --events-per-group")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description="Write a buildable project of generated groups (same arguments, same files)."
    )
    parser.add_argument(
        "--groups",
        type=int,
        required=True,
        metavar="N",
        help="groups in the project; with --with-sample the sample's groups count towards N",
    )
    add_event_options(parser)
    parser.add_argument(
        "--auto-nav",
        action="store_true",
        help="with --baseline: no nav: (MkDocs lists every group page in every page's navigation) "
        "instead of the best configuration (nav: [index.md], omitted_files: ignore)",
    )
    kind = parser.add_mutually_exclusive_group()
    kind.add_argument(
        "--with-sample",
        action="store_true",
        help="also copy the repository's sample groups and groups/images into the portal",
    )
    kind.add_argument(
        "--baseline",
        action="store_true",
        help="write the plain mkdocs-material site of run.py's comparison instead of the portal",
    )
    parser.add_argument(
        "--out", type=Path, required=True, metavar="DIR", help="a new or empty folder"
    )
    args = parser.parse_args(argv)
    if args.groups < 0:
        parser.error("--groups must be 0 or more")
    check_event_options(parser, args)
    if args.baseline and args.events_per_group:
        parser.error("--baseline has no events (plain Material has no equivalent)")
    if args.auto_nav and not args.baseline:
        parser.error("--auto-nav is for --baseline")
    if args.with_sample and args.groups < len(sample_group_files()):
        parser.error(f"--with-sample needs --groups {len(sample_group_files())} or more")
    if args.out.exists() and (not args.out.is_dir() or any(args.out.iterdir())):
        parser.error(f"--out {args.out} exists and is not an empty folder")
    args.out.mkdir(parents=True, exist_ok=True)
    root = args.out.resolve()
    if args.with_sample:
        config = write_portal_with_sample(
            root, args.groups, args.events_per_group, args.events_share
        )
    elif args.baseline:
        config = write_baseline_project(root, generate_groups(args.groups), auto_nav=args.auto_nav)
    else:
        config = write_portal_project(
            root, generate_groups(args.groups, args.events_per_group, args.events_share)
        )
    print(config)


if __name__ == "__main__":
    main()
