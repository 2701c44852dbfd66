"""Capturing meetings and mail: calendars (files and addresses), mbox and Maildir, capture notes.

The calendars under tests/data/ imitate a Google Calendar export (X-WR-TIMEZONE,
a VTIMEZONE, a weekly series with an EXDATE, a moved and a cancelled occurrence,
an RDATE, declines on both sides, a cancelled event, an all-day event and an
all-hands over max_attendees) and an Outlook export (a Windows time zone name,
a monthly series with an exception, upper-case MAILTO addresses). The mbox
imitates Gmail Takeout; the Maildir an mbsync folder with CRLF files.
"""

from __future__ import annotations

import http.server
import json
import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from vaultnet.base.errors import ConfigError
from vaultnet.cli.main import main
from vaultnet.files.config import Config, load_config
from vaultnet.pipeline.session import build_network
from vaultnet.pipeline.watch import Watcher

from conftest import TODAY, examples, standing, write

DATA = Path(__file__).parent / "data"
GOOGLE = DATA / "google-calendar.ics"
OUTLOOK = DATA / "outlook-calendar.ics"
MBOX = DATA / "mail.mbox"
MAILDIR = DATA / "Maildir"
CONFIG = 'me = ["me@example.com", "Me@Work.example"]\ntimezone = "America/New_York"\n'


def run(vault: Path, *args: str):
    return CliRunner().invoke(main, ["--vault", str(vault), "--today", TODAY.isoformat(), *args])


@pytest.fixture
def people(vault: Path) -> Path:
    write(vault, "vaultnet.toml", CONFIG)
    write(vault, "People/Ana Souza.md", "---\nemail: ANA@Northwind.example\ncircle: close\n---\nMet in Lisbon.\n")
    write(vault, "People/Bob Lee.md", "---\nemail: [bob@lee.example, bob.lee@northbeam.example]\n---\n")
    write(vault, "People/Carla Mendes.md", "---\nemail: carla@studio.example\n---\n")
    write(vault, "People/Diego Fernández.md", "---\nemail: diego@fernandez.example\n---\n")
    return vault


def captures(vault: Path) -> dict[str, str]:
    """Every capture note's text by path."""
    base = vault / "vaultnet" / "Captures"
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(base.glob("*.md"))} if base.is_dir() else {}


def capture_lines(vault: Path) -> list[str]:
    return [line for text in captures(vault).values() for line in text.splitlines() if line.startswith("- ")]


def user_notes(vault: Path) -> dict[str, bytes]:
    return {str(p.relative_to(vault)): p.read_bytes() for p in vault.rglob("*.md") if "vaultnet" not in p.parts}


# ---------------------------------------------------------------- calendars


def test_google_calendar_meetings(people: Path) -> None:
    before = user_notes(people)
    result = run(people, "import", "calendar", str(GOOGLE))
    assert result.exit_code == 0, result.output
    lines = capture_lines(people)
    ana = [line for line in lines if "[[Ana Souza]]" in line and "1:1" in line]
    dates = [line[2:12] for line in ana]
    # Weekly on Monday 20:30 New York time (01:30 UTC the next day): dated by the local day.
    # Oct 12 is an EXDATE, Oct 19 moved to Tuesday Oct 20, Oct 26 cancelled; planned ones follow.
    assert dates[:5] == ["2026-10-05", "2026-10-20", "2026-11-02", "2026-11-09", "2026-11-16"]
    assert "2026-11-23" in dates and "2026-10-12" not in dates and "2026-10-26" not in dates
    assert any("(moved to Tuesday)" in line for line in ana)
    text = "\n".join(lines)
    assert "Lunch & learn" not in text  # the user declined
    assert "Breakfast" not in text  # cancelled
    assert "all hands" not in text  # 12 people > max_attendees
    planning = next(line for line in lines if "Q1 planning" in line)
    assert "[[Ana Souza]]" in planning and "Bob Lee" not in planning  # Bob declined
    review = [line[2:12] for line in lines if "Studio review" in line]
    assert review == ["2026-09-01", "2026-11-03"]  # DTSTART and an RDATE
    assert any(line.startswith("- 2026-11-14 #meeting Hike") for line in lines)  # all day
    assert set(captures(people)) >= {"2026-09.md", "2026-10.md", "2026-11.md", "2026-12.md"}
    assert user_notes(people) == before  # the user's notes never change


