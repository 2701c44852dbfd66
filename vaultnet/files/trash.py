"""Moving a note to the trash, never deleting it.

Where a note goes is where Obsidian would send a note you delete: the vault's
``.trash/`` folder, or the system trash when Obsidian's "Deleted files"
setting says so (``trashOption`` in ``.obsidian/app.json``). ``trash =
"local"`` or ``"system"`` in ``vaultnet.toml`` chooses instead. A note moved to
``.trash/`` keeps its name; when the name is taken there, a number is added
(``Ana Souza 1.md``). The note is checked right before the move: if it changed
since vaultnet read it, nothing moves.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Literal

from vaultnet.base.errors import VaultnetError
from vaultnet.files.config import Config
from vaultnet.files.pathsafety import make_parents, os_error, remove_folders, target_in_vault
from vaultnet.files.reads import WriteConflict, read_bytes, read_settled

LOCAL = ".trash"
SYSTEM = "the system trash"
Mode = Literal["local", "system"]


def trash_mode(config: Config) -> Mode:
    """``local`` (``.trash/``) or ``system``: ``vaultnet.toml``'s ``trash``, else Obsidian's own setting."""
    if config.trash in ("local", "system"):
        return config.trash  # type: ignore[return-value]
    try:
        settings = json.loads((config.root / ".obsidian" / "app.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "local"
    return "system" if isinstance(settings, dict) and settings.get("trashOption") == "system" else "local"


def trash_target(config: Config, rel: str) -> str:
    """Where ``rel`` goes: a free name in ``.trash/`` (vault-relative), or :data:`SYSTEM`."""
    if trash_mode(config) == "system":
        return SYSTEM
    name = rel.rsplit("/", 1)[-1]
    stem, dot, ext = name.rpartition(".")
    stem, ext = (stem, dot + ext) if dot else (name, "")
    for number in range(0, 10_000):
        candidate = f"{LOCAL}/{stem}{f' {number}' if number else ''}{ext}"
        if not os.path.lexists(config.root / candidate):
            return candidate
    raise VaultnetError(f"{LOCAL}/ holds too many notes named {name}; empty it first")


def move_to_trash(config: Config, rel: str, expected: bytes, target: str) -> None:
    """Move ``rel`` to ``target`` (from :func:`trash_target`) if it still holds ``expected``.

    Raises :class:`WriteConflict` when the note changed meanwhile (nothing moves).
    """
    source = config.root / rel
    try:
        if read_settled(source) != expected:
            raise WriteConflict(f"{rel} changed while vaultnet was working; run the command again")
        if target == SYSTEM:
            from send2trash import send2trash

            send2trash(os.fspath(source))
            return
        destination = target_in_vault(config.root, target)
        created = make_parents(config.root, destination, target)
        try:
            _move(source, destination)
        except BaseException:
            remove_folders(created)
            raise
    except OSError as err:
        raise os_error(rel, err, verb="move") from None
    if read_bytes(destination) != expected:  # a save landed between the check and the move: it is in the trash
        raise VaultnetError(f"{rel} changed at the moment it was moved; its latest version is {target}")


def _move(source: Path, destination: Path) -> None:
    """A move that never replaces a file: a hard link, then the old name goes (a rename where links fail)."""
    try:
        os.link(source, destination, follow_symlinks=False)
    except FileExistsError:
        raise WriteConflict(f"{destination.name} appeared in {LOCAL}/ meanwhile; run the command again") from None
    except OSError:
        if os.path.lexists(destination):
            raise WriteConflict(f"{destination.name} appeared in {LOCAL}/ meanwhile; run the command again") from None
        os.rename(source, destination)
        return
    os.unlink(source)
