"""The weekly plan's sections, as data: one entry per section, in the plan's order.

Everything that needs to know a section (planning, rendering, reading a tick
back) finds it here by its id. A plan item's block id carries that id
(``^vn-check-in-1a2b3c4d``), so a ticked line says which section it came from
wherever the user moved it, and nothing is ever looked up by heading text.
Adding a section is one entry here and the code in ``plan.py`` that fills it.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

SectionId = Literal[
    "follow-ups", "reply", "birthdays", "check-in", "thank-you", "circle-back", "congratulate", "life-events", "nudge",
    "reconnect", "introduce", "reciprocity", "coming-up",
]


@dataclass(frozen=True, slots=True)
class Section:
    id: SectionId  # as in ``plan --json`` and in block ids
    title: str  # the heading in the note
    empty: str  # what the note says when the section has no items ({lookahead_days} is filled in)
    tick: str  # what a ticked item records, in the label ``show`` prints ("check-in from the 2026-W47 plan")


SECTIONS: tuple[Section, ...] = (
    Section("follow-ups", "Follow-ups", "No follow-ups due this week.", "follow-up"),
    Section("reply", "Reply", "Nobody is waiting for your answer.", "reply"),
    Section("birthdays", "Birthdays", "No birthdays this week.", "birthday wishes"),
    Section("check-in", "Check in", "Nobody is due for a check-in.", "check-in"),
    Section("thank-you", "Say thank you", "No thank-yous owed.", "thank-you"),
    Section("circle-back", "Circle back", "Nobody to tell what came of their help.", "circle-back"),
    Section("congratulate", "Congratulate", "No new roles or companies noticed lately.", "congratulations"),
    Section("life-events", "Life events", "No life events to follow up on this week.", "life-event check-in"),
    Section("nudge", "Nudge", "No outreach waiting for an answer.", "nudge"),
    Section("reconnect", "Reconnect", "No ties to revive this week.", "reconnect"),
    Section("introduce", "Introduce", "No introductions to make this week.", "introduction"),
    Section("reciprocity", "Reciprocity", "Every relationship you are in touch with runs both ways.", "advice"),
    Section("coming-up", "Coming up", "No birthdays or follow-ups in the {lookahead_days} days after this week.",
            "item"),
)
BY_ID: dict[str, Section] = {section.id: section for section in SECTIONS}

# ``vn-<section id>-<8 hex digits>``; older plans wrote ``vn-<8 hex digits>`` (no section).
_KEY = re.compile(r"vn-(?:(?P<section>[a-z]+(?:-[a-z]+)*)-)?[0-9a-f]{8}")
KEY_IN_LINE = re.compile(r"\^(vn-[\w-]+)(?!\S)")
WEEK_IN_NAME = re.compile(r"\d{4}-W\d{2}")


def item_key(section: SectionId, *parts: object) -> str:
    """A block id that stays the same for the same action, whatever else changes.

    Its parts are taken in Unicode NFC: a note renamed to the decomposed form of
    its name (copied from a Mac) keeps the block ids of its plan items.
    Remembered for the same parts of the same types: a watcher's plan asks
    again, after every edit, for the ids of the thousands of items it had.
    """
    try:
        return _remembered_key(section, *parts)
    except TypeError:  # a part that cannot be remembered (a list): worked out
        return _item_key(section, *parts)


def _item_key(section: SectionId, *parts: object) -> str:
    texts = [text if (text := str(part)).isascii() else unicodedata.normalize("NFC", text) for part in parts]
    digest = hashlib.sha1("\x1f".join([section, *texts]).encode("utf-8")).hexdigest()
    return f"vn-{section}-{digest[:8]}"


_remembered_key = lru_cache(maxsize=8192, typed=True)(_item_key)


def key_section(key: str) -> Section | None:
    """The section a block id was made for, if it names one vaultnet knows."""
    match = _KEY.fullmatch(key)
    return BY_ID.get(match.group("section") or "") if match else None


def tick_label(key: str | None, plan_rel: str) -> str:
    """What a ticked plan item is called in a contact's history."""
    section = key_section(key) if key else None
    week = WEEK_IN_NAME.search(plan_rel)
    where = f"the {week.group(0)} plan" if week else plan_rel
    return f"{section.tick if section else 'item'} from {where}"
