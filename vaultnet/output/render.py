"""Rendering generated notes with jinja2 templates (docs/formats.md, Generated notes).

Templates come from the vault's ``.vaultnet/templates/`` first, then from the
defaults shipped with vaultnet. A vault can be cloned from anyone, so its
templates are untrusted: everything renders in a sandbox, and any failure
becomes a :class:`RenderError` naming the template.
"""

from __future__ import annotations

import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError, safe_range

from vaultnet.advice.goals import IN_TOUCH_DAYS, helpers_per_goal
from vaultnet.advice.plan import Plan
from vaultnet.base.dates import day_label
from vaultnet.base.errors import VaultnetError
from vaultnet.base.sections import SECTIONS
from vaultnet.files.config import STATE_DIR, Config
from vaultnet.files.generated import PICTURE
from vaultnet.output.templates import default_templates
from vaultnet.standings.network import Network
from vaultnet.standings.standing import BANDS, STATUSES, Standing, Status, window_start

INDEX_TEMPLATE = "index.md"
PLAN_TEMPLATE = "plan.md"
# The order tables appear in the index: what needs action first.
ACTIVE_DAYS = 90  # "the people you were in touch with lately"
STATUS_ORDER: tuple[Status, ...] = ("overdue", "due", "never", "ok", "untracked", "snoozed", "paused")
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


MAX_RENDER_SECONDS = 10.0
MAX_OUTPUT_CHARS = 16 * 1024 * 1024
MAX_TEMPLATE_BYTES = 1024 * 1024
_deadline: ContextVar[float] = ContextVar("render_deadline", default=float("inf"))


class TemplateLimit(Exception):
    """A vault template ran too long or wrote too much."""


def _check_time() -> None:
    if time.monotonic() > _deadline.get():
        raise TemplateLimit(f"took longer than {MAX_RENDER_SECONDS:g} s; stopped")


class ConfinedLoader(jinja2.BaseLoader):
    """Vault templates, read only from inside their folder.

    jinja2's ``FileSystemLoader`` follows symlinks anywhere: a vault from
    someone else could ``{% include %}`` ``/etc/passwd`` through a link. Every
    name is resolved, symlinks included, and must stay inside the folder and be
    a regular file; anything else is a :class:`RenderError` naming the template.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        from vaultnet.files.writes import NotAFile, read_regular

        parts = template.replace("\\", "/").split("/")
        if any(part in ("", ".", "..") for part in parts):
            raise jinja2.TemplateNotFound(template)
        candidate = self.folder.joinpath(*parts)
        if not os.path.lexists(candidate):
            raise jinja2.TemplateNotFound(template)
        shown = f"{STATE_DIR}/templates/{template}"
        try:
            real = candidate.resolve(strict=True)
            real_folder = self.folder.resolve(strict=True)
        except (OSError, RuntimeError):
            raise RenderError(f"template {shown}: a broken link or a link loop") from None
        if real_folder not in real.parents:
            raise RenderError(f"template {shown}: leads outside the templates folder (to {real}); not reading it")
        try:
            found = read_regular(real, limit=MAX_TEMPLATE_BYTES)
        except NotAFile as err:
            raise RenderError(f"template {shown}: {str(err).split(': ', 1)[-1]}") from None
        except OSError as err:
            raise RenderError(f"template {shown}: cannot read it ({err.strerror})") from None
        if found is None:
            raise jinja2.TemplateNotFound(template)
        data, info = found
        if len(data) > MAX_TEMPLATE_BYTES:
            raise RenderError(f"template {shown}: larger than {MAX_TEMPLATE_BYTES // 1024} KB")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise RenderError(f"template {shown}: not valid UTF-8") from None
        mtime = info.st_mtime_ns
        return text, str(candidate), lambda: os.path.exists(real) and os.stat(real).st_mtime_ns == mtime


class _Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox with a clock: every call and every ``*`` checks the render's time and size limits."""

    intercepted_binops = frozenset(["*", "**"])

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        _check_time()
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _check_time()
        if operator == "**" and isinstance(right, int) and isinstance(left, int) and abs(right) > 1000:
            raise TemplateLimit("a power too large to compute")
        if operator == "*" and isinstance(right, int) and hasattr(left, "__len__") \
                or operator == "*" and isinstance(left, int) and hasattr(right, "__len__"):
            size = len(left) * right if isinstance(right, int) else len(right) * left
            if size > MAX_OUTPUT_CHARS:
                raise TemplateLimit(f"would make a value of {size} items; stopped")
        return super().call_binop(context, operator, left, right)


