"""A running watcher answers the read commands (docs/design.md, The watcher answers).

``vaultnet watch`` holds the vault worked out in memory and keeps it current
with the edits it is told of. A read command (``status``, ``show``,
``plan --stdout``, ``intros``, ``today``…) asks it over a local socket before
it reads the vault itself; the watcher runs the same command on its own
session and sends back what the command prints, once it has taken in every
change it was told of. In any other case (no watcher, one of another version,
one that polls the disk or that git holds back, a socket that cannot be used)
the command works its answer out itself, exactly as it would with no watcher at
all. So a watcher can make an answer faster, never different.

The socket lives in a folder only this user can enter (``$XDG_RUNTIME_DIR/vaultnet-UID/``,
else ``$TMPDIR/vaultnet-UID/``), named by a digest of the vault's path: a command
finds its vault's watcher without reading anything in the vault, no other user
can ask, and a command asks only through a folder that is private (no one else
can have put a socket there to answer for the watcher).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import socket
import stat
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec

from vaultnet.base.version import __version__

log = logging.getLogger(__name__)

ASK_SECONDS = 30.0  # a command waits this long for an answer, then works it out itself
_CHUNK = 1 << 16


class Request(msgspec.Struct, frozen=True):
    """One read command as the command line parsed it, with what its output depends on."""

    vault: str  # the vault's root, resolved: a watcher answers only for its own
    command: str  # the command's name: ``status``, ``show``...
    params: dict[str, Any]  # its options and arguments, as click parsed them
    today: str  # ISO date the command works as of
    today_given: str | None  # --today / VAULTNET_TODAY, when given
    quiet: bool
    tty: bool  # whether the command's output is a terminal (a table or tab-separated lines)
    env: dict[str, str]  # the terminal's settings (COLUMNS, NO_COLOR, TERM...)
    prog: str = "vaultnet"  # the name it was run by, for click's usage lines
    version: str = __version__

    def key(self) -> bytes:
        """The request's identity: the same question asked again is the same answer while nothing changed."""
        return msgspec.json.encode(self)


class Reply(msgspec.Struct, frozen=True):
    """What the command printed and its exit code; or why the watcher did not answer.

    ``stdout`` is what it printed as UTF-8 bytes (a name that is no UTF-8 as it
    was: :data:`TEXT`), in the pieces it was printed in, never joined: a large
    vault's ``status --json`` is 9 MB, and a joined copy beside its pieces was the
    highest point of a watcher's memory. Bytes, because that is what is sent and
    printed: kept as text, each answer was encoded twice on its way (to count
    it, then to send it) and decoded once more by the command to print it.
    """

    stdout: tuple[bytes, ...] = ()
    stderr: str = ""
    code: int = 0
    declined: str | None = None


# Whatever a command printed (a name that is no UTF-8) goes and comes back as it was.
TEXT = ("utf-8", "surrogatepass")


def socket_path(root: Path) -> Path | None:
    """Where the watcher of the vault at ``root`` listens; None where there are no Unix sockets.

    In ``$XDG_RUNTIME_DIR`` when it is set (the same for a login shell and a
    user service, which may not share ``$TMPDIR``), else in the temporary folder.
    """
    if not hasattr(socket, "AF_UNIX") or not hasattr(os, "getuid"):
        return None
    base = os.environ.get("XDG_RUNTIME_DIR") or tempfile.gettempdir()
    return Path(base) / f"vaultnet-{os.getuid()}" / f"{vault_digest(root)}.sock"


def vault_digest(root: Path) -> str:
    """A short name for the vault at ``root``, for what is kept about it outside it."""
    return hashlib.sha256(os.fsencode(root)).hexdigest()[:24]


def private(folder: Path) -> bool:
    """True when ``folder`` is a folder of this user's that no one else can enter (else anyone could answer)."""
    try:
        found = folder.lstat()
    except OSError:
        return False
    return stat.S_ISDIR(found.st_mode) and found.st_uid == os.getuid() and not found.st_mode & 0o077


def ask(root: Path, request: Request) -> Reply | None:
    """The running watcher's answer to ``request``; None when there is none to be had."""
    path = socket_path(root)
    if path is None or not path.exists() or not private(path.parent):
        return None
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(ASK_SECONDS)
            sock.connect(os.fspath(path))
            sock.sendall(msgspec.msgpack.encode(request))
            sock.shutdown(socket.SHUT_WR)
            data = _read_all(sock)
        reply = _unpacked(data)
    except (OSError, msgspec.DecodeError, UnicodeDecodeError) as err:
        log.debug("no answer from the watcher: %s", err)
        return None
    if reply.declined is not None:
        log.debug("the watcher did not answer: %s", reply.declined)
        return None
    return reply


