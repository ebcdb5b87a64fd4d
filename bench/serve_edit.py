"""The edit loop: with `mkdocs serve` on a portal, the seconds from saving one group file until
the browser shows the change (issue 15: at most 10 s on 1,000 groups with 5,000 events).

    .venv/bin/python bench/serve_edit.py --groups 1000 --events-per-group 5
    .venv/bin/python bench/serve_edit.py --groups 200 --also-dirty          # quick check
    .venv/bin/python bench/serve_edit.py --project /tmp/portal              # an existing project

It starts `python -m mkdocs serve -f <mkdocs.yml> -a 127.0.0.1:<free port> --livereload` (MkDocs'
default serve: every change rebuilds the site; the civic plugin has the rebuild write over
the previous one and reuses what did not change) in a new session, waits until the home page
answers, opens the group's page in Chromium (/usr/bin/chromium through Playwright; nothing is
downloaded), then, `--edits` times, appends a new marker sentence to the Markdown body of that
group file (a real write to disk) and waits until the marker is in the page's
`document.body.innerText`: MkDocs' livereload script reloads the page by itself. The file is
restored at the end and the server's whole process group is stopped. With `--also-dirty` the
same is measured again with `mkdocs serve --dirty`, an option a user could choose, reported
separately. bench/run.py --edit-loop runs measure_edit_loop on the portal it has just built.

"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO, Any

# bench/ is a folder of scripts, not a package: they import each other from this folder.
from generate import (
    REPO,
    add_event_options,
    check_event_options,
    generate_groups,
    write_portal_project,
)
from measure import BUILD_ENV, CHROMIUM, TreeMemory, free_port

GOAL_SECONDS = 10.0
# The page shows the marker: MkDocs has rebuilt the site and the page has reloaded itself.
MARKER_SHOWN = "m => document.body !== null && document.body.innerText.includes(m)"


class ServerLog(threading.Thread):
    """Reads the server's stderr: every line, with the monotonic time it arrived, also copied
    to a log file."""

    def __init__(self, stream: IO[bytes], path: Path) -> None:
        super().__init__(daemon=True)
        self.stream, self.path = stream, path
        self.lines: list[tuple[float, str]] = []
        self.lock = threading.Lock()

    def run(self) -> None:
        with self.path.open("w", encoding="utf-8") as log:
            for raw in self.stream:
                now = time.monotonic()
                line = raw.decode("utf-8", errors="replace").rstrip()
                with self.lock:
                    self.lines.append((now, line))
                log.write(line + "\n")
                log.flush()

    def since(self, start: float) -> list[tuple[float, str]]:
        with self.lock:
            return [(t, line) for t, line in self.lines if t >= start]

    def tail(self, count: int = 30) -> str:
        with self.lock:
            return "\n".join(line for _, line in self.lines[-count:])

    def count(self, text: str) -> int:
        with self.lock:
            return sum(text in line for _, line in self.lines)


def wait_until_serving(
    proc: subprocess.Popen[bytes], url: str, log: ServerLog, timeout: float
) -> None:
    """Poll `url` until it answers 200 (MkDocs serves only after its first build)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.join(5)  # the rest of its stderr
            hint = ""
            raise RuntimeError(f"mkdocs serve exited ({proc.returncode}):\n{log.tail()}{hint}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    raise RuntimeError(f"mkdocs serve did not answer {url} within {timeout:.0f} s:\n{log.tail()}")


def wait_until_idle(log: ServerLog, timeout: float) -> None:
    """Until every rebuild the server started has ended (reloaded the browsers, or failed)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        started = log.count("Detected file changes")
        ended = log.count("Reloading browsers") + log.count("An error happened during the rebuild")
        if ended >= started:
            return
        time.sleep(0.2)


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server's whole process group (it has its own session): SIGINT first, so MkDocs
    shuts down and removes its temporary site folder, SIGKILL if it has not ended in 20 s."""
    if proc.poll() is not None:
        return
    for sig, grace in ((signal.SIGINT, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(grace)
            return
        except subprocess.TimeoutExpired:
            continue


def server_breakdown(log: ServerLog, written: float, shown: float) -> dict[str, Any]:
    """From the server's log after the write: when it noticed the change, when the rebuild ended
    (it logs "Reloading browsers"), the build time MkDocs reports; the rest is the browser."""
    detected = reloaded = None
    built = None
    failed = False
    for t, line in log.since(written):
        if detected is None and "Detected file changes" in line:
            detected = t
        elif detected is not None and (m := re.search(r"Documentation built in ([\d.]+) s", line)):
            built = float(m.group(1))
        elif detected is not None and "Reloading browsers" in line and t <= shown:
            reloaded = t
            break
        elif "An error happened during the rebuild" in line:
            failed = True
    return {
        "detected_after_s": round(detected - written, 2) if detected else None,
        "rebuild_s": round(reloaded - detected, 2) if detected and reloaded else None,
        "build_reported_s": built,
        "browser_s": round(shown - reloaded, 2) if reloaded else None,
        "rebuild_failed": failed,
    }


def measure_edit_loop(
    config: Path,
    group_file: Path,
    *,
    edits: int = 3,
    timeout: float = 180,
    start_timeout: float = 1800,
    dirty: bool = False,
    log_dir: Path | None = None,
) -> dict[str, Any]:
    """Serve the project of `config`, edit `group_file` `edits` times and time each change from
    the write until Chromium shows it; the file is restored afterwards. The server's log goes to
    `log_dir` (default: beside `config`) as serve.log or serve-dirty.log."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        raise RuntimeError(f"the edit loop needs Chromium at {CHROMIUM}")
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "serve",
        "-f",
        str(config),
        "-a",
        f"127.0.0.1:{port}",
        "--livereload",
        *(["--dirty"] if dirty else []),
    ]
    env = {**os.environ, **BUILD_ENV}
    slug = group_file.stem
    page_url = f"http://127.0.0.1:{port}/groups/{slug}/"
    original = group_file.read_bytes()
    started = time.monotonic()
    proc = subprocess.Popen(
        command,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        start_new_session=True,  # its own process group: stopped as a whole, Pagefind included
    )
    assert proc.stderr is not None
    log_path = (log_dir or config.parent) / ("serve-dirty.log" if dirty else "serve.log")
    log = ServerLog(proc.stderr, log_path)
    log.start()
    memory = TreeMemory(proc.pid)
    memory.start()
    runs: list[dict[str, Any]] = []
    try:
        wait_until_serving(proc, f"http://127.0.0.1:{port}/", log, start_timeout)
        first_build = time.monotonic() - started
        print(f"  serving after {first_build:.1f} s (first build)", flush=True)
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=str(CHROMIUM),
                args=["--no-sandbox", "--disable-background-networking"],
            )
            page = browser.new_page()
            page.goto(page_url, wait_until="load", timeout=120_000)
            if "livereload" not in page.content():
                raise RuntimeError("the served page has no livereload script")
            text = original.decode("utf-8")
            for i in range(1, edits + 1):
                wait_until_idle(log, timeout)
                token = f"EDIT{i}X{secrets.token_hex(4).upper()}"
                sentence = f"この一文は編集の反映時間を測るための目印です（{token}）。"
                written = time.monotonic()
                group_file.write_text(f"{text.rstrip()}\n\n{sentence}\n", "utf-8")
                shown: float | None = None
                deadline = written + timeout
                while shown is None and time.monotonic() < deadline:
                    remaining = max(1.0, deadline - time.monotonic())
                    try:
                        page.wait_for_function(
                            MARKER_SHOWN, arg=token, polling=100, timeout=remaining * 1000
                        )
                        shown = time.monotonic()
                    except PlaywrightTimeout:
                        break
                    except PlaywrightError:  # the page navigated (reloaded) while checking
                        time.sleep(0.05)
                if shown is None:
                    run = {"seconds": None, "timed_out": True}
                    run |= server_breakdown(log, written, time.monotonic())
                    print(f"  edit {i}: not shown within {timeout:.0f} s", flush=True)
                else:
                    run = {"seconds": round(shown - written, 2), "timed_out": False}
                    run |= server_breakdown(log, written, shown)
                    print(
                        f"  edit {i}: {run['seconds']:.1f} s (change noticed after "
                        f"{run['detected_after_s']} s, rebuild {run['rebuild_s']} s, MkDocs "
                        f"reports {run['build_reported_s']} s, browser {run['browser_s']} s)",
                        flush=True,
                    )
                runs.append(run)
            browser.close()
    finally:
        group_file.write_bytes(original)
        stop_server(proc)
        memory.stop()
        log.join(5)
    times = [r["seconds"] for r in runs if r["seconds"] is not None]
    median = round(statistics.median(times), 2) if len(times) == len(runs) and runs else None
    return {
        "command": "mkdocs serve --livereload" + (" --dirty" if dirty else ""),
        "dirty": dirty,
        "group": slug,
        "first_build_seconds": round(first_build, 1),
        "edits": runs,
        "median_seconds": median,
        "goal_seconds": GOAL_SECONDS,
        "meets_goal": median is not None and median <= GOAL_SECONDS,
        "serve_peak_tree_mib": memory.figures()["peak_tree_mib"],
    }


def verdict(result: dict[str, Any]) -> str:
    median = result["median_seconds"]
    shown = "timed out" if median is None else f"{median:.1f} s"
    return f"median {shown} (goal <= {GOAL_SECONDS:.0f} s: {'pass' if result['meets_goal'] else 'FAIL'})"


# -- command line ----------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--groups", type=int, metavar="N", help="generate a portal of N groups")
    source.add_argument(
        "--project",
        type=Path,
        metavar="DIR",
        help="an existing project (its mkdocs.yml; group files in DIR/groups/)",
    )
    add_event_options(parser)
    parser.add_argument(
        "--group",
        metavar="SLUG",
        help="the group file to edit (default: the first generated group, or the first file "
        "in DIR/groups/ by name)",
    )
    parser.add_argument("--edits", type=int, default=3, help="edits, each with its own marker")
    parser.add_argument(
        "--timeout", type=float, default=180, help="seconds to wait for one edit to show"
    )
    parser.add_argument(
        "--start-timeout", type=float, default=1800, help="seconds to wait for the first build"
    )
    parser.add_argument(
        "--also-dirty",
        action="store_true",
        help="then measure `mkdocs serve --dirty` too (reported separately)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=REPO / "bench" / "out",
        help="serve_edit.json and the server's logs go here",
    )
    args = parser.parse_args()
    if args.edits < 1:
        parser.error("--edits must be 1 or more")
    check_event_options(parser, args)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="civic-serve-edit-") as tmp:
        if args.project:
            config = args.project.resolve() / "mkdocs.yml"
            names = sorted(p.stem for p in (config.parent / "groups").glob("*.md"))
            names = [n for n in names if n != "README"]
            slug = args.group or names[0]
            label = f"project {args.project}"
        else:
            groups = generate_groups(args.groups, args.events_per_group, args.events_share)
            config = write_portal_project(Path(tmp), groups)
            slug = args.group or groups[0].slug
            events = sum(len(g.events) for g in groups)
            label = (
                f"N={args.groups}, {events} events on {sum(bool(g.events) for g in groups)} groups"
            )
        group_file = config.parent / "groups" / f"{slug}.md"
        if not group_file.is_file():
            parser.error(f"no group file {group_file}")
        results: dict[str, Any] = {"project": label, "group": slug}
        for dirty in (False, True) if args.also_dirty else (False,):
            name = "dirty" if dirty else "default"
            print(f"edit loop ({label}), mkdocs serve{' --dirty' if dirty else ''}:", flush=True)
            try:
                results[name] = measure_edit_loop(
                    config,
                    group_file,
                    edits=args.edits,
                    timeout=args.timeout,
                    start_timeout=args.start_timeout,
                    dirty=dirty,
                    log_dir=args.out,
                )
            except RuntimeError as e:
                sys.exit(f"edit loop failed: {e}")
            print(f"  {verdict(results[name])}", flush=True)
    path = args.out / "serve_edit.json"
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2), "utf-8")
    print(f"\nresults: {path}")


if __name__ == "__main__":
    main()
