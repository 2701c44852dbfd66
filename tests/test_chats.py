"""Chats: WhatsApp, Telegram, SMS Backup & Restore and Messages exports, and what the plan makes of them.

The exports in tests/data/chats/ were written for these tests, each imitating
one app and version (its docstring or comment says which): an Android
WhatsApp 2.24 chat (English, UK), the same chat as iOS WhatsApp 24.20 (English,
US) writes it into ``_chat.txt``, a German Android group, a Telegram Desktop 5
full export and a 3.5 single-chat export, and an SMS Backup & Restore
10.20.002 file. The Messages database is built in the test from
``messages_schema.sql`` (Apple's table and column names, a subset). Every line
shape WhatsApp writes is in :data:`SHAPES`, with the platform and locale it
comes from.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from vaultnet.base.errors import ConfigError
from vaultnet.capture import whatsapp
from vaultnet.capture.imports import import_configured, probe
from vaultnet.capture.ledger import Ledger
from vaultnet.cli.main import main
from vaultnet.files.config import load_config
from vaultnet.pipeline.session import build_network
from vaultnet.pipeline.watch import Watcher

from conftest import TODAY, examples, standing, write

CHATS = Path(__file__).parent / "data" / "chats"
ANDROID = CHATS / "WhatsApp Chat with Ana Souza.txt"
GROUP = CHATS / "WhatsApp Chat mit Kletterfreunde.txt"
TELEGRAM = CHATS / "DataExport_2026-11-20" / "result.json"
TELEGRAM_OLD = CHATS / "ChatExport_2026-11-20" / "result.json"
SMS = CHATS / "sms-20261120231044.xml"
APPLE = dt.datetime(2001, 1, 1, tzinfo=dt.UTC)


def run(vault: Path, *args: str, today: dt.date = TODAY):
    return CliRunner().invoke(main, ["--vault", str(vault), "--today", today.isoformat(), *args])


def capture_lines(vault: Path) -> list[str]:
    base = vault / "vaultnet" / "Captures"
    return [line for path in sorted(base.glob("*.md")) for line in path.read_text(encoding="utf-8").splitlines()
            if line.startswith("- ")]


def chat_lines(vault: Path, app: str) -> dict[str, str]:
    """Each day's summary of one app's chat lines, by day: ``"1 from them, 2 from you; ..."`` → people."""
    found = {}
    for line in capture_lines(vault):
        match = re.match(rf"- (\S+) #message {app}(?: group)?: (.*?) — with (.*?) · chat", line)
        if match:
            found[match.group(1)] = f"{match.group(2)} | {match.group(3)}"
    return found


@pytest.fixture
def people(vault: Path) -> Path:
    write(vault, "vaultnet.toml", 'timezone = "America/New_York"\n[capture]\nphone_region = "US"\n')
    write(vault, "People/Ana Souza.md", "---\ncircle: close\nphone: +351 912 345 678\n---\n")
    write(vault, "People/Bob Lee.md", "---\nphone: [+49 30 1234567, 0151 2345678]\nemail: bob@lee.example\n---\n")
    write(vault, "People/Diego Fernández.md", "---\ncircle: network\nphone: +1 404-555-0199\n---\n")
    return vault


def ios_zip(folder: Path, name: str = "WhatsApp Chat - Ana Souza.zip") -> Path:
    """The iOS export as iOS shares it: a zip named for the chat, holding _chat.txt and the media."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("_chat.txt", (CHATS / "ios_chat.txt").read_bytes())
        archive.writestr("00000007-PHOTO-2026-11-12-09-41-07.jpg", b"\xff\xd8\xff\xe0 not really a picture")
    return path


# ---------------------------------------------------------------- WhatsApp line shapes

Shape = Callable[[dt.datetime, str], str]


def _h12(when: dt.datetime) -> tuple[int, str]:
    return (when.hour % 12 or 12), ("AM" if when.hour < 12 else "PM")


