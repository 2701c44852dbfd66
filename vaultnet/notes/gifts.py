"""Gift ideas in a note: lines tagged ``#gift``, and the lines under a heading named gift ideas.

The heading may be written in any case, with an emoji, and in the languages
vaultnet knows the words of (``## Gift ideas``, ``### 🎁 Gifts``,
``## Gaveideer``, ``## Geschenkideen``, ``## Idées cadeaux``, ``## Ideas de
regalo``...); its section runs to the next heading of the same or a higher
level. A gift idea is never contact: not a log line, not a mention, not a
completed task (ticking ``- [x] the scarf`` says it was bought, not that you
met). Read once when a note is parsed, like its attendee headings: the body
is not kept, and only a note whose text can hold one is looked at twice.
"""

from __future__ import annotations

import re
import unicodedata

from vaultnet.notes.markdown import scan

GIFT_TAGS = frozenset({"gift", "gifts", "gift-idea", "gift-ideas", "giftidea", "giftideas"})
# Headings that hold gift ideas, as `_heading_words` leaves them (accents and marks dropped, lower case).
GIFT_HEADINGS = frozenset({
    "gift ideas", "gift idea", "gifts", "gift list", "gift", "presents", "present ideas", "wishlist", "wish list",
    "gaveideer", "gaveide", "gaver", "gavetips", "onskeliste",  # Danish, Norwegian
    "presentideer", "presenttips", "julklappstips", "onskelista",  # Swedish
    "geschenkideen", "geschenkidee", "geschenke", "wunschliste",  # German
    "idees cadeaux", "idees de cadeaux", "idee cadeau", "idees cadeau", "cadeaux", "liste de cadeaux",  # French
    "ideas de regalo", "ideas de regalos", "ideas para regalar", "regalos",  # Spanish
    "idee regalo", "idee regali", "regali",  # Italian
    "ideias de presente", "ideias de presentes", "presentes",  # Portuguese
    "cadeau ideeen", "cadeautjes", "cadeautips", "cadeaus", "verlanglijst",  # Dutch
    "lahjaideat", "lahjat",  # Finnish
    "pomysly na prezent", "pomysly na prezenty", "prezenty",  # Polish
})
# "Gift ideas for Christmas", "Idées cadeaux pour Noël": the words before these are the heading's name.
_FOR = re.compile(r" (?:for|til|till|fur|pour|para|per|voor|dla) .*$")
# A cheap first look: a gift tag, or a heading with one of the words those names hold.
_TAG_HINT = re.compile(r"#gift", re.IGNORECASE)
_LINE_STARTS = ("\n#", "\n #", "\n  #", "\n   #")
_HEADING_LINE = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*)$", re.MULTILINE)
_STEMS = re.compile(r"gift|gave|present|wish|nsk|julklapp|geschenk|wunsch|cadeau|ide|regal|verlang|lahj|prezent|pomys",
                    re.IGNORECASE)
_HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")

# (file line number, task box character or "", the line as vaultnet reads it)
GiftLine = tuple[int, str, str]


def _heading_words(title: str) -> str:
    bare = "".join(c for c in unicodedata.normalize("NFKD", title) if not unicodedata.combining(c))
    words = " ".join(re.sub(r"[^\w]+", " ", bare.casefold()).split())
    return _FOR.sub("", words)


def is_gift_heading(title: str) -> bool:
    return _heading_words(title) in GIFT_HEADINGS


def gift_lines(body: str, first_line: int) -> tuple[GiftLine, ...]:
    """The gift-idea lines of a note body (``first_line`` is the file line number of its first line)."""
    if "#" not in body:
        return ()
    if not (("#g" in body or "#G" in body) and _TAG_HINT.search(body)):
        if not body.lstrip(" ").startswith("#") and not any(mark in body for mark in _LINE_STARTS):
            return ()  # no heading at all: most daily notes
        titles = _HEADING_LINE.findall(body)  # a few short lines: one search over all of them
        if not titles or not _STEMS.search("\n".join(titles)):
            return ()
    lines = [line.removesuffix("\r") for line in body.split("\n")]
    under = _gift_sections(lines, first_line)
    found: list[GiftLine] = []
    for line in scan(lines, first_line):
        if any(first <= line.number <= last for first, last in under) or GIFT_TAGS.intersection(line.tags) \
                or any(tag.startswith("gift/") for tag in line.tags):
            found.append((line.number, line.task or "", line.text))
    return tuple(found)


def _gift_sections(lines: list[str], first_line: int) -> list[tuple[int, int]]:
    """File line ranges under gift-idea headings (headings inside code blocks are not headings)."""
    headings: list[tuple[int, int, str]] = []
    fence: str | None = None
    for offset, raw in enumerate(lines):
        opened = _FENCE.match(raw)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            continue
        if opened:
            fence = opened.group(1)
            continue
        match = _HEADING.match(raw)
        if match:
            headings.append((first_line + offset, len(match.group(1)), match.group(2)))
    sections = []
    for index, (number, level, title) in enumerate(headings):
        if is_gift_heading(title):
            end = next((n - 1 for n, lv, _ in headings[index + 1:] if lv <= level), first_line + len(lines))
            sections.append((number + 1, end))
    return sections
