"""Which notes are people, by every convention vaults use to mark them.

A note is a person when it lies in a people folder (the configured ones, or,
when none is configured, a folder named People, Contacts, Friends, Team...
at any depth), is tagged ``person`` (in front matter or in the body), or has a
``type``/``categories`` property naming a person category (``type: person``,
``type: [[Person]]``, ``categories: ["[[People]]"]``, ``type: contact``,
``type: crm-contact``); or when :mod:`vaultnet.evidence.conventions` inferred so
from the vault (its person templates, folders of people, folder notes).
Never: a template (unrendered template syntax, a name saying so, ``_template``),
a drawing, the category or index note itself (``Categories/People.md``,
``People/People.md``, a dashboard of queries), a note that declares another category
(a company, a film, a deal), a note about a person kept in their folder
(``Ana/Ana - Career.md``), and whatever ``not_people`` names.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from vaultnet.base.datenames import date_in_name, may_hold_date
from vaultnet.base.keys import GENERIC_KEYS, NOT_PEOPLE, PERSON_VALUES, PERSON_WORDS, Properties, normalise, singular
from vaultnet.base.vocabulary import Rule
from vaultnet.files.config import Config
from vaultnet.notes.note import Note

_NOT_A_PERSON_STEMS = frozenset(("_about_", "index", "readme", "untitled", "home", "dashboard", "overview",
                                 "start here", "moc"))
_WORDS = re.compile(r"[^\W\d_]+")
# A name that marks no entry: `_aliases`, a drawing, a template in the languages vaultnet knows
# (`Person Template`, `hiring-template`, `Vorlage Kontakt`), a map of content or an index (`People MOC`).
_NO_ENTRY = re.compile(r"^_|\.excalidraw$|templat|vorlage|plantilla|sjablo|skabelon|modèle de|(?:^|\W)(?:moc|index)(?:$|\W)",
                       re.IGNORECASE)


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
    """The category words (singular, lower case) a note's type and categories properties give;
    a compound one gives its last word too (``crm-company`` is a company, ``crm-contact`` a contact)."""
    found: set[str] = set()
    for name in config.person_properties:
        for text in link_texts(props.get(name)):
            found.add(singular(text))
            words = _WORDS.findall(text)
            if len(words) > 1:
                found.add(singular(words[-1]))
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
    rule = _rule(note, config)
    if rule is None:
        return None
    # What no rule can make a person: read only for the notes a rule took (most notes are none).
    rel = note.rel
    stem = rel.rsplit("/", 1)[-1][:-3]
    if rel in config.inferred_not or (config.not_people and set_aside(rel, config.not_people)) \
            or not_an_entry(stem, note.keys):
        return None
    if note.dated and may_hold_date(stem) and date_in_name(stem) is not None:
        return None  # named by a day: a meeting, a journal, a copy an editor saved, never someone
    return rule


def _rule(note: Note, config: Config) -> Rule | None:
    rel = note.rel
    if note.unrendered:
        return None
    stem = rel.rsplit("/", 1)[-1][:-3]
    wanted = person_values(config)
    if singular(stem) in wanted or stem.casefold() in _NOT_A_PERSON_STEMS:
        return None  # the category note itself, a folder's index
    props = properties(note, config) if note.meta or note.inline else None
    kinds = categories(props, config) if props is not None else set()
    if kinds & wanted or (kinds and _any_language(config) and any(kind in PERSON_WORDS for kind in kinds)):
        return "property"  # `type: person`, `tipo:: [[Personas]]`, `categories: [[People]]`
    if kinds & NOT_PEOPLE:
        return None  # declares itself a company, a film, a meeting...
    if config.people_configured and rel in config.people:
        return "listed"
    folder = people_folder(rel, config)
    if folder is not None and _in_folder_as_person(note, stem, folder, config):
        return "folder"
    person_tags = [tag.lower() for tag in config.person_tags]
    if note.meta and props is not None and _tagged(_front_matter_tags(props), person_tags) \
            and not _names_others(_front_matter_tags(props), person_tags, stem):
        return "tag"
    if note.body_tags and _tagged(note.body_tags, person_tags) and not _names_others(note.body_tags, person_tags, stem):
        return "body tag"
    inferred = config.inferred_people.get(rel)
    return inferred  # type: ignore[return-value]


def _any_language(config: Config) -> bool:
    """With the default person values, a word for a person in another language is one too."""
    return config.person_type == "person" and config.person_values == PERSON_VALUES


def not_an_entry(stem: str, keys: Iterable[str] = ()) -> bool:
    """A note that is no entry whatever folder it is in: ``_template``, ``_aliases``, ``hiring-template``,
    ``Person Template``, a drawing (``Plan.excalidraw``, or the Excalidraw plugin's key)."""
    if _NO_ENTRY.search(stem):
        return True
    return bool(keys) and any(normalise(key) == "excalidraw_plugin" for key in keys)


def set_aside(rel: str, patterns: Iterable[str]) -> bool:
    """Whether ``not_people`` names this note: its path or a folder above it, a glob, or its name."""
    stem = rel.rsplit("/", 1)[-1][:-3]
    for pattern in patterns:
        bare = pattern.strip().strip("/")
        if not bare:
            continue
        if rel == bare or rel == bare + ".md" or rel.startswith(bare + "/") or stem.casefold() == bare.casefold():
            return True
        if any(ch in bare for ch in "*?[") and (fnmatch.fnmatchcase(rel, bare) or fnmatch.fnmatchcase(rel, bare + "/*")):
            return True
    return False


def _in_folder_as_person(note: Note, stem: str, folder: str, config: Config) -> bool:
    """A note in a people folder is a person unless it is about someone there, is the folder's own
    index (``People/People.md``, a dashboard of queries), or is dated by its name (a meeting kept there)."""
    if _about_someone(note.rel, folder):
        return False
    if not config.people_configured and _about_the_folder(stem, folder):
        return False
    if stem.casefold() == folder.rsplit("/", 1)[-1].casefold():
        return False  # the folder's own note: its index
    if note.dashboard and all(normalise(key) in GENERIC_KEYS for key in note.keys):
        return False  # nothing but queries: a dashboard of the people around it
    return not note.dated or config.daily.match(note.rel[:-3]) is None


def _names_others(tags: Iterable[str], person_tags: list[str], stem: str) -> bool:
    """``#person/john-appleseed`` on a note dated by its name names who it met, not the note itself."""
    hits = [tag for tag in tags for wanted in person_tags if tag == wanted or tag.startswith(wanted + "/")]
    return bool(hits) and all("/" in tag for tag in hits) and any(ch.isdigit() for ch in stem) \
        and date_in_name(stem) is not None


def keeps_properties(note: Note, config: Config) -> bool:
    """Whether a parsed note keeps its properties in memory: when it can be a person, name people,
    date anything, or share keys with a person (see ``pipeline.session.trim_note``). Only a note whose
    properties are all of the kind every note has (tags, created...) and that counts for nothing goes."""
    if note.unrendered:
        return False
    if note.countable_lines or note.dated or rule_of(note, config) is not None:
        return True
    if people_folder(note.rel, config) is not None:
        return True
    if not note.meta and not note.inline:
        return False
    return any(normalise(key) not in GENERIC_KEYS or normalise(key) in _SAY_WHAT_IT_IS
               for key in (*note.meta, *note.inline))


# Generic keys that still say what a note is, or what others call it.
_SAY_WHAT_IT_IS = frozenset(("aliases", "alias", "date", "type", "categories", "category", "kind", "summary"))


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
