"""``vaultnet duplicates`` as text and JSON, with the ``merge`` command each pair suggests.

The note to keep is the one that holds more: more interactions, then more
properties, then the shorter path (the one a bare ``[[link]]`` opens).
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from typing import Any

from vaultnet.evidence.contacts import Contact
from vaultnet.standings.duplicates import Pair
from vaultnet.standings.network import Network


def keep_first(pair: Pair, network: Network) -> tuple[Contact, Contact]:
    """The pair as (the note to keep, the note to merge into it)."""
    def weight(contact: Contact) -> tuple[int, int, int, int, str]:
        standing = network.by_path(contact.path)
        held = len(contact.fields) + len(contact.aliases) + (contact.birthday is not None) + (contact.circle is not None)
        return (-len(standing.interactions), -held, contact.path.count("/"), len(contact.path), contact.path)

    first, second = sorted((pair.first, pair.second), key=weight)
    return first, second


def merge_command(keep: Contact, other: Contact) -> str:
    return f"vaultnet merge {shlex.quote(keep.path)} {shlex.quote(other.path)}"


def duplicate_lines(pairs: Sequence[Pair], network: Network) -> list[str]:
    lines: list[str] = []
    for pair in pairs:
        keep, other = keep_first(pair, network)
        lines += [f"{keep.name} ({keep.path}) and {other.name} ({other.path})",
                  *(f"  - {clue.text}" for clue in pair.clues), f"  {merge_command(keep, other)}", ""]
    return lines[:-1]


def duplicates_json(pairs: Sequence[Pair], network: Network) -> dict[str, Any]:
    found = []
    for pair in pairs:
        keep, other = keep_first(pair, network)
        found.append({"people": [keep.name, other.name], "paths": [keep.path, other.path],
                      "evidence": [{"kind": clue.kind, "text": clue.text} for clue in pair.clues],
                      "merge": merge_command(keep, other)})
    return {"duplicates": found}
