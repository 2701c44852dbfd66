"""``vaultnet import``: contacts from other tools' exports, and captures of meetings and mail.

The file formats are the ones :data:`vaultnet.importers.KINDS` registers,
each a subcommand made when it is asked for (help, completion, a run), so
that loading the command line imports no importer.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from vaultnet.cli.state import DateType, State

if TYPE_CHECKING:
    from vaultnet.capture.imports import SourceKind
    from vaultnet.importers import ImportPlan

# What each contact importer reads, as ``vaultnet import KIND --help`` says it.
KIND_HELP = {
    "linkedin": 'LinkedIn\'s Connections.csv (from "Get a copy of your data").',
    "vcard": "A .vcf file (vCard 2.1, 3.0 or 4.0) from a phone, Apple Contacts or Google Contacts.",
    "google": "A Google Contacts CSV export (either header format).",
}


def _kinds() -> tuple[str, ...]:
    from vaultnet.importers import KINDS

    return KINDS


class ImportGroup(click.Group):
    """The capture commands, and one command per contact importer, made on demand."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *_kinds()})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in _kinds():
            self.add_command(_import_command(cmd_name))
        return super().get_command(ctx, cmd_name)


def _run_import(state: State, kind: str, file: Path, dry_run: bool, update_changed: bool = False) -> None:
    from vaultnet.cli.progress import terminal_progress, tracked
    from vaultnet.importers import import_file, no_progress
    from vaultnet.importers.news import news_lines, remember_news

    contacts = [standing.contact for standing in state.network.standings]
    with terminal_progress(state.quiet) as progress:
        plan, outcome, problems = import_file(state.config, kind, file, contacts, dry_run=dry_run,
                                              progress=tracked(progress) or no_progress, update_changed=update_changed)
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
        _fail_if_incomplete(plan)
        return
    if outcome is None:
        click.echo(f"would create {plan.count('create')}, update {plan.count('update')}, "
                   f"unchanged {plan.count('unchanged')} (dry run: nothing written)")
    else:
        click.echo(f"created {outcome.created}, updated {outcome.updated}, unchanged {outcome.unchanged}")
    _fail_if_incomplete(plan)


def _fail_if_incomplete(plan: ImportPlan) -> None:
    """A file cut off is imported up to the cut (nothing is ever removed), and the command fails."""
    if plan.incomplete:
        sys.exit(1)


@click.group("import", cls=ImportGroup)
def import_group() -> None:
    """Create contact notes from LinkedIn, vCard or Google Contacts exports; capture meetings, mail and chats.

    People already in the vault (same name, alias, email or LinkedIn profile) get only the
    front-matter keys their note lacks, as new lines. Imported people are
    untracked (no circle), so they never flood the plan.
    """


def _import_command(kind: str) -> click.Command:
    @click.command(kind, help=KIND_HELP[kind])
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--dry-run", is_flag=True, help="Show what would be created or added; write nothing.")
    @click.option("--update-changed", is_flag=True, help="Also rewrite a company or role that changed (else only reported).")
    @click.pass_obj
    def command(state: State, file: Path, dry_run: bool, update_changed: bool) -> None:
        _run_import(state, kind, file, dry_run, update_changed)

    return command


def _run_capture(state: State, kind: SourceKind, source: str, dry_run: bool, since: dt.date | None) -> None:
    from vaultnet.capture.imports import import_source
    from vaultnet.cli.progress import terminal_progress, tracked

    with terminal_progress(state.quiet) as progress:
        result = import_source(state.config, lambda: state.network, kind, source, since=since,
                               dry_run=dry_run, progress=tracked(progress), today=state.today)
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
        updated = f", {'would update' if dry_run else 'updated'} {outcome.updated}" if outcome.updated else ""
        click.echo(f"{verb} {outcome.added} captures{planned}{updated}, unchanged {outcome.unchanged}{removed}"
                   f"{same_day}" + (" (dry run: nothing written)" if dry_run else ""))
    if kind == "chat":
        _chat_report(state, result.read)


def _chat_report(state: State, read: object) -> None:
    """What a chat import guessed (on stderr), and the chats no note claims yet."""
    from vaultnet.capture.chatimport import ChatRead

    if not isinstance(read, ChatRead) or state.quiet:
        return
    for line in read.said:
        click.echo(f"note: {line}", err=True)
    if read.groups_left_out:
        count = read.groups_left_out
        click.echo(f"{count} group chat{'s' if count != 1 else ''} left out (set group_chats = true under [capture] "
                   "in vaultnet.toml to count them, as weaker contact)")
    if read.services:
        count = read.services
        click.echo(f"{count} chat{'s' if count != 1 else ''} with a short code or a named sender (a bank, a delivery "
                   "service) left out: no one's")
    if read.unmatched:
        click.echo(f"{len(read.unmatched)} chat{'s' if len(read.unmatched) != 1 else ''} with no one in the vault "
                   "(give their note the chat's name as an alias, add their number as its phone, or "
                   "`vaultnet add` them, then import again):")
        for unmatched in read.unmatched:
            click.echo(f"  {unmatched.line()}")


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
    """Email with your contacts from an mbox file, a Maildir folder (and its subfolders) or one message file
    (needs `me` in vaultnet.toml)."""
    _run_capture(state, "mail", str(path.resolve()), dry_run, since)


@import_group.command("chat")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would be captured; write nothing.")
@click.option("--since", type=DateType(), help="Only days on or after DATE.")
@click.pass_obj
def import_chat(state: State, path: Path, dry_run: bool, since: dt.date | None) -> None:
    """Days of chat with your contacts, never their text, from a WhatsApp export (.txt or .zip), Telegram
    Desktop's result.json, an SMS Backup & Restore .xml file or the macOS Messages chat.db, or a folder of
    them."""
    _run_capture(state, "chat", str(path.resolve()), dry_run, since)


COMMANDS = (import_group,)
