"""The ``vaultnet`` command line: a thin click layer over the core."""

from __future__ import annotations

import datetime as dt
import gc
import json
import logging
import os
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .cli_edits import profile_options
from .config import Config, find_vault, load_config
from .dates import parse_iso, parse_week
from .errors import VaultnetError
from .insights import STATUSES
from .network import Network, build_network

if TYPE_CHECKING:
    from .capture.imports import SourceKind

log = logging.getLogger("vaultnet")


class DateType(click.ParamType):
    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        try:
            return parse_iso(str(value).strip())
        except ValueError as err:
            self.fail(str(err), param, ctx)


def describe_os_error(err: OSError) -> str:
    """One line naming the path: ``cannot write vault/x.md: the disk is full``."""
    from .writes import os_error

    where = err.filename if err.filename is not None else "a file"
    return str(os_error(os.fsdecode(where), err, verb="use"))


class Group(click.Group):
    """Turns core errors into ``Error: ...`` and exit 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except VaultnetError as err:
            raise click.ClickException(str(err)) from None
        except OSError as err:  # disk full, permission denied, a folder where a file should be...
            raise click.ClickException(describe_os_error(err)) from None


@dataclass
class State:
    vault: str | None
    today: dt.date
    quiet: bool
    today_given: dt.date | None = None  # --today or VAULTNET_TODAY, which pins the watcher's date

    @cached_property
    def config(self) -> Config:
        return load_config(find_vault(self.vault))

    @cached_property
    def network(self) -> Network:
        return build_network(self.config, self.today)

    def report_problems(self, network: Network | None = None) -> None:
        """One line on stderr when notes have problems (the run goes on), and a word when there are no contacts."""
        network = network or self.network
        problems = network.problems
        if not network.standings and not self.quiet:
            from .survey import no_contacts_message

            click.echo(no_contacts_message(network.config), err=True)
        if problems and not self.quiet:
            noun = "problem" if len(problems) == 1 else "problems"
            click.echo(f"{len(problems)} {noun} in the vault; run 'vaultnet check' to list them.", err=True)


def resolve_contact(state: State, name: str) -> Any:
    """The contact NAME means; for a note that exists but is no contact, say which and what would make it one."""
    from .errors import ResolveError
    from .resolve import resolve_name
    from .survey import not_a_contact

    contacts = [s.contact for s in state.network.standings]
    try:
        return resolve_name(name, contacts)
    except ResolveError as err:
        if "is ambiguous" in str(err):
            return same_file(state.config, name, contacts, err)
        if not str(err).startswith("no contact named"):
            raise
        explained = not_a_contact(state.config, name)
        if explained is None:
            raise
        raise ResolveError(explained) from None


def same_file(config: Config, name: str, contacts: list[Any], err: Exception) -> Any:
    """A name that matches one note and a symlink to it (a people folder linking a note kept elsewhere): the note."""
    import os

    from .resolve import loose

    matches = [c for c in contacts if loose(c.name) == loose(name)]
    real = {os.path.realpath(config.root / c.path) for c in matches}
    plain = [c for c in matches if not (config.root / c.path).is_symlink()]
    if len(real) == 1 and len(plain) == 1:
        return plain[0]
    raise err


def emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--vault", metavar="PATH", help="The vault (default: $VAULTNET_VAULT, else the nearest folder with vaultnet.toml or .obsidian/).")
@click.option("--today", type=DateType(), envvar="VAULTNET_TODAY", help="Work as if today were DATE (YYYY-MM-DD).")
@click.option("-v", "--verbose", count=True, help="Say more (repeat for debug output).")
@click.option("-q", "--quiet", is_flag=True, help="Only errors.")
@click.version_option(__version__, prog_name="vaultnet")
@click.pass_context
def main(ctx: click.Context, vault: str | None, today: dt.date | None, verbose: int, quiet: bool) -> None:
    """A personal relationship manager in plain text."""
    # A vault becomes hundreds of thousands of small objects that never form cycles:
    # collect garbage less often (a heavy vault builds a quarter faster).
    gc.set_threshold(50_000, 20, 20)
    level = logging.ERROR if quiet else (logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    logging.getLogger("vaultnet").setLevel(level)
    ctx.obj = State(vault, today or dt.date.today(), quiet, today)


@main.command()
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.pass_obj
def init(state: State, path: Path | None) -> None:
    """Set up a vault: vaultnet.toml, .vaultnet/ and People/ (nothing is overwritten)."""
    from .scaffold import init_vault

    root = path or Path(state.vault or ".")
    for rel, created in init_vault(root):
        click.echo(f"{'created' if created else 'kept   '} {rel}")


@main.command()
@click.option("--status", "statuses", multiple=True, type=click.Choice((*STATUSES, "drifting")),
              help="Only contacts with this status, or drifting from their usual rhythm (repeatable).")
@click.option("--circle", "circles", multiple=True, help="Only contacts in this circle (repeatable).")
@click.option("--location", metavar="TEXT", help="Only contacts whose location holds TEXT (any case, accents optional).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def status(state: State, statuses: tuple[str, ...], circles: tuple[str, ...], location: str | None, as_json: bool) -> None:
    """Every contact and where the relationship stands."""
    from .places import located
    from .report import status_json

    known = set(state.config.circles)
    for circle in circles:
        if circle not in known:
            raise click.BadParameter(f"unknown circle {circle!r} (known: {', '.join(state.config.circles)})", param_hint="--circle")
    network = state.network
    chosen = [
        s for s in network.standings
        if (not statuses or s.status in statuses or ("drifting" in statuses and s.rhythm.drifting))
        and (not circles or s.contact.circle in circles) and (location is None or located(s, location))
    ]
    if as_json:
        emit_json(status_json(network, chosen))
    else:
        from .views import print_status

        print_status(chosen, sys.stdout, terminal=sys.stdout.isatty())
    state.report_problems()


@main.command()
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def show(state: State, name: str, as_json: bool) -> None:
    """One contact: fields, status, reciprocity, tie, interactions and tasks."""
    from .intros import involving as introductions_of

    network = state.network
    contact = resolve_contact(state, name)
    standing = network.by_path(contact.path)
    involving = introductions_of(network, standing)
    if as_json:
        from .report import intro_json, show_json

        emit_json({**show_json(standing, network), "introductions": [intro_json(i) for i in involving]})
    else:
        from .views import show_lines

        click.echo("\n".join(show_lines(standing, network, involving)))


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def check(state: State, as_json: bool) -> None:
    """List every problem in the vault, as path:line: message. Exits 1 when there are any."""
    from .capture.imports import probe
    from .survey import interaction_sources, rule_summary

    network = state.network
    problems = [*network.problems, *probe(state.config)]
    if as_json:
        emit_json({"problems": [problem.to_json() for problem in problems],
                   "rules": {"contacts": network.rules, "interactions": interaction_sources(network)}})
    else:
        for problem in problems:
            click.echo(str(problem))
        if not state.quiet:
            click.echo(rule_summary(network), err=True)
            if not network.standings:
                from .survey import no_contacts_message

                click.echo(no_contacts_message(network.config), err=True)
        if not problems and not state.quiet:
            click.echo("No problems found.", err=True)
    if problems:
        sys.exit(1)


def _report_write(state: State, rel: str, changed: bool) -> None:
    if not state.quiet:
        click.echo(f"{'wrote    ' if changed else 'unchanged'} {rel}", err=not changed)


@main.command()
@click.option("--stdout", is_flag=True, help="Print the note instead of writing it.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan's items as JSON.")
@click.option("--week", metavar="YYYY-Www", help="Plan another ISO week, e.g. 2026-W48.")
@click.option("--in", "place", metavar="TEXT", help="Print whom to see where you will be (location holds TEXT); writes nothing.")
@click.pass_obj
def plan(state: State, stdout: bool, as_json: bool, week: str | None, place: str | None) -> None:
    """Write this week's plan note: follow-ups, birthdays, check-ins, thank-yous."""
    from .build import Builder
    from .plan import week_reference
    from .progress import terminal_progress

    try:
        monday = parse_week(week) if week else None
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--week") from None
    if place is not None:
        _plan_in(state, place, week_reference(state.today, monday), as_json)
        return
    with terminal_progress(state.quiet) as progress:
        builder = Builder(state.config, week_reference(state.today, monday), write=not (stdout or as_json),
                          seen_on=state.today, progress=progress)
        network, weekly, rel = builder.prepare_plan()
    if as_json:
        from .report import plan_json

        emit_json(plan_json(weekly))
    else:
        text, changed = builder.plan_note(weekly, rel)
        if stdout:
            click.echo(text, nl=False)
        else:
            _report_write(state, rel, changed)
    state.report_problems(network)


