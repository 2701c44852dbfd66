"""``vaultnet merge KEEP OTHER``: one person's two notes become one, and the other note goes to the trash.

What the other note holds moves into the kept one, and nothing of the kept
note is rewritten:

- front-matter keys the kept note lacks are added as new lines, as the other
  note wrote them; list items it lacks (tags, offers, aliases...) are added to
  its lists; a value that differs from the kept note's is kept in a ``yaml``
  block under the new heading (nothing is overwritten);
- the other name (and its aliases) become aliases, so ``[[Other]]`` links
  everywhere still lead to the person; links elsewhere are left as they are;
- its log lines (list items that start with a date, with the lines indented
  under them) go into the kept note's log, newest first, as ``vaultnet log``
  inserts; a line the kept note already has is not added twice;
- the rest of its text goes at the end, under ``## From <other> (merged <day>)``;
- the other note is moved to the trash (:mod:`vaultnet.files.trash`), never deleted.

The kept note is written as ``log`` writes (settled, conflict-checked, atomic,
read again and merged again when an editor saves meanwhile); a merge that
would lose one line of either note stops instead. :func:`plan_merge` works out
the change without writing, so ``--dry-run`` shows exactly what ``merge`` does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from vaultnet.base.dates import Date, parse_iso
from vaultnet.base.errors import VaultnetError
from vaultnet.base.keys import normalise
from vaultnet.edits.listitems import append_items
from vaultnet.edits.log import _HEADING, _body_start, _counted, _insert_in_section, _lines, _visible_headings
from vaultnet.edits.properties import yaml_lines
from vaultnet.evidence.contacts import Contact, fold
from vaultnet.files.config import Config
from vaultnet.files.reads import WriteConflict, read_settled
from vaultnet.files.trash import move_to_trash, trash_target
from vaultnet.files.writes import edit_text
from vaultnet.notes.note import NoteLoader

_TOP_KEY = re.compile(r"^([^\s#:'\"-][^:]*?|'[^']*'|\"[^\"]*\")[ \t]*:(?:[ \t]|\r?\n|$)")


@dataclass(frozen=True)
class MergePlan:
    """What a merge changes: the kept note's bytes before and after, and where the other note goes."""

    keep: str
    other: str
    before: bytes
    after: bytes
    other_data: bytes
    trash: str  # a vault path under .trash/, or files.trash.SYSTEM


@dataclass
class _Note:
    bom: str
    front: list[str] | None  # lines between the --- lines (None: no front matter)
    body: list[str]
    meta: dict[Any, Any] | None  # None: front matter that cannot be read
    newline: str


def _split(text: str) -> _Note:
    newline = "\r\n" if "\r\n" in text else "\n"
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    lines = _lines(text[len(bom):])
    start = _body_start(lines)
    if start == 0:
        return _Note(bom, None, lines, {}, newline)
    front = lines[1:start - 1]
    try:
        meta = yaml.load("".join(front), Loader=NoteLoader)
    except Exception:  # noqa: BLE001 - safe constructors raise more than YAMLError
        meta = None
    if meta is None and not "".join(front).strip():
        meta = {}
    return _Note(bom, front, lines[start:], meta if isinstance(meta, dict) else None, newline)


