"""``peelgraph serve``: a read-only SPARQL 1.1 Protocol endpoint over the store, and the explorer.

Routes:

=================== ======================================================================
``GET /``           the HTML partner-network explorer (:func:`peelgraph.show.explorer.render_html`)
``GET /query``      ``?query=...`` (``/sparql`` is the same endpoint); without a query, the
                    SPARQL 1.1 Service Description (Turtle, or another RDF format by ``Accept``)
``GET /sparql``     the same endpoint; but without a query, for a client that prefers
                    ``text/html`` (a browser), the SPARQL query page (YASGUI, offline:
                    :func:`peelgraph.serve.pages.sparql_page`)
``POST /query``     body ``application/sparql-query``, or ``application/x-www-form-urlencoded``
                    with ``query=...``
``OPTIONS /query``  a CORS preflight: every answer allows any origin (the endpoint is read-only
                    and takes no credentials), so browser tools such as YASGUI can query it
``GET /queries``    the canned query catalogue: JSON, or an HTML list
``GET /queries/N``  the canned query ``N`` run with ``?param=value`` (bound as ``peelgraph
                    query N -p param=value`` binds them), answered in JSON (columns, and rows
                    as objects), CSV or an HTML table; the format by ``?_format=json|csv|html``,
                    a ``.json``/``.csv``/``.html`` suffix, or ``Accept`` (JSON by default).
                    Unknown query 404; a parameter missing, unexpected or naming no entity
                    400, with the command line's message (and close names)
``GET /static/F``   the query page's files (YASGUI, vendored; its licences)
=================== ======================================================================

Results by content negotiation on ``Accept``, or by ``format=`` (``output=``), which takes the
names clients send (:func:`peelgraph.serve.worker.format_key`) or a media type and wins over
``Accept``: ``application/sparql-results+json`` (the default), ``application/sparql-results+xml``,
``text/csv``, ``text/tab-separated-values``; CONSTRUCT and DESCRIBE give ``text/turtle`` (the
default), ``application/n-triples``, ``application/rdf+xml``, ``application/ld+json`` or
``application/n-quads`` (there ``format=xml`` and ``format=json``, SPARQLWrapper's defaults, mean
RDF/XML and JSON-LD). Queries see the union of the report graphs unless ``default-graph-uri``
names graphs (then their merge; a name that is no graph of the store is an empty graph), and
``named-graph-uri`` restricts what ``GRAPH`` sees; the peelgraph prefixes (``pg:``, ``skos:``,
``oa:`` ...) are predeclared.

Read-only and bounded:

- SPARQL Update (an ``update=`` field or ``application/sparql-update``) is refused with 403;
  PUT, DELETE and PATCH with 405; ``SERVICE`` (a fetch from another server the client
  names) with 403 unless the server was made with ``allow_service``.
- The parser guard (:mod:`peelgraph.ask.guard`) refuses a query too long, too deep or with
  too many operators for the engine with 400, before the engine sees it; a malformed query
  gets 400 with the parser's message on one line (line and column as the client wrote them).
- Each query runs in a worker process (:mod:`peelgraph.serve.pool`) that is killed at the
  time limit (503 with a message) or past the memory limit (503); a new worker takes its
  place at once. The time limit counts from the request's arrival: waiting for a worker
  counts. When every worker is busy, up to ``queue`` queries wait; beyond, 503 with
  ``Retry-After`` at once.
- Answers are whole: no row limit unless the server was made with ``row_limit``, and then an
  answer of more rows (or triples) is refused with 503 and a message, never cut short.
- A request body is at most :data:`MAX_BODY` bytes: a larger declared body is refused (413)
  without being read, and the connection closed, as after any body left unread, so that
  nothing inside it is taken for a request. A ``Content-Length`` that is not a number is 400.
- Queries run on the store's current generation: when a build swaps in a new one, the
  next query runs on it.

The server binds to 127.0.0.1 unless told otherwise (an IPv6 address such as ``::`` works).

Example:
    >>> import threading, urllib.request, urllib.parse, json
    >>> srv = make_server(_demo_store(), port=0, workers=1)
    >>> t = threading.Thread(target=srv.serve_forever, daemon=True); t.start()
    >>> host, port = srv.server_address[:2]
    >>> q = urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { ?r a pg:InspectionReport }")
    >>> with urllib.request.urlopen(f"http://{host}:{port}/query?query={q}") as resp:
    ...     json.load(resp)["results"]["bindings"][0]["n"]["value"]
    '1'
    >>> srv.shutdown(); srv.server_close()
"""

