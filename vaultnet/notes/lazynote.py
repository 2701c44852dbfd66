"""A note whose properties and countable lines are made when something first reads them.

A command run after one edit takes thirty thousand notes from the note cache,
and the evidence store gives it each note's evidence and each person's contact:
of most notes it then asks only whether they are dated, a template or a sync
copy, or hold gift ideas. Making every note's front matter and lines into
objects was a quarter of such a command. A note from the cache holds those
parts as they were stored, and the function that makes them, which runs the
first time any of them is read; after that it is a note like any other.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vaultnet.notes.note import Note

__all__ = ["LAZY", "LazyNote"]

# What is made when first read; every other field is set when the note is made.
LAZY = frozenset({"meta", "key_lines", "keys", "countable_lines"})
_COMPARED = tuple(name for name, spec in Note.__dataclass_fields__.items() if spec.compare)


class LazyNote(Note):
    """A :class:`Note` made without its :data:`LAZY` fields: ``make(note, stored)`` sets them all when one is read.

    A field ``make`` left unset is an AttributeError when read, never a wrong
    value. Only a command's own session, in one thread, holds notes not made
    yet: a watcher's are made as they are loaded (see ``pipeline.cache._Load``).
    """

    __slots__ = ("_stored",)

    def defer(self, make: Callable[[LazyNote, Any], None], stored: Any) -> None:
        """Leave the lazy fields to ``make(self, stored)``, called when one is first read."""
        self._stored: tuple[Callable[[LazyNote, Any], None], Any] | None = (make, stored)

    def __getattr__(self, name: str) -> Any:
        # Called only for a slot that is not set: a lazy field not made yet (anything else is no attribute).
        if name in LAZY and not self.made():
            self.make()
            return object.__getattribute__(self, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def make(self) -> None:
        """Set the lazy fields now (nothing when they are set)."""
        if not self.made():
            make, stored = self._stored  # type: ignore[misc]
            make(self, stored)
            self._stored = None  # after every field is set: what `stored` holds is let go

    def made(self) -> bool:
        """True once the lazy fields are set."""
        try:
            return object.__getattribute__(self, "_stored") is None
        except AttributeError:  # made by __init__ (dataclasses.replace): every field was set then
            return True

    def __eq__(self, other: object) -> bool:
        """Equal to a note (lazy or not) with the same fields, as notes are to each other."""
        if not isinstance(other, Note):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in _COMPARED)

    __hash__ = None  # type: ignore[assignment]  # as a note's: mutable, compared by value
