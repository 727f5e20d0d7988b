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


# Sentences written for these tests, each pair one rule both ways: a judgement it keeps and a
# sentence it leaves neutral (or turns round).
@pytest.mark.parametrize("sentence, kind", [
    # general evaluative words (sufficient, enough, suitable, careful, informative, greater, regularly,
    # co-ordinated, works hard, conforms to / complies with, has strengthened, takes steps to, understand)
    ("Each team has enough detectives to manage its caseload.", "strength"),
    ("The constabulary has studied carefully how its new rota affects response times.", "strength"),
    ("Firearms training in the constabulary conforms to the national curriculum.", "strength"),
    ("Since last year the constabulary has strengthened its links with local schools.", "strength"),
    ("Detectives in the county understand the risks that stalking poses.", "strength"),
    ("Residents can have confidence that the constabulary responds quickly to burglaries.", "strength"),
    ("Officers need to understand the risks that stalking poses.", None),  # an expectation, not a grasp
    # 'problems' alone names what policing tackles; 'there are problems' judges
    ("Officers use a structured model to solve local problems.", None),
    ("There were problems in recording the outcomes of stop and search.", "weakness"),
    ("The partnership's referral figures cannot be relied upon.", "weakness"),
    # purpose, embedded questions and evaluated topics are not judgements
    ("Call handlers use a script designed to ensure that risk is assessed thoroughly.", None),
    ("Call handlers assess risk thoroughly, using a short script.", "strength"),
    ("The press office decides how to publicise arrests effectively.", None),
    ("The constabulary does not evaluate the success of its crime prevention campaigns.", "weakness"),
    ("This helps to ensure that every victim is contacted promptly.", "strength"),  # helps: an effect
    # the force's own account is its claim; the inspectors' finding judges
    ("The constabulary told us that it had cleared its backlog of digital devices.", None),
    ("We found that the constabulary had cleared its backlog of digital devices.", "strength"),
    # a quoted name is not the inspectorate's wording
    ("Its use of the outcome 'no further action: not in the public interest' was above the national rate.", None),
    # an earlier judgement recalled after ', when we ...' is the baseline
    ("This is an improvement since 2019, when we found its supervision of investigations to be poor.", "strength"),
    ("Supervision of investigations is poor, and we found no improvement since 2019.", "weakness"),
    # an instruction judges the force only when the force (or a part of it) is told
    ("The review panel should meet every month to consider each case.", None),
    ("Any comparison of these rates should take into account the size of each county.", None),
    ("The constabulary should review every open case within a month.", "weakness"),
    ("The hub should record why each referral is closed.", "weakness"),
    # why something matters, and commentary on charts, are not judgements
    ("It is also important to note that not every crime will have an outcome yet.", None),
    ("A prompt first response is vital, because evidence is easily lost.", None),
    ("Two counties are not shown in figure 3 because their data are not comparable.", None),
    ("Two counties are not shown in the chart, and the constabulary's data are of poor quality.", "weakness"),
    # a concession with no judging word after it keeps its own sense
    ("Although few of its analysts are trained, the constabulary considers them experienced enough.", "weakness"),
    ("It has not yet given officers tablets, but is looking at how it could introduce them.", "weakness"),
    ("Although its analysts are well trained, the constabulary has too few of them.", "weakness"),
    # 'without' turns a judging word round but does not blame alone; 'not only' is no negation
    ("Some cases are concluded without a prosecution.", None),
    ("Referrals are passed to the hub without delay.", "strength"),
    ("The plans cover the risk not only to victims but also to their children.", None),
    ("The plans cover only the risk to victims.", "weakness"),
    # 'dedicated' praises as a predicate, names a specialised unit before a noun; 'has established' reports
    ("A dedicated unit handles all calls about missing people.", None),
    ("Staff in the missing persons unit are highly dedicated.", "strength"),
    ("The constabulary has established a hate crime unit with the county council.", None),
    ("The hate crime unit uses an established approach.", "strength"),
    # a verb of prompting is not promptness
    ("The review may prompt a further visit to the constabulary.", None),
    ("Call handlers give prompt advice to victims of fraud.", "strength"),
    # a reason for the sentence before, the report itself, a survey's respondents: not judgements
    ("This is because the old system did not record repeat calls.", None),
    ("These matters are set out in this report as areas for improvement.", None),
    ("Due to the sample size, we have not used the survey as the only evidence.", None),
    ("Forty percent of the people surveyed thought that the constabulary was effective at tackling burglary.",
     None),
    ("We found that the constabulary was effective at tackling burglary.", "strength"),
    # 'should help to' instructs the force; 'should help' from something else expects
    ("The constabulary should help to write the regional plan as soon as it can.", "weakness"),
    ("The new rota should help officers spend more time on patrol.", None),
    # praise before a turning 'but' with nothing judged after it is turned; after 'although' it stands
    ("The meetings were brisk and well run, but they dealt almost entirely with the next day's calls.", "weakness"),
    ("The new rota works well, although some sergeants were unaware of it.", "strength"),
    # a place name is not a comparison; becoming less is a decline
    ("Officers from Greater Manchester Police and the constabulary staff the unit.", None),
    ("The constabulary now gives a greater share of its budget to neighbourhood teams.", "strength"),
    ("Its knowledge of rural communities has become less current.", "weakness"),
    # what the inspectors did not do is not a finding
    ("We did not inspect this question in 2021.", None),
], ids=lambda v: v if v is None or len(v) < 12 else v[:40])
def test_judge_detectors(sentence: str, kind: str | None) -> None:
    assert findings.judge(sentence) == kind