def test_captured_meetings_count_and_planned_ones_do_not(people: Path) -> None:
    run(people, "import", "calendar", str(GOOGLE))
    network = build_network(load_config(people), TODAY)
    ana = standing(network, "Ana Souza")
    assert ana.last_contact == TODAY.replace(day=16)
    assert ana.last_kind == "meeting"
    assert ana.planned and ana.planned[0].date.isoformat() == "2026-11-23"
    bob = standing(network, "Bob Lee")
    assert bob.last_contact.isoformat() == "2026-11-10"
    # The title is inert: its #tag and [[link]] neither tag nor link anything.
    item = bob.interactions[0]
    assert item.tags == ("meeting",)
    assert "Coffee \\#catchup with Bob [​[Secret]​]" in item.text and "calendar google-calendar.ics" in item.text
    assert not network.problems


def test_outlook_calendar(people: Path) -> None:
    write(people, "vaultnet.toml", CONFIG.replace("America/New_York", "Europe/Berlin"))
    result = run(people, "import", "calendar", str(OUTLOOK))
    assert result.exit_code == 0, result.output
    lines = capture_lines(people)
    diego = [line[2:12] for line in lines if "monthly sync" in line]
    # First Thursday 00:30 Berlin time; Oct 1 excluded, Nov 5 moved to Nov 6.
    assert diego[:2] == ["2026-09-03", "2026-11-06"]
    assert "2026-10-01" not in diego
    assert any(line.startswith("- 2026-11-19 #meeting Portfolio review with Ana") for line in lines)
    crit = next(line for line in lines if "Design crit" in line)
    assert "Diego" in crit and "Carla" not in crit  # Carla declined
    assert not any("Drinks" in line for line in lines)


def test_reimport_changes_nothing_and_rejections_stay(people: Path) -> None:
    run(people, "import", "calendar", str(GOOGLE))
    note = people / "vaultnet" / "Captures" / "2026-11.md"
    text = note.read_text(encoding="utf-8")
    coffee = next(line for line in text.splitlines() if "Coffee" in line)
    note.write_text(text.replace(coffee, coffee.replace("- ", "- [-] ", 1)), encoding="utf-8")
    rejected = note.read_bytes()
    stamps = {p: p.stat().st_mtime_ns for p in (people / "vaultnet" / "Captures").iterdir()}
    time.sleep(0.01)
    result = run(people, "import", "calendar", str(GOOGLE))
    assert result.exit_code == 0
    assert "added 0 captures" in result.output
    assert note.read_bytes() == rejected
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps
    network = build_network(load_config(people), TODAY)
    assert standing(network, "Bob Lee").last_contact is None  # the rejected coffee is no contact


def test_dry_run_and_since(people: Path) -> None:
    result = run(people, "import", "calendar", str(GOOGLE), "--dry-run")
    assert result.exit_code == 0
    assert "would write vaultnet/Captures/2026-11.md" in result.output and "dry run" in result.output
    assert captures(people) == {}
    run(people, "import", "calendar", str(GOOGLE), "--since", "2026-11-01")
    assert "2026-09.md" not in captures(people) and "2026-11.md" in captures(people)


def test_planned_meeting_dropped_when_the_source_drops_it(people: Path, tmp_path: Path) -> None:
    calendar = tmp_path / "cal.ics"
    shutil.copy(GOOGLE, calendar)
    run(people, "import", "calendar", str(calendar))
    assert any("2026-11-23" in line for line in capture_lines(people))
    calendar.write_bytes(GOOGLE.read_bytes().replace(b"UNTIL=20261231T045959Z", b"UNTIL=20261120T045959Z"))
    result = run(people, "import", "calendar", str(calendar))
    assert "removed 6 planned" in result.output
    lines = capture_lines(people)
    assert not any(line[2:12] > "2026-11-21" and "1:1" in line for line in lines)
    assert any(line[2:12] == "2026-11-16" for line in lines)  # what happened stays


