"""Who a chat is with: contacts by phone number, email address and name (aliases included).

A chat names the other side the way its app knows them: a number (SMS, a
WhatsApp contact you never saved), an address (iMessage), a name as saved on
the phone or in Telegram. Numbers are compared as numbers (``base.phones``),
with every number a note holds; a number written without its country code is
read in the country ``[capture] phone_region`` names, else one worked out (the
country of a Messages handle, of your own Telegram number, or the one most
numbers in your notes have), which is said. Without any country, the national
numbers are compared. Then addresses, then names and aliases (case, accents
and punctuation aside). A chat two notes could be is no one's until one of
them says so: it is listed with both, never given to one of them.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import phonenumbers

from vaultnet.base.names import fold, parse_name
from vaultnet.base.phones import e164, phone_key, same_number, split_numbers
from vaultnet.capture.conversations import Party
from vaultnet.capture.model import split_addresses
from vaultnet.evidence.contacts import Contact


@dataclass(frozen=True)
class Match:
    """The note a party is, or why none is."""

    path: str | None
    how: str = ""  # "number", "address" or "name"
    candidates: tuple[str, ...] = ()  # the notes it could be, when it could be several
    maybe: tuple[str, ...] = ()  # notes whose first name the chat's name starts with: said, never taken


def region_of(number: str) -> str | None:
    """The country of a number written with its country code (``+49…`` → ``DE``)."""
    if not number.strip().startswith(("+", "00", "\uff0b")):
        return None
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(number, None))
    except phonenumbers.NumberParseException:
        return None


def infer_region(contacts: Iterable[Contact], hints: Iterable[str | None] = ()) -> tuple[str | None, str]:
    """The country numbers without a country code are read in when ``phone_region`` is not set, and why.

    The chats' own word first (Messages keeps a country for each handle; a Telegram export your own
    number), then the country more than half of the numbers in your notes have.
    """
    said = Counter(hint.upper() for hint in hints if hint)
    if said:
        region = min(said, key=lambda code: (-said[code], code))
        return region, "the country the chats give"
    found = Counter(code for contact in contacts for number in split_numbers(contact.fields.get("phone"))
                    if (code := region_of(number)))
    common = min(found, key=lambda code: (-found[code], code), default=None)
    if common is None or found[common] * 2 <= found.total():
        return None, ""  # no country most numbers share: national numbers are compared without one
    return common, f"the country of {found[common]} of the {found.total()} numbers with a country code in your notes"


class Phonebook:
    """The vault's contacts by number, address and name, for matching chats to them."""

    def __init__(self, contacts: Iterable[Contact], region: str | None) -> None:
        self.region = region
        self._by_key: dict[str, list[tuple[str, str]]] = {}  # last seven digits → (number as written, note)
        self._by_address: dict[str, set[str]] = {}
        self._by_name: dict[str, set[str]] = {}
        self._by_first: dict[str, set[str]] = {}
        facts: list[str] = []
        for contact in sorted(contacts, key=lambda c: c.path):
            numbers = split_numbers(contact.fields.get("phone"))
            addresses = split_addresses(contact.fields.get("email"))
            for number in numbers:
                key = phone_key(number)
                if key is not None:
                    self._by_key.setdefault(key, []).append((number, contact.path))
            for address in addresses:
                self._by_address.setdefault(address, set()).add(contact.path)
            for name in (contact.name, *contact.aliases):
                if fold(name):
                    self._by_name.setdefault(fold(name), set()).add(contact.path)
            first = parse_name(contact.name).first
            if first:
                self._by_first.setdefault(first, set()).add(contact.path)
            facts.append("\t".join([contact.path, contact.name, *contact.aliases, *numbers, *addresses]))
        self._digest = hashlib.sha1("\n".join(facts).encode("utf-8", "surrogateescape")).hexdigest()

    def digest(self) -> str:
        """What matching depends on in the notes (names, aliases, numbers, addresses): what was read of a
        chat before stands while this and the settings stay the same."""
        return self._digest

    def _same(self, number: str, region: str | None, written: str) -> bool:
        ours, theirs = e164(number, region or self.region), e164(written, self.region)
        if ours and theirs:
            return ours == theirs
        return same_number(number, written)

    def by_number(self, number: str, region: str | None = None) -> set[str]:
        key = phone_key(number)
        if key is None:
            return set()  # a short code (a bank, a delivery service) is nobody
        return {path for written, path in self._by_key.get(key, ()) if self._same(number, region, written)}

    def match(self, party: Party) -> Match:
        """The one note a party is: by number or address, else by name; ambiguity is no match."""
        for how, found in (("number", set().union(*(self.by_number(n, party.region) for n in party.numbers))),
                           ("address", set().union(*(self._by_address.get(a.lower(), set()) for a in party.emails))),
                           ("name", set().union(*(self._by_name.get(fold(n), set()) for n in party.names)))):
            if len(found) == 1:
                return Match(next(iter(found)), how)
            if found:
                return Match(None, how, tuple(sorted(found)))
        maybe = set().union(*(self._by_first.get(fold(n).split()[0], set()) for n in party.names if fold(n)))
        return Match(None, maybe=tuple(sorted(maybe))[:3])
