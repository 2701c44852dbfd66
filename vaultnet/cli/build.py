"""The commands that write vaultnet's own notes: ``build``, ``plan``, ``index``, ``today`` and ``watch``.

A thin click layer over :mod:`vaultnet.pipeline.build` and :mod:`vaultnet.pipeline.watch`:
options are checked here, the work is the core's, and each command imports
the core when it runs, so that loading the command line costs nothing.
"""

from __future__ import annotations

import datetime as dt
import sys

import click

from vaultnet.cli.answers import answer, answered
from vaultnet.cli.state import Registered, State, emit_json


@click.command()
@click.pass_obj
def build(state: State) -> None:
    """Write every generated note (the index and this week's plan)."""
    from vaultnet.cli.progress import terminal_progress
    from vaultnet.pipeline.session import build_vault

    failed = False
    with terminal_progress(state.quiet) as progress:
        written_notes = build_vault(state.config, state.today, progress)
    for written in written_notes:
        if written.error:
            failed = True
            click.echo(f"Error: {written.error}", err=True)
        else:
            state.report_write(written.rel, written.changed)
    if failed:
        sys.exit(1)


@click.command()
@click.option("--stdout", is_flag=True, help="Print the note instead of writing it.")
@click.option("--json", "as_json", is_flag=True, help="Print the plan's items as JSON.")
@click.option("--week", metavar="YYYY-Www", help="Plan another ISO week, e.g. 2026-W48.")
@click.option("--in", "place", metavar="TEXT", help="Print whom to see where you will be (location holds TEXT); writes nothing.")
@click.pass_obj
@answered(lambda params: bool(params["stdout"] or params["as_json"] or params["place"] is not None))
def plan(state: State, stdout: bool, as_json: bool, week: str | None, place: str | None) -> None:
    """Write this week's plan note: follow-ups, birthdays, check-ins, thank-yous."""
    from vaultnet.base.dates import iso_week, parse_week
    from vaultnet.files.generated import plan_rel

    try:
        monday = parse_week(week) if week else None
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--week") from None
    if (monday is None and place is None and not as_json
            and _as_built(state, plan_rel(state.config, iso_week(state.today)), stdout)):
        return  # the core is imported only past here: nothing changed, so nothing is worked out
    from vaultnet.advice.plan import week_reference
    from vaultnet.cli.progress import terminal_progress
    from vaultnet.pipeline.session import one_off

    if place is not None:
        _plan_in(state, place, week_reference(state.today, monday), as_json)
        return
    with terminal_progress(state.quiet) as progress:
        builder = one_off(state.config, progress).builder(
            week_reference(state.today, monday), write=not (stdout or as_json), seen_on=state.today)
        network, weekly, rel = builder.prepare_plan()
    if as_json:
        from vaultnet.output.report import plan_json

        emit_json(plan_json(weekly))
    else:
        text, changed = builder.plan_note(weekly, rel)
        if stdout:
            click.echo(text, nl=False)
        else:
            state.report_write(rel, changed)
    state.report_problems(network)


def _as_built(state: State, rel: str, stdout: bool) -> bool:
    """When nothing changed since the last build, its note is the answer: print it, or say it is unchanged."""
    from vaultnet.pipeline.session import as_built

    found = as_built(state.config, state.today, rel)
    if found is None:
        return False
    if stdout:
        click.echo(found.text, nl=False)
    else:
        state.report_write(rel, False)
    state.report_problem_count(found.problems)
    return True


def _plan_in(state: State, place: str, day: dt.date, as_json: bool) -> None:
    """``plan --in``: everyone in a place by priority, as of the week's reference day."""
    from vaultnet.advice.places import visits
    from vaultnet.base.dates import iso_week
    from vaultnet.pipeline.session import build_network

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


@click.command()
@click.option("--stdout", is_flag=True, help="Print the note instead of writing it.")
@click.pass_obj
@answered(lambda params: bool(params["stdout"]))
def index(state: State, stdout: bool) -> None:
    """Write the index note: counts, a chart, a table per status, problems."""
    from vaultnet.files.generated import index_rel

    if stdout and _as_built(state, index_rel(state.config), stdout):
        return  # (writing also reports the contact calendar: that runs the build's own check)
    from vaultnet.cli.progress import terminal_progress
    from vaultnet.pipeline.session import one_off

    with terminal_progress(state.quiet) as progress:
        builder = one_off(state.config, progress).builder(state.today, write=not stdout)
        network = builder.index_network()
    text, changed = builder.index_note(network)
    if stdout:
        click.echo(text, nl=False)
    else:
        state.report_write(index_rel(state.config), changed)
        picture = builder.picture(network)  # the contact calendar the index embeds
        state.report_write(picture.rel, picture.changed)
    state.report_problems(network)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the items as JSON.")
@click.pass_obj
@answered()
def today(state: State, as_json: bool) -> None:
    """Today's share of the plan: follow-ups, birthdays, check-ins and short messages."""
    from vaultnet.advice.today import today_items
    from vaultnet.output.report import today_json
    from vaultnet.output.views import today_lines
    from vaultnet.pipeline.session import one_off

    network, weekly, _ = one_off(state.config).builder(state.today, write=False).prepare_plan()
    items = today_items(weekly)
    if as_json:
        emit_json(today_json(weekly, items))
    else:
        click.echo("\n".join(today_lines(state.today, items)))
    state.report_problems(network)


@click.command()
@click.option("--polling", is_flag=True, help="Poll the disk instead of OS events (network drives, containers).")
@click.option("--interval", type=click.FloatRange(min=0.1), default=1.0, show_default=True, help="Seconds between polls.")
@click.option("--quiet-period", type=click.FloatRange(min=0.0), default=1.5, show_default=True,
              help="Seconds without changes before rebuilding.")
@click.option("--wait-for-git", is_flag=True,
              help="Write nothing while git is at work on the vault (a command running, a merge or rebase in "
                   "progress, or git busy in the last 10 s).")
@click.option("--print-service", type=Registered("vaultnet.pipeline.service", "KINDS"),
              help="Print a service definition that runs the watcher, and exit.")
@click.pass_obj
def watch(state: State, polling: bool, interval: float, quiet_period: float, wait_for_git: bool,
          print_service: str | None) -> None:
    """Keep the index and this week's plan current while you edit; send [notify]'s notifications at their times;
    sync the phone's folders after each build with [sync]."""
    if print_service:
        from vaultnet.pipeline.service import service

        click.echo(service(print_service, state.config.root), nl=False)
        return
    import functools
    import signal

    from vaultnet.phone.runner import PhoneSync
    from vaultnet.pipeline.watch import Watcher
    from vaultnet.reach.notifier import Notifier

    root = click.get_current_context().find_root().command
    assert isinstance(root, click.Group)
    fixed = state.today_given
    notifier = Notifier()  # sends only when [notify] lists URLs; reads them again when the settings change
    phone = PhoneSync()  # syncs only when [sync] names a folder
    watcher = Watcher.for_vault(state.config, (lambda: fixed) if fixed else dt.date.today,
                                polling=polling, interval=interval, quiet=quiet_period, wait_for_git=wait_for_git,
                                hooks=[notifier, phone],
                                answer=functools.partial(answer, root))
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: watcher.stopping.set())
    try:
        code = watcher.run()
    finally:
        notifier.close()
    sys.exit(code)


COMMANDS = (plan, today, index, build, watch)
