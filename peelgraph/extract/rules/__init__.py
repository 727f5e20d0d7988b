"""The extraction rules: small named objects in ordered registries, one per kind of fact.

Each rule has an ``id`` (``entities.acronym-definition``, ``relations.member-of.list``,
``findings.strength``), a ``kind`` (entity, relation, finding), a one-line ``description``,
the evidence rule ids it ``emits``, and ``find(context)``. The extractors
(:mod:`peelgraph.extract.entities`, ``relations``, ``findings``) run a registry in order and
accept ``rules=`` or ``disabled=`` to run fewer, so a rule can be listed, switched off,
tested and scored (``peelgraph eval --by-rule``) on its own.

Example:
    >>> [r.id for r in all_rules() if r.kind == "finding"]
    ['findings.template', 'findings.strength', 'findings.weakness']
    >>> rule_for("relations.part-of.possessive").id
    'relations.containment'
"""

from __future__ import annotations

from typing import Any

from peelgraph.extract.rules.base import RULE_KINDS, Rule, select
from peelgraph.extract.rules.entities import ENTITY_RULES
from peelgraph.extract.rules.findings import FINDING_RULES
from peelgraph.extract.rules.relations import RELATION_RULES

__all__ = ["ENTITY_RULES", "RELATION_RULES", "FINDING_RULES", "RULE_KINDS", "Rule", "select", "all_rules",
           "rule_for"]


def all_rules() -> tuple[Rule[Any, Any], ...]:
    """Every rule: entity rules, then relation rules, then finding rules, each in run order."""
    return (*ENTITY_RULES, *RELATION_RULES, *FINDING_RULES)


def rule_for(evidence_rule: str) -> Rule[Any, Any] | None:
    """The rule that writes an evidence rule id (``None`` for a structure or curation id)."""
    for r in all_rules():
        if evidence_rule in r.emits:
            return r
    return None
