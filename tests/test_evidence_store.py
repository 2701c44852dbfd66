"""Each note's evidence kept between commands: what a command reads from the store is what it would work out.

The store is a cache: every rule here is one way a row could be used for a note
it was not worked out from, or a command could write to a vault it only reads.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from test_session import fresh

from vaultnet.evidence import interactions
from vaultnet.files.config import load_config
from vaultnet.output.report import status_json
from vaultnet.pipeline.evidencestore import NAME, _Shared, decode, encode
from vaultnet.pipeline.session import Session, build_network, build_vault
from vaultnet.standings.network import assemble

from conftest import TODAY, machine_vault, standing, write

STORE = f".vaultnet/cache/{NAME}"


def cold(root: Path) -> object:
    """What a command works out with no cache and no store."""
    return fresh(root)[1]


def one_off(root: Path) -> object:
    network = build_network(load_config(root), TODAY)
    return status_json(network, network.standings)


@pytest.fixture
def people(vault):
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n- 2026-11-01 #call hello\n- [ ] send the deck 📅 2026-11-20\n")
    write(vault, "People/Bob.md", "---\ncircle: close\naliases: [Robert]\n---\n- 2026-10-02 #coffee with [[Ana]] #gave\n")
    write(vault, "2026-11-13.md", "- lunch with [[Robert]] #got\n- met Ana at the market\n")
    return vault


def counting_extractions(monkeypatch) -> list[str]:
    worked_out: list[str] = []
    real = interactions.Extractor.extract
    monkeypatch.setattr(interactions.Extractor, "extract",
                        lambda self, note, owner: worked_out.append(note.rel) or real(self, note, owner))
    return worked_out


# -- the store is used, and only as far as it holds ------------------------------------------------


def users(worked_out: list[str]) -> list[str]:
    """The user's notes among those worked out (vaultnet's own are worked out each time)."""
    return sorted(rel for rel in worked_out if not rel.startswith("vaultnet/"))


def test_after_a_build_a_command_works_out_only_the_notes_edited_since(people, monkeypatch):
    build_vault(load_config(people), TODAY)
    worked_out = counting_extractions(monkeypatch)
    answer = one_off(people)
    assert users(worked_out) == []
    assert answer == cold(people)
    with open(people / "People/Ana.md", "a", encoding="utf-8") as handle:
        handle.write("- 2026-11-20 #coffee\n")
    worked_out.clear()
    answer = one_off(people)
    assert users(worked_out) == ["People/Ana.md"]
    assert answer == cold(people)
    assert standing(build_network(load_config(people), TODAY), "Ana").last_contact.isoformat() == "2026-11-20"


def counting_contacts(monkeypatch) -> list[str]:
    from vaultnet.standings import network

    read: list[str] = []
    real = network.read_contact
    monkeypatch.setattr(network, "read_contact", lambda note, config: read.append(note.rel) or real(note, config))
    return read


def test_after_a_build_a_command_reads_only_the_person_s_note_edited_since_into_a_contact(people, monkeypatch):
    build_vault(load_config(people), TODAY)
    read = counting_contacts(monkeypatch)
    answer = one_off(people)
    assert read == [] and answer == cold(people)
    write(people, "People/Bob.md", "---\ncircle: inner\nbirthday: 1990-04-02\naliases: [Robert]\n---\n")
    read.clear()
    answer = one_off(people)
    assert read == ["People/Bob.md"] and answer == cold(people)
    write(people, "vaultnet.toml", "[circles]\ninner = \"10 days\"\nclose = \"1 month\"\n")  # other settings: all read again
    read.clear()
    answer = one_off(people)
    assert read == ["People/Ana.md", "People/Bob.md"] and answer == cold(people)


def test_every_contact_of_the_example_vault_comes_back_from_the_store_as_it_was_read(tmp_path, monkeypatch):
    """The example vault shows every feature: cadences, birthdays, relations, occasions, fields, follow-ups."""
    root = tmp_path / "example"
    shutil.copytree(Path(__file__).parent.parent / "example-vault", root, ignore=shutil.ignore_patterns(".vaultnet"))
    build_vault(load_config(root), TODAY)
    read = counting_contacts(monkeypatch)
    stored = [s.contact for s in build_network(load_config(root), TODAY).standings]
    assert read == [] and len(stored) > 20
    assert stored == [s.contact for s in fresh(root)[2]]


def test_contacts_from_the_store_share_the_values_they_repeat(tmp_path, monkeypatch):
    """Ten thousand contacts decoded each with a circle, a rhythm and phrases of their own were nine megabytes
    more than reading them from their notes, where the values are shared."""
    note = ("---\ncircle: close\ncadence: 3 weeks\nlast_contact: 2026-10-01\noffers: [product advice]\n"
            "company: Acme\n---\n")
    for name in ("Ana", "Bob"):
        write(tmp_path, f"People/{name}.md", note)
    build_vault(load_config(tmp_path), TODAY)
    read = counting_contacts(monkeypatch)
    ana, bob = (s.contact for s in build_network(load_config(tmp_path), TODAY).standings)
    assert read == [] and (ana.name, bob.name) == ("Ana", "Bob")
    assert ana.circle is bob.circle and ana.cadence is bob.cadence and ana.last_contact is bob.last_contact
    assert ana.offers is bob.offers and ana.fields["company"] is bob.fields["company"]


def test_a_contact_the_store_would_not_give_back_as_it_is_is_not_kept(people):
    from vaultnet.evidence.contacts import Contact
    from vaultnet.pipeline.evidencestore import EvidenceStore

    session = Session(load_config(people), remember=False)
    session.refresh()
    note = session.notes.entries["People/Ana.md"].note
    store = EvidenceStore(session.config, session._entry_digest, "code")
    store.writing = True
    odd = Contact("Ana", "People/Ana.md", fields={"visits": 3})  # type: ignore[dict-item]  # a value no schema allows
    store.put_contact("key", note, odd, [])
    store.put_contact("key", note, Contact("Ana", "People/Ana.md", fields={"visits": "3"}), [])
    store.commit()
    assert store.get_contact("key", note) == (Contact("Ana", "People/Ana.md", fields={"visits": "3"}), [])
    store.put_contact("key", note, odd, [])  # not kept: the row before stays
    store.commit()
    assert store.get_contact("key", note)[0].fields == {"visits": "3"}
    assert store.get_contact("other key", note) is None


def test_a_name_changed_since_the_build_works_every_note_out_again(people, monkeypatch):
    """Rows are kept under what they read of other people: Bob's alias gone, `[[Robert]]` names no one."""
    build_vault(load_config(people), TODAY)
    write(people, "People/Bob.md", "---\ncircle: close\n---\n- 2026-10-02 #coffee with [[Ana]] #gave\n")
    worked_out = counting_extractions(monkeypatch)
    answer = one_off(people)
    assert users(worked_out) == ["2026-11-13.md", "People/Ana.md", "People/Bob.md"]
    assert answer == cold(people)
    assert standing(build_network(load_config(people), TODAY), "Bob").last_contact.isoformat() == "2026-10-02"


