"""The warm build's check spells names other modules own: they must agree."""

from __future__ import annotations

from vaultnet import calendar_svg, rolechanges
from vaultnet.cache import FORMAT
from vaultnet.config import load_config
from vaultnet.freshness import CACHE_FORMAT, PICTURE, ROLE_MEMORY, fingerprint

from conftest import TODAY, write


def test_names_agree_with_the_modules_that_own_them():
    assert PICTURE == calendar_svg.NAME
    assert ROLE_MEMORY == rolechanges.MEMORY
    assert CACHE_FORMAT == FORMAT


def test_remembered_role_changes_are_part_of_the_fingerprint(vault):
    config = load_config(vault)
    before = fingerprint(config, TODAY, {})
    write(vault, ROLE_MEMORY, "{}")
    assert fingerprint(config, TODAY, {}) != before
