from click.testing import CliRunner

from vaultnet.advice.plan import build_plan
from vaultnet.cli.main import main

from conftest import TODAY, write

LOG = "".join(f"- 2026-{month:02d}-01 #call catch-up\n" for month in range(1, 9))  # a moderate tie, now overdue


def test_check_in_with_a_close_tie_asks_about_their_goals(vault, load):
    write(vault, "People/Near.md", "---\ncadence: monthly\n---\n" + LOG)
    write(vault, "People/Known.md", "---\ncadence: monthly\ngoals: [run a marathon]\n---\n" + LOG)
    write(vault, "People/Weak.md", "---\ncadence: monthly\n---\n- 2025-01-01 #call once\n")
    texts = {item.people[0]: item.text for item in build_plan(load(), TODAY).section("check-in")}
    assert texts["Near"].endswith("· last time (2026-08-01): catch-up · ask about their goals")
    assert "ask about their goals" not in texts["Known"]
    assert "ask about their goals" not in texts["Weak"]


def test_show_says_when_their_goals_are_unknown(vault):
    write(vault, "People/Near.md", "---\ncadence: monthly\n---\n" + LOG)
    write(vault, "People/Known.md", "---\ngoals: [run a marathon]\n---\n")
    run = lambda name: CliRunner().invoke(main, ["--vault", str(vault), "--today", TODAY.isoformat(), "show", name])  # noqa: E731
    assert "  goals: you don't know their goals yet" in run("Near").stdout.splitlines()
    known = run("Known").stdout
    assert "you don't know their goals yet" not in known and "  goals: run a marathon" in known
