"""The query page and the canned-query API of the server (peelgraph.serve.pages, peelgraph.serve.server):
``/sparql`` in headless Chromium (type a query, run it, see rows; pick a canned example, run it;
nothing fetched from anywhere but the server), and ``/queries``, ``/queries/NAME`` over plain HTTP.

One server for the module (on the session's store) and one browser (Debian's chromium, as in
tests/test_browser.py: skipped when missing, failed under CI).
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import wait_until
from helpers_serve import http
from test_browser import browser  # noqa: F401  (the module's one Chromium)

from peelgraph.ask.catalogue import catalogue, get_query
from peelgraph.ask.render import render
from peelgraph.ask.run import run
from peelgraph.errors import QueryError, UnknownEntityError
from peelgraph.resources import PREFIXES

ROOT = Path(__file__).resolve().parents[1]
HTML_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"  # what Chromium sends


@pytest.fixture(scope="module")
def server(built_store: Path) -> Iterator[str]:
    from peelgraph.serve.server import make_server

    srv = make_server(built_store, port=0, workers=2)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    host, port = srv.server_address[:2]
    yield f"http://{host}:{port}"
    srv.shutdown()
    srv.server_close()


# --- the page in a browser ------------------------------------------------------------------------------------------

class Local:
    """A page on which every request not to the server is aborted and recorded, with its errors."""

    def __init__(self, chromium: Any, base: str) -> None:
        self.base = base
        self.requests: list[str] = []
        self.aborted: list[str] = []
        self.errors: list[str] = []
        self.context = chromium.new_context(viewport={"width": 1400, "height": 900}, service_workers="block")
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("console", lambda m: self.errors.append(f"console {m.type}: {m.text}")
                     if m.type in ("error", "warning") else None)

    def _route(self, route: Any) -> None:
        if route.request.url.startswith(self.base + "/"):
            route.continue_()
        else:
            self.aborted.append(route.request.url)
            route.abort()

    def editor(self) -> str:
        return str(self.page.evaluate("() => window.peelgraphYasgui.getTab().getYasqe().getValue()"))

    def run_and_read(self, before: int = 0) -> list[list[str]]:
        """Press YASGUI's run button; the cells of the result table once the answer is drawn."""
        self.page.evaluate("() => { window.peelgraphAnswered = false; window.peelgraphYasgui.once("
                           "'queryResponse', () => { window.peelgraphAnswered = true; }); }")
        self.page.click(".yasqe_queryButton")
        wait_until(self.page, "window.peelgraphAnswered === true", timeout=30)
        self.page.wait_for_selector(".yasr table.dataTable tbody tr", timeout=30_000)
        return self.page.evaluate("""() => Array.from(document.querySelectorAll('.yasr table.dataTable tbody tr'))
            .map(tr => Array.from(tr.querySelectorAll('td')).slice(1).map(td => td.innerText.trim()))""")


@pytest.fixture(scope="module")
def page(browser: Any, server: str) -> Iterator[Local]:  # noqa: F811 - the imported fixture
    local = Local(browser, server)
    local.page.goto(server + "/sparql")
    local.page.wait_for_selector(".CodeMirror", timeout=30_000)
    yield local
    local.context.close()


