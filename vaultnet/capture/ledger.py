"""What was read of each mail source, so that a rescan reads only what is new.

A mailbox of years is read once. For an mbox the ledger keeps its size, time
and inode and the position reached, with hashes of the bytes at its start and
just before that position: an unchanged mbox is not read at all, an appended
one from that position, and one rewritten (compacted, replaced) from the start.
For a Maildir it keeps which messages (by the unique part of their file names)
were read. A message that could not be read is passed like the others, so it is
reported once, not on every rescan.

Everything read depends on who the contacts and your addresses are, so each
mark carries a digest of them: when they change, the source is read whole
again (the capture ids keep that from writing anything twice).

The ledger is ``.vaultnet/cache/capture.json``: per device (the paths are), never
synced, and losing it costs only one full read.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from dataclasses import asdict, dataclass, field

from vaultnet.base.errors import VaultnetError
from vaultnet.files.config import STATE_DIR, Config
from vaultnet.files.writes import WriteConflict, read_bytes, safe_write

log = logging.getLogger(__name__)

NAME = "capture.json"
FORMAT = 1


def digest_bytes(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def key_of(name: str) -> str:
    """A Maildir message's unique name, short (a ledger of 100,000 messages stays small)."""
    return hashlib.sha1(name.encode("utf-8", "surrogateescape")).hexdigest()[:12]


@dataclass
class Mark:
    """What was read of one source."""

    kind: str  # "mbox", "maildir" or "message"
    size: int = 0
    mtime_ns: int = 0
    inode: int = 0
    position: int = 0  # mbox: the offset of the first message not yet read
    numbered: int = 0  # mbox: messages before the position (so that "message N" keeps its number)
    head: str = ""  # mbox: hash of the bytes from the start (up to 4 kB)
    tail: str = ""  # mbox: hash of the bytes before the position (up to 4 kB)
    names: list[str] = field(default_factory=list)  # Maildir: keys of the messages read
    people: str = ""  # digest of the contacts' and your addresses it was read with


class Ledger:
    """The marks of every mail source, by the source's identity (its path, as the same on every device)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.rel = f"{STATE_DIR}/cache/{NAME}"
        self.marks = self._load()[1]

    def _load(self) -> tuple[bytes | None, dict[str, Mark]]:
        try:
            data = read_bytes(self.config.root / self.rel)
            found = json.loads(data) if data is not None else None
        except (OSError, ValueError, VaultnetError) as err:
            log.warning("ignoring %s (%s): mail sources are read whole once more", self.rel, err)
            return None, {}
        marks: dict[str, Mark] = {}
        if isinstance(found, dict) and found.get("format") == FORMAT and isinstance(found.get("sources"), dict):
            for identity, mark in found["sources"].items():
                with contextlib.suppress(TypeError):
                    marks[identity] = Mark(**mark)
        return data, marks

    def get(self, identity: str) -> Mark | None:
        return self.marks.get(identity)

    def put(self, identity: str, mark: Mark) -> None:
        """Remember ``mark``, merged into the ledger as it is now on disk (another import may have
        written it meanwhile); a ledger that cannot be written costs a full read next time."""
        self.marks[identity] = mark
        if not self.config.root.is_dir():
            return  # the vault is gone: never create it again
        for _attempt in range(3):
            current, marks = self._load()
            marks[identity] = mark
            data = json.dumps({"format": FORMAT, "sources": {key: asdict(value) for key, value in sorted(marks.items())}},
                              separators=(",", ":")).encode("utf-8")
            try:
                safe_write(self.config.root, self.rel, data, current)
                _ignore_cache(self.config)
                return
            except WriteConflict:
                continue
            except VaultnetError as err:
                log.warning("cannot remember what was read of the mail sources: %s", err)
                return


def _ignore_cache(config: Config) -> None:
    """``.vaultnet/.gitignore`` names ``cache/``: what was read here is this device's, never committed."""
    ignore = config.root / STATE_DIR / ".gitignore"
    if not os.path.lexists(ignore):  # a dangling link would make a file wherever it points
        with contextlib.suppress(OSError), open(ignore, "x", encoding="utf-8") as handle:
            handle.write("cache/\n")
