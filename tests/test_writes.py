import os
import stat

import pytest

from vaultnet.base.errors import VaultnetError
from vaultnet.files.writes import (
    UnsafePath,
    WriteConflict,
    decode_text,
    encode_like,
    safe_write,
)


def test_creates_a_new_file(tmp_path):
    assert safe_write(tmp_path, "out/Note.md", b"hello\n", None) is True
    assert (tmp_path / "out" / "Note.md").read_bytes() == b"hello\n"
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["Note.md"]  # no temporary left


def test_same_bytes_write_nothing(tmp_path):
    path = tmp_path / "Note.md"
    path.write_bytes(b"same\n")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    assert safe_write(tmp_path, "Note.md", b"same\n", b"same\n") is False
    assert path.stat().st_mtime_ns == 1_000_000_000


def test_keeps_mode(tmp_path):
    path = tmp_path / "Note.md"
    path.write_bytes(b"old\n")
    path.chmod(0o600)
    safe_write(tmp_path, "Note.md", b"new\n", b"old\n")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_bytes() == b"new\n"


def test_refuses_when_the_file_changed_since_read(tmp_path):
    path = tmp_path / "Note.md"
    path.write_bytes(b"edited by the user\n")
    with pytest.raises(WriteConflict):
        safe_write(tmp_path, "Note.md", b"ours\n", b"what we read\n")
    assert path.read_bytes() == b"edited by the user\n"


def test_refuses_an_edit_made_while_writing(tmp_path, monkeypatch):
    """The file changes after the first check but before the replace: the edit survives."""
    path = tmp_path / "Note.md"
    path.write_bytes(b"v1\n")
    import vaultnet.files.writes as writes

    real_fsync = os.fsync

    def fsync_then_edit(fd):
        real_fsync(fd)
        path.write_bytes(b"user edit\n")

    monkeypatch.setattr(writes.os, "fsync", fsync_then_edit)
    with pytest.raises(WriteConflict):
        safe_write(tmp_path, "Note.md", b"ours\n", b"v1\n")
    assert path.read_bytes() == b"user edit\n"
    assert [p.name for p in tmp_path.iterdir()] == ["Note.md"]


def test_refuses_a_symlink_out_of_the_vault(tmp_path):
    vault, outside = tmp_path / "vault", tmp_path / "outside"
    vault.mkdir()
    outside.mkdir()
    (outside / "Network.md").write_bytes(b"theirs\n")
    (vault / "vaultnet").symlink_to(outside, target_is_directory=True)
    with pytest.raises(UnsafePath, match="outside the vault"):
        safe_write(vault, "vaultnet/Network.md", b"ours\n", b"theirs\n")
    assert (outside / "Network.md").read_bytes() == b"theirs\n"


def test_follows_a_symlink_inside_the_vault(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    safe_write(tmp_path, "link/Note.md", b"x\n", None)
    assert (tmp_path / "real" / "Note.md").read_bytes() == b"x\n"
    assert (tmp_path / "link").is_symlink()


def test_refuses_dot_dot(tmp_path):
    (tmp_path / "vault").mkdir()
    with pytest.raises(UnsafePath):
        safe_write(tmp_path / "vault", "../escape.md", b"x", None)
    assert not (tmp_path / "escape.md").exists()


@pytest.mark.parametrize(
    "original, expected",
    [
        (None, b"a\nb\n"),
        (b"x\n", b"a\nb\n"),
        (b"x\r\ny\r\n", b"a\r\nb\r\n"),
        (b"\xef\xbb\xbfx\n", b"\xef\xbb\xbfa\nb\n"),
        (b"\xef\xbb\xbfx\r\n", b"\xef\xbb\xbfa\r\nb\r\n"),
    ],
)
def test_encode_like_keeps_line_endings_and_bom(original, expected):
    assert encode_like("a\nb\n", original) == expected
    assert decode_text(expected) == "a\nb\n"


def test_a_save_landing_after_the_last_check_is_given_back(tmp_path, monkeypatch):
    """An in-place save between the last check and the rename goes into the replaced file: it wins."""
    import vaultnet.files.writes as writes

    path = tmp_path / "Note.md"
    path.write_bytes(b"v1\n")
    path.chmod(0o640)
    real = writes.read_bytes
    calls = []

    def read_then_user_appends(name):
        data = real(name)
        calls.append(1)
        if len(calls) == 2:  # safe_write's last check has just passed
            with open(path, "ab") as handle:
                handle.write(b"user line\n")
        return data

    monkeypatch.setattr(writes, "read_bytes", read_then_user_appends)
    with pytest.raises(WriteConflict):
        safe_write(tmp_path, "Note.md", b"ours\n", b"v1\n")
    assert path.read_bytes() == b"v1\nuser line\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["Note.md"]


# ---------------------------------------------------------------- edit_note, the primitive


def test_edit_note_applies_a_pure_transform_and_keeps_line_endings(tmp_path):
    from vaultnet.files.writes import edit_text

    path = tmp_path / "Note.md"
    path.write_bytes(b"\xef\xbb\xbfone\r\ntwo\r\n")
    edited = edit_text(tmp_path, "Note.md", lambda text: text + "three\n")
    assert edited.changed and path.read_bytes() == b"\xef\xbb\xbfone\r\ntwo\r\nthree\r\n"
    assert edit_text(tmp_path, "Note.md", lambda text: None).changed is False


def test_edit_note_reads_again_when_someone_saved_meanwhile(tmp_path):
    from vaultnet.files.writes import edit_note

    path = tmp_path / "Note.md"
    path.write_bytes(b"v1\n")
    seen = []

    def transform(data):
        seen.append(data)
        if len(seen) == 1:
            path.write_bytes(b"v2 from the editor\n")  # saved while vaultnet worked
        return data + b"ours\n"

    assert edit_note(tmp_path, "Note.md", transform).changed
    assert seen == [b"v1\n", b"v2 from the editor\n"]
    assert path.read_bytes() == b"v2 from the editor\nours\n"


def test_a_note_open_for_writing_is_not_settled(tmp_path):
    from vaultnet.files.writes import being_written

    path = tmp_path / "Note.md"
    path.write_bytes(b"x\n")
    with open(path, "ab"):
        writing = being_written(path)
    assert not being_written(path)
    if not writing:
        pytest.skip("no file leases here")


@pytest.mark.parametrize("exchange", [True, False])
def test_a_late_save_is_given_back_with_and_without_renameat2(tmp_path, monkeypatch, exchange):
    import vaultnet.files.writes as writes

    if not exchange:
        monkeypatch.setattr(writes, "_exchange", None)
    elif writes._exchange is None:
        pytest.skip("no renameat2 here")
    path = tmp_path / "Note.md"
    path.write_bytes(b"v1\n")
    os.utime(path, (1, 1))
    real = writes._unchanged

    def late(displaced, expected, baseline):
        with open(displaced, "ab") as handle:
            handle.write(b"late save\n")
        return real(displaced, expected, baseline)

    monkeypatch.setattr(writes, "_unchanged", late)
    with pytest.raises(WriteConflict):
        safe_write(tmp_path, "Note.md", b"ours\n", b"v1\n")
    assert path.read_bytes() == b"v1\nlate save\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Note.md"]


