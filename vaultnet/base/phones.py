"""Phone numbers compared as numbers, not as text.

``+49 151 2345 6789``, ``0151 23456789`` and ``(0151) 2345-6789`` are one
number; ``+44 7700 900123`` and ``+1 7700 900123`` are two. The numbering plans
are `phonenumbers`' (Google's libphonenumber data). A note seldom says which
country a number without ``+`` belongs to, so two numbers match when they are
the same number in full, or when one lacks its country code and the national
numbers agree (libphonenumber's NSN match). Shorter numbers than
:data:`MIN_DIGITS` (extensions, short codes) never match.

Shared by whoever compares people by phone: duplicates, imports, chat exports.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

MIN_DIGITS = 7
# Several numbers in one field: "+351 912 345 678, +351 213 000 000", "a; b", "a | b", "a or b", "a / b".
_SEPARATORS = re.compile(r"[,;|\n]|\s+/\s+|\s+or\s+", re.IGNORECASE)
_EXTENSION = re.compile(r"(?:ext\.?|x|#)\s*\d+\s*$", re.IGNORECASE)
_MATCHES = (phonenumbers.MatchType.NSN_MATCH, phonenumbers.MatchType.EXACT_MATCH)


def split_numbers(text: str | None) -> list[str]:
    """Each number a field holds (``German 030/1234567`` keeps its slash: only a spaced one separates)."""
    if not text:
        return []
    return [part.strip() for part in _SEPARATORS.split(text) if digits(part)]


def digits(text: str) -> str:
    """The digits of a number as written (a fast key for grouping, never a comparison)."""
    return "".join(char for char in text if char.isdigit())


def phone_key(text: str) -> str | None:
    """The last seven digits: numbers that may match share it (``None`` when the number is too short)."""
    found = digits(_EXTENSION.sub("", text))
    return found[-MIN_DIGITS:] if len(found) >= MIN_DIGITS else None


@lru_cache(maxsize=4096)
def same_number(first: str, second: str) -> bool:
    """Whether two written numbers are the same number (see the module's docstring)."""
    if phone_key(first) is None or phone_key(first) != phone_key(second):
        return False
    try:
        return phonenumbers.is_number_match(first, second) in _MATCHES
    except phonenumbers.NumberParseException:
        return False


def e164(text: str, region: str | None = None) -> str | None:
    """``+4915123456789`` for a number that says its country (or with ``region``, e.g. ``"DE"``), else ``None``."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
