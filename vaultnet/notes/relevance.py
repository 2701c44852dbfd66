"""Which front matter can matter, decided from its raw text before YAML sees it.

Most notes of a big vault (topic notes, clippings, projects) carry properties
vaultnet never reads, such as ``tags: [topic]`` or ``created: 2024-01-01``. Loading their YAML is
most of the cost of reading them; this check lets a cold build skip it.

A front matter is handed to YAML when its text holds, as a whole key in
Obsidian's and Dataview's key normalisation (:func:`vaultnet.base.keys.normalise`),
any spelling of a key vaultnet reads (every name in :data:`vaultnet.base.keys.KEYS`,
renamed by ``[fields]``, and the ``person_properties``), or any person tag, or a
backslash (a YAML escape can spell any key). Tags are the one key read for
its value alone: they matter only when they can name a person tag, so the
``tags`` key by itself does not count.

The check is a superset: a false "matters" costs one YAML load, a false "does
not matter" would hide a contact, a date or a meeting. ``tests/test_relevance.py``
checks that for generated front matter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

from vaultnet.base.keys import KEYS, normalise, spellings

if TYPE_CHECKING:
    from vaultnet.files.config import Config

# The text as keys are compared: formatting marks dropped, separator runs as one '_', case folded.
_FORMATTING = re.compile(r"[*~`]+")
_SEPARATORS = re.compile(r"[\s_-]+")


def normalised_text(text: str) -> str:
    """``text`` as :func:`vaultnet.base.keys.normalise` reads keys, applied to the whole text at once.

    Every key's normalised form is a substring of this (the substitutions work on runs, so a
    run inside a key maps onto the same, or a longer, run of the whole text).
    """
    return _SEPARATORS.sub("_", _FORMATTING.sub("", text)).casefold()


# Keys read for their value alone (tags: only a person tag matters), or only beside a key that
# matters on its own (a meeting's summary and kind, read once its date is): by themselves they
# load no YAML.
NOT_ON_THEIR_OWN = frozenset(("tags", "summary", "kind"))


class FrontMatterFilter:
    """Says, from raw text, whether a front matter may hold anything vaultnet reads."""

    __slots__ = ("_keys", "_tags", "words")

    def __init__(self, words: Iterable[str], person_tags: Iterable[str]) -> None:
        self.words = tuple(sorted(set(words)))
        alternatives = "|".join(re.escape(word) for word in sorted(self.words, key=len, reverse=True))
        # A whole key: no letter or digit right before or after (an '_' may be a separator).
        self._keys = re.compile(r"(?<![^\W_])(?:" + (alternatives or "(?!)") + r")(?![^\W_])")
        self._tags = tuple(normalised_text(tag) for tag in person_tags if tag.strip())

    @classmethod
    def for_settings(cls, fields: Mapping[str, str], person_properties: Iterable[str],
                     person_tags: Iterable[str]) -> FrontMatterFilter:
        """The filter for one vault's settings (``[fields]``, ``person_properties``, ``person_tags``)."""
        words: set[str] = set()
        for name in {*KEYS, *fields}:
            if name not in NOT_ON_THEIR_OWN:
                words.update(spellings(name, fields), spellings(name, {}))  # the defaults too: harmless
        words.update(normalise(name) for name in person_properties)  # `person_properties = ["tags"]` too
        return cls((word for word in words if word), person_tags)

    def matters(self, front: str) -> bool:
        """False only when no property of ``front`` can be read by vaultnet."""
        if "\\" in front:
            return True
        text = normalised_text(front)
        if any(tag in text for tag in self._tags):
            return True
        return self._keys.search(text) is not None


@lru_cache(maxsize=8)
def _filter(fields: tuple[tuple[str, str], ...], person_properties: tuple[str, ...],
            person_tags: tuple[str, ...]) -> FrontMatterFilter:
    return FrontMatterFilter.for_settings(dict(fields), person_properties, person_tags)


def front_matter_filter(config: Config) -> FrontMatterFilter:
    """Which front matter a build of this vault loads: made once per distinct settings."""
    return _filter(tuple(sorted(config.fields.items())), tuple(config.person_properties), tuple(config.person_tags))
