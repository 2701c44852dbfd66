"""Moderately weak ties worth reviving (docs/formats.md, What is worked out).

Research on millions of professional networks found that weak ties a few steps
away, often in other fields, bring the most new opportunities. A candidate is a
weak or dormant tie with some shared connections (not a stranger, not your inner
cluster) you have not been in touch with for 90 days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from vaultnet.standings.network import Network
from vaultnet.standings.standing import Standing, window_start

QUIET_DAYS = 90
BANDS = ("weak", "dormant")
MIN_SHARED, MAX_SHARED = 1, 5


@dataclass(frozen=True)
class Candidate:
    standing: Standing
    new_field: bool  # their industry is none of those you were in touch with lately
    shared: tuple[str, ...]  # names of shared connections

    def reason(self) -> str:
        standing = self.standing
        parts = []
        last = standing.interactions[0] if standing.interactions else None
        if last is not None:
            about = f" ({last.text})" if last.own_words and last.text else ""
            parts.append(f"last spoke on {last.date.isoformat()}{about}")
        if self.shared:
            parts.append(f"you both know {', '.join(self.shared)}")
        industry = standing.contact.fields.get("industry")
        if industry and self.new_field:
            parts.append(f"{industry} is new for you: nobody you talked to in the last {QUIET_DAYS} days works in it")
        return "; ".join(parts)


def recent_industries(network: Network, today: dt.date) -> set[str]:
    """Industries of everyone you had contact with in the last 90 days."""
    start = window_start(today, QUIET_DAYS)  # `within`, its start worked out once, not for each of everyone
    return {
        industry.casefold()
        for standing in network.standings
        if standing.last_contact and start <= standing.last_contact <= today
        and (industry := standing.contact.fields.get("industry"))
    }


def candidates(network: Network, today: dt.date, exclude: Collection[str] = ()) -> list[Candidate]:
    """Ranked reconnect candidates; ``exclude`` holds names already in this week's plan."""
    recent = recent_industries(network, today)
    cutoff = today - dt.timedelta(days=QUIET_DAYS)
    found = []
    for standing in network.standings:
        if standing.status in ("paused", "snoozed") or standing.name in exclude:
            continue
        if standing.tie.band not in BANDS or not MIN_SHARED <= standing.tie.embeddedness <= MAX_SHARED:
            continue
        if standing.last_contact is not None and standing.last_contact >= cutoff:
            continue
        industry = standing.contact.fields.get("industry")
        new_field = bool(industry) and industry.casefold() not in recent  # type: ignore[union-attr]
        shared = tuple(sorted(network.names(standing.neighbours), key=str.casefold))
        found.append(Candidate(standing, new_field, shared))
    found.sort(key=lambda c: (not c.new_field, c.standing.tie.intensity, c.standing.name.casefold()))
    return found
