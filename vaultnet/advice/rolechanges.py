"""Congratulate: noticing when a contact's company or role changes.

"When someone in your network gets a promotion, why not send a thoughtful note
that shows you are paying attention to their career?" Front matter holds only
the current value, so vaultnet remembers what it last saw, and each change with
the day it first saw it. The memory decides a generated note (the plan), so it
lives in the vault, where every device syncs it: a note of vaultnet's own
(:mod:`vaultnet.output.memory` reads and writes it; earlier versions kept it in
``.vaultnet/changes.json``, read once to carry it over). A change comes from an
edited note or from an import that reports a new value. For ``WINDOW_DAYS``
after it was first seen, and until you are in touch with them, the plan asks
you to congratulate.

Paths are kept in Unicode NFC: a note renamed to the decomposed form of its
name (a copy made on a Mac) is the same person, with the same memory.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from vaultnet.advice import lifeevents
from vaultnet.base.dates import Date
from vaultnet.base.identity import changed_places
from vaultnet.evidence.contacts import Contact, fold
from vaultnet.files.config import STATE_DIR, Config
from vaultnet.files.copies import nfc
from vaultnet.files.writes import read_bytes
from vaultnet.standings.standing import Standing

log = logging.getLogger(__name__)

FIELDS: tuple[str, ...] = ("company", "role")
WINDOW_DAYS = 14
KEEP_DAYS = 365  # older changes are forgotten
MEMORY = f"{STATE_DIR}/changes.json"  # where earlier versions kept the memory: read once, to carry it over
FORMAT = 1
Source = Literal["note", "import"]


@dataclass(frozen=True)
class RoleChange:
    path: str  # the contact's note
    field: str  # company or role
    old: str
    new: str
    seen: Date  # the day vaultnet first saw it
    source: Source = "note"


@dataclass(frozen=True)
class Memory:
    seen: dict[str, dict[str, str]]  # contact path -> field -> last value seen in the note
    changes: tuple[RoleChange, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "seen": {path: dict(sorted(values.items())) for path, values in sorted(self.seen.items())},
            "changes": [
                {"path": c.path, "field": c.field, "old": c.old, "new": c.new, "seen": c.seen.isoformat(), "source": c.source}
                for c in self.changes
            ],
        }


def from_json(text: str) -> Memory:
    """The memory from its JSON form; ``ValueError`` when it is not one."""
    try:
        raw = json.loads(text)
        if raw.get("format") != FORMAT:
            raise ValueError("another format")
        seen = {nfc(str(path)): {str(k): str(v) for k, v in values.items()} for path, values in raw["seen"].items()}
        changes = tuple(
            RoleChange(nfc(str(c["path"])), str(c["field"]), str(c["old"]), str(c["new"]),
                       dt.date.fromisoformat(c["seen"]), "import" if c.get("source") == "import" else "note")
            for c in raw["changes"]
        )
    except (TypeError, KeyError, AttributeError) as err:
        raise ValueError(str(err)) from None
    return Memory(seen, changes)


def load_legacy(config: Config) -> Memory | None:
    """The memory as earlier versions kept it in ``.vaultnet/changes.json`` (None when there is none)."""
    data = read_bytes(config.root / MEMORY)
    if data is None:
        return None
    try:
        return from_json(data.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as err:
        log.warning("%s cannot be read (%s); starting it again", MEMORY, err)
        return None


def merged(memory: Memory | None, other: Memory) -> Memory:
    """Two devices' memories as one (a sync conflict copy of it): every change, each with its earliest day."""
    if memory is None:
        return other
    changes = list(memory.changes)
    for change in other.changes:
        same = next((i for i, c in enumerate(changes) if (c.path, c.field, fold(c.new)) ==
                     (change.path, change.field, fold(change.new))), None)
        if same is None:
            changes.append(change)
        elif change.seen < changes[same].seen:
            changes[same] = change
    seen = {**other.seen, **memory.seen}
    return Memory(dict(sorted(seen.items())), tuple(sorted(changes, key=lambda c: (c.seen, c.path, c.field))))


def _known(changes: Iterable[RoleChange], path: str, field: str, new: str) -> bool:
    return any(c.path == path and c.field == field and fold(c.new) == fold(new) for c in changes)


def _forget_old(changes: Iterable[RoleChange], today: Date) -> tuple[RoleChange, ...]:
    return tuple(c for c in changes if (today - c.seen).days <= KEEP_DAYS)


def observe(memory: Memory | None, contacts: Iterable[Contact], today: Date) -> Memory:
    """The memory once it has seen ``contacts`` today.

    A value replacing another (case and spacing aside) is a change; a value
    filled in where there was none is not, and neither is a contact seen for the
    first time (the first run remembers everything as it is). The same change
    seen again keeps the day it was first seen.
    """
    seen: dict[str, dict[str, str]] = {}  # contacts no longer in the vault are forgotten
    changes = list(memory.changes if memory else ())
    for contact in contacts:
        _see(contact, memory, seen, changes, today)
    return Memory(seen, _forget_old(changes, today))


