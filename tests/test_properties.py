import re

import pytest
import yaml
from hypothesis import assume, example, given
from hypothesis import strategies as st

from vaultnet.base.keys import KEYS
from vaultnet.edits.properties import BOM, add_missing, existing_keys, yaml_lines
from vaultnet.notes.note import parse_note

ODD = (
    "---\n"
    "# a comment the user keeps\n"
    "name:   'Ana'   # trailing comment\n"
    "aliases: [ \"A\" ,B ]\n"
    "quote: \"it's \\\"odd\\\"\"\n"
    "---\n"
    "body\n"
)


def test_adds_only_missing_keys_as_new_lines():
    data = ODD.encode()
    new, added = add_missing(data, {"name": "Other", "email": "ana@example.com", "phone": "0612345670"})
    assert added == ["email", "phone"]
    assert new == ODD.replace("---\nbody", "email: ana@example.com\nphone: '0612345670'\n---\nbody").encode()


def test_nothing_missing_means_identical_bytes():
    data = ODD.encode()
    assert add_missing(data, {"name": "x", "aliases": ["y"]}) == (data, [])
    assert add_missing(data, {"email": None, "phone": "", "tags": []}) == (data, [])


def test_keeps_crlf_and_bom():
    data = b"\xef\xbb\xbf---\r\ncircle: inner\r\n---\r\nbody\r\n"
    new, _ = add_missing(data, {"company": "Acme", "aliases": ["A B"]})
    assert new == b"\xef\xbb\xbf---\r\ncircle: inner\r\ncompany: Acme\r\naliases:\r\n  - A B\r\n---\r\nbody\r\n"


def test_note_without_front_matter_gets_one():
    new, added = add_missing(b"just text\n", {"email": "a@b.c"})
    assert new == b"---\nemail: a@b.c\n---\njust text\n" and added == ["email"]


@pytest.mark.parametrize("data", [
    b"---\nnot: [closed\n---\n", b"---\n- a list\n---\n", b"---\nno end\n",
    # Found by the property tests: these raised AttributeError and IndexError.
    b"---\na: !!timestamp ''\n---\n", b"---\na: !!int ''\n---\n",
    # A note vaultnet skips (not UTF-8, or binary) is not edited either.
    b"no front matter \xff\n", b"---\na: 1\n---\n\xff\n", b"binary\x00\n",
])
def test_unreadable_front_matter_is_left_alone(data):
    assert add_missing(data, {"email": "a@b.c"}) == (data, [])


def test_empty_front_matter():
    assert existing_keys(b"---\n---\n") == set()
    assert add_missing(b"---\n---\nx\n", {"role": "CTO"})[0] == b"---\nrole: CTO\n---\nx\n"


@pytest.mark.parametrize("value", ["no", "yes", "0123", "12:30", "2026-11-21", "null", "~", "true", "1e3",
                                   "a: b", "- x", "#tag", "[[Bob]]", "it's", "100%", "Zoë", "@handle"])
def test_values_read_back_as_the_same_text(value):
    (line,) = yaml_lines("key", value)
    from vaultnet.notes.note import NoteLoader

    assert yaml.load(line, Loader=NoteLoader) == {"key": value}


@pytest.mark.parametrize("value", ["a\x85b", "a\u2028b", "a\nb", "2026-11-21\n", "x\x00y"])
def test_line_breaks_in_values_stay_on_one_line_and_read_back(value):
    (line,) = yaml_lines("key", value)
    from vaultnet.notes.note import NoteLoader

    assert "\n" not in line and "\x85" not in line and "\u2028" not in line
    assert yaml.load(line, Loader=NoteLoader) == {"key": value}


@pytest.mark.parametrize("key", ["true", "null", "#k", "123"])
def test_keys_that_yaml_would_misread_are_quoted(key):
    new, added = add_missing(b"---\na: 1\n---\n", {key: "x"})
    assert added == [key] and existing_keys(new) == {"a", key}


@pytest.mark.parametrize("data", [
    b"---\n  indented: 1\n---\n", b"---\na: 1\n...\n---\n", b"---\n{a: 1}\n---\n",
])
def test_front_matter_that_cannot_take_new_lines_is_left_alone(data):
    # Lines added after these would make the whole front matter unreadable.
    assert existing_keys(data) is not None
    assert add_missing(data, {"email": "a@b.c"}) == (data, [])


def test_lists_are_block_style():
    assert yaml_lines("aliases", ["A", "no"]) == ["aliases:", "  - A", "  - 'no'"]


