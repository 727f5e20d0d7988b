"""The integrated PEEL assessment of 2018/19 as a template: one report on one force that judges
three pillars (effectiveness, efficiency, legitimacy), each overall and question by question.

* the report's pillar is ``peel`` and its year the year the period ends (``2018/19`` is 2019);
* a pillar's section starts at a heading naming the pillar (``Effectiveness``) or at its
  overarching question (``How effective is the force at keeping people safe and reducing
  crime?``, ``How efficiently does the force operate and how sustainable are its services?``,
  ``How legitimately does the force treat the public and its workforce?``);
* the grade right under a pillar's overarching question is that pillar's overall judgement
  (else the summary's ``Effectiveness: Good`` line); the grade right under any other question
  heading judges that question, which belongs to the pillar whose section it sits in;
* a pillar's previous grade is read from a sentence of its section that says ``last year``;
* areas for improvement, causes of concern and recommendations are read as in every PEEL report.

Example:
    >>> pillar_of_heading("How efficiently does the force operate and how sustainable are its services?")
    ('efficiency', True)
    >>> pillar_of_heading("How well does the force plan for the future?")
    (None, False)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from peelgraph.extract.templates.base import CoreQuestions, Places, Structure, Vocabulary, reference
from peelgraph.extract.templates.peel_pillar import VOCABULARY
from peelgraph.extract.templates.reading import (
    Reading,
    footnotes_of,
    grade_after,
    identify,
    inline_grade,
    label_of,
    previous_grade,
    publisher_of,
    recommendations,
    section_key_at,
    section_lookup,
    template_findings,
    title_line,
)
from peelgraph.model import Judgement, Question, ReportMeta, Section
from peelgraph.text.layout import Document, FixedHeadings, Span
from peelgraph.vocab import Pillar

__all__ = ["PeelIntegrated", "INTEGRATED_VOCABULARY", "pillar_of_heading"]

#: The integrated assessment's wording: the PEEL headings and the three pillars' names as headings.
INTEGRATED_VOCABULARY = Vocabulary(
    headings=VOCABULARY.headings.merged(FixedHeadings(("effectiveness", "efficiency", "legitimacy"))),
    grades=VOCABULARY.grades,
    grade_phrase=VOCABULARY.grade_phrase,
    questions=CoreQuestions(
        numbered=VOCABULARY.questions.numbered,
        heading=r"(?i)^(how|to what extent)\b",
        overarching=r"(?i)keeping people safe and reducing crime|how sustainable are its services"
                    r"|treat the public and its workforce",
        not_an_area=VOCABULARY.questions.not_an_area,
    ),
    places=Places(**{**VOCABULARY.places.__dict__, "overview": r"(?i)^overall summary"}),
)

_PILLAR_WORDS = {
    "effective": Pillar.EFFECTIVENESS, "effectively": Pillar.EFFECTIVENESS, "efficient": Pillar.EFFICIENCY,
    "efficiently": Pillar.EFFICIENCY, "legitimate": Pillar.LEGITIMACY, "legitimately": Pillar.LEGITIMACY,
}
_PILLAR_HEADING = re.compile(r"(?i)^(effectiveness|efficiency|legitimacy)$")


def pillar_of_heading(text: str) -> tuple[str | None, bool]:
    """``(pillar, overarching)`` of a question heading: the pillar its adjective names (``How
    effectively ...``), and whether it is the pillar's overarching question."""
    over = bool(re.search(INTEGRATED_VOCABULARY.questions.overarching, text))
    m = re.match(r"(?i)^how (\w+)", text)
    word = m.group(1).lower() if m else ""
    return (_PILLAR_WORDS[word].value if word in _PILLAR_WORDS else None), over