def _see(contact: Contact, memory: Memory | None, seen: dict[str, dict[str, str]], changes: list[RoleChange],
         today: Date) -> None:
    """One contact seen: its entry in ``seen``, and its changes added to ``changes``."""
    values = {key: contact.fields[key] for key in FIELDS if key in contact.fields}
    path = nfc(contact.path)
    before = memory.seen.get(path) if memory else None
    if before is not None and memory is not None:
        for key, new in values.items():
            old = before.get(key)
            # The same text is the same value: ten thousand contacts need not be folded twice each.
            if old is not None and old != new and fold(old) != fold(new) and not _known(changes, path, key, new):
                changes.append(RoleChange(path, key, old, new, today))
    if before and all(before.get(key) == new for key, new in values.items()):
        seen[path] = before  # as remembered: ten thousand contacts need not be copied at every build
    elif before or values:  # nothing to remember of a contact without a company or a role
        seen[path] = {**(before or {}), **values}


class Observer:
    """:func:`observe` for a long-lived session, which sees the contacts again after every edit.

    The memory a build saves is the one the next build reads back. Given that
    memory again, with the same contacts but a few new objects (the ones an
    edit read again), the contacts left alone can change nothing: each is
    remembered as it is. Only the new objects are seen again, in their places,
    and the answer is the one :func:`observe` gives. Anything else (the memory
    note edited, contacts added, removed or moved, another day, two notes whose
    paths differ only in their Unicode form) is observed in full.
    """

    FEW = 256  # contacts read again that are seen one by one; more, and all are

    def __init__(self) -> None:
        # the contacts last seen, the day, the answer, and whether each had a path of its own
        self._last: tuple[tuple[Contact, ...], Date, Memory, bool] | None = None

    def __call__(self, memory: Memory | None, contacts: Iterable[Contact], today: Date) -> Memory:
        now = tuple(contacts)
        answer = self._patched(memory, now, today)
        if answer is not None:
            self._last = (now, today, answer, True)
            return answer
        answer = observe(memory, now, today)
        self._last = (now, today, answer, len({nfc(contact.path) for contact in now}) == len(now))
        return answer

    def _patched(self, memory: Memory | None, now: tuple[Contact, ...], today: Date) -> Memory | None:
        if self._last is None or memory is None:
            return None
        before, day, answer, own_paths = self._last
        if not own_paths or day != today or not (memory is answer or memory == answer):
            return None
        at = changed_places(before, now, _path, self.FEW)  # the same paths in their places: still each its own
        if at is None:
            return None
        seen = dict(memory.seen)
        changes = list(memory.changes)
        for i in at:
            _see(now[i], memory, seen, changes, today)
        return Memory(seen, _forget_old(changes, today))


def _path(contact: Contact) -> str:
    return contact.path


def report(memory: Memory | None, news: Iterable[tuple[str, str, str, str]], today: Date) -> Memory:
    """The memory once an import reported new values: ``(path, field, old, new)`` each."""
    base = memory or Memory({})
    changes = list(base.changes)
    for path, key, old, new in news:
        if not _known(changes, nfc(path), key, new):
            changes.append(RoleChange(nfc(path), key, old, new, today, "import"))
    return replace(base, changes=_forget_old(changes, today))


def to_text(memory: Memory) -> str:
    """The memory's JSON form: sorted, one key a line, the same bytes on every device for the same memory."""
    return json.dumps(memory.to_json(), ensure_ascii=False, indent=1) + "\n"


@dataclass(frozen=True)
class Congratulation:
    standing: Standing
    changes: tuple[RoleChange, ...]  # this person's recent changes

    @property
    def seen(self) -> Date:
        return min(c.seen for c in self.changes)

    def text(self) -> str:
        new = {c.field: c.new for c in sorted(self.changes, key=lambda c: c.seen)}
        fields = self.standing.contact.fields
        role = new.get("role")
        company = new.get("company") or fields.get("company")
        if role:
            what = f"{role} at {company}" if company else role
        else:
            what = f"at {company}" + (f" as {fields['role']}" if fields.get("role") else "")
        return f"{self.standing.name} is now {what}: send a thoughtful note"


def congratulations(memory: Memory | None, standings: Sequence[Standing], today: Date) -> list[Congratulation]:
    """Changes first seen in the last ``WINDOW_DAYS`` days, for people you have not been in touch with since.

    A life event's check-in at once (:func:`vaultnet.advice.lifeevents.pending` with no delay).
    """
    by_path: dict[str, list[RoleChange]] = {}
    for change in memory.changes if memory else ():
        if 0 <= (today - change.seen).days < WINDOW_DAYS:
            by_path.setdefault(change.path, []).append(change)
    found = []
    for standing in standings:
        recent = tuple(by_path.get(nfc(standing.contact.path), ()) if by_path else ())
        if recent and lifeevents.pending(min(c.seen for c in recent), (lifeevents.NOW,), standing.interactions,
                                         today, today, WINDOW_DAYS - 1):
            found.append(Congratulation(standing, recent))
    return sorted(found, key=lambda c: (c.seen, c.standing.name.casefold()))


def new_jobs(memory: Memory | None, today: Date) -> list[lifeevents.LifeEvent]:
    """Each change vaultnet noticed, as the life event it is: a new job, with the check-ins that follow one."""
    found = []
    for change in memory.changes if memory else ():
        if change.seen <= today:
            found.append(lifeevents.LifeEvent(change.path, "newjob", change.seen, f"now {change.new}", MEMORY))
    return found
