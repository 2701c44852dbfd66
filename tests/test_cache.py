"""The persistent cache never gives a wrong answer (spec section 9)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from vaultnet.files.config import load_config
from vaultnet.pipeline.cache import BUILD, FORMAT, NOTES, NoteCache
from vaultnet.pipeline.evidencestore import NAME as EVIDENCE
from vaultnet.pipeline.session import Session, build_network, build_vault

from conftest import TODAY, examples, write

INDEX = "vaultnet/Network.md"


@pytest.fixture
def built(vault):
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n- 2026-11-01 #call hello\n")
    write(vault, "People/Bob.md", "---\ncircle: close\n---\n")
    write(vault, "2026-11-10.md", "- lunch with [[Bob]] #coffee\n")
    build_vault(load_config(vault), TODAY)
    return vault


def index(vault) -> str:
    return (vault / INDEX).read_text()


def last_contact(vault, name):
    return build_network(load_config(vault), TODAY).by_path(f"People/{name}.md").last_contact


def test_cache_files_and_gitignore(built):
    cache = built / ".vaultnet" / "cache"
    assert sorted(p.name for p in cache.iterdir()) == [BUILD, EVIDENCE, NOTES]
    assert (built / ".vaultnet" / ".gitignore").read_text() == "cache/\n"
    head, *lines = (cache / NOTES).read_text().splitlines()
    assert json.loads(head)["format"] == FORMAT == 8
    assert "People/Ana.md" in [json.loads(line)[0] for line in lines]


def test_entries_come_back_as_they_were_saved(built):
    config = load_config(built)
    session = Session(config)
    session.refresh()
    NoteCache(config).save_entries(session.notes.entries)
    loaded = NoteCache(config).load_entries()
    assert loaded == session.notes.entries
    ana = loaded["People/Ana.md"].note
    assert ana is not None and ana.meta == {"circle": "inner"} and ana.countable()[0].tags == ("call",)


def test_warm_build_with_nothing_changed_writes_nothing(built):
    before = {p: p.stat().st_mtime_ns for p in built.rglob("*") if p.is_file()}
    assert [r.changed for r in build_vault(load_config(built), TODAY)] == [False, False, False]
    assert {p: p.stat().st_mtime_ns for p in built.rglob("*") if p.is_file()} == before


def test_an_edit_is_seen(built):
    write(built, "2026-11-12.md", "- call with [[Bob]] #call\n")
    build_vault(load_config(built), TODAY)
    assert "| [[Bob]] | close | 2026-11-12 |" in index(built)
    write(built, "2026-11-12.md", "- call with [[Ana]] #call\n")  # edit an existing note
    build_vault(load_config(built), TODAY)
    assert "| [[Bob]] | close | 2026-11-10 |" in index(built)
    assert "| [[Ana]] | inner | 2026-11-12 |" in index(built)


def test_a_delete_and_a_rename_are_seen(built):
    (built / "2026-11-10.md").unlink()
    build_vault(load_config(built), TODAY)
    assert "| [[Bob]] | close |  |" in index(built)
    os.rename(built / "People/Bob.md", built / "People/Robert.md")
    build_vault(load_config(built), TODAY)
    assert "[[Robert]]" in index(built) and "[[Bob]]" not in index(built)


def test_same_size_edit_with_restored_mtime_is_not_trusted(built):
    path = built / "2026-11-10.md"
    stat = path.stat()
    path.write_text("- lunch with [[Ana]] #coffee\n")  # same size: Bob -> Ana
    assert path.stat().st_size == stat.st_size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_mtime_ns == stat.st_mtime_ns
    build_vault(load_config(built), TODAY)
    assert "| [[Ana]] | inner | 2026-11-10 |" in index(built)
    assert last_contact(built, "Ana").isoformat() == "2026-11-10"


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"format": 1, "vaultnet": "x"', b"[1, 2, 3]",
                                    b'{"format": 99}', b"\x00\xff garbage"])
def test_a_corrupt_or_foreign_cache_is_discarded_with_a_warning(built, damage, caplog):
    cache = built / ".vaultnet" / "cache"
    for name in (NOTES, BUILD):
        (cache / name).write_bytes(damage)
    write(built, "2026-11-12.md", "- call with [[Ana]] #call\n")
    with caplog.at_level(logging.WARNING, logger="vaultnet"):
        build_vault(load_config(built), TODAY)
    assert "| [[Ana]] | inner | 2026-11-12 |" in index(built)
    assert "discarding" in caplog.text
    assert json.loads((cache / NOTES).read_text().splitlines()[0])["format"] == FORMAT  # rebuilt


def test_a_cache_in_the_older_one_document_form_is_ignored(built, caplog):
    path = built / ".vaultnet" / "cache" / NOTES
    path.write_text(json.dumps({"format": 2, "vaultnet": "x", "settings": "y", "entries": {}}))
    with caplog.at_level(logging.WARNING, logger="vaultnet"):
        assert NoteCache(load_config(built)).load_entries() == {}
    assert "discarding" in caplog.text


@pytest.mark.parametrize("damage", ["signature", "person rule"])
def test_entries_with_wrong_shapes_are_discarded(built, caplog, damage):
    path = built / ".vaultnet" / "cache" / NOTES
    head, *lines = path.read_text().splitlines()
    entries = [json.loads(line) for line in lines]
    for entry in entries:
        if entry[0] == "People/Ana.md" and damage == "signature":
            entry[1] = "nonsense"
        elif entry[0] == "People/Ana.md":
            assert entry[4][5]["rule"] == "folder"
            entry[4][5]["rule"] = "friend of a friend"  # no rule vaultnet knows: nothing can say why she is a person
    path.write_text("\n".join([head, *map(json.dumps, entries)]) + "\n")
    with caplog.at_level(logging.WARNING, logger="vaultnet"):
        assert NoteCache(load_config(built)).load_entries() == {}
    assert "corrupt" in caplog.text


def test_a_cache_from_another_version_is_ignored(built, caplog):
    path = built / ".vaultnet" / "cache" / NOTES
    head, rest = path.read_text().split("\n", 1)
    path.write_text(json.dumps({**json.loads(head), "vaultnet": "0.0.0-other"}) + "\n" + rest)
    with caplog.at_level(logging.INFO, logger="vaultnet"):
        assert NoteCache(load_config(built)).load_entries() == {}
    assert "ignoring the cache of vaultnet 0.0.0-other" in caplog.text
    assert "discarding" not in caplog.text


def test_a_stale_entry_never_wins(built):
    """A killed build can leave an old notes.json beside new notes: the signatures decide."""
    cache = built / ".vaultnet" / "cache"
    old = (cache / NOTES).read_bytes()
    write(built, "2026-11-12.md", "- call with [[Ana]] #call\n")
    build_vault(load_config(built), TODAY)
    (cache / NOTES).write_bytes(old)  # as if the last save never happened
    (cache / BUILD).unlink()
    build_vault(load_config(built), TODAY)
    assert "| [[Ana]] | inner | 2026-11-12 |" in index(built)


def test_settings_and_templates_are_part_of_the_fingerprint(built):
    write(built, "vaultnet.toml", "[circles]\ninner = \"1 week\"\nclose = \"1 month\"\n")
    results = build_vault(load_config(built), TODAY)
    assert results[1].changed  # the index is rebuilt with the new cadence
    write(built, ".vaultnet/templates/index.md", "%% vaultnet:begin %%\ncustom\n%% vaultnet:end %%\n")
    (built / INDEX).unlink()
    build_vault(load_config(built), TODAY)
    assert index(built).startswith("%% vaultnet:begin %%\n%% vaultnet built this for 2026-11-21 from inputs ")
    assert index(built).endswith(") %%\ncustom\n%% vaultnet:end %%\n")


def test_read_only_commands_use_but_never_write_the_cache(built):
    cache = built / ".vaultnet" / "cache"
    before = {p.name: p.read_bytes() for p in cache.iterdir()}
    write(built, "2026-11-12.md", "- call with [[Ana]] #call\n")
    assert last_contact(built, "Ana").isoformat() == "2026-11-12"
    assert {p.name: p.read_bytes() for p in cache.iterdir()} == before


def test_a_cache_symlinked_out_of_the_vault_is_not_written(vault, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (vault / ".vaultnet").mkdir()
    (vault / ".vaultnet" / "cache").symlink_to(outside, target_is_directory=True)
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n")
    build_vault(load_config(vault), TODAY)
    assert list(outside.iterdir()) == []
    assert "[[Ana]]" in index(vault)


def test_a_dangling_link_does_not_defeat_the_warm_build(built, monkeypatch):
    (built / "People" / "Gone.md").symlink_to(built / "nowhere.md")
    first = build_vault(load_config(built), TODAY)
    assert first[1].changed and "People/Gone.md: cannot read" in index(built)

    def no_full_build(self):
        raise AssertionError("a full build where nothing changed")

    monkeypatch.setattr(NoteCache, "load_entries", no_full_build)
    assert [r.changed for r in build_vault(load_config(built), TODAY)] == [False, False, False]


def test_notes_without_properties_share_their_empty_containers_and_still_read_as_empty(built):
    write(built, "Notes/a.md", "just text\n")
    write(built, "Notes/b.md", "more text\n")
    build_vault(load_config(built), TODAY)
    loaded = NoteCache(load_config(built)).load_entries()
    a, b = loaded["Notes/a.md"].note, loaded["Notes/b.md"].note
    assert a is not None and b is not None
    assert a.meta is b.meta and a.meta == {} and a.problems == [] and a.countable() == []
    assert loaded["People/Ana.md"].note.meta == {"circle": "inner"}  # a note with properties keeps its own


@pytest.mark.parametrize(("meta", "stored"), [
    ({"circle": "inner", "tags": ["person", "work"], "score": 3, "ratio": 0.5, "vip": True, "gone": None}, True),
    ({"kids": [{"name": "Lea", "age": 4}], "links": {"site": "https://x.org"}}, True),
    ({"met": "2026-01-02", "nested": [["a", ["b"]]]}, True),
    ({"birthday": dt.date(1990, 1, 4)}, False),  # a date comes back a string: read it again
    ({"kids": [{"born": dt.date(2020, 5, 1)}]}, False),
    ({"scores": [1, float("nan")]}, False),
    ({"map": {1: "one"}}, False),
    ({"big": 2**70}, False),
])
def test_front_matter_is_stored_only_when_json_gives_it_back_unchanged(meta, stored):
    """The cache holds a note's properties only when decoding them gives the same values: a YAML date or
    a key that is no string would come back as another value, so such a note is read again next time."""
    from vaultnet.notes.note import Note
    from vaultnet.notes.noteset import Entry
    from vaultnet.pipeline.cache import entry_from_json, entry_json

    note = Note("People/Ana.md", meta=meta)
    found = entry_json("People/Ana.md", Entry((1, 2, 3, 4), note, (), False, 255, False))
    assert (found is not None) == stored
    if stored:
        rel, entry = entry_from_json(json.dumps(found))
        assert rel == "People/Ana.md" and entry.note is not None and entry.note.meta == meta


def test_every_note_of_the_example_vault_comes_back_from_the_cache_as_it_was_read(tmp_path):
    """Lines are made from the cache a group of links and tags at a time: each must come back as the note says."""
    import shutil
    from pathlib import Path

    root = tmp_path / "example"
    shutil.copytree(Path(__file__).parent.parent / "example-vault", root, ignore=shutil.ignore_patterns(".vaultnet"))
    write(root, "Daily/2026-11-20.md", "- [[Ana Souza]] #call\n- [[Ana Souza]] and [[Ben Okafor]] #coffee #work\n"
                                        "- [[Ben Okafor]] and [[Ana Souza]] #work\n- [[Ana Souza|Ana]] #call\n")
    session = Session(load_config(root), remember=False)
    session.refresh()
    read = {rel: (entry.note.countable(), entry.note.meta) for rel, entry in session.notes.entries.items()
            if entry.note is not None}
    session.cache.save_entries(session.notes.entries)
    loaded = NoteCache(load_config(root)).load_entries()
    assert len(read) > 100 and {rel: (entry.note.countable(), entry.note.meta) for rel, entry in loaded.items()
                                if entry.note is not None} == read


def test_each_note_s_person_rule_comes_back_from_the_cache_for_the_settings_it_was_kept_for(tmp_path, monkeypatch):
    """Every command asks every note whether it is a person (a fifth of a second on a large vault): a rule depends on
    the note and the settings alone, and the cache is kept for one set of settings, so it keeps the answers."""
    import shutil
    from pathlib import Path

    from vaultnet.evidence import people

    root = tmp_path / "example"
    shutil.copytree(Path(__file__).parent.parent / "example-vault", root, ignore=shutil.ignore_patterns(".vaultnet"))
    write(root, "Contacts/Carla Ruiz.md", "---\ntype: person\ncircle: close\n---\n")
    write(root, "Contacts/Dev.md", "---\ntags: [person]\n---\n")
    build_vault(load_config(root), TODAY)
    asked: list[str] = []
    real = people.person_rule
    monkeypatch.setattr(people, "person_rule", lambda note, config: asked.append(note.rel) or real(note, config))
    for path in root.rglob("*.md"):  # nothing read again for being written just now (racy): all from the cache
        os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns - 10**10))
    build_vault(load_config(root), TODAY)
    asked.clear()
    config = load_config(root)
    session = Session(config, remember=False)
    session.refresh()
    rules = {rel: entry.note.rule for rel, entry in session.notes.entries.items()
             if entry.note is not None and entry.note.rule_config is config}
    assert asked == [] and len(rules) > 40 and {"folder", "property", "tag", None} <= set(rules.values())
    # vaultnet's own notes, read back after the assembly that asks, are never people: no one asks theirs
    assert [rel for rel, entry in session.notes.entries.items() if entry.note is not None
            and entry.note.rule_config is not config and not rel.startswith("vaultnet/")] == []
    assert rules == {rel: real(entry.note, config) for rel, entry in session.notes.entries.items() if rel in rules}
    assert session.network(TODAY).standings and asked == []
    other = load_config(root)  # the same settings read again: another object, whose rules are worked out
    assert people.rule_of(session.notes.entries["People/Ana Souza.md"].note, other) == "folder"
    assert asked == ["People/Ana Souza.md"]


def test_a_watcher_s_save_keeps_no_second_copy_of_its_notes_text(vault):
    """CPython keeps the UTF-8 copy msgspec encodes a non-ASCII string through for as long as the string
    lives: a long-lived session's notes live for hours, so its saves must make none (a one-off's may)."""
    import gc
    import tracemalloc

    line = "- 2026-11-01 #call über Grüße, Straße und Café — Ωμέγα " * 20
    for number in range(200):
        write(vault, f"People/Person {number}.md", f"---\ncircle: inner\n---\n{line}[[Person {number + 1}]]\n")
    lasting, one_off = Session(load_config(vault)), Session(load_config(vault), remember=False)
    retained = {}
    for name, session in (("lasting", lasting), ("one-off", one_off)):
        session.refresh()
        gc.collect()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            session.cache.save_entries(session.notes.entries)
            gc.collect()
            retained[name] = tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()
        assert NoteCache(load_config(vault)).load_entries().keys() == session.notes.entries.keys()
    assert retained["lasting"] < 20_000 < 200 * len(line) < retained["one-off"], retained


def test_both_saves_read_back_the_same_entries(built):
    write(built, "People/Zoë.md", "---\ncircle: inner\ntags: [café, \"naïve\"]\n---\n- 2026-11-01 #call Grüße\n")
    for session in (Session(load_config(built)), Session(load_config(built), remember=False)):
        session.refresh()
        session.cache.save_entries(session.notes.entries)
        assert NoteCache(load_config(built)).load_entries() == session.notes.entries


def _lines(root) -> dict[str, bytes]:
    """Each entry's line of the saved note cache, by path."""
    head, *lines = (root / ".vaultnet/cache" / NOTES).read_bytes().splitlines(keepends=True)
    return {json.loads(line)[0]: line for line in lines}


