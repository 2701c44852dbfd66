"""Imports from LinkedIn, vCard and Google Contacts: readers, matching, merging, the CLI.

The sample files under tests/data/ imitate real exports: LinkedIn's 2024+
Connections.csv with its Notes preamble and a 2019 one (BOM, CRLF, no URL
column); an iPhone vCard 3.0 (folded lines, quoted-printable, a PHOTO block,
a company card), a Google Contacts vCard 3.0, a vCard 4.0 file, a damaged one;
Google Contacts CSVs in the current and the legacy header format.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vaultnet.base.errors import Problem, VaultnetError
from vaultnet.cli.main import main
from vaultnet.edits.add import people_home
from vaultnet.files.config import load_config
from vaultnet.files.filenames import safe_filename
from vaultnet.importers import (
    Person,
    clean,
    dedupe,
    import_file,
    parse_birthday,
    plan_import,
    read_file,
)
from vaultnet.importers.linkedin import parse_connected
from vaultnet.importers.vcard import Card, properties
from vaultnet.pipeline.session import build_network

from conftest import TODAY, examples, write

DATA = Path(__file__).parent / "data"
LINKEDIN = DATA / "linkedin-connections.csv"
LINKEDIN_2019 = DATA / "linkedin-connections-2019.csv"
IPHONE = DATA / "iphone.vcf"
GOOGLE_VCF = DATA / "google-contacts.vcf"
VCARD4 = DATA / "contacts-v4.vcf"
DAMAGED = DATA / "damaged.vcf"
GOOGLE_CSV = DATA / "google-contacts.csv"
GOOGLE_LEGACY = DATA / "google-contacts-legacy.csv"


def people_by_name(kind: str, path: Path) -> tuple[dict[str, Person], list[str]]:
    parsed = read_file(kind, path)
    people: dict[str, Person] = {}
    for person in parsed.people:
        people.setdefault(person.name, person)
    return people, [str(problem) for problem in parsed.problems]


def run(vault: Path, *args: str):
    return CliRunner().invoke(main, ["--vault", str(vault), "--today", TODAY.isoformat(), *args])


def import_into(vault: Path, kind: str, path: Path, dry_run: bool = False):
    config = load_config(vault)
    contacts = [standing.contact for standing in build_network(config, TODAY).standings]
    return import_file(config, kind, path, contacts, dry_run=dry_run)


def snapshot(vault: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(path.relative_to(vault)): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(vault.rglob("*.md"))
    }


# ---------------------------------------------------------------- LinkedIn

def test_linkedin_finds_the_header_after_the_notes_preamble():
    people, problems = people_by_name("linkedin", LINKEDIN)
    ana = people["Ana Souza"]
    assert ana.line == 5
    assert ana.emails == ["ana.souza@example.com"]
    assert (ana.company, ana.role) == ("Acme Ltda", "Head of Platform Engineering")
    assert ana.linkedin == "https://www.linkedin.com/in/ana-souza-4b21a7"
    assert ana.met == "LinkedIn, connected 2025-12-07"
    assert people["Priya Raman"].company == "Globex, Inc."  # a quoted comma
    assert people["Zoë Martin"].role == "Researcher, Computational Biology"
    assert "Notes:" not in " ".join(people)


def test_linkedin_bad_rows_are_one_line_problems_and_the_rest_goes_on():
    people, problems = people_by_name("linkedin", LINKEDIN)
    assert problems == [
        f"{LINKEDIN}:10: no name (LinkedIn hides some members' names); skipped",
        f"{LINKEDIN}:11: Connected On '31 Sept 2020' is not a date; left out",
    ]
    assert people["Tom O'Brien"].met == "LinkedIn"  # kept, without the impossible date


def test_linkedin_older_export_without_preamble_or_url_column():
    people, problems = people_by_name("linkedin", LINKEDIN_2019)
    assert LINKEDIN_2019.read_bytes().startswith(b"\xef\xbb\xbf")
    assert problems == []
    assert list(people) == ["Lucas Bernard", "Grace Hopper-Smith", "Sam Lee"]
    lucas = people["Lucas Bernard"]
    assert (lucas.company, lucas.linkedin, lucas.met) == ("Dassault Systèmes", None, "LinkedIn, connected 2019-06-14")
    assert people["Grace Hopper-Smith"].company == "Navy Yard, LLC"


def test_linkedin_columns_are_taken_by_name_not_position(tmp_path):
    moved = tmp_path / "Connections.csv"
    moved.write_text("Connected On,Company,Last Name,First Name\n01 Jan 2026,Initech,Lee,Sam\n", encoding="utf-8")
    people, _ = people_by_name("linkedin", moved)
    assert people["Sam Lee"].company == "Initech"
    assert people["Sam Lee"].met == "LinkedIn, connected 2026-01-01"


def test_not_a_linkedin_file_is_a_clear_error():
    with pytest.raises(VaultnetError, match="no header row with 'First Name', 'Last Name' and 'Connected On'"):
        read_file("linkedin", GOOGLE_LEGACY)
    with pytest.raises(VaultnetError, match="is this LinkedIn's Connections.csv"):
        read_file("linkedin", GOOGLE_CSV)  # it has First Name and Last Name too


@pytest.mark.parametrize("text, expected", [
    ("07 Dec 2025", "2025-12-07"), ("7 Dec 2025", "2025-12-07"), ("07 December 2025", "2025-12-07"),
    ("2025-12-07", "2025-12-07"), ("12/7/25", "2025-12-07"), ("07-Dec-25", "2025-12-07"),
])
def test_connected_on_forms(text, expected):
    assert parse_connected(text).isoformat() == expected


@pytest.mark.parametrize("text", ["31 Sept 2020", "07 Dez 2025", "yesterday", "30 Feb 2024"])
def test_connected_on_rejects(text):
    with pytest.raises(ValueError, match="is not a date"):
        parse_connected(text)


# ---------------------------------------------------------------- vCard

def test_iphone_vcard_folded_lines_photo_and_apple_birthday():
    people, problems = people_by_name("vcard", IPHONE)
    ana = people["Ana Maria Souza"]
    assert ana.role == "Head of Platform Engineering and Developer Experience for Latin America"  # unfolded
    assert ana.emails == ["ana.souza@example.com", "ana@acme.example"]  # pref first
    assert ana.phones == ["+351 912 345 678", "+351 213 000 111"]  # every number, the mobile first
    assert ana.company == "Acme Ltda"
    assert ana.location == "Lisboa, Portugal"
    assert ana.linkedin == "http://www.linkedin.com/in/ana-souza-4b21a7"
    assert ana.birthday == "03-14"  # X-APPLE-OMIT-YEAR=1604: the year is unknown
    assert ana.aliases == ["Aninha"]
    # The card after the PHOTO block is read, and nothing of the photo leaked into a value.
    assert "Dr. Wei Chen" in people
    assert not any("/9j/" in str(value) or "pU3KGC" in str(value) for p in people.values() for value in vars(p).values())


def test_iphone_vcard_quoted_printable_is_decoded():
    people, _ = people_by_name("vcard", IPHONE)
    joao = people["João Conceição"]
    assert joao.company == "Padaria São João"
    assert joao.birthday == "1988-02-29"
    assert joao.card == 2


def test_iphone_vcard_company_card_and_impossible_birthday_are_problems():
    people, problems = people_by_name("vcard", IPHONE)
    assert "Blue Bottle Coffee" not in people
    assert f"{IPHONE}:49: card 3: 'Blue Bottle Coffee' is a company card, not a person; skipped" in problems
    assert f"{IPHONE}:58: card 4: impossible birthday '1979-11-31'; birthday left out" in problems
    assert people["Dr. Wei Chen"].birthday is None
    assert people["Dr. Wei Chen"].phone == "+1 (650) 555-0142"
    assert people["Dr. Wei Chen"].linkedin is None  # a homepage, not a LinkedIn profile


def test_google_vcard_escaped_url_and_address():
    people, problems = people_by_name("vcard", GOOGLE_VCF)
    assert problems == []
    priya = people["Priya Raman"]
    assert priya.linkedin == "https://www.linkedin.com/in/priya-raman-pm"  # Google writes https\://
    assert priya.company == "Globex, Inc."
    assert priya.location == "London, United Kingdom"
    assert priya.birthday == "1990-07-02"
    assert people["Kenji Watanabe"].birthday == "04-12"  # --04-12


def test_vcard_4():
    people, problems = people_by_name("vcard", VCARD4)
    assert problems == []
    lena = people["Lena Fischer"]
    assert lena.phone == "+49-151-2345-6789"  # tel: URI
    assert lena.emails[0] == "lena.fischer@example.de"  # PREF=1
    assert (lena.company, lena.role, lena.location) == ("Fischer & Partner", "Managing Partner", "Berlin, Germany")
    assert lena.birthday == "04-12"  # --0412
    assert lena.linkedin == "https://www.linkedin.com/in/lenafischer"
    assert lena.aliases == ["Leni"]
    assert people["Omar Haddad"].birthday == "1985-09-17"  # 19850917


def test_damaged_vcards_cost_only_what_is_damaged():
    parsed = read_file("vcard", DAMAGED)
    people = {person.name: person for person in parsed.people}
    # A line without a colon costs that line; a card with only an address is named by it.
    assert sorted(people) == ["Bad Birthday", "Broken Line", "Good After", "Good Before", "nameless@example.com"]
    assert people["Bad Birthday"].emails == ["bad.birthday@example.com"]
    assert people["nameless@example.com"].triage and not people["Good After"].triage
    joined = "\n".join(str(p) for p in parsed.problems)
    assert f"{DAMAGED}:16: card 4: impossible birthday '1990-13-45'; birthday left out" in joined
    assert parsed.incomplete and "ends inside card 6 (line 27)" in parsed.incomplete
    assert "Traceback" not in joined


def test_properties_join_soft_breaks_and_skip_binary_ones():
    lines = ["FN:X", "NOTE;ENCODING=QUOTED-PRINTABLE:one=", "two=", "three", "PHOTO;ENCODING=BASE64;JPEG:AAAA",
             "  BBBB", "", "LOGO;VALUE=uri:https://x.example/logo.png", "TITLE:Boss"]
    found = {prop.name: prop.text() for prop in properties(Card(1, 1, [(n, line.encode()) for n, line in enumerate(lines)]))}
    assert found == {"FN": "X", "NOTE": "onetwothree", "TITLE": "Boss"}


# ---------------------------------------------------------------- Google CSV

def test_google_csv_current_format():
    people, problems = people_by_name("google", GOOGLE_CSV)
    priya = people["Priya Raman"]
    assert priya.emails == ["priya.raman@gmail.example", "priya@globex.example", "priya.work@globex.example"]
    assert (priya.company, priya.role) == ("Globex, Inc.", "Senior Product Manager")
    assert priya.location == "London, United Kingdom"
    assert priya.linkedin == "https://www.linkedin.com/in/priya-raman-pm"
    assert priya.line == 2
    assert people["Kenji Watanabe"].birthday == "04-12"
    bob = people["Robert James Miller Jr."]
    assert bob.aliases == ["Bob"] and bob.phones == ["+1 212-555-0199", "+1 212-555-0100"]  # `:::` and Phone 2
    assert bob.location == "New York, USA"
    assert bob.line == 7  # Priya's row spans lines 2-5 (quoted line breaks)
    assert problems == [
        f"{GOOGLE_CSV}:8: no name and no email address (only Joe's Pizza); skipped",
        f"{GOOGLE_CSV}:9: impossible birthday '1985-02-30'; birthday left out",
    ]
    assert people["Nadia Petrova"].birthday is None


def test_google_csv_legacy_format():
    people, problems = people_by_name("google", GOOGLE_LEGACY)
    lucas = people["Lucas Bernard"]
    assert (lucas.company, lucas.role, lucas.location) == ("Dassault Systèmes", "Solutions Architect", "Paris, France")
    assert lucas.linkedin == "http://www.linkedin.com/in/lucasbernard"
    assert lucas.birthday == "1982-05-09"
    emma = people["Emma Johansson"]
    assert emma.emails == ["emma.j@example.se", "emma@work.example.se"]
    assert emma.location == "Stockholm" and emma.aliases == ["Em"] and emma.birthday == "11-03"
    assert problems == []
    unknown = people["unknown.sender@example.com"]  # only an address: named by it, tagged for triage
    assert unknown.triage and unknown.values()["tags"] == ["triage"]


def test_google_csv_in_utf16_and_cp1252(tmp_path):
    text = GOOGLE_LEGACY.read_text(encoding="utf-8")
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes(text.encode("utf-16"))
    legacy = tmp_path / "cp1252.csv"
    legacy.write_bytes(text.encode("cp1252"))
    for path in (utf16, legacy):
        people, _ = people_by_name("google", path)
        assert people["Lucas Bernard"].company == "Dassault Systèmes"


def test_not_a_google_csv_is_a_clear_error(tmp_path):
    other = tmp_path / "x.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(VaultnetError, match="is this a Google Contacts CSV"):
        read_file("google", other)


@pytest.mark.parametrize("text, omit, expected", [
    ("1985-03-14", None, "1985-03-14"), ("19850314", None, "1985-03-14"), ("--0314", None, "03-14"),
    ("--03-14", None, "03-14"), ("1604-03-14", 1604, "03-14"), ("1985-03-14T00:00:00Z", None, "1985-03-14"),
    ("0000-03-14", None, "03-14"), ("--02-29", None, "02-29"),
])
def test_birthday_forms(text, omit, expected):
    assert parse_birthday(text, omit) == expected


@pytest.mark.parametrize("text", ["1985-02-29", "--02-30", "1990-13-01", "circa 1800"])
def test_birthday_rejects(text):
    with pytest.raises(ValueError):
        parse_birthday(text)


# ---------------------------------------------------------------- matching, merging, writing

def test_import_creates_untracked_notes_with_only_known_keys(vault):
    plan, outcome, problems = import_into(vault, "linkedin", LINKEDIN)
    assert outcome is not None
    assert (outcome.created, outcome.updated, outcome.unchanged) == (6, 0, 0)
    text = (vault / "People/Ana Souza.md").read_text(encoding="utf-8")
    assert text.startswith(
        "---\ncompany: Acme Ltda\nrole: Head of Platform Engineering\nemail: ana.souza@example.com\n"
        "linkedin: https://www.linkedin.com/in/ana-souza-4b21a7\nmet: LinkedIn, connected 2025-12-07\n---\n")
    network = build_network(load_config(vault), TODAY)
    assert {s.name: s.status for s in network.standings} == dict.fromkeys(
        ["Ana Souza", "Kenji Watanabe", "María López Keynote Speaker", "Priya Raman", "Tom O'Brien", "Zoë Martin"],
        "untracked")
    assert network.problems == []


def test_duplicates_inside_one_file_are_merged():
    first = Person("Ana Souza", "f", 1, emails=["ana@x.example"])
    second = Person("ana souza", "f", 2, phones=["+1 555"], company="Acme")
    by_email = Person("Ana S.", "f", 3, emails=["ANA@x.example"], role="CTO")
    merged, problems = dedupe([first, second, by_email])
    assert problems == []
    assert len(merged) == 1
    assert (merged[0].phone, merged[0].company, merged[0].role) == ("+1 555", "Acme", "CTO")
    assert merged[0].aliases == ["Ana S."]


def test_namesakes_with_different_profiles_are_not_merged():
    one = Person("John Smith", "f", 1, linkedin="https://www.linkedin.com/in/jsmith1")
    two = Person("John Smith", "f", 9, linkedin="https://www.linkedin.com/in/jsmith2")
    merged, problems = dedupe([one, two])
    assert merged == [one]
    assert str(problems[0]).startswith("f:9: another 'John Smith' (line 1) has a different LinkedIn profile")


def test_reimport_creates_nothing_and_changes_no_byte(vault):
    for kind, path in (("linkedin", LINKEDIN), ("vcard", IPHONE), ("google", GOOGLE_CSV)):
        import_into(vault, kind, path)
    before = snapshot(vault)
    for kind, path in (("linkedin", LINKEDIN), ("vcard", IPHONE), ("google", GOOGLE_CSV)):
        _, outcome, _ = import_into(vault, kind, path)
        assert outcome is not None and (outcome.created, outcome.updated) == (0, 0), kind
    assert snapshot(vault) == before


def test_merge_adds_only_missing_keys_and_keeps_every_other_byte(vault):
    original = (
        b"\xef\xbb\xbf---\r\n"
        b"circle: close    # we go back\r\n"
        b"aliases: [Ana]\r\n"
        b"company: \"Acme\"\r\n"
        b"email:\r\n"
        b"---\r\n"
        b"## Log\r\n"
        b"- 2026-10-01 #coffee catch-up\r\n"
    )
    write(vault, "People/Ana Souza.md", original)
    _, outcome, _ = import_into(vault, "linkedin", LINKEDIN)
    assert outcome is not None and outcome.updated == 1
    data = (vault / "People/Ana Souza.md").read_bytes()
    head, tail = original.split(b"---\r\n## Log")
    assert data == head + (
        b"role: Head of Platform Engineering\r\n"
        b"linkedin: https://www.linkedin.com/in/ana-souza-4b21a7\r\n"
        b"met: LinkedIn, connected 2025-12-07\r\n"
    ) + b"---\r\n## Log" + tail  # the empty email: is the user's choice: not filled
    network = build_network(load_config(vault), TODAY)
    assert network.by_path("People/Ana Souza.md").contact.circle == "close"


def test_matching_by_alias_and_by_email(vault):
    write(vault, "People/Kenji.md", "---\naliases: [Kenji Watanabe]\n---\n")
    write(vault, "People/Priya R.md", "---\ncircle: network\nemail: PRIYA.RAMAN@gmail.example\n---\nNotes.\n")
    plan, outcome, _ = import_into(vault, "vcard", GOOGLE_VCF)
    assert outcome is not None
    assert {c.rel: c.action for c in plan.changes} == {
        "People/Kenji.md": "update", "People/Priya R.md": "update", "People/Ana Souza.md": "create"}
    assert not (vault / "People/Kenji Watanabe.md").exists()
    priya = (vault / "People/Priya R.md").read_text(encoding="utf-8")
    # Found by email: the imported name becomes an alias, so [[Priya Raman]] and the next import find her.
    assert priya.startswith("---\ncircle: network\nemail: PRIYA.RAMAN@gmail.example\naliases:\n  - Priya Raman\n")
    assert priya.endswith("---\nNotes.\n")
    kenji = (vault / "People/Kenji.md").read_text(encoding="utf-8")
    assert kenji.startswith("---\naliases: [Kenji Watanabe]\ncompany: Sakura Systems\nemail: kenji@sakura.example.jp\n")
    assert kenji.count("aliases") == 1


def test_matching_by_linkedin_profile(vault):
    write(vault, "People/Ana.md", "---\nlinkedin: https://linkedin.com/in/Ana-Souza-4b21a7/\n---\n")
    plan, _, _ = import_into(vault, "vcard", IPHONE)
    assert [c.action for c in plan.changes if c.rel == "People/Ana.md"] == ["update"]
    assert not (vault / "People/Ana Maria Souza.md").exists()
    assert "aliases:\n  - Ana Maria Souza\n  - Aninha\n" in (vault / "People/Ana.md").read_text(encoding="utf-8")


def test_accent_insensitive_match_and_ambiguous_match(vault):
    write(vault, "People/Zoe Martin.md", "---\ncircle: inner\n---\n")
    write(vault, "Work/Tom O'Brien.md", "---\ntype: person\n---\n")
    write(vault, "Friends/Tom O'Brien.md", "---\ntype: person\n---\n")
    plan, outcome, problems = import_into(vault, "linkedin", LINKEDIN)
    assert any(c.rel == "People/Zoe Martin.md" and c.action == "update" for c in plan.changes)
    assert not (vault / "People/Zoë Martin.md").exists()
    assert any("matches several contacts by name (Friends/Tom O'Brien.md, Work/Tom O'Brien.md); skipped" in str(p)
               for p in problems)
    assert not (vault / "People/Tom O'Brien.md").exists()


def test_unsafe_names_get_safe_file_names_and_keep_their_name_as_alias(vault, tmp_path):
    source = tmp_path / "Connections.csv"
    source.write_text(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "AC/DC,Fan #1,,,,,01 Jan 2026\n"
        "..,Hidden,,,,,01 Jan 2026\n"
        "CON,,,,,,01 Jan 2026\n"
        "##,,,,,,01 Jan 2026\n",
        encoding="utf-8")
    _, outcome, problems = import_into(vault, "linkedin", source)
    assert outcome is not None and outcome.created == 3
    assert sorted(p.name for p in (vault / "People").iterdir()) == ["AC DC Fan 1.md", "CON (contact).md", "Hidden.md"]
    assert "  - 'AC/DC Fan #1'\n" in (vault / "People/AC DC Fan 1.md").read_text(encoding="utf-8")
    assert [str(p) for p in problems] == [f"{source}:5: '##' cannot be a file name; skipped"]
    _, again, _ = import_into(vault, "linkedin", source)
    assert again is not None and (again.created, again.unchanged) == (0, 3)


def test_two_new_people_on_one_file_name(vault, tmp_path):
    # The next import would find 'Ana B C' in People/Ana B C.md by name: so this one puts them there already.
    source = tmp_path / "Connections.csv"
    source.write_text("First Name,Last Name,Company,Connected On\nAna,B/C,,\nAna,B C,Acme,\nAna,B:C,Initech,\n",
                      encoding="utf-8")
    _, outcome, problems = import_into(vault, "linkedin", source)
    assert outcome is not None and outcome.created == 1
    assert [str(p) for p in problems] == [f"{source}:4: 'Ana B:C' would be People/Ana B C.md, like 'Ana B/C'; skipped"]
    text = (vault / "People/Ana B C.md").read_text(encoding="utf-8")
    assert text.startswith("---\naliases:\n  - Ana B/C\n  - Ana B C\ncompany: Acme\nmet: LinkedIn\n---\n")
    before = snapshot(vault)
    _, again, problems = import_into(vault, "linkedin", source)
    assert again is not None and (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert [str(p) for p in problems] == [f"{source}:4: People/Ana B C.md already exists; skipped"]
    assert snapshot(vault) == before


def test_a_new_note_the_next_import_would_take_for_someone_else_is_not_created(vault, tmp_path):
    # Found by the property tests: 'Ana' is B C.md (by email); 'Ana :' would create Ana.md, and the next
    # import would then take 'Ana' for Ana.md (a name beats an email) and write her email there.
    write(vault, "People/B C.md", "---\nemail: ANA@x.example\n---\n")
    source = tmp_path / "Connections.csv"
    source.write_text("First Name,Last Name,Email Address,Connected On\nAna,,ana@x.example,\nAna,:,,\n",
                      encoding="utf-8")
    _, outcome, problems = import_into(vault, "linkedin", source)
    assert outcome is not None and (outcome.created, outcome.updated) == (0, 1)
    assert [str(p) for p in problems] == [(
        f"{source}:3: 'Ana :' would be People/Ana.md, which the next import would take for 'Ana' (line 2); "
        "skipped: add them by hand")]
    before = snapshot(vault)
    _, again, _ = import_into(vault, "linkedin", source)
    assert again is not None and (again.created, again.updated) == (0, 0)
    assert snapshot(vault) == before


def test_aliases_that_would_draw_someone_else_into_a_note_are_not_added(vault, tmp_path):
    # Ann Smith is Ann.md (by email); her nickname Bobby as an alias there would make the next import
    # take Bobby (X.md, by email; X has aliases of its own, so Bobby is not added there) for Ann.md,
    # since an alias beats an email.
    write(vault, "People/Ann.md", "---\nemail: ann@x.example\n---\n")
    write(vault, "People/X.md", "---\nemail: bobby@y.example\naliases: [Rob]\n---\n")
    source = tmp_path / "contacts.csv"
    source.write_text("First Name,Last Name,E-mail 1 - Value,Nickname,Organization Name\n"
                      "Ann,Smith,ann@x.example,Bobby,Acme\nBobby,,bobby@y.example,,Initech\n", encoding="utf-8")
    _, outcome, _ = import_into(vault, "google", source)
    assert outcome is not None and outcome.updated == 2
    assert (vault / "People/Ann.md").read_text(encoding="utf-8") == "---\nemail: ann@x.example\ncompany: Acme\n---\n"
    before = snapshot(vault)
    _, again, _ = import_into(vault, "google", source)
    assert again is not None and (again.created, again.updated) == (0, 0)
    assert snapshot(vault) == before


def test_front_matter_that_cannot_take_new_lines_is_a_problem(vault, tmp_path):
    write(vault, "People/Sam Lee.md", "---\n  circle: close\n---\n")
    source = tmp_path / "c.csv"
    source.write_text("First Name,Last Name,Company,Connected On\nSam,Lee,Initech,\n", encoding="utf-8")
    before = snapshot(vault)
    _, outcome, problems = import_into(vault, "linkedin", source)
    assert outcome is not None and (outcome.updated, outcome.unchanged) == (0, 1)
    assert [str(p) for p in problems] == [(
        f"{source}:2: People/Sam Lee.md: its front matter cannot take new lines at its end (a flow-style or indented "
        "mapping, or a '...' line); nothing added")]
    assert snapshot(vault) == before


def test_a_file_that_is_not_a_contact_blocks_a_case_insensitive_clash(vault, tmp_path):
    write(vault, "vaultnet.toml", 'ignore = ["People/archive*"]\n')
    write(vault, "People/archive of sam lee.md", "an ignored note, so not a contact\n")
    source = tmp_path / "c.csv"
    source.write_text("First Name,Last Name,Connected On\nARCHIVE OF SAM,LEE,\n", encoding="utf-8")
    _, outcome, problems = import_into(vault, "linkedin", source)
    assert outcome is not None and outcome.created == 0
    assert [str(p) for p in problems] == [f"{source}:2: People/archive of sam lee.md already exists; skipped"]


def test_dry_run_writes_nothing(vault):
    write(vault, "People/Ana Souza.md", "---\ncompany: Acme\n---\n")
    before = snapshot(vault)
    plan, outcome, _ = import_into(vault, "linkedin", LINKEDIN, dry_run=True)
    assert outcome is None
    assert plan.count("create") == 5 and plan.count("update") == 1
    assert snapshot(vault) == before


def test_renamed_front_matter_keys_are_respected(vault, tmp_path):
    write(vault, "vaultnet.toml", '[fields]\nemail = "e-mail"\ncompany = "org"\n')
    write(vault, "People/Sam Lee.md", "---\norg: Initech\n---\n")
    source = tmp_path / "c.csv"
    source.write_text("First Name,Last Name,Email Address,Company,Connected On\nSam,Lee,sam@x.example,Other Co,\n",
                      encoding="utf-8")
    plan, _, _ = import_into(vault, "linkedin", source)
    assert plan.changes[0].keys == ["e-mail", "met"]
    assert (vault / "People/Sam Lee.md").read_text(encoding="utf-8") == (
        "---\norg: Initech\ne-mail: sam@x.example\nmet: LinkedIn\n---\n")


def test_unreadable_front_matter_is_left_alone(vault):
    write(vault, "People/Ana Souza.md", "---\ncompany: [oops\n---\n")
    before = snapshot(vault)
    _, outcome, problems = import_into(vault, "linkedin", LINKEDIN)
    assert any("People/Ana Souza.md: front matter cannot be read; nothing added" in str(p) for p in problems)
    assert snapshot(vault)["People/Ana Souza.md"] == before["People/Ana Souza.md"]


def test_a_note_edited_during_the_import_is_not_overwritten(vault, monkeypatch):
    import vaultnet.importers as importers

    write(vault, "People/Ana Souza.md", "---\ncompany: Acme\n---\n")
    config = load_config(vault)
    contacts = [s.contact for s in build_network(config, TODAY).standings]
    plan = plan_import(config, read_file("linkedin", LINKEDIN).people, contacts)
    import vaultnet.files.writes as writes

    real_write = writes.safe_write
    calls = []

    def edit_first(root, rel, data, expected):
        if rel == "People/Ana Souza.md" and not calls:
            calls.append(rel)
            (vault / rel).write_text("---\ncompany: Acme\nrole: Boss\n---\nedited\n", encoding="utf-8")
        return real_write(root, rel, data, expected)

    monkeypatch.setattr(writes, "safe_write", edit_first)
    outcome = importers.apply_import(config, plan)
    text = (vault / "People/Ana Souza.md").read_text(encoding="utf-8")
    assert text.startswith("---\ncompany: Acme\nrole: Boss\nemail: ana.souza@example.com\n")
    assert text.endswith("---\nedited\n")  # the edit survived; the retry added what was still missing
    assert outcome.updated == 1


def test_sources_merge_into_one_note(vault):
    import_into(vault, "linkedin", LINKEDIN)
    _, outcome, _ = import_into(vault, "vcard", GOOGLE_VCF)
    assert outcome is not None and (outcome.created, outcome.updated) == (0, 3)
    text = (vault / "People/Priya Raman.md").read_text(encoding="utf-8")
    assert "company: Globex, Inc.\n" in text and "location: London, United Kingdom\n" in text
    assert "birthday: 1990-07-02\n" in text and "phone: +44 7700 900123\n" in text
    assert text.count("company:") == 1
    network = build_network(load_config(vault), TODAY)
    priya = network.by_path("People/Priya Raman.md")
    assert priya.contact.birthday is not None and priya.next_birthday.isoformat() == "2027-07-02"


# ---------------------------------------------------------------- the command line

def test_cli_dry_run_lists_what_would_change(vault):
    write(vault, "People/Ana Souza.md", "---\ncompany: Acme\n---\n")
    before = snapshot(vault)
    result = run(vault, "import", "linkedin", str(LINKEDIN), "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "add role, email, linkedin, met to People/Ana Souza.md",
        "create People/Kenji Watanabe.md",
        "create People/Priya Raman.md",
        "create People/Zoë Martin.md",
        "create People/María López Keynote Speaker.md",
        "create People/Tom O'Brien.md",
        "news: People/Ana Souza.md: company is now 'Acme Ltda' (the note says 'Acme': kept; --update-changed rewrites it)",
        "would create 5, update 1, unchanged 0 (dry run: nothing written)",
    ]
    assert result.stderr.splitlines() == [
        f"{LINKEDIN}:10: no name (LinkedIn hides some members' names); skipped",
        f"{LINKEDIN}:11: Connected On '31 Sept 2020' is not a date; left out",
    ]
    assert snapshot(vault) == before


def test_cli_import_then_reimport(vault):
    result = run(vault, "import", "vcard", str(IPHONE))
    assert result.exit_code == 0, result.output
    assert result.stdout == "created 3, updated 0, unchanged 0\n"
    assert len(result.stderr.splitlines()) == 2
    again = run(vault, "import", "vcard", str(IPHONE))
    assert again.stdout == "created 0, updated 0, unchanged 3\n"
    google = run(vault, "import", "google", str(GOOGLE_CSV))
    assert google.exit_code == 0
    assert google.stdout == "created 4, updated 0, unchanged 0\n"


def test_cli_quiet_prints_only_problems(vault):
    result = run(vault, "-q", "import", "google", str(GOOGLE_CSV))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.startswith(f"{GOOGLE_CSV}:8: no name and no email address (only Joe's Pizza); skipped\n")


def test_cli_errors_are_messages_not_tracebacks(vault, tmp_path):
    wrong = run(vault, "import", "linkedin", str(GOOGLE_CSV))
    assert wrong.exit_code == 1
    assert "Error:" in wrong.output and "Traceback" not in wrong.output
    missing = run(vault, "import", "vcard", str(tmp_path / "nope.vcf"))
    assert missing.exit_code == 2
    binary = tmp_path / "photo.vcf"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = run(vault, "import", "vcard", str(binary))
    assert result.exit_code == 1 and "binary file" in result.output


def test_cli_import_works_with_a_copied_file_name_with_spaces(vault, tmp_path):
    copy = tmp_path / "My Contacts (export).vcf"
    shutil.copy(VCARD4, copy)
    result = run(vault, "import", "vcard", str(copy))
    assert result.exit_code == 0
    assert sorted(os.listdir(vault / "People")) == ["Lena Fischer.md", "Omar Haddad.md"]
    assert "aliases:\n  - Leni\n" in (vault / "People/Lena Fischer.md").read_text(encoding="utf-8")


def test_a_broken_vault_template_stops_the_import_with_one_error(vault):
    write(vault, ".vaultnet/templates/person.md", "---\n{% for x in %}\n---\n")
    result = run(vault, "import", "linkedin", str(LINKEDIN))
    assert result.exit_code == 1
    assert result.output.count("Error:") == 1 and "person.md" in result.output
    assert not (vault / "People").exists()


def test_an_unwritable_note_is_a_problem_and_the_rest_goes_on(vault, monkeypatch):
    import vaultnet.importers.applying as applying

    real_write = applying.safe_write

    def refuse_kenji(root, rel, data, expected):
        if rel == "People/Kenji Watanabe.md":
            raise PermissionError(13, "Permission denied")
        return real_write(root, rel, data, expected)

    monkeypatch.setattr(applying, "safe_write", refuse_kenji)
    result = run(vault, "import", "linkedin", str(LINKEDIN))
    assert result.exit_code == 0
    assert f"{LINKEDIN}:6: cannot write People/Kenji Watanabe.md: Permission denied; skipped" in result.stderr
    assert result.stdout == "created 5, updated 0, unchanged 0\n"


# ---------------------------------------------------------------- property-based: any file, any vault

FAST = settings(max_examples=examples(100), suppress_health_check=[HealthCheck.too_slow])
SAMPLES = {"linkedin": [LINKEDIN, LINKEDIN_2019], "vcard": [IPHONE, GOOGLE_VCF, VCARD4, DAMAGED],
           "google": [GOOGLE_CSV, GOOGLE_LEGACY]}
ALL_SAMPLES = [path.read_bytes() for paths in SAMPLES.values() for path in paths]
# How a reader says "this is not such a file" (the only errors it may raise): anything else is a result or a problem.
WRONG_KIND = re.compile(
    r"a binary file, not a text export$|no header row with 'First Name', 'Last Name' and 'Connected On'; "
    r"is this LinkedIn's Connections.csv\?$|no 'First Name' or 'Name' column in the first row; "
    r"is this a Google Contacts CSV\?$|no BEGIN:VCARD ... END:VCARD: not a vCard file$")
INTERNALS = re.compile(r"invalid literal|Exceeds the limit|has no attribute|NoneType|object is not|index out of range|"
                       r"Traceback")
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
ODD = st.sampled_from(["\x00", "\xff", "\r", "\n", "\r\n", '"', ",", ";", ":", "=", "\\", ":::", "@", " ", "\t",
                       "\u2028", "\x85", "\ufeff", "é", "🙂", "x" * 5000, "9" * 5000, "BEGIN:VCARD", "END:VCARD"])


def read_bytes_as(kind: str, data: bytes, name: str = "export"):
    """Read ``data`` as a file of ``kind``: a Parsed, checked; or None for a documented wrong-kind error."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            parsed = read_file(kind, path)
        except VaultnetError as err:
            assert WRONG_KIND.search(str(err)) and str(err).startswith(f"{path}:"), str(err)
            return None
        lines = len(re.split(rb"\r\n|\r|\n", data)) + 1  # (UTF-16 files have fewer: fine)
        for person in parsed.people:
            assert person.name and clean(person.name) == person.name, person.name
            assert person.file == str(path) and (person.line is None or 1 <= person.line <= lines)
            for value in (*person.phones, person.company, person.role, person.location, person.linkedin, person.met,
                          *person.aliases):
                assert value is None or clean(value) == value, value
            assert all("@" in email and email.split() == [email] for email in person.emails)
            assert len({email.casefold() for email in person.emails}) == len(person.emails)
            if person.birthday:
                assert re.fullmatch(r"\d{4}-\d{2}-\d{2}|\d{2}-\d{2}", person.birthday), person.birthday
                parse_birthday(person.birthday)  # a real date
        for problem in parsed.problems:
            assert isinstance(problem, Problem) and problem.path == str(path)
            assert not INTERNALS.search(problem.message), problem.message  # a clear message, not Python's
            assert len(str(problem).splitlines()) == 1 and str(problem).isprintable(), str(problem)
            assert problem.line is None or 1 <= problem.line <= lines
        return parsed


