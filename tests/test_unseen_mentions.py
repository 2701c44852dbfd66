"""People named in plain text, and lines that are no contact, in invented vaults."""

from __future__ import annotations

import json
from pathlib import Path

from vaultnet.evidence.contacts import Contact
from vaultnet.evidence.mentions import Mentions

from conftest import cli as run
from conftest import contacts_json as contacts
from conftest import write


def interactions(vault: Path, name: str) -> list[tuple[str, str, str]]:
    shown = json.loads(run(vault, "show", name, "--json").stdout)
    return [(i["date"], i["source"], i["text"]) for i in shown["interactions"]]


def test_a_name_or_alias_as_a_whole_word_the_longest_first():
    people = [Contact("Oliver Dahl", "P/Oliver Dahl.md", ("Oliver",)), Contact("Ana", "P/Ana.md"),
              Contact("Ana Lima", "P/Ana Lima.md")]
    found = Mentions(people)
    assert found.find("Check-in with Oliver about the move")[0] == ("P/Oliver Dahl.md",)
    assert found.find("Lunch with Ana Lima, then Ana's party")[0] == ("P/Ana Lima.md", "P/Ana.md")
    assert found.find("oliver and Olivera, [[Oliver]] and #Oliver and oliver@example.com")[0] == ()


def test_names_that_could_mean_two_people_or_a_word_are_not_counted():
    people = [Contact("Sam Hill", "P/Sam Hill.md", ("Sam",)), Contact("Sam Ortiz", "P/Sam Ortiz.md", ("Sam",)),
              Contact("William Park", "P/William Park.md", ("Will",)), Contact("June", "P/June.md")]
    found = Mentions(people, common=["will"])
    paths, unclear = found.find("Sam said Will and June would come")
    assert paths == ()
    assert [(u.name, u.why) for u in unclear] == [
        ("Sam", "names 2 people (Sam Hill, Sam Ortiz)"), ("Will", "is also a word written in lower case here"),
        ("June", "is a month or a weekday")]
    assert found.find("Sam Hill and William Park")[0] == ("P/Sam Hill.md", "P/William Park.md")


def journal(vault: Path) -> Path:
    write(vault, "People/Oliver Dahl.md", "---\naliases: [Oliver]\ncircle: close\nlast_contact: 2026-09-01\n---\n")
    write(vault, "People/Chloe.md", "---\ncircle: close\n---\n")
    write(vault, "People/Mor.md", "---\ncircle: close\n---\n")
    write(vault, "Daily/2026-11-02.md", "Check-in with Oliver about the move.\n- [ ] ask Chloe about the dates\n")
    write(vault, "Daily/2026-11-03.md", "Helped Chloe's brother plant tomatoes.\n- Mor called\n")
    write(vault, "Daily/2026-11-04.md", "We walked far, and mor was tired. Far too long.\n")
    write(vault, "Daily/2026-11-05.md", "Coffee with [[Oliver Dahl]], Oliver again. #coffee\n")
    return vault


def test_plain_text_names_in_a_journal_count_once_a_day_and_are_shown_as_such(vault):
    found = contacts(journal(vault))
    assert found["Oliver Dahl"]["last_contact"] == "2026-11-05"
    assert interactions(vault, "Oliver Dahl")[:2] == [
        ("2026-11-05", "mention", "Coffee with Oliver Dahl, Oliver again."),
        ("2026-11-02", "unlinked", "Check-in with Oliver about the move.")]
    assert found["Chloe"]["last_contact"] == "2026-11-03"  # not the open task: a reminder is no contact
    assert found["Mor"]["last_contact"] is None  # `mor` is a word here as often as a name
    said = run(vault, "check").stderr
    assert "not counted: 'Mor' is also a word written in lower case here" in said
    assert "named without a link" in run(vault, "show", "Oliver Dahl").stdout


def test_a_setting_turns_plain_text_names_off(vault):
    journal(vault)
    write(vault, "vaultnet.toml", "mentions = false\n")
    found = contacts(vault)
    assert found["Chloe"]["last_contact"] is None and found["Oliver Dahl"]["last_contact"] == "2026-11-05"
    assert "names in plain text: not read (mentions = false)" in run(vault, "check").stderr


def test_a_name_in_a_chat_import_or_a_clipping_is_no_contact(vault):
    write(vault, "People/Nana.md", "---\ncircle: close\n---\n")
    write(vault, "Inbox/2025-07-18-budget-chat.md", "---\ndate: 2025-07-18\nsource: chatgpt\n---\n"
                                                     "**You:** now that I am not at Nana's any more\n")
    assert contacts(vault)["Nana"]["last_contact"] is None


def test_embeds_written_as_markdown_images_are_no_contact(vault):
    write(vault, "People/Bob Lee.md", "---\ncircle: close\n---\n")
    write(vault, "2026-11-10.md", "- ![shot](People/Bob%20Lee.md)\n- ![[Bob Lee]]\n")
    assert interactions(vault, "Bob Lee") == []


def test_imports_with_a_date_on_every_highlight_fill_check_with_nothing(vault):
    write(vault, "People/Bob Lee.md", "---\ncircle: close\n---\n")
    write(vault, "Readwise/Articles/On tools.md", "---\naliases: [On tools, [with] brackets]]\nauthor: someone\n---\n"
                                                  "## Highlights\n- a quote ^rw1\n    - Date:: [[Someday]]\n"
                                                  "- another ^rw2\n    - Date:: [[May 13th, 2021, Thursday]]\n")
    write(vault, "Illnesses/Flu.md", "---\nDate: 2019-10-24 to 2019-11-25\n---\nSaw [[Bob Lee]] about it.\n")
    result = json.loads(run(vault, "check", "--json").stdout)
    assert result["problems"] == []
    assert contacts(vault)["Bob Lee"]["last_contact"] is None


def test_a_name_in_plain_text_beside_another_record_of_that_day_is_one_contact(vault):
    write(vault, "People/Grace Park.md", "---\naliases: [Grace]\n---\n## Log\n- 2026-07-16 #call about the long read\n")
    write(vault, "Daily/2026-07-16.md", "Call with Grace about the long read (logged in her note).\n")
    write(vault, "Daily/2026-08-02.md", "Ran into Grace at the market.\n")
    assert [(date, source) for date, source, _ in interactions(vault, "Grace Park")] == [
        ("2026-08-02", "unlinked"), ("2026-07-16", "log")]
