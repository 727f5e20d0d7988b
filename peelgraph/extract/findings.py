"""Findings: the template's areas for improvement, recommendations and causes of concern,
plus the strength and weakness sentences of the overview and the core-question sections.

:func:`extract` runs the finding rules of :data:`peelgraph.extract.rules.FINDING_RULES`
(see :mod:`peelgraph.extract.rules.findings`: the template's findings with their entities,
then judging sentences by :func:`judge`) and returns every finding in text order.

Example:
    >>> judge("The force has a good understanding of its communities.")
    'strength'
    >>> judge("Supervision is not always effective.")
    'weakness'
    >>> judge("The force has 800 officers.") is None
    True
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from peelgraph.extract.entities import EntitySet
from peelgraph.extract.rules.base import select
from peelgraph.extract.rules.findings import FINDING_RULES, FindingContext, FindingRule, judge
from peelgraph.extract.structure import Structure
from peelgraph.model import Finding
from peelgraph.text.layout import Document

__all__ = ["extract", "judge"]


def extract(doc: Document, st: Structure, ents: EntitySet, *, rules: Sequence[FindingRule] = FINDING_RULES,
            disabled: Collection[str] = ()) -> tuple[Finding, ...]:
    """The template findings and the judging sentences of a report, with entities and question.

    Args:
        doc: the laid-out report.
        st: its template structure.
        ents: its entities.
        rules: the finding rules to run, in order (default: all of them).
        disabled: ids of rules not to run.

    Raises:
        UsageError: ``disabled`` names an unknown rule.
    """
    ctx = FindingContext.of(doc, st, ents)
    out = [f for rule in select(rules, disabled) for f in rule.find(ctx)]
    out.sort(key=lambda f: (f.evidence.start, f.evidence.end))
    return tuple(out)
