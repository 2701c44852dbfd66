"""Contacts: which notes are people, what their front matter says (docs/formats.md, Contact notes)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from vaultnet.base.dates import Birthday, Cadence, Date, parse_birthday, parse_cadence, parse_date
from vaultnet.base.errors import Problem
from vaultnet.base.keys import CIRCLE_WORDS, DATE_KEYS, LIST_KEYS, PRM_TIERS, TEXT_KEYS, normalise
from vaultnet.evidence.occasions import Occasion, death, read_occasions
from vaultnet.evidence.people import link_texts, properties, rule_of
from vaultnet.evidence.relations import Relation, read_relations
from vaultnet.files.config import Config
from vaultnet.notes.note import Note

TEXT_FIELDS = TEXT_KEYS
LIST_FIELDS = LIST_KEYS


def fold(name: str) -> str:
    """The form names are compared in: NFC, case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


@dataclass(slots=True)
class Contact:
    """A person, as their note describes them (slotted: 10,000 of them need no ``__dict__`` each)."""

    name: str
    path: str  # relative to the vault; the contact's identity
    aliases: tuple[str, ...] = ()
    circle: str | None = None
    cadence: Cadence | None = None
    last_contact: Date | None = None  # the manual front-matter value
    snooze_until: Date | None = None
    paused: bool = False
    birthday: Birthday | None = None
    fields: dict[str, str] = field(default_factory=dict)
    introduced_by: str | None = None  # link target as written
    offers: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    interests: tuple[str, ...] = ()
    goals: tuple[str, ...] = ()
    last_contact_line: int | None = None
    friends: tuple[str, ...] = ()  # link targets as written (obsidian-contacts' `friends`)
    # Personal CRM's prm-ignore-journal: lines in dated notes that link them, and date links in
    # the running text of their note, are not contact (their log lines still are).
    ignore_journal: bool = False
    # A follow-up date in the front matter (`next_follow_up: 2026-10-01`, as CRM templates keep it).
    follow_up: Date | None = None
    follow_up_line: int | None = None
    follow_up_text: str = "follow up"
    relations: tuple[Relation, ...] = ()  # partner, children, parents... as this note states them
    occasions: tuple[Occasion, ...] = ()  # anniversaries, a death, the `dates` map

    @property
    def died(self) -> Birthday | None:
        return death(self.occasions)

    @property
    def tracked(self) -> bool:
        return self.cadence is not None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


def link_target(value: Any) -> str | None:
    """``"[[Name]]"``, ``[[Name|x]]`` (a nested YAML list when unquoted) or a plain name."""
    while isinstance(value, list) and len(value) == 1:
        value = value[0]
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text.startswith("[[") and text.endswith("]]"):
        text = text[2:-2]
    return text.split("|", 1)[0].split("#", 1)[0].strip() or None


def _as_text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, bool)):
        return None
    if isinstance(value, list):
        items = [link_target(item) if isinstance(item, list) else _as_text(item) for item in value]
        return ", ".join(item for item in items if item) or None
    text = str(value).strip()
    if text.startswith("[[") and text.endswith("]]") and text.count("[[") == 1:
        return link_target(text)  # `Company: "[[Tree Company]]"`: the company is its name
    return text or None


def _as_list(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        value = [value]
    items = []
    for item in value:
        # Obsidian writes links in list properties as "[[Name]]": the text is the name.
        linked = isinstance(item, list) or (isinstance(item, str) and item.strip().startswith("[["))
        text = link_target(item) if linked else _as_text(item)
        if text:
            items.append(text)
    return tuple(items)


def is_contact(note: Note, config: Config) -> bool:
    """A person by any of the rules in :mod:`vaultnet.evidence.people`."""
    return rule_of(note, config) is not None


# A template's blank left in a note: `<% tp.file.cursor(3) %>`, `{{date}}`: no value yet.
_PLACEHOLDER = re.compile(r"<%.*?%>|\{\{[^{}]*\}\}")

_FLAGS = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False, "": False}


