"""Loading a whole vault into a :class:`Network`: files → notes → contacts → standings."""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property, partial
from operator import attrgetter
from pathlib import Path
from typing import Any, Protocol

from vaultnet.base.dates import Date
from vaultnet.base.errors import Problem
from vaultnet.base.identity import changed_places, same_objects
from vaultnet.base.keys import GENERIC_KEYS, KEYS, normalise
from vaultnet.base.vocabulary import Rule
from vaultnet.evidence.contacts import Contact, Directory, read_contact
from vaultnet.evidence.conventions import Conventions, Remembered, lower_case_words
from vaultnet.evidence.giftideas import GiftIdea, gift_ideas
from vaultnet.evidence.interactions import Extractor, manual_contact, manual_follow_up
from vaultnet.evidence.mentions import Mentions
from vaultnet.evidence.model import Evidence, Interaction, Task, follow_up_id
from vaultnet.evidence.people import people_folder
from vaultnet.evidence.relations import Relative, relatives, ties
from vaultnet.files.config import Config
from vaultnet.files.copies import nfc
from vaultnet.notes.note import Note
from vaultnet.standings import copies as sync_copies
from vaultnet.standings.neighbours import neighbours as neighbours_of
from vaultnet.standings.standing import Standing, assess

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
    rules: dict[str, int] = field(default_factory=dict)  # how many contacts each rule of people.py found
    relatives: dict[str, tuple[Relative, ...]] = field(default_factory=dict)  # contact path → family and ties
    gifts: dict[str, tuple[GiftIdea, ...]] = field(default_factory=dict)  # contact path → open gift ideas
    # What vaultnet concluded about the vault's conventions, and the rule that made each contact a person.
    conventions: Conventions = field(default_factory=Conventions)
    person_rules: dict[str, str] = field(default_factory=dict)
    # The notes it was worked out from (the same objects the session keeps): for the reports that
    # say how the vault was read (`check`, `init`, `show --why`), worked out only when asked.
    notes: list[Note] = field(default_factory=list, repr=False)

    @cached_property
    def _by_path(self) -> dict[str, Standing]:
        return {standing.contact.path: standing for standing in self.standings}

    def by_path(self, path: str) -> Standing:
        return self._by_path[path]

    def names(self, paths: Iterable[str]) -> list[str]:
        """Contact names for contact paths, in the same order."""
        return [self._by_path[path].name for path in paths if path in self._by_path]


class StoredEvidence(Protocol):
    """Each note's evidence, and each person's contact, kept between processes (see
    :mod:`vaultnet.pipeline.evidencestore`): ``key`` is :func:`evidence_key` (:func:`contact_key` for a
    contact), ``owned`` whether the note is a person's."""

    def get(self, key: str, note: Note, owned: bool) -> tuple[Evidence, list[Problem]] | None: ...

    def put(self, key: str, note: Note, owned: bool, found: Evidence, problems: list[Problem]) -> None: ...

    def get_contact(self, key: str, note: Note) -> tuple[Contact, list[Problem]] | None: ...

    def put_contact(self, key: str, note: Note, contact: Contact, problems: list[Problem]) -> None: ...


def evidence_key(config: Config, resolution: tuple[tuple[object, ...], ...], words: frozenset[str] | None) -> str:
    """A digest of all a note's evidence is worked out from besides the note and its owner: the
    settings, with what was concluded about the vault, what it reads of everyone else
    (:meth:`Directory.resolution`) and the words taken for common words (:attr:`Mentions.token`).

    The same on every run and device for the same inputs: mappings and sets are taken in order.
    """
    digest = _settings_digest(config)
    digest.update(repr(resolution).encode())  # strings, tuples of them and flags: repr is the same everywhere
    digest.update(repr(None if words is None else sorted(words)).encode())
    return digest.hexdigest()


def contact_key(config: Config) -> str:
    """A digest of all a contact is read from besides its note: the settings, with what was concluded
    about the vault (:func:`~vaultnet.evidence.contacts.read_contact` reads nothing of other notes)."""
    return _settings_digest(config).hexdigest()


def _settings_digest(config: Config) -> Any:
    """The settings, wherever the vault lies: taken in order, the same on every run and device."""
    return hashlib.blake2b(_canonical(replace(config, root=Path())).encode(), digest_size=16)


