"""Large blocks of memory go back to the system once freed: for a process that runs for hours (the watcher).

glibc's allocator gives a block of 128 KB or more a mapping of its own, and
returns it to the system when it is freed; but each time such a block is freed
it raises that threshold to the block's size (up to 32 MB). After a few builds
the watcher's megabyte buffers (the index note's text, tables of thirty thousand
notes) come from the heap instead, where the small objects each build keeps
land among them and hold the heap's pages: the watcher grows with every edit.
Pinning the threshold keeps every large block a mapping of its own. On the
dense benchmark vault: 189 MB resident after five edits instead of 201, and
197 MB at the peak instead of 202.

Elsewhere (macOS, Windows, musl) nothing is done; neither is it when the user
set ``MALLOC_MMAP_THRESHOLD_`` themselves.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys

log = logging.getLogger(__name__)

M_MMAP_THRESHOLD = -3  # glibc's <malloc.h>
LARGE = 128 * 1024  # glibc's own starting threshold, kept


def hand_back_large_blocks() -> bool:
    """Pin glibc's threshold for a mapping of its own (see the module); True when it took."""
    if not sys.platform.startswith("linux") or "MALLOC_MMAP_THRESHOLD_" in os.environ:
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # no C library to ask, or one without mallopt
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    pinned = bool(mallopt(M_MMAP_THRESHOLD, LARGE))
    log.debug("large blocks of memory %s", "go back to the system once freed" if pinned else "stay as the C library says")
    return pinned
