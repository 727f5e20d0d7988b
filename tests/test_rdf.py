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
