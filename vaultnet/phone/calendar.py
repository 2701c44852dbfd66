"""``vaultnet sync calendar DIR``: reminders as a vdir of events and tasks, and what the phone ticked back.

The folder holds one item per reminder, each with a UID that stays the same
while the reminder does, so a sync changes only what changed:

- every birthday and every date that matters (docs/people.md): a yearly
  all-day event with an alarm ``[sync] lead_days`` before, at ``[sync] alarm``;
- every open follow-up with a due date: a task (``VTODO``) due that day.
  Completing it on the phone completes the task in its note, as ticking it in
  the plan does (``[x]`` and ``✅ date``, nothing else changed). Google Calendar
  and iCloud's Reminders take no tasks over CalDAV: with ``[sync] followups =
  "event"`` a follow-up is an all-day event with an alarm instead (it cannot be
  ticked on the phone then);
- this week's planned check-ins, on their day, with the brief.

Items vaultnet made and no longer makes (a follow-up done, last week's
check-ins) are removed; items it did not make are never touched. An item
deleted on the phone is not made again (the shared state remembers it) while it
stays the same reminder; an item the phone changed is left as the phone has it
until vaultnet's own version of it changes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import vobject
from vobject.icalendar import utc

from vaultnet.advice.dates import yearly
from vaultnet.advice.plan import Plan
from vaultnet.base.dates import Date
from vaultnet.base.errors import Problem
from vaultnet.edits.completion import complete_follow_ups
from vaultnet.evidence.model import Task
from vaultnet.files.config import Config
from vaultnet.output.exports import all_day_event, birthday_start, uid_digest
from vaultnet.phone import state
from vaultnet.phone.brief import brief, check_in_days
from vaultnet.phone.report import Report
from vaultnet.phone.vdir import (
    Item,
    file_name,
    inputs_digest,
    open_folder,
    property_name,
    read_folder,
    remove_item,
    signature,
    stat_of,
    unfolded,
    write_item,
)
from vaultnet.standings.network import Network

EXT = ".ics"
PRODID = "-//vaultnet//vaultnet//EN"
OURS = re.compile(r"vaultnet-(birthday|date|follow-up|follow-up-event|check-in)-[0-9a-f]{20}")


@dataclass(frozen=True)
class Reminder:
    """One item of the calendar folder as vaultnet makes it (made only when it is needed)."""

    uid: str
    what: str  # its summary, for messages
    inputs: str  # a digest of everything it is made from
    make: Callable[[], str]  # the whole VCALENDAR
    task: Task | None = None  # a follow-up's task, to complete when the phone completes it


def _calendar() -> Any:
    calendar = vobject.iCalendar()
    calendar.add("prodid").value = PRODID
    return calendar


def _alarm(component: Any, trigger: dt.timedelta, text: str, from_end: bool = False) -> None:
    alarm = component.add("valarm")
    alarm.add("action").value = "DISPLAY"
    alarm.add("description").value = text
    line = alarm.add("trigger")
    line.value = trigger
    if from_end:
        line.params["RELATED"] = ["END"]


def reminders(config: Config, network: Network, plan: Plan) -> list[Reminder]:
    """Every item the folder should hold, in a stable order."""
    options = config.sync
    stamp = dt.datetime.combine(network.today, dt.time(), tzinfo=utc)
    at = dt.timedelta(hours=options.alarm.hour, minutes=options.alarm.minute)
    ahead = at - dt.timedelta(days=options.lead_days)
    found: list[Reminder] = []

    def event(uid: str, day: Date, summary: str, about: str, alarm: dt.timedelta, rule: str | None = None,
              task: Task | None = None) -> None:
        def make() -> str:
            calendar = _calendar()
            _alarm(all_day_event(calendar, uid, stamp, day, summary, about, rule), alarm, summary)
            return str(calendar.serialize())

        inputs = inputs_digest(uid, day, summary, about, alarm.total_seconds(), rule)
        found.append(Reminder(uid, summary, inputs, make, task))

    def todo(uid: str, due: Date, summary: str, about: str, task: Task) -> None:
        def make() -> str:
            calendar = _calendar()
            item = calendar.add("vtodo")
            item.add("uid").value = uid
            item.add("dtstamp").value = stamp
            item.add("due").value = due
            item.add("summary").value = summary
            item.add("description").value = about
            item.add("status").value = "NEEDS-ACTION"
            _alarm(item, at, summary, from_end=True)
            return str(calendar.serialize())

        found.append(Reminder(uid, summary, inputs_digest(uid, due, summary, about, at.total_seconds()), make, task))

    active = [s for s in network.standings if not s.contact.paused]
    for standing in sorted(active, key=lambda s: s.contact.path):
        birthday = standing.contact.birthday
        if birthday is not None:
            start, rule = birthday_start(birthday)
            born = f", born {birthday.year}" if birthday.year else ""
            event(f"vaultnet-birthday-{uid_digest(standing.contact.path)}", start, f"{standing.name}'s birthday",
                  f"{standing.contact.path}{born}", ahead, rule)
    for occasion in yearly(network):  # anniversaries, named dates, remembrances
        start, rule = birthday_start(occasion.date)
        event(f"vaultnet-date-{uid_digest(*occasion.paths, occasion.label)}", start, occasion.summary,
              occasion.description, ahead, rule)
    by_path = {s.contact.path: s for s in active}
    seen: Counter[tuple[str, str]] = Counter()
    for task in sorted(network.evidence.follow_ups, key=lambda t: (t.path, t.line)):
        seen[(task.path, task.text)] += 1
        people = [by_path[path] for path in task.people if path in by_path]
        if task.due is None or not people:
            continue
        # Keyed by note and text, not line: editing the note above the task keeps its item.
        key = uid_digest(task.path, task.text, str(seen[(task.path, task.text)]))
        names = ", ".join(s.name for s in people)
        named = any(s.name.casefold() in task.text.casefold() for s in people)
        summary = task.text if named else f"{task.text} ({names})"
        about = f"Follow-up with {names} ({task.path})\n\n" + "\n\n".join(brief(s) for s in people)
        if options.followups == "event":
            event(f"vaultnet-follow-up-event-{key}", task.due, summary, about, at, task=task)
        else:
            todo(f"vaultnet-follow-up-{key}", task.due, summary, about, task)
    for path, (day, reason) in sorted(check_in_days(plan, active).items()):
        standing = by_path[path]
        event(f"vaultnet-check-in-{uid_digest(path, plan.week)}", day, f"Check in with {standing.name}",
              f"{reason}\n\n{brief(standing, day)}", at)
    return found


def _completed(text: str) -> Date | None | bool:
    """The day a task was completed on the phone (True when it does not say), or None when it is open."""
    status = done = None
    for line in unfolded(text):
        name = property_name(line)
        value = line.split(":", 1)[-1].strip()
        if name == "STATUS":
            status = value.upper()
        elif name == "COMPLETED":
            done = value
        elif name == "PERCENT-COMPLETE" and value == "100":
            status = status or "COMPLETED"
    if status != "COMPLETED" and done is None:
        return None
    match = re.match(r"(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?", done or "")
    if match is None:
        return True
    year, month, day, hour, minute, second, zulu = match.groups()
    if hour is None:
        return dt.date(int(year), int(month), int(day))
    moment = dt.datetime(int(year), int(month), int(day), int(hour), int(minute), int(second),
                         tzinfo=dt.UTC if zulu else None)
    return moment.astimezone().date() if zulu else moment.date()


def sync_calendar(config: Config, folder: Path, network: Network, plan: Plan, today: Date,
                  write: bool = True) -> Report:
    """Bring the folder's items in step with the vault (see the module's docstring)."""
    report = Report("calendar", str(folder), dry_run=not write)
    if write and open_folder(folder):
        report.tell(f"made the folder {folder}")
    items, problems = read_folder(folder, EXT) if folder.is_dir() else ({}, [])
    report.problems += problems
    ours = {uid: item for uid, item in items.items() if OURS.fullmatch(uid)}
    entries = dict(state.load_shared(config).entries["calendar"])
    local = state.load_local(config, "calendar", folder)
    seen = set(local.seen) if local is not None and ours else set()
    wanted = {reminder.uid: reminder for reminder in reminders(config, network, plan)}

    done = _complete(config, report, ours, wanted, today, write)
    present: dict[str, str] = {}
    known: dict[str, list[Any]] = {}
    for uid, reminder in wanted.items():
        item = ours.get(uid)
        if uid in done or entries.get(uid, {}).get("status") == "dismissed":
            continue
        if item is None and uid in seen:
            entries[uid] = {"status": "dismissed", "what": reminder.what, "since": today.isoformat()}
            report.tell(f"{reminder.what}: deleted on the phone, so it is not made again "
                        f"(delete its line in {state.state_rel(config)} to have it back)")
            continue
        name = item.name if item is not None else file_name(uid, EXT)
        made_from = local.made_from(uid) if local is not None else None
        stat = item.stat if item is not None else None
        if item is not None and made_from == reminder.inputs:
            report.counts["unchanged"] += 1  # as vaultnet made it, or as the phone changed it since
        elif item is not None and signature(text := reminder.make()) == signature(item.text):
            report.counts["unchanged"] += 1
        elif not write:
            report.counts["events written"] += 1
        elif write_item(folder, name, reminder.make() if item is None else text, stat):
            report.counts["events written"] += 1
            stat = stat_of(folder, name)
        else:
            report.tell(f"{folder / name}: changed while vaultnet was syncing: synced next time")
            continue
        present[uid] = name
        if stat is not None:
            known[uid] = [*stat, reminder.inputs]
    for uid, item in sorted(ours.items()):
        if uid in wanted and uid not in done:
            continue
        if uid not in done and uid.startswith("vaultnet-follow-up-") and _completed(item.text) is not None:
            report.tell(f"{folder / item.name}: completed on the phone, but that follow-up is no longer in the vault "
                        "as it was (changed, or done there): check it in its note")
        if not write or remove_item(folder, item):
            report.counts["events removed"] += 1
    entries = {uid: entry for uid, entry in entries.items() if uid in wanted}  # a reminder gone is forgotten
    if write:
        state.save_shared(config, "calendar", entries)
        state.save_local(config, "calendar", folder, state.Local(str(folder.resolve()), present, known))
    return report


def _complete(config: Config, report: Report, ours: dict[str, Item], wanted: dict[str, Reminder], today: Date,
              write: bool) -> set[str]:
    """Complete in their notes the follow-ups completed on the phone; the UIDs of those done."""
    by_note: dict[tuple[str, Date], list[tuple[str, Task]]] = {}
    for uid, item in sorted(ours.items()):
        reminder = wanted.get(uid)
        if reminder is None or reminder.task is None:
            continue
        when = _completed(item.text)
        if when is None:
            continue
        day = when if isinstance(when, dt.date) else today
        by_note.setdefault((reminder.task.path, day), []).append((uid, reminder.task))
    done: set[str] = set()
    for (path, day), tasks in sorted(by_note.items()):
        new, error = complete_follow_ups(config, path, [(task.line, task.text, day) for _, task in tasks], write)
        if error:
            report.problems.append(Problem(path, None, f"a follow-up completed on the phone: {error}"))
            continue
        for uid, task in tasks:
            done.add(uid)
            if new is not None:
                report.counts["follow-ups completed"] += 1
                report.changed.add(path)
                report.tell(f"{path}:{task.line}: completed on the phone: {task.text} (✅ {day.isoformat()})")
    return done
