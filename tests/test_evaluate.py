"""Evaluation against the gold: measured figures held as floors, and the issue's targets."""

from __future__ import annotations

import json

import pytest

from peelgraph.ask.evaluate import Score, evaluate, format_rule_table, format_table, to_json
from peelgraph.resources import gold_file


@pytest.fixture(scope="module")
def result(report_path):
    return evaluate(report_path, gold_file(report_path))


@pytest.mark.xfail(strict=True, reason="issue 12: measured against the honest vocabulary and the independent gold, "
                   "the rules are below the targets (entity recall 0.748, relation recall 0.386); the rules are being "
                   "improved: when they meet the targets this test fails, so remove this mark")
def test_targets(result) -> None:
    assert result.entities.precision >= 0.90 and result.entities.recall >= 0.85
    assert result.relations.precision >= 0.85 and result.relations.recall >= 0.70
    assert result.question_accuracy >= 0.90


def test_measured_floors(result) -> None:
    # measured (issue 12: every concept sourced, report phrases moved to curation; gold of 23
    # relation types, by reading): entities P 0.918 R 0.748; relations P 0.907 R 0.386;
    # findings P 0.624 R 0.741; question accuracy 1.000
    assert result.entities.precision >= 0.918 and result.entities.recall >= 0.748
    assert result.relations.precision >= 0.906 and result.relations.recall >= 0.386
    assert result.findings.precision >= 0.623 and result.findings.recall >= 0.741
    assert result.question_accuracy >= 0.99


def test_errors_are_listed(result) -> None:
    assert len(result.false_negatives["entities"]) == result.entities.fn
    assert len(result.false_positives["relations"]) == result.relations.fp


def test_formats(result) -> None:
    table = format_table(result)
    assert "entities" in table and "relations" in table and "findings on the right question" in table
    js = to_json(result, errors=True)
    assert set(js) >= {"report", "entities", "relations", "findings", "findings_question_accuracy",
                       "false_positives", "false_negatives"}
    assert js["entities"]["precision"] == round(result.entities.precision, 4)


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
