"""Dates that matter in the plan: birthdays, anniversaries and any named date, remembrances, with gift ideas.

Every date comes back each year with a birthday's lead time: in the plan's
*Birthdays* section in its week (past days included) and in *Coming up* in the
days after. A couple's shared date (the same label and day in both partners'
notes) is one line naming both. Someone's date of death stops their check-ins
and birthdays and brings a yearly remembrance instead, naming the relatives
their notes know of. Gift ideas for a person ride on the lines of their
birthday and dates, so they come back in the weeks before (see
:mod:`vaultnet.evidence.giftideas`). The same dates go to the calendar export.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from vaultnet.advice.coming import Upcoming, birthdays_between
from vaultnet.advice.coming import coming_up as birthdays_and_follow_ups
from vaultnet.advice.perstanding import Each, every
from vaultnet.base.dates import Birthday, Date, birthday_in, day_label, next_birthday
from vaultnet.evidence.occasions import Occasion
from vaultnet.standings.network import Network
from vaultnet.standings.standing import Standing

MAX_GIFT_IDEAS = 3  # on a plan line; `show` lists them all


@dataclass(frozen=True)
class Dated:
    """One line of the plan's Birthdays section."""

    day: Date
    people: tuple[str, ...]  # contact paths: whose date it is (a couple: both), then who to reach
    text: str
    identity: tuple[object, ...]  # what its block id is made from (a birthday's: its person and day, as ever)


@dataclass(frozen=True)
class Yearly:
    """A date that repeats every year, for the calendar export."""

    paths: tuple[str, ...]
    label: str
    date: Birthday
    summary: str
    description: str



def _years(count: int) -> str:
    return f"{count} year" + ("" if count == 1 else "s")


def gift_text(network: Network, paths: Iterable[str]) -> str:
    """`` · gift ideas: a kite; the blue scarf`` for these people's open gift ideas, or nothing."""
    ideas = list(dict.fromkeys(idea.text for path in paths for idea in network.gifts.get(path, ())))
    if not ideas:
        return ""
    more = f" (+{len(ideas) - MAX_GIFT_IDEAS} more)" if len(ideas) > MAX_GIFT_IDEAS else ""
    return f" · gift ideas: {'; '.join(ideas[:MAX_GIFT_IDEAS])}{more}"


def _partners(network: Network, path: str) -> set[str]:
    return {r.path for r in network.relatives.get(path, ()) if r.kind == "partner" and r.path}


def occasions_between(network: Network, standings: Iterable[Standing], first: Date,
                      last: Date) -> list[tuple[Date, tuple[str, ...], Occasion]]:
    """Each named date (no birthday, no death) from ``first`` to ``last``; a couple's shared one once, with both."""
    found: dict[tuple[object, ...], tuple[Date, list[str], Occasion]] = {}
    for standing in standings:
        path = standing.contact.path
        for occasion in standing.contact.occasions:
            if occasion.is_death:
                continue
            for year in sorted({first.year, last.year}):
                day = birthday_in(occasion.date, year)
                if not first <= day <= last or (occasion.date.year and year < occasion.date.year):
                    continue
                key = (occasion.label.casefold(), occasion.date, day)
                shared = next((k for k in found if k[:3] == key and found[k][1][0] in _partners(network, path)), None)
                if shared is not None:
                    found[shared][1].append(path)  # the partner's note gives the same date: one line for both
                else:
                    found[(*key, path)] = (day, [path], occasion)
    return sorted(((day, tuple(paths), occasion) for day, paths, occasion in found.values()),
                  key=lambda item: (item[0], item[2].label.casefold(), item[1]))


def _occasion_text(network: Network, day: Date, paths: Sequence[str], occasion: Occasion) -> str:
    years = f" ({_years(day.year - occasion.date.year)})" if occasion.date.year else ""
    return f"{occasion.label} {day_label(day)}{years}{gift_text(network, paths)}"


