"""What one sync did, for the command line and the watcher's log."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from vaultnet.base.errors import Problem

# What each kind of sync counts, in the order its summary line says them.
CALENDAR_COUNTS = ("events written", "events removed", "follow-ups completed", "unchanged")
CONTACTS_COUNTS = ("cards written", "notes updated", "notes created", "unchanged")
COUNTS = {"contacts": CONTACTS_COUNTS, "calendar": CALENDAR_COUNTS}


@dataclass
class Report:
    """What changed, one line each; what could not be read; and counts for the summary line."""

    kind: str  # "contacts" or "calendar"
    folder: str
    lines: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    changed: set[str] = field(default_factory=set)  # the notes it wrote (vault-relative)
    dry_run: bool = False

    def tell(self, line: str) -> None:
        self.lines.append(line)

    def summary(self, order: tuple[str, ...]) -> str:
        """``contacts (DIR): 2 cards written, 1 note updated, 40 unchanged``."""
        parts = [f"{self.counts[name]} {_counted(name, self.counts[name], self.dry_run)}" for name in order
                 if self.counts[name]] or ["nothing to do"]
        return f"{self.kind} ({self.folder}): " + ", ".join(parts) + (" (dry run: nothing written)" if self.dry_run else "")


_TO_DO = {"written": "to write", "removed": "to remove", "updated": "to update", "created": "to create",
          "completed": "to complete"}


def _counted(name: str, count: int, dry_run: bool) -> str:
    """``cards written`` → ``card written`` for one, ``cards to write`` in a dry run."""
    noun, _, done = name.partition(" ")
    if not done:
        return name
    return f"{noun.removesuffix('s') if count == 1 else noun} {_TO_DO.get(done, done) if dry_run else done}"
