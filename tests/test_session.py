"""The one pipeline: the watcher's incremental path equals a fresh batch build, and each reuse rule holds.

The watcher is driven without threads: its ``process`` step is called with the
paths an event would name.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from vaultnet.files.config import load_config
from vaultnet.output.report import status_json
from vaultnet.pipeline.session import Session
from vaultnet.pipeline.watch import Watcher
from vaultnet.standings.network import AssemblyMemo, assemble

from conftest import TODAY, machine_vault, standing, write

PLAN = "vaultnet/Plans/2026-W47.md"
INDEX = "vaultnet/Network.md"


def watcher_of(root: Path) -> Watcher:
    """A watcher that has built once, as ``start`` does, but with no observer and no thread."""
    watcher = Watcher.for_vault(load_config(root), lambda: TODAY)
    watcher.session.refresh()
    watcher.build()
    return watcher


def settle(watcher: Watcher, paths: set[str]) -> None:
    """Process ``paths`` and whatever the builds put back in the queue (notes edited while building),
    then the build the worker makes once a ticked follow-up's date has settled."""
    for _ in range(5):
        watcher.process(paths)
        paths = watcher.queue.take()
        if not paths:
            break
    for _ in range(3):
        if not watcher.session.pending:
            return
        watcher.build()


def fresh(root: Path) -> tuple[dict[str, str], object, object]:
    """What a batch build from nothing (no cache, no memo) renders, its status facts and standings; writes nothing."""
    session = Session(load_config(root), remember=False)
    session._opened = True  # start from no cache: every note read from disk ...
    session.memo.stored = None  # ... and every note's evidence worked out
    session.refresh()
    builder = session.builder(TODAY, write=False)
    network, plan, rel = builder.prepare_plan()
    notes = {rel: builder.plan_note(plan, rel)[0], INDEX: builder.index_note(network)[0]}
    return notes, status_json(network, network.standings), network.standings


def current(watcher: Watcher) -> tuple[dict[str, str], object, object]:
    root = watcher.config.root
    network = watcher.session.network(TODAY)
    notes = {rel: (root / rel).read_text(encoding="utf-8") for rel in (PLAN, INDEX)}
    return notes, status_json(network, network.standings), network.standings


@pytest.fixture
def people(vault):
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n- 2026-11-01 #call hello\n")
    write(vault, "People/Bob.md", "---\ncircle: close\n---\n")
    write(vault, "2026-11-13.md", "- lunch with [[Robert]]\n")
    return vault


# -- each reuse rule, with a test that fails when it is broken -----------------------------------

# What makes a note a person, or not, that an edit can change in a long-lived session (the conventions it
# concludes are kept while the notes show it the same: evidence/conventions.py, Remembered).
CONCLUSIONS = {
    "a property": ("Notes/Kim.md", "---\ntype: company\n---\n", "---\ntype: person\n---\n", True),
    "a tag in the text": ("Notes/Kim.md", "Met at the fair.\n", "#person met at the fair.\n", True),
    "an inline field": ("Notes/Kim.md", "Met at the fair.\n", "type:: person\nMet at the fair.\n", True),
    # Two meeting notes named "... Kim Lee" make Kim Lee someone with no note, unless the journal writes
    # "lee" in lower case: a dated note's words.
    "a dated note's words": ("2026-11-03.md", "Lunch.\n", "Sailed the lee side, in the lee of the hill.\n", False),
}


@pytest.mark.parametrize("rel, before, after, person", CONCLUSIONS.values(), ids=CONCLUSIONS)
def test_a_long_lived_session_concludes_what_a_fresh_one_does_after_an_edit(people, rel, before, after, person):
    write(people, "Meetings/2026-11-01 Kim Lee.md", "Agenda.\n")
    write(people, "Meetings/2026-11-02 Kim Lee.md", "Agenda.\n")
    write(people, rel, before)
    session = Session(load_config(people))
    first = session.network(TODAY)
    write(people, rel, after)
    session.refresh([rel])
    kept = session.network(TODAY)
    fresh_network = Session(load_config(people), remember=False).network(TODAY)
    assert kept.person_rules == fresh_network.person_rules
    assert kept.conventions == fresh_network.conventions
    who = rel if person else "#Kim Lee"
    assert (who in first.person_rules, who in kept.person_rules) == ((False, True) if person else (True, False)), \
        (first.person_rules, kept.person_rules)