from __future__ import annotations

import ipaddress
import logging
import os
import re
import socket
import sys
import threading
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from peelgraph.ask.guard import check_query
from peelgraph.errors import QueryError
from peelgraph.serve.pool import Busy, Stopped, WorkerPool
from peelgraph.serve.worker import GRAPH_TYPES, RESULT_TYPES, CannedTask, Task

__all__ = ["make_server", "PeelgraphServer", "is_loopback", "prepare_process", "SWITCH_INTERVAL", "DEFAULT_ROW_LIMIT",
           "DEFAULT_TIMEOUT", "DEFAULT_MEMORY_LIMIT", "DEFAULT_QUEUE", "LISTEN_BACKLOG", "MAX_BODY",
           "RESULT_TYPES", "GRAPH_TYPES"]

DEFAULT_ROW_LIMIT: int | None = None
"""No row limit: answers are whole, bounded by the time and memory limits."""
DEFAULT_TIMEOUT = 30.0
DEFAULT_MEMORY_LIMIT = 1024
"""MiB a query may use beyond what its worker holds with the store open."""
DEFAULT_QUEUE = 1024
"""Queries that may wait for a worker when every worker is busy."""
LISTEN_BACKLOG = 1024
"""Connections the kernel holds for the server before it accepts them."""
MAX_BODY = 1_000_000
"""Bytes of request body (a query, form-encoded or not)."""
IDLE_TIMEOUT = 60.0
"""Seconds an open connection may stay silent (between requests, or mid-request) before it is closed."""


class HttpError(Exception):
    """An HTTP error answer: status and a one-line message."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}
        self.extra = extra or {}


@dataclass(frozen=True)
class Answer:
    """A query's serialised answer."""

    body: bytes
    content_type: str


def is_loopback(host: str) -> bool:
    """Whether binding ``host`` keeps the endpoint on this machine.

    Example:
        >>> [is_loopback(h) for h in ("127.0.0.1", "::1", "localhost", "0.0.0.0", "::", "192.168.1.5")]
        [True, True, True, False, False, False]
    """
    if host.lower() in ("localhost", "localhost.", "ip6-localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]").split("%")[0]).is_loopback
    except ValueError:
        return False


SWITCH_INTERVAL = 0.05
"""Seconds a Python thread of the server runs before it must hand over the interpreter lock.

Python's default (5 ms) makes a crowd of a thousand request threads spend most of their CPU
handing the lock back and forth: on a busy 2-core machine the first crowd of 1,000 clients
(as bench/serve_limits.py sends it) took 10-14 s of the server's CPU and a p99 of 9-13 s at
5 ms, 2 s of CPU and a p99 of 3-4 s at 50 ms. The server's threads mostly wait on sockets and
pipes (which release the lock), so nothing waits longer for it."""


def prepare_process() -> None:
    """Make this process ready to be the server of a crowd: open files up to the hard limit (each
    client holds one), and a longer interpreter switch interval (:data:`SWITCH_INTERVAL`).
    Process-wide, so for the ``serve`` command's own process, not for a library caller."""
    sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft != resource.RLIM_INFINITY and (hard == resource.RLIM_INFINITY or soft < hard):
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY else 65536, hard))
    except (ImportError, OSError, ValueError):
        pass


