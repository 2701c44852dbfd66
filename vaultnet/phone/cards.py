"""A person as a vCard and back: the one place where the note's keys and the card's properties meet.

The card carries the standard properties a phone shows (name, nicknames, every
email and phone, company, title, birthday, the LinkedIn URL, an address made
from ``location``), the brief in ``NOTE``, the circle in ``CATEGORIES``, and
everything else vaultnet's keys hold as ``X-VAULTNET-<KEY>`` properties (one a
list item), so that the card going out and coming back loses nothing. A card
vaultnet wrote also names its note (``X-VAULTNET-NOTE``), so that another
device can tell it from a card made on the phone before the note reaches it.

Values travel as text: a field is one text or a list of texts (:data:`Value`),
as the card holds them; :func:`vault_fields` reads a note's into that form,
:func:`card_fields` a card's, and :func:`render_card` writes them onto the
card, keeping whatever the phone added that vaultnet does not map (a photo,
labels, a postal address of its own) and the lines it already has for values
that did not change.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import vobject

from vaultnet.base.dates import Birthday
from vaultnet.base.keys import Properties
from vaultnet.base.phones import same_number, split_numbers
from vaultnet.base.text import CARD_KEYS, CARD_LISTS, card_property, split_emails
from vaultnet.evidence.contacts import Contact, fold
from vaultnet.importers.records import parse_birthday

Value = str | list[str]
Fields = dict[str, Value]
# How a field comes back from the phone: "items" (a set: every email), "text" (one value), "name" (the
# note's file name: a new one on the phone is told, never written), "out" (goes to the card, never back).
Kind = Literal["items", "text", "name", "out"]

STANDARD: dict[str, Kind] = {
    "name": "name", "aliases": "items", "email": "items", "phone": "items", "company": "text", "role": "text",
    "birthday": "text", "linkedin": "text", "location": "text",
}
# vaultnet's own keys, as X-VAULTNET-<KEY>, the same as `export vcard` writes and `import vcard` reads back
# (the location too, as X-VAULTNET-LOCATION beside the address); relations and named dates only go out.
OWN: dict[str, Kind] = {
    **{key: "items" if key in CARD_LISTS else "text" for key in CARD_KEYS if key != "location"},
    "relations": "out", "dates": "out",
}
KINDS: dict[str, Kind] = {**STANDARD, **OWN}
FLAGS = ("paused", "ignore_journal")  # written back to a note as true or false
NOTE_PATH = "X-VAULTNET-NOTE"


own_property = card_property  # ``introduced_by`` → ``X-VAULTNET-INTRODUCED-BY``


# -------------------------------------------------------------- the note side


def _item(value: Any) -> str | None:
    """One front-matter value as one line of text (a date in ISO form, an unquoted ``[[link]]`` as written)."""
    if value is None or isinstance(value, dict) or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):  # an unquoted [[link]] is a list in a list
        inner = [text for item in value if (text := _item(item))]
        return f"[[{inner[0]}]]" if len(inner) == 1 else ", ".join(inner) or None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    text = " ".join(str(value).split())
    return text or None


def _items(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [f"{key}: {text}" for key, item in value.items() if (text := _item(item))]
    values = value if isinstance(value, list) else [value]
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], list):
        values = [value]  # `partner: [[Ana]]`: one link
    return [text for item in values if (text := _item(item))]


def birthday_value(birthday: Birthday | None) -> str | None:
    """``1990-03-14``, or ``03-14`` when the year is unknown (as a note writes it)."""
    if birthday is None:
        return None
    day = f"{birthday.month:02d}-{birthday.day:02d}"
    return f"{birthday.year:04d}-{day}" if birthday.year else day


def vault_fields(contact: Contact, props: Properties) -> Fields:
    """What the note says, field by field, in the form the card holds it."""
    fields: Fields = {"name": contact.name}
    if contact.aliases:
        fields["aliases"] = list(contact.aliases)
    emails = [email for item in _items(props.get("email")) for email in split_emails(item)]
    phones = [number for item in _items(props.get("phone")) for number in split_numbers(item) or [item]]
    for key, found in (("email", emails), ("phone", phones)):
        if found:
            fields[key] = list(dict.fromkeys(found))
    for key in ("company", "role", "linkedin", "location", "industry", "met"):
        if contact.fields.get(key):
            fields[key] = contact.fields[key]
    birthday = birthday_value(contact.birthday)
    if birthday:
        fields["birthday"] = birthday
    if contact.circle:
        fields["circle"] = contact.circle
    for key, kind in OWN.items():
        if key in fields:
            continue
        raw = props.get(key)
        if kind == "text":
            text = _item(raw)
            if text:
                fields[key] = text
        else:
            found = _items(raw)
            if found:
                fields[key] = found
    return fields


def note_value(key: str, value: Value) -> Any:
    """A card's value as the note's front matter takes it: a flag as true or false, a list as a list."""
    if key in FLAGS and isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "1")
    if isinstance(value, list):
        return value[0] if len(value) == 1 else list(value)
    return value


# -------------------------------------------------------------- the card side


def _lines(card: Any, name: str) -> list[Any]:
    return list(card.contents.get(name.lower(), []))


def _text(line: Any) -> str | None:
    value = line.value
    if isinstance(value, list):
        value = value[0] if value else ""
    if not isinstance(value, str):
        return None
    text = " ".join(re.sub(r"\\([\\:;,])", r"\1", value).split())  # `\:` and the like, where vobject leaves them
    return text or None


def _city_country(line: Any) -> str | None:
    address = line.value
    city = _text_of(getattr(address, "city", "")) or _text_of(getattr(address, "region", ""))
    return ", ".join(part for part in (city, _text_of(getattr(address, "country", ""))) if part) or None


def _text_of(value: Any) -> str:
    return " ".join((" ".join(value) if isinstance(value, list) else str(value or "")).split())


def read_card(text: str) -> Any:
    """The card as vobject reads it, every line (``ValueError`` naming what is wrong when it cannot).

    A card with a line vobject cannot read is not taken at all: written back, it
    would lose that line.
    """
    try:
        card = vobject.readOne(text, ignoreUnreadable=False)
    except Exception as err:  # noqa: BLE001 - vobject raises many kinds for one bad card
        raise ValueError(f"not a card vaultnet can read ({err})") from None
    if getattr(card, "name", "").upper() != "VCARD":
        raise ValueError("not a vCard")
    return card


def card_fields(card: Any) -> Fields:
    """What the card says, field by field (the brief and the categories under ``note`` and ``categories``)."""
    fields: Fields = {}
    name = next((text for line in _lines(card, "fn") if (text := _text(line))), None)
    if name is None:
        for line in _lines(card, "n"):
            parts = (getattr(line.value, attr, "") for attr in ("prefix", "given", "additional", "family", "suffix"))
            name = " ".join(text for part in parts if (text := _text_of(part))) or None
    if name:
        fields["name"] = name
    aliases = [text for line in _lines(card, "nickname") if (text := _text(line))]  # one a line, as vaultnet writes
    emails = [re.sub(r"(?i)^mailto:", "", text) for line in _lines(card, "email") if (text := _text(line))]
    phones = [re.sub(r"(?i)^tel:", "", text) for line in _lines(card, "tel") if (text := _text(line))]
    for key, found in (("aliases", aliases), ("email", emails), ("phone", phones)):
        if any(found):
            fields[key] = list(dict.fromkeys(item for item in found if item))
    for key, prop in (("company", "org"), ("role", "title"), ("note", "note")):
        text = next((text for line in _lines(card, prop) if (text := _text(line))), None)
        if key == "note":
            text = next((line.value.strip() for line in _lines(card, prop) if isinstance(line.value, str)), None)
        if text:
            fields[key] = text
    for line in _lines(card, "bday"):
        omit = (line.params.get("X-APPLE-OMIT-YEAR") or [""])[0]
        with contextlib.suppress(ValueError):  # an impossible birthday is left out
            fields["birthday"] = parse_birthday(_text(line) or "", int(omit) if omit.isdigit() else None)
        break
    linkedin = next((text for line in _lines(card, "url") if (text := _text(line)) and "linkedin.com/" in text.lower()),
                    None)
    if linkedin:
        fields["linkedin"] = linkedin
    categories = [item for line in _lines(card, "categories") for item in _listed(line.value)]
    if categories:
        fields["categories"] = categories
    for key, kind in OWN.items():
        found = [text for line in _lines(card, own_property(key)) if (text := _text(line))]
        if found:
            fields[key] = found if kind != "text" else found[0]
    location = next((text for line in _lines(card, own_property("location")) if (text := _text(line))), None)
    location = location or next((text for line in _lines(card, "adr") if (text := _city_country(line))), None)
    if location:
        fields["location"] = location
    path = next((text for line in _lines(card, NOTE_PATH) if (text := _text(line))), None)
    if path:
        fields["path"] = path
    return fields


def _listed(value: Any) -> list[str]:
    values = value if isinstance(value, list) else str(value).split(",")
    return [text for item in values if (text := " ".join(str(item).split()))]


def same_item(key: str) -> Callable[[str, str], bool]:
    """When two items of a field are one: phone numbers as numbers, everything else case aside."""
    if key == "phone":
        return lambda a, b: same_number(a, b) or _digits(a) == _digits(b)
    return lambda a, b: fold(a) == fold(b)


def _digits(number: str) -> str:
    return re.sub(r"[^0-9+]", "", number) or number.casefold()


def same_value(key: str, first: Value | None, second: Value | None) -> bool:
    """Whether two values of a field say the same (lists as sets of items)."""
    if first is None or second is None:
        return first is None and second is None
    if isinstance(first, str) and isinstance(second, str):
        return first == second if key == "birthday" else fold(first) == fold(second)
    many_first = [first] if isinstance(first, str) else first
    many_second = [second] if isinstance(second, str) else second
    same = same_item(key)
    return (all(any(same(a, b) for b in many_second) for a in many_first)
            and all(any(same(a, b) for a in many_first) for b in many_second))


# -------------------------------------------------------------- writing a card


def _bday(value: str) -> str:
    """A card's BDAY: ``1990-03-14``, or ``--0314`` (vCard 4.0's form, what phones and Google read) without a year."""
    return f"--{value.replace('-', '')}" if len(value) == 5 else value


def _set_items(card: Any, prop: str, items: Sequence[str], same: Callable[[str, str], bool],
               make: Callable[[Any, str], None]) -> None:
    """The property's lines hold exactly ``items``: lines for items still there stay as the phone wrote them."""
    old = _lines(card, prop)
    kept: list[str] = []
    for line in old:
        text = re.sub(r"(?i)^(mailto|tel):", "", _text(line) or "")
        if any(same(text, item) for item in items) and not any(same(text, k) for k in kept):
            kept.append(text)
        else:
            card.remove(line)
    for item in items:
        if not any(same(item, k) for k in kept):
            make(card.add(prop.lower()), item)
            kept.append(item)


