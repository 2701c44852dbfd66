"""Whose gift ideas the gift lines of the vault are (see :mod:`vaultnet.notes.gifts` for the lines).

In a person's own note a gift idea is for that person, unless its line links
other contacts (``- a kite for [[Mia Lee]]``): then it is for them. In any
other note (a daily note, a "Gift ideas" note) it is for the contacts its
line links. Ideas already ticked (``- [x]``: bought or given) or dropped
(``- [-]``) are not listed again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from vaultnet.evidence.contacts import Contact, Directory
from vaultnet.notes.markdown import display
from vaultnet.notes.note import Note


@dataclass(frozen=True, slots=True)
class GiftIdea:
    text: str  # as people read it: no tags, links as names
    path: str
    line: int


def gift_ideas(notes: Iterable[Note], owners: Mapping[str, Contact], directory: Directory,
               output: str) -> dict[str, tuple[GiftIdea, ...]]:
    """Each contact's open gift ideas (by contact path), in the order of their notes and lines."""
    found: dict[str, list[GiftIdea]] = {}
    for note in notes:
        if not note.gifts or note.rel.startswith(output.rstrip("/") + "/"):
            continue
        owner = owners.get(note.rel)
        countable = {line.number: line for line in note.countable()}
        for number, task, text in note.gifts:
            if task and task not in " /":
                continue  # ticked or dropped
            idea = GiftIdea(display(text), note.rel, number)
            if not idea.text:
                continue
            line = countable.get(number)
            linked = [] if line is None else [
                contact.path for link in line.links
                if (contact := directory.resolve(link.target)) is not None and (owner is None or contact is not owner)]
            for path in dict.fromkeys(linked or ([owner.path] if owner else [])):
                found.setdefault(path, []).append(_without_name(idea, directory.resolve(path[:-3]) if linked else None))
    return {path: tuple(sorted(ideas, key=lambda i: (i.path, i.line))) for path, ideas in found.items()}


def _without_name(idea: GiftIdea, contact: Contact | None) -> GiftIdea:
    """``[[Mia Lee]]: a kite`` or ``idea for Mia Lee: a kite`` is, for Mia Lee, ``a kite``."""
    if contact is None:
        return idea
    for name in contact.names:
        found = re.match(r"^.{0,40}?" + re.escape(name) + r"\S*\s*(?:[:–—]|\s-)\s*(\S.*)$", idea.text, re.IGNORECASE)
        if found:
            return GiftIdea(found.group(1), idea.path, idea.line)
    return idea
