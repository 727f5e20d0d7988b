"""Remote SPARQL 1.1 endpoints: run peelgraph's queries there, and push the graph there.

Any SPARQL 1.1 server works (Oxigraph server, Apache Jena Fuseki, GraphDB, Virtuoso, Amazon
Neptune). Only the standard library is used (``urllib``).

Queries (``--endpoint URL``) follow the SPARQL 1.1 Protocol: a POST whose body is the query
(``Content-Type: application/sparql-query``), asking for
``application/sparql-results+json`` (``application/n-triples`` for CONSTRUCT and DESCRIBE):
:class:`RemoteEndpoint` is a :class:`~peelgraph.store.backend.Backend`. Any query string in the URL is kept, so
server-specific options travel in it.

Writes (``peelgraph push``) follow the SPARQL 1.1 Graph Store Protocol: each report's named
graph is sent to ``STORE?graph=IRI`` (the first chunk with PUT, which replaces the graph, the
rest with POST), as N-Triples labelled ``text/turtle`` (N-Triples is Turtle, and every
server accepts Turtle; blank nodes would not survive the split into requests, and peelgraph's
graph has none). ``graph=`` puts every triple into that one named graph;
``graph=DEFAULT_GRAPH`` into the default graph (``STORE?default``).

Endpoint URLs:

============== ================================== =====================================
server         query endpoint (``--endpoint``)    graph store (``--store-url``)
============== ================================== =====================================
Oxigraph       ``http://host:7878/query``         ``http://host:7878/store`` (derived)
Fuseki         ``http://host:3030/DS/query``      ``http://host:3030/DS/data``
GraphDB/RDF4J  ``http://host:7200/repositories/R`` ``.../repositories/R/rdf-graphs/service``
                                                   (derived)
Virtuoso       ``http://host:8890/sparql``        ``http://host:8890/sparql-graph-crud-auth``
Neptune        ``https://host:8182/sparql``       ``https://host:8182/sparql/gsp/``
============== ================================== =====================================

The store URL is derived from the query URL for Oxigraph (``/query`` becomes ``/store``),
Fuseki (``/DS/query`` or ``/DS/sparql`` becomes ``/DS/data``) and RDF4J/GraphDB; for the
others give ``--store-url``.

The union of the report graphs: peelgraph's queries expect the default graph to be the
union of the named graphs, as on the embedded store. GraphDB, Virtuoso and Neptune query
the union by default. Start Oxigraph with ``oxigraph serve --union-default-graph`` (or add
``?union-default-graph`` to the query URL); for Fuseki set ``tdb2:unionDefaultGraph true``.
Or push with ``--graph default``, which needs no server setting. :func:`sees_the_graph`
checks that queries see what was pushed.

Example:
    >>> derive_store_url("http://127.0.0.1:7878/query")
    'http://127.0.0.1:7878/store'
    >>> derive_store_url("http://localhost:3030/peel/sparql")
    'http://localhost:3030/peel/data'
    >>> derive_store_url("http://localhost:7200/repositories/peel")
    'http://localhost:7200/repositories/peel/rdf-graphs/service'
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from peelgraph.errors import EndpointError, QueryError, StoreError
from peelgraph.store.backend import ResultsJSON, query_form, sorted_ntriples

__all__ = ["RemoteEndpoint", "Pushed", "push", "push_graph", "derive_store_url", "sees_the_graph", "DEFAULT_GRAPH",
           "CHUNK"]

DEFAULT_GRAPH = "default"
"""``push(..., graph=DEFAULT_GRAPH)`` writes into the endpoint's default graph."""

CHUNK = 100_000
"""Triples per Graph Store Protocol request."""

_USER_AGENT = "peelgraph (SPARQL 1.1 Protocol client)"


def _reason(exc: urllib.error.HTTPError) -> str:
    try:
        body = exc.read().decode("utf-8", "replace").strip()
    except OSError:
        body = ""
    line = next((ln.strip() for ln in body.splitlines() if ln.strip()), "") or str(exc.reason)
    line = re.sub(r"<[^>]+>", " ", line).strip()  # an HTML error page: its text
    return line[:300]


