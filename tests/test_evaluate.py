"""Evaluation against the gold: measured figures held as floors, and the issue's targets."""

from __future__ import annotations

import pytest

from peelgraph.ask.evaluate import Score, evaluate, format_table, to_json
from peelgraph.resources import gold_file


@pytest.fixture(scope="module")
def result(report_path):
    return evaluate(report_path, gold_file(report_path))


def test_targets(result) -> None:
    assert result.entities.precision >= 0.90 and result.entities.recall >= 0.85
    assert result.relations.precision >= 0.85 and result.relations.recall >= 0.70
    assert result.question_accuracy >= 0.90


def test_measured_floors(result) -> None:
    # measured: entities P 0.942 R 0.864; relations P 1.000 R 0.714; findings P 0.627 R 0.742;
    # question accuracy 1.000
    assert result.entities.precision >= 0.93 and result.entities.recall >= 0.85
    assert result.relations.precision >= 0.99 and result.relations.recall >= 0.70
    assert result.findings.precision >= 0.61 and result.findings.recall >= 0.73
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
