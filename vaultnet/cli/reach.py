"""The commands that reach beyond the vault: ``notify`` and ``mcp``.

A thin click layer over :mod:`vaultnet.reach`; each command imports it when it
runs (Apprise and the MCP SDK are imported only by the commands that use them).
"""

from __future__ import annotations

import datetime as dt
import sys

import click

from vaultnet.cli.state import State


@click.command()
@click.option("--test", "trial", is_flag=True, help="Send a test message to every URL in [notify].")
@click.option("--now", "now", is_flag=True, help="Send today's slice of the plan now, even if it was sent already.")
@click.option("--dry-run", is_flag=True, help="Print what would be sent; send nothing.")
@click.pass_obj
def notify(state: State, trial: bool, now: bool, dry_run: bool) -> None:
    """Send notifications to the URLs in [notify]: by default what is due now (the day's slice, the
    weekly digest) and was not sent yet by any device; for cron when no watcher runs."""
    from vaultnet.reach import notifier
    from vaultnet.reach.links import vault_name
    from vaultnet.reach.messages import Kind, Message, render, trial_message
    from vaultnet.reach.targets import targets

    if trial and now:
        raise click.UsageError("--test and --now are two different messages: give one")
    config = state.config
    to = targets(config)
    if not to and not dry_run:
        raise click.ClickException("[notify] in vaultnet.toml lists no URLs, so nothing is sent "
                                   "(see docs/reach.md for ntfy, Telegram, email and the rest)")
    clock = dt.datetime.now()
    messages: list[Message] = []
    if trial:
        messages = [trial_message(config, vault_name(config))]
    else:
        from vaultnet.pipeline.session import Session

        session = Session(config, remember=False)
        kinds: list[Kind] = ["daily"] if now else [kind for kind, _ in notifier.due(config.notify, state.today, clock.time())]
        if not kinds and not state.quiet:
            click.echo(f"Nothing is due yet: {notifier.schedule(config.notify)}.", err=True)
        for kind in kinds:
            message = notifier.compose(session, kind, state.today)
            if message.empty:
                if not state.quiet:
                    click.echo(f"Nothing to send for {message.id}.", err=True)
            else:
                messages.append(message)
    failed = False
    for message in messages:
        if dry_run:
            click.echo(f"{message.title}\n\n{render(message, config.notify.format)}")
            continue
        for target in to:
            outcome = notifier.attempt(config, message, target, at=dt.datetime.combine(state.today, clock.time()),
                                       device=notifier.device_name(), remember=not trial, check=not (now or trial))
            if outcome in ("sent", "already sent"):
                if not state.quiet:
                    click.echo(f"{outcome} {message.id} to {target.label}", err=outcome != "sent")
            else:
                failed = True
                click.echo(f"Error: could not send {message.id} to {target.label}: {outcome}", err=True)
    if failed:
        sys.exit(1)


@click.command()
@click.pass_obj
def mcp(state: State) -> None:
    """Serve this vault to an AI assistant over stdio (Model Context Protocol): who is due, a person's
    brief, the plan, introductions, search; log, snooze and set are the only writes."""
    from vaultnet.reach.assistant import serve

    fixed = state.today_given
    serve(state.config, (lambda: fixed) if fixed else dt.date.today)


COMMANDS = (notify, mcp)
