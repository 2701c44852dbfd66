"""Capture on real calendars and mailboxes: files from other projects' test suites (tests/data/real/,
sources and licences in tests/data/SOURCES.md). Where a test edits a file, it does so here, in a
copy, and says what it changed; the files themselves are as their projects ship them."""

from __future__ import annotations

import datetime as dt
import http.server
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from vaultnet.cli.main import main
from vaultnet.files.config import load_config
from vaultnet.pipeline.session import build_network

REAL = Path(__file__).parent / "data" / "real"
ME = "me@example.com"


def make_vault(root: Path, me: list[str], contacts: dict[str, str], extra: str = "") -> Path:
    (root / "People").mkdir(parents=True, exist_ok=True)
    (root / "vaultnet.toml").write_text("me = [" + ", ".join(f'"{a}"' for a in me) + "]\n" + extra, encoding="utf-8")
    for name, emails in contacts.items():
        (root / "People" / f"{name}.md").write_text(f"---\nemail: {emails}\n---\n", encoding="utf-8")
    return root


def run(vault: Path, *args: str, today: str = "2026-12-06"):
    return CliRunner().invoke(main, ["--vault", str(vault), "--today", today, *args])


def lines(vault: Path) -> list[str]:
    base = vault / "vaultnet" / "Captures"
    return [line for path in sorted(base.glob("*.md")) for line in path.read_text(encoding="utf-8").splitlines()
            if line.startswith("- ")] if base.is_dir() else []


def copy(tmp_path: Path, name: str, target: str | None = None, edit=None) -> Path:
    """A copy of a real file (edited by ``edit``, bytes → bytes, when given)."""
    path = tmp_path / (target or name)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = (REAL / name).read_bytes()
    path.write_bytes(edit(data) if edit else data)
    return path


def after(marker: bytes, *added: bytes):
    """An edit adding lines after every line starting with ``marker`` (keeping the file's line ends)."""
    def edit(data: bytes) -> bytes:
        end = b"\r\n" if b"\r\n" in data else b"\n"
        out = []
        for line in data.split(end):
            out.append(line)
            if line.startswith(marker):
                out.extend(added)
        return end.join(out)
    return edit


@pytest.fixture
def machine_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Set the machine's time zone (TZ) for the rest of the test."""
    def use(zone: str) -> None:
        monkeypatch.setenv("TZ", zone)
        time.tzset()
    yield use
    monkeypatch.undo()
    time.tzset()


# ---------------------------------------------------------------- 1. a failed or incomplete read changes nothing


def test_a_calendar_cut_off_mid_download_is_an_error_and_removes_nothing(tmp_path: Path) -> None:
    """icalendar's example.ics; the cut copy is its first 400 bytes (inside the second event)."""
    vault = make_vault(tmp_path / "v", [ME], {"Friend": "another_friend@example.com"})
    calendar = copy(tmp_path, "icalendar-example.ics", "team.ics")
    assert run(vault, "import", "calendar", str(calendar), today="2026-03-20").exit_code == 0
    planned = [line for line in lines(vault) if "Morning ride" in line]
    assert len(planned) == 1 and planned[0].startswith("- 2026-03-28")
    calendar.write_bytes((REAL / "icalendar-example.ics").read_bytes()[:400])
    result = run(vault, "import", "calendar", str(calendar), today="2026-03-20")
    assert result.exit_code == 1
    assert result.stderr.startswith("team.ics: not a whole calendar: the file ends inside BEGIN:VEVENT")
    assert "cut off" in result.stderr and "removed" not in result.stdout
    assert [line for line in lines(vault) if "Morning ride" in line] == planned


def test_a_calendar_without_its_end_is_refused(tmp_path: Path) -> None:
    """icalendar's small_bad_calendar.ics, unedited: BEGIN:VCALENDAR, an event, and no END:VCALENDAR."""
    calendar = REAL / "icalendar-small_bad_calendar.ics"
    vault = make_vault(tmp_path / "v", [ME], {}, f'[capture]\ncalendars = ["{calendar}"]\n')
    result = run(vault, "import", "calendar", str(calendar))
    assert result.exit_code == 1
    assert "small_bad_calendar.ics: not a whole calendar" in result.stderr
    check = run(vault, "check")
    assert check.exit_code == 1 and f"capture calendar source {calendar}: not a whole calendar" in check.output


class _Cut(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        data = (REAL / "icalendar-example.ics").read_bytes()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data[:300])  # the connection closes before the announced length

    def log_message(self, *args: object) -> None:
        pass


