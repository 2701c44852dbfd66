"""Where each relationship stands as of ``today`` (spec section 5)."""

from __future__ import annotations

import datetime as dt

import pytest

from vaultnet.standings.standing import reciprocity, tie, within

from conftest import TODAY, standing, write

D = dt.date
assert D(2026, 11, 21) == TODAY and TODAY.isoweekday() == 6  # Saturday, week Mon 16 - Sun 22


def days_ago(n: int, today: dt.date = TODAY) -> str:
    return (today - dt.timedelta(days=n)).isoformat()


def person(vault, name, front="", body=""):
    write(vault, f"People/{name}.md", f"---\n{front}\n---\n{body}")


# --- status ------------------------------------------------------------------


@pytest.mark.parametrize(
    "last, status, due, overdue",
    [
        ("2026-10-01", "overdue", D(2026, 10, 15), 37),
        ("2026-11-01", "overdue", D(2026, 11, 15), 6),
        ("2026-11-02", "overdue", D(2026, 11, 16), 5),  # Monday of this week, already past
        ("2026-11-06", "overdue", D(2026, 11, 20), 1),  # yesterday
        ("2026-11-07", "due", D(2026, 11, 21), 0),  # today
        ("2026-11-08", "due", D(2026, 11, 22), 0),  # Sunday of this week
        ("2026-11-09", "ok", D(2026, 11, 23), 0),  # next Monday
        ("2026-11-21", "ok", D(2026, 12, 5), 0),
    ],
)
def test_status_by_due_date(vault, load, last, status, due, overdue):
    person(vault, "Ana", f"circle: inner\nlast_contact: {last}")
    ana = standing(load(), "Ana")
    assert ana.due == due
    assert ana.status == status
    assert ana.days_overdue == overdue


def test_due_on_sunday_and_next_monday_seen_from_a_sunday(vault, load):
    person(vault, "Ana", "cadence: 7\nlast_contact: 2026-11-15")  # due Sun 22
    person(vault, "Bob", "cadence: 7\nlast_contact: 2026-11-16")  # due Mon 23
    network = load(D(2026, 11, 22))
    assert standing(network, "Ana").status == "due"
    assert standing(network, "Bob").status == "ok"
    # on Monday the 23rd a new week starts: Bob is due, Ana overdue
    network = load(D(2026, 11, 23))
    assert standing(network, "Ana").status == "overdue"
    assert standing(network, "Ana").days_overdue == 1
    assert standing(network, "Bob").status == "due"


def test_due_in_the_next_iso_week_across_the_year_end(vault, load):
    person(vault, "Ana", "cadence: 7\nlast_contact: 2026-12-27")  # due Sun 2027-01-03
    person(vault, "Bob", "cadence: 7\nlast_contact: 2026-12-28")  # due Mon 2027-01-04
    network = load(D(2026, 12, 31))  # Thursday of 2026-W53 (Mon Dec 28 - Sun Jan 3)
    assert standing(network, "Ana").status == "due"
    assert standing(network, "Bob").status == "ok"


def test_never_untracked_paused(vault, load):
    person(vault, "Never", "circle: close")
    person(vault, "Untracked", "company: Acme\nlast_contact: 2020-01-01")
    person(vault, "Paused", "circle: inner\npaused: true\nlast_contact: 2020-01-01")
    person(vault, "PausedSnoozed", "circle: inner\npaused: true\nsnooze_until: 2027-01-01")
    person(vault, "SnoozedUntracked", "snooze_until: 2027-01-01")
    person(vault, "PausedUntracked", "paused: true")
    network = load()
    assert standing(network, "Never").status == "never"
    assert standing(network, "Never").due is None
    assert standing(network, "Never").days_overdue == 0
    untracked = standing(network, "Untracked")
    assert untracked.status == "untracked"
    assert untracked.last_contact == D(2020, 1, 1)
    assert untracked.days_overdue == 0
    assert untracked.priority == 0
    paused = standing(network, "Paused")
    assert paused.status == "paused"
    assert paused.days_overdue == 0
    assert standing(network, "PausedSnoozed").status == "paused"
    assert standing(network, "SnoozedUntracked").status == "snoozed"
    assert standing(network, "PausedUntracked").status == "paused"


