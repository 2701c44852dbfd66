"""The watcher with a real observer on vaults in tmp_path.

Every test waits on a build (or on the watcher stopping) with a timeout; none
relies on a fixed sleep.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vaultnet.files.config import load_config
from vaultnet.pipeline.session import Session, build_vault
from vaultnet.pipeline.watch import ChangeQueue, Watcher

from conftest import TODAY, write

TIMEOUT = 20
PLAN = "vaultnet/Plans/2026-W47.md"
INDEX = "vaultnet/Network.md"


def fresh_build(vault: Path, today: dt.date = TODAY) -> dict[str, str]:
    """What a fresh `vaultnet build` would write, without writing it."""
    builder = Session(load_config(vault), remember=False).builder(today, write=False)
    network, plan, rel = builder.prepare_plan()
    return {rel: builder.plan_note(plan, rel)[0], INDEX: builder.index_note(network)[0]}


def generated(vault: Path) -> dict[str, str]:
    return {rel: (vault / rel).read_text(encoding="utf-8") for rel in (PLAN, INDEX)}


@pytest.fixture
def watching(vault):
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n- 2026-11-01 #call hello\n")
    write(vault, "People/Bob.md", "---\ncircle: close\n---\n")
    day = [TODAY]
    watcher = Watcher.for_vault(load_config(vault), lambda: day[0], quiet=0.05, max_wait=2, poll_period=0.05)
    watcher.day = day
    watcher.start()
    assert watcher.builds == 1
    yield watcher
    watcher.stop()


def change_and_wait(watcher, action) -> None:
    before = watcher.builds
    action()
    assert watcher.wait_for_build(before + 1, TIMEOUT), "no rebuild after the change"


def test_first_build_equals_a_fresh_build(vault, watching):
    assert generated(vault) == fresh_build(vault)


def test_in_place_edit(vault, watching):
    change_and_wait(watching, lambda: write(vault, "2026-11-20.md", "- lunch with [[Bob]] #coffee\n"))
    assert "| [[Bob]] | close | 2026-11-20 |" in (vault / INDEX).read_text()
    assert generated(vault) == fresh_build(vault)


def test_atomic_rename_save(vault, watching):
    def save_like_an_editor():
        tmp = vault / "People" / ".Ana.md.swp"
        tmp.write_text("---\ncircle: inner\n---\n- 2026-11-20 #call again\n")
        os.replace(tmp, vault / "People" / "Ana.md")

    change_and_wait(watching, save_like_an_editor)
    assert "| [[Ana]] | inner | 2026-11-20 |" in (vault / INDEX).read_text()
    assert generated(vault) == fresh_build(vault)


def test_note_renamed_and_deleted(vault, watching):
    change_and_wait(watching, lambda: os.rename(vault / "People/Bob.md", vault / "People/Robert.md"))
    text = (vault / INDEX).read_text()
    assert "[[Robert]]" in text and "[[Bob]]" not in text
    assert generated(vault) == fresh_build(vault)
    change_and_wait(watching, lambda: (vault / "People/Robert.md").unlink())
    assert "[[Robert]]" not in (vault / INDEX).read_text()
    assert generated(vault) == fresh_build(vault)


def test_folder_moved_in_and_out(vault, watching, tmp_path):
    outside = tmp_path / "outside" / "Friends"
    write(outside.parent, "Friends/Cy.md", "---\ncircle: inner\n---\n")
    write(outside.parent, "Friends/Di.md", "---\ncircle: inner\n---\n")
    change_and_wait(watching, lambda: shutil.move(str(outside), str(vault / "People" / "Friends")))
    assert "[[Cy]]" in (vault / INDEX).read_text() and "[[Di]]" in (vault / INDEX).read_text()
    assert generated(vault) == fresh_build(vault)
    change_and_wait(watching, lambda: shutil.move(str(vault / "People" / "Friends"), str(outside)))
    assert "[[Cy]]" not in (vault / INDEX).read_text()
    assert generated(vault) == fresh_build(vault)


def test_burst_of_500_edits_over_100_notes(vault, watching):
    def burst():
        for round_ in range(5):
            for i in range(100):
                write(vault, f"People/P{i:03d}.md", f"---\ncircle: close\n---\n- 2026-11-{round_ + 10} #call r{round_}\n")

    before = watching.builds
    burst()
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline and generated(vault) != fresh_build(vault):
        watching.wait_for_build(watching.builds + 1, 1)
    assert generated(vault) == fresh_build(vault)
    assert "| [[P099]] | close | 2026-11-14 |" in (vault / INDEX).read_text()
    assert watching.builds - before < 50  # debounced, not one build per event


def test_own_writes_cause_no_further_build(vault, watching):
    change_and_wait(watching, lambda: write(vault, "2026-11-20.md", "- [[Bob]]\n"))
    settled = watching.builds
    # The build above wrote both generated notes. Had the watcher reacted to its own
    # writes, a build would follow; the next user change must be exactly one build later.
    change_and_wait(watching, lambda: write(vault, "2026-11-19.md", "- [[Ana]]\n"))
    assert watching.wait_for_build(settled + 1, TIMEOUT)
    assert watching.builds == settled + 1


def test_ticking_the_plan_rebuilds_once_and_stamps(vault, watching):
    plan = vault / PLAN
    change_and_wait(watching, lambda: plan.write_text(plan.read_text().replace("- [ ] [[Bob]]", "- [x] [[Bob]]")))
    text = plan.read_text()
    assert "- [x] [[Bob]] — no contact yet · 15 min ✅ 2026-11-21 ^vn-" in text
    assert "| [[Bob]] | close | 2026-11-21 |" in (vault / INDEX).read_text()
    assert generated(vault) == fresh_build(vault)


def test_a_broken_note_does_not_stop_it(vault, watching):
    change_and_wait(watching, lambda: write(vault, "People/Bad.md", "---\ncircle: [oops\n---\n"))
    assert "People/Bad.md:2: invalid YAML" in (vault / INDEX).read_text()
    change_and_wait(watching, lambda: write(vault, "People/Good.md", "---\ncircle: inner\n---\n"))
    assert "[[Good]]" in (vault / INDEX).read_text()
    assert not watching.stopping.is_set()


def test_ignored_paths_cause_no_build(vault, watching):
    before = watching.builds
    write(vault, ".obsidian/workspace.json", "{}")
    write(vault, "People/.Ana.md.swp", "junk")
    write(vault, "People/notes.txt", "not a note")
    change_and_wait(watching, lambda: write(vault, "2026-11-20.md", "- [[Bob]]\n"))
    assert watching.builds == before + 1


def test_date_change_rebuilds_without_events(vault, watching):
    before = watching.builds
    watching.day[0] = dt.date(2026, 11, 23)  # Monday: a new week
    assert watching.wait_for_build(before + 1, TIMEOUT)
    assert (vault / "vaultnet/Plans/2026-W48.md").is_file()


def test_vault_disappearing_stops_with_an_error(vault, watching):
    shutil.rmtree(vault)
    assert watching.stopping.wait(TIMEOUT)
    assert watching.exit_code == 1


def test_change_queue_settles_after_quiet_or_max_wait():
    now = [0.0]
    queue = ChangeQueue(clock=lambda: now[0])
    assert queue.remaining(1.5, 10) is None
    queue.put("/a", "")
    assert queue.remaining(1.5, 10) == 1.5
    for step in range(1, 12):  # an event every second: never quiet
        now[0] = float(step)
        queue.put("/b")
    assert queue.remaining(1.5, 10) == 0  # 10 s after the first event
    assert queue.take() == {"/a", "/b"}
    assert queue.remaining(1.5, 10) is None


def test_sigterm_stops_cleanly(vault):
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "vaultnet", "--vault", str(vault), "--today", "2026-11-21", "watch"],
        stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + TIMEOUT
        while not (vault / INDEX).exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert (vault / INDEX).exists()
        process.send_signal(signal.SIGTERM)
        assert process.wait(TIMEOUT) == 0
    finally:
        process.kill()


def test_print_service(vault):
    from click.testing import CliRunner

    from vaultnet.cli.main import main

    unit = CliRunner().invoke(main, ["--vault", str(vault), "watch", "--print-service", "systemd"]).output
    assert "[Service]" in unit and f"--vault {vault} watch" in unit and "WantedBy=default.target" in unit
    plist = CliRunner().invoke(main, ["--vault", str(vault), "watch", "--print-service", "launchd"]).output
    import plistlib

    data = plistlib.loads(plist.encode())
    assert data["ProgramArguments"][-3:] == ["--vault", str(vault), "watch"]
    assert data["RunAtLoad"] is True


def test_polling_observer(vault):
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n")
    watcher = Watcher.for_vault(load_config(vault), lambda: TODAY, polling=True, interval=0.1, quiet=0.05, poll_period=0.05)
    watcher.start()
    try:
        change_and_wait(watcher, lambda: write(vault, "People/Bob.md", "---\ncircle: inner\n---\n"))
        assert "[[Bob]]" in (vault / INDEX).read_text()
    finally:
        watcher.stop()


def test_inotify_limit_is_a_clear_message(vault, monkeypatch):
    import errno

    import vaultnet.pipeline.watch as watch_module
    from vaultnet.base.errors import VaultnetError

    def full(self):
        raise OSError(errno.ENOSPC, "inotify watch limit reached")

    monkeypatch.setattr(watch_module.Observer, "start", full)
    watcher = Watcher.for_vault(load_config(vault), lambda: TODAY)
    with pytest.raises(VaultnetError, match="inotify watch limit is reached; run 'vaultnet watch --polling'"):
        watcher.start()
    assert watcher._worker is not None and not watcher._worker.is_alive()  # nothing is watched: nothing builds


def test_every_build_runs_on_the_worker_thread(vault):
    """The first build too: the C allocator keeps an arena for each thread that allocates, and what a first
    build on another thread freed would sit where the worker's builds cannot reuse it (memory at the peak)."""
    import threading

    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n- 2026-11-01 #call hello\n")
    watcher = Watcher.for_vault(load_config(vault), lambda: TODAY, quiet=0.05, max_wait=2, poll_period=0.05)
    builders: list[int] = []
    build = watcher.session.build

    def recorded(*args, **kwargs):
        builders.append(threading.get_ident())
        return build(*args, **kwargs)

    watcher.session.build = recorded  # type: ignore[method-assign]
    watcher.start()
    try:
        change_and_wait(watcher, lambda: write(vault, "People/Bob.md", "---\ncircle: close\n---\n"))
    finally:
        watcher.stop()
    assert len(builders) >= 2 and set(builders) == {watcher._worker.ident}
    assert threading.get_ident() not in builders


