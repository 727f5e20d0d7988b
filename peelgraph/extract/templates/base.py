"""What a template is (the ``Template`` protocol, its vocabulary as data) and what it reads into (``Structure``).

A template is one family of the inspectorate's documents: it says how well a laid-out
text fits it (``detect``), what its fixed wording is (``vocabulary``), and reads a text
that fits into a :class:`Structure`.

Example:
    >>> structure = Structure(ReportMeta("r", "r.txt", "", "Kent Police", "kent-police", "effectiveness", 2016,
    ...                                  "HMIC", "t", template=TemplateRef("toy", "1", "a toy")),
    ...                       (), (), (), (), (), (), ((1, 0, 50), (2, 50, 90)))
    >>> structure.question_at(60), structure.question_at(95), structure.template.id
    (2, None, 'toy')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from peelgraph.model import Finding, Footnote, Judgement, Question, ReportMeta, Section, TemplateRef
from peelgraph.text.layout import Document, FixedHeadings

__all__ = ["Structure", "section_key_at", "CoreQuestions", "Places", "Vocabulary", "Template", "reference"]


@dataclass(frozen=True)
class Structure:
    """The report's template-level facts, and the template that read them (``meta.template``)."""

    meta: ReportMeta
    questions: tuple[Question, ...]
    sections: tuple[Section, ...]
    judgements: tuple[Judgement, ...]
    findings: tuple[Finding, ...]  # areas for improvement, causes of concern and recommendations
    footnotes: tuple[Footnote, ...]
    warnings: tuple[str, ...]
    question_ranges: tuple[tuple[int, int, int], ...]  # (question, nstart, nend); 0 = overview

    @property
    def template(self) -> TemplateRef | None:
        """The template that read the report (id, version, title)."""
        return self.meta.template

    def section_at(self, offset: int) -> str | None:
        """The key of the innermost section holding an original offset (None outside sections)."""
        return section_key_at(((s.start, s.end, s.key) for s in self.sections), offset)

    def question_at(self, nindex: int) -> int | None:
        """The core question whose section holds a normalised offset (0 = overview)."""
        for q, a, b in self.question_ranges:
            if a <= nindex < b:
                return q
        return None


def section_key_at(lookup: Iterable[tuple[int, int, str]], offset: int) -> str | None:
    """The innermost section key holding an original offset, from ``(start, end, key)`` sorted outer first."""
    best = None
    for a, b, key in lookup:
        if a <= offset < b:
            best = key
    return best


@dataclass(frozen=True)
class CoreQuestions:
    """How a template asks its core questions (regular expressions, flags inline).

    Attributes:
        numbered: an item of the introduction's numbered list of questions; group 1 is the
            number, group 2 the question.
        heading: a heading that asks a core question (matched at its start).
        overarching: the pillar's own question, which may be phrased like a core question
            but is not one (searched in the heading).
        not_an_area: a ``Label: Grade`` line whose label grades the whole report, not an area.
    """

    numbered: str
    heading: str
    overarching: str
    not_an_area: str


@dataclass(frozen=True)
class Places:
    """Where a template puts things: headings, as regular expressions (flags inline) matched at a heading's start.

    Attributes:
        intro_end: the heading that ends the introduction.
        overview: the heading that starts the overview (the part before the first question).
        overview_table: the heading over the table of the questions' grades.
        overall_judgement: the heading (or ``Label: Grade`` line) of the overall grade.
        question_grade: the heading under which a question's section states its grade.
        areas_for_improvement: the heading over areas for improvement.
        causes_of_concern: the heading over causes of concern.
        recommendations: the heading over recommendations (also inside a cause of concern).
        end: a heading after the last question that ends the questions' sections.
    """

    intro_end: str
    overview: str
    overview_table: str
    overall_judgement: str
    question_grade: str
    areas_for_improvement: str
    causes_of_concern: str
    recommendations: str
    end: str


@dataclass(frozen=True)
class Vocabulary:
    """A template's fixed wording, as data.

    Attributes:
        headings: the fixed headings the layout must see as headings.
        grades: the grade slugs the template uses (from :mod:`peelgraph.vocab`).
        grade_phrase: the grades as written in running text (a regular expression).
        questions: how the core questions are asked.
        places: where judgements, areas for improvement, causes of concern and
            recommendations sit.
    """

    headings: FixedHeadings
    grades: tuple[str, ...]
    grade_phrase: str
    questions: CoreQuestions
    places: Places


class Template(Protocol):
    """One family of the inspectorate's documents, which peelgraph can read."""

    @property
    def id(self) -> str:
        """A stable slug naming the family and its first year (``peel-pillar-2014``); minted into the graph."""

    @property
    def version(self) -> str:
        """The version of this template's reading rules (changes when they read a text differently)."""

    @property
    def title(self) -> str:
        """What the template reads, in a line."""

    @property
    def looks_for(self) -> str:
        """The evidence ``detect`` weighs, in a phrase (said when no template fits a text)."""

    @property
    def vocabulary(self) -> Vocabulary:
        """The template's fixed wording."""

    def detect(self, doc: Document) -> float:
        """How well a laid-out text fits this template: 0 (not at all) to 1."""

    def read(self, doc: Document) -> Structure:
        """Read a text that fits into a :class:`Structure` whose ``meta.template`` names this template.

        Raises:
            ReportError: the text does not fit, or lacks what every report states (force, year).
        """


def reference(template: Template) -> TemplateRef:
    """The record of a template that a :class:`Structure` (and the graph) keeps."""
    return TemplateRef(template.id, template.version, template.title)
