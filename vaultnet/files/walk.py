"""Which files in the vault are notes, and which are skipped (docs/formats.md, The vault)."""

from __future__ import annotations

import fnmatch
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from operator import attrgetter

from vaultnet.base.keys import TEMPLATE_FOLDERS
from vaultnet.files.config import TEMPLATE_DEPTH, Config
from vaultnet.files.copies import conflict_original, icloud_note
from vaultnet.files.writes import TEMPORARY

__all__ = ["Skipper", "VaultFile", "conflict_original", "escaped", "is_utf8", "walk", "walk_stat"]

# Editor and sync-tool temporary files that may end in .md (tested with and without the .md).
_TEMPORARY = re.compile(
    r"^~|^#.*#(?:\.md)?$|~(?:\.md)?$|\.(?:tmp|swp|swo|bak|part|crdownload)(?:\.md)?$", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class VaultFile:
    rel: str  # posix path relative to the vault root
    conflict_of: str | None = None  # for a conflict copy: the stem it copies
    bad_name: bool = False  # the name is not UTF-8: ``rel`` shows its bytes escaped, and it is never read
    icloud: bool = False  # an iCloud placeholder (``.Name.md.icloud``): the note is not downloaded here


def is_utf8(name: str) -> bool:
    """False for a name with bytes that are not UTF-8 (Python keeps them as surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def escaped(name: str) -> str:
    """A name that is not UTF-8, printable: ``Caf\\xe9.md``."""
    return os.fsencode(name).decode("utf-8", errors="backslashreplace")


class Skipper:
    """Decides, from a path alone, whether vaultnet looks at a file or folder."""

    def __init__(self, config: Config) -> None:
        self.templates = {folder.strip("/") for folder in (config.templates_folder, *config.templates_folders) if folder}
        # No setting names the templates folder: a folder named like one (`Templates`) is one.
        self.by_name = not self.templates
        self.ignore = tuple(pattern.strip("/") for pattern in config.ignore)

    def skip_dir(self, rel: str) -> bool:
        name = rel.rsplit("/", 1)[-1]
        return name.startswith(".") or rel in self.templates or (self.by_name and name.casefold() in TEMPLATE_FOLDERS
                                                                  and rel.count("/") < TEMPLATE_DEPTH) \
            or self._ignored(rel, directory=True)

    def skip_file(self, rel: str) -> bool:
        """True for files that are never notes (conflict copies are *not* skipped here)."""
        name = rel.rsplit("/", 1)[-1]
        if name.startswith(".") or not name.lower().endswith(".md"):
            return True
        return self.skip_note(rel, name)

    def skip_note(self, rel: str, name: str) -> bool:
        """For a ``.md`` file ``name`` (at ``rel``) not starting with a dot: True when it is skipped."""
        # Cheap string checks first: this runs for every file of the vault on every build.
        if (name[0] in "~#" or "~" in name or name.count(".") > 1) and _TEMPORARY.search(name):
            return True
        return bool(self.ignore) and self._ignored(rel, directory=False)

    def skip_path(self, rel: str) -> bool:
        """True when the file or any folder above it is skipped."""
        parts = rel.split("/")
        for depth in range(1, len(parts)):
            if self.skip_dir("/".join(parts[:depth])):
                return True
        return self.skip_file(rel)

    def placeholder(self, rel: str) -> bool:
        """True for an iCloud placeholder (``People/.Ana.md.icloud``) of a note vaultnet would read."""
        folder, _, name = rel.rpartition("/")
        note = icloud_note(name)
        return note is not None and not self.skip_path(f"{folder}/{note}" if folder else note)

    def _ignored(self, rel: str, directory: bool) -> bool:
        name = rel.rsplit("/", 1)[-1]
        for pattern in self.ignore:
            if fnmatch.fnmatchcase(rel, pattern) or ("/" not in pattern and fnmatch.fnmatchcase(name, pattern)):
                return True
            if not directory and fnmatch.fnmatchcase(rel, pattern + "/*"):
                return True
        return False


def walk_stat(config: Config, folder: str = "",
              leftovers: list[str] | None = None) -> Iterator[tuple[VaultFile, os.stat_result | None]]:
    """Every markdown note in the vault (or one folder of it) with its ``stat``, in a stable
    order, skipping what section 2 skips. ``None`` when the file cannot be stat'ed.

    Symlinked folders are not followed, so a link loop or a link out of the
    vault cannot make a walk endless or read someone else's files. A name that
    is not UTF-8 comes with ``bad_name`` set (and no stat); vaultnet's own
    temporary files, when found, are added to ``leftovers``.
    """
    skipper = Skipper(config)
    pending = [folder.strip("/")]
    root = str(config.root)
    while pending:
        current = pending.pop()
        prefix = current + "/" if current else ""
        try:
            with os.scandir(os.path.join(root, current) if current else root) as listing:
                entries = sorted(listing, key=attrgetter("name"))
        except OSError:
            continue
        folders = []
        # The warm build is this loop and a stat per note: each test below is ordered cheapest and
        # most decisive first (a name starting with '.' is never part of the vault).
        for entry in entries:
            name = entry.name
            if name[0] == ".":
                if leftovers is not None and TEMPORARY.match(name):
                    leftovers.append(prefix + name)
                elif name.endswith(".icloud") and skipper.placeholder(prefix + name):
                    try:
                        found: os.stat_result | None = entry.stat(follow_symlinks=False)
                    except OSError:
                        found = None
                    yield VaultFile(prefix + name, icloud=True), found
                continue
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_folder = False
            if not is_folder and not name.endswith(".md") and not name.lower().endswith(".md"):
                continue
            rel = prefix + name
            if not name.isascii() and not is_utf8(name):
                # Never part of the build (no text can name it), but reported, and the rest goes on.
                yield VaultFile(escaped(rel) + ("/" if is_folder else ""), bad_name=True), None
                continue
            if is_folder:
                if not skipper.skip_dir(rel):
                    folders.append(rel)
            elif not skipper.skip_note(rel, name):
                try:
                    stat: os.stat_result | None = entry.stat()
                except OSError:
                    stat = None
                yield VaultFile(rel, conflict_original(name) if "onflict" in name.lower() else None), stat
        pending.extend(reversed(folders))  # depth first, in name order


def walk(config: Config, folder: str = "") -> Iterator[VaultFile]:
    """Every markdown note in the vault (or one folder of it); see :func:`walk_stat`."""
    for file, _ in walk_stat(config, folder):
        yield file
