"""A running watcher answers the read commands: the same answer as the command's own, or none.

Watchers here run in this process (with a real observer and a real socket) or
as real ``vaultnet watch`` processes; every wait is bounded.
"""

from __future__ import annotations

import functools
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import msgspec
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from vaultnet.cli import answers
from vaultnet.cli.main import main
from vaultnet.files.config import load_config
from vaultnet.pipeline import replies
from vaultnet.pipeline.serving import TEXT, AnswerServer, Reply, Request, _read_all, _send, _unpacked, ask, socket_path
from vaultnet.pipeline.watch import Watcher

from conftest import TODAY, cli, examples, machine_vault, write

TIMEOUT = 20
READS = [("status",), ("status", "--json"), ("status", "--circle", "inner"), ("show", "Ana"), ("show", "Ana", "--json"),
         ("show", "Ana", "--why"), ("plan", "--stdout"), ("plan", "--json"), ("plan", "--in", "Lyon"), ("intros",),
         ("intros", "--json"), ("today",), ("today", "--json"), ("index", "--stdout")]
FAILING = [("show", "Nobody"), ("status", "--circle", "nowhere")]

answer = functools.partial(answers.answer, main)
pytestmark = pytest.mark.skipif(socket_path(Path("/")) is None, reason="no Unix sockets here")


def _notes(vault: Path) -> None:
    write(vault, "People/Ana.md", "---\ncircle: inner\nlocation: Lyon\nneeds: [a designer]\n---\n"
                                  "- 2026-11-01 #call hello\n- [ ] send Ana the deck 📅 2026-11-18\n")
    write(vault, "People/Bob.md", "---\ncircle: close\noffers: [design]\n---\n- 2026-08-01 #coffee #got advice\n")
    write(vault, "People/Chloé.md", "---\ncircle: inner\nbirthday: 1990-11-24\n---\n")
    write(vault, "2026-11-02.md", "Met [[Bob]] and [[Ana]] at the fair #meeting\n")


