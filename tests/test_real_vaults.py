"""Vaults as people keep them, with no vaultnet.toml: each built from short excerpts of a
public vault's or plugin's own files, and read through `status --json` as a user would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from vaultnet.cli.main import main

from conftest import write


def status(vault: Path, today: str = "2026-11-21") -> dict:
    result = CliRunner().invoke(main, ["--vault", str(vault), "--today", today, "status", "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def people(vault: Path) -> dict[str, dict]:
    return {contact["name"]: contact for contact in status(vault)["contacts"]}


def show(vault: Path, name: str) -> dict:
    result = CliRunner().invoke(main, ["--vault", str(vault), "--today", "2026-11-21", "show", name, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


# --- kepano/kepano-obsidian: categories, a References/ folder, people in meetings ----------------


def kepano(vault: Path) -> Path:
    write(vault, ".obsidian/daily-notes.json", '{\n  "folder": "Daily",\n  "template": "Templates/Daily Note Template"\n}')
    write(vault, ".obsidian/templates.json", '{\n  "folder": "Templates"\n}')
    write(vault, "References/Steph Ango.md", """
        ---
        categories:
          - "[[People]]"
        type:
          - "[[Authors]]"
        org:
          - "[[Obsidian]]"
        created: 2023-09-12
        twitter: kepano
        ---
        ## Meetings

        ![[Meetings.base#Person]]
    """)
    write(vault, "References/Kevin Kelly.md", '---\ncategories:\n  - "[[People]]"\ntype:\n  - "[[Authors]]"\ncreated: 2023-09-12\n---\n')
    write(vault, "References/Blade Runner.md", '---\ncategories:\n  - "[[Movies]]"\ndirector:\n  - "[[Ridley Scott]]"\nlast: 2023-09-14\n---\n')
    write(vault, "References/Kyoto.md", '---\ncategories:\n  - "[[Places]]"\ntype:\n  - "[[Cities]]"\ncreated: 2023-09-12\n---\n')
    write(vault, "References/Out of Control.md", '---\ncategories:\n  - "[[Books]]"\nauthor:\n  - "[[Kevin Kelly]]"\n---\n')
    write(vault, "Categories/People.md", "---\ntags:\n  - categories\n---\n\n![[People.base]]\n")
    write(vault, "Notes/2023-09-12 Meeting with Steph.md", """
        ---
        categories:
          - "[[Meetings]]"
        type: []
        date: 2023-09-12
        org:
          - "[[Obsidian]]"
        people:
          - "[[Steph Ango]]"
        topics:
          - "[[Emergence]]"
        ---
        - Discussed the book [[Out of Control]] on the topic of [[Emergence]]
    """)
    write(vault, "Daily/2023-09-12.md", "## Notes\n\n![[Daily.base]]\n")
    write(vault, "Templates/People Template.md", '---\ncategories:\n  - "[[People]]"\nbirthday:\norg: []\ncreated: {{date}}\n---\n')
    write(vault, "Templates/Meeting Template.md", "---\ndate: {{date}}\npeople: []\n---\n")
    return vault


def test_kepano_people_are_category_notes_and_meetings_list_them(vault):
    found = people(kepano(vault))
    assert sorted(found) == ["Kevin Kelly", "Steph Ango"]  # no film, city, book, category note or template
    steph = found["Steph Ango"]
    assert (steph["last_contact"], steph["last_kind"]) == ("2023-09-12", "meeting")
    assert found["Kevin Kelly"]["last_contact"] is None
    assert show(vault, "Steph Ango")["fields"]["company"] == "Obsidian"


# --- BryanHogan/Obsidian-CRM: capitalised keys, `## Participants` -------------------------------


def test_bryanhogan_capitalised_keys_and_participants_heading(vault):
    write(vault, ".obsidian/templates.json", '{\n  "folder": "Miscellaneous/Templates"\n}')
    write(vault, "People/Max Muster.md", """
        ---
        Name: Max Muster
        aliases:
        Company: "[[Tree Company]]"
        Position:
        Priority: false
        Active: true
        Created: 2024-06-14 23:02
        Birthday: 1990-07-02
        Image:
        ---
    """)
    write(vault, "People/Thomas Neu.md", "---\nName: Thomas Neu\nCompany: ETA Group\nBirthday:\n---\n")
    write(vault, "Companies/Tree Company.md", "---\nName: Tree Company\nWebsite:\nActive: true\n---\n\n## Employees\n")
    write(vault, "Meetings/Meeting - 2024-06-14 2247 .md", """
        ---
        Name: "Meeting - 2024-06-14 2247 "
        Date: "2024-06-14"
        Date & Time: "2024-06-14 22:47"
        ---
        ## Participants
        - [[Max Muster]]
        - [[Thomas Neu]]

        ## Content
        Max will send the offer to [[Thomas Neu]] #gave
    """)
    write(vault, "Miscellaneous/Templates/People Template.md", "---\nName: <% tp.file.title %>\nCompany:\n---\n")
    write(vault, "Miscellaneous/Templates/Meetings Template.md",
          '---\nName: "{{title}}"\nDate: "{{date}}"\n---\n## Participants\n\n\n## Content\n')
    found = people(vault)
    assert sorted(found) == ["Max Muster", "Thomas Neu"]
    max_ = found["Max Muster"]
    assert (max_["last_contact"], max_["last_kind"]) == ("2024-06-14", "meeting")
    assert max_["next_birthday"] == "2027-07-02"
    (meeting,) = show(vault, "Thomas Neu")["interactions"]  # one meeting, however many lines name him
    assert meeting["date"] == "2024-06-14" and "gave" in meeting["exchanges"]
    assert show(vault, "Max Muster")["fields"]["company"] == "Tree Company"


# --- dex0501/Obsidian-Template: Templater settings, Dataview inline fields -----------------------


def test_dex0501_templater_folder_inline_fields_and_tag_links(vault):
    write(vault, ".obsidian/plugins/templater-obsidian/data.json",
          '{\n  "command_timeout": 5,\n  "templates_folder": "__Templates"\n}')
    person = """
        ---
        creation-date: 2023-03-04 19:54
        type: person
        aliases:
        tag: #people #person
        ---
        ## Info 📑
         - 🏢 [company:: [[{company}]] ]
         - 📩 [e-mail::  ]
    """
    write(vault, "Work/People/Person A.md", person.replace("{company}", ""))
    write(vault, "Work/People/Person B.md", person.replace("{company}", "Boring Company"))
    write(vault, "Work/Companies/Boring Company.md", "---\ntype: company\ntags: #company #client\n---\n")
    write(vault, "Work/Projects/Secret_Project/Meeting/MoM 20230301.md", """
        ---
        creation-date: 2023-03-05 21:34
        type: meeting
        meeting-type: standard
        tags: #mom #meeting
        ---

        ## Info 📑

        - [topic:: ]
        - [date::  2023-03-05 21:34  ]
        - [participants:: [[Person A]], [[Person B]] ]

        ## Means of Meeting
        - [[Person A]]  .....

        ## Action Points 🏹
        - [ ] #secret_project[[Person A]] ....
    """)
    write(vault, "Diary/Diary-20230312.md", """
        ---
        type: dailytodo
        ---

        > [!  ]+ Today
        >  date::  2023-03-12 17:32
        > location::  🏭

        ## Logs 📗
        - lunch with [[Person B]]
    """)
    write(vault, "__Templates/Person Template.md",
          "---\ncreation-date: <% tp.file.creation_date() %>\ntype: person\n---\n- [name:: <% tp.file.title %> ]\n")
    found = people(vault)
    assert sorted(found) == ["Person A", "Person B"]
    assert (found["Person A"]["last_contact"], found["Person A"]["last_kind"]) == ("2023-03-05", "meeting")
    assert found["Person B"]["last_contact"] == "2023-03-12"  # the diary is dated by its inline date
    a = show(vault, "Person A")
    assert len(a["interactions"]) == 1  # one meeting, not one per line naming her
    assert [loop["text"] for loop in a["open_loops"]] == ["Person A ...."]
    assert show(vault, "Person B")["fields"]["company"] == "Boring Company"


# QuickAdd's choices in dex0501's .obsidian/plugins/quickadd/data.json (the fields vaultnet reads).
DEX_QUICKADD = """{"choices": [
  {"name": "new todo", "type": "Capture", "captureTo": "__Tasks/Tasks.md"},
  {"name": "new person", "type": "Template", "templatePath": "__Templates/Person Template.md",
   "fileNameFormat": {"enabled": false, "format": ""}, "folder": {"enabled": true, "folders": ["Work/People"]}},
  {"name": "new day", "type": "Template", "templatePath": "__Templates/Diary Template.md",
   "fileNameFormat": {"enabled": true, "format": "Diary-{{DATE:YYYYMMDD}}"},
   "folder": {"enabled": true, "folders": ["Diary"], "chooseWhenCreatingNote": false}},
  {"name": "new log", "type": "Capture", "captureTo": "Diary/Diary-{{DATE:YYYYMMDD}}"}
], "templateFolderPath": ""}"""


def test_dex0501_diary_notes_are_daily_notes(vault):
    from vaultnet.files.config import load_config

    write(vault, ".obsidian/plugins/quickadd/data.json", DEX_QUICKADD)
    write(vault, ".obsidian/plugins/calendar/data.json", '{"weeklyNoteFolder": "Dairy", "showWeeklyNote": true}')
    assert (load_config(vault).daily_format, load_config(vault).daily_folder) == ("[Diary-]YYYYMMDD", "Diary")
    write(vault, "Work/People/Person A.md", "---\ntype: person\n---\n")
    write(vault, "Work/People/Person B.md", "---\ntype: person\n---\n")
    # As the vault's own diary: a callout of inline fields, a log, and the trailing tags; no date in the text.
    write(vault, "Diary/Diary-20230319.md", """
        ---
        creation-date: 2023-03-19 10:02
        type: dailytodo
        tags: #todo #todolist
        ---

        > [!  ]+ Today
        > location::  🏭
        > start time::

        ## Logs 📗
        - coffee with [[Person A]] #coffee
        - called [[Person B]] #call

        #todolist #dailytodo #diary #daily
    """)
    found = people(vault)
    assert (found["Person A"]["last_contact"], found["Person A"]["last_kind"]) == ("2023-03-19", "coffee")
    assert (found["Person B"]["last_contact"], found["Person B"]["last_kind"]) == ("2023-03-19", "call")
    rules = json.loads(run(vault, "check", "--json").stdout)["rules"]
    assert rules["interactions"]["in daily notes"] == 2
    # Core Daily notes set up: its settings hold, QuickAdd's are not read.
    write(vault, ".obsidian/daily-notes.json", '{"folder": "Journal", "format": "YYYY-MM-DD"}')
    assert load_config(vault).daily_format == "YYYY-MM-DD"


@pytest.mark.parametrize(("choice", "expected"), [
    ('{"type": "Capture", "captureTo": "Journal/{{DATE}}.md"}', ("YYYY-MM-DD", "Journal")),
    ('{"type": "Capture", "captureTo": "Log {{DATE:YYYY-MM-DD}} day"}', ("[Log ]YYYY-MM-DD[ day]", None)),
    ('{"type": "Template", "fileNameFormat": {"enabled": true, "format": "{{VALUE}} {{DATE}}"}}', None),
    ('{"type": "Template", "fileNameFormat": {"enabled": true, "format": "Week {{DATE:YYYY-ww}}"}}', None),
    ('{"type": "Template", "fileNameFormat": {"enabled": false, "format": "{{DATE}}"}}', None),
    ('{"type": "Capture", "captureTo": "Inbox.md"}', None),
])
def test_quickadd_choices_that_make_one_note_a_day(vault, choice, expected):
    from vaultnet.files.config import load_config

    write(vault, ".obsidian/plugins/quickadd/data.json", '{"choices": [' + choice + ']}')
    config = load_config(vault)
    if expected is None:
        assert (config.daily_format, config.daily_folder) == ("YYYY-MM-DD", "")
    else:
        assert (config.daily_format, config.daily_folder or None) == expected


def test_a_daily_format_with_a_literal_prefix_from_core_daily_notes(vault):
    write(vault, ".obsidian/daily-notes.json", '{"folder": "Diary", "format": "[Diary-]YYYYMMDD"}')
    write(vault, "People/Ana.md", "---\ncircle: close\n---\n")
    write(vault, "Diary/Diary-20261110.md", "- lunch with [[Ana]]\n")
    write(vault, "Diary/Diary-notes.md", "- 2026-11-12 idea for [[Ana]]\n")
    assert people(vault)["Ana"]["last_contact"] == "2026-11-10"


# --- coombsj/obsidian-management-starter-vault: Periodic Notes, people as folder notes ----------


def test_coombsj_periodic_notes_and_folder_notes(vault):
    write(vault, ".obsidian/plugins/periodic-notes/data.json", json.dumps({
        "daily": {"format": "", "template": "Resources/Templates/periodic/Daily Note Template.md",
                  "folder": "Areas/Journal/Daily Notes", "enabled": True},
        "weekly": {"format": "", "folder": "Areas/Journal/Weekly Notes", "enabled": False}}))
    write(vault, ".obsidian/plugins/templater-obsidian/data.json", '{"templates_folder": "Resources/Templates"}')
    team = "Areas/Team-Management/Team"
    write(vault, f"{team}/Ana Lima/Ana Lima.md", "---\naliases:\n - Ana\ntags:\n - AnaLima\n - Gaea\n---\n# Ana Lima\n")
    write(vault, f"{team}/Ana Lima/Ana Lima - Career Path.md",
          "---\naliases:\n - Career Path\nstatus: In Progress\ntags:\n - AnaLima\n - career-path\n---\n")
    write(vault, "Areas/Journal/Daily Notes/2023-08-01.md", """
        ---
        status: Archived
        tags:
         - DailyNote
        ---
        # Tuesday, August 1st, 2023

        ## 📔 Notes
        - 1:1 with [[Ana Lima]] about the career path
    """)
    write(vault, "Resources/Templates/Team Member/Team Member Home  Note Template.md",
          '<%*\nlet teamMemberName = await tp.user.team_member_selection(tp);\n-%>\n<%"---"%>\naliases:\n'
          " - <% teamMemberName.split(' ')[0] %>\n<%\"---\"%>\n# <% teamMemberName %>\n")
    found = people(vault)
    assert sorted(found) == ["Ana Lima"]
    assert found["Ana Lima"]["last_contact"] == "2023-08-01"


# --- xuvi7/obsidian-personal-crm and vbeskrovnov/obsidian-contacts --------------------------------


def test_personal_crm_prm_keys(vault):
    write(vault, "People/Sam Rivera.md", """
        ---
        prm-tier: close
        prm-last-contacted: 2026-11-02
        prm-birthday: 04-17
        prm-relationship: climbing gym
        ---
        ## Contact log
    """)
    write(vault, "People/Jo Park.md", "---\nprm-tier: casual\nprm-cadence: 45\nprm-snooze-until: 2026-12-01\n---\n")
    write(vault, "People/Lee Wong.md", "---\nprm-tier: warm\nprm-paused: true\n---\n")
    found = people(vault)
    sam, jo, lee = found["Sam Rivera"], found["Jo Park"], found["Lee Wong"]
    assert (sam["circle"], sam["cadence_days"], sam["last_contact"]) == ("close", 30, "2026-11-02")
    assert sam["next_birthday"] == "2027-04-17"
    assert (jo["circle"], jo["cadence_days"], jo["status"], jo["snooze_until"]) == ("network", 45, "snoozed", "2026-12-01")
    assert (lee["circle"], lee["cadence_days"], lee["status"]) == ("acquaintance", 180, "paused")


def test_obsidian_contacts_front_matter(vault):
    write(vault, "Contacts/carl.md", """
        ---
        name:
          first: carl
          last: johnson
        phone: +1 555 555 5555
        telegram: @carlj567
        linkedin: linkedin.com/in/carlj567
        birthday: 1966-12-06
        last_chat: 2022-12-06
        friends: "[[Bob]] [[Sue]]"
        type: contact
        ---
    """)
    write(vault, "Contacts/Bob.md", "---\ntype: contact\n---\n")
    result = status(vault)
    assert result["problems"] == []
    found = {contact["name"]: contact for contact in result["contacts"]}
    carl = found["carl"]
    assert (carl["last_contact"], carl["next_birthday"]) == ("2022-12-06", "2026-12-06")
    assert carl["aliases"] == ["carl johnson"]
    assert found["Bob"]["tie"]["embeddedness"] == 1  # friends know each other
    assert show(vault, "carl johnson")["fields"]["phone"] == "+1 555 555 5555"


# --- keys as Dataview reads them -------------------------------------------------------------------


def test_inline_fields_and_key_normalisation(vault):
    write(vault, "Notes/Ana.md", """
        ---
        Type: Person
        ---
        circle:: close
        Last Contact:: 2026-10-30
        - [birthday:: 1991-01-05]
    """)
    write(vault, "Notes/Bob.md", "#person\n\nMet at the meetup.\n")
    write(vault, "Notes/Cy.md", "---\ntags: [person]\nlast-contact: 2026-09-01\n---\n")
    found = people(vault)
    ana = found["Ana"]
    assert (ana["circle"], ana["last_contact"], ana["next_birthday"]) == ("close", "2026-10-30", "2027-01-05")
    assert "Bob" in found  # a body tag
    assert found["Cy"]["last_contact"] == "2026-09-01"


def test_unrendered_template_outside_the_templates_folder_is_nothing(vault):
    write(vault, "People/Ana.md", "---\ncircle: close\n---\n- 2026-11-01 #call\n")
    write(vault, "Drafts/Person.md", "---\ntype: person\ncreated: <% tp.date.now() %>\n---\n")
    write(vault, "Drafts/Meeting.md", "---\ndate: 2026-11-15\npeople: [\"[[Ana]]\"]\ntitle: {{title}}\n---\n")
    found = people(vault)
    assert sorted(found) == ["Ana"]
    assert found["Ana"]["last_contact"] == "2026-11-01"


# --- a new user is told what happened --------------------------------------------------------------


def run(vault: Path, *args: str):
    return CliRunner().invoke(main, ["--vault", str(vault), "--today", "2026-11-21", *args])


def test_no_contacts_says_where_it_looked_and_what_it_saw(vault):
    for name in ("Ana", "Bob", "Cy"):
        write(vault, f"Contacts-old/{name}.md", '---\ncategories:\n  - "[[Humans]]"\n---\n')
    for command in (["status"], ["plan", "--stdout"], ["check"]):
        result = run(vault, *command)
        assert "vaultnet found no contacts" in result.stderr, command
        assert "3 notes have categories [[Humans]]" in result.stderr
        assert "3 notes are in Contacts-old/" in result.stderr
    assert "no contacts" not in run(kepano(vault), "status").stderr


def test_show_and_log_on_a_note_that_is_not_a_contact(vault):
    kepano(vault)
    write(vault, "Notes/Jo Lee.md", "Met at the conference.\n")
    for command in (["show", "jo lee"], ["log", "Jo Lee", "coffee"]):
        result = run(vault, *command)
        assert result.exit_code == 1
        assert "Notes/Jo Lee.md is a note but not a contact" in result.stderr
        assert "type: person" in result.stderr
    result = run(vault, "show", "Blade Runner")
    assert "References/Blade Runner.md is a note but not a contact (it says it is a movie)" in result.stderr
    assert "no contact named 'Nobody'" in run(vault, "show", "Nobody").stderr


def test_check_counts_what_each_rule_took(vault):
    kepano(vault)
    write(vault, "People/Ana.md", "---\ncircle: close\nlast_contact: 2026-11-01\n---\n- 2026-11-02 #call\n")
    write(vault, "Notes/Bo.md", "---\ntags: [person]\n---\n")
    result = run(vault, "check", "--json")
    rules = json.loads(result.stdout)["rules"]
    assert rules["contacts"] == {"property": 2, "folder": 1, "tag": 1}
    assert rules["interactions"]["in meetings"] == 1 and rules["interactions"]["in contact notes"] == 1
    assert rules["interactions"]["from last_contact"] == 1
    assert "contacts: 1 in a people folder, 1 tagged #person" in run(vault, "check").stderr


# --- obsidianmd/obsidian-help: a vault with no people ------------------------------------------


def help_vault(vault: Path) -> Path:
    """Excerpts of the English help vault's own notes: links, tasks, callouts, template syntax shown in code."""
    write(vault, "Home.md", """
        ---
        aliases:
          - Start here
        cssclasses:
          - list-cards
        permalink: /
        ---
        # Obsidian Help

        1. [[Download and install Obsidian]]
        2. [[Create a vault]]
        - [[Core plugins]]
    """)
    write(vault, "Teams/Obsidian for teams.md", """
        ---
        aliases:
          - Teams
        permalink: teams
        ---
        Obsidian can be used as a note-taking application for individuals, and as a collaboration tool for your team.
    """)
    write(vault, "Plugins/Templates.md", """
        ---
        description: Templates is a core plugin that lets you insert pre-defined snippets of text into your active note.
        publish: true
        ---
        | Variable    | Description                                     |
        |-------------|-------------------------------------------------|
        | `{{title}}` | Title of the active note.                       |
        | `{{date}}`  | Today's date. **Default format:** `YYYY-MM-DD`. |

        Both `{{date}}` and `{{time}}` allow you to change the default format, for example `{{date:YYYY-MM-DD}}`.
    """)
    write(vault, "Plugins/Daily notes.md", """
        ---
        permalink: plugins/daily-notes
        ---
        1. Create a new note named "Daily template" with the following text:

           ```md
           # {{date:YYYY-MM-DD}}

           ## Tasks

           - [ ]
           ```
        > [!tip] Set the <u>New file location</u> under plugin options.
    """)
    write(vault, "Editing and formatting/Basic formatting syntax.md", """
        - [x] This is a completed task.
        - [ ] This is an incomplete task.
        #tag #nested/tag
        > [!note] Link to a block: `[[2023-01-01#^37066d]]`.
    """)
    return vault


def test_obsidian_help_no_contacts_says_where_it_looked(vault):
    help_vault(vault)
    result = run(vault, "status", "--json")
    data = json.loads(result.stdout)
    assert data["contacts"] == [] and data["problems"] == []
    for command in (["status"], ["plan", "--stdout"], ["check"]):
        said = run(vault, *command).stderr
        assert "vaultnet found no contacts: it looked in folders named People" in said, command
        assert "for notes tagged #person and for type/categories" in said
    checked = json.loads(run(vault, "check", "--json").stdout)
    assert checked["problems"] == [] and checked["rules"]["contacts"] == {}
    assert not any(checked["rules"]["interactions"].values())
    # A note that explains template syntax in code is a note, not a template.
    said = run(vault, "show", "Daily notes").stderr
    assert "Plugins/Daily notes.md is a note but not a contact;" in said
    assert "template" not in said.split(";")[0]


def test_template_syntax_shown_in_code_does_not_make_a_note_a_template(vault):
    help_vault(vault)
    write(vault, "People/Ana.md", "---\ncircle: close\n---\n")
    write(vault, "Meetings/Templates workshop.md", """
        ---
        date: 2026-11-02
        attendees: ["[[Ana]]"]
        ---
        Showed [[Ana]] how `{{date}}` and `<% tp.date.now() %>` fill a note.
    """)
    write(vault, "Meetings/Draft.md", "---\ndate: {{date}}\nattendees: [\"[[Ana]]\"]\n---\n")
    found = people(vault)
    assert list(found) == ["Ana"]
    assert (found["Ana"]["last_contact"], found["Ana"]["last_kind"]) == ("2026-11-02", "meeting")


def test_a_note_named_for_the_folder_vaultnet_found_is_no_person(vault):
    """obsidian-help's ``it/Team/Obsidian per team.md`` is about teams; ``Team/Ana.md`` is Ana."""
    write(vault, "it/Team/Obsidian per team.md", "# Obsidian per team\n")
    write(vault, "it/Team/Teams and sync.md", "Sync for teams.\n")
    write(vault, "it/Team/Ana.md", "Ana's notes.\n")
    write(vault, "People/Jo Person.md", "Jo's notes.\n")  # `person` is no `people`: Jo is a person
    assert sorted(people(vault)) == ["Ana", "Jo Person"]
    write(vault, "vaultnet.toml", 'people = ["it/Team"]\n')  # a folder the user names holds people, whatever their names
    assert sorted(people(vault)) == ["Ana", "Obsidian per team", "Teams and sync"]  # People/ is no longer looked in


# --- init and add fit the vault ---------------------------------------------------------------------


def test_init_writes_a_fitting_config_and_no_empty_people_folder(vault):
    kepano(vault)
    write(vault, ".obsidian/plugins/templater-obsidian/data.json", '{"templates_folder": "Templates"}')
    result = run(vault, "init", str(vault))
    assert result.exit_code == 0, result.output
    assert not (vault / "People").exists()
    text = (vault / "vaultnet.toml").read_text()
    assert "# - 2 notes are people." in text
    assert "people = []" in text and "categories naming a person" in text
    assert "templates, skipped: Templates/ (from the settings of core Templates and Templater)" in text
    assert sorted(people(vault)) == ["Kevin Kelly", "Steph Ango"]  # the written config finds the same people


def test_init_names_the_people_folders_it_found(vault):
    write(vault, "Work/Team/Ana.md", "Ana's notes.\n")
    write(vault, "Work/Team/Bob.md", "Bob's notes.\n")
    run(vault, "init", str(vault))
    text = (vault / "vaultnet.toml").read_text()
    assert 'people = ["Work/Team"]   # where people were found (2 in Work/Team/)' in text
    assert not (vault / "People").exists() and sorted(people(vault)) == ["Ana", "Bob"]


def test_init_on_an_empty_vault_creates_people(vault):
    result = run(vault, "init", str(vault))
    assert (vault / "People").is_dir() and "created People/" in result.output


def test_add_uses_the_vaults_person_template_and_people_folder(vault):
    write(vault, ".obsidian/templates.json", '{"folder": "Miscellaneous/Templates"}')
    write(vault, "Contacts/Max Muster.md", "---\nName: Max Muster\n---\n")
    write(vault, "Miscellaneous/Templates/People Template.md",
          "---\nName: <% tp.file.title %>\nCompany: \nCreated: <% tp.date.now(\"YYYY-MM-DD\") %>\n---\n# {{title}}\n")
    result = run(vault, "add", "Thomas Neu", "--company", "ETA Group", "--circle", "close")
    assert result.exit_code == 0, result.output
    text = (vault / "Contacts/Thomas Neu.md").read_text()
    assert text.startswith("---\nName: Thomas Neu\nCompany: ETA Group\nCreated: ")
    assert "circle: close\n---\n# Thomas Neu\n" in text and "<%" not in text
    thomas = people(vault)["Thomas Neu"]
    assert thomas["circle"] == "close"


def test_kepano_with_references_as_the_people_folder_keeps_films_and_cities_out(vault):
    kepano(vault)
    write(vault, "vaultnet.toml", 'people = ["References"]\n')
    assert sorted(people(vault)) == ["Kevin Kelly", "Steph Ango"]


def test_settings_from_periodic_notes_and_templater(vault):
    from vaultnet.files.config import load_config

    write(vault, ".obsidian/daily-notes.json", '{"folder": "Daily", "format": "YYYY-MM-DD"}')
    write(vault, ".obsidian/templates.json", '{"folder": "Templates"}')
    write(vault, ".obsidian/plugins/periodic-notes/data.json",
          '{"daily": {"format": "YYYYMMDD", "folder": "Journal/", "template": "T/Day.md", "enabled": true}}')
    write(vault, ".obsidian/plugins/templater-obsidian/data.json", '{"templates_folder": "/Tpl/"}')
    config = load_config(vault)
    assert (config.daily_format, config.daily_folder, config.daily_template) == ("YYYYMMDD", "Journal", "T/Day.md")
    assert config.templates_folders == ("Templates", "Tpl")
    write(vault, "People/Ana.md", "---\ncircle: close\n---\n")
    write(vault, "Journal/20261110.md", "- coffee with [[Ana]]\n")
    write(vault, "Tpl/Person Template.md", "---\ntype: person\n---\n")
    write(vault, "Templates/Contact.md", "---\ntype: person\n---\n")
    found = people(vault)
    assert sorted(found) == ["Ana"] and found["Ana"]["last_contact"] == "2026-11-10"
    # Periodic Notes' daily notes switched off: core Daily notes' settings hold.
    write(vault, ".obsidian/plugins/periodic-notes/data.json", '{"daily": {"format": "YYYYMMDD", "enabled": false}}')
    assert load_config(vault).daily_format == "YYYY-MM-DD"


def test_bad_inline_date_is_one_problem_naming_its_line(vault):
    write(vault, "People/Ana.md", "---\ncircle: close\n---\n")
    write(vault, "Notes/Sync.md", "Weekly sync\n\n- [date:: soon]\n- with [[Ana]]\n")
    result = status(vault)
    assert [(p["path"], p["line"]) for p in result["problems"]] == [("Notes/Sync.md", 3)]
    assert result["problems"][0]["message"].startswith("date: not a date")


def test_notes_in_a_people_subfolder_are_people_unless_about_the_folders_person(vault):
    write(vault, "People/Work/Workshop Lee.md", "")
    write(vault, "People/Ana Lima/Ana Lima.md", "")
    write(vault, "People/Ana Lima/Ana Lima – 1:1 notes.md", "")
    assert sorted(people(vault)) == ["Ana Lima", "Workshop Lee"]


def test_add_where_people_are_marked_by_type_not_folder(vault):
    write(vault, "vaultnet.toml", "people = []\n")
    write(vault, "Notes/Ana.md", "---\ntype: person\n---\n")
    assert run(vault, "add", "Bo Chen").exit_code == 0
    assert "type: person\n" in (vault / "Notes/Bo Chen.md").read_text()  # beside the vault's people
    assert sorted(people(vault)) == ["Ana", "Bo Chen"]


def test_what_the_cache_keeps_gives_the_same_answers(vault):
    write(vault, "People/Max.md", "---\nBirthday: 1990-07-02\n---\n")
    write(vault, "Notes/Bo.md", "Bo, from the gym. #person\n")
    write(vault, "Meetings/M.md", '---\nDate: "2024-06-14"\n---\n## Participants\n- [[Max]]\n')
    write(vault, "Notes/Sync.md", "[date:: 2024-06-20]\n[with:: [[Bo]]]\n")
    write(vault, "Drafts/T.md", "---\ntype: person\n---\n<% tp.file.title %>\n")
    before = status(vault)
    assert run(vault, "build").exit_code == 0 and (vault / ".vaultnet/cache").is_dir()
    assert status(vault) == before
    found = {c["name"]: c for c in before["contacts"]}
    assert sorted(found) == ["Bo", "Max"]
    assert (found["Max"]["last_contact"], found["Bo"]["last_contact"]) == ("2024-06-14", "2024-06-20")
