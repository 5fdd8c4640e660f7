"""Calls run in a forked copy of this process, so a second core works where a thread cannot.

Reading a sheet is Python and lxml work that holds the GIL, so threads do not read two
sheets at once (measured: no gain). A forked child does: it starts with this process's
memory (the parts' bytes, the shared strings) without copying or pickling it, runs its calls
in order and sends each result back through a pipe as soon as it is done.

Nothing here changes what a run does, only where: a result the child could not give (an
exception, a crash, a result that cannot be pickled, a child never started) is computed here
when it is asked for, so errors are raised and worded exactly as they are without a child.
Nothing is forked where fork is not the platform's way (Windows; macOS, whose system
libraries are not fork-safe), on a single core, or once a thread is running: a fork copies
only the calling thread, and a lock another thread held would never be released in the child.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # multiprocessing is imported only when a child is started: most runs never need it
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

Call = tuple[Callable[..., Any], tuple[Any, ...]]

_OK, _FAILED = "ok", "failed"


def can_fork() -> bool:
    """True where a helper process may be forked now: Linux, two cores or more, no other thread running."""
    return sys.platform.startswith("linux") and (os.cpu_count() or 1) >= 2 and threading.active_count() == 1


class Lane:
    """Calls run one after another in one forked child; `result(i)` is call i's value, wherever it was computed.

    Results may be asked for in any order (those received on the way are kept). `close` stops
    the child; the child also ends with this process, however that ends (`_die_with_parent`).
    """

    def __init__(self, calls: Sequence[Call]):
        self._calls: list[Call | None] = list(calls)
        self._values: dict[int, Any] = {}
        self._received = 0
        self._receive: Connection | None = None
        self._process: BaseProcess | None = None
        if self._calls and can_fork():
            self._start()

    @property
    def forked(self) -> bool:
        """True when a child was started for these calls."""
        return self._process is not None

    def _start(self) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_serve, args=(send, self._calls), daemon=True, name="pygk-helper")
        gc.freeze()  # the child's collections then skip what it inherits: those pages stay shared, not copied
        try:
            process.start()
        except OSError:  # no memory or process slots for a child: the calls run here
            receive.close()
            send.close()
            return
        finally:
            gc.unfreeze()
        send.close()  # the child's end: when the child ends, recv() here sees EOF instead of waiting
        self._receive, self._process = receive, process

    def result(self, index: int) -> Any:
        """Call `index`'s value: the child's when it sent one, else computed here now."""
        while self._receive is not None and self._received <= index:
            try:
                status, value = self._receive.recv()
            except Exception:  # noqa: BLE001 - EOF (the child ended), a broken pipe, a result that does not unpickle
                self.close()
                break
            if status != _OK:
                self.close()
                break
            self._values[self._received] = value
            self._calls[self._received] = None  # its arguments (a part's bytes) are not needed any more
            self._received += 1
        if index in self._values:
            return self._values.pop(index)
        call = self._calls[index]
        if call is None:
            raise IndexError(f"result {index} was taken already")
        self._calls[index] = None
        function, args = call
        return function(*args)

    def close(self) -> None:
        """Stop the child (if it still runs) and let go of the pipe; results not yet received are computed here."""
        process, receive = self._process, self._receive
        self._process = self._receive = None
        if receive is not None:
            receive.close()
        if process is not None:
            if process.is_alive():
                process.terminate()
            process.join()
            process.close()

    def __enter__(self) -> Lane:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _serve(send: Connection, calls: Sequence[Call | None]) -> None:
    """In the child: run the calls, send each value; stop at the first that fails. Never returns."""
    status = 1
    try:
        _die_with_parent()
        for call in calls:
            assert call is not None  # none is taken before the child starts
            function, args = call
            try:
                value = function(*args)
            except Exception:  # noqa: BLE001 - the parent runs the call itself and raises what it raises
                send.send((_FAILED, None))
                break
            send.send((_OK, value))
        status = 0
    except BaseException:  # noqa: BLE001, S110 - a broken pipe (the parent is gone), Ctrl+C: end quietly
        pass
    finally:
        os._exit(status)  # no atexit handlers, no cleanup of what the parent owns (its lock, its files)


def _die_with_parent() -> None:
    """In the child: end when the parent ends (SIGKILL, SIGTERM), so no child keeps the lock file's fd open."""
    import ctypes
    import signal

    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent or parent == 1:  # the parent ended before the call took effect
        os._exit(1)