def test_the_watchers_own_writes_are_not_read_again(people, monkeypatch):
    """Rule: what the watcher wrote itself (by its hash) is no change; it is not even read."""
    watcher = watcher_of(people)
    reads: list[str] = []
    real = watcher.session.notes._read
    monkeypatch.setattr(watcher.session.notes, "_read", lambda file: reads.append(file.rel) or real(file))
    assert watcher.process({str(people / PLAN), str(people / INDEX)}) is False
    assert reads == []
    assert watcher.builds == 1
    (people / INDEX).write_text((people / INDEX).read_text() + "my own words\n")  # no longer ours
    watcher.process({str(people / INDEX)})
    assert reads[:1] == [INDEX]


def test_a_name_or_alias_change_resolves_links_in_notes_that_did_not_change(people):
    """Rule: a note's evidence is reused only while every contact's names and aliases stay the same."""
    watcher = watcher_of(people)
    assert standing(watcher.session.network(TODAY), "Bob").last_contact is None
    write(people, "People/Bob.md", "---\ncircle: close\naliases: [Robert]\n---\n")
    settle(watcher, {str(people / "People/Bob.md")})  # the daily note is not named: it did not change
    assert standing(watcher.session.network(TODAY), "Bob").last_contact == dt.date(2026, 11, 13)
    write(people, "People/Bob.md", "---\ncircle: close\n---\n")
    settle(watcher, {str(people / "People/Bob.md")})
    assert standing(watcher.session.network(TODAY), "Bob").last_contact is None
    assert current(watcher) == fresh(people)


def test_problems_are_reported_once_and_never_left_on_cached_notes(vault):
    """Rule: readers return their problems; a parsed note is the same after any number of assemblies."""
    write(vault, "People/Ana.md", "---\ncircle: nowhere\nbirthday: 1990-02-30\n---\n- 2026-13-01 #call\n")
    write(vault, "Meetings/Kickoff.md", "---\ndate: 2026-02-30\nattendees: [\"[[Ana]]\"]\n---\n")
    write(vault, "vaultnet/Plans/2026-W46.md", "- [x] [[Ana]] ✅ 2026-11-12\n")
    config = load_config(vault)
    session = Session(config)
    session.refresh()
    before = {rel: list(entry.note.problems) for rel, entry in session.notes.entries.items() if entry.note}
    counts = []
    for memo in (AssemblyMemo(remember=False), AssemblyMemo(remember=False), session.memo, session.memo):
        network = assemble(config, TODAY, *session.notes.contents(), memo=memo)
        counts.append(len(network.problems))
    after = {rel: list(entry.note.problems) for rel, entry in session.notes.entries.items() if entry.note}
    assert after == before
    assert counts == [5] * 4, counts
    messages = [p.message for p in network.problems]
    assert len(messages) == len(set(messages))


def test_new_people_settings_under_the_watcher_find_what_a_fresh_build_finds(people):
    """Rule: notes are kept across a settings change only while they would be read the same way."""
    write(people, "Notes/Cleo.md", "---\ntype: human\n---\nMet at the fair.\n")  # no link: trimmed
    watcher = watcher_of(people)
    assert "Cleo" not in {s.contact.name for s in watcher.session.network(TODAY).standings}
    write(people, "vaultnet.toml", 'person_values = ["human"]\n')
    settle(watcher, {str(people / "vaultnet.toml")})
    assert "Cleo" in {s.contact.name for s in watcher.session.network(TODAY).standings}
    assert current(watcher) == fresh(people)


