"""Who is a person in a vault vaultnet has never seen: inferred from the vault itself.

Every vault here is invented, in the shape a real vault keeps its people (person templates in
another language, folders no list of words knows, folder notes, people known only by tags or by
the names of dated notes, notes that only look like people), and read with no vaultnet.toml.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from conftest import cli as run
from conftest import contacts_json as contacts
from conftest import write


def checked(vault: Path) -> dict:
    return json.loads(run(vault, "check", "--json").stdout)


def nordic(vault: Path) -> Path:
    """Templates and keys in a language vaultnet has no word for, friends in a folder no word names."""
    write(vault, ".obsidian/templates.json", '{"folder": "Pohjat"}')
    write(vault, "Pohjat/Henkilö.md", "---\nsyntymäpäivä:\ntuttu_vuodesta:\naliases:\n---\n")
    write(vault, "Pohjat/Ystävä.md", '---\nviimeksi nähty: ""\naliases:\n---\n')
    write(vault, "Pohjat/Päivä.md", "---\nsää:\n---\n## Muistiinpanot\n")
    write(vault, "Alueet/Family/Aino Virtanen.md", "---\ntuttu_vuodesta: 1990-01-01\nsyntymäpäivä: 1960-05-02\n---\n")
    write(vault, "Alueet/Family/Eero Virtanen.md", "---\nviimeksi nähty: 2026-10-01\naliases: [Eero]\n---\n")
    write(vault, "Alueet/Family/Liisa Virtanen.md", "---\nviimeksi nähty: 2026-09-01\n---\n")
    write(vault, "Alueet/Ystävyys/Mikko Laine.md", "---\nviimeksi nähty: 2026-08-01\naliases: [Mikko]\n---\n")
    write(vault, "Alueet/Ystävyys/Sanna Koski.md", "---\nviimeksi nähty: 2026-07-01\n---\n")
    write(vault, "Alueet/Ystävyys/Ville Nieminen.md", "---\nsyntymäpäivä: 1985-03-03\ntuttu_vuodesta: 2001-01-01\n---\n")
    write(vault, "Alueet/Ystävyys/Pekka ja Tiina.md", "Lapsia: kaksi\n")
    write(vault, "Alueet/Ystävyys/Olli Salo.md", "Asuu Tampereella.\n")
    write(vault, "Alueet/Lumi/Lumi.md", "## Rokotukset\n- kaikki ajallaan\n")
    write(vault, "Alueet/Lumi/Lumi ruokalista.md", "- puuroa\n")
    write(vault, "Alueet/Ruoka/reseptit.md", "- pullaa\n")
    write(vault, "Päivät/2026-11-02.md", "### Tapaaminen [[Mikko Laine|Mikko]] työpaikasta\n- puhuttiin kesästä\n\n"
                                           "### Lääkäri [[Lumi]]\n- korva kunnossa\n")
    write(vault, "Päivät/2026-11-05.md", "- Lounas Olli Salon kanssa\n- Soitin Ville Nieminen illalla\n")
    return vault


def test_people_by_their_templates_their_folder_and_their_folder_note(vault):
    found = contacts(nordic(vault))
    assert sorted(found) == ["Aino Virtanen", "Eero Virtanen", "Liisa Virtanen", "Lumi", "Mikko Laine",
                             "Olli Salo", "Pekka ja Tiina", "Sanna Koski", "Ville Nieminen"]
    rules = checked(vault)["rules"]["contacts"]
    assert rules == {"folder": 3, "template": 3, "folder of people": 2, "folder note": 1}


def test_a_heading_that_names_someone_is_one_interaction_with_the_lines_under_it(vault):
    found = contacts(nordic(vault))
    assert found["Mikko Laine"]["last_contact"] == "2026-11-02"
    assert found["Lumi"]["last_contact"] == "2026-11-02"
    assert found["Ville Nieminen"]["last_contact"] == "2026-11-05"  # a full name in plain text
    shown = json.loads(run(vault, "show", "Mikko Laine", "--json").stdout)
    (meeting,) = [i for i in shown["interactions"] if i["date"] == "2026-11-02"]
    assert meeting["text"] == "Tapaaminen Mikko työpaikasta" and meeting["line"] == 1


def test_check_names_the_date_property_it_does_not_read_and_the_line_that_maps_it(vault):
    nordic(vault)
    result = run(vault, "check")
    assert "'viimeksi nähty' holds dates on 4 people notes" in result.stderr
    assert 'last_contact = "viimeksi nähty"' in result.stderr
    assert contacts(vault)["Sanna Koski"]["last_contact"] is None
    write(vault, "vaultnet.toml", '[fields]\nlast_contact = "viimeksi nähty"\n')
    assert contacts(vault)["Sanna Koski"]["last_contact"] == "2026-07-01"


def test_init_records_the_reading_and_the_written_config_reads_the_same(vault):
    nordic(vault)
    before = contacts(vault)
    result = run(vault, "init", str(vault))
    assert "made from a person template" in result.stdout
    text = (vault / "vaultnet.toml").read_text(encoding="utf-8")
    settings = tomllib.loads(text)
    assert settings["people"] == ["Alueet/Family", "Alueet/Ystävyys", "Alueet/Lumi/Lumi.md"]
    assert '# last_contact = "viimeksi nähty"' in text
    assert not (vault / "People").exists()
    assert {name: c["last_contact"] for name, c in contacts(vault).items()} == \
        {name: c["last_contact"] for name, c in before.items()}


def test_one_line_corrects_a_person(vault):
    nordic(vault)
    write(vault, "vaultnet.toml", 'not_people = ["Alueet/Lumi", "Pekka ja Tiina"]\n')
    assert "Lumi" not in contacts(vault) and "Pekka ja Tiina" not in contacts(vault)


def test_folders_found_by_name_whose_notes_are_no_people_are_set_aside(vault):
    # A topic folder that happens to be named like a people folder: notes about relationships.
    write(vault, "Relationships/GUIDE.md", "How we talk.\n")
    write(vault, "Relationships/date_night_plan.md", "Pizza.\n")
    write(vault, "Relationships/Communication.md", "Listen more.\n")
    assert contacts(vault) == {}
    assert "Relationships/ is named like a people folder" in run(vault, "check").stderr


def test_people_known_only_by_a_tag_or_by_the_names_of_dated_notes(vault):
    write(vault, "People/Kai Berg.md", "---\ncircle: close\n---\n")
    write(vault, "One-on-ones/2026-11-03 Ada Lovelace.md", "#people/ada-lovelace\n- engines\n")
    write(vault, "One-on-ones/2026-11-17 Ada Lovelace.md", "#people/ada-lovelace\n- more engines\n")
    write(vault, "One-on-ones/2026-10-06 Grace Hopper.md", "- compilers\n")
    write(vault, "One-on-ones/2026-10-20 Grace Hopper.md", "- more compilers\n")
    write(vault, "One-on-ones/2026-11-10 Kai Berg.md", "- the plan\n")  # a person with a note: a meeting with him
    write(vault, "Team/2026-11-04 Weekly Sync.md", "- Kai presented\n")
    write(vault, "Team/2026-11-11 Weekly Sync.md", "- the weekly numbers went up\n")
    found = contacts(vault)
    assert sorted(found) == ["Ada Lovelace", "Grace Hopper", "Kai Berg"]
    assert found["Ada Lovelace"]["path"] == "#people/ada-lovelace" and found["Ada Lovelace"]["last_contact"] == "2026-11-17"
    assert found["Grace Hopper"]["last_contact"] == "2026-10-20"
    assert found["Kai Berg"]["last_contact"] == "2026-11-10"
    assert checked(vault)["rules"]["contacts"] == {"folder": 1, "tag only": 1, "note name": 1}
    # A person with no note has nowhere to log to: said in one line, nothing written.
    result = run(vault, "log", "Ada Lovelace", "coffee")
    assert result.exit_code == 1 and "no note" in result.output
    write(vault, "vaultnet.toml", 'not_people = ["Grace Hopper", "#people/ada-lovelace"]\n')
    assert sorted(contacts(vault)) == ["Kai Berg"]


@pytest.mark.parametrize("tags", ["tags: [people/ada-lovelace]", "tags:\n  - meeting\n  - People/Ada-Lovelace",
                                  'tags: "person/ada-lovelace"'])
def test_a_person_tag_in_the_front_matter_alone_names_someone(vault, tags):
    write(vault, "People/Kai Berg.md", "---\ncircle: close\n---\n")
    write(vault, "One-on-ones/2026-11-03 Ada Lovelace.md", f"---\n{tags}\n---\n")
    found = contacts(vault)
    assert sorted(found) == ["Ada Lovelace", "Kai Berg"] and found["Ada Lovelace"]["last_contact"] == "2026-11-03"


def crm(vault: Path) -> Path:
    """A sales CRM: contacts, companies, deals and interactions in one tree, typed by a prefix and a kind."""
    write(vault, "CRM/Contacts/Jo Park.md", "---\ntype: crm-contact\nlast_contacted: 2026-09-20\n"
                                            "next_follow_up: 2026-10-01\ncompany: \"[[Nimbus]]\"\n---\n")
    write(vault, "CRM/Contacts/Lee Ortiz.md", "---\ntype: crm-contact\nlastContacted: 2026-06-02\n---\n")
    write(vault, "CRM/Companies/Nimbus.md", "---\ntype: crm-company\nindustry: Logistics\n---\n")
    write(vault, "CRM/Deals/Nimbus - Pilot.md", '---\ntype: crm-deal\ncontacts: ["[[Jo Park]]"]\nvalue: 1200\n---\n')
    write(vault, "CRM/Interactions/2026-10-15 Call with Jo Park.md",
          '---\ntype: crm-interaction\nkind: call\ndate: 2026-10-15\ncontacts: ["[[Jo Park]]"]\n'
          "summary: Went through the pilot's scope\n---\n- two warehouses first\n")
    return vault


def test_a_crm_tree_reads_people_only_and_its_interactions_as_meetings(vault):
    found = contacts(crm(vault))
    assert sorted(found) == ["Jo Park", "Lee Ortiz"]
    jo = found["Jo Park"]
    assert jo["last_contact"] == "2026-10-15" and jo["last_kind"] == "call"
    assert [f["due"] for f in jo["follow_ups"]] == ["2026-10-01"]
    assert found["Lee Ortiz"]["last_contact"] == "2026-06-02"  # camelCase is the same key
    shown = json.loads(run(vault, "show", "Jo Park", "--json").stdout)
    assert shown["interactions"][0]["text"] == "Went through the pilot's scope"
    set_aside = {entry["why"] for entry in checked(vault)["reading"]["set_aside"]}
    assert set_aside >= {"says it is something else (crm-company)", "says it is something else (crm-deal)"}


def test_things_that_only_look_like_people(vault):
    write(vault, "People/Ana Lima.md", "---\ncircle: close\n---\n")
    write(vault, "People/People.md", "```dataview\nLIST FROM \"People\"\n```\n")
    write(vault, "People/Overview.md", "# Everyone\n\n![[People.base]]\n")
    write(vault, "People/Whiteboard.excalidraw.md", "---\nexcalidraw-plugin: parsed\n---\n# Drawing\n")
    write(vault, "People/_template.md", "---\ncircle:\nbirthday:\n---\n")
    write(vault, "People/New contact.md", '---\ncircle: "{{tier}}"\n---\n')
    write(vault, "People/Hiring template.md", "## Questions\n")
    write(vault, "People/2026-11-02 Lunch with Ana.md", "- [[Ana Lima]] told me about the move\n")
    found = contacts(vault)
    assert sorted(found) == ["Ana Lima"]
    assert found["Ana Lima"]["last_contact"] == "2026-11-02"


def test_a_person_template_with_keys_every_template_has_says_nothing(vault):
    # A starter vault: every template carries the same three keys, and one tag tells them apart.
    for name in ("Pessoa", "Reunião", "Projeto"):
        write(vault, f"Modelos/{name}.md", f"---\nData: \"{{{{date}}}}\"\nHora:\nRef: \"[[{name}s]]\"\n---\n")
    write(vault, ".obsidian/templates.json", '{"folder": "Modelos"}')
    for index in range(4):
        write(vault, f"Notas/Nota {index}.md", f"---\nData: 2024-06-0{index + 1}\nHora: 10:00\nRef: \"[[Projetos]]\"\n---\n")
    assert contacts(vault) == {}


def test_the_watchers_session_infers_again_as_notes_change_and_keeps_its_settings_while_nothing_does(vault):
    import datetime as dt

    from vaultnet.files.config import load_config
    from vaultnet.pipeline.session import Session

    nordic(vault)
    session = Session(load_config(vault))
    first = session.network(dt.date(2026, 11, 21))
    again = session.network(dt.date(2026, 11, 21))
    assert again.config is first.config  # the same conclusions: the same settings, the memo stays valid
    write(vault, "Alueet/Ystävyys/Anni Korpi.md", "---\nviimeksi nähty: 2026-06-01\n---\n")
    session.refresh(["Alueet/Ystävyys/Anni Korpi.md"])
    later = session.network(dt.date(2026, 11, 21))
    assert later.person_rules["Alueet/Ystävyys/Anni Korpi.md"] == "template"
    fresh = Session(load_config(vault), remember=False).network(dt.date(2026, 11, 21))
    assert [s.contact.path for s in later.standings] == [s.contact.path for s in fresh.standings]
