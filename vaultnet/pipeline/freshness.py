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
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vaultnet.base.dates import Date
from vaultnet.base.errors import VaultnetError
from vaultnet.base.version import __version__
from vaultnet.files.config import CONFIG_NAME, STATE_DIR, Config, settings_files
from vaultnet.files.digests import counts_by_ticks, note_digest, problem_digest, racy
from vaultnet.files.reads import holds
from vaultnet.files.writes import read_bytes
from vaultnet.output.templates import default_templates

# The names other modules own, spelt here so that a warm build need not import those
# modules (tests/test_freshness.py checks that they agree).
ROLE_MEMORY = f"{STATE_DIR}/changes.json"  # rolechanges.MEMORY: what vaultnet remembers of company and role changes

# Bumped with the cache's form, or with what a parsed note holds (4: markdown links to notes
# are links, a Contacts table is fields; 5: each note's digest, conflict copies read; 6: gift-idea lines;
# 7: every note's keys, a dated note's headings and prose, markdown-image embeds left out; 8: vaultnet's
# generated notes read by their ticked items alone):
# a fingerprint or a cached note from another form is never used.
CACHE_FORMAT = 8


@dataclass(frozen=True)
class Written:
    rel: str
    changed: bool
    error: str | None = None  # why this note was left alone
    text: str | None = None  # the note as this build left it (LF line endings, no BOM)
    taken_in: bool = False  # every tick in ``text`` is one this build counted
    retry: bool = False  # left alone because a file kept changing: worth trying again soon
    read_back: bytes | None = None  # the bytes the session read back, when they were the ones this build left


def taken_in_as_built(config: Config, result: Written) -> bool:
    """True when a generated note is as this build left it, and holds only ticks it counted.

    Otherwise someone edited the note while the build ran (a tick after the plan
    was stamped, or another build's stamp): the build has not taken that in, so
    the next build must not take the notes for current.
    """
    if not result.taken_in or result.error or result.text is None:
        return False
    data = read_bytes(config.root / result.rel)
    return data is not None and holds(data, result.text)


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
def code_digest() -> str:
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


def fingerprint(config: Config, today: Date, signatures: Mapping[str, object],
                by_content: Mapping[str, int] | None = None) -> str:
    """Everything a build reads: notes, settings, templates, the date and vaultnet itself.

    A note is known by its file's signature, except the ones in ``by_content``,
    known by their digest (:mod:`vaultnet.files.digests`): the generated notes,
    which another device may rewrite with nothing new in them, and notes read
    too soon after a change for their signature to be trusted.
    """
    by_content = by_content or {}
    digest = hashlib.sha256(f"{CACHE_FORMAT}\0{__version__}\0{code_digest()}\0{today.isoformat()}\0".encode())
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
        found = by_content.get(rel)
        digest.update(f"{rel}\0{signatures[rel] if found is None else f'#{found:x}'}\0".encode())
    return digest.hexdigest()


def known_by_content(config: Config, signatures: Mapping[str, tuple[int, int, int, int]],
                     saved: Mapping[str, Any]) -> dict[str, int]:
    """The digests of the notes a fingerprint knows by content, as they are now.

    ``saved`` is what the last build recorded (path → [signature or null, digest]):
    a note whose signature is the one recorded has the digest recorded; any
    other is read (a few small files: the generated notes another device
    rewrote, the notes changed in the second before the last build read them).
    """
    found: dict[str, int] = {}
    prefix = config.output + "/"
    for rel, signature in signatures.items():
        kept = saved.get(rel)
        if kept is None and not (rel.startswith(prefix) and counts_by_ticks(config, rel)):
            continue
        if isinstance(kept, list) and len(kept) == 2 and kept[0] == list(signature) and isinstance(kept[1], str):
            found[rel] = int(kept[1], 16)
            continue
        try:
            data = read_bytes(config.root / rel)
        except (OSError, VaultnetError):
            data = None
        found[rel] = note_digest(config, rel, data) if data is not None else problem_digest(rel, ["gone"])
    return found


def settled_record(config: Config, signatures: Mapping[str, tuple[int, int, int, int]], saved: Mapping[str, Any],
                   digests: Mapping[str, int]) -> tuple[dict[str, Any] | None, dict[str, int]]:
    """The record without the notes read too soon after a change that have grown old since (None: none has).

    They were read again and found as the last build read them, and any change
    from now on moves their modification time: their signatures can be trusted.
    A generated note stays known by its digest (with its signature, to read it
    only when it changes).
    """
    now = time.time_ns()
    aged = [rel for rel, kept in saved.items() if isinstance(kept, list) and kept and kept[0] is None
            and rel in signatures and not racy(signatures[rel][1], now)]
    if not aged:
        return None, dict(digests)
    content = dict(saved)
    known = dict(digests)
    prefix = config.output + "/"
    for rel in aged:
        if rel.startswith(prefix) and counts_by_ticks(config, rel):
            content[rel] = [list(signatures[rel]), f"{known[rel]:x}"]
        else:
            del content[rel]
            known.pop(rel, None)
    return content, known


def content_record(config: Config, entries: Mapping[str, Any]) -> tuple[dict[str, int], dict[str, list[Any]]]:
    """What a build saves of the notes known by content: their digests, and the record for the next check."""
    digests: dict[str, int] = {}
    record: dict[str, list[Any]] = {}
    prefix = config.output + "/"
    for rel, entry in entries.items():
        unknown = entry.signature[0] == -1 or entry.racy
        if unknown or (rel.startswith(prefix) and counts_by_ticks(config, rel)):
            digests[rel] = entry.digest
            record[rel] = [None if unknown else list(entry.signature), f"{entry.digest:x}"]
    return digests, record
