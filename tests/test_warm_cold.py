"""Warm equals cold: whatever happened since, a build that uses the cache writes what one without it writes."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from vaultnet.base.dates import iso_week
from vaultnet.files.config import load_config
from vaultnet.files.generated import plan_rel
from vaultnet.pipeline.session import Session, as_built, build_vault

from conftest import examples, machine_vault, write

TODAY = dt.date(2026, 11, 21)
NOTES = {
    "People/Ana.md": "---\ncircle: inner\n---\n## Log\n- 2026-10-01 #call talked about *the launch*\n"
                     "- 2026-11-10 #got feedback on my deck\n- [ ] send Ana the notes 📅 2026-11-18\n",
    "People/Bob.md": "---\ncircle: close\n---\n## Log\n- 2026-09-01 #coffee long chat\n",
    "People/Chloé.md": "---\ncircle: inner\nbirthday: 1990-11-19\n---\n",
    "2026-11-02.md": "> [!note] Met [[Bob]] at the fair\n- [ ] ask [[Chloé]] about Lyon [due:: 2026-11-20]\n",
}
ITEM = re.compile(r"^- \[(?P<state>.)\] .*$", re.MULTILINE)
DATES = ["", " ✅ 2026-11-20", " [completion:: 2026-11-20]", " (completion:: 2026-11-19T08:00)", " and more words"]


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.md"))
            if ".vaultnet" not in p.parts}


class WeeklyLoop(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.base, self.root = machine_vault("vaultnet-loop-", NOTES)
        self.today = TODAY
        self.config = load_config(self.root)
        self.rounds = 0
        build_vault(self.config, self.today)

    def teardown(self) -> None:
        shutil.rmtree(self.base, ignore_errors=True)

    @property
    def plan(self) -> Path:
        return self.root / plan_rel(self.config, iso_week(self.today))

    def _lines(self, state: str) -> list[str]:
        text = self.plan.read_text(encoding="utf-8") if self.plan.exists() else ""
        return [m.group(0) for m in ITEM.finditer(text) if (m.group("state") == " ") == (state == " ")]

    def _replace(self, old: str, new: str) -> None:
        text = self.plan.read_text(encoding="utf-8")
        self.plan.write_text(text.replace(old, new, 1), encoding="utf-8")

    @rule()
    def build(self) -> None:
        build_vault(self.config, self.today)
        assert as_built(self.config, self.today, plan_rel(self.config, iso_week(self.today))) is not None

    @invariant()
    def the_plan_as_built_is_the_plan_worked_out(self) -> None:
        """``plan --stdout`` prints the built note only while it is what working the plan out again gives."""
        rel = plan_rel(self.config, iso_week(self.today))
        found = as_built(self.config, self.today, rel)
        if found is not None:
            builder = Session(self.config, remember=False).builder(self.today, write=False)
            network, plan, rel = builder.prepare_plan()
            assert found.text == builder.plan_note(plan, rel)[0]
            assert (found.contacts, found.problems) == (len(network.standings), len(network.problems))

    @rule(pick=st.integers(0, 20), date=st.sampled_from(DATES), at_end=st.booleans())
    def tick(self, pick: int, date: str, at_end: bool) -> None:
        lines = self._lines(" ")
        if lines:
            line = lines[pick % len(lines)]
            ticked = line.replace("- [ ]", "- [x]", 1)
            if date:
                ticked = ticked + date if at_end else re.sub(r" \^vn-", date + " ^vn-", ticked, count=1)
            self._replace(line, ticked)

    @rule(pick=st.integers(0, 20))
    def untick(self, pick: int) -> None:
        lines = self._lines("x")
        if lines:
            line = lines[pick % len(lines)]
            self._replace(line, line.replace("- [x]", "- [ ]", 1).replace("- [X]", "- [ ]", 1))

    @rule(edit=st.sampled_from(["the stamp taken out", "a line in the region", "an open item taken out",
                                "a line below the region"]), pick=st.integers(0, 20))
    def edit_the_plan(self, edit: str, pick: int) -> None:
        """The user changes the plan in a way that changes no tick: the fingerprint knows it by its ticks alone."""
        if not self.plan.exists():
            return
        text = self.plan.read_text(encoding="utf-8")
        lines = text.splitlines(keepends=True)
        if edit == "the stamp taken out":
            lines = [line for line in lines if "vaultnet built this" not in line]
        elif edit == "a line in the region":
            lines.insert(3, "a line of my own\n")
        elif edit == "an open item taken out":
            items = [i for i, line in enumerate(lines) if line.startswith("- [ ]")]
            if items:
                del lines[items[pick % len(items)]]
        else:
            lines.append("what we said on the call\n")
        self.plan.write_text("".join(lines), encoding="utf-8")

    @rule(text=st.sampled_from(["#call caught up", "#email sent the deck #gave", "met [[Bob]] #coffee"]))
    def log_line(self, text: str) -> None:
        with open(self.root / "People/Bob.md", "a", encoding="utf-8") as handle:
            handle.write(f"- {self.today.isoformat()} {text}\n")

    @rule(days=st.sampled_from([1, 3, 7]))
    def time_passes(self, days: int) -> None:
        self.today += dt.timedelta(days=days)

    @invariant()
    def warm_equals_cold(self) -> None:
        self.rounds += 1
        warm = self.base / f"warm-{self.rounds}"
        cold = self.base / f"cold-{self.rounds}"
        shutil.copytree(self.root, warm)
        shutil.copytree(self.root, cold, ignore=shutil.ignore_patterns("cache"))
        build_vault(load_config(warm), self.today)
        build_vault(load_config(cold), self.today)
        assert files(warm) == files(cold)
        shutil.rmtree(warm)
        shutil.rmtree(cold)


WeeklyLoop.TestCase.settings = settings(
    max_examples=examples(6), stateful_step_count=8, suppress_health_check=[HealthCheck.too_slow],
)
TestWeeklyLoop = pytest.mark.usefixtures("settle_quickly")(WeeklyLoop.TestCase)


def _ticked_then_unticked(text: str) -> str:
    """The first open item ticked with the Tasks plugin's date, then unticked by hand: the date stays."""
    line = next(m.group(0) for m in ITEM.finditer(text) if m.group("state") == " ")
    return text.replace(line, re.sub(r" \^vn-", " ✅ 2026-11-20 ^vn-", line, count=1), 1)


@pytest.mark.usefixtures("settle_quickly")
@pytest.mark.parametrize("edit", [_ticked_then_unticked, lambda text: text + "\nwhat we said on the call\n"],
                         ids=["a tick's date left by an untick", "a line in the notes below the plan"])
def test_a_build_after_a_plan_changed_outside_its_ticks_leaves_it_printed_as_built(tmp_path, edit):
    """The fingerprint knows a plan by its ticks; a build after any other edit of it still records the plan as it
    is, so that ``plan --stdout`` prints it as built (and prints what working it out again gives)."""
    for rel, text in NOTES.items():
        write(tmp_path, rel, text)
    config = load_config(tmp_path)
    build_vault(config, TODAY)
    rel = plan_rel(config, iso_week(TODAY))
    plan = tmp_path / rel
    plan.write_text(edit(plan.read_text(encoding="utf-8")), encoding="utf-8")
    assert as_built(config, TODAY, rel) is None
    build_vault(config, TODAY)
    found = as_built(config, TODAY, rel)
    assert found is not None and found.text == plan.read_text(encoding="utf-8")
    builder = Session(config, remember=False).builder(TODAY, write=False)
    network, worked_out, rel = builder.prepare_plan()
    assert found.text == builder.plan_note(worked_out, rel)[0]
