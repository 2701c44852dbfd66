"""Finding the vault and reading vaultnet.toml (vaultnet.files.config, spec section 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vaultnet.base.dates import Cadence, parse_cadence
from vaultnet.base.errors import ConfigError
from vaultnet.files.config import Config, PlanConfig, TieConfig, find_vault, load_config

from conftest import write


@pytest.fixture(autouse=True)
def _no_vault_env(monkeypatch):
    monkeypatch.delenv("VAULTNET_VAULT", raising=False)


def has_marked_ancestor(path: Path) -> bool:
    return any((p / "vaultnet.toml").is_file() or (p / ".obsidian").is_dir() for p in (path, *path.parents))


# --- find_vault -------------------------------------------------------------------


def test_explicit_vault_wins(vault, tmp_path, monkeypatch):
    other = tmp_path / "other"
    other.mkdir()
    monkeypatch.setenv("VAULTNET_VAULT", str(other))
    assert find_vault(vault, cwd=other) == vault.resolve()
    assert find_vault(str(vault)) == vault.resolve()


def test_explicit_vault_that_does_not_exist_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="vault not found"):
        find_vault(tmp_path / "missing")


def test_explicit_vault_that_is_a_file_is_an_error(tmp_path):
    path = tmp_path / "file.md"
    path.write_text("x")
    with pytest.raises(ConfigError, match="vault not found"):
        find_vault(path)


def test_environment_variable_comes_next(vault, tmp_path, monkeypatch):
    monkeypatch.setenv("VAULTNET_VAULT", str(vault))
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / ".obsidian").mkdir(parents=True)
    assert find_vault(None, cwd=elsewhere) == vault.resolve()


def test_environment_variable_pointing_nowhere_is_an_error(tmp_path, monkeypatch):
    monkeypatch.setenv("VAULTNET_VAULT", str(tmp_path / "gone"))
    with pytest.raises(ConfigError, match="gone"):
        find_vault(None, cwd=tmp_path)


def test_nearest_ancestor_with_obsidian_folder(vault):
    deep = vault / "People" / "Work"
    deep.mkdir(parents=True)
    assert find_vault(None, cwd=deep) == vault.resolve()


def test_nearest_ancestor_with_vaultnet_toml(tmp_path):
    root = tmp_path / "notes"
    write(root, "vaultnet.toml", "")
    deep = root / "a" / "b"
    deep.mkdir(parents=True)
    assert find_vault(None, cwd=deep) == root.resolve()


def test_the_nearest_marked_ancestor_wins(vault):
    inner = vault / "Sub"
    write(inner, "vaultnet.toml", "")
    (inner / "x").mkdir()
    assert find_vault(None, cwd=inner / "x") == inner.resolve()


def test_an_obsidian_file_is_not_a_marker(tmp_path):
    root = tmp_path / "plain"
    root.mkdir()
    (root / ".obsidian").write_text("not a folder")
    if has_marked_ancestor(tmp_path):
        pytest.skip("a folder above tmp_path is marked as a vault")
    assert find_vault(None, cwd=root) == root.resolve()


def test_unmarked_folder_is_its_own_vault(tmp_path, monkeypatch):
    work = tmp_path / "work" / "dir"
    work.mkdir(parents=True)
    if has_marked_ancestor(work):
        pytest.skip("a folder above tmp_path is marked as a vault")
    assert find_vault(None, cwd=work) == work.resolve()
    monkeypatch.chdir(work)
    assert find_vault() == work.resolve()


def test_current_directory_is_the_default_start(vault, monkeypatch):
    (vault / "Daily").mkdir()
    monkeypatch.chdir(vault / "Daily")
    assert find_vault() == vault.resolve()


# --- defaults ------------------------------------------------------------------------


def test_defaults_are_the_specs(vault):
    config = load_config(vault)
    assert config.root == vault
    assert config.people == ("People",)
    assert config.person_tags == ("person",)
    assert config.person_type == "person"
    assert config.dated_folders == ()
    assert config.daily_format == "YYYY-MM-DD"
    assert config.output == "vaultnet"
    assert config.index_name == "Network"
    assert config.plan_name == "Plans/{week}"
    assert config.log_heading == "Log"
    assert config.log_target == "contact"
    assert config.ignore == ()
    assert config.kinds == ("call", "coffee", "meeting", "email", "message", "event", "intro")
    assert config.tie == TieConfig(half_life_days=180, strong=4, moderate=1, weak=0.1)
    assert config.circles == {
        "inner": Cadence(14, "days"),
        "close": Cadence(1, "months"),
        "network": Cadence(3, "months"),
        "acquaintance": Cadence(12, "months"),
    }
    assert list(config.circles) == ["inner", "close", "network", "acquaintance"]
    assert config.plan.budget_minutes == 120
    assert config.plan.minutes == {"call": 30, "coffee": 60, "meeting": 60, "message": 10, "email": 15}
    assert config.plan.default_minutes == 15
    assert config.plan.reconnect == 2
    assert config.plan.introductions == 1
    assert config.fields == {}
    assert config.templates_folder == ""


def test_a_vault_without_any_settings_folder_works(tmp_path):
    config = load_config(tmp_path)
    assert config == Config(root=tmp_path)


def test_defaults_do_not_share_mutable_state(vault):
    first, second = load_config(vault), load_config(vault)
    first.plan.minutes["call"] = 999
    first.circles["inner"] = Cadence(1, "days")
    assert second.plan.minutes["call"] == 30
    assert second.circles["inner"] == Cadence(14, "days")


# --- overrides -------------------------------------------------------------------------


FULL = """
people = ["Contacts/", "Team"]
person_tags = ["#Contact", "crm"]
person_type = "contact"
dated_folders = ["Journal", "Meetings/"]
daily_format = "DD.MM.YYYY"
output = "/PRM/"
index_name = "People index"
plan_name = "Weeks/{week} plan"
log_heading = "History"
log_target = "daily"
ignore = ["Archive/*", "*.excalidraw.md"]
kinds = ["#Call", "Lunch"]

