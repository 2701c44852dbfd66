"""The warm build's check spells names other modules own: they must agree."""

from __future__ import annotations

from vaultnet.advice import rolechanges
from vaultnet.files.config import load_config
from vaultnet.pipeline.cache import FORMAT
from vaultnet.pipeline.freshness import CACHE_FORMAT, ROLE_MEMORY, fingerprint

from conftest import TODAY, write


def test_names_agree_with_the_modules_that_own_them():
    assert ROLE_MEMORY == rolechanges.MEMORY
    assert CACHE_FORMAT == FORMAT


def test_remembered_role_changes_are_part_of_the_fingerprint(vault):
    config = load_config(vault)
    before = fingerprint(config, TODAY, {})
    write(vault, ROLE_MEMORY, "{}")
    assert fingerprint(config, TODAY, {}) != before


def test_changed_code_under_the_same_version_is_part_of_the_fingerprint(vault, tmp_path, monkeypatch):
    """An install of changed code keeps the version: its notes must still be built again, not printed as built."""
    from vaultnet.pipeline import freshness

    shipped = tmp_path / "templates"
    write(shipped, "plan.md", "old\n")
    monkeypatch.setattr(freshness, "default_templates", lambda: shipped)
    config = load_config(vault)
    freshness.code_digest.cache_clear()
    before = fingerprint(config, TODAY, {})
    write(shipped, "plan.md", "a new template\n")
    freshness.code_digest.cache_clear()
    assert fingerprint(config, TODAY, {}) != before
    freshness.code_digest.cache_clear()
