import os
import stat

import pytest

from vaultnet.writes import (
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
    import vaultnet.writes as writes

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
    import vaultnet.writes as writes

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