# ---------------------------------------------------------------- property-based: any front matter, any values


KEY = st.sampled_from(["email", "company", "role", "aliases", "phone", "met", "birthday", "e-mail", "E-Mail",
                       "prm cadence", "café", "x_1", "Linkedin", "true", "null", "#k", "123"])
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
ODD_TEXT = st.one_of(
    TEXT,
    st.sampled_from(["no", "yes", "on", "0123", "12:30", "2026-11-21", "2026-11-21\n", "null", "~", "true", "1e3",
                     ".inf", "a: b", "- x", "#tag", "[[Bob]]", "it's", '"q"', "100%", "@x", "&a", "*a", "!t",
                     "a\nb", "a\r\nb", "a\x85b", "a\u2028b", "\ufeffa", " lead", "trail ", "\t", "---", "...",
                     "x\x00y", "%YAML", "? x", "| x", "> x", "{a: 1}", "[1, 2]", "'", "é", "1_000", "0x1F"]),
)
VALUE = st.one_of(ODD_TEXT, st.lists(ODD_TEXT, max_size=3), st.integers(), st.booleans(),
                  st.floats(allow_nan=False, allow_infinity=False), st.none())
VALUES = st.dictionaries(KEY, VALUE, max_size=5)

# Front-matter lines as people write them: odd quoting, comments, lists, block scalars; and some garbage.
GOOD_LINE = st.one_of(
    st.builds("{}: {}".format, KEY, st.sampled_from(
        ["Ana", "'single quoted'", '"double \\"quoted\\""', "plain   # a comment", "", "[a, 'b']", "{x: 1}",
         "2026-11-21", "12:30", "no", "0123", "|\n  block\n  text", ">-\n  folded", "\n  - one\n  - two",
         "[[Bob]]", "'[[Bob]]'", "&anchor value", "Zoë", "1e3"])),
    st.sampled_from(["# a comment", "", "   ", "#", "other: x # c", "'quoted key': 1", "tags:\n- person\n- x"]),
)
ODD_LINE = st.one_of(GOOD_LINE, st.sampled_from(["...", "  indented: 1", "{a: 1}", "- item", "[", "a: !!timestamp ''",
                                                 "a: !!int ''", "a: !!float x", "a: !!binary '%'", "? [a]\n: b",
                                                 "\x00", "a: \x07", "%YAML 1.2", "a: *nothing", "<<: 1"]), TEXT)


@st.composite
def notes(draw, line=ODD_LINE):
    """Note bytes: front matter (or none, or unterminated), CRLF, BOM, a body; sometimes invalid UTF-8."""
    lines = draw(st.lists(line, max_size=8))
    opening = draw(st.sampled_from(["---", "---  ", "--- \t"]))
    shape = draw(st.sampled_from(["front", "front", "front", "none", "unterminated"]))
    body = draw(st.one_of(TEXT, st.sampled_from(["", "body\n", "## Log\n- 2026-11-02 x\n", "---\nnot front\n"])))
    if shape == "front":
        text = "\n".join([opening, *lines, "---", body])
    elif shape == "unterminated":
        text = "\n".join([opening, *lines, body.replace("---", "")])
    else:
        text = body
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    if draw(st.booleans()):
        data = BOM + data
    if draw(st.integers(0, 9)) == 0:
        data += draw(st.sampled_from([b"\xff", b"\xc3", b"\x80\x80"]))
    return data


def _normal(value):
    """What a value reads back as."""
    return [_normal(item) for item in value] if isinstance(value, (list, tuple)) else value


