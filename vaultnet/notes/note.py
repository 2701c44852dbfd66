"""Reading one note: bytes → text → front matter and body lines.

Bad input never raises: every failure becomes a :class:`Problem` and as much of
the note as can be read is still returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from sys import intern
from typing import TYPE_CHECKING, Any

from vaultnet.base.datenames import may_hold_date
from vaultnet.base.errors import Problem
from vaultnet.base.keys import DATE_SPELLINGS, normalise
from vaultnet.files.writes import MAX_NOTE_BYTES
from vaultnet.notes.gifts import GiftLine, gift_lines
from vaultnet.notes.inline import read_body, unrendered
from vaultnet.notes.markdown import Line, Outline, has_links, scan, shared

if TYPE_CHECKING:
    from collections.abc import Iterable

    from vaultnet.base.vocabulary import Rule
    from vaultnet.files.config import Config
    from vaultnet.notes.relevance import FrontMatterFilter

__all__ = ["MAX_NOTE_BYTES", "Note", "decode", "parse_note"]
# A task box or a list item starting with a date: the only lines without a link that count.
_MAYBE_COUNTABLE = re.compile(r"^[ \t>]*(?:[-*+]|\d+[.)])[ \t]+(?:\[[^\]]\]|\d{4}-\d{2}-\d{2})", re.MULTILINE)

_BOUNDARY = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)
_TOP_KEY = re.compile(r"^([^\s#:'\"-][^:]*?|'[^']*'|\"[^\"]*\")\s*:(?:\s|$)")
_TOP_KEYS = re.compile(r"^([^\s#:'\"-][^:\n]*?|'[^'\n]*'|\"[^\"\n]*\")[ \t]*:(?:[ \t\r]|$)", re.MULTILINE)
# A heading that may carry a date (`## 2026-04-01`, `### [[August 12th, 2021, Thursday]]`).
# A body made of nothing but queries, embeds of bases and headings: a dashboard, not a note about anyone.
_QUERY_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*(?:dataview|dataviewjs|query|tasks|base|button|meta-bind\S*)"
                          r"[^\n]*\n.*?^[ \t]*\1[ \t]*$", re.MULTILINE | re.DOTALL | re.IGNORECASE)
_DASHBOARD_LINE = re.compile(r"^[ \t]*(?:#{1,6}[ \t].*|!\[\[[^\]]*\.base(?:#[^\]]*)?\]\]|%%.*%%|\{\{query[^}]*\}\}|-{3,})?[ \t]*\r?$")
_YEARISH = re.compile(r"(?<!\d)(?:\d{4}|\d{8})(?!\d)")  # every full date has a year, or is eight digits
# `Birthday: [[June 19th]] 1993`: a link and more text, which YAML cannot read as one value.
# ... or `Location: [[Apple Valley, [[MN]]]]`, `Tags: [#People, [[Boss]]]`: read as the text Obsidian shows.
_LINK_AND_TEXT = re.compile(r"^([^\s#:'\"-][^:\n]*:[ \t]+)((?=[^\n]*\[\[[^\[\]\n]+\]\])(?![\"'])[^\n]*?)[ \t]*$",
                            re.MULTILINE)



@cache
def _front_matter_handler() -> Any:
    """python-frontmatter's YAML handler with Obsidian's boundary (a ``---`` line, trailing
    blanks allowed), made on first use like the loader: a warm build parses no note."""
    from frontmatter.default_handlers import YAMLHandler

    return YAMLHandler(fm_boundary=_BOUNDARY)


@cache
def _note_loader() -> Any:
    """The YAML loader notes are read with, made on first use: a build that reads
    every note from the cache (a warm build) never imports PyYAML."""
    import yaml

    base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class NoteLoader(base):
        """A safe loader that leaves dates as text.

        PyYAML raises a bare ``ValueError`` for ``1985-02-30`` and turns the whole
        front matter into an error; keeping dates as strings lets vaultnet report
        the one bad key, on its line, and read everything else.
        """

    # YAML 1.1 surprises are read as Obsidian (YAML 1.2) reads them: `no`, `on`, `0123`,
    # `12:30` and `1_000` stay text instead of becoming False, True, 83, 750 and 1000.
    yaml_1_1 = {f"tag:yaml.org,2002:{name}" for name in ("timestamp", "bool", "int", "float")}
    NoteLoader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag not in yaml_1_1]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    NoteLoader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )
    NoteLoader.add_implicit_resolver(
        "tag:yaml.org,2002:int", re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789")
    )
    NoteLoader.add_implicit_resolver(
        "tag:yaml.org,2002:float",
        re.compile(r"^(?:[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
        list("-+.0123456789"),
    )
    return NoteLoader


def front_matter_mapping(lines: Iterable[str]) -> dict[Any, Any] | None:
    """Front matter lines as the edits read them before changing a note: a mapping (``{}`` when empty),
    or None when it is no mapping or cannot be read (the edit then leaves the note as it is)."""
    import yaml

    try:
        found = yaml.load("".join(lines), Loader=_note_loader())
    except Exception:  # noqa: BLE001 - safe constructors raise more than YAMLError
        return None
    if found is None:
        return {}
    return found if isinstance(found, dict) else None


def __getattr__(name: str) -> Any:
    """``NoteLoader``, for the modules that load YAML themselves (edits, properties)."""
    if name == "NoteLoader":
        return _note_loader()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclass(frozen=True, slots=True)
class NoteOutline:
    headings: tuple[tuple[int, int, str, int], ...]
    prose: list[Line]
    plain: str


NO_OUTLINE = NoteOutline((), [], "")


@dataclass(slots=True)
class Note:
    """A readable note: its front matter, its body lines and where they start.

    Slotted: a vault holds tens of thousands of notes for a whole build, and a
    ``__dict__`` each would be megabytes that hold nothing.
    """

    rel: str
    meta: dict[str, Any] = field(default_factory=dict)
    body: str = ""  # the text after the front matter
    body_start: int = 1  # file line number of lines[0]
    key_lines: dict[str, int] = field(default_factory=dict)  # front-matter key → file line
    problems: list[Problem] = field(default_factory=list)
    inline: dict[str, Any] = field(default_factory=dict)  # Dataview inline fields, key as written
    body_tags: tuple[str, ...] = ()  # person tags in the text: lower case, without '#'
    attendee_sections: tuple[tuple[int, int], ...] = ()  # file lines under a `## Participants` heading
    unrendered: bool = False  # holds template syntax never rendered: a template, not a note
    gifts: tuple[GiftLine, ...] = ()  # gift-idea lines (never contact): see vaultnet.notes.gifts
    # Every front-matter key as written, kept whether or not the front matter was loaded: what
    # notes share with a person template or with people says who else is a person.
    keys: tuple[str, ...] = ()
    # A note that may be dated (a date in its name, a date property, a dated heading) keeps its body:
    # its headings and its lines of prose, where people are named without a link, are read from it
    # when asked (see :meth:`outline`), and most notes are never asked.
    dated: bool = False
    dashboard: bool = False  # nothing but queries, embedded bases and headings
    # The lines that can carry a link, a task or a log entry; worked out once, then cached.
    countable_lines: list[Line] | None = field(default=None, compare=False, repr=False)
    # The rule that makes it a person (vaultnet.evidence.people.rule_of), worked out once per settings:
    # the trim, the assembly and the survey all ask, thirty thousand times each.
    rule: Rule | None = field(default=None, compare=False, repr=False)
    rule_config: Config | None = field(default=None, compare=False, repr=False)
    read_outline: NoteOutline | None = field(default=None, compare=False, repr=False)

    @property
    def lines(self) -> list[str]:
        """Body lines without line endings; split only when asked (counting asks once)."""
        return [line.removesuffix("\r") for line in self.body.split("\n")]

    def compact(self) -> None:
        """Keep only what counting needs: the countable lines, not the whole body. A dated note keeps it
        while it has a heading of its own or a capital letter outside its links: something to read there."""
        self.countable()
        if not self.dated or not (self.has_sections() or self.may_name_people()):
            self.body = ""

    def outline(self) -> NoteOutline:
        """A dated note's headings, prose lines and lowercase text, read from its body once, when first asked."""
        if self.read_outline is None:
            if not self.dated or not self.body:
                self.read_outline = NO_OUTLINE
            else:
                found = Outline([], [])
                for _ in scan(self.lines, self.body_start, countable_only=True, outline=found):
                    pass
                headings = tuple((*heading, said) for heading, said in zip(found.headings, found.said, strict=True))
                self.read_outline = NoteOutline(headings, found.prose, "\n".join(found.plain))
        return self.read_outline

    @property
    def headings(self) -> tuple[tuple[int, int, str, int], ...]:
        """(file line, level, text, lines under it that say something: see Outline.said) of a dated note."""
        return self.outline().headings if self.dated else ()

    def prose(self) -> list[Line]:
        """A dated note's lines of prose with a capital letter (no link, no task)."""
        return self.outline().prose if self.dated else []

    @property
    def plain(self) -> str:
        """A dated note's lines of prose without a capital letter, as one text (for the words the vault uses)."""
        return self.outline().plain if self.dated else ""

    def has_sections(self) -> bool:
        """Cheap: a heading other than one that restates the note's name (a daily note's ``# 2026-11-21``)."""
        if not self.dated or ("\n#" not in self.body and not self.body.startswith("#")):
            return False
        stem = self.rel.rsplit("/", 1)[-1][:-3]
        return any(text.strip("[] ") != stem for text in _heading_texts(self.body))

    def may_name_people(self) -> bool:
        """Cheap: a capital letter in the body outside its links (a name can be written there)."""
        if not self.dated:
            return False
        body = self.body
        if body.lower() == body:
            return False
        if "[[" not in body:
            return True
        parts = body.split("[[")
        if parts[0].lower() != parts[0]:
            return True
        for part in parts[1:]:
            rest = part[part.find("]]") + 2:] if "]]" in part else ""
            if rest.lower() != rest:
                return True
        return False

    def countable(self) -> list[Line]:
        if self.countable_lines is None:
            body = self.body
            if has_links(body) or _MAYBE_COUNTABLE.search(body):
                self.countable_lines = [
                    line for line in scan(self.lines, self.body_start, countable_only=True)
                    if line.links or line.task is not None or (line.is_list and line.leading_date)
                ]
            else:
                self.countable_lines = []  # no link, no task, no dated list item: nothing to scan
        return self.countable_lines

    def key_line(self, key: str) -> int | None:
        return self.key_lines.get(key)

    def problem(self, message: str, line: int | None = None) -> None:
        self.problems.append(Problem(self.rel, line, message))


