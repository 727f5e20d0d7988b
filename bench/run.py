"""peelgraph's benchmarks: the default store (pyoxigraph, on disk) against rdflib's memory store.

Not a test: run it by hand (it takes several minutes) and paste its table into BENCHMARKS.md.

    python bench/run.py                       # 10k, 100k and 1M triples; writes bench/results.md
    python bench/run.py --sizes 10k,100k      # quicker

What it measures, every figure in the same run:

- the shipped report: extraction and store build in a fresh process (and in-process);
- cold CLI: ``python -m peelgraph query judgments`` on the prebuilt shipped store, against
  ``python -c "import rdflib"`` and ``python -c pass`` (medians of interleaved runs), and which
  heavy modules ``peelgraph --help`` imports;
- per corpus size (bench/corpus.py multiplies the shipped report): load time, triples per
  second and peak RSS; warm latency p50/p95 of every canned query (queries/*.rq with its
  example parameters) and of the network commands (view + analysis, when peelgraph.ask.network
  is there); each on the default store and on rdflib's memory store, and their ratio.

Each store is measured in its own process (so peak memory is its own). rdflib queries run in
a forked child with a hard time limit (``--limit``), since rdflib cannot be interrupted;
a query over the limit is reported as ``>limit``. A query's first run is a discarded warm-up
when it takes under a second; then it runs ``--repeat`` times or until ``--budget`` seconds
have gone, whichever is first.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

NETWORK_COMMANDS = ("central", "brokers", "communities")


# --- helpers ---------------------------------------------------------------------------------------------------

def _size(text: str) -> int:
    text = text.strip().lower().replace("_", "")
    mult = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("km")) * mult)


def _label(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def _pct(samples: list[float], p: float) -> float:
    s = sorted(samples)
    if len(s) == 1:
        return s[0]
    k = (len(s) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def _ms(x: float | None) -> str:
    if x is None:
        return "n/a"
    if x == float("inf"):
        return "timeout"
    return f"{x * 1000:.1f}" if x < 10 else f"{x * 1000:.0f}"


def _ratio(a: float | None, b: float | None) -> str:
    """rdflib time / default time; a timeout on either side becomes a bound (or n/a)."""
    inf = float("inf")
    if a is None or b is None or b == 0 or (a == inf and b == inf):
        return "n/a"
    if b == inf:
        return f"< {a / ARGS_LIMIT:.2f}x" if ARGS_LIMIT else "n/a"
    if a == inf:
        return f"> {ARGS_LIMIT / b:.0f}x" if ARGS_LIMIT else "n/a"
    return f"{a / b:.1f}x"


ARGS_LIMIT = 0.0


def _rss_peak_mib() -> float:
    """This process's peak RSS (VmHWM: unlike ru_maxrss, not inherited from the parent across exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the worker: one store kind, one corpus, in its own process -------------------------------------------------

def _time_calls(fn: Any, repeat: int, budget: float) -> list[float]:
    start = t0 = time.perf_counter()
    fn()
    first = time.perf_counter() - t0
    samples = [] if first < 1.0 else [first]
    while len(samples) < repeat and (not samples or time.perf_counter() - start < budget):
        t0 = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - t0)
    return samples


def _jobs() -> list[tuple[str, str, Any]]:
    """(kind, name, callable taking db) for every canned query and network command."""
    from peelgraph.ask.catalogue import catalogue
    from peelgraph.ask.run import run

    jobs: list[tuple[str, str, Any]] = []
    for q in catalogue():
        kind = "entity" if q.parameters else "corpus"
        jobs.append((kind, q.name, lambda db, q=q: run(db, q, q.example, timeout=None)))
    try:
        from peelgraph.ask import network
    except ImportError:
        return jobs
    for cmd in NETWORK_COMMANDS:
        fn = getattr(network, cmd, None)
        if fn is None:
            continue
        if cmd == "central":
            jobs.append(("network", cmd, lambda db, fn=fn: fn(network.load_view(db, "partners"), top=10)))
        else:
            jobs.append(("network", cmd, lambda db, fn=fn: fn(network.load_view(db, "partners"))))
    return jobs


