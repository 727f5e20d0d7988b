"""Evaluation against the gold: measured figures held as floors, and the issue's targets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from peelgraph.ask.evaluate import Score, evaluate, format_rule_table, format_table, to_json
from peelgraph.resources import gold_file


@pytest.fixture(scope="module")
def result(report_path):
    return evaluate(report_path, gold_file(report_path))


_TARGETS = {  # issue 12's targets, strict scoring (rules alone, honest vocabulary)
    "entities": lambda r: r.strict.entities.precision >= 0.90 and r.strict.entities.recall >= 0.90,
    "relations": lambda r: r.strict.relations.precision >= 0.90 and r.strict.relations.recall >= 0.85,
    "findings": lambda r: r.strict.findings.f1 >= 0.80,
    "polarity": lambda r: r.strict.polarity_accuracy >= 0.90,
    "question": lambda r: r.question_accuracy >= 0.90,
}
@pytest.mark.parametrize("target", [
    "entities",
    "relations",
    "findings",
    "polarity",
    "question",
])
def test_targets(result, target: str) -> None:
    assert _TARGETS[target](result)


def _same_family_pairs(report_path: Path) -> int:
    """Gold relations beyond the first of one family between the same two ends."""
    from peelgraph.vocab import RELATION_TYPES

    gold = json.loads(gold_file(report_path).read_text(encoding="utf-8"))
    keys = [(r["subject"], RELATION_TYPES[r["type"]].family, r["object"]) for r in gold["relations"]]
    return len(keys) - len(set(keys))


def test_measured_floors(result, report_path) -> None:
    # measured, strict (issue 12: every concept sourced, report phrases moved to curation; gold of
    # 23 relation types, by reading): entities P 0.881 R 0.718 (0.931 / 0.904 with the general
    # entity rules); relations P 0.975 R 0.765 with them (0.968 / 0.598 without; 0.883 / 0.372
    # before the verb patterns of every relation type); P 0.978 R 0.863 once plural acronyms,
    # counted groups of councils and kept names without a determiner are mentions, and plural
    # openers, 'these teams', 'This is a <collaboration noun>', a reported clause's 'it' and a
    # liaising role resolve;
    # findings P 0.701 R 0.771 (0.501 / 0.596 before polarity read the sentence); polarity
    # accuracy 0.956 of 184 matched on span (0.804 before); question 1.000. Findings P 0.698 since the
    # layout keeps tables out of sentences (issue 12, item 5): a sentence after figure 4's table, once
    # glued to its cells, now reads alone ("... was among the highest in England and Wales") and the
    # rules take it for a weakness (one more false positive, the gold skips statistics).
    # Findings P 0.842 R 0.886 (F1 0.733 -> 0.863), polarity 0.967, once the rules skip a section's
    # opening on forces in general, the end matter, instructions not addressed to the force,
    # purpose clauses, quoted names, the force's own account and statements of importance, and
    # read general evaluative words (sufficient, carefully, conforms to, ...). P 0.926 R 0.930 (F1
    # 0.928), polarity 0.986, once a concession with nothing judged after it keeps its own sense, a
    # sentence turning from the one before ("However, ...") with no judging word of its own judges
    # the other way, and reasons ("This is because"), the report itself, survey respondents,
    # 'without' alone and a 'dedicated' unit are read as neutral. P 0.925 R 0.925 (F1 0.925) since
    # 'regularly' is no longer read as praise (it judged "officers are regularly pulled away" a
    # strength in a text in other wording).
    st = result.strict
    assert st.entities.precision >= 0.930 and st.entities.recall >= 0.903
    assert st.relations.precision >= 0.977 and st.relations.recall >= 0.862
    assert st.findings.precision >= 0.925 and st.findings.recall >= 0.925
    assert st.polarity_accuracy >= 0.985
    assert result.question_accuracy >= 0.99
    # the lenient figures stay at least as high as the strict ones; for relations, the lenient
    # score reads the types of one family as one, so two gold relations of one family between the
    # same ends (the force uses THRIVE and prioritises with it) are one lenient triple
    for facts in ("entities", "findings"):
        assert getattr(result, facts).tp >= getattr(st, facts).tp
    assert result.relations.tp >= st.relations.tp - _same_family_pairs(report_path)


def test_errors_are_listed(result) -> None:
    assert len(result.false_negatives["entities"]) == result.entities.fn
    assert len(result.false_positives["relations"]) == result.relations.fp


def test_formats(result) -> None:
    table = format_table(result)
    assert "entities" in table and "relations" in table and "findings on the right question" in table
    assert "strict" in table and "lenient" in table and "finding polarity right" in table
    js = to_json(result, errors=True)
    assert set(js) >= {"report", "entities", "relations", "findings", "findings_question_accuracy",
                       "false_positives", "false_negatives", "strict"}
    assert js["entities"]["precision"] == round(result.entities.precision, 4)
    assert js["strict"]["findings"]["recall"] == round(result.strict.findings.recall, 4)
    assert js["strict"]["polarity_accuracy"] == round(result.strict.polarity_accuracy, 4)
    assert set(js["strict"]["mismatches"]) == {"entities", "relations", "findings"}


def test_score_edge_cases() -> None:
    assert Score(0, 0, 0).precision == 1.0 and Score(0, 0, 0).f1 == 1.0
    assert Score(0, 3, 3).f1 == 0.0


def _rule(result, facts: str, rule: str):
    return next(rs.score for rs in result.by_rule if (rs.facts, rs.rule) == (facts, rule))


def test_by_rule_known_scores(result) -> None:
    # checked by reading: the two processes the rules name by what is done ("allocation of
    # investigations", "allocation of allegations of crime") are nominalisations the report never
    # uses, so not gold entities (data/gold/README.md, Amendments 1); the alliance is named by its
    # two forces; the five areas for improvement come from the template; part-of.within finds no
    # wrong relation (its two gold relations join the harm assessment unit and the emergency duty
    # team, names only this report uses, which the rules no longer know from the vocabulary)
    n_gold = result.entities.tp + result.entities.fn
    assert _rule(result, "entities", "entities.process") == Score(0, 2, n_gold)
    assert _rule(result, "entities", "entities.force-collaboration") == Score(1, 0, n_gold - 1)
    assert _rule(result, "findings", "structure.area-for-improvement").tp == 5
    assert _rule(result, "findings", "structure.area-for-improvement").fp == 0
    within = [rs.score for rs in result.by_rule if (rs.facts, rs.rule) == ("relations", "relations.part-of.within")]
    assert all(s.fp == 0 for s in within)


def test_by_rule_adds_up(result) -> None:
    for facts in ("entities", "relations", "findings"):
        total = getattr(result, facts)
        rows = [rs.score for rs in result.by_rule if rs.facts == facts]
        assert all(s.tp + s.fn == total.tp + total.fn for s in rows), "fn: the gold a rule does not find"
        if facts == "findings":  # one rule per finding
            assert (sum(s.tp for s in rows), sum(s.fp for s in rows)) == (total.tp, total.fp)
        else:  # an entity (a triple) counts for every rule that found it
            assert sum(s.tp for s in rows) >= total.tp and sum(s.fp for s in rows) >= total.fp


def test_by_rule_formats(result) -> None:
    table = format_rule_table(result)
    assert "entities.gazetteer" in table and "relations.member-of.list-previous" in table
    assert "entities.acronym-definition" in table  # named as a lexicon rule, scored under the gazetteer
    js = to_json(result, by_rule=True)
    row = next(r for r in js["by_rule"] if r["rule"] == "relations.part-of.possessive")
    assert row["registry_rule"] == "relations.containment" and row["description"]
    assert "by_rule" not in to_json(result)


def test_eval_command_by_rule(report_path) -> None:
    from click.testing import CliRunner

    from peelgraph.cli import main

    res = CliRunner().invoke(main, ["eval", str(report_path), "--by-rule"])
    assert res.exit_code == 0, res.output
    assert "entities.process" in res.output and "findings on the right question" in res.output
    res = CliRunner().invoke(main, ["eval", str(report_path), "--by-rule", "--format", "json"])
    assert res.exit_code == 0 and json.loads(res.output)["by_rule"]


def test_entities_match_by_the_general_normaliser(rules_extraction) -> None:
    from dataclasses import replace

    from peelgraph.ask.evaluate import compare
    from peelgraph.model import Entity

    def score(label: str, gold_label: str) -> Score:
        ex = replace(rules_extraction, entities=(Entity("x", label, "collaboration"),), relations=(), findings=())
        return compare(ex, {"entities": [{"id": "g", "label": gold_label}], "relations": [], "findings": []}).entities

    # normalise_name ignores case (the extractor's label key keeps an acronym's), a leading
    # "the" and a plural ending ...
    assert score("Csp", "CSP") == Score(1, 0, 0)
    assert score("the Safer Places", "safer place") == Score(1, 0, 0)
    # ... but not hyphens (the extractor's label key unifies them with spaces)
    assert score("harm-reduction hub", "harm reduction hub") == Score(0, 1, 1)


def test_evaluator_does_not_import_the_extractors_label_key() -> None:
    import inspect

    import peelgraph.ask.evaluate as evaluate_module

    assert "label_key" not in inspect.getsource(evaluate_module)


def _tiny(rules_extraction, entities, relations, findings, gold):
    from dataclasses import replace

    from peelgraph.ask.evaluate import compare

    ex = replace(rules_extraction, entities=tuple(entities), relations=tuple(relations), findings=tuple(findings))
    return compare(ex, gold)


def test_strict_entities_need_the_gold_kind(rules_extraction) -> None:
    from peelgraph.model import Entity

    gold = {"entities": [{"id": "a", "label": "Safer Shires", "type": "collaboration"},
                         {"id": "b", "label": "Shire Council", "type": "organisation"}],
            "relations": [], "findings": []}
    r = _tiny(rules_extraction, [Entity("x", "Safer Shires", "collaboration"), Entity("y", "Shire Council", "unit")],
              [], [], gold)
    assert r.entities == Score(2, 0, 0)
    assert r.strict.entities == Score(1, 1, 1)
    assert r.strict.mismatches["entities"] == ("y (Shire Council): kind unit, gold organisation",)


def test_strict_relations_need_type_and_direction(rules_extraction) -> None:
    from peelgraph.model import Entity, Evidence, Relation

    ev = Evidence("r", 0, 1, "q", "rules.test")
    ents = [Entity("x", "Safer Shires", "collaboration"), Entity("y", "Shire Council", "organisation"),
            Entity("z", "Shire Police", "force")]
    gold = {"entities": [{"id": "a", "label": "Safer Shires", "type": "collaboration"},
                         {"id": "b", "label": "Shire Council", "type": "organisation"},
                         {"id": "c", "label": "Shire Police", "type": "force"}],
            "relations": [{"subject": "b", "type": "member-of", "object": "a"},
                          {"subject": "c", "type": "works-with", "object": "b"},
                          {"subject": "a", "type": "uses", "object": "c"}],
            "findings": []}
    rels = [Relation("x", "member-of", "y", ev),  # reversed: wrong either way
            Relation("y", "works-with", "z", ev),  # symmetric: either direction is right
            Relation("x", "based-on", "z", ev)]  # the same family as uses: lenient only
    r = _tiny(rules_extraction, ents, rels, [], gold)
    assert r.relations.tp == 2 and r.strict.relations == Score(1, 2, 2)
    assert "a based-on c: gold a uses c" in r.strict.mismatches["relations"]


def test_strict_findings_need_half_the_span_and_the_polarity(rules_extraction) -> None:
    from peelgraph.model import Evidence, Finding

    def f(kind: str, start: int, end: int) -> Finding:
        return Finding(kind, "t", 1, Evidence("r", start, end, "q", "findings.test"))

    def g(kind: str, polarity: str, start: int, end: int) -> dict:
        return {"kind": kind, "question": 1, "entities": [], "polarity": polarity,
                "evidence": {"quote": "q", "start": start, "end": end}}

    gold = {"entities": [], "relations": [],
            "findings": [g("strength", "positive", 0, 100), g("weakness", "negative", 200, 300),
                         g("area-for-improvement", "negative", 400, 500), g("strength", "positive", 600, 700)]}
    found = [f("strength", 0, 50),  # half the gold span, right polarity: strict
             f("strength", 200, 300),  # whole span, wrong polarity: lenient only
             f("weakness", 451, 520),  # less than half the span: lenient only
             f("strength", 600, 700)]
    r = _tiny(rules_extraction, [], [], found, gold)
    assert r.findings == Score(4, 0, 0)
    assert r.strict.findings == Score(2, 2, 2)
    assert r.strict.polarity_matched == 3 and r.strict.polarity_accuracy == 2 / 3


# ------------------------------------------------------------------ the texts in other wording

OTHER = Path(__file__).parent / "data" / "other"


@pytest.fixture(scope="module")
def other():
    from peelgraph.ask.evaluate import evaluate_other

    return evaluate_other(OTHER)


def test_other_texts_measured_floors(other) -> None:
    # measured, strict, pooled over the 10 texts with expectations: entities P 0.873 R 0.587 over
    # the first 7 (P 0.900 R 0.603 with the 3 added for the relation types); relations P 0.882
    # R 0.412 over the 10 (P 0.760 R 0.130 over the first 7 before the verb patterns, P 0.862
    # R 0.384 after; 5 of the 11 false positives are true "uses" statements that the four
    # older texts' expectations do not list, as they name only "based on" dependencies, and 5
    # are true memberships of bodies the entity stage names otherwise than the expectations);
    # findings (template findings per question, recommendations)
    # P 1.000 R 1.000. (The 4 earlier texts alone: entities P 0.838 R 0.607, relations
    # P 0.777 R 0.145; the 6 web summaries for the relation types, whose expectations list
    # every entity and relation, bring recall down.)
    assert set(other.texts) >= {"cumbria-effectiveness-2017.txt", "kent-peel-2022.txt",
                                "lincolnshire-web-summary-2016.txt"}
    assert other.entities.precision >= 0.947 and other.entities.recall >= 0.836
    assert other.relations.precision >= 0.949 and other.relations.recall >= 0.768
    assert other.findings.precision >= 0.999 and other.findings.recall >= 0.999
    for facts in ("entities", "relations", "findings"):
        s = getattr(other, facts)
        assert len(other.false_positives[facts]) == s.fp or facts == "findings"
        assert all(x.split(":")[0] in other.texts for x in other.false_negatives[facts])


def test_other_texts_targets(other) -> None:
    # issue 12: texts in other wording, pooled, entities and relations F1 >= 0.80 (met: relations
    # F1 0.850 once named collaborations of forces and counted groups of councils are entities)
    assert other.entities.f1 >= 0.80 and other.relations.f1 >= 0.80


def test_other_texts_scoring_is_strict(rules_extraction) -> None:
    from dataclasses import replace

    from peelgraph.ask.evaluate import compare_other
    from peelgraph.model import Entity, Evidence, Relation

    ev = Evidence("r", 0, 1, "q", "rules.test")
    exp = {"collaborations": {"Safer Shires (SSP)": ["Shire Council", "Durham Constabulary"]},
           "dependencies": [["tasking meeting", "THRIVE"]]}
    ents = (Entity("ssp", "SSP", "collaboration"), Entity("council", "Shire Council", "organisation"),
            Entity("durham", "Durham Constabulary", "organisation"),  # a force, of the wrong kind
            Entity("tm", "tasking meeting", "practice"), Entity("thrive", "THRIVE", "practice"),
            Entity("other", "Shire Board", "collaboration"))
    rels = (Relation("council", "member-of", "ssp", ev), Relation("thrive", "based-on", "tm", ev),
            Relation("council", "member-of", "other", ev))  # not into an expected collaboration: out of scope
    counts, fps, fns = compare_other(replace(rules_extraction, entities=ents, relations=rels, findings=()), exp)
    assert counts[:3] == [4, 1, 1]  # Durham missed (kind), Shire Board a collaboration nobody expects
    assert counts[3:6] == [1, 1, 2]  # the dependency the wrong way round
    assert fns["entities"] == ["Durham Constabulary"] and fps["entities"] == ["other (Shire Board)"]

    # listed entities and typed relations: the same type, the same direction, symmetric types
    # both ways; any other relation between two expected entities is wrong
    typed = {"entities": [{"name": "Shire Council", "kind": "organisation"},
                          {"name": "Shire Police", "kind": "force"}, {"name": "THRIVE", "kind": "practice"}],
             "relations": [["Shire Police", "works-with", "Shire Council"], ["Shire Police", "uses", "THRIVE"]]}
    ents = (Entity("council", "Shire Council", "organisation"), Entity("police", "Shire Police", "force"),
            Entity("thrive", "THRIVE", "practice"))
    rels = (Relation("council", "works-with", "police", ev), Relation("police", "based-on", "thrive", ev),
            Relation("council", "member-of", "police", ev))
    counts, fps, fns = compare_other(replace(rules_extraction, entities=ents, relations=rels, findings=()), typed)
    assert counts[:3] == [3, 0, 0]
    assert counts[3:6] == [1, 2, 1]
    assert fns["relations"] == ["Shire Police uses THRIVE"]


def test_eval_cli_other(report_path) -> None:
    from click.testing import CliRunner

    from peelgraph.cli import main

    res = CliRunner().invoke(main, ["eval", str(report_path), "--other", str(OTHER)])
    assert res.exit_code == 0, res.output
    assert "texts in other wording, pooled" in res.output
    res = CliRunner().invoke(main, ["eval", str(report_path), "--other", str(OTHER), "--format", "json"])
    js = json.loads(res.output)
    assert set(js) == {"reports", "other"} and js["other"]["strict"]["entities"]["tp"] > 0
    res = CliRunner().invoke(main, ["eval", str(report_path), "--other", str(OTHER / "no-such-folder")])
    assert res.exit_code == 3 and res.output.startswith("Error:")


# ------------------------------------------------------------------ held-out sentence findings

_HELD_OUT = ("cumbria-effectiveness-2017.txt", "dyfed-powys-effectiveness-2015.txt")


def test_other_texts_sentence_findings_floors(other) -> None:
    # held out: findings gold annotated by reading before the extractor was run on these
    # texts and before the findings rules were read (tests/data/other/findings/). Measured,
    # strict (half the gold's span, same polarity), pooled over the 2 texts: tp 93 fp 3 fn 41,
    # P 0.969 R 0.694 F1 0.809, polarity right 1.000 of 93 matched on span (Cumbria P 0.968
    # R 0.714; Dyfed-Powys P 0.971 R 0.660). The shipped report, on which the rules were
    # developed: P 0.925 R 0.925.
    from peelgraph.ask.evaluate import format_other_table, other_to_json

    assert other.sentence_texts == _HELD_OUT
    s = other.sentence_findings
    assert s.tp + s.fn == 134  # the gold's findings: 84 + 50
    assert s.precision >= 0.968 and s.recall >= 0.693 and s.f1 >= 0.808
    assert other.polarity_accuracy >= 0.989 and other.polarity_matched >= 93
    assert len(other.false_positives["sentence_findings"]) == s.fp
    assert len(other.false_negatives["sentence_findings"]) == s.fn
    assert all(x.split(":")[0] in _HELD_OUT for x in other.false_negatives["sentence_findings"])
    assert "findings (sentences, 2 texts)" in format_other_table(other)
    js = other_to_json(other)["sentence_findings"]
    assert js["texts"] == list(_HELD_OUT) and js["strict"]["tp"] == s.tp


def test_other_findings_gold_quotes_reslice() -> None:
    from peelgraph.ask.evaluate import polarity

    folder = OTHER / "findings"
    files = sorted(folder.glob("*.json"))
    assert [f.stem + ".txt" for f in files] == list(_HELD_OUT)
    for path in files:
        doc = json.loads(path.read_text(encoding="utf-8"))
        text = (OTHER / doc["report"]).read_text(encoding="utf-8")
        assert doc["report"] == path.stem + ".txt" and "before the extractor" in doc["annotator_note"].lower()
        end = 0
        for f in doc["findings"]:
            ev = f["evidence"]
            assert text[ev["start"]:ev["end"]] == ev["quote"], ev["quote"][:60]
            assert ev["start"] >= end  # in order, no overlap
            end = ev["end"]
            assert f["polarity"] == polarity(f["kind"]) and f["question"] in range(6)


# ------------------------------------------------------------------ held-out relation texts

HELDOUT = Path(__file__).parent / "data" / "heldout"


def test_heldout_texts_measured_floors() -> None:
    # held out (tests/data/heldout/README.md): two invented web summaries whose expectations
    # were written and committed before the extractor was run on them, by someone who had not
    # read the extraction rules. Never develop rules against them. First measured, strict,
    # pooled (2 Dec 2026): entities tp 38 fp 6 fn 13, P 0.864 R 0.745 F1 0.800; relations
    # tp 9 fp 2 fn 37, P 0.818 R 0.196 F1 0.316; findings none expected, none found. The
    # texts of tests/data/other, on which the rules were developed: relations P 0.907 R 0.597.
    from peelgraph.ask.evaluate import evaluate_other

    held = evaluate_other(HELDOUT)
    assert held.texts == ("staffordshire-web-summary-2017.txt", "thames-valley-web-summary-2016.txt")
    assert held.entities.tp + held.entities.fn == 51 and held.relations.tp + held.relations.fn == 46
    assert held.entities.precision >= 0.863 and held.entities.recall >= 0.745 and held.entities.f1 >= 0.799
    assert held.relations.precision >= 0.818 and held.relations.recall >= 0.195 and held.relations.f1 >= 0.315
    assert held.findings.fp == 0 and held.findings.tp + held.findings.fn == 0


HELDOUT2 = Path(__file__).parent / "data" / "heldout2"


def test_heldout2_expectations_are_well_formed() -> None:
    # second held-out set (tests/data/heldout2/README.md): the expectations and the sentence
    # findings re-slice from their texts and name only what each text prints, so a figure
    # measured on them is about the extractor, not about a typo. No floors yet.
    from peelgraph.ask.evaluate import polarity
    from peelgraph.vocab import RELATION_TYPES

    exp = json.loads((HELDOUT2 / "expected.json").read_text(encoding="utf-8"))
    texts = sorted(p.name for p in HELDOUT2.glob("*.txt"))
    assert sorted(exp) == texts and len(texts) == 3
    elliptical = {"fire service", "health service", "probation service"}  # "fire, health and probation services"
    for name, e in exp.items():
        text = (HELDOUT2 / name).read_text(encoding="utf-8").lower()
        kinds = {x["name"]: x["kind"] for x in e["entities"]}
        for x in e["entities"]:
            assert all(label.lower() in text for label in [x["name"], *x.get("aliases", [])]
                       if label not in elliptical), x["name"]
        for s, t, o in e["relations"]:
            rt = RELATION_TYPES[t]
            assert kinds[s] in rt.subjects and kinds[o] in rt.objects, (s, t, o)
        assert all(m in kinds for members in e["collaborations"].values() for m in members)
        assert all(f["quote"].lower() in text for f in e["figures"])
        doc = json.loads((HELDOUT2 / "findings" / name.replace(".txt", ".json")).read_text(encoding="utf-8"))
        raw = (HELDOUT2 / name).read_text(encoding="utf-8")
        assert doc["report"] == name and "before the extractor" in doc["annotator_note"].lower()
        end = 0
        for f in doc["findings"]:
            ev = f["evidence"]
            assert raw[ev["start"]:ev["end"]] == ev["quote"] and ev["start"] >= end
            end = ev["end"]
            assert f["polarity"] == polarity(f["kind"]) and f["question"] in range(6)
