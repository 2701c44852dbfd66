"""Read commands answered without working everything out again (docs/speed.md).

A read command marked :func:`answered` asks, in turn: the vault's running
``vaultnet watch`` (:mod:`vaultnet.pipeline.serving`), which answers from what
it holds; then the answer it saved last time, printed when the vault is as it
was then (:mod:`vaultnet.pipeline.replies`); and only then works the answer
out, saving it. :func:`answer` is what the watcher is handed to run a command
on its own session, printing into buffers that go back to the command. The
command's own code is every answer's code: a watcher's answer, a saved one and a
fresh one are the same function of the same vault.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime as dt
import functools
import io
import os
import shutil
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from typing import IO, TYPE_CHECKING, Any, BinaryIO, cast

import click

from vaultnet.cli.state import State, core_errors

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
    """Mark a read command whose answer may come from the watcher or be saved: for the options ``when``
    accepts, it asks the vault's running watcher first, then looks for its answer saved last time, and
    only then works the answer out (and saves it, with the state of the vault it read).

    Put it under ``@click.pass_obj``; the command's name is its function's.
    """
    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def wrapper(state: State, **params: Any) -> Any:
            if not when(params) or _inside.get():
                return function(state, **params)
            request = _request(state, params)
            reply = _from_watcher(state, request)
            if reply is None:
                from vaultnet.pipeline.replies import saved_reply
                from vaultnet.pipeline.session import Session

                session = Session(state.config, remember=False)  # walks once, for the saved answer and the work
                reply = saved_reply(session, state.today, request)
                if reply is None:
                    return _worked_out(state, session, request, lambda: function(state, **params))
            _print(reply)
            return None

        _answerable.add(function.__name__)
        return wrapper

    return decorate


def _request(state: State, params: Mapping[str, Any]) -> Request:
    """The question a command asks: the command, its options and what its output depends on."""
    from vaultnet.pipeline.serving import Request

    ctx = click.get_current_context()
    tty = sys.stdout.isatty()
    env = {name: os.environ[name] for name in TERMINAL_ENV if name in os.environ}
    if tty and "COLUMNS" not in env:
        env["COLUMNS"] = str(shutil.get_terminal_size().columns)
    return Request(str(state.config.root), ctx.info_name or "", dict(params), state.today.isoformat(),
                   state.today_given.isoformat() if state.today_given else None, state.quiet, tty, env,
                   prog=ctx.find_root().info_name or "vaultnet")


def _from_watcher(state: State, request: Request) -> Reply | None:
    """The running watcher's answer; None when there is no watcher, or it cannot answer (see Watcher.behind)."""
    if os.environ.get(OPT_OUT, "").lower() in ("off", "0", "no", "false"):
        return None
    from vaultnet.pipeline.serving import ask

    return ask(state.config.root, request)


def _print(reply: Reply) -> None:
    """What the answer printed is printed; its exit code is the command's.

    Its bytes go out as they are wherever they are what the command would have
    printed itself (standard output takes UTF-8 and ends lines with ``\\n``);
    anything else is printed as text, as the command would print it.
    """
    from vaultnet.pipeline.serving import TEXT

    out = _binary_stdout()
    for piece in reply.stdout:
        if out is not None and (b"\xed" not in piece or _utf_8(piece)):  # \xed: how a lone surrogate begins
            out.write(piece)
        else:
            if out is not None:
                out.flush()
            sys.stdout.write(piece.decode(*TEXT))
            sys.stdout.flush()
    if out is not None:
        out.flush()
    sys.stdout.flush()
    sys.stderr.write(reply.stderr)
    sys.stderr.flush()
    if reply.code:
        sys.exit(reply.code)


def _binary_stdout() -> BinaryIO | None:
    """The binary stream under standard output when text printed there becomes its UTF-8 bytes unchanged:
    the process's own, which Python opens without changing line ends where they are ``\\n``, in UTF-8.
    None for any other (another encoding, a stream put in its place, which may change line ends)."""
    stdout: IO[str] = sys.stdout
    if stdout is not sys.__stdout__:
        return None
    out = getattr(stdout, "buffer", None)
    encoding = getattr(stdout, "encoding", None)
    try:
        utf_8 = isinstance(encoding, str) and codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        utf_8 = False
    if out is None or not utf_8 or os.linesep != "\n":
        return None
    stdout.flush()  # what the text stream holds goes first
    return cast("BinaryIO", out)


def _utf_8(piece: bytes) -> bool:
    try:
        piece.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _worked_out(state: State, session: Session, request: Request, work: Callable[[], Any]) -> Any:
    """Run the command as it is, printing as it goes, and save what it printed with what it read.

    Only a command that ends normally is saved: an error is worked out again.
    """
    from vaultnet.pipeline.replies import save_reply
    from vaultnet.pipeline.serving import TEXT, Reply
    from vaultnet.pipeline.session import answering_with

    out, err = _Copy(sys.stdout), _Copy(sys.stderr)
    with answering_with(session), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        result = work()
    if not err.drawn:  # a progress bar was drawn: what was printed is no answer to replay
        save_reply(session, state.today, request, Reply((out.getvalue().encode(*TEXT),), err.getvalue(), 0))
    return result


