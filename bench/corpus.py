"""A synthetic PEEL corpus: the shipped report's graph multiplied into many report-shaped graphs.

Each synthetic report is the shipped report's graph (one named graph of ~11.7k triples) with
the report and force rewritten: report ``i`` belongs to force ``i % 43`` and inspection year
``2014 + (i // 43) % 10``, so its named graph, its report/section/finding IRIs, the force's
own entities (units, partnerships, roles minted under the force IRI), the force's name in
labels and quotes, and the year literals are all its own, while shared vocabulary (SKOS
concepts, grades, other forces, national bodies) stays shared, as it is across real reports.
The file is cut to exactly the requested number of triples (quads), the last report possibly
partial.

Usage:
    python bench/corpus.py 100000 /tmp/corpus-100k.nq
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

FORCES = 43
BASE_REPORT = "warwickshire-police-effectiveness-2016"
BASE_FORCE = "warwickshire-police"
BASE_NAME = "Warwickshire"
BASE_YEAR = "2016"
ID = "https://w3id.org/peelgraph/id/"
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from a checkout
    sys.path.insert(0, str(ROOT))
_GYEAR = re.compile(r'"(\d{4})"\^\^<http://www.w3.org/2001/XMLSchema#gYear>')


def base_nquads() -> str:
    """The canonical N-Quads of the shipped report, built with peelgraph's own pipeline."""
    from peelgraph.store.oxigraph import build_store

    info = build_store(Path(tempfile.mkdtemp(prefix="peelgraph-bench-")) / "store")
    return info.nquads.read_text(encoding="utf-8")


def synthetic_report(base: str, i: int) -> str:
    """The base graph rewritten as report number ``i``."""
    force_no = i % FORCES
    year = 2014 + (i // FORCES) % 10
    force = f"synthshire-{force_no:02d}-police"
    name = f"Synthshire {force_no:02d}"
    report = f"{force}-effectiveness-{year}"
    text = base.replace(f"{ID}report/{BASE_REPORT}", f"{ID}report/{report}")
    text = text.replace(f"{ID}force/{BASE_FORCE}", f"{ID}force/{force}")
    text = text.replace(BASE_NAME, name)
    shift = year - int(BASE_YEAR)
    return _GYEAR.sub(lambda m: f'"{int(m.group(1)) + shift}"^^<http://www.w3.org/2001/XMLSchema#gYear>', text)


def generate(n_triples: int, out: Path, base: str | None = None) -> Path:
    """Write a corpus of exactly ``n_triples`` quads to ``out`` (N-Quads)."""
    base = base if base is not None else base_nquads()
    written = 0
    i = 0
    with open(out, "w", encoding="utf-8") as fh:
        while written < n_triples:
            lines = synthetic_report(base, i).splitlines(keepends=True)[: n_triples - written]
            fh.writelines(lines)
            written += len(lines)
            i += 1
    return out


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    path = generate(int(sys.argv[1].replace("_", "")), Path(sys.argv[2]))
    print(f"{sys.argv[1]} triples in {path}")
