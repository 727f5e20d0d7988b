"""The Python API for notebooks and scripts: open the graph, run queries, get plain rows.

Example:
    >>> import peelgraph, tempfile
    >>> from peelgraph.resources import shipped_reports
    >>> g = peelgraph.load(shipped_reports(), store=tempfile.mkdtemp())   # build these reports there
    >>> [r["grade"] for r in g.query("judgments")][:2]
    ['good', 'requires improvement']
    >>> g.query("SELECT (COUNT(*) AS ?n) WHERE { ?q a pg:CoreQuestion }")[0]["n"]
    '5'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

    from peelgraph.ask.run import Result
    from peelgraph.store.oxigraph import OxigraphBackend

__all__ = ["PeelGraph", "load"]


@dataclass(frozen=True)
class PeelGraph:
    """A built peelgraph store, opened read-only."""

    store: Path

    def _db(self) -> OxigraphBackend:
        from peelgraph.store.oxigraph import OxigraphBackend

        return OxigraphBackend.open(self.store)

    def result(self, query: str, params: dict[str, str] | None = None, timeout: float | None = 30.0) -> Result:
        """A :class:`peelgraph.ask.run.Result` for a canned query name, a ``.rq`` path, or SPARQL text."""
        from peelgraph.ask.catalogue import catalogue, get_query, parse_header
        from peelgraph.ask.run import run

        names = {q.name for q in catalogue()}
        q = get_query(query) if query in names or query.endswith(".rq") else parse_header(query, "inline")
        return run(self._db(), q, params or {}, timeout=timeout)

    def query(self, query: str, timeout: float | None = 30.0, **params: str) -> list[dict[str, Any]]:
        """Rows as dictionaries: ``g.query("partners-of", entity="IOM")``."""
        return self.result(query, params, timeout).dicts()

    def stats(self) -> dict[str, Any]:
        """Counts by class and facts from rules and curation."""
        from peelgraph.ask.stats import stats

        return stats(self._db())

    def network(self, view: str = "partners") -> nx.Graph:
        """The networkx graph of a view (``partners``, ``dependencies``, ``all``)."""
        from peelgraph.ask.network import load_view

        return load_view(self._db(), view)

    def nquads(self) -> str:
        """The canonical N-Quads of the graph."""
        from peelgraph.store.oxigraph import reading

        with reading(self.store) as info:
            return info.nquads.read_text(encoding="utf-8")


def load(reports: Sequence[str | Path] | None = None, store: str | Path | None = None) -> PeelGraph:
    """Open the graph in ``store`` (default: the default store), building it from ``reports``
    when given; else the store is rebuilt when stale, and only the default store is built from
    the shipped reports when it holds no graph (a store you name never is).

    Raises:
        StoreError: a store you named holds no graph and no reports were given.
    """
    from peelgraph.store.oxigraph import build_store, default_store_path, ensure_store

    path = Path(store) if store is not None else default_store_path()
    if reports:
        build_store(path, list(reports))
    else:
        ensure_store(path)
    return PeelGraph(path)
