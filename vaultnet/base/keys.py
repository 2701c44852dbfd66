"""Every property vaultnet reads, under every name vaults give it.

One registry for config (which keys ``[fields]`` may rename), contacts,
meetings and importers, so a key is spelled in one place. Keys are compared as
Obsidian and Dataview read them: case-insensitively, with spaces, ``-`` and
``_`` as one (``Last Contact``, ``last-contact`` and ``last_contact`` are one key).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

# canonical name → the spellings read, best first (the first is what vaultnet writes).
KEYS: dict[str, tuple[str, ...]] = {
    "circle": ("circle", "prm-tier"),
    "cadence": ("cadence", "prm-cadence", "cadence_days", "contact_frequency", "contact_cadence", "frequency",
                "keep_in_touch"),
    "last_contact": ("last_contact", "prm-last-contacted", "last_contacted", "last_chat", "last_chatted"),
    "snooze_until": ("snooze_until", "prm-snooze-until"),
    "paused": ("paused", "prm-paused"),
    "ignore_journal": ("ignore_journal", "prm-ignore-journal"),
    "birthday": ("birthday", "prm-birthday", "birthdate", "birth", "birth_date", "date_of_birth", "dob", "bday",
                 "geburtstag", "geburtsdatum", "fødselsdag", "fødselsdato", "födelsedag", "bursdag", "verjaardag",
                 "anniversaire", "cumpleaños", "aniversário", "compleanno"),
    "follow_up": ("next_follow_up", "follow_up", "next_followup", "followup", "follow_up_date", "next_contact",
                  "folgetermin"),
    "follow_up_context": ("followup_context", "follow_up_context", "next_step"),
    "company": ("company", "org", "organization", "organisation"),
    "role": ("role", "position", "company-role", "job_title"),
    "industry": ("industry",),
    "location": ("location", "prm-location"),
    "email": ("email", "e-mail"),
    "phone": ("phone", "phone_number"),
    "linkedin": ("linkedin",),
    "met": ("met", "prm-relationship"),
    "introduced_by": ("introduced_by",),
    "offers": ("offers",),
    "needs": ("needs",),
    "interests": ("interests",),
    "goals": ("goals",),
    "aliases": ("aliases",),
    "tags": ("tags", "tag"),
    "type": ("type", "tipo", "typ", "kind_of_note"),
    "categories": ("categories", "category", "kategorie", "kategorien", "categoria", "categoría", "catégorie",
                   "kategori"),
    "date": ("date", "datetime", "date_time", "datum", "dato", "data", "fecha", "fecha_hora", "päivämäärä", "tarih"),
    "attendees": ("attendees", "participants", "people", "with", "attendee", "participant", "attending", "contacts",
                  "teilnehmer", "teilnehmende", "deltagere", "deltagare", "participantes", "partecipanti", "deelnemers"),
    "name": ("name",),
    "friends": ("friends",),
    "partner": ("partner", "spouse", "husband", "wife"),
    "children": ("children", "child", "kids"),
    "parents": ("parents", "parent", "mother", "father"),
    "siblings": ("siblings", "sibling", "brother", "sister"),
    "household": ("household",),
    "relations": ("relations", "relatives", "related"),
    "dates": ("dates",),
    "anniversary": ("anniversary", "wedding_anniversary"),
    "died": ("died", "date_of_death", "death_date"),
    "vcard_uid": ("vcard_uid",),  # the person's card on the phone (vaultnet sync contacts)
    "summary": ("summary", "subject", "topic", "title", "titel", "titulo", "título", "titre", "betreff"),
    "kind": ("kind", "interaction_type", "meeting_type"),
}
FIELD_KEYS = tuple(KEYS)

# The same canonical names, grouped by what vaultnet does with them (each name is a key of KEYS).
TEXT_KEYS = ("company", "role", "industry", "location", "email", "phone", "linkedin", "met")  # one line of text
LIST_KEYS = ("offers", "needs", "interests", "goals")  # lists of text
DATE_KEYS = ("last_contact", "snooze_until")  # YYYY-MM-DD
# What an import fills, in the order a new note lists them (as `vaultnet add` does).
IMPORT_KEYS = ("company", "role", "location", "email", "phone", "linkedin", "met", "birthday")
# What `vaultnet add` writes and `add`/`set` take as options, in the order a new note lists them.
PROFILE_KEYS = ("circle", "cadence", *TEXT_KEYS, "birthday")
# What `vaultnet set` writes, in the order its lines are added.
SET_KEYS = ("circle", "cadence", "location", "company", "role", "industry", "email", "phone", "linkedin", "met",
            "birthday", *DATE_KEYS)
# Who a person is to others: links (or names), read by vaultnet.evidence.relations.
RELATION_KEYS = ("partner", "children", "parents", "siblings", "household", "relations")
# Dates that come back every year besides the birthday (a `dates` map holds any others).
OCCASION_KEYS = ("anniversary", "died")
# Properties whose value can name a person category (`type: person`, `categories: [[People]]`).
PERSON_PROPERTIES = ("type", "categories")

# xuvi7/obsidian-personal-crm's default tiers, as vaultnet circles (and the tier's own cadence in days).
PRM_TIERS: dict[str, tuple[str, int | None]] = {
    "inner": ("inner", None),
    "close": ("close", None),
    "casual": ("network", None),
    "warm": ("acquaintance", 180),
    "dormant": ("acquaintance", None),
}

# Values of `type` / `categories` (singular or plural, as text or as a link) that mark a person.
PERSON_VALUES = ("person", "people", "contact", "contacts")
# The same words in the languages vaults are kept in: a template, a tag, a type or a folder
# named with one of them is about people (`Pessoas/`, `tags: kontakt`, `tipo: [[Personas]]`).
PERSON_WORDS = frozenset((
    "person", "people", "persons", "contact", "contacts", "personer", "personen", "persoon", "persona", "personas",
    "pessoa", "pessoas", "personne", "personnes", "persone", "mensch", "menschen", "kontakt", "kontakte",
    "kontakter", "kontakten", "contacto", "contactos", "contato", "contatos", "contatto", "contatti",
))
# ...and values that mark a note as clearly not a person, even in a people folder.
NOT_PEOPLE = frozenset((
    "company", "organization", "organisation", "org", "business", "client", "team", "movie", "film", "show",
    "book", "album", "place", "city", "country", "project", "meeting", "event", "product", "app", "recipe",
    "trip", "podcast", "game", "category", "moc", "template", "location", "role", "area", "resource",
    "dailytodo", "daily", "journal", "note", "clipping", "post",
    # what CRM kits and typed vaults keep beside people (`type: crm-deal`, `type: Decision`)
    "deal", "interaction", "ticket", "session", "review", "concept", "decision", "task", "log", "case",
    "opportunity", "invoice", "brand", "vendor", "supplier", "tool", "service", "article", "highlight", "tweet",
    "paper", "course", "idea", "quote", "character", "npc", "faction", "pet", "animal", "dog", "cat", "horse",
    "firma", "unternehmen", "empresa", "entreprise", "azienda", "bedrijf", "virksomhed", "företag", "projekt",
    "projet", "proyecto", "projeto", "progetto", "buch", "livre", "libro", "livro", "boek", "bog", "bok",
    "reunião", "reunion", "réunion", "reunión", "besprechung", "møde", "möte", "vergadering", "riunione",
))
# Folder names that hold people, found at any depth when `people` is not configured.
PEOPLE_FOLDERS = ("people", "persons", "contacts", "friends", "family", "network", "crm", "team",
                  "colleagues", "relationships",
                  # the same words in other languages
                  "personer", "personen", "pessoas", "personas", "persone", "personnes", "kontakte", "kontakter",
                  "contactos", "contatos", "contatti", "familie", "familia", "família", "famille", "famiglia",
                  "familj", "freunde", "venner", "vänner", "vrienden", "amigos", "amis", "amici", "kollegen",
                  "kolleger", "collègues", "colegas", "colleghi")
# Folders named like a templates folder: skipped when no setting names the vault's templates folder.
TEMPLATE_FOLDERS = frozenset(("templates", "template", "_templates", "_template", "vorlagen", "plantillas",
                              "modelos", "modèles", "modeles", "modelli", "skabeloner", "maler", "mallar",
                              "sjablonen"))
# Properties every kind of note carries: they say nothing about what a note is about.
GENERIC_KEYS = frozenset((
    "aliases", "alias", "tags", "tag", "created", "updated", "modified", "date_created", "date_modified",
    "created_at", "updated_at", "creation_date", "last_modified", "date", "title", "type", "categories", "category",
    "cssclasses", "cssclass", "publish", "permalink", "id", "uid", "status", "source", "url", "author", "authors",
    "description", "banner", "icon", "sticker", "cover", "image", "related", "up", "parent", "links", "lang",
    "language", "kind", "summary", "notes",
))
# Circle names people write, as one of the default circles (an explicit [circles] setting wins).
CIRCLE_WORDS: dict[str, str] = {
    "close friend": "inner", "close friends": "inner", "best friend": "inner", "partner": "inner",
    "inner circle": "inner",
    "family": "close", "friend": "close", "friends": "close",
    "professional": "network", "work": "network", "colleague": "network", "colleagues": "network",
    "client": "network", "business": "network",
    "acquaintances": "acquaintance",
}
# Tags that name one person on the note that met them: `#people/john-appleseed`, `#person/ana-lima`.
PEOPLE_TAGS = ("people", "person")
# Headings whose links list who was at a meeting.
ATTENDEE_HEADINGS = ("participants", "attendees", "people", "attendance", "present", "with")

_SEPARATORS = re.compile(r"[\s_-]+")
_FORMATTING = re.compile(r"[*~`]+")


@lru_cache(maxsize=8192)  # the same few keys, in note after note
def normalise(key: str) -> str:
    """A key as Obsidian and Dataview compare it: case, spaces, ``-`` and ``_`` ignored."""
    return _SEPARATORS.sub("_", _FORMATTING.sub("", key).strip()).casefold()


@lru_cache(maxsize=8192)
def singular(word: str) -> str:
    """``people`` → ``person``, ``companies`` → ``company``, ``films`` → ``film``."""
    word = word.casefold().strip()
    if word == "people":
        return "person"
    if word.endswith("ies") and len(word) > 4 and word[-4] not in "aeiouv":  # cities, not movies
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def spellings(name: str, fields: Mapping[str, str]) -> tuple[str, ...]:
    """The normalised keys read for ``name``: the user's own ``[fields]`` name, else the defaults."""
    chosen = fields.get(name)
    if chosen:
        return (normalise(chosen),)  # renamed: the other spellings are no longer read
    return _DEFAULT_SPELLINGS.get(name) or (normalise(name),)


