"""Adding items to a list property of a note's front matter, touching nothing else.

A block list (``aliases:`` then ``  - Ana``) gets one new line per item after
its last item, written as its items are (``  - `` or ``- ``). A flow list on
one line (``tags: [person, friend]``) gets the items before its ``]``. A single
value on one line (``aliases: Ana``) becomes a flow list on that line. Anything
else (a flow list over several lines, a key written twice) is left alone and
the caller is told, so that no item is ever written where YAML would not read
it back; every change is read back before it is kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import yaml

from vaultnet.edits.properties import scalar
from vaultnet.edits.quick import _split_value as split_value
from vaultnet.notes.note import NoteLoader

_ITEM = re.compile(r"^([ \t]*-[ \t]+)")


def _flow(value: Any) -> str:
    """One item as YAML writes it inside ``[...]``: commas and brackets quoted."""
    dumped = yaml.safe_dump([value], default_flow_style=True, allow_unicode=True, width=10**9).strip()
    return dumped[1:-1]


def _load(lines: Sequence[str]) -> Any:
    try:
        return yaml.load("".join(lines), Loader=NoteLoader)
    except Exception:  # noqa: BLE001 - safe constructors raise more than YAMLError
        return None


def append_items(front: list[str], key: str, items: Sequence[str], newline: str) -> list[str] | None:
    """``front`` (the lines between the ``---`` lines, with endings) with ``items`` added to ``key``'s list.

    ``None`` when that cannot be done on the lines as written.
    """
    before = _load(front)
    if not isinstance(before, dict) or key not in before or not items:
        return None
    found = [i for i, line in enumerate(front) if re.match(re.escape(key) + r"[ \t]*:(?:[ \t]|\r?\n|$)", line)]
    if len(found) != 1:
        return None
    at = found[0]
    value = before[key]
    rest = front[at][len(key):].split(":", 1)[1]
    out = list(front)
    if isinstance(value, list) and not rest.strip(" \t\r\n").startswith("["):
        last = at
        for index in range(at + 1, len(front)):
            line = front[index]
            if _ITEM.match(line) or (line[:1] in " \t" and line.strip()):
                last = index
            elif line.strip():
                break
        marker = next((m.group(1) for i in range(last, at, -1) if (m := _ITEM.match(front[i]))), "  - ")
        out[last + 1:last + 1] = [f"{marker}{scalar(item)}{newline}" for item in items]
    else:
        text, comment = _value_and_comment(rest)
        if isinstance(value, list) and text.startswith("[") and text.endswith("]"):
            inner = text[1:-1].rstrip()
            new = "[" + inner + (", " if inner.strip() else "") + ", ".join(_flow(item) for item in items) + "]"
        elif isinstance(value, (str, int, float)) and not isinstance(value, bool) and text:
            new = "[" + ", ".join(_flow(item) for item in (value, *items)) + "]"
        else:
            return None
        ending = front[at][len(front[at].rstrip("\r\n")):]
        out[at] = f"{key}: {new}{comment}{ending or newline}"
    after = _load(out)
    expected = {**before, key: [*(value if isinstance(value, list) else [value]), *items]}
    return out if after == expected else None


def _value_and_comment(rest: str) -> tuple[str, str]:
    """The value after ``key:`` on its line, and what follows it (spaces, a comment), kept as written."""
    split = split_value(rest.rstrip("\r\n"))
    if split is None:
        return "", ""
    return split[0].strip(" \t"), split[1]
