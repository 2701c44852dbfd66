"""WhatsApp's "Export chat": the text file (Android's, or the ``_chat.txt`` iOS puts in a zip) or its zip.

A message is a header line (when, then ``author: text``) and the lines that
follow it until the next header. The header's shape follows the exporting
phone's region and clock: Android writes ``12/11/2026, 21:41 - Ana: hi``, iOS
``[12/11/26, 9:41:05 PM] Ana: hi``, and locales vary the date's order and
separators, the clock (``p. m.``, ``PM`` after a narrow no-break space, dots in
the time), the words between date and time (``à``, ``klo``) and the year's
place. One tolerant pattern finds header candidates; the shape most of them
share is the file's, and only lines of that shape start messages, so a message
whose text starts with a date stays one message.

The file says nothing of its date order: day first when some first field is
above 12, month first when some second one is, else the order that keeps the
messages in time order, else a guess that is said and that
``[capture] whatsapp_date_order`` corrects. Times are the phone's wall time and
are dated as written.

The file does not say which author is you either: your messages carry your own
WhatsApp name. ``[capture] my_names`` names it; without it, in a personal chat
(named by its file: ``WhatsApp Chat with Ana.txt``, ``WhatsApp Chat - Ana.zip``)
the author who is not Ana is taken as you, and that is said. The iOS export's
first line is WhatsApp's encryption notice, written as if the other person (or
the group) had sent it; notices, calls and group events are no messages.

Text is looked at only here, in memory, to tell those apart; nothing of it
leaves this module.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from vaultnet.base.names import fold
from vaultnet.base.text import decode_mixed
from vaultnet.capture.conversations import BIDI, Chat, Party, Sent, unmarked

MAX_BYTES = 512_000_000  # a text export of the 40,000 messages WhatsApp allows is a few MB
_MARKS = "[" + BIDI + "]*"
_HEADER = re.compile(
    r"^(?P<open>\[)?"
    r"(?P<a>\d{1,4})(?P<dsep>[./-])\s?(?P<b>\d{1,2})[./-]\s?(?P<c>\d{1,4})\.?"
    r"(?P<between>(?:,|\s|\s?à|\s?klo|\s?um|\s?om|\s?kl\.)*)\s*"
    r"(?P<h>\d{1,2})(?P<tsep>[:.])(?P<m>\d{2})(?:[:.](?P<s>\d{2}))?"
    r"(?:\s*(?P<ampm>[AaPp]\.?\s?[Mm]\.?))?"
    r"(?P<close>\])?(?P<after>\s-\s|:\s|\s)(?P<rest>.*)$"
)
_AUTHOR = re.compile(r"^(?P<author>[^:]{1,80}?):(?:\s|$)(?P<body>.*)$")
_NOT_IN_NAMES = re.compile(r"[\"“”«»„]")
_PHONE = re.compile(r"\+?\d[\d\s().-]{5,}\d")
_NEWLINE = re.compile(r"\r\n|\r|\n")
# What follows the name of the chat in the export's file name: "WhatsApp Chat with Ana.txt" (en, Android),
# "WhatsApp Chat - Ana.zip" (iOS), and the other languages' words for the same.
_PREFIX = re.compile(
    r"^(?:WhatsApp[ -]Chat(?: with| mit| met| med| con| com| z| s| -)?|Discussion WhatsApp avec|Chat de WhatsApp con"
    r"|Conversa do WhatsApp com|Conversa de WhatsApp com|Chat WhatsApp con|Czat WhatsApp z|Переписка WhatsApp с"
    r"|WhatsApp-chat met|WhatsApp-Chat mit)\s+",
    re.IGNORECASE,
)
_COPY = re.compile(r"\s\(\d+\)$")  # "WhatsApp Chat - Ana (1).zip": a second download
# WhatsApp's notices that iOS writes as sent by the other person (or the group): encryption, a new
# security code, disappearing messages. Only a text that starts with a left-to-right mark can be one.
_NOTICE = re.compile(
    r"end-to-end|ende-zu-ende|extremo a extremo|bout en bout|ponta[ -]a[ -]ponta|сквозн|uçtan uca|エンドツーエンド|端到端"
    r"|security code|sicherheitsnummer|código de seguridad|code de sécurité|código de segurança|codice di sicurezza"
    r"|beveiligingscode|код безопасности|disappearing messages|selbstlöschende nachrichten|mensajes temporales"
    r"|messages éphémères|mensagens temporárias|messaggi effimeri|verdwijnende berichten|исчезающие сообщения"
    r"|business account|unternehmenskonto|cuenta de empresa|compte professionnel|conta comercial",
    re.IGNORECASE,
)
# Calls show as a line under the caller's name; a call is not a message. Android writes the phrase alone
# ("Missed voice call"), iOS after a left-to-right mark and with more ("Voice call, 12 min").
_CALL = re.compile(
    r"(?:missed |verpasster |gemiste )?(?:group )?(?:voice|video|sprach|video-?|spraak|video-)\s?(?:call|anruf|oproep)\b"
    r"|(?:llamada|videollamada|appel|chamada|chiamata|videochiamata)(?: de voz| de vídeo| vocale?| vidéo)?"
    r"(?: perdida| manqué| persa)?\b",
    re.IGNORECASE,
)
_ATTACHED = re.compile(r"omitted|attached|<|\.(?:jpe?g|png|webp|mp4|opus|pdf|vcf)\b", re.IGNORECASE)
# System lines that only a group has: created, added, left, a new subject or icon (Android has no author
# for them; iOS neither).
_GROUP_EVENT = re.compile(
    r"created group|\badded\b|\bleft$|changed the subject|changed this group|changed the group|invite link"
    r"|hat die gruppe|hinzugefügt|hat die gruppe verlassen|creó el grupo|añadió|salió del grupo|a créé le groupe"
    r"|a ajouté|est parti|criou o grupo|adicionou|saiu do grupo|ha creato il gruppo|ha aggiunto|è uscit"
    r"|heeft groep|toegevoegd|heeft de groep verlaten|создал\S* группу|добавил",
    re.IGNORECASE,
)
DATE_ORDERS = ("dmy", "mdy", "ymd")


class NotAnExport(ValueError):
    """The file is no WhatsApp chat export (the message says what it is instead, when known)."""


@dataclass
class Export:
    """One export as read: each message's time and author, and what the file told about the chat."""

    where: str  # the file's (or the zip's) name
    name: str | None  # the chat's name, from the file's name
    messages: list[tuple[dt.datetime, str]] = field(default_factory=list)  # when, author
    authors: Counter[str] = field(default_factory=Counter)
    notice_authors: set[str] = field(default_factory=set)  # who iOS wrote a notice as (the other person, a group)
    group_events: bool = False
    guesses: list[str] = field(default_factory=list)  # what was guessed, said once


