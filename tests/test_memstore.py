"""rdflib's memory store (peelgraph.store.memory) answers every canned query as the default store does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import comparable

from peelgraph.ask.catalogue import catalogue
from peelgraph.ask.run import run
from peelgraph.errors import QueryError, StoreError
from peelgraph.resources import prologue
from peelgraph.store.memory import MemoryStore, open_memory


@pytest.fixture(scope="module")
def memory(built_store: Path) -> MemoryStore:
    return open_memory(built_store)


@pytest.mark.parametrize("query", catalogue(), ids=lambda q: q.name)
def test_canned_queries_agree_with_the_default_store(query, db, memory: MemoryStore) -> None:
    ordered = re.search(r"\bORDER\s+BY\b", query.text, re.I) is not None
    expected = run(db, query, query.example)
    actual = run(memory, query, query.example)
    assert actual.columns == expected.columns
    assert comparable(actual.json, ordered) == comparable(expected.json, ordered)


def test_the_memory_store_sees_the_union_of_the_report_graphs(memory: MemoryStore, db) -> None:
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?r a pg:InspectionReport }"
    assert run(memory, q).rows == run(db, q).rows == (("1",),)


def test_ask(memory: MemoryStore) -> None:
    assert run(memory, "ASK { ?r a pg:InspectionReport }").rows == ((True,),)


def test_json_is_sparql_1_1(memory: MemoryStore) -> None:
    data = memory.query('SELECT ?n ?s WHERE { BIND(1 AS ?n) BIND("x" AS ?s) }')
    row = data["results"]["bindings"][0]
    assert row["n"] == {"type": "literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    assert row["s"] == {"type": "literal", "value": "x"}


def test_a_malformed_query_is_a_query_error_with_its_position(memory: MemoryStore) -> None:
    with pytest.raises(QueryError) as err:
        run(memory, "SELECT ?x WHERE {\n  ?x ?y }")
    assert err.value.line == 2
    assert "malformed query" in str(err.value)


def test_construct_is_refused_by_run_and_by_query(memory: MemoryStore) -> None:
    with pytest.raises(QueryError, match="only SELECT and ASK"):
        run(memory, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    with pytest.raises(QueryError, match="not a SELECT query"):
        memory.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    with pytest.raises(QueryError, match="not an ASK query"):
        memory.ask("SELECT * WHERE { ?s ?p ?o }")


def test_construct_and_describe_give_the_triples_the_default_store_gives(memory: MemoryStore, db) -> None:
    q = prologue() + "CONSTRUCT WHERE { ?j a pg:Judgement ; pg:grade ?g }"
    triples = memory.construct(q)
    assert triples == db.construct(q)
    assert len(triples.splitlines()) == 14  # seven judgements (one of them the year before), typed and graded
    grade = "<https://w3id.org/peelgraph/grade/good>"
    described = memory.describe(f"DESCRIBE {grade}")
    assert described and all(line.startswith(grade) for line in described.splitlines())


def test_a_closed_backend_answers_nothing(built_store: Path) -> None:
    from peelgraph.store.oxigraph import OxigraphBackend

    backend = OxigraphBackend.open(built_store)
    backend.close()
    with pytest.raises(StoreError, match="closed"):
        backend.ask("ASK {}")


def test_a_broken_graph_file_is_a_store_error(tmp_path: Path) -> None:
    bad = tmp_path / "graph.nq"
    bad.write_text("this is not n-quads\n", encoding="utf-8")
    with pytest.raises(StoreError, match="cannot parse"):
        MemoryStore.load(bad)
    with pytest.raises(StoreError, match="cannot read"):
        MemoryStore.load(tmp_path / "missing.nq")
