"""vCard files (2.1, 3.0 and 4.0) as phones, Apple Contacts and Google Contacts export them.

The file is cut into cards first, so that one damaged card is a problem and
the others are still read; each card is then parsed by vobject. Two things are
done before vobject sees a card: quoted-printable soft line breaks (``=`` at a
line's end, from vCard 2.1 habits) are joined, since vobject does not follow
them, and photos, logos, sounds and keys are dropped: they are never imported,
and a large or damaged base64 block should not cost time or sink the card.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import vobject

from vaultnet.base.errors import Problem
from vaultnet.base.text import split_emails
from vaultnet.importers.records import (
    MAX_FIELD_CHARS,
    Parsed,
    Person,
    Progress,
    clean,
    join_name,
    no_progress,
    parse_birthday,
    problem_at,
    read_text,
)

_DROPPED = {"PHOTO", "LOGO", "SOUND", "KEY"}
_NEWLINE = re.compile(r"\r\n|\r|\n")


@dataclass
class Card:
    """The raw lines of one card and where it starts in the file."""

    number: int
    line: int
    lines: list[str]


def split_cards(text: str, label: str) -> tuple[list[Card], list[Problem]]:
    """Cut a file into cards; a card without ``END:VCARD`` is a problem."""
    cards: list[Card] = []
    problems: list[Problem] = []
    current: Card | None = None
    number = 0
    for index, line in enumerate(_NEWLINE.split(text), start=1):
        key = line.strip().upper()
        if key == "BEGIN:VCARD":
            if current is not None:
                problems.append(problem_at(label, current.line, "no END:VCARD before the next card; skipped", current.number))
            number += 1
            current = Card(number, index, [])
        elif key == "END:VCARD":
            if current is not None:
                cards.append(current)
                current = None
        elif current is not None:
            current.lines.append(line)
    if current is not None:
        problems.append(problem_at(label, current.line, "the file ends inside this card; skipped", current.number))
    return cards, problems


def _property(line: str) -> str:
    """A content line's property name, without its group (``item1.EMAIL`` → ``EMAIL``)."""
    return line.split(":", 1)[0].split(";", 1)[0].rsplit(".", 1)[-1].strip().upper()


def prepare(lines: Iterable[str]) -> str:
    """The card's text as vobject can read it: soft breaks joined, binary properties dropped."""
    out: list[str] = []
    dropping = False
    soft_break = False
    size = 0  # characters of the current property so far: each is bounded (a 20 MB NOTE is cut)
    for line in lines:
        if soft_break:
            if size + len(line) > MAX_FIELD_CHARS:
                soft_break = False
                continue
            size += len(line)
            out[-1] = out[-1][:-1] + line
            soft_break = line.endswith("=")
            continue
        if not line.strip():
            dropping = False  # vCard 2.1 ends a base64 block with a blank line
            continue
        if line[0] in " \t" or (dropping and ":" not in line):
            if not dropping and size + len(line) <= MAX_FIELD_CHARS:
                size += len(line)
                out.append(line)  # a folded line: vobject unfolds it
            continue
        dropping = _property(line) in _DROPPED
        if dropping:
            continue
        line = line[:MAX_FIELD_CHARS]
        size = len(line)
        out.append(line)
        soft_break = "QUOTED-PRINTABLE" in line.split(":", 1)[0].upper() and line.endswith("=")
    return "BEGIN:VCARD\r\n" + "".join(line + "\r\n" for line in out) + "END:VCARD\r\n"


def read(path: Path, progress: Progress = no_progress) -> Parsed:
    """People from a .vcf file; a card that cannot be read is a problem and the rest goes on."""
    label = str(path)
    cards, problems = split_cards(read_text(path), label)
    parsed = Parsed(problems=problems)
    for card in progress(cards, len(cards), f"Reading {path.name}"):
        try:
            component = vobject.readOne(prepare(card.lines), ignoreUnreadable=False)
            person = _person(component, card, label, parsed.problems)
        except Exception as err:  # noqa: BLE001 - vobject raises many kinds; one bad card must not stop the rest
            message = err.args[0] if isinstance(err, vobject.base.VObjectError) and err.args else err
            parsed.problems.append(problem_at(label, card.line, f"unreadable ({message}); skipped", card.number))
            continue
        if person is not None:
            parsed.people.append(person)
    return parsed


# ---------------------------------------------------------------- one card


def _lines(component: object, name: str) -> list[object]:
    contents: dict[str, list[object]] = getattr(component, "contents", {})
    return list(contents.get(name.lower(), []))


