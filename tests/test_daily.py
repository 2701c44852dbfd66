import datetime as dt
import json

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from vaultnet.advice.daily import days_left, fair_share, spread
from vaultnet.advice.plan import build_plan
from vaultnet.advice.today import today_items
from vaultnet.cli.main import main

from conftest import write

THU = dt.date(2026, 11, 19)


def test_days_left_include_today_and_sunday():
    assert days_left(THU, dt.date(2026, 11, 22)) == [THU + dt.timedelta(days=n) for n in range(4)]


def test_spread_fills_each_day_within_its_budget():
    days = days_left(THU, dt.date(2026, 11, 22))
    placed = spread([("a", 30), ("b", 30), ("c", 15), ("d", 60), ("e", 15), ("f", 30), ("g", 30)], days, 30)
    assert [(item, day.day) for item, _, day in placed] == [
        ("a", 19), ("b", 20), ("c", 21), ("e", 21), ("f", 22)]  # d never fits; g finds no room left
    # minutes already used today leave less room today
    assert [(item, day.day) for item, _, day in spread([("a", 30), ("b", 15)], days, 30, used_first_day=20)] == [
        ("a", 20), ("b", 21)]


def test_fair_share():
    assert fair_share(5, 2) == 3 and fair_share(0, 3) == 0 and fair_share(4, 0) == 4


def overdue(vault, *names):
    for name in names:
        write(vault, f"People/{name}.md", "---\ncadence: weekly\n---\n- 2026-10-01 #call hi\n")


def test_the_plan_spreads_check_ins_over_the_days_left(vault, load):
    overdue(vault, "A", "B", "C")
    (vault / "vaultnet.toml").write_text("[plan]\ndaily_minutes = 30\n")
    plan = build_plan(load(), dt.date(2026, 11, 21))
    assert [(i.people[0], i.day) for i in plan.section("check-in")] == [
        ("A", dt.date(2026, 11, 21)), ("B", dt.date(2026, 11, 22))]
    assert (plan.budget_minutes, plan.used_minutes) == (60, 60)


def run(vault, *args, today="2026-11-21"):
    return CliRunner().invoke(main, ["--vault", str(vault), "--today", today, *args])


def test_plan_note_shows_each_day(vault):
    overdue(vault, "A", "B")
    (vault / "vaultnet.toml").write_text("[plan]\ndaily_minutes = 30\n")
    text = run(vault, "plan", "--stdout").stdout
    assert "## Check in\n\n**Sat 2026-11-21**\n\n- [ ] [[A]] — " in text
    assert "\n\n**Sun 2026-11-22**\n\n- [ ] [[B]] — " in text
    assert "check-ins planned: 60 of 60 minutes" in text


def test_today_with_the_setting(vault):
    overdue(vault, "A", "B")
    write(vault, "People/C.md", "---\n---\n- [ ] send the deck 📅 2026-11-21\n- [ ] later 📅 2026-11-22\n")
    (vault / "vaultnet.toml").write_text("[plan]\ndaily_minutes = 30\n")
    result = run(vault, "today")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "Sat 2026-11-21"
    assert [line.split()[0] for line in lines[1:]] == ["follow-ups", "check-in"]
    assert "A — was due" in lines[2] and "later" not in result.stdout
    data = json.loads(run(vault, "today", "--json").stdout)
    assert data["day"] == "2026-11-21" and [i["people"] for i in data["items"]] == [["C"], ["A"]]
    assert not (vault / "vaultnet").exists()


def test_today_without_the_setting_takes_a_fair_share(vault, load):
    overdue(vault, "A", "B", "C")
    plan = build_plan(load(), dt.date(2026, 11, 21))  # 3 check-ins over Saturday and Sunday: 2 today
    assert [i.people for i in today_items(plan) if i.section == "check-in"] == [("A",), ("B",)]


def test_today_with_nothing(vault):
    assert run(vault, "today").stdout == "Sat 2026-11-21: nothing planned for today.\n"


@given(st.lists(st.integers(0, 90), max_size=30), st.integers(1, 7), st.integers(0, 120), st.integers(0, 150))
def test_spread_never_overfills_a_day_and_keeps_priority(costs, ndays, per_day, used):
    days = [THU + dt.timedelta(days=n) for n in range(ndays)]
    placed = spread(list(enumerate(costs)), days, per_day, used)
    load_by_day = {day: 0 for day in days}
    for _, minutes, day in placed:
        load_by_day[day] += minutes
    assert load_by_day[days[0]] <= max(0, per_day - used)
    assert all(load_by_day[day] <= per_day for day in days[1:])
    assert [index for index, _, _ in placed] == sorted(index for index, _, _ in placed)  # priority order kept
    left_out = set(range(len(costs))) - {index for index, _, _ in placed}
    assert all(costs[index] > 0 for index in left_out)  # a free item always fits
