"""The JSON interface of ``status`` and ``show`` (docs/formats.md, JSON): field names are fixed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from vaultnet.advice.goals import reasons
from vaultnet.advice.intros import Introduction
from vaultnet.advice.plan import Plan, PlanItem
from vaultnet.base.dates import Date
from vaultnet.evidence.model import Interaction, Task
from vaultnet.output.people import people_json
from vaultnet.standings.network import Network
from vaultnet.standings.standing import Standing


def iso(date: Date | None) -> str | None:
    return date.isoformat() if date else None


def task_json(task: Task) -> dict[str, Any]:
    return {"text": task.text, "due": iso(task.due), "path": task.path, "line": task.line}


def contact_json(standing: Standing) -> dict[str, Any]:
    contact = standing.contact
    rec, tie = standing.reciprocity, standing.tie
    return {
        "name": contact.name,
        "path": contact.path,
        "aliases": list(contact.aliases),
        "circle": contact.circle,
        "cadence_days": standing.cadence_days,
        "last_contact": iso(standing.last_contact),
        "last_kind": standing.last_kind,
        "due": iso(standing.due),
        "status": standing.status,
        "days_overdue": standing.days_overdue,
        "snooze_until": iso(contact.snooze_until),
        "next_birthday": iso(standing.next_birthday),
        "reciprocity": {
            "gave": rec.gave, "got": rec.got, "asked": rec.asked, "thanked": rec.thanked,
            "label": rec.label, "thank_you_due": rec.thank_you_due,
        },
        "tie": {"intensity": round(tie.intensity, 3), "embeddedness": tie.embeddedness, "band": tie.band},
        "follow_ups": [task_json(task) for task in standing.follow_ups],
        "rhythm": {"usual_gap_days": standing.rhythm.usual_gap_days, "quiet_days": standing.rhythm.quiet_days,
                   "drifting": standing.rhythm.drifting if standing.rhythm.usual_gap_days else None},
    }


def status_json(network: Network, standings: Iterable[Standing]) -> dict[str, Any]:
    return {
        "today": network.today.isoformat(),
        "contacts": [contact_json(standing) for standing in standings],
        "problems": [problem.to_json() for problem in network.problems],
    }


def interaction_json(item: Interaction, network: Network) -> dict[str, Any]:
    return {
        "date": item.date.isoformat(),
        "kind": item.kind,
        "text": item.text,
        "exchanges": list(item.exchanges),
        "with": network.names(item.people),
        "path": item.path,
        "line": item.line,
        "source": item.source,
    }


def show_json(standing: Standing, network: Network) -> dict[str, Any]:
    """A status entry plus everything ``show`` prints."""
    contact = standing.contact
    data = contact_json(standing)
    data.update({
        "priority": round(standing.priority, 3),
        "birthday_age": standing.age,
        "fields": dict(contact.fields),
        "introduced_by": contact.introduced_by,
        "offers": list(contact.offers),
        "needs": list(contact.needs),
        "interests": list(contact.interests),
        "goals": list(contact.goals),
        "towards_goals": reasons([contact], network.config.goals),
        "interactions": [interaction_json(item, network) for item in standing.interactions],
        "planned": [interaction_json(item, network) for item in standing.planned],
        "open_loops": [task_json(task) for task in standing.open_loops],
        "connections": sorted(network.names(tuple(standing.neighbours)), key=str.casefold),
    })
    data.update(people_json(standing, network))
    return data


def plan_json(plan: Plan, items: Iterable[PlanItem] | None = None) -> dict[str, Any]:
    """The plan's items (or only ``items``, e.g. today's)."""
    return {
        "week": plan.week,
        "items": [
            {"section": item.section, "people": list(item.people), "text": item.text, "key": item.key, "due": iso(item.due),
             "day": iso(item.day)}
            for item in (plan.items if items is None else items)
        ],
    }


def intro_json(intro: Introduction) -> dict[str, Any]:
    return {
        "people": list(intro.names),
        "kind": intro.kind,
        "vouch": intro.vouch,
        "score": intro.score,
        "reasons": list(intro.reasons),
    }
