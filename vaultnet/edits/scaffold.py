"""``vaultnet init``: the few files a new vault needs, fitted to the vault, never overwriting any.

``init`` reads the vault first, as every other command would with no settings, and
writes what it concluded into ``vaultnet.toml``: where the people are, how daily notes
are named when that was read off the notes' names, and, commented, the properties it
found dating notes and listing who was there, each with a comment. The reading is then
stable (a new note that looks different changes nothing by itself), and one line
corrects it.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from vaultnet.files.config import CONFIG_NAME, STATE_DIR
from vaultnet.output.reading import RULE_SAID, Reading, read
from vaultnet.output.templates import read_default
from vaultnet.standings.network import Network

_FOLDER_RULES = ("folder", "folder of people")


def init_vault(root: Path, people: str = "People", network: Network | None = None) -> list[tuple[str, bool]]:
    """Create what is missing; returns ``(relative path, created)`` for each item.

    ``network``: the vault as read with no settings (by the caller, which can build one): the
    vaultnet.toml written records what it concluded. ``People/`` is created only when the vault
    keeps its people nowhere vaultnet can see.
    """
    root.mkdir(parents=True, exist_ok=True)
    results: list[tuple[str, bool]] = []
    reading = read(network) if network is not None else None
    files = {
        CONFIG_NAME: fitted_config(network, reading) if network is not None and reading is not None
        else read_default(CONFIG_NAME),
        f"{STATE_DIR}/.gitignore": "cache/\n",
    }
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(content)
            results.append((rel, True))
        except FileExistsError:
            results.append((rel, False))
    if network is None or not network.standings and not own_people_folder(network):
        folder = root / people
        results.append((people + "/", not folder.exists()))
        folder.mkdir(exist_ok=True)
    return results


def own_people_folder(network: Network) -> str | None:
    """The vault's own folder for people, named in its language (``Pessoas/``, ``Kontakte/``), holding none yet."""
    from vaultnet.base.keys import is_person_word

    root = network.config.root
    try:
        names = sorted(entry.name for entry in root.iterdir() if entry.is_dir() and not entry.name.startswith("."))
    except OSError:
        return None
    return next((name for name in names if is_person_word(name)), None)


def people_places(network: Network) -> tuple[Counter[str], list[str]]:
    """The folders people were found in (with how many), and the notes found one by one outside them
    that a folder cannot say (a folder's own note)."""
    from vaultnet.evidence.people import people_folder

    folders: Counter[str] = Counter()
    notes: list[str] = []
    for path, rule in network.person_rules.items():
        if rule == "folder":
            folder = people_folder(path, network.config)
            if folder:
                folders[folder] += 1
        elif rule == "folder of people":
            folders[path.rsplit("/", 1)[0]] += 1
        elif rule == "folder note" or rule == "listed" and path.endswith(".md"):
            notes.append(path)
    return folders, sorted(notes)


def fitted_config(network: Network, reading: Reading) -> str:
    """The default vaultnet.toml, with a first part saying what was found and the choices made from it."""
    config = network.config
    contacts = len([s for s in network.standings])
    folders, notes = people_places(network)
    head = ["# Written by `vaultnet init` from what it found in this vault:"]
    if contacts:
        head.append(f"# - {contacts} notes are people.")
        for entry in reading.people:
            where = f" in {entry['where']}/" if entry.get("where") and entry["rule"] in _FOLDER_RULES else \
                (f" ({entry['where']})" if entry.get("where") else "")
            head.append(f"#   {entry['count']} {RULE_SAID.get(entry['rule'], entry['rule'])}{where}, such as "
                        f"{' and '.join(entry['examples'])}.")
    else:
        head.append(f"# - no notes are people yet ({len(network.notes)} notes read): "
                    f"`vaultnet add NAME` creates one in {own_people_folder(network) or 'People'}/.")
    for entry in reading.set_aside[:4]:
        head.append(f"# - set aside: {entry['count']} {entry['why']} ({', '.join(entry['examples'])}).")
    if config.daily_folder or config.daily_format != "YYYY-MM-DD":
        if config.daily_inferred:
            where = config.daily_inferred + "; pinned below"
        else:
            where = (f"the settings of {config.daily_source}" if config.daily_source else "vaultnet.toml") + \
                (f" in {config.settings_folder}/" if config.settings_folder else "")
            where += ", read on every run"
        head.append(f"# - daily notes: {config.daily_folder or 'the vault root'}/{config.daily_format}.md (from {where}).")
    for entry in reading.dated:
        if entry["how"] != "daily notes":
            examples = f" ({', '.join(entry['examples'])})" if entry["examples"] else ""
            are = "note is" if entry["count"] == 1 else "notes are"
            head.append(f"# - {entry['count']} {are} dated by {entry['how']}{examples}.")
    if config.templates_folders:
        head.append(f"# - templates, skipped: {', '.join(f + '/' for f in config.templates_folders)}"
                    f" (from the settings of {' and '.join(config.templates_sources)}).")
    for entry in reading.attendees:
        head.append(f"# - who was there: {entry['how']} ({entry['count']} note{'' if entry['count'] == 1 else 's'}).")
    for entry in reading.unread:
        whose = "person's note" if entry["count"] == 1 else "people notes"
        head.append(f"# - not read: {entry['key']!r} holds dates on {entry['count']} {whose} (see [fields] below).")
    for note in reading.notes:
        head.append(f"# - {note}")
    head.append("# Change any line below to correct what vaultnet concluded; `vaultnet check` says it again.")
    text = read_default(CONFIG_NAME)
    text = _replace_line(text, "# people = ", _people_line(network, folders, notes))
    if config.daily_inferred:
        text = _replace_line(text, "# daily_format = ",
                             f'daily_format = "{config.daily_format}"   # read off the names of the daily notes')
    attendees = [entry["how"].removeprefix("property ") for entry in reading.attendees
                 if entry["how"].startswith("property ")]
    if attendees:
        text = _replace_line(text, "# attendee_properties = ",
                             f"# attendee_properties = {json.dumps(attendees, ensure_ascii=False)}"
                             "   # found listing who was there; unset: any property that links people")
    for entry in reading.unread:
        if entry["means"] == "date":
            text = _replace_line(text, "# date_properties = ",
                                 f"# {entry['line']}   # holds dates on {entry['count']} undated notes that link people")
        else:
            text = text.rstrip("\n") + (f'\n# {entry["means"]} = "{entry["key"]}"   '
                                        f'# holds dates on {entry["count"]} people notes\n')
    return "\n".join(head) + "\n\n" + text


def _replace_line(text: str, start: str, new: str) -> str:
    """``text`` with its line starting ``start`` replaced by ``new`` (unchanged when there is none)."""
    out = []
    for line in text.split("\n"):
        out.append(new if line.startswith(start) else line)
    return "\n".join(out)


def _people_line(network: Network, folders: Counter[str], notes: list[str]) -> str:
    if folders or notes:
        places = sorted(folders) + notes
        counts = ", ".join([f"{folders[f]} in {f}/" for f in sorted(folders)] + [f"{n}" for n in notes])
        return f"people = {json.dumps(places, ensure_ascii=False)}   # where people were found ({counts})"
    if network.standings:
        return ("people = []                # no people folder: people are notes " + RULE_SAID["property"]
                + ", tagged #person, or made from a person template")
    own = own_people_folder(network)
    if own:
        return f'people = ["{own}"]   # the vault\'s own folder for people, empty so far: `vaultnet add NAME` puts them there'
    return '# people = ["People"]            # folders whose notes are contacts (found by name when unset)'
