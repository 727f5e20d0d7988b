"""Run a query: a canned one by its header, a ``.rq`` file or SPARQL text, with its parameters.

:func:`run` binds the parameters (:mod:`peelgraph.ask.binding`), executes the query within
its time limit (:mod:`peelgraph.ask.execute`) and returns a :class:`Result`: the columns in
the order the header declares, the rows as plain values, and the SPARQL 1.1 Query Results
JSON as the backend gave it (what ``--format json`` prints).

Light module: no rdflib, no pyoxigraph.

Example:
    >>> from peelgraph.store.oxigraph import OxigraphBackend
    >>> db = OxigraphBackend.empty()
    >>> run(db, "# columns: b, a\\nSELECT ?a ?b WHERE { BIND(1 AS ?a) BIND(?p AS ?b) }", {"p": "} DROP ALL"}).dicts()
    [{'b': '} DROP ALL', 'a': '1'}]
    >>> run(db, "ASK { ?s ?p ?o }").rows
    ((False,),)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from peelgraph.ask.binding import bind_terms, with_values
from peelgraph.ask.catalogue import CannedQuery, parse_header
from peelgraph.ask.execute import DEFAULT_TIMEOUT, execute
from peelgraph.store.backend import Backend, ResultsJSON

__all__ = ["Result", "run"]


class Result(NamedTuple):
    """A query's answer: columns, rows of plain values (None for unbound), and the SPARQL 1.1
    Query Results JSON. An ASK gives one column ``boolean`` and one row."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    json: ResultsJSON

    def dicts(self) -> list[dict[str, Any]]:
        """Rows as dictionaries keyed by column."""
        return [dict(zip(self.columns, r, strict=True)) for r in self.rows]


def run(db: Backend, query: CannedQuery | str, params: Mapping[str, str] | None = None,
        timeout: float | None = DEFAULT_TIMEOUT) -> Result:
    """Run a canned query (or SPARQL text, whose header, if any, is read) with parameters.

    Raises:
        QueryError: a parameter is missing or unexpected, the query is malformed, fails or
            runs past ``timeout`` seconds.
        UnknownEntityError: an entity parameter names nothing.
    """
    q = query if isinstance(query, CannedQuery) else parse_header(query, "inline")
    data = execute(db, with_values(q, bind_terms(db, q, params or {})), timeout, q.name)
    if "boolean" in data:
        return Result(("boolean",), ((data["boolean"],),), data)
    cols = tuple(data["head"]["vars"])
    if q.columns:
        cols = tuple([c for c in q.columns if c in cols] + [c for c in cols if c not in q.columns])
        data = {"head": {"vars": list(cols)}, "results": data["results"]}
    rows = tuple(tuple(b[c]["value"] if c in b else None for c in cols) for b in data["results"]["bindings"])
    return Result(cols, rows, data)
