"""Finding the vault and reading ``vaultnet.toml`` (docs/formats.md, The vault)."""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import string
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from vaultnet.base.dates import Cadence, DailyFormat, parse_cadence
from vaultnet.base.errors import ConfigError
from vaultnet.base.keys import FIELD_KEYS, PEOPLE_FOLDERS, PERSON_PROPERTIES, PERSON_VALUES, TEMPLATE_FOLDERS

CONFIG_NAME = "vaultnet.toml"
STATE_DIR = ".vaultnet"
# The settings vaultnet reads, where Obsidian and its plugins keep them in a config folder (see _read_obsidian).
SETTINGS_NAMES = (
    "daily-notes.json", "templates.json",
    "plugins/periodic-notes/data.json", "plugins/templater-obsidian/data.json",
    "plugins/quickadd/data.json", "plugins/personal-crm/data.json",
)
DEFAULT_CONFIG_FOLDER = ".obsidian"
SETTINGS_FILES = tuple(f"{DEFAULT_CONFIG_FOLDER}/{name}" for name in SETTINGS_NAMES)
# What marks a hidden folder as an Obsidian config folder: Obsidian lets each device keep its
# settings in a folder of its own name (Settings → About → Override config folder: `.desktop/`).
_CONFIG_MARKS = ("app.json", "core-plugins.json", "community-plugins.json", "appearance.json", *SETTINGS_NAMES[:2])
# Hidden folders that are never Obsidian's settings.
_NOT_CONFIG = frozenset((".git", ".trash", STATE_DIR, ".github", ".vscode", ".idea", ".makemd", ".space"))

DEFAULT_CIRCLES = {
    "inner": "2 weeks",
    "close": "1 month",
    "network": "3 months",
    "acquaintance": "1 year",
}
DEFAULT_KINDS = ["call", "coffee", "meeting", "email", "message", "event", "intro"]
DEFAULT_MINUTES = {"call": 30, "coffee": 60, "meeting": 60, "message": 10, "email": 15}


@dataclass(frozen=True)
class TieConfig:
    half_life_days: float = 180
    strong: float = 4
    moderate: float = 1
    weak: float = 0.1


@dataclass(frozen=True)
class PlanConfig:
    budget_minutes: int = 120
    minutes: dict[str, int] = field(default_factory=lambda: dict(DEFAULT_MINUTES))
    default_minutes: int = 15
    reconnect: int = 2
    introductions: int = 1
    lookahead_days: int = 14  # the plan's "Coming up": birthdays and follow-ups this many days after the week
    circle_back_days: int = 30
    nudge_days: int = 7
    reply_days: int = 2  # someone who wrote waits this long for your answer before the plan says so
    daily_minutes: int | None = None  # set: check-ins are spread over the days left in the week


@dataclass(frozen=True)
class CaptureConfig:
    """``[capture]``: the calendars, mail and chats that ``import`` and ``watch`` read (see vaultnet.capture)."""

    calendars: tuple[str, ...] = ()  # .ics paths, http(s) URLs, env:NAME or file:PATH holding a URL
    mail: tuple[str, ...] = ()  # mbox files and Maildir folders
    max_attendees: int = 10
    chats: tuple[str, ...] = ()  # chat exports, or folders they land in
    group_chats: bool = False  # group chats count (as weaker contact) only when set
    my_names: tuple[str, ...] = ()  # your own name(s) in WhatsApp exports
    phone_region: str = ""  # the country of numbers written without their country code ("DE"); empty: worked out
    whatsapp_date_order: str = ""  # "dmy", "mdy" or "ymd" for WhatsApp dates; empty: worked out per export


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NOTIFY_FORMATS = ("text", "markdown")


@dataclass(frozen=True)
class NotifyConfig:
    """``[notify]``: where notifications go and when (see vaultnet.reach). Without ``urls`` nothing is sent."""

    urls: tuple[str, ...] = ()  # Apprise URLs, or env:NAME / file:PATH holding one (kept out of a synced vault)
    daily: dt.time | None = dt.time(8, 0)  # when the day's slice goes out; None: never
    weekly: tuple[int, dt.time] | None = (0, dt.time(8, 0))  # the weekly digest's weekday (Monday 0) and time
    format: str = "text"  # the body: plain text, or markdown for services that render it
    obsidian_vault: str = ""  # the vault's name in obsidian:// links; empty: the vault folder's name


