import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vaultnet.notes.markdown import done_date, scan
from vaultnet.output.regions import (
    BEGIN,
    END,
    RegionError,
    merge,
    replace_region,
    split,
    stamp,
    user_items,
)
from vaultnet.output.regions import heading as heading_of

NOTE = f"mine above\n{BEGIN}\n# Week\n\n## Check in\n\n- [ ] [[Ana]] — call ^vn-aaaa\n{END}\n\n## Notes\nmine below\n"


def test_split_and_replace_keep_the_outside():
    before, region, after = split(NOTE, "Plan.md")
    assert before == f"mine above\n{BEGIN}\n"
    assert after == f"{END}\n\n## Notes\nmine below\n"
    assert replace_region(NOTE, "new\n", "Plan.md") == f"mine above\n{BEGIN}\nnew\n{END}\n\n## Notes\nmine below\n"


@pytest.mark.parametrize(
    "text",
    [
        "no markers at all\n",
        f"{BEGIN}\nonly the start\n",
        f"{BEGIN}\n{BEGIN}\nx\n{END}\n",
        f"{BEGIN}\nx\n{END}\n{END}\n",
        f"{END}\nx\n{BEGIN}\n",
    ],
)
def test_missing_or_duplicated_markers_are_a_clear_error(text):
    with pytest.raises(RegionError, match="Plan.md: expected one"):
        split(text, "Plan.md")


def test_stamp_adds_done_date_before_the_key_only_when_missing():
    region = (
        "- [x] [[Ana]] — call ^vn-aaaa\n"
        "- [x] [[Bob]] — call ✅ 2026-11-17 ^vn-bbbb\n"
        "- [ ] [[Cy]] — call ^vn-cccc\n"
        "- [X] [[Di]] — thanks #thanked ^vn-dddd\n"
    )
    assert stamp(region, dt.date(2026, 11, 21)) == (
        "- [x] [[Ana]] — call ✅ 2026-11-21 ^vn-aaaa\n"
        "- [x] [[Bob]] — call ✅ 2026-11-17 ^vn-bbbb\n"
        "- [ ] [[Cy]] — call ^vn-cccc\n"
        "- [X] [[Di]] — thanks #thanked ✅ 2026-11-21 ^vn-dddd\n"
    )


def test_stamp_adds_the_date_and_changes_no_other_byte():
    # Found by the property tests: the spaces before the block id were dropped, and a ✅️ date
    # (with the emoji variation selector, which the Tasks plugin may write) got a second date.
    region = "- [x] a  ^vn-a\n- [x] b ✅\ufe0f 2026-11-20 ^vn-b\n- [x] c\t^vn-c \n"
    assert stamp(region, dt.date(2026, 11, 21)) == (
        "- [x] a  ✅ 2026-11-21 ^vn-a\n- [x] b ✅\ufe0f 2026-11-20 ^vn-b\n- [x] c\t✅ 2026-11-21 ^vn-c \n"
    )


@pytest.mark.parametrize("odd", ["\u2028", "\x85", "\x1e", "\x0c"])
def test_a_tick_on_a_line_with_a_unicode_line_separator_is_kept(odd):
    # str.splitlines() broke such a line in two, and the tick was lost.
    old = f"## A\n- [x] y{odd}z ^vn-a\n"
    assert merge("## A\n", old) == old
    assert stamp(old, dt.date(2026, 11, 21)) == f"## A\n- [x] y{odd}z ✅ 2026-11-21 ^vn-a\n"


def test_a_kept_item_is_never_glued_to_a_last_line_without_a_line_break():
    assert merge("## A\n- [ ] x ^vn-b", "## A\n- [x] y ^vn-a\n") == "## A\n- [ ] x ^vn-b\n- [x] y ^vn-a\n"


def test_user_items_remember_their_heading():
    region = "## Check in\n**Sat 2026-11-21**\n- [x] a ^vn-1\n- [ ] b ^vn-2\n## Say thank you\n- [-] c ^vn-3\n"
    assert user_items(region) == {"vn-1": ("- [x] a ^vn-1\n", "## Check in", "Sat 2026-11-21"),
                                  "vn-3": ("- [-] c ^vn-3\n", "## Say thank you", None)}


