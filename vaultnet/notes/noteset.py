"""The parsed notes of a vault, kept by path and updated one path at a time.

A full :meth:`NoteSet.scan` reads every note whose size or modification time
changed; :meth:`NoteSet.update` looks at one path on disk (a file, a folder, or
something gone) so the watcher re-reads only what an event names.
"""

from __future__ import annotations

import bisect
import logging
import os
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from vaultnet.base import forked
from vaultnet.base.errors import Problem
from vaultnet.base.keys import DATE_SPELLINGS, normalise
from vaultnet.files.config import Config
from vaultnet.files.copies import icloud_note
from vaultnet.files.digests import as_read, counts_by_ticks, digest, problem_digest
from vaultnet.files.digests import racy as changed_too_recently
from vaultnet.files.reads import holds
from vaultnet.files.walk import Skipper, VaultFile, conflict_original, escaped, is_utf8, walk_stat
from vaultnet.files.writes import NotAFile, read_regular

if TYPE_CHECKING:
    from vaultnet.notes.note import Note
    from vaultnet.notes.relevance import FrontMatterFilter

# (size, mtime_ns, ctime_ns, inode): ctime cannot be set back, so an edit that
# restores the mtime (and keeps the size) still changes the signature.
Signature = tuple[int, int, int, int]
UNKNOWN: Signature = (-1, -1, -1, -1)
UNREADABLE: Signature = (-2, -2, -2, -2)  # cannot be stat'ed (a dangling symlink): reported, stable
# Notes to read at which a scan has a copy of the process read half (a cold build, a clone, a large pull):
# below it, copying the process and sending back what it read would save little.
FORK_FROM = 1000

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Entry:
    signature: Signature  # when read; UNKNOWN means "read it again next time"
    note: Note | None  # None: unreadable, see problems
    problems: tuple[Problem, ...] = ()
    conflict: bool = False  # a sync conflict copy (its note is read, and counted as a copy)
    digest: int = 0  # what the note gives a build, the same on every device (vaultnet.files.digests)
    racy: bool = False  # read within a timestamp's resolution of its last change: read it again next time

    def differs(self, other: Entry | None) -> bool:
        """True when ``other`` gives a build something else: a change of content, not of times."""
        return (other is None or self.digest != other.digest or self.problems != other.problems
                or self.conflict != other.conflict or (self.note is None) != (other.note is None))


def _racy(signature: Signature, read_at: int) -> bool:
    """Read in the same second (or two) it was last modified: a same-size edit may follow unseen."""
    return signature[1] >= 0 and changed_too_recently(signature[1], read_at)


# Shared by the thousands of notes that hold none: thirty thousand empty dicts and lists are
# megabytes. A note is never changed once parsed (readers return values, they do not write
# onto notes), so nothing ever writes into these.
EMPTY_MAP: dict[str, Any] = {}
EMPTY_LIST: list[Any] = []


def share_empties(note: Note) -> Note:
    """``note`` with its empty properties, key lines, inline fields, problems and lines shared."""
    if not note.meta:
        note.meta = EMPTY_MAP
    if not note.key_lines:
        note.key_lines = EMPTY_MAP
    if not note.inline:
        note.inline = EMPTY_MAP
    if not note.problems:
        note.problems = EMPTY_LIST
    if note.countable_lines is not None and not note.countable_lines:
        note.countable_lines = EMPTY_LIST
    return note


def _signature(stat: os.stat_result) -> Signature:
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


def _content_digest(rel: str, data: bytes) -> int:
    return digest(rel, data)


def _unreadable(signature: Signature, problem: Problem) -> Entry:
    return Entry(signature, None, (problem,), digest=problem_digest(problem.path, [problem.message]))


