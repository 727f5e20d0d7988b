"""peelgraph.ask.render: a result as a table, CSV, TSV, Markdown or SPARQL 1.1 Query Results JSON."""

from __future__ import annotations

import csv
import io
import json

import pytest

from peelgraph.ask.catalogue import get_query
from peelgraph.ask.render import FORMATS, render
from peelgraph.ask.run import Result, run
from peelgraph.errors import QueryError


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




def test_cells_with_separators_stay_in_their_cells() -> None:
    r = Result(("a", "b"), (("x\ty|z", "line\nbreak"), (None, "2")), {})
    assert render(r, "tsv").splitlines() == ["a\tb", "x y|z\tline break", "\t2"]
    assert render(r, "md").splitlines()[2] == "| x\ty\\|z | line break |"
    assert list(csv.reader(io.StringIO(render(r, "csv"))))[1] == ["x\ty|z", "line\nbreak"]
    with pytest.raises(QueryError, match="unknown format 'xml'"):
        render(r, "xml")
    assert FORMATS == ("table", "csv", "tsv", "json", "md")
