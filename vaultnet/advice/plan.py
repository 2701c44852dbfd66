"""The weekly plan: which actions go into this week's note (docs/formats.md, Generated notes)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from vaultnet.advice import circleback, daily, dates, deepen, goals, intros, lifeevents, nudge, reconnect, rolechanges
from vaultnet.advice.perstanding import PerStanding, every
from vaultnet.advice.reciprocity import advice_line
from vaultnet.advice.reply import Waiting, replies, reply_key, waiting
from vaultnet.base.dates import Date, day_label, iso_week, week_bounds
from vaultnet.base.sections import SECTIONS, SectionId, item_key
from vaultnet.evidence.model import Interaction, Task, follow_up_id
from vaultnet.files.config import Config
from vaultnet.standings.network import Network
from vaultnet.standings.rhythm import with_drifting
from vaultnet.standings.standing import Standing

__all__ = ["SECTIONS", "Plan", "PlanItem", "PlanMemo", "build_plan", "item_key", "ticked_minutes", "week_reference"]

CHECK_IN_STATUSES = ("overdue", "due", "never")
T = TypeVar("T")


@dataclass(frozen=True)
class PlanItem:
    section: SectionId
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
    untracked: int = 0  # contacts with no circle or cadence: never due, so never checked in with

    def section(self, name: SectionId) -> list[PlanItem]:
        return [item for item in self.items if item.section == name]


class PlanMemo:
    """What the last plan worked out, for a long-lived session's next one to reuse.

    An incremental assembly keeps the very ``Standing`` objects of the contacts
    an edit cannot change, so what depends on one standing alone (its planned
    kind, whether to circle back, its thank-you) is kept by that object's identity
    (:class:`~vaultnet.advice.perstanding.PerStanding`), the introductions'
    phrases by what they are worked out from, and the companies and roles seen
    (:class:`~vaultnet.advice.rolechanges.Observer`) by the contact objects. One
    edit then works out these again for the few standings it changed, not ten
    thousand.
    """

    def __init__(self) -> None:
        self.phrases = intros.PhraseMemo()
        self.each = PerStanding()
        self.observe = rolechanges.Observer()  # the memory of companies and roles the plan congratulates from

    def done(self) -> None:
        """Keep only what this plan used."""
        self.each.done()


def _found(values: Iterable[T | None]) -> list[T]:
    return [value for value in values if value is not None]


def kind_minutes(config: Config, kind: str | None) -> int:
    """What a check-in of this kind costs in the week's budget."""
    return config.plan.minutes.get(kind, config.plan.default_minutes) if kind else config.plan.default_minutes


def ticked_minutes(network: Network, plan_rel: str, on: Date | None = None) -> int:
    """Minutes of the check-ins already ticked in this week's plan (done ``on`` that day, if given),
    worked out again from their kinds."""
    return sum(kind_minutes(network.config, tick.kind) for tick in network.evidence.interactions
               if tick.source == "plan" and tick.path == plan_rel and tick.section == "check-in"
               and (on is None or tick.date == on))