def own_answer(vault: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[str, str, int]:
    """The command's answer worked out by itself, with no watcher asked."""
    with monkeypatch.context() as patch:
        patch.setenv("VAULTNET_WATCHER", "off")
        result = cli(vault, *args)
    return result.stdout, result.stderr, result.exit_code


@pytest.fixture
def answering(vault: Path):
    """A watcher of ``vault`` that answers commands, counting the questions it answered."""
    _notes(vault)
    asked: list[str] = []

    def counting(session, request):
        asked.append(request.command)
        return answer(session, request)

    watcher = Watcher.for_vault(load_config(vault), lambda: TODAY, quiet=0.05, max_wait=2, poll_period=0.05,
                                answer=counting)
    watcher.asked = asked
    watcher.start()
    assert _caught_up(vault)
    yield watcher
    watcher.stop()


def _request(vault: Path, command: str = "status", **params) -> Request:
    return Request(str(vault.resolve()), command, params or {"statuses": [], "circles": [], "location": None,
                                                            "as_json": False},
                   TODAY.isoformat(), TODAY.isoformat(), False, False, {})


def _caught_up(vault: Path) -> bool:
    """Until the watcher answers (its own writes seen and settled), for at most TIMEOUT seconds."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if ask(vault.resolve(), _request(vault)) is not None:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("args", READS + FAILING, ids=" ".join)
def test_the_watcher_answers_as_the_command_itself_would(vault, answering, monkeypatch, args):
    before = len(answering.asked)
    result = cli(vault, *args)
    assert len(answering.asked) == before + 1, "the watcher was not asked"
    assert (result.stdout, result.stderr, result.exit_code) == own_answer(vault, monkeypatch, *args)


def test_a_question_asked_again_is_answered_from_memory_until_a_note_changes(vault, answering):
    first = cli(vault, "status", "--json").stdout
    session = answering.session
    assert any(isinstance(key, tuple) and key[0] == "answer" for key in session._worked_out)
    assert cli(vault, "status", "--json").stdout == first
    write(vault, "People/Dan.md", "---\ncircle: inner\n---\n")
    assert answering.wait_for_build(2, TIMEOUT)
    assert _caught_up(vault)
    assert '"Dan"' in cli(vault, "status", "--json").stdout


def test_a_question_takes_in_the_changes_waiting_for_their_quiet_period_first(vault, monkeypatch):
    """A command wants the vault as it is now: the watcher builds what waits, then answers (no 30 s wait)."""
    _notes(vault)
    asked: list[str] = []
    watcher = Watcher.for_vault(load_config(vault), lambda: TODAY, quiet=30, max_wait=30, poll_period=0.05,
                                answer=lambda session, request: asked.append(request.command) or answer(session, request))
    watcher.start()
    try:
        assert _caught_up(vault)
        asked.clear()
        builds = watcher.builds
        write(vault, "People/Dan.md", "---\ncircle: inner\n---\n")
        deadline = time.monotonic() + TIMEOUT
        while watcher.queue.remaining(30, 30) is None and time.monotonic() < deadline:
            time.sleep(0.01)  # the observer's notice of the edit: now it waits for its quiet period
        started = time.monotonic()
        result = cli(vault, "status")
        assert time.monotonic() - started < 10
        assert asked == ["status"] and watcher.builds == builds + 1  # built on the question, then answered
        assert "Dan" in result.stdout
        assert (result.stdout, result.stderr) == own_answer(vault, monkeypatch, "status")[:2]
    finally:
        watcher.stop()


def test_a_watcher_that_git_holds_back_leaves_the_command_to_itself(vault, monkeypatch):
    _notes(vault)
    (vault / ".git").mkdir()
    watcher = Watcher.for_vault(load_config(vault), lambda: TODAY, quiet=0.05, poll_period=0.05, wait_for_git=True,
                                git_quiet=0, answer=answer)
    watcher.start()
    try:
        assert _caught_up(vault)
        (vault / ".git" / "index.lock").touch()  # a git command at work
        assert ask(vault.resolve(), _request(vault)) is None
        assert cli(vault, "status").stdout == own_answer(vault, monkeypatch, "status")[0]
    finally:
        watcher.stop()


def test_a_terminal_gets_the_table_a_terminal_gets(vault, answering):
    request = Request(str(vault.resolve()), "status", {"statuses": [], "circles": [], "location": None,
                                                       "as_json": False},
                      TODAY.isoformat(), None, False, True, {"COLUMNS": "100"})
    reply = ask(vault.resolve(), request)
    assert reply is not None and reply.code == 0
    printed = b"".join(reply.stdout).decode()
    assert "\t" not in printed and "last contact" in printed  # the table, not tab-separated lines
    assert "\x1b[" in printed  # coloured, as on a terminal
    assert max(len(re.sub(r"\x1b\[[0-9;]*m", "", line)) for line in printed.splitlines()) <= 100
    assert "COLUMNS" not in os.environ or os.environ["COLUMNS"] != "100"  # the watcher's own settings are back


def test_no_watcher_a_dead_one_or_a_foreign_file_leaves_the_command_to_itself(vault, monkeypatch):
    _notes(vault)
    path = socket_path(vault.resolve())
    assert path is not None
    expected = own_answer(vault, monkeypatch, "status")
    assert ask(vault.resolve(), _request(vault)) is None  # no socket at all
    path.parent.mkdir(mode=0o700, exist_ok=True)
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(os.fspath(path))  # bound, never listening: a watcher that was killed
    dead.close()
    try:
        assert ask(vault.resolve(), _request(vault)) is None
        result = cli(vault, "status")
        assert (result.stdout, result.stderr, result.exit_code) == expected
    finally:
        path.unlink()


def test_a_watcher_of_another_vault_or_version_does_not_answer(vault, tmp_path):
    server = AnswerServer(vault.resolve(), lambda request: Reply((b"answered",)))
    assert server.start()
    try:
        assert ask(vault.resolve(), _request(vault)) == Reply((b"answered",))
        other = Request(str(tmp_path / "other"), "status", {}, TODAY.isoformat(), None, False, False, {})
        assert server._reply(other).declined is not None
        old = Request(str(vault.resolve()), "status", {}, TODAY.isoformat(), None, False, False, {}, version="0.0.1")
        assert ask(vault.resolve(), old) is None
        second = AnswerServer(vault.resolve(), lambda request: Reply((b"second",)))
        assert not second.start()  # one watcher answers for a vault
        assert ask(vault.resolve(), _request(vault)) == Reply((b"answered",))
    finally:
        server.stop()
    assert not socket_path(vault.resolve()).exists()


def test_a_polling_watcher_does_not_answer(vault):
    _notes(vault)
    watcher = Watcher.for_vault(load_config(vault), lambda: TODAY, polling=True, interval=0.1, quiet=0.05,
                                poll_period=0.05, answer=answer)
    watcher.start()
    try:
        assert watcher.behind() is not None
        assert ask(vault.resolve(), _request(vault)) is None
    finally:
        watcher.stop()


def test_a_real_watcher_process_answers_a_real_command(vault, monkeypatch):
    _notes(vault)
    base = [sys.executable, "-m", "vaultnet", "--vault", str(vault), "--today", TODAY.isoformat()]
    watcher = subprocess.Popen([*base, "-vv", "watch", "--quiet-period", "0.05"], stderr=subprocess.PIPE, text=True)
    try:
        assert _caught_up(vault)
        asked = subprocess.run([*base, "show", "Ana"], capture_output=True, text=True, timeout=TIMEOUT)
        env = {**os.environ, "VAULTNET_WATCHER": "off"}
        itself = subprocess.run([*base, "show", "Ana"], capture_output=True, text=True, timeout=TIMEOUT, env=env)
        assert asked.returncode == itself.returncode == 0
        assert asked.stdout == itself.stdout and "Ana" in asked.stdout
    finally:
        watcher.terminate()
        _, log = watcher.communicate(timeout=TIMEOUT)
    assert "answered show" in log


# -- every process answers alike ---------------------------------------------------------------------------

QUESTIONS = [("status", "--json"), ("show", "Ana", "--json"), ("plan", "--stdout"), ("plan", "--json"),
             ("today", "--json"), ("intros", "--json")]
LINES = ["#call caught up", "#email sent the deck #gave", "met [[Bob]] #coffee", "#got an intro #thanked",
         "[ ] send the notes 📅 2026-11-19"]


def request_for(vault: Path, *args: str) -> Request:
    """The request the command line makes of ``vaultnet ARGS`` (its options as click parses them)."""
    name, *rest = args
    with main.commands[name].make_context(name, rest) as ctx:
        params = ctx.params
    return Request(str(vault.resolve()), name, params, TODAY.isoformat(), TODAY.isoformat(), False, False, {})


class EveryProcess(RuleBasedStateMachine):
    """Edits by an editor, ``vaultnet log``, ``vaultnet build`` and a running ``vaultnet watch`` process:
    after each, the watcher's answer, a command's own (from the cache the processes left) and a cold one
    (a copy of the vault with no cache) are the same bytes."""

    def __init__(self) -> None:
        super().__init__()
        self.base, self.vault = machine_vault("vaultnet-processes-")
        _notes(self.vault)
        self.watcher = subprocess.Popen(
            [sys.executable, "-m", "vaultnet", "--vault", str(self.vault), "--today", TODAY.isoformat(), "-q",
             "watch", "--quiet-period", "0.05"], stderr=subprocess.DEVNULL)
        self.people = ["Ana", "Bob", "Chloé"]

    def teardown(self) -> None:
        self.watcher.terminate()
        self.watcher.wait(TIMEOUT)
        shutil.rmtree(self.base, ignore_errors=True)

    @rule(who=st.integers(0, 9), line=st.sampled_from(LINES), day=st.integers(1, 21))
    def an_editor_adds_a_line(self, who: int, line: str, day: int) -> None:
        person = self.people[who % len(self.people)]
        with open(self.vault / "People" / f"{person}.md", "a", encoding="utf-8") as note:
            note.write(f"- {line} 2026-11-{day:02d}\n" if line.startswith("[") else f"- 2026-11-{day:02d} {line}\n")

    @rule(name=st.sampled_from(["Dan", "Eve", "Zoë"]), circle=st.sampled_from(["inner", "close", "network"]))
    def a_contact_is_added_or_changed(self, name: str, circle: str) -> None:
        write(self.vault, f"People/{name}.md", f"---\ncircle: {circle}\n---\n- 2026-10-0{len(name)} #call hi\n")
        if name not in self.people:
            self.people.append(name)

    @rule(who=st.integers(0, 9))
    def a_contact_is_removed(self, who: int) -> None:
        person = self.people[who % len(self.people)]
        if person != "Ana":  # the one `show` asks about
            (self.vault / "People" / f"{person}.md").unlink(missing_ok=True)
            self.people.remove(person)

    @rule(who=st.integers(0, 9))
    def vaultnet_log(self, who: int) -> None:
        result = cli(self.vault, "log", self.people[who % len(self.people)], "#call a word about Lyon")
        assert result.exit_code == 0, result.output

    @rule(which=st.integers(0, 9), tick=st.booleans())
    def the_user_edits_this_weeks_plan(self, which: int, tick: bool) -> None:
        """A tick without a date, or a line of the user's own written into the plan's region: vaultnet's own
        note, which the fingerprint knows by its ticks alone."""
        plan = self.vault / "vaultnet/Plans/2026-W47.md"
        if not plan.exists():
            return
        lines = plan.read_text(encoding="utf-8").splitlines(keepends=True)
        items = [number for number, line in enumerate(lines) if line.startswith("- [ ]")]
        if not items:
            return
        number = items[which % len(items)]
        if tick:
            lines[number] = lines[number].replace("- [ ]", "- [x]", 1)
        else:
            lines.insert(number, "a line of my own\n")
        plan.write_text("".join(lines), encoding="utf-8")

    @rule()
    def vaultnet_build(self) -> None:
        done = subprocess.run([sys.executable, "-m", "vaultnet", "--vault", str(self.vault), "--today",
                               TODAY.isoformat(), "-q", "build"], capture_output=True, timeout=TIMEOUT)
        assert done.returncode == 0, done.stderr

    @invariant()
    def the_watcher_a_command_and_a_cold_run_answer_alike(self) -> None:
        assert _caught_up(self.vault), "the watcher did not catch up"
        cold = self.base / "cold"
        shutil.rmtree(cold, ignore_errors=True)
        shutil.copytree(self.vault, cold, ignore=shutil.ignore_patterns(".vaultnet"))
        os.environ["VAULTNET_WATCHER"] = "off"
        try:
            for args in QUESTIONS:
                watched = ask(self.vault.resolve(), request_for(self.vault, *args))
                assert watched is not None, f"the watcher did not answer {args}"
                own, fresh = cli(self.vault, *args), cli(cold, *args)
                assert b"".join(watched.stdout).decode(*TEXT) == own.stdout == fresh.stdout, args
                assert watched.code == own.exit_code == fresh.exit_code
        finally:
            del os.environ["VAULTNET_WATCHER"]


EveryProcess.TestCase.settings = settings(
    max_examples=examples(3), stateful_step_count=6, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
TestEveryProcess = EveryProcess.TestCase


# -- answers saved between runs ----------------------------------------------------------------------------


def _no_working_out(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, working anything out is a failure: an answer must come from where it was saved."""
    from vaultnet.standings import network

    def fail(*args, **kwargs):
        raise AssertionError("worked out again")

    monkeypatch.setattr(network, "assemble", fail)


@pytest.mark.parametrize("args", READS, ids=" ".join)
def test_an_answer_asked_again_with_nothing_changed_is_the_saved_one(vault, monkeypatch, args):
    _notes(vault)
    monkeypatch.setenv("VAULTNET_WATCHER", "off")
    first = cli(vault, *args)
    assert first.exit_code == 0
    with monkeypatch.context() as patch:
        _no_working_out(patch)
        again = cli(vault, *args)
    assert (again.stdout, again.stderr, again.exit_code) == (first.stdout, first.stderr, 0)
    assert not (vault / ".vaultnet").exists() or not list((vault / ".vaultnet").rglob("*.json"))  # none in the vault


@pytest.mark.parametrize("change", ["edit", "add", "remove", "settings", "day"])
def test_any_change_and_the_answer_is_worked_out_again(vault, monkeypatch, change):
    _notes(vault)
    monkeypatch.setenv("VAULTNET_WATCHER", "off")
    before = cli(vault, "status", "--json").stdout
    day = "2026-11-21"
    if change == "edit":
        with open(vault / "People/Bob.md", "a", encoding="utf-8") as note:
            note.write("- 2026-11-20 #call about the kitchen\n")
    elif change == "add":
        write(vault, "People/Dan.md", "---\ncircle: inner\n---\n")
    elif change == "remove":
        (vault / "People/Chloé.md").unlink()
    elif change == "settings":
        write(vault, "vaultnet.toml", "[circles]\ninner = 3\n")
    else:
        day = "2026-11-22"
    after = cli(vault, "status", "--json", today=day).stdout
    monkeypatch.setenv("VAULTNET_WATCHER", "off")
    assert after != before
    cold = vault.parent / "cold"
    shutil.copytree(vault, cold, ignore=shutil.ignore_patterns(".vaultnet"))
    assert after == cli(cold, "status", "--json", today=day).stdout


def test_a_plan_note_changed_outside_its_ticks_and_the_saved_plan_is_worked_out_again(vault, monkeypatch):
    """The fingerprint knows vaultnet's own notes by their ticks alone, but ``plan --stdout`` renders from the
    rest of the note too: a line written into its region is no tick, and a fresh rendering is another text."""
    _notes(vault)
    monkeypatch.setenv("VAULTNET_WATCHER", "off")
    assert cli(vault, "build").exit_code == 0
    plan = vault / "vaultnet/Plans/2026-W47.md"
    with open(vault / "People/Bob.md", "a", encoding="utf-8") as note:  # the plan is rendered, not the one built
        note.write("- 2026-11-20 #call about the kitchen\n")
    time.sleep(2.1)  # the plan read back by the build is read too soon after its writing to be known by its times
    before = cli(vault, "plan", "--stdout").stdout
    _write_into(plan)
    after = cli(vault, "plan", "--stdout").stdout
    assert after == _cold_answer(vault, "plan", "--stdout") != before


def test_a_plan_note_changed_outside_its_ticks_since_the_build_is_rendered_not_printed(vault, monkeypatch):
    """``plan --stdout`` prints the plan the last build wrote while nothing a build reads changed; a line written
    into its region is no tick, so the fingerprint still matches, but the note is no longer the one built."""
    _notes(vault)
    monkeypatch.setenv("VAULTNET_WATCHER", "off")
    assert cli(vault, "build").exit_code == 0
    with open(vault / "People/Ana.md", "a", encoding="utf-8") as note:  # the plan stays, with its stamp
        note.write("- 2026-11-01 #call caught up\n")
    assert cli(vault, "build").exit_code == 0
    _write_into(vault / "vaultnet/Plans/2026-W47.md")
    assert cli(vault, "plan", "--stdout").stdout == _cold_answer(vault, "plan", "--stdout")


def _write_into(plan: Path) -> None:
    """A line of the user's own written into the plan's region, above its first open item: no tick."""
    text = plan.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("- [ ]"))
    plan.write_text(text.replace(line, "a line of my own\n" + line), encoding="utf-8")