def test_settings_that_read_notes_alike_keep_the_notes_read(people, monkeypatch):
    """Rule: a settings change that does not change how notes are read re-reads none of them."""
    for path in people.rglob("*.md"):  # written a minute ago: not read again for being changed just before
        os.utime(path, (time.time() - 60, time.time() - 60))
    watcher = watcher_of(people)
    write(people, "vaultnet.toml", "[plan]\nbudget_minutes = 60\n")
    reads: list[str] = []
    real = Session.refresh

    def counted(self, changed=None):
        real_read = self.notes._read
        self.notes._read = lambda file, *rest: reads.append(file.rel) or real_read(file, *rest)
        return real(self, changed)

    monkeypatch.setattr(Session, "refresh", counted)
    settle(watcher, {str(people / "vaultnet.toml")})
    assert watcher.builds == 2
    assert [rel for rel in reads if not rel.startswith("vaultnet/")] == []  # the new plan is read, as ever
    assert current(watcher) == fresh(people)


@pytest.mark.parametrize("rel", [
    ".obsidian/workspace.json", ".vaultnet/cache/notes.json", ".hidden/Note.md", "People/.Ana.md.swp",
    "People/.#Ana.md", "People/Ana.md~", "People/4913", "People/Ana.md",
])
def test_the_watcher_does_not_rebuild_for_paths_that_change_nothing(people, rel):
    """Rule: hidden folders, ``.vaultnet/``, swap files and unchanged notes are no reason to rebuild."""
    watcher = watcher_of(people)
    path = people / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if rel != "People/Ana.md":  # an event for a note that did not change (e.g. read by an editor)
        path.write_text("- 2026-11-20 [[Ana]] #call\n")
    assert watcher.process({str(path)}) is False
    assert watcher.builds == 1
    write(people, "People/Bob.md", "---\ncircle: inner\n---\n")
    assert watcher.process({str(people / "People/Bob.md")}) is True  # a real edit still rebuilds
    assert watcher.builds == 2


def test_an_edit_works_out_again_only_the_contacts_it_touches(people):
    """The shortcut: standings the changed notes cannot touch are the objects kept; touched ones are current."""
    write(people, "People/Chloé.md", "---\ncircle: close\n---\n")
    write(people, "2026-11-14.md", "- lunch with [[Chloé]] #coffee\n")
    watcher = watcher_of(people)
    before = {s.contact.path: s for s in watcher.session.network(TODAY).standings}

    def edit(rel: str, text: str) -> dict[str, object]:
        write(people, rel, text)
        settle(watcher, {str(people / rel)})
        network = watcher.session.network(TODAY)
        assert current(watcher) == fresh(people)
        return {s.contact.path: s for s in network.standings}

    after = edit("People/Ana.md", "---\ncircle: inner\nfriends: [\"[[Bob]]\"]\n---\n- 2026-11-01 #call hello\n")
    assert after["People/Chloé.md"] is before["People/Chloé.md"]  # untouched: kept
    assert after["People/Bob.md"].neighbours == ("People/Ana.md",)  # a friend of the edited contact
    after = edit("2026-11-14.md", "- lunch with [[Ana]] #coffee\n")  # Chloé drops out of the note
    assert after["People/Chloé.md"].last_contact is None
    assert after["People/Ana.md"].last_contact == dt.date(2026, 11, 14)
    assert after["People/Bob.md"] is not before["People/Bob.md"]


def test_a_line_logged_in_a_person_s_note_keeps_their_contact_and_the_directory(people):
    """A note edited where its contact stays the same keeps the contact object, so the directory of ten thousand
    people (and what depends on a contact alone) is not made again; a changed contact makes both anew."""
    write(people, "People/Chloé.md", "---\ncircle: close\nfriends: [\"[[Ana]]\"]\n---\n")
    watcher = watcher_of(people)

    def edit(text: str) -> tuple[object, object, dict[str, object]]:
        write(people, "People/Ana.md", text)
        settle(watcher, {str(people / "People/Ana.md")})
        network = watcher.session.network(TODAY)
        assert current(watcher) == fresh(people)
        return standing(network, "Ana").contact, network.directory, {s.contact.path: s for s in network.standings}

    network = watcher.session.network(TODAY)
    ana, directory = standing(network, "Ana").contact, network.directory
    chloe = standing(network, "Chloé")
    again, same_directory, after = edit("---\ncircle: inner\n---\n- 2026-11-01 #call hello\n- 2026-11-20 #coffee\n")
    assert again is ana and same_directory is directory
    assert after["People/Ana.md"].last_contact == dt.date(2026, 11, 20)
    assert after["People/Chloé.md"] is chloe  # her friend's contact did not change: her standing is kept
    again, other_directory, _ = edit("---\ncircle: inner\naliases: [Annie]\n---\n- 2026-11-20 #coffee\n")
    assert again is not ana and again.aliases == ("Annie",) and other_directory is not directory


