"""The plan's reciprocity advice: what you gave and got, and who starts your conversations.

Gave and got come from the tags of your lines (``#gave``, ``#got``, ``#asked``);
who starts comes from captured chats, where each day of a personal chat is a
conversation started by whoever wrote first that day. Both are advice, not
tasks, and both are given with the same care: only for people you were in
touch with in the last 90 days, and only for a clear pattern (the labels
``taking`` and ``one-way``; one side starting at least 80 % of six or more
conversations in the last year).
"""

from __future__ import annotations

from vaultnet.base.dates import Date
from vaultnet.standings.standing import Reciprocity, Standing

RECENT_DAYS = 90
STARTS_ADVICE = {
    "you": "give them room to write first: a real relationship runs both ways",
    "them": "be the one who writes first next time",
}


def starts_sentence(rec: Reciprocity, name: str) -> str | None:
    """``you start 85 % of your conversations (17 of 20 in the last 365 days)``, or who else starts most."""
    total = rec.conversations
    if not total:
        return None
    if rec.started_by_you * 2 >= total:
        share = round(100 * rec.started_by_you / total)
        return f"you start {share} % of your conversations ({rec.started_by_you} of {total} in the last 365 days)"
    return f"{name} starts most of your conversations ({rec.started_by_them} of {total} in the last 365 days)"


def advice_line(standing: Standing, today: Date) -> tuple[str, str] | None:
    """The plan's reciprocity line for someone you are in touch with, and what it is about (for its key)."""
    if standing.last_contact is None or (today - standing.last_contact).days > RECENT_DAYS:
        return None
    rec = standing.reciprocity
    lopsided = rec.starts in STARTS_ADVICE
    sentence = starts_sentence(rec, standing.name) if lopsided else None
    if rec.advice:
        text = f"{rec.label} (gave {rec.gave}, got {rec.got}, asked {rec.asked}): {rec.advice}"
        return (f"{text}; {sentence}" if sentence else text), rec.label
    if sentence:
        return f"{sentence}: {STARTS_ADVICE[rec.starts]}", f"starts-{rec.starts}"
    return None