def _canonical(value: Any) -> str:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return type(value).__name__ + "(" + ",".join(
            _canonical(getattr(value, item.name)) for item in dataclasses.fields(value)) + ")"
    if isinstance(value, Mapping):
        return "{" + ",".join(sorted(f"{_canonical(k)}:{_canonical(v)}" for k, v in value.items())) + "}"
    if isinstance(value, (set, frozenset)):
        return "{" + ",".join(sorted(_canonical(item) for item in value)) + "}"
    if isinstance(value, (tuple, list)):
        return "(" + ",".join(_canonical(item) for item in value) + ")"
    return repr(value)


class AssemblyMemo:
    """What one :func:`assemble` worked out per note and per contact, for the next to reuse.

    It memoises, for each note, the contact read from it and the evidence it
    gives; for each contact, its manual ``last_contact`` and its standing.
    Parsed notes that did not change are the same objects from one run to the
    next, so results are reused by identity: a contact while its note is the
    same object, a note's evidence while its note, its owner, the settings and
    what it reads of everyone else (``Directory.resolution``: the names token) stay the same, and a standing
    while everything it is worked out from is the same. The watcher keeps one
    for as long as it runs, so one edit recomputes little.
    """

    def __init__(self, remember: bool = True, stored: StoredEvidence | None = None) -> None:
        self.remember = remember  # a one-off build has nothing to reuse: remember nothing, spare the memory
        self.stored = stored  # each note's evidence as the last process left it, asked before working it out
        self._key: tuple[object, str] | None = None  # the names token and its evidence_key
        self._contact_key: tuple[Config, str] | None = None  # the settings and their contact_key
        self.contacts: dict[str, tuple[Note, Contact, list[Problem]]] = {}
        self.absent: dict[str, Contact] = {}  # people with no note of their own, by path
        self._directory: tuple[list[Contact], Directory] | None = None
        self._order: tuple[list[Contact], list[Contact]] | None = None  # contacts, and in name order
        self.evidence: dict[str, tuple[Note, object, Contact | None, Evidence, list[Problem]]] = {}
        self.manual: dict[str, tuple[Contact, Interaction | None]] = {}
        self.standings: dict[str, tuple[tuple[object, ...], Standing]] = {}
        self._names: object = None
        self._names_token = object()
        self._last: _Assembly | None = None  # what the last assembly started from
        self.reading = Remembered()  # what was concluded about the vault last time, and the settings made from it
        # The last assembly's notes and what its passes over them found, for the next to patch (see `changed_notes`).
        self._seen: tuple[list[Note], Config, Mapping[str, Rule], list[str]] | None = None
        self._people: _People | None = None
        self._found: _Found | None = None

    def names_token(self, names: object) -> object:
        """One object for as long as the settings and what notes' evidence reads of people (``names``) stay the same."""
        if names != self._names:
            self._names, self._names_token = names, object()
        return self._names_token

    def contact(self, note: Note, config: Config) -> tuple[Contact, list[Problem]]:
        """The contact of a person's note. A note edited where its contact does not change (a line logged in
        its body) keeps its contact object: what depends on the contact alone is then kept by identity."""
        kept = self.contacts.get(note.rel)
        if kept is None or kept[0] is not note:
            contact, problems = self._read_contact(note, config)
            if kept is not None and kept[1] == contact and kept[2] == problems:
                contact, problems = kept[1], kept[2]
            kept = (note, contact, problems)
            if self.remember:
                self.contacts[note.rel] = kept
        return kept[1], kept[2]

    def absent_contact(self, name: str, path: str, aliases: tuple[str, ...]) -> Contact:
        """The contact of a person with no note of their own: the same object while they stay as they are."""
        kept = self.absent.get(path)
        if kept is None or (kept.name, kept.aliases) != (name, aliases):
            kept = Contact(name, path, aliases=aliases)
            if self.remember:
                self.absent[path] = kept
        return kept

    def directory(self, contacts: list[Contact]) -> Directory:
        """The directory of ``contacts``: the last one while they are the same objects (it keeps what it
        resolved; an edit that changes no contact builds no new one for ten thousand people)."""
        last = self._directory
        if last is not None and same_objects(last[0], contacts):
            return last[1]
        directory = Directory(contacts)
        if self.remember:
            self._directory = (contacts, directory)
        return directory

    def in_name_order(self, contacts: list[Contact]) -> list[Contact]:
        """``contacts`` by name, then path: the last order while they are the same objects (ten thousand
        names folded and sorted at every assembly of a watcher's)."""
        last = self._order
        if last is not None and same_objects(last[0], contacts):
            return last[1]
        ordered = sorted(contacts, key=lambda c: (c.name.casefold(), c.path))
        if self.remember:
            self._order = (contacts, ordered)
        return ordered

    def _read_contact(self, note: Note, config: Config) -> tuple[Contact, list[Problem]]:
        """The contact of a person's note: from the store when it holds the one read from this note under
        these settings; else read, and put there."""
        stored = self.stored
        if stored is None:
            return read_contact(note, config)
        if self._contact_key is None or self._contact_key[0] is not config:
            self._contact_key = (config, contact_key(config))
        key = self._contact_key[1]
        got = stored.get_contact(key, note)
        if got is None:
            got = read_contact(note, config)
            stored.put_contact(key, note, *got)
        return got

    def evidence_key(self, names: object, config: Config, resolution: tuple[tuple[object, ...], ...],
                     words: frozenset[str] | None) -> str:
        """:func:`evidence_key`, worked out once for each names token ``names``."""
        if self._key is None or self._key[0] is not names:
            self._key = (names, evidence_key(config, resolution, words))
        return self._key[1]

    FEW = 256  # notes changed since the last assembly that it patches for; more, and every note is gone over

    def changed_notes(self, notes: list[Note], config: Config, explicit: Mapping[str, Rule],
                      conflicts: list[str]) -> list[Note] | None:
        """The notes that are not the objects the last assembly read, when it can be patched for them; else None.

        It can when it read the same notes under the same settings and
        conclusions, each at the same place (the same paths), and few changed:
        the objects are compared in one pass in C, and a watcher's step then
        goes over the notes that changed rather than over thirty thousand.
        """
        last, self._seen = self._seen, (notes, config, explicit, conflicts) if self.remember else None
        if last is None or last[1] is not config or last[2] is not explicit or last[3] != conflicts:
            return None
        at = changed_places(last[0], notes, attrgetter("rel"), self.FEW)
        return None if at is None else [notes[i] for i in at]

    def people(self, notes: list[Note], changed: list[Note] | None, conflicts: list[str], config: Config,
               explicit: Mapping[str, Rule]) -> _People:
        """Who the notes say is a person, and the problems they hold: the last assembly's, patched for the
        ``changed`` notes when that gives what reading every note would; else every note read."""
        last = self._people
        people = _patched_people(last, changed, config, explicit, self) if changed is not None and last else None
        if people is None:
            people = _read_people(notes, conflicts, config, explicit, self)
        if self.remember:
            self._people = people
        return people

    def found(self, notes: list[Note], changed: list[Note] | None, counted: Callable[[Note], bool],
              owners: Mapping[str, Contact], names: object, extractor: Extractor, key: str | None,
              own: str) -> _Found:
        """Each counted note's evidence: the last assembly's, patched for the ``changed`` notes when that gives
        what going over every note would; else :meth:`notes_evidence`."""
        last = self._found
        found = None
        if changed is not None and last is not None and last.names is names:
            found = self._patched_found(last, changed, counted, owners, extractor, key, own)
        if found is None:
            found = self.notes_evidence([note for note in notes if counted(note)], owners, names, extractor, key, own)
        if self.remember:
            self._found = found
        return found

    def _patched_found(self, last: _Found, changed: list[Note], counted: Callable[[Note], bool],
                       owners: Mapping[str, Contact], extractor: Extractor, key: str | None, own: str) -> _Found | None:
        """``last`` with the changed notes' evidence; None when a note starts or stops being counted, or has
        problems where it had none (each table keeps its notes in note order)."""
        if any((note.rel in last.by_note) != counted(note) for note in changed):
            return None
        fresh = self.notes_evidence([note for note in changed if note.rel in last.by_note], owners, last.names,
                                    extractor, key, own)
        by_note, problems = {**last.by_note, **fresh.by_note}, dict(last.problems)
        if not all(_keep_place(problems, rel, fresh.problems.get(rel, [])) for rel in fresh.by_note):
            return None
        return replace(last, by_note=by_note, problems=problems)

    def notes_evidence(self, notes: Iterable[Note], owners: Mapping[str, Contact], names: object,
                       extractor: Extractor, key: str | None, own: str) -> _Found:
        """Each note's evidence, with the problems found.

        A note's evidence is kept while the note, its owner and what it reads of
        everyone else (the names token) are the objects it was worked out for:
        nearly every note in a watcher's step, taken here without a call each.
        Any other is worked out (:meth:`_work_out`)."""
        by_note: dict[str, Evidence] = {}
        problems: dict[str, list[Problem]] = {}
        kept_by_note = self.evidence if self.remember else {}
        for note in notes:
            rel, owner = note.rel, owners.get(note.rel)
            kept = kept_by_note.get(rel)
            if kept is not None and kept[0] is note and kept[1] is names and kept[2] is owner:
                found, added = kept[3], kept[4]
            else:
                found, added = self._work_out(note, owner, names, extractor, None if rel.startswith(own) else key)
            by_note[rel] = found
            if added:
                problems[rel] = added
        return _Found(names, object(), by_note, problems)

    def _work_out(
        self, note: Note, owner: Contact | None, names: object, extractor: Extractor, key: str | None
    ) -> tuple[Evidence, list[Problem]]:
        """A note's evidence, kept for the next assembly; ``key``: it may be taken from the store, and put
        there (None: it is not kept there)."""
        stored, owned = self.stored, owner is not None
        got = stored.get(key, note, owned) if stored is not None and key is not None else None
        if got is None:
            got = extractor.extract(note, owner)
            if stored is not None and key is not None:
                stored.put(key, note, owned, *got)
        found, problems = got
        kept = (note, names, owner, found if found.gives_anything() else _NOTHING, problems)
        if self.remember:
            self.evidence[note.rel] = kept
        return kept[3], kept[4]

    def manual_contact(self, contact: Contact) -> Interaction | None:
        kept = self.manual.get(contact.path)
        if kept is None or kept[0] is not contact:
            kept = (contact, manual_contact(contact))
            if self.remember:
                self.manual[contact.path] = kept
        return kept[1]

    def standing(self, inputs: tuple[object, ...], work_out: Callable[[], Standing]) -> Standing:
        path = inputs[0].path  # type: ignore[attr-defined]
        kept = self.standings.get(path)
        if kept is None or not _same(kept[0], inputs):
            kept = (inputs, work_out())
            if self.remember:
                self.standings[path] = kept
        return kept[1]

    def affected(self, now: _Assembly) -> set[str] | None:
        """The contacts whose standing can differ from the last assembly's; None: any of them.

        A standing is worked out from its contact and from the evidence that
        names it. When the settings, the day and every contact's names are as
        last time, only the people named in evidence that changed (before or
        after the change) and the contacts whose note changed (with their
        friends) can stand differently; every other standing is the one kept.
        """
        last = self._last
        self._last = now if self.remember else None
        if last is None or last.config is not now.config or last.today != now.today or last.names is not now.names:
            return None
        paths: set[str] = set()
        # Only the notes that changed, when the assembly knows them: every other note's evidence and contact
        # are the last assembly's objects, and the same notes give evidence and are people.
        rels = now.found.keys() if now.changed is None else now.changed
        for rel in rels:
            found, before = now.found.get(rel), last.found.get(rel)
            if before is not found:
                if found is not None:
                    _add_people(paths, found)
                if before is not None:
                    _add_people(paths, before)
        owners = now.contacts.keys() if now.changed is None else now.changed
        for path in owners:
            contact = now.contacts.get(path)
            if last.contacts.get(path) is not contact:
                paths.add(path)
                paths.update(now.friends.get(path, ()), last.friends.get(path, ()))
        if now.changed is None:
            for rel in last.found.keys() - now.found.keys():
                _add_people(paths, last.found[rel])
            for path in last.contacts.keys() - now.contacts.keys():
                paths.add(path)
                paths.update(last.friends.get(path, ()))
        if any(path not in self.standings for path in now.contacts.keys() - paths):
            return None  # a standing that was never kept: work everything out
        return paths

    def kept_standing(self, path: str) -> Standing:
        return self.standings[path][1]

    def forget_except(self, notes: set[str] | None, contacts: set[str]) -> None:
        """Drop what belongs to notes and contacts that are gone (``notes`` None: the notes are the same ones)."""
        tables: list[tuple[dict[str, Any], set[str]]] = [(self.absent, contacts), (self.manual, contacts),
                                                         (self.standings, contacts)]
        if notes is not None:
            tables += [(self.contacts, notes), (self.evidence, notes)]
        for table, alive in tables:
            for key in set(table) - alive:
                del table[key]