def test_an_edit_regroups_the_neighbours_of_the_people_it_touches_with_their_other_groups(people):
    """Only the touched contacts' neighbours are worked out again, from every group they are in (not only the edited one)."""
    write(people, "People/Chloé.md", "---\ncircle: close\n---\nKnows [[Dev]].\n")
    write(people, "People/Dev.md", "---\ncircle: close\n---\n")
    write(people, "People/Eve.md", "---\ncircle: close\n---\nWorks with [[Ana]].\n")  # links Ana from Eve's note
    write(people, "2026-11-10.md", "- dinner with [[Ana]] and [[Bob]]\n- walk with [[Bob]] and [[Chloé]]\n")
    watcher = watcher_of(people)
    write(people, "2026-11-15.md", "- call with [[Ana]] and [[Chloé]] #call\n")
    settle(watcher, {str(people / "2026-11-15.md")})
    after = {s.contact.path: s for s in watcher.session.network(TODAY).standings}
    assert after["People/Ana.md"].neighbours == ("People/Bob.md", "People/Chloé.md", "People/Eve.md")
    assert after["People/Chloé.md"].neighbours == ("People/Ana.md", "People/Bob.md", "People/Dev.md")
    assert current(watcher) == fresh(people)


# -- the incremental path equals a fresh batch build, whatever the edits -----------------------

NAMES = ("Ana", "Bob", "Chloé", "Dev")
DAYS = ("2026-11-02", "2026-11-09", "2026-11-16", "2026-11-20")
CIRCLES = ("inner", "close", "")
PHRASES = ("design", "designers", "tax law", "chess")


def test_opting_out_of_journal_mentions_counts_again_in_notes_that_did_not_change(people):
    """Rule: a note's evidence is reused only while what it reads of other people stays the same;
    ``prm-ignore-journal`` is one such thing: a dated note's line that links Ana stops counting."""
    write(people, "2026-11-14.md", "- lunch with [[Ana]]\n")
    watcher = watcher_of(people)
    assert standing(watcher.session.network(TODAY), "Ana").last_contact == dt.date(2026, 11, 14)
    write(people, "People/Ana.md", "---\ncircle: inner\nprm-ignore-journal: true\n---\n- 2026-11-01 #call hello\n")
    settle(watcher, {str(people / "People/Ana.md")})
    assert standing(watcher.session.network(TODAY), "Ana").last_contact == dt.date(2026, 11, 1)
    assert current(watcher) == fresh(people)


def test_a_daily_format_read_off_new_names_dates_the_notes_that_did_not_change(people):
    """Rule: a note's evidence is reused only under the same settings, with what was concluded about the
    vault in them: the third note named ``DD.MM.YYYY`` makes that the daily format, and the first two count."""
    write(people, "13.10.2026.md", "- lunch with [[Bob]]\n")
    write(people, "14.09.2026.md", "- lunch with [[Bob]]\n")
    watcher = watcher_of(people)
    assert standing(watcher.session.network(TODAY), "Bob").last_contact is None
    write(people, "15.08.2026.md", "- lunch with [[Bob]]\n")
    settle(watcher, {str(people / "15.08.2026.md")})
    assert standing(watcher.session.network(TODAY), "Bob").last_contact == dt.date(2026, 10, 13)
    assert current(watcher) == fresh(people)


class WatchedVault(RuleBasedStateMachine):
    """A state machine's vault, holding ``NOTES``, and one long-lived watcher session of it."""

    PREFIX = "vaultnet-session-"
    NOTES: dict[str, str] = {}

    def __init__(self) -> None:
        super().__init__()
        self.base, self.root = machine_vault(self.PREFIX, self.NOTES)
        self.watcher = watcher_of(self.root)

    def teardown(self) -> None:
        shutil.rmtree(self.base, ignore_errors=True)