def decode(rel: str, data: bytes) -> tuple[str | None, Problem | None]:
    """UTF-8 text without BOM, or a problem for binary and non-UTF-8 files."""
    if len(data) > MAX_NOTE_BYTES:
        return None, Problem(rel, None, f"file too large ({len(data) // 1_000_000} MB), skipped")
    if b"\x00" in data:
        return None, Problem(rel, None, "binary file named .md, skipped")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        return None, Problem(rel, line, f"not valid UTF-8 (byte {err.start}), skipped; save it as UTF-8")
    return text.removeprefix("\ufeff"), None


def parse_note(rel: str, data: bytes, person_tags: tuple[str, ...] = ("person",),
               front_filter: FrontMatterFilter | None = None,
               date_keys: frozenset[str] = DATE_SPELLINGS) -> tuple[Note | None, list[Problem]]:
    """Parse a note's bytes. ``None`` when the file cannot be read as text at all.

    ``person_tags``: the tags in the text worth keeping (see :func:`vaultnet.notes.inline.read_body`).
    ``front_filter``: when given, front matter it says cannot matter is not loaded (the note
    has no properties, and invalid YAML in it goes unreported): the build's shortcut. The
    caller passes none for a note in a people folder, whose problems are always worth reporting.
    ``date_keys``: the (normalised) properties that date a note: a note with one, a date in its
    name or a dated heading keeps its headings and prose lines (see :meth:`Note.outline`).
    """
    text, problem = decode(rel, data)
    if text is None:
        return None, [problem] if problem else []
    note = Note(rel)
    body = text
    body_start = 1
    front = None
    if text.startswith("---") and _front_matter_handler().detect(text):
        try:
            _, front, content = _BOUNDARY.split(text, 2)
        except ValueError:
            note.problem("unterminated front matter: no closing '---' line", 1)
            content = text
        if front is not None:
            body_start = text[: len(text) - len(content)].count("\n") + 2
            body = content.split("\n", 1)[1] if "\n" in content else ""
    facts = read_body(body, body_start, person_tags)
    keys: tuple[str, ...] = ()
    if front is not None:
        # A person by a body tag has its front matter read whatever it holds: its problems are worth reporting.
        loaded = front_filter is None or bool(facts.tags)
        if not loaded:
            keys = tuple(dict.fromkeys(key.strip("'\"") for key in _TOP_KEYS.findall(front)))
            loaded = front_filter.matters(front, keys)  # type: ignore[union-attr]
        if loaded:
            note.key_lines = _key_lines(front)
            keys = tuple(note.key_lines)
            note.meta = _load_front_matter(note, front)
    note.keys = shared(keys) if keys else ()
    note.body = body
    note.body_start = body_start
    note.inline = facts.fields
    for key, line in facts.field_lines.items():
        note.key_lines.setdefault(key, line)
    note.body_tags = facts.tags
    note.attendee_sections = facts.attendee_sections
    note.unrendered = unrendered(text)
    note.gifts = gift_lines(body, body_start)
    note.dated = _may_be_dated(rel, body, note.keys, facts.fields, date_keys)
    if "```" in body or "![[" in body or "~~~" in body:
        note.dashboard = _dashboard(body)
    return note, note.problems


