"""What a reader hands over: captures, problems, and the people they concern."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from vaultnet.base.dates import Date
from vaultnet.base.errors import Problem
from vaultnet.evidence.chats import ChatDay
from vaultnet.evidence.contacts import Contact
from vaultnet.files.config import Config

Kind = Literal["meeting", "email", "message"]
_SPLIT = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class Capture:
    """One meeting occurrence, one email, or one chat's day, as it will be written: facts only."""

    id: str  # a block id, stable for the same source event or message
    date: Date
    kind: Kind
    people: tuple[str, ...]  # contact paths
    title: str
    source: str  # a label that names the source without giving away a secret address
    chat: ChatDay | None = None  # a chat's day: who sent how many (its title is the summary of it)


@dataclass
class Read:
    """What one source gave: captures, one-line problems, and whether it could be read at all."""

    source: str  # the label captures carry
    shown: str = ""  # how problems name the source (its file name), when not by its label
    captures: list[Capture] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failed: bool = False
    mark: Any = None  # mail and chats: what was read (a ledger.Mark), kept once the captures are stored

    def fail(self, message: str) -> Read:
        self.problem(message)
        self.failed = True
        return self

    def problem(self, message: str) -> None:
        self.problems.append(Problem(self.shown or self.source, None, message))


def capture_id(prefix: Literal["cal", "mail", "chat"], *parts: str) -> str:
    """``vn-cal-…``, ``vn-mail-…`` or ``vn-chat-…``: a hash of what identifies the event, message or chat day."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"vn-{prefix}-{digest}"


def split_addresses(text: str | None) -> list[str]:
    """Every address in an ``email`` field: one, a list, ``Ana <ana@x>``, ``mailto:ana@x``."""
    found = []
    for part in _SPLIT.split(text or ""):
        address = re.sub(r"(?i)^mailto:", "", part.strip("<>()\"'")).lower()
        if "@" in address:
            found.append(address)
    return found


class People:
    """Contacts by email address (a contact's ``email``, text or list, any case), and the user's own addresses."""

    def __init__(self, config: Config, contacts: Iterable[Contact]) -> None:
        self.me = frozenset(address.lower() for address in config.me)
        self.by_address: dict[str, str] = {}
        for contact in sorted(contacts, key=lambda c: c.path):
            for address in split_addresses(contact.fields.get("email")):
                if address not in self.me:
                    self.by_address.setdefault(address, contact.path)

    def contact(self, address: str | None) -> str | None:
        return self.by_address.get(address.strip().lower()) if address else None

    def is_me(self, address: str | None) -> bool:
        return bool(address) and address.strip().lower() in self.me  # type: ignore[union-attr]

    def digest(self) -> str:
        """Who is matched by which address, and who you are: what a capture depends on."""
        text = "\n".join([*sorted(self.me), "", *(f"{address}\t{path}" for address, path in sorted(self.by_address.items()))])
        return hashlib.sha1(text.encode("utf-8", "surrogateescape")).hexdigest()
