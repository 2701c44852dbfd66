"""Reply: someone wrote to you, and is still waiting for your answer.

The captured days of a personal chat (``vaultnet import chat``) say who wrote
last each day. When a chat's last day ends with the other person, they are
waiting: since the first day of that unanswered run (a day you did not write
on, after a day they wrote last, is part of it). After ``[plan] reply_days``
(2 by default) the plan says so, once for that message: the item's key is the
chat and the day they wrote, so a later message of theirs is a new item and
ticking the item (which records contact) ends it.

Anything else with them since that day answers too, and so does a day of
another chat on which you wrote: a call, a meeting, a log line, an email, a
plan item ticked. Contact on the very day they wrote counts as an answer, since
a day's lines do not say which came first; a Reply line when you had answered
would be worse than none. After :data:`STALE_DAYS` the message is let go: the
ordinary check-ins take over.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from vaultnet.base.dates import Date, day_label
from vaultnet.base.sections import item_key
from vaultnet.evidence.chats import ChatDay
from vaultnet.evidence.model import Interaction
from vaultnet.standings.standing import Standing

STALE_DAYS = 30


@dataclass(frozen=True)
class Waiting:
    standing: Standing
    since: Date  # the day they wrote (the first of the unanswered run)
    chat: str  # the chat's hash, which with ``since`` names the message
    app: str  # where to answer: WhatsApp, Telegram, SMS, iMessage

    def text(self) -> str:
        return f"{self.standing.name} wrote on {day_label(self.since)} and is waiting for your answer " \
               f"({self.app})"


def _personal_days(interactions: Iterable[Interaction]) -> dict[str, list[tuple[Date, ChatDay]]]:
    """Each personal chat's captured days, newest first (as a standing holds its interactions)."""
    chats: dict[str, list[tuple[Date, ChatDay]]] = {}
    for item in interactions:
        if item.chat is not None and not item.chat.group:
            chats.setdefault(item.chat.chat, []).append((item.date, item.chat))
    return chats


def _answers(item: Interaction, chat: str) -> bool:
    """Whether an interaction is contact from you: anything but a chat day of theirs alone or a group's."""
    if item.chat is None:
        return True
    return item.chat.chat != chat and not item.chat.group and item.chat.you > 0


def waiting(standing: Standing) -> Waiting | None:
    """The oldest message of theirs still waiting for your answer, if any."""
    found: list[Waiting] = []
    for chat, days in _personal_days(standing.interactions).items():
        if days[0][1].last != "them":
            continue
        index = 0  # back through the days you did not write on, while the day before ended with them
        while days[index][1].you == 0 and index + 1 < len(days) and days[index + 1][1].last == "them":
            index += 1
        since = days[index][0]
        if any(item.date >= since and _answers(item, chat) for item in standing.interactions):
            continue
        found.append(Waiting(standing, since, chat, days[0][1].app))
    return min(found, key=lambda w: (w.since, w.chat), default=None)


def replies(waiting_now: Iterable[Waiting], today: Date, days: int, ticked: Callable[[Waiting], bool]) -> list[Waiting]:
    """Of the messages waiting for your answer (:func:`waiting` of each person), those that have waited at least
    ``days`` (and at most :data:`STALE_DAYS`), longest first."""
    found = [message for message in waiting_now
             if days <= (today - message.since).days <= STALE_DAYS and not ticked(message)]
    return sorted(found, key=lambda w: (w.since, w.standing.name.casefold(), w.standing.contact.path))


def reply_key(message: Waiting) -> str:
    """The plan item's block id: the person, the chat and the day they wrote (a later message is a new item)."""
    return item_key("reply", message.standing.contact.path, message.chat, message.since)
