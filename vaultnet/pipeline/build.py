"""Writing the generated notes: stamp ticks, work out, render, merge, write safely."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vaultnet.advice import rolechanges
from vaultnet.advice.plan import Plan, build_plan, follow_up_key
from vaultnet.base.dates import Date, iso_week
from vaultnet.base.errors import VaultnetError
from vaultnet.edits.completion import complete_follow_ups
from vaultnet.files.config import Config
from vaultnet.files.generated import index_rel, picture_rel, plan_rel
from vaultnet.files.writes import Edited, decode_text, edit_note, edit_text, read_bytes
from vaultnet.output.calendar_svg import contact_calendar
from vaultnet.output.regions import merge, split, stamp, user_items
from vaultnet.output.render import INDEX_TEMPLATE, PLAN_TEMPLATE, index_context, plan_context, render
from vaultnet.pipeline.freshness import Written
from vaultnet.standings.network import Network

if TYPE_CHECKING:
    from vaultnet.advice.plan import PlanMemo
    from vaultnet.notes.noteset import NoteSet

log = logging.getLogger(__name__)


def _existing_text(config: Config, rel: str) -> tuple[bytes | None, str | None]:
    data = read_bytes(config.root / rel)
    if data is None:
        return None, None
    try:
        return data, decode_text(data)
    except UnicodeDecodeError:
        raise VaultnetError(f"{rel}: not valid UTF-8; vaultnet will not overwrite it") from None


def stamp_plan(config: Config, today: Date, rel: str, write: bool) -> dict[str, bytes]:
    """Add ``✅ today`` to ticked plan items without a date.

    Returns the stamped note as an override for reading the vault, so the ticks
    count at once; writing commands also write it, read-only ones never do.
    The note is returned even when nothing needed a stamp: the ticks counted are
    then the ones it has now, not the ones an earlier scan of the vault saw
    (another build may have stamped them since).
    """
    def stamped(text: str | None) -> str | None:
        if text is None:
            return None
        before, region, after = split(text, rel)
        new = stamp(region, today)
        return None if new == region else before + new + after

    edited = _edit(config, rel, stamped, write)
    if edited.after is None:
        return {}
    if edited.changed:
        log.info("stamped ticked items in %s", rel)
    return {rel: edited.after}


def _edit(config: Config, rel: str, transform: Callable[[str | None], str | None], write: bool) -> Edited:
    try:
        return edit_text(config.root, rel, transform, write=write)
    except VaultnetError as err:
        if "not valid UTF-8" in str(err):
            raise VaultnetError(f"{rel}: not valid UTF-8; vaultnet will not overwrite it") from None
        raise


def write_generated(config: Config, rel: str, produce: Callable[[], str], keep_ticks: bool, write: bool = True) -> tuple[str, bool]:
    """Render and write one generated note, keeping what lies outside its markers.

    Returns the note's full text and whether it was written. An edit made while
    rendering is never overwritten: the note is re-read and merged again.
    """
    full: list[str] = []

    def merged(text: str | None) -> str:
        rendered = produce()
        _, region, _ = split(rendered, f"template for {rel}")
        if text is None:
            result = rendered
        else:
            before, old_region, after = split(text, rel)
            if keep_ticks:
                region = merge(region, old_region)
            result = before + region + after
        full[:] = [result]
        return result

    edited = _edit(config, rel, merged, write)
    return full[0], edited.changed


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
    replaced (a plan stamped in memory), and the memo of the last plan.
    """

    def __init__(
        self, config: Config, today: Date, notes: NoteSet, network: Callable[[Mapping[str, bytes]], Network],
        plan_memo: PlanMemo | None = None, *, write: bool = True, seen_on: Date | None = None,
    ) -> None:
        self.config = config
        self.today = today
        self.seen_on = seen_on or today  # the real day, when planning another week: changes are dated by it
        self.write = write
        self.notes = notes
        self._work_out = network
        self.plan_memo = plan_memo
        self.completed: dict[str, bytes] = {}  # notes whose follow-ups this run completed
        self.stamped: dict[str, bytes] = {}  # other weeks' plans whose ticks this run stamped
        self.problems: list[str] = []  # follow-ups that could not be completed, and why
        self.network: Network | None = None  # what the last build() worked out

    def _network(self, overrides: Mapping[str, bytes]) -> Network:
        return self._work_out(overrides)

    def prepare_plan(self) -> tuple[Network, Plan, str]:
        """Stamp ticks, complete ticked follow-ups, then work out the network and the plan."""
        prepared = self.prepare()
        return prepared.network, prepared.plan, prepared.rel

    def _ticked_network(self, rel: str, write: bool) -> tuple[Network, dict[str, bytes]]:
        """The network with this week's ticks stamped first, then any left undated in another week's plan."""
        overrides = stamp_plan(self.config, self.today, rel, write)
        network = self._network(overrides)
        earlier = self.stamp_earlier_plans(rel, write)
        if earlier:
            overrides = {**overrides, **earlier}
            network = self._network(overrides)
        return network, overrides

    def stamp_earlier_plans(self, this_week: str, write: bool) -> dict[str, bytes]:
        """Stamp the ticks left without a date in other weeks' plans: ticked on Sunday, built on Monday.

        Without a date such a tick would never count (a plan note has no date of
        its own), and the next week's plan would ask for the same thing again.
        """
        before, after = plan_rel(self.config, "\0").split("\0")
        stamped: dict[str, bytes] = {}
        for rel, entry in self.notes.entries.items():
            if rel == this_week or entry.note is None or not (rel.startswith(before) and rel.endswith(after)):
                continue
            if any(line.done and not (line.done_date or line.leading_date) for line in entry.note.countable()):
                stamped.update(stamp_plan(self.config, self.today, rel, write))
        if write:
            self.stamped.update(stamped)
        return stamped

    def prepare(self) -> Prepared:
        rel = plan_rel(self.config, iso_week(self.today))
        network, overrides = self._ticked_network(rel, self.write)
        if self.complete_follow_ups(network):
            network = self._network({**overrides, **self.completed})
        remembered = rolechanges.load(self.config)
        memory = rolechanges.observe(remembered, (s.contact for s in network.standings), self.seen_on)
        if self.write and memory != remembered:  # ten thousand contacts: no JSON to write when nothing changed
            rolechanges.save(self.config, memory)
        plan = build_plan(network, self.today, rel, memory, self.plan_memo)
        return Prepared(network, plan, rel, decode_text(overrides[rel]) if rel in overrides else None)

    def complete_follow_ups(self, network: Network) -> bool:
        """Tick, in its own note, each open follow-up whose plan item was ticked (in any week's plan)."""
        by_note: dict[str, list[tuple[int, str]]] = {}
        for task in network.evidence.follow_ups:
            if follow_up_key(task) in network.evidence.ticked:
                by_note.setdefault(task.path, []).append((task.line, task.text))
        for path, tasks in sorted(by_note.items()):
            new, error = complete_follow_ups(self.config, path, tasks, self.today, self.write)
            if error:
                self.problems.append(error)
            elif new is not None:
                self.completed[path] = new
                log.info("completed %d ticked follow-up(s) in %s", len(tasks), path)
        return bool(self.completed)

    def plan_note(self, plan: Plan, rel: str) -> tuple[str, bool]:
        produce = lambda: render(self.config, PLAN_TEMPLATE, plan_context(plan))  # noqa: E731
        return write_generated(self.config, rel, produce, keep_ticks=True, write=self.write)

    def index_network(self) -> Network:
        """The network the index shows: this week's ticks counted (stamped in memory only)."""
        try:
            return self._ticked_network(plan_rel(self.config, iso_week(self.today)), write=False)[0]
        except VaultnetError:
            return self._network({})  # a plan vaultnet cannot read counts for nothing; `build` reports it

    def index_note(self, network: Network) -> tuple[str, bool]:
        produce = lambda: render(self.config, INDEX_TEMPLATE, index_context(network))  # noqa: E731
        return write_generated(self.config, index_rel(self.config), produce, keep_ticks=False, write=self.write)

    def picture(self, network: Network) -> Written:
        """The contact calendar the index embeds; rewritten only when its bytes change."""
        rel = picture_rel(self.config)
        text = contact_calendar([item.date for item in network.evidence.interactions], self.today)
        if not self.write:
            return Written(rel, False, text=text, taken_in=True)
        data = text.encode("utf-8")
        edited = edit_note(self.config.root, rel, lambda _: data)
        return Written(rel, edited.changed, text=text, taken_in=True)

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
            results.append(Written(rel, False, str(err)))
            network = self._network({})
        results.extend(Written(path, True, text=decode_text(new), taken_in=True)
                       for path, new in {**self.stamped, **self.completed}.items())
        results.extend(Written(plan_rel(self.config, iso_week(self.today)), False, error) for error in self.problems)
        try:
            text, changed = self.index_note(network)
            results.append(Written(index_rel(self.config), changed, text=text, taken_in=True))
        except VaultnetError as err:
            results.append(Written(index_rel(self.config), False, str(err)))
        try:
            results.append(self.picture(network))
        except VaultnetError as err:
            results.append(Written(picture_rel(self.config), False, str(err)))
        self.network = network
        return results



def _ticks(text: str | None, rel: str) -> dict[str, tuple[str, str, str | None]]:
    return user_items(split(text, rel)[1]) if text is not None else {}
