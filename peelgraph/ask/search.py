"""Find the report text itself: units (sentences, headings, captions, footnotes, table cells) by a phrase, by the
entity they name, or both.

A phrase matches in any case and with any spacing or line breaks between its words; it is a
phrase, not a set of words (``missing persons`` finds "missing\\npersons", not "persons missing").
The answer has the columns of the canned queries ``search`` and ``mentions``: report, kind,
section, page, start, end and the unit's text as it reads (footnotes and page furniture cut out).

Example:
    >>> from peelgraph.store.oxigraph import OxigraphBackend
    >>> search_text(OxigraphBackend.empty(), "anything").rows
    ()
"""

from __future__ import annotations

from peelgraph.ask.catalogue import get_query
from peelgraph.ask.execute import DEFAULT_TIMEOUT
from peelgraph.ask.run import Result, run
from peelgraph.errors import QueryError
from peelgraph.store.backend import Backend

__all__ = ["search_text"]


def _norm(s: str) -> str:
    return " ".join(s.split()).casefold()


def search_text(db: Backend, phrase: str = "", entity: str | None = None,
                timeout: float | None = DEFAULT_TIMEOUT) -> Result:
    """The text units that contain ``phrase`` and, when ``entity`` is given, name that entity.

    Raises:
        QueryError: neither a phrase nor an entity is given, or the query fails.
        UnknownEntityError: the entity names nothing.
    """
    if not phrase.strip() and not entity:
        raise QueryError("give a phrase to search for, an entity, or both")
    if not entity:
        return run(db, get_query("search", None), {"phrase": phrase}, timeout=timeout)
    found = run(db, get_query("mentions", None), {"entity": entity}, timeout=timeout)
    if not phrase.strip():
        return found
    want = _norm(phrase)
    i = found.columns.index("text")
    keep = [n for n, row in enumerate(found.rows) if want in _norm(str(row[i]))]
    bindings = found.json["results"]["bindings"]
    data = {"head": found.json["head"], "results": {"bindings": [bindings[n] for n in keep]}}
    return Result(found.columns, tuple(found.rows[n] for n in keep), data)
