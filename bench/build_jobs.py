"""``peelgraph build --jobs N``: the speed-up of extracting reports in N processes.

Builds the shipped report and the other real reports in tests/data/other (each in a fresh
process and a fresh temporary store, so nothing comes from the extraction cache), alternating
``--jobs 1`` and ``--jobs N``; prints the median wall time of each and the speed-up, and checks
that both give the same graph.nq bytes.

Usage:
    python bench/build_jobs.py [N] [RUNS]      (default N=2, 3 runs each)
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _build(reports: Path, store: Path, jobs: int) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "peelgraph", "--store", str(store), "build", str(reports), "-q",
                    "--jobs", str(jobs)], check=True, capture_output=True)
    return time.perf_counter() - t0


def main(n: int, runs: int) -> dict[str, float]:
    """Median seconds of a serial build and of one in ``n`` processes, and the speed-up."""
    work = Path(tempfile.mkdtemp(prefix="peelgraph-bench-jobs-"))
    reports = work / "reports"
    reports.mkdir()
    for f in [ROOT / "data" / "reports" / "warwickshire-effectiveness-2016.txt",
              *sorted((ROOT / "tests" / "data" / "other").glob("*.txt"))]:
        shutil.copy(f, reports)
    serial, parallel = [], []
    for i in range(runs):
        serial.append(_build(reports, work / f"s1-{i}", 1))
        parallel.append(_build(reports, work / f"s{n}-{i}", n))
    same = (work / "s1-0" / "current" / "graph.nq").read_bytes() == \
        (work / f"s{n}-0" / "current" / "graph.nq").read_bytes()
    shutil.rmtree(work, ignore_errors=True)
    out = {"jobs": n,
           "serial_s": statistics.median(serial), "parallel_s": statistics.median(parallel), "same_bytes": same}
    out["speedup"] = out["serial_s"] / out["parallel_s"]
    return out


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    n, runs = (args + [2, 3][len(args):])[:2]
    r = main(n, runs)
    print(f"build of the shipped report and tests/data/other: --jobs 1 {r['serial_s']:.2f} s, "
          f"--jobs {n} {r['parallel_s']:.2f} s, speed-up {r['speedup']:.2f}x; same graph.nq bytes: {r['same_bytes']}")
