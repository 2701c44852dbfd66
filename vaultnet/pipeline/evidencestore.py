"""Each note's evidence, kept on disk between commands (``.vaultnet/cache/evidence.sqlite``).

Working out what a note says about people, and reading each person's note
into a contact, is most of an assembly after reading the notes. A watcher keeps it in memory; a command run on its own
would work out all thirty thousand notes' evidence again after one edit. This
store keeps each note's evidence in a row, under its path, the digest of the
note it came from, whether the note is a person's, and a key for everything
else it was worked out from (the settings, with what was concluded about the
vault, and what it reads of every other person: see
:func:`vaultnet.standings.network.evidence_key`). An assembly asks for a note's
row and uses it only when all of these match; otherwise it works the evidence
out. A person's note has a second row, in the ``contacts`` table: the contact
read from it, under a key for the settings alone. ``build`` puts what it worked out back, as it keeps the note cache; every
other command only reads the store, and leaves the vault as it is. A watcher
does neither: it keeps every note's evidence in memory.

SQLite, so that one edit replaces one row and a command reads only the rows
it asks for, a note at a time: thirty thousand notes' evidence is never in
memory as bytes beside the objects made from it. Each row is MessagePack in
a shape checked by a schema as it is decoded, and holds the text and tags of
each line it counts: a row is read without the note's own lines, which a note
from the cache decodes only when something asks for them (most never are after
an edit). A store that cannot be read, or one other
code wrote, is set aside (with a warning when it is damaged) and made again
by the next build. The rollback journal (not WAL) leaves nothing beside the
file between commands for a sync tool to copy half of.
"""

from __future__ import annotations

import bisect
import contextlib
import logging
import os
import sqlite3
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from sys import intern
from typing import Any

import msgspec

from vaultnet.base.dates import Date
from vaultnet.base.errors import Problem
from vaultnet.base.version import __version__
from vaultnet.evidence.contacts import Contact
from vaultnet.evidence.interactions import with_shared_empties
from vaultnet.evidence.mentions import Unclear
from vaultnet.evidence.model import Evidence, Interaction, Source, Task
from vaultnet.files.config import STATE_DIR, Config
from vaultnet.files.writes import UnsafePath, target_in_vault
from vaultnet.notes.note import Note, shared_value
from vaultnet.pipeline.cache import cache_folder

__all__ = ["NAME", "EvidenceStore"]

log = logging.getLogger(__name__)

NAME = "evidence.sqlite"
FORMAT = 3  # 2: the contacts table; 3: each interaction holds its text and tags
# Each table's columns, in order: a store whose tables have others is made again.
_TABLES = {
    "evidence": "rel TEXT PRIMARY KEY, key TEXT NOT NULL, digest TEXT NOT NULL, owned INTEGER NOT NULL,"
                " data BLOB NOT NULL",
    "contacts": "rel TEXT PRIMARY KEY, key TEXT NOT NULL, digest TEXT NOT NULL, data BLOB NOT NULL",
}


def _columns(table: str) -> list[str]:
    return [column.split()[0] for column in _TABLES[table].split(",")]


_INSERT = {table: f"INSERT OR REPLACE INTO {table} VALUES ({', '.join('?' * len(_columns(table)))})"
           for table in _TABLES}

WAIT = 0.5  # seconds a command waits for a store another process writes, before it works evidence out instead


class _Interaction(msgspec.Struct, array_like=True):
    date: Date
    kind: str
    raw: str  # the line's text, held here: a note read from the cache is decoded only when something asks
    path: str | None  # None: the note's own path, as nearly every interaction's is
    line: int | None
    people: int  # each group of strings is written once a row, in `groups`: here its place there
    exchanges: int
    exchanges_for: int
    tags: int
    source: Source
    key: str | None


class _Task(msgspec.Struct, array_like=True):
    text: str
    due: Date | None
    path: str | None
    line: int
    people: int


class _Link(msgspec.Struct, array_like=True):
    path: str
    linked: int
    is_set: bool  # one note's links are a tuple in path order; a meeting's may be a set


class _Unclear(msgspec.Struct, array_like=True):
    path: str | None
    line: int | None
    name: str
    why: str


class _Problem(msgspec.Struct, array_like=True):
    path: str | None
    line: int | None
    message: str