class _Copy(io.StringIO):
    """Writes through to ``to`` (a terminal stays one) and keeps a copy of the text."""

    def __init__(self, to: Any) -> None:
        super().__init__()
        self._to = to
        self.drawn = False  # cursor movements or colours (a progress bar on a terminal) went through

    def write(self, text: str) -> int:
        self._to.write(text)
        self.drawn = self.drawn or "\x1b" in text or "\r" in text
        return super().write(text)

    def flush(self) -> None:
        self._to.flush()

    def isatty(self) -> bool:
        return bool(self._to.isatty())


class _Output(io.TextIOBase):
    """A command's output as the watcher runs it: a terminal when the asking command's is one.

    Made once per thread that answers and used for every answer it works out
    (see ``_outputs``): ``click.echo`` caches the text stream it finds as
    ``sys.stdout`` in a weak-key dictionary whose value is that very stream, so
    a stream it once printed to is never freed. A new buffer per answer kept
    every answer's text for as long as the watcher ran (9 MB for each
    ``status --json`` of a 10,000-contact vault: a watcher grew by 20 MB for
    each edit and round of questions). ``take`` empties it. Each piece is kept as
    the bytes it is sent and printed as, the text let go as it is encoded.
    """

    # Characters: small writes (a line each) are gathered into pieces at least this large; a piece for each
    # would be ten thousand objects, one for all a second copy of a large answer beside its parts.
    PIECE = 1 << 16

    def __init__(self) -> None:
        super().__init__()
        self.tty = False
        self._parts: list[bytes] = []
        self._small: list[str] = []  # written since the last piece
        self._size = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if not isinstance(text, str):  # as a text stream does: click tells a binary stream by this error
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self._small.append(text)
        self._size += len(text)
        if self._size >= self.PIECE:
            self._piece()
        return len(text)

    def _piece(self) -> None:
        from vaultnet.pipeline.serving import TEXT  # imported with the watcher that answers

        if self._size:
            self._parts.append("".join(self._small).encode(*TEXT))
        self._small, self._size = [], 0

    def isatty(self) -> bool:
        return self.tty

    def take(self) -> tuple[bytes, ...]:
        """What was written since the last ``take``, in pieces (see ``PIECE``); the stream is left empty."""
        self._piece()
        parts, self._parts = tuple(self._parts), []
        return parts


_answering = threading.local()  # this thread's two _Output (see _Output)


def _outputs(tty: bool) -> tuple[_Output, _Output]:
    """This thread's stdout and stderr for an answer (``_run`` leaves them empty); stdout a terminal when ``tty``."""
    if not hasattr(_answering, "outputs"):
        _answering.outputs = (_Output(), _Output())
    out, err = _answering.outputs
    out.tty = tty
    return out, err


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
    callback = command.callback if command is not None and request.command in _answerable else None
    if command is None or callback is None:
        return Reply(declined=f"{request.command} is not answered by a watcher")
    return session.memoised(("answer", request.key()), lambda: _run(root, command, callback, session, request),
                            lambda reply: sum(map(len, reply.stdout)) + len(reply.stderr))


def _run(root: click.Group, command: click.Command, callback: Callable[..., Any], session: Session,
         request: Request) -> Reply:
    """The command run as click runs it, its output and exit code caught (usage errors as click words them)."""
    from vaultnet.pipeline.serving import TEXT, Reply

    given = dt.date.fromisoformat(request.today_given) if request.today_given else None
    state = State(request.vault, dt.date.fromisoformat(request.today), request.quiet, given)
    state.__dict__["config"] = session.config  # the settings the watcher read (a change is reloaded by it)
    params = {key: tuple(value) if isinstance(value, list) else value for key, value in request.params.items()}
    out, err = _outputs(request.tty)  # stderr no terminal: no progress bar drawn into the answer
    code = 0
    token = _inside.set(True)
    try:
        with _terminal_env(request.env), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                parent = click.Context(root, info_name=request.prog, obj=state, **root.context_settings)
                with click.Context(command, parent=parent, info_name=request.command, obj=state,
                                   color=request.tty or None) as ctx, core_errors():
                    ctx.invoke(callback, **params)
            except click.exceptions.Exit as stop:
                code = stop.exit_code
            except click.ClickException as error:
                error.show(file=cast("IO[str]", err))  # a text stream, as typing names one
                code = error.exit_code
            except SystemExit as stop:
                code = stop.code if isinstance(stop.code, int) else 1
    finally:
        _inside.reset(token)
        stdout, stderr = out.take(), err.take()  # emptied whatever happened: nothing waits in them for the next
    return Reply(stdout, b"".join(stderr).decode(*TEXT), code)
