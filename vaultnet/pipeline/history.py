"""What ``check`` says of a vault's history and of this device: ticks git left out, copies of the picture.

Two devices tick the same week's plan and commit; the merge conflicts in the
plan, and ``git checkout --ours`` (or ``--theirs``) resolves it by dropping the
other side's ticks without a word. A build keeps every tick it can see (both
sides, when the markers are left in: :mod:`vaultnet.pipeline.ticks`), but the
side git dropped is only in git's history. So ``check`` looks there, where a
resolution leaves its trace, and names every tick the plan lacks now:

- the sides of the last few merges that touched vaultnet's notes (and of a
  merge, cherry-pick or revert in progress);
- the plan before the last rebase (``ORIG_HEAD``, when the last thing HEAD did
  was a rebase);
- the newest stash (a tick left there when ``stash pop`` conflicted).

It also names conflict markers left in any note (the lines of both sides
count until they are resolved) and files git still calls unmerged. Git's
state is this device's alone, so this is for ``check``, never for the notes
the build writes (another device would not see it, and would disagree).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable

from vaultnet.base.errors import Problem
from vaultnet.files.config import Config
from vaultnet.files.copies import copies_beside
from vaultnet.files.generated import picture_rel, plan_rel
from vaultnet.output.regions import combined, git_sides, item

TIMEOUT = 10.0  # seconds for one git command: a huge repository must not hang check
MERGES = 5  # the last merges that touched vaultnet's notes


def _git(root: str, *args: str) -> str | None:
    """A git command's output in ``root``, or None when it fails (no git, no repository, no such object)."""
    try:
        done = subprocess.run(["git", "-C", root, *args], capture_output=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "replace")


def _ticked(text: str | None) -> dict[str, str]:
    """Key → line of every ticked item of a generated note (both sides of conflict markers)."""
    if text is None:
        return {}
    versions = git_sides(text) or [text]
    return {key: kept[0].rstrip("\n") for key, kept in combined(*versions).items()
            if (found := item(kept[0])) is not None and found[0] in "xX"}


def _plans(config: Config) -> list[str]:
    """The plan notes in the vault (vault-relative)."""
    before, after = plan_rel(config, "\0").split("\0")
    folder = (config.root / before).parent if "/" in before else config.root
    found = []
    for path, _, names in os.walk(folder):
        for name in names:
            rel = os.path.relpath(os.path.join(path, name), config.root).replace(os.sep, "/")
            if rel.startswith(before) and rel.endswith(after) and not name.startswith("."):
                found.append(rel)
    return sorted(found)


def _versions(root: str, prefix: str) -> list[tuple[str, str, str | None]]:
    """(commit, what it is, the commit whose version must lack a tick for it to be lost), newest first."""
    found: list[tuple[str, str, str | None]] = []
    for ref, what in (("MERGE_HEAD", "the merge in progress"), ("CHERRY_PICK_HEAD", "the cherry-pick in progress"),
                      ("REVERT_HEAD", "the revert in progress"), ("REBASE_HEAD", "the rebase in progress")):
        sha = _git(root, "rev-parse", "--verify", "-q", ref)
        if sha:
            found.append((sha.strip(), what, None))
    last = _git(root, "reflog", "-1", "--format=%gs", "HEAD")
    if last and last.startswith("rebase"):
        sha = _git(root, "rev-parse", "--verify", "-q", "ORIG_HEAD")
        if sha:
            found.append((sha.strip(), "the branch before the last rebase", None))
    merges = _git(root, "log", "--merges", "--full-history", f"-n{MERGES}", "--format=%H %P", "HEAD", "--", prefix or ".")
    for line in (merges or "").splitlines():
        merge, *parents = line.split()
        found.extend((parent, f"one side of the merge {merge[:7]}", merge) for parent in parents)
    stash = _git(root, "rev-parse", "--verify", "-q", "refs/stash")
    if stash:
        found.append((stash.strip(), "the newest stash (git stash list)", None))
    return found


def _blobs(root: str, names: list[str]) -> dict[str, str | None]:
    """The text of each ``commit:path`` in ``names`` (None when it has no such file), read by one git process."""
    if not names:
        return {}
    try:
        done = subprocess.run(["git", "-C", root, "cat-file", "--batch"], input="".join(f"{n}\n" for n in names).encode(),
                              capture_output=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return {}
    out, at = done.stdout, 0
    found: dict[str, str | None] = {}
    for name in names:
        end = out.find(b"\n", at)
        if end < 0:
            break
        head = out[at:end].split()
        if len(head) == 3 and head[1] == b"blob":
            size = int(head[2])
            found[name] = out[end + 1:end + 1 + size].decode("utf-8", "replace")
            at = end + 1 + size + 1
        else:
            found[name] = None
            at = end + 1
    return found


def lost_ticks(config: Config) -> list[Problem]:
    """Ticks of vaultnet's plans that git's history holds and the plans lack now."""
    root = str(config.root)
    top = _git(root, "rev-parse", "--show-toplevel") if shutil.which("git") is not None else None
    if top is None:
        return []
    prefix = os.path.relpath(root, top.strip()).replace(os.sep, "/")
    prefix = "" if prefix == "." else prefix + "/"
    versions = _versions(root, prefix + config.output)
    plans = _plans(config)
    if not versions or not plans:
        return []
    revs = {rev for sha, _, result in versions for rev in (sha, result) if rev}
    texts = _blobs(root, [f"{rev}:{prefix}{rel}" for rev in sorted(revs) for rel in plans])
    problems = []
    for rel in plans:
        try:
            now = _ticked((config.root / rel).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
        reported: set[str] = set()
        for sha, what, result in versions:
            there = _ticked(texts.get(f"{sha}:{prefix}{rel}"))
            kept = _ticked(texts.get(f"{result}:{prefix}{rel}")) if result else {}
            for key, line in there.items():
                if key in now or key in kept or key in reported:
                    continue
                reported.add(key)
                problems.append(Problem(rel, None, (
                    f"lacks a tick that {what} holds: '{line.strip()}'; tick it again (with its date) if it was done")))
    return problems


def conflict_markers(config: Config) -> list[Problem]:
    """Git conflict markers left in notes, and notes git still calls unmerged."""
    root = str(config.root)
    if shutil.which("git") is None:
        return []
    problems = []
    unmerged = _git(root, "diff", "--name-only", "--relative", "--diff-filter=U")
    for rel in sorted(set((unmerged or "").splitlines())):
        if rel.endswith(".md"):
            problems.append(Problem(rel, None, "git has not finished merging this note (resolve it, then git add it)"))
    grep = _git(root, "grep", "--untracked", "-n", "-I", "-E", "^(<{7}|>{7})( |$)", "--", "*.md")
    for line in (grep or "").splitlines():
        rel, number, _ = line.split(":", 2)
        problems.append(Problem(rel, int(number), (
            "a git conflict marker is left in the note: the lines of both sides count until you resolve it")))
    return problems


def picture_copies(config: Config) -> list[Problem]:
    """Sync copies of the contact calendar (not a note, so the build's problems cannot name them)."""
    rel = picture_rel(config)
    return [Problem(copy, None, f"a sync copy of {rel}, which vaultnet draws whole: the next build removes it")
            for copy in copies_beside(config.root, rel)]


def git_problems(config: Config) -> list[Problem]:
    """What ``check`` reports of the vault's git state (nothing when it is no git repository)."""
    found = [*conflict_markers(config), *lost_ticks(config)]
    return sorted(_once(found), key=lambda p: p.sort_key)


def _once(problems: Iterable[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))