def _plan_in(state: State, place: str, day: dt.date, as_json: bool) -> None:
    """``plan --in``: everyone in a place by priority, as of the week's reference day."""
    from .dates import iso_week
    from .places import visits

    network = state.network if day == state.today else build_network(state.config, day)
    found = visits(network.standings, place)
    if as_json:
        emit_json({"week": iso_week(day), "in": place, "people": [visit.to_json() for visit in found]})
    else:
        for visit in found:
            click.echo(visit.line())
        if not found and not state.quiet:
            click.echo(f"Nobody's location holds {place!r}.", err=True)
    state.report_problems(network)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the items as JSON.")
@click.pass_obj
def today(state: State, as_json: bool) -> None:
    """Today's share of the plan: follow-ups, birthdays, check-ins and short messages."""
    from .build import Builder
    from .daily import today_items
    from .report import plan_json
    from .views import today_lines

    network, weekly, _ = Builder(state.config, state.today, write=False).prepare_plan()
    items = today_items(weekly)
    if as_json:
        emit_json({"day": state.today.isoformat(), "items": plan_json(weekly, items)["items"]})
    else:
        click.echo("\n".join(today_lines(state.today, items)))
    state.report_problems(network)


@main.command()
@click.option("--stdout", is_flag=True, help="Print the note instead of writing it.")
@click.pass_obj
def index(state: State, stdout: bool) -> None:
    """Write the index note: counts, a chart, a table per status, problems."""
    from .build import Builder, index_rel
    from .progress import terminal_progress

    with terminal_progress(state.quiet) as progress:
        builder = Builder(state.config, state.today, write=not stdout, progress=progress)
        network = builder.index_network()
    text, changed = builder.index_note(network)
    if stdout:
        click.echo(text, nl=False)
    else:
        _report_write(state, index_rel(state.config), changed)
        picture = builder.picture(network)  # the contact calendar the index embeds
        _report_write(state, picture.rel, picture.changed)
    state.report_problems(network)


