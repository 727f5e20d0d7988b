"""peelgraph.ask.binding: parameters bound as RDF terms (never pasted), entity names resolved to IRIs."""

from __future__ import annotations

import re

import pytest

from peelgraph.ask.binding import (
    EntityNames,
    bind,
    entity_labels,
    literal_term,
    match_entities,
    resolve_entity,
    suggest,
    with_values,
)
from peelgraph.ask.catalogue import get_query, parse_header
from peelgraph.ask.run import run
from peelgraph.errors import QueryError, UnknownEntityError


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




def test_the_fast_label_lookup_and_the_table_agree(db) -> None:
    """resolve_entity looks a name written as a label up in the index first; the table's rules give the same."""
    table = entity_labels(db)
    for name in ("MASH", "IOM", "THRIVE", "Warwickshire Police", "harm assessment unit",
                 "integrated offender management"):
        assert resolve_entity(db, name) == resolve_entity(db, name, entities=table) == match_entities(name, table), name


def test_the_entity_table_holds_kinds_aliases_and_how_the_report_refers_to_each(db) -> None:
    table = entity_labels(db)
    mash = table[resolve_entity(db, "MASH")[0]]
    assert mash.label == "multi-agency safeguarding hub" and mash.kind == "collaboration"
    assert "MASH" in mash.aliases and sum(mash.mentions.values()) > 1
    assert all(e.kind != "entity" for e in table.values())  # every entity has a kind from the vocabulary
    report = "https://w3id.org/peelgraph/id/report/warwickshire-police-effectiveness-2016"
    assert entity_labels(db, report) == table  # one report: the same entities


def test_among_restricts_the_candidates(db) -> None:
    mash = resolve_entity(db, "MASH")
    with pytest.raises(UnknownEntityError):
        resolve_entity(db, "MASH", among=set())
    assert resolve_entity(db, "MASH", among=set(mash)) == mash


def test_match_entities_rules_in_order() -> None:
    table = {
        "http://e/a": EntityNames("Alpha Unit", "unit", ("AU",), {"unit": 3}),  # mentions: normalised quote -> count
        "http://e/b": EntityNames("Beta Unit", "unit", ("au",), {"unit": 1}),
    }
    assert match_entities("alpha unit", table) == ["http://e/a"]  # preferred label, any case
    assert match_entities("AU", table) == ["http://e/a", "http://e/b"]  # an alias two entities share
    assert match_entities("the Alpha Units", table) == ["http://e/a"]  # normalised
    assert match_entities("The unit", table) == ["http://e/a"]  # how the reports refer to it, most often
    assert match_entities("beta", table) == []  # a label that starts so is no match
    assert match_entities("http://e/b", table) == ["http://e/b"]
    assert suggest("Alpha Unti", table) == ["Alpha Unit"]


def test_values_are_bound_as_terms_never_pasted(db) -> None:
    q = get_query("partners-of")
    text = bind(db, q, {"entity": "MASH"})
    assert "VALUES (?entity) { (<https://w3id.org/peelgraph/id/" in text
    assert literal_term("a\\b\n") == '"a\\\\b\\n"'
    headerless = parse_header("SELECT ?x WHERE { BIND(?x AS ?y) }")
    assert with_values(headerless, {"x": [("literal", "1"), ("iri", "http://e/a")]}).startswith(
        'SELECT ?x WHERE { VALUES (?x) { ("1") (<http://e/a>) }')
    with pytest.raises(QueryError, match="no WHERE group"):
        with_values(parse_header("ASK"), {"x": [("literal", "1")]})
    with pytest.raises(QueryError, match="bad parameter name"):
        bind(db, headerless, {"x y": "1"})


def test_values_go_at_each_anchor_and_one_block_per_parameter(db) -> None:
    q = parse_header('SELECT ?v WHERE {\n  { #@values\n    BIND(?a AS ?v) }\n  UNION { BIND("#@values" AS ?v) }\n'
                     '  UNION { BIND(<http://e/#@values> AS ?v) } # not an anchor: #@values\n}')
    text = with_values(q, {"a": [("literal", "1"), ("literal", "2")], "b": [("iri", "http://e/b")]})
    assert text.count('VALUES (?a) { ("1") ("2") } VALUES (?b) { (<http://e/b>) }') == 1  # at the anchor only
    assert text.startswith("SELECT ?v WHERE {\n  { VALUES (?a)")
    assert '"#@values"' in text and "<http://e/#@values>" in text and "# not an anchor: #@values" in text
    assert sorted(r[0] for r in run(db, q, {"a": "x"}).rows if r[0] != "#@values" and not r[0].startswith("http")) \
        == ["x"]
    # the canned queries that use anchors answer as the golden answers say (tests/test_catalogue.py); here
    # each of their anchors is filled, none is left as a comment
    for name in ("partners-of", "forces-with", "evidence"):
        cq = get_query(name)
        bound = bind(db, cq, cq.example)
        anchor = re.compile(r"#@values[ \t]*$", re.M)
        assert anchor.search(cq.text) and not anchor.search(bound)