def test_a_first_build_that_fails_is_the_error_of_start(vault, monkeypatch):
    from vaultnet.base.errors import VaultnetError

    def fails(*args, **kwargs):
        raise VaultnetError("cannot read the vault")

    watcher = Watcher.for_vault(load_config(vault), lambda: TODAY)
    monkeypatch.setattr(watcher.session, "build", fails)
    with pytest.raises(VaultnetError, match="cannot read the vault"):
        watcher.start()
    assert watcher._observer is None and not watcher._worker.is_alive()


def test_a_tick_saved_while_it_builds_is_taken_in(vault, watching, monkeypatch):
    import vaultnet.pipeline.build as build_module  # the session takes its Builder from there when it builds

    plan = vault / PLAN
    real = build_module.Builder
    ticked = []

    class TickDuringBuild(real):
        def build(self):
            results = super().build()
            if not ticked:  # the user ticks right after our write, before we look at it
                plan.write_text(plan.read_text().replace("- [ ] [[Bob]]", "- [x] [[Bob]]"))
                ticked.append(1)
            return results

    monkeypatch.setattr(build_module, "Builder", TickDuringBuild)
    change_and_wait(watching, lambda: write(vault, "2026-11-19.md", "- [[Ana]]\n"))
    deadline = time.monotonic() + TIMEOUT
    while "✅ 2026-11-21" not in plan.read_text() and time.monotonic() < deadline:
        watching.wait_for_build(watching.builds + 1, 1)
    assert "- [x] [[Bob]] — no contact yet · 15 min ✅ 2026-11-21 ^vn-" in plan.read_text()
    assert "| [[Bob]] | close | 2026-11-21 |" in (vault / INDEX).read_text()


