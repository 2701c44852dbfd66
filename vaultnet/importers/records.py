"""What every reader produces: people as an export describes them, and the helpers readers share.

Each reader (``linkedin``, ``vcard``, ``google``) turns one file into
:class:`Person` records and one-line problems; everything after that
(matching, planning, writing) is shared and never sees the file's format.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from vaultnet.base.errors import Problem, VaultnetError
from vaultnet.base.keys import IMPORT_KEYS
from vaultnet.base.text import decode_mixed, printable
from vaultnet.evidence.contacts import fold
from vaultnet.files.writes import read_regular

T = TypeVar("T")

FIELDS = IMPORT_KEYS  # the front-matter keys an import fills, in the order a new note lists them
# No front-matter value needs more; a 20 MB field would cost gigabytes to parse and split.
MAX_FIELD_CHARS = 100_000
MAX_IMPORT_BYTES = 512 * 1024 * 1024


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
    emails: list[str] = field(default_factory=list)  # every one is written (a list when several) and matched
    phones: list[str] = field(default_factory=list)  # every one is written, as the file writes it
    company: str | None = None
    role: str | None = None
    location: str | None = None
    linkedin: str | None = None
    met: str | None = None
    birthday: str | None = None  # YYYY-MM-DD, or MM-DD when the year is unknown
    extra: dict[str, Any] = field(default_factory=dict)  # vaultnet's own keys a vCard carries (X-VAULTNET-*)
    categories: list[str] = field(default_factory=list)  # vCard CATEGORIES: one naming a circle is the circle
    triage: bool = False  # named after an address only: tagged for the user to name them

    @property
    def email(self) -> str | list[str] | None:
        return _one_or_all(self.emails)

    @property
    def phone(self) -> str | list[str] | None:
        return _one_or_all(self.phones)

    def problem(self, message: str) -> Problem:
        return problem_at(self.file, self.line, message, self.card)

    def values(self) -> dict[str, Any]:
        """Front-matter values by vaultnet's key names, in the order a new note lists them; empty ones left out."""
        values: dict[str, Any] = {"aliases": list(self.aliases)} if self.aliases else {}
        values.update({key: self.extra[key] for key in ("circle", "cadence") if self.extra.get(key) not in (None, "")})
        for key in FIELDS:
            value = getattr(self, key)
            if value:
                values[key] = value
        for key, value in self.extra.items():
            if key not in values and value not in (None, "", []):
                values[key] = value
        if self.triage:
            tags = values.get("tags")
            values["tags"] = [*(tags if isinstance(tags, list) else [tags] if tags else []), TRIAGE_TAG]
        return values

    def absorb(self, other: Person) -> None:
        """Merge a second record of the same person: fill what is missing, keep every name, email and phone."""
        for key in FIELDS:
            if key not in ("email", "phone") and not getattr(self, key) and getattr(other, key):
                setattr(self, key, getattr(other, key))
        self.emails += [email for email in other.emails if email.casefold() not in {e.casefold() for e in self.emails}]
        self.phones += [phone for phone in other.phones if digits(phone) not in {digits(p) for p in self.phones}]
        for key, value in other.extra.items():
            self.extra.setdefault(key, value)
        self.categories += [item for item in other.categories if item not in self.categories]
        self.triage = self.triage and other.triage
        names = {fold(self.name), *(fold(alias) for alias in self.aliases)}
        for alias in ([other.name] if fold(other.name) not in names else []) + other.aliases:
            if fold(alias) not in names:
                names.add(fold(alias))
                self.aliases.append(alias)

    def add_email(self, address: str) -> None:
        if address and address.casefold() not in {e.casefold() for e in self.emails}:
            self.emails.append(address)

    def add_phone(self, number: str) -> None:
        """Each number once: ``905-555-1234`` and ``(905) 555 1234`` are one (its digits), the first spelling kept."""
        if number and digits(number) not in {digits(p) for p in self.phones}:
            self.phones.append(number)


TRIAGE_TAG = "triage"


def _one_or_all(values: list[str]) -> str | list[str] | None:
    return values[0] if len(values) == 1 else list(values) if values else None


def digits(number: str) -> str:
    """A phone number's digits (and a leading +), to tell one number written twice."""
    found = re.sub(r"[^0-9+]", "", number)
    return found or number.casefold()


def nameless(emails: list[str], displayed: str | None = None) -> str:
    """The name of someone a file gives only an address for: the name shown with it, else the address."""
    return clean(displayed) or emails[0]


@dataclass
class Parsed:
    """What a reader found: people, and one problem per bad row or card."""

    people: list[Person] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    incomplete: str | None = None  # the file was cut off: what was read is imported, and the import fails


def problem_at(file: str, line: int | None, message: str, card: int | None = None) -> Problem:
    return Problem(file, line, printable(f"card {card}: {message}" if card else message))


def read_export(path: Path) -> bytes:
    """The file's bytes (UTF-16 with a BOM converted to UTF-8); a clear error for what is no export.

    Refuses a FIFO or a device, a binary file, and more than 512 MB.
    """
    try:
        found = read_regular(path, limit=MAX_IMPORT_BYTES)
    except OSError as err:
        raise VaultnetError(f"cannot read {path}: {err.strerror}") from None
    except VaultnetError as err:  # a FIFO or a device: never read
        raise VaultnetError(str(err).replace("not a note", "not an export")) from None
    if found is None:
        raise VaultnetError(f"cannot read {path}: no such file")
    data = found[0]
    if len(data) > MAX_IMPORT_BYTES:
        raise VaultnetError(f"{path}: larger than {MAX_IMPORT_BYTES // 1_000_000} MB; split the export")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace").encode("utf-8")  # a file cut mid-character is still read
    if b"\x00" in data[:4096]:
        raise VaultnetError(f"{path}: a binary file, not a text export")
    return data


def read_text(path: Path) -> str:
    """The file's text: UTF-8 (with or without BOM), UTF-16 with a BOM; a byte that is not UTF-8 is read
    as Windows-1252, that byte alone (one Latin-1 name does not turn the rest of the file into mojibake)."""
    return decode_mixed(read_export(path))


def csv_reader(text: str) -> Any:
    """A CSV reader over ``text`` that takes a cell of any size (the csv module refuses more than 128 KiB)."""
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    return csv.reader(io.StringIO(text, newline=""))


def clean(value: object) -> str | None:
    """One line of text with spaces collapsed, or ``None`` when empty."""
    if not isinstance(value, str):
        return None
    text = " ".join(value[:MAX_FIELD_CHARS].split())
    return text or None


def join_name(*parts: str | None) -> str:
    return " ".join(part for part in (clean(p) for p in parts) if part)


_FULL_DATE = re.compile(r"(\d{4})(?:-?|/)(\d{2})(?:-?|/)(\d{2})(?:T[\d:.]*(?:Z|[+-]\d{2}:?\d{2})?)?")
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
