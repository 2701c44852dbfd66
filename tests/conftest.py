"""Shared fixtures: small vaults written into ``tmp_path``."""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from vaultnet.config import load_config
from vaultnet.network import Network, build_network

TODAY = dt.date(2026, 11, 21)  # a Saturday in ISO week 2026-W47 (Nov 16 - Nov 22)


def write(root: Path, rel: str, text: str | bytes) -> Path:
    """Write a note; text is dedented so tests can indent it naturally."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def standing(network: Network, name: str):
    """The one standing named ``name``."""
    found = [s for s in network.standings if s.name == name]
    assert len(found) == 1, [s.name for s in network.standings]
    return found[0]


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    """An empty vault root (marked with .obsidian/ so discovery finds it)."""
    root = tmp_path / "vault"
    (root / ".obsidian").mkdir(parents=True)
    return root


@pytest.fixture
def load(vault: Path) -> Callable[..., Network]:
    """Build the network of ``vault`` as of TODAY (or another date)."""

    def _load(today: dt.date = TODAY) -> Network:
        return build_network(load_config(vault), today)

    return _load
