"""Remote SPARQL 1.1 endpoints: run peelgraph's queries there, and push the graph there.

Any SPARQL 1.1 server works (Oxigraph server, Apache Jena Fuseki, GraphDB, Virtuoso, Amazon
Neptune). Only the standard library is used (``http.client``).

Queries (``--endpoint URL``) follow the SPARQL 1.1 Protocol as servers speak it:
:class:`RemoteEndpoint` is a :class:`~peelgraph.store.backend.Backend` that sends a query as
a GET (``?query=...``) while the whole URL stays within :data:`GET_LIMIT` characters (2,048:
the limit Apache Jena's HTTP client uses; proxies and servers often refuse URLs past 4 or 8 KB),
and as a form-encoded POST (``Content-Type: application/x-www-form-urlencoded``, body
``query=...``) when it is longer, as SPARQLWrapper and rdflib's SPARQLStore can be told to.
Every server answers those two forms; the direct POST (``Content-Type:
application/sparql-query``) is an option (``method="direct"``, ``--endpoint-method direct``):
Virtuoso 7.2 never answers it. Answers are asked for as ``application/sparql-results+json``
(``application/n-triples`` for CONSTRUCT and DESCRIBE). Any query string in the URL is kept,
so server-specific options travel in it.

Every request has one deadline, ``timeout`` seconds (``--timeout``) for connecting, sending
and reading the whole answer, whatever the server does (a server that trickles its answer is
cut off too); an answer is read to at most ``max_bytes`` (:data:`MAX_ANSWER_BYTES`), past
which the query is an error, never a memory exhaustion. Each request asks the server to
close the connection, and an answer is read by its ``Content-Length`` (or chunks), so a
server that keeps connections open (Virtuoso) does not hold peelgraph.

Writes (``peelgraph push``) follow the SPARQL 1.1 Graph Store Protocol: each report's named
graph is sent to ``STORE?graph=IRI`` (the first chunk with PUT, which replaces the graph, the
rest with POST), as N-Triples labelled ``text/turtle`` (N-Triples is Turtle, and every
server accepts Turtle; blank nodes would not survive the split into requests, and peelgraph's
graph has none). ``graph=`` puts every triple into that one named graph;
``graph=DEFAULT_GRAPH`` into the default graph (``STORE?default``). A request is done when
the server has sent its status line and headers: the body of a success is not waited for.

Endpoint URLs:

============== ================================== =====================================
server         query endpoint (``--endpoint``)    graph store (``--store-url``)
============== ================================== =====================================
Oxigraph       ``http://host:7878/query``         ``http://host:7878/store`` (derived)
Fuseki         ``http://host:3030/DS/query``      ``http://host:3030/DS/data`` (derived)
GraphDB/RDF4J  ``http://host:7200/repositories/R`` ``.../repositories/R/rdf-graphs/service``
                                                   (derived)
Virtuoso       ``http://host:8890/sparql``        ``http://host:8890/sparql-graph-crud``
                                                   (derived; needs the grants in the README)
Neptune        ``https://host:8182/sparql``       ``https://host:8182/sparql/gsp/`` (give it)
============== ================================== =====================================

The default graph: peelgraph's queries expect the default graph to be the union of the
report graphs with each triple once, as on the embedded store. Servers' own unions count a
triple shared by several graphs more than once (Virtuoso queries every graph it holds, its
system graphs included, when a query names none; Oxigraph's ``--union-default-graph`` repeats
rows on a corpus), so a corpus goes into one graph: ``--graph default`` (Oxigraph, Fuseki,
GraphDB), or ``--graph IRI`` queried with ``?default-graph-uri=IRI`` in the endpoint URL
(Virtuoso). One graph per report (the default) is exact for one report. The README's guide
has the details; :func:`sees_the_graph` checks that queries see what was pushed.

Example:
    >>> derive_store_url("http://127.0.0.1:7878/query")
    'http://127.0.0.1:7878/store'
    >>> derive_store_url("http://localhost:3030/peel/sparql")
    'http://localhost:3030/peel/data'
    >>> derive_store_url("http://localhost:7200/repositories/peel")
    'http://localhost:7200/repositories/peel/rdf-graphs/service'
    >>> derive_store_url("http://localhost:8890/sparql")
    'http://localhost:8890/sparql-graph-crud'
    >>> RemoteEndpoint("http://localhost:8890/sparql").request_method("ASK {}")
    'GET'
    >>> RemoteEndpoint("http://localhost:8890/sparql").request_method("ASK {}" + " " * GET_LIMIT)
    'POST (form)'
"""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import time
import urllib.parse
from collections.abc import Callable, Iterator
from email.message import Message
from pathlib import Path
from typing import NamedTuple

