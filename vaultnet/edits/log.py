"""``vaultnet log``: one new line in a contact's log, or in a daily note.

Only that line is added: every other byte of the note stays as it was.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import replace

from vaultnet.base.dates import DailyFormat, Date
from vaultnet.base.errors import VaultnetError
from vaultnet.files.config import Config
from vaultnet.files.writes import NotAFile, UnsafePath, edit_text, read_bytes, target_in_vault
from vaultnet.notes.markdown import Line, scan

_FRONT = re.compile(r"^---[ \t]*\r?$")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*\r?$")
_DATED_ITEM = re.compile(r"^[-*+][ \t]+(?:\[\[)?(\d{4}-\d{2}-\d{2})(?!\d)")
_TEMPLATE_DATE = re.compile(r"\{\{\s*date(?::([^}]*))?\s*\}\}")


EXCHANGES = ("gave", "got", "asked", "thanked")


class BadEntry(ValueError):
    """A log entry vaultnet refuses; ``param`` says which value (``kind``, ``text``, ``exchanges``)."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(message)
        self.param = param


def checked_entry(config: Config, text: str, kind: str | None = None, exchanges: Iterable[str] = ()) -> str:
    """The entry ``vaultnet log`` (and the MCP server's ``log``) writes; :class:`BadEntry` for a kind that is
    not one of ``kinds``, an exchange that is not one of :data:`EXCHANGES`, or nothing to log."""
    tag = kind.lower().lstrip("#") if kind is not None else None
    if tag is not None and tag not in config.kinds:
        raise BadEntry("kind", f"{kind!r} is not one of {', '.join(config.kinds)}")
    given = list(exchanges)
    unknown = [item for item in given if item not in EXCHANGES]
    if unknown:
        raise BadEntry("exchanges", f"{', '.join(map(repr, unknown))}: exchanges are {', '.join(EXCHANGES)}")
    if not text.strip():
        raise BadEntry("text", "nothing to log")
    return entry(text, tag, [item for item in EXCHANGES if item in given])


def entry(text: str, kind: str | None = None, exchanges: Iterable[str] = ()) -> str:
    """The tags and text of a log entry, on one line."""
    tags = ([f"#{kind}"] if kind and kind != "note" else []) + [f"#{e}" for e in exchanges]
    return " ".join([*tags, " ".join(text.split())])


