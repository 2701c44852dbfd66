"""Which files are notes and which are skipped (vaultnet.files.walk, spec section 2)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from vaultnet.files.config import load_config
from vaultnet.files.walk import Skipper, VaultFile, conflict_original, walk

from conftest import write


def rels(vault: Path, folder: str = "") -> list[str]:
    return [file.rel for file in walk(load_config(vault), folder)]


def touch(vault: Path, *paths: str) -> None:
    for rel in paths:
        write(vault, rel, "- note\n")


def test_walk_yields_markdown_notes_as_posix_paths(vault):
    touch(vault, "Ana.md", "People/Bob.md", "Daily/2026/11/2026-11-21.md")
    files = list(walk(load_config(vault)))
    assert {file.rel for file in files} == {"Ana.md", "People/Bob.md", "Daily/2026/11/2026-11-21.md"}
    assert all(isinstance(file, VaultFile) and file.conflict_of is None for file in files)


@pytest.mark.parametrize(
    "skipped",
    [
        ".obsidian/workspace.md",
        ".obsidian/plugins/x/README.md",
        ".trash/Old.md",
        ".git/COMMIT_EDITMSG.md",
        ".obsidian-mobile/x.md",  # a renamed config folder
        ".vaultnet/cache/x.md",
        ".hidden.md",
        "People/.draft.md",
        "People/.sub/Ana.md",
    ],
)
def test_dot_folders_and_files_are_skipped(vault, skipped):
    touch(vault, "People/Ana.md", skipped)
    assert rels(vault) == ["People/Ana.md"]


@pytest.mark.parametrize(
    "skipped",
    [
        "photo.png",
        "notes.txt",
        "People/Ana.pdf",
        "People/Ana.markdown",
        "Ana.md.bak",
        "Canvas.canvas",
        "People/Ana",
    ],
)
def test_non_markdown_files_are_skipped(vault, skipped):
    touch(vault, "People/Ana.md", skipped)
    assert rels(vault) == ["People/Ana.md"]


def test_upper_case_extension_is_a_note(vault):
    touch(vault, "People/Ana.MD")
    assert rels(vault) == ["People/Ana.MD"]


@pytest.mark.parametrize(
    "skipped",
    [
        "People/Ana.md~",  # emacs, gedit backup
        "People/#Ana.md#",  # emacs autosave
        "People/.#Ana.md",  # emacs lock
        "People/.Ana.md.swp",  # vim
        "People/~Ana.md",
        "People/~$Ana.md",
        "People/Ana~.md",
        "People/Ana.md.tmp",
        "People/Ana.tmp.md",
        "People/Ana.swp.md",
        "People/Ana.md.crdownload",
        "People/~syncthing~Ana.md.tmp",  # Syncthing (Windows)
        "People/.syncthing.Ana.md.tmp",  # Syncthing (Unix)
        "People/.Ana.md.tmp.icloud",  # iCloud stub of a file that is no note
    ],
)
def test_temporary_files_and_stubs_are_skipped(vault, skipped):
    touch(vault, "People/Bob.md", skipped)
    assert rels(vault) == ["People/Bob.md"]


def test_templates_folder_from_obsidian_settings_is_skipped(vault):
    (vault / ".obsidian" / "templates.json").write_text(json.dumps({"folder": "Meta/Templates/"}))
    touch(vault, "Meta/Templates/person.md", "Meta/Templates/sub/daily.md", "Meta/Index.md", "Templates.md",
          "Templates/kept.md")
    assert sorted(rels(vault)) == ["Meta/Index.md", "Templates.md", "Templates/kept.md"]


def test_without_a_templates_setting_a_folder_named_like_one_is_skipped(vault):
    touch(vault, "Templates/person.md", "Meta/_templates/daily.md", "Vorlagen/Kontakt.md", "Templates.md",
          "Notes/Templates for emails/a.md", "A/B/Templates/deep.md")
    assert sorted(rels(vault)) == ["A/B/Templates/deep.md", "Notes/Templates for emails/a.md", "Templates.md"]


def test_ignore_globs(vault):
    write(vault, "vaultnet.toml", 'ignore = ["Archive/*", "*.excalidraw.md", "Private", "Work/Old/"]\n')
    touch(
        vault,
        "Archive/2019.md",
        "Archive/sub/deep.md",
        "Drawing.excalidraw.md",
        "Work/Plan.excalidraw.md",
        "Private/diary.md",
        "Work/Private/secret.md",
        "Work/Old/x.md",
        # kept:
        "Archive.md",
        "NotArchive/x.md",
        "Private.md",
        "Work/Plan.md",
        "Old/y.md",  # a pattern with a slash only matches from the root
    )
    assert sorted(rels(vault)) == ["Archive.md", "NotArchive/x.md", "Old/y.md", "Private.md", "Work/Plan.md"]


@pytest.mark.parametrize(
    ("name", "original"),
    [
        ("Ana.sync-conflict-20260101-123456-ABCDEFG.md", "Ana"),
        ("Ana Souza.sync-conflict-20260101-123456-ABC.md", "Ana Souza"),
        ("Ana (Sam's conflicted copy 2026-01-01).md", "Ana"),
        ("Ana (conflicted copy).md", "Ana"),
        ("Ana (Conflicted copy 2026-01-01 101010).md", "Ana"),
        ("Ana conflicted copy.md", "Ana"),
    ],
)
def test_conflict_copies_are_yielded_with_the_name_they_copy(vault, name, original):
    touch(vault, "People/Ana.md", f"People/{name}")
    files = {file.rel: file.conflict_of for file in walk(load_config(vault))}
    assert files == {"People/Ana.md": None, f"People/{name}": original}
    assert conflict_original(name) == original


@pytest.mark.parametrize("name", ["Ana.md", "Conflict resolution.md", "Sync notes.md", "Ana (copy).md"])
def test_ordinary_names_are_not_conflicts(name):
    assert conflict_original(name) is None


def test_walk_order_is_stable_and_sorted(vault):
    for rel in ["b.md", "People/Zoe.md", "a.md", "Daily/2026-11-21.md", "People/Ana.md", "People/Old/Cy.md",
                "Daily/2026-11-02.md", "B.md"]:
        touch(vault, rel)
    first = rels(vault)
    # each folder's notes sorted, then its sub-folders, sorted, depth first
    assert first == [
        "B.md", "a.md", "b.md",
        "Daily/2026-11-02.md", "Daily/2026-11-21.md",
        "People/Ana.md", "People/Zoe.md", "People/Old/Cy.md",
    ]
    assert rels(vault) == first


def test_walk_one_folder_gives_paths_from_the_root(vault):
    touch(vault, "Ana.md", "People/Bob.md", "People/Old/Cy.md", "People/.trash/x.md", "Daily/x.md")
    assert rels(vault, "People") == ["People/Bob.md", "People/Old/Cy.md"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_symlinked_folders_are_not_followed(vault, tmp_path):
    outside = tmp_path / "outside"
    touch(outside, "secret.md")
    touch(vault, "People/Ana.md")
    (vault / "Linked").symlink_to(outside, target_is_directory=True)
    (vault / "Loop").symlink_to(vault, target_is_directory=True)
    assert rels(vault) == ["People/Ana.md"]


def test_empty_vault_yields_nothing(vault):
    assert rels(vault) == []


# --- Skipper -----------------------------------------------------------------------------


@pytest.fixture
def skipper(vault):
    (vault / ".obsidian" / "templates.json").write_text(json.dumps({"folder": "Templates"}))
    write(vault, "vaultnet.toml", 'ignore = ["Archive/*", "*.excalidraw.md", "Private"]\n')
    return Skipper(load_config(vault))


@pytest.mark.parametrize(
    "rel",
    [
        ".obsidian/app.md",
        "People/.trash/Ana.md",
        "Templates/person.md",
        "Templates/sub/x.md",
        "Archive/old.md",
        "Archive/a/b.md",
        "Private/x.md",
        "Work/Private/x.md",
        "Sketch.excalidraw.md",
        "People/Ana.md~",
        "People/~syncthing~Ana.md.tmp",
        "People/.Ana.md.icloud",
        "People/Ana.png",
        ".Ana.md",
    ],
)
def test_skip_path_skips(skipper, rel):
    assert skipper.skip_path(rel)


@pytest.mark.parametrize(
    "rel",
    [
        "People/Ana.md",
        "Ana.md",
        "Templates.md",
        "Archive.md",
        "Work/Templates/x.md",  # only the configured templates folder, from the root
        "People/Ana (conflicted copy).md",  # conflict copies are read (and reported) by the caller
        "People/Ana.sync-conflict-20260101-123456-ABC.md",
        "vaultnet/Network.md",
    ],
)
def test_skip_path_keeps(skipper, rel):
    assert not skipper.skip_path(rel)


def test_skip_dir_and_skip_file(skipper):
    assert skipper.skip_dir(".git")
    assert skipper.skip_dir("Templates")
    assert skipper.skip_dir("Private")
    assert not skipper.skip_dir("People")
    assert skipper.skip_file("People/x.txt")
    assert not skipper.skip_file("People/x.md")
