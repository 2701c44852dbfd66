"""``vaultnet sync contacts`` and ``calendar`` on folders the test edits as vdirsyncer would: what a phone
did arrives as files changed, added or removed."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner

from vaultnet.cli.main import main
from vaultnet.files.config import load_config
from vaultnet.phone import state
from vaultnet.phone.report import Report
from vaultnet.phone.runner import PhoneSync, run_command, session_work_out, sync_folders
from vaultnet.phone.vdir import read_folder
from vaultnet.pipeline.session import Session
from vaultnet.pipeline.watch import Watcher

from conftest import TODAY, write

ANA = """\
---
circle: close
email: ana@tidewater.io
company: Tidewater Labs
birthday: 1990-01-04
---
## Log
- 2026-11-02 #coffee she is hiring
- [ ] send Ana the deck 📅 2026-11-25
"""
PHONE_CARD = ("BEGIN:VCARD\r\nVERSION:3.0\r\nUID:9F1C2D3E-PHONE\r\nFN:Kenji Watanabe\r\nN:Watanabe;Kenji;;;\r\n"
              "EMAIL;TYPE=HOME:kenji@example.jp\r\nTEL;TYPE=CELL:+81 90 1234 5678\r\nORG:Sakura Labs\r\n"
              "NOTE:met at the Tokyo meetup\r\nEND:VCARD\r\n")


def sync(vault: Path, *, contacts: Path | None = None, calendar: Path | None = None, write: bool = True,
         today: dt.date = TODAY) -> list[Report]:
    config = load_config(vault)
    return sync_folders(config, session_work_out(Session(config, remember=False), today), today,
                        contacts=contacts, calendar=calendar, write=write)


def lines(reports: list[Report]) -> str:
    return "\n".join(line for report in reports for line in report.lines)


def text(path: Path) -> str:
    """An item's text with its folded lines joined."""
    return path.read_bytes().decode().replace("\r\n ", "")


def card_of(folder: Path, name: str) -> Path:
    found = [path for path in folder.glob("*.vcf") if f"FN:{name}\r\n" in text(path)]
    assert len(found) == 1, [text(p) for p in folder.glob("*.vcf")]
    return found[0]


def files(*folders: Path) -> dict[str, tuple[int, bytes]]:
    return {str(p): (p.stat().st_mtime_ns, p.read_bytes()) for folder in folders for p in sorted(folder.rglob("*"))
            if p.is_file()}


# ------------------------------------------------------------------ contacts


def test_cards_go_out_once_and_a_sync_with_nothing_new_writes_nothing(vault: Path, tmp_path: Path) -> None:
    write(vault, "People/Ana Souza.md", ANA)
    folder = tmp_path / "contacts"
    first = sync(vault, contacts=folder)
    assert first[0].counts["cards written"] == 1 and folder.is_dir()
    note = (vault / "People/Ana Souza.md").read_text()
    uid = next(line for line in note.splitlines() if line.startswith("vcard_uid: ")).split(": ")[1]
    assert note == ANA.replace("birthday: 1990-01-04\n", f"birthday: 1990-01-04\nvcard_uid: {uid}\n")
    assert "NOTE:Last contact 2026-11-02 (coffee): she is hiring\\nFollow-up: send Ana the deck (due 2026-11-25)" \
        in text(folder / f"{uid}.vcf")
    before = files(vault, folder)
    again = sync(vault, contacts=folder)
    assert again[0].counts["unchanged"] == 1 and not again[0].lines
    assert files(vault, folder) == before