_SIZE = 4  # bytes: the length of the packed head, before it


class _Head(msgspec.Struct, array_like=True):
    """What a reply sends before what it printed."""

    code: int
    declined: str | None
    stderr: bytes
    printed: int  # bytes: what follows the head, all of it (a reply cut short is none)


def _send(conn: socket.socket, reply: Reply) -> None:
    """``reply`` as sent: its head packed, after its length; then what it printed, a piece at a time (packed
    whole, a large vault's ``status --json`` was copied into a buffer that grew to 17 MB)."""
    head = msgspec.msgpack.encode(_Head(reply.code, reply.declined, reply.stderr.encode(*TEXT),
                                        sum(map(len, reply.stdout))))
    conn.sendall(len(head).to_bytes(_SIZE, "big") + head)
    for piece in reply.stdout:
        conn.sendall(piece)


def _unpacked(data: bytes) -> Reply:
    """The reply ``_send`` sent; DecodeError or UnicodeDecodeError when ``data`` is not one."""
    size = int.from_bytes(data[:_SIZE], "big")
    head = msgspec.msgpack.decode(data[_SIZE:_SIZE + size], type=_Head)
    if len(data) != _SIZE + size + head.printed:
        raise msgspec.DecodeError(f"a reply of {len(data)} bytes, not {_SIZE + size + head.printed}")
    return Reply((data[_SIZE + size:],), head.stderr.decode(*TEXT), head.code, head.declined)


def _read_all(sock: socket.socket) -> bytes:
    parts = []
    while chunk := sock.recv(_CHUNK):
        parts.append(chunk)
    return b"".join(parts)


class AnswerServer:
    """The watcher's side: accepts requests on the vault's socket and hands each to ``handle``.

    ``handle`` runs on this server's thread and returns the reply (the watcher
    passes the request on to its worker, between builds). One request at a
    time: the worker answers one at a time anyway.
    """

    def __init__(self, root: Path, handle: Callable[[Request], Reply]) -> None:
        self.root = root
        self.handle = handle
        self.path = socket_path(root)
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    def start(self) -> bool:
        """Listen, unless another watcher of this vault already does (or sockets cannot be used here)."""
        if self.path is None:
            return False
        try:
            self.path.parent.mkdir(mode=0o700, exist_ok=True)
            if not private(self.path.parent):
                log.warning("not answering commands: %s is not a private folder of this user", self.path.parent)
                return False
            if self.path.exists():
                if _listening(self.path):
                    log.info("another watcher of this vault answers commands; this one only builds")
                    return False
                self.path.unlink()  # left by a watcher that was killed
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.bind(os.fspath(self.path))
            sock.listen(8)
            sock.settimeout(0.5)  # wakes now and then to see whether it should stop
        except OSError as err:
            log.warning("not answering commands: cannot listen on %s: %s", self.path, err)
            return False
        self._sock = sock
        self._thread = threading.Thread(target=self._serve, name="vaultnet-answers", daemon=True)
        self._thread.start()
        return True

    def _serve(self) -> None:
        assert self._sock is not None
        while not self._stopping.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            except OSError:
                break  # closed by stop()
            with conn:
                self._answer(conn)

    def _answer(self, conn: socket.socket) -> None:
        """One request answered; its reply is let go on return (a loop's variable kept the last one, 9 MB for a
        large vault's ``status --json``, while the next answer was worked out: the watcher's highest point)."""
        try:
            conn.settimeout(ASK_SECONDS)
            _send(conn, self._reply(msgspec.msgpack.decode(_read_all(conn), type=Request)))
        except (OSError, msgspec.DecodeError) as err:
            log.debug("a request could not be answered: %s", err)

    def _reply(self, request: Request) -> Reply:
        if request.version != __version__:
            return Reply(declined=f"the watcher runs vaultnet {__version__}, the command {request.version}")
        if Path(request.vault) != self.root:
            return Reply(declined=f"the watcher watches {self.root}, not {request.vault}")
        return self.handle(request)

    def stop(self) -> None:
        self._stopping.set()
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)  # wakes the accept() at once, on Linux
            self._sock.close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self.path is not None and self._sock is not None:
            with contextlib.suppress(OSError):
                self.path.unlink()
        self._sock = None


def _listening(path: Path) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(1.0)
        try:
            sock.connect(os.fspath(path))
        except OSError:
            return False
    return True
