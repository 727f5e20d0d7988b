"""The resolver: leftmost-longest overlaps, lower-case phrases, broader concepts, and the
reasons it logs for what it drops."""

from __future__ import annotations

import logging

import pytest

from peelgraph.extract import entities
from peelgraph.extract.lexicon import Lexicon
from peelgraph.extract.readtext import Mention
from peelgraph.extract.resolve import leftmost_longest, merge_broader, settle_phrases
from peelgraph.extract.rules.entities import Candidate
from peelgraph.extract.structure import parse
from peelgraph.extract.templates import load
from peelgraph.extract.vocabulary import concepts


def test_leftmost_longest_and_ties() -> None:
    cands = [Candidate(10, 20, "b", "entities.name"), Candidate(0, 8, "a", "entities.gazetteer"),
             Candidate(10, 20, "c", "entities.noun-phrase"), Candidate(12, 30, "d", "entities.gazetteer"),
             Candidate(20, 25, "e", "entities.gazetteer")]
    kept, drops = leftmost_longest(cands)
    assert [c.key for c in kept] == ["a", "b", "e"]  # on a tie, the candidate listed first (the earlier rule)
    assert {(d.dropped.key, d.kept.key if d.kept else None) for d in drops} == {("c", "b"), ("d", "b")}
    reasons = {d.dropped.key: d.reason for d in drops}
    assert "earlier rule (entities.name)" in reasons["c"] and "starts earlier" in reasons["d"]


def test_phrases_kept_when_they_recur_or_name_a_body() -> None:
    lex = Lexicon(())
    once = Candidate(0, 20, "", "entities.noun-phrase", phrase="community forums")
    twice = [Candidate(30, 45, "", "entities.noun-phrase", phrase="case conference"),
             Candidate(60, 76, "", "entities.noun-phrase", phrase="case conferences")]
    hub = Candidate(80, 100, "", "entities.noun-phrase", phrase="harm reduction hub")
    mentions, drops = settle_phrases([once, *twice, hub], lex)
    assert [m.key for m in mentions] == ["case-conference", "case-conference", "harm-reduction-hub"]
    assert [d.dropped for d in drops] == [once] and drops[0].kept is None
    assert lex.drafts["case-conference"].kind == "collaboration"


def test_broader_local_concept_joins_the_narrower() -> None:
    voc = {c.key: c for c in concepts()}
    assert voc["snt"].broader == "npt" and voc["npt"].scope == "local"
    lex = Lexicon(concepts())
    lex.ensure_concept(voc["npt"])
    merged = merge_broader([Mention(0, 5, "snt"), Mention(10, 15, "npt"), Mention(20, 25, "mash")], lex)
    assert [m.key for m in merged] == ["snt", "snt", "mash"]
    assert any("broader" in n for n in lex.drafts["snt"].notes)
    assert lex.known(voc["npt"].pref) == "snt"


def test_drops_are_logged_at_debug_never_printed(report_path, caplog: pytest.LogCaptureFixture,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    doc = load(report_path)
    with caplog.at_level(logging.DEBUG, logger="peelgraph.extract.resolve"):
        ents = entities.extract(doc, parse(doc))
    assert ents.dropped
    for d in ents.dropped:
        if d.kept is not None:
            assert d.kept.nstart < d.dropped.nend and d.dropped.nstart < d.kept.nend
    logged = [r for r in caplog.records if r.name == "peelgraph.extract.resolve"]
    assert len([r for r in logged if r.getMessage().startswith("dropped")]) == len(ents.dropped)
    assert all(r.levelno == logging.DEBUG for r in logged)
    assert capsys.readouterr() == ("", "")
