"""Where vaultnet's own notes live in the vault: the index, the weekly plans,
the contact calendar, the capture notes and the record of notifications sent.

The names are settings (``output``, ``index_name``, ``plan_name``); every stage
that must tell vaultnet's notes from the user's asks here, so readers of notes
need not import the stages that write them.
"""

from __future__ import annotations

from vaultnet.base.dates import Date, iso_week
from vaultnet.files.config import Config

PICTURE = "Contact calendar.svg"  # the contact calendar the index embeds
CAPTURES = "Captures"  # capture notes: <output>/Captures/YYYY-MM.md
SENT = "Notifications sent"  # what `watch` and `notify` sent, one line each, kept in the vault so every device knows
MEMORY = "Company and role changes"  # what vaultnet remembers between builds, synced with the vault


def index_rel(config: Config) -> str:
    return f"{config.output}/{config.index_name}.md"


def memory_rel(config: Config) -> str:
    """The note that keeps each contact's company and role as last seen, and the changes noticed."""
    return f"{config.output}/{MEMORY}.md"


def picture_rel(config: Config) -> str:
    return f"{config.output}/{PICTURE}"


def plan_rel(config: Config, week: str) -> str:
    return f"{config.output}/{config.plan_name.format(week=week)}.md"


def sent_rel(config: Config) -> str:
    return f"{config.output}/{SENT}.md"


def outputs(config: Config, today: Date) -> list[str]:
    """The generated notes, in the order a build reports them."""
    return [plan_rel(config, iso_week(today)), index_rel(config), picture_rel(config)]


def capture_folder(config: Config) -> str:
    return f"{config.output}/{CAPTURES}"


def is_capture_note(config: Config, rel: str) -> bool:
    """Capture notes count their plain dated lines; other generated notes only their ticked items."""
    return rel.startswith(capture_folder(config) + "/") and rel.endswith(".md")


def capture_rel(config: Config, day: Date) -> str:
    return f"{capture_folder(config)}/{day:%Y-%m}.md"
