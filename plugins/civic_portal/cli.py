"""The `civic` command: checks and helpers over the same loader the MkDocs build uses."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from . import urls
from .clock import build_now
from .importer import apply, plan_import
from .kana import guess_reading, katakana_to_hiragana
from .load import load_site, load_venues, vocabulary_of
from .load.cms_config import CONFIG_PATH, cms_config_yaml
from .load.groups import file_name_problem, group_files
from .load.pull_request import PullRequestError, read_pull_request
from .load.register import slug_for
from .load.register_file import RegisterFileError, read_table
from .load.schema import schema_json
from .model import Problem
from .model.settings import Settings, SettingsError
from .owners import author_problems, codeowners
from .scaffold import new_group_text

SCHEMA_FILE = "group.schema.json"  # in the groups folder, for editors
EXPORT_FORMATS = ("csv", "xlsx")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="civic", description="市民活動ポータルの道具")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "-f", "--config-file", type=Path, default=Path("mkdocs.yml"), help="mkdocs.yml の場所"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser(
        "check", parents=[common], help="団体ファイルとお知らせを検査し、問題をすべて表示します"
    )
    check.add_argument("paths", nargs="*", type=Path, help="検査するファイル（省略時はすべて）")
    check.add_argument("--format", choices=("plain", "github"), default="plain",
                       help="github: GitHub Actions の注釈（PR の変更行に表示）")  # fmt: skip

    pr_check = sub.add_parser(
        "pr-check",
        help="プルリクエストの作成者が変えてよいファイルだけを変えたかを確かめます",
        description="スタッフ・maintainers・団体フォルダはすべて基準のブランチ（--base）から読みます。"
        "このプルリクエストの mkdocs.yml は読みません（読み込むとそのコードが動くため）。",
    )
    pr_check.add_argument(
        "--author", required=True, help="プルリクエストを出した GitHub ユーザー名"
    )
    pr_check.add_argument("--base", required=True, help="基準のブランチ（例: origin/main）")
    pr_check.add_argument("--head", default="HEAD", help="プルリクエストの内容（既定: HEAD）")
    pr_check.add_argument(
        "-f", "--config-file", default="mkdocs.yml", help="mkdocs.yml の場所（リポジトリ内）"
    )
    pr_check.add_argument("--format", choices=("plain", "github"), default="plain")

    schema = sub.add_parser(
        "schema", parents=[common], help="団体ファイルの JSON Schema を出力します"
    )
    schema.add_argument("--write", action="store_true", help=f"groups/{SCHEMA_FILE} に書き出す")

    form = sub.add_parser(
        "cms-config", parents=[common], help="編集フォーム（/admin/）の設定を出力します"
    )
    form.add_argument(
        "--write", action="store_true", help="content/admin/config.yml（docs_dir の中）に書き出す"
    )

    owners = sub.add_parser("owners", parents=[common], help=".github/CODEOWNERS を作ります")
    owners.add_argument("--write", action="store_true", help=".github/CODEOWNERS に書き出す")

    new = sub.add_parser(
        "new-group",
        parents=[common],
        help="新しい団体ファイルを作ります（例: civic new-group 川波こども会）",
        description="団体名を書くと、読みからファイル名（ページのアドレス）を作って確かめます。"
        "足りない項目は画面でたずねます（画面がないときは、足りない項目を知らせて止まります）。",
    )
    new.add_argument(
        "name_or_slug",
        nargs="?",
        metavar="団体名",
        help="団体名（例: 川波こども会）、またはファイル名（英小文字・数字・ハイフン。例: kodomo-kai）",
    )
    new.add_argument("--slug", help="ファイル名（省略時は団体名の読みから作ります）")
    for option, label in (("--name", "団体名"), ("--kana", "読みがな"), ("--summary", "1行紹介"),
                          ("--fields", "活動分野（、区切り）"), ("--areas", "地区（、区切り）"),
                          ("--maintainer", "GitHub ユーザー名")):  # fmt: skip
        new.add_argument(option, help=label)

    newsletter = sub.add_parser("newsletter", help="情報紙（content/newsletters/）の道具")
    newsletter_sub = newsletter.add_subparsers(dest="action", required=True)
    pdf = newsletter_sub.add_parser(
        "pdf", parents=[common], help="情報紙の号を A4 の PDF にします（WeasyPrint）"
    )
    pdf.add_argument("id", help="号のファイル名（例: 2026-12。content/newsletters/2026-12.md）")
    pdf.add_argument(
        "-o", "--output", type=Path, help="書き出す PDF（省略時は site/newsletters/<id>.pdf）"
    )

    export = sub.add_parser("export", help="団体の一覧を表計算ソフト用のファイルに書き出します")
    export_sub = export.add_subparsers(dest="what", required=True)
    export_groups = export_sub.add_parser(
        "groups",
        parents=[common],
        help="団体名簿（全団体、五十音順）を CSV か Excel（.xlsx）に書き出します",
    )
    export_groups.add_argument(
        "--format",
        choices=EXPORT_FORMATS,
        help="csv または xlsx（省略時は -o の拡張子、なければ csv）",
    )
    export_groups.add_argument(
        "-o", "--output", type=Path, help="書き出すファイル（省略時は groups.csv / groups.xlsx）"
    )
    export_groups.add_argument(
        "--include-private",
        action="store_true",
        help="非公開の連絡先（contact.private）も入れます。センターの中だけで扱ってください",
    )

    imports = sub.add_parser("import", help="センターの団体名簿から団体ファイルを作ります")
    import_sub = imports.add_subparsers(dest="what", required=True)
    import_groups = import_sub.add_parser(
        "groups",
        parents=[common],
        help="団体名簿（Excel の .xlsx、または CSV）を読み、groups/ に団体ファイルを書きます",
    )
    import_groups.add_argument("register", type=Path, help="名簿のファイル（.xlsx または .csv）")
    import_groups.add_argument(
        "--dry-run", action="store_true", help="書かずに、書くものと問題だけを表示します"
    )
    import_groups.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="列名=項目",
        help="列の意味を指定します（例: --map 代表者連絡先=contact.private.phone、--map 番号=ignore）",
    )

    args = parser.parse_args(argv)
    if args.command == "pr-check":  # before anything reads this pull request's mkdocs.yml
        return run_pr_check(args)
    mkdocs_config = load_mkdocs_config(args.config_file)
    try:
        settings = mkdocs_config.plugins["civic"].config.settings(mkdocs_config)
    except SettingsError as e:
        print(Problem(Path(args.config_file).name, 1, e.key, e.message))
        return 1
    now = build_now(settings.timezone)  # one "now" for the whole command
    if args.command == "check":
        return run_check(settings, now, args)
    if args.command == "schema":
        return run_schema(settings, now, args.write)
    if args.command == "cms-config":
        return run_cms_config(settings, now, args.write)
    if args.command == "owners":
        return run_owners(settings, now, args.write)
    if args.command == "newsletter":
        return run_newsletter_pdf(mkdocs_config, settings, now, args.id, args.output)
    if args.command == "export":
        return run_export(settings, now, args)
    if args.command == "import":
        return run_import(settings, now, args)
    return run_new_group(settings, now, args)


def load_mkdocs_config(config_file: Path) -> Any:
    """mkdocs.yml validated as MkDocs reads it; a readable message instead of a traceback."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import ConfigurationError

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    try:
        config = load_config(str(config_file))
    except ConfigurationError as e:
        raise SystemExit(f"{config_file}: 設定に誤りがあります: {e}") from None
    except OSError as e:
        raise SystemExit(f"{config_file}: 読めません（{e.strerror}）") from None
    if config.plugins.get("civic") is None:
        raise SystemExit(f"{config_file}: plugins に civic がありません")
    return config


