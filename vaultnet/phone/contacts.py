"""``vaultnet sync contacts DIR``: every person as a card in a vdir, and what the phone changed back into the notes.

Each person's card has a UID that never changes once given: ``vcard_uid`` in
their front matter, added as a new line (the card a phone made keeps the
phone's UID; a card vaultnet makes gets ``vaultnet-<digest of the note's
path>``, which is also the UID ``vaultnet export vcard`` gives, so a card
imported from an export is the same card). Each run:

- a card the vault and the phone both have is merged three ways
  (:mod:`vaultnet.phone.merge`) against the values both last agreed on (the
  shared state): what the phone added goes into the note as new lines, what the
  vault changed goes onto the card; the card is written only when it changes;
- a person with no card gets one; a new card made on the phone is matched to a
  person without a card (name, alias, email, LinkedIn), else becomes a new
  note tagged ``#triage`` for you to sort;
- a card that was in this device's folder at its last sync and is gone was
  deleted on the phone: that is told once, the note stays, and the card is not
  sent again; a card whose note left the vault stays on the phone, told once.

Nothing is ever deleted on either side by vaultnet.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vaultnet.advice import rolechanges
from vaultnet.advice.plan import Plan
from vaultnet.base.dates import Date
from vaultnet.base.errors import Problem, VaultnetError
from vaultnet.edits.add import ContactExists, create_contact
from vaultnet.evidence.contacts import Contact
from vaultnet.evidence.people import properties
from vaultnet.files.config import Config
from vaultnet.files.writes import WriteConflict, edit_note, edit_text, read_bytes
from vaultnet.importers.matching import Matcher
from vaultnet.importers.records import Person as Record
from vaultnet.notes.note import Note, parse_note
from vaultnet.output import memory
from vaultnet.phone import additions, state
from vaultnet.phone.brief import brief, check_in_days
from vaultnet.phone.cards import (
    KINDS,
    OWN,
    Fields,
    card_fields,
    note_value,
    read_card,
    render_card,
    same_value,
    vault_fields,
)
from vaultnet.phone.merge import Outcome, Room, merge
from vaultnet.phone.report import Report
from vaultnet.phone.vdir import (
    Item,
    file_name,
    inputs_digest,
    open_folder,
    read_folder,
    signature,
    stat_of,
    write_item,
)
from vaultnet.standings.network import Network
from vaultnet.standings.standing import Standing

EXT = ".vcf"
UID_KEY = "vcard_uid"
TRIAGE_TAG = "triage"
MERGED = tuple(key for key, kind in KINDS.items() if kind in ("items", "text"))


@dataclass
class Person:
    """One person as the sync sees them: their note's values, and their card's UID."""

    rel: str
    name: str
    fields: Fields
    created: bool = False  # a note this sync made for a card from the phone
    standing: Standing | None = None
    uid: str | None = None  # as the note has it
    assigned: str | None = None  # given in this run (a new line)
    contact: Contact | None = None

    @property
    def card(self) -> str | None:
        return self.uid or self.assigned


@dataclass
class Run:
    """One sync of the contacts folder."""

    config: Config
    folder: Path
    today: Date
    write: bool
    report: Report
    items: dict[str, Item] = field(default_factory=dict)
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)  # the shared state's contacts section
    people: list[Person] = field(default_factory=list)
    by_uid: dict[str, Person] = field(default_factory=dict)
    check_ins: dict[str, tuple[Date, str]] = field(default_factory=dict)
    news: list[tuple[str, str, str, str]] = field(default_factory=list)
    local: state.Local | None = None  # this device's record of the folder from its last sync
    known: dict[str, list[Any]] = field(default_factory=dict)  # ... and after this one

    def tell(self, person: Person | str, line: str) -> None:
        where = person if isinstance(person, str) else person.rel
        self.report.tell(f"{where}: {line}")


def sync_contacts(config: Config, folder: Path, network: Network, plan: Plan, today: Date,
                  write: bool = True, notes: Notes | None = None) -> Report:
    """Bring the folder's cards and the vault's people in step (see the module's docstring).

    ``notes`` gives a person's note as parsed for ``network`` (a session keeps
    them); without it each note is read again.
    """
    report = Report("contacts", str(folder), dry_run=not write)
    if write and open_folder(folder):
        report.tell(f"made the folder {folder}")
    items, problems = read_folder(folder, EXT) if folder.is_dir() else ({}, [])
    report.problems += problems
    run = Run(config, folder, today, write, report, items)
    shared = state.load_shared(config)
    run.entries = dict(shared.entries["contacts"])
    local = state.load_local(config, "contacts", folder)
    if local is not None and local.seen and not items:
        count = len(local.seen)
        report.tell(f"{folder} is empty, while it held {count} card{'s' if count != 1 else ''} at the last sync here: "
                    "every card is written again, and none is taken as deleted on the phone")
    seen = set(local.seen) if local is not None and items else set()
    run.local = local
    run.check_ins = check_in_days(plan, network.standings)
    _read_people(run, network, notes or read_note(config))
    _assign(run)
    _take_new_cards(run)
    present: dict[str, str] = {uid: item.name for uid, item in run.items.items()}
    for person in sorted(run.people, key=lambda p: p.rel):
        uid = person.card
        if uid is None:
            continue
        entry = run.entries.get(uid)
        if entry is not None and entry.get("status") == "deleted":
            continue
        item = run.items.get(uid)
        if item is None and uid in seen and entry is not None:
            run.entries[uid] = {"status": "deleted", "name": person.name, "path": person.rel,
                                "since": today.isoformat()}
            run.tell(person, "its card was deleted on the phone: the note stays, and the card is not sent again "
                     f"(delete its line in {state.state_rel(config)} to send it again)")
            continue
        written = _sync_person(run, person, item, entry)
        if written is not None:
            present[uid] = written
    _forget_gone(run)
    if write:
        if run.news:
            memory.save(config, rolechanges.report(memory.load(config), run.news, today))
        state.save_shared(config, "contacts", run.entries)
        state.save_local(config, "contacts", folder, state.Local(str(folder.resolve()), present, run.known))
    return report


# ------------------------------------------------------------------ the vault's people


Notes = Callable[[str], Note | None]


def read_note(config: Config) -> Notes:
    """A person's note, read from the vault."""

    def note(rel: str) -> Note | None:
        try:
            data = read_bytes(config.root / rel)
        except (OSError, VaultnetError):
            return None
        return parse_note(rel, data, config.person_tags)[0] if data is not None else None

    return note


