"""Where the default templates live, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # the vaultnet package


def default_templates() -> Path:
    """The shipped ``templates/`` folder.

    A wheel carries it inside the package; a source checkout (or an editable
    install) has it beside the package.
    """
    packaged = _PACKAGE / "templates"
    return packaged if packaged.is_dir() else _PACKAGE.parent / "templates"


def read_default(name: str) -> str:
    return (default_templates() / name).read_text(encoding="utf-8")
