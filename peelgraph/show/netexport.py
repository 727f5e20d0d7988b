"""Network exports of a view: GraphML, GEXF, node-link JSON, Cytoscape JSON, DOT, CSV, SVG and PNG.

Every format is byte-identical from run to run (and whatever ``PYTHONHASHSEED`` is): nodes
and edges are written sorted, the layout uses a fixed seed and is rounded, and no format
carries a timestamp (the date networkx puts in a GEXF header is removed).

Every data format (all but the pictures) carries the computed measures of each node
(:data:`MEASURES`, see :func:`measures`): ``degree``, ``betweenness``, ``pagerank`` and
``community`` (Louvain, fixed seed), the columns that Gephi and Cytoscape users colour and
size nodes by.

=============== =========================================================================
format          what it holds
=============== =========================================================================
``graphml``     attributes flattened to scalars (see :func:`flatten`): GraphML holds no lists
``gexf``        GEXF 1.2 (valid against its XSD, with the ``viz`` namespace): the
                flattened attributes plus Gephi's visual attributes: colour by kind, size
                by degree, position from the seeded layout
``json``        networkx node-link JSON with an explicit ``"edges"`` key, lossless (lists
                and evidence dicts kept as they are)
``cyjs``        Cytoscape desktop / Cytoscape.js JSON (``elements.nodes``/``edges`` with
                ``data``), lossless, plus ``position`` and ``color``/``size`` per node;
                ``cytoscape`` is another name for it
``dot``         Graphviz DOT, flattened attributes, properly quoted; ``pos`` in points; node
                sizes, labels inside the nodes and ``overlap=false`` so that ``dot`` and
                ``neato`` draw it legibly
``csv``         two files, ``nodes.csv`` (``Id``, ``Label``, ...) and ``edges.csv``
                (``Source``, ``Target``, ``Type``, ``Weight``, ...): the column names
                Gephi's spreadsheet import expects. ``-o out.csv`` writes
                ``out.nodes.csv`` and ``out.edges.csv``
``svg``         a static picture drawn from the seeded layout: kinds coloured, a legend
``png``         the same picture as a PNG (drawn with Pillow)
=============== =========================================================================

Flattening (GraphML, GEXF, DOT, CSV): a list of scalars becomes its items joined with
``"; "``; the ``evidence`` list becomes ``evidence_count``, ``quotes`` (the quotes, each
on one line, joined with ``" | "``), ``sections`` (distinct, joined with ``"; "``; left out
when none is known) and ``evidence`` (the full list as JSON text, so nothing is lost);
``None`` is left out.

Example:
    >>> import networkx as nx
    >>> g = nx.Graph()
    >>> g.add_node("a", label="MASH", kind="collaboration")
    >>> g.add_node("b", label="Warwickshire Police", kind="force")
    >>> g.add_edge("b", "a", relation="memberOf", relations=["memberOf"], weight=1,
    ...            evidence=[{"quote": "The force is a partner in the MASH.", "section": "Q1"}])
    >>> flatten(g).edges["a", "b"]["quotes"]
    'The force is a partner in the MASH.'
    >>> print(export_network(g, "dot").decode())  # doctest: +ELLIPSIS
    graph "network" {
    ...
      "a" -- "b" [evidence_count=1, quotes="The force is a partner in the MASH.", sections="Q1", ...];
    }
    <BLANKLINE>
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape as _xml_escape

from peelgraph.errors import ExportError

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "NETWORK_FORMATS",
    "FORMAT_ALIASES",
    "MEASURES",
    "KIND_COLOURS",
    "colour",
    "node_size",
    "layout",
    "flatten",
    "measures",
    "with_measures",
    "export_network",
    "output_paths",
    "write_network",
]

#: Network formats and what ``export_network`` returns for each: ``bytes``, or for ``csv`` a dict of files.
NETWORK_FORMATS = ("graphml", "gexf", "json", "cyjs", "dot", "csv", "svg", "png")
#: Other names accepted for a format: ``cytoscape`` is ``cyjs`` (the name Cytoscape gives its JSON files).
FORMAT_ALIASES = {"cytoscape": "cyjs"}
#: The node attributes every data format adds (see :func:`measures`).
MEASURES = ("degree", "betweenness", "pagerank", "community")
#: Up to this many nodes betweenness is exact; above, it is estimated from :data:`MEASURE_PIVOTS` pivots.
MEASURE_EXACT_LIMIT = 500
MEASURE_PIVOTS = 100

#: A fixed palette by kind (Okabe-Ito and Tableau hues, distinguishable with colour-blindness).
KIND_COLOURS: dict[str, str] = {
    "force": "#0072B2",
    "collaboration": "#D55E00",
    "unit": "#009E73",
    "organisation": "#56B4E9",
    "programme": "#CC79A7",
    "practice": "#E69F00",
    "legal-power": "#8C564B",
    "information-system": "#7F7F7F",
    "role": "#BCBD22",
    "entity": "#9E9E9E",
    "strength": "#2CA02C",
    "weakness": "#D62728",
    "area-for-improvement": "#FF7F0E",
    "recommendation": "#9467BD",
    "cause-of-concern": "#8B0000",
    "finding": "#17BECF",
}
_OTHER_COLOUR = "#444444"

_SEED = 42
_SPACING = 60.0  # layout units (px) between neighbouring nodes
_LABEL_W = 180.0  # room right of a component for its labels
_FONT_PX = 10.0  # the labels' font size in the explorer and the pictures
_CHAR_W = 6.2  # an average character's width at that size (px), a little generous
_LABEL_MAX_W = 160.0  # the explorer cuts longer labels with an ellipsis
_ISOLATE_W, _ISOLATE_H = 220.0, 30.0  # the grid cell of an isolated node (room for a label)
_BIG_COMPONENT = 300  # above this many nodes a component gets the fast grid layout


def colour(kind: str | None) -> str:
    """The colour of a kind (``#rrggbb``); unknown kinds are dark grey.

    Example:
        >>> colour("force"), colour("no-such-kind")
        ('#0072B2', '#444444')
    """
    return KIND_COLOURS.get(kind or "entity", _OTHER_COLOUR)


def node_size(degree: int) -> float:
    """A node's diameter in px from its degree (grows with the square root, capped).

    Example:
        >>> node_size(0), node_size(4), node_size(10_000)
        (10.0, 18.0, 40.0)
    """
    return round(min(40.0, 10.0 + 4.0 * math.sqrt(degree)), 1)


# --------------------------------------------------------------------------- layout


def layout(g: nx.Graph, seed: int = _SEED) -> dict[str, tuple[float, float]]:
    """Positions (px, rounded to 0.1) from a seeded force-directed layout, the same on every run.

    Each connected component is laid out on its own (``nx.spring_layout`` with ``seed``;
    components above 300 nodes with a fast grid-approximated Fruchterman-Reingold, also
    seeded), then the components are packed in rows, largest first, isolated nodes last
    in a grid. Node and edge order never depend on insertion order or hashing.

    Example:
        >>> import networkx as nx
        >>> pos = layout(nx.path_graph(["a", "b", "c"]))
        >>> pos == layout(nx.path_graph(["c", "b", "a"])), sorted(pos)
        (True, ['a', 'b', 'c'])
    """
    import networkx as nx

    u = nx.Graph()
    u.add_nodes_from(sorted(g.nodes, key=str))
    u.add_edges_from(sorted((tuple(sorted((a, b), key=str)) for a, b in g.edges() if a != b), key=str))
    comps = sorted((sorted(c, key=str) for c in nx.connected_components(u)), key=lambda c: (-len(c), str(c[0])))
    boxes: list[tuple[list[Any], dict[Any, tuple[float, float]], float, float]] = []
    for comp in comps:
        if len(comp) == 1:
            boxes.append((comp, {comp[0]: (0.0, 0.0)}, 0.0, 0.0))
            continue
        sub = nx.Graph()
        sub.add_nodes_from(comp)
        sub.add_edges_from(sorted((e for e in u.subgraph(comp).edges()), key=str))
        if len(comp) == 2:  # a pair: one above the other, both labels clear
            boxes.append((comp, {comp[0]: (0.0, 0.0), comp[1]: (0.0, _SPACING / 2)}, 0.0, _SPACING / 2))
            continue
        if len(comp) <= _BIG_COMPONENT:
            raw = {n: (float(p[0]), float(p[1])) for n, p in nx.spring_layout(sub, seed=seed, iterations=100).items()}
        else:
            raw = _fast_layout(sub, seed)
        side = _SPACING * (2.4 * math.sqrt(len(comp)) - 1.8)
        x0, y0 = min(p[0] for p in raw.values()), min(p[1] for p in raw.values())
        span = max(max(p[0] for p in raw.values()) - x0, max(p[1] for p in raw.values()) - y0) or 1.0
        pos = {n: ((x - x0) / span * side, (y - y0) / span * side) for n, (x, y) in raw.items()}
        if len(comp) <= _BIG_COMPONENT:
            pos = _spread(pos, _SPACING)
            pos = _declutter(pos, {n: _label_box(g, n) for n in comp})
        x0, y0 = min(p[0] for p in pos.values()), min(p[1] for p in pos.values())
        pos = {n: (x - x0, y - y0) for n, (x, y) in pos.items()}
        boxes.append((comp, pos, max(p[0] for p in pos.values()), max(p[1] for p in pos.values())))
    big = [b for b in boxes if len(b[0]) > 1]
    alone = [b[0][0] for b in boxes if len(b[0]) == 1]
    total = sum((b[2] + _SPACING) * (b[3] + _SPACING) for b in big) + len(alone) * _ISOLATE_W * _ISOLATE_H
    row_width = max(math.sqrt(total) * 1.3, max((b[2] for b in big), default=0.0) + _SPACING, _ISOLATE_W)
    out: dict[str, tuple[float, float]] = {}
    x = y = row_h = 0.0
    for _comp, pos, bw, bh in big:
        w = bw + _SPACING + _LABEL_W
        if x > 0 and x + w > row_width:
            x, y, row_h = 0.0, y + row_h, 0.0
        for n, (px, py) in pos.items():
            out[n] = (round(x + px, 1), round(y + py, 1))
        x += w
        row_h = max(row_h, bh + _SPACING)
    y += row_h
    columns = max(1, int(row_width // _ISOLATE_W))
    for i, n in enumerate(alone):  # isolated nodes: a grid with room for their labels
        out[n] = (round(_ISOLATE_W * (i % columns), 1), round(y + _ISOLATE_H * (i // columns), 1))
    return {n: out[n] for n in sorted(out, key=str)}


def _spread(pos: dict[Any, tuple[float, float]], gap: float, rounds: int = 60) -> dict[Any, tuple[float, float]]:
    """Push apart nodes closer than ``gap`` px (labels need room), keeping the layout's shape; deterministic."""
    import numpy as np

    keys = list(pos)
    p = np.array([pos[k] for k in keys], dtype=float)
    n = len(keys)
    for _ in range(rounds):
        delta = p[:, None, :] - p[None, :, :]
        dist = np.sqrt((delta**2).sum(axis=-1)) + np.eye(n) * gap * 10
        push = np.clip(gap - dist, 0.0, None)
        if not push.any():
            break
        unit = delta / np.maximum(dist, 1e-6)[..., None]
        # coincident points: part them along a fixed direction that depends on their order
        same = dist < 1e-6
        if same.any():
            unit[same] = np.array([1.0, 0.0])
            unit = unit * np.where(np.triu(np.ones((n, n)), 1)[..., None] > 0, -1.0, 1.0)
        p += (unit * push[..., None]).sum(axis=1) * 0.5
    return {k: (float(p[i, 0]), float(p[i, 1])) for i, k in enumerate(keys)}


def _label_box(g: nx.Graph, n: Any) -> tuple[float, float, float]:
    """The room a node and its label take, drawn right of it: (radius, right extent, half height), in px."""
    r = node_size(g.degree(n)) / 2
    width = min(_LABEL_MAX_W, _CHAR_W * len(str(g.nodes[n].get("label", n))))
    return r, r + 3.0 + width, max(r, _FONT_PX * 0.8)


def _declutter(pos: dict[Any, tuple[float, float]], boxes: Mapping[Any, tuple[float, float, float]],
               rounds: int = 600) -> dict[Any, tuple[float, float]]:
    """Move nodes apart until no two labels (each a box right of its node) overlap; deterministic.

    Each round pushes every overlapping pair apart along the axis where they overlap least
    (labels are wide and short, so mostly up and down), half each.
    """
    import numpy as np

    keys = list(pos)
    n = len(keys)
    if n < 2:
        return pos
    p = np.array([pos[k] for k in keys], dtype=float)
    left = np.array([-boxes[k][0] for k in keys])
    right = np.array([boxes[k][1] for k in keys])
    half = np.array([boxes[k][2] for k in keys]) + 1.0
    upper = np.triu(np.ones((n, n), dtype=bool), 1)
    for _ in range(rounds):
        x0, x1 = p[:, 0] + left, p[:, 0] + right
        y0, y1 = p[:, 1] - half, p[:, 1] + half
        ox = np.minimum(x1[:, None], x1[None, :]) - np.maximum(x0[:, None], x0[None, :])
        oy = np.minimum(y1[:, None], y1[None, :]) - np.maximum(y0[:, None], y0[None, :])
        hit = (ox > 0) & (oy > 0) & upper
        if not hit.any():
            break
        i, j = np.nonzero(hit)
        move = np.zeros_like(p)
        along_y = oy[i, j] <= ox[i, j]
        for axis, sel, over in ((1, along_y, oy[i, j]), (0, ~along_y, ox[i, j])):
            a, b = i[sel], j[sel]
            d = p[b, axis] - p[a, axis]
            sign = np.where(d > 0, 1.0, np.where(d < 0, -1.0, 1.0))  # a tie: the later node moves down/right
            step = (over[sel] / 2 + 0.5) * sign
            np.add.at(move[:, axis], a, -step)
            np.add.at(move[:, axis], b, step)
        p += move * 1.5  # over-relaxed: settles in fewer rounds than 1.0 without oscillating
    return {k: (float(p[i, 0]), float(p[i, 1])) for i, k in enumerate(keys)}


def _fast_layout(g: nx.Graph, seed: int, iterations: int = 50) -> dict[Any, tuple[float, float]]:
    """Fruchterman-Reingold with repulsion from grid-cell centroids (Barnes-Hut-like): O(n * cells) a step."""
    import numpy as np

    nodes = list(g.nodes)
    index = {n: i for i, n in enumerate(nodes)}
    n = len(nodes)
    src = np.array([index[a] for a, _ in g.edges()], dtype=np.int64)
    dst = np.array([index[b] for _, b in g.edges()], dtype=np.int64)
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2))
    k = 1.0 / math.sqrt(n)
    cells = max(4, int(math.sqrt(n) / 3))
    t = 0.1
    dt = t / (iterations + 1)
    for _ in range(iterations):
        lo = pos.min(axis=0)
        span = float((pos.max(axis=0) - lo).max()) or 1.0
        cell = np.minimum(((pos - lo) / span * cells).astype(np.int64), cells - 1)
        cid = cell[:, 0] * cells + cell[:, 1]
        cnt = np.bincount(cid, minlength=cells * cells).astype(float)
        sx = np.bincount(cid, weights=pos[:, 0], minlength=cells * cells)
        sy = np.bincount(cid, weights=pos[:, 1], minlength=cells * cells)
        nz = cnt > 0
        mass = cnt[nz]
        dx = pos[:, 0, None] - (sx[nz] / mass)[None, :]
        dy = pos[:, 1, None] - (sy[nz] / mass)[None, :]
        w = mass[None, :] / np.maximum(dx * dx + dy * dy, (0.05 * k) ** 2)
        disp = np.stack([(dx * w).sum(axis=1), (dy * w).sum(axis=1)], axis=1) * (k * k)
        dd = pos[src] - pos[dst]
        dist = np.sqrt((dd**2).sum(axis=1)) + 1e-9
        f = dd * (dist / k)[:, None]
        for axis in (0, 1):
            disp[:, axis] += np.bincount(dst, weights=f[:, axis], minlength=n)
            disp[:, axis] -= np.bincount(src, weights=f[:, axis], minlength=n)
        length = np.maximum(np.sqrt((disp**2).sum(axis=1)), 1e-9)
        pos += disp / length[:, None] * np.minimum(length, t)[:, None]
        t -= dt
    return {nodes[i]: (float(pos[i, 0]), float(pos[i, 1])) for i in range(n)}