def _read_people(run: Run, network: Network, notes: Notes) -> None:
    """Every person's note as it is now, with their card's UID (two notes with one UID: neither is synced)."""
    config = run.config
    owners: dict[str, list[Person]] = {}
    for standing in network.standings:
        contact = standing.contact
        note = notes(contact.path)
        if note is None:
            continue
        props = properties(note, config)
        uid = props.get(UID_KEY)
        uid = " ".join(str(uid).split()) if isinstance(uid, (str, int)) and str(uid).strip() else None
        person = Person(contact.path, contact.name, vault_fields(contact, props), False, standing, uid,
                        contact=contact)
        run.people.append(person)
        if uid:
            owners.setdefault(uid, []).append(person)
    for uid, found in owners.items():
        if len(found) > 1:
            paths = " and ".join(sorted(p.rel for p in found))
            run.report.problems.append(Problem(found[0].rel, None, f"{paths} have the same {UID_KEY} {uid!r}; neither "
                                               "is synced until one is removed (a copied note keeps the UID)"))
            for person in found:
                person.uid = None
                run.people.remove(person)
        else:
            run.by_uid[uid] = found[0]


def _derived(rel: str) -> str:
    return "vaultnet-" + hashlib.sha256(rel.encode("utf-8")).hexdigest()[:20]


def _assign(run: Run) -> None:
    """A UID for everyone without one: the one the state knows for their note, else one made from its path."""
    known = {entry.get("path"): uid for uid, entry in run.entries.items()
             if entry.get("status") in ("linked", "gone") and uid not in run.by_uid}
    for person in sorted(run.people, key=lambda p: p.rel):
        if person.uid is not None:
            continue
        uid = known.get(person.rel)  # its vcard_uid line was removed: the same card
        if uid is None:
            base = uid = _derived(person.rel)
            number = 1
            while uid in run.by_uid or uid in run.entries:  # a card deleted on the phone: a new one
                number += 1
                uid = f"{base}-{number}"
        person.assigned = uid
        run.by_uid[uid] = person


# ------------------------------------------------------------------ cards made on the phone