_NOTHING = Evidence()  # shared by the many notes that give no evidence: thirty thousand empty ones is memory


@dataclass(frozen=True)
class _Assembly:
    """What one assembly started from, by identity: the memo compares the next one with it."""

    config: Config
    today: Date
    names: object
    found: dict[str, Evidence]  # note → the evidence it gave
    contacts: dict[str, Contact]
    friends: dict[str, frozenset[str]]  # contact → the contacts its `friends` resolve to
    # The notes whose evidence or contact can be other objects than the last assembly's (sync copies are
    # worked out each time); None: any note's.
    changed: Collection[str] | None = None


@dataclass(frozen=True)
class _People:
    """What a pass over every note finds before the directory: the sync copies, the problems the notes hold,
    and who is a person. A memo keeps it for the next assembly to patch (see ``AssemblyMemo.people``)."""

    copies: dict[str, str]
    involved: frozenset[str]  # the notes (NFC) whose change can change `copies`: see copies.involved
    note_problems: dict[str, list[Problem]]  # note → its own problems worth saying, for the notes with any
    contact_problems: dict[str, list[Problem]]  # person's note → the problems of reading its contact
    owners: dict[str, Contact]  # person's note → its contact, in note order: the people with a note of their own
    rules: dict[str, int]  # rule → how many notes it made people
    person_rules: dict[str, str]  # person's note → the rule that made it one
    people_copies: set[str]  # the sync copies that read as people


