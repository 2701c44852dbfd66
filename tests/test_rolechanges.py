import datetime as dt
import json

import pytest
from click.testing import CliRunner
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from vaultnet.advice.plan import build_plan
from vaultnet.advice.rolechanges import (
    WINDOW_DAYS,
    Memory,
    Observer,
    RoleChange,
    congratulations,
    observe,
    report,
)
from vaultnet.cli.main import main
from vaultnet.evidence.contacts import Contact
from vaultnet.files.config import load_config
from vaultnet.output.memory import load, save

MEMORY = "vaultnet/Company and role changes.md"


def seen_first(vault) -> str:
    return load(load_config(vault)).changes[0].seen.isoformat()

from conftest import TODAY, examples, write

DAY = dt.date(2026, 11, 10)


def ana(role: str, company: str = "Acme") -> Contact:
    return Contact("Ana", "People/Ana.md", fields={"company": company, "role": role})


def test_the_first_look_remembers_without_changes():
    memory = observe(None, [ana("Designer")], DAY)
    assert memory.changes == () and memory.seen == {"People/Ana.md": {"company": "Acme", "role": "Designer"}}


def test_a_change_seen_twice_keeps_the_first_day():
    memory = observe(observe(None, [ana("Designer")], DAY), [ana("Head of Design")], DAY)
    expected = (RoleChange("People/Ana.md", "role", "Designer", "Head of Design", DAY),)
    assert memory.changes == expected
    again = observe(memory, [ana("Head of Design")], DAY + dt.timedelta(days=3))
    assert again.changes == expected
    # an import reporting the same new value later is the same change
    assert report(again, [("People/Ana.md", "role", "Designer", "head of design")], DAY + dt.timedelta(days=4)).changes == expected


def test_case_spacing_and_filled_in_values_are_no_change():
    start = observe(None, [Contact("Ana", "People/Ana.md", fields={"role": "Designer"})], DAY)
    assert observe(start, [ana("designer  ")], DAY).changes == ()  # company filled in, role same


def test_memory_round_trips_and_a_broken_file_starts_again(vault, caplog):
    config = load_config(vault)
    memory = observe(observe(None, [ana("Designer")], DAY), [ana("Head of Design")], DAY)
    assert save(config, memory) is not None
    assert save(config, memory) is None  # unchanged: not written again
    assert load(config) == memory
    text = (vault / MEMORY).read_text(encoding="utf-8")
    (vault / MEMORY).write_text(text.replace('"format": 1', '{not json'), encoding="utf-8")
    assert load(config) is None and "cannot be read" in caplog.text


def standings(vault, load_network, today, *log):
    write(vault, "People/Ana.md", "---\ncompany: Acme\nrole: Head of Design\n---\n" + "".join(f"- {line}\n" for line in log))
    return load_network(today).standings


@pytest.mark.parametrize(("days", "shown"), [(0, True), (WINDOW_DAYS - 1, True), (WINDOW_DAYS, False)])
def test_congratulate_for_fourteen_days(vault, load, days, shown):
    memory = Memory({}, (RoleChange("People/Ana.md", "role", "Designer", "Head of Design", DAY),))
    found = congratulations(memory, standings(vault, load, DAY + dt.timedelta(days=days)), DAY + dt.timedelta(days=days))
    assert bool(found) is shown
    if shown:
        assert found[0].text() == "Ana is now Head of Design at Acme: send a thoughtful note"


def test_no_congratulation_once_in_touch_since(vault, load):
    memory = Memory({}, (RoleChange("People/Ana.md", "company", "Acme", "Globex", DAY),))
    today = DAY + dt.timedelta(days=5)
    assert congratulations(memory, standings(vault, load, today, "2026-11-09 #call before"), today)[0].text() == (
        "Ana is now at Globex as Head of Design: send a thoughtful note")
    assert congratulations(memory, standings(vault, load, today, "2026-11-10 #call that day"), today) == []


def run(vault, *args, today="2026-11-21"):
    return CliRunner().invoke(main, ["--vault", str(vault), "--today", today, *args])