class IncrementalEqualsFresh(WatchedVault):
    """Random edits under one long-lived watcher session; after each, its notes equal a fresh build's."""

    NOTES = {
        "People/Ana.md": "---\ncircle: inner\noffers: [design]\n---\n- 2026-10-01 #call hello\n",
        "People/Bob.md": "---\ncircle: close\nneeds: [designers]\n---\n",
        "2026-11-02.md": "- [ ] ask [[Bob]] about Lyon 📅 2026-11-20\n",
    }

    def contact(self, name: str) -> Path:
        return self.root / "People" / f"{name}.md"

    def touch(self, *paths: Path) -> None:
        settle(self.watcher, {str(path) for path in paths})

    @rule(name=st.sampled_from(NAMES), circle=st.sampled_from(CIRCLES),
          aliases=st.lists(st.sampled_from(("Bobby", "Dee", "Ann")), max_size=1),
          friends=st.lists(st.sampled_from(NAMES), max_size=2),
          needs=st.lists(st.sampled_from(PHRASES), max_size=2), offers=st.lists(st.sampled_from(PHRASES), max_size=2),
          interests=st.lists(st.sampled_from(PHRASES), max_size=1), company=st.sampled_from(("", "Acme")),
          unjournaled=st.booleans())
    def add_or_edit_contact(self, name: str, circle: str, aliases: list[str], friends: list[str],
                            needs: list[str], offers: list[str], interests: list[str], company: str,
                            unjournaled: bool) -> None:
        """With needs, offers, interests and a company: the introductions the plan keeps phrases for;
        ``prm-ignore-journal``: what the daily notes' lines count for changes with no edit of theirs."""
        lines = [f"circle: {circle}"] if circle else []
        if unjournaled:
            lines.append("prm-ignore-journal: true")
        for key, values in (("needs", needs), ("offers", offers), ("interests", interests)):
            if values:
                lines.append(f"{key}: [{', '.join(values)}]")
        if company:
            lines.append(f"company: {company}")
        if aliases:
            lines.append(f"aliases: [{', '.join(aliases)}]")
        if friends:
            lines.append("friends: [" + ", ".join(f'"[[{friend}]]"' for friend in friends) + "]")
        path = self.contact(name)
        write(self.root, f"People/{name}.md", "---\n" + "\n".join(lines) + "\n---\n")
        self.touch(path)

    @rule(name=st.sampled_from(NAMES), day=st.sampled_from(DAYS), kind=st.sampled_from(("#call", "#coffee", "#got advice", "")))
    def log_in_contact(self, name: str, day: str, kind: str) -> None:
        path = self.contact(name)
        if path.exists():
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(f"- {day} {kind} talked\n")
            self.touch(path)

    @rule(name=st.sampled_from(NAMES))
    def delete_contact(self, name: str) -> None:
        path = self.contact(name)
        if path.exists():
            path.unlink()
            self.touch(path)

    @rule(old=st.sampled_from(NAMES), new=st.sampled_from(NAMES))
    def rename_contact(self, old: str, new: str) -> None:
        source, target = self.contact(old), self.contact(new)
        if source.exists() and not target.exists():
            source.rename(target)
            self.touch(source, target)

    @rule(day=st.sampled_from(DAYS), names=st.lists(st.sampled_from((*NAMES, "Bobby", "Dee")), min_size=1, max_size=3),
          task=st.booleans(), replace=st.booleans(), dotted=st.booleans())
    def daily_note(self, day: str, names: list[str], task: bool, replace: bool, dotted: bool) -> None:
        """``dotted``: named ``16.11.2026``; once most daily notes are, that is the daily format and every
        such note, edited or not, is dated by its name."""
        links = " and ".join(f"[[{name}]]" for name in names)
        line = f"- [ ] call {links} 📅 2026-11-25" if task else f"- lunch with {links} #coffee"
        path = self.daily(day, dotted)
        with open(path, "w" if replace else "a", encoding="utf-8") as handle:  # replace: people drop out
            handle.write(line + "\n")
        self.touch(path)

    def daily(self, day: str, dotted: bool) -> Path:
        return self.root / (".".join(reversed(day.split("-"))) + ".md" if dotted else f"{day}.md")

    @rule(day=st.sampled_from(DAYS), dotted=st.booleans())
    def delete_daily_note(self, day: str, dotted: bool) -> None:
        path = self.daily(day, dotted)
        if path.exists():
            path.unlink()
            self.touch(path)

    @precondition(lambda self: "- [ ]" in (self.root / PLAN).read_text(encoding="utf-8"))
    @rule()
    def tick_in_the_plan(self) -> None:
        path = self.root / PLAN
        path.write_text(path.read_text(encoding="utf-8").replace("- [ ]", "- [x]", 1), encoding="utf-8")
        self.touch(path)

    @invariant()
    def equals_a_fresh_build(self) -> None:
        assert current(self.watcher) == fresh(self.root)


