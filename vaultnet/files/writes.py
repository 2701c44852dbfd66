"""Safe writes in the vault: the replacement of a note, and the one way to edit one.

Every write is atomic (a temporary file in the same folder, then one rename),
keeps the file's line endings, BOM and mode, is skipped when the bytes would not
change, never goes through a symlink that leads outside the vault, and never
replaces a file that changed since it was read.

Editors save in two ways, and both race vaultnet:

- *atomic saves* rename a new file over the note: vaultnet's last check and its
  rename must leave no window, so on Linux the rename is ``renameat2`` with
  ``RENAME_EXCHANGE``: the note and vaultnet's file swap names in one step and
  the displaced note is still there to be checked afterwards;
- *in-place saves* truncate the note and write it again in several writes: a
  note read half-way is no baseline, so a baseline is taken only once the file
  has settled (size and times stable, unchanged for :data:`SETTLE_SECONDS`), and
  a save that lands in the displaced note after all is *given back*: the user's
  own file (its inode, which the editor may still be writing into) returns to
  the note's name, never a copy of a truncated state.

:func:`edit_note` is the one way to change a note that exists (or may): it reads
a settled baseline, applies a pure transform and writes the result with these
rules, reading again and retrying when someone else saved meanwhile.

Reading (:mod:`vaultnet.files.reads`), path safety (:mod:`vaultnet.files.pathsafety`) and
temporary files (:mod:`vaultnet.files.leftovers`) live in modules of their own; their
names are importable from here too.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from vaultnet.base.errors import VaultnetError
from vaultnet.files.leftovers import (
    MAX_NAME_BYTES,
    STALE_SECONDS,
    TEMP_SUFFIX,
    TEMPORARY,
    leftovers_beside,
    remove_leftovers,
    temporary_beside,
)
from vaultnet.files.pathsafety import UnsafePath, make_parents, os_error, remove_folders, target_in_vault
from vaultnet.files.reads import (
    BOM,
    MAX_NOTE_BYTES,
    SETTLE_SECONDS,
    SETTLE_WAIT_SECONDS,
    NotAFile,
    WriteConflict,
    being_written,
    decode_text,
    describe_kind,
    encode_like,
    read_bytes,
    read_regular,
    read_settled,
    signature,
)

__all__ = [
    "ATTEMPTS", "BOM", "MAX_NAME_BYTES", "MAX_NOTE_BYTES", "SETTLE_SECONDS", "SETTLE_WAIT_SECONDS", "STALE_SECONDS",
    "TEMPORARY", "TEMP_SUFFIX", "Edited", "NotAFile", "UnsafePath", "WriteConflict", "being_written", "decode_text",
    "describe_kind", "edit_note", "edit_text", "encode_like", "leftovers_beside", "os_error", "read_bytes",
    "read_regular", "read_settled", "remove_leftovers", "safe_write", "target_in_vault",
]

ATTEMPTS = 5  # the one retry policy: how often an edit reads again after someone saved the note meanwhile


def _conflict(rel: str) -> WriteConflict:
    return WriteConflict(f"{rel} changed while vaultnet was working; run the command again")


def safe_write(root: Path, rel: str, data: bytes, expected: bytes | None) -> bool:
    """Replace ``rel`` with ``data`` if it still holds ``expected`` (``None``: must not exist).

    Returns ``False`` when the file already holds ``data``: nothing is written,
    so mtimes, git and sync tools see no change. Raises :class:`WriteConflict`
    when the file changed (the caller reads again), and a one-line
    :class:`VaultnetError` for anything else (disk full, read-only note...).
    """
    path = target_in_vault(root, rel)
    try:
        return _safe_write(root, path, rel, data, expected)
    except OSError as err:
        raise os_error(rel, err) from None


def _safe_write(root: Path, path: Path, rel: str, data: bytes, expected: bytes | None) -> bool:
    try:
        current = read_bytes(path)
    except NotAFile as err:
        raise VaultnetError(f"cannot write {rel}: {str(err).split(': ', 1)[-1]}") from None
    if current == data:
        return False
    if current != expected:
        raise _conflict(rel)
    created = make_parents(root, path, rel)
    try:
        return _write_new_version(path, rel, data, expected, current)
    except BaseException:
        remove_folders(created)
        raise


def _write_new_version(path: Path, rel: str, data: bytes, expected: bytes | None, current: bytes | None) -> bool:
    mode = None
    if current is not None:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except FileNotFoundError:  # deleted since it was read
            raise _conflict(rel) from None
        if not mode & stat.S_IWUSR:
            raise VaultnetError(f"{rel} is read-only; vaultnet will not change it (make it writable first)")
    remove_leftovers(path.parent, leftovers_beside(path))
    fd, temporary = temporary_beside(path)
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
        if expected is None:
            if read_bytes(path) is not None:  # the last moment to notice a note created meanwhile
                raise WriteConflict(f"{rel} appeared while vaultnet was working; run the command again")
            _place_new(temporary, path, rel)
        else:
            baseline = _last_check(path, rel, expected)
            _replace_keeping_late_saves(temporary, path, rel, expected, baseline)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    return True


# ---------------------------------------------------------------- the replacement


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _load_renameat2() -> Callable[[str, str], bool] | None:
    """``renameat2(RENAME_EXCHANGE)`` through libc where Linux has it; ``None`` elsewhere."""
    if not hasattr(os, "sched_getaffinity"):  # Linux only
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int

    def exchange(first: str, second: str) -> bool:
        """Swap two names in one step; False when the file system cannot (the caller falls back)."""
        if function(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
            return True
        code = ctypes.get_errno()
        if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
            return False
        raise OSError(code, os.strerror(code), second)

    return exchange


_exchange = _load_renameat2()


def _unchanged(path: str, expected: bytes, baseline: os.stat_result) -> bool:
    """The displaced note is exactly the baseline: same inode, nobody wrote to it since."""
    found = read_regular(Path(path))
    if found is None:
        return False
    info = found[1]  # a rename changes the change time, never the inode, size or modification time
    return found[0] == expected and not being_written(path) and (info.st_ino, info.st_size, info.st_mtime_ns) == (
        baseline.st_ino, baseline.st_size, baseline.st_mtime_ns)


def _last_check(path: Path, rel: str, expected: bytes) -> os.stat_result:
    """The note's stat, once it has settled and still holds ``expected``: the last check before the swap."""
    baseline = _settled_stat(path, expected)
    if read_bytes(path) != expected or signature(os.stat(path)) != signature(baseline):
        raise _conflict(rel)
    return baseline


