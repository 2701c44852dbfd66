"""What a vault looks like to a new user: where vaultnet looked, what it found and
what it saw that could be people, for the messages of status, plan, check, show,
log and for the vaultnet.toml that ``init`` writes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from vaultnet.base.keys import singular
from vaultnet.base.vocabulary import RULES
from vaultnet.evidence.meetings import daily_date
from vaultnet.evidence.people import categories, link_texts, people_folder, properties, rule_of
from vaultnet.files.config import CONFIG_NAME, Config
from vaultnet.files.walk import Skipper, walk
from vaultnet.notes.note import Note, parse_note
from vaultnet.standings.network import Network

RULE_WORDS = {"folder": "in a people folder", "tag": "tagged #person", "body tag": "with #person in the text",
              "property": "with a type or categories naming a person", "listed": "listed in vaultnet.toml",
              "template": "made from a person template", "folder of people": "in a folder of people",
              "folder note": "as their folder's own note", "tag only": "known only by a tag",
              "note name": "known only by dated notes' names"}


@dataclass
class Candidates:
    """Notes that could be people, by what they have in common."""

    notes: int = 0
    folders: Counter[str] = field(default_factory=Counter)  # top folder → notes
    values: Counter[tuple[str, str]] = field(default_factory=Counter)  # (property, value) → notes
    people_folders: Counter[str] = field(default_factory=Counter)  # found people folder → contacts
    contacts: int = 0

    def lines(self, limit: int = 3) -> list[str]:
        said = [f"{n} notes have {key} {value}" for (key, value), n in self.values.most_common(limit) if n > 1]
        said += [f"{n} notes are in {folder}/" for folder, n in self.folders.most_common(limit) if n > 1]
        return said


def where_looked(config: Config) -> str:
    """One sentence: the rules vaultnet applies to find people."""
    if config.people_configured:
        folders = ", ".join(f"{folder}/" for folder in config.people) or "no folder"
    else:
        folders = "folders named " + ", ".join(name.title() for name in config.people_folder_names[:6]) + "..."
    tags = ", ".join(f"#{tag}" for tag in config.person_tags)
    values = "/".join(config.person_values)
    return f"it looked in {folders}, for notes tagged {tags} and for {'/'.join(config.person_properties)}: {values}"


def read_all(config: Config) -> list[Note]:
    """Every note, parsed afresh (only for a vault that shows no contacts: speed does not matter)."""
    notes = []
    for file in walk(config):
        try:
            data = (config.root / file.rel).read_bytes()
        except OSError:
            continue
        note, _ = parse_note(file.rel, data, config.person_tags)
        if note is not None and not note.rel.startswith(config.output + "/"):
            notes.append(note)
    return notes


def candidates(config: Config, notes: list[Note]) -> Candidates:
    found = Candidates(notes=len(notes))
    for note in notes:
        if note.unrendered:
            continue
        if rule_of(note, config):
            found.contacts += 1
            folder = people_folder(note.rel, config)
            if folder:
                found.people_folders[folder] += 1
        if "/" in note.rel and daily_date(note, config) is None:
            # Daily notes are never people: a journal folder is no candidate, however full.
            found.folders[note.rel.rsplit("/", 1)[0]] += 1
        props = properties(note, config)
        for name in config.person_properties:
            item = props.item(name)
            if item is None:
                continue
            linked = "[[" in str(item[1])
            for value in dict.fromkeys(link_texts(item[1])):
                found.values[(item[0], f"[[{value}]]" if linked else value)] += 1
    return found


def no_contacts_message(config: Config) -> str:
    """What to say when a vault shows no contacts: where vaultnet looked and what it saw."""
    seen = candidates(config, read_all(config)).lines()
    text = f"vaultnet found no contacts: {where_looked(config)}."
    own = _own_places(config)
    if own:
        text += " " + own
    elif seen:
        text += " It saw: " + "; ".join(seen) + "."
    if (config.root / CONFIG_NAME).is_file():  # init has run, or the user wrote one: init would refuse to overwrite it
        return text + f" Set 'people' in {CONFIG_NAME} to the folders your people are in, or see the guide: docs/notes.md, Bringing your own vault."
    return text + f" Run 'vaultnet init' to write a {CONFIG_NAME} for this vault, or see the guide: docs/notes.md, Bringing your own vault."


def _own_places(config: Config) -> str:
    """The vault's own folder for people and its person templates, when it has them but no people yet."""
    from vaultnet.base.keys import is_person_word
    from vaultnet.notes.vaulttemplates import vault_templates

    try:
        folders = sorted(entry.name for entry in config.root.iterdir()
                         if entry.is_dir() and not entry.name.startswith(".") and is_person_word(entry.name))
    except OSError:
        folders = []
    templates = [template.rel for template in vault_templates(config) if template.says_person]
    if not folders and not templates:
        return ""
    said = f"{folders[0]}/ is this vault's folder for people and holds none yet" if folders else \
        "this vault has a person template and no people yet"
    if templates:
        said += f" ({templates[0]} makes them)"
    configured = (config.root / CONFIG_NAME).is_file()
    where = f'after `vaultnet init` (it writes people = ["{folders[0]}"]), ' if folders and not configured else ""
    return f"{said}: {where}`vaultnet add NAME` makes one."


