"""Meetings as vaults record them: a dated note and the people who were there.

People count as at a meeting when a property lists them (``people``,
``attendees``, ``participants``, ``with``, in front matter or as a Dataview
inline field) or when a line under a heading named like those
(``## Participants``) links them. A meeting note is one interaction with
everyone it names, however many of its lines name them (docs/formats.md, Interactions).
"""

from __future__ import annotations

from dataclasses import replace

from vaultnet.base.dates import Date, parse_date
from vaultnet.base.errors import Problem
from vaultnet.evidence.contacts import Directory
from vaultnet.evidence.model import Evidence, Interaction
from vaultnet.evidence.people import link_texts, properties
from vaultnet.files.config import Config
from vaultnet.notes.note import Note


def daily_date(note: Note, config: Config) -> Date | None:
    """The date a daily note's file name gives (within the dated folders)."""
    stem = note.rel[:-3]
    if not config.dated_folders or any(stem.startswith(folder + "/") for folder in config.dated_folders):
        return config.daily.match(stem)
    return None


def property_date(note: Note, config: Config, problems: list[Problem] | None = None) -> Date | None:
    """The ``date`` property in any case, in front matter or inline (``[date:: 2023-03-05 21:34]``).

    A bad date goes to ``problems`` when given (the note is left as parsed).
    """
    if not note.meta and not note.inline:
        return None
    item = properties(note, config).item("date")
    if item is None or item[1] in (None, ""):
        return None
    raw = item[1][0] if isinstance(item[1], list) and len(item[1]) > 1 else item[1]  # a repeated inline field
    try:
        return parse_date(raw.strip() if isinstance(raw, str) else raw)
    except ValueError as err:
        if problems is not None:
            problems.append(Problem(note.rel, note.key_line(item[0]), f"{item[0]}: {err}"))
        return None


def attendee_targets(note: Note, config: Config) -> list[str]:
    """Link targets (or names) of the people the note's properties and attendee headings list."""
    targets = list(link_texts(properties(note, config).get("attendees"))) if note.meta or note.inline else []
    if note.attendee_sections:
        for line in note.countable():
            if any(first <= line.number <= last for first, last in note.attendee_sections):
                targets.extend(link.target for link in line.links)
    return targets


def merge_meeting(evidence: Evidence, note: Note, config: Config, directory: Directory) -> Evidence:
    """Make a note dated by its ``date`` property one interaction with everyone at it or named in it."""
    if not note.meta and not note.inline and not note.attendee_sections:
        return evidence  # no attendees, no date property: lines count as they are
    daily = daily_date(note, config)
    date = daily or property_date(note, config)
    if date is None:
        return evidence
    present: list[str] = []
    for target in attendee_targets(note, config):
        contact = directory.resolve(target)
        if contact and contact.path not in present:
            present.append(contact.path)
    same_day = [item for item in evidence.interactions if item.date == date]
    if daily is not None:
        # A daily note: each line is its own contact; attendees no line names are met once more.
        named = {path for item in same_day for path in item.people}
        present = [path for path in present if path not in named]
        same_day = []
    if not present and len(same_day) < 2:
        return evidence
    people = list(present)
    for item in same_day:
        people.extend(path for path in item.people if path not in people)
    kind = next((item.kind for item in same_day if item.kind != "note"), "meeting" if present else "note")
    first = same_day[0] if same_day else None
    merged = Interaction(
        date, kind, first.raw if first else note.rel.rsplit("/", 1)[-1][:-3], note.rel,
        first.line if first else note.key_line(properties(note, config).key("attendees")),
        tuple(people),
        tuple(dict.fromkeys(x for item in same_day for x in item.exchanges)),
        tuple(dict.fromkeys(p for item in same_day for p in item.exchanges_for)),
        tuple(dict.fromkeys(t for item in same_day for t in item.tags)),
    )
    others = [item for item in evidence.interactions if item not in same_day]
    return replace(evidence, interactions=[merged, *others])
