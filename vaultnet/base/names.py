"""Whether two written names can be one person's, and why.

Names are split into given, middle and family names by `nameparser` (titles,
suffixes and a nickname in quotes or brackets come apart: ``Dr. Ana Souza``,
``Robert "Bob" Lee``, ``Souza, Ana``). Two names match when they differ only in
accents, case, punctuation or order, or when the family names agree and the
given names differ only by an initial (``A. Souza``), a nickname (``Bob`` for
``Robert``) or a middle name (``Ana Maria Souza``). The nicknames are a short
table of unambiguous diminutives: names that are common given names of their
own (Jack, Sally, Harry...) are left out of it, so that two people who merely
share a family name are never taken for one. Names that are only spelt alike
(``Sara``/``Sarah``, ``Souza``/``Sousa``, by `rapidfuzz`) are a weaker hint,
which callers combine with other evidence.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from nameparser import HumanName
from rapidfuzz import fuzz

# formal name: its diminutives (each diminutive names one person only with the family name)
_DIMINUTIVES = """
robert: bob bobby rob robbie robby | william: bill billy will willie willy | james: jim jimmy jimmie
jonathan: jon jonny | michael: mike mikey mick micky mickey | david: dave davy davey
richard: rick ricky rich richie dick | thomas: tom tommy | joseph: joe joey | daniel: dan danny
matthew: matt matty | christopher: chris topher | christine: chris chrissy | christina: chris chrissy
kristina: kris | christian: chris | anthony: tony | antonio: tony | steven: steve stevie
stephen: steve stevie | andrew: andy drew | edward: ed eddie ted teddy | benjamin: ben benny benji
samuel: sam sammy | samantha: sam sammy | nicholas: nick nicky | nikolaos: nikos | alexander: alex sasha
alexandra: alex sasha | aleksandr: sasha | peter: pete | gregory: greg | jeffrey: jeff | lawrence: larry
gerald: jerry gerry | ronald: ron ronnie | donald: don donnie | kenneth: ken kenny | timothy: tim timmy
patrick: pat paddy | patricia: pat patty trish tricia | charles: charlie chuck chas | frederick: fred freddie freddy
henry: hank | nathaniel: nate | nathan: nate | zachary: zach zack | joshua: josh | gabriel: gabe
vincent: vince vinny | philip: phil | phillip: phil | walter: walt wally | albert: al | alfred: alfie fred
douglas: doug | raymond: ray | stanley: stan | theodore: theo ted teddy | leonard: len lenny
louis: lou | francis: frank frankie | franklin: frank | maximilian: max | elizabeth: liz lizzie beth betty betsy libby
elisabeth: liz lizzie beth betty | katherine: kate katie kathy kat | catherine: cathy cate kate katie | kathryn: kate katie kathy
kathleen: kathy kate katie | katharine: kate katie | margaret: maggie meg peggy margie | jennifer: jen jenny jenn
susan: sue susie suzy | deborah: deb debbie debby | rebecca: becky becca | cynthia: cindy | pamela: pam
barbara: barb barbie | victoria: vicky vickie | jessica: jess jessie | abigail: abby abbie | amanda: mandy
angela: angie | stephanie: steph | nicole: nicky nikki | sandra: sandy | teresa: tessie | theresa: tessie
dorothy: dot dottie | virginia: ginny | judith: judy | melissa: mel missy | melanie: mel | allison: ally allie
alison: ally allie | gabriella: gabby | gabrielle: gabby | frances: fran frannie | josephine: jo josie
jacqueline: jackie | madeline: maddie maddy | madeleine: maddie maddy | isabella: izzy
isabel: izzy | eleanor: ellie | florence: flo | kimberly: kim | caroline: carrie | carolyn: carrie
beatrice: bea | francisco: paco pancho | jose: pepe | guadalupe: lupe | jesus: chuy | ignacio: nacho
enrique: quique | alejandro: alex | roberto: beto | alberto: beto | manuel: manolo | dolores: lola
concepcion: concha conchita | mikhail: misha | dmitri: dima | dmitry: dima | nikolai: kolya | tatiana: tanya
ekaterina: katya | yekaterina: katya | anastasia: nastya | ivan: vanya | evgeny: zhenya | yevgeny: zhenya
johannes: hannes | giuseppe: beppe peppe | giovanni: gianni | friedrich: fritz | margarethe: grete
"""


def _table() -> dict[str, frozenset[str]]:
    """Each name and the names it may stand for: formal to diminutives, diminutive to formal and to its siblings."""
    related: dict[str, set[str]] = {}
    for entry in _DIMINUTIVES.replace("\n", "|").split("|"):
        if ":" not in entry:
            continue
        formal, _, short = entry.partition(":")
        group = {formal.strip(), *short.split()}
        for name in short.split():
            related.setdefault(name, set()).update(group - {name})
        related.setdefault(formal.strip(), set()).update(short.split())
    return {name: frozenset(others) for name, others in related.items()}


NICKNAMES = _table()
_PUNCTUATION = re.compile(r"[^\w\s]+")

Reason = Literal["same", "accents", "order", "initial", "nickname", "middle", "title", "first only", "spelling"]


def _unaccented(text: str) -> str:
    """Case, punctuation and spacing ignored, accents kept: what tells ``Zoë`` from ``Zoe``."""
    return " ".join(_PUNCTUATION.sub(" ", unicodedata.normalize("NFC", text).casefold()).split())


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Case, accents, punctuation and spacing ignored: ``Zoë  Martin-Dubois`` → ``zoe martin dubois``."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(_PUNCTUATION.sub(" ", bare.casefold()).split())


@dataclass(frozen=True)
class PersonName:
    written: str
    first: str  # folded, "" when none
    middle: tuple[str, ...]
    last: str  # folded, the whole family name ("van der berg")
    nickname: str
    extras: bool  # a title or suffix was written

    @property
    def words(self) -> tuple[str, ...]:
        """Every word of the name (not its title or suffix), sorted: ``Souza, Ana`` and ``Ana Souza`` agree."""
        return tuple(sorted(" ".join([self.first, *self.middle, self.last]).split()))

    @property
    def single(self) -> bool:
        """Only a given name (``Ana``)."""
        return bool(self.first) and not self.last and not self.middle


_PLAIN_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@lru_cache(maxsize=1)
def _special_words() -> frozenset[str]:
    """Words that make a name more than given, middle and family names: titles, suffixes, particles."""
    from nameparser.config import CONSTANTS

    words: set[str] = set()
    for group in (CONSTANTS.titles, CONSTANTS.suffix_acronyms, CONSTANTS.suffix_not_acronyms, CONSTANTS.prefixes,
                  CONSTANTS.conjunctions, CONSTANTS.bound_first_names, CONSTANTS.non_first_name_prefixes):
        words.update(str(word).casefold().strip(".") for word in group)
    return frozenset(words)


@lru_cache(maxsize=65536)
def parse_name(written: str) -> PersonName:
    words = written.split()
    if 2 <= len(words) <= 4 and all(_PLAIN_WORD.fullmatch(word) for word in words) \
            and not _special_words().intersection(word.casefold() for word in words):
        # "Maria Clara Pereira": given, middle, family, as nameparser reads it, in a fraction of its time.
        folded = [fold(word) for word in words]
        return PersonName(written, folded[0], tuple(" ".join(folded[1:-1]).split()), folded[-1], "", False)
    human = HumanName(written)
    first = fold(human.first)
    middle = tuple(fold(human.middle).split())
    last = fold(human.last)
    if not last and not first:
        first = fold(written)
    return PersonName(written, first, middle, last, fold(human.nickname), bool(human.title or human.suffix))


def _in_order(name: PersonName) -> list[str]:
    """The words as written, without a nickname in brackets or quotes."""
    nickname = name.nickname.split()
    return [word for word in fold(name.written).split() if word not in nickname]


def _initial_of(short: str, full: str) -> bool:
    return len(short) == 1 and bool(full) and full[0] == short and len(full) > 1


def _given_match(a: str, b: str) -> Reason | None:
    if a == b:
        return "same"
    if _initial_of(a, b) or _initial_of(b, a):
        return "initial"
    if b in NICKNAMES.get(a, ()):
        return "nickname"
    return None


def _givens(name: PersonName) -> tuple[str, ...]:
    return (name.first, name.nickname) if name.nickname else (name.first,)


def _middles_match(a: tuple[str, ...], b: tuple[str, ...]) -> Reason | None:
    """Middle names agree, one has none (``middle``), or one is the other's initials (``initial``)."""
    if a == b:
        return "same"
    if not a or not b:
        return "middle"
    if len(a) == len(b) and all(x == y or _initial_of(x, y) or _initial_of(y, x) for x, y in zip(a, b, strict=True)):
        return "initial"
    return None