class _Found(msgspec.Struct, array_like=True):
    groups: list[tuple[str, ...]]  # people, tags, links: a contact's note names the same few on every line
    interactions: list[_Interaction]
    follow_ups: list[_Task]
    open_loops: list[_Task]
    links: list[_Link]
    intro_lines: list[int]
    ticked: list[str]
    unclear: list[_Unclear]
    unlinked: bool
    problems: list[_Problem]


_decode = msgspec.msgpack.Decoder(_Found).decode
_encode = msgspec.msgpack.Encoder().encode
# A contact is a typed dataclass already: its own schema checks a row as it is decoded.
_decode_contact = msgspec.msgpack.Decoder(tuple[Contact, list[Problem]]).decode


def _own(rel: str, path: str) -> str | None:
    return None if path == rel else path


def encode(note: Note, found: Evidence, problems: list[Problem]) -> bytes | None:
    """A row's data; None when the evidence holds what the store does not keep (a captured chat day,
    which only vaultnet's own notes hold: they are worked out each time)."""
    if any(item.chat is not None for item in found.interactions):
        return None
    if not problems and not found.gives_anything():
        return b""  # most notes: no evidence, no problem
    rel = note.rel
    groups: dict[tuple[str, ...], int] = {}

    def group(values: Iterable[str]) -> int:
        return groups.setdefault(tuple(values), len(groups))

    def tasks(items: list[Task]) -> list[_Task]:
        return [_Task(t.text, t.due, _own(rel, t.path), t.line, group(t.people)) for t in items]

    interactions = [_Interaction(i.date, i.kind, i.raw, _own(rel, i.path), i.line, group(i.people),
                                 group(i.exchanges), group(i.exchanges_for), group(i.tags), i.source, i.key)
                    for i in found.interactions]
    stored = _Found(
        [], interactions, tasks(found.follow_ups), tasks(found.open_loops),
        [_Link(path, group(sorted(linked) if isinstance(linked, set) else linked), isinstance(linked, set))
         for path, linked in found.links.items()],
        [group(line) for line in found.intro_lines], sorted(found.ticked),
        [_Unclear(_own(rel, path), line, unclear.name, unclear.why) for path, line, unclear in found.unclear],
        found.unlinked,
        [_Problem(_own(rel, p.path), p.line, p.message) for p in problems])
    stored.groups = list(groups)
    return _encode(stored)


class _Shared:
    """One object for each distinct date and group of people decoded: tens of thousands of interactions
    name the same few, and extraction shares them as well."""

    def __init__(self) -> None:
        self._items: dict[Any, Any] = {}

    def __call__(self, value: Any) -> Any:
        found = self._items.get(value)
        if found is None:
            found = self._items[value] = value
        return found

    def strings(self, values: tuple[str, ...]) -> tuple[str, ...]:
        if not values:
            return ()
        found = self._items.get(values)
        if found is None:
            found = tuple(map(intern, values))
            self._items[found] = found  # the decoded tuple is let go, and its strings with it
        return found


_PHRASES = ("aliases", "offers", "needs", "interests", "goals", "friends")
_DATES = ("last_contact", "snooze_until", "follow_up")


def _shared_contact(contact: Contact, share: _Shared) -> Contact:
    """``contact`` holding one object for each value thousands of contacts repeat, as reading it does.

    Decoded, every contact's circle, rhythm, phrases, properties and dates are
    objects of their own (nine megabytes on 10,000 contacts, against the notes'
    shared ones); interned and shared, they cost what reading the notes costs.
    """
    contact.name = intern(contact.name)
    if contact.circle is not None:
        contact.circle = intern(contact.circle)
    contact.follow_up_text = intern(contact.follow_up_text)
    if contact.cadence is not None:
        contact.cadence = share(contact.cadence)
    if contact.birthday is not None:
        contact.birthday = share(contact.birthday)
    for name in _DATES:
        value = getattr(contact, name)
        if value is not None:
            setattr(contact, name, share(value))
    for name in _PHRASES:
        value = getattr(contact, name)
        if value:
            setattr(contact, name, share.strings(value))
    if contact.fields:
        contact.fields = {intern(key): shared_value(value) for key, value in contact.fields.items()}
    return contact


# The evidence of every note whose row holds none (most notes): one object, since evidence is read, never added to.
_NO_EVIDENCE = with_shared_empties(Evidence())