def run_check(settings: Settings, now: dt.datetime, args: argparse.Namespace) -> int:
    paths: list[Path] = args.paths
    problems = [
        Problem(p.as_posix(), 1, "file", "ファイルが見つかりません")
        for p in paths
        if not p.is_file()
    ]
    files = [p for p in paths if p.is_file()] if paths else None
    site, found = load_site(settings, now, files)
    problems += found
    failed = _report(problems, args.format)
    _suggest(site.notices, args.format)
    if failed:
        return 1
    checked = (
        f"{len(files)}ファイル"
        if files is not None
        else f"団体 {len(site.groups)} 件・お知らせ {len(site.news)} 件・情報紙 {len(site.newsletters)} 号"
    )
    print(f"問題はありません（{checked}）。", file=sys.stderr)
    return 0


def _suggest(notices: Sequence[Problem], style: str) -> None:
    """Suggestions (a registered venue, a reading) for the editor to confirm; not errors. Plain:
    on stderr, so that stdout stays the list of problems; GitHub: `::notice` annotations."""
    for notice in notices:
        if style == "github":
            print(_github(notice, "notice"))
        else:
            print(
                f"{notice.path}:{notice.line}: {notice.key}: 提案: {notice.message}",
                file=sys.stderr,
            )
    if notices:
        print(
            f"{len(notices)}件の提案があります（エラーではありません。確かめて、よければ直してください）。",
            file=sys.stderr,
        )