CHECK_INS = "## Check in\n\n**Sat 2026-11-21**\n\n- [ ] [[Bob]] — call ^vn-b\n\n**Sun 2026-11-22**\n\n- [ ] [[Cleo]] — call ^vn-c\n"


def test_a_ticked_item_no_longer_generated_goes_back_under_its_day():
    old = CHECK_INS.replace("- [ ] [[Bob]] — call ^vn-b\n", "- [ ] [[Bob]] — call ^vn-b\n- [x] [[Ana]] — call ✅ 2026-11-21 ^vn-a\n")
    assert merge(CHECK_INS, old) == old


def test_a_ticked_item_whose_day_is_gone_gets_its_day_back_in_order():
    old = "## Check in\n\n**Fri 2026-11-20**\n\n- [x] [[Ana]] — call ✅ 2026-11-20 ^vn-a\n\n" + CHECK_INS.split("\n\n", 1)[1]
    assert merge(CHECK_INS, old) == old
    late = CHECK_INS + "\n**Mon 2026-11-23**\n\n- [x] [[Dev]] — call ✅ 2026-11-21 ^vn-d\n"
    assert merge(CHECK_INS, late) == late


def test_merge_keeps_ticks_of_items_still_generated():
    old = "## Check in\n\n- [x] [[Ana]] — old text ✅ 2026-11-20 ^vn-aaaa\n"
    new = "## Check in\n\n- [ ] [[Ana]] — new text ^vn-aaaa\n- [ ] [[Bob]] — call ^vn-bbbb\n"
    assert merge(new, old) == "## Check in\n\n- [x] [[Ana]] — old text ✅ 2026-11-20 ^vn-aaaa\n- [ ] [[Bob]] — call ^vn-bbbb\n"


def test_merge_keeps_ticked_items_no_longer_generated_under_their_heading():
    old = "## Check in\n\n- [x] [[Ana]] — call ✅ 2026-11-20 ^vn-aaaa\n\n## Say thank you\n\n- [ ] x ^vn-x\n"
    new = "## Check in\n\n- [ ] [[Bob]] — call ^vn-bbbb\n\n## Say thank you\n\nNo thank-yous owed.\n"
    assert merge(new, old) == (
        "## Check in\n\n- [ ] [[Bob]] — call ^vn-bbbb\n- [x] [[Ana]] — call ✅ 2026-11-20 ^vn-aaaa\n"
        "\n## Say thank you\n\nNo thank-yous owed.\n"
    )


def test_merge_replaces_the_empty_sentence():
    old = "## Check in\n\n- [x] [[Ana]] — call ✅ 2026-11-20 ^vn-aaaa\n"
    new = "## Check in\n\nNobody is due for a check-in.\n\n## Reciprocity\n"
    assert merge(new, old) == "## Check in\n\n- [x] [[Ana]] — call ✅ 2026-11-20 ^vn-aaaa\n\n## Reciprocity\n"


def test_merge_recreates_a_missing_heading():
    old = "## Gone\n- [x] done ^vn-aaaa\n"
    assert merge("## Check in\n\nnothing\n", old) == "## Check in\n\nnothing\n\n## Gone\n\n- [x] done ^vn-aaaa\n"


def test_unticked_old_items_are_not_kept():
    assert merge("## A\n\nnothing\n", "## A\n- [ ] open ^vn-aaaa\n") == "## A\n\nnothing\n"


# ---------------------------------------------------------------- property-based: any text, any ticks

TODAY = dt.date(2026, 11, 21)
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
KEYS = st.sampled_from(["vn-a", "vn-b", "vn-c", "vn-d", "vn-e1", "vn-ü"])
ITEM = st.builds(
    "{indent}{bullet} [{state}] {text}{done}{gap}^{key}{trail}".format,
    indent=st.sampled_from(["", "", "  "]), bullet=st.sampled_from(["-", "-", "*", "+"]),
    state=st.sampled_from([" ", " ", "x", "X", "-", "/"]),
    text=st.one_of(st.sampled_from(["[[Ana]] — call", "thanks #thanked", "", "✅ done", "`code`", "a^b"]), TEXT),
    done=st.sampled_from(["", "", " ✅ 2026-11-20", " ✅\ufe0f 2026-11-20", " ✅2026-11-19", " 📅 2026-12-01"]),
    gap=st.sampled_from([" ", " ", "  ", "\t", ""]), key=KEYS, trail=st.sampled_from(["", "", " ", "\t"]),
)
LINE = st.one_of(
    ITEM, ITEM,
    st.sampled_from(["## Check in", "## Say thank you", "# Week", "### Sub", "##", "", "", "Nobody is due.",
                     "- [[Bob]] — advice", "    ## Check in", "%% comment %%", BEGIN, END, "text ^vn-a",
                     "- [x] no key", "- [x]^vn-a", "a\x85b", "x\u2028- [x] y ^vn-b", "\r"]),
    TEXT,
)


