"""The weekly loop, as a user lives it: read the plan, tick what was done, build again.

A copy of the example vault goes through four weeks. Each week every item is
ticked, its date written in another of the formats the Tasks and Dataview
plugins write; the loop must record what each item planned, keep every tick,
complete ticked follow-ups where they live, and give the same notes with or
without the cache.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

from vaultnet.base.dates import iso_week
from vaultnet.files.config import load_config
from vaultnet.files.generated import plan_rel
from vaultnet.pipeline.session import build_network, build_vault

EXAMPLE = Path(__file__).resolve().parent.parent / "example-vault"
WEEKS = [dt.date(2026, 11, 21), dt.date(2026, 11, 28), dt.date(2026, 12, 5), dt.date(2026, 12, 12)]
OPEN = re.compile(r"^- \[ \] (.*?)(\s\^(vn-[\w-]+))$", re.MULTILINE)
KEY = re.compile(r"\^(vn-[\w-]+)")


def tick(text: str, day: dt.date, week: int) -> tuple[str, list[str]]:
    """Tick every open item, each in one of the ways people do, and return the keys ticked."""
    keys: list[str] = []

    def one(match: re.Match[str]) -> str:
        body, block, key = match.group(1), match.group(2), match.group(3)
        style = (len(keys) + week) % 5
        keys.append(key)
        if style == 0:
            return f"- [x] {body}{block}"  # vaultnet stamps it
        if style == 1:
            return f"- [x] {body}{block} ✅ {day}"  # the date typed after the block id
        if style == 2:
            return f"- [x] {body} [completion:: {day}]{block}"
        if style == 3:
            return f"- [x] {body}{block} (completion:: {day}) done, finally"
        return f"- [x] {body} ✅ {day}{block}"

    return OPEN.sub(one, text), keys


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.md"))
            if ".vaultnet" not in p.parts}


def cold_copy(root: Path, target: Path) -> Path:
    shutil.copytree(root, target, ignore=shutil.ignore_patterns("cache"))
    return target


def test_four_weeks_of_ticking_on_the_example_vault(tmp_path):
    root = tmp_path / "vault"
    shutil.copytree(EXAMPLE, root)
    config = load_config(root)
    ticked: dict[str, str] = {}  # key → the plan it was ticked in
    completed_follow_ups: list[str] = []
    for week, today in enumerate(WEEKS):
        build_vault(config, today)
        rel = plan_rel(config, iso_week(today))
        plan = (root / rel).read_text(encoding="utf-8")
        for line in plan.splitlines():
            # Hints never nest: one "last time" at most, and never a tick's label as a hint.
            assert line.count("last time") <= 1, line
            assert not re.search(r"from the \d{4}-W\d{2} plan|last_contact", line), line
            # Minutes follow the kinds: a planned call costs a call's minutes.
            if "#call" in line:
                assert "call, 30 min" in line, line
            if "#coffee" in line or "#meeting" in line:
                assert "60 min" in line, line
        for key, where in ticked.items():
            if where == rel:
                continue
            if key.startswith("vn-follow-ups-"):
                assert key not in plan, f"a follow-up ticked in {where} is planned again: {key}"
        after_tick, keys = tick(plan, today - dt.timedelta(days=1), week)
        assert keys, f"nothing to tick in {rel}"
        (root / rel).write_text(after_tick, encoding="utf-8")
        ticked.update({key: rel for key in keys})
        completed_follow_ups += [k for k in keys if k.startswith("vn-follow-ups-")]

        cold = cold_copy(root, tmp_path / f"cold-{week}")
        build_vault(config, today)  # warm: the cache of the build before the ticks
        build_vault(load_config(cold), today)  # cold: no cache
        assert files(root) == files(cold), f"warm and cold builds differ in week {week}"
        assert not any(r.changed for r in build_vault(config, today))  # and then nothing to do

        # No tick is lost: each one stays ticked, in the plan it was ticked in.
        for key, where in ticked.items():
            lines = [line for line in (root / where).read_text(encoding="utf-8").splitlines() if key in line]
            assert len(lines) == 1 and lines[0].startswith("- [x] "), (key, where, lines)

        network = build_network(config, today)
        assert network.problems == [] or all("block id" not in p.message for p in network.problems)
        for standing in network.standings:
            for item in standing.interactions:
                if item.source == "plan":
                    assert re.fullmatch(r"[\w -]+ from the \d{4}-W\d{2} plan", item.text), item.text
        # A ticked check-in is contact of the kind it planned.
        for item in (i for s in network.standings for i in s.interactions if i.section == "check-in"):
            line = next(line for line in (root / item.path).read_text(encoding="utf-8").splitlines()
                        if item.key and item.key in line)
            planned = next((tag for tag in re.findall(r"(?<=\s)#(\w+)", line) if tag in config.kinds), "note")
            assert item.kind == planned, line

    assert completed_follow_ups, "the example vault has follow-ups to tick"
    # Ticking a follow-up in the plan completed it in its own note.
    network = build_network(config, WEEKS[-1])
    assert not [t for t in network.evidence.follow_ups if t.text.startswith("send Sam the panel questions")]
    sam = (root / "People/Samuel Okafor.md").read_text(encoding="utf-8")
    assert re.search(r"- \[x\] send Sam the panel questions .*✅ 2026-11-21", sam), sam