def _types(line: object) -> set[str]:
    """TYPE values, vCard 2.1 bare parameters and ``PREF``, upper-cased."""
    params: dict[str, list[str]] = getattr(line, "params", {})
    found = {part.strip().upper() for value in params.get("TYPE", []) for part in value.split(",")}
    found.update(value.upper() for value in getattr(line, "singletonparams", []))
    if params.get("PREF"):
        found.add("PREF")
    return found


def _text(line: object) -> str | None:
    """A property's value as text; ``\\:`` and the like are unescaped where vobject leaves them."""
    value = getattr(line, "value", None)
    if not isinstance(value, str):
        return None
    return clean(re.sub(r"\\([\\:;,])", r"\1", value))


def _ordered(lines: list[object], *preferred: str) -> list[object]:
    """Preferred values first (``PREF``, then the given types), file order otherwise."""
    ranks = ("PREF", *preferred)

    def rank(line: object) -> int:
        types = _types(line)
        return next((index for index, name in enumerate(ranks) if name in types), len(ranks))

    return sorted(lines, key=rank)


def _part(value: object) -> str | None:
    if isinstance(value, (list, tuple)):
        return join_name(*(str(item) for item in value)) or None
    return clean(value)


def _name(component: object) -> str:
    for line in _lines(component, "fn"):
        text = _text(line)
        if text:
            return text
    for line in _lines(component, "n"):
        value = getattr(line, "value", None)
        if value is not None:
            parts = (getattr(value, attr, "") for attr in ("prefix", "given", "additional", "family", "suffix"))
            name = join_name(*(_part(part) for part in parts))
            if name:
                return name
    return ""


def _location(component: object) -> str | None:
    for line in _ordered(_lines(component, "adr"), "HOME", "WORK"):
        address = getattr(line, "value", None)
        place = [_part(getattr(address, attr, None)) for attr in ("city", "country")]
        if not place[0]:
            place[0] = _part(getattr(address, "region", None))
        text = ", ".join(part for part in place if part)
        if text:
            return text
    return None


def _linkedin(component: object) -> str | None:
    for line in _lines(component, "url") + _lines(component, "x-socialprofile"):
        text = _text(line) or ""
        if "linkedin.com/" in text.lower():
            return text
        user = clean((getattr(line, "params", {}).get("X-USER") or [None])[0])
        if user and "LINKEDIN" in _types(line):
            return f"https://www.linkedin.com/in/{user}"
    return None


def _person(component: object, card: Card, label: str, problems: list[Problem]) -> Person | None:
    name = _name(component)
    if not name:
        problems.append(problem_at(label, card.line, "no name; skipped", card.number))
        return None
    if any((_text(line) or "").upper() == "COMPANY" for line in _lines(component, "x-abshowas")):
        problems.append(problem_at(label, card.line, f"{name!r} is a company card, not a person; skipped", card.number))
        return None
    person = Person(name, label, card.line, card.number)
    for line in _lines(component, "nickname"):
        alias = _text(line)
        if alias and alias.casefold() != name.casefold() and alias not in person.aliases:
            person.aliases.append(alias)
    for line in _ordered(_lines(component, "email"), "INTERNET"):
        for email in split_emails(re.sub(r"(?i)^mailto:", "", _text(line) or "")):  # never "a b@c" (from a\nb@c)
            if email.casefold() not in {e.casefold() for e in person.emails}:
                person.emails.append(email)
    for line in _ordered(_lines(component, "tel"), "CELL", "MOBILE", "IPHONE"):
        phone = _text(line)
        if phone:
            person.phone = re.sub(r"(?i)^tel:", "", phone)
            break
    for line in _lines(component, "org"):
        value = getattr(line, "value", None)
        company = clean(value[0]) if isinstance(value, list) and value else _text(line)
        if company:
            person.company = company
            break
    person.role = next((text for text in map(_text, _lines(component, "title")) if text), None)
    person.location = _location(component)
    person.linkedin = _linkedin(component)
    for line in _lines(component, "bday"):
        text = _text(line)
        if not text:
            continue
        omit = (getattr(line, "params", {}).get("X-APPLE-OMIT-YEAR") or [""])[0]
        try:
            person.birthday = parse_birthday(text, int(omit) if re.fullmatch("[0-9]{1,4}", omit) else None)
        except ValueError as err:
            problems.append(person.problem(f"{err}; birthday left out"))
        break
    return person
