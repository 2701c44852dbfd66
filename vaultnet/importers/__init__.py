"""Importing contacts from other tools: shared records, matching and the merge plan.

Each reader (``linkedin``, ``vcard``, ``google``) turns one file into
:class:`Person` records and one-line problems; everything after that is shared:
people that appear twice in a file are merged, each person is matched to an
existing contact by name, alias, email or LinkedIn profile, and the plan either creates a note
from the person template or adds only the keys a note lacks (spec section 1:
the user's notes are theirs). Imported people get no circle or cadence, so a
thousand connections land untracked and never flood the weekly plan.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import importlib
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from ..config import Config
from ..contacts import Contact, fold
from ..create import ContactExists, person_note
from ..errors import Problem, VaultnetError
from ..filenames import safe_filename
from ..properties import add_missing, existing_keys, replace_values
from ..resolve import loose
from ..writes import UnsafePath, WriteConflict, safe_write
from .news import differences

T = TypeVar("T")

KINDS = ("linkedin", "vcard", "google")
# Front-matter keys an import fills, in the order a new note lists them (as ``vaultnet add`` does).
FIELDS = ("company", "role", "location", "email", "phone", "linkedin", "met", "birthday")
_RETRIES = 3


class Progress(Protocol):
    """Wraps the items of a long loop, e.g. in a progress bar; the core never draws one itself."""

    def __call__(self, items: Iterable[T], total: int, description: str) -> Iterable[T]: ...


def no_progress(items: Iterable[T], total: int, description: str) -> Iterable[T]:
    return items


@dataclass
class Person:
    """One person as an import file describes them, and where in the file they came from."""

    name: str
    file: str
    line: int | None = None
    card: int | None = None  # vCard files: the card's number, counted from 1
    aliases: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)  # the first is written; all are matched
    phone: str | None = None
    company: str | None = None
    role: str | None = None
    location: str | None = None
    linkedin: str | None = None
    met: str | None = None
    birthday: str | None = None  # YYYY-MM-DD, or MM-DD when the year is unknown

    @property
    def email(self) -> str | None:
        return self.emails[0] if self.emails else None

    def problem(self, message: str) -> Problem:
        return problem_at(self.file, self.line, message, self.card)

    def values(self) -> dict[str, Any]:
        """Front-matter values by vaultnet's key names; empty ones are left out."""
        values: dict[str, Any] = {"aliases": list(self.aliases)} if self.aliases else {}
        for key in FIELDS:
            value = getattr(self, key)
            if value:
                values[key] = value
        return values

    def absorb(self, other: Person) -> None:
        """Merge a second record of the same person: fill what is missing, keep every name and email."""
        for key in ("phone", "company", "role", "location", "linkedin", "met", "birthday"):
            if not getattr(self, key) and getattr(other, key):
                setattr(self, key, getattr(other, key))
        known = {email.casefold() for email in self.emails}
        self.emails += [email for email in other.emails if email.casefold() not in known]
        names = {fold(self.name), *(fold(alias) for alias in self.aliases)}
        for alias in ([other.name] if fold(other.name) not in names else []) + other.aliases:
            if fold(alias) not in names:
                names.add(fold(alias))
                self.aliases.append(alias)


@dataclass
class Parsed:
    """What a reader found: people, and one problem per bad row or card."""

    people: list[Person] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Change:
    """What an import does to one note."""

    action: str  # "create", "update" or "unchanged"
    rel: str
    person: Person
    values: dict[str, Any]  # create: the new note's keys; update: the keys to add (vaultnet's names)
    keys: list[str]  # the front-matter keys written, as the vault names them
    news: dict[str, tuple[str, str]] = field(default_factory=dict)  # a changed company or role: (note's, import's)
    rewrite: bool = False  # rewrite the news into the note (--update-changed)


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for change in self.changes if change.action == action)


