"""Conversations from mail: an mbox file, a Maildir folder tree, or one message file, read as a stream.

Only headers are read (up to the first blank line of each message), so neither
a body nor an attachment is ever parsed or held in memory, and only the subject
is kept. The mbox is read once, line by line, finding where each message starts
itself; a Maildir is every folder with ``cur/`` or ``new/`` under the one given
(Maildir++ ``.Sub`` folders and nested ones), never ``tmp/``, junk or spam.

What was read of a source is handed back as a :class:`~.ledger.Mark` (how far an
mbox was read and what its bytes there were, which Maildir messages were seen),
and a later read given that mark reads only what is new.

Headers are decoded here: raw 8-bit values as UTF-8 where they are, Windows-1252
for a byte that is not (never the whole header lost for one byte), then RFC 2047
words. A message without ``Date`` is dated by when it was delivered: the mbox
``From_`` line, the Maildir file name, or its first ``Received`` header.
"""

from __future__ import annotations

import base64
import datetime as dt
import email.utils
import itertools
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from vaultnet.base.dates import Date
from vaultnet.base.text import decode_mixed
from vaultnet.capture.ledger import Mark, digest_bytes, key_of
from vaultnet.capture.model import Capture, People, Read, capture_id
from vaultnet.capture.zone import Zone, local_day

if TYPE_CHECKING:
    from vaultnet.importers.records import Progress

MAX_HEADER_BYTES = 512_000
WINDOW = 4096  # bytes hashed before the position reached: an appended mbox still has them there
BoxKind = Literal["mbox", "maildir", "message", "messages"]

_NO_REPLY = re.compile(r"^(?:no-?reply|do-?not-?reply|mailer-daemon|postmaster|bounces?|notifications?)(?:[+._-].*)?$")
_LIST_SENDER = re.compile(r"(?:^owner-|-owner@|-bounces?[+@]|-request@)")
_HEADER_LINE = re.compile(rb"^[\x21-\x39\x3b-\x7e]+[ \t]*:")
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_BETWEEN_WORDS = re.compile(r"(=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=)\s+(?==\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=)")
_FROM_DATE = re.compile(
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s+(\w{3})\s+(\d{1,2})\s+(\d{1,2}):(\d\d)(?::(\d\d))?\s+(?:([+-]\d{4})\s+)?(?:\w{3,5}\s+)?(\d{4})")
_MONTHS = {name: n for n, name in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                             "nov", "dec"), start=1)}
_SIMPLE_ADDRESS = re.compile(r"<([^<>,]*@[^<>,]*)>|(?:^|,)\s*([^<>,\s]+@[^<>,\s]+)\s*(?=,|$)")
_NOT_IN_ADDRESS = re.compile(r"[^\w.!#$%&'*+/=?^`{|}~@-]")
_MAIL_HEADERS = {"from", "to", "cc", "date", "subject", "message-id", "received", "return-path", "delivered-to",
                 "mime-version", "content-type"}
_JUNK = ("junk", "spam", "junk e-mail", "junk email")
_UNIQUE = re.compile(r"[:;!]2,.*$")  # a Maildir file name's flags (`:2,S`; `;2,` and `!2,` where `:` is not allowed)


# ---------------------------------------------------------------- headers


def decode_words(text: str) -> str:
    """RFC 2047 encoded words (``=?utf-8?q?Caf=C3=A9?=``) decoded; anything else left as it is."""
    def word(match: re.Match[str]) -> str:
        charset, encoding, payload = match.group(1).split("*", 1)[0], match.group(2).upper(), match.group(3)
        try:
            if encoding == "B":
                data = base64.b64decode(payload + "=" * (-len(payload) % 4))
            else:
                data = re.sub(rb"=([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]),
                              payload.replace("_", " ").encode("ascii", "replace"))
        except ValueError:
            return match.group(0)
        try:
            return data.decode(charset, "replace")
        except LookupError:  # a charset Python does not know: read it as we read raw bytes
            return decode_mixed(data)

    return _ENCODED_WORD.sub(word, _BETWEEN_WORDS.sub(r"\1", text))


def parse_headers(raw: bytes) -> dict[str, list[str]]:
    """Header fields by lower-case name, unfolded and decoded (raw 8-bit bytes included)."""
    fields: dict[str, list[str]] = {}
    name = None
    for line in raw.splitlines():
        if line[:1] in (b" ", b"\t") and name is not None:
            fields[name][-1] += " " + decode_mixed(line.strip())
            continue
        head, colon, value = line.partition(b":")
        if not colon or not head.strip() or b" " in head.strip():
            name = None
            continue
        name = head.strip().decode("ascii", "replace").lower()
        fields.setdefault(name, []).append(decode_mixed(value.strip()))
    return fields


