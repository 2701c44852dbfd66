"""Whether the generated notes are current, known without building them.

A warm ``vaultnet build`` is a walk of the vault and this check: the names of
the generated notes, what a build reports of each, and the fingerprint of
everything a build reads. It is kept apart from the build (plan, render,
templates) so that a warm build never imports what it does not run.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from vaultnet.base.dates import Date
from vaultnet.base.version import __version__
from vaultnet.files.config import CONFIG_NAME, STATE_DIR, Config, settings_files
from vaultnet.files.writes import decode_text, read_bytes
from vaultnet.output.templates import default_templates

# The names other modules own, spelt here so that a warm build need not import those
# modules (tests/test_freshness.py checks that they agree).
ROLE_MEMORY = f"{STATE_DIR}/changes.json"  # rolechanges.MEMORY: what vaultnet remembers of company and role changes

# Bumped with the cache's form, or with what a parsed note holds (4: markdown links to notes
# are links, a Contacts table is fields; 5: every note's keys, a dated note's headings and prose,
# markdown-image embeds left out): a fingerprint or a cached note from another form is never used.
CACHE_FORMAT = 5


@dataclass(frozen=True)
class Written:
    rel: str
    changed: bool
    error: str | None = None  # why this note was left alone
    text: str | None = None  # the note as this build left it (LF line endings, no BOM)
    taken_in: bool = False  # every tick in ``text`` is one this build counted


def taken_in_as_built(config: Config, result: Written) -> bool:
    """True when a generated note is as this build left it, and holds only ticks it counted.

    Otherwise someone edited the note while the build ran (a tick after the plan
    was stamped, or another build's stamp): the build has not taken that in, so
    the next build must not take the notes for current.
    """
    if result.error or result.text is None or not result.taken_in:
        return False
    data = read_bytes(config.root / result.rel)
    try:
        return data is not None and decode_text(data) == result.text
    except UnicodeDecodeError:
        return False


def settings_digest(config: Config) -> str:
    """The files vaultnet's settings come from."""
    digest = hashlib.sha256()
    for name in (CONFIG_NAME, *settings_files(config)):
        try:
            digest.update(name.encode() + b"\0" + (config.root / name).read_bytes() + b"\0")
        except OSError:
            digest.update(name.encode() + b"\0-\0")
    return digest.hexdigest()


@functools.cache
def _code() -> str:
    """vaultnet's own modules and shipped templates, by name and content.

    The version alone misses an install of changed code under the same version
    (a checkout, a development build): its notes would stay as the old code
    wrote them, and ``plan --stdout`` would print them. By content, not mtime,
    so a source tree and an install of it agree. About a megabyte, read once.
    """
    digest = hashlib.sha256()
    for top in (Path(__file__).resolve().parent.parent, default_templates()):
        for folder, dirs, files in os.walk(top):
            dirs[:] = sorted(name for name in dirs if name != "__pycache__" and name != "templates")
            for name in sorted(files):
                if not name.endswith((".pyc", ".pyo")):
                    path = os.path.join(folder, name)
                    with contextlib.suppress(OSError), open(path, "rb") as handle:
                        digest.update(os.path.relpath(path, top).encode() + b"\0" + handle.read() + b"\0")
    return digest.hexdigest()


def fingerprint(config: Config, today: Date, signatures: Mapping[str, object]) -> str:
    """Everything a build reads: notes, settings, templates, the date and vaultnet itself."""
    digest = hashlib.sha256(f"{CACHE_FORMAT}\0{__version__}\0{_code()}\0{today.isoformat()}\0".encode())
    digest.update(settings_digest(config).encode())
    with contextlib.suppress(OSError):
        stat = (config.root / ROLE_MEMORY).stat()
        digest.update(f"{ROLE_MEMORY}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    templates = config.root / STATE_DIR / "templates"
    if templates.is_dir():
        for path in sorted(templates.rglob("*")):
            try:
                stat = path.stat()
                seen = f"{stat.st_size}\0{stat.st_mtime_ns}"
            except OSError:  # a dangling link or a loop: the render reports it
                seen = "-"
            digest.update(os.fsencode(path.relative_to(templates)) + f"\0{seen}\0".encode())
    for rel in sorted(signatures):
        digest.update(f"{rel}\0{signatures[rel]}\0".encode())
    return digest.hexdigest()
