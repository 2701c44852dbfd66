"""Reading note bodies the way Obsidian shows them (vaultnet.notes.markdown.scan)."""

from __future__ import annotations

import textwrap
import time

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from vaultnet.notes.markdown import Line, Link, scan


def lines_of(text: str) -> list[Line]:
    return list(scan(textwrap.dedent(text).strip("\n").split("\n")))


def one(text: str) -> Line:
    (line,) = lines_of(text)
    return line


def linked(text: str) -> list[str]:
    """Every link target in the countable lines of ``text``."""
    return [link.target for line in lines_of(text) for link in line.links]


# --- exclusions (spec 4.2): none of these give a link ----------------------------


def test_an_unchecked_task_is_yielded_as_open_for_the_caller_to_decide():
    line = one("- [ ] call [[Sam]]")
    assert line.task == " "
    assert line.open and not line.done
    assert line.links == (Link("Sam", None),)
    assert line.text == "call [[Sam]]"


@pytest.mark.parametrize(
    "text",
    [
        "> met [[Sam]]",
        ">met [[Sam]]",
        "  > met [[Sam]]",
        ">> nested [[Sam]]",
        "> [!note] a callout\n\n> a quote after a blank line, with [[Sam]]",
    ],
)
def test_block_quotes_give_no_link(text):
    assert linked(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "> [!note] coffee with [[Sam]]",
        "> [!tip]- folded\n> with [[Sam]]",
        "> [!info]+ Meeting\n>\n> - talked to [[Sam]]",
        "  > [!quote]\n  > > nested in the callout [[Sam]]",
    ],
)
def test_callouts_hold_the_users_words(text):
    assert linked(text) == ["Sam"]


def test_a_callout_marker_is_not_note_text():
    line = one("> [!note] coffee with [[Sam]]")
    assert line.text == "coffee with [[Sam]]"
    *_, task = lines_of("> [!todo] Next\n> - [ ] send [[Sam]] the deck 📅 2026-11-25")
    assert task.open and task.due_date == "2026-11-25" and task.display() == "send Sam the deck"


@pytest.mark.parametrize(
    "text",
    [
        "```\n- 2026-11-02 [[Sam]]\n```",
        "```markdown\n- 2026-11-02 [[Sam]]\n```",
        "~~~\n[[Sam]]\n~~~",
        "~~~python\n[[Sam]]\n~~~",
        "````\n```\n[[Sam]]\n```\n````",  # a longer fence holds a shorter one
        "~~~\n```\n[[Sam]]\n~~~",  # ``` does not close ~~~
        "- item\n  ```\n  [[Sam]]\n  ```",  # inside list indentation
        "1. item\n   ~~~js\n   call [[Sam]]\n   ~~~",
        "```dataview\nLIST FROM [[Sam]]\n```",
    ],
)
def test_fenced_code_gives_no_link(text):
    assert linked(text) == []


def test_fenced_code_ends_at_its_closing_fence():
    text = """
        ```js
        [[Sam]]
        ```
        - 2026-11-02 coffee with [[Ana]]
        """
    (line,) = lines_of(text)
    assert line.links == (Link("Ana", None),)
    assert line.number == 4


def test_a_fence_line_with_text_after_the_closing_fence_chars_does_not_close_it():
    text = "```\n```js\n[[Sam]]\n```\n[[Ana]]"
    assert linked(text) == ["Ana"]


def test_inline_triple_backticks_are_code_not_a_fence():
    # ```x``` is inline code (a backtick fence's info string cannot hold a backtick);
    # it used to open a fence that swallowed every following line.
    text = "Run ```make``` first\n- 2026-11-02 met [[Ana]]\n```x [[Sam]]```\n- [[Bob]]"
    assert linked(text) == ["Ana", "Bob"]


@pytest.mark.parametrize(
    "text",
    ["see `[[Sam]]`", "``code with ` and [[Sam]]``", "- 2026-11-02 `[[Sam]]` note", "`#call` `[[Sam|S]]`"],
)
def test_inline_code_gives_no_link_and_no_tag(text):
    assert linked(text) == []
    assert all(line.tags == () for line in lines_of(text))


