"""The endpoint's query workers: a small pool of processes that can be stopped, and a bounded queue.

Each query runs in a worker process (:mod:`peelgraph.serve.worker`, started with
multiprocessing's ``forkserver`` where there is one, so a new worker is a fork of a process
that has already imported pyoxigraph). A query past its time limit, or past its memory
limit, ends with its worker: the worker is killed (SIGKILL) and a new one started at once,
so the slot is free again as soon as the replacement has opened the store (a tenth of a
second). When every worker is busy a query waits in a queue of at most ``queue`` queries,
within its own time limit; when the queue is full it is refused at once (:class:`Busy`).

Example:
    >>> from peelgraph.serve.worker import Task, _demo_store
    >>> gen = _demo_store()
    >>> pool = WorkerPool(lambda: gen, size=1, queue=4)
    >>> pool.run(Task("ASK {}", "text/csv", None, 10, str(gen)), timeout=10)[0:2]
    ('ok', b'true')
    >>> pool.close()
"""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from peelgraph.serve.worker import CannedTask, Reply, Task

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

__all__ = ["WorkerPool", "Busy", "Stopped"]


class Busy(Exception):
    """Every worker is busy and the queue is full, or the wait for a worker outlasted the time limit."""


class Stopped(Exception):
    """The query's worker was stopped: ``reason`` is ``"time"``, ``"memory"`` or ``"crash"``."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        ctx.set_forkserver_preload(["pyoxigraph", "peelgraph.serve.worker"])
    return ctx


class _Proc:
    """A worker process and the parent's end of its pipe."""

    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self.process = process
        self.conn = conn

    def stop(self) -> None:
        """Kill the process (if it still runs) and reap it."""
        with contextlib.suppress(OSError, ValueError, AttributeError):
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool:
    """``size`` worker processes over the generation ``generation()`` names, and a queue of ``queue``.

    ``memory_limit`` is in bytes (None: no limit). :meth:`run` is safe to call from many threads.
    """

    def __init__(self, generation: Callable[[], Path], *, size: int, queue: int,
                 memory_limit: int | None = None) -> None:
        self._generation = generation
        self.size = size
        self.queue = queue
        self.memory_limit = memory_limit
        self._ctx = _context()
        self._idle: list[_Proc] = []
        self._cond = threading.Condition()
        self._waiting = 0
        self._closed = False
        self._busy: set[_Proc] = set()
        self.replaced = 0
        for p in [self._spawn() for _ in range(size)]:
            if p is not None:
                self._idle.append(p)
        missing = size - len(self._idle)
        for _ in range(missing):
            self._respawn_later()

    # -- workers ---------------------------------------------------------------------------------------------------

    def _spawn(self) -> _Proc | None:
        """A new worker, ready (its store open); None when it could not start."""
        from peelgraph.serve import worker

        parent, child = self._ctx.Pipe(duplex=True)
        proc = self._ctx.Process(target=worker.main, args=(child, str(self._generation()), self.memory_limit),
                                 daemon=True, name="peelgraph-query-worker")
        try:
            proc.start()
        except (OSError, RuntimeError):
            parent.close()
            child.close()
            return None
        child.close()
        p = _Proc(proc, parent)
        try:
            if parent.poll(60) and parent.recv() == ("ready",):
                return p
        except (EOFError, OSError):
            pass
        p.stop()
        return None

    def _respawn_later(self) -> None:
        """Start a replacement in the background; it joins the idle workers when ready."""

        def work() -> None:
            delay = 0.05
            while not self._closed:
                p = self._spawn()
                if p is not None:
                    with self._cond:
                        if self._closed:
                            p.stop()
                            return
                        self._idle.append(p)
                        self.replaced += 1
                        self._cond.notify()
                    return
                time.sleep(delay)
                delay = min(delay * 2, 2.0)

        threading.Thread(target=work, daemon=True, name="peelgraph-respawn").start()

    def _retire(self, p: _Proc) -> None:
        """Kill a worker and start its replacement (the slot frees when the replacement is ready)."""
        p.stop()
        self._respawn_later()

    # -- queries ---------------------------------------------------------------------------------------------------

    def _acquire(self, deadline: float) -> _Proc:
        with self._cond:
            if self._closed:
                raise Busy("the server is shutting down")
            if not self._idle and self._waiting >= self.queue:
                raise Busy(f"all {self.size} workers are busy and {self._waiting} queries are waiting")
            self._waiting += 1
            try:
                while True:
                    while self._idle and not self._idle[-1].process.is_alive():  # died while idle
                        self._retire(self._idle.pop())
                    if self._idle:
                        break
                    left = deadline - time.monotonic()
                    if left <= 0 or self._closed:
                        raise Busy(f"all {self.size} workers stayed busy for the whole time limit")
                    self._cond.wait(left)
                p = self._idle.pop()
                self._busy.add(p)
                return p
            finally:
                self._waiting -= 1

    def _release(self, p: _Proc) -> None:
        with self._cond:
            self._busy.discard(p)
            if self._closed:
                p.stop()
                return
            self._idle.append(p)
            self._cond.notify()

    def run(self, task: Task | CannedTask, timeout: float) -> Reply:
        """Run ``task`` in a worker within ``timeout`` seconds (the wait for a worker included).

        A ``("stale", ...)`` reply (the generation went away) is retried once on the current one.

        Raises:
            Busy: the queue is full, or no worker came free within the time limit.
            Stopped: the query ran past its time or memory limit, or crashed its worker.
        """
        deadline = time.monotonic() + timeout
        reply = self._run_once(task, deadline)
        if reply[0] == "stale":
            current = str(self._generation())
            if current != task.generation:
                reply = self._run_once(dataclasses.replace(task, generation=current), deadline)
        return reply

    def _run_once(self, task: Task | CannedTask, deadline: float) -> Reply:
        p = self._acquire(deadline)
        try:
            p.conn.send(task)
            if not p.conn.poll(max(0.0, deadline - time.monotonic())):
                raise Stopped("time")
            reply: Reply = p.conn.recv()
        except Stopped:
            self._drop(p)
            raise
        except (EOFError, OSError):  # the worker died: the engine crashed, or ran out of memory
            self._drop(p)
            code = p.process.exitcode
            if code in (-signal.SIGABRT, -signal.SIGKILL):
                raise Stopped("memory", f"exit {code}") from None
            raise Stopped("crash", f"exit {code}") from None
        if reply[0] == "memory":
            self._drop(p)
            raise Stopped("memory")
        self._release(p)
        return reply

    def _drop(self, p: _Proc) -> None:
        with self._cond:
            self._busy.discard(p)
        self._retire(p)

    # -- the end ---------------------------------------------------------------------------------------------------

    def close(self) -> None:
        """Stop every worker (a query running now ends with its worker)."""
        with self._cond:
            self._closed = True
            procs = self._idle + list(self._busy)
            self._idle = []
            self._cond.notify_all()
        for p in procs:
            p.stop()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