def test_settings_changed_since_the_build_work_every_note_out_again(people, monkeypatch):
    build_vault(load_config(people), TODAY)
    write(people, "vaultnet.toml", "mentions = false\n")
    assert one_off(people) == cold(people)
    assert standing(build_network(load_config(people), TODAY), "Ana").last_contact.isoformat() == "2026-11-01"


def test_a_follow_up_the_build_completes_is_worked_out_from_the_note_it_writes(people):
    """A note a build stands in for its file (a follow-up it completes) never takes the file's row."""
    build_vault(load_config(people), TODAY)
    plan = people / "vaultnet/Plans/2026-W47.md"
    text = plan.read_text(encoding="utf-8")
    assert "- [ ] " in text and "send the deck" in text
    line = next(line for line in text.splitlines() if "send the deck" in line)
    plan.write_text(text.replace(line, line.replace("- [ ]", "- [x]")), encoding="utf-8")
    build_vault(load_config(people), TODAY)
    assert "✅" in (people / "People/Ana.md").read_text(encoding="utf-8")
    assert one_off(people) == cold(people)
    copy = people.parent / "copy"
    shutil.copytree(people, copy, ignore=shutil.ignore_patterns(".vaultnet"))
    assert (people / "vaultnet/Network.md").read_bytes() == _built(copy, "vaultnet/Network.md")


