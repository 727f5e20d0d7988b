"""``build(paths)``: the one call that turns report files into a graph.

Each report runs through the stages in order: ``reports`` (read and lay out), ``structure``
(the template), ``entities``, ``relations`` and ``findings`` (issue-level facts), then
``curation`` (the report's small curation file, if any) and ``rdf`` (triples). Each
report's triples form their own named graph, named by the report's IRI.

Example:
    >>> from peelgraph.resources import shipped_reports
    >>> result = build(shipped_reports())
    >>> result.extractions[0].report.force
    'Warwickshire Police'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import ReportError
from .model import Extraction

__all__ = ["BuildResult", "extract", "build", "to_nquads"]


@dataclass(frozen=True)
class BuildResult:
    """Extractions for every report, warnings, and the canonical N-Quads of the graph."""

    extractions: tuple[Extraction, ...]
    warnings: tuple[str, ...]
    nquads: str


def extract(path: str | Path, *, curate: bool = True, source: str | None = None) -> Extraction:
    """Extract every fact from one report file (no rdflib involved).

    Args:
        path: the report file.
        curate: apply the report's curation file (``data/curation/<stem>.toml``) if present.
        source: how the report's path is recorded in the graph (default: as given).
    """
    from . import curation, entities, findings, relations, reports, structure

    p = Path(path)
    doc = reports.load(p)
    st = structure.parse(doc)
    doc = replace(doc, report=st.meta.id, path=source or str(path))
    meta = replace(st.meta, source=source or str(path))
    ents = entities.extract(doc, st)
    rels = relations.extract(doc, st, ents)
    finds = findings.extract(doc, st, ents)
    ex = Extraction(meta, st.questions, st.sections, st.judgements, finds, st.footnotes,
                    ents.entities, rels, st.warnings)
    if curate:
        ex = curation.apply(ex, doc, p)
    return ex


def _source_name(path: Path) -> str:
    """Record shipped reports by their path inside the project, others as given."""
    try:
        from .resources import data_dir

        return str(path.resolve().relative_to(data_dir().parent))
    except (ValueError, FileNotFoundError):
        return str(path)


def build(paths: Sequence[str | Path], *, curate: bool = True) -> BuildResult:
    """Extract every report and serialise the whole graph as canonical N-Quads.

    Raises:
        ReportError: a report cannot be read or is not a PEEL report; two files are the
            same report (same force, pillar and year).
    """
    from .rdf import extraction_to_graph

    if not paths:
        raise ReportError("no report files given")
    extractions: list[Extraction] = []
    warnings: list[str] = []
    seen: dict[str, str] = {}
    for path in paths:
        ex = extract(path, curate=curate, source=_source_name(Path(path)))
        rid = ex.report.id
        if rid in seen:
            raise ReportError(f"the same report as {seen[rid]} ({rid})", path=str(path))
        seen[rid] = str(path)
        extractions.append(ex)
        warnings.extend(f"{path}: {w}" for w in ex.warnings)
    graphs = []
    for ex in extractions:
        g = extraction_to_graph([ex])
        graphs.append((ex.report.id, g))
    return BuildResult(tuple(extractions), tuple(warnings), to_nquads(graphs))


def to_nquads(graphs: Iterable[tuple[str, object]]) -> str:
    """Canonical N-Quads: each report's triples in the graph named by the report's IRI."""
    from .rdf import canonical_nt, report_iri

    lines: set[str] = set()
    for rid, g in graphs:
        name = f"<{report_iri(rid)}>"
        for ln in canonical_nt(g).splitlines():  # type: ignore[arg-type]
            lines.add(f"{ln[:-1].rstrip()} {name} .")
    return "\n".join(sorted(lines)) + "\n"
