"""The weekly plan: which actions go into this week's note (spec section 6)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from . import circleback, daily, deepen, goals, intros, nudge, reconnect, rolechanges
from .coming import birthdays_between, coming_up
from .dates import Date, iso_week, week_bounds
from .insights import Standing
from .network import Network
from .rhythm import with_drifting

# (id used in JSON, heading in the note)
SECTIONS = (
    ("follow-ups", "Follow-ups"),
    ("birthdays", "Birthdays"),
    ("check-in", "Check in"),
    ("thank-you", "Say thank you"),
    ("circle-back", "Circle back"),
    ("congratulate", "Congratulate"),
    ("nudge", "Nudge"),
    ("reconnect", "Reconnect"),
    ("introduce", "Introduce"),
    ("reciprocity", "Reciprocity"),
    ("coming-up", "Coming up"),
)
CHECK_IN_STATUSES = ("overdue", "due", "never")
_MINUTES = re.compile(r"(\d+) min\b")


@dataclass(frozen=True)
class PlanItem:
    section: str
    people: tuple[str, ...]  # contact names
    text: str  # the reason, plain text (no links, no tags)
    key: str  # block id without ^, starts with vn-
    due: Date | None = None
    tags: tuple[str, ...] = ()  # what ticking the item must record, e.g. ("thanked",)
    task: bool = True  # reciprocity advice is a plain list item
    day: Date | None = None  # with [plan] daily_minutes: the day a check-in is for


@dataclass
class Plan:
    week: str
    monday: Date
    sunday: Date
    today: Date
    budget_minutes: int
    used_minutes: int = 0  # by ticked and planned check-ins
    lookahead_days: int = 14  # how far "Coming up" looks after this week
    items: list[PlanItem] = field(default_factory=list)

    def section(self, name: str) -> list[PlanItem]:
        return [item for item in self.items if item.section == name]


def item_key(section: str, *parts: object) -> str:
    """A block id that stays the same for the same action, whatever else changes."""
    digest = hashlib.sha1("\x1f".join([section, *map(str, parts)]).encode("utf-8")).hexdigest()
    return f"vn-{digest[:8]}"


def ticked_minutes(ticked_check_ins: list[str]) -> int:
    """Minutes of check-in lines already ticked this week, read from their text."""
    return sum(int(match.group(1)) for line in ticked_check_ins if (match := _MINUTES.search(line)))


def build_plan(
    network: Network, today: Date, ticked_check_ins: list[str] | None = None, memory: rolechanges.Memory | None = None
) -> Plan:
    """Work out this week's actions for the ISO week holding ``today``.

    ``memory`` is what vaultnet remembers of company and role changes.
    """
    monday, sunday = week_bounds(today)
    config = network.config
    plan = Plan(iso_week(today), monday, sunday, today, config.plan.budget_minutes,
                lookahead_days=config.plan.lookahead_days)
    plan.used_minutes = ticked_minutes(ticked_check_ins or [])
    active = [s for s in network.standings if s.status not in ("paused", "snoozed")]
    active_paths = {s.contact.path for s in active}

    # 1. Follow-ups due by the end of the week, overdue first.
    seen: set[tuple[str, int]] = set()
    follow_ups = []
    for task in network.evidence.follow_ups:
        people = tuple(p for p in task.people if p in active_paths)
        if task.due and task.due <= sunday and people and (task.path, task.line) not in seen:
            seen.add((task.path, task.line))
            follow_ups.append((task, people))
    follow_ups.sort(key=lambda pair: (pair[0].due, pair[0].path, pair[0].line))
    for task, people in follow_ups:
        late = f", {(today - task.due).days} days overdue" if task.due < today else ""
        plan.items.append(PlanItem(
            "follow-ups", tuple(network.names(people)), f"{task.text} (due {_day(task.due)}{late})",
            item_key("follow-ups", task.path, task.text, task.due), task.due,
        ))

    # 2. Birthdays this week, past days included.
    for day, standing in birthdays_between(active, monday, sunday):
        year = standing.contact.birthday.year if standing.contact.birthday else None
        age = f" (turns {day.year - year})" if year else ""
        plan.items.append(PlanItem(
            "birthdays", (standing.name,), f"birthday {_day(day)}{age}",
            item_key("birthdays", standing.contact.path, day), day,
        ))

    # 3. Check-ins by priority within the week's time budget.
    candidates = [s for s in active if s.status in CHECK_IN_STATUSES or s.rhythm.drifting]
    candidates.sort(key=lambda s: (-s.priority, s.name.casefold(), s.contact.path))
    costs = [(s, config.plan.minutes.get(s.last_kind, config.plan.default_minutes) if s.last_kind
              else config.plan.default_minutes) for s in with_drifting(candidates)]
    placed: list[tuple[Standing, int, Date | None]]
    if config.plan.daily_minutes is not None:
        days = daily.days_left(today, sunday)
        plan.budget_minutes = config.plan.daily_minutes * len(days)
        plan.used_minutes = daily.minutes_done_on(ticked_check_ins or [], today)  # earlier days are over
        spread = daily.spread(costs, days, config.plan.daily_minutes, plan.used_minutes)
        placed = [(s, minutes, when) for s, minutes, when in sorted(spread, key=lambda p: p[2])]
    else:
        placed = []
        planned_minutes = plan.used_minutes
        for standing, minutes in costs:
            if planned_minutes + minutes <= plan.budget_minutes:
                planned_minutes += minutes
                placed.append((standing, minutes, None))
    for standing, minutes, when in placed:
        plan.used_minutes += minutes
        plan.items.append(PlanItem(
            "check-in", (standing.name,), _check_in_text(standing, minutes),
            item_key("check-in", standing.contact.path, plan.week), standing.due, day=when,
        ))

    # 4. Thank-yous: ticking one records #thanked.
    for standing in active:
        if standing.reciprocity.thank_you_due:
            got = next(i for i in standing.interactions if "got" in i.exchanges and standing.contact.path in i.exchanges_for)
            plan.items.append(PlanItem(
                "thank-you", (standing.name,), f"say thank you for: {got.text or got.kind} ({_day(got.date)})",
                item_key("thank-you", standing.contact.path, got.date), got.date, ("thanked",),
            ))

    # 4b. Circle back with what came of their help; congratulate; nudge unanswered outreaches.
    for back in circleback.circle_backs(active, today, config.plan.circle_back_days):
        plan.items.append(PlanItem(
            "circle-back", (back.standing.name,), back.text(),
            item_key("circle-back", back.standing.contact.path, back.got.date), back.got.date,
        ))
    for note in rolechanges.congratulations(memory, active, today):
        plan.items.append(PlanItem(
            "congratulate", (note.standing.name,), note.text(),
            item_key("congratulate", note.standing.contact.path, *sorted((c.field, c.new) for c in note.changes)), note.seen,
        ))
    for again in nudge.nudges(active, today, config.plan.nudge_days):
        plan.items.append(PlanItem(
            "nudge", (again.standing.name,), again.text(),
            item_key("nudge", again.standing.contact.path, again.outreach.date, again.number), again.due, (nudge.WAITING_TAG,),
        ))

    # 5. Moderately weak ties to revive, unless already in this week's plan; gateways to your goals first.
    planned = {name for item in plan.items for name in item.people}
    ranked = goals.rank(reconnect.candidates(network, today, planned), lambda c: (c.standing.contact,), config.goals)
    for candidate, why in ranked[: config.plan.reconnect]:
        standing = candidate.standing
        plan.items.append(PlanItem(
            "reconnect", (standing.name,), goals.with_reasons(candidate.reason(), why),
            item_key("reconnect", standing.contact.path, plan.week), standing.last_contact,
        ))

    # 6. Introductions: ticking one records the #intro with both people.
    pairs = goals.rank(intros.suggest(network), lambda i: (i.first.contact, i.second.contact), config.goals)
    for intro, why in pairs[: config.plan.introductions]:
        plan.items.append(PlanItem(
            "introduce", intro.names, goals.with_reasons("; ".join(intro.reasons), why),
            item_key("introduce", intro.first.contact.path, intro.second.contact.path), None, ("intro",),
        ))

    # 7. Reciprocity advice for people you are in touch with.
    for standing in active:
        rec = standing.reciprocity
        recent = standing.last_contact is not None and (today - standing.last_contact).days <= 90
        if rec.advice and recent:
            plan.items.append(PlanItem(
                "reciprocity", (standing.name,),
                f"{rec.label} (gave {rec.gave}, got {rec.got}, asked {rec.asked}): {rec.advice}",
                item_key("reciprocity", standing.contact.path, rec.label), None, (), task=False,
            ))
    # 8. Birthdays and dated follow-ups in the days after this week: to see coming, not to do yet.
    for upcoming in coming_up(network, sunday, config.plan.lookahead_days):
        plan.items.append(PlanItem("coming-up", tuple(network.names(upcoming.people)), upcoming.text,
                                   item_key("coming-up", *upcoming.identity), upcoming.day, (), task=False))
    order = {name: index for index, (name, _) in enumerate(SECTIONS)}
    plan.items.sort(key=lambda item: order[item.section])  # stable: keeps each section's order
    return plan


def _day(date: Date) -> str:
    return f"{date:%a} {date.isoformat()}"


def _check_in_text(standing: Standing, minutes: int) -> str:
    if standing.status == "overdue":
        when = f"overdue by {standing.days_overdue} days"
    elif standing.rhythm.drifting:
        when = standing.rhythm.describe()
    elif standing.status == "due":
        when = f"due {_day(standing.due)}" if standing.due else "due"
    else:
        when = "no contact yet"
    way = f"{standing.last_kind}, " if standing.last_kind and standing.last_kind != "note" else ""
    text = f"{when} · {way}{minutes} min"
    prompt = deepen.check_in_prompt(standing)
    last = next((i for i in standing.interactions if i.text and i.text != "last_contact"), None)
    if last is not None:
        text = f"{text} · last time ({last.date.isoformat()}): {last.text}"
    elif standing.contact.goals:
        text = f"{text} · ask about: {standing.contact.goals[0]}"
    return f"{text} · {prompt}" if prompt else text


def week_reference(today: Date, week_monday: Date | None) -> Date:
    """The day a plan for ``week_monday`` is worked out on: today in this week, else that Monday."""
    if week_monday is None or week_bounds(today)[0] == week_monday:
        return today
    return week_monday

