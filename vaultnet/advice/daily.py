"""A little every day: the week's check-ins spread over the days left in it.

"Dedicate a certain amount of time every day to real networking activities ...
Schedule a time each day ... and stick to it." With ``[plan] daily_minutes``,
check-ins are placed, by priority, on the first day left in the week that still
has room, within that many minutes a day. ``vaultnet today`` shows one day's
share, with the setting or without it (a fair share of the week's check-ins).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import TypeVar

from vaultnet.base.dates import Date

T = TypeVar("T")


def days_left(today: Date, sunday: Date) -> list[Date]:
    """Today (or the week's Monday, for a later week) up to Sunday."""
    return [today + dt.timedelta(days=n) for n in range((sunday - today).days + 1)]


def spread(
    items: Sequence[tuple[T, int]], days: Sequence[Date], per_day: int, used_first_day: int = 0
) -> list[tuple[T, int, Date]]:
    """``(item, minutes)`` in priority order, each on the first day with room; what fits nowhere is left out."""
    room = [per_day for _ in days]
    if room:
        room[0] = max(0, per_day - used_first_day)
    placed = []
    for item, minutes in items:
        index = next((i for i, left in enumerate(room) if minutes <= left), None)
        if index is not None:
            room[index] -= minutes
            placed.append((item, minutes, days[index]))
    return placed


def fair_share(count: int, days: int) -> int:
    """How many of ``count`` items are one day's share over ``days`` days."""
    return math.ceil(count / days) if days > 0 else count
