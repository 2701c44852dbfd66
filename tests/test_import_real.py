"""Contact imports on real address books (tests/data/real/, sources in tests/data/SOURCES.md), and the
vCard round trip: what ``export vcard`` writes, ``import vcard`` reads back whole."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import frontmatter
from click.testing import CliRunner

from vaultnet.cli.main import main
from vaultnet.files.config import load_config
from vaultnet.pipeline.session import build_network

REAL = Path(__file__).parent / "data" / "real"
DATA = Path(__file__).parent / "data"
TODAY = "2026-11-21"


def run(vault: Path, *args: str):
    return CliRunner().invoke(main, ["--vault", str(vault), "--today", TODAY, *args])


def empty(root: Path, config: str = 'me = ["me@example.com"]\n') -> Path:
    (root / "People").mkdir(parents=True)
    (root / "vaultnet.toml").write_text(config, encoding="utf-8")
    return root


def notes(vault: Path) -> dict[str, dict]:
    return {p.stem: frontmatter.load(p).metadata for p in sorted((vault / "People").glob("*.md"))}


# ---------------------------------------------------------------- 6. line endings and folding


def test_an_iphone_card_with_cr_cr_lf_keeps_its_birthday(tmp_path: Path) -> None:
    """ez-vcard's John_Doe_IPHONE.vcf (CR CR LF line ends, a base64 PHOTO after BDAY; photo trimmed)."""
    vault = empty(tmp_path / "v")
    result = run(vault, "import", "vcard", str(REAL / "ez-vcard-John_Doe_IPHONE.vcf"))
    assert result.exit_code == 0 and not result.stderr, result.output
    [(name, meta)] = notes(vault).items()
    assert name == "Mr. John Richter James Doe Sr"  # the FN; a file name cannot end in "."
    assert str(meta["birthday"]) == "2012-06-06" and meta["location"] == "New York, United States of America"
    assert meta["phone"][:2] == ["905-555-1234", "905-666-1234"] and len(meta["phone"]) == 7
    assert all(len(str(value)) < 200 for value in meta.values())


# ---------------------------------------------------------------- 7. quoting and escaping in names


def test_a_gmail_name_with_an_unescaped_comma(tmp_path: Path) -> None:
    """ez-vcard's John_Doe_GMAIL.vcf: ``FN:Mr. John Richter, James Doe Sr.``, unedited."""
    vault = empty(tmp_path / "v")
    assert run(vault, "import", "vcard", str(REAL / "ez-vcard-John_Doe_GMAIL.vcf")).exit_code == 0
    assert list(notes(vault)) == ["Mr. John Richter, James Doe Sr"]
    assert notes(vault)["Mr. John Richter, James Doe Sr"]["aliases"] == ["Mr. John Richter, James Doe Sr."]


# ---------------------------------------------------------------- 8. every address kept, and used


def test_every_email_and_phone_is_kept_and_mail_from_any_of_them_is_captured(tmp_path: Path) -> None:
    """ez-vcard's gmail-single2.vcf (five EMAILs, eleven TELs), unedited; then Thunderbird's mbox_modern
    with the sender of its second message changed to the card's second address (the edit)."""
    vault = empty(tmp_path / "v", 'me = ["recipient@example.com"]\n')
    assert run(vault, "import", "vcard", str(REAL / "ez-vcard-gmail-single2.vcf")).exit_code == 0
    meta = notes(vault)["VCard Test"]
    assert meta["email"] == ["email@example.com", "homeemail@example.com", "workemail@example.com",
                             "otheremail@example.com", "customcategory@example.com"]
    assert len(meta["phone"]) == 11 and meta["phone"][0] == "5555551115"  # the mobile first
    data = (REAL / "thunderbird-mbox_modern").read_bytes()
    second = data.rindex(b"From: Author <author@example.com>")
    mbox = tmp_path / "inbox.mbox"
    mbox.write_bytes(data[:second] + b"From: Author <homeemail@example.com>" + data[second + 33:])
    result = run(vault, "import", "mail", str(mbox))
    assert result.exit_code == 0 and "added 1 captures" in result.output
    # Importing the card again changes nothing: it is found by any of its addresses.
    assert run(vault, "import", "vcard", str(REAL / "ez-vcard-gmail-single2.vcf")).stdout == \
        "created 0, updated 0, unchanged 1\n"


