"""No tick is ever dropped: dating a tick, and putting back the ticks that a sync or a merge took out of a plan.

A tick is the only record of what the user did, and on several devices it can
be lost in three ways, each handled here before a plan is worked out:

- **two versions of the plan**: a sync tool keeps the losing side of an edit as
  a conflict copy (``2026-W47.sync-conflict-….md``, ``2026-W47 (conflicted
  copy …).md``, ``2026-W47 2.md``), or git leaves both sides between conflict
  markers. Every ticked item of either version is put back into the plan (ticked
  in several, with the earliest date), so it counts and is never asked for again;
- **a sync that keeps the newer file**: the other device's build replaced the
  plan with a version built before the tick arrived. A watcher that saw the
  tick, and sees the plan replaced by another build's version without it, puts
  it back once (:class:`TickKeeper`);
- **a tick without a date**: it is dated by the day the plan was last saved on
  this device (its modification time, in this device's time zone), never after
  today and never before the plan's week: ticked on Sunday and built on Monday
  is Sunday, and a note synced from a device whose clock runs ahead is never
  dated in the future.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from vaultnet.base.dates import Date, parse_week
from vaultnet.base.sections import KEY_IN_LINE, WEEK_IN_NAME, key_section
from vaultnet.files.config import Config
from vaultnet.files.copies import copy_original, nfc
from vaultnet.files.digests import counts_by_ticks
from vaultnet.notes.noteset import Entry
from vaultnet.output.regions import RegionError, combined, git_sides, item, merge_items, split, stamp
from vaultnet.output.stamps import Stamp, found

log = logging.getLogger(__name__)


def tick_day(config: Config, rel: str, today: Date) -> Date | None:
    """The day to date the undated ticks of ``rel`` by: when the note was last saved, as this device tells days.

    None for the plan of a week that has not begun here yet (a device a day ahead planned it): its
    ticks are dated by a device whose week it is, never by one that would date them before the week.
    """
    day = today
    with contextlib.suppress(OSError, ValueError, OverflowError):
        day = min(dt.datetime.fromtimestamp(os.stat(config.root / rel).st_mtime).date(), today)
    week = WEEK_IN_NAME.search(rel.rsplit("/", 1)[-1])
    if week is not None:
        try:
            monday = parse_week(week.group(0))
        except ValueError:
            return day
        if monday > today:
            return None
        if day < monday:
            return monday
    return day


def copies_of(rel: str, paths: Iterable[str]) -> list[str]:
    """The sync copies of ``rel`` among ``paths`` (conflict copies, and duplicates beside it)."""
    folder = rel.rpartition("/")[0] + "/"
    siblings = [path for path in paths if path.startswith(folder) and path != rel]
    if not siblings:
        return []
    present = {nfc(path) for path in (*siblings, rel)}
    return sorted(path for path in siblings if copy_original(path, present) == rel)


@dataclass
class Upkeep:
    """What :func:`upkeep` did to a plan: its new text, and the ticks it put back from where."""

    text: str
    put_back: dict[str, str] = field(default_factory=dict)  # key → where the tick came from


def upkeep(text: str, rel: str, day: Date | None, copies: Mapping[str, str] = {},
           lost: Mapping[str, str] = {}) -> Upkeep | None:
    """A generated note's region with every tick kept and dated, or None when nothing needed doing.

    ``copies`` are the texts of its sync conflict copies by path; ``lost`` ticked
    lines (by key) that a newer version dropped. Git conflict markers inside the
    region are resolved to one region holding both sides' ticks; markers that
    reach outside it (into the user's text) are left for the user.
    """
    base = text
    sides = git_sides(text)
    regions: dict[str, str] = {}
    if sides is not None:
        try:
            ours, theirs = (split(side, rel) for side in sides)
        except RegionError:
            ours = theirs = None  # type: ignore[assignment]
        if ours is not None and theirs is not None and ours[0] == theirs[0] and ours[2] == theirs[2]:
            base = "".join(ours)
            regions["the other side of a git conflict"] = theirs[1]
    before, region, after = split(base, rel)
    for path, copy in copies.items():
        try:
            regions[path] = split(copy, path)[1]
        except RegionError:
            continue  # a copy whose markers are broken: check reports it, its ticks still count
    kept = combined(region, *regions.values())
    mine = combined(region)
    others = {where: combined(other) for where, other in regions.items()}
    put_back = {}
    for key in kept:
        if not _ticked(mine.get(key)):
            where = next((where for where, items in others.items() if _ticked(items.get(key))), None)
            if where is not None:
                put_back[key] = where
    for key, line in lost.items():
        if not _ticked(kept.get(key)):
            section = key_section(key)
            kept[key] = (line if line.endswith("\n") else line + "\n", f"## {section.title}" if section else "", None)
            put_back[key] = "a version another device replaced"
    merged = merge_items(region, kept)
    new = before + (stamp(merged, day) if day is not None else merged) + after
    if new == text:
        return None
    return Upkeep(new, put_back)


def _ticked(kept: tuple[str, str, str | None] | None) -> bool:
    found_item = item(kept[0]) if kept is not None else None
    return found_item is not None and found_item[0] in "xX"


class TickKeeper:
    """What a long-lived session saw of the ticks in vaultnet's notes, to put back those a sync dropped.

    It knows each generated note's stamp as last read. When the note is read
    again with another build's stamp and without a tick it had (dated, so
    counted), the other device built it before the tick reached it, and a sync
    that keeps the newer file kept that version: the tick is put back, once.
    A tick the user takes back on this device leaves the stamp as it was, and
    stays taken back.
    """

    def __init__(self, config: Config) -> None:
        self.config = config
        self.stamps: dict[str, Stamp | None] = {}
        self.incoming: dict[str, Stamp | None] = {}
        self.lost: dict[str, dict[str, str]] = {}
        self._put_back: set[tuple[str, str]] = set()

    def read(self, rel: str, data: bytes) -> None:
        """A generated note's bytes as just read (its entry may or may not replace the last)."""
        if counts_by_ticks(self.config, rel):
            self.incoming[rel] = found(data.decode("utf-8", "replace"))

    def replaced(self, rel: str, old: Entry | None, new: Entry) -> None:
        if rel not in self.incoming:
            return
        stamp_now = self.incoming.pop(rel)
        known = rel in self.stamps
        stamp_before = self.stamps.get(rel)
        self.stamps[rel] = stamp_now
        if not known or old is None or old.note is None or new.note is None or stamp_now in (None, stamp_before):
            return
        ticked = {key: line for key, line in _ticks(old) if (rel, key) not in self._put_back}
        if not ticked:
            return
        now = _states(new)
        for key, line in ticked.items():
            if now.get(key, " ") == " ":  # gone, or open again as the other build wrote it
                self.lost.setdefault(rel, {})[key] = line

    def take(self, rel: str) -> dict[str, str]:
        """The ticks to put back into ``rel`` (each only ever once)."""
        lost = self.lost.pop(rel, {})
        self._put_back.update((rel, key) for key in lost)
        for key in lost:
            log.warning("%s: put back a tick another device's version dropped (%s); untick it again to take it back",
                        rel, key)
        return lost


def _states(entry: Entry) -> dict[str, str]:
    """Each keyed task item's state in a generated note's entry."""
    states = {}
    for line in entry.note.countable() if entry.note is not None else ():
        key = KEY_IN_LINE.search(line.text)
        if key and line.task is not None:
            states[key.group(1)] = line.task
    return states


def _ticks(entry: Entry) -> list[tuple[str, str]]:
    """(key, line) of each dated tick of a generated note's entry."""
    found_ticks = []
    for line in entry.note.countable() if entry.note is not None else ():
        key = KEY_IN_LINE.search(line.text)
        if line.done and key and line.done_date:
            found_ticks.append((key.group(1), f"- [x] {line.text}"))
    return found_ticks