def _github(problem: Problem, level: str = "error") -> str:
    """A GitHub Actions workflow command: the message appears on that line of the PR's diff."""

    def escape(text: str, *, prop: bool = False) -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if prop else text

    return (
        f"::{level} file={escape(problem.path, prop=True)},line={problem.line},"
        f"title={escape(problem.key, prop=True)}::{escape(problem.message)}"
    )


def _report(problems: Sequence[Problem], style: str) -> bool:
    """Print every problem, plain or as GitHub annotations; whether there were any."""
    for problem in sorted(problems):
        print(_github(problem) if style == "github" else problem)
    if problems:
        print(f"\n{len(problems)}件の問題があります。", file=sys.stderr)
    return bool(problems)


def run_pr_check(args: argparse.Namespace) -> int:
    """The ownership rule for a pull request, decided entirely from the base branch."""
    root = Path.cwd()
    try:
        pr = read_pull_request(root, args.base, args.head, args.config_file)
    except PullRequestError as e:
        print(f"プルリクエストの変更を読めません: {e}", file=sys.stderr)
        return 2
    if _report(author_problems(args.author, pr), args.format):
        return 1
    print(
        f"@{args.author.lstrip('@')} さんが変えてよいファイルだけです（{len(pr.changes)}ファイル）。",
        file=sys.stderr,
    )
    return 0


def _emit(text: str, target: Path | None) -> int:
    """A generated file: written to `target` (--write), else printed."""
    if target is None:
        sys.stdout.write(text)
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    print(f"{target} を書きました。", file=sys.stderr)
    return 0


def run_schema(settings: Settings, now: dt.datetime, write: bool) -> int:
    text = schema_json(vocabulary_of(settings, now.date()))
    return _emit(text, settings.groups_path / SCHEMA_FILE if write else None)


def run_cms_config(settings: Settings, now: dt.datetime, write: bool) -> int:
    venues, _ = load_venues(settings)
    text = cms_config_yaml(settings, vocabulary_of(settings, now.date(), venues))
    return _emit(text, settings.docs_dir.joinpath(*CONFIG_PATH) if write else None)


def run_owners(settings: Settings, now: dt.datetime, write: bool) -> int:
    site, problems = load_site(settings, now)
    if _report(problems, "plain"):
        return 1
    text = codeowners(site.groups, settings.staff, settings.staff_team, settings.groups_dir)
    return _emit(text, settings.root / ".github" / "CODEOWNERS" if write else None)


def run_newsletter_pdf(
    mkdocs_config: Any, settings: Settings, now: dt.datetime, issue_id: str, output: Path | None
) -> int:
    """The same PDF `mkdocs build` puts in the archive (and the same cache)."""
    from .outputs.printing import newsletter_pdfs
    from .plugin import print_template
    from .render.pdf import PdfUnavailable

    site, problems = load_site(settings, now)
    if problems:
        for problem in sorted(problems):
            print(problem)
        print(
            f"\n{len(problems)}件の問題があります。直してから PDF を作ってください。",
            file=sys.stderr,
        )
        return 1
    stem = Path(issue_id).stem
    issue = next((n for n in site.newsletters if n.id == stem), None)
    if issue is None:
        known = "、".join(n.id for n in site.newsletters) or "（まだありません）"
        print(
            f"「{issue_id}」という号はありません（{settings.newsletters.dir}/{stem}.md）。ある号: {known}",
            file=sys.stderr,
        )
        return 2
    try:
        [(_, pdf, info, _)] = newsletter_pdfs(
            settings, site, [issue], print_template(mkdocs_config)
        )
    except PdfUnavailable as e:
        print(f"PDF を作れません: {e}", file=sys.stderr)
        return 1
    # By default where the built site has it (site/newsletters/<id>.pdf, as at its URL); site/
    # is the build's output folder, which git ignores.
    target = output or Path(mkdocs_config.site_dir) / urls.newsletter_pdf(issue.src_uri)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(pdf)
    shown = target.resolve()
    shown = shown.relative_to(Path.cwd()) if shown.is_relative_to(Path.cwd()) else shown
    print(
        f"{shown} を書きました（{issue.label}・A4・{info.pages}ページ・{-(-info.size // 1024)}KB）。",
        file=sys.stderr,
    )
    return 0