FOLLOW_UP_FORMS = ("todo", "event")


@dataclass(frozen=True)
class SyncConfig:
    """``[sync]``: the phone's folders (vdirs) and the commands run around a sync (see vaultnet.phone)."""

    contacts: str = ""  # a folder of .vcf files, one a person; empty: contacts are not synced
    calendar: str = ""  # a folder of .ics files: birthdays, dates, follow-ups, check-ins
    before: str = ""  # a command run before each sync (e.g. "vdirsyncer sync"), to take in the phone's changes
    after: str = ""  # ... and after it, to send the vault's
    timeout: int = 120  # seconds each command may take
    every_minutes: int = 15  # how often `watch` syncs when nothing in the vault changed
    lead_days: int = 1  # birthdays and dates: the alarm this many days before
    alarm: dt.time = dt.time(9, 0)  # ... at this time
    followups: str = "todo"  # "event" for calendars that take no tasks (Google, iCloud)


@dataclass(frozen=True)
class Config:
    """Settings for one vault; every value has the spec's default."""

    root: Path
    people: tuple[str, ...] = ("People",)
    # False until vaultnet.toml names `people`: then folders named like PEOPLE_FOLDERS count, at any depth.
    people_configured: bool = False
    people_folder_names: tuple[str, ...] = PEOPLE_FOLDERS
    person_tags: tuple[str, ...] = ("person",)
    person_type: str = "person"
    person_properties: tuple[str, ...] = PERSON_PROPERTIES  # properties whose value can name a person
    person_values: tuple[str, ...] = PERSON_VALUES  # ... and the values that do (as text or [[link]])
    dated_folders: tuple[str, ...] = ()
    daily_format: str = "YYYY-MM-DD"
    daily_folder: str = ""
    daily_template: str = ""
    templates_folder: str = ""
    templates_folders: tuple[str, ...] = ()  # every templates folder (core Templates, Templater), all skipped
    daily_source: str = ""  # the plugin whose settings gave the daily notes ("Periodic Notes"), for init to say
    templates_sources: tuple[str, ...] = ()  # ... and the ones that gave the templates folders
    settings_folder: str = ""  # the config folder those settings came from, when not .obsidian/ (`.desktop`)
    daily_format_configured: bool = False  # daily_format is set in vaultnet.toml: it is not inferred from names
    mentions: bool = True  # a person's name or alias in plain text in a dated note is contact
    not_people: tuple[str, ...] = ()  # notes, folders (or globs) and names that are never people
    date_properties: tuple[str, ...] = ()  # properties that date a note (empty: date, dateTime, Datum...)
    attendee_properties: tuple[str, ...] = ()  # ... and list who was there (empty: any that links people)
    # What vaultnet concluded from the vault itself (vaultnet.evidence.conventions): the notes it took
    # as people and by which rule, the notes it set aside and why, and where the daily format came from.
    inferred_people: Mapping[str, str] = field(default_factory=dict)
    inferred_not: Mapping[str, str] = field(default_factory=dict)
    daily_inferred: str = ""  # the daily format was read off this many file names ("240 notes such as ...")
    output: str = "vaultnet"
    index_name: str = "Network"
    plan_name: str = "Plans/{week}"
    log_heading: str = "Log"
    log_target: str = "contact"
    ignore: tuple[str, ...] = ()
    kinds: tuple[str, ...] = tuple(DEFAULT_KINDS)
    tie: TieConfig = field(default_factory=TieConfig)
    circles: dict[str, Cadence] = field(
        default_factory=lambda: {name: parse_cadence(text) for name, text in DEFAULT_CIRCLES.items()}
    )
    plan: PlanConfig = field(default_factory=PlanConfig)
    fields: dict[str, str] = field(default_factory=dict)
    me: tuple[str, ...] = ()  # the user's own email addresses, lower case
    capture: CaptureConfig = field(default_factory=CaptureConfig)
    notify: NotifyConfig = field(default_factory=NotifyConfig)
    sync: SyncConfig = field(default_factory=SyncConfig)
    goals: tuple[str, ...] = ()  # the user's own goals: who can help you reach them comes first
    events: dict[str, tuple[Cadence, ...]] = field(default_factory=dict)  # [events]: life-event tag -> check-in delays
    trash: str = ""  # where `merge` puts a merged note: "local" (.trash/), "system", or "" (as Obsidian is set)
    not_duplicates: tuple[tuple[str, ...], ...] = ()  # names (or paths) of people who only look like one person
    timezone: str = ""  # an IANA zone name captures are dated in; empty: the machine's own zone

    def key(self, name: str) -> str:
        """The front-matter key the user chose for ``name``."""
        return self.fields.get(name, name)

    @cached_property
    def daily(self) -> DailyFormat:
        return DailyFormat(self.daily_format)

    @cached_property
    def note_templates(self) -> tuple[str, ...]:
        """The notes in the vault's templates folders (worked out once per settings; see :func:`template_files`)."""
        return template_files(self)

    def circle_weight(self, circle: str | None) -> float:
        """2.0 for the first circle down to 1.0 for the last; 1.0 without one."""
        names = list(self.circles)
        if circle not in names:
            return 1.0
        if len(names) == 1:
            return 2.0
        return 2.0 - names.index(circle) / (len(names) - 1)


