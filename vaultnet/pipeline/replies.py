"""Answers kept between runs: a read command's output, saved with the state of the vault it came from.

A read command that worked its answer out saves it, with the fingerprint of the
notes it read (the one a build records: every note's signature, the settings,
the templates, the date and vaultnet's own code). The same command asked again
finds it, walks the vault once and, when nothing it depends on changed, prints
it: a walk instead of reading and working out thirty thousand notes. Any change,
and the fingerprint differs: the command works the answer out again and saves
the new one.

Answers live in this user's cache folder (``$XDG_CACHE_HOME/vaultnet/``, else
``~/.cache``, ``~/Library/Caches`` or ``%LOCALAPPDATA%``), one folder per vault,
never in the vault: a read command leaves the vault as it is, and works the
same on a vault it cannot write to. The newest few answers of each vault are kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import sys
from pathlib import Path
from typing import Any

import msgspec

from vaultnet.base.dates import Date
from vaultnet.base.version import __version__
from vaultnet.pipeline.cache import replace_file
from vaultnet.pipeline.serving import Reply, Request, vault_digest
from vaultnet.pipeline.session import Session

log = logging.getLogger(__name__)

KEEP = 32  # answers kept per vault, the newest first...
KEEP_BYTES = 64 * 2**20  # ... while they take no more room than this (a large vault's `status --json` is 10 MB)
FORMAT = 4  # 4: what a command printed kept as its UTF-8 bytes


class Saved(msgspec.Struct, frozen=True):
    """One saved answer: the question, the state of the vault it was worked out from, and the reply."""

    format: int
    version: str
    request: bytes  # Request.key()
    fingerprint: str
    content: dict[str, list[Any]]  # the notes the fingerprint knows by content (see Session.read_state)
    form: str | None  # the form of this device's last build (see Session.read_state)
    generated: dict[str, list[Any]] | None  # vaultnet's own notes as read (see Session.read_state)
    reply: Reply


def cache_home() -> Path:
    """This user's cache folder, as the platform names it."""
    if xdg := os.environ.get("XDG_CACHE_HOME"):
        return Path(xdg)
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches"
    if os.name == "nt" and (local := os.environ.get("LOCALAPPDATA")):
        return Path(local)
    return Path.home() / ".cache"


def answers_folder(root: Path) -> Path:
    """Where the answers about the vault at ``root`` are kept."""
    return cache_home() / "vaultnet" / "answers" / vault_digest(root)


def _path(session: Session, request: Request) -> Path:
    return answers_folder(session.config.root) / f"{hashlib.sha256(request.key()).hexdigest()[:32]}.json"


def saved_reply(session: Session, today: Date, request: Request) -> Reply | None:
    """The answer saved for ``request``, when the vault is as it was when it was worked out.

    ``session`` makes the walk that tells; a command that must work its answer
    out after all reads the notes with it, and need not walk again.
    """
    try:
        saved = msgspec.json.decode(_path(session, request).read_bytes(), type=Saved)
    except FileNotFoundError:
        return None
    except (OSError, msgspec.DecodeError) as err:  # unreadable or foreign: worked out, and saved anew
        log.debug("ignoring a saved answer: %s", err)
        return None
    if saved.format != FORMAT or saved.request != request.key():  # the request holds the version
        return None
    if not session.matches(today, {"fingerprint": saved.fingerprint, "content": saved.content, "form": saved.form,
                                   "generated": saved.generated}):
        return None
    return saved.reply


def save_reply(session: Session, today: Date, request: Request, reply: Reply) -> None:
    """Save ``reply`` with the state of the notes ``session`` read (nothing, when it read none).

    Never an error: an answer that cannot be saved is worked out again next time.
    """
    state = session.read_state(today)
    if state is None:
        return
    path = _path(session, request)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        data = msgspec.json.encode(Saved(FORMAT, __version__, request.key(), state["fingerprint"], state["content"],
                                         state["form"], state["generated"], reply))
        replace_file(path.parent, path.name, [data])
        _prune(path.parent)
    except OSError as err:
        log.debug("cannot save the answer: %s", err)


def _prune(folder: Path) -> None:
    """Keep the newest answers: ``KEEP`` of them, in ``KEEP_BYTES`` at most."""
    with contextlib.suppress(OSError):
        saved = sorted(((entry.stat().st_mtime_ns, entry.stat().st_size, entry.path) for entry in os.scandir(folder)
                        if entry.name.endswith(".json")), reverse=True)
        room = KEEP_BYTES
        for number, (_, size, path) in enumerate(saved):
            room -= size
            if number >= KEEP or (room < 0 and number > 0):
                with contextlib.suppress(OSError):
                    os.unlink(path)