def _blocks(front: Sequence[str]) -> dict[str, list[str]]:
    """Each top-level key's lines as written (its value may go on over several lines)."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in front:
        match = _TOP_KEY.match(line)
        if match:
            current = found.setdefault(match.group(1).strip("'\""), [])
        if current is not None:
            current.append(line)
    return found


def _as_items(value: Any) -> list[Any]:
    return [item for item in (value if isinstance(value, list) else [value]) if item not in (None, "")]


def _same(a: Any, b: Any) -> bool:
    return fold(str(a)) == fold(str(b))


def _with_newline(lines: Sequence[str], newline: str) -> list[str]:
    return [line.rstrip("\r\n") + newline for line in lines]


def merged_text(keep_text: str, other_text: str, keep: Contact, other: Contact, log_heading: str, today: Date) -> str:
    """The kept note once ``other``'s note is merged into it (see the module docstring)."""
    kept, gone = _split(keep_text), _split(other_text)
    newline = kept.newline
    if kept.meta is None:
        raise VaultnetError(f"{keep.path}: its front matter cannot be read; fix it first (vaultnet check says why)")
    expected = dict(kept.meta)
    keys = {normalise(str(key)): key for key in expected}
    new_lines: list[str] = []
    additions: dict[Any, list[Any]] = {}
    differing: list[str] = []
    blocks = _blocks(gone.front or [])
    if gone.meta is None and gone.front:
        differing.extend(gone.front)  # properties vaultnet cannot read: kept as they are, in a yaml block
    for key, value in (gone.meta or {}).items():
        if value in (None, "", []) or normalise(str(key)) == "aliases":
            continue
        mine = keys.get(normalise(str(key)))
        if mine is None:
            new_lines.extend(blocks.get(str(key)) or yaml_lines(str(key), value))
            expected[key] = value
        elif isinstance(expected[mine], list):
            missing = [item for item in _as_items(value) if not any(_same(item, x) for x in expected[mine])]
            if missing:
                additions.setdefault(mine, []).extend(missing)
        elif not all(_same(item, expected[mine]) for item in _as_items(value)):
            differing.extend(blocks.get(str(key), []))
    names = [keep.name, *keep.aliases]
    wanted = list(dict.fromkeys(name for name in (other.name, *other.aliases)
                                if not any(_same(name, known) for known in names)))
    if wanted and "aliases" not in keys:
        new_lines.extend(yaml_lines("aliases", wanted))  # old [[links]] to the other name find the person
        expected["aliases"] = wanted
    elif wanted:
        additions.setdefault(keys["aliases"], []).extend(wanted)
    front = list(kept.front or [])
    for key, items in additions.items():
        changed = append_items(front, str(key), items, newline)
        if changed is None:
            differing.extend(yaml_lines(str(key), items))  # cannot go where they are written: kept below
        else:
            front, expected[key] = changed, [*_as_items(expected[key]), *items]
    front.extend(_with_newline(new_lines, newline))
    head = [f"---{newline}", *front, f"---{newline}"] if kept.front is not None or front else []
    entries, rest = _log_items(gone.body, log_heading)
    body = _into_log(list(kept.body), entries, log_heading, newline)
    body = _with_section(body, rest, differing, other, today, newline)
    result = kept.bom + "".join(head) + "".join(body)
    if _split(result).meta != expected:
        raise VaultnetError(f"{keep.path}: its front matter cannot take the other note's properties as new lines; "
                            "merge the two notes by hand")
    rewritten = set(kept.front or []) - set(front)  # a one-line list that took new items
    _check_kept([line for line in _lines(keep_text.removeprefix("\ufeff")) if line not in rewritten], gone.body,
                result, keep.path, other.path)
    return result


def _log_items(body: Sequence[str], heading: str) -> tuple[list[list[str]], list[str]]:
    """The other note's log entries (each with the lines indented under it), and every other line.

    A log heading whose entries all moved, and that holds nothing else, goes too.
    """
    counted = {line.number: line for line in _counted(list(body), 0)}
    entries: list[list[str]] = []
    taken: set[int] = set()
    index = 0
    while index < len(body):
        line = body[index]
        found = counted.get(index)
        if found is not None and found.is_list and found.task is None and line[:1] in ("-", "*", "+") \
                and _valid(found.leading_date):
            entry = [line]
            taken.add(index)
            index += 1
            while index < len(body) and body[index][:1] in (" ", "\t") and body[index].strip():
                entry.append(body[index])
                taken.add(index)
                index += 1
            entries.append(entry)
            continue
        index += 1
    wanted = " ".join(heading.split()).casefold()
    for index, line in enumerate(body):
        match = _HEADING.match(line)
        if not match or " ".join(match.group(2).split()).casefold() != wanted:
            continue
        level = len(match.group(1))
        end = next((i for i in range(index + 1, len(body))
                    if (m := _HEADING.match(body[i])) and len(m.group(1)) <= level), len(body))
        section = range(index + 1, end)
        if any(i in taken for i in section) and not any(body[i].strip() for i in section if i not in taken):
            taken.update(range(index, end))
    return entries, [line for index, line in enumerate(body) if index not in taken]


def _valid(day: str | None) -> bool:
    try:
        return day is not None and bool(parse_iso(day))
    except ValueError:
        return False


def _holds(body: Sequence[str], entry: Sequence[str]) -> bool:
    """The kept note already has this entry, every line of it (the same line imported into both notes)."""
    wanted = [line.strip() for line in entry]
    return any([line.strip() for line in body[i:i + len(wanted)]] == wanted
               for i, line in enumerate(body) if line.strip() == wanted[0])


def _date_of(entry: Sequence[str]) -> Date:
    line = _counted([entry[0]], 0)[0]
    return parse_iso(line.leading_date or "")


