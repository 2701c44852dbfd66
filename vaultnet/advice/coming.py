"""What is coming up after this week: birthdays and dated follow-ups in the lookahead window.

The plan's ``## Coming up`` section: nothing to do yet, something to see coming
(a present to order, a deck to prepare) while there is still time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from vaultnet.advice.perstanding import Each, every
from vaultnet.base.dates import Date, birthday_in, day_label
from vaultnet.standings.network import Network
from vaultnet.standings.standing import Standing


@dataclass(frozen=True)
class Upcoming:
    day: Date
    people: tuple[str, ...]  # contact paths
    text: str
    identity: tuple[object, ...]  # what the item's block id is made from


def birthdays_between(standings: Sequence[Standing], first: Date, last: Date,
                      each: Each = every) -> list[tuple[Date, Standing]]:
    """Each birthday from ``first`` to ``last`` (both included), by day, then name."""
    days = each(("birthdays", first, last), standings, lambda standing: _birthdays(standing, first, last))
    found = [(day, standing) for standing, listed in zip(standings, days, strict=True) if listed for day in listed]
    return sorted(found, key=lambda pair: (pair[0], pair[1].name.casefold()))


def _birthdays(standing: Standing, first: Date, last: Date) -> tuple[Date, ...]:
    birthday = standing.contact.birthday
    if birthday is None:
        return ()
    return tuple(day for year in sorted({first.year, last.year})
                 if first <= (day := birthday_in(birthday, year)) <= last)


def coming_up(network: Network, sunday: Date, days: int, each: Each = every) -> list[Upcoming]:
    """Birthdays and dated follow-ups from the day after ``sunday`` to ``days`` days after it, soonest first.

    Paused and snoozed people are left out, as in the rest of the plan.
    """
    first, last = sunday + dt.timedelta(days=1), sunday + dt.timedelta(days=days)
    active = {s.contact.path: s for s in network.standings if s.status not in ("paused", "snoozed")}
    found: list[Upcoming] = []
    for day, standing in birthdays_between(list(active.values()), first, last, each):
        year = standing.contact.birthday.year if standing.contact.birthday else None
        age = f" (turns {day.year - year})" if year else ""
        found.append(Upcoming(day, (standing.contact.path,), f"birthday {day_label(day)}{age}",
                              ("birthday", standing.contact.path, day)))
    seen: set[tuple[str, int]] = set()
    for task in network.evidence.follow_ups:
        if not (task.due and first <= task.due <= last) or (task.path, task.line) in seen:
            continue
        people = tuple(path for path in task.people if path in active)
        if people:
            seen.add((task.path, task.line))
            found.append(Upcoming(task.due, people, f"{task.text} (due {day_label(task.due)})",
                                  ("follow-up", task.path, task.text, task.due)))
    names = {path: active[path].name.casefold() for item in found for path in item.people}
    found.sort(key=lambda item: (item.day, item.identity[0] != "birthday", [names[p] for p in item.people], item.text))
    return found
