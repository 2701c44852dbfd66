"""The commands about who is who: ``duplicates`` and ``merge``.

A thin click layer: :mod:`vaultnet.standings.duplicates` finds likely
duplicates, :mod:`vaultnet.edits.merge` merges two notes and
:mod:`vaultnet.output.patch` shows a merge before it is made.
"""

from __future__ import annotations

from typing import Any

import click

from vaultnet.cli.state import State, emit_json, resolve_contact


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def duplicates(state: State, as_json: bool) -> None:
    """Notes that are likely one person, with the evidence for each pair and the merge command."""
    from vaultnet.evidence.relations import ties
    from vaultnet.output.duplicates import duplicate_lines, duplicates_json
    from vaultnet.standings.duplicates import find_duplicates

    network = state.network
    pairs = find_duplicates([s.contact for s in network.standings], ties(network.relatives),
                            state.config.not_duplicates)
    if as_json:
        emit_json(duplicates_json(pairs, network))
    elif pairs:
        click.echo("\n".join(duplicate_lines(pairs, network)))
    elif not state.quiet:
        click.echo("No likely duplicates.", err=True)
    state.report_problems()


def _contact(state: State, name: str) -> Any:
    """A contact by its note's path (``People/Ana Souza.md``), else by name or alias."""
    wanted = name.strip().removeprefix("./")
    for standing in state.network.standings:
        if standing.contact.path in (wanted, wanted + ".md"):
            return standing.contact
    return resolve_contact(state, name)


@click.command()
@click.argument("keep")
@click.argument("other")
@click.option("--dry-run", is_flag=True, help="Show the change as a patch (git apply makes it) and change nothing.")
@click.pass_obj
def merge(state: State, keep: str, other: str, dry_run: bool) -> None:
    """Merge OTHER's note into KEEP's and move it to the trash (.trash/ or the system trash).

    KEEP and OTHER are names, aliases or note paths. KEEP gains OTHER's missing properties as new lines,
    its log lines, its other text under a heading, and its name as an alias; OTHER is never deleted.
    """
    from vaultnet.edits.merge import merge as merge_notes
    from vaultnet.edits.merge import plan_merge
    from vaultnet.files.trash import SYSTEM
    from vaultnet.output.patch import deleted, modified, renamed

    kept, gone = _contact(state, keep), _contact(state, other)
    if dry_run:
        plan = plan_merge(state.config, kept, gone, state.today)
        moved = deleted(plan.other, plan.other_data) if plan.trash == SYSTEM else renamed(plan.other, plan.trash)
        click.echo(f"# vaultnet merge: {gone.name} into {kept.name}; {plan.other} goes to {plan.trash}\n"
                   + modified(plan.keep, plan.before, plan.after) + moved, nl=False)
        return
    done = merge_notes(state.config, kept, gone, state.today)
    if not state.quiet:
        click.echo(f"merged {done.other} into {done.keep}; {done.other} is now in {done.trash}")


COMMANDS = (duplicates, merge)
