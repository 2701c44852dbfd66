"""A two-way sync between two folders, as Syncthing (or a keep-the-newer tool) does it, for the device tests.

    python syncer.py A B --mode conflicts|newer --stop FILE --log FILE [--interval SECONDS]

Every ``interval`` it compares both folders with what they last agreed on
(content, not times) and carries each change across, keeping the sender's
modification time, through a temporary file swapped in. It never overwrites
a save it has not seen: the file it swaps out must be the one it last
checked, or it is swapped back and the next round sees the change. ``.vaultnet/``
stays on its device (Obsidian Sync skips dot-folders). When both sides
changed a file since they last agreed:

- ``conflicts``: the newer version keeps the name and the other is kept, on
  both sides, as ``NAME.sync-conflict-YYYYMMDD-HHMMSS-DEVICE.md`` (Syncthing);
- ``newer``: the newer version wins and the other is gone (a keep-the-newer sync).

Identical content on both sides is no conflict. Each transfer is one line in
the log (``time side path`` or ``time conflict path copy``), for the test to
count. It stops when the stop file appears.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import hashlib
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path


def scan(root: Path) -> dict[str, tuple[str, int]]:
    """Path → (content hash, mtime_ns) of every file a sync carries."""
    found = {}
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in (".vaultnet", ".git")]
        for name in files:
            if name.startswith(".") and (name.endswith(".tmp") or "vaultnet-tmp" in name):
                continue  # someone's file still being written
            path = Path(folder) / name
            try:
                data = path.read_bytes()
                mtime = path.stat().st_mtime_ns
            except OSError:
                continue
            found[path.relative_to(root).as_posix()] = (hashlib.sha1(data).hexdigest(), mtime)
    return found


def _swapper() -> Callable[[Path, Path], bool] | None:
    """``renameat2(RENAME_EXCHANGE)`` where Linux has it. A careful sync tool swaps a file in and then looks at
    what it swapped out, so that a save landing between its last check and the swap is never lost unseen."""
    try:
        renameat2 = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    here, exchange = -100, 2  # AT_FDCWD, RENAME_EXCHANGE
    return lambda first, second: renameat2(here, os.fsencode(first), here, os.fsencode(second), exchange) == 0


SWAP = _swapper()


def digest(path: Path) -> str | None:
    try:
        return hashlib.sha1(path.read_bytes()).hexdigest()
    except OSError:
        return None


def place(source: Path, target: Path, expected: str | None) -> bool:
    """Copy ``source`` over ``target`` (times kept) if ``target`` still holds ``expected`` (None: absent).

    The new file is written beside the target first. A target that appeared or
    changed meanwhile is never overwritten, not even by a save that lands after
    the last check: the swap shows it, and it gets its name back.
    """
    try:
        data = source.read_bytes()
        mtime = source.stat().st_mtime_ns
    except OSError:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".syncthing.{target.name}.tmp")
    temporary.write_bytes(data)
    os.utime(temporary, ns=(mtime, mtime))
    if expected is None:
        try:
            os.link(temporary, target)  # fails when a file took the name since the scan
            placed = True
        except FileExistsError:
            placed = False
        temporary.unlink()
        return placed
    if digest(target) != expected:
        temporary.unlink()
        return False  # changed on this side meanwhile: the next round sees a conflict
    if SWAP is None or not SWAP(temporary, target):
        os.replace(temporary, target)  # no swap on this system: the check above has to do
        return True
    if digest(temporary) == expected:  # what was swapped out is what was checked
        temporary.unlink()
        return True
    # A save landed after the check: it gets its name back, and the next round sees it. Should the
    # swap back fail, the save stays beside it under the temporary name: a sync never deletes one.
    if SWAP(temporary, target):
        temporary.unlink()
    return False


def remove(target: Path, expected: str) -> bool:
    """Delete ``target`` if it still holds ``expected``; a save landing meanwhile keeps its name."""
    if digest(target) != expected:
        return False
    aside = target.with_name(f".syncthing.{target.name}.deleted.tmp")
    try:
        os.rename(target, aside)
    except OSError:
        return False
    if digest(aside) == expected:
        aside.unlink()
        return True
    try:
        os.link(aside, target)
        aside.unlink()
    except OSError:
        pass  # yet another file took the name: the late save stays aside, as a careful tool keeps it
    return False


def conflict_name(rel: str, mtime_ns: int, device: str) -> str:
    stem, dot, ext = rel.rpartition(".")
    if not dot:
        stem, ext = rel, ""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime(mtime_ns / 1e9))
    return f"{stem}.sync-conflict-{stamp}-{device}" + (f".{ext}" if ext else "")


def sync_round(sides: dict[str, Path], agreed: dict[str, str | None], mode: str) -> list[str]:
    """One pass over both folders: carry every change across; returns what it did, one line each."""
    done_lines = []
    seen = {side: scan(root) for side, root in sides.items()}
    for rel in sorted(set(seen["A"]) | set(seen["B"])):
        now = {side: seen[side].get(rel) for side in sides}
        hashes = {side: found[0] if found else None for side, found in now.items()}
        base = agreed.get(rel)
        if hashes["A"] == hashes["B"]:
            agreed[rel] = hashes["A"]
            continue
        changed = [side for side in sides if hashes[side] != base]
        if len(changed) == 1:
            sender = changed[0]
            receiver = "B" if sender == "A" else "A"
            done = (place(sides[sender] / rel, sides[receiver] / rel, hashes[receiver]) if now[sender]
                    else remove(sides[receiver] / rel, hashes[receiver]))  # type: ignore[arg-type]
            if done:
                agreed[rel] = hashes[sender]
                done_lines.append(f"{sender} {rel}")
            continue
        # Both changed since they last agreed: the newer wins the name (a change beats a deletion).
        times = {side: found[1] if found else -1 for side, found in now.items()}
        winner = max(sides, key=lambda side: (times[side], side))
        loser = "B" if winner == "A" else "A"
        copy = "-"
        if mode == "conflicts" and now[loser] is not None:
            copy = conflict_name(rel, times[loser], f"DEVICE{loser}")
            number = 1
            while any((root / copy).exists() for root in sides.values()):
                number += 1
                copy = conflict_name(rel, times[loser], f"DEVICE{loser}{number}")
            for side in sides:  # kept on both devices, as Syncthing syncs its conflict copies
                place(sides[loser] / rel, sides[side] / copy, None)
        if place(sides[winner] / rel, sides[loser] / rel, hashes[loser]):
            agreed[rel] = hashes[winner]
        done_lines.append(f"conflict {rel} {copy}")
    return done_lines


def agreement(first: Path, second: Path) -> dict[str, str | None]:
    """What two folders agree on to begin with: the files that are the same on both."""
    a, b = scan(first), scan(second)
    return {rel: a[rel][0] for rel in set(a) & set(b) if a[rel][0] == b[rel][0]}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("first", type=Path)
    parser.add_argument("second", type=Path)
    parser.add_argument("--mode", choices=("conflicts", "newer"), default="conflicts")
    parser.add_argument("--interval", type=float, default=0.1)
    parser.add_argument("--stop", type=Path, required=True)
    parser.add_argument("--log", type=Path, required=True)
    args = parser.parse_args()
    sides = {"A": args.first, "B": args.second}
    agreed = agreement(args.first, args.second)
    with open(args.log, "a", encoding="utf-8") as log:
        while not args.stop.exists():
            for line in sync_round(sides, agreed, args.mode):
                log.write(f"{time.monotonic():.3f} {line}\n")
            log.flush()
            time.sleep(args.interval)
    return 0


if __name__ == "__main__":
    sys.exit(main())
