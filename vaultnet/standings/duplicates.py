"""Likely duplicates: two contact notes that are one person, each pair with its evidence.

After imports from LinkedIn, a phone and Google, one person often has two or
three notes. A pair is listed when the notes share an email address, a phone
number (compared as numbers: :mod:`vaultnet.base.phones`) or a LinkedIn
profile, when one's name is the other's alias, or when their names differ only
in accents, order, a title, an initial, a nickname or a middle name
(:mod:`vaultnet.base.names`). Weaker hints count only together: a single first
name that is one other contact's first name and no one else's (``Ana`` and
``Ana Souza``); names spelt alike (``Sara``/``Sarah``) with the same company or
birthday.

Never listed: people whose notes say they are related (a couple sharing a home
phone), pairs ``not_duplicates`` in ``vaultnet.toml`` sets apart, and, without
a shared address, number or profile, pairs whose notes contradict each other
(two LinkedIn profiles, two birthdays).

Pairs are found through indexes (by address, number, name, family name...),
never by comparing everyone with everyone: ten thousand contacts take a moment.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

from rapidfuzz import fuzz

from vaultnet.base.names import NICKNAMES, Reason, compare, fold, parse_name
from vaultnet.base.phones import phone_key, same_number, split_numbers
from vaultnet.base.text import profile_key, split_emails
from vaultnet.evidence.contacts import Contact

ClueKind = Literal["email", "phone", "linkedin", "alias", "name", "first name", "spelling", "company", "birthday"]
IDENTIFIERS: frozenset[ClueKind] = frozenset({"email", "phone", "linkedin", "alias"})
# The name reasons that are enough alone, strongest first; then the hints that need another.
NAME_ORDER: tuple[Reason, ...] = ("same", "accents", "order", "title", "middle", "initial", "nickname",
                                  "first only", "spelling")
NAME_WORDS: dict[Reason, str] = {
    "same": "the same name",
    "accents": "names that differ only in accents",
    "order": "the same name in another order",
    "title": "the same name but for a title or suffix",
    "middle": "names that differ only in a middle name",
    "initial": "names that differ only in an initial",
    "nickname": "names that differ only in a nickname",
    "first only": "a first name that is no other contact's",
    "spelling": "names spelt alike",
}
MAX_BLOCK = 2000
SPELT_ALIKE = 80  # how alike (rapidfuzz's ratio) two names must look before they are compared in full  # a name shared by more people than this says nothing about any two of them


@dataclass(frozen=True)
class Clue:
    kind: ClueKind
    text: str

    @property
    def identifier(self) -> bool:
        return self.kind in IDENTIFIERS


@dataclass(frozen=True)
class Pair:
    first: Contact
    second: Contact
    clues: tuple[Clue, ...]

    @property
    def strength(self) -> tuple[int, int]:
        """Shared identifiers first, then name evidence: how sure the pair is (higher is surer)."""
        names = [c for c in self.clues if c.kind == "name"]
        return (sum(c.identifier for c in self.clues), len(names))


@dataclass(frozen=True)
class _Person:
    contact: Contact
    variants: tuple[str, ...]  # the name and every alias of two words or more
    emails: frozenset[str]
    phones: tuple[str, ...]
    profile: str | None
    company: str
    birthday: tuple[int, int, int | None] | None


def _person(contact: Contact) -> _Person:
    fields = contact.fields
    aliases = tuple(a for a in contact.aliases if len(fold(a).split()) > 1 and fold(a) != fold(contact.name))
    birthday = (contact.birthday.month, contact.birthday.day, contact.birthday.year) if contact.birthday else None
    return _Person(contact, (contact.name, *aliases), frozenset(e.casefold() for e in split_emails(fields.get("email"))),
                   tuple(split_numbers(fields.get("phone"))), profile_key(fields.get("linkedin")),
                   fold(fields.get("company", "")), birthday)


def find_duplicates(contacts: Sequence[Contact], related: Mapping[str, frozenset[str]] | None = None,
                    distinct: Iterable[Iterable[str]] = ()) -> list[Pair]:
    """Every likely duplicate pair, the surest first.

    ``related``: each contact's relatives (paths); ``distinct``: groups of names,
    aliases or paths that the user says are different people.
    """
    people = [_person(contact) for contact in contacts]
    apart = _apart(contacts, distinct)
    related = related or {}
    named = {pair: _best_name(people[pair[0]], people[pair[1]]) for pair in sorted(_candidates(people))}
    fits: dict[int, int] = defaultdict(int)  # how many full names a first name alone fits
    for (i, j), (reason, _) in named.items():
        if reason == "first only":
            fits[i if parse_name(people[i].contact.name).single else j] += 1
    found = []
    for (i, j), (reason, shown) in named.items():
        a, b = people[i], people[j]
        if frozenset((a.contact.path, b.contact.path)) in apart or b.contact.path in related.get(a.contact.path, ()):
            continue
        if reason == "first only" and fits[i if parse_name(a.contact.name).single else j] != 1:
            reason = None  # "Ana" could be either of two Anas: no evidence for one of them
        clues = _clues(a, b, reason, shown)
        if clues:
            found.append(Pair(a.contact, b.contact, clues))
    return sorted(found, key=lambda p: (-p.strength[0], -p.strength[1], p.first.name.casefold(),
                                        p.second.name.casefold(), p.first.path, p.second.path))


def _apart(contacts: Sequence[Contact], distinct: Iterable[Iterable[str]]) -> set[frozenset[str]]:
    """Pairs of paths the user set apart, by name, alias or path."""
    groups = [list(group) for group in distinct]
    if not groups:
        return set()
    by_name: dict[str, list[str]] = defaultdict(list)
    for contact in contacts:
        for key in (*contact.names, contact.path, contact.path[:-3]):
            by_name[fold(key)].append(contact.path)
    pairs: set[frozenset[str]] = set()
    for group in groups:
        paths = sorted({path for name in group for path in by_name.get(fold(name), ())})
        pairs.update(frozenset(pair) for pair in combinations(paths, 2))
    return pairs


def _candidates(people: Sequence[_Person]) -> set[tuple[int, int]]:
    """Pairs that share something an index can find: an address, a number, a name or its words, a family name,
    a first name (for a first name alone), a company or a birthday (for names spelt alike)."""
    blocks: dict[tuple[str, object], list[int]] = defaultdict(list)
    for index, person in enumerate(people):
        keys: set[tuple[str, object]] = {("email", email) for email in person.emails}
        keys.update(("phone", found) for number in person.phones if (found := phone_key(number)))
        if person.profile:
            keys.add(("linkedin", person.profile))
        for name in (*person.variants, *person.contact.aliases):
            keys.add(("name", fold(name)))
        for variant in person.variants:
            parsed = parse_name(variant)
            keys.add(("words", parsed.words))
            if parsed.last:
                keys.add(("last", parsed.last))
            for given in (parsed.first, parsed.nickname):
                if given:
                    keys.update(("first", name) for name in (given, *NICKNAMES.get(given, ())))
        if person.company:
            keys.add(("company", person.company))
        if person.birthday:
            keys.add(("birthday", person.birthday[:2]))
        for block in keys:
            blocks[block].append(index)
    pairs: set[tuple[int, int]] = set()
    for (kind, _), members in blocks.items():
        if len(members) < 2 or len(members) > MAX_BLOCK:
            continue
        if kind == "first":  # only a single first name against full names
            singles = [m for m in members if parse_name(people[m].contact.name).single]
            pairs.update((min(s, m), max(s, m)) for s in singles for m in members if m != s)
        elif kind == "last":  # one family name: only given names that can be one person's
            pairs.update(pair for pair in combinations(members, 2) if _givens_fit(people[pair[0]], people[pair[1]]))
        elif kind in ("company", "birthday"):  # for names spelt alike, which need such a hint
            pairs.update(pair for pair in combinations(members, 2) if _alike(people[pair[0]], people[pair[1]]))
        else:
            pairs.update(combinations(members, 2))
    return pairs


def _givens_fit(a: _Person, b: _Person) -> bool:
    """A quick look before the full comparison: some given name of each is the same, an initial or a nickname."""
    for x in a.variants:
        for y in b.variants:
            p, q = parse_name(x), parse_name(y)
            for g in (p.first, p.nickname):
                for h in (q.first, q.nickname):
                    if g and h and (g == h or g[0] == h[0] and min(len(g), len(h)) == 1 or h in NICKNAMES.get(g, ())):
                        return True
    return False


def _alike(a: _Person, b: _Person) -> bool:
    return fuzz.ratio(fold(a.contact.name), fold(b.contact.name)) >= SPELT_ALIKE


def _clues(a: _Person, b: _Person, reason: Reason | None, shown: str) -> tuple[Clue, ...]:
    clues: list[Clue] = []
    for email in sorted(a.emails & b.emails):
        clues.append(Clue("email", f"the same email: {email}"))
    for number in a.phones:
        match = next((other for other in b.phones if same_number(number, other)), None)
        if match is not None:
            clues.append(Clue("phone", f"the same phone number: {number}" + ("" if match == number else f" and {match}")))
            break
    if a.profile and a.profile == b.profile:
        clues.append(Clue("linkedin", f"the same LinkedIn profile: {a.profile}"))
    for one, other in ((a, b), (b, a)):
        alias = next((x for x in other.contact.aliases if fold(x) == fold(one.contact.name)), None)
        if alias is not None:
            clues.append(Clue("alias", f"{one.contact.name} is an alias of {other.contact.name}"))
    shared = sorted({fold(x) for x in a.variants[1:]} & {fold(x) for x in b.variants[1:]})
    if shared:
        clues.append(Clue("alias", f"both have the alias {shared[0]}"))
    identified = any(c.identifier for c in clues)
    if reason is not None and reason not in ("spelling", "first only") or identified:
        if reason is not None:
            clues.append(Clue("name", f"{NAME_WORDS[reason]}: {shown}"))
        return tuple(clues) if identified or not _contradict(a, b) else ()
    hints = [Clue("company", f"both at {a.contact.fields['company']}")] if a.company and a.company == b.company else []
    if a.birthday and b.birthday and _same_birthday(a.birthday, b.birthday):
        hints.append(Clue("birthday", f"the same birthday: {_day(a.birthday)}"))
    if reason == "first only" or (reason == "spelling" and hints):
        clue = Clue("first name" if reason == "first only" else "spelling", f"{NAME_WORDS[reason]}: {shown}")
        return () if _contradict(a, b) else (clue, *hints)
    return ()


def _day(birthday: tuple[int, int, int | None]) -> str:
    month, day, year = birthday
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"


def _best_name(a: _Person, b: _Person) -> tuple[Reason | None, str]:
    """The strongest reason any of their names gives, and the two names it compares."""
    best: tuple[int, Reason, str] | None = None
    for x in a.variants:
        for y in b.variants:
            for reason in compare(x, y)[:1]:
                rank = NAME_ORDER.index(reason)
                if best is None or rank < best[0]:
                    best = (rank, reason, f"{x} and {y}")
    return (best[1], best[2]) if best else (None, "")


def _same_birthday(x: tuple[int, int, int | None], y: tuple[int, int, int | None]) -> bool:
    return x[:2] == y[:2] and (x[2] is None or y[2] is None or x[2] == y[2])


def _contradict(a: _Person, b: _Person) -> bool:
    """Their notes tell them apart: two LinkedIn profiles, or two birthdays."""
    if a.profile and b.profile and a.profile != b.profile:
        return True
    return bool(a.birthday and b.birthday and not _same_birthday(a.birthday, b.birthday))
