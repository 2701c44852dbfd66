"""Exports: contacts as JSON, CSV or vCard 3.0; birthdays, follow-ups and check-ins as an iCalendar feed.

Every export is a pure function of the network (and so of the vault and
``today``): the same vault gives the same bytes, so a calendar subscribed to the
``.ics`` file, or a git repository holding the exports, sees no churn. Event
and card UIDs come from contact paths, so re-exporting updates events instead
of duplicating them.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import vobject
from vobject.icalendar import utc

from vaultnet.advice.dates import yearly
from vaultnet.base.dates import Birthday
from vaultnet.base.errors import VaultnetError
from vaultnet.base.keys import TEXT_KEYS, Properties
from vaultnet.base.text import CARD_KEYS, card_property, location_text, split_emails
from vaultnet.evidence.contacts import Contact
from vaultnet.evidence.model import Task
from vaultnet.evidence.people import properties
from vaultnet.files.config import Config
from vaultnet.files.writes import read_bytes, safe_write
from vaultnet.notes.note import parse_note
from vaultnet.output.report import status_json
from vaultnet.standings.network import Network
from vaultnet.standings.standing import Standing

FORMATS = ("json", "csv", "vcard", "ics")
CSV_COLUMNS = (
    "name", "path", "aliases", "circle", "status", "last_contact", "due", "days_overdue",
    "email", "phone", "company", "role", "birthday", "reciprocity", "tie",
)
PRODID = "-//vaultnet//vaultnet//EN"
# A leap year, for birthdays whose year is unknown: Feb 29 must be a real first occurrence.
UNKNOWN_YEAR = 2000


def export(network: Network, fmt: str) -> bytes:
    """The export in ``fmt`` (one of :data:`FORMATS`) as bytes, ready to print or write."""
    renderers = {"json": export_json, "csv": export_csv, "vcard": export_vcard, "ics": export_ics}
    if fmt not in renderers:
        raise VaultnetError(f"unknown export format {fmt!r} (known: {', '.join(FORMATS)})")
    return renderers[fmt](network).encode("utf-8")


def export_json(network: Network) -> str:
    """Exactly what ``status --json`` prints, for every contact."""
    return json.dumps(status_json(network, network.standings), indent=2, ensure_ascii=False) + "\n"


def birthday_text(birthday: Birthday | None) -> str:
    """``YYYY-MM-DD``, or ``--MM-DD`` when the year is unknown (ISO 8601's form for it)."""
    if birthday is None:
        return ""
    if birthday.year is None:
        return f"--{birthday.month:02d}-{birthday.day:02d}"
    return f"{birthday.year:04d}-{birthday.month:02d}-{birthday.day:02d}"


_RISKY_START = ("=", "@", "\t", "\r")
_HARMLESS_SIGNED = re.compile(r"[+-][\d\s+\-().\/]*")


def spreadsheet_safe(text: str) -> str:
    """Defuse a cell a spreadsheet would run as a formula (``=HYPERLINK(...)`` in an imported name).

    Phone numbers (``+351 ...``) and year-less birthdays (``--03-14``) are left as they are.
    """
    if text.startswith(_RISKY_START) or (text[:1] in "+-" and text and not _HARMLESS_SIGNED.fullmatch(text)):
        return "'" + text
    return text


def csv_row(standing: Standing) -> dict[str, str]:
    contact = standing.contact
    values: dict[str, object] = {
        "name": contact.name,
        "path": contact.path,
        "aliases": "; ".join(contact.aliases),
        "circle": contact.circle,
        "status": standing.status,
        "last_contact": standing.last_contact,
        "due": standing.due,
        "days_overdue": standing.days_overdue,
        **{key: contact.fields.get(key) for key in CSV_COLUMNS if key in TEXT_KEYS},  # the note's own text
        "birthday": birthday_text(contact.birthday),
        "reciprocity": standing.reciprocity.label,
        "tie": standing.tie.band,
    }
    row = {}
    for key, value in values.items():
        text = value.isoformat() if isinstance(value, dt.date) else "" if value is None else str(value)
        row[key] = spreadsheet_safe(text)
    return row


def export_csv(network: Network) -> str:
    """One row per contact under a header row; dates ISO, empty cells for unknowns."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for standing in network.standings:
        writer.writerow(csv_row(standing))
    return buffer.getvalue()


def uid_digest(*parts: str) -> str:
    """The stable part of an event's UID, from what the event is about (the export's and the phone's)."""
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:20]


def _line(text: str) -> str:
    return " ".join(text.split())


