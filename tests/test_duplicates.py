"""Duplicates: one person's notes found with the evidence for each pair, and never two people taken for one."""

from __future__ import annotations

import itertools
import json

import pytest
from click.testing import CliRunner

from vaultnet.base.names import compare
from vaultnet.base.phones import e164, phone_key, same_number, split_numbers
from vaultnet.cli.main import main
from vaultnet.evidence.contacts import Contact
from vaultnet.standings.duplicates import find_duplicates

from conftest import write


def run(vault, *args):
    return CliRunner().invoke(main, ["--vault", str(vault), "--today", "2026-11-21", *args])


@pytest.mark.parametrize(("a", "b", "same"), [
    ("+49 151 2345 6789", "0151 23456789", True),
    ("(650) 555-1234", "+1 650 555 1234", True),
    ("+351 912 345 678", "912 345 678", True),
    ("+44 7700 900123", "+1 7700 900123", False),  # another country
    ("+49 151 2345 6789", "+49 151 2345 6780", False),
    ("1234", "1234", False),  # too short to say
    ("+49 151 2345 6789 ext. 12", "+49 151 2345 6789", False),
])
def test_phone_numbers_are_compared_as_numbers(a, b, same):
    assert same_number(a, b) is same


def test_phone_helpers():
    assert split_numbers("+351 912 345 678, +351 213 000 111; 030/1234567") == [
        "+351 912 345 678", "+351 213 000 111", "030/1234567"]
    assert e164("0151 23456789", "DE") == e164("+49 151 2345 6789") == "+4915123456789"
    assert e164("not a number") is None and phone_key("12") is None


@pytest.mark.parametrize(("a", "b", "reason"), [
    ("Zoë Martin", "Zoe Martin", "accents"),
    ("Souza, Ana", "Ana Souza", "order"),
    ("Tanaka Aiko", "Aiko Tanaka", "order"),
    ("A. Souza", "Ana Souza", "initial"),
    ("Ana M. Souza", "Ana Maria Souza", "initial"),
    ("Bob Lee", "Robert Lee", "nickname"),
    ('Robert "Bob" Lee', "Bob Lee", "nickname"),
    ("Ana Maria Souza", "Ana Souza", "middle"),
    ("Dr. Ana Souza", "Ana Souza", "title"),
    ("Ana", "Ana Souza", "first only"),
    ("Sara Lee", "Sarah Lee", "spelling"),
])
def test_names_that_can_be_one_persons(a, b, reason):
    assert compare(a, b)[0] == reason
    assert compare(b, a)[0] == reason


@pytest.mark.parametrize(("a", "b"), [
    ("John Smith", "Jane Smith"), ("Ana Souza", "Ana Lima"), ("John Smith (Acme)", "John Smith (Globex)"),
    ("Ana Maria Souza", "Ana Beatriz Souza"), ("Jack Lee", "John Lee"), ("Terry Clarke", "Teresa Clarke"),
])
def test_names_of_different_people(a, b):
    assert compare(a, b) in ([], ["spelling"])


FIRST = ("Olivia Liam Emma Noah Amelia Oliver Sophia Elijah Mia Lucas Aiko Kenji Priya Arjun Chloé Mateo Zoë Björn Siobhán "
         "Tomás Fatima Omar Mei Wei Ingrid Lars Renée Hugo Nadia Ivan Leila Kwame Ama Diego Lucía José Noor Hana Yusuf Elena").split()
LAST = ("Souza Lee Tanaka Nguyen Okafor Müller Dubois Romero Larsen Haddad Kowalski Novák Petrova Chen Ramírez Kelly "
        "Farahani Mensah Park Schmidt Oliveira Johnson Andersson Martin Grant").split()


def test_no_false_pair_among_a_thousand_distinct_names():
    """Forty given names from many languages, twenty-five family names: a thousand people, no two alike."""
    names = [f"{first} {last}" for first, last in itertools.product(FIRST, LAST)]
    assert len(set(names)) == 1000
    contacts = [Contact(name, f"People/{name}.md") for name in names]
    assert find_duplicates(contacts) == []


def test_identifiers_find_pairs_whatever_the_names():
    contacts = [
        Contact("Ana Souza", "People/Ana Souza.md", fields={"email": "Ana@Acme.example"}),
        Contact("Tidewater contact", "People/Tidewater contact.md", fields={"email": "ana@acme.example, x@y.example"}),
        Contact("Björn", "People/Björn.md", fields={"phone": "+46 70 123 45 67"}),
        Contact("Bjorn A", "People/Bjorn A.md", fields={"phone": "070-123 45 67"}),
        Contact("Kwame", "People/Kwame.md", fields={"linkedin": "https://www.linkedin.com/in/kwame/"}),
        Contact("K M", "People/K M.md", fields={"linkedin": "http://linkedin.com/in/Kwame"}),
    ]
    pairs = {frozenset((p.first.name, p.second.name)): [c.kind for c in p.clues] for p in find_duplicates(contacts)}
    assert pairs == {frozenset(("Ana Souza", "Tidewater contact")): ["email"],
                     frozenset(("Björn", "Bjorn A")): ["phone", "name"],
                     frozenset(("Kwame", "K M")): ["linkedin"]}


def test_hints_need_company_agreement_and_contradictions_part_people():
    contacts = [
        Contact("Sara Lee", "People/Sara Lee.md", fields={"company": "Acme"}),
        Contact("Sarah Lee", "People/Sarah Lee.md", fields={"company": "acme"}),
        Contact("Jon Park", "People/Jon Park.md"), Contact("John Park", "People/John Park.md"),  # spelt alike, no hint
        Contact("Ana Souza", "People/Ana Souza.md", fields={"linkedin": "linkedin.com/in/a1"}),
        Contact("A. Souza", "People/A. Souza.md", fields={"linkedin": "linkedin.com/in/a2"}),  # two profiles
    ]
    pairs = find_duplicates(contacts)
    assert [(p.first.name, p.second.name, [c.kind for c in p.clues]) for p in pairs] == [
        ("Sara Lee", "Sarah Lee", ["spelling", "company"])]


