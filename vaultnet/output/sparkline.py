"""A person's last twelve months of contact as one line of block characters, for ``show``."""

from __future__ import annotations

import calendar
import math
from collections import Counter
from collections.abc import Iterable

from vaultnet.base.dates import Date, add_months

BARS = "▁▂▃▄▅▆▇█"
NONE = "·"  # a month without contact, so it never looks like a small one


def monthly_counts(days: Iterable[Date], today: Date) -> list[int]:
    """Interactions in each of the twelve months ending with this one, oldest first."""
    this = today.replace(day=1)
    months = [add_months(this, -back) for back in range(11, -1, -1)]
    counts = Counter((day.year, day.month) for day in days if months[0] <= day <= today)
    return [counts[(month.year, month.month)] for month in months]


def sparkline(counts: list[int]) -> str:
    """``·▁▃█``: each month's count against the busiest month."""
    most = max(counts, default=0)
    return "".join(NONE if not count else BARS[max(0, math.ceil(len(BARS) * count / most) - 1)] for count in counts)


def contact_line(days: Iterable[Date], today: Date) -> str:
    """``last 12 months: ·▁▃█··▁▁▃▅▂▁ (Dec 2025 – Nov 2026, 14 interactions)``."""
    counts = monthly_counts(days, today)
    first = add_months(today.replace(day=1), -11)
    total = sum(counts)
    return (f"last 12 months: {sparkline(counts)}  ({calendar.month_abbr[first.month]} {first.year} – "
            f"{calendar.month_abbr[today.month]} {today.year}, {total} interaction{'s' if total != 1 else ''})")