def _cold_answer(vault: Path, *args: str) -> str:
    """What the command prints on a copy of ``vault`` with no cache."""
    cold = vault.parent / "cold"
    shutil.copytree(vault, cold, ignore=shutil.ignore_patterns(".vaultnet"))
    return cli(cold, *args).stdout


def test_an_error_is_never_saved(vault, monkeypatch):
    _notes(vault)
    monkeypatch.setenv("VAULTNET_WATCHER", "off")
    assert cli(vault, "show", "Nobody").exit_code == 1
    with monkeypatch.context() as patch:
        _no_working_out(patch)
        with pytest.raises(AssertionError, match="worked out again"):
            CliRunner().invoke(main, ["--vault", str(vault), "--today", "2026-11-21", "show", "Nobody"],
                               catch_exceptions=False)


def test_a_vault_it_cannot_write_to_gets_saved_answers_and_no_warning(vault, monkeypatch):
    _notes(vault)
    monkeypatch.setenv("VAULTNET_WATCHER", "off")
    for folder in [vault, *[p for p in vault.rglob("*") if p.is_dir()]]:
        folder.chmod(0o555)
    try:
        first = cli(vault, "status")
        assert first.exit_code == 0 and first.stderr == ""
        with monkeypatch.context() as patch:
            _no_working_out(patch)
            assert cli(vault, "status").stdout == first.stdout
    finally:
        for folder in [vault, *[p for p in vault.rglob("*") if p.is_dir()]]:
            folder.chmod(0o755)


