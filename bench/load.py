"""``peelgraph load`` against the bare engine: one ``pyoxigraph.Store().bulk_load`` of the same file.

Makes a synthetic corpus with bench/corpus.py (N-Quads, one report after another: not sorted,
so ``load`` writes it out again through pyoxigraph) and the same lines sorted (canonical: what
``export --format nq`` writes, kept byte for byte), then for each file alternates, each in a
fresh process and a fresh temporary folder, ``peelgraph
--store TMP load FILE`` and a bare on-disk ``pyoxigraph.Store(TMP).bulk_load(path=FILE)``; prints
the median wall time of each and their ratio (the issue's target: 1.25x or less), and the same
for CPU time (user + system): ``load`` runs its two bulk loads (the named graphs and their union)
on two threads, so its wall time gains from a free core and its CPU time does not.

Usage:
    python bench/load.py [TRIPLES] [RUNS]      (default 300000 triples, 3 runs each)
"""

from __future__ import annotations

import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

BARE = ("import sys, pyoxigraph as ox; db = ox.Store(sys.argv[1]); "
        "db.bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_QUADS); db.flush()")


def _wall(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(dump: Path, work: Path, runs: int) -> dict[str, float]:
    """Median wall and CPU seconds of ``peelgraph load`` and of the bare bulk load of ``dump``, and
    their ratios."""
    ours, bare = [], []
    for i in range(runs):
        tag = f"{dump.stem}-{i}"
        ours.append(_wall([sys.executable, "-m", "peelgraph", "--store", str(work / f"store-{tag}"), "load",
                           str(dump)]))
        bare.append(_wall([sys.executable, "-c", BARE, str(work / f"bare-{tag}"), str(dump)]))
        shutil.rmtree(work / f"store-{tag}", ignore_errors=True)
        shutil.rmtree(work / f"bare-{tag}", ignore_errors=True)
    out = {"bytes": dump.stat().st_size,
           "load_s": statistics.median(w for w, _ in ours), "bare_bulk_load_s": statistics.median(w for w, _ in bare),
           "load_cpu_s": statistics.median(c for _, c in ours), "bare_cpu_s": statistics.median(c for _, c in bare)}
    out["ratio"] = out["load_s"] / out["bare_bulk_load_s"]
    out["cpu_ratio"] = out["load_cpu_s"] / out["bare_cpu_s"]
    return out


def main(n: int, runs: int) -> dict[str, dict[str, float]]:
    """:func:`measure` on the corpus as bench/corpus.py writes it and on its lines sorted."""
    from corpus import generate

    work = Path(tempfile.mkdtemp(prefix="peelgraph-bench-load-"))
    try:
        dump = generate(n, work / "corpus.nq")
        text = dump.read_text(encoding="utf-8")
        (work / "sorted.nq").write_text("\n".join(sorted(set(text.splitlines()))) + "\n", encoding="utf-8")
        del text
        return {"sorted (canonical)": measure(work / "sorted.nq", work, runs),
                "corpus.py order": measure(dump, work, runs)}
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    args = [int(a.replace("_", "")) for a in sys.argv[1:3]]
    n, runs = (args + [300_000, 3][len(args):])[:2]
    for name, r in main(n, runs).items():
        print(f"{n} quads, {name} ({r['bytes'] / 2**20:.0f} MiB): peelgraph load {r['load_s']:.2f} s, "
              f"bare bulk_load {r['bare_bulk_load_s']:.2f} s, ratio {r['ratio']:.2f}x (target 1.25x); "
              f"CPU {r['load_cpu_s']:.2f} s vs {r['bare_cpu_s']:.2f} s, {r['cpu_ratio']:.2f}x")