def test_a_typed_query_runs_and_shows_its_rows(page: Local, db) -> None:
    from peelgraph.ask.execute import select

    query = "SELECT ?label WHERE { ?c a org:OrganizationalCollaboration ; skos:prefLabel ?label } ORDER BY ?label"
    page.page.click(".CodeMirror-code")
    page.page.keyboard.press("Control+A")
    page.page.keyboard.press("Delete")
    prefixes = "PREFIX org: <" + PREFIXES["org"] + ">\nPREFIX skos: <" + PREFIXES["skos"] + ">\n"
    page.page.keyboard.type(prefixes + query)
    assert page.editor() == prefixes + query
    cells = page.run_and_read()
    want = [r["label"] for r in select(db, query)]
    assert len(want) > 3
    assert [row[0] for row in cells] == want
    # autocompletion in a class position: YASGUI's class and property completers would ask a remote service
    assert sorted(page.page.evaluate("() => Object.keys(window.peelgraphYasgui.getTab().getYasqe().autocompleters)"))\
        == ["prefixes", "variables"]
    page.page.keyboard.press("Control+A")
    page.page.keyboard.type("SELECT * WHERE { ?s a owl:Clas")
    page.page.keyboard.press("Control+Space")
    page.page.wait_for_timeout(1000)  # a completer's request would be made at once
    assert page.aborted == [], f"requests that would leave the server: {page.aborted}"
    assert all(u.startswith(page.base + "/") for u in page.requests), page.requests
    assert page.errors == [], page.errors


def test_a_canned_example_fills_the_editor_and_runs(page: Local, db) -> None:
    q = get_query("partners-of")
    page.page.get_by_role("button", name=q.title).click()
    text = page.editor()
    assert text.startswith("PREFIX ") and "VALUES (?entity)" in text
    assert "peelgraph query partners-of entity=IOM" in text
    cells = page.run_and_read()
    want = run(db, q, dict(q.example))
    assert len(cells) == len(want.rows) > 0
    partners = {p for p in (row[want.columns.index("partner")] for row in want.rows)}
    assert {row[0] for row in cells} <= {_short(p) for p in partners} | partners
    assert page.aborted == [] and page.errors == [], (page.aborted, page.errors)
    assert all(u.startswith(page.base + "/") for u in page.requests), page.requests


def _short(value: str) -> str:
    for prefix, ns in PREFIXES.items():
        if value.startswith(ns):
            return f"{prefix}:{value[len(ns):]}"
    return value


# --- /sparql: the page for browsers, the endpoint for everyone else ----------------------------------------------

def test_sparql_gives_the_page_to_a_browser_and_the_protocol_to_clients(server: str) -> None:
    status, headers, body = http(server + "/sparql", headers={"Accept": HTML_ACCEPT})
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "default-src 'none'" in headers["Content-Security-Policy"] and "connect-src 'self'" in \
        headers["Content-Security-Policy"]
    page = body.decode()
    assert re.findall(r'(?:src|href)="([^"]+)"', page) and all(
        u.startswith(("/", "data:")) for u in re.findall(r'(?:src|href)="([^"]+)"', page))  # nothing from elsewhere
    config = json.loads(re.search(r'id="peelgraph-config">(.*?)</script>', page, re.S).group(1))
    assert config["endpoint"] == "/query" and config["prefixes"] == PREFIXES
    assert [e["name"] for e in config["examples"]] == [q.name for q in catalogue()]
    assert all(f"PREFIX {p}: <{iri}>" in config["query"] for p, iri in PREFIXES.items())
    # SPARQL clients: the service description without a query, results with one, HTML or not
    status, headers, body = http(server + "/sparql", headers={"Accept": "text/turtle"})
    assert status == 200 and headers["Content-Type"].startswith("text/turtle") and b"sd:Service" in body
    status, headers, _ = http(server + "/sparql")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    ask = urllib.parse.quote("ASK { ?r a pg:InspectionReport }")
    status, headers, body = http(f"{server}/sparql?query={ask}", headers={"Accept": HTML_ACCEPT})
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+xml") and b"true" in body
    status, headers, body = http(f"{server}/sparql?query={ask}")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_the_static_files_are_the_vendored_ones(server: str) -> None:
    readme = (ROOT / "peelgraph" / "_vendor" / "README.md").read_text(encoding="utf-8")
    for name in ("yasgui.min.js", "yasgui.min.css"):
        status, headers, body = http(f"{server}/static/{name}")
        assert status == 200 and body == (ROOT / "peelgraph" / "_vendor" / name).read_bytes()
        assert hashlib.sha256(body).hexdigest() in readme  # the checksum written down holds
    assert http(server + "/static/yasgui.LICENSE")[2].startswith(b"YASGUI (npm package @zazuko/yasgui 4.6.2")
    assert b'"license": "MIT"' in http(server + "/static/yasgui.LICENSE")[2]
    assert http(server + "/static/../server.py")[0] == 404
    assert http(server + "/static/pages.py")[0] == 404


