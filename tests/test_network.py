"""peelgraph.ask.network and the ``network`` commands: tiny hand-built graphs, then the shipped report."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from peelgraph.ask import network as pn
from peelgraph.ask.binding import entity_labels
from peelgraph.ask.execute import select
from peelgraph.cli.network import network as network_group
from peelgraph.errors import QueryError, UnknownEntityError
from peelgraph.store.oxigraph import OxigraphBackend

BASE = "https://w3id.org/peelgraph/id/"
PG = "https://w3id.org/peelgraph/ontology#"
ORG = "http://www.w3.org/ns/org#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OA = "http://www.w3.org/ns/oa#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
PGC = "https://w3id.org/peelgraph/concept/"

KIND_TYPES = {
    "force": [PG + "Force", ORG + "Organization"],
    "organisation": [ORG + "Organization"],
    "collaboration": [ORG + "OrganizationalCollaboration", ORG + "Organization"],
    "unit": [ORG + "OrganizationalUnit", ORG + "Organization"],
    "practice": [PG + "Practice", SKOS + "Concept"],
    "information-system": [PG + "InformationSystem"],
    "role": [PG + "Role"],
}
SECTION = "Protecting vulnerable people"


# --------------------------------------------------------------------------- a tiny graph builder


def iri(key: str) -> str:
    return PGC + key[4:] if key.startswith("pgc:") else f"{BASE}force/test/{key}"


def _lit(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


class Report:
    """Writes one report's named graph in peelgraph's graph model, evidence included."""

    def __init__(self, rid: str) -> None:
        self.rid = rid
        self.R = f"{BASE}report/{rid}"
        self.lines: list[str] = []
        self.offset = 0
        self.t(self.R, RDF + "type", PG + "InspectionReport")
        self.t(f"{self.R}/section/1", PG + "heading", _lit(SECTION))

    def t(self, s: str, p: str, o: str) -> None:
        if o.isdigit():
            o = f'"{o}"^^<http://www.w3.org/2001/XMLSchema#nonNegativeInteger>'
        elif not o.startswith('"'):
            o = f"<{o}>"
        self.lines.append(f"<{s}> <{p}> {o} .")

    def evidence(self, fact: str, quote: str, prop: str = PG + "evidence") -> tuple[int, int]:
        start, end = self.offset, self.offset + len(quote)
        self.offset = end + 1
        span = f"{self.R}/span/{start}-{end}"
        ann = f"{self.R}/annotation/{start}-{end}"
        self.t(fact, prop, ann)
        self.t(ann, RDF + "type", OA + "Annotation")
        self.t(ann, OA + "hasTarget", span)
        self.t(span, OA + "hasSource", self.R)
        self.t(span, OA + "hasSelector", span + "/quote")
        self.t(span, OA + "hasSelector", span + "/position")
        self.t(span, PG + "section", f"{self.R}/section/1")
        self.t(span + "/quote", OA + "exact", _lit(quote))
        self.t(span + "/position", OA + "start", str(start))
        self.t(span + "/position", OA + "end", str(end))
        return start, end

    def entity(self, key: str, kind: str, label: str, *aliases: str) -> None:
        e = iri(key)
        for ty in KIND_TYPES[kind]:
            self.t(e, RDF + "type", ty)
        self.t(e, SKOS + "prefLabel", _lit(label))
        for a in aliases:
            self.t(e, SKOS + "altLabel", _lit(a))
        self.evidence(e, label, PG + "mention")

    def mention(self, key: str, quote: str) -> None:
        self.evidence(iri(key), quote, PG + "mention")

    def relation(self, s: str, p: str, o: str, quote: str) -> tuple[int, int]:
        r = f"{self.R}/relation/{s.replace(':', '_')}-{p}-{o.replace(':', '_')}-{self.offset}"
        self.t(iri(s), PG + p, iri(o))
        self.t(r, RDF + "type", PG + "Relation")
        self.t(r, RDF + "subject", iri(s))
        self.t(r, RDF + "predicate", PG + p)
        self.t(r, RDF + "object", iri(o))
        self.t(r, PG + "report", self.R)
        return self.evidence(r, quote)

    def finding(self, key: str, kind: str, text: str, *concerns: str) -> None:
        f = f"{self.R}/finding/{key}"
        self.t(f, RDF + "type", PG + "Finding")
        self.t(f, RDF + "type", PG + kind)
        self.t(f, PG + "text", _lit(text))
        self.t(f, PG + "report", self.R)
        for c in concerns:
            self.t(f, PG + "concerns", iri(c))
        self.evidence(f, text)

    def load(self, db: OxigraphBackend) -> None:
        data = "\n".join(self.lines)
        db.store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(self.R))
        db.store.load(data, format=ox.RdfFormat.N_TRIPLES)  # and the union, as peelgraph's store keeps it


def tiny_report(rid: str = "test-police-effectiveness-2016") -> Report:
    r = Report(rid)
    r.entity("wp", "force", "Warwickshire Police", "the force", "Warwickshire")
    r.entity("wmp", "force", "West Mercia Police")
    r.entity("alliance", "collaboration", "strategic alliance", "the alliance", "alliance")
    r.entity("mash", "collaboration", "multi-agency safeguarding hub", "MASH")
    r.entity("hau", "unit", "harm assessment unit", "HAU", "HAUs")
    r.entity("la", "organisation", "local authorities", "local councils")
    r.entity("socu", "unit", "serious and organised crime unit", "SOCU")
    r.entity("control", "unit", "control rooms", "control room")
    r.entity("i24", "unit", "i24")
    r.entity("rocu", "unit", "West Midlands ROCU", "ROCU")
    r.entity("lonely", "organisation", "Ministry of Nothing")
    r.entity("pgc:thrive", "practice", "THRIVE")
    r.entity("dmm", "practice", "daily management meetings")
    r.entity("gain", "information-system", "Government Agency Intelligence Network", "GAIN")
    r.entity("pcc", "role", "police and crime commissioner", "PCC")
    r.relation("wp", "memberOf", "alliance", "Warwickshire Police has formed an alliance with West Mercia Police.")
    r.relation("wmp", "memberOf", "alliance", "Warwickshire Police has formed an alliance with West Mercia Police.")
    r.relation("wp", "worksWith", "wmp", "Both forces collaborate extensively.")
    r.relation("socu", "partOf", "alliance", "The alliance's SOCU has boosted its capacity.")
    r.relation("control", "partOf", "alliance", "i24 is located in one of the alliance's control rooms.")
    r.relation("i24", "locatedIn", "control", "i24 is located in one of the alliance's control rooms.")
    r.relation("hau", "partOf", "mash", "The HAU is situated within the MASH.")
    r.relation("la", "memberOf", "mash", "The MASH brings together local authorities.")
    r.relation("wp", "memberOf", "mash", "The force staffs the MASH.")
    r.relation("dmm", "basedOn", "pgc:thrive", "Daily management meetings are based on THRIVE.")
    r.relation("control", "supportedBy", "dmm", "The control room is supported by the daily management meeting.")
    r.relation("gain", "accessedThrough", "rocu", "Through the ROCU the force has access to GAIN.")
    r.relation("wp", "worksWith", "rocu", "The force has a good relationship with the ROCU.")
    r.finding("f1", "Strength", "The MASH and its HAU work well.", "mash", "hau")
    r.finding("f2", "Weakness", "THRIVE is not always applied.", "pgc:thrive")
    return r


@pytest.fixture()
def tiny() -> OxigraphBackend:
    db = OxigraphBackend.empty()
    tiny_report().load(db)
    return db


@pytest.fixture()
def two_reports() -> OxigraphBackend:
    db = OxigraphBackend.empty()
    tiny_report().load(db)
    other = Report("other-police-effectiveness-2017")
    other.entity("wp", "force", "Warwickshire Police")
    other.entity("hau", "unit", "harm assessment unit", "HAU")
    other.entity("csp", "collaboration", "community safety partnership", "CSP")
    other.relation("wp", "memberOf", "csp", "The force takes part in the CSP.")
    other.relation("hau", "partOf", "csp", "The HAU now sits within the CSP.")
    other.load(db)
    return db


def labels(g: nx.Graph, nodes: Any) -> list[str]:
    return sorted(g.nodes[n]["label"] for n in nodes)


# --------------------------------------------------------------------------- views


def test_partners_view_is_organisations_and_their_partner_relations(tiny) -> None:
    g = pn.load_view(tiny, "partners")
    assert not g.is_directed()
    assert labels(g, g) == sorted(["Warwickshire Police", "West Mercia Police", "strategic alliance",
                                   "multi-agency safeguarding hub", "harm assessment unit", "local authorities",
                                   "serious and organised crime unit", "control rooms", "i24",
                                   "West Midlands ROCU", "Ministry of Nothing"])
    assert g.nodes[iri("mash")] == {"label": "multi-agency safeguarding hub", "kind": "collaboration",
                                    "iri": iri("mash")}
    assert g.degree(iri("lonely")) == 0
    assert not g.has_edge(iri("control"), iri("dmm"))  # supportedBy is not a partner relation
    d = g.edges[iri("hau"), iri("mash")]
    assert d["relation"] == "partOf" and d["relations"] == ["partOf"] and d["weight"] == 1
    [ev] = d["evidence"]
    assert ev["quote"] == "The HAU is situated within the MASH." and ev["section"] == SECTION
    assert ev["subject"] == iri("hau") and ev["object"] == iri("mash")
    assert ev["report"] == f"{BASE}report/test-police-effectiveness-2016"
    assert ev["end"] - ev["start"] == len(ev["quote"])


def test_an_edge_stated_twice_weighs_both_sentences(tiny) -> None:
    again = Report("again-police-effectiveness-2017")
    again.offset = 500
    again.relation("hau", "partOf", "mash", "The HAU still sits within the MASH.")
    again.relation("mash", "worksWith", "hau", "The MASH works closely with the HAU.")
    again.load(tiny)
    d = pn.load_view(tiny, "partners").edges[iri("hau"), iri("mash")]
    assert d["weight"] == 3 and d["relations"] == ["partOf", "worksWith"] and d["relation"] == "partOf, worksWith"
    assert [e["quote"] for e in d["evidence"]] == ["The HAU still sits within the MASH.",
                                                   "The MASH works closely with the HAU.",
                                                   "The HAU is situated within the MASH."]
    assert pn.load_view(tiny, "partners").edges[iri("wp"), iri("alliance")]["weight"] == 1


def test_dependencies_view_is_directed_and_holds_only_dependencies(tiny) -> None:
    g = pn.load_view(tiny, "dependencies")
    assert g.is_directed()
    edges = sorted((g.nodes[u]["label"], d["relation"], g.nodes[v]["label"]) for u, v, d in g.edges(data=True))
    assert edges == [("Government Agency Intelligence Network", "accessedThrough", "West Midlands ROCU"),
                     ("daily management meetings", "basedOn", "THRIVE")]
    assert g.nodes[PGC + "thrive"]["kind"] == "practice"


def test_impact_view_adds_containment(tiny) -> None:
    g = pn.load_view(tiny, "impact")
    assert g.has_edge(iri("i24"), iri("control")) and g.has_edge(iri("control"), iri("alliance"))
    assert not g.has_edge(iri("wp"), iri("alliance"))  # membership is not dependence


def test_all_view_has_findings_linked_to_what_they_concern(tiny) -> None:
    g = pn.load_view(tiny, "all")
    f1 = f"{BASE}report/test-police-effectiveness-2016/finding/f1"
    assert g.nodes[f1]["kind"] == "strength" and g.nodes[f1]["label"] == "The MASH and its HAU work well."
    assert set(g[f1]) == {iri("mash"), iri("hau")}
    assert g.edges[f1, iri("hau")]["relation"] == "concerns"
    assert g.edges[f1, iri("hau")]["evidence"][0]["quote"] == "The MASH and its HAU work well."
    assert g.has_edge(iri("control"), iri("dmm"))  # every relation type
    assert g.nodes[iri("pcc")]["kind"] == "role"


def test_comembers_is_the_bipartite_projection_of_membership(tiny) -> None:
    g = pn.load_view(tiny, "comembers")
    assert labels(g, g) == ["Warwickshire Police", "West Mercia Police", "local authorities"]
    assert g.edges[iri("wp"), iri("wmp")]["via"] == [iri("alliance")]
    assert g.edges[iri("wp"), iri("la")]["via"] == [iri("mash")]
    assert g.edges[iri("wp"), iri("la")]["weight"] == 1
    assert not g.has_edge(iri("wmp"), iri("la"))
    assert {e["quote"] for e in g.edges[iri("wp"), iri("la")]["evidence"]} == {
        "The MASH brings together local authorities.", "The force staffs the MASH."}


def test_unknown_view(tiny) -> None:
    with pytest.raises(QueryError, match="unknown view 'friends'"):
        pn.load_view(tiny, "friends")


def test_report_filter_keeps_one_report(two_reports) -> None:
    both = pn.load_view(two_reports, "partners")
    assert both.has_edge(iri("hau"), iri("csp")) and both.has_edge(iri("hau"), iri("mash"))
    only = pn.load_view(two_reports, "partners", report="other-police-effectiveness-2017")
    assert labels(only, only) == ["Warwickshire Police", "community safety partnership", "harm assessment unit"]
    assert only.graph["report"] == f"{BASE}report/other-police-effectiveness-2017"
    full = pn.load_view(two_reports, "partners", report=f"{BASE}report/other-police-effectiveness-2017")
    assert set(full.edges) == set(only.edges)
    with pytest.raises(QueryError, match="did you mean 'other-police-effectiveness-2017'"):
        pn.load_view(two_reports, "partners", report="other-police-effectiveness-2071")


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(("name", "key"), [
    ("strategic alliance", "alliance"),
    ("the alliance", "alliance"),
    ("The Alliance", "alliance"),
    ("mash", "mash"),
    ("the MASH", "mash"),
    ("Multi-Agency Safeguarding Hubs", "mash"),
    ("HAUs", "hau"),
    ("the harm assessment units", "hau"),
    ("local council", "la"),
    ("Local Authority", "la"),
    ("thrive", "pgc:thrive"),
    ("the force", "wp"),
    ("control room", "control"),
    ("\u2018i24\u2019", "i24"),
], ids=lambda x: x if isinstance(x, str) else None)
def test_resolve_one(tiny, name: str, key: str) -> None:
    assert pn.resolve_one(tiny, name) == iri(key)


def test_resolve_one_by_how_the_report_refers_to_it_and_by_label_ending(tiny) -> None:
    r = Report("more-police-effectiveness-2016")
    r.entity("hub2", "unit", "harm reduction hub")
    r.entity("hub3", "unit", "cyber crime hub")
    r.mention("hub2", "the hub")
    r.mention("hub2", "the hub")
    r.mention("hub3", "the hub")
    r.load(tiny)
    assert pn.resolve_one(tiny, "The hub") == iri("hub2")  # mentioned that way most
    assert pn.resolve_one(tiny, "Mercia Police") == iri("wmp")  # the one label ending so
    assert pn.resolve_one(tiny, "safeguarding hub") == iri("mash")
    with pytest.raises(UnknownEntityError):
        pn.resolve_one(tiny, "police")  # two forces end so: no guess


def test_resolve_one_takes_iris(tiny) -> None:
    assert pn.resolve_one(tiny, iri("mash")) == iri("mash")
    assert pn.resolve_one(tiny, "pgr:force/test/mash") == iri("mash")
    assert pn.resolve_one(tiny, "pgc:thrive") == PGC + "thrive"


def test_unknown_entity_suggests_close_names(tiny) -> None:
    with pytest.raises(UnknownEntityError) as err:
        pn.resolve_one(tiny, "MASHH")
    assert "MASH" in err.value.suggestions
    with pytest.raises(UnknownEntityError) as err:
        pn.resolve_one(tiny, "harm assesment")
    assert "harm assessment unit" in err.value.suggestions
    with pytest.raises(UnknownEntityError) as err:
        pn.resolve_one(tiny, "zzzz")
    assert err.value.suggestions == ()


def test_ambiguous_name_is_an_error(tiny) -> None:
    r = Report("dup-police-effectiveness-2016")
    r.entity("hub2", "unit", "harm reduction hub", "the hub")
    r.entity("hub3", "unit", "cyber hub", "the hub")
    r.load(tiny)
    with pytest.raises(QueryError, match="names several entities"):
        pn.resolve_one(tiny, "the hub")
    assert pn.resolve_one(tiny, "cyber hub") == iri("hub3")


# --------------------------------------------------------------------------- analyses


def test_central_ranks_and_is_deterministic(tiny) -> None:
    g = pn.load_view(tiny, "partners")
    c = pn.central(g, top=3, by="betweenness")
    assert c.nodes[0].node.label == "Warwickshire Police"
    assert c.nodes[0].degree == 4
    assert len(c.nodes) == 3 and not c.sampled
    by_degree = pn.central(g, by="degree")
    assert [n.degree for n in by_degree.nodes] == sorted((n.degree for n in by_degree.nodes), reverse=True)
    assert by_degree.nodes[-1].node.label == "Ministry of Nothing"
    pr = pn.central(g)
    assert abs(sum(n.pagerank for n in pr.nodes) - 1) < 1e-6
    assert pn.central(pn.load_view(tiny, "partners")).to_json() == pr.to_json()
    with pytest.raises(QueryError):
        pn.central(g, by="fame")


def test_central_matches_networkx(tiny) -> None:
    g = pn.load_view(tiny, "partners")
    bc = nx.betweenness_centrality(g)
    for row in pn.central(g).nodes:
        assert row.betweenness == pytest.approx(bc[row.node.iri])


def test_brokers_are_articulation_points_and_bridges(tiny) -> None:
    g = pn.load_view(tiny, "partners")
    b = pn.brokers(g)
    assert [(x.node.label, x.cut_off) for x in b.articulation_points] == [
        ("Warwickshire Police", 4), ("strategic alliance", 3), ("multi-agency safeguarding hub", 2),
        ("control rooms", 1)]
    assert {x.node.iri for x in b.articulation_points} == set(nx.articulation_points(g))
    alliance = b.articulation_points[1]
    assert [[n.label for n in p] for p in alliance.pieces[1:]] == [["control rooms", "i24"],
                                                                   ["serious and organised crime unit"]]
    first = b.bridges[0]
    assert (first.hop.source.label, first.hop.target.label) == ("Warwickshire Police",
                                                                "multi-agency safeguarding hub")
    assert [n.label for n in first.cut_off] == ["harm assessment unit", "local authorities",
                                                "multi-agency safeguarding hub"]
    assert first.hop.evidence[0].quote == "The force staffs the MASH."
    assert len(b.bridges) == len(list(nx.bridges(g)))


def test_path_runs_through_the_mash_with_evidence(tiny) -> None:
    g = pn.load_view(tiny, "partners")
    p = pn.path(g, iri("hau"), iri("la"))
    assert p.connected and [h.target.label for h in p.hops] == ["multi-agency safeguarding hub", "local authorities"]
    assert p.hops[1].relation == "memberOf"
    assert p.hops[1].evidence[0].statement == "local authorities memberOf multi-agency safeguarding hub"
    assert p.hops[1].evidence[0].quote == "The MASH brings together local authorities."
    longer = pn.path(g, iri("hau"), iri("wmp"))
    assert [h.target.label for h in longer.hops] == ["multi-agency safeguarding hub", "Warwickshire Police",
                                                     "West Mercia Police"]


def test_path_without_connection_and_outside_the_view(tiny) -> None:
    g = pn.load_view(tiny, "partners")
    p = pn.path(g, iri("hau"), iri("lonely"))
    assert not p.connected and p.to_json()["connected"] is False
    with pytest.raises(QueryError, match="not in the partners view"):
        pn.path(g, iri("hau"), PGC + "thrive")
    d = pn.load_view(tiny, "dependencies")
    assert pn.path(d, iri("dmm"), PGC + "thrive").connected
    assert not pn.path(d, PGC + "thrive", iri("dmm")).connected  # follows the arrows


def test_impact_follows_dependencies_and_containment(tiny) -> None:
    res = pn.impact(tiny, iri("alliance"))
    assert [(d.node.label, d.depth) for d in res.dependents] == [
        ("control rooms", 1), ("serious and organised crime unit", 1), ("i24", 2)]
    i24 = res.dependents[2]
    assert [e.statement for h in i24.chain for e in h.evidence] == [
        "i24 locatedIn control rooms", "control rooms partOf strategic alliance"]
    assert i24.chain[0].evidence[0].quote == "i24 is located in one of the alliance's control rooms."
    thrive = pn.impact(pn.load_view(tiny, "impact"), PGC + "thrive")
    assert [d.node.label for d in thrive.dependents] == ["daily management meetings"]
    assert [d.node.label for d in pn.impact(tiny, iri("rocu")).dependents] == [
        "Government Agency Intelligence Network"]
    assert pn.impact(tiny, iri("lonely")).dependents == ()
    with pytest.raises(QueryError, match="directed"):
        pn.impact(pn.load_view(tiny, "partners"), iri("alliance"))


def test_communities_are_seeded_and_named_after_a_central_member(tiny) -> None:
    g = pn.load_view(tiny, "partners")
    c = pn.communities(g)
    again = pn.communities(pn.load_view(tiny, "partners"))
    assert c.to_json() == again.to_json()
    seen = [m.iri for x in c.communities for m in x.members]
    assert len(seen) == len(set(seen))
    assert set(seen) == {n for n in g if g.degree(n)}  # singletons left out
    for x in c.communities:
        sub = g.subgraph(m.iri for m in x.members)
        assert sub.degree(x.name.iri) == max(d for _, d in sub.degree())
    assert c.seed == 42 and -0.5 <= c.modularity <= 1


def test_ego(tiny) -> None:
    g = pn.load_view(tiny, "partners")
    e = pn.ego(g, iri("mash"))
    assert [(n.label, d) for n, d in e.nodes] == [("multi-agency safeguarding hub", 0), ("harm assessment unit", 1),
                                                  ("local authorities", 1), ("Warwickshire Police", 1)]
    assert len(e.edges) == 3 and all(h.evidence for h in e.edges)
    e2 = pn.ego(g, iri("mash"), radius=2)
    assert {n.label for n, d in e2.nodes if d == 2} == {"West Mercia Police", "strategic alliance",
                                                       "West Midlands ROCU"}
    with pytest.raises(QueryError):
        pn.ego(g, iri("mash"), radius=-1)


# --------------------------------------------------------------------------- parity with SPARQL


def sparql_members(db: Any) -> dict[str, set[str]]:
    rows = select(db, """SELECT ?collaboration ?member WHERE {
        ?member pg:memberOf ?collaboration . ?collaboration a org:OrganizationalCollaboration }""")
    out: dict[str, set[str]] = {}
    for r in rows:
        out.setdefault(r["collaboration"], set()).add(r["member"])
    return out


def check_parity(db: Any) -> int:
    expected = sparql_members(db)
    b = pn.membership_graph(db)
    g = pn.load_view(db, "partners")
    for c, want in expected.items():
        assert set(b[c]) == want, c
        assert pn.members(g, c) == want, c
    return len(expected)


def canned_pairs(db: Any) -> set[tuple[str, str]]:
    from peelgraph.ask.catalogue import get_query
    from peelgraph.ask.run import run

    return {(r["collaboration"], r["member"]) for r in run(db, get_query("collaborations")).dicts()}


def network_pairs(db: Any) -> set[tuple[str, str]]:
    b = pn.membership_graph(db)
    g = pn.load_view(db, "partners")
    out = set()
    for c, d in b.nodes(data=True):
        if d["bipartite"] == 0:
            assert pn.members(b, c) == pn.members(g, c), c
            out |= {(b.nodes[c]["label"], b.nodes[m]["label"]) for m in pn.members(b, c)}
    return out


def test_parity_with_sparql_on_a_tiny_graph(tiny) -> None:
    assert check_parity(tiny) == 2
    assert canned_pairs(tiny) == network_pairs(tiny) == {
        ("strategic alliance", "Warwickshire Police"), ("strategic alliance", "West Mercia Police"),
        ("multi-agency safeguarding hub", "Warwickshire Police"),
        ("multi-agency safeguarding hub", "local authorities")}


# --------------------------------------------------------------------------- commands


@pytest.fixture()
def cli(tiny, monkeypatch):
    monkeypatch.setattr("peelgraph.cli.network._db", lambda ctx: tiny)
    runner = CliRunner()

    def run(*args: str, code: int = 0) -> Any:
        res = runner.invoke(network_group, list(args), obj={"store": None}, catch_exceptions=False)
        assert res.exit_code == code, (res.output, res.stderr)
        return res

    return run


@pytest.mark.parametrize("args", [
    ["central"], ["central", "--view", "all", "--top", "3", "--by", "degree"],
    ["brokers"], ["brokers", "--top", "1"],
    ["path", "HAU", "local authorities"], ["path", "THRIVE", "HAU", "--view", "all"],
    ["impact", "the alliance"], ["impact", "thrive", "--view", "dependencies"],
    ["communities"], ["communities", "--view", "comembers", "--seed", "7"],
    ["ego", "MASH"], ["ego", "MASH", "--radius", "2", "--view", "relations"],
], ids=lambda a: " ".join(a))
def test_every_command_prints_a_table_and_json(cli, args: list[str]) -> None:
    table = cli(*args).stdout
    assert table.strip()
    data = json.loads(cli(*args, "--format", "json").stdout)
    assert isinstance(data, dict)


def test_path_command_shows_each_hop_with_evidence(cli) -> None:
    out = cli("path", "the HAU", "Local Authority").stdout
    assert "harm assessment unit -> local authorities: 2 hop(s)" in out
    assert "local authorities memberOf multi-agency safeguarding hub" in out
    assert '"The MASH brings together local authorities."' in out
    assert re.search(r"chars \d+-\d+; Protecting vulnerable people", out)


def test_impact_command_json_carries_chains_and_quotes(cli) -> None:
    data = json.loads(cli("impact", "alliance", "--format", "json").stdout)
    assert data["target"]["label"] == "strategic alliance"
    i24 = next(d for d in data["dependents"] if d["label"] == "i24")
    assert i24["depth"] == 2
    assert [h["evidence"][0]["quote"] for h in i24["chain"]] == [
        "i24 is located in one of the alliance's control rooms.",
        "i24 is located in one of the alliance's control rooms."]
    assert "partOf" in data["relations"]


def test_brokers_command_lists_what_each_holds_together(cli) -> None:
    out = cli("brokers").stdout
    assert "Warwickshire Police [force]: cuts off 4" in out
    assert "- control rooms, i24" in out
    assert '"The force staffs the MASH."' in out


def test_unknown_entity_exits_3_with_suggestions(cli) -> None:
    res = cli("ego", "MASHH", code=3)
    assert res.stderr.strip() == "Error: unknown entity 'MASHH'; did you mean 'MASH'?"
    res = cli("path", "THRIVE", "MASH", code=3)
    assert "'THRIVE' (practice) is not in the partners view" in res.stderr
    res = cli("central", "--report", "nope", code=3)
    assert "unknown report 'nope'" in res.stderr
    cli("central", "--view", "friends", code=2)


def test_commands_are_deterministic(cli) -> None:
    for args in (["central", "--view", "all"], ["communities"], ["brokers"], ["impact", "alliance"]):
        assert cli(*args, "--format", "json").stdout == cli(*args, "--format", "json").stdout


# --------------------------------------------------------------------------- the shipped report


def _shipped_relations(db: Any) -> int:
    return int(select(db, "SELECT (COUNT(*) AS ?n) WHERE { ?r a pg:Relation }")[0]["n"])


@pytest.fixture(scope="module")
def shipped(db) -> Any:
    if _shipped_relations(db) == 0:
        pytest.skip("the shipped report's graph has no relations yet (extraction of entities and relations, issue 3)")
    return db


def test_shipped_parity_with_sparql(shipped) -> None:
    assert check_parity(shipped) > 0
    pairs = canned_pairs(shipped)
    assert pairs and pairs == network_pairs(shipped)


def _labels(db: Any, nodes: Any) -> set[str]:
    ents = entity_labels(db)
    return {ents[n.iri].label.casefold() for n in nodes}


@pytest.fixture(scope="module")
def alliance_impact(shipped) -> Any:
    return pn.impact(shipped, pn.resolve_one(shipped, "the alliance"))


@pytest.mark.parametrize("shared", ["control room", "i24", "serious and organised crime unit",
                                    "service level agreement"])
def test_shipped_impact_of_the_alliance_reaches_what_the_forces_share(shipped, alliance_impact, shared) -> None:
    names = sorted(_labels(shipped, [d.node for d in alliance_impact.dependents]))
    assert any(shared in n for n in names), names


def test_shipped_impact_chains_carry_evidence(alliance_impact, report_text: str) -> None:
    from peelgraph.extract.templates import layout

    doc = layout("r", report_text)  # a quote a footnote interrupts is in parts: the range without the furniture
    assert alliance_impact.dependents
    for d in alliance_impact.dependents:
        assert d.chain[-1].target == alliance_impact.target and len(d.chain) == d.depth
        for h in d.chain:
            assert h.evidence
            for e in h.evidence:
                assert e.quote and "\n".join(report_text[a:b] for a, b in doc.parts(e.start, e.end)) == e.quote


def test_shipped_members_of_the_alliance_are_not_its_dependents(shipped, alliance_impact) -> None:
    wp = pn.resolve_one(shipped, "Warwickshire Police")
    assert wp not in {d.node.iri for d in alliance_impact.dependents}


def test_shipped_path_from_the_hau_to_the_local_authorities_runs_through_the_mash(shipped) -> None:
    g = pn.load_view(shipped, "partners")
    p = pn.path(g, pn.resolve_one(shipped, "harm assessment unit"), pn.resolve_one(shipped, "local authorities"))
    assert p.connected
    mash = pn.resolve_one(shipped, "MASH")
    assert mash in [h.target.iri for h in p.hops[:-1]]
    assert any("MASH" in e.quote for h in p.hops for e in h.evidence)


def test_shipped_thrive_dependents_include_the_daily_management_meetings(shipped) -> None:
    res = pn.impact(shipped, pn.resolve_one(shipped, "THRIVE"))
    dmm = [d for d in res.dependents if "daily management meeting" in d.node.label.casefold()]
    assert dmm and dmm[0].depth == 1
    assert "THRIVE" in dmm[0].chain[0].evidence[0].quote


def test_shipped_evidence_slices_back_from_the_report(shipped, report_text: str) -> None:
    from peelgraph.extract.templates import layout

    doc = layout("r", report_text)  # a quote a footnote interrupts is in parts: the range without the furniture
    for view in ("partners", "all"):
        g = pn.load_view(shipped, view)
        for _, _, evs in g.edges(data="evidence"):
            for e in evs:
                parts = doc.parts(e["start"], e["end"])
                assert "\n".join(report_text[a:b] for a, b in parts) == e["quote"]


def test_shipped_cli_on_a_built_store(shipped, built_store: Path) -> None:
    res = CliRunner().invoke(network_group, ["brokers", "--top", "3", "--format", "json"], obj={"store": built_store})
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["articulation_points"]


def test_shipped_output_is_the_same_whatever_the_hash_seed(shipped, built_store: Path) -> None:
    import os
    import subprocess
    import sys

    outs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PEELGRAPH_STORE": str(built_store)}
        res = subprocess.run([sys.executable, "-m", "peelgraph", "network", "communities", "--view", "relations",
                              "--format", "json"], capture_output=True, text=True, env=env, check=True)
        outs.add(res.stdout)
    assert len(outs) == 1