def test_inline_code_is_removed_but_the_rest_of_the_line_counts():
    line = one("- 2026-11-02 `x` met [[Ana]] #call")
    assert line.links == (Link("Ana", None),)
    assert line.tags == ("call",)


@pytest.mark.parametrize("text", ["![[Sam]]", "- 2026-11-02 ![[Sam]]", "![[Sam#Bio]]", "![[Sam|200]]", "![[photo.png]]"])
def test_embeds_give_no_link(text):
    assert linked(text) == []


def test_an_embed_next_to_a_link_keeps_the_link():
    assert linked("![[Sam]] and [[Ana]]") == ["Ana"]


@pytest.mark.parametrize(
    "text",
    [
        "%% [[Sam]] %%",
        "met %% [[Sam]] %% today",
        "%%\n- 2026-11-02 [[Sam]]\n- [x] [[Sam]]\n%%",
        "before %%\n[[Sam]]\n%% after",
        "%%[[Sam]]%%%%[[Sam]]%%",
    ],
)
def test_percent_comments_give_no_link(text):
    assert linked(text) == []


def test_text_after_a_multi_line_percent_comment_counts():
    text = "%%\n[[Sam]]\nstill hidden %% shown [[Ana]]\n[[Bob]]"
    lines = lines_of(text)
    assert [(line.number, [link.target for link in line.links]) for line in lines] == [(3, ["Ana"]), (4, ["Bob"])]


@pytest.mark.parametrize(
    "text",
    [
        "<!-- [[Sam]] -->",
        "met <!-- [[Sam]] --> today",
        "<!--\n- 2026-11-02 [[Sam]]\n-->",
        "a <!-- b\n[[Sam]]\nc --> d",
    ],
)
def test_html_comments_give_no_link(text):
    assert linked(text) == []


def test_text_after_an_html_comment_counts():
    assert linked("<!-- x --> [[Ana]]\n<!--\n[[Sam]]\n--> [[Bob]]") == ["Ana", "Bob"]


def test_comment_markers_inside_inline_code_open_no_comment():
    # `%%` in backticks is code; it used to open a comment hiding the rest of the note.
    text = "Write `%%` to hide text, [[Ana]]\n- 2026-11-02 [[Bob]]\nand `<!--` too [[Cy]]\n[[Dee]]"
    assert linked(text) == ["Ana", "Bob", "Cy", "Dee"]


def test_a_fence_inside_a_comment_does_not_open_code():
    assert linked("%%\n```\n%%\n[[Ana]]") == ["Ana"]


def test_comment_markers_inside_fenced_code_are_code():
    assert linked("```\n%%\n```\n[[Ana]]\n```\n<!--\n```\n[[Bob]]") == ["Ana", "Bob"]


@pytest.mark.parametrize("text", ["# [[Sam]]", "## Call with [[Sam]]", "###### [[Sam]]", "  ### [[Sam]]"])
def test_headings_give_no_link(text):
    assert linked(text) == []


def test_a_hash_without_space_is_a_tag_line_not_a_heading():
    line = one("#call with [[Sam]]")
    assert line.links == (Link("Sam", None),)
    assert line.tags == ("call",)


@pytest.mark.parametrize(
    "text",
    [
        "| Name | Met |\n| --- | --- |\n| [[Sam]] | 2026-11-02 |",
        "|[[Sam]]|x|",
        "Name | Met\n--- | ---\n[[Sam]] | 2026-11-02",  # no leading pipes
        "Name | Met\n:--|--:\n[[Sam]] | x\n[[Bo]] | y",
    ],
)
def test_tables_give_no_link(text):
    assert linked(text) == []


def test_a_table_ends_at_a_blank_line():
    assert linked("Name | Met\n--- | ---\n[[Sam]] | x\n\n[[Ana]] | and a pipe") == ["Ana"]


def test_a_list_item_right_after_a_table_is_not_a_row():
    assert linked("| a | b |\n|---|---|\n| [[Sam]] | x |\n- 2026-11-02 [[Ana]] | coffee") == ["Ana"]


