"""The web form at /admin/: Decap CMS, copied from the npm package into the site (nothing is
loaded from another host), the portal's own script, and a page that loads both.

The form's configuration is the committed content/admin/config.yml, copied as a static file; it
must equal what `civic cms-config` generates from the group-file contract, else the build stops.
Without the npm package (no `npm ci`: a machine without Node.js) the site is built without
/admin/, and every citizen page is the same.
"""

from __future__ import annotations

import dataclasses
import json
from html import escape
from importlib import resources
from pathlib import Path

import yaml

from ..load.cms_config import CONFIG_PATH, config_text, key_order, portal_cms_config
from ..load.group_contract import MESSAGES
from ..load.groups import Vocabulary
from ..model import Problem
from ..model.settings import Settings
from .site import OutputFile

BUNDLE = ("node_modules", "decap-cms", "dist")
ADMIN = "admin"
GUIDE_URL = "../editing-form/"

# Decap's own validation messages, in `civic check`'s wording (%{...} are Decap's placeholders).
_VALIDATION = {
    "required": MESSAGES["required"].replace(": 」", "」").format(key="%{fieldLabel}"),
    "regexPattern": "%{pattern}",  # the pattern's own message, from the configuration
    "range": MESSAGES["range"].format(minimum="%{minValue}", maximum="%{maxValue}"),
    "min": "%{minValue}以上の数で書いてください",
    "max": "%{maxValue}以下の数で書いてください",
    "rangeCount": MESSAGES["min_items"].format(count="%{minCount}")
    + "。"
    + MESSAGES["max_items"].format(count="%{maxCount}"),
    "rangeCountExact": "%{count}個にしてください",
    "rangeMin": MESSAGES["min_items"].format(count="%{minCount}"),
    "rangeMax": MESSAGES["max_items"].format(count="%{maxCount}"),
}
# The phrases of Decap's English locale that its Japanese one lacks (decap-cms 3.16: 46 of 248;
# tests/browser/test_admin.py counts them again against the installed package).
_MISSING_JA = {
    "auth": {"loginWithForgejo": "Forgejo でログインする"},
    "collection": {
        "collectionTop": {"viewAsList": "リスト表示", "viewAsGrid": "グリッド表示"},
        "entries": {"unpublishedHeader": "未公開（確認待ち）"},
    },
    "editor": {
        "editorControl": {"field": {"widgetLabel": "入力欄"}},
        "editorControlPane": {
            "widget": _VALIDATION,
            "i18n": {
                "copyFromLocale": "ほかの言語から入力する",
                "copyFromLocaleConfirm": "%{locale} の内容で入力しますか？\n入力済みの内容はすべて上書きされます。",
            },
        },
        "editorInterface": {"toggleNotes": "メモを表示・非表示"},
        "editorNotesPane": {
            "title": "メモ",
            "emptyState": "メモはまだありません",
            "addNote": "メモを追加",
            "addPlaceholder": "メモを書く…",
            "editPlaceholder": "メモを直す…",
            "save": "保存",
            "cancel": "やめる",
            "edit": "直す",
            "delete": "削除",
            "resolve": "解決済みにする",
            "unresolve": "未解決に戻す",
            "confirmDelete": "このメモを削除しますか？",
            "shortcut": "Ctrl+Enter ですぐにメモを追加できます",
        },
        "editorWidgets": {
            "markdown": {
                "strikethrough": "取り消し線",
                "toggleMode": {"rich": "見たまま編集", "markdown": "Markdown で編集"},
            },
            "image": {
                "chooseMultiple": "画像を選ぶ",
                "addMore": "画像を追加",
                "removeAll": "画像をすべて外す",
            },
            "file": {
                "chooseMultiple": "ファイルを選ぶ",
                "addMore": "ファイルを追加",
                "removeAll": "ファイルをすべて外す",
            },
            "datetime": {"setToNow": "今の日時にする"},
            "list": {"add": "%{item} を追加", "addType": "%{item} を追加"},
            "object": {"expand": "開く", "collapse": "閉じる"},
        },
    },
    "mediaLibrary": {"mediaLibraryModal": {"close": "閉じる"}},
    "ui": {
        "settingsDropdown": {"account": "アカウント"},
        "toast": {
            "noteAdded": "メモを追加しました",
            "onFailToAddNote": "メモを追加できませんでした: %{details}",
            "noteUpdated": "メモを直しました",
            "onFailToUpdateNote": "メモを直せませんでした: %{details}",
            "noteDeleted": "メモを削除しました",
            "onFailToDeleteNote": "メモを削除できませんでした: %{details}",
            "noteResolved": "メモを解決済みにしました",
            "noteReopened": "メモを未解決に戻しました",
            "onFailToToggleNote": "メモの状態を変えられませんでした: %{details}",
        },
    },
}


def phrases() -> dict[str, object]:
    """What the portal adds to Decap's Japanese phrases (merged over them in civic-cms.js)."""
    return _MISSING_JA


