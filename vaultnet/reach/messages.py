"""What a notification says, as data, and its body as text or markdown.

The day's slice is the items ``vaultnet today`` lists (follow-ups due by today,
today's birthdays, today's check-ins, the short messages that should not
wait); the weekly digest is the whole week's plan, section by section. Each
person links to their note when the vault is an Obsidian vault. The plan
items are taken as data (:class:`~vaultnet.advice.plan.PlanItem`), never read
back from the rendered plan note.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from vaultnet.advice.plan import Plan, PlanItem
from vaultnet.advice.today import today_items
from vaultnet.base.dates import Date
from vaultnet.base.sections import SECTIONS
from vaultnet.files.config import Config
from vaultnet.files.generated import index_rel
from vaultnet.reach.links import note_uri
from vaultnet.standings.network import Network

Kind = Literal["daily", "weekly"]  # what is sent at set times; a test message is neither


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    link: str | None  # obsidian://open?... or None outside Obsidian


@dataclass(frozen=True, slots=True)
class Entry:
    people: tuple[Person, ...]
    text: str  # the plan item's reason


@dataclass(frozen=True, slots=True)
class Group:
    title: str  # the plan section's heading
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class Message:
    """One notification. ``id`` is stable (``daily-2026-11-21``, ``weekly-2026-W47``): it is what the record keeps."""

    id: str
    kind: Kind | Literal["test"]
    title: str
    summary: str
    groups: tuple[Group, ...] = ()
    day: Date | None = None  # the day a daily slice is for; a weekly digest's Monday

    @property
    def empty(self) -> bool:
        return not self.groups


def daily_id(day: Date) -> str:
    return f"daily-{day.isoformat()}"


def weekly_id(week: str) -> str:
    return f"weekly-{week}"


def _paths(network: Network) -> dict[str, str]:
    """Each contact's note by name; two notes of one name: the shortest path, as Obsidian resolves a bare link."""
    paths: dict[str, str] = {}
    for standing in sorted(network.standings, key=lambda s: (len(s.contact.path), s.contact.path)):
        paths.setdefault(standing.name, standing.contact.path)
    return paths


def _groups(items: Iterable[PlanItem], paths: Mapping[str, str], vault: str | None) -> tuple[Group, ...]:
    """The items by plan section, in the plan's order."""
    items = list(items)
    groups = []
    for section in SECTIONS:
        entries = tuple(
            Entry(tuple(Person(name, note_uri(vault, paths[name]) if vault and name in paths else None)
                        for name in item.people), item.text)
            for item in items if item.section == section.id
        )
        if entries:
            groups.append(Group(section.title, entries))
    return tuple(groups)


def _summary(groups: tuple[Group, ...]) -> str:
    """``Follow-ups 2 · Check in 3``: how much there is, by section."""
    return " · ".join(f"{group.title} {len(group.entries)}" for group in groups)


def daily_message(plan: Plan, network: Network, vault: str | None) -> Message:
    """The day's slice of the plan: what ``vaultnet today`` lists for ``plan.today``."""
    day = plan.today
    groups = _groups(today_items(plan), _paths(network), vault)
    return Message(daily_id(day), "daily", f"vaultnet: {day:%A} {day.isoformat()}", _summary(groups), groups, day)


def weekly_message(plan: Plan, network: Network, vault: str | None) -> Message:
    """The week's plan, every section, as the digest sent once a week."""
    groups = _groups(plan.items, _paths(network), vault)
    summary = _summary(groups) + (f" (check-ins {plan.used_minutes} of {plan.budget_minutes} min)" if groups else "")
    return Message(weekly_id(plan.week), "weekly", f"vaultnet: week {plan.week}", summary, groups, plan.monday)


def trial_message(config: Config, vault: str | None) -> Message:
    """A message that says where notifications will come from, with a link to the index note to try."""
    rel = index_rel(config)
    link = note_uri(vault, rel) if vault else None
    hint = ("tap the link to check that it opens the note" if link
            else "no link: the vault has no Obsidian config folder ([notify] obsidian_vault names the vault)")
    return Message("test", "test", "vaultnet: test notification",
                   f"Notifications for the vault {config.root.name} will arrive here.",
                   (Group("Links", (Entry((Person(rel, link),), hint),)),))


def render(message: Message, fmt: str = "text") -> str:
    """The body: a summary line, then each section's items (``text``: a link on its own line; ``markdown``: linked names)."""
    lines = [message.summary] if message.summary else []
    for group in message.groups:
        lines.append("")
        lines.append(f"**{group.title}**" if fmt == "markdown" else group.title)
        for entry in group.entries:
            if fmt == "markdown":
                names = " and ".join(f"[{p.name}]({p.link})" if p.link else p.name for p in entry.people)
                lines.append(f"- {names} — {entry.text}")
            else:
                lines.append(f"• {' and '.join(p.name for p in entry.people)} — {entry.text}")
                lines.extend(f"  {p.link}" for p in entry.people if p.link)
    return "\n".join(lines).strip("\n") + "\n"

