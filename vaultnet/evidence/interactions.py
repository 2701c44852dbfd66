"""Interactions, follow-ups and open loops found in note bodies (docs/formats.md, Interactions)."""

from __future__ import annotations

import re
from contextlib import suppress
from typing import Any

from vaultnet.base.datenames import WEEKDAYS, Found, find_date
from vaultnet.base.dates import Date, parse_iso
from vaultnet.base.errors import Problem
from vaultnet.base.sections import KEY_IN_LINE, tick_label
from vaultnet.evidence.chats import CHAT_ID, ChatDay, chat_day
from vaultnet.evidence.contacts import Contact, Directory
from vaultnet.evidence.conventions import person_name_tags
from vaultnet.evidence.meetings import attendee_targets, daily_date, merge_meeting, name_date, property_date
from vaultnet.evidence.mentions import Mentions
from vaultnet.evidence.model import EXCHANGES, Evidence, Interaction, Source, Task, follow_up_id
from vaultnet.files.config import Config
from vaultnet.files.generated import is_capture_note
from vaultnet.notes.markdown import Line, Link, display, has_links, line_tags, links_in
from vaultnet.notes.note import Note

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_TASK = re.compile(r"^[ \t>]*(?:[-*+]|\d+[.)])[ \t]+\[[^\]]\]", re.MULTILINE)


def note_date(note: Note, config: Config, is_contact: bool, problems: list[Problem] | None = None) -> Date | None:
    """The date of a daily note (by file name), or a meeting note (a date property, or a full date in its name).

    Contact notes are never dated: many templates give them a creation ``date``,
    and their own log lines already carry dates.
    """
    if is_contact:
        return None
    found = daily_date(note, config) or property_date(note, config, problems)
    if found is None:
        named = name_date(note, config)
        found = named.date if named else None
    return found


class _Section:
    """A heading and the lines under it, down to the next heading of its level or above."""

    __slots__ = ("first", "last", "level", "text", "date", "dated_here", "people", "linked", "tags", "said", "asked")

    def __init__(self, number: int, level: int, text: str, last: int, said: int = 0, asked: int = 0) -> None:
        self.first, self.last, self.level, self.text = number, last, level, text
        self.said, self.asked = said, asked  # lines under it that say something; questions and to-dos
        self.date: Date | None = None
        self.dated_here = False  # the heading holds its date itself
        self.people: list[str] = []  # who the heading and its lines name
        self.linked = False  # by a link (else only in plain text)
        self.tags: tuple[str, ...] = ()


def _sections(note: Note) -> list[_Section]:
    """The note's sections; a heading that only restates the note's name (a daily note's ``# 2026-11-21``)
    is its title, not a section."""
    headings = note.headings
    stem = note.rel.rsplit("/", 1)[-1][:-3]
    if len(headings) == 1 and headings[0][2].strip("[]") == stem:
        return []
    found = []
    for index, (number, level, text, _) in enumerate(headings):
        last = next((n - 1 for n, lv, _, _ in headings[index + 1:] if lv <= level), 10**9)
        said = sum(count for n, _, _, count in headings if number <= n <= last)
        found.append(_Section(number, level, text, last, said & 0xFFFF, said >> 16))
    return found


def _within(sections: list[_Section], number: int) -> _Section | None:
    """The innermost of ``sections`` that holds line ``number``."""
    inner = None
    for section in sections:
        if section.first < number <= section.last and (inner is None or section.level > inner.level):
            inner = section
    return inner


# Shared by the per-note evidence that holds none of a kind (most notes hold one kind or two):
# the watcher keeps every note's evidence, and an empty set is 216 bytes. Evidence returned
# by :meth:`Extractor.extract` is read, never added to (the network extends one of its own).
_NO_ITEMS: list[Any] = []
_NO_LINKS: dict[str, set[str] | tuple[str, ...]] = {}
_NO_IDS: set[str] = set()


def with_shared_empties(evidence: Evidence) -> Evidence:
    """``evidence`` with each empty field one shared empty object: thirty thousand notes' evidence is kept."""
    for name in ("interactions", "follow_ups", "open_loops", "intro_lines", "unclear"):
        if not getattr(evidence, name):
            setattr(evidence, name, _NO_ITEMS)
    if not evidence.links:
        evidence.links = _NO_LINKS
    if not evidence.ticked:
        evidence.ticked = _NO_IDS
    return evidence


