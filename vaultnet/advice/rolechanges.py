"""Congratulate: noticing when a contact's company or role changes.

"When someone in your network gets a promotion, why not send a thoughtful note
that shows you are paying attention to their career?" Front matter holds only
the current value, so vaultnet remembers what it last saw, and each change with
the day it first saw it, in its own file ``.vaultnet/changes.json`` (plain
JSON, like the cache). A change comes from an edited note or from an import
that reports a new value. For ``WINDOW_DAYS`` after it was first seen, and
until you are in touch with them, the plan asks you to congratulate.
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
from vaultnet.evidence.contacts import Contact, fold
from vaultnet.files.config import STATE_DIR, Config
from vaultnet.files.writes import WriteConflict, read_bytes, safe_write
from vaultnet.standings.standing import Standing

log = logging.getLogger(__name__)

FIELDS: tuple[str, ...] = ("company", "role")
WINDOW_DAYS = 14
KEEP_DAYS = 365  # older changes are forgotten
MEMORY = f"{STATE_DIR}/changes.json"
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


def load(config: Config) -> Memory | None:
    """The memory, or ``None`` when there is none yet (or it cannot be read: it is then started again)."""
    data = read_bytes(config.root / MEMORY)
    if data is None:
        return None
    try:
        raw = json.loads(data.decode("utf-8"))
        if raw.get("format") != FORMAT:
            raise ValueError("another format")
        seen = {str(path): {str(k): str(v) for k, v in values.items()} for path, values in raw["seen"].items()}
        changes = tuple(
            RoleChange(str(c["path"]), str(c["field"]), str(c["old"]), str(c["new"]),
                       dt.date.fromisoformat(c["seen"]), "import" if c.get("source") == "import" else "note")
            for c in raw["changes"]
        )
    except (ValueError, TypeError, KeyError, AttributeError) as err:
        log.warning("%s cannot be read (%s); starting it again", MEMORY, err)
        return None
    return Memory(seen, changes)


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
    remembered = memory.seen if memory else {}
    seen: dict[str, dict[str, str]] = {}  # contacts no longer in the vault are forgotten
    changes = list(memory.changes if memory else ())
    for contact in contacts:
        values = {key: contact.fields[key] for key in FIELDS if key in contact.fields}
        before = remembered.get(contact.path)
        if before is not None and memory is not None:
            for key, new in values.items():
                old = before.get(key)
                # The same text is the same value: ten thousand contacts need not be folded twice each.
                if old is not None and old != new and fold(old) != fold(new) and not _known(changes, contact.path, key, new):
                    changes.append(RoleChange(contact.path, key, old, new, today))
        seen[contact.path] = {**(before or {}), **values}
    return Memory(seen, _forget_old(changes, today))


def report(memory: Memory | None, news: Iterable[tuple[str, str, str, str]], today: Date) -> Memory:
    """The memory once an import reported new values: ``(path, field, old, new)`` each."""
    base = memory or Memory({})
    changes = list(base.changes)
    for path, key, old, new in news:
        if not _known(changes, path, key, new):
            changes.append(RoleChange(path, key, old, new, today, "import"))
    return replace(base, changes=_forget_old(changes, today))


def save(config: Config, memory: Memory) -> bool:
    """Write the memory if it changed (atomically, as every vaultnet write)."""
    data = (json.dumps(memory.to_json(), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    try:
        return safe_write(config.root, MEMORY, data, read_bytes(config.root / MEMORY))
    except WriteConflict:
        log.info("%s changed meanwhile; it is updated on the next run", MEMORY)
        return False


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
        recent = tuple(by_path.get(standing.contact.path, ()))
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