def test_google_csv_keeps_every_email_and_phone(tmp_path: Path) -> None:
    """vaultnet's own Google Contacts CSV: a `:::` cell, an `E-mail 2` column, two phone columns."""
    vault = empty(tmp_path / "v")
    assert run(vault, "import", "google", str(DATA / "google-contacts.csv")).exit_code == 0
    found = notes(vault)
    assert found["Priya Raman"]["email"] == ["priya.raman@gmail.example", "priya@globex.example",
                                             "priya.work@globex.example"]
    assert found["Robert James Miller Jr"]["phone"] == ["+1 212-555-0199", "+1 212-555-0100"]


# ---------------------------------------------------------------- 10. a whole card for one bad byte; shapes


def test_lotus_notes_android_and_a_bad_quoted_printable_byte(tmp_path: Path) -> None:
    """ez-vcard's Lotus Notes card (PROFILE:VCard) and Android export (two cards with only an email; UTF-8
    names in quoted-printable; photos trimmed), and jmap-php-icalendar_vcard's test_vcard.vcf (a LABEL
    whose ``=0D=0A=Baytown`` decodes to a byte no charset takes), all unedited."""
    vault = empty(tmp_path / "v")
    for name in ("ez-vcard-John_Doe_LOTUS_NOTES.vcf", "ez-vcard-John_Doe_ANDROID.vcf", "jmap-test_vcard.vcf"):
        result = run(vault, "import", "vcard", str(REAL / name))
        assert result.exit_code == 0 and not result.stderr, result.output
    found = notes(vault)
    assert found["Mr. Doe John I Johny"]["email"] == ["john.doe@ibm.com", "billy_bob@gmail.com"]
    assert found["Forrest Gump"]["email"] == ["forrestgump@example.com", "forrestgump-work@example.com"]
    for address in ("john.doe@company.com", "jane.doe@company.com"):  # only an email: named by it, for triage
        assert found[address] == {"email": address, "tags": ["triage"]}
    assert "Ñ Ñ Ñ Ñ Ñ" in found and found["ÑÑÑÑ"]["email"] == "henry@company.com"
    assert len(found) == 8


def test_a_card_with_only_an_address_and_a_slashed_birthday(tmp_path: Path) -> None:
    """jmap-php-icalendar_vcard's test_vcard_2.vcf, unedited: empty N and FN, ``BDAY:1995/05/05``, one EMAIL."""
    vault = empty(tmp_path / "v")
    result = run(vault, "import", "vcard", str(REAL / "jmap-test_vcard_2.vcf"))
    assert result.exit_code == 0 and not result.stderr, result.output
    meta = notes(vault)["forrestgump@example.com"]
    assert str(meta["birthday"]) == "1995-05-05" and meta["tags"] == ["triage"] and meta["phone"] == "(111) 555-1212"


def test_a_stray_cr_and_a_stray_latin1_byte_cost_nothing(tmp_path: Path) -> None:
    """Thunderbird's export.vcf: card 2 has a CR inside a value (``custom<CR>3``), unedited; then a copy
    with card 1's FN in UTF-8 (``contact número one``) and card 2's UTF-8 ``…`` made a cp1252 byte (the edit)."""
    vault = empty(tmp_path / "v")
    result = run(vault, "import", "vcard", str(REAL / "thunderbird-export.vcf"))
    assert result.exit_code == 0 and not result.stderr
    assert list(notes(vault)) == ["contact number one", "contact number two"]
    mixed = tmp_path / "mixed.vcf"
    mixed.write_bytes((REAL / "thunderbird-export.vcf").read_bytes().replace(
        b"FN:contact number one", "FN:contact número one".encode()).replace("…".encode(), b"\x85"))
    other = empty(tmp_path / "o")
    assert run(other, "import", "vcard", str(mixed)).exit_code == 0
    assert list(notes(other)) == ["contact number two", "contact número one"]


def test_a_file_without_cards_and_a_file_cut_off_are_errors(tmp_path: Path) -> None:
    """jmap-php-icalendar_vcard's rc-vcard-invalid-card.vcf (no BEGIN:VCARD), unedited; ez-vcard's
    gmail-single2.vcf cut after its first 1,500 bytes (the edit)."""
    vault = empty(tmp_path / "v")
    result = run(vault, "import", "vcard", str(REAL / "jmap-rc-vcard-invalid-card.vcf"))
    assert result.exit_code == 1 and "not a vCard file" in result.output
    cut = tmp_path / "cut.vcf"
    cut.write_bytes((REAL / "ez-vcard-gmail-single2.vcf").read_bytes()[:1500])
    result = run(vault, "import", "vcard", str(cut))
    assert result.exit_code == 1
    assert "cut.vcf: the file ends inside card 1 (line 1), without END:VCARD: it looks cut off" in result.stderr
    assert notes(vault) == {}