def _may_be_dated(rel: str, body: str, keys: tuple[str, ...], inline: dict[str, Any], date_keys: frozenset[str]) -> bool:
    """Cheap and generous: could this note be dated (by its name, a property, or a dated heading)?"""
    start = rel.rfind("/") + 1
    if _YEARISH.search(rel, start) and may_hold_date(rel[start:-3]):
        return True
    if keys and _dates_by(keys, date_keys) or inline and _dates_by(tuple(inline), date_keys):
        return True
    if "\n#" not in body and body[:1] != "#":
        return False
    return any(any(ch.isdigit() for ch in text) for text in _heading_texts(body))


@lru_cache(maxsize=4096)  # notes share a few dozen key sets
def _dates_by(keys: tuple[str, ...], date_keys: frozenset[str]) -> bool:
    return not date_keys.isdisjoint(map(normalise, keys))


def _heading_texts(body: str) -> list[str]:
    """The text of each line of ``body`` that starts like a heading (``## 2026-04-01``): found with
    ``str.find``, as most bodies hold a few headings and many other lines."""
    found = []
    start = 0 if body.startswith("#") else body.find("\n#") + 1
    while start > 0 or (start == 0 and body.startswith("#")):
        end = body.find("\n", start)
        line = body[start:] if end < 0 else body[start:end]
        hashes = len(line) - len(line.lstrip("#"))
        if hashes <= 6 and line[hashes:hashes + 1] in (" ", "\t"):
            found.append(line[hashes:].strip(" \t\r#"))
        if end < 0:
            break
        start = body.find("\n#", end) + 1
        if start == 0:
            break
    return found