def test_a_card_made_on_the_phone_becomes_a_note_for_triage_or_joins_its_person(vault: Path, tmp_path: Path) -> None:
    write(vault, "People/Ana Souza.md", ANA)
    folder = tmp_path / "contacts"
    folder.mkdir()
    (folder / "9F1C2D3E-PHONE.vcf").write_text(PHONE_CARD)
    (folder / "other.vcf").write_text(PHONE_CARD.replace("9F1C2D3E-PHONE", "OTHER").replace("Kenji Watanabe", "A. S.")
                                      .replace("kenji@example.jp", "ANA@tidewater.io"))
    said = lines(sync(vault, contacts=folder))
    kenji = (vault / "People/Kenji Watanabe.md").read_text()
    for line in ("email: kenji@example.jp", "phone: +81 90 1234 5678", "company: Sakura Labs", "  - triage",
                 "vcard_uid: 9F1C2D3E-PHONE", "> met at the Tokyo meetup"):
        assert line in kenji
    assert "created from a new card on the phone (Kenji Watanabe), tagged #triage" in said
    ana = (vault / "People/Ana Souza.md").read_text()
    assert "vcard_uid: OTHER" in ana and "linked to the card 'A. S.'" in said  # found by email: no second Ana
    assert "FN:Ana Souza" in (folder / "other.vcf").read_text()
    assert len(list(folder.glob("*.vcf"))) == 2
    before = files(vault, folder)
    assert lines(sync(vault, contacts=folder)) == "" and files(vault, folder) == before  # one sync did it all


def test_a_card_deleted_on_the_phone_is_told_once_and_not_sent_again(vault: Path, tmp_path: Path) -> None:
    write(vault, "People/Ana Souza.md", ANA)
    write(vault, "People/Bob Lee.md", "---\ncircle: network\n---\n")
    folder = tmp_path / "contacts"
    sync(vault, contacts=folder)
    card_of(folder, "Ana Souza").unlink()
    said = lines(sync(vault, contacts=folder))
    assert "People/Ana Souza.md: its card was deleted on the phone: the note stays" in said
    assert (vault / "People/Ana Souza.md").is_file() and len(list(folder.glob("*.vcf"))) == 1
    assert lines(sync(vault, contacts=folder)) == "" and len(list(folder.glob("*.vcf"))) == 1


def test_an_empty_or_new_folder_deletes_nothing(vault: Path, tmp_path: Path) -> None:
    write(vault, "People/Ana Souza.md", ANA)
    folder = tmp_path / "contacts"
    sync(vault, contacts=folder)
    card_of(folder, "Ana Souza").unlink()  # the folder emptied (a new device, a wiped folder)
    said = lines(sync(vault, contacts=folder))
    assert "is empty, while it held 1 card at" in said and "was deleted on the phone" not in said
    card_of(folder, "Ana Souza")
    elsewhere = tmp_path / "laptop" / "contacts"  # another device's folder: no record of it here
    assert sync(vault, contacts=elsewhere)[0].counts["cards written"] == 1


def test_a_conflict_keeps_the_notes_value_and_says_so(vault: Path, tmp_path: Path) -> None:
    write(vault, "People/Ana Souza.md", ANA)
    folder = tmp_path / "contacts"
    sync(vault, contacts=folder)
    path = card_of(folder, "Ana Souza")
    path.write_text(path.read_text().replace("ORG:Tidewater Labs", "ORG:Northbeam"))
    note = vault / "People/Ana Souza.md"
    note.write_text(note.read_text().replace("company: Tidewater Labs", "company: Acme"))
    said = lines(sync(vault, contacts=folder))
    assert "company: conflict: changed on both sides since the last sync; the phone says 'Northbeam', the note " \
           "'Acme': the note's value is kept" in said
    assert "ORG:Acme" in path.read_text() and "company: Acme" in note.read_text()


def test_a_second_number_for_a_single_value_stays_on_the_phone(vault: Path, tmp_path: Path) -> None:
    write(vault, "People/Ana Souza.md", ANA.replace("company:", "phone: +49 151 2345 6789\ncompany:"))
    folder = tmp_path / "contacts"
    sync(vault, contacts=folder)
    path = card_of(folder, "Ana Souza")
    path.write_text(path.read_text().replace("END:VCARD", "TEL:+351 912 345 678\r\nEND:VCARD"))
    note = (vault / "People/Ana Souza.md").read_bytes()
    said = lines(sync(vault, contacts=folder))
    assert "+351 912 345 678 is on the phone only: the note's phone holds a single value" in said
    assert (vault / "People/Ana Souza.md").read_bytes() == note
    assert "TEL:+351 912 345 678" in path.read_text() and "TEL:+49 151 2345 6789" in path.read_text()
    assert lines(sync(vault, contacts=folder)) == ""  # told once; the number stays on the card