def _open(req: urllib.request.Request, url: str, timeout: float) -> bytes:
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            data: bytes = resp.read()
            return data
    except urllib.error.HTTPError as exc:
        raise EndpointError(f"HTTP {exc.code} from {url}: {_reason(exc)}") from None
    except TimeoutError:
        raise EndpointError(f"no answer from {url} within {timeout:g} s") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise EndpointError(f"no answer from {url} within {timeout:g} s") from None
        reason = exc.reason.strerror if isinstance(exc.reason, OSError) and exc.reason.strerror else exc.reason
        raise EndpointError(f"cannot reach {url}: {reason}") from None
    except (OSError, ValueError) as exc:
        raise EndpointError(f"cannot reach {url}: {exc}") from None


class RemoteEndpoint:
    """A SPARQL 1.1 query endpoint as a :class:`~peelgraph.store.backend.Backend`.

    Each query is one POST (the SPARQL 1.1 Protocol); answers are asked for as SPARQL
    results JSON (SELECT, ASK) or N-Triples (CONSTRUCT, DESCRIBE). An HTTP 400 is a
    malformed query (:class:`~peelgraph.errors.QueryError`, with the line and column the
    server gives); anything else that goes wrong is an :class:`~peelgraph.errors.EndpointError`.

    Raises:
        EndpointError: the URL is not an http(s) URL.
    """

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise EndpointError(f"not an http(s) URL: {url!r}")
        self.url = url
        self.timeout = timeout
        self.name = f"the SPARQL endpoint {url}"

    def query(self, text: str) -> ResultsJSON:
        """POST a SELECT query; SPARQL 1.1 Query Results JSON back."""
        data = self._results(text)
        if "results" not in data:
            raise QueryError("not a SELECT query (the endpoint answered with a boolean)")
        return data

    def ask(self, text: str) -> bool:
        """POST an ASK query."""
        data = self._results(text)
        if "boolean" not in data:
            raise QueryError("not an ASK query (the endpoint answered with solutions)")
        return bool(data["boolean"])

    def construct(self, text: str) -> str:
        """POST a CONSTRUCT query; sorted N-Triples back."""
        return self._triples(text, "CONSTRUCT")

    def describe(self, text: str) -> str:
        """POST a DESCRIBE query; sorted N-Triples back."""
        return self._triples(text, "DESCRIBE")

    def close(self) -> None:
        """Nothing to let go of: each query is its own HTTP request."""

    def _post(self, text: str, accept: str) -> bytes:
        req = urllib.request.Request(self.url, data=text.encode("utf-8"), method="POST", headers={
            "Content-Type": "application/sparql-query; charset=utf-8",
            "Accept": accept,
            "User-Agent": _USER_AGENT,
        })
        try:
            return _open(req, self.url, self.timeout)
        except EndpointError as exc:
            if exc.message.startswith("HTTP 400 "):
                raise _query_error(exc.message) from None
            raise

    def _results(self, text: str) -> ResultsJSON:
        body = self._post(text, "application/sparql-results+json")
        try:
            data: ResultsJSON = json.loads(body)
        except ValueError:
            raise EndpointError(f"{self.url} did not answer with SPARQL results JSON") from None
        if not isinstance(data, dict) or not ("boolean" in data or "results" in data):
            raise EndpointError(f"{self.url} did not answer with SPARQL results JSON")
        return data

    def _triples(self, text: str, form: str) -> str:
        if query_form(text) != form:
            raise QueryError(f"not a {form} query")
        body = self._post(text, "application/n-triples")
        try:
            return sorted_ntriples(body.decode("utf-8"))
        except UnicodeDecodeError:
            raise EndpointError(f"{self.url} did not answer with N-Triples") from None

    def __repr__(self) -> str:
        return f"RemoteEndpoint({self.url!r})"


def _query_error(message: str) -> QueryError:
    m = re.search(r"error at (\d+):(\d+)", message)
    if m:
        return QueryError(f"malformed query ({message})", line=int(m.group(1)), column=int(m.group(2)))
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
        req = urllib.request.Request(url, data=body.encode("utf-8"), method=method, headers={
            "Content-Type": "text/turtle; charset=utf-8", "User-Agent": _USER_AGENT})
        _open(req, store_url, timeout)
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
               timeout: float = 300.0) -> Pushed:
    """Push a graph.nq file to the server of a query endpoint (its store URL derived when not
    given, see :func:`derive_store_url`), then check that its queries see it.

    Raises:
        EndpointError: a URL is wrong, the server refused a write or could not be reached.
        StoreError: the graph file cannot be read.
    """
    remote = RemoteEndpoint(endpoint, timeout=timeout)
    target = store_url or derive_store_url(endpoint)
    n = push(nquads_path, target, graph=graph, timeout=timeout)
    return Pushed(n, target, sees_the_graph(remote))
