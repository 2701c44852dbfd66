"""Dates, cadences and calendar arithmetic.

Everything here is pure: values in, values or ``ValueError`` out. Callers turn
``ValueError`` into a problem naming the file and line.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

Date = dt.date

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# "[[2026-11-21]]", "2026-11-21", "2026-11-21T10:30", "2026-11-21 10:30:00", "2026-11-21 @ 10:30"
_DATE_VALUE = re.compile(r"^\[\[(\d{4}-\d{2}-\d{2})(?:\|[^\]]*)?\]\]$"
                         r"|^(\d{4}-\d{2}-\d{2})(?:(?:[T ]| @ ?)[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
# A link to a day's note named any other way: "[[October 3rd, 2021, Sunday]]", "[[Journal/3 Oct 2021|Sunday]]".
_DAY_LINK = re.compile(r"^\[\[(?:[^\[\]|]*/)?([^\[\]|/]+?)(?:\|[^\]]*)?\]\]$")
_UNLINKED = re.compile(r"\[\[(?:[^\[\]|]*/)?([^\[\]|/]+?)(?:\|[^\]]*)?\]\]")  # [[Folder/June 19th|x]] → June 19th
_LETTER = re.compile(r"[^\W\d_]")
# Apple Contacts' and vCard's year for "year unknown" (BDAY:1604-07-05).
NO_YEAR = 1604
_MONTH_DAY = re.compile(r"^(?:--)?(\d{1,2})-(\d{1,2})$")


@lru_cache(maxsize=8192)  # the same few thousand dates come back in every note
def parse_iso(text: str) -> Date:
    """Parse ``YYYY-MM-DD`` exactly, raising ``ValueError`` with a readable message."""
    match = _ISO_DATE.fullmatch(text)
    if not match:
        raise ValueError(f"not a date: {text!r} (expected YYYY-MM-DD)")
    year, month, day = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError as err:
        raise ValueError(f"impossible date {text!r}: {err}") from None


def parse_date(value: object) -> Date:
    """Parse a front-matter date: a YAML date, ``YYYY-MM-DD`` or ``"[[YYYY-MM-DD]]"``.

    Obsidian's "Date & time" properties (``2026-11-21T10:30``) give their date, and so
    does a link to a day's note named with the month as a word
    (``"[[October 3rd, 2021, Sunday]]"``), whatever the vault's daily format.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], list):
        # An unquoted [[2026-11-21]] is a nested YAML list.
        inner = value[0]
        if len(inner) == 1:
            return parse_date(f"[[{inner[0]}]]")
    if isinstance(value, str):
        text = value.strip()
        match = _DATE_VALUE.match(text)
        if match:
            return parse_iso(match.group(1) or match.group(2))
        if _LETTER.search(text):  # a month written as a word (imported here: a warm build reads no date)
            from vaultnet.base.datenames import parse_written

            linked = _DAY_LINK.match(text)
            written = parse_written(linked.group(1) if linked else text)
            if written is not None:
                return written
    raise ValueError(f"not a date: {value!r} (expected YYYY-MM-DD)")


@dataclass(frozen=True)
class Birthday:
    month: int
    day: int
    year: int | None = None


def parse_birthday(value: object) -> Birthday:
    """Parse ``YYYY-MM-DD``, ``MM-DD`` or ``--MM-DD`` (year unknown), or the month as a word:
    ``July 13th``, ``[[July 5th]]``, ``13 July 1990``. The year 1604 is Apple Contacts' way
    of saying it is unknown."""
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], list) and len(value[0]) == 1:
        value = str(value[0][0])  # an unquoted [[July 5th]] is a nested YAML list
    if isinstance(value, str):
        text = value.strip()
        if _LETTER.search(text):
            from vaultnet.base.datenames import parse_month_day

            written = parse_month_day(_UNLINKED.sub(r"\1", text))
            if written is not None:
                month, day, year = written
                return Birthday(month, day, None if year == NO_YEAR else year)
        match = _MONTH_DAY.match(text)
        if match:
            month, day = int(match.group(1)), int(match.group(2))
            # 2000 is a leap year, so Feb 29 is accepted here.
            try:
                dt.date(2000, month, day)
            except ValueError:
                raise ValueError(f"impossible birthday {value!r}") from None
            return Birthday(month, day)
    try:
        date = parse_date(value)
    except ValueError as err:
        if str(err).startswith("impossible"):
            raise
        raise ValueError(f"not a birthday: {value!r} (expected YYYY-MM-DD, MM-DD, --MM-DD or July 13th)") from None
    return Birthday(date.month, date.day, None if date.year == NO_YEAR else date.year)


