"""Progress of long work on a terminal: a cold build of a large vault reads notes for seconds.

Shown on stderr, only when stderr is a terminal and the command is not ``-q``,
and only once the work has taken about a second: a warm build, a small vault
or a pipe never sees a bar. The bar is transient, so nothing of it stays in
the terminal's scrollback, and stdout (``plan --stdout``) is never touched.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from vaultnet.importers.records import Progress as Loop
    from vaultnet.pipeline.session import Progress

DELAY_SECONDS = 1.0
T = TypeVar("T")


class TerminalProgress:
    """A :data:`~vaultnet.pipeline.session.Progress` callback that draws a rich bar once the work is slow."""

    def __init__(self, delay: float = DELAY_SECONDS, clock: Any = time.monotonic) -> None:
        self.delay = delay
        self.clock = clock
        self.started = clock()
        self.bar: Any = None  # rich's Progress, made only when needed (importing rich costs time)
        self.tasks: dict[str, Any] = {}

    def __call__(self, what: str, done: int, total: int) -> None:
        if self.bar is None:
            if self.clock() - self.started < self.delay:
                return
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                TimeElapsedColumn(), console=Console(stderr=True), transient=True)
            self.bar.start()
        task = self.tasks.get(what)
        if task is None:
            task = self.tasks[what] = self.bar.add_task(what, total=total)
        self.bar.update(task, completed=done, total=total)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


@contextmanager
def terminal_progress(quiet: bool) -> Iterator[Progress | None]:
    """A progress callback for the work inside the block, or None (under ``-q`` or in a pipe)."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    progress = TerminalProgress()
    try:
        yield progress
    finally:
        progress.close()


def tracked(progress: Progress | None) -> Loop | None:
    """The same bar for a loop over items (an import's rows): ``progress`` is told every 64 items.

    The shape an importer's loops take (:class:`vaultnet.importers.records.Progress`);
    None when there is no bar to draw.
    """
    if progress is None:
        return None

    def each(items: Iterable[T], total: int, description: str) -> Iterator[T]:
        for done, item in enumerate(items):
            if done % 64 == 0:
                progress(description, done, total)
            yield item
        progress(description, total, total)

    return each
