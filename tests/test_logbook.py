import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vaultnet.base.errors import VaultnetError
from vaultnet.edits.log import daily_note_rel, entry, insert_log_line, write_log
from vaultnet.files.config import load_config
from vaultnet.files.writes import WriteConflict
from vaultnet.notes.markdown import scan
from vaultnet.notes.note import parse_note

from conftest import write

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


def test_a_log_heading_in_a_code_block_or_comment_is_not_the_log():
    # Found by the property tests: the line went into the code block, where nothing is counted.
    text = "```\n## Log\n```\n%%\n## Log\n%%\n"
    assert insert_log_line(text, "Log", D, "x") == text + "\n## Log\n- 2026-11-21 x\n"
    assert insert_log_line("```\n## Log\n```\n## Log\n", "Log", D, "x") == "```\n## Log\n```\n## Log\n- 2026-11-21 x\n"


def test_a_bom_does_not_hide_the_log_heading_on_the_first_line():
    assert insert_log_line("\ufeff## Log\n- 2026-01-01 a\n", "Log", D, "x") == "\ufeff## Log\n- 2026-11-21 x\n- 2026-01-01 a\n"


def test_a_note_ending_inside_a_code_block_is_a_clear_error(vault):
    with pytest.raises(VaultnetError, match="inside a code block or a comment"):
        insert_log_line("text\n```\ncode\n", "Log", D, "x")
    path = write(vault, "People/Ana.md", "text\n%%\nhidden\n")
    with pytest.raises(VaultnetError, match="^People/Ana.md: the end of the note is inside a code block or a comment"):
        write_log(load_config(vault), "People/Ana.md", "Ana", D, "x")
    assert path.read_text() == "text\n%%\nhidden\n"


@pytest.mark.parametrize("line", ["x %% y", "x <!-- y"])
def test_an_entry_that_would_hide_the_lines_after_it_is_refused(line):
    with pytest.raises(VaultnetError, match="does not close"):
        insert_log_line("## Log\n- 2026-01-01 a\n", "Log", D, line)
    assert insert_log_line("## Log\n", "Log", D, "x %% y %%") == "## Log\n- 2026-11-21 x %% y %%\n"


def test_the_daily_target_refuses_an_entry_that_would_hide_the_lines_after_it(vault):
    write(vault, "vaultnet.toml", 'log_target = "daily"\n')
    with pytest.raises(VaultnetError, match="does not close"):
        write_log(load_config(vault), "People/Ana.md", "Ana", D, "x <!-- y")
    assert not (vault / "2026-11-21.md").exists()


def test_the_entry_stays_on_one_line():
    # A NUL made the whole note "binary" (skipped by vaultnet); a line break split the entry.
    assert insert_log_line("## Log\n", "Log", D, "a\x00b\nc\u2028d") == "## Log\n- 2026-11-21 ab c d\n"


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
    import vaultnet.files.writes as writes

    real = writes.safe_write
    calls = []

    def user_saves_first(root, rel, data, expected):
        if not calls:
            path.write_text("user edit\n## Log\n- 2026-11-02 a\n")
        calls.append(1)
        return real(root, rel, data, expected)

    monkeypatch.setattr(writes, "safe_write", user_saves_first)
    write_log(config, "People/Ana.md", "Ana", D, "x")
    assert path.read_text() == "user edit\n## Log\n- 2026-11-21 x\n- 2026-11-02 a\n"
    assert len(calls) == 2


def test_an_edit_that_never_stops_is_an_error(vault, monkeypatch):
    path = write(vault, "People/Ana.md", "## Log\n")
    import vaultnet.files.writes as writes

    real = writes.safe_write

    def always_edited(root, rel, data, expected):
        path.write_text(path.read_text() + "more\n")
        return real(root, rel, data, expected)

    monkeypatch.setattr(writes, "safe_write", always_edited)
    with pytest.raises(WriteConflict):
        write_log(load_config(vault), "People/Ana.md", "Ana", D, "x")


# ---------------------------------------------------------------- property-based: any note, any entry

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
DATES = st.dates(dt.date(1990, 1, 1), dt.date(2035, 12, 31))
HEADINGS = st.sampled_from(["Log", "log", "Journal"])
CLEAN_LINE = st.one_of(
    st.sampled_from(["## Log", "# Log", "### log", "## Log ##", "## Other", "# Title", "## Journal", "text", "",
                     "   ", "- item", "  - nested", "\tnested", "- [ ] task", "- [x] done 2026-01-01", "> quote",
                     "1. first", "| a | b |", "|---|---|", "#tag line", "---", "##", "Text [[Ana]]"]),
    st.builds("- {} {}".format, DATES, st.sampled_from(["a", "#call b", "[[Bob]]"])),
    st.builds("- [[{}]] x".format, DATES),
    st.builds("  - {} nested".format, DATES),
)
ANY_LINE = st.one_of(CLEAN_LINE, TEXT, st.sampled_from(
    ["```", "~~~", "```python", "%%", "%% x %%", "<!--", "-->", "<!-- x -->", "    ## Log", "## Log %%", "\x00",
     "\ufeff---", "a\rb", "## Log\r", "\x85", "\u2028"]))
