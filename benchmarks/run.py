"""Measure vaultnet against the floor F on heavy vaults (spec section 9).

    python benchmarks/run.py                  # generates /tmp/vaultnet-heavy and /tmp/vaultnet-heavy-dense first
    python benchmarks/run.py --vault PATH --runs 5

For both profiles (the generator's default one, and the dense one where every
contact needs and offers a few common phrases) it measures, in one run, each as
a median over ``--runs`` (at least 10 for a command a watcher answers, at least
5 for the watcher's step: they are short, and a shared machine moves them most):

- F, the floor: read every note and parse its front matter with PyYAML's C loader,
  measured between the groups of commands all through the run (a median of
  three a run and one after each round of a watcher's answers), so that a
  machine busier at one moment than at another moves F as it moves the commands;
- a cold ``vaultnet build`` (no cache), a warm one (nothing changed) and one
  after one contact note was edited;
- every read command (``status``, ``status --json``, ``show NAME``,
  ``plan --stdout``, ``plan --json``, ``intros``, ``today``): with nothing
  changed since the same command last ran, right after one contact note was
  edited, and with the vault's ``vaultnet watch`` running and caught up;
- a running ``vaultnet watch --quiet-period 0.5``: a dated log line is appended to
  a contact note and the index note polled until its bytes change; the time
  after the quiet period is reported, with the watcher's CPU use while idle;
- the peak memory of the watcher that answered the read commands, with that of every
  other process;

Saved answers go to a cache folder of the run's own (``XDG_CACHE_HOME``), removed at
the end. It prints, first the machine (cores, CPU model, Python version: what the
README's table names), then for each profile a table of each figure as a ratio
to F against its target, whether it meets it, and the peak memory of each
process against the 200 MB target.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
TODAY = "2026-11-21"
QUIET = 0.5
TARGETS = {"cold": 1.5, "warm": 0.3, "edited": 0.4}  # builds: cold, nothing changed, one note edited
READS = {"status": ("status",), "status --json": ("status", "--json"), "show NAME": ("show", "{name}"),
         "plan --stdout": ("plan", "--stdout"), "plan --json": ("plan", "--json"), "intros": ("intros",),
         "today": ("today",)}
READ_TARGETS = {"same": 0.3, "edited": 0.4, "watched": 0.1}  # nothing changed, one note edited, a watcher running
STATES = {"same": "nothing changed since it last ran", "edited": "one note edited", "watched": "watcher running"}
MEMORY_TARGET = 200  # MB
WATCH_TARGET = 0.2  # seconds after the quiet period
# A command a watcher answers takes a fifth of a second, a watcher's step about one: more runs of them
# cost a few seconds and steady their medians on a shared machine.
WATCHED_RUNS = 10
STEP_RUNS = 5


def floor(root: Path) -> float:
    """Read every note and parse its front matter with the C loader: what any tool must do."""
    started = time.perf_counter()
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.endswith(".md"):
                with open(os.path.join(folder, name), encoding="utf-8") as handle:
                    text = handle.read()
                if text.startswith("---\n"):
                    end = text.find("\n---", 4)
                    if end > 0:
                        yaml.load(text[4:end], Loader=yaml.CSafeLoader)
    return time.perf_counter() - started


def command(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "vaultnet", "--vault", str(root), "--today", TODAY, "-q", *args]


def timed(root: Path, *args: str) -> tuple[float, int]:
    """One vaultnet command in a fresh process: wall time and peak memory (bytes)."""
    started = time.perf_counter()
    process = subprocess.Popen(command(root, *args), stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"vaultnet {' '.join(args)} failed with exit code {os.waitstatus_to_exitcode(status)}")
    return elapsed, usage.ru_maxrss * 1024


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def wait_idle(pid: int, limit: float = 600) -> None:
    """Until the process ``pid`` has used almost no CPU for two seconds (a watcher that has caught up)."""
    deadline = time.perf_counter() + limit
    quiet = 0
    while quiet < 2 and time.perf_counter() < deadline:
        before = cpu_seconds(pid)
        time.sleep(1)
        quiet = quiet + 1 if cpu_seconds(pid) - before < 0.02 else 0


def wait_for(check: Callable[[], bool], limit: float) -> bool:
    deadline = time.perf_counter() + limit
    while time.perf_counter() < deadline:
        if check():
            return True
        time.sleep(0.005)
    return False


def _edited_notes(root: Path, runs: int) -> list[tuple[str, str]]:
    """Contact notes (path, name), spread over the vault, whose last contact is before today: a log
    line dated today then changes their row in the index, so the index's bytes must change."""
    done = subprocess.run(command(root, "status", "--json"), capture_output=True, text=True, check=True)
    found = [(c["path"], c["name"]) for c in json.loads(done.stdout)["contacts"]
             if c["last_contact"] is not None and c["last_contact"] < TODAY]
    return found[:: max(1, len(found) // (runs + 1))][:runs]


def watcher(root: Path, runs: int) -> tuple[float, float, int]:
    """Median seconds from one edited contact note to a changed index note, after the quiet period.

    Also the watcher's CPU use while idle (a fraction of one core) and its peak memory.
    """
    index = root / "vaultnet" / "Network.md"
    index.unlink(missing_ok=True)
    process = subprocess.Popen(command(root, "watch", "--quiet-period", str(QUIET)),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    notes = [root / path for path, _ in _edited_notes(root, runs)]
    originals = {note: note.read_bytes() for note in notes}
    times = []
    try:
        if not wait_for(index.exists, 600):
            raise SystemExit("the watcher wrote no index note")
        time.sleep(5)  # let the first build settle (the cache is saved after the notes)
        idle_from = cpu_seconds(process.pid)
        time.sleep(3)
        idle = (cpu_seconds(process.pid) - idle_from) / 3
        for number, note in enumerate(originals):
            before = index.read_bytes()
            note.write_bytes(originals[note] + f"- {TODAY} #call benchmark {number}\n".encode())
            started = time.perf_counter()
            if not wait_for(lambda before=before: index.read_bytes() != before, 120):
                raise SystemExit(f"the index note did not change after {note.name} was edited")
            times.append(time.perf_counter() - started - QUIET)
            time.sleep(1)
        memory = peak_rss(process.pid)
    finally:
        process.terminate()
        process.wait(30)
        for note, data in originals.items():
            note.write_bytes(data)
    return statistics.median(times), idle, memory


def measure(root: Path, runs: int) -> dict[str, tuple[float, int]]:
    cache = root / ".vaultnet" / "cache"
    samples: dict[str, list[tuple[float, int]]] = {}

    def sample(key: str, *args: str) -> None:
        samples.setdefault(key, []).append(timed(root, *args))

    timed(root, "build")  # the generated notes exist from here on, as in daily use
    floor(root)  # every note in the page cache, as for the commands measured after it
    path, name = _edited_notes(root, 1)[0]
    edited = root / path
    original = edited.read_bytes()
    reads = {label: tuple(arg.format(name=name) for arg in args) for label, args in READS.items()}
    for number in range(runs):
        samples.setdefault("floor", []).append((floor(root), 0))
        shutil.rmtree(cache, ignore_errors=True)
        sample("cold", "build")
        sample("warm", "build")
        for label, args in reads.items():
            timed(root, *args)  # its answer worked out once since the build: then asked again
            sample(f"{label}/same", *args)
        samples["floor"].append((floor(root), 0))
        edited.write_bytes(original + f"- {TODAY} #call benchmark {number}\n".encode())
        try:
            for label, args in reads.items():
                sample(f"{label}/edited", *args)
            sample("edited", "build")
        finally:
            edited.write_bytes(original)
            timed(root, "build")
        samples["floor"].append((floor(root), 0))
    process = subprocess.Popen(command(root, "watch", "--quiet-period", str(QUIET)),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_idle(process.pid)  # caught up: its first build done and the cache saved
        for _ in range(max(runs, WATCHED_RUNS)):
            for label, args in reads.items():
                sample(f"{label}/watched", *args)
            samples["floor"].append((floor(root), 0))
        answering = peak_rss(process.pid)  # the watcher's own, having answered every one of them
    finally:
        process.terminate()
        process.wait(30)
    results = {key: (statistics.median(t for t, _ in values), max(m for _, m in values))
               for key, values in samples.items()}
    update, idle, memory = watcher(root, max(runs, STEP_RUNS))
    results["watch"] = (update, memory)
    results["answering"] = (0.0, answering)
    results["idle"] = (idle, 0)
    return results


LABELS = {"cold": "cold `vaultnet build` (no cache)", "warm": "warm `vaultnet build` (nothing changed)",
          "edited": "`vaultnet build` (one contact note edited)"}


IDLE_TARGET = 0.01  # "near zero": under 1 % of a core


def _memory(peak: int) -> str:
    return f"{peak / 2**20:.0f} MB"


def _met(ok: bool) -> str:
    return "yes" if ok else "**no**"


def report(profile: str, root: Path, results: dict[str, tuple[float, int]]) -> list[str]:
    """The figures as a markdown table: each as a ratio to F, against its target, with whether it meets it."""
    f = results["floor"][0]
    notes = sum(1 for _ in root.rglob("*.md"))
    lines = [f"\n{profile} profile: {root} ({notes} notes)",
             f"| measure | time | ratio to F | target | met | peak memory (target < {MEMORY_TARGET} MB) |",
             "| --- | ---: | ---: | ---: | --- | ---: |",
             f"| F (read + front matter) | {f:.2f} s | 1 | | | |"]
    worst = 0
    for name, label in LABELS.items():
        seconds, memory = results[name]
        worst = max(worst, memory)
        lines.append(f"| {label} | {seconds:.2f} s | {seconds / f:.2f} × F | ≤ {TARGETS[name]} × F "
                     f"| {_met(seconds <= TARGETS[name] * f)} | {_memory(memory)} |")
    for command_label in READS:
        for state, words in STATES.items():
            seconds, memory = results[f"{command_label}/{state}"]
            worst = max(worst, memory)
            target = READ_TARGETS[state]
            lines.append(f"| `vaultnet {command_label}` ({words}) | {seconds:.2f} s | {seconds / f:.2f} × F "
                         f"| ≤ {target} × F | {_met(seconds <= target * f)} | {_memory(memory)} |")
    seconds, memory = results["watch"]
    worst = max(worst, memory)
    lines.append(f"| watcher, one edited note (after the {QUIET} s quiet period) | {seconds:.2f} s | {seconds / f:.2f} × F "
                 f"| ≤ {WATCH_TARGET} s | {_met(seconds <= WATCH_TARGET)} | {_memory(memory)} |")
    memory = results["answering"][1]
    worst = max(worst, memory)
    lines.append(f"| watcher, having answered every read command above | | | | {_met(memory < MEMORY_TARGET * 2**20)} "
                 f"| {_memory(memory)} |")
    idle = results["idle"][0]
    lines.append(f"| watcher idle, CPU | {idle * 100:.1f} % of a core | | near zero (< {IDLE_TARGET:.0%}) "
                 f"| {_met(idle < IDLE_TARGET)} | |")
    lines.append(f"| peak memory, the largest of the above | | | < {MEMORY_TARGET} MB | {_met(worst < MEMORY_TARGET * 2**20)} "
                 f"| {_memory(worst)} |")
    return lines


def machine() -> str:
    """The machine the figures come from, as the README's table names it: cores, CPU model, Python."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {model}; Python {platform.python_version()} ({platform.system()})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vault", type=Path, default=Path("/tmp/vaultnet-heavy"),
                        help="the default profile's vault; the dense one is beside it, with -dense")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--other", type=int, default=20_000)
    parser.add_argument("--profile", choices=("default", "dense", "both"), default="both")
    args = parser.parse_args()
    profiles = {"default": args.vault, "dense": args.vault.with_name(args.vault.name + "-dense")}
    if args.profile != "both":
        profiles = {args.profile: profiles[args.profile]}
    print(f"machine: {machine()}")
    answers = tempfile.mkdtemp(prefix="vaultnet-bench-cache-")
    os.environ["XDG_CACHE_HOME"] = answers  # the commands' saved answers: this run's, not the user's
    atexit.register(shutil.rmtree, answers, ignore_errors=True)
    for profile, root in profiles.items():
        if not root.exists():
            print(f"generating {root} ...", flush=True)
            subprocess.run([sys.executable, str(HERE / "generate.py"), str(root), "--contacts", str(args.contacts),
                            "--other", str(args.other), "--profile", profile], check=True)
        print("\n".join(report(profile, root, measure(root, args.runs))), flush=True)


if __name__ == "__main__":
    main()
