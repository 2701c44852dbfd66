"""A vault's own conventions, inferred from the vault itself: who is a person, what dates a note.

vaultnet knows the conventions vaults share (a ``People/`` folder, ``type: person``, ``#person``,
daily notes named ``YYYY-MM-DD``); a vault it has never seen keeps people and dates in its own
words. What the vault's notes have in common says what they are:

- **person templates**: a template in the templates folder whose name, type or tags say
  person (``Person.md``, ``Pessoa.md``), or whose notes are people already found; a note that
  carries its distinctive keys (``sidste kontakt``, ``kendt_siden``) was made from it;
- **folders of people**: a folder where people found so far are a good share of its notes and
  most of the notes that say anything about themselves: its other notes are people too;
- **folder notes** (``Areas/Elias/Elias.md``) beside folders of people, named like a person;
- **people with no note**, known only by a tag on the notes that met them
  (``#people/john-appleseed``) or by the name in the names of dated notes
  (``2024-11-13 John Appleseed``, ``2024-11-27 John Appleseed``);
- **the daily-note format**, when no setting gives it, read off the vault's file names
  (``April 10th, 2022, Sunday`` is ``MMMM Do, YYYY, dddd``).

And what it set aside: a folder named like a people folder whose notes do not look like people.
Every conclusion is kept with its reason, so ``init`` and ``check`` can say it and
``vaultnet.toml`` can pin or correct it in one line (``people``, ``not_people``, ``daily_format``).

Inference runs once per assembly over notes already parsed, on what each note kept (its path,
its keys, its tags): no file is read again. When it concludes what it concluded last time, the
same settings object is reused, so the watcher's memo of standings stays valid.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from operator import attrgetter

from vaultnet.base.datenames import InferredFormat, date_in_name, infer_format, is_month_or_weekday
from vaultnet.base.identity import changed_places
from vaultnet.base.keys import GENERIC_KEYS, KEYS, PEOPLE_TAGS, is_person_word, normalise
from vaultnet.base.vocabulary import Rule
from vaultnet.evidence.people import (
    categories,
    not_an_entry,
    people_folder,
    person_values,
    properties,
    rule_of,
    set_aside,
)
from vaultnet.files.config import Config
from vaultnet.notes.note import Note
from vaultnet.notes.vaulttemplates import VaultTemplate, vault_templates

_YEAR = re.compile(r"(?<!\d)(?:\d{4}|\d{8})(?!\d)")  # every full date has a year, or is eight digits
# Keys that, on a note, say it is about someone (whatever folder it is in).
_PERSON_KEYS = frozenset(spelling for name in ("birthday", "last_contact", "email", "phone", "circle", "cadence",
                                               "follow_up", "name", "company", "role", "linkedin", "met")
                         for spelling in (normalise(s) for s in KEYS[name]))
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’.-]*(?:['’.-][^\W\d_]+)*\.?$")
_CAMEL = re.compile(r"(?<=[a-zà-ÿ])(?=[A-ZÀ-Þ])")


@dataclass(frozen=True)
class Absent:
    """A person with no note of their own, known by a tag or by the names of dated notes."""

    name: str
    path: str  # their identity: the tag (`#people/john-appleseed`) or `#` and the name
    rule: Rule
    aliases: tuple[str, ...]
    seen: tuple[str, ...]  # the notes that name them, a few


@dataclass(frozen=True)
class Conventions:
    """What vaultnet concluded from a vault, with its reasons (equal when the conclusions are)."""

    people: Mapping[str, Rule] = field(default_factory=dict)  # note → rule, for people found by inference
    reasons: Mapping[str, str] = field(default_factory=dict)  # note → why (the template, the folder)
    people_folders: Mapping[str, str] = field(default_factory=dict)  # folder → how it was found
    set_aside: Mapping[str, str] = field(default_factory=dict)  # note → why it is no person
    doubted_folders: Mapping[str, str] = field(default_factory=dict)  # a folder named for people that holds none
    person_templates: Mapping[str, str] = field(default_factory=dict)  # template → why it makes people
    absent: tuple[Absent, ...] = ()
    daily: InferredFormat | None = None  # the daily format read off file names
    daily_declined: str | None = None  # ... or why none was

    def apply(self, config: Config) -> Config:
        """``config`` with these conclusions in it (settings in vaultnet.toml are never overridden);
        ``config`` itself when they change nothing, as in a vault that follows the usual conventions."""
        if not self.people and not self.set_aside and self.daily is None:
            return config
        changes: dict[str, object] = {"inferred_people": dict(self.people), "inferred_not": dict(self.set_aside)}
        if self.daily is not None:
            changes["daily_format"] = self.daily.format
            examples = ", ".join(repr(e) for e in self.daily.examples)
            changes["daily_inferred"] = f"read off {self.daily.notes} note names such as {examples}"
        effective = replace(config, **changes)  # type: ignore[arg-type]
        if "note_templates" in config.__dict__:  # read once: the same files whatever was concluded
            effective.__dict__["note_templates"] = config.__dict__["note_templates"]
        return effective

    def why(self, rel: str) -> str | None:
        return self.reasons.get(rel)


def infer(notes: Sequence[Note], config: Config) -> Conventions:
    """Work out the vault's conventions from its parsed notes (see the module's docstring)."""
    return read_conventions(notes, config)[0]


def read_conventions(notes: Sequence[Note], config: Config) -> tuple[Conventions, dict[str, Rule]]:
    """The vault's conventions, and the rule each note that is a person by its own says (worked out
    on the way: the assembly reads them from here rather than asking each note again)."""
    found = _Inference(notes, config)
    return found.conclude(), found.explicit


class _Inference:
    def __init__(self, notes: Sequence[Note], config: Config) -> None:
        self.config = config
        output = config.output + "/"
        self.notes = [note for note in notes if not note.rel.startswith(output)]
        self.people: dict[str, Rule] = {}
        self.reasons: dict[str, str] = {}
        self.folders: dict[str, str] = {}
        self.set_aside: dict[str, str] = {}
        self.doubted: dict[str, str] = {}
        self.templates: dict[str, str] = {}

    # -- the parts ------------------------------------------------------------------------------

    def conclude(self) -> Conventions:
        config = self.config
        # One pass over the notes: each note's rule, and the notes whose names may hold a date (a
        # note that may be dated says so: notes.note.parse_note).
        self.explicit: dict[str, Rule] = {}
        maybe: list[Note] = []
        self.in_folders: list[Note] = []  # people by a folder, found by its name or set in vaultnet.toml
        for note in self.notes:
            rule = rule_of(note, config)  # worked out once per note, for the settings the session keeps
            if rule is not None:
                self.explicit[note.rel] = rule
                if rule == "folder":
                    self.in_folders.append(note)
            if note.dated and _YEAR.search(note.rel, note.rel.rfind("/") + 1):
                maybe.append(note)
        daily, declined = self._daily_format(maybe)
        if daily is not None:
            config = replace(config, daily_format=daily.format)
        self.config = config
        self.daily: set[str] = {note.rel for note in maybe if config.daily.match(note.rel[:-3]) is not None}
        self.dated: set[str] = self.daily | {note.rel for note in maybe if note.rel not in self.daily
                                             and _dated_by_name(note, config)}
        if not config.people_configured:
            self._doubt_folders_by_name()
        self._from_templates()
        if not config.people_configured:
            self._folders_of_people()
            self._folder_notes()
        absent = self._absent()
        if config.not_people:  # vaultnet.toml's word is the last: whatever was inferred, these are no one
            self.people = {rel: rule for rel, rule in self.people.items() if not set_aside(rel, config.not_people)}
            absent = tuple(person for person in absent
                           if not set_aside(f"{person.name}.md", config.not_people) and person.path not in config.not_people)
        return Conventions(self.people, self.reasons, self.folders, self.set_aside, self.doubted, self.templates,
                           absent, daily, declined)

    def _daily_format(self, maybe: list[Note]) -> tuple[InferredFormat | None, str | None]:
        """The daily format, read off file names when neither vaultnet.toml nor Obsidian's settings give it
        (``maybe``: the notes whose names may hold a date)."""
        config = self.config
        if config.daily_format_configured or config.daily_source:
            return None, None
        candidates = [_stem(note.rel) for note in maybe]
        matched = sum(1 for stem in candidates if config.daily.match(stem) is not None)
        if matched * 2 >= len(candidates):
            return None, None  # the default (YYYY-MM-DD) names most dated notes already
        found, declined = infer_format(candidates)
        if found is None or found.format == config.daily_format or found.notes <= matched:
            return None, declined
        return found, None

    def _candidates(self) -> Iterable[Note]:
        """Notes that may be people by inference: not already people, not set aside, not dated."""
        config = self.config
        for note in self.notes:
            if note.rel in self.explicit or note.unrendered or note.rel in self.dated:
                continue
            stem = _stem(note.rel)
            if not_an_entry(stem, note.keys) or note.rel in config.inferred_not:
                continue
            yield note

    def _typed_otherwise(self, note: Note) -> bool:
        """It says it is something else (a company, a deal), or is the category note itself."""
        if not note.meta and not note.inline:
            return False
        from vaultnet.base.keys import NOT_PEOPLE

        kinds = categories(properties(note, self.config), self.config)
        return bool(kinds & NOT_PEOPLE) or bool(kinds) and not kinds & person_values(self.config)

    def _doubt_folders_by_name(self) -> None:
        """A folder found by its name (``Relationships/``) whose notes neither carry what people's notes
        carry nor are named like people holds notes about people, not people: they are set aside."""
        by_folder: dict[str, list[Note]] = defaultdict(list)
        for note in self.in_folders:
            folder = people_folder(note.rel, self.config)
            if folder is not None:
                by_folder[folder].append(note)
        for folder, members in by_folder.items():
            if is_person_word(folder.rsplit("/", 1)[-1]):
                continue  # People/, Kontakte/: a folder named for people holds people, whatever their notes say
            if any(_keys(note) & _PERSON_KEYS or self._template_person(note) for note in members):
                continue
            named = sum(1 for note in members if _name_like(_stem(note.rel), months=True))
            if named * 2 > len(members):
                continue
            examples = ", ".join(_stem(note.rel) for note in members[:2])
            notes = "its note" if len(members) == 1 else f"its {len(members)} notes"
            self.doubted[folder] = (f"named like a people folder, but {notes} ({examples}) "
                                    "carry nothing people's notes do and are not named like people")
            for note in members:
                self.set_aside[note.rel] = f"in {folder}/, which does not hold people"
                self.explicit.pop(note.rel, None)
            self.in_folders = [note for note in self.in_folders if note.rel in self.explicit]

    def _person_templates(self) -> list[VaultTemplate]:
        """The templates that make people, each with only the keys that tell its notes apart from the
        notes of the vault's other templates (a starter vault gives every template the same keys)."""
        if hasattr(self, "_found_templates"):
            return self._found_templates  # type: ignore[has-type]
        templates = [template for template in vault_templates(self.config) if template.distinctive]
        found = []
        for template in templates:
            others = {key for other in templates if other is not template and not other.says_person
                      for key in other.distinctive}
            own = replace(template, distinctive=template.distinctive - others)
            if not own.distinctive:
                continue  # its keys are every template's: they say nothing about a note
            if template.says_person:
                found.append(own)
                self.templates[template.rel] = "its name or type says person"
                continue
            made = [note for note in self.notes if _made_from(_keys(note), own)]
            people = [note for note in made if note.rel in self.explicit]
            if len(people) >= 2 or people and len(people) * 2 >= len(made):  # people are made from it
                found.append(own)
                self.templates[template.rel] = (f"{len(people)} of the {len(made)} notes made from it are people "
                                                f"by another rule ({_stem(people[0].rel)})")
        self._found_templates = found
        return found

    def _template_person(self, note: Note) -> VaultTemplate | None:
        keys = _keys(note)
        if not keys:
            return None
        return next((template for template in self._person_templates() if _made_from(keys, template)), None)

    def _from_templates(self) -> None:
        templates = self._person_templates()
        if not templates:
            return
        for note in self._candidates():
            template = self._template_person(note)
            if template is not None and not self._typed_otherwise(note):
                shared = sorted(_keys(note) & template.distinctive)
                self.people[note.rel] = "template"
                self.reasons[note.rel] = f"made from {template.rel} (its keys: {', '.join(shared[:3])})"

    def _folders_of_people(self) -> None:
        """Folders where three or more people found note by note are a third of all notes and two thirds of those
        that say anything about themselves: every other note there is a person too."""
        for folder, inside in sorted(self._members().items()):
            inside = [note for note in inside if not note.unrendered]
            if len(inside) < 3:
                continue
            people = [n for n in inside if n.rel in self.people or self.explicit.get(n.rel) in ("property", "tag",
                                                                                              "body tag")]
            if len(people) < 3 or len(people) * 3 < len(inside) or people_folder(inside[0].rel, self.config):
                continue  # too few people here, or a folder found by its name already
            telling = [n for n in inside if _keys(n) or self._typed_otherwise(n)]
            if len(people) * 3 < len(telling) * 2:
                continue
            how = self.reasons.get(people[0].rel, "")
            template = how.split(" (", 1)[0].removeprefix("made from ") if how.startswith("made from") else ""
            self.folders[folder] = (f"{len(people)} of its {len(inside)} notes are people"
                                    + (f", made from {template}" if template else ""))
            leader = folder.rsplit("/", 1)[-1].casefold()
            for note in inside:
                stem = _stem(note.rel)
                if note.rel in self.people or note.rel in self.explicit or note.rel in self.set_aside:
                    continue
                if not_an_entry(stem, note.keys) or stem.casefold() == leader or self._typed_otherwise(note) \
                        or (note.dashboard and not _keys(note)):
                    continue
                self.people[note.rel] = "folder of people"
                self.reasons[note.rel] = f"in {folder}/, a folder of people ({self.folders[folder]})"

    def _members(self) -> dict[str, list[Note]]:
        """The undated notes of each folder (asked only when three people found note by note share one)."""
        found: dict[str, list[Note]] = defaultdict(list)
        counts: Counter[str] = Counter(rel.rpartition("/")[0] for rel, rule in (*self.people.items(),
                                       *self.explicit.items()) if rule in ("property", "tag", "body tag", "template"))
        wanted = {folder for folder, count in counts.items() if count >= 3 and folder}
        if wanted:
            for note in self.notes:
                folder = note.rel.rpartition("/")[0]
                if folder in wanted and note.rel not in self.dated:
                    found[folder].append(note)
        return found

    def _own_notes(self, beside: set[str]) -> Iterable[Note]:
        """``Areas/Elias/Elias.md``: the notes of their own folder, in a folder whose parent is in ``beside``
        (looked up by name, folder by folder: there are few folders and many notes)."""
        by_rel = {note.rel: note for note in self.notes}
        folders = {rel.rpartition("/")[0] for rel in by_rel}
        for folder in sorted(folders):
            above, _, name = folder.rpartition("/")
            if name and above in beside:
                note = by_rel.get(f"{folder}/{name}.md")
                if note is not None:
                    yield note

    def _folder_notes(self) -> None:
        """``Areas/Elias/Elias.md``: a folder's own note, beside folders of people, named like a person."""
        beside: set[str] = {folder.rpartition("/")[0] for folder in self.folders}
        for note in self.in_folders:
            folder = people_folder(note.rel, self.config)
            if folder is not None:
                beside.add(folder.rpartition("/")[0])
        if not beside:
            return
        for note in self._own_notes(beside):
            folder_path, _, name = note.rel.rpartition("/")
            above = folder_path.rpartition("/")[0]
            stem = name[:-3]
            if above not in beside or note.rel in self.explicit or note.rel in self.people:
                continue
            if folder_path in self.folders or people_folder(note.rel, self.config) is not None:
                continue
            if not _name_like(stem) or note.dashboard or self._typed_otherwise(note) \
                    or not_an_entry(stem, note.keys) or note.rel in self.dated:
                continue
            if not (_keys(note) & _PERSON_KEYS or self._template_person(note) or _fold(stem) in self._met()):
                continue  # named like someone, but nothing says it is someone
            self.people[note.rel] = "folder note"
            self.reasons[note.rel] = f"the note of its own folder {folder_path}/, beside folders of people"

    def _met(self) -> set[str]:
        """The names dated notes link or name in their headings: whom the journal met (folded)."""
        if not hasattr(self, "_met_names"):
            found: set[str] = set()
            for note in self.notes:
                if note.rel in self.dated:
                    for line in note.countable():
                        found.update(_fold(link.target.rsplit("/", 1)[-1]) for link in line.links)
                    for _, _, text, *_ in note.headings:
                        found.update(_fold(word) for word in re.findall(r"[^\W\d_]+", text))
                        found.update(_fold(m.group(1)) for m in re.finditer(r"\[\[([^\]|#]+)", text))
            self._met_names = found
        return self._met_names

    # -- people with no note ---------------------------------------------------------------------

    def _absent(self) -> tuple[Absent, ...]:
        """People known only by ``#people/<name>`` tags on notes that met them, or by the name part of
        two or more dated notes named like a person and like nothing else in the vault."""
        tagged: dict[str, list[str]] = defaultdict(list)
        for note in self.notes:
            if note.rel in self.dated and (note.body_tags or note.meta):
                for tag in _person_name_tags(note, self.config):
                    tagged[tag].append(note.rel)
        found: dict[str, Absent] = {}
        name_parts: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for rel in sorted(self.dated - self.daily):  # a daily note's name is its date and nothing else
            dated = date_in_name(_stem(rel))
            if dated is not None and dated.rest:
                name_parts[_fold(dated.rest)].append((dated.rest, rel))
        if not tagged and not any(len(seen) > 1 for seen in name_parts.values()):
            return ()
        known = self._known_names()
        for tag, rels in sorted(tagged.items()):
            slug = tag.split("/", 1)[1]
            words = _fold(slug.replace("-", " ").replace("_", " "))
            if words in known or not words:
                continue
            written = next((text for text, _ in name_parts.get(words, ())), None) or \
                " ".join(word.capitalize() for word in words.split())
            found[words] = Absent(written, "#" + tag, "tag only", (slug,) if _fold(slug) != words else (),
                                  tuple(rels[:3]))
        stems = {_fold(_stem(note.rel)) for note in self.notes}
        for words, seen in sorted(name_parts.items()):
            if words in known or words in found or words in stems or len(seen) < 2:
                continue
            text = seen[0][0]
            if not _name_like(text, least=2) or self._common(text):
                continue
            found[words] = Absent(text, "#" + text, "note name", (), tuple(rel for _, rel in seen[:3]))
        return tuple(found[key] for key in sorted(found))

    def _known_names(self) -> set[str]:
        """Folded names and aliases of every person found so far (explicit and inferred)."""
        names: set[str] = set()
        for note in self.notes:
            if note.rel in self.explicit or note.rel in self.people:
                names.add(_fold(_stem(note.rel)))
                if note.meta or note.inline:
                    props = properties(note, self.config)
                    from vaultnet.evidence.people import link_texts

                    names.update(_fold(text) for text in link_texts(props.get("aliases")))
                    name = props.get("name")
                    if isinstance(name, str):
                        names.add(_fold(name))
        return names

    def _common(self, text: str) -> bool:
        """A word of ``text`` is written in lower case in the vault's dated notes: a phrase, not a name."""
        words = {word.casefold() for word in re.findall(r"[^\W\d_]+", text)}
        return bool(lower_case_words(self.notes, frozenset(words)))