def counting_encodes(monkeypatch) -> list[str]:
    from vaultnet.pipeline import cache

    encoded: list[str] = []
    real = cache.entry_json
    monkeypatch.setattr(cache, "entry_json", lambda rel, *args: encoded.append(rel) or real(rel, *args))
    return encoded


def test_a_build_after_an_edit_copies_the_lines_of_the_notes_it_did_not_read_again(built, monkeypatch):
    """Thirty thousand entries are not encoded again for one edit: the others' lines are copied as they were, and
    the cache reads back as the notes were read."""
    write(built, "People/Chloé.md", "---\ncircle: close\n---\n")
    build_vault(load_config(built), TODAY)
    before = _lines(built)
    write(built, "People/Ana.md", "---\ncircle: inner\n---\n- 2026-11-01 #call hello\n- 2026-11-20 #coffee\n")
    (built / "People/Bob.md").unlink()
    write(built, "People/Dan.md", "---\ncircle: close\n---\n")
    encoded = counting_encodes(monkeypatch)
    session = Session(load_config(built), remember=False)
    session.build(TODAY)
    after = _lines(built)
    assert "People/Ana.md" in encoded and "People/Dan.md" in encoded
    assert not {"People/Chloé.md", "2026-11-10.md"} & set(encoded)
    assert after["People/Chloé.md"] == before["People/Chloé.md"] and after["2026-11-10.md"] == before["2026-11-10.md"]
    assert after["People/Ana.md"] != before["People/Ana.md"] and "People/Bob.md" not in after
    assert NoteCache(load_config(built)).load_entries() == session.notes.entries


