"""The endpoint's limits, measured: ``ASK {}`` right after six queries stopped at a 2 s limit,
and a crowd of simultaneous loopback clients (p50, p99, max latency).

Not a test (tests/test_serve_limits.py and tests/test_serve_load.py assert bounds); run it by
hand and paste its lines where they are quoted:

    python bench/serve_limits.py                    # 1,000 clients, 3 rounds
    python bench/serve_limits.py --clients 2000 --rounds 1

It builds the shipped report into a temporary store, starts ``python -m peelgraph serve
--timeout 2`` on it, and talks to it with urllib and with raw asyncio sockets (one connection
and one small query per client, all released at once).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
SMALL = "SELECT (COUNT(*) AS ?n) WHERE { ?r a pg:InspectionReport }"


def _get(base: str, query: str) -> int:
    try:
        with urllib.request.urlopen(f"{base}/query?query={urllib.parse.quote(query)}", timeout=120) as resp:
            resp.read()
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code


def stopped_then_ask(base: str) -> tuple[list[int], float]:
    """Six HEAVY queries at once (each past the 2 s limit), then the seconds ``ASK {}`` takes."""
    statuses: list[int] = []
    threads = [threading.Thread(target=lambda: statuses.append(_get(base, HEAVY))) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    started = time.monotonic()
    assert _get(base, "ASK {}") == 200
    return statuses, time.monotonic() - started


async def _client(host: str, port: int, go: asyncio.Event) -> tuple[int, float]:
    await go.wait()
    started = time.monotonic()
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"GET /query?query={urllib.parse.quote(SMALL)} HTTP/1.1\r\nHost: {host}\r\n"
                 "Connection: close\r\n\r\n".encode())
    await writer.drain()
    data = await reader.read()
    writer.close()
    return (200 if data.startswith(b"HTTP/1.1 200 ") else 0), time.monotonic() - started


async def crowd(host: str, port: int, clients: int) -> tuple[int, list[float]]:
    """``clients`` connections released at once; how many got 200, and the sorted latencies."""
    go = asyncio.Event()
    tasks = [asyncio.create_task(_client(host, port, go)) for _ in range(clients)]
    await asyncio.sleep(0.2)
    go.set()
    results = await asyncio.gather(*tasks)
    return sum(1 for s, _ in results if s == 200), sorted(t for _, t in results)


def _serve(store: Path, *args: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "peelgraph", "--store", str(store), "serve", "--port", "0",
                             *args], stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    line = proc.stderr.readline()
    while "Serving" not in line:
        line = proc.stderr.readline()
    return proc, re.search(r"(http://\S+?)/\s", line).group(1)  # type: ignore[union-attr]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY else 65536, hard))

    from peelgraph.resources import shipped_reports
    from peelgraph.store.oxigraph import build_store

    store = Path(tempfile.mkdtemp()) / "store"
    build_store(store, shipped_reports())
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; python {sys.version.split()[0]}")
    proc, base = _serve(store, "--timeout", "2")
    try:
        statuses, ask = stopped_then_ask(base)
        print(f"six queries past a 2 s limit: {statuses}; ASK {{}} right after: {ask * 1000:.0f} ms")
    finally:
        proc.terminate()
        proc.wait()
    proc, base = _serve(store)  # the default time limit: a query may wait for a worker up to 30 s
    split = urllib.parse.urlsplit(base)
    try:
        for i in range(args.rounds):
            ok, lat = asyncio.run(crowd(split.hostname or "127.0.0.1", split.port or 0, args.clients))
            p99 = lat[int(0.99 * len(lat)) - 1]
            print(f"round {i + 1}: {args.clients} simultaneous clients, {ok} answered 200; "
                  f"p50 {lat[len(lat) // 2]:.2f} s, p99 {p99:.2f} s, max {lat[-1]:.2f} s")
    finally:
        proc.terminate()
        proc.wait()


if __name__ == "__main__":
    main()
