"""Safe reads and writes in the vault (spec sections 6 and 10).

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
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import re
import signal
import stat
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import VaultnetError

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

BOM = b"\xef\xbb\xbf"
MAX_NOTE_BYTES = 8 * 1024 * 1024
SETTLE_SECONDS = 0.05  # a file changed more recently than this may be half-written
SETTLE_WAIT_SECONDS = 2.0  # how long to wait for a file to settle before calling it a conflict
ATTEMPTS = 5  # the one retry policy: how often an edit reads again after someone saved the note meanwhile
TEMP_SUFFIX = ".vaultnet-tmp"
# Exactly what mkstemp() makes of ``.NAME.`` + random + suffix: only these are ever cleaned up.
TEMPORARY = re.compile(r"^\..+\.[a-z0-9_]{8}\.vaultnet-tmp$")
MAX_NAME_BYTES = 255
STALE_SECONDS = 120.0  # a temporary file older than this belongs to a killed run


class WriteConflict(VaultnetError):
    """The file changed between reading it and writing it."""


class UnsafePath(VaultnetError):
    """The target lies outside the vault, or is reached through a symlink that leads outside."""


class NotAFile(VaultnetError):
    """A path that should be a regular file is a folder, a FIFO, a device or a socket."""


def describe_kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device")):
        if test(mode):
            return name
    return "not a regular file"


def read_regular(path: Path, limit: int = MAX_NOTE_BYTES) -> tuple[bytes, os.stat_result] | None:
    """The bytes of a regular file (at most ``limit + 1``: enough to tell it is too large) and its stat.

    ``None`` when there is no such file. Opening never blocks (a FIFO named
    ``x.md`` would hang a plain ``open``) and nothing but a regular file is read
    (a symlink to ``/dev/zero`` would be read until memory runs out):
    :class:`NotAFile` names what it is instead.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise NotAFile(f"{path}: is a folder, not a note") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotAFile(f"{path}: is {describe_kind(info.st_mode)}, not a note")
        chunks = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks), info
    finally:
        os.close(fd)


def read_bytes(path: Path) -> bytes | None:
    """A regular file's bytes (bounded, see :func:`read_regular`), or ``None`` when it does not exist."""
    found = read_regular(path)
    return None if found is None else found[0]


_F_SETSIG = 10  # Linux: which signal announces a lease break; SIGURG is ignored unless handled


def being_written(path: Path | str) -> bool:
    """True when some process has the file open for writing (an editor between its writes).

    Linux grants a read lease only on a file nobody has open for writing, so
    asking for one (and dropping it at once) tells, where no stat can, that an
    in-place save is under way, however long the editor pauses between writes.
    False where leases are not available (other systems, files of other users,
    some network file systems): the settle interval has to do there.
    """
    setlease = getattr(fcntl, "F_SETLEASE", None) if fcntl is not None else None
    if setlease is None or fcntl is None:
        return False
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return False
    try:
        fcntl.fcntl(fd, _F_SETSIG, signal.SIGURG)
        fcntl.fcntl(fd, setlease, fcntl.F_RDLCK)
    except OSError as err:
        return err.errno == errno.EAGAIN
    else:
        with contextlib.suppress(OSError):
            fcntl.fcntl(fd, setlease, fcntl.F_UNLCK)
        return False
    finally:
        os.close(fd)