# -- what a note is, from what it kept -----------------------------------------------------------

def _stem(rel: str) -> str:
    return rel.rsplit("/", 1)[-1][:-3]


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _keys(note: Note) -> frozenset[str]:
    """A note's keys that say something about it (normalised; not tags, created, title...)."""
    return _telling(note.keys, tuple(note.inline))


@lru_cache(maxsize=4096)  # notes share a few dozen key sets
def _telling(keys: tuple[str, ...], inline: tuple[str, ...]) -> frozenset[str]:
    return frozenset(key for key in (normalise(k) for k in (*keys, *inline)) if key not in GENERIC_KEYS)


def _made_from(keys: frozenset[str], template: VaultTemplate) -> bool:
    """A note made from ``template``: it carries at least half of the template's distinctive keys, and
    at most as many keys of its own as it shares with the template."""
    shared = len(keys & template.distinctive)
    if not shared or shared * 2 < len(template.distinctive):
        return False
    return len(keys - template.keys) <= shared


def _dated_by_name(note: Note, config: Config) -> bool:
    """Named by the daily format, or with a full date and more in its name (``2023-11-16 Weekly Catchup``)."""
    if config.daily.match(note.rel[:-3]) is not None:
        return True
    found = date_in_name(_stem(note.rel))
    return found is not None and bool(found.rest)


