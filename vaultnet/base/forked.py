"""Work done by a forked copy of this process while the process does other work.

A cold build reads thirty thousand notes, each on its own. On a machine with
two cores, a copy of the process made by ``fork()`` reads half of them while the
process reads the other half, and sends back what it read, pickled, through a
pipe: a few megabytes, a tenth of a second against two seconds of reading.

Only where ``fork()`` copies a process safely: on Linux (macOS's system
libraries are not safe to use in a forked copy), in a process with no other
thread (a watcher's first build runs beside its observer: it reads alone), and
with a second core to run on. Whatever goes wrong in the copy (an error, a
signal, memory running out) gives no result, and the caller does the work
itself: the copy can make a build faster, never different.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["Forked", "can_fork", "start"]

T = TypeVar("T")


def can_fork() -> bool:
    """Whether :func:`start` may copy this process: Linux, one thread, two cores."""
    if not sys.platform.startswith("linux") or threading.active_count() != 1:
        return False
    try:
        return len(os.sched_getaffinity(0)) >= 2
    except (AttributeError, OSError):
        return False


class Forked(Generic[T]):
    """A forked copy at work: :meth:`result` waits for what it sends back."""

    def __init__(self, pid: int, fd: int) -> None:
        self._pid = pid
        self._fd = fd
        self._done = False

    def result(self) -> T | None:
        """What the work returned; None when the copy failed, whatever the reason, or was cancelled."""
        if self._done:
            return None
        try:
            with os.fdopen(self._fd, "rb") as pipe:
                data = pipe.read()
        finally:
            status = self._reap()
        if status != 0 or not data:
            return None
        try:
            found: T = pickle.loads(data)  # noqa: S301 - bytes this process's own copy just pickled
        except Exception:  # noqa: BLE001 - a copy cut off mid-write: the caller does the work
            return None
        return found

    def cancel(self) -> None:
        """Stop the copy (the caller stops waiting: an interrupt, an error of its own)."""
        if self._done:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self._pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.close(self._fd)
        self._reap()

    def _reap(self) -> int:
        if self._done:
            return -1
        self._done = True
        _, status = os.waitpid(self._pid, 0)
        return os.waitstatus_to_exitcode(status)


def start(work: Callable[[], T]) -> Forked[T] | None:
    """``work()`` in a forked copy of this process; None when it cannot be copied (see :func:`can_fork`)."""
    if not can_fork():
        return None
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # the copy: work, send, and leave without running anything the process set up to run at exit
        code = 1
        try:
            os.close(read_end)
            data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
            code = 0
        except BaseException:  # noqa: BLE001, S110 - the process sees no result and does the work itself
            pass
        finally:
            os._exit(code)
    os.close(write_end)
    return Forked(pid, read_end)