@dataclass(frozen=True)
class _Found:
    """Each counted note's evidence, kept by a memo for the next assembly to patch (see ``AssemblyMemo.found``)."""

    names: object  # the names token it was worked out for
    read: object  # one object for each pass over every note, which the patches of it keep
    by_note: dict[str, Evidence]  # every counted note's, in note order
    problems: dict[str, list[Problem]]  # note → the problems found in it, for the notes with any

    def evidence(self) -> Evidence:
        """The vault's evidence: every note's together, in note order (a new object, the assembly adds to it)."""
        evidence = Evidence()
        for part in self.by_note.values():
            if part is not _NOTHING:  # kept: _NOTHING unless it gives anything
                evidence.extend(part)
        return evidence


def _keep_place(table: dict[str, list[Problem]], rel: str, found: list[Problem]) -> bool:
    """Put a note's problems in ``table`` in its place; False when it had none (its place is not known)."""
    if rel in table:
        table[rel] = found
        return True
    return not found


def _said(note: Note, config: Config, copies: Mapping[str, str]) -> list[Problem]:
    """The problems a note holds that are worth saying: a template's `{{title}}` is no YAML error of the user's,
    nor is a copy's its own."""
    if note.problems and not note.unrendered and note.rel not in copies:
        return [problem for problem in note.problems if _worth_saying(problem, note, config)]
    return []


