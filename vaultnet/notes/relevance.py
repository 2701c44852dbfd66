"""Which front matter can matter, decided from its raw text before YAML sees it.

Most notes of a big vault (topic notes, clippings, projects) carry properties
vaultnet never reads, such as ``tags: [topic]`` or ``created: 2024-01-01``. Loading their YAML is
most of the cost of reading them; this check lets a cold build skip it.

A front matter is handed to YAML when its text holds, as a whole key in
Obsidian's and Dataview's key normalisation (:func:`vaultnet.base.keys.normalise`),
any spelling of a key vaultnet reads (every name in :data:`vaultnet.base.keys.KEYS`,
renamed by ``[fields]``, and the ``person_properties``), or any person tag, or a
backslash (a YAML escape can spell any key), or a ``[[link]]`` (any property of a dated
note that links people lists who was there). Tags are the one key read for
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

from vaultnet.base.keys import KEYS, PEOPLE_TAGS, normalise, spellings

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

    __slots__ = ("_keys", "_tags", "_wanted", "words")

    def __init__(self, words: Iterable[str], person_tags: Iterable[str]) -> None:
        self.words = tuple(sorted(set(words)))
        self._wanted = frozenset(self.words)
        alternatives = "|".join(re.escape(word) for word in sorted(self.words, key=len, reverse=True))
        # A whole key: no letter or digit right before or after (an '_' may be a separator).
        self._keys = re.compile(r"(?<![^\W_])(?:" + (alternatives or "(?!)") + r")(?![^\W_])")
        # A person tag, or a `people/<name>` tag: the people a vault knows only by a tag are named so.
        self._tags = tuple(dict.fromkeys(normalised_text(tag) for tag in (*person_tags, *PEOPLE_TAGS) if tag.strip()))

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

    def matters(self, front: str, keys: Iterable[str] | None = None) -> bool:
        """False only when no property of ``front`` can be read by vaultnet.

        ``keys``: its top-level keys as written, when the caller has them: then a plain block
        mapping (no flow style, anchors, tags or complex keys, which can hide a key) is decided by
        its keys alone, and the text is searched only for person tags.
        """
        if "\\" in front or "[[" in front:
            return True  # an escape can spell any key; a link in any property can name who was at a meeting
        text = normalised_text(front)
        if any(tag in text for tag in self._tags):
            return True
        if keys is not None and not _HIDING.search(front):
            return not self._wanted.isdisjoint(map(normalise, keys))
        return self._keys.search(text) is not None


# What can hide a top-level key from a line-by-line reading: a flow mapping, an anchor or alias
# (a merge key), a tag, a complex key.
_HIDING = re.compile(r"[{&*!]|^\?|<<", re.MULTILINE)


@lru_cache(maxsize=8)
def _filter(fields: tuple[tuple[str, str], ...], person_properties: tuple[str, ...],
            person_tags: tuple[str, ...], more: tuple[str, ...] = ()) -> FrontMatterFilter:
    found = FrontMatterFilter.for_settings(dict(fields), person_properties, person_tags)
    return FrontMatterFilter((*found.words, *more), person_tags) if more else found


_MADE: dict[int, tuple[Config, FrontMatterFilter]] = {}  # by settings object: asked once per note read


def front_matter_filter(config: Config) -> FrontMatterFilter:
    """See :func:`_front_matter_filter`; made once per settings object."""
    kept = _MADE.get(id(config))
    if kept is None or kept[0] is not config:
        if len(_MADE) > 16:
            _MADE.clear()
        kept = _MADE[id(config)] = (config, _front_matter_filter(config))
    return kept[1]


def _front_matter_filter(config: Config) -> FrontMatterFilter:
    """Which front matter a build of this vault loads: made once per distinct settings.

    Besides the keys vaultnet reads: the keys of the vault's own templates that say what a
    note is (a note made from a person template is a person, in whatever words it is
    written), and the date and attendee properties vaultnet.toml names.
    """
    from vaultnet.notes.vaulttemplates import template_keys

    more = {*template_keys(config), *(normalise(key) for key in (*config.date_properties, *config.attendee_properties))}
    return _filter(tuple(sorted(config.fields.items())), tuple(config.person_properties), tuple(config.person_tags),
                   tuple(sorted(more)))
