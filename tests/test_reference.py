"""The documentation's command reference is what ``--help`` prints, and every command and option has help."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from vaultnet.cli import reference
from vaultnet.cli.main import main

PAGE = Path(__file__).resolve().parent.parent / "docs" / "reference.md"
COMMANDS = [(path, command) for path, command in reference.command_paths(main)]


def test_the_docs_reference_is_what_help_prints():
    text = PAGE.read_text(encoding="utf-8")
    assert reference.updated(text) == text, "the command reference is stale: run python -m vaultnet.cli.reference"


def test_the_reference_has_every_command_and_its_options():
    rendered = reference.render()
    names = [" ".join(("vaultnet", *path)) for path, _ in COMMANDS]
    assert {"vaultnet", "vaultnet plan", "vaultnet import linkedin", "vaultnet import mail", "vaultnet set"} <= set(names)
    for name in names:
        assert f"### `{name}`\n" in rendered, name
    assert "--linkedin URL" in rendered and "--print-service [systemd|launchd]" in rendered


@pytest.mark.parametrize("path, command", COMMANDS, ids=[" ".join(path) or "vaultnet" for path, _ in COMMANDS])
def test_every_command_and_option_has_help(path, command):
    assert (command.help or "").strip(), f"vaultnet {' '.join(path)} has no help text"
    for param in command.params:
        if isinstance(param, click.Option):
            assert (param.help or "").strip(), f"vaultnet {' '.join(path)} {param.opts[0]} has no help text"


def test_check_reports_a_stale_reference_and_the_command_rewrites_it(tmp_path, capsys):
    readme = tmp_path / "README.md"
    stale = f"# x\n\n{reference.BEGIN}\nold text\n{reference.END}\n\nafter\n"
    readme.write_text(stale, encoding="utf-8")
    assert reference.run(["--check", "--page", str(readme)]) == 1
    assert readme.read_text(encoding="utf-8") == stale
    assert "out of date" in capsys.readouterr().err
    assert reference.run(["--page", str(readme)]) == 0
    fresh = readme.read_text(encoding="utf-8")
    assert "old text" not in fresh and fresh.startswith("# x\n\n") and fresh.endswith(f"{reference.END}\n\nafter\n")
    assert reference.run(["--check", "--page", str(readme)]) == 0


def test_a_page_without_the_markers_is_one_line(tmp_path, capsys):
    readme = tmp_path / "README.md"
    readme.write_text("# x\n", encoding="utf-8")
    assert reference.run(["--page", str(readme)]) == 1
    assert "no command reference markers" in capsys.readouterr().err
    assert readme.read_text(encoding="utf-8") == "# x\n"
