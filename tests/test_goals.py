import pytest

from vaultnet.advice.goals import Gateway, gateways, helpers_per_goal, rank
from vaultnet.advice.plan import build_plan
from vaultnet.evidence.contacts import Contact
from vaultnet.output.render import index_context

from conftest import TODAY, write


@pytest.mark.parametrize(("goal", "contact"), [
    ("climate tech", Contact("Kim", "K.md", fields={"industry": "Climate"})),
    ("Product Designers", Contact("Kim", "K.md", offers=("a product designer for hire",))),
    ("a product designer", Contact("Kim", "K.md", fields={"role": "Product designers lead"})),
    ("Startups", Contact("Kim", "K.md", interests=("startup",))),
])
def test_goal_matching_ignores_plurals_and_case(goal, contact):
    assert len(gateways(contact, [goal])) == 1


def test_no_match_and_the_reason():
    kim = Contact("Kim", "K.md", fields={"industry": "climate", "company": "Verdant"})
    assert gateways(kim, ["fintech"]) == []
    found = gateways(kim, ["climate tech"])
    assert found == [Gateway("climate tech", "industry", "climate")]
    assert found[0].reason(kim) == "a way towards your goal 'climate tech': works in climate at Verdant"
    assert found[0].reason(kim, named=True) == "a way towards your goal 'climate tech': Kim works in climate at Verdant"


def test_rank_puts_gateways_first_and_keeps_order_otherwise():
    people = [Contact("A", "A.md"), Contact("B", "B.md", fields={"role": "recruiter"}), Contact("C", "C.md")]
    assert [c.name for c, _ in rank(people, lambda c: (c,), ["recruiters"])] == ["B", "A", "C"]
    assert [c.name for c, _ in rank(people, lambda c: (c,), [])] == ["A", "B", "C"]


def reconnectable(vault, name, industry):
    write(vault, f"People/{name}.md", f"---\nindustry: {industry}\ncompany: Co {name}\n---\n- 2025-06-01 #call with [[Hub]]\n")


def test_reconnect_ranks_gateways_first_and_says_why(vault, load):
    write(vault, "People/Hub.md", "---\ncircle: inner\n---\n")
    reconnectable(vault, "Abel", "law")
    reconnectable(vault, "Zed", "climate")
    (vault / "vaultnet.toml").write_text('goals = ["Climate tech"]\n[plan]\nreconnect = 1\n')
    items = build_plan(load(), TODAY).section("reconnect")
    assert [item.people for item in items] == [("Zed",)]
    assert items[0].text.startswith("a way towards your goal 'Climate tech': works in climate at Co Zed; last spoke on 2025-06-01")


def test_introductions_rank_gateways_first(vault, load):
    write(vault, "People/A.md", "---\nneeds: [a lawyer]\n---\n")
    write(vault, "People/B.md", "---\noffers: [lawyers]\n---\n")
    write(vault, "People/C.md", "---\nneeds: [an editor]\n---\n")
    write(vault, "People/D.md", "---\noffers: [editors]\nindustry: climate\n---\n")
    (vault / "vaultnet.toml").write_text('goals = ["climate"]\n')
    items = build_plan(load(), TODAY).section("introduce")
    assert items[0].people == ("C", "D")
    assert items[0].text.startswith("a way towards your goal 'climate': D works in climate; C needs an editor")


def test_index_counts_helpers_per_goal(vault, load):
    write(vault, "People/Near.md", "---\nindustry: climate\n---\n- 2026-11-01 #call hi\n")
    write(vault, "People/Far.md", "---\nindustry: climate\n---\n- 2025-01-01 #call hi\n")
    write(vault, "People/Other.md", "---\nindustry: law\n---\n- 2026-11-01 #call hi\n")
    (vault / "vaultnet.toml").write_text('goals = ["climate tech", "fintech"]\n')
    network = load()
    assert helpers_per_goal(network.standings, network.config.goals, TODAY) == [("climate tech", 1, 2), ("fintech", 0, 0)]
    assert index_context(network)["goals"] == [("climate tech", 1, 2), ("fintech", 0, 0)]


def test_intros_command_lists_goal_reasons_first(vault):
    from click.testing import CliRunner

    from vaultnet.cli.main import main

    write(vault, "People/A.md", "---\nneeds: [a lawyer]\n---\n")
    write(vault, "People/B.md", "---\noffers: [lawyers]\nrole: Recruiters lead\n---\n")
    (vault / "vaultnet.toml").write_text('goals = ["a recruiter"]\n')
    lines = CliRunner().invoke(main, ["--vault", str(vault), "--today", TODAY.isoformat(), "intros"]).stdout.splitlines()
    assert lines[1:] == ["  - a way towards your goal 'a recruiter': B is Recruiters lead",
                         "  - A needs a lawyer; B offers lawyers"]


def test_show_says_which_goal_someone_leads_to(vault):
    import json

    from click.testing import CliRunner

    from vaultnet.cli.main import main

    write(vault, "People/Kim.md", "---\nindustry: climate\ncompany: Verdant\n---\n")
    (vault / "vaultnet.toml").write_text('goals = ["climate tech"]\n')
    run = lambda *args: CliRunner().invoke(main, ["--vault", str(vault), "--today", TODAY.isoformat(), "show", "Kim", *args])  # noqa: E731
    lines = run().stdout.splitlines()
    assert lines[lines.index("Towards your goals:") + 1] == "  a way towards your goal 'climate tech': works in climate at Verdant"
    assert json.loads(run("--json").stdout)["towards_goals"] == ["a way towards your goal 'climate tech': works in climate at Verdant"]