@st.composite
def mutated(draw, samples=ALL_SAMPLES):
    """A real export, cut short, with bytes flipped, dropped or inserted, lines doubled or a huge line added."""
    data = bytearray(draw(st.sampled_from(samples)))
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(data)))
        what = draw(st.sampled_from(["cut", "drop", "insert", "odd", "flip", "line"]))
        if what == "cut":
            del data[at:]
        elif what == "drop":
            del data[at:at + draw(st.integers(1, 40))]
        elif what == "insert":
            data[at:at] = draw(st.binary(max_size=8))
        elif what == "odd":
            data[at:at] = draw(ODD).encode("utf-8", "surrogatepass")
        elif what == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif what == "line":
            start = data.rfind(b"\n", 0, at) + 1
            end = data.find(b"\n", at)
            end = len(data) if end < 0 else end + 1
            data[start:start] = data[start:end] * draw(st.integers(1, 3))
    data = bytes(data)
    encoding = draw(st.sampled_from(["as is", "as is", "as is", "utf-16", "cp1252"]))
    if encoding != "as is":
        with contextlib.suppress(UnicodeDecodeError, UnicodeEncodeError):
            data = data.decode("utf-8").encode(encoding)
        if encoding == "utf-16" and draw(st.booleans()):
            data = data[: draw(st.integers(0, len(data)))]  # a UTF-16 file cut mid-character
    return data


