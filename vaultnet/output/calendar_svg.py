"""The contact calendar: an SVG of the whole network's interactions, weeks by months.

One row per month of the last twelve, one cell per week of the month (days 1-7,
8-14, 15-21, 22-28, 29 to the end), shaded by how many interactions fall in it.
The index embeds it with ``![[...svg]]``. It has no background and draws in one
mid grey and one green at four opacities, so it reads the same way (more contact,
more colour) on a light and on a dark theme. Its bytes depend only on the dates
it shows: a build with nothing changed writes nothing.
"""

from __future__ import annotations

import calendar
import math
from collections import Counter
from collections.abc import Iterable
from html import escape as _escape

from vaultnet.base.dates import Date, add_months


def escape(text: str) -> str:
    """``&``, ``<`` and ``>`` as XML entities (what xml.sax.saxutils does, whose import loads urllib, http and
    ssl: 9 MB a watcher would hold for the life of the process)."""
    return _escape(text, quote=False)


WEEKS = ((1, 7), (8, 14), (15, 21), (22, 28), (29, 31))
INK = "#767676"  # 4.5:1 on white, 4.6:1 on black: labels read on either theme
SHADE = "#26a269"
OPACITY = (0.35, 0.55, 0.78, 1.0)
LEFT, TOP, CELL_W, CELL_H, GAP = 74, 60, 40, 16, 4
RIGHT = 44


def _months(today: Date) -> list[Date]:
    """The first days of the twelve months ending with this one, oldest first."""
    this = today.replace(day=1)
    return [add_months(this, -back) for back in range(11, -1, -1)]


def _week(day: int) -> int:
    return min((day - 1) // 7, 4)


def level(count: int, most: int) -> int:
    """0 for no contact, else 1 to 4 by the share of the busiest week."""
    return 0 if count <= 0 or most <= 0 else max(1, min(4, math.ceil(4 * count / most)))


def contact_calendar(days: Iterable[Date], today: Date) -> str:
    """The SVG for interactions on ``days`` (one entry per interaction) as of ``today``."""
    months = _months(today)
    first = months[0]
    counts: Counter[tuple[int, int, int]] = Counter()
    for day, count in Counter(days).items():  # tens of thousands of interactions, on a few hundred days
        if first <= day <= today:
            counts[day.year, day.month, _week(day.day)] += count
    most = max(counts.values(), default=0)
    total = sum(counts.values())
    width = LEFT + 5 * (CELL_W + GAP) + RIGHT
    height = TOP + 12 * (CELL_H + GAP) + 34
    span = f"{calendar.month_abbr[first.month]} {first.year} – {calendar.month_abbr[today.month]} {today.year}"
    subtitle = f"{span} · {total} interaction{'s' if total != 1 else ''}"
    title = f"Contact calendar, {subtitle}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="title">',
        f'<title id="title">{escape(title)}</title>',
        f'<style>text{{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;font-size:11px;fill:{INK}}}'
        f'.title{{font-size:13px;font-weight:600}}.empty{{fill:none;stroke:{INK};stroke-opacity:.55}}'
        f'.future{{fill:none;stroke:{INK};stroke-opacity:.35;stroke-dasharray:2 2}}</style>',
        '<text class="title" x="0" y="14">Contact calendar</text>',
        f'<text x="0" y="31">{escape(subtitle)}</text>',
    ]
    for column, (start, end) in enumerate(WEEKS):
        x = LEFT + column * (CELL_W + GAP) + CELL_W / 2
        out.append(f'<text x="{x:g}" y="{TOP - 8}" text-anchor="middle">{start}–{end if end < 31 else "end"}</text>')
    for row, month in enumerate(months):
        y = TOP + row * (CELL_H + GAP)
        out.append(f'<text x="0" y="{y + 12}">{calendar.month_abbr[month.month]} {month.year}</text>')
        last_day = calendar.monthrange(month.year, month.month)[1]
        for column, (start, _) in enumerate(WEEKS):
            if start > last_day:
                continue  # February has no 29-end week in most years
            x = LEFT + column * (CELL_W + GAP)
            count = counts[(month.year, month.month, column)]
            when = f"{calendar.month_abbr[month.month]} {month.year}, days {start}–{min(WEEKS[column][1], last_day)}"
            tip = f"<title>{when}: {count} interaction{'s' if count != 1 else ''}</title>"
            box = f'x="{x}" y="{y}" width="{CELL_W}" height="{CELL_H}" rx="3"'
            if month.replace(day=start) > today:
                out.append(f'<rect class="future" {box}>{tip}</rect>')
            elif count:
                shade = OPACITY[level(count, most) - 1]
                out.append(f'<rect {box} fill="{SHADE}" fill-opacity="{shade:g}">{tip}</rect>')
            else:
                out.append(f'<rect class="empty" {box}>{tip}</rect>')
        month_total = sum(counts[(month.year, month.month, column)] for column in range(5))
        out.append(f'<text x="{width - 4}" y="{y + 12}" text-anchor="end">{month_total}</text>')
    legend_y = TOP + 12 * (CELL_H + GAP) + 14
    out.append(f'<text x="0" y="{legend_y + 10}">none</text>')
    out.append(f'<rect class="empty" x="34" y="{legend_y}" width="16" height="12" rx="3"/>')
    out.append(f'<text x="62" y="{legend_y + 10}">less</text>')
    for index, shade in enumerate(OPACITY):
        out.append(f'<rect x="{88 + index * 20}" y="{legend_y}" width="16" height="12" rx="3" '
                   f'fill="{SHADE}" fill-opacity="{shade:g}"/>')
    out.append(f'<text x="{88 + 4 * 20 + 4}" y="{legend_y + 10}">more (busiest week: {most})</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