@pytest.mark.parametrize(
    "snooze, status",
    [("2026-11-22", "snoozed"), ("2027-03-01", "snoozed"), ("2026-11-21", "overdue"), ("2026-11-01", "overdue")],
)
def test_snoozed_only_while_snooze_until_is_after_today(vault, load, snooze, status):
    person(vault, "Ana", f"circle: inner\nlast_contact: 2026-10-01\nsnooze_until: {snooze}")
    ana = standing(load(), "Ana")
    assert ana.status == status
    assert ana.days_overdue == (37 if status == "overdue" else 0)


def test_snoozed_never_contact(vault, load):
    person(vault, "Ana", "circle: inner\nsnooze_until: 2026-11-22")
    assert standing(load(), "Ana").status == "snoozed"
    assert standing(load(D(2026, 11, 22)), "Ana").status == "never"


# --- priority --------------------------------------------------------------------


@pytest.mark.parametrize(
    "front, priority",
    [
        ("circle: inner\nlast_contact: " + days_ago(14), 2.0),  # 14/14 x 2
        ("circle: inner\nlast_contact: " + days_ago(21), 3.0),  # 21/14 x 2
        ("circle: close\nlast_contact: " + days_ago(30), 5 / 3),  # 30/30 x 1.667
        ("circle: close\nlast_contact: " + days_ago(15), 5 / 6),
        ("circle: network\nlast_contact: " + days_ago(45), 2 / 3),  # 45/90 x 1.333
        ("circle: acquaintance\nlast_contact: " + days_ago(365), 1.0),  # 365/365 x 1
        ("circle: acquaintance\nlast_contact: " + days_ago(73), 0.2),
        ("cadence: 10\nlast_contact: " + days_ago(5), 0.5),  # no circle: weight 1
        ("circle: inner\ncadence: 7\nlast_contact: " + days_ago(7), 2.0),  # cadence override keeps the weight
        ("circle: inner\nlast_contact: " + days_ago(0), 0.0),
        ("circle: inner", 2.0),  # never: ratio 1
        ("circle: close", 5 / 3),
        ("circle: network", 4 / 3),
        ("circle: acquaintance", 1.0),
        ("cadence: weekly", 1.0),
        ("circle: inner\nlast_contact: " + days_ago(-3), 2.0),  # only a planned contact: never
    ],
)
def test_priority(vault, load, front, priority):
    person(vault, "Ana", front)
    assert standing(load(), "Ana").priority == pytest.approx(priority)


def test_priority_weights_follow_configured_circles(vault, load):
    write(vault, "vaultnet.toml", '[circles]\nfamily = "1 week"\nfriends = "1 month"\nothers = "1 year"\n')
    person(vault, "Ana", "circle: family")
    person(vault, "Bob", "circle: friends")
    person(vault, "Carl", "circle: others")
    person(vault, "Dora", "circle: inner")  # no longer a circle
    network = load()
    assert standing(network, "Ana").priority == pytest.approx(2.0)
    assert standing(network, "Bob").priority == pytest.approx(1.5)
    assert standing(network, "Carl").priority == pytest.approx(1.0)
    assert standing(network, "Dora").priority == 0  # untracked


def test_single_configured_circle_weighs_two(vault, load):
    write(vault, "vaultnet.toml", '[circles]\nall = "1 month"\n')
    person(vault, "Ana", "circle: all")
    assert standing(load(), "Ana").priority == pytest.approx(2.0)


# --- birthdays --------------------------------------------------------------------


