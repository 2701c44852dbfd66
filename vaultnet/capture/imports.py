"""Running an import: read a source, keep what counts, write the captures.

``import calendar``, ``import mail`` and ``import chat`` run one source;
``vaultnet watch`` runs every source in ``[capture]``; ``check`` asks whether
each can be read.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from vaultnet.base.dates import Date
from vaultnet.base.errors import ConfigError, Problem, VaultnetError
from vaultnet.capture.ledger import Ledger
from vaultnet.capture.mail import kind_of, mailbox_file, maildirs, read_mail
from vaultnet.capture.model import Capture, People, Read
from vaultnet.capture.sources import Source, SourceError, read_calendar_bytes, resolve
from vaultnet.capture.store import Known, Outcome, known, store
from vaultnet.capture.zone import vault_zone
from vaultnet.evidence.contacts import Contact, read_contact
from vaultnet.evidence.people import rule_of
from vaultnet.files.config import CONFIG_NAME, Config
from vaultnet.files.walk import walk
from vaultnet.files.writes import read_bytes
from vaultnet.notes.note import parse_note

if TYPE_CHECKING:  # only for types: a mail import never loads the calendar stack or the standings
    from vaultnet.importers.records import Progress
    from vaultnet.standings.network import Network

log = logging.getLogger(__name__)

SourceKind = Literal["calendar", "mail", "chat"]


@dataclass
class Result:
    read: Read
    outcome: Outcome | None  # None when the source could not be read at all
    skipped: int = 0  # emails left out: that person already has one captured that day


def one_email_a_day(captures: Iterable[Capture], seen: Known) -> tuple[list[Capture], int]:
    """At most one captured email per person per day, counting the ones already in the notes."""
    kept: list[Capture] = []
    skipped = 0
    for capture in captures:
        if capture.kind != "email" or capture.id in seen.ids:
            kept.append(capture)
            continue
        people = tuple(path for path in capture.people if (capture.date, path) not in seen.email_days)
        if not people:
            skipped += 1
            continue
        seen.email_days.update((capture.date, path) for path in people)
        seen.ids.add(capture.id)
        kept.append(dataclasses.replace(capture, people=people))
    return kept, skipped


def read_source(config: Config, people: People, today: Date, kind: SourceKind, source: Source, *,
                since: Date | None = None, progress: Progress | None = None, ledger: Ledger | None = None,
                contacts: Iterable[Contact] = ()) -> Read:
    """Read one source; a mail source only from where ``ledger`` says its last read ended, a chat source
    only the exports it does not list as read."""
    if kind == "chat":
        from vaultnet.capture.chatimport import read_chats

        if source.is_url:
            return Read(source.label).fail("chats are read from export files and folders, not an address")
        mark = ledger.get(source.identity) if ledger is not None and since is None else None
        return read_chats(source.path, source.name, source.label, contacts, config.capture, today,
                          vault_zone(config), since=since, mark=mark)
    if kind == "calendar":
        from vaultnet.capture.calendar import read_calendar

        try:
            data = read_calendar_bytes(source)
        except SourceError as err:
            return Read(source.label, source.name).fail(str(err))
        return read_calendar(data, source.label, people, today, max_attendees=config.capture.max_attendees,
                             since=since, zone=vault_zone(config), shown=source.name)
    if source.is_url:
        return Read(source.label).fail("mail is read from an mbox file, a Maildir folder or a message file, "
                                       "not an address")
    mark = ledger.get(source.identity) if ledger is not None and since is None else None
    # Mail is labelled by its name only: no capture from it is ever taken out again.
    return read_mail(source.path, source.name, people, since=since, progress=progress, zone=vault_zone(config),
                     mark=mark)


class _Lazy:
    """The vault's network, given or worked out once, when first needed."""

    def __init__(self, network: Network | Callable[[], Network]) -> None:
        self._make = network if callable(network) else None
        self._network = None if callable(network) else network

    @property
    def built(self) -> bool:
        return self._network is not None

    def get(self) -> Network:
        if self._network is None:
            assert self._make is not None
            self._network = self._make()
        return self._network


