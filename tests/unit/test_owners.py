"""owners.py on hand-made inputs: CODEOWNERS from maintainers, and who may change what in a
pull request (the PullRequest is built directly, as load.pull_request reads it from git)."""

from __future__ import annotations

import pytest

from civic_portal.load.pull_request import Change, GroupRefs, PullRequest
from civic_portal.owners import author_problems, codeowners

from ..conftest import LINE_RE, make_group

# On the base branch: alice keeps alpha (logo alpha.png) and gamma; bob keeps beta; beta and
# gamma both show shared.png in their body.
BASE = {
    "groups/alpha.md": GroupRefs(("alice",), frozenset({"alpha.png"})),
    "groups/beta.md": GroupRefs(("bob",), frozenset({"shared.png"})),
    "groups/gamma.md": GroupRefs(("alice", "carol"), frozenset({"shared.png"})),
}


def _pr(*changes: Change, head: dict[str, GroupRefs] | None = None) -> PullRequest:
    return PullRequest(
        staff=("Center-Staff",),
        groups_dir="groups",
        changes=changes,
        base_groups=BASE,
        head_groups={**BASE, **(head or {})},
    )


def _edit(path: str) -> Change:
    return Change(path, "M", "100644")


def _refused(author: str, pr: PullRequest) -> dict[str, str]:
    """path → message of each refused change."""
    problems = author_problems(author, pr)
    assert all(LINE_RE.match(str(p)) for p in problems), problems
    return {p.path: p.message for p in problems}


# -- CODEOWNERS ---------------------------------------------------------------------------------


def test_codeowners_lists_staff_everywhere_and_maintainers_on_their_file() -> None:
    groups = [
        make_group("beta", maintainers=("bob",)),
        make_group("alpha", maintainers=("alice", "carol")),
        make_group("orphan"),
    ]
    text = codeowners(groups, ["@center-staff", "yamada"], "@kawanami/center", "groups")
    assert text.endswith("\n")
    header, *lines = text.splitlines()
    assert header.startswith("# ")
    assert lines == [
        "* @center-staff @yamada @kawanami/center",
        "/groups/alpha.md @alice @carol @center-staff @yamada @kawanami/center",
        "/groups/beta.md @bob @center-staff @yamada @kawanami/center",
        "/groups/orphan.md @center-staff @yamada @kawanami/center",
    ]


def test_codeowners_follows_the_groups_folder_and_has_no_trailing_spaces() -> None:
    text = codeowners([make_group("alpha", maintainers=("alice",))], [], None, "dantai")
    assert text.splitlines()[1:] == ["*", "/dantai/alpha.md @alice"]


# -- who may change what -----------------------------------------------------------------------


@pytest.mark.parametrize("author", ["center-staff", "@Center-Staff", "CENTER-STAFF"])
def test_staff_may_change_anything(author: str) -> None:
    pr = _pr(
        _edit("mkdocs.yml"),
        _edit("groups/beta.md"),
        Change("groups/images/shared.png", "D", "000000"),
        Change("groups/link.md", "A", "120000"),
        _edit("plugins/civic_portal/owners.py"),
    )
    assert author_problems(author, pr) == []


def test_a_maintainer_may_edit_and_delete_their_own_files() -> None:
    pr = _pr(_edit("groups/alpha.md"), Change("groups/gamma.md", "D", "000000"))
    assert author_problems("alice", pr) == []
    assert author_problems("@Alice", pr) == []  # GitHub names are case-insensitive
    assert author_problems("carol", _pr(_edit("groups/gamma.md"))) == []


def test_someone_else_s_file_is_refused() -> None:
    found = author_problems("bob", _pr(_edit("groups/alpha.md"), _edit("groups/beta.md")))
    assert [(p.path, p.line, p.key) for p in found] == [("groups/alpha.md", 1, "maintainers")]
    assert "@bob さんはこの団体の maintainers に入っていない" in found[0].message
    assert "変更できません" in found[0].message


def test_adding_oneself_to_maintainers_in_the_pull_request_does_not_count() -> None:
    head = {"groups/alpha.md": GroupRefs(("alice", "bob"), frozenset({"alpha.png"}))}
    assert list(_refused("bob", _pr(_edit("groups/alpha.md"), head=head))) == ["groups/alpha.md"]