def vcard(contact: Contact, own: Properties | None = None) -> str:
    """One vCard 3.0; N splits the name at its last word, the usual guess for "given family".

    ``own`` (the note's properties as written) gives every email and phone and
    vaultnet's own keys, written as ``X-VAULTNET-*`` (one property per list
    item), the circle also as CATEGORIES, and the location as ADR: ``import
    vcard`` reads them all back (docs/capture.md, the round trip).
    """
    card = vobject.vCard()
    card.add("uid").value = f"vaultnet-{uid_digest(contact.path)}"
    card.add("fn").value = contact.name
    words = contact.name.split()
    card.add("n").value = vobject.vcard.Name(
        family=words[-1] if len(words) > 1 else "", given=" ".join(words[:-1]) if len(words) > 1 else contact.name)
    for alias in contact.aliases:
        card.add("nickname").value = alias
    fields = contact.fields
    raw = own.get if own is not None else (lambda key: fields.get(key))
    for email in split_emails(_joined(raw("email"))):
        line = card.add("email")
        line.value = email
        line.type_param = "INTERNET"
    for phone in _items(raw("phone"), split=fields.get("phone") is not None and own is None):
        card.add("tel").value = phone
    if fields.get("company"):
        card.add("org").value = [_line(fields["company"])]
    if fields.get("role"):
        card.add("title").value = _line(fields["role"])
    birthday = contact.birthday
    if birthday is not None:
        # --MMDD (vCard 4.0's form) for a year-less birthday: what phones and Google read.
        unknown = f"--{birthday.month:02d}{birthday.day:02d}"
        card.add("bday").value = unknown if birthday.year is None else birthday_text(birthday)
    if fields.get("linkedin"):
        card.add("url").value = _line(fields["linkedin"])
    location = _line(fields.get("location") or "")
    if location:
        city, _, country = location.rpartition(", ") if ", " in location else (location, "", "")
        card.add("adr").value = vobject.vcard.Address(city=city, country=country)
        if location_text(city, country or None) == location:
            location = ""  # the address holds it exactly: no X-VAULTNET-LOCATION needed
    if fields.get("met"):
        card.add("note").value = f"Met: {fields['met']}"
    if contact.circle:
        card.add("categories").value = [contact.circle]
    for key in CARD_KEYS:
        value = location if key == "location" else raw(key) if own is not None else None
        for item in _items(value):
            card.add(card_property(key).lower()).value = item
    return str(card.serialize())


def _items(value: Any, split: bool = False) -> list[str]:
    """A front-matter value as one line of text per item (lists item by item; mappings left out)."""
    values = value if isinstance(value, list) else [value]
    out = []
    for item in values:
        if item is None or isinstance(item, dict) or item == "":
            continue
        if isinstance(item, bool):
            out.append("true" if item else "false")
        elif isinstance(item, list):  # an unquoted [[link]] in YAML: a list in a list
            out.extend(f"[[{_line(str(inner))}]]" for inner in item if inner is not None)
        elif isinstance(item, dt.date):
            out.append(item.isoformat())
        else:
            out.extend(part for part in (_line(p) for p in (str(item).split(",") if split else [str(item)])) if part)
    return out


def _joined(value: Any) -> str:
    return ", ".join(str(item) for item in value if item is not None) if isinstance(value, list) else str(value or "")


def export_vcard(network: Network) -> str:
    """Every contact as one vCard 3.0, in name order."""
    return "".join(vcard(standing.contact, _own(network.config, standing.contact)) for standing in network.standings)


def _own(config: Config, contact: Contact) -> Properties | None:
    """The contact's note's properties as written (lists stay lists); None when it cannot be read now."""
    try:
        data = read_bytes(config.root / contact.path)
    except (OSError, VaultnetError):
        return None
    note = parse_note(contact.path, data, config.person_tags)[0] if data is not None else None
    return properties(note, config) if note is not None else None


# ---------------------------------------------------------------- iCalendar


def all_day_event(calendar: Any, uid: str, stamp: dt.datetime, start: dt.date, summary: str,
                  description: str, rrule: str | None = None) -> Any:
    """An all-day VEVENT added to ``calendar`` (the export's and the phone's), returned for more lines."""
    event = calendar.add("vevent")
    event.add("uid").value = uid
    event.add("dtstamp").value = stamp
    event.add("dtstart").value = start
    event.add("dtend").value = start + dt.timedelta(days=1)
    if rrule:
        event.add("rrule").value = rrule
    event.add("summary").value = summary
    if description:
        event.add("description").value = description
    event.add("transp").value = "TRANSPARENT"  # a reminder, not busy time
    return event


def birthday_start(birthday: Birthday) -> tuple[dt.date, str]:
    """The first occurrence and the yearly rule.

    Feb 29 repeats on the last day of February (BYMONTHDAY=-1): Feb 29 in leap
    years, Feb 28 otherwise, as vaultnet's own plan does (docs/formats.md, What is worked out); a
    plain yearly rule would skip three years in four.
    """
    year = birthday.year if birthday.year and birthday.year >= 1900 else UNKNOWN_YEAR
    if (birthday.month, birthday.day) == (2, 29):
        if year % 4 or (year % 100 == 0 and year % 400):
            year = UNKNOWN_YEAR
        return dt.date(year, 2, 29), "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1"
    return dt.date(year, birthday.month, birthday.day), "FREQ=YEARLY"


