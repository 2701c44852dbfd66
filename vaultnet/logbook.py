"""``vaultnet log``: one new line in a contact's log, or in a daily note.

Only that line is added: every other byte of the note stays as it was.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from .config import Config
from .dates import DailyFormat, Date
from .errors import VaultnetError
from .writes import WriteConflict, read_bytes, safe_write

ATTEMPTS = 5
_FRONT = re.compile(r"^---[ \t]*\r?$")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*\r?$")
_DATED_ITEM = re.compile(r"^[-*+][ \t]+(?:\[\[)?(\d{4}-\d{2}-\d{2})(?!\d)")
_TEMPLATE_DATE = re.compile(r"\{\{\s*date(?::([^}]*))?\s*\}\}")


def entry(text: str, kind: str | None = None, exchanges: Iterable[str] = ()) -> str:
    """The tags and text of a log entry, on one line."""
    tags = ([f"#{kind}"] if kind and kind != "note" else []) + [f"#{e}" for e in exchanges]
    return " ".join([*tags, " ".join(text.split())])


def _lines(text: str) -> list[str]:
    """Lines with their endings; only LF (or CRLF) ends a line, as in editors."""
    parts = text.split("\n")
    lines = [part + "\n" for part in parts[:-1]]
    return lines + [parts[-1]] if parts[-1] else lines


def insert_log_line(text: str, heading: str, date: Date, line: str) -> str:
    """Insert ``- DATE line`` under ``heading``, newest first; the heading is added at the end when missing."""
    newline = "\r\n" if "\r\n" in text else "\n"
    new = f"- {date.isoformat()} {line}{newline}"
    lines = _lines(text)
    start = 0
    if lines and _FRONT.match(lines[0].removeprefix("\ufeff")):
        start = next((i + 1 for i in range(1, len(lines)) if _FRONT.match(lines[i])), 0)
    wanted = " ".join(heading.split()).casefold()
    found = None
    for index in range(start, len(lines)):
        match = _HEADING.match(lines[index])
        if match and " ".join(match.group(2).split()).casefold() == wanted:
            found, level = index, len(match.group(1))
            break
    if found is None:
        tail = "" if not lines or lines[-1].endswith("\n") else newline
        gap = newline if lines and lines[-1].strip() else ""
        return text + tail + gap + f"## {heading}{newline}" + new
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
    if position > 0 and not lines[position - 1].endswith("\n"):
        lines[position - 1] += newline
    lines.insert(position, new)
    return "".join(lines)


def daily_note_rel(config: Config, date: Date) -> str:
    stem = config.daily.render(date)
    return f"{config.daily_folder}/{stem}.md" if config.daily_folder else f"{stem}.md"


def daily_template(config: Config, date: Date) -> str:
    """The daily-note template with Obsidian's ``{{date}}``/``{{title}}`` filled in, or nothing."""
    if not config.daily_template:
        return ""
    rel = config.daily_template if config.daily_template.endswith(".md") else config.daily_template + ".md"
    data = read_bytes(config.root / rel)
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


def write_log(config: Config, contact_path: str, contact_name: str, date: Date, line: str) -> str:
    """Record one entry where the config says; returns the note written."""
    for _ in range(ATTEMPTS):
        if config.log_target == "daily":
            rel = daily_note_rel(config, date)
            data = read_bytes(config.root / rel)
            text = _decode(rel, data) if data is not None else daily_template(config, date)
            new = append_line(text, f"- [[{contact_name}]] {line}")
        else:
            rel = contact_path
            data = read_bytes(config.root / rel)
            if data is None:
                raise VaultnetError(f"{rel} no longer exists")
            new = insert_log_line(_decode(rel, data), config.log_heading, date, line)
        try:
            safe_write(config.root, rel, new.encode("utf-8"), data)
            return rel
        except WriteConflict:
            continue  # someone saved the note meanwhile: read it again, insert again
    raise WriteConflict(f"{rel} keeps changing; try again")


def _decode(rel: str, data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise VaultnetError(f"{rel} is not valid UTF-8; vaultnet will not edit it") from None
