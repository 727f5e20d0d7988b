"""Parameters of a query as RDF terms, bound with ``VALUES``; entity names resolved to IRIs.

Parameters are never pasted into query text: each value becomes an RDF term (an entity
parameter is resolved to the IRI of the entity whose label or acronym it names; any other
value becomes an escaped literal) and is bound with a ``VALUES`` block inserted at the start
of the query's ``WHERE`` group, so a value such as ``"} ; DROP ALL`` is only ever a string.

Entity names are resolved here, once, for query parameters and network arguments alike:
:func:`entity_labels` is the table of every entity the reports mention or relate (its
label, kind, aliases, and how the reports refer to it), :func:`match_entities` the rules
that map a name onto it, :func:`resolve_entity` the IRIs a name denotes and
:func:`suggest` the close labels when it denotes none.

Light module: no rdflib, no pyoxigraph.

Example:
    >>> literal_term('say "hi" }')
    '"say \\\\"hi\\\\" }"'
    >>> table = {"http://e/mash": EntityNames("multi-agency safeguarding hub", "collaboration", ("MASH",), {})}
    >>> match_entities("the Multi-Agency Safeguarding Hubs", table), match_entities("mash", table)
    (['http://e/mash'], ['http://e/mash'])
    >>> suggest("MASHH", table)
    ['MASH']
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from typing import NamedTuple

from peelgraph.ask.catalogue import CannedQuery
from peelgraph.ask.execute import select
from peelgraph.errors import QueryError, UnknownEntityError
from peelgraph.resources import PREFIXES
from peelgraph.store.backend import Backend
from peelgraph.text.names import normalise_name
from peelgraph.vocab import ENTITY_KINDS, KIND_CLASSES, ORGANISATION_KINDS

__all__ = [
    "Term",
    "EntityNames",
    "literal_term",
    "sparql_term",
    "entity_labels",
    "match_entities",
    "suggest",
    "resolve_entity",
    "bind_terms",
    "bind",
    "with_values",
    "ANCHOR",
]

Term = tuple[str, str]
"""An RDF term for a parameter: ``("iri", IRI)`` or ``("literal", value)``."""

#: Entity classes, most specific first, and the kind each gives.
ENTITY_CLASSES: tuple[tuple[str, str], ...] = tuple(
    (PREFIXES[c.split(":")[0]] + c.split(":")[1], kind) for kind, c in (
        ("force", KIND_CLASSES["force"][0]),
        ("collaboration", KIND_CLASSES["collaboration"][0]),
        ("unit", KIND_CLASSES["unit"][0]),
        ("organisation", KIND_CLASSES["organisation"][0]),
        *((k, KIND_CLASSES[k][0]) for k in ENTITY_KINDS if k not in ORGANISATION_KINDS),
    ))


class EntityNames(NamedTuple):
    """The names an entity goes by: its preferred label, its kind, its other labels and
    acronyms, and how the reports refer to it (``mentions``: normalised quote -> count)."""

    label: str
    kind: str
    aliases: tuple[str, ...]
    mentions: Mapping[str, int]


def literal_term(value: str) -> str:
    """A SPARQL string literal for any value (quotes, backslashes and newlines escaped)."""
    esc = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{esc}"'


def sparql_term(term: Term) -> str:
    """A parameter's term in SPARQL syntax."""
    kind, value = term
    return f"<{value}>" if kind == "iri" else literal_term(value)


def _kind(types: Iterable[str]) -> str:
    ts = set(types)
    return next((kind for cls, kind in ENTITY_CLASSES if cls in ts), "entity")


def _scope(report: str | None) -> str:
    """A graph pattern on ``?e`` that holds for an entity the reports (or ``report``) mention or relate."""
    if report:
        return f"""{{ ?e pg:mention/oa:hasTarget/oa:hasSource <{report}> }}
            UNION {{ ?x pg:report <{report}> ; rdf:subject|rdf:object ?e }}
            UNION {{ ?x pg:report <{report}> ; pg:concerns ?e }}"""
    return "{ ?e pg:mention ?m } UNION { ?x rdf:subject|rdf:object ?e } UNION { ?x pg:concerns ?e }"


