"""``vaultnet sync``: the phone's contacts and calendar, through folders that vdirsyncer syncs with a server.

A thin click layer over :mod:`vaultnet.phone`, imported when the command runs.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from vaultnet.cli.state import State

if TYPE_CHECKING:
    from vaultnet.phone.report import Report

FOLDER = click.Path(file_okay=False, path_type=Path)


def _show(state: State, reports: list[Report]) -> None:
    from vaultnet.phone.runner import COUNTS

    for report in reports:
        for problem in report.problems:
            click.echo(str(problem), err=True)
        if state.quiet:
            continue
        for line in report.lines:
            click.echo(line)
        click.echo(report.summary(COUNTS[report.kind]))


def _folders(state: State, dry_run: bool, contacts: Path | None = None, calendar: Path | None = None) -> None:
    from vaultnet.phone.runner import session_work_out, sync_folders
    from vaultnet.pipeline.session import Session

    work_out = session_work_out(Session(state.config, remember=False), state.today)
    _show(state, sync_folders(state.config, work_out, state.today, contacts=contacts, calendar=calendar,
                              write=not dry_run))


def _configured(state: State, folder: Path | None, setting: str) -> Path:
    from vaultnet.phone.runner import folder as configured

    if folder is not None:
        return folder
    value = getattr(state.config.sync, setting)
    if not value:
        raise click.UsageError(f"give the folder, or set it as {setting} in [sync] in vaultnet.toml")
    return configured(state.config, value)


@click.group(invoke_without_command=True)
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing and run no [sync] command.")
@click.pass_context
def sync(ctx: click.Context, dry_run: bool) -> None:
    """Keep your phone's contacts and calendar in step with the vault, both ways, through folders of .vcf and
    .ics files (vdirs) that vdirsyncer syncs with iCloud, Google, Nextcloud or any CardDAV/CalDAV server.

    Without a subcommand: [sync] before (e.g. vdirsyncer sync), both folders [sync] names, then [sync] after."""
    if ctx.invoked_subcommand is not None:
        return
    state: State = ctx.obj
    if dry_run:
        _folders(state, True, _configured(state, None, "contacts") if state.config.sync.contacts else None,
                 _configured(state, None, "calendar") if state.config.sync.calendar else None)
        return
    from vaultnet.phone.runner import session_work_out, sync_all
    from vaultnet.pipeline.session import Session

    reports, failures = sync_all(state.config, session_work_out(Session(state.config, remember=False), state.today),
                                 state.today)
    _show(state, reports)
    for failure in failures:
        click.echo(f"Error: {failure}", err=True)
    if failures:
        sys.exit(1)


@sync.command()
@click.argument("folder", required=False, type=FOLDER)
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@click.pass_obj
def contacts(state: State, folder: Path | None, dry_run: bool) -> None:
    """Every person as a card in FOLDER (default: [sync] contacts); what the phone changed comes back into
    the notes as new lines, and a card made on the phone becomes a new note tagged #triage."""
    _folders(state, dry_run, contacts=_configured(state, folder, "contacts"))


@sync.command()
@click.argument("folder", required=False, type=FOLDER)
@click.option("--dry-run", is_flag=True, help="Say what would change; write nothing.")
@click.pass_obj
def calendar(state: State, folder: Path | None, dry_run: bool) -> None:
    """Birthdays, dates, follow-ups (tasks) and this week's check-ins as items in FOLDER (default: [sync]
    calendar); a follow-up completed on the phone is completed in its note."""
    _folders(state, dry_run, calendar=_configured(state, folder, "calendar"))


COMMANDS = (sync,)
