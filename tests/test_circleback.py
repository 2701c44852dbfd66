import datetime as dt

import pytest

from vaultnet.advice.circleback import MAX_AGE_DAYS
from vaultnet.advice.plan import build_plan

from conftest import TODAY, write

GOT = dt.date(2026, 10, 12)


def bob(vault, *lines):
    write(vault, "People/Bob.md", "---\nnetwork: x\n---\n## Log\n" + "".join(f"- {line}\n" for line in lines))


@pytest.mark.parametrize(("days", "expected"), [(29, False), (30, True), (31, True)])
def test_circle_back_once_the_days_have_passed(vault, load, days, expected):
    bob(vault, f"{GOT} #call #got feedback on my portfolio #thanked")
    today = GOT + dt.timedelta(days=days)
    items = build_plan(load(today), today).section("circle-back")
    assert bool(items) is expected
    if expected:
        assert items[0].text == "tell Bob what came of: feedback on my portfolio (2026-10-12)"
        assert items[0].people == ("Bob",) and items[0].tags == ()


def test_any_interaction_since_ends_it_but_one_on_the_same_day_does_not(vault, load):
    bob(vault, "2026-10-12 #coffee met for lunch", "2026-10-12 #got an intro to Ana")
    assert build_plan(load(), TODAY).section("circle-back")
    bob(vault, "2026-10-13 #message thanks again", "2026-10-12 #got an intro to Ana")
    assert not build_plan(load(), TODAY).section("circle-back")


def test_the_setting_and_the_age_limit(vault, load):
    (vault / "vaultnet.toml").write_text("[plan]\ncircle_back_days = 60\n")
    bob(vault, f"{GOT} #got feedback")
    assert not build_plan(load(), TODAY).section("circle-back")  # 40 days < 60
    old = TODAY - dt.timedelta(days=MAX_AGE_DAYS + 1)
    bob(vault, f"{old} #got feedback")
    assert not build_plan(load(), TODAY).section("circle-back")


def test_ticking_it_records_contact(vault, load):
    bob(vault, f"{GOT} #got feedback")
    item = build_plan(load(), TODAY).section("circle-back")[0]
    write(vault, "vaultnet/Plans/2026-W47.md",
          f"%% vaultnet:begin %%\n## Circle back\n- [x] [[Bob]] — {item.text} ✅ 2026-11-21 ^{item.key}\n%% vaultnet:end %%\n")
    network = load()
    assert network.standings[0].last_contact == TODAY
    assert not build_plan(network, TODAY).section("circle-back")