# --------------------------------------------------------------------------- flattening


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _scalar_attrs(d: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in sorted(d):
        value = d[key]
        if value is None or key == "viz":
            continue
        if key == "evidence" and isinstance(value, list):
            out["evidence_count"] = len(value)
            if value:
                out["quotes"] = " | ".join(_one_line(str(e.get("quote") or "")) for e in value)
            sections = "; ".join(dict.fromkeys(str(e["section"]) for e in value if e.get("section")))
            if sections:
                out["sections"] = sections
            out["evidence"] = json.dumps(value, ensure_ascii=False, sort_keys=True)
        elif isinstance(value, list | tuple | set | frozenset):
            items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
            out[key] = "; ".join(str(x) for x in items)
        elif isinstance(value, dict):
            out[key] = json.dumps(value, ensure_ascii=False, sort_keys=True)
        elif isinstance(value, bool | int | float | str):
            out[key] = value
        else:
            out[key] = str(value)
    return out


def _sorted_edges(g: nx.Graph) -> list[tuple[Any, Any, dict[str, Any]]]:
    """Edges in a stable order; an undirected edge is written with its endpoints sorted."""
    edges = []
    for u, v, d in g.edges(data=True):
        if not g.is_directed() and str(v) < str(u):
            u, v = v, u
        edges.append((u, v, d))
    return sorted(edges, key=lambda e: (str(e[0]), str(e[1])))


def flatten(g: nx.Graph) -> nx.Graph:
    """A copy of ``g`` with scalar attributes only (see the module docstring), nodes and edges sorted.

    Example:
        >>> import networkx as nx
        >>> g = nx.Graph(view="partners", relations=["memberOf", "partOf"])
        >>> g.add_edge("a", "b", relations=["memberOf", "partOf"], evidence=[])
        >>> f = flatten(g)
        >>> f.graph["relations"], f.edges["a", "b"]["relations"], f.edges["a", "b"]["evidence_count"]
        ('memberOf; partOf', 'memberOf; partOf', 0)
    """
    import networkx as nx

    f: nx.Graph = nx.DiGraph() if g.is_directed() else nx.Graph()
    f.graph.update(_scalar_attrs(g.graph))
    for n in sorted(g.nodes, key=str):
        f.add_node(n, **_scalar_attrs(g.nodes[n]))
    for u, v, d in _sorted_edges(g):
        f.add_edge(u, v, **_scalar_attrs(d))
    return f


# --------------------------------------------------------------------------- measures


def _sorted_copy(g: nx.Graph) -> nx.Graph:
    """The same graph with nodes and edges inserted in sorted order (so every algorithm runs the same way)."""
    s: nx.Graph = g.__class__()
    s.graph.update(g.graph)
    for n in sorted(g.nodes, key=str):
        s.add_node(n, **g.nodes[n])
    for u, v, d in _sorted_edges(g):
        s.add_edge(u, v, **d)
    return s


def measures(g: nx.Graph) -> dict[Any, dict[str, int | float]]:
    """The computed measures of every node (:data:`MEASURES`), the same on every run.

    ``degree`` is the number of links (in and out for a directed view); ``betweenness`` and
    ``pagerank`` are those of ``peelgraph network central`` (betweenness unweighted and
    normalised, PageRank weighted by evidence), rounded to 6 decimals; ``community`` is the
    number of the node's Louvain community (weighted, fixed seed, as ``peelgraph network
    communities``): 0 for the largest, then by size and name, a node without links alone in
    its own. Betweenness is exact up to :data:`MEASURE_EXACT_LIMIT` nodes (every view of a
    report); above, it is estimated from :data:`MEASURE_PIVOTS` seeded pivots, so that a
    5,000-node export takes seconds, not minutes (Gephi computes the exact figure itself).

    Example:
        >>> import networkx as nx
        >>> g = nx.Graph([("a", "b"), ("b", "c"), ("x", "y")])
        >>> m = measures(g)
        >>> m["b"]
        {'degree': 2, 'betweenness': 0.166667, 'pagerank': 0.291891, 'community': 0}
        >>> m["x"]["community"], m["y"]["community"]
        (1, 1)
    """
    import networkx as nx

    from peelgraph.ask.network import communities

    s = _sorted_copy(g)
    sampled = s.number_of_nodes() > MEASURE_EXACT_LIMIT
    bc = nx.betweenness_centrality(s, k=MEASURE_PIVOTS if sampled else None, seed=_SEED if sampled else None)
    pr = nx.pagerank(s, weight="weight") if len(s) else {}
    community: dict[Any, int] = {}
    for i, c in enumerate(communities(s, min_size=1).communities):
        for ref in c.members:
            community[ref.iri] = i
    return {n: {"degree": int(s.degree(n)), "betweenness": round(bc[n], 6), "pagerank": round(pr[n], 6),
                "community": community[n]} for n in s}


def with_measures(g: nx.Graph) -> nx.Graph:
    """A copy of ``g`` (nodes and edges sorted) whose nodes carry :func:`measures`.

    Example:
        >>> import networkx as nx
        >>> sorted(with_measures(nx.path_graph(["a", "b"])).nodes["a"])
        ['betweenness', 'community', 'degree', 'pagerank']
    """
    s = _sorted_copy(g)
    for n, m in measures(s).items():
        s.nodes[n].update(m)
    return s


# --------------------------------------------------------------------------- formats


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16)