def _replace_keeping_late_saves(temporary: str, path: Path, rel: str, expected: bytes,
                                baseline: os.stat_result) -> None:
    """Replace ``path`` with ``temporary`` without a window between the last check and the swap.

    With ``RENAME_EXCHANGE`` the note and the new file swap names atomically; the
    note, now under the temporary name, must be the baseline untouched (same
    inode, same size and times). Anything else is a save that landed at the last
    moment: the user's file swaps back (the inode an in-place editor is writing
    into) and the caller reads again. Without it, a hard link keeps the note's
    inode reachable across ``os.replace`` and is renamed back the same way.
    """
    displaced = temporary
    if _exchange is None or not _exchange(temporary, os.fspath(path)):
        linked = _hard_link_beside(path)
        os.replace(temporary, path)
        if linked is None:  # no hard links here either: a plain replace, the last check had to do
            return
        displaced = linked
    if _unchanged(displaced, expected, baseline):
        os.unlink(displaced)
        return
    _give_back(displaced, path, rel)
    raise _conflict(rel)


def _settled_stat(path: Path, expected: bytes) -> os.stat_result:
    """The note's stat once it holds ``expected`` and has settled (see :func:`read_settled`)."""
    data = read_settled(path)
    if data != expected:
        raise WriteConflict(f"{path.name} changed while vaultnet was working; run the command again")
    return os.stat(path)


def _hard_link_beside(path: Path) -> str | None:
    for _ in range(10):
        name = os.fspath(path.parent / f".{path.name[:200]}.{os.urandom(4).hex()[:8]}{TEMP_SUFFIX}")
        try:
            os.link(path, name)
            return name
        except FileExistsError:
            continue
        except OSError:
            return None
    return None


