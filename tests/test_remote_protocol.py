"""peelgraph.store.remote's HTTP as servers speak it, against a stub server on loopback (real sockets).

Each test gives the stub one behaviour (answer, stall, trickle, answer too much, answer a
write and keep the connection open ...) and checks what the client sends and how it ends.
The real servers are in tests/test_remote.py (Oxigraph) and tests/test_virtuoso.py.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from peelgraph.cli import main
from peelgraph.errors import EndpointError, QueryError
from peelgraph.store import remote
from peelgraph.store.remote import GET_LIMIT, RemoteEndpoint, push

ASK_TRUE = json.dumps({"head": {}, "boolean": True}).encode()
NO_ROWS = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": []}}).encode()
GENEROUS = 15.0  # seconds: a bound on what must end within a 1 s time limit, loose enough for a loaded machine


@dataclass
class Seen:
    """One request as the stub received it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes


@dataclass
class Stub:
    """A loopback HTTP server; ``respond(handler, seen)`` answers each request."""

    base: str
    requests: list[Seen] = field(default_factory=list)
    respond: Callable[[BaseHTTPRequestHandler, Seen], None] | None = None
    release: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        return self.base + "/sparql"


def _answer(handler: BaseHTTPRequestHandler, status: int, body: bytes, ctype: str = "application/sparql-results+json",
            extra: dict[str, str] | None = None) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", ctype)
    handler.send_header("Content-Length", str(len(body)))
    for k, v in (extra or {}).items():
        handler.send_header(k, v)
    handler.end_headers()
    handler.wfile.write(body)
    handler.wfile.flush()


