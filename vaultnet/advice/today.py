"""``vaultnet today``: one day's slice of the week's plan.

The follow-ups due by that day, its birthdays, its check-ins (placed by
``daily_minutes``, or a fair share of the week's) and the week's short messages.
"""

from __future__ import annotations

from vaultnet.advice.daily import days_left, fair_share
from vaultnet.advice.plan import Plan, PlanItem

# Sections `today` shows whole: short messages that should not wait for another day.
TODAY_SECTIONS = ("reply", "thank-you", "circle-back", "congratulate", "life-events", "nudge")


def today_items(plan: Plan) -> list[PlanItem]:
    """One day's items: follow-ups due by then, its birthdays, its check-ins and the week's short messages.

    Check-ins spread by ``daily_minutes`` are the ones for that day; without the
    setting, the day takes a fair share of the week's check-ins, in priority order.
    """
    day = plan.today
    check_ins = plan.section("check-in")
    if any(item.day for item in check_ins):
        mine = [item for item in check_ins if item.day == day]
    else:
        mine = check_ins[: fair_share(len(check_ins), len(days_left(day, plan.sunday)))]
    chosen = []
    for item in plan.items:
        if item.section == "check-in":
            keep = item in mine
        elif item.section == "follow-ups":
            keep = item.due is not None and item.due <= day
        elif item.section == "birthdays":
            keep = item.due == day
        else:
            keep = item.section in TODAY_SECTIONS
        if keep:
            chosen.append(item)
    return chosen
