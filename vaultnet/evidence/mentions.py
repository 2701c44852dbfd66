"""People named in plain text: a person's note name or declared alias as a whole word.

Journals name people far more often than they link them ("Check-in with Oliver",
where ``Oliver`` is an alias of ``Oliver Dehnfjeld``); Obsidian's "unlinked mentions"
pane finds them the same way. A name counts only where it can mean one person: a
name or alias two people share, a single word the vault also writes in lower case
(``Far``, ``Will``, ``Mum``: words first, names second) and a month or weekday
(``May``, ``June``) are not counted, and ``check`` lists where they were seen. A name
is matched where it starts with a capital letter, as a whole word (``Chloe's`` is
Chloe), never inside a link, a tag or an address; the longest name wins (``Ana
Lima`` before ``Ana``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from vaultnet.base.datenames import is_month_or_weekday
from vaultnet.evidence.contacts import Contact

# What is not prose: links (wikilinks and markdown links), addresses, tags, e-mail addresses.
NOT_PROSE = re.compile(r"!?\[\[[^\[\]]*\]\]|!?\[[^\[\]]*\]\([^()]*\)|\b[a-z][a-z0-9+.-]{0,31}://\S+|#[\w/-]+|\S+@\S+",
                        re.IGNORECASE)
_WIKILINK = re.compile(r"!?\[\[[^\[\]]*\]\]")
_LEADING = "([{\"'*_“‘«¡¿"
_TRAILING = ")]}\"'*_.,;:!?”’»…"
_POSSESSIVE = ("'s", "’s", "'", "’")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def tokens(text: str) -> list[str]:
    """The words of a name or a line, punctuation around them dropped (``(Oliver,`` is ``Oliver``)."""
    words = text.split()
    if "".join(words).isalnum():
        return words  # most names and many lines: words and spaces only
    out = []
    for raw in words:
        word = raw.strip(_LEADING).rstrip(_TRAILING)
        for ending in _POSSESSIVE:
            if word.endswith(ending) and len(word) > len(ending) + 1:
                word = word[: -len(ending)]
                break
        if word:
            out.append(word)
    return out


@dataclass(frozen=True, slots=True)
class Unclear:
    """A name seen in plain text that vaultnet did not count, and why."""

    name: str
    why: str


class Mentions:
    """Finds the people a line names in plain text (see the module's docstring)."""

    def __init__(self, contacts: Iterable[Contact], common: Iterable[str] = ()) -> None:
        self._contacts = list(contacts)
        self._common = frozenset(_fold(word) for word in common)
        self._built = False
        self.unclear: dict[tuple[str, ...], Unclear] = {}
        self._index: dict[str, list[tuple[tuple[str, ...], str | None]]] = {}

    def _build(self) -> None:
        """The index of names, made when the first line with a capital letter is read: a vault whose
        dated notes name no one in plain text never pays for it."""
        self._built = True
        contacts, common = self._contacts, self._common
        by_name: dict[tuple[str, ...], set[str]] = {}
        written: dict[tuple[str, ...], str] = {}
        people: dict[str, str] = {}
        for contact in contacts:
            people[contact.path] = contact.name
            for name in contact.names:
                words = tuple(tokens(_fold(name)))
                if not words or (len(words) == 1 and len(words[0]) < 3) or any(map(str.isdigit, words)):
                    continue
                by_name.setdefault(words, set()).add(contact.path)
                written.setdefault(words, name)
        for words, paths in by_name.items():
            path: str | None = next(iter(paths)) if len(paths) == 1 else None
            if path is None:
                names = ", ".join(sorted(people[p] for p in paths))
                self.unclear[words] = Unclear(written[words], f"names {len(paths)} people ({names})")
            elif len(words) == 1 and words[0] in common:
                self.unclear[words] = Unclear(written[words], "is also a word written in lower case here")
                path = None
            elif len(words) == 1 and is_month_or_weekday(words[0]):
                self.unclear[words] = Unclear(written[words], "is a month or a weekday")
                path = None
            self._index.setdefault(words[0], []).append((words, path))
        for entries in self._index.values():
            entries.sort(key=lambda entry: -len(entry[0]))  # the longest name first

    def __bool__(self) -> bool:
        return bool(self._contacts)

    @property
    def token(self) -> frozenset[str]:
        """What the people found depend on besides everyone's names: the words the vault uses."""
        return self._common

    @staticmethod
    def single_words(contacts: Iterable[Contact]) -> frozenset[str]:
        """The one-word names and aliases (folded): the ones a common word can be mistaken for."""
        found = set()
        for contact in contacts:
            for name in contact.names:
                if " " in name.strip():
                    continue  # most names: more than one word
                words = tokens(name)
                if len(words) == 1 and len(words[0]) >= 3:
                    found.add(_fold(words[0]))
        return frozenset(found)

    def find(self, text: str) -> tuple[tuple[str, ...], tuple[Unclear, ...]]:
        """The people ``text`` names in plain text (contact paths, in order), and the unclear names it holds."""
        if text.lower() == text:
            return (), ()  # no capital letter: no name (most lines)
        if "[[" in text:
            text = _WIKILINK.sub(" ", text)
            if text.lower() == text:
                return (), ()  # capitals only in links: the names there are linked, not written
        if "[" in text or "#" in text or "://" in text or "@" in text:
            text = NOT_PROSE.sub(" ", text)
        if not self._built:
            self._build()
        if not self._index:
            return (), ()
        words = tokens(text)
        found: list[str] = []
        unclear: list[Unclear] = []
        index = 0
        while index < len(words):
            word = words[index]
            if not word[0].isupper():
                index += 1
                continue
            entries = self._index.get(_fold(word))
            matched = 0
            for name, path in entries or ():
                size = len(name)
                if tuple(_fold(w) for w in words[index:index + size]) == name:
                    matched = size
                    if path is None:
                        unclear.append(self.unclear[name])
                    elif path not in found:
                        found.append(path)
                    break
            index += matched or 1
        return tuple(found), tuple(unclear)


def ambiguous_summary(seen: Sequence[tuple[str, int | None, Unclear]]) -> list[tuple[Unclear, int, str]]:
    """Each unclear name, how often it was seen, and one place (``path:line``), most seen first."""
    counted: dict[Unclear, list[str]] = {}
    for path, line, name in seen:
        counted.setdefault(name, []).append(f"{path}:{line}" if line else path)
    return sorted(((name, len(places), places[0]) for name, places in counted.items()),
                  key=lambda item: (-item[1], item[0].name.casefold()))
