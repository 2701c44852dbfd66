import datetime as dt

import pytest

from conftest import write
from vaultnet.config import load_config
from vaultnet.logbook import daily_note_rel, entry, insert_log_line, write_log
from vaultnet.writes import WriteConflict

D = dt.date(2026, 11, 21)


def test_entry_format():
    assert entry("coffee at  the\nnew place", "coffee", ["gave", "thanked"]) == "#coffee #gave #thanked coffee at the new place"
    assert entry("hello", "note") == "hello"


def test_inserted_newest_first():
    text = "---\nx: 1\n---\n## Log\n- 2026-11-25 planned\n- 2026-11-21 same day\n- [[2026-11-02]] older\n"
    assert insert_log_line(text, "Log", D, "new") == (
        "---\nx: 1\n---\n## Log\n- 2026-11-25 planned\n- 2026-11-21 new\n- 2026-11-21 same day\n- [[2026-11-02]] older\n"
    )


def test_older_than_every_entry_goes_last_after_nested_lines():
    text = "## Log\n- 2026-11-02 a\n  - detail\n\n## Next\n"
    assert insert_log_line(text, "Log", dt.date(2026, 1, 1), "old") == "## Log\n- 2026-11-02 a\n  - detail\n- 2026-01-01 old\n\n## Next\n"


def test_section_ends_at_the_next_heading():
    text = "## Log\n- 2026-11-02 a\n## Tasks\n- 2025-01-01 not a log line\n"
    assert insert_log_line(text, "log", dt.date(2025, 6, 1), "x") == "## Log\n- 2026-11-02 a\n- 2025-06-01 x\n## Tasks\n- 2025-01-01 not a log line\n"


def test_empty_section_keeps_its_blank_line():
    assert insert_log_line("## Log\n\nprose\n", "Log", D, "x") == "## Log\n- 2026-11-21 x\n\nprose\n"
    assert insert_log_line("## Log\n", "Log", D, "x") == "## Log\n- 2026-11-21 x\n"
    assert insert_log_line("## Log", "Log", D, "x") == "## Log\n- 2026-11-21 x\n"


def test_missing_heading_is_created_at_the_end():
    assert insert_log_line("---\na: 1\n---\nText", "Log", D, "x") == "---\na: 1\n---\nText\n\n## Log\n- 2026-11-21 x\n"
    assert insert_log_line("", "Log", D, "x") == "## Log\n- 2026-11-21 x\n"


def test_a_heading_inside_front_matter_is_not_the_log():
    text = "---\nnote: |\n  ## Log\n---\nbody\n"
    assert insert_log_line(text, "Log", D, "x") == text + "\n## Log\n- 2026-11-21 x\n"


def test_crlf_kept():
    assert insert_log_line("## Log\r\n- 2026-11-02 a\r\n", "Log", D, "x") == "## Log\r\n- 2026-11-21 x\r\n- 2026-11-02 a\r\n"


def test_daily_target_appends_and_creates_from_template(vault):
    write(vault, ".obsidian/daily-notes.json", '{"folder": "Journal", "format": "DD.MM.YYYY", "template": "Templates/Daily"}')
    write(vault, "Templates/Daily.md", "# {{title}}\nDate: {{date:YYYY-MM-DD}}\n\n")
    write(vault, "vaultnet.toml", 'log_target = "daily"\n')
    config = load_config(vault)
    assert daily_note_rel(config, D) == "Journal/21.11.2026.md"
    assert write_log(config, "People/Ana.md", "Ana", D, "#call hi") == "Journal/21.11.2026.md"
    assert (vault / "Journal/21.11.2026.md").read_text() == "# 21.11.2026\nDate: 2026-11-21\n\n- [[Ana]] #call hi\n"
    write_log(config, "People/Ana.md", "Ana", D, "again")
    assert (vault / "Journal/21.11.2026.md").read_text().endswith("- [[Ana]] #call hi\n- [[Ana]] again\n")


def test_concurrent_edit_is_kept(vault, monkeypatch):
    path = write(vault, "People/Ana.md", "## Log\n- 2026-11-02 a\n")
    config = load_config(vault)
    import vaultnet.logbook as logbook

    real = logbook.safe_write
    calls = []

    def user_saves_first(root, rel, data, expected):
        if not calls:
            path.write_text("user edit\n## Log\n- 2026-11-02 a\n")
        calls.append(1)
        return real(root, rel, data, expected)

    monkeypatch.setattr(logbook, "safe_write", user_saves_first)
    write_log(config, "People/Ana.md", "Ana", D, "x")
    assert path.read_text() == "user edit\n## Log\n- 2026-11-21 x\n- 2026-11-02 a\n"
    assert len(calls) == 2


def test_an_edit_that_never_stops_is_an_error(vault, monkeypatch):
    path = write(vault, "People/Ana.md", "## Log\n")
    import vaultnet.logbook as logbook

    real = logbook.safe_write

    def always_edited(root, rel, data, expected):
        path.write_text(path.read_text() + "more\n")
        return real(root, rel, data, expected)

    monkeypatch.setattr(logbook, "safe_write", always_edited)
    with pytest.raises(WriteConflict):
        write_log(load_config(vault), "People/Ana.md", "Ana", D, "x")
