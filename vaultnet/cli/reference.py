"""The command reference of the documentation, made from ``--help`` so that the two cannot drift apart.

Every command's help is rendered through click's test runner at a fixed width
(the same text on every terminal) and placed between two markers in
``docs/reference.md``. ``python -m vaultnet.cli.reference`` rewrites that part;
``--check`` only says whether it is current (exit 1 when not), and
``tests/test_reference.py`` fails when it is not.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

import click
from click.testing import CliRunner

BEGIN = "<!-- command reference: generated from --help by `python -m vaultnet.cli.reference`; edit the help texts -->"
END = "<!-- end of the command reference -->"
WIDTH = 100  # columns the help is wrapped to
PAGE = Path(__file__).resolve().parents[2] / "docs" / "reference.md"


def command_paths(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    """Every command under ``command``, itself first, each group followed by its subcommands in help order."""
    yield path, command
    if isinstance(command, click.Group):
        ctx = click.Context(command, info_name=" ".join(("vaultnet", *path)))
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                yield from command_paths(sub, (*path, name))


def help_text(path: tuple[str, ...]) -> str:
    """What ``vaultnet PATH --help`` prints, wrapped to :data:`WIDTH` columns."""
    from vaultnet.cli.main import main

    result = CliRunner().invoke(main, [*path, "--help"], prog_name="vaultnet", terminal_width=WIDTH)
    if result.exit_code != 0:
        raise RuntimeError(f"vaultnet {' '.join(path)} --help exited {result.exit_code}: {result.output}")
    return result.output


def render() -> str:
    """The reference: ``vaultnet --help``, then each command's help under its own heading."""
    from vaultnet.cli.main import main

    parts = []
    for path, _command in command_paths(main):
        name = " ".join(("vaultnet", *path))
        parts.append(f"### `{name}`\n\n```text\n{help_text(path).rstrip()}\n```\n")
    return "\n".join(parts)


def updated(page: str) -> str:
    """``page`` with the text between the markers replaced by :func:`render`'s."""
    start, end = page.find(BEGIN), page.find(END)
    if start < 0 or end < start:
        raise ValueError(f"no command reference markers ({BEGIN!r} ... {END!r})")
    return f"{page[:start + len(BEGIN)]}\n\n{render()}\n{page[end:]}"


def run(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m vaultnet.cli.reference", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the reference is out of date")
    parser.add_argument("--page", type=Path, default=PAGE, help="the page to update (default: %(default)s)")
    args = parser.parse_args(argv)
    current = args.page.read_text(encoding="utf-8")
    try:
        fresh = updated(current)
    except ValueError as err:
        print(f"{args.page}: {err}", file=sys.stderr)
        return 1
    if fresh == current:
        return 0
    if args.check:
        print(f"{args.page}: the command reference is out of date; run python -m vaultnet.cli.reference", file=sys.stderr)
        return 1
    args.page.write_text(fresh, encoding="utf-8")
    print(f"updated the command reference in {args.page}")
    return 0


if __name__ == "__main__":
    sys.exit(run())