def _visual(g: nx.Graph) -> dict[Any, dict[str, Any]]:
    pos = layout(g)
    return {n: {"color": colour(g.nodes[n].get("kind")), "size": node_size(g.degree(n)), "x": pos[n][0],
                "y": pos[n][1]} for n in g}


def _graphml(g: nx.Graph) -> bytes:
    import networkx as nx

    text = "\n".join(nx.generate_graphml(flatten(g), named_key_ids=True)) + "\n"
    return text.encode("utf-8")


def _describe(g: nx.Graph) -> str:
    view = g.graph.get("view")
    report = g.graph.get("report")
    text = f"peelgraph: the {view} view" if view else "peelgraph network"
    return text + (f" of {str(report).rsplit('/', 1)[-1]}" if report else "")


def _gexf(g: nx.Graph) -> bytes:
    """GEXF 1.2 as networkx writes it, made valid: no ``name`` on ``<graph>`` (the schema has
    none), no date; the creator and a description of the view in ``<meta>``."""
    import networkx as nx

    f = flatten(g)
    vis = _visual(g)
    for n in f:
        r, gr, b = _rgb(vis[n]["color"])
        f.nodes[n]["viz"] = {"color": {"r": r, "g": gr, "b": b, "a": 1.0}, "size": vis[n]["size"],
                             "position": {"x": vis[n]["x"], "y": 0.0 - vis[n]["y"], "z": 0.0}}
    f.graph.pop("mode", None)
    buf = io.BytesIO()
    nx.write_gexf(f, buf, version="1.2draft")
    text = buf.getvalue().decode("utf-8")
    meta = (f"<meta>\n    <creator>peelgraph</creator>\n    <description>{_xml_escape(_describe(g))}</description>"
            "\n  </meta>")
    text, n_meta = re.subn(r"<meta[^>]*>.*?</meta>", lambda _: meta, text, count=1, flags=re.S)
    text, n_name = re.subn(r'(<graph\b[^>]*?) name="[^"]*"', r"\1", text, count=1)
    if not (n_meta and n_name):  # pragma: no cover - a networkx that writes GEXF differently
        raise ExportError("unexpected GEXF from networkx; peelgraph cannot make it valid GEXF 1.2")
    return text.encode("utf-8")


