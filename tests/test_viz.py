"""The offline explorer: one self-contained HTML file, deterministic, with the vendored library's licence."""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import click
import networkx as nx
import pytest
from click.testing import CliRunner

from peelgraph.show.explorer import (
    ALLOWED_URLS,
    CYTOSCAPE_SHA256,
    CYTOSCAPE_VERSION,
    explorer_data,
    render_html,
    vendored,
)

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("force", "collaboration", "unit", "organisation", "programme", "practice")


def big_graph(n: int = 5000, seed: int = 1) -> nx.Graph:
    """A generated partner network of ``n`` nodes (scale-free, a few components), with evidence on every edge.

    Node ``n0`` is the MASH (label "multi-agency safeguarding hub", alias "MASH").
    """
    rng = random.Random(seed)
    base = nx.barabasi_albert_graph(n - n // 10, 1, seed=seed)
    g = nx.Graph(view="partners", report=None)
    for i in range(n):
        g.add_node(f"https://example.org/e/{i}", label=f"body {i}", kind=rng.choice(KINDS),
                   iri=f"https://example.org/e/{i}", aliases=[f"B{i}"])
    g.nodes["https://example.org/e/0"].update(label="multi-agency safeguarding hub", kind="collaboration",
                                              aliases=["MASH"])
    edges = list(base.edges()) + [(i, i + 1) for i in range(n - n // 10, n - 1, 2)]
    for a, b in edges:
        u, v = f"https://example.org/e/{a}", f"https://example.org/e/{b}"
        rel = rng.choice(("memberOf", "worksWith", "partOf"))
        quote = f"Body {a} {rel} body {b} in sentence {a * 7 + b}."
        g.add_edge(u, v, relation=rel, relations=[rel], weight=1,
                   evidence=[{"relation": rel, "subject": u, "object": v, "quote": quote, "start": a, "end": a + 9,
                              "section": f"Question {a % 7 + 1}", "report": "https://example.org/r"}])
    return g


@pytest.fixture(scope="session")
def big_page() -> tuple[nx.Graph, str, float]:
    """The 5,000-node graph, its page and the seconds the page took to render: made once for the whole
    session (``tests/test_browser.py`` opens the same page)."""
    g = big_graph()
    start = time.perf_counter()
    page = render_html(g, title="5,000 generated nodes")
    return g, page, time.perf_counter() - start


def page_data(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.S)
    assert m
    return json.loads(m.group(1))


@pytest.fixture(scope="module")
def html(db) -> str:
    return render_html(db)


# --------------------------------------------------------------------------- self-contained


def _without_licence_comments(html: str) -> str:
    return re.sub(r"/\*!.*?\*/", "", html, flags=re.S)


def test_the_page_fetches_nothing(html) -> None:
    """Strict: no http(s) anywhere except inside the vendored library's licence comments, and only the known ones.

    And nothing that loads anything: no src/href to anything but "#", no url(), @import,
    <link>, <img>, <iframe>, fetch, XMLHttpRequest, WebSocket, EventSource, sendBeacon,
    importScripts or Worker; a Content-Security-Policy forbids every fetch besides.
    """
    assert not re.search(r"(?i)https?://|[\"'(=]//[a-z0-9.-]+\.[a-z]{2,}/", _without_licence_comments(html))
    assert set(re.findall(r"https?://[^\s)\"'<>]+", html)) == set(ALLOWED_URLS)
    for attr in re.findall(r"(?i)\b(?:src|href|action|poster|data)\s*=\s*[\"']([^\"']*)", html):
        assert attr == "#", attr
    assert not re.search(r"(?i)(?<![a-z])url\(", html)  # CSS url(); the library's canvas.toDataURL( is not a fetch
    lowered = html.lower()
    for word in ("@import", "<link", "<img", "<iframe", "<object", "<embed", "fetch(", "xmlhttprequest",
                 "websocket", "eventsource", "sendbeacon", "importscripts", "new worker"):
        assert word not in lowered, word
    assert "content=\"default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'\"" in html


def test_the_page_carries_the_vendored_library_and_its_licence(html) -> None:
    js = vendored("cytoscape.min.js")
    assert hashlib.sha256(js.encode("utf-8")).hexdigest() == CYTOSCAPE_SHA256
    assert js in html
    assert f"Cytoscape.js {CYTOSCAPE_VERSION}" in html and "MIT licence" in html
    licence = vendored("cytoscape.LICENSE")
    assert "The Cytoscape Consortium" in licence and "Permission is hereby granted" in licence
    assert "Permission is hereby granted, free of charge" in html
    assert (ROOT / "peelgraph" / "_vendor" / "cytoscape.LICENSE").is_file()


def test_report_text_cannot_break_out_of_the_data(tmp_path) -> None:
    g = nx.Graph(view="partners")
    g.add_node("a", label="</script><script>alert(1)</script>", kind="force")
    g.add_node("b", label="<b>bold</b> & https://evil.example/x.js", kind="unit")
    g.add_edge("a", "b", relation="partOf", weight=1,
               evidence=[{"relation": "partOf", "subject": "a", "object": "b", "quote": "</SCRIPT> quote",
                          "section": "S", "report": None, "start": 1, "end": 2}])
    page = render_html(g)
    assert page.count("</script>") == 3  # the library, the data and the app: nothing else closes a script
    assert "evil.example/x.js" not in page
    data = page_data(page)
    assert {n["label"] for n in data["nodes"]} == {"</script><script>alert(1)</script>",
                                                   "<b>bold</b> & https://evil.example/x.js"}
    assert data["edges"][0]["evidence"][0]["quote"] == "</SCRIPT> quote"


# --------------------------------------------------------------------------- what it shows


def test_the_page_draws_the_view_with_findings_and_evidence(db, html) -> None:
    from peelgraph.ask.network import load_view

    g = load_view(db, "partners")
    data = page_data(html)
    assert len(data["nodes"]) == g.number_of_nodes() and len(data["edges"]) == g.number_of_edges()
    assert data["view"] == "partners"
    mash = [n for n in data["nodes"] if "MASH" in n["aliases"]]
    assert [n["label"] for n in mash] == ["multi-agency safeguarding hub"]
    assert all(e["evidence"] and all(ev["quote"] for ev in e["evidence"]) for e in data["edges"])
    assert any(ev["section"] for e in data["edges"] for ev in e["evidence"])
    about = [f for n in data["nodes"] for f in n["findings"]]
    assert about, "some entity of the partners view has findings about it"
    for f in about:
        finding = data["findings"][f]
        assert finding["text"] and finding["kind"]
    kinds = {k["kind"]: k["count"] for k in data["kinds"]}
    assert sum(kinds.values()) == g.number_of_nodes()
    # bodies with no links are flagged, for the page to collapse them behind a toggle
    alone = {n["iri"] for n in data["nodes"] if n["alone"]}
    assert alone == set(nx.isolates(g)) and 0 < len(alone) < g.number_of_nodes()


def test_labels_of_the_seeded_layout_do_not_overlap(db) -> None:
    """The layout leaves room for each label (a box right of its node, as the page draws it)."""
    import itertools

    from peelgraph.ask.network import load_view
    from peelgraph.show.netexport import _label_box, layout

    for view in ("partners", "all", "dependencies"):
        g = load_view(db, view)
        boxes = []
        for n, (x, y) in layout(g).items():
            r, w, h = _label_box(g, n)
            boxes.append((x - r, y - h, x + w, y + h))
        clashes = [(a, b) for a, b in itertools.combinations(boxes, 2)
                   if min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])]
        assert clashes == [], (view, len(clashes))


def test_positions_are_the_seeded_layout_and_the_page_is_deterministic(db, html) -> None:
    from peelgraph.ask.network import load_view
    from peelgraph.show.netexport import layout

    g = load_view(db, "partners")
    pos = layout(g)
    data = page_data(html)
    assert {(n["iri"], n["x"], n["y"]) for n in data["nodes"]} == {(k, x, y) for k, (x, y) in pos.items()}
    assert render_html(db) == html


def test_the_page_is_byte_identical_across_hash_seeds() -> None:
    script = ("import hashlib; from peelgraph.ask.network import _demo_store; "
              "from peelgraph.show.explorer import render_html; "
              "print(hashlib.sha256(render_html(_demo_store()).encode()).hexdigest())")
    outs = {subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True, timeout=300,
                           env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}).stdout
            for seed in ("0", "7", "4242")}
    assert len(outs) == 1


