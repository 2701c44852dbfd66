"""vaultnet: a personal relationship manager in plain text.

The names below are what another program may use; every module under the
package is internal and may change between versions. Each is imported when
first called, so ``import vaultnet`` costs nothing.

    import datetime, vaultnet
    config = vaultnet.open_vault("~/Notes")
    today = datetime.date.today()
    vaultnet.build(config, today)                  # the plan and index notes, as `vaultnet build`
    ana = vaultnet.standing(vaultnet.network(config, today), "Ana")
    print(ana.status, ana.due)
"""

from __future__ import annotations

import datetime as _dt
import os as _os
from typing import TYPE_CHECKING

from vaultnet.base.version import __version__

if TYPE_CHECKING:
    from vaultnet.advice.plan import Plan
    from vaultnet.files.config import Config
    from vaultnet.pipeline.freshness import Written
    from vaultnet.standings.network import Network
    from vaultnet.standings.standing import Standing

__all__ = ["__version__", "build", "network", "open_vault", "plan", "standing"]


def open_vault(path: str | _os.PathLike[str] | None = None) -> Config:
    """The settings of the vault at ``path``, found as the command line finds it.

    ``None`` looks for ``VAULTNET_VAULT``, then the nearest folder above the
    working directory holding ``vaultnet.toml`` or ``.obsidian/``. Raises
    :class:`vaultnet.base.errors.ConfigError` for settings it cannot read.
    """
    from vaultnet.files.config import find_vault, load_config

    return load_config(find_vault(_os.path.expanduser(path) if path is not None else None))


def build(config: Config, today: _dt.date) -> list[Written]:
    """Write every generated note as of ``today``, as ``vaultnet build`` does: one entry per note."""
    from vaultnet.pipeline.session import build_vault

    return build_vault(config, today)


def network(config: Config, today: _dt.date) -> Network:
    """The vault as vaultnet understands it on ``today``: every contact's standing, the evidence, the problems.

    Read-only: the cache is read, never written.
    """
    from vaultnet.pipeline.session import build_network

    return build_network(config, today)


def standing(network: Network, name: str) -> Standing:
    """One contact's standing, by file name or alias (case- and accent-insensitive).

    Raises :class:`vaultnet.base.errors.ResolveError` for an unknown or ambiguous name.
    """
    from vaultnet.evidence.resolve import resolve_name

    contact = resolve_name(name, [s.contact for s in network.standings])
    return network.by_path(contact.path)


def plan(config: Config, today: _dt.date) -> Plan:
    """The plan for the ISO week of ``today``, worked out without writing anything."""
    from vaultnet.pipeline.session import Session

    return Session(config, remember=False).builder(today, write=False).prepare_plan()[1]