def test_a_note_that_stands_in_for_its_file_is_worked_out_from_what_it_holds(people):
    """A network worked out with a note's bytes in place of its file's (as a build that completes a follow-up
    works out the week with the line it writes) never takes the row of the file."""
    build_vault(load_config(people), TODAY)
    text = (people / "People/Ana.md").read_text(encoding="utf-8") + "- 2026-11-19 #coffee\n"
    session = Session(load_config(people), remember=False)
    network = session.network(TODAY, overrides={"People/Ana.md": text.encode()})
    assert standing(network, "Ana").last_contact.isoformat() == "2026-11-19"


def _built(root: Path, rel: str) -> bytes:
    build_vault(load_config(root), TODAY)
    return (root / rel).read_bytes()


# -- a read command leaves the vault as it is ------------------------------------------------------


def test_a_command_that_only_reads_writes_no_store(people):
    one_off(people)
    assert not (people / ".vaultnet").exists()
    build_vault(load_config(people), TODAY)
    before = (people / STORE).read_bytes(), (people / STORE).stat().st_mtime_ns
    with open(people / "People/Ana.md", "a", encoding="utf-8") as handle:
        handle.write("- 2026-11-20 #coffee\n")
    one_off(people)
    assert ((people / STORE).read_bytes(), (people / STORE).stat().st_mtime_ns) == before


def test_the_store_is_ignored_by_git_even_when_the_build_saves_nothing_else(people, monkeypatch):
    """A build that stops before it saves its notes has written rows: they are never committed."""
    monkeypatch.setattr(Session, "save", lambda self, today, results: None)
    build_vault(load_config(people), TODAY)
    assert (people / STORE).is_file() and not (people / ".vaultnet/cache/notes.json").exists()
    assert (people / ".vaultnet/.gitignore").read_text(encoding="utf-8") == "cache/\n"


def test_a_watcher_keeps_evidence_in_memory_and_never_opens_the_store(people):
    """Its connection and pages would be megabytes on top of the watcher's peak, for nothing it lacks."""
    from test_session import settle, watcher_of

    watcher = watcher_of(people)
    with open(people / "People/Ana.md", "a", encoding="utf-8") as handle:
        handle.write("- 2026-11-20 #coffee\n")
    settle(watcher, {str(people / "People/Ana.md")})
    watcher.save()
    assert (people / ".vaultnet/cache/notes.json").is_file() and not (people / STORE).exists()


def test_only_this_user_can_read_the_store(people):
    """It holds what notes say about people, as the note cache does."""
    build_vault(load_config(people), TODAY)
    assert (people / STORE).stat().st_mode & 0o077 == 0


def test_a_command_reads_a_store_it_cannot_write(people):
    build_vault(load_config(people), TODAY)
    os.chmod(people / STORE, 0o444)
    try:
        assert one_off(people) == cold(people)
    finally:
        os.chmod(people / STORE, 0o644)


# -- a store that is damaged, foreign or a link is set aside ----------------------------------------


@pytest.mark.parametrize("damage", ["garbage", "truncated", "foreign table", "other code", "bad row",
                                    "bad contact row", "foreign contacts table"])
def test_a_damaged_or_foreign_store_is_set_aside_and_made_again(people, caplog, damage):
    build_vault(load_config(people), TODAY)
    path = people / STORE
    if damage == "garbage":
        path.write_bytes(b"not a database at all" * 100)
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:1000])
    else:
        db = sqlite3.connect(path)
        if damage == "foreign table":
            db.execute("DROP TABLE evidence")
            db.execute("CREATE TABLE evidence (something TEXT)")
        elif damage == "foreign contacts table":
            db.execute("DROP TABLE contacts")
            db.execute("CREATE TABLE contacts (rel TEXT, data BLOB)")
        elif damage == "other code":
            db.execute("UPDATE meta SET value = 'elsewhere' WHERE name = 'code'")
        elif damage == "bad contact row":
            db.execute("UPDATE contacts SET data = x'92c0c0' WHERE rel = 'People/Bob.md'")
        else:
            db.execute("UPDATE evidence SET data = x'93010203' WHERE rel = 'People/Bob.md'")
        db.commit()
        db.close()
    caplog.set_level(logging.INFO)
    assert one_off(people) == cold(people)
    write(people, "People/Chloé.md", "---\ncircle: close\n---\n")
    build_vault(load_config(people), TODAY)  # made again by the next build that reads the notes
    assert one_off(people) == cold(people)
    db = sqlite3.connect(path)
    assert db.execute("SELECT count(*) FROM evidence WHERE rel = 'People/Bob.md'").fetchone() == (1,)
    assert db.execute("SELECT count(*) FROM contacts WHERE rel = 'People/Bob.md'").fetchone() == (1,)
    if damage in ("garbage", "truncated", "bad row", "bad contact row"):
        assert "evidence store" in caplog.text


