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
from typing import Protocol, TypeVar

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
    """:class:`Each` that remembers: each answer, with the standing object it is for, one table a key."""

    def __init__(self) -> None:
        self._kept: dict[tuple[object, ...], dict[str, tuple[Standing, object]]] = {}
        self._used: dict[tuple[object, ...], dict[str, tuple[Standing, object]]] = {}

    def __call__(self, key: tuple[object, ...], standings: Sequence[Standing],
                 work_out: Callable[[Standing], T]) -> list[T]:
        table = self._used.get(key)
        if table is None:
            table = self._used[key] = self._kept.get(key, {})
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