def contacts_only(config: Config) -> list[Contact]:
    """The vault's contacts from their notes alone, without working out what anyone did: all a read
    needs to know whose address is whose. vaultnet's own notes (captures among them) are no one's."""
    contacts = []
    for file in walk(config):
        if file.conflict_of is not None or file.bad_name or file.rel.startswith(config.output + "/"):
            continue
        try:
            data = read_bytes(config.root / file.rel)
        except (OSError, VaultnetError):
            continue
        note = parse_note(file.rel, data, config.person_tags)[0] if data is not None else None
        if note is not None and rule_of(note, config):
            contacts.append(read_contact(note, config)[0])
    return contacts


def import_source(config: Config, network: Network | Callable[[], Network], kind: SourceKind, spec: str, *,
                  since: Date | None = None, dry_run: bool = False, progress: Progress | None = None,
                  today: Date | None = None, once: bool = False) -> Result:
    """Import one source into the capture notes (or say what would change, with ``dry_run``).

    A source that cannot be read whole changes nothing: its read failed. Planned
    meetings a calendar stopped listing go only after a complete read of that
    calendar (the whole of it, no event skipped). Mail is read from where the
    last import of it ended; what was read is remembered only once its captures
    are written, and never for ``--since`` or ``--dry-run``.

    ``network`` may be given as a callable (with ``today``): it is then worked out
    only when there is something to store, so that a rescan of an unchanged
    mailbox reads the contacts' notes and nothing else.

    A chat source is read whole, unless ``once`` (the watcher's rescans): then
    each export in it is read once, as a mailbox is.
    """
    if kind == "mail" and not config.me:
        raise ConfigError(f'{CONFIG_NAME}: set me = ["you@example.com", ...] (your own addresses) '
                          "so that vaultnet knows which side of a message you are on")
    try:
        source = resolve(spec, config.root)
    except SourceError as err:
        read = Read(spec if not spec.startswith(("http:", "https:")) else "calendar address").fail(str(err))
        return Result(read, None)
    vault = _Lazy(network)
    if today is None:
        today = vault.get().today
    # A calendar is read whole and nearly always gives captures: work the vault out now. Mail often
    # has nothing new: its contacts' notes are enough to tell.
    lazy = kind == "mail" and not vault.built
    contacts = contacts_only(config) if lazy else vault.get().directory.contacts
    people = People(config, contacts)
    ledger = Ledger(config) if kind == "mail" or (kind == "chat" and once) else None
    read = read_source(config, people, today, kind, source, since=since, progress=progress, ledger=ledger,
                       contacts=contacts)
    if read.failed:
        return Result(read, None)
    captures, skipped = read.captures, 0
    complete = kind == "calendar" and since is None and not read.problems
    if not captures and not complete:
        outcome = Outcome()  # nothing new: no note need be read, nor the vault worked out
    else:
        if kind == "mail":
            captures, skipped = one_email_a_day(captures, known(config, vault.get().directory))
        outcome = store(config, vault.get().directory, captures, today,
                        sources=[read.source] if complete else [], dry_run=dry_run)
    if ledger is not None and read.mark is not None and since is None and not dry_run:
        ledger.put(source.identity, read.mark)
    return Result(read, outcome, skipped)


def configured(config: Config) -> list[tuple[SourceKind, str]]:
    return [*(("calendar", spec) for spec in config.capture.calendars),
            *(("mail", spec) for spec in config.capture.mail),
            *(("chat", spec) for spec in config.capture.chats)]


def signature(config: Config, spec: str, kind: SourceKind = "mail") -> tuple[object, ...] | None:
    """What tells a local source changed (size and times; a Maildir's folders, a chat folder's exports);
    None for addresses."""
    try:
        source = resolve(spec, config.root)
        if source.is_url:
            return None
        path = mailbox_file(source.path) if kind != "chat" else source.path
        if kind == "chat" and path.is_dir():
            from vaultnet.capture.chatimport import export_files

            paths = [file for file, _rel in export_files(path)]
        elif path.is_dir():  # a Maildir's cur/ and new/, else every folder of a folder of messages
            paths = ([folder / sub for folder in maildirs(path) for sub in ("cur", "new")]
                     or [Path(folder) for folder, _, _ in os.walk(path)])
        else:
            paths = [path]
        return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns, p.stat().st_ino) for p in paths if p.exists())
    except (SourceError, OSError):
        return None