class NoteSet:
    """Storage only: which notes there are and what they held when read.

    ``trim`` is handed in by the caller and decides, as each entry is made,
    what a note keeps in memory (what counts is a domain rule this module does
    not know); the entry then never changes until its file does. ``front_filter``
    is handed in too: for a path, the cheap check that lets front matter which
    cannot matter go unparsed (None: parse it all).
    """

    def __init__(
        self, config: Config, trim: Callable[[Note], Note] | None = None,
        front_filter: Callable[[str], FrontMatterFilter | None] | None = None,
        digest: Callable[[str, bytes], int] | None = None,
        replaced: Callable[[str, Entry | None, Entry], None] | None = None,
    ) -> None:
        self.config = config
        # Told when an entry is read again and gives something else (the session keeps what it must remember).
        self.replaced = replaced
        self.trim = trim
        self.front_filter = front_filter
        # What a note's bytes give a build (handed in: which notes count only by their ticks is not this module's rule).
        self.digest = digest or (lambda rel, data: _content_digest(rel, data))
        self.skipper = Skipper(config)
        # The properties that date a note: a note holding one keeps its body (see notes.note.parse_note).
        self.date_keys = frozenset(normalise(key) for key in config.date_properties) or DATE_SPELLINGS
        self.entries: dict[str, Entry] = {}
        self.leftovers: list[str] = []  # vaultnet's temporary files the last walk found
        self._order: list[str] = []  # the paths of ``entries`` in order, as last sorted (see paths())
        self._order_set: set[str] = set()

    def _read(self, file: VaultFile, known: Signature | None = None) -> Entry | None:
        """The entry ``file`` holds now; ``known``, the signature the walk saw, is kept when it is the one read
        (thirty thousand signatures are held for the whole build: once each, not twice)."""
        return self._read_bytes(file, known)[0]

    def _read_bytes(self, file: VaultFile, known: Signature | None = None) -> tuple[Entry | None, bytes | None]:
        """The entry ``file`` holds now, with the bytes it was made from (None when none were read)."""
        if file.bad_name:
            what = "folder" if file.rel.endswith("/") else "file"
            return _unreadable(UNREADABLE, Problem(file.rel.rstrip("/"), None,
                               f"the {what} name is not valid UTF-8, skipped; rename it")), None
        path = self.config.root / file.rel
        if file.icloud:
            return self._placeholder(file.rel), None
        try:
            found = read_regular(path)
            if found is None:
                return None, None
            data, opened = found
            read_at = time.time_ns()
            # The file as opened (its fstat, before the read) against the path after it: a file changed
            # or replaced meanwhile differs, and one replaced before it was opened was read whole.
            before, after = _signature(opened), _signature(path.stat())
        except FileNotFoundError:
            return None, None
        except NotAFile as err:
            return _unreadable(UNREADABLE, Problem(file.rel, None, str(err).split(": ", 1)[-1] + ", skipped")), None
        except OSError as err:
            return _unreadable(UNKNOWN, Problem(file.rel, None, f"cannot read: {err.strerror}")), None
        # Changed while being read, or read so soon after a change that the next one could leave the same
        # size and times (git's "racy clean"): keep what was read, but read it again next time.
        if known is not None and before == known:
            before = known
        return self._parse(file, data, before if before == after else UNKNOWN, _racy(after, read_at)), data

    def _parse(self, file: VaultFile, data: bytes, signature: Signature, racy: bool) -> Entry:
        from vaultnet.notes.note import (
            parse_note,  # YAML and all: imported by the first read, which a warm build never makes
        )

        read = as_read(data) if counts_by_ticks(self.config, file.rel) else data  # vaultnet's notes: their ticks
        note, problems = parse_note(file.rel, read, self.config.person_tags, self._filter(file.rel), self.date_keys)
        if note is not None:
            note.compact()  # thousands of notes: keep what counts, not their whole text
            if self.trim is not None:
                note = self.trim(note)
            share_empties(note)
        return Entry(signature, note, tuple(problems) if note is None else (), file.conflict_of is not None,
                     self.digest(file.rel, data), racy)

    def read_note(self, rel: str) -> Note | None:
        """``rel`` read from its file and parsed as a scan reads it, its entry left as it is (None: it cannot be
        read): for a note whose entry in the cache turned out damaged."""
        entry = self._read(VaultFile(rel, conflict_original(rel.rsplit("/", 1)[-1])))
        return entry.note if entry is not None else None

    def read_back(self, rel: str, text: str) -> tuple[bool, bytes | None]:
        """Re-read ``rel``, just written with ``text`` (as :func:`~vaultnet.files.reads.decode_text` gives it):
        whether anything changed, and the bytes read when they hold ``text``.

        One read decides, for everything that follows from it: when the file holds other
        bytes (a sync wrote over it meanwhile), the entry is ``text``, to be read again at
        the next look, which then sees the other bytes as a change. Taking them for what was
        written would hide that change.
        """
        file = VaultFile(rel, conflict_original(rel.rsplit("/", 1)[-1]))
        if not is_utf8(rel) or self.skipper.placeholder(rel) or self.skipper.skip_path(rel):
            return self.update(rel), None
        entry, data = self._read_bytes(file)
        if entry is None or data is None or not holds(data, text):
            entry, data = self._parse(file, text.encode(), UNKNOWN, True), None
        old = self.entries.get(rel)
        self.entries[rel] = entry
        return self._differs(rel, old, entry), data

    def _placeholder(self, rel: str) -> Entry | None:
        """An iCloud placeholder: the note is in iCloud but not on this device, so nothing of it can count."""
        try:
            signature = _signature(os.lstat(self.config.root / rel))
        except FileNotFoundError:
            return None
        except OSError:
            signature = UNREADABLE
        folder, _, name = rel.rpartition("/")
        note = f"{folder}/{icloud_note(name)}" if folder else str(icloud_note(name))
        return _unreadable(signature, Problem(rel, None, (
            f"{note} is in iCloud but not downloaded on this device, so vaultnet cannot read it: "
            "open it once, or choose 'Keep Downloaded' for the vault's folder")))

    def _filter(self, rel: str) -> FrontMatterFilter | None:
        return self.front_filter(rel) if self.front_filter is not None else None

    def stat_all(self) -> dict[str, tuple[VaultFile, Signature]]:
        """Every note's signature, without reading any (UNREADABLE when it cannot be stat'ed).

        vaultnet's own temporary files the walk meets are kept in ``leftovers``.
        """
        self.leftovers = []
        return {file.rel: (file, _signature(stat) if stat else UNREADABLE)
                for file, stat in walk_stat(self.config, leftovers=self.leftovers)}

    def scan(
        self, stats: dict[str, tuple[VaultFile, Signature]] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> bool:
        """Re-read every note whose signature changed and drop the ones gone. True when anything did.

        ``progress(done, total)`` is told, now and then, how many of the notes to read are read.
        """
        stats = self.stat_all() if stats is None else stats
        changed = False
        stale = [(file, signature) for file, signature in stats.values() if not self._current(file.rel, signature)]
        self._share_signatures(stats)
        # A cold build: a copy of the process reads every other note meanwhile (see vaultnet.base.forked);
        # every other one, since the notes of one folder (people's, with their properties) cost alike.
        theirs = stale[1::2] if len(stale) >= FORK_FROM else []
        copy = forked.start(lambda: [self._read(file, signature) for file, signature in theirs]) if theirs else None
        if copy is None:
            for file, signature in self._told(stale, stale, progress):
                changed = self._take(file, signature, self._read(file, signature)) or changed
        else:
            try:
                read: list[Entry | None] = [None] * len(stale)
                read[0::2] = [self._read(file, signature) for file, signature in self._told(stale[0::2], stale, progress)]
                found = copy.result()
                if found is None or len(found) != len(theirs):
                    log.debug("reading %d notes in a second process failed: reading them here", len(theirs))
                    found = [self._read(file, signature) for file, signature in theirs]
                else:
                    log.debug("read %d notes here and %d in a second process", len(stale) - len(theirs), len(theirs))
                read[1::2] = found
            finally:
                copy.cancel()
            for (file, signature), entry in zip(stale, read, strict=True):  # in the walk's order, as one reader
                changed = self._take(file, signature, entry) or changed
        if progress is not None and stale:
            progress(len(stale), len(stale))
        for rel in set(self.entries) - set(stats):
            del self.entries[rel]
            changed = True
        return changed

    @staticmethod
    def _told(files: list[tuple[VaultFile, Signature]], stale: list[tuple[VaultFile, Signature]],
              progress: Callable[[int, int], None] | None) -> Iterator[tuple[VaultFile, Signature]]:
        """``files``, telling ``progress`` now and then how many of ``stale`` are read (a copy of the process
        reading the others goes as fast)."""
        for done, file in enumerate(files):
            if progress is not None and done % 256 == 0:
                progress(done * len(stale) // len(files), len(stale))
            yield file

    def _share_signatures(self, stats: Mapping[str, tuple[VaultFile, Signature]]) -> None:
        """Entries read from the cache keep the walk's equal signature: a build holds both, once is enough."""
        for rel, (_, signature) in stats.items():
            old = self.entries.get(rel)
            if old is not None and old.signature is not signature and old.signature == signature:
                self.entries[rel] = Entry(signature, old.note, old.problems, old.conflict, old.digest, old.racy)

    def _current(self, rel: str, signature: Signature) -> bool:
        """True when the entry was read from the file as it is (by its signature)."""
        old = self.entries.get(rel)
        return old is not None and signature not in (UNKNOWN, UNREADABLE) and old.signature == signature and not old.racy

    def _reread(self, file: VaultFile, signature: Signature) -> bool:
        """Read ``file`` again; True when what it holds changed."""
        return self._take(file, signature, self._read(file, signature))

    def _take(self, file: VaultFile, signature: Signature, entry: Entry | None) -> bool:
        """Keep the entry ``file`` was just read into; True when what it holds changed."""
        old = self.entries.get(file.rel)
        if entry is None and signature == UNREADABLE:
            entry = _unreadable(UNREADABLE, Problem(file.rel, None, "cannot read: no such file (a broken link?)"))
        if entry is None or entry == old:
            return False
        self.entries[file.rel] = entry
        return self._differs(file.rel, old, entry)

    def _differs(self, rel: str, old: Entry | None, entry: Entry) -> bool:
        if not entry.differs(old):
            return False
        if self.replaced is not None:
            self.replaced(rel, old, entry)
        return True

    def signatures(self) -> dict[str, Signature]:
        return {rel: entry.signature for rel, entry in self.entries.items()}

    def update(self, rel: str) -> bool:
        """Look at ``rel`` on disk and re-read, add or drop what it holds. True when anything changed."""
        rel = rel.strip("/")
        if rel in ("", "."):
            return self.scan()
        if not is_utf8(rel):  # a name that is not UTF-8: reported while it exists, never read
            shown = escaped(rel)
            if os.path.lexists(self.config.root / rel) and not self.skipper.skip_path(shown):
                entry = self._read(VaultFile(shown, bad_name=True))
                changed = self.entries.get(shown) != entry
                self.entries[shown] = entry  # type: ignore[assignment]
                return changed
            return self.entries.pop(shown, None) is not None
        if self.skipper.placeholder(rel):
            entry = self._read(VaultFile(rel, icloud=True))
            if entry is None:
                return self.entries.pop(rel, None) is not None
            old = self.entries.get(rel)
            self.entries[rel] = entry
            return self._differs(rel, old, entry)
        path = self.config.root / rel
        if path.is_dir() and not path.is_symlink():
            gone = self.entries.pop(rel, None) is not None  # a note that stood here, now a folder of that name
            if self.skipper.skip_path(rel + "/note.md"):
                return self._drop_under(rel) or gone
            changed, fresh = gone, set()
            # A folder's event says something in it changed, not what: read what its signature says changed
            # (an edit also names the note itself), not every note in it again.
            for file, stat in walk_stat(self.config, rel):
                fresh.add(file.rel)
                signature = _signature(stat) if stat else UNREADABLE
                if not self._current(file.rel, signature):
                    changed = self._reread(file, signature) or changed
            return self._drop_under(rel, present=fresh) or changed
        changed = self._drop_under(rel)  # a folder that stood here is gone
        entry = None
        if not self.skipper.skip_path(rel):
            entry = self._read(VaultFile(rel, conflict_original(rel.rsplit("/", 1)[-1])))
        if entry is None:
            return self.entries.pop(rel, None) is not None or changed
        old = self.entries.get(rel)
        self.entries[rel] = entry
        return self._differs(rel, old, entry) or changed

    def _drop_under(self, folder: str, present: set[str] | frozenset[str] = frozenset()) -> bool:
        gone = [rel for rel in self.under(folder + "/") if rel not in present]
        for rel in gone:
            del self.entries[rel]
        return bool(gone)

    def paths(self) -> list[str]:
        """The paths of the notes read, in order (not to be changed).

        Sorted again only when a path came or went, which one comparison of the
        paths with the last ones tells, in C: a watcher's step after one edit
        neither sorts thirty thousand paths nor goes over them to find the few
        under a folder (see :meth:`under`).
        """
        if self.entries.keys() != self._order_set:
            self._order = sorted(self.entries)
            self._order_set = set(self._order)
        return self._order

    def under(self, prefix: str) -> list[str]:
        """The paths read that start with ``prefix`` (a folder's, ending in ``/``), in order."""
        order = self.paths()
        start = bisect.bisect_left(order, prefix)
        return order[start:bisect.bisect_left(order, prefix[:-1] + chr(ord(prefix[-1]) + 1), start)]

    def contents(self, overrides: Mapping[str, bytes] | None = None) -> tuple[list[Note], list[str], list[Problem]]:
        """Notes (conflict copies among them), the conflict copies' paths and unreadable-file problems, in path order."""
        notes: list[Note] = []
        conflicts: list[str] = []
        problems: list[Problem] = []
        overrides = overrides or {}
        for rel in self.paths():
            entry = self.entries[rel]
            if entry.conflict:
                conflicts.append(rel)
            if rel in overrides:
                from vaultnet.notes.note import parse_note

                note, unreadable = parse_note(rel, overrides[rel], self.config.person_tags, self._filter(rel),
                                              self.date_keys)
            else:
                note, unreadable = entry.note, list(entry.problems)
            if note is not None:
                notes.append(note)
            problems.extend(unreadable)
        return notes, conflicts, problems
