import datetime as dt
import json

from vaultnet.advice.plan import build_plan, item_key, ticked_minutes, week_reference

from conftest import TODAY, write


def sections(plan):
    return [(item.section, item.people) for item in plan.items]


def test_sections_come_in_spec_order_and_skip_paused_and_snoozed(vault, load):
    write(vault, "People/Ana.md", """
        ---
        cadence: weekly
        birthday: 1990-11-17
        ---
        - 2026-11-12 #got a lead on a flat
        - 2026-10-01 #got help #asked more
        - [ ] send the deck 📅 2026-11-19
    """)
    write(vault, "People/Paused.md", "---\ncircle: inner\npaused: true\nbirthday: 11-18\n---\n- [ ] x 📅 2026-11-19\n")
    write(vault, "People/Snoozed.md", "---\ncircle: inner\nsnooze_until: 2026-12-01\n---\n- 2026-11-12 #got thing\n")
    plan = build_plan(load(), TODAY)
    assert plan.week == "2026-W47"
    assert sections(plan) == [
        ("follow-ups", ("Ana",)),
        ("birthdays", ("Ana",)),
        ("check-in", ("Ana",)),
        ("thank-you", ("Ana",)),
        ("reciprocity", ("Ana",)),
    ]
    thank_you = plan.section("thank-you")[0]
    assert thank_you.tags == ("thanked",)
    assert thank_you.text == "say thank you for: a lead on a flat (Thu 2026-11-12)"
    assert plan.section("reciprocity")[0].task is False
    assert plan.section("reciprocity")[0].text.startswith("taking (gave 0, got 2, asked 1): give before you ask again")


def test_follow_ups_due_by_sunday_overdue_first(vault, load):
    write(vault, "People/Ana.md", """
        ---
        ---
        - [ ] later 📅 2026-11-23
        - [ ] sunday 📅 2026-11-22
        - [ ] long ago [due:: 2026-10-01]
        - [ ] no date
    """)
    plan = build_plan(load(), TODAY)
    assert [item.text for item in plan.section("follow-ups")] == [
        "long ago (was due Thu 2026-10-01)",
        "sunday (due Sun 2026-11-22)",
    ]
    assert plan.section("follow-ups")[0].due == dt.date(2026, 10, 1)


def test_birthdays_this_week_including_past_days_and_year_end(vault, load):
    write(vault, "People/Ana.md", "---\nbirthday: 1990-11-16\n---\n")
    write(vault, "People/Bob.md", "---\nbirthday: 11-23\n---\n")
    write(vault, "People/Cy.md", "---\nbirthday: 2000-01-02\n---\n")
    write(vault, "People/Leap.md", "---\nbirthday: 1992-02-29\n---\n")
    assert [i.people for i in build_plan(load(), TODAY).section("birthdays")] == [("Ana",)]
    assert build_plan(load(), TODAY).section("birthdays")[0].text == "birthday Mon 2026-11-16 (turns 36)"
    new_year = build_plan(load(dt.date(2026, 12, 30)), dt.date(2026, 12, 30))  # week of Dec 28 - Jan 3
    assert [(i.people, i.due) for i in new_year.section("birthdays")] == [(("Cy",), dt.date(2027, 1, 2))]
    leap = build_plan(load(dt.date(2027, 3, 1)), dt.date(2027, 3, 1))  # week of Mar 1, 2027
    assert leap.section("birthdays") == []
    feb = build_plan(load(dt.date(2027, 2, 28)), dt.date(2027, 2, 28))
    assert [i.due for i in feb.section("birthdays")] == [dt.date(2027, 2, 28)]


def test_check_ins_by_priority_within_the_budget(vault, load):
    write(vault, "vaultnet.toml", "[plan]\nbudget_minutes = 70\n")
    write(vault, "People/Coffee.md", "---\ncircle: inner\n---\n- 2026-10-01 #coffee long chat\n")  # 60 min, top
    write(vault, "People/Call.md", "---\ncircle: close\n---\n- 2026-09-01 #call catch-up\n")  # 30 min
    write(vault, "People/Message.md", "---\ncircle: network\n---\n- 2026-07-01 #message hi\n")  # 10 min
    write(vault, "People/Never.md", "---\ncircle: acquaintance\ngoals: [run a marathon]\n---\n")  # 15 min
    plan = build_plan(load(), TODAY)
    # Coffee (60) fits, Call (30) does not, Message (10) fills to 70, Never (15) does not.
    assert [i.people for i in plan.section("check-in")] == [("Coffee",), ("Message",)]
    assert plan.used_minutes == 70
    assert plan.section("check-in")[0].text == (
        "was due Thu 2026-10-15 · coffee, 60 min · last time (2026-10-01): long chat"
    )


