"""Life events bring care: check-ins scheduled after a move, a new job, a baby, a wedding, an illness, a loss.

A line tagged ``#moved``, ``#newjob``, ``#newbaby``, ``#wedding``, ``#illness``
or ``#loss`` (``[events]`` in ``vaultnet.toml`` changes the delays and adds tags)
is an event in the life of the person whose note it is in, or of the people a
line elsewhere names. Each event schedules check-ins some time after it (a
week, a month and a year after a loss; a month after a move); each comes into
the plan's *Life events* section in its week, saying why, and stays for
:data:`WINDOW_DAYS` unless you are in touch with them on or after its day (or
tick it). A date of death in someone's note is a loss for each of their
relatives. A company or role change vaultnet notices (:mod:`vaultnet.advice.rolechanges`)
is a new job: the *Congratulate* section asks you to congratulate at once, by
the same rule, and a check-in about the new job follows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from vaultnet.advice.perstanding import Each, every
from vaultnet.base.dates import Cadence, Date, parse_cadence
from vaultnet.evidence.model import Interaction
from vaultnet.standings.network import Network
from vaultnet.standings.standing import Standing

DEFAULT_EVENTS: dict[str, tuple[str, ...]] = {
    "moved": ("1 month",),
    "newjob": ("1 month",),
    "newbaby": ("2 weeks", "3 months"),
    "wedding": ("1 month", "1 year"),
    "illness": ("1 week", "1 month"),
    "loss": ("1 week", "1 month", "1 year"),
}
WHAT = {"moved": "the move", "newjob": "the new job", "newbaby": "the new baby", "wedding": "the wedding",
        "illness": "the illness", "loss": "the loss"}
ASK = {"moved": "ask how they are settling in", "newjob": "ask how the new job is going",
       "newbaby": "ask how they are all doing", "wedding": "ask how married life is",
       "illness": "ask how they are", "loss": "ask how they are doing"}
WINDOW_DAYS = 14  # a check-in stays in the plan this long after its day, unless you were in touch
SAME_EVENT_DAYS = 30  # lines with one tag for one person this close together are one event
NOW = Cadence(0, "days")


@dataclass(frozen=True)
class LifeEvent:
    path: str  # whose life it is
    tag: str
    date: Date
    text: str  # what the line said ("moved to Lyon"), or what happened ("Ana Souza died")
    source: str  # the note that says so
    remembered: bool = False  # a death: its yearly remembrance already comes every year (advice.dates)


def schedule(config_events: Mapping[str, tuple[Cadence, ...]]) -> dict[str, tuple[Cadence, ...]]:
    """The tags that are events and the delays of their check-ins: the defaults, then ``[events]``."""
    rules = {tag: tuple(parse_cadence(text) for text in delays) for tag, delays in DEFAULT_EVENTS.items()}
    rules.update(config_events)
    return {tag: delays for tag, delays in rules.items() if delays}


def pending(day: Date, delays: Sequence[Cadence], interactions: Iterable[Interaction], until: Date, today: Date,
            window: int = WINDOW_DAYS, done: Callable[[int], bool] = lambda index: False) -> tuple[int, Date] | None:
    """The check-in an event on ``day`` asks for now: ``(which delay, its day)``, or ``None``.

    The last delay whose day is on or before ``until`` (the plan's Sunday), at
    most ``window`` days before ``today``, with no interaction on or after its
    day and not ``done`` (ticked). Congratulations on a new role are the delay 0.
    """
    due = [(index, delay.after(day)) for index, delay in enumerate(delays) if delay.after(day) <= until]
    if not due:
        return None
    index, when = due[-1]
    if (today - when).days > window or done(index):
        return None
    if any(item.date >= when for item in interactions):
        return None  # in touch since: that was the check-in
    return index, when


def in_words(delay: Cadence) -> str:
    """``1 week``, ``3 months``, ``1 year``, ``10 days``."""
    count, unit = delay.count, "day"
    if delay.unit == "months":
        count, unit = (count // 12, "year") if count % 12 == 0 else (count, "month")
    elif count % 7 == 0 and count:
        count, unit = count // 7, "week"
    return f"{count} {unit}" + ("" if count == 1 else "s")


@dataclass(frozen=True)
class CheckIn:
    standing: Standing
    event: LifeEvent
    delay: Cadence
    due: Date

    @property
    def identity(self) -> tuple[object, ...]:
        """What the plan item's block id is made from: the same every week it is shown."""
        return (self.standing.contact.path, self.event.tag, self.event.date, in_words(self.delay))

    def text(self) -> str:
        event = self.event
        what = WHAT.get(event.tag, f"the {event.tag}")
        told = f": {event.text}" if event.text else ""
        ask = ASK.get(event.tag, "check in")
        return f"{in_words(self.delay)} since {what} ({event.date.isoformat()}{told}) · {ask}"


def events(network: Network, standings: Sequence[Standing], tags: Iterable[str],
           extra: Iterable[LifeEvent] = (), each: Each = every) -> dict[str, list[LifeEvent]]:
    """Every event in these people's lives, by contact path, oldest first (one per tag and month).

    ``each``: how each person's own lines are gone over (:mod:`vaultnet.advice.perstanding`).
    """
    wanted = frozenset(tags)
    contact_notes = frozenset(s.contact.path for s in network.standings)
    told = each(("life events", wanted, contact_notes), standings, lambda s: _told(s, wanted, contact_notes))
    found: dict[str, list[LifeEvent]] = {}
    for event in extra:
        found.setdefault(event.path, []).append(event)
    for standing, own in zip(standings, told, strict=True):
        if own:
            found.setdefault(standing.contact.path, []).extend(own)
    for path, listed in found.items():
        kept: list[LifeEvent] = []
        for event in sorted(listed, key=lambda e: (e.tag, e.date, e.source)):
            if kept and kept[-1].tag == event.tag and (event.date - kept[-1].date).days <= SAME_EVENT_DAYS:
                continue  # the same event told again
            kept.append(event)
        found[path] = sorted(kept, key=lambda e: (e.date, e.tag))
    return found


def _told(standing: Standing, wanted: frozenset[str], contact_notes: frozenset[str]) -> tuple[LifeEvent, ...]:
    """The events one person's lines tell of, in the order of their interactions."""
    path = standing.contact.path
    found: list[LifeEvent] = []
    for item in standing.interactions:
        if not item.tags or wanted.isdisjoint(item.tags) or not item.own_words:
            continue
        if item.path in contact_notes and item.path != path:
            continue  # a line in someone else's note tells of their life, not this person's
        for tag in wanted.intersection(item.tags):
            found.append(LifeEvent(path, tag, item.date, item.text, item.path))
    return tuple(found)


def losses(network: Network, today: Date) -> list[LifeEvent]:
    """A death in someone's note is a loss in the life of each of their relatives."""
    found = []
    for standing in network.standings:
        died = standing.contact.died
        if died is None or died.year is None:
            continue
        day = dt.date(died.year, died.month, died.day)
        if day > today:
            continue
        for relative in network.relatives.get(standing.contact.path, ()):
            if relative.path:
                found.append(LifeEvent(relative.path, "loss", day, f"{standing.name} died", standing.contact.path, True))
    return found


def check_ins(network: Network, standings: Sequence[Standing], today: Date, sunday: Date,
              config_events: Mapping[str, tuple[Cadence, ...]], ticked: Callable[[CheckIn], bool],
              extra: Iterable[LifeEvent] = (), each: Each = every) -> list[CheckIn]:
    """The life-event check-ins of this week's plan, the oldest first.

    ``extra``: events known otherwise (a role change is a new job); ``ticked`` says whether a
    check-in was already ticked in a plan.
    """
    rules = schedule(config_events)
    by_path = {s.contact.path: s for s in standings}
    happened = events(network, standings, rules, [*losses(network, today), *extra], each)
    found = []
    for path, listed in happened.items():
        standing = by_path.get(path)
        if standing is None:
            continue
        for event in listed:
            check_in = _check_in(standing, event, rules.get(event.tag, ()), today, sunday, ticked)
            if check_in is not None:
                found.append(check_in)
    return sorted(found, key=lambda c: (c.due, c.standing.name.casefold(), c.event.tag))


def _check_in(standing: Standing, event: LifeEvent, delays: Sequence[Cadence], today: Date, sunday: Date,
              ticked: Callable[[CheckIn], bool]) -> CheckIn | None:
    # At once is for congratulations, not a tag; a year on, a death has its remembrance instead.
    later = tuple(delay for delay in delays if delay.count > 0 and not (event.remembered and delay.days >= 365))

    def done(index: int) -> bool:
        return ticked(CheckIn(standing, event, later[index], later[index].after(event.date)))

    due = pending(event.date, later, standing.interactions, sunday, today, done=done)
    return None if due is None else CheckIn(standing, event, later[due[0]], due[1])
