"""Pictures: the contact calendar SVG and the sparkline in ``show``."""

import datetime as dt
import xml.etree.ElementTree as ET

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from vaultnet.cli.main import main
from vaultnet.output.calendar_svg import contact_calendar, level
from vaultnet.output.sparkline import contact_line, monthly_counts, sparkline

from conftest import TODAY, write

SVG = "{http://www.w3.org/2000/svg}"


def cells(svg: str) -> dict[str, ET.Element]:
    """Each grid cell by its tooltip, e.g. ``Nov 2026, days 15–21``."""
    root = ET.fromstring(svg)
    found = {}
    for rect in root.iter(f"{SVG}rect"):
        tip = rect.find(f"{SVG}title")
        if tip is not None:
            found[tip.text.split(":")[0]] = rect
    return found


def test_calendar_is_twelve_months_of_week_cells_shaded_by_count():
    days = [dt.date(2026, 11, 15)] * 4 + [dt.date(2026, 11, 2), dt.date(2025, 12, 31), dt.date(2025, 11, 30)]
    svg = contact_calendar(days, TODAY)
    grid = cells(svg)
    assert len(grid) == 12 * 5 - 1  # February 2026 has no 29-end week
    assert grid["Nov 2026, days 15–21"].get("fill-opacity") == "1"
    assert grid["Nov 2026, days 1–7"].get("fill-opacity") == "0.35"
    assert grid["Dec 2025, days 29–31"].get("fill-opacity") == "0.35"
    assert grid["Nov 2026, days 8–14"].get("class") == "empty"
    assert grid["Nov 2026, days 22–28"].get("class") == "future"  # after today: not an absence of contact
    assert "Nov 2025" not in svg  # older than the window
    assert "Dec 2025 – Nov 2026 · 6 interactions" in svg
    assert ET.fromstring(svg).get("viewBox")


def test_feb_in_a_leap_year_has_its_29th():
    grid = cells(contact_calendar([], dt.date(2028, 3, 1)))
    assert "Feb 2028, days 29–29" in grid and "Apr 2027, days 29–30" in grid


def test_names_and_text_are_escaped_and_the_svg_is_well_formed():
    svg = contact_calendar([TODAY], TODAY)
    ET.fromstring(svg)
    assert svg.endswith("</svg>\n") and "<script" not in svg


@given(st.lists(st.dates(dt.date(2025, 1, 1), dt.date(2027, 1, 1)), max_size=60))
def test_any_history_gives_well_formed_stable_bytes(days):
    svg = contact_calendar(days, TODAY)
    ET.fromstring(svg)
    assert contact_calendar(list(reversed(days)), TODAY) == svg


def test_levels():
    assert [level(n, 8) for n in (0, 1, 2, 3, 4, 5, 8)] == [0, 1, 1, 2, 2, 3, 4]
    assert level(3, 0) == 0


def test_build_writes_it_once_and_the_index_embeds_it(vault):
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n- 2026-11-02 #call hi\n")
    args = ["--vault", str(vault), "--today", "2026-11-21", "build"]
    first = CliRunner().invoke(main, args)
    assert "wrote     vaultnet/Contact calendar.svg" in first.output
    picture = vault / "vaultnet" / "Contact calendar.svg"
    mtime = picture.stat().st_mtime_ns
    assert "![[vaultnet/Contact calendar.svg]]" in (vault / "vaultnet" / "Network.md").read_text()
    again = CliRunner().invoke(main, args)
    assert "unchanged vaultnet/Contact calendar.svg" in again.output
    assert picture.stat().st_mtime_ns == mtime
    picture.unlink()  # even when every note is as the last build left it
    assert "wrote     vaultnet/Contact calendar.svg" in CliRunner().invoke(main, args).output
    index = CliRunner().invoke(main, [*args[:-1], "index"])
    assert "unchanged vaultnet/Contact calendar.svg" in index.output


def test_sparkline():
    assert sparkline([0, 1, 2, 4, 8, 0]) == "·▁▂▄█·"
    assert sparkline([0, 0]) == "··"
    days = [dt.date(2026, 11, 1), dt.date(2026, 11, 20), dt.date(2026, 1, 5), dt.date(2025, 11, 30), dt.date(2026, 11, 25)]
    assert monthly_counts(days, TODAY) == [0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]
    assert contact_line(days, TODAY) == "last 12 months: ·▄·········█  (Dec 2025 – Nov 2026, 3 interactions)"
