"""A vdir: one folder, one card or calendar item per file, the layout vdirsyncer syncs with a server.

vdirsyncer knows an item by the UID inside it, not by its file name (cards made
on a phone arrive as ``<random uuid>.vcf``), and sees a change when a file's
mtime or inode changed *and* its content did, ignoring PRODID, REV, DTSTAMP
and the like. So items are found by their UID, an item is written only when
what it says changed (:func:`signature`), and every write goes to a ``.tmp``
file in the same folder (vdirsyncer ignores those) that then replaces the item
in one step, never after the file changed since it was read.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from vaultnet.base.errors import Problem, VaultnetError

# What a server or a phone may change in an item without changing what it says.
IGNORED = frozenset({"PRODID", "REV", "DTSTAMP", "LAST-MODIFIED", "CREATED", "SEQUENCE", "METHOD",
                     "X-RADICALE-NAME", "X-WR-CALNAME"})
_SAFE_UID = re.compile(r"[A-Za-z0-9_.+-]{1,200}")
_FOLD = re.compile(r"\r?\n[ \t]")
_LINES = re.compile(r"\r\n|\r|\n")
MAX_ITEM_BYTES = 4 * 1024 * 1024  # a card with a large photo is well under this

Stat = tuple[int, int, int]  # size, mtime in ns, inode: vdirsyncer's own change signal, and the size


@dataclass(frozen=True)
class Item:
    """One file of a vdir: its UID, its name in the folder, its text and its stat when read."""

    uid: str
    name: str
    text: str
    stat: Stat


def unfolded(text: str) -> list[str]:
    """The content lines of an item, folded lines joined, blank lines left out."""
    return [line for line in _LINES.split(_FOLD.sub("", text)) if line.strip()]


def _split(line: str) -> tuple[str, str]:
    """``NAME;PARAMS`` and the value: the first colon outside double quotes ends the name."""
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            return line[:index], line[index + 1:]
    return line, ""


def property_name(line: str) -> str:
    """``item1.TEL;TYPE=CELL:...`` → ``TEL``."""
    return _split(line)[0].split(";", 1)[0].rsplit(".", 1)[-1].strip().upper()


def uid_of(text: str) -> str | None:
    """The first UID in an item (vdirsyncer's identity for it), or None."""
    for line in unfolded(text):
        if property_name(line) == "UID":
            value = _split(line)[1].strip()
            return value or None
    return None


def signature(text: str) -> str:
    """What an item says, as a digest: its lines unfolded and sorted, names and parameters in one case,
    the properties a server or phone touches without meaning a change left out."""
    found = []
    for line in unfolded(text):
        head, value = _split(line)
        if property_name(line) in IGNORED:
            continue
        name, _, params = head.partition(";")
        found.append(f"{name.strip().upper()};{';'.join(sorted(params.upper().split(';')))}:{value.rstrip()}")
    return hashlib.sha256("\n".join(sorted(found)).encode("utf-8")).hexdigest()


def file_name(uid: str, ext: str) -> str:
    """The file a new item is written to: ``<UID>.vcf`` when the UID is safe as a name (as vdirsyncer names them)."""
    if _SAFE_UID.fullmatch(uid) and not uid.startswith("."):
        return uid + ext
    return "vaultnet-" + hashlib.sha256(uid.encode("utf-8")).hexdigest()[:24] + ext


def _stat(result: os.stat_result) -> Stat:
    return (result.st_size, result.st_mtime_ns, result.st_ino)


def open_folder(folder: Path) -> bool:
    """Make sure the folder exists (vdirsyncer's filesystem storage does not make it); True when it was made."""
    if folder.is_dir():
        return False
    if folder.exists():
        raise VaultnetError(f"{folder} is not a folder")
    try:
        folder.mkdir(parents=True)
    except OSError as err:
        raise VaultnetError(f"cannot make the folder {folder}: {err.strerror}") from None
    return True


def read_folder(folder: Path, ext: str) -> tuple[dict[str, Item], list[Problem]]:
    """Every item of the folder by UID, and one problem for each file that cannot be one.

    Two files with one UID are a problem each and neither is used: vdirsyncer
    refuses to sync such a folder until one is removed.
    """
    items: dict[str, Item] = {}
    problems: list[Problem] = []
    clashes: dict[str, list[str]] = {}
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as err:
        raise VaultnetError(f"cannot read the folder {folder}: {err.strerror}") from None
    for entry in entries:
        if entry.name.startswith(".") or not entry.name.endswith(ext) or not entry.is_file(follow_symlinks=False):
            continue
        try:
            stat = _stat(entry.stat(follow_symlinks=False))
            if stat[0] > MAX_ITEM_BYTES:
                problems.append(Problem(str(Path(folder, entry.name)), None, "larger than 4 MB; left alone"))
                continue
            text = Path(entry.path).read_bytes().decode("utf-8")
        except OSError as err:
            problems.append(Problem(str(Path(folder, entry.name)), None, f"cannot read: {err.strerror}"))
            continue
        except UnicodeDecodeError:
            problems.append(Problem(str(Path(folder, entry.name)), None, "not UTF-8 text; left alone"))
            continue
        uid = uid_of(text)
        if uid is None:
            problems.append(Problem(str(Path(folder, entry.name)), None, "no UID; left alone"))
            continue
        clashes.setdefault(uid, []).append(entry.name)
        items[uid] = Item(uid, entry.name, text, stat)
    for uid, names in clashes.items():
        if len(names) > 1:
            del items[uid]
            problems.append(Problem(str(folder), None, f"{', '.join(names)} have the same UID {uid!r}; "
                                    "none is synced until one is removed (vdirsyncer refuses them too)"))
    return items, problems


def stat_of(folder: Path, name: str) -> Stat | None:
    try:
        return _stat((folder / name).stat(follow_symlinks=False))
    except OSError:
        return None


def inputs_digest(*parts: object) -> str:
    """A digest of what an item is made from (JSON-able parts), to tell without making it whether it would change."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()[:32]


def write_item(folder: Path, name: str, text: str, expected: Stat | None) -> bool:
    """Write an item in one step; False when the file is not as it was read (``expected``; None: absent)."""
    path = folder / name
    try:
        current: Stat | None = _stat(path.stat(follow_symlinks=False))
    except FileNotFoundError:
        current = None
    if current != expected:
        return False
    temporary = folder / (name + ".tmp")  # not an item to vdirsyncer (its name does not end with the extension)
    try:
        with open(temporary, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as err:
        temporary.unlink(missing_ok=True)
        raise VaultnetError(f"cannot write {path}: {err.strerror}") from None
    return True


def remove_item(folder: Path, item: Item) -> bool:
    """Remove an item, unless it changed since it was read."""
    path = folder / item.name
    try:
        if _stat(path.stat(follow_symlinks=False)) != item.stat:
            return False
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as err:
        raise VaultnetError(f"cannot remove {path}: {err.strerror}") from None
    return True
