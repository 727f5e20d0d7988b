"""The canned query catalogue: ``queries/NAME.rq`` files and the comment header each one carries.

Canned queries live in ``queries/NAME.rq``, one per file, beside a golden answer
``queries/NAME.srj``. Each has a comment header that this module parses::

    # title: Partners of an entity
    # description: Who works with the entity, directly or through a shared collaboration.
    # parameter: entity (entity) any label or acronym of the entity, in any case
    # columns: partner, relation, via, evidence
    # example: entity=IOM

A parameter's kind is ``entity`` (the value names an entity, resolved to its IRI by
:mod:`peelgraph.ask.binding`) or ``string`` (the default). Names, parameters and columns
are an interface: they stay stable. Any query (a ``.rq`` file of the user's, inline text)
may have a header or none.

Light module: the standard library only.

Example:
    >>> q = parse_header("# title: T\\n# parameter: entity (entity) a name\\n# columns: a, b\\nSELECT ?a ?b {}")
    >>> (q.title, [(p.name, p.kind) for p in q.parameters], q.columns, q.canned)
    ('T', [('entity', 'entity')], ('a', 'b'), False)
    >>> get_query("partners-of").canned
    True
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from peelgraph.errors import QueryError
from peelgraph.resources import queries_dir

__all__ = ["Parameter", "CannedQuery", "parse_header", "catalogue", "get_query"]


class Parameter(NamedTuple):
    """A declared query parameter: ``kind`` is ``entity`` (resolved to an IRI) or ``string``.

    Records on the query path are NamedTuples rather than frozen dataclasses: equally
    immutable, and much cheaper to define, which matters for a command that starts cold.
    """

    name: str
    kind: str
    description: str


class CannedQuery(NamedTuple):
    """A query with its parsed header (``path`` is None for inline text)."""

    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    columns: tuple[str, ...]
    example: Mapping[str, str]
    text: str
    path: Path | None = None

    @property
    def canned(self) -> bool:
        """True for a query of the catalogue (a file in ``queries/``)."""
        return self.path is not None and self.path.parent.resolve() == queries_dir().resolve()


_FIELD = re.compile(r"^\s*#\s*(title|description|parameter|columns|example)\s*:\s*(.*)$")


def parse_header(text: str, name: str = "query", path: Path | None = None) -> CannedQuery:
    """Read the ``# key: value`` header of a query (any query may have none)."""
    fields: dict[str, list[str]] = {}
    for line in text.splitlines():
        m = _FIELD.match(line)
        if m:
            fields.setdefault(m.group(1), []).append(m.group(2).strip())
        elif line.strip() and not line.lstrip().startswith("#"):
            break
    params = []
    for p in fields.get("parameter", []):
        pm = re.match(r"^(\w+)\s*(?:\((\w+)\))?\s*(.*)$", p)
        if pm:
            params.append(Parameter(pm.group(1), pm.group(2) or "string", pm.group(3)))
    columns = tuple(c.strip() for c in ",".join(fields.get("columns", [])).split(",") if c.strip())
    example: dict[str, str] = {}
    for ex in fields.get("example", []):
        for part in ex.split():
            k, _, v = part.partition("=")
            example[k] = v.replace("_", " ")
    return CannedQuery(name, " ".join(fields.get("title", [name])), " ".join(fields.get("description", [])),
                       tuple(params), columns, example, text, path)


def catalogue() -> list[CannedQuery]:
    """Every canned query in ``queries/``, sorted by name."""
    return [parse_header(p.read_text(encoding="utf-8"), p.stem, p) for p in sorted(queries_dir().glob("*.rq"))]


def get_query(name_or_path: str | None = None, text: str | None = None) -> CannedQuery:
    """A canned query by name, a query from a ``.rq`` file, or inline ``text``.

    Raises:
        QueryError: no such query (with close names) or file, or an unreadable file.
    """
    if text is not None:
        return parse_header(text, "inline")
    if name_or_path is None:
        raise QueryError("give a query name, a query file or the text of a query")
    p = Path(name_or_path)
    if p.suffix == ".rq" or p.is_file():
        try:
            return parse_header(p.read_text(encoding="utf-8"), p.stem, p)
        except FileNotFoundError:
            raise QueryError("no such query file", path=str(p)) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryError(f"cannot read the query file: {exc}", path=str(p)) from None
    names = {q.name: q for q in catalogue()}
    if name_or_path not in names:
        import difflib

        close = difflib.get_close_matches(name_or_path, list(names), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; 'peelgraph queries' lists them"
        raise QueryError(f"unknown query {name_or_path!r}{hint}")
    return names[name_or_path]