class Extractor:
    """Walks note bodies once, collecting :class:`Evidence`."""

    def __init__(self, config: Config, directory: Directory, mentions: Mentions | None = None) -> None:
        self.config = config
        self.directory = directory
        self.mentions = mentions if mentions else None  # plain-text names (None: `mentions = false`, or no one)
        self.kinds = config.kinds
        self.output = config.output.rstrip("/") + "/"
        self.evidence = Evidence()
        self.problems: list[Problem] = []
        self._date_problems: list[Problem] = []  # a bad date property, reported only where it dates someone
        self._present: list[str] = []  # who a dated note names by tag or by its own name
        self._names_someone = False  # a line of the note links a contact
        # One tuple for each distinct group of people or exchanges: tens of thousands of
        # lines name the same few, and each interaction holds them for the whole build.
        self._shared: dict[tuple[str, ...], tuple[str, ...]] = {}
        # The contacts each tuple of links names, by the tuple's identity (markdown shares one tuple
        # per distinct set of links): a name is resolved once per assembly, not once per line.
        self._resolved: dict[int, tuple[tuple[Link, ...], tuple[str, ...]]] = {}
        # People whose mentions in dated notes are not contact (Personal CRM's prm-ignore-journal).
        self._unjournaled = frozenset(contact.path for contact in directory.contacts if contact.ignore_journal)

    def _share(self, items: tuple[str, ...]) -> tuple[str, ...]:
        return self._shared.setdefault(items, items)

    def extract(self, note: Note, owner: Contact | None) -> tuple[Evidence, list[Problem]]:
        """The evidence of one note on its own, and the problems found (the note is left as parsed)."""
        self.evidence, self.problems, self._date_problems, self._present = Evidence(), [], [], []
        self._names_someone = False
        self.add_note(note, owner)
        evidence = self.evidence if owner else merge_meeting(self.evidence, note, self.config, self.directory,
                                                             self._present)
        if self._date_problems and (self._names_someone or evidence.interactions or attendee_targets(note, self.config)):
            # A bad date matters where it would date someone: a Readwise highlight's `Date::` is no one's problem.
            self.problems.extend(self._date_problems)
        return with_shared_empties(evidence), self.problems

    def add_note(self, note: Note, owner: Contact | None) -> None:
        self._add_note(note, owner)
        linked = self.evidence.links.get(owner.path) if owner is not None else None
        if owner is not None and linked is not None:
            # The watcher keeps each note's evidence: who a contact's note links is kept as a tuple in
            # path order, and a note that links no one says nothing (ten thousand sets are megabytes).
            if linked:
                self.evidence.links[owner.path] = tuple(sorted(linked))
            else:
                del self.evidence.links[owner.path]

    def _add_note(self, note: Note, owner: Contact | None) -> None:
        generated = note.rel.startswith(self.output)
        captured = generated and is_capture_note(self.config, note.rel)
        date = None if generated else note_date(note, self.config, owner is not None, self._date_problems)
        links: set[str] | None = None
        if owner is not None:
            links = self.evidence.links[owner.path] = set()
        sections = _sections(note) if note.dated and not generated and note.has_sections() else []
        if sections:
            self._date_sections(sections, date)
            if owner is not None:
                self._owner_sections(note, owner, sections)
            elif any(section.date for section in sections) or date is not None:
                self._name_sections(sections)
        if owner is None and not generated and (date is not None or sections and any(s.date for s in sections)) \
                and (note.body_tags or note.meta or note.inline or name_date(note, self.config) is not None):
            self._present_by_name_and_tags(note, date)
        if owner and owner.introduced_by:
            introducer = self.directory.resolve(owner.introduced_by)
            if introducer and introducer.path != owner.path:
                links.add(introducer.path)  # type: ignore[union-attr]
                self.evidence.intro_lines.append((owner.path, introducer.path))  # they know each other
        if note.countable_lines is None and owner is None and not captured and (
                not has_links(note.body) or (date is None and not _TASK.search(note.body))):
            return  # nothing here can link a contact; an undated note counts only for its tasks
        own = (owner.path,) if owner else ()  # one tuple for every line of the note that names only its owner
        gifts = {line[0] for line in note.gifts} if note.gifts else None  # gift ideas are never contact
        for line in note.countable():
            people = self._people(line, owner, own)
            if links is not None:
                links.update(p for p in people if p != owner.path)  # type: ignore[union-attr]
            if not people or (gifts and line.number in gifts):
                continue
            self._names_someone = True
            if "intro" in line.tags and len(people) > 1 and (line.done or not generated):
                self.evidence.intro_lines.append(people)
            if captured and line.task is None and line.is_list and line.leading_date:
                day = self._date(note, line, line.leading_date)
                if day:  # a captured meeting, email or chat day; rejected ones are marked [-]
                    chat = chat_day(line.text) if CHAT_ID in line.text else None
                    self._interaction(note, line, day, people, people, "capture", chat=chat)
            elif generated:
                if line.done:
                    self._plan_tick(note, line, people)
            elif line.open:
                self._open_task(note, line, people)
            elif line.done:
                self._done_task(note, line, people, self._line_date(sections, line.number, date), owner)
            elif line.task is not None:
                continue  # [-], [/], ...: neither open nor done
            elif owner is not None:
                if line.is_list and line.leading_date:
                    day = self._date(note, line, line.leading_date)
                    if day:
                        self._interaction(note, line, day, people, own, "log")
                elif not owner.ignore_journal:
                    # "A deep conversation on [[2026-01-24]]": a link to a day in their own note
                    # is contact that day, as Personal CRM reads it.
                    for day in self._linked_days(line):
                        self._interaction(note, line, day, people, own, "log")
            else:
                day = self._line_date(sections, line.number, date)
                if day is None:
                    continue
                if self._unjournaled:
                    people = self._share(tuple(path for path in people if path not in self._unjournaled))
                    if not people:
                        continue
                section = _within(sections, line.number) if sections else None
                if section is not None and section.people:
                    section.people.extend(p for p in people if p not in section.people)  # one with its heading
                    continue
                self._interaction(note, line, day, people, people, "mention")
        if owner is None and not generated and self.mentions is not None and (
                date is not None or any(section.date for section in sections)) and note.may_name_people():
            # In a journal, a name in plain text is someone met; in another dated note (a meeting, an
            # import, a chat with a bot), only beside someone it links or lists.
            journal = date is None or daily_date(note, self.config) is not None
            if journal or self._names_someone or self._present or any(
                    self.directory.resolve(target) for target in attendee_targets(note, self.config)):
                self._unlinked(note, sections, date)
        for section in sections:
            if section.people and section.date is not None and owner is None:
                self._section(note, section)

    # -- dated headings, headings that name people, names in plain text --------------------------

    @staticmethod
    def _line_date(sections: list[_Section], number: int, date: Date | None) -> Date | None:
        """The date a line takes: its dated heading's (``### [[August 12th, 2021]]``), else its note's."""
        dated = None
        for section in sections:
            if section.date is not None and section.first < number <= section.last \
                    and (dated is None or section.level > dated.level):
                dated = section
        return dated.date if dated is not None else date

    def _date_sections(self, sections: list[_Section], date: Date | None) -> None:
        """Give each section the date it holds: its heading's own (a journal's dated heading), else the note's."""
        for section in sections:
            if any(ch.isdigit() for ch in section.text):
                found = find_date(section.text)
                if found is not None and _heads_with_date(section.text, found):
                    section.date, section.dated_here = found.date, True
                    section.text = display(found.rest).strip(" -–—:|")
                    continue
        for section in sections:
            if section.date is None:
                section.date = self._line_date(sections, section.first, date)

    def _name_sections(self, sections: list[_Section]) -> None:
        """Headings of a dated note that name people: the heading and the lines under it are one interaction,
        unless every line under it is a question or a to-do (an agenda for a meeting to come)."""
        for section in sections:
            if section.date is None or (section.said == 0 and section.asked):
                continue
            linked: list[str] = []
            for link in links_in(section.text):
                contact = self.directory.resolve(link.target)
                if contact is not None and contact.path not in linked and contact.path not in self._unjournaled:
                    linked.append(contact.path)
            named: tuple[str, ...] = ()
            if self.mentions is not None:
                named, _ = self.mentions.find(section.text)
            people = linked + [path for path in named if path not in linked and path not in self._unjournaled]
            if people:
                section.people, section.linked = people, bool(linked)
                section.tags = line_tags(section.text)

    def _section(self, note: Note, section: _Section) -> None:
        tags = section.tags
        kind = next((tag for tag in tags if tag in self.kinds), "note")
        people = self._share(tuple(section.people))
        exchanges = self._share(tuple(tag for tag in EXCHANGES if tag in tags))
        assert section.date is not None
        self.evidence.interactions.append(Interaction(
            section.date, kind, section.text, note.rel, section.first, people, exchanges,
            people if exchanges else (), tags, "mention" if section.linked else "unlinked"))
        self.evidence.unlinked = self.evidence.unlinked or not section.linked

    def _owner_sections(self, note: Note, owner: Contact, sections: list[_Section]) -> None:
        """A dated heading in a person's own note (``## 2026-04-01`` under ``# Log``) is a log entry that day:
        what it says after the date, or its first line."""
        lines = sorted((*note.countable(), *note.prose()), key=lambda line: line.number)
        for section in sections:
            if not section.dated_here or section.date is None:
                continue
            first = next((line for line in lines if section.first < line.number <= section.last), None)
            if not section.text and first is None and not section.said:
                continue  # a date and nothing under it
            text = section.text or (first.text if first else "")
            self.evidence.interactions.append(Interaction(
                section.date, "note", text, note.rel, section.first, (owner.path,), source="log"))

    def _unlinked(self, note: Note, sections: list[_Section], date: Date | None) -> None:
        """Lines of a dated note that name people in plain text, each one interaction with them
        (or, under a heading that names people, part of that heading's)."""
        assert self.mentions is not None
        for line in (*note.countable(), *note.prose()):
            if line.task is not None and not line.done:
                continue  # a reminder, not contact
            day = self._line_date(sections, line.number, date)
            if day is None:
                continue
            named, unclear = self.mentions.find(line.text)
            for name in unclear:
                self.evidence.unclear.append((note.rel, line.number, name))
            if not named:
                continue
            linked = self._people(line, None, ()) if line.links else ()
            people = self._share(tuple(path for path in named if path not in linked and path not in self._unjournaled))
            if not people:
                continue
            section = _within(sections, line.number) if sections else None
            if section is not None and section.people:
                section.people.extend(p for p in people if p not in section.people)
                continue
            if line.done:
                continue  # a done task counts once, for the people it links
            self._interaction(note, line, day, people, people, "unlinked", tags=line_tags(line.text))
            self.evidence.unlinked = True

    def _present_by_name_and_tags(self, note: Note, date: Date | None) -> None:
        """People a dated note names by tag (``#people/john-appleseed``) or by its own name
        (``2024-11-13 John Appleseed``, ``2026-01-26-ben-cohen``): they were there."""
        found: list[str] = []
        for slug in person_name_tags(note, self.config):
            contact = self.directory.resolve(slug) or self.directory.resolve(slug.replace("-", " ").replace("_", " "))
            if contact is not None:
                found.append(contact.path)
        named = name_date(note, self.config) if date is not None else None
        if named is not None and named.rest:
            contact = self.directory.resolve(named.rest)
            if contact is not None:
                found.append(contact.path)
            elif self.mentions is not None:
                found.extend(self.mentions.find(named.rest)[0])
        self._present = [path for path in dict.fromkeys(found) if path not in self._unjournaled]

    def _linked_days(self, line: Line) -> list[Date]:
        """The days a line's links name: ``[[2026-11-10]]``, ``[[Journal/2026-11-10]]``, a daily note's name."""
        days: list[Date] = []
        for link in line.links:
            name = link.target.rsplit("/", 1)[-1]
            if not any(c.isdigit() for c in name):
                continue  # most links in a person's note are to other people
            day = self.config.daily.match(link.target)
            if day is None and _ISO_DAY.fullmatch(name):
                with suppress(ValueError):
                    day = parse_iso(name)
            if day is not None and day not in days:
                days.append(day)
        return days

    def _people(self, line: Line, owner: Contact | None, own: tuple[str, ...]) -> tuple[str, ...]:
        links = line.links
        if not links:
            return own
        kept = self._resolved.get(id(links))
        if kept is None or kept[0] is not links:
            found: list[str] = []
            for link in links:
                contact = self.directory.resolve(link.target)
                if contact and contact.path not in found:
                    found.append(contact.path)
            kept = self._resolved[id(links)] = (links, self._share(tuple(found)))
        named = kept[1]
        if owner is None:
            return named
        others = tuple(path for path in named if path != owner.path)
        return own if not others else self._share(own + others)

    def _date(self, note: Note, line: Line, text: str) -> Date | None:
        try:
            return parse_iso(text)
        except ValueError as err:
            self.problems.append(Problem(note.rel, line.number, str(err)))
            return None

    def _interaction(
        self, note: Note, line: Line, date: Date, people: tuple[str, ...], exchanges_for: tuple[str, ...],
        source: Source, raw: str | None = None, key: str | None = None, tags: tuple[str, ...] | None = None,
        chat: ChatDay | None = None,
    ) -> None:
        tags = line.tags if tags is None else tags
        kind = next((tag for tag in tags if tag in self.kinds), "note") if tags else "note"
        exchanges = self._share(tuple(tag for tag in EXCHANGES if tag in tags)) if tags else ()
        self.evidence.interactions.append(
            Interaction(date, kind, line.text if raw is None else raw, note.rel, line.number, people,
                        exchanges, exchanges_for if exchanges else (), tags, source, key, chat)
        )

    def _plan_tick(self, note: Note, line: Line, people: tuple[str, ...]) -> None:
        """A ticked item of a generated note: contact of the kind it planned, told by a short label.

        The item's tags say what it records (``#call``, ``#thanked``, ``#intro``);
        its block id says which section it came from. A tick without a block id
        still counts, and is reported: vaultnet cannot tell which item it was.
        """
        found = KEY_IN_LINE.search(line.text)
        key = found.group(1) if found else None
        if key is None:
            self.problems.append(Problem(
                note.rel, line.number, "a ticked line without its ^vn- block id: vaultnet cannot tell which plan item "
                "it was; it counts as contact, and stays where it is"))
        else:
            self.evidence.ticked.add(key)
        written = line.done_date or line.leading_date
        day = self._date(note, line, written) if written else None
        if day is not None:
            self._interaction(note, line, day, people, people, "plan", tick_label(key, note.rel), key)

    def _done_task(
        self, note: Note, line: Line, people: tuple[str, ...], date: Date | None, owner: Contact | None
    ) -> None:
        written = line.done_date or line.leading_date
        day = self._date(note, line, written) if written else date
        if day is None:
            return
        # A done follow-up keeps the block id its plan item had: when the item was ticked in a plan,
        # the tick and this line are one contact, and the network counts this line (the user's words).
        due_text = line.due_date
        due = self._date(note, line, due_text) if due_text else None
        key = follow_up_id(note.rel, line.display(), due) if due else None
        # In a contact's own note, exchanges are the owner's; elsewhere everyone's.
        self._interaction(note, line, day, people, (owner.path,) if owner else people, "task", key=key)

    def _open_task(self, note: Note, line: Line, people: tuple[str, ...]) -> None:
        due_text = line.due_date
        due = self._date(note, line, due_text) if due_text else None
        task = Task(line.display(), due, note.rel, line.number, people)
        if due is not None:
            self.evidence.follow_ups.append(task)
        elif due_text is None:
            self.evidence.open_loops.append(task)