def test_a_cache_another_process_saved_meanwhile_is_not_copied_from(built, monkeypatch):
    """The lines are copied only from the file the entries were loaded from: one another build wrote in the
    meantime (other lines at other places) makes every entry encoded again."""
    write(built, "People/Chloé.md", "---\ncircle: close\n---\n")
    build_vault(load_config(built), TODAY)
    cache = NoteCache(load_config(built))
    entries = cache.load_entries(copyable=True)
    write(built, "2026-11-11.md", "- a walk with [[Ana]] and [[Chloé]]\n")  # another process's build: a new file
    build_vault(load_config(built), TODAY)
    encoded = counting_encodes(monkeypatch)
    cache.save_entries(entries)
    assert sorted(encoded) == sorted(rel for rel, entry in entries.items() if entry.signature[0] >= 0)
    assert NoteCache(load_config(built)).load_entries() == entries


def test_an_entry_that_says_something_else_than_its_line_is_encoded_again(built):
    """The same note with another signature, digest or flag is no longer what its line says: its line is made
    anew, never copied."""
    from dataclasses import replace

    cache = NoteCache(load_config(built))
    entries = cache.load_entries(copyable=True)
    ana = entries["People/Ana.md"]
    entries["People/Ana.md"] = replace(ana, signature=(ana.signature[0] + 1, *ana.signature[1:]))
    entries["People/Bob.md"] = replace(entries["People/Bob.md"], racy=True)
    cache.save_entries(entries)
    loaded = NoteCache(load_config(built)).load_entries()
    assert loaded == entries
    assert loaded["People/Ana.md"].signature[0] == ana.signature[0] + 1 and loaded["People/Bob.md"].racy