class Properties:
    """A note's front matter and Dataview inline fields, looked up by canonical name.

    Front matter wins over inline fields; within each, the first spelling in
    :data:`KEYS` that the note has wins.
    """

    __slots__ = ("_found", "_fields", "_spellings", "_by_name")

    def __init__(self, meta: Mapping[str, Any], inline: Mapping[str, Any], fields: Mapping[str, str]) -> None:
        found: dict[str, tuple[str, Any]] = {}
        for source in (meta, inline):
            for key, value in source.items():
                found.setdefault(normalise(key), (key, value))
        self._found = found
        self._fields = fields
        self._spellings, readers = _table(fields)
        # Each name the note has a key for, worked out from its few keys: a contact is asked
        # for twenty names, most of which it does not have, and each is then one lookup.
        by_name: dict[str, tuple[int, tuple[str, Any]]] = {}
        for spelling, hit in found.items():
            for name, rank in readers.get(spelling, ()):
                kept = by_name.get(name)
                if kept is None or rank < kept[0]:
                    by_name[name] = (rank, hit)
        self._by_name = by_name

    def item(self, name: str) -> tuple[str, Any] | None:
        """``(key as written, value)`` for ``name``, or ``None``."""
        kept = self._by_name.get(name)
        if kept is not None:
            return kept[1]
        if name in self._spellings or not self._found:
            return None
        return self._found.get(normalise(name))  # a name vaultnet does not know: read as written

    def get(self, name: str) -> Any:
        hit = self.item(name)
        return None if hit is None else hit[1]

    def key(self, name: str) -> str:
        """The key as the note writes it (for messages), else the key vaultnet would write."""
        hit = self.item(name)
        return hit[0] if hit else self._fields.get(name, name)