@main.command()
@click.pass_obj
def build(state: State) -> None:
    """Write every generated note (the index and this week's plan)."""
    from .build import build_vault
    from .progress import terminal_progress

    failed = False
    with terminal_progress(state.quiet) as progress:
        written_notes = build_vault(state.config, state.today, progress)
    for written in written_notes:
        if written.error:
            failed = True
            click.echo(f"Error: {written.error}", err=True)
        else:
            _report_write(state, written.rel, written.changed)
    if failed:
        sys.exit(1)


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True, help="Show the best N.")
@click.option("--all", "show_all", is_flag=True, help="Show every introduction, printed as it is found.")
@click.pass_obj
def intros(state: State, as_json: bool, limit: int, show_all: bool) -> None:
    """Introductions worth making: whose needs meet whose offers, best first."""
    from .goals import gateway_paths
    from .goals import reasons as goal_reasons
    from .intros import iter_suggestions, suggest
    from .report import intro_json

    network, goals = state.network, state.config.goals
    favoured = gateway_paths(network.standings, goals)
    found = iter_suggestions(network, favoured) if show_all else suggest(network, limit=limit, favoured=favoured)
    # Found with the pairs leading to a goal first already: each gets its goal reasons as it comes.
    suggestions = ((intro, goal_reasons((intro.first.contact, intro.second.contact), goals)) for intro in found)
    shown = 0
    if as_json and not show_all:
        emit_json({"introductions": [{**intro_json(intro), "goals": why} for intro, why in suggestions]})
        shown = 1
    elif as_json:  # streamed: one introduction a line, as each is found
        click.echo('{"introductions": [', nl=False)
        for intro, why in suggestions:
            line = json.dumps({**intro_json(intro), "goals": why}, ensure_ascii=False)
            click.echo(("," if shown else "") + "\n  " + line, nl=False)
            shown += 1
        click.echo("\n]}")
    else:
        for intro, why in suggestions:
            vouch = "you can vouch for both" if intro.vouch else "a weak tie on one side: introduce with care"
            click.echo(f"{intro.first.name} + {intro.second.name}  (score {intro.score:g}; {vouch})")
            for reason in [*why, *intro.reasons]:
                click.echo(f"  - {reason}")
            shown += 1
        if not shown and not state.quiet:
            click.echo("No introductions to suggest: add needs and offers to your contacts' notes.", err=True)
    state.report_problems()