# Every header shape WhatsApp writes (platform, locale), as (id, renders a header for a time and author).
SHAPES: list[tuple[str, Shape]] = [
    ("A1 Android en_GB/en_IN/it, 24h", lambda w, a: f"{w:%d/%m/%Y}, {w:%H:%M} - {a}: "),
    ("A2 Android en_GB/pt_PT, 2-digit year", lambda w, a: f"{w:%d/%m/%y}, {w:%H:%M} - {a}: "),
    ("A3 Android en_US since 2023, U+202F before PM",
     lambda w, a: f"{w.month}/{w.day}/{w:%y}, {_h12(w)[0]}:{w:%M}\u202f{_h12(w)[1]} - {a}: "),
    ("A4 Android en_US before 2023", lambda w, a: f"{w.month}/{w.day}/{w:%y}, {_h12(w)[0]}:{w:%M} {_h12(w)[1]} - {a}: "),
    ("A5 Android de/ru", lambda w, a: f"{w:%d.%m.%y}, {w:%H:%M} - {a}: "),
    ("A6 Android fr", lambda w, a: f"{w:%d/%m/%Y} à {w:%H:%M} - {a}: "),
    ("A7 Android pt_BR, no comma", lambda w, a: f"{w:%d/%m/%Y} {w:%H:%M} - {a}: "),
    ("A8 Android es (2018)/nl", lambda w, a: f"{w:%d-%m-%y} {w:%H:%M} - {a}: "),
    ("A9 Android en_ZA/en_CA, year first, p.m.",
     lambda w, a: f"{w:%Y-%m-%d}, {_h12(w)[0]}:{w:%M} {_h12(w)[1][0].lower()}.m. - {a}: "),
    ("A10 Android ja/zh, year first, 24h", lambda w, a: f"{w:%Y/%m/%d}, {w:%H:%M} - {a}: "),
    ("A11 Android es, p.\u00a0m. with a no-break space",
     lambda w, a: f"{w.day}/{w.month}/{w:%Y}, {_h12(w)[0]}:{w:%M} {_h12(w)[1][0].lower()}.\u00a0m. - {a}: "),
    ("A12 Android es_US/es_MX, month first, a. m.",
     lambda w, a: f"{w:%m/%d/%Y}, {_h12(w)[0]:02d}:{w:%M} {_h12(w)[1][0].lower()}. m. - {a}: "),
    ("A13 Android cs, no comma", lambda w, a: f"{w:%d.%m.%y} {w:%H:%M} - {a}: "),
    ("A14 Android id, a dot in the time", lambda w, a: f"{w:%d/%m/%y} {w:%H.%M} - {a}: "),
    ("I1 iOS en_GB, 24h", lambda w, a: f"[{w:%d/%m/%Y}, {w:%H:%M:%S}] {a}: "),
    ("I2 iOS en_US, U+202F before PM",
     lambda w, a: f"[{w.month}/{w.day}/{w:%y}, {_h12(w)[0]}:{w:%M:%S}\u202f{_h12(w)[1]}] {a}: "),
    ("I3 iOS de", lambda w, a: f"[{w:%d.%m.%y}, {w:%H:%M:%S}] {a}: "),
    ("I4 iOS fi, klo and dots", lambda w, a: f"[{w.day}.{w.month}.{w:%Y} klo {w:%H.%M.%S}] {a}: "),
    ("I5 iOS nl (2018)", lambda w, a: f"[{w:%d-%m-%y} {w:%H:%M:%S}] {a}: "),
    ("I6 iOS without a comma (older)", lambda w, a: f"[{w:%m/%d/%y} {w:%H:%M}] {a}: "),
    ("I7 iOS es, a leading left-to-right mark, p. m.",
     lambda w, a: f"\u200e[{w:%d/%m/%y} {_h12(w)[0]}:{w:%M:%S} {_h12(w)[1][0].lower()}. m.] {a}: "),
    ("H1 hu/hr, spaces and a trailing dot", lambda w, a: f"{w.day}. {w.month}. {w:%Y}. {w:%H:%M:%S} {a}: "),
    ("O1 iOS 2016, a colon after the time",
     lambda w, a: f"{w:%Y-%m-%d}, {_h12(w)[0]}:{w:%M:%S} {_h12(w)[1]}: {a}: "),
]
TIMES = [  # (when, author): the 3rd and the 21st, so that the day and month fields tell themselves apart
    (dt.datetime(2026, 11, 3, 0, 8, 5), "Ana Souza"),  # 12:08 AM is 00:08
    (dt.datetime(2026, 11, 3, 12, 30, 0), "\u202a+49 151 23456789\u202c"),  # you, a number in direction marks
    (dt.datetime(2026, 11, 21, 21, 5, 9), "Ana Souza"),
]


@pytest.mark.parametrize("shape", SHAPES, ids=[name.split()[0] for name, _ in SHAPES])
def test_every_whatsapp_line_shape(shape: tuple[str, Shape]) -> None:
    _, header = shape
    lines = [header(when, author) + f"message {i}" for i, (when, author) in enumerate(TIMES)]
    lines.insert(2, "a second line of the message, 03/11/2026 at noon")  # text, not a header
    export = whatsapp.read_export("\n".join(lines) + "\n", "WhatsApp Chat with Ana Souza.txt", "Ana Souza")
    assert not export.guesses
    assert [when.replace(second=0) for when, _ in export.messages] == [when.replace(second=0) for when, _ in TIMES]
    chat, me = whatsapp.to_chat(export, frozenset())
    assert not isinstance(chat, str)
    assert me == "+49 151 23456789"
    assert [sent.party for sent in chat.messages] == ["them", None, "them"]


@settings(max_examples=examples(100))
@given(st.sampled_from(SHAPES), st.lists(st.datetimes(dt.datetime(2020, 1, 1), dt.datetime(2030, 12, 31)),
                                         min_size=1, max_size=6))