@st.composite
def regions(draw, line=LINE):
    lines = draw(st.lists(line, max_size=10))
    newline = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    return newline.join(lines) + (newline if lines and draw(st.booleans()) else "")


def _lines(text: str) -> list[str]:
    """Lines without their line break, as vaultnet's note reader splits them (only LF ends a line)."""
    return [line.removesuffix("\r") for line in text.split("\n")]


TICKED = re.compile(r"^\s*[-*+] \[[xX]\](?=\s|$)")
TASK_STATE = re.compile(r"^\s*[-*+] \[(.)\]")
ANY_ITEM = re.compile(r"^\s*[-*+] \[(.)\] .*?\^(vn-[\w-]+)\s*$")


@given(st.lists(st.one_of(LINE, st.sampled_from([BEGIN, END, f" {BEGIN} ", f"{END}\r"])), max_size=10).map("\n".join))
def test_split_gives_back_every_byte_or_a_region_error(text):
    try:
        before, region, after = split(text, "Plan.md")
    except RegionError as err:
        assert str(err).startswith("Plan.md: expected one") and "\n" not in str(err)
        return
    assert before + region + after == text
    assert _lines(before)[-2].strip() == BEGIN if before.endswith("\n") else _lines(before)[-1].strip() == BEGIN
    assert _lines(after)[0].strip() == END
    assert replace_region(text, "new\n", "Plan.md") == before + "new\n" + after


@given(regions())
def test_stamp_only_adds_a_done_date_to_ticked_items_without_one(region):
    stamped = stamp(region, TODAY)
    assert stamp(stamped, TODAY) == stamped
    old_lines, new_lines = region.split("\n"), stamped.split("\n")
    assert len(old_lines) == len(new_lines)
    for old, new in zip(old_lines, new_lines, strict=True):
        has_date = done_date(old)
        if new != old:
            assert TICKED.match(old) and not has_date, (old, new)
            assert any(new == old[:k] + added + old[k:] for k in range(len(old) + 1)
                       for added in (f"✅ {TODAY} ", f" ✅ {TODAY} ", f" ✅ {TODAY}")), (old, new)
            counted = list(scan([new.removesuffix("\r")]))
            if counted and counted[0].done:
                assert counted[0].done_date == TODAY.isoformat()
        else:
            assert not TICKED.match(old) or has_date, old


@given(regions())
def test_user_items_are_the_changed_items_with_their_lines(region):
    found = user_items(region)
    for key, (line, heading, _) in found.items():
        assert line.endswith("\n") and line.removesuffix("\n").removesuffix("\r") in _lines(region)
        if key.startswith("line:"):  # a ticked line without a block id is kept by its text
            assert TASK_STATE.match(line) and TASK_STATE.match(line).group(1) != " "
            assert key == "line:" + " ".join(line.split())
            continue
        match = ANY_ITEM.match(line.removesuffix("\n"))
        assert match and match.group(1) != " " and match.group(2) == key
        assert heading == "" or heading.startswith("#")


class _Item:
    """A task line as the merge rules read it: its state, and its block id anywhere (else its text)."""

    def __init__(self, state: str, key: str) -> None:
        self.parts = (state, key)

    def group(self, n: int) -> str:
        return self.parts[n - 1]


def _item(line: str) -> _Item | None:
    task = re.match(r"^\s*[-*+] \[(.)\](?=\s|$)", line)
    if not task:
        return None
    key = re.search(r"\^(vn-[\w-]+)(?!\S)", line)
    return _Item(task.group(1), key.group(1) if key else "line:" + " ".join(line.split()))


