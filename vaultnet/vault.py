"""Which files in the vault are notes, and which are skipped (spec section 2)."""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .config import Config

# Syncthing, Dropbox, Obsidian Sync, Nextcloud and friends.
_CONFLICT = re.compile(
    r"\.sync-conflict-[^/]*$|\s*\([^()]*conflicted copy[^()]*\)|conflicted copy",
    re.IGNORECASE,
)
# Editor and sync-tool temporary files that may end in .md.
_TEMPORARY = re.compile(r"^~|^#.*#$|~$|\.(?:tmp|swp|swo|bak|part|crdownload)$|^~syncthing~", re.IGNORECASE)


@dataclass(frozen=True)
class VaultFile:
    rel: str  # posix path relative to the vault root
    conflict_of: str | None = None  # for a conflict copy: the stem it copies


def conflict_original(name: str) -> str | None:
    """For ``Ana.sync-conflict-2026...md`` or ``Ana (conflicted copy ...).md``: ``Ana``."""
    stem = name[:-3] if name.lower().endswith(".md") else name
    if not _CONFLICT.search(stem):
        return None
    original = _CONFLICT.sub("", stem).strip()
    return original or stem


class Skipper:
    """Decides, from a path alone, whether vaultnet looks at a file or folder."""

    def __init__(self, config: Config) -> None:
        self.templates = config.templates_folder.strip("/")
        self.ignore = tuple(pattern.strip("/") for pattern in config.ignore)

    def skip_dir(self, rel: str) -> bool:
        name = rel.rsplit("/", 1)[-1]
        return name.startswith(".") or rel == self.templates or self._ignored(rel, directory=True)

    def skip_file(self, rel: str) -> bool:
        """True for files that are never notes (conflict copies are *not* skipped here)."""
        name = rel.rsplit("/", 1)[-1]
        if name.startswith(".") or not name.lower().endswith(".md"):
            return True
        if _TEMPORARY.search(name[:-3]) or _TEMPORARY.search(name):
            return True
        return self._ignored(rel, directory=False)

    def skip_path(self, rel: str) -> bool:
        """True when the file or any folder above it is skipped."""
        parts = rel.split("/")
        for depth in range(1, len(parts)):
            if self.skip_dir("/".join(parts[:depth])):
                return True
        return self.skip_file(rel)

    def _ignored(self, rel: str, directory: bool) -> bool:
        name = rel.rsplit("/", 1)[-1]
        for pattern in self.ignore:
            if fnmatch.fnmatchcase(rel, pattern) or ("/" not in pattern and fnmatch.fnmatchcase(name, pattern)):
                return True
            if not directory and fnmatch.fnmatchcase(rel, pattern + "/*"):
                return True
        return False


def walk(config: Config, folder: str = "") -> Iterator[VaultFile]:
    """Every markdown note in the vault (or one folder of it), in a stable order, skipping what section 2 skips.

    Symlinked folders are not followed, so a link loop or a link out of the
    vault cannot make a walk endless or read someone else's files.
    """
    skipper = Skipper(config)
    root = str(config.root)
    for current, dirs, files in os.walk(os.path.join(root, folder) if folder else root):
        rel_folder = os.path.relpath(current, root).replace(os.sep, "/")
        prefix = "" if rel_folder == "." else rel_folder + "/"
        dirs[:] = sorted(d for d in dirs if not skipper.skip_dir(prefix + d))
        for name in sorted(files):
            rel = prefix + name
            if skipper.skip_file(rel):
                continue
            yield VaultFile(rel, conflict_original(name))
