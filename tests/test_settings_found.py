"""Where a vault keeps its settings: any config folder, `{{date:...}}` formats, and the keys that pin a reading."""

from __future__ import annotations

import pytest

from vaultnet.base.errors import ConfigError
from vaultnet.files.config import config_folders, load_config, settings_files, template_folders
from vaultnet.pipeline.freshness import settings_digest

from conftest import write


def test_a_devices_override_config_folder_gives_the_daily_notes(vault):
    # Obsidian keeps each device's settings in a folder of its own name; .obsidian holds only app.json.
    write(vault, ".obsidian/app.json", "{}")
    write(vault, ".laptop/app.json", "{}")
    write(vault, ".laptop/daily-notes.json", '{"format": "dddd, MMMM Do YYYY", "folder": "Journal/Days"}')
    write(vault, ".phone/daily-notes.json", '{"format": "YYYY-MM-DD"}')
    write(vault, ".git/daily-notes.json", '{"format": "nonsense"}')
    config = load_config(vault)
    assert config_folders(vault) == (".obsidian", ".laptop", ".phone")
    assert (config.daily_format, config.daily_folder, config.settings_folder) == \
        ("dddd, MMMM Do YYYY", "Journal/Days", ".laptop")


def test_obsidian_folder_wins_when_it_has_settings(vault):
    write(vault, ".obsidian/daily-notes.json", '{"format": "YYYY-MM-DD"}')
    write(vault, ".laptop/daily-notes.json", '{"format": "DD.MM.YYYY"}')
    config = load_config(vault)
    assert (config.daily_format, config.settings_folder) == ("YYYY-MM-DD", "")


def test_a_format_wrapped_in_template_syntax_is_unwrapped(vault):
    write(vault, ".obsidian/daily-notes.json", '{"folder": "Daily/{{date:YYYY}}", "format": "{{date:YYYY-MM-DD}}"}')
    config = load_config(vault)
    assert config.daily_format == "YYYY-MM-DD"
    assert config.daily.match("Daily/2026/2026-02-04") is not None


def test_settings_in_any_config_folder_and_templates_change_the_digest(vault):
    write(vault, ".laptop/app.json", "{}")
    write(vault, "Templates/Friend.md", "---\nlast seen:\n---\n")
    config = load_config(vault)
    assert ".laptop/daily-notes.json" in settings_files(config)
    assert "Templates/Friend.md" in settings_files(config)
    before = settings_digest(config)
    write(vault, ".laptop/daily-notes.json", '{"format": "YYYY_MM_DD"}')
    after_settings = settings_digest(load_config(vault))
    write(vault, "Templates/Friend.md", "---\nlast seen:\nbirthday:\n---\n")
    assert len({before, after_settings, settings_digest(load_config(vault))}) == 3


def test_templates_folders_by_name_when_no_setting_names_one(vault):
    write(vault, "Meta/Templates/Person.md", "")
    write(vault, "_templates/Meeting.md", "")
    write(vault, "Notes/My Templates Talk.md", "")
    config = load_config(vault)
    assert template_folders(config) == ("Meta/Templates", "_templates")
    write(vault, "vaultnet.toml", 'templates = ["Meta/Templates"]\n')
    config = load_config(vault)
    assert config.templates_folders == ("Meta/Templates",) and template_folders(config) == ("Meta/Templates",)


def test_the_keys_that_pin_a_reading(vault):
    write(vault, "vaultnet.toml", """
        people = ["Areas/Family", "Areas/Elias/Elias.md"]
        not_people = ["People/Teddy.md", "Welcome*"]
        mentions = false
        daily_format = "MMMM Do, YYYY"
        date_properties = ["dateTime"]
        attendee_properties = ["contacts", "person"]
    """)
    config = load_config(vault)
    assert config.people == ("Areas/Family", "Areas/Elias/Elias.md") and config.people_configured
    assert config.not_people == ("People/Teddy.md", "Welcome*")
    assert config.mentions is False and config.daily_format_configured
    assert (config.date_properties, config.attendee_properties) == (("dateTime",), ("contacts", "person"))


@pytest.mark.parametrize("line, message", [
    ("mentions = 1", "mentions must be"),
    ("not_people = 3", "not_people must be"),
    ("attendee_properties = [1]", "attendee_properties must be text"),
])
def test_bad_values_of_the_new_keys_name_the_key(vault, line, message):
    write(vault, "vaultnet.toml", line + "\n")
    with pytest.raises(ConfigError, match=message):
        load_config(vault)
