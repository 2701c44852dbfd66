"""Which notes are people, by every convention vaults use to mark them.

A note is a person when it lies in a people folder (the configured ones, or,
when none is configured, a folder named People, Contacts, Friends, Team...
at any depth), is tagged ``person`` (in front matter or in the body), or has a
``type``/``categories`` property naming a person category (``type: person``,
``type: [[Person]]``, ``categories: ["[[People]]"]``, ``type: contact``).
Never: a template (unrendered template syntax), the category note itself
(``Categories/People.md``), a note that declares another category (a company,
a film) and a note about a person kept in their folder (``Ana/Ana - Career.md``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from vaultnet.base.keys import NOT_PEOPLE, Properties, singular
from vaultnet.base.vocabulary import Rule
from vaultnet.files.config import Config
from vaultnet.notes.note import Note

_NOT_A_PERSON_STEMS = frozenset(("_about_", "index", "readme", "untitled"))


def properties(note: Note, config: Config) -> Properties:
    """The note's properties by canonical name (and per ``[fields]`` setting).

    Worked out on each call and never kept on the note: thirty thousand notes
    need not hold their keys twice, and a parsed note stays as it was parsed.
    """
    return Properties(note.meta, note.inline, config.fields)


def link_texts(value: Any) -> Iterable[str]:
    """The texts of a property value: text, ``[[link]]``, a list of them, or a nested YAML list."""
    if isinstance(value, list):
        for item in value:
            yield from link_texts(item)
    elif isinstance(value, str):
        for part in value.split(",") if "[[" not in value else value.replace("]]", "]],").split("]],"):
            text = part.strip().removeprefix("[[").removesuffix("]]")
            text = text.split("|", 1)[0].rsplit("/", 1)[-1].strip()
            if text:
                yield text


def categories(props: Properties, config: Config) -> set[str]:
    """The category words (singular, lower case) a note's type and categories properties give."""
    found: set[str] = set()
    for name in config.person_properties:
        found.update(singular(text) for text in link_texts(props.get(name)))
    return found


def person_values(config: Config) -> frozenset[str]:
    return _person_values(config.person_values, config.person_type)


@lru_cache(maxsize=64)
def _person_values(values: tuple[str, ...], person_type: str) -> frozenset[str]:
    return frozenset(singular(value) for value in (*values, person_type))


def people_folder(rel: str, config: Config) -> str | None:
    """The people folder ``rel`` lies in, or ``None``."""
    return _people_folder(rel.rpartition("/")[0], config.people_configured, config.people,
                          config.people_folder_names)


@lru_cache(maxsize=4096)
def _people_folder(parent: str, configured: bool, people: tuple[str, ...], names: tuple[str, ...]) -> str | None:
    """By the folder a note is in: thirty thousand notes lie in a few hundred folders."""
    if configured or not parent:
        for folder in people if configured else ():
            if (parent + "/").startswith(folder.rstrip("/") + "/"):
                return folder
        return None
    parts = parent.split("/")
    for depth in range(len(parts), 0, -1):
        if parts[depth - 1].casefold() in names:
            return "/".join(parts[:depth])
    return None


def rule_of(note: Note, config: Config) -> Rule | None:
    """:func:`person_rule`, worked out once per note and settings and kept on the note."""
    if note.rule_config is not config:
        note.rule, note.rule_config = person_rule(note, config), config
    return note.rule


def person_rule(note: Note, config: Config) -> Rule | None:
    """The rule that makes ``note`` a person, or ``None`` when it is not one."""
    if note.unrendered:
        return None
    stem = note.rel.rsplit("/", 1)[-1][:-3]
    wanted = person_values(config)
    if singular(stem) in wanted or stem.casefold() in _NOT_A_PERSON_STEMS:
        return None  # the category note itself, a folder's index
    props = properties(note, config) if note.meta or note.inline else None
    kinds = categories(props, config) if props is not None else set()
    if kinds & wanted:
        return "property"
    if kinds & NOT_PEOPLE:
        return None  # declares itself a company, a film, a meeting...
    folder = people_folder(note.rel, config)
    if folder is not None and not _about_someone(note.rel, folder) \
            and (config.people_configured or not _about_the_folder(stem, folder)):
        return "folder"
    person_tags = [tag.lower() for tag in config.person_tags]
    if note.meta and props is not None and _tagged(_front_matter_tags(props), person_tags):
        return "tag"
    if note.body_tags and _tagged(note.body_tags, person_tags):
        return "body tag"
    return None


def _about_someone(rel: str, folder: str) -> bool:
    """``Team/Ana Lima/Ana Lima - Career Path.md``: a note about the person whose folder it is in."""
    parts = rel[len(folder) + 1:].split("/")
    if len(parts) < 2:
        return False
    parent, stem = parts[-2].casefold(), parts[-1][:-3].casefold()
    return stem.startswith(parent) and stem[len(parent):].lstrip().startswith(("-", "–", "—", ":"))


def _about_the_folder(stem: str, folder: str) -> bool:
    """``Team/Obsidian per team.md``: a note that names the folder found by its name is about
    teams, not a person (obsidian-help's ``it/Team/``). Only for folders vaultnet found itself:
    a folder the user named holds people, whatever their notes are called."""
    def plain(word: str) -> str:  # `teams` is `team`; but `person` is a name's word, not `people`'s
        return word[:-1] if len(word) > 3 and word.endswith("s") else word

    word = plain(folder.rsplit("/", 1)[-1].casefold())
    return word in {plain(part) for part in re.findall(r"\w+", stem.casefold())}


def _front_matter_tags(props: Properties) -> tuple[str, ...]:
    raw = props.get("tags")
    if isinstance(raw, str):
        raw = raw.replace(",", " ").split()
    if not isinstance(raw, list):
        raw = [raw] if raw is not None else []
    return tuple(str(tag).lstrip("#").strip().lower() for tag in raw if isinstance(tag, (str, int)))


def _tagged(tags: Iterable[str], person_tags: list[str]) -> bool:
    return any(tag == wanted or tag.startswith(wanted + "/") for tag in tags for wanted in person_tags)
