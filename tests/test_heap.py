"""A watcher gives large blocks of memory back to the system once freed (vaultnet.pipeline.heap)."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

from vaultnet.pipeline.heap import hand_back_large_blocks

GROWTH = """
import re, sys
from vaultnet.pipeline.heap import hand_back_large_blocks

def resident():
    return int(re.search(r"VmRSS:\\s+(\\d+)", open("/proc/self/status").read()).group(1)) // 1024

pinned = sys.argv[1] == "pin" and hand_back_large_blocks()
before = resident()
kept = []
for size in (24, 16, 8):  # a build's large buffers, freed; the small objects it keeps made among them
    block = bytearray(size * 2**20)
    block[::4096] = b"x" * len(block[::4096])
    kept.append([bytes(100) for _ in range(1000)])
    del block
print(pinned, resident() - before)
"""

glibc = pytest.mark.skipif(not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
                           reason="glibc's allocator only")


def grown(how: str) -> tuple[bool, int]:
    done = subprocess.run([sys.executable, "-c", GROWTH, how], capture_output=True, text=True, check=True,
                          env={"PATH": "/usr/bin:/bin"})
    pinned, megabytes = done.stdout.split()
    return pinned == "True", int(megabytes)


@glibc
def test_freed_large_blocks_go_back_to_the_system():
    as_is = grown("as is")
    if as_is[1] < 8:
        pytest.skip("this C library gives large blocks back by itself")
    pinned, megabytes = grown("pin")
    assert pinned and megabytes < 4, (as_is, megabytes)


def test_a_threshold_the_user_set_is_theirs(monkeypatch):
    monkeypatch.setenv("MALLOC_MMAP_THRESHOLD_", "65536")
    assert hand_back_large_blocks() is False


def test_nothing_is_done_elsewhere(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    assert hand_back_large_blocks() is False
