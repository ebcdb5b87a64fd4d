"""Read and validate group files (groups/<slug>.md) into `Group` objects, all problems at once."""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..background import Background, received
from ..model import ActivityField, Area, Group, Problem
from ..model.events import Event
from .body import check_body
from .checks import Checker, image_problem, read_document
from .events import load_events
from .frontmatter import Document, FrontMatterError, split
from .group_contract import (
    GROUP_KEYS,
    MAX_ITEMS,
    MAX_LENGTH,
    REQUIRED_KEYS,
    RESERVED_SLUGS,
    SLUG_RE,
    STATUSES,
    is_group_file,
)
from .group_values import (
    _choices,
    _contact,
    _founded,
    _kana,
    _links,
    _logo,
    _maintainers,
    _recruiting,
)
from .places import Venues, resolve_place


@dataclass(frozen=True)
class Vocabulary:
    """The configured lists a group file is checked against."""

    fields: tuple[ActivityField, ...]
    areas: tuple[Area, ...]
    legal_forms: tuple[str, ...]
    today: dt.date
    image_bytes: int = 2 * 1024 * 1024
    venues: Venues = field(default_factory=Venues)  # the register, and the portal's city

    def field_choices(self) -> dict[str, ActivityField]:
        choices: dict[str, ActivityField] = {}
        for f in self.fields:
            for spelling in (f.short, f.name, f.slug):
                choices[unicodedata.normalize("NFKC", spelling)] = f
        return choices

    def area_choices(self) -> dict[str, Area]:
        choices: dict[str, Area] = {}
        for a in self.areas:
            for spelling in (a.name, a.slug):
                choices[unicodedata.normalize("NFKC", spelling)] = a
        return choices


def group_files(groups_dir: Path) -> list[Path]:
    """Every Markdown file in the groups folder, except its README, in a stable order."""
    if not groups_dir.is_dir():
        return []
    return sorted(p for p in groups_dir.iterdir() if is_group_file(p.name))


class LoadMemo:
    """What `load_group` made of each file, kept for the next build in the same process
    (`mkdocs serve` rebuilds on every save): a file whose bytes are unchanged is not read again
    while what it is checked against (the configured lists, the venue register, today, the
    images folder) is the same. Reading and checking 1,000 group files with 5,000 events takes
    seconds (a reading guessed for each event without kana), and a save changes one file."""

    def __init__(self) -> None:
        self.context: tuple[Any, ...] | None = None
        self.files: dict[str, tuple[bytes, _Loaded, list[Problem]]] = {}
        self.seen: dict[str, dt.datetime] = {}  # when this process first read a file git lacks

    def first_seen(self, path: str, now: dt.datetime) -> dt.datetime:
        """A file git does not know was added and changed when the preview first read it, not
        at every rebuild (its pages would never be the same twice)."""
        return self.seen.setdefault(path, now)

    def reset_unless(self, context: tuple[Any, ...]) -> None:
        if context != self.context:
            self.context, self.files = context, {}


_Loaded = tuple[Group | None, list[Problem], int, tuple[str | None, tuple[Event, ...]]]


def _memo_context(vocabulary: Vocabulary, images_dir: Path) -> tuple[Any, ...]:
    venues = vocabulary.venues
    images = (
        sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in images_dir.iterdir())
        if images_dir.is_dir()
        else []
    )
    return (
        vocabulary.fields,
        vocabulary.areas,
        vocabulary.legal_forms,
        vocabulary.today,
        vocabulary.image_bytes,
        sorted(venues.places.items()),
        venues.defaults,
        venues.broken,
        images,
    )


def _load_remembered(
    memo: LoadMemo | None,
    path: Path,
    rel: str,
    vocabulary: Vocabulary,
    images_dir: Path,
    notices: list[Problem] | None,
) -> _Loaded:
    """`load_group`, or what it made of the same bytes in the previous build."""
    if memo is None:
        return load_group(path, rel, vocabulary, images_dir, notices)
    try:
        digest = hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
    except OSError:  # gone or unreadable: load_group says so
        return load_group(path, rel, vocabulary, images_dir, notices)
    if (kept := memo.files.get(rel)) is not None and kept[0] == digest:
        if notices is not None:
            notices += kept[2]
        return kept[1]
    mine: list[Problem] = []
    loaded = load_group(path, rel, vocabulary, images_dir, mine)
    memo.files[rel] = (digest, loaded, mine)
    if notices is not None:
        notices += mine
    return loaded