def _name_like(text: str, least: int = 1, months: bool = False) -> bool:
    """Written as a person's name: one to four words, each a capital and small letters (``Ana Lima``,
    ``Elias``, ``SarahJolliffe``), no digits or underscores, not all capitals; a single word that is
    a month or weekday only with ``months`` (``Mei``, ``June`` are names too)."""
    if "_" in text or any(ch.isdigit() for ch in text):
        return False
    words = [word for part in text.replace("-", " ").split() for word in _CAMEL.split(part)]
    if not least <= len(words) <= 4:
        return False
    for word in words:
        if not _NAME_WORD.match(word) or not word[0].isupper() or (len(word) > 1 and word.isupper()):
            return False
    return months or not (len(words) == 1 and is_month_or_weekday(words[0]))


def _person_name_tags(note: Note, config: Config) -> list[str]:
    """``people/<name>`` and ``person/<name>`` tags of a note (front matter and text), lower case."""
    tags: list[str] = list(note.body_tags)
    if note.meta or note.inline:
        raw = properties(note, config).get("tags")
        if isinstance(raw, str):
            raw = raw.replace(",", " ").split()
        if isinstance(raw, list):
            tags.extend(str(tag).lstrip("#").strip().lower() for tag in raw if isinstance(tag, (str, int)))
    return [tag for tag in dict.fromkeys(tags)
            if "/" in tag and tag.split("/", 1)[0] in (*PEOPLE_TAGS, *config.person_tags) and tag.split("/", 1)[1]]


