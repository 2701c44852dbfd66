"""Generate a realistic synthetic vault for benchmarks.

    python benchmarks/generate.py /tmp/heavy --contacts 10000 --years 3 --other 20000
    python benchmarks/generate.py /tmp/dense --profile dense

Contacts have logs, exchanges, follow-ups and birthdays; daily notes mention
them; meeting notes have a ``date`` property; plenty of notes mention nobody.
The same arguments and seed always give the same vault.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

FIRST = ("Ana", "Ben", "Chloé", "Diego", "Elena", "Fatima", "Grace", "Hannah", "Ingrid", "José", "Kwame",
         "Leila", "Marcus", "Noor", "Oliver", "Priya", "Rafael", "Siobhán", "Tomás", "Zoë", "Mei", "Aiko")
LAST = ("Souza", "Lee", "Dubois", "Fernández", "Petrova", "Al-Sayed", "Park", "Schmidt", "Larsen", "Ramírez",
        "Mensah", "Farahani", "Johnson", "Haddad", "Grant", "Natarajan", "Oliveira", "Kelly", "Novák", "Martin")
CIRCLES = ("inner", "close", "network", "acquaintance", None, None)
KINDS = ("#call", "#coffee", "#meeting", "#email", "#message", "#event", "")
EXCHANGES = ("", "", "", "#gave", "#got", "#asked", "#thanked")
INDUSTRIES = ("software", "healthcare", "finance", "design", "education", "climate", "media", "law")
WORDS = ("launch", "hiring", "roadmap", "conference", "book", "pricing", "move", "team", "deck", "garden",
         "fundraising", "design review", "onboarding", "trip", "article", "podcast")


def name_for(index: int) -> str:
    return f"{FIRST[index % len(FIRST)]} {LAST[(index // len(FIRST)) % len(LAST)]} {index:05d}"


SKILLS = ("product", "design", "designer", "backend", "engineer", "fundraising", "advice", "legal", "tax",
          "hiring", "marketing", "data", "science", "mentor", "intro", "investor", "climbing", "chess", "writing",
          "grant", "pitch", "review", "sales", "growth", "ops", "security", "mobile", "apps", "research", "ux")


def phrase(rng: random.Random) -> str:
    return " ".join(rng.sample(SKILLS, rng.randint(2, 3)))


# The dense profile: a recruiter's or a founder's network, where everyone needs
# and offers a few of the same common things.
COMMON = ("a data engineer", "fundraising advice", "a product designer", "hiring help", "legal advice",
          "an intro to investors", "marketing help", "a mentor", "sales leads", "a backend engineer")


def common_phrases(rng: random.Random) -> list[str]:
    return rng.sample(COMMON, rng.randint(1, 3))


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9)))


def generate(root: Path, contacts: int, years: int, other: int, today: dt.date, seed: int = 1,
             profile: str = "default") -> None:
    rng = random.Random(seed)
    names = [name_for(i) for i in range(contacts)]
    (root / ".obsidian").mkdir(parents=True, exist_ok=True)
    (root / "People").mkdir(exist_ok=True)
    for index, name in enumerate(names):
        circle = rng.choice(CIRCLES)
        front = [f"circle: {circle}"] if circle else []
        front += [f"company: Company {rng.randint(1, 800)}", f"industry: {rng.choice(INDUSTRIES)}",
                  f"email: person{index}@example.com"]
        if rng.random() < 0.6:
            front.append(f"birthday: {rng.randint(1960, 2000)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
        if profile == "dense":  # everyone needs and offers a few common things
            front += ["needs:", *(f"  - {item}" for item in common_phrases(rng)),
                      "offers:", *(f"  - {item}" for item in common_phrases(rng)),
                      "interests:", f"  - {rng.choice(SKILLS)}"]
        elif rng.random() < 0.05:  # a few people say what they need and offer
            front += ["needs:", f"  - {phrase(rng)}", "offers:", f"  - {phrase(rng)}", "interests:", f"  - {phrase(rng)}"]
        log = []
        for _ in range(rng.randint(0, 12)):
            day = today - dt.timedelta(days=rng.randint(0, 365 * years))
            other_name = names[rng.randrange(contacts)]
            log.append((day, f"- {day.isoformat()} {rng.choice(KINDS)} {rng.choice(EXCHANGES)} "
                             f"{sentence(rng)} with [[{other_name}]]"))
        log.sort(reverse=True)
        tasks = []
        if rng.random() < 0.2:
            due = today + dt.timedelta(days=rng.randint(-30, 60))
            tasks.append(f"- [ ] {sentence(rng)} 📅 {due.isoformat()}")
        if rng.random() < 0.2:
            tasks.append(f"- [ ] {sentence(rng)}")
        body = "\n".join(["---", *front, "---", sentence(rng), "", "## Log", *(line for _, line in log), *tasks, ""])
        (root / "People" / f"{name}.md").write_text(body, encoding="utf-8")

    daily = root / "Daily"
    daily.mkdir(exist_ok=True)
    for offset in range(365 * years):
        day = today - dt.timedelta(days=offset)
        lines = [f"# {day.isoformat()}", ""]
        for _ in range(rng.randint(2, 10)):
            mention = f" with [[{names[rng.randrange(contacts)]}]]" if rng.random() < 0.6 else ""
            lines.append(f"- {sentence(rng)}{mention} {rng.choice(KINDS)} {rng.choice(EXCHANGES)}".rstrip())
        if rng.random() < 0.1:
            lines.append(f"- [ ] call [[{names[rng.randrange(contacts)]}]]")
        (daily / f"{day.isoformat()}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")

    meetings = root / "Meetings"
    meetings.mkdir(exist_ok=True)
    for index in range(max(1, other // 20)):
        day = today - dt.timedelta(days=rng.randint(0, 365 * years))
        people = ", ".join(f"[[{names[rng.randrange(contacts)]}]]" for _ in range(rng.randint(2, 5)))
        text = f"---\ndate: {day.isoformat()}\ntags: [meeting]\n---\nAttendees: {people}\n\n{sentence(rng)}\n"
        (meetings / f"Meeting {index:05d}.md").write_text(text, encoding="utf-8")

    notes = root / "Notes"
    for index in range(other - max(1, other // 20)):
        folder = notes / f"Topic {index % 50:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        paragraphs = "\n\n".join(sentence(rng) * rng.randint(1, 6) for _ in range(rng.randint(2, 12)))
        front = f"---\ntags: [topic{index % 50}]\ncreated: 2024-01-01\n---\n" if index % 3 else ""
        task = f"\n- [x] read it with [[{names[rng.randrange(contacts)]}]] ✅ 2026-01-0{1 + index % 9}\n" if index % 40 == 0 else ""
        (folder / f"Note {index:05d}.md").write_text(front + paragraphs + "\n" + task, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=Path)
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--other", type=int, default=20_000)
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date(2026, 11, 21))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", choices=("default", "dense"), default="default",
                        help="dense: every contact needs and offers a few common phrases")
    args = parser.parse_args()
    generate(args.root, args.contacts, args.years, args.other, args.today, args.seed, args.profile)


if __name__ == "__main__":
    main()
