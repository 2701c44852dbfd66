"""vCard files (2.1, 3.0 and 4.0) as phones, Apple Contacts, Google, Outlook and Lotus Notes export them.

Read by a small parser of vaultnet's own, because what real files hold trips
general parsers: vobject keeps only the text before an unescaped comma (Gmail's
``FN:Doe, Jane`` became ``Doe``), refuses Lotus Notes' ``PROFILE:VCard``, and
drops a whole card for one byte its charset cannot decode. Here:

- the file is cut into cards first, so that one damaged card is a problem and
  the others are still read; a file cut off inside a card is imported up to
  there and then fails the import, and a file with no card is an error;
- lines end at LF, CR LF or CR CR LF (iPhones), and a lone CR inside a value
  (Thunderbird) ends nothing; folded lines and vCard 2.1's quoted-printable soft
  breaks are joined;
- photos, logos, sounds and keys are skipped unread, with their base64 lines;
- values are decoded byte by byte: quoted-printable, then the CHARSET given,
  then UTF-8, with Windows-1252 for a byte that is neither;
- every EMAIL and TEL is kept, and vaultnet's own keys come back from the
  ``X-VAULTNET-*`` properties ``export vcard`` writes (CATEGORIES naming a
  circle is the circle), so an export read back loses nothing.
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vaultnet.base.errors import Problem, VaultnetError
from vaultnet.base.text import CARD_KEYS, CARD_LISTS, card_property, decode_mixed, location_text
from vaultnet.importers.records import (
    MAX_FIELD_CHARS,
    Parsed,
    Person,
    Progress,
    clean,
    join_name,
    nameless,
    no_progress,
    parse_birthday,
    problem_at,
    read_export,
)

_DROPPED = {"PHOTO", "LOGO", "SOUND", "KEY"}
_LINE_BREAK = re.compile(rb"\r*\n")  # LF, CR LF, and the CR CR LF of iPhone exports
_NAME = re.compile(r"(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)$")
_UNESCAPE = re.compile(r"\\(.)", re.DOTALL)
_EXTRA = {card_property(key): key for key in CARD_KEYS}


# ---------------------------------------------------------------- the file → cards → properties


@dataclass
class Property:
    """One content line: its name (group dropped), parameters, and raw value (still escaped)."""

    name: str
    params: dict[str, list[str]]
    value: str

    @property
    def types(self) -> set[str]:
        """TYPE values, vCard 2.1 bare parameters and PREF, upper-cased."""
        found = {part.strip().upper() for value in self.params.get("TYPE", []) for part in value.split(",")}
        found.update(self.params.get("", []))
        if "PREF" in self.params:
            found.add("PREF")
        return found

    def text(self) -> str | None:
        """The value as one line of text (escapes undone, commas kept: ``FN:Doe, Jane`` is one name)."""
        return clean(_unescape(self.value))

    def parts(self) -> list[str]:
        """A structured value's components (N, ADR, ORG), split at unescaped ``;``."""
        return [_unescape(part) for part in _split(self.value, ";")]

    def items(self) -> list[str]:
        """A list value's items (NICKNAME, CATEGORIES), split at unescaped ``,``."""
        return [text for part in _split(self.value, ",") if (text := clean(_unescape(part)))]


@dataclass
class Card:
    """The content lines of one card and where it starts in the file."""

    number: int
    line: int
    lines: list[tuple[int, bytes]] = field(default_factory=list)


def _unescape(text: str) -> str:
    return _UNESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def _split(text: str, separator: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    escaped = False
    for char in text:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current) + ("\\" if escaped else ""))
    return parts


def split_cards(data: bytes, label: str) -> tuple[list[Card], list[Problem], str | None]:
    """Cut a file into cards: the cards, a problem per card without END:VCARD before the next, and
    why the file is incomplete when it ends inside a card."""
    cards: list[Card] = []
    problems: list[Problem] = []
    current: Card | None = None
    number = 0
    # A lone CR inside a value (Thunderbird) ends nothing; a file of CRs alone (classic Mac OS) is split at them.
    for index, line in enumerate(_LINE_BREAK.split(data) if b"\n" in data else data.split(b"\r"), start=1):
        key = line.strip().upper()
        if key == b"BEGIN:VCARD":
            if current is not None:
                problems.append(problem_at(label, current.line, "no END:VCARD before the next card; skipped",
                                           current.number))
            number += 1
            current = Card(number, index)
        elif key == b"END:VCARD":
            if current is not None:
                cards.append(current)
                current = None
        elif current is not None:
            current.lines.append((index, line))
    incomplete = None
    if current is not None:
        incomplete = (f"the file ends inside card {current.number} (line {current.line}), without END:VCARD: "
                      "it looks cut off; the cards before it were read")
    return cards, problems, incomplete