def run_export(settings: Settings, now: dt.datetime, args: argparse.Namespace) -> int:
    """The group register for the staff's spreadsheets (the columns `civic import groups` reads)."""
    from .load.private import private_contacts
    from .outputs.register import group_register, register_csv, register_xlsx

    output: Path | None = args.output
    suffix = output.suffix.lower().lstrip(".") if output is not None else ""
    fmt = args.format or (suffix if suffix in EXPORT_FORMATS else "csv")
    if suffix in EXPORT_FORMATS and suffix != fmt:
        print(
            f"--format {fmt} と書き出すファイル {output} の拡張子が合っていません",
            file=sys.stderr,
        )
        return 2
    site, problems = load_site(settings, now)
    if _report(problems, "plain"):
        return 1
    private = (
        private_contacts(settings.groups_path, settings.root) if args.include_private else None
    )
    register = group_register(site, settings, private)
    content = register_xlsx(register) if fmt == "xlsx" else register_csv(register)
    target = output or Path(f"groups.{fmt}")
    try:
        target.write_bytes(content)
    except OSError as e:
        print(f"{target} に書けません（{e.strerror}）", file=sys.stderr)
        return 1
    inactive = len(site.inactive_groups)
    print(
        f"{target} を書きました（団体 {len(register.rows)} 件: 活動中 "
        f"{len(register.rows) - inactive} 件・休止中 {inactive} 件）。",
        file=sys.stderr,
    )
    if private is not None:
        print(
            f"注意: {target} にはサイトで公開していない個人情報（非公開の担当者・電話番号・メール・"
            f"住所・メモ、{len(private)} 団体分）が入っています。センターの中だけで扱い、"
            "メールや共有フォルダで外に出さないでください。リポジトリにコミットしないでください。"
            "使い終わったら削除してください。",
            file=sys.stderr,
        )
        if target.resolve().is_relative_to(settings.root.resolve()):
            print(
                f"このファイルはポータルのフォルダ（{settings.root}）の中にあります。"
                "git add しないよう、使い終わったらすぐに削除するか別の場所へ移してください。",
                file=sys.stderr,
            )
    return 0


_NEW_GROUP_QUESTIONS = (
    ("name", "団体名"),
    ("kana", "読みがな（ひらがな）"),
    ("summary", "1行紹介（120文字以内）"),
    ("fields", "活動分野（1〜3つ、「、」で区切る）"),
    ("areas", "地区（「、」で区切る。なければ空）"),
    ("maintainer", "あなたの GitHub ユーザー名（なければ空）"),
)
_NEW_GROUP_REQUIRED = ("name", "kana", "summary", "fields")


