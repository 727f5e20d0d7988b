"""SPARQL over the store: the canned query catalogue, safe parameters, time limits, results.

Canned queries live in ``queries/NAME.rq``, one per file, with a comment header that this
module parses::

    # title: Partners of an entity
    # description: Who works with the entity, directly or through a shared collaboration.
    # parameter: entity (entity) any label or acronym of the entity, in any case
    # columns: partner, relation, via, evidence
    # example: entity=IOM

Parameters are never pasted into query text: each value becomes an RDF term (an entity
parameter is resolved to the IRI of the entity whose label or acronym it names; any other
value becomes an escaped literal) and is bound with a ``VALUES`` block inserted at the start
of the query's ``WHERE`` group, so a value such as ``"} ; DROP ALL`` is only ever a string.

Light module: no rdflib, no pyoxigraph. A query runs on any
:class:`~peelgraph.store.backend.Backend` (the persisted pyoxigraph store, whose default graph
is the union of the report graphs, each triple once; rdflib's memory store; a remote endpoint).

Example:
    >>> q = parse_header("# title: T\\n# parameter: entity (entity) a name\\n# columns: a, b\\nSELECT ?a ?b {}")
    >>> (q.title, [p.name for p in q.parameters], q.columns)
    ('T', ['entity'], ('a', 'b'))
    >>> literal_term('say "hi" }')
    '"say \\\\"hi\\\\" }"'
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NamedTuple

from peelgraph.errors import PeelgraphError, QueryError, UnknownEntityError
from peelgraph.resources import PREFIXES, prologue, queries_dir
from peelgraph.store.backend import Backend, ResultsJSON, query_form
from peelgraph.text.names import normalise_name

__all__ = [
    "Parameter",
    "CannedQuery",
    "Result",
    "FORMATS",
    "DEFAULT_TIMEOUT",
    "prologue",
    "parse_header",
    "catalogue",
    "get_query",
    "literal_term",
    "resolve_entity",
    "entity_labels",
    "match_entities",
    "normalise_name",
    "suggest",
    "bind",
    "bind_terms",
    "run",
    "select",
    "render",
    "stats",
    "Summary",
    "summary",
]

FORMATS = ("table", "csv", "tsv", "json", "md")
DEFAULT_TIMEOUT = 30.0


class Parameter(NamedTuple):
    """A declared query parameter: ``kind`` is ``entity`` (resolved to an IRI) or ``string``.

    Records on the query path are NamedTuples rather than frozen dataclasses: equally
    immutable, and much cheaper to define, which matters for a command that starts cold.
    """

    name: str
    kind: str
    description: str


class CannedQuery(NamedTuple):
    """A query with its parsed header."""

    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    columns: tuple[str, ...]
    example: Mapping[str, str]
    text: str
    path: Path | None = None


def parse_header(text: str, name: str = "query", path: Path | None = None) -> CannedQuery:
    """Read the ``# key: value`` header of a query (any query may have none)."""
    fields: dict[str, list[str]] = {}
    for line in text.splitlines():
        m = re.match(r"^\s*#\s*(title|description|parameter|columns|example)\s*:\s*(.*)$", line)
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
    """A canned query by name, a query from a ``.rq`` file, or inline text."""
    if text is not None:
        return parse_header(text, "inline")
    assert name_or_path is not None
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


def literal_term(value: str) -> str:
    """A SPARQL string literal for any value (quotes, backslashes and newlines escaped)."""
    esc = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{esc}"'


def entity_labels(db: Backend) -> dict[str, dict[str, Any]]:
    """``{iri: {"label", "aliases"}}`` for every entity with a preferred label in the graph."""
    rows = select(db, """SELECT DISTINCT ?e ?label ?alt WHERE { ?e skos:prefLabel ?label .
        FILTER NOT EXISTS { ?e skos:inScheme pgg:scheme } OPTIONAL { ?e skos:altLabel ?alt } }""", timeout=None)
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        e = out.setdefault(r["e"], {"label": r["label"], "aliases": set()})
        e["label"] = min(e["label"], r["label"])
        if r["alt"]:
            e["aliases"].add(r["alt"])
    return out


