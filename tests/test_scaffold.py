from vaultnet.edits.scaffold import init_vault


def test_init_reports_created_then_kept(tmp_path):
    first = init_vault(tmp_path)
    assert first == [("vaultnet.toml", True), (".vaultnet/.gitignore", True), ("People/", True)]
    assert init_vault(tmp_path) == [("vaultnet.toml", False), (".vaultnet/.gitignore", False), ("People/", False)]


def test_init_keeps_existing_files_byte_for_byte(tmp_path):
    (tmp_path / ".vaultnet").mkdir()
    (tmp_path / ".vaultnet" / ".gitignore").write_bytes(b"mine\r\n")
    init_vault(tmp_path)
    assert (tmp_path / ".vaultnet" / ".gitignore").read_bytes() == b"mine\r\n"
