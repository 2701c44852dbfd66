"""Changes to files as a patch in git's format: what ``merge --dry-run`` prints.

The patch is exact, byte for byte (line endings, a missing final newline and
a BOM included): ``git apply`` (or ``patch -p1``) run on it in the vault makes
the very change the command makes. A note moved to ``.trash/`` is a rename; a
note sent to the system trash leaves the vault, so it is a deletion there.
"""

from __future__ import annotations

import difflib


def _lines(data: bytes) -> list[str]:
    return data.decode("utf-8").splitlines(keepends=True) if data else []


def _body(before: list[str], after: list[str]) -> str:
    out = []
    for line in list(difflib.unified_diff(before, after, n=3, lineterm="\n"))[2:]:
        if line.startswith("@@"):
            out.append(line)
            continue
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def modified(rel: str, before: bytes, after: bytes) -> str:
    """A change to one file (nothing when the bytes are the same)."""
    if before == after:
        return ""
    return (f"diff --git a/{rel} b/{rel}\n--- a/{rel}\n+++ b/{rel}\n"
            + _body(_lines(before), _lines(after)))


def renamed(old: str, new: str) -> str:
    """A file moved, unchanged."""
    return f"diff --git a/{old} b/{new}\nsimilarity index 100%\nrename from {old}\nrename to {new}\n"


def deleted(rel: str, data: bytes) -> str:
    """A file that leaves the vault."""
    return (f"diff --git a/{rel} b/{rel}\ndeleted file mode 100644\n--- a/{rel}\n+++ /dev/null\n"
            + _body(_lines(data), []))
