"""Service definitions that run ``vaultnet watch`` in the background."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from xml.sax.saxutils import escape

KINDS = ("systemd", "launchd")


def command(vault: Path) -> list[str]:
    """The watcher's command line, with the Python that runs vaultnet now."""
    return [sys.executable, "-m", "vaultnet", "--vault", str(vault), "watch"]


def systemd_unit(vault: Path) -> str:
    """A user unit: save as ~/.config/systemd/user/vaultnet.service."""
    return f"""[Unit]
Description=vaultnet: keep the generated notes of {vault} current
After=default.target

[Service]
Type=simple
ExecStart={shlex.join(command(vault))}
Restart=on-failure
RestartSec=10

[Install]
WantedBy=default.target
"""


def launchd_plist(vault: Path) -> str:
    """A LaunchAgent: save as ~/Library/LaunchAgents/org.vaultnet.pipeline.watch.plist."""
    arguments = "\n".join(f"        <string>{escape(part)}</string>" for part in command(vault))
    log = escape(str(Path.home() / "Library" / "Logs" / "vaultnet.log"))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
    <key>Label</key>
    <string>org.vaultnet.pipeline.watch</string>
    <key>ProgramArguments</key>
    <array>
{arguments}
    </array>
    <key>RunAtLoad</key>
    <true/>
    <key>KeepAlive</key>
    <dict>
        <key>SuccessfulExit</key>
        <false/>
    </dict>
    <key>StandardErrorPath</key>
    <string>{log}</string>
</dict>
</plist>
"""


def service(kind: str, vault: Path) -> str:
    return systemd_unit(vault) if kind == "systemd" else launchd_plist(vault)
