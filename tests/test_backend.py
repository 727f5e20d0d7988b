"""peelgraph.store.backend: the one query interface, held to the same contract by every embedded backend.

The remote endpoint is held to it against a real Oxigraph server in tests/test_remote.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from peelgraph.errors import QueryError, StoreError
from peelgraph.resources import prologue
from peelgraph.store.backend import Backend, query_form, sorted_ntriples
from peelgraph.store.memory import open_memory
from peelgraph.store.oxigraph import OxigraphBackend

P = prologue()


@pytest.fixture(scope="module", params=["oxigraph", "memory"])
def backend(request: pytest.FixtureRequest, built_store: Path) -> Backend:
    if request.param == "memory":
        return open_memory(built_store)
    return OxigraphBackend.open(built_store)


def test_select_gives_sparql_results_json(backend: Backend) -> None:
    data = backend.query(P + "SELECT ?grade WHERE { ?j pg:previousJudgement ?p ; pg:grade/skos:prefLabel ?grade }")
    assert data["head"]["vars"] == ["grade"]
    assert data["results"]["bindings"] == [{"grade": {"type": "literal", "value": "good"}}]


def test_ask(backend: Backend) -> None:
    assert backend.ask(P + "ASK { ?r a pg:InspectionReport }") is True
    assert backend.ask(P + "ASK { ?r a pg:NoSuchClass }") is False


def test_construct_and_describe_are_sorted_ntriples(backend: Backend) -> None:
    nt = backend.construct(P + "CONSTRUCT WHERE { ?j pg:isOverall true }")
    assert nt.endswith('"true"^^<http://www.w3.org/2001/XMLSchema#boolean> .\n')
    assert len(nt.splitlines()) == 2  # this year's overall judgement and the year before's
    grade = "<https://w3id.org/peelgraph/grade/good>"
    described = backend.describe(f"DESCRIBE {grade}").splitlines()
    assert described == sorted(set(described)) and all(line.startswith(grade + " ") for line in described)


@pytest.mark.parametrize(("method", "text", "message"), [
    ("query", "ASK { ?s ?p ?o }", "not a SELECT query"),
    ("ask", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "not an ASK query"),
    ("construct", "DESCRIBE <http://e/x>", "not a CONSTRUCT query"),
    ("describe", "CONSTRUCT WHERE { ?s a <http://e/x> }", "not a DESCRIBE query"),
], ids=["query-ask", "ask-select", "construct-describe", "describe-construct"])
def test_each_method_answers_its_own_form_only(backend: Backend, method: str, text: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        getattr(backend, method)(text)


def test_a_malformed_query_is_a_query_error_with_its_line_in_the_given_text(backend: Backend) -> None:
    with pytest.raises(QueryError) as err:
        backend.query("SELECT ?x WHERE {\n  ?x ?y }")
    assert err.value.line == 2 and "malformed query" in str(err.value)


def test_a_backend_has_a_name_for_messages(backend: Backend, built_store: Path) -> None:
    assert str(built_store) in backend.name


def test_closing() -> None:
    ox_backend = OxigraphBackend.empty()
    ox_backend.close()
    with pytest.raises(StoreError, match="closed"):
        ox_backend.ask("ASK {}")


def test_the_oxigraph_backend_exposes_pyoxigraph_s_own_store(built_store: Path) -> None:
    import pyoxigraph as ox

    backend = OxigraphBackend.open(built_store)
    assert isinstance(backend.store, ox.Store)


@pytest.mark.parametrize(("text", "form"), [
    ("SELECT * {}", "SELECT"),
    ("  # a comment\nprefix pg: <https://w3id.org/peelgraph/ontology#>\nask { ?s a pg:Report }", "ASK"),
    ("PREFIX : <http://e/#select> BASE <http://e/> CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("PREFIX x:<http://e/>DESCRIBE x:a", "DESCRIBE"),
    ("INSERT DATA { <http://e/a> <http://e/p> 1 }", None),
    ("", None),
], ids=["select", "comment-and-prefix", "empty-prefix-iri-with-keyword", "no-spaces", "update", "empty"])
def test_query_form(text: str, form: str | None) -> None:
    assert query_form(text) == form


def test_sorted_ntriples_drops_repeats_and_blank_lines() -> None:
    assert sorted_ntriples("<b> <p> <o> .\n\n<a> <p> <o> .\n<b> <p> <o> .\n") == "<a> <p> <o> .\n<b> <p> <o> .\n"
