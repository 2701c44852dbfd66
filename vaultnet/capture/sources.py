"""Where captures come from: files, folders and calendar addresses, and how they are named.

A calendar's secret iCal address is a password: whoever has it reads the
calendar. Vaults are often kept in git or synced, so ``vaultnet.toml`` can name
it indirectly, as ``env:NAME`` (an environment variable) or ``file:PATH`` (a
file outside the vault holding the address), and captures are labelled with the
address's host only, never the address itself.

A source is identified by its address or its path, never by its file name:
every Google download is ``basic.ics``. Its label (what a capture line says)
is the name and a short hash of that identity, and the path is taken relative
to the vault or the home folder, so the same source configured on two synced
devices is one source.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
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
    identity: str = ""  # what tells it from every other source: the URL, or the path (vault: or ~/ relative)

    @property
    def is_url(self) -> bool:
        return self.location.lower().startswith(("http://", "https://"))

    @property
    def path(self) -> Path:
        return Path(self.location)

    @property
    def name(self) -> str:
        """How messages name it: the file name, or the label of an address (never the address)."""
        return self.label if self.is_url else self.path.name


def _digest(identity: str) -> str:
    return hashlib.sha256(identity.encode("utf-8", "surrogateescape")).hexdigest()[:6]


def _url_label(url: str) -> str:
    """The host, and a short hash telling two calendars on the same host apart (never the address)."""
    return f"{urlsplit(url).hostname or 'calendar address'} ({_digest(url)})"


def canonical(path: Path, root: Path) -> str:
    """A path as the same on every device: ``vault:`` + relative inside the vault, ``~/`` + relative
    inside the home folder, else absolute."""
    absolute = Path(os.path.realpath(path))
    bases = [(Path(os.path.realpath(root)), "vault:")]
    with contextlib.suppress(RuntimeError, KeyError):  # no home folder (a service account)
        bases.append((Path(os.path.realpath(Path.home())), "~/"))
    for base, prefix in bases:
        try:
            return prefix + absolute.relative_to(base).as_posix()
        except ValueError:
            continue
    return absolute.as_posix()


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
        return Source(spec, value, _url_label(value), value)
    path = Path(value).expanduser()
    if not path.is_absolute():
        path = root / path
    identity = canonical(path, root)
    return Source(spec, str(path), f"{path.name} ({_digest(identity)})", identity)


def fetch(url: str, timeout: float | None = None) -> bytes:
    """The body of a calendar address (urllib, with a timeout); :class:`SourceError` on any failure."""
    timeout = TIMEOUT if timeout is None else timeout
    request = urllib.request.Request(url, headers={"User-Agent": f"vaultnet/{__version__}"})
    label = urlsplit(url).hostname or "the calendar address"
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) only)
            data = response.read(MAX_FEED_BYTES + 1)
            announced = response.headers.get("Content-Length", "")
    except urllib.error.HTTPError as err:
        raise SourceError(f"{label} answered HTTP {err.code} {err.reason}") from None
    except urllib.error.URLError as err:
        reason = err.reason
        raise SourceError(f"cannot reach {label}: {'timed out' if isinstance(reason, TimeoutError) else reason}") from None
    except TimeoutError:
        raise SourceError(f"{label} did not answer within {timeout:g} s") from None
    except (OSError, http.client.HTTPException) as err:  # IncompleteRead: the answer was cut off
        raise SourceError(f"cannot read from {label}: {type(err).__name__ if not str(err) else err}") from None
    if len(data) > MAX_FEED_BYTES:
        raise SourceError(f"{label} sent more than {MAX_FEED_BYTES // 1_000_000} MB; not a calendar")
    if announced.strip().isdigit() and len(data) < int(announced):
        raise SourceError(f"{label} sent {len(data)} of the {int(announced)} bytes it announced; "
                          "nothing imported or removed")
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
