"""Safe writes into the vault (spec sections 6 and 10).

Every write is atomic (a temporary file in the same folder, then ``os.replace``),
keeps the file's line endings, BOM and mode, is skipped when the bytes would not
change, never goes through a symlink that leads outside the vault, and never
replaces a file that changed since it was read.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from .errors import VaultnetError

BOM = b"\xef\xbb\xbf"


class WriteConflict(VaultnetError):
    """The file changed between reading it and writing it."""


class UnsafePath(VaultnetError):
    """The target lies outside the vault, or is reached through a symlink that leads outside."""


def read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def decode_text(data: bytes) -> str:
    """Text with LF line endings and no BOM, as the rest of vaultnet sees it."""
    return data.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")


def encode_like(text: str, original: bytes | None) -> bytes:
    """Encode LF text with the original file's line endings and BOM."""
    if original is not None and b"\r\n" in original:
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    data = text.encode("utf-8")
    if original is not None and original.startswith(BOM):
        data = BOM + data
    return data


def target_in_vault(root: Path, rel: str) -> Path:
    """The real file to write for ``rel``, refusing any path that ends outside the vault."""
    real_root = root.resolve()
    candidate = root / rel
    real = candidate.resolve()
    if real != real_root and real_root not in real.parents:
        raise UnsafePath(f"{rel}: leads outside the vault (to {real}); not writing through it")
    return real


def safe_write(root: Path, rel: str, data: bytes, expected: bytes | None) -> bool:
    """Replace ``rel`` with ``data`` if it still holds ``expected`` (``None``: must not exist).

    Returns ``False`` when the file already holds ``data``: nothing is written,
    so mtimes, git and sync tools see no change.
    """
    path = target_in_vault(root, rel)
    current = read_bytes(path)
    if current == data:
        return False
    if current != expected:
        raise WriteConflict(f"{rel} changed while vaultnet was working; run the command again")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(path.stat().st_mode) if current is not None else None
    except FileNotFoundError:  # deleted since it was read
        raise WriteConflict(f"{rel} changed while vaultnet was working; run the command again") from None
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".vaultnet-tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        # The last moment to notice an edit made while we were rendering.
        if read_bytes(path) != expected:
            raise WriteConflict(f"{rel} changed while vaultnet was working; run the command again")
        if expected is None:
            _place_new(temporary, path, rel)
        else:
            _replace_keeping_late_saves(temporary, path, rel, expected, data)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return True


def _replace_keeping_late_saves(temporary: str, path: Path, rel: str, expected: bytes, data: bytes) -> None:
    """Replace ``path``; a save that lands after the last check goes into the file being
    replaced, so read that file once more through a handle kept open across the rename,
    and if it changed, put the user's version back and report a conflict (the caller
    reads again and retries)."""
    with open(path, "rb") as replaced:
        os.replace(temporary, path)
        late = replaced.read()
    if late == expected:
        return
    if read_bytes(path) == data:  # nobody has written since: the user's save wins
        fd, restore = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".vaultnet-tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(late)
        os.chmod(restore, stat.S_IMODE(path.stat().st_mode))
        os.replace(restore, path)
    raise WriteConflict(f"{rel} changed while vaultnet was working; run the command again")


def _place_new(temporary: str, path: Path, rel: str) -> None:
    """Give a new note its name, unless a file took that name since the last check.

    A hard link fails when the name exists, where ``os.replace`` would overwrite a
    note another process (a sync tool, the editor) created a moment ago.
    """
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise WriteConflict(f"{rel} appeared while vaultnet was working; run the command again") from None
    except OSError:
        os.replace(temporary, path)  # no hard links on this file system: the check above has to do
        return
    os.unlink(temporary)
