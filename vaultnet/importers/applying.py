"""Writing an import plan: new notes from the person template, missing keys into existing notes.

Every write goes through the safe write primitives; a note that cannot be
written is one problem naming the person, and the import goes on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vaultnet.base.errors import Problem
from vaultnet.base.keys import normalise, spellings
from vaultnet.edits.add import ContactExists, PersonMarker, person_note
from vaultnet.edits.properties import add_missing, existing_keys
from vaultnet.edits.quick import EditError, set_keys
from vaultnet.files.config import Config
from vaultnet.files.writes import UnsafePath, WriteConflict, edit_note, safe_write
from vaultnet.importers.planning import ImportPlan
from vaultnet.importers.records import Change, Progress, no_progress


@dataclass
class Outcome:
    """What an import did; people that could not be written are problems, not counts."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)


def apply_import(config: Config, plan: ImportPlan, progress: Progress = no_progress) -> Outcome:
    """Write the plan: new notes from the person template, missing keys into existing ones.

    A new note the vault would not take as a person (``people = []``, people kept
    by a property or a tag) gets the marker the vault's people have.
    """
    outcome = Outcome()
    marker = PersonMarker(config, plan.contacts)
    for change in progress(plan.changes, len(plan.changes), "Importing"):
        if change.action == "unchanged":
            outcome.unchanged += 1
            continue
        try:
            if change.action == "create":
                # create_contact() would list the folder again for every note: write the same note directly.
                try:
                    data = marker.mark(change.rel, person_note(config, change.values).encode("utf-8"))
                    safe_write(config.root, change.rel, data, None)
                except WriteConflict:
                    raise ContactExists(f"{change.rel} appeared while importing") from None
                outcome.created += 1
            elif _add_keys(config, change) | (change.rewrite and _rewrite(config, change, outcome.problems)):
                outcome.updated += 1
            else:
                outcome.unchanged += 1
        except (ContactExists, WriteConflict) as err:
            outcome.problems.append(change.person.problem(f"{err}; skipped"))
        except UnsafePath as err:
            if change.action == "create":
                raise
            outcome.problems.append(change.person.problem(f"{err}; skipped"))  # one note linked out of the vault
        except OSError as err:
            outcome.problems.append(change.person.problem(f"cannot write {change.rel}: {err.strerror}; skipped"))
        # Anything else (a broken vault template, a people folder linked outside the vault) is the
        # same for every person: it stops the import with one clear error instead of a line per person.
    return outcome


def _add_keys(config: Config, change: Change) -> bool:
    """Add the missing keys."""
    return _edit(config, change, add_missing, {config.key(key): value for key, value in change.values.items()})


def _rewrite(config: Config, change: Change, problems: list[Problem]) -> bool:
    """Rewrite a changed company or role (``--update-changed``) where the note writes it.

    The note's own key is changed, whatever its case or alias (``Company:``,
    ``org:``), with its comment kept, exactly as ``vaultnet set`` changes a key.
    A value vaultnet cannot change on its line is one problem; the other values and the import go on.
    """
    refused: list[str] = []

    def rewrite(data: bytes, values: dict[str, Any]) -> tuple[bytes, list[str]]:
        refused.clear()
        done: list[str] = []
        for key, new in values.items():
            try:
                data, changed = set_keys(data, {_spelled(config, existing_keys(data) or set(), key): new}, change.rel,
                                         add=False)
            except EditError as err:
                refused.append(str(err))
                continue
            done += changed
        return data, done

    rewritten = _edit(config, change, rewrite, {key: new for key, (_, new) in change.news.items()})
    problems.extend(change.person.problem(f"{why}; not rewritten") for why in refused)
    return rewritten


def _spelled(config: Config, keys: set[str], name: str) -> str:
    """The key the note reads ``name`` from (its first spelling the note has), else vaultnet's own."""
    by_spelling = {normalise(key): key for key in sorted(keys)}
    return next((by_spelling[s] for s in spellings(name, config.fields) if s in by_spelling), config.key(name))


def _edit(config: Config, change: Change, edit: Callable[[bytes, dict[str, Any]], tuple[bytes, list[str]]],
          values: dict[str, Any]) -> bool:
    """Apply ``edit`` to the note's front matter through the safe write primitive (settled
    baseline, re-read and retried when the note was edited meanwhile)."""
    def edited(data: bytes | None) -> bytes | None:
        if data is None:
            raise WriteConflict(f"{change.rel} disappeared while vaultnet was importing")
        new, keys = edit(data, values)
        return new if keys else None

    try:
        return edit_note(config.root, change.rel, edited).changed
    except WriteConflict as err:
        if "keeps changing" in str(err):
            raise WriteConflict(f"{change.rel} kept changing while vaultnet was importing") from None
        raise