def test_a_corrupt_or_foreign_saved_answer_is_worked_out_again(vault, monkeypatch):
    _notes(vault)
    monkeypatch.setenv("VAULTNET_WATCHER", "off")
    expected = cli(vault, "status").stdout
    folder = replies.answers_folder(vault.resolve())
    (saved,) = folder.iterdir()
    for junk in (b"", b"{not json", b'{"format": 1}', saved.read_bytes().replace(b'"fingerprint":"', b'"fingerprint":"0')):
        saved.write_bytes(junk)
        result = cli(vault, "status")
        assert (result.stdout, result.stderr) == (expected, "")


def test_only_the_newest_answers_are_kept(vault, monkeypatch):
    _notes(vault)
    monkeypatch.setenv("VAULTNET_WATCHER", "off")
    monkeypatch.setattr(replies, "KEEP", 3)
    for day in range(10, 16):
        cli(vault, "status", today=f"2026-11-{day}")
    assert len(list(replies.answers_folder(vault.resolve()).iterdir())) == 3


def test_a_progress_bar_or_cursor_movement_marks_output_as_no_answer_to_replay():
    copy = answers._Copy(open(os.devnull, "w"))  # noqa: SIM115
    copy.write("1 problem in the vault; run 'vaultnet check' to list them.\n")
    assert not copy.drawn
    copy.write("\x1b[2K\rreading notes ━━━━ 50%")
    assert copy.drawn