@pytest.fixture
def stub() -> Iterator[Stub]:
    state: dict[str, Stub] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive unless told otherwise, as Virtuoso

        def _handle(self) -> None:
            s = state["stub"]
            parts = urllib.parse.urlsplit(self.path)
            read_body = getattr(s.respond, "read_body", True)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if read_body and length else b""
            seen = Seen(self.command, parts.path, urllib.parse.parse_qs(parts.query, keep_blank_values=True),
                        {k.lower(): v for k, v in self.headers.items()}, body)
            s.requests.append(seen)
            if s.respond is None:
                _answer(self, 200, ASK_TRUE)
            else:
                s.respond(self, seen)

        do_GET = do_POST = do_PUT = _handle

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state["stub"] = Stub(f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state["stub"]
    finally:
        state["stub"].release.set()
        server.shutdown()
        server.server_close()


def _query_text(seen: Seen) -> str:
    """The SPARQL text of a GET or a form-encoded POST."""
    if seen.method == "GET":
        return seen.query["query"][0]
    return urllib.parse.parse_qs(seen.body.decode("ascii"))["query"][0]


def _install_stall(stub: Stub) -> None:
    def respond(handler: BaseHTTPRequestHandler, seen: Seen) -> None:
        stub.release.wait(60)

    stub.respond = respond


# -- how queries are sent ---------------------------------------------------------------------------------


def test_a_short_query_is_a_get_with_the_url_options_kept(stub: Stub) -> None:
    ep = RemoteEndpoint(stub.url + "?union-default-graph")
    assert ep.ask("ASK { ?s ?p ?o }") is True
    seen = stub.requests[-1]
    assert seen.method == "GET"
    assert seen.query == {"union-default-graph": [""], "query": ["ASK { ?s ?p ?o }"]}
    assert seen.headers["accept"] == "application/sparql-results+json"
    assert seen.headers["connection"] == "close"


def test_a_long_query_is_a_form_encoded_post(stub: Stub) -> None:
    text = "ASK { ?s ?p \"" + "é" * GET_LIMIT + "\" }"
    ep = RemoteEndpoint(stub.url)
    assert ep.request_method(text) == "POST (form)"
    assert ep.ask(text) is True
    seen = stub.requests[-1]
    assert seen.method == "POST"
    assert seen.headers["content-type"] == "application/x-www-form-urlencoded"
    assert urllib.parse.parse_qs(seen.body.decode("ascii")) == {"query": [text]}


def test_the_threshold_is_the_length_of_the_whole_url(stub: Stub) -> None:
    ep = RemoteEndpoint(stub.url)
    room = GET_LIMIT - len(stub.url + "?query=" + urllib.parse.quote("ASK {}"))
    assert ep.request_method("ASK {}" + "a" * room) == "GET"
    assert ep.request_method("ASK {}" + "a" * (room + 1)) == "POST (form)"
    assert ep.request_method("ASK {}" + "é" * (room // 6 + 1)) == "POST (form)"  # counted percent-encoded


@pytest.mark.parametrize(("method", "expected"), [("get", "GET"), ("form", "POST"), ("direct", "POST")])
def test_the_method_can_be_chosen(stub: Stub, method: str, expected: str) -> None:
    text = "ASK { ?s ?p \"x\" }" + " " * (2 * GET_LIMIT)
    assert RemoteEndpoint(stub.url, method=method).ask(text) is True
    seen = stub.requests[-1]
    assert seen.method == expected
    if method == "direct":
        assert seen.headers["content-type"] == "application/sparql-query; charset=utf-8"
        assert seen.body.decode("utf-8") == text
    elif method == "form":
        assert seen.headers["content-type"] == "application/x-www-form-urlencoded"
        assert urllib.parse.parse_qs(seen.body.decode("ascii")) == {"query": [text]}
    else:
        assert seen.query == {"query": [text]} and seen.body == b""


def test_an_unknown_method_is_refused() -> None:
    with pytest.raises(EndpointError, match="unknown request method"):
        RemoteEndpoint("http://127.0.0.1:1/sparql", method="put")


def test_the_cli_sends_what_endpoint_method_says(stub: Stub, built_store: Path) -> None:
    def respond(handler: BaseHTTPRequestHandler, seen: Seen) -> None:
        _answer(handler, 200, NO_ROWS)

    stub.respond = respond
    res = CliRunner().invoke(main, ["--store", str(built_store), "--endpoint", stub.url, "--endpoint-method", "direct",
                                    "query", "-e", "SELECT ?x WHERE { ?x a pg:Finding }"])
    assert res.exit_code == 0, res.output
    assert [r.method for r in stub.requests] == ["POST"]
    assert stub.requests[0].headers["content-type"].startswith("application/sparql-query")
    res = CliRunner().invoke(main, ["--store", str(built_store), "--endpoint", stub.url,
                                    "query", "-e", "SELECT ?x WHERE { ?x a pg:Finding }"])
    assert res.exit_code == 0, res.output
    assert stub.requests[-1].method == "GET"


# -- one deadline per request -----------------------------------------------------------------------------


def test_a_server_that_never_answers_is_cut_off_at_the_time_limit(stub: Stub) -> None:
    _install_stall(stub)
    t0 = time.monotonic()
    with pytest.raises(EndpointError, match=r"no answer from .* within 1 s"):
        RemoteEndpoint(stub.url, timeout=1, method="direct").ask("ASK {}")
    assert time.monotonic() - t0 < GENEROUS


def test_a_trickling_answer_is_cut_off_at_the_time_limit_too(stub: Stub) -> None:
    def respond(handler: BaseHTTPRequestHandler, seen: Seen) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/sparql-results+json")
        handler.send_header("Content-Length", "1000")
        handler.end_headers()
        for _ in range(1000):  # a byte every 0.2 s: each read is quick, the whole answer is not
            if stub.release.wait(0.2):
                return
            try:
                handler.wfile.write(b" ")
                handler.wfile.flush()
            except OSError:
                return

    stub.respond = respond
    t0 = time.monotonic()
    with pytest.raises(EndpointError, match="within 1 s"):
        RemoteEndpoint(stub.url, timeout=1).ask("ASK {}")
    assert time.monotonic() - t0 < GENEROUS


def test_query_timeout_governs_the_entity_lookup_as_well(stub: Stub, built_store: Path) -> None:
    _install_stall(stub)
    t0 = time.monotonic()
    res = CliRunner().invoke(main, ["--store", str(built_store), "--endpoint", stub.url,
                                    "query", "partners-of", "-p", "entity=IOM", "--timeout", "1"])
    assert res.exit_code == 3
    assert res.stderr.startswith("Error: ") and "within 1 s" in res.stderr, res.stderr
    assert time.monotonic() - t0 < GENEROUS
    lookup = _query_text(stub.requests[0])  # the first request resolves the entity name
    assert "?e" in lookup and "iom" in lookup.lower()


def test_push_timeout_governs_each_upload(stub: Stub, built_store: Path) -> None:
    _install_stall(stub)
    t0 = time.monotonic()
    res = CliRunner().invoke(main, ["--store", str(built_store), "push", "--endpoint", stub.url, "--timeout", "1"])
    assert res.exit_code == 3
    assert res.stderr.startswith("Error: no answer from") and "within 1 s" in res.stderr, res.stderr
    assert time.monotonic() - t0 < GENEROUS
    assert stub.requests[0].method == "PUT"


# -- bounded answers, errors ------------------------------------------------------------------------------


def test_an_answer_past_the_size_limit_is_a_clear_error(stub: Stub, built_store: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    big = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": [
        {"x": {"type": "literal", "value": "v" * 100}}] * 20_000}}).encode()

    def respond(handler: BaseHTTPRequestHandler, seen: Seen) -> None:
        _answer(handler, 200, big)

    stub.respond = respond
    with pytest.raises(EndpointError, match=r"larger than 1 MiB"):
        RemoteEndpoint(stub.url, max_bytes=2**20).query("SELECT ?x WHERE { ?x ?p ?o }")
    assert len(RemoteEndpoint(stub.url, max_bytes=len(big)).query("SELECT * {}")["results"]["bindings"]) == 20_000
    monkeypatch.setattr(remote, "MAX_ANSWER_BYTES", 2**20)
    res = CliRunner().invoke(main, ["--store", str(built_store), "--endpoint", stub.url, "query", "-e",
                                    "SELECT ?x WHERE { ?x ?p ?o }"])
    assert res.exit_code == 3
    assert res.stderr.startswith("Error: ") and "larger than 1 MiB" in res.stderr
    assert len(res.stderr.splitlines()) == 1