TestIncrementalEqualsFresh = pytest.mark.usefixtures("settle_quickly")(IncrementalEqualsFresh.TestCase)
TestIncrementalEqualsFresh.settings = settings(
    max_examples=12, stateful_step_count=6, deadline=None, suppress_health_check=list(HealthCheck),
)


def network_facts(network: object) -> tuple[object, ...]:
    """What an assembly works out, field by field (the directory and notes are the objects it was given)."""
    return (network.standings, network.evidence, [str(problem) for problem in network.problems],  # type: ignore[attr-defined]
            list(network.rules.items()), network.person_rules, network.relatives, network.gifts,  # type: ignore[attr-defined]
            network.conventions, [contact.path for contact in network.directory.contacts])  # type: ignore[attr-defined]


def read_every_note(root: Path) -> tuple[object, ...]:
    session = Session(load_config(root), remember=False)
    session._opened = True  # no cache, no evidence store: every note read and worked out
    session.memo.stored = None
    session.refresh()
    return network_facts(session.network(TODAY))


def test_a_watcher_s_assembly_goes_over_only_the_notes_that_changed(people):
    """A line logged in a person's note, or in a daily note, patches the last assembly's passes over the notes
    (the sync copies, who is a person, each note's evidence): the same result as reading every note."""
    write(people, "2026-11-02.md", "- lunch with [[Ana]] #coffee\n")
    write(people, "Notes/Topic 2.md", "- [x] old\n")  # a copy's name, with no original
    watcher = watcher_of(people)
    watcher.build()  # the first build read the vault without the notes it wrote
    memo = watcher.session.memo
    kept_people, kept_found = memo._people, memo._found
    assert kept_people is not None and kept_found is not None
    for rel, line in (("People/Ana.md", "- 2026-11-20 #call again\n"), ("2026-11-02.md", "- met [[Bob]] too\n")):
        with open(people / rel, "a", encoding="utf-8") as handle:
            handle.write(line)
        settle(watcher, {str(people / rel)})
        assert memo._people.involved is kept_people.involved  # patched, not read again
        assert memo._found.read is kept_found.read
        assert network_facts(watcher.session.network(TODAY)) == read_every_note(people)
    assert standing(watcher.session.network(TODAY), "Bob").last_contact == dt.date(2026, 11, 2)
    write(people, "People/Dee.md", "---\ncircle: close\n---\n")  # a new note: every note read again
    settle(watcher, {str(people / "People/Dee.md")})
    assert memo._people.involved is not kept_people.involved
    assert network_facts(watcher.session.network(TODAY)) == read_every_note(people)


