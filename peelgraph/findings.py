"""Findings: the template's areas for improvement and recommendations (more rules to come)."""

from __future__ import annotations

from .entities import EntitySet
from .model import Finding
from .reports import Document
from .structure import Structure


def extract(doc: Document, st: Structure, ents: EntitySet) -> tuple[Finding, ...]:
    """Judgement-bearing statements of a report."""
    return st.findings
