"""The inspectorate's web pages on a force as a template: the force's PEEL overview page, a
pillar's page, and the summaries published beside a report.

* the page opens with the force and the year (``Kent 2016``), or with a title line
  (``Northumbria Police – PEEL: Police effectiveness 2016``); the year is the one the opening
  or title states, else the page's date (``Last updated``, ``Published``) with a warning;
* an overview page states each pillar's grade in a sentence: ``The extent to which the force
  is effective at keeping people safe and reducing crime is good.`` (efficient, legitimate
  likewise): one overall judgement per pillar stated, and the page's pillar is ``peel`` when
  it states several;
* a pillar's page asks the pillar's question (``How effective is the force at keeping people
  safe and reducing crime?``) and gives its grade on a line of its own (after a ``Last
  updated`` date), or an ``Overall judgement: Good`` line, or says ``X has been assessed as
  requiring improvement in respect of ...``; a comparison with last year (``a decline on last
  year, when we judged the force to be good``) gives the previous year's judgement;
* ``Area: Grade`` lines grade the pillar's questions, numbered in order.

The publisher is the inspectorate of the page's year (HMIC until July 2017, HMICFRS after)
unless the page names it.

Example:
    >>> bool(PILLAR_SENTENCE.search("The extent to which the force is legitimate in keeping people safe "
    ...                             "and reducing crime requires improvement."))
    True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from peelgraph.errors import ReportError
from peelgraph.extract.templates.base import Structure, Vocabulary, reference
from peelgraph.extract.templates.peel_pillar import VOCABULARY
from peelgraph.extract.templates.reading import (
    PILLAR_OF_ADJECTIVE,
    QuestionLayout,
    Reading,
    core_questions,
    find_force,
    force_names,
    judgements_of,
    previous_grade,
    publisher_of,
    question_ranges,
    section_lookup,
    sections_of,
    short_force_names,
    template_findings,
    title_line,
)
from peelgraph.model import Judgement, Question, ReportMeta
from peelgraph.text.layout import Document, Span
from peelgraph.vocab import GRADE_PHRASE, grade_slug

__all__ = ["WebPage", "PILLAR_SENTENCE"]

#: An overview page's sentence that grades a pillar.
PILLAR_SENTENCE = re.compile(
    r"\bThe extent to which the (?:force|constabulary) is (effective|efficient|legitimate) (?:at|in) keeping "
    rf"people safe and reducing crime (?:is (?:judged (?:to be |as )?)?({GRADE_PHRASE})|(requires improvement))\b",
    re.I)
#: A pillar's own question, which a pillar's page asks.
PILLAR_QUESTION = re.compile(r"^How (effective|efficient|legitimate) is the (?:force|constabulary) (?:at|in) "
                             r"keeping people safe and reducing crime\?$", re.I)
_ASSESSED = re.compile(rf"\bhas been assessed as ({GRADE_PHRASE}) in respect of\b", re.I)
_DATED = re.compile(r"\b(?:Last updated|Published(?: on)?)\s*:?\s*(?:\d{1,2}[/ .-])?(?:\w+[/ .-])?((?:19|20)\d\d)\b",
                    re.I)
_OPENING = r"\s*(?:{names})[ \t]+((?:19|20)\d\d)[ \t]*(?:\r?\n|$)"


def _opens_with_a_force(doc: Document) -> bool:
    """Whether a page's first line is a force's name (``Kent``, ``Kent Police``), perhaps with a year."""
    names = [*short_force_names(), *force_names()[0]]
    alt = "|".join(re.escape(n) for n in sorted(names, key=lambda n: (-len(n), n)))
    return bool(re.match(rf"\s*(?:{alt})(?:[ \t]+(?:19|20)\d\d)?[ \t]*(?:\r?\n|$)", doc.text))


def _opening_year(doc: Document) -> tuple[int, Span] | None:
    """The year of a page whose first line is the force's name and a year (``Kent 2016``)."""
    names = "|".join(re.escape(n) for n in sorted(short_force_names(), key=lambda n: (-len(n), n)))
    m = re.match(_OPENING.format(names=names), doc.text)
    return (int(m.group(1)), Span(0, 0, m.start(1), m.end(1))) if m else None


