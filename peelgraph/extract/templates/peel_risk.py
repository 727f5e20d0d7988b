"""The risk-based PEEL effectiveness report of 2017 as a template: the pillar report's layout, but
a question the inspectorate did not inspect again keeps the earlier year's judgement.

Such a question says so in its own section ("We did not inspect this question in 2017. The
graded judgment of good from our 2016 effectiveness inspection has been carried over."): its
judgement is recorded as carried from that year (the year the sentence names, else the year
before), with the earlier judgement as its previous one and that sentence as the evidence.

Example:
    >>> bool(CARRIED.search("the judgment from 2016 is carried over")), bool(CARRIED.search("we inspected"))
    (True, False)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from peelgraph.extract.templates.base import Structure, Vocabulary, reference
from peelgraph.extract.templates.peel_pillar import VOCABULARY, read_pillar_report
from peelgraph.extract.templates.reading import Reading, pillar_year, publisher_of
from peelgraph.model import Judgement
from peelgraph.text.layout import Document

__all__ = ["PeelRisk", "CARRIED"]

#: A sentence that says a question was not inspected again and its judgement carried over.
CARRIED = re.compile(
    r"\b(?:carried (?:over|forward)|(?:did|was|were|has|have) not (?:been )?(?:re-?)?inspect(?:ed)?"
    r"|not (?:re-?)?inspected)\b", re.I)
_YEAR = re.compile(r"\b((?:19|20)\d\d)\b")


@dataclass(frozen=True)
class PeelRisk:
    """The risk-based PEEL effectiveness report (2017): questions not inspected keep the 2016 judgement.

    Example:
        >>> from peelgraph.extract.templates import layout
        >>> doc = layout("r", "PEEL: Police effectiveness 2017\\nAn inspection of Kent Police\\n\\n"
        ...                   "HMICFRS took a risk-based approach: some judgments from 2016 are carried over.\\n")
        >>> PeelRisk().detect(doc)
        1.0
    """

    id: str = "peel-risk-2017"
    version: str = "1.0"
    title: str = "PEEL effectiveness report of 2017, risk-based (questions not inspected keep the 2016 judgement)"
    looks_for: str = "a PEEL effectiveness 2017 report that carries judgements over from 2016"
    vocabulary: Vocabulary = VOCABULARY

    def detect(self, doc: Document) -> float:
        """1 for an effectiveness report of 2017 by the inspectorate that says judgements are carried over
        (or questions were not inspected again); else 0."""
        r = Reading(doc, self.vocabulary)
        pillar, year, _, _ = pillar_year(r)
        if pillar != "effectiveness" or year != 2017 or not publisher_of(doc.norm, year):
            return 0.0
        return 1.0 if CARRIED.search(doc.norm) else 0.0

    def read(self, doc: Document) -> Structure:
        """Read the report as a pillar report, then mark the judgements carried over from an earlier year.

        Raises:
            ReportError: the text is not a PEEL report, or the force or year cannot be told.
        """
        st = read_pillar_report(doc, self.vocabulary, reference(self))
        named = replace(doc, report=st.meta.id)
        judgements = []
        for j in st.judgements:
            judgements.append(_carried(named, st, j) if j.question else j)
        return replace(st, judgements=tuple(judgements))


def _carried(doc: Document, st: Structure, j: Judgement) -> Judgement:
    """The judgement, carried from an earlier year when its question's section says so."""
    for q, a, b in st.question_ranges:
        if q != j.question:
            continue
        for s in doc.sentences_in(a, b):
            text = doc.display(s)
            if not CARRIED.search(text):
                continue
            years = [int(y) for y in _YEAR.findall(text) if int(y) < st.meta.year]
            year = max(years) if years else st.meta.year - 1
            ev = doc.evidence(s, "structure.carried-grade", st.section_at(s.start))
            return replace(j, carried_from=year, previous_grade=j.grade, previous_year=year, previous_evidence=ev)
    return j