def _checked_range(*args: int) -> Iterator[int]:
    """``range`` that notices the time limit (nested loops over it would otherwise never end)."""
    numbers = safe_range(*args)
    for count, number in enumerate(numbers):
        if not count & 1023:
            _check_time()
        yield number


@lru_cache(maxsize=16)
def _environment(root: Path, overrides: tuple[str, ...]) -> jinja2.Environment:
    """One sandbox per vault and set of override files (a new override must win over a cached default)."""
    loaders: list[jinja2.BaseLoader] = []
    loaders.append(ConfinedLoader(root / STATE_DIR / "templates"))
    loaders.append(jinja2.FileSystemLoader(str(default_templates())))
    env = _Sandbox(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters.update(cell=cell, inline=inline, link=link)
    env.globals["range"] = _checked_range
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
        return _bounded(template, context)
    except jinja2.TemplateSyntaxError as err:
        where = _describe(config, err.filename, name)
        raise RenderError(f"template {where}, line {err.lineno}: {err.message}") from None
    except SecurityError as err:
        raise RenderError(f"template {where}: not allowed in a vault template: {err}") from None
    except jinja2.TemplateNotFound:
        raise RenderError(f"template {name} not found") from None
    except RenderError:
        raise
    except TemplateLimit as err:
        raise RenderError(f"template {where}: {err}") from None
    except Exception as err:  # untrusted templates can fail in any way; never a traceback
        raise RenderError(f"template {where}: {type(err).__name__}: {err}") from None


def _bounded(template: jinja2.Template, context: dict[str, Any]) -> str:
    """The rendered text, within :data:`MAX_RENDER_SECONDS` and :data:`MAX_OUTPUT_CHARS`."""
    token = _deadline.set(time.monotonic() + MAX_RENDER_SECONDS)
    try:
        parts, size = [], 0
        for count, part in enumerate(template.generate(context)):
            size += len(part)
            if size > MAX_OUTPUT_CHARS:
                raise TemplateLimit(f"wrote more than {MAX_OUTPUT_CHARS // 1_000_000} million characters; stopped")
            if not count & 63:  # a 10,000-row index is 300,000 parts; calls and loops check the time themselves
                _check_time()
            parts.append(part)
        return "".join(parts)
    finally:
        _deadline.reset(token)


def _describe(config: Config, filename: str | None, name: str) -> str:
    if not filename:
        return name
    path = Path(filename)
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return name


def index_row(standing: Standing) -> dict[str, Any]:
    """One contact's row of the index, with ``line`` the table row the default template writes.

    The row is kept on the standing itself: the watcher reuses the standings of
    contacts an edit cannot change, so a 10,000-row index after one edit works
    out one row again, not 10,000 (and jinja2 writes one string per row, not six
    filtered cells).
    """
    if standing.index_row is not None:
        return standing.index_row
    rec = standing.reciprocity
    row: dict[str, Any] = {
        "name": standing.name,
        "circle": standing.contact.circle or "",
        "last_contact": standing.last_contact.isoformat() if standing.last_contact else "",
        "due": standing.due.isoformat() if standing.due else "",
        "days_overdue": standing.days_overdue,
        "band": standing.tie.band,
        "reciprocity": rec.label + (", thank you due" if rec.thank_you_due else ""),
    }
    overdue = f" ({row['days_overdue']} days ago)" if row["days_overdue"] else ""
    row["line"] = (f"| {cell(link(row['name']))} | {cell(row['circle'])} | {row['last_contact']} | "
                   f"{row['due']}{overdue} | {row['band']} | {row['reciprocity']} |")
    standing.index_row = row
    return row


def _drifting_row(standing: Standing) -> dict[str, Any]:
    """One row of the index's drifting table, with ``line`` the table row the default template writes."""
    row: dict[str, Any] = {"name": standing.name, "status": standing.status,
                           "usual_gap_days": standing.rhythm.usual_gap_days, "quiet_days": standing.rhythm.quiet_days}
    row["line"] = (f"| {cell(link(row['name']))} | {row['status']} | {row['usual_gap_days']} days | "
                   f"{row['quiet_days']} days |")
    return row


def index_context(network: Network) -> dict[str, Any]:
    standings = network.standings
    statuses = Counter(s.status for s in standings)
    circles = Counter(s.contact.circle for s in standings)
    bands = Counter(s.tie.band for s in standings)
    rows = {status: [] for status in STATUS_ORDER}  # type: dict[str, list[dict[str, Any]]]
    for standing in sorted(standings, key=lambda s: (-s.days_overdue, s.due or network.today, s.name.casefold())):
        rows[standing.status].append(index_row(standing))
    start = window_start(network.today, ACTIVE_DAYS)  # `within`, its start worked out once
    active = [s for s in standings if s.last_contact and start <= s.last_contact <= network.today]
    active_industries = Counter(s.contact.fields.get("industry", "(none)").casefold() for s in active)
    active_bands = Counter(s.tie.band for s in active)
    drifting = [_drifting_row(s) for s in sorted(
        (s for s in standings if s.rhythm.drifting),
        key=lambda s: (-(s.rhythm.quiet_days or 0) / (s.rhythm.usual_gap_days or 1), s.name.casefold()))]
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
        # Each table's rows as the default template writes them, joined once here: a template loop
        # over 10,000 rows is a sandboxed lookup each, a third of a watcher's index write.
        "table_lines": {status: "\n".join(row["line"] for row in found) for status, found in rows.items() if found},
        "problems": [str(problem) for problem in network.problems],
        "calendar": f"{network.config.output}/{PICTURE}",
        "drifting": drifting,
        "drifting_lines": "\n".join(row["line"] for row in drifting),
        "goals": helpers_per_goal(standings, network.config.goals, network.today),
        "goals_days": IN_TOUCH_DAYS,
    }


