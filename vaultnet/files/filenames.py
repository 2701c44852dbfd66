"""Safe note file names for names that come from input (docs/design.md, Invariants)."""

from __future__ import annotations

import re
import unicodedata

# Characters that break file systems, Obsidian links or block references.
_UNSAFE = re.compile(r'[\\/:*?"<>|#^\[\]\x00-\x1f\x7f]')
# Invisible characters that make two names look the same (``Ana\u200b Souza``) or reorder
# what is shown (bidi controls): zero-width spaces and joiners, word joiner, BOM, soft hyphen,
# and the bidi embeddings, overrides, isolates and marks.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u061c]")
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$", re.IGNORECASE)
MAX_BYTES = 200  # well under the 255-byte limit of common file systems, leaving room for ".md"


def safe_filename(name: str) -> str:
    """A file stem for ``name``: NFC, no unsafe or invisible characters, no leading dot, no trailing dot or space.

    Raises ``ValueError`` when nothing usable is left.
    """
    text = _INVISIBLE.sub("", unicodedata.normalize("NFC", name))
    text = " ".join(_UNSAFE.sub(" ", text).split())
    text = text.lstrip(". ").rstrip(". ")
    if _WINDOWS_RESERVED.match(text):
        text = f"{text} (contact)"
    while len(text.encode("utf-8")) > MAX_BYTES:
        text = text[:-1].rstrip(". ")
    if not text:
        raise ValueError(f"{name!r} cannot be a file name")
    return text
