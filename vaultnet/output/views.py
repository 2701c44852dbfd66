"""Text for people at a terminal: the status table and the ``show`` page.

A terminal gets a rich table; a pipe gets tab-separated columns that ``cut``,
``awk`` and spreadsheets read without surprises.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO

from vaultnet.advice import deepen, goals
from vaultnet.advice.intros import Introduction
from vaultnet.advice.plan import PlanItem
from vaultnet.advice.reciprocity import STARTS_ADVICE, starts_sentence
from vaultnet.base.dates import Date, day_label
from vaultnet.output.people import brief_sections
from vaultnet.output.report import iso
from vaultnet.output.sparkline import contact_line
from vaultnet.standings.network import Network
from vaultnet.standings.standing import Standing

STATUS_STYLE = {
    "overdue": "bold red", "due": "yellow", "never": "magenta", "ok": "green",
    "snoozed": "dim", "untracked": "dim", "paused": "dim",
}
COLUMNS = ("name", "circle", "status", "last contact", "due", "overdue", "tie", "reciprocity")


def status_rows(standings: Sequence[Standing]) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for standing in standings:
        rec = standing.reciprocity
        reciprocity = rec.label + (", thank you due" if rec.thank_you_due else "")
        rows.append((
            standing.name,
            standing.contact.circle or "",
            standing.status,
            iso(standing.last_contact) or "",
            iso(standing.due) or "",
            str(standing.days_overdue) if standing.days_overdue else "",
            standing.tie.band,
            reciprocity,
        ))
    return rows


def print_status(standings: Sequence[Standing], out: IO[str], terminal: bool) -> None:
    rows = status_rows(standings)
    if not terminal:
        for row in (COLUMNS, *rows):
            out.write("\t".join(cell.replace("\t", " ") for cell in row) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in COLUMNS:
        table.add_column(column, justify="right" if column == "overdue" else "left", no_wrap=column != "name")
    for row in rows:
        table.add_row(*row[:2], f"[{STATUS_STYLE[row[2]]}]{row[2]}[/]", *row[3:])
    Console(file=out, highlight=False).print(table)


def show_lines(
    standing: Standing, network: Network, introductions: Sequence[Introduction] = (), limit: int = 5
) -> list[str]:
    """The ``show`` page as plain lines: a brief to read before reaching out, then a year of contact."""
    contact = standing.contact
    rec, tie = standing.reciprocity, standing.tie
    lines = [f"{contact.name}  ({contact.path})"]
    if contact.aliases:
        lines.append(f"aliases: {', '.join(contact.aliases)}")
    for key, value in contact.fields.items():
        lines.append(f"{key}: {value}")
    if contact.introduced_by:
        lines.append(f"introduced by: {contact.introduced_by}")

    lines.append("")
    cadence = f"every {standing.cadence_days} days" if standing.cadence_days else "no cadence"
    lines.append(f"status: {standing.status}" + (f" ({standing.days_overdue} days)" if standing.days_overdue else "")
                 + f" · circle: {contact.circle or '-'} · {cadence}")
    if standing.last_contact:
        lines.append(f"last contact: {iso(standing.last_contact)} ({standing.last_kind})"
                     + (f" · due {iso(standing.due)}" if standing.due else ""))
    if contact.snooze_until:
        lines.append(f"snoozed until: {iso(contact.snooze_until)}")
    if standing.next_birthday:
        age = f" (turns {standing.age})" if standing.age is not None else ""
        lines.append(f"next birthday: {iso(standing.next_birthday)}{age}")
    lines.append(f"reciprocity (365 days): gave {rec.gave} · got {rec.got} · asked {rec.asked} · "
                 f"thanked {rec.thanked} — {rec.label}" + (" · thank you due" if rec.thank_you_due else ""))
    conversations = starts_sentence(rec, contact.name)
    if conversations:
        lines.append(f"conversations (chats): {conversations}")
    lines.append(f"tie: {tie.band} (intensity {tie.intensity:.2f}, embeddedness {tie.embeddedness})")
    if standing.rhythm.usual_gap_days:
        lines.append(f"rhythm: {standing.rhythm.describe()}" + (" — drifting" if standing.rhythm.drifting else ""))

    lines.extend(["", "Before you reach out", "===================="])

    def section(title: str, entries: list[str]) -> None:
        if entries:
            lines.extend(["", f"{title}:", *(f"  {entry}" for entry in entries)])

    section("Last interactions", [
        f"{iso(item.date)}  {item.kind:<8} {item.text}  ({item.path}:{item.line or ''}"
        f"{', named without a link' if item.source == 'unlinked' else ''})".rstrip()
        for item in standing.interactions[:limit]
    ])
    section("Planned", [f"{iso(item.date)}  {item.kind:<8} {item.text}" for item in standing.planned])
    section("Follow-ups", [f"{iso(task.due)}  {task.text}  ({task.path}:{task.line})" for task in standing.follow_ups])
    section("Open loops", [f"{task.text}  ({task.path}:{task.line})" for task in standing.open_loops])
    section("Goals, needs and offers", [
        f"{title}: {'; '.join(values)}"
        for title, values in (("goals", contact.goals), ("needs", contact.needs),
                              ("offers", contact.offers), ("interests", contact.interests))
        if values
    ] + ([f"goals: {deepen.SHOW_NOTE}"] if deepen.goals_unknown(standing) else []))
    section("Towards your goals", goals.reasons([contact], network.config.goals))
    for title, entries in brief_sections(standing, network):
        section(title, entries)
    connections = sorted(network.names(standing.neighbours), key=str.casefold)
    section("Shared connections", [", ".join(connections)] if connections else [])
    section("What you owe each other", owed(standing))
    section("People they could meet", [
        f"{other}: {'; '.join(intro.reasons)}"
        for intro in introductions
        for other in [intro.second.name if intro.first is standing else intro.first.name]
    ])
    lines.extend(["", contact_line([item.date for item in standing.interactions], network.today)])
    return lines


def owed(standing: Standing) -> list[str]:
    """Reciprocity in words: what each side owes the other."""
    rec = standing.reciprocity
    entries = []
    if rec.thank_you_due:
        got = next((i for i in standing.interactions if "got" in i.exchanges), None)
        what = f" for {got.text} ({iso(got.date)})" if got and got.text else ""
        entries.append(f"you owe them a thank you{what}")
    if rec.label == "taking":
        entries.append(f"you got {rec.got} and asked {rec.asked} times, gave {rec.gave}: give before you ask again")
    elif rec.label == "one-way":
        entries.append(f"you gave {rec.gave} times and never asked: ask for something small")
    elif rec.label == "balanced":
        entries.append(f"balanced: you gave {rec.gave}, got {rec.got}, asked {rec.asked}, thanked {rec.thanked}")
    else:
        entries.append("no exchanges in the last 365 days")
    if rec.starts in STARTS_ADVICE:
        entries.append(f"{starts_sentence(rec, standing.name)}: {STARTS_ADVICE[rec.starts]}")
    return entries


def today_lines(day: Date, items: Sequence[PlanItem]) -> list[str]:
    """``vaultnet today``: one line per item, the section first."""
    if not items:
        return [f"{day_label(day)}: nothing planned for today."]
    lines = [day_label(day)]
    for item in items:
        lines.append(f"  {item.section:<12} {' and '.join(item.people)} — {item.text}")
    return lines
