"""The centre-only contact details (`contact.private`) of the group files, for `civic export
groups --include-private` and nothing else.

The group loader checks `contact.private` and then drops it, so that no page, feed or data file
can publish it. Only the staff's register reads it, here, from the same files through the same
single reader; the site build never calls this module.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..model import Problem
from .checks import read_document
from .frontmatter import INVALID
from .group_contract import PRIVATE_KEYS
from .groups import group_files, relative_path


def private_contacts(groups_dir: Path, root: Path) -> dict[str, dict[str, str]]:
    """slug → {person, phone, email, address, note} ("" where not written) for every group file
    that has `contact.private`. A file that cannot be read is skipped: `load_site` reports it."""
    found: dict[str, dict[str, str]] = {}
    for path in group_files(groups_dir):
        doc = read_document(path, relative_path(path, root))
        if isinstance(doc, Problem):  # the file could not be read at all
            continue
        contact = doc.data.get("contact")
        private = contact.get("private") if isinstance(contact, dict) else None
        if isinstance(private, dict):
            found[path.stem] = {key: _text(private.get(key)) for key in PRIVATE_KEYS}
    return found


def _text(value: Any) -> str:
    if value is None or value is INVALID or isinstance(value, (dict, list)):
        return ""
    return str(value).strip()