@dataclass
class Headers:
    """One message's header fields, and what is known of its delivery when it has no Date."""

    fields: dict[str, list[str]]
    delivered: dt.datetime | None = None  # the mbox From_ line's or the Maildir name's time
    key: str = ""  # the Maildir file's unique name: an id for a message without Message-ID
    saved: dt.datetime | None = None  # the message file's modification time (delivery wrote it): the last resort

    def get(self, name: str) -> str | None:
        values = self.fields.get(name)
        return values[0] if values else None

    def text(self, name: str) -> str:
        return " ".join(decode_words(self.get(name) or "").split())

    def addresses(self, *names: str) -> list[str]:
        values = [value for name in names for value in self.fields.get(name, [])]
        found = []
        for value in values:
            if '"' in value or "(" in value or ";" in value:  # quoted names, comments, groups: the full parser
                parsed = [address for _display, address in email.utils.getaddresses([value])]
            else:  # `Ana <ana@x>, bob@y`: most headers, read a hundred times faster
                parsed = [match.group(1) or match.group(2) for match in _SIMPLE_ADDRESS.finditer(value)]
            for address in parsed:
                address = _NOT_IN_ADDRESS.sub("", address).lower()  # a stray byte read as `´` is no part of it
                if "@" in address:
                    found.append(address)
        return found


def is_automated(headers: Headers, sender: str | None) -> bool:
    """Machine-sent mail, never contact: auto-replies, read receipts, bounces, bulk and no-reply senders."""
    auto = (headers.get("auto-submitted") or "").strip().lower()
    if auto and auto != "no":
        return True
    if any(name in headers.fields for name in ("x-autoreply", "x-autorespond", "x-autoresponse",
                                               "x-failed-recipients", "list-unsubscribe-post")):
        return True
    kind = (headers.get("content-type") or "").lower()
    if kind.startswith(("multipart/report", "message/disposition-notification", "message/delivery-status")):
        return True
    if (headers.get("return-path") or "").strip() == "<>":
        return True  # the null sender: bounces and receipts
    precedence = (headers.get("precedence") or "").strip().lower()
    if precedence in ("junk", "auto_reply") or (precedence == "bulk" and not is_list(headers)):
        return True  # bulk without a list: a newsletter
    return bool(sender) and bool(_NO_REPLY.match(sender.split("@", 1)[0]))  # type: ignore[union-attr]


def is_list(headers: Headers) -> bool:
    """Came through a mailing list (its headers, or a list server's Sender)."""
    if any(name in headers.fields for name in ("list-id", "list-post", "mailing-list", "x-mailing-list")):
        return True
    if (headers.get("precedence") or "").strip().lower() == "list":
        return True
    return any(_LIST_SENDER.search(address) for address in headers.addresses("sender"))


def _date(text: str) -> dt.datetime:
    """An RFC 5322 date, or the ISO 8601 one some programs write (``2012-12-08 00:48``)."""
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        when = None
    if when is None:
        try:
            when = dt.datetime.fromisoformat(text.strip())
        except ValueError:
            raise ValueError(f"unreadable Date header {text!r}") from None
    return when


def _received(headers: Headers) -> dt.datetime | None:
    """When the topmost ``Received`` header says the message arrived."""
    for value in headers.fields.get("received", [])[:1]:
        _, _, when = value.rpartition(";")
        try:
            return _date(when.strip())
        except ValueError:
            return None
    return None


def message_time(headers: Headers) -> tuple[dt.datetime, str]:
    """When it was sent (``Date``), else delivered; and the instant as text that no time zone changes."""
    raw = headers.get("date")
    if raw is not None and raw.strip():
        when = _date(raw.strip())
    else:
        found = headers.delivered or _received(headers) or headers.saved
        if found is None:
            raise ValueError("no Date header, and nothing tells when it was delivered")
        when = found
    instant = when.astimezone(dt.UTC).isoformat() if when.tzinfo is not None else when.isoformat()
    return when, instant


