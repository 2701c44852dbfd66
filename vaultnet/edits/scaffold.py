"""``vaultnet init``: the few files a new vault needs, fitted to the vault, never overwriting any."""

from __future__ import annotations

import json
from pathlib import Path

from vaultnet.base.errors import ConfigError
from vaultnet.files.config import CONFIG_NAME, STATE_DIR, Config, load_config
from vaultnet.output.survey import RULE_WORDS, Candidates, candidates, read_all
from vaultnet.output.templates import read_default


def init_vault(root: Path, people: str = "People") -> list[tuple[str, bool]]:
    """Create what is missing; returns ``(relative path, created)`` for each item.

    ``People/`` is created only when the vault keeps its people nowhere vaultnet can see.
    """
    root.mkdir(parents=True, exist_ok=True)
    results: list[tuple[str, bool]] = []
    found: Candidates | None = None
    config: Config | None = None
    try:
        config = load_config(root)
        found = candidates(config, read_all(config))
    except ConfigError:
        pass  # an existing vaultnet.toml that cannot be read is kept as it is
    files = {
        CONFIG_NAME: fitted_config(config, found) if config and found else read_default(CONFIG_NAME),
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
    if found is None or not found.contacts:
        folder = root / people
        results.append((people + "/", not folder.exists()))
        folder.mkdir(exist_ok=True)
    return results


def fitted_config(config: Config, found: Candidates) -> str:
    """The default vaultnet.toml, with a first part saying what was found and the choices made from it."""
    lines = ["# Written by `vaultnet init` from what it found in this vault:"]
    if found.contacts:
        lines.append(f"# - {found.contacts} notes are people.")
    else:
        lines.append(f"# - no notes are people yet ({found.notes} notes read): `vaultnet add NAME` creates one in People/.")
    if config.daily_folder or config.daily_format != "YYYY-MM-DD":
        where = f"the settings of {config.daily_source}" if config.daily_source else "vaultnet.toml"
        lines.append(f"# - daily notes: {config.daily_folder or 'the vault root'}/{config.daily_format}.md"
                     f" (from {where}, read on every run).")
    if config.templates_folders:
        lines.append(f"# - templates, skipped: {', '.join(f + '/' for f in config.templates_folders)}"
                     f" (from the settings of {' and '.join(config.templates_sources)}).")
    lines.append("")
    choice = _people_line(found)
    text = read_default(CONFIG_NAME)
    first, _, rest = text.partition("\n# people = ")
    rest = rest.split("\n", 1)[1] if "\n" in rest else ""
    return "\n".join(lines) + "\n" + first + "\n" + choice + "\n" + rest


def _people_line(found: Candidates) -> str:
    if found.people_folders:
        folders = sorted(found.people_folders)
        counts = ", ".join(f"{found.people_folders[f]} in {f}/" for f in folders)
        return f"people = {json.dumps(folders, ensure_ascii=False)}   # where people were found ({counts})"
    if found.contacts:
        return ("people = []                # no people folder: people are notes " + RULE_WORDS["property"]
                + " or tagged #person")
    return '# people = ["People"]            # folders whose notes are contacts (found by name when unset)'

