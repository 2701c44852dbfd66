"""What a new user is told about a vault with no contacts, modelled on public vaults.

coombsj/obsidian-management-starter-vault keeps its journal in
``Areas/Journal/Daily Notes/`` (set in Periodic Notes) and has no person note
yet; ``vaultnet init`` has been run on it.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from vaultnet.cli.main import main

from conftest import write

PERIODIC = {"daily": {"format": "", "template": "Resources/Templates/periodic/Daily Note Template.md",
                      "folder": "Areas/Journal/Daily Notes", "enabled": True}}
DAILY = """---
status: Archived
tags:
 - DailyNote
 - 2023
---
# Tuesday, August 1st, 2023

<< [[Journal/Daily Notes/2023-07-31|2023-07-31]] | [[Journal/Daily Notes/2023-08-02|2023-08-02]]>>
"""


def starter_vault(vault: Path) -> Path:
    write(vault, ".obsidian/plugins/periodic-notes/data.json", json.dumps(PERIODIC))
    for day in ("2023-08-01", "2023-08-03", "2023-08-04"):
        write(vault, f"Areas/Journal/Daily Notes/{day}.md", DAILY)
    write(vault, "Resources/memory-bank/activeContext.md", "# Active context\n")
    write(vault, "Resources/memory-bank/progress.md", "# Progress\n")
    return vault


def stderr(vault: Path, *args: str) -> str:
    return CliRunner().invoke(main, ["--vault", str(vault), "--today", "2026-11-21", *args]).stderr


def test_daily_notes_are_not_named_as_what_could_be_people(vault):
    message = stderr(starter_vault(vault), "status")
    assert "vaultnet found no contacts" in message
    assert "2 notes are in Resources/memory-bank/" in message  # other folders are still named
    assert "Daily Notes" not in message


def test_after_init_the_no_contacts_message_does_not_send_the_user_back_to_init(vault):
    starter_vault(vault)
    assert "Run 'vaultnet init'" in stderr(vault, "status")
    assert CliRunner().invoke(main, ["init", str(vault)]).exit_code == 0
    for command in (["status"], ["plan", "--stdout"], ["check"]):
        message = stderr(vault, *command)
        assert "vaultnet found no contacts" in message, command
        assert "vaultnet init" not in message and "Set 'people' in vaultnet.toml" in message, command


KEPANO_PERSON = '---\ncategories:\n  - "[[People]]"\nbirthday:\n---\n'


def test_add_puts_people_beside_the_vaults_people_before_and_after_init(vault):
    """kepano's people live in References/ beside films and cities; init writes ``people = []`` there."""
    write(vault, "References/Steph Ango.md", KEPANO_PERSON)
    write(vault, "References/Kevin Kelly.md", KEPANO_PERSON)
    write(vault, "References/Lisbon.md", '---\ncategories:\n  - "[[Places]]"\n---\n')
    runner = CliRunner()
    assert runner.invoke(main, ["--vault", str(vault), "add", "Jo Lee"]).exit_code == 0
    assert runner.invoke(main, ["init", str(vault)]).exit_code == 0
    assert "\npeople = []" in (vault / "vaultnet.toml").read_text(encoding="utf-8")
    assert runner.invoke(main, ["--vault", str(vault), "add", "Bo Chen"]).exit_code == 0
    assert (vault / "References/Jo Lee.md").is_file() and (vault / "References/Bo Chen.md").is_file()
    assert not (vault / "Bo Chen.md").exists() and not (vault / "People").exists()


def test_with_people_empty_and_no_people_yet_add_uses_the_top_folder(vault):
    write(vault, "vaultnet.toml", "people = []\n")
    assert CliRunner().invoke(main, ["--vault", str(vault), "add", "Jo Lee"]).exit_code == 0
    assert "type: person" in (vault / "Jo Lee.md").read_text(encoding="utf-8")


BRYAN_TEMPLATE = """---
Name: <% tp.file.title %>
aliases: 
Company: 
Created: <% tp.file.creation_date() %>
Birthday: 
---
"""


def test_add_fills_the_vaults_template_with_the_day_the_run_is_for(vault):
    """BryanHogan/Obsidian-CRM's People Template, with the day pinned by --today as every other command has it."""
    write(vault, ".obsidian/templates.json", '{"folder": "Miscellaneous/Templates"}')
    write(vault, "Miscellaneous/Templates/People Template.md", BRYAN_TEMPLATE)
    write(vault, "People/Max Muster.md", "---\nName: Max Muster\n---\n")
    result = CliRunner().invoke(main, ["--vault", str(vault), "--today", "2026-11-21", "add", "Jo Lee", "--company", "Acme"])
    assert result.exit_code == 0, result.output
    text = (vault / "People/Jo Lee.md").read_text(encoding="utf-8")
    assert "\nName: Jo Lee\n" in text and "\nCompany: Acme\n" in text
    assert "\nCreated: 2026-11-21 " in text, text


QUICKADD = {"choices": [
    {"name": "new person", "type": "Template", "fileNameFormat": {"enabled": True, "format": "{{name}}"},
     "folder": {"enabled": True, "folders": []}, "templatePath": "__Templates/Person Template.md"},
    {"name": "new day", "type": "Template", "fileNameFormat": {"enabled": True, "format": "Diary-{{DATE:YYYYMMDD}}"},
     "folder": {"enabled": True, "folders": ["Diary"]}, "templatePath": "__Templates/Diary Template.md"},
]}


def init_header(vault: Path) -> str:
    assert CliRunner().invoke(main, ["init", str(vault)]).exit_code == 0
    return (vault / "vaultnet.toml").read_text(encoding="utf-8").split("\n\n", 1)[0]


def test_init_names_the_plugin_whose_settings_give_the_daily_notes(vault):
    """dex0501's daily notes come from a QuickAdd choice, coombsj's from Periodic Notes, not core Daily notes."""
    write(vault, ".obsidian/plugins/quickadd/data.json", json.dumps(QUICKADD))
    write(vault, ".obsidian/plugins/templater-obsidian/data.json", '{"templates_folder": "__Templates"}')
    header = init_header(vault)
    assert "# - daily notes: Diary/[Diary-]YYYYMMDD.md (from the settings of QuickAdd, read on every run)." in header
    assert "# - templates, skipped: __Templates/ (from the settings of Templater)." in header
    other = starter_vault(vault.parent / "starter")
    write(other, ".obsidian/daily-notes.json", '{"folder": "Old daily"}')  # core Daily notes, left behind
    header = init_header(other)
    assert "Areas/Journal/Daily Notes/YYYY-MM-DD.md (from the settings of Periodic Notes, read on" in header
    assert "core Daily notes" not in header