def test_a_pipe_in_a_plain_line_is_not_a_table():
    assert linked("coffee with [[Ana]] | then [[Bob]]") == ["Ana", "Bob"]
    assert linked("[[Ana|Annie]] said hi") == ["Ana"]


# --- links ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "link"),
    [
        ("[[Ana Souza]]", Link("Ana Souza", None)),
        ("[[Ana Souza|Ana]]", Link("Ana Souza", "Ana")),
        ("[[Ana Souza#Work]]", Link("Ana Souza", None)),
        ("[[Ana Souza#Work|at work]]", Link("Ana Souza", "at work")),
        ("[[Ana Souza^block-1]]", Link("Ana Souza", None)),
        ("[[People/Ana Souza]]", Link("People/Ana Souza", None)),
        ("[[ Ana ]]", Link("Ana", None)),
        ("[[Zoë]]", Link("Zoë", None)),
    ],
)
def test_link_forms(text, link):
    assert one(f"- 2026-11-02 met {text} today").links == (link,)


def test_several_links_in_order():
    line = one("- [[Ana]] introduced [[Bob Lee|Bob]] to [[Work/Cy]]")
    assert [link.target for link in line.links] == ["Ana", "Bob Lee", "Work/Cy"]


def test_urls_are_not_links_and_markdown_links_to_notes_are():
    assert linked("[Ana](https://example.com/Ana) and [[Bob]]") == ["Bob"]
    assert linked("[Ana](People/Ana.md)") == ["People/Ana"]


# --- tags -------------------------------------------------------------------------


def test_tags_are_lowercased_without_hash():
    assert one("- 2026-11-02 #Coffee #GAVE intro").tags == ("coffee", "gave")


def test_nested_tags_keep_their_path():
    assert one("#person/work note").tags == ("person/work",)


def test_tags_inside_links_are_not_tags():
    line = one("met [[Ana#call]] and [[Bob|#gave]]")
    assert line.tags == ()


@pytest.mark.parametrize(
    "text",
    ["https://example.com/#call", "see http://x.org/page#got?q=1 now", "mailto://a@b.c#asked"],
)
def test_tags_inside_urls_are_not_tags(text):
    assert one(text).tags == ()


def test_a_tag_after_a_url_still_counts():
    assert one("see https://example.com #call").tags == ("call",)


@pytest.mark.parametrize("text", ["issue #123", "#2026 plans", "word#call", "C#"])
def test_numbers_and_mid_word_hashes_are_not_tags(text):
    assert one(text).tags == ()


def test_tag_characters():
    assert one("#follow-up #a_b #émigré #2026q1").tags == ("follow-up", "a_b", "émigré", "2026q1")


# --- tasks ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "task", "done", "is_open"),
    [
        ("- [x] called [[Ana]]", "x", True, False),
        ("- [X] called [[Ana]]", "X", True, False),
        ("- [ ] call [[Ana]]", " ", False, True),
        ("- [-] cancelled [[Ana]]", "-", False, False),
        ("- [/] calling [[Ana]]", "/", False, True),
        ("* [x] called [[Ana]]", "x", True, False),
        ("1. [x] called [[Ana]]", "x", True, False),
        ("  - [ ] nested [[Ana]]", " ", False, True),
        ("- called [[Ana]]", None, False, False),
        ("[x] not a list item [[Ana]]", None, False, False),
    ],
)
def test_task_states(text, task, done, is_open):
    line = one(text)
    assert line.task == task
    assert line.done is done
    assert line.open is is_open
    assert line.links == (Link("Ana", None),)


def test_list_marker_and_task_box_are_removed_from_text():
    assert one("- [x] called [[Ana]]").text == "called [[Ana]]"
    assert one("- plain item").text == "plain item"
    assert one("- plain item").is_list
    assert not one("a paragraph").is_list


def test_empty_list_items_and_blank_lines_are_not_yielded():
    assert lines_of("- \n- [ ]\n* [x] \n\n   \n1. ") == []


