import json
from itertools import combinations

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vaultnet.advice.intros import (
    Introduction,
    PhraseMemo,
    involving,
    iter_suggestions,
    phrases_match,
    singular,
    suggest,
    words,
)
from vaultnet.cli.main import main
from vaultnet.files.config import load_config
from vaultnet.pipeline.session import build_network

from conftest import TODAY, examples, write


@pytest.mark.parametrize(
    "need, offer",
    [
        ("product designer", "Product designers for mobile apps"),
        ("a data engineer", "data engineers"),
        ("Fundraising advice!", "fundraising-advice for early-stage founders"),
        ("companies", "company law"),
        ("intro to VCs", "VC intros"),
    ],
)
def test_phrases_match_ignoring_case_punctuation_and_plurals(need, offer):
    assert phrases_match(need, offer)
    assert phrases_match(offer, need)  # the shorter phrase decides, whichever side it is


@pytest.mark.parametrize(
    "need, offer",
    [
        ("product designer", "graphic designer"),
        ("senior backend engineers", "backend"),  # the shorter one is contained: matches
    ],
)
def test_shorter_phrase_words_must_all_appear(need, offer):
    assert phrases_match(need, offer) is (set(words(offer)) <= set(words(need)) or set(words(need)) <= set(words(offer)))


def test_no_match_when_a_word_is_missing():
    assert not phrases_match("product designer", "graphic designers")
    assert not phrases_match("", "anything")


def test_singular():
    assert [singular(w) for w in ("designers", "companies", "classes", "bus", "analysis", "ideas")] == [
        "designer", "company", "class", "bus", "analysis", "idea"]


def vault_with(vault, **notes):
    for name, front in notes.items():
        write(vault, f"People/{name}.md", f"---\n{front}\n---\n")


def test_needs_offers_pair_with_reason(vault, load):
    vault_with(vault, Kwame="needs: [a product designer]", Mei="offers: [Product Designers]", Other="offers: [tax advice]")
    (intro,) = suggest(load())
    assert intro.names == ("Kwame", "Mei")
    assert intro.reasons == ["Kwame needs a product designer; Mei offers Product Designers"]
    assert intro.kind == "needs-offers"


def test_each_pair_once_with_both_directions_as_reasons(vault, load):
    vault_with(vault, A="needs: [design]\noffers: [law]", B="needs: [laws]\noffers: [design]")
    (intro,) = suggest(load())
    assert intro.reasons == ["A needs design; B offers design", "B needs laws; A offers law"]
    assert intro.matches == 2


@pytest.mark.parametrize(
    "where, line",
    [
        ("People/A.md", "- 2026-10-01 #coffee with [[B]]"),  # a past interaction together
        ("Daily/2026-12-01.md", "- lunch with [[A]] and [[B]]"),  # a planned one counts too
        ("Projects/X.md", "- [ ] #intro [[A]] to [[B]]"),  # an #intro line, even an open task
    ],
)
def test_already_acquainted_pairs_are_excluded(vault, load, where, line):
    vault_with(vault, A="needs: [design]", B="offers: [design]")
    assert len(suggest(load())) == 1
    write(vault, where, line + "\n")
    assert suggest(load()) == []


def test_introduced_by_means_they_know_each_other(vault, load):
    vault_with(vault, A='needs: [design]\nintroduced_by: "[[B]]"', B="offers: [design]")
    assert suggest(load()) == []


def test_open_intro_items_in_the_generated_plan_do_not_exclude(vault, load):
    vault_with(vault, A="needs: [design]", B="offers: [design]")
    write(vault, "vaultnet/Plans/2026-W47.md", "- [ ] [[A]] and [[B]] — x #intro ^vn-1\n")
    assert len(suggest(load())) == 1
    write(vault, "vaultnet/Plans/2026-W47.md", "- [x] [[A]] and [[B]] — x #intro ✅ 2026-11-20 ^vn-1\n")
    assert suggest(load()) == []


