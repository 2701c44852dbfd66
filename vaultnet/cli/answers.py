"""Read commands answered by a running ``vaultnet watch`` (see :mod:`vaultnet.pipeline.serving`).

Both sides of the question are here, in the click layer, because both are
about running a command: :func:`answered` marks a command that may ask the
watcher first (and, run inside the watcher, does not); :func:`answer` is what
the watcher is handed to run one, on its own session, printing into buffers
that go back to the command. The command's own code is the answer's code: a
watcher's answer and a command's own are the same function of the same vault.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import os
import shutil
import sys
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

import click

from vaultnet.base.errors import VaultnetError
from vaultnet.cli.state import State, describe_os_error

if TYPE_CHECKING:
    from vaultnet.pipeline.serving import Reply, Request
    from vaultnet.pipeline.session import Session

# The terminal's settings a command's output depends on (its width, whether and how it is coloured).
TERMINAL_ENV = ("COLUMNS", "LINES", "TERM", "COLORTERM", "NO_COLOR", "FORCE_COLOR")
# VAULTNET_WATCHER=off: never ask a watcher (to compare, or to rule it out).
OPT_OUT = "VAULTNET_WATCHER"

_inside: ContextVar[bool] = ContextVar("inside", default=False)  # running as a watcher's answer
_answerable: set[str] = set()  # the names of the commands that may be answered


def answered(when: Callable[[Mapping[str, Any]], bool] = lambda params: True) -> Callable[..., Any]:
    """Mark a read command the watcher may answer: for the options ``when`` accepts, it asks first.

    Put it under ``@click.pass_obj``; the command's name is its function's.
    """
    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def wrapper(state: State, **params: Any) -> Any:
            if when(params) and _asked(state, params):
                return None
            return function(state, **params)

        _answerable.add(function.__name__)
        return wrapper

    return decorate


def _asked(state: State, params: Mapping[str, Any]) -> bool:
    """True when the vault's watcher answered (what it printed is printed, its exit code is ours)."""
    if _inside.get() or os.environ.get(OPT_OUT, "").lower() in ("off", "0", "no", "false"):
        return False
    from vaultnet.pipeline.serving import Request, ask, socket_path

    root = state.config.root
    path = socket_path(root)
    if path is None or not path.exists():
        return False  # the common case: no watcher; nothing more to do
    tty = sys.stdout.isatty()
    env = {name: os.environ[name] for name in TERMINAL_ENV if name in os.environ}
    if tty and "COLUMNS" not in env:
        env["COLUMNS"] = str(shutil.get_terminal_size().columns)
    ctx = click.get_current_context()
    try:
        request = Request(str(root), ctx.info_name or "", dict(params), state.today.isoformat(),
                          state.today_given.isoformat() if state.today_given else None, state.quiet, tty, env,
                          prog=ctx.find_root().info_name or "vaultnet")
        reply = ask(root, request)
    except TypeError:  # an option that does not travel (none of the answered commands has one)
        return False
    if reply is None:
        return False
    sys.stdout.write(reply.stdout)
    sys.stdout.flush()
    sys.stderr.write(reply.stderr)
    sys.stderr.flush()
    if reply.code:
        sys.exit(reply.code)
    return True


class _Output(io.StringIO):
    """A command's output as the watcher runs it: a terminal when the asking command's is one."""

    def __init__(self, tty: bool) -> None:
        super().__init__()
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


@contextlib.contextmanager
def _terminal_env(env: Mapping[str, str]) -> Iterator[None]:
    """The asking command's terminal settings in place of the watcher's, while its answer is worked out."""
    saved = {name: os.environ.get(name) for name in TERMINAL_ENV}
    try:
        for name in TERMINAL_ENV:
            if name in env:
                os.environ[name] = env[name]
            else:
                os.environ.pop(name, None)
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def answer(root: click.Group, session: Session, request: Request) -> Reply:
    """Run the command of ``root`` that ``request`` names on the watcher's ``session`` (serving).

    The reply is kept while the vault stays as it is: the same question asked
    again costs nothing.
    """
    from vaultnet.pipeline.serving import Reply

    command = root.commands.get(request.command)
    if command is None or request.command not in _answerable or command.callback is None:
        return Reply(declined=f"{request.command} is not answered by a watcher")
    return session.memoised(("answer", request.key()), lambda: _run(root, command, session, request))


def _run(root: click.Group, command: click.Command, session: Session, request: Request) -> Reply:
    """The command run as click runs it, its output and exit code caught (usage errors as click words them)."""
    from vaultnet.pipeline.serving import Reply

    assert command.callback is not None
    given = dt.date.fromisoformat(request.today_given) if request.today_given else None
    state = State(request.vault, dt.date.fromisoformat(request.today), request.quiet, given)
    state.__dict__["config"] = session.config  # the settings the watcher read (a change is reloaded by it)
    params = {key: tuple(value) if isinstance(value, list) else value for key, value in request.params.items()}
    out, err = _Output(request.tty), _Output(False)  # no progress bar drawn into the answer
    code = 0
    token = _inside.set(True)
    try:
        with _terminal_env(request.env), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                parent = click.Context(root, info_name=request.prog, obj=state, **root.context_settings)
                with click.Context(command, parent=parent, info_name=request.command, obj=state,
                                   color=request.tty or None) as ctx:
                    ctx.invoke(command.callback, **params)
            except click.exceptions.Exit as stop:
                code = stop.exit_code
            except click.ClickException as error:
                error.show(file=err)
                code = error.exit_code
            except VaultnetError as error:
                click.ClickException(str(error)).show(file=err)
                code = 1
            except OSError as error:
                click.ClickException(describe_os_error(error)).show(file=err)
                code = 1
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else 1
    finally:
        _inside.reset(token)
    return Reply(out.getvalue(), err.getvalue(), code)
