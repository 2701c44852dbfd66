"""What one sync did, for the command line and the watcher's log."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from vaultnet.base.errors import Problem


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
        """``contacts (DIR): 2 cards written, 1 notes updated, 40 unchanged``."""
        parts = [f"{self.counts[name]} {name}" for name in order if self.counts[name]] or ["nothing to do"]
        return f"{self.kind} ({self.folder}): " + ", ".join(parts) + (" (dry run: nothing written)" if self.dry_run else "")
