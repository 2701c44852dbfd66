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

import os
import re
import unicodedata
from collections.abc import Container
from functools import lru_cache
from pathlib import Path

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
# (Google Drive, Windows downloads), " copy", " copy 2" (the Finder), " - Copy", " - Copy (2)" (Windows).
_DUPLICATE = re.compile(r"(?: [2-9]| [1-9][0-9]| \([1-9][0-9]?\)| copy(?: [1-9][0-9]?)?| - Copy(?: \([1-9][0-9]?\))?)$")
# OneDrive adds "-" and the device's name (``-LAPTOP``, ``-DESKTOP-1A2B3C``): capitals and digits.
_DEVICE = re.compile(r"^[A-Z0-9]*[A-Z][A-Z0-9]*$")
_DUPLICATE_LAST = frozenset("0123456789)ABCDEFGHIJKLMNOPQRSTUVWXYZy")  # how every suffix above ends
ICLOUD_SUFFIX = ".icloud"


def nfc(text: str) -> str:
    """``text`` in Unicode NFC; ASCII (most names) as it is, without normalising."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def _split(name: str) -> tuple[str, str]:
    """``("Ana", ".md")`` for ``Ana.md``: a name's stem and its extension (a copy keeps its original's)."""
    stem, dot, extension = name.rpartition(".")
    return (stem, dot + extension) if dot and stem and " " not in extension else (name, "")


def _stem(name: str) -> str:
    return _split(name)[0]


def conflict_original(name: str) -> str | None:
    """For ``Ana.sync-conflict-2026...md`` or ``Ana (conflicted copy ...).md``: ``Ana``; else None."""
    stem = _stem(name)
    lowered = stem.lower()
    if "conflict" not in lowered or not _CONFLICT.search(stem):
        return None
    original = _CONFLICT.sub("", stem).strip()
    return original or stem


def duplicate_originals(name: str) -> tuple[str, ...]:
    """For ``Ana 2.md``, ``Ana (1).md``, ``Ana-LAPTOP.md`` or ``Ana copy.md``: ``("Ana",)``; else ``()``.

    Only the name says so: the caller checks that ``Ana.md`` is there too. A
    OneDrive name can be read more than one way (``Q3-PLAN-LAPTOP``), so every
    reading is given, the longest original first.
    """
    stem = _stem(name)
    if not stem or stem[-1] not in _DUPLICATE_LAST:
        return ()  # most names: one look at the last character
    found = []
    match = _DUPLICATE.search(stem)
    if match is not None and match.start() > 0:
        found.append(stem[: match.start()].rstrip())
    at = len(stem)
    while (at := stem.rfind("-", 0, at)) > 0:
        suffix = stem[at + 1:]
        if not all(_DEVICE.match(part) for part in suffix.split("-")):
            break
        found.append(stem[:at])
    return tuple(original for original in found if original)


@lru_cache(maxsize=65536)
def may_duplicate(rel: str) -> bool:
    """True when the name of the note at ``rel`` reads as a duplicate's (see :func:`duplicate_originals`).

    Asked of every note at every assembly, so a watcher's step asks again: kept
    by the path, a string the note holds anyway (its name would be a new one).
    """
    return bool(duplicate_originals(rel.rpartition("/")[2]))


def copy_original(rel: str, exists: Container[str]) -> str | None:
    """The path of the file ``rel`` copies, when it is a conflict copy or a duplicate beside its original.

    ``exists`` holds the vault's note paths in NFC; a conflict copy names its
    original even when that is gone (it is then the only version there is).
    """
    conflict, readings = _originals(rel)
    if conflict:
        return readings[0]
    return next((original for original in readings if nfc(original) in exists), None)


def originals(rel: str) -> tuple[str, ...]:
    """Every path :func:`copy_original` may give for ``rel``: what its name says it copies."""
    return _originals(rel)[1]


def _originals(rel: str) -> tuple[bool, tuple[str, ...]]:
    """Whether ``rel`` is a conflict copy, and the path it copies (a conflict copy's) or may copy (a duplicate's)."""
    folder, _, name = rel.rpartition("/")
    prefix = folder + "/" if folder else ""
    extension = _split(name)[1]
    found = conflict_original(name)
    if found is not None:
        return True, (prefix + found + extension,)
    return False, tuple(prefix + original + extension for original in duplicate_originals(name))


def copies_beside(root: Path, rel: str) -> list[str]:
    """The sync copies of the file ``rel`` in its own folder (any kind of file: vaultnet's picture too)."""
    folder, _, _ = rel.rpartition("/")
    prefix = folder + "/" if folder else ""
    try:
        with os.scandir(root / folder if folder else root) as listing:
            names = [entry.name for entry in listing if entry.is_file(follow_symlinks=False)]
    except OSError:
        return []
    present = {nfc(prefix + name) for name in names}
    return sorted(prefix + name for name in names if prefix + name != rel and copy_original(prefix + name, present) == rel)


def icloud_note(name: str) -> str | None:
    """``Ana Souza.md`` for the iCloud placeholder ``.Ana Souza.md.icloud`` of a note not downloaded here."""
    if name.startswith(".") and name.endswith(ICLOUD_SUFFIX) and name[1:-len(ICLOUD_SUFFIX)].lower().endswith(".md"):
        return name[1:-len(ICLOUD_SUFFIX)]
    return None
