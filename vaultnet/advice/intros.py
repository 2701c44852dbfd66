"""Introductions: people who should meet (docs/formats.md, What is worked out).

A pair is suggested when one person's ``needs`` match the other's ``offers``
(ignoring case, punctuation and plurals: the shorter phrase's words all appear
in the other), or, as a weaker reason, when they share an interest and work at
different companies. Pairs that already met, or were already introduced, are
never suggested.

A large vault where many people need and offer the same few things has millions
of matching pairs, so pairs are never all made: people are sets of bits (one
bit a person, in name order), a person's partners and their scores come from a
few bitwise operations, and only the pairs shown are turned into
:class:`Introduction` objects.
"""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice

from vaultnet.standings.neighbours import groups_of
from vaultnet.standings.network import Network
from vaultnet.standings.standing import Standing

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


def _met(network: Network) -> list[tuple[str, ...]]:
    """Every group of people who met: one interaction (planned ones too) or one #intro line."""
    return [*(item.people for item in network.evidence.interactions), *network.evidence.intro_lines]


def _people(network: Network) -> list[Standing]:
    """Everyone who can be introduced: not paused, not snoozed, in name order."""
    return [s for s in network.standings if s.status not in ("paused", "snoozed")]


def _met_groups(network: Network) -> dict[str, list[tuple[str, ...]]]:
    """The groups each person appeared in (see ``_met``).

    Kept by person as the groups themselves, so neither every pair nor each
    person's set of everyone they met is stored.
    """
    return groups_of(_met(network))


def _different_companies(a: Standing, b: Standing) -> bool:
    first, second = a.contact.fields.get("company"), b.contact.fields.get("company")
    return not (first and second and first.casefold() == second.casefold())


def _layers(counts: dict[int, int]) -> list[int]:
    """Bit sets of the people holding something at least once, twice...: adding them counts."""
    layers: list[int] = []
    for person, count in counts.items():
        for level in range(count):
            if level == len(layers):
                layers.append(0)
            layers[level] |= 1 << person
    return layers


def _add(levels: list[int], bits: int) -> None:
    """Count ``bits`` once more: ``levels[k]`` holds the people counted more than k times."""
    levels.append(0)
    for k in range(len(levels) - 1, 0, -1):
        levels[k] |= levels[k - 1] & bits
    levels[0] |= bits
    while levels and not levels[-1]:
        levels.pop()


def _exactly(levels: list[int]) -> list[int]:
    """``exactly[k]``: the people counted exactly k times (k ≥ 1 only; index 0 unused)."""
    return [0, *(levels[k] & ~(levels[k + 1] if k + 1 < len(levels) else 0) for k in range(len(levels)))]


class _Phrases:
    """Everyone's needs, offers, interests and companies as bit sets, and which phrases meet.

    Worked out from the people's paths, order and phrases alone, so an edit
    that changes no one's needs, offers, interests or company (a logged call,
    a new date) reuses them: see :class:`PhraseMemo`.
    """

    def __init__(self, people: list[Standing]) -> None:
        offers: dict[frozenset[str], dict[int, int]] = defaultdict(lambda: defaultdict(int))
        needs: dict[frozenset[str], dict[int, int]] = defaultdict(lambda: defaultdict(int))
        interested: dict[frozenset[str], int] = defaultdict(int)
        companies: dict[str, int] = defaultdict(int)
        for index, standing in enumerate(people):
            contact = standing.contact
            for offer in contact.offers:
                offers[words(offer)][index] += 1
            for need in contact.needs:
                needs[words(need)][index] += 1
            for interest in contact.interests:
                interested[words(interest)] |= 1 << index
            company = contact.fields.get("company")
            if company:
                companies[company.casefold()] |= 1 << index
        self.offer_layers = {group: _layers(counts) for group, counts in offers.items()}
        self.need_layers = {group: _layers(counts) for group, counts in needs.items()}
        self.interested = dict(interested)
        self.interest_rank = {group: rank for rank, group in enumerate(interested)}
        self.companies = dict(companies)
        # Which offer phrases meet which need phrases, worked out once per distinct phrase.
        by_word: dict[str, set[frozenset[str]]] = defaultdict(set)
        for group in offers:
            for word in group:
                by_word[word].add(group)
        self.offers_for: dict[frozenset[str], list[frozenset[str]]] = {}
        self.needs_for: dict[frozenset[str], list[frozenset[str]]] = defaultdict(list)
        for need_group in needs:
            candidates: set[frozenset[str]] = set().union(*(by_word.get(word, ()) for word in need_group))
            found = sorted((group for group in candidates if _groups_match(need_group, group)), key=sorted)
            self.offers_for[need_group] = found
            for group in found:
                self.needs_for[group].append(need_group)
        self.bounds = [self._bound(standing) for standing in people]

    def _bound(self, standing: Standing) -> float:
        """No pair with this person scores more than this."""
        contact = standing.contact
        matched = sum(len(self.offer_layers[o]) for n in contact.needs for o in self.offers_for.get(words(n), ()))
        matched += sum(len(self.need_layers[n]) for o in contact.offers for n in self.needs_for.get(words(o), ()))
        return matched + 0.5 * len(set(contact.interests)) + 1.0


