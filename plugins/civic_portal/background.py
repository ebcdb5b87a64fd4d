"""A function of this package run in a process of its own by the build's Python (`python -m`),
beside the build: the build hands it its input through a pipe, goes on rendering pages on one
processor while the process works on another, and waits for its answer at the end.

Both sides are here: `Background` (the build's: each item pickled into the pipe) and, run as
`python -m civic_portal.background MODULE FUNCTION ARGS…`, the process's: the function, reading
the items with `received()`, and its answer, pickled after a mark on its output.
The process imports only the function's module and what that imports (this package's `__init__`
imports nothing), not MkDocs: about 10-22 MiB, for as long as the build lasts."""

from __future__ import annotations

import contextlib
import importlib
import os
import pickle
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

_PACKAGE_ROOT = str(Path(__file__).resolve().parents[1])  # the folder civic_portal sits in


class Background:
    """`work(*args)` in a process of its own (`work`: a function of a module of this package,
    which reads `received()`), fed each of `items` (pickled, by a thread of the build, as the
    process reads them; an iterator may wait for its next item); `result()` is what `work`
    returned (any object that pickles)."""

    def __init__(
        self,
        work: Callable[..., Any],
        args: list[str],
        items: Iterable[Any],
        *,
        behind: bool = False,
    ) -> None:
        """`behind`: at the lowest priority (see _behind_the_build), for work that may take
        whatever the build leaves idle; otherwise at the build's, for work that must be done
        early (its memory let go of before the index's Pagefind run begins)."""
        path = os.pathsep.join(filter(None, [_PACKAGE_ROOT, os.environ.get("PYTHONPATH")]))
        self._process = subprocess.Popen(
            [sys.executable, "-m", __spec__.name, work.__module__, work.__qualname__, *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": path},
            preexec_fn=_behind_the_build if behind else None,
        )
        self._outcome: tuple[bytes, bytes] = (b"", b"")
        self._talking = threading.Thread(target=self._talk, args=(items,), daemon=True)
        self._talking.start()

    def _talk(self, items: Iterable[Any]) -> None:
        """The items fed as the process reads them, then its answer and errors read to their end
        (both at once: neither side waits on a full pipe)."""
        stdin = self._process.stdin
        assert stdin is not None
        try:
            for item in items:
                pickle.dump(item, stdin, protocol=pickle.HIGHEST_PROTOCOL)
        except (BrokenPipeError, ValueError):  # it ended early (or was cancelled): it says why
            pass
        finally:
            with contextlib.suppress(OSError):
                stdin.close()
        self._process.stdin = None  # closed: communicate() reads the answer only
        self._outcome = self._process.communicate()

    @property
    def pid(self) -> int:
        return self._process.pid

    def result(self) -> Any:
        """The process's answer once it has ended; RuntimeError with its error if it failed."""
        self._talking.join()
        out, err = self._outcome
        _, marked, reply = out.rpartition(_MARK)
        try:
            done, value = pickle.loads(reply) if marked else (False, None)
        except (pickle.UnpicklingError, EOFError, ValueError, TypeError):  # cut short
            done, value = False, None
        if not done:
            if value is None:  # killed, or failed to start: its last error line
                tail = err.decode("utf-8", "replace").strip().splitlines()[-1:]
                value = f"the process ended ({self._process.returncode})"
                value += f": {tail[0]}" if tail else ""
            raise RuntimeError(value)
        return value

    def cancel(self) -> None:
        """Stop at once (a failed build): SIGTERM, which `_answer` turns into SystemExit, so that
        a `subprocess.run` of the process kills its own process too."""
        if self._process.poll() is None:
            self._process.terminate()
        self._talking.join()


def _behind_the_build() -> None:
    """The process (and what it runs: Pagefind, which uses every processor it has) at the
    lowest priority: the build's one thread, which every page waits for, keeps its processor,
    and the process has the others and whatever the build leaves idle (at 3,000 groups, with
    the site in memory, 16.5-17.8 s a build instead of 18.7-19.0 s)."""
    os.nice(19)


def received() -> Iterator[Any]:
    """The process's side: each item the build sent, as it arrives."""
    while True:
        try:
            yield pickle.load(sys.stdin.buffer)
        except EOFError:
            return


# Before the answer on the process's output (anything a library printed comes before it)
_MARK = b"\0civic-portal answer\0"


def _answer(work: Callable[[], Any]) -> None:
    """The process's side: `work()` (which reads `received()`), answered at the end of its
    output, after _MARK: (True, its value) or (False, its error), pickled."""
    signal.signal(signal.SIGTERM, _stop)
    try:
        reply = pickle.dumps((True, work()), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as e:  # handed to result(), which reports it as the build's error
        reply = pickle.dumps((False, str(e) or type(e).__name__))
    sys.stdout.flush()
    sys.stdout.buffer.write(_MARK + reply)
    sys.stdout.buffer.flush()


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(1)


if __name__ == "__main__":  # python -m civic_portal.background MODULE FUNCTION ARGS...
    _module, _name, *_args = sys.argv[1:]
    _work = getattr(importlib.import_module(_module), _name)
    _answer(lambda: _work(*_args))
