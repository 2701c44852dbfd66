"""Where captures come from: files, folders and calendar addresses, and how they are named.

A calendar's secret iCal address is a password: whoever has it reads the
calendar. Vaults are often kept in git or synced, so ``vaultnet.toml`` can name
it indirectly, as ``env:NAME`` (an environment variable) or ``file:PATH`` (a
file outside the vault holding the address), and captures are labelled with the
address's host only, never the address itself.
"""

from __future__ import annotations

import hashlib
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from vaultnet.base.version import __version__

TIMEOUT = 30.0  # seconds for a calendar address to answer
MAX_FEED_BYTES = 200_000_000


class SourceError(Exception):
    """A source as a whole cannot be read; the message says why, in one line."""


@dataclass(frozen=True)
class Source:
    """One configured or given source: a local path or an http(s) address."""

    spec: str  # as the user wrote it
    location: str  # the path or URL it stands for
    label: str  # safe to write into the vault

    @property
    def is_url(self) -> bool:
        return self.location.lower().startswith(("http://", "https://"))

    @property
    def path(self) -> Path:
        return Path(self.location)


def _url_label(url: str) -> str:
    """The host, and a short hash telling two calendars on the same host apart (never the address)."""
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:6]
    return f"{urlsplit(url).hostname or 'calendar address'} ({digest})"


def resolve(spec: str, root: Path) -> Source:
    """``env:NAME``, ``file:PATH`` (holding an address), an http(s)/webcal address, or a path.

    Relative paths are relative to the vault. Raises :class:`SourceError`.
    """
    text = spec.strip()
    if text.startswith("env:"):
        name = text[4:]
        value = os.environ.get(name, "").strip()
        if not value:
            raise SourceError(f"environment variable {name} is not set")
        return _address(spec, value, root)
    if text.startswith("file:"):
        holder = Path(text[5:]).expanduser()
        try:
            value = holder.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as err:
            raise SourceError(f"cannot read {holder}: {getattr(err, 'strerror', None) or err}") from None
        if not value:
            raise SourceError(f"{holder} is empty")
        return _address(spec, value, root)
    return _address(spec, text, root)


def _address(spec: str, value: str, root: Path) -> Source:
    if value.lower().startswith("webcal://"):
        value = "https://" + value[len("webcal://"):]
    if value.lower().startswith(("http://", "https://")):
        return Source(spec, value, _url_label(value))
    path = Path(value).expanduser()
    if not path.is_absolute():
        path = root / path
    return Source(spec, str(path), path.name)


def fetch(url: str, timeout: float | None = None) -> bytes:
    """The body of a calendar address (urllib, with a timeout); :class:`SourceError` on any failure."""
    timeout = TIMEOUT if timeout is None else timeout
    request = urllib.request.Request(url, headers={"User-Agent": f"vaultnet/{__version__}"})
    label = urlsplit(url).hostname or "the calendar address"
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) only)
            data = response.read(MAX_FEED_BYTES + 1)
    except urllib.error.HTTPError as err:
        raise SourceError(f"{label} answered HTTP {err.code} {err.reason}") from None
    except urllib.error.URLError as err:
        reason = err.reason
        raise SourceError(f"cannot reach {label}: {'timed out' if isinstance(reason, TimeoutError) else reason}") from None
    except TimeoutError:
        raise SourceError(f"{label} did not answer within {timeout:g} s") from None
    except OSError as err:
        raise SourceError(f"cannot read from {label}: {err}") from None
    if len(data) > MAX_FEED_BYTES:
        raise SourceError(f"{label} sent more than {MAX_FEED_BYTES // 1_000_000} MB; not a calendar")
    return data


def read_calendar_bytes(source: Source) -> bytes:
    if source.is_url:
        if urlsplit(source.location).scheme.lower() not in ("http", "https"):
            raise SourceError("only http and https addresses can be read")
        return fetch(source.location)
    try:
        return source.path.read_bytes()
    except IsADirectoryError:
        raise SourceError("is a folder, not an .ics file") from None
    except OSError as err:
        raise SourceError(f"cannot read: {err.strerror or err}") from None