def _read_people(notes: list[Note], conflicts: list[str], config: Config, explicit: Mapping[str, Rule],
                 memo: AssemblyMemo) -> _People:
    """:class:`_People`, from every note."""
    among = sync_copies.candidates(notes, conflicts)
    # A copy is read as what it copies, never on its own.
    copies = sync_copies.find_copies(notes, conflicts, config, lambda note: _rule(note, explicit, config) is not None,
                                     among=among)
    note_problems = {note.rel: said for note in notes if (said := _said(note, config, copies))}
    owners: dict[str, Contact] = {}
    rules: dict[str, int] = defaultdict(int)
    person_rules: dict[str, str] = {}
    people_copies: set[str] = set()
    contact_problems: dict[str, list[Problem]] = {}
    for note in notes:
        rule = _rule(note, explicit, config)
        if note.rel in copies:
            if rule:
                people_copies.add(note.rel)
            continue
        if rule:
            rules[rule] += 1
            contact, added = memo.contact(note, config)
            if added:
                contact_problems[note.rel] = added
            owners[note.rel] = contact
            person_rules[note.rel] = rule
    return _People(copies, sync_copies.involved(among), note_problems, contact_problems, owners, dict(rules),
                   person_rules, people_copies)


def _patched_people(last: _People, changed: list[Note], config: Config, explicit: Mapping[str, Rule],
                    memo: AssemblyMemo) -> _People | None:
    """``last`` for the ``changed`` notes; None when reading every note is needed: a changed note that can
    change the sync copies, starts or stops being a person, is one by another rule, or has problems where it
    had none (each table keeps its notes in note order)."""
    if any(nfc(note.rel) in last.involved for note in changed):
        return None
    note_problems, contact_problems, owners = dict(last.note_problems), dict(last.contact_problems), dict(last.owners)
    for note in changed:
        rel = note.rel
        if not _keep_place(note_problems, rel, _said(note, config, last.copies)):
            return None
        rule = _rule(note, explicit, config)
        if rule != last.person_rules.get(rel):
            return None
        if rule:
            contact, added = memo.contact(note, config)
            if not _keep_place(contact_problems, rel, added):
                return None
            owners[rel] = contact  # in its place: the contacts stay in note order
    return replace(last, note_problems=note_problems, contact_problems=contact_problems, owners=owners)


