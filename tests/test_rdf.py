"""peelgraph.graph.rdf and the evidence promise: every span re-slices; builds are byte-identical."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from rdflib import RDF, Graph, URIRef

from peelgraph.ask.validate import check_evidence
from peelgraph.graph.namespaces import PG
from peelgraph.graph.rdf import canonical_nt, canonical_turtle, extraction_to_graph

ROOT = Path(__file__).resolve().parents[1]


def test_every_evidence_span_reslices_from_the_shipped_file(built_store) -> None:
    check = check_evidence(built_store / "current" / "graph.nq", root=ROOT)
    assert check.total > 50
    assert check.mismatches == ()
    assert check.matched == check.total  # 100%


def test_every_fact_has_evidence(extraction) -> None:
    g = extraction_to_graph([extraction])
    facts: set = set()
    for cls in (PG.Judgement, PG.Finding, PG.CoreQuestion, PG.Section, PG.Footnote, PG.Relation):
        facts.update(g.subjects(predicate=RDF.type, object=URIRef(cls)))
    assert len(facts) > 100
    for f in facts:
        if (f, URIRef(PG.evidence), None) not in g:
            raise AssertionError(f"{f} has no evidence")


def test_no_blank_nodes(extraction) -> None:
    nt = canonical_nt(extraction_to_graph([extraction]))
    assert "_:" not in nt


_BUILD = """
import sys
from peelgraph.graph.build import build
from peelgraph.graph.rdf import canonical_turtle
from rdflib import Dataset
r = build([sys.argv[1]])
sys.stdout.write(r.nquads)
"""


def test_build_is_byte_identical_whatever_the_hash_seed(report_path) -> None:
    outs = []
    for seed in ("0", "1", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        res = subprocess.run([sys.executable, "-c", _BUILD, str(report_path)], env=env, capture_output=True,
                             check=True, cwd=ROOT)
        outs.append(res.stdout)
    assert outs[0] == outs[1] == outs[2]
    assert len(outs[0]) > 10000


def test_turtle_export_is_byte_identical_whatever_the_hash_seed(built_store) -> None:
    outs = []
    for seed in ("0", "7"):
        env = dict(os.environ, PYTHONHASHSEED=seed, PEELGRAPH_STORE=str(built_store))
        res = subprocess.run([sys.executable, "-m", "peelgraph", "export", "--format", "ttl"], env=env,
                             capture_output=True, check=True, cwd=ROOT)
        outs.append(res.stdout)
    assert outs[0] == outs[1]
    g = Graph().parse(data=outs[0].decode("utf-8"), format="turtle")
    assert len(g) > 1000


def test_canonical_turtle_round_trips(extraction) -> None:
    g = extraction_to_graph([extraction])
    back = Graph().parse(data=canonical_turtle(g), format="turtle")
    assert canonical_nt(back) == canonical_nt(g)


def test_the_extraction_records_the_template_that_read_the_report(extraction) -> None:
    from rdflib import OWL, PROV, RDFS, Literal

    g = extraction_to_graph([extraction])
    activity = URIRef("https://w3id.org/peelgraph/id/report/warwickshire-police-effectiveness-2016/extraction")
    template = URIRef("https://w3id.org/peelgraph/id/template/peel-pillar-2014")
    assert set(g.objects(activity, PROV.used)) == {
        URIRef("https://w3id.org/peelgraph/id/report/warwickshire-police-effectiveness-2016"), template}
    assert (template, RDF.type, URIRef(PG.Template)) in g
    assert g.value(template, RDFS.label) == Literal(extraction.report.template.title)
    assert g.value(template, OWL.versionInfo) == Literal("2.0")


def test_judgements_carry_their_own_force_pillar_and_year(extraction) -> None:
    g = extraction_to_graph([extraction])
    force = URIRef("https://w3id.org/peelgraph/id/force/warwickshire-police")
    judgements = set(g.subjects(RDF.type, URIRef(PG.Judgement)))
    assert len(judgements) == 7  # six of the report, and last year's overall judgement it states
    for j in judgements:
        assert set(g.objects(j, URIRef(PG.pillar))) == {URIRef(PG.Effectiveness)}
        assert set(g.objects(j, URIRef(PG.force))) == {force}


def test_an_integrated_report_and_a_press_release_name_each_pillar_and_force() -> None:
    from peelgraph.graph.build import extract

    other = ROOT / "tests" / "data" / "other"
    g = extraction_to_graph([extract(other / "norfolk-peel-2018-19.txt")])
    base = "https://w3id.org/peelgraph/id/report/norfolk-constabulary-peel-2019/judgement/"
    for pillar in ("effectiveness", "efficiency", "legitimacy"):
        j = URIRef(f"{base}{pillar}/overall")
        assert set(g.objects(j, URIRef(PG.pillar))) == {URIRef(getattr(PG, pillar.capitalize()))}
    report = next(g.subjects(RDF.type, URIRef(PG.InspectionReport)))
    assert set(g.objects(report, URIRef(PG.pillar))) == {URIRef(PG.Peel)}

    g2 = extraction_to_graph([extract(other / "south-west-effectiveness-press-release-2016.txt")])
    report = next(g2.subjects(RDF.type, URIRef(PG.InspectionReport)))
    forces = set(g2.objects(report, URIRef(PG.force)))
    assert len(forces) == 4 and all((f, RDF.type, URIRef(PG.Force)) in g2 for f in forces)
    wiltshire = URIRef("https://w3id.org/peelgraph/id/force/wiltshire-police")
    judged = {j for j in g2.subjects(URIRef(PG.force), wiltshire) if (j, RDF.type, URIRef(PG.Judgement)) in g2}
    assert len(judged) == 5 and all(str(j).split("/judgement/")[1].startswith("wiltshire-police/") for j in judged)


# ---- standard vocabularies used as their specs intend (W3C ORG, DCAT, Web Annotation, SKOS)


def _rows(db, text: str) -> list[dict[str, str]]:
    return [{k: v["value"] for k, v in b.items()} for b in db.query(text)["results"]["bindings"]]

_ORG_MEMBERS = """
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?member ?org WHERE { ?m org:memberOf ?o . ?m skos:prefLabel ?member . ?o skos:prefLabel ?org }
"""


def test_an_org_aware_query_finds_the_memberships(db, extraction) -> None:
    """A query in W3C ORG terms alone (no pg: term) finds every membership, as an org:memberOf
    triple and as an org:Membership with its evidence."""
    members = _rows(db, _ORG_MEMBERS)
    stated = [r for r in extraction.relations if r.type == "member-of"]
    assert stated and len({(r["member"], r["org"]) for r in members}) >= len(
        {(r.subject, r.object) for r in stated})
    n = _rows(db, """PREFIX org: <http://www.w3.org/ns/org#> PREFIX oa: <http://www.w3.org/ns/oa#>
        PREFIX pg: <https://w3id.org/peelgraph/ontology#>
        SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE { ?m a org:Membership ; org:member ?a ; org:organization ?b ;
        pg:evidence/oa:hasTarget/oa:hasSelector/oa:exact ?quote . ?a org:memberOf ?b }""")
    assert int(n[0]["n"]) == len({(r.subject, r.object, r.evidence.start) for r in stated})


def test_org_statements_follow_the_kinds_at_either_end() -> None:
    """A unit that is part of an organisation is its org:unitOf; an organisation part of another its
    org:subOrganizationOf; other ties between organisations are org:linkedTo (both ways when the type
    is symmetric); ties to a practice or a system make no ORG statement."""
    from peelgraph.graph.namespaces import ORG
    from peelgraph.graph.rdf import org_triples

    a, b = URIRef("http://x/a"), URIRef("http://x/b")
    assert org_triples("part-of", a, b, "unit", "collaboration") == [(a, ORG.unitOf, b), (b, ORG.hasUnit, a)]
    assert org_triples("part-of", a, b, "organisation", "force") == [
        (a, ORG.subOrganizationOf, b), (b, ORG.hasSubOrganization, a)]
    assert org_triples("works-with", a, b, "force", "organisation") == [(a, ORG.linkedTo, b), (b, ORG.linkedTo, a)]
    assert org_triples("funded-by", a, b, "unit", "organisation") == [(a, ORG.linkedTo, b)]
    assert org_triples("part-of", a, b, "practice", "programme") == []
    assert org_triples("based-on", a, b, "unit", "practice") == []
    assert org_triples("member-of", a, b, "role", "programme") == [(a, ORG.memberOf, b), (b, ORG.hasMember, a)]


def test_the_ontology_declares_the_widened_org_properties() -> None:
    g = Graph().parse(Path(__file__).resolve().parents[1] / "ontology" / "peelgraph.ttl")
    sub = URIRef("http://www.w3.org/2000/01/rdf-schema#subPropertyOf")
    org = "http://www.w3.org/ns/org#"
    assert (URIRef(str(PG.memberOf)), sub, URIRef(org + "memberOf")) in g
    assert (URIRef(str(PG.worksWith)), sub, URIRef(org + "linkedTo")) in g


def test_the_corpus_is_a_dcat_catalogue_of_reports_with_their_files(db, report_path) -> None:
    rows = _rows(db, """PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX pg: <https://w3id.org/peelgraph/ontology#>
        SELECT ?cat ?r ?path ?type ?sha WHERE { ?cat a dcat:Catalog ; dcat:dataset ?r . ?r a dcat:Dataset ;
        dcterms:source ?d ; dcat:distribution ?d . ?d a dcat:Distribution ; pg:path ?path ; dcat:mediaType ?type ;
        pg:sha256 ?sha }""")
    assert len(rows) == 1
    (row,) = rows
    assert row["path"].endswith(report_path.name)
    assert row["type"] == "http://www.iana.org/assignments/media-types/text/plain"
    import hashlib

    assert row["sha"] == hashlib.sha256(report_path.read_bytes()).hexdigest()
    # no literal is a dcterms:source any more
    assert not db.ask("PREFIX dcterms: <http://purl.org/dc/terms/> ASK { ?r dcterms:source ?s FILTER isLiteral(?s) }")


def test_every_annotation_says_why_it_was_made(db) -> None:
    """A mention identifies what the span names; every other evidence describes its fact."""
    rows = _rows(db, """PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX pg: <https://w3id.org/peelgraph/ontology#>
        SELECT ?m (COUNT(?a) AS ?n) WHERE { ?a a oa:Annotation OPTIONAL { ?a oa:motivatedBy ?m } } GROUP BY ?m""")
    by = {r["m"]: int(r["n"]) for r in rows}
    assert set(by) == {"http://www.w3.org/ns/oa#identifying", "http://www.w3.org/ns/oa#describing"}
    assert not db.ask("""PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX pg: <https://w3id.org/peelgraph/ontology#>
        ASK { ?f pg:mention ?a . ?a oa:motivatedBy oa:describing }""")


def test_every_concept_used_is_in_the_scheme_without_the_vocabulary_file(db) -> None:
    """The graph alone (concepts.ttl not loaded) puts every national concept it uses in the scheme."""
    assert not db.ask("""PREFIX pg: <https://w3id.org/peelgraph/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        ASK { { ?x pg:instanceOf ?c } UNION { ?c pg:scope pg:National } FILTER(STRSTARTS(STR(?c), "https://w3id.org/peelgraph/concept/"))
              FILTER NOT EXISTS { ?c skos:inScheme <https://w3id.org/peelgraph/concept/scheme> } }""")
    assert db.ask("""PREFIX pg: <https://w3id.org/peelgraph/ontology#>
        ASK { ?x pg:instanceOf ?c }""")