@given(regions(), regions())
def test_merge_keeps_every_tick_and_every_generated_line(new, old):
    keys_in_new = [m.group(2) for line in _lines(new) if (m := _item(line))]
    merged = merge(new, old)
    ticked: dict[str, str] = {}  # key → the user's line, the first one of each key
    for line in _lines(old):
        match = _item(line)
        if match and match.group(1) != " ":
            ticked.setdefault(match.group(2), line)
    merged_lines = _lines(merged)
    for key, line in ticked.items():
        assert line in merged_lines, (key, line, merged)
        # Never a second line with that key, unless the new region itself has two.
        count = sum(1 for other in merged_lines if (m := _item(other)) and m.group(2) == key)
        assert count == max(1, keys_in_new.count(key)), (key, merged)
    # Every line of the new region is still there, in order, apart from the items replaced by a tick
    # and a section's one-sentence "nothing here" line that a kept item replaced.
    new_lines = _lines(new)
    position = 0
    for index, line in enumerate(new_lines):
        match = _item(line)
        if match and match.group(2) in ticked:
            continue
        try:
            position = merged_lines.index(line, position) + 1
        except ValueError:
            assert line.strip() and not line.lstrip().startswith(("-", "*", "+")), (line, new, merged)
            start = max([i for i in range(index) if heading_of(new_lines[i])], default=-1)
            end = next((i for i in range(index + 1, len(new_lines)) if heading_of(new_lines[i])),
                       len(new_lines))
            assert [i for i in range(start + 1, end) if new_lines[i].strip()] == [index], (line, new, merged)
    # A kept item no longer generated goes under the heading it stood under.
    headings = {}
    heading = ""
    for line in _lines(old):
        if heading_of(line) is not None:
            heading = heading_of(line)
        match = _item(line)
        if match and match.group(1) != " ":
            headings.setdefault(match.group(2), heading)
    for key, line in ticked.items():
        if key not in keys_in_new and headings[key]:
            above = [other.strip() for other in merged_lines[: merged_lines.index(line)] if heading_of(other) == headings[key]]
            assert above, (key, merged)
    if not ticked:
        assert merged == new


def _split_by_lines(text: str) -> tuple[str, str, str] | None:
    """``split`` as it reads a note line by line (only LF ends a line); None where it finds no one region."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])
    begins = [i for i, line in enumerate(lines) if line.strip() == BEGIN]
    ends = [i for i, line in enumerate(lines) if line.strip() == END]
    if len(begins) != 1 or len(ends) != 1 or begins[0] > ends[0]:
        return None
    return "".join(lines[: begins[0] + 1]), "".join(lines[begins[0] + 1 : ends[0]]), "".join(lines[ends[0]:])


MARKED = st.one_of(LINE, st.sampled_from([
    BEGIN, END, f" {BEGIN} ", f"{END}\r", f"\u00a0{BEGIN}\x85", f"\t{END}\u2003", f"{BEGIN} {END}", f"x {BEGIN}",
    f"{END}x", "%% vaultnet:", f"{BEGIN}\u2028", "%% vaultnet:begin%%", f"{END}{END}"]))


@given(st.lists(MARKED, max_size=12), st.sampled_from(["\n", "\r\n", "\n\n"]), st.booleans())
def test_split_finds_the_region_a_line_by_line_reading_finds(lines, newline, last_break):
    """The markers are found by their text, not line by line: the same region, or the same error."""
    text = newline.join(lines) + (newline if last_break else "")
    expected = _split_by_lines(text)
    try:
        assert split(text, "Plan.md") == expected
    except RegionError:
        assert expected is None


CHANGED_OR_NOT = st.one_of(LINE, st.sampled_from(["- [x]", "\t* [/] half ^vn-c", "1. [x] numbered", "-  [x] wide",
                                                "x\n- [x] after a line", "  + [-] dropped ^vn-d", "- []] odd"]))


@given(regions(CHANGED_OR_NOT))
def test_a_region_without_a_changed_item_is_not_read_line_by_line(region):
    """Looking for a changed item first (the index has none) finds the items a line-by-line reading finds."""
    import vaultnet.output.regions as regions_module

    found = user_items(region)
    everything, regions_module._CHANGED = regions_module._CHANGED, re.compile("")
    try:
        assert found == user_items(region)
    finally:
        regions_module._CHANGED = everything
