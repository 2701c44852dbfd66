"""A day of chat with someone, as its capture line states it: who sent how many, who wrote first and last.

A chat import (``vaultnet import chat``) writes one capture line per chat and
day, and never a word of what was written::

    - 2026-11-12 #message WhatsApp: 3 from them, 2 from you; they wrote first, you last — with [[Ana Souza]] · chat Ana (3fa2b1) ^vn-chat-0123456789

The summary is vaultnet's own fixed wording, so reading it back is reading a
record, not guessing at prose: :meth:`ChatDay.summary` writes it and
:func:`chat_day` reads it, and nothing else knows the wording. The chat's label
ends with a short hash of the chat's identity, which tells one chat's days from
another's (a Telegram chat renamed, too): what finding who is waiting for an
answer needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Side = Literal["you", "them"]

_SUMMARY = re.compile(
    r"(?<!\S)(?P<app>[A-Za-z]+)(?P<group> group)?: (?P<them>\d+) from (?:them|others), (?P<you>\d+) from you; "
    r"(?P<first>you|they|others) wrote first, (?P<last>you|they|others) last\b.*? · chat .*?\((?P<chat>[0-9a-f]{6})\) "
    r"\^vn-chat-[0-9a-f]{10}\s*$"
)
CHAT_ID = "vn-chat-"  # what every chat capture's block id starts with


@dataclass(frozen=True, slots=True)
class ChatDay:
    """One chat's messages on one day, counted by side (slotted: a vault may hold years of them)."""

    app: str  # as shown: WhatsApp, Telegram, SMS, iMessage
    you: int  # messages you sent that day
    them: int  # messages the other side sent (in a group: everyone else)
    first: Side  # who wrote the day's first message
    last: Side  # who wrote its last
    group: bool = False
    chat: str = ""  # a short hash of the chat's identity: tells one chat's days from another's

    def summary(self) -> str:
        """The words of the capture line (without the people and the chat's label)."""
        others = "others" if self.group else "them"
        kind = f"{self.app} group" if self.group else self.app
        return (f"{kind}: {self.them} from {others}, {self.you} from you; "
                f"{self._who(self.first)} wrote first, {self._who(self.last)} last")

    def _who(self, side: Side) -> str:
        return "you" if side == "you" else ("others" if self.group else "they")


def chat_day(text: str) -> ChatDay | None:
    """The chat day a capture line (as written, its block id included) records, or ``None``."""
    if CHAT_ID not in text:
        return None
    match = _SUMMARY.search(text)
    if match is None:
        return None
    return ChatDay(match["app"], int(match["you"]), int(match["them"]), _side(match["first"]), _side(match["last"]),
                   bool(match["group"]), match["chat"])


def _side(word: str) -> Side:
    return "you" if word == "you" else "them"