def decode(rel: str, data: bytes, share: _Shared) -> tuple[Evidence, list[Problem]]:
    """The evidence and problems of the note ``rel``'s row, as extraction gave them (its shape checked as it is
    decoded): from the row alone, never the note's lines.

    An IndexError: the row names a group it does not hold.
    """
    if not data:
        return _NO_EVIDENCE, []
    stored = _decode(data)
    table = [share.strings(values) for values in stored.groups]

    def path(value: str | None) -> str:
        return rel if value is None else intern(value)

    def tasks(items: list[_Task]) -> list[Task]:
        return [Task(t.text, share(t.due), path(t.path), t.line, table[t.people]) for t in items]

    found = Evidence()
    if stored.interactions:
        found.interactions = [
            Interaction(share(i.date), intern(i.kind), i.raw, path(i.path), i.line, table[i.people],
                        table[i.exchanges], table[i.exchanges_for], table[i.tags], i.source,
                        None if i.key is None else intern(i.key))
            for i in stored.interactions]
    if stored.follow_ups:
        found.follow_ups = tasks(stored.follow_ups)
    if stored.open_loops:
        found.open_loops = tasks(stored.open_loops)
    if stored.links:
        found.links = {intern(link.path): set(table[link.linked]) if link.is_set else table[link.linked]
                       for link in stored.links}
    if stored.intro_lines:
        found.intro_lines = [table[line] for line in stored.intro_lines]
    if stored.ticked:
        found.ticked = set(stored.ticked)
    if stored.unclear:
        found.unclear = [(path(u.path), u.line, Unclear(u.name, u.why)) for u in stored.unclear]
    found.unlinked = stored.unlinked
    problems = [Problem(path(p.path), p.line, p.message) for p in stored.problems] if stored.problems else []
    return with_shared_empties(found), problems


class _Rows:
    """The rows of one table, read in path order, a batch at a time: an assembly asks in that order, so
    there is one query for every ``BATCH`` notes, not one a note. No cursor stays open between calls, so
    a row put meanwhile never moves one.

    A batch answers for every path from the one it was asked for to its last row's, or to the end when it
    is the last: a store with few rows (none, in a first build) is asked once, not once a note.
    """

    BATCH = 256

    def __init__(self, table: str) -> None:
        self._query = (f"SELECT {', '.join(_columns(table))} FROM {table} WHERE rel >= ? ORDER BY rel LIMIT ?")
        self.forget()

    def forget(self) -> None:
        """The next row asked for is read as it is then."""
        self._batch: list[tuple[Any, ...]] = []
        self._paths: list[str] = []
        self._low: str | None = None  # the paths the batch answers for: from this one...
        self._high: str | None = None  # ... to this one (None: to the end)

    def _holds(self, rel: str) -> bool:
        return self._low is not None and self._low <= rel and (self._high is None or rel <= self._high)

    def row(self, db: sqlite3.Connection, rel: str) -> tuple[Any, ...] | None:
        """The row of ``rel`` without its path; None when there is none."""
        if not self._holds(rel):
            self._batch = db.execute(self._query, (rel, self.BATCH)).fetchall()
            self._paths = [row[0] for row in self._batch]
            self._low, self._high = rel, self._paths[-1] if len(self._batch) == self.BATCH else None
        batch, paths = self._batch, self._paths
        at = bisect.bisect_left(paths, rel)
        if at < len(batch) and paths[at] == rel:
            return batch[at][1:]
        return None


