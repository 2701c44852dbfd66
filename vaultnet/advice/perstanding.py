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
from typing import Any, Protocol, TypeVar

from vaultnet.base.identity import changed_places
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
    """:class:`Each` that remembers: for each key, the standings it was last asked of and their answers.

    An answer is kept with the standing object it is for. When a key is asked of
    the same people in the same order as last time, only the standings that are
    not the objects they were are looked at: the others are told apart in one
    pass in C, and their answers are the last ones. Asked of others, each is
    looked up by its person.
    """

    FEW = 256  # standings changed since the last time that are worked out one by one; more, and all are looked up

    def __init__(self) -> None:
        # key → the standings last asked of, and their answers: those of the last plan, and of this one so far
        self._kept: dict[tuple[object, ...], tuple[tuple[Standing, ...], list[Any]]] = {}
        self._used: dict[tuple[object, ...], tuple[tuple[Standing, ...], list[Any]]] = {}

    def __call__(self, key: tuple[object, ...], standings: Sequence[Standing],
                 work_out: Callable[[Standing], T]) -> list[T]:
        asked = tuple(standings)
        last = self._used.get(key) or self._kept.get(key)
        found = _patched(last, asked, work_out, self.FEW) if last is not None else None
        if found is None:
            found = _looked_up(last, asked, work_out)
        self._used[key] = (asked, found)
        return found

    def done(self) -> None:
        """Keep only what this plan asked: what was worked out for another day, or other settings, goes."""
        self._kept, self._used = self._used, {}


def _patched(last: tuple[tuple[Standing, ...], list[Any]], asked: tuple[Standing, ...],
             work_out: Callable[[Standing], T], few: int) -> list[T] | None:
    """The last answers, worked out again for the standings that changed; None: not the same people in order."""
    before, answers = last
    at = changed_places(before, asked, _person, few)
    if at is None:
        return None
    found = list(answers)
    for i in at:
        found[i] = work_out(asked[i])
    return found


def _person(standing: Standing) -> str:
    return standing.contact.path


def _looked_up(last: tuple[tuple[Standing, ...], list[Any]] | None, asked: tuple[Standing, ...],
               work_out: Callable[[Standing], T]) -> list[T]:
    """Each standing's last answer, by its person, worked out for a standing that is not the object it was for."""
    kept = {standing.contact.path: (standing, answer) for standing, answer in zip(*last, strict=True)} if last else {}
    found: list[T] = []
    for standing in asked:
        answer = kept.get(standing.contact.path)
        found.append(answer[1] if answer is not None and answer[0] is standing else work_out(standing))
    return found
