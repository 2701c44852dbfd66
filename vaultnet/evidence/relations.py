"""Families and other ties between people, as their notes state them.

A person's note names others as ``partner``, ``children``, ``parents``,
``siblings``, ``household`` or in a free ``relations`` list: ``[[links]]``,
or plain names for people without a note of their own, in front matter or as
Dataview inline fields (``partner:: [[Bob Lee]]``), keys in any case. Text
beside a link is its label (``relations: ["[[Chloé Dubois]] godmother"]``, or
a map ``relations: {godmother: "[[Chloé Dubois]]"}``).

Each tie holds both ways: Ana's ``partner: [[Bob Lee]]`` makes Ana Bob's
partner, her ``children: [[Mia Lee]]`` makes her one of Mia's parents, and
everyone one note puts in a household shares it. Related people know each
other: the network counts the tie for embeddedness and never suggests
introducing them (see :mod:`vaultnet.standings.network`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from vaultnet.base.keys import RELATION_KEYS, Properties

Kind = Literal["partner", "children", "parents", "siblings", "household", "relations"]
KINDS: tuple[Kind, ...] = RELATION_KEYS  # type: ignore[assignment]
INVERSE: dict[Kind, Kind] = {
    "partner": "partner", "children": "parents", "parents": "children",
    "siblings": "siblings", "household": "household", "relations": "relations",
}
# What one relative of each kind is called, in `show` and in the plan.
SINGULAR: dict[Kind, str] = {
    "partner": "partner", "children": "child", "parents": "parent",
    "siblings": "sibling", "household": "household", "relations": "related",
}
# The people whose birthdays belong in a person's brief: those they live with and their children.
HOUSEHOLD: frozenset[Kind] = frozenset({"partner", "children", "household"})

_LINK = re.compile(r"\[\[([^\[\]|#^]*)(?:[#^][^\[\]|]*)?(?:\|[^\[\]]*)?\]\]")
_LABEL_EDGES = " \t-–—:,;()[]"


@dataclass(frozen=True, slots=True)
class Relation:
    """One tie as one note writes it."""

    kind: Kind
    target: str  # the link target, or the name as written
    label: str = ""  # the text beside it: "godmother", "from her first marriage"


@dataclass(frozen=True, slots=True)
class Relative:
    """Someone a contact is related to, whichever of their notes says so."""

    kind: Kind  # what the relative is to the contact: Mia is Ana's "children"
    name: str  # the contact's name, or the name as written
    path: str | None  # the relative's note, when the name is a contact
    label: str = ""
    stated_in: str = ""  # the note that says so


def read_relations(props: Properties) -> tuple[Relation, ...]:
    """Every tie a note's properties state, in the order of :data:`KINDS`."""
    found: list[Relation] = []
    for kind in KINDS:
        value = props.get(kind)
        if value is None:
            continue  # most notes name no one
        if isinstance(value, Mapping):  # relations: {godmother: "[[Chloé]]"}
            for label, targets in value.items():
                found.extend(Relation(kind, r.target, r.label or str(label).strip()) for r in _items(kind, targets))
        else:
            found.extend(_items(kind, value))
    return tuple(dict.fromkeys(r for r in found if r.target)) if found else ()


def _items(kind: Kind, value: Any) -> Iterable[Relation]:
    if value is None or isinstance(value, (bool, int, float, Mapping)):
        return
    if isinstance(value, list):
        for item in value:
            if isinstance(item, list) and len(item) == 1 and isinstance(item[0], str):
                yield Relation(kind, item[0].split("|", 1)[0].strip())  # an unquoted [[Name]]: a list in a list
            else:
                yield from _items(kind, item)
        return
    text = str(value).strip()
    links = list(_LINK.finditer(text))
    if not links:
        for name in text.split(","):  # "Mia, Leo": plain names
            name, _, label = name.partition("(")
            if name.strip():
                yield Relation(kind, name.strip(), label.strip(_LABEL_EDGES))
        return
    if len(links) > 1:  # "[[Mia Lee]], [[Leo Lee]]"
        for link in links:
            yield Relation(kind, _target(link))
        return
    label = (text[:links[0].start()] + " " + text[links[0].end():]).strip(_LABEL_EDGES)
    yield Relation(kind, _target(links[0]), " ".join(label.split()))


def _target(link: re.Match[str]) -> str:
    return link.group(1).strip()


class _Resolver(Protocol):  # what this module needs of evidence.contacts.Directory
    def resolve(self, target: str) -> Any: ...


def relatives(contacts: Iterable[Any], directory: _Resolver) -> dict[str, tuple[Relative, ...]]:
    """Each contact's relatives, from every note that states a tie (both ways, households closed).

    ``contacts`` are :class:`vaultnet.evidence.contacts.Contact` objects; ``directory`` resolves a
    link target to one (or ``None``).
    """
    found: dict[str, dict[tuple[str, str], Relative]] = {}
    households: dict[str, str] = {}  # union-find over household ties
    names: dict[str, str] = {}

    def add(owner: str, relative: Relative) -> None:
        key = (relative.kind, relative.path or relative.name.casefold())
        kept = found.setdefault(owner, {})
        if key not in kept or (relative.stated_in == owner and kept[key].stated_in != owner):
            kept[key] = relative  # the person's own note says it best

    def root(path: str) -> str:
        while households.setdefault(path, path) != path:
            path = households[path]
        return path

    for contact in contacts:
        for relation in contact.relations:
            other = directory.resolve(relation.target)
            if other is not None and other.path == contact.path:
                continue  # a note naming its own person
            name = other.name if other is not None else relation.target
            add(contact.path, Relative(relation.kind, name, other.path if other else None, relation.label, contact.path))
            if other is None:
                continue
            add(other.path, Relative(INVERSE[relation.kind], contact.name, contact.path, relation.label, contact.path))
            if relation.kind == "household":
                names[contact.path], names[other.path] = contact.name, other.name
                households[root(other.path)] = root(contact.path)
    groups: dict[str, list[str]] = {}
    for path in list(households):
        groups.setdefault(root(path), []).append(path)
    for group in groups.values():  # everyone one household holds lives with everyone else in it
        for path in group:
            for other_path in group:
                if other_path != path and ("household", other_path) not in found.get(path, {}):
                    add(path, Relative("household", names[other_path], other_path))
    order = {kind: index for index, kind in enumerate(KINDS)}
    return {
        path: tuple(sorted(kept.values(), key=lambda r: (order[r.kind], r.name.casefold(), r.path or "")))
        for path, kept in found.items()
    }


def ties(relatives_of: Mapping[str, tuple[Relative, ...]]) -> dict[str, frozenset[str]]:
    """The contacts each contact is related to (paths), for embeddedness and introductions."""
    return {path: frozenset(r.path for r in found if r.path) for path, found in relatives_of.items()
            if any(r.path for r in found)}
