"""Drift: a silence measured against a person's own rhythm, not against a cadence.

A cadence can be wrong: someone filed as ``acquaintance`` whom you actually saw
every week is fine by the circle and not fine in reality. So the usual gap is
measured from the contact itself (the median of the recent gaps between days
with contact) and a silence is ``drifting`` when it is long for that rhythm, but
not so long that the situation it came from has plainly ended.
"""

from __future__ import annotations

from bisect import insort
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from vaultnet.base.dates import Date

MIN_GAPS = 3  # a median of fewer gaps says nothing
MAX_GAPS = 30  # the window never reaches further back than this many gaps
MIN_SPAN_DAYS = 21  # the median gap times the gaps in the window: a week-long burst is no rhythm
DRIFT_MULTIPLE, DRIFT_FLOOR_DAYS = 2, 14  # quiet for more than 2x the usual gap, and more than 14 days
ENDED_MULTIPLE, ENDED_FLOOR_DAYS = 12, 90  # ... and less than 12x (a situation that ended), never under 90


@dataclass(frozen=True)
class Rhythm:
    """How often you are usually in touch, and whether the current silence breaks it."""

    usual_gap_days: int | None  # None: not enough history for a rhythm
    quiet_days: int | None  # days since the last contact; None without any
    drifting: bool = False

    def describe(self) -> str:
        """``usually every 7 days, quiet for 35``: what the plan and ``show`` say."""
        return f"usually every {self.usual_gap_days} days, quiet for {self.quiet_days}"


NO_RHYTHM = Rhythm(None, None)


def _median(ordered: list[int]) -> int:
    """The middle of sorted gaps; with an even count, the mean of the two middle ones rounded half up."""
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle] + 1) // 2


def usual_gap(days: Iterable[Date]) -> int | None:
    """The median of recent gaps between contact days, or ``None`` when there is no rhythm.

    The window grows back from the latest contact until it holds at least
    ``MIN_GAPS`` gaps and the median repeated over the window spans three weeks.
    Measuring the span by the median (not by the raw gaps) keeps one long gap at
    the window's edge from turning a burst of daily mentions into a rhythm.
    The gaps are kept sorted as the window grows, so each median is a lookup.
    """
    newest_first = sorted({day.toordinal() for day in days}, reverse=True)  # day numbers: a gap is a subtraction
    ordered: list[int] = []
    for later, earlier in zip(newest_first, newest_first[1:], strict=False):
        insort(ordered, later - earlier)
        if len(ordered) > MAX_GAPS:
            break
        if len(ordered) >= MIN_GAPS and _median(ordered) * len(ordered) >= MIN_SPAN_DAYS:
            return _median(ordered)
    return None


def is_drifting(usual: int, quiet: int) -> bool:
    """More than twice the usual gap (and more than 14 days), less than twelve times it (or 90 days)."""
    return max(DRIFT_MULTIPLE * usual, DRIFT_FLOOR_DAYS) < quiet < max(ENDED_MULTIPLE * usual, ENDED_FLOOR_DAYS)


def rhythm(days: Iterable[Date], today: Date, paused: bool = False) -> Rhythm:
    """The rhythm of past contact days as of ``today``; a paused contact never drifts."""
    past = [day for day in days if day <= today]
    if not past:
        return NO_RHYTHM
    quiet = (today - max(past)).days
    usual = usual_gap(past)
    if usual is None:
        return Rhythm(None, quiet)
    return Rhythm(usual, quiet, not paused and is_drifting(usual, quiet))


class _Ranked(Protocol):
    @property
    def status(self) -> str: ...
    @property
    def rhythm(self) -> Rhythm: ...


R = TypeVar("R", bound=_Ranked)


def with_drifting(candidates: Sequence[R]) -> list[R]:
    """Check-ins in plan order: overdue people first, then drifting ones, tracked or not (furthest
    from their rhythm first), then everyone else; ``candidates`` come by priority, kept within each group."""
    def rank(standing: R) -> tuple[int, float]:
        found = standing.rhythm
        if standing.status == "overdue":
            return (0, 0.0)
        if found.drifting:
            return (1, -(found.quiet_days or 0) / (found.usual_gap_days or 1))
        return (2, 0.0)

    return sorted(candidates, key=rank)
