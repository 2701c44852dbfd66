"""One open vault: the single pipeline that ``build``, ``plan``, ``index`` and ``watch`` share.

files → parsed notes (:class:`~vaultnet.notes.noteset.NoteSet`, warmed from the
persistent cache) → network (:func:`~vaultnet.standings.network.assemble`, with a memo of
what the last assembly worked out) → generated notes (:class:`~vaultnet.pipeline.build.Builder`)
→ the cache and fingerprint saved for the next run.

A batch build and the watcher run the same code; they differ only in which
paths they say changed: all of them (``changed=None``: walk the vault), or the
few an event named. Keeping one pipeline is what keeps an incremental result
equal to a fresh build.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar

from vaultnet.base.dates import Date
from vaultnet.base.errors import VaultnetError
from vaultnet.files.config import Config
from vaultnet.files.digests import counts_by_ticks, digest, note_digest
from vaultnet.files.generated import outputs, picture_rel
from vaultnet.files.writes import decode_text, read_bytes, remove_leftovers
from vaultnet.notes.noteset import UNKNOWN, UNREADABLE, Entry, NoteSet, Signature, VaultFile
from vaultnet.pipeline.cache import NoteCache
from vaultnet.pipeline.freshness import (
    Written,
    code_digest,
    content_record,
    fingerprint,
    known_by_content,
    settled_record,
    taken_in_as_built,
)

if TYPE_CHECKING:
    from vaultnet.advice.plan import PlanMemo
    from vaultnet.notes.note import Note
    from vaultnet.notes.relevance import FrontMatterFilter
    from vaultnet.pipeline.build import Builder
    from vaultnet.pipeline.evidencestore import EvidenceStore
    from vaultnet.pipeline.ticks import TickKeeper
    from vaultnet.standings.network import AssemblyMemo, Network

log = logging.getLogger(__name__)

T = TypeVar("T")

# (what, done, total): called while long work runs, so a terminal can show it.
Progress = Callable[[str, int, int], None]


def trim_note(note: Note, config: Config) -> Note:
    """What a note keeps in memory, decided once as its entry is made.

    A note that can count for nothing (no line with a link, a task or a log
    entry; no person; no attendees) keeps no properties: thirty thousand notes
    need not hold their front matter. A note in a people folder keeps them,
    since they are what says it is no person. Its body tags go too, so that
    without its properties it is still no person. The note is trimmed in place, as
    :meth:`Note.compact` leaves it: it was just parsed, and nothing else holds it yet.
    """
    from vaultnet.evidence.people import keeps_properties

    if not keeps_properties(note, config):
        note.meta, note.key_lines, note.inline, note.body_tags = {}, {}, {}, ()
    return note


def reading_settings(config: Config) -> tuple[object, ...]:
    """The settings a parsed and trimmed note depends on: which front matter is loaded
    (``front_filter``), which body tags are kept and what the trim keeps (``trim_note``)."""
    return (config.people_configured, config.people, config.people_folder_names, config.person_tags,
            config.person_type, config.person_properties, config.person_values, sorted(config.fields.items()),
            config.not_people, config.date_properties, config.attendee_properties, config.templates_folders)


def front_filter(rel: str, config: Config) -> FrontMatterFilter | None:
    """Front matter that cannot matter is not loaded, except in a people folder (see ``notes.parse_note``)."""
    from vaultnet.evidence.people import people_folder
    from vaultnet.notes.relevance import front_matter_filter

    return None if people_folder(rel, config) is not None else front_matter_filter(config)


class Session:
    """A vault opened once and kept current by the paths that change.

    ``remember=False`` is for one-off commands: nothing is reused, so the
    memo keeps nothing (thirty thousand notes' evidence is memory a single
    run never reads twice).
    """

    def __init__(self, config: Config, *, remember: bool = True, progress: Progress | None = None) -> None:
        self.config = config
        self.cache = NoteCache(config, lasting=remember)
        self._ticks: TickKeeper | None = None
        self.notes = NoteSet(config, trim=lambda note: trim_note(note, config),
                             front_filter=lambda rel: front_filter(rel, config), digest=self._digest,
                             replaced=self._replaced)
        self.remember = remember
        self._memo: AssemblyMemo | None = None
        self._store: EvidenceStore | None = None
        self._builds = False  # this session builds: it writes the evidence store as well as reading it
        self._plan_memo: PlanMemo | None = None
        self.progress = progress
        self._opened = False
        self.settle_ticks = False  # a watcher's session: see Builder.settle_ticks
        self.pending = False  # the last build left a ticked follow-up for a build soon after
        # What the last build found, saved with its fingerprint for the read commands (see `as_built`).
        self.summary: dict[str, int | str] = {}
        self._worked_out: dict[object, tuple[object, int]] = {}  # see `memoised`, `_own_notes_read`
        self._worked_bytes = 0
        self._walked: dict[str, tuple[VaultFile, Signature]] | None = None  # see `walk`
        self._record: dict[str, Any] | None | bool = False  # see `last_record`: False until read
        self._read_from: dict[str, int] = {}  # see `_standing_in`: vaultnet's notes' bytes as read (a digest)

    MEMOISED = 64  # things kept at most (the oldest goes first)...
    MEMOISED_BYTES = 16 * 2**20  # ... and as many bytes of answers (the oldest answer goes first)
    # An answer this large (a large vault's `status --json` is 9 MB) is kept only until something else is worked out:
    # asked again at once (a script polling it) it costs nothing, and the next answer's own peak is not on top of it.
    LARGE = 4 * 2**20

    def memoised(self, key: object, work_out: Callable[[], T], size: Callable[[T], int] = lambda value: 0) -> T:
        """``work_out()``, kept for as long as no note changes (a session that remembers; else worked out anew).

        What a watcher answers from: the same question asked again while the
        vault stays as it is costs nothing the second time. ``size`` tells how
        many bytes a value holds that nothing else does (an answer's text).
        What holds no bytes of its own (the network, a plan) goes only when
        more than ``MEMOISED`` things are kept: it is what every answer starts from.
        """
        if not self.remember:
            return work_out()
        if key not in self._worked_out:
            self._let_go(lambda kept: kept >= self.LARGE)
            value = work_out()
            self._worked_out[key] = (value, size(value))
            self._worked_bytes += self._worked_out[key][1]
            while len(self._worked_out) > self.MEMOISED:
                self._forget(next(iter(self._worked_out)))  # the oldest; never the one just worked out
            self._let_go(lambda kept: kept > 0 and self._worked_bytes > self.MEMOISED_BYTES, keep=key)
        return self._worked_out[key][0]  # type: ignore[return-value]

    def _let_go(self, gone: Callable[[int], bool], keep: object = None) -> None:
        """Forget, oldest first, what ``gone`` says of its size (but ``keep``)."""
        for key, (_, kept) in list(self._worked_out.items()):
            if key != keep and gone(kept):
                self._forget(key)

    def _forget(self, key: object) -> None:
        self._worked_bytes -= self._worked_out.pop(key)[1]

    def _changed(self) -> None:
        self._worked_out.clear()
        self._worked_bytes = 0

    @property
    def memo(self) -> AssemblyMemo:
        """What the last assembly worked out; made with the first one (a warm build makes none)."""
        if self._memo is None:
            from vaultnet.standings.network import AssemblyMemo

            # A long-lived session (the watcher's) keeps every note's evidence in memory from its first
            # build on: the store is for the commands that start from nothing (its connection, page
            # cache and rows read would be megabytes on top of the watcher's peak).
            self._memo = AssemblyMemo(remember=self.remember, stored=None if self.remember else self._evidence)
        return self._memo

    @property
    def _evidence(self) -> EvidenceStore:
        """Each note's evidence as the last process left it (opened with the first row asked for)."""
        if self._store is None:
            from vaultnet.pipeline.evidencestore import EvidenceStore

            self._store = EvidenceStore(self.config, self._entry_digest, code_digest())
            self._store.writing = self._builds
        return self._store

    def _entry_digest(self, note: Note) -> int | None:
        """The digest of the file ``note`` was read from; None for a note that stands in for its file."""
        entry = self.notes.entries.get(note.rel)
        return entry.digest if entry is not None and entry.note is note else None

    @property
    def plan_memo(self) -> PlanMemo | None:
        """What the last plan worked out, for the next (None when nothing is reused)."""
        if self._plan_memo is None and self.remember:
            from vaultnet.advice.plan import PlanMemo

            self._plan_memo = PlanMemo()
        return self._plan_memo

    def reconfigured(self, config: Config) -> Session:
        """A session for new settings that keeps the notes already read (re-checked by a scan).

        Only while they would be read the same way: a note read under other people
        settings may lack the front matter that now makes it a person, so then every
        note is read again, as a fresh build would read it.
        """
        session = Session(config, remember=self.remember, progress=self.progress)
        session._ticks = self._ticks
        session.settle_ticks = self.settle_ticks
        if reading_settings(config) == reading_settings(self.config):
            session.notes.entries = dict(self.notes.entries)
            session._read_from = dict(self._read_from)
        session._opened = True
        session.refresh()
        return session

    # -- files → notes -----------------------------------------------------

    @property
    def ticks(self) -> TickKeeper:
        """What this session saw of the ticks in vaultnet's notes (made when the first note is read)."""
        if self._ticks is None:
            from vaultnet.pipeline.ticks import TickKeeper

            self._ticks = TickKeeper(self.config)
        return self._ticks

    def _digest(self, rel: str, data: bytes) -> int:
        """What a note read gives a build (see :mod:`vaultnet.files.digests`); a generated note's stamp is kept,
        and what its bytes were (see ``_standing_in``)."""
        self.ticks.read(rel, data)
        if counts_by_ticks(self.config, rel):
            self._read_from[rel] = digest(rel, data)
        return note_digest(self.config, rel, data)

    def _replaced(self, rel: str, old: Entry | None, new: Entry) -> None:
        self.ticks.replaced(rel, old, new)

    def _open(self) -> None:
        """Start from the notes the persistent cache holds: only what changed since is read."""
        if not self._opened:
            # Where each line lies only for a one-off build, the one session that saves soon after loading (a
            # read command never saves; a watcher saves minutes later, when the file may be another process's).
            self.notes.entries = self.cache.load_entries(copyable=self._builds and not self.remember,
                                                         reread=self.notes.read_note)
            self._opened = True

    def refresh(self, changed: Iterable[str] | None = None) -> bool:
        """Re-read the notes: every one (``None``) or those the vault-relative paths name.

        True when any note's content changed.
        """
        self._open()
        with self._own_notes_read():
            if changed is None:
                walked, self._walked = self._walked, None
                found = self.notes.scan(walked, progress=self._reading)
            else:
                found = False
                for rel in sorted(set(changed)):
                    found = self.notes.update(rel) or found
        if found:
            self._changed()
        return found

    @contextlib.contextmanager
    def _own_notes_read(self) -> Iterator[None]:
        """Within, notes are read: what was worked out is let go when one of vaultnet's own notes is read with
        other bytes, even with the same ticks (its digest): what is worked out from it holds its lines' numbers."""
        before = dict(self._read_from)
        yield
        if self._read_from != before:
            self._changed()

    def _reading(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress("reading notes", done, total)

    # -- notes → network ---------------------------------------------------

    def network(self, today: Date, overrides: Mapping[str, bytes] | None = None) -> Network:
        """The vault as of ``today``; ``overrides`` stand in for files' contents (a plan stamped in memory)."""
        if not self._opened:
            self.refresh()
        from vaultnet.standings.network import (
            assemble,  # the core, imported by the first assembly: a warm build makes none
        )

        overrides = self._standing_in(overrides or {})

        def work_out() -> Network:
            network = assemble(self.config, today, *self.notes.contents(overrides), memo=self.memo)
            if self._store is not None:
                self._store.commit()  # the evidence worked out, for the next command
            return network

        return work_out() if overrides else self.memoised(("network", today), work_out)

    def _standing_in(self, overrides: Mapping[str, bytes]) -> dict[str, bytes]:
        """The overrides that hold something else than their note as read.

        A plan that is only rendered (``plan --stdout`` in a watcher) stands in
        for its note with the bytes it was read from: the network is then the
        one worked out already, not a second one assembled from the same notes
        (a second of work and megabytes on a large vault).
        """
        return {rel: data for rel, data in overrides.items()
                if not ((read := self._read_from.get(rel)) is not None and read == digest(rel, data)
                        and (entry := self.notes.entries.get(rel)) and entry.note is not None
                        and entry.digest == note_digest(self.config, rel, data))}

    def builder(self, today: Date, write: bool = True, seen_on: Date | None = None) -> Builder:
        """A run of ``build``, ``plan`` or ``index`` as of ``today``; one that only renders (``write=False``)
        is kept while nothing changes, with the plan it prepared (see ``memoised``)."""
        from vaultnet.pipeline.build import Builder

        def make() -> Builder:
            return Builder(self.config, today, self.notes, lambda overrides: self.network(today, overrides),
                           self.plan_memo, write=write, seen_on=seen_on, ticks=self.ticks,
                           previous_form=self.last_form(),
                           settle_ticks=self.settle_ticks and write)  # rendering only: as a command would

        return make() if write else self.memoised(("builder", today, seen_on or today), make)

    # -- network → generated notes -----------------------------------------

    def outputs(self, today: Date) -> list[str]:
        return outputs(self.config, today)

    def build(self, today: Date, changed: Iterable[str] | None = None) -> list[Written]:
        """Bring every generated note up to date after ``changed`` (None: anything may have).

        A batch build (``changed=None``) walks the vault once; when nothing a
        build reads changed since the last one (the fingerprint), the notes are
        current already and nothing else is done. It then saves the cache. The
        watcher names the paths it saw change and saves the cache itself, at
        start: rewriting thirty thousand entries after every edit would be
        most of an incremental build.
        """
        whole = changed is None
        self._builds = True  # a build keeps each note's evidence for the commands after it
        if self._store is not None:
            self._store.writing = True
        if whole:
            stats = self.notes.stat_all()
            for rel in remove_leftovers(self.config.root, self.notes.leftovers):
                log.info("removed %s, left by a vaultnet run that was killed", rel)
            if self.last_build(today, stats, refresh=True) is not None:
                log.info("nothing changed since the last build")
                return [Written(rel, False) for rel in self.outputs(today)]
            self._open()
            self.notes.scan(stats, progress=self._reading)
        else:
            self.refresh(changed)
        if self.progress is not None:
            self.progress("building", 0, 1)
        builder = self.builder(today)
        results = builder.build()
        self.pending = builder.pending
        if builder.network is not None:
            self.summary = {"contacts": len(builder.network.standings), "problems": len(builder.network.problems),
                            "form": builder.form}
        results = self.take_in(results)
        if whole:
            self.save(today, results)
        if self.progress is not None:
            self.progress("building", 1, 1)
        return results

    def last_build(self, today: Date, stats: Mapping[str, tuple[object, Signature]] | None = None,
                   refresh: bool = False) -> dict[str, Any] | None:
        """What the last build saved, when nothing a build reads changed since: its notes are current.

        vaultnet's own notes must also be the bytes that build read back: the
        fingerprint knows them by their ticks alone, and a line written into a
        plan, or a tick's date left behind by an untick, can make one a note
        that a build writes anew (its stamp is no longer this vault's) or one
        it leaves as it is but never read (``plan --stdout`` could not print
        it as built). Then a build reads the vault, and records it as it is.

        With ``refresh`` (a build, never a read-only command), the notes the last
        build read too soon after a change, found unchanged and since grown old
        enough, are known by their signatures again: later warm builds need not
        read them.
        """
        if not (self.config.root / picture_rel(self.config)).is_file():
            return None
        record = self.last_record()
        if record is None:
            return None
        stats = self.walk() if stats is None else stats
        signatures = {rel: signature for rel, (_, signature) in stats.items()}
        by_content = self._as_recorded(today, record, signatures)
        if by_content is None:
            return None
        if refresh:
            content, by_content = settled_record(self.config, signatures, _content(record), by_content)
            if content is not None:
                summary: dict[str, Any] = {key: record[key] for key in ("contacts", "problems", "form", "generated")
                                           if key in record}
                self._save_fingerprint(fingerprint(self.config, today, signatures, by_content), summary, content)
        return record

    def matches(self, today: Date, record: Mapping[str, Any]) -> bool:
        """True when ``record`` (a fingerprint and the notes it knows by content, see ``read_state``) is
        the vault as it is now: one walk, no note read."""
        signatures = {rel: signature for rel, (_, signature) in self.walk().items()}
        return record.get("form") == self.last_form() and self._as_recorded(today, record, signatures) is not None

    def _as_recorded(self, today: Date, record: Mapping[str, Any], signatures: Mapping[str, Signature]) \
            -> dict[str, int] | None:
        """The digests of the notes known by content, when ``record`` is the vault as it is now: its fingerprint,
        and vaultnet's own notes as read (see ``_generated``); None when it is not."""
        by_content = known_by_content(self.config, signatures, _content(record))
        if record.get("fingerprint") != fingerprint(self.config, today, signatures, by_content) \
                or not self._generated_as(record.get("generated"), signatures):
            return None
        return by_content

    def last_record(self) -> dict[str, Any] | None:
        """What the last build recorded (``build.json``): read once by a one-off session, every time by a
        long-lived one (another process's build may write it meanwhile)."""
        if self.remember or self._record is False:
            self._record = self.cache.last_record()
        return self._record  # type: ignore[return-value]

    def _save_fingerprint(self, fingerprint: str, summary: Mapping[str, Any], content: Mapping[str, Any]) -> None:
        self.cache.save_fingerprint(fingerprint, summary, content)
        self._record = False  # read again when next asked

    def walk(self) -> dict[str, tuple[VaultFile, Signature]]:
        """Every note's signature, from one walk of the vault: kept for the read that follows (``refresh``),
        so that a command that checks what it saved, then reads the vault after all, walks it once."""
        if self.remember:
            return self.notes.stat_all()  # a long-lived session (a watcher's): a walk kept would go stale
        if self._walked is None:
            self._walked = self.notes.stat_all()
        return self._walked

    def read_state(self, today: Date) -> dict[str, Any] | None:
        """The fingerprint of the notes this session read (with those it knows by content), and the form
        this device's last build wrote in (what a rendering leaves alone depends on it), for ``matches``;
        None when it read none (it answered from a build's notes)."""
        if not self._opened:
            return None
        found, content = self._read_fingerprint(today)
        return {"fingerprint": found, "content": content, "form": self.last_form(), "generated": self._generated()}

    def _generated(self) -> dict[str, list[Any]] | None:
        """vaultnet's own notes as read: each one's signature, or the digest of its bytes when it was read too soon
        after a change to be known by its times (None: such a note this session did not read).

        The fingerprint knows them by their ticks alone, but a rendered plan or
        index keeps the rest of the note as it is when nothing else changes
        (``plan --stdout`` prints it): an answer is for those bytes.
        """
        generated: dict[str, list[Any]] = {}
        for rel, entry in self.notes.entries.items():
            if counts_by_ticks(self.config, rel):
                if not (entry.racy or entry.signature in (UNKNOWN, UNREADABLE)):
                    generated[rel] = [list(entry.signature), None]
                elif (read := self._read_from.get(rel)) is not None:
                    generated[rel] = [None, f"{read:x}"]
                else:
                    return None
        return generated

    def _generated_as(self, saved: object, signatures: Mapping[str, Signature]) -> bool:
        """True when vaultnet's own notes are the ones ``saved`` (see ``_generated``) says: by their signatures,
        or by their bytes when they were read too soon after a change (a few small files)."""
        if not isinstance(saved, dict):
            return False
        if set(saved) != {rel for rel in signatures if counts_by_ticks(self.config, rel)}:
            return False
        for rel, kept in saved.items():
            if not (isinstance(kept, list) and len(kept) == 2):
                return False
            if kept[0] is not None:
                if kept[0] != list(signatures[rel]):
                    return False
                continue
            try:
                data = read_bytes(self.config.root / rel)
            except (OSError, VaultnetError):
                return False
            if data is None or f"{digest(rel, data):x}" != kept[1]:
                return False
        return True

    def _read_fingerprint(self, today: Date) -> tuple[str, dict[str, list[Any]]]:
        """The fingerprint of the notes as read, and the record of those it knows by content."""
        digests, content = content_record(self.config, self.notes.entries)
        return fingerprint(self.config, today, self.notes.signatures(), digests), content

    def last_form(self) -> str | None:
        """The form this device's last build wrote its notes in (see :func:`vaultnet.pipeline.build.form_of`)."""
        form = (self.last_record() or {}).get("form")
        return form if isinstance(form, str) else None

    def take_in(self, results: list[Written]) -> list[Written]:
        """What the build wrote is a note too (its ticks count): read it back. The results, each with the
        bytes read back when they were the build's own (the watcher knows its own output by them).

        A note someone wrote over meanwhile (a tick saved while the build ran,
        a sync's newer version) is held as the build wrote it, to be read again
        at the next look (the watcher's event, the next build's walk), which
        then sees the other bytes as a change: the ticks the build dated are
        the ones a sync can be seen to drop (see :class:`~vaultnet.pipeline.ticks.TickKeeper`).
        """
        taken: list[Written] = []
        with self._own_notes_read():
            for result in results:
                if result.taken_in and not result.error and result.text is not None:
                    changed, data = self.notes.read_back(result.rel, result.text)
                    if changed:
                        self._changed()
                    result = replace(result, read_back=data)
                # else left alone, or holding ticks the build did not count: the next look reads it
                taken.append(result)
        return taken

    def save(self, today: Date, results: Iterable[Written]) -> None:
        """Save the notes read; the fingerprint only when every generated note is as this build left it."""
        self.cache.save_entries(self.notes.entries)
        if self._store is not None:  # a build's session used it: drop the rows of notes gone since
            self._store.prune(self.notes.entries)
        if all(taken_in_as_built(self.config, result) for result in results):
            found, content = self._read_fingerprint(today)
            self._save_fingerprint(found, {**self.summary, "generated": self._generated()}, content)


def _content(record: Mapping[str, Any]) -> dict[str, Any]:
    """The notes a record knows by content (see :func:`~vaultnet.pipeline.freshness.known_by_content`)."""
    saved = record.get("content")
    return saved if isinstance(saved, dict) else {}


@dataclass(frozen=True, slots=True)
class AsBuilt:
    """A generated note as the last build left it, and what that build found."""

    text: str  # LF line endings, no BOM: as a build renders it
    contacts: int
    problems: int


def as_built(config: Config, today: Date, rel: str) -> AsBuilt | None:
    """The generated note ``rel`` when nothing a build reads changed since the last build, else None.

    Then the note is what ``plan --stdout`` or ``index --stdout`` would render
    (a build renders the same notes from the same files), so printing it is a
    walk and a fingerprint check, as a warm build is. None whenever the answer
    needs the network: a changed vault, a build that saved no summary, or a
    vault without contacts (whose message names what the walk saw).
    """
    if (session := serving()) is not None and session.remember:
        return None  # a watcher's answer: worked out from what it holds, no walk
    built = one_off(config).last_build(today)  # the command's own session: a walk it made already is reused
    if built is None or not isinstance(built.get("problems"), int) or not isinstance(built.get("contacts"), int) \
            or built["contacts"] == 0:
        return None
    data = read_bytes(config.root / rel)
    if data is None:
        return None
    try:
        return AsBuilt(decode_text(data), built["contacts"], built["problems"])
    except UnicodeDecodeError:
        return None


def build_vault(config: Config, today: Date, progress: Progress | None = None) -> list[Written]:
    """``vaultnet build`` with the persistent cache (see :meth:`Session.build`).

    Here rather than in :mod:`vaultnet.pipeline.build`: a warm build stops after the
    fingerprint check, and importing this module costs only that check.
    """
    return Session(config, remember=False, progress=progress).build(today)


def build_network(config: Config, today: Date, overrides: Mapping[str, bytes] | None = None) -> Network:
    """Read the vault and work out every contact's standing as of ``today``.

    ``overrides`` stands in for files' contents (a plan stamped in memory).
    The cache is read, never written: read-only commands leave the vault as it is.
    """
    return one_off(config).network(today, overrides)


_serving: ContextVar[Session | None] = ContextVar("serving", default=None)


def serving() -> Session | None:
    """The session a command's answer is worked out with, when one is set (see ``answering_with``)."""
    return _serving.get()


@contextlib.contextmanager
def answering_with(session: Session) -> Iterator[None]:
    """Within: every one-off session of a command is ``session``: the watcher's own, when it answers
    a command with what it holds; or the command's, read once, whose state its saved answer records."""
    token = _serving.set(session)
    try:
        yield
    finally:
        _serving.reset(token)


def one_off(config: Config, progress: Progress | None = None) -> Session:
    """The session a command works with: the one set by ``answering_with`` when it reads the same
    vault the same way; else a fresh one that remembers nothing."""
    session = serving()
    if session is not None and session.config.root == config.root and session.config == config:
        if progress is not None and not session.remember:
            session.progress = progress  # a command's own session: its terminal shows the reading
        return session
    return Session(config, remember=False, progress=progress)
