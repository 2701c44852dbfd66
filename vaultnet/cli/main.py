"""The ``vaultnet`` command line: a thin click layer over the core.

This module holds the group and its global options, and gathers the commands
from the modules named for their job:

- ``build``: ``build``, ``plan``, ``index``, ``today``, ``watch`` (vaultnet's own notes);
- ``show``: ``status``, ``show``, ``check``, ``intros``, ``export`` (read-only);
- ``edits``: ``log``, ``add``, ``set``, ``snooze``, ``pause``, ``unpause``, ``triage`` (the user's notes);
- ``imports``: ``import`` and its subcommands;
- ``reach``: ``notify`` and ``mcp`` (notifications, AI assistants);
- ``people``: ``duplicates`` and ``merge`` (who is who);
- ``phone``: ``sync`` and its subcommands (the phone's contacts and calendar);
- ``state``: what they share (the run's state, the date type, errors as one line).

Every command imports the core when it runs: loading the command line imports
click and little else, so a warm ``build`` pays only for what it uses.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import sys
from pathlib import Path

import click

from vaultnet.base.version import __version__
from vaultnet.cli import build as cli_build
from vaultnet.cli import edits as cli_edits
from vaultnet.cli import imports as cli_import
from vaultnet.cli import people as cli_people
from vaultnet.cli import phone as cli_phone
from vaultnet.cli import reach as cli_reach
from vaultnet.cli import show as cli_show
from vaultnet.cli.state import DateType, Group, State


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
    from vaultnet.base.errors import ConfigError
    from vaultnet.edits.scaffold import init_vault
    from vaultnet.files.config import load_config
    from vaultnet.output.reading import lines, read
    from vaultnet.pipeline.session import build_network

    root = path or Path(state.vault or ".")
    network = None
    if root.is_dir():
        try:  # the vault as every command reads it with no settings: what init records
            network = build_network(load_config(root.resolve()), state.today)
        except ConfigError:
            network = None  # an existing vaultnet.toml that cannot be read is kept as it is
    if network is not None and not state.quiet:
        click.echo("vaultnet read this vault:")
        for line in lines(read(network), network):
            click.echo(f"  {line}")
    for rel, created in init_vault(root, network=network):
        click.echo(f"{'created' if created else 'kept   '} {rel}")


for _module in (cli_build, cli_show, cli_edits, cli_import, cli_people, cli_reach, cli_phone):
    for _command in _module.COMMANDS:
        main.add_command(_command)


def run() -> None:
    """The ``vaultnet`` program: :func:`main`, in a process that ends with it.

    As a process ends, Python's collector goes once more over every object
    still alive, to find cycles no one will ever use: on a heavy vault the
    network a command worked out is a million objects, and that last pass took
    about a tenth of a second after the answer was printed. Frozen, they are
    left to the process's end, which hands all its memory back at once. Only
    here: a program that calls ``main`` itself (a test, a script) keeps its
    collector as it was.
    """
    try:
        main(prog_name="vaultnet")
    finally:
        gc.freeze()
