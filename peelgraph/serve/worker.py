"""One query worker of the endpoint: a process that opens a store generation read-only and
answers queries sent down a pipe, under a memory limit.

The server (:mod:`peelgraph.serve.pool`) starts each worker with :func:`main`, sends it
:class:`Task` values and reads back :data:`Reply` tuples; it kills the worker when a query
runs past its time limit, which is what really stops the query (pyoxigraph cannot be
interrupted from another thread). The memory limit is the process's address space
(``RLIMIT_AS``): what the worker held after opening the store, plus ``memory_limit`` bytes;
past it the engine's allocation fails and the worker ends (the server replaces it).

Replies:

=============================================== ===============================================
``("ready",)``                                  the store is open; send tasks
``("ok", body, content_type)``                  the serialised answer (always whole: past the row
                                                limit, if one is set, an error instead)
``("error", status, message, extra)``           an HTTP error for the client (400 malformed ...);
                                                ``extra`` is a dict of details (close names ...)
``("stale", message)``                          the generation went away under the query
``("memory",)``                                 past the memory limit (the worker then ends)
=============================================== ===============================================

Example:
    >>> store = _demo_store()
    >>> w = _Worker(memory_limit=None)
    >>> w.open(store)
    >>> w.answer(Task("ASK { ?r a pg:InspectionReport }", "text/csv", None, 10, str(store)))[0:2]
    ('ok', b'true')
"""

from __future__ import annotations

import json
import os
import re
import signal
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    import pyoxigraph

__all__ = ["Task", "CannedTask", "Reply", "main", "RESULT_TYPES", "GRAPH_TYPES", "RESULT_NAMES", "GRAPH_NAMES",
           "pick_format", "format_key", "negotiate"]

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
    "jsonld": "application/ld+json",
    "nq": "application/n-quads",
}

RESULT_NAMES = {"json": "json", "srj": "json", "xml": "xml", "srx": "xml", "csv": "csv", "tsv": "tsv", "text": "tsv"}
"""The names clients send as ``format=`` (or ``output=``) for SELECT and ASK, beside the media types."""
GRAPH_NAMES = {"ttl": "ttl", "turtle": "ttl", "n3": "ttl", "nt": "nt", "ntriples": "nt", "n-triples": "nt",
               "rdf": "rdf", "rdf+xml": "rdf", "rdfxml": "rdf", "xml": "rdf", "owl": "rdf",
               "jsonld": "jsonld", "json-ld": "jsonld", "json": "jsonld",
               "nq": "nq", "nquads": "nq", "n-quads": "nq"}
"""The names clients send for CONSTRUCT and DESCRIBE: ``xml`` and ``json`` (SPARQLWrapper's defaults)
mean RDF/XML and JSON-LD there, as on other SPARQL servers."""

Reply = tuple[Any, ...]
"""What a worker sends back (see the module docstring)."""


@dataclass(frozen=True)
class Task:
    """A query for a worker: the text (without the prologue), the client's ``Accept`` header,
    the ``format`` parameter if any, the row limit (None: whole answers), the store generation
    to run it on (a ``gen-*`` folder), and the protocol's ``default-graph-uri`` and
    ``named-graph-uri`` (empty: the union of the report graphs, and every named graph)."""

    text: str
    accept: str
    fmt: str | None
    row_limit: int | None
    generation: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class CannedTask:
    """A canned query of the catalogue for a worker (``GET /queries/NAME``): its name, its
    parameters as ``(name, value)`` pairs (bound as ``peelgraph query NAME -p name=value``
    binds them), the format of the answer (a key of :data:`peelgraph.serve.pages.CANNED_TYPES`),
    the row limit and the generation to run it on."""

    name: str
    params: tuple[tuple[str, str], ...]
    fmt: str
    row_limit: int | None
    generation: str