def _add_people(paths: set[str], evidence: Evidence) -> None:
    """Every contact ``evidence`` names: in interactions, tasks, links and intro lines."""
    for item in evidence.interactions:
        paths.update(item.people)
    for task in evidence.follow_ups:
        paths.update(task.people)
    for task in evidence.open_loops:
        paths.update(task.people)
    for path, linked in evidence.links.items():
        paths.add(path)
        paths.update(linked)
    for line in evidence.intro_lines:
        paths.update(line)


def _same(old: tuple[object, ...], new: tuple[object, ...]) -> bool:
    """Inputs are the same objects (sequences: element by element)."""
    if len(old) != len(new):
        return False
    for a, b in zip(old, new, strict=True):
        if isinstance(a, list) and isinstance(b, list):
            if not same_objects(a, b):
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
    memo: AssemblyMemo | None = None,
) -> Network:
    """Work out every contact's standing from notes already parsed.

    Pass the same ``memo`` again to recompute only what depends on notes that changed.
    """
    memo = memo or AssemblyMemo(remember=False)
    notes = list(parsed)
    conflicts = list(conflicts)
    problems = list(unreadable)
    # The vault's own conventions, inferred from its notes: from here on the settings include them.
    conventions, config, explicit = memo.reading.apply(config, notes)
    # The passes over every note below go over only the notes that changed, when a memo can patch its last ones.
    changed = memo.changed_notes(notes, config, explicit, conflicts)
    people = memo.people(notes, changed, conflicts, config, explicit)
    copies, owners = people.copies, people.owners
    problems.extend(problem for found in people.note_problems.values() for problem in found)
    problems.extend(problem for found in people.contact_problems.values() for problem in found)
    contacts, rules = list(owners.values()), defaultdict(int, people.rules)
    # The memo's table itself when no one is added to it: a second table of ten thousand people is memory.
    person_rules = dict(people.person_rules) if conventions.absent else people.person_rules
    for absent in conventions.absent:  # people with no note of their own, known by a tag or dated notes' names
        rules[absent.rule] += 1
        contacts.append(memo.absent_contact(absent.name, absent.path, absent.aliases))
        person_rules[absent.path] = absent.rule
    directory = memo.directory(contacts)
    problems.extend(_duplicate_problems(directory))
    kinds = sync_copies.classify(copies, config, set(owners), people.people_copies)

    # Evidence from a note depends on the note, its owner, the settings (with what was concluded about the
    # vault: a daily format read off its names dates notes that were not dated) and what it reads of everyone else.
    mentions = _mentions(config, contacts, notes)
    resolution, words = directory.resolution(), mentions.token if mentions is not None else None
    names = memo.names_token((config, resolution, words))
    key = memo.evidence_key(names, config, resolution, words) if memo.stored is not None else None
    own = config.output.rstrip("/") + "/"  # vaultnet's own notes count by their ticks, worked out each time
    extractor = Extractor(config, directory, mentions)
    # A template outside the templates folder counts for nothing (`{{date}}` is no date, `<% %>` no person);
    # a sync copy counts for what it adds to its original (below).
    def counted(note: Note) -> bool:
        return not note.unrendered and kinds.get(note.rel, "generated") == "generated"

    found = memo.found(notes, changed, counted, owners, names, extractor, key, own)
    # A copy of the kept table only when the copies add to it: a second table of thirty thousand notes is memory.
    found_by_note, evidence = dict(found.by_note) if copies else found.by_note, found.evidence()
    problems.extend(problem for added in found.problems.values() for problem in added)
    if copies:
        problems.extend(_copies(notes, copies, kinds, extractor, found_by_note, evidence))
    friends: dict[str, frozenset[str]] = {}
    for contact in contacts:
        manual = memo.manual_contact(contact)
        if manual:
            evidence.interactions.append(manual)
        if contact.follow_up is not None:
            task = manual_follow_up(contact)
            # Ticked in a plan, it is done: the date in the note is the user's to change.
            if task is not None and follow_up_id(task.path, task.text, contact.follow_up) not in evidence.ticked:
                evidence.follow_ups.append(task)
        for target in contact.friends:  # obsidian-contacts' `friends`: they know each other
            friend = directory.resolve(target)
            if friend and friend.path != contact.path:
                evidence.link(contact.path, (friend.path,))
                friends[contact.path] = friends.get(contact.path, frozenset()) | {friend.path}
    related = relatives(contacts, directory)
    for path, others in ties(related).items():  # related people know each other: never introduce them
        evidence.link(path, others)
        evidence.intro_lines.extend((path, other) for other in sorted(others) if path < other)
        friends[path] = friends.get(path, frozenset()) | others

    evidence.interactions = _counted_once(evidence.interactions, evidence.unlinked)
    since = None if changed is None else {note.rel for note in changed} | copies.keys()
    affected = memo.affected(_Assembly(config, today, names, found_by_note, owners, friends, since))  # owners: by path
    per_contact, embedded, follow_ups, open_loops = _aggregate(evidence, today, affected)
    standings = []
    for contact in memo.in_name_order(contacts):
        if affected is not None and contact.path not in affected:
            standings.append(memo.kept_standing(contact.path))  # nothing it is worked out from changed
            continue
        linked = embedded.get(contact.path, ())
        inputs = (contact, per_contact[contact.path], follow_ups[contact.path], open_loops[contact.path], linked, today)
        work_out = partial(assess, contact, per_contact[contact.path], follow_ups[contact.path],
                           open_loops[contact.path], linked, config, today)
        standings.append(memo.standing(inputs, work_out))
    memo.forget_except(None if changed is not None else {note.rel for note in notes},
                       {contact.path for contact in contacts})
    problems.sort(key=lambda p: p.sort_key)
    log.debug("read %d notes: %d contacts, %d interactions, %d problems",
              len(notes), len(contacts), len(evidence.interactions), len(problems))
    gifts = gift_ideas(notes, owners, directory, config.output)
    return Network(config, today, standings, evidence, problems, directory, dict(rules), relatives=related,
                   gifts=gifts, conventions=conventions, person_rules=person_rules, notes=notes)


