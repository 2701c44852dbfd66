"""Places: status --location and plan --in."""

import json

from click.testing import CliRunner

from vaultnet.cli.main import main

from conftest import write


def run(vault, *args):
    result = CliRunner().invoke(main, ["--vault", str(vault), "--today", "2026-11-21", *args])
    assert result.exit_code == 0, result.output
    return result.output


def lisbon(vault):
    write(vault, "People/Ana.md", "---\ncircle: inner\nlocation: Lisboa, Portugal\n---\n- 2026-10-01 #coffee talked about her move\n")
    write(vault, "People/Bo.md", "---\nlocation: LISBOA\n---\n- 2026-11-01 ran into him at the market\n")  # untracked
    write(vault, "People/Cy.md", "---\ncircle: acquaintance\nlocation: Lisbon\n---\n- 2026-11-10 #call quick one\n")
    write(vault, "People/Di.md", "---\ncircle: inner\nlocation: Porto\n---\n")
    write(vault, "People/Ed.md", "---\ncircle: inner\nlocation: Lisboa\npaused: true\n---\n")
    write(vault, "People/Fé.md", "---\ncircle: inner\n---\n")


def test_status_location_ignores_case_and_accents(vault):
    lisbon(vault)
    names = lambda out: [line.split("\t")[0] for line in out.splitlines()[1:]]  # noqa: E731
    assert names(run(vault, "status", "--location", "lisbo")) == ["Ana", "Bo", "Cy", "Ed"]
    assert names(run(vault, "status", "--location", "LÍSBOA")) == ["Ana", "Bo", "Ed"]
    assert names(run(vault, "status", "--location", "porto", "--circle", "inner")) == ["Di"]
    assert names(run(vault, "status", "--location", "nowhere")) == []


def test_plan_in_lists_everyone_there_by_priority_with_the_last_topic(vault):
    lisbon(vault)
    out = run(vault, "plan", "--in", "lisboa", "--week", "2026-W48")
    assert out.splitlines() == [
        "Ana (Lisboa, Portugal) — overdue by 39 days · last time (2026-10-01): talked about her move",
        "Bo (LISBOA) — untracked · last time (2026-11-01): ran into him at the market",
    ]
    data = json.loads(run(vault, "plan", "--in", "lisbo", "--json"))
    assert data["week"] == "2026-W47"
    assert [p["name"] for p in data["people"]] == ["Ana", "Cy", "Bo"]
    assert data["people"][2] == {
        "name": "Bo", "path": "People/Bo.md", "location": "LISBOA", "status": "untracked", "priority": 0.0,
        "last_contact": "2026-11-01", "last_topic": "ran into him at the market",
    }
    assert not (vault / "vaultnet").exists()  # plan --in writes nothing
