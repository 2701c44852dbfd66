"""vaultnet's own temporary files: how they are named, and removing the ones a killed run left behind.

Every write goes through a temporary file beside the note; the name pattern
is exact so that cleaning up never touches a file that is not vaultnet's.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
import time
from pathlib import Path

TEMP_SUFFIX = ".vaultnet-tmp"
# Exactly what mkstemp() makes of ``.NAME.`` + random + suffix: only these are ever cleaned up.
TEMPORARY = re.compile(r"^\..+\.[a-z0-9_]{8}\.vaultnet-tmp$")
MAX_NAME_BYTES = 255
STALE_SECONDS = 120.0  # a temporary file older than this belongs to a killed run


def temporary_beside(path: Path) -> tuple[int, str]:
    """A new temporary file beside ``path``, its name shortened to fit the file system's limit."""
    stem = path.name
    room = MAX_NAME_BYTES - len(".." + TEMP_SUFFIX) - 8
    while len(os.fsencode(stem)) > room:
        stem = stem[:-1]
    return tempfile.mkstemp(prefix=f".{stem}.", suffix=TEMP_SUFFIX, dir=path.parent)


def remove_leftovers(root: Path, rels: list[str], now: float | None = None) -> list[str]:
    """Remove vaultnet's own temporary files that a killed run left behind; returns the ones removed.

    Only names of vaultnet's exact pattern, only regular files, and only ones
    older than :data:`STALE_SECONDS` (a running vaultnet's temporary file is
    seconds old). Left alone, sync tools copy these hidden copies of notes around.
    """
    removed = []
    limit = (time.time() if now is None else now) - STALE_SECONDS
    for rel in rels:
        path = root / rel
        try:
            info = path.lstat()
            if TEMPORARY.match(path.name) and stat.S_ISREG(info.st_mode) and info.st_mtime < limit:
                path.unlink()
                removed.append(rel)
        except OSError:
            continue
    return removed


def leftovers_beside(path: Path) -> list[str]:
    """The names of vaultnet's temporary files in ``path``'s folder."""
    try:
        with os.scandir(path.parent) as listing:
            return [entry.name for entry in listing if TEMPORARY.match(entry.name)]
    except OSError:
        return []