def import_configured(config: Config, today: Date, network: Callable[[], Network],
                      seen: dict[str, object] | None = None) -> list[Result]:
    """Every ``[capture]`` source, as the watcher runs them on its rescan.

    ``network`` gives the people to match, worked out only when a source is read.

    ``seen`` (kept by the caller between runs) skips local sources unchanged since
    they were last imported with the same people: reading them again would find
    nothing new. A source read with a bad message or event counts as imported
    (the problem was reported; reading it again would only report it again).
    """
    sources = [(kind, spec) for kind, spec in configured(config) if kind != "mail" or config.me]
    if not sources:
        return []
    built = network()
    people = People(config, built.directory.contacts).digest()
    chat_people = ""
    if config.capture.chats:
        from vaultnet.capture.chatimport import settings_digest
        from vaultnet.capture.phonebook import Phonebook

        chat_people = settings_digest(Phonebook(built.directory.contacts, None), config.capture)
    signatures = {(kind, spec): signature(config, spec, kind) for kind, spec in sources}
    if seen is not None:
        sources = [(kind, spec) for kind, spec in sources if signatures[kind, spec] is None
                   or seen.get(f"{kind}:{spec}") != (signatures[kind, spec], today,
                                                     chat_people if kind == "chat" else people)]
    results = []
    for kind, spec in sources:
        result = import_source(config, built, kind, spec, once=True)
        if not is_address(spec):  # problems name the source as configured (two may share a name)
            result.read.problems = [dataclasses.replace(p, path=spec) for p in result.read.problems]
            result.read.shown = spec
        results.append(result)
        if kind == "chat":
            _log_chats(result.read)
        if seen is not None and result.outcome is not None:
            seen[f"{kind}:{spec}"] = (signatures[kind, spec], today, chat_people if kind == "chat" else people)
    return results


def _log_chats(read: Read) -> None:
    """What a chat source's read guessed, and the chats no note claims: said once, as the export is read once."""
    from vaultnet.capture.chatimport import ChatRead

    if isinstance(read, ChatRead):
        for line in read.said:
            log.info("%s", line)
        for unmatched in read.unmatched:
            log.info("a chat with no one in the vault: %s", unmatched.line())


def is_address(spec: str) -> bool:
    """Whether ``spec`` names a calendar address (never to be shown: it is a secret)."""
    return spec.strip().lower().startswith(("http:", "https:", "webcal:"))


def probe(config: Config) -> list[Problem]:
    """A problem for each ``[capture]`` source that cannot be opened (``check``)."""
    problems: list[Problem] = []
    for kind, spec in configured(config):
        try:
            source = resolve(spec, config.root)
            _probe(kind, source)
        except SourceError as err:
            problems.append(Problem(CONFIG_NAME, None, f"capture {kind} source {_named(spec)}: {err}"))
    if config.capture.mail and not config.me:
        problems.append(Problem(CONFIG_NAME, None, 'capture mail needs me = ["you@example.com"] (your own addresses)'))
    return problems


def _named(spec: str) -> str:
    return spec if not is_address(spec) else "(a calendar address)"


def _probe(kind: SourceKind, source: Source) -> None:
    if kind == "chat":
        from vaultnet.capture.chatimport import NOT_AN_EXPORT, export_kind

        if source.is_url:
            raise SourceError("chats are read from export files and folders, not an address")
        if not source.path.exists():
            raise SourceError("no such file or folder")
        if source.path.is_file() and export_kind(source.path) is None:
            raise SourceError(NOT_AN_EXPORT)
        return
    if kind == "calendar":
        from vaultnet.capture.calendar import (
            NOT_A_CALENDAR,
            Incomplete,
            check_whole,
            content_lines,
            looks_like_calendar,
        )

        data = read_calendar_bytes(source)
        if not looks_like_calendar(data):
            raise SourceError(NOT_A_CALENDAR)
        try:
            check_whole(content_lines(data))
        except Incomplete as err:
            raise SourceError(f"not a whole calendar: {err}") from None
        return
    try:
        kind_of(source.path)
    except OSError as err:
        raise SourceError(f"cannot read: {err.strerror or err}") from None
    except ValueError as err:
        raise SourceError(str(err)) from None