def test_any_times_in_any_shape_read_back(shape: tuple[str, Shape], times: list[dt.datetime]) -> None:
    times = sorted(when.replace(second=0, microsecond=0) for when in times)
    times.append((times[-1] + dt.timedelta(days=40)).replace(day=21))  # a day above 12: the order is told
    text = "".join(shape[1](when, "Ana" if i % 2 else "Max") + "hi\n" for i, when in enumerate(times))
    export = whatsapp.read_export(text, "WhatsApp Chat with Ana.txt", "Ana")
    assert [when for when, _ in export.messages] == times
    # Without it, the dates are read right, or the reading is said to be a guess.
    export = whatsapp.read_export(text.rsplit("\n", 2)[0] + "\n", "WhatsApp Chat with Ana.txt", "Ana")
    assert [when for when, _ in export.messages] == times[:-1] or export.guesses


def test_date_order_from_time_order_and_a_stated_guess() -> None:
    # Day and month both at most 12: only the order that keeps the messages in time goes.
    text = "03/04/26, 10:00 - Ana: a\n05/04/26, 10:00 - Max: b\n02/05/26, 10:00 - Ana: c\n"
    export = whatsapp.read_export(text, "x.txt", "Ana")
    assert [w.date().isoformat() for w, _ in export.messages] == ["2026-04-03", "2026-04-05", "2026-05-02"]
    assert not export.guesses
    # One day only: nothing tells. A 24-hour clock reads day first, and says it guessed.
    export = whatsapp.read_export("03/04/26, 10:00 - Ana: a\n03/04/26, 11:00 - Max: b\n", "x.txt", "Ana")
    assert export.messages[0][0].date() == dt.date(2026, 4, 3)
    assert "a guess" in export.guesses[0] and 'whatsapp_date_order = "mdy"' in export.guesses[0]
    # A 12-hour clock with slashes is the US format; the setting says otherwise.
    us = "3/4/26, 10:00 AM - Ana: a\n3/4/26, 11:00 AM - Max: b\n"
    assert whatsapp.read_export(us, "x.txt", "Ana").messages[0][0].date() == dt.date(2026, 3, 4)
    told = whatsapp.read_export(us, "x.txt", "Ana", "dmy")
    assert told.messages[0][0].date() == dt.date(2026, 4, 3) and not told.guesses


def test_a_system_line_holding_a_colon_is_nobody() -> None:
    text = ANDROID.read_text(encoding="utf-8") + (
        "16/11/2026, 20:13 - Disappearing messages were turned on: new messages disappear after 7 days\n"
        "16/11/2026, 20:14 - Max Weber: Yes, got them\n")
    chat, me = whatsapp.to_chat(whatsapp.read_export(text, ANDROID.name, "Ana Souza"), frozenset())
    assert not isinstance(chat, str) and not chat.group and me == "Max Weber"
    assert [sent.party for sent in chat.messages][-3:] == ["them", "them", None]


def test_calls_and_notices_are_no_messages_and_words_like_them_are() -> None:
    bodies = {"Missed voice call": False, "\u200eVoice call, \u200e12 min": False, "Llamada perdida": False,
              "\u200eYour security code with Ana changed.": False, "Video call tomorrow?": True,
              "Llamada mañana?": True, "we need end-to-end tests": True, "\u200eimage omitted": True}
    text = "".join(f"[12/11/2026, 10:{i:02d}:00] Ana: {body}\n" for i, body in enumerate(bodies))
    export = whatsapp.read_export(text, "x.txt", "Ana")
    assert len(export.messages) == sum(bodies.values())


def test_a_file_name_names_the_chat() -> None:
    assert whatsapp.chat_name("WhatsApp Chat with Ana Souza.txt") == "Ana Souza"
    assert whatsapp.chat_name("WhatsApp Chat - Ana Souza (1).zip") == "Ana Souza"
    assert whatsapp.chat_name("WhatsApp Chat mit Ana.txt") == "Ana"
    assert whatsapp.chat_name("Discussion WhatsApp avec Zoë.txt") == "Zoë"
    assert whatsapp.chat_name("_chat.txt") is None
    with pytest.raises(whatsapp.NotAnExport, match="WhatsApp Viewer"):
        whatsapp.read_export("12.11.2026 - 21:41:05; Ana: hi\n", "x.txt", None)


# ---------------------------------------------------------------- WhatsApp imports


