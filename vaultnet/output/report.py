"""The JSON interface of ``status``, ``show``, ``plan`` and ``intros`` (docs/formats.md, JSON): field names are fixed.

The command line and the MCP server (:mod:`vaultnet.reach.assistant`) answer
with these same functions, so an assistant sees exactly what ``--json`` prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from vaultnet.advice.goals import gateway_paths, reasons
from vaultnet.advice.intros import Introduction, iter_suggestions, suggest
from vaultnet.advice.places import located
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
            "started_by_you": rec.started_by_you, "started_by_them": rec.started_by_them, "starts": rec.starts,
        },
        "tie": {"intensity": round(tie.intensity, 3), "embeddedness": tie.embeddedness, "band": tie.band},
        "follow_ups": [task_json(task) for task in standing.follow_ups],
        "rhythm": {"usual_gap_days": standing.rhythm.usual_gap_days, "quiet_days": standing.rhythm.quiet_days,
                   "drifting": standing.rhythm.drifting if standing.rhythm.usual_gap_days else None},
    }


def status_json(network: Network, standings: Iterable[Standing], lazily: bool = False) -> dict[str, Any]:
    """``status --json``; ``lazily``: its contacts as an iterator, each made as a writer that writes one at a
    time reaches it (:mod:`vaultnet.output.jsontext`): ten thousand of them need not be held at once."""
    contacts = (contact_json(standing) for standing in standings)
    return {
        "today": network.today.isoformat(),
        "contacts": contacts if lazily else list(contacts),
        "problems": [problem.to_json() for problem in network.problems],
    }


def chosen(network: Network, statuses: Sequence[str] = (), circles: Sequence[str] = (),
           location: str | None = None) -> list[Standing]:
    """The contacts ``status`` lists: any of ``statuses`` (``drifting``: away from their usual rhythm),
    in any of ``circles``, living where ``location`` says. ValueError for a circle the vault does not have."""
    known = network.config.circles
    for circle in circles:
        if circle not in known:
            raise ValueError(f"unknown circle {circle!r} (known: {', '.join(known)})")
    return [
        s for s in network.standings
        if (not statuses or s.status in statuses or ("drifting" in statuses and s.rhythm.drifting))
        and (not circles or s.contact.circle in circles) and (location is None or located(s, location))
    ]


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
        "connections": sorted(network.names(standing.neighbours), key=str.casefold),
    })
    data.update(people_json(standing, network))
    return data


def show_answer(standing: Standing, network: Network, involving: Iterable[Introduction]) -> dict[str, Any]:
    """``show --json``: the contact, and the introductions that include them."""
    return {**show_json(standing, network), "introductions": [intro_json(intro) for intro in involving]}


def mentions_json(standing: Standing, network: Network, query: str | None = None, limit: int = 50) -> dict[str, Any]:
    """The lines of the vault about one contact, newest first: interactions, planned meetings, follow-ups, open loops.

    Each with its date (an open loop has none), the note and line it was read
    from, and who was named in it; ``query`` keeps the lines holding it (any
    case, accents optional).
    """
    from vaultnet.evidence.resolve import loose

    lines: list[dict[str, Any]] = []
    for what, items in (("interaction", standing.interactions), ("planned", standing.planned)):
        lines.extend({**interaction_json(item, network), "what": what} for item in items)
    for what, tasks in (("follow-up", standing.follow_ups), ("open loop", standing.open_loops)):
        lines.extend({"date": iso(task.due), "kind": None, "text": task.text, "exchanges": [],
                      "with": network.names(task.people),
                      "path": task.path, "line": task.line, "source": "task", "what": what} for task in tasks)
    wanted = loose(query) if query else ""
    found = [line for line in lines if wanted in loose(line["text"])]
    found.sort(key=lambda line: (line["path"], line["line"] or 0))
    found.sort(key=lambda line: line["date"] or "", reverse=True)  # newest first; undated last, by note and line
    return {"name": standing.name, "path": standing.contact.path, "query": query, "total": len(found),
            "lines": found[:limit]}


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


def introductions(network: Network, limit: int | None = 20) -> Iterator[tuple[Introduction, list[str]]]:
    """The best ``limit`` introductions (every one, as found, when None), each with the goals it leads to."""
    goals = network.config.goals
    favoured = gateway_paths(network.standings, goals)
    found = iter_suggestions(network, favoured) if limit is None else suggest(network, limit=limit, favoured=favoured)
    # Found with the pairs leading to a goal first already: each gets its goal reasons as it comes.
    return ((intro, reasons((intro.first.contact, intro.second.contact), goals)) for intro in found)


def intro_answer(intro: Introduction, goals: list[str]) -> dict[str, Any]:
    """One introduction of ``intros --json``."""
    return {**intro_json(intro), "goals": goals}


def intros_json(network: Network, limit: int = 20) -> dict[str, Any]:
    """``intros --json``: the best ``limit`` introductions."""
    return {"introductions": [intro_answer(intro, goals) for intro, goals in introductions(network, limit)]}


def today_json(plan: Plan, items: Iterable[PlanItem]) -> dict[str, Any]:
    """``today --json``: one day's items of the week's plan."""
    return {"day": plan.today.isoformat(), "items": plan_json(plan, items)["items"]}


def intro_json(intro: Introduction) -> dict[str, Any]:
    return {
        "people": list(intro.names),
        "kind": intro.kind,
        "vouch": intro.vouch,
        "score": intro.score,
        "reasons": list(intro.reasons),
    }
