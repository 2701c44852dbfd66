"""An import reports a changed company or role as news, and rewrites it only when asked."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from vaultnet.cli.main import main
from vaultnet.edits.quick import EditError, set_keys
from vaultnet.files.config import load_config
from vaultnet.output.memory import load

MEMORY = "vaultnet/Company and role changes.md"


def remembered(vault):
    return load(load_config(vault)).to_json()

from conftest import TODAY, write

LINKEDIN = Path(__file__).parent / "data" / "linkedin-connections.csv"
ANA = "People/Ana Souza.md"
NOTE = "---\ncircle: network\ncompany: Acme   # where she works\nrole: Designer\n---\n- 2026-10-01 #call hi\n"


def run(vault, *args):
    return CliRunner().invoke(main, ["--vault", str(vault), "--today", TODAY.isoformat(), *args])


def test_dry_run_reports_news_and_writes_nothing(vault):
    write(vault, ANA, NOTE)
    result = run(vault, "import", "linkedin", str(LINKEDIN), "--dry-run")
    assert result.exit_code == 0, result.output
    news = [line for line in result.stdout.splitlines() if line.startswith("news:")]
    assert news == [
        "news: People/Ana Souza.md: company is now 'Acme Ltda' (the note says 'Acme': kept; --update-changed rewrites it)",
        "news: People/Ana Souza.md: role is now 'Head of Platform Engineering' (the note says 'Designer': kept; "
        "--update-changed rewrites it)",
    ]
    assert (vault / ANA).read_text(encoding="utf-8") == NOTE and not (vault / MEMORY).exists()


def test_import_keeps_the_value_and_remembers_the_change(vault):
    write(vault, ANA, NOTE)
    assert run(vault, "import", "linkedin", str(LINKEDIN)).exit_code == 0
    text = (vault / ANA).read_text(encoding="utf-8")
    assert "company: Acme   # where she works\nrole: Designer\n" in text  # the user's values stay
    changes = remembered(vault)["changes"]
    assert [(c["field"], c["new"], c["source"], c["seen"]) for c in changes] == [
        ("company", "Acme Ltda", "import", "2026-11-21"), ("role", "Head of Platform Engineering", "import", "2026-11-21")]
    items = json.loads(run(vault, "plan", "--json").stdout)["items"]
    assert [i["text"] for i in items if i["section"] == "congratulate"] == [
        "Ana Souza is now Head of Platform Engineering at Acme Ltda: send a thoughtful note"]
    # the same news again is the same change
    assert run(vault, "import", "linkedin", str(LINKEDIN)).exit_code == 0
    assert len(remembered(vault)["changes"]) == 2


def test_update_changed_rewrites_the_values(vault):
    write(vault, ANA, NOTE)
    result = run(vault, "import", "linkedin", str(LINKEDIN), "--update-changed")
    assert result.exit_code == 0, result.output
    text = (vault / ANA).read_text(encoding="utf-8")
    assert text.startswith("---\ncircle: network\ncompany: Acme Ltda   # where she works\nrole: Head of Platform Engineering\n")
    assert "(the note says 'Designer': rewritten)" in result.stdout


def test_a_rewrite_touches_one_line_only():
    """--update-changed rewrites with ``edits.set_keys``: one line, its comment kept, nothing added."""
    data = b"---\r\nrole: Designer  # since 2024\r\ntags: [a]\r\n---\r\nbody\r\n"
    assert set_keys(data, {"role": "Head: Design"}, add=False) == (
        b"---\r\nrole: 'Head: Design'  # since 2024\r\ntags: [a]\r\n---\r\nbody\r\n", ["role"])
    folded = b"---\nrole: >\n  Designer\n---\n"
    with pytest.raises(EditError, match="several lines"):
        set_keys(folded, {"role": "Lead"}, add=False)  # not a one-line value: left to the user
    assert set_keys(b"no front matter\n", {"role": "Lead"}, add=False) == (b"no front matter\n", [])
    assert set_keys(b"---\nRole: Designer\n---\n", {"role": "Lead"}, add=False) == (b"---\nRole: Lead\n---\n", ["role"])


def test_capitalised_keys_are_the_note_s_keys(vault):
    """``Company:`` and ``Role:`` (as BryanHogan/Obsidian-CRM writes them) are found, reported and rewritten in place."""
    note = "---\nCompany: Acme\nRole: Designer\nLinkedIn: https://www.linkedin.com/in/ana-souza-4b21a7\n---\n"
    write(vault, ANA, note)
    dry = run(vault, "import", "linkedin", str(LINKEDIN), "--dry-run")
    assert "news: People/Ana Souza.md: company is now 'Acme Ltda' (the note says 'Acme'" in dry.stdout
    assert run(vault, "import", "linkedin", str(LINKEDIN)).exit_code == 0
    text = (vault / ANA).read_text(encoding="utf-8")
    assert text.lower().count("company:") == 1 and text.lower().count("role:") == 1  # never a second, lower-case key
    assert text.lower().count("linkedin:") == 1
    result = run(vault, "import", "linkedin", str(LINKEDIN), "--update-changed")
    assert result.exit_code == 0, result.output
    text = (vault / ANA).read_text(encoding="utf-8")
    assert text.startswith("---\nCompany: Acme Ltda\nRole: Head of Platform Engineering\nLinkedIn: ")


def test_update_changed_rewrites_an_alias_where_it_is_written(vault):
    write(vault, ANA, "---\norg: Acme\nposition: Designer\n---\n")
    assert run(vault, "import", "linkedin", str(LINKEDIN), "--update-changed").exit_code == 0
    text = (vault / ANA).read_text(encoding="utf-8")
    assert text.startswith("---\norg: Acme Ltda\nposition: Head of Platform Engineering\n")
    assert "company:" not in text and "role:" not in text


def test_a_value_that_cannot_be_rewritten_is_one_problem(vault):
    write(vault, ANA, "---\ncompany: Acme\nrole: >\n  Designer\n---\n")
    result = run(vault, "import", "linkedin", str(LINKEDIN), "--update-changed")
    assert result.exit_code == 0, result.output
    assert "role has a value over several lines; edit it by hand; not rewritten" in result.stderr
    assert (vault / ANA).read_text(encoding="utf-8").startswith("---\ncompany: Acme Ltda\nrole: >\n  Designer\n")


def test_a_value_kept_as_a_dataview_inline_field_is_the_note_s(vault):
    """``company:: Acme`` in the text is the company: never a front-matter copy that would win over it."""
    write(vault, ANA, "---\nemail: ana.souza@example.com\n---\nWorks at [company:: Acme] as a\nrole:: Designer\n")
    dry = run(vault, "import", "linkedin", str(LINKEDIN), "--dry-run")
    assert "news: People/Ana Souza.md: company is now 'Acme Ltda' (the note says 'Acme'" in dry.stdout
    assert run(vault, "import", "linkedin", str(LINKEDIN)).exit_code == 0
    text = (vault / ANA).read_text(encoding="utf-8")
    assert "company:" not in text.split("\n---\n")[0] and "role:" not in text.split("\n---\n")[0]
    assert run(vault, "import", "linkedin", str(LINKEDIN), "--update-changed").exit_code == 0
    assert (vault / ANA).read_text(encoding="utf-8").endswith(
        "Works at [company:: Acme Ltda] as a\nrole:: Head of Platform Engineering\n")
