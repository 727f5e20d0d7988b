"""The offline partner-network explorer: one self-contained HTML file that fetches nothing.

:func:`render_html` draws a view (:func:`peelgraph.ask.network.load_view`) with Cytoscape.js,
vendored in ``peelgraph/_vendor/`` (MIT licence, notice shipped in the page) and inlined,
so the file works on a machine with no network. Positions come from the seeded layout of
:func:`peelgraph.show.netexport.layout` (the same graph looks the same every time), colours from
the fixed palette by kind; the layout keeps labels apart (no two overlap in the views of the
shipped report), and the page hides what labels would still collide, the less connected
first, until a node is selected or found. The page has:

- a legend that doubles as a filter by kind; the counts of nodes and links follow it;
- a search box over labels and aliases that forgives typos: exact, prefix and substring
  matches first, then names within a small edit distance or with the same letters in
  another order (``MSHA`` finds the MASH, ``safegarding`` the safeguarding hub);
- bodies with no links (often a quarter of a view) collapsed behind a toggle, hidden at
  first so the linked network fills the canvas;
- a details panel: a click on a node shows its links and the findings that concern it, a
  click on an edge shows its relations, each with the evidence quote and its section;
- downloads of what is shown: a picture (PNG, drawn by Cytoscape.js) and the shown nodes
  and links as CSV (the columns of ``peelgraph export --format csv``).

The data are embedded as JSON in a ``<script type="application/json">`` element with every
``/`` written ``\\/``: no ``</script>`` can end it early, and no IRI reads as a URL. All text
from the reports is put into the page with ``textContent``, never as HTML. The only
``http://`` strings in the page are in licence comments (``/*! ... */``) of the vendored
library (:data:`ALLOWED_URLS`); nothing is ever fetched, and a Content-Security-Policy
(``default-src 'none'``) forbids the page to fetch anything at all.

Example:
    >>> from peelgraph.ask.network import _demo_store
    >>> html = render_html(_demo_store())
    >>> html.startswith("<!DOCTYPE html>"), "cytoscape" in html, "https://" in html
    (True, True, False)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import TYPE_CHECKING, Any

from peelgraph.errors import ExportError
from peelgraph.vocab import FINDING_KINDS as _FINDING_KINDS

if TYPE_CHECKING:
    import networkx as nx

    from peelgraph.store.backend import Backend

__all__ = ["CYTOSCAPE_VERSION", "ALLOWED_URLS", "FINDING_KINDS", "explorer_data", "render_html", "vendored"]

CYTOSCAPE_VERSION = "3.34.4"
#: sha256 of ``peelgraph/_vendor/cytoscape.min.js`` (see ``peelgraph/_vendor/README.md``).
CYTOSCAPE_SHA256 = "081591ab735b2b6a3b31a3c60f8f3a3e2fee8c92939e0c7820ad1208571b6cd8"
#: The only URLs the page contains, all in licence comments (``/*! ... */``) of the vendored library.
ALLOWED_URLS = ("http://en.wikipedia.org/wiki/MIT_License", "http://engelschall.com", "http://opensource.org/licenses/MIT")
#: Node kinds that are findings (in the ``all`` view) rather than entities.
FINDING_KINDS = frozenset({*_FINDING_KINDS, "finding"})

_BIG = 2000  # above this many nodes the page trades detail for speed while panning


def vendored(name: str) -> str:
    """The text of a vendored file (``cytoscape.min.js``, ``cytoscape.LICENSE``)."""
    try:
        return (resources.files("peelgraph") / "_vendor" / name).read_text(encoding="utf-8")
    except (FileNotFoundError, OSError) as exc:  # pragma: no cover - a broken install
        raise ExportError(f"the vendored file {name} is missing from the installed package; reinstall") from exc


def _evidence(evs: Any, labels: dict[str, str]) -> list[dict[str, Any]]:
    out = []
    for e in evs or []:
        subject, obj = e.get("subject"), e.get("object")
        out.append({"relation": e.get("relation"), "subject": labels.get(subject, subject),
                    "object": labels.get(obj, obj), "quote": e.get("quote") or "", "section": e.get("section"),
                    "report": (e.get("report") or "").rsplit("/", 1)[-1] or None, "start": e.get("start"),
                    "end": e.get("end")})
    return out


def _findings(all_view: nx.Graph | None, nodes: Any) -> tuple[dict[str, list[str]], dict[str, Any]]:
    """For each node, the findings that concern it (``all`` view), and the findings by id."""
    by_node: dict[str, list[str]] = {}
    table: dict[str, Any] = {}
    if all_view is None:
        return by_node, table
    labels = {n: str(d.get("label", n)) for n, d in all_view.nodes(data=True)}
    for n in nodes:
        if n not in all_view or all_view.nodes[n].get("kind") in FINDING_KINDS:
            continue
        for f in sorted(all_view.neighbors(n), key=str):
            fd = all_view.nodes[f]
            if fd.get("kind") not in FINDING_KINDS:
                continue
            if f not in table:
                evs = [e for e in all_view.edges[n, f].get("evidence", []) if e.get("relation") == "concerns"]
                table[f] = {"text": fd.get("label", ""), "kind": fd.get("kind"), "question": fd.get("question"),
                            "evidence": _evidence(evs[:1], labels)}
            by_node.setdefault(n, []).append(f)
    return by_node, table


def explorer_data(g: nx.Graph, all_view: nx.Graph | None = None,
                  aliases: Mapping[str, Sequence[str]] | None = None, title: str | None = None) -> dict[str, Any]:
    """The JSON the page draws: nodes with positions, edges with evidence, kinds, findings.

    Args:
        g: the view to draw.
        all_view: the ``all`` view of the same store, for the findings about each node
            (default: ``g`` itself when it has finding nodes).
        aliases: other names of each node for the search box (default: the nodes' ``aliases``).
        title: the page's heading.
    """
    import networkx as nx

    from peelgraph.show.netexport import colour, layout, node_size

    if all_view is None and any(d.get("kind") in FINDING_KINDS for _, d in g.nodes(data=True)):
        all_view = g
    pos = layout(g)
    order = sorted(g.nodes, key=str)
    ids = {n: f"n{i}" for i, n in enumerate(order)}
    labels = {n: str(g.nodes[n].get("label", n)) for n in order}
    by_node, findings = _findings(all_view, order)
    fids = {f: f"f{i}" for i, f in enumerate(sorted(findings, key=str))}
    kinds: dict[str, int] = {}
    nodes = []
    for n in order:
        d = g.nodes[n]
        kind = str(d.get("kind", "entity"))
        kinds[kind] = kinds.get(kind, 0) + 1
        names = (aliases or {}).get(n, d.get("aliases") or [])
        nodes.append({"id": ids[n], "label": labels[n], "kind": kind, "iri": str(d.get("iri", n)),
                      "aliases": sorted(set(map(str, names)) - {labels[n]}), "degree": g.degree(n),
                      "alone": not any(m != n for m in nx.all_neighbors(g, n)),
                      "size": node_size(g.degree(n)), "color": colour(kind), "x": pos[n][0], "y": pos[n][1],
                      "findings": [fids[f] for f in by_node.get(n, [])]})
    from peelgraph.show.netexport import _sorted_edges

    edges = []
    for i, (u, v, d) in enumerate(_sorted_edges(g)):
        edges.append({"id": f"e{i}", "source": ids[u], "target": ids[v], "relation": str(d.get("relation", "")),
                      "weight": d.get("weight", 1), "evidence": _evidence(d.get("evidence"), labels)})
    report = g.graph.get("report")
    return {
        "title": title or "peelgraph partner-network explorer",
        "view": g.graph.get("view"),
        "report": str(report).rsplit("/", 1)[-1] if report else None,
        "directed": g.is_directed(),
        "nodes": nodes,
        "edges": edges,
        "kinds": [{"kind": k, "color": colour(k), "count": kinds[k]} for k in sorted(kinds)],
        "findings": {fids[f]: v for f, v in findings.items()},
    }


def render_html(source: nx.Graph | Backend, view: str = "partners", report: str | None = None,
                title: str | None = None) -> str:
    """The explorer of ``source`` as one self-contained HTML page (a string).

    Args:
        source: a backend (:class:`peelgraph.store.backend.Backend`), from which ``view`` and,
            for the findings, the ``all`` view are loaded; or a networkx graph to draw.
        view: the view to load from a store (see :data:`peelgraph.ask.network.VIEWS`).
        report: only this report (a store only).
        title: the page's heading (default: names the view and the report).

    Returns:
        The HTML text, the same for the same graph on every run.
    """
    import networkx as nx

    if isinstance(source, nx.Graph):
        data = explorer_data(source, title=title)
    else:
        from peelgraph.ask.binding import entity_labels
        from peelgraph.ask.network import load_view

        g = load_view(source, view, report)
        all_view = g if view == "all" else load_view(source, "all", report)
        ents = entity_labels(source, g.graph.get("report"))
        data = explorer_data(g, all_view, {i: e.aliases for i, e in ents.items()}, title)
    if title is None:
        where = f" in {data['report']}" if data.get("report") else ""
        data["title"] = f"peelgraph: {data['view'] or 'network'} view{where}"
    js = vendored("cytoscape.min.js")
    if hashlib.sha256(js.encode("utf-8")).hexdigest() != CYTOSCAPE_SHA256:  # pragma: no cover
        raise ExportError("the vendored cytoscape.min.js does not match its checksum; reinstall peelgraph")
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).replace("/", "\\/")
    licence = vendored("cytoscape.LICENSE").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    page = _PAGE
    for key, value in (("@@TITLE@@", _html(data["title"])), ("@@CSS@@", _CSS), ("@@VERSION@@", CYTOSCAPE_VERSION),
                       ("@@LICENCE@@", licence), ("@@APP@@", _APP), ("@@BIG@@", str(_BIG))):
        page = page.replace(key, value)
    # the library and the data last: neither may be searched for placeholders
    head, rest = page.split("@@LIBRARY@@")
    middle, tail = rest.split("@@DATA@@")
    return head + js.replace("</script", "<\\/script") + middle + payload + tail


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; \
style-src 'unsafe-inline'">
<title>@@TITLE@@</title>
<style>@@CSS@@</style>
</head>
<body>
<aside id="side">
  <h1 id="title">@@TITLE@@</h1>
  <p id="stats"></p>
  <label for="search" class="visually-hidden">Search</label>
  <input id="search" type="search" placeholder="Search: name or acronym (e.g. MASH)" autocomplete="off">
  <ul id="results"></ul>
  <h2>Kinds <small>(click to show or hide)</small></h2>
  <ul id="legend"></ul>
  <label id="unlinked-box"><input id="unlinked" type="checkbox"> <span id="unlinked-text"></span></label>
  <h2>Download what is shown</h2>
  <div id="downloads">
    <button type="button" id="export-png">Picture (PNG)</button>
    <button type="button" id="export-nodes">Nodes (CSV)</button>
    <button type="button" id="export-edges">Links (CSV)</button>
  </div>
  <h2>Details</h2>
  <div id="details"><p class="hint">Click a node or a link to see the findings and the evidence behind it.</p></div>
  <details id="about"><summary>About</summary>
    <p>Made by peelgraph. Every link and finding quotes the sentence of the report that states it.
    Drawn with Cytoscape.js @@VERSION@@, included in this file under the MIT licence:</p>
    <pre id="licence">@@LICENCE@@</pre>
  </details>
</aside>
<main id="cy" aria-label="network"></main>
<script>@@LIBRARY@@</script>
<script type="application/json" id="graph-data">@@DATA@@</script>
<script>
const BIG = @@BIG@@;
@@APP@@
</script>
</body>
</html>
"""

_CSS = """
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; font: 14px/1.4 system-ui, "Segoe UI", "DejaVu Sans", Arial, sans-serif;
  color: #1b1b1b; }
body { display: flex; }
#side { width: 380px; min-width: 300px; height: 100%; overflow-y: auto; padding: 12px 14px;
  border-right: 1px solid #ddd; background: #fafafa; }
#cy { flex: 1; height: 100%; background: #fff; }
h1 { font-size: 17px; margin: 0 0 4px; }
h2 { font-size: 14px; margin: 14px 0 6px; } h2 small { font-weight: normal; color: #666; }
#stats { margin: 0 0 8px; color: #555; }
#search { width: 100%; padding: 6px 8px; font-size: 14px; border: 1px solid #bbb; border-radius: 4px; }
#results { list-style: none; margin: 4px 0 0; padding: 0; max-height: 180px; overflow-y: auto; }
#results li { padding: 3px 6px; cursor: pointer; border-radius: 3px; }
#results li:hover, #results li:focus { background: #e8f0fe; outline: none; }
#results .none { color: #777; cursor: default; }
#legend { list-style: none; margin: 0; padding: 0; }
#legend li { display: flex; align-items: center; gap: 8px; padding: 2px 4px; cursor: pointer; user-select: none;
  border-radius: 3px; }
#legend li:hover { background: #eee; }
#legend li.off { opacity: 0.4; text-decoration: line-through; }
.swatch { width: 14px; height: 14px; border-radius: 50%; flex: none; border: 1px solid rgba(0,0,0,.2); }
.count { color: #777; margin-left: auto; }
#details .hint { color: #666; }
#details h3 { font-size: 15px; margin: 4px 0; }
#details .meta { color: #555; margin: 2px 0 8px; word-break: break-all; }
.evidence { margin: 6px 0 10px; padding: 6px 8px; background: #fff; border-left: 3px solid #999;
  border-radius: 2px; }
.evidence blockquote { margin: 0; font-style: italic; white-space: pre-wrap; }
.evidence .where { color: #555; font-size: 12px; margin-top: 3px; }
.finding { margin: 6px 0 10px; }
.tag { display: inline-block; padding: 0 6px; border-radius: 8px; color: #fff; font-size: 11px; }
.visually-hidden { position: absolute; left: -9999px; }
#unlinked-box { display: block; margin: 8px 0 0; color: #444; cursor: pointer; }
#unlinked-box[hidden] { display: none; }
#downloads { display: flex; gap: 6px; flex-wrap: wrap; }
#downloads button { font: inherit; font-size: 13px; padding: 4px 8px; border: 1px solid #bbb; border-radius: 4px;
  background: #fff; cursor: pointer; }
#downloads button:hover { background: #e8f0fe; }
#about { margin-top: 18px; color: #555; font-size: 12px; }
#licence { white-space: pre-wrap; font-size: 10px; }
"""

_APP = r"""
"use strict";
const DATA = JSON.parse(document.getElementById("graph-data").textContent);
const byId = new Map(DATA.nodes.map(n => [n.id, n]));
const hidden = new Set();  // kinds switched off in the legend
let showAlone = false;  // bodies with no links: collapsed behind a toggle at first
const big = DATA.nodes.length > BIG;
const el = (tag, attrs, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v; else if (k === "style") e.style.cssText = v; else e.setAttribute(k, v);
  }
  for (const k of kids) if (k !== null && k !== undefined) e.append(k instanceof Node ? k : String(k));
  return e;
};

const cy = cytoscape({
  container: document.getElementById("cy"),
  elements: {
    nodes: DATA.nodes.map(n => ({data: {id: n.id, label: n.label, kind: n.kind, color: n.color, size: n.size},
                                 position: {x: n.x, y: n.y}, classes: n.alone ? "alone" : ""})),
    edges: DATA.edges.map(e => ({data: {id: e.id, source: e.source, target: e.target, relation: e.relation,
                                        weight: e.weight}})),
  },
  layout: {name: "preset", fit: false},
  style: [
    {selector: "node", style: {"background-color": "data(color)", width: "data(size)", height: "data(size)",
      label: "data(label)", "font-size": 10, "min-zoomed-font-size": big ? 9 : 6, "text-valign": "center",
      "text-halign": "right", "text-margin-x": 3, color: "#222", "border-width": 1, "border-color": "#fff",
      "text-max-width": 160, "text-wrap": "ellipsis"}},
    {selector: "edge", style: {width: "mapData(weight, 1, 6, 1.2, 4)", "line-color": "#a8a8a8",
      "curve-style": big || !DATA.directed ? "haystack" : "straight", "haystack-radius": 0,
      "target-arrow-shape": DATA.directed && !big ? "triangle" : "none", "target-arrow-color": "#a8a8a8",
      "arrow-scale": 0.8}},
    {selector: "node.quiet", style: {"text-opacity": 0}},
    {selector: "node.match", style: {"border-width": 4, "border-color": "#ffd400", "text-opacity": 1,
      "z-index": 20}},
    {selector: "node:selected", style: {"border-width": 4, "border-color": "#111", "text-opacity": 1, "z-index": 30}},
    {selector: "edge:selected", style: {"line-color": "#111", "target-arrow-color": "#111", width: 4}},
    {selector: ".hidden, .alone.collapsed", style: {display: "none"}},
  ],
  minZoom: 0.02, maxZoom: 6,
  textureOnViewport: big, hideEdgesOnViewport: big, pixelRatio: big ? 1 : "auto",
  boxSelectionEnabled: false,
});

// what is shown, decided from the filters themselves (Cytoscape's :visible may lag a style change)
const isShown = n => !hidden.has(n.kind) && (showAlone || !n.alone);
const shownNodes = () => cy.nodes().filter(v => isShown(byId.get(v.id())));
const shownEdges = () => cy.edges().filter(v => isShown(byId.get(v.data("source"))) &&
                                                isShown(byId.get(v.data("target"))));

// labels: where two would still overlap, the less connected one is drawn only when selected or found
function declutter() {
  const nodes = shownNodes();
  cy.batch(() => cy.nodes(".quiet").removeClass("quiet"));
  nodes.updateStyle();  // labels just shown again need their style (and size) before they are measured
  const order = nodes.sort((a, b) => byId.get(b.id()).degree - byId.get(a.id()).degree || (a.id() < b.id() ? -1 : 1));
  const CELL = 64, grid = new Map(), quiet = [];
  order.forEach(n => {
    const b = n.boundingBox({includeNodes: false, includeEdges: false, includeLabels: true, includeOverlays: false});
    if (!(b.w > 0 && b.h > 0)) return;
    const keys = [];
    for (let i = Math.floor(b.x1 / CELL); i <= Math.floor(b.x2 / CELL); i++)
      for (let j = Math.floor(b.y1 / CELL); j <= Math.floor(b.y2 / CELL); j++) keys.push(i + "," + j);
    const clash = keys.some(k => (grid.get(k) || []).some(o =>
      Math.min(o.x2, b.x2) - Math.max(o.x1, b.x1) > 0.5 && Math.min(o.y2, b.y2) - Math.max(o.y1, b.y1) > 0.5));
    if (clash) { quiet.push(n); return; }
    for (const k of keys) { if (!grid.has(k)) grid.set(k, []); grid.get(k).push(b); }
  });
  cy.batch(() => quiet.forEach(n => n.addClass("quiet")));
  return quiet.length;
}

function where(e) {
  const parts = [];
  if (e.section) parts.push("Section: " + e.section);
  if (e.report) parts.push(e.report + (e.start !== null && e.start !== undefined ? `, chars ${e.start}-${e.end}` : ""));
  return parts.join(" · ");
}
function evidenceBox(e, statement) {
  return el("div", {class: "evidence"},
    statement ? el("div", {class: "statement"}, el("b", null, statement)) : null,
    el("blockquote", null, "“" + e.quote.replace(/\s+/g, " ").trim() + "”"),
    el("div", {class: "where"}, where(e)));
}
function tag(kind) {
  const k = DATA.kinds.find(x => x.kind === kind);
  return el("span", {class: "tag", style: `background:${k ? k.color : "#666"}`}, kind);
}
const findingColours = {"strength": "#2CA02C", "weakness": "#D62728", "area-for-improvement": "#FF7F0E",
  "recommendation": "#9467BD", "cause-of-concern": "#8B0000", "finding": "#17BECF"};

function showNode(id) {
  const n = byId.get(id);
  const box = document.getElementById("details");
  box.replaceChildren();
  box.append(el("h3", null, n.label), el("div", {class: "meta"}, tag(n.kind), " ", `${n.degree} link(s)`));
  if (n.aliases.length) box.append(el("div", {class: "meta"}, "Also: " + n.aliases.join(", ")));
  box.append(el("div", {class: "meta"}, n.iri));
  const fs = n.findings.map(f => DATA.findings[f]);
  box.append(el("h4", null, `Findings about it (${fs.length})`));
  for (const f of fs) {
    const div = el("div", {class: "finding"},
      el("span", {class: "tag", style: `background:${findingColours[f.kind] || "#666"}`}, f.kind),
      f.question ? ` question ${f.question}` : "", el("div", null, f.text));
    for (const e of f.evidence) div.append(evidenceBox(e));
    box.append(div);
  }
  const links = cy.getElementById(id).connectedEdges();
  box.append(el("h4", null, `Links (${links.length})`));
  links.forEach(edge => {
    const e = DATA.edges[Number(edge.id().slice(1))];
    const other = byId.get(e.source === id ? e.target : e.source);
    const item = el("div", {class: "finding"},
      el("a", {href: "#", "data-edge": e.id}, `${e.relation}: ${other.label}`));
    item.querySelector("a").addEventListener("click", ev => { ev.preventDefault(); select(cy.getElementById(e.id)); });
    box.append(item);
  });
}
function showEdge(id) {
  const e = DATA.edges[Number(id.slice(1))];
  const box = document.getElementById("details");
  box.replaceChildren();
  const s = byId.get(e.source), t = byId.get(e.target);
  box.append(el("h3", null, `${s.label} ${DATA.directed ? "→" : "—"} ${t.label}`),
    el("div", {class: "meta"}, `${e.relation}; ${e.evidence.length} evidence sentence(s)`));
  for (const ev of e.evidence) box.append(evidenceBox(ev, `${ev.subject} ${ev.relation} ${ev.object}`));
}
function select(ele) {
  cy.elements(":selected").unselect();
  ele.select();
  if (ele.isNode()) showNode(ele.id()); else showEdge(ele.id());
}
cy.on("tap", "node", ev => select(ev.target));
cy.on("tap", "edge", ev => select(ev.target));

// search: labels and aliases, any case and accents; exact, prefix and substring matches first, then
// typos: a name or word within a small edit distance (adjacent letters swapped count once), or with
// the same letters in another order ("MSHA" finds the MASH)
const norm = s => s.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();
const letters = s => s.replace(/ /g, "").split("").sort().join("");
function distance(a, b, max) {
  // optimal string alignment distance, or max + 1 as soon as it must exceed max
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before = [], prev = Array.from({length: b.length + 1}, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let least = i;
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, before[j - 2] + 1);
      cur.push(v);
      least = Math.min(least, v);
    }
    if (least > max) return max + 1;
    before = prev;
    prev = cur;
  }
  return prev[b.length];
}
const allowed = len => len <= 3 ? 0 : len <= 5 ? 1 : len <= 8 ? 2 : 3;
const index = DATA.nodes.map(n => {
  const names = [n.label, ...n.aliases].map(norm).filter(Boolean);
  const words = new Set(names);
  for (const name of names) for (const w of name.split(" ")) if (w.length > 2) words.add(w);
  return {id: n.id, names, words: [...words].map(w => [w, letters(w)])};
});
function search(q) {
  const k = norm(q);
  if (!k) return [];
  const most = allowed(k.length), same = letters(k);
  const hits = [];
  for (const it of index) {
    if (hidden.has(byId.get(it.id).kind)) continue;
    let score = 99;
    for (const name of it.names) {
      if (name === k) score = Math.min(score, 0);
      else if (name.startsWith(k)) score = Math.min(score, 1);
      else if (name.includes(k)) score = Math.min(score, 2);
    }
    if (score > 2 && k.length >= 3) {
      for (const [w, wl] of it.words) {
        const d = distance(k, w, Math.max(most, 2));
        if (d <= most || (wl === same && w !== k)) score = Math.min(score, 3 + d / 10);
      }
    }
    if (score < 99) hits.push([score, byId.get(it.id).label.toLowerCase(), it.id]);
  }
  hits.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return hits.map(h => h[2]);
}
function focus(id) {
  const node = cy.getElementById(id);
  if (byId.get(id).alone && !showAlone) setAlone(true, false);
  select(node);
  cy.animate({center: {eles: node}, zoom: Math.max(cy.zoom(), 1.2)}, {duration: 250});
}
const input = document.getElementById("search"), results = document.getElementById("results");
let timer = null;
function runSearch() {
  const ids = search(input.value);
  cy.batch(() => {
    cy.nodes(".match").removeClass("match");
    ids.forEach(id => cy.getElementById(id).addClass("match"));
  });
  results.replaceChildren();
  if (input.value.trim() && !ids.length) results.append(el("li", {class: "none"}, "No match"));
  for (const id of ids.slice(0, 50)) {
    const n = byId.get(id);
    const li = el("li", {tabindex: "0", "data-id": id},
      el("span", {class: "swatch", style: `display:inline-block;background:${n.color}`}), " ", n.label,
      n.aliases.length ? el("small", null, " (" + n.aliases.slice(0, 3).join(", ") + ")") : null);
    li.addEventListener("click", () => focus(id));
    li.addEventListener("keydown", ev => { if (ev.key === "Enter") focus(id); });
    results.append(li);
  }
  if (ids.length > 50) results.append(el("li", {class: "none"}, `and ${ids.length - 50} more`));
}
input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(runSearch, big ? 120 : 0); });
input.addEventListener("keydown", ev => {
  if (ev.key !== "Enter") return;
  const ids = search(input.value);
  if (ids.length) focus(ids[0]);
});

// legend and filters by kind; counts follow the filters
const legend = document.getElementById("legend");
const counts = new Map();
for (const k of DATA.kinds) {
  const count = el("span", {class: "count"});
  counts.set(k.kind, count);
  const li = el("li", {"data-kind": k.kind, role: "switch", "aria-checked": "true", tabindex: "0"},
    el("span", {class: "swatch", style: `background:${k.color}`}), k.kind, count);
  const toggle = () => {
    if (hidden.has(k.kind)) hidden.delete(k.kind); else hidden.add(k.kind);
    li.classList.toggle("off", hidden.has(k.kind));
    li.setAttribute("aria-checked", String(!hidden.has(k.kind)));
    cy.batch(() => cy.nodes().forEach(n => n.toggleClass("hidden", hidden.has(n.data("kind")))));
    refresh();
  };
  li.addEventListener("click", toggle);
  li.addEventListener("keydown", ev => {
    if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); toggle(); }
  });
  legend.append(li);
}

// bodies with no links: collapsed behind a toggle
const alone = DATA.nodes.filter(n => n.alone).length;
const aloneBox = document.getElementById("unlinked");
document.getElementById("unlinked-text").textContent =
  `Show the ${alone} ${alone === 1 ? "body" : "bodies"} with no links`;
document.getElementById("unlinked-box").hidden = alone === 0;
function setAlone(show, fit) {
  showAlone = show;
  aloneBox.checked = show;
  cy.batch(() => cy.nodes(".alone").toggleClass("collapsed", !show));
  refresh();
  if (fit) cy.fit(shownNodes(), 30);
}
aloneBox.addEventListener("change", () => setAlone(aloneBox.checked, true));

function refresh() {
  for (const k of DATA.kinds) {
    counts.get(k.kind).textContent = DATA.nodes.filter(n => n.kind === k.kind && (showAlone || !n.alone)).length;
  }
  declutter();
  stats();
}
function stats() {
  const nodes = shownNodes().length, links = shownEdges().length;
  const view = DATA.view ? `${DATA.view} view` : "network";
  const of = (shown, all) => (shown === all ? "" : shown + " of ") + all;
  document.getElementById("stats").textContent =
    `${view}: ${of(nodes, DATA.nodes.length)} nodes, ${of(links, DATA.edges.length)} links`;
}

// downloads of what is shown: the picture, and the nodes and links as CSV
const stem = (DATA.view || "network") + (DATA.report ? "-" + DATA.report : "");
function save(name, blob) {
  const a = document.createElement("a");
  a.download = name;
  a.href = URL.createObjectURL(blob);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 60000);
}
const cell = v => {
  const s = v === null || v === undefined ? "" : String(v);
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
};
const csv = rows => new Blob([rows.map(r => r.map(cell).join(",")).join("\r\n") + "\r\n"], {type: "text/csv"});
function nodeRows() {
  const rows = [["Id", "Label", "kind", "iri", "degree", "aliases"]];
  shownNodes().forEach(v => {
    const n = byId.get(v.id());
    rows.push([n.iri, n.label, n.kind, n.iri, n.degree, n.aliases.join("; ")]);
  });
  return rows;
}
function edgeRows() {
  const rows = [["Source", "Target", "Type", "Weight", "relation", "evidence_count", "quotes", "sections"]];
  shownEdges().forEach(v => {
    const e = DATA.edges[Number(v.id().slice(1))];
    const sections = [...new Set(e.evidence.map(x => x.section).filter(Boolean))];
    rows.push([byId.get(e.source).iri, byId.get(e.target).iri, DATA.directed ? "Directed" : "Undirected", e.weight,
      e.relation, e.evidence.length, e.evidence.map(x => x.quote.replace(/\s+/g, " ").trim()).join(" | "),
      sections.join("; ")]);
  });
  return rows;
}
document.getElementById("export-png").addEventListener("click", () =>
  save(stem + ".png", cy.png({output: "blob", bg: "#ffffff", full: false, scale: 2, maxWidth: 6000, maxHeight: 6000})));
document.getElementById("export-nodes").addEventListener("click", () => save(stem + ".nodes.csv", csv(nodeRows())));
document.getElementById("export-edges").addEventListener("click", () => save(stem + ".edges.csv", csv(edgeRows())));

setAlone(false, false);
cy.fit(shownNodes(), 30);
window.peelgraph = {cy, data: DATA, search, declutter, nodeRows, edgeRows, setAlone,
                    select: id => select(cy.getElementById(id))};
document.body.dataset.ready = "true";
"""