def test_a_chunked_answer_is_read_to_its_end(stub: Stub) -> None:
    def respond(handler: BaseHTTPRequestHandler, seen: Seen) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/sparql-results+json")
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        for piece in (NO_ROWS[:10], NO_ROWS[10:]):
            handler.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        handler.wfile.write(b"0\r\n\r\n")  # and the connection stays open
        stub.release.wait(60)

    stub.respond = respond
    t0 = time.monotonic()
    assert RemoteEndpoint(stub.url, timeout=20).query("SELECT ?x {}")["results"]["bindings"] == []
    assert time.monotonic() - t0 < GENEROUS


def test_a_400_is_a_query_error_with_the_servers_line(stub: Stub) -> None:
    def respond(handler: BaseHTTPRequestHandler, seen: Seen) -> None:
        _answer(handler, 400, b"Parser error at 2:7: expected a variable", "text/plain")

    stub.respond = respond
    with pytest.raises(QueryError) as err:
        RemoteEndpoint(stub.url).query("SELECT ?x WHERE {\n  ?x }")
    assert err.value.line == 2 and err.value.column == 7
    assert "HTTP 400" in str(err.value)


def test_an_html_error_page_is_reduced_to_its_text(stub: Stub) -> None:
    def respond(handler: BaseHTTPRequestHandler, seen: Seen) -> None:
        _answer(handler, 500, b"<html><head><title>x</title></head><body>\n<h1>Virtuoso 42000 Error</h1></body></html>",
                "text/html")

    stub.respond = respond
    with pytest.raises(EndpointError, match=r"^HTTP 500 from http://127.0.0.1:\d+/sparql: Virtuoso 42000 Error$"):
        RemoteEndpoint(stub.url).ask("ASK {}")


def test_a_partial_answer_is_an_error_not_a_short_answer(stub: Stub) -> None:
    def respond(handler: BaseHTTPRequestHandler, seen: Seen) -> None:
        _answer(handler, 200, NO_ROWS, extra={"X-SQL-State": "S1TAT", "X-SQL-Message": "RC...: Returning incomplete "
                                                                                         "results, query interrupted"})

    stub.respond = respond
    with pytest.raises(EndpointError, match="partial answer.*incomplete results"):
        RemoteEndpoint(stub.url).query("SELECT ?x {}")


def test_a_redirect_is_followed(stub: Stub) -> None:
    def respond(handler: BaseHTTPRequestHandler, seen: Seen) -> None:
        if seen.path == "/old":
            _answer(handler, 301, b"", "text/plain", {"Location": "/sparql"})
        else:
            _answer(handler, 200, ASK_TRUE)

    stub.respond = respond
    assert RemoteEndpoint(stub.base + "/old").ask("ASK {}") is True
    assert [r.path for r in stub.requests] == ["/old", "/sparql"]


