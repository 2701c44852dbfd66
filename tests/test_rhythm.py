"""Drift against a person's own rhythm: the usual gap, its floors and ceilings, bursts."""

import datetime as dt
import json

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from vaultnet.advice.plan import build_plan
from vaultnet.cli.main import main
from vaultnet.standings.rhythm import NO_RHYTHM, Rhythm, is_drifting, rhythm, usual_gap

from conftest import TODAY, standing, write


def days_ago(*numbers: int) -> list[dt.date]:
    return [TODAY - dt.timedelta(days=n) for n in numbers]


def every(gap: int, count: int, last: int) -> list[dt.date]:
    """``count`` contacts ``gap`` days apart, the latest ``last`` days ago."""
    return days_ago(*(last + gap * i for i in range(count)))


def test_no_history_no_rhythm():
    assert rhythm([], TODAY) == NO_RHYTHM
    assert usual_gap([]) is None
    assert rhythm(days_ago(3), TODAY) == Rhythm(None, 3)


def test_three_gaps_are_needed():
    assert usual_gap(every(7, 3, 0)) is None  # two gaps
    assert usual_gap(every(7, 4, 0)) == 7


def test_a_burst_inside_one_week_is_no_rhythm():
    assert usual_gap(every(1, 7, 0)) is None
    # a burst plus one old contact: the median (1) times three gaps spans 3 days, not 21
    assert usual_gap([*every(1, 3, 0), TODAY - dt.timedelta(days=40)]) is None


def test_daily_contact_sustained_for_three_weeks_is_a_rhythm():
    assert usual_gap(every(1, 21, 0)) is None  # 20 gaps of a day: 20 days
    assert usual_gap(every(1, 22, 0)) == 1  # 21 gaps: three weeks


def test_one_long_silence_does_not_redefine_the_rhythm():
    assert usual_gap([*every(7, 3, 0), TODAY - dt.timedelta(days=2000)]) == 7


def test_only_the_recent_window_counts():
    monthly = every(30, 7, 0)
    ancient_daily = every(1, 40, 3000)
    assert usual_gap(monthly + ancient_daily) == 30


def test_an_even_median_rounds_half_up():
    # gaps 2, 2, 2, 7, 7, 7: the medians 2 never span 21 days; six gaps give (2 + 7) / 2 = 4.5 -> 5
    assert usual_gap(days_ago(0, 2, 4, 6, 13, 20)) is None
    assert usual_gap(days_ago(0, 2, 4, 6, 13, 20, 27)) == 5


def test_same_day_contacts_are_one_day():
    dates = every(7, 4, 0) + every(7, 4, 0)
    assert usual_gap(dates) == 7


@pytest.mark.parametrize(("usual", "quiet", "drifting"), [
    (7, 14, False), (7, 15, True),  # twice the usual gap, strictly more
    (3, 14, False), (3, 15, True),  # the 14-day floor
    (1, 14, False), (1, 15, True),
    (7, 89, True), (7, 90, False),  # under 12 x 7 = 84, the 90-day floor of the ceiling holds
    (10, 119, True), (10, 120, False),  # twelve times the usual gap, strictly less
    (30, 60, False), (30, 61, True), (30, 359, True), (30, 360, False),
])
def test_drift_band_boundaries(usual, quiet, drifting):
    assert is_drifting(usual, quiet) is drifting
    dates = [TODAY - dt.timedelta(days=quiet + usual * i) for i in range(40)]
    found = rhythm(dates, TODAY)
    assert (found.usual_gap_days, found.quiet_days, found.drifting) == (usual, quiet, drifting)


@given(st.integers(1, 400), st.integers(0, 5000))
def test_drift_is_exactly_the_band(usual, quiet):
    low, high = max(2 * usual, 14), max(12 * usual, 90)
    assert is_drifting(usual, quiet) == (low < quiet < high)


def test_a_paused_contact_never_drifts():
    dates = every(7, 10, 35)
    assert rhythm(dates, TODAY).drifting
    assert rhythm(dates, TODAY, paused=True) == Rhythm(7, 35, False)


def test_future_dates_are_not_contact():
    dates = every(7, 10, 35) + days_ago(-3)
    assert rhythm(dates, TODAY) == Rhythm(7, 35, True)


def weekly_log(last: int, count: int = 10, gap: int = 7) -> str:
    return "".join(f"- {(TODAY - dt.timedelta(days=last + gap * i)).isoformat()} #call catch-up {i}\n"
                   for i in range(count))