# --- dates in lines -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("- 2026-11-02 coffee", "2026-11-02"),
        ("- [[2026-11-02]] coffee", "2026-11-02"),
        ("- [[2026-11-02|Mon]] coffee", "2026-11-02"),
        ("- [[Journal/2026-11-02|2026-11-02]] — coffee", "2026-11-02"),  # Personal CRM's links to the day's note
        ("- [[Day-20261102|2026-11-02]] — coffee", "2026-11-02"),
        ("- [[Journal/2026-11-02]] coffee", "2026-11-02"),
        ("- [[Ana|Ana Souza]] 2026-11-02", None),
        ("- [[Day-20261102]] coffee", None),
        ("- 2026-11-02: call", "2026-11-02"),
        ("- [x] 2026-11-02 — called", "2026-11-02"),
        ("- coffee on 2026-11-02", None),
        ("- 2026-11-021 typo", None),
        ("- 20261102 coffee", None),
    ],
)
def test_leading_date(text, date):
    assert one(text).leading_date == date
    if date:
        assert "2026-11-02" not in one(text).display()


def test_done_date():
    assert one("- [x] called [[Ana]] ✅ 2026-11-20").done_date == "2026-11-20"
    assert one("- [x] called [[Ana]] ✅2026-11-20 ^vn-abc").done_date == "2026-11-20"
    assert one("- [x] called [[Ana]]").done_date is None


def test_task_dates_written_with_the_emoji_variation_selector():
    # Some keyboards write ✅ and 📅 followed by U+FE0F; those dates used to be missed.
    assert one("- [x] sent deck \u2705\ufe0f 2026-11-12").done_date == "2026-11-12"
    assert one("- [ ] call \U0001f4c5\ufe0f 2026-11-25").due_date == "2026-11-25"
    assert one("- [ ] call \U0001f4c5\ufe0f 2026-11-25 ^vn-a").display() == "call"


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("- [ ] send deck to [[Ana]] 📅 2026-11-25", "2026-11-25"),
        ("- [ ] send deck to [[Ana]] 📅2026-11-25", "2026-11-25"),
        ("- [ ] send deck to [[Ana]] [due:: 2026-11-25]", "2026-11-25"),
        ("- [ ] send deck to [[Ana]] [due::2026-11-25]", "2026-11-25"),
        ("- [ ] send deck to [[Ana]]", None),
        ("- [ ] send deck to [[Ana]] ⏳ 2026-11-25", None),
    ],
)
def test_due_date(text, due):
    assert one(text).due_date == due


# --- display ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("- 2026-11-02 #coffee #gave intro to [[Bob Lee]] for her hiring", "intro to Bob Lee for her hiring"),
        ("- [[2026-11-02]] call with [[People/Ana Souza]] #call", "call with Ana Souza"),
        ("- [x] check in with [[Ana]] ✅ 2026-11-20 ^vn-abc123", "check in with Ana"),
        ("- [ ] send deck to [[Ana|Annie]] 📅 2026-11-25 ^vn-x-1", "send deck to Annie"),
        ("- [ ] send deck [due:: 2026-11-25] to [[Ana#Work]]", "send deck to Ana"),
        ("- [ ] renew ⏳ 2026-11-01 🛫 2026-10-01 ➕ 2026-09-01 #task", "renew"),
        ("plain   spaced    text", "plain spaced text"),
    ],
)
def test_display_strips_dates_tags_task_fields_and_block_ids(text, shown):
    assert one(text).display() == shown


# --- line numbers ---------------------------------------------------------------------


def test_line_numbers_count_every_body_line_and_are_offset_by_first_number():
    body = ["# Log", "", "- 2026-11-02 [[Ana]]", "```", "[[Sam]]", "```", "- 2026-11-03 [[Bob]]"]
    assert [line.number for line in scan(body)] == [3, 7]
    assert [line.number for line in scan(body, first_number=5)] == [7, 11]


# --- robustness -----------------------------------------------------------------------


@given(st.text())
def test_scan_never_raises_on_any_text(text):
    for line in scan(text.split("\n")):
        assert isinstance(line.number, int) and line.number >= 1
        line.display()
        _ = line.leading_date, line.done_date, line.due_date, line.done, line.open  # computed without raising


