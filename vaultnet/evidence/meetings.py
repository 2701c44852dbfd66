"""Meetings as vaults record them: a dated note, the people who were there, and what it was about.

A note is dated by its name in the daily format (a daily note: each line its own
interaction), or by a date property (``date``, ``dateTime``, ``Datum``, or those
``date_properties`` names) or a full date in its name (``2023-11-16 Weekly Catchup``):
a meeting note, **one** interaction with everyone at it or named in it.

People were at a meeting when a property lists them (``attendees``, ``participants``,
``with``, ``contacts``..., or any property whose values link people, whatever its name:
``person: "[[Ada Okafor]]"``), when a line under a heading named like those
(``## Participants``) links them, when a ``#people/<name>`` tag names them, or when the
note's name does (``2024-11-13 John Appleseed``). What the meeting was about, for the
plan's "last time" hint, is its summary or title, its first heading, or its name without
the date: never the names of the people at it (docs/formats.md, Interactions).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from vaultnet.base.datenames import Found, date_in_name
from vaultnet.base.dates import Date, parse_date
from vaultnet.base.errors import Problem
from vaultnet.base.keys import DATE_SPELLINGS, KEYS, normalise, spellings
from vaultnet.evidence.contacts import Directory
from vaultnet.evidence.model import Evidence, Interaction
from vaultnet.evidence.people import link_texts, properties
from vaultnet.files.config import Config
from vaultnet.notes.markdown import display
from vaultnet.notes.note import Note

# Keys whose links are never people at a meeting: what the note is, where it sits, how it is named.
_NOT_ATTENDEES = frozenset(normalise(key) for key in (
    "aliases", "alias", "tags", "tag", "type", "categories", "category", "up", "parent", "parents", "related",
    "links", "source", "url", "date", "day", "week", "month", "year", "project", "projects", "area", "topics",
    "topic", "company", "org", "organisation", "organization", "deal", "customer", "location", "place"))
_FULL_DATE = re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)")
_LINK = re.compile(r"\[\[([^\[\]|#^]*)(?:[#^][^\[\]|]*)?(?:\|[^\[\]]*)?\]\]")


def in_dated_folders(note: Note, config: Config) -> bool:
    return not config.dated_folders or any(note.rel.startswith(folder + "/") for folder in config.dated_folders)


def daily_date(note: Note, config: Config) -> Date | None:
    """The date a daily note's file name gives (within the dated folders)."""
    if not config.dated_folders or any(note.rel.startswith(folder + "/") for folder in config.dated_folders):
        return config.daily.match(note.rel[:-3])
    return None


def name_date(note: Note, config: Config) -> Found | None:
    """A full date and more in the name of a note that is no daily note: ``2023-11-16 Weekly Catchup``.
    (A name that is a date and nothing else is a daily note when the daily format says so, else nothing.)"""
    if not note.dated or not in_dated_folders(note, config):
        return None  # a note whose name holds a date is read as one that may be dated (notes.note)
    found = date_in_name(note.rel[note.rel.rfind("/") + 1:-3])
    return found if found is not None and found.rest else None


def date_spellings(config: Config) -> frozenset[str]:
    """The properties that date a note, as keys compare: vaultnet.toml's ``date_properties``, else every
    name ``date`` is known by (``[fields] date`` renames it)."""
    if config.date_properties:
        return frozenset(normalise(key) for key in config.date_properties)
    return frozenset(spellings("date", config.fields)) if "date" in config.fields else DATE_SPELLINGS