class _ClientError(Exception):
    """An error the client caused: an HTTP status, a one-line message and details."""

    def __init__(self, status: int, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra or {}


_ALIASES = {"application/json": "json", "application/xml": "xml", "text/xml": "xml", "text/plain": "tsv",
            "application/turtle": "ttl", "application/x-turtle": "ttl", "text/n3": "ttl", "text/rdf+n3": "ttl",
            "application/json-ld": "jsonld", "application/x-json+ld": "jsonld", "application/nquads": "nq",
            "text/x-nquads": "nq", "application/x-trig": "nq"}


class _RowLimit(Exception):
    """An answer longer than the row limit."""


def negotiate(accept: str, offered: dict[str, str], default: str) -> str | None:
    """The key of the best offered media type for an ``Accept`` header (None: nothing acceptable).

    Example:
        >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", RESULT_TYPES, "json")
        'xml'
        >>> negotiate("text/*", RESULT_TYPES, "json"), negotiate("*/*", RESULT_TYPES, "json")
        ('csv', 'json')
        >>> negotiate("image/png", RESULT_TYPES, "json") is None
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
        if not q > 0 or not mtype:
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


def format_key(fmt: str, offered: dict[str, str]) -> str | None:
    """The key in ``offered`` that a ``format=`` value names: a client's short name (``turtle``,
    ``json-ld``, ``rdf+xml`` ...) or a media type (parameters ignored); None if it names none.

    Example:
        >>> [format_key(f, GRAPH_TYPES) for f in ("turtle", "rdf+xml", "json-ld", "application/n-quads", "csv")]
        ['ttl', 'rdf', 'jsonld', 'nq', None]
        >>> [format_key(f, RESULT_TYPES) for f in ("JSON", "application/sparql-results+xml", "turtle")]
        ['json', 'xml', None]
    """
    name = fmt.split(";")[0].strip().lower().replace(" ", "+")  # a "+" left unescaped in a URL arrives as a space
    names = GRAPH_NAMES if offered is GRAPH_TYPES else RESULT_NAMES
    if name in names:
        return names[name]
    for key, mtype in offered.items():
        if mtype == name:
            return key
    alias = _ALIASES.get(name)
    return alias if alias in offered else None


def pick_format(accept: str, fmt: str | None, offered: dict[str, str], default: str) -> str:
    """The format to answer in: the one ``fmt`` names if given, else the best for ``accept``.

    Raises:
        ValueError: nothing offered is acceptable (the message says what is offered).
    """
    if fmt:
        key = format_key(fmt, offered)
        if key is None:
            names = GRAPH_NAMES if offered is GRAPH_TYPES else RESULT_NAMES
            raise ValueError(f"format {fmt!r} is not offered for this query; choose one of "
                             f"{', '.join(sorted(set(names)))} or a media type ({', '.join(offered.values())})")
        return key
    key = negotiate(accept, offered, default)
    if key is None:
        raise ValueError("none of the accepted types is offered; offered: " + ", ".join(offered.values()))
    return key


class _Worker:
    """The state of one worker process: the open generation and the memory limit."""

    def __init__(self, memory_limit: int | None) -> None:
        self.memory_limit = memory_limit
        self.generation: str | None = None
        self.store: pyoxigraph.Store | None = None
        self.lock: int | None = None  # a shared lock on the generation: no build removes it while open

    def open(self, generation: Path | str) -> None:
        """Open ``generation`` read-only (dropping the one open before), then set the memory limit."""
        import pyoxigraph as ox

        from peelgraph.store.oxigraph import lock_generation, release

        self._limit_memory(None)
        self.store = None
        self.generation = None
        release(self.lock)
        self.lock = lock_generation(Path(generation))
        self.store = ox.Store.read_only(str(Path(generation) / "oxigraph"))
        self.generation = str(generation)
        self._limit_memory(self.memory_limit)

    @staticmethod
    def _limit_memory(extra: int | None) -> None:
        import resource

        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if extra is None:
            resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
            return
        with open("/proc/self/statm", encoding="ascii") as fh:
            held = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft = held + extra
        resource.setrlimit(resource.RLIMIT_AS, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))

    def answer(self, task: Task | CannedTask) -> Reply:
        """Run ``task`` on its generation (opened first if another one is open)."""
        try:
            if task.generation != self.generation:
                self.open(task.generation)
            assert self.store is not None
            body, ctype = _run_canned(self.store, task) if isinstance(task, CannedTask) else _evaluate(self.store, task)
            return ("ok", body, ctype)
        except _ClientError as exc:
            return ("error", exc.status, exc.message, exc.extra)
        except MemoryError:
            raise
        except Exception as exc:  # noqa: BLE001 - reported to the client, never a traceback
            msg = _first_line(exc)
            if re.search(r"No such file|Corruption|IO error", msg):  # a rebuild removed the generation
                return ("stale", msg)
            return ("error", 500 if not isinstance(exc, OSError) else 502, f"the query failed: {msg}")


def _first_line(exc: BaseException) -> str:
    text = str(exc)
    return text.splitlines()[0] if text else type(exc).__name__


def _evaluate(store: pyoxigraph.Store, task: Task) -> tuple[bytes, str]:
    """Run the query on pyoxigraph's store itself: results are read whole (refused past the row
    limit, if one is set) and serialised by pyoxigraph in the negotiated format."""
    import pyoxigraph as ox

    from peelgraph.ask.guard import one_line
    from peelgraph.resources import prologue

    graphs: dict[str, Any] = {}
    if task.default_graphs:
        graphs["default_graph"] = [ox.NamedNode(g) for g in task.default_graphs]
    if task.named_graphs:
        graphs["named_graphs"] = [ox.NamedNode(g) for g in task.named_graphs]
    try:
        res = store.query(prologue() + task.text, **graphs)
    except SyntaxError as exc:
        msg = str(exc)
        m = re.search(r"error at (\d+):(\d+):?\s*", msg)
        if m:
            msg = f"line {int(m.group(1)) - 1}, column {m.group(2)}: " + msg[m.end():]
        raise _ClientError(400, "malformed query: " + one_line(msg)) from None
    except (ValueError, RuntimeError) as exc:
        if re.search(r"No such file|Corruption|IO error", str(exc)):
            raise
        raise _ClientError(400, f"the query failed: {_first_line(exc)}") from None
    try:
        if isinstance(res, ox.QueryBoolean):
            key = pick_format(task.accept, task.fmt, RESULT_TYPES, "json")
            out = ox.QueryResultsFormat.from_media_type(RESULT_TYPES[key])
            return res.serialize(format=out) or b"", RESULT_TYPES[key]
        if isinstance(res, ox.QueryTriples):
            key = pick_format(task.accept, task.fmt, GRAPH_TYPES, "ttl")
            triples = _take(res, task.row_limit, "triples")
            items: list[Any] = triples
            if key == "nq":
                items = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
            body = ox.serialize(items, format=ox.RdfFormat.from_media_type(GRAPH_TYPES[key])) or b""
            return body, GRAPH_TYPES[key]
        key = pick_format(task.accept, task.fmt, RESULT_TYPES, "json")
    except ValueError as exc:
        raise _ClientError(406, str(exc)) from None
    variables = [v.value for v in res.variables]
    rows = _take(res, task.row_limit, "rows")
    return _serialize_solutions(variables, rows, key), RESULT_TYPES[key]


def _run_canned(store: pyoxigraph.Store, task: CannedTask) -> tuple[bytes, str]:
    """Run a canned query as ``peelgraph query NAME -p ...`` does (:func:`peelgraph.ask.run.run`:
    the same binding and entity resolution), the answer rendered by :mod:`peelgraph.serve.pages`.
    No time limit here: the server kills the worker at its limit."""
    from peelgraph.ask.catalogue import catalogue
    from peelgraph.ask.run import run
    from peelgraph.errors import QueryError, UnknownEntityError
    from peelgraph.serve.pages import CANNED_TYPES, render_canned
    from peelgraph.store.oxigraph import OxigraphBackend

    query = next((q for q in catalogue() if q.name == task.name), None)
    if query is None:
        raise _ClientError(404, f"unknown query {task.name!r}; GET /queries lists them")
    params = dict(task.params)
    try:
        result = run(OxigraphBackend(store, "the store"), query, params, timeout=None)
    except UnknownEntityError as exc:
        raise _ClientError(400, str(exc), {"suggestions": list(exc.suggestions)}) from None
    except QueryError as exc:
        if re.search(r"No such file|Corruption|IO error", str(exc)):
            raise
        raise _ClientError(400, str(exc)) from None
    if task.row_limit is not None and len(result.rows) > task.row_limit:
        raise _ClientError(503, f"the answer has more than {task.row_limit:,} rows, this server's row limit")
    return render_canned(query, params, result, task.fmt), CANNED_TYPES[task.fmt]


def _take(results: Any, limit: int | None, what: str) -> list[Any]:
    """Every item (the memory limit bounds them); past ``limit`` if one is set, a refusal.

    Raises:
        _ClientError: 503 when there are more than ``limit`` items.
    """
    out: list[Any] = []
    for i, item in enumerate(results):
        if limit is not None and i >= limit:
            raise _ClientError(503, f"the answer has more than {limit:,} {what}, this server's row limit; "
                                    "ask for fewer (LIMIT and OFFSET page through an answer)")
        out.append(item)
    return out


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


def main(conn: Connection, generation: str, memory_limit: int | None) -> None:
    """A worker's life: open ``generation``, say ready, answer tasks until the pipe closes.

    Ctrl-C in the server's terminal reaches the workers too: they ignore it and end when the
    server closes their pipe. Their stderr goes nowhere: the server tells the client what
    happened.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    devnull = os.open(os.devnull, os.O_WRONLY)  # the engine's own last words past the memory limit
    os.dup2(devnull, 2)                           # ("memory allocation failed") stay out of the server's log
    os.close(devnull)
    worker = _Worker(memory_limit)
    try:
        try:
            worker.open(generation)
        except Exception as exc:  # noqa: BLE001 - told to the server, which retries
            conn.send(("stale", f"cannot open the store: {_first_line(exc)}"))
            return
        conn.send(("ready",))
    except OSError:  # the server is gone
        return
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        try:
            reply = worker.answer(task)
        except MemoryError:
            reply = ("memory",)
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(("memory",))
        except (BrokenPipeError, OSError):
            return
        if reply[0] == "memory":
            return


def _demo_store() -> Path:
    """The current generation of a store of the shipped report (for the docstring example)."""
    import tempfile

    from peelgraph.store.oxigraph import build_store

    return build_store(Path(tempfile.mkdtemp()) / "store").path
