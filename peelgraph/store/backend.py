"""The one interface every store answers SPARQL through: :class:`Backend`.

Three backends implement it:

=================================================== =============================================
:class:`peelgraph.store.oxigraph.OxigraphBackend`   the persisted pyoxigraph store, opened
                                                    read-only (the default), or any pyoxigraph
                                                    ``Store``
:class:`peelgraph.store.memory.MemoryStore`         rdflib's in-memory store (``--store-kind memory``)
:class:`peelgraph.store.remote.RemoteEndpoint`      any SPARQL 1.1 endpoint (``--endpoint URL``)
=================================================== =============================================

The ask layer (:mod:`peelgraph.ask`) runs every query through these five methods and never
asks which backend it holds. Each method takes the whole query text (the caller adds the
``PREFIX`` prologue), sees the union of the report graphs as its default graph, and raises
only peelgraph errors: :class:`~peelgraph.errors.QueryError` for a malformed query (``line``
and ``column`` counted in the text it was given) or a query of another form than the method
answers (a ``CONSTRUCT`` sent to :meth:`Backend.query`), and
:class:`~peelgraph.errors.StoreError` or :class:`~peelgraph.errors.EndpointError` when the
store itself fails. Code that needs pyoxigraph's own store (the server streams its results)
takes an :class:`~peelgraph.store.oxigraph.OxigraphBackend` and reaches the store through
its typed ``store`` attribute.

Light module: typing only, so the query commands stay fast.

Example:
    >>> from peelgraph.store.oxigraph import OxigraphBackend
    >>> def count(backend: Backend) -> int:
    ...     data = backend.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    ...     return int(data["results"]["bindings"][0]["n"]["value"])
    >>> count(OxigraphBackend.empty())
    0
    >>> query_form("PREFIX pg: <https://w3id.org/peelgraph/ontology#>  # a comment\\nASK { ?r a pg:InspectionReport }")
    'ASK'
    >>> sorted_ntriples("<http://e/b> <http://e/p> <http://e/o> .\\n<http://e/a> <http://e/p> <http://e/o> .\\n")
    '<http://e/a> <http://e/p> <http://e/o> .\\n<http://e/b> <http://e/p> <http://e/o> .\\n'
"""

from __future__ import annotations

import re
from typing import Any, Protocol

__all__ = ["Backend", "ResultsJSON", "FORMS", "query_form", "sorted_ntriples"]

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
"""The four forms of a SPARQL query."""

ResultsJSON = dict[str, Any]
"""A SPARQL 1.1 Query Results JSON document (``head`` and ``results``, or ``boolean``)."""


class Backend(Protocol):
    """Where SPARQL queries run: one of the three stores, chosen once by the caller."""

    @property
    def name(self) -> str:
        """What the backend is, for messages (e.g. ``SPARQL endpoint http://host/query``)."""
        ...

    def query(self, text: str) -> ResultsJSON:
        """Run a ``SELECT`` query; the answer as SPARQL 1.1 Query Results JSON.

        Raises:
            QueryError: the query is malformed or not a ``SELECT``.
        """
        ...

    def ask(self, text: str) -> bool:
        """Run an ``ASK`` query.

        Raises:
            QueryError: the query is malformed or not an ``ASK``.
        """
        ...

    def construct(self, text: str) -> str:
        """Run a ``CONSTRUCT`` query; the triples as N-Triples, one per line, sorted.

        Raises:
            QueryError: the query is malformed or not a ``CONSTRUCT``.
        """
        ...

    def describe(self, text: str) -> str:
        """Run a ``DESCRIBE`` query; the triples as N-Triples, one per line, sorted.

        What a description holds is up to each engine (the SPARQL specification leaves it open).

        Raises:
            QueryError: the query is malformed or not a ``DESCRIBE``.
        """
        ...

    def close(self) -> None:
        """Let go of the store (a closed backend answers no more queries)."""
        ...


def sorted_ntriples(text: str) -> str:
    """N-Triples with one triple per line, sorted and without repeats: the same graph gives the
    same text on every backend."""
    lines = sorted({line.strip() for line in text.split("\n") if line.strip()})
    return "".join(line + "\n" for line in lines)


_TOKEN = re.compile(r"#[^\n]*|<[^<>\"{}|^`\\\s]*>|[A-Za-z_][\w.-]*:?|\S")


def query_form(text: str) -> str | None:
    """The form of a query (``SELECT``, ``ASK``, ``CONSTRUCT``, ``DESCRIBE``): its first keyword
    after the comments and the ``PREFIX`` and ``BASE`` declarations; None when it has none
    (a malformed query, left to the engine to explain)."""
    skip = 0
    for m in _TOKEN.finditer(text):
        token = m.group(0)
        if token.startswith("#"):
            continue
        if skip:
            skip -= 1
            continue
        word = token.upper()
        if word in ("PREFIX", "BASE"):
            skip = 2 if word == "PREFIX" else 1
            continue
        return word if word in FORMS else None
    return None