def _dashboard(body: str) -> bool:
    """A body that is queries, embedded bases and headings, and nothing else (an index, a dashboard)."""
    rest = _QUERY_FENCE.sub("", body)
    if rest == body and "![[" not in body:
        return False
    return all(_DASHBOARD_LINE.match(line) for line in rest.split("\n"))


def _key_lines(front: str) -> dict[str, int]:
    """Each top-level key of a front matter and its line (one pass of a regular expression)."""
    found: dict[str, int] = {}
    line, at = 1, 0  # +1: the opening ---
    for match in _TOP_KEYS.finditer(front):
        line += front.count("\n", at, match.start())
        at = match.start()
        # A repeated key's value is its last one, so is its line.
        # Interned: thirty thousand notes spell the same few dozen keys.
        found[intern(match.group(1).strip("'\""))] = line
    return found


# `telegram: @carlj567`, as obsidian-contacts writes it: `@` and backtick cannot start a plain YAML value.
_RESERVED_START = re.compile(r"^([^\s#:'\"-][^:\n]*:[ \t]+)([@`][^\n]*?)[ \t]*$", re.MULTILINE)


def _load_front_matter(note: Note, front: str) -> dict[str, Any]:
    import yaml  # loaded with the first front matter read (see _note_loader)

    loader = _note_loader()
    try:
        data = yaml.load(front, Loader=loader)
    except yaml.MarkedYAMLError as err:
        pattern = _RESERVED_START if err.problem and "cannot start any token" in err.problem else _LINK_AND_TEXT
        if pattern.search(front):
            # Read such values as the text they are (as Obsidian shows them), then everything else.
            quoted = pattern.sub(lambda m: m.group(1) + "'" + m.group(2).replace("'", "''") + "'", front)
            try:
                data = yaml.load(quoted, Loader=loader)
            except Exception:  # noqa: BLE001 - report the original error below
                data = None
            else:
                return _checked(note, data)
        mark = err.problem_mark or err.context_mark
        if err.context_mark and err.context and ("quoted" in err.context or "flow" in err.context):
            # An unclosed quote or bracket: the bad line is where it opened, not where YAML gave up.
            mark = err.context_mark
        line = mark.line + 1 if mark else 1  # front starts on the opening --- line
        reason = err.problem or err.context or "invalid YAML"
        if mark is err.context_mark and err.context and err.problem:
            reason = f"{err.problem} ({err.context})"
        note.problem(f"invalid YAML in front matter: {reason}", line)
        return {}
    except yaml.reader.ReaderError as err:  # a control character: name its line, in one line of text
        code = err.character if isinstance(err.character, int) else ord(str(err.character)[:1] or "\0")
        index = front.find(chr(code))
        line = front[:index].count("\n") + 1 if index >= 0 else 1
        note.problem(f"invalid front matter: control character U+{code:04X} is not allowed in YAML", line)
        return {}
    except Exception as err:  # noqa: BLE001 - safe constructors also raise AttributeError (`!!timestamp ''`)...
        detail = str(err) if isinstance(err, (yaml.YAMLError, ValueError)) else f"unreadable value ({type(err).__name__})"
        note.problem(f"invalid front matter: {' '.join(detail.split())}", 1)
        return {}
    return _checked(note, data)