def property_date(note: Note, config: Config, problems: list[Problem] | None = None) -> Date | None:
    """The date property in any case and any of its names, in front matter or inline
    (``[date:: 2023-03-05 21:34]``, ``dateTime: 2023-11-16 16:51``, ``Erstellt: 2023-06-07 @ 22:09``).

    A field repeated with different dates (a Readwise import's ``Date::`` on each highlight) dates
    no one meeting: None. A bad date goes to ``problems`` when given (the note is left as parsed).
    """
    if not note.meta and not note.inline:
        return None
    wanted = date_spellings(config)
    for source in (note.meta, note.inline):
        for key, value in source.items():
            if normalise(key) not in wanted or value in (None, ""):
                continue
            if isinstance(value, list) and len(value) > 1 and all(isinstance(v, str) for v in value):
                if len(set(value)) > 1:
                    return None  # many dates: a log, not a meeting
                value = value[0]
            if isinstance(value, str) and len(_FULL_DATE.findall(value)) > 1:
                return None  # `2019-10-24 to 2019-11-25`: a span of time, not a day
            try:
                return parse_date(value.strip() if isinstance(value, str) else value)
            except ValueError as err:
                if problems is not None:
                    problems.append(Problem(note.rel, note.key_line(key), f"{key}: {err}"))
                return None
    return None


def _attendee_spellings(config: Config) -> frozenset[str]:
    if config.attendee_properties:
        return frozenset(normalise(key) for key in config.attendee_properties)
    return frozenset(spellings("attendees", config.fields))


def attendee_items(note: Note, config: Config) -> list[tuple[str, str]]:
    """``(key as written, target)`` for each person a property of the note lists: the attendee
    properties (plain names too), and, unless vaultnet.toml names them, any property whose values
    are links (the caller keeps those that resolve to people)."""
    if not note.meta and not note.inline:
        return []
    named = _attendee_spellings(config)
    any_link = not config.attendee_properties
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for source in (note.meta, note.inline):
        for key, value in source.items():
            folded = normalise(key)
            if folded in seen:
                continue  # front matter wins over an inline field of the same name
            if folded in named:
                seen.add(folded)
                found.extend((key, target) for target in link_texts(value))
            elif any_link and folded not in _NOT_ATTENDEES and folded not in DATE_SPELLINGS and _has_link(value):
                seen.add(folded)
                found.extend((key, target) for target in _linked(value))
    return found


def _has_link(value: Any) -> bool:
    if isinstance(value, str):
        return "[[" in value
    if isinstance(value, list):
        return any(_has_link(item) for item in value)
    return False


def _linked(value: Any) -> Iterable[str]:
    """The link targets in a property value (text or a list), without headings or labels."""
    if isinstance(value, list):
        if len(value) == 1 and isinstance(value[0], list) and len(value[0]) == 1:
            yield str(value[0][0]).split("|", 1)[0].split("#", 1)[0].strip()  # an unquoted [[Name]]
            return
        for item in value:
            yield from _linked(item)
    elif isinstance(value, str):
        for match in _LINK.finditer(value):
            target = match.group(1).strip()
            if target:
                yield target


def attendee_targets(note: Note, config: Config) -> list[str]:
    """Link targets (or names) of the people the note's properties and attendee headings list."""
    targets = [target for _, target in attendee_items(note, config)]
    if note.attendee_sections:
        for line in note.countable():
            if any(first <= line.number <= last for first, last in note.attendee_sections):
                targets.extend(link.target for link in line.links)
    return targets


def meeting_kind(note: Note, config: Config) -> str | None:
    """``kind: call``, ``interaction_type: email``: the kind a meeting note says it is (``type`` says what
    the note is, not how you were in touch)."""
    if not note.meta and not note.inline:
        return None
    for text in link_texts(properties(note, config).get("kind")):
        if text.casefold() in config.kinds:
            return text.casefold()
    return None


def subject(note: Note, config: Config, names: Iterable[str]) -> str:
    """What a meeting was about: its summary or title property, its first heading, or its name
    without the date; the first that is more than the names of the people at it (else empty)."""
    candidates: list[str] = []
    if note.meta or note.inline:
        value = properties(note, config).get("summary")
        if isinstance(value, str):
            candidates.append(value)
    if note.headings:
        candidates.append(note.headings[0][2])
    stem = note.rel.rsplit("/", 1)[-1][:-3]
    dated = date_in_name(stem)
    candidates.append(dated.rest if dated else stem)
    folded = [name.casefold() for name in names if name]
    for candidate in candidates:
        text = display(_LINK.sub(lambda m: m.group(1).rsplit("/", 1)[-1], candidate)).strip()
        inner = date_in_name(text)
        if inner is not None:
            text = inner.rest
        if text and _more_than_names(text, folded):
            return text
    return ""