def properties(card: Card) -> Iterator[Property]:
    """The card's properties, unfolded, soft breaks joined, binary ones skipped unread."""
    logical: list[bytes] = []
    dropping = False
    for _number, line in card.lines:
        if logical and not dropping and _soft_break(logical[-1]):
            if len(logical[-1]) + len(line) <= MAX_FIELD_CHARS:
                logical[-1] = logical[-1][:-1] + line
            continue
        if not line.strip():
            dropping = False  # vCard 2.1 ends a base64 block with a blank line
            continue
        if line[:1] in (b" ", b"\t"):
            if logical and not dropping and len(logical[-1]) + len(line) <= MAX_FIELD_CHARS:
                logical[-1] += line[1:]
            continue
        name = _NAME.fullmatch(line.split(b":", 1)[0].split(b";", 1)[0].decode("ascii", "replace"))
        if b":" not in line or name is None:
            continue  # a base64 line of a skipped photo, or a stray fragment: nothing to read
        dropping = name.group(1).upper() in _DROPPED
        if not dropping:
            logical.append(line[:MAX_FIELD_CHARS])
    for line in logical:
        found = _property(line)
        if found is not None:
            yield found


def _soft_break(line: bytes) -> bool:
    """vCard 2.1: a quoted-printable value ending in ``=`` goes on in the next line."""
    return line.endswith(b"=") and b"QUOTED-PRINTABLE" in line.split(b":", 1)[0].upper()


def _property(line: bytes) -> Property | None:
    head, value = _head_and_value(line)
    if head is None:
        return None
    parts = _params(head)
    match = _NAME.fullmatch(parts[0])
    if not match:
        return None
    params: dict[str, list[str]] = {}
    for part in parts[1:]:
        key, equals, values = part.partition("=")
        if equals:
            params.setdefault(key.strip().upper(), []).extend(v.strip().strip('"') for v in _split_unquoted(values))
        elif part.strip():
            params.setdefault("", []).append(part.strip().upper())  # vCard 2.1: `TEL;CELL;PREF:`
    encoding = " ".join(params.get("ENCODING", []) + params.get("", [])).upper()
    if "QUOTED-PRINTABLE" in encoding:
        value = _quoted_printable(value)
    charset = (params.get("CHARSET") or [""])[0]
    return Property(match.group(1).upper(), params, _decode(value, charset))


def _head_and_value(line: bytes) -> tuple[str | None, bytes]:
    """Split at the first colon outside double quotes (a parameter may hold one: ``"mailto:…"``)."""
    quoted = False
    for index, byte in enumerate(line):
        if byte == 0x22:
            quoted = not quoted
        elif byte == 0x3A and not quoted:
            return line[:index].decode("utf-8", "replace"), line[index + 1:]
    return None, b""


