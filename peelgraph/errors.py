"""The one exception tree of peelgraph; every error carries its context.

::

    PeelgraphError                 base class; ``str(err)`` is the one-line message
    ├── UsageError                 a command was called wrongly (exit code 2)
    └── InputError                 bad input (exit code 3)
        ├── ReportError            a report file cannot be read or is not a PEEL report
        ├── CurationError          a curation file is malformed or quotes text that is not there
        ├── StoreError             the store is missing, locked or unreadable
        ├── QueryError             a query is malformed, unknown, times out or lacks parameters
        │   └── UnknownEntityError an entity parameter matches nothing; carries suggestions
        ├── EndpointError          a remote SPARQL endpoint failed or refused
        └── ExportError            an export format is unknown or the output cannot be written

The library raises these and never prints or exits; ``peelgraph.cli`` turns them into
``Error: ...`` on stderr and the documented exit codes. Third-party exceptions are
wrapped at the boundary (``raise QueryError(...) from exc``).

Example:
    >>> err = ReportError("not UTF-8", path="x.txt", offset=12)
    >>> str(err)
    'x.txt: offset 12: not UTF-8'
    >>> isinstance(err, InputError)
    True
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "PeelgraphError",
    "UsageError",
    "InputError",
    "ReportError",
    "CurationError",
    "StoreError",
    "QueryError",
    "UnknownEntityError",
    "EndpointError",
    "ExportError",
]


class PeelgraphError(Exception):
    """Base class. ``exit_code`` is what the CLI exits with."""

    exit_code = 3

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        offset: int | None = None,
        line: int | None = None,
        column: int | None = None,
        query: str | None = None,
    ) -> None:
        self.message = message
        self.path = path
        self.offset = offset
        self.line = line
        self.column = column
        self.query = query
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = []
        if self.query:
            where.append(f"query {self.query}")
        if self.path:
            where.append(str(self.path))
        if self.line is not None:
            where.append(f"line {self.line}" + (f", column {self.column}" if self.column else ""))
        if self.offset is not None:
            where.append(f"offset {self.offset}")
        prefix = ": ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message


class UsageError(PeelgraphError):
    """The command was called wrongly (exit code 2)."""

    exit_code = 2


class InputError(PeelgraphError):
    """Bad input: a file, a query, a parameter, an endpoint (exit code 3)."""


class ReportError(InputError):
    """A report file cannot be read, or is not a PEEL report."""


class CurationError(InputError):
    """A curation file is malformed, or one of its quotes is not in the report."""


class StoreError(InputError):
    """The store is missing, locked, or unreadable."""


class QueryError(InputError):
    """A query is malformed, unknown, timed out, or has missing/unexpected parameters."""


class UnknownEntityError(QueryError):
    """An entity name matched nothing; ``suggestions`` holds close matches."""

    def __init__(self, name: str, suggestions: Sequence[str] = (), **kw: object) -> None:
        self.name = name
        self.suggestions = tuple(suggestions)
        hint = f"; did you mean {', '.join(repr(s) for s in self.suggestions)}?" if suggestions else ""
        super().__init__(f"unknown entity {name!r}{hint}", **kw)  # type: ignore[arg-type]


class EndpointError(InputError):
    """A remote SPARQL endpoint could not be reached, or refused the request."""


class ExportError(InputError):
    """An export format is unknown, or the output path cannot be written."""