def _give_back(displaced: str, path: Path, rel: str) -> None:
    """Put the user's late save (the displaced file itself) back under the note's name.

    If yet another save replaced vaultnet's file meanwhile, that newest save
    keeps the name and the late one is kept beside it as a conflict copy,
    which ``check`` reports: nothing is lost.
    """
    ours = os.stat(path)
    if _exchange is not None and _exchange(displaced, os.fspath(path)):
        back = os.stat(displaced)
        if back.st_ino == ours.st_ino:
            os.unlink(displaced)
            return
        _keep_as_conflict(displaced, path)
        return
    os.replace(displaced, path)


def _keep_as_conflict(source: str, path: Path) -> None:
    stem = path.name[:-3] if path.name.endswith(".md") else path.name
    for number in range(1, 100):
        target = path.parent / f"{stem} (conflicted copy {number} vaultnet).md"
        if not target.exists():
            os.replace(source, target)
            return


def _place_new(temporary: str, path: Path, rel: str) -> None:
    """Give a new note its name, unless a file took that name since the last check.

    A hard link fails when the name exists, where ``os.replace`` would overwrite a
    note another process (a sync tool, the editor) created a moment ago.
    """
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise WriteConflict(f"{rel} appeared while vaultnet was working; run the command again") from None
    except OSError as err:
        if err.errno in (errno.ENOSPC, errno.EDQUOT, errno.EACCES, errno.EPERM, errno.EROFS):
            raise
        os.replace(temporary, path)  # no hard links on this file system: the check above has to do
        return
    os.unlink(temporary)


# ---------------------------------------------------------------- editing a note


@dataclass(frozen=True, slots=True)
class Edited:
    """What :func:`edit_note` found and left: the bytes before, after, and whether it wrote."""

    before: bytes | None
    after: bytes | None
    changed: bool


def edit_note(
    root: Path, rel: str, transform: Callable[[bytes | None], bytes | None], *,
    attempts: int = ATTEMPTS, write: bool = True,
) -> Edited:
    """Read ``rel``, apply ``transform`` and write the result safely; the one way to edit a note.

    ``transform`` gets the note's settled bytes (``None`` when it does not
    exist) and returns the new bytes, or ``None`` to leave the note as it is. It
    must be pure: it runs again on the new bytes whenever someone saved the
    note meanwhile. With ``write=False`` only the transform runs (``plan --stdout``).
    Raises :class:`WriteConflict` when the note kept changing for ``attempts``
    tries, and what the transform raises (a :class:`VaultnetError` names the note).
    """
    for _ in range(attempts):
        path = root / rel
        try:
            before = read_settled(path)
        except NotAFile as err:
            raise VaultnetError(f"cannot edit {rel}: {str(err).split(': ', 1)[-1]}") from None
        except WriteConflict:
            continue
        except OSError as err:
            raise os_error(rel, err) from None
        if before is not None and len(before) > MAX_NOTE_BYTES:
            raise VaultnetError(f"{rel} is too large ({len(before) // 1_000_000} MB); vaultnet will not edit it")
        after = transform(before)
        if after is None or after == before:
            return Edited(before, before, False)
        if not write:
            return Edited(before, after, False)
        try:
            return Edited(before, after, safe_write(root, rel, after, before))
        except WriteConflict:
            continue  # someone saved meanwhile: read again, transform again
    raise WriteConflict(f"{rel} keeps changing; run the command again")


def edit_text(
    root: Path, rel: str, transform: Callable[[str | None], str | None], *,
    exact: bool = False, attempts: int = ATTEMPTS, write: bool = True,
) -> Edited:
    """:func:`edit_note` for a transform of text.

    By default the transform sees LF text without a BOM and the result gets
    the note's line endings and BOM back; with ``exact`` it sees the decoded
    text as it is (BOM and CRLF included) and its result is written as it is.
    A note that is not UTF-8 is never edited.
    """
    def on_bytes(data: bytes | None) -> bytes | None:
        if data is None:
            text = None
        else:
            try:
                text = data.decode("utf-8") if exact else decode_text(data)
            except UnicodeDecodeError:
                raise VaultnetError(f"{rel} is not valid UTF-8; vaultnet will not edit it") from None
        new = transform(text)
        if new is None:
            return None
        return new.encode("utf-8") if exact else encode_like(new, data)

    return edit_note(root, rel, on_bytes, attempts=attempts, write=write)
