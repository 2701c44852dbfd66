"""Sync copies in a vault: never a second person or a second daily note, never a lost line either.

A copy (:mod:`vaultnet.files.copies` says which names are copies, and of which
note) is read like any note, then counted as what it is:

- a copy of a **contact** (``Ana Souza 2.md``, ``Ana Souza (1).md``,
  ``Ana Souza-LAPTOP.md``, ``Ana.sync-conflict-….md``) is no person: its
  follow-ups are never planned (so a tick never completes one in the copy)
  and its lines count for nothing; ``check`` names it and what it holds that
  the original lacks, for the user to merge;
- a copy of one of vaultnet's **generated notes** counts its ticks (the same
  item ticked in both counts once, with its earliest date), and the next build
  puts them back into the note (:mod:`vaultnet.pipeline.ticks`);
- a copy of any **other note** (a daily note, a meeting) is read as its
  original would be (dated by the original's name) and counts the lines the
  original lacks; its open tasks are not follow-ups.

Every copy is a problem that says which note it copies and what it holds that
the original lacks, so the user can merge it and delete it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace

from vaultnet.base.errors import Problem
from vaultnet.base.sections import KEY_IN_LINE
from vaultnet.evidence.meetings import daily_date
from vaultnet.evidence.model import Evidence, Interaction
from vaultnet.files.config import Config
from vaultnet.files.copies import conflict_original, copy_original, may_duplicate, nfc, originals
from vaultnet.files.generated import is_capture_note
from vaultnet.notes.note import Note

SHOWN = 3  # lines a problem quotes; the rest are counted


def candidates(notes: Iterable[Note], conflicts: Iterable[str]) -> set[str]:
    """The paths among ``notes`` (and ``conflicts``) whose names read as a copy's: :func:`find_copies` asks only of these."""
    found = set(conflicts)
    for note in notes:
        if may_duplicate(note.rel) or ("onflict" in note.rel
                                       and conflict_original(note.rel.rpartition("/")[2]) is not None):
            found.add(note.rel)
    return found


def involved(candidates: Iterable[str]) -> frozenset[str]:
    """Every path (in NFC) whose note can change what :func:`find_copies` finds among these candidates, while
    the vault holds the same notes: each note a candidate's name says it may copy (whether it is a person,
    or a daily note). A change to any other note, a candidate's own among them, leaves it as it was."""
    return frozenset(nfc(path) for rel in candidates for path in originals(rel))


def find_copies(notes: Iterable[Note], conflicts: Iterable[str], config: Config,
                is_person: Callable[[Note], bool], among: set[str] | None = None) -> dict[str, str]:
    """Copy path → the path of the note it copies, for every copy among ``notes``.

    A conflict copy says so in its name. A name that only adds a duplicate's
    suffix (``Ana 2``, ``Ana (1)``) is a copy when its original beside it is a
    person, a daily note or one of vaultnet's notes: those are never numbered
    on purpose, where "Chapter 2" beside "Chapter" may well be a note of its own.
    ``among``: the :func:`candidates`, when they are known already.
    """
    notes = list(notes)
    if among is None:
        among = candidates(notes, conflicts)
    if not among:
        return {}
    by_rel = {nfc(note.rel): note for note in notes}
    found = {}
    for rel in sorted(among):
        original = copy_original(rel, by_rel)
        if original is None or nfc(original) == nfc(rel):
            continue
        named = conflict_original(rel.rpartition("/")[2]) is not None
        copied = by_rel.get(nfc(original))
        if named or (copied is not None and (
                is_person(copied) or original.startswith(config.output + "/") or daily_date(copied, config))):
            found[rel] = original
    return found


def _kind(rel: str, config: Config, contacts: set[str], copy_is_person: bool) -> str:
    if rel in contacts or (copy_is_person and rel not in contacts):
        return "contact"
    # A capture note counts its dated lines, as a daily note does: its copy counts what it lacks.
    return "generated" if rel.startswith(config.output + "/") and not is_capture_note(config, rel) else "note"


def classify(copies: Mapping[str, str], config: Config, contacts: set[str], people: set[str]) -> dict[str, str]:
    """Copy path → ``contact``, ``generated`` or ``note``: what it copies. ``people``: copies that read as persons."""
    return {rel: _kind(original, config, contacts, rel in people) for rel, original in copies.items()}


def _same(item: Interaction) -> tuple[object, ...]:
    return (item.date, item.kind, item.raw, item.people, item.source)


def added_evidence(found: Evidence, original: Evidence | None, rel: str) -> Evidence:
    """What a copy of a note that is not generated (read as its original) adds to the original's evidence.

    Only the interactions the original lacks, told as coming from the copy; its
    open tasks are no follow-ups (the original's are).
    """
    have = {_same(item) for item in original.interactions} if original is not None else set()
    new = [replace(item, path=rel) for item in found.interactions if _same(item) not in have]
    return Evidence(interactions=new)


def _lines(note: Note | None) -> list[tuple[int, str, str | None]]:
    return [(line.number, line.text, line.task) for line in note.countable()] if note is not None else []


def lacking(copy: Note, original: Note | None, kind: str) -> list[str]:
    """What ``copy`` holds that ``original`` lacks, one short description each."""
    if kind == "generated":
        ticked = {key.group(1) for _, text, task in _lines(original) if task in ("x", "X")
                  if (key := KEY_IN_LINE.search(text))}
        return [f'line {number}: "{text}"' for number, text, task in _lines(copy) if task in ("x", "X")
                and (key := KEY_IN_LINE.search(text)) and key.group(1) not in ticked]
    have = {text for _, text, _ in _lines(original)}
    found = [f'line {number}: "{text}"' for number, text, _ in _lines(copy) if text not in have]
    if kind == "contact":
        before = original.meta if original is not None else {}
        found[:0] = [f"{key}: {value!r}" for key, value in copy.meta.items() if before.get(key) != value]
    return found


def problem(rel: str, original: str, kind: str, missing: list[str], exists: bool) -> Problem:
    """The line ``check`` shows for one copy."""
    what = {"contact": "not another person", "generated": "its ticks count, and go back into it",
            "note": "what it adds counts"}[kind]
    where = f"a sync copy of {original} ({what})" if exists else f"a sync copy of {original}, which is gone"
    if not missing:
        held = "it holds nothing vaultnet reads that the original lacks; delete it"
    else:
        shown = "; ".join(missing[:SHOWN]) + (f"; and {len(missing) - SHOWN} more" if len(missing) > SHOWN else "")
        held = f"it holds what the original lacks: {shown}"
        held += "; delete it once the original has it" if kind == "generated" else "; merge that into the original and delete the copy"
    if not exists and kind != "generated":
        held += f" (or rename it to {original.rpartition('/')[2]})"
    return Problem(rel, None, f"{where}: {held}")
