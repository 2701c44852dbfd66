"""What a note's body says about the note itself: Dataview inline fields, body tags,
attendee headings and unrendered template syntax.

Read once when a note is parsed (the body is not kept), so each is one pass of
a regular expression over the text, and none when the text cannot hold it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from vaultnet.base.keys import ATTENDEE_HEADINGS, DATE_SPELLINGS, PEOPLE_TAGS, normalise
from vaultnet.notes.markdown import CODE_SPAN

_FENCED = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*\n.*?^[ \t]*\1[ \t]*$", re.MULTILINE | re.DOTALL)
# `key:: value` on a line of its own (in a list item or a callout too), as Dataview reads it.
_FULL_LINE = re.compile(
    r"^[ \t]*(?:>[ \t]*)*(?:(?:[-*+]|\d+[.)])[ \t]+(?:\[.\][ \t]+)?)?([^\s\[\]()>:`#|][^\[\]():`|\n]*?)::[ \t]*(.*?)[ \t]*$",
    re.MULTILINE,
)
# `[key:: value]` and `(key:: value)` anywhere in a line; the value may hold [[links]].
_NESTED_ITEM = re.compile(r"[ \t]+(?:[-*+]|\d+[.)])[ \t]")  # an indented list item: part of the item above it
_BRACKETED = re.compile(r"[\[(]([^\[\]():`\n]+?)::[ \t]*((?:[^\[\]()\n]|\[\[[^\[\]\n]*\]\])*?)[ \t]*[\])]")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$", re.MULTILINE)
# Templater's cursor markers (`<% tp.file.cursor(2) %>`) stay in notes made from a template until
# the user jumps to them: a note holding only those is a note, not a template.
_UNRENDERED = re.compile(r"\{\{\s*(?:date|time|title|value|vdate)\b[^{}\n]*\}\}"
                         r"|<%(?!\s*tp\.file\.cursor\(\s*\d*\s*\)\s*-?%>)[\s\S]*?%>", re.IGNORECASE)
# A property whose whole value is a placeholder, `circle: "{{tier}}"`: a plugin's template.
_PLACEHOLDER_VALUE = re.compile(r"^[^\s:#][^:\n]*:[ \t]*([\"']?)\{\{[^{}\n]+\}\}\1[ \t]*\r?$", re.MULTILINE)
_EMOJI_AND_MARKS = re.compile(r"[^\w\s-]+")
# Any heading that may name attendees: the full pass over headings runs only when one does.
_ATTENDEE_HEADING = re.compile(r"^#{1,6}[ \t]+\W*(?:" + "|".join(ATTENDEE_HEADINGS) + r")\b", re.MULTILINE | re.IGNORECASE)


# vbeskrovnov/obsidian-contacts' default format: a key | value table between two marker lines.
CONTACT_TABLE = "/---contact---/"
_CONTACT_BLOCK = re.compile(r"^[ \t]*/---contact---/[ \t]*$(.*?)^[ \t]*/---contact---/[ \t]*$", re.MULTILINE | re.DOTALL)
_TABLE_ROW = re.compile(r"^[ \t]*\|([^|\n]*)\|(.*?)\|?[ \t]*$", re.MULTILINE)


@dataclass
class BodyFacts:
    fields: dict[str, Any] = field(default_factory=dict)  # key as written → value text (a list when repeated)
    field_lines: dict[str, int] = field(default_factory=dict)
    tags: tuple[str, ...] = ()  # person tags only
    attendee_sections: tuple[tuple[int, int], ...] = ()  # first and last body line of each, file numbering
    unrendered: bool = False


def unrendered(text: str) -> bool:
    """True when the text holds template syntax that was never rendered (``{{date}}``, ``<% tp... %>``).

    Syntax inside code (a fenced block, a code span) is shown, not run: a note that explains
    templates (Obsidian's own help does) is a note like any other.
    """
    braces = "{{" in text
    if braces and text.startswith("---"):
        end = text.find("\n---", 3)
        if end > 0 and _PLACEHOLDER_VALUE.search(text, 3, end):
            return True
    if not ((braces or "<%" in text) and _UNRENDERED.search(text)):
        return False
    if "`" not in text and "~~~" not in text:
        return True
    if "```" in text or "~~~" in text:
        text = _FENCED.sub("", text)
    return _UNRENDERED.search(CODE_SPAN.sub(" ", text)) is not None


@lru_cache(maxsize=16)
def _with_people_tags(person_tags: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*person_tags, *PEOPLE_TAGS)))


@lru_cache(maxsize=16)
def tag_pattern(person_tags: tuple[str, ...]) -> re.Pattern[str]:
    """Finds ``#person`` and ``#person/...`` (for each person tag) in a text, and ``#people/<name>``
    (a person named by a tag on the note that met them), and no other tag."""
    names = "|".join(re.escape(tag.lower()) for tag in sorted(_with_people_tags(person_tags), key=len, reverse=True))
    # A literal '#' first lets the engine skip ahead; the character before it is checked by the caller.
    return re.compile(r"#((?i:" + names + r")(?:/[\w/-]*)?)(?![\w-])")


def read_body(body: str, first_line: int, person_tags: tuple[str, ...] = ("person",)) -> BodyFacts:
    """The facts of one body; ``first_line`` is the file line number of its first line.

    Of the tags in the text, only person tags are kept: nothing else reads them.
    """
    facts = BodyFacts()
    if ("::" in body or "#" in body) and ("```" in body or "~~~" in body):
        # Code blocks say nothing about the note; blank them, keeping line numbers.
        body = _FENCED.sub(lambda m: "\n" * m.group(0).count("\n"), body)
    if "::" in body:
        for pattern in (_FULL_LINE, _BRACKETED):
            for match in pattern.finditer(body):
                key = match.group(1).strip()
                value = match.group(2).strip()
                if not key or not value.strip("[] "):
                    continue  # `[company:: [[]] ]`: a template's blank
                if pattern is _FULL_LINE and _NESTED_ITEM.match(body, match.start()) and normalise(key) in DATE_SPELLINGS:
                    continue  # `    - Date:: ...` under a highlight dates that item, not the note
                line = first_line + body.count("\n", 0, match.start())
                if key in facts.fields:
                    old = facts.fields[key]
                    facts.fields[key] = [*old, value] if isinstance(old, list) else [old, value]
                else:
                    facts.fields[key] = value
                    facts.field_lines[key] = line
    if CONTACT_TABLE in body:
        _read_contact_tables(body, first_line, facts)
    if "#" in body and any(f"#{tag}" in body or f"#{tag.capitalize()}" in body or f"#{tag.upper()}" in body
                           for tag in _with_people_tags(person_tags)):
        tags = [m.group(1).lower() for m in tag_pattern(person_tags).finditer(body)
                if m.start() == 0 or body[m.start() - 1].isspace()]
        facts.tags = tuple(dict.fromkeys(tags))
    if "#" in body and _ATTENDEE_HEADING.search(body):
        headings = [(first_line + body.count("\n", 0, m.start()), len(m.group(1)), m.group(2))
                    for m in _HEADING.finditer(body)]
        sections = []
        for index, (number, level, title) in enumerate(headings):
            if normalise(_EMOJI_AND_MARKS.sub("", title)) in ATTENDEE_HEADINGS:
                end = next((n - 1 for n, lv, _ in headings[index + 1:] if lv <= level), 10**9)
                sections.append((number + 1, end))
        facts.attendee_sections = tuple(sections)
    return facts


def _read_contact_tables(body: str, first_line: int, facts: BodyFacts) -> None:
    """The rows of each ``/---contact---/`` table, read as inline fields are (an inline field of the
    same key wins). ``Name`` and ``Last Name`` are one name, as the plugin shows them."""
    for block in _CONTACT_BLOCK.finditer(body):
        rows: dict[str, tuple[str, int]] = {}
        for row in _TABLE_ROW.finditer(block.group(1)):
            key, value = row.group(1).strip(), row.group(2).strip()
            if not key or not value or set(key) <= set("-: ") or (key.lower(), value.lower()) == ("key", "value"):
                continue  # the header, its delimiter, a blank value
            rows.setdefault(key, (value, first_line + body.count("\n", 0, block.start(1) + row.start())))
        first = next((key for key in rows if normalise(key) == "name"), None)
        last = next((key for key in rows if normalise(key) == normalise("last name")), None)
        if first and last:
            rows[first] = (f"{rows[first][0]} {rows.pop(last)[0]}", rows[first][1])
        for key, (value, line) in rows.items():
            if key not in facts.fields:
                facts.fields[key] = value
                facts.field_lines[key] = line
