import pytest
import yaml

from vaultnet.properties import add_missing, existing_keys, yaml_lines

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


@pytest.mark.parametrize("data", [b"---\nnot: [closed\n---\n", b"---\n- a list\n---\n", b"---\nno end\n"])
def test_unreadable_front_matter_is_left_alone(data):
    assert add_missing(data, {"email": "a@b.c"}) == (data, [])


def test_empty_front_matter():
    assert existing_keys(b"---\n---\n") == set()
    assert add_missing(b"---\n---\nx\n", {"role": "CTO"})[0] == b"---\nrole: CTO\n---\nx\n"


@pytest.mark.parametrize("value", ["no", "yes", "0123", "12:30", "2026-11-21", "null", "~", "true", "1e3",
                                   "a: b", "- x", "#tag", "[[Bob]]", "it's", "100%", "Zoë", "@handle"])
def test_values_read_back_as_the_same_text(value):
    (line,) = yaml_lines("key", value)
    from vaultnet.notes import NoteLoader

    assert yaml.load(line, Loader=NoteLoader) == {"key": value}


def test_lists_are_block_style():
    assert yaml_lines("aliases", ["A", "no"]) == ["aliases:", "  - A", "  - 'no'"]
