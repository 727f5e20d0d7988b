"""peelgraph: police inspection (PEEL) reports as an RDF knowledge graph with evidence."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