class PeelgraphServer(ThreadingHTTPServer):
    """A threading HTTP server: the store's location, the limits and the worker pool."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = LISTEN_BACKLOG

    def __init__(self, address: tuple[str, int], store_path: Path, *, timeout: float, row_limit: int | None,
                 workers: int, queue: int = DEFAULT_QUEUE, memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
                 allow_service: bool = False) -> None:
        self.store_path = store_path
        self.query_timeout = timeout
        self.row_limit = row_limit
        self.allow_service = allow_service
        self._generation = self._current()
        if self._generation is None:
            raise OSError(f"the store at {store_path} holds no graph")
        self._pages: dict[str, tuple[Path, bytes]] = {}
        self._pages_lock = threading.Lock()
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler, bind_and_activate=False)
        try:
            if self.address_family == socket.AF_INET6:
                self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)  # :: takes IPv4 too
            self.server_bind()
            self.server_activate()
        except BaseException:
            self.server_close()
            raise
        self.pool = WorkerPool(self.generation, size=workers, queue=queue,
                               memory_limit=None if memory_limit is None else memory_limit * 1024 * 1024)

    # -- the store's current generation ----------------------------------------------------------------------------

    def _current(self) -> Path | None:
        target = Path(os.path.realpath(self.store_path / "current"))
        return target if (target / "oxigraph").is_dir() else None

    def generation(self) -> Path:
        """The generation ``current`` points at (the last good one while a build swaps it)."""
        gen = self._current()
        if gen is not None:
            self._generation = gen
        return self._generation  # type: ignore[return-value]

    # -- pages and queries -----------------------------------------------------------------------------------------

    def _page(self, name: str) -> bytes:
        """A page made from the current generation, made once per generation: ``explorer`` (the
        HTML explorer) or ``sparql`` (the query page, its examples bound on the store)."""
        gen = self.generation()
        with self._pages_lock:
            cached = self._pages.get(name)
            if cached is None or cached[0] != gen:
                import pyoxigraph as ox

                from peelgraph.serve.pages import examples, sparql_page
                from peelgraph.show.explorer import render_html
                from peelgraph.store.oxigraph import OxigraphBackend

                try:
                    backend = OxigraphBackend(ox.Store.read_only(str(gen / "oxigraph")), f"the store at {gen}")
                    page = render_html(backend).encode("utf-8") if name == "explorer" else \
                        sparql_page(examples(backend))
                except OSError as exc:
                    raise HttpError(503, f"the store is being rebuilt; try again shortly ({exc})",
                                    {"Retry-After": "1"}) from None
                cached = self._pages[name] = (gen, page)
            return cached[1]

    def explorer(self) -> bytes:
        """The HTML explorer of the current generation (built once per generation)."""
        return self._page("explorer")

    def sparql_page(self) -> bytes:
        """The SPARQL query page of the current generation (built once per generation)."""
        return self._page("sparql")

    def run_query(self, text: str, accept: str, fmt: str | None, default_graphs: tuple[str, ...] = (),
                  named_graphs: tuple[str, ...] = ()) -> Answer:
        """Run a query in a worker under the limits; the serialised answer.

        Raises:
            HttpError: 400 malformed or over the guard's limits, 403 SERVICE refused, 406 no
                acceptable format, 503 past the time, memory or row limit, or busy.
        """
        try:
            check_query(text)
        except QueryError as exc:
            raise HttpError(400, str(exc)) from None
        if not self.allow_service and "service" in text.lower():
            try:
                check_query(text, allow_service=False)
            except QueryError as exc:
                raise HttpError(403, f"{exc}: this endpoint does not fetch from other servers "
                                     "(start it with --allow-service to allow it)") from None
        task = Task(text, accept, fmt, self.row_limit, str(self.generation()), default_graphs, named_graphs)
        return self._run(task)

    def run_canned(self, name: str, params: dict[str, str], fmt: str) -> Answer:
        """Run the canned query ``name`` with ``params`` in a worker under the limits, as
        ``peelgraph query`` runs it; the answer in ``fmt`` (a key of
        :data:`peelgraph.serve.pages.CANNED_TYPES`).

        Raises:
            HttpError: 404 unknown query, 400 a parameter missing, unexpected or naming no
                entity (``extra`` holds close names), 503 past a limit, or busy.
        """
        from peelgraph.ask.catalogue import catalogue

        names = [q.name for q in catalogue()]
        if name not in names:
            import difflib

            close = difflib.get_close_matches(name, names, n=3)
            raise HttpError(404, f"unknown query {name!r}" + (f"; did you mean {', '.join(close)}?" if close else "")
                            + "; GET /queries lists them", extra={"suggestions": close})
        return self._run(CannedTask(name, tuple(sorted(params.items())), fmt, self.row_limit, str(self.generation())))

    def _run(self, task: Task | CannedTask) -> Answer:
        try:
            reply = self.pool.run(task, self.query_timeout)
        except Busy as exc:
            raise HttpError(503, f"too many queries are running ({exc}); try again shortly",
                            {"Retry-After": "1"}) from None
        except Stopped as exc:
            if exc.reason == "time":
                raise HttpError(503, f"the query ran past the time limit of {self.query_timeout:g} s; "
                                     "it was stopped") from None
            if exc.reason == "memory":
                limit = self.pool.memory_limit
                raise HttpError(503, "the query needed more memory than the limit"
                                     + (f" of {limit // 2**20} MiB" if limit else "") + "; it was stopped") from None
            raise HttpError(500, f"the query engine failed on this query ({exc.detail})") from None
        if reply[0] == "ok":
            return Answer(reply[1], reply[2])
        if reply[0] == "error":
            raise HttpError(reply[1], reply[2], extra=reply[3] if len(reply) > 3 else None)
        raise HttpError(503, f"the store is being rebuilt; try again shortly ({reply[1]})", {"Retry-After": "1"})

    # -- the server's own housekeeping -----------------------------------------------------------------------------

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that goes away mid-request is not news; anything else is one line in the log
        (the ``peelgraph.serve`` logger; stderr when logging is not set up), never a traceback."""
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)) or exc is None:
            return
        logging.getLogger("peelgraph.serve").error("error answering %s: %s: %s", client_address[0],
                                                   type(exc).__name__, exc)

    def server_close(self) -> None:
        """Close the socket and stop the workers."""
        super().server_close()
        pool: WorkerPool | None = getattr(self, "pool", None)
        if pool is not None:
            pool.close()


