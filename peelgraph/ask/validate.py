"""SHACL validation of a built graph against ``ontology/shapes.ttl``, and the evidence check.

A non-conforming graph is a value, not an exception: :func:`validate` returns a
:class:`ValidationResult` and the CLI turns ``conforms=False`` into exit code 1.

Example:
    >>> from rdflib import Graph
    >>> validate_graph(Graph()).conforms
    True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peelgraph.model import PART_SEPARATOR
from peelgraph.resources import ontology_dir

__all__ = ["ValidationResult", "validate_graph", "validate_store", "check_evidence", "EvidenceCheck"]


@dataclass(frozen=True)
class ValidationResult:
    """The outcome of SHACL validation: ``text`` is pySHACL's readable report."""

    conforms: bool
    violations: int
    text: str


def validate_graph(graph: Any) -> ValidationResult:
    """Validate an rdflib graph with the shapes and the ontology (RDFS inference off)."""
    import pyshacl
    from rdflib import Graph
    from rdflib.namespace import SH

    shapes = Graph().parse(ontology_dir() / "shapes.ttl", format="turtle")
    onto = Graph().parse(ontology_dir() / "peelgraph.ttl", format="turtle")
    conforms, report, text = pyshacl.validate(graph, shacl_graph=shapes, ont_graph=onto, inference="none",
                                              allow_warnings=False, advanced=True)
    violations = len(set(report.subjects(predicate=SH.resultSeverity)))
    return ValidationResult(bool(conforms), violations, str(text))


def _union(nquads: Path) -> Any:
    from rdflib import Dataset, Graph

    ds = Dataset()
    ds.parse(nquads, format="nquads")
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def validate_store(nquads: Path) -> ValidationResult:
    """Validate the union of every report graph in a store's canonical N-Quads."""
    return validate_graph(_union(nquads))


@dataclass(frozen=True)
class EvidenceCheck:
    """Every text position selector re-sliced from its report's source file."""

    total: int
    matched: int
    mismatches: tuple[str, ...]


def check_evidence(store_nquads: Path, root: Path | None = None) -> EvidenceCheck:
    """Re-slice every evidence span from the shipped file and compare it with ``oa:exact``.

    A span in parts (``pg:part``: furniture cut out of it) matches when its parts, in the order of
    ``pg:partIndex``, lie in order within its range from its start to its end and their slices joined by
    :data:`peelgraph.model.PART_SEPARATOR` are its ``oa:exact``. The path of a report's file
    (``dcterms:source/pg:path``), when relative, is resolved against ``root``; a PDF report's text
    (``pg:extractedText``) against the folder of ``store_nquads``.
    """
    import pyoxigraph as ox

    db = ox.Store()
    db.bulk_load(path=str(store_nquads), format=ox.RdfFormat.N_QUADS)
    prefixes = """
    PREFIX oa: <http://www.w3.org/ns/oa#>
    PREFIX dcterms: <http://purl.org/dc/terms/>
    PREFIX pg: <https://w3id.org/peelgraph/ontology#>
    """
    q = prefixes + """
    SELECT ?span ?src ?text ?exact ?start ?end WHERE {
      ?span oa:hasSource ?r ; oa:hasSelector ?q, ?p .
      ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end .
      ?r dcterms:source/pg:path ?src .
      OPTIONAL { ?r pg:extractedText ?text }
    }"""
    parts: dict[str, list[tuple[int, int, int]]] = {}
    for row in db.query(prefixes + "SELECT ?span ?i ?s ?e WHERE { ?span pg:part ?pt . "  # type: ignore[union-attr]
                        "?pt pg:partIndex ?i ; oa:start ?s ; oa:end ?e }", use_default_graph_as_union=True):
        parts.setdefault(row["span"].value, []).append((int(row["i"].value), int(row["s"].value),
                                                       int(row["e"].value)))
    texts: dict[str, str] = {}
    total = matched = 0
    bad: list[str] = []
    for row in db.query(q, use_default_graph_as_union=True):  # type: ignore[union-attr]
        src = row["src"].value
        if row["text"] is not None:
            src = str(store_nquads.parent / row["text"].value)
        if src not in texts:
            p = Path(src)
            if not p.is_absolute() and root is not None:
                p = root / p
            texts[src] = p.read_text(encoding="utf-8")
        a, b = int(row["start"].value), int(row["end"].value)
        total += 1
        cut = [(s, e) for _, s, e in sorted(parts.get(row["span"].value, []))] or [(a, b)]
        in_order = cut[0][0] == a and cut[-1][1] == b and all(
            s < e for s, e in cut) and all(p[1] <= q[0] for p, q in zip(cut, cut[1:], strict=False))
        if in_order and PART_SEPARATOR.join(texts[src][s:e] for s, e in cut) == row["exact"].value:
            matched += 1
        else:
            bad.append(f"{src}:{a}-{b}")
    return EvidenceCheck(total, matched, tuple(sorted(bad)))
