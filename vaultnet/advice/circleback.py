"""Circle back: tell people what came of the help they gave you.

"Honor their advice ... Follow-up on the advice they give you ... Circle back
with the results." After the last ``#got`` from someone (advice, an intro,
help), once ``[plan] circle_back_days`` have passed with no interaction with
them since, the plan asks you to tell them what came of it.
"""

from __future__ import annotations

from dataclasses import dataclass

from vaultnet.base.dates import Date
from vaultnet.evidence.model import Interaction
from vaultnet.standings.standing import Standing

MAX_AGE_DAYS = 365  # help older than this is past circling back to (the window reciprocity counts)


@dataclass(frozen=True)
class CircleBack:
    standing: Standing
    got: Interaction  # what you received

    def text(self) -> str:
        return f"tell {self.standing.name} what came of: {self.got.text or self.got.kind} ({self.got.date.isoformat()})"


def due(standing: Standing, today: Date, days: int) -> CircleBack | None:
    """The last #got (of the last year) when ``days`` or more have passed since it with no interaction after its day."""
    path = standing.contact.path
    got = next((i for i in standing.interactions if "got" in i.exchanges and path in i.exchanges_for), None)
    if got is None or not days <= (today - got.date).days <= MAX_AGE_DAYS:
        return None
    if any(item.date > got.date for item in standing.interactions):  # newest first: the first decides
        return None
    return CircleBack(standing, got)


def oldest_first(found: list[CircleBack]) -> list[CircleBack]:
    """``found`` (in the order of the people it came from), the oldest help first."""
    return sorted(found, key=lambda c: (c.got.date, c.standing.name.casefold()))
