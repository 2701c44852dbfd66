"""Two devices, each with a real ``vaultnet watch``, joined by a real two-way sync (``syncer.py``).

One device keeps the time of Kiritimati (UTC+14) and is a day ahead of the
other, which keeps Pago Pago's (UTC-11). Each runs on a day of its own, pinned,
so that both cases are tried whatever the day the tests run: a day apart in
one week (both write the one plan note, each in its own template) and on
either side of a week's end (each writes its own). Only the notes are synced, never
``.vaultnet/`` (the cache, and one device's customised plan template). Ticks
and log lines are made on both sides while both watchers run; then nobody
edits. Whatever the sync does with two versions of one file (keeps both, as
Syncthing does, or keeps the newer), no tick is lost, every conflict copy is
named by ``check``, and once the edits stop the watchers write nothing more.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import syncer

from vaultnet.pipeline.watch import SETTLE_TICKS_SECONDS

from conftest import write

TIMEOUT = 30
AHEAD, BEHIND = "Pacific/Kiritimati", "Pacific/Pago_Pago"
SYNCER = Path(__file__).with_name("syncer.py")
_KEY = re.compile(r"\^(vn-[\w-]+)\s*$")


# (the device ahead, the one behind)
DAYS = {"one week": (dt.date(2026, 12, 8), dt.date(2026, 12, 7)),  # Tuesday and Monday of 2026-W50
        "two weeks": (dt.date(2026, 12, 7), dt.date(2026, 12, 6))}  # Monday of W50, Sunday of W49


def plan_of(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"vaultnet/Plans/{year}-W{week:02d}.md"


class Output:
    """A process's stderr lines, with the time each arrived."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.lines: list[tuple[float, str]] = []
        self._thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self._thread.start()

    def _read(self, process: subprocess.Popen) -> None:
        for line in process.stderr:  # type: ignore[union-attr]
            self.lines.append((time.monotonic(), line.rstrip("\n")))

    def since(self, moment: float) -> list[str]:
        return [line for at, line in self.lines if at >= moment]


def make_vault(root: Path, day: dt.date) -> None:
    (root / ".obsidian").mkdir(parents=True)
    long_ago = (day - dt.timedelta(days=70)).isoformat()
    for number, name in enumerate(["Ana Souza", "Bob Lee", "Chloé Dubois", "Diego Fernández", "Eva Lee", "Femi Ade"]):
        due = (day - dt.timedelta(days=2 + number)).isoformat()
        write(root, f"People/{name}.md", f"---\ncircle: close\ncompany: Co {number}\n---\n## Log\n"
                                         f"- {long_ago} #call catch-up {number}\n- [ ] send {name} the notes 📅 {due}\n")


