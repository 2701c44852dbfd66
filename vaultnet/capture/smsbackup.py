"""Android texts as SMS Backup & Restore (SyncTech) writes them: ``sms-<date>.xml``.

Each ``<sms>`` is one text: ``address`` the other number, ``date`` milliseconds
since 1970 (UTC), ``type`` 1 received and 2 sent (drafts, the outbox, failed
and queued ones are no conversation). Each ``<mms>`` is a picture or group
message: ``msg_box`` 1 or 2 for the direction, its ``<addr>`` children the
sender (type 137) and recipients, ``address`` every party joined with ``~``;
an MMS with more than one other party is a group. Your own number shows as the
sender of the MMS you sent, and is no party.

The files are large (pictures are inside them, in base64), so they are read as
a stream, one message at a time, and each is dropped once counted. Exports
written by other apps in this format (Signal's, Silence's) encode emoji as two
character references for a surrogate pair, which an XML parser refuses: such
pairs are joined into the one character they stand for before the parser
sees them.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import IO

from vaultnet.base.phones import digits, phone_key
from vaultnet.capture.conversations import Chat, Party, Sent

_REFERENCE = rb"&#(\d{5}|[xX][0-9a-fA-F]{4});"
_PAIR = re.compile(_REFERENCE + _REFERENCE)
_LONE = re.compile(_REFERENCE)
_NO_NAME = {"", "(unknown)", "null", "unknown"}
_ME = "insert-address-token"  # what some phones write for your own number


class NotAnExport(ValueError):
    """The file is no SMS Backup & Restore messages file."""


def looks_like_export(head: bytes, calls: bool = False) -> bool:
    """Whether an XML file is a messages backup (or, with ``calls``, its call log too: to be told it is one)."""
    return b"<smses" in head or (calls and b"<calls" in head)


def _code(text: bytes) -> int:
    return int(text[1:], 16) if text[:1] in (b"x", b"X") else int(text)


def _join(match: re.Match[bytes]) -> bytes:
    high, low = _code(match.group(1)), _code(match.group(2))
    if 0xD800 <= high <= 0xDBFF and 0xDC00 <= low <= 0xDFFF:
        return b"&#%d;" % (0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    return match.group(0)


def _lone(match: re.Match[bytes]) -> bytes:
    return b"&#65533;" if 0xD800 <= _code(match.group(1)) <= 0xDFFF else match.group(0)


def repair(data: bytes) -> bytes:
    """Surrogate pairs written as two references joined into one; a lone half becomes U+FFFD."""
    if b"&#" not in data:
        return data
    return _LONE.sub(_lone, _PAIR.sub(_join, data))


class _Repaired:
    """A file read through :func:`repair`, holding back a reference a read would cut in two."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.held = b""

    def read(self, size: int = -1) -> bytes:
        while True:
            chunk = self.handle.read(size if size and size > 0 else 1 << 20)
            data = self.held + chunk
            if not chunk:
                self.held = b""
                return repair(data)
            # Hold back the last 16 bytes (a pair of references is at most that long), and any reference
            # that starts in the 16 bytes before the cut, so that no pair is cut in two.
            cut = max(0, len(data) - 16)
            while cut > 0 and (start := data.find(b"&", max(0, cut - 16), cut)) != -1:
                cut = start
            self.held, data = data[cut:], data[:cut]
            if data:
                return repair(data)


def _when(value: str | None) -> dt.datetime | None:
    if not value or not value.strip().lstrip("-").isdigit():
        return None
    number = int(value)
    if number <= 0:
        return None
    return dt.datetime.fromtimestamp(number / 1000 if number >= 10**12 else number, dt.UTC)


def _key(number: str) -> str:
    """A number as the same whatever way a phone wrote it (``+1 404 555 0199``, ``4045550199``): its last nine
    digits, which no setting changes; a sender's name (``AMAZON``) as it is."""
    return digits(number)[-9:] or number.strip().lower()


