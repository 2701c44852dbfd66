"""Quick edits of a contact's front matter: ``set``, ``snooze``, ``pause``, ``unpause``, ``triage``.

Each key changes exactly one line, or is added as one new line before the
closing ``---`` (by :func:`properties.add_missing`): every other byte of the
note, comments, quoting, key order, line endings and BOM included, stays as it
was. A value on its own line is replaced in place, keeping the comment after it
and, where the new value allows, the quotes around it. Anything vaultnet cannot
change that way (a value over several lines, a key written twice, front matter
it cannot read) is refused with a message, and the note is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import yaml

from vaultnet.base.dates import Date
from vaultnet.base.errors import VaultnetError
from vaultnet.base.keys import normalise
from vaultnet.edits.properties import add_missing, scalar
from vaultnet.files import writes
from vaultnet.files.config import Config
from vaultnet.notes.note import front_matter_mapping, parse_note

_BOUNDARY = re.compile(r"^---[ \t]*\r?\n?$")
_MISSING = object()


class EditError(VaultnetError):
    """The front matter cannot be changed one line per key."""


class BadValue(ValueError):
    """A value ``set`` or ``snooze`` refuses, as vaultnet would then report it as a problem; ``key`` names it."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


def checked_values(config: Config, values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` as ``set`` writes them: a known circle, cadences, birthdays and dates that parse;
    a cadence in days becomes a number. :class:`BadValue` names the first key that is wrong."""
    from vaultnet.base.dates import parse_birthday, parse_cadence, parse_iso

    checked = dict(values)
    circle = checked.get("circle")
    if circle is not None and circle not in config.circles:
        raise BadValue("circle", f"unknown circle {circle!r} (known: {', '.join(config.circles)})")
    checks: dict[str, Callable[[Any], object]] = {"cadence": parse_cadence, "birthday": parse_birthday,
                                                  "last_contact": parse_iso, "snooze_until": parse_iso}
    for key, parse in checks.items():
        if checked.get(key) is not None:
            try:
                parse(checked[key])
            except ValueError as err:
                raise BadValue(key, str(err)) from None
    if str(checked.get("cadence", "")).isdigit():
        checked["cadence"] = int(checked["cadence"])
    return checked


def snooze_date(until: str, today: Date) -> Date:
    """``snooze``'s DURATION|DATE as a date after ``today``: ``2026-12-01``, or ``2w``, ``3mo``, ``10d`` from today."""
    from vaultnet.base.dates import parse_cadence, parse_iso

    try:
        day = parse_iso(until.strip())
    except ValueError:
        try:
            day = parse_cadence(until).after(today)
        except ValueError:
            raise BadValue("until", f"{until!r} is neither a date (YYYY-MM-DD) nor a duration such as 2w or 3mo") from None
    if day <= today:
        raise BadValue("until", f"{day.isoformat()} is not after today ({today.isoformat()})")
    return day


def _lines(text: str) -> list[str]:
    """Lines with their endings; only LF (or CRLF) ends a line, as in editors."""
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _split_value(rest: str) -> tuple[str, str] | None:
    """``rest`` (after ``key:``) as (the value, what follows it: spaces and a comment)."""
    body = rest.rstrip("\r\n")
    ending = rest[len(body):]
    stripped = body.lstrip(" \t")
    lead = body[: len(body) - len(stripped)]
    if not stripped or stripped.startswith("#"):
        return "", body + ending  # no value yet (``key:`` or ``key:  # a comment``)
    if stripped[:1] in ("'", '"'):
        quote = stripped[0]
        index = 1
        while index < len(stripped):
            char = stripped[index]
            if quote == '"' and char == "\\":
                index += 2
                continue
            if char == quote:
                if quote == "'" and stripped[index + 1: index + 2] == "'":
                    index += 2
                    continue
                return lead + stripped[: index + 1], stripped[index + 1:] + ending
            index += 1
        return None  # the quoted value goes on to the next line
    comment = re.search(r"[ \t]+#", stripped)
    if comment:
        return lead + stripped[: comment.start()], stripped[comment.start():] + ending
    value = stripped.rstrip(" \t")
    return lead + value, stripped[len(value):] + ending


def _written(value: Any, old: str) -> str:
    """The new value as YAML, in the old value's quotes when they can hold it on one line."""
    plain = scalar(value)
    old = old.strip()
    if isinstance(value, str) and plain == value and old[:1] in ("'", '"'):
        if old[0] == "'":
            return "'" + value.replace("'", "''") + "'"
        quoted = yaml.safe_dump(value, default_style='"', allow_unicode=True, width=10**9)
        return quoted.removesuffix("\n...\n").rstrip("\n")
    return plain


def _read_back(value: Any) -> Any:
    return value if isinstance(value, (str, int, float, bool)) else str(value)


def _as_written(meta: Mapping[Any, Any], key: str) -> str | None:
    """The note's own spelling of ``key`` (``Company:`` for ``company``), as vaultnet reads it: the first one."""
    wanted = normalise(key)
    return next((other for other in meta if isinstance(other, str) and normalise(other) == wanted), None)


def set_keys(data: bytes, values: Mapping[str, Any], rel: str = "the note", *,
             add: bool = True) -> tuple[bytes, list[str]]:
    """``data`` with each key of ``values`` set: one changed or one added line per key.

    A key is found whatever its case and separators (``Company:``, ``Last Contact:``,
    as Obsidian and Dataview read them), and changed where it is written, never
    added a second time; a key kept as a Dataview inline field changes on its
    line. With ``add=False`` a key the note lacks is left out.
    Returns the new bytes and the keys whose value changed. Raises
    :class:`EditError` when a key cannot be changed on one line.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise EditError(f"{rel} is not valid UTF-8; vaultnet will not edit it") from None
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    lines = _lines(text[len(bom):])
    closing = None
    if lines and _BOUNDARY.match(lines[0]):
        closing = next((i for i in range(1, len(lines)) if _BOUNDARY.match(lines[i])), None)
        if closing is None:
            raise EditError(f"{rel}: the front matter has no closing '---'; fix it first")
    meta = front_matter_mapping(lines[1:closing]) if closing is not None else {}
    if meta is None:
        raise EditError(f"{rel}: the front matter cannot be read; fix it first (vaultnet check says why)")
    changed: list[str] = []
    missing: dict[str, Any] = {}
    for wanted, value in values.items():
        key = _as_written(meta, wanted)
        if key is None:
            missing[wanted] = value
            continue
        if meta[key] == _read_back(value):
            continue
        found = [i for i in range(1, closing or 0) if re.match(re.escape(key) + r"[ \t]*:(?:[ \t]|\r?\n|$)", lines[i])]
        if len(found) != 1:
            raise EditError(f"{rel}: {key} is written {'more than once' if found else 'in a way vaultnet cannot change'}; "
                            "edit it by hand")
        index = found[0]
        after_colon = lines[index].index(":", len(key)) + 1
        parts = _split_value(lines[index][after_colon:])
        following = lines[index + 1] if index + 1 < (closing or 0) else ""
        continued = following[:1] in (" ", "\t") and following.strip() or following.startswith("- ")
        if parts is None or continued:
            raise EditError(f"{rel}: {key} has a value over several lines; edit it by hand")
        old, tail = parts
        lead = old[: len(old) - len(old.lstrip(" \t"))] or " "
        lines[index] = lines[index][:after_colon] + lead + _written(value, old) + tail
        check = front_matter_mapping(lines[1:closing])
        if check is None or set(check) != set(meta) or check[key] != _read_back(value) or any(
                check[other] != meta[other] for other in meta if other != key):
            raise EditError(f"{rel}: {key} cannot be changed on its line without changing what the note says; "
                            "edit it by hand")
        meta = check
        changed.append(wanted)
    if missing:
        _set_inline(lines, data, rel, missing, changed)
    new = (bom + "".join(lines)).encode("utf-8")
    if missing and add:
        added_data, added = add_missing(new, missing)
        if len(added) != len(missing):
            raise EditError(f"{rel}: cannot add {', '.join(k for k in missing if k not in added)} to the front matter; "
                            "edit it by hand")
        new = added_data
        changed.extend(added)
    return new, [key for key in values if key in changed]


def _inline_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _set_inline(lines: list[str], data: bytes, rel: str, missing: dict[str, Any], changed: list[str]) -> None:
    """Set, on its own line, each key of ``missing`` that the body holds as a Dataview inline field.

    ``circle:: close`` or ``[last-contact:: 2026-10-30]`` is where the user keeps
    that key: it changes there (and is taken out of ``missing``), never gains a
    second copy in the front matter that would silently win over it.
    """
    if b"::" not in data:
        return
    note, _ = parse_note(rel, data)
    if note is None or not note.inline:
        return
    written = {normalise(key): key for key in reversed(list(note.inline))}  # the first one is what vaultnet reads
    for wanted, value in list(missing.items()):
        key = written.get(normalise(wanted))
        if key is None:
            continue
        old, text = note.inline[key], _inline_text(value)
        line = note.key_line(key)
        if isinstance(old, list) or line is None:
            raise EditError(f"{rel}: {key}:: is written more than once; edit it by hand")
        del missing[wanted]
        if old == text:
            continue
        found = re.search(re.escape(key) + r"::[ \t]*", lines[line - 1])
        start = lines[line - 1].find(old, found.end()) if found else -1
        if found is None or start != found.end() or "\n" in text or (text != text.strip()):
            raise EditError(f"{rel}: {key}:: cannot be changed on its line; edit it by hand")
        lines[line - 1] = lines[line - 1][:start] + text + lines[line - 1][start + len(old):]
        after, _ = parse_note(rel, "".join(lines).encode("utf-8"))
        if after is None or after.inline.get(key) != text:
            raise EditError(f"{rel}: {key}:: cannot be changed to {text!r} on its line; edit it by hand")
        changed.append(wanted)


def edit_note(config: Config, rel: str, transform: Callable[[bytes], bytes]) -> bool:
    """Read ``rel``, apply ``transform`` to its bytes and replace it safely; ``False`` when nothing changed.

    The write rules of ``vaultnet log`` (:func:`vaultnet.files.writes.edit_note`): a settled
    baseline, and a note saved meanwhile is read and edited again.
    """
    def on_bytes(data: bytes | None) -> bytes:
        if data is None:
            raise VaultnetError(f"{rel} no longer exists")
        return transform(data)

    return writes.edit_note(config.root, rel, on_bytes).changed


def set_in_note(config: Config, rel: str, values: Mapping[str, Any]) -> list[str]:
    """Set front-matter ``values`` (keys as vaultnet names them) in the note ``rel``; returns the keys changed."""
    if rel.startswith("#"):
        raise VaultnetError(f"{rel} has no note of their own: `vaultnet add NAME` makes one")
    named = {config.key(key): value for key, value in values.items()}
    changed: list[str] = []

    def transform(data: bytes) -> bytes:
        new, keys = set_keys(data, named, rel)
        changed[:] = keys
        return new

    edit_note(config, rel, transform)
    return changed