def birthday_in(birthday: Birthday, year: int) -> Date:
    """The birthday's date in ``year``; Feb 29 falls on Feb 28 in other years."""
    day = min(birthday.day, calendar.monthrange(year, birthday.month)[1])
    return dt.date(year, birthday.month, day)


def next_birthday(birthday: Birthday, today: Date) -> Date:
    """The next occurrence on or after ``today``."""
    this_year = birthday_in(birthday, today.year)
    return this_year if this_year >= today else birthday_in(birthday, today.year + 1)


def add_months(date: Date, months: int) -> Date:
    """Calendar month arithmetic, clamped to the month's end (Jan 31 + 1 month = Feb 28)."""
    index = date.year * 12 + date.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    day = min(date.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day)


@dataclass(frozen=True)
class Cadence:
    """How often to be in touch: a count of days or of calendar months."""

    count: int
    unit: str  # "days" or "months"

    @property
    def days(self) -> int:
        """Approximate length in days: 30 a month, 365 a year."""
        if self.unit == "days":
            return self.count
        years, months = divmod(self.count, 12)
        return years * 365 + months * 30

    def after(self, date: Date) -> Date:
        if self.unit == "days":
            return date + dt.timedelta(days=self.count)
        return add_months(date, self.count)


_NAMED_CADENCES = {
    "daily": Cadence(1, "days"),
    "weekly": Cadence(7, "days"),
    "biweekly": Cadence(14, "days"),
    "fortnightly": Cadence(14, "days"),
    "monthly": Cadence(1, "months"),
    "quarterly": Cadence(3, "months"),
    "yearly": Cadence(12, "months"),
    "annually": Cadence(12, "months"),
}
_UNITS = {
    "d": ("days", 1), "day": ("days", 1), "days": ("days", 1),
    "w": ("days", 7), "wk": ("days", 7), "week": ("days", 7), "weeks": ("days", 7),
    "mo": ("months", 1), "month": ("months", 1), "months": ("months", 1),
    "y": ("months", 12), "yr": ("months", 12), "year": ("months", 12), "years": ("months", 12),
}
_CADENCE = re.compile(r"^(\d+)\s*([a-z]*)$")
# Longer cadences are typos (and would overflow date arithmetic when due is worked out).
_MAX_CADENCE = {"days": 100 * 366, "months": 100 * 12}


def _bounded(cadence: Cadence, value: object) -> Cadence:
    if cadence.count > _MAX_CADENCE[cadence.unit]:
        raise ValueError(f"cadence too long: {value!r} (at most 100 years)")
    return cadence


