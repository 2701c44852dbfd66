"""Dates as people write them: month names, ordinals, weekdays, in any order and several languages.

A daily note called ``April 10th, 2022, Sunday``, a property ``date: "[[October 3rd,
2021, Sunday]]"``, a birthday ``July 13th``, a heading ``### 2026-02-05 — 1:1 notes``
and a meeting note called ``2023-11-16 Weekly Catchup`` all carry a date; this
module finds it, and works out the moment.js format a vault names its daily
notes in from the names themselves.

A date is read only when it cannot be read two ways: a month written as a name
settles which number is the day; ``03/04/2022`` does not, and is not a date here
(:func:`infer_format` settles such orders from the whole vault, or declines).
Everything here is pure and works on text alone.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

# Month names and their usual abbreviations in the languages vaults are kept in (English,
# German, Dutch, Danish and Norwegian, Swedish, French, Spanish, Portuguese, Italian).
_MONTH_NAMES = (
    ("january jan januar janvier janeiro enero gennaio januari jänner", 1),
    ("february feb februar februari février fevereiro febrero febbraio fév", 2),
    ("march mar märz maart marts mars março marzo mär", 3),
    ("april apr avril abril aprile", 4),
    ("may mai mei maj mayo maio maggio", 5),
    ("june jun juni juin junho junio giugno", 6),
    ("july jul juli juillet julho julio luglio juil", 7),
    ("august aug augusti août agosto ago", 8),
    ("september sep sept septembre setembro septiembre settembre", 9),
    ("october oct oktober okt octobre outubro octubre ottobre", 10),
    ("november nov novembre novembro noviembre", 11),
    ("december dec dezember dez desember december décembre dezembro diciembre dicembre", 12),
)
MONTHS: dict[str, int] = {name: number for names, number in _MONTH_NAMES for name in names.split()}
_WEEKDAY_NAMES = (
    "monday mon montag mo maandag mandag måndag lundi lunes segunda lunedì lunedi "
    "tuesday tue tues dienstag di dinsdag tirsdag tisdag mardi martes terça terca martedì martedi "
    "wednesday wed mittwoch mi woensdag onsdag mercredi miércoles miercoles quarta mercoledì mercoledi "
    "thursday thu thur thurs donnerstag do donderdag torsdag jeudi jueves quinta giovedì giovedi "
    "friday fri freitag fr vrijdag fredag vendredi viernes sexta venerdì venerdi "
    "saturday sat samstag sa zaterdag lørdag lördag samedi sábado sabado sabato "
    "sunday sun sonntag so zondag søndag söndag dimanche domingo domenica"
)
WEEKDAYS = frozenset(_WEEKDAY_NAMES.split())
# Words that turn a date in a note's name into a span rather than a day ("Week of January 3rd").
SPAN_WORDS = frozenset(("week", "weekly", "woche", "uge", "uke", "vecka", "semaine", "semana", "settimana",
                        "month", "monat", "måned", "månad", "mois", "mes", "mese", "quarter", "year"))

# One token of written text: a number (with an ordinal suffix or a trailing dot), a word, or anything else.
_TOKEN = re.compile(r"(\d+)(st|nd|rd|th|er|e|º|ª|\.)?(?![^\W\d_])|([^\W\d_]+)|([^\w]+|_)")
_ISO = re.compile(r"(?<!\d)(\d{4})([-_.])(\d{2})\2(\d{2})(?!\d)")
_COMPACT = re.compile(r"(?<!\d)((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)")
_WRITTEN_HINT = re.compile(r"[^\W\d_]{3,}")
_MONTH_HINT = re.compile(r"[^\W\d_]+")
_YEARISH = re.compile(r"(?<!\d)(?:\d{4}|\d{8})(?!\d)")
_NUMERIC = re.compile(r"(?<!\d)\d{1,2}([-_. ])\d{1,2}\1\d{4}(?!\d)")  # 03.04.2022: a day and a month, some order


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Found:
    """A date found in a text, where it was, and the text around it."""

    date: dt.date
    start: int
    end: int
    rest: str  # the text without the date, its separators tidied


def _rest(text: str, start: int, end: int) -> str:
    before, after = text[:start].rstrip(" ,-_–—:.|("), text[end:].lstrip(" ,-_–—:.|)")
    if before and after:
        return f"{before} {after}"
    return before or after


def find_iso(text: str) -> Found | None:
    """``2026-02-05`` (or with ``_`` or ``.``) anywhere in ``text``, not inside a longer number."""
    for match in _ISO.finditer(text):
        found = _date(int(match.group(1)), int(match.group(3)), int(match.group(4)))
        if found is not None:
            return Found(found, match.start(), match.end(), _rest(text, match.start(), match.end()))
    return None


@dataclass(frozen=True, slots=True)
class _Part:
    kind: str  # "num", "word", "sep"
    text: str
    start: int
    end: int
    value: int = 0
    ordinal: bool = False


def _parts(text: str) -> list[_Part]:
    parts = []
    for match in _TOKEN.finditer(text):
        if match.group(1):
            parts.append(_Part("num", match.group(0), match.start(), match.end(), int(match.group(1)[:9]),
                               bool(match.group(2))))
        elif match.group(3):
            parts.append(_Part("word", match.group(3), match.start(), match.end()))
        else:
            parts.append(_Part("sep", match.group(0), match.start(), match.end()))
    return parts


def find_written(text: str, need_year: bool = True) -> tuple[Found, int | None] | None:
    """A date with its month written as a name: ``April 10th, 2022``, ``10. april 2022``, ``Sunday, 3 Oct 2021``.

    Returns the date (year 2000 when there is none and ``need_year`` is False) and the
    year as written (None when none was). A weekday next to it is part of the date.
    """
    if not any(word.casefold() in MONTHS for word in _MONTH_HINT.findall(text)):
        return None
    parts = [part for part in _parts(text) if part.kind != "sep"]
    for index, part in enumerate(parts):
        if part.kind != "word" or part.text.casefold() not in MONTHS:
            continue
        month = MONTHS[part.text.casefold()]
        # the day: the number just before (10 April, 10. april) or just after (April 10th)
        for day_at, year_at in ((index - 1, index + 1), (index + 1, index + 2)):
            if not 0 <= day_at < len(parts) or parts[day_at].kind != "num" or not 1 <= parts[day_at].value <= 31:
                continue
            if len(parts[day_at].text.rstrip(".stndrhº ª")) > 2:
                continue  # a year, not a day
            day = parts[day_at]
            year_part = parts[year_at] if 0 <= year_at < len(parts) and parts[year_at].kind == "num" \
                and len(parts[year_at].text) == 4 and not parts[year_at].ordinal else None
            if year_part is None and day_at == index + 1 and index >= 1 and parts[index - 1].kind == "num" \
                    and len(parts[index - 1].text) == 4:
                year_part = parts[index - 1]  # 2022 April 10
            if year_part is None and need_year:
                continue
            found = _date(year_part.value if year_part else 2000, month, day.value)
            if found is None:
                continue
            used = [p for p in (day, part, year_part) if p is not None]
            start, end = min(p.start for p in used), max(p.end for p in used)
            # a weekday right before or after belongs to the date
            first, last = min(parts.index(p) for p in used), max(parts.index(p) for p in used)
            if first > 0 and parts[first - 1].kind == "word" and parts[first - 1].text.casefold() in WEEKDAYS:
                start = parts[first - 1].start
            if last + 1 < len(parts) and parts[last + 1].kind == "word" and parts[last + 1].text.casefold() in WEEKDAYS:
                end = parts[last + 1].end
            return Found(found, start, end, _rest(text, start, end)), (year_part.value if year_part else None)
    return None


def find_date(text: str) -> Found | None:
    """The first unambiguous full date in ``text``: ISO-like, or with the month as a name and a year."""
    iso = find_iso(text)
    written = find_written(text) if iso is None or _WRITTEN_HINT.search(text[:iso.start]) else None
    if written is not None and (iso is None or written[0].start < iso.start):
        return written[0]
    return iso


def parse_written(text: str) -> dt.date | None:
    """``text`` when it is one full date and nothing else (a weekday may be part of it)."""
    text = text.strip()
    found = find_date(text)
    if found is None or found.rest.strip(" ,.-"):
        return None
    return found.date


def parse_month_day(text: str) -> tuple[int, int, int | None] | None:
    """A birthday written with its month as a name: ``July 13th``, ``13 July 1990``, ``June 19th, 1993``."""
    text = text.strip()
    found = find_written(text, need_year=False)
    if found is None or found[0].rest.strip(" ,.-"):
        return None
    date, year = found[0].date, found[1]
    return date.month, date.day, year


@lru_cache(maxsize=32768)  # asked of the same names by several readers in one build
def date_in_name(stem: str) -> Found | None:
    """A full date in a note's name (``2023-11-16 Weekly Catchup``, ``Session 02 - 2022-01-23``,
    ``Interaction - 2026-02-04 Sarah Chen``), or None; a span (``Week of January 3rd, 2022``) is no day."""
    if _YEARISH.search(stem) is None:
        return None
    found = find_date(stem)
    if found is None:
        return None
    words = {word.casefold() for word in re.findall(r"[^\W\d_]+", found.rest)}
    return None if words & SPAN_WORDS else found


def may_hold_date(text: str) -> bool:
    """Cheap and generous: could ``text`` hold a full date in any form :func:`date_in_name` reads,
    or a compact ``20261102``? (Used before parsing, to decide what a note keeps.)"""
    if _YEARISH.search(text) is None:
        return False  # every full date has a year (or is eight digits): the common case, one search
    if _ISO.search(text) or _COMPACT.search(text) or _NUMERIC.search(text):
        return True
    if not any(word.casefold() in MONTHS for word in _WRITTEN_HINT.findall(text)):
        return False  # no month named: no written date
    return find_written(text) is not None


# --- the vault's own daily-note format, from its file names ---------------------------------------

@dataclass(frozen=True)
class InferredFormat:
    """A daily-note format read off file names: ``MMMM Do, YYYY, dddd`` from ``April 10th, 2022, Sunday``."""

    format: str  # moment.js
    notes: int  # how many file names it reads
    examples: tuple[str, ...]


def shape(stem: str) -> tuple[tuple[str, ...], tuple[int, ...], tuple[int, ...]] | None:
    """The tokens of a name that is one whole date, or None.

    Tokens are moment.js tokens (``YYYY``, ``MMMM``, ``Do``, ``dddd``), fixed text, and ``N``
    for a number that is the day or the month; with the values of the ``N`` numbers and their
    widths, which :func:`infer_format` settles over all the names of a vault.
    """
    tokens: list[str] = []
    values: list[int] = []
    widths: list[int] = []
    seen: set[str] = set()
    for part in _parts(stem):
        if part.kind == "sep":
            tokens.append(_literal(part.text))
            continue
        if part.kind == "word":
            word = part.text.casefold()
            if word in MONTHS and "month" not in seen:
                seen.add("month")
                tokens.append("MMM" if len(word) == 3 else "MMMM")
            elif word in WEEKDAYS and "weekday" not in seen:
                seen.add("weekday")
                tokens.append({2: "dd", 3: "ddd"}.get(len(word), "dddd"))
            else:
                return None
            continue
        digits = part.text.rstrip(".stndrheº ª")
        suffix = part.text[len(digits):]
        if len(digits) == 8 and not seen:
            if not _COMPACT.fullmatch(digits):
                return None
            seen.update(("year", "month", "day"))
            tokens.append("YYYYMMDD")
        elif len(digits) == 4 and "year" not in seen:
            seen.add("year")
            tokens.append("YYYY")
        elif len(digits) <= 2 and suffix not in ("", ".") and "day" not in seen:
            seen.add("day")
            tokens.append("Do")
        elif len(digits) <= 2 and len(values) < 2:
            values.append(part.value)
            widths.append(len(digits))
            tokens.append("N")
        else:
            return None
        if suffix == ".":
            tokens.append(".")
    if "YYYYMMDD" in tokens:
        if values:
            return None
    elif "year" not in seen or len(values) + ("month" in seen) + ("day" in seen) != 2:
        return None
    if values and len(values) == 1:  # one number beside a month name (the day) or an ordinal day (the month)
        tokens[tokens.index("N")] = ("DD" if widths[0] == 2 else "D") if "month" in seen else \
            ("MM" if widths[0] == 2 else "M")
        values, widths = [], []
    return tuple(tokens), tuple(values), tuple(widths)


def _literal(text: str) -> str:
    """Separators as moment.js writes fixed text: letters in brackets, punctuation as it is."""
    return f"[{text}]" if any(ch.isalpha() for ch in text) else text


def infer_format(stems: Iterable[str], least: int = 3) -> tuple[InferredFormat | None, str | None]:
    """The format most of the dated file names share, or None with the reason it declined.

    ``03.04.2022`` is settled by the names themselves: a first number above 12 makes it
    day first, a second above 12 month first; neither, or both, leave it unsettled, and
    vaultnet says so rather than guess.
    """
    groups: Counter[tuple[str, ...]] = Counter()
    numbers: dict[tuple[str, ...], list[tuple[int, ...]]] = {}
    widths: dict[tuple[str, ...], set[tuple[int, ...]]] = {}
    examples: dict[tuple[str, ...], list[str]] = {}
    months: dict[tuple[str, ...], set[bool]] = {}
    for stem in stems:
        found = shape(stem)
        if found is None:
            continue
        written, values, width = found
        key = tuple(_loose(token) for token in written)
        if "MMM" in written or "MMMM" in written:
            months.setdefault(key, set()).add("MMM" in written)
        groups[key] += 1
        numbers.setdefault(key, []).append(values)
        widths.setdefault(key, set()).add(width + tuple(len(t) for t in written if t in ("D", "DD", "M", "MM")))
        if len(examples.setdefault(key, [])) < 2:
            examples[key].append(stem)
    if not groups:
        return None, None
    key, count = max(groups.items(), key=lambda item: (item[1], item[0]))
    if count < least:
        return None, None
    padded = all(all(w == 2 for w in width) for width in widths[key])
    tokens: list[str] = [token if token not in ("D", "M") else token * (2 if padded else 1) for token in key]
    if "MMMM" in tokens and months.get(key) == {True}:
        tokens[tokens.index("MMMM")] = "MMM"
    if "N" in tokens:
        pairs = numbers[key]
        first_day = any(a > 12 for a, _ in pairs)
        first_month = any(b > 12 for _, b in pairs)
        if tokens.index("YYYY") < tokens.index("N") and not first_day:
            first_day, first_month = False, True  # year first: year, month, day, as ISO 8601 writes it
        if first_day == first_month:
            return None, (f"{count} notes are named like {examples[key][0]!r}, with the day first or the month first; "
                          "say which with daily_format in vaultnet.toml")
        day, month = ("DD", "MM") if padded else ("D", "M")
        first, second = (day, month) if first_day else (month, day)
        tokens[tokens.index("N")] = first
        tokens[tokens.index("N")] = second
    return InferredFormat("".join(tokens), count, tuple(examples[key])), None


def _loose(token: str) -> str:
    """A token as names are grouped: zero-padded or not, a day is a day."""
    return {"DD": "D", "MM": "M", "MMM": "MMMM"}.get(token, token)


@lru_cache(maxsize=256)
def is_month_or_weekday(word: str) -> bool:
    return word.casefold() in MONTHS or word.casefold() in WEEKDAYS
