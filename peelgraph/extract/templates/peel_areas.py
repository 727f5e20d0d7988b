"""The PEEL assessments of 2021/22 and 2023–25 as a template: one force judged area by area on the
five-point scale (outstanding, good, adequate, requires improvement, inadequate), with no overall
judgement; causes of concern with their recommendations, areas for improvement, and promising and
innovative practice.

* the report's pillar is ``peel``; its year is the year a two-year period ends (``2021/22`` is
  2022), and for a longer cycle (``2023–25``, each force inspected in one of its years) the
  year the text says the force was inspected (``inspected the force in May 2024``), else the
  year the period ends, with a warning;
* the graded areas are the ``Area: Grade`` lines of the summary (``Our judgments``), each
  judged by the grade on its own line under the area's heading (compared with the summary);
* promising and innovative practice are the paragraphs under those headings.

Example:
    >>> from peelgraph.extract.templates import layout
    >>> doc = layout("r", "PEEL 2023–25\\nAn inspection of Kent Police\\n\\nHMICFRS inspected the force in "
    ...                   "March 2024.\\n\\nInvestigating crime: Good\\n")
    >>> st = PeelAreas().read(doc)
    >>> st.meta.year, st.meta.pillar, [(j.question, j.grade) for j in st.judgements]
    (2024, 'peel', [(1, 'good')])
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from peelgraph.extract.templates.base import Structure, Vocabulary, reference
from peelgraph.extract.templates.peel_pillar import VOCABULARY, read_pillar_report
from peelgraph.extract.templates.reading import Reading, paragraphs_under, publisher_of, question_of, title_line
from peelgraph.model import Finding
from peelgraph.text.layout import Document
from peelgraph.vocab import FindingKind

__all__ = ["PeelAreas"]

_PRACTICE = {r"(?i)^innovative practice$": FindingKind.INNOVATIVE_PRACTICE,
             r"(?i)^promising practice$": FindingKind.PROMISING_PRACTICE}


@dataclass(frozen=True)
class PeelAreas:
    """The PEEL assessments of 2021/22 and 2023–25: graded areas, no overall judgement."""

    id: str = "peel-areas-2021"
    version: str = "1.0"
    title: str = "PEEL assessment graded area by area, 2021/22 and 2023–25 (five-point scale with 'adequate')"
    looks_for: str = "a title 'PEEL 2021/22' or 'PEEL 2023–25' by the inspectorate"
    vocabulary: Vocabulary = VOCABULARY

    def detect(self, doc: Document) -> float:
        """1 for a report by the inspectorate whose title names a PEEL period from 2021 on; else 0."""
        titled = title_line(doc)
        if not titled or titled[0] != "peel" or titled[1] is None or titled[1] < 2022:
            return 0.0
        return 1.0 if publisher_of(doc.norm, titled[1]) else 0.0

    def read(self, doc: Document) -> Structure:
        """Read the graded areas, findings, and promising and innovative practice.

        Raises:
            ReportError: the text is not a PEEL report, or the force or year cannot be told.
        """
        st = read_pillar_report(doc, self.vocabulary, reference(self))
        r = Reading(replace(doc, report=st.meta.id), self.vocabulary, list(st.warnings))
        findings = list(st.findings)
        for heading, kind in _PRACTICE.items():
            for para, sents in paragraphs_under(r, heading):
                if sents:
                    span = para.span
                    findings.append(Finding(kind.value, doc.display(span), question_of(list(st.question_ranges),
                                                                                       span.nstart),
                                            r.evidence(span, f"structure.{kind.value}", st.section_at(span.start))))
        return replace(st, findings=tuple(findings), warnings=tuple(r.warnings))
