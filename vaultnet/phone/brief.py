"""What a person wants to see before answering a call: the brief on the card and in the reminders.

Last contact and what it was about, what you owe them (a thank-you, the
follow-ups you promised), their goals, and when you plan to be in touch next.
Every date in it is a date, never "3 days ago", so the brief changes only when
one of these facts does, and a sync with nothing new rewrites no card.
"""

from __future__ import annotations

from collections.abc import Iterable

from vaultnet.advice.plan import Plan
from vaultnet.base.dates import Date, day_label
from vaultnet.base.sections import item_key
from vaultnet.standings.standing import Standing

MAX_FOLLOW_UPS = 3
MAX_TEXT = 160  # characters of one line's text: a phone shows the note in a small box


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1].rstrip() + "…"


def brief(standing: Standing | None, check_in: Date | None = None) -> str:
    """The brief, one fact a line; ``check_in`` is the day this week's plan has a check-in with them."""
    if standing is None:
        return "New in the vault: no contact recorded yet."
    contact = standing.contact
    lines = []
    last = standing.interactions[0] if standing.interactions else None
    if last is not None:
        about = f": {_short(last.text)}" if last.text else ""
        lines.append(f"Last contact {last.date.isoformat()} ({last.kind}){about}")
    elif standing.last_contact is not None:
        lines.append(f"Last contact {standing.last_contact.isoformat()}")
    else:
        lines.append("No contact recorded yet.")
    got = standing.reciprocity.thank_for
    if standing.reciprocity.thank_you_due and got is not None:
        what = f" for {_short(got.text)}" if got.text else ""
        lines.append(f"You owe them a thank-you{what} ({got.date.isoformat()}).")
    for task in standing.follow_ups[:MAX_FOLLOW_UPS]:
        due = f" (due {task.due.isoformat()})" if task.due else ""
        lines.append(f"Follow-up: {_short(task.text)}{due}")
    if len(standing.follow_ups) > MAX_FOLLOW_UPS:
        lines.append(f"… and {len(standing.follow_ups) - MAX_FOLLOW_UPS} more follow-ups")
    if contact.goals:
        lines.append(f"Goals: {_short('; '.join(contact.goals))}")
    lines.append(_next(standing, check_in))
    return "\n".join(line for line in lines if line)


def _next(standing: Standing, check_in: Date | None) -> str:
    """When you plan to be in touch next: a planned meeting, this week's check-in, or when it is due."""
    every = f" (every {standing.cadence_days} days)" if standing.cadence_days else ""
    if standing.planned:
        meeting = standing.planned[0]
        about = f": {_short(meeting.text)}" if meeting.text else ""
        return f"Next: {meeting.date.isoformat()} ({meeting.kind}){about}"
    if check_in is not None:
        return f"Next: a check-in planned for {day_label(check_in)}{every}"
    if standing.contact.paused:
        return "Paused: no check-ins."
    if standing.status == "snoozed" and standing.contact.snooze_until:
        return f"Snoozed until {standing.contact.snooze_until.isoformat()}"
    if standing.due is not None:
        return f"Next: due {standing.due.isoformat()}{every}"
    if standing.cadence_days:
        return f"Next: as soon as you can{every}"
    return ""


def check_in_days(plan: Plan, standings: Iterable[Standing]) -> dict[str, tuple[Date, str]]:
    """Contact path → the day of this week's check-in with them and the plan's reason for it.

    The day is the one the plan gives it (``[plan] daily_minutes``), else the day
    it is due, Monday for anyone due before the week began.
    """
    by_key = {item_key("check-in", s.contact.path, plan.week): s.contact.path for s in standings}
    days = {}
    for item in plan.section("check-in"):
        path = by_key.get(item.key)
        if path is not None:
            due = item.day or item.due or plan.monday
            days[path] = (min(max(due, plan.monday), plan.sunday), item.text)
    return days