def capture_of(headers: Headers, people: People, source: str, zone: Zone = None) -> Capture | None:
    """The email it is with each contact on the other side, or None.

    Mail you sent, or mail sent to you (your address in To or Cc): a reply that
    came through a mailing list still counts when it was addressed to you, while
    list mail addressed only to the list never does.
    """
    senders = headers.addresses("from")
    sender = senders[0] if senders else None
    if is_automated(headers, sender):
        return None
    recipients = headers.addresses("to", "cc", "bcc")
    if people.is_me(sender):
        others = [people.contact(address) for address in recipients]
    elif any(people.is_me(address) for address in recipients):
        others = [people.contact(sender)]
    else:
        return None  # neither from nor directly to the user (a list, a forward, Bcc'd elsewhere)
    met = tuple(sorted({path for path in others if path}))
    if not met:
        return None
    when, instant = message_time(headers)
    subject = headers.text("subject")
    raw_id = (headers.get("message-id") or "").strip().strip("<>").lower()
    if raw_id:
        ident = capture_id("mail", raw_id)
    elif headers.key:
        ident = capture_id("mail", "maildir", headers.key)
    else:
        ident = capture_id("mail", instant, sender or "", subject)
    return Capture(ident, local_day(when, zone), "email", met, subject or "(no subject)", source)


# ---------------------------------------------------------------- what a path holds


def mailbox_file(path: Path) -> Path:
    """The file to read for ``path``: Apple Mail exports a mailbox as a folder ``Inbox.mbox/`` holding ``mbox``."""
    return path / "mbox" if path.is_dir() and (path / "mbox").is_file() and not maildirs(path) else path


def kind_of(path: Path) -> BoxKind:
    """``mbox``, ``maildir``, ``message`` or ``messages`` (a folder of ``.eml`` files); ``ValueError`` saying
    why it is none of them."""
    path = mailbox_file(path)
    if path.is_dir():
        if maildirs(path):
            return "maildir"
        if _message_files(path):
            return "messages"
        raise ValueError("not a Maildir (no folder with cur/ or new/ inside), nor a folder of .eml files, "
                         "nor an mbox file")
    with open(path, "rb") as handle:
        start = handle.read(8192)
    first = start.removeprefix(b"\xef\xbb\xbf").lstrip(b"\r\n \t")
    if first.startswith(b"From "):
        return "mbox"
    if _HEADER_LINE.match(first) and _MAIL_HEADERS & set(parse_headers(re.split(rb"\r?\n\r?\n", first, maxsplit=1)[0])):
        return "message"
    raise ValueError("not an mbox file (no 'From ' line first) nor a message (no mail headers first)")


def maildirs(root: Path) -> list[Path]:
    """``root`` and every folder under it holding ``cur/`` or ``new/``, in name order; never junk or spam."""
    found = []
    for folder, subfolders, _files in os.walk(root):
        here = Path(folder)
        if {"cur", "new"} & set(subfolders):
            found.append(here)
        subfolders[:] = sorted(name for name in subfolders if name not in ("cur", "new", "tmp")
                               and name.rsplit(".", 1)[-1].strip().lower() not in _JUNK)
    return sorted(found)


def _message_files(root: Path) -> list[tuple[Path, str]]:
    """Every ``.eml`` file under ``root`` (hidden ones left out), with its path relative to it."""
    return sorted((file, file.relative_to(root).as_posix()) for file in root.rglob("*.eml")
                  if file.is_file() and not any(part.startswith(".") for part in file.relative_to(root).parts))


def unique_name(file_name: str) -> str:
    """A Maildir message's name without its flags: it stays the same when the message is read or moved."""
    return _UNIQUE.sub("", file_name)


def _name_time(name: str) -> dt.datetime | None:
    match = re.match(r"(\d{9,11})\.", name)
    return dt.datetime.fromtimestamp(int(match.group(1)), dt.UTC) if match else None


def from_line_time(line: bytes) -> dt.datetime | None:
    """The delivery time an mbox ``From_`` line holds (``From x Fri Jul  8 12:08:34 2011``)."""
    match = _FROM_DATE.search(line.decode("ascii", "replace"))
    if not match:
        return None
    month, day, hour, minute, second, offset, year = match.groups()
    try:
        when = dt.datetime(int(year), _MONTHS[month.lower()], int(day), int(hour), int(minute), int(second or 0))
    except (KeyError, ValueError):
        return None
    if offset:
        sign = 1 if offset[0] == "+" else -1
        when = when.replace(tzinfo=dt.timezone(sign * dt.timedelta(hours=int(offset[1:3]), minutes=int(offset[3:]))))
    return when


