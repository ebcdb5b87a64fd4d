"""Newsletter PDFs: seconds per A4 page, ours beside WeasyPrint printing a plain HTML file of the
same text, in one run.

    .venv/bin/python bench/pdf.py [--runs 3] [--repeat 1]

For each sample issue (content/newsletters/*.md) it prints:
- render: WeasyPrint's own time for our print document (same process, warm), and for a plain
  HTML file holding the same text in <p>s with only a font and an A4 page (the baseline);
- command: `civic newsletter pdf <id>` with an empty cache (start-up, git history, Markdown,
  templates, fonts, WeasyPrint) beside the `weasyprint` command on the plain file.
The goal is at most 1.2x the baseline per page. `--repeat N` makes each issue N times longer
(the body repeated) to see how the cost grows with pages.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "plugins"))

PLAIN_CSS = (
    "@page { size: A4; margin: 14mm 13mm 16mm; }"
    'body { font-family: "Noto Sans CJK JP", sans-serif; font-size: 9.5pt; line-height: 1.6; }'
)


def plain_html(document: str) -> str:
    """The same characters as `document`, one <p> per line of text, and nothing else."""
    body = re.sub(r"(?s)<(style|script|head)\b.*?</\1>", "", document)
    text = re.sub(r"<[^>]+>", "\n", body)
    lines = [html.escape(line.strip()) for line in html.unescape(text).splitlines() if line.strip()]
    return (
        f'<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>{PLAIN_CSS}</style>'
        f"</head><body>{''.join(f'<p>{line}</p>' for line in lines)}</body></html>"
    )


def timed(action, runs: int, clock=time.perf_counter) -> float:  # type: ignore[no-untyped-def]
    """Median seconds of `runs` calls; `clock=time.process_time` counts this process's CPU only,
    which other work on the machine disturbs far less than wall time."""
    seconds = []
    for _ in range(runs):
        start = clock()
        action()
        seconds.append(clock() - start)
    return statistics.median(seconds)


def copy_project(target: Path, repeat: int) -> Path:
    """The sample portal in a temporary folder, each issue's body repeated `repeat` times."""
    for name in ("mkdocs.yml", "content", "groups", "overrides"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy2(source, target / name)
    for issue in (target / "content" / "newsletters").glob("*.md"):
        text = issue.read_text(encoding="utf-8")
        _, front, body = text.split("---\n", 2)
        prose = re.sub(r"(?s)```newsletter\n.*?```\n", "", body)
        issue.write_text(f"---\n{front}---\n{body}{prose * (repeat - 1)}", encoding="utf-8")
    return target / "mkdocs.yml"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()

    import weasyprint

    from civic_portal.cli import load_mkdocs_config
    from civic_portal.clock import build_now
    from civic_portal.load import load_site
    from civic_portal.outputs.printing import print_document
    from civic_portal.plugin import print_template
    from civic_portal.render.pdf import render_pdf

    with tempfile.TemporaryDirectory() as tmp:
        config_file = copy_project(Path(tmp), args.repeat)
        config = load_mkdocs_config(config_file)
        settings = config.plugins["civic"].config.settings(config)
        site, problems = load_site(settings, build_now(settings.timezone))
        assert not problems, problems
        print(
            f"WeasyPrint {weasyprint.__version__}, median of {args.runs} runs, body x{args.repeat}"
        )
        print("render: WeasyPrint CPU seconds in this process; command: wall seconds, cold cache")
        print(f"{'issue':<8} {'pages':>5} {'render s':>8} {'s/page':>7} | {'plain pages':>11} "
              f"{'render s':>8} {'s/page':>7} | {'same text':>9} {'per page':>8} | "
              f"{'command s':>9} {'plain':>6} {'s/page':>6} {'plain':>6} | goal s/page <= 1.2x")  # fmt: skip
        cache = config_file.parent / settings.newsletters.cache_dir
        template = print_template(config)
        for issue in site.newsletters:
            document, base, _ = print_document(settings, site, issue, template)
            plain = plain_html(document)
            plain_file = Path(tmp) / f"{issue.id}-plain.html"
            plain_file.write_text(plain, encoding="utf-8")
            _, pages = render_pdf(document, base)  # warm fonts and caches once
            _, plain_pages = render_pdf(plain, plain_file.parent.as_uri() + "/")
            cpu = time.process_time
            ours = timed(lambda d=document, b=base: render_pdf(d, b), args.runs, cpu)
            base_url = plain_file.parent.as_uri() + "/"
            theirs = timed(lambda p=plain, b=base_url: render_pdf(p, b), args.runs, cpu)

            def command(issue_id: str = issue.id, cache: Path = cache) -> None:
                shutil.rmtree(cache, ignore_errors=True)
                subprocess.run(
                    [sys.executable, "-m", "civic_portal.cli", "newsletter", "pdf", issue_id,
                     "-f", str(config_file), "-o", str(Path(tmp) / "ours.pdf")],
                    check=True, capture_output=True,
                )  # fmt: skip

            def plain_command(path: Path = plain_file) -> None:
                subprocess.run(
                    [sys.executable, "-m", "weasyprint", str(path), str(Path(tmp) / "plain.pdf")],
                    check=True,
                    capture_output=True,
                )

            ours_cmd, plain_cmd = timed(command, args.runs), timed(plain_command, args.runs)
            per_page = (ours / pages) / (theirs / plain_pages)
            print(
                f"{issue.id:<8} {pages:>5} {ours:>8.2f} {ours / pages:>7.3f} | {plain_pages:>11} "
                f"{theirs:>8.2f} {theirs / plain_pages:>7.3f} | {ours / theirs:>8.2f}x "
                f"{per_page:>7.2f}x | {ours_cmd:>9.2f} {plain_cmd:>6.2f} {ours_cmd / pages:>6.2f} "
                f"{plain_cmd / plain_pages:>6.2f} | {'ok' if per_page <= 1.2 else 'OVER'}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
