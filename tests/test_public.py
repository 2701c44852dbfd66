"""The public face: what another program may use, and that importing it costs nothing."""

from __future__ import annotations

import subprocess
import sys

import pytest

import vaultnet
from vaultnet.base.errors import ResolveError

from conftest import TODAY, write


def test_importing_vaultnet_loads_no_stage():
    code = "import sys, vaultnet; print(' '.join(sorted(m for m in sys.modules if m.startswith('vaultnet'))))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert set(done.stdout.split()) == {"vaultnet", "vaultnet.base", "vaultnet.base.version"}


def test_open_build_network_standing_and_plan(vault):
    write(vault, "People/Ana Souza.md", "---\ncircle: inner\naliases: [Ana]\n---\n## Log\n- 2026-10-01 #call hello\n")
    write(vault, "People/Bob.md", "---\ncircle: close\n---\n")
    config = vaultnet.open_vault(vault)
    assert config.root == vault
    network = vaultnet.network(config, TODAY)
    ana = vaultnet.standing(network, "ana")
    assert (ana.name, ana.status, ana.last_contact.isoformat()) == ("Ana Souza", "overdue", "2026-10-01")
    plan = vaultnet.plan(config, TODAY)
    assert {people for item in plan.items for people in item.people} >= {"Ana Souza", "Bob"}
    assert not (vault / "vaultnet").exists()  # network and plan write nothing
    written = vaultnet.build(config, TODAY)
    assert {result.rel for result in written} >= {"vaultnet/Network.md"} and (vault / "vaultnet/Network.md").is_file()
    with pytest.raises(ResolveError):
        vaultnet.standing(network, "Nobody")
