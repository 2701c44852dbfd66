"""Loading a whole vault into a :class:`Network`: files → notes → contacts → standings."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from .config import Config
from .contacts import Contact, Directory, is_contact, read_contact
from .dates import Date
from .errors import Problem
from .insights import Standing, assess
from .interactions import Evidence, Extractor, Interaction, Task, manual_contact
from .notes import Note
from .cache import NoteCache
from .noteset import NoteSet
from .vault import conflict_original

log = logging.getLogger(__name__)


@dataclass
class Network:
    """A vault as vaultnet understands it on one day."""

    config: Config
    today: Date
    standings: list[Standing] = field(default_factory=list)  # sorted by name, case-insensitive
    evidence: Evidence = field(default_factory=Evidence)
    problems: list[Problem] = field(default_factory=list)
    directory: Directory = field(default_factory=lambda: Directory(()))

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


def assemble(
    config: Config, today: Date, parsed: Iterable[Note], conflicts: Iterable[str], unreadable: Iterable[Problem]
) -> Network:
    """Work out every contact's standing from notes already parsed."""
    notes = list(parsed)
    # Working out adds problems to notes; they are taken back out at the end so that
    # parsed notes can be reused (by the watcher and the cache) without piling up.
    parse_problems = [len(note.problems) for note in notes]
    conflicts = list(conflicts)
    problems = list(unreadable)
    contacts: list[Contact] = []
    owners: dict[str, Contact] = {}
    for note in notes:
        if is_contact(note, config) and not note.rel.startswith(config.output + "/"):
            contact = read_contact(note, config)
            contacts.append(contact)
            owners[note.rel] = contact
    directory = Directory(contacts)
    problems.extend(_duplicate_problems(directory))
    problems.extend(_conflict_problems(conflicts, directory, config))

    extractor = Extractor(config, directory)
    for note in notes:
        extractor.add_note(note, owners.get(note.rel))
    evidence = extractor.evidence
    for note, keep in zip(notes, parse_problems, strict=True):
        problems.extend(note.problems)
        del note.problems[keep:]
    for contact in contacts:
        manual = manual_contact(contact)
        if manual:
            evidence.interactions.append(manual)

    per_contact: dict[str, list[Interaction]] = defaultdict(list)
    neighbours: dict[str, set[str]] = defaultdict(set)
    for item in evidence.interactions:
        for path in item.people:
            per_contact[path].append(item)
            if item.date <= today:
                neighbours[path].update(p for p in item.people if p != path)
    for path, linked in evidence.links.items():
        for other in linked:
            neighbours[path].add(other)
            neighbours[other].add(path)
    follow_ups = _by_person(evidence.follow_ups)
    open_loops = _by_person(evidence.open_loops)

    standings = [
        assess(contact, per_contact[contact.path], follow_ups[contact.path], open_loops[contact.path],
               frozenset(neighbours[contact.path]), config, today)
        for contact in sorted(contacts, key=lambda c: (c.name.casefold(), c.path))
    ]
    problems.sort(key=lambda p: p.sort_key)
    log.debug("read %d notes: %d contacts, %d interactions, %d problems",
              len(notes), len(contacts), len(evidence.interactions), len(problems))
    return Network(config, today, standings, evidence, problems, directory)


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
        in_people = any(rel.startswith(folder + "/") for folder in config.people)
        # The copied note sits next to its copy: same folder, original name.
        original_rel = rel[: len(rel) - len(name)] + original + ".md"
        if in_people or any(contact.path == original_rel for contact in directory.contacts):
            problems.append(Problem(rel, None, f"sync conflict copy of contact {original!r}: merge it into the note and delete the copy"))
    return problems
