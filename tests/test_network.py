"""Loading a whole vault: bad notes become problems, nothing stops the run, nothing is written."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from vaultnet.files.config import load_config
from vaultnet.pipeline.session import build_network

from conftest import TODAY, standing, write

D = dt.date


def problem_paths(network):
    return sorted({p.path for p in network.problems})


def test_problems_from_every_bad_note_are_collected_and_other_notes_still_processed(vault, load):
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n- 2026-11-10 #call hello\n")
    write(vault, "People/Bad Yaml.md", "---\ncompany: Acme\ncircle: : inner\n---\n- 2026-11-12 #coffee still read\n")
    write(vault, "People/Binary.md", b"\x00\x01\x02PNG\x00")
    write(vault, "People/Latin.md", "---\ncircle: inner\n---\nZoë\n".encode("latin-1"))
    write(vault, "People/List.md", "---\n- a\n- b\n---\n- 2026-11-13 chat\n")
    write(vault, "People/Open.md", "---\ncircle: inner\n- 2026-11-14 chat\n")
    write(vault, "2026-11-15.md", "---\ndate: [\n---\n- lunch with [[Ana]]\n")
    write(vault, "Broken.md", b"\xff\xfe\x00garbage")
    write(vault, "2026-11-16.md", "- coffee with [[Bob]]\n")
    write(vault, "People/Bob.md", "---\ncircle: close\nbirthday: 02-30\n---\n")
    network = load()

    assert problem_paths(network) == [
        "2026-11-15.md",
        "Broken.md",
        "People/Bad Yaml.md",
        "People/Binary.md",
        "People/Bob.md",
        "People/Latin.md",
        "People/List.md",
        "People/Open.md",
    ]
    by_path = {p.path: p for p in network.problems}
    assert "YAML" in by_path["People/Bad Yaml.md"].message
    assert by_path["People/Bad Yaml.md"].line == 3
    assert "binary" in by_path["People/Binary.md"].message
    assert "UTF-8" in by_path["People/Latin.md"].message
    assert by_path["People/Latin.md"].line == 4
    assert by_path["People/Bob.md"].line == 3

    # every readable note is still processed
    assert [s.name for s in network.standings] == ["Ana", "Bad Yaml", "Bob", "List", "Open"]
    ana = standing(network, "Ana")
    assert [i.date for i in ana.interactions] == [D(2026, 11, 15), D(2026, 11, 10)]
    assert ana.last_kind == "note"
    assert standing(network, "Bad Yaml").last_contact == D(2026, 11, 12)
    assert standing(network, "List").last_contact == D(2026, 11, 13)
    assert standing(network, "Open").last_contact == D(2026, 11, 14)
    assert "front matter" in by_path["People/Open.md"].message
    assert standing(network, "Bob").last_contact == D(2026, 11, 16)
    assert standing(network, "Bob").contact.circle == "close"
    # problems are sorted by path, then line
    assert [p.sort_key for p in network.problems] == sorted(p.sort_key for p in network.problems)


def test_unreadable_file_is_a_problem_and_the_rest_is_read(vault, load):
    write(vault, "People/Ana.md", "- 2026-11-10 #call\n")
    (vault / "People" / "Ghost.md").symlink_to(vault / "nowhere.md")
    network = load()
    (problem,) = network.problems
    assert problem.path == "People/Ghost.md"
    assert "cannot read" in problem.message
    assert [s.name for s in network.standings] == ["Ana"]
    assert standing(network, "Ana").last_kind == "call"


def test_problem_strings_name_path_and_line(vault, load):
    write(vault, "People/Ana.md", "---\ncircle: nope\n---\n")
    write(vault, "People/Bin.md", b"\x00")
    network = load()
    assert [str(p).split(": ", 1)[0] for p in network.problems] == ["People/Ana.md:2", "People/Bin.md"]


def test_bom_and_crlf_note_is_parsed_correctly(vault, load):
    text = "\ufeff---\r\ncircle: inner\r\naliases: [Annie]\r\ncadence: 2m\r\n---\r\n## Log\r\n- 2026-11-10 #call hello\r\n"
    write(vault, "People/Ana.md", text.encode("utf-8"))
    write(vault, "2026-11-12.md", "\ufeff- [[Annie]] lunch\r\n".encode("utf-8"))
    network = load()
    ana = standing(network, "Ana")
    assert ana.contact.circle == "inner"
    assert ana.contact.aliases == ("Annie",)
    assert ana.cadence_days == 14  # the bad cadence falls back to the circle
    (problem,) = network.problems
    assert (problem.path, problem.line) == ("People/Ana.md", 4)
    interactions = [(i.date, i.kind, i.text, i.line) for i in ana.interactions]
    assert interactions == [(D(2026, 11, 12), "note", "Annie lunch", 1), (D(2026, 11, 10), "call", "hello", 7)]
    assert not any("\r" in i.text for i in ana.interactions)


def test_crlf_follow_up_dates_are_read(vault, load):
    write(vault, "People/Ana.md", b"- [ ] send deck \xf0\x9f\x93\x85 2026-11-25\r\n- [ ] lend book\r\n")
    ana = standing(load(), "Ana")
    assert [(t.text, t.due) for t in ana.follow_ups] == [("send deck", D(2026, 11, 25))]
    assert [t.text for t in ana.open_loops] == ["lend book"]


def test_conflict_copy_of_a_contact_note_is_a_problem(vault, load):
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n")
    write(vault, "People/Ana.sync-conflict-20261121-101010-ABCDEFG.md", "- 2026-11-20 #call conflict\n")
    write(vault, "People/Bob.md", "")
    write(vault, "People/Bob (conflicted copy 2026-11-21).md", "")
    write(vault, "Friends/Carl.md", "---\ntags: [person]\n---\n")
    write(vault, "Friends/Carl (Conflicted copy 2026-11-21).md", "---\ntags: [person]\n---\n")
    write(vault, "Projects/Launch.md", "")
    write(vault, "Projects/Launch.sync-conflict-20261121-101010-ABCDEFG.md", "- [x] call [[Ana]] ✅ 2026-11-20\n")
    write(vault, "Notes (conflicted copy).md", "")
    network = load()
    assert [s.name for s in network.standings] == ["Ana", "Bob", "Carl"]
    assert problem_paths(network) == [
        "Friends/Carl (Conflicted copy 2026-11-21).md",
        "Notes (conflicted copy).md",
        "People/Ana.sync-conflict-20261121-101010-ABCDEFG.md",
        "People/Bob (conflicted copy 2026-11-21).md",
        "Projects/Launch.sync-conflict-20261121-101010-ABCDEFG.md",
    ]
    messages = {p.path: p.message for p in network.problems}
    ana_copy = messages["People/Ana.sync-conflict-20261121-101010-ABCDEFG.md"]
    assert ana_copy.startswith("a sync copy of People/Ana.md (not another person)")
    assert '"2026-11-20 #call conflict"' in ana_copy and "merge" in ana_copy  # what the original lacks
    assert "holds nothing vaultnet reads that the original lacks" in messages["People/Bob (conflicted copy 2026-11-21).md"]
    assert "which is gone" in messages["Notes (conflicted copy).md"]
    # a copy of a contact counts for nothing; the copy of another note counts what its original lacks
    ana = standing(network, "Ana")
    assert [(i.date, i.path) for i in ana.interactions] == [
        (D(2026, 11, 20), "Projects/Launch.sync-conflict-20261121-101010-ABCDEFG.md")]
    assert '"call [[Ana]] ✅ 2026-11-20"' in messages["Projects/Launch.sync-conflict-20261121-101010-ABCDEFG.md"]


def test_conflict_copy_of_a_deleted_contact_in_people_is_still_reported(vault, load):
    write(vault, "People/Ana.sync-conflict-20261121-101010-ABCDEFG.md", "")
    network = load()
    assert network.standings == []
    assert problem_paths(network) == ["People/Ana.sync-conflict-20261121-101010-ABCDEFG.md"]


def test_conflict_copy_of_a_non_contact_note_sharing_a_contact_name_is_no_person(vault, load):
    write(vault, "People/Ana.md", "")
    write(vault, "Projects/Ana.md", "A project codenamed Ana.\n")
    write(vault, "Projects/Ana (conflicted copy 2026-11-21).md", "")
    network = load()
    assert [s.contact.path for s in network.standings] == ["People/Ana.md"]
    assert [(p.path, p.message) for p in network.problems] == [(
        "Projects/Ana (conflicted copy 2026-11-21).md",
        "a sync copy of Projects/Ana.md (what it adds counts): it holds nothing vaultnet reads that the original "
        "lacks; delete it")]


def test_standings_are_sorted_by_name_case_insensitively(vault, load):
    for name in ("bob", "Dave", "ana", "Carl", "Émile", "eve", "Ann"):
        write(vault, f"People/{name}.md", "")
    network = load()
    assert [s.name for s in network.standings] == ["ana", "Ann", "bob", "Carl", "Dave", "eve", "Émile"]
    assert network.by_path("People/Carl.md").name == "Carl"
    assert network.names(["People/eve.md", "People/ana.md", "nope.md"]) == ["eve", "ana"]


def test_hidden_template_and_ignored_folders_are_skipped(vault, load):
    write(vault, "vaultnet.toml", 'ignore = ["Archive/*"]\n')
    (vault / ".obsidian" / "templates.json").write_text('{"folder": "Templates"}')
    write(vault, "People/Ana.md", "")
    write(vault, "Templates/Person.md", "---\ntags: [person]\n---\n- 2026-11-10 [[Ana]]\n")
    write(vault, ".trash/Old.md", "---\ntags: [person]\n---\n")
    write(vault, "Archive/2026-11-11.md", "- [[Ana]]\n")
    write(vault, "People/.hidden.md", "")
    network = load()
    assert [s.name for s in network.standings] == ["Ana"]
    assert standing(network, "Ana").interactions == []


def snapshot(root: Path) -> dict[str, tuple[bytes | None, int, int]]:
    found = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = Path(folder) / name
            stat = path.lstat()
            data = path.read_bytes() if path.is_file() else None
            found[str(path.relative_to(root))] = (data, stat.st_mtime_ns, stat.st_mode)
    return found


def test_build_network_modifies_no_file(vault):
    write(vault, "vaultnet.toml", 'dated_folders = ["Journal"]\n')
    write(vault, "People/Ana.md", "---\ncircle: inner\ncadence: 2m\n---\n## Log\n- 2026-11-10 #call\n- [ ] send deck 📅 2026-11-25\n")
    write(vault, "People/Bob.md", "\ufeff---\r\ncircle: close\r\n---\r\n- [x] did it\r\n".encode("utf-8"))
    write(vault, "Journal/2026-11-12.md", "- lunch with [[Ana]] and [[Bob]] #got\n- [x] call [[Bob]]\n")
    write(vault, "vaultnet/Plans/2026-W47.md", "%% vaultnet:begin %%\n- [x] [[Ana]] — check in ^vn-ana\n%% vaultnet:end %%\n")
    write(vault, "vaultnet/Network.md", "%% generated by vaultnet %%\n")
    write(vault, "People/Binary.md", b"\x00")
    write(vault, "People/Latin.md", "Zoë".encode("latin-1"))
    write(vault, "People/Ana.sync-conflict-20261121-101010-ABCDEFG.md", "")
    # mtimes in the past, so that a rewrite within the same clock tick would still show
    for path in vault.rglob("*"):
        os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    os.utime(vault, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    before = snapshot(vault)
    root_mtime = vault.stat().st_mtime_ns

    network = build_network(load_config(vault), TODAY)

    assert snapshot(vault) == before
    assert vault.stat().st_mtime_ns == root_mtime
    # the run did work: it is not vacuous
    assert standing(network, "Ana").last_contact == D(2026, 11, 12)
    assert network.problems


def test_macos_decomposed_file_names(vault, load):
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Zoë Martin")
    assert nfd != "Zoë Martin"
    write(vault, f"People/{nfd}.md", "---\ncircle: inner\n---\n")
    write(vault, "2026-11-12.md", "- lunch with [[Zoë Martin]] #coffee\n")  # typed in NFC
    write(vault, "2026-11-13.md", f"- call with [[{nfd}]] #call\n")  # pasted in NFD
    network = load()
    (zoe,) = network.standings
    assert zoe.name == "Zoë Martin"  # names are NFC
    assert zoe.contact.path == f"People/{nfd}.md"  # the path stays what is on disk
    assert zoe.last_contact == TODAY.replace(day=13) and len(zoe.interactions) == 2


def test_notes_as_obsidian_writes_them(vault, load):
    write(vault, "People/Ana Souza.md", """
        ---
        aliases:
          - Ana
        tags:
          - person/friend
        circle: "inner"
        introduced_by: "[[Bob Lee]]"
        last_contact: 2026-11-02T18:30
        birthday: "1990-03-14"
        offers:
          - "[[Design reviews]]"
        ---
        - [[2026-11-12]] #call talked about her move
    """)
    write(vault, "Contacts/Bob Lee.md", "---\ntype: person\n---\n")
    write(vault, "Meetings/Kickoff.md", """
        ---
        date: 2026-11-14T09:00
        attendees:
          - "[[Ana Souza]]"
        ---
        Notes with [[Bob Lee|Bob]].
    """)
    network = load()
    ana, bob = standing(network, "Ana Souza"), standing(network, "Bob Lee")
    assert ana.contact.introduced_by == "Bob Lee" and ana.contact.offers == ("Design reviews",)
    # The kickoff lists Ana as an attendee and names Bob: one meeting with both.
    assert ana.last_contact == TODAY.replace(day=14) and ana.last_kind == "meeting"
    assert [i.date.day for i in ana.interactions if i.text != "last_contact"] == [14, 12]
    assert bob.last_contact == TODAY.replace(day=14) and bob.last_kind == "meeting"
    assert network.problems == []


def test_memo_recomputes_only_what_changed_and_agrees_with_a_fresh_build(vault):
    from vaultnet.files.config import load_config
    from vaultnet.output.report import status_json
    from vaultnet.pipeline.session import Session
    from vaultnet.standings.network import AssemblyMemo, assemble

    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n- 2026-11-01 #call\n")
    write(vault, "People/Bob.md", "---\ncircle: close\n---\n")
    write(vault, "2026-11-10.md", "- lunch with [[Bob]]\n")
    config = load_config(vault)
    memo = AssemblyMemo()
    notes = Session(config).notes
    notes.scan()
    first = assemble(config, TODAY, *notes.contents(), memo=memo)
    again = assemble(config, TODAY, *notes.contents(), memo=memo)
    assert all(a is b for a, b in zip(first.standings, again.standings, strict=True))  # nothing recomputed

    write(vault, "2026-11-12.md", "- call with [[Ana]] #call\n")
    notes.update("2026-11-12.md")
    changed = assemble(config, TODAY, *notes.contents(), memo=memo)
    assert standing(changed, "Bob") is standing(again, "Bob")  # untouched
    assert standing(changed, "Ana").last_contact == TODAY.replace(day=12)
    fresh = assemble(config, TODAY, *notes.contents())
    assert status_json(changed, changed.standings) == status_json(fresh, fresh.standings)

    write(vault, "People/Bob.md", "---\ncircle: close\naliases: [Robert]\n---\n")  # names change: re-resolve all
    write(vault, "2026-11-13.md", "- [[Robert]] again\n")
    notes.scan()
    renamed = assemble(config, TODAY, *notes.contents(), memo=memo)
    fresh = assemble(config, TODAY, *notes.contents())
    assert standing(renamed, "Bob").last_contact == TODAY.replace(day=13)
    assert status_json(renamed, renamed.standings) == status_json(fresh, fresh.standings)


def test_a_note_s_evidence_is_kept_only_for_the_same_note_names_and_owner(vault):
    """The memo takes a note's evidence as it was only while the note, what it reads of everyone (the names
    token) and its owner are the objects it was worked out for: a note's own log lines are its owner's."""
    import dataclasses

    from vaultnet.evidence.interactions import Extractor
    from vaultnet.files.config import load_config
    from vaultnet.pipeline.session import Session

    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n- 2026-11-01 #call\n")
    write(vault, "People/Bob.md", "---\ncircle: close\n---\n")
    session = Session(load_config(vault))
    network = session.network(TODAY)
    memo, rel = session.memo, "People/Ana.md"
    note, names, owner, found, _ = memo.evidence[rel]
    extractor = Extractor(network.config, network.directory)
    again = memo.notes_evidence([note], {rel: owner}, names, extractor, None, "vaultnet/").by_note
    assert again[rel] is found
    token = object()  # what notes read of people changed
    renamed = memo.notes_evidence([note], {rel: owner}, token, extractor, None, "vaultnet/").by_note
    assert renamed[rel] is not found and renamed[rel] == found
    other = dataclasses.replace(owner, path="People/Other.md")
    moved = memo.notes_evidence([note], {rel: other}, token, extractor, None, "vaultnet/").by_note
    assert moved[rel] is not renamed[rel] and moved[rel].interactions[0].people == ("People/Other.md",)


def test_changed_places_are_told_by_identity_with_the_same_things_in_the_same_order():
    from vaultnet.base.identity import changed_places, same_objects

    a, b, c, b2 = ["a"], ["b"], ["c"], ["b"]
    first = lambda item: item[0]  # noqa: E731
    assert changed_places([a, b, c], [a, b2, c], first, 5) == [1]  # equal, but another object
    assert changed_places([a, b, c], [a, b, c], first, 5) == []
    assert changed_places([a, b, c], [a, c, b], first, 5) is None  # other things in those places
    assert changed_places([a, b, c], [a, b], first, 5) is None
    assert changed_places([a, b, c], [["x"], ["y"], c], lambda item: 0, 1) is None  # more than the most
    assert same_objects([a, b], [a, b]) and not same_objects([a, b], [a, b2]) and not same_objects([a], [a, b])
