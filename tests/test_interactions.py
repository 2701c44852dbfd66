"""Interactions, exchanges and follow-ups found in note bodies (spec section 4)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from conftest import standing, write

D = dt.date
SAM = "---\ncircle: inner\nlast_contact: 2026-10-01\n---\n"  # overdue since 2026-10-15


def dates(item):
    return [i.date for i in item.interactions]


def real(item):
    """Interactions other than the manual last_contact."""
    return [i for i in item.interactions if i.source != "manual"]


# --- 4.1 log lines in a contact note ---------------------------------------------


@pytest.mark.parametrize(
    "line",
    ["- 2026-11-02 #call caught up", "- [[2026-11-02]] #call caught up", "* 2026-11-02: #call caught up",
     "1. 2026-11-02 #call caught up", "- [[2026-11-02|Mon]] — #call caught up"],
)
def test_log_line_in_contact_note(vault, load, line):
    write(vault, "People/Ana.md", f"---\ncircle: inner\n---\n## Log\n{line}\n")
    network = load()
    ana = standing(network, "Ana")
    (item,) = ana.interactions
    assert item.date == D(2026, 11, 2)
    assert item.kind == "call"
    assert item.text == "caught up"
    assert (item.path, item.line) == ("People/Ana.md", 5)
    assert item.people == ("People/Ana.md",)
    assert ana.last_contact == D(2026, 11, 2)
    assert ana.last_kind == "call"
    assert ana.status == "overdue"
    assert network.problems == []


def test_dateless_lines_in_a_contact_note_are_not_interactions(vault, load):
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n2026-11-02 paragraph, not a list item\n- met at a meetup\n"
          "- on 2026-11-02 not a leading date\n")
    ana = standing(load(), "Ana")
    assert ana.interactions == []
    assert ana.status == "never"


def test_impossible_log_date_is_a_problem(vault, load):
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n- 2026-02-30 call\n")
    network = load()
    assert standing(network, "Ana").interactions == []
    (problem,) = network.problems
    assert (problem.path, problem.line) == ("People/Ana.md", 4)


def test_log_line_linking_others_moves_their_last_contact_but_exchanges_count_for_the_owner(vault, load):
    write(vault, "People/Ana.md", "- 2026-11-02 #coffee #gave intro to [[Bob]] and [[Carl|C]] #got\n")
    write(vault, "People/Bob.md", "---\ncircle: inner\n---\n")
    write(vault, "People/Carl.md", "")
    network = load()
    ana, bob, carl = (standing(network, n) for n in ("Ana", "Bob", "Carl"))
    for person in (ana, bob, carl):
        assert person.last_contact == D(2026, 11, 2)
        assert person.last_kind == "coffee"
    (item,) = network.evidence.interactions
    assert item.people == ("People/Ana.md", "People/Bob.md", "People/Carl.md")
    assert item.exchanges == ("gave", "got")
    assert item.exchanges_for == ("People/Ana.md",)
    assert (ana.reciprocity.gave, ana.reciprocity.got) == (1, 1)
    assert (bob.reciprocity.gave, bob.reciprocity.got) == (0, 0)
    assert bob.reciprocity.label == "none"
    assert carl.reciprocity.label == "none"
    assert bob.due == D(2026, 11, 16)


def test_log_line_in_a_contact_note_with_a_date_property_uses_the_line_date(vault, load):
    write(vault, "People/Ana.md", "---\ndate: 2026-11-15\n---\n- 2026-11-02 call\nFriends with [[Bob]]\n- [x] sent card\n")
    write(vault, "People/Bob.md", "")
    network = load()
    assert dates(standing(network, "Ana")) == [D(2026, 11, 2)]
    # a date property does not make a contact note dated: the mention is not an interaction
    assert standing(network, "Bob").interactions == []


# --- 4.2 mentions in dated notes ------------------------------------------------


def test_mentions_in_daily_note_list_items_and_paragraphs(vault, load):
    write(vault, "People/Sam.md", SAM)
    write(vault, "People/Ana.md", "")
    write(vault, "Journal/2026-11-10.md", "---\nmood: ok\n---\nLunch with [[Sam]] today.\n\n- #call [[Ana]] #gave\n")
    network = load()
    sam, ana = standing(network, "Sam"), standing(network, "Ana")
    assert sam.last_contact == D(2026, 11, 10)
    assert [(i.line, i.kind, i.text) for i in real(sam)] == [(4, "note", "Lunch with Sam today.")]
    assert [(i.line, i.kind) for i in ana.interactions] == [(6, "call")]
    assert ana.reciprocity.gave == 1
    assert sam.reciprocity.gave == 0


def test_exchanges_in_a_mention_count_for_every_linked_contact(vault, load):
    write(vault, "People/Sam.md", "")
    write(vault, "People/Ana.md", "")
    write(vault, "2026-11-10.md", "- dinner with [[Sam]] and [[Ana]] #got #asked\n")
    network = load()
    for name in ("Sam", "Ana"):
        rec = standing(network, name).reciprocity
        assert (rec.got, rec.asked, rec.gave) == (1, 1, 0)
    (item,) = network.evidence.interactions
    assert set(item.exchanges_for) == {"People/Sam.md", "People/Ana.md"}


def test_undated_notes_do_not_make_mentions_interactions(vault, load):
    write(vault, "People/Sam.md", SAM)
    write(vault, "Projects/Launch.md", "- talked to [[Sam]]\nSee [[Sam]].\n")
    write(vault, "Projects/Plan 2026.md", "- talked to [[Sam]]\n")  # a year is no day
    sam = standing(load(), "Sam")
    assert real(sam) == []
    assert sam.status == "overdue"


@pytest.mark.parametrize("written", ["2026-11-12", '"[[2026-11-12]]"', "2026-11-12T09:00"])
def test_meeting_note_with_a_date_property_is_dated(vault, load, written):
    write(vault, "People/Sam.md", SAM)
    write(vault, "Meetings/Standup.md", f"---\ndate: {written}\n---\n# Standup\nAttendees: [[Sam]]\n")
    sam = standing(load(), "Sam")
    assert sam.last_contact == D(2026, 11, 12)
    assert [(i.path, i.line) for i in real(sam)] == [("Meetings/Standup.md", 5)]


def test_bad_date_property_is_a_problem_and_the_note_is_undated(vault, load):
    write(vault, "People/Sam.md", SAM)
    write(vault, "Meetings/Standup.md", "---\ntitle: x\ndate: next tuesday\n---\n- [[Sam]]\n")
    network = load()
    assert real(standing(network, "Sam")) == []
    (problem,) = network.problems
    assert (problem.path, problem.line) == ("Meetings/Standup.md", 3)
    assert "date" in problem.message


def test_file_name_date_wins_over_date_property(vault, load):
    write(vault, "People/Sam.md", "")
    write(vault, "2026-11-10.md", "---\ndate: 2026-11-12\n---\n- [[Sam]]\n")
    assert dates(standing(load(), "Sam")) == [D(2026, 11, 10)]


def test_daily_notes_in_any_folder_by_default(vault, load):
    write(vault, "People/Sam.md", "")
    write(vault, "Journal/2026/11/2026-11-10.md", "- [[Sam]]\n")
    write(vault, "2026-11-11.md", "- [[Sam]]\n")
    assert dates(standing(load(), "Sam")) == [D(2026, 11, 11), D(2026, 11, 10)]


def test_non_default_daily_format(vault, load):
    write(vault, "vaultnet.toml", 'daily_format = "DD.MM.YYYY"\n')
    write(vault, "People/Sam.md", "")
    write(vault, "10.11.2026.md", "- [[Sam]]\n")
    write(vault, "2026-11-12.md", "- [[Sam]]\n")  # no longer a daily note
    assert dates(standing(load(), "Sam")) == [D(2026, 11, 10)]


def test_daily_format_from_obsidian_settings(vault, load):
    (vault / ".obsidian" / "daily-notes.json").write_text(json.dumps({"format": "YYYY-MM-DD dddd", "folder": "Daily"}))
    write(vault, "People/Sam.md", "")
    write(vault, "Daily/2026-11-10 Tuesday.md", "- [[Sam]]\n")
    write(vault, "Daily/2026-11-12.md", "- [[Sam]]\n")
    assert dates(standing(load(), "Sam")) == [D(2026, 11, 10)]


def test_vaultnet_toml_daily_format_wins_over_obsidian_settings(vault, load):
    (vault / ".obsidian" / "daily-notes.json").write_text(json.dumps({"format": "DD.MM.YYYY"}))
    write(vault, "vaultnet.toml", 'daily_format = "YYYY-MM-DD"\n')
    write(vault, "People/Sam.md", "")
    write(vault, "10.11.2026.md", "- [[Sam]]\n")
    write(vault, "2026-11-12.md", "- [[Sam]]\n")
    assert dates(standing(load(), "Sam")) == [D(2026, 11, 12)]


def test_dated_folders_restrict_which_notes_are_dated_by_name(vault, load):
    write(vault, "vaultnet.toml", 'dated_folders = ["Journal"]\n')
    write(vault, "People/Sam.md", "")
    write(vault, "Journal/2026-11-10.md", "- [[Sam]]\n")
    write(vault, "Journal/2026/2026-11-11.md", "- [[Sam]]\n")
    write(vault, "Archive/2026-11-12.md", "- [[Sam]]\n")
    write(vault, "2026-11-13.md", "- [[Sam]]\n")
    write(vault, "Journalx/2026-11-14.md", "- [[Sam]]\n")
    assert dates(standing(load(), "Sam")) == [D(2026, 11, 11), D(2026, 11, 10)]


def test_impossible_daily_name_is_not_dated(vault, load):
    write(vault, "People/Sam.md", "")
    write(vault, "2026-02-30.md", "- [[Sam]]\n")
    network = load()
    assert standing(network, "Sam").interactions == []
    assert network.problems == []


@pytest.mark.parametrize(
    "line",
    ["- met [[Sam|S.]]", "- met [[Sam#Work]]", "- met [[Sam#^block|him]]", "- met [[People/Sam]]",
     "- met [[Sammy]]", "- met [[sam]]", "- met [[SAMMY|x]]", "- met [[Sam.md]]", "met [[People/Sam|Sam]] in town"],
)
def test_mention_link_forms(vault, load, line):
    write(vault, "People/Sam.md", "---\naliases: [Sammy]\ncircle: inner\nlast_contact: 2026-10-01\n---\n")
    write(vault, "2026-11-10.md", line + "\n")
    sam = standing(load(), "Sam")
    assert sam.last_contact == D(2026, 11, 10)
    assert len(real(sam)) == 1


def test_one_line_linking_a_contact_twice_is_one_interaction(vault, load):
    write(vault, "People/Sam.md", "")
    write(vault, "2026-11-10.md", "- [[Sam]] and again [[Sam|him]] and [[Sammy]] #gave\n")
    write(vault, "People/Sam.md", "---\naliases: Sammy\n---\n")
    sam = standing(load(), "Sam")
    assert len(sam.interactions) == 1
    assert sam.interactions[0].people == ("People/Sam.md",)
    assert sam.reciprocity.gave == 1


def test_links_to_non_contacts_are_ignored(vault, load):
    write(vault, "People/Sam.md", "")
    write(vault, "Projects/Launch.md", "")
    write(vault, "2026-11-10.md", "- [[Launch]] planning with [[Sam]]\n- [[Launch]] only\n")
    network = load()
    (item,) = network.evidence.interactions
    assert item.people == ("People/Sam.md",)


# --- exclusions -------------------------------------------------------------


EXCLUDED = {
    "unchecked task": "- [ ] call [[Sam]]",
    "block quote": "> met [[Sam]]",
    "fenced code": "```\n- met [[Sam]]\n```",
    "tilde fence": "~~~md\nmet [[Sam]]\n~~~",
    "indented fence": "- list\n  ```\n  - met [[Sam]]\n  ```",
    "inline code": "- talked about `[[Sam]]` today",
    "double backtick code": "- see ``a ` [[Sam]]`` here",
    "embed": "- ![[Sam]]",
    "embed paragraph": "![[Sam#Log]]",
    "percent comment": "- met %% [[Sam]] %% someone",
    "multi-line percent comment": "%%\n- met [[Sam]]\n%%",
    "html comment": "- met <!-- [[Sam]] --> someone",
    "multi-line html comment": "<!--\n- met [[Sam]]\n-->",
    "markdown embed": "- ![shot](People/Sam.md)",
    "agenda heading": "## Questions for [[Sam]]\n- is he hiring in Berlin?\n- does he still run the meetup?",
    "heading over to-dos": "###### [[Sam]]\n- [ ] send him the deck",
    "table": "| who | what |\n| --- | --- |\n| [[Sam]] | coffee |",
    "cancelled task": "- [-] call [[Sam]]",
    "in-progress task": "- [/] call [[Sam]]",
    "other task state": "- [>] call [[Sam]]",
}


def test_a_callout_is_the_users_words(vault, load):
    write(vault, "People/Sam.md", SAM)
    write(vault, "2026-11-10.md", "> [!note] met [[Sam]]\n> and [[Sam]] again\n> - [ ] send [[Sam]] the deck 📅 2026-11-25\n")
    sam = standing(load(), "Sam")
    assert [(i.line, i.source) for i in real(sam)] == [(2, "mention"), (1, "mention")]
    assert [t.text for t in sam.follow_ups] == ["send Sam the deck"]


@pytest.mark.parametrize("name", list(EXCLUDED))
def test_excluded_lines_are_not_interactions(vault, load, name):
    write(vault, "People/Sam.md", SAM)
    write(vault, "2026-11-10.md", EXCLUDED[name] + "\n")
    network = load()
    sam = standing(network, "Sam")
    assert real(sam) == []
    assert sam.last_contact == D(2026, 10, 1)
    assert sam.status == "overdue"  # the reminder is not silenced


def test_table_without_outer_pipes_is_excluded(vault, load):
    write(vault, "People/Sam.md", SAM)
    write(vault, "2026-11-10.md", "who | what\n--- | ---\n[[Sam]] | coffee\n")
    assert real(standing(load(), "Sam")) == []


def test_control_for_exclusions_a_plain_line_counts(vault, load):
    write(vault, "People/Sam.md", SAM)
    write(vault, "2026-11-10.md", "- met [[Sam]] `code` %% note %% <!-- c --> ![[Other]]\n")
    sam = standing(load(), "Sam")
    assert sam.last_contact == D(2026, 11, 10)
    assert sam.status == "ok"


def test_lines_after_a_closed_comment_or_fence_count_again(vault, load):
    write(vault, "People/Sam.md", "")
    write(vault, "2026-11-10.md", "```\n[[Sam]]\n```\n%%\n[[Sam]]\n%%\n<!--\n[[Sam]]\n-->\n- met [[Sam]]\n")
    sam = standing(load(), "Sam")
    assert [i.line for i in sam.interactions] == [10]


def test_front_matter_links_count_only_in_attendee_properties(vault, load):
    write(vault, "People/Sam.md", SAM)
    write(vault, "2026-11-10.md", '---\nattendees: ["[[Sam]]"]\nup: "[[Sam]]"\n---\nNothing here.\n')
    write(vault, "Meetings/M.md", '---\ndate: 2026-11-11\nwith: "[[Sam]]"\n---\n')
    sam = standing(load(), "Sam")
    # Attendee properties count as a meeting (one each); any other property's links do not.
    assert sorted((i.date.isoformat(), i.kind, i.path) for i in real(sam)) == [
        ("2026-11-10", "meeting", "2026-11-10.md"), ("2026-11-11", "meeting", "Meetings/M.md")]


def test_unchecked_task_in_a_dated_note_is_an_open_loop_not_contact(vault, load):
    write(vault, "People/Sam.md", SAM)
    write(vault, "2026-11-10.md", "- [ ] call [[Sam]]\n")
    sam = standing(load(), "Sam")
    assert sam.status == "overdue"
    assert [(t.text, t.path, t.line) for t in sam.open_loops] == [("call Sam", "2026-11-10.md", 1)]


# --- 4.3 completed tasks -------------------------------------------------------


def test_completed_task_in_own_note_dated_by_done_date(vault, load):
    write(vault, "People/Sam.md", SAM + "- [x] send the deck ✅ 2026-11-12\n- [X] sent card #gave ✅ 2026-11-13\n")
    sam = standing(load(), "Sam")
    assert [(i.date, i.text) for i in real(sam)] == [(D(2026, 11, 13), "sent card"), (D(2026, 11, 12), "send the deck")]
    assert sam.reciprocity.gave == 1


def test_task_dates_written_with_emoji_variation_selector(vault, load):
    write(vault, "People/Sam.md", "- [x] sent deck \u2705\ufe0f 2026-11-12\n- [ ] call \U0001f4c5\ufe0f 2026-11-25\n")
    sam = standing(load(), "Sam")
    assert dates(sam) == [D(2026, 11, 12)]
    assert [t.due for t in sam.follow_ups] == [D(2026, 11, 25)]


def test_completed_task_in_own_note_dated_by_leading_date(vault, load):
    write(vault, "People/Sam.md", SAM + "- [x] 2026-11-05 #call sent the deck\n- [x] [[2026-11-06]] chat\n")
    sam = standing(load(), "Sam")
    assert [(i.date, i.kind) for i in real(sam)] == [(D(2026, 11, 6), "note"), (D(2026, 11, 5), "call")]


def test_undated_completed_task_in_a_contact_note_does_not_count(vault, load):
    write(vault, "People/Sam.md", "---\ncircle: inner\ndate: 2026-11-10\n---\n- [x] sent the deck\n")
    sam = standing(load(), "Sam")
    assert sam.interactions == []
    assert sam.status == "never"


def test_completed_task_anywhere_linking_a_contact(vault, load):
    write(vault, "People/Sam.md", SAM)
    write(vault, "People/Ana.md", "")
    write(vault, "Projects/Launch.md", "- [x] send deck to [[Sam]] #gave ✅ 2026-11-12\n- [x] 2026-11-05 call [[Ana]] #got\n")
    network = load()
    sam, ana = standing(network, "Sam"), standing(network, "Ana")
    assert dates(sam)[0] == D(2026, 11, 12)
    assert dates(ana) == [D(2026, 11, 5)]
    assert sam.reciprocity.gave == 1 and ana.reciprocity.got == 1


def test_done_date_wins_over_the_note_date_and_leading_date(vault, load):
    write(vault, "People/Sam.md", "")
    write(vault, "2026-11-10.md", "- [x] 2026-11-05 call [[Sam]] ✅ 2026-11-12\n")
    assert dates(standing(load(), "Sam")) == [D(2026, 11, 12)]


def test_leading_date_wins_over_the_note_date(vault, load):
    write(vault, "People/Sam.md", "")
    write(vault, "2026-11-10.md", "- [x] 2026-11-05 call [[Sam]]\n")
    assert dates(standing(load(), "Sam")) == [D(2026, 11, 5)]


def test_completed_task_in_a_dated_note_takes_the_note_date(vault, load):
    write(vault, "People/Sam.md", "")
    write(vault, "Meetings/M.md", "---\ndate: 2026-11-11\n---\n- [x] call [[Sam]]\n")
    write(vault, "2026-11-10.md", "- [x] email [[Sam]] #email\n")
    sam = standing(load(), "Sam")
    assert [(i.date, i.kind) for i in sam.interactions] == [(D(2026, 11, 11), "note"), (D(2026, 11, 10), "email")]


def test_undated_completed_task_in_an_undated_note_does_not_count(vault, load):
    write(vault, "People/Sam.md", SAM)
    write(vault, "Projects/Launch.md", "- [x] call [[Sam]]\n")
    network = load()
    sam = standing(network, "Sam")
    assert real(sam) == []
    assert sam.status == "overdue"
    assert network.problems == []


def test_completed_task_with_impossible_done_date_is_a_problem(vault, load):
    write(vault, "People/Sam.md", "")
    write(vault, "Projects/Launch.md", "# Launch\n- [x] call [[Sam]] ✅ 2026-02-30\n")
    network = load()
    assert standing(network, "Sam").interactions == []
    assert [(p.path, p.line) for p in network.problems] == [("Projects/Launch.md", 2)]


def test_an_in_progress_task_is_open(vault, load):
    write(vault, "People/Sam.md", SAM + "- [/] half done\n- [/] send the deck 📅 2026-11-25\n")
    sam = standing(load(), "Sam")
    assert [t.text for t in sam.open_loops] == ["half done"]
    assert [(t.text, t.due.isoformat()) for t in sam.follow_ups] == [("send the deck", "2026-11-25")]


def test_other_task_states_are_neither_open_nor_done(vault, load):
    write(vault, "People/Sam.md", SAM + "- [-] 2026-11-10 cancelled call 📅 2026-11-25\n")
    write(vault, "Projects/Launch.md", "- [?] ask [[Sam]] ✅ 2026-11-12\n- [>] ask [[Sam]] 📅 2026-11-25\n")
    sam = standing(load(), "Sam")
    assert real(sam) == []
    assert sam.follow_ups == [] and sam.open_loops == []


def test_a_completed_dated_task_in_a_contact_note_counts_once(vault, load):
    write(vault, "People/Sam.md", "- [x] 2026-11-02 #call with [[Ana]] #gave ✅ 2026-11-02\n- 2026-11-03 #gave again\n")
    write(vault, "People/Ana.md", "")
    network = load()
    sam = standing(network, "Sam")
    assert len(sam.interactions) == 2
    assert sam.reciprocity.gave == 2
    assert len(standing(network, "Ana").interactions) == 1
    assert len(network.evidence.interactions) == 2


def test_a_completed_task_in_a_dated_note_counts_once(vault, load):
    write(vault, "People/Sam.md", "")
    write(vault, "2026-11-10.md", "- [x] call [[Sam]] #got ✅ 2026-11-10\n")
    sam = standing(load(), "Sam")
    assert len(sam.interactions) == 1
    assert sam.reciprocity.got == 1


def test_completed_task_in_a_contact_note_counts_exchanges_for_the_owner_only(vault, load):
    write(vault, "People/Sam.md", "- [x] intro [[Ana]] to Bob #gave ✅ 2026-11-02\n")
    write(vault, "People/Ana.md", "")
    network = load()
    assert standing(network, "Sam").reciprocity.gave == 1
    assert standing(network, "Ana").reciprocity.gave == 0
    assert standing(network, "Ana").last_contact == D(2026, 11, 2)


# --- future dates ---------------------------------------------------------------


def test_future_interactions_are_planned_and_do_not_count_as_contact(vault, load):
    write(vault, "People/Sam.md", SAM + "- 2026-11-28 #coffee planned #got\n")
    write(vault, "2026-11-22.md", "- dinner with [[Sam]]\n")
    write(vault, "Projects/P.md", "- [x] call [[Sam]] ✅ 2026-12-01\n")
    network = load()
    sam = standing(network, "Sam")
    assert sam.last_contact == D(2026, 10, 1)
    assert sam.last_kind == "note"
    assert sam.status == "overdue"
    assert [i.date for i in sam.planned] == [D(2026, 11, 22), D(2026, 11, 28), D(2026, 12, 1)]
    assert sam.reciprocity.got == 0
    assert sam.tie.intensity == pytest.approx(0.5 ** (51 / 180))
    # the same notes count once their day has come
    later = standing(load(D(2026, 11, 28)), "Sam")
    assert later.last_contact == D(2026, 11, 28)
    assert later.last_kind == "coffee"
    assert later.reciprocity.got == 1
    assert [i.date for i in later.planned] == [D(2026, 12, 1)]


def test_an_interaction_today_counts(vault, load):
    write(vault, "People/Sam.md", SAM + "- 2026-11-21 #call today\n")
    sam = standing(load(), "Sam")
    assert sam.last_contact == D(2026, 11, 21)
    assert sam.planned == []


# --- kinds ------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, kind",
    [
        ("- 2026-11-02 #coffee then #call", "coffee"),
        ("- 2026-11-02 #Call", "call"),
        ("- 2026-11-02 #gave #meeting #email", "meeting"),
        ("- 2026-11-02 #intro for [[Bob]]", "intro"),
        ("- 2026-11-02 #message", "message"),
        ("- 2026-11-02 #event", "event"),
        ("- 2026-11-02 lunch #food", "note"),
        ("- 2026-11-02 lunch#call", "note"),
        ("- 2026-11-02 [link](https://x.org/#call)", "note"),
        ("- 2026-11-02 #calls", "note"),
    ],
)
def test_kind_is_the_first_kind_tag(vault, load, line, kind):
    write(vault, "People/Ana.md", line + "\n")
    ana = standing(load(), "Ana")
    assert ana.interactions[0].kind == kind
    assert ana.last_kind == kind


def test_configured_kinds(vault, load):
    write(vault, "vaultnet.toml", 'kinds = ["#Lunch", "call"]\n')
    write(vault, "People/Ana.md", "- 2026-11-02 #coffee #lunch\n- 2026-11-01 #call\n")
    ana = standing(load(), "Ana")
    assert [i.kind for i in ana.interactions] == ["lunch", "call"]


def test_last_kind_prefers_a_non_note_kind_on_the_last_day(vault, load):
    # the daily note sorts before the contact note: the call comes second
    write(vault, "People/Sam.md", "- 2026-11-10 #call quick call\n- 2026-11-01 #coffee\n")
    write(vault, "2026-11-10.md", "- saw [[Sam]] at the office\n")
    sam = standing(load(), "Sam")
    assert sam.last_contact == D(2026, 11, 10)
    assert sam.last_kind == "call"


def test_last_kind_note_after_a_call_does_not_hide_the_call(vault, load):
    write(vault, "People/Sam.md", "---\nlast_contact: 2026-11-10\n---\n")
    write(vault, "2026-11-10.md", "- #call [[Sam]]\n- saw [[Sam]] again\n")
    sam = standing(load(), "Sam")
    assert sam.last_kind == "call"


def test_last_kind_only_looks_at_the_last_day(vault, load):
    write(vault, "People/Sam.md", "- 2026-11-09 #call\n")
    write(vault, "2026-11-10.md", "- saw [[Sam]]\n")
    sam = standing(load(), "Sam")
    assert sam.last_kind == "note"


def test_manual_last_contact_is_one_interaction_of_kind_note(vault, load):
    write(vault, "People/Sam.md", "---\ncircle: inner\nlast_contact: 2026-11-12\n---\n- 2026-11-02 #call\n")
    sam = standing(load(), "Sam")
    assert [(i.date, i.kind) for i in sam.interactions] == [(D(2026, 11, 12), "note"), (D(2026, 11, 2), "call")]
    assert sam.interactions[0].line == 3
    assert sam.interactions[0].path == "People/Sam.md"
    assert sam.last_contact == D(2026, 11, 12)
    assert sam.last_kind == "note"


def test_derived_interaction_later_than_manual_last_contact_wins(vault, load):
    write(vault, "People/Sam.md", "---\ncircle: inner\nlast_contact: 2026-11-02\n---\n- 2026-11-12 #call\n")
    sam = standing(load(), "Sam")
    assert sam.last_contact == D(2026, 11, 12)
    assert sam.last_kind == "call"
    assert sam.due == D(2026, 11, 26)


def test_manual_last_contact_in_the_future_is_planned(vault, load):
    write(vault, "People/Sam.md", "---\ncircle: inner\nlast_contact: 2026-12-01\n---\n")
    sam = standing(load(), "Sam")
    assert sam.last_contact is None
    assert sam.status == "never"


# --- follow-ups and open loops -----------------------------------------------------


def test_follow_ups_and_open_loops_in_a_contact_note(vault, load):
    write(
        vault,
        "People/Sam.md",
        """\
        ---
        circle: inner
        ---
        - [ ] send the deck 📅 2026-11-25
        - [ ] intro to Bob [due:: 2026-11-20]
        - [ ] lend the book
        - [x] done thing ✅ 2026-11-01
        """,
    )
    sam = standing(load(), "Sam")
    assert [(t.text, t.due, t.line) for t in sam.follow_ups] == [
        ("intro to Bob", D(2026, 11, 20), 5),
        ("send the deck", D(2026, 11, 25), 4),
    ]
    assert [(t.text, t.due, t.line) for t in sam.open_loops] == [("lend the book", None, 6)]
    assert all(t.path == "People/Sam.md" for t in sam.follow_ups + sam.open_loops)


def test_follow_up_in_a_non_contact_note_linking_a_contact(vault, load):
    write(vault, "People/Sam.md", "")
    write(vault, "People/Ana.md", "")
    write(vault, "Projects/Launch.md", "# Launch\n- [ ] email [[Sam]] and [[Ana]] the plan 📅 2026-11-23\n- [ ] ask [[Sam]]\n"
          "- [ ] nobody 📅 2026-11-23\n")
    network = load()
    sam, ana = standing(network, "Sam"), standing(network, "Ana")
    assert [(t.text, t.due, t.path, t.line) for t in sam.follow_ups] == [
        ("email Sam and Ana the plan", D(2026, 11, 23), "Projects/Launch.md", 2)
    ]
    assert ana.follow_ups == sam.follow_ups
    assert [t.line for t in sam.open_loops] == [3]
    assert ana.open_loops == []
    assert len(network.evidence.follow_ups) == 1


def test_follow_up_with_impossible_due_date_is_a_problem(vault, load):
    write(vault, "People/Sam.md", "- [ ] call 📅 2026-02-30\n")
    network = load()
    sam = standing(network, "Sam")
    assert sam.follow_ups == [] and sam.open_loops == []
    assert [(p.path, p.line) for p in network.problems] == [("People/Sam.md", 1)]


def test_open_task_in_code_or_comment_is_no_follow_up(vault, load):
    write(vault, "People/Sam.md", "```\n- [ ] call 📅 2026-11-25\n```\n%% - [ ] call 📅 2026-11-25 %%\n")
    sam = standing(load(), "Sam")
    assert sam.follow_ups == [] and sam.open_loops == []


# --- generated notes ------------------------------------------------------------


def test_generated_notes_count_only_ticked_items(vault, load):
    for name in ("Ana", "Bob", "Carl", "Dora", "Eve"):
        write(vault, f"People/{name}.md", "---\ncircle: inner\nlast_contact: 2026-10-01\n---\n")
    write(
        vault,
        "vaultnet/Plans/2026-W47.md",
        """\
        %% generated by vaultnet %%
        %% vaultnet:begin %%
        ## Check in
        - [x] [[Ana]] — check in ✅ 2026-11-18 ^vn-ana
        - [ ] [[Bob]] — check in 📅 2026-11-25 ^vn-bob
        ## Say thank you
        - [x] [[Carl]] — say thank you #thanked ✅ 2026-11-19 ^vn-carl
        ## Reciprocity
        - [[Dora]] — give before you ask again
        %% vaultnet:end %%
        - 2026-11-20 met [[Eve]]
        [[Eve]] paragraph
        """,
    )
    network = load()
    ana = standing(network, "Ana")
    assert ana.last_contact == D(2026, 11, 18)
    assert real(ana)[0].path == "vaultnet/Plans/2026-W47.md"
    carl = standing(network, "Carl")
    assert carl.last_contact == D(2026, 11, 19)
    assert carl.reciprocity.thanked == 1
    for name in ("Bob", "Dora", "Eve"):
        other = standing(network, name)
        assert real(other) == [], name
        assert other.follow_ups == [] and other.open_loops == [], name
        assert other.neighbours == (), name


def test_generated_note_named_like_a_daily_note_is_not_dated(vault, load):
    write(vault, "People/Sam.md", "")
    write(vault, "vaultnet/2026-11-10.md", "- met [[Sam]]\n- [x] called [[Sam]]\n")
    write(vault, "vaultnet/Network.md", "---\ndate: 2026-11-10\n---\n- met [[Sam]]\n")
    assert standing(load(), "Sam").interactions == []


def test_ticked_plan_item_thanks_clear_thank_you_due(vault, load):
    write(vault, "People/Carl.md", "- 2026-11-10 #got advice\n")
    assert standing(load(), "Carl").reciprocity.thank_you_due is True
    write(vault, "vaultnet/Plans/2026-W47.md", "- [x] [[Carl]] — say thank you #thanked ✅ 2026-11-20 ^vn-c\n")
    assert standing(load(), "Carl").reciprocity.thank_you_due is False


def test_configured_output_folder_is_the_generated_one(vault, load):
    write(vault, "vaultnet.toml", 'output = "PRM"\n')
    write(vault, "People/Sam.md", "")
    write(vault, "PRM/2026-11-10.md", "- met [[Sam]]\n- [x] [[Sam]] — check in ✅ 2026-11-12 ^vn-s\n")
    write(vault, "vaultnet/2026-11-11.md", "- met [[Sam]]\n")  # an ordinary note now
    assert dates(standing(load(), "Sam")) == [D(2026, 11, 12), D(2026, 11, 11)]


def test_person_tagged_note_in_the_output_folder_is_not_a_contact(vault, load):
    write(vault, "vaultnet/Network.md", "---\ntags: [person]\n---\n")
    assert load().standings == []


@pytest.mark.parametrize("line, due", [
    ("- [ ] ask [[Ana]] 📅 2026-11-25", "2026-11-25"),
    ("- [ ] ask [[Ana]] 📆 2026-11-25", "2026-11-25"),
    ("- [ ] ask [[Ana]] 🗓 2026-11-25", "2026-11-25"),
    ("- [ ] ask [[Ana]] 📅\uFE0F 2026-11-25", "2026-11-25"),
    ("- [ ] ask [[Ana]] [due:: 2026-11-25]", "2026-11-25"),
    ("- [ ] ask [[Ana]] (due:: 2026-11-25)", "2026-11-25"),
    ("- [ ] ask [[Ana]] [due:: 2026-11-27T10:00]", "2026-11-27"),
    ("- [ ] ask [[Ana]] [Due:: 2026-11-27 10:00]", "2026-11-27"),
    ("> [!todo]\n> - [/] ask [[Ana]] 📅 2026-11-25", "2026-11-25"),
])
def test_follow_ups_as_the_tasks_plugin_sees_them(vault, load, line, due):
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n")
    write(vault, "Projects/Launch.md", line + " 🔁 every week 🆔 abc123 ⛔ def456 ⏫ ➕ 2026-11-01 🛫 2026-11-20 ⏳ 2026-11-24\n")
    (task,) = standing(load(), "Ana").follow_ups
    assert (task.text, task.due.isoformat()) == ("ask Ana", due)


@pytest.mark.parametrize("line", [
    "- [x] called [[Ana]] ✅ 2026-11-19",
    "- [x] called [[Ana]] [completion:: 2026-11-19]",
    "- [x] called [[Ana]] (completion:: 2026-11-19)",
    "- [x] called [[Ana]] [completion:: 2026-11-19T08:30]",
    "> [!done] Done\n> - [x] called [[Ana]] ✅ 2026-11-19",
])
def test_done_dates_as_tasks_and_dataview_write_them(vault, load, line):
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n")
    write(vault, "Projects/Launch.md", line + "\n")
    assert [(i.date.isoformat(), i.source) for i in real(standing(load(), "Ana"))] == [("2026-11-19", "task")]


def test_tasks_and_dataview_syntax(vault, load):
    write(vault, "People/Ana.md", """
        ---
        circle: inner
        ---
        - [ ] send the deck ⏫ 🔁 every week 📅 2026-11-25 ⏳ 2026-11-24 🛫 2026-11-20 ➕ 2026-11-01
        - [x] call back ✅ 2026-11-12 [priority:: high]
        - [ ] review her draft [due:: 2026-11-30] (context:: laptop)
        - [-] cancelled 📅 2026-11-20
    """)
    network = load()
    ana = standing(network, "Ana")
    assert [(t.text, t.due.isoformat()) for t in ana.follow_ups] == [
        ("send the deck", "2026-11-25"), ("review her draft", "2026-11-30")]
    assert ana.last_contact.isoformat() == "2026-11-12"
    assert ana.interactions[0].text == "call back"


def test_windows_line_endings_everywhere(vault, load):
    write(vault, "People/Ana.md", "---\r\ncircle: inner\r\n---\r\n- 2026-11-10 #call hi\r\n- [ ] x 📅 2026-11-25\r\n".encode())
    write(vault, "2026-11-12.md", b"```\r\n[[Ana]] in code\r\n```\r\n- lunch with [[Ana]] #coffee\r\n")
    ana = standing(load(), "Ana")
    assert ana.last_contact.isoformat() == "2026-11-12" and ana.last_kind == "coffee"
    assert [t.due.isoformat() for t in ana.follow_ups] == ["2026-11-25"]
    assert len(ana.interactions) == 2


def test_shared_empty_evidence_is_never_added_to(vault, load):
    """Per-note evidence shares its empty lists, links and ids; nothing may ever add to them."""
    from vaultnet.evidence import interactions

    write(vault, "People/Ana.md", "---\ncircle: inner\nfriends: ['[[Bo]]']\n---\n- 2026-11-02 #call [[Bo]]\n")
    write(vault, "People/Bo.md", "---\ncircle: inner\n---\n- [ ] ask [[Ana]] 📅 2026-11-30\n")
    write(vault, "Daily/2026-11-03.md", "- met [[Ana]] and [[Bo]] #intro\n- [x] thanked [[Bo]] ✅ 2026-11-03\n")
    for _ in range(2):
        network = load()
    assert standing(network, "Ana").interactions and standing(network, "Bo").interactions
    assert interactions._NO_ITEMS == [] and interactions._NO_LINKS == {} and not interactions._NO_IDS