def manual_follow_up(contact: Contact) -> Task | None:
    """A front-matter follow-up date (``next_follow_up: 2026-10-01``) is a follow-up on that day."""
    if contact.follow_up is None:
        return None
    return Task(contact.follow_up_text, contact.follow_up, contact.path, contact.follow_up_line or 1, (contact.path,))


def manual_contact(contact: Contact) -> Interaction | None:
    """A front-matter ``last_contact`` counts as one interaction of kind ``note``."""
    if contact.last_contact is None:
        return None
    return Interaction(contact.last_contact, "note", "last_contact", contact.path,
                       contact.last_contact_line, (contact.path,), source="manual")


def _heads_with_date(text: str, found: Found) -> bool:
    """A heading is a dated heading when it is a date, or starts with one (``## 2026-04-01 Coffee``,
    ``### [[Monday, August 12th, 2021]]``), or ends with one after a dash or a colon (``## Call - 2024-01-02``);
    a date inside its words or in brackets (``## From Bob Lee (merged 2026-11-21)``) is part of what it says."""
    before = [word for word in re.findall(r"[^\W\d_]+", text[:found.start]) if word.casefold() not in WEEKDAYS]
    if not before:
        return True
    after = text[found.end:].strip(" *_[]`")
    return not after and text[:found.start].rstrip(" *_[]`").endswith(("-", "–", "—", ":", "|"))