def _take_new_cards(run: Run) -> None:
    """Cards nobody in the vault has: a person without a card takes theirs, else a new note for triage."""
    free = [p.contact for p in run.people if p.uid is None and p.card not in run.items and p.contact is not None]
    matcher = Matcher(free)
    by_rel = {p.rel: p for p in run.people}
    for uid in sorted(run.items):
        if uid in run.by_uid:
            continue
        entry = run.entries.get(uid)
        if entry is not None:
            if entry.get("status") == "linked":
                entry["status"] = "gone"
                run.tell(entry.get("path", "?"), f"no note has {UID_KEY} {uid} any more: its card stays on the phone "
                         "(delete it there, or give a note this vcard_uid again)")
            continue
        item = run.items[uid]
        try:
            phone = card_fields(read_card(item.text))
        except ValueError as err:
            run.report.problems.append(Problem(str(run.folder / item.name), None, f"{err}; left alone"))
            continue
        made_for = phone.get("path")
        if isinstance(made_for, str):
            person = by_rel.get(made_for)
            if person is not None and person.uid is None:
                _link(run, person, uid)
            else:
                run.tell(str(run.folder / item.name), f"written by vaultnet for {made_for}, which this vault does not "
                         "have (yet): left alone until it does")
            continue
        name = phone.get("name") or next(iter(phone.get("email") or []), None)
        if not isinstance(name, str):
            _leave(run, uid, str(run.folder / item.name), "a card with no name and no email: not taken into the vault")
            continue
        record = Record(name, str(run.folder / item.name), emails=list(phone.get("email") or []),
                        linkedin=_text(phone.get("linkedin")))
        contact, ambiguous = matcher.match(record)
        if ambiguous:
            _leave(run, uid, name, f"a new card on the phone: {ambiguous}")
        elif contact is not None:
            person = by_rel[contact.path]
            if person.uid is None and person.card not in run.items:
                _link(run, person, uid)
                run.tell(person, f"linked to the card {name!r} made on the phone")
            else:
                _leave(run, uid, name, f"a new card on the phone, for {contact.path}, who has a card already: not taken "
                       "(merge the two cards on the phone)")
        else:
            _create(run, uid, item, name, phone)


def _link(run: Run, person: Person, uid: str) -> None:
    if person.assigned is not None:
        run.by_uid.pop(person.assigned, None)
    person.assigned = uid
    run.by_uid[uid] = person


def _leave(run: Run, uid: str, where: str, why: str) -> None:
    run.entries[uid] = {"status": "left", "name": where, "since": run.today.isoformat()}
    run.tell(where, why + f" (delete its line in {state.state_rel(run.config)} to try again)")


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _create(run: Run, uid: str, item: Item, name: str, phone: Fields) -> None:
    """A new note for a card made on the phone, tagged for triage, holding everything the card says."""
    config = run.config
    values: dict[str, Any] = {}
    for key in MERGED:
        if key in phone and key != "name":
            values[key] = note_value(key, phone[key])
    tags = [tag for tag in _as_list(values.get("tags")) if tag != TRIAGE_TAG]
    values["tags"] = [*tags, TRIAGE_TAG]
    values[UID_KEY] = uid
    contacts = [p.contact for p in run.people if p.contact is not None]
    now = dt.datetime.combine(run.today, dt.time())
    try:
        rel = create_contact(config, name, values, contacts, dry_run=not run.write, now=now)
    except (ContactExists, VaultnetError) as err:
        _leave(run, uid, name, f"a new card on the phone: {err}")
        return
    text = phone.get("note")
    if run.write and isinstance(text, str) and text.strip():
        quoted = "\n".join("> " + line for line in text.strip().splitlines())
        edit_text(config.root, rel, lambda body: (body or "").rstrip("\n") + f"\n\nThe card's note:\n{quoted}\n")
    run.report.counts["notes created"] += 1
    run.report.changed.add(rel)
    run.tell(rel, f"created from a new card on the phone ({name}), tagged #{TRIAGE_TAG}")
    fields = {key: value for key, value in phone.items() if key in KINDS}
    fields.update({"name": rel.rsplit("/", 1)[-1][:-3], "tags": values["tags"]})
    person = Person(rel, str(fields["name"]), fields, True, uid=uid)
    run.people.append(person)
    run.by_uid[uid] = person


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(item) for item in value] if isinstance(value, list) else [str(value)]


# ------------------------------------------------------------------ one person


