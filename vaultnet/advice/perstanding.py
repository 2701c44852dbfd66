"""What the plan works out person by person, worked out again only for the people whose standing changed.

Much of a plan is one function of each standing: whether to circle back, a
thank-you, a nudge, a birthday this week, the life events their notes tell of.
An incremental assembly (the watcher's) keeps the very ``Standing`` objects of
the contacts an edit cannot change, so :class:`PerStanding` keeps each answer
with the standing object it was worked out for and works it out again only for
a standing that is a new object: after one edit, ten thousand standings are
looked up, and one or two worked out. A one-off plan uses :func:`every`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import compress
from operator import is_not
from typing import Any, Protocol, TypeVar

from vaultnet.standings.standing import Standing

T = TypeVar("T")


class Each(Protocol):
    """``work_out(standing)`` for each of ``standings``, in their order. ``key`` says what is worked out, with
    every input it has besides the standing (the day, a setting): the same key, the same function."""

    def __call__(self, key: tuple[object, ...], standings: Sequence[Standing],
                 work_out: Callable[[Standing], T]) -> list[T]: ...


def every(key: tuple[object, ...], standings: Sequence[Standing], work_out: Callable[[Standing], T]) -> list[T]:
    """:class:`Each` for a plan worked out once: every standing, every time."""
    return [work_out(standing) for standing in standings]


class PerStanding:
    """:class:`Each` that remembers: each answer, with the standing object it is for, one table a key.

    When a key is asked of the same people in the same order as last time, only
    the standings that are not the objects they were are looked at: the others
    are told apart in one pass in C, and their answers are the last ones.
    """

    FEW = 256  # standings changed since the last time that are worked out one by one; more, and all are looked up

    def __init__(self) -> None:
        self._kept: dict[tuple[object, ...], dict[str, tuple[Standing, object]]] = {}
        self._used: dict[tuple[object, ...], dict[str, tuple[Standing, object]]] = {}
        self._last: dict[tuple[object, ...], tuple[tuple[Standing, ...], list[Any]]] = {}  # the last standings, answers

    def __call__(self, key: tuple[object, ...], standings: Sequence[Standing],
                 work_out: Callable[[Standing], T]) -> list[T]:
        table = self._used.get(key)
        if table is None:
            table = self._used[key] = self._kept.get(key, {})
        asked = tuple(standings)
        found = self._patched(key, asked, table, work_out)
        if found is None:
            found = self._looked_up(key, asked, table, work_out)
        self._last[key] = (asked, found)
        return found

    def _patched(self, key: tuple[object, ...], asked: tuple[Standing, ...],
                 table: dict[str, tuple[Standing, object]], work_out: Callable[[Standing], T]) -> list[T] | None:
        """The last answers, worked out again for the standings that changed; None: not the same people in order."""
        last = self._last.get(key)
        if last is None or len(last[0]) != len(asked):
            return None
        before, answers = last
        at = list(compress(range(len(asked)), map(is_not, before, asked)))
        if len(at) > self.FEW or any(before[i].contact.path != asked[i].contact.path for i in at):
            return None
        found = list(answers)
        for i in at:
            standing = asked[i]
            kept = table[standing.contact.path] = (standing, work_out(standing))
            found[i] = kept[1]
        return found

    def _looked_up(self, key: tuple[object, ...], standings: Sequence[Standing],
                   table: dict[str, tuple[Standing, object]], work_out: Callable[[Standing], T]) -> list[T]:
        """Each standing's answer from the table, worked out for a standing that is not the object it was for."""
        found: list[T] = []
        for standing in standings:
            path = standing.contact.path
            kept = table.get(path)
            if kept is None or kept[0] is not standing:  # a new standing: its person changed
                kept = table[path] = (standing, work_out(standing))
            found.append(kept[1])  # type: ignore[arg-type]
        if len(table) > len(standings):  # people gone, or no longer among these: let them go
            self._used[key] = {standing.contact.path: table[standing.contact.path] for standing in standings}
        return found

    def done(self) -> None:
        """Keep only the tables this plan used: what was worked out for another day, or other settings, goes."""
        self._kept, self._used = self._used, {}
        self._last = {key: last for key, last in self._last.items() if key in self._kept}