def parse_cadence(value: object) -> Cadence:
    """Parse a cadence: a number of days, ``2 weeks``, ``3mo``, ``quarterly``...

    ``2m`` is refused: Dataview reads ``m`` as minutes, so it is ambiguous.
    """
    if isinstance(value, bool):
        raise ValueError(f"not a cadence: {value!r}")
    if isinstance(value, int):
        if value <= 0:
            raise ValueError(f"cadence must be positive: {value!r}")
        return _bounded(Cadence(value, "days"), value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in _NAMED_CADENCES:
            return _NAMED_CADENCES[text]
        match = _CADENCE.match(text)
        if match:
            count, unit = int(match.group(1)), match.group(2) or "d"
            if unit in ("m", "min", "mins", "minute", "minutes"):
                raise ValueError(
                    f"ambiguous cadence {value!r}: Dataview reads 'm' as minutes; "
                    f"write '{count}mo' for months"
                )
            if unit in _UNITS:
                if count <= 0:
                    raise ValueError(f"cadence must be positive: {value!r}")
                base, factor = _UNITS[unit]
                return _bounded(Cadence(count * factor, base), value)
    raise ValueError(
        f"not a cadence: {value!r} (try '14 days', '2 weeks', '3mo', '1y' or 'monthly')"
    )


def day_label(date: Date) -> str:
    """A day as the plan and the views write it: ``Sat 2026-11-21``."""
    return f"{date:%a} {date.isoformat()}"


def week_bounds(today: Date) -> tuple[Date, Date]:
    """Monday and Sunday of the ISO week holding ``today``."""
    monday = today - dt.timedelta(days=today.weekday())
    return monday, monday + dt.timedelta(days=6)


def iso_week(today: Date) -> str:
    """``2026-W47`` for the ISO week holding ``today``."""
    year, week, _ = today.isocalendar()
    return f"{year}-W{week:02d}"


def parse_week(text: str) -> Date:
    """The Monday of an ISO week written ``2026-W48``."""
    match = re.fullmatch(r"(\d{4})-?W(\d{1,2})", text.strip(), re.IGNORECASE)
    if not match:
        raise ValueError(f"not an ISO week: {text!r} (expected e.g. 2026-W48)")
    try:
        return dt.date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        raise ValueError(f"no such ISO week: {text!r}") from None


# moment.js tokens used in daily-note formats, longest first.
_MOMENT_TOKENS = {
    "YYYY": r"(?P<Y>\d{4})",
    "YY": r"(?P<y>\d{2})",
    "MMMM": r"(?P<B>[^\W\d_]+)",
    "MMM": r"(?P<b>[^\W\d_]{3})",
    "MM": r"(?P<M>\d{2})",
    "M": r"(?P<M>\d{1,2})",
    "DDDD": r"\d{3}",
    "DD": r"(?P<D>\d{2})",
    "Do": r"(?P<D>\d{1,2})(?:st|nd|rd|th)",
    "D": r"(?P<D>\d{1,2})",
    "dddd": r"[^\W\d_]+",
    "ddd": r"[^\W\d_]{3}",
    "dd": r"[^\W\d_]{2}",
    "d": r"\d",
    "ww": r"\d{2}",
    "w": r"\d{1,2}",
    "WW": r"\d{2}",
    "W": r"\d{1,2}",
    "gggg": r"\d{4}",
    "GGGG": r"\d{4}",
    "Q": r"\d",
}
_MOMENT_SPLIT = re.compile(r"\[[^\]]*\]|" + "|".join(sorted(_MOMENT_TOKENS, key=len, reverse=True)))


class DailyFormat:
    """Matches file names (or path tails) written with a moment.js date format."""

    def __init__(self, fmt: str) -> None:
        self.format = fmt
        parts: list[str] = []
        position = 0
        seen: set[str] = set()
        for match in _MOMENT_SPLIT.finditer(fmt):
            parts.append(re.escape(fmt[position:match.start()]))
            token = match.group(0)
            if token.startswith("["):
                parts.append(re.escape(token[1:-1]))
            else:
                pattern = _MOMENT_TOKENS[token]
                group = re.search(r"\?P<(\w)>", pattern)
                if group and group.group(1) in seen:
                    # A repeated field (YYYY/YYYY-MM-DD) must not redefine its group.
                    pattern = re.sub(r"\?P<\w>", "?:", pattern)
                elif group:
                    seen.add(group.group(1))
                parts.append(pattern)
            position = match.end()
        parts.append(re.escape(fmt[position:]))
        self.depth = fmt.count("/") + 1
        self._regex = re.compile("".join(parts) + r"$")

    def match(self, stem_path: str) -> Date | None:
        """The date of a note whose path without ``.md`` ends with this format."""
        tail = "/".join(stem_path.split("/")[-self.depth:])
        match = self._regex.match(tail)
        if not match:
            return None
        fields = match.groupdict()
        try:
            if fields.get("Y"):
                year = int(fields["Y"])
            elif fields.get("y"):
                year = 2000 + int(fields["y"])
            else:
                return None
            if fields.get("M"):
                month = int(fields["M"])
            elif fields.get("B") or fields.get("b"):
                from vaultnet.base.datenames import MONTHS  # English and the other languages months are named in

                month = MONTHS[(fields.get("B") or fields.get("b") or "").casefold()]
            else:
                return None
            return dt.date(year, month, int(fields["D"]))
        except (KeyError, TypeError, ValueError):
            return None

    def render(self, date: Date) -> str:
        """The file stem for ``date`` (used when creating daily notes)."""
        out: list[str] = []
        position = 0
        for match in _MOMENT_SPLIT.finditer(self.format):
            out.append(self.format[position:match.start()])
            token = match.group(0)
            out.append(token[1:-1] if token.startswith("[") else _render_token(token, date))
            position = match.end()
        out.append(self.format[position:])
        return "".join(out)


def _render_token(token: str, date: Date) -> str:
    suffix = "th" if 11 <= date.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(date.day % 10, "th")
    values = {
        "YYYY": f"{date.year:04d}", "YY": f"{date.year % 100:02d}",
        "MMMM": calendar.month_name[date.month], "MMM": calendar.month_abbr[date.month],
        "MM": f"{date.month:02d}", "M": str(date.month),
        "DDDD": f"{date.timetuple().tm_yday:03d}",
        "DD": f"{date.day:02d}", "Do": f"{date.day}{suffix}", "D": str(date.day),
        "dddd": calendar.day_name[date.weekday()], "ddd": calendar.day_abbr[date.weekday()],
        "dd": calendar.day_abbr[date.weekday()][:2], "d": str((date.weekday() + 1) % 7),
        "ww": f"{date.isocalendar()[1]:02d}", "w": str(date.isocalendar()[1]),
        "WW": f"{date.isocalendar()[1]:02d}", "W": str(date.isocalendar()[1]),
        "gggg": str(date.isocalendar()[0]), "GGGG": str(date.isocalendar()[0]),
        "Q": str((date.month - 1) // 3 + 1),
    }
    return values[token]
