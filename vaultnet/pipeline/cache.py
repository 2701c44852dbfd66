"""The persistent cache in ``.vaultnet/cache/`` (docs/design.md, Speed).

Two files of JSON (a vault can come from anyone, so nothing here is ever
unpickled or executed; each entry's shape is checked by a schema as it is decoded):

- ``notes.json``: a header line, then each note as parsed, one per line, with its
  path and the file's size, modification time, change time and inode. ``ctime`` cannot be set back by
  tools, so a same-size edit with a restored mtime is still seen as an edit. The header names the
  settings the notes were kept for, so a note's person rule worked out for them is kept too.
- ``build.json``: a fingerprint of everything a build reads. When it matches,
  the generated notes are already what a build would write, and a warm build
  stops after one walk of the vault.

A cache that cannot be read, is truncated or comes from something else is
discarded with a warning; one from another vaultnet version is ignored. Both
files are replaced atomically, so a killed process leaves the old cache or the
new one, never half of one.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from sys import intern
from typing import TYPE_CHECKING, Any, BinaryIO, Literal

import msgspec

from vaultnet.base.errors import Problem
from vaultnet.base.version import __version__
from vaultnet.base.vocabulary import RULES, Rule
from vaultnet.files.config import STATE_DIR, Config
from vaultnet.files.writes import UnsafePath, target_in_vault
from vaultnet.notes.markdown import Line, Link, shared
from vaultnet.notes.noteset import EMPTY_LIST, EMPTY_MAP, Entry
from vaultnet.pipeline.freshness import CACHE_FORMAT, fingerprint, settings_digest

if TYPE_CHECKING:
    from vaultnet.notes.lazynote import LazyNote
    from vaultnet.notes.note import Note

__all__ = ["BUILD", "FORMAT", "NOTES", "NoteCache", "cache_folder", "entry_from_json", "entry_json", "fingerprint", "settings_digest"]

log = logging.getLogger(__name__)

FORMAT = CACHE_FORMAT  # since 3: notes.json is a header line, then one entry (a JSON list) per line
_HEADER_LIMIT = 4096  # a longer first line is no header of ours (an older cache is one long line)
NOTES = "notes.json"
BUILD = "build.json"


_encode = msgspec.json.Encoder().encode
_encode_text = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode


def _dumps(value: Any) -> bytes:
    """One line of the cache: compact JSON, encoded in C."""
    return _encode(value) + b"\n"


def _dumps_lasting(value: Any) -> bytes:
    """One line of the cache, for a session that keeps its notes for hours (the watcher's).

    msgspec encodes a string that is not ASCII through CPython's UTF-8 copy
    of it, which then lives as long as the string does: a watcher that saved
    its notes with it would hold a second copy of every such line of text (4 MB
    on the dense benchmark vault; far more in a vault written in Greek). The
    standard library's encoder makes none. It takes 0.4 s for that vault's
    save instead of 0.1 s, on the watcher's thread while nothing waits.
    """
    return _encode_text(value).encode() + b"\n"


def _line_json(line: Line) -> list[Any]:
    return [line.number, line.text, line.is_list, line.task,
            [[link.target, link.label] for link in line.links], list(line.tags)]


def _problems_json(rel: str, problems: Iterable[Problem]) -> list[list[Any]]:
    # A problem's path is nearly always its note's: null stands for it.
    return [[None if p.path == rel else p.path, p.line, p.message] for p in problems]


def entry_json(rel: str, entry: Entry, config: Config | None = None) -> list[Any] | None:
    """A JSON form of an entry, or None when it cannot be stored (it is then re-read next time).

    A list, not an object: thirty thousand entries need not spell their keys
    thirty thousand times, and a short form is a quick read. ``config``: the
    settings the cache is kept for; the rule that makes the note a person (or
    none) is kept too when it was worked out for them.
    """
    note = entry.note
    stored: list[Any] | None = None
    if note is not None:
        if not _jsonable(note.meta):
            return None  # front matter JSON cannot hold: read the note again next time
        stored = [note.meta, note.body_start, note.key_lines, _problems_json(rel, note.problems),
                  [_line_json(line) for line in note.countable()]]
        # Most notes have none of these: leave them out rather than write them thirty thousand times
        # (each looked at alone: a save goes over every note, and most have none of them).
        extra: dict[str, Any] = {}
        if note.inline:
            extra["inline"] = note.inline
        if note.body_tags:
            extra["tags"] = list(note.body_tags)
        if note.attendee_sections:
            extra["sections"] = [list(section) for section in note.attendee_sections]
        if note.unrendered:
            extra["unrendered"] = note.unrendered
        if note.gifts:
            extra["gifts"] = [list(line) for line in note.gifts]
        if note.keys and list(note.keys) != list(note.key_lines):
            extra["keys"] = list(note.keys)
        if note.dashboard:
            extra["dashboard"] = note.dashboard
        if note.dated:
            extra["dated"] = note.dated
            if note.body:
                extra["body"] = note.body
        if config is not None and note.rule_config is config and (note.rule is None or note.rule in RULES):
            extra["rule"] = note.rule or ""  # (a rule the schema would refuse is worked out again instead)
        if extra:
            stored.append(extra)
    return [rel, list(entry.signature), entry.conflict, _problems_json(rel, entry.problems), stored,
            f"{entry.digest:x}", entry.racy]


def _jsonable(value: Any) -> bool:
    """True when JSON gives ``value`` back unchanged (strings, numbers, lists, string-keyed dicts).

    A string, the usual value, is told by its type before any call: a save
    asks this of every value of thirty thousand notes' front matter.
    """
    if type(value) is str or value is None or isinstance(value, (str, bool)):
        return True
    if isinstance(value, int):
        return -(2**63) <= value < 2**64  # what the decoder reads back as the same int
    if isinstance(value, float):
        return value == value and value not in (float("inf"), float("-inf"))
    if isinstance(value, list):
        return all(type(item) is str or _jsonable(item) for item in value)
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str) or not (type(item) is str or _jsonable(item)):
                return False
        return True
    return False


# The shape of an entry, as msgspec checks it while decoding: a cache with the right header can still be
# forged or damaged, and a value of the wrong type fails the whole cache (rebuilt), never a later step.
class _Problem(msgspec.Struct, array_like=True):
    path: str | None  # None: the entry's own path
    line: int | None
    message: str


class _Line(msgspec.Struct, array_like=True):
    number: int
    text: str
    is_list: bool
    task: str | None
    links: tuple[tuple[str, str | None], ...]  # tuples, not lists: what a load has made of them is found by them
    tags: tuple[str, ...]


class _Extra(msgspec.Struct, omit_defaults=True, frozen=True):
    inline: dict[str, Any] = {}
    tags: list[str] = []
    sections: list[tuple[int, int]] = []
    unrendered: bool = False
    gifts: list[tuple[int, str, str]] = []
    keys: list[str] = []
    dashboard: bool = False
    dated: bool = False
    body: str = ""
    # None: not worked out; "": no person (vaultnet.evidence.people.rule_of). A rule no code gives fails the cache.
    rule: Rule | Literal[""] | None = None


class _Note(msgspec.Struct, array_like=True):
    meta: msgspec.Raw  # dict[str, Any]: it, the key lines and the lines are checked and made when first read
    body_start: int
    key_lines: msgspec.Raw  # dict[str, int]
    problems: list[_Problem]
    lines: msgspec.Raw  # list[_Line]
    extra: _Extra = _Extra()


class _Entry(msgspec.Struct, array_like=True):
    rel: str
    signature: tuple[int, int, int, int]
    conflict: bool
    problems: list[_Problem]
    note: _Note | None
    digest: str
    racy: bool


_decode_entry = msgspec.json.Decoder(_Entry).decode
_decode_meta = msgspec.json.Decoder(dict[str, Any]).decode
_decode_key_lines = msgspec.json.Decoder(dict[str, int]).decode
_decode_lines = msgspec.json.Decoder(list[_Line]).decode


def _problem(rel: str, data: _Problem) -> Problem:
    return Problem(rel if data.path is None else intern(data.path), data.line, data.message)


class _Lines:
    """Lines made from the cache, their links and tags made once for each group a load meets.

    Seventy thousand lines name the same ten thousand people: made line by line,
    each group's links were built and hashed again (a third of a load's time).
    """

    def __init__(self) -> None:
        self._links: dict[tuple[tuple[str, str | None], ...], tuple[Link, ...]] = {}
        self._tags: dict[tuple[str, ...], tuple[str, ...]] = {}

    def __call__(self, data: _Line) -> Line:
        links: tuple[Link, ...] = ()
        if data.links:
            found = self._links.get(data.links)
            if found is None:
                found = self._links[data.links] = shared(tuple(
                    shared(Link(intern(target), None if label is None else intern(label)))
                    for target, label in data.links))
            links = found
        tags = data.tags
        if tags:
            made = self._tags.get(tags)
            if made is None:
                made = self._tags[tags] = shared(tuple(map(intern, tags)))
            tags = made
        return Line(data.number, data.text, data.is_list, data.task if data.task is None else intern(data.task),
                    links, tags)


class _Load:
    """What the notes of one load share: their links and tags, made once, and what becomes of a damaged note.

    ``lazy``: each note's front matter and lines are made when first read (a
    command that lets most notes go unread); else at once (a watcher, which
    reads every note in its first build and keeps them for hours).
    ``reread``: reads a note from its file, as a scan would.
    """

    def __init__(self, lazy: bool = False, reread: Callable[[str], Note | None] | None = None) -> None:
        from vaultnet.notes.note import shared_value  # imported by the first load: a warm build makes none

        self.lines = _Lines()
        self.lazy = lazy
        self.reread = reread
        self.damaged: set[str] = set()  # notes whose entry could not be made: left out of the next save
        self._shared_value = shared_value

    def make(self, note: LazyNote, stored: tuple[bytes | None, bytes | None, bytes | None, list[str]]) -> None:
        """Set ``note``'s front matter, key lines, keys and lines from what the cache stored (None: nothing)."""
        meta, key_lines, lines, keys = stored
        try:
            made_meta = _decode_meta(meta) if meta is not None else None
            made_keys = _decode_key_lines(key_lines) if key_lines is not None else None
            made_lines = _decode_lines(lines) if lines is not None else None
        except msgspec.DecodeError as err:
            self._damaged(note, err)
            return
        value = self._shared_value
        note.meta = {intern(key): value(item) for key, item in made_meta.items()} if made_meta else EMPTY_MAP
        note.key_lines = {intern(key): number for key, number in made_keys.items()} if made_keys else EMPTY_MAP
        note.countable_lines = list(map(self.lines, made_lines)) if made_lines else EMPTY_LIST
        note.keys = shared(tuple(map(intern, keys))) or shared(tuple(note.key_lines))

    def _damaged(self, note: LazyNote, err: Exception) -> None:
        """A line the schema refuses (only a forged or damaged cache holds one) is never a wrong answer: the
        note is read again from its file, and the next save leaves it out, so the next run reads it as well."""
        from vaultnet.notes.note import Note

        log.warning("the cache's entry for %s is damaged (%s); reading the note again", note.rel, err)
        self.damaged.add(note.rel)
        fresh = self.reread(note.rel) if self.reread is not None else None
        if fresh is None:
            fresh = Note(note.rel, problems=[Problem(note.rel, None, "cannot read the note again")])
        for spec in dataclasses.fields(Note):
            setattr(note, spec.name, getattr(fresh, spec.name))


