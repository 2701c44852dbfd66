"""A cold build reads half its notes in a forked copy of itself: faster, never different.

The copy is made only by a process with no other thread (see vaultnet.base.forked),
so these tests run vaultnet in processes of their own: a test worker has threads.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from vaultnet.base import forked
from vaultnet.notes.noteset import FORK_FROM

from conftest import write

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or len(os.sched_getaffinity(0)) < 2,
    reason="a copy of the process is made on Linux with two cores to run on")


def python(script: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "VAULTNET_WATCHER": "off", "XDG_CACHE_HOME": str(cwd / "xdg")}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(script)], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def test_a_copy_sends_back_what_its_work_returned_and_nothing_when_it_fails(tmp_path):
    done = python("""
        import os, signal
        from vaultnet.base import forked
        print(forked.can_fork())
        print(forked.start(lambda: {"notes": ["a", "b"], "n": 2}).result())
        print(forked.start(lambda: 1 / 0).result())
        print(forked.start(lambda: os.kill(os.getpid(), signal.SIGKILL)).result())
        print(forked.start(lambda: os._exit(0)).result())
        copy = forked.start(lambda: __import__("time").sleep(60))
        copy.cancel()
        print(copy.result())
    """, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["True", "{'notes': ['a', 'b'], 'n': 2}", "None", "None", "None", "None"]


def test_a_process_with_another_thread_is_never_copied():
    import threading

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not forked.can_fork() and forked.start(lambda: 1) is None
    finally:
        stop.set()
        thread.join()


def vault_of(root: Path, count: int) -> Path:
    (root / ".obsidian").mkdir(parents=True)
    for n in range(count):
        write(root, f"People/Person {n:04d}.md", f"---\ncircle: {'inner' if n % 3 else 'close'}\ncompany: Co {n % 7}\n"
                                                 f"---\n- 2026-{n % 11 + 1:02d}-10 #call about [[Person {(n + 1) % count:04d}]]\n")
        if n % 2:
            write(root, f"Daily/2026-10-{n % 28 + 1:02d} {n}.md", f"- met [[Person {n:04d}]] #coffee\n- [ ] ask [[Person "
                                                                   f"{n:04d}]] about it 📅 2026-11-{n % 28 + 1:02d}\n")
    return root


def test_a_cold_build_read_in_two_processes_writes_what_one_process_writes(tmp_path):
    one, two = vault_of(tmp_path / "one", FORK_FROM), vault_of(tmp_path / "two", FORK_FROM)
    # In this test's process, which has threads: one reader.
    alone = python("""
        import threading, datetime as dt
        from pathlib import Path
        from vaultnet.files.config import load_config
        from vaultnet.pipeline.session import build_vault
        threading.Thread(target=threading.Event().wait, daemon=True).start()  # a second thread: no copy
        build_vault(load_config(Path("one")), dt.date(2026, 11, 21))
    """, tmp_path)
    assert alone.returncode == 0, alone.stderr
    both = subprocess.run([sys.executable, "-m", "vaultnet", "-vv", "--vault", str(two), "--today", "2026-11-21", "build"],
                          env={**os.environ, "VAULTNET_WATCHER": "off"}, capture_output=True, text=True, timeout=120,
                          check=False)
    assert both.returncode == 0, both.stderr
    assert "in a second process" in both.stderr and "failed" not in both.stderr

    def written(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "vaultnet").rglob("*"))
                if p.is_file()}

    assert written(one) == written(two) and len(written(one)) >= 3
    warm = subprocess.run([sys.executable, "-m", "vaultnet", "-vv", "--vault", str(two), "--today", "2026-11-21",
                           "build"], env={**os.environ, "VAULTNET_WATCHER": "off"}, capture_output=True, text=True,
                          timeout=120, check=False)
    # The cache holds every note either process read: nothing to read again, nothing to write.
    assert warm.returncode == 0 and "second process" not in warm.stderr and written(two) == written(one)


def test_a_copy_that_fails_leaves_the_notes_to_the_process(tmp_path):
    vault_of(tmp_path / "v", FORK_FROM)
    done = python("""
        import logging, sys
        from pathlib import Path
        from vaultnet.base import forked
        from vaultnet.files.config import load_config
        from vaultnet.notes import noteset
        logging.basicConfig(level=logging.DEBUG, stream=sys.stdout, format="%(message)s")
        start = forked.start
        noteset.forked.start = lambda work: start(lambda: work()[:-1])  # one note short: not taken
        notes = noteset.NoteSet(load_config(Path("v")))
        notes.scan()
        whole = noteset.NoteSet(load_config(Path("v")))
        noteset.forked.start = lambda work: None
        whole.scan()
        print(len(notes.entries), notes.entries == whole.entries, list(notes.entries) == list(whole.entries))
    """, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "in a second process failed: reading them here" in done.stdout
    assert done.stdout.splitlines()[-1] == f"{FORK_FROM + FORK_FROM // 2} True True"
