"""Telegram Desktop's JSON export: ``result.json`` of all chats, or of one chat.

*Settings › Advanced › Export Telegram data* (format JSON) writes your chats
under ``chats.list`` (and those you left under ``left_chats``), with your own
id in ``personal_information`` and your contacts' numbers in ``contacts``;
a chat's *Export chat history* writes that one chat as the whole file. In a
personal chat the chat's id is the other person's, and their messages carry
``from_id: "user<id>"``: every other message is yours, so no setting is needed.

Only messages count (``type: "message"``); calls and other service lines do
not. Times are ``date_unixtime`` (seconds, UTC; Telegram Desktop 3.7.6 and
later); older exports have only ``date``, the exporting computer's wall time,
which is dated as written (and said).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from vaultnet.capture.conversations import Chat, Party, Sent
from vaultnet.capture.phonebook import region_of

PERSONAL = "personal_chat"
GROUPS = ("private_group", "private_supergroup", "public_supergroup")


class NotAnExport(ValueError):
    """The file is no Telegram JSON export."""


def looks_like_export(head: bytes) -> bool:
    """Whether a JSON file's start is Telegram's (a personal chat, a whole export)."""
    text = head.decode("utf-8", "replace")
    return '"personal_information"' in text or ('"messages"' in text and '"type"' in text and (
        '"personal_chat"' in text or any(f'"{kind}"' in text for kind in GROUPS) or '"saved_messages"' in text))


def _id(value: Any) -> str | None:
    """A user's id, however the export writes it: ``123``, ``"user123"``."""
    if isinstance(value, bool) or value is None:
        return None
    text = str(value)
    for prefix in ("user", "chat", "channel"):
        text = text.removeprefix(prefix)
    return text if text.lstrip("-").isdigit() else None


def _when(message: dict[str, Any]) -> tuple[dt.datetime | None, bool]:
    """The message's time (aware when the export gives seconds since 1970), and whether it was a wall time."""
    unix = message.get("date_unixtime")
    if isinstance(unix, (str, int)) and str(unix).isdigit():
        return dt.datetime.fromtimestamp(int(unix), dt.UTC), False
    try:
        return dt.datetime.fromisoformat(str(message.get("date"))), True
    except ValueError:
        return None, False


def read_export(path: Path) -> tuple[list[Chat], list[str], str | None, int]:
    """The personal chats and groups of an export, what was said of it, your own number's country, and how
    many chats were not conversations (saved messages, bots, channels)."""
    try:
        with open(path, "rb") as handle:
            data = json.load(handle)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise NotAnExport(f"not a readable JSON file ({err})") from None
    if not isinstance(data, dict):
        raise NotAnExport("not a Telegram export (the file holds no object)")
    me_info = data.get("personal_information")
    me = _id(me_info.get("user_id")) if isinstance(me_info, dict) else None
    my_region = region_of(str(me_info.get("phone_number") or "")) if isinstance(me_info, dict) else None
    numbers: dict[str, str] = {}
    names: dict[str, str] = {}
    contacts = data.get("contacts")
    for entry in (contacts.get("list") or []) if isinstance(contacts, dict) else []:
        if isinstance(entry, dict) and (user := _id(entry.get("user_id"))):
            if entry.get("phone_number"):
                numbers[user] = str(entry["phone_number"])
            full = " ".join(str(entry.get(key) or "") for key in ("first_name", "last_name")).strip()
            if full:
                names[user] = full
    if isinstance(data.get("messages"), list):
        dialogs = [data]
    else:
        dialogs = []
        for section in ("chats", "left_chats"):
            holder = data.get(section)
            if isinstance(holder, dict) and isinstance(holder.get("list"), list):
                dialogs.extend(item for item in holder["list"] if isinstance(item, dict))
        if not dialogs and me is None:
            raise NotAnExport("not a Telegram export (no chats and no messages in it)")
    chats: list[Chat] = []
    said: list[str] = []
    wall = False
    other = 0
    for dialog in dialogs:
        kind = dialog.get("type")
        chat_id = _id(dialog.get("id"))
        if kind not in (PERSONAL, *GROUPS) or chat_id is None:
            other += 1
            continue
        name = str(dialog.get("name") or "") or names.get(chat_id, "") or f"Telegram user {chat_id}"
        group = kind != PERSONAL
        chat = Chat("telegram", chat_id, name, path.name, group=group)
        if not group:
            chat.parties["them"] = Party(name, numbers=(numbers[chat_id],) if chat_id in numbers else (),
                                         names=tuple(dict.fromkeys(n for n in (name, names.get(chat_id)) if n)))
        for message in dialog.get("messages") or []:
            if not isinstance(message, dict) or message.get("type") != "message":
                continue
            when, walled = _when(message)
            sender = _id(message.get("from_id"))
            if when is None:
                continue
            wall = wall or walled
            if not group:
                if sender == chat_id:
                    chat.messages.append(Sent(when, "them"))
                elif sender is not None and (me is None or sender == me):
                    chat.messages.append(Sent(when, None))  # in a personal chat, the other messages are yours
                continue
            if me is None:
                break  # a group, and no word of who you are: left out (said below)
            if sender == me:
                chat.messages.append(Sent(when, None))
            elif sender is not None:
                if sender not in chat.parties:
                    shown = str(message.get("from") or "") or names.get(sender, f"Telegram user {sender}")
                    chat.parties[sender] = Party(shown, numbers=(numbers[sender],) if sender in numbers else (),
                                                 names=tuple(dict.fromkeys(n for n in (shown, names.get(sender)) if n)))
                chat.messages.append(Sent(when, sender))
        if group and me is None:
            said.append(f"{path.name}: group {name!r} left out: a single chat's export does not say which "
                        "messages are yours (export your data with Settings › Advanced › Export Telegram data)")
            continue
        chats.append(chat)
    if wall:
        said.append(f"{path.name}: an export from before Telegram Desktop 3.7.6 (no date_unixtime): its "
                    "messages are dated by the exporting computer's clock")
    return chats, said, my_region, other