def test_an_edited_role_becomes_a_congratulate_item(vault):
    write(vault, "People/Ana.md", "---\ncircle: network\ncompany: Acme\nrole: Designer\n---\n- 2026-10-01 #call hi\n")
    assert run(vault, "build", today="2026-11-18").exit_code == 0
    write(vault, "People/Ana.md", "---\ncircle: network\ncompany: Acme\nrole: Head of Design\n---\n- 2026-10-01 #call hi\n")
    before = (vault / MEMORY).read_bytes()
    items = json.loads(run(vault, "plan", "--json", today="2026-11-19").stdout)["items"]
    assert (vault / MEMORY).read_bytes() == before  # read-only commands remember nothing
    assert [i["text"] for i in items if i["section"] == "congratulate"] == [
        "Ana is now Head of Design at Acme: send a thoughtful note"]
    assert run(vault, "build", today="2026-11-19").exit_code == 0
    plan = (vault / "vaultnet/Plans/2026-W47.md").read_text(encoding="utf-8")
    assert "## Congratulate\n\n- [ ] [[Ana]] — Ana is now Head of Design at Acme: send a thoughtful note ^vn-" in plan
    assert seen_first(vault) == "2026-11-19"
    assert run(vault, "build", today="2026-11-21").exit_code == 0  # seen again: still the first day
    assert seen_first(vault) == "2026-11-19"


def test_build_plan_without_memory_has_no_congratulations(vault, load):
    write(vault, "People/Ana.md", "---\nrole: x\n---\n")
    assert build_plan(load(), TODAY).section("congratulate") == []


def test_what_is_remembered_as_it_was_is_kept_and_never_changed():
    """A watcher observes ten thousand contacts at every build: an unchanged one keeps the values it had
    (not a copy), and a new memory never changes the one it was made from."""
    memory = observe(None, [ana("Designer"), Contact("Bo", "People/Bo.md", fields={"role": "CTO"})], DAY)
    again = observe(memory, [ana("Designer"), Contact("Bo", "People/Bo.md", fields={"role": "CEO"})], DAY)
    assert again.seen["People/Ana.md"] is memory.seen["People/Ana.md"]
    assert again.seen["People/Bo.md"] == {"role": "CEO"} and memory.seen["People/Bo.md"] == {"role": "CTO"}
    filled = observe(again, [ana("Designer", company="Acme")], DAY)  # the same values: kept
    assert filled.seen["People/Ana.md"] is memory.seen["People/Ana.md"]


def test_the_memory_note_is_parsed_again_only_when_its_bytes_change(vault):
    config = load_config(vault)
    assert save(config, observe(None, [ana("Designer")], DAY)) is not None
    first = load(config)
    assert first is not None and load(config) is first
    assert save(config, observe(first, [ana("CTO")], DAY)) is not None
    assert load(config) is not first and load(config).seen["People/Ana.md"]["role"] == "CTO"


def test_contacts_no_longer_in_the_vault_are_forgotten():
    memory = observe(None, [ana("Designer"), Contact("Bo", "People/Bo.md", fields={"role": "CTO"})], DAY)
    assert set(observe(memory, [ana("Designer")], DAY).seen) == {"People/Ana.md"}


class RoleHistory(RuleBasedStateMachine):
    """Whatever the edits, memory matches the note, and a change keeps the day it was first seen."""

    def __init__(self) -> None:
        super().__init__()
        self.day = DAY
        self.role = "Designer"
        self.memory = observe(None, [ana(self.role)], self.day)
        self.first_seen: dict[str, dt.date] = {}

    @rule(role=st.sampled_from(["Designer", "designer", "Head of Design", "CTO", "cto "]), days=st.integers(0, 20))
    def edit_and_look(self, role: str, days: int) -> None:
        self.day += dt.timedelta(days=days)
        changed = role.strip().casefold() != self.role.strip().casefold()
        before = len(self.memory.changes)
        self.memory = observe(self.memory, [ana(role)], self.day)
        new = " ".join(role.casefold().split())
        if changed and new not in self.first_seen:
            self.first_seen[new] = self.day
            assert len(self.memory.changes) == before + 1
        elif not changed:
            assert len(self.memory.changes) == before
        self.role = role

    @invariant()
    def memory_matches_the_note_and_days_never_move(self) -> None:
        assert self.memory.seen["People/Ana.md"]["role"] == self.role
        for change in self.memory.changes:
            assert change.seen == self.first_seen[" ".join(change.new.casefold().split())]


RoleHistory.TestCase.settings = settings(max_examples=examples(50), stateful_step_count=15)
test_role_history = RoleHistory.TestCase


ROLES = st.sampled_from([None, "", "Designer", "designer ", "CTO"])


def person(number: int, role: str | None, company: str | None) -> Contact:
    return edited(Contact(f"P{number}", f"People/P{number}.md"), role, company)


