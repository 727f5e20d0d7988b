"""Remote engines (peelgraph.store.remote, peelgraph push) against a real Oxigraph server on loopback.

The ``oxigraph`` PyPI package ships the server binary; each test module run starts
``oxigraph serve`` on a free loopback port and stops it afterwards.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import CORPUS_PARAMS, NETWORK_COMMANDS, WARWICKSHIRE, comparable

from peelgraph.ask.catalogue import catalogue
from peelgraph.ask.run import run
from peelgraph.errors import EndpointError, QueryError
from peelgraph.resources import prologue
from peelgraph.store.oxigraph import OxigraphBackend, ensure_store
from peelgraph.store.remote import DEFAULT_GRAPH, RemoteEndpoint, derive_store_url, push, sees_the_graph


def _oxigraph_binary() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    return shutil.which("oxigraph")


OXIGRAPH = _oxigraph_binary()
# in CI (CI set) a missing server is a failure, not a skip: the remote tests must really run there
pytestmark = pytest.mark.skipif(OXIGRAPH is None and not os.environ.get("CI"),
                                reason="the oxigraph server binary is not installed "
                                       "(pip install oxigraph, part of the test extra)")


@dataclass
class Server:
    base: str
    process: subprocess.Popen[bytes]

    @property
    def query(self) -> str:
        return self.base + "/query"

    @property
    def store(self) -> str:
        return self.base + "/store"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(location: Path, *flags: str) -> Server:
    assert OXIGRAPH is not None
    port = _free_port()
    proc = subprocess.Popen([OXIGRAPH, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                             *flags], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"oxigraph serve exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            with urllib.request.urlopen(base + "/query?query=ASK%7B%7D", timeout=1):
                return Server(base, proc)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("oxigraph serve did not start within 20 s")


def _stop(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
    if server.process.stderr:
        server.process.stderr.close()


@pytest.fixture(scope="module")
def union_server(tmp_path_factory: pytest.TempPathFactory, built_store: Path) -> Iterator[Server]:
    """An Oxigraph server whose default graph is the union, with the shipped graph pushed (per report)."""
    server = _start(tmp_path_factory.mktemp("oxigraph-union"), "--union-default-graph")
    try:
        yield server
    finally:
        _stop(server)


@pytest.fixture(scope="module")
def plain_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """An Oxigraph server as started by default: its default graph is only the default graph."""
    server = _start(tmp_path_factory.mktemp("oxigraph-plain"))
    try:
        yield server
    finally:
        _stop(server)


@pytest.fixture(scope="module")
def pushed(union_server: Server, built_store: Path) -> RemoteEndpoint:
    n = push(ensure_store(built_store).nquads, union_server.store)
    assert n == len(ensure_store(built_store).nquads.read_text(encoding="utf-8").splitlines())
    return RemoteEndpoint(union_server.query)


@pytest.fixture(scope="module")
def corpus_pushed(tmp_path_factory: pytest.TempPathFactory, corpus_store: Path) -> Iterator[RemoteEndpoint]:
    """The four-report corpus pushed into the default graph of a plain Oxigraph server (each triple
    once: the union the embedded store queries; per-report graphs under --union-default-graph would
    count a shared triple once per report)."""
    server = _start(tmp_path_factory.mktemp("oxigraph-corpus"))
    try:
        push(ensure_store(corpus_store).nquads, server.store, graph=DEFAULT_GRAPH)
        yield RemoteEndpoint(server.query)
    finally:
        _stop(server)


@pytest.mark.parametrize("query", catalogue(), ids=lambda q: q.name)
def test_canned_queries_agree_with_the_embedded_store(query, db, pushed: RemoteEndpoint) -> None:
    ordered = re.search(r"\bORDER\s+BY\b", query.text, re.I) is not None
    expected = run(db, query, query.example)
    actual = run(pushed, query, query.example)
    assert actual.columns == expected.columns
    assert comparable(actual.json, ordered) == comparable(expected.json, ordered)


@pytest.mark.parametrize("query", catalogue(), ids=lambda q: q.name)
def test_canned_queries_agree_on_a_corpus(query, corpus_store: Path, corpus_pushed: RemoteEndpoint) -> None:
    params = CORPUS_PARAMS.get(query.name, query.example)
    ordered = re.search(r"\bORDER\s+BY\b", query.text, re.I) is not None
    expected = run(OxigraphBackend.open(corpus_store), query, params)
    actual = run(corpus_pushed, query, params)
    assert expected.rows
    assert comparable(actual.json, ordered) == comparable(expected.json, ordered)


@pytest.mark.parametrize("dataset", ["report", "corpus"])
@pytest.mark.parametrize("command", NETWORK_COMMANDS, ids=lambda c: " ".join(c).replace(WARWICKSHIRE + "/", ""))
def test_network_commands_agree_with_the_embedded_store(command: tuple[str, ...], dataset: str, built_store: Path,
                                                        corpus_store: Path, pushed: RemoteEndpoint,
                                                        corpus_pushed: RemoteEndpoint) -> None:
    from peelgraph.cli import main

    store, url = (built_store, pushed.url) if dataset == "report" else (corpus_store, corpus_pushed.url)
    local = CliRunner().invoke(main, ["--store", str(store), "network", *command, "--format", "json"])
    remote = CliRunner().invoke(main, ["--store", str(store), "--endpoint", url, "network", *command,
                                       "--format", "json"])
    assert local.exit_code == 0, local.output
    assert remote.exit_code == 0, remote.output
    assert remote.stdout == local.stdout


def test_push_keeps_one_named_graph_per_report(pushed: RemoteEndpoint, db) -> None:
    q = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    assert run(pushed, q).rows == run(db, q).rows
    assert sees_the_graph(pushed)


def test_pushing_again_replaces_rather_than_duplicates(pushed: RemoteEndpoint, union_server: Server,
                                                       built_store: Path, db) -> None:
    q = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = run(pushed, q).rows
    push(ensure_store(built_store).nquads, union_server.store)
    assert run(pushed, q).rows == before == run(db, q).rows


def test_without_the_union_queries_see_nothing_and_push_cli_warns(plain_server: Server, built_store: Path) -> None:
    from peelgraph.cli.serve import push as push_cmd

    result = CliRunner().invoke(push_cmd, ["--endpoint", plain_server.query, "--graph", "urn:x-peelgraph:all"],
                                obj={"store": built_store})
    assert result.exit_code == 0, result.output
    assert "Pushed" in result.stdout
    assert "--union-default-graph" in result.stderr
    assert not sees_the_graph(RemoteEndpoint(plain_server.query))
    # Oxigraph also takes the union as a URL option of the query endpoint
    assert sees_the_graph(RemoteEndpoint(plain_server.query + "?union-default-graph"))


def test_push_into_the_default_graph_needs_no_server_setting(plain_server: Server, built_store: Path, db) -> None:
    from peelgraph.cli.serve import push as push_cmd

    result = CliRunner().invoke(push_cmd, ["--endpoint", plain_server.query, "--graph", DEFAULT_GRAPH],
                                obj={"store": built_store})
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    remote = RemoteEndpoint(plain_server.query)
    q = catalogue()[0]
    assert run(remote, q, q.example).rows == run(db, q, q.example).rows


def test_a_malformed_query_is_a_query_error_with_its_line(pushed: RemoteEndpoint) -> None:
    with pytest.raises(QueryError) as err:
        run(pushed, "SELECT ?x WHERE {\n  ?x ?y }")
    assert err.value.line == 2
    assert "HTTP 400" in str(err.value)


def test_construct_and_ask_agree_with_the_embedded_store(pushed: RemoteEndpoint, db) -> None:
    q = prologue() + "CONSTRUCT WHERE { ?j a pg:Judgement ; pg:grade ?g }"
    assert pushed.construct(q) == db.construct(q)
    assert len(pushed.construct(q).splitlines()) == 14
    assert pushed.ask(prologue() + "ASK { ?j a pg:Judgement }") is True
    with pytest.raises(QueryError, match="not a SELECT query"):
        pushed.query(prologue() + "ASK { ?j a pg:Judgement }")
    with pytest.raises(QueryError, match="not a DESCRIBE query"):
        pushed.describe(q)


def test_an_unreachable_endpoint_is_an_endpoint_error() -> None:
    with pytest.raises(EndpointError, match="cannot reach"):
        RemoteEndpoint(f"http://127.0.0.1:{_free_port()}/query", timeout=5).ask("ASK {}")


def test_a_refused_write_reports_the_http_status(union_server: Server, built_store: Path) -> None:
    with pytest.raises(EndpointError, match=r"HTTP 4\d\d"):
        push(ensure_store(built_store).nquads, union_server.base + "/no-such-service")


def test_bad_urls_and_iris_are_refused(built_store: Path) -> None:
    with pytest.raises(EndpointError, match="not an http"):
        RemoteEndpoint("ftp://example.org/sparql")
    with pytest.raises(EndpointError, match="absolute IRI"):
        push(ensure_store(built_store).nquads, "http://127.0.0.1:1/store", graph="not an iri")
    with pytest.raises(EndpointError, match="--store-url"):
        derive_store_url("http://example.org/")


def test_push_cli_reports_an_unreachable_server_as_an_error(built_store: Path) -> None:
    from peelgraph.cli.serve import push as push_cmd

    result = CliRunner().invoke(push_cmd, ["--endpoint", f"http://127.0.0.1:{_free_port()}/query"],
                                obj={"store": built_store})
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: cannot reach")


def test_the_bulk_loader_loads_the_union_into_the_default_graph(tmp_path: Path, corpus_store: Path) -> None:
    """The README's bulk load: the union as N-Triples, ``oxigraph load`` into a stopped store, then serve it."""
    from peelgraph.cli import main

    nt = tmp_path / "peel.nt"
    res = CliRunner().invoke(main, ["--store", str(corpus_store), "export", "--format", "nt", "-o", str(nt)])
    assert res.exit_code == 0, res.output
    location = tmp_path / "oxigraph"
    assert OXIGRAPH is not None
    subprocess.run([OXIGRAPH, "load", "--location", str(location), "--file", str(nt)], check=True,
                   capture_output=True, timeout=300)
    server = _start(location)
    try:
        remote, local = RemoteEndpoint(server.query), OxigraphBackend.open(corpus_store)
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
        assert run(remote, count).rows == run(local, count).rows
        q = catalogue()[0]
        assert run(remote, q, q.example).rows == run(local, q, q.example).rows
    finally:
        _stop(server)
