"""What a person's family means for the brief: the birthdays in their household, a partner seen alone.

Relationships are read by :mod:`vaultnet.evidence.relations`. A person's
brief lists the birthdays of the people they live with and of their children
(partner, children, household), and says when you always see one partner
without the other: :data:`MIN_SEEN` or more interactions with them in the last
year, none with their partner.
"""

from __future__ import annotations

from dataclasses import dataclass

from vaultnet.base.dates import Date, next_birthday
from vaultnet.evidence.relations import HOUSEHOLD, Relative
from vaultnet.standings.network import Network
from vaultnet.standings.standing import Standing, within

MIN_SEEN = 3
YEAR_DAYS = 365


@dataclass(frozen=True)
class Member:
    relative: Relative
    next_birthday: Date | None
    age: int | None  # at that birthday, when the year is known
    died: bool


def family(standing: Standing, network: Network) -> list[Member]:
    """Everyone related to this person, with the next birthday of those in their household (and children)."""
    found = []
    for relative in network.relatives.get(standing.contact.path, ()):
        other = network.by_path(relative.path).contact if relative.path else None
        day = age = None
        if other is not None and other.birthday and other.died is None and relative.kind in HOUSEHOLD:
            day = next_birthday(other.birthday, network.today)
            age = day.year - other.birthday.year if other.birthday.year else None
        found.append(Member(relative, day, age, other is not None and other.died is not None))
    return found


def seen_without(standing: Standing, network: Network) -> list[tuple[str, int]]:
    """Each partner never seen with this person lately: (the partner's name, how often this person was seen)."""
    recent = [item for item in standing.interactions if within(item.date, network.today, YEAR_DAYS)]
    if len(recent) < MIN_SEEN:
        return []
    found = []
    for relative in network.relatives.get(standing.contact.path, ()):
        if relative.kind != "partner" or relative.path is None or network.by_path(relative.path).contact.died:
            continue
        if not any(relative.path in item.people for item in recent):
            found.append((relative.name, len(recent)))
    return found