ENTRY = st.one_of(TEXT, st.sampled_from(["%%", "<!--", "a | b", "```", "%% x %%", "a\nb", "a\r\nb", "", "  x  ",
                                         "[[Ana]] #call", "2026-11-02 x", "^vn-x", "\u2028x"]))


@st.composite
def texts(draw, line=ANY_LINE):
    lines = draw(st.lists(line, max_size=12))
    if draw(st.booleans()):
        lines = ["---", *draw(st.lists(st.sampled_from(["a: 1", "## Log", "note: |", "  ## Log", ""]), max_size=3)),
                 *(["---"] if draw(st.booleans()) else []), *lines]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(lines) + (newline if draw(st.booleans()) else "")
    return ("\ufeff" if draw(st.booleans()) else "") + text


def _body(text: str) -> tuple[list[str], int] | None:
    """The body lines and first line number as vaultnet's note reader sees them."""
    note, _ = parse_note("a.md", text.encode("utf-8"))
    return (note.lines, note.body_start) if note is not None else None


def _counted(text: str) -> list:
    note, _ = parse_note("a.md", text.encode("utf-8"))
    assert note is not None
    return list(scan(note.lines, note.body_start))


def check_insert(text: str, heading: str, date: dt.date, line: str) -> str:
    """Insert, then check that exactly one line was added and that vaultnet counts it, and nothing else changed."""
    result = insert_log_line(text, heading, date, line)
    if text.startswith("\ufeff"):  # the BOM is kept, and is not a line
        assert result.startswith("\ufeff")
        text, result = text[1:], result[1:]
    newline = "\r\n" if "\r\n" in text else "\n"
    new = f"- {date.isoformat()} {' '.join(line.replace(chr(0), '').split())}{newline}"
    tail = "" if not text or text.endswith("\n") else newline
    # The line goes at the start of a line of the note, or at its end (the last line then gets its line break) ...
    at = next((k for k in range(len(text) + 1)
               if (k == 0 or text[k - 1] == "\n") and result == text[:k] + new + text[k:]), None)
    if at is None and result == text + tail + new:
        at = len(text + tail)
    if at is None:  # ... or, with no such section, under a new heading at the end
        assert result.startswith(text + tail), (text, result)
        assert result[len(text + tail):] in {f"## {heading}{newline}{new}", f"{newline}## {heading}{newline}{new}"}
        at = len(result) - len(new)
    if "\x00" in text:
        return result  # vaultnet skips binary notes: nothing is counted in them anyway
    number = result[:at].count("\n") + 1
    after = _counted(result)
    inserted = [counted for counted in after if counted.number == number]
    assert len(inserted) == 1, (text, result, after)
    assert inserted[0].is_list and inserted[0].task is None and inserted[0].leading_date == date.isoformat()
    moved = [(c.number - 1 if c.number > number else c.number, c.text, c.task, c.is_list) for c in after if c.number != number]
    assert moved == [(c.number, c.text, c.task, c.is_list) for c in _counted(text)], (text, result)
    return result


@given(texts(), HEADINGS, DATES, ENTRY)
def test_insert_log_line_adds_one_counted_line_and_changes_nothing_else(text, heading, date, line):
    try:
        check_insert(text, heading, date, line)
    except VaultnetError as err:
        assert "\n" not in str(err)


@given(texts(CLEAN_LINE), HEADINGS, DATES, st.text(st.characters(blacklist_categories=("Cs",),
                                                                  blacklist_characters="%<`|"), max_size=20))
def test_insert_log_line_never_refuses_an_ordinary_note(text, heading, date, line):
    check_insert(text, heading, date, line)


@st.composite
def sorted_logs(draw):
    dates = sorted(draw(st.lists(DATES, max_size=6)), reverse=True)
    section = []
    for day in dates:
        section.append(f"- {day.isoformat()} entry")
        section += draw(st.lists(st.sampled_from(["  - detail", "\tmore", "", "prose"]), max_size=2))
    before = draw(st.lists(st.sampled_from(["# Ana", "text", "", "- 2001-01-01 not in the log", "## Other"]), max_size=3))
    after = draw(st.lists(st.sampled_from(["## Next", "# Top", "- 2001-01-01 next section", "text", ""]), max_size=3))
    if after and not after[0].startswith("#"):
        after = ["## Next", *after]
    return "\n".join([*before, "## Log", *section, *after]) + "\n"


@given(sorted_logs(), DATES)
def test_insert_log_line_keeps_a_sorted_log_newest_first(text, date):
    result = check_insert(text, "Log", date, "new")
    lines = result.split("\n")
    start = lines.index("## Log")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("#")), len(lines))
    dates = [line[2:12] for line in lines[start + 1:end] if re.match(r"- \d{4}-\d{2}-\d{2}", line)]
    assert dates == sorted(dates, reverse=True)
    assert f"- {date.isoformat()} new" in lines[start + 1:end]