def _section_text(items: list[dict[str, Any]]) -> str:
    """A plan section's items as the default template writes them, a day's heading before each day's first:
    worked out here, since a template loop over a large vault's 3,000 items is most of writing its plan."""
    lines: list[str] = []
    for number, item in enumerate(items):
        day = item["day"]
        if day and (not number or items[number - 1]["day"] != day):
            lines.extend(("", f"**{day}**", "") if number else (f"**{day}**", ""))
        people = " and ".join(link(person) for person in item["people"])
        if item["task"]:
            tags = "".join(f" #{tag}" for tag in item["tags"])
            lines.append(f"- [ ] {people} — {inline(item['text'])}{tags} ^{item['key']}")
        else:
            lines.append(f"- {people} — {inline(item['text'])}")
    return "\n".join(lines)


def plan_context(plan: Plan) -> dict[str, Any]:
    sections = []
    for section in SECTIONS:
        items = [
            {
                "people": list(item.people), "text": item.text, "key": item.key, "tags": list(item.tags),
                "task": item.task, "due": item.due.isoformat() if item.due else None,
                "day": day_label(item.day) if item.day else None,
            }
            for item in plan.section(section.id)
        ]
        empty = section.empty.format(lookahead_days=plan.lookahead_days)
        if section.id == "check-in" and plan.untracked:
            # A vault read as it is often has people and no circles yet: say why no one is due.
            noun = "contact has" if plan.untracked == 1 else "contacts have"
            empty += f" {plan.untracked} {noun} no circle or cadence yet: `vaultnet triage` gives them one."
        sections.append({"id": section.id, "title": section.title, "empty": empty, "items": items,
                         "text": _section_text(items) if items else empty})
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
