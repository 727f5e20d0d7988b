"""``peelgraph serve``: a read-only SPARQL 1.1 Protocol endpoint over the store, and the explorer.

Routes:

=================== ======================================================================
``GET /``           the HTML partner-network explorer (:func:`peelgraph.show.explorer.render_html`)
``GET /query``      ``?query=...`` (``/sparql`` is the same endpoint)
``POST /query``     body ``application/sparql-query``, or ``application/x-www-form-urlencoded``
                    with ``query=...``
``GET /queries``    the canned query catalogue as JSON
=================== ======================================================================

Results by content negotiation on ``Accept`` (or ``?format=json|xml|csv|tsv``):
``application/sparql-results+json`` (the default), ``application/sparql-results+xml``,
``text/csv``, ``text/tab-separated-values``; CONSTRUCT and DESCRIBE give ``text/turtle``,
``application/n-triples`` or ``application/rdf+xml``. Queries see the union of the report
graphs, and the peelgraph prefixes (``pg:``, ``skos:``, ``oa:`` ...) are predeclared.

Read-only and bounded: SPARQL Update (an ``update=`` field or ``application/sparql-update``)
is refused with 403; PUT, DELETE and PATCH with 405. Each query has a time limit: past it
the answer is 503 with a message. The limit is checked between result rows, so a query
that computes everything before its first row (an aggregate over the whole graph) keeps its
worker busy until it ends; at most ``workers`` queries run at once and the others wait for
a worker within their own time limit. Each answer has a row limit: past ``row_limit`` rows
(or triples) it is cut short and carries the header ``Peelgraph-Truncated: <limit>``. A
malformed query gets 400 with the parser's message (line and column as the client wrote
them). The server binds to 127.0.0.1 unless told otherwise.

Example:
    >>> import threading, urllib.request, urllib.parse, json
    >>> srv = make_server(_demo_store(), port=0)
    >>> t = threading.Thread(target=srv.serve_forever, daemon=True); t.start()
    >>> host, port = srv.server_address[:2]
    >>> q = urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { ?r a pg:InspectionReport }")
    >>> with urllib.request.urlopen(f"http://{host}:{port}/query?query={q}") as resp:
    ...     json.load(resp)["results"]["bindings"][0]["n"]["value"]
    '1'
    >>> srv.shutdown(); srv.server_close()
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyoxigraph

    from peelgraph.store.oxigraph import OxigraphBackend

__all__ = ["make_server", "PeelgraphServer", "DEFAULT_ROW_LIMIT", "DEFAULT_TIMEOUT", "RESULT_TYPES"]

DEFAULT_ROW_LIMIT = 10_000
DEFAULT_TIMEOUT = 30.0
MAX_BODY = 1_000_000  # bytes of query text

RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
}


class HttpError(Exception):
    """An HTTP error answer: status and a one-line message."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


@dataclass(frozen=True)
class Answer:
    """A query's serialised answer."""

    body: bytes
    content_type: str
    truncated: bool


_ALIASES = {"application/json": "json", "application/xml": "xml", "text/xml": "xml", "text/plain": "tsv",
            "application/turtle": "ttl", "application/x-turtle": "ttl"}


def _negotiate(accept: str, offered: dict[str, str], default: str) -> str | None:
    """The key of the best offered media type for an ``Accept`` header (None: nothing acceptable).

    Example:
        >>> _negotiate("text/csv;q=0.5, application/sparql-results+xml", RESULT_TYPES, "json")
        'xml'
        >>> _negotiate("text/*", RESULT_TYPES, "json"), _negotiate("*/*", RESULT_TYPES, "json")
        ('csv', 'json')
        >>> _negotiate("image/png", RESULT_TYPES, "json") is None
        True
    """
    if not accept.strip():
        return default
    ranked: list[tuple[float, int, int, str]] = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        mtype, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if q <= 0 or not mtype:
            continue
        if mtype == "*/*":
            keys = [default]
        elif mtype.endswith("/*"):
            keys = [k for k, v in offered.items() if v.startswith(mtype[:-1])]
            keys = [default] if default in keys else keys
        else:
            keys = [k for k, v in offered.items() if v == mtype] or \
                [k for k in [_ALIASES.get(mtype, "")] if k in offered]
        if keys:
            ranked.append((-q, 0 if "*" not in mtype else 1, i, keys[0]))
    return min(ranked)[3] if ranked else None


