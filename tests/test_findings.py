"""Findings: template findings kept, judging sentences as strengths and weaknesses."""

from __future__ import annotations

from pathlib import Path

import pytest

from peelgraph.extract import findings
from peelgraph.graph.build import extract

OTHER = Path(__file__).parent / "data" / "other"


@pytest.mark.parametrize("sentence, kind", [
    ("The force has a good understanding of the threats its communities face.", "strength"),
    ("Supervision of investigations is not always effective.", "weakness"),
    ("The force works well with partners, but it needs to improve how it records outcomes.", "weakness"),
    ("Although some files lacked detail, the force’s response to victims is effective and thorough.",
     "strength"),
    ("The force has 800 officers and 300 staff.", None),
    ("How effective is the force at protecting vulnerable people?", None),
    ("We expect forces to have good arrangements in place.", None),
], ids=["good", "not-always", "but-needs", "although", "neutral", "question", "expectation"])
def test_judge(sentence: str, kind: str | None) -> None:
    assert findings.judge(sentence) == kind


def test_shipped_findings(rules_extraction, report_text: str) -> None:
    fs = rules_extraction.findings
    kinds = {f.kind for f in fs}
    assert {"strength", "weakness", "area-for-improvement", "recommendation"} <= kinds
    assert sum(f.kind == "area-for-improvement" for f in fs) == 5
    keys = {e.key for e in rules_extraction.entities}
    for f in fs:
        assert f.question is not None and 0 <= f.question <= 5
        assert report_text[f.evidence.start:f.evidence.end] == f.evidence.quote
        assert set(f.entities) <= keys
    spans = sorted((f.evidence.start, f.evidence.end) for f in fs)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False)), "findings overlap"
    mash = [f for f in fs if "mash" in f.entities]
    assert mash and any(f.kind == "strength" for f in mash)


@pytest.mark.parametrize("name", ["cumbria-effectiveness-2017.txt", "dyfed-powys-effectiveness-2015.txt",
                                  "kent-peel-2022.txt", "northumbria-web-summary-2016.txt"])
def test_other_texts(name: str) -> None:
    ex = extract(OTHER / name, curate=False)
    assert ex.findings
    for f in ex.findings:
        assert "Warwickshire" not in f.text
