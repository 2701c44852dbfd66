import io

from vaultnet.output.views import print_status, show_lines

from conftest import write


def test_terminal_gets_a_rich_table(vault, load):
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n- 2026-11-02 #call hi\n")
    out = io.StringIO()
    print_status(load().standings, out, terminal=True)
    text = out.getvalue()
    assert "\t" not in text
    header, row = text.splitlines()[:2]
    assert header.split()[:3] == ["name", "circle", "status"]
    assert row.split()[:3] == ["Ana", "inner", "overdue"]


def test_pipe_gets_tab_separated_rows(vault, load):
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n")
    out = io.StringIO()
    print_status(load().standings, out, terminal=False)
    assert out.getvalue().splitlines()[1].split("\t")[:3] == ["Ana", "inner", "never"]


def test_show_lists_connections_and_advice(vault, load):
    write(vault, "People/Ana.md", """
        ---
        circle: inner
        ---
        - 2026-11-01 #got a job lead from her, met [[Bob]]
        - 2026-11-02 #asked for a reference
    """)
    write(vault, "People/Bob.md", "---\n---\n")
    network = load()
    lines = show_lines(network.standings[0], network)
    assert "Before you reach out" in lines
    assert lines[lines.index("Shared connections:") + 1] == "  Bob"
    assert lines[-5:] == [
        "What you owe each other:",
        "  you owe them a thank you for a job lead from her, met Bob (2026-11-01)",
        "  you got 1 and asked 1 times, gave 0: give before you ask again",
        "",
        "last 12 months: ···········█  (Dec 2025 – Nov 2026, 2 interactions)",
    ]


def test_brief_lists_people_they_could_meet(vault, load):
    write(vault, "People/Ana.md", "---\nneeds: [a designer]\ngoals: [ship the app]\n---\n")
    write(vault, "People/Mei.md", "---\noffers: [designers]\n---\n")
    from vaultnet.advice.intros import suggest

    network = load()
    lines = show_lines(network.standings[0], network, suggest(network))
    assert "  goals: ship the app" in lines and "  needs: a designer" in lines
    assert lines[-4:-2] == ["People they could meet:", "  Mei: Ana needs a designer; Mei offers designers"]
    assert lines[-1] == "last 12 months: ············  (Dec 2025 – Nov 2026, 0 interactions)"
    assert lines[lines.index("What you owe each other:") + 1] == "  no exchanges in the last 365 days"