def person_name_tags(note: Note, config: Config) -> list[str]:
    """The people a note names by tag (``#people/john-appleseed``), as slugs."""
    return [tag.split("/", 1)[1] for tag in _person_name_tags(note, config)]


def lower_case_words(notes: Iterable[Note], words: frozenset[str]) -> set[str]:
    """Which of ``words`` (lower case) the vault writes in lower case at least as often as with a capital,
    as whole words, in its dated notes' lines (links, tags and addresses left out): such a word is a
    common word here (``far``, ``will``), whatever it names elsewhere; a name written in lower case
    now and then (``oliver``) stays a name."""
    if not words:
        return set()
    from vaultnet.evidence.mentions import NOT_PROSE

    pattern = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
                         + r")(?![\w])", re.IGNORECASE)
    lower: Counter[str] = Counter()
    upper: Counter[str] = Counter()
    for note in notes:
        if not note.dated:
            continue
        for text in (*(line.text for line in note.countable()), *(line.text for line in note.prose()), note.plain):
            if "[" in text or "#" in text or "://" in text or "@" in text:
                text = NOT_PROSE.sub(" ", text)
            for match in pattern.finditer(text):
                word = match.group(0)
                if word.islower():
                    lower[word] += 1
                elif word[0].isupper():
                    upper[word.casefold()] += 1
    return {word for word, count in lower.items() if count >= upper[word]}


