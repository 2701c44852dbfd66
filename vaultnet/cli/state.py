"""What every command of the click layer shares: the run's state, dates as a parameter type, the
contact a name means, and the one-line ways to print results.

Kept free of core imports at load time: ``vaultnet build`` on a warm cache
should import only what a build uses, so the config, the network and the
resolvers are imported when a command first asks for them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import click

from vaultnet.base.errors import VaultnetError

if TYPE_CHECKING:
    from vaultnet.files.config import Config
    from vaultnet.standings.network import Network


class DateType(click.ParamType):
    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        from vaultnet.base.dates import parse_iso

        if isinstance(value, dt.date):
            return value
        try:
            return parse_iso(str(value).strip())
        except ValueError as err:
            self.fail(str(err), param, ctx)


class Registered(click.Choice):
    """A choice among the names a core module registers (``exports.FORMATS``), read when first needed.

    The command line never re-lists what the core knows, and loading the
    command line does not import the module that knows it.
    """

    def __init__(self, module: str, name: str) -> None:
        self._where = module, name
        self.case_sensitive = True

    @property
    def choices(self) -> tuple[str, ...]:  # type: ignore[override]
        module, name = self._where
        return tuple(getattr(importlib.import_module(module), name))

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str | None:
        """An argument's metavar is the bare list, ``json|csv|vcard|ics``; an option's is click's own."""
        if param.param_type_name == "argument":
            return "|".join(self.choices)
        return super().get_metavar(param, ctx)


def describe_os_error(err: OSError) -> str:
    """One line naming the path: ``cannot write vault/x.md: the disk is full``."""
    from vaultnet.files.writes import os_error

    where = err.filename if err.filename is not None else "a file"
    return str(os_error(os.fsdecode(where), err, verb="use"))


@contextlib.contextmanager
def core_errors() -> Iterator[None]:
    """The core's errors as click's: ``Error: ...`` and exit 1, never a traceback."""
    try:
        yield
    except VaultnetError as err:
        raise click.ClickException(str(err)) from None
    except OSError as err:  # disk full, permission denied, a folder where a file should be...
        raise click.ClickException(describe_os_error(err)) from None


class Group(click.Group):
    """Turns core errors into ``Error: ...`` and exit 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        with core_errors():
            return super().invoke(ctx)


@dataclass
class State:
    vault: str | None
    today: dt.date
    quiet: bool
    today_given: dt.date | None = None  # --today or VAULTNET_TODAY, which pins the watcher's date

    @cached_property
    def config(self) -> Config:
        from vaultnet.files.config import find_vault, load_config

        return load_config(find_vault(self.vault))

    @cached_property
    def network(self) -> Network:
        from vaultnet.pipeline.session import build_network

        return build_network(self.config, self.today)

    def report_problems(self, network: Network | None = None) -> None:
        """One line on stderr when notes have problems (the run goes on), and a word when there are no contacts."""
        network = network or self.network
        problems = network.problems
        if not network.standings and not self.quiet:
            from vaultnet.output.survey import no_contacts_message

            click.echo(no_contacts_message(network.config), err=True)
        self.report_problem_count(len(problems))

    def report_problem_count(self, count: int) -> None:
        if count and not self.quiet:
            noun = "problem" if count == 1 else "problems"
            click.echo(f"{count} {noun} in the vault; run 'vaultnet check' to list them.", err=True)

    def report_write(self, rel: str, changed: bool) -> None:
        if not self.quiet:
            click.echo(f"{'wrote    ' if changed else 'unchanged'} {rel}", err=not changed)


def resolve_contact(state: State, name: str) -> Any:
    """The contact NAME means; for a note that exists but is no contact, say which and what would make it one."""
    from vaultnet.output.lookup import find_contact

    return find_contact(state.config, [s.contact for s in state.network.standings], name)


def emit_json(data: Any) -> None:
    """The JSON interface's answer, indented, printed a piece at a time (see :mod:`vaultnet.output.jsontext`):
    a large vault's status is megabytes of it, and a list's items may come from an iterator."""
    from vaultnet.output.jsontext import json_pieces

    batch: list[str] = []
    size = 0
    for piece in json_pieces(data):
        batch.append(piece)
        size += len(piece)
        if size >= _PRINTED_AT_ONCE:
            click.echo("".join(batch), nl=False)
            batch, size = [], 0
    batch.append("\n")
    click.echo("".join(batch), nl=False)


_PRINTED_AT_ONCE = 1 << 18  # characters: ten thousand contacts in a few dozen writes, not one each
