"""What the bodies of notes say about people, as data: interactions, tasks and a note's evidence.

The shapes every reader of evidence shares (the extractor, meetings, captures,
standings), kept below them all so that none imports another for a type.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from vaultnet.base.dates import Date

if TYPE_CHECKING:
    from vaultnet.evidence.mentions import Unclear
from vaultnet.base.sections import item_key, key_section
from vaultnet.evidence.chats import ChatDay
from vaultnet.notes.markdown import display

EXCHANGES = ("gave", "got", "asked", "thanked")
# Where an interaction comes from: a log line in a contact's note, a line mentioning them in a
# dated note (linked, or by name in plain text: "unlinked"), a meeting note (one interaction with
# everyone at it), a completed task, the front matter's ``last_contact``, or a ticked plan item.
Source = Literal["log", "mention", "unlinked", "meeting", "task", "manual", "plan", "capture"]
# Sources whose text is vaultnet's own, not the user's words: hints look past them.
NOT_OWN_WORDS: frozenset[Source] = frozenset({"manual", "plan", "capture"})


@dataclass(frozen=True, slots=True)
class Interaction:
    """One line of evidence that you were in touch, on a date.

    Slotted: a vault holds tens of thousands of them, and a ``__dict__`` each
    would be most of their memory.
    """

    date: Date
    kind: str
    raw: str  # the cleaned line; `text` is what people read
    path: str
    line: int | None
    people: tuple[str, ...]  # contact paths that took part
    exchanges: tuple[str, ...] = ()  # gave/got/asked/thanked, each once
    exchanges_for: tuple[str, ...] = ()  # contact paths the exchanges count for
    tags: tuple[str, ...] = ()
    source: Source = "log"
    # A plan tick's block id, without ^; for a completed follow-up, the block id its plan item had.
    key: str | None = None
    chat: ChatDay | None = None  # a captured chat day: who sent how many, who wrote first and last
    _text: str | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def own_words(self) -> bool:
        """The text is what the user wrote (not a label vaultnet gave a tick or a date)."""
        return self.source not in NOT_OWN_WORDS

    @property
    def section(self) -> str | None:
        """The plan section a tick came from."""
        section = key_section(self.key) if self.key else None
        return section.id if section else None

    @property
    def text(self) -> str:
        """Readable text, worked out only for the interactions someone reads (and then kept)."""
        if self._text is None:
            object.__setattr__(self, "_text", display(self.raw))
        return self._text  # type: ignore[return-value]


def follow_up_id(path: str, text: str, due: Date) -> str:
    """The block id of a follow-up's plan item: the same in every week's plan, and once it is done."""
    return item_key("follow-ups", path, text, due)


@dataclass(frozen=True, slots=True)
class Task:
    """An open task linked to contacts: a follow-up when it has a due date, else an open loop."""

    text: str
    due: Date | None
    path: str
    line: int
    people: tuple[str, ...]


@dataclass(slots=True)
class Evidence:
    """Everything the bodies of all notes say about contacts (slotted: the watcher keeps one per note)."""

    interactions: list[Interaction] = field(default_factory=list)
    follow_ups: list[Task] = field(default_factory=list)
    open_loops: list[Task] = field(default_factory=list)
    # contact path → contacts its note links: one note's in path order (a tuple: the watcher keeps each
    # note's evidence, and ten thousand sets are megabytes), the vault's a set where several notes add up
    links: dict[str, set[str] | tuple[str, ...]] = field(default_factory=dict)
    intro_lines: list[tuple[str, ...]] = field(default_factory=list)  # people linked in one #intro line
    ticked: set[str] = field(default_factory=set)  # block ids of every ticked item in a generated note
    # Names seen in plain text and not counted, where: (path, line, the name and why).
    unclear: list[tuple[str, int | None, Unclear]] = field(default_factory=list)
    unlinked: bool = False  # some interaction is a name in plain text

    def gives_anything(self) -> bool:
        """Whether this says anything about anyone (most notes' evidence says nothing)."""
        return bool(self.interactions or self.follow_ups or self.open_loops or self.links or self.intro_lines
                    or self.ticked or self.unclear)

    def extend(self, other: Evidence) -> None:
        """Add ``other`` (one note's evidence) to this (the vault's).

        A contact linked from one note only (nearly all of them: a person's
        note links the people it names) keeps that note's tuple rather than a
        set of its own: ten thousand sets are megabytes a watcher's every step
        would make again. A tuple is never added to: `link` makes a set first.
        """
        self.ticked.update(other.ticked)
        self.unclear.extend(other.unclear)
        self.unlinked = self.unlinked or other.unlinked
        self.interactions.extend(other.interactions)
        self.follow_ups.extend(other.follow_ups)
        self.open_loops.extend(other.open_loops)
        for path, linked in other.links.items():
            if not linked:  # most contact notes link no one: no empty set for each
                continue
            if path in self.links:
                self.link(path, linked)
            else:
                self.links[path] = linked if isinstance(linked, tuple) else tuple(linked)
        self.intro_lines.extend(other.intro_lines)

    def link(self, path: str, others: Iterable[str]) -> None:
        """``path`` knows ``others``: added to its set; a tuple (one note's, shared) becomes a set first."""
        linked = self.links.get(path)
        if not isinstance(linked, set):
            linked = self.links[path] = set(linked or ())
        linked.update(others)