class EvidenceStore:
    """The store of one vault, opened with the first row asked for.

    ``digest(note)`` is the digest of the file ``note`` was read from, or None
    when it is no note as read (one parsed from bytes a build would write, such
    as a follow-up it completes): a row is used only for the version of the note
    it was worked out from, and a note that stands in for its file is worked out.
    """

    PUT_BATCH = 256  # rows put are written this many at a time (a few hundred kilobytes at most)

    def __init__(self, config: Config, digest: Callable[[Note], int | None], code: str) -> None:
        self.config = config
        self._digest = digest
        self._db: sqlite3.Connection | None = None
        self._unusable: set[bool] = set()  # reading, writing: what failed (a store that fails is not tried again)
        self._writable = False
        self.writing = False  # a build's session puts what it works out; any other only reads
        self._ours = {"format": str(FORMAT), "vaultnet": __version__, "code": code}
        self._share = _Shared()
        self._rows = {table: _Rows(table) for table in _TABLES}
        self._pending: dict[str, list[tuple[object, ...]]] = {table: [] for table in _TABLES}  # put, not yet written

    def _connect(self) -> sqlite3.Connection | None:
        """The store: read only, or for writing once this session builds (``writing``). None when there
        is none to read, or it cannot be used (then it is not tried again by this process)."""
        if self._db is not None and (self._writable or not self.writing):
            return self._db
        if self.writing in self._unusable:
            return None
        if self._db is not None:  # read until now: a build writes
            self._close()
        try:
            db = self._open_writing() if self.writing else self._open_reading()
        except (OSError, UnsafePath, sqlite3.Error) as err:
            log.warning("leaving the evidence store aside: %s", err)
            db = None
        if db is None:
            self._unusable.add(self.writing)
            return None
        self._db, self._writable = db, self.writing
        return db

    def _path(self, folder: Path | None = None) -> Path:
        folder = folder or target_in_vault(self.config.root, f"{STATE_DIR}/cache")  # no link out of the vault
        path = folder / NAME
        if path.is_symlink():
            raise UnsafePath(f"{path} is a link")
        return path

    def _open_reading(self) -> sqlite3.Connection | None:
        """Read only (a read command leaves the vault as it is): None when there is no store of this code."""
        path = self._path()
        if not path.is_file():
            return None
        db = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=WAIT, check_same_thread=False)
        try:
            if self._meta(db) == self._ours:
                return db
        except sqlite3.DatabaseError as err:
            log.warning("leaving the unreadable evidence store %s aside (%s); the next build makes it again",
                        path, err)
        db.close()
        return None

    def _open_writing(self) -> sqlite3.Connection | None:
        if not self.config.root.is_dir():
            return None  # the vault is gone: never create it again
        path = self._path(cache_folder(self.config))
        try:
            return self._prepared(path)
        except sqlite3.DatabaseError as err:
            log.warning("discarding the unreadable evidence store %s (%s); it will be rebuilt", path, err)
            for gone in (path, path.with_name(path.name + "-journal")):  # its journal would be played into the new one
                gone.unlink(missing_ok=True)
            return self._prepared(path)

    def _prepared(self, path: Path) -> sqlite3.Connection:
        """The store at ``path``, its tables made, and emptied when another vaultnet filled them."""
        with contextlib.suppress(FileExistsError):  # only this user reads what notes say, as with the note cache
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        db = sqlite3.connect(path, timeout=WAIT, isolation_level="DEFERRED", check_same_thread=False)
        try:
            # A cache, like the note cache: its journal keeps it whole when a process is killed, and
            # nothing waits for the disk (after a power cut, a damaged store is set aside and made again).
            db.execute("PRAGMA synchronous = OFF")
            db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
            if self._meta(db) != self._ours or any(
                    [row[1] for row in db.execute(f"PRAGMA table_info({table})")] != _columns(table)
                    for table in _TABLES):
                for table, columns in _TABLES.items():
                    db.execute(f"DROP TABLE IF EXISTS {table}")
                    db.execute(f"CREATE TABLE {table} ({columns})")
                db.execute("DELETE FROM meta")
                db.executemany("INSERT INTO meta VALUES (?, ?)", self._ours.items())
            db.commit()
        except BaseException:
            db.close()
            raise
        return db

    @staticmethod
    def _meta(db: sqlite3.Connection) -> dict[str, str]:
        return dict(db.execute("SELECT name, value FROM meta").fetchall())

    def _close(self) -> None:
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._forget_rows()
        self._pending = {table: [] for table in _TABLES}  # never written: a build that fails has no rows to keep
        self._db = None

    def _failed(self, err: sqlite3.Error) -> None:
        """A store that fails mid-way (locked by another process for long, damaged, gone) is let go:
        the command works everything out, as it would with no store."""
        if isinstance(err, sqlite3.OperationalError) and "locked" in str(err):
            log.info("the evidence store is busy; working out evidence without it")
        else:
            log.warning("leaving the evidence store aside: %s", err)
        self._close()
        self._unusable.update((False, True))

    def get(self, key: str, note: Note, owned: bool) -> tuple[Evidence, list[Problem]] | None:
        """The evidence kept for ``note``, when it was worked out from the note as read, under ``key``."""
        row = self._row("evidence", key, note)
        if row is None or bool(row[0]) != owned:
            return None
        try:
            return decode(note.rel, row[1], self._share)
        except (msgspec.DecodeError, TypeError, ValueError, IndexError) as err:
            self._damaged(note.rel, err)
            return None

    def get_contact(self, key: str, note: Note) -> tuple[Contact, list[Problem]] | None:
        """The contact kept for the person's note ``note``, when it was read from the note as read, under ``key``."""
        row = self._row("contacts", key, note)
        if row is None:
            return None
        try:
            contact, problems = _decode_contact(row[0])
        except (msgspec.DecodeError, TypeError, ValueError) as err:
            self._damaged(note.rel, err)
            return None
        contact.path = note.rel  # the note's own string, as reading it gives
        return _shared_contact(contact, self._share), problems

    @staticmethod
    def _damaged(rel: str, err: Exception) -> None:
        log.warning("discarding a damaged row of the evidence store (%s: %s)", rel, err)

    def _row(self, table: str, key: str, note: Note) -> tuple[Any, ...] | None:
        """The rest of ``note``'s row in ``table``, when it was worked out from the note as read under ``key``."""
        digest = self._digest(note)
        db = self._connect() if digest is not None else None
        if db is None:
            return None
        try:
            row = self._rows[table].row(db, note.rel)
        except sqlite3.Error as err:
            self._failed(err)
            return None
        if row is None or row[0] != key or row[1] != f"{digest:x}":
            return None
        return row[2:]

    def _forget_rows(self) -> None:
        for rows in self._rows.values():
            rows.forget()

    def put(self, key: str, note: Note, owned: bool, found: Evidence, problems: list[Problem]) -> None:
        """Keep what was worked out for ``note`` (a build's session only: any other leaves the store as it is)."""
        self._put("evidence", key, note, (int(owned),), lambda: encode(note, found, problems))

    def put_contact(self, key: str, note: Note, contact: Contact, problems: list[Problem]) -> None:
        """Keep the contact read from the person's note ``note``, when the row gives it back as it is."""

        def data() -> bytes | None:
            encoded = _encode((contact, problems))
            try:
                return encoded if _decode_contact(encoded) == (contact, problems) else None
            except (msgspec.DecodeError, TypeError, ValueError):
                return None  # a value its schema does not allow: read again each time

        self._put("contacts", key, note, (), data)

    def _put(self, table: str, key: str, note: Note, columns: tuple[object, ...],
             data: Callable[[], bytes | None]) -> None:
        digest = self._digest(note) if self.writing else None
        encoded = data() if digest is not None else None
        if encoded is None or self._connect() is None:
            return
        pending = self._pending[table]
        pending.append((note.rel, key, f"{digest:x}", *columns, encoded))
        if len(pending) >= self.PUT_BATCH:
            self._flush()

    def _flush(self) -> None:
        """Write the rows put since the last flush: a statement for many rows, not one a row."""
        for table, pending in self._pending.items():
            if pending and self._db is not None:
                rows, self._pending[table] = pending, []
                try:
                    self._db.executemany(_INSERT[table], rows)
                except sqlite3.Error as err:
                    self._failed(err)

    def commit(self) -> None:
        """Keep the rows put since the last commit (an assembly's)."""
        self._flush()
        if self._db is not None:
            try:
                self._forget_rows()  # the next assembly reads the rows as they are then
                self._share = _Shared()  # what this one shared is held by what it made, not by the store
                self._db.commit()
            except sqlite3.Error as err:
                self._failed(err)

    def prune(self, alive: Collection[str]) -> None:
        """Drop the rows of notes that are gone (a build does this, after saving its notes)."""
        self._flush()
        db = self._connect()
        if db is None:
            return
        try:
            db.execute("CREATE TEMP TABLE IF NOT EXISTS alive (rel TEXT PRIMARY KEY)")
            db.executemany("INSERT OR IGNORE INTO alive VALUES (?)", ((rel,) for rel in alive))
            for table in _TABLES:
                db.execute(f"DELETE FROM {table} WHERE rel NOT IN (SELECT rel FROM alive)")
            db.execute("DELETE FROM alive")
            db.commit()
        except sqlite3.Error as err:
            self._failed(err)
