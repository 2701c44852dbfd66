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
from functools import lru_cache
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


@lru_cache(maxsize=65536)
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


def _different_companies(a: Standing, b: Standing) -> bool:
    first, second = a.contact.fields.get("company"), b.contact.fields.get("company")
    return not (first and second and first.casefold() == second.casefold())


def _candidate_pairs(people: list[Standing]) -> dict[tuple[int, int], tuple[list[str], list[str]]]:
    """Pairs (by index in ``people``) with their needs/offers reasons and shared interests.

    Offers and interests are indexed by word, so a large vault is not compared pair by pair.
    """
    offers_by_word: dict[str, set[tuple[int, int]]] = {}  # word → (person, offer position)
    interests: dict[frozenset[str], list[tuple[int, str]]] = {}
    for index, standing in enumerate(people):
        for position, offer in enumerate(standing.contact.offers):
            for word in words(offer):
                offers_by_word.setdefault(word, set()).add((index, position))
        for interest in standing.contact.interests:
            interests.setdefault(words(interest), []).append((index, interest))

    pairs: dict[tuple[int, int], tuple[list[str], list[str]]] = {}
    for index, standing in enumerate(people):
        for need in standing.contact.needs:
            candidates = set().union(*(offers_by_word.get(word, ()) for word in words(need)))
            for other, position in sorted(candidates):  # sorted: the same order on every run
                offer = people[other].contact.offers[position]
                if other != index and phrases_match(need, offer):
                    key = (min(index, other), max(index, other))
                    reason = f"{standing.name} needs {need}; {people[other].name} offers {offer}"
                    pairs.setdefault(key, ([], []))[0].append(reason)
    for group in interests.values():
        for (a, interest), (b, _) in combinations(group, 2):
            if a != b and _different_companies(people[a], people[b]):
                key = (min(a, b), max(a, b))
                shared = pairs.setdefault(key, ([], []))[1]
                if interest not in shared:
                    shared.append(interest)
    return pairs


def suggest(network: Network) -> list[Introduction]:
    """Every introduction worth making, best first."""
    people = [s for s in network.standings if s.status not in ("paused", "snoozed")]
    met = _met_pairs(network)
    found = []
    for (a, b), (reasons, shared) in _candidate_pairs(people).items():
        first, second = people[a], people[b]
        if frozenset((first.contact.path, second.contact.path)) in met:
            continue
        intro = Introduction(first, second, reasons, len(reasons), shared)
        if shared:
            intro.reasons.append(f"both are into {', '.join(shared)} (at different companies)")
        found.append(intro)
    return sorted(found, key=Introduction.sort_key)
