from conftest import write


def test_contact_in_people_folder_is_read(vault, load):
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n- 2026-11-10 #call hello\n")
    network = load()
    (ana,) = network.standings
    assert ana.name == "Ana"
    assert ana.status == "ok"
