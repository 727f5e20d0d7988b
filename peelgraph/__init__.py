"""peelgraph: police inspection (PEEL) reports as an RDF knowledge graph with evidence.

The public API: :func:`load` opens (building if needed) a graph and returns a
:class:`PeelGraph` whose ``query`` method runs a canned query by name (with parameters) or
any SPARQL text and returns plain rows; :func:`build` extracts reports without a store.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

__all__ = ["__version__", "load", "build", "PeelGraph"]


def __getattr__(name: str) -> Any:
    # lazy, so that "import peelgraph" (and the CLI) stays fast
    if name in ("load", "PeelGraph"):
        from peelgraph import api

        return getattr(api, name)
    if name == "build":
        from peelgraph.graph.build import build

        return build
    raise AttributeError(name)
