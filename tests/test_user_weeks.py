"""Weeks of use as a user lives them: ticks in Obsidian, a new week, edits between builds.

Each test is a step of a walk through the example vault over several weeks
(ticks as Obsidian writes them, a build only the next week, a follow-up ticked
in the plan) cut down to the few notes it needs.
"""

from __future__ import annotations

import datetime as dt
import re
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from vaultnet.cli.main import main
from vaultnet.files.config import load_config
from vaultnet.files.generated import plan_rel
from vaultnet.pipeline.session import build_network, build_vault

from conftest import TODAY, standing, write

W47 = "vaultnet/Plans/2026-W47.md"
MONDAY_W48 = dt.date(2026, 11, 23)


def obsidian_tick(vault: Path, rel: str, needle: str) -> str:
    """Tick the item holding ``needle`` the way Obsidian does: ``- [ ]`` becomes ``- [x]``, nothing else."""
    path = vault / rel
    text = path.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if needle in line and line.startswith("- [ ]"))
    path.write_text(text.replace(line, line.replace("- [ ]", "- [x]", 1)), encoding="utf-8")
    return line


def on(network, name: str, day: dt.date):
    return [i for i in standing(network, name).interactions if i.date == day]


@pytest.fixture
def zoe(vault: Path) -> Path:
    write(vault, "People/Zoë Martin.md", """
        ---
        circle: inner
        ---
        ## Log
        - 2026-11-18 #call #got she found me a printer for the zine
        - 2026-09-01 #call settling into Lyon
    """)
    return vault


def test_a_tick_in_last_weeks_plan_counts_when_the_next_build_is_in_a_new_week(zoe):
    """Tick the thank-you on Sunday, build on Monday: the thank-you is recorded, and not asked again."""
    config = load_config(zoe)
    build_vault(config, TODAY)
    obsidian_tick(zoe, W47, "say thank you")
    build_vault(config, MONDAY_W48)
    network = build_network(config, MONDAY_W48)
    assert standing(network, "Zoë Martin").reciprocity.thanked == 1
    assert "say thank you" not in (zoe / plan_rel(config, "2026-W48")).read_text(encoding="utf-8")


def test_a_ticked_follow_up_is_one_interaction(vault):
    write(vault, "People/Ana Souza.md", """
        ---
        circle: inner
        ---
        ## Log
        - 2026-11-07 #call
        - [ ] send Ana the offsite notes 📅 2026-11-18
    """)
    config = load_config(vault)
    build_vault(config, TODAY)
    obsidian_tick(vault, W47, "send Ana the offsite notes")
    build_vault(config, TODAY)
    assert "✅ 2026-11-21" in (vault / "People/Ana Souza.md").read_text(encoding="utf-8")  # completed where it lives
    network = build_network(config, TODAY)
    assert len(on(network, "Ana Souza", TODAY)) == 1  # one tick, one contact
    # ... everywhere: the contact calendar counts the evidence, not the standings
    assert [item.date for item in network.evidence.interactions].count(TODAY) == 1


def test_a_ticked_check_in_stays_under_its_day(vault):
    vault.joinpath("vaultnet.toml").write_text("[plan]\ndaily_minutes = 30\n", encoding="utf-8")
    for name in ("Ana", "Bob", "Cleo", "Dev"):
        write(vault, f"People/{name}.md", f"---\ncircle: close\n---\n## Log\n- 2026-08-0{len(name)} #call with {name}\n")
    config = load_config(vault)
    build_vault(config, TODAY)
    text = (vault / W47).read_text(encoding="utf-8")
    saturday = text.split("**Sat 2026-11-21**")[1].split("**Sun 2026-11-22**")[0]
    first = next(line for line in saturday.splitlines() if line.startswith("- [ ]"))
    obsidian_tick(vault, W47, first[6:40])
    build_vault(config, TODAY)
    text = (vault / W47).read_text(encoding="utf-8")
    assert re.search(r"^\*\*Sat 2026-11-21\*\*\n\n(?:- .*\n)*- \[x\] " + re.escape(first[6:40]), text, re.M), text


ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "example-vault"


def guide_commands(page: str, heading: str) -> list[list[str]]:
    """The ``vaultnet ...`` lines of the first shell block under ``heading`` of a guide page, as arguments."""
    text = (ROOT / "docs" / page).read_text(encoding="utf-8").split(f"{heading}\n", 1)[1]
    block = text.split("```sh\n", 1)[1].split("```", 1)[0]
    lines = [line.split("  #", 1)[0].strip() for line in block.splitlines()]
    return [shlex.split(line)[1:] for line in lines if line.startswith("vaultnet ")]


@pytest.mark.parametrize("page, heading", [("editing.md", "# Logging and quick edits"),
                                           ("editing.md", "## Quick edits: set, snooze, pause, unpause, triage")])
def test_the_guides_examples_run_on_the_example_vault(tmp_path, page, heading):
    """A new user types the guide's examples into a copy of the example vault: every one works."""
    root = tmp_path / "example"
    shutil.copytree(EXAMPLE, root)
    commands = guide_commands(page, heading)
    assert len(commands) >= 3
    for args in commands:
        result = CliRunner().invoke(main, ["--vault", str(root), "--today", "2026-11-21", *args], input="q")
        assert result.exit_code == 0, (args, result.output)


@pytest.mark.parametrize("link", ["[Kwame](People/Kwame%20Mensah.md)", "[Kwame](../People/Kwame%20Mensah.md)",
                                  "[Kwame Mensah](<People/Kwame Mensah.md>)", "[K.](Kwame%20Mensah.md#Log)"])
def test_a_markdown_link_to_a_contact_is_a_mention(vault, link):
    write(vault, "People/Kwame Mensah.md", "---\ncircle: close\n---\n")
    write(vault, "Daily/2026-11-20.md", f"- lunch with {link} #coffee\n")
    kwame = standing(build_network(load_config(vault), TODAY), "Kwame Mensah")
    assert [(i.date, i.kind) for i in kwame.interactions] == [(dt.date(2026, 11, 20), "coffee")]


@pytest.mark.parametrize("end", ["%%\nprivate thoughts, not finished\n", "```\nsome code\n", ""])
def test_log_to_the_daily_note_never_writes_a_line_that_would_not_count(vault, end):
    """With log_target = "daily", a day's note left open in a comment or a code block takes no hidden line."""
    write(vault, "vaultnet.toml", 'log_target = "daily"\n')
    write(vault, "People/Ana.md", "---\ncircle: close\n---\n")
    before = f"---\ntags: [journal]\n---\nMorning pages\n{end}"
    write(vault, "2026-11-21.md", before)
    result = CliRunner().invoke(main, ["--vault", str(vault), "--today", "2026-11-21", "log", "Ana", "coffee"])
    ana = standing(build_network(load_config(vault), TODAY), "Ana")
    if end:
        assert result.exit_code == 1 and (vault / "2026-11-21.md").read_text(encoding="utf-8") == before
        assert "2026-11-21.md: the end of the note is inside a code block or a comment" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and ana.interactions == []
    else:
        assert result.exit_code == 0 and [i.date for i in ana.interactions] == [TODAY]
