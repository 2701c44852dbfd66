"""What the vault and the phone last agreed on, kept where every device finds it; and what this device saw.

The shared state is a markdown note in vaultnet's output folder
(``vaultnet/Phone sync.md``): Obsidian Sync skips dot-folders and by default
syncs only markdown, so a note is what reaches every device, and the next sync
can run on any of them. It holds one line per card (``## Contacts``: the values
agreed on, which the next three-way merge starts from; or that the card was
deleted on the phone, or its note left the vault) and one per calendar item the
phone deleted (``## Calendar``). Each line is one JSON object, in a code block
so that Obsidian takes no link or tag in it for the user's; a sync tool's merge
of two versions is then a union of lines, a line that is no JSON is left out,
and a line deleted by hand forgets that card.
Conflict copies of the note are read too (the note's own line wins) and folded
in at the next write.

What this device's vdir held after its last sync is kept in ``.vaultnet/phone/``
(local, as the vdir is): only a file that was there then and is gone now was
deleted on the phone. A folder never seen, or emptied, deletes nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from vaultnet.base.errors import VaultnetError
from vaultnet.files.config import STATE_DIR, Config
from vaultnet.files.walk import conflict_original
from vaultnet.files.writes import WriteConflict, decode_text, edit_text, read_bytes, safe_write

NAME = "Phone sync"
HEADER = ("%% vaultnet: what the vault and the phone last agreed on, for the next `vaultnet sync` on any device "
          "(docs/phone.md). Delete a line to start that card or event afresh. %%")
Section = Literal["contacts", "calendar"]
SECTIONS: dict[Section, str] = {"contacts": "## Contacts", "calendar": "## Calendar"}
LOCAL = f"{STATE_DIR}/phone"
FENCE = "```json"


def state_rel(config: Config) -> str:
    return f"{config.output}/{NAME}.md"


@dataclass
class Shared:
    """Every entry of the shared state: section → UID → the entry (a JSON object with ``uid`` first)."""

    entries: dict[Section, dict[str, dict[str, Any]]] = field(
        default_factory=lambda: {"contacts": {}, "calendar": {}})

    def text(self) -> str:
        parts = [HEADER]
        for section, heading in SECTIONS.items():
            parts += ["", heading, "", FENCE]
            for uid in sorted(self.entries[section]):
                parts.append(json.dumps({"uid": uid, **self.entries[section][uid]}, ensure_ascii=False))
            parts.append("```")
        return "\n".join(parts) + "\n"


def _parse(text: str) -> dict[Section, dict[str, dict[str, Any]]]:
    found: dict[Section, dict[str, dict[str, Any]]] = {"contacts": {}, "calendar": {}}
    section: Section | None = None
    for line in text.splitlines():
        heading = next((name for name, title in SECTIONS.items() if line.strip() == title), None)
        if heading is not None:
            section = heading
            continue
        if section is None or not line.startswith("{"):
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and isinstance(entry.get("uid"), str):
            uid = entry.pop("uid")
            found[section][uid] = entry
    return found


def _copies(config: Config) -> list[str]:
    """The state note and its sync-conflict copies, vault-relative."""
    rel = state_rel(config)
    folder, _, name = rel.rpartition("/")
    try:
        names = sorted(entry.name for entry in os.scandir(config.root / folder) if entry.name.lower().endswith(".md"))
    except OSError:
        return [rel]
    return [rel, *(f"{folder}/{found}" for found in names if found != name and conflict_original(found) == name[:-3])]


def _read(config: Config, rel: str) -> str:
    try:
        data = read_bytes(config.root / rel)
        return decode_text(data) if data is not None else ""
    except (OSError, UnicodeDecodeError, VaultnetError):
        return ""


def _fold(shared: Shared, text: str) -> None:
    """Add the entries of one version of the note; an entry already there wins."""
    for section, entries in _parse(text).items():
        for uid, entry in entries.items():
            shared.entries[section].setdefault(uid, entry)


def load_shared(config: Config) -> Shared:
    """The state as every device left it (the note's own lines first, then its conflict copies')."""
    shared = Shared()
    for rel in _copies(config):
        _fold(shared, _read(config, rel))
    return shared


def save_shared(config: Config, section: Section, entries: dict[str, dict[str, Any]], write: bool = True) -> bool:
    """Replace one section of the state note; the other keeps its lines as they are when the note is written."""
    copies = [_read(config, rel) for rel in _copies(config)[1:]]

    def merged(text: str | None) -> str:
        current = Shared()
        for version in (text or "", *copies):
            _fold(current, version)
        current.entries[section] = entries
        return current.text()

    return edit_text(config.root, state_rel(config), merged, write=write).changed


# -------------------------------------------------------------- this device


@dataclass
class Local:
    """What one vdir held after this device's last sync: each item's file, and what it was made from.

    ``known`` is an item's stat when it was last written or found right, and a
    digest of everything vaultnet made it from: while both stay the same, the
    item is as the last sync left it and is neither read nor made again.
    """

    folder: str
    seen: dict[str, str] = field(default_factory=dict)  # UID → file name
    known: dict[str, list[Any]] = field(default_factory=dict)  # UID → [size, mtime in ns, inode, inputs digest]

    def to_json(self) -> dict[str, Any]:
        return {"folder": self.folder, "seen": dict(sorted(self.seen.items())), "known": dict(sorted(self.known.items()))}

    def unchanged(self, uid: str, stat: tuple[int, int, int], inputs: str) -> bool:
        return self.known.get(uid) == [*stat, inputs]

    def made_from(self, uid: str) -> str | None:
        found = self.known.get(uid)
        return found[3] if isinstance(found, list) and len(found) == 4 else None


def _local_rel(kind: Section, folder: Path) -> str:
    digest = hashlib.sha256(str(folder.resolve()).encode("utf-8")).hexdigest()[:16]
    return f"{LOCAL}/{kind}-{digest}.json"


def load_local(config: Config, kind: Section, folder: Path) -> Local | None:
    """This device's record of the folder, or None when it has none (a folder never synced here)."""
    try:
        data = read_bytes(config.root / _local_rel(kind, folder))
        raw = json.loads(data.decode("utf-8")) if data is not None else None
    except (OSError, ValueError, VaultnetError):
        return None
    if not isinstance(raw, dict) or raw.get("folder") != str(folder.resolve()):
        return None
    seen, known = raw.get("seen"), raw.get("known")
    return Local(raw["folder"], dict(seen) if isinstance(seen, dict) else {},
                 dict(known) if isinstance(known, dict) else {})


def save_local(config: Config, kind: Section, folder: Path, local: Local) -> None:
    """Write the record when it changed; a record that cannot be written costs a deletion seen late, nothing else."""
    rel = _local_rel(kind, folder)
    data = (json.dumps(local.to_json(), ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    try:
        base = config.root / LOCAL
        if not base.is_dir():
            base.mkdir(parents=True)
            (base / ".gitignore").write_text("*\n", encoding="utf-8")  # one device's record: never committed
        safe_write(config.root, rel, data, read_bytes(config.root / rel))
    except (OSError, VaultnetError, WriteConflict):
        pass