def _warm_build(vault: Path, monkeypatch) -> list:
    """`vaultnet build` that fails the test if it has to read or assemble any note."""
    import vaultnet.notes.noteset as noteset_module

    def no_read(self, file):
        raise AssertionError(f"the build read {file.rel}: the cache was not warm")

    with monkeypatch.context() as patch:
        patch.setattr(noteset_module.NoteSet, "_read", no_read)
        return build_vault(load_config(vault), TODAY)


def test_after_a_watcher_session_with_edits_a_build_is_warm_and_writes_the_same_notes(vault, monkeypatch):
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n- 2026-11-01 #call hello\n")
    write(vault, "People/Bob.md", "---\ncircle: close\n---\n")
    watcher = Watcher.for_vault(load_config(vault), lambda: TODAY, quiet=0.05, max_wait=2, poll_period=0.05)
    watcher.start()
    try:
        change_and_wait(watcher, lambda: write(vault, "2026-11-19.md", "- coffee with [[Bob]] #coffee\n"))
        change_and_wait(watcher, lambda: write(vault, "People/Cleo.md", "---\ncircle: close\n---\n"))
    finally:
        watcher.stop()  # saves what the last build worked from
    after_watch = generated(vault)
    assert "| [[Bob]] | close | 2026-11-19 |" in after_watch[INDEX] and "[[Cleo]]" in after_watch[INDEX]
    assert [result.changed for result in _warm_build(vault, monkeypatch)] == [False, False, False]
    assert generated(vault) == after_watch == fresh_build(vault)


