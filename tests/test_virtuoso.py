"""peelgraph on OpenLink Virtuoso (peelgraph.store.remote, push, --endpoint), beside tests/test_remote.py's Oxigraph.

One Virtuoso for the session (the ``virtuoso`` fixture in conftest.py), two datasets pushed
once each, by the steps of the README's guide:

- the shipped report, pushed as ``peelgraph push --endpoint URL`` does by default (one named
  graph per report; the Graph Store URL derived from ``/sparql``), queried with the report's
  graph as the default graph (``?default-graph-uri=``);
- a corpus of four reports, pushed into one named graph (``--graph IRI``, where the server
  keeps each triple once) and queried with that graph as the default graph.

Then every canned query, every ``network`` command and the ``export`` of views must give the
embedded store's answers (order-insensitive where a query has no ORDER BY).
"""

from __future__ import annotations

import re
import time
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
import virtuoso_server
from click.testing import CliRunner
from helpers import CORPUS_PARAMS, NETWORK_COMMANDS, WARWICKSHIRE, comparable

from peelgraph.ask.catalogue import catalogue
from peelgraph.ask.run import run
from peelgraph.cli import main
from peelgraph.errors import EndpointError, QueryError
from peelgraph.store.oxigraph import OxigraphBackend, ensure_store
from peelgraph.store.remote import RemoteEndpoint, sees_the_graph

REPORT_GRAPH = "https://w3id.org/peelgraph/id/report/warwickshire-police-effectiveness-2016"
CORPUS_GRAPH = "https://w3id.org/peelgraph/graph/test-corpus"
DATASETS = ("report", "corpus")


def _with_default_graph(endpoint: str, graph: str) -> str:
    return endpoint + "?default-graph-uri=" + urllib.parse.quote(graph, safe="")