def check_add_missing(data: bytes, values: dict) -> list[str]:
    new, added = add_missing(data, values)
    if not added:
        assert new == data
        return added
    assert new != data
    before, problems = parse_note("a.md", data)
    assert before is not None and not problems  # only readable notes get lines
    wanted = [k for k, v in values.items() if k not in before.meta and v not in (None, "", [], ())]
    assert added == wanted
    # Only whole new lines, inserted right before the closing --- (or a new front matter at the top).
    bom = BOM if data.startswith(BOM) else b""
    nl = b"\r\n" if b"\r\n" in data else b"\n"
    if re.match(rb"---[ \t]*\r?$", data[len(bom):], re.MULTILINE):
        size = len(new) - len(data)
        at = [p for p in range(len(bom) + 3, len(data) + 1)
              if data[p - 1:p] == b"\n" and data[p:].startswith(b"---") and new == data[:p] + new[p:p + size] + data[p:]]
        assert at, (data, new)
        block = new[at[0]:at[0] + size]
    else:
        assert new.startswith(bom + b"---" + nl) and new.endswith(nl + b"---" + nl + data[len(bom):])
        block = new[len(bom) + 3 + len(nl):len(new) - len(data) + len(bom) - 3 - len(nl)]
    assert block.endswith(nl)
    assert block.count(nl) == len(block.split(b"\n")) - 1  # the note's own line endings, nothing else
    # The added keys read back as given; every other key is as it was.
    after, problems = parse_note("a.md", new)
    assert after is not None and problems == [], problems
    assert set(after.meta) == set(before.meta) | set(added)
    assert {k: after.meta[k] for k in before.meta} == before.meta
    for key in added:
        assert after.meta[key] == _normal(values[key]), (key, values[key], after.meta[key])
    assert after.lines == before.lines  # the body is untouched
    return added


@given(notes(), VALUES)
def test_add_missing_only_ever_inserts_lines_that_read_back(data, values):
    check_add_missing(data, values)
    again, _ = add_missing(add_missing(data, values)[0], values)
    assert again == add_missing(data, values)[0]  # a second run adds nothing


@given(notes(GOOD_LINE), st.dictionaries(KEY, st.one_of(ODD_TEXT, st.lists(ODD_TEXT, min_size=1, max_size=3)),
                                         max_size=5))
def test_add_missing_adds_every_missing_key_to_ordinary_front_matter(data, values):
    before, problems = parse_note("a.md", data)
    assume(before is not None and not problems)
    added = check_add_missing(data, values)
    assert added == [k for k, v in values.items() if k not in before.meta and v not in ("", [])]


@given(notes())
def test_existing_keys_agrees_with_the_note_reader(data):
    keys = existing_keys(data)
    note, problems = parse_note("a.md", data)
    if note is not None and not problems:
        assert keys == set(note.meta)
    if keys is not None:
        assert note is not None and not problems  # a note vaultnet cannot read is never edited


def test_every_key_group_names_keys_of_the_one_registry():
    """Contacts, imports, ``set`` and config group keys by job; each name must be one the registry knows."""
    from vaultnet.base import keys
    from vaultnet.evidence.contacts import LIST_FIELDS, TEXT_FIELDS
    from vaultnet.files.config import Config
    from vaultnet.importers.records import FIELDS

    groups = (keys.TEXT_KEYS, keys.LIST_KEYS, keys.DATE_KEYS, keys.IMPORT_KEYS, keys.SET_KEYS, keys.PERSON_PROPERTIES)
    for group in groups:
        assert set(group) <= set(keys.KEYS), set(group) - set(keys.KEYS)
    assert TEXT_FIELDS is keys.TEXT_KEYS and LIST_FIELDS is keys.LIST_KEYS and FIELDS is keys.IMPORT_KEYS
    assert Config.__dataclass_fields__["person_properties"].default == keys.PERSON_PROPERTIES


_SPELT = sorted({spelling for names in KEYS.values() for spelling in names})
_WRITTEN = st.sampled_from(_SPELT + ["Last Contact", "LAST_CONTACT", "Birth Date", "prm_tier", "Nickname", "x"])


@given(st.dictionaries(_WRITTEN, st.integers(), max_size=6), st.dictionaries(_WRITTEN, st.integers(), max_size=4),
       st.sampled_from([{}, {"circle": "Tier"}, {"last_contact": "seen", "nickname": "Nick"}]))
@example({"circle": 1, "Tier": 2}, {}, {"circle": "Tier"})
@example({"circle": 1}, {"last_contact": 3}, {"circle": "Tier"})  # renamed: the default spelling is not read
def test_a_name_reads_the_first_of_its_spellings_the_note_has(meta, inline, fields):
    """Properties answer each name from the note's own few keys: as reading every spelling in turn would."""
    from vaultnet.base.keys import Properties, normalise, spellings

    found: dict[str, tuple[str, int]] = {}
    for source in (meta, inline):
        for key, value in source.items():
            found.setdefault(normalise(key), (key, value))
    props = Properties(meta, inline, fields)
    for name in [*KEYS, *fields, "nickname", "x"]:
        spelt = spellings(name, fields) if name in KEYS or name in fields else (normalise(name),)
        expected = next((found[s] for s in spelt if s in found), None)
        assert props.item(name) == expected, name