def read_contact(note: Note, config: Config) -> tuple[Contact, list[Problem]]:
    """Build a contact from its note, and the problems of its bad values (the note is left as parsed)."""
    props = properties(note, config)
    problems: list[Problem] = []
    name = unicodedata.normalize("NFC", note.rel.rsplit("/", 1)[-1][:-3])
    contact = Contact(name=name, path=note.rel)
    value = props.get

    def bad(key: str, message: str) -> None:
        found = value(key)
        if type(found) is str and _PLACEHOLDER.fullmatch(found.strip()):
            return  # a template's blank left in the note (`<% tp.file.cursor(3) %>`): no value yet, no problem
        problems.append(Problem(note.rel, note.key_line(props.key(key)), f"{props.key(key)}: {message}"))

    aliases = [unicodedata.normalize("NFC", alias) for alias in _as_list(value("aliases"))]
    own_name = _full_name(value("name"))
    if own_name and fold(own_name) != fold(name) and all(fold(own_name) != fold(a) for a in aliases):
        aliases.append(unicodedata.normalize("NFC", own_name))  # `name: {first, last}` or `Name: ...`
    contact.aliases = tuple(aliases)

    circle = _as_text(value("circle"))
    tier = None
    if circle and normalise(props.key("circle")) == normalise("prm-tier"):
        circle, tier = PRM_TIERS.get(circle.casefold(), (circle, None))
    if circle:
        known = _folded(tuple(config.circles))
        if fold(circle) in known:
            contact.circle = known[fold(circle)]
        elif CIRCLE_WORDS.get(fold(circle)) in config.circles:
            contact.circle = CIRCLE_WORDS[fold(circle)]  # `family`, `close friend`, `work`: a default circle
        else:
            bad("circle", f"unknown circle {circle!r} (known: {', '.join(config.circles)})")
    cadence = value("cadence")
    if cadence not in (None, ""):
        try:
            contact.cadence = parse_cadence(cadence)
        except ValueError as err:
            bad("cadence", str(err))
    if contact.cadence is None and tier is not None:
        contact.cadence = parse_cadence(tier)
    if contact.cadence is None and contact.circle:
        contact.cadence = config.circles[contact.circle]

    for key in DATE_KEYS:
        raw = value(key)
        if raw in (None, ""):
            continue
        try:
            setattr(contact, key, parse_date(raw))
        except ValueError as err:
            bad(key, str(err))
    contact.last_contact_line = note.key_line(props.key("last_contact"))

    for key in ("paused", "ignore_journal"):
        flag = value(key)
        if isinstance(flag, str):
            flag = _FLAGS.get(flag.strip().lower(), flag)
        if flag is not None and not isinstance(flag, bool):
            bad(key, f"expected true or false, not {flag!r}")
        setattr(contact, key, flag is True)

    follow_up = value("follow_up")
    if follow_up not in (None, ""):
        try:
            contact.follow_up = parse_date(follow_up)
        except ValueError as err:
            bad("follow_up", str(err))
        else:
            contact.follow_up_line = note.key_line(props.key("follow_up"))
            context = _as_text(value("follow_up_context"))
            if context:
                contact.follow_up_text = context

    birthday = value("birthday")
    if birthday not in (None, ""):
        try:
            contact.birthday = parse_birthday(birthday)
        except ValueError as err:
            bad("birthday", str(err))

    for key in TEXT_FIELDS:
        text = _as_text(value(key))
        if text:
            contact.fields[key] = text
    contact.introduced_by = link_target(value("introduced_by"))
    for key in LIST_FIELDS:
        setattr(contact, key, _as_list(value(key)))
    contact.friends = tuple(link_texts(value("friends")))
    contact.relations = read_relations(props)
    contact.occasions, wrong = read_occasions(props)
    for key, message in wrong:
        bad(key, message)
    if contact.died is not None:
        contact.paused = True  # a date of death stops check-ins (a yearly remembrance comes instead)
    return contact, problems


@lru_cache(maxsize=8)
def _folded(names: tuple[str, ...]) -> dict[str, str]:
    """Configured names by their folded form: folded once, not once per contact."""
    return {fold(name): name for name in names}


def _full_name(value: Any) -> str | None:
    """``Name: Max Muster`` or obsidian-contacts' ``name: {first: carl, last: johnson}``."""
    if isinstance(value, dict):
        parts = [str(value[key]).strip() for key in ("first", "middle", "last") if value.get(key)]
        return " ".join(parts) or None
    text = _as_text(value)
    return text if text and "[[" not in text and "{{" not in text else None


class Directory:
    """Resolves link targets and names to contacts, as Obsidian resolves links."""

    def __init__(self, contacts: Iterable[Contact]) -> None:
        # Shortest path first: that is the note a bare [[Name]] opens in Obsidian.
        ordered = sorted(contacts, key=lambda c: (c.path.count("/"), len(c.path), c.path))
        self.contacts = ordered
        self._names: dict[str, list[Contact]] = {}
        self._aliases: dict[str, list[Contact]] = {}
        # Link targets repeat across thousands of lines: each is folded and looked up once.
        self._resolved: dict[str, Contact | None] = {}
        self._paths: dict[str, Contact] | None = None
        self._resolution: tuple[tuple[str, str, tuple[str, ...], bool], ...] | None = None
        for contact in ordered:
            self._names.setdefault(fold(contact.name), []).append(contact)
            for alias in contact.aliases:
                self._aliases.setdefault(fold(alias), []).append(contact)

    def resolution(self) -> tuple[tuple[str, str, tuple[str, ...], bool], ...]:
        """All a note's evidence reads of people other than its owner: each contact's path, name,
        aliases and whether mentions in dated notes count for them (``ignore_journal``).

        A note's evidence is reused while this stays the same (see
        :class:`vaultnet.standings.network.AssemblyMemo`): a field the
        extraction reads of other contacts and this leaves out would keep
        evidence worked out from that field's old value.

        Worked out once: a watcher keeps the directory while no contact
        changes, and asks this at every assembly.
        """
        if self._resolution is None:
            self._resolution = tuple((c.path, c.name, c.aliases, c.ignore_journal) for c in self.contacts)
        return self._resolution

    def by_path(self, path: str) -> Contact | None:
        """The contact whose note (or, for a person with no note, whose tag or name) is ``path``."""
        if self._paths is None:
            self._paths = {contact.path: contact for contact in self.contacts}
        return self._paths.get(path)

    def duplicates(self) -> list[list[Contact]]:
        """Groups of contacts sharing a base name."""
        return [group for group in self._names.values() if len(group) > 1]

    def resolve(self, target: str) -> Contact | None:
        """The contact a ``[[target]]`` link points to, or ``None``."""
        try:
            return self._resolved[target]
        except KeyError:
            found = self._resolved[target] = self._resolve(target)
            return found

    def _resolve(self, target: str) -> Contact | None:
        target = target.strip()
        if target.lower().endswith(".md"):
            target = target[:-3]
        if "/" in target:
            # A link with a folder opens only a note under a matching path (as in
            # Obsidian), never a same-named contact elsewhere; ./ and ../ are dropped.
            suffix = fold("/".join(part for part in target.split("/") if part not in ("", ".", "..")))
            for contact in self.contacts:
                path = fold(contact.path[:-3])
                if path == suffix or path.endswith("/" + suffix):
                    return contact
            return None
        key = fold(target)
        found = self._names.get(key) or self._aliases.get(key)
        return found[0] if found else None