def test_a_rename_is_the_deletion_of_the_old_file() -> None:
    # git lists a rename (detection off) as D old + A new; the new file lists the author.
    head = {"groups/alpha-new.md": GroupRefs(("bob",), frozenset())}
    renamed = (
        Change("groups/alpha.md", "D", "000000"),
        Change("groups/alpha-new.md", "A", "100644"),
    )
    refused = _refused("bob", _pr(*renamed, head=head))
    assert list(refused) == ["groups/alpha.md"]
    assert "削除できません" in refused["groups/alpha.md"]
    assert "名前の変更や移動も" in refused["groups/alpha.md"]
    # Alice renaming her own file (and listing herself in it) is fine.
    head = {"groups/alpha-new.md": GroupRefs(("alice",), frozenset())}
    assert author_problems("alice", _pr(*renamed, head=head)) == []


def test_a_new_group_file_must_list_its_author() -> None:
    new = Change("groups/delta.md", "A", "100644")
    assert author_problems("dave", _pr(new, head={new.path: GroupRefs(("dave",))})) == []
    refused = _refused("dave", _pr(new, head={new.path: GroupRefs(("erin",))}))
    assert "maintainers: に @dave さん自身を書いてください" in refused["groups/delta.md"]


def test_an_image_belongs_to_every_group_that_shows_it() -> None:
    # alpha.png is alpha's alone: alice may change it, bob may not.
    assert author_problems("alice", _pr(_edit("groups/images/alpha.png"))) == []
    refused = _refused("bob", _pr(Change("groups/images/alpha.png", "D", "000000")))
    assert "groups/alpha.md が使っている" in refused["groups/images/alpha.png"]
    # shared.png is shown by beta (bob) and gamma (alice): neither may change it alone.
    shared = _edit("groups/images/shared.png")
    assert "groups/gamma.md が使っている" in _refused("bob", _pr(shared))[shared.path]
    assert "groups/beta.md が使っている" in _refused("alice", _pr(shared))[shared.path]
    assert author_problems("center-staff", _pr(shared)) == []
    [problem] = author_problems("alice", _pr(shared))
    assert problem.key == "file"


def test_a_new_image_must_be_named_by_one_of_the_author_s_files() -> None:
    new = Change("groups/images/new.png", "A", "100644")
    mine = {"groups/alpha.md": GroupRefs(("alice",), frozenset({"alpha.png", "new.png"}))}
    assert author_problems("alice", _pr(new, head=mine)) == []
    refused = _refused("alice", _pr(new))  # nobody names it
    assert "logo: images/new.png" in refused[new.path]
    theirs = {"groups/beta.md": GroupRefs(("bob",), frozenset({"shared.png", "new.png"}))}
    assert list(_refused("alice", _pr(new, head=theirs))) == [new.path]


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (Change("groups/alpha.md", "T", "120000"), "maintainers"),  # own file made a symlink
        (Change("groups/images/alpha.png", "A", "120000"), "file"),
        (Change("groups/images/x", "A", "160000"), "file"),  # a submodule
    ],
)
def test_links_and_submodules_are_refused_even_on_one_s_own_paths(change: Change, key: str) -> None:
    mine = {"groups/alpha.md": GroupRefs(("alice",), frozenset({"alpha.png", "x"}))}
    [problem] = author_problems("alice", _pr(change, head=mine))
    assert (problem.path, problem.key) == (change.path, key)
    assert "シンボリックリンク" in problem.message


@pytest.mark.parametrize(
    "path",
    [
        "mkdocs.yml",
        ".github/workflows/pr.yml",
        "content/index.md",
        "groups/images/sub/x.png",
        "groups/sub/alpha.md",
        "groups/notes.txt",
    ],
)
def test_nothing_outside_group_files_and_their_images(path: str) -> None:
    refused = _refused("alice", _pr(_edit(path)))
    assert list(refused) == [path]
    assert "センターのスタッフだけ" in refused[path]


def test_one_problem_per_refused_path_in_order() -> None:
    pr = _pr(
        _edit("groups/alpha.md"),
        _edit("groups/beta.md"),
        _edit("groups/images/shared.png"),
        _edit("mkdocs.yml"),
    )
    assert list(_refused("alice", pr)) == [
        "groups/beta.md",
        "groups/images/shared.png",
        "mkdocs.yml",
    ]
