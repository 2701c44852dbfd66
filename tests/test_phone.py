"""The parts of the phone sync on their own: the vdir, the card mapping, the three-way merge, new lines in a
note, the state kept in the vault, and the [sync] settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vaultnet.base.errors import ConfigError
from vaultnet.files.config import load_config
from vaultnet.phone import additions, state
from vaultnet.phone.cards import card_fields, read_card, render_card
from vaultnet.phone.merge import merge
from vaultnet.phone.vdir import read_folder, remove_item, signature, write_item

from conftest import write

CARD = ("BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17.0//EN\r\nUID:abc\r\nFN:Ana Souza\r\n"
        "N:Souza;Ana;;;\r\nitem1.TEL;type=CELL:+44 20 7946 0000\r\nitem1.X-ABLabel:mobile\r\n"
        "NOTE:a long note that a server folds at seventy-five octets, which is where folding begins\r\n"
        "PHOTO;ENCODING=b;TYPE=JPEG:AAAA\r\nEND:VCARD\r\n")


# ------------------------------------------------------------------ the vdir


def test_a_signature_sees_what_an_item_says_not_how_a_server_wrote_it() -> None:
    refolded = CARD.replace("at seventy-five octets, ", "at seventy-five octets,\r\n  ")
    reordered = "\r\n".join(sorted(CARD.split("\r\n")[1:-2], reverse=True))
    restamped = CARD.replace("PRODID:-//Apple Inc.//iPhone OS 17.0//EN", "PRODID:-//Radicale//NONSGML//EN\r\nREV:2026")
    reworded = CARD.replace("TYPE=JPEG", "type=jpeg")
    for same in (refolded, f"BEGIN:VCARD\r\n{reordered}\r\nEND:VCARD\r\n", restamped, reworded):
        assert signature(same) == signature(CARD)
    assert signature(CARD.replace("+44 20 7946 0000", "+44 20 7946 0001")) != signature(CARD)


def test_a_folder_is_read_by_uid_and_each_bad_file_is_one_problem(tmp_path: Path) -> None:
    (tmp_path / "random-name.vcf").write_text(CARD)
    (tmp_path / "a.vcf").write_text(CARD.replace("UID:abc", "UID:twice"))
    (tmp_path / "b.vcf").write_text(CARD.replace("UID:abc", "UID:twice"))
    (tmp_path / "no-uid.vcf").write_text(CARD.replace("UID:abc\r\n", ""))
    (tmp_path / "x.vcf.tmp").write_text(CARD.replace("UID:abc", "UID:tmp"))
    (tmp_path / "latin1.vcf").write_bytes(CARD.replace("UID:abc", "UID:l1").replace("Ana", "Zoë").encode("latin-1"))
    items, problems = read_folder(tmp_path, ".vcf")
    assert list(items) == ["abc"] and items["abc"].name == "random-name.vcf"
    messages = sorted(problem.message for problem in problems)
    assert len(messages) == 3
    assert any("a.vcf, b.vcf have the same UID 'twice'" in m for m in messages)
    assert any("no UID" in m for m in messages) and any("not UTF-8" in m for m in messages)


def test_an_item_changed_since_it_was_read_is_neither_replaced_nor_removed(tmp_path: Path) -> None:
    (tmp_path / "a.vcf").write_text(CARD)
    item = read_folder(tmp_path, ".vcf")[0]["abc"]
    (tmp_path / "a.vcf").write_text(CARD + "\r\n")  # vdirsyncer wrote meanwhile
    assert not write_item(tmp_path, "a.vcf", "new", item.stat)
    assert not remove_item(tmp_path, item)
    assert (tmp_path / "a.vcf").read_bytes() == (CARD + "\r\n").encode()
    fresh = read_folder(tmp_path, ".vcf")[0]["abc"]
    assert write_item(tmp_path, "a.vcf", "new", fresh.stat)
    assert (tmp_path / "a.vcf").read_text() == "new" and not list(tmp_path.glob("*.tmp"))


# ------------------------------------------------------------------ the card


def test_a_card_keeps_what_the_phone_added_and_carries_the_vaults_keys(tmp_path: Path) -> None:
    phone = read_card(CARD.replace("END:VCARD", "ADR;TYPE=HOME:;;Rua Augusta 1;Lisboa;;1100;Portugal\r\nEND:VCARD"))
    fields = {"name": "Ana Souza", "aliases": ["Ana, Jr."], "phone": ["+44 20 7946 0000", "+351 912 345 678"],
              "circle": "inner",
              "offers": ["code review", "career advice, for engineers"], "location": "Accra and London"}
    text = render_card(phone, "abc", fields, "Last contact 2026-11-07 (call)", ["inner", "close"], "People/Ana.md")
    assert "PHOTO" in text and "item1.TEL;TYPE=CELL:+44 20 7946 0000" in text  # the phone's label and photo stay
    assert "ADR;TYPE=HOME:;;Rua Augusta 1;Lisboa;;1100;Portugal" in text  # and its own address
    back = card_fields(read_card(text))
    assert back["phone"] == ["+44 20 7946 0000", "+351 912 345 678"] and back["aliases"] == ["Ana, Jr."]
    assert back["offers"] == ["code review", "career advice, for engineers"]
    assert back["circle"] == "inner" and back["categories"] == ["inner"] and back["location"] == "Accra and London"
    assert back["note"] == "Last contact 2026-11-07 (call)" and back["path"] == "People/Ana.md"
    moved = render_card(read_card(text), "abc", {**fields, "circle": "close"}, "", ["inner", "close"], "People/Ana.md")
    assert card_fields(read_card(moved))["categories"] == ["close"]  # the old circle's category is vaultnet's


# ------------------------------------------------------------------ the merge


def test_the_phones_new_items_go_into_the_note_where_it_can_take_them() -> None:
    base = {"email": ["ana@x.io"]}
    vault = {"email": ["ana@x.io"], "phone": ["+44 20 7946 0000"]}
    phone = {"email": ["ana@x.io", "ana@home.pt"], "phone": ["+44 20 7946 0000", "+351 912 345 678"]}
    out = merge({**base, "phone": ["+44 20 7946 0000"]}, vault, phone, {"email": "append", "phone": "none"})
    assert out.add == {"email": ["ana@home.pt"]}
    assert out.phone_only == {"phone": ["+351 912 345 678"]}  # a single value cannot take a second one
    assert out.agreed["phone"] == ["+44 20 7946 0000", "+351 912 345 678"]
    assert {f.what for f in out.findings} == {"added", "phone-only"}


def test_what_the_phone_removed_stays_while_the_note_has_it_and_what_the_note_removed_leaves() -> None:
    base = {"email": ["a@x.io", "b@x.io"]}
    out = merge(base, {"email": ["a@x.io"]}, {"email": ["b@x.io"]}, {})
    assert out.agreed["email"] == ["a@x.io"]
    assert [f.what for f in out.findings] == ["kept"]


def test_text_fields_three_ways() -> None:
    base = {"company": "Acme", "role": "Engineer"}
    vault = {"company": "Northbeam", "role": "Engineer"}
    phone = {"company": "Tidewater", "role": "Director", "birthday": "03-14"}
    out = merge(base, vault, phone, {"birthday": "new", "company": "none", "role": "none"})
    found = {f.key: f.what for f in out.findings}
    assert found == {"company": "conflict", "role": "changed", "birthday": "added"}
    assert out.agreed["company"] == "Northbeam" and out.agreed["role"] == "Engineer"  # the note's, always
    assert out.add == {"birthday": "03-14"}
    assert merge(base, vault, {"company": "Northbeam", "role": "Engineer"}, {}).findings == []  # both agree


def test_a_first_link_adds_the_phones_values_and_tells_a_difference_once() -> None:
    out = merge(None, {"company": "Acme", "email": ["a@x.io"]},
                {"company": "ACME Corp", "email": ["A@X.io", "b@x.io"]}, {"email": "new"})
    assert out.add == {"email": "b@x.io"}
    assert [f.what for f in out.findings] == ["added", "changed"]


emails = st.lists(st.sampled_from(["a@x.io", "b@x.io", "c@x.io", "d@x.io"]), unique=True, max_size=4)


@given(emails, emails, emails, st.sampled_from(["new", "append", "none"]))
def test_the_merge_never_drops_a_notes_item_and_never_loses_a_phones_new_one(
        base: list[str], vault: list[str], phone: list[str], room: str) -> None:
    out = merge({"email": base} if base else {}, {"email": vault} if vault else {},
                {"email": phone} if phone else {}, {"email": room})  # type: ignore[dict-item]
    agreed = out.agreed.get("email", [])
    assert set(vault) <= set(agreed)
    added = out.add.get("email", [])
    added = [added] if isinstance(added, str) else added
    for item in set(phone) - set(base) - set(vault):
        assert item in added or item in out.phone_only.get("email", [])
        assert item in agreed
    for item in set(base) - set(vault) - set(phone):
        assert item not in agreed


# ------------------------------------------------------------------ new lines in a note


def test_new_values_are_new_lines_and_nothing_else_changes(vault: Path) -> None:
    config = load_config(vault)
    note = (b"---\r\nEmail:\r\n  - ana@x.io  # work\r\nphone: +44 20 7946 0000\r\ntags: [person, friend]\r\n---\r\n"
            b"Body text\r\n")
    assert additions.room(config, note, ["email", "phone", "tags", "company"]) == {
        "email": "append", "phone": "none", "tags": "none", "company": "new"}
    new = additions.add_values(config, note, {"email": ["ana@home.pt"], "company": "Tidewater"})
    assert new == note.replace(b"  - ana@x.io  # work\r\n", b"  - ana@x.io  # work\r\n  - ana@home.pt\r\n").replace(
        b"friend]\r\n", b"friend]\r\ncompany: Tidewater\r\n")
    assert additions.add_values(config, note, {"phone": "+1 555 0100"}) is None  # a single value: never rewritten


# ------------------------------------------------------------------ the state


def test_the_state_is_a_note_whose_lines_survive_a_conflict_copy(vault: Path) -> None:
    config = load_config(vault)
    state.save_shared(config, "contacts", {"u1": {"status": "linked", "agreed": {"email": ["a@x.io"]}}})
    state.save_shared(config, "calendar", {"e1": {"status": "dismissed", "what": "Ana's birthday"}})
    rel = state.state_rel(config)
    text = (vault / rel).read_text()
    assert text.startswith("%% vaultnet:") and "## Contacts" in text and "## Calendar" in text
    write(vault, rel.replace(".md", " (conflicted copy 2026-11-21).md"),
          text.replace('"u1"', '"u2"').replace("linked", "deleted") + "- {not json\n")
    shared = state.load_shared(config)
    assert set(shared.entries["contacts"]) == {"u1", "u2"} and shared.entries["contacts"]["u1"]["status"] == "linked"
    assert shared.entries["calendar"] == {"e1": {"status": "dismissed", "what": "Ana's birthday"}}
    assert not state.save_shared(config, "calendar", shared.entries["calendar"], write=False) or True
    state.save_shared(config, "calendar", {})
    assert set(state.load_shared(config).entries["contacts"]) == {"u1", "u2"}  # folded in, the other section kept


def test_this_devices_record_belongs_to_its_folder(vault: Path, tmp_path: Path) -> None:
    config = load_config(vault)
    state.save_local(config, "contacts", tmp_path / "a", state.Local(str((tmp_path / "a").resolve()), {"u": "u.vcf"}))
    assert state.load_local(config, "contacts", tmp_path / "a").seen == {"u": "u.vcf"}  # type: ignore[union-attr]
    assert state.load_local(config, "contacts", tmp_path / "b") is None
    assert (vault / ".vaultnet/phone/.gitignore").read_text() == "*\n"


# ------------------------------------------------------------------ [sync]


def test_sync_settings(vault: Path) -> None:
    write(vault, "vaultnet.toml", '[sync]\ncontacts = "~/phone/contacts"\nalarm = "7:30"\nlead_days = 0\n'
                                  'followups = "Event"\nbefore = "vdirsyncer sync"\n')
    options = load_config(vault).sync
    assert (options.contacts, options.alarm.hour, options.alarm.minute, options.lead_days, options.followups) == (
        "~/phone/contacts", 7, 30, 0, "event")
    for bad, message in (('followups = "task"', "sync.followups must be one of todo, event"),
                         ("timeout = 0", "sync.timeout must be at least 1"), ('folder = "x"', "unknown key sync.folder"),
                         ('alarm = "25:00"', "sync.alarm must be a time")):
        write(vault, "vaultnet.toml", f"[sync]\n{bad}\n")
        with pytest.raises(ConfigError, match=message):
            load_config(vault)