markdown_bits = st.lists(
    st.sampled_from(
        ["[[", "]]", "![[", "|", "#", "# ", "%%", "<!--", "-->", "`", "```", "~~~", "> ", "- ", "- [ ] ", "- [x] ",
         "[due:: ", "📅 ", "✅ ", "2026-11-02", "Ana", " ", "\t", "\n", "^vn-a", "http://", "--- | ---", ":", "\x00",
         "\r", "\ufeff"]
    ),
    max_size=40,
).map("".join)


@given(markdown_bits)
def test_scan_never_raises_on_markdown_soup(text):
    numbers = [line.number for line in scan(text.split("\n"), first_number=3)]
    assert numbers == sorted(set(numbers))
    assert all(3 <= n < 3 + len(text.split("\n")) for n in numbers)


@given(st.binary(max_size=200))
def test_scan_never_raises_on_undecodable_bytes(data):
    list(scan(data.decode("utf-8", "surrogateescape").split("\n")))


@pytest.mark.parametrize(
    "unit",
    ["a.", "a-", "![[", "%%", "[due:: ", "[a:: b", "`", "x`", "[[", "#a ", "<!--%%", "a|", "http://", "`%%` "],
)
def test_huge_lines_are_scanned_in_linear_time(unit):
    # Several patterns used to be quadratic (or worse) on long lines:
    # a 200 kB line took from seconds to minutes.
    line = unit * (200_000 // len(unit))
    start = time.perf_counter()
    for result in scan([line, "- [[Ana]]"]):
        result.display()
    assert time.perf_counter() - start < 2.0


def test_lines_share_equal_links_and_tags() -> None:
    """Equal links and tag tuples are one object each: memory on large vaults, never meaning."""
    first, second = list(scan(["- [[Ana]] #call"])), list(scan(["- met [[Ana]] again #call"]))
    assert first[0].links == second[0].links == (Link("Ana", None),)
    assert first[0].links[0] is second[0].links[0]
    assert first[0].tags is second[0].tags


def test_the_shared_links_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    import vaultnet.notes.markdown as markdown

    monkeypatch.setattr(markdown, "_SHARED", {})
    monkeypatch.setattr(markdown, "_SHARED_LIMIT", 5)
    lines = [line for n in range(20) for line in scan([f"- [[Person {n}]]"])]
    assert len(markdown._SHARED) <= 5
    assert [line.links[0].target for line in lines] == [f"Person {n}" for n in range(20)]


@given(st.lists(st.sampled_from(["[[", "]]", "[", "]", "|", "#", "^", "a", "b/", " ", "-"]), max_size=16).map("".join))
@example("x [[a|b]] [[c#d|e]] [[f^g]] [[h]]")
def test_links_read_by_their_text_are_the_links_written(text):
    """Links are looked up by the text they are written as: the same as reading each one."""
    from vaultnet.notes.markdown import _LINK, _links

    expected = tuple(Link(m.group(1).strip(), m.group(2)) for m in _LINK.finditer(text))
    assert _links(text) == expected
    assert _links(text) == expected  # and again, from what the first read kept


@pytest.mark.parametrize(("text", "targets", "shown"), [
    ("lunch with [Kwame](People/Kwame%20Mensah.md) #coffee", ["People/Kwame Mensah"], "lunch with Kwame"),
    ("[Kwame](../People/Kwame%20Mensah.md#Log)", ["../People/Kwame Mensah"], "Kwame"),
    ("[Kwame Mensah](<People/Kwame Mensah.md>)", ["People/Kwame Mensah"], "Kwame Mensah"),
    ("[](Kwame%20Mensah.md) then [[Ana]]", ["Kwame Mensah", "Ana"], "Kwame Mensah then Ana"),
    ("[the notes](https://example.com/notes.md) and [a picture](pic.png)", [], None),
    ("[not a link] (People/Kwame.md)", [], None),
])
def test_a_markdown_link_to_a_note_is_a_link(text, targets, shown):
    """With Obsidian's "Use [[Wikilinks]]" off every link is ``[name](path.md)``: each one to a note counts."""
    (line,) = scan([text])
    assert [link.target for link in line.links] == targets
    if shown:
        assert line.display() == shown
    assert line.tags == (("coffee",) if "#coffee" in text else ())