@dataclass(frozen=True)
class WebPage:
    """The inspectorate's web pages on a force (overview, pillar pages, report summaries)."""

    id: str = "web-page-2014"
    version: str = "1.0"
    title: str = "The inspectorate's web page on a force's PEEL assessment (overview, pillar page or summary)"
    looks_for: str = ("a short page opening with the force and year ('Kent 2016') or a PEEL title line, that grades "
                      "pillars in sentences, under the pillar's question or on 'Label: Grade' lines")
    vocabulary: Vocabulary = VOCABULARY

    def detect(self, doc: Document) -> float:
        """1 for a short text without page breaks that opens with a force (and a year) or a PEEL title line and
        grades something as a web page does (a pillar sentence, the pillar's question followed by a grade, an
        ``Overall judgement: Grade`` line); else 0."""
        if len(doc.norm) > 20000 or len(doc.page_starts) > 1 or re.search(r"(?im)^summary of findings$", doc.norm):
            return 0.0
        titled = title_line(doc)
        opens = _opens_with_a_force(doc) or (titled is not None and titled[0] != "peel"
                                                    and titled[3] is not None and titled[3].nstart < 200)
        if not opens:
            return 0.0
        graded = PILLAR_SENTENCE.search(doc.norm) or any(
            (b.kind == "heading" and PILLAR_QUESTION.match(doc.display(b.span)))
            or (b.kind == "graded" and re.match(r"(?i)^overall judge?ment", doc.display(b.span)))
            for b in doc.blocks)
        return 1.0 if graded else 0.0

    def read(self, doc: Document) -> Structure:
        """Read the page's force, year, pillar and every grade it states.

        Raises:
            ReportError: the page names no force, or no year at all.
        """
        r = Reading(doc, self.vocabulary)
        found = find_force(r)
        if found is None:
            raise ReportError("cannot tell which police force the page is about", path=doc.path)
        year, year_span, pillar = _year_and_pillar(r)
        publisher = publisher_of(doc.norm, None) or ("HMICFRS" if year >= 2018 else "HMIC")
        rid = f"{found.slug}-{pillar}-{year}"
        r = r.for_report(rid)
        what = f"PEEL {year}" if pillar == "peel" else f"PEEL: Police {pillar} {year}"
        meta = ReportMeta(rid, doc.path, doc.sha256, found.name, found.slug, pillar, year, publisher,
                          f"{what} – {found.name} (the inspectorate's web page)",
                          r.evidence(found.span, "structure.force") if found.span else None,
                          r.evidence(year_span, "structure.year") if year_span else None, template=reference(self))
        listed, q_heads = core_questions(r)
        questions = [Question(n, re.sub(r"\s+", " ", t), r.evidence(sp, "structure.question"))
                     for n, (t, sp) in sorted(listed.items())]
        ranges, start_block = question_ranges(r, q_heads)
        sections = sections_of(r, ranges, questions)
        section_of = section_lookup(sections)
        judgements = judgements_of(r, QuestionLayout(ranges, q_heads, start_block, section_of), year)
        if not any(j.question == 0 for j in judgements):
            judgements = _overall(r, pillar, year) + judgements
        findings = template_findings(r, ranges, section_of)
        if not judgements:
            r.warnings.append("no grades found: the page states no graded judgement")
        # a page's "Area: Grade" lines are its grades: no section under them is expected
        warnings = tuple(w for w in r.warnings if "no grade in its own section" not in w)
        return Structure(meta, tuple(questions), tuple(sections), tuple(judgements), tuple(findings), (),
                         warnings, tuple(ranges))


def _year_and_pillar(r: Reading) -> tuple[int, Span | None, str]:
    """The page's year (opening, title line, else the page's date with a warning) and pillar (title line,
    the pillar's question, else ``peel`` for a page that grades several pillars or none)."""
    doc = r.doc
    titled = title_line(doc)
    opening = _opening_year(doc)
    pillars = {PILLAR_OF_ADJECTIVE[m.group(1).lower()] for m in PILLAR_SENTENCE.finditer(doc.norm)}
    asked = [PILLAR_OF_ADJECTIVE[m.group(1).lower()] for b in doc.blocks if b.kind == "heading"
             and (m := PILLAR_QUESTION.match(doc.display(b.span)))]
    pillar = (titled[0] if titled and titled[0] else None) or (asked[0] if asked else None) or \
        (pillars.pop() if len(pillars) == 1 else "peel")
    if opening:
        return opening[0], opening[1], pillar
    if titled and titled[1]:
        return titled[1], titled[3], pillar
    dated = _DATED.search(doc.norm)
    if dated:
        r.warnings.append(f"the page states no inspection year; the year of its date ({dated.group(1)}) is used")
        return int(dated.group(1)), doc.span(dated.start(), dated.end()), pillar
    raise ReportError("cannot tell the year of the inspection", path=doc.path)


def _overall(r: Reading, pillar: str, year: int) -> list[Judgement]:
    """The overall judgements a page states: one per pillar sentence; else the grade under the pillar's
    question, else an ``assessed as`` sentence; with the previous year's where the page compares."""
    doc = r.doc
    out: list[Judgement] = []
    for m in PILLAR_SENTENCE.finditer(doc.norm):
        span = doc.span(m.start(), max(m.end(), r.sentence_span(m.start()).nend))
        own = PILLAR_OF_ADJECTIVE[m.group(1).lower()]
        out.append(Judgement(0, grade_slug(m.group(2) or m.group(3)), r.evidence(span, "structure.pillar-grade"),
                             pillar=None if own == pillar else own))
    if out:
        return out
    found: tuple[str, Span] | None = None
    for bi, b in enumerate(doc.blocks):
        if b.kind == "heading" and PILLAR_QUESTION.match(doc.display(b.span)):
            for nb in doc.blocks[bi + 1:bi + 4]:
                if nb.kind == "grade":
                    found = grade_slug(doc.display(nb.span)), doc.span(b.span.nstart, nb.span.nend)
                    break
            break
    rule = "structure.overall-grade"
    if found is None:
        m2 = _ASSESSED.search(doc.norm)
        if m2 is None:
            return []
        found, rule = (grade_slug(m2.group(1)), r.sentence_span(m2.start())), "structure.assessed-grade"
    grade, span = found
    prev = previous_grade(r, [(0, 0, len(doc.norm))], grade, year)
    return [Judgement(0, grade, r.evidence(span, rule), *prev)]
