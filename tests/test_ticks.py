"""What a tick records, and what happens to the task it came from."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vaultnet.advice.plan import build_plan
from vaultnet.edits.completion import complete_task_text
from vaultnet.files.config import load_config
from vaultnet.files.digests import as_read, ticked_lines
from vaultnet.files.generated import plan_rel
from vaultnet.output.regions import complete, heading, merge, stamp
from vaultnet.output.report import interaction_json
from vaultnet.pipeline.session import Session, build_network, build_vault

from conftest import TODAY, standing, write

PLAN = "vaultnet/Plans/2026-W47.md"
NEXT = dt.date(2026, 11, 28)


def plan_text(vault) -> str:
    return (vault / PLAN).read_text(encoding="utf-8")


def tick(vault, needle: str, extra: str = "") -> str:
    text = plan_text(vault)
    line = next(line for line in text.splitlines() if needle in line and line.startswith("- [ ]"))
    ticked = line.replace("- [ ]", "- [x]", 1) + extra
    (vault / PLAN).write_text(text.replace(line, ticked), encoding="utf-8")
    return ticked


@pytest.fixture
def ana(vault):
    write(vault, "People/Ana.md", """
        ---
        circle: inner
        ---
        ## Log
        - 2026-09-01 #call talked about her move
        - 2026-10-25 #call #got feedback on my deck
        - [ ] send Ana the notes 📅 2026-11-18 ^task1
    """)
    return vault


def test_a_ticked_check_in_records_the_kind_it_planned_with_a_label(ana):
    config = load_config(ana)
    build_vault(config, TODAY)
    line = tick(ana, "— was due")
    assert "call, 30 min" in line and " #call " in line
    build_vault(config, TODAY)
    sam = standing(build_network(config, TODAY), "Ana")
    last = sam.interactions[0]
    assert (last.kind, last.source, last.section, last.text) == ("call", "plan", "check-in", "check-in from the 2026-W47 plan")
    assert interaction_json(last, build_network(config, TODAY))["source"] == "plan"
    # Next check-in: a call again, and the hint is what the user wrote, not the tick's label.
    builder = Session(config, remember=False).builder(dt.date(2027, 1, 4), write=False)
    _, plan, _ = builder.prepare_plan()
    (item,) = plan.section("check-in")
    assert "call, 30 min · last time (2026-10-25): feedback on my deck" in item.text


def test_a_ticked_thank_you_records_thanked(ana):
    config = load_config(ana)
    build_vault(config, TODAY)
    tick(ana, "say thank you")
    build_vault(config, TODAY)
    ana_now = standing(build_network(config, TODAY), "Ana")
    assert ana_now.reciprocity.thanked == 1 and ana_now.reciprocity.thank_for is None
    assert "say thank you" not in plan_text(ana).split("## Say thank you")[1].split("- [x]")[0]


@pytest.mark.parametrize("extra", ["", " ✅ 2026-11-20", " [completion:: 2026-11-20]", " and it went well"])
def test_a_ticked_follow_up_is_completed_in_its_note(ana, extra):
    config = load_config(ana)
    before = (ana / "People/Ana.md").read_text(encoding="utf-8")
    build_vault(config, TODAY)
    tick(ana, "send Ana the notes", extra)
    results = build_vault(config, TODAY)
    assert "People/Ana.md" in [r.rel for r in results if r.changed]
    note = (ana / "People/Ana.md").read_text(encoding="utf-8")
    # Completed on the day the plan item was ticked (the date it carries, else the day the plan was saved).
    day = "2026-11-20" if "2026-11-20" in extra else "2026-11-21"
    assert note == before.replace("- [ ] send Ana the notes 📅 2026-11-18 ^task1",
                                  f"- [x] send Ana the notes 📅 2026-11-18 ✅ {day} ^task1")  # nothing else
    assert standing(build_network(config, TODAY), "Ana").follow_ups == []
    build_vault(config, NEXT)
    assert "send Ana the notes" not in (ana / plan_rel(config, "2026-W48")).read_text(encoding="utf-8")
    assert not any(r.changed for r in build_vault(config, NEXT))


def test_a_follow_up_ticked_in_an_older_plan_is_completed_too(ana):
    config = load_config(ana)
    build_vault(config, TODAY)
    build_vault(config, NEXT)  # a new week; the old plan stays
    tick(ana, "send Ana the notes")
    build_vault(config, NEXT)
    assert "- [x] send Ana the notes 📅 2026-11-18 ✅ 2026-11-28 ^task1" in (ana / "People/Ana.md").read_text("utf-8")


def test_read_only_commands_never_complete_a_follow_up(ana):
    config = load_config(ana)
    build_vault(config, TODAY)
    tick(ana, "send Ana the notes")
    before = (ana / "People/Ana.md").read_bytes()
    _, plan, _ = Session(config, remember=False).builder(TODAY, write=False).prepare_plan()
    assert plan.section("follow-ups") == []  # as a build would plan it
    assert (ana / "People/Ana.md").read_bytes() == before


def test_a_follow_up_is_never_completed_through_a_symlink_out_of_the_vault(vault, tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text("- [ ] send [[Ana]] the notes 📅 2026-11-18\n", encoding="utf-8")
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n")
    os.symlink(outside, vault / "Linked.md")
    config = load_config(vault)
    build_vault(config, TODAY)
    if "send Ana the notes" not in plan_text(vault):
        pytest.skip("symlinked notes are not read")
    tick(vault, "send Ana the notes")
    results = build_vault(config, TODAY)
    assert outside.read_text(encoding="utf-8") == "- [ ] send [[Ana]] the notes 📅 2026-11-18\n"
    assert any(r.error and "outside the vault" in r.error for r in results)


def test_completing_changes_only_the_task_line():
    text = "a\n- [ ] send [[Ana]] the notes 📅 2026-11-18 ^b1\r\n> [!todo]\n> - [/] call [[Bob]] 📆 2026-11-19\nz"
    done = complete_task_text(text, 2, "send Ana the notes", TODAY)
    assert done == text.replace("- [ ] send [[Ana]] the notes 📅 2026-11-18 ^b1",
                                "- [x] send [[Ana]] the notes 📅 2026-11-18 ✅ 2026-11-21 ^b1")
    callout = complete_task_text(text, 4, "call Bob", TODAY)
    assert callout == text.replace("> - [/] call [[Bob]] 📆 2026-11-19", "> - [x] call [[Bob]] 📆 2026-11-19 ✅ 2026-11-21")
    assert complete_task_text(text, 2, "something else", TODAY) is None  # edited since: left alone
    assert complete_task_text(text, 9, "send Ana the notes", TODAY) is None


@pytest.mark.parametrize("line", ["- [x] a [completion:: 2026-11-19] ^vn-a", "- [x] a (completion:: 2026-11-19)",
                                  "- [x] a ^vn-a ✅ 2026-11-18"])
def test_a_line_with_a_done_date_in_either_format_is_never_stamped(line):
    assert complete(line, TODAY) == line
    assert stamp(line + "\n", TODAY) == line + "\n"


def test_one_heading_rule():
    assert heading("## Check in\n") == heading("   ##   Check in  ") == "## Check in"
    assert heading("    ## Check in") is None  # four spaces: code, not a heading
    assert heading("##") == "##" and heading("#tag") is None
    old = "   ## Check in\n\n- [x] [[Ana]] — call ✅ 2026-11-20 ^vn-check-in-aaaaaaaa\n"
    new = "## Check in\n\n- [ ] [[Bob]] — call ^vn-check-in-bbbbbbbb\n"
    assert merge(new, old) == new + "- [x] [[Ana]] — call ✅ 2026-11-20 ^vn-check-in-aaaaaaaa\n"


def test_a_tick_without_its_block_id_stays_and_is_reported(ana):
    config = load_config(ana)
    build_vault(config, TODAY)
    text = plan_text(ana)
    line = next(line for line in text.splitlines() if "— was due" in line)
    bare = line.replace("- [ ]", "- [x]", 1).split(" ^vn-")[0]
    (ana / PLAN).write_text(text.replace(line, bare), encoding="utf-8")
    build_vault(config, TODAY)
    build_vault(config, TODAY)
    after = plan_text(ana)
    assert after.count(bare) == 1 and "## Check in" in after.split(bare)[0]
    problems = [p for p in build_network(config, TODAY).problems if p.path == PLAN]
    assert problems and "block id" in problems[0].message


def test_the_plan_says_dates_so_it_changes_with_the_vault_not_at_midnight(vault):
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n- 2026-11-06 #call hi\n- [ ] send it 📅 2026-11-20\n")
    network = build_network(load_config(vault), TODAY)
    plan = build_plan(network, TODAY)
    assert plan.section("follow-ups")[0].text == "send it (was due Fri 2026-11-20)"
    assert plan.section("check-in")[0].text.startswith("was due Fri 2026-11-20 · call, 30 min")
    # the next day (same week) says the same: nothing to rewrite, nothing to sync
    tomorrow = TODAY + dt.timedelta(days=1)
    later = build_plan(build_network(load_config(vault), tomorrow), tomorrow)
    assert [(i.key, i.text) for i in later.items] == [(i.key, i.text) for i in plan.items]


def test_a_plan_counts_by_its_ticked_items_alone(ana):
    """Template syntax or a tick shown in a code block in what the user wrote into a plan leaves the plan's
    ticks as they are: a build reads a generated note as its ticked items, the lines that decide what an
    item is kept (a tick in a code block is still no tick)."""
    config = load_config(ana)
    build_vault(config, TODAY)
    key = tick(ana, "— was due").rsplit("^", 1)[1]
    build_vault(config, TODAY)  # dates the tick
    (ana / PLAN).write_text(plan_text(ana) + (
        "\nMy notes for {{date}}:\n"
        "```\n- [x] [[Ana]] shown in a code block ✅ 2026-11-20 ^vn-check-in-00000000\n```\n"
        "> [!note] Done\n> - [x] [[Ana]] coffee in a callout ✅ 2026-11-19 ^vn-check-in-11111111\n"), encoding="utf-8")
    ticks = [item for item in standing(build_network(config, TODAY), "Ana").interactions if item.source == "plan"]
    assert sorted(item.key for item in ticks) == sorted([key, "vn-check-in-11111111"])


def test_prose_written_into_a_plan_is_no_input(vault):
    """Words in a plan are what a build (or the user) wrote there, not the vault's: they never decide
    which names are common words, so a cold build and a warm one (whose fingerprint knows a plan by its
    ticks alone) agree, and so do two devices whose templates word the plan differently."""
    write(vault, "People/Will.md", "---\ncircle: inner\n---\n")
    write(vault, "Daily/2026-11-18.md", "Lunch with Will at the harbour.\n")
    config = load_config(vault)
    build_vault(config, TODAY)
    (vault / PLAN).write_text(plan_text(vault) + "\nwe will see; it will rain; will do; will call\n", encoding="utf-8")
    warm = standing(build_network(config, TODAY), "Will").last_contact
    for path in (vault / ".vaultnet" / "cache").iterdir():
        path.unlink()
    cold = standing(build_network(config, TODAY), "Will").last_contact
    assert warm == cold == dt.date(2026, 11, 18)


@given(st.lists(st.sampled_from([
    "- [x] [[Ana]] call ✅ 2026-11-20 ^vn-check-in-1", "- [ ] [[Sam]] open", "| [[Ana]] | ok |", "| --- | ---: |",
    "```", "%% a comment %%", "%%", "> [!note]", "> - [-] dropped", "prose [[Ana]]", "", "  * [/] half", "---",
]), max_size=30), st.sampled_from(["\n", "\r\n"]))
def test_a_generated_note_as_read_keeps_every_line_and_tick_where_it_was(lines, end):
    data = end.join(lines).encode()
    read = as_read(data)
    assert read.count(b"\n") == data.count(b"\n")
    assert ticked_lines(read) == ticked_lines(data)
    for was, now in zip(data.split(b"\n"), read.split(b"\n"), strict=True):
        assert now in (was, b"")


@given(st.lists(st.sampled_from([
    "- [x] [[Ana]] call ✅ 2026-11-20 ^vn-check-in-1", "- [ ] [[Sam]] open", "| [[Ana]] | ok |", "[[A]]", "- []] odd",
    "> - [-] dropped", "prose [x] in a line", "1. [/] half", "- [x]", "-\t[?] asked", "x", "",
]), max_size=30), st.sampled_from(["\n", "\r\n"]))
def test_a_note_without_a_changed_box_has_no_ticked_lines(lines, end):
    """The box is looked for first (the index has none): the ticked lines are the ones a full look finds."""
    import re

    from vaultnet.files import digests

    data = end.join(lines).encode()
    found = ticked_lines(data)
    everything, digests._MARK = digests._MARK, re.compile(rb"")
    try:
        assert found == ticked_lines(data)
    finally:
        digests._MARK = everything
