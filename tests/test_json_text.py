"""The JSON interface's text, given a piece at a time, is the text encoded whole."""

from __future__ import annotations

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from vaultnet.output.jsontext import json_pieces

SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
                      max_leaves=25)


def whole(data: object) -> str:
    return msgspec.json.format(msgspec.json.encode(data), indent=2).decode("utf-8")


@given(VALUES)
def test_the_pieces_join_to_the_json_encoded_whole(data):
    assert "".join(json_pieces(data)) == whole(data)


@given(st.dictionaries(st.text(), st.lists(VALUES, max_size=4), min_size=1, max_size=3))
def test_a_list_given_as_an_iterator_is_written_as_the_list(data):
    lazily = {key: iter(value) for key, value in data.items()}
    assert "".join(json_pieces(lazily)) == whole(data)


def test_a_long_list_comes_an_item_a_piece():
    pieces = list(json_pieces({"today": "2026-11-21", "contacts": ({"name": str(n)} for n in range(1000))}))
    assert len(pieces) > 1000 and max(map(len, pieces)) < 100
