"""One progress mechanism: a build's steps and an import's rows draw the same bar."""

from __future__ import annotations

from vaultnet.cli.progress import tracked


def test_a_loop_over_items_tells_the_progress_callback_and_yields_every_item():
    told: list[tuple[str, int, int]] = []
    each = tracked(lambda what, done, total: told.append((what, done, total)))
    assert each is not None
    assert list(each(range(130), 130, "Reading x.csv")) == list(range(130))
    assert told == [("Reading x.csv", 0, 130), ("Reading x.csv", 64, 130), ("Reading x.csv", 128, 130),
                    ("Reading x.csv", 130, 130)]


def test_no_bar_no_wrapper():
    assert tracked(None) is None