def _measure_forked(job: Any, db: Any, repeat: int, budget: float, limit: float) -> list[float] | None:
    """Run a job in a forked child with a hard time limit; its samples, or None past the limit."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(r)
        try:
            samples = _time_calls(lambda: job(db), repeat, budget)
            os.write(w, json.dumps(samples).encode())
        finally:
            os._exit(0)
    os.close(w)
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.02)
    else:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        os.close(r)
        return None
    data = b""
    while chunk := os.read(r, 65536):
        data += chunk
    os.close(r)
    return json.loads(data) if data else None


def _summ(samples: list[float] | None) -> str:
    return "over the limit" if samples is None else f"p50 {_ms(_pct(samples, 0.5)) if samples else 'n/a'} ms"


def _job_process(location: Path, name: str, repeat: int, budget: float, limit: float) -> list[float] | None:
    """Time one job on the on-disk store in a fresh process (open read-only, as open_store does)."""
    cmd = [sys.executable, __file__, "--job", str(location), name, "--repeat", str(repeat), "--budget", str(budget)]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=limit, check=True)
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as exc:
        raise SystemExit(f"job {name} failed:\n{exc.stderr}") from None
    samples: list[float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return samples


def job(location: Path, name: str, repeat: int, budget: float) -> list[float]:
    import pyoxigraph as ox

    from peelgraph.store.oxigraph import OxigraphBackend

    db = OxigraphBackend(ox.Store.read_only(str(location)))  # as OxigraphBackend.open does
    fn = next(j for _, n, j in _jobs() if n == name)
    return _time_calls(lambda: fn(db), repeat, budget)


def worker(kind: str, nquads: Path, repeat: int, budget: float, limit: float) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": kind}
    if kind == "oxigraph":
        import pyoxigraph as ox

        from peelgraph.store.oxigraph import _load_oxigraph

        gen = Path(tempfile.mkdtemp(prefix="peelgraph-bench-gen-"))
        os.symlink(nquads, gen / "graph.nq")
        try:
            t0 = time.perf_counter()
            _load_oxigraph(gen)  # the store's own bulk load into its on-disk store
            out["load"] = time.perf_counter() - t0
            out["peak_mib_load"] = _rss_peak_mib()
            t0 = time.perf_counter()
            db = ox.Store.read_only(str(gen / "oxigraph"))  # as open_store does
            out["open"] = time.perf_counter() - t0
            del db
            out["jobs"] = {}
            for jkind, name, _job in _jobs():
                samples = _job_process(gen / "oxigraph", name, repeat, budget, limit)
                out["jobs"][name] = {"kind": jkind, "samples": samples}
                print(f"  default   {name}: {_summ(samples)}", file=sys.stderr, flush=True)
        finally:
            shutil.rmtree(gen, ignore_errors=True)
    else:
        from peelgraph.ask.run import run
        from peelgraph.store.memory import MemoryStore

        t0 = time.perf_counter()
        db = MemoryStore.load(nquads)
        out["load"] = time.perf_counter() - t0
        out["peak_mib_load"] = _rss_peak_mib()
        run(db, "ASK { ?s ?p ?o }", timeout=None)  # rdflib's SPARQL parser set up once, as in a warm process
        out["jobs"] = {}
        for jkind, name, fn in _jobs():
            samples = _measure_forked(fn, db, repeat, budget, limit)
            out["jobs"][name] = {"kind": jkind, "samples": samples}
            print(f"  rdflib    {name}: {_summ(samples)}", file=sys.stderr, flush=True)
    out["peak_mib"] = _rss_peak_mib()
    return out


def _run_worker(kind: str, nquads: Path, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--worker", kind, str(nquads), "--repeat", str(args.repeat),
           "--budget", str(args.budget), "--limit", str(args.limit)]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, cwd=ROOT, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"worker {kind} failed")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


# --- process-level measurements -----------------------------------------------------------------------------

def _wall(cmd: list[str], env: dict[str, str] | None = None) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, cwd=ROOT, env=env)
    return time.perf_counter() - t0


def cold(runs: int) -> dict[str, Any]:
    """Cold process times (medians of interleaved runs) and the heavy imports of --help."""
    store = Path(tempfile.mkdtemp(prefix="peelgraph-bench-cold-")) / "store"
    env = {**os.environ, "PEELGRAPH_STORE": str(store)}
    py = sys.executable
    cmds = {
        "python -c pass": [py, "-c", "pass"],
        'python -c "import rdflib"': [py, "-c", "import rdflib"],
        "peelgraph query judgments": [py, "-m", "peelgraph", "query", "judgments"],
        "peelgraph --help": [py, "-m", "peelgraph", "--help"],
    }
    build = [py, "-c", "import sys, time; from pathlib import Path; t = time.perf_counter(); "
             "from peelgraph.store.oxigraph import build_store; build_store(Path(sys.argv[1])); "
             "print(time.perf_counter() - t)", str(store)]
    builds, inproc = [], []
    for _ in range(3):
        shutil.rmtree(store, ignore_errors=True)
        t0 = time.perf_counter()
        p = subprocess.run(build, capture_output=True, text=True, check=True, cwd=ROOT, env=env)
        builds.append(time.perf_counter() - t0)
        inproc.append(float(p.stdout.strip().splitlines()[-1]))
    _wall(cmds["peelgraph query judgments"], env)  # the store is built; make sure it is fresh
    times: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(runs):
        for k, c in cmds.items():
            times[k].append(_wall(c, env))
    p = subprocess.run([py, "-X", "importtime", "-m", "peelgraph", "--help"], capture_output=True, text=True,
                       cwd=ROOT, env=env, check=True)
    imported = {ln.split("|")[-1].strip().split(".")[0] for ln in p.stderr.splitlines() if "|" in ln}
    heavy = sorted(m for m in ("rdflib", "networkx", "pyshacl") if m in imported)
    shutil.rmtree(store.parent, ignore_errors=True)
    return {"build_process": statistics.median(builds), "build_inproc": statistics.median(inproc),
            "median": {k: statistics.median(v) for k, v in times.items()}, "help_heavy_imports": heavy}


def machine() -> dict[str, str]:
    import networkx
    import pyoxigraph
    import rdflib

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kib = int(next(ln.split()[1] for ln in Path("/proc/meminfo").read_text().splitlines()
                           if ln.startswith("MemTotal")))
        mem = f"{mem_kib / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        mem = "unknown"
    return {"cpus": str(os.cpu_count()), "cpu": cpu, "memory": mem, "os": platform.platform(),
            "python": platform.python_version(), "pyoxigraph": pyoxigraph.__version__,
            "rdflib": rdflib.__version__, "networkx": networkx.__version__}


# --- the report ------------------------------------------------------------------------------------------------

def _p(samples: list[float] | None, q: float) -> float | None:
    if samples is None:
        return float("inf")
    return _pct(samples, q) if samples else None


def report(info: dict[str, str], cold_: dict[str, Any], scales: list[tuple[int, dict[str, Any], dict[str, Any]]],
           args: argparse.Namespace) -> str:
    lines = ["## Results", "",
             f"Machine: {info['cpus']} CPUs ({info['cpu']}), {info['memory']} RAM, {info['os']}; "
             f"Python {info['python']}, pyoxigraph {info['pyoxigraph']}, rdflib {info['rdflib']}, "
             f"networkx {info['networkx']}.", "",
             f"Command: `python bench/run.py --sizes {args.sizes} --repeat {args.repeat} --budget {args.budget:g} "
             f"--limit {args.limit:g}` (run on {time.strftime('%Y-%m-%d')}).", "",
             "### The shipped report and cold start", "",
             "| measurement | time (ms) |", "|---|---:|",
             f"| extract + build the shipped report, fresh process | {_ms(cold_['build_process'])} |",
             f"| extract + build the shipped report, in-process (`build_store`) | {_ms(cold_['build_inproc'])} |"]
    for k, v in cold_["median"].items():
        lines.append(f"| `{k}` (median of {args.cold_runs}) | {_ms(v)} |")
    med = cold_["median"]
    ratio = med["peelgraph query judgments"] / med['python -c "import rdflib"']
    lines += ["", f"Cold `peelgraph query judgments` / `python -c \"import rdflib\"` = **{ratio:.2f}x** "
              "(target at most 0.75x).",
              f"`peelgraph --help` imports: {', '.join(cold_['help_heavy_imports']) or 'none'} "
              "of rdflib, networkx, pyshacl.", ""]
    summary: list[str] = []
    for n, ox, mem in scales:
        lab = _label(n)
        lines += [f"### {lab} triples", "",
                  "| | default (pyoxigraph) | rdflib memory | ratio |", "|---|---:|---:|---:|",
                  f"| load (s) | {ox['load']:.2f} | {mem['load']:.2f} | {mem['load'] / ox['load']:.1f}x |",
                  f"| triples per second | {n / ox['load']:,.0f} | {n / mem['load']:,.0f} | |",
                  f"| peak RSS after load (MiB) | {ox['peak_mib_load']:.0f} | {mem['peak_mib_load']:.0f} | |",
                  f"| peak RSS overall (MiB) | {ox['peak_mib']:.0f} | {mem['peak_mib']:.0f} | |",
                  "", "| query / command | kind | default p50 (ms) | p95 | rdflib p50 (ms) | p95 | ratio (p50) |",
                  "|---|---|---:|---:|---:|---:|---:|"]
        ox_p50s, mem_p50s, ratios = [], [], []
        worst = {"entity": 0.0, "corpus": 0.0}
        for name, job in ox["jobs"].items():
            mj = mem["jobs"].get(name, {"samples": []})
            o50, o95 = _p(job["samples"], 0.5), _p(job["samples"], 0.95)
            m50, m95 = _p(mj["samples"], 0.5), _p(mj["samples"], 0.95)
            lines.append(f"| {name} | {job['kind']} | {_ms(o50)} | {_ms(o95)} | {_ms(m50)} | {_ms(m95)} | "
                         f"{_ratio(m50, o50)} |")
            if job["kind"] in worst and o50 is not None:
                worst[job["kind"]] = max(worst[job["kind"]], o50)
            if job["kind"] != "network" and o50 and m50:
                ox_p50s.append(o50)
                mem_p50s.append(m50)
                ratios.append(m50 / o50 if m50 != float("inf") else float("inf"))
        med_ratio = statistics.median(mem_p50s) / statistics.median(ox_p50s) if ox_p50s else 0
        lines += ["", f"Median canned-query p50: default {_ms(statistics.median(ox_p50s))} ms, rdflib "
                  f"{_ms(statistics.median(mem_p50s))} ms: **{med_ratio:.1f}x**; median of the per-query ratios "
                  f"{statistics.median(ratios):.1f}x. Slowest p50: entity-anchored {_ms(worst['entity'])} ms, "
                  f"corpus-wide {_ms(worst['corpus'])} ms.", ""]
        summary.append(f"| {lab} | {n / ox['load']:,.0f} | {ox['peak_mib']:.0f} | {_ms(worst['entity'])} | "
                       f"{_ms(worst['corpus'])} | {mem['load'] / ox['load']:.1f}x | {med_ratio:.1f}x |")
    lines[lines.index("### The shipped report and cold start"):lines.index("### The shipped report and cold start")] = [
        "### Summary", "",
        "| triples | default load (triples/s) | default peak RSS (MiB) | slowest entity-anchored p50 (ms) | "
        "slowest corpus-wide p50 (ms) | load ratio | median-query ratio |", "|---|---:|---:|---:|---:|---:|---:|",
        *summary, ""]
    return "\n".join(lines) + "\n"


def main() -> None:
    global ARGS_LIMIT
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10k,100k,1M")
    ap.add_argument("--repeat", type=int, default=20, help="timed runs per query (at most)")
    ap.add_argument("--budget", type=float, default=2.0, help="seconds of timed runs per query (at most)")
    ap.add_argument("--limit", type=float, default=30.0, help="hard limit in seconds per rdflib query")
    ap.add_argument("--cold-runs", type=int, default=9)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results.md")
    ap.add_argument("--worker", nargs=2, metavar=("KIND", "NQUADS"), help=argparse.SUPPRESS)
    ap.add_argument("--job", nargs=2, metavar=("LOCATION", "NAME"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    ARGS_LIMIT = args.limit
    if args.job:
        print(json.dumps(job(Path(args.job[0]), args.job[1], args.repeat, args.budget)))
        return
    if args.worker:
        print(json.dumps(worker(args.worker[0], Path(args.worker[1]), args.repeat, args.budget, args.limit)))
        return
    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import base_nquads, generate

    started = time.perf_counter()
    info = machine()
    print("cold start ...", file=sys.stderr)
    cold_ = cold(args.cold_runs)
    base = base_nquads()
    scales = []
    tmp = Path(tempfile.mkdtemp(prefix="peelgraph-bench-corpus-"))
    try:
        for size in args.sizes.split(","):
            n = _size(size)
            nq = generate(n, tmp / f"corpus-{n}.nq", base)
            print(f"{_label(n)}: default store ...", file=sys.stderr)
            ox = _run_worker("oxigraph", nq, args)
            print(f"{_label(n)}: rdflib memory store ...", file=sys.stderr)
            mem = _run_worker("memory", nq, args)
            scales.append((n, ox, mem))
            (args.out.with_suffix(".json")).write_text(json.dumps({"machine": info, "cold": cold_, "scales": scales}))
            nq.unlink()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    text = report(info, cold_, scales, args)
    text += f"\n(The whole run took {time.perf_counter() - started:.0f} s.)\n"
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