@main.command("log")
@click.argument("name")
@click.argument("text")
@click.option("--date", "day", type=DateType(), help="When it happened (default: today).")
@click.option("--kind", help="call, coffee, meeting, email, message, event, intro (see `kinds`).")
@click.option("--gave", is_flag=True, help="You gave value: an intro, advice, help.")
@click.option("--got", is_flag=True, help="You received value.")
@click.option("--asked", is_flag=True, help="You asked for something.")
@click.option("--thanked", is_flag=True, help="You said thank you.")
@click.pass_obj
def log_command(state: State, name: str, text: str, day: dt.date | None, kind: str | None,
                gave: bool, got: bool, asked: bool, thanked: bool) -> None:
    """Record an interaction with NAME: one line in their log (or today's daily note)."""
    from .logbook import entry, write_log

    config = state.config
    if kind is not None and kind.lower().lstrip("#") not in config.kinds:
        raise click.BadParameter(f"{kind!r} is not one of {', '.join(config.kinds)}", param_hint="--kind")
    if not text.strip():
        raise click.BadParameter("nothing to log", param_hint="TEXT")
    contact = resolve_contact(state, name)
    exchanges = [flag for flag, on in (("gave", gave), ("got", got), ("asked", asked), ("thanked", thanked)) if on]
    line = entry(text, kind.lower().lstrip("#") if kind else None, exchanges)
    rel = write_log(config, contact.path, contact.name, day or state.today, line)
    if not state.quiet:
        click.echo(f"logged in {rel}")


@main.command()
@click.argument("name")
@profile_options
@click.option("--alias", "aliases", multiple=True, help="Another name (repeatable).")
@click.pass_obj
def add(state: State, name: str, aliases: tuple[str, ...], **values: str | None) -> None:
    """Create a contact note for NAME from the person template."""
    from .create import create_contact
    from .dates import parse_birthday, parse_cadence

    config = state.config
    if values["circle"] and values["circle"] not in config.circles:
        raise click.BadParameter(f"unknown circle {values['circle']!r} (known: {', '.join(config.circles)})", param_hint="--circle")
    for option, parse in (("cadence", parse_cadence), ("birthday", parse_birthday)):
        if values[option]:
            try:
                parse(values[option])
            except ValueError as err:
                raise click.BadParameter(str(err), param_hint=f"--{option}") from None
    keys = ("circle", "cadence", "company", "role", "industry", "location", "email", "phone", "linkedin", "met", "birthday")
    ordered = {"aliases": list(aliases), **{key: values[key] for key in keys}}
    rel = create_contact(config, name.strip(), ordered, [s.contact for s in state.network.standings])
    if not state.quiet:
        click.echo(f"created {rel}")


@main.command()
@click.option("--polling", is_flag=True, help="Poll the disk instead of OS events (network drives, containers).")
@click.option("--interval", type=click.FloatRange(min=0.1), default=1.0, show_default=True, help="Seconds between polls.")
@click.option("--quiet-period", type=click.FloatRange(min=0.0), default=1.5, show_default=True,
              help="Seconds without changes before rebuilding.")
@click.option("--print-service", type=click.Choice(["systemd", "launchd"]), help="Print a service definition that runs the watcher, and exit.")
@click.pass_obj
def watch(state: State, polling: bool, interval: float, quiet_period: float, print_service: str | None) -> None:
    """Keep the index and this week's plan current while you edit."""
    if print_service:
        from .service import service

        click.echo(service(print_service, state.config.root), nl=False)
        return
    import signal

    from .watch import Watcher

    fixed = state.today_given
    watcher = Watcher.for_vault(state.config, (lambda: fixed) if fixed else dt.date.today,
                                polling=polling, interval=interval, quiet=quiet_period)
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: watcher.stopping.set())
    sys.exit(watcher.run())


# ---------------------------------------------------------------- import and export


def _progress_bar(state: State) -> Any:
    """A rich progress bar on stderr for long loops, only on a terminal; ``None`` otherwise."""
    if state.quiet or not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import track

    console = Console(stderr=True)

    def wrap(items: Any, total: int, description: str) -> Any:
        if total < 100:  # small files finish before a bar would be readable
            return items
        return track(items, description=description, total=total, console=console, transient=True)

    return wrap


def _run_import(state: State, kind: str, file: Path, dry_run: bool, update_changed: bool = False) -> None:
    from .importers import import_file, no_progress
    from .importers.news import news_lines, remember_news

    contacts = [standing.contact for standing in state.network.standings]
    plan, outcome, problems = import_file(state.config, kind, file, contacts, dry_run=dry_run,
                                          progress=_progress_bar(state) or no_progress, update_changed=update_changed)
    if dry_run:
        for change in plan.changes:
            if change.action == "create":
                click.echo(f"create {change.rel}")
            elif change.action == "update" and change.keys:
                click.echo(f"add {', '.join(change.keys)} to {change.rel}")
    for line in news_lines(plan.changes, update_changed):
        click.echo(line)
    if not dry_run:
        remember_news(state.config, plan.changes, state.today)
    for problem in problems:
        click.echo(str(problem), err=True)
    if state.quiet:
        return
    if outcome is None:
        click.echo(f"would create {plan.count('create')}, update {plan.count('update')}, "
                   f"unchanged {plan.count('unchanged')} (dry run: nothing written)")
    else:
        click.echo(f"created {outcome.created}, updated {outcome.updated}, unchanged {outcome.unchanged}")