_EMPTY = (msgspec.Raw(b"{}"), msgspec.Raw(b"[]"))


def _held(raw: msgspec.Raw) -> bytes | None:
    """The JSON of a part of a note, to be decoded when first read; None for an empty one."""
    return None if raw in _EMPTY else bytes(raw)


def entry_from_json(line: bytes | str, config: Config | None = None, load: _Load | None = None) -> tuple[str, Entry]:
    """An entry from one line of the cache, its shape checked as it is decoded (its note's front matter,
    key lines and lines as they are made: see :class:`_Load`).

    ``config``: the settings the cache was kept for (its header says so), for
    which a note's rule comes back worked out: every command asks it of every
    note, and it is a function of the note and those settings alone.
    """
    from vaultnet.notes.lazynote import LazyNote  # imported once the first entry is read: a warm build reads none

    data = _decode_entry(line)
    load = load if load is not None else _Load()
    rel = intern(data.rel)
    note = None
    if data.note is not None:
        stored, extra = data.note, data.note.extra
        note = LazyNote.__new__(LazyNote)
        note.rel = rel
        note.body = extra.body
        note.body_start = stored.body_start
        note.problems = [_problem(rel, p) for p in stored.problems] or EMPTY_LIST
        note.inline = {intern(key): value for key, value in extra.inline.items()} if extra.inline else EMPTY_MAP
        note.body_tags = tuple(intern(tag) for tag in extra.tags)
        note.attendee_sections = tuple(extra.sections)
        note.unrendered = extra.unrendered
        note.gifts = tuple(extra.gifts)
        note.dashboard = extra.dashboard
        note.dated = extra.dated
        note.rule, note.rule_config = (extra.rule or None, config) if config is not None and extra.rule is not None \
            else (None, None)
        note.read_outline = None
        # Each part as bytes of its own, not the line's: the line is let go, and so is the note's when it
        # holds nothing to make (most notes), which is then made at once.
        parts = (_held(stored.meta), _held(stored.key_lines), _held(stored.lines), extra.keys)
        note.defer(load.make, parts)
        if not load.lazy or parts[:3] == (None, None, None):
            note.make()
    return rel, Entry(data.signature, note, tuple(_problem(rel, p) for p in data.problems), data.conflict,
                      int(data.digest, 16), data.racy)