def test_vouchable_pairs_first_then_interests(vault, load):
    # C and D are strong ties; A and B are strangers (no interactions).
    vault_with(vault, A="needs: [design]", B="offers: [design]",
               C="needs: [law]", D="offers: [law]",
               E="interests: [Bouldering]\ncompany: X", F="interests: [bouldering]\ncompany: Y")
    for name in ("C", "D"):
        write(vault, f"People/{name}.md", (vault / f"People/{name}.md").read_text() +
              "".join(f"- 2026-11-{day:02d} #call\n" for day in range(1, 6)))
    order = [intro.names for intro in suggest(load())]
    assert order == [("C", "D"), ("A", "B"), ("E", "F")]
    assert suggest(load())[2].reasons == ["both are into Bouldering (at different companies)"]


def test_shared_interest_at_the_same_company_is_no_reason(vault, load):
    vault_with(vault, E="interests: [chess]\ncompany: Acme", F="interests: [Chess]\ncompany: acme")
    assert suggest(load()) == []


def test_paused_and_snoozed_are_never_suggested(vault, load):
    vault_with(vault, A="needs: [design]\npaused: true", B="offers: [design]", C="needs: [design]\nsnooze_until: 2027-01-01")
    assert suggest(load()) == []


def test_ties_in_score_break_by_name(vault, load):
    vault_with(vault, Zed="needs: [design]", Amy="needs: [design]", Bea="offers: [design]")
    assert [intro.names for intro in suggest(load())] == [("Amy", "Bea"), ("Bea", "Zed")]


# The plain all-pairs algorithm that the bounded one must agree with.
def all_pairs(network):
    people = [s for s in network.standings if s.status not in ("paused", "snoozed")]
    met = set()
    for group in [item.people for item in network.evidence.interactions] + list(network.evidence.intro_lines):
        for a, b in combinations(sorted(set(group)), 2):
            met.add(frozenset((a, b)))
    pairs = {}
    for index, standing in enumerate(people):
        for need in standing.contact.needs:
            for other, person in enumerate(people):
                for offer in person.contact.offers:
                    if other != index and phrases_match(need, offer):
                        key = (min(index, other), max(index, other))
                        pairs.setdefault(key, ([], []))[0].append(f"{standing.name} needs {need}; {person.name} offers {offer}")
    groups = {}
    for index, standing in enumerate(people):
        for interest in standing.contact.interests:
            groups.setdefault(words(interest), []).append((index, interest))
    for group in groups.values():
        for (a, interest), (b, _) in combinations(group, 2):
            first, second = people[a].contact.fields.get("company"), people[b].contact.fields.get("company")
            if a != b and not (first and second and first.casefold() == second.casefold()):
                shared = pairs.setdefault((min(a, b), max(a, b)), ([], []))[1]
                if interest not in shared:
                    shared.append(interest)
    found = []
    for (a, b), (reasons, shared) in pairs.items():
        if frozenset((people[a].contact.path, people[b].contact.path)) in met:
            continue
        intro = Introduction(people[a], people[b], reasons, len(reasons), shared)
        if shared:
            intro.reasons.append(f"both are into {', '.join(shared)} (at different companies)")
        found.append(intro)
    return sorted(found, key=Introduction.sort_key)


def described(intros):
    return [(i.names, i.reasons, i.score, i.kind, i.vouch) for i in intros]


PHRASES = ["design", "designers", "product design", "law", "tax law", "a mentor", "mentors", "chess", "data"]
person = st.fixed_dictionaries({
    "needs": st.lists(st.sampled_from(PHRASES), max_size=3),
    "offers": st.lists(st.sampled_from(PHRASES), max_size=3),
    "interests": st.lists(st.sampled_from(PHRASES), max_size=2),
    "company": st.sampled_from(["", "Acme", "acme", "Beta"]),
    "calls": st.integers(0, 5),
    "met": st.lists(st.integers(0, 7), max_size=2),
    "paused": st.booleans(),
})


@settings(max_examples=examples(25), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=st.lists(person, min_size=2, max_size=8), limit=st.integers(0, 12),
       chosen=st.sets(st.integers(0, 7), max_size=3))