def _cli(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def on_virtuoso(virtuoso, built_store: Path, corpus_store: Path) -> dict[str, tuple[Path, str]]:
    """Each dataset's local store and the endpoint URL that queries it on Virtuoso (pushed once)."""
    res = _cli("--store", str(built_store), "push", "--endpoint", virtuoso.sparql)
    assert res.exit_code == 0, res.output
    assert f"to {virtuoso.graph_store} (one named graph per report)" in res.stdout
    assert res.stderr == ""  # queries at /sparql see the pushed graph
    res = _cli("--store", str(corpus_store), "push", "--endpoint", virtuoso.sparql, "--graph", CORPUS_GRAPH)
    assert res.exit_code == 0, res.output
    return {"report": (built_store, _with_default_graph(virtuoso.sparql, REPORT_GRAPH)),
            "corpus": (corpus_store, _with_default_graph(virtuoso.sparql, CORPUS_GRAPH))}


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("query", catalogue(), ids=lambda q: q.name)
def test_canned_queries_agree_with_the_embedded_store(query, dataset: str, on_virtuoso) -> None:
    store, url = on_virtuoso[dataset]
    ordered = re.search(r"\bORDER\s+BY\b", query.text, re.I) is not None
    params = CORPUS_PARAMS.get(query.name, query.example) if dataset == "corpus" else query.example
    expected = run(OxigraphBackend.open(store), query, params)
    actual = run(RemoteEndpoint(url, timeout=120), query, params, timeout=120)
    assert actual.columns == expected.columns
    assert expected.rows, f"{query.name} answers nothing on the {dataset}: the comparison would prove little"
    assert comparable(actual.json, ordered) == comparable(expected.json, ordered)




@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize("command", NETWORK_COMMANDS, ids=lambda c: " ".join(c).replace(WARWICKSHIRE + "/", ""))
def test_network_commands_agree_with_the_embedded_store(command: tuple[str, ...], dataset: str,
                                                        on_virtuoso) -> None:
    store, url = on_virtuoso[dataset]
    local = _cli("--store", str(store), "network", *command, "--format", "json")
    remote = _cli("--store", str(store), "--endpoint", url, "network", *command, "--format", "json")
    assert local.exit_code == 0, local.output
    assert remote.exit_code == 0, remote.output
    assert remote.stdout == local.stdout


@pytest.mark.parametrize("dataset", DATASETS)
@pytest.mark.parametrize(("view", "fmt"), [("partners", "graphml"), ("all", "json")])
def test_the_export_of_a_view_is_the_same_file(view: str, fmt: str, dataset: str, on_virtuoso,
                                               tmp_path: Path) -> None:
    store, url = on_virtuoso[dataset]
    local, remote = tmp_path / f"local.{fmt}", tmp_path / f"remote.{fmt}"
    assert _cli("--store", str(store), "export", "--view", view, "--format", fmt, "-o", str(local)).exit_code == 0
    res = _cli("--store", str(store), "--endpoint", url, "export", "--view", view, "--format", fmt, "-o", str(remote))
    assert res.exit_code == 0, res.output
    assert remote.read_bytes() == local.read_bytes()


def test_the_union_without_a_named_default_graph_counts_a_triple_once_per_graph(virtuoso, on_virtuoso) -> None:
    """Why the corpus goes into one graph: Virtuoso's default graph, when a query names none, is every
    graph it holds, a triple counted once per graph (the force's label is in the report's graph and in
    the corpus graph), and a join of two such patterns counted four times; with the graph named as the
    default graph each is counted once, as in the embedded store."""
    one = 'SELECT (COUNT(*) AS ?n) WHERE { ?f skos:prefLabel "Warwickshire Police" }'
    two = 'SELECT (COUNT(*) AS ?n) WHERE { ?f skos:prefLabel "Warwickshire Police" ; a pg:Force }'
    everything = RemoteEndpoint(virtuoso.sparql)
    assert (run(everything, one).rows, run(everything, two).rows) == ((("2",),), (("4",),))
    corpus = RemoteEndpoint(on_virtuoso["corpus"][1])
    assert (run(corpus, one).rows, run(corpus, two).rows) == ((("1",),), (("1",),))
    assert sees_the_graph(RemoteEndpoint(virtuoso.sparql))


def test_the_bulk_loader_loads_what_push_sends(virtuoso, corpus_store: Path, on_virtuoso) -> None:
    """The README's bulk load: the union as N-Triples, ld_dir into one graph, rdf_loader_run, checkpoint."""
    graph = "https://w3id.org/peelgraph/graph/bulk"
    res = _cli("--store", str(corpus_store), "export", "--format", "nt", "-o", str(virtuoso.load_dir / "peel.nt"))
    assert res.exit_code == 0, res.output
    virtuoso.isql(f"ld_dir('{virtuoso.load_dir}', 'peel.nt', '{graph}'); rdf_loader_run(); checkpoint;")
    assert "peel.nt" in virtuoso.isql("SELECT ll_file, ll_state, ll_error FROM DB.DBA.LOAD_LIST;")
    bulk = RemoteEndpoint(_with_default_graph(virtuoso.sparql, graph))
    pushed = RemoteEndpoint(on_virtuoso["corpus"][1])
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    local = OxigraphBackend.open(corpus_store)
    assert run(bulk, count).rows == run(pushed, count).rows == run(local, count).rows
    q = catalogue()[0]
    assert run(bulk, q, q.example).rows == run(local, q, q.example).rows


def test_push_replaces_a_graph_rather_than_adding_to_it(virtuoso, built_store: Path, on_virtuoso) -> None:
    remote = RemoteEndpoint(on_virtuoso["report"][1])
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = run(remote, q).rows
    assert _cli("--store", str(built_store), "push", "--endpoint", virtuoso.sparql).exit_code == 0
    assert run(remote, q).rows == before
    n = len(ensure_store(built_store).nquads.read_text(encoding="utf-8").splitlines())
    assert before == ((str(n),),)


def test_a_malformed_query_is_a_query_error_with_its_line(on_virtuoso) -> None:
    with pytest.raises(QueryError) as err:
        run(RemoteEndpoint(on_virtuoso["report"][1]), "SELECT ?x WHERE {\n  ?x ?y }")
    assert err.value.line == 2
    assert "HTTP 400" in str(err.value)


def test_a_long_query_goes_as_a_form_post_and_is_answered(on_virtuoso, db) -> None:
    remote = RemoteEndpoint(on_virtuoso["report"][1])
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?j a pg:Judgement }" + "\n#" + "x" * 3000
    assert remote.request_method(text) == "POST (form)"
    assert run(remote, text).rows == run(db, text).rows == (("7",),)


def test_virtuoso_never_answers_a_direct_post_and_the_time_limit_ends_the_wait(on_virtuoso) -> None:
    t0 = time.monotonic()
    with pytest.raises(EndpointError, match="within 2 s"):
        RemoteEndpoint(on_virtuoso["report"][1], timeout=2, method="direct").ask("ASK {}")
    assert time.monotonic() - t0 < 30


def test_read_only_again_after_loading(virtuoso, built_store: Path, on_virtuoso) -> None:
    """The README's last step: after loading, the anonymous user may read but no longer write."""
    virtuoso.isql("DB.DBA.RDF_DEFAULT_USER_PERMS_SET ('nobody', 1); REVOKE SPARQL_UPDATE FROM \"SPARQL\";")
    try:
        res = _cli("--store", str(built_store), "push", "--endpoint", virtuoso.sparql)
        assert res.exit_code == 3
        assert re.match(r"Error: HTTP 4\d\d from ", res.stderr), res.stderr
        q = catalogue()[0]
        assert run(RemoteEndpoint(on_virtuoso["report"][1]), q, q.example).rows
    finally:
        virtuoso.isql(virtuoso_server.GRANTS)
