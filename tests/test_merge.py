"""vaultnet merge: one person's two notes become one; --dry-run shows exactly that; no line is ever lost."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from vaultnet.base.errors import VaultnetError
from vaultnet.cli.main import main
from vaultnet.edits.merge import merged_text
from vaultnet.evidence.contacts import Contact
from vaultnet.files.reads import WriteConflict

from conftest import examples, write

KEEP = """---
aliases:
  - Rob
tags: [person]
company: Northbeam
email: bob@northbeam.vc
offers:
  - fundraising advice
---
Partner at Northbeam.

## Log
- 2026-11-12 #email #got intro to the platform team
- 2026-09-01 #coffee met at the fair

## Notes
likes jazz
"""
OTHER = ("---\r\nphone: \"+44 20 7946 0958\"  # mobile\r\nemail: robert@gmail.example\r\nbirthday: 1979-10-01\r\n"
         "tags:\r\n  - person\r\n  - family\r\noffers:\r\n  - intros to angels\r\n  - fundraising advice\r\n---\r\n"
         "Met through [[Ana Souza]].\r\n\r\n## Log\r\n- 2026-10-05 #call long call about Fund III\r\n"
         "  - nested detail\r\n- [[2025-01-02]] #message new year wishes\r\n- [ ] send him the deck\r\n\r\n"
         "## Gift ideas\r\n- jazz records\r\n")


def run(vault, *args):
    return CliRunner().invoke(main, ["--vault", str(vault), "--today", "2026-11-21", *args])


@pytest.fixture
def pair(vault: Path) -> Path:
    write(vault, "People/Robert Lee.md", KEEP)
    (vault / "People/Bob Lee.md").write_bytes(OTHER.encode())
    write(vault, "People/Ana Souza.md", "---\ncircle: close\n---\n")
    write(vault, "Daily/2026-11-20.md", "- lunch with [[Bob Lee]]\n")
    return vault


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and ".vaultnet" not in p.parts}


def test_the_merge_keeps_every_line_and_moves_the_other_note_to_the_trash(pair):
    result = run(pair, "merge", "Robert Lee", "Bob Lee")
    assert result.exit_code == 0, result.output
    assert "People/Bob Lee.md is now in .trash/Bob Lee.md" in result.stdout
    assert not (pair / "People/Bob Lee.md").exists()
    assert (pair / ".trash/Bob Lee.md").read_bytes() == OTHER.encode()  # moved, never deleted or changed
    merged = (pair / "People/Robert Lee.md").read_text(encoding="utf-8")
    assert merged == KEEP.replace(
        "  - Rob\ntags: [person]\n", "  - Rob\n  - Bob Lee\ntags: [person, family]\n").replace(
        "  - fundraising advice\n---\n",
        '  - fundraising advice\n  - intros to angels\nphone: "+44 20 7946 0958"  # mobile\nbirthday: 1979-10-01\n---\n'
    ).replace(
        "- 2026-11-12 #email #got intro to the platform team\n- 2026-09-01 #coffee met at the fair\n",
        "- 2026-11-12 #email #got intro to the platform team\n- 2026-10-05 #call long call about Fund III\n"
        "  - nested detail\n- 2026-09-01 #coffee met at the fair\n- [[2025-01-02]] #message new year wishes\n",
    ) + ("\n## From Bob Lee (merged 2026-11-21)\n\nProperties of that note that differ from this one's:\n\n"
         "```yaml\nemail: robert@gmail.example\n```\n\nMet through [[Ana Souza]].\n\n## Log\n"
         "- [ ] send him the deck\n\n## Gift ideas\n- jazz records\n")
    for line in [*KEEP.splitlines(), *OTHER.replace("\r", "").split("---")[2].splitlines()]:
        if line != "tags: [person]":  # a one-line list takes the new items on its line
            assert line.strip() in {m.strip() for m in merged.splitlines()}, line
    # The old name is an alias: links to it, and `log`, find the kept note.
    status = json.loads(run(pair, "show", "Bob Lee", "--json").stdout)
    assert status["path"] == "People/Robert Lee.md" and status["last_contact"] == "2026-11-20"
    assert status["gift_ideas"] == [{"text": "jazz records", "path": "People/Robert Lee.md", "line": 40}]


@pytest.mark.parametrize("keep", [KEEP.encode(), b"\xef\xbb\xbf" + KEEP.replace("\n", "\r\n").rstrip().encode()])
def test_dry_run_shows_exactly_what_merge_does_byte_for_byte(pair, tmp_path, keep):
    (pair / "People/Robert Lee.md").write_bytes(keep)  # LF; or a BOM, CRLF and no newline at the end
    before = tree(pair)
    shown = run(pair, "merge", "Robert Lee", "Bob Lee", "--dry-run")
    assert shown.exit_code == 0, shown.output
    assert tree(pair) == before  # a dry run changes nothing
    assert shown.stdout.startswith("# vaultnet merge: Bob Lee into Robert Lee; People/Bob Lee.md goes to .trash/Bob Lee.md\n")
    assert "rename from People/Bob Lee.md\nrename to .trash/Bob Lee.md\n" in shown.stdout
    copy = tmp_path / "copy"
    shutil.copytree(pair, copy)
    (tmp_path / "merge.patch").write_bytes(shown.stdout_bytes)  # .stdout turns \r\n into \n
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    subprocess.run(["git", "apply", "--unsafe-paths", str(tmp_path / "merge.patch")], cwd=copy, check=True)
    assert run(pair, "merge", "Robert Lee", "Bob Lee").exit_code == 0
    assert tree(copy) == tree(pair)


def test_the_system_trash_when_obsidian_is_set_so(pair, monkeypatch):
    sent = []
    monkeypatch.setattr("send2trash.send2trash", lambda path: (sent.append(path), Path(path).unlink()))
    write(pair, ".obsidian/app.json", '{"trashOption": "system"}')
    shown = run(pair, "merge", "Robert Lee", "Bob Lee", "--dry-run").stdout
    assert "goes to the system trash" in shown and "deleted file mode 100644" in shown
    assert run(pair, "merge", "Robert Lee", "Bob Lee").exit_code == 0
    assert sent == [str(pair / "People/Bob Lee.md")] and not (pair / ".trash").exists()
    write(pair, "vaultnet.toml", 'trash = "local"\n')  # vaultnet.toml chooses
    write(pair, "People/Rob L.md", "---\nemail: bob@northbeam.vc\n---\n")
    write(pair, ".trash/Rob L.md", "an older note of that name\n")
    assert run(pair, "merge", "Robert Lee", "People/Rob L.md").exit_code == 0
    assert (pair / ".trash/Rob L 1.md").read_text() == "---\nemail: bob@northbeam.vc\n---\n"
    assert (pair / ".trash/Rob L.md").read_text() == "an older note of that name\n"


def test_an_edit_to_the_other_note_meanwhile_stops_the_merge(pair, monkeypatch):
    import vaultnet.edits.merge as merging

    reads = iter([OTHER.encode(), b"edited meanwhile\n"])
    monkeypatch.setattr(merging, "read_settled", lambda path: next(reads, b"edited meanwhile\n"))
    before = tree(pair)
    with pytest.raises(WriteConflict):
        merging.merge(load_config_for(pair), contact(pair, "Robert Lee"), contact(pair, "Bob Lee"), dt.date(2026, 11, 21))
    assert tree(pair) == before


def load_config_for(vault):
    from vaultnet.files.config import load_config

    return load_config(vault)


def contact(vault, name):
    from vaultnet.pipeline.session import build_network

    return next(s.contact for s in build_network(load_config_for(vault), dt.date(2026, 11, 21)).standings
                if s.name == name)


def test_refusals_are_one_line(pair):
    assert "are the same note" in run(pair, "merge", "Robert Lee", "Rob").output
    assert "no contact named 'Nobody'" in run(pair, "merge", "Robert Lee", "Nobody").output
    write(pair, "People/Broken.md", "---\nkey: [unclosed\n---\n")
    result = run(pair, "merge", "People/Broken.md", "Bob Lee")
    assert result.exit_code == 1 and "front matter cannot be read" in result.output
    assert (pair / "People/Bob Lee.md").exists()


LINES = st.sampled_from([
    "- 2026-10-05 #call a call", "- [[2026-03-01]] #coffee coffee", "- 2025-13-45 not a date", "  - nested",
    "plain text", "## Log", "## Notes", "### Sub", "- [ ] open task", "- [x] done ✅ 2026-01-02", "", "```",
    "%% comment %%", "> quote", "- 2026-11-12 #email same line in both", "key: value in the body", "---",
])
KEYS = st.sampled_from([
    "aliases: Bo", "aliases: [Bo, Bobby]", "aliases:\n  - Bo", "tags: [person]", "tags:\n- person\n- x",
    "email: a@b.example", "email: c@d.example", "circle: close", "offers:\n  - advice", "phone: '+1 650 555 1234'",
    "company: Acme  # since 2020", "note: |\n  two\n  lines",
])


def note(keys: list[str], lines: list[str], crlf: bool, bom: bool) -> str:
    front = "---\n" + "".join(k + "\n" for k in dict.fromkeys(k.split(":")[0] + "\0" + k for k in keys)
                                 for k in [k.split("\0", 1)[1]]) + "---\n" if keys else ""
    text = front + "".join(line + "\n" for line in lines)
    text = text.replace("\n", "\r\n") if crlf else text
    return ("\ufeff" if bom else "") + text


@settings(max_examples=examples(100), deadline=None)
@given(st.lists(KEYS, max_size=5), st.lists(LINES, max_size=12), st.lists(KEYS, max_size=5),
       st.lists(LINES, max_size=12), st.booleans(), st.booleans(), st.booleans())
def test_merging_keeps_every_user_line(keep_keys, keep_lines, other_keys, other_lines, crlf, other_crlf, bom):
    keep_text = note(keep_keys, keep_lines, crlf, bom)
    other_text = note(other_keys, other_lines, other_crlf, False)
    keep = Contact("Robert Lee", "People/Robert Lee.md", aliases=("Rob",))
    other = Contact("Bob Lee", "People/Bob Lee.md", aliases=("Bo",))
    try:
        result = merged_text(keep_text, other_text, keep, other, "Log", dt.date(2026, 11, 21))
    except VaultnetError:
        return  # refused, with a message: nothing was written
    kept = {line.strip() for line in result.splitlines()}
    body = other_text.replace("\r", "").split("---\n", 2)[-1] if other_keys else other_text.replace("\r", "")
    for line in [*keep_text.removeprefix("\ufeff").replace("\r", "").splitlines(), *body.splitlines()]:
        if line.strip() and not line.startswith(("aliases:", "tags:")):  # a one-line list takes the new items
            assert line.strip() in kept, line
    assert result.startswith("\ufeff") is bom
    assert ("\r\n" in result) is (crlf and "\n" in keep_text)