def test_android_export_counts_messages_not_notices_or_calls(people: Path) -> None:
    before = {p: p.read_bytes() for p in people.rglob("*.md")}
    result = run(people, "import", "chat", str(ANDROID))
    assert result.exit_code == 0, result.output
    assert "added 2 captures" in result.stdout
    assert "took 'Max Weber' as your name" in result.stderr and "my_names" in result.stderr
    # Nov 12: Ana, you, Ana's photo, Ana (whose second line starts with a date); the notice, the
    # security code and your missed call are no messages; Nov 16: a deleted message still was sent.
    assert chat_lines(people, "WhatsApp") == {
        "2026-11-12": "3 from them, 1 from you; they wrote first, they last | [[Ana Souza]]",
        "2026-11-16": "2 from them, 0 from you; they wrote first, they last | [[Ana Souza]]",
    }
    assert {p: p.read_bytes() for p in people.rglob("*.md") if "vaultnet" not in p.parts} == before
    notes = {p: p.read_bytes() for p in (people / "vaultnet").rglob("*.md")}
    again = run(people, "import", "chat", str(ANDROID))
    assert "added 0 captures, unchanged 2" in again.stdout
    assert {p: p.read_bytes() for p in (people / "vaultnet").rglob("*.md")} == notes


def test_the_ios_zip_is_the_same_chat(people: Path, tmp_path: Path) -> None:
    run(people, "import", "chat", str(ANDROID))
    result = run(people, "import", "chat", str(ios_zip(tmp_path / "Downloads")))
    assert result.exit_code == 0, result.output
    assert "added 0 captures, unchanged 2" in result.stdout  # the notice "from Ana" is no message of hers


def test_your_name_when_it_cannot_be_told(people: Path, tmp_path: Path) -> None:
    folder = tmp_path / "unzipped"
    folder.mkdir()
    (folder / "_chat.txt").write_text("[12/11/2026, 09:15:10] Ana Souza: hello\n[12/11/2026, 09:40:55] Max Weber: hi\n",
                                      encoding="utf-8")
    result = run(people, "import", "chat", str(folder / "_chat.txt"))
    assert "cannot tell which author is you" in result.stdout and "added 0 captures" in result.stdout
    write(people, "vaultnet.toml", 'timezone = "America/New_York"\n[capture]\nmy_names = ["max weber"]\n')
    assert "added 1 captures" in run(people, "import", "chat", str(folder / "_chat.txt")).stdout
    # Without the setting, iOS's own first line tells: its notice is written as from the other person.
    write(people, "vaultnet.toml", 'timezone = "America/New_York"\n')
    (folder / "_chat.txt").write_text("[12/11/2026, 09:14:02] Ana Souza: \u200eMessages and calls are end-to-end "
                                      "encrypted.\n" + (folder / "_chat.txt").read_text(encoding="utf-8"),
                                      encoding="utf-8")
    result = run(people, "import", "chat", str(folder / "_chat.txt"))
    assert "took 'Max Weber' as your name" in result.stderr and "unchanged 1" in result.stdout