def _with_joined(names: tuple[str, ...]) -> tuple[str, ...]:
    """Each spelling, then each with its separators dropped: ``lastContacted`` and ``nextFollowUp``
    are read as ``last_contacted`` and ``next_follow_up`` (keys compare case-insensitively)."""
    spelt = [normalise(item) for item in names]
    return tuple(dict.fromkeys([*spelt, *(item.replace("_", "") for item in spelt if "_" in item)]))


def _date_spellings() -> frozenset[str]:
    return frozenset(_DEFAULT_SPELLINGS["date"])


def is_person_word(word: str) -> bool:
    """``people``, ``Pessoas``, ``kontakt``: a word that means a person, in any of the languages vaultnet knows."""
    folded = word.casefold().strip()
    return folded in PERSON_WORDS or singular(folded) in PERSON_WORDS


_DEFAULT_SPELLINGS = {name: _with_joined(names) for name, names in KEYS.items()}
# Every canonical name's spellings, and the other way round: the names each spelling is read
# for, with its place among that name's spellings (the first one a note has wins).
Table = tuple[dict[str, tuple[str, ...]], dict[str, tuple[tuple[str, int], ...]]]
_TABLES: dict[tuple[tuple[str, str], ...], Table] = {}


def _readers(table: dict[str, tuple[str, ...]]) -> dict[str, tuple[tuple[str, int], ...]]:
    found: dict[str, list[tuple[str, int]]] = {}
    for name, spelt in table.items():
        for rank, spelling in enumerate(spelt):
            found.setdefault(spelling, []).append((name, rank))
    return {spelling: tuple(names) for spelling, names in found.items()}


def _table(fields: Mapping[str, str]) -> Table:
    """Every canonical name's spellings under one ``[fields]`` setting, worked out once."""
    key = tuple(sorted(fields.items()))
    table = _TABLES.get(key)
    if table is None:
        spelt = {name: spellings(name, fields) for name in {*KEYS, *fields}}
        table = _TABLES[key] = (spelt, _readers(spelt))
    return table

# The properties that date a note, as keys compare (``date``, ``dateTime``, ``Datum``...).
DATE_SPELLINGS = _date_spellings()
