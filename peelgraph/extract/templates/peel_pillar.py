"""The PEEL pillar report (2014-2017) as a template: one force, one pillar (effectiveness,
efficiency, legitimacy or leadership), one year; core questions, grades, sections, areas for
improvement, causes of concern, recommendations with deadlines, footnotes.

The reading rules it shares with the other PEEL templates live in
:mod:`peelgraph.extract.templates.reading`; the fixed wording (headings, grades, how questions
are asked, where findings sit) is data: :data:`VOCABULARY`.

Example:
    >>> VOCABULARY.places.question_grade
    '(?i)^summary of findings'
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from peelgraph.extract.templates.base import CoreQuestions, Places, Structure, Vocabulary, reference
from peelgraph.extract.templates.reading import (
    QuestionLayout,
    Reading,
    core_questions,
    footnotes_of,
    identify,
    judgements_of,
    pillar_year,
    publisher_of,
    question_ranges,
    recommendations,
    section_lookup,
    sections_of,
    template_findings,
)
from peelgraph.model import Question, ReportMeta, TemplateRef
from peelgraph.text.layout import Document, FixedHeadings
from peelgraph.vocab import GRADE_PHRASE, GRADES

__all__ = ["PeelPillar", "VOCABULARY", "read_pillar_report"]

#: The fixed wording of the PEEL reports (2014-2023).
VOCABULARY = Vocabulary(
    headings=FixedHeadings(
        names=(
            "introduction", "overview", "overall summary", "overall judgment", "overall judgement",
            "summary of findings", "areas for improvement", "area for improvement", "causes of concern",
            "cause of concern", "recommendations", "recommendation", "innovative practice", "promising practice",
            "next steps", "force in numbers", "force in context", "supporting victims", "victims of domestic abuse",
            "annex a – about the data", "about the data",
        ),
        patterns=(r"^annex [a-z]\b", r"^overview\s*[–-]"),
    ),
    grades=GRADES,
    grade_phrase=GRADE_PHRASE,
    questions=CoreQuestions(
        numbered=r"(?:(?<=\s)|^)([1-9])\.\s+((?:How|To what extent)\b[^?]{10,200}\?)",
        heading=r"(?i)^how effective (is|are) (the )?(force|constabulary)",
        overarching=r"(?i)keeping people safe and reducing crime",
        not_an_area=r"(?i)^overall\b",
    ),
    places=Places(
        intro_end=r"(?i)^(overview|force in numbers)",
        overview=r"(?i)^(overview\b|overall (summary|judge?ment))",
        overview_table=r"(?i)^overall summary",
        overall_judgement=r"(?i)^overall judge?ment",
        question_grade=r"(?i)^summary of findings",
        areas_for_improvement=r"(?i)^areas? for improvement$",
        causes_of_concern=r"(?i)^causes? (of|for) concern$",
        recommendations=r"(?i)^recommendations?$",
        end=r"(?i)^(next steps|annex\b|about the data|conclusion)",
    ),
)

@dataclass(frozen=True)
class PeelPillar:
    """The PEEL pillar report (effectiveness, efficiency, legitimacy, leadership; 2014-2017).

    Example:
        >>> from peelgraph.extract.templates import layout
        >>> doc = layout("r", "PEEL: Police effectiveness 2016\\nAn inspection of Kent Police\\n\\n"
        ...                   "HMIC inspected the force.\\n")
        >>> PeelPillar().detect(doc)
        0.3333333333333333
        >>> st = PeelPillar().read(doc)
        >>> st.meta.id, st.template.id
        ('kent-police-effectiveness-2016', 'peel-pillar-2014')
    """

    id: str = "peel-pillar-2014"
    version: str = "2.0"
    title: str = "PEEL pillar inspection report (effectiveness, efficiency, legitimacy, leadership), 2014-2017"
    looks_for: str = "the inspectorate (HMIC, HMICFRS) named, and a PEEL pillar, core questions or a grade"
    vocabulary: Vocabulary = VOCABULARY

    def detect(self, doc: Document) -> float:
        """How well a text fits: 0 unless it names the inspectorate (HMIC, HMICFRS; or "HM Inspector" or
        PEEL with a year it was inspected in); then a third for each of: a PEEL pillar (title line or
        introduction), core questions (numbered, headed or ``Area: Grade``), a grade in the first pages.
        """
        r = Reading(doc, self.vocabulary)
        pillar, year, _, _ = pillar_year(r)
        if not publisher_of(doc.norm, year):
            return 0.0
        listed, _ = core_questions(r)
        signals = (pillar is not None, bool(listed), bool(r.grade_words().search(doc.norm[:20000])))
        return sum(signals) / len(signals)

    def read(self, doc: Document) -> Structure:
        """Read the template-level structure of a laid-out report.

        Raises:
            ReportError: the text is not a PEEL report (no inspectorate, pillar or question), or
                the force or year cannot be told.
        """
        return read_pillar_report(doc, self.vocabulary, reference(self))


def read_pillar_report(doc: Document, vocabulary: Vocabulary, template: TemplateRef) -> Structure:
    """Read a report laid out as a PEEL pillar report (the rules of :mod:`.reading`) into a
    :class:`Structure` that names ``template``; the templates of later families start from it.

    Raises:
        ReportError: the text is not a PEEL report, or the force or year cannot be told.
    """
    r = Reading(doc, vocabulary)
    listed, q_heads = core_questions(r)
    who = identify(r, bool(listed))
    r = r.for_report(who.report_id)  # from here on, evidence names the report
    meta = ReportMeta(who.report_id, doc.path, doc.sha256, who.force, who.force_slug, who.pillar, who.year,
                      who.publisher, who.title,
                      r.evidence(who.force_span, "structure.force") if who.force_span else None,
                      r.evidence(who.year_span, "structure.year") if who.year_span else None,
                      template=template)
    questions = [Question(n, re.sub(r"\s+", " ", t), r.evidence(sp, "structure.question"))
                 for n, (t, sp) in sorted(listed.items())]
    ranges, start_block = question_ranges(r, q_heads)
    sections = sections_of(r, ranges, questions)
    section_of = section_lookup(sections)
    judgements = judgements_of(r, QuestionLayout(ranges, q_heads, start_block, section_of), who.year)
    findings = template_findings(r, ranges, section_of)
    findings += recommendations(r, ranges, section_of, findings)
    footnotes = footnotes_of(r)
    if not judgements:
        r.warnings.append("no grades found: the report has no graded judgement")
    return Structure(meta, tuple(questions), tuple(sections), tuple(judgements), tuple(findings),
                     tuple(footnotes), tuple(r.warnings), tuple(ranges))
