"""The JSON interface's text, indented by two spaces, given a piece at a time.

A large vault's ``status --json`` is ten thousand contacts and nine megabytes
of text. Encoded whole, its dictionaries, the compact JSON, the indented JSON
and the text are all alive at once: 35 MB at the height of one answer, the
most memory any read command takes in a watcher that answers it. Given a piece
at a time (one item of a list each), only the text written so far is held, and
the list's items may come from an iterator, made as they are written.

The text is exactly ``msgspec.json.format(msgspec.json.encode(data), indent=2)``
decoded: the pieces join to the same bytes (tested against it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import msgspec

_INDENT = "  "


def _whole(value: Any, depth: int) -> str:
    """``value`` as indented JSON at ``depth`` (its first line not indented: it follows a key or the indent)."""
    text = msgspec.json.format(msgspec.json.encode(value), indent=2).decode("utf-8")
    return text.replace("\n", "\n" + _INDENT * depth) if depth and "\n" in text else text


def _listed(value: Any) -> bool:
    """A list, or an iterator of a list's items (never text, bytes or a mapping)."""
    return isinstance(value, list | tuple | Iterator)


def json_pieces(data: Any) -> Iterator[str]:
    """The indented JSON of ``data``, in pieces: a top-level mapping's lists (or iterators) item by item.

    No newline at the end, as ``msgspec.json.format`` leaves none.
    """
    if isinstance(data, Mapping):
        if not data:
            yield "{}"
            return
        yield "{"
        for number, (key, value) in enumerate(data.items()):
            yield ("," if number else "") + "\n" + _INDENT + _whole(key, 1) + ": "
            if _listed(value):
                yield from _items(value, 1)
            else:
                yield _whole(value, 1)
        yield "\n}"
    elif _listed(data):
        yield from _items(data, 0)
    else:
        yield _whole(data, 0)


def _items(values: Iterable[Any], depth: int) -> Iterator[str]:
    """A list at ``depth`` (after its key), one item a piece; ``[]`` when it has none."""
    inner = "\n" + _INDENT * (depth + 1)
    empty = True
    for value in values:
        yield ("[" if empty else ",") + inner + _whole(value, depth + 1)
        empty = False
    yield "[]" if empty else "\n" + _INDENT * depth + "]"
