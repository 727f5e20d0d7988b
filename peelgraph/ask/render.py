"""A query's answer as text: an aligned table, CSV, TSV, Markdown, or SPARQL 1.1 Query Results JSON.

Light module (``peelgraph query --help`` reads :data:`FORMATS` from it): the standard library only.

Example:
    >>> from peelgraph.ask.run import Result
    >>> r = Result(("a", "b"), (("x", None),), {"head": {"vars": ["a", "b"]},
    ...            "results": {"bindings": [{"a": {"type": "literal", "value": "x"}}]}})
    >>> print(render(r, "md"), end="")
    | a | b |
    |---|---|
    | x |  |
    >>> print(render(r, "table"), end="")
    a  b
    -  -
    x
    (1 row)
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from peelgraph.errors import QueryError

if TYPE_CHECKING:
    from peelgraph.ask.run import Result

__all__ = ["FORMATS", "render"]

FORMATS = ("table", "csv", "tsv", "json", "md")
"""The formats of ``peelgraph query --format``."""


def _cell(v: Any) -> str:
    return "" if v is None else str(v)


def render(result: Result, fmt: str) -> str:
    """Format a result: ``json`` is the SPARQL 1.1 Query Results JSON format exactly."""
    if fmt == "json":
        return json.dumps(result.json, ensure_ascii=False, indent=1) + "\n"
    if fmt in ("csv", "tsv"):
        import csv
        import io

        buf = io.StringIO()
        if fmt == "csv":
            w = csv.writer(buf, lineterminator="\r\n")
            w.writerow(result.columns)
            w.writerows([_cell(v) for v in r] for r in result.rows)
        else:
            buf.write("\t".join(result.columns) + "\n")
            for r in result.rows:
                buf.write("\t".join(_cell(v).replace("\t", " ").replace("\n", " ") for v in r) + "\n")
        return buf.getvalue()
    flat = [[_cell(v).replace("\n", " ") for v in r] for r in result.rows]
    if fmt == "md":
        lines = ["| " + " | ".join(result.columns) + " |", "|" + "---|" * len(result.columns)]
        lines += ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in flat]
        return "\n".join(lines) + "\n"
    if fmt != "table":
        raise QueryError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    widths = [min(60, max([len(c)] + [len(r[i]) for r in flat])) for i, c in enumerate(result.columns)]

    def fit(s: str, w: int) -> str:
        return (s if len(s) <= w else s[: w - 1] + "…").ljust(w)

    out = ["  ".join(fit(c, w) for c, w in zip(result.columns, widths, strict=True)).rstrip(),
           "  ".join("-" * w for w in widths)]
    out += ["  ".join(fit(c, w) for c, w in zip(r, widths, strict=True)).rstrip() for r in flat]
    out.append(f"({len(flat)} row{'s' if len(flat) != 1 else ''})")
    return "\n".join(out) + "\n"
