"""Reading markdown body lines the way Obsidian shows them.

:func:`scan` yields only the lines that can carry an interaction, a task or a
link, with code, comments, embeds, quotes, headings and tables already taken
out (docs/formats.md, Interactions).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from sys import intern
from typing import TypeVar
from urllib.parse import unquote

_T = TypeVar("_T")

# A backtick fence's info string holds no backtick: ```x``` is inline code, not a fence.
_FENCE = re.compile(r"^\s*(`{3,}(?!.*`)|~{3,})")
_LIST = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")
_TASK = re.compile(r"^\[(.)\]\s?(.*)$")
# A code span opens and closes with backtick runs of the same length (never part of a longer run).
_INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
CODE_SPAN = _INLINE_CODE  # for the modules that read a whole text (vaultnet.notes.inline)
_EMBED = re.compile(r"!\[\[[^\[\]]*\]\]")
# An embed written as a markdown image: ``![shot](People/Bob.md)``, ``![](<a b.png>)``: shown, not a mention.
_MD_EMBED = re.compile(r"!\[[^\[\]]*\]\((?:<[^<>]*>|[^()\s]*)(?:\s+\"[^\"]*\")?\)")
_LINK = re.compile(r"\[\[([^\[\]|#^]*)(?:[#^][^\[\]|]*)?(?:\|([^\[\]]*))?\]\]")
# A markdown link to a note, as Obsidian writes every link with "Use [[Wikilinks]]" off:
# ``[Ana](People/Ana%20Souza.md)``, ``[Ana](../People/Ana%20Souza.md#Log)``, ``[Ana](<People/Ana Souza.md>)``.
# Only a target ending in ``.md`` (before a heading) is a note; ``[site](https://...)`` is not.
_MD_LINK = re.compile(r"\[([^\[\]]*)\]\((?:<([^<>]+?\.md)(?:#[^<>]*)?>|([^()\s<>]+?\.md)(?:#[^()\s]*)?)\)")
# The same links, whole: every ``[[...]]`` _LINK matches and every link _MD_LINK matches, at the same places.
_LINK_TEXT = re.compile(r"\[\[[^\[\]]*\]\]|\[[^\[\]]*\]\((?:<[^<>]+?\.md(?:#[^<>]*)?>|[^()\s<>]+?\.md(?:#[^()\s]*)?)\)")
# The scheme's length is bounded so that long dotted words cannot make this quadratic.
_URL = re.compile(r"\b[a-z][a-z0-9+.-]{0,31}://\S+", re.IGNORECASE)
_TAG = re.compile(r"(?:(?<=\s)|^)#([\w/-]+)")
# A log line's date: ``2026-11-02``, or a link to the day's note as Personal CRM writes one:
# ``[[2026-11-02]]``, ``[[Journal/2026-11-02|...]]``, ``[[Day-20261102|2026-11-02]]``.
_LEADING_DATE = re.compile(
    r"^(?:\[\[(?:[^\[\]|]*/)?(\d{4}-\d{2}-\d{2})(?:\|[^\]]*)?\]\]|\[\[[^\[\]|]*\|(\d{4}-\d{2}-\d{2})\]\]"
    r"|(\d{4}-\d{2}-\d{2}))(?![\d])[\s:,.\-–—]*"
)
# Dates as the Tasks plugin (emoji format) and Dataview (inline fields) write them; a time may follow.
_DATE = r"(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2})?)?(?![\d:])"


def _field(key: str) -> str:
    """A Dataview inline field holding a date, ``[key:: date]`` or ``(key:: date)``."""
    return r"[\[(]\s*(?i:" + key + r")::\s*" + _DATE + r"\s*[\])]"


_DONE_DATE = re.compile(r"✅\uFE0F?\s*" + _DATE + "|" + _field("completion"))
_DUE_DATE = re.compile(r"(?:📅|📆|🗓)\uFE0F?\s*" + _DATE + "|" + _field("due"))
# Every other Tasks signifier with its value (obsidian-tasks' DefaultTaskSerializer), Dataview
# inline fields in brackets or parentheses, and block ids: kept out of display text.
_TASK_FIELDS = re.compile(
    r"(?:[📅📆🗓✅⏳⌛🛫➕❌]\uFE0F?\s*(?:" + _DATE + r")?"
    r"|[🔺⏫🔼🔽⏬]\uFE0F?"
    r"|🔁\uFE0F?\s*[a-zA-Z0-9, !]*"
    r"|🏁\uFE0F?\s*[a-zA-Z]*"
    r"|🆔\uFE0F?\s*[a-zA-Z0-9_-]*"
    r"|⛔\uFE0F?\s*(?:[a-zA-Z0-9_-]+(?: *, *[a-zA-Z0-9_-]+ *)*)?)"
    r"|\[[\w -]+::(?:[^\[\]]|\[\[[^\[\]]*\]\])*\]|\([\w -]+::(?:[^()\[\]]|\[\[[^\[\]]*\]\])*\)"
    r"|\s\^[\w-]+\s*$"
)
# Where ``✅ date`` goes on a task line: before a trailing block id, as Tasks writes it.
BLOCK_ID = re.compile(r"\s\^[\w-]+\s*$")
# A callout's first line, ``> [!note] Title`` (``+``/``-`` fold it); its ``>`` lines continue it.
_CALLOUT = re.compile(r"^\s*>\s?\[![\w-]+\][+-]?\s?(.*)$")
_QUOTE = re.compile(r"^\s*(?:>\s?)+")
_HTML_OPEN, _HTML_CLOSE = "<!--", "-->"
# The next comment opener outside inline code (`%%` in backticks is code, not a comment).
_OPENER = re.compile(_INLINE_CODE.pattern + "|%%|" + re.escape(_HTML_OPEN))
_TABLE_CELL = re.compile(r"\s*:?-+:?\s*")
_HEADING = re.compile(r"#{1,6}(\s|$)")


# Links and tag tuples as made once: the same few thousand names are linked from tens of
# thousands of lines, and each line holds its links for the whole build. Bounded, since a
# watcher runs for weeks: when full it starts again (sharing is a saving, never a meaning).
_SHARED: dict[object, object] = {}
_SHARED_LIMIT = 50_000


def shared(item: _T) -> _T:
    """The one object equal to ``item`` made so far (``item`` itself the first time)."""
    found = _SHARED.get(item)
    if found is None:
        if len(_SHARED) >= _SHARED_LIMIT:
            _SHARED.clear()
        _SHARED[item] = found = item
    return found  # type: ignore[return-value]


def _is_table_delimiter(text: str) -> bool:
    """``--- | :---:`` or ``|---|---|``: the row that makes the line above a table header."""
    row = text.strip()
    return "|" in row and all(_TABLE_CELL.fullmatch(cell) for cell in row.strip("|").split("|"))


@dataclass(frozen=True, slots=True)
class Link:
    target: str  # as written, e.g. "People/Ana Souza"
    label: str | None  # the text after |, if any


@dataclass(frozen=True, slots=True)
class Line:
    """One countable body line with comments, code and embeds removed."""

    number: int  # line number in the file, 1-based
    text: str  # the cleaned line, list marker and task box removed
    is_list: bool
    task: str | None  # the task box's character (" ", "x", "-", ...) or None
    links: tuple[Link, ...]
    tags: tuple[str, ...]  # lower case, without '#'

    @property
    def done(self) -> bool:
        return self.task is not None and self.task in "xX"

    @property
    def open(self) -> bool:
        """``[ ]`` and ``[/]`` (in progress) are open, as the Tasks plugin reads them."""
        return self.task is not None and self.task in " /"

    @property
    def leading_date(self) -> str | None:
        match = _LEADING_DATE.match(self.text)
        return (match.group(1) or match.group(2) or match.group(3)) if match else None

    @property
    def done_date(self) -> str | None:
        return done_date(self.text)

    @property
    def due_date(self) -> str | None:
        match = _DUE_DATE.search(self.text)
        return (match.group(1) or match.group(2)) if match else None

    def display(self) -> str:
        return display(self.text)


def done_date(text: str) -> str | None:
    """The done date of a task line, ``✅ 2026-11-18`` or ``[completion:: 2026-11-18]``."""
    match = _DONE_DATE.search(text)
    return (match.group(1) or match.group(2)) if match else None


def display(text: str) -> str:
    """Readable text of a cleaned line: no leading date, tags, task fields or block id; links as names."""
    if text[:1].isdigit() or text.startswith("[["):
        text = _LEADING_DATE.sub("", text, count=1)
    if not text.isascii() or "::" in text or "^" in text:
        text = _TASK_FIELDS.sub(" ", text)
    if "#" in text:
        text = _TAG.sub("", text)  # before links: `#project[[Ana]]` keeps Ana
    if "[[" in text:
        text = _LINK.sub(lambda m: (m.group(2) or m.group(1).rsplit("/", 1)[-1]).strip(), text)
    if ".md" in text:
        text = _MD_LINK.sub(lambda m: m.group(1).strip() or _md_link(m).target.rsplit("/", 1)[-1], text)
    return " ".join(text.split())


def has_links(text: str) -> bool:
    """Whether ``text`` may hold a link to a note (cheap: a substring test, before any regex)."""
    return "[[" in text or ".md" in text


def _md_link(match: re.Match[str]) -> Link:
    """The note a markdown link points to: its path decoded (``%20`` is a space), without ``.md``."""
    target = unquote(match.group(2) or match.group(3))
    return Link(intern(target[:-3].strip()), match.group(1).strip() or None)


def _link(written: str) -> Link | None:
    if written.startswith("[["):
        match = _LINK.match(written)
        return Link(intern(match.group(1).strip()), match.group(2)) if match else None
    match = _MD_LINK.match(written)
    return _md_link(match) if match and "://" not in written else None


# A line's links and tags by the text they are written as, so that a line naming people
# already seen is a dictionary lookup, not new Link objects. Bounded as _SHARED is.
_LINKS_BY_TEXT: dict[tuple[str, ...], tuple[Link, ...]] = {}
_TAGS_BY_TEXT: dict[tuple[str, ...], tuple[str, ...]] = {}


def _links(text: str) -> tuple[Link, ...]:
    written = tuple(_LINK_TEXT.findall(text))
    found = _LINKS_BY_TEXT.get(written)
    if found is None:
        if len(_LINKS_BY_TEXT) >= _SHARED_LIMIT:
            _LINKS_BY_TEXT.clear()
        # Interned: the same few thousand names are linked from tens of thousands of lines.
        found = _LINKS_BY_TEXT[written] = shared(tuple(shared(link) for link in map(_link, written) if link))
    return found


def links_in(text: str) -> tuple[Link, ...]:
    """The links in a text (a heading's, say), as a scanned line holds them."""
    return _links(text) if has_links(text) else ()


def line_tags(text: str) -> tuple[str, ...]:
    """The tags of a line's text (links and addresses left out), lower case, without '#'."""
    if "#" not in text:
        return ()
    bare = _LINK_TEXT.sub(" ", text) if has_links(text) else text
    return _tags(_URL.sub(" ", bare) if "://" in bare else bare) if "#" in bare else ()


def _tags(text: str) -> tuple[str, ...]:
    written = tuple(_TAG.findall(text))
    found = _TAGS_BY_TEXT.get(written)
    if found is None:
        if len(_TAGS_BY_TEXT) >= _SHARED_LIMIT:
            _TAGS_BY_TEXT.clear()
        found = _TAGS_BY_TEXT[written] = shared(tuple(intern(tag.lower()) for tag in written if not tag.isdigit()))
    return found


@dataclass(slots=True)
class Outline:
    """What a scan of a dated note keeps besides its countable lines: its headings, and its
    lines of prose (no link, no task), where a person can be named in plain text (their tags are
    read when a name is found: see :func:`line_tags`) and where the vault's common words are seen."""

    headings: list[tuple[int, int, str]]  # (file line, level, text with comments and code removed)
    prose: list[Line]  # ... with a capital letter
    plain: list[str] = field(default_factory=list)  # the lines of prose with none, as text
    # For each heading, how many lines right under it say something (the low 16 bits) and how many
    # are questions or to-dos (above them): a heading over questions only ("Questions for [[Sam]]")
    # is an agenda, not a record.
    said: list[int] = field(default_factory=list)


def scan(lines: Sequence[str], first_number: int = 1, countable_only: bool = False,
         outline: Outline | None = None) -> Iterator[Line]:
    """Yield the countable lines of a note body.

    ``countable_only``: only the lines that can count (a link, a task, a list item starting
    with a date), the only ones a parsed note keeps; the others are not built at all.
    ``outline``: collects the headings and the prose lines ``countable_only`` leaves out.
    """
    fence: str | None = None
    in_percent = False  # inside a %% ... %% block
    in_html = False  # inside <!-- ... -->
    in_table = False  # inside a table written without leading pipes
    in_callout = False  # inside a callout: its ``>`` lines are the user's own words
    for offset, raw in enumerate(lines):
        if fence is not None:
            stripped = raw.strip()
            if stripped.startswith(fence) and not stripped[len(fence):].strip(fence[0]).strip():
                fence = None
            continue
        text, in_percent, in_html = _strip_comments(raw, in_percent, in_html)
        if not text.strip():
            in_table = in_callout = False
            continue
        if "|" in text and ((in_table and not _LIST.match(text)) or _is_table_delimiter(text) or (
                offset + 1 < len(lines) and _is_table_delimiter(lines[offset + 1]))):
            in_table = True
            continue  # a table row, header or delimiter written without a leading pipe
        in_table = False
        stripped = text.lstrip()
        if stripped.startswith(">"):
            callout = _CALLOUT.match(text)
            if callout:
                in_callout, text = True, callout.group(1)
            elif in_callout:
                text = _QUOTE.sub("", text, count=1)
            else:
                continue  # a plain block quote: someone else's words
            if not text.strip():
                continue
            stripped = text.lstrip()
        else:
            in_callout = False
        fence_match = _FENCE.match(text) if ("``" in text or "~~" in text) else None
        if fence_match:
            fence = fence_match.group(1)
            continue
        if stripped.startswith("|") or (stripped.startswith("#") and _HEADING.match(stripped)):
            if outline is not None and stripped.startswith("#"):
                title = stripped.lstrip("#")
                level = len(stripped) - len(title)
                if "`" in title:
                    title = _INLINE_CODE.sub(" ", title)
                if title.strip(" #"):
                    outline.headings.append((first_number + offset, level, " ".join(title.strip(" #").split())))
                    outline.said.append(0)
            continue  # tables, headings
        if "`" in text:
            text = _INLINE_CODE.sub(" ", text)
        if "![" in text:
            text = _MD_EMBED.sub(" ", _EMBED.sub(" ", text))
        list_match = _LIST.match(text)
        task = None
        if list_match:
            text = list_match.group(1)
            task_match = _TASK.match(text)
            if task_match:
                task, text = task_match.group(1), task_match.group(2)
        text = text.strip()
        if not text:
            continue
        if outline is not None and outline.headings:
            # a line that says what happened, or a question or a to-do
            outline.said[-1] += 1 << 16 if text.endswith("?") or (task is not None and task in " /") else 1
        if countable_only and task is None and not has_links(text) and (
                list_match is None or not text[:1].isdigit() or not _LEADING_DATE.match(text)):
            if outline is not None:
                if text.lower() != text:  # a capital: a name can be written here
                    outline.prose.append(Line(first_number + offset, text, list_match is not None, None, (), ()))
                else:
                    outline.plain.append(text)  # only its words matter: which are written in lower case
            continue  # prose: no link, no task, no dated list item
        links = _links(text) if has_links(text) else ()
        tags: tuple[str, ...] = ()
        if "#" in text:
            bare = _LINK_TEXT.sub(" ", text) if links else text
            if "://" in bare:
                bare = _URL.sub(" ", bare)
            if "#" in bare:
                tags = _tags(bare)
        yield Line(first_number + offset, text, list_match is not None, task, links, tags)


def _strip_comments(raw: str, in_percent: bool, in_html: bool) -> tuple[str, bool, bool]:
    """Remove ``%% ... %%`` and ``<!-- ... -->`` from one line, tracking multi-line ones."""
    if not (in_percent or in_html) and "%%" not in raw and _HTML_OPEN not in raw:
        return raw, False, False  # the common case, kept fast
    out: list[str] = []
    position = 0
    while position < len(raw):
        if in_percent:
            end = raw.find("%%", position)
            if end < 0:
                return "".join(out), True, False
            position, in_percent = end + 2, False
        elif in_html:
            end = raw.find(_HTML_CLOSE, position)
            if end < 0:
                return "".join(out), False, True
            position, in_html = end + len(_HTML_CLOSE), False
        else:
            opener = next((m for m in _OPENER.finditer(raw, position) if not m.group(0).startswith("`")), None)
            if opener is None:
                out.append(raw[position:])
                break
            out.append(raw[position:opener.start()])
            position = opener.end()
            if opener.group(0) == "%%":
                in_percent = True
            else:
                in_html = True
    return "".join(out), in_percent, in_html