def test_an_answer_s_text_is_let_go_once_it_is_sent(vault):
    """click keeps every stream it printed to for good: a watcher that printed each answer into a
    new one kept the text of every answer (9 MB per `status --json` of a large vault) while it ran."""
    import gc

    _notes(vault)
    from vaultnet.pipeline.session import Session

    session = Session(load_config(vault), remember=False)  # keeps no answer: whatever stays is kept by mistake
    gc.collect()
    before = {id(obj) for obj in gc.get_objects() if isinstance(obj, io.TextIOBase)}  # other tests' commands'
    replies = [answer(session, _request(vault, "status", statuses=[], circles=[], location=None, as_json=as_json))
               for as_json in (False, True, True)]
    printed = [b"".join(reply.stdout).decode() for reply in replies]
    assert printed[1] == printed[2] and '"Ana"' in printed[1]
    gc.collect()
    streams = [obj for obj in gc.get_objects() if isinstance(obj, io.TextIOBase) and id(obj) not in before]
    assert not [stream for stream in streams if any(text in _held(stream) for text in printed)]
    assert sum(type(stream) is answers._Output for stream in streams) <= 2  # one stdout and one stderr, reused


def _held(stream: io.TextIOBase) -> str:
    """The text a stream holds, when it is one held in memory."""
    if isinstance(stream, answers._Output):
        return b"".join(stream._parts).decode(*TEXT) + "".join(stream._small)
    return stream.getvalue() if isinstance(stream, io.StringIO) else ""


