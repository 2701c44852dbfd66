"""Links from a notification to a person's note: ``obsidian://open?vault=…&file=…``.

Obsidian names a vault after its folder; the phone that opens the link may
call the synced vault otherwise, so ``[notify] obsidian_vault`` names it. A
vault is an Obsidian vault when it has Obsidian's config folder: ``.obsidian/``,
or another dot-folder holding Obsidian's settings (the config folder can be
renamed per device).
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from vaultnet.files.config import Config

# Files Obsidian keeps in its config folder, whatever the folder is called.
OBSIDIAN_SETTINGS = ("app.json", "appearance.json", "core-plugins.json", "workspace.json", "workspace-mobile.json")


def config_folder(root: Path) -> str | None:
    """The vault's Obsidian config folder (``.obsidian`` or a renamed one), or None when it has none."""
    if (root / ".obsidian").is_dir():
        return ".obsidian"
    try:
        names = sorted(entry.name for entry in os.scandir(root) if entry.name.startswith(".") and entry.is_dir())
    except OSError:
        return None
    return next((name for name in names if any((root / name / settings).is_file() for settings in OBSIDIAN_SETTINGS)),
                None)


def vault_name(config: Config) -> str | None:
    """The name ``obsidian://`` links use: ``[notify] obsidian_vault``, else the folder's name; None without Obsidian."""
    if config.notify.obsidian_vault:
        return config.notify.obsidian_vault
    return config.root.name if config_folder(config.root) is not None else None


def note_uri(vault: str, rel: str) -> str:
    """``obsidian://open?vault=Notes&file=People%2FAna%20Souza``: the note ``rel`` (vault-relative) in ``vault``."""
    file = rel[:-3] if rel.lower().endswith(".md") else rel
    return f"obsidian://open?vault={quote(vault, safe='')}&file={quote(file, safe='')}"
