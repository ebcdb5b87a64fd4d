"""The search index in parts: each Pagefind run holds at most a part of the records (its memory
grows with the tokens it holds), the search page merges the parts, and a preview indexes again
only the part a save changed. These run the real Pagefind CLI on small record sets."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import time
from pathlib import Path

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError

from civic_portal.model.settings import PART_TOKENS
from civic_portal.outputs.search import (
    PARTS_FILE,
    IndexInBackground,
    SearchBehind,
    _index_part,
    plan_parts,
    write_index,
)
from civic_portal.render.search import SearchRecord, index_page

from .conftest import build_project, group_file, write_project

WORDS = ("子ども食堂", "ボランティア", "清掃活動", "読み聞かせ", "おもちゃ病院", "手話", "防災訓練")


def records(count: int = 40) -> list[SearchRecord]:
    return [
        SearchRecord(
            url=f"/groups/g{n:03d}/",
            title=f"団体{n}",
            text=f"{WORDS[n % len(WORDS)]}をしています。会員{n}名で、毎月{n % 28 + 1}日に集まります。"
            * 3,
        )
        for n in range(count)
    ]


def tree(folder: Path) -> dict[str, str]:
    """Each file under `folder` (through links, as the preview's server reads them)."""
    return {
        str(Path(top, name).relative_to(folder)): hashlib.sha256(
            Path(top, name).read_bytes()
        ).hexdigest()
        for top, _, names in os.walk(folder, followlinks=True)
        for name in names
    }


def test_records_are_split_into_parts_of_about_the_budget() -> None:
    pages = {r: index_page(r) for r in records()}
    total = sum(p.tokens for p in pages.values())
    parts = plan_parts(pages, part_tokens=total // 4)
    assert 4 <= len(parts) <= 5
    assert sorted(r.url for part in parts for r in part) == sorted(r.url for r in pages)
    assert all([r.url for r in part] == sorted(r.url for r in part) for part in parts)
    assert all(sum(pages[r].tokens for r in part) < total / 2 for part in parts)
    assert plan_parts(pages, part_tokens=total // 4) == parts  # the same records, the same parts
    assert plan_parts(pages) == [sorted(pages, key=lambda r: r.url)]  # small: one part
    # one record's edit moves no other record
    edited = dict(pages)
    first = next(iter(pages))
    changed = SearchRecord(first.url, first.title, first.text + "追記しました。")
    del edited[first]
    edited[changed] = index_page(changed)
    again = plan_parts(edited, part_tokens=total // 4)
    assert [[r.url for r in part] for part in again] == [[r.url for r in part] for part in parts]


def test_a_bundle_in_parts_lists_them_and_keeps_only_their_index(tmp_path: Path) -> None:
    recs = records()
    total = sum(index_page(r).tokens for r in recs)
    out = tmp_path / "pagefind"
    assert write_index(recs, out, part_tokens=total // 3) == len(recs)
    parts = json.loads((out / PARTS_FILE).read_text())["parts"]
    assert len(parts) >= 2 and parts == [f"part-{n}/" for n in range(1, len(parts) + 1)]
    assert (out / "pagefind.js").is_file() and (out / "pagefind-entry.json").is_file()
    ids: list[str] = [p.name for p in (out / "fragment").iterdir()]
    for part in parts:
        kept = sorted(p.name for p in (out / part).iterdir())
        assert kept[:2] == ["fragment", "index"] and kept[2] == "pagefind-entry.json"
        assert [name for name in kept[3:] if not name.endswith(".pf_meta")] == []
        ids += [p.name for p in (out / part / "fragment").iterdir()]
    assert len(ids) == len(set(ids)) == len(recs)  # every record once; ids unique site-wide
    first = tree(out)
    write_index(recs, out, part_tokens=total // 3)
    assert tree(out) == first  # deterministic, and the old bundle is replaced
    write_index(recs, out)
    assert json.loads((out / PARTS_FILE).read_text()) == {"parts": []}
    assert not any(out.glob("part-*"))


def test_a_part_whose_ids_meet_another_parts_is_indexed_again_with_a_salt(tmp_path: Path) -> None:
    content = [(r.url, index_page(r).html) for r in records(5)]
    ids = _index_part(content, tmp_path / "a", set(), 1)
    again = _index_part(content, tmp_path / "b", ids, 1)  # as if another part had these ids
    assert len(again) == len(ids) == 5 and not again & ids
    assert sorted(p.name for p in (tmp_path / "b").iterdir())[:2] == ["fragment", "index"]


def test_a_preview_indexes_again_only_the_part_a_save_changed(tmp_path: Path) -> None:
    recs = records()
    total = sum(index_page(r).tokens for r in recs)
    site = tmp_path / "site"
    site.mkdir()
    behind = SearchBehind(part_tokens=total // 3)
    try:
        behind.update(recs, site / "pagefind")
        parts = json.loads((site / "pagefind" / PARTS_FILE).read_text())["parts"]
        assert behind.indexed == [len(parts) + 1]
        saved = [*recs[:7], SearchRecord(recs[7].url, recs[7].title, "新しい本文"), *recs[8:]]
        behind.update(saved, site / "pagefind")
        behind.wait(120)
        assert behind.indexed == [len(parts) + 1, 1]
        again = SearchBehind(part_tokens=total // 3)
        try:
            again.update(saved, tmp_path / "fresh")
            # what a new preview writes for the saved records
            assert tree(site / "pagefind") == tree(tmp_path / "fresh")
        finally:
            again.close()
    finally:
        behind.close()


@pytest.mark.parametrize("value", [0, 999, -5, True, "many", 1.5, [300000]])
def test_a_part_size_that_is_not_a_whole_number_of_1000_or_more_stops_the_build(
    tmp_path: Path, value: object, caplog: pytest.LogCaptureFixture
) -> None:
    config = write_project(tmp_path, {}, plugin={"search": {"part_tokens": value}})
    with pytest.raises((ConfigurationError, Abort)):
        load_config(str(config))
    assert "part_tokens" in caplog.text


@pytest.mark.parametrize(("value", "taken"), [(1000, 1000), (None, PART_TOKENS)])
def test_a_part_size_of_1000_or_more_is_taken(tmp_path: Path, value: object, taken: int) -> None:
    """(An empty value is MkDocs' "not set": the default.)"""
    config = write_project(tmp_path, {}, plugin={"search": {"part_tokens": value}})
    assert load_config(str(config)).plugins["civic"].config.search.part_tokens == taken


def test_a_failing_indexer_stops_the_build_with_its_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The index is written in a process of its own while the pages render; what goes wrong
    there still stops the build, in one line that names Pagefind and what it said."""
    fake = tmp_path / "pagefind"
    fake.write_text("#!/bin/sh\necho 'Error: disk is full' >&2\nexit 3\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))  # read by the indexing process
    config = write_project(
        tmp_path / "p", {"test-group.md": group_file()}, plugin={"search": {"enabled": True}}
    )
    with pytest.raises(Abort):
        build_project(config, tmp_path / "site")
    assert "サイト内検索の索引を作れませんでした（Pagefind: Error: disk is full）" in caplog.text


def test_the_index_of_a_build_is_written_by_a_process_of_its_own(tmp_path: Path) -> None:
    """The records go to another process (the build's Python, `python -m`) in batches as the
    pages are converted, and it writes the same bundle write_index writes in this one."""
    indexing = IndexInBackground(tmp_path / "a", part_tokens=PART_TOKENS)
    for record in records(250):  # three batches
        indexing.add(record)
    assert indexing.result() == 250
    write_index(records(250), tmp_path / "b")
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"  # a zombie has ended


def test_a_cancelled_index_stops_its_pagefind_run_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failed build cancels its index: the indexing process ends and its Pagefind run with it,
    so that nothing goes on writing into a site that failed."""
    started = tmp_path / "pagefind.pid"
    fake = tmp_path / "pagefind"
    fake.write_text(f"#!/bin/sh\necho $$ > {started}\nexec sleep 120\n", encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))  # read by the indexing process
    indexing = IndexInBackground(tmp_path / "site", part_tokens=PART_TOKENS)
    for record in records():
        indexing.add(record)
    indexing.finish()
    deadline = time.monotonic() + 60
    while not started.is_file() or not started.read_text().strip():
        assert time.monotonic() < deadline, "Pagefind never started"
        time.sleep(0.05)
    pid = int(started.read_text())
    assert _alive(pid)
    begun = time.monotonic()
    indexing.cancel()
    assert time.monotonic() - begun < 10
    deadline = time.monotonic() + 10
    while _alive(pid):
        assert time.monotonic() < deadline, "Pagefind still runs"
        time.sleep(0.05)


def _counted_pagefind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The real Pagefind behind a script that adds a line to the returned file at each run (the
    indexing process reads PAGEFIND_BINARY_PATH)."""
    from pagefind.service import get_executable

    real = get_executable()
    assert real is not None
    runs = tmp_path / "runs"
    fake = tmp_path / "pagefind"
    fake.write_text(f'#!/bin/sh\necho run >> {runs}\nexec "{real}" "$@"\n', encoding="utf-8")
    fake.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(fake))
    return runs


def test_a_build_indexes_each_full_part_while_it_still_sends_records(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind runs on the first part as soon as it is full, while the pages are still being
    converted (the build has not said its last record is in), not only at the end; the bundle
    is the one write_index writes in this process."""
    runs = _counted_pagefind(tmp_path, monkeypatch)
    recs = records(250)
    budget = sum(index_page(r).tokens for r in recs) // 3
    indexing = IndexInBackground(tmp_path / "a", part_tokens=budget)
    for record in recs[:200]:  # two batches handed over, and more than a part's tokens
        indexing.add(record)
    deadline = time.monotonic() + 60
    while not runs.is_file():
        assert time.monotonic() < deadline, "no part was indexed before the last record came"
        time.sleep(0.05)
    for record in recs[200:]:
        indexing.add(record)
    assert indexing.result() == 250
    assert len(runs.read_text().split()) >= 3
    write_index(recs, tmp_path / "b", part_tokens=budget)
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_the_first_pagefind_run_waits_for_the_writing_process_to_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build's writer and its Pagefind runs never hold their memory at once: the index's
    first run begins once the process it was told to wait for (the writer) has ended."""
    runs = _counted_pagefind(tmp_path, monkeypatch)
    writer = subprocess.Popen(["sleep", "120"])
    try:
        indexing = IndexInBackground(tmp_path / "a", part_tokens=PART_TOKENS, after=writer.pid)
        for record in records():
            indexing.add(record)
        indexing.finish()
        time.sleep(3)
        assert not runs.exists()  # still waiting
    finally:
        writer.terminate()
        writer.wait()
    assert indexing.result() == 40
    assert runs.read_text().split() == ["run"]