def test_a_note_changed_while_it_is_read_is_read_again_next_time(built, monkeypatch):
    """The signature kept is the file's as it was opened, and only when the path still has it after the read:
    an editor's write in between leaves the note to be read again, however its size and times end up."""
    from vaultnet.notes import noteset

    path, real = built / "People/Ana.md", noteset.read_regular

    def read_while_written(target):
        found = real(target)
        if target == path:
            with open(path, "a", encoding="utf-8") as handle:
                handle.write("- 2026-11-12 #coffee\n")
        return found

    monkeypatch.setattr(noteset, "read_regular", read_while_written)
    notes = noteset.NoteSet(load_config(built))
    notes.scan()
    assert notes.entries["People/Ana.md"].signature == noteset.UNKNOWN
    assert notes.entries["People/Bob.md"].signature == noteset._signature((built / "People/Bob.md").stat())
    monkeypatch.setattr(noteset, "read_regular", real)
    assert notes.scan() and "2026-11-12" in "\n".join(line.text for line in notes.entries["People/Ana.md"].note.countable())


def test_a_note_replaced_between_the_walk_and_the_read_is_kept_as_the_file_read(built, monkeypatch):
    """An editor that saves by renaming a new file over the note: what is read is the new file whole, kept
    under the new file's signature, so the next walk finds nothing to read again."""
    from vaultnet.notes import noteset

    path, real = built / "People/Ana.md", noteset.read_regular
    notes = noteset.NoteSet(load_config(built))
    walked = notes.stat_all()

    def replaced_first(target):
        if target == path:
            (built / "new.tmp").write_text("---\ncircle: inner\n---\n- 2026-11-14 #call again\n")
            os.replace(built / "new.tmp", path)
        return real(target)

    monkeypatch.setattr(noteset, "read_regular", replaced_first)
    notes.scan(walked)
    monkeypatch.setattr(noteset, "read_regular", real)
    entry = notes.entries["People/Ana.md"]
    assert entry.signature == noteset._signature(path.stat())
    assert "2026-11-14" in "\n".join(line.text for line in entry.note.countable())
    assert not notes.scan()  # nothing changed since


