"""Who an imported person is: the same person twice in one file, and the contact they already are."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from vaultnet.base.errors import Problem
from vaultnet.base.text import profile_key, split_emails
from vaultnet.evidence.contacts import Contact, fold
from vaultnet.evidence.resolve import loose
from vaultnet.importers.records import Person

# The front-matter keys matching reads besides names and aliases.
MATCHED_KEYS = ("email", "linkedin")

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


class Matcher:
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
