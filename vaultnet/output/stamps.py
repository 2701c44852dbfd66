"""What a generated note says it was built from, and when one device leaves another's note alone.

Every generated note carries one line (a ``%% comment %%``, hidden in
Obsidian's reading view; an XML comment in the picture) naming the day it was
built for, a digest of the synced inputs it was built from (the notes' content
and the settings: :mod:`vaultnet.files.digests`) and a digest of the form it
was written in (vaultnet's code and the templates used)::

    %% vaultnet built this for 2026-11-21 from inputs 3f9a1c2e7b40 (form 7d21c0aa) %%

Devices synced to one vault differ in what is not synced: their time zone
(one is already on tomorrow), their ``.vaultnet/`` (a customised template),
the vaultnet they run. Each would write its own version of the same note and
take the other's as an edit. The rules of :func:`leave_alone` stop that: no
device replaces a note built for a later day, nor one built for the same day
from the same inputs; only a device whose own form changed since its last build
(its template was edited, or vaultnet upgraded), or that has no record of it,
writes it again, once.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from vaultnet.base.dates import Date

_LINE = re.compile(
    r"^(?:%%|<!--) vaultnet built this for (\d{4}-\d{2}-\d{2}) from inputs ([0-9a-f]+) \(form ([0-9a-f]+)\) (?:%%|-->)[ \t]*$",
    re.MULTILINE,
)


@dataclass(frozen=True, slots=True)
class Stamp:
    day: Date  # the day the note was built for
    inputs: str  # digest of the synced inputs (12 hex digits)
    form: str  # digest of vaultnet's code and the templates (8 hex digits)

    def words(self) -> str:
        return f"vaultnet built this for {self.day.isoformat()} from inputs {self.inputs} (form {self.form})"

    def line(self) -> str:
        """The stamp as a markdown note carries it (without its line ending)."""
        return f"%% {self.words()} %%"

    def xml(self) -> str:
        """The stamp as the picture carries it."""
        return f"<!-- {self.words()} -->"


def found(text: str) -> Stamp | None:
    """The stamp a note carries, if any."""
    match = _LINE.search(text)
    if match is None:
        return None
    try:
        return Stamp(dt.date.fromisoformat(match.group(1)), match.group(2), match.group(3))
    except ValueError:
        return None


def with_stamp(region: str, stamp: Stamp) -> str:
    """A generated region with its stamp as its first line."""
    return f"{stamp.line()}\n{unstamped(region)}"


def unstamped(text: str) -> str:
    """``text`` with its stamp line (and that line's ending) taken out: what two builds compare.

    A generated note's stamp is its first line, and the only one: then the rest
    is the text after it, without going over the index's ten thousand lines.
    """
    if "vaultnet built this" not in text:
        return text
    first, _, rest = text.partition("\n")
    if "vaultnet built this" not in rest and _LINE.fullmatch(first.removesuffix("\r")):
        return rest
    return _without_stamp_lines(text)


def _without_stamp_lines(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if not _LINE.fullmatch(line.rstrip("\r\n")))


def leave_alone(existing: Stamp | None, mine: Stamp, previous_form: str | None) -> bool:
    """True when the note on disk must stay as another build wrote it.

    - a note built for a later day (a device whose day has begun already) is never replaced;
    - a note built for the same day from the same inputs is what this build would
      say, maybe in another form (another device's template, another version):
      it stays, unless this device's own form changed since its last build
      (``previous_form``: the user edited the template here, or upgraded
      vaultnet, and means to see it) or it keeps no record of its last build
      (its cache was deleted): then it writes its form once, and is quiet after;
    - anything else (an earlier day, other inputs, no stamp) is replaced when the text differs.
    """
    if existing is None:
        return False
    if existing.day > mine.day:
        return True
    if existing.day == mine.day and existing.inputs == mine.inputs:
        return existing.form == mine.form or previous_form == mine.form
    return False
