"""``vaultnet show NAME --why``: which rule made a note a person, and which note and line gave each fact.

The last contact, the cadence (and the circle it came from), the birthday and each
follow-up, each with the note and line it was read from: what a person checks when
vaultnet says something they did not expect, and what they edit to change it.
"""

from __future__ import annotations

from typing import Any

from vaultnet.evidence.people import people_folder, properties
from vaultnet.files.reads import read_bytes
from vaultnet.notes.note import Note, parse_note
from vaultnet.output.reading import RULE_SAID
from vaultnet.standings.network import Network
from vaultnet.standings.standing import Standing

SOURCE_SAID = {"log": "a log line", "mention": "a line that links them", "unlinked": "their name in plain text",
               "meeting": "a meeting note",
               "task": "a completed task", "manual": "last_contact in their note", "plan": "an item ticked in a plan",
               "capture": "a captured meeting or message"}


def explain(standing: Standing, network: Network) -> dict[str, Any]:
    """The reasons behind one contact's standing, as data (``show --why --json`` gives it as ``why``)."""
    contact, config = standing.contact, network.config
    rule = network.person_rules.get(contact.path, "")
    person: dict[str, Any] = {"rule": rule, "said": RULE_SAID.get(rule, rule)}
    if rule == "folder":
        person["where"] = people_folder(contact.path, config)
    detail = network.conventions.why(contact.path)
    if detail:
        person["detail"] = detail
    absent = next((a for a in network.conventions.absent if a.path == contact.path), None)
    if absent is not None:
        person["detail"] = "named in " + ", ".join(absent.seen)
    why: dict[str, Any] = {"person": person, "last_contact": None, "cadence": None, "birthday": None,
                           "follow_ups": [{"due": task.due.isoformat() if task.due else None, "text": task.text,
                                           "path": task.path, "line": task.line} for task in standing.follow_ups]}
    if standing.interactions:
        last = standing.interactions[0]
        why["last_contact"] = {"date": last.date.isoformat(), "path": last.path, "line": last.line,
                               "source": last.source, "said": SOURCE_SAID.get(last.source, last.source),
                               "text": last.text}
    note = _note(network, contact.path)
    props = properties(note, config) if note is not None else None
    if standing.cadence_days is not None:
        cadence: dict[str, Any] = {"days": standing.cadence_days, "circle": contact.circle}
        for name in ("cadence", "circle"):
            item = props.item(name) if props is not None else None
            if item is not None and item[1] not in (None, ""):
                cadence.update({"from": name, "key": item[0], "value": _text(item[1]), "path": contact.path,
                                "line": note.key_line(item[0]) if note else None})
                break
        why["cadence"] = cadence
    if contact.birthday is not None:
        item = props.item("birthday") if props is not None else None
        why["birthday"] = {"next": standing.next_birthday.isoformat() if standing.next_birthday else None,
                           "key": item[0] if item else None, "value": _text(item[1]) if item else None,
                           "path": contact.path, "line": note.key_line(item[0]) if note and item else None}
    return why


def _text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _note(network: Network, rel: str) -> Note | None:
    """The contact's note as it is now, read again: one note, for one person's page."""
    if rel.startswith("#"):
        return None  # known by a tag or by dated notes' names: no note of their own
    data = read_bytes(network.config.root / rel)
    if data is None:
        return None
    note, _ = parse_note(rel, data, network.config.person_tags)
    return note


def why_lines(why: dict[str, Any]) -> list[str]:
    """The reasons as lines of text."""
    person = why["person"]
    where = f" ({person['where']}/)" if person.get("where") else ""
    detail = person.get("detail")
    said = detail if detail and person["rule"] in ("template", "folder of people", "folder note") else \
        person["said"] + where + (f"; {detail}" if detail else "")
    lines = [f"a person: {said}"]
    last = why.get("last_contact")
    if last:
        place = f"{last['path']}:{last['line']}" if last.get("line") else last["path"]
        text = f" \"{last['text'][:80]}\"" if last.get("text") and last["source"] != "manual" else ""
        lines.append(f"last contact {last['date']}: {last['said']} in {place}{text}")
    else:
        lines.append("last contact: none found (no dated note links or names them, no log line, no last_contact)")
    cadence = why.get("cadence")
    if cadence:
        if cadence.get("from") == "circle":
            said = f"circle {cadence['value']!r}" + (f" (read as {cadence['circle']})" if cadence.get("circle")
                                                      and cadence["circle"] != cadence["value"] else "")
        elif cadence.get("from"):
            said = f"{cadence['key']}: {cadence['value']}"
        else:
            said = "their circle"
        place = f" at {cadence['path']}:{cadence['line']}" if cadence.get("line") else ""
        lines.append(f"cadence {cadence['days']} days: {said}{place}")
    else:
        lines.append("cadence: none (no circle or cadence in their note: untracked)")
    birthday = why.get("birthday")
    if birthday:
        place = f" at {birthday['path']}:{birthday['line']}" if birthday.get("line") else ""
        lines.append(f"birthday (next {birthday['next']}): {birthday['key']}: {birthday['value']}{place}")
    for task in why.get("follow_ups", []):
        lines.append(f"follow-up {task['due']}: {task['text']} at {task['path']}:{task['line']}")
    return lines