def csv_cell(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if re.search(r'[",\r\n]', text) or not text else text


@st.composite
def csv_files(draw):
    """CSVs with random columns (real ones among them), cells with quotes, commas and line breaks, ragged rows."""
    columns = draw(st.lists(st.one_of(st.sampled_from(
        ["First Name", "Last Name", "Connected On", "Name", "Given Name", "Family Name", "Email Address", "URL",
         "Company", "Position", "E-mail 1 - Value", "E-mail 2 - Value", "Phone 1 - Value", "Birthday", "Nickname",
         "Organization Name", "Organization 1 - Name", "Address 1 - City", "Address 1 - Country", "File As",
         "Website 1 - Value", "Middle Name", "Name Suffix", "e-mail 99999999999999999999999999 - value",
         "E-mail " + "9" * 5000 + " - Value", "Location", " first name "]), TEXT), min_size=1, max_size=9))
    cell = st.one_of(TEXT, ODD, st.sampled_from(
        ["Ana", "Souza", "07 Dec 2025", "12/7/25", "31 Sept 2020", "1985-02-30", "--02-29", "0000-03-14",
         "a@b.example ::: A@B.example", "https://www.linkedin.com/in/x", "٠٧ Dec ٢٠٢٥", "", "  "]))
    rows = draw(st.lists(st.lists(cell, max_size=len(columns) + 2), max_size=6))
    preamble = draw(st.sampled_from(["", "Notes:\n\"a note, with a comma\"\n\n", '"unclosed\n']))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = preamble + newline.join(",".join(map(csv_cell, row)) for row in [columns, *rows])
    if draw(st.booleans()):
        text = text.replace('""', '"', 1)  # a broken quote
    return text.encode("utf-8", "surrogatepass")


VCARD_LINE = st.one_of(
    st.sampled_from([
        "VERSION:3.0", "VERSION:2.1", "VERSION:4.0", "FN:Ana Souza", "FN:", "N:Souza;Ana;;;", "N:;;;;", "N:a",
        "EMAIL;TYPE=INTERNET:ana@x.example", "EMAIL:mailto:A@X.example", "TEL;TYPE=CELL:+1 555", "TEL:tel:+1",
        "ORG:Acme;Dept", "ORG:", "TITLE:CTO", "ADR;TYPE=HOME:;;street;City;;;Country", "ADR:;;;",
        "BDAY:1985-03-14", "BDAY:--0314", "BDAY:1979-11-31", "BDAY;X-APPLE-OMIT-YEAR=1604:1604-03-14",
        "BDAY;X-APPLE-OMIT-YEAR=²:1604-03-14", "BDAY;X-APPLE-OMIT-YEAR=" + "9" * 5000 + ":1604-03-14",
        "NICKNAME:Ani", "URL:https\\://www.linkedin.com/in/ana", "X-SOCIALPROFILE;TYPE=linkedin;X-USER=ana:x",
        "X-ABShowAs:COMPANY", "PHOTO;ENCODING=b;TYPE=JPEG:AAAA", " BBBB", "", "NOTE;ENCODING=QUOTED-PRINTABLE:a=",
        "b=", "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Jo=C3=A3o", "FN;CHARSET=bogus;ENCODING=QUOTED-PRINTABLE:x",
        "FN;ENCODING=QUOTED-PRINTABLE:=FF=FE", "item1.EMAIL:b@y.example", "no colon", "BEGIN:VCARD", "END:VCARD",
        "BEGIN:VEVENT", "END:VEVENT", "FN;ENCODING=b:" + "A" * 3, "KEY;ENCODING=b:%%%", "X-" + "x" * 5000 + ":y",
        "FN:" + "z" * 5000, "FN:a\\nb", "FN:\\", "FN:a\\,b\\;c", ";:", ":", "FN;TYPE=\"a:b\":x",
    ]),
    st.builds("{}:{}".format, st.sampled_from(["FN", "N", "EMAIL", "TEL", "ORG", "BDAY", "ADR", "NICKNAME", "URL"]),
              TEXT),
    TEXT,
)


@st.composite
def vcard_files(draw):
    """Cards of random property lines; some without END (or BEGIN), nested, folded, with odd line breaks."""
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        parts.append("BEGIN:VCARD")
        parts += draw(st.lists(VCARD_LINE, max_size=8))
        if draw(st.integers(0, 4)):
            parts.append(draw(st.sampled_from(["END:VCARD", "end:vcard", " END:VCARD "])))
    newline = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    return newline.join(parts).encode("utf-8", "surrogatepass")


@FAST
@given(st.sampled_from(list(SAMPLES)), st.binary(max_size=400))
def test_readers_never_raise_on_random_bytes(kind, data):
    read_bytes_as(kind, data)


@FAST
@given(st.sampled_from(list(SAMPLES)), st.text(max_size=300))
def test_readers_never_raise_on_random_text(kind, text):
    read_bytes_as(kind, text.encode("utf-8", "surrogatepass"))


@FAST
@given(st.sampled_from(list(SAMPLES)), mutated())
def test_readers_never_raise_on_damaged_real_exports(kind, data):
    read_bytes_as(kind, data)


@FAST
@given(st.sampled_from(["linkedin", "google"]), csv_files())
def test_csv_readers_never_raise_on_random_csv(kind, data):
    read_bytes_as(kind, data)


@FAST
@given(vcard_files())
def test_vcard_reader_never_raises_on_random_cards(data):
    parsed = read_bytes_as("vcard", data)
    # Lines end at LF (a lone CR inside a value ends nothing), or at CR in a file without LF (classic Mac OS).
    lines = re.split(rb"\r*\n", data) if b"\n" in data else data.split(b"\r")
    cards = [line.strip().upper() for line in lines].count(b"BEGIN:VCARD")
    if parsed is None:  # binary, or text with no card at all
        assert b"\x00" in data or cards == 0
        return
    assert len(parsed.people) + len(parsed.problems) >= cards  # every card is a person or a problem


@pytest.mark.parametrize("kind, path", [(kind, path) for kind, paths in SAMPLES.items() for path in paths])
def test_every_truncation_of_a_real_export_is_read(kind, path):
    data = path.read_bytes()
    for size in range(0, len(data), max(1, len(data) // 50)):
        read_bytes_as(kind, data[:size])
    utf16 = path.read_text(encoding="utf-8").encode("utf-16")
    for size in range(1, len(utf16), max(1, len(utf16) // 15)):  # odd sizes too: cut mid-character
        read_bytes_as(kind, utf16[:size])


# ---------------------------------------------------------------- the whole import, on generated vaults

MEETING = st.sampled_from(["", "Ana", "ANA", "B/C", "B C", "B:C", ":", "/", "Zoe", "Zoë", "Zoe\u0308"])  # names that meet
NAME = st.one_of(
    MEETING, MEETING, MEETING,
    st.sampled_from(["Souza", "O'Brien", "AC/DC", "#1", "..", "CON", "[[x]]", "a:b", "José", "Lee", "null", "yes",
                     "2026-01-01", "-", "?", "|", "x" * 150, "Dr.", "ß", "SS", "İ", "a\tb", "日本", "e\u0301", "é",
                     "  ", "%%", "^vn-x", "Ana Souza", "AC DC", "x", "a b"]),
    TEXT.map(lambda text: text.replace("\x00", "")),
)
EMAIL = st.sampled_from(["", "", "ana@x.example", "ANA@X.example", "bob@y.example", "not an email", "a@b.example, c@d.example"])
EXISTING = st.sampled_from([
    b"", b"---\nemail: ANA@x.example\n---\n", b"---\naliases: [Ana Souza]\ncircle: close\n---\nbody\n",
    b"---\ncompany: [oops\n---\n", b"---\n  indented: 1\n---\n", b"no front matter\n", b"---\n{a: 1}\n---\n",
    b"\xef\xbb\xbf---\r\nemail:\r\n---\r\n## Log\r\n", b"---\nlinkedin: https://www.linkedin.com/in/x\n---\n",
    b"---\na: 1\n...\n---\n", b"---\nrole: !!int ''\n---\n", b"---\nemail: bob@y.example\naliases: Bob\n---\n",
    b"---\naliases: [Ana, Zoe]\n---\n", b"---\nemail: ana@x.example\nlinkedin: https://www.linkedin.com/in/b-c\n---\n",
])


def vcard_value(text: str) -> str:
    return " ".join(text.split()).replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")


def export(kind: str, people: list[tuple[str, str, str, str, str]]) -> bytes:
    """An export file of ``kind`` listing ``people`` as (first name, last name, email, company, nickname)."""
    if kind == "linkedin":
        rows = [["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]]
        rows += [[first, last, "", email, company, "", "01 Jan 2026"] for first, last, email, company, _ in people]
    elif kind == "google":
        rows = [["First Name", "Last Name", "E-mail 1 - Value", "Organization Name", "Nickname"]]
        rows += [list(person) for person in people]
    else:
        cards = [f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{vcard_value(first + ' ' + last)}\r\nN:{vcard_value(last)};"
                 f"{vcard_value(first)};;;\r\nEMAIL:{vcard_value(email)}\r\nORG:{vcard_value(company)}\r\n"
                 f"NICKNAME:{vcard_value(nickname)}\r\nEND:VCARD\r\n"
                 for first, last, email, company, nickname in people]
        return "".join(cards).encode("utf-8")
    return "".join(",".join(csv_cell(cell) for cell in row) + "\r\n" for row in rows).encode("utf-8")


def files(root: Path) -> dict[str, tuple[bytes, int]]:
    return {path.relative_to(root).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(root.rglob("*")) if path.is_file() and ".vaultnet" not in path.parts}


def only_lines_added_to_front_matter(old: bytes, new: bytes) -> bool:
    """``new`` is ``old`` with whole lines inserted before the closing ``---``, or a front matter put on top."""
    bom = b"\xef\xbb\xbf" if old.startswith(b"\xef\xbb\xbf") else b""
    size = len(new) - len(old)
    if size <= 0:
        return False
    for at in range(len(bom) + 4, len(old) + 1):
        if old[at - 1:at] == b"\n" and old[at:].startswith(b"---") and new == old[:at] + new[at:at + size] + old[at:]:
            return new[at:at + size].endswith(b"\n")
    return bool(re.fullmatch(rb"---\r?\n(.*\n)+---\r?\n", new[len(bom):size + len(bom)], re.DOTALL)) and (
        new == new[:size + len(bom)] + old[len(bom):] and new.startswith(bom))


@settings(max_examples=examples(60), suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(list(SAMPLES)),
       st.lists(st.tuples(NAME, NAME, EMAIL, st.sampled_from(["", "Acme", "Initech", "yes", "a: b"]),
                          st.one_of(st.just(""), NAME)), max_size=8),
       st.lists(st.tuples(st.one_of(MEETING, NAME), EXISTING), max_size=4))
def test_importing_never_raises_writes_only_people_and_only_adds_lines(kind, people, existing):
    with tempfile.TemporaryDirectory() as folder:
        vault = Path(folder) / "vault"
        (vault / ".obsidian").mkdir(parents=True)
        write(vault, "Work/Other.md", b"---\ntype: person\nemail: other@z.example\n---\n")
        for name, data in existing:
            try:
                stem = safe_filename(name)
            except ValueError:
                continue
            path = vault / "People" / f"{stem}.md"
            if not any(p.name.casefold() == path.name.casefold() for p in path.parent.glob("*")):
                write(vault, f"People/{stem}.md", data)
        source = Path(folder) / "export"
        source.write_bytes(export(kind, people))
        before = files(vault)
        home = people_home(load_config(vault), [s.contact for s in build_network(load_config(vault), TODAY).standings])
        plan, outcome, problems = import_into(vault, kind, source)
        after = files(vault)
        assert outcome is not None
        assert all(len(str(problem).splitlines()) == 1 for problem in problems)
        created = [rel for rel in after if rel not in before]
        assert home in ("People", "Work")  # beside the one person when no people folder has any
        assert all(re.fullmatch(rf"{home}/[^/]+\.md", rel) for rel in created), created
        assert len(created) == outcome.created
        changed = [rel for rel in before if after[rel][0] != before[rel][0]]
        assert len(changed) == outcome.updated
        for rel in changed:
            assert only_lines_added_to_front_matter(before[rel][0], after[rel][0]), (before[rel][0], after[rel][0])
        assert set(before) <= set(after)
        # Importing the same file again finds everyone: it changes nothing.
        _, again, _ = import_into(vault, kind, source)
        assert again is not None and (again.created, again.updated) == (0, 0), (people, existing)
        assert files(vault) == after


# ---------------------------------------------------------------- vaults whose people are not marked by a folder


def contact_paths(vault: Path) -> list[str]:
    return sorted(s.contact.path for s in build_network(load_config(vault), TODAY).standings)


def test_with_no_people_folder_new_notes_say_they_are_people(vault):
    """``people = []``: a note's folder makes no one a person, so each new note says ``type: person``."""
    write(vault, "vaultnet.toml", "people = []\n")
    write(vault, "Bea Costa.md", "---\ntype: person\n---\n")
    result = run(vault, "import", "linkedin", str(LINKEDIN))
    assert result.exit_code == 0, result.output
    text = (vault / "Ana Souza.md").read_text(encoding="utf-8")
    assert text.startswith("---\ncompany: Acme Ltda\n") and "\ntype: person\n---\n" in text
    assert contact_paths(vault) == ["Ana Souza.md", "Bea Costa.md", "Kenji Watanabe.md", "María López Keynote Speaker.md",
                                    "Priya Raman.md", "Tom O'Brien.md", "Zoë Martin.md"]
    assert run(vault, "import", "linkedin", str(LINKEDIN)).stdout == "created 0, updated 0, unchanged 6\n"


def test_new_notes_take_the_marker_and_the_folder_of_the_vault_s_people(vault):
    """People kept by ``categories: [[People]]`` in ``References/`` (kepano's vault): new people the same way, there."""
    for name in ("Steph Ango", "Bea Costa"):
        write(vault, f"References/{name}.md", '---\ncategories:\n  - "[[People]]"\ntags: [friend]\n---\n')
    write(vault, "References/Lisbon.md", '---\ncategories:\n  - "[[Places]]"\n---\n')
    assert run(vault, "import", "linkedin", str(LINKEDIN)).exit_code == 0
    assert not (vault / "People").exists()
    text = (vault / "References/Ana Souza.md").read_text(encoding="utf-8")
    assert "\ncategories:\n  - '[[People]]'\n---\n" in text
    found = contact_paths(vault)
    assert "References/Ana Souza.md" in found and "References/Lisbon.md" not in found and len(found) == 8
    from vaultnet.edits.add import contact_path

    contacts = [s.contact for s in build_network(load_config(vault), TODAY).standings]
    assert contact_path(load_config(vault), "Someone New", contacts) == "References/Someone New.md"  # add agrees


@pytest.mark.parametrize(("marker", "expected"), [
    ("tags: [person, work]\n", "tags:\n  - person\n"),
    ("type: [[Person]]\n", "type: '[[Person]]'\n"),
    ("Type: contact\n", "Type: contact\n"),
])
def test_the_learnt_marker_is_the_vault_s_own(vault, marker, expected):
    write(vault, "vaultnet.toml", "people = []\n")
    write(vault, "Notes/Bea Costa.md", f"---\n{marker}---\n")
    assert run(vault, "import", "linkedin", str(LINKEDIN)).exit_code == 0
    front = (vault / "Notes/Kenji Watanabe.md").read_text(encoding="utf-8").split("\n---\n")[0] + "\n"
    assert front.endswith(expected)
    assert "Notes/Kenji Watanabe.md" in contact_paths(vault)  # beside the vault's people


def test_capitalised_keys_are_found_and_never_added_again(vault):
    """``Birthday:`` and ``Email:`` (as BryanHogan/Obsidian-CRM writes them) are the note's: an import adds no copy."""
    note = "---\nEmail: ana.souza@example.com\nBirthday: 1990-03-14\nCompany: Acme\n---\n"
    write(vault, "People/Ana Maria Souza.md", note)
    assert run(vault, "import", "vcard", str(IPHONE)).exit_code == 0
    text = (vault / "People/Ana Maria Souza.md").read_text(encoding="utf-8")
    front = text.split("\n---\n")[0].lower()
    assert front.count("birthday:") == front.count("email:") == front.count("company:") == 1
    assert text.startswith(note.removesuffix("---\n"))