@pytest.mark.parametrize(
    "birthday, today, expected, age",
    [
        ("1990-12-25", TODAY, D(2026, 12, 25), 36),
        ("1990-01-05", TODAY, D(2027, 1, 5), 37),  # across the year end
        ("1990-11-21", TODAY, D(2026, 11, 21), 36),  # today is on or after today
        ("1990-11-20", TODAY, D(2027, 11, 20), 37),  # yesterday: next year
        ("12-25", TODAY, D(2026, 12, 25), None),
        ("--01-05", TODAY, D(2027, 1, 5), None),
        ("--02-29", TODAY, D(2027, 2, 28), None),  # 2027 is not a leap year
        ("2000-02-29", TODAY, D(2027, 2, 28), 27),
        ("2000-02-29", D(2027, 3, 1), D(2028, 2, 29), 28),  # 2028 is
        ("2000-02-29", D(2028, 2, 28), D(2028, 2, 29), 28),
        ("2000-02-29", D(2027, 2, 28), D(2027, 2, 28), 27),
        ("2026-11-25", TODAY, D(2026, 11, 25), 0),
    ],
)
def test_next_birthday_and_age(vault, load, birthday, today, expected, age):
    person(vault, "Ana", f"birthday: {birthday}")
    ana = standing(load(today), "Ana")
    assert ana.next_birthday == expected
    assert ana.age == age


def test_no_birthday(vault, load):
    person(vault, "Ana", "circle: inner")
    ana = standing(load(), "Ana")
    assert ana.next_birthday is None and ana.age is None


# --- calendar arithmetic ------------------------------------------------------


@pytest.mark.parametrize(
    "cadence, last, due, days",
    [
        ("1 month", "2027-01-31", D(2027, 2, 28), 30),
        ("monthly", "2028-01-31", D(2028, 2, 29), 30),
        ("1mo", "2027-03-31", D(2027, 4, 30), 30),
        ("3 months", "2026-11-30", D(2027, 2, 28), 90),
        ("quarterly", "2026-10-31", D(2027, 1, 31), 90),
        ("1 year", "2024-02-29", D(2025, 2, 28), 365),
        ("yearly", "2026-01-15", D(2027, 1, 15), 365),
        ("18 months", "2026-08-31", D(2028, 2, 29), 545),  # 1 year + 6 months
        ("30 days", "2027-01-31", D(2027, 3, 2), 30),
        ("2 weeks", "2026-12-25", D(2027, 1, 8), 14),
    ],
)
def test_due_uses_calendar_arithmetic(vault, load, cadence, last, due, days):
    person(vault, "Ana", f"cadence: {cadence}\nlast_contact: {last}")
    ana = standing(load(dt.date.fromisoformat(last)), "Ana")
    assert ana.due == due
    assert ana.cadence_days == days


def test_month_end_due_date_status(vault, load):
    person(vault, "Ana", "cadence: 1 month\nlast_contact: 2027-01-31")
    assert standing(load(D(2027, 2, 20)), "Ana").status == "ok"  # due Sun 28 is next week
    assert standing(load(D(2027, 2, 22)), "Ana").status == "due"
    ana = standing(load(D(2027, 3, 1)), "Ana")
    assert ana.status == "overdue"
    assert ana.days_overdue == 1


# --- reciprocity ----------------------------------------------------------------


def log(*lines: tuple[int, str]) -> str:
    """Log lines ``- <date n days ago> <tags>``."""
    return "".join(f"- {days_ago(n)} {text}\n" for n, text in lines)


