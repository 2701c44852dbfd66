"""The merge plan: what an import does to each note, decided before anything is written.

Each person is matched to an existing contact by name, alias, email or
LinkedIn profile; the plan either creates a note from the person template or
adds only the keys a note lacks (the user's notes are theirs). Imported
people get no circle or cadence, so a thousand connections land untracked and
never flood the weekly plan.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from vaultnet.base.errors import Problem, VaultnetError
from vaultnet.base.keys import normalise, spellings
from vaultnet.edits.add import NewPaths
from vaultnet.edits.properties import add_missing, existing_keys
from vaultnet.evidence.contacts import Contact, fold
from vaultnet.files.config import Config
from vaultnet.importers.matching import MATCHED_KEYS, Matcher, dedupe
from vaultnet.importers.news import differences
from vaultnet.importers.records import Change, Person
from vaultnet.notes.note import parse_note


@dataclass
class ImportPlan:
    """Every change an import would make, and the people it cannot place."""

    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    contacts: Sequence[Contact] = ()  # the vault's people: how new notes are marked as people
    incomplete: str | None = None  # the file was cut off: what it held is imported, and the import fails

    def count(self, action: str) -> int:
        return sum(1 for change in self.changes if change.action == action)


def plan_import(config: Config, people: Iterable[Person], contacts: Sequence[Contact]) -> ImportPlan:
    """Decide, without writing, what importing ``people`` does to the vault.

    The plan must leave nothing for the next import of the same file to do. So
    each person is matched against the notes planned for the people before them
    too, and the whole plan is then checked against the notes as they will be: a
    new note the next import would take for someone else (``Ana`` found by email
    in ``B C.md``, while ``Ana :`` would create ``Ana.md``) is not created, and
    is reported instead; aliases that would draw someone else into an existing
    note are not added.
    """
    unique, problems = dedupe(people)
    for person in unique:
        _circle_from_categories(config, person)
    refused: dict[int, str] = {}  # person → why their new note is not created
    bare: set[str] = set()  # existing notes that get no aliases
    while True:
        plan, assigned, created, notes = _plan_once(config, copy.deepcopy(unique), contacts, refused, bare)
        conflict = _conflict(unique, assigned, notes)
        if conflict is None:
            break
        index, path = conflict
        if path in created and created[path] not in refused:
            person, creator = unique[index], unique[created[path]]
            where = f" (line {person.line})" if person.line else ""
            refused[created[path]] = (f"{creator.name!r} would be {path}, which the next import would take for "
                                      f"{person.name!r}{where}; skipped: add them by hand")
        elif path not in created and path not in bare:
            bare.add(path)
        else:
            break  # nothing left to give up (never seen): keep the plan
    plan.problems = problems + plan.problems
    plan.contacts = contacts
    return plan


def _plan_once(config: Config, unique: list[Person], contacts: Sequence[Contact], refused: dict[int, str],
               bare: set[str]) -> tuple[ImportPlan, list[str | None], dict[str, int], list[Contact]]:
    """One plan; also where each person went, who each new note is for, and every note as it will be."""
    plan = ImportPlan()
    matcher = Matcher(contacts)
    targets: dict[str, tuple[Contact, Person]] = {}
    created: dict[str, int] = {}  # path → the person a new note is for
    taken: dict[str, int] = {}  # the same, by folded path
    assigned: list[str | None] = [None] * len(unique)
    paths = NewPaths(config, contacts)
    for index, person in enumerate(unique):
        contact, ambiguous = matcher.match(person)
        if ambiguous:
            plan.problems.append(person.problem(ambiguous))
            continue
        if contact is not None and contact.path in created:
            unique[created[contact.path]].absorb(person)
            matcher.add(_planned(contact.path, unique[created[contact.path]]))  # the names and emails it gained
        elif contact is not None and contact.path in targets:
            targets[contact.path][1].absorb(person)
        elif contact is not None:
            targets[contact.path] = (contact, person)
        elif index in refused:
            plan.problems.append(person.problem(refused[index]))
            continue
        else:
            try:
                rel = paths.path(person.name)
            except VaultnetError as err:
                plan.problems.append(person.problem(f"{err}; skipped"))
                continue
            if fold(rel) in taken:
                other = unique[taken[fold(rel)]]
                plan.problems.append(person.problem(f"{person.name!r} would be {rel}, like {other.name!r}; skipped"))
                continue
            stem = rel.rsplit("/", 1)[-1][:-3]
            if fold(stem) != fold(person.name) and fold(person.name) not in {fold(a) for a in person.aliases}:
                # The file name had to change: keep the name as it was, so the next import matches it.
                person.aliases.insert(0, person.name)
            created[rel] = taken[fold(rel)] = index
            matcher.add(_planned(rel, person))
            assigned[index] = rel
            continue
        assigned[index] = contact.path

    notes: list[Contact] = [contact for contact in contacts if contact.path not in targets]
    for contact, person in targets.values():
        values = person.values()
        if contact.path in bare:
            values.pop("aliases", None)
        elif fold(person.name) not in {fold(name) for name in contact.names}:
            # Matched by email, profile or spelling: the imported name becomes an alias, so links and the next import find it.
            values = {"aliases": [person.name, *person.aliases], **{k: v for k, v in values.items() if k != "aliases"}}
        data = _read_note(config, contact.path)
        keys = existing_keys(data) if data is not None else None
        # `Email:`, `e-mail:` or a Dataview `email:: ...` in the text is the email already there.
        present = {normalise(key) for key in (*(keys or ()), *_inline_keys(contact.path, data))}
        missing = {key: value for key, value in values.items()
                   if keys is not None and not set(spellings(key, config.fields)) & present}
        if data is None or keys is None:
            plan.problems.append(person.problem(f"{contact.path}: front matter cannot be read; nothing added"))
        elif missing and not add_missing(data, {config.key(key): value for key, value in missing.items()})[1]:
            plan.problems.append(person.problem(
                f"{contact.path}: its front matter cannot take new lines at its end (a flow-style or indented "
                "mapping, or a '...' line); nothing added"))
            missing = {}
        plan.changes.append(Change("update" if missing else "unchanged", contact.path, person, missing,
                                   [config.key(key) for key in missing], differences(person, contact)))
        notes.append(_as_updated(contact, missing))

    for rel, index in created.items():
        person = unique[index]
        values = person.values()
        plan.changes.append(Change("create", rel, person, values, [config.key(key) for key in values]))
        notes.append(_planned(rel, person))
    return plan, assigned, created, notes


def _circle_from_categories(config: Config, person: Person) -> None:
    """A vCard category that names one of the vault's circles is the person's circle (``export vcard``
    writes the circle there, for phones to group by), unless the card says the circle itself."""
    if "circle" in person.extra:
        return
    circles = {fold(name): name for name in config.circles}
    found = next((circles[fold(item)] for item in person.categories if fold(item) in circles), None)
    if found:
        person.extra["circle"] = found


def _planned(rel: str, person: Person) -> Contact:
    """The contact a planned note will be, as the next import reads it."""
    fields = {key: _text(value) for key in MATCHED_KEYS if (value := getattr(person, key))}
    return Contact(rel.rsplit("/", 1)[-1][:-3], rel, tuple(person.aliases), fields=fields)


def _text(value: Any) -> str:
    """A front-matter value as a contact's fields hold it: a list is its items, comma-separated."""
    return ", ".join(str(item) for item in value) if isinstance(value, list) else str(value)


def _as_updated(contact: Contact, added: dict[str, Any]) -> Contact:
    """An existing contact as the next import reads it, once ``added`` is in its front matter."""
    fields = dict(contact.fields)
    fields.update({key: _text(added[key]) for key in MATCHED_KEYS if key in added})
    aliases = contact.aliases + tuple(added.get("aliases", ()))
    return Contact(contact.name, contact.path, aliases, fields=fields)


def _conflict(unique: list[Person], assigned: list[str | None], notes: list[Contact]) -> tuple[int, str] | None:
    """The first person the next import would put in another note than this one did, and that note."""
    matcher = Matcher(notes)
    for index, person in enumerate(unique):
        contact, _ = matcher.match(person)
        if contact is not None and contact.path != assigned[index]:
            return index, contact.path
    return None


def _inline_keys(rel: str, data: bytes | None) -> list[str]:
    note = parse_note(rel, data)[0] if data is not None and b"::" in data else None
    return list(note.inline) if note is not None else []


def _read_note(config: Config, rel: str) -> bytes | None:
    try:
        return (config.root / rel).read_bytes()
    except OSError:
        return None