def _into_log(body: list[str], entries: Sequence[Sequence[str]], heading: str, newline: str) -> list[str]:
    """``body`` with each entry in its log, newest first (the log heading is added at the end when missing)."""
    todo = [entry for entry in entries if not _holds(body, entry)]
    if not todo:
        return body
    wanted = " ".join(heading.split()).casefold()
    visible = _visible_headings(body, 0, wanted)
    if not visible:
        if body and not body[-1].endswith("\n"):
            body[-1] += newline
        gap = [newline] if body and body[-1].strip() else []
        ordered = sorted(todo, key=_date_of, reverse=True)
        return [*body, *gap, f"## {heading}{newline}", *(line for entry in ordered for line in _with_newline(entry, newline))]
    for entry in todo:
        found = _visible_headings(body, 0, wanted)[0]
        match = _HEADING.match(body[found])
        assert match is not None
        text = "".join(_with_newline(entry, newline))
        out, _ = _insert_in_section(body, found, len(match.group(1)), _date_of(entry), text, newline)
        body = _lines("".join(out))
    return body


def _with_section(body: list[str], rest: Sequence[str], differing: Sequence[str], other: Contact, today: Date,
                  newline: str) -> list[str]:
    """``body`` and, at its end, the other note's remaining text under a heading of its own."""
    text = [line for line in rest]
    while text and not text[0].strip():
        text.pop(0)
    while text and not text[-1].strip():
        text.pop()
    if not text and not differing:
        return body
    section = [f"## From {other.name} (merged {today.isoformat()}){newline}", newline]
    if differing:
        section += [f"Properties of that note that differ from this one's:{newline}", newline, f"```yaml{newline}",
                    *_with_newline(differing, newline), f"```{newline}"]
        if text:
            section.append(newline)
    section += _with_newline(text, newline)
    out = list(body)
    if out and not out[-1].endswith("\n"):
        out[-1] += newline
    if out and out[-1].strip():
        out.append(newline)
    return [*out, *section]


def _check_kept(keep_lines: Sequence[str], other_body: Sequence[str], result: str, keep_rel: str, other_rel: str) -> None:
    """Every line of the kept note and of the other note's text is still there: nothing is lost."""
    lines = {line.strip() for line in result.splitlines()}
    for rel, text in ((keep_rel, keep_lines), (other_rel, other_body)):
        for line in text:
            if line.strip() and line.strip() not in lines:
                raise VaultnetError(f"merging would lose a line of {rel} ({line.strip()[:60]!r}); merge the notes by hand")


def plan_merge(config: Config, keep: Contact, other: Contact, today: Date) -> MergePlan:
    """The merge of ``other`` into ``keep`` as it would be written now; nothing is written."""
    if keep.path == other.path:
        raise VaultnetError(f"{keep.name} and {other.name} are the same note ({keep.path})")
    other_data = _read(config, other.path)
    edited = edit_text(config.root, keep.path, _transform(other_data, keep, other, config, today), exact=True,
                       write=False)
    if edited.before is None:
        raise VaultnetError(f"{keep.path} no longer exists")
    return MergePlan(keep.path, other.path, edited.before, edited.after or edited.before, other_data,
                     trash_target(config, other.path))


def merge(config: Config, keep: Contact, other: Contact, today: Date) -> MergePlan:
    """Merge ``other`` into ``keep`` and move the other note to the trash; returns what was done."""
    if keep.path == other.path:
        raise VaultnetError(f"{keep.name} and {other.name} are the same note ({keep.path})")
    other_data = _read(config, other.path)
    target = trash_target(config, other.path)
    merged = _transform(other_data, keep, other, config, today)

    def transform(text: str | None) -> str:
        if read_settled(config.root / other.path) != other_data:  # checked again right before each write
            raise WriteConflict(f"{other.path} changed while vaultnet was working; run the command again")
        return merged(text)

    edited = edit_text(config.root, keep.path, transform, exact=True)
    try:
        move_to_trash(config, other.path, other_data, target)
    except WriteConflict:
        raise VaultnetError(f"{other.path} changed at the moment it was merged: {keep.path} holds what it said "
                            f"before, and {other.path} stays where it is; compare them, then move it yourself") from None
    return MergePlan(keep.path, other.path, edited.before or b"", edited.after or b"", other_data, target)


def _read(config: Config, rel: str) -> bytes:
    data = read_settled(config.root / rel)
    if data is None:
        raise VaultnetError(f"{rel} no longer exists")
    return data


def _transform(other_data: bytes, keep: Contact, other: Contact, config: Config,
               today: Date) -> Callable[[str | None], str]:
    try:
        other_text = other_data.decode("utf-8")
    except UnicodeDecodeError:
        raise VaultnetError(f"{other.path} is not valid UTF-8; vaultnet will not merge it") from None

    def transform(text: str | None) -> str:
        if text is None:
            raise VaultnetError(f"{keep.path} no longer exists")
        return merged_text(text, other_text, keep, other, config.log_heading, today)

    return transform
