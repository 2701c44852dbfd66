"""Shared fixtures: small vaults written into ``tmp_path``."""

from __future__ import annotations

import atexit
import datetime as dt
import json
import os
import shutil
import tempfile
import textwrap
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import jinja2
import jinja2.bccache
import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

from vaultnet.files.config import load_config
from vaultnet.pipeline.session import build_network
from vaultnet.standings.network import Network

# Answers saved between runs go to this user's cache folder: in tests, a folder of this test process
# (and of the vaultnet processes it starts), never the developer's own.
_CACHE_HOME = tempfile.mkdtemp(prefix="vaultnet-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE_HOME
atexit.register(shutil.rmtree, _CACHE_HOME, ignore_errors=True)

# Hypothesis profiles: CI runs the same examples every time (a failure there can be
# re-run and bisected), developers get a quick loop; HYPOTHESIS_PROFILE picks one by hand.
CI_EXAMPLES = 200
DEV_EXAMPLES = 20
settings.register_profile("ci", derandomize=True, deadline=None, max_examples=CI_EXAMPLES, print_blob=True)
settings.register_profile("dev", deadline=None, max_examples=DEV_EXAMPLES)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "dev")
settings.load_profile(PROFILE)


def examples(ci: int) -> int:
    """``ci`` examples under the CI profile, and the same share of the development profile's count.

    For the tests whose examples cost far more (or less) than most: a stateful
    test that builds a vault at every step asks for a handful, so that
    developers still run it once or twice rather than twenty times.
    """
    if PROFILE == "ci":
        return ci
    return max(1, ci * settings.default.max_examples // CI_EXAMPLES)


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


@pytest.fixture(autouse=True)
def _no_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    """``os.fsync`` does nothing in this process.

    vaultnet fsyncs every temporary file before renaming it over a note, so that
    a power cut cannot leave an empty note behind. No test cuts the power: what
    a test reads back, or another process sees, is the same with or without
    the fsync (the page cache serves it), and a killed process loses nothing
    fsync would have kept. vaultnet run as a subprocess still fsyncs. Tests that
    wrap ``os.fsync`` to see when it is called still see every call.
    """
    monkeypatch.setattr(os, "fsync", lambda fd: None)


class _TemplateCodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory, by template file and source (jinja2 checks the source's checksum)."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


@pytest.fixture(autouse=True, scope="session")
def _templates_compiled_once() -> Iterator[None]:
    """The shipped templates are compiled once per test process, not once per vault.

    vaultnet keeps one template environment per vault, and every test's vault
    is a new one: compiling the same shipped templates again for each was a
    good part of a small test's time. The cache hands back the code jinja2
    compiled from the same file with the same source (a template edited or
    placed in a vault is compiled afresh), so every note renders as before.
    """
    from vaultnet.output import render

    cache = _TemplateCodeCache()
    uncached = render._environment

    def environment(root: Path, overrides: tuple[str, ...]) -> jinja2.Environment:
        env = uncached(root, overrides)
        env.bytecode_cache = cache
        return env

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(render, "_environment", environment)
        yield


@pytest.fixture
def settle_quickly(monkeypatch: pytest.MonkeyPatch) -> None:
    """A note counts as settled after 2 ms unchanged, instead of vaultnet's 50 ms.

    For tests that write a note and run vaultnet on it at once, over and over,
    with nothing else writing: the note read is the same after either wait, and
    the settle interval guards only against another writer (tests of that keep
    the real one).
    """
    from vaultnet.files import reads

    monkeypatch.setattr(reads, "SETTLE_SECONDS", 0.002)


def machine_vault(prefix: str, notes: Mapping[str, str] | None = None) -> tuple[Path, Path]:
    """A vault for a state machine, which no ``tmp_path`` reaches: its own folder (for ``teardown`` to remove)
    and the vault in it, marked with .obsidian/, holding ``notes``."""
    base = Path(tempfile.mkdtemp(prefix=prefix))
    root = base / "vault"
    (root / ".obsidian").mkdir(parents=True)
    for rel, text in (notes or {}).items():
        write(root, rel, text)
    return base, root


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


def cli(vault: Path, *args: str, today: str = "2026-11-21") -> Result:
    """vaultnet run on ``vault`` as a user runs it, in this process; a traceback is always a failure."""
    from vaultnet.cli.main import main

    result = CliRunner().invoke(main, ["--vault", str(vault), "--today", today, *args])
    assert "Traceback" not in result.output, result.output
    return result


def contacts_json(vault: Path) -> dict[str, dict]:
    """``status --json``'s contacts by name."""
    return {c["name"]: c for c in json.loads(cli(vault, "status", "--json").stdout)["contacts"]}
