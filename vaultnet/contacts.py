"""Contacts: which notes are people, what their front matter says (spec section 3)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .config import Config
from .dates import Birthday, Cadence, Date, parse_birthday, parse_cadence, parse_date
from .notes import Note

TEXT_FIELDS = ("company", "role", "industry", "location", "email", "phone", "linkedin", "met")
LIST_FIELDS = ("offers", "needs", "interests", "goals")


def fold(name: str) -> str:
    """The form names are compared in: NFC, case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


@dataclass
class Contact:
    """A person, as their note describes them."""

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
        items = [_as_text(item) for item in value]
        return ", ".join(item for item in items if item) or None
    return str(value).strip() or None


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


def tags_of(meta: dict[str, Any], config: Config) -> tuple[str, ...]:
    raw = meta.get(config.key("tags"))
    if isinstance(raw, str):
        raw = raw.replace(",", " ").split()
    return tuple(tag.lstrip("#").strip().lower() for tag in _as_list(raw))


def is_contact(note: Note, config: Config) -> bool:
    """Under a people folder, tagged person (or person/...), or ``type: person``."""
    for folder in config.people:
        if note.rel.startswith(folder.rstrip("/") + "/"):
            return True
    for tag in tags_of(note.meta, config):
        for person_tag in config.person_tags:
            person_tag = person_tag.lower()
            if tag == person_tag or tag.startswith(person_tag + "/"):
                return True
    kind = link_target(note.meta.get(config.key("type")))
    return kind is not None and kind.lower() == config.person_type.lower()


def read_contact(note: Note, config: Config) -> Contact:
    """Build a contact from its note; bad values become problems on the note."""
    meta = note.meta
    name = unicodedata.normalize("NFC", note.rel.rsplit("/", 1)[-1][:-3])
    contact = Contact(name=name, path=note.rel)

    def value(key: str) -> Any:
        return meta.get(config.key(key))

    def bad(key: str, message: str) -> None:
        note.problem(f"{config.key(key)}: {message}", note.key_line(config.key(key)))

    contact.aliases = tuple(unicodedata.normalize("NFC", alias) for alias in _as_list(value("aliases")))

    circle = _as_text(value("circle"))
    if circle:
        known = {fold(name): name for name in config.circles}
        if fold(circle) in known:
            contact.circle = known[fold(circle)]
        else:
            bad("circle", f"unknown circle {circle!r} (known: {', '.join(config.circles)})")
    cadence = value("cadence")
    if cadence not in (None, ""):
        try:
            contact.cadence = parse_cadence(cadence)
        except ValueError as err:
            bad("cadence", str(err))
    if contact.cadence is None and contact.circle:
        contact.cadence = config.circles[contact.circle]

    for key in ("last_contact", "snooze_until"):
        raw = value(key)
        if raw in (None, ""):
            continue
        try:
            setattr(contact, key, parse_date(raw))
        except ValueError as err:
            bad(key, str(err))
    contact.last_contact_line = note.key_line(config.key("last_contact"))

    paused = value("paused")
    if isinstance(paused, str):
        paused = {"true": True, "yes": True, "on": True, "false": False, "no": False, "off": False, "": False}.get(paused.strip().lower(), paused)
    if paused is not None and not isinstance(paused, bool):
        bad("paused", f"expected true or false, not {paused!r}")
    contact.paused = paused is True

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
    return contact


class Directory:
    """Resolves link targets and names to contacts, as Obsidian resolves links."""

    def __init__(self, contacts: Iterable[Contact]) -> None:
        # Shortest path first: that is the note a bare [[Name]] opens in Obsidian.
        ordered = sorted(contacts, key=lambda c: (c.path.count("/"), len(c.path), c.path))
        self.contacts = ordered
        self._names: dict[str, list[Contact]] = {}
        self._aliases: dict[str, list[Contact]] = {}
        for contact in ordered:
            self._names.setdefault(fold(contact.name), []).append(contact)
            for alias in contact.aliases:
                self._aliases.setdefault(fold(alias), []).append(contact)

    def duplicates(self) -> list[list[Contact]]:
        """Groups of contacts sharing a base name."""
        return [group for group in self._names.values() if len(group) > 1]

    def resolve(self, target: str) -> Contact | None:
        """The contact a ``[[target]]`` link points to, or ``None``."""
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