@main.group("import")
def import_group() -> None:
    """Create contact notes from LinkedIn, vCard or Google Contacts exports; capture meetings and mail.

    People already in the vault (same name, alias, email or LinkedIn profile) get only the
    front-matter keys their note lacks, as new lines. Imported people are
    untracked (no circle), so they never flood the plan.
    """


def _import_command(kind: str, help_text: str) -> None:
    @import_group.command(kind, help=help_text)
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--dry-run", is_flag=True, help="Show what would be created or added; write nothing.")
    @click.option("--update-changed", is_flag=True, help="Also rewrite a company or role that changed (else only reported).")
    @click.pass_obj
    def command(state: State, file: Path, dry_run: bool, update_changed: bool) -> None:
        _run_import(state, kind, file, dry_run, update_changed)


for _kind, _help in (
    ("linkedin", 'LinkedIn\'s Connections.csv (from "Get a copy of your data").'),
    ("vcard", "A .vcf file (vCard 2.1, 3.0 or 4.0) from a phone, Apple Contacts or Google Contacts."),
    ("google", "A Google Contacts CSV export (either header format)."),
):
    _import_command(_kind, _help)


def _run_capture(state: State, kind: SourceKind, source: str, dry_run: bool, since: dt.date | None) -> None:
    from .capture.imports import import_source

    result = import_source(state.config, state.network, kind, source, since=since,
                           dry_run=dry_run, progress=_progress_bar(state))
    for problem in result.read.problems:
        click.echo(str(problem), err=True)
    if kind == "calendar" and not state.config.me and not state.quiet:
        click.echo('note: set me = ["you@example.com"] in vaultnet.toml so that events you declined are left out',
                   err=True)
    outcome = result.outcome
    if outcome is None:
        sys.exit(1)
    if dry_run:
        for rel in outcome.notes:
            click.echo(f"would write {rel}")
    if not state.quiet:
        verb = "would add" if dry_run else "added"
        planned = f" ({outcome.planned} planned)" if outcome.planned else ""
        removed = f", removed {outcome.removed} planned no longer listed" if outcome.removed else ""
        same_day = f", {result.skipped} more the same day" if result.skipped else ""
        click.echo(f"{verb} {outcome.added} captures{planned}, unchanged {outcome.unchanged}{removed}{same_day}"
                   + (" (dry run: nothing written)" if dry_run else ""))


@import_group.command("calendar")
@click.argument("source")
@click.option("--dry-run", is_flag=True, help="Show what would be captured; write nothing.")
@click.option("--since", type=DateType(), help="Only occurrences on or after DATE.")
@click.pass_obj
def import_calendar(state: State, source: str, dry_run: bool, since: dt.date | None) -> None:
    """Meetings from an .ics file or an http(s) calendar address (or env:NAME, file:PATH)."""
    local = Path(source).expanduser()
    _run_capture(state, "calendar", str(local.resolve()) if local.exists() else source, dry_run, since)


@import_group.command("mail")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would be captured; write nothing.")
@click.option("--since", type=DateType(), help="Only messages on or after DATE.")
@click.pass_obj
def import_mail(state: State, path: Path, dry_run: bool, since: dt.date | None) -> None:
    """Email with your contacts from an mbox file or a Maildir folder (needs `me` in vaultnet.toml)."""
    _run_capture(state, "mail", str(path.resolve()), dry_run, since)


@main.command("export")
@click.argument("fmt", metavar="json|csv|vcard|ics", type=click.Choice(["json", "csv", "vcard", "ics"]))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE instead of standard output.")
@click.pass_obj
def export_command(state: State, fmt: str, output: Path | None) -> None:
    """Contacts as JSON, CSV or vCard; birthdays and follow-ups as an iCalendar feed (ics)."""
    from .exports import export, write_output

    data = export(state.network, fmt)
    if output is None:
        click.echo(data, nl=False)
    else:
        _report_write(state, str(output), write_output(state.config, output, data))
    state.report_problems()


def _add_edit_commands() -> None:
    from .cli_edits import COMMANDS

    for command in COMMANDS:
        main.add_command(command)


_add_edit_commands()
