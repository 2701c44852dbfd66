"""Settings that name a secret indirectly: ``env:NAME`` or ``file:PATH``.

A calendar's secret address or a push service's URL is a password, and a vault
is synced and kept in git: ``vaultnet.toml`` can say where the secret is
instead, in an environment variable or a file outside the vault.
"""

from __future__ import annotations

import os
from pathlib import Path


def indirect(spec: str) -> str | None:
    """The value ``env:NAME`` or ``file:PATH`` stands for; None when ``spec`` is neither.

    Raises ValueError, in one line, when the variable is unset or the file unreadable or empty.
    """
    text = spec.strip()
    if text.startswith("env:"):
        name = text[4:].strip()
        value = os.environ.get(name, "").strip()
        if not value:
            raise ValueError(f"environment variable {name} is not set")
        return value
    if text.startswith("file:"):
        holder = Path(text[5:].strip()).expanduser()
        try:
            value = holder.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as err:
            raise ValueError(f"cannot read {holder}: {getattr(err, 'strerror', None) or err}") from None
        if not value:
            raise ValueError(f"{holder} is empty")
        return value
    return None