# ---------------------------------------------------------------- reading


@dataclass
class Found:
    """One message's headers as read (or why they could not be), and where it is."""

    where: str
    raw: bytes = b""
    delivered: dt.datetime | None = None
    key: str = ""
    saved: dt.datetime | None = None
    error: str | None = None


def scan_mbox(path: Path, start: int, stop: int, numbered: int, tick: Any = None) -> Iterator[tuple[int, Found]]:
    """Each message starting at or after ``start`` and before ``stop``: (its offset, its headers).

    A message starts at a ``From `` line that follows a blank line (or starts the
    file), when the line holds a time or the next line is a header: Thunderbird
    left body lines starting with ``From `` unquoted.
    """
    with open(path, "rb") as handle:
        handle.seek(start)
        offset = start
        blank = True
        candidate: tuple[int, bytes] | None = None
        header: list[bytes] | None = None
        size = 0
        current: tuple[int, dt.datetime | None] | None = None  # the message being read: offset, From_ time
        megabytes = start >> 20
        for line in handle:
            if offset >= stop:
                break
            here = offset
            offset += len(line)
            if tick is not None and offset >> 20 != megabytes:
                megabytes = offset >> 20
                tick()
            if header is not None:  # inside a message's headers
                if line in (b"\n", b"\r\n"):
                    assert current is not None
                    numbered += 1
                    yield current[0], Found(f"message {numbered}", b"".join(header), current[1])
                    header, blank = None, True
                    continue
                size += len(line)
                if size > MAX_HEADER_BYTES:
                    assert current is not None
                    numbered += 1
                    yield current[0], Found(f"message {numbered}", error="headers larger than 512 kB")
                    header, blank = None, False
                    continue
                header.append(line)
                continue
            if candidate is not None:
                at, from_line = candidate
                candidate = None
                if _HEADER_LINE.match(line):
                    current, header, size = (at, from_line_time(from_line)), [line], len(line)
                    continue
            if blank and line.startswith(b"From "):
                when = from_line_time(line)
                if when is not None:
                    current, header, size = (here, when), [], 0
                else:
                    candidate = (here, line)
                blank = False
                continue
            blank = line in (b"\n", b"\r\n")
        if header is not None and current is not None:  # the file ends inside the last message's headers
            numbered += 1
            yield current[0], Found(f"message {numbered}", b"".join(header), current[1])


def read_mail(path: Path, source: str, people: People, *, since: Date | None = None,
              progress: Progress | None = None, zone: Zone = None, mark: Mark | None = None) -> Read:
    """Captures from what is new in the mailbox since ``mark`` (everything without one); the new mark."""
    read = Read(source, path.name)
    try:
        kind = kind_of(path)
        path = mailbox_file(path)
        stat = path.stat()
    except OSError as err:
        return read.fail(f"cannot read: {err.strerror or err}")
    except ValueError as err:
        return read.fail(str(err))
    digest = people.digest()
    resume = mark if mark is not None and mark.people == digest and mark.kind == kind else None
    try:
        if kind in ("maildir", "messages"):
            found, read.mark = _folder(path, kind, resume, progress)
        elif kind == "mbox":
            found, read.mark = _mbox(path, stat, resume, source, progress)
        else:
            found, read.mark = _message(path, stat, resume)
    except OSError as err:
        return read.fail(f"cannot read: {err.strerror or err}")
    read.mark.people = digest
    for item in found:
        try:
            if item.error is not None:
                raise ValueError(item.error)
            headers = Headers(parse_headers(item.raw), item.delivered, item.key, item.saved)
            capture = capture_of(headers, people, source, zone)
        except Exception as err:  # one malformed message costs only that message
            ident = ""
            if item.error is None:
                ident = (parse_headers(item.raw).get("message-id") or [""])[0].strip()
            named = f"{item.where} {ident}" if ident else item.where
            read.problem(f"{named}: {str(err).splitlines()[0] if str(err) else type(err).__name__}; skipped")
            continue
        if capture is not None and (since is None or capture.date >= since):
            read.captures.append(capture)
    return read