def test_a_first_name_alone_pairs_only_when_one_person_has_it():
    one = [Contact("Ana", "People/Ana.md"), Contact("Ana Souza", "People/Ana Souza.md")]
    assert [c.kind for c in find_duplicates(one)[0].clues] == ["first name"]
    two = [*one, Contact("Ana Lima", "People/Ana Lima.md")]
    assert find_duplicates(two) == []


def test_related_people_and_the_users_word_are_never_pairs(vault):
    write(vault, "People/Ana Souza.md", "---\nphone: +49 30 1234567\npartner: '[[Bob Lee]]'\n---\n")
    write(vault, "People/Bob Lee.md", "---\nphone: 030 1234567\n---\n")  # a home phone they share
    write(vault, "People/John Smith (Acme).md", "---\nemail: js@acme.example\n---\n")
    write(vault, "People/John Smith.md", "---\nemail: js@acme.example\n---\n")
    found = json.loads(run(vault, "duplicates", "--json").stdout)["duplicates"]
    assert [d["people"] for d in found] == [["John Smith", "John Smith (Acme)"]]
    write(vault, "vaultnet.toml", 'not_duplicates = [["John Smith", "People/John Smith (Acme).md"]]\n')
    result = run(vault, "duplicates")
    assert result.exit_code == 0 and result.stdout == "" and "No likely duplicates." in result.stderr


LINKEDIN = """First Name,Last Name,URL,Email Address,Company,Position,Connected On
Robert,Lee,https://www.linkedin.com/in/robert-lee-nb,,Northbeam Ventures,Partner,07 Dec 2025
Ana,Souza,https://www.linkedin.com/in/ana-souza-4b21a7,,Tidewater Labs,Director,02 Oct 2024
Aiko,Tanaka,https://www.linkedin.com/in/aiko-t,,Kumo,Designer,15 Mar 2023
Kwame,Mensah,https://www.linkedin.com/in/kwame-m,kwame@sunfield.example,Sunfield Grid,CEO,01 Jan 2024
Mei,Chen,https://www.linkedin.com/in/mei-chen,,Atlas,Designer,01 Jan 2024
"""
VCARDS = """BEGIN:VCARD
VERSION:3.0
N:Lee;Bob;;;
FN:Bob Lee
TEL;type=CELL:+44 20 7946 0958
EMAIL;type=INTERNET:bob@northbeam.example
END:VCARD
BEGIN:VCARD
VERSION:3.0
N:Souza;Ana;Maria;;
FN:Ana Maria Souza
TEL;type=CELL:+351 912 345 678
EMAIL;type=INTERNET:ana@tidewater.example
END:VCARD
BEGIN:VCARD
VERSION:3.0
N:Tanaka;Aiko;;;
FN:Tanaka Aiko
EMAIL;type=INTERNET:aiko@kumo.example
END:VCARD
BEGIN:VCARD
VERSION:3.0
N:Chen;Wei;;;
FN:Wei Chen
EMAIL;type=INTERNET:wei@atlas.example
END:VCARD
"""
GOOGLE = """First Name,Middle Name,Last Name,E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value
Rob,,Lee,Home,rob.lee@gmail.example,Mobile,020 7946 0958
Ana,M.,Souza,Home,ana.souza@gmail.example,Mobile,912 345 678
K.,,Mensah,Home,kwame.mensah@gmail.example,,
"""


def test_a_vault_imported_from_linkedin_a_phone_and_google_has_each_pair_found(vault, tmp_path):
    for kind, name, text in (("linkedin", "c.csv", LINKEDIN), ("vcard", "c.vcf", VCARDS), ("google", "g.csv", GOOGLE)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert run(vault, "import", kind, str(tmp_path / name)).exit_code == 0
    notes = sorted(p.stem for p in (vault / "People").iterdir())
    assert notes == ["Aiko Tanaka", "Ana M. Souza", "Ana Maria Souza", "Ana Souza", "Bob Lee", "K. Mensah",
                     "Kwame Mensah", "Mei Chen", "Rob Lee", "Robert Lee", "Tanaka Aiko", "Wei Chen"]
    found = json.loads(run(vault, "duplicates", "--json").stdout)["duplicates"]
    pairs = {frozenset(d["people"]): {e["kind"] for e in d["evidence"]} for d in found}
    assert pairs == {
        frozenset(("Bob Lee", "Rob Lee")): {"phone", "name"},
        frozenset(("Ana M. Souza", "Ana Maria Souza")): {"phone", "name"},
        frozenset(("Robert Lee", "Bob Lee")): {"name"},
        frozenset(("Robert Lee", "Rob Lee")): {"name"},
        frozenset(("Ana Souza", "Ana Maria Souza")): {"name"},
        frozenset(("Ana Souza", "Ana M. Souza")): {"name"},
        frozenset(("Aiko Tanaka", "Tanaka Aiko")): {"name"},
        frozenset(("Kwame Mensah", "K. Mensah")): {"name"},
    }  # Mei Chen and Wei Chen are two people
    assert [d["evidence"][0]["kind"] for d in found[:2]] == ["phone", "phone"]  # the surest first
    text = run(vault, "duplicates").stdout
    assert "  - the same phone number: +44 20 7946 0958 and 020 7946 0958" in text
    assert "  vaultnet merge " in text
