"""``vaultnet mcp``: the vault to an AI assistant, through the Model Context Protocol over stdio.

The tools answer with the data of the JSON interface, made by the very
functions the commands use (:mod:`vaultnet.output.report`): ``status`` is
``status --json``, ``show`` is ``show --json``, ``plan`` is ``plan --json``,
``today`` is ``today --json``, ``intros`` is ``intros --json``; ``search``
lists the lines vaultnet read about one person. The only tools that write are
``log``, ``snooze`` and ``set``, through the core that ``vaultnet log``,
``snooze`` and ``set`` use: one line added or changed, conflict-checked
writes. The resources are the plan and index notes as ``plan --stdout`` and
``index --stdout`` print them (nothing is written).

The server answers for the vault it was started for, and no other: no tool
takes a path, names resolve among that vault's contacts only. Each call reads
what changed in the vault since the last one (one session, kept warm), one
call at a time.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Literal, get_args

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ToolAnnotations

from vaultnet.base.dates import Date, parse_iso, parse_week
from vaultnet.base.errors import VaultnetError
from vaultnet.base.keys import SET_KEYS
from vaultnet.base.version import __version__
from vaultnet.base.vocabulary import STATUSES
from vaultnet.evidence.contacts import Contact
from vaultnet.files.config import Config, load_config
from vaultnet.pipeline.freshness import settings_digest
from vaultnet.pipeline.session import Session
from vaultnet.standings.network import Network

StatusName = Literal["overdue", "due", "never", "ok", "snoozed", "untracked", "paused", "drifting"]
assert set(get_args(StatusName)) == {*STATUSES, "drifting"}, "the tool offers every status `status` has"
DUE_OR_DRIFTING: list[StatusName] = ["overdue", "due", "never", "drifting"]

READS = ToolAnnotations(read_only_hint=True, open_world_hint=False)
WRITES = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=False, open_world_hint=False)


class Vault:
    """The one vault a server answers for: read again where it changed before each call, one call at a time."""

    def __init__(self, config: Config, today: Callable[[], Date] = dt.date.today) -> None:
        self.session = Session(config)
        self.today = today
        self._settings = settings_digest(config)
        self._lock = threading.Lock()

    @property
    def config(self) -> Config:
        return self.session.config

    @contextmanager
    def call(self) -> Iterator[Session]:
        """The session, current with the vault; a problem the user can act on becomes the tool's error."""
        with self._lock:
            try:
                digest = settings_digest(self.config)
                if digest != self._settings:  # vaultnet.toml changed: read it again, as the watcher does
                    self.session = self.session.reconfigured(load_config(self.config.root))
                    self._settings = digest
                else:
                    self.session.refresh()
                yield self.session
            except (VaultnetError, ValueError) as err:
                raise ToolError(str(err)) from None

    def network(self, session: Session) -> Network:
        return session.network(self.today())

    def contact(self, network: Network, name: str) -> Contact:
        from vaultnet.output.lookup import find_contact

        return find_contact(self.config, [standing.contact for standing in network.standings], name)


