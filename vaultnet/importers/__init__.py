"""Importing contacts from other tools: LinkedIn, vCard and Google exports.

A reader turns a file into records (:mod:`.records`); the records are matched
to contacts (:mod:`.matching`), planned as changes to notes (:mod:`.planning`)
and written (:mod:`.applying`). This module picks the reader and runs the steps.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from pathlib import Path

from vaultnet.base.errors import Problem, VaultnetError
from vaultnet.evidence.contacts import Contact
from vaultnet.files.config import Config
from vaultnet.importers.applying import Outcome, apply_import
from vaultnet.importers.matching import dedupe
from vaultnet.importers.planning import ImportPlan, plan_import
from vaultnet.importers.records import (
    MAX_FIELD_CHARS,
    Change,
    Parsed,
    Person,
    Progress,
    clean,
    no_progress,
    parse_birthday,
)

# What the CLI and other modules use; everything else is imported from the module that does the job.
__all__ = [
    "KINDS", "MAX_FIELD_CHARS", "Change", "ImportPlan", "Outcome", "Parsed", "Person", "Progress", "apply_import",
    "clean", "dedupe", "import_file", "no_progress", "parse_birthday", "plan_import", "read_file",
]

KINDS = ("linkedin", "vcard", "google")


def read_file(kind: str, path: Path, progress: Progress = no_progress) -> Parsed:
    """Read an export with the reader for ``kind`` (``linkedin``, ``vcard`` or ``google``)."""
    if kind not in KINDS:
        raise VaultnetError(f"unknown import format {kind!r} (known: {', '.join(KINDS)})")
    module = importlib.import_module(f"{__name__}.{kind}")
    reader: Callable[[Path, Progress], Parsed] = module.read
    return reader(path, progress)


def import_file(config: Config, kind: str, path: Path, contacts: Sequence[Contact], *, dry_run: bool = False,
                progress: Progress = no_progress, update_changed: bool = False) -> tuple[ImportPlan, Outcome | None, list[Problem]]:
    """Read, plan and (unless ``dry_run``) write; returns every problem, in file order then write order.

    A changed company or role is news (``Change.news``); only ``update_changed`` rewrites it.
    """
    parsed = read_file(kind, path, progress)
    plan = plan_import(config, parsed.people, contacts)
    plan.incomplete = parsed.incomplete
    for change in plan.changes:
        if change.news and update_changed:
            change.action, change.rewrite = "update", True
    problems = sorted(parsed.problems + plan.problems, key=lambda p: p.line or 0)
    if dry_run:
        return plan, None, problems
    outcome = apply_import(config, plan, progress)
    return plan, outcome, problems + outcome.problems
