"""Loading a whole vault into a :class:`Network`: files → notes → contacts → standings."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import TypeVar

from .cache import NoteCache
from .config import Config
from .contacts import Contact, Directory, read_contact
from .dates import Date
from .errors import Problem
from .insights import Standing, assess
from .interactions import Evidence, Extractor, Interaction, Task, manual_contact
from .neighbours import neighbours
from .notes import Note
from .noteset import NoteSet
from .people import forget_properties, people_folder, person_rule
from .vault import conflict_original

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class Network:
    """A vault as vaultnet understands it on one day."""

    config: Config
    today: Date
    standings: list[Standing] = field(default_factory=list)  # sorted by name, case-insensitive
    evidence: Evidence = field(default_factory=Evidence)
    problems: list[Problem] = field(default_factory=list)
    directory: Directory = field(default_factory=lambda: Directory(()))
    rules: dict[str, int] = field(default_factory=dict)  # how many contacts each rule of people.py found

    @cached_property
    def _by_path(self) -> dict[str, Standing]:
        return {standing.contact.path: standing for standing in self.standings}

    def by_path(self, path: str) -> Standing:
        return self._by_path[path]

    def names(self, paths: Iterable[str]) -> list[str]:
        """Contact names for contact paths, in the same order."""
        return [self._by_path[path].name for path in paths if path in self._by_path]


def build_network(config: Config, today: Date, overrides: Mapping[str, bytes] | None = None) -> Network:
    """Read the vault and work out every contact's standing as of ``today``.

    ``overrides`` stands in for files' contents (a plan stamped in memory).
    """
    notes = NoteSet(config)
    notes.entries = NoteCache(config).load_entries()  # read, never written, by read-only commands
    notes.scan()
    return assemble(config, today, *notes.contents(overrides))


class Memo:
    """What one assembly worked out, for the next to reuse (the watcher keeps one).

    Parsed notes that did not change are the same objects from one run to the
    next, so results are reused by identity: a contact read from a note, the
    evidence a note gives (while every contact's name and aliases stay the same),
    and a contact's standing (while everything it is worked out from is the same).
    """

    def __init__(self, keep: bool = True) -> None:
        self.keep = keep  # a one-off build has nothing to reuse: keep nothing, spare the memory
        self.contacts: dict[str, tuple[Note, Contact, list[Problem]]] = {}
        self.evidence: dict[str, tuple[Note, object, Contact | None, Evidence, list[Problem]]] = {}
        self.manual: dict[str, tuple[Contact, Interaction | None]] = {}
        self.standings: dict[str, tuple[tuple[object, ...], Standing]] = {}
        self._names: object = None
        self._names_token = object()

    def names_token(self, names: object) -> object:
        """One object for as long as every contact's path, name and aliases stay the same."""
        if names != self._names:
            self._names, self._names_token = names, object()
        return self._names_token

    def contact(self, note: Note, config: Config) -> tuple[Contact, list[Problem]]:
        kept = self.contacts.get(note.rel)
        if kept is None or kept[0] is not note:
            kept = (note, *_with_problems(note, lambda: read_contact(note, config)))
            if self.keep:
                self.contacts[note.rel] = kept
        return kept[1], kept[2]

    def note_evidence(
        self, note: Note, owner: Contact | None, names: object, extractor: Extractor
    ) -> tuple[Evidence, list[Problem]]:
        kept = self.evidence.get(note.rel)
        if kept is None or kept[0] is not note or kept[1] is not names or kept[2] is not owner:
            evidence, added = _with_problems(note, lambda: extractor.extract(note, owner))
            kept = (note, names, owner, evidence, added)
            if self.keep:
                self.evidence[note.rel] = kept
        return kept[3], kept[4]

    def manual_contact(self, contact: Contact) -> Interaction | None:
        kept = self.manual.get(contact.path)
        if kept is None or kept[0] is not contact:
            kept = (contact, manual_contact(contact))
            if self.keep:
                self.manual[contact.path] = kept
        return kept[1]

    def standing(self, inputs: tuple[object, ...], work_out: Callable[[], Standing]) -> Standing:
        path = inputs[0].path  # type: ignore[attr-defined]
        kept = self.standings.get(path)
        if kept is None or not _same(kept[0], inputs):
            kept = (inputs, work_out())
            if self.keep:
                self.standings[path] = kept
        return kept[1]

    def forget_except(self, notes: set[str], contacts: set[str]) -> None:
        """Drop what belongs to notes and contacts that are gone."""
        for table, keep in ((self.contacts, notes), (self.evidence, notes),
                            (self.manual, contacts), (self.standings, contacts)):
            for key in set(table) - keep:
                del table[key]


def _with_problems(note: Note, work: Callable[[], T]) -> tuple[T, list[Problem]]:
    """Run ``work`` and take back out the problems it added to the note, so parsed notes stay as parsed."""
    keep = len(note.problems)
    result = work()
    added = note.problems[keep:]
    del note.problems[keep:]
    return result, added


def _same(old: tuple[object, ...], new: tuple[object, ...]) -> bool:
    """Inputs are the same objects (sequences: element by element)."""
    if len(old) != len(new):
        return False
    for a, b in zip(old, new, strict=True):
        if isinstance(a, list) and isinstance(b, list):
            if len(a) != len(b) or any(x is not y for x, y in zip(a, b, strict=True)):
                return False
        elif a is not b and a != b:
            return False
    return True


def assemble(
    config: Config,
    today: Date,
    parsed: Iterable[Note],
    conflicts: Iterable[str],
    unreadable: Iterable[Problem],
    memo: Memo | None = None,
) -> Network:
    """Work out every contact's standing from notes already parsed.

    Pass the same ``memo`` again to recompute only what depends on notes that changed.
    """
    memo = memo or Memo(keep=False)
    notes = list(parsed)
    conflicts = list(conflicts)
    problems = list(unreadable)
    for note in notes:
        if not note.unrendered:  # a template's `{{title}}` is no YAML error of the user's
            problems.extend(note.problems)
    contacts: list[Contact] = []
    owners: dict[str, Contact] = {}
    rules: dict[str, int] = defaultdict(int)
    for note in notes:
        rule = person_rule(note, config)
        if rule and not note.rel.startswith(config.output + "/"):
            rules[rule] += 1
            contact, added = memo.contact(note, config)
            problems.extend(added)
            contacts.append(contact)
            owners[note.rel] = contact
    directory = Directory(contacts)
    problems.extend(_duplicate_problems(directory))
    problems.extend(_conflict_problems(conflicts, directory, config))

    # Evidence from a note depends on the note and on how names resolve: on every
    # contact's path, name and aliases.
    names = memo.names_token(tuple((c.path, c.name, c.aliases) for c in directory.contacts))
    extractor = Extractor(config, directory)
    evidence = Evidence()
    for note in notes:
        if note.unrendered:
            continue  # a template outside the templates folder: `{{date}}` is no date, `<% %>` no person
        found, added = memo.note_evidence(note, owners.get(note.rel), names, extractor)
        forget_properties(note)  # read: thirty thousand notes need not keep them
        evidence.extend(found)
        problems.extend(added)
    for contact in contacts:
        manual = memo.manual_contact(contact)
        if manual:
            evidence.interactions.append(manual)
        for target in contact.friends:  # obsidian-contacts' `friends`: they know each other
            friend = directory.resolve(target)
            if friend and friend.path != contact.path:
                evidence.links.setdefault(contact.path, set()).add(friend.path)

    per_contact: dict[str, list[Interaction]] = defaultdict(list)
    for item in evidence.interactions:
        for path in item.people:
            per_contact[path].append(item)
    embedded = neighbours(evidence.interactions, evidence.links, today)
    follow_ups = _by_person(evidence.follow_ups)
    open_loops = _by_person(evidence.open_loops)

    standings = []
    for contact in sorted(contacts, key=lambda c: (c.name.casefold(), c.path)):
        linked = embedded.get(contact.path, frozenset())
        inputs = (contact, per_contact[contact.path], follow_ups[contact.path], open_loops[contact.path], linked, today)
        work_out = partial(assess, contact, per_contact[contact.path], follow_ups[contact.path],
                           open_loops[contact.path], linked, config, today)
        standings.append(memo.standing(inputs, work_out))
    memo.forget_except({note.rel for note in notes}, {contact.path for contact in contacts})
    problems.sort(key=lambda p: p.sort_key)
    log.debug("read %d notes: %d contacts, %d interactions, %d problems",
              len(notes), len(contacts), len(evidence.interactions), len(problems))
    return Network(config, today, standings, evidence, problems, directory, dict(rules))


def _by_person(tasks: list[Task]) -> dict[str, list[Task]]:
    grouped: dict[str, list[Task]] = defaultdict(list)
    for task in tasks:
        for path in task.people:
            grouped[path].append(task)
    return grouped


def _duplicate_problems(directory: Directory) -> list[Problem]:
    problems = []
    for group in directory.duplicates():
        winner = group[0]
        for other in group[1:]:
            problems.append(Problem(
                other.path, None,
                f"another contact is also named {other.name!r} ({winner.path}); "
                f"[[{other.name}]] links go to {winner.path} (the shortest path); rename one",
            ))
    return problems


def _conflict_problems(conflicts: list[str], directory: Directory, config: Config) -> list[Problem]:
    problems = []
    for rel in conflicts:
        name = rel.rsplit("/", 1)[-1]
        original = conflict_original(name) or name
        in_people = people_folder(rel, config) is not None
        # The copied note sits next to its copy: same folder, original name.
        original_rel = rel[: len(rel) - len(name)] + original + ".md"
        if in_people or any(contact.path == original_rel for contact in directory.contacts):
            problems.append(Problem(rel, None, f"sync conflict copy of contact {original!r}: merge it into the note and delete the copy"))
    return problems