def test_what_a_watcher_keeps_is_bounded_in_number_and_bytes(vault, monkeypatch):
    _notes(vault)
    from vaultnet.pipeline.session import Session

    session = Session(load_config(vault))
    monkeypatch.setattr(Session, "MEMOISED", 3)
    monkeypatch.setattr(Session, "MEMOISED_BYTES", 80)
    for number in range(5):
        assert session.memoised(number, lambda number=number: "x" * number * 10, len) == "x" * number * 10
    assert list(session._worked_out) == [3, 4]  # 3 at most, and 30 + 40 bytes fit in 80 where 20 more do not
    assert session.memoised("big", lambda: "x" * 500, len) == "x" * 500  # too big to keep beside others: alone
    assert list(session._worked_out) == ["big"]
    calls = []
    session.memoised("big", lambda: calls.append(1) or "y", len)
    assert calls == []


def test_a_large_answer_is_kept_only_until_something_else_is_worked_out(vault, monkeypatch):
    """A large vault's `status --json` (9 MB) kept beside the next answer being worked out was the highest point of
    a watcher's memory; what every answer starts from (the network: no bytes of its own) stays under byte pressure."""
    _notes(vault)
    from vaultnet.pipeline.session import Session

    session = Session(load_config(vault))
    monkeypatch.setattr(Session, "LARGE", 100)
    monkeypatch.setattr(Session, "MEMOISED_BYTES", 30)
    network = session.memoised("network", object)
    assert session.memoised("big", lambda: "x" * 500, len) == "x" * 500
    assert session.memoised("big", lambda: "y", len) == "x" * 500  # asked again at once: kept
    kept_while_working: list[list[object]] = []
    session.memoised("small", lambda: kept_while_working.append(list(session._worked_out)) or "y" * 20, len)
    assert kept_while_working == [["network"]]
    session.memoised("other", lambda: "z" * 20, len)  # 40 bytes: the oldest answer goes, the network stays
    assert list(session._worked_out) == ["network", "other"] and session.memoised("network", object) is network


