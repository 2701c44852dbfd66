"""Telling a list of objects from the last one by identity, in one pass in C.

A watcher keeps what it worked out by the very objects it was worked out
from: a note read again is a new object, one left alone is the same. Between
two steps, thirty thousand notes or ten thousand standings are the same
objects but for a few, and these functions find those few without a Python
loop over the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import compress
from operator import is_not
from typing import TypeVar

__all__ = ["changed_places", "same_objects"]

T = TypeVar("T")


def same_objects(old: Sequence[object], new: Sequence[object]) -> bool:
    """The same objects, in the same order."""
    return len(old) == len(new) and not any(map(is_not, old, new))


def changed_places(before: Sequence[T], now: Sequence[T], key: Callable[[T], object], most: int) -> list[int] | None:
    """The places where ``now`` holds another object than ``before``; None when they are not the same things
    in the same order (other lengths, or another ``key`` at a place that changed) or more than ``most`` changed."""
    if len(before) != len(now):
        return None
    at = list(compress(range(len(now)), map(is_not, before, now)))
    if len(at) > most or any(key(before[i]) != key(now[i]) for i in at):
        return None
    return at
