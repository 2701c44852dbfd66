from vaultnet.advice.reconnect import candidates, recent_industries

from conftest import TODAY, write


def person(vault, name, front="", log=""):
    write(vault, f"People/{name}.md", f"---\n{front}\n---\n{log}")


def names(found):
    return [c.standing.name for c in found]


def test_weak_and_dormant_with_some_shared_connections(vault, load):
    person(vault, "Hub", "industry: software", "- 2026-11-01 #call\n")
    person(vault, "Weak", "industry: law", "- 2025-12-01 met [[Hub]]\n")  # weak, 1 shared
    person(vault, "Dormant", "industry: art", "- 2023-01-01 with [[Hub]]\n")  # dormant, 1 shared
    person(vault, "Stranger", "industry: law", "- 2025-12-01 alone\n")  # weak, 0 shared
    person(vault, "None", "industry: law\nintroduced_by: '[[Hub]]'")  # no interactions
    assert sorted(names(candidates(load(), TODAY))) == ["Dormant", "Weak"]


def test_embeddedness_limits(vault, load):
    for i in range(6):
        person(vault, f"F{i}")
    links = " ".join(f"[[F{i}]]" for i in range(6))
    person(vault, "Six", "", f"- 2025-12-01 party with {links}\n")  # 6 shared: inner cluster
    person(vault, "Five", "", "- 2025-12-01 with [[F0]] [[F1]] [[F2]] [[F3]] [[F4]]\n")
    found = names(candidates(load(), TODAY))
    assert "Five" in found and "Six" not in found


def test_contact_in_the_last_90_days_excludes(vault, load):
    person(vault, "Hub")
    person(vault, "Day90", "", "- 2026-08-23 with [[Hub]]\n- 2023-01-01 x\n")
    person(vault, "Day91", "", "- 2026-08-22 with [[Hub]]\n- 2023-01-01 x\n")
    network = load()
    assert network.by_path("People/Day90.md").tie.band == "weak"
    assert names(candidates(network, TODAY)) == ["Day91"]


def test_paused_snoozed_and_planned_are_excluded(vault, load):
    person(vault, "Hub", "", "- 2026-11-01 #call\n")
    person(vault, "Paused", "paused: true", "- 2025-06-01 [[Hub]]\n")
    person(vault, "Snoozed", "snooze_until: 2026-12-01", "- 2025-06-01 [[Hub]]\n")
    person(vault, "Planned", "", "- 2025-06-01 [[Hub]]\n")
    assert names(candidates(load(), TODAY)) == ["Planned"]
    assert names(candidates(load(), TODAY, exclude={"Planned"})) == []


def test_new_fields_first_then_weaker_then_name(vault, load):
    person(vault, "Recent", "industry: Software", "- 2026-11-10 #call\n")
    person(vault, "SameField", "industry: software", "- 2025-06-01 [[Recent]]\n")  # weakest, not diverse
    person(vault, "Lawyer", "industry: law", "- 2025-12-01 [[Recent]]\n")
    person(vault, "Artist", "industry: art", "- 2025-12-01 [[Recent]]\n")  # same intensity as Lawyer
    person(vault, "Faded", "industry: art", "- 2025-06-01 [[Recent]]\n")
    found = candidates(load(), TODAY)
    assert names(found) == ["Faded", "Artist", "Lawyer", "SameField"]
    assert [c.new_field for c in found] == [True, True, True, False]


def test_reason_says_when_what_who_and_what_is_new(vault, load):
    person(vault, "Recent", "industry: software", "- 2026-11-10 #call\n")
    person(vault, "Elena", "industry: law", "- 2025-12-01 #coffee talked about [[Recent]]'s startup #gave\n")
    (candidate,) = candidates(load(), TODAY)
    assert candidate.reason() == (
        "last spoke on 2025-12-01 (talked about Recent's startup); you both know Recent; "
        "law is new for you: nobody you talked to in the last 90 days works in it"
    )


def test_an_industry_is_recent_through_the_ninetieth_day(vault, load):
    person(vault, "Day90", "industry: Law", "- 2026-08-23 #call\n")
    person(vault, "Day91", "industry: art", "- 2026-08-22 #call\n")
    assert recent_industries(load(), TODAY) == {"law"}
