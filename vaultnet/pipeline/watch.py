"""``vaultnet watch``: keep the generated notes current (docs/design.md, The watcher).

The watchdog handler only records which paths changed and wakes the worker.
The worker waits for a quiet period (editors save in several steps, Obsidian
rewrites links in many notes at once, sync tools drop files in bursts), drops
the paths its ignore rule and its own writes account for, and hands the rest
to its :class:`~vaultnet.pipeline.session.Session`: the same pipeline as a batch build,
told which paths changed. The watcher is handed its session and its ignore
rule; it builds neither.
"""

from __future__ import annotations

import datetime as dt
import errno
import gc
import hashlib
import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Any

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from vaultnet.base.dates import Date
from vaultnet.base.errors import VaultnetError
from vaultnet.files.config import CONFIG_NAME, Config, load_config
from vaultnet.files.writes import read_bytes
from vaultnet.pipeline.cache import settings_digest
from vaultnet.pipeline.freshness import Written
from vaultnet.pipeline.heap import hand_back_large_blocks
from vaultnet.pipeline.serving import ASK_SECONDS, AnswerServer, Reply, Request
from vaultnet.pipeline.session import Session, answering_with

log = logging.getLogger(__name__)

QUIET_SECONDS = 1.5
MAX_WAIT_SECONDS = 10.0
RESCAN_SECONDS = 600.0
SAVE_SECONDS = 60.0  # the cache is saved at most this often while edits come in, and on stop
RETRY_SECONDS = (1.0, 60.0)  # a note that kept changing is tried again after 1 s, then 2, 4 ... at most 60
SETTLE_TICKS_SECONDS = 2.0  # a ticked follow-up is completed this long after its tick was dated
GIT_QUIET_SECONDS = 10.0  # with wait_for_git: no write this long after git last touched .git/
SETTINGS = (CONFIG_NAME, ".obsidian/daily-notes.json", ".obsidian/templates.json")
# Before answering a command, this long for the notice of an edit saved just before it to arrive (the
# kernel's notice is queued as the file is written; the observer's thread passes it on within milliseconds).
NOTICE_SECONDS = 0.02

# Runs one read command on the watcher's session: handed to the watcher by the command line.
Answer = Callable[[Session, Request], Reply]


