"""Frozen dataclasses for everything peelgraph extracts from a report.

Every fact carries :class:`Evidence`: the exact quote and its character offsets in the
shipped report file (end exclusive, Unicode code points), the section it sits in and the
rule that produced it.

Example:
    >>> ev = Evidence(report="r", start=4, end=9, quote="quick", rule="demo")
    >>> "the quick fox"[ev.start:ev.end] == ev.quote
    True
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

__all__ = [
    "PART_SEPARATOR",
    "Evidence",
    "TemplateRef",
    "ReportMeta",
    "Question",
    "Section",
    "TextUnit",
    "Figure",
    "Judgement",
    "Finding",
    "Footnote",
    "Entity",
    "Relation",
    "Extraction",
]

#: What joins the parts of an evidence in its quote: the line break that ended the line before the cut
#: (a footnote, caption, table or page number always takes whole lines).
PART_SEPARATOR = "\n"


@dataclass(frozen=True, order=True)
class Evidence:
    """Where a fact is stated, in the shipped report file: one span, or several when page furniture
    (a footnote pasted where the page ended, a caption, a table, a page number) interrupts the sentence.

    ``parts`` are the spans ``(start, end)`` the quote is made of, in order; they default to the one span
    ``(start, end)``. ``start`` is the first part's start and ``end`` the last part's end (the whole range,
    the furniture included). ``quote`` is the parts' slices joined by :data:`PART_SEPARATOR`, so
    ``quote == text[start:end]`` holds exactly when there is one part, and :meth:`reslice` holds always.

    Example:
        >>> text = "The force\\n4\\n\\nA footnote.\\n works well."
        >>> ev = Evidence("r", 0, 37, "The force\\nworks well.", "demo", parts=((0, 9), (26, 37)))
        >>> ev.reslice(text) == ev.quote, [text[a:b] for a, b in ev.parts]
        (True, ['The force', 'works well.'])
        >>> Evidence("r", 4, 9, "quick", "demo").parts
        ((4, 9),)
        >>> Evidence("r", 0, 9, "x", "demo", parts=((2, 9),))
        Traceback (most recent call last):
        ValueError: evidence parts ((2, 9),) do not tile 0-9 in order
    """

    report: str
    start: int
    end: int
    quote: str
    rule: str
    section: str | None = None
    page: int | None = None
    parts: tuple[tuple[int, int], ...] = ()

    def __post_init__(self) -> None:
        if not self.parts:
            object.__setattr__(self, "parts", ((self.start, self.end),))
        elif self.parts[0][0] != self.start or self.parts[-1][1] != self.end or any(a > b for a, b in self.parts) \
                or any(p[1] > q[0] for p, q in zip(self.parts, self.parts[1:], strict=False)):
            raise ValueError(f"evidence parts {self.parts} do not tile {self.start}-{self.end} in order")

    def reslice(self, text: str) -> str:
        """The quote as cut from the file's ``text``: the parts' slices joined (equal to ``quote`` when the
        evidence is sound)."""
        return PART_SEPARATOR.join(text[a:b] for a, b in self.parts)


@dataclass(frozen=True)
class TemplateRef:
    """The template that read a report (``peelgraph.extract.templates``): its id, version and title."""

    id: str
    version: str
    title: str


@dataclass(frozen=True)
class ReportMeta:
    """What the template tells about a report as a whole."""

    id: str
    source: str
    sha256: str
    force: str
    force_slug: str
    pillar: str
    year: int
    publisher: str
    title: str
    force_evidence: Evidence | None = None
    year_evidence: Evidence | None = None
    template: TemplateRef | None = None
    forces: tuple[tuple[str, str], ...] = ()  # (slug, name) of every force judged, when a report judges several


@dataclass(frozen=True)
class Question:
    """A core question of the inspection, numbered as the report numbers it."""

    number: int
    text: str
    evidence: Evidence


@dataclass(frozen=True)
class Section:
    """A heading and the text under it; ``question`` is the core question it belongs to."""

    key: str
    heading: str
    level: str  # "question" | "subquestion" | "part"
    question: int | None
    start: int
    end: int
    evidence: Evidence


@dataclass(frozen=True)
class Judgement:
    """A graded judgement: ``question`` 0 is the overall judgement (of its pillar).

    ``pillar`` and ``force`` (a slug) are the judgement's own; None means the report's. A
    judgement ``carried_from`` a year was not made again: the question was not inspected that
    year and keeps the grade of the earlier inspection (which is then its previous grade).
    """

    question: int
    grade: str
    evidence: Evidence
    previous_grade: str | None = None
    previous_year: int | None = None
    previous_evidence: Evidence | None = None
    pillar: str | None = None
    force: str | None = None
    carried_from: int | None = None


@dataclass(frozen=True)
class Finding:
    """A judgement-bearing statement; recommendations may carry a deadline."""

    kind: str
    text: str
    question: int | None
    evidence: Evidence
    entities: tuple[str, ...] = ()
    deadline: dt.date | None = None
    parent: str | None = None
    quoted: bool = False
    curated: bool = False

    @property
    def key(self) -> str:
        """A stable key: kind-independent span of the evidence."""
        return f"{self.evidence.start}-{self.evidence.end}"


@dataclass(frozen=True)
class Footnote:
    """A footnote's number and text, and the entity key it defines, if any."""

    number: int
    text: str
    evidence: Evidence
    defines: str | None = None


@dataclass(frozen=True)
class Entity:
    """An organisation, collaboration, unit, programme, practice, power, system or role.

    ``key`` is stable: a shared concept's local name (``thrive``) or a slug of the label
    for a body of one force. ``concept`` is the shared concept it is (national scope) or
    is an instance of (local scope).
    """

    key: str
    label: str
    kind: str
    aliases: tuple[str, ...] = ()
    definition: str | None = None
    definition_evidence: Evidence | None = None
    concept: str | None = None
    scope: str = "local"
    mentions: tuple[Evidence, ...] = ()
    notes: tuple[str, ...] = ()
    curated: bool = False


@dataclass(frozen=True)
class Relation:
    """A typed, directed relation between two entity keys, stated by ``evidence``."""

    subject: str
    type: str
    object: str
    evidence: Evidence
    curated: bool = False


@dataclass(frozen=True)
class TextUnit:
    """A piece of a report's text as laid out: a sentence of the running text, a heading, a figure
    caption, a footnote or a table cell, with its exact quote and offsets (``evidence``), its normalised text and
    the entities it names (their keys), so that text which became no fact can still be found."""

    kind: str  # "sentence" | "heading" | "caption" | "footnote" | "cell"
    text: str
    evidence: Evidence
    mentions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Figure:
    """A number a report states: its value (as written, signed for a fall), unit, what it measures in the
    sentence's own words, whose it is (an entity key, or None when the sentence doesn't say), the
    comparison it is set against (a label such as ``England and Wales`` and that value) and its period."""

    value: str
    unit: str  # "count" | "percent" | "per 1,000 population" | "GBP" | "days" | "per year" ...
    measure: str
    evidence: Evidence
    entity: str | None = None
    comparator: str | None = None
    comparator_value: str | None = None
    period: str | None = None


@dataclass(frozen=True)
class Extraction:
    """Everything extracted from one report."""

    report: ReportMeta
    questions: tuple[Question, ...]
    sections: tuple[Section, ...]
    judgements: tuple[Judgement, ...]
    findings: tuple[Finding, ...]
    footnotes: tuple[Footnote, ...]
    entities: tuple[Entity, ...] = ()
    relations: tuple[Relation, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    units: tuple[TextUnit, ...] = ()
    figures: tuple[Figure, ...] = ()