@pytest.mark.parametrize("sentence, generic", [
    ("Last year, we judged the constabulary to be good at treating people fairly.", True),
    ("In our 2019 inspection, we found that its call handling was poor.", True),
    ("Since our 2019 inspection, the constabulary has improved its call handling.", False),
    ("This is an improvement on our 2019 findings.", False),
    ("In co-operation with councils, forces must also manage the risk from violent offenders.", True),
    ("Police forces that work well with schools prevent more crime.", True),
    ("HMIC has found that in some forces, officers are moved to cover shortages.", True),
    ("We found that officers and staff in the constabulary, like police forces elsewhere, work well with schools.",
     False),
    ("This would help the constabulary to plan its workforce.", True),
], ids=lambda v: v if isinstance(v, bool) else v[:40])
def test_generic_sentences(sentence: str, generic: bool) -> None:
    from peelgraph.extract.rules.findings import FindingContext

    ctx = FindingContext(None, None, None, (), (), None)  # type: ignore[arg-type]
    assert ctx.generic(sentence) is generic


@pytest.mark.parametrize("sentence, previous, kind", [
    ("However, the two control rooms run different systems.", "strength", "weakness"),
    ("However, the two control rooms run different systems.", None, "weakness"),
    ("But the two control rooms now run the same system.", "weakness", "strength"),
    ("However, if the risk is high, officers call the duty social worker.", "strength", None),
    ("The two control rooms run different systems.", "strength", None),
    ("However, the two control rooms run different systems well.", "weakness", "strength"),
], ids=["after-praise", "after-description", "after-blame", "condition", "no-turn", "own-word"])
def test_judge_turning_from_the_sentence_before(sentence: str, previous: str | None, kind: str | None) -> None:
    assert findings.judge(sentence, previous) == kind


# A short report written for this test (no report's wording): a section opening on forces in
# general, a general subject, an earlier inspection reported and one answered, and the end matter.
_THORNBURY = """Thornbury Constabulary
PEEL: Police effectiveness 2019

Overview – How effective is the force at keeping people safe and reducing crime?
Overall judgment
Good
Thornbury Constabulary is judged to be good at keeping people safe and reducing crime.

How effective is the force at preventing crime, tackling anti-social behaviour and keeping people safe?
Good

How well does the force work with its communities?
Preventing crime is more effective than detecting it, and a visible presence reassures the public. \
Community policing is clearly valuable when it is done well.
The constabulary holds meetings with residents in every ward. Its neighbourhood officers and staff have \
a good knowledge of their areas.
In some forces, neighbourhood officers are not given enough time for patrol.

How effective is the force at investigating crime and reducing re-offending?
Good

How well does the force investigate?
Thornbury Constabulary carries out thorough investigations. In our 2017 inspection, we found that \
supervision of investigations was poor. The constabulary has responded well to our 2017 recommendations \
on supervision.

Next steps
HMIC will continue to work closely with the constabulary, which has been effective in sharing good practice.
"""


def test_judging_sentences_in_scope(tmp_path: Path) -> None:
    path = tmp_path / "thornbury-effectiveness-2019.txt"
    path.write_text(_THORNBURY, encoding="utf-8")
    got = [(f.kind, f.question, f.text) for f in extract(path, curate=False).findings]
    for s in ("Preventing crime is more effective", "Community policing is clearly valuable",  # the opening
              "In some forces", "In our 2017 inspection", "HMIC will continue"):
        assert not any(t.startswith(s) for _k, _q, t in got), s
    assert ("strength", 1, "Its neighbourhood officers and staff have a good knowledge of their areas.") in got
    assert ("strength", 2, "Thornbury Constabulary carries out thorough investigations.") in got
    assert ("strength", 2, "The constabulary has responded well to our 2017 recommendations on supervision.") in got
    # the sentences skipped by scope would judge on their own
    for s in ("Preventing crime is more effective than detecting it, and a visible presence reassures the public.",
              "In some forces, neighbourhood officers are not given enough time for patrol.",
              "In our 2017 inspection, we found that supervision of investigations was poor.",
              "HMIC will continue to work closely with the constabulary, which has been effective in sharing good "
              "practice."):
        assert findings.judge(s) is not None, s


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
        assert f.evidence.reslice(report_text) == f.evidence.quote  # every part
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
