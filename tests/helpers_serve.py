"""A real ``peelgraph serve`` in a child process, for the endpoint's tests (tests/test_serve_*.py)."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path


class ServeProcess:
    """``python -m peelgraph --store STORE serve --port 0 ARGS...``; ``base`` is its URL and
    ``stderr`` what it has written to stderr so far."""

    def __init__(self, store: Path, *args: str) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "peelgraph", "--store", str(store), "serve",
                                      "--port", "0", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     text=True)
        self._lines: list[str] = []
        self._ready = threading.Event()
        self.base = ""
        threading.Thread(target=self._read, daemon=True).start()
        if not self._ready.wait(120):
            self.stop()
            raise AssertionError(f"serve did not start: {self.stderr}")

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self._lines.append(line)
            m = re.search(r"Serving the graph read-only at (http://\S+?)/\s", line)
            if m:
                self.base = m.group(1)
                self._ready.set()
        self._ready.set()

    @property
    def stderr(self) -> str:
        return "".join(self._lines)

    def stop(self) -> int:
        """Stop it as a service manager would (SIGTERM); its exit code."""
        self.proc.terminate()
        try:
            return self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()


def http(url: str, data: bytes | None = None, headers: dict[str, str] | None = None, method: str | None = None,
         timeout: float = 60) -> tuple[int, dict[str, str], bytes]:
    """One request with urllib: status, headers and body (an HTTP error is an answer too)."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def get(base: str, query: str, timeout: float = 60) -> tuple[int, dict[str, str], bytes]:
    """``GET /query?query=...``."""
    return http(f"{base}/query?query={urllib.parse.quote(query)}", timeout=timeout)


def timed(fn, *args, **kw):  # type: ignore[no-untyped-def]
    """``(fn(*args, **kw), seconds it took)``."""
    started = time.monotonic()
    out = fn(*args, **kw)
    return out, time.monotonic() - started
