"""Network exports: every format re-reads to the same nodes, edges and attributes (with the computed
measures); output is byte-stable; the GEXF is valid against the GEXF 1.2 schema (xmllint) and Graphviz
draws the DOT without overlapping labels.

xmllint (Debian's libxml2-utils) and Graphviz are installed by ``.ci/run``; the tests that need them
skip with a reason when they are missing, unless ``CI`` is set: then they fail.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from peelgraph.errors import ExportError
from peelgraph.show.netexport import (
    MEASURES,
    NETWORK_FORMATS,
    export_network,
    flatten,
    layout,
    measures,
    output_paths,
    with_measures,
    write_network,
)

ROOT = Path(__file__).resolve().parents[1]
GEXF_XSD = ROOT / "tests" / "data" / "gexf-1.2" / "gexf.xsd"


def _tool(name: str) -> str:
    """The path of a command-line tool; skip when it is missing, fail when ``CI`` is set."""
    path = shutil.which(name)
    if path is None:
        package = "libxml2-utils" if name == "xmllint" else "graphviz"
        why = f"{name} is missing (apt-get install {package}; .ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(f"CI is set, so this test must run: {why}")
        pytest.skip(why)
    return path
TRICKY = 'a "quoted" back\\slash,\nnew line; </script> & <b> – ünïcode'


def _tricky() -> nx.Graph:
    """A small graph with every awkward value: quotes, backslashes, newlines, commas, None, lists, unicode."""
    g = nx.Graph(view="partners", report=None, relations=["memberOf", "partOf"])
    g.add_node("https://x/mash", label="multi-agency safeguarding hub", kind="collaboration", iri="https://x/mash")
    g.add_node("https://x/p", label=TRICKY, kind="force", iri="https://x/p", question=None)
    g.add_node("https://x/alone", label="alone", kind="no-such-kind", iri="https://x/alone", question=3)
    ev = [{"relation": "memberOf", "subject": "https://x/p", "object": "https://x/mash", "quote": TRICKY,
           "start": 10, "end": 20, "section": "Q1, safeguarding", "report": "https://x/r"},
          {"relation": "partOf", "subject": "https://x/p", "object": "https://x/mash", "quote": "Second.",
           "start": None, "end": None, "section": None, "report": None}]
    g.add_edge("https://x/p", "https://x/mash", relation="memberOf, partOf", relations=["memberOf", "partOf"],
               weight=2, evidence=ev)
    return g


@pytest.fixture(scope="module")
def partners(db) -> nx.Graph:
    from peelgraph.ask.network import load_view

    return load_view(db, "partners")


@pytest.fixture(scope="module")
def dependencies(db) -> nx.Graph:
    from peelgraph.ask.network import load_view

    return load_view(db, "impact")


def _graphs(request: pytest.FixtureRequest) -> list[tuple[str, nx.Graph]]:
    return [("tricky", _tricky()), ("partners", request.getfixturevalue("partners")),
            ("impact", request.getfixturevalue("dependencies"))]


def _nodes(g: nx.Graph, drop: tuple[str, ...] = ()) -> dict[str, dict[str, Any]]:
    return {str(n): {k: v for k, v in d.items() if k not in drop} for n, d in g.nodes(data=True)}


def _edges(g: nx.Graph, drop: tuple[str, ...] = ()) -> dict[tuple[str, str], dict[str, Any]]:
    out = {}
    for u, v, d in g.edges(data=True):
        key = (str(u), str(v)) if g.is_directed() else tuple(sorted((str(u), str(v))))
        out[key] = {k: x for k, x in d.items() if k not in drop}
    return out  # type: ignore[return-value]


def _same(expected: nx.Graph, actual: nx.Graph, drop_nodes: tuple[str, ...] = (),
          drop_edges: tuple[str, ...] = ()) -> None:
    assert actual.is_directed() == expected.is_directed()
    assert _nodes(actual, drop_nodes) == _nodes(expected)
    assert _edges(actual, drop_edges) == _edges(expected)


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("name", ["tricky", "partners", "impact"])
def test_graphml_reads_back_flattened(request, name) -> None:
    g = dict(_graphs(request))[name]
    back = nx.read_graphml(io.BytesIO(export_network(g, "graphml")))  # type: ignore[arg-type]
    _same(flatten(with_measures(g)), back)
    assert {k: v for k, v in back.graph.items() if k not in ("node_default", "edge_default")} == flatten(g).graph


@pytest.mark.parametrize("name", ["tricky", "partners", "impact"])
def test_gexf_reads_back_flattened_with_visual_attributes(request, name) -> None:
    g = dict(_graphs(request))[name]
    data = export_network(g, "gexf")
    assert isinstance(data, bytes)
    back = nx.read_gexf(io.BytesIO(data))
    # read_gexf keeps ids as strings, gives every edge an ``id``, and weights as floats
    f = flatten(with_measures(g))
    for _, _, d in f.edges(data=True):
        d["weight"] = float(d.get("weight", 1.0))
    _same(f, back, drop_nodes=("viz",), drop_edges=("id",))
    from peelgraph.show.netexport import colour, node_size

    for n, d in back.nodes(data=True):
        viz = d["viz"]
        hex_colour = "#{r:02X}{g:02X}{b:02X}".format(**viz["color"])
        assert hex_colour == colour(g.nodes[n].get("kind"))
        assert viz["size"] == node_size(g.degree(n))
        assert {"x", "y"} <= set(viz["position"])
    assert b"lastmodifieddate" not in data and b"<creator>peelgraph</creator>" in data
    assert b' name="' not in data.split(b"<nodes>")[0]


@pytest.mark.parametrize("name", ["tricky", "partners", "impact"])
def test_node_link_json_is_lossless_with_an_edges_key(request, name) -> None:
    g = dict(_graphs(request))[name]
    data = json.loads(export_network(g, "json"))  # type: ignore[arg-type]
    assert "edges" in data and "links" not in data
    back = nx.node_link_graph(data, edges="edges")
    _same(with_measures(g), back)
    assert back.graph == json.loads(json.dumps(g.graph))


@pytest.mark.parametrize("name", ["tricky", "partners", "impact"])
def test_cytoscape_json_is_lossless_with_positions(request, name) -> None:
    g = dict(_graphs(request))[name]
    raw = export_network(g, "cyjs")
    assert raw == export_network(g, "cytoscape")  # the other name of the same format
    data = json.loads(raw)  # type: ignore[arg-type]
    back = nx.cytoscape_graph(data)
    _same(with_measures(g), back, drop_nodes=("id", "value", "name", "color", "size"),
          drop_edges=("id", "source", "target"))
    pos = layout(g)
    for el in data["elements"]["nodes"]:
        assert (el["position"]["x"], el["position"]["y"]) == pos[el["data"]["value"]]


def _parse_dot(text: str) -> nx.Graph:
    """A small parser for the DOT peelgraph writes: quoted ids, ``key=value`` lists, numbers."""
    token = r'"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:e-?\d+)?|[A-Za-z_][A-Za-z_0-9]*'

    def value(tok: str) -> Any:
        if tok.startswith('"'):
            return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), tok[1:-1])
        if re.fullmatch(r"-?\d+", tok):
            return int(tok)
        try:
            return float(tok)
        except ValueError:
            return tok

    def attrs(body: str) -> dict[str, Any]:
        return {k: value(v) for k, v in re.findall(rf"([A-Za-z_]+)=({token})", body)}

    lines = text.splitlines()
    head = re.fullmatch(rf"(graph|digraph) ({token}) \{{", lines[0])
    assert head and lines[-1] == "}"
    g: nx.Graph = nx.DiGraph() if head.group(1) == "digraph" else nx.Graph()
    for line in lines[1:-1]:
        line = line.strip()
        if m := re.fullmatch(r"graph \[(.*)\];", line):
            if "overlap=" not in line:  # the drawing defaults are not the view's attributes
                g.graph.update(attrs(m.group(1)))
        elif line.startswith(("node [", "edge [")):
            continue
        elif m := re.fullmatch(rf'({token}) (--|->) ({token}) \[(.*)\];', line):
            g.add_edge(value(m.group(1)), value(m.group(3)), **attrs(m.group(4)))
        elif m := re.fullmatch(rf"({token}) \[(.*)\];", line):
            g.add_node(value(m.group(1)), **attrs(m.group(2)))
        else:
            raise AssertionError(f"unexpected DOT line: {line!r}")
    return g


@pytest.mark.parametrize("name", ["tricky", "partners", "impact"])
def test_dot_reads_back_flattened(request, name) -> None:
    g = dict(_graphs(request))[name]
    text = export_network(g, "dot").decode("utf-8")  # type: ignore[union-attr]
    back = _parse_dot(text)
    _same(flatten(with_measures(g)), back, drop_nodes=("color", "fillcolor", "fontsize", "height", "width", "pos"))
    assert back.graph == flatten(g).graph


def test_dot_escapes_quotes_backslashes_and_newlines() -> None:
    text = export_network(_tricky(), "dot").decode("utf-8")  # type: ignore[union-attr]
    assert 'label="a \\"quoted\\" back\\\\slash,\\nnew line; </script> & <b> – ünïcode"' in text
    assert all(line.count('"') % 2 == 0 for line in text.splitlines())


@pytest.mark.parametrize("name", ["tricky", "partners", "impact"])
def test_csv_node_and_edge_lists_read_back(request, name) -> None:
    g = dict(_graphs(request))[name]
    files = export_network(g, "csv")
    assert isinstance(files, dict) and sorted(files) == ["edges.csv", "nodes.csv"]
    nodes = list(csv.DictReader(io.StringIO(files["nodes.csv"].decode("utf-8"), newline="")))
    edges = list(csv.DictReader(io.StringIO(files["edges.csv"].decode("utf-8"), newline="")))
    f = flatten(with_measures(g))
    assert [r["Id"] for r in nodes] == [str(n) for n in f]
    assert list(nodes[0])[:8] == ["Id", "Label", "kind", "iri", *MEASURES]
    for r in nodes:
        want = {k: str(v) for k, v in f.nodes[r["Id"]].items()}
        got = {("label" if k == "Label" else k): v for k, v in r.items() if k != "Id" and v != ""}
        assert got == want
    assert len(edges) == f.number_of_edges()
    for r in edges:
        assert r["Type"] == ("Directed" if g.is_directed() else "Undirected")
        want = {k: str(v) for k, v in f.edges[r["Source"], r["Target"]].items()}
        got = {("weight" if k == "Weight" else k): v for k, v in r.items()
               if k not in ("Source", "Target", "Type") and v != ""}
        assert got == want


def test_evidence_flattens_to_a_count_quotes_sections_and_lossless_json() -> None:
    d = flatten(_tricky()).edges["https://x/mash", "https://x/p"]
    assert d["evidence_count"] == 2
    assert d["quotes"] == 'a "quoted" back\\slash, new line; </script> & <b> – ünïcode | Second.'
    assert d["sections"] == "Q1, safeguarding"
    assert json.loads(d["evidence"]) == _tricky().edges["https://x/p", "https://x/mash"]["evidence"]
    assert d["relations"] == "memberOf; partOf"


def test_svg_is_wellformed_and_draws_every_node_and_edge(partners) -> None:
    import xml.etree.ElementTree as ET

    data = export_network(partners, "svg")
    root = ET.fromstring(data)  # type: ignore[arg-type]
    ns = "{http://www.w3.org/2000/svg}"
    circles = root.findall(f".//{ns}circle")
    kinds = {d["kind"] for _, d in partners.nodes(data=True)}
    assert len(circles) == partners.number_of_nodes() + len(kinds)  # nodes + legend swatches
    assert len(root.findall(f".//{ns}line")) == partners.number_of_edges()
    assert "multi-agency safeguarding hub" in data.decode("utf-8")  # type: ignore[union-attr]


def test_png_is_a_picture_of_the_svg_size(partners) -> None:
    from PIL import Image

    png = export_network(partners, "png")
    svg = export_network(partners, "svg").decode("utf-8")  # type: ignore[union-attr]
    img = Image.open(io.BytesIO(png))  # type: ignore[arg-type]
    w, h = re.search(r'width="(\d+)" height="(\d+)"', svg).groups()  # type: ignore[union-attr]
    assert img.format == "PNG" and img.size == (int(w), int(h))
    assert len(img.getcolors(1 << 20) or []) > 10  # not blank


# --------------------------------------------------------------------------- determinism


def test_layout_is_seeded_and_independent_of_insertion_order() -> None:
    g = nx.les_miserables_graph()
    h = nx.Graph()
    h.add_nodes_from(reversed(list(g.nodes)))
    h.add_edges_from(reversed(list(g.edges)))
    assert layout(g) == layout(h)


_SCRIPT = """
import hashlib, sys
import networkx as nx
from peelgraph.show.netexport import NETWORK_FORMATS, export_network
sys.path.insert(0, {tests!r})
from test_netexport import _tricky
g = nx.les_miserables_graph()
for n in g: g.nodes[n].update(label=n, kind="organisation" if len(n) % 2 else "unit")
for graph in (_tricky(), g):
    for fmt in NETWORK_FORMATS:
        out = export_network(graph, fmt)
        files = out if isinstance(out, dict) else {{"": out}}
        for name in sorted(files):
            print(fmt, name, hashlib.sha256(files[name]).hexdigest())
