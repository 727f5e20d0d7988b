"""Light RDF terms and namespaces for building the graph, without importing rdflib.

Building a report's triples needs only IRIs, literals and N-Triples; rdflib (about 100-200 ms
to import) is kept for the commands that parse or serialise other formats. ``IRI`` is a
``str``; ``Literal`` holds a lexical form with its datatype or language, inferred from Python
values the way rdflib does (``True`` is ``xsd:boolean``, ``5`` is ``xsd:integer``);
``Namespace`` mints IRIs by attribute or item; a ``ClosedNamespace`` subclass lists its terms
as annotations and refuses any other (a misspelt term is an error).

Example:
    >>> DCTERMS.title
    IRI('http://purl.org/dc/terms/title')
    >>> XSD.integer
    IRI('http://www.w3.org/2001/XMLSchema#integer')
    >>> Literal(True).ntriples()
    '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>'
    >>> Literal('say "hi"').ntriples()
    '"say \\\\"hi\\\\""'
"""

from __future__ import annotations

import datetime as dt
from typing import Any

__all__ = ["IRI", "Literal", "Namespace", "ClosedNamespace", "RDF", "RDFS", "SKOS", "XSD", "DCAT", "DCTERMS",
           "PROV", "ntriples_term"]


class IRI(str):
    """An IRI (a plain string with a type)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"IRI({str.__repr__(self)})"


class Namespace:
    """A namespace: ``NS.term`` and ``NS["term/with/slashes"]`` are IRIs in it (any name, even
    ``NS.title``: a namespace is not a string, so no string method hides a term)."""

    __slots__ = ("_base",)

    def __init__(self, base: str) -> None:
        self._base = base

    def __getattr__(self, name: str) -> IRI:
        if name.startswith("__"):
            raise AttributeError(name)
        return IRI(self._base + name)

    def __getitem__(self, name: Any) -> IRI:
        return IRI(self._base + str(name))

    def __str__(self) -> str:
        return self._base

    def __repr__(self) -> str:
        return f"Namespace({self._base!r})"


class _Closed(type):
    def __getattr__(cls, name: str) -> IRI:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in cls.__annotations__:
            raise AttributeError(f"term {name!r} not in namespace {cls._NS!r}")
        return IRI(cls._NS + name)

    def __str__(cls) -> str:
        return str(cls._NS)


class ClosedNamespace(metaclass=_Closed):
    """Subclass with ``_NS = "..."`` and one annotation per term; other names fail."""

    _NS = ""


_XSD = "http://www.w3.org/2001/XMLSchema#"

# How N-Triples text escapes characters in a literal: see Literal.ntriples.
_NT_ESCAPES: dict[int, str] = {c: f"\\u{c:04X}" for c in (*range(0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029)
                               if chr(c) != "\t"}
_NT_ESCAPES.update({ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r"})


class Literal:
    """An RDF literal: a lexical form with a datatype IRI or a language tag."""

    __slots__ = ("value", "datatype", "language")

    def __init__(self, value: Any, datatype: str | None = None, lang: str | None = None) -> None:
        if isinstance(value, bool):
            lexical, inferred = ("true" if value else "false"), _XSD + "boolean"
        elif isinstance(value, int):
            lexical, inferred = str(value), _XSD + "integer"
        elif isinstance(value, dt.date):
            lexical, inferred = value.isoformat(), _XSD + "date"
        else:
            lexical, inferred = str(value), None
        self.value = lexical
        self.language = lang or None
        self.datatype = None if self.language else (IRI(datatype) if datatype else inferred)
        if self.datatype == _XSD + "string":
            self.datatype = None

    def ntriples(self) -> str:
        r"""The literal in N-Triples, on one line whatever it holds.

        Backslash, quote, ``\n`` and ``\r`` are escaped as N-Triples requires; every other
        character that any common reader takes for a line break (``\v``, ``\f``, U+001C-U+001E,
        U+0085, U+2028, U+2029: Python's ``str.splitlines`` splits on all of them) and every other
        control character is written as ``\uXXXX`` (canonical N-Triples does the same for the
        controls), so a line of N-Triples is always one line.

        Example:
            >>> print(Literal("page\fbreak\u2028next").ntriples())
            "page\u000Cbreak\u2028next"
        """
        v = self.value.translate(_NT_ESCAPES)
        if self.language:
            return f'"{v}"@{self.language}'
        if self.datatype:
            return f'"{v}"^^<{self.datatype}>'
        return f'"{v}"'

    def __str__(self) -> str:
        return self.value

    def __repr__(self) -> str:
        return f"Literal({self.value!r}, datatype={self.datatype!r}, lang={self.language!r})"


def ntriples_term(term: str | Literal) -> str:
    """An IRI or a literal in N-Triples."""
    return term.ntriples() if isinstance(term, Literal) else f"<{term}>"


RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
XSD = Namespace(_XSD)
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
PROV = Namespace("http://www.w3.org/ns/prov#")
