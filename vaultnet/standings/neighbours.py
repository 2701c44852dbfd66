"""Who appeared with whom: the people each contact was in touch with together, or linked.

A contact's neighbours are everyone who shared a past interaction with them (a
meeting's attendees, a line that links several people) and everyone whose note
links theirs, or whose note theirs links. They are what a tie's embeddedness
counts and what reconnect suggestions name; introductions use the same
grouping to leave out people who have met.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from vaultnet.base.dates import Date
from vaultnet.evidence.model import Interaction


def groups_of(groups: Iterable[tuple[str, ...]]) -> dict[str, list[tuple[str, ...]]]:
    """The distinct groups of two or more each person was in (the groups shared, not copied).

    Per distinct group, not per occurrence or per pair: a weekly meeting of 200
    people over three years is one group, listed once for each attendee.
    """
    by_person: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for group in {group for group in groups if len(group) > 1}:
        for person in group:
            by_person[person].append(group)
    return by_person


def together(groups: Iterable[tuple[str, ...]]) -> dict[str, set[str]]:
    """Everyone each person appeared with in some group of two or more, themselves included.

    Each person's set is one C-level union of their distinct groups, instead of
    199 insertions from each of a 200-person meeting's 156 occurrences.
    """
    return {person: set().union(*found) for person, found in groups_of(groups).items()}


def neighbours(
    interactions: Iterable[Interaction], links: Mapping[str, Iterable[str]], today: Date
) -> dict[str, tuple[str, ...]]:
    """Each contact path's neighbours (never itself, in path order), for the paths that have any.

    A sorted tuple, not a set: they are counted and named, never looked up, and
    ten thousand of them are kept on the standings a watcher holds (a set of a
    dozen paths takes four times a tuple's memory).
    """
    groups = [item.people for item in interactions if item.date <= today]
    groups.extend((path, other) for path, linked in links.items() for other in linked if other != path)
    found = {}
    # One person's set at a time, made a tuple as soon as it is made: ten thousand sets and
    # their tuples never sit in memory side by side.
    for path, shared in groups_of(groups).items():
        paths = set().union(*shared)
        paths.discard(path)
        found[path] = tuple(sorted(paths))
    return found
