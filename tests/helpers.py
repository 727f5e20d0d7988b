"""Helpers shared by the tests: answers compared across query engines; evidence re-sliced from its file."""

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


# What the remote-store tests (test_remote.py, test_virtuoso.py) compare on the shipped report and on
# the corpus (conftest's corpus_store)
CORPUS_PARAMS = {"evidence": {"subject": "Warwickshire Police", "object": "Crown Prosecution Service"}}
"""Parameters for the corpus where a query's example answers nothing there (its curated relation is
the shipped report's own)."""

WARWICKSHIRE = "https://w3id.org/peelgraph/id/force/warwickshire-police"
NETWORK_COMMANDS = [
    ("central",),
    ("central", "--view", "comembers"),
    ("central", "--view", "dependencies"),
    ("central", "--view", "impact"),
    ("central", "--view", "relations"),
    ("central", "--view", "all", "--top", "50"),
    ("brokers",),
    ("path", f"{WARWICKSHIRE}/mash", f"{WARWICKSHIRE}/local-authority"),  # by IRI: the corpus has four MASHs
    ("impact", "THRIVE"),
    ("communities",),
    ("ego", f"{WARWICKSHIRE}/iom", "--radius", "2"),
]


def reslices(text: str, ev: Any) -> bool:
    """Whether an evidence re-slices from its file's text: its parts lie in order within its range, from
    its start to its end, and their slices joined by a line break are its quote (one part: the slice)."""
    parts = ev.parts
    ordered = parts[0][0] == ev.start and parts[-1][1] == ev.end and all(
        a < b for a, b in parts) and all(p[1] <= q[0] for p, q in zip(parts, parts[1:], strict=False))
    return ordered and "\n".join(text[a:b] for a, b in parts) == ev.quote


def wait_until(page: Any, expression: str, timeout: float = 5.0) -> None:
    """Poll a page until ``expression`` (a JavaScript expression) is true, or fail with it.

    Playwright's ``wait_for_function`` evaluates its predicate with ``eval`` on every poll, which a
    page's Content-Security-Policy without 'unsafe-eval' refuses at random under load (Playwright
    issue 7395, fixed upstream in 1.55 by evaluating once); ``page.evaluate`` is not affected.
    """
    import time

    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout:g} s: {expression}")
        time.sleep(0.05)
