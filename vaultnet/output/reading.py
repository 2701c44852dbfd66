"""How vaultnet read a vault, in a few lines: ``init`` prints it and records it, ``check`` prints it.

Who is a person and by which rule (two examples each), what it set aside and why,
which notes date interactions and how, which properties list who was there, which
names it found in plain text and which it did not count, and the properties on
people notes that hold dates vaultnet does not read, each with the one line of
``vaultnet.toml`` that would read it. Worked out from a network already assembled
(its notes, its conclusions, its evidence), only when asked.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from vaultnet.base.dates import parse_date
from vaultnet.base.keys import GENERIC_KEYS, KEYS, normalise, spellings
from vaultnet.evidence.meetings import attendee_items, daily_date, date_spellings, name_date, property_date
from vaultnet.evidence.people import people_folder
from vaultnet.notes.note import Note
from vaultnet.standings.network import Network

# How each rule is said, with a place for where it applies.
RULE_SAID = {
    "folder": "in a people folder",
    "listed": "listed in vaultnet.toml's people",
    "property": "with a type or categories naming a person",
    "tag": "tagged #person",
    "body tag": "with #person in the text",
    "template": "made from a person template",
    "folder of people": "in a folder of people",
    "folder note": "as their folder's own note, beside folders of people",
    "tag only": "with no note, known by a tag on the notes that met them",
    "note name": "with no note, known by the names of dated notes",
}
# Keys that hold dates about a person that are no contact: when they were met, when the note was made.
_NOT_CONTACT_DATES = frozenset(normalise(key) for key in (
    "created", "updated", "modified", "date_created", "date_modified", "created_at", "updated_at", "met_date",
    "met", "first_met", "known_since", "since", "date", "deadline", "due"))
_KNOWN = frozenset(spelling for name in KEYS for spelling in spellings(name, {}))


@dataclass
class Reading:
    """What vaultnet concluded, as data (``check --json`` gives it as ``reading``)."""

    people: list[dict[str, Any]] = field(default_factory=list)  # rule, count, where, examples
    set_aside: list[dict[str, Any]] = field(default_factory=list)  # why, count, examples
    dated: list[dict[str, Any]] = field(default_factory=list)  # how, count, examples
    attendees: list[dict[str, Any]] = field(default_factory=list)  # how, count
    mentions: dict[str, Any] = field(default_factory=dict)  # lines, names, unclear
    unread: list[dict[str, Any]] = field(default_factory=list)  # key, count, examples, line
    notes: list[str] = field(default_factory=list)  # what else is worth saying

    def json(self) -> dict[str, Any]:
        return {"people": self.people, "set_aside": self.set_aside, "dated": self.dated, "attendees": self.attendees,
                "mentions": self.mentions, "unread": self.unread, "notes": self.notes}


def read(network: Network) -> Reading:
    """How ``network`` was read from its vault (see the module's docstring)."""
    reading = Reading()
    _people(network, reading)
    _set_aside(network, reading)
    _dated(network, reading)
    _mentions(network, reading)
    _unread(network, reading)
    _undated(network, reading)
    return reading


def _names(paths: Iterable[str], network: Network, limit: int = 2) -> list[str]:
    found = []
    for path in paths:
        contact = network.directory.by_path(path)
        found.append(contact.name if contact is not None else path.rsplit("/", 1)[-1].removesuffix(".md"))
        if len(found) == limit:
            break
    return found


def _people(network: Network, reading: Reading) -> None:
    config, conventions = network.config, network.conventions
    by_rule: dict[tuple[str, str], list[str]] = defaultdict(list)
    for path, rule in sorted(network.person_rules.items(), key=lambda item: item[0].casefold()):
        where = ""
        if rule == "folder":
            where = people_folder(path, config) or ""
        elif rule == "folder of people":
            where = path.rsplit("/", 1)[0]
        elif rule == "template":
            why = conventions.why(path) or ""
            where = why.removeprefix("made from ").split(" (", 1)[0]
        by_rule[(rule, where)].append(path)
    for (rule, where), paths in sorted(by_rule.items(), key=lambda item: (-len(item[1]), item[0])):
        entry: dict[str, Any] = {"rule": rule, "count": len(paths), "examples": _names(paths, network)}
        if where:
            entry["where"] = where
        if rule == "folder" and not config.people_configured and where:
            entry["how"] = "found by its name"
        if rule == "folder of people" and where in conventions.people_folders:
            entry["how"] = conventions.people_folders[where]
        if rule == "template" and where in conventions.person_templates:
            entry["how"] = conventions.person_templates[where]
        reading.people.append(entry)


def _set_aside(network: Network, reading: Reading) -> None:
    """What looked like people and is not: templates, drawings, index notes, typed notes, doubted folders."""
    config = network.config
    why: dict[str, list[str]] = defaultdict(list)
    for note in network.notes:
        if note.rel in network.person_rules or note.rel.startswith(config.output + "/"):
            continue
        reason = _why_not(note, network)
        if reason:
            why[reason].append(note.rel)
    for folder, doubt in network.conventions.doubted_folders.items():
        reading.notes.append(f"{folder}/ is {doubt}; to read them as people: people = [\"{folder}\"]")
    for reason, rels in sorted(why.items(), key=lambda item: -len(item[1])):
        reading.set_aside.append({"why": reason, "count": len(rels), "examples": rels[:2]})


def _why_not(note: Note, network: Network) -> str | None:
    """Why a note that looks like a person is not one, or None when it does not look like one."""
    from vaultnet.evidence.people import categories, not_an_entry, person_values, properties, set_aside

    config = network.config
    stem = note.rel.rsplit("/", 1)[-1][:-3]
    in_folder = people_folder(note.rel, config) is not None or note.rel.rsplit("/", 1)[0] in \
        network.conventions.people_folders
    if config.not_people and set_aside(note.rel, config.not_people):
        return "listed in vaultnet.toml's not_people"
    if note.rel in config.inferred_not:
        return config.inferred_not[note.rel]
    if not in_folder:
        return None
    if note.unrendered or not_an_entry(stem, note.keys):
        return "a template or a drawing"
    if note.meta or note.inline:
        kinds = categories(properties(note, config), config) - person_values(config)
        kinds = {kind for kind in kinds if not any(other != kind and other.endswith(kind) for other in kinds)}
        if kinds:
            return "says it is something else (" + ", ".join(sorted(kinds)[:2]) + ")"
    if stem.casefold() == note.rel.rsplit("/", 2)[-2].casefold() or note.dashboard:
        return "an index of the folder"
    if note.dated:
        return "dated: a meeting or a journal kept there"
    return "about a person or about the folder's topic"


def _dated(network: Network, reading: Reading) -> None:
    config = network.config
    how: dict[str, list[str]] = defaultdict(list)
    keys: Counter[str] = Counter()
    heading_notes: dict[str, int] = Counter()
    named = {path for item in network.evidence.interactions for path in (item.path,)}
    heading_lines = {(item.path, item.line) for item in network.evidence.interactions}
    wanted = date_spellings(config)
    for note in network.notes:
        if note.rel in network.person_rules or note.rel.startswith(config.output + "/"):
            continue
        if daily_date(note, config) is not None:
            how["daily"].append(note.rel)
        elif (note.meta or note.inline) and property_date(note, config) is not None:
            key = next((k for k in (*note.meta, *note.inline) if normalise(k) in wanted), "date")
            how[f"property {key}"].append(note.rel)
        elif name_date(note, config) is not None:
            how["name"].append(note.rel)
        else:
            dated_headings = [h for h in note.headings if any(ch.isdigit() for ch in h[2])]
            if dated_headings and note.rel in named:
                heading_notes[note.rel] = len(dated_headings)
        if note.rel in named and (note.meta or note.inline):
            for key in {key for key, target in attendee_items(note, config) if network.directory.resolve(target)}:
                keys[f"property {key}"] += 1
        for number, _, text, _ in note.headings:
            if (note.rel, number) in heading_lines and ("[[" in text or not any(ch.isdigit() for ch in text)):
                keys["a heading that names people"] += 1
    if how["daily"]:
        where = f"{config.daily_folder}/" if config.daily_folder else ""
        source = _daily_source(config)
        reading.dated.append({"how": "daily notes", "format": config.daily_format, "where": where, "source": source,
                              "count": len(how["daily"]), "examples": how["daily"][-2:]})
    elif network.conventions.daily_declined:
        reading.notes.append(network.conventions.daily_declined)
    for what, rels in sorted(how.items(), key=lambda item: -len(item[1])):
        if what == "daily" or not rels:
            continue
        entry = {"how": "a date in their name" if what == "name" else f"their {what.split(' ', 1)[1]} property",
                 "count": len(rels), "examples": [rel.rsplit("/", 1)[-1][:-3] for rel in rels[:2]]}
        reading.dated.append(entry)
    for rel, count in sorted(heading_notes.items(), key=lambda item: -item[1])[:3]:
        reading.dated.append({"how": f"the dated headings in {rel}", "count": count, "examples": []})
    for key, count in keys.most_common():
        if count:
            reading.attendees.append({"how": key, "count": count})


def _daily_source(config: Any) -> str:
    """Where the daily format came from, said as ``(...)`` follows the format."""
    if config.daily_inferred:
        return config.daily_inferred
    if config.daily_format_configured:
        return "from vaultnet.toml"
    if config.daily_source:
        folder = config.settings_folder or ".obsidian"
        return f"from the settings of {config.daily_source} in {folder}/"
    return "the default"


def _mentions(network: Network, reading: Reading) -> None:
    from vaultnet.evidence.mentions import ambiguous_summary

    unlinked = [item for item in network.evidence.interactions if item.source == "unlinked"]
    counted = Counter(path for item in unlinked for path in item.people)
    if not network.config.mentions:
        reading.mentions = {"on": False}
        return
    unclear = ambiguous_summary(network.evidence.unclear)
    reading.mentions = {
        "on": True, "lines": len(unlinked), "people": _names((path for path, _ in counted.most_common()), network, 3),
        "unclear": [{"name": name.name, "why": name.why, "seen": count, "example": place}
                    for name, count, place in unclear],
    }


def _unread(network: Network, reading: Reading) -> None:
    """Properties on people notes that hold dates and that vaultnet reads as nothing (``sidste kontakt``)."""
    dates: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    spelled: dict[str, str] = {}
    renamed = {normalise(value) for value in network.config.fields.values()}
    people = [note for note in network.notes if note.rel in network.person_rules]
    for note in people:
        for key, value in note.meta.items():
            folded = normalise(key)
            if folded in _KNOWN or folded in GENERIC_KEYS or folded in _NOT_CONTACT_DATES or folded in renamed:
                continue
            if value in (None, "") or isinstance(value, (bool, int, float, dict)):
                continue
            try:
                day = parse_date(value)
            except ValueError:
                continue
            dates[folded].append((note.rel, day))
            spelled.setdefault(folded, key)
    least = max(2, len(people) // 5)
    for folded, seen in sorted(dates.items(), key=lambda item: -len(item[1])):
        if len(seen) < least:
            continue
        key = spelled[folded]
        target = _meaning([day for _, day in seen], network)
        line = f'{target} = "{key}"'
        reading.unread.append({"key": key, "count": len(seen), "examples": [rel for rel, _ in seen[:2]],
                               "means": target, "line": line})


def _undated(network: Network, reading: Reading) -> None:
    """Notes that link people, dated by nothing vaultnet reads, with a property that holds a date
    (``Erstellt: 2023-06-07 @ 22:09`` on support tickets): the line that dates them by it."""
    config = network.config
    linking = {item.path for item in network.evidence.interactions} | {
        task.path for task in (*network.evidence.follow_ups, *network.evidence.open_loops)}
    found: dict[str, list[str]] = defaultdict(list)
    spelled: dict[str, str] = {}
    wanted = date_spellings(config)
    undated: list[str] = []
    for note in network.notes:
        if note.rel in network.person_rules or note.rel in linking or not (note.meta or note.inline):
            continue
        if not any(network.directory.resolve(target) for _, target in attendee_items(note, config)) and not any(
                network.directory.resolve(link.target) for line in note.countable() for link in line.links):
            continue  # names no one
        if daily_date(note, config) or property_date(note, config) or name_date(note, config):
            continue
        undated.append(note.rel)
        for key, value in (*note.meta.items(), *note.inline.items()):
            folded = normalise(key)
            if folded in wanted or folded in _NOT_CONTACT_DATES - {"date"} or folded in _KNOWN:
                continue
            try:
                parse_date(value.strip() if isinstance(value, str) else value)
            except ValueError:
                continue
            found[folded].append(note.rel)
            spelled.setdefault(folded, key)
    for folded, rels in sorted(found.items(), key=lambda item: -len(item[1]))[:2]:
        if len(rels) < 3 or len(rels) * 3 < len(undated) * 2:
            continue  # on a few of them: something else they say, not when they happened
        key = spelled[folded].strip("*_ ")
        reading.unread.append({"key": key, "count": len(rels), "examples": rels[:2], "means": "date",
                               "on": "notes that link people", "line": f'date_properties = ["{key}"]'})


def _meaning(days: list[Any], network: Network) -> str:
    """What dates most like these mean: in the future, a follow-up; years ago, a birthday (or, for people
    in a vault whose birthdays vaultnet reads already, when you met); else the last contact."""
    today = network.today
    future = sum(1 for day in days if day > today)
    old = sum(1 for day in days if (today - day).days > 365 * 12)
    if future * 2 > len(days):
        return "follow_up"
    if old * 2 > len(days):
        known = sum(1 for standing in network.standings if standing.contact.birthday)
        return "met" if known >= 3 else "birthday"  # birthdays are read already: this is something else
    return "last_contact"


_MEANT = {"last_contact": "their last contact", "birthday": "their birthday", "follow_up": "their next follow-up",
          "met": "when you met"}


def lines(reading: Reading, network: Network) -> list[str]:
    """The reading in a few lines of text."""
    out: list[str] = []
    total = sum(entry["count"] for entry in reading.people)
    out.append(f"people: {total}" + ("" if total else " (no note is a person; see 'vaultnet check')"))
    for entry in reading.people:
        where = f" ({entry['where']}/" if entry.get("where") and entry["rule"] not in ("template",) else \
            (f" ({entry['where']}" if entry.get("where") else "")
        if where:
            where += (": " + entry["how"] if entry.get("how") else "") + ")"
        examples = ", ".join(entry["examples"])
        out.append(f"  {entry['count']} {RULE_SAID.get(entry['rule'], entry['rule'])}{where}: {examples}")
    if reading.set_aside:
        said = "; ".join(f"{entry['count']} {entry['why']} ({', '.join(entry['examples'])})" for entry in reading.set_aside)
        out.append(f"set aside: {said}")
    if reading.dated:
        out.append("dated notes:")
        for entry in reading.dated:
            if entry["how"] == "daily notes":
                out.append(f"  {entry['count']} daily notes {entry['where']}{entry['format']} ({entry['source']})")
            else:
                examples = f" ({', '.join(entry['examples'])})" if entry["examples"] else ""
                out.append(f"  {entry['count']} dated by {entry['how']}{examples}")
    else:
        out.append("dated notes: none (no note is named by a date or has a date property)")
    if reading.attendees:
        said = ", ".join(f"{entry['how']} ({entry['count']})" for entry in reading.attendees)
        out.append(f"who was there: {said}")
    mentions = reading.mentions
    if mentions.get("on") is False:
        out.append("names in plain text: not read (mentions = false)")
    elif mentions.get("lines") or mentions.get("unclear"):
        found = f"{mentions['lines']} line{'' if mentions['lines'] == 1 else 's'} name{'s' if mentions['lines'] == 1 else ''} people without a link"
        if mentions.get("people"):
            found += f" ({', '.join(mentions['people'])})"
        out.append(f"names in plain text: {found}")
        for entry in mentions.get("unclear", [])[:5]:
            seen = "once" if entry["seen"] == 1 else f"{entry['seen']} times"
            out.append(f"  not counted: {entry['name']!r} {entry['why']} (seen {seen}, "
                       f"e.g. {entry['example']}); link it to count it")
    for entry in reading.unread:
        if entry["means"] == "date":
            out.append(f"not read: {entry['key']!r} holds dates on {entry['count']} undated notes that link people; "
                       f"if it is when they happened, add to vaultnet.toml: {entry['line']}")
        else:
            meant = _MEANT.get(entry["means"], entry["means"])
            out.append(f"not read: {entry['key']!r} holds dates on {entry['count']} people notes; if it is "
                       f"{meant}, add under [fields] in vaultnet.toml: {entry['line']}")
    out.extend(reading.notes)
    return out