def _node_link(g: nx.Graph) -> dict[str, Any]:
    import networkx as nx

    s = g.__class__()
    s.graph.update(g.graph)
    for n in sorted(g.nodes, key=str):
        s.add_node(n, **g.nodes[n])
    for u, v, d in _sorted_edges(g):
        s.add_edge(u, v, **d)
    return nx.node_link_data(s, edges="edges")


def _json_bytes(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _cytoscape(g: nx.Graph) -> dict[str, Any]:
    vis = _visual(g)
    nodes = []
    for n in sorted(g.nodes, key=str):
        d = g.nodes[n]
        data = {**d, "id": str(n), "value": n, "name": str(d.get("label", n)), "color": vis[n]["color"],
                "size": vis[n]["size"]}
        nodes.append({"data": data, "position": {"x": vis[n]["x"], "y": vis[n]["y"]}})
    edges = []
    for i, (u, v, d) in enumerate(_sorted_edges(g)):
        edges.append({"data": {**d, "id": f"e{i}", "source": str(u), "target": str(v)}})
    return {"data": {k: v for k, v in g.graph.items()}, "directed": g.is_directed(), "multigraph": False,
            "elements": {"nodes": nodes, "edges": edges}}


def _dot_id(value: Any) -> str:
    """A DOT quoted string: backslash and double quote escaped, newlines as ``\\n``."""
    text = str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\r\n", "\n").replace("\r", "\n")
    return '"' + text.replace("\n", "\\n") + '"'


def _dot_value(value: Any) -> str:
    """A DOT attribute value: numbers bare (never in exponent form, which DOT cannot read), the rest quoted."""
    if isinstance(value, bool):
        return _dot_id(str(value).lower())
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f") if math.isfinite(value) else _dot_id(repr(value))
    return _dot_id(value)


def _dot_attrs(d: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={_dot_value(v)}" for k, v in d.items())


#: How Graphviz draws the DOT file: no overlapping nodes (``neato``, ``fdp``, ``sfdp``), edges under the nodes.
DOT_GRAPH = {"overlap": "false", "sep": "+6", "outputorder": "edgesfirst", "fontname": "DejaVu Sans"}
#: Nodes are rounded boxes with the label inside (so removing node overlaps keeps labels apart).
DOT_NODE = {"shape": "box", "style": "rounded,filled", "fontname": "DejaVu Sans", "margin": "0.06,0.03",
            "penwidth": 1.5}
DOT_EDGE = {"color": "#9a9a9a"}


def _dot(g: nx.Graph) -> bytes:
    """DOT with the view's attributes, and what Graphviz needs to draw it legibly: each node a
    box round its label (at least as big as :func:`node_size`, its label larger with its
    degree), outlined in its kind's colour on a light fill, at the seeded layout's position
    (``neato``'s starting point); ``overlap=false`` so that ``neato`` pushes nodes, and so
    labels, apart."""
    f = flatten(g)
    vis = _visual(g)
    directed = g.is_directed()
    name = f.graph.get("view") or "network"
    lines = [f"{'digraph' if directed else 'graph'} {_dot_id(name)} {{"]
    if f.graph:
        lines.append(f"  graph [{_dot_attrs(f.graph)}];")
    lines.append(f"  graph [{_dot_attrs(DOT_GRAPH)}];")
    lines.append(f"  node [{_dot_attrs(DOT_NODE)}];")
    lines.append(f"  edge [{_dot_attrs(DOT_EDGE)}];")
    for n in f:
        v = vis[n]
        extra = {"color": v["color"], "fillcolor": v["color"] + "30", "fontsize": round(8.0 + v["size"] / 5, 1),
                 "height": round(v["size"] / 72, 3), "width": round(v["size"] / 72, 3),
                 "pos": f"{v['x']:.1f},{0.0 - v['y']:.1f}"}
        lines.append(f"  {_dot_id(n)} [{_dot_attrs({**f.nodes[n], **extra})}];")
    arrow = "->" if directed else "--"
    for u, v, d in f.edges(data=True):
        lines.append(f"  {_dot_id(u)} {arrow} {_dot_id(v)} [{_dot_attrs(d)}];")
    lines.append("}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _csv_text(header: list[str], rows: Iterable[Mapping[str, Any]]) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=header, lineterminator="\r\n", extrasaction="raise")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if r.get(k) is None else r.get(k)) for k in header})
    return buf.getvalue().encode("utf-8")


def _columns(dicts: Iterable[Mapping[str, Any]], first: list[str]) -> list[str]:
    keys: set[str] = set()
    for d in dicts:
        keys.update(d)
    return first + sorted(keys - set(first))


def _csv(g: nx.Graph) -> dict[str, bytes]:
    f = flatten(g)
    node_rows = [{"Id": n, "Label": d.get("label", n), **{k: v for k, v in d.items() if k != "label"}}
                 for n, d in f.nodes(data=True)]
    edge_rows = [{"Source": u, "Target": v, "Type": "Directed" if f.is_directed() else "Undirected",
                  "Weight": d.get("weight", 1), **{k: x for k, x in d.items() if k != "weight"}}
                 for u, v, d in f.edges(data=True)]
    node_cols = _columns(node_rows, ["Id", "Label", "kind", "iri", *MEASURES])
    edge_cols = _columns(edge_rows, ["Source", "Target", "Type", "Weight", "relation"])
    return {"nodes.csv": _csv_text(node_cols, node_rows), "edges.csv": _csv_text(edge_cols, edge_rows)}


# --------------------------------------------------------------------------- pictures

_MARGIN = 40.0
_LEGEND_W = 190.0
_LABEL_ROOM = 170.0  # room right of the drawing for the labels of the rightmost nodes
_MAX_EXTENT = 2400.0  # a bigger layout is scaled down to fit (nodes keep their size)
_LABEL_LIMIT = 300  # label every node up to this many nodes; above, only the best-connected ones


def _scene(g: nx.Graph, title: str | None) -> dict[str, Any]:
    """Everything both pictures draw, in px: canvas size, edges, nodes, labels, legend."""
    vis = _visual(g)
    if vis:
        min_x = min(v["x"] for v in vis.values())
        min_y = min(v["y"] for v in vis.values())
        max_x = max(v["x"] for v in vis.values())
        max_y = max(v["y"] for v in vis.values())
    else:
        min_x = min_y = max_x = max_y = 0.0
    top = _MARGIN + (30.0 if title else 0.0)
    extent = max(max_x - min_x, max_y - min_y)
    scale = min(1.0, _MAX_EXTENT / extent) if extent else 1.0

    def at(n: Any) -> tuple[float, float]:
        return (round((vis[n]["x"] - min_x) * scale + _MARGIN, 1), round((vis[n]["y"] - min_y) * scale + top, 1))

    kinds = sorted({str(g.nodes[n].get("kind", "entity")) for n in g})
    width = max((max_x - min_x) * scale + 2 * _MARGIN + _LABEL_ROOM + _LEGEND_W, 480.0)
    height = max((max_y - min_y) * scale + top + _MARGIN + 20.0, top + 24.0 * len(kinds) + 2 * _MARGIN)
    nodes = sorted(g.nodes, key=str)
    if len(nodes) <= _LABEL_LIMIT:
        labelled = set(nodes)
    else:
        labelled = set(sorted(nodes, key=lambda n: (-g.degree(n), str(n)))[:50])
    return {
        "width": round(width), "height": round(height), "title": title,
        "edges": [(at(u), at(v)) for u, v, _ in _sorted_edges(g)],
        "nodes": [(at(n), vis[n]["size"] / 2, vis[n]["color"], str(g.nodes[n].get("label", n)), n in labelled)
                  for n in nodes],
        "legend": [(k, colour(k)) for k in kinds],
        "legend_x": round(width - _LEGEND_W + 10), "legend_y": round(top),
        "directed": g.is_directed(),
    }


def _short_label(text: str, width: int = 40) -> str:
    text = _one_line(text)
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _svg(g: nx.Graph, title: str | None) -> bytes:
    s = _scene(g, title)
    e = _xml_escape
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{s["width"]}" height="{s["height"]}" '
           f'viewBox="0 0 {s["width"]} {s["height"]}" font-family="DejaVu Sans, Arial, sans-serif">',
           '<rect width="100%" height="100%" fill="#ffffff"/>']
    if title:
        out.append(f'<text x="{_MARGIN}" y="{_MARGIN}" font-size="18" font-weight="bold">{e(title)}</text>')
    out.append('<g stroke="#9a9a9a" stroke-width="1.2" stroke-opacity="0.8">')
    for (x1, y1), (x2, y2) in s["edges"]:
        out.append(f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}"/>')
    out.append("</g>")
    out.append('<g stroke="#ffffff" stroke-width="1">')
    for (x, y), r, fill, label, _ in s["nodes"]:
        out.append(f'<circle cx="{x}" cy="{y}" r="{r}" fill="{fill}"><title>{e(label)}</title></circle>')
    out.append("</g>")
    out.append('<g font-size="10" fill="#222222">')
    for (x, y), r, _, label, shown in s["nodes"]:
        if shown:
            out.append(f'<text x="{round(x + r + 2, 1)}" y="{round(y + 3.5, 1)}">{e(_short_label(label))}</text>')
    out.append("</g>")
    lx, ly = s["legend_x"], s["legend_y"]
    out.append(f'<g font-size="12"><text x="{lx}" y="{ly}" font-weight="bold">Kinds</text>')
    for i, (kind, fill) in enumerate(s["legend"]):
        y = ly + 20 + 20 * i
        out.append(f'<circle cx="{lx + 6}" cy="{y - 4}" r="6" fill="{fill}"/>'
                   f'<text x="{lx + 18}" y="{y}">{e(kind)}</text>')
    out.append("</g></svg>")
    return ("\n".join(out) + "\n").encode("utf-8")


def _png(g: nx.Graph, title: str | None) -> bytes:
    try:
        from PIL import Image, ImageDraw, ImageFont
    except ImportError:  # pragma: no cover - Pillow is a declared dependency
        raise ExportError("PNG export needs Pillow: pip install Pillow") from None
    s = _scene(g, title)
    k = 2  # draw at twice the size, then downsample: smooth edges without an antialiasing renderer
    img = Image.new("RGB", (s["width"] * k, s["height"] * k), "#ffffff")
    d = ImageDraw.Draw(img)

    def font(size: int) -> Any:
        return ImageFont.load_default(size=size * k)

    small, normal, big = font(10), font(12), font(18)
    if title:
        d.text((_MARGIN * k, (_MARGIN - 16) * k), title, fill="#000000", font=big)
    for (x1, y1), (x2, y2) in s["edges"]:
        d.line([(x1 * k, y1 * k), (x2 * k, y2 * k)], fill="#b0b0b0", width=int(1.2 * k))
    for (x, y), r, fill, _, _ in s["nodes"]:
        d.ellipse([(x - r) * k, (y - r) * k, (x + r) * k, (y + r) * k], fill=fill, outline="#ffffff")
    for (x, y), r, _, label, shown in s["nodes"]:
        if shown:
            d.text(((x + r + 2) * k, (y - 6) * k), _short_label(label), fill="#222222", font=small)
    lx, ly = s["legend_x"], s["legend_y"]
    d.text((lx * k, (ly - 12) * k), "Kinds", fill="#000000", font=normal)
    for i, (kind, fill) in enumerate(s["legend"]):
        y = ly + 20 + 20 * i
        d.ellipse([lx * k, (y - 10) * k, (lx + 12) * k, (y + 2) * k], fill=fill)
        d.text(((lx + 18) * k, (y - 12) * k), kind, fill="#000000", font=normal)
    img = img.resize((s["width"], s["height"]), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=False)
    return buf.getvalue()


# --------------------------------------------------------------------------- entry points


def export_network(g: nx.Graph, fmt: str, title: str | None = None) -> bytes | dict[str, bytes]:
    """``g`` in a network format (:data:`NETWORK_FORMATS`): bytes, or for ``csv`` ``{"nodes.csv", "edges.csv"}``.

    Args:
        g: a view (:func:`peelgraph.ask.network.load_view`) or any networkx graph with
            ``label``/``kind`` node attributes.
        fmt: one of :data:`NETWORK_FORMATS` (or :data:`FORMAT_ALIASES`).
        title: a heading for ``svg`` and ``png`` (default: the view's name).

    Raises:
        ExportError: for an unknown format; the message lists the valid ones.
    """
    fmt = FORMAT_ALIASES.get(fmt, fmt)
    if fmt not in NETWORK_FORMATS:
        raise ExportError(f"unknown network format {fmt!r}; choose one of {', '.join(NETWORK_FORMATS)} "
                          f"({', '.join(f'{a} is {b}' for a, b in FORMAT_ALIASES.items())})")
    if title is None and g.graph.get("view"):
        title = f"peelgraph: {g.graph['view']} view"
    if fmt in ("svg", "png"):
        return _svg(g, title) if fmt == "svg" else _png(g, title)
    g = with_measures(g)
    if fmt == "graphml":
        return _graphml(g)
    if fmt == "gexf":
        return _gexf(g)
    if fmt == "json":
        return _json_bytes(_node_link(g))
    if fmt == "cyjs":
        return _json_bytes(_cytoscape(g))
    if fmt == "dot":
        return _dot(g)
    return _csv(g)


def output_paths(output: str | Path, names: Iterable[str]) -> dict[str, Path]:
    """Where each file of a multi-file format goes: ``out.csv`` -> ``out.nodes.csv``, ``out.edges.csv``;
    an existing folder ``out/`` -> ``out/nodes.csv``, ``out/edges.csv``.

    Example:
        >>> sorted(str(p) for p in output_paths("out/partners.csv", ["nodes.csv", "edges.csv"]).values())
        ['out/partners.edges.csv', 'out/partners.nodes.csv']
    """
    path = Path(output)
    if path.is_dir():  # a folder: the files go into it
        return {name: path / name for name in names}
    stem = path.with_suffix("") if path.suffix.lower() == ".csv" else path
    return {name: stem.with_name(f"{stem.name}.{name}") for name in names}


def write_network(data: bytes | dict[str, bytes], output: str | Path | None) -> list[Path]:
    """Write an export atomically: every file lands whole or not at all (stdout for one file when None or '-').

    Several files (``csv``) are each written to a temporary file first and renamed only
    when all are written; on any failure no target is touched and the temporaries go.

    Raises:
        ExportError: the output folder does not exist or cannot be written, a target is a
            folder, or a multi-file format was asked for on stdout.
    """
    from peelgraph.show.rdfexport import output_target, publish, temp_beside, write_atomic

    if isinstance(data, bytes):
        write_atomic(output, data)
        return [] if output is None or str(output) == "-" else [Path(output)]
    if output is None or str(output) == "-":
        raise ExportError(f"this format writes {len(data)} files ({', '.join(data)}); give -o FILE")
    targets = {name: output_target(target) for name, target in output_paths(output, data).items()}
    temps: list[tuple[str, Path]] = []
    try:
        for name, target in targets.items():
            fd, tmp = temp_beside(target)
            temps.append((tmp, target))
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data[name])
            except OSError as exc:
                raise ExportError(f"cannot write: {exc.strerror}", path=str(target)) from None
        for tmp, target in temps:
            try:
                publish(tmp, target)
            except OSError as exc:
                raise ExportError(f"cannot write: {exc.strerror}", path=str(target)) from None
    finally:
        for tmp, _ in temps:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
    return list(targets.values())
