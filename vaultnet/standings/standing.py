"""Where each relationship stands as of ``today`` (docs/formats.md, What is worked out)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

from vaultnet.base import vocabulary
from vaultnet.base.dates import Date, next_birthday, week_bounds
from vaultnet.evidence.contacts import Contact
from vaultnet.evidence.model import Interaction, Task
from vaultnet.files.config import Config, TieConfig
from vaultnet.standings.rhythm import NO_RHYTHM, Rhythm, rhythm

Status = Literal["overdue", "due", "never", "ok", "snoozed", "untracked", "paused"]
Band = Literal["strong", "moderate", "weak", "dormant", "none"]
Label = Literal["taking", "one-way", "balanced", "none"]
Starts = Literal["you", "them", "both", "none"]  # who starts your conversations (chats) with someone
STATUSES: tuple[Status, ...] = get_args(Status)
BANDS: tuple[Band, ...] = get_args(Band)
LABELS: tuple[Label, ...] = get_args(Label)
# The same names, in the same order, as vocabulary.py offers the command line without importing the core.
assert (STATUSES, BANDS, LABELS) == (vocabulary.STATUSES, vocabulary.BANDS, vocabulary.LABELS)


@dataclass(frozen=True)
class Reciprocity:
    gave: int = 0
    got: int = 0
    asked: int = 0
    thanked: int = 0
    label: Label = "none"
    thank_you_due: bool = False
    thank_for: Interaction | None = field(default=None, compare=False)  # the latest #got not thanked for yet
    started_by_you: int = 0  # days of personal chat in the last 365 whose first message was yours
    started_by_them: int = 0  # ... and theirs

    ADVICE = {
        "taking": "give before you ask again",
        "one-way": "ask for something small: a real relationship runs both ways",
    }
    # Who starts is a pattern only with some conversations to go by, and only when one side starts nearly all.
    STARTS_AT_LEAST = 6
    STARTS_SHARE = 0.8

    @property
    def advice(self) -> str | None:
        return self.ADVICE.get(self.label)

    @property
    def conversations(self) -> int:
        return self.started_by_you + self.started_by_them

    @property
    def starts(self) -> Starts:
        """``you`` or ``them`` when one side started at least 80 % of six or more conversations; ``both``
        when there were conversations and neither did; ``none`` when there were none."""
        total = self.conversations
        if not total:
            return "none"
        if total >= self.STARTS_AT_LEAST:
            if self.started_by_you >= self.STARTS_SHARE * total:
                return "you"
            if self.started_by_them >= self.STARTS_SHARE * total:
                return "them"
        return "both"


@dataclass(frozen=True)
class Tie:
    intensity: float = 0.0
    embeddedness: int = 0
    band: Band = "none"


@dataclass(slots=True)
class Standing:
    """One contact and everything worked out about them (slotted: one per contact, 10,000 of them)."""

    contact: Contact
    status: Status
    cadence_days: int | None = None
    last_contact: Date | None = None
    last_kind: str | None = None
    due: Date | None = None
    days_overdue: int = 0
    priority: float = 0.0
    next_birthday: Date | None = None
    age: int | None = None  # at next_birthday, when the year is known
    reciprocity: Reciprocity = field(default_factory=Reciprocity)
    tie: Tie = field(default_factory=Tie)
    interactions: list[Interaction] = field(default_factory=list)  # past ones, newest first
    planned: list[Interaction] = field(default_factory=list)  # after today, soonest first
    follow_ups: list[Task] = field(default_factory=list)
    open_loops: list[Task] = field(default_factory=list)
    neighbours: tuple[str, ...] = ()  # paths of embedded contacts, in path order
    rhythm: Rhythm = NO_RHYTHM  # the usual gap between contacts, and drift from it
    index_row: dict[str, Any] | None = field(default=None, repr=False, compare=False)  # kept by render.index_row

    @property
    def name(self) -> str:
        return self.contact.name


def window_start(today: Date, days: int) -> Date:
    """The first day of the window of ``days`` that ends ``today`` (see :func:`within`)."""
    return today - dt.timedelta(days=days)


def within(date: Date, today: Date, days: int) -> bool:
    """``today - days <= date <= today``: every window includes both ends."""
    return window_start(today, days) <= date <= today


def reciprocity(path: str, interactions: Iterable[Interaction], today: Date) -> Reciprocity:
    counts = {"gave": 0, "got": 0, "asked": 0, "thanked": 0}
    got: list[Interaction] = []
    thanked_dates: list[Date] = []
    started = {"you": 0, "them": 0}  # a day of personal chat is a conversation, started by who wrote first
    year_ago = window_start(today, 365)  # `within(date, today, 365)`, its start worked out once, not for each item
    for item in interactions:
        if not year_ago <= item.date <= today:
            continue
        if item.chat is not None and not item.chat.group:
            started[item.chat.first] += 1
        if path not in item.exchanges_for:
            continue
        for exchange in item.exchanges:
            counts[exchange] += 1
        if "got" in item.exchanges:
            got.append(item)
        if "thanked" in item.exchanges:
            thanked_dates.append(item.date)
    gave, asked = counts["gave"], counts["asked"]
    label: Label
    if counts["got"] + asked >= gave + 2:
        label = "taking"
    elif gave >= 3 and counts["got"] + asked == 0:
        label = "one-way"
    elif any(counts.values()):
        label = "balanced"
    else:
        label = "none"
    recent_got = [item for item in got if within(item.date, today, 30)]
    latest = max(recent_got, key=lambda i: (i.date, i.path, i.line or 0), default=None)
    if latest is not None and any(date >= latest.date for date in thanked_dates):
        latest = None
    return Reciprocity(gave, counts["got"], asked, counts["thanked"], label, latest is not None, latest,
                       started["you"], started["them"])


GROUP_CHAT_WEIGHT = 0.25  # a day you both wrote in a group chat is weaker contact than one of your own


def tie(interactions: Sequence[Interaction], neighbours: int, today: Date, config: TieConfig) -> Tie:
    if not interactions:
        return Tie(0.0, neighbours, "none")
    band: Band
    intensity = sum(0.5 ** ((today - item.date).days / config.half_life_days)
                    * (GROUP_CHAT_WEIGHT if item.chat is not None and item.chat.group else 1.0) for item in interactions)
    if intensity >= config.strong:
        band = "strong"
    elif intensity >= config.moderate:
        band = "moderate"
    elif intensity > config.weak:
        band = "weak"
    else:
        band = "dormant"
    return Tie(intensity, neighbours, band)


def last_kind(interactions: Sequence[Interaction], day: Date) -> str:
    """On the last-contact day, a kind other than ``note`` wins."""
    kinds = [item.kind for item in interactions if item.date == day]
    return next((kind for kind in kinds if kind != "note"), "note")


def assess(
    contact: Contact,
    interactions: Sequence[Interaction],
    follow_ups: Sequence[Task],
    open_loops: Sequence[Task],
    neighbours: tuple[str, ...],
    config: Config,
    today: Date,
) -> Standing:
    """Work out one contact's standing from the interactions that involve them."""
    ordered = sorted(interactions, key=lambda i: (i.date, i.path, i.line or 0))
    past = [item for item in ordered if item.date <= today]
    standing = Standing(
        contact=contact,
        status="ok",
        interactions=past[::-1],
        planned=[item for item in ordered if item.date > today],
        follow_ups=sorted(follow_ups, key=lambda t: (t.due or today, t.path, t.line)),
        open_loops=sorted(open_loops, key=lambda t: (t.path, t.line)),
        neighbours=neighbours,
        reciprocity=reciprocity(contact.path, past, today),
        tie=tie(past, len(neighbours), today, config.tie),
        rhythm=rhythm([item.date for item in past], today, contact.paused),
    )
    if past:
        standing.last_contact = past[-1].date
        standing.last_kind = last_kind(past, past[-1].date)
    if contact.birthday:
        standing.next_birthday = next_birthday(contact.birthday, today)
        if contact.birthday.year:
            standing.age = standing.next_birthday.year - contact.birthday.year
    cadence = contact.cadence
    if cadence is not None:
        standing.cadence_days = cadence.days
        weight = config.circle_weight(contact.circle)
        if standing.last_contact is None:
            standing.priority = weight
        else:
            standing.due = cadence.after(standing.last_contact)
            elapsed = (today - standing.last_contact).days
            standing.priority = elapsed / max(cadence.days, 1) * weight
    standing.status = _status(contact, standing, today)
    if standing.status == "overdue" and standing.due:
        standing.days_overdue = (today - standing.due).days
    return standing


def _status(contact: Contact, standing: Standing, today: Date) -> Status:
    if contact.paused:
        return "paused"
    if contact.snooze_until and contact.snooze_until > today:
        return "snoozed"
    if contact.cadence is None:
        return "untracked"
    if standing.due is None:
        return "never"
    if standing.due < today:
        return "overdue"
    if standing.due <= week_bounds(today)[1]:
        return "due"
    return "ok"
