import tomllib

from vaultnet.output.templates import default_templates, read_default


def test_default_templates_are_found():
    # Installed from a wheel they live inside the package; in a checkout beside it.
    assert (default_templates() / "vaultnet.toml").is_file()


def test_config_template_is_valid_toml_with_every_key_commented():
    text = read_default("vaultnet.toml")
    assert tomllib.loads(text) == {}
    for key in ("people", "person_tags", "daily_format", "log_target", "[circles]", "[plan]", "[tie]", "[fields]"):
        assert f"# {key}" in text
