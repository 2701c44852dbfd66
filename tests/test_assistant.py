"""The MCP server: the same answers as the JSON interface, and writes only through log, snooze and set.

One test starts ``vaultnet mcp`` as a process and talks to it with the SDK's
stdio client, as an assistant does; the others connect the SDK's client to the
server in this process, which is quicker and says the same.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from click.testing import CliRunner

from vaultnet.cli.main import main
from vaultnet.files.config import load_config

from conftest import TODAY, write

if TYPE_CHECKING:
    from mcp import Client

# The MCP SDK takes a second to import: imported where a test talks to a server, so
# that the test processes that run none of these tests never pay for it.

TOOLS = {"status", "show", "search", "plan", "today", "intros", "log", "snooze", "set"}
WRITERS = {"log", "snooze", "set"}


def fill(vault: Path) -> None:
    write(vault, "People/Ana Souza.md", """\
        ---
        circle: inner
        aliases: [Ana]
        needs: [a designer]
        location: Lisbon
        ---
        Met at the climbing gym.

        ## Log
        - 2026-10-02 #coffee #gave intro to [[Bob Lee]] for her hiring
        - [ ] send her the deck 📅 2026-11-20
        """)
    write(vault, "People/Bob Lee.md", "---\ncircle: close\noffers: [designers]\n---\n- 2026-11-19 #call #got advice\n")
    write(vault, "People/Cy.md", "---\ncircle: network\nbirthday: 1990-11-22\n---\n")
    write(vault, "People/Di.md", "---\n---\nno circle yet\n")
    write(vault, "2026-10-10.md", "- lunch with [[Ana]] about the deck #meeting\n")


def cli(vault: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["--vault", str(vault), "--today", TODAY.isoformat(), "-q", *args])
    assert result.exit_code == 0, result.output
    return result.output


def cli_json(vault: Path, *args: str) -> Any:
    return json.loads(cli(vault, *args, "--json"))


def run(vault: Path, talk: Callable[[Client], Awaitable[Any]]) -> Any:
    """Talk to a server for ``vault`` in this process."""
    from mcp import Client

    from vaultnet.reach.assistant import server

    async def session() -> Any:
        async with Client(server(load_config(vault), lambda: TODAY)) as client:
            return await talk(client)

    return asyncio.run(session())


async def call(client: Client, tool: str, **arguments: Any) -> Any:
    result = await client.call_tool(tool, arguments)
    assert not result.is_error, result.content
    return result.structured_content


@pytest.mark.slow
def test_vaultnet_mcp_answers_as_the_json_interface_and_logs_as_vaultnet_log(vault, tmp_path):
    from mcp import Client, StdioServerParameters

    fill(vault)
    twin = tmp_path / "twin"
    shutil.copytree(vault, twin)
    command = StdioServerParameters(command=sys.executable,
                                    args=["-m", "vaultnet", "--vault", str(vault), "--today", TODAY.isoformat(), "mcp"])

    async def session() -> dict[str, Any]:
        async with Client(command, read_timeout_seconds=60) as client:
            listed = {tool.name: tool for tool in (await client.list_tools()).tools}
            found: dict[str, Any] = {"tools": listed, "everyone": await call(
                client, "status", status=["overdue", "due", "never", "ok", "snoozed", "untracked", "paused"])}
            found["due"] = await call(client, "status")
            found["close"] = await call(client, "status", status=["ok", "due", "overdue"], circle=["close"])
            found["show"] = await call(client, "show", name="ana")
            found["why"] = await call(client, "show", name="ana", why=True)
            found["search"] = await call(client, "search", name="Ana Souza", query="DECK")
            found["plan"] = await call(client, "plan", week="2026-W48")
            found["today"] = await call(client, "today")
            found["intros"] = await call(client, "intros")
            found["plan_note"] = (await client.read_resource("vaultnet://plan")).contents[0].text
            found["index_note"] = (await client.read_resource("vaultnet://index")).contents[0].text
            found["log"] = await call(client, "log", name="ana", text="coffee, she is hiring", kind="coffee", gave=True)
            found["snooze"] = await call(client, "snooze", name="Cy", until="2w")
            found["set"] = await call(client, "set", name="Di", values={"circle": "close", "location": "Porto"})
            found["after"] = await call(client, "show", name="Di")
            return found

    found = asyncio.run(session())
    assert set(found["tools"]) == TOOLS
    for name, tool in found["tools"].items():
        assert tool.annotations.read_only_hint is (name not in WRITERS), name
    assert found["everyone"] == cli_json(twin, "status")
    assert found["due"] == cli_json(twin, "status", "--status", "overdue", "--status", "due", "--status", "never",
                                    "--status", "drifting")
    assert {c["name"] for c in found["due"]["contacts"]} == {"Ana Souza", "Cy"}
    assert found["close"] == cli_json(twin, "status", "--circle", "close", "--status", "ok", "--status", "due",
                                      "--status", "overdue")
    assert found["show"] == cli_json(twin, "show", "Ana Souza")
    assert found["why"] == cli_json(twin, "show", "Ana Souza", "--why") and found["why"]["why"]["person"]
    assert [(line["date"], line["what"], line["path"]) for line in found["search"]["lines"]] == [
        ("2026-11-20", "follow-up", "People/Ana Souza.md"), ("2026-10-10", "interaction", "2026-10-10.md")]
    assert found["plan"] == cli_json(twin, "plan", "--week", "2026-W48")
    assert found["today"] == cli_json(twin, "today")
    assert found["intros"] == cli_json(twin, "intros")
    assert found["plan_note"] == cli(twin, "plan", "--stdout")
    assert found["index_note"] == cli(twin, "index", "--stdout")
    # The writes: exactly what the commands write.
    assert found["log"]["logged"] == "People/Ana Souza.md"
    cli(twin, "log", "ana", "coffee, she is hiring", "--kind", "coffee", "--gave")
    cli(twin, "snooze", "Cy", "2w")
    cli(twin, "set", "Di", "--circle", "close", "--location", "Porto")
    for rel in ("People/Ana Souza.md", "People/Cy.md", "People/Di.md"):
        assert (vault / rel).read_bytes() == (twin / rel).read_bytes(), rel
    assert "- 2026-11-21 #coffee #gave coffee, she is hiring\n" in (vault / "People/Ana Souza.md").read_text()
    assert found["set"]["changed"] == ["circle", "location"] and found["after"]["circle"] == "close"
    # Nothing else in the vault was written: no generated notes, no cache.
    written = {p.relative_to(vault).as_posix() for p in vault.rglob("*") if p.is_file()}
    assert written == {p.relative_to(twin).as_posix() for p in twin.rglob("*") if p.is_file()} - {".vaultnet/changes.json"}


def test_errors_are_one_line_answers_and_the_server_goes_on(vault):
    fill(vault)

    async def talk(client: Client) -> list[str]:
        said = []
        for tool, arguments in (("show", {"name": "Zed"}), ("log", {"name": "Ana", "text": "x", "kind": "dance"}),
                                ("log", {"name": "Ana", "text": "  "}), ("set", {"name": "Ana", "values": {"path": "x"}}),
                                ("set", {"name": "Ana", "values": {"circle": "besties"}}),
                                ("snooze", {"name": "Ana", "until": "2026-01-01"}), ("plan", {"week": "next"}),
                                ("status", {"circle": ["besties"]})):
            result = await client.call_tool(tool, arguments)
            assert result.is_error, (tool, arguments)
            said.append(result.content[0].text)
        said.append(str((await call(client, "show", name="Ana"))["name"]))
        return said

    said = run(vault, talk)
    assert "no contact named 'Zed'" in said[0] and "'dance' is not one of call" in said[1]
    assert "nothing to log" in said[2] and "cannot set path" in said[3] and "unknown circle 'besties'" in said[4]
    assert "is not after today" in said[5] and "Traceback" not in "".join(said)
    assert said[-1] == "Ana Souza"
    assert "Met at the climbing gym." in (vault / "People/Ana Souza.md").read_text()


def test_each_answer_sees_the_vault_as_it_is_now(vault):
    fill(vault)

    async def talk(client: Client) -> tuple[Any, Any]:
        before = await call(client, "show", name="Bob Lee")
        write(vault, "2026-11-20.md", "- call with [[Bob Lee]] #call\n")
        write(vault, "vaultnet.toml", '[circles]\ninner = "1 week"\nclose = "1 week"\n')  # the settings too
        return before, await call(client, "show", name="Bob Lee")

    before, after = run(vault, talk)
    assert (before["last_contact"], after["last_contact"]) == ("2026-11-19", "2026-11-20")
    assert (before["cadence_days"], after["cadence_days"]) == (30, 7)


def test_no_tool_can_name_a_file_or_another_vault(vault):
    fill(vault)

    async def talk(client: Client) -> list[Any]:
        return (await client.list_tools()).tools

    for tool in run(vault, talk):
        properties = set(tool.input_schema.get("properties", {}))
        assert not properties & {"path", "vault", "file", "folder", "root"}, tool.name
