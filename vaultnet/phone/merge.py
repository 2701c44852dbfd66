"""The three-way merge of one person: what the note says, what the card says, and what both last agreed on.

Pure: it decides, and the caller writes. For each field it compares both sides
with the base (the values agreed at the last sync, kept in the vault):

- a list field (emails, phones, nicknames, tags...) is a set of items: an item
  the phone added goes into the note, as a new line (a new key, or a new item
  of a block list); when the note's key holds a single value, which no new line
  can extend, the item stays on the card and in the state (``phone_only``) and
  is told. An item the phone removed that the note still has is kept (the note
  is never rewritten) and told; an item the note removed leaves the card.
- a text field (company, birthday...): a value the phone gave a field the note
  lacks is added as a new line; a value the phone changed while the note kept
  the old one is told and the note's is kept (``vaultnet set`` takes the
  phone's); when both changed the field since the last sync and disagree, that
  is a conflict: the note's value is kept, and said so.

With no base (a card and a note linked for the first time), every item the
phone has and the note lacks is added, and a text that differs is told once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from vaultnet.phone.cards import KINDS, Fields, Value, same_item, same_value

# Where a note can take a new value of a field: a new key ("new"), a new item of its block list ("append"), or
# nowhere without rewriting a line ("none": a single value, a flow list, an empty key).
Room = Literal["new", "append", "none"]
What = Literal["added", "phone-only", "kept", "changed", "conflict", "renamed"]


@dataclass(frozen=True)
class Finding:
    """One thing to tell about a field."""

    key: str
    what: What
    text: str
    note: str | None = None  # the note's value and the phone's, for a text field
    phone: str | None = None


@dataclass
class Outcome:
    """What the card holds after the sync (the next base), what to add to the note, and what to tell."""

    agreed: Fields = field(default_factory=dict)
    add: dict[str, Value] = field(default_factory=dict)  # field → items, or the text, to add to the note
    phone_only: dict[str, list[str]] = field(default_factory=dict)  # items the note cannot take (yet)
    findings: list[Finding] = field(default_factory=list)


def _items(value: Value | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _has(items: list[str], item: str, key: str) -> bool:
    same = same_item(key)
    return any(same(item, other) for other in items)


def merge(base: Fields | None, vault: Fields, phone: Fields, room: Mapping[str, Room],
          phone_only: Mapping[str, list[str]] | None = None) -> Outcome:
    """Merge one person's note (``vault``) and card (``phone``) against ``base`` (None: never synced)."""
    out = Outcome()
    kept_only = phone_only or {}
    for key, kind in KINDS.items():
        old = base.get(key) if base is not None else None
        mine, theirs = vault.get(key), phone.get(key)
        if kind == "out":
            if mine is not None:
                out.agreed[key] = mine
        elif kind == "name":
            if mine is not None:
                out.agreed[key] = mine
            if base is not None and theirs and not same_value(key, theirs, old) and not same_value(key, theirs, mine):
                out.findings.append(Finding(key, "renamed", f"renamed on the phone to {theirs!r}; the note keeps its "
                                            "name (rename the note to follow)"))
        elif kind == "items":
            _merge_items(out, key, base, _items(old), _items(mine), _items(theirs), kept_only.get(key, []),
                         room.get(key, "none"))
        else:
            _merge_text(out, key, base is not None, _text(old), _text(mine), _text(theirs), room.get(key, "none"))
    return out


def _text(value: Value | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return ", ".join(value) or None


def _merge_items(out: Outcome, key: str, base: Fields | None, old: list[str], mine: list[str], theirs: list[str],
                 only: list[str], room: Room) -> None:
    if base is None:
        old = [item for item in theirs if _has(mine, item, key)]  # linked for the first time: nothing was removed
    only = [item for item in only if _has(theirs, item, key) and not _has(mine, item, key)]
    vault_side = [*mine, *only]
    added = [item for item in theirs if not _has(old, item, key) and not _has(vault_side, item, key)]
    for item in old:
        if not _has(theirs, item, key) and _has(mine, item, key):
            out.findings.append(Finding(key, "kept", f"{item} was removed on the phone; the note still has it, so "
                                        "the card gets it back (remove it from the note to remove it everywhere)"))
    if added and room in ("new", "append"):
        out.add[key] = added if len(added) > 1 or room == "append" else added[0]
        out.findings.append(Finding(key, "added", f"added {', '.join(added)} (from the phone)"))
    elif added:
        only = [*only, *added]
        out.findings.append(Finding(key, "phone-only", f"{', '.join(added)} is on the phone only: the note's {key} "
                                    "holds a single value, which no new line can extend (make it a list to take it)"))
    agreed = [*mine, *only, *(added if key in out.add else [])]
    if agreed:
        out.agreed[key] = agreed
    if only:
        out.phone_only[key] = only


def _merge_text(out: Outcome, key: str, has_base: bool, old: str | None, mine: str | None, theirs: str | None,
                room: Room) -> None:
    same = lambda a, b: same_value(key, a, b)  # noqa: E731
    result = mine
    phone_changed = not same(theirs, old) if has_base else not same(theirs, mine)
    vault_changed = has_base and not same(mine, old)
    if phone_changed and not same(theirs, mine):
        if vault_changed and has_base:
            out.findings.append(Finding(key, "conflict", f"conflict: changed on both sides since the last sync; the "
                                        f"phone says {theirs!r}, the note {mine!r}: the note's value is kept"))
        elif mine is None and theirs is not None and room == "new":
            out.add[key] = theirs
            out.findings.append(Finding(key, "added", f"added {key} {theirs!r} (from the phone)"))
            result = theirs
        elif theirs is None:
            out.findings.append(Finding(key, "kept", f"removed on the phone; the note keeps {mine!r}"))
        elif mine is None:
            out.findings.append(Finding(key, "kept", f"the phone says {theirs!r}; the note's {key} is there but "
                                        "empty, and is not rewritten"))
        else:
            out.findings.append(Finding(key, "changed", f"the phone says {theirs!r}, the note {mine!r}: the note's "
                                        f"value is kept (vaultnet set NAME {key} ... takes the phone's)",
                                        mine, theirs))
    if result is not None:
        out.agreed[key] = result