def wait_for(condition, timeout: float = TIMEOUT) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def open_items(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return []
    return [line for line in text.splitlines() if line.startswith("- [ ] ") and _KEY.search(line)
            and ("^vn-check-in-" in line or "^vn-follow-ups-" in line)]


def ticked(path: Path) -> dict[str, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return {}
    return {found.group(1): line for line in text.splitlines()
            if line.startswith("- [x] ") and (found := _KEY.search(line))}


def test_the_sync_never_overwrites_a_save_it_has_not_seen(tmp_path, monkeypatch):
    """The sync the devices share is careful, as Syncthing is: a save landing between its last look at a file
    and its swap keeps its name. (A tick lost there would be the sync's doing, and nothing vaultnet could see.)"""
    probe, other = write(tmp_path, "x", "x"), write(tmp_path, "y", "y")
    if syncer.SWAP is None or not syncer.SWAP(probe, other):
        pytest.skip("no renameat2 here")
    source, target = write(tmp_path, "theirs.md", "theirs\n"), write(tmp_path, "mine.md", "mine\n")
    looked = syncer.digest

    def look_then_save(path: Path) -> str | None:
        found = looked(path)
        if path == target and found == looked_at:
            target.write_text("mine, ticked\n", encoding="utf-8")  # the user's save, right after the sync's look
        return found

    looked_at = syncer.digest(target)
    monkeypatch.setattr(syncer, "digest", look_then_save)
    assert not syncer.place(source, target, looked_at)
    assert target.read_text(encoding="utf-8") == "mine, ticked\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["mine.md", "theirs.md", "x", "y"]
    monkeypatch.undo()
    assert syncer.place(source, target, syncer.digest(target))
    assert target.read_text(encoding="utf-8") == "theirs\n"


@pytest.mark.slow
@pytest.mark.parametrize("weeks", DAYS)
@pytest.mark.parametrize("mode", ["conflicts", "newer"])
def test_two_watchers_on_synced_copies_converge_and_never_lose_a_tick(tmp_path, mode, weeks):
    devices = {"A": (tmp_path / "a", AHEAD), "B": (tmp_path / "b", BEHIND)}
    days = dict(zip("AB", DAYS[weeks], strict=True))
    make_vault(devices["A"][0], days["B"])
    subprocess.run([sys.executable, str(SYNCER), "--help"], capture_output=True, check=True)
    (devices["B"][0]).mkdir()
    # The device behind has a plan template of its own, in its .vaultnet/ (never synced).
    write(devices["B"][0], ".vaultnet/templates/plan.md",
          "%% generated by vaultnet %%\n%% vaultnet:begin %%\n# Plan {{ week }}\n{% for section in sections %}"
          "{% for item in section['items'] %}{% if item.task %}- [ ] {{ item.people | map('link') | join(', ') }}: {{ item.text }}"
          "{% for tag in item.tags %} #{{ tag }}{% endfor %} ^{{ item.key }}\n{% endif %}{% endfor %}{% endfor %}"
          "%% vaultnet:end %%\n")
    stop, log = tmp_path / "stop", tmp_path / "sync.log"
    log.write_text("")
    sync = subprocess.Popen([sys.executable, str(SYNCER), str(devices["A"][0]), str(devices["B"][0]), "--mode", mode,
                             "--interval", "0.05", "--stop", str(stop), "--log", str(log)])
    watchers: dict[str, subprocess.Popen] = {}
    outputs: dict[str, Output] = {}
    try:
        for side, (root, zone) in devices.items():
            watchers[side] = subprocess.Popen(
                [sys.executable, "-m", "vaultnet", "--vault", str(root), "--today", days[side].isoformat(), "-v", "watch",
                 "--quiet-period", "0.1"],
                env={**os.environ, "TZ": zone}, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
            outputs[side] = Output(watchers[side])
        plans = {side: plan_of(days[side]) for side in devices}

        started = time.monotonic()

        def quiet(seconds: float) -> bool:
            """Nothing synced and nothing logged by either watcher for ``seconds`` (one clock for all processes)."""
            synced_at = [float(line.split()[0]) for line in log.read_text().splitlines()]
            last = max([started] + [at for out in outputs.values() for at, _ in out.lines] + synced_at)
            return time.monotonic() - last >= seconds

        assert wait_for(lambda: all(open_items(devices[s][0] / plans[s]) for s in devices) and quiet(0.5)), \
            {side: out.lines for side, out in outputs.items()}

        # Edits on both devices: ticks in each one's plan, log lines in contact notes.
        made: list[tuple[str, str, str]] = []  # (side, plan, key)
        edits = [("A", "tick"), ("B", "log"), ("B", "tick"), ("A", "log"), ("A", "tick"), ("B", "tick")]
        for number, (side, what) in enumerate(edits):
            root = devices[side][0]
            if what == "tick":
                items = [line for line in open_items(root / plans[side])
                         if not any(key == _KEY.search(line).group(1) for _, _, key in made)]  # type: ignore[union-attr]
                if items:
                    line = items[0] if number % 2 == 0 else items[-1]  # follow-ups first, check-ins last
                    path = root / plans[side]
                    text = path.read_text(encoding="utf-8")
                    if line in text:
                        path.write_text(text.replace(line, line.replace("- [ ]", "- [x]", 1)), encoding="utf-8")
                        made.append((side, plans[side], _KEY.search(line).group(1)))  # type: ignore[union-attr]
            else:
                with open(root / "People/Eva Lee.md", "a", encoding="utf-8") as handle:
                    handle.write(f"- {days[side].isoformat()} #message note {number} from {side}\n")
            time.sleep(0.6 if mode == "newer" else 0.25)
        assert len(made) >= 3

        # Once nobody edits, the devices settle; from then on nothing is written or synced.
        # A device answering the other's write with one of its own would do so within a sync interval
        # (0.05 s) and a quiet period (0.1 s) and a build: a second shows many such rounds. Settled means
        # quiet for longer than a ticked follow-up waits before it is completed in its note.
        assert wait_for(lambda: quiet(SETTLE_TICKS_SECONDS + 0.5)), \
            {side: out.lines[-20:] for side, out in outputs.items()}
        settled = time.monotonic()
        time.sleep(1.0)
        written = {side: [line for line in out.since(settled) if " wrote " in line] for side, out in outputs.items()}
        synced = [line for line in log.read_text().splitlines() if float(line.split()[0]) >= settled]
        assert written == {"A": [], "B": []}, written
        assert synced == [], synced
    finally:
        stop.write_text("stop")
        for process in watchers.values():
            process.send_signal(signal.SIGTERM)
        for process in [*watchers.values(), sync]:
            try:
                process.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
    for out in outputs.values():
        assert not any("Traceback" in line for _, line in out.lines), out.lines

    # The devices converged: every synced file is the same on both.
    synced_files = [{path.relative_to(root).as_posix(): path.read_bytes() for path in root.rglob("*")
                     if path.is_file() and ".vaultnet" not in path.relative_to(root).parts} for root, _ in devices.values()]
    assert synced_files[0] == synced_files[1]
    # No tick lost: every tick is in its plan, dated, on both devices; a ticked follow-up is done in its note.
    for side, (root, _) in devices.items():
        for _, plan, key in made:
            line = ticked(root / plan).get(key)
            assert line is not None and "✅" in line, (side, plan, key, made, [
                text for text in (root / plan).read_text(encoding="utf-8").splitlines() if _KEY.search(text)])
            if key.startswith("vn-follow-ups-"):
                name = re.search(r"send (.+?) the notes", line).group(1)  # type: ignore[union-attr]
                task = f"send {name} the notes"
                assert re.search(rf"^- \[x\] {re.escape(task)} 📅 \S+ ✅ \d{{4}}-\d\d-\d\d$",
                                 (root / f"People/{name}.md").read_text(encoding="utf-8"), re.MULTILINE), (side, task)
    # Every conflict copy is named by check, with what it holds.
    copies = sorted(path.relative_to(devices["A"][0]).as_posix() for path in devices["A"][0].rglob("*sync-conflict*"))
    checked = subprocess.run([sys.executable, "-m", "vaultnet", "--vault", str(devices["A"][0]),
                              "--today", days["A"].isoformat(), "check"],
                             capture_output=True, text=True, env={**os.environ, "TZ": AHEAD}, timeout=TIMEOUT)
    for copy in copies:
        assert f"{copy}: a sync copy of" in checked.stdout, (copy, checked.stdout)
    if mode == "newer":
        assert copies == []
