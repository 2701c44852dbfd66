"""The vault's evidence, added up from each note's: what it links never changes a note's own."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vaultnet.base.dates import Birthday, Cadence
from vaultnet.evidence.contacts import Contact, Directory
from vaultnet.evidence.interactions import Extractor
from vaultnet.evidence.mentions import Mentions
from vaultnet.evidence.model import Evidence
from vaultnet.evidence.occasions import Occasion
from vaultnet.evidence.relations import Relation
from vaultnet.files.config import Config, load_config
from vaultnet.notes.note import parse_note
from vaultnet.pipeline.session import build_network

from conftest import TODAY, write

PEOPLE = [f"People/{name}.md" for name in "ABCDEF"]

paths = st.sampled_from(PEOPLE)
# One note's links as extraction leaves them: a tuple in path order.
links = st.dictionaries(paths, st.sets(paths, max_size=3).map(lambda found: tuple(sorted(found))), max_size=3)
steps = st.lists(st.one_of(links.map(lambda found: ("note", found)),
                           st.tuples(st.just("link"), paths, st.sets(paths, max_size=2))), max_size=12)


@given(steps)
def test_the_sum_is_every_note_s_links_and_no_note_s_own_changes(steps):
    """A set is borrowed from the one note that links a person (no copy for each of ten thousand) and
    copied when a second note, or the assembly (friends, family), adds to it: a watcher keeps each note's
    evidence from one build to the next, and a set changed under it would be a link nobody wrote."""
    whole = Evidence()
    notes: list[tuple[Evidence, dict[str, set[str]]]] = []
    expected: dict[str, set[str]] = {}
    for step in steps:
        if step[0] == "note":
            note = Evidence(links=step[1])
            notes.append((note, copy.deepcopy(step[1])))
            whole.extend(note)
            for path, linked in step[1].items():
                if linked:
                    expected.setdefault(path, set()).update(linked)
        else:
            _, path, others = step
            whole.link(path, others)
            expected.setdefault(path, set()).update(others)
    assert {path: set(linked) for path, linked in whole.links.items()} == expected
    for note, before in notes:
        assert note.links == before


def test_a_contact_note_keeps_whom_it_links_in_path_order(vault):
    """What the watcher keeps of each contact note: the people it links, once each, in path order; the
    vault's evidence shares that tuple while no other note adds to it."""
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n- 2026-11-01 #call with [[Dev]] and [[Bob]]\n"
                                  "- 2026-11-02 #coffee [[Bob]]\n")
    write(vault, "People/Bob.md", "---\ncircle: close\n---\n")
    write(vault, "People/Dev.md", "---\ncircle: close\n---\n")
    network = build_network(load_config(vault), TODAY)
    assert network.evidence.links["People/Ana.md"] == ("People/Bob.md", "People/Dev.md")
    assert network.by_path("People/Bob.md").neighbours == ("People/Ana.md", "People/Dev.md")


# Another value for each field of a contact: the test below changes one at a time.
OTHER_VALUE = {
    "name": "Anabel", "path": "Friends/Ana.md", "aliases": ("Annie",), "circle": "outer",
    "cadence": Cadence(7, "days"), "last_contact": dt.date(2026, 11, 1), "snooze_until": dt.date(2026, 12, 1),
    "paused": True, "birthday": Birthday(5, 4), "fields": {"company": "Acme"}, "introduced_by": "Bob",
    "offers": ("design",), "needs": ("a lawyer",), "interests": ("cycling",), "goals": ("run",),
    "last_contact_line": 3, "friends": ("Bob",), "ignore_journal": True, "follow_up": dt.date(2026, 11, 30),
    "follow_up_line": 4, "follow_up_text": "send the deck", "relations": (Relation("partner", "Bob"),),
    "occasions": (Occasion("anniversary", Birthday(6, 1)),),
}
# Notes that name Ana every way a note can: a link in a dated note and in a contact's log, her name in plain
# text, a meeting's attendee, a task, an #intro line.
NOTES = {
    "2026-11-13.md": "- lunch with [[Ana]] #coffee\n- [ ] send [[Ana]] the slides 📅 2026-11-20\n"
                     "- met Ana at the market\n- [[Ana]] and [[Bob]] should meet #intro\n",
    "People/Bob.md": "---\ncircle: close\n---\n- 2026-11-02 #call with [[Ana]] about Lyon\n",
    "Meetings/2026-11-05 Standup.md": "---\ndate: 2026-11-05\nattendees: ['[[Ana]]', '[[Bob]]']\n---\nnotes\n",
}


@pytest.mark.parametrize("name", sorted(OTHER_VALUE))
def test_what_a_note_reads_of_other_people_is_all_in_the_directory_s_resolution(tmp_path, name):
    """A note's evidence is reused while ``Directory.resolution`` stays the same: a field of another
    person that changes the evidence must change it too, or the watcher keeps evidence a cold build
    would not find (as it did with ``ignore_journal``)."""
    config = Config(root=tmp_path)
    bob = Contact("Bob", "People/Bob.md")
    ana = Contact("Ana", "People/Ana.md")
    other = dataclasses.replace(ana, **{name: OTHER_VALUE[name]})

    def evidence(contact: Contact) -> tuple[list[object], tuple[object, ...]]:
        directory = Directory([contact, bob])
        extractor = Extractor(config, directory, Mentions([contact, bob], ()))
        found = []
        for rel, text in NOTES.items():
            note, _ = parse_note(rel, text.encode())
            assert note is not None
            found.append(extractor.extract(note, bob if rel == bob.path else None))
        return found, directory.resolution()

    before, resolution = evidence(ana)
    assert any(ana.path in item.people for found, _ in before for item in found.interactions)
    after, changed = evidence(other)
    assert after == before or changed != resolution


def test_every_field_of_a_contact_is_tried():
    assert set(OTHER_VALUE) == {field.name for field in dataclasses.fields(Contact)}