def load_groups(
    paths: Sequence[Path],
    root: Path,
    vocabulary: Vocabulary,
    images_dir: Path,
    history: dict[str, tuple[dt.datetime, dt.datetime]] | None = None,
    notices: list[Problem] | None = None,
    memo: LoadMemo | None = None,
) -> tuple[list[Group], list[Problem]]:
    """Load every group file; return the valid groups and every problem found. Suggestions
    (a registered venue, a reading) go to `notices` when given. `memo`: what the previous
    build of this process read (see LoadMemo)."""
    groups: list[Group] = []
    problems: list[Problem] = []
    by_slug: dict[str, str] = {}
    by_name: dict[str, str] = {}
    partial: list[tuple[str, tuple[Event, ...]]] = []  # files with problems: what was readable
    if memo is not None:
        memo.reset_unless(_memo_context(vocabulary, images_dir))
    for rel, (group, found, name_line, readable) in _load_all(
        paths, root, vocabulary, images_dir, notices, memo
    ):
        problems += found
        if group is None:
            # Rules between files still apply to what could be read, so that fixing this file's
            # own problems does not reveal a clash with another file only in the next build.
            name, events = readable
            if name:
                name_key = unicodedata.normalize("NFKC", name)
                if name_key in by_name:
                    problems.append(
                        Problem(
                            rel, name_line, "name", f"同じ団体名が {by_name[name_key]} にもあります"
                        )
                    )
                else:
                    by_name[name_key] = rel
            partial.append((rel, events))
            continue
        if group.slug in by_slug:
            problems.append(
                Problem(
                    rel,
                    1,
                    "slug",
                    f"団体のURL名「{group.slug}」が {by_slug[group.slug]} と重複しています",
                )
            )
            continue
        name_key = unicodedata.normalize("NFKC", group.name)
        if name_key in by_name:
            problems.append(
                Problem(rel, name_line, "name", f"同じ団体名が {by_name[name_key]} にもあります")
            )
            partial.append((rel, group.events))
            continue
        by_slug[group.slug], by_name[name_key] = rel, rel
        if history is not None and rel in history:
            group = replace(group, added=history[rel][0], changed=history[rel][1])
        groups.append(group)
    problems += _shared_event_names([*((g.source, g.events) for g in groups), *partial])
    groups.sort(key=lambda g: g.sort_key)
    return groups, problems


# From this many files on, a build has a second process read part of them (starting it takes
# about 0.3 s; reading a file about 0.8 ms)
SHARED_FROM = 400


def _load_all(
    paths: Sequence[Path],
    root: Path,
    vocabulary: Vocabulary,
    images_dir: Path,
    notices: list[Problem] | None,
    memo: LoadMemo | None,
) -> list[tuple[str, _Loaded]]:
    """Each file of `paths` loaded, in their order. A build (no memo) of many files has a
    process of its own read the last 45 % of them (`_load_share`) meanwhile, on another
    processor: 3,000 group files took the build's one thread 2.7 s."""
    rels = [relative_path(path, root) for path in paths]
    cut = len(paths) if memo is not None or len(paths) < SHARED_FROM else len(paths) * 11 // 20
    share = None
    if cut < len(paths):
        item = (list(paths[cut:]), rels[cut:], vocabulary, images_dir, notices is not None)
        share = Background(_load_share, [], [item])
    loaded = [
        (rel, _load_remembered(memo, path, rel, vocabulary, images_dir, notices))
        for path, rel in zip(paths[:cut], rels[:cut], strict=True)
    ]
    if share is not None:
        try:
            theirs = share.result()
        except RuntimeError:  # the process could not run (no memory, no process allowed)
            theirs = None
        for n, (path, rel) in enumerate(zip(paths[cut:], rels[cut:], strict=True)):
            if theirs is None:
                loaded.append((rel, load_group(path, rel, vocabulary, images_dir, notices)))
                continue
            one, mine = theirs[n]
            loaded.append((rel, one))
            if notices is not None:
                notices += mine
    return loaded


def _load_share() -> list[tuple[_Loaded, list[Problem]]]:
    """_load_all's process: each file it was sent loaded, with its notices."""
    paths, rels, vocabulary, images_dir, noticed = next(iter(received()))
    loaded = []
    for path, rel in zip(paths, rels, strict=True):
        mine: list[Problem] = []
        loaded.append(
            (load_group(path, rel, vocabulary, images_dir, mine if noticed else None), mine)
        )
    return loaded


