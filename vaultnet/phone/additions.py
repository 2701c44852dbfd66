"""What the phone added, into a person's note as new front-matter lines and nothing else.

A field the note lacks becomes a new key (``phone: +44 20 7946 0000``, or a
block list for several values), as an import adds keys; a field the note keeps
as a block list gets one new ``  - item`` line per new item, written as its
items are. Nothing else is ever touched: a single value, a flow list
(``[a, b]``) or an empty key cannot take a value without rewriting its line, so
:func:`room` says so beforehand and the merge keeps that value elsewhere.
Every change is read back before it is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from vaultnet.base.keys import normalise, spellings
from vaultnet.edits.listitems import append_items
from vaultnet.edits.properties import add_missing
from vaultnet.files.config import Config
from vaultnet.notes.note import front_matter_mapping
from vaultnet.phone.merge import Room

_BOUNDARY = re.compile(r"^---[ \t]*$")


def _front(text: str) -> tuple[list[str], int, int] | None:
    """The note's lines (with their endings) and where its front matter starts and ends; None without one."""
    lines = text.splitlines(keepends=True)
    if not lines or not _BOUNDARY.match(lines[0].removeprefix("\ufeff").rstrip("\r\n")):
        return None
    for index in range(1, len(lines)):
        if _BOUNDARY.match(lines[index].rstrip("\r\n")):
            return lines, 1, index
    return None


def note_key(config: Config, keys: Iterable[str], name: str) -> str | None:
    """The key the note writes ``name`` under (its first spelling the note has), or None."""
    by_spelling = {normalise(str(key)): str(key) for key in sorted(keys, key=str)}
    return next((by_spelling[s] for s in spellings(name, config.fields) if s in by_spelling), None)


def room(config: Config, data: bytes, names: Iterable[str]) -> dict[str, Room]:
    """For each field, where the note can take a new value without a line of it rewritten."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return {}
    found = _front(text)
    meta: dict[Any, Any] | None = {} if found is None else front_matter_mapping(found[0][found[1]:found[2]])
    if meta is None:
        return {}  # front matter vaultnet cannot read: nothing goes in
    rooms: dict[str, Room] = {}
    for name in names:
        key = note_key(config, meta, name)
        if key is None:
            rooms[name] = "new"
            continue
        value = meta.get(key)
        line = next((line for line in (found[0][found[1]:found[2]] if found else [])
                     if line.startswith(key) and line[len(key):].lstrip(" \t").startswith(":")), "")
        after = line.split(":", 1)[1].split("#", 1)[0].strip() if ":" in line else "x"
        rooms[name] = "append" if isinstance(value, list) and value and not after else "none"
    return rooms


def add_values(config: Config, data: bytes, values: Mapping[str, Any]) -> bytes | None:
    """The note with ``values`` (canonical names) added as new lines, or None when they cannot all go in."""
    if not values:
        return data
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    found = _front(text)
    new_keys: dict[str, Any] = {}
    if found is None:
        new_keys = {config.key(name): value for name, value in values.items()}
    else:
        lines, start, end = found
        front = lines[start:end]
        meta = front_matter_mapping(front)
        if meta is None:
            return None
        newline = "\r\n" if "\r\n" in text else "\n"
        for name, value in values.items():
            key = note_key(config, meta, name)
            if key is None:
                new_keys[config.key(name)] = value
                continue
            items = value if isinstance(value, list) else [value]
            grown = append_items(front, key, [str(item) for item in items], newline)
            if grown is None or len(grown) != len(front) + len(items) or not _only_inserted(front, grown):
                return None
            front = grown
        text = "".join([*lines[:start], *front, *lines[end:]])
    result = text.encode("utf-8")
    if new_keys:
        result, added = add_missing(result, new_keys)
        if len(added) != len(new_keys):
            return None
    return result


def _only_inserted(before: list[str], after: list[str]) -> bool:
    """Every line of ``before`` is in ``after``, in order and unchanged: lines were only added."""
    position = 0
    for line in after:
        if position < len(before) and line == before[position]:
            position += 1
    return position == len(before)