def _sync_person(run: Run, person: Person, item: Item | None, entry: dict[str, Any] | None) -> str | None:
    """Merge one person's note and card, write both as needed; the card's file name, or None when left alone."""
    uid = person.card
    assert uid is not None
    check_in = run.check_ins.get(person.rel)
    the_brief = brief(person.standing, check_in[0] if check_in else None)
    circles = list(run.config.circles)
    inputs = inputs_digest(uid, person.rel, person.fields, the_brief, entry, circles)
    if (item is not None and run.local is not None and entry is not None and entry.get("status") == "linked"
            and run.local.unchanged(uid, item.stat, inputs)):
        run.report.counts["unchanged"] += 1  # neither the card nor anything it is made from changed
        run.known[uid] = run.local.known[uid]
        return item.name
    existing = None
    phone: Fields = {}
    if item is not None:
        try:
            existing = read_card(item.text)
        except ValueError as err:
            run.report.problems.append(Problem(str(run.folder / item.name), None, f"{err}; left alone"))
            return item.name
        phone = card_fields(existing)
    base = entry.get("agreed") if entry is not None and entry.get("status") in ("linked", "gone") else None
    if not isinstance(base, dict):
        base = None
    if base is not None:  # a phone never removes vaultnet's own properties; a server that drops them does
        phone.update({key: base[key] for key in OWN if key not in phone and key in base})
    only = entry.get("phone_only") if entry is not None else None
    changed = item is not None and (base is None or any(
        not same_value(key, phone.get(key), base.get(key)) for key in MERGED))
    rooms = _rooms(run, person) if changed and not person.created else {}
    if item is None:
        outcome = merge(None, person.fields, person.fields, rooms)  # a new card: the note's values
    else:
        outcome = merge(base, person.fields, phone, rooms, only if isinstance(only, dict) else None)
    note_changed = bool(outcome.add) or (person.uid is None and not person.created)
    if not _write_note(run, person, outcome):
        return item.name if item is not None else None
    for finding in outcome.findings:
        run.tell(person, f"{finding.key}: {finding.text}")
        if finding.what == "changed" and base is not None and finding.key in rolechanges.FIELDS:
            run.news.append((person.rel, finding.key, finding.note or "", finding.phone or ""))
    said = phone.get("note")
    if base is not None and isinstance(said, str) and said != base.get("note") and said != the_brief:
        run.tell(person, f"the card's note was changed on the phone ({said!r}); it holds vaultnet's brief, which "
                 "replaces it: write what matters in the note")
    agreed = {key: value for key, value in outcome.agreed.items() if KINDS.get(key) in ("items", "text", "name")}
    entry_out: dict[str, Any] = {"status": "linked", "name": person.name, "path": person.rel,
                                 "agreed": {**dict(sorted(agreed.items())), "note": the_brief}}
    if outcome.phone_only:
        entry_out["phone_only"] = dict(sorted(outcome.phone_only.items()))
    if (item is not None and run.local is not None and run.local.made_from(uid) == inputs and entry_out == entry
            and not outcome.add and not outcome.findings and said in (None, the_brief)):
        # Nothing changed on either side, only the file: a server's own rendition of the card vaultnet wrote
        # (servers that rewrite a card and give no ETag for it send it back). Writing it again would never end.
        run.report.counts["unchanged"] += 1
        run.known[uid] = [*item.stat, inputs]
        return item.name
    location = base.get("location") if base is not None else None
    text = render_card(existing, uid, outcome.agreed, the_brief, circles, person.rel,
                       location if isinstance(location, str) else None)
    name = item.name if item is not None else file_name(uid, EXT)
    stat = item.stat if item is not None else None
    if item is None or signature(text) != signature(item.text):
        if run.write and not write_item(run.folder, name, text, stat):
            run.tell(str(run.folder / name), "changed while vaultnet was syncing: synced next time")
            return name if item is not None else None
        run.report.counts["cards written"] += 1
        stat = stat_of(run.folder, name)
    else:
        run.report.counts["unchanged"] += 1
    run.entries[uid] = entry_out
    if stat is not None and not note_changed:  # a changed note is read again next time: no shortcut until then
        run.known[uid] = [*stat, inputs_digest(uid, person.rel, person.fields, the_brief, entry_out, circles)]
    return name


def _rooms(run: Run, person: Person) -> dict[str, Room]:
    """Where the note, as it is now, can take the phone's new values."""
    try:
        data = read_bytes(run.config.root / person.rel)
    except (OSError, VaultnetError):
        return {}
    return additions.room(run.config, data, MERGED) if data is not None else {}


def _write_note(run: Run, person: Person, outcome: Outcome) -> bool:
    """Add the phone's new values and the card's UID to the note as new lines; False when it cannot take them."""
    values = {key: note_value(key, value) for key, value in outcome.add.items()}
    if person.uid is None and not person.created:
        values[UID_KEY] = person.card
    if not values:
        return True
    config = run.config

    def edited(data: bytes | None) -> bytes | None:
        if data is None:
            raise WriteConflict(f"{person.rel} disappeared while vaultnet was syncing")
        new = additions.add_values(config, data, values)
        if new is None:
            raise VaultnetError(f"{person.rel}: its front matter cannot take new lines (a flow-style mapping, a "
                                "'...' line, or a key it holds as a single value changed meanwhile)")
        return new

    try:
        edit_note(config.root, person.rel, edited, write=run.write)
    except (VaultnetError, WriteConflict, OSError) as err:
        run.report.problems.append(Problem(person.rel, None, f"{err}; not synced this time"))
        return False
    run.report.counts["notes updated"] += bool(outcome.add)
    run.report.changed.add(person.rel)
    if person.uid is None and not person.created:
        person.uid = person.card
    return True


def _forget_gone(run: Run) -> None:
    """Forget cards gone from both sides (a note removed, then its card deleted on the phone; a card left out, then
    deleted): the state holds only what a folder or a note still has."""
    for uid in list(run.entries):
        if uid not in run.by_uid and uid not in run.items:
            del run.entries[uid]