class _Quiet(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client gone first is what these tests do; never print into another test's output


def test_a_calendar_address_that_stops_answering_midway_is_an_error(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "v", [ME], {})
    httpd = _Quiet(("127.0.0.1", 0), _Cut)
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()
    try:
        result = run(vault, "import", "calendar", f"http://127.0.0.1:{httpd.server_address[1]}/basic.ics")
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert result.exit_code == 1
    assert re.fullmatch(r"127\.0\.0\.1 \([0-9a-f]{6}\): 127\.0\.0\.1 sent 300 of the 611 bytes it announced; "
                        r"nothing imported or removed", result.stderr.strip())


# ---------------------------------------------------------------- 2. a source is its path, not its file name


def test_two_calendars_of_one_name_keep_each_others_planned_meetings(tmp_path: Path) -> None:
    """Two downloads named basic.ics (icalendar's example.ics and property_params.ics) in two folders."""
    vault = make_vault(tmp_path / "v", [ME], {"Friend": "another_friend@example.com"})
    work = copy(tmp_path, "icalendar-example.ics", "work/basic.ics")
    home = copy(tmp_path, "icalendar-property_params.ics", "home/basic.ics")
    for path in (work, home, work, home):
        result = run(vault, "import", "calendar", str(path), today="2026-03-20")
        assert result.exit_code == 0 and "removed" not in result.output
    assert len([line for line in lines(vault) if "Morning ride" in line]) == 1
    # The watcher's rescans, both configured: neither takes the other's planned meetings out.
    (vault / "vaultnet.toml").write_text(f'me = ["{ME}"]\n[capture]\ncalendars = ["{work}", "{home}"]\n')
    from vaultnet.capture.imports import import_configured

    config = load_config(vault)
    for day in ("2026-03-20", "2026-03-21"):
        today = dt.date.fromisoformat(day)
        results = import_configured(config, today, lambda today=today: build_network(config, today), {})
        assert [r.outcome.removed for r in results] == [0, 0]
    assert len([line for line in lines(vault) if "Morning ride" in line]) == 1


# ---------------------------------------------------------------- 3. ids that never collide


def test_events_without_uid_at_the_same_start_are_two_meetings(tmp_path: Path) -> None:
    """node-ical's Office-2012-owa.ics: two UID-less events at 2020-10-28 13:30 (Exchange zones).
    Edit: an ORGANIZER (me) and an ATTENDEE after each SUMMARY: Ana in the first event, Bob in the others."""
    def edit(data: bytes) -> bytes:
        out: list[bytes] = []
        for line in data.split(b"\n"):
            out.append(line)
            if line.startswith(b"SUMMARY"):
                who = b"bob" if any(o.startswith(b"SUMMARY") for o in out[:-1]) else b"ana"
                out += [b"ORGANIZER:mailto:me@example.com", b"ATTENDEE;PARTSTAT=ACCEPTED:mailto:" + who + b"@example.com"]
        return b"\n".join(out)

    vault = make_vault(tmp_path / "v", [ME], {"Ana": "ana@example.com", "Bob": "bob@example.com"})
    calendar = copy(tmp_path, "node-ical-Office-2012-owa.ics", edit=edit)
    result = run(vault, "import", "calendar", str(calendar), today="2021-09-01")
    assert result.exit_code == 0, result.output
    first_day = [line for line in lines(vault) if line.startswith("- 2020-10-28")]
    assert len(first_day) == 2 and any("[[Ana]]" in line for line in first_day) and any("[[Bob]]" in line for line in first_day)
    # The same event alone in another file is the same event: nothing new.
    assert "added 0 captures" in run(vault, "import", "calendar", str(calendar), today="2021-09-01").output


def test_two_events_sharing_a_uid_are_both_read(tmp_path: Path) -> None:
    """icalendar's example.ics, unedited: both events carry the calendar's UID; the second is the meeting."""
    vault = make_vault(tmp_path / "v", [ME], {"Friend": "another_friend@example.com", "Late": "late_joiner@example.com"})
    run(vault, "import", "calendar", str(REAL / "icalendar-example.ics"), today="2026-04-01")
    assert [line.split(" ^")[0] for line in lines(vault)] == [
        "- 2026-03-28 #meeting Morning ride with the team. — with [[Friend]], [[Late]] · calendar "
        + run_label(REAL / "icalendar-example.ics")]


def run_label(path: Path) -> str:
    from vaultnet.capture.sources import resolve

    return resolve(str(path), Path("/nonexistent")).label


# ---------------------------------------------------------------- 9. whose meeting it was


def test_delegated_and_non_participants_take_no_part(tmp_path: Path) -> None:
    """khal's event_dt_partstat.ics, unedited (it folds with two spaces, so addresses arrive as
    ``iamboss @example.com``): the boss delegated to Henry and is a NON-PARTICIPANT."""
    boss = make_vault(tmp_path / "boss", ["iamboss@example.com"], {"Jane Doe": "jdoe@example.com"})
    run(boss, "import", "calendar", str(REAL / "khal-event_dt_partstat.ics"))
    assert lines(boss) == []  # the boss took no part: not their meeting
    jane = make_vault(tmp_path / "jane", ["jdoe@example.com"], {
        "Big Cheese": "iamboss@example.com", "Henry Cabot": "hcabot@example.com",
        "Another": "another@example.com", "Tent": "tent@example.com"})
    run(jane, "import", "calendar", str(REAL / "khal-event_dt_partstat.ics"))
    assert [line.split(" · ")[0] for line in lines(jane)] == [
        "- 2014-04-09 #meeting An Event — with [[Henry Cabot]], [[Tent]]"]


def test_a_non_participant_in_an_all_day_event_with_people(tmp_path: Path) -> None:
    """jmap-php-icalendar_vcard's Nextcloud event, unedited: all day, TRANSPARENT, yearly, organised
    by user 1, user 2 invited, user 3 a NON-PARTICIPANT. An all-day event that lists people counts."""
    vault = make_vault(tmp_path / "v", ["user-1@file-sharing-test.com"], {
        "User Two": "user-2@file-sharing-test.com", "User Three": "user-3@file-sharing-test.com"})
    run(vault, "import", "calendar", str(REAL / "jmap-nextcloud_conversion_event_1.ics"), today="2023-01-01")
    assert [line.split(" · ")[0] for line in lines(vault)] == [
        "- 2022-09-20 #meeting Some more complex event — with [[User Two]]"]


def test_events_you_are_not_in_are_not_your_meetings(tmp_path: Path) -> None:
    """node-ical's tentative-apple-calendar.ics, unedited: other people's events (a shared calendar)."""
    vault = make_vault(tmp_path / "v", [ME], {"Tentative": "tentative@example.com", "Confirmed": "confirmed@example.com"})
    result = run(vault, "import", "calendar", str(REAL / "node-ical-tentative-apple-calendar.ics"))
    assert result.exit_code == 0 and lines(vault) == []
    # Without `me`, vaultnet cannot tell and says so; they count.
    (vault / "vaultnet.toml").write_text("")
    result = run(vault, "import", "calendar", str(REAL / "node-ical-tentative-apple-calendar.ics"))
    assert "set me = " in result.stderr and len(lines(vault)) == 2


def test_a_quoted_organiser_address(tmp_path: Path) -> None:
    """node-ical's event-organizer-cn.ics: ``ORGANIZER;CN=…:"mailto:stomlinson@mozilla.com"``.
    Edit: an ATTENDEE line (me) after the ORGANIZER."""
    vault = make_vault(tmp_path / "v", [ME], {"Stuart Tomlinson": "stomlinson@mozilla.com"})
    calendar = copy(tmp_path, "node-ical-event-organizer-cn.ics", edit=after(b"ORGANIZER", b"ATTENDEE:mailto:me@example.com"))
    run(vault, "import", "calendar", str(calendar))
    assert [line.split(" · ")[0] for line in lines(vault)] == [
        "- 2013-04-18 #meeting Event with an alarm — with [[Stuart Tomlinson]]"]


# ---------------------------------------------------------------- 11. dates in the vault's time zone


def test_events_are_dated_in_the_vaults_zone_and_their_ids_in_none(tmp_path: Path, machine_zone) -> None:
    """node-ical's tentative-apple-calendar.ics: "Tentative" at 2022-07-04 23:00 UTC, "Confirmed" at
    09:00 in Vancouver on 07-05. Edit: my address as an ATTENDEE after each ORGANIZER."""
    calendar = copy(tmp_path, "node-ical-tentative-apple-calendar.ics",
                    edit=after(b"ORGANIZER", b"ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@example.com"))
    found = {}
    for machine, setting in (("UTC", "Asia/Tokyo"), ("Europe/Berlin", "Asia/Tokyo"), ("Asia/Tokyo", None),
                             ("UTC", "UTC"), ("UTC", "Europe/Berlin")):
        machine_zone(machine)
        name = f"{machine}-{setting}".replace("/", "-")
        vault = make_vault(tmp_path / name, [ME], {"Tentative": "tentative@example.com",
                                                  "Confirmed": "confirmed@example.com"},
                           f'timezone = "{setting}"\n' if setting else "")
        run(vault, "import", "calendar", str(calendar), today="2022-07-10")
        found[(machine, setting)] = [(line[2:12], line.rsplit("^", 1)[1]) for line in lines(vault)]
    tokyo = found[("UTC", "Asia/Tokyo")]
    assert [day for day, _ in tokyo] == ["2022-07-05", "2022-07-06"]  # 08:00 and 01:00 the next day in Tokyo
    assert found[("Europe/Berlin", "Asia/Tokyo")] == found[("Asia/Tokyo", None)] == tokyo  # the setting, else the machine
    assert [day for day, _ in found[("UTC", "UTC")]] == ["2022-07-04", "2022-07-05"]
    assert [day for day, _ in found[("UTC", "Europe/Berlin")]] == ["2022-07-05", "2022-07-05"]
    assert len({ids for ids in (tuple(i for _, i in v) for v in found.values())}) == 1  # the same ids everywhere


def test_mail_without_message_id_is_one_capture_in_any_zone(tmp_path: Path, machine_zone) -> None:
    """Thunderbird's mbox_modern, unedited: two messages without Message-ID, imported on a server
    in UTC, then on a laptop in Kiritimati (UTC+14), then in Los Angeles."""
    vault = make_vault(tmp_path / "v", ["recipient@example.com"], {"Author": "author@example.com"})
    results = []
    for zone in ("UTC", "Pacific/Kiritimati", "America/Los_Angeles"):
        machine_zone(zone)
        results.append(run(vault, "import", "mail", str(REAL / "thunderbird-mbox_modern")).output)
    assert len(lines(vault)) == 2
    assert "added 2 captures" in results[0] and "added 0 captures" in results[1] and "added 0 captures" in results[2]


def test_a_timezone_setting_that_is_no_zone(tmp_path: Path) -> None:
    vault = make_vault(tmp_path / "v", [ME], {}, 'timezone = "Mars/Olympus"\n')
    result = run(vault, "import", "calendar", str(REAL / "icalendar-example.ics"))
    assert result.exit_code == 1 and "timezone 'Mars/Olympus' is not a time zone name" in result.output


# ---------------------------------------------------------------- 11. shapes: bare events, bad lines, Exchange


def test_a_bare_vevent_file_is_a_calendar(tmp_path: Path) -> None:
    """khal's event_dt_floating.ics: one VEVENT, no VCALENDAR around it, a floating time.
    Unedited it is read (and lists no one); edit: an ORGANIZER (me) and an ATTENDEE after DTEND."""
    vault = make_vault(tmp_path / "v", [ME], {"Ana": "ana@example.com"})
    result = run(vault, "import", "calendar", str(REAL / "khal-event_dt_floating.ics"))
    assert result.exit_code == 0 and not result.stderr and lines(vault) == []
    edited = copy(tmp_path, "khal-event_dt_floating.ics",
                  edit=after(b"DTEND", b"ORGANIZER:mailto:me@example.com", b"ATTENDEE:mailto:ana@example.com"))
    assert run(vault, "import", "calendar", str(edited)).exit_code == 0
    assert [line.split(" · ")[0] for line in lines(vault)] == ["- 2014-04-09 #meeting An Event — with [[Ana]]"]


def test_one_bad_alarm_or_one_stray_line_costs_nothing_else(tmp_path: Path) -> None:
    """khal's non_dst_error.ics (an alarm TRIGGER of PT-2H) and icalendar's issue_104_broken_calendar.ics
    (a stray line ``X``), unedited: each was refused whole."""
    vault = make_vault(tmp_path / "v", [ME], {})
    result = run(vault, "import", "calendar", str(REAL / "khal-non_dst_error.ics"))
    assert result.exit_code == 0 and not result.stderr
    result = run(vault, "import", "calendar", str(REAL / "icalendar-issue_104_broken_calendar.ics"))
    assert result.exit_code == 0
    assert result.stderr.strip() == "icalendar-issue_104_broken_calendar.ics: line 13: 'X' is not an iCalendar line; skipped"


def test_an_exchange_series_with_an_escaped_rule(tmp_path: Path) -> None:
    """icalendar's issue_165_missing_event.ics (Microsoft CDO: ``BYDAY=MO, TU, …``, a quoted custom TZID).
    Edit: an ORGANIZER (me) and an ATTENDEE after the SUMMARY."""
    vault = make_vault(tmp_path / "v", [ME], {"Ana": "ana@example.com"})
    calendar = copy(tmp_path, "icalendar-issue_165_missing_event.ics",
                    edit=after(b"SUMMARY", b"ORGANIZER:mailto:me@example.com", b"ATTENDEE:mailto:ana@example.com"))
    result = run(vault, "import", "calendar", str(calendar), today="2015-08-01")
    assert result.exit_code == 0 and not result.stderr, result.output
    days = [line[2:12] for line in lines(vault)]
    assert days[:3] == ["2015-07-03", "2015-07-06", "2015-07-07"] and len(days) == 14  # weekdays to July 22


def test_outlooks_quoted_time_zone_and_confluences_broken_fold(tmp_path: Path) -> None:
    """node-ical's ms_timezones.ics: ``DTSTART;TZID="W. Europe Standard Time:20200609T090000"`` (the quote
    takes in the value). Edit: an ORGANIZER (me) and an ATTENDEE after that event's SUMMARY. Then the
    shape of a Confluence export (written here): a line folded without its space, parameters in the value."""
    vault = make_vault(tmp_path / "v", [ME], {"Ana": "ana@example.com", "Daniel": "dlatham@example.com"},
                       'timezone = "Europe/Berlin"\n')
    calendar = copy(tmp_path, "node-ical-ms_timezones.ics", edit=after(
        b"SUMMARY:Log Yesterday", b"ORGANIZER:mailto:me@example.com", b"ATTENDEE:mailto:ana@example.com"))
    result = run(vault, "import", "calendar", str(calendar), today="2020-07-01")
    assert result.exit_code == 0 and not result.stderr, result.output
    jira = [line.split(" · ")[0] for line in lines(vault)]
    assert jira[0] == "- 2020-06-09 #meeting Log Yesterday's Jira time — with [[Ana]]" and len(jira) > 1  # a series
    confluence = tmp_path / "team.ics"
    confluence.write_text("BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:1@confluence\nSUMMARY:Planning\n"
                          "DTSTART;VALUE=DATE:20200610\nORGANIZER:X-CONFLUENCE-USER-KEY=8a;CN=Dan\n"
                          "iel Latham;CUTYPE=INDIVIDUAL:mailto:dlatham@example.com\n"
                          "ATTENDEE:X-CONFLUENCE-USER-KEY=8b;CN=Me:mailto:me@example.com\nEND:VEVENT\nEND:VCALENDAR\n")
    assert run(vault, "import", "calendar", str(confluence), today="2020-07-01").exit_code == 0
    assert any(line.startswith("- 2020-06-10 #meeting Planning — with [[Daniel]]") for line in lines(vault))


def test_a_latin1_calendar(tmp_path: Path) -> None:
    """Thunderbird's importLatin1.ics (``Event Tv\\xe5``). Edit: an ORGANIZER (me) and an ATTENDEE
    after each SUMMARY."""
    vault = make_vault(tmp_path / "v", [ME], {"Ana": "ana@example.com"})
    calendar = copy(tmp_path, "thunderbird-importLatin1.ics",
                    edit=after(b"SUMMARY", b"ORGANIZER:mailto:me@example.com", b"ATTENDEE:mailto:ana@example.com"))
    run(vault, "import", "calendar", str(calendar))
    assert sorted(line.split(" #meeting ")[1].split(" — ")[0] for line in lines(vault)) == [
        "Event Four", "Event One", "Event Three", "Event Två"]


# ---------------------------------------------------------------- 4. mail: charsets


def test_raw_utf8_and_latin1_headers(tmp_path: Path) -> None:
    """Thunderbird's mbox_modern with its first Subject written as raw UTF-8 (the edit), and, in a
    Maildir, mail-parser's Eudora and Outlook messages with raw Latin-1 headers, unedited."""
    vault = make_vault(tmp_path / "v", ["recipient@example.com", "mueller@example.com", "schmuergen@example.com"],
                       {"Author": "author@example.com", "Doug Sauder": "[dwsauder@example.com, doug@example.com]"})
    mbox = copy(tmp_path, "thunderbird-mbox_modern", edit=lambda data: data.replace(
        b"Subject: Sample message 1", "Subject: Grüße aus Köln".encode()))
    run(vault, "import", "mail", str(mbox))
    run(vault, "import", "mail", str(in_maildir(tmp_path, "mail-parser-legacy-010.eml", "mail-parser-legacy-020.eml")))
    subjects = sorted(line.split(" #email ")[1].split(" — ")[0] for line in lines(vault))
    assert subjects == ["Die Hasen und die Frösche", "Die Hasen und die Frösche (Microsoft Outlook 00)",
                        "Grüße aus Köln", "Sample message 2"]


def in_maildir(tmp_path: Path, *names: str) -> Path:
    """Real messages, unedited, as the files of a Maildir (named as mbsync names them)."""
    maildir = tmp_path / "Maildir"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    for number, name in enumerate(names, start=1):
        shutil.copy(REAL / name, maildir / "cur" / f"{1_600_000_000 + number}.M{number}P1.host:2,S")
    return maildir


def test_one_stray_byte_in_an_address(tmp_path: Path) -> None:
    """flanker's mailformed-headers.eml, unedited, in a Maildir: raw UTF-8 in From with one byte that
    is not, ``To: \\xb4google@example.com``, no Message-ID."""
    vault = make_vault(tmp_path / "v", ["google@example.com"], {"Headers": "headers@gmail.com"})
    result = run(vault, "import", "mail", str(in_maildir(tmp_path, "flanker-mailformed-headers.eml")))
    assert result.exit_code == 0, result.output
    assert [line.split(" · ")[0] for line in lines(vault)] == ["- 2012-07-13 #email ´! — with [[Headers]]"]


# ---------------------------------------------------------------- 11. mail: shapes


def maildir_plus_plus(root: Path, messages: dict[str, str]) -> Path:
    """mail-parser's resources/maildir layout (Maildir++: root, ``.My Folder``, ``.My Folder.Nested
    Folder``; its file names, some with ``;2,`` flags), holding the real messages given by file name."""
    for folder in ("", ".My Folder", ".My Folder.Nested Folder", ".Junk"):
        for sub in ("cur", "new", "tmp"):
            (root / folder / sub).mkdir(parents=True, exist_ok=True)
    for target, name in messages.items():
        shutil.copy(REAL / name, root / target)
    return root


LAYOUT = {
    "cur/1491941793.M41850P8566V0000000000000015I0000000004F3030E_0.mx1.example.com,S=10956;2,STln": "flanker-text-only.eml",
    ".My Folder/new/1276528487.M364837P9451.kurkku,S=1355,W=1394;2,": "flanker-relative.eml",
    ".My Folder.Nested Folder/cur/1276533073.M242911P3632.kurkku;2,FP": "flanker-encoded-header.eml",
    ".Junk/cur/1234567890.M20046P2137.mailserver,S=4542,W=4642;2,Sb": "mail-parser-legacy-010.eml",
}


def test_maildir_subfolders_and_messages_without_date(tmp_path: Path) -> None:
    """Maildir++ subfolders are read (junk is not); encoded-header.eml has no Date: it is dated by its file name."""
    maildir = maildir_plus_plus(tmp_path / "Mail", LAYOUT)
    vault = make_vault(tmp_path / "v", ["hello@there.com", "bob@example.com", "foo@example.com", "mueller@example.com"],
                       {"Bob Marley": "bob@marley.com", "Bob Simple": "example@example.com",
                        "Foo Bar": "foo.bar@example.com", "Doug Sauder": "dwsauder@example.com"})
    result = run(vault, "import", "mail", str(maildir))
    assert result.exit_code == 0 and not result.stderr, result.output
    assert [line.split(" · ")[0] for line in lines(vault)] == [
        "- 2010-06-14 #email hello — with [[Foo Bar]]",  # 1276533073: delivered 2010-06-14 16:31 UTC
        "- 2011-12-29 #email Testing message parsing — with [[Bob Marley]]",
        "- 2012-07-25 #email Html and text message — with [[Bob Simple]]",
    ]


def test_without_date_or_time_in_the_name_the_file_time_and_an_iso_date(tmp_path: Path) -> None:
    """flanker's encoded-header.eml (no Date) as a Maildir file named ``mail3`` (no time in the name, as
    in mu's test folders), delivered 2011-05-17; then a copy with ``Date: 2012-12-08 00:48`` (the edit)."""
    maildir = in_maildir(tmp_path)
    message = maildir / "cur" / "mail3"
    shutil.copy(REAL / "flanker-encoded-header.eml", message)
    os.utime(message, (1305664394, 1305664394))
    vault = make_vault(tmp_path / "v", ["foo@example.com"], {"Foo Bar": "foo.bar@example.com"})
    result = run(vault, "import", "mail", str(maildir))
    assert result.exit_code == 0 and not result.stderr
    assert [line[2:12] for line in lines(vault)] == ["2011-05-17"]
    (maildir / "new" / "mail4").write_bytes((REAL / "flanker-encoded-header.eml").read_bytes().replace(
        b"Message-ID: <1234567890", b"Date: 2012-12-08 00:48\nMessage-ID: <1234567891"))
    assert run(vault, "import", "mail", str(maildir)).exit_code == 0
    assert [line[2:12] for line in lines(vault)] == ["2011-05-17", "2012-12-08"]


def test_mbox_messages_without_date_take_the_from_line_time(tmp_path: Path) -> None:
    """Thunderbird's mbox_mboxrd, unedited: two messages without Date (From_ lines of 2011-07-08)."""
    vault = make_vault(tmp_path / "v", ["recipient@example.com"], {"Author": "author@example.com"})
    result = run(vault, "import", "mail", str(REAL / "thunderbird-mbox_mboxrd"))
    assert result.exit_code == 0 and not result.stderr
    assert [line.split(" · ")[0] for line in lines(vault)] == ["- 2011-07-08 #email Sample message 1 — with [[Author]]"]
    assert "1 more the same day" in result.output


def test_a_single_message_file_and_an_mbox_starting_with_a_blank_line(tmp_path: Path) -> None:
    """flanker's relative.eml, unedited; Thunderbird's mbox_modern with a blank line put first (the edit)."""
    vault = make_vault(tmp_path / "v", ["bob@example.com", "recipient@example.com"],
                       {"Bob Simple": "example@example.com", "Author": "author@example.com"})
    result = run(vault, "import", "mail", str(REAL / "flanker-relative.eml"))
    assert result.exit_code == 0, result.output
    assert [line.split(" · ")[0] for line in lines(vault)] == ["- 2012-07-25 #email Html and text message — with [[Bob Simple]]"]
    mbox = copy(tmp_path, "thunderbird-mbox_modern", edit=lambda data: b"\n" + data)
    result = run(vault, "import", "mail", str(mbox))
    assert result.exit_code == 0 and "added 2 captures" in result.output


def test_an_apple_mail_export_and_a_folder_of_message_files(tmp_path: Path) -> None:
    """Apple Mail exports a mailbox as a folder ``Inbox.mbox/`` holding a file ``mbox`` (layout: Thunderbird's
    mbox_modern, unedited, placed so); a folder of saved messages (flanker's relative.eml and text-only.eml)."""
    bundle = tmp_path / "Inbox.mbox"
    bundle.mkdir()
    shutil.copy(REAL / "thunderbird-mbox_modern", bundle / "mbox")
    (bundle / "table_of_contents").write_bytes(b"\x00\x01")
    saved = tmp_path / "Saved"
    (saved / "2012").mkdir(parents=True)
    shutil.copy(REAL / "flanker-relative.eml", saved / "2012" / "relative.eml")
    shutil.copy(REAL / "flanker-text-only.eml", saved / "text-only.eml")
    vault = make_vault(tmp_path / "v", ["recipient@example.com", "bob@example.com", "hello@there.com"],
                       {"Author": "author@example.com", "Bob Simple": "example@example.com", "Bob Marley": "bob@marley.com"})
    for source in (bundle, saved):
        result = run(vault, "import", "mail", str(source))
        assert result.exit_code == 0 and not result.stderr, result.output
    assert len(lines(vault)) == 4
    assert "added 0 captures, unchanged 0" in run(vault, "import", "mail", str(saved)).output  # read once


def test_unquoted_from_lines_in_a_body_start_no_message(tmp_path: Path) -> None:
    """Thunderbird's mbox_unquoted, unedited: a body line ``From `` that older Thunderbirds left unquoted."""
    vault = make_vault(tmp_path / "v", ["recipient@example.com"], {"Author": "author@example.com"})
    result = run(vault, "import", "mail", str(REAL / "thunderbird-mbox_unquoted"))
    assert result.exit_code == 0 and not result.stderr
    assert [line[2:12] for line in lines(vault)] == ["2005-08-22", "2005-08-23"]


def test_read_receipts_are_not_contact(tmp_path: Path) -> None:
    """flanker's disposition-notification.eml, unedited: Joe's mail program saying Jane's message was displayed."""
    vault = make_vault(tmp_path / "v", ["jane_sender@example.org"], {"Joe Recipient": "joe_recipient@example.com"})
    result = run(vault, "import", "mail", str(in_maildir(tmp_path, "flanker-disposition-notification.eml")))
    assert result.exit_code == 0 and lines(vault) == []


def test_a_reply_to_you_through_a_list_is_contact(tmp_path: Path) -> None:
    """flanker's from-encoding.eml (new-httpd@apache.org, Precedence: bulk, a Latin-1 sender name).
    Unedited it went to the list only; the edit adds my address to To."""
    vault = make_vault(tmp_path / "v", [ME], {"Ingo Lütkebohle": "ingo@blank.pages.de"})
    maildir = in_maildir(tmp_path, "flanker-from-encoding.eml")
    assert run(vault, "import", "mail", str(maildir)).exit_code == 0
    assert lines(vault) == []  # list mail, to the list
    (maildir / "new" / "1600000009.M9P1.host").write_bytes((REAL / "flanker-from-encoding.eml").read_bytes().replace(
        b"To: new-httpd@apache.org", b"To: new-httpd@apache.org, Me <me@example.com>"))
    run(vault, "import", "mail", str(maildir))
    assert [line.split(" · ")[0] for line in lines(vault)] == [
        "- 1997-07-12 #email Re: running server as root (Was: Re: PUT method) — with [[Ingo Lütkebohle]]"]


# ---------------------------------------------------------------- 12. an archive is read once


def test_a_mailbox_is_read_once_and_a_bad_message_reported_once(tmp_path: Path) -> None:
    """Thunderbird's mbox_modern with message 2's Date made unreadable (the edit), then mbox_mboxrd appended."""
    vault = make_vault(tmp_path / "v", ["recipient@example.com"], {"Author": "author@example.com"})
    mbox = copy(tmp_path, "thunderbird-mbox_modern", edit=lambda data: data.replace(
        b"Date: Thu, 23 Aug 2018", b"Date: the day after Thu, 23 Aug 2018", 1))
    first = run(vault, "import", "mail", str(mbox))
    assert "message 2: unreadable Date header" in first.stderr and "added 1 captures" in first.output
    again = run(vault, "import", "mail", str(mbox))
    assert again.exit_code == 0 and not again.stderr and "added 0 captures, unchanged 0" in again.output
    with mbox.open("ab") as handle:
        handle.write(b"\n" + (REAL / "thunderbird-mbox_mboxrd").read_bytes())
    from vaultnet.capture.imports import import_source

    config = load_config(vault)
    result = import_source(config, build_network(config, load_today()), "mail", str(mbox))
    assert [c.title for c in result.read.captures] == ["Sample message 1", "Sample message 2"]  # only the new ones
    assert not result.read.problems and result.outcome.added == 1  # one a day


def test_an_unchanged_mailbox_costs_neither_a_read_nor_the_vault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rescan of an unchanged mailbox reads the contacts' notes only: no message, no capture note."""
    import vaultnet.capture.mail as mail
    import vaultnet.pipeline.session as session

    vault = make_vault(tmp_path / "v", ["recipient@example.com"], {"Author": "author@example.com"})
    mbox = REAL / "thunderbird-mbox_modern"
    assert "added 2 captures" in run(vault, "import", "mail", str(mbox)).output

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("read again")

    monkeypatch.setattr(mail, "scan_mbox", refuse)
    monkeypatch.setattr(session, "build_network", refuse)
    result = run(vault, "import", "mail", str(mbox))
    assert result.exit_code == 0 and result.output == "added 0 captures, unchanged 0\n"
    from vaultnet.capture.imports import contacts_only
    from vaultnet.capture.model import People

    config = load_config(vault)
    monkeypatch.undo()
    assert People(config, contacts_only(config)).digest() == People(
        config, build_network(config, load_today()).directory.contacts).digest()


def test_a_new_contact_has_the_mailbox_read_again(tmp_path: Path) -> None:
    """Thunderbird's mbox_modern, unedited: read before Author was a contact, then after."""
    vault = make_vault(tmp_path / "v", ["recipient@example.com"], {})
    mbox = REAL / "thunderbird-mbox_modern"
    assert "added 0 captures" in run(vault, "import", "mail", str(mbox)).output
    (vault / "People" / "Author.md").write_text("---\nemail: author@example.com\n---\n")
    assert "added 2 captures" in run(vault, "import", "mail", str(mbox)).output


def load_today() -> dt.date:
    return dt.date(2026, 12, 6)


def test_a_maildir_is_read_once(tmp_path: Path) -> None:
    maildir = maildir_plus_plus(tmp_path / "Mail", LAYOUT)
    vault = make_vault(tmp_path / "v", ["hello@there.com"], {"Bob Marley": "bob@marley.com"})
    assert "added 1 captures" in run(vault, "import", "mail", str(maildir)).output
    from vaultnet.capture.imports import import_source

    config = load_config(vault)
    result = import_source(config, build_network(config, load_today()), "mail", str(maildir))
    assert result.read.captures == [] and not result.read.problems
    # A message read and filed (new/ → cur/, flags added) is the same message.
    moved = next((maildir / ".My Folder" / "new").iterdir())
    os.rename(moved, maildir / ".My Folder" / "cur" / (moved.name + "S"))
    shutil.copy(REAL / "flanker-text-only.eml", maildir / "new" / "1700000000.M1P1.host")
    result = import_source(config, build_network(config, load_today()), "mail", str(maildir))
    assert len(result.read.captures) == 1 and result.outcome.added == 0  # the copy has the same Message-ID