def compare(a: str, b: str) -> list[Reason]:
    """Why two names can be one person's (empty: they cannot), strongest reason first.

    ``first only`` (``Ana`` and ``Ana Souza``) and ``spelling`` (``Sara Lee``
    and ``Sarah Lee``) are hints, never enough alone: see :mod:`vaultnet.standings.duplicates`.
    """
    if fold(a) == fold(b):
        return ["same"] if _unaccented(a) == _unaccented(b) else ["accents"]
    x, y = parse_name(a), parse_name(b)
    if x.nickname and y.nickname and x.nickname != y.nickname and y.nickname not in NICKNAMES.get(x.nickname, ()):
        return []  # "John Smith (Acme)" and "John Smith (Globex)": told apart on purpose
    if x.words and x.words == y.words:
        if (x.first, x.middle, x.last) != (y.first, y.middle, y.last):
            return ["order"]
        if x.extras or y.extras:
            return ["title"]
        return ["same"] if _in_order(x) == _in_order(y) else ["order"]  # "Souza, Ana" is in another order
    if x.single or y.single:
        one, other = (x, y) if x.single else (y, x)
        if not other.single and any(_given_match(one.first, given) in ("same", "nickname") for given in _givens(other)):
            return ["first only"]
        return []
    if not x.last or x.last != y.last:
        return ["spelling"] if _spelt_alike(x, y) else []
    given = next((found for g in _givens(x) for h in _givens(y) if (found := _given_match(g, h))), None)
    middle = _middles_match(x.middle, y.middle)
    if given is None or middle is None:
        return ["spelling"] if _spelt_alike(x, y) else []
    reasons: list[Reason] = [reason for reason in (given, middle) if reason != "same"]
    if not reasons:
        reasons = ["title"] if x.extras or y.extras else ["same"]
    return list(dict.fromkeys(reasons))


def _spelt_alike(x: PersonName, y: PersonName) -> bool:
    """Each word like its counterpart (``Souza``/``Sousa``, ``Jon``/``John``) and the whole name alike."""
    first, second = [" ".join([n.first, *n.middle, n.last]).split() for n in (x, y)]
    if len(first) != len(second) or first == second:
        return False
    return all(fuzz.ratio(p, q) >= 75 for p, q in zip(first, second, strict=True)) and \
        fuzz.ratio(" ".join(first), " ".join(second)) >= 85
