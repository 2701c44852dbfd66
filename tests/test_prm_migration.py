"""A vault kept with xuvi7/obsidian-personal-crm, as its notes and settings are.

The plugin's settings live in ``.obsidian/plugins/personal-crm/data.json``; it
appends log entries under ``## Contact log`` (``bodyLogHeading``) as
``- [[<daily note>|2026-07-04]] — note`` when the day's note is not named by the
date alone (``linkDailyNoteInLog``, on by default), else ``- 2026-07-04 — note``;
``prm-ignore-journal: true`` opts a person out of journal mentions, and a date
link in a person's own note ("a deep conversation on [[2026-01-24]]") counts
(``countPersonNoteDateLinks``, on by default).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from vaultnet.cli.main import main
from vaultnet.files.config import load_config
from vaultnet.pipeline.session import build_network

from conftest import TODAY, standing, write

SAM = """---
prm-tier: close
prm-birthday: 04-17
prm-location: Lisbon
---
# Sam Rivera

## Contact log
- 2026-10-01 — a call about the trip
"""


def crm_vault(vault: Path, settings: dict[str, object] | None = None) -> Path:
    write(vault, ".obsidian/plugins/personal-crm/data.json", json.dumps(settings or {"logToBody": True}))
    write(vault, ".obsidian/daily-notes.json", json.dumps({"folder": "Journal", "format": "[Day-]YYYYMMDD"}))
    write(vault, "People/Sam Rivera.md", SAM)
    return vault


def days(vault: Path, name: str) -> list[dt.date]:
    return sorted({i.date for i in standing(build_network(load_config(vault), TODAY), name).interactions})


def log(vault: Path, *args: str):
    return CliRunner().invoke(main, ["--vault", str(vault), "--today", "2026-11-21", "log", *args])


@pytest.mark.parametrize("settings, heading", [(None, "Contact log"), ({"bodyLogHeading": "Seen"}, "Seen")])
def test_log_adds_to_the_plugins_log_section(vault, settings, heading):
    crm_vault(vault, settings)
    if heading != "Contact log":
        note = vault / "People/Sam Rivera.md"
        note.write_text(note.read_text(encoding="utf-8").replace("## Contact log", f"## {heading}"), encoding="utf-8")
    assert log(vault, "Sam Rivera", "coffee at the gym", "--kind", "coffee").exit_code == 0
    text = (vault / "People/Sam Rivera.md").read_text(encoding="utf-8")
    assert text.count("\n## ") == 1  # no second log section
    assert f"## {heading}\n- 2026-11-21 #coffee coffee at the gym\n- 2026-10-01 — a call about the trip\n" in text


def test_vaultnet_toml_still_names_the_log_heading(vault):
    crm_vault(vault)
    (vault / "vaultnet.toml").write_text('log_heading = "Log"\n', encoding="utf-8")
    assert load_config(vault).log_heading == "Log"
    assert load_config(vault.parent).log_heading == "Log"  # no plugin: the default


def test_the_plugins_keys_are_read(vault):
    crm_vault(vault)
    sam = standing(build_network(load_config(vault), TODAY), "Sam Rivera")
    assert (sam.contact.circle, sam.contact.fields.get("location")) == ("close", "Lisbon")
    assert sam.interactions[0].date == dt.date(2026, 10, 1) and sam.interactions[0].text == "a call about the trip"


@pytest.mark.parametrize("link", ["[[Day-20261102|2026-11-02]]", "[[Journal/2026-11-02|2026-11-02]]"])
def test_a_log_line_dated_by_a_link_to_the_days_note(vault, link):
    crm_vault(vault)
    note = vault / "People/Sam Rivera.md"
    note.write_text(note.read_text(encoding="utf-8") + f"- {link} — coffee at the gym\n", encoding="utf-8")
    assert dt.date(2026, 11, 2) in days(vault, "Sam Rivera")


def test_prm_ignore_journal_opts_a_person_out_of_journal_mentions(vault):
    crm_vault(vault)
    write(vault, "People/Kim Lee.md", "---\nprm-tier: inner\nprm-ignore-journal: true\n---\n"
          "Her sister's wedding is on [[2026-11-12]].\n## Log\n- 2026-11-01 #call about the move\n")
    write(vault, "Journal/Day-20261115.md", "- lunch near [[Kim Lee]]'s office, she was away\n"
          "- coffee with [[Sam Rivera]] and [[Kim Lee]]\n")
    assert days(vault, "Kim Lee") == [dt.date(2026, 11, 1)]  # her log line still counts
    assert dt.date(2026, 11, 15) in days(vault, "Sam Rivera")  # and the others in the same line


def test_a_date_link_in_a_persons_note_is_contact_that_day(vault):
    crm_vault(vault)
    write(vault, "People/Kim Lee.md", "---\nprm-tier: inner\n---\nA deep conversation on [[2026-11-10]] about her move.\n"
          "Then [[Day-20261114]] and [[Journal/2026-11-16|Monday]], met via [[Sam Rivera]] on [[2026-11-10]].\n")
    assert days(vault, "Kim Lee") == [dt.date(2026, 11, 10), dt.date(2026, 11, 14), dt.date(2026, 11, 16)]


def test_a_change_to_the_plugins_settings_is_seen_by_the_next_run(vault):
    """The log heading comes from a settings file: the cache must know it as one (config.SETTINGS_FILES)."""
    from vaultnet.files.config import SETTINGS_FILES

    assert ".obsidian/plugins/personal-crm/data.json" in SETTINGS_FILES


CARL = """/---contact---/
| key       | value                    |
| --------- | ------------------------ |
| Name      | carl                     |
| Last Name | johnson                  |
| Phone     | +1 555 555 5555          |
| Telegram  | @carlj567                |
| Linkedin  | linkedin.com/in/carlj567 |
| Birthday  | 1966-12-06               |
| Last chat | 2022-12-06               |
| Friends   | [[Bob]] [[Sue]]          |
/---contact---/
"""


def test_the_contacts_plugins_default_table_format_is_read(vault):
    write(vault, "Contacts/Carl Johnson.md", CARL)
    carl = standing(build_network(load_config(vault), TODAY), "Carl Johnson")
    assert carl.contact.last_contact == dt.date(2022, 12, 6)
    assert carl.next_birthday is not None and (carl.next_birthday.month, carl.next_birthday.day) == (12, 6)
    assert carl.contact.fields["phone"] == "+1 555 555 5555" and carl.contact.fields["linkedin"] == "linkedin.com/in/carlj567"
    assert carl.contact.aliases == () and carl.contact.friends == ("Bob", "Sue")  # "carl" + "johnson" is his name
    assert [i.source for i in carl.interactions] == ["manual"]  # the table's rows are no log


def test_a_bad_value_in_the_contacts_table_names_its_row(vault):
    write(vault, "Contacts/Carl Johnson.md", "Carl, from the climbing gym.\n\n" + CARL.replace("1966-12-06", "soon"))
    problems = [str(p) for p in build_network(load_config(vault), TODAY).problems]
    assert any(p.startswith("Contacts/Carl Johnson.md:11: Birthday:") for p in problems), problems
