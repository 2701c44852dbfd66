"""Writing the generated notes: stamp ticks, work out, render, merge, write safely."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from . import rolechanges
from .cache import NoteCache, fingerprint
from .calendar_svg import NAME as PICTURE
from .calendar_svg import contact_calendar
from .completion import complete_follow_ups
from .config import Config
from .dates import Date, iso_week
from .errors import VaultnetError
from .network import Network, assemble, build_network
from .noteset import NoteSet
from .plan import Plan, build_plan, follow_up_key
from .regions import merge, split, stamp, user_items
from .render import INDEX_TEMPLATE, PLAN_TEMPLATE, index_context, plan_context, render
from .writes import WriteConflict, decode_text, encode_like, read_bytes, safe_write

log = logging.getLogger(__name__)
ATTEMPTS = 3


@dataclass(frozen=True)
class Written:
    rel: str
    changed: bool
    error: str | None = None  # why this note was left alone
    text: str | None = None  # the note as this build left it (LF line endings, no BOM)
    taken_in: bool = False  # every tick in ``text`` is one this build counted


def index_rel(config: Config) -> str:
    return f"{config.output}/{config.index_name}.md"


def picture_rel(config: Config) -> str:
    return f"{config.output}/{PICTURE}"


def plan_rel(config: Config, week: str) -> str:
    return f"{config.output}/{config.plan_name.format(week=week)}.md"


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
    for _ in range(ATTEMPTS):
        data, text = _existing_text(config, rel)
        if text is None or data is None:
            return {}
        before, region, after = split(text, rel)
        stamped = stamp(region, today)
        if stamped == region:
            return {rel: data}
        new = encode_like(before + stamped + after, data)
        if not write:
            return {rel: new}
        try:
            safe_write(config.root, rel, new, data)
            log.info("stamped ticked items in %s", rel)
            return {rel: new}
        except WriteConflict:
            continue
    raise WriteConflict(f"{rel} keeps changing; run the command again")


def write_generated(config: Config, rel: str, produce: Callable[[], str], keep_ticks: bool, write: bool = True) -> tuple[str, bool]:
    """Render and write one generated note, keeping what lies outside its markers.

    Returns the note's full text and whether it was written. An edit made while
    rendering is never overwritten: the note is re-read and merged again.
    """
    for _ in range(ATTEMPTS):
        data, text = _existing_text(config, rel)
        rendered = produce()
        _, region, _ = split(rendered, f"template for {rel}")
        if text is None:
            full = rendered
        else:
            before, old_region, after = split(text, rel)
            if keep_ticks:
                region = merge(region, old_region)
            full = before + region + after
        if not write:
            return full, False
        try:
            return full, safe_write(config.root, rel, encode_like(full, data), data)
        except WriteConflict:
            log.info("%s changed while rendering; merging again", rel)
    raise WriteConflict(f"{rel} keeps changing; run the command again")


class Builder:
    """One run of ``index``, ``plan`` or ``build`` as of ``today``; ``write=False`` only renders."""

    def __init__(
        self, config: Config, today: Date, write: bool = True,
        load: Callable[[Mapping[str, bytes]], Network] | None = None, seen_on: Date | None = None,
    ) -> None:
        self.config = config
        self.today = today
        self.seen_on = seen_on or today  # the real day, when planning another week: changes are dated by it
        self.write = write
        # The watcher passes its own loader, which reuses the notes it already parsed.
        self.load = load or (lambda overrides: build_network(config, today, overrides=overrides))
        self.counted: str | None = None  # the plan whose ticks the network counted
        self.completed: dict[str, bytes] = {}  # notes whose follow-ups this run completed
        self.problems: list[str] = []  # follow-ups that could not be completed, and why

    def prepare_plan(self) -> tuple[Network, Plan, str]:
        """Stamp this week's ticks, complete ticked follow-ups, then work out the network and the plan."""
        rel = plan_rel(self.config, iso_week(self.today))
        overrides = stamp_plan(self.config, self.today, rel, self.write)
        self.counted = decode_text(overrides[rel]) if rel in overrides else None
        network = self.load(overrides)
        if self.complete_follow_ups(network):
            network = self.load({**overrides, **self.completed})
        memory = rolechanges.observe(rolechanges.load(self.config), (s.contact for s in network.standings), self.seen_on)
        if self.write:
            rolechanges.save(self.config, memory)
        plan = build_plan(network, self.today, rel, memory)
        return network, plan, rel

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
            overrides = stamp_plan(self.config, self.today, plan_rel(self.config, iso_week(self.today)), write=False)
        except VaultnetError:
            overrides = {}  # a plan vaultnet cannot read counts for nothing; `build` reports it
        return self.load(overrides)

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
        for _ in range(ATTEMPTS):
            try:
                return Written(rel, safe_write(self.config.root, rel, data, read_bytes(self.config.root / rel)),
                               text=text, taken_in=True)
            except WriteConflict:
                continue
        raise WriteConflict(f"{rel} keeps changing; run the command again")

    def build(self) -> list[Written]:
        """Every generated note; the plan first so that its ticks count in the index too.

        A note that cannot be written (markers broken, a template error) is
        reported and the other notes are still written.
        """
        results = []
        rel = plan_rel(self.config, iso_week(self.today))
        try:
            network, plan, rel = self.prepare_plan()
            text, changed = self.plan_note(plan, rel)
            results.append(Written(rel, changed, text=text, taken_in=_ticks(text, rel) == _ticks(self.counted, rel)))
        except VaultnetError as err:
            results.append(Written(rel, False, str(err)))
            network = self.load({})
        results.extend(Written(path, True, text=decode_text(new), taken_in=True) for path, new in self.completed.items())
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
        return results


def build_vault(config: Config, today: Date) -> list[Written]:
    """``vaultnet build`` with the persistent cache.

    When nothing a build reads has changed since the last one, the generated
    notes are current already: one walk of the vault, and nothing else.
    """
    cache = NoteCache(config)
    notes = NoteSet(config)
    stats = notes.stat_all()
    signatures = {rel: signature for rel, (_, signature) in stats.items()}
    outputs = [plan_rel(config, iso_week(today)), index_rel(config), picture_rel(config)]
    if cache.fresh(fingerprint(config, today, signatures)) and (config.root / picture_rel(config)).is_file():
        log.info("nothing changed since the last build")
        return [Written(rel, False) for rel in outputs]
    notes.entries = cache.load_entries()
    notes.scan(stats)
    results = Builder(config, today, load=lambda overrides: assemble(config, today, *notes.contents(overrides))).build()
    for rel in outputs + [result.rel for result in results if result.rel not in outputs]:
        notes.update(rel)  # what the build wrote is a note too
    cache.save_entries(notes.entries)
    if all(settled(config, result) for result in results):
        cache.save_fingerprint(fingerprint(config, today, notes.signatures()))
    return results


def _ticks(text: str | None, rel: str) -> dict[str, tuple[str, str]]:
    return user_items(split(text, rel)[1]) if text is not None else {}


def settled(config: Config, result: Written) -> bool:
    """True when a generated note is as this build left it, and holds only ticks it counted.

    Otherwise someone edited the note while the build ran (a tick after the plan
    was stamped, or another build's stamp): the build has not taken that in, so
    the next build must not take the notes for current.
    """
    if result.error or result.text is None or not result.taken_in:
        return False
    data = read_bytes(config.root / result.rel)
    try:
        return data is not None and decode_text(data) == result.text
    except UnicodeDecodeError:
        return False
