"""Rendering generated notes with jinja2 templates (spec section 6).

Templates come from the vault's ``.vaultnet/templates/`` first, then from the
defaults shipped with vaultnet. A vault can be cloned from anyone, so its
templates are untrusted: everything renders in a sandbox, and any failure
becomes a :class:`RenderError` naming the template.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from .calendar_svg import NAME as PICTURE
from .config import STATE_DIR, Config
from .errors import VaultnetError
from .goals import IN_TOUCH_DAYS, helpers_per_goal
from .insights import BANDS, STATUSES, within
from .network import Network
from .plan import Plan
from .sections import SECTIONS
from .templates import default_templates

INDEX_TEMPLATE = "index.md"
PLAN_TEMPLATE = "plan.md"
# The order tables appear in the index: what needs action first.
ACTIVE_DAYS = 90  # "the people you were in touch with lately"
STATUS_ORDER = ("overdue", "due", "never", "ok", "untracked", "snoozed", "paused")
assert set(STATUS_ORDER) == set(STATUSES)


class RenderError(VaultnetError):
    """A template could not be loaded or rendered."""


class Markup(str):
    """Markdown vaultnet wrote itself (a ``[[link]]``): the filters leave it as it is."""


# Characters that make markdown, Obsidian or Dataview syntax out of copied text: emphasis,
# code, HTML and entities, wikilinks, embeds and callouts, tags, highlights, math, block ids.
_SYNTAX = re.compile(r"[\\`*_\[\]<>#~=|&$^!]")


def neutralise(text: str) -> str:
    """Note text that shows as the same text: every markdown character escaped, inline fields and comments broken.

    A backslash before ASCII punctuation shows the character itself (CommonMark);
    ``key:: value`` would become a Dataview field and ``%%`` a comment, so their
    second character is escaped or written as an entity.
    """
    text = _SYNTAX.sub(lambda m: "\\" + m.group(0), text)
    return text.replace("::", ":\\:").replace("%%", "%&#37;")


def _text(value: object) -> str:
    if isinstance(value, Markup):
        return str(value)
    return neutralise("" if value is None else str(value))


def cell(value: object) -> str:
    """Text safe inside a markdown table cell: markdown neutralised, ``|`` and line breaks escaped."""
    text = str(value).replace("|", "\\|") if isinstance(value, Markup) else _text(value)
    return "<br>".join(part.strip() for part in text.splitlines()) if "\n" in text or "\r" in text else text


def inline(value: object) -> str:
    """Text safe on one list line: markdown neutralised, on one line."""
    return " ".join(_text(value).split())


def link(name: object) -> Markup:
    return Markup(f"[[{name}]]")


@lru_cache(maxsize=16)
def _environment(root: Path, overrides: tuple[str, ...]) -> jinja2.Environment:
    """One sandbox per vault and set of override files (a new override must win over a cached default)."""
    loaders: list[jinja2.BaseLoader] = []
    loaders.append(jinja2.FileSystemLoader(str(root / STATE_DIR / "templates")))
    loaders.append(jinja2.FileSystemLoader(str(default_templates())))
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters.update(cell=cell, inline=inline, link=link)
    return env


def environment(config: Config) -> jinja2.Environment:
    folder = config.root / STATE_DIR / "templates"
    try:
        overrides = tuple(sorted(os.listdir(folder)))
    except OSError:
        overrides = ()
    return _environment(config.root, overrides)


def render(config: Config, name: str, context: dict[str, Any]) -> str:
    env = environment(config)
    where = name
    try:
        template = env.get_template(name)
        where = _describe(config, template.filename, name)
        return template.render(context)
    except jinja2.TemplateSyntaxError as err:
        where = _describe(config, err.filename, name)
        raise RenderError(f"template {where}, line {err.lineno}: {err.message}") from None
    except SecurityError as err:
        raise RenderError(f"template {where}: not allowed in a vault template: {err}") from None
    except jinja2.TemplateNotFound:
        raise RenderError(f"template {name} not found") from None
    except Exception as err:  # untrusted templates can fail in any way; never a traceback
        raise RenderError(f"template {where}: {type(err).__name__}: {err}") from None


def _describe(config: Config, filename: str | None, name: str) -> str:
    if not filename:
        return name
    path = Path(filename)
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return name


def index_context(network: Network) -> dict[str, Any]:
    standings = network.standings
    statuses = Counter(s.status for s in standings)
    circles = Counter(s.contact.circle for s in standings)
    bands = Counter(s.tie.band for s in standings)
    rows = {status: [] for status in STATUS_ORDER}  # type: dict[str, list[dict[str, Any]]]
    for standing in sorted(standings, key=lambda s: (-s.days_overdue, s.due or network.today, s.name.casefold())):
        rec = standing.reciprocity
        rows[standing.status].append({
            "name": standing.name,
            "circle": standing.contact.circle or "",
            "last_contact": standing.last_contact.isoformat() if standing.last_contact else "",
            "due": standing.due.isoformat() if standing.due else "",
            "days_overdue": standing.days_overdue,
            "band": standing.tie.band,
            "reciprocity": rec.label + (", thank you due" if rec.thank_you_due else ""),
        })
    active = [s for s in standings if s.last_contact and within(s.last_contact, network.today, ACTIVE_DAYS)]
    active_industries = Counter(s.contact.fields.get("industry", "(none)").casefold() for s in active)
    active_bands = Counter(s.tie.band for s in active)
    return {
        "today": network.today.isoformat(),
        "total": len(standings),
        "active_days": ACTIVE_DAYS,
        "active": len(active),
        "active_by_band": [(band, active_bands[band]) for band in BANDS if active_bands[band]],
        "active_by_industry": sorted(active_industries.items(), key=lambda pair: (-pair[1], pair[0])),
        "by_status": [(status, statuses[status]) for status in STATUS_ORDER],
        "by_circle": [(circle, circles[circle]) for circle in network.config.circles]
        + [("(none)", circles[None])],
        "by_band": [(band, bands[band]) for band in BANDS],
        "tables": [(status, rows[status]) for status in STATUS_ORDER if rows[status]],
        "problems": [str(problem) for problem in network.problems],
        "calendar": f"{network.config.output}/{PICTURE}",
        "drifting": [
            {"name": s.name, "status": s.status, "usual_gap_days": s.rhythm.usual_gap_days,
             "quiet_days": s.rhythm.quiet_days}
            for s in sorted((s for s in standings if s.rhythm.drifting),
                            key=lambda s: (-(s.rhythm.quiet_days or 0) / (s.rhythm.usual_gap_days or 1), s.name.casefold()))
        ],
        "goals": helpers_per_goal(standings, network.config.goals, network.today),
        "goals_days": IN_TOUCH_DAYS,
    }


def plan_context(plan: Plan) -> dict[str, Any]:
    sections = []
    for section in SECTIONS:
        items = [
            {
                "people": list(item.people), "text": item.text, "key": item.key, "tags": list(item.tags),
                "task": item.task, "due": item.due.isoformat() if item.due else None,
                "day": f"{item.day:%a} {item.day.isoformat()}" if item.day else None,
            }
            for item in plan.section(section.id)
        ]
        empty = section.empty.format(lookahead_days=plan.lookahead_days)
        sections.append({"id": section.id, "title": section.title, "empty": empty, "items": items})
    return {
        "week": plan.week,
        "today": plan.today.isoformat(),
        "monday": plan.monday.isoformat(),
        "sunday": plan.sunday.isoformat(),
        "budget_minutes": plan.budget_minutes,
        "lookahead_days": plan.lookahead_days,
        "used_minutes": plan.used_minutes,
        "sections": sections,
    }