def _shared_event_names(files: Sequence[tuple[str, tuple[Event, ...]]]) -> list[Problem]:
    """An event's page, calendar file and UID are named <group slug>-<event id>, and slugs and ids
    both may contain hyphens: group `hidamari` with event `salon-christmas` would take over the
    page of `hidamari-salon`'s event `christmas`. Keeping every existing URL and UID as it is,
    the names are made one-to-one by refusing a second event with the same name, in both files
    (either group can rename its event; the change that causes it cannot pass the check).
    `files`: (source, its readable events), files with other problems included."""
    owner: dict[str, tuple[str, Event]] = {}
    problems = []
    for source, events in files:
        for e in events:
            other, theirs = owner.setdefault(e.series_id, (source, e))
            if other == source:
                continue
            for mine, line, them in ((source, e.line, other), (other, theirs.line, source)):
                problems.append(
                    Problem(
                        mine,
                        line,
                        "events",
                        f"このイベントのページ /events/{e.series_id}/ は {them} のイベントと同じ名前になります。"
                        "このイベントの id: に別の名前を付けてください",
                    )
                )
    return problems


def load_group(
    path: Path,
    rel: str,
    vocabulary: Vocabulary,
    images_dir: Path,
    notices: list[Problem] | None = None,
) -> tuple[Group | None, list[Problem], int, tuple[str | None, tuple[Event, ...]]]:
    """Read one group file. Returns (group or None, problems, line of `name`, and what could be
    read of a file with problems: its name and its valid events)."""
    slug = path.stem
    problems = _file_name_problems(rel, slug)

    doc = read_document(path, rel)
    if isinstance(doc, Problem):
        return (
            None,
            [*problems, doc, *_body_of_broken(path, rel, doc, vocabulary, images_dir)],
            1,
            (None, ()),
        )

    check = Checker(rel, doc)
    data = check.mapping(doc.data, (), GROUP_KEYS, REQUIRED_KEYS) or {}
    name = check.text(data.get("name"), ("name",), max_length=MAX_LENGTH["name"])
    kana = _kana(check, data.get("kana"))
    summary = check.text(data.get("summary"), ("summary",), max_length=MAX_LENGTH["summary"])
    fields = _choices(
        check, data.get("fields"), ("fields",), vocabulary.field_choices(), "活動分野", 1, 3
    )
    areas = _choices(
        check,
        data.get("areas"),
        ("areas",),
        vocabulary.area_choices(),
        "地区",
        0,
        MAX_ITEMS["areas"],
    )
    tags = tuple(
        t
        for i, v in enumerate(
            check.listing(data.get("tags"), ("tags",), max_items=MAX_ITEMS["tags"])
        )
        if (t := check.text(v, ("tags", i), max_length=MAX_LENGTH["tag"]))
    )
    legal_form = (
        check.choice(
            data.get("legal_form"),
            ("legal_form",),
            {f: f for f in vocabulary.legal_forms},
            "法人格",
        )
        if data.get("legal_form") is not None
        else None
    )
    founded = _founded(check, data.get("founded"), vocabulary.today)
    members = check.integer(data.get("members"), ("members",), minimum=0, maximum=10_000_000)
    activity = check.text(data.get("activity"), ("activity",), max_length=MAX_LENGTH["activity"])
    where = resolve_place(
        check,
        check.text(data.get("place"), ("place",), max_length=MAX_LENGTH["place"]),
        check.text(data.get("room"), ("room",), max_length=MAX_LENGTH["room"]),
        (),
        vocabulary.venues,
    )
    contact = _contact(check, data.get("contact"))
    links = _links(check, data.get("links"))
    recruiting = _recruiting(check, data.get("recruiting"))
    logo, logo_source = _logo(check, data.get("logo"), images_dir, vocabulary.image_bytes)
    maintainers = _maintainers(check, data.get("maintainers"))
    status = (
        check.choice(data.get("status"), ("status",), STATUSES, "活動状況")
        if data.get("status") is not None
        else "active"
    )
    events = load_events(check, data.get("events"), slug, vocabulary.venues)
    images = _body_images(check, doc.body, doc.body_line, images_dir, vocabulary.image_bytes)

    problems += check.problems
    if notices is not None:
        notices += _capped(check.notices, rel)
    name_line = doc.line("name")
    if problems or not (name and kana and summary and fields and status):
        return None, problems, name_line, (name, events)
    return (
        Group(
            slug=slug,
            source=rel,
            name=name,
            kana=kana,
            summary=summary,
            fields=fields,
            body=doc.body,
            body_line=doc.body_line,
            areas=areas,
            tags=tags,
            legal_form=legal_form,
            founded=founded,
            members=members,
            activity=activity,
            place=where.place,
            room=where.room,
            venue=where.venue,
            contact=contact,
            links=links,
            recruiting=recruiting,
            logo=logo,
            logo_source=logo_source,
            images=images,
            maintainers=maintainers,
            status=status,
            events=tuple(
                replace(e, fields=tuple(f.slug for f in fields), areas=tuple(a.slug for a in areas))
                for e in events
            ),
        ),
        [],
        name_line,
        (name, events),
    )