def chat_name(file_name: str) -> str | None:
    """The chat's name in an export's file name, or ``None`` for iOS's ``_chat.txt``."""
    stem = Path(file_name).stem if file_name.lower().endswith((".txt", ".zip")) else file_name
    stem = _COPY.sub("", stem.strip())
    if stem.lower() in ("_chat", "chat", ""):
        return None
    bare = _PREFIX.sub("", stem, count=1).strip()
    return unmarked(bare) or None


def read_text(path: Path) -> tuple[str, str, str | None]:
    """The export's text, the name to show it by, and the chat's name from the file or zip name."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            texts = [info for info in archive.infolist() if info.filename.lower().endswith(".txt")
                     and not info.is_dir() and not Path(info.filename).name.startswith(".")]
            chosen = ([info for info in texts if Path(info.filename).name == "_chat.txt"]
                      or [info for info in texts if "whatsapp" in info.filename.lower()] or texts)
            if len(chosen) != 1:
                raise NotAnExport("a zip without a WhatsApp chat in it (no _chat.txt nor one .txt file)" if not chosen
                                  else f"a zip with {len(chosen)} text files: unzip it and import the chat's")
            if chosen[0].file_size > MAX_BYTES:
                raise NotAnExport("the chat's text is larger than 512 MB: not a WhatsApp export")
            data = archive.read(chosen[0])
            inner = Path(chosen[0].filename).name
        return decode_mixed(data.removeprefix(b"\xef\xbb\xbf")), path.name, chat_name(path.name) or chat_name(inner)
    with open(path, "rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise NotAnExport("larger than 512 MB: not a WhatsApp export")
    return decode_mixed(data.removeprefix(b"\xef\xbb\xbf")), path.name, chat_name(path.name)


def looks_like_export(text: str) -> bool:
    """Whether a text starts as WhatsApp's exports do: with a header line, and another among the next ones
    (for telling exports from other text files in a folder)."""
    lines = [line for line in _NEWLINE.split(text[:8192]) if line.strip()][:20]
    found = sum(1 for line in lines if _HEADER.match(line.lstrip(BIDI)))
    return bool(lines) and _HEADER.match(lines[0].lstrip(BIDI)) is not None and found >= min(2, len(lines))


def _shape(match: re.Match[str]) -> tuple[object, ...]:
    """What a header's format is made of: the same in every header of one export."""
    between = "".join(match["between"].split()).strip(",") + ("," if "," in match["between"] else "")
    return (bool(match["open"]), match["dsep"], between, match["tsep"], match["s"] is not None,
            match["ampm"] is not None, bool(match["close"]), match["after"].strip() or " ")