def _checked(note: Note, data: Any) -> dict[str, Any]:
    if data is None:
        return {}
    if not isinstance(data, dict):
        note.problem(f"front matter is a {type(data).__name__}, not a list of key: value properties", 2)
        return {}
    if not _small(data):
        note.problem("front matter too large or too deeply nested (YAML aliases?); its properties are ignored", 2)
        return {}
    return {intern(str(key)): shared_value(value) for key, value in data.items()}  # the same few keys in every note


def shared_value(value: Any) -> Any:
    """``value`` with its short strings interned: thousands of contacts say ``person``, a company, a city."""
    if type(value) is str:
        return intern(value) if len(value) <= _SHORT else value
    if type(value) is list:
        return [intern(item) if type(item) is str and len(item) <= _SHORT else item for item in value]
    return value


_SHORT = 64  # a longer value (a note, an address) is seldom written twice


MAX_VALUES, MAX_DEPTH = 10_000, 32


def _small(data: Any) -> bool:
    """True when the properties, aliases expanded, hold few values and little nesting.

    YAML aliases let a few lines stand for billions of values (or for a value
    that contains itself); everything that later walks the properties would
    take that long, so such front matter is refused here, in bounded time.
    """
    budget = MAX_VALUES
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        budget -= 1
        if budget < 0 or depth > MAX_DEPTH:
            return False
        if isinstance(value, dict):
            stack.extend((item, depth + 1) for pair in value.items() for item in pair)
        elif isinstance(value, (list, tuple)):
            stack.extend((item, depth + 1) for item in value)
    return True
