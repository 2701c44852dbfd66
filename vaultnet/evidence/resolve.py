"""Resolving a NAME typed on the command line to one contact."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Sequence

from vaultnet.base.errors import ResolveError
from vaultnet.evidence.contacts import Contact


def loose(name: str) -> str:
    """Case-, accent- and spacing-insensitive form: ``Zoë  Martin`` → ``zoe martin``."""
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


def resolve_name(name: str, contacts: Sequence[Contact]) -> Contact:
    """The one contact whose file name or alias is ``name``.

    File names win over aliases; several matches, or none, raise
    :class:`ResolveError` listing the candidates or the closest names.
    """
    key = loose(name)
    if not key:
        raise ResolveError("empty name")
    for candidates in (
        [c for c in contacts if loose(c.name) == key],
        [c for c in contacts if any(loose(alias) == key for alias in c.aliases)],
    ):
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            listing = ", ".join(f"{c.name} ({c.path})" for c in sorted(candidates, key=lambda c: c.path))
            raise ResolveError(f"{name!r} is ambiguous: it matches {listing}")
    raise ResolveError(f"no contact named {name!r}" + _suggest(key, contacts))


def _suggest(key: str, contacts: Sequence[Contact]) -> str:
    spelled: dict[str, str] = {}
    for contact in contacts:
        for text in contact.names:
            spelled.setdefault(loose(text), contact.name)
    close = [spelled[k] for k in spelled if key in k.split() or k.startswith(key)]
    close += [spelled[k] for k in difflib.get_close_matches(key, list(spelled), n=5, cutoff=0.6)]
    unique = list(dict.fromkeys(close))[:5]
    return f"; did you mean {', '.join(unique)}?" if unique else ""
