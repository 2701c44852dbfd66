"""People, not rows: relationships, dates that matter, life events and gift ideas."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from vaultnet.advice.plan import build_plan
from vaultnet.base.sections import item_key
from vaultnet.cli.main import main
from vaultnet.notes.gifts import gift_lines, is_gift_heading

from conftest import TODAY, standing, write


def run(vault, *args, today="2026-11-21"):
    return CliRunner().invoke(main, ["--vault", str(vault), "--today", today, *args])


def items(vault, section, today="2026-11-21"):
    plan = json.loads(run(vault, "plan", "--json", today=today).stdout)
    return [(i["people"], i["text"]) for i in plan["items"] if i["section"] == section]


# ---------------------------------------------------------------- relationships


def test_ties_hold_both_ways_in_any_spelling(vault, load):
    write(vault, "People/Ana Souza.md", """\
        ---
        Partner: "[[Bob Lee]]"
        kids: ["[[Mia Lee]]", Leo]
        relations:
          - "[[Chloé Dubois]] godmother"
        ---
        """)
    write(vault, "People/Bob Lee.md", "Household:: [[Mia Lee]], [[Gran Lee]]\n")
    for name in ("Mia Lee", "Chloé Dubois", "Gran Lee"):
        write(vault, f"People/{name}.md", "")
    network = load()
    ties = {path: [(r.kind, r.name, r.label) for r in found] for path, found in network.relatives.items()}
    assert ties["People/Ana Souza.md"] == [("partner", "Bob Lee", ""), ("children", "Leo", ""),
                                           ("children", "Mia Lee", ""), ("relations", "Chloé Dubois", "godmother")]
    assert ties["People/Mia Lee.md"] == [("parents", "Ana Souza", ""), ("household", "Bob Lee", ""),
                                         ("household", "Gran Lee", "")]
    assert ties["People/Gran Lee.md"] == [("household", "Bob Lee", ""), ("household", "Mia Lee", "")]
    # related people know each other: embeddedness, and never an introduction
    assert standing(network, "Chloé Dubois").neighbours == ("People/Ana Souza.md",)
    assert standing(network, "Ana Souza").tie.embeddedness == 3


def test_a_couple_is_never_introduced(vault):
    write(vault, "People/Ana.md", "---\ncircle: close\nneeds: [a designer]\npartner: '[[Bob]]'\n---\n")
    write(vault, "People/Bob.md", "---\ncircle: close\noffers: [designers]\n---\n")
    write(vault, "People/Cy.md", "---\ncircle: close\noffers: [designers]\n---\n")
    found = json.loads(run(vault, "intros", "--json").stdout)["introductions"]
    assert [i["people"] for i in found] == [["Ana", "Cy"]]


def test_show_lists_family_with_household_birthdays_and_a_partner_seen_alone(vault):
    write(vault, "People/Ana Souza.md", """\
        ---
        partner: "[[Bob Lee]]"
        children: ["[[Mia Lee]]"]
        siblings: Tom
        ---
        - 2026-11-02 #coffee with Ana
        - 2026-10-01 #call
        - 2026-09-01 #call
        """)
    write(vault, "People/Bob Lee.md", "---\nbirthday: 1979-12-01\n---\n")
    write(vault, "People/Mia Lee.md", "---\nbirthday: 2019-12-03\n---\n")
    text = run(vault, "show", "Ana Souza").stdout
    assert ("Family and relations:\n  partner: Bob Lee · birthday Tue 2026-12-01, turns 47\n"
            "  child: Mia Lee · birthday Thu 2026-12-03, turns 7\n  sibling: Tom\n"
            "  you have seen them 3 times in the last 12 months, never with Bob Lee (partner)\n") in text
    data = json.loads(run(vault, "show", "Mia Lee", "--json").stdout)
    assert data["relationships"] == [{"kind": "parents", "name": "Ana Souza", "path": "People/Ana Souza.md",
                                      "label": "", "next_birthday": None, "died": False}]
    write(vault, "Daily/2026-11-10.md", "- dinner with [[Ana Souza]] and [[Bob Lee]]\n")
    assert "never with" not in run(vault, "show", "Ana Souza").stdout


# ---------------------------------------------------------------- dates that matter


def test_anniversaries_come_back_every_year_a_couple_on_one_line(vault):
    write(vault, "People/Ana Souza.md", "---\ncircle: close\npartner: '[[Bob Lee]]'\nanniversary: 2015-11-20\n"
                                        "dates:\n  name day: 07-26\n  adopted Rex: 2019-12-02\n---\n")
    write(vault, "People/Bob Lee.md", "---\ncircle: close\nAnniversary: 2015-11-20\n---\n")
    assert items(vault, "birthdays") == [(["Ana Souza", "Bob Lee"], "anniversary Fri 2026-11-20 (11 years)")]
    assert items(vault, "coming-up") == [(["Ana Souza"], "adopted Rex Wed 2026-12-02 (7 years)")]
    ics = run(vault, "export", "ics").stdout
    assert ics.count("SUMMARY:Ana Souza and Bob Lee: anniversary") == 1
    assert "SUMMARY:Ana Souza: name day" in ics and "RRULE:FREQ=YEARLY" in ics
    key = item_key("birthdays", "People/Ana Souza.md", "People/Bob Lee.md", "anniversary", dt.date(2026, 11, 20))
    assert json.loads(run(vault, "plan", "--json").stdout)["items"][0]["key"] == key


def test_a_bad_date_is_one_problem(vault):
    write(vault, "People/Ana.md", "---\nanniversary: someday\ndates: {wedding: 2015-02-30}\n---\n")
    result = run(vault, "check")
    assert "People/Ana.md:2: anniversary: not a date: 'someday'" in result.stdout
    assert "People/Ana.md:3: dates: impossible date '2015-02-30'" in result.stdout


def test_a_death_stops_check_ins_and_brings_a_remembrance_and_care_for_the_family(vault):
    write(vault, "People/Chloé Dubois.md", "---\ncircle: inner\nbirthday: 1950-11-18\ndied: 2025-11-19\n"
                                           "children: ['[[Ana Souza]]']\n---\n- 2025-06-01 #call\n")
    write(vault, "People/Ana Souza.md", "---\ncircle: network\n---\n- 2026-10-01 #call\n")
    assert items(vault, "birthdays") == [
        (["Chloé Dubois", "Ana Souza"], "remembering Chloé Dubois, who died Thu 2026-11-19, 1 year ago · "
                                        "a word to those close to them")]
    assert items(vault, "check-in") == []  # neither Chloé, nor a second nudge about Ana
    assert items(vault, "life-events") == []  # a year on, the remembrance says it
    assert items(vault, "life-events", today="2025-11-27") == [
        (["Ana Souza"], "1 week since the loss (2025-11-19: Chloé Dubois died) · ask how they are doing")]
    data = json.loads(run(vault, "show", "Chloé Dubois", "--json").stdout)
    assert data["status"] == "paused" and data["died"] == "2025-11-19"
    assert "SUMMARY:Remembering Chloé Dubois" in run(vault, "export", "ics").stdout


# ---------------------------------------------------------------- life events


def test_life_events_schedule_check_ins_each_saying_why(vault):
    write(vault, "People/Ana.md", "---\ncircle: acquaintance\n---\n- 2026-10-18 #call #moved to Lyon\n")
    write(vault, "People/Bob.md", "---\ncircle: acquaintance\n---\n- 2026-11-14 #loss his father died\n")
    assert items(vault, "life-events") == [
        (["Ana"], "1 month since the move (2026-10-18: to Lyon) · ask how they are settling in"),
        (["Bob"], "1 week since the loss (2026-11-14: his father died) · ask how they are doing"),
    ]
    assert items(vault, "life-events", today="2026-12-06") == []  # after two weeks it goes
    write(vault, "Daily/2026-11-20.md", "- a call with [[Ana]]\n")  # in touch since: done
    assert [people for people, _ in items(vault, "life-events")] == [["Bob"]]
    assert [text.split(" · ")[0] for _, text in items(vault, "life-events", today="2026-12-15")] == [
        "1 month since the loss (2026-11-14: his father died)"]


def test_events_are_configurable_and_a_tick_is_a_check_in(vault):
    write(vault, "vaultnet.toml", '[events]\nmoved = []\n"#divorce" = ["10 days"]\n')
    write(vault, "People/Ana.md", "- 2026-10-18 #moved\n- 2026-11-10 #divorce\n")
    assert items(vault, "life-events") == [(["Ana"], "10 days since the divorce (2026-11-10) · check in")]
    assert run(vault, "build").exit_code == 0
    plan = vault / "vaultnet/Plans/2026-W47.md"
    plan.write_text(plan.read_text().replace("- [ ] [[Ana]] — 10 days", "- [x] [[Ana]] — 10 days"))
    assert run(vault, "build").exit_code == 0
    assert "- [x] [[Ana]] — 10 days since the divorce (2026-11-10) · check in ✅ 2026-11-21 ^vn-life-events-" in plan.read_text()
    assert items(vault, "life-events") == []  # ticked: done
    write(vault, "vaultnet.toml", '[events]\nmoved = ["2 weeks", "a while"]\n')
    assert "events.moved: not a cadence: 'a while'" in run(vault, "plan", "--stdout").output


def test_a_role_change_is_a_new_job_congratulated_at_once_then_asked_about(vault, load):
    from vaultnet.advice.rolechanges import Memory, RoleChange

    write(vault, "People/Ana.md", "---\ncompany: Acme\nrole: Head of Design\n---\n- 2026-09-01 #call\n")
    memory = Memory({}, (RoleChange("People/Ana.md", "role", "Designer", "Head of Design", dt.date(2026, 10, 20)),))
    later = build_plan(load(), TODAY, memory=memory)
    assert [i.text for i in later.section("life-events")] == [
        "1 month since the new job (2026-10-20: now Head of Design) · ask how the new job is going"]
    assert later.section("congratulate") == []  # that was a month ago
    soon = build_plan(load(dt.date(2026, 10, 25)), dt.date(2026, 10, 25), memory=memory)
    assert [i.section for i in soon.items if i.people == ("Ana",)] == ["congratulate"]


# ---------------------------------------------------------------- gift ideas


@pytest.mark.parametrize("heading", ["## Gift ideas", "### 🎁 GIFTS", "## Gaveideer", "## Geschenkideen",
                                     "## Idées cadeaux", "## Ideas de regalo", "## Gift ideas for Christmas"])
def test_gift_headings_in_any_case_and_language(heading):
    assert is_gift_heading(heading.lstrip("# "))
    body = f"intro\n{heading}\n- a kite\n- [x] the scarf\n\n## Log\n- 2026-01-01 #call\n"
    assert [(n, task, text) for n, task, text in gift_lines(body, 5)] == [(7, "", "a kite"), (8, "x", "the scarf")]


def test_gift_ideas_are_never_contact_and_come_back_before_the_date(vault):
    write(vault, "People/Ana.md", """\
        ---
        circle: close
        birthday: 1990-12-01
        ---
        ## Gift ideas
        - 2026-11-01 a sailing book
        - [x] the blue scarf ✅ 2026-11-15
        - [[Mia]]: a kite

        ## Log
        - 2026-06-01 #call
        - 2026-11-03 #gift she loved the Lisbon tiles
        """)
    write(vault, "People/Mia.md", "---\nbirthday: 2019-11-19\n---\n")
    write(vault, "Daily/2026-11-05.md", "- for [[Ana]]: fado tickets #gift\n- lunch with [[Ana]]\n")
    ana = json.loads(run(vault, "show", "Ana", "--json").stdout)
    assert ana["last_contact"] == "2026-11-05"  # not the gift lines of Nov 1, 3 and 15
    assert [i["date"] for i in ana["interactions"]] == ["2026-11-05", "2026-06-01"]
    assert [g["text"] for g in ana["gift_ideas"]] == ["fado tickets", "a sailing book", "she loved the Lisbon tiles"]
    assert items(vault, "coming-up") == [(["Ana"], "birthday Tue 2026-12-01 (turns 36) · gift ideas: fado tickets; "
                                                    "a sailing book; she loved the Lisbon tiles")]
    assert items(vault, "birthdays") == [(["Mia"], "birthday Thu 2026-11-19 (turns 7) · gift ideas: a kite")]
    assert "Gift ideas:\n  a kite  (People/Ana.md:8)\n" in run(vault, "show", "Mia").stdout


def test_gift_lines_survive_the_cache(vault):
    write(vault, "People/Ana.md", "---\nbirthday: 1990-12-01\n---\n## Gift ideas\n- a kite\n")
    cold = run(vault, "show", "Ana", "--json").stdout
    assert run(vault, "build").exit_code == 0
    assert json.loads(run(vault, "show", "Ana", "--json").stdout) == json.loads(cold)
    assert json.loads(cold)["gift_ideas"] == [{"text": "a kite", "path": "People/Ana.md", "line": 5}]


# ---------------------------------------------------------------- under the watcher


def test_the_watcher_keeps_families_dates_and_gifts_as_a_fresh_build_does(vault):
    from test_session import current, fresh, settle, watcher_of

    write(vault, "People/Ana.md", "---\ncircle: inner\nneeds: [designers]\n---\n- 2026-11-01 #call hello\n")
    write(vault, "People/Bob.md", "---\ncircle: close\noffers: [design]\nbirthday: 1980-11-28\n---\n")
    write(vault, "People/Cy.md", "---\ncircle: close\n---\n- 2026-11-02 #coffee\n")
    watcher = watcher_of(vault)
    for rel, text in (
        ("People/Ana.md", "---\ncircle: inner\nneeds: [designers]\npartner: '[[Bob]]'\n---\n- 2026-11-01 #call hello\n"),
        ("People/Bob.md", "---\ncircle: close\noffers: [design]\nbirthday: 1980-11-28\n---\n## Gift ideas\n- a kite\n"),
        ("People/Cy.md", "---\ncircle: close\ndied: 2025-11-20\nsiblings: '[[Ana]]'\n---\n- 2026-11-02 #coffee\n"),
        ("2026-11-14.md", "- [[Ana]] moved house #moved\n- scarf for [[Bob]] #gift\n"),
        ("People/Ana.md", "---\ncircle: inner\nneeds: [designers]\n---\n- 2026-11-01 #call hello\n"),
    ):
        write(vault, rel, text)
        settle(watcher, {str(vault / rel)})
        assert current(watcher) == fresh(vault), rel
