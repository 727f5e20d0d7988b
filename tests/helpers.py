"""Helpers shared by the tests that compare answers across query engines."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

_NUMERIC = re.compile(r"http://www.w3.org/2001/XMLSchema#(decimal|double|float|integer|int|long|short|"
                      r"nonNegativeInteger|positiveInteger)$")


def _value(term: dict[str, Any] | None) -> str:
    """A term's value for comparison across engines (numbers normalised; unbound equals "").

    GROUP_CONCAT over no values is "" in rdflib and unbound in Oxigraph (the specification
    leaves room for both), hence unbound == "".
    """
    if term is None:
        return ""
    value = str(term["value"])
    if _NUMERIC.match(term.get("datatype", "")):
        try:
            return str(Decimal(value).normalize())
        except InvalidOperation:
            return value
    return value


def comparable(data: dict[str, Any], ordered: bool) -> list[tuple[str, ...]]:
    cols = data["head"]["vars"]
    rows = [tuple(_value(b.get(c)) for c in sorted(cols)) for b in data["results"]["bindings"]]
    return rows if ordered else sorted(rows)
