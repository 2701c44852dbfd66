"""The read-only commands: ``status``, ``show``, ``check``, ``intros`` and ``export``.

None of them writes into the vault (``export -o`` writes only the file it is
given). A thin click layer: the core works out the answer, :mod:`vaultnet.output.report`
and :mod:`vaultnet.output.views` shape it, and each command imports them when it runs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from vaultnet.base.vocabulary import STATUSES
from vaultnet.cli.answers import answered
from vaultnet.cli.state import Registered, State, emit_json, resolve_contact


@click.command()
@click.option("--status", "statuses", multiple=True, type=click.Choice((*STATUSES, "drifting")),
              help="Only contacts with this status, or drifting from their usual rhythm (repeatable).")
@click.option("--circle", "circles", multiple=True, help="Only contacts in this circle (repeatable).")
@click.option("--location", metavar="TEXT", help="Only contacts whose location holds TEXT (any case, accents optional).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
@answered()
def status(state: State, statuses: tuple[str, ...], circles: tuple[str, ...], location: str | None, as_json: bool) -> None:
    """Every contact and where the relationship stands."""
    from vaultnet.output.report import chosen as choose
    from vaultnet.output.report import status_json

    network = state.network
    try:
        chosen = choose(network, statuses, circles, location)
    except ValueError as err:  # a circle the vault does not have
        raise click.BadParameter(str(err), param_hint="--circle") from None
    if as_json:
        emit_json(status_json(network, chosen, lazily=True))
    else:
        from vaultnet.output.views import print_status

        print_status(chosen, sys.stdout, terminal=sys.stdout.isatty())
    state.report_problems()


@click.command()
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--why", is_flag=True,
              help="Say which rule made the note a person, and which note and line gave each fact.")
@click.pass_obj
@answered()
def show(state: State, name: str, as_json: bool, why: bool) -> None:
    """One contact: fields, status, reciprocity, tie, interactions and tasks."""
    from vaultnet.advice.intros import involving as introductions_of

    network = state.network
    contact = resolve_contact(state, name)
    standing = network.by_path(contact.path)
    involving = introductions_of(network, standing)
    reasons = None
    if why:
        from vaultnet.output.why import explain

        reasons = explain(standing, network)
    if as_json:
        from vaultnet.output.report import show_answer

        emit_json({**show_answer(standing, network, involving), **({"why": reasons} if reasons is not None else {})})
    else:
        from vaultnet.output.views import show_lines

        click.echo("\n".join(show_lines(standing, network, involving)))
        if reasons is not None:
            from vaultnet.output.why import why_lines

            click.echo("\nWhy:\n" + "\n".join(f"  {line}" for line in why_lines(reasons)))


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def check(state: State, as_json: bool) -> None:
    """List every problem in the vault, as path:line: message. Exits 1 when there are any."""
    from vaultnet.capture.imports import probe
    from vaultnet.output.reading import lines, read
    from vaultnet.output.survey import interaction_sources, rule_summary
    from vaultnet.pipeline.history import git_problems, picture_copies

    network = state.network
    problems = [*network.problems, *probe(state.config), *picture_copies(state.config), *git_problems(state.config)]
    if as_json:
        emit_json({"problems": [problem.to_json() for problem in problems],
                   "rules": {"contacts": network.rules, "interactions": interaction_sources(network)},
                   "reading": read(network).json()})
    else:
        for problem in problems:
            click.echo(str(problem))
        if not state.quiet:
            click.echo(rule_summary(network), err=True)
            click.echo("how vaultnet read this vault:", err=True)
            for line in lines(read(network), network):
                click.echo(f"  {line}", err=True)
            if not network.standings:
                from vaultnet.output.survey import no_contacts_message

                click.echo(no_contacts_message(network.config), err=True)
        if not problems and not state.quiet:
            click.echo("No problems found.", err=True)
    if problems:
        sys.exit(1)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--limit", type=click.IntRange(min=0), default=20, show_default=True, help="Show the best N.")
@click.option("--all", "show_all", is_flag=True, help="Show every introduction, printed as it is found.")
@click.pass_obj
@answered()
def intros(state: State, as_json: bool, limit: int, show_all: bool) -> None:
    """Introductions worth making: whose needs meet whose offers, best first."""
    from vaultnet.output.report import intro_answer, introductions, intros_json

    if as_json and not show_all:
        emit_json(intros_json(state.network, limit))
        state.report_problems()
        return
    suggestions = introductions(state.network, None if show_all else limit)
    shown = 0
    if as_json:  # streamed: one introduction a line, as each is found
        click.echo('{"introductions": [', nl=False)
        for intro, why in suggestions:
            line = json.dumps(intro_answer(intro, why), ensure_ascii=False)
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


@click.command("export")
@click.argument("fmt", type=Registered("vaultnet.output.exports", "FORMATS"))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE instead of standard output.")
@click.pass_obj
def export_command(state: State, fmt: str, output: Path | None) -> None:
    """Contacts as JSON, CSV or vCard; birthdays and follow-ups as an iCalendar feed (ics)."""
    from vaultnet.output.exports import export, write_output

    data = export(state.network, fmt)
    if output is None:
        click.echo(data, nl=False)
    else:
        state.report_write(str(output), write_output(state.config, output, data))
    state.report_problems()


COMMANDS = (status, show, check, intros, export_command)
