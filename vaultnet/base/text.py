"""Small text helpers shared by the importers and the exports.

Both sides of a round trip (a vCard written by ``export`` and read back by
``import``) must agree on what an email field holds and how a LinkedIn profile
is compared, so these live in one place that neither side owns.
"""

from __future__ import annotations

import codecs
import re

# vaultnet's own keys a vCard has no property for, written by `export vcard` as X-VAULTNET-<KEY> (one
# property per list item) and read back by `import vcard`; location also when ADR cannot hold it exactly.
CARD_KEYS = ("circle", "cadence", "last_contact", "snooze_until", "paused", "ignore_journal", "industry", "met",
             "introduced_by", "offers", "needs", "interests", "goals", "tags", "friends", "partner", "children",
             "parents", "siblings", "household", "anniversary", "died", "location")
CARD_LISTS = ("offers", "needs", "interests", "goals", "tags", "friends", "children", "parents", "siblings",
              "household")  # always read back as lists


def location_text(city: str | None, country: str | None) -> str:
    """What ``location`` holds for a postal address: ``city, country`` (both sides of the round trip agree)."""
    return ", ".join(part for part in (city, country) if part)


def card_property(key: str) -> str:
    """``introduced_by`` → ``X-VAULTNET-INTRODUCED-BY``."""
    return "X-VAULTNET-" + key.upper().replace("_", "-")


def printable(text: str) -> str:
    """One line of text that is safe to print: control characters and line separators from the file are escaped."""
    return text if text.isprintable() else "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def split_emails(text: str | None) -> list[str]:
    """Every address in a field that may hold several (``a@x ::: b@y``, ``a@x, b@y``)."""
    if not text:
        return []
    return [part for part in re.split(r"[\s,;]+|:::", text) if "@" in part]


def profile_key(url: str | None) -> str | None:
    """A LinkedIn profile URL in one form: ``http://www.linkedin.com/in/x/`` is ``linkedin.com/in/x``."""
    if not url:
        return None
    match = re.search(r"linkedin\.com/(in|pub)/([^/?#\s]+)", url, re.IGNORECASE)
    return f"linkedin.com/{match.group(1).lower()}/{match.group(2).casefold()}" if match else None


_UNDEFINED_IN_CP1252 = frozenset(b"\x81\x8d\x8f\x90\x9d")


def _cp1252_bytes(err: UnicodeError) -> tuple[str, int]:
    assert isinstance(err, UnicodeDecodeError)
    bad = err.object[err.start:err.end]
    return "".join(chr(b) if b in _UNDEFINED_IN_CP1252 else bytes([b]).decode("cp1252") for b in bad), err.end


codecs.register_error("vaultnet-cp1252", _cp1252_bytes)


def decode_mixed(data: bytes) -> str:
    """Text from bytes that are mostly UTF-8: each byte that is not is read as Windows-1252.

    Exports, calendars and mail headers mix them (a Latin-1 name in a UTF-8 file,
    one stray byte in a header): one such byte must neither sink the record nor
    turn every other line's UTF-8 into mojibake. A leading BOM is dropped.
    """
    return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "vaultnet-cp1252")
