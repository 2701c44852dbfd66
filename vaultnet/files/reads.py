"""Reading notes safely: regular files only, bounded, and baselines taken once a file has settled.

A note read while an editor truncates and rewrites it is a half-written
state: building an edit on it would write that state back as if it were the
note. These readers never block on a FIFO, never read a device, and tell
when a file is still being written (see :func:`read_settled`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import stat
import time
from pathlib import Path

from vaultnet.base.errors import VaultnetError

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

BOM = b"\xef\xbb\xbf"
MAX_NOTE_BYTES = 8 * 1024 * 1024
SETTLE_SECONDS = 0.05  # a file changed more recently than this may be half-written
SETTLE_WAIT_SECONDS = 2.0  # how long to wait for a file to settle before calling it a conflict


class WriteConflict(VaultnetError):
    """The file changed between reading it and writing it."""


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
        # Ask for what fstat says is there, and a byte more: os.read allocates what it is asked
        # for, and a megabyte for each of thirty thousand small notes costs more than reading them.
        want = min(left, info.st_size + 1)
        while left > 0:
            chunk = os.read(fd, want)
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
            # A short read is (nearly always) the end: a small read makes sure; a file that grew
            # since fstat is read on in larger steps.
            want = min(left, 4096 if len(chunk) < want else 1 << 20)
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


def signature(info: os.stat_result) -> tuple[int, int, int, int]:
    return (info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def read_settled(path: Path, wait: float = SETTLE_WAIT_SECONDS) -> bytes | None:
    """A baseline to build on: the file's bytes once it has stopped changing.

    A file read while an editor truncates and rewrites it is a half-written
    state; building on it would write that state back as if it were the note.
    Accepted only when its stat is the same before and after the read, nobody
    has it open for writing, and it has not changed for :data:`SETTLE_SECONDS`:
    either its times say so (both older than that by this device's clock), or
    it is seen unchanged over that long. A note synced from a device whose
    clock runs ahead has a modification time in the future, and its times say
    nothing: watching it is what tells. :class:`WriteConflict` when it keeps
    changing for ``wait`` seconds.
    """
    deadline = time.monotonic() + wait
    seen: tuple[tuple[int, int, int, int], float] | None = None  # a signature, and since when it is unchanged
    while True:
        found = read_regular(path)
        if found is None:
            return None
        data, before = found
        try:
            after = os.stat(path)
        except FileNotFoundError:
            after = None
        pause = SETTLE_SECONDS
        if after is not None and signature(after) == signature(before) and len(data) == after.st_size:
            now = time.monotonic()
            if seen is None or seen[0] != signature(after):
                seen = (signature(after), now)
            age = time.time_ns() - max(after.st_mtime_ns, after.st_ctime_ns)
            if (age >= SETTLE_SECONDS * 1e9 or now - seen[1] >= SETTLE_SECONDS) and not being_written(path):
                return data
            pause = max(0.0, seen[1] + SETTLE_SECONDS - now) + 0.001
        if time.monotonic() + pause > deadline:
            raise WriteConflict(f"{path.name} keeps changing; run the command again")
        time.sleep(pause)


def decode_text(data: bytes) -> str:
    """Text with LF line endings and no BOM, as the rest of vaultnet sees it."""
    return data.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")


def holds(data: bytes, text: str) -> bool:
    """True when a note's bytes are ``text`` as vaultnet sees it (see ``decode_text``)."""
    try:
        return decode_text(data) == text
    except UnicodeDecodeError:
        return False


def encode_like(text: str, original: bytes | None) -> bytes:
    """Encode LF text with the original file's line endings and BOM."""
    if original is not None and b"\r\n" in original:
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    data = text.encode("utf-8")
    if original is not None and original.startswith(BOM):
        data = BOM + data
    return data