def test_a_patched_assembly_says_each_note_s_problems_as_reading_it_would(people):
    """The problems a changed note holds (its contact's, its lines') are the ones reading every note finds:
    patched when the note had some (and after, as none), read again with every note when it never had any."""
    ok = "---\ncircle: inner\n---\n- 2026-11-01 #call fine\n"
    write(people, "People/Ana.md", ok + "- 2026-02-30 #call a day that is not\n")
    write(people, "People/Bob.md", "---\ncircle: close\n---\n- 2026-11-01 #call\n")
    write(people, "People/Dee.md", "---\ncircle: close\ncadence: sometimes\n---\n- 2026-11-02 #call\n")
    watcher = watcher_of(people)
    watcher.build()
    memo = watcher.session.memo
    edits = [("People/Ana.md", ok + "- 2026-02-31 #call still not\n", True),
             ("People/Ana.md", ok + "- 2026-02-28 #call mended\n", True),
             ("People/Ana.md", ok + "- 2026-02-29 #call not in 2026\n", True),
             ("People/Dee.md", "---\ncircle: close\ncadence: often\n---\n- 2026-11-02 #call\n", True),
             ("People/Dee.md", "---\ncircle: close\ncadence: 2w\n---\n- 2026-11-02 #call\n", True),
             ("People/Bob.md", "---\ncircle: close\n---\n- 2026-11-01 #call\n- 2026-13-01 #call\n", False)]
    for rel, text, patched in edits:
        kept_people, kept_found = memo._people, memo._found
        write(people, rel, text)
        settle(watcher, {str(people / rel)})
        assert (memo._people.involved is kept_people.involved and memo._found.read is kept_found.read) is patched
        facts = network_facts(watcher.session.network(TODAY))
        assert facts == read_every_note(people)
    said = "\n".join(facts[2])
    assert "Ana.md:5: impossible date '2026-02-29'" in said and "Bob.md:5" in said and "Dee.md" not in said


