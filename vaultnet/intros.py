"""Introductions: people who should meet (spec section 5).

A pair is suggested when one person's ``needs`` match the other's ``offers``
(ignoring case, punctuation and plurals: the shorter phrase's words all appear
in the other), or, as a weaker reason, when they share an interest and work at
different companies. Pairs that already met, or were already introduced, are
never suggested.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations

from .insights import Standing
from .network import Network

VOUCH_BANDS = ("strong", "moderate")
# Words that carry no meaning in a short phrase: "a designer" matches "designers for hire".
STOPWORDS = frozenset("a an the for of to and or with in on at by my our your their some".split())
_WORD = re.compile(r"[^\W_]+")


def singular(word: str) -> str:
    """A plural folded to its singular, well enough to match short phrases."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "shes", "ches", "xes")):
        return word[:-2]
    if len(word) > 2 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(phrase: str) -> frozenset[str]:
    found = [singular(word) for word in _WORD.findall(phrase.casefold())]
    meaningful = frozenset(word for word in found if word not in STOPWORDS)
    return meaningful or frozenset(found)


def phrases_match(first: str, second: str) -> bool:
    """The shorter phrase's words all appear in the other."""
    a, b = words(first), words(second)
    if not a or not b:
        return False
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    return shorter <= longer


@dataclass
class Introduction:
    first: Standing
    second: Standing
    reasons: list[str] = field(default_factory=list)  # needs/offers reasons first
    matches: int = 0  # needs/offers matches
    interests: list[str] = field(default_factory=list)

    @property
    def vouch(self) -> bool:
        """You know both well enough to vouch for each of them."""
        return self.first.tie.band in VOUCH_BANDS and self.second.tie.band in VOUCH_BANDS

    @property
    def kind(self) -> str:
        return "needs-offers" if self.matches else "interests"

    @property
    def score(self) -> float:
        """Needs met weigh 1, shared interests 0.5, being able to vouch 1."""
        return self.matches + 0.5 * len(self.interests) + (1.0 if self.vouch else 0.0)

    @property
    def names(self) -> tuple[str, str]:
        return self.first.name, self.second.name

    def sort_key(self) -> tuple[object, ...]:
        return (self.kind != "needs-offers", not self.vouch, -self.score,
                self.first.name.casefold(), self.second.name.casefold())


def _met_pairs(network: Network) -> set[frozenset[str]]:
    """Pairs that appeared in one interaction (planned ones too) or one #intro line."""
    met: set[frozenset[str]] = set()
    groups: Iterable[tuple[str, ...]] = [item.people for item in network.evidence.interactions]
    for people in [*groups, *network.evidence.intro_lines]:
        for a, b in combinations(sorted(set(people)), 2):
            met.add(frozenset((a, b)))
    return met


def _needs_reasons(needy: Standing, offering: Standing) -> list[str]:
    reasons = []
    for need in needy.contact.needs:
        for offer in offering.contact.offers:
            if phrases_match(need, offer):
                reasons.append(f"{needy.name} needs {need}; {offering.name} offers {offer}")
    return reasons


def _different_companies(a: Standing, b: Standing) -> bool:
    first, second = a.contact.fields.get("company"), b.contact.fields.get("company")
    return not (first and second and first.casefold() == second.casefold())


def suggest(network: Network) -> list[Introduction]:
    """Every introduction worth making, best first."""
    people = [s for s in network.standings if s.status not in ("paused", "snoozed")]
    met = _met_pairs(network)
    found = []
    for a, b in combinations(people, 2):
        if frozenset((a.contact.path, b.contact.path)) in met:
            continue
        reasons = _needs_reasons(a, b) + _needs_reasons(b, a)
        shared: list[str] = []
        if _different_companies(a, b):
            theirs = {words(interest): interest for interest in b.contact.interests}
            shared = [interest for interest in a.contact.interests if words(interest) in theirs]
        if not reasons and not shared:
            continue
        intro = Introduction(a, b, reasons, len(reasons), shared)
        if shared:
            intro.reasons.append(f"both are into {', '.join(shared)} (at different companies)")
        found.append(intro)
    return sorted(found, key=Introduction.sort_key)
