"""What was sent, remembered in the vault: one line per notification and target.

The record is a small markdown note in vaultnet's output folder
(``vaultnet/Notifications sent.md``), so that whatever syncs the vault carries it
to every device: Obsidian Sync skips dot-folders and by default syncs only
markdown, and ``.vaultnet/`` is local to each device. Each line stands alone
and is never changed, so two devices' versions merge as a union of lines;
conflict copies of the note (``… (conflicted copy …).md``,
``….sync-conflict-….md``) are read too, and their lines are folded into the
note the next time it is written. Lines older than :data:`KEEP_DAYS` are
dropped then: a notification is only ever looked up for today or this week.

A line reads ``- sent daily-2026-11-21 to ntfy-3fa2c1 at 2026-11-21 08:00 from laptop``:
the notification's id, the target's key (never its address), when, and from
which device. The lines are plain list items without links or tags, so they
never count as contact.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable

from vaultnet.files.config import Config
from vaultnet.files.generated import sent_rel
from vaultnet.files.walk import conflict_original
from vaultnet.files.writes import decode_text, edit_text, read_bytes

KEEP_DAYS = 90
HEADER = ("%% vaultnet: the notifications it sent, one line each, from every device. "
          "A notification listed here is not sent again. %%")
_LINE = re.compile(r"^- sent (?P<id>\S+) to (?P<target>\S+) at (?P<day>\d{4}-\d{2}-\d{2})\b.*$")

Sent = frozenset[tuple[str, str]]  # (notification id, target key)


def line(message_id: str, target: str, at: dt.datetime, device: str) -> str:
    device = " ".join(device.split()) or "?"
    return f"- sent {message_id} to {target} at {at:%Y-%m-%d %H:%M} from {device}"


def _copies(config: Config) -> list[str]:
    """The record note and its sync-conflict copies, vault-relative."""
    rel = sent_rel(config)
    folder, _, name = rel.rpartition("/")
    stem = name[:-3]
    try:
        names = sorted(entry.name for entry in os.scandir(config.root / folder) if entry.name.lower().endswith(".md"))
    except OSError:
        return [rel]
    copies = [f"{folder}/{found}" for found in names if found != name and conflict_original(found) == stem]
    return [rel, *copies]


def _lines(text: str | None) -> list[str]:
    return [item for item in (text or "").splitlines() if _LINE.match(item)]


def _read(config: Config, rel: str) -> str | None:
    data = read_bytes(config.root / rel)
    if data is None:
        return None
    try:
        return decode_text(data)
    except UnicodeDecodeError:
        return None  # not vaultnet's any more; the next write refuses it with a message


def read_lines(config: Config) -> list[str]:
    """Every record line of the note and its conflict copies, once each, in the order first seen."""
    return list(dict.fromkeys(found for rel in _copies(config) for found in _lines(_read(config, rel))))


def sent(config: Config) -> Sent:
    """(notification id, target key) for everything any device recorded as sent."""
    return frozenset((match["id"], match["target"]) for found in read_lines(config) if (match := _LINE.match(found)))


def remember(config: Config, entries: Iterable[str], today: dt.date) -> bool:
    """Add record lines (made by :func:`line`) to the note, with the conflict copies' lines; a safe, checked write."""
    added = list(entries)
    folded = [found for rel in _copies(config)[1:] for found in _lines(_read(config, rel))]
    oldest = (today - dt.timedelta(days=KEEP_DAYS)).isoformat()

    def merged(text: str | None) -> str:
        kept = [found for found in dict.fromkeys([*_lines(text), *folded, *added])
                if (match := _LINE.match(found)) and match["day"] >= oldest]
        return "\n".join([HEADER, "", *kept]) + "\n"

    return edit_text(config.root, sent_rel(config), merged).changed