def test_ticked_check_ins_count_against_the_budget(vault, load):
    write(vault, "vaultnet.toml", "[plan]\nbudget_minutes = 60\n")
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n- 2026-10-01 #call x\n")
    write(vault, "People/Bob.md", "---\ncircle: inner\n---\n")
    rel = "vaultnet/Plans/2026-W47.md"
    # The minutes follow the kind the line records (#coffee), never the prose ("5 min").
    write(vault, rel, "%% vaultnet:begin %%\n## Check in\n\n"
          "- [x] [[Bob]] — overdue by 3 days · coffee, 5 min #coffee ✅ 2026-11-20 ^vn-check-in-00000001\n"
          "%% vaultnet:end %%\n")
    network = load()
    assert ticked_minutes(network, rel) == 60
    assert ticked_minutes(network, "vaultnet/Plans/2026-W46.md") == 0
    assert build_plan(network, TODAY, rel).section("check-in") == []
    assert len(build_plan(network, TODAY).section("check-in")) == 1


def test_never_contact_hint_is_a_goal(vault, load):
    write(vault, "People/Ana.md", "---\ncircle: inner\ngoals: [move to Lisbon]\n---\n")
    (item,) = build_plan(load(), TODAY).section("check-in")
    assert item.text == "no contact yet · 15 min · ask about: move to Lisbon"
    assert item.due is None


def test_hints_never_copy_tags_or_links(vault, load):
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n- 2026-10-01 #coffee #gave met [[Bob]] about #hiring\n")
    write(vault, "People/Bob.md", "---\n---\n")
    (item,) = build_plan(load(), TODAY).section("check-in")
    assert "#" not in item.text and "[[" not in item.text
    assert item.text.endswith("met Bob about")


def test_keys_are_stable_and_distinct(vault, load):
    write(vault, "People/Ana.md", "---\ncircle: inner\nbirthday: 11-20\n---\n- [ ] a 📅 2026-11-20\n- [ ] b 📅 2026-11-20\n")
    first = [item.key for item in build_plan(load(), TODAY).items]
    write(vault, "People/Ana.md", "---\ncircle: inner\nbirthday: 11-20\n---\nnew intro line\n\n- [ ] a 📅 2026-11-20\n- [ ] b 📅 2026-11-20\n")
    assert [item.key for item in build_plan(load(), TODAY).items] == first  # lines moved, keys kept
    assert len(set(first)) == len(first)
    assert all(key.startswith("vn-") for key in first)
    assert item_key("check-in", "People/Ana.md", "2026-W47") != item_key("check-in", "People/Ana.md", "2026-W48")


def test_a_remembered_block_id_is_the_one_worked_out_whatever_its_parts():
    """Block ids are remembered by their parts and the parts' types: equal parts of other types
    (``1``, ``1.0``, ``True``) say other things, and a part that cannot be remembered is worked out."""
    from vaultnet.base.sections import _item_key

    for parts in [(1,), (1.0,), (True,), ("1",), ("Zoe\u0308",), ("Zoë",), (["a list"],), (("company", "Acme"),)]:
        assert item_key("congratulate", *parts) == _item_key("congratulate", *parts)
        assert item_key("congratulate", *parts) == _item_key("congratulate", *parts)  # asked again: remembered
    assert len({item_key("nudge", part) for part in (1, 1.0, True)}) == 3
    assert item_key("nudge", "Zoe\u0308") == item_key("nudge", "Zoë")  # NFC: one id for both spellings


def test_reciprocity_only_for_recent_contact(vault, load):
    write(vault, "People/Old.md", "---\n---\n- 2026-08-01 #got a #asked b\n")  # 112 days ago
    write(vault, "People/New.md", "---\n---\n- 2026-08-23 #got a #asked b\n")  # 90 days ago: in
    assert [i.people for i in build_plan(load(), TODAY).section("reciprocity")] == [("New",)]


def test_week_reference():
    assert week_reference(TODAY, None) == TODAY
    assert week_reference(TODAY, dt.date(2026, 11, 16)) == TODAY
    assert week_reference(TODAY, dt.date(2026, 11, 23)) == dt.date(2026, 11, 23)


