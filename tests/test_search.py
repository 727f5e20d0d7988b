"""peelgraph.ask.search and ``peelgraph search``: the report text found by phrase and by entity."""

from __future__ import annotations

import csv
import io
import re

import pytest
from test_cli import assert_clean_error, run

from peelgraph.ask.search import search_text
from peelgraph.errors import QueryError, UnknownEntityError


def test_a_phrase_is_found_across_line_breaks_and_in_any_case(db, report_text) -> None:
    got = search_text(db, "Missing   PERSONS co-ordinators").dicts()
    assert len(got) == 1 and "four missing persons co-ordinators" in got[0]["text"]
    assert got[0]["kind"] == "sentence" and int(got[0]["page"]) > 0
    a, b = int(got[0]["start"]), int(got[0]["end"])
    assert "missing persons" in " ".join(report_text[a:b].split()).lower()


def test_every_occurrence_of_a_phrase_is_found(db, report_text) -> None:
    """Each occurrence of 'kiosk' in the file lies in a unit the search returns."""
    got = search_text(db, "kiosk").dicts()
    spans = [(int(r["start"]), int(r["end"])) for r in got]
    where = [m.start() for m in re.finditer("kiosk", report_text, re.I)]
    assert where, "the shipped report mentions kiosks"
    assert all(any(a <= w < b for a, b in spans) for w in where)
    assert all("kiosk" in r["text"].lower() for r in got)


def test_entity_and_phrase_narrow_each_other(db) -> None:
    named = search_text(db, entity="MASH").dicts()
    both = search_text(db, "referrals", entity="MASH").dicts()
    phrase = search_text(db, "referrals").dicts()
    assert both and len(both) < len(named) and len(both) < len(phrase)
    assert {(r["start"], r["end"]) for r in both} == {(r["start"], r["end"]) for r in named} & {
        (r["start"], r["end"]) for r in phrase}


def test_nothing_to_search_for_and_unknown_entities_are_errors(db) -> None:
    with pytest.raises(QueryError):
        search_text(db, "  ")
    with pytest.raises(UnknownEntityError):
        search_text(db, "x", entity="no such body anywhere")


def test_the_command_prints_rows_and_fails_cleanly(built_store) -> None:
    res = run("search", "harm assessment unit", "--format", "csv", store=built_store)
    assert res.returncode == 0, res.stderr
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert rows and all("harm assessment unit" in r["text"].lower() for r in rows)
    assert_clean_error(run("search", "x", "--entity", "NOPE-NOT-A-BODY", store=built_store), 3, "unknown entity")
    res = run("search", store=built_store)
    assert res.returncode == 2 and "Traceback" not in res.stderr