def run_new_group(settings: Settings, now: dt.datetime, args: argparse.Namespace) -> int:
    """A commented group file from a name (or a file name): what is missing is asked on a
    terminal; without one, nothing is written and the missing options are named."""
    given, slug = args.name_or_slug, args.slug
    if given and given.isascii() and slug is None:
        slug = given  # a file name, as before
    elif given:
        if args.name and args.name != given:
            print(
                "団体名は1つだけ書いてください（--name か、最初の引数のどちらか）", file=sys.stderr
            )
            return 2
        args.name = given
    interactive = sys.stdin.isatty()
    answers: dict[str, str] = {}
    for key, label in _NEW_GROUP_QUESTIONS:
        value = getattr(args, key)
        if value is None and interactive:
            suggestion = (
                guess_reading(answers["name"]) if key == "kana" and answers.get("name") else ""
            )
            value = _ask(label, katakana_to_hiragana(suggestion))
        answers[key] = (value or "").strip()
    missing = [key for key in _NEW_GROUP_REQUIRED if not answers[key]]
    if missing:
        options = " ".join(f"--{key} …" for key in missing)
        print(
            f"足りない項目があるので、ファイルを作りませんでした: {options}"
            "（画面から実行すると、ひとつずつたずねます）",
            file=sys.stderr,
        )
        return 2
    taken = {p.stem for p in group_files(settings.groups_path)}
    # made from the name's reading once, and only when it is needed (pykakasi loads a dictionary)
    suggested = cache(
        lambda: slug_for(answers["kana"], answers["name"], taken, settings.legal_forms)
    )
    if slug is None:
        slug = (
            _ask("ファイル名（ページのアドレス /groups/…/ になります）", suggested())
            if interactive
            else suggested()
        )
    problem = _slug_problem(slug, taken)
    while problem and interactive:
        print(problem, file=sys.stderr)
        slug = _ask("ファイル名", suggested())
        problem = _slug_problem(slug, taken)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    target = settings.groups_path / f"{slug}.md"
    text = new_group_text(slug, answers, vocabulary_of(settings, now.date()))
    target.write_text(text, encoding="utf-8")
    _, problems = load_site(settings, now, [target])
    for problem_line in sorted(problems):
        print(problem_line)
    print(
        f"{target.relative_to(settings.root)} を作りました（ページ: /groups/{slug}/）。"
        + ("上の問題を直してください。" if problems else ""),
        file=sys.stderr,
    )
    return 1 if problems else 0


def _ask(label: str, default: str = "") -> str:
    """One question on the terminal; Enter keeps the suggestion shown in [ ]."""
    answer = input(f"{label}{f' [{default}]' if default else ''}: ").strip()
    return answer or default


def _slug_problem(slug: str, taken: set[str]) -> str | None:
    """The loader's own rule for a file name, and not one already taken."""
    if problem := file_name_problem(slug):
        return problem
    if slug in taken:
        return f"groups/{slug}.md はもうあります。別の名前にするか、そのファイルを編集してください"
    return None


def run_import(settings: Settings, now: dt.datetime, args: argparse.Namespace) -> int:
    """A centre's register into group files: the whole plan first, then every file at once."""
    overrides: dict[str, str] = {}
    for item in args.map:
        column, sep, key = item.partition("=")
        if not sep or not column.strip():
            print(f"--map は 列名=項目 の形で書いてください（今は「{item}」）", file=sys.stderr)
            return 2
        overrides[column.strip()] = key.strip()
    try:
        table = read_table(args.register)
    except RegisterFileError as e:
        print(Problem(str(args.register), e.line, "file", e.message))
        return 1
    venues, _ = load_venues(settings)  # a place the register names as a venue gets its id
    vocabulary = vocabulary_of(settings, now.date(), venues)
    plan = plan_import(table, overrides, vocabulary, settings.groups_path, settings.root)
    sheet = f"・シート「{table.sheet}」" if table.sheet else ""
    print(
        f"名簿: {table.path}（{table.encoding}{sheet}、見出しは {table.header_row} 行目、"
        f"データ {len(table.rows)} 行）"
    )
    named = ", ".join(f"{table.headers[i]}→{k}" for i, k in sorted(plan.columns.keys.items()))
    print(f"読んだ列: {named}")
    if plan.columns.private:
        print(f"非公開として contact.private にだけ入れた列: {'、'.join(plan.columns.private)}")
    if plan.columns.unknown:
        unknown = "、".join(plan.columns.unknown)
        print(f"知らない列（取り込んでいません。--map 列名=項目 で指定できます）: {unknown}")
    verb = "書きます" if args.dry_run else "書きました"
    for write in plan.writes:
        rel = write.path.relative_to(settings.root).as_posix()
        print(f"{verb}: {rel}（{'新規' if write.new else '更新'}・名簿の {write.row} 行目）")
    if plan.unchanged:
        print(f"変わりなし: {len(plan.unchanged)} 件")
    for title, lines in (
        ("確かめてください（このように読みました）", plan.confirm),
        (
            "食い違い（団体がファイルを書きかえているので、ファイルのままにしました）",
            plan.conflicts,
        ),
    ):
        if lines:
            print(f"\n{title}:")
            for line in lines:
                print(f"  {line}")
    if plan.problems:
        print("\n問題（次の行は書いていません。名簿を直してもう一度取り込んでください）:")
    _report(plan.problems, "plain")
    if not args.dry_run:
        apply(plan, settings.groups_path)
    return 1 if plan.problems else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
