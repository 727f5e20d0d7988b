"""peelgraph.ask.catalogue: the canned queries, their headers, and each one's golden answer.

Golden answers are ``queries/NAME.srj`` (SPARQL 1.1 Query Results JSON) for each query run on
the shipped report with its header's ``# example:`` parameters. To refresh them after a
deliberate change, run ``PEELGRAPH_UPDATE_GOLDENS=1 pytest tests/test_catalogue.py`` and REVIEW
the diff (``git diff queries/``) before committing: a golden answer is a reviewed fact.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from peelgraph.ask.catalogue import catalogue, get_query, parse_header
from peelgraph.ask.run import run
from peelgraph.errors import QueryError
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


def test_unknown_query_name_suggests() -> None:
    with pytest.raises(QueryError, match="did you mean judgments"):
        get_query("judgements")




def test_a_query_file_and_inline_text_are_read_with_their_headers(tmp_path: Path) -> None:
    f = tmp_path / "mine.rq"
    f.write_text("# title: Mine\n# columns: n\nSELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", encoding="utf-8")
    q = get_query(str(f))
    assert (q.name, q.title, q.columns, q.path, q.canned) == ("mine", "Mine", ("n",), f, False)
    assert get_query(text="SELECT * {}") == parse_header("SELECT * {}", "inline")
    with pytest.raises(QueryError, match="no such query file"):
        get_query(str(tmp_path / "missing.rq"))
    assert all(q.canned for q in CATALOGUE)


def test_the_header_stops_at_the_query() -> None:
    q = parse_header("# title: T\nSELECT * WHERE { ?s ?p ?o }\n# columns: not, a, header\n")
    assert q.title == "T" and q.columns == ()