def test_a_5000_node_graph_renders_in_reasonable_time(big_page) -> None:
    g, page, took = big_page
    data = page_data(page)
    assert len(data["nodes"]) == 5000 and len(data["edges"]) == g.number_of_edges()
    assert took < 30, f"{took:.1f} s"  # measured ~1 s
    assert len(page) < 8_000_000


def test_explorer_data_takes_findings_from_an_all_view(db) -> None:
    from peelgraph.ask.network import load_view

    data = explorer_data(load_view(db, "all"))
    kinds = {n["kind"] for n in data["nodes"]}
    assert "strength" in kinds or "area-for-improvement" in kinds or "weakness" in kinds
    assert data["findings"]


# --------------------------------------------------------------------------- commands


def _group() -> click.Group:
    """A stand-in for ``peelgraph`` (``--store``) with the export and viz commands, independent of cli's wiring."""
    from peelgraph.cli.show import export, viz

    @click.group()
    @click.option("--store", type=click.Path(path_type=Path))
    @click.pass_context
    def main(ctx: click.Context, store: Path) -> None:
        ctx.ensure_object(dict)
        ctx.obj["store"] = store

    main.add_command(export)
    main.add_command(viz)
    return main


def test_viz_command_writes_the_explorer(built_store, tmp_path) -> None:
    out = tmp_path / "explorer.html"
    r = CliRunner().invoke(_group(), ["--store", str(built_store), "viz", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    r = CliRunner().invoke(_group(), ["--store", str(built_store), "viz", "--view", "all", "--report",
                                      "warwickshire-police-effectiveness-2016", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert page_data(out.read_text(encoding="utf-8"))["view"] == "all"


def test_viz_to_a_missing_folder_is_a_clear_error(built_store, tmp_path) -> None:
    r = CliRunner().invoke(_group(), ["--store", str(built_store), "viz", "-o", str(tmp_path / "no" / "x.html")])
    assert r.exit_code == 3
    assert "Error:" in r.output and "does not exist" in r.output and "Traceback" not in r.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "cyjs", "cytoscape", "dot", "svg", "png", "ttl", "nt",
                                 "jsonld"])
def test_export_command_writes_network_and_rdf_formats(built_store, tmp_path, fmt) -> None:
    out = tmp_path / f"out.{fmt}"
    args = ["--store", str(built_store), "export", "--format", fmt, "-o", str(out)]
    if fmt not in ("ttl", "nt", "jsonld"):
        args += ["--view", "partners"]
    r = CliRunner().invoke(_group(), args)
    assert r.exit_code == 0, r.output
    assert out.stat().st_size > 100
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


def test_export_command_csv_writes_two_files(built_store, tmp_path) -> None:
    r = CliRunner().invoke(_group(), ["--store", str(built_store), "export", "--view", "dependencies",
                                      "--format", "csv", "-o", str(tmp_path / "deps.csv")])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deps.edges.csv", "deps.nodes.csv"]


def test_export_command_unknown_format_lists_every_valid_one(built_store, tmp_path) -> None:
    r = CliRunner().invoke(_group(), ["--store", str(built_store), "export", "--format", "xlsx", "--view",
                                      "partners", "-o", str(tmp_path / "x.xlsx")])
    assert r.exit_code == 3
    for fmt in ("ttl", "nt", "nq", "trig", "jsonld", "graphml", "gexf", "json", "cyjs", "cytoscape", "dot", "csv",
                "svg", "png"):
        assert fmt in r.output
    assert list(tmp_path.iterdir()) == []


def test_export_command_rdf_format_with_a_view_is_a_clear_error(built_store) -> None:
    r = CliRunner().invoke(_group(), ["--store", str(built_store), "export", "--format", "ttl", "--view", "all"])
    assert r.exit_code == 3 and "network format" in r.output
