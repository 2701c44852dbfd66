"""The vault's evidence, added up from each note's: what it links never changes a note's own."""

from __future__ import annotations

import copy

from hypothesis import given
from hypothesis import strategies as st

from vaultnet.evidence.model import Evidence
from vaultnet.files.config import load_config
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
