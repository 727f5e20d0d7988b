"""peelgraph on a production triple store: the synthetic corpus in Virtuoso beside the local store.

Not a test: run it by hand (Virtuoso installed: ``apt-get install virtuoso-opensource``) and
paste its table into BENCHMARKS.md.

    python bench/server.py                  # 1M quads; writes bench/server-results.md
    python bench/server.py --size 100k      # quicker

In one run: bench/corpus.py makes the corpus; the local store loads it (as ``peelgraph build``
stores a graph: the named graphs and their union, each triple once); a Virtuoso started on
loopback by tests/virtuoso_server.py (its own database folder and ports, the README's
settings and grants) takes it twice, by ``peelgraph push --graph IRI`` (the Graph Store
Protocol, 100,000 triples a request) and by the bulk loader (``ld_dir`` + ``rdf_loader_run``
on the union as N-Triples, into a second graph); then every canned query (its ``# example:``
parameters) and the network commands run on the local store and on Virtuoso (the pushed graph
as the default graph, ``?default-graph-uri=``), warm: a discarded first run, then up to
``--repeat`` runs or ``--budget`` seconds. Each answer is compared with the local store's
(order-insensitive where the query has no ORDER BY).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for p in (ROOT, ROOT / "tests", ROOT / "bench"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

GRAPH = "https://w3id.org/peelgraph/graph/peel"
BULK_GRAPH = "https://w3id.org/peelgraph/graph/peel-bulk"


def _bench_run() -> Any:
    """bench/run.py as a module (its job list and timing loop are shared)."""
    spec = importlib.util.spec_from_file_location("peelgraph_bench_run", ROOT / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _size(text: str) -> int:
    text = text.lower().replace("_", "")
    mult = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("km")) * mult)


def _timed(fn: Any, repeat: int, budget: float) -> tuple[list[float], Any]:
    """Samples of ``fn()`` (a discarded warm-up when under a second) and its last answer."""
    t0 = time.perf_counter()
    answer = fn()
    first = time.perf_counter() - t0
    samples = [] if first < 1.0 else [first]
    start = time.perf_counter()
    while len(samples) < repeat and (not samples or time.perf_counter() - start < budget):
        t0 = time.perf_counter()
        answer = fn()
        samples.append(time.perf_counter() - t0)
    return samples, answer


def _comparable(answer: Any, ordered: bool) -> Any:
    from helpers import comparable

    if hasattr(answer, "json"):  # a canned query's Result
        return comparable(answer.json, ordered)
    return repr(answer.to_json()) if hasattr(answer, "to_json") else repr(answer)


def _ms(x: float) -> str:
    return f"{x * 1000:.1f}" if x < 10 else f"{x * 1000:.0f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", default="1M", help="quads in the synthetic corpus (10k, 100k, 1M ...)")
    ap.add_argument("--repeat", type=int, default=10, help="timed runs per query (at most)")
    ap.add_argument("--budget", type=float, default=5.0, help="seconds of timed runs per query (at most)")
    ap.add_argument("--timeout", type=float, default=600.0, help="seconds per request to Virtuoso")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "server-results.md")
    args = ap.parse_args()

    import pyoxigraph as ox
    import virtuoso_server
    from corpus import generate

    from peelgraph.store.oxigraph import OxigraphBackend, _load_oxigraph
    from peelgraph.store.remote import RemoteEndpoint, push_graph

    if virtuoso_server.binaries() is None:
        raise SystemExit("Virtuoso is not installed (apt-get install virtuoso-opensource)")
    bench = _bench_run()
    n = _size(args.size)
    work = Path(tempfile.mkdtemp(prefix="peelgraph-bench-server-"))
    lines: list[str] = []
    server = None
    try:
        gen = work / "gen"
        gen.mkdir()
        nquads = generate(n, gen / "graph.nq")
        print(f"corpus: {n} quads", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        _load_oxigraph(gen)
        local_load = time.perf_counter() - t0
        local = OxigraphBackend(ox.Store.read_only(str(gen / "oxigraph")))

        t0 = time.perf_counter()
        server = virtuoso_server.start(work / "virtuoso")
        started = time.perf_counter() - t0
        t0 = time.perf_counter()
        pushed = push_graph(nquads, server.sparql, graph=GRAPH, timeout=args.timeout)
        push_time = time.perf_counter() - t0
        union = server.load_dir / "peel.nt"
        with nquads.open(encoding="utf-8") as src, union.open("w", encoding="utf-8") as out:
            for line in src:  # the union: the graph dropped (Virtuoso keeps each triple once in a graph)
                if line.strip():
                    out.write(line.rsplit(" <", 1)[0] + " .\n")
        t0 = time.perf_counter()
        server.isql(f"ld_dir('{server.load_dir}', 'peel.nt', '{BULK_GRAPH}'); rdf_loader_run(); checkpoint;",
                    timeout=3600)
        bulk_time = time.perf_counter() - t0
        url = server.sparql + "?default-graph-uri=" + urllib.parse.quote(GRAPH, safe="")
        remote = RemoteEndpoint(url, timeout=args.timeout)
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        from peelgraph.ask.run import run

        n_local, n_remote = run(local, count).rows[0][0], run(remote, count).rows[0][0]
        bulk_n = run(RemoteEndpoint(server.sparql + "?default-graph-uri=" + urllib.parse.quote(BULK_GRAPH, safe=""),
                                    timeout=args.timeout), count).rows[0][0]
        print(f"loaded: local {local_load:.1f} s, push {push_time:.1f} s, bulk {bulk_time:.1f} s; "
              f"triples local {n_local}, pushed {n_remote}, bulk {bulk_n}", file=sys.stderr, flush=True)

        rows: list[tuple[str, str, float, float, str]] = []
        diffs: list[str] = []
        from peelgraph.ask.catalogue import catalogue

        ordered = {q.name: re.search(r"\bORDER\s+BY\b", q.text, re.I) is not None for q in catalogue()}
        for kind, name, job in bench._jobs():
            ls, la = _timed(lambda job=job: job(local), args.repeat, args.budget)
            rs, ra = _timed(lambda job=job: job(remote), args.repeat, args.budget)
            ca, cb = _comparable(la, ordered.get(name, True)), _comparable(ra, ordered.get(name, True))
            same = "yes" if ca == cb else "no"
            if isinstance(ca, list) and ca != cb and sorted(ca) == sorted(cb):
                # the synthetic reports are copies: rows tie on their sort keys (the same offsets), and
                # the order among ties is the engine's
                same = "same rows, another order"
            if same != "yes":
                a_rows, b_rows = (set(ca), set(cb)) if isinstance(ca, list) else ({ca}, {cb})
                diffs.append(f"`{name}`: {len(ca) if isinstance(ca, list) else 1} rows locally, "
                             f"{len(cb) if isinstance(cb, list) else 1} on Virtuoso; only local: "
                             f"{sorted(a_rows - b_rows)[:2]}; only on Virtuoso: {sorted(b_rows - a_rows)[:2]}"
                             + ("; the same rows in another order" if same != "no" else ""))
                print("   ", diffs[-1][:600], file=sys.stderr, flush=True)
            lp, rp = statistics.median(ls), statistics.median(rs)
            rows.append((kind, name, lp, rp, same))
            print(f"  {name}: local {_ms(lp)} ms, Virtuoso {_ms(rp)} ms, same answer: {same}",
                  file=sys.stderr, flush=True)

        cpu = platform.processor() or platform.machine()
        lines += [
            f"Synthetic corpus of {n:,} quads (bench/corpus.py); {platform.system()} {platform.release()}, "
            f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, "
            f"{virtuoso_server.version()}.",
            "",
            "| load | time | triples/s |",
            "|---|---:|---:|",
            f"| local store (`peelgraph build`'s load: named graphs and the union) | {local_load:.1f} s | "
            f"{n / local_load:,.0f} |",
            f"| Virtuoso: `push --graph IRI` (Graph Store Protocol, {pushed.triples:,} triples sent) | "
            f"{push_time:.1f} s | {n / push_time:,.0f} |",
            f"| Virtuoso: bulk loader (`ld_dir`, `rdf_loader_run`, `checkpoint`) on the union | {bulk_time:.1f} s | "
            f"{n / bulk_time:,.0f} |",
            f"| Virtuoso start on a new database | {started:.1f} s | |",
            "",
            f"Triples in the default graph: local {n_local}, Virtuoso pushed {n_remote}, bulk-loaded {bulk_n}.",
            "",
            "| kind | query | local p50 ms | Virtuoso p50 ms | Virtuoso / local | same answer |",
            "|---|---|---:|---:|---:|---|",
        ]
        for kind, name, lp, rp, same in rows:
            agree = "**no**" if same == "no" else same
            ratio = rp / lp
            lines.append(f"| {kind} | `{name}` | {_ms(lp)} | {_ms(rp)} | {ratio:.2f}x | {agree} |" if ratio < 0.1 else
                         f"| {kind} | `{name}` | {_ms(lp)} | {_ms(rp)} | {ratio:.1f}x | {agree} |")
        if diffs:
            lines += ["", "Answers that differ:", ""] + [f"- {d[:1000]}" for d in diffs]
        text = "\n".join(lines) + "\n"
        tmp = args.out.with_name(args.out.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(args.out)
        print(text)
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