def admin_page(site_name: str, order: dict[str, list[str]]) -> str:
    """The page at /admin/, with what civic-cms.js needs: the phrases and each mapping's key
    order in the form configuration it is served with."""
    form = {"phrases": phrases(), "keyOrder": order}
    data = json.dumps(form, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    return f"""<!doctype html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>団体ページの編集 | {escape(site_name)}</title>
<style>
/* Decap's greys and reds are 3.4–4.2:1 against their backgrounds; WCAG 1.4.3 asks 4.5:1. Field
   labels keep one readable colour in every state (an error is said by the red list above the
   field and the box's border). */
[class*="ButtonText"], [class*="AppHeaderSiteLink"], [class*="AppHeaderButton"],
[class*="AppHeader"] p, [class*="grayText"], [class*="TopDescription"], [class*="ColumnCount"],
[class*="CardDateContainer"], [class*="CardBody"], [class*="ControlHint"], [class*="LoaderItem"],
a[href$="#/workflow"] {{ color: #4a5260 !important; }}
[class*="caretDown-caretDown "] {{ background-color: #4a5260 !important; }}
::placeholder {{ color: #5c6370 !important; opacity: 1; }}
/* Decap lays its editor out for a desktop; on a phone its toolbar and panes ran 800px wide. */
@media (max-width: 640px) {{
  [class*="BackCollection"], [class*="ToolbarSectionMeta"], [class*="PreviewButtonContainer"] {{ display: none !important; }}
  [class*="ToolbarSectionBackLink"], [class*="ToolbarSectionMain"] {{ padding: 0 6px !important; min-width: 0 !important; }}
  [class*="ToolbarContainer"] {{ min-width: 0 !important; }}
  [class*="ControlPane"], [class*="EditorContainer"], [class*="StyledSplitPane"], [class*="NoPreviewContainer"] {{
    min-width: 0 !important; max-width: 100vw !important; width: 100% !important; }}
}}
.Toastify__toast--error {{ background-color: #b52a1c !important; }}
.Toastify__toast--success {{ background-color: #1d6e36 !important; }}
.Toastify__toast--info {{ background-color: #1f5fa8 !important; }}
.Toastify__toast--warning {{ background-color: #8a5a00 !important; }}
label[class*="FieldLabel"] {{ color: #1f2329 !important; background-color: #e3e4ea !important; }}
[class*="ControlErrorsList"] li, [class*="textBadgeDanger"] {{ color: #b00020 !important; }}
[class*="StatusButton"] {{ color: #0b5f6b !important; }}
[class*="PublishButton"] {{ background-color: #0b6e7d !important; }}
</style>
</head>
<body>
<noscript><p>団体ページの編集フォームには JavaScript が必要です。使い方は <a href="{GUIDE_URL}">フォームで編集する</a> を見てください。</p></noscript>
<script type="application/json" id="civic-form">{data}</script>
<script src="decap-cms.js"></script>
<script src="civic-cms.js"></script>
</body>
</html>
"""


def bundle_files(root: Path) -> list[Path]:
    """The CMS files the page needs: the bundle, the chunks it loads on demand, its WebAssembly
    and its licence notice (not the source maps)."""
    dist = root.joinpath(*BUNDLE)
    if not (dist / "decap-cms.js").is_file():
        return []
    names = ["decap-cms.js", "decap-cms.js.LICENSE.txt"]
    names += sorted(p.name for p in dist.glob("*.decap-cms.js"))
    names += sorted(p.name for p in dist.glob("*.wasm"))
    return [dist / n for n in names if (dist / n).is_file()]


def admin_outputs(
    settings: Settings, vocabulary: Vocabulary, *, serving: bool = False
) -> tuple[list[OutputFile], list[Problem]]:
    """/admin/ (the page, our script and the CMS bundle), generated once from the contract: a
    problem when the committed configuration is not what the contract generates; no files
    without that configuration (a portal without one has no form) or without the bundle.
    `serving`: a preview (`mkdocs serve`), whose site URL is its own local address, so the
    committed file's `site_url` is taken as it is (the build checks it)."""
    path = settings.docs_dir.joinpath(*CONFIG_PATH)
    if not path.is_file():
        return [], []
    committed = path.read_text(encoding="utf-8")
    if serving:
        settings = dataclasses.replace(settings, site_url=_committed_site_url(committed))
    config = portal_cms_config(settings, vocabulary)
    if committed != config_text(config):
        problem = Problem(
            f"{settings.docs_dir.name}/{'/'.join(CONFIG_PATH)}",
            1,
            "cms-config",
            "編集フォームの設定が団体ファイルの決まり（mkdocs.yml の分野・地区など）と合っていません。"
            "civic cms-config --write を実行して、できたファイルをコミットしてください",
        )
        return [], [problem]
    bundle = bundle_files(settings.root)
    if not bundle:
        return [], []
    script = resources.files("civic_portal").joinpath("admin/civic-cms.js")
    files = [
        OutputFile(f"{ADMIN}/index.html", admin_page(settings.site_name, key_order(config))),
        OutputFile(f"{ADMIN}/civic-cms.js", script.read_text(encoding="utf-8")),
    ]
    files += [OutputFile(f"{ADMIN}/{p.name}", source=str(p)) for p in bundle]
    return files, []


def _committed_site_url(text: str) -> str:
    """The `site_url` the committed configuration names ("" if it cannot be read)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return ""
    value = data.get("site_url") if isinstance(data, dict) else None
    return value if isinstance(value, str) else ""