def test_best_n_are_the_top_of_the_full_list(tmp_path_factory, people, limit, chosen):
    vault = tmp_path_factory.mktemp("v")
    (vault / ".obsidian").mkdir()
    for index, p in enumerate(people):
        front = [f"needs: {p['needs']}", f"offers: {p['offers']}", f"interests: {p['interests']}"]
        front += [f"company: {p['company']}"] if p["company"] else []
        front += ["paused: true"] if p["paused"] and index % 3 == 0 else []
        log = [f"- 2026-11-{day + 1:02d} #call" for day in range(p["calls"])]
        log += [f"- 2026-10-01 #coffee with [[P{other}]]" for other in p["met"] if other < len(people)]
        write(vault, f"People/P{index}.md", "---\n" + "\n".join(front) + "\n---\n" + "\n".join(log) + "\n")
    network = build_network(load_config(vault), TODAY)
    full = all_pairs(network)
    assert described(suggest(network)) == described(full)
    assert described(list(iter_suggestions(network))) == described(full)
    assert described(suggest(network, limit=limit)) == described(full[:limit])
    for standing in network.standings:
        theirs = [i for i in full if standing in (i.first, i.second)]
        assert described(involving(network, standing)) == described(theirs)
    # Pairs with a favoured person (one leading to a goal) first, the order kept within each group.
    favoured = {f"People/P{index}.md" for index in chosen}
    touching = lambda i: i.first.contact.path in favoured or i.second.contact.path in favoured  # noqa: E731
    expected = [i for i in full if touching(i)] + [i for i in full if not touching(i)]
    assert described(suggest(network, limit=limit, favoured=favoured)) == described(expected[:limit])
    assert described(iter_suggestions(network, favoured)) == described(expected)


def test_phrases_kept_from_the_last_plan_are_worked_out_again_when_a_phrase_changes(vault):
    """The same people with other needs, offers, interests or company: no pair from the old phrases."""
    def people(needs, interest, company):
        for index in range(6):
            write(vault, f"People/P{index}.md", f"---\nneeds: [{needs[index]}]\noffers: [design]\n"
                  f"interests: [{interest}]\ncompany: {company[index]}\n---\n")
        return build_network(load_config(vault), TODAY)

    memo = PhraseMemo()
    first = people(["design", "law", "law", "law", "law", "law"], "chess", ["A", "B", "C", "D", "E", "F"])
    assert described(suggest(first, limit=3, memo=memo)) == described(all_pairs(first)[:3])
    for needs, interest, company in ((["law", "design", "law", "law", "law", "design"], "chess", list("ABCDEF")),
                                     (["law", "design", "law", "law", "law", "design"], "tax law", list("ABCDEF")),
                                     (["law", "design", "law", "law", "law", "design"], "tax law", list("AACCEE"))):
        again = people(needs, interest, company)
        assert described(suggest(again, limit=3, memo=memo)) == described(all_pairs(again)[:3])


def test_the_best_few_do_not_depend_on_who_is_looked_at_first(vault):
    """The look goes by each person's bound and stops at the first that cannot beat the pairs kept.

    In name order it would stop at P2 (nobody offers chess), after P0's pairs
    and before the best pair, P3 and P4.
    """
    calls = "".join(f"- 2026-11-{day:02d} #call\n" for day in range(1, 12))
    people = {"P0": ("[design]", "[]"), "P1": ("[]", "[design]"), "P2": ("[chess]", "[]"),
              "P3": ("[design, law]", "[]"), "P4": ("[]", "[design, law]")}
    for name, (needs, offers) in people.items():
        write(vault, f"People/{name}.md", f"---\nneeds: {needs}\noffers: {offers}\n---\n" + (calls if name != "P2" else ""))
    network = build_network(load_config(vault), TODAY)
    full = all_pairs(network)
    assert full[0].names == ("P3", "P4") and full[0].vouch
    for limit in (1, 2, 3):
        assert described(suggest(network, limit=limit)) == described(full[:limit])


def test_intros_limit_and_all(vault):
    for index in range(30):
        write(vault, f"People/P{index:02d}.md", "---\nneeds: [design]\noffers: [design]\n---\n")
    runner = CliRunner()
    base = ["--vault", str(vault), "--today", TODAY.isoformat(), "intros"]
    lines = lambda args: [line for line in runner.invoke(main, base + args).output.splitlines() if " + " in line]  # noqa: E731
    assert len(lines([])) == 20
    assert lines(["--limit", "3"]) == lines([])[:3] == ["P00 + P01  (score 2; a weak tie on one side: introduce with care)",
                                                        "P00 + P02  (score 2; a weak tie on one side: introduce with care)",
                                                        "P00 + P03  (score 2; a weak tie on one side: introduce with care)"]
    assert len(lines(["--all"])) == 30 * 29 // 2
    streamed = json.loads(runner.invoke(main, base + ["--all", "--json"]).output)
    assert len(streamed["introductions"]) == 435
    assert streamed["introductions"][:20] == json.loads(runner.invoke(main, base + ["--json"]).output)["introductions"]


