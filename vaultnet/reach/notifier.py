"""Notifications at the set times: the day's slice of the plan and the weekly digest, each sent once.

:class:`Notifier` is a hook of ``vaultnet watch``: after each of the watcher's
steps it looks at the clock, and when a notification's time has come (the
day's slice from ``[notify] daily`` on, the digest from ``[notify] weekly`` on
in that week, plus this device's own wait of up to two minutes, so that two
devices do not look at the same moment) and this process has not dealt with
it yet, it reads the record
(:mod:`vaultnet.reach.record`): targets that have it already (from this device
before a restart, or from another device) are left alone; for the others the
message is composed from the watcher's session and handed to the
:class:`Outbox`. The outbox sends in a thread of its own, so a slow or dead
push service never holds up a rebuild; it reads the record again right before
each send, records each delivery at once, and retries a failed one with
back-off (30 s, doubling, at most 30 min) until it is sent or is no longer
current (a day's slice once the day is over), every failure logged. A
notification not sent when the watcher stops is sent when it starts again,
since the record does not have it.

``vaultnet notify`` uses the same pieces without the thread.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import socket
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from vaultnet.base.dates import Date, iso_week
from vaultnet.base.errors import VaultnetError
from vaultnet.files.config import Config, NotifyConfig
from vaultnet.files.generated import sent_rel
from vaultnet.pipeline.session import Session
from vaultnet.reach import record
from vaultnet.reach.links import vault_name
from vaultnet.reach.messages import Kind, Message, daily_id, daily_message, render, weekly_id, weekly_message
from vaultnet.reach.targets import Target, deliver, targets

log = logging.getLogger(__name__)

RETRY_SECONDS = 30.0
STAGGER_SECONDS = 120
PREPARE_AGAIN_SECONDS = 60.0
MAX_RETRY_SECONDS = 1800.0
Send = Callable[[Target, str, str, str], "str | None"]
Outcome = Literal["sent", "already sent"] | str  # or why it failed


def device_name() -> str:
    return socket.gethostname().split(".")[0] or "this device"


def device_stagger(device: str) -> float:
    """Seconds this device waits after a notification's time: 0 to 119, the same every day, different per device.

    Two devices whose watchers both run read the record before sending; the
    one that waits longer finds the other's line there when the sync tool has
    carried it across meanwhile (Obsidian Sync and Syncthing take seconds).
    """
    return float(int(hashlib.sha256(device.encode("utf-8")).hexdigest(), 16) % STAGGER_SECONDS)


def due(notify: NotifyConfig, today: Date, now: dt.time) -> list[tuple[Kind, str]]:
    """The notifications whose time has come on ``today`` at ``now``, with their ids.

    The day's slice is due from its time to the end of the day; the digest
    from its weekday and time to the end of that ISO week (a watcher started
    on Tuesday still sends Monday's digest).
    """
    found: list[tuple[Kind, str]] = []
    if notify.daily is not None and now >= notify.daily:
        found.append(("daily", daily_id(today)))
    if notify.weekly is not None and (today.weekday(), now) >= notify.weekly:
        found.append(("weekly", weekly_id(iso_week(today))))
    return found


def schedule(notify: NotifyConfig) -> str:
    """When the notifications go out, in words."""
    from vaultnet.files.config import WEEKDAYS

    daily = f"the day's slice goes out at {notify.daily:%H:%M}" if notify.daily else "no day's slice ([notify] daily)"
    weekly = (f"the weekly digest on {WEEKDAYS[notify.weekly[0]].capitalize()} at {notify.weekly[1]:%H:%M}"
              if notify.weekly else "no weekly digest ([notify] weekly)")
    return f"{daily}, {weekly}"


def compose(session: Session, kind: Kind, today: Date) -> Message:
    """The message of ``kind`` for ``today``, worked out from the session's notes (nothing is written)."""
    network, plan, _ = session.builder(today, write=False).prepare_plan()
    vault = vault_name(session.config)
    return (daily_message if kind == "daily" else weekly_message)(plan, network, vault)


def last_day(message: Message) -> Date | None:
    """The last day a message is worth sending: its day, or the Sunday of a digest's week."""
    if message.day is None:
        return None
    return message.day + dt.timedelta(days=6) if message.kind == "weekly" else message.day


def attempt(config: Config, message: Message, target: Target, *, at: dt.datetime, device: str,
            send: Send = deliver, remember: bool = True, check: bool = True) -> Outcome:
    """Send ``message`` to ``target`` unless the record has it (``check``); record it when delivered (``remember``).

    Returns ``"sent"``, ``"already sent"`` (the record has it: from another
    device, or an earlier run), or why it failed.
    """
    if check and (message.id, target.key) in record.sent(config):
        return "already sent"
    failure = send(target, message.title, render(message, config.notify.format), config.notify.format)
    if failure is not None:
        return failure
    if remember:
        try:
            record.remember(config, [record.line(message.id, target.key, at, device)], at.date())
        except (VaultnetError, OSError) as err:  # delivered all the same: say so, and never send it twice from here
            log.error("sent %s to %s, but could not record it in %s: %s", message.id, target.label,
                      sent_rel(config), err)
    return "sent"


@dataclass
class Delivery:
    config: Config
    message: Message
    target: Target
    attempts: int = 0
    next_try: float = 0.0
    last_error: str = field(default="")


class Outbox:
    """Deliveries in a thread of their own, each retried with back-off until sent or out of date."""

    def __init__(self, today: Callable[[], Date], now: Callable[[], dt.datetime] = dt.datetime.now, *,
                 device: str | None = None, retry: float = RETRY_SECONDS, max_retry: float = MAX_RETRY_SECONDS,
                 send: Send = deliver, clock: Callable[[], float] = time.monotonic) -> None:
        self.today = today
        self.now = now
        self.device = device or device_name()
        self.retry = retry
        self.max_retry = max_retry
        self.send = send
        self.clock = clock
        self.pending: list[Delivery] = []
        self.sent = 0  # deliveries made (for tests and logs)
        self.failures = 0  # failed attempts
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def put(self, config: Config, message: Message, to: Sequence[Target]) -> None:
        with self._lock:
            self.pending.extend(Delivery(config, message, target) for target in to)
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="vaultnet-notify", daemon=True)
                self._thread.start()
        self._wake.set()

    def _loop(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            with self._lock:
                ready = [d for d in self.pending if d.next_try <= self.clock()]
            for delivery in ready:
                if self._stopping.is_set():
                    break
                self._try(delivery)
            with self._lock:
                waits = [d.next_try - self.clock() for d in self.pending]
            self._wake.wait(max(0.0, min(waits)) if waits else None)

    def _drop(self, delivery: Delivery) -> None:
        with self._lock:
            self.pending.remove(delivery)

    def _try(self, delivery: Delivery) -> None:
        message, target = delivery.message, delivery.target
        last = last_day(message)
        if last is not None and self.today() > last:
            log.error("gave up sending %s to %s after %d attempt(s): %s", message.id, target.label,
                      delivery.attempts, delivery.last_error)
            self._drop(delivery)
            return
        try:
            outcome = attempt(delivery.config, message, target, at=self.now(), device=self.device, send=self.send)
        except Exception as err:  # a bug or a vault that went away: log it and keep trying, never die
            outcome = f"{type(err).__name__}: {err}"
        if outcome in ("sent", "already sent"):
            if outcome == "sent":
                self.sent += 1
                log.info("sent %s to %s", message.id, target.label)
            else:
                log.info("%s was sent to %s already (another device, or before a restart)", message.id, target.label)
            self._drop(delivery)
            return
        delivery.attempts += 1
        delivery.last_error = outcome
        self.failures += 1
        wait = min(self.max_retry, self.retry * 2 ** (delivery.attempts - 1))
        delivery.next_try = self.clock() + wait
        log.warning("could not send %s to %s (attempt %d): %s; trying again in %s", message.id, target.label,
                    delivery.attempts, outcome, _duration(wait))

    def close(self, timeout: float = 5.0) -> None:
        """Stop; deliveries not made yet are logged (the next start sends them: the record lacks them)."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        for delivery in self.pending:
            log.warning("%s not sent to %s yet; it is sent when the watcher starts again (if still current)",
                        delivery.message.id, delivery.target.label)


def _duration(seconds: float) -> str:
    return f"{seconds:g} s" if seconds < 120 else f"{seconds / 60:g} min"


class Notifier:
    """The watcher's hook: each notification once, at its time (see the module's docstring)."""

    def __init__(self, now: Callable[[], dt.datetime] = dt.datetime.now, *, device: str | None = None,
                 stagger: float | None = None, retry: float = RETRY_SECONDS, max_retry: float = MAX_RETRY_SECONDS,
                 send: Send = deliver) -> None:
        self.now = now
        device = device or device_name()
        self.stagger = device_stagger(device) if stagger is None else stagger
        self.day: Date | None = None
        self.handled: set[str] = set()  # ids this process has dealt with (the record says the rest)
        self._later: dict[str, float] = {}  # ids whose message could not be prepared: not before then
        self.outbox = Outbox(lambda: self.day or dt.date.today(), now, device=device, retry=retry,
                             max_retry=max_retry, send=send)

    def __call__(self, session: Session, today: Date) -> None:
        self.day = today
        config = session.config
        if not config.notify.urls:
            return  # nothing leaves the machine unless [notify] lists where to
        now = self.now()
        waited = now - dt.timedelta(seconds=self.stagger)
        clock = waited.time() if waited.date() == now.date() else dt.time(0)  # just after midnight: the new day's 00:00
        for kind, message_id in due(config.notify, today, clock):
            if message_id in self.handled or self._later.get(message_id, 0.0) > time.monotonic():
                continue
            self.handled.add(message_id)
            try:
                self.submit(session, kind, today)
            except Exception as err:  # the plan could not be worked out (a note vaultnet cannot read): try again later
                self.handled.discard(message_id)
                self._later[message_id] = time.monotonic() + PREPARE_AGAIN_SECONDS
                log.error("could not prepare %s: %s; trying again in %s", message_id, err,
                          _duration(PREPARE_AGAIN_SECONDS), exc_info=log.isEnabledFor(logging.DEBUG))

    def submit(self, session: Session, kind: Kind, today: Date) -> None:
        config = session.config
        message_id = daily_id(today) if kind == "daily" else weekly_id(iso_week(today))
        done = record.sent(config)
        missing = [target for target in targets(config) if (message_id, target.key) not in done]
        if not missing:
            log.info("%s was sent already", message_id)
            return
        message = compose(session, kind, today)
        if message.empty:
            log.info("%s: nothing to send", message_id)
            return
        self.outbox.put(config, message, missing)

    def close(self) -> None:
        self.outbox.close()