def _phrase_key(standing: Standing) -> tuple[object, ...]:
    """What a person brings to everyone's phrases: their path, needs, offers, interests and company."""
    contact = standing.contact
    return contact.path, contact.needs, contact.offers, contact.interests, contact.fields.get("company")


def _best_key(standing: Standing) -> tuple[object, ...]:
    """What a person brings to the best pairs besides who met whom: their phrases (``_phrase_key``), name
    and whether you can vouch for them."""
    return *_phrase_key(standing), standing.name, standing.tie.band in VOUCH_BANDS


def _same_people(last: list[Standing], now: list[Standing], key: Callable[[Standing], tuple[object, ...]]) -> bool:
    """``now`` is ``last`` person by person, in order, as ``key`` sees them.

    A standing the assembly kept is the same object and is not looked into:
    after an edit only the few worked out again are (the whole comparison made
    a key of ten thousand people twice a plan).
    """
    return len(last) == len(now) and all(a is b or key(a) == key(b) for a, b in zip(last, now, strict=True))


def _met_by_many(network: Network) -> list[tuple[str, ...]]:
    """The groups of two or more who met, in the evidence's order (see ``_met``)."""
    return [group for group in _met(network) if len(group) > 1]


def _same_met(last: list[tuple[str, ...]], now: list[tuple[str, ...]]) -> bool:
    """The same groups met: as lists first (an edit that changed no meeting leaves the very same groups,
    in order), else as sets."""
    return last == now or frozenset(last) == frozenset(now)


@dataclass(frozen=True)
class _Best:
    """The best pairs, with what they were worked out from."""

    limit: int
    favoured: tuple[str, ...]
    people: list[Standing]
    met: list[tuple[str, ...]]
    pairs: list[Introduction]


class PhraseMemo:
    """The last phrases and the last best few worked out, with what they were worked out from,
    for a long-lived session.

    The watcher's next plan, after an edit that changed nobody's needs, offers,
    interests or company, reuses the phrases instead of going over ten thousand
    people again; after one that also changed no name, no vouching and nobody's
    meetings (a logged call with one person), it reuses the best few pairs as well.
    """

    def __init__(self) -> None:
        self._last: tuple[list[Standing], _Phrases] | None = None
        self._best: _Best | None = None

    def best(self, network: Network, limit: int, favoured: tuple[str, ...],
             work_out: Callable[[], list[Introduction]]) -> list[Introduction]:
        """``work_out()``, or the pairs it gave last time while everything they depend on is the same.

        The pairs kept are made again with this network's standings: a kept
        pair's people may stand otherwise now (a call logged), which changes
        neither who meets nor why, but shows in the plan.
        """
        people, met, last = _people(network), _met_by_many(network), self._best
        if last is None or (last.limit, last.favoured) != (limit, favoured) or not _same_met(last.met, met) \
                or not _same_people(last.people, people, _best_key):
            self._best = _Best(limit, favoured, people, met, work_out())
            return self._best.pairs
        self._best = _Best(limit, favoured, people, met, last.pairs)  # compared with these next time
        by_path = {standing.contact.path: standing for standing in people}
        return [Introduction(by_path[intro.first.contact.path], by_path[intro.second.contact.path],
                             list(intro.reasons), intro.matches, list(intro.interests)) for intro in last.pairs]

    def phrases(self, people: list[Standing]) -> _Phrases:
        if self._last is not None and _same_people(self._last[0], people, _phrase_key):
            self._last = (people, self._last[1])
            return self._last[1]
        phrases = _Phrases(people)
        self._last = (people, phrases)
        return phrases


