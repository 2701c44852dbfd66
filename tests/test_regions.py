import datetime as dt

import pytest

from vaultnet.regions import BEGIN, END, RegionError, merge, replace_region, split, stamp, user_items

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


def test_user_items_remember_their_heading():
    region = "## Check in\n- [x] a ^vn-1\n- [ ] b ^vn-2\n## Say thank you\n- [-] c ^vn-3\n"
    assert user_items(region) == {"vn-1": ("- [x] a ^vn-1\n", "## Check in"), "vn-3": ("- [-] c ^vn-3\n", "## Say thank you")}


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