@pytest.mark.parametrize(
    "lines, counts, label",
    [
        ([], (0, 0, 0, 0), "none"),
        ([(1, "#coffee chat")], (0, 0, 0, 0), "none"),
        ([(1, "#got")], (0, 1, 0, 0), "balanced"),  # got + asked = 1 < gave + 2
        ([(1, "#got"), (2, "#got")], (0, 2, 0, 0), "taking"),  # 2 >= 0 + 2
        ([(1, "#asked"), (2, "#got")], (0, 1, 1, 0), "taking"),
        ([(1, "#asked #got")], (0, 1, 1, 0), "taking"),
        ([(1, "#gave"), (2, "#got"), (3, "#got")], (1, 2, 0, 0), "balanced"),  # got+asked == gave+1
        ([(1, "#gave"), (2, "#got"), (3, "#got"), (4, "#asked")], (1, 2, 1, 0), "taking"),  # == gave+2
        ([(1, "#gave"), (2, "#gave")], (2, 0, 0, 0), "balanced"),  # gave == 2: not one-way yet
        ([(1, "#gave"), (2, "#gave"), (3, "#gave")], (3, 0, 0, 0), "one-way"),
        ([(1, "#gave"), (2, "#gave"), (3, "#gave"), (4, "#gave #thanked")], (4, 0, 0, 1), "one-way"),
        ([(1, "#gave"), (2, "#gave"), (3, "#gave"), (4, "#asked")], (3, 0, 1, 0), "balanced"),
        ([(1, "#gave"), (2, "#gave"), (3, "#gave"), (4, "#got")], (3, 1, 0, 0), "balanced"),
        ([(1, "#thanked")], (0, 0, 0, 1), "balanced"),
        ([(1, "#gave #gave #got")], (1, 1, 0, 0), "balanced"),  # each exchange once per line
    ],
)
def test_reciprocity_labels(vault, load, lines, counts, label):
    person(vault, "Ana", "circle: inner", log(*lines))
    rec = standing(load(), "Ana").reciprocity
    assert (rec.gave, rec.got, rec.asked, rec.thanked) == counts
    assert rec.label == label


def test_reciprocity_advice():
    from vaultnet.standings.standing import Reciprocity

    assert Reciprocity(label="taking").advice == "give before you ask again"
    assert "both ways" in Reciprocity(label="one-way").advice
    assert Reciprocity(label="balanced").advice is None
    assert Reciprocity(label="none").advice is None


def test_reciprocity_window_includes_day_365_but_not_366(vault, load):
    person(vault, "Ana", "", log((365, "#got"), (366, "#got"), (366, "#asked")))
    person(vault, "Bob", "", log((364, "#gave"), (365, "#gave"), (366, "#gave")))
    network = load()
    ana = standing(network, "Ana").reciprocity
    assert (ana.got, ana.asked) == (1, 0)
    assert ana.label == "balanced"
    bob = standing(network, "Bob").reciprocity
    assert bob.gave == 2
    assert bob.label == "balanced"
    # a day later, day 365 has become day 366
    later = standing(load(TODAY + dt.timedelta(days=1)), "Bob").reciprocity
    assert later.gave == 1


def test_reciprocity_ignores_planned_exchanges(vault, load):
    person(vault, "Ana", "", log((-1, "#got"), (-2, "#got"), (1, "#gave")))
    rec = standing(load(), "Ana").reciprocity
    assert (rec.gave, rec.got) == (1, 0)
    assert rec.label == "balanced"
    assert rec.thank_you_due is False


@pytest.mark.parametrize(
    "lines, due",
    [
        ([(10, "#got")], True),
        ([(0, "#got")], True),  # today
        ([(30, "#got")], True),  # day 30 is inside the window
        ([(31, "#got")], False),  # day 31 is not
        ([(10, "#got"), (10, "#thanked")], False),  # thanked the same day
        ([(10, "#got #thanked")], False),  # in the same line
        ([(10, "#got"), (5, "#thanked")], False),  # thanked after
        ([(10, "#got"), (11, "#thanked")], True),  # thanked before the got
        ([(10, "#got"), (20, "#got"), (15, "#thanked")], True),  # the latest got is not thanked
        ([(10, "#got"), (20, "#got"), (10, "#thanked")], False),
        ([(40, "#got"), (20, "#got"), (15, "#thanked")], False),  # an older got outside the window
        ([(40, "#got"), (20, "#got"), (25, "#thanked")], True),
        ([(10, "#thanked")], False),
        ([(10, "#gave")], False),
    ],
)
def test_thank_you_due(vault, load, lines, due):
    person(vault, "Ana", "", log(*lines))
    assert standing(load(), "Ana").reciprocity.thank_you_due is due


def test_thanks_logged_elsewhere_count(vault, load):
    person(vault, "Ana", "", log((10, "#got advice")))
    write(vault, f"{days_ago(3)}.md", "- sent [[Ana]] flowers #thanked\n")
    rec = standing(load(), "Ana").reciprocity
    assert rec.thanked == 1
    assert rec.thank_you_due is False


