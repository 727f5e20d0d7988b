"""peelgraph.ask.queries: the canned catalogue against golden answers, safe parameters, errors, formats.

Golden answers are ``queries/NAME.srj`` (SPARQL 1.1 Query Results JSON) for each query run on
the shipped report with its header's ``# example:`` parameters. To refresh them after a
deliberate change, run ``PEELGRAPH_UPDATE_GOLDENS=1 pytest tests/test_queries.py`` and REVIEW
the diff (``git diff queries/``) before committing: a golden answer is a reviewed fact.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from peelgraph.ask.queries import catalogue, get_query, parse_header, render, resolve_entity, run
from peelgraph.errors import QueryError, UnknownEntityError
from peelgraph.resources import queries_dir

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = catalogue()


def test_every_query_has_a_golden_answer_and_every_golden_answer_a_query() -> None:
    rq = {p.stem for p in queries_dir().glob("*.rq")}
    srj = {p.stem for p in queries_dir().glob("*.srj")}
    assert rq == srj, f"queries without golden answers: {sorted(rq - srj)}; goldens without queries: {sorted(srj - rq)}"


def test_required_catalogue_names_parameters_and_columns() -> None:
    want = {
        "judgments": ((), ("report", "question", "grade", "previous_grade")),
        "areas-for-improvement": ((), ("report", "question", "text")),
        "recommendations": ((), ("report", "text", "deadline")),
        "entities": ((), ("entity", "label", "type", "aliases")),
        "collaborations": ((), ("collaboration", "member", "evidence")),
        "partners-of": (("entity",), ("partner", "relation", "via", "evidence")),
        "dependents-of": (("entity",), ("dependent", "relation", "evidence")),
        "dependencies-of": (("entity",), ("dependency", "relation", "evidence")),
        "findings-about": (("entity",), ("finding", "kind", "question", "evidence")),
        "evidence": (("subject", "object"), ("relation", "quote", "section", "start", "end")),
    }
    got = {q.name: (tuple(p.name for p in q.parameters), q.columns) for q in CATALOGUE}
    for name, spec in want.items():
        assert got[name] == spec, name
    for q in CATALOGUE:
        assert q.title and q.description and q.columns, q.name


def _values(data: dict) -> list[list[str | None]]:
    cols = data["head"]["vars"]
    return [[b[c]["value"] if c in b else None for c in cols] for b in data["results"]["bindings"]]


@pytest.mark.parametrize("query", CATALOGUE, ids=[q.name for q in CATALOGUE])
def test_golden_answer(db, query) -> None:
    result = run(db, query, query.example)
    assert list(result.columns) == list(query.columns)
    golden = queries_dir() / f"{query.name}.srj"
    if os.environ.get("PEELGRAPH_UPDATE_GOLDENS"):
        golden.write_text(json.dumps(result.json, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                          encoding="utf-8")
    expected = json.loads(golden.read_text(encoding="utf-8"))
    assert expected["head"]["vars"] == list(query.columns)
    assert _values(result.json) == _values(expected)


def test_readme_catalogue_is_in_step_with_queries() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Query catalogue", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([a-z-]+)` \| ([^|]*) \| ([^|]*) \|", section, re.M)
    listed = {name: (tuple(p.strip() for p in params.replace("`", "").split(",") if p.strip()),
                     tuple(c.strip() for c in cols.replace("`", "").split(",") if c.strip()))
              for name, params, cols in rows}
    assert listed == {q.name: (tuple(p.name for p in q.parameters), q.columns) for q in CATALOGUE}


def test_judgments_answer(db) -> None:
    rows = run(db, get_query("judgments")).dicts()
    assert rows[0]["question"] == "overall" and rows[0]["grade"] == "good"
    assert rows[0]["previous_grade"] == "requires improvement"
    assert [r["grade"] for r in rows[1:]] == ["requires improvement", "good", "requires improvement", "good",
                                             "ungraded"]
    assert all(r["previous_grade"] is None for r in rows[1:])


def test_recommendations_deadlines_are_iso_dates(db) -> None:
    rows = run(db, get_query("recommendations")).dicts()
    assert [r["deadline"] for r in rows if r["deadline"]] == ["2017-05-01", "2017-06-01", "2016-06-30"]


def test_entity_parameter_any_label_or_acronym_any_case(db) -> None:
    a = resolve_entity(db, "MASH")
    assert resolve_entity(db, "mash") == a
    assert resolve_entity(db, "the multi-agency safeguarding hub") == a
    with pytest.raises(UnknownEntityError) as err:
        resolve_entity(db, "MSAH")
    assert "MASH" in err.value.suggestions


@pytest.mark.parametrize("evil", ['"} DROP ALL ; SELECT * {', "x' } ; DELETE WHERE { ?s ?p ?o }",
                                  '} SERVICE <http://example.org/sparql> { ?s ?p ?o', "\\\"\n}", "DROP GRAPH <x>"])
def test_parameters_are_inert(db, evil) -> None:
    q = parse_header("SELECT ?v WHERE { BIND(?p AS ?v) }", "inline")
    assert run(db, q, {"p": evil}).rows == ((evil,),)
    with pytest.raises(UnknownEntityError):
        run(db, get_query("partners-of"), {"entity": evil})
    judgments_before = run(db, get_query("judgments")).rows
    assert len(judgments_before) == 6  # the store is unchanged (and opened read-only anyway)


def test_parameter_errors(db) -> None:
    with pytest.raises(QueryError, match="missing parameter 'entity'"):
        run(db, get_query("partners-of"), {})
    with pytest.raises(QueryError, match="unexpected parameter 'x'"):
        run(db, get_query("judgments"), {"x": "1"})


def test_malformed_query_names_line_and_column(db) -> None:
    with pytest.raises(QueryError) as err:
        run(db, "SELECT ?x WHERE {\n  ?x ?y\n}")
    assert err.value.line == 3 and err.value.column
    assert "malformed query" in str(err.value)


def test_time_limit(db) -> None:
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    with pytest.raises(QueryError, match="time limit"):
        run(db, slow, timeout=0.2)


def test_unknown_query_name_suggests() -> None:
    with pytest.raises(QueryError, match="did you mean judgments"):
        get_query("judgements")


def test_json_is_sparql_results_json(db) -> None:
    data = json.loads(render(run(db, get_query("judgments")), "json"))
    assert data["head"]["vars"] == ["report", "question", "grade", "previous_grade"]
    b = data["results"]["bindings"][0]
    assert b["grade"] == {"type": "literal", "value": "good"}
    assert "previous_grade" not in data["results"]["bindings"][1]  # unbound stays absent


def test_csv_tsv_md_table(db) -> None:
    r = run(db, get_query("recommendations"))
    rows = list(csv.reader(io.StringIO(render(r, "csv"))))
    assert rows[0] == ["report", "text", "deadline"] and len(rows) == 6
    assert render(r, "tsv").splitlines()[0] == "report\ttext\tdeadline"
    assert render(r, "md").startswith("| report | text | deadline |")
    assert render(r, "table").rstrip().endswith("(5 rows)")


def _cli(*args: str, store: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "peelgraph", *args], capture_output=True, text=True, cwd=ROOT,
                          env=dict(os.environ, PEELGRAPH_STORE=str(store)))


def test_cli_query_errors_exit_3_with_one_line(built_store, tmp_path) -> None:
    for args in (["query", "nope"], ["query", "-e", "SELECT ?x WHERE { ?x }"], ["query", "partners-of"],
                 ["query", "partners-of", "-p", "entity=zzzz"], ["query", str(tmp_path / "missing.rq")]):
        res = _cli(*args, store=built_store)
        assert res.returncode == 3, args
        assert res.stderr.startswith("Error: ") and len(res.stderr.strip().splitlines()) == 1, res.stderr
    res = _cli("query", "judgments", "-p", "novalue", store=built_store)
    assert res.returncode == 2


def test_cli_query_from_file_and_inline(built_store, tmp_path) -> None:
    f = tmp_path / "mine.rq"
    f.write_text("SELECT ?grade WHERE { ?j pg:isOverall true ; pg:report ?r ; pg:grade/skos:prefLabel ?grade }",
                 encoding="utf-8")
    res = _cli("query", str(f), "--format", "csv", store=built_store)
    assert res.returncode == 0 and res.stdout.splitlines() == ["grade", "good"]
    res = _cli("query", "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?q a pg:CoreQuestion }", "--format", "tsv",
               store=built_store)
    assert res.stdout.splitlines() == ["n", "5"]
    res = _cli("queries", store=built_store)
    assert "partners-of" in res.stdout and "-p entity=..." in res.stdout
