"""Adding missing front-matter properties to a note as new lines, touching nothing else.

This is the only way vaultnet adds keys to an existing note's front matter
(the user's notes are theirs): each missing key becomes new lines just before
the closing ``---``; every other byte, comments and odd quoting included, stays
as it was. Changing a value is :func:`vaultnet.edits.quick.set_keys`.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Mapping
from typing import Any

import yaml

from vaultnet.notes.note import NoteLoader

_BOUNDARY = re.compile(rb"^---[ \t]*\r?$", re.MULTILINE)
BOM = b"\xef\xbb\xbf"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Line breaks as YAML reads them: a value holding one is written double-quoted, with escapes, on one line.
_BREAKS = re.compile("[\r\n\x85\u2028\u2029]")


def yaml_lines(key: str, value: Any) -> list[str]:
    """``key: value`` as YAML, lists in block style as Obsidian writes them."""
    if isinstance(value, (list, tuple)):
        return [f"{_scalar(key)}:"] + [f"  - {_scalar(item)}" for item in value]
    return [f"{_scalar(key)}: {_scalar(value)}"]


def _scalar(value: Any) -> str:
    """One YAML scalar that reads back as the same text (no YAML 1.1 surprises)."""
    if isinstance(value, (bool, int, float)):
        return yaml.safe_dump(value, default_flow_style=True).removesuffix("\n...\n").rstrip("\n")
    text = str(value)
    if _ISO_DATE.fullmatch(text):
        return text  # unquoted, so Obsidian shows a date property; vaultnet reads it as text
    style = '"' if _BREAKS.search(text) else None
    plain = yaml.safe_dump(text, default_style=style, default_flow_style=True, allow_unicode=True,
                           width=sys.maxsize).removesuffix("\n...\n").rstrip("\n")
    # safe_dump quotes what YAML 1.1 would misread; also quote what would read back as another type.
    if plain == text and _load(text) != text:
        return "'" + text.replace("'", "''") + "'"
    return plain


scalar = _scalar  # public: edits in place write values the way new lines do


def _load(text: str) -> Any:
    try:
        return yaml.load(text, Loader=NoteLoader)
    except Exception:  # noqa: BLE001 - safe constructors also raise AttributeError, IndexError (`!!int ''`)
        return _UNREADABLE


_UNREADABLE = object()


def _front_matter(data: bytes) -> tuple[dict[Any, Any] | None, int | None]:
    """The loaded front matter and where its closing ``---`` starts (``None``: no front matter).

    ``(None, None)`` when it cannot be read, or the note is not UTF-8 text (vaultnet skips such notes).
    """
    if b"\x00" in data:
        return None, None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None, None
    head = data.removeprefix(BOM)
    match = _BOUNDARY.match(head)
    if not match:
        return {}, None
    closing = _BOUNDARY.search(head, match.end())
    if not closing:
        return None, None
    meta = _load(head[match.end():closing.start()].decode("utf-8"))
    if meta is None:
        return {}, closing.start()
    return (meta, closing.start()) if isinstance(meta, dict) else (None, None)


def existing_keys(data: bytes) -> set[str] | None:
    """The note's top-level front-matter keys, or ``None`` when it has no valid front matter."""
    meta, _ = _front_matter(data)
    return None if meta is None else {str(key) for key in meta}


def _read_back(value: Any) -> Any:
    """What ``yaml_lines`` writes for ``value`` reads back as."""
    if isinstance(value, (list, tuple)):
        return [_read_back(item) for item in value]
    return value if isinstance(value, (str, int, float)) else str(value)


def add_missing(data: bytes, values: Mapping[str, Any]) -> tuple[bytes, list[str]]:
    """Add every key of ``values`` the front matter lacks; returns the new bytes and the keys added.

    A note without front matter gets one at the top. A note whose front matter
    cannot be read, or cannot take new lines at its end (a flow-style or
    indented mapping, a ``...`` end marker), is returned unchanged.
    """
    meta, closing = _front_matter(data)
    if meta is None:
        return data, []
    keys = {str(key) for key in meta}
    wanted = {key: value for key, value in values.items() if key not in keys and value not in (None, "", [], ())}
    if not wanted:
        return data, []
    newline = "\r\n" if b"\r\n" in data else "\n"
    lines = [line for key, value in wanted.items() for line in yaml_lines(key, value)]
    block = "".join(line + newline for line in lines).encode("utf-8")
    bom = BOM if data.startswith(BOM) else b""
    head = data[len(bom):]
    if closing is None:
        nl = newline.encode()
        new = bom + b"---" + nl + block + b"---" + nl + head
    else:
        new = bom + head[:closing] + block + head[closing:]
    # The new lines must read back as given, next to everything that was there.
    after, _ = _front_matter(new)
    if after is None or len(after) != len(meta) + len(wanted) or any(
        key not in after or not _same(after[key], value) for key, value in meta.items()
    ) or any(not _same(after.get(key, _UNREADABLE), _read_back(value)) for key, value in wanted.items()):
        return data, []
    return new, list(wanted)


def _same(a: Any, b: Any) -> bool:
    nan = isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b)
    return nan or a == b  # NaN reads back as NaN