# Words that say who was there or that it was a meeting, not what it was about.
_FILLER = re.compile(r"[\W\d_]+|\b(?:and|with|og|med|m|und|mit|et|avec|y|con|e|com|en|met|och|1on1|meeting|call|"
                     r"chat|sync|catch ?up|interaction|attendees?|participants?|present|people|organi[sz]er|"
                     r"teilnehmer|deltagere|deltagare|participantes)\b", re.IGNORECASE)


def _more_than_names(text: str, names: list[str]) -> bool:
    rest = text.casefold()
    for name in sorted(names, key=len, reverse=True):
        rest = rest.replace(name, " ")
        first = name.split()[0] if name.split() else ""
        if len(first) > 2:
            rest = re.sub(r"\b" + re.escape(first) + r"\b", " ", rest)
    return bool(_FILLER.sub("", rest).strip())


def merge_meeting(evidence: Evidence, note: Note, config: Config, directory: Directory,
                  present: Iterable[str] = ()) -> Evidence:
    """Make a meeting note (dated by a property or its name, not a daily note) one interaction with
    everyone at it or named in it. ``present``: people the caller found at it besides its properties
    and attendee headings (by tag, by the note's name, named in plain text)."""
    extra = list(present)
    if not note.meta and not note.inline and not note.attendee_sections and not extra \
            and (not note.dated or name_date(note, config) is None):
        return evidence  # no date property, no date and title in its name, no one listed: lines count as they are
    daily = daily_date(note, config)
    dated = None if daily else name_date(note, config)
    date = daily or property_date(note, config) or (dated.date if dated else None)
    if date is None:
        return evidence
    people: list[str] = []
    for target in attendee_targets(note, config):
        contact = directory.resolve(target)
        if contact and contact.path not in people:
            people.append(contact.path)
    people.extend(path for path in extra if path not in people)
    same_day = [item for item in evidence.interactions if item.date == date]
    if daily is not None:
        # A daily note: each line is its own contact; attendees no line names are met once more.
        named = {path for item in same_day for path in item.people}
        people = [path for path in people if path not in named]
        same_day = []
    if not people and (len(same_day) < 2 if daily is not None else not same_day):
        return evidence  # a meeting note is one interaction, and says what it was about, even with one line
    present_at = list(people)
    for item in same_day:
        present_at.extend(path for path in item.people if path not in present_at)
    kind = meeting_kind(note, config) or next((item.kind for item in same_day if item.kind != "note"),
                                              "meeting" if people else "note")
    first = same_day[0] if same_day else None
    if daily is not None:
        text = first.raw if first else note.rel.rsplit("/", 1)[-1][:-3]
    else:
        names = [name for path in present_at if (contact := directory.by_path(path)) is not None
                 for name in contact.names]
        text = subject(note, config, names)
        if not text and first is not None and _more_than_names(display(first.raw), [n.casefold() for n in names]):
            text = first.raw
    merged = Interaction(
        date, kind, text, note.rel,
        first.line if first else note.key_line(properties(note, config).key("attendees")),
        tuple(present_at),
        tuple(dict.fromkeys(x for item in same_day for x in item.exchanges)),
        tuple(dict.fromkeys(p for item in same_day for p in item.exchanges_for)),
        tuple(dict.fromkeys(t for item in same_day for t in item.tags)),
        "mention" if daily is not None else "meeting",
    )
    others = [item for item in evidence.interactions if item not in same_day]
    return replace(evidence, interactions=[merged, *others])


def is_meeting_key(key: str) -> bool:
    """``attendees`` and the names it is known by (for the summary of which properties list people)."""
    return normalise(key) in {normalise(name) for name in KEYS["attendees"]}
