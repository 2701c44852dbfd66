"""Completing, in its own note, a follow-up that was ticked in a plan.

Ticking "send Sam the panel questions" in the weekly plan means the task is
done; left open in its note it would be planned again next week. So the source
task's ``[ ]`` becomes ``[x]`` with ``✅`` and the day of the tick (the date the
plan item carries, so that two devices completing the same follow-up write the
same line) where the Tasks plugin puts it, and nothing else in that note changes. The write follows the rules of
``vaultnet log``: the note is read again right before it is replaced, a save
made meanwhile wins and the change is made again on the new text, and never
through a symlink that leads out of the vault.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from vaultnet.base.dates import Date
from vaultnet.base.errors import VaultnetError
from vaultnet.files.config import Config
from vaultnet.files.writes import decode_text, edit_note, encode_like
from vaultnet.notes.markdown import scan
from vaultnet.output.regions import complete

log = logging.getLogger(__name__)
_OPEN_BOX = re.compile(r"^(\s*(?:>\s?)*\s*(?:[-*+]|\d+[.)])\s+\[)[ /](\])")


def complete_task_text(text: str, line: int, expected: str, today: Date) -> str | None:
    """``text`` with the open task on file line ``line`` ticked and dated, or None when it is not there any more.

    ``expected`` is the task's display text: a line that now says something
    else (the user edited or moved it) is left alone.
    """
    lines = text.split("\n")
    index = line - 1
    if not 0 <= index < len(lines):
        return None
    raw = lines[index].removesuffix("\r")
    # Read as the note is read (a task in a callout counts only below the callout's first line).
    found = [task for task in scan([text.removesuffix("\r") for text in lines[: index + 1]]) if task.number == line]
    if not found or not found[0].open or found[0].display() != expected:
        return None
    box = _OPEN_BOX.match(raw)
    if box is None:
        return None
    ticked = box.group(1) + "x" + box.group(2) + raw[box.end():]
    lines[index] = complete(ticked, today) + lines[index][len(raw):]
    return "\n".join(lines)


def replace_note(config: Config, rel: str, transform: Callable[[str], str | None], write: bool = True) -> bytes | None:
    """Read ``rel``, apply a pure text transform and replace the note safely, retrying when it changes.

    Returns the note's new bytes (None when the transform had nothing to do);
    ``write=False`` only works them out.
    """
    made: list[bytes | None] = [None]

    def on_bytes(data: bytes | None) -> bytes | None:
        made[0] = None
        if data is None:
            return None
        try:
            new_text = transform(decode_text(data))
        except UnicodeDecodeError:
            return None
        if new_text is None:
            return None
        made[0] = encode_like(new_text, data)
        return made[0]

    edit_note(config.root, rel, on_bytes, write=write)  # the safe write rules of every edit
    return made[0]


def complete_follow_ups(
    config: Config, rel: str, tasks: list[tuple[int, str, Date]], write: bool = True,
) -> tuple[bytes | None, VaultnetError | None]:
    """Complete follow-ups of one note, given as ``(file line, display text, the day it was ticked)``.

    Returns ``(the note's new bytes, None)``, ``(None, None)`` when none is open
    there any more, or ``(None, why not)``.
    """

    def transform(text: str) -> str | None:
        changed = None
        for line, expected, day in tasks:
            changed = complete_task_text(changed or text, line, expected, day) or changed
        return changed

    try:
        return replace_note(config, rel, transform, write), None
    except VaultnetError as err:
        return None, err
