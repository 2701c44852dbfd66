import datetime as dt

import pytest
from markdown_it import MarkdownIt

from vaultnet.files.config import load_config
from vaultnet.output.render import RenderError, cell, index_context, inline, neutralise, render
from vaultnet.output.templates import read_default
from vaultnet.pipeline.session import Session

from conftest import TODAY, write

MARKDOWN = MarkdownIt("commonmark").enable("table")


def visible(text: str) -> tuple[list[str], set[str]]:
    """The text a reader sees, one entry per paragraph, list item or table cell; and the markup found."""
    seen, markup = [], set()
    for token in MARKDOWN.parse(text):
        if token.type != "inline":
            continue
        parts = []
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type == "softbreak":
                parts.append(" ")
            else:
                markup.add(child.type)
        seen.append("".join(parts))
    return seen, markup


NASTY = ["*media*", "<b>bold</b>", "_under_", "`code`", "[[Bob]]", "#tag", "key:: value", "[!note] hi",
         "==mark==", "~~gone~~", "$x$", "a & b &amp; c", "%% not a comment %%", "back\\slash", "^vn-x", "![[embed]]"]


@pytest.mark.parametrize("text", NASTY)
def test_neutralised_text_shows_as_the_same_text(text):
    seen, markup = visible(f"- [ ] [[Ana]] — {neutralise(text)} ^vn-check-in-12345678\n\n| a |\n| --- |\n| {cell(text)} |\n")
    assert seen[0] == f"[ ] [[Ana]] — {text} ^vn-check-in-12345678"
    assert seen[-1] == text
    assert markup == set()
    assert "::" not in neutralise(text) and "%%" not in neutralise(text)


def test_generated_notes_show_note_text_as_written(vault):
    write(vault, "People/Ana.md", '''
        ---
        circle: inner
        industry: "*media*"
        ---
        - 2026-10-01 #call asked about *the launch* <b>bold</b> and key:: value [mood:: happy]
        ''')
    write(vault, "People/Bob.md", "---\ncircle: close\ngoals: ['[!note] <i>sail</i> _far_']\n---\n")
    builder = Session(load_config(vault), remember=False).builder(TODAY, write=False)
    network, plan, rel = builder.prepare_plan()
    text, _ = builder.plan_note(plan, rel)
    seen, markup = visible(text)
    assert markup == set(), markup
    assert any("last time (2026-10-01): asked about *the launch* <b>bold</b> and key:: value" in s for s in seen), seen
    assert any("ask about: [!note] <i>sail</i> _far_" in s for s in seen), seen
    assert "::" not in text.split("%% vaultnet:begin %%")[1]
    index, _ = builder.index_note(network)
    seen, markup = visible(index)
    assert "*media*" in seen and markup == set(), markup


def test_cell_escapes_pipes_and_newlines():
    assert cell("a | b") == "a \\| b"
    assert cell("already \\| escaped") == "already \\\\\\| escaped"  # shows the backslash the note has
    assert cell("two\nlines\r\nhere") == "two<br>lines<br>here"
    assert cell(None) == ""


def test_inline_collapses_whitespace():
    assert inline("  a \n b\t c ") == "a b c"


def test_index_tables_escape_text_from_notes(vault, load):
    write(vault, "vaultnet.toml", '[circles]\n"in|ner" = "2 weeks"\n')
    write(vault, "People/Ana.md", '---\ncircle: "in|ner"\n---\n')
    text = render(load_config(vault), "index.md", index_context(load()))
    assert "| [[Ana]] | in\\|ner |" in text


def test_index_lists_problems_and_counts(vault, load):
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n- 2026-11-01 #call x\n")
    write(vault, "People/Bad.md", "---\ncadence: 2m\n---\n")
    text = render(load_config(vault), "index.md", index_context(load()))
    assert "| overdue | 1 |" in text and "| untracked | 1 |" in text
    assert '"overdue" : 1' in text
    assert "## Overdue" in text and "## Untracked" in text and "## Due" not in text
    assert text.index("## Overdue") < text.index("## Untracked")
    assert "- People/Bad.md:2: cadence: ambiguous cadence '2m'" in text


