"""rdflib's in-memory store as a query backend (``--store-kind memory``), loaded from graph.nq.

The default backend is the persisted pyoxigraph store (:class:`peelgraph.store.oxigraph.OxigraphBackend`):
it opens in milliseconds and answers queries many times faster. This one exists for
comparison and for code that wants an rdflib ``Dataset``: it re-parses the canonical
N-Quads on every open (about a second per 10k triples) and imports rdflib (about 230 ms).

A :class:`MemoryStore` is a :class:`~peelgraph.store.backend.Backend`: queries see the union
of the report graphs, as they do on the default store. rdflib and pyparsing errors are
wrapped as :class:`~peelgraph.errors.QueryError` (with line and column when known), and
rdflib's results JSON is tidied into the SPARQL 1.1 format the other backends give.

Example:
    >>> import tempfile, pathlib
    >>> nq = pathlib.Path(tempfile.mkdtemp()) / "graph.nq"
    >>> xsd = "http://www.w3.org/2001/XMLSchema#"
    >>> _ = nq.write_text(f'<http://e/a> <http://e/p> "1.50"^^<{xsd}decimal> <http://e/g> .\\n')
    >>> db = MemoryStore.load(nq)
    >>> len(db)
    1
    >>> db.query("SELECT ?o WHERE { ?s ?p ?o }")["results"]["bindings"][0]["o"]["value"]
    '1.50'
    >>> db.ask("ASK { <http://e/a> ?p ?o }")
    True
    >>> from peelgraph.ask.run import run
    >>> run(db, "SELECT ?s WHERE { ?s ?p ?o }").rows
    (('http://e/a',),)
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from peelgraph.errors import QueryError, StoreError
from peelgraph.store.backend import ResultsJSON, sorted_ntriples

if TYPE_CHECKING:
    from rdflib import Dataset

__all__ = ["MemoryStore", "open_memory"]


class MemoryStore:
    """An rdflib ``Dataset`` (the default graph holds the union of the named graphs, each triple
    once) as a :class:`~peelgraph.store.backend.Backend`."""

    def __init__(self, dataset: Dataset, name: str = "rdflib's memory store") -> None:
        self.warnings: tuple[str, ...] = ()  # what the store said as it was loaded (a stale graph)
        self.dataset = dataset
        self.name = name

    @classmethod
    def load(cls, nquads: str | Path) -> MemoryStore:
        """Parse an N-Quads file into a new in-memory dataset.

        Raises:
            StoreError: the file cannot be read or is not N-Quads.
        """
        from rdflib import Dataset

        ds = Dataset(default_union=False)  # the default graph holds the union, each triple once (as on disk)
        try:
            ds.parse(str(nquads), format="nquads")
            default = ds.default_graph
            for s, p, o in [(s, p, o) for s, p, o, _ in ds.quads((None, None, None, None))]:
                default.add((s, p, o))
        except OSError as exc:
            raise StoreError(f"cannot read the graph: {exc.strerror or exc}", path=str(nquads)) from None
        except Exception as exc:  # rdflib raises assorted parser errors
            raise StoreError(f"cannot parse the graph: {_first_line(exc)}", path=str(nquads)) from None
        return cls(ds, f"rdflib's memory store of {nquads}")

    def __len__(self) -> int:
        """The number of triples (in the union of the report graphs)."""
        return len(self.dataset.default_graph)

    def query(self, text: str) -> ResultsJSON:
        """Run a SELECT query; SPARQL 1.1 Query Results JSON (see :class:`~peelgraph.store.backend.Backend`)."""
        return _tidy(json.loads(self._run(text, "SELECT", lambda r: r.serialize(format="json"))))

    def ask(self, text: str) -> bool:
        """Run an ASK query."""
        return bool(self._run(text, "ASK", lambda r: r.askAnswer))

    def construct(self, text: str) -> str:
        """Run a CONSTRUCT query; sorted N-Triples."""
        return sorted_ntriples(self._run(text, "CONSTRUCT", lambda r: r.serialize(format="nt")).decode("utf-8"))

    def describe(self, text: str) -> str:
        """Run a DESCRIBE query; sorted N-Triples."""
        return sorted_ntriples(self._run(text, "DESCRIBE", lambda r: r.serialize(format="nt")).decode("utf-8"))

    def close(self) -> None:
        """Let go of the dataset."""
        self.dataset.close()

    def _run(self, text: str, form: str, convert: Callable[[Any], Any]) -> Any:
        """Parse and evaluate ``text``, which must be a query of ``form``, and convert rdflib's result
        (evaluation is lazy, so inside the error handling).

        Raises:
            QueryError: the query is malformed (with line and column), of another form, or fails.
        """
        from pyparsing import ParseBaseException

        try:
            result = self.dataset.query(text)
            if result.type != form:
                raise QueryError(f"not {_article(form)} query (this is {_article(result.type)} query)")
            return convert(result)
        except QueryError:
            raise
        except ParseBaseException as exc:
            raise QueryError(f"malformed query: {_first_line(exc.msg)}", line=exc.lineno, column=exc.col) from None
        except Exception as exc:  # rdflib's evaluation raises many unrelated exception types
            raise QueryError(f"the query failed: {_first_line(exc)}") from exc

    def __repr__(self) -> str:
        return f"<MemoryStore of {len(self)} quads>"


def _article(form: str) -> str:
    return f"an {form}" if form == "ASK" else f"a {form}"


def _first_line(exc: object) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _tidy(data: ResultsJSON) -> ResultsJSON:
    """Make rdflib's JSON look like the SPARQL 1.1 results JSON other engines give.

    rdflib writes ``typed-literal`` (the 2008 SPARQL JSON draft) for typed literals and
    spells out ``xsd:string``; the 1.1 format uses ``literal`` with a ``datatype`` and leaves
    plain strings without one.
    """
    for row in data.get("results", {}).get("bindings", []):
        for term in row.values():
            if term.get("type") == "typed-literal":
                term["type"] = "literal"
            if term.get("datatype") == _XSD_STRING:
                del term["datatype"]
    return data


def open_memory(store: Path) -> MemoryStore:
    """Load the current store generation's canonical graph into rdflib's memory store.

    The store is built (or rebuilt when stale) first, as :func:`peelgraph.store.oxigraph.open_store` does.
    """
    from peelgraph.store.oxigraph import reading

    with reading(store) as info:  # held against removal, and checked, while it is read
        db = MemoryStore.load(info.nquads)
    db.warnings = info.warnings
    return db

