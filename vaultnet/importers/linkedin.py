"""LinkedIn's ``Connections.csv`` (Settings → Data privacy → Get a copy of your data).

Recent exports put a ``Notes:`` paragraph and a blank line before the header,
older ones start with it and lack the ``URL`` column; so the header is found by
its content and columns are taken by name, never by position.
"""

from __future__ import annotations

import csv
import datetime as dt
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
    no_progress,
    problem_at,
    read_text,
)

COLUMNS = ("First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On")
_MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[ -]([A-Za-z]{3})[a-z]*\.?[ -](\d{2}|\d{4})")
_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})")  # US order, as very old exports wrote it


def parse_connected(text: str) -> dt.date:
    """``07 Dec 2025`` (the export's form, English month names whatever the locale), ISO, or ``12/7/25``."""
    raw = text.strip()
    try:
        if match := _DAY_MONTH_YEAR.fullmatch(raw):
            day, month, year = match.groups()
            if month.lower() not in _MONTHS:
                raise ValueError
            return dt.date(_year(year), _MONTHS[month.lower()], int(day))
        if match := _SLASHED.fullmatch(raw):
            month, day, year = match.groups()
            return dt.date(_year(year), int(month), int(day))
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"Connected On {raw!r} is not a date") from None


def _year(text: str) -> int:
    return int(text) + 2000 if len(text) == 2 else int(text)


def read(path: Path, progress: Progress = no_progress) -> Parsed:
    """People from a Connections.csv; a bad row is a problem and the rest goes on."""
    label = str(path)
    reader = csv_reader(read_text(path))
    header: dict[str, int] | None = None
    width = 0
    rows: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for row in reader:
            start, line = line, reader.line_num + 1
            if header is None:
                names = [cell.strip().casefold() for cell in row]
                if {"first name", "last name", "connected on"} <= set(names):
                    header = {cell: index for index, cell in reversed(list(enumerate(names)))}
                    width = len(names)
                continue
            rows.append((start, row))
    except csv.Error as err:
        raise VaultnetError(f"{label}:{line}: not a readable CSV file: {err}") from None
    if header is None:
        raise VaultnetError(
            f"{label}: no header row with 'First Name', 'Last Name' and 'Connected On'; "
            "is this LinkedIn's Connections.csv?")

    columns: dict[str, int] = header
    parsed = Parsed()
    for number, row in progress(rows, len(rows), f"Reading {path.name}"):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > width:
            parsed.problems.append(problem_at(label, number, f"{len(row)} columns where the header has {width}; skipped"))
            continue

        def cell(column: str, row: list[str] = row) -> str | None:
            index = columns.get(column.casefold())
            return clean(row[index]) if index is not None and index < len(row) else None

        name = join_name(cell("First Name"), cell("Last Name"))
        if not name:
            parsed.problems.append(problem_at(label, number, "no name (LinkedIn hides some members' names); skipped"))
            continue
        person = Person(name, label, number, emails=split_emails(cell("Email Address")),
                        company=cell("Company"), role=cell("Position"), linkedin=cell("URL"), met="LinkedIn")
        connected = cell("Connected On")
        if connected:
            try:
                person.met = f"LinkedIn, connected {parse_connected(connected).isoformat()}"
            except ValueError as err:
                parsed.problems.append(person.problem(f"{err}; left out"))
        parsed.people.append(person)
    return parsed