"""


def test_output_is_byte_identical_across_processes_and_hash_seeds() -> None:
    script = _SCRIPT.format(tests=str(ROOT / "tests"))
    outs = []
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
        outs.append(subprocess.run([sys.executable, "-c", script], env=env, check=True, capture_output=True,
                                   text=True, timeout=300).stdout)
    assert outs[0] == outs[1] == outs[2]
    assert len(outs[0].splitlines()) == 2 * (len(NETWORK_FORMATS) + 1)


def test_export_is_byte_identical_in_one_process(partners) -> None:
    for fmt in NETWORK_FORMATS:
        assert export_network(partners, fmt) == export_network(partners.copy(), fmt), fmt


# --------------------------------------------------------------------------- errors and writing


def test_unknown_format_lists_the_valid_ones() -> None:
    with pytest.raises(ExportError) as err:
        export_network(_tricky(), "xlsx")
    for fmt in NETWORK_FORMATS:
        assert fmt in str(err.value)


def test_csv_paths_and_atomic_write(tmp_path) -> None:
    assert output_paths(tmp_path / "x.csv", ["nodes.csv"]) == {"nodes.csv": tmp_path / "x.nodes.csv"}
    assert output_paths(tmp_path / "x", ["edges.csv"]) == {"edges.csv": tmp_path / "x.edges.csv"}
    written = write_network(export_network(_tricky(), "csv"), tmp_path / "x.csv")
    assert sorted(p.name for p in written) == ["x.edges.csv", "x.nodes.csv"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.edges.csv", "x.nodes.csv"]


def test_csv_needs_a_file_not_stdout() -> None:
    with pytest.raises(ExportError, match="give -o FILE"):
        write_network(export_network(_tricky(), "csv"), None)


def test_unwritable_paths_are_clear_errors_and_leave_nothing(tmp_path) -> None:
    with pytest.raises(ExportError, match="does not exist"):
        write_network(b"x", tmp_path / "missing" / "out.graphml")
    with pytest.raises(ExportError, match="does not exist"):
        write_network({"nodes.csv": b"a", "edges.csv": b"b"}, tmp_path / "missing" / "out.csv")
    (tmp_path / "out.edges.csv").mkdir()
    with pytest.raises(ExportError, match="is a directory"):
        write_network({"nodes.csv": b"a", "edges.csv": b"b"}, tmp_path / "out.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.edges.csv"]


def test_read_only_folder_is_a_clear_error(tmp_path) -> None:
    """A folder the user may not write to is a clear error and stays empty. Root may write
    anywhere, so as root (CI runs as root) the write runs in a child process whose capability
    bounding set lacks the override of file permissions (util-linux's setpriv)."""
    import shutil
    import subprocess
    import sys

    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    script = ("import sys; from pathlib import Path; from peelgraph.errors import ExportError; "
              "from peelgraph.show.netexport import write_network\n"
              "try:\n    write_network(b'x', Path(sys.argv[1]))\nexcept ExportError as e:\n    print(e)\n")
    cmd = [sys.executable, "-c", script, str(ro / "out.gexf")]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        assert setpriv, "setpriv (util-linux) is needed to test permissions as root"
        cmd = [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--", *cmd]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True)
        assert "cannot write" in out.stdout, out.stdout + out.stderr
        assert list(ro.iterdir()) == []
    finally:
        ro.chmod(0o755)


def test_a_failed_multi_file_write_leaves_no_half_written_file(tmp_path, monkeypatch) -> None:
    real = os.fdopen
    calls = {"n": 0}

    def flaky(fd: int, *args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            os.close(fd)
            raise OSError(28, "No space left on device")
        return real(fd, *args, **kwargs)

    monkeypatch.setattr(os, "fdopen", flaky)
    with pytest.raises(ExportError, match="No space left"):
        write_network({"nodes.csv": b"a", "edges.csv": b"b"}, tmp_path / "out.csv")
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- computed measures


def test_measures_are_those_of_the_network_commands(partners) -> None:
    """degree, betweenness and PageRank as ``peelgraph network central`` gives them; communities as
    ``peelgraph network communities`` (Louvain, fixed seed), numbered largest first."""
    from peelgraph.ask.network import central, communities

    m = measures(partners)
    assert set(m) == set(partners.nodes)
    for row in central(partners).nodes:
        n = row.node.iri
        assert m[n]["degree"] == partners.degree(n) == row.degree
        assert m[n]["betweenness"] == pytest.approx(row.betweenness, abs=1e-6)
        assert m[n]["pagerank"] == pytest.approx(row.pagerank, abs=1e-6)
    linked = communities(partners).communities  # the communities of two or more
    for i, c in enumerate(linked):
        assert {m[ref.iri]["community"] for ref in c.members} == {i}
    sizes = [sum(1 for n in m if m[n]["community"] == i) for i in range(len(linked))]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] > 1
    assert max(m.values(), key=lambda d: d["pagerank"])["degree"] == max(d for _, d in partners.degree())


def test_betweenness_of_a_big_view_is_estimated_from_seeded_pivots(monkeypatch) -> None:
    """Above the limit betweenness is sampled (a 5,000-node export takes seconds): the same on every
    run, and still finding the broker."""
    import peelgraph.show.netexport as netexport

    g = nx.les_miserables_graph()
    exact = measures(g)
    monkeypatch.setattr(netexport, "MEASURE_EXACT_LIMIT", 10)
    monkeypatch.setattr(netexport, "MEASURE_PIVOTS", 20)
    sampled = measures(g)
    assert sampled == measures(g)
    assert sampled != exact
    top = max(exact, key=lambda n: exact[n]["betweenness"])
    assert top == max(sampled, key=lambda n: sampled[n]["betweenness"]) == "Valjean"
    assert all(sampled[n]["pagerank"] == exact[n]["pagerank"] for n in g)


def test_every_data_format_carries_the_measures(partners) -> None:
    """What Gephi and Cytoscape users colour and size by, in GraphML, GEXF, JSON, Cytoscape JSON, CSV and DOT."""
    m = measures(partners)
    node = max(m, key=lambda n: m[n]["pagerank"])
    want = m[node]
    graphml = nx.read_graphml(io.BytesIO(export_network(partners, "graphml")))  # type: ignore[arg-type]
    gexf = nx.read_gexf(io.BytesIO(export_network(partners, "gexf")))  # type: ignore[arg-type]
    node_link = nx.node_link_graph(json.loads(export_network(partners, "json")), edges="edges")  # type: ignore[arg-type]
    cyjs = json.loads(export_network(partners, "cyjs"))  # type: ignore[arg-type]
    files = export_network(partners, "csv")
    rows = {r["Id"]: r for r in csv.DictReader(io.StringIO(files["nodes.csv"].decode("utf-8")))}  # type: ignore[index]
    dot = _parse_dot(export_network(partners, "dot").decode("utf-8"))  # type: ignore[union-attr]
    cy_node = next(el["data"] for el in cyjs["elements"]["nodes"] if el["data"]["id"] == node)
    for key in MEASURES:
        assert graphml.nodes[node][key] == want[key], key
        assert gexf.nodes[node][key] == want[key], key
        assert node_link.nodes[node][key] == want[key], key
        assert cy_node[key] == want[key], key
        assert float(rows[node][key]) == want[key], key
        assert dot.nodes[node][key] == want[key], key
    # typed as numbers, so that Gephi ranks (sizes) by them and partitions (colours) by community
    text = export_network(partners, "gexf").decode("utf-8")  # type: ignore[union-attr]
    for key, types in (("degree", ("long", "integer")), ("betweenness", ("double", "float")),
                       ("pagerank", ("double", "float")), ("community", ("long", "integer"))):
        found = re.search(rf'<attribute id="\d+" title="{key}" type="(\w+)"', text)
        assert found and found.group(1) in types, key


# --------------------------------------------------------------------------- GEXF 1.2 schema


def _xmllint(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([_tool("xmllint"), "--noout", "--nonet", "--schema", str(GEXF_XSD), str(path)],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("name", ["tricky", "partners", "impact"])
def test_gexf_is_valid_against_the_gexf_1_2_schema(request, tmp_path, name) -> None:
    g = dict(_graphs(request))[name]
    path = tmp_path / f"{name}.gexf"
    path.write_bytes(export_network(g, "gexf"))  # type: ignore[arg-type]
    done = _xmllint(path)
    assert done.returncode == 0 and "validates" in done.stderr, done.stderr
    text = path.read_text(encoding="utf-8")
    assert 'xmlns:viz="http://www.gexf.net/1.2draft/viz"' in text and "<viz:color " in text and 'version="1.2"' in text


def test_the_schema_check_catches_what_networkx_writes_wrong(tmp_path) -> None:
    """The validator is not a rubber stamp: ``<graph name="">`` (networkx's) and a visual element
    outside the viz namespace both fail."""
    good = export_network(_tricky(), "gexf").decode("utf-8")  # type: ignore[union-attr]
    named = tmp_path / "named.gexf"
    named.write_text(good.replace('<graph defaultedgetype="undirected"', '<graph name="" defaultedgetype="undirected"'),
                     encoding="utf-8")
    done = _xmllint(named)
    assert done.returncode != 0 and "attribute 'name': The attribute 'name' is not allowed" in done.stderr
    wrong_ns = tmp_path / "wrong-ns.gexf"
    wrong_ns.write_text(good.replace("<viz:size ", "<size "), encoding="utf-8")
    done = _xmllint(wrong_ns)
    assert done.returncode != 0 and "size': This element is not expected" in done.stderr
    networkx_own = tmp_path / "networkx.gexf"
    nx.write_gexf(flatten(_tricky()), networkx_own)
    assert _xmllint(networkx_own).returncode != 0


# --------------------------------------------------------------------------- Graphviz


def _boxes(dot: bytes, engine: str, *options: str) -> list[tuple[float, float, float, float]]:
    """The node boxes (points) of Graphviz's layout of ``dot`` (its JSON output); labels sit inside them."""
    out = subprocess.run([_tool(engine), "-Tjson", *options], input=dot, capture_output=True, timeout=120)
    assert out.returncode == 0, out.stderr.decode("utf-8", "replace")
    boxes = []
    for obj in json.loads(out.stdout)["objects"]:
        if "pos" in obj:
            x, y = map(float, obj["pos"].split(","))
            w, h = float(obj["width"]) * 72, float(obj["height"]) * 72
            boxes.append((x - w / 2, y - h / 2, x + w / 2, y + h / 2))
    return boxes


def _overlapping(boxes: list[tuple[float, float, float, float]]) -> int:
    return sum(1 for a, b in itertools.combinations(boxes, 2)
               if min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5)


@pytest.mark.parametrize("name", ["partners", "impact"])
@pytest.mark.parametrize("engine", ["neato", "dot"])
def test_graphviz_draws_the_dot_file_with_no_overlapping_labels(request, name, engine) -> None:
    g = dict(_graphs(request))[name]
    dot = export_network(g, "dot")
    assert isinstance(dot, bytes) and b"overlap=\"false\"" in dot and b"fontsize=" in dot and b"width=" in dot
    boxes = _boxes(dot, engine)
    assert len(boxes) == g.number_of_nodes()
    assert _overlapping(boxes) == 0


def test_the_overlap_check_would_catch_overlapping_labels(partners) -> None:
    """Without ``overlap=false`` neato leaves labels on top of each other, and the check sees it."""
    assert _overlapping(_boxes(export_network(partners, "dot"), "neato", "-Goverlap=true")) > 0  # type: ignore[arg-type]
