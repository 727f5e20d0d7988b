"""A bounded load test of ``peelgraph serve`` on loopback: 1,000 simultaneous clients, one small query each."""

from __future__ import annotations

import asyncio
import resource
import time
import urllib.parse
from pathlib import Path

from helpers_serve import ServeProcess

CLIENTS = 1000
QUERY = "SELECT (COUNT(*) AS ?n) WHERE { ?r a pg:InspectionReport }"


async def _one(host: str, port: int, start: asyncio.Event) -> tuple[int, float, bytes]:
    await start.wait()
    began = time.monotonic()
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"GET /query?query={urllib.parse.quote(QUERY)} HTTP/1.1\r\nHost: {host}\r\n"
                 "Accept: text/csv\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    data = await reader.read()  # until the server closes
    writer.close()
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.1 ") else 0
    return status, time.monotonic() - began, data.rsplit(b"\r\n\r\n", 1)[-1]


async def _crowd(host: str, port: int) -> list[tuple[int, float, bytes]]:
    start = asyncio.Event()
    tasks = [asyncio.create_task(_one(host, port, start)) for _ in range(CLIENTS)]
    await asyncio.sleep(0.1)
    start.set()  # all at once
    return await asyncio.wait_for(asyncio.gather(*tasks), 120)


def test_a_thousand_simultaneous_clients_are_all_answered_quickly(built_store: Path) -> None:
    """Every client answered, correctly. The issue's target is a p99 under 5 s (bench/serve_limits.py:
    3.0-3.6 s on a 2-core machine under load); the bound asserted here is three times that, so that
    a busy CI machine does not fail it, and still far from the 47 s of the default listen backlog."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < CLIENTS + 200:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096) if hard != resource.RLIM_INFINITY else 4096,
                                                    hard))
    server = ServeProcess(built_store)
    try:
        split = urllib.parse.urlsplit(server.base)
        results = asyncio.run(_crowd(split.hostname or "127.0.0.1", split.port or 0))
    finally:
        assert server.stop() == 0
    statuses = [s for s, _, _ in results]
    assert statuses.count(200) == CLIENTS, {s: statuses.count(s) for s in set(statuses)}
    assert {body for _, _, body in results} == {b"n\r\n1\r\n"}
    latencies = sorted(t for _, t, _ in results)
    p99 = latencies[int(0.99 * len(latencies)) - 1]
    print(f"\n{CLIENTS} clients: p50 {latencies[len(latencies) // 2]:.2f} s, p99 {p99:.2f} s, "
          f"max {latencies[-1]:.2f} s")
    assert p99 < 15.0
    assert "Traceback" not in server.stderr