def read_export(path: Path) -> tuple[list[Chat], int]:
    """The conversations of a backup (by the set of other numbers), and how many drafts, unsent and failed
    messages were left out."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise NotAnExport("an XML file with a document type: not an SMS Backup & Restore file")
        handle.seek(0)
        entries: list[tuple[dt.datetime, bool, tuple[str, ...], str | None, str]] = []
        mine: set[str] = set()
        unsent = 0
        addrs: list[tuple[str, str]] = []
        root = None
        try:
            for event, element in ET.iterparse(_Repaired(handle), events=("start", "end")):
                if event == "start":
                    if root is None:
                        root = element
                        if element.tag == "calls":
                            raise NotAnExport("a call log (SMS Backup & Restore's calls file), not messages")
                        if element.tag != "smses":
                            raise NotAnExport(f"not an SMS Backup & Restore file (it holds <{element.tag}>)")
                    elif element.tag == "mms":
                        addrs = []
                    continue
                if element.tag == "addr":
                    addrs.append((element.get("address") or "", element.get("type") or ""))
                elif element.tag == "part":
                    element.clear()
                elif element.tag in ("sms", "mms"):
                    found = _entry(element, addrs, mine)
                    if found is None:
                        unsent += 1
                    else:
                        entries.append(found)
                    element.clear()
                    root.clear()  # type: ignore[union-attr]
        except ET.ParseError as err:
            raise NotAnExport(f"not readable XML ({err})") from None
    if root is None:
        raise NotAnExport("an empty file")
    return _chats(entries, mine, path.name), unsent


def _entry(element: ET.Element, addrs: list[tuple[str, str]], mine: set[str],
           ) -> tuple[dt.datetime, bool, tuple[str, ...], str | None, str] | None:
    """(when, sent by you, the other numbers, who sent it, the name the phone has) of one message."""
    when = _when(element.get("date"))
    if element.tag == "sms":
        box, parties, sender = element.get("type"), [element.get("address") or ""], element.get("address")
    else:
        box = element.get("msg_box")
        sender = next((address for address, kind in addrs if kind == "137"), None)
        if box == "2" and sender and sender != _ME:
            mine.add(sender)  # the sender of what you sent is you
        # The thread's other numbers; without them, the sender of what came in, the recipients of what went out.
        parties = (element.get("address") or "").split("~")
        if not any(part.strip() for part in parties):
            parties = [address for address, kind in addrs if kind == ("151" if box == "2" else "137")]
    if when is None or box not in ("1", "2"):
        return None
    others = tuple(dict.fromkeys(p.strip() for p in parties if p and p.strip() and p.strip() != _ME))
    return when, box == "2", others, (None if box == "2" else sender), (element.get("contact_name") or "").strip()


def _chats(entries: list[tuple[dt.datetime, bool, tuple[str, ...], str | None, str]], mine: set[str],
           where: str) -> list[Chat]:
    my_keys = {phone_key(number) for number in mine} - {None}
    chats: dict[str, Chat] = {}
    for when, sent, parties, sender, name in entries:
        others: dict[str, str] = {}
        for number in parties:
            if phone_key(number) not in my_keys or phone_key(number) is None:
                others.setdefault(_key(number), number)
        if not others:
            continue
        key = "~".join(sorted(others))
        chat = chats.get(key)
        if chat is None:
            group = len(others) > 1
            shown = name if name.lower() not in _NO_NAME and not group else ", ".join(others.values())
            chat = chats[key] = Chat("sms", key, shown, where, group=group)
            for party_key, number in others.items():
                names = (name,) if not group and name.lower() not in _NO_NAME else ()
                chat.parties[party_key] = Party(number, numbers=(number,), names=names)
        if sent:
            chat.messages.append(Sent(when, None))
        else:
            party = _key(sender) if sender else next(iter(others))
            chat.messages.append(Sent(when, party if party in chat.parties else next(iter(chat.parties))))
    return list(chats.values())
