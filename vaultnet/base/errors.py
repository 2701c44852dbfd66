"""Exceptions and problems: what the core reports instead of crashing."""

from __future__ import annotations

from dataclasses import dataclass


class VaultnetError(Exception):
    """An error the user can act on; the CLI prints it as ``Error: ...``."""


class ConfigError(VaultnetError):
    """The vault's configuration is unusable."""


class ResolveError(VaultnetError):
    """A NAME given on the command line matches no contact, or several."""


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with one note; reported as ``path:line: message``."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"

    @property
    def sort_key(self) -> tuple[str, int]:
        return (self.path, self.line or 0)

    def to_json(self) -> dict[str, object]:
        return {"path": self.path, "line": self.line, "message": self.message}
