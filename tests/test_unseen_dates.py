"""What dates a note and who was there, in vaults vaultnet has never seen (invented, in each convention)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vaultnet.base.datenames import date_in_name, infer_format, parse_month_day, parse_written

from conftest import cli as run
from conftest import contacts_json as contacts
from conftest import write


def shown(vault: Path, name: str, *more: str) -> dict:
    return json.loads(run(vault, "show", name, "--json", *more).stdout)


# --- dates as people write them ---------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("April 10th, 2022, Sunday", "2022-04-10"), ("Sunday, 10 April 2022", "2022-04-10"),
    ("10. april 2022", "2022-04-10"), ("2022 April 10", "2022-04-10"), ("Apr 10th 2022", "2022-04-10"),
    ("10 Junho 2024", "2024-06-10"), ("3 oktober 2021", "2021-10-03"), ("2022-04-10", "2022-04-10"),
])
def test_a_date_written_with_its_month_as_a_word_in_any_order(text, expected):
    assert parse_written(text).isoformat() == expected


@pytest.mark.parametrize("text", ["03.04.2022", "April 2022", "Week of April 11th, 2022 (16)", "10th", "May"])
def test_what_can_be_read_two_ways_or_is_no_day_is_no_date(text):
    assert parse_written(text) is None and date_in_name(text) is None


def test_birthdays_with_the_month_as_a_word():
    assert parse_month_day("July 13th") == (7, 13, None)
    assert parse_month_day("13 July 1990") == (7, 13, 1990)


@pytest.mark.parametrize("names, expected", [
    (["April 10th, 2022, Sunday", "April 11th, 2022, Monday", "May 1st, 2022, Sunday"], "MMMM Do, YYYY, dddd"),
    (["2025_03_04", "2025_03_05", "2025_03_11"], "YYYY_MM_DD"),
    (["13.03.2024", "01.03.2024", "02.03.2024"], "DD.MM.YYYY"),
    (["03.13.2024", "03.01.2024", "03.02.2024"], "MM.DD.YYYY"),
    (["Mar 10th, 2022", "Apr 11th, 2022", "May 1st, 2022"], "MMM Do, YYYY"),
])
def test_the_daily_format_read_off_the_vaults_own_names(names, expected):
    found, declined = infer_format([*names, "Ideas", "Reading list 2024"])
    assert found is not None and found.format == expected and declined is None


def test_names_that_could_be_day_first_or_month_first_are_not_guessed():
    found, declined = infer_format(["01.03.2024", "02.03.2024", "03.03.2024"])
    assert found is None and "day first or the month first" in declined


def test_daily_notes_named_with_month_words_with_the_settings_in_a_devices_config_folder(vault):
    write(vault, ".obsidian/app.json", "{}")
    write(vault, ".laptop/daily-notes.json", '{"format": "dddd, D MMMM YYYY", "folder": "Days"}')
    write(vault, "People/Ana Lima.md", "---\ncircle: close\n---\n")
    write(vault, "Days/Monday, 2 November 2026.md", "- coffee with [[Ana Lima]] #coffee\n")
    write(vault, "Talks/Keynote.md", '---\ndate: "[[Tuesday, 3 November 2026]]"\nspeakers: ["[[Ana Lima]]"]\n---\n')
    ana = contacts(vault)["Ana Lima"]
    assert ana["last_contact"] == "2026-11-03"
    assert "from the settings of core Daily notes in .laptop/" in run(vault, "check").stderr


def test_the_daily_format_read_off_names_is_said_and_a_stray_format_is_no_guess(vault):
    write(vault, "People/Ana Lima.md", "---\ncircle: close\n---\n")
    for day in ("2 November 2026", "9 November 2026", "16 November 2026"):
        write(vault, f"Journal/{day}.md", "- walked with [[Ana Lima]]\n")
    assert contacts(vault)["Ana Lima"]["last_contact"] == "2026-11-16"
    said = run(vault, "check").stderr
    assert "3 daily notes D MMMM YYYY (read off 3 note names such as" in said


def test_a_long_journal_with_a_dated_heading_per_day(vault):
    write(vault, "People/Taylor Reed.md", "---\naliases: [Taylor]\n---\n")
    write(vault, "Journal.md", "# Journal\n\n### [[August 12th, 2021, Thursday]]\nDinner with [[Taylor Reed]].\n\n"
                               "### [[August 14th, 2021, Saturday]]\nA quiet day.\n\n"
                               "### [[August 20th, 2021, Friday]]\nHiked with Taylor in the rain.\n")
    taylor = shown(vault, "Taylor Reed")
    assert [(i["date"], i["source"]) for i in taylor["interactions"]] == [("2021-08-20", "unlinked"),
                                                                          ("2021-08-12", "mention")]


def test_a_dated_heading_in_someones_own_note_is_a_log_entry(vault):
    write(vault, "People/Loki.md", "# Log\n\n## 2026-04-01\n- Took him to the park\n\n## 2026-05-02\n\n## Ideas\n- a bike\n")
    loki = shown(vault, "Loki")
    assert [(i["date"], i["text"]) for i in loki["interactions"]] == [("2026-04-01", "Took him to the park")]


def test_only_a_heading_that_is_or_starts_with_a_date_dates_what_is_under_it(vault):
    write(vault, "People/Loki.md", "# Log\n\n## Monday 2026-04-06 walk\n- Took him to the park\n\n"
                                   "## Vet visit - 2026-05-02\n- shots\n\n"
                                   "## From Lo (merged 2026-11-21)\nMet through a friend.\n\n"
                                   "## Ideas for 2026-12-24\n- a bike\n")
    loki = shown(vault, "Loki")
    assert [(i["date"], i["text"]) for i in loki["interactions"]] == [("2026-05-02", "Vet visit"),
                                                                      ("2026-04-06", "Monday walk")]


# --- who was there ----------------------------------------------------------------------------------

def test_any_property_of_a_dated_note_that_links_people_lists_who_was_there(vault):
    write(vault, "People/Ada Okafor.md", "---\ncircle: close\nlast_contact: 2026-09-01\n---\n")
    write(vault, "People/Bo Berg.md", "---\ncircle: close\n---\n")
    write(vault, "Interactions/Lunch.md", '---\ndate: 2026-11-02\nperson: "[[People/Ada Okafor]]"\n---\n')
    write(vault, "Interactions/Review.md", '---\ndateTime: 2026-11-04 16:51\nwho: ["[[Bo Berg]]"]\n'
                                            'project: "[[Ada Okafor]]"\n---\n')
    found = contacts(vault)
    assert found["Ada Okafor"]["last_contact"] == "2026-11-02"  # not the stale last_contact, nor the project link
    assert found["Bo Berg"]["last_contact"] == "2026-11-04" and found["Bo Berg"]["last_kind"] == "meeting"
    reading = json.loads(run(vault, "check", "--json").stdout)["reading"]
    assert {"how": "property person", "count": 1} in reading["attendees"]


def test_attendee_properties_in_vaultnet_toml_are_the_only_ones_read(vault):
    write(vault, "People/Ada Okafor.md", "---\ncircle: close\n---\n")
    write(vault, "Interactions/Lunch.md", '---\ndate: 2026-11-02\nperson: "[[Ada Okafor]]"\n---\n')
    write(vault, "vaultnet.toml", 'attendee_properties = ["guests"]\n')
    assert contacts(vault)["Ada Okafor"]["last_contact"] is None


def test_a_meetings_hint_is_what_it_was_about_never_who_was_there(vault):
    write(vault, "People/Sam Dee.md", "---\ncircle: close\n---\n")
    write(vault, "People/Kim Roe.md", "---\ncircle: close\n---\n")
    write(vault, "Meetings/2026-09-16 Data Community.md",
          "---\ndateTime: 2026-09-16 16:51\n---\n**Attendees**: [[Sam Dee]], [[Kim Roe]]\n")
    write(vault, "Meetings/2026-11-18 Sam Dee.md", "---\ndate: 2026-11-18\n---\n**Attendees**: [[Sam Dee]]\n")
    texts = [i["text"] for i in shown(vault, "Sam Dee")["interactions"]]
    assert texts == ["", "Data Community"]
    plan = run(vault, "plan", "--stdout").stdout
    assert "[[Kim Roe]]" in plan and "last time (2026-09-16): Data Community" in plan


def test_a_heading_over_questions_is_an_agenda_not_a_meeting(vault):
    write(vault, "People/Tomas Berg.md", "---\ncircle: close\nlast_contact: 2026-10-01\n---\n")
    write(vault, "2026-11-10.md", "## Questions for [[Tomas Berg]]\n- is he hiring?\n- [ ] send him the deck\n")
    write(vault, "2026-11-12.md", "## Dinner with [[Tomas Berg]]\n- he is hiring after all\n")
    assert contacts(vault)["Tomas Berg"]["last_contact"] == "2026-11-12"
    write(vault, "2026-11-12.md", "nothing\n")
    assert contacts(vault)["Tomas Berg"]["last_contact"] == "2026-10-01"


def test_the_kind_a_meeting_note_says_it_is(vault):
    write(vault, "People/Jo Park.md", "---\ncircle: close\n---\n")
    write(vault, "Log/2026-11-10 Jo.md", '---\ninteraction_type: call\ncontacts: ["[[Jo Park]]"]\n---\n')
    jo = contacts(vault)["Jo Park"]
    assert (jo["last_contact"], jo["last_kind"]) == ("2026-11-10", "call")


# --- keys and words people use -----------------------------------------------------------------------

def test_the_keys_and_circle_names_people_write(vault):
    write(vault, "People/Ana Lima.md", "---\ncadence_days: 14\nlastContacted: 2026-11-01\nnext_followup: 2026-11-25\n"
                                       "followup_context: the offer letter\nbirth: 1990-07-05\n---\n")
    write(vault, "People/Bo Berg.md", "---\ncircle: family\nBirthday: July 13th\n---\n")
    write(vault, "People/Cy Moss.md", "---\ncircle: close friend\nbirthday: \"[[March 3rd]]\"\n---\n")
    write(vault, "People/Di Vo.md", "---\ncircle: professional\nBirthday: [[June 19th]] 1993\n---\n")
    found = contacts(vault)
    ana = found["Ana Lima"]
    assert (ana["cadence_days"], ana["last_contact"], ana["next_birthday"]) == (14, "2026-11-01", "2027-07-05")
    assert [(f["due"], f["text"]) for f in ana["follow_ups"]] == [("2026-11-25", "the offer letter")]
    assert (found["Bo Berg"]["circle"], found["Bo Berg"]["cadence_days"], found["Bo Berg"]["next_birthday"]) == \
        ("close", 30, "2027-07-13")
    assert (found["Cy Moss"]["circle"], found["Cy Moss"]["next_birthday"]) == ("inner", "2027-03-03")
    assert (found["Di Vo"]["circle"], found["Di Vo"]["next_birthday"]) == ("network", "2027-06-19")
    assert json.loads(run(vault, "check", "--json").stdout)["problems"] == []


def test_a_follow_up_in_the_front_matter_ticked_in_the_plan_is_done(vault):
    write(vault, "People/Ana Lima.md", "---\ncircle: close\nnext_follow_up: 2026-11-18\n---\n")
    assert run(vault, "plan").exit_code == 0
    plan = vault / "vaultnet" / "Plans" / "2026-W47.md"
    text = plan.read_text(encoding="utf-8")
    assert "follow up" in text
    plan.write_text(text.replace("- [ ] [[Ana Lima]] — follow up", "- [x] [[Ana Lima]] — follow up"), encoding="utf-8")
    assert contacts(vault)["Ana Lima"]["follow_ups"] == []
    assert (vault / "People" / "Ana Lima.md").read_text(encoding="utf-8").count("2026-11-18") == 1  # theirs, untouched


def test_show_why_says_which_note_and_line_gave_each_fact(vault):
    write(vault, "Templates/Person.md", "---\nmet_at:\n---\n")
    write(vault, "People/Ana Lima.md", "---\ncircle: family\nbirthday: July 5th\n---\n- [ ] call about the move 📅 2026-11-25\n")
    write(vault, "2026-11-12.md", "- lunch with [[Ana Lima]]\n")
    data = shown(vault, "Ana Lima", "--why")
    why = data["why"]
    assert why["person"]["rule"] == "folder"
    assert why["last_contact"] == {"date": "2026-11-12", "path": "2026-11-12.md", "line": 1, "source": "mention",
                                   "said": "a line that links them", "text": "lunch with Ana Lima"}
    assert (why["cadence"]["key"], why["cadence"]["value"], why["cadence"]["circle"], why["cadence"]["line"]) == \
        ("circle", "family", "close", 2)
    assert (why["birthday"]["key"], why["birthday"]["line"]) == ("birthday", 3)
    assert why["follow_ups"] == [{"due": "2026-11-25", "text": "call about the move", "path": "People/Ana Lima.md",
                                  "line": 5}]
    text = run(vault, "show", "Ana Lima", "--why").stdout
    assert "cadence 30 days: circle 'family' (read as close) at People/Ana Lima.md:2" in text
    assert "why" not in shown(vault, "Ana Lima")


def test_numbers_day_first_are_read_off_the_names_when_one_day_is_above_twelve(vault):
    write(vault, "People/Ana Lima.md", "---\ncircle: close\n---\n")
    for name in ("01.11.2026", "13.11.2026", "02.11.2026"):
        write(vault, f"Journal/{name}.md", "- met [[Ana Lima]]\n")
    assert contacts(vault)["Ana Lima"]["last_contact"] == "2026-11-13"


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from vaultnet.base.datenames import find_date, may_hold_date, shape  # noqa: E402

_WRITTEN = st.text(alphabet=st.sampled_from(list("0123456789 -_.,/:Ma yJunlOctSdhrs[]#|")), max_size=30)


@given(text=st.one_of(_WRITTEN, st.text(max_size=30)))
def test_reading_a_date_off_any_text_never_fails_and_agrees_with_the_cheap_check(text):
    found = date_in_name(text)
    shape(text)
    find_date(text)
    parse_written(text)
    infer_format([text, text, text])
    if found is not None:
        assert may_hold_date(text)  # the cheap check may say yes wrongly, never no wrongly