def _year(text: str) -> int:
    value = int(text)
    return value + 2000 if len(text) <= 2 else value


def _dates(fields: Sequence[tuple[str, str, str]], order: str) -> list[tuple[int, int, int] | None]:
    found: list[tuple[int, int, int] | None] = []
    for a, b, c in fields:
        year, month, day = ((_year(a), int(b), int(c)) if order == "ymd" else
                            (_year(c), int(b), int(a)) if order == "dmy" else (_year(c), int(a), int(b)))
        try:
            dt.date(year, month, day)
            found.append((year, month, day))
        except ValueError:
            found.append(None)
    return found


def _disorder(dates: Sequence[tuple[int, int, int] | None]) -> int:
    """How often a date goes back in time (an impossible date counts as twice that)."""
    count, last = 0, None
    for date in dates:
        if date is None:
            count += 2
            continue
        if last is not None and date < last:
            count += 1
        last = date
    return count


def date_order(fields: Sequence[tuple[str, str, str]], twelve_hour: bool, bracketed: bool, slash: bool,
               configured: str | None, where: str) -> tuple[str, str | None]:
    """``dmy``, ``mdy`` or ``ymd`` for an export's dates, and what was guessed (``None``: nothing)."""
    if configured:
        return configured, None
    if any(len(a) == 4 or int(a) > 31 for a, _, _ in fields):
        return "ymd", None
    day_first = any(int(a) > 12 for a, _, _ in fields)
    month_first = any(int(b) > 12 for _, b, _ in fields)
    if day_first != month_first:
        return ("dmy" if day_first else "mdy"), None
    if not day_first:
        disorder = {order: _disorder(_dates(fields, order)) for order in ("dmy", "mdy")}
        if disorder["dmy"] != disorder["mdy"]:
            return min(disorder, key=lambda order: disorder[order]), None
    us = twelve_hour and slash and not bracketed
    order = "mdy" if us else "dmy"
    why = ("its dates have both day and month fields above 12" if day_first else
           "no date in it has a day above 12, and both readings keep the messages in order")
    reading = "month/day (a 12-hour clock with slashes is the US format)" if us else "day/month"
    other = "dmy" if us else "mdy"
    return order, (f"{where}: read its dates as {reading}, a guess: {why}; "
                   f'if that is wrong, set whatsapp_date_order = "{other}" under [capture] in vaultnet.toml')


def _when(match: re.Match[str], order: str) -> dt.datetime | None:
    dates = _dates([(match["a"], match["b"], match["c"])], order)
    if dates[0] is None:
        return None
    hour = int(match["h"])
    if match["ampm"]:
        hour = hour % 12 + (12 if match["ampm"].lstrip()[:1].lower() == "p" else 0)
    try:
        return dt.datetime(*dates[0], hour, int(match["m"]), int(match["s"] or 0))
    except ValueError:
        return None


def _body_kind(body: str, bracketed: bool, first: bool) -> str:
    """``message``, ``notice`` or ``call``: what an authored line is (its text is never kept)."""
    marked = body[:1] == "\u200e"
    bare = unmarked(body)
    if marked and (_NOTICE.search(bare[:200]) or (bracketed and first and not _ATTACHED.search(bare))):
        return "notice"
    if (_CALL.match(bare) if marked else _CALL.fullmatch(bare.rstrip("."))) and len(bare) < 60:
        return "call"
    return "message"


def read_export(text: str, where: str, name: str | None, date_setting: str | None = None) -> Export:
    """Each message's time and author; raises :class:`NotAnExport` when the text has no WhatsApp header."""
    export = Export(where, name)
    lines = _NEWLINE.split(text)
    candidates: list[tuple[int, re.Match[str]]] = []
    for index, line in enumerate(lines):
        if line[:1].isdigit() or line[:1] == "[" or (line[:1] in BIDI and line):
            match = _HEADER.match(line.lstrip(BIDI))
            if match:
                candidates.append((index, match))
    if not candidates:
        if re.search(r"^\d{1,2}\.\d{1,2}\.\d{4} - \d{1,2}:\d\d:\d\d; ", text[:4096], re.MULTILINE):
            raise NotAnExport("a WhatsApp Viewer file, not a WhatsApp export: export the chat from WhatsApp")
        raise NotAnExport("not a WhatsApp chat export (no line starts with a date and a time)")
    shape = Counter(_shape(match) for _, match in candidates).most_common(1)[0][0]
    headers = [(index, match) for index, match in candidates if _shape(match) == shape]
    order, guess = date_order([(m["a"], m["b"], m["c"]) for _, m in headers], bool(shape[5]), bool(shape[0]),
                              shape[1] == "/", date_setting, where)
    if guess:
        export.guesses.append(guess)
    bracketed = bool(shape[0])
    first = True
    for _index, match in headers:
        when = _when(match, order)
        if when is None:
            continue  # an impossible date: the line was text after all
        authored = _AUTHOR.match(match["rest"])
        author = unmarked(authored["author"]) if authored else ""
        if not authored or not author or _NOT_IN_NAMES.search(author) or len(author) > 60:
            if _GROUP_EVENT.search(unmarked(match["rest"])):
                export.group_events = True
            continue  # a system line: no one wrote it
        kind = _body_kind(authored["body"], bracketed, first)
        first = False
        if kind == "notice":
            export.notice_authors.add(author)
        elif kind == "message":
            export.messages.append((when, author))
            export.authors[author] += 1
    return export