def cache_folder(config: Config) -> Path:
    """``.vaultnet/cache/``, made when missing, inside the vault only and ignored by git (``.vaultnet/.gitignore``)."""
    folder = target_in_vault(config.root, f"{STATE_DIR}/cache")
    for part in (folder.parent, folder):  # never parents=True: a vault deleted meanwhile stays deleted
        part.mkdir(exist_ok=True)
    ignore = folder.parent / ".gitignore"
    if not os.path.lexists(ignore):  # a dangling link would make a file wherever it points
        with contextlib.suppress(FileExistsError), open(ignore, "x", encoding="utf-8") as handle:
            handle.write("cache/\n")
    return folder


def replace_file(folder: Path, name: str, chunks: Iterable[bytes]) -> None:
    """Write ``folder/name`` whole or not at all: a temporary file beside it, renamed over it."""
    fd, temporary = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.writelines(chunks)
        os.replace(temporary, folder / name)
    except BaseException:
        os.unlink(temporary)
        raise


class _Loaded:
    """Where each entry a load made lies in the file it was made from, and what it was made as.

    A build after one edit saves thirty thousand entries of which it read one
    again: the others' lines are copied from the file as they are rather than
    encoded again (a third of a second on the dense benchmark vault). An entry is
    copied only while it is what its line says: the same note object, signature,
    digest and flags (a note read again is another object), and only from the very
    file it was loaded from (by its identity and size). A line holds its note's
    signature, so even a line copied wrongly would be read again, never trusted.
    """

    def __init__(self, identity: tuple[int, ...]) -> None:
        self.identity = identity  # the file's device, inode, size and modification time
        self.rels: list[str] = []
        self.notes: list[Note | None] = []
        self.problems: list[tuple[Problem, ...]] = []
        self.keys = array("q")  # what else the line says (see `key`), hashed
        self.at = array("q")
        self.length = array("q")

    @staticmethod
    def key(entry: Entry) -> int:
        return hash((entry.signature, entry.digest, entry.racy, entry.conflict))

    def add(self, rel: str, entry: Entry, at: int, length: int) -> None:
        self.rels.append(rel)
        self.notes.append(entry.note)
        self.problems.append(entry.problems)
        self.keys.append(self.key(entry))
        self.at.append(at)
        self.length.append(length)

    def lines(self, entries: Mapping[str, Entry]) -> Iterator[tuple[str, Entry, tuple[int, int] | None]]:
        """Each entry, with where its line lies when it can be copied as it is.

        Entries keep the order a load made them in (an entry read again keeps its
        place; a note new to the vault comes last), so each is looked for from
        where the last was found.
        """
        rels, found = self.rels, 0
        for rel, entry in entries.items():
            place = None
            at = found
            while at < len(rels) and rels[at] != rel:
                at += 1
            found = at + 1 if at < len(rels) else len(rels)  # not there: a new note, and every one after it
            if at < len(rels) and entry.note is self.notes[at] and entry.problems is self.problems[at] \
                    and self.key(entry) == self.keys[at]:
                place = (self.at[at], self.length[at])
            yield rel, entry, place


