"""News from an import: a company or role that changed since the note was written.

An import never rewrites what the user wrote unless asked (``--update-changed``):
a changed value is reported, in ``--dry-run`` too, and (when the import runs)
remembered as a change to congratulate on (:mod:`vaultnet.advice.rolechanges`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from vaultnet.advice import rolechanges
from vaultnet.base.dates import Date
from vaultnet.evidence.contacts import Contact, fold
from vaultnet.files.config import Config
from vaultnet.output import memory

if TYPE_CHECKING:
    from vaultnet.importers.records import Change, Person


def differences(person: Person, contact: Contact) -> dict[str, tuple[str, str]]:
    """Field -> (the note's value, the import's value), for a company or role that differs (case and spacing aside)."""
    found = {}
    for key in rolechanges.FIELDS:
        new, old = getattr(person, key), contact.fields.get(key)
        if new and old and fold(new) != fold(old):
            found[key] = (old, new)
    return found


def news_lines(changes: Sequence[Change], rewrite: bool) -> list[str]:
    what = "rewritten" if rewrite else "kept; --update-changed rewrites it"
    return [
        f"news: {change.rel}: {key} is now {new!r} (the note says {old!r}: {what})"
        for change in changes for key, (old, new) in change.news.items()
    ]


def remember_news(config: Config, changes: Iterable[Change], today: Date) -> None:
    """Remember every reported change, so the plan asks you to congratulate."""
    news = [(change.rel, key, old, new) for change in changes for key, (old, new) in change.news.items()]
    if news:
        memory.save(config, rolechanges.report(memory.load(config), news, today))