def planned_kind(standing: Standing) -> str | None:
    """The kind of contact to plan: the last one, looking past ticks and dates that say no kind."""
    told = [i for i in standing.interactions if i.own_words or i.kind != "note"]
    if not told:
        return None
    day = told[0].date
    return next((i.kind for i in told if i.date == day and i.kind != "note"), "note")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def build_plan(
    network: Network, today: Date, plan_rel: str | None = None, memory: rolechanges.Memory | None = None,
    memo: PlanMemo | None = None,
) -> Plan:
    """Work out this week's actions for the ISO week holding ``today``.

    ``plan_rel`` is this week's plan note: the check-ins ticked there count against the budget.
    ``memory`` is what vaultnet remembers of company and role changes.
    ``memo``: what a long-lived session's last plan worked out (see :class:`PlanMemo`).
    """
    monday, sunday = week_bounds(today)
    config = network.config
    each = memo.each if memo is not None else every
    plan = Plan(iso_week(today), monday, sunday, today, config.plan.budget_minutes,
                lookahead_days=config.plan.lookahead_days,
                untracked=sum(1 for s in network.standings if s.status == "untracked"))
    plan.used_minutes = ticked_minutes(network, plan_rel) if plan_rel else 0
    active = [s for s in network.standings if s.status not in ("paused", "snoozed")]
    active_paths = {s.contact.path for s in active}

    # 1. Follow-ups due by the end of the week, overdue first.
    seen: set[tuple[str, int]] = set()
    follow_ups: list[tuple[Task, Date, tuple[str, ...]]] = []
    for task in network.evidence.follow_ups:
        if not (task.due and task.due <= sunday):
            continue
        people = tuple(p for p in task.people if p in active_paths)
        if follow_up_key(task) in network.evidence.ticked:
            continue  # ticked in a plan: done, even before its source note says so
        if people and (task.path, task.line) not in seen:
            seen.add((task.path, task.line))
            follow_ups.append((task, task.due, people))
    follow_ups.sort(key=lambda entry: (entry[1], entry[0].path, entry[0].line))
    for task, due, people in follow_ups:
        # A date, not "3 days overdue": the plan changes when the vault does, not at every midnight.
        said = "was due" if due < today else "due"
        plan.items.append(PlanItem(
            "follow-ups", tuple(network.names(people)), f"{task.text} ({said} {day_label(due)})",
            follow_up_key(task), due,
        ))

    # 1b. People waiting for your answer in a chat; ticking the item records that you wrote.
    def replied(message: Waiting) -> bool:
        return reply_key(message) in network.evidence.ticked

    waiting_now = _found(each(("reply",), active, waiting))
    for message in replies(waiting_now, today, config.plan.reply_days, replied):
        plan.items.append(PlanItem("reply", (message.standing.name,), message.text(), reply_key(message),
                                   message.since, ("message",) if "message" in config.kinds else ()))

    # 2. Birthdays and the other dates that matter this week, past days included.
    for dated in dates.this_week(network, active, monday, sunday, each):
        plan.items.append(PlanItem(
            "birthdays", tuple(network.names(dated.people)), dated.text, item_key("birthdays", *dated.identity), dated.day,
        ))

    # 3. Check-ins by priority within the week's time budget.
    candidates = [s for s in active if s.status in CHECK_IN_STATUSES or s.rhythm.drifting]
    by_priority = each(("check-in order",), candidates, lambda s: (-s.priority, s.name.casefold(), s.contact.path))
    candidates = [candidates[i] for i in sorted(range(len(candidates)), key=by_priority.__getitem__)]
    candidates = with_drifting(candidates)
    costs = [(s, kind_minutes(config, kind), kind)
             for s, kind in zip(candidates, each(("kind",), candidates, planned_kind), strict=True)]
    placed: list[tuple[Standing, int, str | None, Date | None]]
    if config.plan.daily_minutes is not None:
        days = daily.days_left(today, sunday)
        plan.budget_minutes = config.plan.daily_minutes * len(days)
        # Earlier days are over: only today's ticks use today's time.
        plan.used_minutes = ticked_minutes(network, plan_rel, today) if plan_rel else 0
        spread = daily.spread([(s, minutes) for s, minutes, _ in costs], days, config.plan.daily_minutes,
                              plan.used_minutes)
        kinds = {id(s): kind for s, _, kind in costs}
        placed = [(s, minutes, kinds[id(s)], when) for s, minutes, when in sorted(spread, key=lambda p: p[2])]
    else:
        placed = []
        planned_minutes = plan.used_minutes
        for standing, minutes, kind in costs:
            if planned_minutes + minutes <= plan.budget_minutes:
                planned_minutes += minutes
                placed.append((standing, minutes, kind, None))
    for standing, minutes, kind, when in placed:
        plan.used_minutes += minutes
        # The kind rides on the line as a tag, so that ticking it records that kind.
        tags = (kind,) if kind in config.kinds else ()
        plan.items.append(PlanItem(
            "check-in", (standing.name,), _check_in_text(standing, kind, minutes),
            item_key("check-in", standing.contact.path, plan.week), standing.due, tags, day=when,
        ))

    # 4. Thank-yous: ticking one records #thanked.
    plan.items.extend(_found(each(("thank-you",), active, _thank_you)))

    # 4b. Circle back with what came of their help; congratulate; nudge unanswered outreaches.
    back_days = config.plan.circle_back_days
    backs = _found(each(("circle-back", today, back_days), active,
                         lambda standing: circleback.due(standing, today, back_days)))
    for back in circleback.oldest_first(backs):
        plan.items.append(PlanItem(
            "circle-back", (back.standing.name,), back.text(),
            item_key("circle-back", back.standing.contact.path, back.got.date), back.got.date,
        ))
    for note in rolechanges.congratulations(memory, active, today):
        plan.items.append(PlanItem(
            "congratulate", (note.standing.name,), note.text(),
            item_key("congratulate", note.standing.contact.path, *sorted((c.field, c.new) for c in note.changes)), note.seen,
        ))
    def ticked(check_in: lifeevents.CheckIn) -> bool:
        return item_key("life-events", *check_in.identity) in network.evidence.ticked

    for care in lifeevents.check_ins(network, active, today, sunday, config.events, ticked,
                                     rolechanges.new_jobs(memory, today), each):
        plan.items.append(PlanItem(
            "life-events", (care.standing.name,), care.text(), item_key("life-events", *care.identity), care.due,
        ))
    nudge_days = config.plan.nudge_days
    for again in nudge.soonest_first(_found(each(("nudge", today, nudge_days), active,
                                                  lambda standing: nudge.due(standing, today, nudge_days)))):
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
    favoured = goals.gateway_paths(network.standings, config.goals)
    found = intros.suggest(network, limit=config.plan.introductions, favoured=favoured,
                           memo=memo.phrases if memo is not None else None)
    for intro, why in goals.rank(found, lambda i: (i.first.contact, i.second.contact), config.goals):
        plan.items.append(PlanItem(
            "introduce", intro.names, goals.with_reasons("; ".join(intro.reasons), why),
            item_key("introduce", intro.first.contact.path, intro.second.contact.path), None, ("intro",),
        ))

    # 7. Reciprocity advice for people you are in touch with: what you gave and got, who starts.
    plan.items.extend(_found(each(("reciprocity", today), active,
                                   lambda standing: _reciprocity(standing, today))))
    # 8. Birthdays, other dates and dated follow-ups in the days after this week: to see coming, not to do yet.
    for upcoming in dates.coming_up(network, sunday, config.plan.lookahead_days, each):
        plan.items.append(PlanItem("coming-up", tuple(network.names(upcoming.people)), upcoming.text,
                                   item_key("coming-up", *upcoming.identity), upcoming.day, (), task=False))
    order = {section.id: index for index, section in enumerate(SECTIONS)}
    plan.items.sort(key=lambda item: order[item.section])  # stable: keeps each section's order
    if memo is not None:
        memo.done()
    return plan