def test_the_bundled_editor_holds_no_resource_url_outside_comments() -> None:
    """The bundle's network reach is limited to what the page switches off (see peelgraph/_vendor/README.md)."""
    js = (ROOT / "peelgraph" / "_vendor" / "yasgui.min.js").read_text(encoding="utf-8")
    assert "fetchFromLov" in js  # the LOV autocompleters exist...
    page_js = (ROOT / "peelgraph" / "serve" / "static" / "sparql.js").read_text(encoding="utf-8")
    assert 'autocompleters = ["prefixes", "variables"]' in page_js  # ...and are not enabled
    assert "url(" not in (ROOT / "peelgraph" / "_vendor" / "yasgui.min.css").read_text(encoding="utf-8")


# --- /queries and /queries/NAME -------------------------------------------------------------------------------------

def test_the_catalogue_in_json_and_html(server: str) -> None:
    status, headers, body = http(server + "/queries")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    entries = json.loads(body)
    assert [e["name"] for e in entries] == [q.name for q in catalogue()]
    partners = next(e for e in entries if e["name"] == "partners-of")
    assert partners["parameters"] == ["entity"] and partners["parameter_kinds"] == {"entity": "entity"}
    assert partners["columns"] == ["partner", "relation", "via", "evidence"]
    assert partners["url"] == "/queries/partners-of?entity=IOM"
    for url, headers_ in ((server + "/queries.html", {}), (server + "/queries?_format=html", {}),
                          (server + "/queries", {"Accept": HTML_ACCEPT})):
        status, headers, body = http(url, headers=headers_)
        assert status == 200 and headers["Content-Type"].startswith("text/html"), url
        page = body.decode()
        assert all(f">{html.escape(q.name)}</a>" in page for q in catalogue())
        assert html.escape(get_query("partners-of").parameters[0].description) in page


def test_a_canned_query_in_json_is_what_the_cli_runs(server: str, db) -> None:
    q = get_query("partners-of")
    want = run(db, q, {"entity": "IOM"})
    status, headers, body = http(server + "/queries/partners-of?entity=IOM")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    doc = json.loads(body)
    assert doc["columns"] == list(want.columns) == list(q.columns)
    assert doc["rows"] == want.dicts() and doc["count"] == len(want.rows) > 0
    assert doc["parameters"] == {"entity": "IOM"}
    # the same with .json, and an entity named in another case resolves as on the command line
    assert json.loads(http(server + "/queries/partners-of.json?entity=iom")[2])["rows"] == want.dicts()


def test_a_canned_query_in_csv(server: str, db) -> None:
    want = render(run(db, get_query("collaborations")), "csv")
    for url, headers_ in ((server + "/queries/collaborations.csv", {}),
                          (server + "/queries/collaborations?_format=csv", {}),
                          (server + "/queries/collaborations", {"Accept": "text/csv"})):
        status, headers, body = http(url, headers=headers_)
        assert status == 200 and headers["Content-Type"].startswith("text/csv"), url
        assert body.decode() == want
    rows = list(csv.reader(io.StringIO(want)))
    assert rows[0] == list(get_query("collaborations").columns) and len(rows) > 2


def test_a_canned_query_in_html_quotes_the_evidence_escaped(server: str, db) -> None:
    result = run(db, get_query("collaborations"))
    status, headers, body = http(server + "/queries/collaborations.html")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    page = body.decode()
    quotes = {r["evidence"] for r in result.dicts() if r["evidence"]}
    assert quotes and all(f'<td class="evidence"><q>{html.escape(e)}</q></td>' in page for e in quotes)
    tricky = [e for e in quotes if "'" in e]  # a quote with a character HTML must escape
    assert tricky and "&#x27;" in page and not any(e in page for e in tricky)
    assert page.count("<tr>") == len(result.rows) + 1