def test_saved_answers_of_a_vault_take_bounded_room(vault, monkeypatch):
    _notes(vault)
    monkeypatch.setenv("VAULTNET_WATCHER", "off")
    cli(vault, "status", "--json")
    size = next(replies.answers_folder(vault.resolve()).iterdir()).stat().st_size
    monkeypatch.setattr(replies, "KEEP_BYTES", int(size * 2.5))
    for day in range(10, 16):
        cli(vault, "status", "--json", today=f"2026-11-{day}")
    assert len(list(replies.answers_folder(vault.resolve()).iterdir())) == 2


def test_a_saved_plan_is_worked_out_again_once_the_form_of_this_devices_last_build_changes(vault, monkeypatch):
    """What a rendering leaves alone depends on the form the last build wrote in: a saved plan is for that form."""
    _notes(vault)
    monkeypatch.setenv("VAULTNET_WATCHER", "off")
    assert cli(vault, "build").exit_code == 0
    with open(vault / "People/Bob.md", "a", encoding="utf-8") as note:
        note.write("- 2026-11-20 #call about the kitchen\n")
    first = cli(vault, "plan", "--stdout")  # the build is behind the edit: worked out, and saved
    with monkeypatch.context() as patch:
        _no_working_out(patch)
        assert cli(vault, "plan", "--stdout").stdout == first.stdout
        (vault / ".vaultnet/cache/build.json").unlink()
        with pytest.raises(AssertionError, match="worked out again"):
            CliRunner().invoke(main, ["--vault", str(vault), "--today", "2026-11-21", "plan", "--stdout"],
                               catch_exceptions=False)


def test_a_reply_arrives_as_it_was(vault):
    """A large answer is sent a piece at a time: whatever it printed arrives as printed (accents, a character
    no encoding has, a piece boundary in the middle of a character), its pieces never joined to be sent."""
    data = ("Zoë 🎂 \udcff " * 30_000)[:200_001].encode(*TEXT)
    pieces = (data[:70_001], b"", data[70_001:70_002], data[70_002:])  # 70_001: inside the bytes of a character
    reply = Reply(pieces, "1 problem in the vault: \udcff.md\n", 3)
    server = AnswerServer(vault.resolve(), lambda request: reply)
    assert server.start()
    try:
        for _ in range(2):
            assert ask(vault.resolve(), _request(vault)) == Reply((data,), reply.stderr, reply.code)
    finally:
        server.stop()