def test_vault_template_overrides_the_default(vault, load):
    write(vault, ".vaultnet/templates/index.md", "%% vaultnet:begin %%\n{{ total }} people\n%% vaultnet:end %%\n")
    write(vault, "People/Ana.md", "---\n---\n")
    assert render(load_config(vault), "index.md", index_context(load())) == "%% vaultnet:begin %%\n1 people\n%% vaultnet:end %%\n"


@pytest.mark.parametrize(
    "source, message",
    [
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "not allowed"),
        ("{{ cycler.__init__.__globals__.os.system('touch pwned') }}", "template .vaultnet/templates/index.md"),
        ("{{ problems.append(1) }}", "not allowed"),
        ("{{ total.__add__ }}", "template .vaultnet/templates/index.md"),
    ],
)
def test_malicious_vault_template_is_refused(vault, load, source, message):
    write(vault, ".vaultnet/templates/index.md", source)
    with pytest.raises(RenderError, match=message):
        render(load_config(vault), "index.md", index_context(load()))
    assert not (vault / "pwned").exists()


def test_template_syntax_error_names_template_and_line(vault, load):
    write(vault, ".vaultnet/templates/index.md", "ok\n{% if %}\n")
    with pytest.raises(RenderError, match=r"template \.vaultnet/templates/index\.md, line 2: "):
        render(load_config(vault), "index.md", index_context(load()))


def test_undefined_variable_is_an_error(vault, load):
    write(vault, ".vaultnet/templates/index.md", "{{ nothing_here }}")
    with pytest.raises(RenderError, match="'nothing_here' is undefined"):
        render(load_config(vault), "index.md", index_context(load()))


def test_runtime_error_in_template(vault, load):
    write(vault, ".vaultnet/templates/index.md", "{{ 1 // 0 }}")
    with pytest.raises(RenderError, match="ZeroDivisionError"):
        render(load_config(vault), "index.md", index_context(load()))


OLD_ROW = ("| {{ row.name | link | cell }} | {{ row.circle | cell }} | {{ row.last_contact }} | {{ row.due }}"
           "{% if row.days_overdue %} ({{ row.days_overdue }} days ago){% endif %} | {{ row.band }} | {{ row.reciprocity }} |")


OLD_DRIFTING = ("| {{ row.name | link | cell }} | {{ row.status }} | {{ row.usual_gap_days }} days | "
                "{{ row.quiet_days }} days |")


@pytest.mark.parametrize("row, drifting", [(OLD_ROW, OLD_DRIFTING), ("{{ row.line }}", "{{ row.line }}")],
                         ids=["cells", "lines"])
def test_index_tables_written_in_python_equal_the_rows_a_template_writes(vault, load, row, drifting):
    """A vault template that loops over the rows, writing each cell or each row's line, gets the same index
    as the default's tables joined in Python."""
    write(vault, "People/Ana | *the* [[one]].md", "---\ncircle: inner\n---\n- 2026-01-01 #call #got hello\n")
    write(vault, "People/Bob.md", "---\ncircle: close\n---\n- 2026-11-20 #call [[Ana | *the* [[one]]]]\n")
    write(vault, "People/Cy.md", "---\ncadence: 1w\n---\n")
    write(vault, "People/Di.md", "---\npaused: true\n---\n")
    weekly = "".join(f"- 2026-08-{day:02d} #call weekly\n" for day in (1, 8, 15, 22, 29))
    write(vault, "People/Ed | *x*.md", "---\ncircle: close\n---\n" + weekly)  # quiet since: drifting
    write(vault, "People/Flo.md", "---\n---\n" + weekly)
    config = load_config(vault)
    default = render(config, "index.md", index_context(load()))
    source = read_default("index.md")
    assert "{{ table_lines[status] }}" in source and "{{ drifting_lines }}" in source
    looped = source.replace("{{ table_lines[status] }}", "{% for row in rows %}\n" + row + "\n{% endfor %}")
    looped = looped.replace("{{ drifting_lines }}", "{% for row in drifting %}\n" + drifting + "\n{% endfor %}")
    write(vault, ".vaultnet/templates/index.md", looped)
    assert render(load_config(vault), "index.md", index_context(load())) == default
    assert "## Overdue" in default and "## Paused" in default and "days ago)" in default
    drifting_table = default.split("## Drifting", 1)[1].split("\n\n", 2)[2].split("\n\n", 1)[0]
    assert drifting_table.count("\n") == 3 and "[[Ed \\| *x*]] | overdue | 7 days | 84 days |" in drifting_table and "| untracked |" in drifting_table