class Matcher:
    """Everyone's needs, offers and interests as bit sets, to score partners in bulk."""

    def __init__(self, network: Network, memo: PhraseMemo | None = None) -> None:
        self.people = _people(network)
        people = self.people
        self.position = {s.contact.path: index for index, s in enumerate(people)}
        self.everyone = (1 << len(people)) - 1
        self.vouchable = sum(1 << i for i, s in enumerate(people) if s.tie.band in VOUCH_BANDS)
        phrases = memo.phrases(people) if memo is not None else _Phrases(people)
        self.offer_layers, self.need_layers = phrases.offer_layers, phrases.need_layers
        self.interested, self.interest_rank = phrases.interested, phrases.interest_rank
        self.companies, self.offers_for, self.needs_for = phrases.companies, phrases.offers_for, phrases.needs_for
        self.bounds = phrases.bounds
        # Who met whom, as the groups they were in: a bit set is made only for the people ranked (a
        # 10,000-bit number, or a set of names, for each of 10,000 people would be most of the plan's memory).
        self.met = _met_groups(network)

    def _counts(self, index: int) -> tuple[list[int], list[int]]:
        """Levels of needs met and of interests shared between ``index`` and everyone."""
        contact = self.people[index].contact
        matched: list[int] = []
        for need in contact.needs:
            for offered in self.offers_for.get(words(need), ()):
                for layer in self.offer_layers[offered]:
                    _add(matched, layer)
        for offer in contact.offers:
            for needed in self.needs_for.get(words(offer), ()):
                for layer in self.need_layers[needed]:
                    _add(matched, layer)
        shared: list[int] = []
        company = contact.fields.get("company")
        colleagues = self.companies.get(company.casefold(), 0) if company else 0
        for interest in dict.fromkeys(contact.interests):
            _add(shared, self.interested[words(interest)] & ~colleagues)
        return matched, shared

    def bound(self, index: int) -> float:
        """No pair with ``index`` scores more than this."""
        return self.bounds[index]

    def met_bits(self, index: int) -> int:
        """Everyone ``index`` appeared with, as a bit set."""
        position = self.position
        groups = self.met.get(self.people[index].contact.path, ())
        return _bits([position[p] for group in groups for p in group if p in position])

    def ranked(self, index: int, partners: int) -> Iterator[tuple[tuple[object, ...], int, int]]:
        """Pairs of ``index`` with anyone in ``partners`` (a bit set), best first, as (sort key, a, b)."""
        partners &= ~self.met_bits(index) & ~(1 << index)
        if not partners:
            return
        matched, shared = self._counts(index)
        exact_m, exact_i = _exactly(matched), _exactly(shared)
        exact_m[0] = ~(matched[0] if matched else 0)
        exact_i[0] = ~(shared[0] if shared else 0)
        vouch = self.vouchable if (self.vouchable >> index) & 1 else 0
        tiers: list[tuple[bool, bool, float, int]] = []
        for m, m_bits in enumerate(exact_m):
            for i, i_bits in enumerate(exact_i):
                if m == 0 and i == 0:
                    continue
                bits = m_bits & i_bits & partners
                for vouched, both in ((bits & vouch, True), (bits & ~vouch, False)):
                    if vouched:
                        score = m + 0.5 * i + (1.0 if both else 0.0)
                        tiers.append((m == 0, not both, -score, vouched))
        tiers.sort(key=lambda t: t[:3])
        # Tiers with one key prefix are merged so that, within it, partners come in name order.
        start = 0
        while start < len(tiers):
            end = start
            while end < len(tiers) and tiers[end][:3] == tiers[start][:3]:
                end += 1
            bits = 0
            for tier in tiers[start:end]:
                bits |= tier[3]
            while bits:
                low = bits & -bits
                other = low.bit_length() - 1
                bits ^= low
                yield self._key(tiers[start][:3], index, other), min(index, other), max(index, other)
            start = end

    def _key(self, prefix: tuple[object, ...], a: int, b: int) -> tuple[object, ...]:
        first, second = self.people[min(a, b)], self.people[max(a, b)]
        return (*prefix, first.name.casefold(), second.name.casefold(), min(a, b), max(a, b))

    def introduction(self, a: int, b: int) -> Introduction:
        """The pair with its reasons, worked out as a person would read them."""
        first, second = self.people[a], self.people[b]
        reasons = []
        for one, other in ((first, second), (second, first)):
            for need in one.contact.needs:
                for offer in other.contact.offers:
                    if phrases_match(need, offer):
                        reasons.append(f"{one.name} needs {need}; {other.name} offers {offer}")
        shared: list[str] = []
        if _different_companies(first, second):
            theirs = {words(interest) for interest in second.contact.interests}
            mine = [interest for interest in dict.fromkeys(first.contact.interests) if words(interest) in theirs]
            # Interests in the order they first appear in the vault, as the list has always been.
            shared = sorted(mine, key=lambda interest: self.interest_rank[words(interest)])
        intro = Introduction(first, second, reasons, len(reasons), shared)
        if shared:
            intro.reasons.append(f"both are into {', '.join(shared)} (at different companies)")
        return intro


