"""Notifications: the schedule, the record in the vault, links, and sending through Apprise.

A local HTTP receiver on 127.0.0.1 (an ephemeral port) stands in for the push
service: Apprise's ``json://`` posts to it. The watcher tests run a real
watcher in this process with a fixed clock and wait on what the receiver got
or on the notifier, never on a fixed sleep.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from vaultnet.base.errors import ConfigError, VaultnetError
from vaultnet.base.sections import BY_ID
from vaultnet.cli.main import main
from vaultnet.files.config import load_config
from vaultnet.pipeline.session import Session
from vaultnet.pipeline.watch import Watcher
from vaultnet.reach import notifier as notifier_module
from vaultnet.reach import record
from vaultnet.reach.links import config_folder, note_uri, vault_name
from vaultnet.reach.messages import daily_message, render, weekly_message
from vaultnet.reach.notifier import Notifier, device_stagger, due
from vaultnet.reach.targets import Target, TargetError, scrub, targets

from conftest import TODAY, write

TIMEOUT = 20
SENT = "vaultnet/Notifications sent.md"
AT_EIGHT = dt.datetime.combine(TODAY, dt.time(8, 0, 5))


class Receiver:
    """A push service on 127.0.0.1: records every post; the first ``failures`` get a 500."""

    def __init__(self) -> None:
        self.posts: list[dict[str, object]] = []
        self.failures = 0
        self.received = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.received:
                    failing = receiver.failures > 0
                    receiver.failures -= failing
                    if not failing:
                        receiver.posts.append({"path": self.path, **json.loads(body)})
                    receiver.received.notify_all()
                self.send_response(500 if failing else 200)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"json://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def titles(self) -> list[str]:
        with self.received:
            return [str(post["title"]) for post in self.posts]

    def wait_for(self, count: int, timeout: float = TIMEOUT) -> bool:
        with self.received:
            return self.received.wait_for(lambda: len(self.posts) >= count, timeout)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    service = Receiver()
    yield service
    service.server.shutdown()
    service.server.server_close()


def notifying(vault: Path, url: str, extra: str = "") -> None:
    write(vault, "vaultnet.toml", f'[notify]\nurls = ["{url}"]\ndaily = "08:00"\nweekly = false\n{extra}')
    write(vault, "People/Ana Souza.md", "---\ncircle: inner\n---\n- 2026-10-01 #call hello\n- [ ] send the deck 📅 2026-11-21\n")
    write(vault, "People/Bob.md", "---\ncircle: close\nbirthday: 1990-11-21\n---\n")


# -- settings, schedule, links -----------------------------------------------------------------


def test_notify_settings_are_read_and_checked(vault):
    write(vault, "vaultnet.toml", '[notify]\nurls = ["env:PUSH", "ntfy://ntfy.sh/t"]\ndaily = "7:30"\n'
                                  'weekly = "sun 18:00"\nformat = "markdown"\nobsidian_vault = "Notes"\n')
    notify = load_config(vault).notify
    assert (notify.urls, notify.daily, notify.weekly) == (("env:PUSH", "ntfy://ntfy.sh/t"), dt.time(7, 30),
                                                          (6, dt.time(18, 0)))
    assert (notify.format, notify.obsidian_vault) == ("markdown", "Notes")
    for bad, named in (('daily = "25:00"', "notify.daily"), ('weekly = "t 8:00"', "notify.weekly"),
                       ('format = "html"', "notify.format"), ("oops = 1", "notify.oops")):
        write(vault, "vaultnet.toml", f"[notify]\n{bad}\n")
        with pytest.raises(ConfigError, match=named):
            load_config(vault)


def test_nothing_is_due_without_urls_and_each_notification_from_its_time(vault):
    assert targets(load_config(vault)) == []  # no [notify]: nothing ever leaves the machine
    write(vault, "vaultnet.toml", '[notify]\nurls = ["json://localhost"]\ndaily = "08:00"\nweekly = "monday 09:00"\n')
    notify = load_config(vault).notify
    monday, saturday = dt.date(2026, 11, 16), TODAY
    assert due(notify, monday, dt.time(7, 59)) == []
    assert due(notify, monday, dt.time(8, 0)) == [("daily", "daily-2026-11-16")]
    assert due(notify, monday, dt.time(9, 0))[1] == ("weekly", "weekly-2026-W47")
    assert due(notify, saturday, dt.time(7, 0)) == [("weekly", "weekly-2026-W47")]  # a watcher started late in the week


def test_each_device_waits_its_own_while_after_the_time(vault):
    notifying(vault, "json://localhost")
    session = Session(load_config(vault), remember=False)
    waits = {device_stagger(name) for name in ("laptop", "desktop", "phone", "mini")}
    assert len(waits) > 1 and all(0 <= wait < 120 for wait in waits)
    notifier = Notifier(now=lambda: AT_EIGHT, stagger=90)
    notifier(session, TODAY)
    assert notifier.handled == set()  # 08:00:05 is before 08:01:30
    just_after_midnight = Notifier(now=lambda: dt.datetime(2026, 11, 22, 0, 0, 30), stagger=90)
    just_after_midnight(session, dt.date(2026, 11, 22))
    assert just_after_midnight.handled == set()  # not taken for yesterday's 23:59


def test_targets_are_named_without_their_secrets(monkeypatch):
    literal, indirect = Target("ntfy://ntfy.sh/secret-topic"), Target("env:PUSH_URL")
    assert literal.key.startswith("ntfy-") and "secret" not in literal.label + literal.key
    assert indirect.label == "env:PUSH_URL" and indirect.key.startswith("env-")
    monkeypatch.delenv("PUSH_URL", raising=False)
    with pytest.raises(TargetError, match="env:PUSH_URL: environment variable PUSH_URL is not set"):
        indirect.url()
    monkeypatch.setenv("PUSH_URL", "json://localhost/x")
    assert indirect.url() == "json://localhost/x"
    said = scrub("Failed to send ntfy notification to topic 'secret-topic' at ntfy.sh: error=500.", literal.spec)
    assert "secret-topic" not in said and said.endswith("error=500.")


def test_links_open_the_note_in_obsidian_when_the_vault_is_one(vault, tmp_path):
    config = load_config(vault)
    assert vault_name(config) == "vault"
    assert note_uri("My Notes", "People/Zoë Martin.md") == \
        "obsidian://open?vault=My%20Notes&file=People%2FZo%C3%AB%20Martin"
    plain = tmp_path / "plain"
    plain.mkdir()
    assert vault_name(load_config(plain)) is None  # no Obsidian: no links
    write(plain, ".config-mobile/app.json", "{}")  # the config folder renamed on this device
    assert config_folder(plain) == ".config-mobile" and vault_name(load_config(plain)) == "plain"
    write(plain, "vaultnet.toml", '[notify]\nobsidian_vault = "Phone vault"\n')
    assert vault_name(load_config(plain)) == "Phone vault"


def test_the_days_slice_is_what_today_lists_with_links(vault):
    notifying(vault, "json://localhost")
    config = load_config(vault)
    network, plan, _ = Session(config, remember=False).builder(TODAY, write=False).prepare_plan()
    message = daily_message(plan, network, vault_name(config))
    shown = json.loads(CliRunner().invoke(main, ["--vault", str(vault), "--today", "2026-11-21", "today", "--json"]).output)
    assert [(e.text, tuple(p.name for p in e.people)) for g in message.groups for e in g.entries] == \
        [(item["text"], tuple(item["people"])) for item in shown["items"]]
    body = render(message)
    assert "Follow-ups\n• Ana Souza — send the deck" in body and "Birthdays\n• Bob — " in body
    assert "  obsidian://open?vault=vault&file=People%2FAna%20Souza\n" in body
    assert "- [Bob](obsidian://open?vault=vault&file=People%2FBob) — " in render(message, "markdown")


# -- the record ------------------------------------------------------------------------------------


def test_the_record_is_a_union_of_every_devices_lines(vault):
    config = load_config(vault)
    at = AT_EIGHT
    record.remember(config, [record.line("daily-2026-11-21", "ntfy-aaaaaa", at, "laptop")], TODAY)
    # Another device recorded something in a copy the sync tool could not merge.
    write(vault, "vaultnet/Notifications sent (conflicted copy 2026-11-21).md",
          record.line("weekly-2026-W47", "ntfy-aaaaaa", at, "phone") + "\n")
    assert record.sent(config) == {("daily-2026-11-21", "ntfy-aaaaaa"), ("weekly-2026-W47", "ntfy-aaaaaa")}
    old = record.line("daily-2026-07-01", "ntfy-aaaaaa", dt.datetime(2026, 7, 1, 8), "laptop")
    record.remember(config, [old, record.line("daily-2026-11-21", "json-bbbbbb", at, "laptop")], TODAY)
    text = (vault / SENT).read_text()
    assert text.count("\n- sent ") == 3 and "weekly-2026-W47" in text  # the copy's line folded in
    assert "2026-07-01" not in text  # older than KEEP_DAYS: dropped
    assert not record.remember(config, [record.line("daily-2026-11-21", "json-bbbbbb", at, "laptop")], TODAY)


def test_record_lines_never_count_as_contact(vault, load):
    write(vault, "People/Ana Souza.md", "---\ncircle: inner\n---\n")
    record.remember(load_config(vault), [record.line("daily-2026-11-21", "ntfy-aaaaaa", AT_EIGHT, "Ana Souza")], TODAY)
    network = load()
    assert [s.last_contact for s in network.standings] == [None] and not network.problems


# -- sending ---------------------------------------------------------------------------------------


def test_notify_test_reaches_the_service_and_records_nothing(vault, receiver):
    notifying(vault, receiver.url)
    result = CliRunner().invoke(main, ["--vault", str(vault), "--today", "2026-11-21", "notify", "--test"])
    assert result.exit_code == 0, result.output
    assert receiver.titles() == ["vaultnet: test notification"]
    assert "obsidian://open?vault=vault&file=vaultnet%2FNetwork" in str(receiver.posts[0]["message"])
    assert not (vault / SENT).exists()


def test_notify_now_sends_todays_slice_and_a_failure_is_an_error(vault, receiver):
    notifying(vault, receiver.url)
    args = ["--vault", str(vault), "--today", "2026-11-21", "notify", "--now"]
    assert CliRunner().invoke(main, args).exit_code == 0
    assert receiver.titles() == ["vaultnet: Saturday 2026-11-21"]
    assert "send the deck" in str(receiver.posts[0]["message"])
    assert ("daily-2026-11-21", Target(receiver.url).key) in record.sent(load_config(vault))
    receiver.failures = 1
    failed = CliRunner().invoke(main, args)
    assert failed.exit_code == 1 and "could not send daily-2026-11-21" in failed.output
    assert "127.0.0.1" not in failed.output  # the target is named, never its address


def test_notify_without_urls_sends_nothing(vault):
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n")
    result = CliRunner().invoke(main, ["--vault", str(vault), "notify", "--test"])
    assert result.exit_code == 1 and "lists no URLs" in result.output


def test_a_dry_run_prints_the_message_and_sends_nothing(vault, receiver):
    notifying(vault, receiver.url)
    result = CliRunner().invoke(main, ["--vault", str(vault), "--today", "2026-11-21", "notify", "--now", "--dry-run"])
    assert result.exit_code == 0 and "vaultnet: Saturday 2026-11-21" in result.output and "Birthdays" in result.output
    assert receiver.posts == [] and not (vault / SENT).exists()


def start_watcher(vault: Path, notifier: Notifier) -> Watcher:
    watcher = Watcher.for_vault(load_config(vault), lambda: TODAY, quiet=0.05, max_wait=1, poll_period=0.02,
                                hooks=[notifier])
    watcher.start()
    return watcher


def wait_until(condition, timeout: float = TIMEOUT) -> bool:
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)
    return condition()


def test_the_watcher_sends_the_days_slice_once_not_again_after_a_restart(vault, receiver):
    notifying(vault, receiver.url)
    early = Notifier(now=lambda: dt.datetime.combine(TODAY, dt.time(7, 59)), stagger=0)
    watcher = start_watcher(vault, early)
    try:
        assert watcher.wait_for_build(1, TIMEOUT) and wait_until(lambda: watcher.builds >= 1)
        time.sleep(0.1)  # some steps before the time: nothing is sent
        assert receiver.posts == [] and early.handled == set()
    finally:
        watcher.stop()
        early.close()
    notifier = Notifier(now=lambda: AT_EIGHT, stagger=0)
    watcher = start_watcher(vault, notifier)
    try:
        assert receiver.wait_for(1)
        assert wait_until(lambda: record.sent(load_config(vault)))
    finally:
        watcher.stop()
        notifier.close()
    assert receiver.titles() == ["vaultnet: Saturday 2026-11-21"]
    assert "Ana Souza — send the deck" in str(receiver.posts[0]["message"])
    restarted = Notifier(now=lambda: AT_EIGHT, stagger=0)
    watcher = start_watcher(vault, restarted)
    try:
        assert wait_until(lambda: "daily-2026-11-21" in restarted.handled)
    finally:
        watcher.stop()  # joins the worker: the step that read the record is over
        restarted.close()
    assert len(receiver.posts) == 1 and restarted.outbox.pending == [] and restarted.outbox.sent == 0


def test_a_failed_send_is_retried_with_back_off_and_logged(vault, receiver, caplog):
    notifying(vault, receiver.url)
    receiver.failures = 2
    notifier = Notifier(now=lambda: AT_EIGHT, stagger=0, retry=0.05)
    with caplog.at_level(logging.WARNING, logger="vaultnet"):
        watcher = start_watcher(vault, notifier)
        try:
            assert receiver.wait_for(1)
            assert wait_until(lambda: not notifier.outbox.pending)
        finally:
            watcher.stop()
            notifier.close()
    assert notifier.outbox.failures == 2 and notifier.outbox.sent == 1 and len(receiver.posts) == 1
    warnings = [r.getMessage() for r in caplog.records if "could not send daily-2026-11-21" in r.getMessage()]
    assert len(warnings) == 2 and "(attempt 2)" in warnings[1] and "trying again in 0.1 s" in warnings[1]
    assert not watcher.stopping.is_set() or watcher.exit_code == 0
    assert (vault / SENT).read_text().count("- sent daily-2026-11-21 ") == 1


def test_a_failing_hook_never_stops_the_watcher(vault, caplog):
    write(vault, "People/Ana.md", "---\ncircle: inner\n---\n")
    calls: list[dt.date] = []

    def broken(session: Session, today: dt.date) -> None:
        calls.append(today)
        raise RuntimeError("boom")

    watcher = Watcher.for_vault(load_config(vault), lambda: TODAY, quiet=0.05, poll_period=0.02, hooks=[broken])
    with caplog.at_level(logging.ERROR, logger="vaultnet"):
        watcher.start()
        try:
            assert wait_until(lambda: len(calls) >= 2)  # called again after failing: the loop goes on
            before = watcher.builds
            write(vault, "People/Bob.md", "---\ncircle: close\n---\n")
            assert watcher.wait_for_build(before + 1, TIMEOUT)
        finally:
            watcher.stop()
    assert "boom" in caplog.text and calls[0] == TODAY


def test_the_record_is_read_again_right_before_each_send(vault, receiver):
    """Another device sent it while this one waited to retry: this one does not send it too."""
    notifying(vault, receiver.url)
    receiver.failures = 1
    notifier = Notifier(now=lambda: AT_EIGHT, stagger=0, retry=0.3)
    watcher = start_watcher(vault, notifier)
    try:
        assert wait_until(lambda: notifier.outbox.failures == 1)
        other = record.line("daily-2026-11-21", Target(receiver.url).key, AT_EIGHT, "phone")
        write(vault, SENT, f"{record.HEADER}\n\n{other}\n")  # synced in from the phone
        assert wait_until(lambda: not notifier.outbox.pending)
    finally:
        watcher.stop()
        notifier.close()
    assert receiver.posts == [] and notifier.outbox.sent == 0


def test_a_message_that_cannot_be_prepared_is_logged_and_prepared_again_later(vault, receiver, monkeypatch, caplog):
    notifying(vault, receiver.url)
    session = Session(load_config(vault), remember=False)
    real, calls = notifier_module.compose, []

    def failing(*args: object) -> None:
        calls.append(args)
        raise VaultnetError("vaultnet/Plans/2026-W47.md: the markers are broken")

    monkeypatch.setattr(notifier_module, "compose", failing)
    monkeypatch.setattr(notifier_module, "PREPARE_AGAIN_SECONDS", 0.0)
    notifier = Notifier(now=lambda: AT_EIGHT, stagger=0)
    with caplog.at_level(logging.ERROR, logger="vaultnet"):
        notifier(session, TODAY)
        notifier(session, TODAY)
    assert len(calls) == 2 and "could not prepare daily-2026-11-21: vaultnet/Plans" in caplog.text
    monkeypatch.setattr(notifier_module, "compose", real)
    try:
        notifier(session, TODAY)
        assert receiver.wait_for(1)
    finally:
        notifier.close()
    assert receiver.titles() == ["vaultnet: Saturday 2026-11-21"]


def test_the_weekly_digest_is_the_weeks_plan_by_section(vault):
    notifying(vault, "json://localhost")
    config = load_config(vault)
    network, plan, _ = Session(config, remember=False).builder(TODAY, write=False).prepare_plan()
    message = weekly_message(plan, network, None)
    assert (message.id, message.title) == ("weekly-2026-W47", "vaultnet: week 2026-W47")
    assert [(g.title, [e.text for e in g.entries]) for g in message.groups] == [
        (BY_ID[section].title, [item.text for item in plan.section(section)])
        for section in dict.fromkeys(item.section for item in plan.items)]
    assert "obsidian://" not in render(message)  # no vault name: no links


def test_notify_alone_sends_what_is_due_once_for_a_timer(vault, receiver):
    notifying(vault, receiver.url)
    write(vault, "vaultnet.toml", f'[notify]\nurls = ["{receiver.url}"]\ndaily = "00:00"\nweekly = false\n')
    args = ["--vault", str(vault), "--today", "2026-11-21", "notify"]
    first, second = CliRunner().invoke(main, args), CliRunner().invoke(main, args)
    assert first.exit_code == second.exit_code == 0
    assert "sent daily-2026-11-21" in first.output and "already sent daily-2026-11-21" in second.output
    assert receiver.titles() == ["vaultnet: Saturday 2026-11-21"]
