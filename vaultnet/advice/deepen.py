"""Deepen: find out what the people close to you want.

"Take 30 minutes on a video chat and make a point of finding out about their
goals and dreams." A strong or moderate tie whose ``goals`` you have not
written down gets a prompt in their check-in, and ``show`` says so.
"""

from __future__ import annotations

from vaultnet.standings.standing import Standing

DEEP_BANDS = ("strong", "moderate")
CHECK_IN_PROMPT = "ask about their goals"
SHOW_NOTE = "you don't know their goals yet"


def goals_unknown(standing: Standing) -> bool:
    return not standing.contact.goals


def check_in_prompt(standing: Standing) -> str | None:
    """The prompt a check-in carries, for a close tie whose goals you do not know."""
    return CHECK_IN_PROMPT if standing.tie.band in DEEP_BANDS and goals_unknown(standing) else None
