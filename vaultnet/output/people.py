"""The parts of ``show`` about a person's life: family, dates that matter, life events, gift ideas.

As lines for the terminal (:func:`brief_sections`) and as JSON (:func:`people_json`).
"""

from __future__ import annotations

from typing import Any

from vaultnet.advice import dates, family, lifeevents
from vaultnet.base.dates import Birthday, day_label
from vaultnet.evidence.relations import SINGULAR
from vaultnet.standings.network import Network
from vaultnet.standings.standing import Standing

EVENT_DAYS = 365  # life events shown in the brief: the last year's



def _written(date: Birthday) -> str:
    return f"{date.year:04d}-{date.month:02d}-{date.day:02d}" if date.year else f"{date.month:02d}-{date.day:02d}"


def _events(standing: Standing, network: Network) -> list[lifeevents.LifeEvent]:
    tags = lifeevents.schedule(network.config.events)
    found = lifeevents.events(network, [standing], tags, lifeevents.losses(network, network.today)).get(
        standing.contact.path, [])
    return [event for event in found if (network.today - event.date).days <= EVENT_DAYS]


def brief_sections(standing: Standing, network: Network) -> list[tuple[str, list[str]]]:
    """``(title, lines)`` for each part of the brief this person has."""
    members = []
    for member in family.family(standing, network):
        relative = member.relative
        notes = [relative.label] if relative.label else []
        if relative.label and relative.stated_in and relative.stated_in != standing.contact.path:
            notes[0] += f", in {network.by_path(relative.stated_in).name}'s note"
        notes += ["died"] if member.died else []
        line = f"{SINGULAR[relative.kind]}: {relative.name}" + (f" ({'; '.join(notes)})" if notes else "")
        if member.next_birthday:
            age = f", turns {member.age}" if member.age is not None else ""
            line += f" · birthday {day_label(member.next_birthday)}{age}"
        members.append(line)
    members += [f"you have seen them {count} times in the last 12 months, never with {partner} (partner)"
                for partner, count in family.seen_without(standing, network)]
    occasions = []
    for occasion, upcoming in dates.next_dates(standing, network.today):
        if occasion.is_death:
            occasions.append(f"died {_written(occasion.date)} · remembered every year, next {day_label(upcoming)}")
        else:
            occasions.append(f"{occasion.label}: {_written(occasion.date)} · next {day_label(upcoming)}")
    events = [f"{event.date.isoformat()}  #{event.tag}  {event.text}" for event in _events(standing, network)]
    gifts = [f"{idea.text}  ({idea.path}:{idea.line})" for idea in network.gifts.get(standing.contact.path, ())]
    return [("Family and relations", members), ("Dates that matter", occasions), ("Life events", events),
            ("Gift ideas", gifts)]


def people_json(standing: Standing, network: Network) -> dict[str, Any]:
    """The same, for ``show --json``."""
    return {
        "relationships": [
            {"kind": m.relative.kind, "name": m.relative.name, "path": m.relative.path, "label": m.relative.label,
             "next_birthday": m.next_birthday.isoformat() if m.next_birthday else None, "died": m.died}
            for m in family.family(standing, network)],
        "seen_without": [{"partner": partner, "interactions": count}
                         for partner, count in family.seen_without(standing, network)],
        "dates": [{"label": occasion.label, "date": _written(occasion.date), "next": upcoming.isoformat()}
                  for occasion, upcoming in dates.next_dates(standing, network.today)],
        "died": _written(standing.contact.died) if standing.contact.died else None,
        "life_events": [{"tag": e.tag, "date": e.date.isoformat(), "text": e.text, "path": e.source}
                        for e in _events(standing, network)],
        "gift_ideas": [{"text": idea.text, "path": idea.path, "line": idea.line}
                       for idea in network.gifts.get(standing.contact.path, ())],
    }