def test_a_note_from_the_cache_is_made_when_first_read_and_equals_the_note_read(tmp_path):
    """A command's notes come from the cache without their properties and lines, made when first read: then they
    are the notes a whole load made (equal both ways, and ``replace`` gives a whole note)."""
    import dataclasses
    import shutil
    from pathlib import Path

    from vaultnet.notes.lazynote import LazyNote
    from vaultnet.notes.note import Note

    root = tmp_path / "example"
    shutil.copytree(Path(__file__).parent.parent / "example-vault", root, ignore=shutil.ignore_patterns(".vaultnet"))
    build_vault(load_config(root), TODAY)
    whole = NoteCache(load_config(root), lasting=True).load_entries()  # a watcher's load: every note made at once
    lazy = NoteCache(load_config(root)).load_entries()
    notes = {rel: entry.note for rel, entry in lazy.items() if entry.note is not None}
    assert len(notes) > 100 and all(isinstance(note, LazyNote) for note in notes.values())
    assert sum(not note.made() for note in notes.values()) > len(notes) // 2  # made at once: those holding nothing
    assert all(entry.note.made() for entry in whole.values() if isinstance(entry.note, LazyNote))
    ana = notes["People/Ana Souza.md"]
    assert ana.dated is False and not ana.made()  # what every note is asked leaves it unmade
    assert ana.meta["circle"] and ana.made()
    for rel, note in notes.items():
        assert note == whole[rel].note and whole[rel].note == note
        read = Note(**{spec.name: getattr(note, spec.name) for spec in dataclasses.fields(Note)})
        assert note == read and read == note
    moved = dataclasses.replace(notes["People/Bob Lee.md"], rel="People/Bob.md")
    assert moved.rel == "People/Bob.md" and moved.meta == notes["People/Bob Lee.md"].meta
    assert lazy == whole