def _signature(info: os.stat_result) -> tuple[int, int, int, int]:
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def read_settled(path: Path, wait: float = SETTLE_WAIT_SECONDS) -> bytes | None:
    """A baseline to build on: the file's bytes once it has stopped changing.

    A file read while an editor truncates and rewrites it is a half-written
    state; building on it would write that state back as if it were the note.
    Accepted only when its stat is the same before and after the read and it
    has not changed for :data:`SETTLE_SECONDS`. :class:`WriteConflict` when it
    keeps changing for ``wait`` seconds.
    """
    deadline = time.monotonic() + wait
    while True:
        found = read_regular(path)
        if found is None:
            return None
        data, before = found
        try:
            after = os.stat(path)
        except FileNotFoundError:
            after = None
        if after is not None and _signature(after) == _signature(before):
            age = time.time_ns() - max(after.st_mtime_ns, after.st_ctime_ns)
            if age >= SETTLE_SECONDS * 1e9 and len(data) == after.st_size and not being_written(path):
                return data
            pause = max(0.0, SETTLE_SECONDS - age / 1e9) + 0.001
        else:
            pause = SETTLE_SECONDS
        if time.monotonic() + pause > deadline:
            raise WriteConflict(f"{path.name} keeps changing; run the command again")
        time.sleep(pause)


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


def _conflict(rel: str) -> WriteConflict:
    return WriteConflict(f"{rel} changed while vaultnet was working; run the command again")


def os_error(rel: str, err: OSError, verb: str = "write") -> VaultnetError:
    """One line for a failed file operation, naming the note: disk full, permission denied..."""
    reason = {
        errno.ENOSPC: "the disk is full", errno.EDQUOT: "the disk quota is exceeded",
        errno.EACCES: "permission denied", errno.EPERM: "permission denied",
        errno.EROFS: "the file system is read-only", errno.ENAMETOOLONG: "the name is too long",
        errno.EISDIR: "is a folder", errno.ENOTDIR: "a folder on its path is a file",
    }.get(err.errno or 0, err.strerror or str(err))
    return VaultnetError(f"cannot {verb} {rel}: {reason}; nothing was changed")


def _make_parents(root: Path, path: Path, rel: str) -> list[Path]:
    """Create the folders below the vault, returning the ones created (removed again when the write fails).

    Never the vault itself: a watcher must not recreate a vault that was deleted.
    """
    if not root.is_dir():
        raise VaultnetError(f"the vault {root} is gone; not writing {rel}")
    missing = []
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise VaultnetError(f"cannot write {rel}: a folder on its path is a file") from None
    return missing


def _remove_folders(folders: list[Path]) -> None:
    for folder in folders:  # deepest first
        with contextlib.suppress(OSError):
            folder.rmdir()


def _temporary(path: Path) -> tuple[int, str]:
    """A new temporary file beside ``path``, its name shortened to fit the file system's limit."""
    stem = path.name
    room = MAX_NAME_BYTES - len(".." + TEMP_SUFFIX) - 8
    while len(os.fsencode(stem)) > room:
        stem = stem[:-1]
    return tempfile.mkstemp(prefix=f".{stem}.", suffix=TEMP_SUFFIX, dir=path.parent)


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
    created = _make_parents(root, path, rel)
    try:
        return _write_new_version(path, rel, data, expected, current)
    except BaseException:
        _remove_folders(created)
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
    fd, temporary = _temporary(path)
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
    if read_bytes(path) != expected or _signature(os.stat(path)) != _signature(baseline):
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


# ---------------------------------------------------------------- leftovers


def remove_leftovers(root: Path, rels: list[str], now: float | None = None) -> list[str]:
    """Remove vaultnet's own temporary files that a killed run left behind; returns the ones removed.

    Only names of vaultnet's exact pattern, only regular files, and only ones
    older than :data:`STALE_SECONDS` (a running vaultnet's temporary file is
    seconds old). Left alone, sync tools copy these hidden copies of notes around.
    """
    removed = []
    limit = (time.time() if now is None else now) - STALE_SECONDS
    for rel in rels:
        path = root / rel
        try:
            info = path.lstat()
            if TEMPORARY.match(path.name) and stat.S_ISREG(info.st_mode) and info.st_mtime < limit:
                path.unlink()
                removed.append(rel)
        except OSError:
            continue
    return removed


def leftovers_beside(path: Path) -> list[str]:
    """The names of vaultnet's temporary files in ``path``'s folder."""
    try:
        with os.scandir(path.parent) as listing:
            return [entry.name for entry in listing if TEMPORARY.match(entry.name)]
    except OSError:
        return []