class PeelgraphServer(ThreadingHTTPServer):
    """A threading HTTP server holding the read-only store and the limits."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], backend: OxigraphBackend, *, timeout: float, row_limit: int,
                 workers: int, store_path: Path | None = None) -> None:
        self.backend = backend
        self.query_timeout = timeout
        self.row_limit = row_limit
        self.store_path = store_path
        self.slots = threading.BoundedSemaphore(workers)
        self._explorer: bytes | None = None
        self._explorer_lock = threading.Lock()
        super().__init__(address, Handler)

    def explorer(self) -> bytes:
        """The HTML explorer (built once)."""
        with self._explorer_lock:
            if self._explorer is None:
                from peelgraph.show.explorer import render_html

                self._explorer = render_html(self.backend).encode("utf-8")
            return self._explorer

    def run_query(self, text: str, accept: str, fmt: str | None) -> Answer:
        """Run a query under the time limit in a worker; the serialised answer.

        Raises:
            HttpError: 400 malformed, 406 no acceptable format, 503 timed out or busy.
        """
        deadline = time.monotonic() + self.query_timeout
        if not self.slots.acquire(timeout=self.query_timeout):
            raise HttpError(503, "too many queries are running; try again shortly", {"Retry-After": "5"})
        box: dict[str, Any] = {}

        def work() -> None:
            # pyoxigraph's result iterators must be dropped on the thread that made them, so
            # nothing that holds one (an exception's traceback) may leave this thread.
            try:
                box["answer"] = _evaluate(self.backend.store, text, accept, fmt, self.row_limit, deadline)
            except HttpError as exc:
                box["error"] = HttpError(exc.status, exc.message, exc.headers)
            except Exception as exc:  # noqa: BLE001 - reported to the client, never a traceback
                box["error"] = HttpError(500, f"the query failed: {str(exc).splitlines()[0] if str(exc) else exc}")
            finally:
                self.slots.release()

        worker = threading.Thread(target=work, daemon=True, name="peelgraph-query")
        worker.start()
        worker.join(max(0.0, deadline - time.monotonic()) + 0.05)
        if worker.is_alive() or box.get("error") is not None and box["error"].message == _TIMED_OUT:
            raise HttpError(503, f"the query ran past the time limit of {self.query_timeout:g} s")
        if "error" in box:
            raise box["error"]
        answer: Answer = box["answer"]
        return answer


_TIMED_OUT = "timed out"


class _TimedOut(HttpError):
    def __init__(self) -> None:
        super().__init__(503, _TIMED_OUT)


def _evaluate(store: pyoxigraph.Store, text: str, accept: str, fmt: str | None, row_limit: int,
              deadline: float) -> Answer:
    """Run ``text`` on pyoxigraph's store itself: results are streamed, cut at ``row_limit`` and
    ``deadline``, and serialised by pyoxigraph in the negotiated format."""
    import pyoxigraph as ox

    from peelgraph.resources import prologue

    try:
        res = store.query(prologue() + text)
    except SyntaxError as exc:
        msg = str(exc)
        m = re.search(r"error at (\d+):(\d+):?\s*", msg)
        if m:
            msg = f"line {int(m.group(1)) - 1}, column {m.group(2)}: " + msg[m.end():]
        raise HttpError(400, "malformed query: " + msg.splitlines()[0]) from None
    except (OSError, ValueError, RuntimeError) as exc:
        raise HttpError(400, f"the query failed: {exc}") from None
    if isinstance(res, ox.QueryBoolean):
        key = _pick(accept, fmt, RESULT_TYPES, "json")
        out = ox.QueryResultsFormat.from_media_type(RESULT_TYPES[key])
        return Answer(res.serialize(format=out) or b"", RESULT_TYPES[key], False)
    if isinstance(res, ox.QueryTriples):
        key = _pick(accept, fmt, GRAPH_TYPES, "ttl")
        triples, truncated = _take(res, row_limit, deadline)
        body = ox.serialize(triples, format=ox.RdfFormat.from_media_type(GRAPH_TYPES[key])) or b""
        return Answer(body, GRAPH_TYPES[key], truncated)
    key = _pick(accept, fmt, RESULT_TYPES, "json")
    variables = [v.value for v in res.variables]
    rows, truncated = _take(res, row_limit, deadline)
    return Answer(_serialize_solutions(variables, rows, key), RESULT_TYPES[key], truncated)


def _pick(accept: str, fmt: str | None, offered: dict[str, str], default: str) -> str:
    if fmt:
        if fmt not in offered:
            raise HttpError(406, f"format {fmt!r} is not offered here; choose one of {', '.join(offered)}")
        return fmt
    key = _negotiate(accept, offered, default)
    if key is None:
        raise HttpError(406, "none of the accepted types is offered; offered: " + ", ".join(offered.values()))
    return key


def _take(results: Any, limit: int, deadline: float) -> tuple[list[Any], bool]:
    """At most ``limit`` items, checking the deadline between them."""
    out: list[Any] = []
    for i, item in enumerate(results):
        if i >= limit:
            return out, True
        if (i & 255) == 0 and time.monotonic() > deadline:
            raise _TimedOut()
        out.append(item)
    if time.monotonic() > deadline:
        raise _TimedOut()
    return out, False


def _serialize_solutions(variables: list[str], rows: list[Any], key: str) -> bytes:
    """SPARQL results in JSON directly; the other formats through pyoxigraph's serialisers."""
    import pyoxigraph as ox

    from peelgraph.store.oxigraph import term_json

    bindings = []
    for sol in rows:
        b = {}
        for v in variables:
            term = sol[v]
            if term is not None:
                b[v] = term_json(term)
        bindings.append(b)
    doc = json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}}, ensure_ascii=False)
    if key == "json":
        return doc.encode("utf-8")
    parsed = ox.parse_query_results(doc, format=ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=ox.QueryResultsFormat.from_media_type(RESULT_TYPES[key])) or b""


