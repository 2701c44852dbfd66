"""Every command through CliRunner, including the JSON interface of spec section 7."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from vaultnet import __version__
from vaultnet.cli.main import main

from conftest import TODAY, write

CONTACT_KEYS = {
    "name", "path", "aliases", "circle", "cadence_days", "last_contact", "last_kind", "due",
    "status", "days_overdue", "snooze_until", "next_birthday", "reciprocity", "tie", "follow_ups",
    "rhythm",
}


@pytest.fixture
def people(vault: Path) -> Path:
    write(vault, "People/Ana Souza.md", """
        ---
        circle: inner
        aliases: [Ana]
        birthday: 1990-11-20
        ---
        ## Log
        - 2026-11-02 #coffee #got advice on the launch
        - [ ] send the deck 📅 2026-11-18
        - [ ] read her paper
    """)
    write(vault, "People/Zoë Martin.md", "---\ncircle: close\n---\n")
    write(vault, "People/bob.md", "---\ncadence: 10d\nsnooze_until: 2026-12-01\n---\n")
    write(vault, "People/Broken.md", "---\ncircle: [oops\n---\n")
    write(vault, "Daily/2026-11-20.md", "- lunch with [[Bob]] #meeting\n")
    return vault


def run(vault: Path, *args: str, today: str = "2026-11-21", **kwargs):
    return CliRunner().invoke(main, ["--vault", str(vault), "--today", today, *args], **kwargs)


def test_version():
    result = CliRunner().invoke(main, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_status_plain_text_when_piped(people):
    result = run(people, "status")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split("\t")[:3] == ["name", "circle", "status"]
    rows = {line.split("\t")[0]: line.split("\t") for line in lines[1:]}
    assert rows["Ana Souza"][2] == "overdue"
    assert rows["Ana Souza"][5] == "5"  # due Nov 16, today Nov 21
    assert rows["Zoë Martin"][2] == "never"
    assert rows["bob"][2] == "snoozed"
    assert "\x1b[" not in result.stdout  # no colour codes in a pipe


def test_status_reports_problems_but_exits_zero(people):
    result = run(people, "status")
    assert result.exit_code == 0
    assert "1 problem in the vault" in result.stderr
    assert "problem" not in run(people, "-q", "status").stderr


def test_status_filters(people):
    result = run(people, "status", "--status", "overdue", "--status", "never")
    names = [line.split("\t")[0] for line in result.stdout.splitlines()[1:]]
    assert names == ["Ana Souza", "Zoë Martin"]
    result = run(people, "status", "--circle", "close")
    assert [line.split("\t")[0] for line in result.stdout.splitlines()[1:]] == ["Zoë Martin"]


def test_status_unknown_circle_is_a_usage_error(people):
    result = run(people, "status", "--circle", "besties")
    assert result.exit_code == 2
    assert "unknown circle 'besties'" in result.output


def test_status_json_shape(people):
    result = run(people, "status", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) == {"today", "contacts", "problems"}
    assert data["today"] == "2026-11-21"
    assert [c["name"] for c in data["contacts"]] == ["Ana Souza", "bob", "Broken", "Zoë Martin"]
    for contact in data["contacts"]:
        assert set(contact) == CONTACT_KEYS
        assert set(contact["reciprocity"]) == {"gave", "got", "asked", "thanked", "label", "thank_you_due",
                                               "started_by_you", "started_by_them", "starts"}
        assert set(contact["tie"]) == {"intensity", "embeddedness", "band"}
    ana = data["contacts"][0]
    assert ana == {
        "name": "Ana Souza", "path": "People/Ana Souza.md", "aliases": ["Ana"], "circle": "inner",
        "cadence_days": 14, "last_contact": "2026-11-02", "last_kind": "coffee", "due": "2026-11-16",
        "status": "overdue", "days_overdue": 5, "snooze_until": None, "next_birthday": "2027-11-20",
        "reciprocity": {"gave": 0, "got": 1, "asked": 0, "thanked": 0, "label": "balanced", "thank_you_due": True,
                        "started_by_you": 0, "started_by_them": 0, "starts": "none"},
        "tie": {"intensity": round(0.5 ** (19 / 180), 3), "embeddedness": 0, "band": "weak"},
        "follow_ups": [{"text": "send the deck", "due": "2026-11-18", "path": "People/Ana Souza.md", "line": 8}],
        "rhythm": {"usual_gap_days": None, "quiet_days": 19, "drifting": None},
    }
    bob = data["contacts"][1]
    assert bob["snooze_until"] == "2026-12-01"
    assert bob["last_kind"] == "meeting"
    assert data["problems"] == [
        {"path": "People/Broken.md", "line": 2, "message": data["problems"][0]["message"]}
    ]
    assert "invalid YAML" in data["problems"][0]["message"]


def test_today_from_environment(people):
    result = CliRunner().invoke(main, ["--vault", str(people), "status", "--json"], env={"VAULTNET_TODAY": "2026-11-03"})
    data = json.loads(result.stdout)
    assert data["today"] == "2026-11-03"
    assert data["contacts"][0]["status"] == "ok"


def test_bad_today_is_a_usage_error(people):
    result = run(people, "status", today="2026-02-30")
    assert result.exit_code == 2
    assert "impossible date" in result.output


def test_vault_from_environment(people):
    result = CliRunner().invoke(main, ["--today", "2026-11-21", "status"], env={"VAULTNET_VAULT": str(people)})
    assert "Ana Souza" in result.stdout


def test_missing_vault_is_an_error(tmp_path):
    result = CliRunner().invoke(main, ["--vault", str(tmp_path / "nope"), "status"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: vault not found")


def test_bad_config_is_an_error_without_traceback(people):
    write(people, "vaultnet.toml", "[circles]\ninner = \"2m\"\n")
    result = run(people, "status")
    assert result.exit_code == 1
    assert "Error: vaultnet.toml: circles.inner: ambiguous cadence" in result.output
    assert "Traceback" not in result.output


def test_show_text(people):
    result = run(people, "show", "ana souza")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Ana Souza  (People/Ana Souza.md)")
    assert "status: overdue (5 days)" in out
    assert "2026-11-02  coffee   advice on the launch" in out
    assert "send the deck" in out and "read her paper" in out
    assert "thank you due" in out


def test_show_by_alias_and_without_accents(people):
    assert run(people, "show", "ANA").stdout.startswith("Ana Souza")
    assert run(people, "show", "zoe martin").stdout.startswith("Zoë Martin")


def test_show_unknown_name_suggests(people):
    result = run(people, "show", "Ana Sousa")
    assert result.exit_code == 1
    assert "no contact named 'Ana Sousa'; did you mean Ana Souza?" in result.output


def test_show_ambiguous_name_lists_candidates(people):
    write(people, "People/Other.md", "---\naliases: [Ana]\n---\n")
    write(people, "People/Third.md", "---\naliases: Ana\n---\n")
    result = run(people, "show", "ana")
    # the file name "Ana Souza" is not "ana"; two aliases are: ambiguous
    assert result.exit_code == 1
    assert "'ana' is ambiguous" in result.output
    assert "Other (People/Other.md)" in result.output and "Third (People/Third.md)" in result.output


def test_show_json(people):
    result = run(people, "show", "Ana", "--json")
    data = json.loads(result.stdout)
    assert set(data) >= CONTACT_KEYS
    assert data["interactions"][0]["kind"] == "coffee"
    assert data["interactions"][0]["text"] == "advice on the launch"
    assert data["open_loops"] == [{"text": "read her paper", "due": None, "path": "People/Ana Souza.md", "line": 9}]


def test_check_lists_problems_and_exits_one(people):
    write(people, "People/Bad Date.md", "---\ncircle: inner\nbirthday: 1985-02-30\n---\n")
    result = run(people, "check")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("People/Bad Date.md:3: birthday: impossible date '1985-02-30'")
    assert lines[1].startswith("People/Broken.md:2: invalid YAML")


def test_check_clean_vault_exits_zero(vault):
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n")
    result = run(vault, "check")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "No problems found." in result.stderr


def test_check_json(people):
    result = run(people, "check", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["problems"][0]["path"] == "People/Broken.md"


def test_read_only_commands_change_nothing(people):
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in people.rglob("*") if p.is_file()}
    for args in (["status"], ["status", "--json"], ["show", "Ana"], ["check"]):
        run(people, *args)
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in people.rglob("*") if p.is_file()}
    assert after == before


def test_init_creates_and_never_overwrites(tmp_path):
    target = tmp_path / "new"
    result = CliRunner().invoke(main, ["init", str(target)])
    assert result.exit_code == 0
    assert "created vaultnet.toml" in result.output
    assert (target / "People").is_dir()
    assert (target / ".vaultnet" / ".gitignore").read_text() == "cache/\n"
    (target / "vaultnet.toml").write_text("people = [\"Friends\"]\n")
    result = CliRunner().invoke(main, ["init", str(target)])
    assert "kept    vaultnet.toml" in result.output
    assert (target / "vaultnet.toml").read_text() == "people = [\"Friends\"]\n"


def test_init_config_is_valid_and_default(tmp_path):
    CliRunner().invoke(main, ["init", str(tmp_path)])
    from vaultnet.files.config import Config, load_config

    assert load_config(tmp_path) == Config(root=tmp_path)


def test_python_dash_m(people):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "vaultnet", "--vault", str(people), "--today", "2026-11-21", "status", "--json"],
        capture_output=True, text=True, check=True,
    )
    assert json.loads(result.stdout)["today"] == "2026-11-21"


def test_build_writes_both_notes_then_nothing(people):
    result = run(people, "build")
    assert result.exit_code == 0
    assert "wrote     vaultnet/Plans/2026-W47.md" in result.stdout
    assert "wrote     vaultnet/Network.md" in result.stdout
    result = run(people, "build")
    assert "unchanged vaultnet/Network.md" in result.stderr and "wrote" not in result.output


def test_plan_stdout_writes_nothing(people):
    result = run(people, "plan", "--stdout")
    assert result.exit_code == 0
    assert result.stdout.startswith("%% generated by vaultnet")
    assert "## Follow-ups\n\n- [ ] [[Ana Souza]] — send the deck (was due Wed 2026-11-18) ^vn-" in result.stdout
    assert not (people / "vaultnet").exists()


def test_plan_json_shape(people):
    result = run(people, "plan", "--json")
    data = json.loads(result.stdout)
    assert set(data) == {"week", "items"}
    assert data["week"] == "2026-W47"
    sections = {"follow-ups", "reply", "birthdays", "check-in", "thank-you", "circle-back", "congratulate", "nudge",
                "reconnect", "introduce", "reciprocity"}
    for item in data["items"]:
        assert set(item) == {"section", "people", "text", "key", "due", "day"}
        assert item["section"] in sections and item["key"].startswith("vn-")
    assert data["items"][0] == {
        "section": "follow-ups", "people": ["Ana Souza"], "text": "send the deck (was due Wed 2026-11-18)",
        "key": data["items"][0]["key"], "due": "2026-11-18", "day": None,
    }
    assert not (people / "vaultnet").exists()


def test_plan_week_option(people):
    result = run(people, "plan", "--week", "2026-W48")
    assert result.exit_code == 0
    assert (people / "vaultnet/Plans/2026-W48.md").is_file()
    assert run(people, "plan", "--week", "2026-48x").exit_code == 2


def test_index_stdout_and_write(people):
    result = run(people, "index", "--stdout")
    assert "## Problems\n\n- People/Broken.md:2: invalid YAML" in result.stdout
    assert not (people / "vaultnet").exists()
    assert run(people, "index").exit_code == 0
    assert (people / "vaultnet/Network.md").read_text() == result.stdout


def test_build_with_broken_markers_exits_one_and_writes_the_rest(people):
    run(people, "build")
    plan = people / "vaultnet/Plans/2026-W47.md"
    plan.write_text("my notes only\n")
    write(people, "People/New.md", "---\ncircle: inner\n---\n")
    result = run(people, "build")
    assert result.exit_code == 1
    assert "Error: vaultnet/Plans/2026-W47.md: expected one" in result.stderr
    assert plan.read_text() == "my notes only\n"
    assert "[[New]]" in (people / "vaultnet/Network.md").read_text()


def test_malicious_template_is_a_clean_error(people):
    write(people, ".vaultnet/templates/plan.md", "{{ ''.__class__.__mro__ }}")
    result = run(people, "plan")
    assert result.exit_code == 1
    assert result.output.startswith("Error: template .vaultnet/templates/plan.md")
    assert "Traceback" not in result.output


def test_intros_text_and_json(vault):
    write(vault, "People/Kwame.md", "---\nneeds: [a product designer]\n---\n")
    write(vault, "People/Mei.md", "---\noffers: [product designers]\ninterests: [chess]\n---\n")
    result = run(vault, "intros")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Kwame + Mei  (score 1; a weak tie on one side: introduce with care)",
        "  - Kwame needs a product designer; Mei offers product designers",
    ]
    data = json.loads(run(vault, "intros", "--json").stdout)
    assert data == {"introductions": [{
        "people": ["Kwame", "Mei"], "kind": "needs-offers", "vouch": False, "score": 1.0,
        "reasons": ["Kwame needs a product designer; Mei offers product designers"], "goals": [],
    }]}


def test_intros_none(vault):
    write(vault, "People/Kwame.md", "---\n---\n")
    result = run(vault, "intros")
    assert result.stdout == "" and "No introductions" in result.stderr


def test_show_includes_the_brief_and_its_introductions(vault):
    write(vault, "People/Kwame.md", "---\nneeds: [a product designer]\n---\n")
    write(vault, "People/Mei.md", "---\noffers: [product designers]\n---\n")
    assert "People they could meet:\n  Mei: Kwame needs" in run(vault, "show", "kwame").stdout
    data = json.loads(run(vault, "show", "kwame", "--json").stdout)
    assert data["introductions"][0]["people"] == ["Kwame", "Mei"]


ODD_NOTE = (
    "\ufeff---\r\n"
    "# my own comment\r\n"
    "circle:   inner   # keep me\r\n"
    "aliases: [ 'Ana' ,\"Annie\" ]\r\n"
    "company: \"Tide|water\"\r\n"
    "---\r\n"
    "Some text.\r\n"
    "\r\n"
    "## Log\r\n"
    "- 2026-11-10 #call earlier\r\n"
    "- [[2026-10-01]] older\r\n"
    "\r\n"
    "## After\r\n"
    "tail without newline"
)


def test_log_inserts_one_line_and_keeps_every_other_byte(vault):
    path = vault / "People" / "Ana Souza.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(ODD_NOTE.encode("utf-8"))
    result = run(vault, "log", "annie", "lunch at [[Bob]]'s", "--kind", "coffee", "--gave", "--date", "2026-11-12")
    assert result.exit_code == 0, result.output
    assert result.stdout == "logged in People/Ana Souza.md\n"
    expected = ODD_NOTE.replace("## Log\r\n", "## Log\r\n- 2026-11-12 #coffee #gave lunch at [[Bob]]'s\r\n")
    assert path.read_bytes() == expected.encode("utf-8")
    ana = json.loads(run(vault, "show", "ana", "--json").stdout)
    assert ana["last_contact"] == "2026-11-12" and ana["reciprocity"]["gave"] == 1


def test_log_defaults_to_today_and_orders_newest_first(vault):
    write(vault, "People/Ana.md", "## Log\n- 2026-11-25 planned\n- 2026-11-02 a\n")
    run(vault, "log", "Ana", "today's call", "--thanked", "--got")
    assert (vault / "People/Ana.md").read_text() == "## Log\n- 2026-11-25 planned\n- 2026-11-21 #got #thanked today's call\n- 2026-11-02 a\n"


def test_log_refusals(vault):
    write(vault, "People/Ana.md", "---\n---\n")
    assert run(vault, "log", "Ana", "x", "--kind", "lunch").exit_code == 2
    assert run(vault, "log", "Ana", "   ").exit_code == 2
    result = run(vault, "log", "Anna", "x")
    assert result.exit_code == 1 and "did you mean Ana?" in result.output
    assert (vault / "People/Ana.md").read_text() == "---\n---\n"


def test_log_to_the_daily_note(vault):
    write(vault, "vaultnet.toml", 'log_target = "daily"\n')
    write(vault, "People/Ana.md", "---\n---\n")
    result = run(vault, "log", "ana", "met for lunch", "--kind", "meeting")
    assert result.stdout == "logged in 2026-11-21.md\n"
    assert (vault / "2026-11-21.md").read_text() == "- [[Ana]] #meeting met for lunch\n"
    assert (vault / "People/Ana.md").read_text() == "---\n---\n"
    assert json.loads(run(vault, "show", "ana", "--json").stdout)["last_kind"] == "meeting"


def test_add_creates_a_contact(vault):
    result = run(vault, "add", "José Ramírez", "--circle", "close", "--company", "Acme | Co", "--alias", "Pepe",
                 "--birthday", "03-14", "--cadence", "6 weeks")
    assert result.exit_code == 0, result.output
    assert result.stdout == "created People/José Ramírez.md\n"
    text = (vault / "People/José Ramírez.md").read_text()
    assert text.startswith("---\naliases:\n  - Pepe\ncircle: close\ncadence: 6 weeks\ncompany: Acme | Co\n")
    contact = json.loads(run(vault, "show", "pepe", "--json").stdout)
    assert contact["cadence_days"] == 42 and contact["status"] == "never"


def test_add_refuses_duplicates_and_bad_values(vault):
    write(vault, "People/Ana Souza.md", "---\naliases: [Ana]\n---\n")
    result = run(vault, "add", "ana")
    assert result.exit_code == 1 and "People/Ana Souza.md already has the alias 'ana'" in result.output
    assert run(vault, "add", "Bob", "--cadence", "2m").exit_code == 2
    assert run(vault, "add", "Bob", "--circle", "besties").exit_code == 2
    assert run(vault, "add", "Bob", "--birthday", "1985-02-30").exit_code == 2
    assert not (vault / "People/Bob.md").exists()


def test_add_makes_unsafe_names_safe(vault):
    result = run(vault, "add", "../Eve: the [[hacker]]")
    assert result.stdout == "created People/Eve the hacker.md\n"


def test_never_writes_through_a_symlink_out_of_the_vault(vault, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "Ana.md").write_text("---\ncircle: inner\n---\n")
    (vault / "People").mkdir()
    (vault / "People" / "Ana.md").symlink_to(outside / "Ana.md")
    result = run(vault, "log", "Ana", "coffee")
    assert result.exit_code == 1 and "leads outside the vault" in result.output
    assert (outside / "Ana.md").read_text() == "---\ncircle: inner\n---\n"
    (vault / "Friends").symlink_to(outside, target_is_directory=True)
    write(vault, "vaultnet.toml", 'people = ["Friends"]\n')
    result = run(vault, "add", "Bob")
    assert result.exit_code == 1 and "leads outside the vault" in result.output
    assert sorted(p.name for p in outside.iterdir()) == ["Ana.md"]


def test_reading_follows_no_symlinked_folder(vault, tmp_path):
    outside = tmp_path / "outside"
    write(outside, "Secret.md", "---\ncircle: inner\n---\n")
    (vault / "People").mkdir()
    (vault / "People" / "Linked").symlink_to(outside, target_is_directory=True)
    (vault / "People" / "Loop").symlink_to(vault, target_is_directory=True)
    data = json.loads(run(vault, "status", "--json").stdout)
    assert data["contacts"] == []


def test_index_counts_this_weeks_ticks_without_touching_the_plan(vault):
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n- 2026-10-01 #call x\n")
    run(vault, "build")
    plan = vault / "vaultnet/Plans/2026-W47.md"
    plan.write_text(plan.read_text().replace("- [ ] [[Ana]]", "- [x] [[Ana]]"))
    ticked = plan.read_bytes()
    assert run(vault, "index").exit_code == 0
    assert "| [[Ana]] | inner | 2026-11-21 |" in (vault / "vaultnet/Network.md").read_text()
    assert plan.read_bytes() == ticked  # stamping is for plan and build


def test_choices_come_from_the_core_registries():
    from vaultnet.importers import KINDS
    from vaultnet.output.exports import FORMATS
    from vaultnet.pipeline.service import KINDS as SERVICES

    ctx = click.Context(main)
    export = main.get_command(ctx, "export")
    watch = main.get_command(ctx, "watch")
    imports = main.get_command(ctx, "import")
    assert isinstance(imports, click.Group)
    assert [tuple(p.type.choices) for p in export.params if p.name == "fmt"] == [FORMATS]
    assert [tuple(p.type.choices) for p in watch.params if p.name == "print_service"] == [SERVICES]
    assert set(imports.list_commands(ctx)) == {*KINDS, "calendar", "mail", "chat"}
    for kind in KINDS:
        assert imports.get_command(ctx, kind) is not None, kind


def test_loading_the_command_line_imports_no_core_module():
    """Commands import the core when they run: a warm build pays only for what it uses."""
    code = "import sys, vaultnet.cli.main; print(' '.join(sorted(m for m in sys.modules if m.startswith('vaultnet'))))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(done.stdout.split())
    light = {"vaultnet", "vaultnet.base", "vaultnet.base.errors", "vaultnet.base.keys",
             "vaultnet.base.version", "vaultnet.base.vocabulary"}  # registries: no work at import
    assert {name for name in loaded if not name.startswith("vaultnet.cli")} == light, loaded


def test_a_warm_build_imports_no_parsing_assembly_or_rendering(vault):
    """A warm build is a walk and a fingerprint check: YAML, the network, the plan and templates stay unloaded."""
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n- 2026-11-01 #call hello\n")
    assert CliRunner().invoke(main, ["--vault", str(vault), "--today", TODAY.isoformat(), "-q", "build"]).exit_code == 0
    code = ("import sys\nfrom vaultnet.cli.main import main\n"
            f"try:\n    main(['--vault', {str(vault)!r}, '--today', {TODAY.isoformat()!r}, '-q', 'build'])\n"
            "except SystemExit:\n    pass\n"
            "print(' '.join(sorted(m for m in sys.modules if m.startswith(('vaultnet', 'yaml', 'jinja2', 'frontmatter')))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(done.stdout.split())
    assert "vaultnet.pipeline.freshness" in loaded  # the check ran
    heavy = {"vaultnet.notes.note", "vaultnet.standings.network", "vaultnet.pipeline.build", "vaultnet.advice.plan", "vaultnet.output.render",
             "vaultnet.evidence.contacts", "yaml", "jinja2", "frontmatter"}
    assert loaded & heavy == set(), loaded


def _slow_path_only(monkeypatch):
    """Make working anything out fail loudly: a command that still succeeds answered from the last build."""
    import vaultnet.pipeline.build

    def refuse(*args, **kwargs):
        raise AssertionError("the network was worked out again")

    monkeypatch.setattr(vaultnet.pipeline.build.Builder, "prepare_plan", refuse)
    monkeypatch.setattr(vaultnet.pipeline.build.Builder, "index_note", refuse)


def test_plan_and_index_stdout_after_a_build_print_the_built_notes(people, monkeypatch):
    """Right after a build nothing changed, so the built notes are the answer, problem count and all."""
    worked_out = {cmd: run(people, cmd, "--stdout") for cmd in ("plan", "index")}
    assert run(people, "build").exit_code == 0
    _slow_path_only(monkeypatch)
    for cmd, slow in worked_out.items():
        fast = run(people, cmd, "--stdout")
        assert fast.exit_code == 0, fast.output
        assert fast.stdout == slow.stdout
        assert "1 problem in the vault" in fast.stderr
    assert "unchanged vaultnet/Plans/2026-W47.md" in run(people, "plan").stderr


def test_plan_stdout_after_an_edit_works_the_plan_out_again(people):
    """An edit since the build (here Ana's follow-up ticked in her note) makes the built plan stale."""
    assert run(people, "build").exit_code == 0
    assert "send the deck" in run(people, "plan", "--stdout").stdout
    note = people / "People/Ana Souza.md"
    note.write_text(note.read_text(encoding="utf-8").replace("- [ ] send the deck", "- [x] send the deck"),
                    encoding="utf-8")
    assert "send the deck" not in run(people, "plan", "--stdout").stdout
    # Another day is another plan, too: the fingerprint holds the date.
    assert run(people, "build").exit_code == 0
    assert run(people, "plan", "--stdout", today="2026-11-22").stdout == run(
        people, "plan", "--stdout", "--week", "2026-W47", today="2026-11-22").stdout


def test_plan_stdout_on_a_built_vault_without_contacts_still_says_where_it_looked(vault):
    write(vault, "Notes/Idea.md", "just a note\n")
    assert run(vault, "build").exit_code == 0
    result = run(vault, "plan", "--stdout")
    assert result.exit_code == 0 and "no contacts" in result.stderr.lower()


def test_the_program_leaves_what_a_command_made_to_the_process_end(people: Path, monkeypatch) -> None:
    """``vaultnet`` (the installed program and ``python -m vaultnet``) runs ``run``: the command's objects are
    frozen as it ends, so the interpreter's last pass of the collector skips them; ``main`` alone does not."""
    import gc
    from importlib.metadata import entry_points

    from vaultnet.cli.main import run

    assert [ep.value for ep in entry_points(group="console_scripts", name="vaultnet")] == ["vaultnet.cli.main:run"]
    assert "run()" in (Path(__import__("vaultnet").__file__).parent / "__main__.py").read_text()
    args = ["--vault", str(people), "--today", TODAY.isoformat(), "status"]
    gc.unfreeze()
    assert CliRunner().invoke(main, args).exit_code == 0
    assert gc.get_freeze_count() == 0
    monkeypatch.setattr(sys, "argv", ["vaultnet", *args])
    try:
        with pytest.raises(SystemExit) as ended:
            run()
        assert ended.value.code == 0
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
