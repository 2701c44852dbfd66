"""The vault's own note templates, as the notes made from them can be recognised.

A person template (``Templates/Person.md`` with ``fødselsdag`` and ``kendt_siden``,
``Templates/ven.md`` with ``sidste kontakt``) leaves its keys in every note made
from it: those keys, in whatever language, say which notes are people better
than any list of words could. This reads each template's name, its front-matter
keys (without YAML: a template's ``{{date}}`` need not be valid YAML) and the
words its ``type``, ``categories`` and ``tags`` give, once per settings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from vaultnet.base.keys import GENERIC_KEYS, is_person_word, normalise
from vaultnet.files.reads import read_bytes

if TYPE_CHECKING:
    from vaultnet.files.config import Config

_BOUNDARY = re.compile(r"^---[ \t]*\r?$", re.MULTILINE)
_KEY = re.compile(r"^([^\s#:'\"-][^:\n]*?|'[^'\n]*'|\"[^\"\n]*\")[ \t]*:(?:[ \t]+(.*?))?[ \t]*\r?$", re.MULTILINE)
_ITEM = re.compile(r"^[ \t]+-[ \t]*(.*?)[ \t]*\r?$", re.MULTILINE)
# Templater scripts that write the front matter themselves: `tR += "---\nName: ..."` or a block after `<%* ... -%>`.
_SCRIPT = re.compile(r"<%[*_-]?[\s\S]*?[-_]?%>")
_WORD = re.compile(r"[^\W\d_]+")
_TYPE_KEYS = frozenset(("type", "categories", "category", "tags", "tag", "class", "fileclass", "note_type"))


@dataclass(frozen=True, slots=True)
class VaultTemplate:
    """One note template: where it is, its keys, and whether it says it makes people."""

    rel: str
    stem: str
    keys: frozenset[str]  # normalised
    distinctive: frozenset[str]  # its keys that say something about what a note is (not tags, created...)
    says_person: bool  # its name, type, categories or tags is a word for a person


def read_template(rel: str, text: str) -> VaultTemplate:
    stem = rel.rsplit("/", 1)[-1][:-3]
    body = _SCRIPT.sub("", text).lstrip()
    parts = _BOUNDARY.split(body, 2) if body.startswith("---") else []
    front = parts[1] if len(parts) == 3 else ""
    keys: set[str] = set()
    words: set[str] = set()
    for match in _KEY.finditer(front):
        key = normalise(match.group(1).strip("'\""))
        keys.add(key)
        if key in _TYPE_KEYS:
            value = match.group(2) or ""
            after = front[match.end():]
            items = _ITEM.findall(after.split("\n\n", 1)[0]) if not value else []
            for text_value in (value, *items[:20]):
                words.update(word.casefold() for word in _WORD.findall(text_value))
    says = any(is_person_word(word) for word in (*_WORD.findall(stem), *words))
    return VaultTemplate(rel, stem, frozenset(keys), frozenset(k for k in keys if k not in GENERIC_KEYS), says)


def vault_templates(config: Config) -> tuple[VaultTemplate, ...]:
    """Every note template in the vault's templates folders (read once per settings and files)."""
    return _read(config.root.as_posix(), config.note_templates)


@lru_cache(maxsize=8)
def _read(root: str, rels: tuple[str, ...]) -> tuple[VaultTemplate, ...]:
    from pathlib import Path

    found = []
    for rel in rels:
        try:
            data = read_bytes(Path(root) / rel)
            text = data.decode("utf-8-sig") if data is not None else None
        except (OSError, ValueError):  # unreadable, not a file, not UTF-8: no template to learn from
            continue
        if text is None:
            continue
        found.append(read_template(rel, text))
    return tuple(found)


def template_keys(config: Config) -> frozenset[str]:
    """The keys that say what a note is, of every template: front matter holding one is worth reading."""
    return frozenset(key for template in vault_templates(config) for key in template.distinctive)
