"""The read-only SPARQL endpoint (peelgraph.serve.server, peelgraph serve): protocol, formats, limits, load."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from peelgraph.ask.catalogue import catalogue
from peelgraph.ask.run import run
from peelgraph.resources import prologue
from peelgraph.serve.server import PeelgraphServer, make_server

JUDGMENTS = next(q for q in catalogue() if q.name == "judgments")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?r a pg:InspectionReport }"


def _serve(store: Path, **kw: Any) -> tuple[PeelgraphServer, str]:
    srv = make_server(store, port=0, **kw)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    host, port = srv.server_address[:2]
    return srv, f"http://{host}:{port}"


@pytest.fixture(scope="module")
def server(built_store: Path) -> Iterator[str]:
    srv, base = _serve(built_store)
    yield base
    srv.shutdown()
    srv.server_close()


def _request(url: str, data: bytes | None = None, headers: dict[str, str] | None = None,
             method: str | None = None) -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def _get(base: str, query: str, accept: str | None = None) -> tuple[int, dict[str, str], bytes]:
    return _request(f"{base}/query?query={urllib.parse.quote(query)}", headers={"Accept": accept} if accept else {})


# --- SPARQLWrapper, a real SPARQL client -----------------------------------------------------------------

def test_sparqlwrapper_json_gives_the_embedded_answer(server: str, db) -> None:
    import SPARQLWrapper as sw  # part of the test extra: a real SPARQL client
    client = sw.SPARQLWrapper(server + "/query")
    client.setQuery(prologue() + JUDGMENTS.text)
    client.setReturnFormat(sw.JSON)
    data = client.query().convert()
    expected = run(db, JUDGMENTS)
    got = [tuple(b.get(c, {}).get("value") for c in expected.columns) for b in data["results"]["bindings"]]
    assert got == [tuple(r) for r in expected.rows]


def test_sparqlwrapper_xml_and_post(server: str) -> None:
    import SPARQLWrapper as sw  # part of the test extra: a real SPARQL client
    client = sw.SPARQLWrapper(server + "/query")
    client.setQuery(COUNT)
    client.setMethod(sw.POST)
    client.setReturnFormat(sw.XML)
    doc = client.query().convert()
    assert doc.getElementsByTagName("literal")[0].firstChild.data == "1"


# --- plain HTTP ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("accept, ctype", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("*/*", "application/sparql-results+json"),
    ("text/csv;q=0.4, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
], ids=["json", "xml", "csv", "tsv", "any", "q-values"])
def test_get_with_each_accept_type(server: str, accept: str, ctype: str) -> None:
    status, headers, body = _get(server, COUNT, accept)
    assert status == 200
    assert headers["Content-Type"].startswith(ctype)
    text = body.decode("utf-8")
    if "json" in ctype:
        assert json.loads(text)["results"]["bindings"][0]["n"]["value"] == "1"
    elif "xml" in ctype:
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        assert ET.fromstring(text).find(".//r:literal", ns).text == "1"  # type: ignore[union-attr]
    elif ctype == "text/csv":
        assert list(csv.reader(io.StringIO(text))) == [["n"], ["1"]]
    else:
        assert text.splitlines()[0] == "?n" and text.splitlines()[1].startswith("1")


@pytest.mark.parametrize("how", ["sparql-query", "form"])
def test_post(server: str, how: str) -> None:
    if how == "form":
        data = urllib.parse.urlencode({"query": COUNT}).encode()
        ctype = "application/x-www-form-urlencoded"
    else:
        data, ctype = COUNT.encode(), "application/sparql-query"
    status, _, body = _request(server + "/query", data, {"Content-Type": ctype, "Accept": "text/csv"})
    assert status == 200
    assert body.decode().splitlines() == ["n", "1"]


def test_every_canned_query_answers_over_http(server: str, db) -> None:
    from peelgraph.ask.binding import bind

    for q in catalogue():
        text = bind(db, q, q.example)
        status, _, body = _get(server, text)
        assert status == 200, (q.name, body)
        data = json.loads(body)
        assert len(data["results"]["bindings"]) == len(run(db, q, q.example).rows), q.name


def test_construct_gives_turtle(server: str) -> None:
    status, headers, body = _get(server, "CONSTRUCT WHERE { ?r a pg:InspectionReport }")
    assert status == 200
    assert headers["Content-Type"].startswith("text/turtle")
    assert b"InspectionReport" in body


def test_an_unacceptable_type_is_406(server: str) -> None:
    assert _get(server, COUNT, "image/png")[0] == 406


# --- read-only -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["form-update", "sparql-update", "get-update", "put", "delete", "patch", "store"])
def test_writes_are_refused(server: str, how: str, db) -> None:
    update = "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"
    if how == "form-update":
        r = _request(server + "/query", urllib.parse.urlencode({"update": update}).encode(),
                     {"Content-Type": "application/x-www-form-urlencoded"})
    elif how == "sparql-update":
        r = _request(server + "/query", update.encode(), {"Content-Type": "application/sparql-update"})
    elif how == "get-update":
        r = _request(f"{server}/query?update={urllib.parse.quote(update)}")
    elif how == "store":
        r = _request(server + "/store?default", b"<urn:x:a> <urn:x:b> <urn:x:c> .", {"Content-Type": "text/turtle"},
                     method="PUT")
    else:
        r = _request(server + "/query?default", b"<urn:x:a> <urn:x:b> <urn:x:c> .",
                     {"Content-Type": "text/turtle"}, method=how.upper())
    assert 400 <= r[0] < 500
    assert r[0] in (403, 405)
    assert b"read-only" in r[2]
    assert run(db, "ASK { <urn:x:a> ?p ?o }").rows == ((False,),)


def test_an_update_in_the_query_field_is_a_syntax_error(server: str) -> None:
    status, _, body = _get(server, "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }")
    assert status == 400


# --- errors and limits ------------------------------------------------------------------------------------------

def test_a_malformed_query_is_400_with_its_position(server: str) -> None:
    status, headers, body = _get(server, "SELECT ?x WHERE {\n  ?x ?y }")
    assert status == 400
    assert headers["Content-Type"].startswith("text/plain")
    assert body.decode().startswith("malformed query: line 2, column")


def test_a_missing_query_is_400(server: str) -> None:
    # (GET /query without one is the service description: see below)
    assert _request(server + "/query", data=b"", headers={"Content-Type": "application/sparql-query"})[0] == 400
    assert _request(server + "/query", data=b"format=json",
                    headers={"Content-Type": "application/x-www-form-urlencoded"})[0] == 400
    assert _request(server + "/query?query=")[0] == 400


def test_an_unknown_path_is_404(server: str) -> None:
    assert _request(server + "/nothing-here")[0] == 404


def test_the_row_limit_refuses_longer_answers_never_cuts_them(built_store: Path) -> None:
    srv, base = _serve(built_store, row_limit=5)
    try:
        status, headers, body = _get(base, "SELECT * WHERE { ?s ?p ?o }")
        assert status == 503
        assert "more than 5 rows" in body.decode() and "row limit" in body.decode()
        assert "Peelgraph-Truncated" not in headers
        status, headers, body = _get(base, "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        assert status == 503 and "more than 5 triples" in body.decode()
        status, headers, body = _get(base, "SELECT * WHERE { ?s ?p ?o } LIMIT 5")
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 5
    finally:
        srv.shutdown()
        srv.server_close()


def test_answers_are_whole_by_default(server: str) -> None:
    status, _, body = _get(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    total = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    assert total > 10_000  # past the row limit the endpoint used to cut answers at
    status, headers, body = _get(server, "SELECT * WHERE { ?s ?p ?o }", accept="text/tab-separated-values")
    assert status == 200 and "Peelgraph-Truncated" not in headers
    assert len(body.decode().splitlines()) == total + 1


def test_a_query_past_the_time_limit_is_503_with_a_message(built_store: Path) -> None:
    srv, base = _serve(built_store, timeout=0.3, row_limit=10**9)
    try:
        started = time.monotonic()
        status, _, body = _get(base, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
        assert status == 503
        assert b"time limit of 0.3 s" in body
        assert time.monotonic() - started < 5
        assert _get(base, COUNT)[0] == 200  # and the server still answers
    finally:
        srv.shutdown()
        srv.server_close()


# --- the explorer ------------------------------------------------------------------------------------------------

def test_the_explorer_is_a_self_contained_page(server: str) -> None:
    status, headers, body = _request(server + "/")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    page = body.decode()
    assert 'id="graph-data"' in page and "cytoscape" in page  # the partner-network explorer (peelgraph.show.explorer)
    assert "multi-agency safeguarding hub" in page
    assert "<script src=" not in page and "<link " not in page and "@import" not in page  # nothing fetched


def test_the_catalogue_is_served_as_json(server: str) -> None:
    status, _, body = _request(server + "/queries")
    assert status == 200
    assert [q["name"] for q in json.loads(body)] == [q.name for q in catalogue()]


# --- load ---------------------------------------------------------------------------------------------------------

def _rss_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def test_many_concurrent_requests_no_errors_no_memory_growth(server: str, db) -> None:
    queries = [(JUDGMENTS.text, "application/sparql-results+json"), (COUNT, "text/csv"),
               (COUNT, "application/sparql-results+xml"), ("SELECT * WHERE { ?s ?p ?o } LIMIT 200",
                                                           "text/tab-separated-values")]

    def one(i: int) -> int:
        text, accept = queries[i % len(queries)]
        return _get(server, text, accept)[0]

    with ThreadPoolExecutor(16) as pool:  # warm-up: threads, caches, allocator arenas
        assert set(pool.map(one, range(200))) == {200}
    before = _rss_kib()
    started = time.monotonic()
    with ThreadPoolExecutor(16) as pool:
        statuses = list(pool.map(one, range(400)))
    elapsed = time.monotonic() - started
    after = _rss_kib()
    assert statuses.count(200) == 400
    assert elapsed < 60
    assert after - before < 20_000, f"RSS grew by {after - before} KiB over 400 requests"


# --- the command ------------------------------------------------------------------------------------------------

def test_serve_command_refuses_a_bad_port(built_store: Path) -> None:
    from peelgraph.cli.serve import serve

    result = CliRunner().invoke(serve, ["--port", "70000"], obj={"store": built_store})
    assert result.exit_code == 2


def test_serve_command_reports_a_port_in_use(built_store: Path) -> None:
    from peelgraph.cli.serve import serve

    srv, base = _serve(built_store)
    try:
        port = str(srv.server_address[1])
        result = CliRunner().invoke(serve, ["--port", port], obj={"store": built_store})
        assert result.exit_code == 2
        assert result.stderr.startswith(f"Error: cannot listen on 127.0.0.1:{port}")
    finally:
        srv.shutdown()
        srv.server_close()


def test_serve_command_serves_until_interrupted(built_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from peelgraph.cli.serve import serve
    from peelgraph.serve import server as server_mod

    seen: dict[str, Any] = {}

    def fake_forever(self: PeelgraphServer, poll_interval: float = 0.5) -> None:
        seen["address"] = self.server_address
        seen["limits"] = (self.query_timeout, self.row_limit)
        raise KeyboardInterrupt

    monkeypatch.setattr(server_mod.PeelgraphServer, "serve_forever", fake_forever)
    result = CliRunner().invoke(serve, ["--port", "0", "--timeout", "2", "--row-limit", "7"],
                                obj={"store": built_store})
    assert result.exit_code == 0, result.output
    assert seen["address"][0] == "127.0.0.1"
    assert seen["limits"] == (2.0, 7)
    assert "/query" in result.stderr


# --- what SPARQL 1.1 clients send: a real `peelgraph serve` on loopback ------------------------------------

CONSTRUCT_ALL = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
DESCRIBE_REPORT = "DESCRIBE ?r WHERE { ?r a pg:InspectionReport }"


@pytest.fixture(scope="module")
def served(built_store: Path) -> Iterator[str]:
    from tests.helpers_serve import ServeProcess

    proc = ServeProcess(built_store)
    yield proc.base + "/sparql"
    proc.stop()


def _rdflib_graph(data: Any, fmt: str) -> Any:
    import rdflib

    if isinstance(data, rdflib.Graph):
        return data
    return rdflib.Graph().parse(data=data if isinstance(data, bytes) else data.encode(), format=fmt)


def _triples(served: str, query: str) -> int:
    count = query.replace("CONSTRUCT { ?s ?p ?o } WHERE", "SELECT (COUNT(*) AS ?n) WHERE")
    status, _, body = _request(f"{served}?query={urllib.parse.quote(prologue() + count)}")
    assert status == 200
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("fmt", ["JSON", "XML", "CSV", "TSV"])
def test_sparqlwrapper_select_and_ask_in_each_format(served: str, fmt: str) -> None:
    import SPARQLWrapper as sw

    client = sw.SPARQLWrapper(served)
    client.setReturnFormat(getattr(sw, fmt))
    client.setQuery(prologue() + "SELECT ?r WHERE { ?r a pg:InspectionReport }")
    result = client.query()
    data = result.convert()
    if fmt == "JSON":
        assert len(data["results"]["bindings"]) == 1
    elif fmt == "XML":
        assert len(data.getElementsByTagName("result")) == 1
    else:
        lines = data.decode().splitlines()
        assert len(lines) == 2 and lines[0] in ("r", "?r")
    if fmt in ("JSON", "XML"):
        client.setQuery(prologue() + "ASK { ?r a pg:InspectionReport }")
        data = client.query().convert()
        assert (data["boolean"] if fmt == "JSON" else
                data.getElementsByTagName("boolean")[0].firstChild.data == "true") is True


@pytest.mark.parametrize("fmt, rdf_format", [("TURTLE", "turtle"), ("N3", "turtle"), ("XML", "xml"),
                                             ("RDFXML", "xml"), ("JSONLD", "json-ld")])
def test_sparqlwrapper_construct_and_describe_in_each_format(served: str, fmt: str, rdf_format: str) -> None:
    import SPARQLWrapper as sw

    client = sw.SPARQLWrapper(served)
    client.setReturnFormat(getattr(sw, fmt))
    client.setQuery(prologue() + CONSTRUCT_ALL)
    graph = _rdflib_graph(client.query().convert(), rdf_format)
    assert len(graph) == _triples(served, CONSTRUCT_ALL) > 10_000
    client.setQuery(prologue() + DESCRIBE_REPORT)
    described = _rdflib_graph(client.query().convert(), rdf_format)
    kinds = {str(o) for o in described.objects(None, __import__("rdflib").RDF.type)}
    assert any(k.endswith("InspectionReport") for k in kinds) and len(described) > 3


FORMAT_NAMES = {
    "SELECT": {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
               "csv": "text/csv", "tsv": "text/tab-separated-values",
               "application/sparql-results+json": "application/sparql-results+json",
               "text/csv": "text/csv"},
    "CONSTRUCT": {"turtle": "text/turtle", "ttl": "text/turtle", "nt": "application/n-triples",
                  "ntriples": "application/n-triples", "nquads": "application/n-quads",
                  "rdf": "application/rdf+xml", "rdf+xml": "application/rdf+xml", "xml": "application/rdf+xml",
                  "json-ld": "application/ld+json", "jsonld": "application/ld+json", "json": "application/ld+json",
                  "text/turtle": "text/turtle", "application/ld+json": "application/ld+json",
                  "application/n-quads": "application/n-quads"},
}
RDFLIB_FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/n-quads": "nquads",
                  "application/rdf+xml": "xml", "application/ld+json": "json-ld"}


@pytest.mark.parametrize("kind, name", [(k, n) for k, names in FORMAT_NAMES.items() for n in names])
def test_format_takes_the_names_clients_send(served: str, kind: str, name: str) -> None:
    query = "SELECT ?r WHERE { ?r a pg:InspectionReport }" if kind == "SELECT" else \
        "CONSTRUCT { ?r a pg:InspectionReport } WHERE { ?r a pg:InspectionReport }"
    status, headers, body = _request(f"{served}?query={urllib.parse.quote(query)}&format={urllib.parse.quote(name)}",
                                     headers={"Accept": "text/html"})  # format= wins over Accept
    assert status == 200, body
    ctype = headers["Content-Type"].split(";")[0]
    assert ctype == FORMAT_NAMES[kind][name]
    if kind == "CONSTRUCT":
        import rdflib

        data = rdflib.Dataset() if ctype == "application/n-quads" else rdflib.Graph()
        data.parse(data=body, format=RDFLIB_FORMATS[ctype])
        assert len(list(data.triples((None, None, None)))) == 1 if ctype != "application/n-quads" else \
            len(list(data.quads((None, None, None, None)))) == 1


@pytest.mark.parametrize("accept, ctype", [("application/ld+json", "application/ld+json"),
                                           ("application/n-quads", "application/n-quads"),
                                           ("application/rdf+xml;q=0.5, text/turtle;q=0.9", "text/turtle"),
                                           ("*/*", "text/turtle")])
def test_construct_negotiates_by_accept(served: str, accept: str, ctype: str) -> None:
    query = "CONSTRUCT { ?r a pg:InspectionReport } WHERE { ?r a pg:InspectionReport }"
    status, headers, _ = _request(f"{served}?query={urllib.parse.quote(query)}", headers={"Accept": accept})
    assert status == 200 and headers["Content-Type"].split(";")[0] == ctype


def test_a_format_that_does_not_fit_the_query_is_406(served: str) -> None:
    status, _, body = _request(f"{served}?query={urllib.parse.quote('ASK {}')}&format=turtle")
    assert status == 406 and "turtle" in body.decode()
    status, _, body = _request(f"{served}?query={urllib.parse.quote(CONSTRUCT_ALL)}&format=csv")
    assert status == 406


def test_sparqlstore_sees_the_whole_graph(served: str) -> None:
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    graph = Graph(store=SPARQLStore(served, returnFormat="json"))
    iterated = sum(1 for _ in graph)
    assert len(graph) == iterated == _triples(served, CONSTRUCT_ALL) > 10_000


def test_cors_preflight_and_headers(served: str) -> None:
    status, headers, body = _request(served, method="OPTIONS", headers={
        "Origin": "http://yasgui.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, accept"})
    assert status == 204 and body == b""
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert headers["Access-Control-Allow-Headers"] == "content-type, accept"
    status, headers, _ = _request(f"{served}?query={urllib.parse.quote(COUNT)}", headers={"Origin": "http://x"})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    status, headers, _ = _request(f"{served}?query=nonsense")  # errors too, so the browser can show them
    assert status == 400 and headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("accept, rdf_format", [(None, "turtle"), ("text/turtle", "turtle"),
                                                ("application/ld+json", "json-ld"),
                                                ("text/html,application/xhtml+xml,*/*;q=0.8", "turtle")])
def test_get_without_a_query_is_the_service_description(served: str, accept: str | None, rdf_format: str) -> None:
    """On /query; on /sparql too, except for a client that prefers HTML (a browser gets the query
    page there: tests/test_serve_page.py)."""
    import rdflib

    if accept and accept.startswith("text/html"):
        served = served.replace("/sparql", "/query")
    status, headers, body = _request(served, headers={"Accept": accept} if accept else {})
    assert status == 200
    graph = rdflib.Graph().parse(data=body, format=rdf_format)
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = next(graph.subjects(rdflib.RDF.type, sd.Service))
    assert graph.value(service, sd.endpoint) == rdflib.URIRef(served)
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in graph
    assert (service, sd.feature, sd.UnionDefaultGraph) in graph
    assert len(list(graph.objects(service, sd.resultFormat))) == 9


def test_default_and_named_graph_uri_are_honoured(served: str) -> None:
    graphs_q = urllib.parse.quote("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    status, _, body = _request(f"{served}?query={graphs_q}")
    names = [b["g"]["value"] for b in json.loads(body)["results"]["bindings"]]
    assert status == 200 and names
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def n(extra: str, query: str = count) -> int:
        status, _, body = _request(f"{served}?query={urllib.parse.quote(query)}{extra}")
        assert status == 200, body
        return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])

    union = n("")
    one = n("&default-graph-uri=" + urllib.parse.quote(names[0]))
    assert one == n("", f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{names[0]}> {{ ?s ?p ?o }} }}") > 0
    assert one <= union
    assert n("&default-graph-uri=" + urllib.parse.quote("http://example.org/no-such-graph")) == 0
    in_graphs = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert n("&named-graph-uri=" + urllib.parse.quote("http://example.org/no-such-graph"), in_graphs) == 0
    assert n("&named-graph-uri=" + urllib.parse.quote(names[0]), in_graphs) == one
    status, _, _ = _request(f"{served}?query={urllib.parse.quote(count)}&default-graph-uri=not%20an%20iri")
    assert status == 400
