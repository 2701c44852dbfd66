"""A chat as every chat reader hands it over: who is in it, and who sent each message when. Never what.

The readers (``whatsapp``, ``telegram``, ``smsbackup``, ``messagesdb``) look
at a message's text only to tell a message from a notice, a call or a group
event, in memory, and hand over a :class:`Chat`: its parties (as the export
names them: a name, numbers, addresses) and, for each message, its time and
its sender. :func:`chat_days` turns one chat, once matched to people, into
one capture a day, counted by side (:class:`~vaultnet.evidence.chats.ChatDay`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from vaultnet.base.dates import Date
from vaultnet.capture.model import Capture, capture_id
from vaultnet.capture.zone import Zone, local_day
from vaultnet.evidence.chats import ChatDay, Side

APPS = {"whatsapp": "WhatsApp", "telegram": "Telegram", "sms": "SMS", "messages": "iMessage"}
BIDI = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"


def unmarked(text: str) -> str:
    """A label without the direction marks apps wrap names and numbers in (``\\u202a+49 151…\\u202c``)."""
    return " ".join(text.translate({ord(mark): None for mark in BIDI}).split())


@dataclass(frozen=True)
class Party:
    """Someone on the other side of a chat, as the export names them."""

    label: str  # how the export shows them: a name, a number, an address
    numbers: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    names: tuple[str, ...] = ()  # names they may have in the vault (the chat's name, a saved contact's)
    region: str | None = None  # the country a number without its country code is read in (a handle's)


@dataclass(frozen=True, slots=True)
class Sent:
    """One message: when (aware, or the wall time the export shows) and who sent it (``None``: you)."""

    when: dt.datetime
    party: str | None


@dataclass
class Chat:
    """One conversation of an export: its identity, its parties and its messages, in the export's order."""

    app: str  # a key of APPS
    key: str  # what identifies it in its app, the same in every export of it
    name: str  # as the export names it: the other person, a group's name, a number
    where: str  # the export it came from (its file name), for what vaultnet says about it
    group: bool = False
    parties: dict[str, Party] = field(default_factory=dict)  # by the key messages name them by
    messages: list[Sent] = field(default_factory=list)
    shown: str = ""  # the app as the capture line names it, when not APPS[app] (an SMS thread of Messages)

    @property
    def digest(self) -> str:
        """A short hash of its identity: what tells its days from another chat's in the capture notes."""
        return hashlib.sha256(f"{self.app}\x1f{self.key}".encode("utf-8", "surrogateescape")).hexdigest()[:6]

    @property
    def label(self) -> str:
        """The chat as a capture line names it: its name, and the hash of its identity."""
        return f"{self.name} ({self.digest})"


def _day_order(chat: Chat, zone: Zone) -> list[tuple[Date, dt.datetime, Sent]]:
    """Each message with its day and wall time in ``zone`` (an aware time converted, a naive one as written),
    in time order (the export's order among messages of the same time)."""
    placed = []
    for sent in chat.messages:
        when = sent.when
        if when.tzinfo is not None:
            when = (when.astimezone(zone) if zone is not None else when.astimezone()).replace(tzinfo=None)
        placed.append((local_day(when, None), when, sent))
    placed.sort(key=lambda entry: entry[1])  # stable: the export's order within a minute
    return placed


def chat_days(chat: Chat, matched: Mapping[str, str], zone: Zone, today: Date,
              since: Date | None = None) -> Iterable[Capture]:
    """One capture a day of ``chat`` with the people ``matched`` (party key → contact path).

    A personal chat's day is contact with its one party whoever wrote. A group's
    day is contact with each matched member who wrote that day, when you wrote
    too: a group you only read is nobody's conversation with you.
    """
    by_day: dict[Date, list[Sent]] = {}
    for day, _when, sent in _day_order(chat, zone):
        if day <= today and (since is None or day >= since):
            by_day.setdefault(day, []).append(sent)
    shown = chat.shown or APPS[chat.app]
    for day, messages in sorted(by_day.items()):
        sides: list[Side] = ["you" if m.party is None else "them" for m in messages]
        if chat.group:
            people = {matched[m.party] for m in messages if m.party is not None and m.party in matched}
            if "you" not in sides or not people:
                continue
        else:
            people = set(matched.values())
            if not people:
                continue
        counted = ChatDay(shown, sides.count("you"), sides.count("them"), sides[0], sides[-1], chat.group,
                          chat.digest)
        yield Capture(capture_id("chat", chat.app, chat.key, day.isoformat()), day, "message",
                      tuple(sorted(people)), counted.summary(), chat.label, counted)
