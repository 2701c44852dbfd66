"""Reading chat exports: which files are exports, whose each chat is, and its days as captures.

A source is one export (a WhatsApp ``.txt`` or ``.zip``, a Telegram
``result.json``, an SMS Backup & Restore ``.xml``, a Messages ``chat.db``) or
a folder exports land in (read with every folder under it; files that are no
export are passed over in silence). Each chat is matched to one contact
(:mod:`.phonebook`); a chat no note claims is listed with its message count,
so that ``vaultnet add`` or an alias can claim it. Group chats count only with
``[capture] group_chats = true``.

What vaultnet had to guess (your WhatsApp name, a date order, the country of
numbers without a country code) is said, with the line of ``vaultnet.toml``
that corrects it.

For ``vaultnet watch``, what was read of a source is remembered in the capture
ledger (:mod:`.ledger`): each export file by its name, size and time, so a new
export in the folder is read once and an unchanged one never again, until your
contacts or these settings change.
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from vaultnet.base.dates import Date
from vaultnet.base.names import fold
from vaultnet.base.phones import phone_key
from vaultnet.capture import messagesdb, smsbackup, telegram, whatsapp
from vaultnet.capture.conversations import APPS, Chat, Party, chat_days
from vaultnet.capture.ledger import Mark, key_of
from vaultnet.capture.model import Capture, Read
from vaultnet.capture.phonebook import Phonebook, infer_region
from vaultnet.capture.zone import Zone
from vaultnet.evidence.contacts import Contact
from vaultnet.files.config import CaptureConfig

ExportKind = Literal["whatsapp", "telegram", "sms", "messages"]
_SUFFIXES = (".txt", ".zip", ".json", ".xml", ".db")
NOT_AN_EXPORT = ("not a chat export vaultnet reads (a WhatsApp .txt or .zip, a Telegram result.json, "
                 "an SMS Backup & Restore .xml, or the Messages chat.db)")


@dataclass(frozen=True)
class Unmatched:
    """A chat no note claims (yet), with what would let one claim it."""

    app: str  # as shown: WhatsApp, SMS...
    name: str  # the chat's name, or its number
    where: str  # the export it is in
    messages: int
    why: str = ""  # "could be Ana Souza or Ana Lima", "cannot tell which author is you"...
    numbers: tuple[str, ...] = ()

    def line(self) -> str:
        how = f"; {self.why}" if self.why else ""
        count = f"{self.messages} message" + ("" if self.messages == 1 else "s")
        return f"{self.app} {self.name!r}: {count} ({self.where}{how})"


@dataclass
class ChatRead(Read):
    """What a chat source gave: besides the captures, the chats no note claims and what was guessed."""

    unmatched: list[Unmatched] = field(default_factory=list)
    said: list[str] = field(default_factory=list)  # guesses and choices, one line each
    groups_left_out: int = 0  # group chats, not counted without group_chats = true
    services: int = 0  # texts from short codes and named senders (a bank, a delivery): nobody's
    chats: int = 0  # chats read
    exports: int = 0  # export files read


def export_kind(path: Path, given: bool = True) -> ExportKind | None:
    """What kind of export a file is, by a look at its start; ``None`` for anything else.

    A file found in a folder (not ``given``) is taken only when it is plainly an export: a database only
    when it is named ``chat.db``, an SMS Backup & Restore file only when it holds messages (its call logs
    lie beside them).
    """
    suffix = path.suffix.lower()
    if suffix not in _SUFFIXES and path.name != "chat.db":
        return None
    if suffix == ".db" and not given and path.name != "chat.db":
        return None
    try:
        if suffix == ".zip":
            if not zipfile.is_zipfile(path):
                return None
            with zipfile.ZipFile(path) as archive:
                names = [Path(name).name for name in archive.namelist()]
            return "whatsapp" if "_chat.txt" in names or any(
                name.lower().endswith(".txt") and "whatsapp" in name.lower() for name in names) else None
        with open(path, "rb") as handle:
            head = handle.read(65536)
    except (OSError, zipfile.BadZipFile):
        return None
    if suffix == ".txt":
        return "whatsapp" if whatsapp.looks_like_export(head.decode("utf-8", "replace").lstrip("\ufeff")) else None
    if suffix == ".json":
        return "telegram" if telegram.looks_like_export(head) else None
    if suffix == ".xml":
        return "sms" if smsbackup.looks_like_export(head, calls=given) else None
    return "messages" if messagesdb.looks_like_database(head) else None


def export_files(root: Path) -> list[tuple[Path, str]]:
    """The files under a folder that may be exports, with their paths relative to it (hidden ones left out)."""
    found = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or not (name.lower().endswith(_SUFFIXES) or name == "chat.db"):
                continue
            path = Path(folder) / name
            found.append((path, path.relative_to(root).as_posix()))
    return found


def file_key(path: Path, rel: str) -> str:
    """A file as read: its name, size and time (a new export under the same name is another file)."""
    stat = path.stat()
    return key_of(f"{rel}\x1f{stat.st_size}\x1f{stat.st_mtime_ns}")


def settings_digest(phonebook: Phonebook, settings: CaptureConfig) -> str:
    """What every chat read depends on: the notes' names, numbers and addresses, and the chat settings."""
    text = "\n".join([phonebook.digest(), *sorted(fold(name) for name in settings.my_names), settings.phone_region,
                      str(settings.group_chats), settings.whatsapp_date_order])
    return hashlib.sha1(text.encode("utf-8", "surrogateescape")).hexdigest()