from peelgraph.errors import EndpointError, QueryError, StoreError
from peelgraph.store.backend import ResultsJSON, query_form, sorted_ntriples

__all__ = ["RemoteEndpoint", "Pushed", "push", "push_graph", "derive_store_url", "sees_the_graph", "DEFAULT_GRAPH",
           "CHUNK", "GET_LIMIT", "MAX_ANSWER_BYTES", "METHODS"]

DEFAULT_GRAPH = "default"
"""``push(..., graph=DEFAULT_GRAPH)`` writes into the endpoint's default graph."""

CHUNK = 100_000
"""Triples per Graph Store Protocol request."""

GET_LIMIT = 2048
"""The longest URL (in characters, the query percent-encoded) sent as a GET; longer queries are
form-encoded POSTs."""

MAX_ANSWER_BYTES = 256 * 1024 * 1024
"""The largest answer read from an endpoint (256 MiB); a larger one is an error."""

METHODS = ("auto", "get", "form", "direct")
"""How queries are sent: ``auto`` (GET up to :data:`GET_LIMIT`, else a form-encoded POST),
always ``get``, always a ``form``-encoded POST, or a ``direct`` POST of the query text."""

_ERROR_BODY_BYTES = 64 * 1024
_REDIRECTS = 5
_USER_AGENT = "peelgraph (SPARQL 1.1 Protocol client)"


class _Reply(NamedTuple):
    status: int
    headers: Message
    body: bytes


def _error_line(body: bytes, fallback: str) -> str:
    """The first line of an error body (an HTML error page: its text), at most 300 characters."""
    text = body.decode("utf-8", "replace")
    text = re.sub(r"(?is)<(script|style|head)\b.*?</\1>", " ", text)
    for raw in text.splitlines():
        line = re.sub(r"<[^>]+>", " ", raw)
        line = re.sub(r"\s+", " ", line).strip()
        if line:
            return line[:300]
    return fallback