CORS_HEADERS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "Content-Type, Retry-After"}
"""On every answer: any origin may read it (the endpoint is read-only and takes no credentials)."""

_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*")
_HEADER_LIST = re.compile(r"[A-Za-z0-9!#$%&'*+.^_`|~-]+(\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*")


def service_description(endpoint: str, key: str = "ttl") -> bytes:
    """The SPARQL 1.1 Service Description of the endpoint at ``endpoint``, in the format ``key``
    of :data:`GRAPH_TYPES`.

    Example:
        >>> print(service_description("http://127.0.0.1:7878/query").decode().splitlines()[2])
        <http://127.0.0.1:7878/query#service> a sd:Service ;
    """
    import pyoxigraph as ox

    sd = "http://www.w3.org/ns/sparql-service-description#"
    fmt = "http://www.w3.org/ns/formats/"
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    svc = ox.NamedNode(endpoint + "#service")
    dataset, graph = ox.BlankNode("dataset"), ox.BlankNode("default")
    triples = [
        ox.Triple(svc, rdf_type, ox.NamedNode(sd + "Service")),
        ox.Triple(svc, ox.NamedNode(sd + "endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(svc, ox.NamedNode(sd + "supportedLanguage"), ox.NamedNode(sd + "SPARQL11Query")),
        ox.Triple(svc, ox.NamedNode(sd + "feature"), ox.NamedNode(sd + "UnionDefaultGraph")),
    ]
    triples += [ox.Triple(svc, ox.NamedNode(sd + "resultFormat"), ox.NamedNode(fmt + name)) for name in (
        "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV", "Turtle",
        "N-Triples", "RDF_XML", "JSON-LD", "N-Quads")]
    triples += [
        ox.Triple(svc, ox.NamedNode(sd + "defaultDataset"), dataset),
        ox.Triple(dataset, rdf_type, ox.NamedNode(sd + "Dataset")),
        ox.Triple(dataset, ox.NamedNode(sd + "defaultGraph"), graph),
        ox.Triple(graph, rdf_type, ox.NamedNode(sd + "Graph")),
    ]
    items: list[Any] = triples
    if key == "nq":
        items = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
    return ox.serialize(items, format=ox.RdfFormat.from_media_type(GRAPH_TYPES[key]),
                        prefixes={"sd": sd, "fmt": fmt} if key == "ttl" else None) or b""


_CANNED_PATH = re.compile(r"/queries(?:/(?P<name>[A-Za-z0-9_][A-Za-z0-9_.-]*?))?(?P<suffix>\.json|\.csv|\.html)?")


def canned_format(requested: str | None, suffix: str | None, accept: str) -> str:
    """The format of a ``/queries`` answer (a key of :data:`peelgraph.serve.pages.CANNED_TYPES`):
    ``?_format=`` first, then a ``.json``, ``.csv`` or ``.html`` suffix, then ``Accept``; JSON
    when none of them says.

    Example:
        >>> [canned_format("csv", ".html", ""), canned_format(None, ".csv", ""), canned_format(None, None, "text/html")]
        ['csv', 'csv', 'html']

    Raises:
        ValueError: ``_format`` names no format of :data:`CANNED_TYPES`.
    """
    from peelgraph.serve.pages import CANNED_TYPES
    from peelgraph.serve.worker import negotiate

    if requested is not None:
        key = requested.strip().lower()
        if key not in CANNED_TYPES:
            raise ValueError(f"unknown _format {requested!r}; choose one of {', '.join(CANNED_TYPES)}")
        return key
    if suffix:
        return suffix.lstrip(".")
    return negotiate(accept, CANNED_TYPES, "json") or "json"


class Handler(BaseHTTPRequestHandler):
    """One request; errors become a status and a one-line text/plain message."""

    server: PeelgraphServer
    protocol_version = "HTTP/1.1"
    server_version = "peelgraph"
    timeout = IDLE_TIMEOUT
    disable_nagle_algorithm = True  # an answer is sent at once, not held back waiting for an ACK

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        if os.environ.get("PEELGRAPH_SERVER_LOG"):
            super().log_message(format, *args)

    def handle(self) -> None:
        """Answer the connection's requests; a client that resets or goes silent just ends it."""
        try:
            super().handle()
        except (ConnectionError, TimeoutError):
            self.close_connection = True

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None,
              cache: str = "no-store") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type if "charset" in content_type or content_type.startswith(
            "application/sparql-results") else content_type + "; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        self.send_header("X-Content-Type-Options", "nosniff")
        for k, v in CORS_HEADERS.items():
            self.send_header(k, v)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if self.close_connection and not any(k.lower() == "connection" for k in (headers or {})):
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, err: HttpError) -> None:
        self._send(err.status, (err.message + "\n").encode("utf-8"), "text/plain", err.headers)

    def _length(self) -> int:
        """The declared body length (0 when none). A body that is refused or left unread closes
        the connection after the answer, so nothing in it is read as the next request.

        Raises:
            HttpError: 400 when the length is not a plain decimal number, 413 when it is over
                :data:`MAX_BODY`, 501 for a chunked body.
        """
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            raise HttpError(501, "chunked request bodies are not accepted; send a Content-Length")
        values = self.headers.get_all("Content-Length") or []
        if not values:
            return 0
        raw = values[0].strip()
        if len(values) > 1 or not (raw.isascii() and raw.isdigit()):
            self.close_connection = True
            raise HttpError(400, "bad Content-Length: give one decimal number of bytes")
        length = int(raw)
        if length > MAX_BODY:
            self.close_connection = True
            raise HttpError(413, f"the request body is over {MAX_BODY:,} bytes")
        return length

    def _body(self) -> bytes:
        length = self._length()
        if length <= 0:
            return b""
        data = self.rfile.read(length)
        if len(data) < length:
            self.close_connection = True
            raise HttpError(400, "the request body ended before its Content-Length")
        return data

    def _route(self, method: str) -> None:
        try:
            if method == "POST":
                body = self._body()
            else:
                body = b""
                if self._length() > 0:  # a body nobody reads: close afterwards
                    self.close_connection = True
            url = urllib.parse.urlsplit(self.path)
            params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
            path = url.path.rstrip("/") or "/"
            canned = _CANNED_PATH.fullmatch(path)
            if path == "/":
                if method == "POST":
                    raise HttpError(405, "POST queries to /query", {"Allow": "GET, HEAD"})
                self._send(200, self.server.explorer(), "text/html")
            elif canned:
                if method == "POST":
                    raise HttpError(405, "canned queries are run with GET", {"Allow": "GET, HEAD"})
                self._canned(canned.group("name"), canned.group("suffix"), params)
            elif path.startswith("/static/"):
                self._static(path[len("/static/"):], method)
            elif path == "/sparql" and method == "GET" and self._wants_page(params):
                from peelgraph.serve.pages import PAGE_CSP

                self._send(200, self.server.sparql_page(), "text/html",
                           {"Content-Security-Policy": PAGE_CSP, "Vary": "Accept"})
            elif path in ("/query", "/sparql"):
                self._query(method, params, body)
            elif path in ("/update", "/store"):
                raise HttpError(403, "this endpoint is read-only: updates and writes are refused")
            else:
                raise HttpError(404, f"no such page: {url.path}; queries go to /query, the query page is /sparql")
        except HttpError as err:
            self._error(err)

    def _wants_page(self, params: dict[str, list[str]]) -> bool:
        """A GET of ``/sparql`` with no query from a client that prefers HTML to every RDF format
        of the service description: a browser, which gets the query page."""
        from peelgraph.serve.worker import negotiate

        if "query" in params or "update" in params:
            return False
        accept = self.headers.get("Accept") or ""
        return negotiate(accept, {"ttl": GRAPH_TYPES["ttl"], "html": "text/html", **GRAPH_TYPES}, "ttl") == "html"

    def _static(self, name: str, method: str) -> None:
        """A file of the query page (YASGUI and the page's own script and style)."""
        from peelgraph.serve.pages import static_file

        if method == "POST":
            raise HttpError(405, "static files are read with GET", {"Allow": "GET, HEAD"})
        found = static_file(name)
        if found is None:
            raise HttpError(404, f"no such file: /static/{name}")
        self._send(200, found[0], found[1], cache="public, max-age=3600")

    def _canned(self, name: str | None, suffix: str | None, params: dict[str, list[str]]) -> None:
        """``/queries`` (the catalogue) and ``/queries/NAME`` (a canned query run), in the format
        ``_format``, the suffix or ``Accept`` asks for; errors in that format too."""
        from peelgraph.serve import pages

        fmt = "json"
        try:
            asked = params.get("_format")
            fmt = canned_format(asked[-1] if asked else None, suffix, self.headers.get("Accept") or "")
            if name is None:
                body = pages.catalogue_json() if fmt == "json" else pages.catalogue_html() if fmt == "html" else None
                if body is None:
                    raise HttpError(406, "the catalogue is JSON or HTML (_format=json or html)")
                self._send(200, body, pages.CANNED_TYPES[fmt], self._canned_headers(fmt))
                return
            given: dict[str, str] = {}
            for key, values in params.items():
                if key.startswith("_"):
                    continue
                if len(values) != 1:
                    raise HttpError(400, f"query {name}: give parameter {key!r} once")
                given[key] = values[0]
            answer = self.server.run_canned(name, given, fmt)
            self._send(200, answer.body, answer.content_type, self._canned_headers(fmt))
        except ValueError as exc:
            body, ctype = pages.error_body(400, str(exc), fmt)
            self._send(400, body, ctype, self._canned_headers(fmt))
        except HttpError as err:
            body, ctype = pages.error_body(err.status, err.message, fmt, err.extra)
            self._send(err.status, body, ctype, {**err.headers, **self._canned_headers(fmt)})

    @staticmethod
    def _canned_headers(fmt: str) -> dict[str, str]:
        from peelgraph.serve.pages import PAGE_CSP

        return {"Vary": "Accept", **({"Content-Security-Policy": PAGE_CSP} if fmt == "html" else {})}

    def _query(self, method: str, params: dict[str, list[str]], body: bytes) -> None:
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if "update" in params or ctype == "application/sparql-update":
            raise HttpError(403, "this endpoint is read-only: SPARQL Update is refused")
        if method == "POST":
            if ctype == "application/sparql-query":
                texts = [body.decode("utf-8", "replace")]
            elif ctype == "application/x-www-form-urlencoded":
                form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
                if "update" in form:
                    raise HttpError(403, "this endpoint is read-only: SPARQL Update is refused")
                texts = form.get("query", []) + params.get("query", [])
                params = {**form, **params}
            else:
                raise HttpError(415, "POST a query as application/sparql-query or as a form field query=")
        else:
            texts = params.get("query", [])
        if not texts and method == "GET":
            self._describe()
            return
        if len(texts) != 1 or not texts[0].strip():
            raise HttpError(400, "give exactly one query (query=...)")
        fmts = [f for f in params.get("format", []) + params.get("output", []) if f.strip()]
        graphs = tuple(params.get("default-graph-uri", [])), tuple(params.get("named-graph-uri", []))
        for uri in graphs[0] + graphs[1]:
            if not _IRI.fullmatch(uri):
                raise HttpError(400, f"not an absolute IRI: {uri!r} (default-graph-uri and named-graph-uri "
                                     "name graphs by IRI)")
        answer = self.server.run_query(texts[0], self.headers.get("Accept") or "", fmts[0] if fmts else None,
                                       *graphs)
        self._send(200, answer.body, answer.content_type, {"Vary": "Accept"})

    def _describe(self) -> None:
        """The SPARQL 1.1 Service Description of this endpoint, in the RDF format ``Accept`` asks for."""
        from peelgraph.serve.worker import negotiate

        key = negotiate(self.headers.get("Accept") or "", GRAPH_TYPES, "ttl")
        if key is None:
            key = "ttl"  # a browser asking for HTML still gets the description, as Turtle
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        path = urllib.parse.urlsplit(self.path).path
        body = service_description(f"http://{host}{path}", key)
        self._send(200, body, GRAPH_TYPES[key], {"Vary": "Accept"})

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._route("GET")

    def do_HEAD(self) -> None:  # noqa: N802
        self._route("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._route("POST")

    def do_OPTIONS(self) -> None:  # noqa: N802
        """A CORS preflight (or a plain OPTIONS): 204 with the methods and headers allowed."""
        try:
            if self._length() > 0:
                self.close_connection = True
        except HttpError as err:
            self._error(err)
            return
        asked = self.headers.get("Access-Control-Request-Headers")
        self._send(204, b"", "text/plain", {
            "Allow": "GET, HEAD, POST, OPTIONS",
            "Access-Control-Allow-Methods": "GET, HEAD, POST, OPTIONS",
            "Access-Control-Allow-Headers": asked if asked and _HEADER_LIST.fullmatch(asked)
            else "Accept, Content-Type",
            "Access-Control-Max-Age": "86400",
        })

    def _refuse(self) -> None:
        try:
            if self._length() > 0:  # not read: the connection closes after the answer
                self.close_connection = True
            raise HttpError(405, "this endpoint is read-only", {"Allow": "GET, HEAD, POST"})
        except HttpError as err:
            self._error(err)

    do_PUT = do_DELETE = do_PATCH = _refuse  # noqa: N815


def make_server(store_path: Path, host: str = "127.0.0.1", port: int = 0, timeout: float = DEFAULT_TIMEOUT,
                row_limit: int | None = DEFAULT_ROW_LIMIT, workers: int | None = None, *, queue: int = DEFAULT_QUEUE,
                memory_limit: int | None = DEFAULT_MEMORY_LIMIT, allow_service: bool = False) -> PeelgraphServer:
    """A server over the store at ``store_path`` (built if missing or stale), not yet serving.

    ``workers`` query processes (default: the number of CPUs, at least 2, at most 8), each
    query stopped after ``timeout`` seconds or past ``memory_limit`` MiB (None: no memory
    limit), ``queue`` queries waiting at most. Call ``serve_forever()`` (in a thread, or the
    main one), then ``shutdown()`` and ``server_close()`` (which stops the workers).
    ``port=0`` picks a free port: read it from ``server_address``. The workers are started
    with multiprocessing, which imports the main script again in each: a script that calls
    this must do so under ``if __name__ == "__main__":``.

    Raises:
        StoreError: the store cannot be built or opened.
        OSError: the address cannot be bound.
    """
    from peelgraph.store.oxigraph import ensure_store

    ensure_store(Path(store_path))
    n = workers if workers is not None else min(8, max(2, os.cpu_count() or 1))
    return PeelgraphServer((host, port), Path(store_path), timeout=timeout, row_limit=row_limit, workers=n,
                           queue=queue, memory_limit=memory_limit, allow_service=allow_service)


def _demo_store() -> Path:
    """A store of the shipped report in a temporary folder (for the docstring example)."""
    import tempfile

    from peelgraph.store.oxigraph import build_store

    path = Path(tempfile.mkdtemp()) / "store"
    build_store(path)
    return path