def _params(head: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for char in head:
        if char == '"':
            quoted = not quoted
        if char == ";" and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _split_unquoted(values: str) -> list[str]:
    return re.findall(r'"[^"]*"|[^,]+', values)


def _quoted_printable(value: bytes) -> bytes:
    """``=C3=91`` → bytes; a ``=`` not followed by two hex digits stays as it is (never sinks the card)."""
    return re.sub(rb"=([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), value.replace(b"=\r\n", b""))


def _decode(value: bytes, charset: str) -> str:
    if charset and charset.lower().replace("_", "-") not in ("utf-8", "utf8"):
        try:
            return value.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_mixed(value)


# ---------------------------------------------------------------- a file


def read(path: Path, progress: Progress = no_progress) -> Parsed:
    """People from a .vcf file; a card that cannot be read is a problem and the rest goes on."""
    label = str(path)
    data = read_export(path)
    cards, problems, incomplete = split_cards(data, label)
    if not cards and not problems and incomplete is None and data.strip():
        raise VaultnetError(f"{label}: no BEGIN:VCARD ... END:VCARD: not a vCard file")
    parsed = Parsed(problems=problems, incomplete=incomplete)
    if incomplete:
        parsed.problems.append(problem_at(label, None, incomplete))
    for card in progress(cards, len(cards), f"Reading {path.name}"):
        try:
            person = _person(card, label, parsed.problems)
        except Exception as err:  # noqa: BLE001 - whatever a card holds, it costs that card only
            parsed.problems.append(problem_at(label, card.line, f"unreadable ({err}); skipped", card.number))
            continue
        if person is not None:
            parsed.people.append(person)
    return parsed


# ---------------------------------------------------------------- one card


def _ordered(found: list[Property], *preferred: str) -> list[Property]:
    """Preferred values first (``PREF``, then the given types), file order otherwise."""
    ranks = ("PREF", *preferred)

    def rank(prop: Property) -> int:
        return next((index for index, name in enumerate(ranks) if name in prop.types), len(ranks))

    return sorted(found, key=rank)


def _name(props: dict[str, list[Property]]) -> str:
    """FN as written (commas kept); N when FN is missing or only an address."""
    full = next((text for prop in props.get("FN", []) if (text := prop.text())), "")
    if full and "@" not in full:
        return full
    for prop in props.get("N", []):
        parts = prop.parts() + [""] * 5
        family, given, additional, prefix, suffix = (" ".join(p.replace(",", " ").split()) for p in parts[:5])
        name = join_name(prefix, given, additional, family, suffix)
        if name:
            return name
    return full


def _addresses(props: dict[str, list[Property]]) -> list[tuple[str, str | None]]:
    """Each email address, preferred first, with the name shown beside it when the value has one."""
    found = []
    for prop in _ordered(props.get("EMAIL", []), "INTERNET"):
        text = re.sub(r"(?i)^mailto:", "", prop.text() or "")
        shown, address = email.utils.parseaddr(text)
        if "@" in address and " " not in address:
            found.append((address, shown or None))
    return found


def _location(props: dict[str, list[Property]]) -> str | None:
    exact = next((text for prop in props.get(card_property("location"), []) if (text := prop.text())), None)
    if exact:
        return exact
    for prop in _ordered(props.get("ADR", []), "HOME", "WORK"):
        parts: list[str | None] = [clean(part) for part in prop.parts()] + [None] * 7
        text = location_text(parts[3] or parts[4], parts[6])
        if text:
            return text
    return None


def _linkedin(props: dict[str, list[Property]]) -> str | None:
    for prop in props.get("URL", []) + props.get("X-SOCIALPROFILE", []):
        text = prop.text() or ""
        if "linkedin.com/" in text.lower():
            return text
        user = clean((prop.params.get("X-USER") or [""])[0])
        if user and "LINKEDIN" in prop.types:
            return f"https://www.linkedin.com/in/{user}"
    return None


def _extra(props: dict[str, list[Property]]) -> dict[str, Any]:
    """vaultnet's own keys, from the ``X-VAULTNET-*`` properties its export writes."""
    values: dict[str, Any] = {}
    for name, key in _EXTRA.items():
        texts = [text for prop in props.get(name, []) if (text := prop.text())]
        if not texts or key == "location":
            continue
        if key in CARD_LISTS:
            values[key] = texts
        elif texts[0].lower() in ("true", "false"):
            values[key] = texts[0].lower() == "true"
        else:
            values[key] = int(texts[0]) if re.fullmatch(r"[0-9]{1,6}", texts[0]) else texts[0]
    return values


def _person(card: Card, label: str, problems: list[Problem]) -> Person | None:
    props: dict[str, list[Property]] = {}
    for prop in properties(card):
        props.setdefault(prop.name, []).append(prop)
    addresses = _addresses(props)
    name = _name(props)
    triage = False
    if not name and addresses:
        name, triage = nameless([address for address, _ in addresses], addresses[0][1]), True
    if not name:
        problems.append(problem_at(label, card.line, "no name and no email address; skipped", card.number))
        return None
    if any((prop.text() or "").upper() == "COMPANY" for prop in props.get("X-ABSHOWAS", [])):
        problems.append(problem_at(label, card.line, f"{name!r} is a company card, not a person; skipped", card.number))
        return None
    person = Person(name, label, card.line, card.number, triage=triage)
    for prop in props.get("NICKNAME", []):
        for alias in prop.items():
            if alias.casefold() != name.casefold() and alias not in person.aliases:
                person.aliases.append(alias)
    for address, _shown in addresses:
        person.add_email(address)
    for prop in _ordered(props.get("TEL", []), "CELL", "MOBILE", "IPHONE"):
        person.add_phone(re.sub(r"(?i)^tel:", "", prop.text() or ""))
    person.company = next((company for prop in props.get("ORG", []) if (company := clean(prop.parts()[0]))), None)
    person.role = next((text for prop in props.get("TITLE", []) if (text := prop.text())), None)
    person.location = _location(props)
    person.linkedin = _linkedin(props)
    person.extra = _extra(props)
    person.categories = [item for prop in props.get("CATEGORIES", []) for item in prop.items()]
    person.met = person.extra.pop("met", None)
    for prop in props.get("BDAY", []):
        text = prop.text()
        if not text:
            continue
        omit = (prop.params.get("X-APPLE-OMIT-YEAR") or [""])[0]
        try:
            person.birthday = parse_birthday(text, int(omit) if re.fullmatch("[0-9]{1,4}", omit) else None)
        except ValueError as err:
            problems.append(person.problem(f"{err}; birthday left out"))
        break
    return person
