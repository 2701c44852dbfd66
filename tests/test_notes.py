"""Reading one note: bytes, front matter, body lines and problems (vaultnet.notes.note)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vaultnet.base.dates import parse_date
from vaultnet.notes.markdown import scan
from vaultnet.notes.note import MAX_NOTE_BYTES, Note, decode, parse_note

from conftest import write


def parse(text: str | bytes, rel: str = "People/Ana.md") -> Note:
    data = text.encode("utf-8") if isinstance(text, str) else text
    note, problems = parse_note(rel, data)
    assert note is not None
    assert problems == note.problems
    return note


def messages(note: Note) -> list[tuple[int | None, str]]:
    return [(problem.line, problem.message) for problem in note.problems]


# --- front matter and body ---------------------------------------------------------


ANA = "---\ncircle: inner\ncadence: 2 weeks\ntags: [person]\n---\n# Log\n- 2026-11-02 #call hello\n"


def test_front_matter_and_body_lines():
    note = parse(ANA)
    assert note.meta == {"circle": "inner", "cadence": "2 weeks", "tags": ["person"]}
    assert note.lines == ["# Log", "- 2026-11-02 #call hello", ""]
    assert note.body_start == 6
    assert note.problems == []
    assert note.rel == "People/Ana.md"


def test_body_line_numbers_are_file_line_numbers(vault):
    path = write(
        vault,
        "People/Ana.md",
        """
        ---
        circle: inner
        ---

        ## Log
        - 2026-11-02 #call with [[Bob]]
        text
        - [x] thanked [[Cy]]
        """,
    )
    note = parse(path.read_bytes())
    file_lines = path.read_text(encoding="utf-8").split("\n")
    found = {line.number: line for line in scan(note.lines, note.body_start)}
    assert sorted(found) == [6, 7, 8]
    for number, line in found.items():
        assert line.text in file_lines[number - 1]


def test_crlf_line_endings():
    note = parse(ANA.replace("\n", "\r\n"))
    assert note.meta == {"circle": "inner", "cadence": "2 weeks", "tags": ["person"]}
    assert note.lines == ["# Log", "- 2026-11-02 #call hello", ""]
    assert note.body_start == 6
    assert note.key_lines == {"circle": 2, "cadence": 3, "tags": 4}


def test_byte_order_mark_is_ignored():
    note = parse(b"\xef\xbb\xbf" + ANA.encode())
    assert note.meta["circle"] == "inner"
    assert note.body_start == 6
    assert note.key_lines["circle"] == 2


def test_bom_and_crlf_together():
    note = parse(b"\xef\xbb\xbf" + ANA.replace("\n", "\r\n").encode())
    assert note.meta["cadence"] == "2 weeks"
    assert note.lines[0] == "# Log"


def test_no_front_matter():
    note = parse("# Ana\n- 2026-11-02 call\n")
    assert note.meta == {}
    assert note.body_start == 1
    assert note.lines == ["# Ana", "- 2026-11-02 call", ""]
    assert note.problems == []


def test_front_matter_must_start_on_the_first_line():
    note = parse("\n---\ncircle: inner\n---\n")
    assert note.meta == {}
    assert note.body_start == 1
    assert note.lines[2] == "circle: inner"


def test_opening_line_may_carry_trailing_spaces():
    note = parse("---  \ncircle: inner\n--- \nbody")
    assert note.meta == {"circle": "inner"}
    assert note.lines == ["body"]


def test_empty_file():
    note = parse(b"")
    assert note.meta == {} and note.lines == [""] and note.problems == []


@pytest.mark.parametrize("text", ["---\n---\nbody\n", "---\n\n---\nbody\n", "---\n# only a comment\n---\nbody\n"])
def test_empty_front_matter(text):
    note = parse(text)
    assert note.meta == {}
    assert note.problems == []
    assert note.lines[0] == "body"
    assert note.body_start == text.split("\n").index("body") + 1


def test_front_matter_without_body():
    note = parse("---\ncircle: inner\n---")
    assert note.meta == {"circle": "inner"}
    assert note.lines == [""]


def test_a_horizontal_rule_later_in_the_body_is_body():
    note = parse("---\na: 1\n---\nfirst\n---\nsecond\n")
    assert note.meta == {"a": 1}
    assert note.lines == ["first", "---", "second", ""]


def test_unterminated_front_matter_is_a_problem_on_line_1_and_the_body_is_kept():
    text = "---\ncircle: inner\n- 2026-11-02 [[Bob]]\n"
    note = parse(text)
    assert messages(note) == [(1, "unterminated front matter: no closing '---' line")]
    assert note.meta == {}
    assert note.body_start == 1
    assert note.lines == ["---", "circle: inner", "- 2026-11-02 [[Bob]]", ""]


# --- invalid YAML: a problem on the right file line ------------------------------------


@pytest.mark.parametrize(
    ("front", "bad_line", "reason"),
    [
        ("circle: inner\ncadence: 2 weeks: x\nrole: cto", 3, "mapping values are not allowed"),
        ("circle: inner\n\tcadence: 2 weeks", 3, "tab"),
        ("circle: inner\nrole: cto\n  company: x", 4, "mapping values"),
        ("circle: inner\nrole: 'cto\ncompany: x", 3, "quoted scalar"),
        ('circle: inner\nrole: "cto\ncompany: x\nemail: y', 3, "quoted scalar"),
        ("circle: inner\ntags: [person, work\ncompany: x", 3, "flow sequence"),
        ("circle: inner\nmeta: {a: 1\ncompany: x", 3, "flow mapping"),
        ("circle: inner\n- stray item", 3, "expected key"),
        ("a: &x 1\nb: *y", 3, "undefined alias"),
        ("a: 1\nb: 2\nc: \x07", 4, "U+0007"),
    ],
)
def test_invalid_yaml_is_a_problem_on_the_bad_line(front, bad_line, reason):
    text = f"---\n{front}\n---\n- 2026-11-02 [[Bob]]\n"
    note = parse(text)
    ((line, message),) = messages(note)
    assert line == bad_line, (message, text.split("\n")[line - 1])
    assert reason in message
    assert "front matter" in message
    assert "\n" not in message
    assert note.meta == {}
    # the body is still read
    assert note.lines[0] == "- 2026-11-02 [[Bob]]"
    assert note.body_start == text.split("\n").index("- 2026-11-02 [[Bob]]") + 1


def test_invalid_yaml_line_is_right_with_crlf_and_bom():
    text = "\ufeff---\r\ncircle: inner\r\nrole: cto\r\ncadence: 2 weeks: x\r\n---\r\nbody\r\n"
    ((line, _),) = messages(parse(text))
    assert line == 4


@pytest.mark.parametrize(
    ("front", "kind"),
    [("- a\n- b", "list"), ("just some text", "str"), ("42", "int"), ("[a, b]", "list")],
)
def test_front_matter_that_is_not_a_mapping_is_a_problem(front, kind):
    note = parse(f"---\n{front}\n---\nbody\n")
    ((line, message),) = messages(note)
    assert line == 2
    assert f"front matter is a {kind}" in message
    assert note.meta == {}
    assert note.lines == ["body", ""]


@pytest.mark.parametrize(
    "front",
    [
        "a: !!python/object/apply:os.system ['touch {marker}']",
        "a: !!python/object/new:os.system ['touch {marker}']",
        "a: !!python/object:os.system {{}}",
        "a: !!python/name:os.system",
        "a: !!python/module:os",
    ],
)
def test_python_tags_are_refused_never_constructed(front, tmp_path):
    marker = tmp_path / "constructed"
    note = parse(f"---\nname: Ana\n{front.format(marker=marker)}\n---\nbody\n")
    ((line, message),) = messages(note)
    assert line == 3
    assert "python" in message
    assert note.meta == {}
    assert not marker.exists()


@pytest.mark.parametrize(
    "value", ["!!timestamp 1985-02-30", "!!int nope", "!!float x", "!!timestamp ''", "!!timestamp", "!!omap x"]
)
def test_other_explicit_tag_errors_are_problems_not_exceptions(value):
    # `!!timestamp ''` made PyYAML raise AttributeError, which used to escape parse_note.
    note = parse(f"---\nname: Ana\na: {value}\n---\nbody\n")
    ((line, message),) = messages(note)
    assert line is not None
    assert message.startswith("invalid")
    assert "\n" not in message
    assert note.meta == {}
    assert note.lines == ["body", ""]


# --- values ------------------------------------------------------------------------------


def test_impossible_date_stays_text_so_the_caller_can_report_it():
    note = parse("---\nbirthday: 1985-02-30\ncircle: inner\n---\n")
    assert note.problems == []
    assert note.meta == {"birthday": "1985-02-30", "circle": "inner"}
    assert note.key_line("birthday") == 2
    with pytest.raises(ValueError, match="impossible"):
        parse_date(note.meta["birthday"])


def test_dates_stay_text_and_parse_as_dates():
    note = parse("---\nlast_contact: 2026-11-02\nmet: 2026-11-02T10:30\nsnooze_until: [[2026-12-01]]\n---\n")
    assert note.meta["last_contact"] == "2026-11-02"
    assert note.meta["met"] == "2026-11-02T10:30"
    assert note.meta["snooze_until"] == [["2026-12-01"]]  # an unquoted link is a nested list
    assert [str(parse_date(value)) for value in note.meta.values()] == ["2026-11-02", "2026-11-02", "2026-12-01"]


def test_yaml_1_1_surprises_are_read_as_obsidian_reads_them():
    # PyYAML's YAML 1.1 turns these into False, True, 83 and 750: Norway's
    # country code vanished, a phone number changed and a time became a number.
    note = parse(
        "---\nlocation: NO\npaused: no\nnice: yes\nlight: on\nphone: 0123\n"
        "met: 12:30\nbig: 1_000\nhex: 0x1F\n---\n"
    )
    assert note.meta == {
        "location": "NO", "paused": "no", "nice": "yes", "light": "on", "phone": "0123",
        "met": "12:30", "big": "1_000", "hex": "0x1F",
    }


def test_yaml_core_values_keep_their_types():
    note = parse(
        "---\npaused: true\narchived: False\ncadence: 14\nneg: -3\nplus: +4\nzero: 0\nweight: 1.5\n"
        "exp: 1.0e3\nhalf: .5\ninf: .inf\nnothing: null\ntilde: ~\nempty:\nquoted: '0123'\n"
        "aliases: [Annie, A.]\noffers:\n  - intros\n  - advice\n---\n"
    )
    assert note.problems == []
    meta = note.meta
    assert meta["paused"] is True and meta["archived"] is False
    assert meta["cadence"] == 14 and isinstance(meta["cadence"], int)
    assert (meta["neg"], meta["plus"], meta["zero"]) == (-3, 4, 0)
    assert (meta["weight"], meta["exp"], meta["half"], meta["inf"]) == (1.5, 1000.0, 0.5, float("inf"))
    assert meta["nothing"] is None and meta["tilde"] is None and meta["empty"] is None
    assert meta["quoted"] == "0123"
    assert meta["aliases"] == ["Annie", "A."]
    assert meta["offers"] == ["intros", "advice"]


def test_non_text_keys_become_text():
    note = parse("---\n2: two\ntrue: yes\n---\n")
    assert note.meta == {"2": "two", "True": "yes"}


# --- bytes that are not text ---------------------------------------------------------------


def test_invalid_utf8_is_a_problem_naming_the_line_and_no_note():
    data = b"---\ncircle: inner\n---\nfine\n" + b"caf\xe9 with Ana\n"
    note, problems = parse_note("People/Ana.md", data)
    assert note is None
    ((problem),) = problems
    assert problem.path == "People/Ana.md"
    assert problem.line == 5
    assert "UTF-8" in problem.message
    assert str(problem).startswith("People/Ana.md:5: ")


def test_latin1_front_matter_is_reported_on_its_line():
    note, problems = parse_note("a.md", b"---\ncircle: inner\ncompany: Soci\xe9t\xe9\n---\n")
    assert note is None
    assert [p.line for p in problems] == [3]


@pytest.mark.parametrize("data", [b"abc\x00def", b"---\na: 1\n---\n\x00", "Ana".encode("utf-16")])
def test_nul_bytes_mean_a_binary_file(data):
    note, problems = parse_note("x.md", data)
    assert note is None
    ((problem),) = problems
    assert "binary" in problem.message


def test_huge_files_are_skipped_with_a_problem():
    note, problems = parse_note("big.md", b"a" * (MAX_NOTE_BYTES + 1))
    assert note is None
    assert "too large" in problems[0].message


def test_decode_strips_only_a_leading_bom():
    assert decode("a.md", "\ufeffa\ufeffb".encode()) == ("a\ufeffb", None)


# --- key lines -------------------------------------------------------------------------------


def test_key_lines_map_keys_to_file_lines():
    note = parse(
        "---\n"  # 1
        "# a comment\n"  # 2
        "circle: inner\n"  # 3
        "\n"  # 4
        "aliases:\n"  # 5
        "  - Annie\n"  # 6
        "  - nested: not a top key\n"  # 7
        "notes: |\n"  # 8
        "  cadence: inside a block\n"  # 9
        "'quoted key': 1\n"  # 10
        '"double": 2\n'  # 11
        "birthday: 1985-02-30\n"  # 12
        "url: https://example.com\n"  # 13
        "---\n"
    )
    assert note.key_lines == {
        "circle": 3, "aliases": 5, "notes": 8, "quoted key": 10, "double": 11, "birthday": 12, "url": 13,
    }
    assert note.key_line("birthday") == 12
    assert note.key_line("cadence") is None


def test_a_repeated_key_points_at_the_line_whose_value_is_used():
    note = parse("---\ncadence: 2 weeks\ncircle: inner\ncadence: 2m\n---\n")
    assert note.meta["cadence"] == "2m"  # YAML keeps the last value ...
    assert note.key_line("cadence") == 4  # ... so a problem with it must point there


def test_key_lines_with_bom():
    note = parse("\ufeff---\nbirthday: 1985-02-30\n---\n")
    assert note.key_line("birthday") == 2


def test_note_problem_helper():
    note = Note("People/Ana.md")
    note.problem("cadence: bad", 3)
    assert [str(problem) for problem in note.problems] == ["People/Ana.md:3: cadence: bad"]


# --- robustness ------------------------------------------------------------------------------


def _check(rel: str, data: bytes) -> None:
    note, problems = parse_note(rel, data)
    total_lines = data.count(b"\n") + 1
    for problem in problems:
        assert problem.path == rel
        assert problem.line is None or 1 <= problem.line <= total_lines
        assert problem.message
    if note is None:
        assert len(problems) == 1
        return
    assert isinstance(note.meta, dict)
    assert all(isinstance(key, str) for key in note.meta)
    assert 1 <= note.body_start <= total_lines + 1
    assert all("\n" not in line for line in note.lines)
    list(scan(note.lines, note.body_start))


@given(st.binary(max_size=300))
def test_parse_note_never_raises_on_any_bytes(data):
    _check("a.md", data)


@given(st.binary(max_size=200))
def test_parse_note_never_raises_on_bytes_after_a_front_matter_opening(data):
    _check("a.md", b"---\n" + data)
    _check("a.md", b"---\n" + data + b"\n---\nbody")


@given(st.text(max_size=300))
def test_parse_note_never_raises_on_any_text(text):
    _check("a.md", text.encode("utf-8"))
    _check("a.md", ("---\n" + text).encode("utf-8"))


yaml_soup = st.lists(
    st.sampled_from(
        ["a", "b: ", ":", "- ", "  ", "\t", "\n", "\r\n", "[", "]", "{", "}", "'", '"', "&x ", "*x", "!!", "!!python/",
         "|", ">", "#", "%", "@", "`", "?", ",", "no", "0123", "12:30", "1985-02-30", "---", "...", "\x07", "é",
         "\ufeff", "!!binary ", "!!timestamp ", "<<: ", "1e999", "9" * 5000]
    ),
    max_size=30,
).map("".join)


@given(yaml_soup, st.text(max_size=50))
def test_parse_note_never_raises_on_yaml_soup_and_keeps_the_body(front, body):
    body = body.replace("\x00", "")
    text = f"---\n{front}\n---\n{body}"
    data = text.encode("utf-8")
    _check("a.md", data)
    note, _ = parse_note("a.md", data)
    assert note is not None
    if not re.search(r"^---[ \t]*\r?$", front, re.MULTILINE):
        assert note.lines == [line.removesuffix("\r") for line in body.split("\n")]
        assert note.body_start == front.count("\n") + 4


def test_deeply_nested_yaml_is_a_problem_not_a_crash():
    note = parse("---\na: " + "[" * 20000 + "\n---\nbody")
    assert len(note.problems) == 1
    assert note.lines == ["body"]


def test_a_huge_line_is_fine():
    note = parse("---\na: " + "x" * 1_000_000 + "\n---\n" + "y" * 1_000_000)
    assert note.meta["a"] == "x" * 1_000_000
    assert note.lines == ["y" * 1_000_000]


def _alias_bomb(levels: int = 9) -> bytes:
    lines = ["---", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return ("\n".join(lines + ["circle: inner", "---", "body"]) + "\n").encode()


def test_billion_laughs_is_a_problem_in_bounded_time():
    import time

    started = time.perf_counter()
    note, problems = parse_note("People/Bomb.md", _alias_bomb())
    assert time.perf_counter() - started < 1.0
    assert note is not None and note.meta == {}
    assert [p.message for p in problems] == [
        "front matter too large or too deeply nested (YAML aliases?); its properties are ignored"]
    assert note.lines == ["body", ""]


@pytest.mark.parametrize("front", ["a: &a [*a]", "a: &a {b: *a}", "a: " + "[" * 2000 + "]" * 2000])
def test_self_reference_and_deep_nesting_are_problems(front):
    note, problems = parse_note("x.md", f"---\n{front}\n---\n".encode())
    assert note is not None and note.meta == {}
    assert len(problems) == 1 and problems[0].line in (1, 2)


def test_a_few_aliases_are_fine():
    note, problems = parse_note("x.md", b"---\nbase: &b [one, two]\nneeds: *b\n---\n")
    assert problems == [] and note.meta["needs"] == ["one", "two"]


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system ['touch pwned']", "!!python/name:os.system",
                                 "!!python/object/new:type ['x', [], {}]"])
def test_yaml_never_constructs_python_objects(tag, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    note, problems = parse_note("x.md", f"---\na: {tag}\ncircle: inner\n---\n".encode())
    assert note is not None and note.meta == {}
    assert "could not determine a constructor" in problems[0].message
    assert not (tmp_path / "pwned").exists()


def test_the_whole_vault_survives_a_bomb(vault, load):
    from conftest import write

    write(vault, "People/Bomb.md", _alias_bomb())
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n- 2026-11-10 #call\n")
    network = load()
    assert [s.name for s in network.standings] == ["Ana", "Bomb"]
    assert network.standings[0].last_kind == "call"
    assert any("too large" in p.message for p in network.problems)
