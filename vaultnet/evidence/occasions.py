"""Dates that matter besides a birthday: anniversaries, a death, any date a note names.

A person's note gives them as ``anniversary: 2015-06-20``, ``died: 2025-11-20``,
or a ``dates`` map of label to date (``dates: {adopted Rex: 2019-04-02,
name day: 12-06}``), in front matter or as inline fields. Each comes back every
year, as a birthday does: the year is optional (``06-20``), and a date written
as a link (``"[[2015-06-20]]"``) is read too. A date of death stops check-ins
and brings a yearly remembrance instead (:mod:`vaultnet.advice.dates`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from vaultnet.base.dates import Birthday, parse_birthday
from vaultnet.base.keys import OCCASION_KEYS, Properties, normalise

DIED = "died"
# Labels of a `dates` map that mean a death (as normalised keys are compared).
_DEATH_LABELS = frozenset(normalise(label) for label in ("died", "death", "date of death", "passed away", "deceased"))


@dataclass(frozen=True, slots=True)
class Occasion:
    """A yearly date in someone's life: its label and the day (with the year when known)."""

    label: str  # "anniversary", "died", or the label the note gives
    date: Birthday

    @property
    def is_death(self) -> bool:
        return self.label == DIED


def read_occasions(props: Properties) -> tuple[tuple[Occasion, ...], list[tuple[str, str]]]:
    """The occasions a note's properties give, and ``(key, message)`` for each value that is no date."""
    found: list[Occasion] = []
    bad: list[tuple[str, str]] = []

    def add(label: str, key: str, value: Any) -> None:
        if value in (None, ""):
            return
        try:
            day = parse_birthday(value.strip() if isinstance(value, str) else value)
        except ValueError as err:
            bad.append((key, str(err).replace("birthday", "date")))
            return
        death = normalise(label) in _DEATH_LABELS
        found.append(Occasion(DIED if death else " ".join(label.split()), day))

    for key in OCCASION_KEYS:
        add(key, key, props.get(key))
    dates = props.get("dates")
    entries: list[tuple[Any, Any]] = []
    if isinstance(dates, Mapping):
        entries = list(dates.items())
    elif isinstance(dates, list):  # - anniversary: 2015-06-20
        entries = [pair for item in dates if isinstance(item, Mapping) for pair in item.items()]
    elif dates not in (None, ""):
        bad.append(("dates", "expected a map of label: date, e.g. 'anniversary: 2015-06-20'"))
    for label, value in entries:
        if str(label).strip():
            add(str(label), "dates", value)
    unique = list(dict.fromkeys(found))
    return tuple(unique), bad


def death(occasions: tuple[Occasion, ...]) -> Birthday | None:
    """The date of death among a contact's occasions, if there is one (asked of every contact by every plan:
    most have no occasions)."""
    if not occasions:
        return None
    return next((occasion.date for occasion in occasions if occasion.is_death), None)
