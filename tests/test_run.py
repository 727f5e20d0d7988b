"""peelgraph.ask.run: a query with its parameters, columns in the header's order, plain values."""

from __future__ import annotations

from peelgraph.ask.run import run


def test_columns_follow_the_header_then_the_query(db) -> None:
    r = run(db, "# columns: b\nSELECT ?a ?b ?c WHERE { BIND(1 AS ?a) BIND(2 AS ?b) }")
    assert r.columns == ("b", "a", "c")
    assert r.rows == (("2", "1", None),)
    assert r.json["head"]["vars"] == ["b", "a", "c"]
    assert r.dicts() == [{"b": "2", "a": "1", "c": None}]


def test_an_ask_is_one_boolean(db) -> None:
    r = run(db, "ASK { ?r a pg:InspectionReport }")
    assert (r.columns, r.rows) == (("boolean",), ((True,),))


def test_a_headerless_query_binds_any_parameter_it_is_given(db) -> None:
    assert run(db, "SELECT ?v WHERE { BIND(?x AS ?v) }", {"x": "7"}).rows == (("7",),)