def _same(author: str, name: str | None) -> bool:
    """Whether an author is the one the chat is named for (the same name, or the same number written apart)."""
    if not name:
        return False
    if fold(author) == fold(name):
        return True
    digits = "".join(c for c in author if c.isdigit())
    return bool(_PHONE.fullmatch(author) and _PHONE.fullmatch(name)) and digits == "".join(
        c for c in name if c.isdigit())


def _party(label: str) -> Party:
    numbers = (label,) if _PHONE.fullmatch(label) else ()
    return Party(label, numbers=numbers, names=() if numbers else (label,))


def _personal(people: list[str], name: str | None, mine: frozenset[str]) -> tuple[str | None, str | None]:
    """A personal chat's other person and the author who is you (``None`` when they cannot be told apart).

    When your name is known, the other author is the other person (or, when only you wrote, the chat's
    name). Otherwise the author the chat is named for is the other person, and the one other author is you.
    """
    yours = [a for a in people if fold(a) in mine]
    others = [a for a in people if fold(a) not in mine]
    if yours:
        if len(others) == 1:
            return others[0], yours[0]
        return (name, yours[0]) if not others and name else (None, None)
    named = [a for a in others if _same(a, name)]
    if len(named) != 1:
        return None, None
    rest = [a for a in others if a != named[0]]
    if len(rest) > 1:
        return None, None
    return named[0], rest[0] if rest else None


def to_chat(export: Export, names: frozenset[str]) -> tuple[Chat | str, str | None]:
    """The chat an export holds (or why it cannot be read as one), and the author taken as you when
    ``names`` (your names, folded) did not say it.

    An author is someone who wrote twice or more, or is you, or the one the chat is named for. In a
    group, whoever wrote once is a member too; in a personal chat, an author seen once is the other side
    only when the chat has room for them (one such author, and not already two people): anything else
    is a system line that happened to hold ``name: ``.
    """
    name = export.name or next(iter(sorted(export.notice_authors)), None)
    mine = {a for a in export.authors if fold(a) in names}
    regular = [a for a, count in export.authors.items() if count >= 2 or a in mine or _same(a, name)]
    once = [a for a in export.authors if a not in regular]
    others = [a for a in regular if a not in mine]
    if export.group_events or len(others) >= (2 if mine else 3):
        if not mine:
            return ("a group chat, and none of its authors is you: set my_names (your WhatsApp name) "
                    "under [capture] in vaultnet.toml"), None
        members = [a for a in export.authors if a not in mine]
        key = fold(name) if name else "\x1f".join(sorted(fold(a) for a in export.authors))
        chat = Chat("whatsapp", key, name or ", ".join(sorted(members)), export.where, group=True,
                    parties={author: _party(author) for author in members})
        chat.messages = [Sent(when, None if author in mine else author) for when, author in export.messages]
        return chat, None
    people = regular + (once if len(once) == 1 and len(regular) < 2 else [])
    party, me = _personal(people, name, names)
    if party is None:
        if not people and name:
            party = name  # nobody wrote (only notices): an empty chat
        else:
            return ("cannot tell which author is you: set my_names (your WhatsApp name) under [capture] "
                    "in vaultnet.toml"), None
    labels = [label for label in dict.fromkeys((name or party, party))]
    numbers = tuple(label for label in labels if _PHONE.fullmatch(label))
    shown = name or party
    chat = Chat("whatsapp", fold(shown), shown, export.where,
                parties={"them": Party(shown, numbers=numbers,
                                       names=tuple(label for label in labels if label not in numbers))})
    yours = {a for a in people if a == me or fold(a) in names}
    chat.messages = [Sent(when, None if author in yours else "them") for when, author in export.messages
                     if author in people]
    return chat, (me if me is not None and fold(me) not in names else None)


def common_author(exports: Iterable[Export]) -> str | None:
    """The one author every chat of several has: you."""
    sets = [set(export.authors) for export in exports if export.authors]
    if len(sets) < 2:
        return None
    shared = set.intersection(*sets)
    return next(iter(shared)) if len(shared) == 1 else None
