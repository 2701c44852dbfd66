"""The phone, end to end: a real Radicale server, real vdirsyncer, and ``vaultnet sync`` between them.

The DAV client plays the phone. Both directions are checked: a person added in
the vault reaches the server with the brief on their card; a phone number added
on the server comes back as one new line in the note and nothing else; a task
completed on the server completes the follow-up in the note; and a sync after
which nothing changed changes nothing anywhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from vaultnet.cli.main import main

from conftest import write
from davserver import DavClient, Radicale, snapshot, vdirsyncer, vdirsyncer_config, vdirsyncer_exe

pytestmark = pytest.mark.slow

BOOK, REMINDERS = "/alice/contacts/", "/alice/reminders/"
ANA = """\
---
circle: inner
email: ana@tidewater.io
company: Tidewater Labs
---
Friend since Coimbra.

## Log
- 2026-11-07 #call she is weighing the director role
- [ ] send Ana the offsite notes 📅 2026-11-25
"""


@pytest.fixture
def server(tmp_path: Path):
    pytest.importorskip("radicale")
    radicale = Radicale(tmp_path / "radicale").start()
    try:
        yield radicale
    finally:
        radicale.stop()


def sync(vault: Path) -> str:
    result = CliRunner().invoke(main, ["--vault", str(vault), "--today", "2026-11-21", "sync"])
    assert result.exit_code == 0, result.output
    return result.output


def test_both_ways_through_a_real_server(tmp_path: Path, server: Radicale) -> None:
    phone: DavClient = server.client()
    phone.mkcol_addressbook(BOOK)
    phone.mkcalendar(REMINDERS)
    contacts, calendar = tmp_path / "phone" / "contacts", tmp_path / "phone" / "calendar"
    contacts.mkdir(parents=True)
    calendar.mkdir()
    (tmp_path / "vds").mkdir()
    config = vdirsyncer_config(tmp_path / "vds" / "config", server, contacts, calendar, BOOK, REMINDERS)
    vdirsyncer(config, "discover")
    vault = tmp_path / "vault"
    command = f"{vdirsyncer_exe()} -c {config} sync"
    write(vault, "vaultnet.toml", f'[sync]\ncontacts = "{contacts}"\ncalendar = "{calendar}"\n'
                                  f'before = "{command}"\nafter = "{command}"\n')
    write(vault, "People/Ana Souza.md", ANA)

    # 1. The vault's person reaches the server, with the brief; the follow-up is a task there.
    sync(vault)
    cards = phone.items(BOOK)
    assert len(cards) == 1
    (href, card), = cards.items()
    text = card.body.decode()
    assert "FN:Ana Souza" in text and "CATEGORIES:inner" in text
    unfolded = text.replace("\r\n ", "")
    assert "Last contact 2026-11-07 (call): she is weighing the director role" in unfolded
    assert "Follow-up: send Ana the offsite notes (due 2026-11-25)" in unfolded
    todos = {h: r for h, r in phone.items(REMINDERS).items() if b"BEGIN:VTODO" in r.body}
    assert len(todos) == 1
    uid_line = next(line for line in (vault / "People/Ana Souza.md").read_text().splitlines()
                    if line.startswith("vcard_uid: "))
    noted = (vault / "People/Ana Souza.md").read_text()

    # 2. On the phone: a new number on the card, the task completed. In the vault: a new person.
    phone.put(href, text.replace("END:VCARD", "TEL;TYPE=CELL:+44 20 7946 0000\r\nEND:VCARD"),
              "text/vcard; charset=utf-8", etag=card.etag)
    (todo_href, todo), = todos.items()
    done = todo.body.decode().replace("STATUS:NEEDS-ACTION", "STATUS:COMPLETED\r\nCOMPLETED:20261121T090000Z")
    phone.put(todo_href, done, "text/calendar; charset=utf-8", etag=todo.etag)
    write(vault, "People/Bob Lee.md", "---\ncircle: network\nphone: +1 555 0100\n---\n")
    said = sync(vault)

    assert "added +44 20 7946 0000 (from the phone)" in said
    expected = noted.replace(uid_line, uid_line + "\nphone: +44 20 7946 0000").replace(
        "- [ ] send Ana the offsite notes 📅 2026-11-25", "- [x] send Ana the offsite notes 📅 2026-11-25 ✅ 2026-11-21")
    assert (vault / "People/Ana Souza.md").read_text() == expected  # one new line, one ticked task, nothing else
    cards = {r.body.decode().replace("\r\n ", "") for r in phone.items(BOOK).values()}
    bob = next(card for card in cards if "FN:Bob Lee" in card)
    assert "TEL:+1 555 0100" in bob and "CATEGORIES:network" in bob
    ana = next(card for card in cards if "FN:Ana Souza" in card)
    assert "+44 20 7946 0000" in ana and "Follow-up:" not in ana  # the brief no longer owes the done task
    assert not any(b"BEGIN:VTODO" in r.body for r in phone.items(REMINDERS).values())

    # 3. Nothing changed: nothing changes, on either side.
    before = snapshot(vault, contacts, calendar), phone.etags(BOOK) | phone.etags(REMINDERS)
    said = sync(vault)
    assert "written" not in said and "added" not in said, said
    assert (snapshot(vault, contacts, calendar), phone.etags(BOOK) | phone.etags(REMINDERS)) == before
