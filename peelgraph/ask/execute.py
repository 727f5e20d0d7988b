"""Running SPARQL text on a backend: the prologue, the query form, the time limit, located errors.

Every query of the ask layer goes through :func:`execute`: it prepends the ``PREFIX``
declarations of every peelgraph prefix (:func:`peelgraph.resources.prologue`), sends a
``SELECT`` to :meth:`Backend.query <peelgraph.store.backend.Backend.query>` and an ``ASK`` to
:meth:`Backend.ask <peelgraph.store.backend.Backend.ask>` (never asking which backend it
holds), waits at most ``timeout`` seconds, and reports a malformed query's line as the user
wrote it (the prologue is not counted), its message on one line. ``CONSTRUCT`` and
``DESCRIBE`` are refused: the ask layer answers in rows. Before the engine sees a query, the
parser guard (:func:`peelgraph.ask.guard.check_query`) refuses one nested or chained deeply
enough to crash it. A time limit is a finite number of seconds, more than 0 and at most
:data:`MAX_TIMEOUT`.

Light module: no rdflib, no pyoxigraph.

Example:
    >>> from peelgraph.store.oxigraph import OxigraphBackend
    >>> db = OxigraphBackend.empty()
    >>> execute(db, "ASK { ?s ?p ?o }")
    {'head': {}, 'boolean': False}
    >>> select(db, "SELECT ?x WHERE { BIND(pg:Finding AS ?x) }")
    [{'x': 'https://w3id.org/peelgraph/ontology#Finding'}]
    >>> execute(db, "SELECT ?x WHERE {\\n  ?x }", name="mine")
    Traceback (most recent call last):
    ...
    peelgraph.errors.QueryError: query mine: line 2, column 7: malformed query: ...
    >>> execute(db, "ASK {" + "{" * 5000 + "}" * 5000 + "}")
    Traceback (most recent call last):
    ...
    peelgraph.errors.QueryError: query inline: the query nests parentheses, braces and brackets 5001 deep; ...
    >>> execute(db, "ASK {}", timeout=float("nan"))
    Traceback (most recent call last):
    ...
    peelgraph.errors.QueryError: query inline: the time limit must be more than 0 and at most 86400 seconds, not nan
"""

from __future__ import annotations

from typing import Any

from peelgraph.errors import PeelgraphError, QueryError
from peelgraph.resources import prologue
from peelgraph.store.backend import Backend, ResultsJSON, query_form

__all__ = ["DEFAULT_TIMEOUT", "MAX_TIMEOUT", "execute", "select"]

DEFAULT_TIMEOUT = 30.0
"""Seconds a query may run (``--timeout``)."""

MAX_TIMEOUT = 86_400.0
"""The longest time limit, in seconds (a day)."""

_PROLOGUE_LINES = 1  # prologue() is one line


def execute(db: Backend, text: str, timeout: float | None = DEFAULT_TIMEOUT, name: str = "inline") -> ResultsJSON:
    """Run a SELECT or ASK query (the prologue added) on ``db`` within ``timeout`` seconds (None:
    no limit); SPARQL 1.1 Query Results JSON (``{"head": {}, "boolean": ...}`` for an ASK).

    Raises:
        QueryError: the query is malformed (its line counted in ``text``), too deep or too
            long for the engine (:mod:`peelgraph.ask.guard`), a CONSTRUCT or DESCRIBE, fails,
            or runs past its time limit; the time limit is not a number of seconds in
            (0, :data:`MAX_TIMEOUT`]. The error names the query.
        StoreError, EndpointError: the backend itself failed.
    """
    from peelgraph.ask.guard import check_query

    if timeout is not None and not 0 < timeout <= MAX_TIMEOUT:  # also false for nan
        raise QueryError(f"the time limit must be more than 0 and at most {MAX_TIMEOUT:g} seconds, not {timeout:g}",
                         query=name)
    try:
        check_query(text)
    except QueryError as exc:
        raise QueryError(exc.message, query=name) from None
    form = query_form(text)
    if form in ("CONSTRUCT", "DESCRIBE"):
        raise QueryError("only SELECT and ASK queries are supported here", query=name)
    full = prologue() + text
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["json"] = {"head": {}, "boolean": db.ask(full)} if form == "ASK" else db.query(full)
        except PeelgraphError as exc:
            box["error"] = exc
        except Exception as exc:  # noqa: BLE001 - a backend that broke its contract; never a traceback
            box["error"] = QueryError(f"the query failed on {db.name}: {type(exc).__name__}: {exc}", query=name)

    if timeout is None:
        work()
    else:
        import threading

        t = threading.Thread(target=work, daemon=True)
        t.start()
        t.join(timeout)
        if t.is_alive():
            raise QueryError(f"the query ran past its time limit of {timeout:g} s (raise it with --timeout)",
                             query=name)
    error = box.get("error")
    if isinstance(error, QueryError):
        raise _located(error, name) from None
    if error is not None:
        raise error
    data: ResultsJSON = box["json"]
    return data


def _located(exc: QueryError, name: str) -> QueryError:
    """The error with the query's name, and its line counted in the text the user wrote."""
    from peelgraph.ask.guard import one_line

    line = exc.line - _PROLOGUE_LINES if exc.line is not None else None
    return QueryError(one_line(exc.message), query=exc.query or name, path=exc.path,
                      line=line if line is not None and line > 0 else None, column=exc.column)


def select(db: Backend, sparql: str, timeout: float | None = DEFAULT_TIMEOUT) -> list[dict[str, Any]]:
    """Run a SELECT over the default graph (the union of all report graphs, each triple once);
    rows as dictionaries of plain values (None for unbound)."""
    data = execute(db, sparql, timeout)
    if "results" not in data:
        raise QueryError("not a SELECT query")
    cols = data["head"]["vars"]
    return [{c: b[c]["value"] if c in b else None for c in cols} for b in data["results"]["bindings"]]
