"""Questions across reports (issue 8): grades, grade changes, forces that name a thing, themes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from peelgraph.ask.catalogue import get_query
from peelgraph.ask.run import run
from peelgraph.store.oxigraph import OxigraphBackend, build_store

ROOT = Path(__file__).resolve().parents[1]
OTHER = ROOT / "tests" / "data" / "other"


@pytest.fixture(scope="module")
def cdb(corpus_store: Path):
    return OxigraphBackend.open(corpus_store)


def test_grades_across_forces_and_years(cdb) -> None:
    rows = run(cdb, get_query("grades")).dicts()
    overall = {(r["force"], r["year"]): r["grade"] for r in rows if r["question"] == "overall"}
    assert overall == {("Cumbria Constabulary", "2017"): "requires improvement",
                       ("Dyfed-Powys Police", "2015"): "good",
                       ("Warwickshire Police", "2016"): "good"}
    kent = {r["question"]: r["grade"] for r in rows if r["force"] == "Kent Police"}
    assert kent["Preventing crime and anti-social behaviour"] == "adequate"
    assert kent["Disrupting serious organised crime"] == "outstanding"
    assert {r["pillar"] for r in rows if r["force"] == "Kent Police"} == {"peel"}
    assert len({(r["force"], r["year"], r["question"]) for r in rows}) == len(rows)  # no duplicates


def test_grade_changes_use_the_previous_grades_the_reports_state(cdb) -> None:
    rows = run(cdb, get_query("grade-changes")).dicts()
    assert {(r["force"], r["question"], r["from_year"], r["from_grade"], r["to_year"], r["to_grade"])
            for r in rows} == {
        ("Cumbria Constabulary", "overall", "2016", "good", "2017", "requires improvement"),
        ("Warwickshire Police", "overall", "2015", "requires improvement", "2016", "good"),
    }


def test_forces_with_a_mash_and_with_thrive(cdb) -> None:
    mash = {r["force"] for r in run(cdb, get_query("forces-with"), {"entity": "MASH"}).dicts()}
    assert {"Warwickshire Police", "Cumbria Constabulary", "Kent Police"} <= mash
    thrive = run(cdb, get_query("forces-with"), {"entity": "THRIVE"}).dicts()
    assert {"Warwickshire Police", "Cumbria Constabulary", "Kent Police"} <= {r["force"] for r in thrive}
    assert all("THRIVE" in r["evidence"] or "threat, harm, risk" in r["evidence"] for r in thrive)


def test_shared_concepts_have_one_iri_and_local_bodies_stay_distinct(cdb) -> None:
    rows = list(cdb.store.query("""
        PREFIX pg: <https://w3id.org/peelgraph/ontology#>
        SELECT DISTINCT ?e ?force WHERE {
          ?e pg:instanceOf <https://w3id.org/peelgraph/concept/mash> ; pg:force ?force }""",
                          ))
    forces = {r["force"].value.rsplit("/", 1)[-1] for r in rows}
    assert {"warwickshire-police", "cumbria-constabulary"} <= forces
    assert len({r["e"].value for r in rows}) == len(rows)  # one MASH per force
    thrive = list(cdb.store.query("""SELECT DISTINCT ?g WHERE { GRAPH ?g {
        <https://w3id.org/peelgraph/concept/thrive> <https://w3id.org/peelgraph/ontology#mention> ?m } }"""))
    assert len(thrive) >= 3  # the same node, named in several reports' graphs


def test_areas_for_improvement_by_theme(cdb) -> None:
    rows = run(cdb, get_query("areas-for-improvement-by-theme")).dicts()
    assert rows and {"theme", "force", "year", "text"} == set(rows[0])
    assert any(r["theme"] == "multi-agency safeguarding hub" and r["force"] == "Warwickshire Police" for r in rows)


def test_catalogue(cdb) -> None:
    rows = run(cdb, get_query("catalogue")).dicts()
    assert [r["report"] for r in rows] == ["cumbria-constabulary-effectiveness-2017",
                                           "dyfed-powys-police-effectiveness-2015", "kent-police-peel-2022",
                                           "warwickshire-police-effectiveness-2016"]
    assert all(len(r["sha256"]) == 64 and r["extractor_version"] for r in rows)
    assert rows[2]["title"] == "PEEL 2021/22 – An inspection of Kent Police"


@pytest.fixture(scope="module")
def families_db(tmp_path_factory):
    """A corpus of every PEEL family, a force page and a press release."""
    d = tmp_path_factory.mktemp("families")
    for name in ("essex-effectiveness-2017.txt", "norfolk-peel-2018-19.txt", "kent-force-page-2016.txt",
                 "kent-peel-2022.txt", "south-west-effectiveness-press-release-2016.txt",
                 "cheshire-effectiveness-page-2016.txt"):
        shutil.copy(OTHER / name, d)
    store = d / "store"
    build_store(store, [d])
    return OxigraphBackend.open(store)


def test_grades_read_the_force_and_pillar_from_each_judgement(families_db) -> None:
    rows = run(families_db, get_query("grades")).dicts()
    overall = {(r["force"], r["pillar"], r["year"]): r["grade"] for r in rows if r["question"] == "overall"}
    assert overall[("Kent Police", "efficiency", "2016")] == "outstanding"  # the force page's pillar sentences
    assert overall[("Kent Police", "legitimacy", "2016")] == "requires improvement"
    assert overall[("Norfolk Constabulary", "efficiency", "2019")] == "outstanding"  # one per pillar
    assert overall[("Wiltshire Police", "effectiveness", "2016")] == "inadequate"  # the press release's forces
    assert overall[("Devon and Cornwall Police", "effectiveness", "2016")] == "requires improvement"
    assert len({(r["force"], r["pillar"], r["year"], r["question"]) for r in rows}) == len(rows)


def test_grade_changes_follow_each_pillar_and_carried_judgements(families_db) -> None:
    rows = run(families_db, get_query("grade-changes")).dicts()
    got = {(r["force"], r["pillar"], r["question"], r["from_year"], r["from_grade"], r["to_year"], r["to_grade"])
           for r in rows}
    assert ("Norfolk Constabulary", "legitimacy", "overall", "2018", "good", "2019", "requires improvement") in got
    assert ("Norfolk Constabulary", "effectiveness", "overall", "2018", "requires improvement", "2019",
            "good") in got
    assert ("Essex Police", "effectiveness", "How effective is the force at tackling serious and organised crime?",
            "2016", "good", "2017", "good") in got  # carried over: unchanged
    assert ("Cheshire Constabulary", "effectiveness", "overall", "2015", "good", "2016",
            "requires improvement") in got
    assert not [r for r in got if r[1] != "peel" and r[0] == "Kent Police" and r[3] == "2016" and r[5] == "2022"]