class PatchedEqualsRead(WatchedVault):
    """Random edits under one watcher session: its assembly, patched for the notes that changed where it
    can be, always equals one that reads every note. The edits reach what a patch must notice: a note's
    problems, who is a person and by which rule, sync copies and their originals, templates, evidence that
    starts or stops, owners' names."""

    PREFIX = "vaultnet-patch-"
    NOTES = {
        "People/Ana.md": "---\ncircle: inner\n---\n- 2026-10-01 #call hello\n",
        "People/Bob.md": "---\ncircle: close\n---\n",
        "Notes/Bob 2.md": "- 2026-11-03 #coffee with [[Ana]]\n",
        "2026-11-02.md": "- lunch with [[Bob]]\n",
    }

    def touch(self, rel: str) -> None:
        settle(self.watcher, {str(self.root / rel)})

    @rule(rel=st.sampled_from(("People/Ana.md", "People/Bob.md", "Notes/Bob.md", "Notes/Bob 2.md", "2026-11-02.md",
                               "Notes/Plain.md")),
          line=st.sampled_from(("- 2026-11-20 #call talked", "- lunch with [[Ana]] and [[Bob]]", "plain words",
                                "- [ ] ask [[Bob]] 📅 2026-11-25", "{{title}}", "- 2026-02-30 #call a day that is not",
                                "")))
    def append(self, rel: str, line: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
        self.touch(rel)

    @rule(rel=st.sampled_from(("People/Ana.md", "People/Bob.md", "Notes/Bob.md", "Notes/Plain.md")),
          front=st.sampled_from(("circle: inner", "circle: close", "type: person", "tags: [person]", "aliases: [Bee]",
                                 "name: [unclosed", "title: x", "")))
    def front_matter(self, rel: str, front: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        body = path.read_text(encoding="utf-8").split("---\n")[-1] if path.exists() else ""
        path.write_text(f"---\n{front}\n---\n{body}", encoding="utf-8")
        self.touch(rel)

    @rule(rel=st.sampled_from(("People/Bob.md", "Notes/Bob.md", "Notes/Bob 2.md", "Notes/Plain.md")))
    def delete(self, rel: str) -> None:
        if (self.root / rel).exists():
            (self.root / rel).unlink()
            self.touch(rel)

    @invariant()
    def equals_reading_every_note(self) -> None:
        assert network_facts(self.watcher.session.network(TODAY)) == read_every_note(self.root)


TestPatchedEqualsRead = pytest.mark.usefixtures("settle_quickly")(PatchedEqualsRead.TestCase)
TestPatchedEqualsRead.settings = settings(
    max_examples=25, stateful_step_count=8, deadline=None, suppress_health_check=list(HealthCheck),
)


# -- progress on long work --------------------------------------------------------------------


def test_a_cold_build_reports_its_progress_to_the_callback(people):
    seen: list[tuple[str, int, int]] = []
    Session(load_config(people), remember=False, progress=lambda *step: seen.append(step)).build(TODAY)
    assert ("reading notes", 3, 3) in seen and seen[-1] == ("building", 1, 1)
    seen.clear()
    Session(load_config(people), remember=False, progress=lambda *step: seen.append(step)).build(TODAY)
    assert seen == []  # warm: one walk and nothing else


def test_progress_is_drawn_only_on_a_terminal_and_only_once_the_work_is_slow(monkeypatch):
    from vaultnet.cli import progress as progress_module

    now = [0.0]
    bar = progress_module.TerminalProgress(clock=lambda: now[0])
    bar("reading notes", 10, 100)
    assert bar.bar is None  # under a second: nothing drawn
    now[0] = 1.5
    bar("reading notes", 20, 100)
    assert bar.bar is not None and bar.bar.tasks[0].completed == 20
    bar.close()
    monkeypatch.setattr(progress_module.sys.stderr, "isatty", lambda: True, raising=False)
    with progress_module.terminal_progress(quiet=True) as callback:
        assert callback is None  # -q
    with progress_module.terminal_progress(quiet=False) as callback:
        assert callback is not None
    monkeypatch.setattr(progress_module.sys.stderr, "isatty", lambda: False, raising=False)
    with progress_module.terminal_progress(quiet=False) as callback:
        assert callback is None  # a pipe


def test_the_cli_shows_no_progress_in_a_pipe(people):
    from click.testing import CliRunner

    from vaultnet.cli.main import main

    result = CliRunner().invoke(main, ["--vault", str(people), "--today", "2026-11-21", "build"])
    assert result.exit_code == 0 and "reading notes" not in result.output


def test_a_plan_rendered_as_it_was_read_works_from_the_network_its_reads_share(people):
    """Rule: a note's bytes standing in for the same note as read stand in for nothing. ``plan --stdout`` in a
    watcher renders from the network ``status`` worked out, not a second one assembled from the same notes."""
    watcher = watcher_of(people)
    network = watcher.session.network(TODAY)
    assert watcher.session.builder(TODAY, write=False).prepare_plan()[0] is network


def test_a_plan_that_says_something_else_than_its_note_as_read_still_counts(people):
    """The rule's other side: a tick not yet dated is dated in memory, and the plan so stamped counts at once."""
    watcher_of(people)  # the plan built, as a watcher would have it
    plan = (people / PLAN).read_text(encoding="utf-8")
    line = next(line for line in plan.splitlines() if line.startswith("- [ ]") and "Bob" in line)
    (people / PLAN).write_text(plan.replace(line, line.replace("- [ ]", "- [x]", 1)), encoding="utf-8")
    session = Session(load_config(people), remember=False)  # a command's: it reads the ticked plan
    assert standing(session.network(TODAY), "Bob").last_contact is None  # a tick without a date counts for nothing
    counted = session.builder(TODAY, write=False).prepare_plan()[0]
    assert standing(counted, "Bob").last_contact == TODAY
    assert status_json(counted, counted.standings) == fresh(people)[1]


def test_lines_moved_in_a_plan_move_its_ticks_in_what_the_watcher_answers_with(people):
    """Rule: what is kept until a note changes is let go when vaultnet's own note is read with other bytes,
    even with the same ticks (its digest): a tick's line number is in every answer that shows it."""
    watcher = watcher_of(people)
    plan = (people / PLAN).read_text(encoding="utf-8")
    line = next(line for line in plan.splitlines() if line.startswith("- [ ]") and "Bob" in line)
    (people / PLAN).write_text(plan.replace(line, line.replace("- [ ]", "- [x]", 1) + " ✅ 2026-11-21"),
                               encoding="utf-8")
    settle(watcher, {str(people / PLAN)})

    def ticks(network):
        return [(item.path, item.line) for item in network.evidence.interactions if item.source == "plan"]

    before = ticks(watcher.session.network(TODAY))
    assert before and before == ticks(Session(load_config(people), remember=False).network(TODAY))
    moved = (people / PLAN).read_text(encoding="utf-8").replace(line.replace("- [ ]", "- [x]", 1),
                                                                "my own line\n" + line.replace("- [ ]", "- [x]", 1))
    (people / PLAN).write_text(moved, encoding="utf-8")
    watcher.process({str(people / PLAN)})
    after = ticks(watcher.session.network(TODAY))
    assert after == ticks(Session(load_config(people), remember=False).network(TODAY)) != before
