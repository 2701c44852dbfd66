import datetime as dt

import pytest

from vaultnet.advice.plan import build_plan

from conftest import write

SENT = dt.date(2026, 11, 2)


def sam(vault, *lines):
    write(vault, "People/Sam.md", "---\ncompany: X\n---\n## Log\n" + "".join(f"- {line}\n" for line in lines))


def nudges(load, today):
    return build_plan(load(today), today).section("nudge")


@pytest.mark.parametrize(("days", "expected"), [(6, 0), (7, 1), (8, 1)])
def test_a_waiting_outreach_comes_back_after_the_nudge_days(vault, load, days, expected):
    sam(vault, f"{SENT} #email #waiting asked about the open role")
    found = nudges(load, SENT + dt.timedelta(days=days))
    assert len(found) == expected
    if found:
        assert found[0].text == "no answer yet to: asked about the open role (2026-11-02) · nudge 1 of 2"
        assert found[0].tags == ("waiting",)  # ticking it records another outreach awaiting an answer
        assert found[0].due == SENT + dt.timedelta(days=7)


def test_no_nudge_after_an_answer(vault, load):
    sam(vault, "2026-11-05 #call she called back", f"{SENT} #email #waiting asked about the open role")
    assert nudges(load, SENT + dt.timedelta(days=10)) == []
    # an interaction on the day of the outreach is not an answer to it
    sam(vault, f"{SENT} #coffee met at the conference", f"{SENT} #email #waiting asked about the open role")
    assert len(nudges(load, SENT + dt.timedelta(days=10))) == 1


def test_at_most_twice(vault, load):
    first, second, third = SENT, SENT + dt.timedelta(days=8), SENT + dt.timedelta(days=16)
    sam(vault, f"{second} #waiting nudged", f"{first} #email #waiting asked")
    found = nudges(load, second + dt.timedelta(days=7))
    assert [n.text for n in found] == ["no answer yet to: asked (2026-11-02) · nudge 2 of 2"]
    assert nudges(load, second + dt.timedelta(days=6)) == []  # counted from the last nudge
    sam(vault, f"{third} #waiting nudged again", f"{second} #waiting nudged", f"{first} #email #waiting asked")
    assert nudges(load, third + dt.timedelta(days=30)) == []


def test_nudge_days_setting(vault, load):
    (vault / "vaultnet.toml").write_text("[plan]\nnudge_days = 3\n")
    sam(vault, f"{SENT} #email #waiting asked")
    assert len(nudges(load, SENT + dt.timedelta(days=3))) == 1


def test_a_ticked_nudge_is_the_next_outreach(vault, load):
    sam(vault, f"{SENT} #email #waiting asked")
    today = SENT + dt.timedelta(days=8)  # Tue 2026-11-10
    item = nudges(load, today)[0]
    write(vault, "vaultnet/Plans/2026-W46.md",
          f"%% vaultnet:begin %%\n## Nudge\n- [x] [[Sam]] — {item.text} #waiting ✅ {today} ^{item.key}\n%% vaultnet:end %%\n")
    assert nudges(load, today) == []  # just nudged
    later = nudges(load, today + dt.timedelta(days=7))
    assert [n.text for n in later] == ["no answer yet to: asked (2026-11-02) · nudge 2 of 2"]