@dataclass
class Outcome:
    """What an import did; people that could not be written are problems, not counts."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)


# ---------------------------------------------------------------- helpers for readers


def problem_at(file: str, line: int | None, message: str, card: int | None = None) -> Problem:
    return Problem(file, line, printable(f"card {card}: {message}" if card else message))


def printable(text: str) -> str:
    """One line of text that is safe to print: control characters and line separators from the file are escaped."""
    return text if text.isprintable() else "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def read_text(path: Path) -> str:
    """The file's text: UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252.

    Exports come from many tools; guessing the legacy encoding beats refusing the file.
    """
    try:
        data = path.read_bytes()
    except OSError as err:
        raise VaultnetError(f"cannot read {path}: {err.strerror}") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")  # a file cut mid-character is still read
    if b"\x00" in data[:4096]:
        raise VaultnetError(f"{path}: a binary file, not a text export")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def csv_reader(text: str) -> Any:
    """A CSV reader over ``text`` that takes a cell of any size (the csv module refuses more than 128 KiB)."""
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    return csv.reader(io.StringIO(text, newline=""))


def clean(value: object) -> str | None:
    """One line of text with spaces collapsed, or ``None`` when empty."""
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None


def join_name(*parts: str | None) -> str:
    return " ".join(part for part in (clean(p) for p in parts) if part)


_FULL_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})(?:T[\d:.]*(?:Z|[+-]\d{2}:?\d{2})?)?")
_NO_YEAR = re.compile(r"(?:--)?(\d{1,2})-?(\d{2})")


def parse_birthday(text: str, omit_year: int | None = None) -> str:
    """``YYYY-MM-DD`` or ``MM-DD`` from the forms exports use; ``ValueError`` when impossible.

    ``omit_year`` is Apple's ``X-APPLE-OMIT-YEAR``: a birthday in that year
    (1604) has no known year. Year 0 (some phones) means unknown too.
    """
    raw = text.strip()
    full = _FULL_DATE.fullmatch(raw)
    if full:
        year, month, day = (int(part) for part in full.groups())
        if year == omit_year or year == 0:
            return _month_day(raw, month, day)
        try:
            dt.date(year, month, day)
        except ValueError:
            raise ValueError(f"impossible birthday {raw!r}") from None
        return f"{year:04d}-{month:02d}-{day:02d}"
    short = _NO_YEAR.fullmatch(raw)
    if short:
        return _month_day(raw, int(short.group(1)), int(short.group(2)))
    raise ValueError(f"not a birthday: {raw!r}")


def _month_day(raw: str, month: int, day: int) -> str:
    try:
        dt.date(2000, month, day)  # a leap year: Feb 29 is a birthday
    except ValueError:
        raise ValueError(f"impossible birthday {raw!r}") from None
    return f"{month:02d}-{day:02d}"


def profile_key(url: str | None) -> str | None:
    """A LinkedIn profile URL in one form: ``http://www.linkedin.com/in/x/`` is ``linkedin.com/in/x``."""
    if not url:
        return None
    match = re.search(r"linkedin\.com/(in|pub)/([^/?#\s]+)", url, re.IGNORECASE)
    return f"linkedin.com/{match.group(1).lower()}/{match.group(2).casefold()}" if match else None


def split_emails(text: str | None) -> list[str]:
    """Every address in a field that may hold several (``a@x ::: b@y``, ``a@x, b@y``)."""
    if not text:
        return []
    return [part for part in re.split(r"[\s,;]+|:::", text) if "@" in part]


# ---------------------------------------------------------------- reading


def read_file(kind: str, path: Path, progress: Progress = no_progress) -> Parsed:
    """Read an export with the reader for ``kind`` (``linkedin``, ``vcard`` or ``google``)."""
    if kind not in KINDS:
        raise VaultnetError(f"unknown import format {kind!r} (known: {', '.join(KINDS)})")
    module = importlib.import_module(f"{__name__}.{kind}")
    reader: Callable[[Path, Progress], Parsed] = module.read
    return reader(path, progress)


def dedupe(people: Iterable[Person]) -> tuple[list[Person], list[Problem]]:
    """Merge records of one person within a file: the same name or a shared email.

    Two namesakes with different LinkedIn profiles are two people; one note name
    cannot hold both, so the second is reported rather than silently merged.
    """
    merged: list[Person] = []
    problems: list[Problem] = []
    index: dict[str, Person] = {}
    for person in people:
        keys = [f"name:{fold(person.name)}"] + [f"email:{email.casefold()}" for email in person.emails]
        profile = profile_key(person.linkedin)
        if profile:
            keys.append(f"profile:{profile}")
        first = next((index[key] for key in keys if key in index), None)
        if first is None:
            merged.append(person)
            first = person
        elif first.linkedin and person.linkedin and profile_key(first.linkedin) != profile:
            where = f"line {first.line}" if first.line else "earlier"
            problems.append(person.problem(
                f"another {person.name!r} ({where}) has a different LinkedIn profile; skipped: add them by hand under another name"))
            continue
        else:
            first.absorb(person)
        for key in keys:
            index.setdefault(key, first)
    return merged, problems


