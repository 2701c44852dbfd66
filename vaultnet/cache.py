"""The persistent cache in ``.vaultnet/cache/`` (spec section 9).

Two files, both JSON (a vault can come from anyone, so nothing here is ever
unpickled or executed):

- ``notes.json``: each note as parsed, keyed by path and by the file's size,
  modification time, change time and inode. ``ctime`` cannot be set back by
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
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from . import __version__
from .config import CONFIG_NAME, STATE_DIR, Config
from .dates import Date
from .errors import Problem
from .markdown import Line, Link
from .notes import Note
from .noteset import Entry, Signature
from .rolechanges import MEMORY
from .writes import UnsafePath, target_in_vault

log = logging.getLogger(__name__)

FORMAT = 2
NOTES = "notes.json"
BUILD = "build.json"


def _dumps(value: Any) -> str:
    # dumps, not dump: only the one-shot encoder is the fast C one.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _problem(data: list[Any]) -> Problem:
    return Problem(str(data[0]), data[1], str(data[2]))


def _line_json(line: Line) -> list[Any]:
    return [line.number, line.text, line.is_list, line.task,
            [[link.target, link.label] for link in line.links], list(line.tags)]


def _line(data: list[Any]) -> Line:
    number, text, is_list, task, links, tags = data
    return Line(int(number), str(text), bool(is_list), task,
                tuple(Link(str(t), None if label is None else str(label)) for t, label in links),
                tuple(str(tag) for tag in tags))


def entry_json(entry: Entry) -> dict[str, Any] | None:
    """A JSON form of an entry, or None when it cannot be stored (it is then re-read next time)."""
    data: dict[str, Any] = {
        "sig": list(entry.signature),
        "conflict": entry.conflict,
        "problems": [[p.path, p.line, p.message] for p in entry.problems],
    }
    note = entry.note
    if note is not None:
        data["note"] = {
            "meta": note.meta, "body_start": note.body_start, "key_lines": note.key_lines,
            "problems": [[p.path, p.line, p.message] for p in note.problems],
            "lines": [_line_json(line) for line in note.countable()],
        }
    if note is not None and not _jsonable(note.meta):
        return None  # front matter JSON cannot hold: read the note again next time
    return data


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


def entry_from_json(rel: str, data: dict[str, Any]) -> Entry:
    note = None
    if data.get("note") is not None:
        stored = data["note"]
        if not isinstance(stored["meta"], dict) or not isinstance(stored["key_lines"], dict):
            raise ValueError("bad note")
        note = Note(rel, meta=stored["meta"], body_start=int(stored["body_start"]),
                    key_lines={str(k): int(v) for k, v in stored["key_lines"].items()},
                    problems=[_problem(p) for p in stored["problems"]],
                    countable_lines=[_line(line) for line in stored["lines"]])
    signature = tuple(int(part) for part in data["sig"])
    if len(signature) != 4:
        raise ValueError("bad signature")
    return Entry(signature, note, tuple(_problem(p) for p in data["problems"]), bool(data["conflict"]))  # type: ignore[arg-type]


class NoteCache:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.folder = config.root / STATE_DIR / "cache"

    def _read(self, name: str) -> dict[str, Any] | None:
        path = self.folder / name
        try:
            data = json.loads(path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as err:
            log.warning("discarding the unreadable cache %s (%s); it will be rebuilt", path, err)
            return None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            log.warning("discarding the cache %s: not a vaultnet cache; it will be rebuilt", path)
            return None
        if data.get("vaultnet") != __version__:
            log.info("ignoring the cache of vaultnet %s", data.get("vaultnet"))
            return None
        return data

    def _write(self, name: str, chunks: Iterable[str]) -> None:
        """Atomic and inside the vault only; a cache that cannot be written is not an error."""
        try:
            folder = target_in_vault(self.config.root, f"{STATE_DIR}/cache")
            folder.mkdir(parents=True, exist_ok=True)
            ignore = folder.parent / ".gitignore"
            if not ignore.exists():
                ignore.write_text("cache/\n", encoding="utf-8")
            fd, temporary = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.write(f'{{"format":{FORMAT},"vaultnet":{_dumps(__version__)}')
                    handle.writelines(chunks)
                    handle.write("}")
                os.replace(temporary, folder / name)
            except BaseException:
                os.unlink(temporary)
                raise
        except (OSError, UnsafePath) as err:
            log.warning("cannot write the cache: %s", err)

    def load_entries(self) -> dict[str, Entry]:
        data = self._read(NOTES)
        if data is None or data.get("settings") != settings_digest(self.config):
            return {}  # notes are kept in the form the settings call for: other settings, other form
        try:
            return {rel: entry_from_json(rel, item) for rel, item in data["entries"].items()}
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            log.warning("discarding the corrupt cache %s (%s); it will be rebuilt", self.folder / NOTES, err)
            return {}

    def save_entries(self, entries: Mapping[str, Entry]) -> None:
        def chunks() -> Iterator[str]:
            # One entry at a time: a large vault's cache is never all in memory as text.
            yield f',"settings":{_dumps(settings_digest(self.config))},"entries":{{'
            first = True
            for rel, entry in entries.items():
                if entry.signature[0] >= 0 and (data := entry_json(entry)) is not None:
                    yield ("" if first else ",") + _dumps(rel) + ":" + _dumps(data)
                    first = False
            yield "}"

        self._write(NOTES, chunks())

    def fresh(self, fingerprint: str) -> bool:
        data = self._read(BUILD)
        return data is not None and data.get("fingerprint") == fingerprint

    def save_fingerprint(self, fingerprint: str) -> None:
        self._write(BUILD, [',"fingerprint":' + _dumps(fingerprint)])


def settings_digest(config: Config) -> str:
    """The files vaultnet's settings come from."""
    digest = hashlib.sha256()
    for name in (CONFIG_NAME, ".obsidian/daily-notes.json", ".obsidian/templates.json"):
        try:
            digest.update(name.encode() + b"\0" + (config.root / name).read_bytes() + b"\0")
        except OSError:
            digest.update(name.encode() + b"\0-\0")
    return digest.hexdigest()


def fingerprint(config: Config, today: Date, signatures: Mapping[str, Signature]) -> str:
    """Everything a build reads: notes, settings, templates, the date and vaultnet itself."""
    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0{today.isoformat()}\0".encode())
    digest.update(settings_digest(config).encode())
    with contextlib.suppress(OSError):  # what vaultnet remembers of company and role changes
        stat = (config.root / MEMORY).stat()
        digest.update(f"{MEMORY}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    templates = config.root / STATE_DIR / "templates"
    if templates.is_dir():
        for path in sorted(templates.rglob("*")):
            stat = path.stat()
            digest.update(f"{path.relative_to(templates)}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    for rel in sorted(signatures):
        digest.update(f"{rel}\0{signatures[rel]}\0".encode())
    return digest.hexdigest()

