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


# Sentences written for these tests (not from any report), one or more per rule of judge().
@pytest.mark.parametrize("sentence, kind", [
    # a judging noun names a strength or a weakness, whatever else the sentence holds
    ("Work with young offenders is one of the constabulary’s clear strengths, and staff told us they "
     "should all share in it.", "strength"),
    ("Its handling of missing children remains a weakness of the constabulary.", "weakness"),
    # negation turns a judging word round, and judges badly on its own
    ("The custody suite is not well run.", "weakness"),
    ("The constabulary no longer has a backlog of digital devices awaiting examination.", "strength"),
    ("Call handlers reported no delays in reaching a supervisor.", "strength"),
    ("The constabulary fails to record the outcome of many stop and search encounters.", "weakness"),
    ("There is a lack of effective oversight of the sex offender register.", "weakness"),
    ("Neighbourhood officers have not received training in victim care.", "weakness"),
    ("The plan ensures that the service to rural communities is not compromised.", "strength"),
    # contrast: the clause after it decides
    ("The control room answers calls quickly; however, its risk assessments are poor.", "weakness"),
    ("However, the constabulary now shares information about stalking cases promptly.", "strength"),
    ("Staff turnover is high, but supervisors manage caseloads effectively.", "strength"),
    ("Although the hub has a clear purpose, its referrals are handled inconsistently.", "weakness"),
    ("Despite a rise in demand, response times remain good.", "strength"),
    ("The unit has improved its intelligence picture, although it still needs to share it with partners.",
     "weakness"),
    ("The constabulary does not yet have a register of effective interventions.", "weakness"),
    ("Since the restructure, its response to hate crime has been less effective.", "weakness"),
    ("The county has been judged as requiring improvement in how it protects children.", "weakness"),
    # hedging: praise under could, would or might is praise not yet earned
    ("The evaluation of neighbourhood projects could be improved.", "weakness"),
    ("Duty inspectors could explain clearly how they grade risk.", "strength"),  # past ability, not a hedge
    ("Its crime prevention plans would benefit from clearer objectives.", "weakness"),
    ("The new rota should help officers spend more time on patrol and lead to better outcomes.", "strength"),
    # a remedy turns a problem into a judgement of progress
    ("Since last year the constabulary has reduced its backlog of forensic submissions.", "strength"),
    ("The force addressed the concerns raised by the independent advisory group.", "strength"),
    # a directive asks for what is not yet so; one in a subordinate clause or the passive describes
    ("The constabulary must make sure that every victim receives a timely and effective update.", "weakness"),
    ("Officers follow a checklist which explains when a warning notice should be issued to a suspect.", None),
    ("Offenders are reviewed monthly and the panel decides whether their scores should be changed.", None),
    # words that name a topic or a sense that does not judge
    ("The attack was committed by two armed men who travelled between several towns.", None),
    ("The team supports people with poor mental health who come into contact with the police.", None),
    ("Positive outcomes are recorded when a suspect is charged or cautioned.", None),
    ("Staff use problem-solving plans in every ward.", None),
    ("Analysts have written a problem profile of rural theft.", None),
    ("Volunteers, as well as officers, staff the front counter.", None),
    # description: the inspection, general expectations, definitions, national background, statistics
    ("As part of this inspection, we examined how the constabulary protects people at risk of stalking.", None),
    ("We examined how the constabulary supervises investigations and found that it does so well.", "strength"),
    ("It is essential that forces understand the harm caused by fraud.", None),
    ("To be effective, a safeguarding referral must be made promptly.", None),
    ("A community profile gives a clear picture of the people who live in an area.", None),
    ("Nationally, police forces have seen demand for mental health support rise sharply.", None),
    ("Only 38 percent of residents said they felt safe walking alone at night.", None),
    ("In 2018, we examined how effectively the constabulary responded to hate crime.", None),
], ids=lambda v: v if v is None or len(v) < 12 else v[:40])
def test_judge_in_other_wording(sentence: str, kind: str | None) -> None:
    assert findings.judge(sentence) == kind


def test_judge_ignores_spacing_and_case() -> None:
    s = "The constabulary\nNO LONGER has a backlog   of cases awaiting review."
    assert findings.judge(s) == "strength"


def test_shipped_findings(rules_extraction, report_text: str) -> None:
    fs = rules_extraction.findings
    kinds = {f.kind for f in fs}
    assert {"strength", "weakness", "area-for-improvement", "recommendation"} <= kinds
    assert sum(f.kind == "area-for-improvement" for f in fs) == 5
    keys = {e.key for e in rules_extraction.entities}
    for f in fs:
        assert f.question is not None and 0 <= f.question <= 5
        assert f.evidence.reslice(report_text) == f.evidence.quote
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