def find_vault(explicit: str | os.PathLike[str] | None = None, cwd: Path | None = None) -> Path:
    """``--vault``, else ``VAULTNET_VAULT``, else the nearest marked ancestor, else cwd."""
    if explicit is not None and not str(explicit).strip():
        raise ConfigError("--vault is empty: give the vault's folder (or leave the option out)")
    chosen = explicit or os.environ.get("VAULTNET_VAULT")
    if chosen:
        path = Path(chosen).expanduser()
        if not path.is_dir():
            raise ConfigError(f"vault not found: {path}")
        return path.resolve()
    start = (cwd or Path.cwd()).resolve()
    for candidate in (start, *start.parents):
        if (candidate / CONFIG_NAME).is_file() or (candidate / ".obsidian").is_dir():
            return candidate
    return start


def _check_type(where: str, key: str, value: Any, kind: type | tuple[type, ...]) -> None:
    if isinstance(value, bool) and kind in (int, float, (int, float)):
        raise ConfigError(f"{where}: {key} must be a number, not {value!r}")
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        expected = {"str": "text", "int": "a whole number", "list": "a list", "dict": "a table"}.get(names, names)
        raise ConfigError(f"{where}: {key} must be {expected}, not {value!r}")


def _list_of_text(where: str, key: str, value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    _check_type(where, key, value, list)
    for item in value:
        _check_type(where, key, item, str)
    return value


def _text_list(where: str, key: str, value: Any) -> tuple[str, ...]:
    return tuple(item.strip("/") for item in _list_of_text(where, key, value))


def _json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value.strip().strip("/") if isinstance(value, str) and value.strip().strip("/") else None


def config_folders(root: Path) -> tuple[str, ...]:
    """Obsidian's config folders in the vault: ``.obsidian`` first, then any other hidden folder
    holding Obsidian's settings (a device's override config folder, ``.desktop``, ``.iPad``)."""
    found: list[str] = []
    try:
        names = sorted(entry.name for entry in os.scandir(root)
                       if entry.name.startswith(".") and entry.name not in _NOT_CONFIG and entry.is_dir())
    except OSError:
        return ()
    for name in names:
        if name == DEFAULT_CONFIG_FOLDER or any((root / name / mark).is_file() for mark in _CONFIG_MARKS):
            found.append(name)
    found.sort(key=lambda name: name != DEFAULT_CONFIG_FOLDER)
    return tuple(found)


def settings_files(config: Config) -> list[str]:
    """Every file vaultnet's settings come from besides vaultnet.toml: Obsidian's settings in every
    config folder, and the vault's note templates (what a person template holds says who is a
    person). For the fingerprint and the cache."""
    found = [f"{folder}/{name}" for folder in config_folders(config.root) or (DEFAULT_CONFIG_FOLDER,)
             for name in SETTINGS_NAMES]
    return found + list(config.note_templates)


TEMPLATE_DEPTH = 2  # a templates folder found by its name lies this deep at most (`Templates`, `Meta/Templates`)
# ... and is written one of these ways one folder down (at the top, in any case).
_TEMPLATE_SPELLINGS = tuple(dict.fromkeys(
    spelt for name in sorted(TEMPLATE_FOLDERS) for spelt in (name, name.capitalize())))


def template_folders(config: Config) -> tuple[str, ...]:
    """The vault's templates folders: those its settings (or vaultnet.toml) name, else the folders
    named like one (``Templates``, ``_templates``, ``Vorlagen``...) at the top of the vault or one
    folder down (a warm build looks for them: by names only, never a stat per note)."""
    if config.templates_folders or config.templates_folder:
        return tuple(dict.fromkeys(f for f in (*config.templates_folders, config.templates_folder) if f))
    try:
        tops = sorted(entry.name for entry in os.scandir(config.root)
                      if not entry.name.startswith(".") and entry.is_dir(follow_symlinks=False))
    except OSError:
        return ()
    found = [name for name in tops if name.casefold() in TEMPLATE_FOLDERS]
    for top in tops:
        if top.casefold() in TEMPLATE_FOLDERS or top == config.output:
            continue
        base = os.path.join(config.root, top)
        for name in _TEMPLATE_SPELLINGS:  # looked up, not listed: a people folder can hold thousands of notes
            path = os.path.join(base, name)
            if os.path.isdir(path) and not os.path.islink(path):
                found.append(f"{top}/{name}")
    return tuple(sorted(dict.fromkeys(found)))


def template_files(config: Config) -> tuple[str, ...]:
    """The notes in the templates folders (see :func:`template_folders`), in a stable order."""
    found: list[str] = []
    for folder in template_folders(config):
        base = config.root / folder
        for current, dirs, files in os.walk(base):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            rel = os.path.relpath(current, config.root).replace(os.sep, "/")
            found.extend(f"{rel}/{name}" for name in sorted(files) if name.lower().endswith(".md"))
    return tuple(found)


def _read_obsidian(root: Path) -> dict[str, Any]:
    """The settings of the first config folder that has any (``.obsidian`` first): see :func:`_read_settings`."""
    for folder in config_folders(root):
        found = _read_settings(root / folder)
        if found:
            if folder != DEFAULT_CONFIG_FOLDER:
                found["settings_folder"] = folder
            return found
    return {}


def _read_settings(settings: Path) -> dict[str, Any]:
    """Daily-note and templates settings where Obsidian and its plugins keep them; unreadable files are ignored.

    Periodic Notes' daily settings win over core Daily notes when they are enabled
    (the plugin takes the core plugin's place); with neither set up, a QuickAdd choice that
    makes one note a day gives them; every templates folder found is skipped. Personal
    CRM's log heading (``Contact log`` unless its settings name another) is the log heading.
    """
    found: dict[str, Any] = {}
    daily, source = _json(settings / "daily-notes.json"), "core Daily notes"
    periodic = _json(settings / "plugins" / "periodic-notes" / "data.json").get("daily")
    if isinstance(periodic, dict) and periodic.get("enabled") is not False and any(
            _text(periodic, key) for key in ("format", "folder", "template")):
        daily, source = periodic, "Periodic Notes"
    if not any(_text(daily, key) for key in ("format", "folder")):  # no daily-notes plugin set up: QuickAdd's?
        quickadd = _quickadd_daily(_json(settings / "plugins" / "quickadd" / "data.json"))
        daily, source = {**quickadd, **daily}, "QuickAdd" if quickadd else source
    for source_key, target in (("format", "daily_format"), ("folder", "daily_folder"), ("template", "daily_template")):
        value = _text(daily, source_key)
        if value:
            found[target] = _unwrapped(value)
            found["daily_source"] = source
    folders = [("core Templates", _text(_json(settings / "templates.json"), "folder")),
               ("Templater", _text(_json(settings / "plugins" / "templater-obsidian" / "data.json"), "templates_folder"))]
    templates = tuple(dict.fromkeys(folder for _, folder in folders if folder))
    if templates:
        found["templates_folder"] = templates[0]
        found["templates_folders"] = templates
        found["templates_sources"] = tuple(name for name, folder in folders if folder)
    crm = settings / "plugins" / "personal-crm" / "data.json"
    if crm.is_file():  # Personal CRM logs under its own heading: `vaultnet log` adds to that section, not a second one
        found["log_heading"] = _text(_json(crm), "bodyLogHeading") or "Contact log"
    return found


_WRAPPED_DATE = re.compile(r"\{\{\s*date\s*:\s*([^{}]*?)\s*\}\}", re.IGNORECASE)


def _unwrapped(value: str) -> str:
    """``{{date:YYYY-MM-DD}}`` (a template's syntax, written into a setting) is the format ``YYYY-MM-DD``;
    a folder ``Daily/{{date:YYYY}}`` is ``Daily/YYYY``."""
    return _WRAPPED_DATE.sub(lambda m: m.group(1), value) if "{{" in value else value


# QuickAdd's `{{DATE}}` and `{{DATE:YYYYMMDD}}` in a file name; `{{DATE}}` is YYYY-MM-DD.
_QUICKADD_DATE = re.compile(r"\{\{DATE(?::([^{}]*))?\}\}", re.IGNORECASE)


def _quickadd_daily(data: dict[str, Any]) -> dict[str, str]:
    """Daily notes as a QuickAdd choice makes them: ``Diary/Diary-{{DATE:YYYYMMDD}}``.

    A template choice's file name (or a capture's target) that is fixed text and one
    day-precise date names one note per day: vaultnet reads those notes as daily notes,
    with the fixed text as a literal (``[Diary-]YYYYMMDD``).
    """
    choices = data.get("choices")
    for choice in choices if isinstance(choices, list) else ():
        if not isinstance(choice, dict):
            continue
        name_format, folder = choice.get("fileNameFormat"), choice.get("folder")
        if choice.get("type") == "Template" and isinstance(name_format, dict) and name_format.get("enabled"):
            target = str(name_format.get("format") or "")
            folders = folder.get("folders") if isinstance(folder, dict) and folder.get("enabled") else None
            where = str(folders[0]) if isinstance(folders, list) and folders else ""
        elif choice.get("type") == "Capture" and isinstance(choice.get("captureTo"), str):
            where, _, target = choice["captureTo"].removesuffix(".md").rpartition("/")
        else:
            continue
        dates = list(_QUICKADD_DATE.finditer(target))
        if len(dates) != 1 or "{{" in _QUICKADD_DATE.sub("", target) or "[" in target or "]" in target:
            continue  # no date, two dates, or other fields ({{VALUE}}, {{NAME}}): not one note a day
        fmt = dates[0].group(1) or "YYYY-MM-DD"
        if not all(token in fmt for token in ("YY", "M", "D")) or "/" in target:
            continue
        before, after = target[:dates[0].start()], target[dates[0].end():]
        moment = (f"[{before}]" if before else "") + fmt + (f"[{after}]" if after else "")
        return {"format": moment, "folder": where.strip("/")}
    return {}


def load_config(root: Path) -> Config:
    """Read the vault's settings; raises ``ConfigError`` naming the key and file."""
    path = root / CONFIG_NAME
    settings: dict[str, Any] = _read_obsidian(root)
    data: dict[str, Any] = {}
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise ConfigError(f"{CONFIG_NAME}: {err}") from None
        except OSError as err:
            raise ConfigError(f"{CONFIG_NAME}: cannot read: {err.strerror}") from None
    where = CONFIG_NAME

    for key, value in data.items():
        if key == "goals":
            settings[key] = tuple(goal.strip() for goal in _text_list(where, key, value) if goal.strip())
        elif key == "mentions":
            _check_type(where, key, value, bool)
            settings[key] = value
        elif key in ("not_people", "date_properties", "attendee_properties"):
            settings[key] = tuple(item for item in _text_list(where, key, value) if item)
        elif key == "templates":
            settings["templates_folders"] = tuple(item for item in _text_list(where, key, value) if item)
            settings["templates_folder"] = settings["templates_folders"][0] if settings["templates_folders"] else ""
            settings["templates_sources"] = (CONFIG_NAME,)
        elif key in ("people", "person_tags", "dated_folders", "ignore", "kinds", "person_properties", "person_values"):
            items = _text_list(where, key, value)
            if key == "people":
                items = tuple(item.strip() for item in items if item.strip())
            if key == "people":
                settings["people_configured"] = True
            settings[key] = tuple(item.lower() for item in items) if key == "kinds" else items
            if key in ("person_tags", "kinds"):
                settings[key] = tuple(item.lstrip("#") for item in settings[key])
        elif key in ("person_type", "daily_format", "output", "index_name", "plan_name", "log_heading", "log_target"):
            _check_type(where, key, value, str)
            if not value.strip():
                raise ConfigError(f"{where}: {key} must not be empty")
            settings[key] = value.strip().strip("/") if key == "output" else value.strip()
            if key == "daily_format":
                settings["daily_format_configured"] = True
        elif key == "tie":
            settings["tie"] = _tie(where, value)
        elif key == "circles":
            settings["circles"] = _circles(where, value)
        elif key == "plan":
            settings["plan"] = _plan(where, value)
        elif key == "me":
            settings["me"] = tuple(item.strip().lower() for item in _text_list(where, key, value))
        elif key == "capture":
            settings["capture"] = _capture(where, value)
        elif key == "notify":
            settings["notify"] = _notify(where, value)
        elif key == "sync":
            settings["sync"] = _sync(where, value)
        elif key == "events":
            settings["events"] = _events(where, value)
        elif key == "trash":
            _check_type(where, key, value, str)
            if value not in ("local", "system"):
                raise ConfigError(f"{where}: trash must be \"local\" or \"system\", not {value!r}")
            settings["trash"] = value
        elif key == "not_duplicates":
            _check_type(where, key, value, list)
            settings["not_duplicates"] = tuple(tuple(_list_of_text(where, key, group)) for group in value)
        elif key == "timezone":
            settings["timezone"] = _timezone(where, value)
        elif key == "fields":
            _check_type(where, key, value, dict)
            for name, renamed in value.items():
                if name not in FIELD_KEYS:
                    raise ConfigError(f"{where}: unknown key fields.{name} (known: {', '.join(FIELD_KEYS)})")
                _check_type(where, f"fields.{name}", renamed, str)
            settings["fields"] = dict(value)
        else:
            raise ConfigError(f"{where}: unknown key {key!r}")
    if "person_type" in data and "person_values" not in data:
        settings["person_values"] = (settings["person_type"],)  # the one value the user chose
    if settings.get("log_target", "contact") not in ("contact", "daily"):
        raise ConfigError(f"{where}: log_target must be \"contact\" or \"daily\", not {settings['log_target']!r}")
    _check_plan_name(where, settings.get("plan_name", "{week}"))
    return Config(root=root, **settings)


def _check_plan_name(where: str, name: str) -> None:
    """``{week}`` and nothing else in braces: ``{x}``, ``{0}`` or ``{week:>999999}`` would fail or explode later."""
    try:
        fields = [(field, spec, conversion) for _, field, spec, conversion in string.Formatter().parse(name)
                  if field is not None]
    except ValueError as err:
        raise ConfigError(f"{where}: plan_name {name!r} is not a valid name pattern ({err})") from None
    if not any(key == "week" for key, _, _ in fields):
        raise ConfigError(f"{where}: plan_name must contain {{week}}")
    for key, spec, conversion in fields:
        if key != "week" or spec or conversion:
            raise ConfigError(f"{where}: plan_name may hold only {{week}} in braces, not "
                              f"{{{key}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}"
                              " (write {{ and }} for braces)")


def _tie(where: str, value: Any) -> TieConfig:
    _check_type(where, "tie", value, dict)
    numbers: dict[str, float] = {}
    for key, number in value.items():
        if key not in TieConfig.__dataclass_fields__:
            raise ConfigError(f"{where}: unknown key tie.{key}")
        _check_type(where, f"tie.{key}", number, (int, float))
        if not math.isfinite(number):  # TOML allows nan and inf; they would reach --json as NaN
            raise ConfigError(f"{where}: tie.{key} must be a finite number, not {number!r}")
        if number <= 0 and key == "half_life_days":
            raise ConfigError(f"{where}: tie.half_life_days must be positive")
        numbers[key] = float(number)
    return TieConfig(**numbers)


def _circles(where: str, value: Any) -> dict[str, Cadence]:
    _check_type(where, "circles", value, dict)
    circles: dict[str, Cadence] = {}
    for name, cadence in value.items():
        try:
            circles[name] = parse_cadence(cadence)
        except ValueError as err:
            raise ConfigError(f"{where}: circles.{name}: {err}") from None
    return circles


def _plan(where: str, value: Any) -> PlanConfig:
    _check_type(where, "plan", value, dict)
    options: dict[str, Any] = {}
    for key, item in value.items():
        if key == "minutes":
            _check_type(where, "plan.minutes", item, dict)
            for kind, minutes in item.items():
                _count(where, f"plan.minutes.{kind}", minutes)
            # kinds are matched lower case and without '#', as `kinds` and tags are
            options[key] = {**DEFAULT_MINUTES, **{kind.lower().lstrip("#"): n for kind, n in item.items()}}
        elif key in ("budget_minutes", "default_minutes", "reconnect", "introductions",
                     "circle_back_days", "nudge_days", "daily_minutes", "lookahead_days", "reply_days"):
            options[key] = _count(where, f"plan.{key}", item)
        else:
            raise ConfigError(f"{where}: unknown key plan.{key}")
    return PlanConfig(**options)


def _count(where: str, key: str, value: Any, least: int = 0) -> int:
    """An integer setting of at least ``least``: minutes, days and limits are never negative."""
    _check_type(where, key, value, int)
    if value < least:
        raise ConfigError(f"{where}: {key} must " + ("not be negative" if least == 0 else f"be at least {least}"))
    return value


def _events(where: str, value: Any) -> dict[str, tuple[Cadence, ...]]:
    """``[events]``: a tag and the delays after it of its check-ins (``loss = ["1 week", "1 year"]``)."""
    _check_type(where, "events", value, dict)
    events: dict[str, tuple[Cadence, ...]] = {}
    for tag, delays in value.items():
        key = f"events.{tag}"
        try:
            events[tag.lower().lstrip("#")] = tuple(parse_cadence(delay) for delay in _list_of_text(where, key, delays))
        except ValueError as err:
            raise ConfigError(f"{where}: {key}: {err}") from None
    return events


def _timezone(where: str, value: Any) -> str:
    """An IANA time zone name (``Europe/Amsterdam``), checked now rather than at the first import."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    _check_type(where, "timezone", value, str)
    name = value.strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f'{where}: timezone {value!r} is not a time zone name (like "Europe/Amsterdam")') from None
    return name


def _capture(where: str, value: Any) -> CaptureConfig:
    _check_type(where, "capture", value, dict)
    options: dict[str, Any] = {}
    for key, item in value.items():
        if key in ("calendars", "mail", "chats", "my_names"):
            options[key] = tuple(text.strip() for text in _list_of_text(where, f"capture.{key}", item))
        elif key == "max_attendees":
            options[key] = _count(where, "capture.max_attendees", item, least=1)
        elif key == "group_chats":
            _check_type(where, "capture.group_chats", item, bool)
            options[key] = item
        elif key == "phone_region":
            options[key] = _phone_region(where, item)
        elif key == "whatsapp_date_order":
            _check_type(where, "capture.whatsapp_date_order", item, str)
            if item.strip().lower() not in ("dmy", "mdy", "ymd", ""):
                raise ConfigError(f'{where}: capture.whatsapp_date_order must be "dmy", "mdy" or "ymd", not {item!r}')
            options[key] = item.strip().lower()
        else:
            raise ConfigError(f"{where}: unknown key capture.{key}")
    return CaptureConfig(**options)


def _phone_region(where: str, value: Any) -> str:
    """A country as a two-letter code (``DE``, ``br``) phone numbers know, checked now; empty: unset."""
    _check_type(where, "capture.phone_region", value, str)
    import phonenumbers

    code = value.strip().upper()
    if code and code not in phonenumbers.SUPPORTED_REGIONS:
        raise ConfigError(f'{where}: capture.phone_region {value!r} is not a country code (like "DE" or "US")')
    return code


def _notify(where: str, value: Any) -> NotifyConfig:
    _check_type(where, "notify", value, dict)
    options: dict[str, Any] = {}
    for key, item in value.items():
        name = f"notify.{key}"
        if key == "urls":
            options[key] = tuple(text.strip() for text in _list_of_text(where, name, item) if text.strip())
        elif key == "daily":
            options[key] = None if _off(where, name, item) else _clock(where, name, item)
        elif key == "weekly":
            options[key] = None if _off(where, name, item) else _weekly(where, name, item)
        elif key == "format":
            _check_type(where, name, item, str)
            if item.strip().lower() not in NOTIFY_FORMATS:
                raise ConfigError(f"{where}: {name} must be one of {', '.join(NOTIFY_FORMATS)}, not {item!r}")
            options[key] = item.strip().lower()
        elif key == "obsidian_vault":
            _check_type(where, name, item, str)
            options[key] = item.strip()
        else:
            raise ConfigError(f"{where}: unknown key {name}")
    return NotifyConfig(**options)


def _sync(where: str, value: Any) -> SyncConfig:
    _check_type(where, "sync", value, dict)
    options: dict[str, Any] = {}
    for key, item in value.items():
        name = f"sync.{key}"
        if key in ("contacts", "calendar", "before", "after"):
            _check_type(where, name, item, str)
            options[key] = item.strip()
        elif key in ("timeout", "every_minutes"):
            options[key] = _count(where, name, item, least=1)
        elif key == "lead_days":
            options[key] = _count(where, name, item)
        elif key == "alarm":
            options[key] = _clock(where, name, item)
        elif key == "followups":
            _check_type(where, name, item, str)
            if item.strip().lower() not in FOLLOW_UP_FORMS:
                raise ConfigError(f"{where}: {name} must be one of {', '.join(FOLLOW_UP_FORMS)}, not {item!r}")
            options[key] = item.strip().lower()
        else:
            raise ConfigError(f"{where}: unknown key {name}")
    return SyncConfig(**options)


def _off(where: str, key: str, value: Any) -> bool:
    """``false`` or ``""`` turns a notification off; ``true`` is no time."""
    if value is False or (isinstance(value, str) and not value.strip()):
        return True
    if value is True:
        raise ConfigError(f"{where}: {key} must be a time such as \"08:00\", or false")
    return False


def _clock(where: str, key: str, value: Any) -> dt.time:
    """``"08:00"`` or ``"8:30"`` (24-hour clock), or a TOML local time (``08:00:00``)."""
    if isinstance(value, dt.time):
        return value.replace(microsecond=0)
    _check_type(where, key, value, str)
    match = re.fullmatch(r"([01]?\d|2[0-3])[:.h]([0-5]\d)", value.strip())
    if match is None:
        raise ConfigError(f"{where}: {key} must be a time on the 24-hour clock such as \"08:00\", not {value!r}")
    return dt.time(int(match.group(1)), int(match.group(2)))


def _weekly(where: str, key: str, value: Any) -> tuple[int, dt.time]:
    """``"monday 08:00"``, ``"mon 8:00"`` or ``"monday"`` (at 08:00)."""
    _check_type(where, key, value, str)
    day, _, clock = value.strip().partition(" ")
    found = [index for index, name in enumerate(WEEKDAYS) if len(day) >= 2 and name.startswith(day.lower())]
    if len(found) != 1:
        raise ConfigError(f"{where}: {key} must be a weekday and a time such as \"monday 08:00\", not {value!r}")
    return found[0], _clock(where, key, clock.strip()) if clock.strip() else dt.time(8, 0)
