"""The neighbours worked out per distinct group equal the naive all-pairs result."""

import datetime as dt
from collections import defaultdict

from hypothesis import given
from hypothesis import strategies as st

from vaultnet.evidence.model import Interaction
from vaultnet.standings.neighbours import neighbours, together

TODAY = dt.date(2026, 11, 21)
PEOPLE = [f"People/{name}.md" for name in "ABCDEFG"]


def naive(interactions, links, today):
    """Every pair of every interaction, one insertion at a time (what assembly used to do)."""
    found = defaultdict(set)
    for item in interactions:
        for path in item.people:
            if item.date <= today:
                found[path].update(p for p in item.people if p != path)
    for path, linked in links.items():
        for other in linked:
            found[path].add(other)
            found[other].add(path)
    return {path: frozenset(paths) for path, paths in found.items() if paths}


groups = st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=5, unique=True).map(tuple)
interactions = st.lists(st.builds(
    lambda people, days: Interaction(TODAY + dt.timedelta(days=days), "call", "", "x.md", 1, people),
    groups, st.integers(-30, 30)), max_size=30)
links = st.dictionaries(st.sampled_from(PEOPLE), st.sets(st.sampled_from(PEOPLE), max_size=4), max_size=7).map(
    lambda found: {path: {p for p in linked if p != path} for path, linked in found.items()})


@given(interactions, links)
def test_neighbours_equal_every_pair(items, linked):
    found = neighbours(items, linked, TODAY)
    assert {path: paths for path, paths in found.items() if paths} == {
        path: tuple(sorted(paths)) for path, paths in naive(items, linked, TODAY).items()}  # in path order


def test_a_big_recurring_meeting_is_one_group():
    attendees = tuple(f"People/{n}.md" for n in range(200))
    weekly = [Interaction(TODAY - dt.timedelta(weeks=w), "meeting", "", "m.md", 1, attendees) for w in range(156)]
    found = neighbours(weekly, {}, TODAY)
    assert found[attendees[0]] == tuple(sorted(attendees[1:]))
    assert len(found) == 200
    assert neighbours(weekly, {}, TODAY - dt.timedelta(weeks=200)) == {}  # all after that day: none yet


def naive_met(groups):
    """Everyone each person met, one set union per person per group (what intros used to do)."""
    met = defaultdict(set)
    for people in groups:
        if len(people) > 1:
            for person in set(people):
                met[person] |= set(people)
    return dict(met)


@given(st.lists(groups, max_size=30))
def test_together_equals_every_group_one_by_one(found):
    assert together(found) == naive_met(found)


@given(st.sets(st.integers(0, 5000), max_size=40))
def test_bit_sets_from_positions(positions):
    from vaultnet.advice.intros import _bits

    assert _bits(positions) == sum(1 << p for p in positions)
