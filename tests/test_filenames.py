import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vaultnet.files.filenames import safe_filename

from conftest import examples


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Ana Souza", "Ana Souza"),
        ("AC/DC", "AC DC"),
        ("../../etc/passwd", "etc passwd"),
        ("/absolute/path", "absolute path"),
        ('a\\b:c*d?e"f<g>h|i#j^k[l]m', "a b c d e f g h i j k l m"),
        (".hidden", "hidden"),
        ("trailing. ", "trailing"),
        ("CON", "CON (contact)"),
        ("lpt1", "lpt1 (contact)"),
        ("nul.txt", "nul.txt (contact)"),
        ("Connie", "Connie"),
        ("tab\tand\nnewline", "tab and newline"),
    ],
)
def test_safe_filename(name, expected):
    assert safe_filename(name) == expected


def test_nfc_normalised():
    assert safe_filename("Zoe\u0308") == "Zoë" == unicodedata.normalize("NFC", "Zoë")


@pytest.mark.parametrize("name", ["", "   ", "...", "/", "[[]]", "#^|"])
def test_nothing_left_is_refused(name):
    with pytest.raises(ValueError):
        safe_filename(name)


def test_long_names_are_cut_to_a_safe_length():
    assert len(safe_filename("é" * 500).encode("utf-8")) <= 200


@settings(max_examples=examples(300))
@given(st.text())
def test_any_text_gives_a_safe_name_or_value_error(name):
    try:
        stem = safe_filename(name)
    except ValueError:
        return
    assert stem and not stem.startswith(".") and not stem.endswith((".", " "))
    assert not set(stem) & set('\\/:*?"<>|#^[]')
    assert "\x00" not in stem and stem == unicodedata.normalize("NFC", stem)
