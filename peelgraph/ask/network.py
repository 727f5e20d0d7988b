"""Partner networks as networkx graphs: views of the RDF graph and the analyses on them.

A *view* is a deliberate projection of the RDF graph, not "every triple is an edge":

=============== ========== ==============================================================
view            graph      nodes, and edges
=============== ========== ==============================================================
``partners``    Graph      organisations, forces, units and collaborations, and anything
                           stated to take part in, work with or sit within one; edges
                           ``memberOf``, ``worksWith``, ``partOf``, ``locatedIn``
``comembers``   Graph      the bipartite projection of membership onto the members: two
                           bodies are linked when they take part in the same collaboration
                           (``weight`` = number of collaborations shared, ``via`` = them)
``dependencies`` DiGraph   every entity; ``A -> B`` where A ``dependsOn``, is ``basedOn``
                           or is ``accessedThrough`` B
``impact``      DiGraph    ``dependencies`` plus containment and funding: ``A -> B`` also
                           where A is ``partOf`` / ``locatedIn`` B or ``fundedBy`` B, i.e.
                           A is affected when B fails (what :func:`impact` follows)
``relations``   Graph      every entity, every typed relation
``all``         Graph      every entity and every finding; relations, and finding --
                           entity edges (``concerns``) for what each finding concerns
=============== ========== ==============================================================

Nodes are keyed by IRI and carry ``label``, ``kind`` and ``iri`` (a finding also carries
``question``). Edges carry ``relation`` (the relation names joined with ``", "``),
``relations`` (their list), ``weight`` (the number of distinct evidence sentences) and
``evidence``: a list of dicts ``{relation, subject, object, quote, start, end, section,
report}``; ``subject`` and ``object`` keep the direction the report states even in an
undirected view. Only qualified relation statements (``pg:Relation`` nodes, which carry
evidence) become edges: a bare triple without evidence is not something an analyst can use.

The analyses (:func:`central`, :func:`brokers`, :func:`path`, :func:`impact`,
:func:`communities`, :func:`ego`) take a view and return frozen dataclasses with a
``to_json()`` (a JSON-ready dict). Everything is sorted and seeded, so output is the same
on every run: betweenness is exact up to :data:`BETWEENNESS_EXACT_LIMIT` nodes and sampled
(``k`` pivots, fixed seed) above; Louvain uses a fixed seed; among equally short paths the
one with the most evidence (then the alphabetically first) wins. PageRank needs scipy.

This module never prints or exits; networkx is imported here, and only the network
commands import this module.

Example:
    >>> db = _demo_store()
    >>> g = load_view(db, "partners")
    >>> sorted(g.nodes[n]["label"] for n in g)
    ['Warwickshire Police', 'harm assessment unit', 'local authorities', 'multi-agency safeguarding hub']
    >>> hau = resolve_one(db, "the HAU")
    >>> la = resolve_one(db, "Local Authority")
    >>> [h.target.label for h in path(g, hau, la).hops]
    ['multi-agency safeguarding hub', 'local authorities']
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx

from peelgraph.ask.binding import EntityNames, entity_labels, resolve_entity
from peelgraph.ask.execute import select
from peelgraph.errors import QueryError, UnknownEntityError
from peelgraph.resources import BASE, PREFIXES
from peelgraph.store.backend import Backend
from peelgraph.vocab import FINDING_CLASSES, IMPACT_RELATIONS, ORGANISATION_KINDS, VIEW_RELATIONS, VIEWS

if TYPE_CHECKING:
    from peelgraph.store.oxigraph import OxigraphBackend

__all__ = [
    "VIEWS",
    "PARTNER_RELATIONS",
    "DEPENDENCY_RELATIONS",
    "IMPACT_RELATIONS",
    "BETWEENNESS_EXACT_LIMIT",
    "EdgeEvidence",
    "NodeRef",
    "Hop",
    "CentralNode",
    "Centrality",
    "Broker",
    "Bridge",
    "Brokers",
    "Route",
    "Dependent",
    "Impact",
    "Community",
    "Communities",
    "Ego",
    "resolve_report",
    "resolve_one",
    "resolve_in_view",
    "load_view",
    "membership_graph",
    "members",
    "central",
    "brokers",
    "path",
    "impact",
    "communities",
    "ego",
]

PG = PREFIXES["pg"]

#: Relations of the partners view: take part in, work with, sit within.
PARTNER_RELATIONS = VIEW_RELATIONS["partners"]
#: Relations of the dependencies view (A depends on B).
DEPENDENCY_RELATIONS = VIEW_RELATIONS["dependencies"]
#: Every relation type of the graph model.
ALL_RELATIONS = VIEW_RELATIONS["all"]

#: Above this many nodes betweenness is estimated from ``k`` sampled pivots (seeded).
BETWEENNESS_EXACT_LIMIT = 5000
_BETWEENNESS_K = 1000

_ORG_KINDS = ORGANISATION_KINDS
_FINDING_KINDS = {cls: kind for kind, cls in FINDING_CLASSES.items()}


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class NodeRef:
    """A node of a view: its IRI, label and kind."""

    iri: str
    label: str
    kind: str

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"iri": self.iri, "label": self.label, "kind": self.kind}


@dataclass(frozen=True)
class EdgeEvidence:
    """One sentence behind an edge of a view: it states a relation (or a finding about an entity)."""

    relation: str
    subject: NodeRef
    object: NodeRef
    quote: str
    start: int | None
    end: int | None
    section: str | None
    report: str | None

    @property
    def statement(self) -> str:
        """``subject relation object`` in labels, e.g. ``HAU partOf MASH``."""
        return f"{self.subject.label} {self.relation} {self.object.label}"

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"relation": self.relation, "subject": self.subject.to_json(), "object": self.object.to_json(),
                "quote": self.quote, "start": self.start, "end": self.end, "section": self.section,
                "report": self.report}


@dataclass(frozen=True)
class Hop:
    """One edge walked from ``source`` to ``target``, with the relations and evidence behind it."""

    source: NodeRef
    target: NodeRef
    relation: str
    evidence: tuple[EdgeEvidence, ...]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"source": self.source.to_json(), "target": self.target.to_json(), "relation": self.relation,
                "evidence": [e.to_json() for e in self.evidence]}


@dataclass(frozen=True)
class CentralNode:
    """The centrality scores of one node."""

    node: NodeRef
    degree: int
    degree_centrality: float
    betweenness: float
    pagerank: float

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {**self.node.to_json(), "degree": self.degree, "degree_centrality": _r(self.degree_centrality),
                "betweenness": _r(self.betweenness), "pagerank": _r(self.pagerank)}


@dataclass(frozen=True)
class Centrality:
    """Nodes ranked by one of the scores; ``sampled`` when betweenness was estimated."""

    by: str
    nodes: tuple[CentralNode, ...]
    sampled: bool = False

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"by": self.by, "betweenness_sampled": self.sampled, "nodes": [n.to_json() for n in self.nodes]}


@dataclass(frozen=True)
class Broker:
    """An articulation point: removing ``node`` splits its component into ``pieces`` (largest first)."""

    node: NodeRef
    pieces: tuple[tuple[NodeRef, ...], ...]

    @property
    def cut_off(self) -> int:
        """How many nodes lose their connection to the largest piece when ``node`` fails."""
        return sum(len(p) for p in self.pieces[1:])

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {**self.node.to_json(), "cut_off": self.cut_off,
                "pieces": [[n.to_json() for n in p] for p in self.pieces]}


@dataclass(frozen=True)
class Bridge:
    """A bridge: the only link between ``hop.source``'s side and ``cut_off`` (``hop.target``'s side)."""

    hop: Hop
    cut_off: tuple[NodeRef, ...]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {**self.hop.to_json(), "cut_off": [n.to_json() for n in self.cut_off]}


@dataclass(frozen=True)
class Brokers:
    """Single points of failure: articulation points and bridges, most cut off first."""

    articulation_points: tuple[Broker, ...]
    bridges: tuple[Bridge, ...]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"articulation_points": [b.to_json() for b in self.articulation_points],
                "bridges": [b.to_json() for b in self.bridges]}


@dataclass(frozen=True)
class Route:
    """The shortest connection from ``source`` to ``target`` (``hops`` empty when there is none)."""

    source: NodeRef
    target: NodeRef
    hops: tuple[Hop, ...]

    @property
    def connected(self) -> bool:
        """True when a path exists (or source is target)."""
        return bool(self.hops) or self.source == self.target

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"source": self.source.to_json(), "target": self.target.to_json(), "connected": self.connected,
                "length": len(self.hops), "hops": [h.to_json() for h in self.hops]}


@dataclass(frozen=True)
class Dependent:
    """Something that depends on the target, at ``depth`` links; ``chain`` walks from it to the target."""

    node: NodeRef
    depth: int
    chain: tuple[Hop, ...]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {**self.node.to_json(), "depth": self.depth, "chain": [h.to_json() for h in self.chain]}


@dataclass(frozen=True)
class Impact:
    """Everything that directly or transitively depends on ``target``, nearest first."""

    target: NodeRef
    relations: tuple[str, ...]
    dependents: tuple[Dependent, ...]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"target": self.target.to_json(), "relations": list(self.relations),
                "dependents": [d.to_json() for d in self.dependents]}


@dataclass(frozen=True)
class Community:
    """A Louvain community, named after its most central member (``name``)."""

    name: NodeRef
    members: tuple[NodeRef, ...]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"name": self.name.to_json(), "size": len(self.members), "members": [m.to_json() for m in self.members]}


@dataclass(frozen=True)
class Communities:
    """The communities of a view, largest first, and the seed that made them."""

    seed: int
    communities: tuple[Community, ...]
    modularity: float = 0.0

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"seed": self.seed, "modularity": _r(self.modularity),
                "communities": [c.to_json() for c in self.communities]}


@dataclass(frozen=True)
class Ego:
    """The neighbourhood of ``center`` within ``radius`` links."""

    center: NodeRef
    radius: int
    nodes: tuple[tuple[NodeRef, int], ...]
    edges: tuple[Hop, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"center": self.center.to_json(), "radius": self.radius,
                "nodes": [{**n.to_json(), "distance": d} for n, d in self.nodes],
                "edges": [e.to_json() for e in self.edges]}


def _r(x: float) -> float:
    return round(float(x), 6)


# --------------------------------------------------------------------------- loading


def resolve_report(db: Backend, report: str) -> str:
    """The IRI of a report given its IRI, ``pgr:report/ID`` or its id.

    Example:
        >>> resolve_report(_demo_store(), "demo-effectiveness-2016")
        'https://w3id.org/peelgraph/id/report/demo-effectiveness-2016'
    """
    reports = sorted(r["r"] for r in select(db, "SELECT ?r WHERE { ?r a pg:InspectionReport }"))
    want = report.strip()
    if want.startswith("pgr:"):
        want = BASE + want[4:]
    for r in reports:
        if want in (r, r.removeprefix(BASE + "report/")):
            return r
    ids = [r.removeprefix(BASE + "report/") for r in reports]
    close = difflib.get_close_matches(report, ids, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else f"; reports: {', '.join(ids)}"
    raise QueryError(f"unknown report {report!r}{hint}")


def _evidence_rows(db: Backend, report: str | None) -> list[dict[str, Any]]:
    only = f"?r pg:report <{report}> ." if report else ""
    return select(db, f"""SELECT ?r ?s ?p ?o ?report ?quote ?start ?end ?heading WHERE {{
        ?r a pg:Relation ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o . {only}
        OPTIONAL {{ ?r pg:report ?report }}
        OPTIONAL {{ ?r pg:evidence/oa:hasTarget ?span .
            OPTIONAL {{ ?span oa:hasSelector/oa:exact ?quote }}
            OPTIONAL {{ ?span oa:hasSelector ?pos . ?pos oa:start ?start ; oa:end ?end }}
            OPTIONAL {{ ?span pg:section/pg:heading ?heading }} }} }}""")


def _finding_rows(db: Backend, report: str | None) -> list[dict[str, Any]]:
    only = f"?f pg:report <{report}> ." if report else ""
    return select(db, f"""SELECT ?f ?type ?text ?e ?question ?report ?quote ?start ?end ?heading WHERE {{
        ?f a pg:Finding ; pg:concerns ?e ; pg:text ?text . {only}
        OPTIONAL {{ ?f a ?type . FILTER(STRSTARTS(STR(?type), STR(pg:)) && ?type != pg:Finding) }}
        OPTIONAL {{ ?f pg:question/pg:number ?question }}
        OPTIONAL {{ ?f pg:report ?report }}
        OPTIONAL {{ ?f pg:evidence/oa:hasTarget ?span .
            OPTIONAL {{ ?span oa:hasSelector/oa:exact ?quote }}
            OPTIONAL {{ ?span oa:hasSelector ?pos . ?pos oa:start ?start ; oa:end ?end }}
            OPTIONAL {{ ?span pg:section/pg:heading ?heading }} }} }}""")


def _int(v: Any) -> int | None:
    return None if v is None else int(v)


def _add_edges(g: nx.Graph, records: list[tuple[str, str, dict[str, Any]]]) -> None:
    """Merge evidence records ``(u, v, evidence)`` into edges, in a stable order."""
    acc: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for u, v, ev in records:
        key = (u, v) if g.is_directed() or u <= v else (v, u)
        acc.setdefault(key, []).append(ev)
    for (u, v), evs in sorted(acc.items()):
        uniq = {tuple(sorted((k, str(x)) for k, x in e.items())): e for e in evs}
        evs = sorted(uniq.values(), key=lambda e: (e["report"] or "", e["start"] or -1, e["end"] or -1,
                                                   e["relation"], e["subject"], e["object"]))
        rels = sorted({e["relation"] for e in evs})
        spans = {(e["report"], e["start"], e["end"]) for e in evs}
        g.add_edge(u, v, relation=", ".join(rels), relations=rels, weight=max(1, len(spans)), evidence=evs)


def load_view(db: Backend, view: str = "partners", report: str | None = None) -> nx.Graph:
    """Build a view (see the module docstring) of the store ``db``, optionally of one report.

    Args:
        db: the backend (e.g. :meth:`peelgraph.store.oxigraph.OxigraphBackend.open`).
        view: one of :data:`VIEWS`.
        report: a report IRI or id; only that report's relations, findings and entities.

    Returns:
        ``nx.Graph`` or ``nx.DiGraph`` keyed by entity IRI.

    Example:
        >>> g = load_view(_demo_store(), "dependencies")
        >>> [(g.nodes[u]["label"], d["relation"], g.nodes[v]["label"]) for u, v, d in g.edges(data=True)]
        [('daily management meetings', 'basedOn', 'THRIVE')]
        >>> g.edges[next(iter(g.edges))]["evidence"][0]["quote"]
        'Daily management meetings are based on THRIVE.'
    """
    if view not in VIEWS:
        raise QueryError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    rep = resolve_report(db, report) if report else None
    if view == "comembers":
        return _comembers(membership_graph(db, rep))
    ents = entity_labels(db, rep)
    rels = VIEW_RELATIONS[view]
    g: nx.Graph = nx.DiGraph() if view in ("dependencies", "impact") else nx.Graph()
    g.graph.update(view=view, report=rep, relations=list(rels) + (["concerns"] if view == "all" else []))

    def ref(iri: str) -> dict[str, Any]:
        e = ents.get(iri)
        return {"label": e.label, "kind": e.kind, "iri": iri} if e else \
            {"label": _local(iri), "kind": "entity", "iri": iri}

    records = []
    for r in _evidence_rows(db, rep):
        rel = r["p"].removeprefix(PG)
        if rel not in rels:
            continue
        records.append((r["s"], r["o"], {"relation": rel, "subject": r["s"], "object": r["o"],
                                          "quote": r["quote"] or "", "start": _int(r["start"]), "end": _int(r["end"]),
                                          "section": r["heading"], "report": r["report"]}))
    nodes = {u for u, _, _ in records} | {v for _, v, _ in records}
    if view == "partners":
        nodes |= {i for i, e in ents.items() if e.kind in _ORG_KINDS}
    else:
        nodes |= set(ents)
    for n in sorted(nodes):
        g.add_node(n, **ref(n))
    if view == "all":
        frecs = []
        for r in _finding_rows(db, rep):
            if r["e"] not in g:
                g.add_node(r["e"], **ref(r["e"]))
            kind = _FINDING_KINDS.get((r["type"] or "").removeprefix(PG), "finding")
            if r["f"] not in g or (kind != "finding" and g.nodes[r["f"]]["kind"] == "finding"):
                g.add_node(r["f"], label=r["text"], kind=kind, iri=r["f"], question=_int(r["question"]))
            frecs.append((r["f"], r["e"], {"relation": "concerns", "subject": r["f"], "object": r["e"],
                                           "quote": r["quote"] or "", "start": _int(r["start"]),
                                           "end": _int(r["end"]), "section": r["heading"], "report": r["report"]}))
        records += frecs
    _add_edges(g, records)
    return g


def _local(iri: str) -> str:
    return re.split(r"[/#]", iri.rstrip("/"))[-1]


def membership_graph(db: Backend, report: str | None = None) -> nx.Graph:
    """The bipartite membership graph: collaborations (``bipartite=0``) and their members (``bipartite=1``).

    The neighbours of a collaboration are exactly its members (``?member pg:memberOf ?c``).

    Example:
        >>> b = membership_graph(_demo_store())
        >>> mash = resolve_one(_demo_store(), "MASH")
        >>> sorted(b.nodes[m]["label"] for m in b[mash])
        ['Warwickshire Police', 'local authorities']
    """
    g = load_view(db, "partners", report)
    b = nx.Graph()
    b.graph.update(view="membership", report=g.graph["report"], relations=["memberOf"])
    recs = []
    for _, _, evs in g.edges(data="evidence"):
        for e in evs:
            if e["relation"] == "memberOf":
                recs.append((e["subject"], e["object"], e))
    collabs = {o for _, o, _ in recs}
    for n in sorted({s for s, _, _ in recs} | collabs):
        b.add_node(n, **g.nodes[n], bipartite=0 if n in collabs else 1)
    _add_edges(b, recs)
    return b


def _comembers(b: nx.Graph) -> nx.Graph:
    """Project the membership graph onto the members (networkx's bipartite projection)."""
    members = sorted(n for n, d in b.nodes(data=True) if d["bipartite"] == 1 or
                     any(e["subject"] == n for _, _, ev in b.edges(n, data="evidence") for e in ev))

    def shared(g: nx.Graph, u: str, v: str) -> int:
        return len(set(g[u]) & set(g[v]))

    p = nx.bipartite.generic_weighted_projected_graph(b, members, weight_function=shared)
    g = nx.Graph()
    g.graph.update(view="comembers", report=b.graph["report"], relations=["co-member"])
    for n in members:
        g.add_node(n, **{k: v for k, v in b.nodes[n].items() if k != "bipartite"})
    for u, v in sorted(tuple(sorted(e)) for e in p.edges()):
        via = sorted(set(b[u]) & set(b[v]))
        evs = [e for c in via for n in (u, v) for e in b.edges[n, c]["evidence"] if e["subject"] == n]
        g.add_edge(u, v, relation="co-member", relations=["co-member"], weight=p.edges[u, v]["weight"],
                   via=via, evidence=sorted(evs, key=lambda e: (e["report"] or "", e["start"] or -1, e["subject"])))
    return g


def members(g: nx.Graph, collaboration: str) -> set[str]:
    """The neighbours of ``collaboration`` in a view that the report states are members of it.

    Example:
        >>> db = _demo_store()
        >>> sorted(members(load_view(db), resolve_one(db, "mash")))  # doctest: +NORMALIZE_WHITESPACE
        ['https://w3id.org/peelgraph/id/force/demo/local-authorities',
         'https://w3id.org/peelgraph/id/force/warwickshire-police']
    """
    out = set()
    for n in g.predecessors(collaboration) if g.is_directed() else g.neighbors(collaboration):
        if any(e["relation"] == "memberOf" and e["subject"] == n and e["object"] == collaboration
               for e in g.edges[n, collaboration]["evidence"]):
            out.add(n)
    return out


# --------------------------------------------------------------------------- names


def resolve_one(db: Backend, name: str, among: Iterable[str] | None = None,
                entities: Mapping[str, EntityNames] | None = None) -> str:
    """The IRI of the one entity called ``name``: :func:`peelgraph.ask.binding.resolve_entity`
    over the entities the reports mention (:func:`~peelgraph.ask.binding.entity_labels`), where
    a name that denotes several entities is an error rather than all of them, since a network
    question starts from one node.

    Tries, in order: the IRI itself; a preferred label; an alternative label (both ignoring
    case); both after normalising (curly quotes, a leading "the", a plural ``s``); the way
    the report itself refers to it (its mentions, e.g. "the alliance", the entity mentioned
    most that way); and last a label that ends with the name (when only one does).

    Args:
        db: the backend.
        name: what the user typed.
        among: only these IRIs (e.g. the nodes of a view) are candidates.
        entities: a ready :func:`~peelgraph.ask.binding.entity_labels` table (saves its queries).

    Raises:
        UnknownEntityError: nothing matches; ``suggestions`` holds close labels.
        QueryError: the name matches several entities.

    Example:
        >>> db = _demo_store()
        >>> resolve_one(db, "the Multi-Agency Safeguarding Hubs")
        'https://w3id.org/peelgraph/id/force/demo/mash'
        >>> resolve_one(db, "MASHH")
        Traceback (most recent call last):
        ...
        peelgraph.errors.UnknownEntityError: unknown entity 'MASHH'; did you mean 'MASH'?
    """
    ents = entities if entities is not None else entity_labels(db)
    hits = resolve_entity(db, name, entities=ents, among=None if among is None else set(among))
    if len(hits) > 1:
        names = "; ".join(f"{ents[h].label} <{h}>" for h in hits)
        raise QueryError(f"{name!r} names several entities: {names}; give the IRI")
    return hits[0]


def resolve_in_view(db: Backend, g: nx.Graph, name: str) -> str:
    """The node of the view ``g`` called ``name`` (see :func:`resolve_one`), among the entities
    of the view's report; an entity that exists outside the view is an error that says so.

    Raises:
        UnknownEntityError: no entity is called ``name``.
        QueryError: the name matches several entities, or one that is not in the view.

    Example:
        >>> db = _demo_store()
        >>> resolve_in_view(db, load_view(db, "dependencies"), "thrive")
        'https://w3id.org/peelgraph/concept/thrive'
        >>> resolve_in_view(db, load_view(db, "partners"), "thrive")
        Traceback (most recent call last):
        ...
        peelgraph.errors.QueryError: 'THRIVE' (practice) is not in the partners view; try --view relations or --view all
    """
    ents = entity_labels(db, g.graph.get("report"))
    try:
        return resolve_one(db, name, among=g.nodes, entities=ents)
    except UnknownEntityError:
        e = ents[resolve_one(db, name, entities=ents)]
        raise QueryError(f"{e.label!r} ({e.kind}) is not in the {g.graph.get('view', 'given')} view; "
                         "try --view relations or --view all") from None


# --------------------------------------------------------------------------- analyses


def _ref(g: nx.Graph, n: str) -> NodeRef:
    d = g.nodes[n] if n in g else {}
    return NodeRef(n, d.get("label", _local(n)), d.get("kind", "entity"))


def _evidence(g: nx.Graph, evs: Iterable[Mapping[str, Any]]) -> tuple[EdgeEvidence, ...]:
    return tuple(EdgeEvidence(e["relation"], _ref(g, e["subject"]), _ref(g, e["object"]), e["quote"], e["start"],
                          e["end"], e["section"], e["report"]) for e in evs)


def _hop(g: nx.Graph, u: str, v: str) -> Hop:
    d = g.edges[u, v]
    return Hop(_ref(g, u), _ref(g, v), d["relation"], _evidence(g, d["evidence"]))


def _undirected(g: nx.Graph) -> nx.Graph:
    """An undirected copy that merges the evidence of ``u -> v`` and ``v -> u``."""
    if not g.is_directed():
        return g
    u_g = nx.Graph()
    u_g.graph.update(g.graph)
    u_g.add_nodes_from(g.nodes(data=True))
    _add_edges(u_g, [(u, v, e) for u, v, evs in g.edges(data="evidence") for e in evs])
    return u_g


def _require(g: nx.Graph, *nodes: str) -> None:
    for n in nodes:
        if n not in g:
            raise QueryError(f"{n} is not in the {g.graph.get('view', 'given')} view; try another --view")


def _label_key(g: nx.Graph, n: str) -> tuple[str, str]:
    return (str(g.nodes[n].get("label", "")).casefold(), n)


def central(g: nx.Graph, top: int | None = None, by: str = "pagerank") -> Centrality:
    """Degree, betweenness and PageRank of every node, ranked by ``by`` (ties by label).

    Betweenness is unweighted (a hop is a hop) and exact up to
    :data:`BETWEENNESS_EXACT_LIMIT` nodes, sampled with a fixed seed above; PageRank is
    weighted by evidence (it needs scipy).

    Example:
        >>> c = central(load_view(_demo_store()), top=1, by="betweenness")
        >>> c.nodes[0].node.label, c.nodes[0].degree
        ('multi-agency safeguarding hub', 3)
    """
    keys = ("degree", "betweenness", "pagerank")
    if by not in keys:
        raise QueryError(f"cannot rank by {by!r}; choose one of {', '.join(keys)}")
    sampled = g.number_of_nodes() > BETWEENNESS_EXACT_LIMIT
    bc = nx.betweenness_centrality(g, k=_BETWEENNESS_K if sampled else None, seed=42 if sampled else None)
    dc = nx.degree_centrality(g) if len(g) > 1 else dict.fromkeys(g, 0.0)
    pr = nx.pagerank(g, weight="weight") if len(g) else {}
    rows = [CentralNode(_ref(g, n), int(g.degree(n)), dc[n], bc[n], pr[n]) for n in g]
    score = {"degree": lambda r: r.degree_centrality, "betweenness": lambda r: r.betweenness,
             "pagerank": lambda r: r.pagerank}[by]
    rows.sort(key=lambda r: (-round(score(r), 12), r.node.label.casefold(), r.node.iri))
    return Centrality(by, tuple(rows[:top] if top else rows), sampled)


def _sorted_refs(g: nx.Graph, nodes: Iterable[str]) -> tuple[NodeRef, ...]:
    return tuple(_ref(g, n) for n in sorted(nodes, key=lambda n: _label_key(g, n)))


def brokers(g: nx.Graph) -> Brokers:
    """Articulation points and bridges: the single points of failure, and what each holds together.

    Directed views are taken as undirected (a failure cuts a link both ways).

    Example:
        >>> b = brokers(load_view(_demo_store()))
        >>> [(x.node.label, x.cut_off) for x in b.articulation_points]
        [('multi-agency safeguarding hub', 2)]
        >>> [(x.hop.source.label, x.hop.target.label) for x in b.bridges][:1]
        [('multi-agency safeguarding hub', 'harm assessment unit')]
    """
    u_g = _undirected(g)
    aps = []
    for v in nx.articulation_points(u_g):
        rest = u_g.subgraph(nx.node_connected_component(u_g, v) - {v})
        pieces = sorted((sorted(c, key=lambda n: _label_key(u_g, n)) for c in nx.connected_components(rest)),
                        key=lambda c: (-len(c), _label_key(u_g, c[0])))
        aps.append(Broker(_ref(u_g, v), tuple(tuple(_ref(u_g, n) for n in c) for c in pieces)))
    aps.sort(key=lambda b: (-b.cut_off, b.node.label.casefold(), b.node.iri))
    brs = []
    for a, b in nx.bridges(u_g):
        h = nx.restricted_view(u_g, [], [(a, b)])
        side_a, side_b = nx.node_connected_component(h, a), nx.node_connected_component(h, b)
        if (len(side_b), _label_key(u_g, b)) > (len(side_a), _label_key(u_g, a)):
            a, b, side_a, side_b = b, a, side_b, side_a
        brs.append(Bridge(_hop(u_g, a, b), _sorted_refs(u_g, side_b)))
    brs.sort(key=lambda x: (-len(x.cut_off), x.hop.source.label.casefold(), x.hop.target.label.casefold()))
    return Brokers(tuple(aps), tuple(brs))


def path(g: nx.Graph, a: str, b: str) -> Route:
    """The shortest connection from ``a`` to ``b``; each hop with its relations and evidence.

    In a directed view the path follows the arrows. Among equally short paths the one
    with the most evidence wins, then the alphabetically first.

    Example:
        >>> db = _demo_store()
        >>> p = path(load_view(db), resolve_one(db, "HAU"), resolve_one(db, "local authorities"))
        >>> [(e.statement, e.quote) for h in p.hops for e in h.evidence]  # doctest: +NORMALIZE_WHITESPACE
        [('harm assessment unit partOf multi-agency safeguarding hub', 'The HAU is situated within the MASH.'),
         ('local authorities memberOf multi-agency safeguarding hub', 'The MASH brings together local authorities.')]
    """
    _require(g, a, b)
    if a == b:
        return Route(_ref(g, a), _ref(g, b), ())
    try:
        candidates = list(itertools.islice(nx.all_shortest_paths(g, a, b), 500))
    except nx.NetworkXNoPath:
        return Route(_ref(g, a), _ref(g, b), ())

    def key(p: list[str]) -> tuple[int, list[tuple[str, str]]]:
        return (-sum(g.edges[u, v]["weight"] for u, v in itertools.pairwise(p)), [_label_key(g, n) for n in p])

    best = min(candidates, key=key)
    return Route(_ref(g, a), _ref(g, b), tuple(_hop(g, u, v) for u, v in itertools.pairwise(best)))


def impact(source: nx.Graph | Backend, x: str, report: str | None = None) -> Impact:
    """Everything that directly or transitively depends on ``x``: what is affected if ``x`` fails.

    "Depends on" follows :data:`IMPACT_RELATIONS` (the ``impact`` view): A depends on X when
    A ``dependsOn``, is ``basedOn`` or ``accessedThrough`` X (the dependencies view), and
    also when A is ``partOf`` or ``locatedIn`` X (a unit of the alliance, a team housed in
    a control room) or ``fundedBy`` X. Membership is not dependence: the forces that
    take part in a collaboration are not taken down with it, so ``memberOf`` is not followed
    (nor ``worksWith``, ``supportedBy``, ``chairedBy``, ``overseenBy``).

    Args:
        source: the ``impact`` view (or any DiGraph whose edges point from dependent to
            dependency), or a store, from which the ``impact`` view is loaded.
        x: the IRI of the entity.
        report: with a store: only this report.

    Example:
        >>> db = _demo_store()
        >>> r = impact(db, resolve_one(db, "THRIVE"))
        >>> [(d.node.label, d.depth, d.chain[0].relation) for d in r.dependents]
        [('daily management meetings', 1, 'basedOn')]
    """
    g = source if isinstance(source, nx.Graph) else load_view(source, "impact", report)
    if not g.is_directed():
        raise QueryError("impact needs a directed view (dependencies or impact)")
    _require(g, x)
    chains = nx.single_target_shortest_path(g, x)
    deps = [Dependent(_ref(g, n), len(p) - 1, tuple(_hop(g, u, v) for u, v in itertools.pairwise(p)))
            for n, p in chains.items() if n != x]
    deps.sort(key=lambda d: (d.depth, d.node.label.casefold(), d.node.iri))
    rels = g.graph.get("relations") or sorted({r for _, _, rs in g.edges(data="relations") for r in rs or ()})
    return Impact(_ref(g, x), tuple(rels), tuple(deps))


def communities(g: nx.Graph, seed: int = 42, min_size: int = 2) -> Communities:
    """Louvain communities (weighted by evidence, fixed ``seed``), each named after its most central member.

    The most central member has the most links inside its community (ties: most links
    overall, then label). Communities smaller than ``min_size`` (isolated nodes) are left out.

    Example:
        >>> c = communities(load_view(_demo_store()))
        >>> [(x.name.label, len(x.members)) for x in c.communities]
        [('multi-agency safeguarding hub', 4)]
    """
    u_g = _undirected(g)
    parts = nx.community.louvain_communities(u_g, weight="weight", seed=seed)
    out = []
    for part in parts:
        if len(part) < min_size:
            continue
        sub = u_g.subgraph(part)
        name = min(part, key=lambda n: (-sub.degree(n), -u_g.degree(n), _label_key(u_g, n)))
        out.append(Community(_ref(u_g, name), _sorted_refs(u_g, part)))
    out.sort(key=lambda c: (-len(c.members), c.name.label.casefold(), c.name.iri))
    mod = nx.community.modularity(u_g, parts, weight="weight") if u_g.number_of_edges() else 0.0
    return Communities(seed, tuple(out), mod)


def ego(g: nx.Graph, x: str, radius: int = 1) -> Ego:
    """The nodes within ``radius`` links of ``x`` (either direction) and the edges among them.

    Example:
        >>> db = _demo_store()
        >>> e = ego(load_view(db), resolve_one(db, "HAU"), radius=1)
        >>> [(n.label, d) for n, d in e.nodes]
        [('harm assessment unit', 0), ('multi-agency safeguarding hub', 1)]
    """
    _require(g, x)
    if radius < 0:
        raise QueryError("the radius must be 0 or more")
    u_g = _undirected(g)
    dist = nx.single_source_shortest_path_length(u_g, x, cutoff=radius)
    nodes = sorted(dist, key=lambda n: (dist[n], *_label_key(g, n)))
    sub = g.subgraph(nodes)
    edges = sorted(sub.edges(), key=lambda e: (min(dist[e[0]], dist[e[1]]), _label_key(g, e[0]), _label_key(g, e[1])))
    return Ego(_ref(g, x), radius, tuple((_ref(g, n), dist[n]) for n in nodes), tuple(_hop(g, u, v) for u, v in edges))


# --------------------------------------------------------------------------- demo


_DEMO_TTL = """
@prefix pg: <https://w3id.org/peelgraph/ontology#> . @prefix pgc: <https://w3id.org/peelgraph/concept/> .
@prefix org: <http://www.w3.org/ns/org#> . @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix oa: <http://www.w3.org/ns/oa#> . @prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix f: <https://w3id.org/peelgraph/id/force/> .
@prefix R: <https://w3id.org/peelgraph/id/report/demo-effectiveness-2016/> .
<https://w3id.org/peelgraph/id/report/demo-effectiveness-2016> a pg:InspectionReport .
f:warwickshire-police a pg:Force, org:Organization ; skos:prefLabel "Warwickshire Police" ; pg:mention R:a0 .
f:demo\\/mash a org:OrganizationalCollaboration, org:Organization ; skos:prefLabel "multi-agency safeguarding hub" ;
    skos:altLabel "MASH" ; pg:mention R:a0 .
f:demo\\/hau a org:OrganizationalUnit, org:Organization ; skos:prefLabel "harm assessment unit" ; skos:altLabel "HAU" ;
    pg:mention R:a0 .
f:demo\\/local-authorities a org:Organization ; skos:prefLabel "local authorities" ; pg:mention R:a0 .
f:demo\\/dmm a pg:Practice ; skos:prefLabel "daily management meetings" ; pg:mention R:a0 .
pgc:thrive a pg:Practice ; skos:prefLabel "THRIVE" ; pg:mention R:a0 .
"""


def _demo_store() -> OxigraphBackend:
    """A tiny in-memory store in the graph model, for the examples in this module."""
    import pyoxigraph as ox

    from peelgraph.store.oxigraph import OxigraphBackend

    backend = OxigraphBackend.empty()
    db = backend.store
    ttl = _DEMO_TTL
    rels = [("demo/hau", "partOf", "demo/mash", "The HAU is situated within the MASH."),
            ("demo/local-authorities", "memberOf", "demo/mash", "The MASH brings together local authorities."),
            ("warwickshire-police", "memberOf", "demo/mash", "The force is a partner in the MASH."),
            ("demo/dmm", "basedOn", "pgc:thrive", "Daily management meetings are based on THRIVE.")]
    for i, (s, p, o, quote) in enumerate(rels):
        sub = f"<https://w3id.org/peelgraph/id/force/{s}>"
        obj = o if o.startswith("pgc:") else f"<https://w3id.org/peelgraph/id/force/{o}>"
        start = 100 * i
        ttl += f"""{sub} pg:{p} {obj} .
R:relation\\/{i} a pg:Relation ; rdf:subject {sub} ; rdf:predicate pg:{p} ; rdf:object {obj} ;
    pg:report <https://w3id.org/peelgraph/id/report/demo-effectiveness-2016> ; pg:evidence R:ann\\/{i} .
R:ann\\/{i} oa:hasTarget R:span\\/{i} .
R:span\\/{i} oa:hasSource <https://w3id.org/peelgraph/id/report/demo-effectiveness-2016> ;
    oa:hasSelector R:span\\/{i}\\/q, R:span\\/{i}\\/pos .
R:span\\/{i}\\/q oa:exact "{quote}" . R:span\\/{i}\\/pos oa:start {start} ; oa:end {start + len(quote)} .
"""
    db.load(ttl, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(BASE + "report/demo-effectiveness-2016"))
    db.load(ttl, format=ox.RdfFormat.TURTLE)  # the default graph holds the union, as in peelgraph's store
    return backend
