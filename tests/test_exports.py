"""Exports (JSON, CSV, vCard, iCalendar), each parsed back by its own library."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from pathlib import Path

import icalendar
import pytest
import vobject
from click.testing import CliRunner
from dateutil.rrule import rrulestr

from vaultnet.cli.main import main
from vaultnet.files.config import load_config
from vaultnet.output.exports import CSV_COLUMNS, export, spreadsheet_safe
from vaultnet.pipeline.session import build_network

from conftest import TODAY, write


@pytest.fixture
def people(vault: Path) -> Path:
    write(vault, "People/Ana Souza.md", """
        ---
        circle: inner
        aliases: [Ana, Aninha]
        birthday: 1990-11-20
        email: ana@example.com, ana.souza@acme.example
        phone: "+351 912 345 678"
        company: Acme; Ltda
        role: Head of Platform
        linkedin: https://www.linkedin.com/in/ana-souza
        met: LinkedIn, connected 2025-12-07
        ---
        ## Log
        - 2026-11-02 #coffee #got advice on the launch
        - [ ] send the deck 📅 2026-11-25
    """)
    write(vault, "People/Leap Day.md", "---\ncircle: close\nbirthday: 1988-02-29\n---\n")
    write(vault, "People/No Year.md", "---\nbirthday: 03-14\ncompany: '=HYPERLINK(\"http://evil.example\")'\n---\n")
    write(vault, "People/Paused.md", "---\npaused: true\nbirthday: 1970-01-01\n---\n- [ ] ping 📅 2026-12-02\n")
    write(vault, "Daily/2026-11-20.md", "- [ ] call [[Ana Souza]] about the offsite 📅 2026-12-01\n- [ ] plain task\n")
    return vault


def run(vault: Path, *args: str, today: str = TODAY.isoformat()):
    return CliRunner().invoke(main, ["--vault", str(vault), "--today", today, *args])


def network(vault: Path):
    return build_network(load_config(vault), TODAY)


def test_json_is_exactly_status_json(people):
    exported = run(people, "export", "json")
    assert exported.exit_code == 0, exported.output
    assert exported.stdout == run(people, "status", "--json").stdout
    data = json.loads(exported.stdout)
    assert [c["name"] for c in data["contacts"]] == ["Ana Souza", "Leap Day", "No Year", "Paused"]
    assert data["today"] == "2026-11-21"


def test_csv_one_row_per_contact(people):
    result = run(people, "export", "csv")
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith((",".join(CSV_COLUMNS) + "\r\n").encode())
    rows = {row["name"]: row for row in csv.DictReader(io.StringIO(result.stdout, newline=""))}
    assert list(rows) == ["Ana Souza", "Leap Day", "No Year", "Paused"]
    ana = rows["Ana Souza"]
    assert ana["aliases"] == "Ana; Aninha"
    assert (ana["circle"], ana["status"], ana["last_contact"], ana["due"], ana["days_overdue"]) == (
        "inner", "overdue", "2026-11-02", "2026-11-16", "5")
    assert ana["phone"] == "+351 912 345 678"  # a phone number is not a formula
    assert ana["company"] == "Acme; Ltda"
    assert (ana["reciprocity"], ana["tie"], ana["birthday"]) == ("balanced", "weak", "1990-11-20")
    assert rows["No Year"]["birthday"] == "--03-14"
    assert rows["No Year"]["company"] == "'=HYPERLINK(\"http://evil.example\")"
    assert rows["Leap Day"]["email"] == "" and rows["Leap Day"]["status"] == "never"


@pytest.mark.parametrize("text, safe", [
    ("=1+1", "'=1+1"), ("@SUM(A1)", "'@SUM(A1)"), ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3", "-2+3"), ("+44 20 7946 0958", "+44 20 7946 0958"), ("--03-14", "--03-14"), ("Ana", "Ana"), ("", ""),
])
def test_spreadsheet_safe(text, safe):
    assert spreadsheet_safe(text) == safe


def test_vcard_parsed_back_by_vobject(people):
    result = run(people, "export", "vcard")
    assert result.exit_code == 0
    assert result.stdout_bytes.count(b"\r\n") == result.stdout_bytes.count(b"\n")  # RFC 2426 line ends
    cards = {card.fn.value: card for card in vobject.readComponents(result.stdout)}
    assert list(cards) == ["Ana Souza", "Leap Day", "No Year", "Paused"]
    ana = cards["Ana Souza"]
    assert ana.version.value == "3.0"
    assert (ana.n.value.given, ana.n.value.family) == ("Ana", "Souza")
    assert [line.value for line in ana.email_list] == ["ana@example.com", "ana.souza@acme.example"]
    assert ana.tel.value == "+351 912 345 678"
    assert ana.org.value == ["Acme; Ltda"]
    assert ana.title.value == "Head of Platform"
    assert ana.bday.value == "1990-11-20"
    assert ana.url.value == "https://www.linkedin.com/in/ana-souza"
    assert ana.note.value == "Met: LinkedIn, connected 2025-12-07"
    assert [line.value for line in ana.nickname_list] == ["Ana", "Aninha"]
    assert cards["No Year"].bday.value == "--0314"
    assert cards["Leap Day"].n.value.family == "Day"
    uids = [card.uid.value for card in cards.values()]
    assert len(set(uids)) == 4
    assert run(people, "export", "vcard").stdout == result.stdout  # deterministic


def test_vcard_round_trip_through_the_importer(people, tmp_path):
    exported = tmp_path / "contacts.vcf"
    assert run(people, "export", "vcard", "--output", str(exported)).exit_code == 0
    other = tmp_path / "other"
    (other / ".obsidian").mkdir(parents=True)
    result = run(other, "import", "vcard", str(exported))
    assert result.stdout == "created 4, updated 0, unchanged 0\n"
    text = (other / "People/Ana Souza.md").read_text(encoding="utf-8")
    for line in ("company: Acme; Ltda", "role: Head of Platform", "email:\n  - ana@example.com", "phone: +351 912 345 678",
                 "linkedin: https://www.linkedin.com/in/ana-souza", "birthday: 1990-11-20", "  - Aninha"):
        assert line + "\n" in text
    assert "birthday: 03-14\n" in (other / "People/No Year.md").read_text(encoding="utf-8")


def ics_events(text: str) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(text)
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def test_ics_parsed_back_by_icalendar(people):
    result = run(people, "export", "ics")
    assert result.exit_code == 0
    calendar = icalendar.Calendar.from_ical(result.stdout)
    assert str(calendar["VERSION"]) == "2.0" and "vaultnet" in str(calendar["PRODID"])
    events = ics_events(result.stdout)
    assert set(events) == {
        "Ana Souza's birthday", "Leap Day's birthday", "No Year's birthday",
        "send the deck (Ana Souza)", "call Ana Souza about the offsite", "Check in with Ana Souza",
    }  # the paused contact's birthday and follow-up are left out; undated tasks too; Leap Day was never contacted
    ana = events["Ana Souza's birthday"]
    assert ana["DTSTART"].dt == dt.date(1990, 11, 20)
    assert ana["DTEND"].dt == dt.date(1990, 11, 21)
    assert ana["RRULE"]["FREQ"] == ["YEARLY"]
    assert events["No Year's birthday"]["DTSTART"].dt == dt.date(2000, 3, 14)
    deck = events["send the deck (Ana Souza)"]
    assert deck["DTSTART"].dt == dt.date(2026, 11, 25) and "RRULE" not in deck
    assert "People/Ana Souza.md:14" in str(deck["DESCRIPTION"])
    for event in events.values():
        assert event["DTSTAMP"].dt == dt.datetime(2026, 11, 21, tzinfo=dt.UTC)
    assert len({str(event["UID"]) for event in events.values()}) == 6


def test_ics_check_ins_fall_on_the_due_date_today_when_overdue_or_after_a_snooze(vault):
    write(vault, "People/Due.md", "---\ncircle: inner\n---\n- 2026-11-15 #call hi\n")
    write(vault, "People/Late.md", "---\ncircle: inner\n---\n- 2026-10-01 #call hi\n")
    write(vault, "People/Snoozed.md", "---\ncircle: inner\nsnooze_until: 2027-01-05\n---\n- 2026-10-01 #call hi\n")
    write(vault, "People/Paused.md", "---\ncircle: inner\npaused: true\n---\n- 2026-10-01 #call hi\n")
    write(vault, "People/Untracked.md", "---\n---\n- 2026-10-01 #call hi\n")
    events = ics_events(run(vault, "export", "ics").stdout)
    assert {name: event["DTSTART"].dt for name, event in events.items()} == {
        "Check in with Due": dt.date(2026, 11, 29),
        "Check in with Late": TODAY,
        "Check in with Snoozed": dt.date(2027, 1, 5),
    }
    assert str(events["Check in with Late"]["DESCRIPTION"]) == "due 2026-10-15, every 14 days\nPeople/Late.md"


def test_ics_feb_29_birthday_falls_on_feb_28_in_other_years(people):
    event = ics_events(run(people, "export", "ics").stdout)["Leap Day's birthday"]
    start = event["DTSTART"].dt
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=dt.datetime.combine(start, dt.time()))
    occurrences = [day.date() for day in rule.between(dt.datetime(2026, 1, 1), dt.datetime(2029, 1, 1))]
    assert occurrences == [dt.date(2026, 2, 28), dt.date(2027, 2, 28), dt.date(2028, 2, 29)]


def test_ics_is_deterministic_and_uids_survive_edits(people):
    first = run(people, "export", "ics").stdout
    assert run(people, "export", "ics").stdout == first
    before = {str(e["SUMMARY"]): str(e["UID"]) for e in ics_events(first).values()}
    # Lines added above the task, and a new date: the same events, moved, not duplicated.
    note = people / "People/Ana Souza.md"
    note.write_text(note.read_text(encoding="utf-8").replace(
        "## Log\n", "## Log\n- 2026-11-10 #call quick sync\n").replace("📅 2026-11-25", "📅 2026-11-27"), encoding="utf-8")
    after_text = run(people, "export", "ics").stdout
    after = {str(e["SUMMARY"]): str(e["UID"]) for e in ics_events(after_text).values()}
    assert after == before
    assert ics_events(after_text)["send the deck (Ana Souza)"]["DTSTART"].dt == dt.date(2026, 11, 27)
    later = run(people, "export", "ics", today="2026-11-22").stdout
    assert "DTSTAMP:20261122T000000Z" in later


def test_output_inside_the_vault_is_a_safe_write_and_skipped_when_unchanged(people):
    target = people / "exports" / "contacts.csv"
    result = run(people, "export", "csv", "--output", str(target))
    assert result.exit_code == 0
    assert result.stdout.strip() == f"wrote     {target}"
    assert target.read_bytes() == export(network(people), "csv")
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))
    again = run(people, "export", "csv", "--output", str(target))
    assert again.exit_code == 0 and "unchanged" in again.stderr
    assert target.stat().st_mtime_ns == 1_000_000_000


def test_output_through_a_symlink_out_of_the_vault_is_written_where_the_user_pointed(people, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (people / "link").symlink_to(outside, target_is_directory=True)
    result = run(people, "export", "ics", "--output", str(people / "link" / "cal.ics"))
    # The link resolves outside the vault: a plain write where the user pointed, not a vault write.
    assert result.exit_code == 0
    assert (outside / "cal.ics").read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")


def test_output_outside_the_vault(people, tmp_path):
    target = tmp_path / "birthdays.ics"
    result = run(people, "export", "ics", "--output", str(target))
    assert result.exit_code == 0
    assert icalendar.Calendar.from_ical(target.read_bytes()).walk("VEVENT")


def test_unknown_format_is_a_usage_error(people):
    result = run(people, "export", "xml")
    assert result.exit_code == 2