MAX_NOTICES = 10  # suggestions shown per file; the rest are counted


def _capped(found: list[Problem], rel: str) -> list[Problem]:
    if len(found) <= MAX_NOTICES:
        return found
    rest = len(found) - MAX_NOTICES
    last = found[MAX_NOTICES]
    return [
        *found[:MAX_NOTICES],
        Problem(
            rel,
            last.line,
            "events",
            f"ほかにも{rest}件の提案があります（上のものを直すと表示されます）",
        ),
    ]


def _body_of_broken(
    path: Path, rel: str, problem: Problem, vocabulary: Vocabulary, images_dir: Path
) -> list[Problem]:
    """The body's problems when the front matter cannot be read (a YAML syntax error): the body
    is still checked, so that they come in the same pass. Nothing for a file that could not be
    read at all (a link, too large, not UTF-8, no front matter)."""
    if problem.key in ("file", "front-matter"):
        return []
    try:
        _, _, body, body_line = split(path.read_text(encoding="utf-8-sig").replace("\r\n", "\n"))
    except (OSError, UnicodeDecodeError, FrontMatterError):
        return []
    check = Checker(rel, Document(data={}, body=body, body_line=body_line))
    _body_images(check, body, body_line, images_dir, vocabulary.image_bytes)
    return check.problems


def _body_images(
    check: Checker, body: str, body_line: int, images_dir: Path, max_bytes: int
) -> tuple[tuple[str, str], ...]:
    """Check the body (see load/body.py) and each image it shows; (name, path) of the images."""
    found = check_body(body)
    for problem in found.problems:
        check.report(("body",), problem.message, line=body_line + problem.line - 1)
    images: dict[str, str] = {}
    verdicts: dict[str, str | None] = {}  # a picture shown twice is read once
    for line, name in found.images:
        path = images_dir / name
        if name not in verdicts:
            verdicts[name] = image_problem(path, f"groups/images/{name}", max_bytes)
        if problem := verdicts[name]:
            check.report(("body",), problem, line=body_line + line - 1)
        else:
            images[name] = str(path.resolve())
    return tuple(sorted(images.items()))


def relative_path(path: Path, root: Path) -> str:
    try:
        # the folder resolved, not the file: a linked file keeps its own name in messages
        return (
            (resolved_folder(path.parent) / path.name).relative_to(resolved_folder(root)).as_posix()
        )
    except ValueError:
        return path.as_posix()


@lru_cache(maxsize=1024)
def resolved_folder(folder: Path) -> Path:
    """A folder's real path, asked once a build for thousands of files (load_site empties the
    cache first, so a preview follows a folder link that changed)."""
    return folder.resolve()


def _file_name_problems(rel: str, slug: str) -> list[Problem]:
    problem = file_name_problem(slug)
    return [Problem(rel, 1, "file", problem)] if problem else []


def file_name_problem(slug: str) -> str | None:
    """Why `slug` cannot be a group file's name (and its page's address), or None."""
    if not slug.isascii():
        return "ファイル名に日本語や全角文字は使えません。英小文字・数字・ハイフンで kodomo-salon.md のように付けてください"
    if not SLUG_RE.match(slug):
        return f"ファイル名「{slug}」は使えません。英小文字・数字・ハイフン（2〜63文字、先頭は英数字）で kodomo-salon.md のように付けてください"
    if slug in RESERVED_SLUGS:
        return f"「{slug}」はサイトが使う名前なので、ファイル名にできません。団体名がわかる別の名前にしてください"
    return None
