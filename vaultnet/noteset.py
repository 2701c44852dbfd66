"""The parsed notes of a vault, kept by path and updated one path at a time.

A full :meth:`NoteSet.scan` reads every note whose size or modification time
changed; :meth:`NoteSet.update` looks at one path on disk (a file, a folder, or
something gone) so the watcher re-reads only what an event names.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from .config import Config
from .errors import Problem
from .notes import Note, parse_note
from .vault import Skipper, VaultFile, conflict_original, walk


@dataclass(frozen=True)
class Entry:
    signature: tuple[int, int]  # (size, mtime_ns) when read
    note: Note | None  # None: unreadable, see problems
    problems: tuple[Problem, ...] = ()
    conflict: bool = False


def _signature(stat: os.stat_result) -> tuple[int, int]:
    return (stat.st_size, stat.st_mtime_ns)


class NoteSet:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.skipper = Skipper(config)
        self.entries: dict[str, Entry] = {}

    def _read(self, file: VaultFile, stat: os.stat_result | None = None) -> Entry | None:
        path = self.config.root / file.rel
        try:
            stat = stat or path.stat()
            if file.conflict_of is not None:
                return Entry(_signature(stat), None, (), conflict=True)
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as err:
            return Entry((-1, -1), None, (Problem(file.rel, None, f"cannot read: {err.strerror}"),))
        note, problems = parse_note(file.rel, data)
        return Entry(_signature(stat), note, tuple(problems) if note is None else ())

    def scan(self) -> bool:
        """Walk the whole vault; re-read what changed. True when anything did."""
        seen: set[str] = set()
        changed = False
        for file in walk(self.config):
            seen.add(file.rel)
            old = self.entries.get(file.rel)
            try:
                stat = (self.config.root / file.rel).stat()
            except OSError as err:  # a dangling symlink, a permission problem
                self.entries[file.rel] = Entry((-1, -1), None, (Problem(file.rel, None, f"cannot read: {err.strerror}"),))
                changed = True
                continue
            if old is not None and old.signature == _signature(stat):
                continue
            entry = self._read(file, stat)
            if entry is not None:
                self.entries[file.rel] = entry
                changed = True
        for rel in set(self.entries) - seen:
            del self.entries[rel]
            changed = True
        return changed

    def update(self, rel: str) -> bool:
        """Look at ``rel`` on disk and re-read, add or drop what it holds. True when anything changed."""
        rel = rel.strip("/")
        if rel in ("", "."):
            return self.scan()
        path = self.config.root / rel
        if path.is_dir() and not path.is_symlink():
            if self.skipper.skip_path(rel + "/note.md"):
                return self._drop_under(rel)
            changed, fresh = False, set()
            for file in walk(self.config, rel):
                fresh.add(file.rel)
                entry = self._read(file)
                if entry is not None and self.entries.get(file.rel) != entry:
                    self.entries[file.rel] = entry
                    changed = True
            return self._drop_under(rel, keep=fresh) or changed
        changed = self._drop_under(rel)  # a folder that stood here is gone
        entry = None
        if not self.skipper.skip_path(rel):
            entry = self._read(VaultFile(rel, conflict_original(rel.rsplit("/", 1)[-1])))
        if entry is None:
            return self.entries.pop(rel, None) is not None or changed
        old = self.entries.get(rel)
        self.entries[rel] = entry
        return old != entry or changed

    def _drop_under(self, folder: str, keep: set[str] | frozenset[str] = frozenset()) -> bool:
        prefix = folder + "/"
        gone = [rel for rel in self.entries if rel.startswith(prefix) and rel not in keep]
        for rel in gone:
            del self.entries[rel]
        return bool(gone)

    def contents(self, overrides: Mapping[str, bytes] | None = None) -> tuple[list[Note], list[str], list[Problem]]:
        """Notes, conflict copies and unreadable-file problems, in path order."""
        notes: list[Note] = []
        conflicts: list[str] = []
        problems: list[Problem] = []
        overrides = overrides or {}
        for rel in sorted(self.entries):
            entry = self.entries[rel]
            if entry.conflict:
                conflicts.append(rel)
                continue
            if rel in overrides:
                note, unreadable = parse_note(rel, overrides[rel])
            else:
                note, unreadable = entry.note, list(entry.problems)
            if note is not None:
                notes.append(note)
            problems.extend(unreadable)
        return notes, conflicts, problems