def test_reconnect_and_introduce_sections(vault, load):
    write(vault, "vaultnet.toml", "[plan]\nreconnect = 1\nintroductions = 1\n")
    write(vault, "People/Hub.md", "---\nindustry: software\n---\n- 2026-11-01 #call\n")
    write(vault, "People/Lawyer.md", "---\nindustry: law\n---\n- 2025-12-01 with [[Hub]]\n")
    write(vault, "People/Artist.md", "---\nindustry: art\n---\n- 2025-12-01 with [[Hub]]\n")
    write(vault, "People/Needy.md", "---\nneeds: [legal advice]\n---\n")
    write(vault, "People/Giver.md", "---\noffers: [Legal Advice for startups]\n---\n")
    write(vault, "People/Other.md", "---\nneeds: [startups]\n---\n")
    plan = build_plan(load(), TODAY)
    (reconnect,) = plan.section("reconnect")
    assert reconnect.people == ("Artist",)
    assert reconnect.text.startswith("last spoke on 2025-12-01 (with Hub); you both know Hub; art is new for you")
    (intro,) = plan.section("introduce")
    assert intro.people == ("Giver", "Needy") and intro.tags == ("intro",)
    assert intro.text == "Needy needs legal advice; Giver offers Legal Advice for startups"


def test_reconnect_skips_people_already_in_the_plan(vault, load):
    write(vault, "People/Hub.md", "---\n---\n- 2026-11-01 #call\n")
    write(vault, "People/Old.md", "---\nbirthday: 11-20\n---\n- 2025-12-01 with [[Hub]]\n")
    plan = build_plan(load(), TODAY)
    assert plan.section("birthdays")[0].people == ("Old",)
    assert plan.section("reconnect") == []


def test_coming_up_lists_birthdays_and_follow_ups_in_the_lookahead_after_this_week(vault, load):
    write(vault, "People/Ana.md", "---\nbirthday: 1990-11-23\n---\n- [ ] send the deck 📅 2026-12-06\n- [ ] later 📅 2026-12-07\n")
    write(vault, "People/Bob.md", "---\nbirthday: 11-22\n---\n- [ ] this week 📅 2026-11-22\n")  # this week's sections
    write(vault, "People/Cy.md", "---\nbirthday: 12-06\nsnooze_until: 2026-12-31\n---\n- [ ] hidden 📅 2026-11-30\n")
    write(vault, "People/Di.md", "---\nbirthday: 2000-12-06\n---\n")
    plan = build_plan(load(), TODAY)
    coming = plan.section("coming-up")
    assert [(item.people, item.text, item.due, item.task) for item in coming] == [
        (("Ana",), "birthday Mon 2026-11-23 (turns 36)", dt.date(2026, 11, 23), False),
        (("Di",), "birthday Sun 2026-12-06 (turns 26)", dt.date(2026, 12, 6), False),
        (("Ana",), "send the deck (due Sun 2026-12-06)", dt.date(2026, 12, 6), False),
    ]  # Dec 7 is 15 days after Sunday; Cy is snoozed; Bob's are this week's
    assert len({item.key for item in coming}) == 3
    (vault / "vaultnet.toml").write_text("[plan]\nlookahead_days = 15\n")
    assert [item.text for item in build_plan(load(), TODAY).section("coming-up")][-1] == "later (due Mon 2026-12-07)"
    (vault / "vaultnet.toml").write_text("[plan]\nlookahead_days = 0\n")
    assert build_plan(load(), TODAY).section("coming-up") == []


def test_coming_up_in_the_note_and_json(vault):
    from click.testing import CliRunner

    from vaultnet.cli.main import main

    write(vault, "People/Ana.md", "---\nbirthday: 1990-11-23\n---\n")
    args = ["--vault", str(vault), "--today", "2026-11-21", "plan"]
    note = CliRunner().invoke(main, [*args, "--stdout"]).output
    assert "## Coming up\n\n- [[Ana]] — birthday Mon 2026-11-23 (turns 36)\n" in note
    data = json.loads(CliRunner().invoke(main, [*args, "--json"]).output)
    assert [item["section"] for item in data["items"]] == ["coming-up"]
    write(vault, "People/Ana.md", "---\n---\n")
    note = CliRunner().invoke(main, [*args, "--stdout"]).output
    assert "## Coming up\n\nNo birthdays or follow-ups in the 14 days after this week.\n" in note


def test_a_plan_with_only_untracked_people_says_how_to_give_them_a_circle(vault):
    """A vault read as it is has people and no circles: the empty check-in section says why, and what to run."""
    from vaultnet.files.config import load_config
    from vaultnet.output.render import plan_context
    from vaultnet.pipeline.session import build_network

    write(vault, "People/Ana.md", "---\ncompany: Acme\n---\n")
    write(vault, "People/Bo.md", "---\ncompany: Acme\n---\n")
    plan = build_plan(build_network(load_config(vault), TODAY), TODAY)
    check_in = next(s for s in plan_context(plan)["sections"] if s["id"] == "check-in")
    assert check_in["items"] == []
    assert check_in["empty"] == ("Nobody is due for a check-in. 2 contacts have no circle or cadence yet: "
                                 "`vaultnet triage` gives them one.")
    write(vault, "People/Ana.md", "---\ncircle: close\n---\n- 2026-11-20 #call\n")
    plan = build_plan(build_network(load_config(vault), TODAY), TODAY)
    check_in = next(s for s in plan_context(plan)["sections"] if s["id"] == "check-in")
    assert check_in["empty"].endswith("1 contact has no circle or cadence yet: `vaultnet triage` gives them one.")