EDITS = st.tuples(st.integers(0, 5), st.sampled_from(["call", "calls", "meet", "needs", "pause", "intro"]), st.integers(0, 5))


@settings(max_examples=examples(15), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=st.lists(EDITS, min_size=1, max_size=6), limit=st.integers(1, 6))
def test_the_best_few_kept_by_a_long_lived_session_are_the_ones_worked_out_afresh(tmp_path_factory, edits, limit):
    """A watcher's plan reuses the last best few while nothing they depend on changed; after any
    edit they are the pairs a fresh look finds, and carry the standings as they are now."""
    from vaultnet.pipeline.session import Session

    vault = tmp_path_factory.mktemp("v")
    (vault / ".obsidian").mkdir()
    bodies = {index: "" for index in range(6)}
    fronts = {index: f"needs: [{PHRASES[index % 3]}]\noffers: [{PHRASES[(index + 1) % 3]}]\ninterests: [chess]"
              for index in range(6)}

    def save(index):
        write(vault, f"People/P{index}.md", f"---\n{fronts[index]}\n---\n{bodies[index]}")

    for index in range(6):
        save(index)
    session = Session(load_config(vault), remember=True)
    memo = PhraseMemo()
    network = session.network(TODAY)
    assert described(suggest(network, limit=limit, memo=memo)) == described(suggest(network, limit=limit))
    for index, edit, other in edits:
        if edit == "call":
            bodies[index] += "- 2026-11-02 #call\n"
        elif edit == "calls":  # a stronger tie: you can vouch for them now
            bodies[index] += "".join(f"- 2026-11-{day:02d} #call\n" for day in range(3, 14))
        elif edit == "meet":
            bodies[index] += f"- 2026-10-01 #coffee with [[P{other}]]\n"
        elif edit == "intro":
            bodies[index] += f"- 2026-10-02 introduced [[P{index}]] and [[P{other}]] #intro\n"
        elif edit == "needs":
            fronts[index] = fronts[index].replace("needs: [", f"needs: [{PHRASES[other]}, ", 1)
        else:
            fronts[index] += "\npaused: true" if "paused" not in fronts[index] else ""
        save(index)
        session.refresh([f"People/P{index}.md"])
        network = session.network(TODAY)
        kept = suggest(network, limit=limit, memo=memo)
        assert described(kept) == described(suggest(network, limit=limit))
        standings = {id(standing) for standing in network.standings}
        assert all(id(intro.first) in standings and id(intro.second) in standings for intro in kept)


CALLS = "".join(f"- 2026-11-{day:02d} #call\n" for day in range(3, 14))


@pytest.mark.parametrize("edits, before, after", [
    ([("P0", "- 2026-10-01 #coffee with [[P1]]\n")], [("P0", "P1")], [("P0", "P2")]),  # they met: no pair
    ([("P0", "- 2026-10-02 introduced [[P0]] and [[P1]] #intro\n")], [("P0", "P1")], [("P0", "P2")]),
    ([("P2", CALLS), ("P3", CALLS)], [("P0", "P1")], [("P2", "P3")]),  # you can vouch for both now
])
def test_the_best_few_kept_are_worked_out_again_when_who_met_or_vouching_changes(vault, edits, before, after):
    from vaultnet.pipeline.session import Session

    fronts = {"P0": "needs: [design]", "P1": "offers: [design]", "P2": "offers: [design]", "P3": "needs: [design]"}
    for name, front in fronts.items():
        write(vault, f"People/{name}.md", f"---\n{front}\n---\n")
    session, memo = Session(load_config(vault), remember=True), PhraseMemo()
    assert [i.names for i in suggest(session.network(TODAY), limit=1, memo=memo)] == before
    for name, line in edits:
        write(vault, f"People/{name}.md", f"---\n{fronts[name]}\n---\n{line}")
        session.refresh([f"People/{name}.md"])
        assert described(suggest(session.network(TODAY), limit=1, memo=memo)) == \
            described(suggest(session.network(TODAY), limit=1))
    assert [i.names for i in suggest(session.network(TODAY), limit=1, memo=memo)] == after
