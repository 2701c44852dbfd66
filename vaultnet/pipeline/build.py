"""Writing the generated notes: keep and date the ticks, work out, render, merge, stamp, write safely.

A generated note is written only when its text changes, and never over a note
that another device built for a later day or from the same synced inputs
(:mod:`vaultnet.output.stamps`): two devices on one vault converge and then
stay quiet, whatever their time zones, templates or local state.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vaultnet.advice import rolechanges
from vaultnet.advice.plan import Plan, build_plan, follow_up_key
from vaultnet.base.dates import Date, iso_week
from vaultnet.base.errors import VaultnetError
from vaultnet.base.sections import KEY_IN_LINE
from vaultnet.edits.completion import complete_follow_ups
from vaultnet.files.config import STATE_DIR, Config
from vaultnet.files.copies import copies_beside, copy_original, nfc
from vaultnet.files.digests import combine, digest, note_digest, short
from vaultnet.files.generated import index_rel, memory_rel, picture_rel, plan_rel
from vaultnet.files.writes import Edited, WriteConflict, decode_text, edit_note, edit_text, read_bytes
from vaultnet.output import memory as memory_note
from vaultnet.output.calendar_svg import contact_calendar
from vaultnet.output.regions import combined, merge_items, split, user_items
from vaultnet.output.render import INDEX_TEMPLATE, PLAN_TEMPLATE, index_context, plan_context, render
from vaultnet.output.stamps import Stamp, found, leave_alone, unstamped, with_stamp
from vaultnet.pipeline.freshness import Written, code_digest, settings_digest
from vaultnet.pipeline.ticks import copies_of, tick_day, upkeep
from vaultnet.standings.network import Network

if TYPE_CHECKING:
    from vaultnet.advice.plan import PlanMemo
    from vaultnet.notes.noteset import NoteSet
    from vaultnet.pipeline.ticks import TickKeeper

log = logging.getLogger(__name__)


def _existing_text(config: Config, rel: str) -> tuple[bytes | None, str | None]:
    data = read_bytes(config.root / rel)
    if data is None:
        return None, None
    try:
        return data, decode_text(data)
    except UnicodeDecodeError:
        raise VaultnetError(f"{rel}: not valid UTF-8; vaultnet will not overwrite it") from None


def stamp_plan(config: Config, today: Date, rel: str, write: bool, copies: Mapping[str, str] | None = None,
               lost: Mapping[str, str] | None = None) -> dict[str, bytes]:
    """Keep every tick of a plan and date the undated ones (see :mod:`vaultnet.pipeline.ticks`).

    Ticks in ``copies`` (the texts of the plan's sync conflict copies) and the
    ``lost`` ones a newer version dropped are put back; git conflict markers
    in the plan's region are resolved, keeping both sides' ticks; a ticked item
    without a date gets ``✅`` the day the plan was last saved here (never after
    ``today``). Returns the note as an override for reading the vault, so the
    ticks count at once; writing commands also write it, read-only ones never
    do. The note is returned even when nothing needed doing: the ticks counted
    are then the ones it has now, not the ones an earlier scan of the vault saw
    (another build may have stamped them since).
    """
    day = tick_day(config, rel, today)
    done: list[dict[str, str]] = []

    def kept(text: str | None) -> str | None:
        if text is None:
            return None
        found_upkeep = upkeep(text, rel, day, copies or {}, lost or {})
        done[:] = [found_upkeep.put_back] if found_upkeep is not None else []
        return found_upkeep.text if found_upkeep is not None else None

    edited = _edit(config, rel, kept, write)
    if edited.after is None:
        return {}
    if edited.changed:
        log.info("kept and dated the ticked items in %s", rel)
        for key, where in (done[0] if done else {}).items():
            log.info("%s: put back the tick %s from %s", rel, key, where)
    return {rel: edited.after}


def _edit(config: Config, rel: str, transform: Callable[[str | None], str | None], write: bool) -> Edited:
    try:
        return edit_text(config.root, rel, transform, write=write)
    except VaultnetError as err:
        if "not valid UTF-8" in str(err):
            raise VaultnetError(f"{rel}: not valid UTF-8; vaultnet will not overwrite it") from None
        raise


def write_generated(config: Config, rel: str, produce: Callable[[], str], keep_ticks: bool, write: bool = True,
                    stamp: Stamp | None = None, previous_form: str | None = None,
                    counted: str | None = None) -> tuple[str, bool]:
    """Render and write one generated note, keeping what lies outside its markers.

    Returns the note's full text and whether it was written. An edit made while
    rendering is never overwritten: the note is re-read and merged again. With
    a ``stamp``, the note carries it, and a note on disk that
    :func:`~vaultnet.output.stamps.leave_alone` says stays, stays as it is.
    ``counted`` is the note as the build counted its ticks: they are kept even
    when a sync replaced the note meanwhile with a version without them.
    """
    full: list[str] = []

    def merged(text: str | None) -> str | None:
        rendered = produce()
        _, region, _ = split(rendered, f"template for {rel}")
        if text is None:
            result = rendered if stamp is None else _stamped_whole(rendered, region, stamp, rel)
        else:
            before, old_region, after = split(text, rel)
            if keep_ticks:
                versions = [old_region] if counted is None else [old_region, split(counted, rel)[1]]
                region = merge_items(region, combined(*versions))
            if stamp is not None:
                if unstamped(region) == unstamped(old_region) or leave_alone(found(old_region), stamp, previous_form):
                    full[:] = [text]  # it stays; a run that only renders (--stdout) shows what it would write
                    return None
                region = with_stamp(region, stamp)
            result = before + region + after
        full[:] = [result]
        return result

    edited = _edit(config, rel, merged, write)
    return full[0], edited.changed


def _stamped_whole(rendered: str, region: str, stamp: Stamp, rel: str) -> str:
    before, _, after = split(rendered, f"template for {rel}")
    return before + with_stamp(region, stamp) + after


def form_of(config: Config) -> str:
    """The form this device writes generated notes in: vaultnet's code and the vault's own templates (8 hex digits)."""
    found_digest = hashlib.sha256(code_digest().encode())
    templates = config.root / STATE_DIR / "templates"
    if templates.is_dir():
        for path in sorted(templates.rglob("*")):
            try:
                if path.is_file():
                    found_digest.update(path.relative_to(templates).as_posix().encode() + b"\0" + path.read_bytes())
            except OSError:
                continue
    return found_digest.hexdigest()[:8]


@dataclass(frozen=True)
class Prepared:
    """This week's plan worked out, with the plan note's text whose ticks the network counted."""

    network: Network
    plan: Plan
    rel: str
    ticks_read_from: str | None  # the plan note as stamped and read; None when there was none


class Builder:
    """One run of ``index``, ``plan`` or ``build`` as of ``today``; ``write=False`` only renders.

    It is handed what it works from by its session (:meth:`vaultnet.pipeline.session.Session.builder`):
    the notes read, a way to work out the network with some files' contents
    replaced (a plan stamped in memory), the memo of the last plan, what the
    session saw of the ticks (to put back those a sync dropped) and the form
    this device last wrote its notes in.
    """

    def __init__(
        self, config: Config, today: Date, notes: NoteSet, network: Callable[[Mapping[str, bytes]], Network],
        plan_memo: PlanMemo | None = None, *, write: bool = True, seen_on: Date | None = None,
        ticks: TickKeeper | None = None, previous_form: str | None = None, settle_ticks: bool = False,
    ) -> None:
        self.config = config
        self.today = today
        self.seen_on = seen_on or today  # the real day, when planning another week: changes are dated by it
        self.write = write
        self.notes = notes
        self._work_out = network
        self.plan_memo = plan_memo
        self.ticks = ticks
        self.previous_form = previous_form
        self.completed: dict[str, bytes] = {}  # notes whose follow-ups this run completed
        self.stamped: dict[str, bytes] = {}  # other weeks' plans whose ticks this run stamped
        self.remembered: dict[str, bytes] = {}  # the memory note, when this run wrote it
        self.problems: list[VaultnetError] = []  # follow-ups that could not be completed, and why
        self.network: Network | None = None  # what the last build() worked out
        self.overrides: dict[str, bytes] = {}  # every file's content as this run left it (or would)
        self._stamp: Stamp | None = None
        # A watcher completes a ticked follow-up only once its tick's date was on disk before the build
        # (its own stamp, or another device's): two watchers that stamped one tick at once, each with
        # its own day, first agree on the earliest (the sync's conflict copy of the plan holds the
        # other) and then write the same line. A command run by hand completes at once.
        self.settle_ticks = settle_ticks
        self.pending = False  # a ticked follow-up waits for its tick's date to settle: build again soon
        self.counted: dict[str, str] = {}  # this week's plan as its ticks were counted
        self._prepared: Prepared | None = None

    def _network(self, overrides: Mapping[str, bytes]) -> Network:
        self.overrides = {**self.overrides, **overrides}
        return self._work_out(self.overrides)

    # -- what the generated notes say they were built from -----------------------------

    @functools.cached_property
    def form(self) -> str:
        return form_of(self.config)

    def stamp(self) -> Stamp:
        """Which day, from which synced inputs and in which form this run builds (worked out once a run)."""
        if self._stamp is None:
            self._stamp = Stamp(self.today, short(self.inputs()), self.form)
        return self._stamp

    def inputs(self) -> int:
        """The digest of every synced input as this run reads it: the notes (as stamped, completed and
        remembered in this run) and the settings; never the cache, the templates or the time zone."""
        total = combine(entry.digest for entry in self.notes.entries.values())
        for rel, data in self.overrides.items():
            entry = self.notes.entries.get(rel)
            if entry is not None:
                total ^= entry.digest
            total ^= note_digest(self.config, rel, data)
        return total ^ digest("\0settings", settings_digest(self.config).encode())

    # -- ticks -------------------------------------------------------------------------

    def prepare_plan(self) -> tuple[Network, Plan, str]:
        """Stamp ticks, complete ticked follow-ups, then work out the network and the plan.

        A run that only renders works it out once: asked again (a watcher
        answering ``plan --stdout`` after ``today``), it gives the same plan.
        """
        if self.write or self._prepared is None:
            self._prepared = self.prepare()
        prepared = self._prepared
        return prepared.network, prepared.plan, prepared.rel

    @functools.cached_property
    def _generated(self) -> list[str]:
        """The paths of vaultnet's notes among the notes read (once a run: thirty thousand paths)."""
        return list(self.notes.under(self.config.output + "/"))

    def _generated_paths(self) -> list[str]:
        return [rel for rel in self._generated if rel in self.notes.entries]

    def keep_ticks(self, rel: str, write: bool) -> dict[str, bytes]:
        """Keep and date every tick of the plan ``rel``: from its conflict copies, from git's other side,
        and those a newer version dropped (see :func:`stamp_plan`)."""
        copies: dict[str, str] = {}
        for copy in copies_of(rel, self._generated_paths()):
            data = read_bytes(self.config.root / copy)
            if data is not None:
                try:
                    copies[copy] = decode_text(data)
                except UnicodeDecodeError:
                    continue
        lost = self.ticks.take(rel) if write and self.ticks is not None else {}
        return stamp_plan(self.config, self.today, rel, write, copies, lost)

    def _ticked_network(self, rel: str, write: bool) -> tuple[Network, dict[str, bytes]]:
        """The network with this week's ticks kept and dated first, then those of other weeks' plans."""
        overrides = self.keep_ticks(rel, write)
        network = self._network(overrides)
        earlier = self.stamp_earlier_plans(rel, write)
        if earlier:
            overrides = {**overrides, **earlier}
            network = self._network(overrides)
        return network, overrides

    def stamp_earlier_plans(self, this_week: str, write: bool) -> dict[str, bytes]:
        """Keep the ticks of other weeks' plans: undated ones (ticked on Sunday, built on Monday), those
        in conflict copies and those a newer version dropped.

        Without a date such a tick would never count (a plan note has no date of
        its own), and the next week's plan would ask for the same thing again.
        """
        before, after = plan_rel(self.config, "\0").split("\0")
        paths = self._generated_paths()
        present = {nfc(rel) for rel in paths}
        stamped: dict[str, bytes] = {}
        for rel in paths:
            entry = self.notes.entries[rel]
            if rel == this_week or entry.note is None or not (rel.startswith(before) and rel.endswith(after)):
                continue
            if copy_original(rel, present) is not None:
                continue  # a copy: its ticks go into its plan
            undated = any(line.done and not (line.done_date or line.leading_date) for line in entry.note.countable())
            if undated or copies_of(rel, paths) or (self.ticks is not None and rel in self.ticks.lost):
                stamped.update(self.keep_ticks(rel, write))
        if write:
            self.stamped.update(stamped)
        return stamped

    def prepare(self) -> Prepared:
        rel = plan_rel(self.config, iso_week(self.today))
        network, overrides = self._ticked_network(rel, self.write)
        if self.complete_follow_ups(network):
            network = self._network({**overrides, **self.completed})
        remembered = memory_note.load(self.config)
        observe = self.plan_memo.observe if self.plan_memo is not None else rolechanges.observe
        memory = observe(remembered, (s.contact for s in network.standings), self.seen_on)
        # Ten thousand contacts: nothing to write when nothing changed (once the memory is a note of the vault).
        changed = memory != (remembered or rolechanges.Memory({})) or memory_note.has_copies(self.config) or (
            (memory.seen or memory.changes) and not memory_note.exists(self.config))
        if self.write and changed:
            saved = memory_note.save(self.config, memory)
            if saved is not None:
                self.overrides[memory_rel(self.config)] = self.remembered[memory_rel(self.config)] = saved
        plan = build_plan(network, self.today, rel, memory, self.plan_memo)
        if rel in overrides:
            self.counted[rel] = decode_text(overrides[rel])
        return Prepared(network, plan, rel, self.counted.get(rel))

    def complete_follow_ups(self, network: Network) -> bool:
        """Tick, in its own note, each open follow-up whose plan item was ticked (in any week's plan).

        It is completed with the day its plan item was ticked (the earliest, when
        ticked in several versions of the plan), never this device's today.
        """
        ticked_on: dict[str, Date] = {}
        for item in network.evidence.interactions:
            if item.source == "plan" and item.key and (item.key not in ticked_on or item.date < ticked_on[item.key]):
                ticked_on[item.key] = item.date
        settled = self._dated_on_disk() if self.settle_ticks else set()
        by_note: dict[str, list[tuple[int, str, Date]]] = {}
        for task in network.evidence.follow_ups:
            key = follow_up_key(task)
            if key not in network.evidence.ticked:
                continue
            if self.settle_ticks and key not in settled:
                # Dated by this run only: completed by the next, once the date is on disk (and any other
                # device's date for it has arrived). Not dated at all: left to the device that dates it.
                self.pending = self.pending or key in ticked_on
                continue
            by_note.setdefault(task.path, []).append((task.line, task.text, ticked_on.get(key, self.today)))
        for path, tasks in sorted(by_note.items()):
            new, error = complete_follow_ups(self.config, path, tasks, self.write)
            if error:
                self.problems.append(error)
            elif new is not None:
                self.completed[path] = new
                log.info("completed %d ticked follow-up(s) in %s", len(tasks), path)
        return bool(self.completed)

    def _dated_on_disk(self) -> set[str]:
        """The keys of items ticked with a date in vaultnet's notes as read before this run changed any."""
        found: set[str] = set()
        for rel in self._generated_paths():
            note = self.notes.entries[rel].note
            for line in note.countable() if note is not None else ():
                if line.done and (line.done_date or line.leading_date) and (key := KEY_IN_LINE.search(line.text)):
                    found.add(key.group(1))
        return found

    # -- the generated notes -----------------------------------------------------------

    def plan_note(self, plan: Plan, rel: str) -> tuple[str, bool]:
        produce = lambda: render(self.config, PLAN_TEMPLATE, plan_context(plan))  # noqa: E731
        return write_generated(self.config, rel, produce, keep_ticks=True, write=self.write,
                               stamp=self.stamp(), previous_form=self.previous_form, counted=self.counted.get(rel))

    def index_network(self) -> Network:
        """The network the index shows: this week's ticks counted (stamped in memory only)."""
        try:
            return self._ticked_network(plan_rel(self.config, iso_week(self.today)), write=False)[0]
        except VaultnetError:
            return self._network({})  # a plan vaultnet cannot read counts for nothing; `build` reports it

    def index_note(self, network: Network) -> tuple[str, bool]:
        produce = lambda: render(self.config, INDEX_TEMPLATE, index_context(network))  # noqa: E731
        return write_generated(self.config, index_rel(self.config), produce, keep_ticks=False, write=self.write,
                               stamp=self.stamp(), previous_form=self.previous_form)

    def picture(self, network: Network) -> Written:
        """The contact calendar the index embeds; rewritten only when its picture changes, under the same
        rules as the notes (:func:`~vaultnet.output.stamps.leave_alone`)."""
        rel = picture_rel(self.config)
        drawn = contact_calendar([item.date for item in network.evidence.interactions], self.today)
        stamp = self.stamp()
        kept: list[str] = []

        def stamped(data: bytes | None) -> bytes | None:
            old = data.decode("utf-8", "replace") if data is not None else None
            if old is not None and (unstamped(old) == drawn or leave_alone(found(old), stamp, self.previous_form)):
                kept[:] = [old]
                return None
            kept[:] = []
            return f"{stamp.xml()}\n{drawn}".encode()

        if not self.write:
            current = read_bytes(self.config.root / rel)
            new = stamped(current)
            return Written(rel, False, text=kept[0] if kept else (new or b"").decode(), taken_in=True)
        edited = edit_note(self.config.root, rel, stamped)
        text = kept[0] if kept else (edited.after or b"").decode()
        self._remove_picture_copies(rel)
        return Written(rel, edited.changed, text=text, taken_in=True)

    def _remove_picture_copies(self, rel: str) -> None:
        """A sync tool's conflict copies of the picture go: vaultnet draws it whole, and nothing in it is the user's."""
        for copy in copies_beside(self.config.root, rel):
            with contextlib.suppress(OSError):
                os.unlink(self.config.root / copy)
                log.info("removed %s, a sync tool's copy of the contact calendar", copy)

    def build(self) -> list[Written]:
        """Every generated note; the plan first so that its ticks count in the index too.

        A note that cannot be written (markers broken, a template error) is
        reported and the other notes are still written.
        """
        results = []
        rel = plan_rel(self.config, iso_week(self.today))
        try:
            prepared = self.prepare()
            network, rel = prepared.network, prepared.rel
            text, changed = self.plan_note(prepared.plan, rel)
            all_counted = _ticks(text, rel) == _ticks(prepared.ticks_read_from, rel)
            results.append(Written(rel, changed, text=text, taken_in=all_counted))
        except VaultnetError as err:
            results.append(_failed(rel, err))
            network = self._network({})
        results.extend(Written(path, True, text=decode_text(new), taken_in=True)
                       for path, new in {**self.stamped, **self.completed, **self.remembered}.items())
        results.extend(_failed(plan_rel(self.config, iso_week(self.today)), error) for error in self.problems)
        try:
            text, changed = self.index_note(network)
            results.append(Written(index_rel(self.config), changed, text=text, taken_in=True))
        except VaultnetError as err:
            results.append(_failed(index_rel(self.config), err))
        try:
            results.append(self.picture(network))
        except VaultnetError as err:
            results.append(_failed(picture_rel(self.config), err))
        self.network = network
        return results


def _failed(rel: str, err: VaultnetError) -> Written:
    """A note left alone, and why; one a file kept changing for is worth another try (the watcher makes it)."""
    return Written(rel, False, str(err), retry=isinstance(err, WriteConflict))


def _ticks(text: str | None, rel: str) -> dict[str, tuple[str, str, str | None]]:
    return user_items(split(text, rel)[1]) if text is not None else {}