def test_a_read_after_an_edit_makes_only_the_notes_it_reads(tmp_path):
    """After one edit, a command takes each note's evidence and each person's contact from the store: the notes
    it never reads stay as the cache holds them, and its answer is the one a whole load gives."""
    import shutil
    from pathlib import Path

    from vaultnet.notes.lazynote import LazyNote

    root = tmp_path / "example"
    shutil.copytree(Path(__file__).parent.parent / "example-vault", root, ignore=shutil.ignore_patterns(".vaultnet"))
    for path in root.rglob("*.md"):  # written a while ago: read now, a note is known by its times next time
        os.utime(path, (path.stat().st_mtime - 60, path.stat().st_mtime - 60))
    build_vault(load_config(root), TODAY)
    with open(root / "People/Ana Souza.md", "a", encoding="utf-8") as note:
        note.write("- 2026-11-20 #call about the launch\n")
    session = Session(load_config(root), remember=False)
    network = session.network(TODAY)
    people = {rel: entry.note for rel, entry in session.notes.entries.items() if rel.startswith("People/")}
    assert not isinstance(people.pop("People/Ana Souza.md"), LazyNote)  # read again from its file
    unmade = [rel for rel, note in people.items() if isinstance(note, LazyNote) and not note.made()]
    assert len(people) > 20 and len(unmade) >= len(people) * 3 // 4  # not those whose gift ideas it lists
    shutil.rmtree(root / ".vaultnet")
    cold = build_network(load_config(root), TODAY)
    assert [(s.contact.path, s.last_contact, s.due, len(s.interactions)) for s in network.standings] \
        == [(s.contact.path, s.last_contact, s.due, len(s.interactions)) for s in cold.standings]