def remembrances_between(network: Network, first: Date, last: Date) -> list[Dated]:
    """The yearly remembrance of each person who died, from ``first`` to ``last``, with the relatives to reach."""
    found = []
    for standing in network.standings:
        died = standing.contact.died
        if died is None:
            continue
        path = standing.contact.path
        for year in sorted({first.year, last.year}):
            day = birthday_in(died, year)
            if not first <= day <= last or (died.year and year <= died.year):
                continue
            ago = f", {_years(year - died.year)} ago" if died.year else ""
            relatives = tuple(dict.fromkeys(r.path for r in network.relatives.get(path, ())
                                            if r.path and not network.by_path(r.path).contact.paused))
            reach = " · a word to those close to them" if relatives else ""
            found.append(Dated(day, (path, *relatives), f"remembering {standing.name}, who died {day_label(day)}{ago}{reach}",
                               (path, "died", day)))
    return found


def this_week(network: Network, active: Sequence[Standing], monday: Date, sunday: Date,
              each: Each = every) -> list[Dated]:
    """The Birthdays section: birthdays, then the other dates and remembrances, day by day."""
    birthdays = []
    for day, standing in birthdays_between(active, monday, sunday, each):
        year = standing.contact.birthday.year if standing.contact.birthday else None
        age = f" (turns {day.year - year})" if year else ""
        path = standing.contact.path
        birthdays.append(Dated(day, (path,), f"birthday {day_label(day)}{age}{gift_text(network, (path,))}", (path, day)))
    others = [Dated(day, paths, _occasion_text(network, day, paths, occasion), (*paths, occasion.label, day))
              for day, paths, occasion in occasions_between(network, active, monday, sunday)]
    others.extend(remembrances_between(network, monday, sunday))
    others.sort(key=lambda dated: dated.day)  # stable: dates before remembrances on one day
    return list(heapq.merge(birthdays, others, key=lambda dated: dated.day))


def coming_up(network: Network, sunday: Date, days: int, each: Each = every) -> list[Upcoming]:
    """The Coming up section: birthdays and follow-ups as before, with gift ideas, and the other dates."""
    first, last = sunday + dt.timedelta(days=1), sunday + dt.timedelta(days=days)
    found = [replace(item, text=item.text + gift_text(network, item.people)) if item.identity[0] == "birthday"
             else item for item in birthdays_and_follow_ups(network, sunday, days, each)]
    active = [s for s in network.standings if s.status not in ("paused", "snoozed")]
    dated = [Upcoming(day, paths, _occasion_text(network, day, paths, occasion), ("date", *paths, occasion.label, day))
             for day, paths, occasion in occasions_between(network, active, first, last)]
    dated.extend(Upcoming(item.day, item.people, item.text, ("remembrance", *item.identity))
                 for item in remembrances_between(network, first, last))
    dated.sort(key=lambda item: item.day)
    return list(heapq.merge(found, dated, key=lambda item: item.day))


def next_dates(standing: Standing, today: Date) -> list[tuple[Occasion, Date]]:
    """Each of a person's named dates with its next day (a death: its next remembrance), soonest first."""
    return sorted(((occasion, next_birthday(occasion.date, today)) for occasion in standing.contact.occasions),
                  key=lambda pair: (pair[1], pair[0].label.casefold()))


def yearly(network: Network) -> list[Yearly]:
    """Every named date and remembrance as a yearly calendar event (a couple's shared date once)."""
    found: list[Yearly] = []
    seen: set[tuple[object, ...]] = set()
    for standing in network.standings:
        contact = standing.contact
        for occasion in contact.occasions:
            if occasion.is_death:
                found.append(Yearly((contact.path,), occasion.label, occasion.date, f"Remembering {contact.name}",
                                    f"{contact.path}, died {_written(occasion.date)}"))
                continue
            if contact.paused:
                continue
            partners = sorted(p for p in _partners(network, contact.path)
                              if occasion in network.by_path(p).contact.occasions)
            paths = tuple(sorted({contact.path, *partners}))
            key = (occasion, paths)
            if key in seen:
                continue
            seen.add(key)
            names = " and ".join(network.names(paths))
            since = f", since {occasion.date.year}" if occasion.date.year else ""
            found.append(Yearly(paths, occasion.label, occasion.date, f"{names}: {occasion.label}",
                                f"{', '.join(paths)}{since}"))
    return sorted(found, key=lambda y: (y.date.month, y.date.day, y.summary.casefold(), y.paths))


def _written(date: Birthday) -> str:
    return f"{date.year:04d}-{date.month:02d}-{date.day:02d}" if date.year else f"--{date.month:02d}-{date.day:02d}"