def entity_labels(db: Backend, report: str | None = None) -> dict[str, EntityNames]:
    """Every entity, by IRI: anything typed with an entity class that the reports (or only
    ``report``, an IRI) mention or relate, with the names it goes by.

    The label is the preferred label (the first in order when it has several; the others
    become aliases); ``mentions`` counts how the reports refer to it.
    """
    values = " ".join(f"<{c}>" for c, _ in ENTITY_CLASSES)
    rows = select(db, f"""SELECT ?e ?type ?label ?alt WHERE {{
        ?e a ?type ; skos:prefLabel ?label . VALUES ?type {{ {values} }}
        FILTER EXISTS {{ {_scope(report)} }}
        OPTIONAL {{ ?e skos:altLabel ?alt }} }}""")
    acc: dict[str, tuple[set[str], set[str], set[str]]] = {}
    for r in rows:
        types, labels, aliases = acc.setdefault(r["e"], (set(), set(), set()))
        types.add(r["type"])
        labels.add(r["label"])
        if r["alt"]:
            aliases.add(r["alt"])
    mentions: dict[str, dict[str, int]] = {}
    for r in select(db, """SELECT ?e ?q (COUNT(?m) AS ?n) WHERE {
            ?e pg:mention ?m . ?m oa:hasTarget/oa:hasSelector/oa:exact ?q } GROUP BY ?e ?q"""):
        if r["e"] in acc:
            said = mentions.setdefault(r["e"], {})
            key = normalise_name(r["q"])
            said[key] = said.get(key, 0) + int(r["n"])
    out = {}
    for iri in sorted(acc):
        types, labels, aliases = acc[iri]
        label = min(labels)
        out[iri] = EntityNames(label, _kind(types), tuple(sorted((labels | aliases) - {label})),
                               dict(sorted(mentions.get(iri, {}).items())))
    return out


def match_entities(name: str, entities: Mapping[str, EntityNames]) -> list[str]:
    """The IRIs a name denotes, by the first rule that matches anything: the IRI itself (or
    ``pgr:``/``pgc:`` shorthand); a preferred label, then an alternative label, ignoring
    case; either after :func:`~peelgraph.text.names.normalise_name` (curly quotes, a leading
    "the", a plural ``s``); how the reports refer to it (the entity referred to that way
    most often); a label ending with the name, when only one does. Several IRIs come back
    when several entities share the name (e.g. each force's MASH)."""
    want = name.strip()
    for prefix in ("pgr", "pgc"):
        if want.startswith(prefix + ":"):
            want = PREFIXES[prefix] + want[len(prefix) + 1:]
    if want in entities:
        return [want]
    key = normalise_name(want)
    folded = want.casefold()
    stages = (
        lambda e: folded == e.label.casefold(),
        lambda e: folded in {a.casefold() for a in e.aliases},
        lambda e: key in {normalise_name(x) for x in (e.label, *e.aliases)},
    )
    for matches in stages:
        hits = sorted(i for i, e in entities.items() if matches(e))
        if hits:
            return hits
    said = sorted((e.mentions.get(key, 0), i) for i, e in entities.items())
    said = [x for x in said if x[0]]
    if said and (len(said) == 1 or said[-1][0] > said[-2][0]):
        return [said[-1][1]]
    if key:
        ends = sorted({i for i, e in entities.items() for x in (e.label, *e.aliases)
                       if normalise_name(x).endswith(" " + key)})
        if len(ends) == 1:
            return ends
    return []


def suggest(name: str, entities: Mapping[str, EntityNames]) -> list[str]:
    """Up to five labels close to a name that matched nothing."""
    import difflib

    labels: dict[str, str] = {}
    for e in entities.values():
        for x in (e.label, *e.aliases):
            labels.setdefault(x.casefold(), x)
    close = difflib.get_close_matches(name.casefold(), list(labels), n=5, cutoff=0.6)
    key = normalise_name(name)
    contains = sorted(k for k in labels if key and len(key) > 2 and key in normalise_name(k))
    return list(dict.fromkeys([labels[c] for c in close] + [labels[c] for c in contains]))[:5]


def resolve_entity(db: Backend, name: str, *, entities: Mapping[str, EntityNames] | None = None,
                   among: Collection[str] | None = None) -> list[str]:
    """The IRIs of the entities a name denotes (see :func:`match_entities`), sorted.

    Args:
        db: the backend.
        name: what the user typed: any label or acronym, any case, with or without "the".
        entities: a ready :func:`entity_labels` table (saves its queries).
        among: only these IRIs are candidates (e.g. the nodes of a network view).

    Raises:
        UnknownEntityError: nothing matches; the error carries close labels.
    """
    if entities is None and among is None:
        hits = _labelled(db, name)
        if hits:
            return hits
    table = entities if entities is not None else entity_labels(db)
    if among is not None:
        keep = set(among)
        table = {i: e for i, e in table.items() if i in keep}
    hits = match_entities(name, table)
    if not hits:
        raise UnknownEntityError(name, suggest(name, table))
    return hits


def _labelled(db: Backend, name: str) -> list[str]:
    """The entities with the name as written (or in upper or lower case) as a label: index
    lookups, the common case, where building the whole table would cost ~100 ms in a corpus
    of 1M triples."""
    forms = " ".join(literal_term(f) for f in dict.fromkeys((name.strip(), name.strip().upper(),
                                                              name.strip().lower())) if f)
    if not forms:
        return []
    values = " ".join(f"<{c}>" for c, _ in ENTITY_CLASSES)
    rows = select(db, f"""SELECT DISTINCT ?e WHERE {{ VALUES ?n {{ {forms} }}
        {{ ?e skos:prefLabel ?n }} UNION {{ ?e skos:altLabel ?n }}
        ?e a ?type . VALUES ?type {{ {values} }} FILTER EXISTS {{ {_scope(None)} }} }}""", timeout=None)
    return sorted(r["e"] for r in rows)