def _lines(text: str) -> list[str]:
    """Lines with their endings; only LF (or CRLF) ends a line, as in editors."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    return lines + [parts[-1]] if parts[-1] else lines


def clean_entry(line: str) -> str:
    """The entry on one line: line breaks (Unicode ones too) and runs of spaces collapsed, no NUL."""
    return " ".join(line.replace("\x00", "").split())


def _checked(line: str) -> str:
    """The entry on one line, refused when it would hide the lines after it."""
    text = clean_entry(line)
    if [counted.number for counted in scan([f"- 2000-01-01 {text}", "x"])] != [1, 2]:
        raise VaultnetError("the entry opens a %% or <!-- comment that it does not close, "
                            "which would hide the lines after it; close it or leave it out")
    return text


def insert_log_line(text: str, heading: str, date: Date, line: str) -> str:
    """Insert ``- DATE line`` under ``heading``, newest first; the heading is added at the end when missing.

    Only a place where vaultnet will count the line is used: a ``## Log`` inside a
    code block or a comment is not the log. :class:`VaultnetError` when there is
    no such place, or when the entry would hide the lines after it.
    """
    newline = "\r\n" if "\r\n" in text else "\n"
    new = f"- {date.isoformat()} {_checked(line)}{newline}"
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    text = text[len(bom):]
    lines = _lines(text)
    start = _body_start(lines)
    counted = _counted(lines, start)
    wanted = " ".join(heading.split()).casefold()
    for found in _visible_headings(lines, start, wanted):
        match = _HEADING.match(lines[found])
        if match:
            attempt, position = _insert_in_section(lines, found, len(match.group(1)), date, new, newline)
            if _only_added(counted, _counted(attempt, start), position, date):
                return bom + "".join(attempt)
    # No such section vaultnet can see: a new heading at the end.
    tail = "" if not lines or lines[-1].endswith("\n") else newline
    gap = newline if lines and lines[-1].strip() else ""
    result = text + tail + gap + f"## {heading}{newline}" + new
    after = _lines(result)
    if not _only_added(counted, _counted(after, start), len(after) - 1, date):
        raise VaultnetError(f"the end of the note is inside a code block or a comment, and so is any '{heading}' "
                            "heading: close it, or add the line by hand")
    return bom + result


_PROBE = "- 2000-01-01 probe"


def _visible_headings(lines: list[str], start: int, wanted: str) -> list[int]:
    """The ``wanted`` headings vaultnet can see (not inside code or a comment), in one scan.

    Each candidate is swapped for a dated list item and the body scanned once:
    the ones that come back counted are outside code and comments. Trying every
    heading with a full check instead takes quadratic time on a note with
    thousands of ``## Log`` lines inside code blocks. The insertion is still
    checked in full afterwards.
    """
    candidates = [
        index for index in range(start, len(lines))
        if (match := _HEADING.match(lines[index])) and " ".join(match.group(2).split()).casefold() == wanted
    ]
    if len(candidates) <= 1:
        return candidates
    probed = list(lines)
    for index in candidates:
        probed[index] = _PROBE + "\n"
    seen = {line.number for line in _counted(probed, start) if line.leading_date == "2000-01-01"}
    return [index for index in candidates if index in seen]


def _insert_in_section(lines: list[str], found: int, level: int, date: Date, new: str,
                       newline: str) -> tuple[list[str], int]:
    """The lines with ``new`` in the section under the heading at ``found``, and where it went."""
    end = next(
        (i for i in range(found + 1, len(lines)) if (m := _HEADING.match(lines[i])) and len(m.group(1)) <= level),
        len(lines),
    )
    position = None
    last_item = None
    for index in range(found + 1, end):
        match = _DATED_ITEM.match(lines[index])
        if match:
            last_item = index
            if match.group(1) <= date.isoformat():
                position = index
                break
    if position is None:
        if last_item is not None:
            position = last_item + 1
            while position < end and lines[position][:1] in (" ", "\t") and lines[position].strip():
                position += 1  # keep the last entry's nested lines with it
        else:
            position = found + 1  # right under the heading, never glued to a paragraph
    out = list(lines)
    if position > 0 and not out[position - 1].endswith("\n"):
        out[position - 1] += newline
    out.insert(position, new)
    return out, position


def _body_start(lines: list[str]) -> int:
    """The index of the first line after the front matter (0 without one)."""
    if lines and _FRONT.match(lines[0]):
        return next((i + 1 for i in range(1, len(lines)) if _FRONT.match(lines[i])), 0)
    return 0


def _counted(lines: list[str], start: int) -> list[Line]:
    """What vaultnet counts in the body, ``lines[start:]``; numbers are indexes into ``lines``."""
    return list(scan([line.removesuffix("\n").removesuffix("\r") for line in lines[start:]], start))


def _only_added(before: list[Line], after: list[Line], position: int, date: Date) -> bool:
    """Whether ``after`` is ``before`` plus a log line dated ``date`` at ``position``, every other line as it was."""
    inserted = [line for line in after if line.number == position]
    if len(inserted) != 1 or not inserted[0].is_list or inserted[0].task is not None:
        return False
    if inserted[0].leading_date != date.isoformat():
        return False
    rest = [replace(line, number=line.number - 1) if line.number > position else line
            for line in after if line.number != position]
    return rest == before


def daily_note_rel(config: Config, date: Date) -> str:
    stem = config.daily.render(date)
    return f"{config.daily_folder}/{stem}.md" if config.daily_folder else f"{stem}.md"


def daily_template(config: Config, date: Date) -> str:
    """The daily-note template with Obsidian's ``{{date}}``/``{{title}}`` filled in, or nothing."""
    if not config.daily_template:
        return ""
    rel = config.daily_template if config.daily_template.endswith(".md") else config.daily_template + ".md"
    try:
        data = read_bytes(target_in_vault(config.root, rel))
    except (UnsafePath, NotAFile) as err:
        raise VaultnetError(f"daily-note template {rel}: {str(err).split(': ', 1)[-1]}") from None
    if data is None:
        return ""
    text = data.decode("utf-8", errors="replace").removeprefix("\ufeff")
    title = config.daily.render(date)
    text = _TEMPLATE_DATE.sub(lambda m: DailyFormat(m.group(1) or "YYYY-MM-DD").render(date), text)
    text = re.sub(r"\{\{\s*title\s*\}\}", title, text)
    return re.sub(r"\{\{\s*time(?::[^}]*)?\s*\}\}", dt.datetime.now().strftime("%H:%M"), text)


def append_line(text: str, line: str) -> str:
    newline = "\r\n" if "\r\n" in text else "\n"
    tail = "" if not text or text.endswith("\n") else newline
    return text + tail + line + newline


def no_note(rel: str, name: str) -> None:
    """A person known only by a tag or by dated notes' names has no note to write into: say so."""
    if rel.startswith("#"):
        raise VaultnetError(f"{name} has no note of their own (vaultnet knows them by {rel}): "
                            f"`vaultnet add \"{name}\"` makes one")


def write_log(config: Config, contact_path: str, contact_name: str, date: Date, line: str) -> str:
    """Record one entry where the config says; returns the note written."""
    if config.log_target == "daily":
        rel = daily_note_rel(config, date)
        text_line = f"- [[{contact_name}]] {_checked(line)}"

        def add_daily(text: str | None) -> str:
            result = append_line(daily_template(config, date) if text is None else text, text_line)
            lines = _lines(result)
            if not any(counted.number == len(lines) - 1 for counted in _counted(lines, _body_start(lines))):
                # Appended inside an unclosed code block or %% comment, it would say "logged" and never count.
                raise VaultnetError(f"{rel}: the end of the note is inside a code block or a comment: close it, "
                                    "or add the line by hand")
            return result

        edit_text(config.root, rel, add_daily, exact=True)
        return rel
    rel = contact_path
    no_note(rel, contact_name)
    _checked(line)

    def add_entry(text: str | None) -> str:
        if text is None:
            raise VaultnetError(f"{rel} no longer exists")
        try:
            return insert_log_line(text, config.log_heading, date, line)
        except VaultnetError as err:
            raise VaultnetError(f"{rel}: {err}") from None

    edit_text(config.root, rel, add_entry, exact=True)
    return rel
