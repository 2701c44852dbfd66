"""Persist: an outreach with no answer comes back, at most twice.

"Stay persistent. Even if people don't respond, don't get discouraged." An
outreach awaiting an answer (see :func:`awaiting_answer`) comes back after
``[plan] nudge_days`` as a nudge, unless there was any interaction with that
person on a later day. A ticked nudge records a new ``#waiting`` contact, so
the next nudge counts from it; after two nudges vaultnet stops asking.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from vaultnet.base.dates import Date
from vaultnet.evidence.model import Interaction
from vaultnet.standings.standing import Standing

WAITING_TAG = "waiting"
MAX_NUDGES = 2


def awaiting_answer(item: Interaction) -> bool:
    """An outreach that has had no answer yet: a line tagged ``#waiting``.

    This is the one place that decides it: mail capture adds a sent mail that
    got no reply here.
    """
    return WAITING_TAG in item.tags


@dataclass(frozen=True)
class Nudge:
    standing: Standing
    outreach: Interaction  # the first outreach of the unanswered run
    number: int  # 1 or 2
    due: Date

    def text(self) -> str:
        what = self.outreach.text or self.outreach.kind
        return f"no answer yet to: {what} ({self.outreach.date.isoformat()}) · nudge {self.number} of {MAX_NUDGES}"


def due(standing: Standing, today: Date, days: int) -> Nudge | None:
    """A nudge when the newest interactions are unanswered outreaches and ``days`` have passed since the last."""
    run: list[Interaction] = []  # newest first
    for item in standing.interactions:
        if awaiting_answer(item):
            run.append(item)
        elif not run or item.date > run[-1].date:
            return None  # something happened on a day after the outreach: an answer, or at least contact
        else:
            break
    if not run:
        return None
    outreaches = len({item.date for item in run})  # several lines on one day are one outreach
    if outreaches > MAX_NUDGES:
        return None  # nudged twice: let it rest
    when = run[0].date + dt.timedelta(days=days)
    if today < when:
        return None
    return Nudge(standing, run[-1], outreaches, when)


def soonest_first(found: list[Nudge]) -> list[Nudge]:
    """``found`` (in the order of the people it came from), the soonest due first."""
    return sorted(found, key=lambda n: (n.due, n.standing.name.casefold()))