# ---------------------------------------------------------------- 13. the round trip


ROUND_TRIP = {
    "Ana Souza": """---
aliases: [Aninha, "Souza, Ana"]
circle: close
cadence: 3 weeks
email: [ana@example.com, ana.souza@work.example]
phone: [+351 912 345 678, "+351 213 000 111"]
company: Acme; Ltda
role: Head of Platform
industry: fintech
location: Lisbon, Portugal
linkedin: https://www.linkedin.com/in/ana-souza
met: Web Summit 2024, at the Acme stand
introduced_by: "[[Bea Costa]]"
offers: [intros to designers, "pricing, packaging"]
needs: [a CTO]
interests: [climbing]
goals: [move to Berlin]
tags: [friend, lisbon]
birthday: 1990-11-20
last_contact: 2026-10-01
---
""",
    "Bea Costa": """---
circle: inner
email: bea@example.com
location: Porto
birthday: --03-14
snooze_until: 2026-12-24
---
""",
    "Carl Dunn": """---
cadence: 14
location: Berlin,Germany
paused: true
needs: [intros to designers]
---
""",
    "Dee": """---
email: dee@example.com
---
""",
}


def test_export_then_import_into_an_empty_vault_gives_the_same_status(tmp_path: Path) -> None:
    source = empty(tmp_path / "source")
    for name, text in ROUND_TRIP.items():
        (source / "People" / f"{name}.md").write_text(text, encoding="utf-8")
    exported = tmp_path / "contacts.vcf"
    assert run(source, "export", "vcard", "--output", str(exported)).exit_code == 0
    target = empty(tmp_path / "target")
    result = run(target, "import", "vcard", str(exported))
    assert result.stdout == "created 4, updated 0, unchanged 0\n" and not result.stderr
    before, after = (json.loads(run(vault, "status", "--json").stdout) for vault in (source, target))
    assert after == before
    shown = [json.loads(run(vault, "show", "Ana Souza", "--json").stdout) for vault in (source, target)]
    for key in ("fields", "introduced_by", "offers", "needs", "interests", "goals", "aliases"):
        assert shown[1][key] == shown[0][key], key
    ana = notes(target)["Ana Souza"]
    assert ana["tags"] == ["friend", "lisbon"] and ana["email"] == ["ana@example.com", "ana.souza@work.example"]
    assert notes(target)["Carl Dunn"]["location"] == "Berlin,Germany"
    assert run(target, "import", "vcard", str(exported)).stdout == "created 0, updated 0, unchanged 4\n"


def test_the_example_vault_round_trip_keeps_every_key(tmp_path: Path) -> None:
    """The example vault's people, through ``export vcard`` and ``import vcard`` into an empty vault:
    every front-matter key vaultnet reads comes back (what lives in log lines and daily notes stays there)."""
    example = Path(__file__).resolve().parent.parent / "example-vault"
    source = tmp_path / "example"
    shutil.copytree(example, source)
    exported = tmp_path / "contacts.vcf"
    assert run(source, "export", "vcard", "--output", str(exported)).exit_code == 0
    target = empty(tmp_path / "target", (example / "vaultnet.toml").read_text(encoding="utf-8"))
    assert run(target, "import", "vcard", str(exported)).exit_code == 0
    def contacts(vault: Path) -> dict[str, object]:
        network = build_network(load_config(vault), dt.date.fromisoformat(TODAY))
        return {s.contact.name: s.contact for s in network.standings}

    before, after = contacts(source), contacts(target)
    assert sorted(after) == sorted(before)
    for name, contact in before.items():
        other = after[name]
        for attribute in ("circle", "cadence", "last_contact", "snooze_until", "paused", "birthday", "fields",
                          "introduced_by", "offers", "needs", "interests", "goals", "aliases", "relations",
                          "occasions"):
            assert getattr(other, attribute) == getattr(contact, attribute), (name, attribute)
