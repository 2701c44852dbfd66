"""The macOS Messages database, ``~/Library/Messages/chat.db``: iMessage, SMS and RCS.

The database is never opened where it is: Messages may be writing it, and
recent messages are often still in its write-ahead log. It is copied with its
``-wal`` and ``-shm`` files into a temporary folder, and the copy is opened
read-only (``immutable`` would miss what is only in the log). Reading
``~/Library/Messages`` needs Full Disk Access for the terminal.

A message's time is ``date``, nanoseconds since 2001-01-01 UTC (seconds before
macOS 10.13). Reactions (tapbacks) and group events are rows of their own and
are no messages. A chat's other people are its handles (``chat_handle_join``),
each a phone number or an address, with the country Messages read the number
in. ``text`` is never read (it is often empty anyway: the body now lives in
``attributedBody``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.request import pathname2url

from vaultnet.capture.conversations import Chat, Party, Sent

APPLE_EPOCH = dt.datetime(2001, 1, 1, tzinfo=dt.UTC)
GROUP_STYLE = 43
SQLITE_MAGIC = b"SQLite format 3\x00"


class NotADatabase(ValueError):
    """The file is no Messages database, or cannot be read."""


def looks_like_database(head: bytes) -> bool:
    return head.startswith(SQLITE_MAGIC)


@contextlib.contextmanager
def read_only_copy(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to a copy of the database and its write-ahead log, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="vaultnet-chatdb-") as folder:
        copy = Path(folder) / "chat.db"
        try:
            shutil.copyfile(path, copy)
            for suffix in ("-wal", "-shm"):
                companion = path.with_name(path.name + suffix)
                if companion.exists():
                    shutil.copyfile(companion, copy.with_name(copy.name + suffix))
        except PermissionError:
            raise NotADatabase("cannot read it: give your terminal Full Disk Access "
                               "(System Settings › Privacy & Security › Full Disk Access)") from None
        connection = sqlite3.connect(f"file:{pathname2url(str(copy))}?mode=ro", uri=True)
        try:
            yield connection
        finally:
            connection.close()


def _when(value: int | None) -> dt.datetime | None:
    if not value:
        return None
    seconds = value / 1e9 if abs(value) > 10**11 else value  # nanoseconds since macOS 10.13, seconds before
    try:
        return APPLE_EPOCH + dt.timedelta(seconds=seconds)
    except OverflowError:
        return None


def _columns(connection: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}  # noqa: S608 (a fixed name)


def read_database(path: Path) -> tuple[list[Chat], list[str | None]]:
    """The chats of a Messages database, and the countries of its handles (for numbers written without one)."""
    try:
        with read_only_copy(path) as connection:
            return _read(connection, path.name)
    except sqlite3.DatabaseError as err:
        raise NotADatabase(f"not a readable Messages database ({err})") from None


def _read(connection: sqlite3.Connection, where: str) -> tuple[list[Chat], list[str | None]]:
    message, chat_columns = _columns(connection, "message"), _columns(connection, "chat")
    if not {"ROWID", "is_from_me", "date"} <= message or "guid" not in chat_columns:
        raise NotADatabase("not a Messages database (no message and chat tables)")
    conditions = ["1 = 1"]
    if "item_type" in message:
        conditions.append("COALESCE(m.item_type, 0) = 0")  # group events: renames, people joining or leaving
    if "associated_message_type" in message:
        conditions.append("COALESCE(m.associated_message_type, 0) NOT BETWEEN 1000 AND 3999")  # tapbacks, stickers
    if "group_action_type" in message:
        conditions.append("COALESCE(m.group_action_type, 0) = 0")
    style = "c.style" if "style" in chat_columns else "NULL"
    name = "c.display_name" if "display_name" in chat_columns else "NULL"
    service = "c.service_name" if "service_name" in chat_columns else "NULL"
    identifier = "c.chat_identifier" if "chat_identifier" in chat_columns else "NULL"
    country = "h.country" if "country" in _columns(connection, "handle") else "NULL"
    handles: dict[int, tuple[str, str | None]] = {
        rowid: (handle, region) for rowid, handle, region in connection.execute(
            f"SELECT h.ROWID, h.id, {country} FROM handle h")}  # noqa: S608 (column names only)
    members: dict[int, list[int]] = {}
    for chat_id, handle_id in connection.execute("SELECT chat_id, handle_id FROM chat_handle_join"):
        members.setdefault(chat_id, []).append(handle_id)
    chats: dict[int, Chat] = {}
    query = (f"SELECT c.ROWID, c.guid, {style}, {name}, {service}, {identifier}, m.is_from_me, m.date, m.handle_id "
             "FROM message m JOIN chat_message_join j ON j.message_id = m.ROWID JOIN chat c ON c.ROWID = j.chat_id "
             f"WHERE {' AND '.join(conditions)} ORDER BY c.ROWID, m.date, m.ROWID")  # noqa: S608 (fixed conditions)
    for chat_id, guid, chat_style, display, service_name, chat_identifier, from_me, date, handle_id in \
            connection.execute(query):
        chat = chats.get(chat_id)
        if chat is None:
            people = [handles[h] for h in members.get(chat_id, []) if h in handles]
            group = chat_style == GROUP_STYLE or len(people) > 1
            shown = str(display or "") if group and display else ", ".join(h for h, _ in people) or str(
                chat_identifier or guid)
            chat = chats[chat_id] = Chat("messages", str(guid), shown, where, group=group,
                                         shown=str(service_name or "iMessage") if service_name in (
                                             "iMessage", "SMS", "RCS") else "iMessage")
            for handle, region in people:
                party = Party(handle, numbers=() if "@" in handle else (handle,),
                              emails=(handle,) if "@" in handle else (), region=(region or None) and region.upper())
                chat.parties[handle] = party
        when = _when(date)
        if when is None:
            continue
        if from_me:
            chat.messages.append(Sent(when, None))
            continue
        sender = handles.get(handle_id, ("", None))[0]
        if sender not in chat.parties:
            if chat.group or not chat.parties:
                continue  # a sender the chat does not list: never counted for someone else
            sender = next(iter(chat.parties))
        chat.messages.append(Sent(when, sender))
    regions = [region for region in (region for _, region in handles.values()) if region]
    return _one_thread_a_person(chats.values()), [region.upper() for region in regions]


def _one_thread_a_person(chats: Iterable[Chat]) -> list[Chat]:
    """Personal chats with the same handle (an iMessage thread and an SMS one with one number) as one chat."""
    merged: dict[str, Chat] = {}
    for chat in chats:
        key = chat.key if chat.group or len(chat.parties) != 1 else "with:" + next(iter(chat.parties))
        kept = merged.get(key)
        if kept is None:
            chat.key = key
            merged[key] = chat
            continue
        kept.messages.extend(chat.messages)
        if kept.shown != chat.shown:
            kept.shown = "iMessage"
    return list(merged.values())