def match_entities(name: str, entities: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """The IRIs a name denotes, by the first rule that matches anything (the one implementation
    behind query parameters and network arguments): the IRI itself (or ``pgr:``/``pgc:``
    shorthand); a preferred label, then an alternative label, ignoring case; either after
    :func:`normalise_name`; how the reports refer to it (``mentions``: normalised quote ->
    count, where the table has them; the entity referred to that way most often); a label
    ending with the name, when only one does. Several IRIs come back when several entities
    share the name (e.g. each force's MASH)."""
    want = name.strip()
    for prefix in ("pgr", "pgc"):
        if want.startswith(prefix + ":"):
            want = PREFIXES[prefix] + want[len(prefix) + 1:]
    if want in entities:
        return [want]
    key = normalise_name(want)
    stages = (
        (want.casefold(), lambda e: {e["label"].casefold()}),
        (want.casefold(), lambda e: {a.casefold() for a in e["aliases"]}),
        (key, lambda e: {normalise_name(x) for x in [e["label"], *e["aliases"]]}),
    )
    for k, labels_of in stages:
        hits = sorted(i for i, e in entities.items() if k in labels_of(e))
        if hits:
            return hits
    said = sorted((e.get("mentions", {}).get(key, 0), i) for i, e in entities.items())
    said = [x for x in said if x[0]]
    if said and (len(said) == 1 or said[-1][0] > said[-2][0]):
        return [said[-1][1]]
    if key:
        ends = sorted({i for i, e in entities.items() for x in [e["label"], *e["aliases"]]
                       if normalise_name(x).endswith(" " + key)})
        if len(ends) == 1:
            return ends
    return []


def suggest(name: str, entities: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Up to five labels close to a name that matched nothing."""
    import difflib

    labels: dict[str, str] = {}
    for e in entities.values():
        for x in [e["label"], *e["aliases"]]:
            labels.setdefault(x.casefold(), x)
    close = difflib.get_close_matches(name.casefold(), list(labels), n=5, cutoff=0.6)
    key = normalise_name(name)
    contains = sorted(k for k in labels if key and len(key) > 2 and key in normalise_name(k))
    return list(dict.fromkeys([labels[c] for c in close] + [labels[c] for c in contains]))[:5]


def resolve_entity(db: Backend, name: str, entities: Mapping[str, Mapping[str, Any]] | None = None) -> list[str]:
    """The IRIs of the entities a name denotes (see :func:`match_entities`).

    Raises:
        UnknownEntityError: nothing matches; the error carries close matches.
    """
    if entities is None:  # the common case first: the name as written (or in upper/lower case) is a label;
        # index lookups, where scanning every label would cost ~100 ms in a corpus of 1M triples
        forms = " ".join(literal_term(f) for f in dict.fromkeys((name.strip(), name.strip().upper(),
                                                                  name.strip().lower())) if f)
        rows = select(db, f"""SELECT DISTINCT ?e WHERE {{ VALUES ?n {{ {forms} }}
            {{ ?e skos:prefLabel ?n }} UNION {{ ?e skos:altLabel ?n }}
            FILTER NOT EXISTS {{ ?e skos:inScheme pgg:scheme }} }}""", timeout=None) if forms else []
        if rows:
            return sorted(r["e"] for r in rows)
    table = entities if entities is not None else entity_labels(db)
    hits = match_entities(name, table)
    if not hits:
        raise UnknownEntityError(name, suggest(name, table))
    return hits


def bind_terms(db: Backend, query: CannedQuery, params: Mapping[str, str]) -> dict[str, list[tuple[str, str]]]:
    """Each parameter as the RDF terms it stands for, ``("iri", IRI)`` or ``("literal", value)``:
    an entity parameter the IRIs of the entities it names, any other value one literal.

    Raises:
        QueryError: a declared parameter is missing, or an undeclared one is given.
        UnknownEntityError: an entity parameter names nothing.
    """
    declared = {p.name: p for p in query.parameters}
    unexpected = sorted(set(params) - set(declared))
    canned = query.path is not None and query.path.parent.resolve() == queries_dir().resolve()
    if unexpected and (declared or canned):  # a headerless query of the user's binds any ?name given
        raise QueryError(f"unexpected parameter {unexpected[0]!r}; this query takes "
                         + (", ".join(declared) if declared else "none"), query=query.name)
    missing = [p for p in declared if p not in params]
    if missing:
        raise QueryError(f"missing parameter {missing[0]!r} (give it with -p {missing[0]}=VALUE)", query=query.name)
    out: dict[str, list[tuple[str, str]]] = {}
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
    """
    terms = bind_terms(db, query, params)
    return _with_values(query, terms)


def _sparql_term(term: tuple[str, str]) -> str:
    kind, value = term
    return f"<{value}>" if kind == "iri" else literal_term(value)


def _with_values(query: CannedQuery, terms: Mapping[str, list[tuple[str, str]]]) -> str:
    if not terms:
        return query.text
    rows: list[list[str]] = [[]]
    for name in terms:
        rows = [r + [_sparql_term(t)] for r in rows for t in terms[name]]
    values = "VALUES (" + " ".join(f"?{n}" for n in terms) + ") { " + \
        " ".join("(" + " ".join(r) + ")" for r in rows) + " }"
    return _insert_values(query.text, values, query.name)


def _insert_values(text: str, values: str, name: str) -> str:
    """Insert a VALUES block just after the opening brace of the outermost WHERE group."""
    code = re.sub(r"#[^\n]*", lambda m: " " * len(m.group(0)), text)  # comments blanked, offsets kept
    code = re.sub(r'"(?:[^"\\\n]|\\.)*"|<[^<>\s]*>', lambda m: " " * len(m.group(0)), code)
    m = re.search(r"\bWHERE\s*\{", code, re.I) or re.search(r"\{", code)
    if not m:
        raise QueryError("the query has no WHERE group to bind parameters in", query=name)
    return text[: m.end()] + " " + values + " " + text[m.end():]


class Result(NamedTuple):
    """A SELECT result as plain values (None for unbound), and the raw SPARQL JSON."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    json: dict[str, Any]

    def dicts(self) -> list[dict[str, Any]]:
        """Rows as dictionaries keyed by column."""
        return [dict(zip(self.columns, r, strict=True)) for r in self.rows]


def _execute(db: Backend, text: str, timeout: float | None, name: str) -> ResultsJSON:
    """Run a SELECT or ASK query (the prologue added) on the backend within the time limit;
    SPARQL 1.1 Query Results JSON. Errors name the query, and their lines count in ``text``."""
    form = query_form(text)
    if form in ("CONSTRUCT", "DESCRIBE"):
        raise QueryError("only SELECT and ASK queries are supported here", query=name)
    full = prologue() + text
    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["json"] = {"head": {}, "boolean": db.ask(full)} if form == "ASK" else db.query(full)
        except PeelgraphError as exc:
            box["error"] = exc
        except Exception as exc:  # noqa: BLE001 - a backend that broke its contract; never a traceback
            box["error"] = QueryError(f"the query failed on {db.name}: {type(exc).__name__}: {exc}", query=name)

    if timeout is None:
        work()
    else:
        import threading

        t = threading.Thread(target=work, daemon=True)
        t.start()
        t.join(timeout)
        if t.is_alive():
            raise QueryError(f"the query ran past its time limit of {timeout:g} s (raise it with --timeout)",
                             query=name)
    error = box.get("error")
    if isinstance(error, QueryError):
        raise _located(error, name) from None
    if error is not None:
        raise error
    data: ResultsJSON = box["json"]
    return data


_PROLOGUE_LINES = 1  # prologue() is one line


def _located(exc: QueryError, name: str) -> QueryError:
    """The error with the query's name, and its line counted in the text the user wrote."""
    line = exc.line - _PROLOGUE_LINES if exc.line is not None else None
    return QueryError(exc.message, query=exc.query or name, path=exc.path,
                      line=line if line is not None and line > 0 else None, column=exc.column)


def _plain(b: Mapping[str, Any] | None) -> Any:
    if b is None:
        return None
    return b["value"]


def run(db: Backend, query: CannedQuery | str, params: Mapping[str, str] | None = None,
        timeout: float | None = DEFAULT_TIMEOUT) -> Result:
    """Run a canned query (or SPARQL text) with parameters; plain values back.

    Example:
        >>> from peelgraph.store.oxigraph import OxigraphBackend
        >>> db = OxigraphBackend.empty()
        >>> run(db, 'SELECT ?x WHERE { BIND(?p AS ?x) }', {"p": "} DROP ALL"}).rows
        (('} DROP ALL',),)
    """
    q = query if isinstance(query, CannedQuery) else parse_header(query, "inline")
    data = _execute(db, _with_values(q, bind_terms(db, q, params or {})), timeout, q.name)
    if "boolean" in data:
        return Result(("boolean",), ((data["boolean"],),), data)
    cols = tuple(data["head"]["vars"])
    if q.columns:
        order = [c for c in q.columns if c in cols] + [c for c in cols if c not in q.columns]
        cols = tuple(order)
        data = {"head": {"vars": list(cols)}, "results": data["results"]}
    rows = tuple(tuple(_plain(b.get(c)) for c in cols) for b in data["results"]["bindings"])
    return Result(cols, rows, data)


def select(db: Backend, sparql: str, timeout: float | None = DEFAULT_TIMEOUT) -> list[dict[str, Any]]:
    """Run a SELECT over the default graph (the union of all report graphs, each triple once);
    rows as dictionaries of plain values."""
    return run(db, sparql, None, timeout).dicts()


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


def stats(db: Backend) -> dict[str, Any]:
    """Counts by class, relations and evidence, and facts from rules against curation."""
    out: dict[str, Any] = {}
    rows = select(db, "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class")
    classes = {}
    for r in rows:
        iri = r["class"]
        for p, ns in PREFIXES.items():
            if iri.startswith(ns):
                iri = f"{p}:{iri[len(ns):]}"
                break
        classes[iri] = int(r["n"])
    out["classes"] = dict(sorted(classes.items()))
    out["quads"] = int(select(db, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"])
    out["reports"] = int(select(db, "SELECT (COUNT(?r) AS ?n) WHERE { ?r a pg:InspectionReport }")[0]["n"])
    curated = select(db, """SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f pg:curated true }""")
    facts = select(db, """SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE {
        { ?f a pg:Relation } UNION { ?f a pg:Finding } UNION { ?f pg:mention ?m } }""")
    out["facts"] = {"total": int(facts[0]["n"]), "from_curation": int(curated[0]["n"]),
                    "from_rules": int(facts[0]["n"]) - int(curated[0]["n"])}
    return out


class Summary(NamedTuple):
    """What ``peelgraph build`` prints for each report."""

    report: str
    title: str
    force: str
    year: int
    pillar: str
    judgements: tuple[tuple[str, str, str | None], ...]  # (question label, grade, previous grade)
    areas_for_improvement: tuple[tuple[str, str], ...]  # (question, text)
    recommendations: tuple[tuple[str, str | None, bool, bool], ...]  # (text, deadline, quoted, is sub-action)


def summary(db: Backend) -> list[Summary]:
    """One :class:`Summary` per report in the store."""
    out = []
    for r in select(db, """SELECT ?r ?title ?force ?year ?pillar WHERE {
            ?r a pg:InspectionReport ; dcterms:title ?title ; pg:force/skos:prefLabel ?force ;
               pg:year ?year ; pg:pillar ?p . BIND(LCASE(STRAFTER(STR(?p), "#")) AS ?pillar) } ORDER BY ?r"""):
        rid = r["r"]
        js = select(db, f"""SELECT ?n ?q ?grade ?prev WHERE {{
              ?j a pg:Judgement ; pg:report <{rid}> ; pg:grade/skos:prefLabel ?grade .
              OPTIONAL {{ ?j pg:question ?qq . ?qq pg:number ?n ; rdfs:label ?q }}
              OPTIONAL {{ ?j pg:previousJudgement/pg:grade/skos:prefLabel ?prev }}
            }} ORDER BY ?n""")
        afis = select(db, f"""SELECT ?n ?text WHERE {{ ?f a pg:AreaForImprovement ; pg:report <{rid}> ;
              pg:text ?text ; pg:evidence/oa:hasTarget/oa:hasSelector/oa:start ?s .
              OPTIONAL {{ ?f pg:question/pg:number ?n }} }} ORDER BY ?s""")
        recs = select(db, f"""SELECT ?text ?deadline ?quoted ?parent WHERE {{ ?f a pg:Recommendation ;
              pg:report <{rid}> ; pg:text ?text ; pg:evidence/oa:hasTarget/oa:hasSelector/oa:start ?s .
              OPTIONAL {{ ?f pg:deadline ?deadline }} OPTIONAL {{ ?f pg:quoted ?quoted }}
              OPTIONAL {{ ?f pg:partOfRecommendation ?parent }} }} ORDER BY ?s""")
        out.append(Summary(
            rid, r["title"], r["force"], int(r["year"]), r["pillar"],
            tuple((f"{j['n']}. {j['q']}" if j["n"] else "overall", j["grade"], j["prev"]) for j in js),
            tuple((f"question {a['n']}" if a["n"] else "overview", a["text"]) for a in afis),
            tuple((c["text"], c["deadline"], c["quoted"] == "true", c["parent"] is not None) for c in recs),
        ))
    return out