class Remembered:
    """The last conclusions and the settings made from them, reused while the conclusions stay the same.

    A watcher concludes after every edit. When each note is the object read last
    time, or one read again that shows the inference what it showed before (an
    undated note's properties, keys, tags and kind: a line logged in a person's note),
    the conclusions are the last ones: going over thirty thousand notes again
    would find them again.
    """

    def __init__(self) -> None:
        self.base: Config | None = None
        self.conventions: Conventions | None = None
        self.config: Config | None = None
        self._read: tuple[Config, list[Note], dict[str, Rule], Conventions] | None = None

    def apply(self, config: Config, notes: Sequence[Note]) -> tuple[Conventions, Config, dict[str, Rule]]:
        """The conclusions, the settings with them in, and each note's own rule (see :func:`read_conventions`)."""
        conventions, explicit = self._concluded(config, notes)
        if self.base is config and self.conventions == conventions and self.config is not None:
            return self.conventions, self.config, explicit
        self.base, self.conventions, self.config = config, conventions, conventions.apply(config)
        return conventions, self.config, explicit

    def _concluded(self, config: Config, notes: Sequence[Note]) -> tuple[Conventions, dict[str, Rule]]:
        last = self._read
        if last is not None and last[0] is config and _shows_the_same(last[1], notes, config.output + "/"):
            conventions, explicit = last[3], last[2]
        else:
            conventions, explicit = read_conventions(notes, config)
            if last is not None and last[0] is config and explicit == last[2]:
                explicit = last[2]  # each note's rule as before: the same object, by which an assembly keeps its reading
        self._read = (config, list(notes), explicit, conventions)
        return conventions, explicit


def _shows_the_same(before: Sequence[Note], now: Sequence[Note], output: str) -> bool:
    """The notes show the inference what they showed before: the same notes, each the same object or one that
    shows it the same (vaultnet's own notes, which it never reads, aside)."""
    at = changed_places(before, now, attrgetter("rel"), len(now))
    return at is not None and all(now[i].rel.startswith(output) or _shown(before[i]) == _shown(now[i]) for i in at)


def _shown(note: Note) -> tuple[object, ...]:
    """All the inference reads of a note: an undated note's name, properties, keys, tags and kind; a dated
    note's lines as well (whom it met, the words it writes in lower case)."""
    shown = (note.rel, note.meta, note.keys, note.inline, note.body_tags, note.unrendered, note.dashboard, note.dated)
    return (*shown, note.countable(), note.body) if note.dated else shown


def counts(conventions: Conventions) -> Counter[str]:
    """How many people each inferred rule found."""
    return Counter(conventions.people.values())
