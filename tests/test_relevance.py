"""A front matter the cold build does not load never hides a contact, a date or a meeting."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from vaultnet.base.keys import KEYS, PERSON_VALUES
from vaultnet.cli.main import main
from vaultnet.evidence.contacts import is_contact, read_contact
from vaultnet.evidence.meetings import attendee_targets, daily_date, property_date
from vaultnet.evidence.people import person_rule, properties
from vaultnet.files.config import Config
from vaultnet.notes.note import Note, parse_note
from vaultnet.notes.relevance import NOT_ON_THEIR_OWN, FrontMatterFilter, front_matter_filter

from conftest import write

CONFIG = Config(root=Path("/nonexistent"))
RENAMED = replace(CONFIG, fields={"last_contact": "Seen On", "company": "tags"}, person_properties=("kind",),
                  person_tags=("friend", "pal"))

# Keys written as vaults write them: every spelling vaultnet reads, in any case and with any separator...
_READ = sorted({spelling for names in KEYS.values() for spelling in names} | {"Seen On", "kind"})
# ... and keys nothing reads, some close to read ones.
_OTHER = ["created", "modified", "update", "title", "status", "source", "url", "rating", "year", "candidate",
          "metadata", "author", "aliased", "dates", "my date", "publish", "cssclasses", "topic", "type_of"]
_SEPARATOR = st.sampled_from([" ", "_", "-", "  ", "__"])


@st.composite
def keys(draw: st.DrawFn) -> str:
    key = draw(st.sampled_from(_READ + _OTHER))
    key = key.replace("_", draw(_SEPARATOR)).replace("-", draw(_SEPARATOR))
    return draw(st.sampled_from([key, key.title(), key.upper(), key.capitalize()]))


_WORDS = st.sampled_from(["x", "Ana", "2026-11-02", "2026-11-02 10:30", "[[Ana Souza]]", "[[People]]", "person",
                          "Person", "#person", "person/friend", "friend", "pal", "topic", "inner", "14", "true",
                          "1985-02-30", "film", *PERSON_VALUES])


@st.composite
def values(draw: st.DrawFn) -> str:
    shape = draw(st.sampled_from(["plain", "quoted", "flow", "block", "link"]))
    words = draw(st.lists(_WORDS, min_size=1, max_size=3))
    if shape == "plain":
        return " " + words[0]
    if shape == "quoted":
        return ' "' + words[0] + '"'
    if shape == "link":
        return ' "[[' + words[0].strip("[]") + ']]"'
    if shape == "flow":
        return " [" + ", ".join('"' + word + '"' for word in words) + "]"
    return "\n" + "".join(f"  - \"{word}\"\n" for word in words).rstrip("\n")


@st.composite
def front_matters(draw: st.DrawFn) -> str:
    pairs = draw(st.lists(st.tuples(keys(), values()), max_size=5))
    if draw(st.booleans()):
        return "\n".join(f"{key}:{value}" for key, value in pairs)
    return "{" + ", ".join(f'"{key}": {value.strip()}' for key, value in pairs if not value.startswith("\n")) + "}"


_PATHS = ["Notes/Topic.md", "People/Ana Souza.md", "2026-11-02.md", "Meetings/Sync.md", "Team/Bo.md"]
_BODIES = ["", "- 2026-11-02 coffee with [[Ana Souza]]\n", "#person\n", "## Attendees\n- [[Ana Souza]]\n",
           "date:: 2026-11-03\n", "- [ ] call [[Bo]]\n"]


def _reads(note: Note, config: Config) -> tuple[object, ...]:
    """Everything later stages read from a parsed note."""
    props = properties(note, config)
    contact = read_contact(note, config) if is_contact(note, config) else None
    # Tags are read for one thing, whether they name a person tag: person_rule says that.
    # A meeting's summary and kind are read once its date is: on their own they load nothing.
    names = [name for name in (*KEYS, *config.fields, *config.person_properties) if name not in NOT_ON_THEIR_OWN]
    items = tuple(props.item(name) for name in names)
    return (person_rule(note, config), items, property_date(note, config),
            attendee_targets(note, config), daily_date(note, config), contact,
            [note.key_line(props.key(name)) for name in names], note.inline, note.body_tags,
            note.attendee_sections, note.unrendered, [line for line in note.countable()])


def _both(text: str, rel: str, config: Config) -> tuple[Note, Note]:
    data = text.encode()
    full, _ = parse_note(rel, data, config.person_tags)
    quick, _ = parse_note(rel, data, config.person_tags, front_matter_filter(config))
    assert full is not None and quick is not None
    return full, quick


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front=front_matters(), rel=st.sampled_from(_PATHS), body=st.sampled_from(_BODIES),
       settings_name=st.sampled_from(["default", "renamed"]))
@example(front="tags: [topic19]\ncreated: 2024-01-01", rel="Notes/Topic.md", body="", settings_name="default")
@example(front="Last Contact: 2026-11-02", rel="People/Ana Souza.md", body="", settings_name="default")
@example(front="seen-on: 2026-11-02\ntags: x", rel="People/Ana Souza.md", body="", settings_name="renamed")
def test_a_skipped_front_matter_changes_nothing_vaultnet_reads(front, rel, body, settings_name):
    config = CONFIG if settings_name == "default" else RENAMED
    full, quick = _both(f"---\n{front}\n---\n{body}", rel, config)
    if full.problems:
        return  # invalid YAML in a front matter nothing reads: not loaded, so not reported (docs/commands.md)
    assert _reads(quick, config) == _reads(full, config)


@pytest.mark.parametrize("front", [
    "tags: [topic19]\ncreated: 2024-01-01", "title: A film\nrating: 5", "created: 2024-01-01\nupdate: soon",
    "cssclasses: wide\nmetadata: x",
])
def test_front_matter_nothing_reads_is_not_loaded(front):
    assert not front_matter_filter(CONFIG).matters(front)
    _, quick = _both(f"---\n{front}\n---\nbody\n", "Notes/Topic.md", CONFIG)
    assert quick.meta == {} and quick.key_lines == {}


@pytest.mark.parametrize("front", [
    "Date: 2024-06-14", "last-contact: 2026-10-30", "Last Contact: x", "prm-tier: close", "tags: [Person]",
    "categories:\n  - \"[[People]]\"", "type: contact", "{attendees: [a]}", "\"with\": x", "date\t: x",
    "k: \"\\x64ate\"", "Birthday: 1990-01-01", "`name`: Ana",
])
def test_front_matter_that_can_matter_is_loaded(front):
    assert front_matter_filter(CONFIG).matters(front)


def test_settings_make_their_own_keys_matter():
    assert not front_matter_filter(CONFIG).matters("seen on: 2026-01-01\nkind: x\ntags: [pal]")
    assert front_matter_filter(RENAMED).matters("seen on: 2026-01-01")
    assert front_matter_filter(RENAMED).matters("kind: x")
    assert front_matter_filter(RENAMED).matters("tags: [pal]")
    assert FrontMatterFilter.for_settings({}, ("tags",), ()).matters("tags: [x]")


def test_a_person_by_body_tag_has_its_front_matter_read_and_its_problems_reported():
    text = "---\n- a\n- b\n---\n#person\n"
    note, problems = parse_note("Notes/Ana.md", text.encode(), CONFIG.person_tags, front_matter_filter(CONFIG))
    assert note is not None and is_contact(note, CONFIG)
    assert [p.message.split(",")[0] for p in problems] == ["front matter is a list"]


def test_a_build_with_the_shortcut_says_what_one_without_it_says(vault, monkeypatch):
    write(vault, "People/Ana Souza.md", "---\nCircle: inner\nLast Contact: 2026-11-01\n---\n- 2026-11-10 #call [[Bo]]\n")
    write(vault, "References/Bo.md", '---\ncategories:\n  - "[[People]]"\nBirthday: 1990-04-02\n---\n')
    write(vault, "Notes/Cy.md", "---\ntags: [Person/friend]\ncreated: 2024-01-01\n---\n")
    write(vault, "Notes/Topic.md", "---\ntags: [topic]\ncreated: 2024-01-01\n---\n- 2026-11-12 met [[Ana Souza]]\n")
    write(vault, "Notes/Broken.md", "---\ntitle: [unclosed\n---\ntext\n")
    write(vault, "Meetings/Sync.md", '---\nDate: 2026-11-14 10:00\nattendees: ["[[Bo]]", "[[Cy]]"]\n---\nnotes\n')
    write(vault, "2026-11-15.md", "---\nmood: fine\n---\n- lunch with [[Cy]] #coffee\n")

    def said() -> tuple[object, ...]:
        runner = CliRunner()
        status = json.loads(runner.invoke(main, ["--vault", str(vault), "--today", "2026-11-21", "status", "--json"]).stdout)
        checked = json.loads(runner.invoke(main, ["--vault", str(vault), "--today", "2026-11-21", "check", "--json"]).stdout)
        return status["contacts"], checked["rules"]

    quick = said()
    assert sorted(contact["name"] for contact in quick[0]) == ["Ana Souza", "Bo", "Cy"]
    monkeypatch.setattr(FrontMatterFilter, "matters", lambda self, front, keys=None: True)
    shutil.rmtree(vault / ".vaultnet", ignore_errors=True)  # no cached notes: read again without the shortcut
    assert said() == quick
