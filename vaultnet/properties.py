"""Adding missing front-matter properties to a note as new lines, touching nothing else.

This is the only way vaultnet changes an existing note's front matter
(spec section 1): each missing key becomes new lines just before the closing
``---``; every other byte, comments and odd quoting included, stays as it was.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from .notes import NoteLoader

_BOUNDARY = re.compile(rb"^---[ \t]*\r?$", re.MULTILINE)
BOM = b"\xef\xbb\xbf"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def yaml_lines(key: str, value: Any) -> list[str]:
    """``key: value`` as YAML, lists in block style as Obsidian writes them."""
    if isinstance(value, (list, tuple)):
        return [f"{key}:"] + [f"  - {_scalar(item)}" for item in value]
    return [f"{key}: {_scalar(value)}"]


def _scalar(value: Any) -> str:
    """One YAML scalar that reads back as the same text (no YAML 1.1 surprises)."""
    if isinstance(value, bool) or isinstance(value, (int, float)):
        return yaml.safe_dump(value, default_flow_style=True).removesuffix("\n...\n").strip()
    text = str(value)
    if _ISO_DATE.match(text):
        return text  # unquoted, so Obsidian shows a date property; vaultnet reads it as text
    plain = yaml.safe_dump(text, default_flow_style=True, allow_unicode=True, width=10**6).removesuffix("\n...\n").strip()
    # safe_dump quotes what YAML 1.1 would misread; also quote what would read back as another type.
    if plain == text and yaml.load(text, Loader=NoteLoader) != text:
        return "'" + text.replace("'", "''") + "'"
    return plain


def existing_keys(data: bytes) -> set[str] | None:
    """The note's top-level front-matter keys, or ``None`` when it has no valid front matter."""
    head = data.removeprefix(BOM)
    match = _BOUNDARY.match(head)
    if not match:
        return set()
    closing = _BOUNDARY.search(head, match.end())
    if not closing:
        return None
    try:
        meta = yaml.load(head[match.end():closing.start()].decode("utf-8"), Loader=NoteLoader)
    except (yaml.YAMLError, UnicodeDecodeError, ValueError):
        return None
    if meta is None:
        return set()
    return {str(key) for key in meta} if isinstance(meta, dict) else None


def add_missing(data: bytes, values: Mapping[str, Any]) -> tuple[bytes, list[str]]:
    """Add every key of ``values`` the front matter lacks; returns the new bytes and the keys added.

    A note without front matter gets one at the top. A note whose front matter
    cannot be read is returned unchanged.
    """
    keys = existing_keys(data)
    if keys is None:
        return data, []
    wanted = {key: value for key, value in values.items() if key not in keys and value not in (None, "", [], ())}
    if not wanted:
        return data, []
    newline = "\r\n" if b"\r\n" in data else "\n"
    lines = [line for key, value in wanted.items() for line in yaml_lines(key, value)]
    block = "".join(line + newline for line in lines).encode("utf-8")
    bom = BOM if data.startswith(BOM) else b""
    head = data[len(bom):]
    opening = _BOUNDARY.match(head)
    if not opening:
        nl = newline.encode()
        return bom + b"---" + nl + block + b"---" + nl + head, list(wanted)
    closing = _BOUNDARY.search(head, opening.end())
    assert closing is not None  # existing_keys() returned a set
    return bom + head[: closing.start()] + block + head[closing.start():], list(wanted)