def _set_text(card: Any, prop: str, value: str | None, same: Callable[[Any], bool] | None = None,
              make: Callable[[Any], None] | None = None) -> None:
    """One line of ``prop`` holding ``value`` (none without it); a line that says it already is kept."""
    lines = _lines(card, prop)
    if value is not None and lines and (same(lines[0]) if same else _text(lines[0]) == value):
        for line in lines[1:]:
            card.remove(line)
        return
    for line in lines:
        card.remove(line)
    if value is not None:
        line = card.add(prop.lower())
        if make:
            make(line)
        else:
            line.value = value


def _name(value: str) -> Any:
    words = value.split()
    if len(words) > 1:
        return vobject.vcard.Name(family=words[-1], given=" ".join(words[:-1]))
    return vobject.vcard.Name(given=value)


def render_card(existing: Any | None, uid: str, fields: Mapping[str, Value], brief: str, circles: Sequence[str],
                path: str, base_location: str | None = None) -> str:
    """The card for ``fields`` (what the vault and the phone agreed on): the phone's card with
    vaultnet's properties set, or a new vCard 3.0.

    ``circles`` are the vault's circle names: a category naming one is vaultnet's
    and is replaced by the person's circle; other categories (a phone's groups,
    Google's labels) stay. An address is written from ``location`` when the card
    has none, or when the one it has is the one vaultnet wrote (``base_location``).
    """
    card = existing if existing is not None else vobject.vCard()
    if not _lines(card, "version"):
        card.add("version").value = "3.0"
    _set_text(card, "uid", uid)
    name = str(fields.get("name") or "")
    had_name = next((_text(line) for line in _lines(card, "fn")), None)
    _set_text(card, "fn", name or None)
    if had_name != name or not _lines(card, "n"):
        _set_text(card, "n", name or None, make=lambda line: setattr(line, "value", _name(name)))

    def email(line: Any, item: str) -> None:
        line.value = item
        line.type_param = "INTERNET"

    def value(line: Any, item: str) -> None:
        line.value = item

    _set_items(card, "NICKNAME", _as_list(fields.get("aliases")), same_item("aliases"), value)
    _set_items(card, "EMAIL", _as_list(fields.get("email")), same_item("email"), email)
    _set_items(card, "TEL", _as_list(fields.get("phone")), same_item("phone"), value)
    company = _as_text(fields.get("company"))
    _set_text(card, "org", company, same=lambda line: fold(_text(line) or "") == fold(company or ""),
              make=lambda line: setattr(line, "value", [company]))
    _set_text(card, "title", _as_text(fields.get("role")))
    birthday = _as_text(fields.get("birthday"))
    _set_text(card, "bday", _bday(birthday) if birthday else None,
              same=lambda line: _birthday_of(line) == birthday)
    linkedin = _as_text(fields.get("linkedin"))
    for line in _lines(card, "url"):
        if "linkedin.com/" in (_text(line) or "").lower() and linkedin is not None and _text(line) != linkedin:
            card.remove(line)
    if linkedin and not any(_text(line) == linkedin for line in _lines(card, "url")):
        card.add("url").value = linkedin
    location = _as_text(fields.get("location"))
    _set_address(card, location, base_location)
    _set_text(card, own_property("location"), location)  # exactly, whatever the address holds
    _set_text(card, "note", brief or None, same=lambda line: isinstance(line.value, str) and line.value.strip() == brief)
    circle = _as_text(fields.get("circle"))
    folded = {fold(name) for name in circles}
    groups = [item for line in _lines(card, "categories") for item in _listed(line.value) if fold(item) not in folded]
    wanted = [*groups, circle] if circle else groups
    current = [item for line in _lines(card, "categories") for item in _listed(line.value)]
    if current != wanted:
        for line in _lines(card, "categories"):
            card.remove(line)
        if wanted:
            card.add("categories").value = wanted
    for key in OWN:
        items = _as_list(fields.get(key))
        prop = own_property(key)
        if [_text(line) for line in _lines(card, prop)] != items:
            for line in _lines(card, prop):
                card.remove(line)
            for item in items:
                card.add(prop.lower()).value = item
    _set_text(card, NOTE_PATH, path)
    return str(card.serialize())


def _set_address(card: Any, location: str | None, base_location: str | None) -> None:
    """``location`` as a postal address (``city, country``), unless the card has an address of its own.

    An address the card holds that reads as the location last agreed on is the
    one vaultnet wrote, and follows the note; any other is the phone's.
    """
    lines = _lines(card, "adr")
    ours = [line for line in lines if base_location and _city_country(line) == base_location]
    if lines and not ours:
        return
    if location and ours and all(_city_country(line) == location for line in ours):
        return
    for line in ours:
        card.remove(line)
    if location:
        city, _, country = location.rpartition(", ") if ", " in location else (location, "", "")
        card.add("adr").value = vobject.vcard.Address(city=city, country=country)


def _birthday_of(line: Any) -> str | None:
    try:
        return parse_birthday(_text(line) or "")
    except ValueError:
        return None


def _as_list(value: Value | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _as_text(value: Value | None) -> str | None:
    if value is None:
        return None
    return value if isinstance(value, str) else ", ".join(value) or None
