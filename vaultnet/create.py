"""New contact notes, from the ``person`` template (``vaultnet add`` and imports)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .config import Config
from .contacts import Contact, fold
from .errors import VaultnetError
from .filenames import safe_filename
from .properties import yaml_lines
from .render import render
from .writes import safe_write

PERSON_TEMPLATE = "person.md"


class ContactExists(VaultnetError):
    """A contact with that name (or alias) already exists."""


def find_existing(name: str, contacts: Sequence[Contact]) -> Contact | None:
    """The contact whose file name or alias is ``name``, case-insensitively."""
    key = fold(name)
    return next((c for c in contacts if key in {fold(n) for n in c.names}), None)


def contact_path(config: Config, name: str, contacts: Sequence[Contact]) -> str:
    """Where a new contact named ``name`` goes; refuses names already taken."""
    existing = find_existing(name, contacts)
    if existing is not None:
        how = "named" if fold(existing.name) == fold(name) else "has the alias"
        raise ContactExists(f"{existing.path} already {how} {name!r}")
    try:
        stem = safe_filename(name)
    except ValueError as err:
        raise VaultnetError(str(err)) from None
    folder = config.people[0] if config.people else ""
    rel = f"{folder}/{stem}.md" if folder else f"{stem}.md"
    # A case-insensitive file system would open the other note: detect that too.
    directory = config.root / folder
    if directory.is_dir():
        for entry in directory.iterdir():
            if fold(entry.name) == fold(f"{stem}.md"):
                raise ContactExists(f"{folder}/{entry.name} already exists")
    return rel


def person_note(config: Config, values: Mapping[str, Any]) -> str:
    """The new note's text; ``values`` are front-matter keys in order (empty ones left out)."""
    properties = [
        line
        for key, value in values.items()
        if value not in (None, "", [], ())
        for line in yaml_lines(config.key(key), value)
    ]
    return render(config, PERSON_TEMPLATE, {"properties": properties, "log_heading": config.log_heading})


def create_contact(
    config: Config, name: str, values: Mapping[str, Any], contacts: Sequence[Contact], dry_run: bool = False
) -> str:
    """Write a new contact note; returns its path relative to the vault."""
    rel = contact_path(config, name, contacts)
    if not dry_run:
        safe_write(config.root, rel, person_note(config, values).encode("utf-8"), None)
    return rel