class Handler(BaseHTTPRequestHandler):
    """One request; errors become a status and a one-line text/plain message."""

    server: PeelgraphServer
    protocol_version = "HTTP/1.1"
    server_version = "peelgraph"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        if os.environ.get("PEELGRAPH_SERVER_LOG"):
            super().log_message(format, *args)

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type if "charset" in content_type or content_type.startswith(
            "application/sparql-results") else content_type + "; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, err: HttpError) -> None:
        self._send(err.status, (err.message + "\n").encode("utf-8"), "text/plain", err.headers)

    def _route(self, method: str) -> None:
        try:
            url = urllib.parse.urlsplit(self.path)
            params = urllib.parse.parse_qs(url.query, keep_blank_values=True)
            body = self._body() if method == "POST" else b""
            path = url.path.rstrip("/") or "/"
            if path == "/":
                if method == "POST":
                    raise HttpError(405, "POST queries to /query", {"Allow": "GET, HEAD"})
                self._send(200, self.server.explorer(), "text/html")
            elif path == "/queries":
                self._send(200, _catalogue_json().encode("utf-8"), "application/json")
            elif path in ("/query", "/sparql"):
                self._query(method, params, body)
            elif path in ("/update", "/store"):
                raise HttpError(403, "this endpoint is read-only: updates and writes are refused")
            else:
                raise HttpError(404, f"no such page: {url.path}; queries go to /query")
        except HttpError as err:
            self._error(err)

    def _body(self) -> bytes:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise HttpError(400, "bad Content-Length") from None
        if length > MAX_BODY:
            raise HttpError(413, f"the request body is over {MAX_BODY} bytes")
        return self.rfile.read(length) if length > 0 else b""

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
        if len(texts) != 1 or not texts[0].strip():
            raise HttpError(400, "give exactly one query (query=...)")
        fmt = params["format"][0] if params.get("format") else None
        answer = self.server.run_query(texts[0], self.headers.get("Accept") or "", fmt)
        headers = {"Vary": "Accept"}
        if answer.truncated:
            headers["Peelgraph-Truncated"] = str(self.server.row_limit)
        self._send(200, answer.body, answer.content_type, headers)

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._route("GET")

    def do_HEAD(self) -> None:  # noqa: N802
        self._route("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._route("POST")

    def _refuse(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if 0 < length <= MAX_BODY:
            self.rfile.read(length)
        self._error(HttpError(405, "this endpoint is read-only", {"Allow": "GET, HEAD, POST"}))

    do_PUT = do_DELETE = do_PATCH = _refuse  # noqa: N815


def _catalogue_json() -> str:
    from peelgraph.ask.catalogue import catalogue

    return json.dumps([{"name": q.name, "title": q.title, "description": q.description,
                        "parameters": [p.name for p in q.parameters], "columns": list(q.columns),
                        "text": q.text} for q in catalogue()], indent=1)


def make_server(store_path: Path, host: str = "127.0.0.1", port: int = 0, timeout: float = DEFAULT_TIMEOUT,
                row_limit: int = DEFAULT_ROW_LIMIT, workers: int | None = None) -> PeelgraphServer:
    """A server over the store at ``store_path`` (built if missing or stale), not yet serving.

    Call ``serve_forever()`` (in a thread, or the main one), then ``shutdown()`` and
    ``server_close()``. ``port=0`` picks a free port: read it from ``server_address``.

    Raises:
        StoreError: the store cannot be built or opened.
        OSError: the address cannot be bound.
    """
    from peelgraph.store.oxigraph import OxigraphBackend

    backend = OxigraphBackend.open(Path(store_path))
    n = workers if workers is not None else max(4, 2 * (os.cpu_count() or 1))
    return PeelgraphServer((host, port), backend, timeout=timeout, row_limit=row_limit, workers=n,
                           store_path=Path(store_path))


def _demo_store() -> Path:
    """A store of the shipped report in a temporary folder (for the docstring example)."""
    import tempfile

    from peelgraph.store.oxigraph import build_store

    path = Path(tempfile.mkdtemp()) / "store"
    build_store(path)
    return path

