"""Your goals: who in your network is a gateway to them.

"Make a plan. Figure out what you want out of your network ... those who can
help you reach your goals are in your network ... concentrate on the former."
A contact is a gateway to a goal when their ``industry``, ``role``,
``company``, ``offers`` or ``interests`` match a goal phrase, with the phrase
matching introductions use (case, punctuation, plurals and small words
ignored). This is a scoring step of its own: reconnect candidates and
introductions are ranked by it after they are found, so it never changes
which ones are found.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from vaultnet.advice.intros import phrases_match
from vaultnet.base.dates import Date
from vaultnet.evidence.contacts import Contact
from vaultnet.standings.standing import Standing, within

T = TypeVar("T")
Field = Literal["industry", "role", "company", "offers", "interests"]
TEXT_FIELDS: tuple[Field, ...] = ("industry", "role", "company")
IN_TOUCH_DAYS = 90  # "people you are in touch with", as the index's active network


@dataclass(frozen=True)
class Gateway:
    """One way a contact leads towards one of your goals."""

    goal: str
    field: Field
    value: str

    def reason(self, contact: Contact, named: bool = False) -> str:
        company = contact.fields.get("company")
        at = f" at {company}" if company and self.field != "company" else ""
        what = {
            "industry": f"works in {self.value}{at}",
            "role": f"is {self.value}{at}",
            "company": f"works at {self.value}",
            "offers": f"offers {self.value}",
            "interests": f"is into {self.value}",
        }[self.field]
        who = f"{contact.name} " if named else ""
        return f"a way towards your goal '{self.goal}': {who}{what}"


def gateways(contact: Contact, goals: Sequence[str]) -> list[Gateway]:
    """The first field matching each goal, in the order the goals are listed."""
    found = []
    for goal in goals:
        values: list[tuple[Field, str]] = [(key, contact.fields[key]) for key in TEXT_FIELDS if key in contact.fields]
        values += [("offers", offer) for offer in contact.offers]
        values += [("interests", interest) for interest in contact.interests]
        match = next(((key, value) for key, value in values if phrases_match(goal, value)), None)
        if match is not None:
            found.append(Gateway(goal, *match))
    return found


def reasons(contacts: Sequence[Contact], goals: Sequence[str]) -> list[str]:
    """One reason per goal a contact leads to, for every contact given (named when there are several)."""
    named = len(contacts) > 1
    return [gateway.reason(contact, named) for contact in contacts for gateway in gateways(contact, goals)]


def rank(items: Iterable[T], contacts_of: Callable[[T], Sequence[Contact]], goals: Sequence[str]) -> list[tuple[T, list[str]]]:
    """Items with their goal reasons, those leading to a goal first; otherwise in the order given."""
    scored = [(item, reasons(contacts_of(item), goals)) for item in items]
    if not goals:
        return scored
    return sorted(scored, key=lambda pair: not pair[1])  # stable


def gateway_paths(standings: Iterable[Standing], goals: Sequence[str]) -> list[str]:
    """The contacts leading to any goal: their introductions are found first, so ``rank`` keeps the order."""
    return [s.contact.path for s in standings if goals and gateways(s.contact, goals)]


def with_reasons(text: str, goal_reasons: Sequence[str]) -> str:
    """A plan item's reason followed by the goals it leads to."""
    return "; ".join(part for part in (*goal_reasons, text) if part)


def helpers_per_goal(standings: Sequence[Standing], goals: Sequence[str], today: Date) -> list[tuple[str, int, int]]:
    """Per goal: people you were in touch with lately who could help, and everyone in the vault who could."""
    rows = []
    for goal in goals:
        helping = [s for s in standings if gateways(s.contact, [goal])]
        in_touch = [s for s in helping if s.last_contact and within(s.last_contact, today, IN_TOUCH_DAYS)]
        rows.append((goal, len(in_touch), len(helping)))
    return rows
