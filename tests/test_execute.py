"""peelgraph.ask.execute: the prologue, the query form, the time limit, errors located in the user's text."""

from __future__ import annotations

from typing import Any

import pytest

from peelgraph.ask.execute import execute, select
from peelgraph.ask.run import run
from peelgraph.errors import EndpointError, QueryError
from peelgraph.store.oxigraph import OxigraphBackend


def test_malformed_query_names_line_and_column(db) -> None:
    with pytest.raises(QueryError) as err:
        run(db, "SELECT ?x WHERE {\n  ?x ?y\n}")
    assert err.value.line == 3 and err.value.column
    assert "malformed query" in str(err.value)


def test_time_limit(db) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with pytest.raises(QueryError, match="time limit"):
        run(db, slow, timeout=0.2)




def test_construct_and_describe_are_refused(db) -> None:
    for text in ("CONSTRUCT WHERE { ?s ?p ?o }", "DESCRIBE <http://e/a>"):
        with pytest.raises(QueryError, match="only SELECT and ASK"):
            execute(db, text)


def test_ask_and_select(db) -> None:
    assert execute(db, "ASK { ?r a pg:InspectionReport }") == {"head": {}, "boolean": True}
    assert select(db, "SELECT ?n WHERE { ?q a pg:CoreQuestion ; pg:number ?n } ORDER BY ?n LIMIT 2") == [
        {"n": "1"}, {"n": "2"}]
    with pytest.raises(QueryError, match="not a SELECT"):
        select(db, "ASK {}")


class _Broken:
    """A backend that breaks the contract: it lets its engine's exception through."""

    name = "a broken backend"

    def query(self, text: str) -> dict[str, Any]:
        raise KeyError("engine internals")

    def ask(self, text: str) -> bool:
        raise EndpointError("cannot reach http://127.0.0.1:9/query")

    def construct(self, text: str) -> str:
        return ""

    def describe(self, text: str) -> str:
        return ""

    def close(self) -> None:
        pass


def test_errors_from_a_backend_reach_the_caller_as_peelgraph_errors() -> None:
    with pytest.raises(QueryError, match="failed on a broken backend: KeyError") as err:
        execute(_Broken(), "SELECT * {}", name="mine")
    assert err.value.query == "mine"
    with pytest.raises(EndpointError, match="cannot reach"):
        execute(_Broken(), "ASK {}")


def test_an_error_in_the_first_line_is_located_there() -> None:
    with pytest.raises(QueryError) as err:
        execute(OxigraphBackend.empty(), "SELECT ?x WHERE { ?x }")
    assert err.value.line == 1 and err.value.query == "inline"