class ChangeQueue:
    """Changed paths, filled by the observer's thread and drained by the worker."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.wakeup = threading.Event()
        self._lock = threading.Lock()
        self._paths: set[str] = set()
        self._first: float | None = None
        self._last: float | None = None

    def put(self, *paths: str) -> None:
        now = self.clock()
        with self._lock:
            self._paths.update(path for path in paths if path)
            self._first = self._first if self._first is not None else now
            self._last = now
        self.wakeup.set()

    def remaining(self, quiet: float, max_wait: float) -> float | None:
        """Seconds until the changes settle: ``quiet`` seconds without a new one, or
        ``max_wait`` after the first. 0 when settled, None when nothing is waiting."""
        with self._lock:
            if self._last is None or self._first is None:
                return None
            now = self.clock()
            return max(0.0, min(self._last + quiet, self._first + max_wait) - now)

    def take(self) -> set[str]:
        with self._lock:
            paths, self._paths = self._paths, set()
            self._first = self._last = None
            self.wakeup.clear()
        return paths

    def rest(self) -> None:
        """The worker was woken for something else (a command's question): sleep again unless paths wait."""
        with self._lock:
            if self._last is None:
                self.wakeup.clear()


class Handler(FileSystemEventHandler):
    """Only signals: every event's source and destination go to the queue (and to ``seen``, when given),
    except the paths ``wanted`` says can change nothing: a write in ``.vaultnet/`` or a swap file
    neither wakes the worker nor delays a build by a quiet period."""

    def __init__(self, queue: ChangeQueue, seen: Callable[[str], None] | None = None,
                 wanted: Callable[[str], bool] = lambda path: True, folders_retold: bool = False) -> None:
        self.queue = queue
        self.seen = seen
        self.wanted = wanted
        self.folders_retold = folders_retold  # see retells_folders

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return  # reads change nothing
        if self.folders_retold and event.is_directory and event.event_type == "modified":
            return  # the event of what changed in the folder came with it
        source = os.fsdecode(event.src_path)
        paths = [path for path in (source, os.fsdecode(getattr(event, "dest_path", "") or "")) if path]
        if any(self.wanted(path) for path in paths):
            self.queue.put(*paths)
        if self.seen is not None:
            self.seen(source)


def retells_folders(observer: BaseObserver) -> bool:
    """True for an observer that follows each event in a folder with the folder "modified" (inotify's, on Linux).

    Such an event says nothing the event it follows does not: a folder of ten
    thousand people looked at again after every note saved in it was a sixth of
    a watcher's step. Elsewhere a folder's own event can be the only word of a
    change (macOS and Windows tell a folder to look at again when they lose
    track), and it is followed.
    """
    try:
        from watchdog.observers.inotify import InotifyObserver
    except (ImportError, OSError):  # no inotify on this system
        return False
    return isinstance(observer, InotifyObserver)


def _digest(data: bytes | None) -> str | None:
    return hashlib.sha256(data).hexdigest() if data is not None else None


def hidden(rel: str) -> bool:
    """The default ignore rule: hidden folders and files, editors' swap files, vaultnet's own ``.vaultnet/``.

    Not an iCloud placeholder (``People/.Ana.md.icloud``): it says a note is not downloaded here.
    """
    parts = rel.split("/")
    if parts[-1].endswith(".md.icloud") and not any(part.startswith(".") for part in parts[:-1]):
        return False
    return any(part.startswith(".") for part in parts)


class GitWatch:
    """Whether git is at work on the vault, so that the watcher writes nothing meanwhile.

    A running git command holds ``.git/index.lock``; a merge, rebase,
    cherry-pick, revert or bisect in progress leaves its state in ``.git/``;
    and between the commands of a ``stash``, ``pull``, ``stash pop`` the only
    sign is that git touched ``.git/`` a moment ago (seen by the watcher's
    events, judged by its own clock). Generated notes written then would make
    ``git checkout`` refuse, or a ``stash pop`` conflict with the tick left in
    the stash.
    """

    IN_PROGRESS = ("index.lock", "MERGE_HEAD", "REBASE_HEAD", "CHERRY_PICK_HEAD", "REVERT_HEAD", "BISECT_LOG",
                   "rebase-merge", "rebase-apply", "sequencer")

    def __init__(self, root: os.PathLike[str] | str, quiet: float = GIT_QUIET_SECONDS) -> None:
        self.root = os.fspath(root)
        self.quiet = quiet
        self.last_seen = -float("inf")  # monotonic time of the last event in .git/
        self._said = False

    def folder(self) -> str | None:
        """The repository's git folder (``.git`` may be a file naming it, in a worktree or submodule)."""
        git = os.path.join(self.root, ".git")
        if os.path.isdir(git):
            return git
        try:
            with open(git, encoding="utf-8") as handle:
                line = handle.readline().strip()
        except OSError:
            return None
        if line.startswith("gitdir:"):
            found = line.split(":", 1)[1].strip()
            return found if os.path.isabs(found) else os.path.join(self.root, found)
        return None

    def saw(self, path: str) -> None:
        """An event's path: one in ``.git/`` means git is at work now."""
        git = os.path.join(self.root, ".git")
        if path == git or path.startswith(git + os.sep):
            self.last_seen = time.monotonic()

    def busy(self) -> bool:
        folder = self.folder()
        if folder is None:
            return False
        reason = next((name for name in self.IN_PROGRESS if os.path.exists(os.path.join(folder, name))), None)
        if reason is None and time.monotonic() - self.last_seen < self.quiet:
            reason = "a git command a moment ago"
        if reason is not None and not self._said:
            log.info("git is at work (%s): writing nothing until it is done", reason)
        self._said = reason is not None
        return reason is not None


class Watcher:
    """The build loop; start() and stop() it, or run() it until a signal.

    It is handed its ``session`` (what it builds with) and ``ignore`` (which
    vault-relative paths are never notes to it); :meth:`for_vault` makes both.
    """

    def __init__(
        self,
        session: Session,
        today: Callable[[], Date] = dt.date.today,
        *,
        ignore: Callable[[str], bool] = hidden,
        polling: bool = False,
        interval: float = 1.0,
        quiet: float = QUIET_SECONDS,
        max_wait: float = MAX_WAIT_SECONDS,
        rescan: float = RESCAN_SECONDS,
        poll_period: float = 1.0,
        save_every: float = SAVE_SECONDS,
        wait_for_git: bool = False,
        git_quiet: float = GIT_QUIET_SECONDS,
        settle_ticks: float = SETTLE_TICKS_SECONDS,
        hooks: Sequence[Callable[[Session, Date], None]] = (),
        answer: Answer | None = None,
    ) -> None:
        self.session = session
        session.settle_ticks = True  # two watchers stamping one tick at once agree before completing it
        self.settle_ticks = settle_ticks
        self.today = today
        self.ignore = ignore
        self.polling = polling
        self.interval = interval
        self.quiet = min(quiet, max_wait)
        self.max_wait = max_wait
        self.rescan = rescan
        self.poll_period = poll_period  # how often an idle worker wakes for the date and the rescan
        self.save_every = save_every
        self.hooks = tuple(hooks)  # called after every step with the session and the day (notifications at set times)
        self.queue = ChangeQueue()
        self.stopping = threading.Event()
        self.exit_code = 0
        self.builds = 0
        self.built = threading.Condition()
        self._own: dict[str, str | None] = {}  # generated note → hash of what we last wrote
        self._settings = settings_digest(session.config)
        self._settings_paths = frozenset(os.path.join(session.config.root, name) for name in SETTINGS)
        self._day: Date | None = None
        self._last_scan = 0.0
        self._unsaved: list[Written] | None = None  # the last build's results, when the cache does not hold them
        self._last_save = 0.0
        self._captured: dict[str, object] = {}  # capture sources unchanged since their last import
        self._retry: tuple[float, float] | None = None  # (when, how long it waited): a build to try again
        self.git = GitWatch(session.config.root, git_quiet) if wait_for_git else None
        self._observer: BaseObserver | None = None
        self._worker: threading.Thread | None = None
        # Commands' questions, answered by the worker between builds (see vaultnet.pipeline.serving).
        self.answer = answer
        self._questions: queue.SimpleQueue[tuple[Request, Future[Reply]]] = queue.SimpleQueue()
        self._asked = threading.Event()  # a question waits: wakes a worker waiting for a quiet period
        self._server: AnswerServer | None = None
        self.collect_rarely = False  # see run(): the process is the watcher's own

    @classmethod
    def for_vault(cls, config: Config, today: Callable[[], Date] = dt.date.today, **options: Any) -> Watcher:
        """A watcher of ``config``'s vault with a long-lived session that remembers what it worked out."""
        return cls(Session(config), today, **options)

    @property
    def config(self) -> Config:
        return self.session.config

    # -- building ---------------------------------------------------------

    def build(self) -> None:
        """Rebuild every generated note from the notes already read.

        A note left alone because a file kept changing (an editor still
        saving, a sync tool still writing) is tried again shortly, waiting
        longer each time, until it is written.
        """
        day = self.today()
        started = time.perf_counter()
        results = self.session.build(day, changed=())
        for result in results:
            if result.error:
                log.error("%s%s", result.error, "; trying again shortly" if result.retry else "")
            elif result.changed:
                log.info("wrote %s", result.rel)
        if any(result.retry for result in results):
            waited = min(RETRY_SECONDS[1], 2 * self._retry[1]) if self._retry else RETRY_SECONDS[0]
            self._retry = (time.monotonic() + waited, waited)
        elif self.session.pending:  # a ticked follow-up, completed once its tick's date has settled
            self._retry = (time.monotonic() + self.settle_ticks, RETRY_SECONDS[0] / 2)
        else:
            self._retry = None
        for result in results:
            if result.read_back is not None:
                # The session took our own output in: an event for these bytes is no change.
                self._own[result.rel] = _digest(result.read_back)
            else:
                # Edited while we built (a tick saved meanwhile), or left alone: look at it again.
                self._own.pop(result.rel, None)
                self.queue.put(str(self.config.root / result.rel))
        self._day = day
        self._unsaved = results
        if self.collect_rarely:
            gc.freeze()  # what the build left is the vault worked out: the collector need not go over it again
        log.debug("built in %.3f s", time.perf_counter() - started)
        with self.built:
            self.builds += 1
            self.built.notify_all()

    def save(self) -> None:
        """Save the notes read and, when the generated notes are as the last build left them, the fingerprint.

        Then a restart of the watcher, or a ``vaultnet build`` after it, is
        warm. Called only between builds, from the thread that builds: the
        notes saved are the ones the last build worked from (any note that
        changed since has a signature its entry does not hold, so the next
        build's fingerprint differs and it reads that note).
        """
        if self._unsaved is None or self._day is None:
            return
        started = time.perf_counter()
        self.session.save(self._day, self._unsaved)
        self._unsaved = None
        if self.collect_rarely:  # between builds: the one full collection, for any cycle let go since
            gc.unfreeze()
            gc.collect()
            gc.freeze()
        self._last_save = time.monotonic()
        log.debug("saved the cache in %.3f s", time.perf_counter() - started)

    def wait_for_build(self, count: int, timeout: float) -> bool:
        """Block until ``count`` builds have happened (for tests and tools)."""
        with self.built:
            return self.built.wait_for(lambda: self.builds >= count, timeout)

    def _in_vault(self, path: str) -> str | None:
        """The vault-relative path of an event, or None for paths vaultnet ignores (no file is read)."""
        rel = os.path.relpath(path, self.config.root).replace(os.sep, "/")
        if rel == "." or rel == ".." or rel.startswith("../"):
            return None  # the root itself changes with every file added or removed
        if self.ignore(rel):
            return None  # hidden folders, temporary files, our own .vaultnet/
        return rel

    def _relative(self, path: str) -> str | None:
        """The vault-relative path of an event, or None for paths vaultnet ignores and its own writes."""
        rel = self._in_vault(path)
        if rel is None:
            return None
        if rel in self._own and _digest(read_bytes(self.config.root / rel)) == self._own[rel]:
            return None  # what we wrote ourselves
        return rel

    def _wanted(self, path: str) -> bool:
        """Whether an event's path can change what the watcher builds: a note it does not ignore, or
        a settings file (on the observer's thread: no file is read)."""
        return os.path.normpath(path) in self._settings_paths or self._in_vault(path) is not None

    def _settings_changed(self, paths: set[str]) -> bool:
        """True when ``vaultnet.toml`` (or Obsidian's daily-note settings) changed: reload them."""
        if not self._settings_paths & {os.path.normpath(path) for path in paths}:
            return False
        digest = settings_digest(self.config)
        if digest == self._settings:
            return False
        self._settings = digest
        try:
            config = load_config(self.config.root)
        except VaultnetError as err:
            log.error("%s; keeping the settings read before", err)
            return False
        log.info("the settings changed: reloading them")
        self.session = self.session.reconfigured(config)  # notes kept and re-checked; nothing else reused
        return True

    def process(self, paths: set[str]) -> bool:
        """Re-read what the paths hold; rebuild when any note changed."""
        if self._settings_changed(paths):
            self.build()
            return True
        changed = self.session.refresh(rel for rel in {self._relative(path) for path in paths} if rel is not None)
        if changed:
            log.info("change in %d path(s); rebuilding", len(paths))
            self.build()
        return changed

    def capture(self) -> None:
        """Re-import the ``[capture]`` sources; new captures arrive as edited notes do, by the rescan."""
        from vaultnet.capture.imports import import_configured

        try:
            today = self.today()
            results = import_configured(self.config, today, lambda: self.session.network(today), self._captured)
        except Exception as err:  # a failing import must not keep the rescan from running
            log.error("capture failed: %s", err, exc_info=log.isEnabledFor(logging.DEBUG))
            return
        for result in results:
            for problem in result.read.problems:
                log.warning("%s", problem)

    # -- the loop ---------------------------------------------------------

    def _step(self) -> None:
        if not os.path.isdir(self.config.root):
            log.error("the vault %s is gone; stopping", self.config.root)
            self.exit_code = 1
            self.stopping.set()
            return
        if self.git is not None and self.git.busy():
            return  # git is at work on the vault: the changes wait, and nothing is written meanwhile
        if self.queue.remaining(self.quiet, self.max_wait) == 0:
            self.process(self.queue.take())
        if self._retry is not None and time.monotonic() >= self._retry[0]:
            log.info("trying again what could not be written")
            self.build()
        if (self._unsaved is not None and self.queue.remaining(self.quiet, self.max_wait) is None
                and time.monotonic() - self._last_save >= self.save_every):
            self.save()  # nothing waiting: the notes are the ones the last build used
        if self.today() != self._day:
            log.info("a new day: rebuilding")
            self.build()
        if time.monotonic() - self._last_scan >= self.rescan:
            self._last_scan = time.monotonic()
            self.capture()
            if self.session.refresh():
                log.info("a full rescan found changes; rebuilding")
                self.build()
        for hook in self.hooks:
            try:
                hook(self.session, self.today())
            except Exception as err:  # a failing hook (a notification) must not stop the rebuilds
                log.error("%s failed: %s", getattr(hook, "__qualname__", type(hook).__name__), err,
                          exc_info=log.isEnabledFor(logging.DEBUG))

    def _work(self, first: Future[None]) -> None:
        """The worker: the first build (its outcome set on ``first``), then the loop."""
        try:
            self.session.refresh()
            capturing = self.config.capture.calendars or self.config.capture.mail or self.config.capture.chats
            self._last_scan = 0.0 if capturing else time.monotonic()  # capture sources: import on the first step
            self.build()
            self.save()
        except BaseException as err:  # start() raises it
            first.set_exception(err)
            return
        first.set_result(None)
        self._loop()

    def _loop(self) -> None:
        while not self.stopping.is_set():
            remaining = self.queue.remaining(self.quiet, self.max_wait)
            if remaining is None:
                self.queue.wakeup.wait(self.poll_period)  # idle: wake now and then for the date and rescans
            elif remaining > 0:
                self._asked.wait(min(remaining, self.poll_period))  # a command's question ends the wait
            if self.stopping.is_set():
                break
            self._answer_questions()
            try:
                self._step()
            except Exception as err:  # a failing rebuild must not stop the watcher
                if not os.path.isdir(self.config.root):
                    continue  # the vault went away during the build: the next step stops
                log.error("rebuild failed: %s", err, exc_info=log.isEnabledFor(logging.DEBUG))

    # -- answering commands -----------------------------------------------

    def behind(self) -> str | None:
        """Why the watcher cannot answer a command now (the command then answers itself); None when it can.

        Changes waiting for their quiet period are no reason: the worker takes
        them in before it answers, as the command would read the vault as it is now.
        """
        if self.polling:
            return "it polls the disk: an edit may not be seen yet"
        if self._day is None:
            return "it has not built yet"
        return None

    def question(self, request: Request) -> Reply:
        """A command's question (on the server's thread): passed to the worker, which answers between builds."""
        time.sleep(NOTICE_SECONDS)
        reason = self.behind()
        if reason is not None:
            return Reply(declined=reason)
        future: Future[Reply] = Future()
        self._questions.put((request, future))
        self._asked.set()
        self.queue.wakeup.set()
        try:
            return future.result(timeout=ASK_SECONDS)
        except TimeoutError:
            return Reply(declined="no answer in time")

    def _catch_up(self) -> str | None:
        """Take in every change waiting, now rather than after its quiet period, and build today's notes;
        why it cannot (the command then answers itself), or None."""
        reason = self.behind()
        if reason is not None:
            return reason
        if self.git is not None and self.git.busy():
            return "git is at work on the vault: nothing is built meanwhile"
        try:
            if self.queue.remaining(self.quiet, self.max_wait) is not None:
                self.process(self.queue.take())
            if self.today() != self._day:
                self.build()
        except Exception as err:  # the command answers itself; the watcher goes on
            log.error("rebuild failed: %s", err, exc_info=log.isEnabledFor(logging.DEBUG))
            return f"its rebuild failed: {err}"
        return None

    def _answer_questions(self) -> None:
        """Answer, on the worker's thread, every question waiting: between builds, once caught up."""
        self._asked.clear()
        while True:
            try:
                request, future = self._questions.get_nowait()
            except queue.Empty:
                break
            answer = self.answer
            reason = self._catch_up()
            if answer is None or reason is not None:
                future.set_result(Reply(declined=reason or "no answers here"))
                continue
            started = time.perf_counter()
            try:
                with answering_with(self.session):
                    reply = answer(self.session, request)
            except Exception as err:  # the command works its answer out itself
                log.error("answering %s failed: %s", request.command, err, exc_info=log.isEnabledFor(logging.DEBUG))
                reply = Reply(declined=f"answering failed: {err}")
            log.debug("answered %s in %.3f s", request.command, time.perf_counter() - started)
            future.set_result(reply)
        self.queue.rest()

    def start(self) -> None:
        """Scan (from the persistent cache), build once, then watch in the background.

        The worker thread makes the first build too, and start() waits for it
        (its error is start's): every build then runs on one thread. The C
        allocator keeps an arena for each thread that allocates, so a first
        build on another thread would leave its freed memory where the
        worker's builds cannot reuse it (14 MB more at the peak on 10,000
        contacts).
        """
        hand_back_large_blocks()  # it runs for hours: what its builds free goes back to the system
        first: Future[None] = Future()
        self._worker = threading.Thread(target=self._work, args=(first,), name="vaultnet-worker", daemon=True)
        self._worker.start()
        first.result()
        try:
            self._observe()
        except BaseException:
            self.stop()  # the worker goes too: nothing is watched
            raise
        if self.answer is not None and not self.polling:
            server = AnswerServer(self.config.root, self.question)
            if server.start():
                self._server = server
        log.info("watching %s", self.config.root)

    def _observe(self) -> None:
        observer = PollingObserver(timeout=self.interval) if self.polling else Observer()
        observer.schedule(Handler(self.queue, self.git.saw if self.git is not None else None, self._wanted,
                                  retells_folders(observer)),
                          str(self.config.root),
                          recursive=True)
        try:
            observer.start()
        except OSError as err:
            if not os.path.isdir(self.config.root):  # removed while the first build ran
                raise VaultnetError(f"the vault {self.config.root} is gone") from None
            if err.errno in (errno.ENOSPC, errno.EMFILE):
                raise VaultnetError(
                    "the inotify watch limit is reached; run 'vaultnet watch --polling', or raise the limit "
                    "(sudo sysctl fs.inotify.max_user_watches=524288)"
                ) from None
            raise VaultnetError(f"cannot watch {self.config.root}: {err.strerror}") from None
        self._observer = observer

    def stop(self) -> None:
        self.stopping.set()
        self.queue.wakeup.set()
        self._asked.set()
        if self._server is not None:
            self._server.stop()
            self._server = None
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(timeout=5)
        if self._worker is not None and self._worker is not threading.current_thread():
            self._worker.join(timeout=30)
            if not self._worker.is_alive():
                self._save_at_stop()

    def _save_at_stop(self) -> None:
        try:
            self.save()
        except Exception as err:  # a cache that cannot be saved costs the next start time, nothing else
            log.error("cannot save the cache: %s", err)

    def run(self) -> int:
        """Watch until stop() (a signal handler calls it) or until the vault disappears.

        The process is the watcher's: what each build leaves in memory (the vault
        worked out, seven hundred thousand objects on a heavy vault) is set aside
        from the garbage collector, whose full pass over it took a third of a second
        in the middle of a step now and then; it collects in full when the cache is
        saved, between builds.
        """
        self.collect_rarely = True
        self.start()
        try:
            while not self.stopping.wait(0.5):
                pass
        finally:
            self.stop()
            gc.unfreeze()
        return self.exit_code
