"""``vaultnet init``: the few files a new vault needs, never overwriting any."""

from __future__ import annotations

from pathlib import Path

from .config import CONFIG_NAME, STATE_DIR
from .templates import read_default


def init_vault(root: Path, people: str = "People") -> list[tuple[str, bool]]:
    """Create what is missing; returns ``(relative path, created)`` for each item."""
    root.mkdir(parents=True, exist_ok=True)
    results: list[tuple[str, bool]] = []
    files = {
        CONFIG_NAME: read_default(CONFIG_NAME),
        f"{STATE_DIR}/.gitignore": "cache/\n",
    }
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with path.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(content)
            results.append((rel, True))
        except FileExistsError:
            results.append((rel, False))
    folder = root / people
    results.append((people + "/", not folder.exists()))
    folder.mkdir(exist_ok=True)
    return results
