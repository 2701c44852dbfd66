"""New contact notes, from the ``person`` template (``vaultnet add`` and imports)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from vaultnet.base.dates import DailyFormat
from vaultnet.base.errors import VaultnetError
from vaultnet.base.keys import normalise, singular, spellings
from vaultnet.edits.properties import add_missing, yaml_lines
from vaultnet.evidence.contacts import Contact, fold
from vaultnet.evidence.people import link_texts, people_folder, person_rule, person_values, properties
from vaultnet.files.config import Config
from vaultnet.files.copies import icloud_note
from vaultnet.files.filenames import safe_filename
from vaultnet.files.writes import read_bytes, safe_write
from vaultnet.notes.inline import unrendered
from vaultnet.notes.note import Note, parse_note
from vaultnet.output.render import render

PERSON_TEMPLATE = "person.md"
# The vault's own person template, in one of its templates folders.
VAULT_TEMPLATES = ("person template.md", "people template.md", "contact template.md")
_TEMPLATE_TOKEN = re.compile(
    r"\{\{\s*(title|date|time)(?::([^{}]*))?\s*\}\}"
    r"|<%[-_]?\s*tp\.(file\.title|date\.now|file\.creation_date|file\.last_modified_date)"
    r"(?:\(\s*(?:[\"']([^\"']*)[\"'])?[^)]*\))?\s*[-_]?%>"
)


def people_home(config: Config, contacts: Sequence[Contact]) -> str:
    """Where new people go: the configured folder, else the people folder most contacts are in.

    In a vault whose people are marked by a property or a tag and live in no
    people folder (kepano's ``References/``), beside most of them, also with
    ``people = []`` (what ``init`` writes for such a vault: running it must not move
    where new people go); with no people at all, ``People``, or the vault's top
    folder when ``people = []`` says no folder makes a person.
    """
    if config.people_configured and config.people:
        return config.people[0]
    found = Counter(folder for c in contacts if (folder := people_folder(c.path, config)))
    if not found:
        found = Counter(c.path.rsplit("/", 1)[0] if "/" in c.path else "" for c in contacts)
    if found:
        return found.most_common(1)[0][0]
    return "" if config.people_configured else "People"


def vault_template(config: Config) -> str | None:
    """The text of the vault's own person template (``People Template.md``...), if it has one."""
    for folder in config.templates_folders or ((config.templates_folder,) if config.templates_folder else ()):
        base = config.root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*.md")):
            if path.name.casefold() in VAULT_TEMPLATES and path.is_file():
                try:
                    return path.read_text(encoding="utf-8-sig")
                except (OSError, UnicodeDecodeError):
                    continue
    # A template whose name or type says person in the vault's own language (`Pessoa.md`, `Kontakt.md`).
    from vaultnet.notes.vaulttemplates import vault_templates

    for template in vault_templates(config):
        if template.says_person:
            try:
                return (config.root / template.rel).read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                continue
    return None


def fill_template(text: str, title: str, now: dt.datetime) -> str:
    """``{{title}}``, ``{{date}}``, ``{{time}}`` and Templater's ``tp.file.title``, ``tp.date.now`` filled in."""

    def value(match: re.Match[str]) -> str:
        core, core_format, templater, templater_format = match.groups()
        what = core or templater
        fmt = core_format if core else templater_format
        if what in ("title", "file.title"):
            return title
        if what == "time":
            return now.strftime("%H:%M")
        if fmt and not re.search(r"[Hhms]", fmt):
            try:
                return DailyFormat(fmt).render(now.date())
            except (ValueError, KeyError):
                pass
        if what in ("file.creation_date", "file.last_modified_date"):
            return now.strftime("%Y-%m-%d %H:%M")
        return now.date().isoformat()

    return _TEMPLATE_TOKEN.sub(value, text)


class ContactExists(VaultnetError):
    """A contact with that name (or alias) already exists."""


def find_existing(name: str, contacts: Sequence[Contact]) -> Contact | None:
    """The contact whose file name or alias is ``name``, case-insensitively."""
    key = fold(name)
    return next((c for c in contacts if key in {fold(n) for n in c.names}), None)


class NewPaths:
    """Where new contacts go: the one allocator for ``vaultnet add`` and imports.

    The people folder is listed once, so a thousand imported names cost one
    listing, not one each. A name whose file would differ from an existing one
    only in case is refused: a case-insensitive file system would open the other note.
    """

    def __init__(self, config: Config, contacts: Sequence[Contact]) -> None:
        self.folder = people_home(config, contacts)
        directory = config.root / self.folder
        self.on_disk = {fold(entry.name): entry.name for entry in directory.iterdir()} if directory.is_dir() else {}
        # A note iCloud has not downloaded here is there all the same: its placeholder holds its name.
        for name in list(self.on_disk.values()):
            note = icloud_note(name)
            if note is not None:
                self.on_disk.setdefault(fold(note), name)

    def path(self, name: str) -> str:
        """The new note's path for ``name``; names and aliases of existing contacts are the caller's to refuse."""
        try:
            stem = safe_filename(name)
        except ValueError as err:
            raise VaultnetError(str(err)) from None
        clash = self.on_disk.get(fold(f"{stem}.md"))
        where = f"{self.folder}/" if self.folder else ""
        if clash is not None and icloud_note(clash) is not None:
            raise ContactExists(f"{where}{icloud_note(clash)} is in iCloud but not downloaded on this device "
                                f"({where}{clash}); open it once, or choose 'Keep Downloaded', instead of adding it again")
        if clash is not None:
            raise ContactExists(f"{where}{clash} already exists")
        return f"{self.folder}/{stem}.md" if self.folder else f"{stem}.md"


def contact_path(config: Config, name: str, contacts: Sequence[Contact]) -> str:
    """Where a new contact named ``name`` goes; refuses names already taken."""
    existing = find_existing(name, contacts)
    if existing is not None:
        if fold(existing.name) == fold(name):  # said as the note spells it: 'ana souza' is Ana Souza
            raise ContactExists(f"there is a contact named {existing.name!r} already: {existing.path}")
        raise ContactExists(f"{existing.path} already has the alias {name!r}")
    return NewPaths(config, contacts).path(name)


class PersonMarker:
    """Makes a new note one the vault takes as a person, the way its other people are marked.

    A note in a people folder, or from a template that marks it, is a person as
    it is. Otherwise (``people = []``, or people kept by ``categories: [[People]]``
    or ``#person`` beside other notes) it gets the marker most of the vault's
    people have: the same property and value, the person tag, else ``type: person``.
    The vault's people are read once, and only when a note needs a marker.
    """

    SAMPLE = 50  # people read to learn the marker: enough to see the vault's habit

    def __init__(self, config: Config, contacts: Sequence[Contact]) -> None:
        self.config = config
        self.contacts = contacts
        self._marker: dict[str, Any] | None = None

    def mark(self, rel: str, data: bytes) -> bytes:
        """``data`` as written, or with the marker added when it would not be a person."""
        folder = people_folder(rel, self.config)
        if folder is not None and rel.rsplit("/", 1)[0] == folder:
            return data  # directly in a people folder: a person by where it is (no need to parse a thousand notes)
        note, _ = parse_note(rel, data, self.config.person_tags)
        if note is None or person_rule(note, self.config) is not None:
            return data
        if self._marker is None:
            self._marker = self._learn()
        marked, _ = add_missing(data, self._marker)
        note, _ = parse_note(rel, marked, self.config.person_tags)
        if note is None or person_rule(note, self.config) is None:  # a template already has that key: the plain one
            marked, _ = add_missing(data, self._default())
        return marked

    def _default(self) -> dict[str, Any]:
        return {self.config.key("type"): self.config.person_type}

    def _learn(self) -> dict[str, Any]:
        found: Counter[tuple[str, Any]] = Counter()
        for contact in self.contacts[: self.SAMPLE]:
            try:
                data = read_bytes(self.config.root / contact.path)  # bounded; never a FIFO or a device
            except (OSError, VaultnetError):
                continue
            if data is None:
                continue
            note, _ = parse_note(contact.path, data, self.config.person_tags)
            marker = _marker_of(note, self.config) if note is not None else None
            if marker is not None:
                found[marker] += 1
        if not found:
            return self._default()
        (key, value), _count = found.most_common(1)[0]
        return {key: list(value) if isinstance(value, tuple) else value}


def _marker_of(note: Note, config: Config) -> tuple[str, Any] | None:
    """The property (key as written, and the values naming a person) or tag that makes ``note`` a person."""
    rule = person_rule(note, config)
    if rule in ("tag", "body tag"):
        return (config.key("tags"), (config.person_tags[0],)) if config.person_tags else None
    if rule != "property":
        return None
    props = properties(note, config)
    wanted = person_values(config)
    for name in config.person_properties:
        hit = props.item(name)
        if hit is None or hit[0] not in note.meta:
            continue  # an inline field: a new note's front matter says it instead, under vaultnet's key
        key, value = hit
        single = not isinstance(value, list) or _as_written(value) is not None  # `type: [[Person]]`, unquoted
        naming = tuple(text for item in ([value] if single else value) if (text := _as_written(item)) and
                       any(singular(t) in wanted for t in link_texts(text)))
        if naming:
            return key, naming[0] if single else naming
    return None


def _as_written(item: Any) -> str | None:
    """A property item as text: an unquoted ``[[Person]]`` (a nested YAML list) becomes the link again."""
    if isinstance(item, list) and len(item) == 1 and isinstance(item[0], list) and len(item[0]) == 1:
        return f"[[{item[0][0]}]]"
    return item if isinstance(item, str) else None


def person_note(config: Config, values: Mapping[str, Any]) -> str:
    """The new note's text; ``values`` are front-matter keys in order (empty ones left out)."""
    properties = [
        line
        for key, value in values.items()
        if value not in (None, "", [], ())
        for line in yaml_lines(config.key(key), value)
    ]
    return render(config, PERSON_TEMPLATE, {"properties": properties, "log_heading": config.log_heading})


def own_person_note(config: Config, name: str, values: Mapping[str, Any], now: dt.datetime) -> bytes | None:
    """The new note from the vault's own person template, or ``None`` when it has none vaultnet can fill."""
    template = vault_template(config)
    if template is None:
        return None
    text = fill_template(template, name, now)
    if unrendered(text):
        return None  # Templater code vaultnet cannot run: use vaultnet's own template
    wanted = {key: value for key, value in values.items() if value not in (None, "", [], ())}
    blank = re.compile(r"^([^\s:#][^:\n]*):[ \t]*(?:\[\])?[ \t]*$", re.MULTILINE)  # `Company:`, `org: []`
    for key, value in list(wanted.items()):
        keys = spellings(key, config.fields)
        # A key the template leaves blank: fill it in place.
        end = text.find("\n---", 3) if text.startswith("---") else 0  # only in the front matter
        for match in blank.finditer(text, 0, max(end, 0)):
            if normalise(match.group(1)) in keys:
                lines = "\n".join(yaml_lines(match.group(1), value))
                text = text[:match.start()] + lines + text[match.end():]
                del wanted[key]
                break
    data, _ = add_missing(text.encode("utf-8"), {config.key(key): value for key, value in wanted.items()})
    return data


def create_contact(
    config: Config, name: str, values: Mapping[str, Any], contacts: Sequence[Contact], dry_run: bool = False,
    now: dt.datetime | None = None,
) -> str:
    """Write a new contact note, from the vault's own person template when it has one; returns its path."""
    rel = contact_path(config, name, contacts)
    if not dry_run:
        data = own_person_note(config, name, values, now or dt.datetime.now())
        if data is None:
            data = person_note(config, values).encode("utf-8")
        data = PersonMarker(config, contacts).mark(rel, data)
        safe_write(config.root, rel, data, None)
    return rel
