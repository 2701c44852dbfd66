"""``vaultnet triage``: sort untracked people into circles, one key each.

After an import of a thousand connections everyone is untracked; triage shows
them most-mentioned first, with their last interactions, and turns one key
into one front-matter line. The walk reads keys and writes through callables,
so the core never touches a terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from vaultnet.standings.network import Network
from vaultnet.standings.standing import Standing

Action = Literal["circle", "pause", "skip", "quit"]
SKIP_KEYS = (" ", "\r", "\n")
QUIT_KEYS = ("q", "Q", "", "\x1b")  # "" is the end of the input


def queue(network: Network) -> list[Standing]:
    """Untracked people who are not paused, the most-mentioned first."""
    waiting = [s for s in network.standings if not s.contact.tracked and not s.contact.paused
               and not s.contact.path.startswith("#")]  # known only by a tag: no note to give a circle to
    return sorted(waiting, key=lambda s: (-len(s.interactions), s.name.casefold(), s.contact.path))


def card(standing: Standing, position: int, total: int, limit: int = 3) -> list[str]:
    """What to see before choosing: who, where, how often mentioned, the last interactions."""
    contact = standing.contact
    about = " · ".join(contact.fields[key] for key in ("company", "role", "location") if key in contact.fields)
    mentions = len(standing.interactions)
    lines = ["", f"[{position}/{total}] {contact.name}" + (f" — {about}" if about else ""),
             f"  {mentions} interaction{'s' if mentions != 1 else ''}"
             + (f", last {standing.last_contact.isoformat()}" if standing.last_contact else "")]
    for item in standing.interactions[:limit]:
        lines.append(f"  {item.date.isoformat()}  {item.kind:<8} {item.text}".rstrip())
    return lines


def keys_help(circles: Sequence[str]) -> str:
    chosen = [f"[{number}] {name}" for number, name in enumerate(circles[:9], start=1)]
    return "  ".join([*chosen, "[p] pause", "[space] skip", "[q] quit"])


def action(key: str, circles: Sequence[str]) -> tuple[Action, str | None] | None:
    """What a key does: ``("circle", name)``, ``("pause", None)``... ``None`` for a key that does nothing."""
    if key in QUIT_KEYS:
        return ("quit", None)
    if key in SKIP_KEYS:
        return ("skip", None)
    if key in ("p", "P"):
        return ("pause", None)
    if key.isdigit() and 1 <= int(key) <= min(len(circles), 9):
        return ("circle", circles[int(key) - 1])
    return None


@dataclass
class Tally:
    assigned: int = 0
    paused: int = 0
    skipped: int = 0
    left: int = 0  # not reached: quit before them


def walk(
    people: Sequence[Standing],
    circles: Sequence[str],
    read_key: Callable[[], str],
    say: Callable[[str], None],
    apply: Callable[[Standing, dict[str, Any]], None],
) -> Tally:
    """Show each person, read a key, apply the front-matter change it stands for."""
    tally = Tally()
    for position, standing in enumerate(people, start=1):
        for line in card(standing, position, len(people)):
            say(line)
        say(keys_help(circles))
        chosen = None
        while chosen is None:
            chosen = action(read_key(), circles)
        kind, circle = chosen
        if kind == "quit":
            tally.left = len(people) - position + 1
            break
        if kind == "skip":
            tally.skipped += 1
            say("  skipped")
        elif kind == "pause":
            apply(standing, {"paused": True})
            tally.paused += 1
            say("  paused")
        else:
            apply(standing, {"circle": circle})
            tally.assigned += 1
            say(f"  circle: {circle}")
    return tally
