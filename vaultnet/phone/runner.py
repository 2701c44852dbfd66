"""A whole sync as ``[sync]`` describes it: the command before, the contacts and the calendar, the command after.

``vaultnet sync`` runs it once; ``vaultnet watch`` hands the watcher a
:class:`PhoneSync` as a hook, which runs it after each build (at most once a
minute, so a burst of edits is one sync) and every ``[sync] every_minutes``
when nothing changed, to take in what the phone changed. The order matters:
``vdirsyncer sync`` first brings the phone's changes into the folders, vaultnet
merges them and writes the vault's, and ``vdirsyncer sync`` again sends those
(with ``conflict_resolution = "b wins"`` an item changed on both sides arrives
as the phone has it, and the merge keeps both sides' changes; docs/phone.md).

A sync that changed notes (a phone number added, a follow-up completed) is
worked out once more from the notes as they are now, so it leaves nothing for
the next sync to do: the brief on a card no longer lists the follow-up just
completed, a birthday just added gets its event.
"""

from __future__ import annotations

import logging
import shlex
import subprocess
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from vaultnet.advice.plan import Plan
from vaultnet.base.dates import Date
from vaultnet.base.errors import VaultnetError
from vaultnet.files.config import Config
from vaultnet.notes.note import Note
from vaultnet.phone.report import COUNTS, Report
from vaultnet.pipeline.session import Session
from vaultnet.standings.network import Network

if TYPE_CHECKING:
    from vaultnet.phone.contacts import Notes

log = logging.getLogger(__name__)

AFTER_BUILD_SECONDS = 60.0  # a sync after a build waits this long after the last one
Run = Callable[..., subprocess.CompletedProcess[str]]
WorkOut = Callable[[Iterable[str]], "tuple[Network, Plan, Notes | None]"]


def folder(config: Config, setting: str) -> Path:
    """A ``[sync]`` folder: ``~`` expanded, relative to the vault."""
    path = Path(setting).expanduser()
    return path if path.is_absolute() else config.root / path


def run_command(config: Config, which: str, run: Run = subprocess.run) -> str | None:
    """Run ``[sync] before`` or ``after`` in the vault's folder; None when it worked, else what went wrong."""
    command = getattr(config.sync, which)
    if not command:
        return None
    try:
        done = run(shlex.split(command), cwd=config.root, capture_output=True, text=True,
                   timeout=config.sync.timeout, stdin=subprocess.DEVNULL, check=False)
    except subprocess.TimeoutExpired:
        return f"[sync] {which} ({command}) took more than {config.sync.timeout} s and was stopped"
    except (OSError, ValueError) as err:
        return f"[sync] {which} ({command}) cannot run: {err}"
    if done.returncode != 0:
        said = " ".join((done.stderr or done.stdout or "").strip().splitlines()[-3:])
        return f"[sync] {which} ({command}) failed (exit {done.returncode}): {said}"
    return None


def session_work_out(session: Session, today: Date, rescan: bool = True) -> WorkOut:
    """The network and this week's plan from ``session``: with ``rescan``, the vault looked at again first
    (from the persistent cache, so only what changed is read); then only the notes a sync changed."""
    first = [rescan]

    def note(rel: str) -> Note | None:
        entry = session.notes.entries.get(rel)
        return entry.note if entry is not None else None

    def work_out(changed: Iterable[str]) -> tuple[Network, Plan, Notes | None]:
        session.refresh(None if first[0] else changed)
        first[0] = False
        network, plan, _ = session.builder(today, write=False).prepare_plan()
        return network, plan, note  # a person's note keeps its properties in the session (trim_note)

    return work_out


def sync_folders(config: Config, work_out: WorkOut, today: Date, *, contacts: Path | None = None,
                 calendar: Path | None = None, write: bool = True, again: bool = True) -> list[Report]:
    """Sync the folders given (the calendar first: a follow-up completed on the phone leaves the briefs).

    ``again``: when the sync changed notes, sync once more from them. The watcher
    says no: it reads those notes when their change reaches it, rebuilds, and the
    sync after that build finishes the work.
    """

    # Imported when a sync runs: a watcher without [sync] never loads the card and calendar libraries.
    from vaultnet.phone.calendar import sync_calendar
    from vaultnet.phone.contacts import sync_contacts

    def one_pass(changed: Iterable[str]) -> list[Report]:
        network, plan, notes = work_out(changed)
        reports = []
        if calendar is not None:
            reports.append(sync_calendar(config, calendar, network, plan, today, write))
        if contacts is not None:
            reports.append(sync_contacts(config, contacts, network, plan, today, write, notes))
        return reports

    reports = one_pass(())
    changed = {rel for report in reports for rel in report.changed}
    if write and again and changed:
        for first, more in zip(reports, one_pass(changed), strict=True):
            _add(first, more)
    return reports


def _add(first: Report, again: Report) -> None:
    """The first pass's report, with what a second pass (on the notes the first changed) did too."""
    first.lines += again.lines
    first.problems += [problem for problem in again.problems if problem not in first.problems]
    first.changed |= again.changed
    done_before = sum(count for name, count in first.counts.items() if name != "unchanged")
    for name, count in again.counts.items():
        if name != "unchanged":
            first.counts[name] += count
    first.counts["unchanged"] = max(0, again.counts["unchanged"] - done_before)


def sync_all(config: Config, work_out: WorkOut, today: Date, run: Run = subprocess.run,
             again: bool = True) -> tuple[list[Report], list[str]]:
    """``[sync] before``, the folders ``[sync]`` names, ``[sync] after``; the reports and what went wrong."""
    options = config.sync
    if not options.contacts and not options.calendar:
        raise VaultnetError("[sync] in vaultnet.toml names no folder (contacts = \"...\", calendar = \"...\"); "
                            "see docs/phone.md")
    failures = [error for error in [run_command(config, "before", run)] if error]
    reports = sync_folders(config, work_out, today,
                           contacts=folder(config, options.contacts) if options.contacts else None,
                           calendar=folder(config, options.calendar) if options.calendar else None, again=again)
    after = run_command(config, "after", run)
    return reports, failures + ([after] if after else [])


class PhoneSync:
    """The watcher's hook: the whole sync after each build (once a minute at most) and every ``every_minutes``."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, run: Run = subprocess.run,
                 gap: float = AFTER_BUILD_SECONDS) -> None:
        self.clock = clock
        self.run = run
        self.gap = gap
        self.last: float | None = None
        self._built: object = None  # the session's summary of the last build synced after (a new one each build)

    def __call__(self, session: Session, today: Date) -> None:
        config = session.config
        if not config.sync.contacts and not config.sync.calendar:
            return
        now = self.clock()
        built = session.summary is not self._built
        since = None if self.last is None else now - self.last
        if not (since is None or (built and since >= self.gap) or since >= config.sync.every_minutes * 60):
            return
        self.last, self._built = now, session.summary
        started = time.perf_counter()
        # The watcher's session is current: nothing to rescan, and the notes the sync changes are left for
        # the watcher to see change (reading them here would hide the change from it, and its rebuild).
        reports, failures = sync_all(config, session_work_out(session, today, rescan=False), today, self.run,
                                     again=False)
        for failure in failures:
            log.error("%s", failure)
        for report in reports:
            for problem in report.problems:
                log.warning("%s", problem)
            for line in report.lines:
                log.info("%s", line)
            log.info("%s", report.summary(COUNTS[report.kind]))
        log.debug("synced in %.2f s", time.perf_counter() - started)
