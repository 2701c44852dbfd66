import pytest

from vaultnet.intros import phrases_match, singular, suggest, words

from conftest import write


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
