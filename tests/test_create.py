import pytest

from vaultnet.edits.add import ContactExists, contact_path, create_contact, person_note
from vaultnet.evidence.contacts import Contact
from vaultnet.files.config import load_config

from conftest import write


def test_person_note_from_template(vault):
    text = person_note(load_config(vault), {"aliases": ["Al"], "circle": "inner", "company": "no", "empty": None})
    assert text == "---\naliases:\n  - Al\ncircle: inner\ncompany: 'no'\n---\n\n## Log\n\n"


def test_renamed_fields_and_vault_template(vault):
    write(vault, "vaultnet.toml", '[fields]\ncadence = "prm-cadence"\n')
    write(vault, ".vaultnet/templates/person.md", "---\n{% for l in properties %}{{ l }}\n{% endfor %}type: person\n---\n")
    assert person_note(load_config(vault), {"cadence": "2w"}) == "---\nprm-cadence: 2w\ntype: person\n---\n"


def test_refuses_existing_names_and_aliases(vault):
    contacts = [Contact("Ana Souza", "People/Ana Souza.md", aliases=("Ana",))]
    config = load_config(vault)
    with pytest.raises(ContactExists, match="there is a contact named 'Ana Souza' already: People/Ana Souza.md"):
        contact_path(config, "ana souza", contacts)
    with pytest.raises(ContactExists, match="People/Ana Souza.md already has the alias 'ANA'"):
        contact_path(config, "ANA", contacts)


def test_refuses_a_case_insensitive_file_clash(vault):
    write(vault, "People/bob lee.md", "not a contact yet\n")
    with pytest.raises(ContactExists, match="People/bob lee.md already exists"):
        contact_path(load_config(vault), "Bob Lee", [])


def test_unsafe_names_become_safe_paths(vault):
    config = load_config(vault)
    assert create_contact(config, "../../evil/Name", {}, []) == "People/evil Name.md"
    assert (vault / "People/evil Name.md").is_file()
    assert not (vault.parent / "evil").exists()
    with pytest.raises(Exception, match="cannot be a file name"):
        create_contact(config, "///", {}, [])


def test_dry_run_writes_nothing(vault):
    assert create_contact(load_config(vault), "Ana", {}, [], dry_run=True) == "People/Ana.md"
    assert not (vault / "People").exists()


def test_a_new_contact_is_made_the_way_the_vault_s_people_are(vault):
    """People tagged ``#person`` beside other notes in ``Notes/``: a new one goes there, tagged the same."""
    from vaultnet.pipeline.session import build_network

    from conftest import TODAY

    write(vault, "Notes/Bea.md", "---\ntags: [person]\n---\n")
    write(vault, "Notes/Cy.md", "Cy, #person\n")
    config = load_config(vault)
    contacts = [s.contact for s in build_network(config, TODAY).standings]
    assert create_contact(config, "Dee", {"company": "Acme"}, contacts) == "Notes/Dee.md"
    assert (vault / "Notes/Dee.md").read_text().startswith("---\ncompany: Acme\ntags:\n  - person\n---\n")
    assert "Notes/Dee.md" in {s.contact.path for s in build_network(load_config(vault), TODAY).standings}


def test_new_paths_list_the_folder_once_and_refuse_a_case_clash(vault, monkeypatch):
    """One allocator for ``add`` and imports: a thousand names, one listing of the people folder."""
    from pathlib import Path

    from vaultnet.edits.add import NewPaths

    write(vault, "People/ana souza.md", "---\n---\n")
    listed = []
    real = Path.iterdir
    monkeypatch.setattr(Path, "iterdir", lambda self: listed.append(self) or real(self))
    paths = NewPaths(load_config(vault), [])
    assert [paths.path(f"P{n}") for n in range(3)] == ["People/P0.md", "People/P1.md", "People/P2.md"]
    with pytest.raises(ContactExists, match="People/ana souza.md already exists"):
        paths.path("Ana Souza")
    assert len(listed) == 1
