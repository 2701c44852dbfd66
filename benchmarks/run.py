"""Measure vaultnet against the floor F on a heavy vault (spec section 9).

    python benchmarks/run.py                  # generates /tmp/vaultnet-heavy on first use
    python benchmarks/run.py --vault PATH --runs 5

In one run it measures, each as a median over ``--runs``:

- F, the floor: read every note and parse its front matter with PyYAML's C loader;
- a cold ``vaultnet build`` (no cache);
- a warm ``vaultnet build`` (cache valid, nothing changed);
- a watcher-style update: one note edited, re-read and the generated notes rebuilt
  (the quiet period is not counted);

and prints them as ratios to F, with the peak memory of each build process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
TODAY = "2026-11-21"
TARGETS = {"cold": 1.5, "warm": 0.3}


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


def build(root: Path) -> tuple[float, int]:
    """One ``vaultnet build`` in a fresh process: wall time and peak memory (bytes)."""
    command = [sys.executable, "-m", "vaultnet", "--vault", str(root), "--today", TODAY, "-q", "build"]
    started = time.perf_counter()
    process = subprocess.Popen(command)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"vaultnet build failed with exit code {os.waitstatus_to_exitcode(status)}")
    return elapsed, usage.ru_maxrss * 1024


def watcher_update(root: Path, runs: int) -> float:
    """Median time from one edited note to current generated notes, in a running watcher."""
    from vaultnet.config import load_config
    from vaultnet.watch import Watcher

    day = dt.date.fromisoformat(TODAY)
    watcher = Watcher(load_config(root), lambda: day)
    watcher.notes.scan()
    watcher.build()
    note = next((root / "People").glob("*.md"))
    original = note.read_bytes()
    times = []
    try:
        for index in range(runs):
            note.write_bytes(original + f"- {TODAY} #call benchmark {index}\n".encode())
            started = time.perf_counter()
            watcher.process({str(note)})
            times.append(time.perf_counter() - started)
    finally:
        note.write_bytes(original)
        watcher.process({str(note)})
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vault", type=Path, default=Path("/tmp/vaultnet-heavy"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--other", type=int, default=20_000)
    args = parser.parse_args()
    root = args.vault
    if not root.exists():
        print(f"generating {root} ...", flush=True)
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(root), "--contacts", str(args.contacts),
                        "--other", str(args.other)], check=True)
    notes = sum(1 for _ in root.rglob("*.md"))
    cache = root / ".vaultnet" / "cache"

    floor_times, cold, warm = [], [], []
    build(root)  # the generated notes exist from here on, as in daily use
    for _ in range(args.runs):
        floor_times.append(floor(root))
        shutil.rmtree(cache, ignore_errors=True)
        cold.append(build(root))
        warm.append(build(root))
    f = statistics.median(floor_times)
    cold_time, warm_time = statistics.median(t for t, _ in cold), statistics.median(t for t, _ in warm)
    update = watcher_update(root, args.runs)

    print(f"vault: {root} ({notes} notes); {os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
    print(f"F (read + front matter):  {f:7.3f} s")
    print(f"cold build:               {cold_time:7.3f} s = {cold_time / f:5.2f} x F  (target <= {TARGETS['cold']} x F)"
          f"  peak {max(m for _, m in cold) / 2**20:.0f} MB")
    print(f"warm build:               {warm_time:7.3f} s = {warm_time / f:5.2f} x F  (target <= {TARGETS['warm']} x F)"
          f"  peak {max(m for _, m in warm) / 2**20:.0f} MB")
    print(f"watcher, one note:        {update:7.3f} s after the quiet period  (target <= 0.2 s)")


if __name__ == "__main__":
    main()
