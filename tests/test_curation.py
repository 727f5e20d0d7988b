"""Curation: verbatim quotes checked, merges, drops, added facts flagged as curated."""

from __future__ import annotations

from dataclasses import replace

import pytest

from peelgraph.errors import CurationError
from peelgraph.extract import curation
from peelgraph.extract.templates import load
from peelgraph.graph.build import extract
from peelgraph.resources import curation_file


def test_find_quote() -> None:
    assert curation.find_quote("abc abc", "abc", "f", occurrence=2) == 4
    with pytest.raises(CurationError, match="not in the report"):
        curation.find_quote("abc", "xyz", "f.toml")
    with pytest.raises(CurationError, match="2 times"):
        curation.find_quote("abc abc", "abc", "f.toml")


def test_shipped_curation_file_is_small_and_quotes_exist(report_path, report_text: str) -> None:
    data = curation.load(curation_file(report_path))
    entries = sum(len(data.get(k, [])) for k in ("merge", "entity", "relation", "drop"))
    # the report's own entries, and 15 entities the shared vocabulary gave up because no source
    # outside this report names them and the rules do not find them in the text
    # (ontology/concepts.ttl: every concept is sourced)
    assert 0 < entries <= 30
    for e in data.get("entity", []):
        assert report_text.count(e["quote"]) == 1 and e["why"]
    for r in data.get("relation", []):
        assert report_text.count(r["quote"]) == 1
        assert r["why"]


def test_curated_facts_are_flagged(extraction, rules_extraction) -> None:
    curated = [r for r in extraction.relations if r.curated]
    assert curated and all(r.evidence.rule == "curation" for r in curated)
    assert not any(r.curated for r in rules_extraction.relations)
    assert "community-resolution" not in {e.key for e in extraction.entities}


def _doc_and_ex(report_path):
    doc = load(report_path)
    ex = extract(report_path, curate=False)
    return replace(doc, report=ex.report.id), ex


def test_missing_quote_raises_with_file_and_quote(report_path) -> None:
    doc, ex = _doc_and_ex(report_path)
    data = {"relation": [{"subject": "mash", "type": "part-of", "object": "iom",
                          "quote": "this sentence is not there", "why": "test"}]}
    with pytest.raises(CurationError) as err:
        curation.apply_data(ex, doc, data, "x.toml")
    assert "x.toml" in str(err.value) and "this sentence is not there" in str(err.value)


def test_merge_and_drop(report_path) -> None:
    doc, ex = _doc_and_ex(report_path)
    # IOM is a vocabulary concept the rules find (the harm assessment unit, used here before,
    # is now an entry of the curation file, which this extraction does not apply)
    iom = next(e for e in ex.entities if e.key == "iom")
    data = {"merge": [{"into": "mash", "from": "iom", "why": "test"}],
            "drop": [{"subject": "gain", "type": "accessed-through", "object": "rocu", "why": "test"}]}
    out = curation.apply_data(ex, doc, data, "x.toml")
    keys = {e.key for e in out.entities}
    assert "iom" not in keys
    mash = next(e for e in out.entities if e.key == "mash")
    assert iom.label in mash.aliases and any("curation" in n for n in mash.notes)
    assert not any(r.subject == "gain" and r.object == "rocu" for r in out.relations)
    assert not any("iom" in (r.subject, r.object) for r in out.relations)


def test_unknown_type_or_entity_raises(report_path) -> None:
    doc, ex = _doc_and_ex(report_path)
    for bad in ({"subject": "mash", "type": "likes", "object": "iom", "quote": "MASH", "why": "t"},
                {"subject": "nope", "type": "part-of", "object": "iom", "quote": "MASH", "why": "t"}):
        with pytest.raises(CurationError):
            curation.apply_data(ex, doc, {"relation": [bad]}, "x.toml")