def test_a_read_only_note_is_refused(tmp_path):
    path = tmp_path / "Note.md"
    path.write_bytes(b"v1\n")
    path.chmod(0o444)
    with pytest.raises(VaultnetError, match="read-only"):
        safe_write(tmp_path, "Note.md", b"ours\n", b"v1\n")
    assert path.read_bytes() == b"v1\n"


def test_the_vault_itself_is_never_created(tmp_path):
    with pytest.raises(VaultnetError, match="gone"):
        safe_write(tmp_path / "gone", "vaultnet/Network.md", b"x\n", None)
    assert not (tmp_path / "gone").exists()


def test_only_stale_files_of_the_exact_pattern_are_removed(tmp_path):
    import time

    from vaultnet.files.writes import remove_leftovers

    old = tmp_path / ".Note.md.ab12cd34.vaultnet-tmp"
    new = tmp_path / ".Other.md.ab12cd35.vaultnet-tmp"
    near = tmp_path / ".Note.md.vaultnet-tmp"
    for path in (old, new, near):
        path.write_bytes(b"x")
    os.utime(old, (time.time() - 3600,) * 2)
    os.utime(near, (time.time() - 3600,) * 2)
    assert remove_leftovers(tmp_path, [old.name, new.name, near.name]) == [old.name]
    assert not old.exists() and new.exists() and near.exists()


def test_special_files_are_never_read(tmp_path):
    from vaultnet.files.writes import NotAFile, read_bytes

    os.mkfifo(tmp_path / "x.md")
    with pytest.raises(NotAFile, match="FIFO"):
        read_bytes(tmp_path / "x.md")
    os.symlink("/dev/zero", tmp_path / "zero.md")
    with pytest.raises(NotAFile, match="device"):
        read_bytes(tmp_path / "zero.md")


def test_a_note_longer_than_fstat_said_is_read_whole(tmp_path, monkeypatch):
    """read_regular asks for the size fstat gives; a note that grew since (or a file system
    that reports less) is still read to its end, in further reads."""
    import vaultnet.files.reads as reads

    path = tmp_path / "note.md"
    data = b"- 2026-11-20 a line\n" * 400  # 8,000 bytes: several further reads of 4,096 and more
    path.write_bytes(data)
    real = os.fstat

    def smaller(fd):
        info = real(fd)
        return os.stat_result((info.st_mode, info.st_ino, info.st_dev, info.st_nlink, info.st_uid,
                               info.st_gid, 3, info.st_atime, info.st_mtime, info.st_ctime))

    monkeypatch.setattr(reads.os, "fstat", smaller)
    found = reads.read_regular(path)
    assert found is not None and found[0] == data
    assert reads.read_regular(path, limit=10)[0] == data[:11]  # still bounded: limit + 1 bytes


def test_a_write_into_a_vault_deleted_after_its_check_never_creates_the_vault_again(tmp_path):
    """The vault is checked, then removed (a user's rm, a sync), then written to: the write fails, no folder appears."""
    from pathlib import PosixPath

    from vaultnet.files.pathsafety import make_parents

    class Checked(PosixPath):
        def is_dir(self) -> bool:  # the check ran while the vault was still there
            return True

    vault = tmp_path / "vault"
    with pytest.raises(VaultnetError, match="is gone"):
        make_parents(Checked(vault), vault / "vaultnet" / "deep" / "Index.md", "vaultnet/deep/Index.md")
    assert not vault.exists()


def test_the_folders_a_write_needs_are_made_and_a_file_in_their_way_is_named(tmp_path):
    from vaultnet.files.pathsafety import make_parents

    assert make_parents(tmp_path, tmp_path / "a" / "b" / "n.md", "a/b/n.md") == [tmp_path / "a" / "b", tmp_path / "a"]
    assert (tmp_path / "a" / "b").is_dir()
    (tmp_path / "f").write_text("x", encoding="utf-8")
    with pytest.raises(VaultnetError, match="a folder on its path is a file"):
        make_parents(tmp_path, tmp_path / "f" / "g" / "n.md", "f/g/n.md")