def server(config: Config, today: Callable[[], Date] = dt.date.today) -> MCPServer:
    """An MCP server for the vault of ``config``; ``today`` gives the date each answer is for."""
    from vaultnet.output import report

    vault = Vault(config, today)
    app: MCPServer = MCPServer(
        "vaultnet", version=__version__, log_level="WARNING",
        instructions=(f"vaultnet: the relationship notes in the vault {config.root.name}. Ask `status` who is due "
                      "or drifting, `today` or `plan` what to do, `show` or `search` about one person, `intros` "
                      "who should meet. `log` records an interaction, `snooze` and `set` change one property."),
    )

    @app.tool(annotations=READS)
    def status(status: list[StatusName] = DUE_OR_DRIFTING, circle: list[str] | None = None,
               location: str | None = None) -> dict[str, Any]:
        """Who is due or drifting: contacts and where each relationship stands, as `vaultnet status --json`.

        `status` keeps contacts with any of these statuses (default: overdue, due, never and drifting; list
        every status to see everyone); `circle` keeps those in any of these circles; `location` those whose
        location holds the text. Each contact has its due date, last contact, reciprocity, tie and follow-ups.
        """
        with vault.call() as session:
            network = vault.network(session)
            return report.status_json(network, report.chosen(network, status, circle or (), location))

    @app.tool(annotations=READS)
    def show(name: str, why: bool = False) -> dict[str, Any]:
        """One person's brief, as `vaultnet show NAME --json`: fields, status, rhythm, reciprocity, tie,
        interactions (each with the note and line it was read from), planned meetings, follow-ups, open
        loops, connections and the introductions that include them. NAME is a name or alias, any case.
        With why, as `--why`: the rule that made the note a person, and the note and line of each fact."""
        from vaultnet.advice.intros import involving

        with vault.call() as session:
            network = vault.network(session)
            standing = network.by_path(vault.contact(network, name).path)
            answer = report.show_answer(standing, network, involving(network, standing))
            if why:
                from vaultnet.output.why import explain

                answer["why"] = explain(standing, network)
            return answer

    @app.tool(annotations=READS)
    def search(name: str, query: str | None = None, limit: int = 50) -> dict[str, Any]:
        """The lines of the notes about one person, newest first, each dated, with its note and line:
        interactions, planned meetings, follow-ups and open loops. `query` keeps the lines holding it
        (any case, accents optional)."""
        with vault.call() as session:
            network = vault.network(session)
            standing = network.by_path(vault.contact(network, name).path)
            return report.mentions_json(standing, network, query, max(0, limit))

    @app.tool(annotations=READS)
    def plan(week: str | None = None) -> dict[str, Any]:
        """The plan for a week, as `vaultnet plan --json`: follow-ups, birthdays, check-ins, thank-yous,
        reconnects, introductions and advice, each with its people and reason. `week` is an ISO week such
        as 2026-W48 (default: this week)."""
        from vaultnet.advice.plan import week_reference

        with vault.call() as session:
            monday = parse_week(week) if week else None
            day = vault.today()
            _, weekly, _ = session.builder(week_reference(day, monday), write=False, seen_on=day).prepare_plan()
            return report.plan_json(weekly)

    @app.tool(name="today", annotations=READS)
    def today_slice() -> dict[str, Any]:
        """Today's share of the plan, as `vaultnet today --json`: follow-ups due, birthdays, today's
        check-ins and the short messages that should not wait."""
        from vaultnet.advice.today import today_items

        with vault.call() as session:
            _, weekly, _ = session.builder(vault.today(), write=False).prepare_plan()
            return report.today_json(weekly, today_items(weekly))

    @app.tool(annotations=READS)
    def intros(limit: int = 20) -> dict[str, Any]:
        """Introductions worth making, best first, as `vaultnet intros --json`: whose needs meet whose
        offers, with the reasons and whether you can vouch for both."""
        with vault.call() as session:
            return report.intros_json(vault.network(session), max(0, limit))

    @app.tool(annotations=WRITES)
    def log(name: str, text: str, date: str | None = None, kind: str | None = None, gave: bool = False,
            got: bool = False, asked: bool = False, thanked: bool = False) -> dict[str, Any]:
        """Record an interaction with NAME, as `vaultnet log`: one line in their note's log (or in the daily
        note, when the vault logs there). `date` is YYYY-MM-DD (default: today); `kind` one of the vault's
        kinds (call, coffee, meeting, email, message, event, intro); gave/got/asked/thanked tag what was
        exchanged."""
        from vaultnet.edits.log import checked_entry, write_log

        with vault.call() as session:
            exchanges = [flag for flag, on in (("gave", gave), ("got", got), ("asked", asked), ("thanked", thanked))
                         if on]
            line = checked_entry(vault.config, text, kind, exchanges)
            day = parse_iso(date.strip()) if date else vault.today()
            contact = vault.contact(vault.network(session), name)
            rel = write_log(vault.config, contact.path, contact.name, day, line)
            return {"logged": rel, "name": contact.name, "date": day.isoformat(), "entry": line}

    @app.tool(annotations=WRITES)
    def snooze(name: str, until: str) -> dict[str, Any]:
        """Leave NAME out of plans until a date (YYYY-MM-DD) or for a duration (2w, 3mo, 10d), as
        `vaultnet snooze`: sets snooze_until, one line of their note."""
        from vaultnet.edits.quick import snooze_date

        with vault.call() as session:
            day = snooze_date(until, vault.today())
            return _set(vault, session, name, {"snooze_until": day.isoformat()})

    @app.tool(name="set", annotations=WRITES)
    def set_keys(name: str, values: dict[str, str]) -> dict[str, Any]:
        """Set properties of NAME's note, as `vaultnet set`: one line changed or added per key. Keys:
        circle, cadence, location, company, role, industry, email, phone, linkedin, met, birthday,
        last_contact, snooze_until."""
        with vault.call() as session:
            unknown = sorted(set(values) - set(SET_KEYS))
            if unknown:
                raise ToolError(f"cannot set {', '.join(unknown)}: the keys are {', '.join(SET_KEYS)}")
            if not values:
                raise ToolError("nothing to set: give at least one key, e.g. {\"circle\": \"close\"}")
            return _set(vault, session, name, values)

    @app.resource("vaultnet://plan", name="plan", mime_type="text/markdown",
                  description="This week's plan note, as `vaultnet plan --stdout` prints it.")
    def plan_note() -> str:
        with vault.call() as session:
            builder = session.builder(vault.today(), write=False)
            _, weekly, rel = builder.prepare_plan()
            return builder.plan_note(weekly, rel)[0]

    @app.resource("vaultnet://index", name="index", mime_type="text/markdown",
                  description="The index note, as `vaultnet index --stdout` prints it.")
    def index_note() -> str:
        with vault.call() as session:
            builder = session.builder(vault.today(), write=False)
            return builder.index_note(builder.index_network())[0]

    return app


def _set(vault: Vault, session: Session, name: str, values: dict[str, Any]) -> dict[str, Any]:
    """``set`` and ``snooze``: checked values, one line per key of one contact's note."""
    from vaultnet.edits.quick import checked_values, set_in_note

    checked = checked_values(vault.config, values)
    contact = vault.contact(vault.network(session), name)
    changed = set_in_note(vault.config, contact.path, checked)
    return {"name": contact.name, "path": contact.path, "changed": changed}


def serve(config: Config, today: Callable[[], Date] = dt.date.today) -> None:
    """Answer on stdin and stdout until the client closes them."""
    server(config, today).run("stdio")