OLD_ITEMS = """{% for item in section["items"] %}
{% if item.day and (loop.first or loop.previtem.day != item.day) %}
{% if not loop.first %}

{% endif %}
**{{ item.day }}**

{% endif %}
{% if item.task %}
- [ ] {{ item.people | map("link") | join(" and ") }} — {{ item.text | inline }}{% for tag in item.tags %} #{{ tag }}{% endfor %} ^{{ item.key }}
{% else %}
- {{ item.people | map("link") | join(" and ") }} — {{ item.text | inline }}
{% endif %}
{% else %}
{{ section.empty }}
{% endfor %}"""


def test_plan_sections_written_in_python_equal_the_items_a_template_writes(vault, load):
    """A vault template that loops over each section's items gets the same plan as the default's sections
    written in Python: day headings, tasks with tags and keys, lines naming two people, empty sections."""
    from vaultnet.advice.plan import build_plan
    from vaultnet.output.render import plan_context

    write(vault, "vaultnet.toml", "[plan]\ndaily_minutes = 30\n")  # check-ins spread over the days left
    for name in ("Dee", "Eve", "Fay"):
        write(vault, f"People/{name}.md", "---\ncircle: close\n---\n- 2026-09-01 #call hi | *there*\n")
    write(vault, "People/Ana.md", "---\ncircle: inner\nbirthday: 1980-11-28\n---\n"
                                  "- [ ] send Ana the *paper* #work 📅 2026-11-20\n")
    write(vault, "Notes/Trip.md", "- [ ] ask [[Ana]] and [[Dee]] about the trip 📅 2026-11-19\n")
    default = render(load_config(vault), "plan.md", plan_context(build_plan(load(TODAY - dt.timedelta(days=1)),
                                                                              TODAY - dt.timedelta(days=1))))
    source = read_default("plan.md")
    assert "{{ section.text }}" in source
    write(vault, ".vaultnet/templates/plan.md", source.replace("{{ section.text }}", OLD_ITEMS))
    again = build_plan(load(TODAY - dt.timedelta(days=1)), TODAY - dt.timedelta(days=1))
    assert render(load_config(vault), "plan.md", plan_context(again)) == default
    assert "- [ ] [[Dee]] — was due" in default and "\n\n**Sat 2026-11-21**\n\n- [ ] [[" in default
    assert "- [ ] [[Ana]] and [[Dee]] — ask Ana and Dee about the trip" in default
    assert "- [[Ana]] — birthday Sat 2026-11-28" in default and "Nobody is waiting for your answer." in default


def test_an_index_row_is_worked_out_once_per_standing(vault, load):
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n")
    network = load()
    first = index_context(network)["tables"]
    again = index_context(network)["tables"]
    assert first[0][1][0] is again[0][1][0]
    assert index_context(load())["tables"][0][1][0] is not first[0][1][0]  # a new standing, a new row


def test_a_rebuild_renders_again_only_the_rows_of_standings_an_edit_changed(vault):
    """With a memo (as the watcher keeps), an unchanged contact keeps its standing, so its row is not redone."""
    from vaultnet.pipeline.session import Session

    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n- 2026-11-01 #call hi\n")
    write(vault, "People/Bob.md", "---\ncircle: close\n---\n")
    session = Session(load_config(vault))
    session.refresh()
    rows = lambda network: {row["name"]: row for _, found in index_context(network)["tables"] for row in found}  # noqa: E731
    before = rows(session.network(TODAY))
    write(vault, "People/Bob.md", "---\ncircle: close\n---\n- 2026-11-20 #call [[Bob]] again\n")
    session.refresh(["People/Bob.md"])
    after = rows(session.network(TODAY))
    assert after["Ana"] is before["Ana"]
    assert after["Bob"] is not before["Bob"] and after["Bob"]["last_contact"] == "2026-11-20"


def test_the_active_network_counts_contacts_in_touch_through_the_ninetieth_day(vault, load):
    write(vault, "People/Day90.md", "---\nindustry: Law\n---\n- 2026-08-23 #call\n")
    write(vault, "People/Day91.md", "---\nindustry: Art\n---\n- 2026-08-22 #call\n")
    context = index_context(load())
    assert context["active"] == 1 and context["active_by_industry"] == [("law", 1)]