def _groups_match(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return False
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    return shorter <= longer


def _bits(positions: Collection[int]) -> int:
    """The bit set of ``positions``, made in one byte array (not a new big number for each bit)."""
    if not positions:
        return 0
    found = bytearray((max(positions) >> 3) + 1)
    for position in positions:
        found[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(found, "little")


def _later(index: int, everyone: int) -> int:
    return everyone & ~((1 << (index + 1)) - 1)


def _passes(matcher: Matcher, favoured: Iterable[str]) -> list[Callable[[int], int]]:
    """Partners per person for each pass: pairs with a favoured person first, then the others."""
    everyone = matcher.everyone
    chosen = sum(1 << matcher.position[path] for path in set(favoured) if path in matcher.position)
    if not chosen:
        return [lambda index: _later(index, everyone)]
    return [
        lambda index: _later(index, everyone) & (everyone if (chosen >> index) & 1 else chosen),
        lambda index: 0 if (chosen >> index) & 1 else _later(index, everyone) & ~chosen,
    ]


def iter_suggestions(network: Network, favoured: Iterable[str] = ()) -> Iterator[Introduction]:
    """Every introduction worth making, best first, made one at a time (for ``intros --all``).

    Pairs with one of the ``favoured`` people (contact paths: those leading to
    your goals) come first, each group best first.
    """
    matcher = Matcher(network)
    for partners in _passes(matcher, favoured):
        streams = (matcher.ranked(index, partners(index)) for index in range(len(matcher.people)))
        for _, a, b in heapq.merge(*streams):
            yield matcher.introduction(a, b)


def suggest(
    network: Network, limit: int | None = None, favoured: Iterable[str] = (), memo: PhraseMemo | None = None
) -> list[Introduction]:
    """The best ``limit`` introductions (all of them when None), best first; ``favoured`` as above.

    ``memo``: the phrases and the best few a long-lived session worked out last time, reused while
    what they depend on is the same (see :class:`PhraseMemo`).

    With a limit, a bounded heap keeps the best pairs seen, and people whose
    best possible pair could not enter it are skipped without being scored.
    """
    favoured = tuple(favoured)
    if limit is None:
        return list(iter_suggestions(network, favoured))
    if memo is not None:
        return memo.best(network, limit, favoured, lambda: _suggest(network, limit, favoured, memo))
    return _suggest(network, limit, favoured, None)


def _suggest(network: Network, limit: int, favoured: tuple[str, ...], memo: PhraseMemo | None) -> list[Introduction]:
    matcher = Matcher(network, memo)
    found: list[Introduction] = []
    for partners in _passes(matcher, favoured):
        if len(found) < limit:
            found += [matcher.introduction(a, b) for a, b in _best(matcher, limit - len(found), partners)]
    return found


def _best(matcher: Matcher, limit: int, partners: Callable[[int], int]) -> list[tuple[int, int]]:
    """The best ``limit`` pairs, as (a, b) positions, best first.

    Every pair has its own place in the order (its key ends with both
    positions), so the pairs kept do not depend on the order people are
    looked at: people with the highest bound come first, the heap fills with
    good pairs at once, and the look stops at the first person whose best
    possible pair could not enter it (everyone after is bounded lower).
    """
    best: list[tuple[_Reverse, int, int]] = []  # the worst pair kept on top
    worst: tuple[object, ...] | None = None
    bounds = matcher.bounds
    for index in sorted(range(len(matcher.people)), key=lambda i: -bounds[i]):
        if worst is not None and (False, False, -bounds[index]) > worst[:3]:
            break
        for key, a, b in islice(matcher.ranked(index, partners(index)), limit):
            if worst is not None and key >= worst:
                break
            heapq.heappush(best, (_Reverse(key), a, b))
            if len(best) > limit:
                heapq.heappop(best)
            if len(best) == limit:
                worst = best[0][0].key
    return [(a, b) for _, a, b in sorted((item[0].key, item[1], item[2]) for item in best)]


def involving(network: Network, standing: Standing) -> list[Introduction]:
    """Every introduction that includes ``standing``, best first."""
    matcher = Matcher(network)
    index = matcher.position.get(standing.contact.path)
    if index is None:
        return []
    found = (matcher.introduction(a, b) for _, a, b in matcher.ranked(index, matcher.everyone))
    return sorted(found, key=Introduction.sort_key)


class _Reverse:
    """A sort key turned around, so that heapq's smallest is the worst pair kept."""

    __slots__ = ("key",)

    def __init__(self, key: tuple[object, ...]) -> None:
        self.key = key

    def __lt__(self, other: _Reverse) -> bool:
        return self.key > other.key
