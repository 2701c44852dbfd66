"""The persistent cache in ``.vaultnet/cache/`` (docs/design.md, Speed).

Two files of JSON (a vault can come from anyone, so nothing here is ever
unpickled or executed):

- ``notes.json``: a header line, then each note as parsed, one per line, with its
  path and the file's size, modification time, change time and inode. ``ctime`` cannot be set back by
  tools, so a same-size edit with a restored mtime is still seen as an edit.
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
import json
import logging
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from sys import intern
from typing import Any

from vaultnet.base.errors import Problem
from vaultnet.base.version import __version__
from vaultnet.files.config import STATE_DIR, Config
from vaultnet.files.writes import UnsafePath, target_in_vault
from vaultnet.notes.markdown import Line, Link, shared
from vaultnet.notes.noteset import Entry, share_empties
from vaultnet.pipeline.freshness import CACHE_FORMAT, fingerprint, settings_digest

__all__ = ["BUILD", "FORMAT", "NOTES", "NoteCache", "entry_from_json", "entry_json", "fingerprint", "settings_digest"]

log = logging.getLogger(__name__)

FORMAT = CACHE_FORMAT  # since 3: notes.json is a header line, then one entry (a JSON list) per line
_HEADER_LIMIT = 4096  # a longer first line is no header of ours (an older cache is one long line)
NOTES = "notes.json"
BUILD = "build.json"


def _dumps(value: Any) -> str:
    # dumps, not dump: only the one-shot encoder is the fast C one.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _line_json(line: Line) -> list[Any]:
    return [line.number, line.text, line.is_list, line.task,
            [[link.target, link.label] for link in line.links], list(line.tags)]


def _problems_json(rel: str, problems: Iterable[Problem]) -> list[list[Any]]:
    # A problem's path is nearly always its note's: null stands for it.
    return [[None if p.path == rel else p.path, p.line, p.message] for p in problems]


def entry_json(rel: str, entry: Entry) -> list[Any] | None:
    """A JSON form of an entry, or None when it cannot be stored (it is then re-read next time).

    A list, not an object: thirty thousand entries need not spell their keys
    thirty thousand times, and a short form is a quick read.
    """
    note = entry.note
    stored: list[Any] | None = None
    if note is not None:
        if not _jsonable(note.meta):
            return None  # front matter JSON cannot hold: read the note again next time
        stored = [note.meta, note.body_start, note.key_lines, _problems_json(rel, note.problems),
                  [_line_json(line) for line in note.countable()]]
        # Most notes have none of these: leave them out rather than write them thirty thousand times.
        extra = {"inline": note.inline, "tags": list(note.body_tags),
                 "sections": [list(section) for section in note.attendee_sections], "unrendered": note.unrendered,
                 "gifts": [list(line) for line in note.gifts],
                 "keys": list(note.keys) if list(note.keys) != list(note.key_lines) else [],
                 "dashboard": note.dashboard, "dated": note.dated, "body": note.body if note.dated else ""}
        extra = {key: value for key, value in extra.items() if value}
        if extra:
            stored.append(extra)
    return [rel, list(entry.signature), entry.conflict, _problems_json(rel, entry.problems), stored,
            f"{entry.digest:x}", entry.racy]


def _jsonable(value: Any) -> bool:
    """True when JSON gives ``value`` back unchanged (strings, numbers, lists, string-keyed dicts)."""
    if value is None or isinstance(value, (str, bool, int)):
        return True
    if isinstance(value, float):
        return value == value and value not in (float("inf"), float("-inf"))
    if isinstance(value, list):
        return all(_jsonable(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(key, str) and _jsonable(item) for key, item in value.items())
    return False


def _expect(value: Any, kind: type | tuple[type, ...], what: str) -> Any:
    """``value`` when it has the type the cache stores there; otherwise the cache is corrupt."""
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise ValueError(f"{what} is a {type(value).__name__}")
    return value


def _text(value: Any, what: str) -> str:
    """A string the cache stores many times over (paths, link targets, tags, keys): kept once in memory."""
    return intern(_expect(value, str, what))


def _problem(rel: str, data: Any) -> Problem:
    path, line, message = _expect(data, list, "a problem")
    return Problem(rel if path is None else _text(path, "a problem's path"),
                   None if line is None else _expect(line, int, "a line"), _expect(message, str, "a problem's message"))


def _line(data: Any) -> Line:
    number, text, is_list, task, links, tags = _expect(data, list, "a line")
    if task is not None:
        _text(task, "a task")
    return Line(_expect(number, int, "a line number"), _expect(text, str, "a line's text"),
                _expect(is_list, bool, "a list flag"), task if task is None else intern(task),
                shared(tuple(shared(Link(_text(t, "a link"), None if label is None else _text(label, "a label")))
                             for t, label in _expect(links, list, "links"))),
                shared(tuple(_text(tag, "a tag") for tag in _expect(tags, list, "tags"))))


def _gift_line(data: Any) -> tuple[int, str, str]:
    number, task, text = _expect(data, list, "a gift line")
    return _expect(number, int, "a line number"), _expect(task, str, "a task"), _expect(text, str, "a gift line's text")


def _keyed(data: Any, what: str) -> dict[str, Any]:
    return {_text(key, what): value for key, value in _expect(data, dict, what).items()}


def entry_from_json(data: Any) -> tuple[str, Entry]:
    """An entry from the cache, every value checked: a cache with the right signature can still be forged or damaged."""
    from vaultnet.notes.note import Note, shared_value  # imported once the first entry is read: a warm build reads none

    rel, sig, conflict, problems, stored, digest, racy = _expect(data, list, "an entry")
    rel = _text(rel, "a path")
    note = None
    if stored is not None:
        meta, body_start, key_lines, note_problems, lines, *rest = _expect(stored, list, "a note")
        extra = _expect(rest[0], dict, "a note's extras") if rest else {}
        note = Note(rel, meta={key: shared_value(value) for key, value in _keyed(meta, "front matter").items()},
                    body_start=_expect(body_start, int, "a line number"),
                    key_lines={key: _expect(v, int, "a line number") for key, v in _keyed(key_lines, "key lines").items()},
                    problems=[_problem(rel, p) for p in _expect(note_problems, list, "problems")],
                    countable_lines=[_line(line) for line in _expect(lines, list, "lines")],
                    inline=_keyed(extra.get("inline", {}), "inline fields"),
                    body_tags=tuple(_text(tag, "a tag") for tag in _expect(extra.get("tags", []), list, "tags")),
                    attendee_sections=tuple((_expect(a, int, "a line number"), _expect(b, int, "a line number"))
                                            for a, b in _expect(extra.get("sections", []), list, "sections")),
                    unrendered=_expect(extra.get("unrendered", False), bool, "an unrendered flag"),
                    gifts=tuple(_gift_line(line) for line in _expect(extra.get("gifts", []), list, "gift lines")),
                    dashboard=_expect(extra.get("dashboard", False), bool, "a dashboard flag"),
                    body=_expect(extra.get("body", ""), str, "a note's text"))
        note.dated = _expect(extra.get("dated", False), bool, "a dated flag")
        note.keys = shared(tuple(_text(key, "a key") for key in _expect(extra.get("keys", []), list, "keys"))) \
            or shared(tuple(note.key_lines))
        share_empties(note)
    signature = tuple(_expect(part, int, "a signature") for part in _expect(sig, list, "a signature"))
    if len(signature) != 4:
        raise ValueError("bad signature")
    return rel, Entry(signature, note, tuple(_problem(rel, p) for p in _expect(problems, list, "problems")),
                      _expect(conflict, bool, "a conflict flag"), int(_expect(digest, str, "a digest"), 16),
                      _expect(racy, bool, "a racy flag"))


class NoteCache:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.folder = config.root / STATE_DIR / "cache"

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

    def _write(self, name: str, chunks: Iterable[str]) -> None:
        """Atomic and inside the vault only; a cache that cannot be written is not an error."""
        if not self.config.root.is_dir():
            return  # the vault is gone: never create it again
        try:
            folder = target_in_vault(self.config.root, f"{STATE_DIR}/cache")
            for part in (folder.parent, folder):  # never parents=True: a vault deleted meanwhile stays deleted
                part.mkdir(exist_ok=True)
            ignore = folder.parent / ".gitignore"
            if not os.path.lexists(ignore):  # a dangling link would make a file wherever it points
                with contextlib.suppress(FileExistsError), open(ignore, "x", encoding="utf-8") as handle:
                    handle.write("cache/\n")
            fd, temporary = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.writelines(chunks)
                os.replace(temporary, folder / name)
            except BaseException:
                os.unlink(temporary)
                raise
        except (OSError, UnsafePath) as err:
            log.warning("cannot write the cache: %s", err)

    def _head(self) -> dict[str, Any]:
        return {"format": FORMAT, "vaultnet": __version__}

    def load_entries(self) -> dict[str, Entry]:
        """The entries of ``notes.json``, read one line at a time.

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
                for line in handle:
                    rel, entry = entry_from_json(json.loads(line))
                    entries[rel] = entry
        except FileNotFoundError:
            return {}
        except OSError as err:
            self._unreadable(NOTES, err)
            return {}
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            log.warning("discarding the corrupt cache %s (%s); it will be rebuilt", self.folder / NOTES, err)
            return {}
        return entries

    def save_entries(self, entries: Mapping[str, Entry]) -> None:
        def chunks() -> Iterator[str]:
            # One entry at a time: a large vault's cache is never all in memory as text.
            yield _dumps({**self._head(), "settings": settings_digest(self.config)}) + "\n"
            for rel, entry in entries.items():
                if entry.signature[0] >= 0 and (data := entry_json(rel, entry)) is not None:
                    yield _dumps(data) + "\n"

        self._write(NOTES, chunks())

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
