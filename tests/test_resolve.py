import pytest

from vaultnet.base.errors import ResolveError
from vaultnet.evidence.contacts import Contact
from vaultnet.evidence.resolve import loose, resolve_name

CONTACTS = [
    Contact("José Ramírez", "People/José Ramírez.md", aliases=("Pepe",)),
    Contact("Ana Souza", "People/Ana Souza.md", aliases=("Ana",)),
    Contact("Ana", "People/Work/Ana.md"),
    Contact("Sam Lee", "People/Sam Lee.md", aliases=("Sam",)),
    Contact("Sam Ortiz", "People/Sam Ortiz.md", aliases=("Sam",)),
]


def test_loose_folds_case_accents_and_spaces():
    assert loose("  JOSÉ  Ramírez ") == "jose ramirez"
    assert loose("Zoe\u0308") == loose("Zoë") == "zoe"


@pytest.mark.parametrize("typed", ["José Ramírez", "jose ramirez", "JOSE RAMIREZ", "pepe"])
def test_resolves_case_and_accent_insensitively(typed):
    assert resolve_name(typed, CONTACTS).name == "José Ramírez"


def test_file_name_wins_over_alias():
    assert resolve_name("ana", CONTACTS).path == "People/Work/Ana.md"


def test_ambiguous_alias_lists_candidates():
    with pytest.raises(ResolveError) as err:
        resolve_name("sam", CONTACTS)
    assert str(err.value) == "'sam' is ambiguous: it matches Sam Lee (People/Sam Lee.md), Sam Ortiz (People/Sam Ortiz.md)"


def test_unknown_name_suggests_closest():
    with pytest.raises(ResolveError, match=r"no contact named 'Jose Ramires'; did you mean José Ramírez\?"):
        resolve_name("Jose Ramires", CONTACTS)


def test_unknown_name_without_anything_close():
    with pytest.raises(ResolveError) as err:
        resolve_name("Xavier", CONTACTS)
    assert str(err.value) == "no contact named 'Xavier'"


def test_empty_name_is_refused():
    with pytest.raises(ResolveError):
        resolve_name("  ", CONTACTS)