def edited(contact: Contact, role: str | None, company: str | None) -> Contact:
    """The contact read again: a new object with the same path."""
    fields = {key: value for key, value in (("role", role), ("company", company)) if value is not None}
    return Contact(contact.name, contact.path, fields=fields)


class ObservedAfterEdits(RuleBasedStateMachine):
    """A watcher's memory of roles: seeing only the contacts read again gives what seeing them all gives.

    Each step is a build: some contacts are read again (new objects, their
    values edited or not), the memory given is the one the last build saved,
    or the memory note as a person edited it, and the day may move on.
    """

    def __init__(self) -> None:
        super().__init__()
        self.day = DAY
        self.contacts = [person(n, "Designer", "Acme") for n in range(6)]
        self.observer = Observer()
        self.memory: Memory | None = None

    def _look(self) -> None:
        expected = observe(self.memory, self.contacts, self.day)
        self.memory = self.observer(self.memory, self.contacts, self.day)
        assert self.memory == expected

    @rule(edits=st.lists(st.tuples(st.integers(0, 5), ROLES, ROLES), max_size=3))
    def read_again(self, edits: list[tuple[int, str | None, str | None]]) -> None:
        for place, role, company in edits:
            place %= len(self.contacts)
            self.contacts[place] = edited(self.contacts[place], role, company)
        self._look()

    @rule()
    def read_again_unchanged(self) -> None:
        self.contacts = [edited(c, c.fields.get("role"), c.fields.get("company")) if n % 2 else c
                         for n, c in enumerate(self.contacts)]
        self._look()

    @rule(number=st.integers(0, 5))
    def memory_note_edited(self, number: int) -> None:
        if self.memory is not None:
            seen = dict(self.memory.seen)
            seen.pop(f"People/P{number}.md", None) or seen.update({f"People/P{number}.md": {"role": "Intern"}})
            self.memory = Memory(seen, self.memory.changes)
        self._look()

    @rule(days=st.integers(1, 400))
    def another_day(self, days: int) -> None:
        self.day += dt.timedelta(days=days)
        self._look()

    @rule()
    def same_path_in_another_form(self) -> None:
        # `People/Zoë.md` twice, composed and decomposed (a copy made on a Mac): each seen in turn, in full
        if not any(c.name == "Zoë" for c in self.contacts):
            self.contacts.append(Contact("Zoë", "People/Zoe\u0308.md", fields={"role": "CTO"}))
            self.contacts.append(Contact("Zoë", "People/Zo\u00eb.md", fields={"role": "Designer"}))
        self._look()

    @rule(number=st.integers(0, 5))
    def contact_gone(self, number: int) -> None:
        if len(self.contacts) > 1:
            del self.contacts[number % len(self.contacts)]
        self._look()


ObservedAfterEdits.TestCase.settings = settings(max_examples=examples(40), stateful_step_count=12)
test_observed_after_edits = ObservedAfterEdits.TestCase


def test_an_observer_sees_again_only_the_contacts_read_again(monkeypatch):
    from vaultnet.advice import rolechanges

    contacts = [person(n, "Designer", "Acme") for n in range(300)]
    observer = Observer()
    memory = observer(None, contacts, DAY)
    contacts[7] = person(7, "CTO", "Acme")
    contacts[9] = person(9, None, None)
    seen: list[str] = []
    see = rolechanges._see
    monkeypatch.setattr(rolechanges, "_see", lambda contact, *rest: seen.append(contact.path) or see(contact, *rest))
    after = observer(memory, contacts, DAY)
    assert seen == ["People/P7.md", "People/P9.md"]
    monkeypatch.undo()
    assert after == observe(memory, contacts, DAY)
    assert [(c.path, c.old, c.new) for c in after.changes] == [("People/P7.md", "Designer", "CTO")]
    assert after.seen["People/P9.md"] == {"role": "Designer", "company": "Acme"}  # emptied: remembered as it was


def test_planning_another_week_dates_a_change_by_today(vault):
    write(vault, "People/Ana.md", "---\ncompany: Acme\nrole: Designer\n---\n")
    assert run(vault, "build", today="2026-11-18").exit_code == 0
    write(vault, "People/Ana.md", "---\ncompany: Acme\nrole: CTO\n---\n")
    assert run(vault, "plan", "--week", "2026-W49", today="2026-11-19").exit_code == 0
    assert seen_first(vault) == "2026-11-19"
