"""Measure ``vaultnet import mail`` on a ~1 GB mbox: wall time and peak memory (target < 200 MB).

    python benchmarks/mail.py                 # generates /tmp/vaultnet-mbox-16 on first use
    python benchmarks/mail.py --size-mb 200   # a smaller mbox, for a quick look

The mbox imitates a Gmail Takeout: three years of mail with 500 contacts, a
quarter of it mailing-list and bulk mail, bodies of a few kB and one message in
ten carrying a base64 attachment of about 60 kB. The vault holds the contacts.
Nothing here is ever committed: it lives under /tmp.

Four imports, each in a fresh process: the first (nothing read yet), the same
mbox again (the watcher's rescan: target under a second, reading nothing), the
mbox with 20 new messages appended (only they are read: "unchanged 0"), and the
mbox after the new contact that one of them introduces (read whole again).
The appended messages are cut off again at the end, so the mbox stays as generated.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

BASE = Path("/tmp/vaultnet-mbox-16")
TODAY = "2026-11-21"
CONTACTS = 500
ME = "me@example.com"


def generate(base: Path, size_mb: int) -> Path:
    mbox = base / f"mail-{size_mb}mb.mbox"
    vault = base / "vault"
    if mbox.exists() and vault.is_dir():
        return mbox
    rng = random.Random(16)
    shutil.rmtree(vault, ignore_errors=True)
    (vault / "People").mkdir(parents=True)
    (vault / "vaultnet.toml").write_text(f'me = ["{ME}"]\n', encoding="utf-8")
    for n in range(CONTACTS):
        (vault / "People" / f"Person {n:04d}.md").write_text(
            f"---\nemail: person{n}@example.org\ncircle: network\n---\n", encoding="utf-8")
    attachment = base64.encodebytes(rng.randbytes(45_000)).decode()
    paragraph = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 20 + "\n"
    start = dt.datetime(2023, 11, 21, 8, tzinfo=dt.UTC)
    limit = size_mb * 1_000_000
    written = 0
    number = 0
    with open(mbox, "w", encoding="utf-8") as out:
        while written < limit:
            number += 1
            when = start + dt.timedelta(minutes=number * 7 % (3 * 365 * 24 * 60))
            other = f"person{rng.randrange(CONTACTS)}@example.org"
            kind = rng.random()
            sent = kind < 0.35
            headers = [
                f"From {number}@xxx {when:%a %b %d %H:%M:%S +0000 %Y}",
                f"Date: {when:%a, %d %b %Y %H:%M:%S +0000}",
                f"Message-ID: <bench-{number}@example.org>",
                f"Subject: Message number {number} about the project",
                f"From: {ME if sent else other}",
                f"To: {other if sent else ME}",
                "MIME-Version: 1.0",
            ]
            if kind > 0.75:
                headers.append("List-Id: <news.lists.example.org>" if kind > 0.87 else "Precedence: bulk")
            body = paragraph * rng.randint(1, 6)
            if number % 10 == 0:
                headers.append('Content-Type: multipart/mixed; boundary="b"')
                body = (f"--b\nContent-Type: text/plain\n\n{body}\n--b\nContent-Type: application/pdf\n"
                        f"Content-Transfer-Encoding: base64\n\n{attachment}--b--\n")
            message = "\n".join(headers) + "\n\n" + body.replace("\nFrom ", "\n>From ") + "\n"
            out.write(message)
            written += len(message)
    return mbox


def measure(mbox: Path, vault: Path, fresh: bool = True) -> tuple[float, int, str]:
    """One import in a fresh process; ``fresh=False`` keeps the captures and what was read (a re-import)."""
    if fresh:
        shutil.rmtree(vault / "vaultnet", ignore_errors=True)
        shutil.rmtree(vault / ".vaultnet", ignore_errors=True)
    command = [sys.executable, "-m", "vaultnet", "--vault", str(vault), "--today", TODAY, "import", "mail", str(mbox)]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    out = process.stdout.read().decode() if process.stdout else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"import failed: {process.stderr.read().decode() if process.stderr else ''}")
    return elapsed, usage.ru_maxrss * 1024, out.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=int, default=1000)
    parser.add_argument("--base", type=Path, default=BASE)
    args = parser.parse_args()
    args.base.mkdir(parents=True, exist_ok=True)
    mbox = generate(args.base, args.size_mb)
    size = mbox.stat().st_size
    vault = args.base / "vault"
    (vault / "People" / "Newcomer.md").unlink(missing_ok=True)
    elapsed, peak, summary = measure(mbox, vault)
    again, peak_again, summary_again = measure(mbox, vault, fresh=False)
    try:
        with open(mbox, "a", encoding="utf-8") as out:
            out.write(appended(20))
        grown, peak_grown, summary_grown = measure(mbox, vault, fresh=False)
        (vault / "People" / "Newcomer.md").write_text("---\nemail: newcomer@example.org\n---\n", encoding="utf-8")
        whole, peak_whole, summary_whole = measure(mbox, vault, fresh=False)
    finally:
        with open(mbox, "r+b") as handle:
            handle.truncate(size)
        (vault / "People" / "Newcomer.md").unlink(missing_ok=True)
    print(f"mbox: {size / 1e9:.2f} GB")
    print(f"first import:     {elapsed:.1f} s, peak memory {peak / 1e6:.0f} MB (target < 200 MB): {summary}")
    print(f"unchanged again:  {again:.2f} s (target < 1 s), peak memory {peak_again / 1e6:.0f} MB: {summary_again}")
    print(f"20 appended:      {grown:.2f} s, peak memory {peak_grown / 1e6:.0f} MB: {summary_grown}")
    print(f"a new contact:    {whole:.1f} s, peak memory {peak_whole / 1e6:.0f} MB: {summary_whole}")


def appended(count: int) -> str:
    """New mail from existing contacts, and one message from someone not yet a contact."""
    when = dt.datetime(2026, 11, 20, 9, tzinfo=dt.UTC)
    messages = []
    for n in range(count):
        sender = "newcomer@example.org" if n == 0 else f"person{n}@example.org"
        messages.append(f"From x {when:%a %b %d %H:%M:%S +0000 %Y}\nDate: {when:%a, %d %b %Y %H:%M:%S +0000}\n"
                        f"Message-ID: <appended-{n}@example.org>\nSubject: Appended {n}\nFrom: {sender}\nTo: {ME}\n\n"
                        "A new message.\n\n")
    return "".join(messages)


if __name__ == "__main__":
    main()