# ---------------------------------------------------------------- matching and planning


class _Matcher:
    """Finds the existing contact a person is.

    By name, then alias, then email, then LinkedIn profile, then accent-insensitive name.
    """

    def __init__(self, contacts: Sequence[Contact]) -> None:
        self.names: dict[str, list[Contact]] = {}
        self.aliases: dict[str, list[Contact]] = {}
        self.emails: dict[str, list[Contact]] = {}
        self.loose: dict[str, list[Contact]] = {}
        self.profiles: dict[str, list[Contact]] = {}
        for contact in contacts:
            self.add(contact)

    def add(self, contact: Contact) -> None:
        """Index a contact (again, when it gained names: lists may then hold it twice, which match() allows)."""
        profile = profile_key(contact.fields.get("linkedin"))
        if profile:
            self.profiles.setdefault(profile, []).append(contact)
        self.names.setdefault(fold(contact.name), []).append(contact)
        for alias in contact.aliases:
            self.aliases.setdefault(fold(alias), []).append(contact)
        for email in split_emails(contact.fields.get("email")):
            self.emails.setdefault(email.casefold(), []).append(contact)
        for name in contact.names:
            self.loose.setdefault(loose(name), []).append(contact)

    def match(self, person: Person) -> tuple[Contact | None, str | None]:
        """The contact, or ``None``; the second value explains an ambiguous match."""
        levels = [
            ("name", self.names.get(fold(person.name), [])),
            ("alias", self.aliases.get(fold(person.name), [])),
            ("email", [c for email in person.emails for c in self.emails.get(email.casefold(), [])]),
            ("LinkedIn profile", self.profiles.get(profile_key(person.linkedin) or "", [])),
            ("name", self.loose.get(loose(person.name), [])),
        ]
        for how, found in levels:
            unique = list({contact.path: contact for contact in found}.values())
            if len(unique) == 1:
                return unique[0], None
            if unique:
                paths = ", ".join(sorted(contact.path for contact in unique))
                return None, f"{person.name!r} matches several contacts by {how} ({paths}); skipped"
        return None, None


def plan_import(config: Config, people: Iterable[Person], contacts: Sequence[Contact]) -> Plan:
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
    return plan


def _plan_once(config: Config, unique: list[Person], contacts: Sequence[Contact], refused: dict[int, str],
               bare: set[str]) -> tuple[Plan, list[str | None], dict[str, int], list[Contact]]:
    """One plan; also where each person went, who each new note is for, and every note as it will be."""
    plan = Plan()
    matcher = _Matcher(contacts)
    targets: dict[str, tuple[Contact, Person]] = {}
    created: dict[str, int] = {}  # path → the person a new note is for
    taken: dict[str, int] = {}  # the same, by folded path
    assigned: list[str | None] = [None] * len(unique)
    paths = _NewPaths(config)
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
        missing = {key: value for key, value in values.items() if keys is not None and config.key(key) not in keys}
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


def _planned(rel: str, person: Person) -> Contact:
    """The contact a planned note will be, as the next import reads it."""
    fields = {key: value for key, value in (("email", person.email), ("linkedin", person.linkedin)) if value}
    return Contact(rel.rsplit("/", 1)[-1][:-3], rel, tuple(person.aliases), fields=fields)


def _as_updated(contact: Contact, added: dict[str, Any]) -> Contact:
    """An existing contact as the next import reads it, once ``added`` is in its front matter."""
    fields = dict(contact.fields)
    fields.update({key: added[key] for key in ("email", "linkedin") if key in added})
    aliases = contact.aliases + tuple(added.get("aliases", ()))
    return Contact(contact.name, contact.path, aliases, fields=fields)


def _conflict(unique: list[Person], assigned: list[str | None], notes: list[Contact]) -> tuple[int, str] | None:
    """The first person the next import would put in another note than this one did, and that note."""
    matcher = _Matcher(notes)
    for index, person in enumerate(unique):
        contact, _ = matcher.match(person)
        if contact is not None and contact.path != assigned[index]:
            return index, contact.path
    return None