def _rule(note: Note, explicit: Mapping[str, Rule], config: Config) -> Rule | None:
    """The rule that makes ``note`` a person: its own (read once by the inference), with what the
    vault's conventions add and set aside."""
    rule = explicit.get(note.rel)
    if rule is not None and config.inferred_not and note.rel in config.inferred_not:
        rule = None
    if rule is None and config.inferred_people:
        rule = config.inferred_people.get(note.rel)  # type: ignore[assignment]
    return rule


# Keys that can make a note a person or a meeting: front matter that holds one, or any key but those
# every note has, and cannot be read is worth a problem; one that holds only titles, aliases and
# authors (a reading app's import) is not.
_TELLING_KEYS = frozenset(normalise(key) for key in (*KEYS["type"], *KEYS["categories"], *KEYS["tags"],
                                                     *KEYS["date"], *KEYS["attendees"]))


def _worth_saying(problem: Problem, note: Note, config: Config) -> bool:
    """A front matter that cannot be read is a problem where it could hold a person or a meeting."""
    if not problem.message.startswith(("invalid YAML", "invalid front matter", "front matter is a")):
        return True
    if people_folder(note.rel, config) is not None or note.rel in config.inferred_people or note.body_tags:
        return True
    return not note.keys or any(normalise(key) in _TELLING_KEYS or normalise(key) not in GENERIC_KEYS
                                or normalise(key) in config.person_properties for key in note.keys)


def _mentions(config: Config, contacts: list[Contact], notes: list[Note]) -> Mentions | None:
    """What finds people named in plain text (``mentions = false`` in vaultnet.toml: nothing).

    A one-word name the vault's dated notes also write in lower case is a word, not a name.
    """
    if not config.mentions or not contacts:
        return None
    single = Mentions.single_words(contacts)
    return Mentions(contacts, lower_case_words(notes, single) if single else ())


