"""A real CardDAV/CalDAV server (Radicale) on localhost, a small DAV client that acts as the phone, and
real vdirsyncer between them and vaultnet's folders: for the phone round trip tests.

Everything is bounded: each process and each HTTP request has a timeout, and
the server is stopped (terminated, then killed) when the fixture ends. Nothing
leaves 127.0.0.1; the port is picked free and tried again if it is taken.
"""

from __future__ import annotations

import base64
import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

USER, PASSWORD = "alice", "secret"
NS = {"d": "DAV:", "c": "urn:ietf:params:xml:ns:caldav"}
BIN = Path(sys.executable).parent  # radicale and vdirsyncer come with the test extra, in this environment


def vdirsyncer_exe() -> str:
    """The environment's vdirsyncer, else PATH's; the test is skipped without one."""
    exe = BIN / "vdirsyncer"
    found = str(exe) if exe.exists() else shutil.which("vdirsyncer")
    if not found:
        pytest.skip("vdirsyncer is not installed")
    return found


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")


class DavClient:
    """What a phone does: GET, and PUT with If-Match (never a blind overwrite); PROPFIND, REPORT, MKCOL."""

    def __init__(self, port: int, timeout: float = 5.0) -> None:
        self.port = port
        self.timeout = timeout
        self.auth = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()

    def request(self, method: str, path: str, body: str | None = None,
                headers: dict[str, str] | None = None) -> Response:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body.encode() if body is not None else None,
                         headers={"Authorization": self.auth, **(headers or {})})
            resp = conn.getresponse()
            return Response(resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read())
        finally:
            conn.close()

    def _ok(self, resp: Response) -> Response:
        assert resp.status < 400, f"DAV {resp.status}: {resp.body[:300]!r}"
        return resp

    def mkcol_addressbook(self, path: str) -> None:
        body = ('<?xml version="1.0" encoding="utf-8"?><d:mkcol xmlns:d="DAV:" '
                'xmlns:card="urn:ietf:params:xml:ns:carddav"><d:set><d:prop><d:resourcetype><d:collection/>'
                "<card:addressbook/></d:resourcetype></d:prop></d:set></d:mkcol>")
        self._ok(self.request("MKCOL", path, body, {"Content-Type": "application/xml"}))

    def mkcalendar(self, path: str) -> None:
        body = ('<?xml version="1.0" encoding="utf-8"?><c:mkcalendar xmlns:d="DAV:" '
                'xmlns:c="urn:ietf:params:xml:ns:caldav"><d:set><d:prop><c:supported-calendar-component-set>'
                '<c:comp name="VEVENT"/><c:comp name="VTODO"/></c:supported-calendar-component-set>'
                "</d:prop></d:set></c:mkcalendar>")
        self._ok(self.request("MKCALENDAR", path, body, {"Content-Type": "application/xml"}))

    def get(self, path: str) -> Response:
        return self._ok(self.request("GET", path))

    def put(self, path: str, data: str, content_type: str, etag: str | None = None) -> Response:
        condition = {"If-Match": etag} if etag else {"If-None-Match": "*"}
        return self._ok(self.request("PUT", path, data, {"Content-Type": content_type, **condition}))

    def etags(self, collection: str) -> dict[str, str]:
        """href → ETag of every item of a collection (PROPFIND, depth 1)."""
        body = '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>'
        resp = self._ok(self.request("PROPFIND", collection, body, {"Depth": "1", "Content-Type": "application/xml"}))
        found = {}
        for item in ET.fromstring(resp.body).findall("d:response", NS):
            href, etag = item.findtext("d:href", namespaces=NS) or "", item.findtext(".//d:getetag", namespaces=NS)
            if etag and href.rstrip("/") != collection.rstrip("/"):
                found[href] = etag
        return found

    def items(self, collection: str) -> dict[str, Response]:
        return {href: self.get(href) for href in self.etags(collection)}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Radicale:
    """A Radicale process on 127.0.0.1 with one user and its own storage under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self) -> DavClient:
        return DavClient(self.port)

    def start(self, timeout: float = 10.0, attempts: int = 3) -> Radicale:
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / "users").write_text(f"{USER}:{PASSWORD}\n")
        log = self.root / "radicale.log"
        for _ in range(attempts):  # a port found free can be taken before Radicale binds it
            self.port = _free_port()
            config = self.root / "config"
            config.write_text(
                f"[server]\nhosts = 127.0.0.1:{self.port}\n"
                f"[auth]\ntype = htpasswd\nhtpasswd_filename = {self.root / 'users'}\n"
                "htpasswd_encryption = plain\ndelay = 0\n"  # no sleep after a failed login
                f"[storage]\nfilesystem_folder = {self.root / 'collections'}\n"
                "[web]\ntype = none\n[logging]\nlevel = warning\n")
            with open(log, "ab") as out:
                self.proc = subprocess.Popen([sys.executable, "-m", "radicale", "--config", str(config)],
                                             stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            if self._ready(timeout):
                return self
            self.stop()
        raise RuntimeError(f"Radicale did not start:\n{log.read_text()[-2000:]}")

    def _ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is None or self.proc.poll() is not None:
                return False
            try:
                self.client().request("OPTIONS", "/")
                return True
            except OSError:
                time.sleep(0.05)
        return False

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None


def vdirsyncer_config(path: Path, server: Radicale, contacts: Path, calendar: Path, addressbook: str,
                      reminders: str) -> Path:
    """Two pairs, each one local folder with one server collection, the server winning conflicts (docs/phone.md)."""
    pairs = []
    for name, local, kind, ext, collection in (("contacts", contacts, "carddav", ".vcf", addressbook),
                                               ("calendar", calendar, "caldav", ".ics", reminders)):
        pairs.append(f"""
[pair {name}]
a = "{name}_local"
b = "{name}_remote"
collections = null
conflict_resolution = "b wins"

[storage {name}_local]
type = "filesystem"
path = "{local}"
fileext = "{ext}"

[storage {name}_remote]
type = "{kind}"
url = "{server.url}{collection}"
username = "{USER}"
password = "{PASSWORD}"
""")
    path.write_text(f'[general]\nstatus_path = "{path.parent / "status"}"\n' + "".join(pairs))
    return path


def vdirsyncer(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run vdirsyncer (a prompt would fail rather than wait: stdin is closed)."""
    done = subprocess.run([vdirsyncer_exe(), "-c", str(config), "--verbosity", "INFO", *args], check=False,
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
                          env={**os.environ, "VDIRSYNCER_CONFIG": str(config)})
    assert done.returncode == 0, f"vdirsyncer {' '.join(args)} failed:\n{done.stdout}{done.stderr}"
    return done


def snapshot(*folders: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file → (mtime in ns, inode, bytes): what vdirsyncer and sync tools see change."""
    found = {}
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                stat = path.stat()
                found[str(path)] = (stat.st_mtime_ns, stat.st_ino, path.read_bytes())
    return found