class _NewPaths:
    """Where new notes go, as :func:`vaultnet.create.contact_path` decides, for many names at once.

    ``contact_path`` lists the people folder on every call, which is quadratic
    for a thousand imported people; here the listing is read once. Names and
    aliases of existing contacts never get here: the matcher took them.
    """

    def __init__(self, config: Config) -> None:
        self.folder = config.people[0] if config.people else ""
        directory = config.root / self.folder
        self.on_disk = {fold(entry.name): entry.name for entry in directory.iterdir()} if directory.is_dir() else {}

    def path(self, name: str) -> str:
        try:
            stem = safe_filename(name)
        except ValueError as err:
            raise VaultnetError(str(err)) from None
        clash = self.on_disk.get(fold(f"{stem}.md"))
        if clash is not None:
            # A case-insensitive file system would open the other note.
            raise ContactExists(f"{self.folder}/{clash} already exists" if self.folder else f"{clash} already exists")
        return f"{self.folder}/{stem}.md" if self.folder else f"{stem}.md"


def _read_note(config: Config, rel: str) -> bytes | None:
    try:
        return (config.root / rel).read_bytes()
    except OSError:
        return None


# ---------------------------------------------------------------- writing


def apply_import(config: Config, plan: Plan, progress: Progress = no_progress) -> Outcome:
    """Write the plan: new notes from the person template, missing keys into existing ones."""
    outcome = Outcome()
    for change in progress(plan.changes, len(plan.changes), "Importing"):
        if change.action == "unchanged":
            outcome.unchanged += 1
            continue
        try:
            if change.action == "create":
                # create_contact() would list the folder again for every note: write the same note directly.
                try:
                    safe_write(config.root, change.rel, person_note(config, change.values).encode("utf-8"), None)
                except WriteConflict:
                    raise ContactExists(f"{change.rel} appeared while importing") from None
                outcome.created += 1
            elif _add_keys(config, change) | (change.rewrite and _rewrite(config, change)):
                outcome.updated += 1
            else:
                outcome.unchanged += 1
        except (ContactExists, WriteConflict) as err:
            outcome.problems.append(change.person.problem(f"{err}; skipped"))
        except UnsafePath as err:
            if change.action == "create":
                raise
            outcome.problems.append(change.person.problem(f"{err}; skipped"))  # one note linked out of the vault
        except OSError as err:
            outcome.problems.append(change.person.problem(f"cannot write {change.rel}: {err.strerror}; skipped"))
        # Anything else (a broken vault template, a people folder linked outside the vault) is the
        # same for every person: it stops the import with one clear error instead of a line per person.
    return outcome


def _add_keys(config: Config, change: Change) -> bool:
    """Add the missing keys."""
    return _edit(config, change, add_missing, {config.key(key): value for key, value in change.values.items()})


def _rewrite(config: Config, change: Change) -> bool:
    """Rewrite a changed company or role (``--update-changed``)."""
    return _edit(config, change, replace_values, {config.key(key): new for key, (_, new) in change.news.items()})


def _edit(config: Config, change: Change, edit: Callable[[bytes, dict[str, Any]], tuple[bytes, list[str]]],
          values: dict[str, Any]) -> bool:
    """Apply ``edit`` to the note's front matter; on an edit made meanwhile, re-read and try again."""
    for _ in range(_RETRIES):
        data = _read_note(config, change.rel)
        if data is None:
            raise WriteConflict(f"{change.rel} disappeared while vaultnet was importing")
        new, edited = edit(data, values)
        if not edited:
            return False
        try:
            return safe_write(config.root, change.rel, new, data)
        except WriteConflict:
            continue
    raise WriteConflict(f"{change.rel} kept changing while vaultnet was importing")


def import_file(config: Config, kind: str, path: Path, contacts: Sequence[Contact], *, dry_run: bool = False,
                progress: Progress = no_progress, update_changed: bool = False) -> tuple[Plan, Outcome | None, list[Problem]]:
    """Read, plan and (unless ``dry_run``) write; returns every problem, in file order then write order.

    A changed company or role is news (``Change.news``); only ``update_changed`` rewrites it.
    """
    parsed = read_file(kind, path, progress)
    plan = plan_import(config, parsed.people, contacts)
    for change in plan.changes:
        if change.news and update_changed:
            change.action, change.rewrite = "update", True
    problems = sorted(parsed.problems + plan.problems, key=lambda p: p.line or 0)
    if dry_run:
        return plan, None, problems
    outcome = apply_import(config, plan, progress)
    return plan, outcome, problems + outcome.problems
