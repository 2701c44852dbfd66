"""Dates, birthdays, cadences, ISO weeks and daily-note formats (vaultnet.base.dates)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vaultnet.base.dates import (
    Birthday,
    Cadence,
    DailyFormat,
    add_months,
    birthday_in,
    iso_week,
    next_birthday,
    parse_birthday,
    parse_cadence,
    parse_date,
    parse_iso,
    parse_week,
    week_bounds,
)

D = dt.date

# Anything front matter can hold (as the note loader gives it), and then some.
yaml_like = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text() | st.dates() | st.datetimes(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=6,
)
date_like_text = st.from_regex(
    r"\A(\[\[)?-{0,2}\d{1,4}-\d{1,2}(-\d{1,2})?([T ]\d{1,2}:\d{2})?(\|x)?(\]\])?\Z", fullmatch=True
)


# --- parse_date -------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "2026-11-21",
        "  2026-11-21  ",
        "[[2026-11-21]]",
        "[[2026-11-21|Saturday]]",
        [["2026-11-21"]],  # an unquoted [[2026-11-21]] is a nested YAML list
        [["2026-11-21|x"]],
        "2026-11-21T10:30",
        "2026-11-21T10:30:00",
        "2026-11-21 10:30:00",
        "2026-11-21T10:30:00Z",
        "2026-11-21T10:30:00+01:00",
        D(2026, 11, 21),
        dt.datetime(2026, 11, 21, 23, 59),
    ],
)
def test_parse_date_accepts_every_documented_form(value):
    assert parse_date(value) == D(2026, 11, 21)


def test_parse_date_returns_a_plain_date_for_a_datetime():
    result = parse_date(dt.datetime(2026, 11, 21, 10, 30))
    assert type(result) is dt.date


@pytest.mark.parametrize("value", ["1985-02-30", "[[1985-02-30]]", [["1985-02-30"]], "2026-13-01", "2026-00-10"])
def test_parse_date_refuses_impossible_dates_saying_impossible(value):
    with pytest.raises(ValueError, match="impossible"):
        parse_date(value)


@pytest.mark.parametrize(
    "value",
    [
        "", "tomorrow", "21.11.2026", "2026/11/21", "26-11-21", "2026-11-21x", "2026-1-5",
        "[[2026-11-21]", "[[Ana]]", None, True, 20261121, 3.5, ["2026-11-21"], [["a", "b"]],
        [["2026-11-21"], ["2026-11-22"]], {"date": "2026-11-21"},
    ],
)
def test_parse_date_refuses_what_is_not_a_date(value):
    with pytest.raises(ValueError, match="not a date"):
        parse_date(value)


def test_parse_iso_is_strict_about_the_form():
    assert parse_iso("2024-02-29") == D(2024, 2, 29)
    with pytest.raises(ValueError, match="impossible"):
        parse_iso("2026-02-29")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_iso("[[2026-11-21]]")


@given(st.dates())
def test_parse_date_round_trips_every_date_written_every_way(date):
    text = date.isoformat()
    assert parse_date(text) == date
    assert parse_date(f"[[{text}]]") == date
    assert parse_date([[text]]) == date
    assert parse_date(f"{text}T08:15") == date


@given(yaml_like | date_like_text)
def test_parse_date_raises_only_value_error(value):
    try:
        result = parse_date(value)
    except ValueError:
        return
    assert isinstance(result, dt.date) and not isinstance(result, dt.datetime)


# --- birthdays ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1985-03-14", Birthday(3, 14, 1985)),
        ("03-14", Birthday(3, 14)),
        ("--03-14", Birthday(3, 14)),
        (" --03-14 ", Birthday(3, 14)),
        ("02-29", Birthday(2, 29)),
        ("--02-29", Birthday(2, 29)),
        ("1984-02-29", Birthday(2, 29, 1984)),
        ("[[1985-03-14]]", Birthday(3, 14, 1985)),
        (D(1985, 3, 14), Birthday(3, 14, 1985)),
    ],
)
def test_parse_birthday_forms(value, expected):
    assert parse_birthday(value) == expected


@pytest.mark.parametrize("value", ["02-30", "--02-30", "13-01", "00-10", "04-31", "1985-02-30", "1985-02-29"])
def test_parse_birthday_refuses_impossible_days(value):
    with pytest.raises(ValueError, match="impossible"):
        parse_birthday(value)


@pytest.mark.parametrize("value", ["", "March", "3/14", "14.03.", None, 314, True, ["03-14"]])
def test_parse_birthday_refuses_other_text_naming_the_forms(value):
    with pytest.raises(ValueError, match="MM-DD"):
        parse_birthday(value)


@given(yaml_like | date_like_text)
def test_parse_birthday_raises_only_value_error(value):
    try:
        result = parse_birthday(value)
    except ValueError:
        return
    assert isinstance(result, Birthday)
    assert birthday_in(result, 2023).month == result.month  # a real day in a leap and a common year
    assert birthday_in(result, 2024) == D(2024, result.month, result.day)


def test_next_birthday_later_this_year():
    assert next_birthday(Birthday(12, 24), D(2026, 11, 21)) == D(2026, 12, 24)


def test_next_birthday_on_the_day_is_today():
    assert next_birthday(Birthday(11, 21, 1990), D(2026, 11, 21)) == D(2026, 11, 21)


def test_next_birthday_across_the_year_end():
    assert next_birthday(Birthday(1, 2), D(2026, 12, 31)) == D(2027, 1, 2)
    assert next_birthday(Birthday(11, 20), D(2026, 11, 21)) == D(2027, 11, 20)


def test_feb_29_birthday_falls_on_feb_28_in_common_years_and_feb_29_in_leap_years():
    leapling = Birthday(2, 29, 2000)
    assert next_birthday(leapling, D(2026, 1, 1)) == D(2026, 2, 28)
    assert next_birthday(leapling, D(2026, 2, 28)) == D(2026, 2, 28)
    assert next_birthday(leapling, D(2027, 3, 1)) == D(2028, 2, 29)
    assert next_birthday(leapling, D(2028, 2, 29)) == D(2028, 2, 29)
    assert birthday_in(leapling, 2100) == D(2100, 2, 28)  # 2100 is not a leap year


@given(st.dates(max_value=D(9998, 1, 1)), st.integers(1, 12), st.integers(1, 31))
def test_next_birthday_is_the_first_occurrence_on_or_after_today(today, month, day):
    try:
        D(2000, month, day)
    except ValueError:
        return
    result = next_birthday(Birthday(month, day), today)
    assert today <= result < today + dt.timedelta(days=367)
    assert result.month == month
    assert result.day == day or (month, day, result.day) == (2, 29, 28)


# --- add_months -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2026, 3, 31), 1, D(2026, 4, 30)),
        (D(2026, 1, 15), 1, D(2026, 2, 15)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2026, 12, 31), 14, D(2028, 2, 29)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 1, 10), -1, D(2025, 12, 10)),
        (D(2026, 5, 5), 0, D(2026, 5, 5)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(start, months, expected):
    assert add_months(start, months) == expected


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2900, 1, 1)), st.integers(0, 1200))
def test_add_months_lands_in_the_right_month_never_past_its_end(start, months):
    result = add_months(start, months)
    assert (result.year * 12 + result.month) - (start.year * 12 + start.month) == months
    assert result.day == start.day or (result.day < start.day and (result + dt.timedelta(days=1)).day == 1)


# --- cadences ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "days"),
    [
        (14, 14),
        (1, 1),
        ("14", 14),
        ("14 days", 14),
        ("1 day", 1),
        ("2 weeks", 14),
        ("1 week", 7),
        ("3 months", 90),
        ("1 month", 30),
        ("1 year", 365),
        ("2 years", 730),
        ("10d", 10),
        ("2w", 14),
        ("3mo", 90),
        ("1y", 365),
        ("weekly", 7),
        ("biweekly", 14),
        ("fortnightly", 14),
        ("monthly", 30),
        ("quarterly", 90),
        ("yearly", 365),
        ("  Monthly ", 30),
        ("2 WEEKS", 14),
        ("18 months", 365 + 180),
    ],
)
def test_parse_cadence_every_documented_form(value, days):
    assert parse_cadence(value).days == days


@pytest.mark.parametrize(
    ("value", "start", "due"),
    [
        ("3 months", D(2026, 11, 30), D(2027, 2, 28)),  # calendar months, clamped
        ("monthly", D(2026, 1, 31), D(2026, 2, 28)),
        ("1 month", D(2028, 1, 31), D(2028, 2, 29)),
        ("quarterly", D(2026, 11, 21), D(2027, 2, 21)),
        ("1y", D(2024, 2, 29), D(2025, 2, 28)),
        ("yearly", D(2026, 11, 21), D(2027, 11, 21)),
        ("2 weeks", D(2026, 12, 25), D(2027, 1, 8)),
        (10, D(2026, 11, 21), D(2026, 12, 1)),
        ("10d", D(2026, 2, 25), D(2026, 3, 7)),
    ],
)
def test_cadence_after_uses_calendar_arithmetic(value, start, due):
    assert parse_cadence(value).after(start) == due


def test_month_cadences_are_kept_in_months_not_days():
    assert parse_cadence("3mo") == Cadence(3, "months")
    assert parse_cadence("1 year") == Cadence(12, "months")
    assert parse_cadence("2w") == Cadence(14, "days")


@pytest.mark.parametrize("value", ["2m", "2 m", "3M", "1 min", "2 minutes"])
def test_parse_cadence_refuses_m_as_ambiguous_and_suggests_mo(value):
    with pytest.raises(ValueError, match="ambiguous") as err:
        parse_cadence(value)
    assert "mo'" in str(err.value)
    count = "".join(ch for ch in value if ch.isdigit())
    assert f"'{count}mo'" in str(err.value)


@pytest.mark.parametrize("value", [0, -1, -14, "0", "0 days", "0w", "-3 days"])
def test_parse_cadence_refuses_zero_and_negative(value):
    with pytest.raises(ValueError):
        parse_cadence(value)


@pytest.mark.parametrize(
    "value",
    [True, False, None, 2.5, 14.0, "", "often", "2 fortnights", "every week", "weeks", "1.5 weeks",
     "2 weeks ago", ["2 weeks"], {"days": 14}, "d14"],
)
def test_parse_cadence_refuses_garbage(value):
    with pytest.raises(ValueError, match="cadence"):
        parse_cadence(value)


@pytest.mark.parametrize("value", [10**9, "99999999 days", "5000 years", "100000mo"])
def test_parse_cadence_refuses_absurdly_long_cadences(value):
    # Such cadences used to be accepted and then crash working out the due date
    # (OverflowError from date arithmetic) instead of being reported.
    with pytest.raises(ValueError, match="too long"):
        parse_cadence(value)


def test_parse_cadence_accepts_a_century():
    assert parse_cadence("100 years").after(D(2026, 11, 21)) == D(2126, 11, 21)


@given(
    yaml_like
    | st.from_regex(r"\A\s*-?\d{1,12}\s*(d|w|m|mo|y|day|days|week|weeks|month|months|year|years|min|)\s*\Z",
                    fullmatch=True)
)
def test_parse_cadence_raises_only_value_error_and_gives_a_usable_cadence(value):
    try:
        cadence = parse_cadence(value)
    except ValueError:
        return
    assert cadence.count > 0 and cadence.days > 0
    # every accepted cadence can work out a due date without overflowing
    assert cadence.after(D(2026, 11, 21)) > D(2026, 11, 21)


# --- ISO weeks ----------------------------------------------------------------------


def test_week_bounds_are_monday_to_sunday():
    assert week_bounds(D(2026, 11, 21)) == (D(2026, 11, 16), D(2026, 11, 22))
    assert week_bounds(D(2026, 11, 16)) == (D(2026, 11, 16), D(2026, 11, 22))
    assert week_bounds(D(2026, 11, 22)) == (D(2026, 11, 16), D(2026, 11, 22))
    assert week_bounds(D(2026, 12, 31)) == (D(2026, 12, 28), D(2027, 1, 3))


@pytest.mark.parametrize(
    ("day", "week"),
    [
        (D(2026, 11, 21), "2026-W47"),
        (D(2026, 1, 1), "2026-W01"),
        (D(2026, 12, 31), "2026-W53"),
        (D(2027, 1, 3), "2026-W53"),
        (D(2027, 1, 4), "2027-W01"),
        (D(2024, 12, 30), "2025-W01"),
    ],
)
def test_iso_week_uses_the_iso_year(day, week):
    assert iso_week(day) == week


@pytest.mark.parametrize(
    ("text", "monday"),
    [
        ("2026-W48", D(2026, 11, 23)),
        ("2026W48", D(2026, 11, 23)),
        ("2026-w48", D(2026, 11, 23)),
        (" 2026-W5 ", D(2026, 1, 26)),
        ("2026-W53", D(2026, 12, 28)),
        ("2025-W01", D(2024, 12, 30)),
    ],
)
def test_parse_week_gives_the_monday(text, monday):
    assert parse_week(text) == monday


@pytest.mark.parametrize("text", ["2027-W53", "2026-W00", "2026-W54"])
def test_parse_week_refuses_weeks_that_do_not_exist(text):
    with pytest.raises(ValueError, match="no such ISO week"):
        parse_week(text)


@pytest.mark.parametrize("text", ["", "W48", "2026-48", "2026-W480", "next week"])
def test_parse_week_refuses_other_text(text):
    with pytest.raises(ValueError, match="not an ISO week"):
        parse_week(text)


@given(st.dates(min_value=D(1000, 1, 8), max_value=D(9999, 12, 24)))
def test_iso_week_and_parse_week_agree(day):
    monday, sunday = week_bounds(day)
    assert monday.weekday() == 0 and (sunday - monday).days == 6 and monday <= day <= sunday
    assert parse_week(iso_week(day)) == monday


# --- daily-note formats -------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "stem", "expected"),
    [
        ("YYYY-MM-DD", "2026-11-21", D(2026, 11, 21)),
        ("YYYY-MM-DD", "Daily/2026-11-21", D(2026, 11, 21)),
        ("DD.MM.YYYY", "21.11.2026", D(2026, 11, 21)),
        ("YYYY/MM/YYYY-MM-DD", "2026/11/2026-11-21", D(2026, 11, 21)),
        ("YYYY/MM/YYYY-MM-DD", "Journal/2026/11/2026-11-21", D(2026, 11, 21)),
        ("dddd, MMMM Do YYYY", "Saturday, November 21st 2026", D(2026, 11, 21)),
        ("dddd, MMMM Do YYYY", "Monday, June 2nd 2025", D(2025, 6, 2)),
        ("[Daily] YYYY-MM-DD", "Daily 2026-11-21", D(2026, 11, 21)),
        ("YYYYMMDD", "20261121", D(2026, 11, 21)),
        ("D MMM YYYY", "5 Nov 2026", D(2026, 11, 5)),
        ("YY-MM-DD", "26-11-21", D(2026, 11, 21)),
    ],
)
def test_daily_format_matches_its_file_names(fmt, stem, expected):
    assert DailyFormat(fmt).match(stem) == expected


@pytest.mark.parametrize(
    ("fmt", "stem"),
    [
        ("YYYY-MM-DD", "2026-11-21 meeting"),
        ("YYYY-MM-DD", "Meeting 2026-11-21"),
        ("YYYY-MM-DD", "2026-02-30"),
        ("YYYY-MM-DD", "2026-13-01"),
        ("YYYY-MM-DD", "Ana"),
        ("DD.MM.YYYY", "2026-11-21"),
        ("[Daily] YYYY-MM-DD", "2026-11-21"),
        ("dddd, MMMM Do YYYY", "Saturday, Novembr 21st 2026"),
        ("YYYY/MM/YYYY-MM-DD", "2026-11-21"),
        ("YYYY-[W]ww", "2026-W47"),  # no day in the format: not a daily note
    ],
)
def test_daily_format_rejects_other_names(fmt, stem):
    assert DailyFormat(fmt).match(stem) is None


@pytest.mark.parametrize(
    "fmt",
    ["YYYY-MM-DD", "DD.MM.YYYY", "YYYY/MM/YYYY-MM-DD", "dddd, MMMM Do YYYY", "[Daily] YYYY-MM-DD",
     "YYYY/MMMM/D MMM YYYY", "ddd DD-MM-YYYY", "YYYYMMDD", "M-D-YYYY"],
)
@pytest.mark.parametrize(
    "date",
    [D(2026, 11, 21), D(2026, 1, 1), D(2024, 2, 29), D(2026, 12, 31), D(2026, 3, 2), D(2026, 5, 3),
     D(2026, 7, 11), D(2026, 8, 22), D(2026, 10, 13)],
)
def test_daily_format_render_round_trips_with_match(fmt, date):
    daily = DailyFormat(fmt)
    assert daily.match(daily.render(date)) == date
    assert daily.match("Some/Folder/" + daily.render(date)) == date


def test_daily_format_render_examples():
    assert DailyFormat("dddd, MMMM Do YYYY").render(D(2026, 11, 21)) == "Saturday, November 21st 2026"
    assert DailyFormat("dddd, MMMM Do YYYY").render(D(2026, 11, 12)) == "Thursday, November 12th 2026"
    assert DailyFormat("dddd, MMMM Do YYYY").render(D(2026, 11, 23)) == "Monday, November 23rd 2026"
    assert DailyFormat("[Daily] YYYY-MM-DD").render(D(2026, 11, 21)) == "Daily 2026-11-21"
    assert DailyFormat("YYYY/MM/YYYY-MM-DD").render(D(2026, 1, 5)) == "2026/01/2026-01-05"
    assert DailyFormat("DD.MM.YYYY").render(D(2026, 1, 5)) == "05.01.2026"


@given(st.dates(min_value=D(1000, 1, 1)))
def test_daily_format_round_trip_any_date(date):
    for fmt in ("YYYY-MM-DD", "dddd, MMMM Do YYYY", "YYYY/MM/YYYY-MM-DD"):
        daily = DailyFormat(fmt)
        assert daily.match(daily.render(date)) == date


@given(st.text(max_size=30), st.text(max_size=60))
def test_daily_format_never_raises_on_any_format_or_name(fmt, stem):
    try:
        daily = DailyFormat(fmt)
        result = daily.match(stem)
    except ValueError:
        return
    assert result is None or isinstance(result, dt.date)


@given(
    st.sampled_from(["YYYY-MM-DD", "DD.MM.YYYY", "YYYY/MM/YYYY-MM-DD", "dddd, MMMM Do YYYY", "[Daily] YYYY-MM-DD",
                     "YY-M-D", "MMM D, YYYY"]),
    st.text(alphabet="0123456789-./, abcdefghijklmnopqrstuvwxyzADJMNOS[]", max_size=40),
)
def test_daily_format_match_returns_a_date_or_none(fmt, stem):
    result = DailyFormat(fmt).match(stem)
    assert result is None or isinstance(result, dt.date)