def test_group_chats_only_when_asked_and_as_weaker_contact(people: Path, tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    for path in (ANDROID, GROUP):
        shutil.copy(path, exports)
    (exports / "notes.txt").write_text("shopping: milk, eggs\n", encoding="utf-8")  # no export: passed over
    result = run(people, "import", "chat", str(exports))
    assert result.exit_code == 0 and "1 group chat left out" in result.stdout
    assert not chat_lines(people, "WhatsApp").get("2026-11-02")
    write(people, "vaultnet.toml", 'timezone = "America/New_York"\n[capture]\ngroup_chats = true\n')
    result = run(people, "import", "chat", str(exports))
    # Your name came from the personal chat; the group counts on the day you wrote, for whoever wrote too.
    assert chat_lines(people, "WhatsApp")["2026-11-02"] == (
        "2 from others, 1 from you; others wrote first, you last | [[Ana Souza]], [[Bob Lee]]")
    assert "2026-11-03" not in chat_lines(people, "WhatsApp")  # only Bob wrote: you were not in it
    network = build_network(load_config(people), TODAY)
    bob = standing(network, "Bob Lee")
    assert bob.last_contact == dt.date(2026, 11, 2)
    assert bob.tie.intensity == pytest.approx(0.25 * 0.5 ** (19 / 180))
    assert bob.reciprocity.conversations == 0  # groups say nothing of who starts your conversations


# ---------------------------------------------------------------- Telegram, SMS, Messages


def test_telegram_full_export(people: Path) -> None:
    result = run(people, "import", "chat", str(TELEGRAM))
    assert result.exit_code == 0, result.output
    # Ana by her number in the contacts list; the group is left out; saved messages and bots are no one.
    assert chat_lines(people, "Telegram") == {
        "2026-11-10": "1 from them, 1 from you; they wrote first, you last | [[Ana Souza]]",
        "2026-11-18": "1 from them, 0 from you; they wrote first, they last | [[Ana Souza]]",
        "2026-11-19": "1 from them, 1 from you; you wrote first, they last | [[Bob Lee]]",
    }
    assert "1 group chat left out" in result.stdout and "no one in the vault" not in result.stdout


def test_telegram_single_chat_of_an_old_version_is_claimed_by_an_alias(people: Path) -> None:
    run(people, "import", "chat", str(TELEGRAM))
    result = run(people, "import", "chat", str(TELEGRAM_OLD))
    assert "Telegram 'Ana S.': 3 messages" in result.stdout  # no numbers in a single chat: no one's yet
    assert "perhaps Ana Souza? give the note the alias 'Ana S.'" in result.stdout
    assert "before Telegram Desktop 3.7.6" in result.stderr
    write(people, "People/Ana Souza.md", "---\ncircle: close\nphone: +351 912 345 678\naliases: [Ana S.]\n---\n")
    result = run(people, "import", "chat", str(TELEGRAM_OLD))
    assert "added 0 captures, unchanged 2" in result.stdout  # the same chat (its id) and days as the full export


def test_sms_backup(people: Path) -> None:
    result = run(people, "import", "chat", str(SMS))
    assert result.exit_code == 0, result.output
    # Three ways of writing Diego's number; days in New York; the draft is no message; the MMS you sent counts.
    assert chat_lines(people, "SMS") == {
        "2026-11-14": "1 from them, 1 from you; they wrote first, you last | [[Diego Fernández]]",
        "2026-11-15": "0 from them, 1 from you; you wrote first, you last | [[Diego Fernández]]",
        "2026-11-20": "0 from them, 1 from you; you wrote first, you last | [[Diego Fernández]]",
    }
    assert "SMS '+1 770 555 0144': 2 messages" in result.stdout
    assert "72975" not in result.stdout and "short code" in result.stdout
    assert "1 group chat left out" in result.stdout


def test_surrogate_pairs_are_joined_whatever_the_reads_cut() -> None:
    import io

    from vaultnet.capture.smsbackup import _Repaired, repair

    data = b'<sms body="ok &#55357;&#56832; and &#xD83D;&#xDE00; and a lone &#55357; half" />' * 3
    assert repair(data).count(b"&#128512;") == 6 and b"&#65533;" in repair(data) and b"&#55357;" not in repair(data)
    for size in (1, 5, 7, 16):
        stream, parts = _Repaired(io.BytesIO(data)), []
        while chunk := stream.read(size):
            parts.append(chunk)
        assert b"".join(parts) == repair(data)


def test_sms_backup_refuses_other_xml(people: Path, tmp_path: Path) -> None:
    calls = write(tmp_path, "calls-20261120.xml", '<?xml version="1.0"?>\n<calls count="1"><call number="1" /></calls>\n')
    result = run(people, "import", "chat", str(calls))
    assert result.exit_code == 1 and "a call log" in result.stderr


def messages_db(path: Path, keep_open: bool = True) -> sqlite3.Connection:
    """A Messages database as macOS 14 leaves it while Messages runs: the last rows only in the -wal file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA wal_autocheckpoint=0")
    db.executescript((CHATS / "messages_schema.sql").read_text(encoding="utf-8"))
    db.executescript("""
        insert into handle(ROWID, id, country, service) values (1, '+14045550199', 'us', 'iMessage'),
            (2, 'bob@lee.example', 'us', 'iMessage'), (3, '+14045550199', 'us', 'SMS'), (4, '4045550188', 'us', 'SMS');
        insert into chat(ROWID, guid, style, chat_identifier, service_name, display_name) values
            (1, 'iMessage;-;+14045550199', 45, '+14045550199', 'iMessage', ''),
            (2, 'iMessage;+;chat900000001', 43, 'chat900000001', 'iMessage', 'Climbing'),
            (3, 'SMS;-;+14045550199', 45, '+14045550199', 'SMS', ''),
            (4, 'SMS;-;4045550188', 45, '4045550188', 'SMS', '');
        insert into chat_handle_join values (1, 1), (2, 1), (2, 2), (3, 3), (4, 4);
    """)
    rows = [  # (row, chat, handle, from me, time or a raw value, item_type, associated_message_type, text)
        (1, 1, 1, 0, "2026-11-12T14:00:00", 0, 0, "Are we still on for the robotics fair?"),
        (2, 1, 1, 1, "2026-11-12T14:05:00", 0, 0, None),  # text empty: the body is in attributedBody
        (3, 1, 1, 0, "2026-11-12T14:06:00", 0, 2001, None),  # a tapback: no message
        (4, 2, 0, 1, "2026-11-13T15:00:00", 0, 0, "Who brings the rope on Sunday"),
        (5, 2, 2, 0, "2026-11-13T15:01:00", 0, 0, "I can bring mine, it is the longer one"),
        (6, 2, 0, 1, "2026-11-13T15:02:00", 1, 0, None),  # a group event
        (7, 3, 3, 0, 500000000, 0, 0, "Old message from the SMS days of 2016"),  # seconds: before macOS 10.13
        (8, 3, 3, 0, "2026-11-19T16:00:00", 0, 0, "Texting from abroad, no data here"),
        (9, 4, 4, 1, "2026-11-20T16:00:00", 0, 0, "Thanks for the pitch feedback yesterday"),
    ]
    for row, chat, handle, mine, when, item, tapback, text in rows:
        date = when if isinstance(when, int) else int(
            (dt.datetime.fromisoformat(when).replace(tzinfo=dt.UTC) - APPLE).total_seconds() * 1e9)
        db.execute("insert into message(ROWID, guid, handle_id, is_from_me, date, item_type, associated_message_type,"
                   " text, service) values (?, ?, ?, ?, ?, ?, ?, ?, 'iMessage')",
                   (row, f"G-{row}", handle, mine, date, item, tapback, text))
        db.execute("insert into chat_message_join values (?, ?, ?)", (chat, row, date))
    db.commit()
    if not keep_open:
        db.close()
    return db


def test_messages_database_read_from_a_copy(people: Path, tmp_path: Path) -> None:
    write(people, "vaultnet.toml", 'timezone = "America/New_York"\n[capture]\ngroup_chats = true\n')
    path = tmp_path / "Library" / "Messages" / "chat.db"
    writer = messages_db(path)
    assert (tmp_path / "Library" / "Messages" / "chat.db-wal").stat().st_size > 0
    original = {p.name: p.read_bytes() for p in path.parent.iterdir()}
    result = run(people, "import", "chat", str(path))
    assert {p.name: p.read_bytes() for p in path.parent.iterdir() if p.name != "chat.db-shm"} == {
        name: data for name, data in original.items() if name != "chat.db-shm"}  # never written
    writer.close()
    assert result.exit_code == 0, result.output
    # The iMessage and SMS threads with one number are one chat; the 2016 message is a day of its own.
    assert chat_lines(people, "SMS") == {}  # Grace (a number without its country) is not in this vault
    assert chat_lines(people, "iMessage") == {
        "2016-11-04": "1 from them, 0 from you; they wrote first, they last | [[Diego Fernández]]",
        "2026-11-12": "1 from them, 1 from you; they wrote first, you last | [[Diego Fernández]]",
        "2026-11-13": "1 from others, 1 from you; you wrote first, others last | [[Bob Lee]]",
        "2026-11-19": "1 from them, 0 from you; they wrote first, they last | [[Diego Fernández]]",
    }


def test_the_country_of_numbers_is_worked_out_and_said(people: Path, tmp_path: Path) -> None:
    write(people, "vaultnet.toml", 'timezone = "America/New_York"\n')
    write(people, "People/Grace Park.md", "---\nphone: +1 404 555 0188\n---\n")
    path = tmp_path / "chat.db"
    messages_db(path, keep_open=False)
    result = run(people, "import", "chat", str(path))
    assert "read as US's (the country the chats give)" in result.stderr and 'phone_region = "XX"' in result.stderr
    assert chat_lines(people, "SMS") == {
        "2026-11-20": "0 from them, 1 from you; you wrote first, you last | [[Grace Park]]"}


# ---------------------------------------------------------------- re-exports, rejections, text


def test_a_later_export_completes_a_day_and_an_older_one_changes_nothing(people: Path, tmp_path: Path) -> None:
    lines = ANDROID.read_text(encoding="utf-8").splitlines(keepends=True)
    early = tmp_path / "early" / ANDROID.name
    early.parent.mkdir()
    early.write_text("".join(lines[:2]), encoding="utf-8")  # exported at 09:30 on Nov 12
    run(people, "import", "chat", str(early))
    assert chat_lines(people, "WhatsApp") == {
        "2026-11-12": "1 from them, 0 from you; they wrote first, they last | [[Ana Souza]]"}
    result = run(people, "import", "chat", str(ANDROID))
    assert "added 1 captures, updated 1, unchanged 0" in result.stdout
    assert chat_lines(people, "WhatsApp")["2026-11-12"].startswith("3 from them, 1 from you")
    assert "added 0 captures, unchanged 1" in run(people, "import", "chat", str(early)).stdout
    assert chat_lines(people, "WhatsApp")["2026-11-12"].startswith("3 from them, 1 from you")
    # A day you rejected stays rejected, and stays as it was, whatever a later export says.
    note = people / "vaultnet" / "Captures" / "2026-11.md"
    note.write_text(note.read_text(encoding="utf-8").replace("- 2026-11-16", "- [-] 2026-11-16"), encoding="utf-8")
    bigger = tmp_path / "bigger" / ANDROID.name
    bigger.parent.mkdir()
    bigger.write_text("".join(lines) + "16/11/2026, 22:00 - Max Weber: Yes, lovely ones\n", encoding="utf-8")
    before = note.read_bytes()
    assert "unchanged 2" in run(people, "import", "chat", str(bigger)).stdout
    assert note.read_bytes() == before


def bodies() -> list[str]:
    """The text of every message in the exports (as the tests wrote them), for looking for it afterwards."""
    found = []
    for path in (ANDROID, GROUP, CHATS / "ios_chat.txt"):
        for line in path.read_text(encoding="utf-8-sig").splitlines():
            text = line.split(": ", 1)[1] if re.match(r"^\W?\[?\d", line) and ": " in line else line
            found.append(text.strip("\u200e"))
    for path in (TELEGRAM, TELEGRAM_OLD):
        for message in re.findall(r'"text": "([^"]+)"', path.read_text(encoding="utf-8")):
            found.append(message)
    found += re.findall(r'(?:body|text)="([^"&<]+)"', SMS.read_text(encoding="utf-8"))
    found += ["Are we still on for the robotics fair?", "Who brings the rope on Sunday",
              "I can bring mine, it is the longer one", "Texting from abroad, no data here"]
    return [text for text in found if len(text) >= 12 and "omitted" not in text and "attached" not in text]


def test_no_message_text_anywhere_in_the_vault_or_its_state(people: Path, tmp_path: Path) -> None:
    write(people, "vaultnet.toml", 'timezone = "America/New_York"\n[capture]\ngroup_chats = true\n'
          'phone_region = "US"\nchats = ["Imports"]\n')
    imports = people / "Imports"
    imports.mkdir()
    for path in (ANDROID, GROUP, SMS):
        shutil.copy(path, imports)
    shutil.copytree(TELEGRAM.parent, imports / TELEGRAM.parent.name)
    ios_zip(imports)
    messages_db(tmp_path / "chat.db", keep_open=False)
    assert run(people, "import", "chat", str(imports)).exit_code == 0
    assert run(people, "import", "chat", str(tmp_path / "chat.db")).exit_code == 0
    assert import_configured(load_config(people), TODAY, lambda: build_network(load_config(people), TODAY), {}) \
        is not None  # the watcher's way, which remembers what it read
    assert run(people, "build").exit_code == 0
    assert len(capture_lines(people)) > 10
    texts = bodies()
    assert len(texts) > 25
    for path in people.rglob("*"):
        if path.is_file() and imports not in path.parents:
            content = path.read_bytes().decode("utf-8", "replace")
            for text in texts:
                assert text not in content, (text, path)


# ---------------------------------------------------------------- the plan: reply and who starts


def test_reply_line_after_the_grace_period_once_per_message(people: Path) -> None:
    run(people, "import", "chat", str(ANDROID))
    plan = json.loads(run(people, "plan", "--json").stdout)
    replies = [item for item in plan["items"] if item["section"] == "reply"]
    assert replies == [{"section": "reply", "people": ["Ana Souza"], "key": replies[0]["key"], "due": "2026-11-12",
                        "day": None, "text": "Ana Souza wrote on Thu 2026-11-12 and is waiting for your answer "
                                             "(WhatsApp)"}]
    assert [i for i in plan["items"] if i["section"] == "check-in" and i["people"] == ["Ana Souza"]] == []
    # Not yet on the day after she wrote (two days' grace), nor after a month.
    early = json.loads(run(people, "plan", "--json", today=dt.date(2026, 11, 13)).stdout)
    assert not [i for i in early["items"] if i["section"] == "reply"]
    late = json.loads(run(people, "plan", "--json", today=dt.date(2026, 12, 20)).stdout)
    assert not [i for i in late["items"] if i["section"] == "reply"]
    # Ticked: you answered, and it does not come back.
    run(people, "plan")
    note = people / "vaultnet" / "Plans" / "2026-W47.md"
    text = note.read_text(encoding="utf-8")
    assert f"- [ ] [[Ana Souza]] — Ana Souza wrote on Thu 2026-11-12 and is waiting for your answer (WhatsApp) " \
           f"#message ^{replies[0]['key']}" in text
    note.write_text(text.replace("- [ ] [[Ana Souza]] — Ana Souza wrote", "- [x] [[Ana Souza]] — Ana Souza wrote"),
                    encoding="utf-8")
    plan = json.loads(run(people, "plan", "--json").stdout)
    assert not [i for i in plan["items"] if i["section"] == "reply"]


def test_an_answer_elsewhere_ends_the_wait(people: Path) -> None:
    run(people, "import", "chat", str(ANDROID))
    note = people / "vaultnet" / "Captures" / "2026-11.md"
    captured = note.read_text(encoding="utf-8")

    def replies() -> list[str]:
        plan = json.loads(run(people, "plan", "--json").stdout)
        return [i["text"] for i in plan["items"] if i["section"] == "reply"]

    # A day of another chat on which only she wrote is no answer; one on which you wrote is.
    for you, waiting in ((0, True), (1, False)):
        note.write_text(captured + f"- 2026-11-14 #message Telegram: 1 from them, {you} from you; they wrote first, "
                        f"{'you' if you else 'they'} last — with [[Ana Souza]] · chat Ana S. (5025e5) "
                        "^vn-chat-00000000aa\n", encoding="utf-8")
        assert bool(replies()) is waiting
    note.write_text(captured, encoding="utf-8")
    assert replies()
    write(people, "People/Ana Souza.md", "---\ncircle: close\n---\n## Log\n- 2026-11-17 #call about Sintra\n")
    assert not replies()


def chat_days_note(vault: Path, days: list[tuple[str, str]], name: str = "Ana Souza") -> None:
    """Capture lines for days of one chat: (day, who wrote first)."""
    lines = [f"- {day} #message WhatsApp: 1 from them, 1 from you; {'you' if first == 'you' else 'they'} wrote first, "
             f"{'they' if first == 'you' else 'you'} last — with [[{name}]] · chat {name} (a1b2c3) ^vn-chat-{i:010x}"
             for i, (day, first) in enumerate(days)]
    write(vault, "vaultnet/Captures/2026-11.md", "# Captures 2026-11\n\n" + "\n".join(lines) + "\n")


def test_who_starts_your_conversations(people: Path) -> None:
    chat_days_note(people, [(f"2026-11-{d:02d}", "them" if d != 10 else "you") for d in range(2, 20, 2)])
    shown = run(people, "show", "Ana Souza").stdout
    assert "conversations (chats): Ana Souza starts most of your conversations (8 of 9 in the last 365 days)" in shown
    assert "be the one who writes first next time" in shown
    data = json.loads(run(people, "show", "Ana Souza", "--json").stdout)["reciprocity"]
    assert (data["started_by_you"], data["started_by_them"], data["starts"]) == (1, 8, "them")
    plan = json.loads(run(people, "plan", "--json").stdout)
    assert [i["text"] for i in plan["items"] if i["section"] == "reciprocity"] == [
        "Ana Souza starts most of your conversations (8 of 9 in the last 365 days): be the one who writes first "
        "next time"]
    chat_days_note(people, [(f"2026-11-{d:02d}", "you" if d % 6 else "them") for d in range(2, 15)])
    shown = run(people, "show", "Ana Souza").stdout
    assert "you start 85 % of your conversations (11 of 13 in the last 365 days)" in shown
    chat_days_note(people, [("2026-11-02", "you"), ("2026-11-03", "them"), ("2026-11-04", "you")])
    plan = json.loads(run(people, "plan", "--json").stdout)
    assert not [i for i in plan["items"] if i["section"] == "reciprocity"]  # three conversations are no pattern


# ---------------------------------------------------------------- watch, check, settings


def test_watch_reads_each_new_export_in_a_folder_once(people: Path) -> None:
    write(people, "vaultnet.toml", 'timezone = "America/New_York"\n[capture]\nchats = ["Imports/chats"]\n')
    folder = people / "Imports" / "chats"
    folder.mkdir(parents=True)
    shutil.copy(ANDROID, folder)
    config = load_config(people)
    seen: dict[str, object] = {}

    def network():
        return build_network(load_config(people), TODAY)

    first = import_configured(config, TODAY, network, seen)
    assert [r.outcome.added for r in first] == [2]
    assert Ledger(config).get("vault:Imports/chats").kind == "chats"
    assert import_configured(config, TODAY, network, seen) == []  # unchanged: not even looked at
    shutil.copytree(TELEGRAM.parent, folder / TELEGRAM.parent.name)
    again = import_configured(config, TODAY, network, seen)
    assert [(r.outcome.added, r.read.exports) for r in again] == [(3, 1)]  # only the new export was read
    assert import_configured(config, TODAY, network, {})[0].read.exports == 0  # a restart: the ledger remembers
    # The watcher's rescan is this same import.
    (folder / ANDROID.name).unlink()
    shutil.copy(GROUP, folder)
    write(people, "vaultnet.toml", 'timezone = "America/New_York"\n[capture]\nchats = ["Imports/chats"]\n'
          'group_chats = true\nmy_names = ["Max Weber"]\n')
    watcher = Watcher.for_vault(load_config(people), lambda: TODAY, polling=True)
    watcher.session.refresh()
    watcher.capture()
    assert "2026-11-02" in chat_lines(people, "WhatsApp")


def test_check_and_settings(people: Path, tmp_path: Path) -> None:
    write(people, "vaultnet.toml", f'[capture]\nchats = ["{tmp_path / "missing"}", "{ANDROID}", "{CHATS / "messages_schema.sql"}"]\n')
    problems = [p.message for p in probe(load_config(people))]
    assert len(problems) == 2 and "no such file" in problems[0] and "not a chat export" in problems[1]
    for setting, message in (('phone_region = "Germany"', "not a country code"),
                             ('whatsapp_date_order = "ddmmyy"', '"dmy", "mdy" or "ymd"'),
                             ('group_chats = "yes"', "group_chats")):
        write(people, "vaultnet.toml", f"[capture]\n{setting}\n")
        with pytest.raises(ConfigError, match=message):
            load_config(people)
    write(people, "vaultnet.toml", "")
    result = run(people, "import", "chat", str(CHATS / "messages_schema.sql"))
    assert result.exit_code == 1 and "not a chat export vaultnet reads" in result.stderr
