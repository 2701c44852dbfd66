"""Places: who is where, for "I am in Lisbon next week: whom should I see?"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from vaultnet.evidence.resolve import loose
from vaultnet.standings.standing import Standing


def located(standing: Standing, text: str) -> bool:
    """``text`` is in the contact's ``location``, ignoring case and accents (``lisboa`` finds ``Lisboa, PT``)."""
    where = standing.contact.fields.get("location")
    return where is not None and loose(text) in loose(where)


@dataclass(frozen=True)
class Visit:
    """Someone to see in a place, and what you last talked about."""

    standing: Standing
    last_topic: str | None

    def line(self) -> str:
        standing = self.standing
        location = standing.contact.fields.get("location", "")
        if standing.status == "overdue":
            state = f"overdue by {standing.days_overdue} days"
        elif standing.rhythm.drifting:
            state = standing.rhythm.describe()
        else:
            state = standing.status
        last = (f" · last time ({standing.last_contact.isoformat()}): {self.last_topic}"
                if standing.last_contact and self.last_topic else "")
        return f"{standing.name} ({location}) — {state}{last}"

    def to_json(self) -> dict[str, Any]:
        standing = self.standing
        return {
            "name": standing.name, "path": standing.contact.path,
            "location": standing.contact.fields.get("location"), "status": standing.status,
            "priority": round(standing.priority, 3),
            "last_contact": standing.last_contact.isoformat() if standing.last_contact else None,
            "last_topic": self.last_topic,
        }


def visits(standings: Iterable[Standing], text: str) -> list[Visit]:
    """Everyone in the place but paused people, untracked ones included: highest priority first."""
    found = [s for s in standings if not s.contact.paused and located(s, text)]
    found.sort(key=lambda s: (-s.priority, -(s.last_contact.toordinal() if s.last_contact else 0), s.name.casefold()))
    return [Visit(s, next((i.text for i in s.interactions if i.own_words and i.text), None))
            for s in found]