def test_the_cache_is_saved_at_most_once_per_period_while_edits_come_in(vault, monkeypatch):
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n")
    watcher = Watcher.for_vault(load_config(vault), lambda: TODAY, quiet=0.05, max_wait=2, poll_period=0.05,
                                save_every=3600)
    saves = []
    real = watcher.session.save
    monkeypatch.setattr(watcher.session, "save", lambda *args: saves.append(1) or real(*args))
    watcher.start()
    try:
        assert saves == [1]  # the start saves what it read
        change_and_wait(watcher, lambda: write(vault, "2026-11-19.md", "- [[Ana]] #call\n"))
        change_and_wait(watcher, lambda: write(vault, "2026-11-20.md", "- [[Ana]] #coffee\n"))
        assert saves == [1]  # within the period: not again
    finally:
        watcher.stop()
    assert saves == [1, 1]  # on stop, what the last build worked from


def test_an_edit_the_watcher_has_not_built_yet_is_never_taken_for_current(vault):
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n")
    watcher = Watcher.for_vault(load_config(vault), lambda: TODAY, quiet=0.05, max_wait=3600, poll_period=0.05)
    watcher.start()
    try:
        change_and_wait(watcher, lambda: write(vault, "2026-11-18.md", "- coffee with [[Ana]] #coffee\n"))
        watcher.quiet = 3600  # the next edit is seen but waits for its quiet period
        write(vault, "2026-11-19.md", "- call with [[Ana]] #call\n")
        deadline = time.monotonic() + TIMEOUT
        while watcher.queue.remaining(watcher.quiet, watcher.max_wait) is None and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        watcher.stop()  # saves what the last build (the 18th) worked from, not the 19th
    assert "| [[Ana]] | inner | 2026-11-18 |" in generated(vault)[INDEX]
    build_vault(load_config(vault), TODAY)
    assert "| [[Ana]] | inner | 2026-11-19 |" in generated(vault)[INDEX]


def test_its_own_process_sets_what_a_build_leaves_aside_from_the_collector(vault):
    """``run`` (the watcher's own process): after each build the vault worked out is frozen for the garbage
    collector, so that a full collection never goes over it mid-step; a save collects in full, between builds."""
    import gc
    import weakref

    class Node:
        pass

    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n")
    watcher = Watcher.for_vault(load_config(vault), lambda: TODAY)
    watcher.session.refresh()
    try:
        watcher.build()
        assert gc.get_freeze_count() == 0  # a watcher in someone else's process leaves the collector alone
        watcher.collect_rarely = True
        node = Node()
        node.me = node  # a cycle, alive when the build is done: frozen with it
        watcher.build()
        assert gc.get_freeze_count() > 0
        gone = weakref.ref(node)
        del node
        gc.collect()
        assert gone() is not None  # frozen: a collection does not go over it
        watcher.save()
        assert gone() is None and gc.get_freeze_count() > 0  # the save's full collection did, and froze again
    finally:
        gc.unfreeze()


def test_a_folder_told_modified_beside_the_event_of_what_changed_in_it_is_not_looked_at_again(vault, watching):
    """inotify follows each event in a folder with the folder "modified": looking at the folder again after
    every note saved in it (ten thousand people) was a sixth of the step. Elsewhere (polling, macOS, Windows)
    a folder's own event may be the only word of a change, and it is followed."""
    from watchdog.events import DirModifiedEvent, FileModifiedEvent
    from watchdog.observers.polling import PollingObserver

    from vaultnet.pipeline.watch import Handler, retells_folders

    assert retells_folders(watching._observer) == sys.platform.startswith("linux")
    assert not retells_folders(PollingObserver())
    for retold, expected in ((True, set()), (False, {str(vault / "People")})):
        queue = ChangeQueue()
        Handler(queue, folders_retold=retold).on_any_event(DirModifiedEvent(str(vault / "People")))
        assert queue.take() == expected
    queue = ChangeQueue()
    Handler(queue, folders_retold=True).on_any_event(FileModifiedEvent(str(vault / "People/Ana.md")))
    assert queue.take() == {str(vault / "People/Ana.md")}

    asked: list[set[str]] = []
    refresh = watching.session.refresh

    def recorded(changed=None):
        changed = None if changed is None else set(changed)
        asked.append(changed)
        return refresh(changed)

    watching.session.refresh = recorded
    change_and_wait(watching, lambda: (vault / "People/Ana.md").open("a").write("- 2026-11-20 #call again\n"))
    assert asked and all(changed is not None and "People" not in changed for changed in asked), asked
    assert generated(vault) == fresh_build(vault)