def not_a_contact(config: Config, name: str) -> str | None:
    """For a NAME that is a note but not a contact: which note, and what would make it one."""
    wanted = " ".join(name.casefold().split())
    skipper = Skipper(config)
    for file in walk(config):
        stem = file.rel.rsplit("/", 1)[-1][:-3]
        if " ".join(stem.casefold().split()) != wanted or skipper.skip_path(file.rel):
            continue
        try:
            note, _ = parse_note(file.rel, (config.root / file.rel).read_bytes(), config.person_tags)
        except OSError:
            continue
        if note is None:
            continue
        why = _why_not(note, config)
        folder = config.people[0] if config.people_configured and config.people else "People"
        return (f"{file.rel} is a note but not a contact{why}; to make it one, give it `type: person` "
                f"(or `categories: [\"[[People]]\"]`), tag it #person, or move it into {folder}/")
    return None


def _why_not(note: Note, config: Config) -> str:
    if note.unrendered:
        return " (it holds unrendered template syntax, so it is read as a template)"
    kinds = categories(properties(note, config), config)
    if kinds:
        return f" (it says it is a {', '.join(sorted(kinds))})"
    if singular(note.rel.rsplit("/", 1)[-1][:-3]) in {singular(v) for v in config.person_values}:
        return " (it is the category note itself)"
    return ""


def rule_summary(network: Network) -> str:
    """How many notes each rule took as contacts, and where the interactions came from."""
    rules = ", ".join(f"{network.rules[rule]} {RULE_WORDS[rule]}" for rule in RULES if network.rules.get(rule))
    sources = interaction_sources(network)
    said = ", ".join(f"{n} {what}" for what, n in sources.items() if n)
    return f"contacts: {rules or 'none'}; interactions: {said or 'none'}"


def interaction_sources(network: Network) -> dict[str, int]:
    contacts = {standing.contact.path for standing in network.standings}
    config = network.config
    sources = {"from last_contact": 0, "in contact notes": 0, "in daily notes": 0, "in meetings": 0,
               "in other dated notes": 0}
    for item in network.evidence.interactions:
        if item.raw == "last_contact" and item.path in contacts:
            sources["from last_contact"] += 1
        elif item.path in contacts:
            sources["in contact notes"] += 1
        elif config.daily.match(item.path[:-3]):
            sources["in daily notes"] += 1
        elif item.kind == "meeting":
            sources["in meetings"] += 1
        else:
            sources["in other dated notes"] += 1
    return sources
