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
from vaultnet.base.text import printable
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
        for key in FIELDS:
            if key != "email" and not getattr(self, key) and getattr(other, key):
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


def problem_at(file: str, line: int | None, message: str, card: int | None = None) -> Problem:
    return Problem(file, line, printable(f"card {card}: {message}" if card else message))


def read_text(path: Path) -> str:
    """The file's text: UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252.

    Exports come from many tools; guessing the legacy encoding beats refusing the file.
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
    text = " ".join(value[:MAX_FIELD_CHARS].split())
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
