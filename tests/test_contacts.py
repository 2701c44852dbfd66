"""Contact notes: which notes are people and what their front matter says (spec section 3)."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from vaultnet.base.dates import Birthday, Cadence
from vaultnet.evidence.contacts import Contact, Directory

from conftest import standing, write

D = dt.date


def names(network):
    return [s.name for s in network.standings]


def problems_for(network, path):
    return [p for p in network.problems if p.path == path]


# --- which notes are contacts -------------------------------------------------


def test_notes_in_people_folder_and_its_subfolders_are_contacts(vault, load):
    write(vault, "People/Ana.md", "Met at a meetup.\n")
    write(vault, "People/Work/Bob.md", "---\ncompany: Acme\n---\n")
    write(vault, "People/Work/Deep/Carl.md", "")
    write(vault, "Notes/Dora.md", "Not a person note.\n")
    write(vault, "Peoplex/Eve.md", "A folder that only starts like People/.\n")
    network = load()
    assert names(network) == ["Ana", "Bob", "Carl"]
    assert standing(network, "Bob").contact.path == "People/Work/Bob.md"
    assert standing(network, "Carl").contact.path == "People/Work/Deep/Carl.md"


def test_configured_people_folders_replace_the_default(vault, load):
    write(vault, "vaultnet.toml", 'people = ["Contacts", "Team/Members"]\n')
    write(vault, "Contacts/Ana.md", "")
    write(vault, "Team/Members/Bob.md", "")
    write(vault, "Team/Carl.md", "")
    write(vault, "People/Dora.md", "")
    assert names(load()) == ["Ana", "Bob"]


@pytest.mark.parametrize(
    "front",
    [
        "tags: [person]",
        "tags:\n  - project\n  - person",
        "tags: [person/work]",
        "tags: person/work",
        "tags: project person",
        'tags: "#person"',
        'tags: ["#person/family"]',
        "tags: [Person]",
        "type: person",
        "type: Person",
        'type: "[[person]]"',
    ],
)
def test_tag_or_type_makes_a_note_outside_people_a_contact(vault, load, front):
    write(vault, "Notes/Ana.md", f"---\n{front}\n---\nHello\n")
    assert names(load()) == ["Ana"]


@pytest.mark.parametrize(
    "front",
    [
        "tags: [personal]",
        "tags: personal",
        "tags: [people, persons]",
        "tags: [work/person]",
        "type: personal",
        "type: project",
        "person: true",
    ],
)
def test_similar_tags_and_types_do_not_make_a_contact(vault, load, front):
    write(vault, "Notes/Ana.md", f"---\n{front}\n---\nHello\n")
    assert names(load()) == []


def test_configured_person_tags_and_type(vault, load):
    write(vault, "vaultnet.toml", 'person_tags = ["#contact"]\nperson_type = "human"\n')
    write(vault, "Notes/Ana.md", "---\ntags: [contact/friend]\n---\n")
    write(vault, "Notes/Bob.md", "---\ntype: human\n---\n")
    write(vault, "Notes/Carl.md", "---\ntags: [person]\ntype: person\n---\n")
    assert names(load()) == ["Ana", "Bob"]


# --- names and aliases -----------------------------------------------------


def test_name_is_the_file_base_name_nfc_normalised(vault, load):
    decomposed = unicodedata.normalize("NFD", "Zoë Martin")
    assert decomposed != "Zoë Martin"
    write(vault, f"People/{decomposed}.md", "---\ncircle: inner\n---\n")
    write(vault, "2026-11-10.md", "- coffee with [[Zoë Martin]]\n")  # the link is NFC
    network = load()
    (zoe,) = network.standings
    assert zoe.name == "Zoë Martin"
    assert unicodedata.is_normalized("NFC", zoe.name)
    assert zoe.last_contact == D(2026, 11, 10)


def test_name_ignores_the_title_property(vault, load):
    write(vault, "People/ana-souza.md", "---\ntitle: Ana Souza\n---\n")
    assert names(load()) == ["ana-souza"]


@pytest.mark.parametrize(
    "front, expected",
    [
        ("aliases: [Annie, A. Souza]", ("Annie", "A. Souza")),
        ("aliases:\n  - Annie\n  - A. Souza", ("Annie", "A. Souza")),
        ("aliases: Annie", ("Annie",)),
        ("alias: Annie", ()),
        ("aliases: []", ()),
    ],
)
def test_aliases_list_or_single_string(vault, load, front, expected):
    write(vault, "People/Ana.md", f"---\n{front}\n---\n")
    ana = standing(load(), "Ana")
    assert ana.contact.aliases == expected
    assert ana.contact.names == ("Ana", *expected)


def test_alias_is_nfc_normalised_and_resolves_links(vault, load):
    alias = unicodedata.normalize("NFD", "Zoë")
    write(vault, "People/Zoe Martin.md", f"---\naliases: [{alias}]\ncircle: inner\n---\n")
    write(vault, "2026-11-10.md", "- lunch with [[ZOË]]\n")
    (zoe,) = load().standings
    assert zoe.contact.aliases == ("Zoë",)
    assert zoe.last_contact == D(2026, 11, 10)


# --- circle and cadence -------------------------------------------------------


@pytest.mark.parametrize(
    "circle, expected, days",
    [("inner", "inner", 14), ("Inner", "inner", 14), ("CLOSE", "close", 30),
     ("network", "network", 90), ("acquaintance", "acquaintance", 365)],
)
def test_circle_matches_case_insensitively_and_gives_cadence(vault, load, circle, expected, days):
    write(vault, "People/Ana.md", f"---\ncircle: {circle}\n---\n")
    ana = standing(load(), "Ana")
    assert ana.contact.circle == expected
    assert ana.cadence_days == days
    assert ana.status == "never"
    assert load().problems == []


def test_unknown_circle_is_a_problem_on_the_key_line(vault, load):
    write(vault, "People/Ana.md", "---\ncompany: Acme\ncircle: innner\n---\n")
    network = load()
    ana = standing(network, "Ana")
    assert ana.contact.circle is None
    assert ana.status == "untracked"
    (problem,) = network.problems
    assert (problem.path, problem.line) == ("People/Ana.md", 3)
    assert "circle" in problem.message and "innner" in problem.message
    assert "inner" in problem.message.replace("innner", "")  # lists the known circles
    assert str(problem).startswith("People/Ana.md:3: ")


def test_configured_circles(vault, load):
    write(vault, "vaultnet.toml", '[circles]\nfamily = "weekly"\nfriends = "2mo"\n')
    write(vault, "People/Ana.md", "---\ncircle: Family\n---\n")
    write(vault, "People/Bob.md", "---\ncircle: friends\n---\n")
    write(vault, "People/Carl.md", "---\ncircle: inner\n---\n")
    network = load()
    assert standing(network, "Ana").cadence_days == 7
    assert standing(network, "Bob").contact.cadence == Cadence(2, "months")
    assert standing(network, "Bob").cadence_days == 60
    assert standing(network, "Carl").contact.circle is None
    assert [p.path for p in network.problems] == ["People/Carl.md"]


@pytest.mark.parametrize(
    "cadence, expected, days",
    [
        ("10", Cadence(10, "days"), 10),
        ("14 days", Cadence(14, "days"), 14),
        ("2 weeks", Cadence(14, "days"), 14),
        ("3 months", Cadence(3, "months"), 90),
        ("1 year", Cadence(12, "months"), 365),
        ("10d", Cadence(10, "days"), 10),
        ("2w", Cadence(14, "days"), 14),
        ("3mo", Cadence(3, "months"), 90),
        ("1y", Cadence(12, "months"), 365),
        ("weekly", Cadence(7, "days"), 7),
        ("biweekly", Cadence(14, "days"), 14),
        ("fortnightly", Cadence(14, "days"), 14),
        ("monthly", Cadence(1, "months"), 30),
        ("quarterly", Cadence(3, "months"), 90),
        ("yearly", Cadence(12, "months"), 365),
    ],
)
def test_cadence_forms_override_the_circle(vault, load, cadence, expected, days):
    write(vault, "People/Ana.md", f"---\ncircle: inner\ncadence: {cadence}\n---\n")
    network = load()
    ana = standing(network, "Ana")
    assert ana.contact.cadence == expected
    assert ana.cadence_days == days
    assert ana.contact.circle == "inner"  # the circle still counts (weight), only the cadence changes
    assert network.problems == []


def test_cadence_without_circle_is_tracked(vault, load):
    write(vault, "People/Ana.md", "---\ncadence: 3mo\n---\n")
    ana = standing(load(), "Ana")
    assert ana.contact.circle is None
    assert ana.contact.tracked
    assert ana.status == "never"


def test_ambiguous_cadence_2m_is_refused_suggesting_2mo(vault, load):
    write(vault, "People/Ana.md", "---\nname: Ana\ncadence: 2m\n---\n")
    network = load()
    ana = standing(network, "Ana")
    assert ana.contact.cadence is None
    assert ana.status == "untracked"
    (problem,) = network.problems
    assert (problem.path, problem.line) == ("People/Ana.md", 3)
    assert "2mo" in problem.message
    assert "cadence" in problem.message


def test_bad_cadence_falls_back_to_the_circle(vault, load):
    write(vault, "People/Ana.md", "---\ncircle: close\ncadence: sometimes\n---\n")
    network = load()
    ana = standing(network, "Ana")
    assert ana.cadence_days == 30
    assert [(p.path, p.line) for p in network.problems] == [("People/Ana.md", 3)]


@pytest.mark.parametrize("cadence", ["0", "-5", "0 days", "true"])
def test_non_positive_or_boolean_cadence_is_a_problem(vault, load, cadence):
    write(vault, "People/Ana.md", f"---\ncadence: {cadence}\n---\n")
    network = load()
    assert standing(network, "Ana").status == "untracked"
    assert [(p.path, p.line) for p in network.problems] == [("People/Ana.md", 2)]


def test_no_circle_and_no_cadence_is_untracked(vault, load):
    write(vault, "People/Ana.md", "---\nlast_contact: 2020-01-01\n---\n")
    network = load()
    ana = standing(network, "Ana")
    assert ana.status == "untracked"
    assert not ana.contact.tracked
    assert ana.cadence_days is None and ana.due is None
    assert network.problems == []


# --- dates ------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    ["2026-11-02", "'2026-11-02'", '"[[2026-11-02]]"', "[[2026-11-02]]", "2026-11-02T10:30",
     '"[[2026-11-02|Monday]]"'],
)
def test_last_contact_date_forms(vault, load, written):
    write(vault, "People/Ana.md", f"---\ncircle: inner\nlast_contact: {written}\n---\n")
    network = load()
    ana = standing(network, "Ana")
    assert network.problems == []
    assert ana.contact.last_contact == D(2026, 11, 2)
    assert ana.last_contact == D(2026, 11, 2)
    assert ana.due == D(2026, 11, 16)


@pytest.mark.parametrize("written", ["yesterday", "2026-13-01", "2026-02-30", "[[Monday]]", "20261102"])
def test_bad_last_contact_is_a_problem_on_its_line(vault, load, written):
    write(vault, "People/Ana.md", f"---\ncircle: inner\n\nlast_contact: {written}\n---\n")
    network = load()
    ana = standing(network, "Ana")
    assert ana.contact.last_contact is None
    assert ana.status == "never"
    (problem,) = network.problems
    assert (problem.path, problem.line) == ("People/Ana.md", 4)
    assert "last_contact" in problem.message


@pytest.mark.parametrize("written", ["2026-11-25", '"[[2026-11-25]]"', "[[2026-11-25]]"])
def test_snooze_until_date_forms(vault, load, written):
    write(vault, "People/Ana.md", f"---\ncircle: inner\nsnooze_until: {written}\n---\n")
    ana = standing(load(), "Ana")
    assert ana.contact.snooze_until == D(2026, 11, 25)
    assert ana.status == "snoozed"


def test_bad_snooze_until_is_a_problem(vault, load):
    write(vault, "People/Ana.md", "---\ncircle: inner\nsnooze_until: soon\n---\n")
    network = load()
    assert standing(network, "Ana").status == "never"
    assert [(p.path, p.line) for p in network.problems] == [("People/Ana.md", 3)]
    assert "snooze_until" in network.problems[0].message


# --- paused -----------------------------------------------------------------


@pytest.mark.parametrize(
    "written, paused",
    [("true", True), ("True", True), ("yes", True), ('"yes"', True), ('"true"', True),
     ("false", False), ("no", False), ('"no"', False), ('""', False), ("", False)],
)
def test_paused_values(vault, load, written, paused):
    write(vault, "People/Ana.md", f"---\ncircle: inner\npaused: {written}\n---\n")
    network = load()
    ana = standing(network, "Ana")
    assert ana.contact.paused is paused
    assert ana.status == ("paused" if paused else "never")
    assert network.problems == []


@pytest.mark.parametrize("written", ["maybe", "1", "[true]"])
def test_bad_paused_is_a_problem_and_not_paused(vault, load, written):
    write(vault, "People/Ana.md", f"---\ncircle: inner\npaused: {written}\n---\n")
    network = load()
    assert standing(network, "Ana").status == "never"
    (problem,) = network.problems
    assert (problem.path, problem.line) == ("People/Ana.md", 3)
    assert "paused" in problem.message


# --- birthday ---------------------------------------------------------------


@pytest.mark.parametrize(
    "written, expected",
    [
        ("1990-03-15", Birthday(3, 15, 1990)),
        ('"[[1990-03-15]]"', Birthday(3, 15, 1990)),
        ("03-15", Birthday(3, 15)),
        ("3-15", Birthday(3, 15)),
        ("--03-15", Birthday(3, 15)),
        ('"--03-15"', Birthday(3, 15)),
        ("--02-29", Birthday(2, 29)),
        ("2000-02-29", Birthday(2, 29, 2000)),
    ],
)
def test_birthday_forms(vault, load, written, expected):
    write(vault, "People/Ana.md", f"---\nbirthday: {written}\n---\n")
    network = load()
    assert network.problems == []
    assert standing(network, "Ana").contact.birthday == expected


@pytest.mark.parametrize("written", ["02-30", "13-01", "1990-02-30", "1999-02-29", "Marsh 15", "15/03"])
def test_bad_birthday_is_a_problem(vault, load, written):
    write(vault, "People/Ana.md", f"---\nbirthday: {written}\n---\n")
    network = load()
    ana = standing(network, "Ana")
    assert ana.contact.birthday is None
    assert ana.next_birthday is None
    (problem,) = network.problems
    assert (problem.path, problem.line) == ("People/Ana.md", 2)
    assert "birthday" in problem.message


# --- other fields -------------------------------------------------------------


@pytest.mark.parametrize("written", ['"[[Bob Lee]]"', "[[Bob Lee]]", "Bob Lee", '"[[Bob Lee|Bob]]"',
                                     '"[[People/Bob Lee]]"'])
def test_introduced_by_is_a_link(vault, load, written):
    write(vault, "People/Ana.md", f"---\nintroduced_by: {written}\n---\n")
    write(vault, "People/Bob Lee.md", "")
    network = load()
    ana = standing(network, "Ana")
    assert ana.contact.introduced_by in ("Bob Lee", "People/Bob Lee")
    assert network.directory.resolve(ana.contact.introduced_by).path == "People/Bob Lee.md"
    # the introducer is part of both contacts' embeddedness
    assert ana.neighbours == ("People/Bob Lee.md",)
    assert standing(network, "Bob Lee").neighbours == ("People/Ana.md",)


def test_text_and_list_fields(vault, load):
    write(
        vault,
        "People/Ana.md",
        """\
        ---
        company: Northwind
        role: Designer
        industry: healthcare
        location: Lisbon
        email: ana@example.com
        phone: "+351 123"
        linkedin: https://linkedin.com/in/ana
        met: 2024 design meetup
        offers:
          - product design reviews
          - [[Hiring]]
        needs: a data engineer
        interests: [climbing, jazz]
        goals: []
        hobby: chess
        ---
        """,
    )
    ana = standing(load(), "Ana").contact
    assert ana.fields == {
        "company": "Northwind",
        "role": "Designer",
        "industry": "healthcare",
        "location": "Lisbon",
        "email": "ana@example.com",
        "phone": "+351 123",
        "linkedin": "https://linkedin.com/in/ana",
        "met": "2024 design meetup",
    }
    assert ana.offers == ("product design reviews", "Hiring")
    assert ana.needs == ("a data engineer",)
    assert ana.interests == ("climbing", "jazz")
    assert ana.goals == ()


def test_fields_renaming(vault, load):
    write(vault, "vaultnet.toml", '[fields]\ncadence = "prm-cadence"\nlast_contact = "last-seen"\n')
    write(vault, "People/Ana.md", "---\ncadence: 1 year\nprm-cadence: 2 weeks\nlast-seen: 2026-11-10\n---\n")
    write(vault, "People/Bob.md", "---\ncadence: 2 weeks\nlast_contact: 2026-11-10\n---\n")
    write(vault, "People/Carl.md", "---\nprm-cadence: 2m\n---\n")
    network = load()
    ana = standing(network, "Ana")
    assert ana.cadence_days == 14
    assert ana.last_contact == D(2026, 11, 10)
    bob = standing(network, "Bob")
    assert bob.status == "untracked"  # the plain key is no longer read
    assert bob.last_contact is None
    (problem,) = network.problems
    assert (problem.path, problem.line) == ("People/Carl.md", 2)
    assert problem.message.startswith("prm-cadence:")
    assert "2mo" in problem.message


def test_fields_renaming_of_tags_and_type(vault, load):
    write(vault, "vaultnet.toml", '[fields]\ntags = "labels"\ntype = "category"\n')
    write(vault, "Notes/Ana.md", "---\nlabels: [person]\n---\n")
    write(vault, "Notes/Bob.md", "---\ncategory: person\n---\n")
    write(vault, "Notes/Carl.md", "---\ntags: [person]\ntype: person\n---\n")
    assert names(load()) == ["Ana", "Bob"]


def test_problems_in_one_contact_do_not_hide_its_other_fields(vault, load):
    write(vault, "People/Ana.md", "---\ncircle: nope\ncadence: 2m\nbirthday: 02-30\ncompany: Acme\nlast_contact: 2026-11-10\n---\n")
    network = load()
    ana = standing(network, "Ana")
    assert ana.contact.fields == {"company": "Acme"}
    assert ana.last_contact == D(2026, 11, 10)
    assert [p.line for p in network.problems] == [2, 3, 4]


# --- duplicates and link resolution --------------------------------------------


def test_duplicate_base_names_are_a_problem_and_bare_links_go_to_the_shortest_path(vault, load):
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n")
    write(vault, "People/Old/Ana.md", "---\ncircle: inner\n---\n")
    write(vault, "2026-11-10.md", "- coffee with [[Ana]]\n- call with [[People/Old/Ana]]\n")
    network = load()
    short = network.by_path("People/Ana.md")
    long = network.by_path("People/Old/Ana.md")
    assert [i.date for i in short.interactions] == [D(2026, 11, 10)]
    assert [i.line for i in short.interactions] == [1]
    assert [i.line for i in long.interactions] == [2]
    (problem,) = network.problems
    assert problem.path == "People/Old/Ana.md"
    assert "People/Ana.md" in problem.message
    assert "shortest" in problem.message


def test_duplicate_names_differing_only_in_case_are_a_problem(vault, load):
    write(vault, "People/ana.md", "")
    write(vault, "Friends/Ana.md", "---\ntags: [person]\n---\n")
    network = load()
    assert len(network.standings) == 2
    assert len(network.problems) == 1


def contact(path, aliases=()):
    return Contact(name=path.rsplit("/", 1)[-1][:-3], path=path, aliases=tuple(aliases))


def test_directory_resolve():
    ana = contact("People/Ana Souza.md", ["Annie"])
    bob = contact("People/Work/Bob.md")
    old_bob = contact("Archive/People/Work/Bob.md")
    zoe = contact("People/Zoë.md")
    directory = Directory([old_bob, ana, bob, zoe])
    assert directory.resolve("Ana Souza") is ana
    assert directory.resolve("ana souza") is ana
    assert directory.resolve("ANA  SOUZA ") is ana
    assert directory.resolve("Ana Souza.md") is ana
    assert directory.resolve("Ana Souza.MD") is ana
    assert directory.resolve("People/Ana Souza") is ana
    assert directory.resolve("people/ana souza.md") is ana
    assert directory.resolve("Annie") is ana
    assert directory.resolve("annie") is ana
    assert directory.resolve(unicodedata.normalize("NFD", "zoë")) is zoe
    assert directory.resolve("Bob") is bob  # the shortest path
    assert directory.resolve("Work/Bob") is bob
    assert directory.resolve("People/Work/Bob") is bob
    assert directory.resolve("Archive/People/Work/Bob") is old_bob
    assert directory.resolve("Archive/People/Work/Bob.md") is old_bob
    assert directory.resolve("../People/Ana Souza") is ana  # relative links
    assert directory.resolve("./Ana Souza") is ana
    assert directory.resolve("/People/Ana Souza") is ana
    assert directory.resolve("Carl") is None
    assert directory.resolve("Ana") is None
    assert directory.resolve("Souza") is None
    assert [group for group in directory.duplicates()] == [[bob, old_bob]]


def test_directory_path_links_must_match_the_path():
    ana = contact("People/Ana.md")
    directory = Directory([ana])
    # as in Obsidian, a link with a folder only opens a note in that folder
    assert directory.resolve("Projects/Ana") is None
    assert directory.resolve("Other/People/Ana") is None
    assert directory.resolve("eople/Ana") is None
    assert directory.resolve("People/Ana") is ana


def test_path_link_to_a_non_contact_note_with_a_contact_s_name_is_no_mention(vault, load):
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n")
    write(vault, "Projects/Ana.md", "A project codenamed Ana.\n")
    write(vault, "2026-11-10.md", "- kickoff of [[Projects/Ana]]\n- [x] ship [[Projects/Ana|Ana]] ✅ 2026-11-11\n")
    ana = standing(load(), "Ana")
    assert ana.interactions == []
    assert ana.status == "never"


def test_directory_prefers_a_name_over_an_alias():
    ana = contact("People/Ana.md")
    other = contact("People/Anabel.md", ["Ana"])
    directory = Directory([other, ana])
    assert directory.resolve("Ana") is ana
    assert directory.resolve("Anabel") is other


def test_links_to_contacts_resolve_in_notes(vault, load):
    write(vault, "People/Ana Souza.md", "---\naliases: [Annie]\ncircle: inner\n---\n")
    write(vault, "2026-11-02.md", "- [[ana souza]]\n")
    write(vault, "2026-11-03.md", "- [[Annie]]\n")
    write(vault, "2026-11-04.md", "- [[People/Ana Souza|Ana]]\n")
    write(vault, "2026-11-05.md", "- [[Ana Souza.md]]\n")
    write(vault, "2026-11-06.md", "- [[Ana]]\n")  # neither name nor alias
    ana = standing(load(), "Ana Souza")
    assert [i.date.day for i in ana.interactions] == [5, 4, 3, 2]


def test_yaml_1_1_surprises_do_not_change_text_fields(vault, load):
    write(vault, "People/Ana.md", "---\nphone: 0612345670\ncompany: no\n---\n")
    assert standing(load(), "Ana").contact.fields == {"phone": "0612345670", "company": "no"}