def _aggregate(evidence: Evidence, today: Date, only: set[str] | None) -> tuple[
    dict[str, list[Interaction]], dict[str, tuple[str, ...]], dict[str, list[Task]], dict[str, list[Task]]
]:
    """Each contact's interactions (in evidence order), neighbours, follow-ups and open loops.

    ``only``: for these contacts alone (the others' standings are kept); None: for everyone.
    """
    per_contact: dict[str, list[Interaction]] = defaultdict(list)
    if only is None:
        for item in evidence.interactions:
            for path in item.people:
                per_contact[path].append(item)
        embedded = neighbours_of(evidence.interactions, evidence.links, today)
    else:
        # The interactions that name any of ``only``, found in one pass in C: one edit does not
        # go over seventy thousand interactions person by person. A contact's neighbours come from
        # the groups it is in: the groups without any of ``only`` change none of theirs.
        interactions = [item for item in evidence.interactions if not only.isdisjoint(item.people)]
        for item in interactions:
            for path in item.people:
                if path in only:
                    per_contact[path].append(item)
        links = {path: linked for path, linked in evidence.links.items() if path in only or not only.isdisjoint(linked)}
        embedded = {path: linked for path, linked in neighbours_of(interactions, links, today).items() if path in only}
    return per_contact, embedded, _by_person(evidence.follow_ups, only), _by_person(evidence.open_loops, only)


def _counted_once(interactions: list[Interaction], unlinked: bool = True) -> list[Interaction]:
    """A follow-up ticked in a plan and then completed in its own note is one contact, not two;
    one item ticked in two versions of a plan (a sync conflict copy, git's two sides) is one, on its earliest day.

    The completed line (the user's words) counts, the tick does not: for the
    standings, the contact calendar, neighbours and exports alike.
    """
    completed = {item.key for item in interactions if item.key and item.source == "task"}
    first: dict[str, Interaction] = {}
    twice = False
    for item in interactions:
        if item.source == "plan" and item.key:
            kept = first.get(item.key)
            twice = twice or kept is not None
            if kept is None or (item.date, item.path) < (kept.date, kept.path):
                first[item.key] = item
    if completed or twice:
        interactions = [item for item in interactions if not (item.source == "plan" and item.key and (
            item.key in completed or first[item.key] is not item))]
    return _unlinked_once(interactions) if unlinked else interactions


def _unlinked_once(interactions: list[Interaction]) -> list[Interaction]:
    """A name in plain text counts on a day nothing else says you were in touch: "Call with Grace
    (logged in her note)" beside the log line in her note is one contact, the log line."""
    if not any(item.source == "unlinked" for item in interactions):
        return interactions
    seen = {(item.date, path) for item in interactions if item.source != "unlinked" for path in item.people}
    kept = []
    for item in interactions:
        if item.source == "unlinked" and any((item.date, path) in seen for path in item.people):
            people = tuple(path for path in item.people if (item.date, path) not in seen)
            if not people:
                continue
            item = replace(item, people=people, exchanges_for=tuple(p for p in item.exchanges_for if p in people))
        kept.append(item)
    return kept


def _by_person(tasks: list[Task], only: set[str] | None = None) -> dict[str, list[Task]]:
    grouped: dict[str, list[Task]] = defaultdict(list)
    for task in tasks:
        for path in task.people:
            if only is None or path in only:
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


def _copies(notes: list[Note], copies: dict[str, str], kinds: dict[str, str], extractor: Extractor,
            found_by_note: dict[str, Evidence], evidence: Evidence) -> list[Problem]:
    """Count what the sync copies add (see :mod:`vaultnet.standings.copies`), and name each one."""
    by_rel = {note.rel: note for note in notes}
    problems = []
    for rel, original in sorted(copies.items()):
        copy, kind = by_rel.get(rel), kinds[rel]
        if copy is None:
            continue
        if kind == "note" and not copy.unrendered:
            found, _ = extractor.extract(replace(copy, rel=original), None)  # dated as the original
            added = sync_copies.added_evidence(found, found_by_note.get(original), rel)
            found_by_note[rel] = added
            evidence.extend(added)
        missing = sync_copies.lacking(copy, by_rel.get(original), kind)
        problems.append(sync_copies.problem(rel, original, kind, missing, original in by_rel))
    return problems