def _identity(handle: BinaryIO) -> tuple[int, ...]:
    found = os.fstat(handle.fileno())
    return found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns


def _copied(handle: BinaryIO, start: int, end: int) -> Iterator[bytes]:
    """The bytes of ``handle`` from ``start`` to ``end``, a megabyte at a time."""
    handle.seek(start)
    while start < end:
        block = handle.read(min(end - start, 1 << 20))
        if not block:
            raise OSError("the cache file is shorter than when it was loaded")
        start += len(block)
        yield block


class NoteCache:
    def __init__(self, config: Config, *, lasting: bool = False) -> None:
        self.config = config
        self.folder = config.root / STATE_DIR / "cache"
        self._dumps = _dumps_lasting if lasting else _dumps  # lasting: a long-lived session's (see _dumps_lasting)
        self._lazy = not lasting  # a long-lived session makes every note it loads at once (see _Load)
        self._loaded: _Loaded | None = None  # where the entries loaded lie, for a save to copy (see load_entries)
        self._load: _Load | None = None  # what the notes loaded share (see _Load)

    def _header(self, name: str, data: Any) -> bool:
        """True when ``data`` heads a cache this vaultnet wrote; a warning when it is something else."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            log.warning("discarding the cache %s: not a vaultnet cache; it will be rebuilt", self.folder / name)
            return False
        if data.get("vaultnet") != __version__:
            log.info("ignoring the cache of vaultnet %s", data.get("vaultnet"))
            return False
        return True

    def _unreadable(self, name: str, err: Exception) -> None:
        log.warning("discarding the unreadable cache %s (%s); it will be rebuilt", self.folder / name, err)

    def _read(self, name: str) -> dict[str, Any] | None:
        try:
            data = json.loads((self.folder / name).read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as err:
            self._unreadable(name, err)
            return None
        return data if self._header(name, data) else None

    def _write(self, name: str, chunks: Iterable[bytes]) -> None:
        """Atomic and inside the vault only; a cache that cannot be written is not an error."""
        if not self.config.root.is_dir():
            return  # the vault is gone: never create it again
        try:
            replace_file(cache_folder(self.config), name, chunks)
        except (OSError, UnsafePath) as err:
            log.warning("cannot write the cache: %s", err)

    def _head(self) -> dict[str, Any]:
        return {"format": FORMAT, "vaultnet": __version__}

    def load_entries(self, copyable: bool = False, reread: Callable[[str], Note | None] | None = None) \
            -> dict[str, Entry]:
        """The entries of ``notes.json``, read one line at a time; ``copyable``: with where each line lies, for
        this cache's save to copy the lines of entries still as they were (see :class:`_Loaded`); ``reread``:
        reads a note again from its file, for one whose entry turns out damaged when its lines are made.

        Its first line says whose cache it is; each further line is one entry.
        Reading it a line at a time means the whole file's text and JSON never
        sit in memory beside the thirty thousand entries made from them.
        """
        entries: dict[str, Entry] = {}
        try:
            with open(self.folder / NOTES, "rb") as handle:
                first = handle.readline(_HEADER_LIMIT)
                try:
                    head: Any = json.loads(first) if first.endswith(b"\n") else None
                except ValueError:
                    head = None
                if not self._header(NOTES, head) or head.get("settings") != settings_digest(self.config):
                    return {}  # notes are kept in the form the settings call for: other settings, other form
                load = self._load = _Load(self._lazy, reread)
                loaded = _Loaded(_identity(handle)) if copyable else None
                at = len(first)
                for line in handle:
                    rel, entry = entry_from_json(line, self.config, load)
                    entries[rel] = entry
                    if loaded is not None and line.endswith(b"\n"):  # a last line cut short is no line to copy
                        loaded.add(rel, entry, at, len(line))
                    at += len(line)
                self._loaded = loaded
        except FileNotFoundError:
            return {}
        except OSError as err:
            self._unreadable(NOTES, err)
            return {}
        except (KeyError, TypeError, ValueError, AttributeError, msgspec.DecodeError) as err:
            log.warning("discarding the corrupt cache %s (%s); it will be rebuilt", self.folder / NOTES, err)
            return {}
        return entries

    def save_entries(self, entries: Mapping[str, Entry]) -> None:
        """Write ``notes.json`` anew: the lines of entries that are as this cache loaded them copied from the
        file it loaded them from, when that is still there as it was (see :class:`_Loaded`); the others encoded."""

        def chunks() -> Iterator[bytes]:
            # One entry at a time: a large vault's cache is never all in memory as text.
            yield self._dumps({**self._head(), "settings": settings_digest(self.config)})
            source = self._source()
            try:
                run: list[int] = []  # the lines to copy next: one stretch of the old file
                places = self._loaded.lines(entries) if source is not None and self._loaded is not None \
                    else ((rel, entry, None) for rel, entry in entries.items())
                damaged = self._load.damaged if self._load is not None else set()
                for rel, entry, place in places:
                    if entry.signature[0] < 0 or rel in damaged:
                        continue
                    if place is not None and run and run[1] == place[0]:
                        run[1] += place[1]
                        continue
                    if run:
                        yield from _copied(source, *run)  # type: ignore[arg-type]
                        run = []
                    if place is not None:
                        run = [place[0], place[0] + place[1]]
                    elif (data := entry_json(rel, entry, self.config)) is not None:
                        yield self._dumps(data)
                if run:
                    yield from _copied(source, *run)  # type: ignore[arg-type]
            finally:
                if source is not None:
                    source.close()

        self._write(NOTES, chunks())

    def _source(self) -> BinaryIO | None:
        """The file the entries were loaded from, when it is still there as it was; else None."""
        if self._loaded is None:
            return None
        try:
            handle = open(self.folder / NOTES, "rb")  # noqa: SIM115 (closed by the save that asked for it)
        except OSError:
            return None
        if _identity(handle) != self._loaded.identity:
            handle.close()
            return None
        return handle

    def fresh(self, fingerprint: str) -> bool:
        return self.built(fingerprint) is not None

    def built(self, fingerprint: str) -> dict[str, Any] | None:
        """What the last build recorded, if it was built from exactly this vault state.

        A read command that finds its note as built answers from it without
        working anything out again.
        """
        data = self._read(BUILD)
        return data if data is not None and data.get("fingerprint") == fingerprint else None

    def last_record(self) -> dict[str, Any] | None:
        """What the last build recorded, whatever it was built from (None when there is no such record)."""
        return self._read(BUILD)

    def save_fingerprint(self, fingerprint: str, summary: Mapping[str, Any] | None = None,
                         content: Mapping[str, Any] | None = None) -> None:
        """Record the state a build was made from, with its counts (``contacts``, ``problems``) and the
        notes it knows by content (see :func:`vaultnet.pipeline.freshness.known_by_content`)."""
        self._write(BUILD, [_dumps({**self._head(), **(summary or {}), "content": dict(content or {}),
                                    "fingerprint": fingerprint})])
