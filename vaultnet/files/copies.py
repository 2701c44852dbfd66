"""What sync tools leave beside a note: conflict copies, duplicate copies and iCloud placeholders.

Several devices edit one vault through Syncthing, Dropbox, iCloud, Google
Drive, OneDrive, Nextcloud or Obsidian Sync, and each keeps the losing side of
an edit, or a second download, under a name of its own. These names say which
note a file copies, so that a copy is never taken for a note of its own (a
second person, a second daily note) and what it holds is never lost either.

Two kinds of names:

- a **conflict copy** says so in its name (``Ana.sync-conflict-20261121-101112-ABCDEFG.md``,
  ``Ana (Ana's conflicted copy 2026-11-21).md``, ``Ana (conflicted copy 2026-11-21 101112).md``):
  a copy wherever it is;
- a **duplicate copy** only adds a suffix a sync tool or a file manager adds
  (``Ana 2.md`` from iCloud and Obsidian Sync, ``Ana (1).md`` from Google
  Drive, ``Ana-LAPTOP.md`` from OneDrive, ``Ana copy.md`` from the Finder,
  ``Ana - Copy.md`` from Windows): a copy only while ``Ana.md`` stands beside it,
  since "Chapter 2" beside "Chapter" may well be a note of its own.

Names are compared in Unicode NFC: a note copied from a Mac may name itself
in the decomposed form of the same name.
"""

from __future__ import annotations

import re
import unicodedata

# Syncthing; Dropbox, Nextcloud, ownCloud, Box and Obsidian Sync ("(... conflicted copy ...)");
# Seafile; pCloud; Dropbox's case and selective-sync conflicts.
_CONFLICT = re.compile(
    r"\.sync-conflict-[^/]*$"
    r"|\s*\([^()]*conflicted copy[^()]*\)"
    r"|\s*conflicted copy.*$"
    r"|\s*\(SFConflict[^()]*\)"
    r"|\s*\[conflicted\]"
    r"|\s*\((?:case|selective sync|encoding|unicode encoding) conflict\)",
    re.IGNORECASE,
)
# The suffixes of duplicate copies: " 2" (iCloud, Obsidian Sync, the Finder's duplicates), " (1)"
# (Google Drive, Windows downloads), "-LAPTOP" (OneDrive: the device's name, in capitals),
# " copy", " copy 2" (the Finder), " - Copy", " - Copy (2)" (Windows).
_DUPLICATE = re.compile(
    r"(?: [2-9]| [1-9][0-9]| \([1-9][0-9]?\)|-[A-Z0-9]*[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*"
    r"| copy(?: [1-9][0-9]?)?| - Copy(?: \([1-9][0-9]?\))?)$"
)
_DUPLICATE_LAST = frozenset("0123456789)ABCDEFGHIJKLMNOPQRSTUVWXYZy")  # how every suffix above ends
ICLOUD_SUFFIX = ".icloud"


def nfc(text: str) -> str:
    """``text`` in Unicode NFC; ASCII (most names) as it is, without normalising."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _stem(name: str) -> str:
    return name[:-3] if name.lower().endswith(".md") else name


def conflict_original(name: str) -> str | None:
    """For ``Ana.sync-conflict-2026...md`` or ``Ana (conflicted copy ...).md``: ``Ana``; else None."""
    stem = _stem(name)
    lowered = stem.lower()
    if "conflict" not in lowered or not _CONFLICT.search(stem):
        return None
    original = _CONFLICT.sub("", stem).strip()
    return original or stem


def duplicate_original(name: str) -> str | None:
    """For ``Ana 2.md``, ``Ana (1).md``, ``Ana-LAPTOP.md`` or ``Ana copy.md``: ``Ana``; else None.

    Only the name says so: the caller checks that ``Ana.md`` is there too.
    """
    stem = _stem(name)
    if not stem or stem[-1] not in _DUPLICATE_LAST:
        return None  # most names: one look at the last character
    match = _DUPLICATE.search(stem)
    if match is None or match.start() == 0:
        return None
    return stem[: match.start()].rstrip() or None


def copy_original(rel: str, exists: set[str] | frozenset[str] | dict[str, object]) -> str | None:
    """The path of the note ``rel`` copies, when it is a conflict copy or a duplicate beside its original.

    ``exists`` holds the vault's note paths in NFC; a conflict copy names its
    original even when that is gone (it is then the only version there is).
    """
    folder, _, name = rel.rpartition("/")
    prefix = folder + "/" if folder else ""
    found = conflict_original(name)
    if found is not None:
        return prefix + found + ".md"
    found = duplicate_original(name)
    if found is not None and nfc(prefix + found + ".md") in exists:
        return prefix + found + ".md"
    return None


def icloud_note(name: str) -> str | None:
    """``Ana Souza.md`` for the iCloud placeholder ``.Ana Souza.md.icloud`` of a note not downloaded here."""
    if name.startswith(".") and name.endswith(ICLOUD_SUFFIX) and name[1:-len(ICLOUD_SUFFIX)].lower().endswith(".md"):
        return name[1:-len(ICLOUD_SUFFIX)]
    return None