@dataclass
class _Parsed:
    chats: list[Chat] = field(default_factory=list)
    whatsapp: list[whatsapp.Export] = field(default_factory=list)
    regions: list[str | None] = field(default_factory=list)  # what the exports say of the country of numbers


def _parse(path: Path, kind: ExportKind, settings: CaptureConfig, parsed: _Parsed, read: ChatRead) -> None:
    if kind == "whatsapp":
        text, where, name = whatsapp.read_text(path)
        export = whatsapp.read_export(text, where, name, settings.whatsapp_date_order or None)
        read.said.extend(export.guesses)
        parsed.whatsapp.append(export)
    elif kind == "telegram":
        chats, said, my_region, _others = telegram.read_export(path)
        parsed.chats.extend(chats)
        read.said.extend(said)
        parsed.regions.append(my_region)
    elif kind == "sms":
        chats, _unsent = smsbackup.read_export(path)
        parsed.chats.extend(chats)
    else:
        chats, regions = messagesdb.read_database(path)
        parsed.chats.extend(chats)
        parsed.regions.extend(regions)


def _whatsapp_chats(exports: list[whatsapp.Export], settings: CaptureConfig, read: ChatRead) -> list[Chat]:
    """The chats of WhatsApp exports, your name worked out when it is not set (and said, once)."""
    names = frozenset(fold(name) for name in settings.my_names)
    results = [whatsapp.to_chat(export, names) for export in exports]
    inferred = {me for _chat, me in results if me}
    common = whatsapp.common_author(exports) if not names else None
    if common:
        inferred.add(common)
    if inferred and any(isinstance(chat, str) for chat, _me in results):
        wider = names | {fold(name) for name in inferred}
        results = [whatsapp.to_chat(export, wider) if isinstance(chat, str) else (chat, me)
                   for export, (chat, me) in zip(exports, results, strict=True)]
    if inferred:
        shown = ", ".join(repr(name) for name in sorted(inferred))
        read.said.append(f"WhatsApp: took {shown} as your name in these chats (the author who is not the other "
                         "person); if that is wrong, set my_names under [capture] in vaultnet.toml")
    chats = []
    for export, (chat, _me) in zip(exports, results, strict=True):
        if isinstance(chat, str):
            read.unmatched.append(Unmatched("WhatsApp", export.name or export.where, export.where,
                                            len(export.messages), chat))
        else:
            chats.append(chat)
    return chats