def test_reciprocity_function_counts_only_the_contact_s_exchanges():
    from vaultnet.evidence.model import Interaction

    mine = Interaction(D(2026, 11, 10), "note", "", "a.md", 1, ("A", "B"), ("got",), ("A",))
    theirs = Interaction(D(2026, 11, 11), "note", "", "a.md", 2, ("A", "B"), ("gave", "thanked"), ("B",))
    assert reciprocity("A", [mine, theirs], TODAY).got == 1
    assert reciprocity("A", [mine, theirs], TODAY).thank_you_due is True
    assert reciprocity("B", [mine, theirs], TODAY).gave == 1
    assert reciprocity("B", [mine, theirs], TODAY).got == 0


def test_within_includes_both_ends():
    assert within(TODAY, TODAY, 0)
    assert within(TODAY - dt.timedelta(days=30), TODAY, 30)
    assert not within(TODAY - dt.timedelta(days=31), TODAY, 30)
    assert not within(TODAY + dt.timedelta(days=1), TODAY, 30)


# --- tie strength ------------------------------------------------------------------


@pytest.mark.parametrize(
    "ages, intensity",
    [
        ([0], 1.0),
        ([180], 0.5),
        ([360], 0.25),
        ([90], 0.5 ** 0.5),
        ([0, 180, 360], 1.75),
        ([0, 0], 2.0),
    ],
)
def test_tie_intensity_is_a_sum_of_half_lives(vault, load, ages, intensity):
    person(vault, "Ana", "", log(*[(age, "chat") for age in ages]))
    ana = standing(load(), "Ana")
    assert ana.tie.intensity == pytest.approx(intensity)


def test_manual_last_contact_adds_to_intensity(vault, load):
    person(vault, "Ana", f"last_contact: {days_ago(180)}", log((0, "#call")))
    assert standing(load(), "Ana").tie.intensity == pytest.approx(1.5)


@pytest.mark.parametrize(
    "ages, band",
    [
        ([0, 0, 0, 0], "strong"),  # 4.0
        ([0, 0, 0, 1], "moderate"),  # just under 4
        ([0], "moderate"),  # exactly 1
        ([1], "weak"),  # just under 1
        ([540], "weak"),  # 0.125
        ([600], "dormant"),  # 0.099
        ([800], "dormant"),
        ([], "none"),
    ],
)
def test_tie_bands_with_default_thresholds(vault, load, ages, band):
    person(vault, "Ana", "", log(*[(age, "chat") for age in ages]))
    assert standing(load(), "Ana").tie.band == band


@pytest.mark.parametrize(
    "tie_config, band",
    [
        ("strong = 0.5", "strong"),  # intensity exactly 0.5 >= strong
        ("strong = 0.51\nmoderate = 0.5", "moderate"),
        ("moderate = 0.51\nweak = 0.49", "weak"),
        ("moderate = 0.51\nweak = 0.5", "dormant"),  # not > weak
    ],
)
def test_tie_band_boundaries_with_configured_thresholds(vault, load, tie_config, band):
    write(vault, "vaultnet.toml", f"[tie]\n{tie_config}\n")
    person(vault, "Ana", "", log((180, "chat")))  # intensity exactly 0.5
    ana = standing(load(), "Ana")
    assert ana.tie.intensity == 0.5
    assert ana.tie.band == band


def test_tie_weak_boundary_with_default_threshold(vault, load):
    write(vault, "vaultnet.toml", "[tie]\nhalf_life_days = 10\n")
    # 0.5 ** (x / 10) == 0.1 has no whole-day solution, so use half-lives: 0.125 > 0.1, 0.0625 <= 0.1
    person(vault, "Ana", "", log((30, "chat")))
    person(vault, "Bob", "", log((40, "chat")))
    network = load()
    assert standing(network, "Ana").tie.intensity == pytest.approx(0.125)
    assert standing(network, "Ana").tie.band == "weak"
    assert standing(network, "Bob").tie.band == "dormant"