def test_show_lists_captures_with_title_and_origin(people: Path) -> None:
    run(people, "import", "calendar", str(GOOGLE))
    result = run(people, "show", "ana souza")
    assert re.search(r"meeting  Ana / me 1:1 — with Ana Souza · calendar google-calendar\.ics \([0-9a-f]{6}\)  "
                     r"\(vaultnet/Captures/2026-11\.md:", result.output)
    assert "Planned:" in result.output
    data = json.loads(run(people, "show", "Ana Souza", "--json").output)
    assert data["planned"][0]["date"] == "2026-11-23"
    assert data["interactions"][0]["source"] == "capture"


def test_without_me_declines_by_the_user_cannot_be_told(people: Path) -> None:
    write(people, "vaultnet.toml", "")
    result = run(people, "import", "calendar", str(GOOGLE))
    assert result.exit_code == 0
    assert "set me = " in result.stderr
    assert any("Lunch & learn" in line for line in capture_lines(people))


def test_max_attendees_setting(people: Path) -> None:
    write(people, "vaultnet.toml", CONFIG + "[capture]\nmax_attendees = 20\n")
    run(people, "import", "calendar", str(GOOGLE))
    assert any("all hands" in line for line in capture_lines(people))


# ---------------------------------------------------------------- bad calendars


@pytest.mark.parametrize(("content", "message"), [
    (b"BEGIN:VCARD\r\nEND:VCARD\r\n", "not an iCalendar file"),
    (b"\x00\x01binary", "not an iCalendar file"),
])
def test_not_a_calendar(people: Path, tmp_path: Path, content: bytes, message: str) -> None:
    bad = tmp_path / "bad.ics"
    bad.write_bytes(content)
    result = run(people, "import", "calendar", str(bad))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"bad.ics: {message} (no BEGIN:VCALENDAR)"
    assert "Traceback" not in result.output


def test_malformed_event_skipped_rest_imported(people: Path, tmp_path: Path) -> None:
    broken = GOOGLE.read_bytes().replace(b"DTSTART:20261110T143000Z", b"DTSTART:2026111O-nonsense")
    path = tmp_path / "broken.ics"
    path.write_bytes(broken)
    result = run(people, "import", "calendar", str(path))
    assert result.exit_code == 0
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith("broken.ics: event 'Coffee #catchup with Bob [[Secret]]'")
    assert any("Q1 planning" in line for line in capture_lines(people))
    assert not any("Coffee" in line for line in capture_lines(people))


def test_missing_file(people: Path) -> None:
    result = run(people, "import", "calendar", str(people / "nope.ics"))
    assert result.exit_code == 1
    assert result.stderr.startswith("nope.ics: cannot read")


# ---------------------------------------------------------------- calendar addresses


class _Calendar(http.server.BaseHTTPRequestHandler):
    body = b""
    delay = 0.0

    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/other/basic.ics":
            self.send_response(200)
            self.end_headers()
            self.wfile.write(OUTLOOK.read_bytes())
        elif self.path == "/private-abc123/basic.ics":
            time.sleep(self.delay)
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar")
            self.end_headers()
            self.wfile.write(self.body)
        else:
            self.send_error(404, "Not Found")

    def log_message(self, *args: object) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the timeout test's client leaves first: never print into another test's output


@pytest.fixture
def server() -> Iterator[str]:
    _Calendar.body, _Calendar.delay = GOOGLE.read_bytes(), 0.0
    httpd = _QuietServer(("127.0.0.1", 0), _Calendar)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)  # a quick shutdown
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_calendar_address(people: Path, server: str) -> None:
    result = run(people, "import", "calendar", f"{server}/private-abc123/basic.ics")
    assert result.exit_code == 0, result.output
    text = "\n".join(captures(people).values())
    assert re.search(r"· calendar 127\.0\.0\.1 \([0-9a-f]{6}\) \^vn-cal-", text)
    assert "private-abc123" not in text  # the secret part of the address never reaches the vault