def test_a_store_that_is_a_link_out_of_the_vault_is_never_opened(people, tmp_path, caplog):
    outside = tmp_path / "outside.sqlite"
    outside.write_bytes(b"")
    (people / ".vaultnet/cache").mkdir(parents=True)
    (people / STORE).symlink_to(outside)
    build_vault(load_config(people), TODAY)
    assert outside.read_bytes() == b""
    assert "evidence store" in caplog.text
    assert one_off(people) == cold(people)


def traced_statements(monkeypatch) -> list[str]:
    """Every statement the store runs, as SQLite traces it."""
    from vaultnet.pipeline.evidencestore import EvidenceStore

    statements: list[str] = []
    for opening in ("_prepared", "_open_reading"):
        real = getattr(EvidenceStore, opening)

        def traced(self, *args, real=real):
            db = real(self, *args)
            if db is not None:
                db.set_trace_callback(statements.append)
            return db

        monkeypatch.setattr(EvidenceStore, opening, traced)
    return statements


def test_the_store_is_read_a_batch_at_a_time_even_where_it_holds_no_rows(people, monkeypatch):
    """A first build finds the store empty in one query a table, not one a note; a later command reads a batch of
    rows for every few hundred notes, not a row a note."""
    for number in range(600):
        write(people, f"Notes/{number:03}.md", f"- 2026-11-{number % 28 + 1:02} lunch with [[Ana]]\n")
    statements = traced_statements(monkeypatch)
    build_vault(load_config(people), TODAY)
    reads = [statement for statement in statements if statement.startswith("SELECT") and "WHERE rel >=" in statement]
    assert 1 <= len(reads) <= 2  # the evidence table, then the contacts table: both empty
    rows = sqlite3.connect(people / STORE).execute("SELECT count(*) FROM evidence").fetchone()[0]
    assert rows >= 603
    statements.clear()
    one_off(people)
    reads = [statement for statement in statements if statement.startswith("SELECT") and "WHERE rel >=" in statement]
    assert 3 <= len(reads) <= 2 + rows // 256 + 2


def test_a_row_of_a_note_gone_is_dropped_by_the_next_build(people):
    build_vault(load_config(people), TODAY)
    (people / "2026-11-13.md").unlink()
    build_vault(load_config(people), TODAY)
    rows = {rel for (rel,) in sqlite3.connect(people / STORE).execute("SELECT rel FROM evidence")}
    assert "2026-11-13.md" not in rows and "People/Ana.md" in rows


# -- a row gives back what extraction gave -----------------------------------------------------------


LINES = st.sampled_from([
    "- 2026-11-02 #call with [[Ana]] about Lyon",
    "- 2026-11-03 gave [[Bob]] a book #gave #thanked",
    "- 2026-11-04 lunch with Ana and Chloé #coffee",
    "- [ ] send [[Ana]] the slides 📅 2026-11-20",
    "- [x] call [[Bob]] ✅ 2026-11-05",
    "- [ ] ask [[Chloé]] about the flat",
    "- [[Ana]] and [[Bob]] should meet #intro",
    "- 2026-13-40 a date that is none",
    "met [[Robert]] at the fair",
    "## 2026-11-06",
    "- talked to [[Ana]]",
    "plain text with no one in it",
])


@settings(suppress_health_check=list(HealthCheck))
@given(rel=st.sampled_from(["People/Bob.md", "2026-11-13.md", "Meetings/2026-11-05 Sync.md", "Notes/Lyon.md"]),
       front=st.sampled_from(["", "---\ndate: 2026-11-05\nattendees: ['[[Ana]]', '[[Bob]]']\n---\n"]),
       lines=st.lists(LINES, max_size=8))
