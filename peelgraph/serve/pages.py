"""The server's pages and the canned-query API's bodies: the SPARQL query page (``/sparql`` for
browsers), the catalogue (``/queries``) and a canned query's answer (``/queries/NAME``) in JSON,
CSV or HTML, and the static files the query page loads.

The query page is YASGUI (``@zazuko/yasgui`` from the npm registry, vendored in
``peelgraph/_vendor/``; see its README there) set up to work offline: it queries this server's
own endpoint, its autocompleters that ask remote services (LOV classes and properties) are
off, and the page's Content-Security-Policy lets it load and fetch from this server only.

Every value that reaches HTML goes through :func:`html.escape`; JSON inside the page is
escaped so that no ``</script>`` can end its element.

Example:
    >>> from peelgraph.ask.catalogue import get_query
    >>> from peelgraph.ask.run import Result
    >>> q = get_query("judgments")
    >>> r = Result(("report", "grade"), (("<b>", None),), {})
    >>> json.loads(render_canned(q, {}, r, "json"))["rows"]
    [{'report': '<b>', 'grade': None}]
    >>> "&lt;b&gt;" in render_canned(q, {}, r, "html").decode(), render_canned(q, {}, r, "csv")
    (True, b'report,grade\\r\\n<b>,\\r\\n')
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping
from importlib import resources
from typing import TYPE_CHECKING, Any, NamedTuple

from peelgraph.ask.catalogue import CannedQuery, catalogue
from peelgraph.resources import PREFIXES

if TYPE_CHECKING:
    from peelgraph.ask.run import Result
    from peelgraph.store.backend import Backend

__all__ = ["CANNED_TYPES", "PAGE_CSP", "STATIC", "Example", "catalogue_json", "catalogue_html",
           "render_canned", "error_body", "examples", "sparql_page", "static_file", "declare_prefixes", "query_url"]

CANNED_TYPES = {"json": "application/json", "csv": "text/csv", "html": "text/html"}
"""The formats of ``/queries`` and ``/queries/NAME``: ``?_format=``, a ``.json``, ``.csv`` or
``.html`` suffix, or ``Accept`` (in that order); JSON when none says."""

PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "font-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
"""The Content-Security-Policy of the server's HTML pages: everything from this server, nothing
from anywhere else (YASGUI sets inline styles, hence ``'unsafe-inline'`` for styles only)."""

STATIC = {
    "yasgui.min.js": ("_vendor", "text/javascript"),
    "yasgui.min.css": ("_vendor", "text/css"),
    "yasgui.LICENSE": ("_vendor", "text/plain"),
    "sparql.js": ("serve/static", "text/javascript"),
    "sparql.css": ("serve/static", "text/css"),
}
"""The files under ``/static/``: where each lives in the package, and its media type."""

EVIDENCE_COLUMNS = frozenset({"evidence", "quote", "text"})
"""Columns whose values are quotes from a report: shown as quotations in HTML."""

_STYLE = """body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d2733}
header{background:#23395b;color:#fff;padding:.6em 1em;display:flex;gap:1.5em;align-items:baseline}
header h1{font-size:1.15em;margin:0}header a{color:#cfe0ff}main{padding:1em}
table{border-collapse:collapse;margin-top:.8em}th,td{border:1px solid #ccd;padding:.3em .5em;vertical-align:top;
text-align:left}th{background:#eef2f8}td.evidence q{font-style:italic;color:#3a2f14}.meta{color:#556}
form label{margin-right:1em}code{background:#f2f2f2;padding:0 .2em}"""


def query_url(name: str, params: Mapping[str, str], fmt: str | None = None) -> str:
    """The path that runs a canned query with parameters (``fmt`` adds ``_format``).

    Example:
        >>> query_url("partners-of", {"entity": "a&b"}, "csv")
        '/queries/partners-of?entity=a%26b&_format=csv'
    """
    import urllib.parse

    pairs = list(params.items()) + ([("_format", fmt)] if fmt else [])
    return f"/queries/{urllib.parse.quote(name)}" + (f"?{urllib.parse.urlencode(pairs)}" if pairs else "")


def _entry(q: CannedQuery) -> dict[str, Any]:
    return {"name": q.name, "title": q.title, "description": q.description,
            "parameters": [p.name for p in q.parameters],
            "parameter_kinds": {p.name: p.kind for p in q.parameters},
            "columns": list(q.columns), "example": dict(q.example), "url": query_url(q.name, q.example),
            "text": q.text}


def catalogue_json() -> bytes:
    """The catalogue as JSON: per query its name, title, description, parameters (names, as
    ``peelgraph queries --format json`` gives them, and their kinds), columns, an example's
    parameters and the URL that runs it, and the query text."""
    return json.dumps([_entry(q) for q in catalogue()], indent=1, ensure_ascii=False).encode("utf-8")


def _page(title: str, body: str) -> bytes:
    e = html.escape
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{e(title)}</title>'
            '<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">'
            f'<style>{_STYLE}</style></head>'
            f'<body><header><h1>{e(title)}</h1><a href="/sparql">SPARQL query page</a>'
            f'<a href="/queries.html">canned queries</a><a href="/">explorer</a></header>'
            f'<main>{body}</main></body></html>\n').encode()


def catalogue_html() -> bytes:
    """The catalogue as an HTML page: a table of the canned queries, each name linking to its
    example run."""
    e = html.escape
    rows = []
    for q in catalogue():
        params = "".join(f"<li><code>{e(p.name)}</code> ({e(p.kind)}) {e(p.description)}</li>" for p in q.parameters)
        rows.append(f'<tr><td><a href="{e(query_url(q.name, q.example, "html"))}">{e(q.name)}</a></td>'
                    f"<td>{e(q.title)}<div class=meta>{e(q.description)}</div></td>"
                    f"<td><ul>{params}</ul></td><td>{e(', '.join(q.columns))}</td></tr>")
    body = ("<p>Run one with <code>GET /queries/NAME?parameter=value</code>; the answer is JSON, CSV or this HTML "
            "(<code>?_format=json|csv|html</code>, a <code>.json</code>, <code>.csv</code> or <code>.html</code> "
            "suffix, or <code>Accept</code>). This list is <a href=\"/queries\">JSON</a> too.</p>"
            "<table><thead><tr><th>name</th><th>title</th><th>parameters</th><th>columns</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")
    return _page("peelgraph canned queries", body)


def _short(value: str) -> str:
    """An IRI written with its peelgraph prefix, for reading (``pgr:...``); anything else as it is."""
    for prefix, ns in PREFIXES.items():
        if value.startswith(ns) and re.fullmatch(r"[\w.-]*", value[len(ns):]):
            return f"{prefix}:{value[len(ns):]}"
    return value


def _cell(column: str, value: Any) -> str:
    if value is None:
        return "<td></td>"
    text = html.escape(_short(str(value)))
    if column in EVIDENCE_COLUMNS:
        return f'<td class="evidence"><q>{text}</q></td>'
    return f"<td>{text}</td>"


def _result_html(query: CannedQuery, params: Mapping[str, str], result: Result) -> bytes:
    e = html.escape
    inputs = "".join(f'<label>{e(p.name)} <input name="{e(p.name)}" value="{e(params.get(p.name, ""))}" '
                     f'title="{e(p.description)}"></label>' for p in query.parameters)
    form = (f'<form method="get" action="{e(query_url(query.name, {}))}">{inputs}'
            '<input type="hidden" name="_format" value="html"><button type="submit">Run</button></form>'
            if query.parameters else "")
    n = len(result.rows)
    links = " ".join(f'<a href="{e(query_url(query.name, params, f))}">{f.upper()}</a>' for f in ("json", "csv"))
    head = "".join(f"<th>{e(c)}</th>" for c in result.columns)
    rows = "".join("<tr>" + "".join(_cell(c, v) for c, v in zip(result.columns, r, strict=True)) + "</tr>"
                   for r in result.rows)
    body = (f"<p>{e(query.description)}</p>{form}"
            f"<p class=meta>{n} row{'s' if n != 1 else ''} &middot; this answer as {links} &middot; "
            f"<code>peelgraph query {e(query.name)}"
            + "".join(f" -p {e(k)}={e(v)}" for k, v in params.items()) + "</code></p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
    return _page(f"{query.title} ({query.name})", body)


def render_canned(query: CannedQuery, params: Mapping[str, str], result: Result, fmt: str) -> bytes:
    """A canned query's answer: ``json`` (the columns, and the rows as objects keyed by column),
    ``csv`` (as ``peelgraph query --format csv``) or ``html`` (a table; evidence quoted)."""
    if fmt == "json":
        doc = {"query": query.name, "title": query.title, "parameters": dict(params),
               "columns": list(result.columns), "rows": result.dicts(), "count": len(result.rows)}
        return json.dumps(doc, indent=1, ensure_ascii=False).encode("utf-8")
    if fmt == "csv":
        from peelgraph.ask.render import render

        return render(result, "csv").encode("utf-8")
    return _result_html(query, params, result)


def error_body(status: int, message: str, fmt: str, extra: Mapping[str, Any] | None = None) -> tuple[bytes, str]:
    """An error of the ``/queries`` API in its format: JSON ``{"error", "status", ...}``, an HTML
    page, or one line of plain text (for CSV)."""
    if fmt == "json":
        doc = {"error": message, "status": status, **(extra or {})}
        return json.dumps(doc, ensure_ascii=False).encode("utf-8"), "application/json"
    if fmt == "html":
        more = ""
        if extra and extra.get("suggestions"):
            names = ", ".join(f"<code>{html.escape(s)}</code>" for s in extra["suggestions"])
            more = f"<p>Close names: {names}</p>"
        return _page(f"Error {status}", f"<p>{html.escape(message)}</p>{more}"), "text/html"
    return (message + "\n").encode("utf-8"), "text/plain"


# -- the query page ------------------------------------------------------------------------------------------------

class Example(NamedTuple):
    """A canned query offered on the query page: its text with the prefixes it uses declared and
    its example parameters bound (as ``peelgraph query`` binds them)."""

    name: str
    title: str
    description: str
    text: str
    url: str


def declare_prefixes(text: str, names: Iterable[str] | None = None) -> str:
    """``PREFIX`` lines for the peelgraph prefixes ``text`` uses (or for ``names``), then the text.

    Example:
        >>> print(declare_prefixes("SELECT * WHERE { ?s a pg:Finding ; skos:note ?n }"))
        PREFIX pg: <https://w3id.org/peelgraph/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT * WHERE { ?s a pg:Finding ; skos:note ?n }
    """
    code = re.sub(r"#[^\n]*|<[^<>\s]*>|\"(?:[^\"\\\n]|\\.)*\"", " ", text)
    used = set(names) if names is not None else {p for p in PREFIXES if re.search(rf"(?<![\w?$:]){p}:", code)}
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items() if p in used) + text


def examples(db: Backend | None) -> list[Example]:
    """The canned queries as examples for the query page, each with its example parameters bound
    in a ``VALUES`` block (entities resolved on ``db``); a query whose example names nothing in
    ``db`` (or with no ``db``) is offered unbound, with a comment saying what to bind."""
    from peelgraph.ask.binding import bind_terms, with_values
    from peelgraph.errors import QueryError

    out = []
    for q in catalogue():
        text, note = q.text, ""
        if q.parameters:
            shown = " ".join(f"{k}={v}" for k, v in q.example.items())
            try:
                if db is None:
                    raise QueryError("no store")
                text = with_values(q, bind_terms(db, q, q.example))
                note = f"# bound below as in: peelgraph query {q.name} {shown}\n"
            except QueryError:
                note = f"# bind {', '.join('?' + p.name for p in q.parameters)} (VALUES) before running\n"
        out.append(Example(q.name, q.title, q.description, declare_prefixes(note + text),
                           query_url(q.name, q.example, "html")))
    return out


_DEFAULT_QUERY = """# Every peelgraph prefix is declared above; the endpoint also knows them when a query omits them.
SELECT ?entity ?label (COUNT(?mention) AS ?mentions) WHERE {
  ?entity skos:prefLabel ?label ; pg:mention ?mention .
}
GROUP BY ?entity ?label
ORDER BY DESC(?mentions) ?label
LIMIT 20
"""


def _json_in_html(value: Any) -> str:
    return (json.dumps(value, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("&", "\\u0026").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def sparql_page(exs: list[Example], endpoint: str = "/query") -> bytes:
    """The SPARQL query page: YASGUI on ``endpoint`` (a URL relative to the page), every
    peelgraph prefix declared, and the examples as a list that fills the editor."""
    e = html.escape
    config = {"endpoint": endpoint, "prefixes": PREFIXES, "query": declare_prefixes(_DEFAULT_QUERY, PREFIXES),
              "examples": [ex._asdict() for ex in exs]}
    items = "".join(f'<li><button type="button" class="example" data-index="{i}" title="{e(ex.description)}">'
                    f'{e(ex.title)}</button> <a class="meta" href="{e(ex.url)}">{e(ex.name)}</a></li>'
                    for i, ex in enumerate(exs))
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>peelgraph SPARQL</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">'
        '<link rel="stylesheet" href="/static/yasgui.min.css"><link rel="stylesheet" href="/static/sparql.css">'
        '</head><body><header><h1>peelgraph SPARQL</h1>'
        f'<span>endpoint <code id="endpoint">{e(endpoint)}</code></span>'
        '<a href="/queries.html">canned queries</a><a href="/">explorer</a>'
        '<a href="/static/yasgui.LICENSE">YASGUI (MIT) and its licences</a></header>'
        '<div id="layout"><aside id="examples"><h2>Examples</h2>'
        '<p class="meta">The canned queries (<code>peelgraph queries</code>): one click puts it in the editor.</p>'
        f'<ul>{items}</ul></aside><div id="yasgui"></div></div>'
        f'<script type="application/json" id="peelgraph-config">{_json_in_html(config)}</script>'
        '<script src="/static/yasgui.min.js"></script><script src="/static/sparql.js"></script>'
        '</body></html>\n').encode()


def static_file(name: str) -> tuple[bytes, str] | None:
    """A file under ``/static/`` and its media type (None: no such file)."""
    if name not in STATIC:
        return None
    folder, ctype = STATIC[name]
    node = resources.files("peelgraph")
    for part in folder.split("/"):
        node = node / part
    return (node / name).read_bytes(), ctype

