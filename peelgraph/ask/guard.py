"""What a query may be before the engine sees it: the parser guard, and one-line syntax messages.

pyoxigraph's SPARQL parser and evaluator recurse once per level of nesting, so a query
nested deeply enough overflows their stack and kills the process (a segmentation fault:
no exception, no message). Measured with pyoxigraph 0.5 on an 8 MiB stack, the process
dies at about 2,200 nested braces, 2,500 nested sub-selects or BINDs in one group, 4,700
nested parentheses, 6,500 UNION branches and 9,300 ``&&`` or FILTERs. :func:`check_query`
refuses a query long before that, by scanning its tokens (strings, IRIs and comments
skipped) against :class:`QueryLimits`:

=================== ========= ================================================================
``max_length``      200,000   characters of query text
``max_depth``       128       parentheses, braces and brackets open at once (together)
``max_operators``   1,000     UNION, OPTIONAL, MINUS, FILTER, BIND, GRAPH, SERVICE, SELECT and
                              the operators (``&&`` ``||`` ``!`` ``=`` ``<`` ``+`` ``/`` ``|``
                              ``^`` ...) together: each may add a level to the engine's tree
=================== ========= ================================================================

The canned queries use at most a few levels and a few dozen operators. A flat list (a
``VALUES`` block, an ``IN`` list, a long ``CONCAT``) costs no depth and is not limited
beyond the length. The endpoint also refuses ``SERVICE`` (a fetch from another server)
unless it was started with ``--allow-service``.

Light module: no pyoxigraph.

Example:
    >>> check_query("SELECT * WHERE { ?s ?p ?o FILTER(((1))) }")
    >>> check_query("SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }")
    Traceback (most recent call last):
    ...
    peelgraph.errors.QueryError: the query nests parentheses, braces and brackets 5002 deep; at most 128 are allowed
    >>> check_query('SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }', allow_service=False)
    Traceback (most recent call last):
    ...
    peelgraph.errors.QueryError: SERVICE (a query sent on to another server) is refused here
    >>> check_query('SELECT * WHERE { ?s ?p "SERVICE ((((" }  # SERVICE {', allow_service=False)
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from peelgraph.errors import QueryError

__all__ = ["QueryLimits", "DEFAULT_LIMITS", "check_query", "one_line"]


@dataclass(frozen=True)
class QueryLimits:
    """The largest query the guard lets through (see the module docstring for why these)."""

    max_length: int = 200_000
    max_depth: int = 128
    max_operators: int = 1_000


DEFAULT_LIMITS = QueryLimits()

# One alternative per token kind; strings, IRIs and comments first, so that brackets and
# keywords inside them are not counted.
_TOKEN = re.compile(
    r"""(?P<skip>
          \#[^\n\r]*                                   # a comment
        | '''(?:[^'\\]|\\.|'(?!''))*(?:'''|$)          # long strings
        | \"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|$)
        | '(?:[^'\\\n\r]|\\.)*'?                       # short strings (an unclosed one ends the line)
        | "(?:[^"\\\n\r]|\\.)*"?
        | <[^<>"{}|^`\\\x00-\x20]*>                     # an IRI
        | [?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+    # a variable
        | (?:[^\W\d][\w.-]*)?:[\w.:%\\-]*               # a prefixed name (ex:SERVICE is not a keyword)
        | \^\^                                         # a datatype marker
        | \d[\w.]*                                     # a number
        )
      | (?P<open>[({\[])
      | (?P<close>[)}\]])
      | (?P<word>[^\W\d]\w*)
      | (?P<op>&&|\|\||!=|<=|>=|[!=<>+\-*/|^])
    """,
    re.VERBOSE,
)

_KEYWORDS = frozenset({"UNION", "OPTIONAL", "MINUS", "FILTER", "BIND", "GRAPH", "SERVICE", "SELECT"})


def check_query(text: str, limits: QueryLimits = DEFAULT_LIMITS, *, allow_service: bool = True) -> None:
    """Refuse a query that could crash the engine (too long, too deep, too many operators),
    or that uses ``SERVICE`` when ``allow_service`` is false; return None when it may run.

    Raises:
        QueryError: the query exceeds one of ``limits`` or uses a refused ``SERVICE``; the
            message names the limit and the count.
    """
    if len(text) > limits.max_length:
        raise QueryError(f"the query is {len(text):,} characters long; at most {limits.max_length:,} are allowed")
    depth = deepest = 0
    ops: Counter[str] = Counter()
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind == "word":
            word = m.group(0).upper()
            if word in _KEYWORDS:
                ops[word] += 1
        elif kind == "op":
            ops[m.group(0)] += 1
    if deepest > limits.max_depth:
        raise QueryError(f"the query nests parentheses, braces and brackets {deepest} deep; "
                         f"at most {limits.max_depth} are allowed")
    total = sum(ops.values())
    if total > limits.max_operators:
        most, n = ops.most_common(1)[0]
        raise QueryError(f"the query has {total:,} operators and pattern keywords ({n:,} of them {most}); "
                         f"at most {limits.max_operators:,} are allowed")
    if not allow_service and ops["SERVICE"]:
        raise QueryError("SERVICE (a query sent on to another server) is refused here")


_CHAR_CLASS = re.compile(r"\['A' \.\.= 'Z'.*?\](?=, |$)", re.DOTALL)


def one_line(message: str) -> str:
    """A parser's message on one line: the long Unicode character classes pyoxigraph lists
    (the letters a name may start with) become ``a name``, and line breaks become spaces.

    Example:
        >>> one_line("expected one of \\"(\\", ['A' ..= 'Z' | 'a' ..= 'z' | '\\\\u{00C0}'\\n| 'x'], [_]")
        'expected one of "(", a name, [_]'
    """
    return " ".join(_CHAR_CLASS.sub("a name", message).split())