def test_a_plan_that_remembers_equals_a_fresh_one_after_each_edit(vault):
    """The watcher's plan works out per person only what changed (see advice/perstanding.py): after each
    edit it is the plan worked out from nothing, section by section."""
    from vaultnet.advice.plan import PlanMemo
    from vaultnet.files.config import load_config
    from vaultnet.pipeline.session import Session

    write(vault, "People/Ana.md", "---\ncircle: inner\nbirthday: 1990-11-19\n---\n## Log\n"
                                  "- 2026-10-01 #call #got an intro to Lee\n")
    write(vault, "People/Sam.md", "---\ncircle: close\n---\n## Log\n- 2026-11-01 #email #waiting sent the deck\n")
    write(vault, "People/Zoë.md", "---\ncircle: network\n---\n## Log\n- 2026-10-20 #moved to Lyon\n"
                                  "- 2026-10-21 #call #gave #gave #gave #gave feedback\n")
    session, memo = Session(load_config(vault)), PlanMemo()
    edits = [("People/Ana.md", "- 2026-11-20 #coffee #thanked for the intro\n"),
             ("People/Sam.md", "- 2026-11-19 #call he answered\n"),
             ("People/Zoë.md", "- 2026-11-05 #newbaby a daughter\n"),
             ("People/Lee.md", "---\ncircle: close\nbirthday: 1985-11-20\n---\n"),
             ("People/Ana.md", "- 2026-11-21 #call #got a reference\n")]
    sections: set[str] = set()
    for rel, text in [(None, ""), *edits]:
        if rel is not None:
            path = vault / rel
            path.write_text((path.read_text(encoding="utf-8") if path.exists() else "") + text, encoding="utf-8")
            session.refresh([rel])
        network = session.network(TODAY)
        remembered = build_plan(network, TODAY, memo=memo)
        assert remembered.items == build_plan(network, TODAY).items
        sections.update(item.section for item in remembered.items)
    assert {"thank-you", "circle-back", "nudge", "life-events", "birthdays", "reciprocity", "check-in"} <= sections


def test_per_standing_answers_are_kept_by_the_standing_object():
    from vaultnet.advice.perstanding import PerStanding
    from vaultnet.evidence.contacts import Contact
    from vaultnet.standings.standing import Standing

    ana, sam = Standing(Contact("Ana", "People/Ana.md"), "ok"), Standing(Contact("Sam", "People/Sam.md"), "ok")
    each, calls = PerStanding(), []

    def name(standing):
        calls.append(standing.name)
        return standing.name.upper()

    assert each(("name",), [ana, sam], name) == ["ANA", "SAM"] and calls == ["Ana", "Sam"]
    assert each(("name",), [ana, sam], name) == ["ANA", "SAM"] and calls == ["Ana", "Sam"]  # kept
    ana2 = Standing(Contact("Ana B", "People/Ana.md"), "ok")  # Ana's standing worked out anew
    assert each(("name",), [ana2, sam], name) == ["ANA B", "SAM"] and calls[2:] == ["Ana B"]
    assert each(("other",), [sam], name) == ["SAM"] and calls[3:] == ["Sam"]  # another key, its own table
    each.done()
    each(("name",), [sam], name)  # Ana is gone: her answer with her
    each.done()
    assert each(("name",), [ana2, sam], name) == ["ANA B", "SAM"] and calls[-1] == "Ana B"
    assert each(("other",), [sam], name) == ["SAM"] and calls[-1] == "Sam"  # unused by the last plan: let go
    # The same people in the same order: only the standing that is a new object is worked out again; in
    # another order each answer is looked up, and none is worked out again.
    before = len(calls)
    sam2 = Standing(Contact("Sam Lee", "People/Sam.md"), "due")
    assert each(("name",), [ana2, sam2], name) == ["ANA B", "SAM LEE"] and calls[before:] == ["Sam Lee"]
    assert each(("name",), [sam2, ana2], name) == ["SAM LEE", "ANA B"] and calls[before:] == ["Sam Lee"]
    assert each(("name",), [sam2, ana], name) == ["SAM LEE", "ANA"] and calls[before:] == ["Sam Lee", "Ana"]