def test_calendar_address_from_environment_and_file(people: Path, server: str, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VAULTNET_TEST_CAL", f"{server}/private-abc123/basic.ics")
    result = run(people, "import", "calendar", "env:VAULTNET_TEST_CAL")
    assert result.exit_code == 0, result.output
    holder = tmp_path / "calendar-url"
    holder.write_text(f"{server}/private-abc123/basic.ics\n")
    result = run(people, "import", "calendar", f"file:{holder}")
    assert "added 0 captures" in result.output  # the same events: nothing new
    monkeypatch.delenv("VAULTNET_TEST_CAL")
    result = run(people, "import", "calendar", "env:VAULTNET_TEST_CAL")
    assert result.exit_code == 1
    assert result.stderr.strip() == "env:VAULTNET_TEST_CAL: environment variable VAULTNET_TEST_CAL is not set"


def test_two_calendars_on_one_host_keep_their_planned_meetings(people: Path, server: str) -> None:
    run(people, "import", "calendar", f"{server}/private-abc123/basic.ics")
    result = run(people, "import", "calendar", f"{server}/other/basic.ics")
    assert "removed" not in result.output
    lines = capture_lines(people)
    assert any("2026-11-23" in line and "1:1" in line for line in lines)  # Google's, still planned
    assert any("2026-12-02" in line and "monthly sync" in line for line in lines)  # 00:30 in Berlin, the day before in New York


def test_calendar_address_http_error(people: Path, server: str) -> None:
    result = run(people, "import", "calendar", f"{server}/private-wrong/basic.ics")
    assert result.exit_code == 1
    assert re.fullmatch(r"127\.0\.0\.1 \([0-9a-f]{6}\): 127\.0\.0\.1 answered HTTP 404 Not Found", result.stderr.strip())


def test_calendar_address_timeout(people: Path, server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import vaultnet.capture.sources as sources

    monkeypatch.setattr(sources, "TIMEOUT", 0.3)
    _Calendar.delay = 1.5
    result = run(people, "import", "calendar", f"{server}/private-abc123/basic.ics")
    assert result.exit_code == 1
    assert "127.0.0.1" in result.stderr and ("timed out" in result.stderr or "did not answer" in result.stderr)
    assert len(result.stderr.strip().splitlines()) == 1


# ---------------------------------------------------------------- mail


def test_mbox(people: Path) -> None:
    before = user_notes(people)
    result = run(people, "import", "mail", str(MBOX))
    assert result.exit_code == 0, result.output
    lines = capture_lines(people)
    text = "\n".join(lines)
    assert "- 2026-11-18 #email Re: Offsite plans — with [[Ana Souza]] · mail mail.mbox ^vn-mail-" in text
    bob = [line for line in lines if "[[Bob Lee]]" in line]
    assert [line[2:12] for line in bob] == ["2026-11-12", "2026-11-18"]  # two Nov 12 messages: one capture
    for excluded in ("design-guild", "newsletter", "Out of office", "invoice", "whole team"):
        assert excluded not in text
    assert "- 2026-11-17 #email Café next week? — with [[Diego Fernández]]" in text
    assert "SECRET BODY" not in "\n".join(captures(people).values())  # only the subject is kept
    dinner = next(line for line in lines if "Dinner Friday" in line and "Re:" not in line)
    assert "[[Bob Lee]]" in dinner and "[[Carla Mendes]]" in dinner  # sent to two contacts
    assert any("Re: Dinner Friday" in line and line.startswith("- 2026-11-20") for line in lines)  # no Message-ID
    errors = result.stderr.strip().splitlines()
    assert errors == ["mail.mbox: message 10 <broken-1@fernandez.example>: unreadable Date header 'the day after tomorrow'; skipped"]
    assert user_notes(people) == before
    network = build_network(load_config(people), TODAY)
    assert standing(network, "Carla Mendes").last_kind == "email"
    again = run(people, "import", "mail", str(MBOX))
    assert "added 0 captures" in again.output
    assert capture_lines(people) == lines


def test_maildir(people: Path) -> None:
    result = run(people, "import", "mail", str(MAILDIR))
    assert result.exit_code == 0, result.output
    lines = capture_lines(people)
    assert [line.split(" ^")[0] for line in lines] == [
        "- 2026-11-19 #email Notes from the portfolio review — with [[Ana Souza]] · mail Maildir",
        "- 2026-11-20 #email Photos from the hike — with [[Diego Fernández]] · mail Maildir",
        "- 2026-11-21 #email Coffee on Monday? — with [[Carla Mendes]] · mail Maildir",
    ]


def test_one_email_a_day_across_sources(people: Path, tmp_path: Path) -> None:
    run(people, "import", "mail", str(MBOX))
    other = tmp_path / "other"
    shutil.copytree(MAILDIR, other)
    (other / "new" / "1763400009.M9P100.host").write_bytes(
        b"Date: Wed, 18 Nov 2026 15:00:00 +0000\r\nMessage-ID: <late@x>\r\nSubject: one more\r\n"
        b"From: me@example.com\r\nTo: ana@northwind.example\r\n\r\nx\r\n")
    result = run(people, "import", "mail", str(other))
    assert "1 more the same day" in result.output
    assert not any("one more" in line for line in capture_lines(people))


def test_mail_needs_me(people: Path) -> None:
    write(people, "vaultnet.toml", "")
    result = run(people, "import", "mail", str(MBOX))
    assert result.exit_code == 1
    assert 'set me = ["you@example.com"' in result.output
    with pytest.raises(ConfigError):
        from vaultnet.capture.imports import import_source

        import_source(load_config(people), build_network(load_config(people), TODAY), "mail", str(MBOX))


def test_not_mail(people: Path, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("just some text\n")
    result = run(people, "import", "mail", str(notes))
    assert result.exit_code == 1
    assert result.stderr.strip() == "notes.txt: not an mbox file (no 'From ' line first) nor a message (no mail headers first)"
    result = run(people, "import", "mail", str(tmp_path))
    assert result.exit_code == 1
    assert "not a Maildir" in result.stderr


# ---------------------------------------------------------------- configured sources: check and watch


def test_check_reports_unreadable_sources(people: Path, tmp_path: Path) -> None:
    write(people, "vaultnet.toml", CONFIG + f'[capture]\ncalendars = ["{GOOGLE}", "{tmp_path}/gone.ics", '
                                          '"env:VAULTNET_NOT_SET"]\n'
                                          f'mail = ["{MBOX}", "{GOOGLE}"]\n')
    result = run(people, "check")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"vaultnet.toml: capture calendar source {tmp_path}/gone.ics: cannot read: No such file or directory",
        "vaultnet.toml: capture calendar source env:VAULTNET_NOT_SET: environment variable VAULTNET_NOT_SET is not set",
        f"vaultnet.toml: capture mail source {GOOGLE}: not an mbox file (no 'From ' line first) nor a message "
        "(no mail headers first)",
    ]


def test_config_errors(vault: Path) -> None:
    write(vault, "vaultnet.toml", "[capture]\nmax_attendees = 0\n")
    with pytest.raises(ConfigError, match="max_attendees must be at least 1"):
        load_config(vault)
    write(vault, "vaultnet.toml", "[capture]\ncalendar = []\n")
    with pytest.raises(ConfigError, match="unknown key capture.calendar"):
        load_config(vault)
    write(vault, "vaultnet.toml", 'me = [1]\n')
    with pytest.raises(ConfigError, match="me must be text"):
        load_config(vault)


@pytest.mark.slow
def test_watcher_reimports_on_rescan(people: Path, tmp_path: Path) -> None:
    maildir = tmp_path / "Mail"
    shutil.copytree(MAILDIR, maildir)
    write(people, "vaultnet.toml", CONFIG + f'[capture]\ncalendars = ["{OUTLOOK}"]\nmail = ["{maildir}"]\n')
    watcher = Watcher.for_vault(load_config(people), lambda: TODAY, polling=True, interval=0.1, quiet=0.1, rescan=2, poll_period=0.05)
    watcher.start()
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not any("Photos" in line for line in capture_lines(people)):
            time.sleep(0.05)
        assert any("Portfolio review" in line for line in capture_lines(people))
        count = watcher.builds
        (maildir / "new" / "1763400010.M10P100.host").write_bytes(
            b"Date: Sat, 21 Nov 2026 09:00:00 +0000\r\nMessage-ID: <new@x>\r\nSubject: Lunch today\r\n"
            b"From: Bob Lee <bob@lee.example>\r\nTo: me@example.com\r\n\r\nx\r\n")
        while time.monotonic() < deadline and not (people / "vaultnet" / "Network.md").exists():
            time.sleep(0.05)
        while time.monotonic() < deadline and "Lunch today" not in "\n".join(capture_lines(people)):
            time.sleep(0.05)
        assert "Lunch today" in "\n".join(capture_lines(people))
        assert watcher.wait_for_build(count + 1, 10)  # the rescan that found the new capture rebuilds
    finally:
        watcher.stop()
    network = build_network(load_config(people), TODAY)
    assert standing(network, "Bob Lee").last_contact == TODAY


# ---------------------------------------------------------------- capture notes


def _line(day: str, ident: str, box: str = "") -> str:
    return f"- {box}{day} #meeting x — with [[A]] · calendar c.ics ^vn-cal-{ident}"


def test_merge_keeps_the_users_lines_and_dates_in_order() -> None:
    from vaultnet.capture.store import merge

    existing = "\n".join(["%% header %%", "# Captures 2026-11", "", _line("2026-11-05", "0" * 10),
                          "my own remark", _line("2026-11-20", "2" * 10, "[-] "), "", "## Notes", "kept", ""])
    new = [(("2026-11-10", "1" * 10), _line("2026-11-10", "1" * 10)),
           (("2026-11-25", "3" * 10), _line("2026-11-25", "3" * 10)),
           (("2026-11-01", "4" * 10), _line("2026-11-01", "4" * 10))]
    text, removed = merge(existing, new, set(), "Captures 2026-11")
    assert removed == 0
    assert text.split("\n") == ["%% header %%", "# Captures 2026-11", "", _line("2026-11-01", "4" * 10),
                                _line("2026-11-05", "0" * 10), "my own remark", _line("2026-11-10", "1" * 10),
                                _line("2026-11-20", "2" * 10, "[-] "), _line("2026-11-25", "3" * 10), "",
                                "## Notes", "kept", ""]
    again, removed = merge(text, [], {"vn-cal-" + "3" * 10}, "x")
    assert removed == 1 and _line("2026-11-25", "3" * 10) not in again


def test_captures_are_written_safely(people: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A capture note saved by the user while an import runs is read again, never overwritten."""
    import vaultnet.files.writes as writes

    run(people, "import", "calendar", str(OUTLOOK))
    note = people / "vaultnet" / "Captures" / "2026-11.md"
    real = writes.safe_write
    calls = []

    def racing(root, rel, data, expected):
        if not calls and rel.endswith("2026-11.md"):
            calls.append(rel)
            note.write_text(note.read_text(encoding="utf-8") + "my remark\n", encoding="utf-8")
        return real(root, rel, data, expected)

    monkeypatch.setattr(writes, "safe_write", racing)
    result = run(people, "import", "calendar", str(GOOGLE))
    assert result.exit_code == 0, result.output
    text = note.read_text(encoding="utf-8")
    assert "my remark" in text and "Q1 planning" in text and "Portfolio review" in text


@given(st.text(min_size=0, max_size=200))
def test_any_title_stays_inert(title: str) -> None:
    """Whatever a subject or summary holds, the line links, tags and counts exactly as written."""
    import datetime as dt

    from vaultnet.capture.model import Capture
    from vaultnet.capture.store import _ID, render
    from vaultnet.evidence.contacts import Contact, Directory
    from vaultnet.notes.markdown import scan

    ana = Contact("Ana Souza", "People/Ana Souza.md")
    line = render(Capture("vn-mail-0123456789", dt.date(2026, 11, 3), "email", (ana.path,), title, "a.mbox"),
                  Directory([ana]))
    assert "\n" not in line and "\r" not in line
    scanned = list(scan([line]))
    assert len(scanned) == 1
    found = scanned[0]
    assert found.task is None and found.is_list and found.leading_date == "2026-11-03"
    assert found.tags == ("email",)
    assert [link.target for link in found.links] == ["Ana Souza"]
    assert _ID.search(found.text).group(1) == "vn-mail-0123456789"


def test_configured_sources_unchanged_are_not_read_again(people: Path, tmp_path: Path) -> None:
    from vaultnet.capture.imports import import_configured

    mbox = tmp_path / "mail.mbox"
    shutil.copy(MBOX, tmp_path / "mail.mbox")
    write(people, "vaultnet.toml", CONFIG + f'[capture]\nmail = ["{mbox}"]\ncalendars = ["{OUTLOOK}"]\n')
    config = load_config(people)
    seen: dict[str, object] = {}

    def rescan() -> list:
        return import_configured(config, TODAY, lambda: build_network(config, TODAY), seen)

    first = rescan()
    assert [r.read.shown for r in first] == [str(OUTLOOK), str(mbox)]  # as configured: two may share a name
    assert [str(p) for p in first[1].read.problems] == [
        f"{mbox}: message 10 <broken-1@fernandez.example>: unreadable Date header 'the day after tomorrow'; skipped"]
    assert rescan() == []  # the bad message was reported once; nothing changed, nothing is read
    mbox.write_bytes(MBOX.read_bytes().replace(b"Date: the day after tomorrow", b"Date: Tue, 17 Nov 2026 13:00:00 +0000"))
    assert [(r.outcome.added, r.read.problems) for r in rescan()] == [(0, [])]  # Diego had mail that day
    assert rescan() == []
    with mbox.open("ab") as handle:
        handle.write(b"\nFrom x Sat Nov 21 09:00:00 2026\nDate: Sat, 21 Nov 2026 09:00:00 +0000\n"
                     b"Message-ID: <late@x>\nSubject: Late news\nFrom: carla@studio.example\nTo: me@example.com\n\nx\n")
    assert [r.outcome.added for r in rescan()] == [1]


def test_mail_since_and_a_broken_maildir_message(people: Path, tmp_path: Path) -> None:
    maildir = tmp_path / "Mail"
    shutil.copytree(MAILDIR, maildir)
    (maildir / "cur" / "1763400020.M20P100.host:2,S").write_bytes(
        b"Date: Fri, 20 Nov 2026 09:00:00 +0000\r\nMessage-ID: <huge@x>\r\nX-Junk: " + b"x" * 600_000 + b"\r\n\r\nbody\r\n")
    result = run(people, "import", "mail", str(maildir), "--since", "2026-11-20")
    assert result.exit_code == 0
    assert result.stderr.strip() == "Mail: message 1763400020.M20P100.host: headers larger than 512 kB; skipped"
    assert [line[2:12] for line in capture_lines(people)] == ["2026-11-20", "2026-11-21"]


class CaptureNotes(RuleBasedStateMachine):
    """Imports of overlapping sources, rejections and user text, in any order: each capture
    is written once, a rejection sticks, and importing again changes nothing."""

    def __init__(self) -> None:
        super().__init__()
        import datetime as dt
        import tempfile

        from vaultnet.capture.model import Capture
        from vaultnet.evidence.contacts import Contact, Directory

        self.root = Path(tempfile.mkdtemp(prefix="vaultnet-capture-"))
        self.config = Config(root=self.root)
        ana = Contact("Ana", "People/Ana.md")
        self.directory = Directory([ana])
        self.pool = [Capture(f"vn-mail-{n:010x}", dt.date(2026, 10 + n % 2, 1 + n * 7 % 28), "email",
                             (ana.path,), f"subject {n}", "a.mbox") for n in range(12)]
        self.rejected: set[str] = set()

    def teardown(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def _texts(self) -> dict[str, bytes]:
        return {p.name: p.read_bytes() for p in sorted((self.root / "vaultnet" / "Captures").glob("*.md"))}

    @rule(chosen=st.sets(st.integers(0, 11)))
    def import_some(self, chosen: set[int]) -> None:
        from vaultnet.capture.store import store

        captures = [self.pool[n] for n in sorted(chosen)]
        store(self.config, self.directory, captures, TODAY)
        before = self._texts()
        again = store(self.config, self.directory, captures, TODAY)
        assert again.added == 0 and self._texts() == before

    @rule(n=st.integers(0, 11))
    def reject(self, n: int) -> None:
        for path in (self.root / "vaultnet" / "Captures").glob("*.md"):
            text = path.read_text(encoding="utf-8")
            line = next((line for line in text.split("\n") if line.endswith(self.pool[n].id)), None)
            if line is not None and line.startswith("- 2"):
                path.write_text(text.replace(line, "- [-] " + line[2:]), encoding="utf-8")
                self.rejected.add(self.pool[n].id)

    @rule()
    def user_writes(self) -> None:
        for path in (self.root / "vaultnet" / "Captures").glob("*.md"):
            path.write_text(path.read_text(encoding="utf-8") + "a remark of mine\n", encoding="utf-8")

    @invariant()
    def each_capture_once_and_rejections_stay(self) -> None:
        text = b"\n".join(self._texts().values()).decode()
        for capture in self.pool:
            assert text.count(capture.id) <= 1
        for ident in self.rejected:
            assert f"{ident}" in text and any(
                line.startswith("- [-] ") for line in text.split("\n") if line.endswith(ident))


CaptureNotes.TestCase.settings = settings(max_examples=examples(40), stateful_step_count=10)
test_capture_notes_state = pytest.mark.usefixtures("settle_quickly")(CaptureNotes.TestCase)


def test_example_vault_capture_notes_are_current(tmp_path: Path) -> None:
    """The committed capture notes are what importing the example vault's samples gives."""
    example = Path(__file__).resolve().parent.parent / "example-vault"
    copy = tmp_path / "example"
    shutil.copytree(example, copy)
    shutil.rmtree(copy / "vaultnet" / "Captures")
    assert run(copy, "import", "calendar", str(copy / "Imports" / "calendar.ics")).exit_code == 0
    assert run(copy, "import", "mail", str(copy / "Imports" / "mail.mbox")).exit_code == 0
    assert run(copy, "import", "chat", str(copy / "Imports")).exit_code == 0
    assert captures(copy) == captures(example)
    assert captures(example)


@given(st.lists(st.tuples(st.from_regex(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ .'-]{0,12}", fullmatch=True),
                          st.from_regex(r"[a-z0-9._+-]{1,8}@[a-z0-9-]{1,8}\.[a-z]{2,4}", fullmatch=True),
                          st.booleans()), min_size=1, max_size=4))
def test_simple_address_lists_read_as_the_full_parser_reads_them(entries: list[tuple[str, str, bool]]) -> None:
    """The fast path for `Ana <ana@x>, bob@y` gives what email.utils gives."""
    import email.utils

    from vaultnet.capture.mail import Headers

    value = ", ".join(f"{name.strip()} <{address}>" if named and name.strip() else address
                      for name, address, named in entries)
    expected = [address.lower() for _name, address in email.utils.getaddresses([value]) if "@" in address]
    assert Headers({"to": [value]}).addresses("to") == expected


@settings(max_examples=examples(100))
@given(st.lists(st.tuples(st.text(max_size=60), st.sampled_from(["email", "meeting"]), st.sampled_from(["", "[-] ", "[x] "])),
                min_size=1, max_size=5))
def test_known_reads_capture_lines_as_the_markdown_scanner_does(lines: list[tuple[str, str, str]]) -> None:
    """Capture notes are read by their line patterns, not as markdown: whatever a title holds, the ids and
    each person's email days found are the ones the markdown scanner finds."""
    import datetime as dt
    import tempfile

    from vaultnet.base.dates import parse_iso
    from vaultnet.capture.model import Capture
    from vaultnet.capture.store import _ID, known, render
    from vaultnet.evidence.contacts import Contact, Directory
    from vaultnet.notes.markdown import scan

    ana, bob = Contact("Ana", "People/Ana.md"), Contact("Bob", "Work/Bob.md")
    directory = Directory([ana, bob])
    rendered = []
    for number, (title, kind, box) in enumerate(lines):
        capture = Capture(f"vn-{'mail' if kind == 'email' else 'cal'}-{number:010x}", dt.date(2026, 11, 1 + number),
                          kind, (ana.path, bob.path)[: 1 + number % 2], title, "a.mbox")  # type: ignore[arg-type]
        rendered.append(render(capture, directory).replace("- ", f"- {box}", 1))
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "vaultnet" / "Captures").mkdir(parents=True)
        (root / "vaultnet" / "Captures" / "2026-11.md").write_text("\n".join(["# x", "", *rendered, ""]), encoding="utf-8")
        found = known(Config(root=root), directory)
    ids, days = set(), set()
    for line in scan(rendered):
        match = _ID.search(line.text)
        if match:
            ids.add(match.group(1))
            if "email" in line.tags and line.leading_date:
                days.update((parse_iso(line.leading_date), c.path) for link in line.links
                            if (c := directory.resolve(link.target)) is not None)
    assert found.ids == ids and found.email_days == days
