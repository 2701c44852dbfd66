"""Google Contacts CSV exports, in both header formats.

The current format (2023+) has ``First Name, Middle Name, Last Name, ...,
Organization Name, Organization Title, Labels``; the older "Google CSV" has
``Name, Given Name, Additional Name, Family Name, ..., Group Membership`` and
``Organization 1 - Name``. Columns are taken by name; a cell may hold several
values joined by ``:::``: every email and phone is kept (``E-mail 2 - Value``
too), of other values the first is used. A row with only an email address is
someone you mailed: their note is named by the address, for you to name them.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from vaultnet.base.errors import VaultnetError
from vaultnet.base.text import split_emails
from vaultnet.importers.records import (
    Parsed,
    Person,
    Progress,
    clean,
    csv_reader,
    join_name,
    nameless,
    no_progress,
    parse_birthday,
    problem_at,
    read_text,
)

_NAME_COLUMNS = ("first name", "name", "given name", "last name", "family name")
# Numbered columns: ``E-mail 2 - Value``. ASCII digits, and not too many (int() refuses 4,300 digits and more).
_NUMBERED = re.compile(r"(e-mail|phone|website|address|organization) ([0-9]{1,9}) - (.+)")


def read(path: Path, progress: Progress = no_progress) -> Parsed:
    """People from a Google Contacts CSV; a bad row is a problem and the rest goes on."""
    label = str(path)
    reader = csv_reader(read_text(path))
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for row in reader:
            rows.append((line, row))
            line = reader.line_num + 1
    except csv.Error as err:
        raise VaultnetError(f"{label}:{line}: not a readable CSV file: {err}") from None
    if not rows or not any(cell.strip().casefold() in _NAME_COLUMNS for cell in rows[0][1]):
        raise VaultnetError(f"{label}: no 'First Name' or 'Name' column in the first row; is this a Google Contacts CSV?")
    header = [cell.strip().casefold() for cell in rows[0][1]]

    parsed = Parsed()
    body = rows[1:]
    for number, row in progress(body, len(body), f"Reading {path.name}"):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            parsed.problems.append(problem_at(label, number, f"{len(row)} columns where the header has {len(header)}; skipped"))
            continue
        cells: dict[str, str] = {}
        for column, value in zip(header, row, strict=False):  # short rows: missing cells are empty
            if value.strip() and column not in cells:
                cells[column] = value
        person = _person(cells, label, number, parsed)
        if person is not None:
            parsed.people.append(person)
    return parsed


def _first(value: str | None) -> str | None:
    """The first of several values Google joined with ``:::``."""
    return clean(value.split(":::", 1)[0]) if value else None


def _person(cells: dict[str, str], label: str, number: int, parsed: Parsed) -> Person | None:
    def get(*columns: str) -> str | None:
        return next((_first(cells[c]) for c in columns if _first(cells.get(c))), None)

    name = get("name") or join_name(get("first name", "given name"), get("middle name", "additional name"),
                                    get("last name", "family name"), get("name suffix"))
    if not name:
        name = get("file as") or ""
    emails = [email for value in _all(cells, "e-mail", "value") for email in split_emails(value)]
    triage = False
    if not name and emails:
        name, triage = nameless(emails), True  # only an address (common for people you only mailed)
    if not name:
        what = get("organization name", "organization 1 - name")
        detail = f" (only {what})" if what else ""
        parsed.problems.append(problem_at(label, number, f"no name and no email address{detail}; skipped"))
        return None
    person = Person(name, label, number, triage=triage)
    nickname = get("nickname")
    if nickname and nickname.casefold() != name.casefold():
        person.aliases.append(nickname)
    for email in emails:
        person.add_email(email)
    for value in _all(cells, "phone", "value"):
        for phone in value.split(":::"):
            person.add_phone(clean(phone) or "")
    person.company = get("organization name", "organization 1 - name")
    person.role = get("organization title", "organization 1 - title")
    city = _first(_numbered(cells, "address", "city")) or _first(_numbered(cells, "address", "region"))
    place = ", ".join(part for part in (city, _first(_numbered(cells, "address", "country"))) if part)
    person.location = place or get("location")
    sites = (clean(part) for value in _all(cells, "website", "value") for part in value.split(":::"))
    person.linkedin = next((site for site in sites if site and "linkedin.com/" in site.lower()), None)
    birthday = get("birthday")
    if birthday:
        try:
            person.birthday = parse_birthday(birthday)
        except ValueError as err:
            parsed.problems.append(person.problem(f"{err}; birthday left out"))
    return person


def _all(cells: dict[str, str], kind: str, part: str) -> list[str]:
    """Every ``<kind> N - <part>`` cell, in column number order."""
    found: list[tuple[int, str]] = []
    for column, value in cells.items():
        match = _NUMBERED.fullmatch(column)
        if match and match.group(1) == kind and match.group(3) == part:
            found.append((int(match.group(2)), value))
    return [value for _, value in sorted(found)]


def _numbered(cells: dict[str, str], kind: str, part: str) -> str | None:
    values = _all(cells, kind, part)
    return values[0] if values else None
