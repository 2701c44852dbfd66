"""Conversations from an mbox file or a Maildir folder, read as a stream.

Only headers are read (up to the first blank line of each message), so neither
a body nor an attachment is ever held in memory, and only the subject is kept.
"""

from __future__ import annotations

import email.header
import email.policy
import email.utils
import mailbox
import re
from collections.abc import Iterable, Iterator
from email.message import Message
from email.parser import BytesParser
from pathlib import Path
from typing import IO, Any

from vaultnet.base.dates import Date
from vaultnet.capture.model import Capture, People, Read, capture_id
from vaultnet.importers.records import Progress

MAX_HEADER_BYTES = 512_000
_NO_REPLY = re.compile(r"^(?:no-?reply|do-?not-?reply|mailer-daemon|postmaster|bounces?|notifications?)(?:[+._-].*)?$")
# compat32 hands headers over as text: the default policy's header objects cost five times as much.
_PARSER = BytesParser(policy=email.policy.compat32)

def _headers(handle: IO[bytes]) -> Message:
    lines: list[bytes] = []
    size = 0
    for line in handle:
        if line in (b"\n", b"\r\n"):
            break
        size += len(line)
        if size > MAX_HEADER_BYTES:
            raise ValueError("headers larger than 512 kB")
        lines.append(line)
    return _PARSER.parsebytes(b"".join(lines), headersonly=True)


def _text(value: object) -> str:
    """A header as text: RFC 2047 words decoded, raw 8-bit bytes read as UTF-8 where they can be."""
    raw = str(value)
    try:
        text = str(email.header.make_header(email.header.decode_header(raw)))
    except (ValueError, LookupError, UnicodeError):
        text = raw
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _addresses(message: Message, *names: str) -> list[str]:
    values = [str(value) for name in names for value in (message.get_all(name) or [])]
    return [address.lower() for _name, address in email.utils.getaddresses(values) if "@" in address]


def is_automated(message: Message, sender: str | None) -> bool:
    """Lists, bulk and machine-sent mail: never contact."""
    if message.get("List-Id") is not None or message.get("List-Unsubscribe-Post") is not None:
        return True
    if str(message.get("Precedence", "")).strip().lower() in ("bulk", "list", "junk"):
        return True
    auto = str(message.get("Auto-Submitted", "")).strip().lower()
    if auto and auto != "no":
        return True
    return bool(sender) and bool(_NO_REPLY.match(sender.split("@", 1)[0]))  # type: ignore[union-attr]


def message_date(message: Message) -> Date:
    raw = message.get("Date")
    if raw is None:
        raise ValueError("no Date header")
    try:
        when = email.utils.parsedate_to_datetime(str(raw))
    except (TypeError, ValueError):
        raise ValueError(f"unreadable Date header {str(raw)!r}") from None
    if when.tzinfo is not None:
        when = when.astimezone()  # the user's own day
    return when.date()


def capture_of(message: Message, people: People, source: str) -> Capture | None:
    senders = _addresses(message, "From")
    sender = senders[0] if senders else None
    if is_automated(message, sender):
        return None
    recipients = _addresses(message, "To", "Cc", "Bcc")
    if people.is_me(sender):
        others = [people.contact(address) for address in recipients]
    elif any(people.is_me(address) for address in recipients):
        others = [people.contact(sender)]
    else:
        return None  # neither from nor directly to the user
    met = tuple(sorted({path for path in others if path}))
    if not met:
        return None
    day = message_date(message)
    raw_id = str(message.get("Message-ID") or "").strip().strip("<>").lower()
    ident = capture_id("mail", raw_id) if raw_id else capture_id(
        "mail", day.isoformat(), sender or "", _text(message.get("Subject", "")))
    subject = _text(message.get("Subject") or "").strip() or "(no subject)"
    return Capture(ident, day, "email", met, subject, source)


def open_box(path: Path) -> tuple[Any, str]:
    if path.is_dir():
        if not all((path / name).is_dir() for name in ("cur", "new")):
            raise ValueError("not a Maildir (no cur/ and new/ folders) and not an mbox file")
        return mailbox.Maildir(str(path), factory=None, create=False), "Maildir"
    with open(path, "rb") as handle:
        start = handle.read(5)
    if start != b"From ":
        raise ValueError("not an mbox file (it does not start with a 'From ' line)")
    return mailbox.mbox(str(path), factory=None, create=False), "mbox"


def read_mail(path: Path, source: str, people: People, *, since: Date | None = None,
              progress: Progress | None = None) -> Read:
    read = Read(source)
    try:
        box, kind = open_box(path)
        keys = list(box.iterkeys())
    except OSError as err:
        return read.fail(f"cannot read: {err.strerror or err}")
    except (ValueError, mailbox.Error) as err:
        return read.fail(str(err))
    items: Iterable[Any] = progress(keys, len(keys), f"reading {source}") if progress else keys
    read.captures.extend(_messages(box, items, kind, read, people, since))
    box.close()
    return read


def _messages(box: Any, keys: Iterable[Any], kind: str, read: Read, people: People,
              since: Date | None) -> Iterator[Capture]:
    for number, key in enumerate(keys, 1):
        where = f"message {number}" if kind == "mbox" else f"message {key}"
        message: Message | None = None
        try:
            with box.get_file(key) as handle:
                message = _headers(handle)
            capture = capture_of(message, people, read.source)
        except Exception as err:  # one malformed message costs only that message
            ident = str(message.get("Message-ID") or "").strip() if message is not None else ""
            named = f"{where} {ident}" if ident else where
            read.problem(f"{named}: {str(err).splitlines()[0] if str(err) else type(err).__name__}; skipped")
            continue
        if capture is not None and (since is None or capture.date >= since):
            yield capture
