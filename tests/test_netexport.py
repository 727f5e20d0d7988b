"""Network exports: every format re-reads to the same nodes, edges and attributes; output is byte-stable."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from peelgraph.errors import ExportError
from peelgraph.show.netexport import NETWORK_FORMATS, export_network, flatten, layout, output_paths, write_network

ROOT = Path(__file__).resolve().parents[1]
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
    _same(flatten(g), back)
    assert {k: v for k, v in back.graph.items() if k not in ("node_default", "edge_default")} == flatten(g).graph


@pytest.mark.parametrize("name", ["tricky", "partners", "impact"])
def test_gexf_reads_back_flattened_with_visual_attributes(request, name) -> None:
    g = dict(_graphs(request))[name]
    data = export_network(g, "gexf")
    assert isinstance(data, bytes)
    back = nx.read_gexf(io.BytesIO(data))
    # read_gexf keeps ids as strings, gives every edge an ``id``, and weights as floats
    f = flatten(g)
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


@pytest.mark.parametrize("name", ["tricky", "partners", "impact"])
def test_node_link_json_is_lossless_with_an_edges_key(request, name) -> None:
    g = dict(_graphs(request))[name]
    data = json.loads(export_network(g, "json"))  # type: ignore[arg-type]
    assert "edges" in data and "links" not in data
    back = nx.node_link_graph(data, edges="edges")
    _same(g, back)
    assert back.graph == json.loads(json.dumps(g.graph))


@pytest.mark.parametrize("name", ["tricky", "partners", "impact"])
def test_cytoscape_json_is_lossless_with_positions(request, name) -> None:
    g = dict(_graphs(request))[name]
    data = json.loads(export_network(g, "cytoscape"))  # type: ignore[arg-type]
    back = nx.cytoscape_graph(data)
    _same(g, back, drop_nodes=("id", "value", "name", "color", "size"), drop_edges=("id", "source", "target"))
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
            g.graph.update(attrs(m.group(1)))
        elif line.startswith("node ["):
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
    _same(flatten(g), back, drop_nodes=("fillcolor", "width", "pos"))
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
    f = flatten(g)
    assert [r["Id"] for r in nodes] == [str(n) for n in f]
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
