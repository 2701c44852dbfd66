"""The commands that edit the user's notes: ``log``, ``add``, ``set``, ``snooze``, ``pause``, ``unpause`` and ``triage``.

A thin click layer (``cli.py`` adds these commands to ``vaultnet``): each
command resolves names, checks values and hands the change to the core, one
log line to :mod:`vaultnet.edits.log`, one new note to :mod:`vaultnet.edits.add`,
one front-matter change per key to :mod:`vaultnet.edits.quick`.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import click

from vaultnet.base.keys import PROFILE_KEYS, SET_KEYS
from vaultnet.cli.state import DateType, State, resolve_contact

if TYPE_CHECKING:
    from vaultnet.standings.standing import Standing


def _check(state: State, values: dict[str, Any]) -> dict[str, Any]:
    """Refuse values vaultnet would then report as problems; cadences in days become numbers."""
    from vaultnet.edits.quick import BadValue, checked_values

    try:
        return checked_values(state.config, values)
    except BadValue as err:
        raise click.BadParameter(str(err), param_hint=f"--{err.key.replace('_', '-')}") from None


def _apply(state: State, names: tuple[str, ...], values: dict[str, Any]) -> None:
    from vaultnet.edits.quick import set_in_note
    from vaultnet.evidence.resolve import resolve_name

    contacts = [s.contact for s in state.network.standings]
    chosen = [resolve_name(name, contacts) for name in names]  # every name first: all or nothing
    for contact in chosen:
        changed = set_in_note(state.config, contact.path, values)
        if not state.quiet:
            click.echo(f"set {', '.join(changed)} in {contact.path}" if changed else f"unchanged {contact.path}")


F = TypeVar("F", bound=Callable[..., Any])


PROFILE_HELP = {
    "circle": "One of the configured circles.",
    "cadence": "e.g. '2 weeks', 3mo, quarterly (overrides the circle).",
    "company": "Where they work.",
    "role": "Their role or job title.",
    "industry": "The field they work in.",
    "location": "Where they live (what status --location and plan --in look for).",
    "email": "Their email address (imports and mail captures match on it).",
    "phone": "Their phone number.",
    "linkedin": "Their LinkedIn profile address (imports match on it).",
    "met": "Where and how you met.",
    "birthday": "YYYY-MM-DD, or MM-DD when the year is unknown.",
}
assert tuple(PROFILE_HELP) == PROFILE_KEYS, "every profile key of keys.py has an option, in its order"


def profile_options(command: F) -> F:
    """The front-matter options ``add`` and ``set`` share: circle, cadence and the profile fields (keys.PROFILE_KEYS)."""
    for key in reversed(PROFILE_KEYS):
        command = click.option(f"--{key}", metavar="URL" if key == "linkedin" else None, help=PROFILE_HELP[key])(command)
    return command


@click.command("log")
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
    from vaultnet.edits.log import BadEntry, checked_entry, write_log

    config = state.config
    exchanges = [flag for flag, on in (("gave", gave), ("got", got), ("asked", asked), ("thanked", thanked)) if on]
    try:
        line = checked_entry(config, text, kind, exchanges)
    except BadEntry as err:
        raise click.BadParameter(str(err), param_hint="TEXT" if err.param == "text" else f"--{err.param}") from None
    contact = resolve_contact(state, name)
    rel = write_log(config, contact.path, contact.name, day or state.today, line)
    if not state.quiet:
        click.echo(f"logged in {rel}")


@click.command()
@click.argument("name")
@profile_options
@click.option("--alias", "aliases", multiple=True, help="Another name (repeatable).")
@click.pass_obj
def add(state: State, name: str, aliases: tuple[str, ...], **values: str | None) -> None:
    """Create a contact note for NAME from the person template."""
    from vaultnet.base.dates import parse_birthday, parse_cadence
    from vaultnet.edits.add import create_contact

    config = state.config
    if values["circle"] and values["circle"] not in config.circles:
        raise click.BadParameter(f"unknown circle {values['circle']!r} (known: {', '.join(config.circles)})", param_hint="--circle")
    for option, parse in (("cadence", parse_cadence), ("birthday", parse_birthday)):
        if values[option]:
            try:
                parse(values[option])
            except ValueError as err:
                raise click.BadParameter(str(err), param_hint=f"--{option}") from None
    ordered = {"aliases": list(aliases), **{key: values[key] for key in PROFILE_KEYS}}
    # The template's {{date}} is the day the run is for (--today), as a log line's is; the time is the clock's.
    now = dt.datetime.combine(state.today, dt.datetime.now().time())
    rel = create_contact(config, name.strip(), ordered, [s.contact for s in state.network.standings], now=now)
    if not state.quiet:
        click.echo(f"created {rel}")


@click.command("set")
@click.argument("names", metavar="NAME...", nargs=-1, required=True)
@profile_options
@click.option("--last-contact", "last_contact", metavar="DATE", help="A manual last-contact date.")
@click.option("--snooze-until", "snooze_until", metavar="DATE", help="Leave them out of plans until DATE.")
@click.pass_obj
def set_command(state: State, names: tuple[str, ...], **options: str | None) -> None:
    """Set front-matter keys of one or more contacts: one line changed or added per key."""
    values = {key: options[key] for key in SET_KEYS if options.get(key) is not None}
    if not values:
        raise click.UsageError("nothing to set: give at least one option, e.g. --circle close")
    _apply(state, names, _check(state, values))


@click.command()
@click.argument("name")
@click.argument("until", metavar="DURATION|DATE")
@click.pass_obj
def snooze(state: State, name: str, until: str) -> None:
    """Leave NAME out of plans until DATE, or for DURATION (2w, 3mo, 10d): sets snooze_until."""
    from vaultnet.edits.quick import BadValue, snooze_date

    try:
        day = snooze_date(until, state.today)
    except BadValue as err:
        raise click.BadParameter(str(err), param_hint="DURATION|DATE") from None
    _apply(state, (name,), {"snooze_until": day.isoformat()})


@click.command()
@click.argument("name")
@click.pass_obj
def pause(state: State, name: str) -> None:
    """Stop tracking NAME (paused: true): never in a plan, never overdue."""
    _apply(state, (name,), {"paused": True})


@click.command()
@click.argument("name")
@click.pass_obj
def unpause(state: State, name: str) -> None:
    """Track NAME again (paused: false)."""
    from vaultnet.evidence.resolve import resolve_name

    contact = resolve_name(name, [s.contact for s in state.network.standings])
    if not contact.paused:
        if not state.quiet:
            click.echo(f"{contact.name} is not paused; unchanged {contact.path}")
        return
    _apply(state, (name,), {"paused": False})


@click.command()
@click.pass_obj
def triage(state: State) -> None:
    """Give untracked people a circle, most-mentioned first: 1-4 a circle, p pause, space skip, q quit."""
    from vaultnet.edits.quick import set_in_note
    from vaultnet.edits.triage import queue, walk

    people = queue(state.network)
    if not people:
        click.echo("Nobody to triage: everyone has a circle or a cadence, or is paused.", err=True)
        return

    def read_key() -> str:
        try:
            return click.getchar()
        except (KeyboardInterrupt, EOFError):
            return ""
        except OSError:  # no terminal at all (cron, a pipe without a tty): keys come from stdin
            return sys.stdin.read(1)

    def apply(standing: Standing, values: dict[str, Any]) -> None:
        set_in_note(state.config, standing.contact.path, values)

    tally = walk(people, list(state.config.circles), read_key, click.echo, apply)
    click.echo(f"\n{tally.assigned} given a circle, {tally.paused} paused, {tally.skipped} skipped, {tally.left} left")


COMMANDS = (log_command, add, set_command, snooze, pause, unpause, triage)