def test_a_parameter_is_escaped_in_the_html_answer(server: str) -> None:
    phrase = '<script>alert("x")</script>'
    status, _, body = http(server + "/queries/search?_format=html&phrase=" + urllib.parse.quote(phrase))
    assert status == 200
    page = body.decode()
    assert "<script>" not in page and html.escape(phrase) in page


def test_an_unknown_query_is_404(server: str) -> None:
    status, headers, body = http(server + "/queries/partner-of?entity=IOM")
    assert status == 404 and headers["Content-Type"].startswith("application/json")
    doc = json.loads(body)
    assert doc["status"] == 404 and "unknown query 'partner-of'" in doc["error"] and "partners-of" in doc["suggestions"]
    status, headers, body = http(server + "/queries/nothing-like-it.csv")
    assert status == 404 and headers["Content-Type"].startswith("text/plain") and b"unknown query" in body
    status, headers, body = http(server + "/queries/a%3Cb%3E.html")
    assert status == 404 and b"<b>" not in body
    assert http(server + "/queries/..%2Fserver.py")[0] == 404


def test_bad_or_missing_parameters_are_400_with_the_cli_message(server: str, db) -> None:
    q = get_query("partners-of")
    with pytest.raises(QueryError) as missing:
        run(db, q, {})
    status, _, body = http(server + "/queries/partners-of")
    assert status == 400 and json.loads(body)["error"] == str(missing.value)
    with pytest.raises(QueryError) as unexpected:
        run(db, q, {"entity": "IOM", "colour": "red"})
    status, _, body = http(server + "/queries/partners-of?entity=IOM&colour=red")
    assert status == 400 and json.loads(body)["error"] == str(unexpected.value)
    with pytest.raises(UnknownEntityError) as unknown:
        run(db, q, {"entity": "MSHA"})
    status, _, body = http(server + "/queries/partners-of?entity=MSHA")
    doc = json.loads(body)
    assert status == 400 and doc["error"] == str(unknown.value)
    assert doc["suggestions"] == list(unknown.value.suggestions) and doc["suggestions"]
    status, headers, body = http(server + "/queries/partners-of.html?entity=MSHA")
    assert status == 400 and headers["Content-Type"].startswith("text/html") and html.escape(str(unknown.value)) \
        in body.decode()
    assert http(server + "/queries/partners-of?entity=IOM&entity=MASH")[0] == 400
    status, _, body = http(server + "/queries/judgments?_format=xml")
    assert status == 400 and "unknown _format 'xml'" in json.loads(body)["error"]


def test_the_readme_query_for_gephi_gives_the_relations_with_their_names(server: str, db) -> None:
    import rdflib

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    query = re.search(r"Semantic Web Import.*?```sparql\n(.*?)```", readme, re.S).group(1)
    status, headers, body = http(server + "/query", data=query.encode(), headers={
        "Content-Type": "application/sparql-query", "Accept": "application/rdf+xml"})
    assert status == 200 and headers["Content-Type"].startswith("application/rdf+xml")
    graph = rdflib.Graph().parse(data=body, format="xml")
    from peelgraph.ask.execute import select

    want = {(r["a"], r["p"], r["b"]) for r in select(db, """SELECT DISTINCT ?a ?p ?b WHERE {
        ?rel a pg:Relation ; rdf:subject ?a ; rdf:predicate ?p ; rdf:object ?b .
        ?a skos:prefLabel [] . ?b skos:prefLabel [] }""")}
    edges = [t for t in graph if t[1] != rdflib.RDFS.label]
    assert len(want) > 10 and {tuple(str(x) for x in t) for t in edges} == want
    assert all(graph.value(s, rdflib.RDFS.label) and graph.value(o, rdflib.RDFS.label) for s, _, o in edges)