def test_a_card_whose_note_left_the_vault_stays_on_the_phone(vault: Path, tmp_path: Path) -> None:
    write(vault, "People/Ana Souza.md", ANA)
    folder = tmp_path / "contacts"
    sync(vault, contacts=folder)
    (vault / "People/Ana Souza.md").unlink()
    said = lines(sync(vault, contacts=folder))
    assert "its card stays on the phone" in said and card_of(folder, "Ana Souza")
    assert lines(sync(vault, contacts=folder)) == ""  # told once, and never taken for a new card from the phone
    assert not (vault / "People").exists() or not list((vault / "People").iterdir())


def test_a_dry_run_writes_nothing(vault: Path, tmp_path: Path) -> None:
    write(vault, "People/Ana Souza.md", ANA)
    before = files(vault)
    reports = sync(vault, contacts=tmp_path / "contacts", calendar=tmp_path / "calendar", write=False)
    assert [(r.kind, r.counts["cards written"] + r.counts["events written"]) for r in reports] == [
        ("calendar", 2), ("contacts", 1)]  # a birthday and a follow-up; a card
    assert files(vault) == before and not (tmp_path / "contacts").exists()


# ------------------------------------------------------------------ calendar


def test_reminders_birthdays_follow_ups_and_check_ins(vault: Path, tmp_path: Path) -> None:
    write(vault, "vaultnet.toml", '[sync]\nlead_days = 2\nalarm = "08:30"\n')
    write(vault, "People/Ana Souza.md", ANA.replace("- 2026-11-02", "- 2026-10-02"))  # due: a check-in this week
    folder = tmp_path / "calendar"
    report = sync(vault, calendar=folder)[0]
    texts = {path.name.rsplit("-", 1)[0]: path.read_text().replace("\r\n ", "") for path in folder.glob("*.ics")}
    assert set(texts) == {"vaultnet-birthday", "vaultnet-follow-up", "vaultnet-check-in"}
    assert "RRULE:FREQ=YEARLY" in texts["vaultnet-birthday"] and "TRIGGER:-P1DT15H30M" in texts["vaultnet-birthday"]
    todo = texts["vaultnet-follow-up"]
    assert "BEGIN:VTODO" in todo and "DUE;VALUE=DATE:20261125" in todo and "TRIGGER;RELATED=END:PT8H30M" in todo
    assert "DTSTART;VALUE=DATE:20261116" in texts["vaultnet-check-in"]  # overdue: Monday of this week
    assert "Last contact 2026-10-02 (coffee)" in texts["vaultnet-check-in"]
    assert report.counts["events written"] == 3
    before = files(folder, vault)
    assert sync(vault, calendar=folder)[0].counts["unchanged"] == 3 and files(folder, vault) == before
    write(vault, "vaultnet.toml", '[sync]\nfollowups = "event"\n')
    sync(vault, calendar=folder)
    assert {p.name.rsplit("-", 1)[0] for p in folder.glob("*.ics")} == {
        "vaultnet-birthday", "vaultnet-follow-up-event", "vaultnet-check-in"}


def test_a_task_completed_on_the_phone_completes_the_follow_up(vault: Path, tmp_path: Path) -> None:
    write(vault, "People/Ana Souza.md", ANA)
    folder = tmp_path / "calendar"
    sync(vault, calendar=folder)
    todo = next(p for p in folder.glob("vaultnet-follow-up-*.ics"))
    todo.write_text(todo.read_text().replace("STATUS:NEEDS-ACTION", "STATUS:COMPLETED\r\nCOMPLETED:20261120T100000"))
    said = lines(sync(vault, calendar=folder))
    assert "completed on the phone: send Ana the deck (✅ 2026-11-20)" in said
    assert (vault / "People/Ana Souza.md").read_text() == ANA.replace(
        "- [ ] send Ana the deck 📅 2026-11-25", "- [x] send Ana the deck 📅 2026-11-25 ✅ 2026-11-20")
    assert not todo.exists()