def test_a_note_s_evidence_read_back_is_what_extraction_gave(tmp_path_factory, rel, front, lines):
    root = tmp_path_factory.mktemp("vault")
    write(root, "People/Ana.md", "---\ncircle: inner\n---\n")
    write(root, "People/Bob.md", "---\naliases: [Robert]\n---\n")
    write(root, "People/Chloé.md", "---\ncircle: close\n---\n")
    write(root, rel, front + "\n".join(lines) + "\n")
    session = Session(load_config(root), remember=True)
    session.memo.stored = None
    session.network(TODAY)
    kept = session.memo.evidence[rel]
    note, found, problems = kept[0], kept[3], kept[4]
    data = encode(note, found, problems)
    assert data is not None
    again, problems_again = decode(rel, data, _Shared())  # the row alone: the note's lines are never asked for
    assert again == found and problems_again == problems
    assert [type(value) for value in again.links.values()] == [type(value) for value in found.links.values()]


def test_assembly_takes_what_the_store_gives_and_puts_what_it_works_out(people):
    """The memo asks the store before working a note out (or reading a person's note into a contact), and puts
    back what it worked out."""
    asked: list[str] = []
    put: list[str] = []
    contacts: list[str] = []

    class Store:
        def get(self, key, note, owned):
            asked.append(note.rel)
            return None

        def put(self, key, note, owned, found, problems):
            put.append(note.rel)

        def get_contact(self, key, note):
            contacts.append(f"asked {note.rel}")
            return None

        def put_contact(self, key, note, contact, problems):
            contacts.append(f"put {contact.path}")

    session = Session(load_config(people), remember=False)
    session.refresh()
    notes, conflicts, problems = session.notes.contents()
    from vaultnet.standings.network import AssemblyMemo

    assemble(session.config, TODAY, notes, conflicts, problems, memo=AssemblyMemo(remember=False, stored=Store()))
    assert sorted(asked) == sorted(put) == ["2026-11-13.md", "People/Ana.md", "People/Bob.md"]
    assert contacts == ["asked People/Ana.md", "put People/Ana.md", "asked People/Bob.md", "put People/Bob.md"]


# -- random edits, builds and reads: a command's answer is always the cold one -------------------


class StoreEqualsCold(RuleBasedStateMachine):
    """Random edits, each followed by a build (which writes the store) or a read (which only reads it);
    after each, a command's answer equals one worked out with no cache and no store."""

    NAMES = ("Ana", "Bob", "Chloé")

    def __init__(self) -> None:
        super().__init__()
        self.base, self.root = machine_vault("vaultnet-store-",
                                             {"People/Ana.md": "---\ncircle: inner\n---\n- 2026-10-01 #call hello\n"})
        build_vault(load_config(self.root), TODAY)

    def teardown(self) -> None:
        shutil.rmtree(self.base, ignore_errors=True)

    @rule(name=st.sampled_from(NAMES), aliases=st.sampled_from(["", "aliases: [Bobby]\n", "aliases: [Ann]\n"]),
          unjournaled=st.booleans(), line=LINES)
    def edit_contact(self, name: str, aliases: str, unjournaled: bool, line: str) -> None:
        flag = "prm-ignore-journal: true\n" if unjournaled else ""
        write(self.root, f"People/{name}.md", f"---\ncircle: close\n{aliases}{flag}---\n{line}\n")

    @rule(name=st.sampled_from(NAMES))
    def delete_contact(self, name: str) -> None:
        (self.root / f"People/{name}.md").unlink(missing_ok=True)

    @rule(day=st.sampled_from(["2026-11-02", "2026-11-16", "2026-11-20"]), dotted=st.booleans(), line=LINES,
          meeting=st.booleans())
    def dated_note(self, day: str, dotted: bool, line: str, meeting: bool) -> None:
        if meeting:
            write(self.root, f"Meetings/{day} Sync.md", f"---\ndate: {day}\nattendees: ['[[Ana]]', '[[Bob]]']\n---\n{line}\n")
        else:
            name = ".".join(reversed(day.split("-"))) if dotted else day
            write(self.root, f"{name}.md", line + "\n")

    @rule(mentions=st.booleans())
    def settings(self, mentions: bool) -> None:
        write(self.root, "vaultnet.toml", "" if mentions else "mentions = false\n")

    @rule()
    def build(self) -> None:
        build_vault(load_config(self.root), TODAY)

    @invariant()
    def a_command_answers_as_a_cold_one(self) -> None:
        assert one_off(self.root) == cold(self.root)


TestStoreEqualsCold = StoreEqualsCold.TestCase
TestStoreEqualsCold.settings = settings(max_examples=15, stateful_step_count=8, deadline=None,
                                        suppress_health_check=list(HealthCheck))