@dataclass(frozen=True)
class PeelIntegrated:
    """The integrated PEEL assessment (2018/19): three pillars judged in one report.

    Example:
        >>> from peelgraph.extract.templates import layout
        >>> doc = layout("r", "PEEL: Police effectiveness, efficiency and legitimacy 2018/19\\n"
        ...                   "An inspection of Kent Police\\n\\nHMICFRS inspected the force.\\n")
        >>> PeelIntegrated().detect(doc)
        1.0
    """

    id: str = "peel-integrated-2018"
    version: str = "1.0"
    title: str = "Integrated PEEL assessment, 2018/19 (effectiveness, efficiency and legitimacy judged together)"
    looks_for: str = "a title 'PEEL ... 2018/19' by the inspectorate"
    vocabulary: Vocabulary = INTEGRATED_VOCABULARY

    def detect(self, doc: Document) -> float:
        """1 for a report by the inspectorate whose title names the period 2018/19 (or 2019/20); else 0."""
        titled = title_line(doc)
        if not titled or titled[0] != "peel" or titled[1] not in (2019, 2020):
            return 0.0
        return 1.0 if publisher_of(doc.norm, titled[1]) else 0.0

    def read(self, doc: Document) -> Structure:
        """Read each pillar's overall judgement and its questions' judgements.

        Raises:
            ReportError: the text is not a PEEL report, or the force or year cannot be told.
        """
        r = Reading(doc, self.vocabulary)
        who = identify(r, True)
        r = r.for_report(who.report_id)
        meta = ReportMeta(who.report_id, doc.path, doc.sha256, who.force, who.force_slug, who.pillar, who.year,
                          who.publisher, who.title,
                          r.evidence(who.force_span, "structure.force") if who.force_span else None,
                          r.evidence(who.year_span, "structure.year") if who.year_span else None,
                          template=reference(self))
        heads = _graded_heads(r)
        ranges = _ranges(r, heads)
        questions = [Question(n, r.doc.display(blk), r.evidence(blk, "structure.question"))
                     for n, _, blk, _, _ in heads if n]
        sections = [Section(f"q{n}" if n else f"overview-{pillar}", r.doc.display(blk), "question", n, blk.start,
                            r.doc.span(a, b).end, r.evidence(blk, "structure.heading", f"q{n}" if n else None))
                    for (n, pillar, blk, _, _), (_, a, b) in zip(heads, ranges, strict=True)]
        section_of = section_lookup(sections)
        judgements = _judgements(r, heads, ranges, section_of, who.year)
        findings = template_findings(r, ranges, section_of)
        findings += recommendations(r, ranges, section_of, findings)
        if not judgements:
            r.warnings.append("no grades found: the report has no graded judgement")
        return Structure(meta, tuple(questions), tuple(sections), tuple(judgements), tuple(findings),
                         tuple(footnotes_of(r)), tuple(r.warnings), tuple(ranges))


def _graded_heads(r: Reading) -> list[tuple[int, str, Span, str, Span]]:
    """``(question number or 0, pillar, heading span, grade, grade span)`` of every question heading
    followed by a grade, in order; 0 for a pillar's overarching question."""
    out: list[tuple[int, str, Span, str, Span]] = []
    pillar: str | None = None
    n = 0
    for bi, blk in enumerate(r.doc.blocks):
        text = r.doc.display(blk.span)
        if blk.kind == "heading" and _PILLAR_HEADING.match(text):
            pillar = text.lower()
            continue
        if blk.kind != "heading" or not re.match(r.vocabulary.questions.heading, text):
            continue
        own, over = pillar_of_heading(text)
        if over and own:
            pillar = own
        graded = grade_after(r, bi)
        if graded is None or pillar is None:
            continue
        grade, span = graded
        if over:
            out.append((0, pillar, blk.span, grade, span))
        else:
            n += 1
            out.append((n, pillar, blk.span, grade, span))
    return out


def _ranges(r: Reading, heads: list[tuple[int, str, Span, str, Span]]) -> list[tuple[int, int, int]]:
    """Each graded heading's section: from it to the next graded heading or pillar heading."""
    stops = sorted({h[2].nstart for h in heads} | {b.span.nstart for b in r.doc.blocks if b.kind == "heading"
                                                  and _PILLAR_HEADING.match(r.doc.display(b.span))})
    out = []
    for n, _, blk, _, _ in heads:
        later = [s for s in stops if s > blk.nstart]
        out.append((n, blk.nstart, later[0] if later else len(r.doc.norm)))
    return out


def _judgements(r: Reading, heads: list[tuple[int, str, Span, str, Span]], ranges: list[tuple[int, int, int]],
                section_of: list[tuple[int, int, str]], year: int) -> list[Judgement]:
    """Each pillar's overall judgement (with last year's where its section states it; else the summary's
    ``Pillar: Grade`` line), then each question's."""
    out: list[Judgement] = []
    summary = {label_of(r.doc.display(b.span)).lower(): b.span for b in r.doc.blocks if b.kind == "graded"
               and label_of(r.doc.display(b.span)).lower() in ("effectiveness", "efficiency", "legitimacy")}
    overall = {p: (g, sp, k) for k, (n, p, _, g, sp) in enumerate(heads) if n == 0}
    for pillar in ("effectiveness", "efficiency", "legitimacy"):
        if pillar in overall:
            grade, span, k = overall[pillar]
            line = summary.get(pillar)
            if line is not None and inline_grade(r.doc.display(line)) != grade:
                r.warnings.append(f"{pillar}: the summary says {inline_grade(r.doc.display(line))!r} but its section "
                                  f"says {grade!r}; the section's grade is used")
            _, a, b = ranges[k]
            prev = previous_grade(r, [(0, a, b)], grade, year)
        elif pillar in summary:
            span = summary[pillar]
            grade, prev = inline_grade(r.doc.display(span)), (None, None, None)
        else:
            continue
        ev = r.evidence(span, "structure.overall-grade", section_key_at(section_of, span.start))
        out.append(Judgement(0, grade, ev, *prev, pillar=pillar))
    for n, pillar, _, grade, span in heads:
        if n:
            out.append(Judgement(n, grade, r.evidence(span, "structure.section-grade",
                                                      section_key_at(section_of, span.start)), pillar=pillar))
    return out
