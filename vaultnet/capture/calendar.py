"""Meetings from an iCalendar file or feed.

Recurring events are expanded by recurring-ical-events (RRULE, RDATE, EXDATE,
RECURRENCE-ID overrides, time zones, Google's X-WR-TIMEZONE); each series is
expanded on its own so that one malformed event costs only that event.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import icalendar
import recurring_ical_events

from vaultnet.base.dates import Date
from vaultnet.capture.model import Capture, People, Read, capture_id

EARLIEST = dt.date(1970, 1, 1)
PLANNED_DAYS = 60  # how far ahead planned meetings are captured


def _address(value: Any) -> str | None:
    text = str(value).strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return text.strip().lower() or None


def _attendees(event: Any) -> list[Any]:
    found = event.get("ATTENDEE")
    if found is None:
        return []
    return found if isinstance(found, list) else [found]


def local_date(value: Any) -> Date:
    """The date an occurrence falls on where it takes place (its own time zone, as written)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise ValueError("DTSTART is not a date or a time")


def _occurrence_key(event: Any) -> str:
    """The slot an occurrence fills in its series: RECURRENCE-ID when it has one, else its start."""
    key = event.get("RECURRENCE-ID") or event.get("DTSTART")
    value = key.dt if hasattr(key, "dt") else key
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return value.isoformat() if value is not None else ""


NOT_A_CALENDAR = "not an iCalendar file (no BEGIN:VCALENDAR)"


def looks_like_calendar(data: bytes) -> bool:
    return data.lstrip().removeprefix(b"\xef\xbb\xbf").lstrip()[:15].upper() == b"BEGIN:VCALENDAR"


def read_calendar(data: bytes, source: str, people: People, today: Date, *, max_attendees: int,
                  since: Date | None = None) -> Read:
    read = Read(source)
    if not looks_like_calendar(data):
        return read.fail(NOT_A_CALENDAR)
    try:
        calendars = icalendar.Calendar.from_ical(data.decode("utf-8-sig", errors="replace"), multiple=True)
    except (ValueError, KeyError, IndexError, TypeError) as err:
        return read.fail(f"not a readable iCalendar file: {str(err).splitlines()[0] if str(err) else err!r}")
    for calendar in calendars:
        for capture in _captures(calendar, read, people, today, max_attendees, since or EARLIEST):
            read.captures.append(capture)
    return read


def _series(calendar: Any) -> dict[str, list[Any]]:
    grouped: dict[str, list[Any]] = {}
    for index, event in enumerate(calendar.walk("VEVENT")):
        uid = str(event.get("UID") or f"#{index + 1}")
        grouped.setdefault(uid, []).append(event)
    return grouped


def _captures(calendar: Any, read: Read, people: People, today: Date, max_attendees: int,
              since: Date) -> Iterator[Capture]:
    until = today + dt.timedelta(days=PLANNED_DAYS + 1)
    method = str(calendar.get("METHOD", ""))
    try:
        occurrences = list(recurring_ical_events.of(calendar).between(since, until))
    except Exception:  # some series cannot be expanded: expand each on its own, to name it and keep the rest
        yield from _each_series(calendar, read, people, max_attendees, since, until)
        return
    failed: set[str] = set()
    for event in occurrences:
        uid = str(event.get("UID") or "")
        try:
            capture = _capture(event, uid, read.source, people, max_attendees, method)
        except Exception as err:  # a malformed event costs that event only
            if uid not in failed:
                failed.add(uid)
                read.problem(_problem(event, uid, err))
            continue
        if capture is not None:
            yield capture


def _problem(event: Any, uid: str, err: Exception) -> str:
    message = str(err).splitlines()[0] if str(err) else type(err).__name__
    summary = str(event.get("SUMMARY") or "(no title)")
    return f"event {summary!r} (UID {uid or 'none'}): {message}; skipped"


def _each_series(calendar: Any, read: Read, people: People, max_attendees: int, since: Date,
                 until: Date) -> Iterator[Capture]:
    timezones = calendar.walk("VTIMEZONE")
    method = str(calendar.get("METHOD", ""))
    for events in _series(calendar).values():
        single = icalendar.Calendar()
        for name in ("VERSION", "PRODID", "X-WR-TIMEZONE", "METHOD"):
            if name in calendar:
                single.add(name, calendar[name])
        for component in (*timezones, *events):
            single.add_component(component)
        uid = str(events[0].get("UID") or "")
        try:
            for event in list(recurring_ical_events.of(single).between(since, until)):
                capture = _capture(event, uid, read.source, people, max_attendees, method)
                if capture is not None:
                    yield capture
        except Exception as err:  # a malformed event costs that event only
            read.problem(_problem(events[0], uid, err))


def _capture(event: Any, uid: str, source: str, people: People, max_attendees: int, method: str) -> Capture | None:
    if str(event.get("STATUS", "")).upper() == "CANCELLED" or method.upper() == "CANCEL":
        return None
    start = event.get("DTSTART")
    if start is None:
        raise ValueError("no DTSTART")
    day = local_date(start.dt)
    everyone: dict[str, str] = {}  # address → PARTSTAT
    organizer = event.get("ORGANIZER")
    if organizer is not None and _address(organizer):
        everyone[_address(organizer)] = "ACCEPTED"  # type: ignore[index]
    for attendee in _attendees(event):
        address = _address(attendee)
        if address:
            partstat = str(attendee.params.get("PARTSTAT", "NEEDS-ACTION")).upper() if hasattr(attendee, "params") else ""
            everyone[address] = partstat
    if any(people.is_me(address) and status == "DECLINED" for address, status in everyone.items()):
        return None
    if len(everyone) > max_attendees:
        return None  # a large meeting is not contact with each of its people
    met = []
    for address, status in everyone.items():
        path = people.contact(address)
        if path is not None and status != "DECLINED" and path not in met:
            met.append(path)
    if not met:
        return None
    ident = capture_id("cal", uid, _occurrence_key(event))
    return Capture(ident, day, "meeting", tuple(sorted(met)), str(event.get("SUMMARY") or "(no title)"), source)