def _read(resp: http.client.HTTPResponse, set_timeout: Callable[[], None], limit: int, url: str,
          truncate: bool) -> bytes:
    """The body of ``resp``, at most ``limit`` bytes (more: an error, or cut when ``truncate``)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        set_timeout()
        chunk = resp.read1(65536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            if truncate:
                chunks.append(chunk[: len(chunk) - (size - limit)])
                return b"".join(chunks)
            raise EndpointError(f"the answer from {url} is larger than {limit / 2**20:g} MiB, the most peelgraph "
                                "reads; narrow the query (a LIMIT, a --report)")
        chunks.append(chunk)


def _exchange(method: str, url: str, *, body: bytes | None, headers: dict[str, str], timeout: float,
              limit: int = MAX_ANSWER_BYTES, read: bool = True) -> _Reply:
    """One HTTP request with one deadline (``timeout`` seconds for connecting, sending and
    reading); redirects followed. The body is read (to ``limit`` bytes) when ``read`` or when
    the status is an error; otherwise the exchange ends with the status line and headers.

    Raises:
        EndpointError: the server cannot be reached, does not answer in time, breaks off its
            answer, answers past ``limit``, or answers with an HTTP error.
    """
    deadline = time.monotonic() + timeout
    for _ in range(_REDIRECTS + 1):
        reply = _exchange_once(method, url, body, headers, deadline, timeout, limit, read)
        location = reply.headers.get("Location")
        if reply.status in (301, 302, 303, 307, 308) and location:
            target = urllib.parse.urljoin(url, location)
            if reply.status in (307, 308) or method in ("GET", "HEAD"):
                url = target
                continue
            raise EndpointError(f"HTTP {reply.status} from {url}: moved to {target}; give that URL")
        if reply.status >= 400:
            raise EndpointError(f"HTTP {reply.status} from {url}: "
                                f"{_error_line(reply.body, http.client.responses.get(reply.status, 'error'))}")
        return reply
    raise EndpointError(f"{url}: more than {_REDIRECTS} redirects")


def _exchange_once(method: str, url: str, body: bytes | None, headers: dict[str, str], deadline: float,
                   timeout: float, limit: int, read: bool) -> _Reply:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise EndpointError(f"not an http(s) URL: {url!r}")

    def left() -> float:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        return remaining

    conn_cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    conn: http.client.HTTPConnection | None = None
    try:
        conn = conn_cls(parts.hostname, parts.port, timeout=left())
        conn.connect()
        sock = conn.sock
        assert sock is not None

        def set_timeout() -> None:
            sock.settimeout(left())

        set_timeout()
        # a server may answer (and stop reading) before it has the whole body: its answer is read all the same
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            conn.request(method, target, body=body, headers={
                **headers, "User-Agent": _USER_AGENT, "Connection": "close"})
        set_timeout()
        resp = conn.getresponse()
        status = resp.status
        data = b""
        if status >= 400:
            data = _read(resp, set_timeout, _ERROR_BODY_BYTES, url, truncate=True)
        elif read and status < 300:
            data = _read(resp, set_timeout, limit, url, truncate=False)
        return _Reply(status, resp.headers, data)
    except TimeoutError:
        raise EndpointError(f"no answer from {url} within {timeout:g} s (raise it with --timeout)") from None
    except http.client.HTTPException as exc:
        raise EndpointError(f"{url} broke off its answer: {type(exc).__name__} {exc}".rstrip()) from None
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        raise EndpointError(f"cannot reach {url}: {reason}") from None
    finally:
        if conn is not None:
            conn.close()


class RemoteEndpoint:
    """A SPARQL 1.1 query endpoint as a :class:`~peelgraph.store.backend.Backend`.

    Each query is one request (GET or form-encoded POST by its length, see :data:`METHODS`)
    with one deadline of ``timeout`` seconds; answers are asked for as SPARQL results JSON
    (SELECT, ASK) or N-Triples (CONSTRUCT, DESCRIBE) and read to at most ``max_bytes`` (None:
    :data:`MAX_ANSWER_BYTES`). An
    HTTP 400 is a malformed query (:class:`~peelgraph.errors.QueryError`, with the line and
    column the server gives); anything else that goes wrong is an
    :class:`~peelgraph.errors.EndpointError`, and so is an answer the server marks as partial
    (Virtuoso's ``X-SQL-State: S1TAT``, its own time limit).

    Raises:
        EndpointError: the URL is not an http(s) URL, or the method is unknown.
    """

    def __init__(self, url: str, timeout: float = 30.0, method: str = "auto", max_bytes: int | None = None) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise EndpointError(f"not an http(s) URL: {url!r}")
        if method not in METHODS:
            raise EndpointError(f"unknown request method {method!r} (one of {', '.join(METHODS)})")
        self.url = url
        self.timeout = timeout
        self.method = method
        self.max_bytes = max_bytes if max_bytes is not None else MAX_ANSWER_BYTES
        self.name = f"the SPARQL endpoint {url}"

    def query(self, text: str) -> ResultsJSON:
        """Run a SELECT query; SPARQL 1.1 Query Results JSON back."""
        data = self._results(text)
        if "results" not in data:
            raise QueryError("not a SELECT query (the endpoint answered with a boolean)")
        return data

    def ask(self, text: str) -> bool:
        """Run an ASK query."""
        data = self._results(text)
        if "boolean" not in data:
            raise QueryError("not an ASK query (the endpoint answered with solutions)")
        return bool(data["boolean"])

    def construct(self, text: str) -> str:
        """Run a CONSTRUCT query; sorted N-Triples back."""
        return self._triples(text, "CONSTRUCT")

    def describe(self, text: str) -> str:
        """Run a DESCRIBE query; sorted N-Triples back."""
        return self._triples(text, "DESCRIBE")

    def close(self) -> None:
        """Nothing to let go of: each query is its own HTTP request."""

    def request_method(self, text: str) -> str:
        """How ``text`` is sent: ``GET``, ``POST (form)`` or ``POST (direct)``."""
        return self._request(text)[0]

    def _request(self, text: str) -> tuple[str, str, bytes | None, dict[str, str]]:
        """``(label, URL, body, headers)`` of the request that carries ``text``."""
        encoded = urllib.parse.urlencode({"query": text}, quote_via=urllib.parse.quote)
        if self.method in ("auto", "get"):
            sep = "&" if urllib.parse.urlsplit(self.url).query else "?"
            url = self.url + sep + encoded
            if self.method == "get" or len(url) <= GET_LIMIT:
                return "GET", url, None, {}
        if self.method == "direct":
            return "POST (direct)", self.url, text.encode("utf-8"), {
                "Content-Type": "application/sparql-query; charset=utf-8"}
        return "POST (form)", self.url, encoded.encode("ascii"), {
            "Content-Type": "application/x-www-form-urlencoded"}

    def _send(self, text: str, accept: str) -> bytes:
        label, url, body, headers = self._request(text)
        try:
            reply = _exchange(label.split()[0], url, body=body, headers={**headers, "Accept": accept},
                              timeout=self.timeout, limit=self.max_bytes)
        except EndpointError as exc:
            message = exc.message.replace(url, self.url)
            if message.startswith("HTTP 400 "):
                raise _query_error(message) from None
            raise EndpointError(message) from None
        state = reply.headers.get("X-SQL-State", "")
        if state.startswith("S1TAT"):
            raise EndpointError(f"{self.url} gave a partial answer: the server's own time limit cut the query "
                                f"short ({reply.headers.get('X-SQL-Message', state)})")
        return reply.body

    def _results(self, text: str) -> ResultsJSON:
        body = self._send(text, "application/sparql-results+json")
        try:
            data: ResultsJSON = json.loads(body)
        except ValueError:
            raise EndpointError(f"{self.url} did not answer with SPARQL results JSON") from None
        problem = _results_problem(data)
        if problem:
            raise EndpointError(f"{self.url} did not answer with SPARQL results JSON: {problem}")
        for row in data.get("results", {}).get("bindings", []):
            for term in row.values():  # the 2007 draft's "typed-literal" (Virtuoso) is a "literal" in SPARQL 1.1
                if term["type"] == "typed-literal":
                    term["type"] = "literal"
        return data

    def _triples(self, text: str, form: str) -> str:
        if query_form(text) != form:
            raise QueryError(f"not a {form} query")
        body = self._send(text, "application/n-triples")
        try:
            return sorted_ntriples(body.decode("utf-8"))
        except UnicodeDecodeError:
            raise EndpointError(f"{self.url} did not answer with N-Triples") from None

    def __repr__(self) -> str:
        return f"RemoteEndpoint({self.url!r})"


def _query_error(message: str) -> QueryError:
    m = re.search(r"error at (\d+):(\d+)", message)  # Oxigraph
    if m:
        return QueryError(f"malformed query ({message})", line=int(m.group(1)), column=int(m.group(2)))
    m = re.search(r"SPARQL compiler, line (\d+):", message)  # Virtuoso
    if m:
        return QueryError(f"malformed query ({message})", line=int(m.group(1)))
    return QueryError(f"the endpoint refused the query ({message})")


def derive_store_url(endpoint: str) -> str:
    """The Graph Store Protocol URL that goes with a query endpoint URL (see the table above).

    Raises:
        EndpointError: the convention is unknown; give the store URL explicitly.
    """
    parts = urllib.parse.urlsplit(endpoint)
    path = parts.path.rstrip("/")
    if re.search(r"/repositories/[^/]+$", path):
        new = path + "/rdf-graphs/service"
    elif path == "/sparql":
        new = "/sparql-graph-crud"  # Virtuoso: /sparql and /sparql-graph-crud at the root
    elif path.endswith("/query") and path.count("/") == 1:
        new = path[: -len("query")] + "store"  # Oxigraph: /query and /store at the root
    elif re.search(r"/[^/]+/(query|sparql)$", path):
        new = path.rsplit("/", 1)[0] + "/data"  # Fuseki: /DATASET/query and /DATASET/data
    else:
        raise EndpointError(f"cannot tell the graph store URL for {endpoint}; give it with --store-url")
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, new, "", ""))


def _graph_chunks(nquads: Path, graph: str | None) -> Iterator[tuple[str | None, str]]:
    """``(graph IRI or None for the default graph, N-Triples text)`` chunks, per target graph."""
    import pyoxigraph as ox

    try:
        quads = ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        groups: dict[str | None, list[str]] = {}
        for q in quads:
            if graph == DEFAULT_GRAPH:
                key: str | None = None
            elif graph is not None:
                key = graph
            else:
                key = q.graph_name.value if isinstance(q.graph_name, ox.NamedNode) else None
            groups.setdefault(key, []).append(f"{q.subject} {q.predicate} {q.object} .\n")
    except OSError as exc:
        raise StoreError(f"cannot read the graph: {exc.strerror or exc}", path=str(nquads)) from None
    except SyntaxError as exc:
        raise StoreError(f"cannot parse the graph: {exc}", path=str(nquads)) from None
    for key in sorted(groups, key=lambda k: (k is not None, k or "")):
        lines = groups[key]
        for i in range(0, len(lines), CHUNK):
            yield key, "".join(lines[i: i + CHUNK])


_TERM_TYPES = ("uri", "literal", "typed-literal", "bnode", "triple")


def _results_problem(data: object) -> str | None:
    """What is wrong with a SPARQL 1.1 Query Results JSON document, or None when its shape is right: a
    ``boolean`` that is a JSON true or false, or ``head.vars`` (strings) with ``results.bindings``, a list
    of objects whose values are terms with a known ``type`` and a string ``value``.

    Example:
        >>> _results_problem({"boolean": "yes"})
        'boolean is not true or false'
        >>> _results_problem({"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "uri", "value": "u"}}]}})
    """
    if not isinstance(data, dict):
        return "not a JSON object"
    if "boolean" in data:
        return None if isinstance(data["boolean"], bool) else "boolean is not true or false"
    head, results = data.get("head"), data.get("results")
    if not isinstance(head, dict) or not isinstance(head.get("vars", []), list) or \
            not all(isinstance(v, str) for v in head.get("vars", [])):
        return "no head with a list of variable names"
    if not isinstance(results, dict) or not isinstance(results.get("bindings"), list):
        return "no results with a list of bindings"
    for row in results["bindings"]:
        if not isinstance(row, dict):
            return "a binding is not an object"
        for term in row.values():
            if not isinstance(term, dict) or term.get("type") not in _TERM_TYPES or \
                    not isinstance(term.get("value"), str):
                return "a bound value is not a term with a type and a string value"
    return None


def push(nquads_path: str | Path, store_url: str, graph: str | None = None, timeout: float = 300.0) -> int:
    """Load a graph.nq file into a Graph Store Protocol endpoint; the number of triples sent.

    Each report's named graph goes to its own graph IRI (replacing what was there), unless
    ``graph`` names one graph IRI for everything, or is :data:`DEFAULT_GRAPH`.

    Raises:
        EndpointError: the server refused a write or could not be reached.
        StoreError: the graph file cannot be read.
    """
    if graph not in (None, DEFAULT_GRAPH) and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]*$",
                                                            str(graph)):
        raise EndpointError(f"not an absolute IRI: {graph!r}")
    base = urllib.parse.urlsplit(store_url)
    if base.scheme not in ("http", "https") or not base.netloc:
        raise EndpointError(f"not an http(s) URL: {store_url!r}")
    sent = 0
    started: set[str | None] = set()
    for key, body in _graph_chunks(Path(nquads_path), graph):
        target = "default" if key is None else "graph=" + urllib.parse.quote(key, safe="")
        url = store_url + ("&" if base.query else "?") + target
        method = "POST" if key in started else "PUT"
        started.add(key)
        try:
            _exchange(method, url, body=body.encode("utf-8"), headers={"Content-Type": "text/turtle; charset=utf-8"},
                      timeout=timeout, read=False)
        except EndpointError as exc:
            done = sorted("the default graph" if k is None else f"<{k}>" for k in started - {key})
            written = (f"; already written: {len(done)} graph(s) ({', '.join(done[:3])}"
                       f"{', ...' if len(done) > 3 else ''}), the rest not" if done else "; nothing was written")
            raise EndpointError(exc.message.replace(url, store_url) + written) from None
        sent += body.count("\n")
    return sent


def sees_the_graph(endpoint: RemoteEndpoint) -> bool:
    """True when queries at the endpoint see at least one inspection report (the union is set up)."""
    from peelgraph.resources import prologue

    return endpoint.ask(prologue() + "ASK { ?r a pg:InspectionReport }")


class Pushed(NamedTuple):
    """What :func:`push_graph` did: ``triples`` sent to ``store_url``, and whether queries at the
    endpoint now see the graph (``visible``; False means the union is not set up)."""

    triples: int
    store_url: str
    visible: bool


def push_graph(nquads_path: str | Path, endpoint: str, store_url: str | None = None, graph: str | None = None,
               timeout: float = 300.0, method: str = "auto") -> Pushed:
    """Push a graph.nq file to the server of a query endpoint (its store URL derived when not
    given, see :func:`derive_store_url`), then check that its queries see it (one query, sent
    by ``method``, see :data:`METHODS`). ``timeout`` bounds each HTTP request.

    Raises:
        EndpointError: a URL is wrong, the server refused a write or could not be reached.
        StoreError: the graph file cannot be read.
    """
    remote = RemoteEndpoint(endpoint, timeout=timeout, method=method)
    target = store_url or derive_store_url(endpoint)
    n = push(nquads_path, target, graph=graph, timeout=timeout)
    return Pushed(n, target, sees_the_graph(remote))
