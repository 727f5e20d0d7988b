"""peelgraph.graph.namespaces: the terms the code uses are exactly the terms ontology/ defines."""

from __future__ import annotations

import pytest
from rdflib import Graph

from peelgraph.graph.namespaces import PG
from peelgraph.resources import PREFIXES, ontology_dir


def test_code_terms_equal_ontology_terms() -> None:
    g = Graph().parse(ontology_dir() / "peelgraph.ttl")
    ns = PREFIXES["pg"]
    defined = {str(s)[len(ns):] for s in g.subjects() if str(s).startswith(ns) and not str(s).endswith("Shape")}
    used = set(PG.__annotations__)
    assert used == defined


def test_misspelt_term_fails() -> None:
    with pytest.raises(AttributeError):
        PG.Judgment  # noqa: B018