def export_ics(network: Network) -> str:
    """A calendar feed: a yearly all-day event per birthday and per date that matters (an anniversary, a
    remembrance), an all-day event per dated follow-up and per check-in due (see :func:`check_in_days`).

    Paused contacts are left out (they are not tracked at all); DTSTAMP is
    ``today`` at midnight UTC so that the output is deterministic.
    """
    calendar = vobject.iCalendar()
    calendar.add("prodid").value = PRODID
    calendar.add("calscale").value = "GREGORIAN"
    calendar.add("method").value = "PUBLISH"
    calendar.add("x-wr-calname").value = "vaultnet"
    calendar.add("x-published-ttl").value = "PT12H"
    refresh = calendar.add("refresh-interval")
    refresh.value = "PT12H"
    refresh.params["VALUE"] = ["DURATION"]
    stamp = dt.datetime.combine(network.today, dt.time(), tzinfo=utc)
    active = {s.contact.path: s for s in network.standings if not s.contact.paused}

    with_birthdays = [s for s in active.values() if s.contact.birthday is not None]
    with_birthdays.sort(key=lambda s: (s.contact.birthday.month, s.contact.birthday.day,  # type: ignore[union-attr]
                                       s.name.casefold(), s.contact.path))
    for standing in with_birthdays:
        contact = standing.contact
        assert contact.birthday is not None
        start, rule = birthday_start(contact.birthday)
        born = f", born {contact.birthday.year}" if contact.birthday.year else ""
        all_day_event(calendar, f"vaultnet-birthday-{uid_digest(contact.path)}@vaultnet", stamp, start,
               f"{contact.name}'s birthday", f"{contact.path}{born}", rule)
    for occasion in yearly(network):  # anniversaries, named dates, remembrances
        start, rule = birthday_start(occasion.date)
        all_day_event(calendar, f"vaultnet-date-{uid_digest(*occasion.paths, occasion.label)}@vaultnet", stamp, start,
               occasion.summary, occasion.description, rule)

    seen: Counter[tuple[str, str]] = Counter()
    follow_ups: list[tuple[dt.date, str, int, str, Task, list[str]]] = []
    for task in sorted(network.evidence.follow_ups, key=lambda t: (t.path, t.line)):
        seen[(task.path, task.text)] += 1
        people = [active[path].name for path in task.people if path in active]
        if task.due is None or not people:
            continue
        # Keyed by note and text, not line: editing the note above the task keeps its event.
        uid = f"vaultnet-follow-up-{uid_digest(task.path, task.text, str(seen[(task.path, task.text)]))}@vaultnet"
        follow_ups.append((task.due, task.path, task.line, uid, task, people))
    for due, path, line, uid, task, people in sorted(follow_ups, key=lambda item: item[:3]):
        all_day_event(calendar, uid, stamp, due, _follow_up_summary(task, people),
               f"Follow-up with {', '.join(people)}\n{path}:{line}")
    for day, standing in check_in_days(active.values(), network.today):
        all_day_event(calendar, f"vaultnet-check-in-{uid_digest(standing.contact.path)}@vaultnet", stamp, day,
               f"Check in with {standing.name}",
               f"due {standing.due.isoformat() if standing.due else ''}, every {standing.cadence_days} days\n"
               f"{standing.contact.path}")
    return str(calendar.serialize())


def check_in_days(standings: Iterable[Standing], today: dt.date) -> list[tuple[dt.date, Standing]]:
    """When each tracked contact is due for a check-in: the due date, the end of a snooze
    if later, and today for anyone overdue (a calendar shows what is due now, not months ago)."""
    days = []
    for standing in standings:
        if standing.due is None or standing.contact.paused:
            continue
        day = max(standing.due, today)
        if standing.contact.snooze_until and standing.contact.snooze_until > day:
            day = standing.contact.snooze_until
        days.append((day, standing))
    return sorted(days, key=lambda pair: (pair[0], pair[1].name.casefold(), pair[1].contact.path))


def _follow_up_summary(task: Task, people: list[str]) -> str:
    text = task.text or "follow up"
    if any(name.casefold() in text.casefold() for name in people):
        return text
    return f"{text} ({', '.join(people)})"


# ---------------------------------------------------------------- --output


def write_output(config: Config, target: Path, data: bytes) -> bool:
    """Write an export; returns ``False`` when the file already held these bytes.

    Inside the vault the write is vaultnet's safe one (atomic, never through a
    symlink leading out, never over an edit made meanwhile); elsewhere it is a
    plain write.
    """
    absolute = Path(os.path.abspath(target))
    full = absolute.parent.resolve() / absolute.name
    root = config.root.resolve()
    if root in full.parents:
        rel = full.relative_to(root).as_posix()
        return safe_write(config.root, rel, data, read_bytes(full))
    try:
        if read_bytes(full) == data:
            return False
        full.write_bytes(data)
    except OSError as err:
        raise VaultnetError(f"cannot write {target}: {err.strerror}") from None
    return True