def test_the_phones_own_events_and_edits_are_left_and_a_deleted_reminder_is_not_made_again(
        vault: Path, tmp_path: Path) -> None:
    write(vault, "People/Ana Souza.md", ANA)
    folder = tmp_path / "calendar"
    folder.mkdir()
    mine = folder / "dentist.ics"
    mine.write_text("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:dentist\r\nDTSTART:20261124T090000Z\r\n"
                    "SUMMARY:Dentist\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    sync(vault, calendar=folder)
    birthday = next(folder.glob("vaultnet-birthday-*.ics"))
    birthday.write_text(birthday.read_text().replace("SUMMARY:Ana Souza's birthday", "SUMMARY:Ana 🎂"))
    next(folder.glob("vaultnet-follow-up-*.ics")).unlink()
    said = lines(sync(vault, calendar=folder))
    assert "deleted on the phone, so it is not made again" in said
    assert "SUMMARY:Ana 🎂" in birthday.read_text() and mine.is_file()
    assert not list(folder.glob("vaultnet-follow-up-*.ics"))
    assert lines(sync(vault, calendar=folder)) == "" and not list(folder.glob("vaultnet-follow-up-*.ics"))
    entries = state.load_shared(load_config(vault)).entries["calendar"]
    assert [entry["status"] for entry in entries.values()] == ["dismissed"]


# ------------------------------------------------------------------ running it


def test_vaultnet_sync_runs_the_commands_around_the_folders(vault: Path, tmp_path: Path) -> None:
    log = tmp_path / "ran"
    write(vault, "vaultnet.toml", f'[sync]\ncontacts = "phone/contacts"\nbefore = "sh -c \'echo before >> {log}\'"\n'
                                  f'after = "sh -c \'echo after >> {log}; exit 3\'"\n')
    write(vault, "People/Ana Souza.md", ANA)
    result = CliRunner().invoke(main, ["--vault", str(vault), "--today", "2026-11-21", "sync", "--dry-run"])
    assert result.exit_code == 0 and "1 card to write (dry run: nothing written)" in result.output
    assert not log.exists() and not (vault / "phone").exists()
    result = CliRunner().invoke(main, ["--vault", str(vault), "--today", "2026-11-21", "sync"])
    assert result.exit_code == 1
    assert "contacts (" in result.output and "1 card written" in result.output
    assert "Error: [sync] after (sh -c 'echo after" in result.output and "failed (exit 3)" in result.output
    assert log.read_text() == "before\nafter\n"
    assert read_folder(vault / "phone/contacts", ".vcf")[0]
    result = CliRunner().invoke(main, ["--vault", str(vault), "sync", "calendar"])
    assert result.exit_code == 2 and "set it as calendar in [sync]" in result.output


def test_a_command_that_hangs_is_stopped(vault: Path) -> None:
    write(vault, "vaultnet.toml", '[sync]\ncontacts = "c"\nbefore = "sleep 5"\ntimeout = 1\n')
    config = load_config(vault)
    config = replace(config, sync=replace(config.sync, timeout=0.2))  # type: ignore[arg-type]
    started = time.monotonic()
    assert "took more than 0.2 s and was stopped" in (run_command(config, "before") or "")
    assert time.monotonic() - started < 3


def test_the_watcher_syncs_after_builds_once_a_minute_and_every_few_minutes(vault: Path) -> None:
    write(vault, "vaultnet.toml", '[sync]\ncontacts = "phone"\nevery_minutes = 15\n')
    write(vault, "People/Ana Souza.md", ANA)
    now = [0.0]
    ran: list[str] = []

    def run(args, **_):
        ran.append(args[0])
        raise AssertionError("no command is configured")

    hook = PhoneSync(clock=lambda: now[0], run=run)
    session = Session(load_config(vault))
    synced = []
    steps = ((0, False), (10, True), (70, False), (80, True), (100, False), (140, False), (1000, False), (1040, False))
    for moment, built in steps:
        now[0] = moment
        if built:
            session.summary = {"contacts": 1}  # a build: the session's summary is a new one
        before = hook.last
        hook(session, TODAY)
        if hook.last != before:
            synced.append(moment)
    assert synced == [0, 70, 140, 1040] and ran == []  # at start; a minute after a build; 15 minutes on
    assert (vault / "phone").is_dir()


def test_the_watcher_sends_a_new_person_to_the_phone_after_the_build(vault: Path, tmp_path: Path) -> None:
    folder = tmp_path / "contacts"
    write(vault, "vaultnet.toml", f'[sync]\ncontacts = "{folder}"\n')
    write(vault, "People/Ana Souza.md", ANA)
    watcher = Watcher.for_vault(load_config(vault), lambda: TODAY, quiet=0.05, max_wait=2, poll_period=0.05,
                                hooks=[PhoneSync(gap=0)])
    watcher.start()
    try:
        def cards() -> set[str]:
            return {line[3:] for path in folder.glob("*.vcf") for line in text(path).splitlines()
                    if line.startswith("FN:")}

        deadline = time.monotonic() + 20
        while cards() != {"Ana Souza"} and time.monotonic() < deadline:
            time.sleep(0.05)
        assert cards() == {"Ana Souza"}
        write(vault, "People/Bob Lee.md", "---\ncircle: network\n---\n")
        while cards() != {"Ana Souza", "Bob Lee"} and time.monotonic() < deadline:
            time.sleep(0.05)
        assert cards() == {"Ana Souza", "Bob Lee"}
        assert "vcard_uid: " in (vault / "People/Bob Lee.md").read_text()
    finally:
        watcher.stop()


def test_a_server_that_rewrites_cards_and_drops_vaultnets_properties_causes_no_churn(
        vault: Path, tmp_path: Path) -> None:
    write(vault, "People/Ana Souza.md", ANA.replace("circle: close", "circle: close\noffers: [code review]"))
    folder = tmp_path / "contacts"
    sync(vault, contacts=folder)
    path = card_of(folder, "Ana Souza")
    served = "\r\n".join(line for line in path.read_bytes().decode().replace("\r\n ", "").split("\r\n")
                         if not line.startswith(("X-VAULTNET-", "CATEGORIES")))  # as a server might keep it
    path.write_bytes(served.encode())
    note = (vault / "People/Ana Souza.md").read_bytes()
    report = sync(vault, contacts=folder)[0]
    assert report.lines == [] and report.counts["unchanged"] == 1
    assert path.read_bytes() == served.encode() and (vault / "People/Ana Souza.md").read_bytes() == note


def test_a_watcher_without_sync_loads_no_card_or_calendar_library(vault: Path) -> None:
    """A watcher holds what it imports for as long as it runs: the phone's libraries (cards, calendars,
    phone numbers) only once ``[sync]`` names a folder, and no web client (``xml.sax.saxutils`` loads
    urllib, http and ssl to escape three characters) ever."""
    write(vault, "People/Ana Souza.md", ANA)
    code = ("import sys, datetime\n"
            "from vaultnet.files.config import load_config\n"
            "from vaultnet.phone.runner import PhoneSync\n"
            "from vaultnet.reach.notifier import Notifier\n"
            "from pathlib import Path\nfrom vaultnet.pipeline.watch import Watcher\n"
            f"watcher = Watcher.for_vault(load_config(Path({str(vault)!r})), lambda: datetime.date(2026, 11, 21),\n"
            "                             hooks=[Notifier(), PhoneSync()])\n"
            "watcher.session.refresh()\n"
            "watcher.build()\n"
            "for hook in watcher.hooks:\n"
            "    hook(watcher.session, datetime.date(2026, 11, 21))\n"
            "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('vobject', 'phonenumbers', 'icalendar', 'apprise', 'ssl') or m.startswith('vaultnet.phone.c')"
            " or m in ('urllib.request', 'http.client'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert (vault / "vaultnet" / "Network.md").is_file()  # the watcher built
    assert done.stdout.split() == []