@pytest.fixture
def drifting_vault(vault):
    write(vault, "People/Una.md", "---\ncompany: X\n---\n## Log\n" + weekly_log(35))  # untracked, drifting
    write(vault, "People/Ola.md", "---\ncircle: inner\n---\n## Log\n" + weekly_log(60, gap=30))  # overdue
    write(vault, "People/Dee.md", "---\ncircle: close\n---\n## Log\n" + weekly_log(20))  # due soon, drifting
    write(vault, "People/Sue.md", "---\ncircle: close\n---\n## Log\n" + weekly_log(3))  # steady
    write(vault, "People/Pat.md", "---\npaused: true\n---\n## Log\n" + weekly_log(35))
    return vault


def test_drifting_people_get_a_check_in_after_the_overdue_ones(drifting_vault, load):
    network = load()
    assert standing(network, "Una").rhythm == Rhythm(7, 35, True)
    assert standing(network, "Pat").rhythm.drifting is False
    plan = build_plan(network, TODAY)
    check_ins = plan.section("check-in")
    assert [item.people for item in check_ins] == [("Ola",), ("Una",), ("Dee",)]
    assert check_ins[1].text.startswith("usually every 7 days, quiet since 2026-10-17 · call, 30 min · last time")
    assert check_ins[2].text.startswith("usually every 7 days, quiet since 2026-11-01 ·")


def test_status_json_and_filter(drifting_vault):
    def run(*args):
        result = CliRunner().invoke(main, ["--vault", str(drifting_vault), "--today", TODAY.isoformat(), *args])
        assert result.exit_code == 0, result.output
        return result.output

    data = json.loads(run("status", "--json"))
    by_name = {c["name"]: c["rhythm"] for c in data["contacts"]}
    assert by_name["Una"] == {"usual_gap_days": 7, "quiet_days": 35, "drifting": True}
    assert by_name["Sue"] == {"usual_gap_days": 7, "quiet_days": 3, "drifting": False}
    assert by_name["Ola"] == {"usual_gap_days": 30, "quiet_days": 60, "drifting": False}
    write(drifting_vault, "People/New.md", "---\ncircle: inner\n---\n")
    data = json.loads(run("status", "--json"))
    assert {c["name"]: c["rhythm"] for c in data["contacts"]}["New"] == {
        "usual_gap_days": None, "quiet_days": None, "drifting": None}
    listed = [line.split("\t")[0] for line in run("status", "--status", "drifting").splitlines()[1:]]
    assert listed == ["Dee", "Una"]
    listed = [line.split("\t")[0] for line in run("status", "--status", "drifting", "--status", "paused").splitlines()[1:]]
    assert listed == ["Dee", "Pat", "Una"]


def test_the_index_lists_drifting_people_furthest_from_their_rhythm_first(drifting_vault):
    result = CliRunner().invoke(main, ["--vault", str(drifting_vault), "--today", TODAY.isoformat(), "index", "--stdout"])
    assert result.exit_code == 0, result.output
    table = result.output.split("## Drifting\n", 1)[1].split("\n\n## ", 1)[0]
    assert table.splitlines()[-2:] == [
        "| [[Una]] | untracked | 7 days | 35 days |",
        "| [[Dee]] | ok | 7 days | 20 days |",
    ]
    for name in ("Una", "Dee"):
        (drifting_vault / "People" / f"{name}.md").unlink()
    quiet = CliRunner().invoke(main, ["--vault", str(drifting_vault), "--today", TODAY.isoformat(), "index", "--stdout"])
    assert "## Drifting" not in quiet.output


def naive_usual_gap(days):
    """The window grown one gap at a time, every median sorted from scratch."""
    newest_first = sorted(set(days), reverse=True)
    gaps = []
    for later, earlier in zip(newest_first, newest_first[1:], strict=False):
        gaps.append((later - earlier).days)
        if len(gaps) > 30:
            break
        ordered = sorted(gaps)
        middle = len(ordered) // 2
        median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle] + 1) // 2
        if len(gaps) >= 3 and median * len(gaps) >= 21:
            return median
    return None


@given(st.lists(st.integers(0, 400), max_size=45))
def test_usual_gap_kept_sorted_equals_sorting_each_window(numbers):
    assert usual_gap(days_ago(*numbers)) == naive_usual_gap(days_ago(*numbers))
