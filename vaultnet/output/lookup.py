"""The contact a typed name means, or a message that says what to do.

``show``, ``log`` and the MCP server's tools take names as people type them;
when a name matches no contact but a note, the message says which note and
what would make it a contact.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from vaultnet.base.errors import ResolveError
from vaultnet.evidence.contacts import Contact
from vaultnet.evidence.resolve import loose, resolve_name
from vaultnet.files.config import Config
from vaultnet.output.survey import not_a_contact


def find_contact(config: Config, contacts: Sequence[Contact], name: str) -> Contact:
    """The contact ``name`` means; for a note that exists but is no contact, say which and what would make it one."""
    try:
        return resolve_name(name, contacts)
    except ResolveError as err:
        if "is ambiguous" in str(err):
            return same_file(config, name, contacts, err)
        if not str(err).startswith("no contact named"):
            raise
        explained = not_a_contact(config, name)
        if explained is None:
            raise
        raise ResolveError(explained) from None


def same_file(config: Config, name: str, contacts: Sequence[Contact], err: Exception) -> Contact:
    """A name that matches one note and a symlink to it (a people folder linking a note kept elsewhere): the note."""
    matches = [c for c in contacts if loose(c.name) == loose(name)]
    real = {os.path.realpath(config.root / c.path) for c in matches}
    plain = [c for c in matches if not (config.root / c.path).is_symlink()]
    if len(real) == 1 and len(plain) == 1:
        return plain[0]
    raise err
