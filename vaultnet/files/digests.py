"""What a note gives a build, as a number every device works out the same: the digest of its synced content.

Two devices that hold the same notes must agree on what their generated notes
were built from, whatever their clocks, inodes, caches or templates. So a
note's digest is of its name (NFC) and its bytes, never of its file's times,
and a generated note's is of its ticked items alone: the rest of it is what a
build wrote, and another device rewriting it (with its own template) gives no
build anything new. Digests combine by XOR, so the vault's digest follows one
note's change without going over thirty thousand again.

Kept light (no parsing, no YAML): the warm build's check uses it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from vaultnet.files.config import Config
from vaultnet.files.copies import nfc
from vaultnet.files.generated import capture_folder, memory_rel

# A task item the user changed: any state but open. The same lines ``output.regions.user_items`` keeps.
_ITEM_START = re.compile(rb"[ \t>]*(?:[-*+]|\d+[.)])[ \t]+\[[^ \]]\]")
_USER_ITEM = re.compile(rb"^" + _ITEM_START.pattern + rb".*$", re.MULTILINE)
# A changed task's box anywhere in a line, found fast: a note without one has no ticked items.
_MARK = re.compile(rb"\[[^ \]]\]")
_DELIMITER = re.compile(rb"[ \t:|\r-]*\Z")  # a table's delimiter row (``| --- | :-: |``), roughly: the parse decides
# A note whose mtime is this close to the time it was read may change again within its
# file system's timestamp resolution (a second on HFS+, SMB and small-inode ext4; two on FAT)
# without its size, mtime or ctime changing: it is read again next time (git's "racy clean").
RACY_NS = 2_000_000_000


def counts_by_ticks(config: Config, rel: str) -> bool:
    """True for vaultnet's generated notes (plans, the index): only their ticked items are input.

    Capture notes and vaultnet's memory are input as a whole.
    """
    if not rel.startswith(config.output + "/") or not rel.endswith(".md"):
        return False
    return not rel.startswith(capture_folder(config) + "/") and rel != memory_rel(config)


def ticked_lines(data: bytes) -> list[bytes]:
    """The ticked (or otherwise changed) task lines of a note, in a form independent of their order."""
    if not _MARK.search(data):
        return []  # no changed box at all (the index, nearly always): no line to look for
    return sorted({line.rstrip() for line in _USER_ITEM.findall(data.replace(b"\r\n", b"\n"))})


def as_read(data: bytes) -> bytes:
    """A generated note as a build reads it: its ticked items, every other line blank (so each keeps its number).

    The rest of it is what a build wrote, in whatever template the device that wrote it
    has: reading it would let one device's wording (its prose, its ten thousand index rows)
    count, and costs a parse of every row after every build. The lines that decide whether
    a line is an item stay (a fence, a comment, a quote, a table's delimiter), so a tick in
    a code block is still no tick. A note that is not UTF-8 is left whole, for its problem.
    """
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return data
    if not _MARK.search(data):
        return b"\n" * data.count(b"\n")
    return b"\n".join(line if _decides(line) else b"" for line in data.split(b"\n"))


def _decides(line: bytes) -> bool:
    """A ticked item, or a line that decides whether one is an item."""
    return bool((b"[" in line and _ITEM_START.match(line)) or b"``" in line or b"~~" in line or b"%%" in line
                or b"<!--" in line or b"-->" in line or line.lstrip().startswith(b">")
                or (b"|" in line and b"-" in line and _DELIMITER.match(line)))


def content_key(config: Config, rel: str, data: bytes) -> bytes:
    """What of ``data`` a build reads: the ticked lines of a generated note, all of any other."""
    if counts_by_ticks(config, rel):
        return b"\n".join(ticked_lines(data))
    return data


def digest(rel: str, key: bytes) -> int:
    """One note's digest: its NFC path and what it gives (128 bits, combined by XOR)."""
    return int.from_bytes(hashlib.blake2b(nfc(rel).encode("utf-8", "surrogateescape") + b"\0" + key,
                                          digest_size=16).digest(), "big")


def note_digest(config: Config, rel: str, data: bytes) -> int:
    """A note's digest; 0 for a generated note without ticks, which gives a build what no note gives."""
    key = content_key(config, rel, data)
    return 0 if not key and counts_by_ticks(config, rel) else digest(rel, key)


def problem_digest(rel: str, messages: Iterable[str]) -> int:
    """The digest of a note that could not be read: what it says about it."""
    return digest(rel, b"\0unreadable\0" + "\n".join(messages).encode("utf-8", "surrogateescape"))


def combine(digests: Iterable[int]) -> int:
    found = 0
    for value in digests:
        found ^= value
    return found


def short(value: int) -> str:
    """The digest as generated notes write it: 12 hex digits."""
    return f"{value:032x}"[:12]


def racy(mtime_ns: int, read_at_ns: int) -> bool:
    """True when a note modified at ``mtime_ns`` and read at ``read_at_ns`` may change unseen."""
    return mtime_ns > read_at_ns - RACY_NS