def bind_terms(db: Backend, query: CannedQuery, params: Mapping[str, str]) -> dict[str, list[Term]]:
    """Each parameter as the RDF terms it stands for: an entity parameter the IRIs of the
    entities it names, any other value one literal.

    A query with a header (and every canned query) takes exactly the parameters it
    declares; a headerless query of the user's binds any ``?name`` given.

    Raises:
        QueryError: a declared parameter is missing, or an undeclared one is given.
        UnknownEntityError: an entity parameter names nothing.
    """
    declared = {p.name: p for p in query.parameters}
    unexpected = sorted(set(params) - set(declared))
    if unexpected and (declared or query.canned):
        raise QueryError(f"unexpected parameter {unexpected[0]!r}; this query takes "
                         + (", ".join(declared) if declared else "none"), query=query.name)
    missing = [p for p in declared if p not in params]
    if missing:
        raise QueryError(f"missing parameter {missing[0]!r} (give it with -p {missing[0]}=VALUE)", query=query.name)
    out: dict[str, list[Term]] = {}
    for name, value in sorted(params.items()):
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise QueryError(f"bad parameter name {name!r}", query=query.name)
        kind = declared[name].kind if name in declared else "string"
        out[name] = [("iri", iri) for iri in resolve_entity(db, value)] if kind == "entity" else [("literal", value)]
    return out


def bind(db: Backend, query: CannedQuery, params: Mapping[str, str]) -> str:
    """The query text with its parameters bound in a ``VALUES`` block (never pasted).

    Raises:
        QueryError: a declared parameter is missing, or an undeclared one is given.
        UnknownEntityError: an entity parameter names nothing.
    """
    return with_values(query, bind_terms(db, query, params))


ANCHOR = "#@values"
"""A comment in a query where the parameters' ``VALUES`` block goes, in place of the start of
the ``WHERE`` group: at the start of each ``UNION`` branch, say, so the engine evaluates the
branch from the bound terms (Oxigraph joins a ``VALUES`` block with a ``UNION`` only after
evaluating every branch over the whole corpus). Every use of a parameter must sit in a group
that holds an anchor. Without parameters it stays a comment."""


def with_values(query: CannedQuery, terms: Mapping[str, list[Term]]) -> str:
    """The query text with a ``VALUES`` block for each parameter's terms (the text itself
    when there are none): at each :data:`ANCHOR`, or when there is none at the start of its ``WHERE`` group.

    Example:
        >>> from peelgraph.ask.catalogue import parse_header
        >>> q = parse_header("SELECT ?v WHERE { BIND(?p AS ?v) }")
        >>> with_values(q, {"p": [("literal", "} DROP ALL")]})
        'SELECT ?v WHERE { VALUES (?p) { ("} DROP ALL") }  BIND(?p AS ?v) }'
        >>> q = parse_header("SELECT ?v WHERE { { #@values\\n BIND(?p AS ?v) } UNION { BIND(2 AS ?v) } }")
        >>> with_values(q, {"p": [("literal", "#@values")]})
        'SELECT ?v WHERE { { VALUES (?p) { ("#@values") }\\n BIND(?p AS ?v) } UNION { BIND(2 AS ?v) } }'
    """
    if not terms:
        return query.text
    # one block per parameter: their join is every combination, without writing them all out
    # (two names that each denote one body per force would make a block of 43 x 43 rows)
    values = " ".join(f"VALUES (?{name}) {{ " + " ".join(f"({sparql_term(t)})" for t in ts) + " }"
                      for name, ts in terms.items())
    return _insert_values(query.text, values, query.name)


def _insert_values(text: str, values: str, name: str) -> str:
    """Insert a VALUES block in place of each :data:`ANCHOR` comment (outside strings and IRIs), or
    when there is none just after the opening brace of the outermost WHERE group."""
    blank = re.sub(r'"(?:[^"\\\n]|\\.)*"|<[^<>\s]*>', lambda m: " " * len(m.group(0)), text)
    anchors = [m.start() for m in re.finditer(r"#[^\n]*", blank) if m.group(0).rstrip() == ANCHOR]
    code = re.sub(r"#[^\n]*", lambda m: " " * len(m.group(0)), blank)  # comments blanked, offsets kept
    m = re.search(r"\bWHERE\s*\{", code, re.I) or re.search(r"\{", code)
    if not m:
        raise QueryError("the query has no WHERE group to bind parameters in", query=name)
    anchors = [a for a in anchors if a > m.end()]
    for at in reversed(anchors):
        text = text[:at] + values + text[at + len(ANCHOR):]
    return text if anchors else text[: m.end()] + " " + values + " " + text[m.end():]