@pytest.mark.parametrize(("encoding", "errors", "own"), [
    ("utf-8", "strict", True), ("utf-8", "surrogateescape", True), ("UTF8", "backslashreplace", True),
    ("latin-1", "replace", True), ("utf-8-sig", "strict", True), ("utf-8", "strict", False)])
def test_an_answer_is_printed_as_the_command_would_print_it(monkeypatch, encoding, errors, own):
    """An answer's bytes go out as they are only where they are what printing its text would write: anything
    else (another encoding, a byte-order mark, a stream put in place of the process's own, which may change
    line ends, a name that is no UTF-8) is printed as text."""
    text = ("Zoë 🎂\n" * 20_000, "a name that is no UTF-8: caf\udcff.md\n", "한국 \ud55c\n", "done\n")
    if errors == "strict":
        text = tuple(piece for piece in text if "\udcff" not in piece)  # the command itself could not print it

    def printed(write: object) -> bytes:
        raw = io.BytesIO()
        # the process's own standard output, as Python opens it here (no line ends changed); or another stream
        stream = io.TextIOWrapper(raw, encoding=encoding, errors=errors, newline="\n" if own else "\r\n")
        with monkeypatch.context() as patch:
            patch.setattr(sys, "stdout", stream)
            if own:
                patch.setattr(sys, "__stdout__", stream)
            write(stream)  # type: ignore[operator]
            stream.flush()
        return raw.getvalue()

    reply = Reply(tuple(piece.encode(*TEXT) for piece in text))
    expected = printed(lambda stream: [stream.write(piece) for piece in text])
    assert printed(lambda stream: answers._print(reply)) == expected


def test_a_reply_sent_is_let_go(vault):
    """The server kept its last reply until the next was worked out: a large vault's `status --json` (9 MB) under
    the next answer's own peak."""
    piece = b"".join([b"a piece of this test's own: ", str(id(vault)).encode()])
    unsent = sys.getrefcount(piece)
    server = AnswerServer(vault.resolve(), lambda request: Reply((piece,)))
    assert server.start()
    try:
        assert ask(vault.resolve(), _request(vault)) == Reply((piece,))
        deadline = time.monotonic() + 5
        while sys.getrefcount(piece) > unsent and time.monotonic() < deadline:
            time.sleep(0.01)
        assert sys.getrefcount(piece) == unsent
    finally:
        server.stop()


def test_a_reply_cut_short_is_no_reply():
    """A watcher that stops while it sends leaves the command to work its answer out, never to print a part."""
    sent, received = socket.socketpair()
    with sent, received:
        sender = threading.Thread(target=lambda: (_send(sent, Reply(("Zoë ".encode() * 50_000,), "", 0)),
                                                  sent.shutdown(socket.SHUT_WR)))
        sender.start()  # the text is more than the socket holds: read as it is sent
        data = _read_all(received)
        sender.join()
    assert _unpacked(data) == Reply(("Zoë ".encode() * 50_000,), "", 0)
    for cut in (1, 2, len(data) // 2, len(data) - 1):
        with pytest.raises((msgspec.DecodeError, UnicodeDecodeError)):
            _unpacked(data[:cut])


def test_a_socket_in_a_folder_others_can_enter_is_never_asked(vault, monkeypatch):
    runtime = Path(tempfile.mkdtemp(prefix="vn-run-"))  # short: a socket's path has about 100 bytes at most
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    path = socket_path(vault.resolve())
    assert path is not None and path.is_relative_to(runtime)
    server = AnswerServer(vault.resolve(), lambda request: Reply((b"answered",)))
    assert server.start()
    try:
        assert ask(vault.resolve(), _request(vault)) == Reply((b"answered",))
        path.parent.chmod(0o755)  # another user could have put it there
        assert ask(vault.resolve(), _request(vault)) is None
        path.parent.chmod(0o700)
    finally:
        server.stop()
    path.parent.chmod(0o777)
    assert not AnswerServer(vault.resolve(), lambda request: Reply((b"answered",))).start()
    shutil.rmtree(runtime)