PATHS = st.sampled_from(["a.md", "a/b.md", "a/é.md", "a/~.md", "a0.md", "a.md/d.md", "ab/e.md", "b/a/f.md", "é.md",
                          "e\u0301.md"])


@settings(max_examples=examples(100), deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["add", "remove", "look"]), PATHS), max_size=30))
@example([("add", "a/b.md"), ("look", ""), ("remove", "a/b.md"), ("add", "a/é.md")])  # as many paths, not the same
def test_the_notes_paths_stay_in_order_as_notes_come_and_go(changes):
    """``paths`` is sorted again only when a path came or went; ``under`` finds a folder's paths by bisection:
    both give what sorting and filtering every path would, after any run of additions and removals."""
    from vaultnet.notes import noteset

    with tempfile.TemporaryDirectory() as folder:  # an empty vault: the paths are put in by hand
        notes = noteset.NoteSet(load_config(Path(folder)))

    def look() -> None:
        assert notes.paths() == sorted(notes.entries)
        for folder in ("a/", "a.md/", "b/", "ab/"):
            assert notes.under(folder) == [rel for rel in sorted(notes.entries) if rel.startswith(folder)]

    for change, rel in changes:
        if change == "add":
            notes.entries[rel] = notes.entries.get(rel) or noteset.Entry(noteset.UNKNOWN, None, ())
        elif change == "remove":
            notes.entries.pop(rel, None)
        else:
            look()
    look()


def test_a_note_that_becomes_a_folder_and_back_is_read_each_time(built):
    from vaultnet.notes import noteset

    notes = noteset.NoteSet(load_config(built))
    notes.scan()
    os.remove(built / "People/Ana.md")
    write(built, "People/Ana.md/Inner.md", "# inner\n")
    assert notes.update("People/Ana.md")
    assert "People/Ana.md" not in notes.entries and "People/Ana.md/Inner.md" in notes.entries
    assert notes.under("People/Ana.md/") == ["People/Ana.md/Inner.md"]
    shutil.rmtree(built / "People/Ana.md")
    write(built, "People/Ana.md", "---\ncircle: inner\n---\n")
    assert notes.update("People/Ana.md")
    assert "People/Ana.md/Inner.md" not in notes.entries and notes.entries["People/Ana.md"].note is not None
    assert notes.paths() == sorted(notes.entries)
