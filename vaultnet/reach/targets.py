"""Where notifications go: the Apprise URLs of ``[notify] urls``, and sending one message to one of them.

A push URL is a password (whoever has an ntfy topic or a bot token can post
to it, or read it), and vaults are synced and kept in git, so a URL can be
given indirectly: ``env:NAME`` (an environment variable holds it) or
``file:PATH`` (a file outside the vault does). Logs and the record name a
target by its scheme and a short hash of what ``vaultnet.toml`` says, never
by the URL itself. Apprise is imported only when something is sent.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass

from vaultnet.base.errors import VaultnetError
from vaultnet.files.config import Config
from vaultnet.files.secrets import indirect

log = logging.getLogger(__name__)

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


class TargetError(VaultnetError):
    """A target cannot be used: its variable is unset, its file unreadable, or Apprise does not know the URL."""


@dataclass(frozen=True, slots=True)
class Target:
    spec: str  # as vaultnet.toml says: a URL, env:NAME or file:PATH

    @property
    def key(self) -> str:
        """Stable across devices that share the settings: ``ntfy-3fa2c1``, ``env-91be0d``."""
        digest = hashlib.sha256(self.spec.encode("utf-8")).hexdigest()[:6]
        return f"{self.kind}-{digest}"

    @property
    def kind(self) -> str:
        if self.spec.startswith(("env:", "file:")):
            return self.spec.split(":", 1)[0]
        match = _SCHEME.match(self.spec)
        return re.sub(r"[^a-z0-9]+", "", match.group(1).lower()) if match else "url"

    @property
    def label(self) -> str:
        """How logs name it: ``env:NTFY_URL`` as written, a URL by its scheme and hash only."""
        if self.spec.startswith(("env:", "file:")):
            return self.spec
        return f"{self.kind}:// ({self.key.rsplit('-', 1)[1]})"

    def url(self) -> str:
        """The URL itself, read from the environment or the file when the settings name one."""
        try:
            found = indirect(self.spec)
        except ValueError as err:
            raise TargetError(f"{self.label}: {err}") from None
        return self.spec if found is None else found


def targets(config: Config) -> list[Target]:
    """The configured targets, each once; none when ``[notify]`` lists no URLs (then nothing is ever sent)."""
    return [Target(spec) for spec in dict.fromkeys(config.notify.urls)]


def deliver(target: Target, title: str, body: str, fmt: str = "text") -> str | None:
    """Send one message to one target; None when it was delivered, else why not (one line, no URL in it)."""
    try:
        url = target.url()
    except TargetError as err:
        return str(err).split(": ", 1)[1]
    import apprise

    # What Apprise says about a failure comes back here, as one line; with -vv it is logged as it happens too.
    logging.getLogger("apprise").propagate = log.isEnabledFor(logging.DEBUG)
    service = apprise.Apprise()
    if not service.add(url):
        return "Apprise does not know this URL (see its list of services and their URL formats)"
    body_format = apprise.NotifyFormat.MARKDOWN if fmt == "markdown" else apprise.NotifyFormat.TEXT
    with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as captured:
        delivered = bool(service.notify(body=body, title=title, body_format=body_format))
    if delivered:
        return None
    said = [text.strip() for text in captured.getvalue().splitlines() if text.strip()]
    return scrub(said[-1] if said else "the service did not accept it", url)


def scrub(text: str, url: str) -> str:
    """``text`` without any part of ``url`` that could be a secret: its topic, token, user, password or host.

    Apprise's messages name the ntfy topic or the host they failed to reach;
    the topic is the password, and logs go where the user does not expect.
    """
    parts = sorted({part for part in re.split(r"[/:@?&=#,]+", url.split("://", 1)[-1]) if len(part) >= 4},
                   key=len, reverse=True)
    for part in parts:
        text = text.replace(part, "…")
    return text
