"""What is coming up after this week: birthdays and dated follow-ups in the lookahead window.

The plan's ``## Coming up`` section: nothing to do yet, something to see coming
(a present to order, a deck to prepare) while there is still time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from vaultnet.base.dates import Date, birthday_in, day_label
from vaultnet.standings.network import Network
from vaultnet.standings.standing import Standing


@dataclass(frozen=True)
class Upcoming:
    day: Date
    people: tuple[str, ...]  # contact paths
    text: str
    identity: tuple[object, ...]  # what the item's block id is made from


def birthdays_between(standings: Iterable[Standing], first: Date, last: Date) -> list[tuple[Date, Standing]]:
    """Each birthday from ``first`` to ``last`` (both included), by day, then name."""
    found = []
    for standing in standings:
        birthday = standing.contact.birthday
        if birthday is None:
            continue
        for year in sorted({first.year, last.year}):
            day = birthday_in(birthday, year)
            if first <= day <= last:
                found.append((day, standing))
    return sorted(found, key=lambda pair: (pair[0], pair[1].name.casefold()))


def coming_up(network: Network, sunday: Date, days: int) -> list[Upcoming]:
    """Birthdays and dated follow-ups from the day after ``sunday`` to ``days`` days after it, soonest first.

    Paused and snoozed people are left out, as in the rest of the plan.
    """
    first, last = sunday + dt.timedelta(days=1), sunday + dt.timedelta(days=days)
    active = {s.contact.path: s for s in network.standings if s.status not in ("paused", "snoozed")}
    found: list[Upcoming] = []
    for day, standing in birthdays_between(active.values(), first, last):
        year = standing.contact.birthday.year if standing.contact.birthday else None
        age = f" (turns {day.year - year})" if year else ""
        found.append(Upcoming(day, (standing.contact.path,), f"birthday {day_label(day)}{age}",
                              ("birthday", standing.contact.path, day)))
    seen: set[tuple[str, int]] = set()
    for task in network.evidence.follow_ups:
        people = tuple(path for path in task.people if path in active)
        if task.due and first <= task.due <= last and people and (task.path, task.line) not in seen:
            seen.add((task.path, task.line))
            found.append(Upcoming(task.due, people, f"{task.text} (due {day_label(task.due)})",
                                  ("follow-up", task.path, task.text, task.due)))
    names = {path: standing.name.casefold() for path, standing in active.items()}
    found.sort(key=lambda item: (item.day, item.identity[0] != "birthday", [names[p] for p in item.people], item.text))
    return found
