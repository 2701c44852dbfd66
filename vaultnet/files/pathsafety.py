"""Where vaultnet may write: inside the vault, never through a link that leads out of it.

Also the one-line message for a failed file operation, and the folders a
write creates (removed again when the write fails), so a failed write leaves
the vault as it was.
"""

from __future__ import annotations

import contextlib
import errno
from pathlib import Path

from vaultnet.base.errors import VaultnetError


class UnsafePath(VaultnetError):
    """The target lies outside the vault, or is reached through a symlink that leads outside."""


def target_in_vault(root: Path, rel: str) -> Path:
    """The real file to write for ``rel``, refusing any path that ends outside the vault."""
    real_root = root.resolve()
    candidate = root / rel
    real = candidate.resolve()
    if real != real_root and real_root not in real.parents:
        raise UnsafePath(f"{rel}: leads outside the vault (to {real}); not writing through it")
    return real


def os_error(rel: str, err: OSError, verb: str = "write") -> VaultnetError:
    """One line for a failed file operation, naming the note: disk full, permission denied..."""
    reason = {
        errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is exceeded",
        errno.EACCES: "permission denied", errno.EPERM: "permission denied",
        errno.EROFS: "the file system is read-only", errno.ENAMETOOLONG: "the name is too long",
        errno.EISDIR: "is a folder", errno.ENOTDIR: "a folder on its path is a file",
    }.get(err.errno or 0, err.strerror or str(err))
    return VaultnetError(f"cannot {verb} {rel}: {reason}; nothing was changed")


def make_parents(root: Path, path: Path, rel: str) -> list[Path]:
    """Create the folders below the vault, returning the ones created (removed again when the write fails).

    Never the vault itself: a watcher must not recreate a vault that was deleted.
    """
    gone = VaultnetError(f"the vault {root} is gone; not writing {rel}")
    if not root.is_dir():
        raise gone
    missing = []
    folder = path.parent
    while folder != root and not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    made: list[Path] = []
    # One folder at a time, never with parents=True: a vault deleted after the check above
    # makes the first mkdir fail, where parents=True would quietly create the vault again.
    for folder in reversed(missing):
        try:
            folder.mkdir()
        except FileNotFoundError:
            remove_folders(made[::-1])
            raise gone from None
        except (FileExistsError, NotADirectoryError):
            if not folder.is_dir():
                remove_folders(made[::-1])
                raise VaultnetError(f"cannot write {rel}: a folder on its path is a file") from None
            continue
        made.append(folder)
    if not path.parent.is_dir():
        remove_folders(made[::-1])
        raise VaultnetError(f"cannot write {rel}: a folder on its path is a file")
    return made[::-1]


def remove_folders(folders: list[Path]) -> None:
    for folder in folders:  # deepest first
        with contextlib.suppress(OSError):
            folder.rmdir()
