"""peelgraph.ask.stats: counts by class, facts from rules and from curation; each report summed up."""

from __future__ import annotations

from peelgraph.ask.stats import stats, summary


def test_stats_of_the_shipped_report(db) -> None:
    s = stats(db)
    assert s["reports"] == 1
    assert s["classes"]["pg:Judgement"] == 7 and s["classes"]["pg:Recommendation"] == 5
    f = s["facts"]
    assert f["total"] == f["from_rules"] + f["from_curation"] and f["from_curation"] > 0
    assert s["quads"] > sum(s["classes"].values())


def test_summary_of_the_shipped_report(db) -> None:
    (s,) = summary(db)
    assert (s.force, s.year, s.pillar) == ("Warwickshire Police", 2016, "effectiveness")
    assert s.judgements[0] == ("overall", "good", "requires improvement")
    assert len(s.areas_for_improvement) == 5
    assert [deadline for _, deadline, _, _ in s.recommendations] == [
        "2017-05-01", "2017-06-01", None, None, "2016-06-30"]