def _thank_you(standing: Standing) -> PlanItem | None:
    got = standing.reciprocity.thank_for
    if got is None:
        return None
    return PlanItem("thank-you", (standing.name,), f"say thank you for: {got.text or got.kind} ({day_label(got.date)})",
                    item_key("thank-you", standing.contact.path, got.date), got.date, ("thanked",))


def _reciprocity(standing: Standing, today: Date) -> PlanItem | None:
    advice = advice_line(standing, today)
    if advice is None:
        return None
    text, about = advice
    return PlanItem("reciprocity", (standing.name,), text, item_key("reciprocity", standing.contact.path, about), None,
                    (), task=False)


def follow_up_key(task: Task) -> str:
    """The block id of the plan item for a follow-up: the same in every week's plan."""
    assert task.due is not None, "a follow-up has a due date"
    return follow_up_id(task.path, task.text, task.due)


def last_own_words(standing: Standing) -> Interaction | None:
    """The last interaction told in the user's own words (never a tick's label or a bare date)."""
    return next((i for i in standing.interactions if i.own_words and i.text), None)


def _check_in_text(standing: Standing, kind: str | None, minutes: int) -> str:
    # Dates, not "overdue by 52 days" or "quiet for 35": the plan's text changes when the vault
    # does, not at every midnight, so a plan is not rewritten (and synced, and fought over) daily.
    if standing.status == "overdue" and standing.due is not None:
        when = f"was due {day_label(standing.due)}"
    elif standing.status == "overdue":
        when = "overdue"
    elif standing.rhythm.drifting and standing.last_contact is not None:
        when = f"usually every {standing.rhythm.usual_gap_days} days, quiet since {standing.last_contact.isoformat()}"
    elif standing.rhythm.drifting:
        when = standing.rhythm.describe()
    elif standing.status == "due":
        when = f"due {day_label(standing.due)}" if standing.due else "due"
    else:
        when = "no contact yet"
    way = f"{kind}, " if kind and kind != "note" else ""
    text = f"{when} · {way}{minutes} min"
    prompt = deepen.check_in_prompt(standing)
    last = last_own_words(standing)
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

