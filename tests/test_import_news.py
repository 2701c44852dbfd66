"""An import reports a changed company or role as news, and rewrites it only when asked."""

import json
from pathlib import Path

from click.testing import CliRunner

from vaultnet.cli import main
from vaultnet.properties import replace_values
from vaultnet.rolechanges import MEMORY

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
    changes = json.loads((vault / MEMORY).read_text())["changes"]
    assert [(c["field"], c["new"], c["source"], c["seen"]) for c in changes] == [
        ("company", "Acme Ltda", "import", "2026-11-21"), ("role", "Head of Platform Engineering", "import", "2026-11-21")]
    items = json.loads(run(vault, "plan", "--json").stdout)["items"]
    assert [i["text"] for i in items if i["section"] == "congratulate"] == [
        "Ana Souza is now Head of Platform Engineering at Acme Ltda: send a thoughtful note"]
    # the same news again is the same change
    assert run(vault, "import", "linkedin", str(LINKEDIN)).exit_code == 0
    assert len(json.loads((vault / MEMORY).read_text())["changes"]) == 2


def test_update_changed_rewrites_the_values(vault):
    write(vault, ANA, NOTE)
    result = run(vault, "import", "linkedin", str(LINKEDIN), "--update-changed")
    assert result.exit_code == 0, result.output
    text = (vault / ANA).read_text(encoding="utf-8")
    assert text.startswith("---\ncircle: network\ncompany: Acme Ltda\nrole: Head of Platform Engineering\n")
    assert "(the note says 'Designer': rewritten)" in result.stdout


def test_replace_values_touches_one_line_only():
    data = b"---\r\nrole: Designer\r\ntags: [a]\r\n---\r\nbody\r\n"
    assert replace_values(data, {"role": "Head: Design"}) == (
        b"---\r\nrole: 'Head: Design'\r\ntags: [a]\r\n---\r\nbody\r\n", ["role"])
    folded = b"---\nrole: >\n  Designer\n---\n"
    assert replace_values(folded, {"role": "Lead"}) == (folded, [])  # not a one-line value: left alone
    assert replace_values(b"---\nrole: [a, b]\n---\n", {"role": "Lead"})[1] == []
    assert replace_values(b"no front matter\n", {"role": "Lead"})[1] == []