# -- the Graph Store Protocol upload ----------------------------------------------------------------------


def test_an_upload_ends_when_the_server_has_answered_though_it_keeps_the_connection(stub: Stub,
                                                                                    built_store: Path) -> None:
    from peelgraph.store.oxigraph import ensure_store

    def respond(handler: BaseHTTPRequestHandler, seen: Seen) -> None:
        # Virtuoso: 201 with a body it never finishes and a connection it keeps open
        handler.send_response(201)
        handler.send_header("Content-Type", "text/html; charset=UTF-8")
        handler.send_header("Connection", "Keep-Alive")
        handler.send_header("Content-Length", "100")
        handler.end_headers()
        handler.wfile.write(b"<html>")
        handler.wfile.flush()
        stub.release.wait(60)

    stub.respond = respond
    nquads = ensure_store(built_store).nquads
    t0 = time.monotonic()
    n = push(nquads, stub.base + "/sparql-graph-crud", timeout=30)
    assert time.monotonic() - t0 < GENEROUS
    assert n == len(nquads.read_text(encoding="utf-8").splitlines())
    (put,) = stub.requests
    assert put.method == "PUT" and put.headers["content-type"] == "text/turtle; charset=utf-8"
    assert put.query == {"graph": ["https://w3id.org/peelgraph/id/report/warwickshire-police-effectiveness-2016"]}
    assert len(put.body.decode("utf-8").splitlines()) == n


def test_a_write_refused_before_the_body_is_read_reports_the_servers_answer(stub: Stub, tmp_path: Path) -> None:
    nquads = tmp_path / "graph.nq"
    with nquads.open("w", encoding="utf-8") as f:
        for i in range(remote.CHUNK):
            f.write(f"<http://e/s{i}> <http://e/p> \"{'x' * 200}\" <http://e/g> .\n")

    def respond(handler: BaseHTTPRequestHandler, seen: Seen) -> None:
        _answer(handler, 413, b"Request Entity Too Large", "text/plain", {"Connection": "close"})
        handler.close_connection = True

    respond.read_body = False  # type: ignore[attr-defined]
    stub.respond = respond
    with pytest.raises(EndpointError, match=r"^HTTP 413 from .*/store: Request Entity Too Large; nothing was written$"):
        push(nquads, stub.base + "/store", timeout=30)


# -- answers of the wrong shape, and a push that fails half way ----------------------------------------------


@pytest.mark.parametrize("body", [
    b'{"boolean": "yes"}',
    b'{"head": {"vars": ["x"]}}',
    b'{"head": {"vars": ["x"]}, "results": {"bindings": {"x": 1}}}',
    b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"value": "no type"}}]}}',
    b'{"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "uri", "value": 5}}]}}',
    b'[1, 2, 3]',
])
def test_an_answer_of_the_wrong_shape_is_a_clear_error(stub: Stub, body: bytes) -> None:
    def respond(handler: BaseHTTPRequestHandler, seen: Seen) -> None:
        _answer(handler, 200, body, "application/sparql-results+json")

    stub.respond = respond
    endpoint = RemoteEndpoint(stub.url)
    with pytest.raises(EndpointError, match="did not answer with SPARQL results JSON"):
        endpoint.ask("ASK {}") if b"boolean" in body else endpoint.query("SELECT ?x WHERE { ?x ?p ?o }")


def test_a_push_that_fails_at_its_second_graph_says_the_first_is_written(stub: Stub, tmp_path: Path) -> None:
    nquads = tmp_path / "graph.nq"
    nquads.write_text('<http://e/s> <http://e/p> "a" <http://e/g1> .\n'
                      '<http://e/s> <http://e/p> "b" <http://e/g2> .\n', encoding="utf-8")

    def respond(handler: BaseHTTPRequestHandler, seen: Seen) -> None:
        if "e%2Fg2" in handler.path or "e/g2" in urllib.parse.unquote(handler.path):
            _answer(handler, 500, b"disk full", "text/plain")
        else:
            _answer(handler, 204, b"", "text/plain")

    stub.respond = respond
    with pytest.raises(EndpointError, match=r"already written: 1 graph\(s\) \(<http://e/g1>\), the rest not"):
        push(nquads, stub.base + "/store", timeout=30)
