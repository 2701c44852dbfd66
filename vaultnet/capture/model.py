"""What a reader hands over: captures, problems, and the people they concern."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from vaultnet.base.dates import Date
from vaultnet.base.errors import Problem
from vaultnet.evidence.contacts import Contact
from vaultnet.files.config import Config

Kind = Literal["meeting", "email"]
_SPLIT = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class Capture:
    """One meeting occurrence or one message, as it will be written: facts only."""

    id: str  # a block id, stable for the same source event or message
    date: Date
    kind: Kind
    people: tuple[str, ...]  # contact paths
    title: str
    source: str  # a label that names the source without giving away a secret address


@dataclass
class Read:
    """What one source gave: captures, one-line problems, and whether it could be read at all."""

    source: str
    captures: list[Capture] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    failed: bool = False

    def fail(self, message: str) -> Read:
        self.problems.append(Problem(self.source, None, message))
        self.failed = True
        return self

    def problem(self, message: str) -> None:
        self.problems.append(Problem(self.source, None, message))


def capture_id(prefix: Literal["cal", "mail"], *parts: str) -> str:
    """``vn-cal-…`` or ``vn-mail-…``: a hash of what identifies the event or message in its source."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"vn-{prefix}-{digest}"


def split_addresses(text: str | None) -> list[str]:
    return [part.lower() for part in _SPLIT.split(text or "") if "@" in part]


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