def test_tie_function_boundaries_exactly():
    from vaultnet.evidence.model import Interaction
    from vaultnet.files.config import TieConfig

    one = [Interaction(TODAY, "note", "", "a.md", 1, ("A",))]
    config = TieConfig(strong=1, moderate=0.5, weak=0.25)
    assert tie(one, 0, TODAY, config).band == "strong"
    assert tie(one, 0, TODAY, TieConfig(strong=1.01, moderate=1)).band == "moderate"
    assert tie(one, 0, TODAY, TieConfig(strong=3, moderate=1.01, weak=0.99)).band == "weak"
    assert tie(one, 0, TODAY, TieConfig(strong=3, moderate=2, weak=1)).band == "dormant"
    assert tie([], 3, TODAY, config) == type(tie([], 3, TODAY, config))(0.0, 3, "none")


def test_configured_half_life(vault, load):
    write(vault, "vaultnet.toml", "[tie]\nhalf_life_days = 90\n")
    person(vault, "Ana", "", log((90, "chat"), (180, "chat")))
    assert standing(load(), "Ana").tie.intensity == pytest.approx(0.75)


def test_planned_interactions_do_not_add_to_the_tie(vault, load):
    person(vault, "Ana", "", log((-5, "chat"), (-1, "#call")))
    ana = standing(load(), "Ana")
    assert ana.tie.intensity == 0
    assert ana.tie.band == "none"


# --- embeddedness ------------------------------------------------------------------


def test_embeddedness_counts_shared_interactions_and_note_links(vault, load):
    person(vault, "Ana", "introduced_by: \"[[Eve]]\"",
           "Works with [[Dan]].\n" + log((10, "#coffee with [[Bob]] and [[Carl]]")))
    person(vault, "Bob", "")
    person(vault, "Carl", "")
    person(vault, "Dan", "")
    person(vault, "Eve", "")
    person(vault, "Fay", "", "Knows [[Ana]] from school.\n")
    person(vault, "Gus", "")
    person(vault, "Hal", "")
    write(vault, f"{days_ago(5)}.md", "- lunch with [[Gus]] and [[Bob]]\n")
    write(vault, f"{days_ago(-5)}.md", "- planned dinner with [[Ana]] and [[Hal]]\n")  # future: not yet
    write(vault, "Projects/X.md", "[[Ana]] and [[Hal]] should meet\n")  # not a contact note
    network = load()
    tie_of = {s.name: s.tie.embeddedness for s in network.standings}
    neighbours = {s.name: sorted(network.names(s.neighbours)) for s in network.standings}
    assert neighbours["Ana"] == ["Bob", "Carl", "Dan", "Eve", "Fay"]
    assert tie_of["Ana"] == 5
    assert neighbours["Bob"] == ["Ana", "Carl", "Gus"]
    assert neighbours["Carl"] == ["Ana", "Bob"]
    assert neighbours["Dan"] == ["Ana"]
    assert neighbours["Eve"] == ["Ana"]
    assert neighbours["Fay"] == ["Ana"]
    assert neighbours["Gus"] == ["Bob"]
    assert neighbours["Hal"] == []
    assert tie_of["Hal"] == 0


def test_embeddedness_is_counted_even_without_interactions(vault, load):
    person(vault, "Ana", "", "Sister of [[Bob]].\n")
    person(vault, "Bob", "")
    ana = standing(load(), "Ana")
    assert ana.tie.band == "none"
    assert ana.tie.embeddedness == 1


def test_embeddedness_does_not_count_self_links(vault, load):
    person(vault, "Ana", "introduced_by: \"[[Ana]]\"", "See [[Ana]].\n" + log((1, "me [[Ana]]")))
    assert standing(load(), "Ana").tie.embeddedness == 0


# --- a standing's lists -------------------------------------------------------------


def test_interactions_are_newest_first_and_planned_soonest_first(vault, load):
    person(vault, "Ana", "", log((5, "a"), (1, "b"), (-3, "c"), (-1, "d"), (9, "e")))
    ana = standing(load(), "Ana")
    assert [i.text for i in ana.interactions] == ["b", "a", "e"]
    assert [i.text for i in ana.planned] == ["d", "c"]