[tie]
half_life_days = 90
strong = 5
moderate = 2.5
weak = 0.2

[circles]
family = "weekly"
friends = 30
work = "quarterly"

[plan]
budget_minutes = 60
minutes = { call = 20, lunch = 90 }
default_minutes = 5
reconnect = 0
introductions = 3

[fields]
cadence = "prm-cadence"
last_contact = "last-seen"
"""


def test_every_key_can_be_overridden(vault):
    write(vault, "vaultnet.toml", FULL)
    config = load_config(vault)
    assert config.people == ("Contacts", "Team")
    assert config.person_tags == ("Contact", "crm")
    assert config.person_type == "contact"
    assert config.dated_folders == ("Journal", "Meetings")
    assert config.daily_format == "DD.MM.YYYY"
    assert config.output == "PRM"
    assert config.index_name == "People index"
    assert config.plan_name == "Weeks/{week} plan"
    assert config.log_heading == "History"
    assert config.log_target == "daily"
    assert config.ignore == ("Archive/*", "*.excalidraw.md")
    assert config.kinds == ("call", "lunch")
    assert config.tie == TieConfig(half_life_days=90, strong=5, moderate=2.5, weak=0.2)
    assert config.circles == {"family": Cadence(7, "days"), "friends": Cadence(30, "days"), "work": Cadence(3, "months")}
    assert list(config.circles) == ["family", "friends", "work"]
    assert config.plan == PlanConfig(
        budget_minutes=60,
        minutes={"call": 20, "coffee": 60, "meeting": 60, "message": 10, "email": 15, "lunch": 90},
        default_minutes=5,
        reconnect=0,
        introductions=3,
    )
    assert config.fields == {"cadence": "prm-cadence", "last_contact": "last-seen"}
    assert config.key("cadence") == "prm-cadence"
    assert config.key("circle") == "circle"
    assert config.daily.match("Journal/21.11.2026") is not None


def test_partial_tables_keep_the_other_defaults(vault):
    write(vault, "vaultnet.toml", "[tie]\nstrong = 6\n[plan]\nreconnect = 4\n")
    config = load_config(vault)
    assert config.tie == TieConfig(strong=6)
    assert config.plan.reconnect == 4
    assert config.plan.budget_minutes == 120


def test_plan_minutes_kinds_are_matched_like_kinds_and_tags(vault):
    # Kinds come from lower-cased tags; `Call = 20` used to be kept as "Call" and never used.
    write(vault, "vaultnet.toml", 'kinds = ["Call", "#Lunch"]\n[plan]\nminutes = { Call = 20, "#Lunch" = 45 }\n')
    config = load_config(vault)
    assert config.kinds == ("call", "lunch")
    assert config.plan.minutes["call"] == 20
    assert config.plan.minutes["lunch"] == 45
    assert "Call" not in config.plan.minutes


def test_a_single_string_is_accepted_for_a_list(vault):
    write(vault, "vaultnet.toml", 'people = "Contacts"\nignore = "Archive"\n')
    config = load_config(vault)
    assert config.people == ("Contacts",)
    assert config.ignore == ("Archive",)


def test_toml_with_a_byte_order_mark(vault):
    (vault / "vaultnet.toml").write_bytes(b"\xef\xbb\xbfoutput = \"PRM\"\n")
    assert load_config(vault).output == "PRM"


def test_empty_config_file_gives_defaults(vault):
    write(vault, "vaultnet.toml", "# nothing yet\n")
    assert load_config(vault) == Config(root=vault)


# --- Obsidian's own settings ------------------------------------------------------------


def obsidian(vault: Path, name: str, data: object) -> None:
    (vault / ".obsidian" / name).write_text(json.dumps(data) if not isinstance(data, str) else data)


def test_daily_notes_settings_are_read(vault):
    obsidian(vault, "daily-notes.json", {"format": "YYYY/MM/YYYY-MM-DD", "folder": "Journal/", "template": "T/daily"})
    config = load_config(vault)
    assert config.daily_format == "YYYY/MM/YYYY-MM-DD"
    assert config.daily_folder == "Journal"
    assert config.daily_template == "T/daily"


def test_vaultnet_toml_daily_format_wins_over_obsidian(vault):
    obsidian(vault, "daily-notes.json", {"format": "DD.MM.YYYY", "folder": "Journal"})
    write(vault, "vaultnet.toml", 'daily_format = "dddd, MMMM Do YYYY"\n')
    config = load_config(vault)
    assert config.daily_format == "dddd, MMMM Do YYYY"
    assert config.daily_folder == "Journal"


def test_empty_obsidian_daily_format_means_the_default(vault):
    obsidian(vault, "daily-notes.json", {"format": "", "folder": ""})
    config = load_config(vault)
    assert config.daily_format == "YYYY-MM-DD"
    assert config.daily_folder == ""


def test_templates_folder_is_read(vault):
    obsidian(vault, "templates.json", {"folder": "/Meta/Templates/"})
    assert load_config(vault).templates_folder == "Meta/Templates"


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '"text"', '{"format": 42, "folder": null}', ""])
def test_unreadable_obsidian_settings_are_ignored(vault, content):
    obsidian(vault, "daily-notes.json", content)
    obsidian(vault, "templates.json", content)
    config = load_config(vault)
    assert config.daily_format == "YYYY-MM-DD"
    assert config.templates_folder == ""


# --- errors ---------------------------------------------------------------------------------


def config_error(vault: Path, toml: str) -> str:
    write(vault, "vaultnet.toml", toml)
    with pytest.raises(ConfigError) as err:
        load_config(vault)
    message = str(err.value)
    assert "vaultnet.toml" in message
    return message


def test_unknown_key(vault):
    assert "peeple" in config_error(vault, 'peeple = ["People"]\n')


def test_unknown_table(vault):
    assert "circle" in config_error(vault, '[circle]\ninner = "2 weeks"\n')


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ("people = 3", "people"),
        ("people = [1, 2]", "people"),
        ("person_tags = true", "person_tags"),
        ("dated_folders = {a = 1}", "dated_folders"),
        ("ignore = [[\"a\"]]", "ignore"),
        ("kinds = 1", "kinds"),
        ("person_type = 1", "person_type"),
        ("daily_format = []", "daily_format"),
        ("output = false", "output"),
        ("index_name = 2", "index_name"),
        ("plan_name = 1", "plan_name"),
        ("log_heading = {}", "log_heading"),
        ("log_target = 1", "log_target"),
        ("tie = 3", "tie"),
        ("circles = [\"inner\"]", "circles"),
        ("plan = \"weekly\"", "plan"),
        ("fields = 1", "fields"),
        ("[tie]\nstrong = \"high\"", "tie.strong"),
        ("[tie]\nweak = true", "tie.weak"),
        ("[plan]\nbudget_minutes = \"2h\"", "plan.budget_minutes"),
        ("[plan]\nbudget_minutes = 90.5", "plan.budget_minutes"),
        ("[plan]\nreconnect = true", "plan.reconnect"),
        ("[plan]\nminutes = 30", "plan.minutes"),
        ("[plan]\nminutes = { call = \"half an hour\" }", "plan.minutes.call"),
        ("[fields]\ncadence = 3", "fields.cadence"),
    ],
)
def test_wrong_types_name_the_key_and_the_file(vault, toml, key):
    assert key in config_error(vault, toml + "\n")


@pytest.mark.parametrize(
    ("circles", "needle"),
    [
        ('inner = "often"', "circles.inner"),
        ('inner = "2m"', "2mo"),
        ("inner = 0", "circles.inner"),
        ("inner = -7", "circles.inner"),
        ("inner = true", "circles.inner"),
        ("inner = 1.5", "circles.inner"),
        ('close = "1 month"\ninner = ["2 weeks"]', "circles.inner"),
    ],
)
def test_bad_cadence_in_circles(vault, circles, needle):
    assert needle in config_error(vault, f"[circles]\n{circles}\n")


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ("[plan]\nbudget = 60", "plan.budget"),
        ("[tie]\nhalf_life = 90", "tie.half_life"),
        ("[fields]\nnickname = \"nick\"", "fields.nickname"),
    ],
)
def test_unknown_nested_keys(vault, toml, key):
    assert key in config_error(vault, toml + "\n")


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ('log_target = "file"', "log_target"),
        ('plan_name = "Plans/weekly"', "plan_name"),
        ('output = "  "', "output"),
        ('index_name = ""', "index_name"),
        ("[plan]\nbudget_minutes = -1", "plan.budget_minutes"),
        ("[plan]\nintroductions = -2", "plan.introductions"),
        ("[plan]\nminutes = { call = -30 }", "plan.minutes.call"),
        ("[tie]\nhalf_life_days = 0", "tie.half_life_days"),
        ("[tie]\nhalf_life_days = -30", "tie.half_life_days"),
        ("[tie]\nhalf_life_days = nan", "tie.half_life_days"),
        ("[tie]\nstrong = inf", "tie.strong"),
    ],
)
def test_bad_values_name_the_key_and_the_file(vault, toml, key):
    assert key in config_error(vault, toml + "\n")


@pytest.mark.parametrize("toml", ['people = ["People"', "output = 'a\nb'", "a = 1\na = 2", "= 3", "[plan\n"])
def test_invalid_toml(vault, toml):
    config_error(vault, toml + "\n")


def test_invalid_toml_message_says_where(vault):
    message = config_error(vault, 'output = "PRM"\npeople = ]\nkinds = []\n')
    assert "line 2" in message


def test_non_utf8_toml_is_a_config_error(vault):
    (vault / "vaultnet.toml").write_bytes(b'output = "caf\xe9"\n')
    with pytest.raises(ConfigError, match="vaultnet.toml"):
        load_config(vault)


# --- circle weights -------------------------------------------------------------------------


def test_circle_weight_default_circles_from_2_to_1_evenly():
    config = Config(root=Path("."))
    weights = [config.circle_weight(name) for name in ("inner", "close", "network", "acquaintance")]
    assert weights == pytest.approx([2.0, 5 / 3, 4 / 3, 1.0])


def test_circle_weight_without_a_circle_or_with_an_unknown_one_is_1():
    config = Config(root=Path("."))
    assert config.circle_weight(None) == 1.0
    assert config.circle_weight("stranger") == 1.0


@pytest.mark.parametrize(
    ("names", "weights"),
    [(["a", "b"], [2.0, 1.0]), (["a", "b", "c"], [2.0, 1.5, 1.0]), (["only"], [2.0]),
     (list("abcde"), [2.0, 1.75, 1.5, 1.25, 1.0])],
)
def test_circle_weight_follows_the_configured_order(names, weights):
    config = Config(root=Path("."), circles={name: parse_cadence("weekly") for name in names})
    assert [config.circle_weight(name) for name in names] == pytest.approx(weights)


def test_circle_weight_from_toml_order(vault):
    write(vault, "vaultnet.toml", '[circles]\nwork = "monthly"\nfamily = "weekly"\nfriends = "2 weeks"\n')
    config = load_config(vault)
    assert [config.circle_weight(name) for name in ("work", "family", "friends")] == pytest.approx([2.0, 1.5, 1.0])


def test_goals_and_the_advice_settings(vault):
    (vault / "vaultnet.toml").write_text(
        'goals = ["climate tech", " ", "a product role"]\n[plan]\ncircle_back_days = 45\nnudge_days = 3\ndaily_minutes = 20\n')
    config = load_config(vault)
    assert config.goals == ("climate tech", "a product role")
    assert (config.plan.circle_back_days, config.plan.nudge_days, config.plan.daily_minutes) == (45, 3, 20)
    (vault / "vaultnet.toml").write_text("")
    defaults = load_config(vault)
    assert defaults.goals == () and (defaults.plan.circle_back_days, defaults.plan.nudge_days) == (30, 7)
    assert defaults.plan.daily_minutes is None


@pytest.mark.parametrize(("text", "message"), [
    ("goals = 3\n", "goals must be a list"),
    ("[plan]\ndaily_minutes = -5\n", "plan.daily_minutes must not be negative"),
    ('[plan]\nnudge_days = "a week"\n', "plan.nudge_days must be a whole number"),
])
def test_bad_advice_settings_name_the_key(vault, text, message):
    (vault / "vaultnet.toml").write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_config(vault)
