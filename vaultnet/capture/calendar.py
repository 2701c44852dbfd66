"""Meetings from an iCalendar file or feed.

Recurring events are expanded by recurring-ical-events (RRULE, RDATE, EXDATE,
RECURRENCE-ID overrides, time zones, Google's X-WR-TIMEZONE); each series is
expanded on its own when the whole cannot be, so that one malformed event costs
only that event.

Whose meeting it was: an occurrence counts for a contact only when you took part
(the organiser, or an attendee who neither declined nor delegated and is not a
``NON-PARTICIPANT``) and they did too. An event with no attendees is yours
alone and counts for nobody, so all-day and "free" markers (holidays, WfH) never
become meetings unless they list people, and events in a shared calendar that
you are not part of are someone else's.

The text is read before icalendar sees it: line by line (UTF-8, Windows-1252
where a byte is not UTF-8), checked to be whole (a calendar cut off mid-download
is an error, never an empty calendar), and cleaned of what must not cost the
calendar: alarms (never needed), Exchange's escaped RRULEs, stray lines, and
events that share a UID without being one event.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from typing import Any

import icalendar
import recurring_ical_events

from vaultnet.base.dates import Date
from vaultnet.base.text import decode_mixed
from vaultnet.capture.model import Capture, People, Read, capture_id
from vaultnet.capture.zone import Zone, local_day

EARLIEST = dt.date(1970, 1, 1)
PLANNED_DAYS = 60  # how far ahead planned meetings are captured
NOT_A_CALENDAR = "not an iCalendar file (no BEGIN:VCALENDAR)"
NO_UID = "vaultnet-no-uid-"  # the UID given to an event that has none (its content's hash follows)
NOT_TAKING_PART = ("DECLINED", "DELEGATED")
_CONTENT_LINE = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)?(?:;[^:]*)?:", re.ASCII)
_NEWLINE = re.compile(r"\r\n|\r|\n")
_RULE_NOISE = re.compile(r"[\s\\]")
_QUOTED_VALUE = re.compile(r'^((?:DTSTART|DTEND|DUE|RECURRENCE-ID|EXDATE|RDATE);(?:[^:"]*;)?TZID="[^":]*):([0-9TZ,]+)"$')
# What tells two UID-less events apart, and an event from another sharing its UID; never DTSTAMP,
# which an export sets to the time of the export.
_IDENTITY = ("SUMMARY", "DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "ORGANIZER", "ATTENDEE",
             "LOCATION")


def looks_like_calendar(data: bytes) -> bool:
    start = data.lstrip().removeprefix(b"\xef\xbb\xbf").lstrip()[:15].upper()
    return start == b"BEGIN:VCALENDAR" or start[:12] == b"BEGIN:VEVENT"


class Incomplete(ValueError):
    """The text is not a whole calendar: cut off, or its BEGIN and END lines do not pair."""


def content_lines(data: bytes) -> list[tuple[int, str]]:
    """Unfolded content lines with the number of the physical line each starts on; blank lines dropped."""
    lines: list[tuple[int, str]] = []
    for number, line in enumerate(_NEWLINE.split(decode_mixed(data)), start=1):
        if line[:1] in (" ", "\t") and lines:
            lines[-1] = (lines[-1][0], lines[-1][1] + line[1:])
        elif line.strip():
            lines.append((number, line))
    return lines


def _name(line: str) -> str:
    return line.split(":", 1)[0].split(";", 1)[0].strip().upper()


def _value(line: str) -> str:
    return line.split(":", 1)[1].strip().upper() if ":" in line else ""


def check_whole(lines: list[tuple[int, str]]) -> None:
    """Raise :class:`Incomplete` unless every BEGIN has its END and the text ends with the last one."""
    stack: list[tuple[str, int]] = []
    last = None
    for number, line in lines:
        name = _name(line)
        if name == "BEGIN":
            stack.append((_value(line), number))
        elif name == "END":
            if not stack:
                if last is not None:
                    continue  # stray text after the calendar (some servers add it): the calendar is whole
                raise Incomplete(f"line {number}: END:{_value(line)} without its BEGIN")
            if stack[-1][0] != _value(line):
                raise Incomplete(f"line {number}: END:{_value(line)} does not close BEGIN:{stack[-1][0]} "
                                 f"(line {stack[-1][1]})")
            stack.pop()
            if not stack:
                last = number
    if stack:
        component, number = stack[-1]
        raise Incomplete(f"the file ends inside BEGIN:{component} (line {number}), without END:{stack[0][0]}: "
                         "it looks cut off (an incomplete download?)")


def clean(lines: list[tuple[int, str]], read: Read) -> list[str]:
    """The lines icalendar should see: alarms out, Exchange's RRULEs repaired, stray lines reported and
    dropped, a bare VEVENT wrapped in a calendar, and every event given a UID of its own."""
    out: list[str] = []
    alarm = 0
    for number, line in lines:
        name = _name(line)
        if name in ("BEGIN", "END") and _value(line) == "VALARM":
            alarm += 1 if name == "BEGIN" else -1
            continue
        if alarm:
            continue  # a reminder: never needed, and a bad one must not cost the calendar
        if not _CONTENT_LINE.match(line):
            if out and _name(out[-1]) not in ("BEGIN", "END"):
                out[-1] += line  # a fold without its space (Confluence: `CN=Danie` / `l Latham;…`)
            else:
                read.problem(f"line {number}: {line[:40]!r} is not an iCalendar line; skipped")
            continue
        if name in ("RRULE", "EXRULE"):  # Exchange (CDO) writes `BYDAY=MO, TU` and escapes `\;`
            head, _, rule = line.partition(":")
            line = head + ":" + _RULE_NOISE.sub("", rule)
        line = _QUOTED_VALUE.sub(r'\1":\2', line)  # Outlook: `TZID="W. Europe Standard Time:20200609T090000"`
        out.append(line)
    if out and out[0].upper().startswith("BEGIN:VEVENT"):
        out = ["BEGIN:VCALENDAR", "VERSION:2.0", *out, "END:VCALENDAR"]
    return _own_uids(out)


def _own_uids(lines: list[str]) -> list[str]:
    """Every event a UID of its own: UID-less events get one from their content, and events sharing
    a UID without being versions or occurrences of one event (no RECURRENCE-ID, the same SEQUENCE)
    get theirs extended by their content, so that neither id collides nor one hides the other."""
    events: list[tuple[int, int]] = []  # (BEGIN index, END index) of top-level VEVENTs
    depth, start = 0, 0
    for index, line in enumerate(lines):
        name, value = _name(line), _value(line)
        if name == "BEGIN":
            depth += 1
            if value == "VEVENT":
                start = index
        elif name == "END":
            depth -= 1
            if value == "VEVENT":
                events.append((start, index))
    seen: dict[tuple[str, str], str] = {}
    replacements: dict[int, str] = {}
    insertions: dict[int, str] = {}
    for begin, end in events:
        body = lines[begin + 1:end]
        props = {_name(line): line for line in body}
        digest = hashlib.sha1("\n".join(sorted(line for line in body if _name(line) in _IDENTITY)).encode()
                              ).hexdigest()[:16]
        uid_line = next((begin + 1 + i for i, line in enumerate(body) if _name(line) == "UID"), None)
        uid = lines[uid_line].split(":", 1)[1].strip() if uid_line is not None and ":" in lines[uid_line] else ""
        if not uid:
            if uid_line is not None:
                replacements[uid_line] = f"UID:{NO_UID}{digest}"
            else:
                insertions[begin] = f"UID:{NO_UID}{digest}"
            continue
        if "RECURRENCE-ID" in props:
            continue
        key = (uid, props.get("SEQUENCE", "").partition(":")[2].strip())
        if key in seen and seen[key] != digest:
            replacements[uid_line] = f"UID:{uid}/{digest}"  # type: ignore[index]
        else:
            seen.setdefault(key, digest)
    if not replacements and not insertions:
        return lines
    out = []
    for index, line in enumerate(lines):
        out.append(replacements.get(index, line))
        if index in insertions:
            out.append(insertions[index])
    return out


def read_calendar(data: bytes, source: str, people: People, today: Date, *, max_attendees: int,
                  since: Date | None = None, zone: Zone = None, shown: str = "") -> Read:
    read = Read(source, shown)
    if not looks_like_calendar(data):
        return read.fail(NOT_A_CALENDAR)
    lines = content_lines(data)
    try:
        check_whole(lines)
    except Incomplete as err:
        return read.fail(f"not a whole calendar: {err}; nothing imported or removed")
    text = "\r\n".join(clean(lines, read)) + "\r\n"
    calendars: list[Any] | None
    try:
        calendars = icalendar.Calendar.from_ical(text, multiple=True)
    except (ValueError, KeyError, IndexError, TypeError) as err:
        calendars = _one_event_at_a_time(text, read)
        if calendars is None:
            return read.fail(f"not a readable iCalendar file: {_first_line(err)}")
    rules = Rules(people, max_attendees, zone)
    for calendar in calendars:
        read.captures.extend(_captures(calendar, read, rules, today, since or EARLIEST))
    return read


def _first_line(err: Exception) -> str:
    return str(err).splitlines()[0] if str(err) else type(err).__name__


def _one_event_at_a_time(text: str, read: Read) -> list[Any] | None:
    """Each event icalendar can read on its own, as a calendar with the file's time zones and
    properties (``X-WR-TIMEZONE``, ``METHOD``); ``None`` when not one can be read."""
    head: list[str] = []
    timezones: list[str] = []
    events: list[list[str]] = []
    block: list[str] | None = None
    depth = 0
    for line in text.split("\r\n"):
        name = _name(line)
        depth += name == "BEGIN"
        if depth == 2 and name == "BEGIN":
            block = []
        if block is not None:
            block.append(line)
        elif depth == 1 and name not in ("BEGIN", "END"):
            head.append(line)
        if name == "END":
            if depth == 2 and block:
                if _value(block[0]) == "VEVENT":
                    events.append(block)
                elif _value(block[0]) == "VTIMEZONE":
                    timezones.extend(block)
                block = None
            depth -= 1
    calendars = []
    for event in events:
        try:
            calendars.append(icalendar.Calendar.from_ical(
                "\r\n".join(["BEGIN:VCALENDAR", *head, *timezones, *event, "END:VCALENDAR"])))
        except Exception as problem:  # noqa: BLE001 - icalendar raises many kinds; this event only
            summary = next((line.split(":", 1)[1] for line in event if _name(line) == "SUMMARY"), "(no title)")
            read.problem(f"event {summary!r}: {_first_line(problem)}; skipped")
    return calendars or None


class Rules:
    """Who took part in an occurrence, and on which day it was."""

    def __init__(self, people: People, max_attendees: int, zone: Zone) -> None:
        self.people = people
        self.max_attendees = max_attendees
        self.zone = zone

    def met(self, event: Any) -> list[str] | None:
        """The contacts an occurrence counts for, ``None`` when it is not a meeting of yours."""
        attendees = event.get("ATTENDEE")
        if not attendees:
            return None  # no one invited: yours alone (a reminder, a holiday, a WfH marker)
        parties: dict[str, bool] = {}  # address → takes part
        organizer = event.get("ORGANIZER")
        if organizer is not None and address_of(organizer):
            parties[address_of(organizer)] = True  # type: ignore[index]
        for attendee in attendees if isinstance(attendees, list) else [attendees]:
            address = address_of(attendee)
            if address:
                parties[address] = takes_part(attendee)
        if self.people.me:
            mine = [part for address, part in parties.items() if self.people.is_me(address)]
            if not mine or not all(mine):
                return None  # not in it (someone else's, a shared calendar), or declined or delegated
        taking_part = [address for address, part in parties.items() if part]
        if len(taking_part) > self.max_attendees:
            return None  # a large meeting is not contact with each of its people
        met: list[str] = []
        for address in taking_part:
            path = self.people.contact(address)
            if path is not None and path not in met:
                met.append(path)
        return met


def address_of(prop: Any) -> str | None:
    """An organiser's or attendee's address, however written: ``mailto:``/``MAILTO:``, quoted
    (``"mailto:a@b"``), folded with a space inside, or only in the ``EMAIL`` parameter (Apple)."""
    text = re.sub(r"\s+", "", str(prop)).strip("\"'")
    if "mailto:" in text.lower():  # Confluence writes its parameters into the value before `mailto:`
        text = text[text.lower().rindex("mailto:") + 7:].strip("\"'")
    if "@" not in text:
        params = getattr(prop, "params", {})
        text = re.sub(r"\s+", "", str(params.get("EMAIL", ""))).strip("\"'")
    text = text.strip("<>").lower()
    return text if "@" in text else None


def takes_part(attendee: Any) -> bool:
    """Neither declined nor delegated, not a ``NON-PARTICIPANT``, and a person (not a room or a projector)."""
    params = getattr(attendee, "params", {})
    status = str(params.get("PARTSTAT", "NEEDS-ACTION")).strip().upper()
    return (status not in NOT_TAKING_PART and str(params.get("ROLE", "")).strip().upper() != "NON-PARTICIPANT"
            and str(params.get("CUTYPE", "")).strip().upper() not in ("ROOM", "RESOURCE"))


def _occurrence_key(event: Any) -> str:
    """The slot an occurrence fills in its series: RECURRENCE-ID when it has one, else its start (UTC)."""
    key = event.get("RECURRENCE-ID") or event.get("DTSTART")
    value = key.dt if hasattr(key, "dt") else key
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return value.isoformat() if value is not None else ""


def _captures(calendar: Any, read: Read, rules: Rules, today: Date, since: Date) -> Iterator[Capture]:
    until = today + dt.timedelta(days=PLANNED_DAYS + 1)
    method = str(calendar.get("METHOD", "")).upper()
    try:
        occurrences = list(recurring_ical_events.of(calendar).between(since, until))
    except Exception:  # some series cannot be expanded: expand each on its own, to name it and keep the rest
        yield from _each_series(calendar, read, rules, method, since, until)
        return
    failed: set[str] = set()
    for event in occurrences:
        uid = str(event.get("UID") or "")
        try:
            capture = _capture(event, uid, read.source, rules, method)
        except Exception as err:  # a malformed event costs that event only
            if uid not in failed:
                failed.add(uid)
                read.problem(_problem(event, uid, err))
            continue
        if capture is not None and capture.date >= since:
            yield capture


def _problem(event: Any, uid: str, err: Exception) -> str:
    summary = str(event.get("SUMMARY") or "(no title)")
    shown = "none" if uid.startswith(NO_UID) or not uid else uid
    return f"event {summary!r} (UID {shown}): {_first_line(err)}; skipped"


def _each_series(calendar: Any, read: Read, rules: Rules, method: str, since: Date, until: Date) -> Iterator[Capture]:
    timezones = calendar.walk("VTIMEZONE")
    grouped: dict[str, list[Any]] = {}
    for index, event in enumerate(calendar.walk("VEVENT")):
        grouped.setdefault(str(event.get("UID") or f"#{index + 1}"), []).append(event)
    for events in grouped.values():
        single = icalendar.Calendar()
        for name in ("VERSION", "PRODID", "X-WR-TIMEZONE", "METHOD"):
            if name in calendar:
                single.add(name, calendar[name])
        for component in (*timezones, *events):
            single.add_component(component)
        uid = str(events[0].get("UID") or "")
        try:
            for event in list(recurring_ical_events.of(single).between(since, until)):
                capture = _capture(event, uid, read.source, rules, method)
                if capture is not None and capture.date >= since:
                    yield capture
        except Exception as err:  # a malformed event costs that event only
            read.problem(_problem(events[0], uid, err))


def _capture(event: Any, uid: str, source: str, rules: Rules, method: str) -> Capture | None:
    if str(event.get("STATUS", "")).upper() == "CANCELLED" or method == "CANCEL":
        return None
    start = event.get("DTSTART")
    if start is None:
        raise ValueError("no DTSTART")
    value = start.dt
    if not isinstance(value, (dt.date, dt.datetime)):
        raise ValueError("DTSTART is not a date or a time")
    met = rules.met(event)
    if not met:
        return None
    ident = capture_id("cal", uid, _occurrence_key(event))
    return Capture(ident, local_day(value, rules.zone), "meeting", tuple(sorted(met)),
                   str(event.get("SUMMARY") or "(no title)"), source)