def read_chats(source: Path, shown: str, label: str, contacts: Iterable[Contact], settings: CaptureConfig,
               today: Date, zone: Zone, *, since: Date | None = None, mark: Mark | None = None) -> ChatRead:
    """Captures from the exports at ``source`` (a file or a folder); with ``mark``, only from the files it
    does not list (the new mark lists every one read)."""
    contacts = list(contacts)
    read = ChatRead(label, shown)
    given = source.is_file()
    if given:
        if export_kind(source) is None:
            return read.fail(NOT_AN_EXPORT)  # type: ignore[return-value]
        files = [(source, source.name)]
    elif source.is_dir():
        files = export_files(source)
    else:
        return read.fail("no such file or folder")  # type: ignore[return-value]
    configured = settings.phone_region or None
    phonebook = Phonebook(contacts, configured)
    digest = settings_digest(phonebook, settings)
    seen = set(mark.names) if mark is not None and mark.people == digest and mark.kind == "chats" else set()
    keys: list[str] = []  # every file looked at, exports or not: none is looked at again while unchanged
    parsed = _Parsed()
    for path, rel in files:
        try:
            key = file_key(path, rel)
        except OSError:
            continue  # gone meanwhile
        keys.append(key)
        kind = None if key in seen else export_kind(path, given=given)
        if kind is None:
            continue
        try:
            _parse(path, kind, settings, parsed, read)
            read.exports += 1
        except (whatsapp.NotAnExport, telegram.NotAnExport, smsbackup.NotAnExport, messagesdb.NotADatabase) as err:
            if given:
                return read.fail(str(err))  # type: ignore[return-value]
            read.problem(f"{rel}: {err}")
        except (OSError, zipfile.BadZipFile) as err:
            if given:
                return read.fail(f"cannot read: {getattr(err, 'strerror', None) or err}")  # type: ignore[return-value]
            read.problem(f"{rel}: cannot read: {getattr(err, 'strerror', None) or err}")
    read.mark = Mark("chats", names=sorted(set(keys)), people=digest)
    chats = parsed.chats + _whatsapp_chats(parsed.whatsapp, settings, read)
    if configured is None:
        region, why = infer_region(contacts, parsed.regions)
        if region is not None and any(_national(chat) for chat in chats):
            read.said.append(f"numbers without a country code were read as {region}'s ({why}); if that is wrong, "
                             f'set phone_region = "XX" under [capture] in vaultnet.toml')
        phonebook.region = region
    read.chats = len(chats)
    for chat in chats:
        _capture(chat, phonebook, settings, today, zone, since, read)
    read.captures = _fullest(read.captures)
    read.unmatched.sort(key=lambda u: (-u.messages, u.app, u.name))
    return read


def _fullest(captures: list[Capture]) -> list[Capture]:
    """One capture a chat day: two exports of one chat read together give the day that saw the most of it."""
    kept: dict[str, Capture] = {}
    for capture in captures:
        old = kept.get(capture.id)
        if old is None or (old.chat is not None and capture.chat is not None
                           and capture.chat.you + capture.chat.them > old.chat.you + old.chat.them):
            kept[capture.id] = capture
    return list(kept.values())


def _national(chat: Chat) -> bool:
    """Whether a chat names someone by a number written without its country code."""
    return any(not number.strip().startswith(("+", "00")) for party in chat.parties.values() for number in party.numbers)


def _capture(chat: Chat, phonebook: Phonebook, settings: CaptureConfig, today: Date, zone: Zone,
             since: Date | None, read: ChatRead) -> None:
    app = chat.shown or APPS[chat.app]
    if chat.group and not settings.group_chats:
        read.groups_left_out += 1
        return
    matched: dict[str, str] = {}
    if chat.group:
        for key, party in chat.parties.items():
            found = phonebook.match(party)
            if found.path is not None:
                matched[key] = found.path
    elif chat.parties:
        key, party = next(iter(chat.parties.items()))
        found = phonebook.match(party)
        if found.path is None and _service(party):
            read.services += 1
            return
        if found.path is None:
            if found.candidates:
                why = f"could be {' or '.join(_names(found.candidates))}: give one of them the alias {chat.name!r}"
            elif found.maybe:
                why = f"perhaps {' or '.join(_names(found.maybe))}? give the note the alias {chat.name!r}"
            else:
                why = ""
            if chat.messages:
                read.unmatched.append(Unmatched(app, chat.name, chat.where, len(chat.messages), why, party.numbers))
            return
        matched[key] = found.path
    read.captures.extend(chat_days(chat, matched, zone, today, since))


def _service(party: Party) -> bool:
    """A sender no person is: a short code (``72975``) or a name instead of a number (``AMAZON``)."""
    return bool(party.numbers) and not party.emails and all(phone_key(number) is None for number in party.numbers)


def _names(paths: Iterable[str]) -> list[str]:
    return [path.rsplit("/", 1)[-1].removesuffix(".md") for path in paths]