def _mbox(path: Path, stat: os.stat_result, mark: Mark | None, source: str,
          progress: Progress | None) -> tuple[list[Found], Mark]:
    size = stat.st_size
    start, numbered = 0, 0
    with open(path, "rb") as handle:
        if mark is not None and mark.position <= size:
            if (mark.size, mark.mtime_ns, mark.inode) == (size, stat.st_mtime_ns, stat.st_ino):
                return [], mark  # unchanged since it was read
            if _ends(handle, mark.position) == (mark.head, mark.tail):
                start, numbered = mark.position, mark.numbered  # appended to: read only what is new
        if start == 0:  # the first read, or the mailbox was rewritten: from the first From_ line
            first = handle.read(8192)
            start = len(first) - len(first.removeprefix(b"\xef\xbb\xbf").lstrip(b"\r\n \t"))
    tick = None
    if progress is not None and size - start > 64 << 20:
        bar = iter(progress(itertools.repeat(None, (size - start) >> 20), (size - start) >> 20,
                            f"reading {source} (MB)"))
        tick = lambda: next(bar, None)  # noqa: E731
    found: list[Found] = []
    offsets: list[int] = []
    for offset, item in scan_mbox(path, start, size, numbered, tick):
        found.append(item)
        offsets.append(offset)
    position, counted = size, numbered + len(found)
    with open(path, "rb") as handle:
        handle.seek(max(0, size - 1))
        if size and handle.read(1) != b"\n" and offsets:
            position, counted = offsets[-1], counted - 1  # perhaps still being written: read it again next time
        head, tail = _ends(handle, position)
    return found, Mark("mbox", size=size, mtime_ns=stat.st_mtime_ns, inode=stat.st_ino, position=position,
                       numbered=counted, head=head, tail=tail)


def _ends(handle: Any, position: int) -> tuple[str, str]:
    """Hashes of the bytes at the start of the file and just before ``position`` (at most 4 kB each):
    the same when the mailbox was only appended to since."""
    handle.seek(0)
    head = digest_bytes(handle.read(min(WINDOW, position)))
    handle.seek(max(0, position - WINDOW))
    return head, digest_bytes(handle.read(position - max(0, position - WINDOW)))


def _maildir_files(root: Path) -> list[tuple[Path, str]]:
    files: list[tuple[Path, str]] = []
    for folder in maildirs(root):
        for sub in ("new", "cur"):
            try:
                names = sorted(os.listdir(folder / sub))
            except (FileNotFoundError, NotADirectoryError):
                continue
            files.extend((folder / sub / name, name) for name in names if not name.startswith("."))
    return files


def _folder(root: Path, kind: BoxKind, mark: Mark | None, progress: Progress | None) -> tuple[list[Found], Mark]:
    """The messages of a Maildir tree (each known by its unique name) or of a folder of .eml files (by path)
    not read before."""
    maildir = kind == "maildir"
    files = _maildir_files(root) if maildir else _message_files(root)
    name_of = unique_name if maildir else str
    seen = set(mark.names) if mark is not None else set()
    listed = {key_of(name_of(name)) for _, name in files}
    new = [(file, name) for file, name in files if key_of(name_of(name)) not in seen]
    items: Iterable[tuple[Path, str]] = progress(new, len(new), f"reading {root.name}") if progress else new
    found = []
    for file, name in items:
        item = Found(f"message {name_of(name)}", delivered=_name_time(name) if maildir else None,
                     key=name_of(name) if maildir else "")
        try:
            with open(file, "rb") as handle:
                item.raw, item.error = _header_block(handle)
                item.saved = dt.datetime.fromtimestamp(os.fstat(handle.fileno()).st_mtime, dt.UTC)
        except FileNotFoundError:
            listed.discard(key_of(name_of(name)))  # moved (read, filed) meanwhile: found again next time
            continue
        found.append(item)
    return found, Mark(kind, names=sorted(listed))


def _message(path: Path, stat: os.stat_result, mark: Mark | None) -> tuple[list[Found], Mark]:
    new_mark = Mark("message", size=stat.st_size, mtime_ns=stat.st_mtime_ns, inode=stat.st_ino)
    if mark is not None and (mark.size, mark.mtime_ns, mark.inode) == (new_mark.size, new_mark.mtime_ns,
                                                                          new_mark.inode):
        return [], mark
    item = Found("message", saved=dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC))
    with open(path, "rb") as handle:
        item.raw, item.error = _header_block(handle)
    return [item], new_mark


def _header_block(handle: Any) -> tuple[bytes, str | None]:
    lines: list[bytes] = []
    size = 0
    for line in handle:
        if line in (b"\n", b"\r\n"):
            break
        size += len(line)
        if size > MAX_HEADER_BYTES:
            return b"", "headers larger than 512 kB"
        lines.append(line)
    return b"".join(lines), None

