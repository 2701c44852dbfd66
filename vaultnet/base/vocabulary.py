"""The names of statuses, tie bands and reciprocity labels, as every output spells them.

Kept apart from the code that works them out, so that the command line can
offer them as choices without importing the whole core.
"""

from typing import Literal

STATUSES = ("overdue", "due", "never", "ok", "snoozed", "untracked", "paused")
BANDS = ("strong", "moderate", "weak", "dormant", "none")
LABELS = ("taking", "one-way", "balanced", "none")

# The rules by which a note is a person (vaultnet.evidence.people), as `init` and `check` report them;
# the first four are read off the note alone, the rest inferred from the vault (vaultnet.evidence.conventions).
Rule = Literal["folder", "tag", "body tag", "property", "listed", "template", "folder of people", "folder note",
               "tag only", "note name"]
RULES: tuple[Rule, ...] = ("folder", "tag", "body tag", "property", "listed", "template", "folder of people",
                           "folder note", "tag only", "note name")
