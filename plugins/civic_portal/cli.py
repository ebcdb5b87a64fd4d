"""The `civic` command: checks over the same loader the MkDocs build uses."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .clock import build_now
from .config import CivicConfig
from .load import config_problems, load_site
from .model import Problem


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="civic", description="市民活動ポータルの道具")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser(
        "check",
        help="団体ファイルを検査し、問題をすべて「ファイル:行: 項目: 内容」で表示します",
        description="Validate group files; print every problem as path:line: key: message.",
    )
    check.add_argument(
        "paths", nargs="*", type=Path, help="検査するファイル（省略時は groups/ すべて）"
    )
    check.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"))
    args = parser.parse_args(argv)
    if args.command == "check":
        return run_check(args.config_file, args.paths)
    return 2  # pragma: no cover - argparse requires a command


def load_plugin_config(config_file: Path) -> CivicConfig:
    """The `civic` plugin's validated options from mkdocs.yml, as MkDocs itself reads them."""
    return load_mkdocs_config(config_file).plugins["civic"].config  # type: ignore[no-any-return]


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


def run_check(config_file: Path, paths: Sequence[Path]) -> int:
    mkdocs_config = load_mkdocs_config(config_file)
    config = mkdocs_config.plugins["civic"].config
    root = config_file.resolve().parent
    now = build_now(config.timezone)
    missing = [p for p in paths if not p.is_file()]
    problems: list[Problem] = [
        Problem(p.as_posix(), 1, "file", "ファイルが見つかりません") for p in missing
    ]
    files = [p for p in paths if p.is_file()] if paths else None
    site, found = load_site(config, root, now, files, docs_dir=Path(mkdocs_config.docs_dir))
    problems += found + config_problems(mkdocs_config, config_file)
    for problem in sorted(problems):
        print(problem)
    if problems:
        print(f"\n{len(problems)}件の問題があります。", file=sys.stderr)
        return 1
    print(f"問題はありません（団体 {len(site.groups)} 件）。", file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
