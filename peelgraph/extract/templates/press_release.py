"""The inspectorate's press release on PEEL assessments as a template: one page that may grade
several forces.

* each force's part opens with a sentence that grades a pillar: ``Avon and Somerset
  Constabulary’s effectiveness at keeping people safe and reducing crime is good`` (or
  ``... requires improvement``): that force's overall judgement of the pillar;
* a list follows (``The constabulary: • is ‘good’ at preventing crime ...; • ‘requires
  improvement’ at investigating crime ...``): each item grades one of the pillar's questions
  for that force; the same question text is the same question for every force;
* the year and pillar come from the page's title line (``PEEL: Police effectiveness 2016``),
  else the pillar from the sentences;
* a force outside the 43 is minted from the name the release gives it, with a warning.

How the build files it: **one report** (one file, one named graph) **with several forces'
judgements**. The report names every force it judges (``pg:force``, one per force) and each
judgement names its own force and pillar; the report's id is
``press-release-<pillar>-<year>-<digest of its forces>``. ``grades`` and ``grade-changes``
read the force from the judgement, so each force's grades sit beside its own reports'.

Example:
    >>> [m.group(2) for m in ITEM.finditer("• is ‘good’ at preventing crime; • ‘requires improvement’ at "
    ...                                    "investigating crime; and • is ‘good’ at tackling serious crime.")]
    ['preventing crime', 'investigating crime', 'tackling serious crime']
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

from peelgraph.errors import ReportError
from peelgraph.extract.templates.base import Structure, Vocabulary, reference
from peelgraph.extract.templates.peel_pillar import VOCABULARY
from peelgraph.extract.templates.reading import (
    BODY_NAME,
    ForceNamed,
    Reading,
    force_names,
    publisher_of,
    resolve_force,
    title_line,
)
from peelgraph.model import Judgement, Question, ReportMeta
from peelgraph.text.layout import Document
from peelgraph.vocab import GRADE_PHRASE, grade_slug

__all__ = ["PressRelease", "ITEM", "force_sentence"]

#: A list item that grades one question: ``is ‘good’ at preventing crime ...`` up to ``;`` or the end.
ITEM = re.compile(rf"(?:^|(?<=[•:;]))\s*(?:and\s+)?(?:is\s+)?[‘'“\"]?({GRADE_PHRASE})[’'”\"]?\s+(?:at|in)\s+"
                  r"([^;•]+?)\s*(?=;|\.(?:\s|$)|•|$)", re.I | re.M)
_PILLAR_NOUN = r"(effectiveness|efficiency|legitimacy)"


@lru_cache(maxsize=1)
def force_sentence() -> re.Pattern[str]:
    """A force's sentence grading a pillar: group 1 the force, 2 the pillar, 3 (or 4) the grade."""
    _, alt = force_names()
    return re.compile(
        rf"(?:\b(?i:the)\s+)?\b({alt}|{BODY_NAME})[’']s?\s+(?i:{_PILLAR_NOUN} (?:at|in) keeping people safe and "
        rf"reducing crime (?:is (?:judged (?:to be |as )?)?({GRADE_PHRASE})|(requires improvement)))\b")


@dataclass(frozen=True)
class PressRelease:
    """The inspectorate's press release on one or more forces' PEEL grades."""

    id: str = "press-release-2014"
    version: str = "1.0"
    title: str = "The inspectorate's press release on PEEL assessments (one or several forces)"
    looks_for: str = "sentences \"X's effectiveness at keeping people safe and reducing crime is good\""
    vocabulary: Vocabulary = VOCABULARY

    def detect(self, doc: Document) -> float:
        """1 for a text with at least one force's sentence grading a pillar; else 0."""
        return 1.0 if force_sentence().search(doc.norm) else 0.0

    def read(self, doc: Document) -> Structure:
        """Read each force's overall judgement and its questions' grades.

        Raises:
            ReportError: no force's grade is stated, or the year cannot be told.
        """
        r = Reading(doc, self.vocabulary)
        parts = list(force_sentence().finditer(doc.norm))
        if not parts:
            raise ReportError("not a press release on PEEL grades (no force's grade is stated)", path=doc.path)
        titled = title_line(doc)
        if titled is None or titled[1] is None:
            raise ReportError("cannot tell the year of the inspection (the release has no PEEL title line)",
                              path=doc.path)
        year = titled[1]
        pillars = {m.group(2).lower() for m in parts}
        pillar = titled[0] or (pillars.pop() if len(pillars) == 1 else "peel")
        named: dict[str, ForceNamed] = {}
        of_part: list[ForceNamed] = []
        for m in parts:
            name = re.sub(r"\s+", " ", m.group(1))
            f = next((x for x in named.values() if x.name == name), None) or \
                resolve_force(name, r, r.sentence_span(m.start(1)))
            assert f is not None
            named.setdefault(f.slug, f)
            of_part.append(f)
        forces = list(named.values())
        digest = hashlib.sha1("|".join(sorted(named)).encode("utf-8")).hexdigest()[:8]
        rid = f"press-release-{pillar}-{year}-{digest}"
        r = r.for_report(rid)
        publisher = publisher_of(doc.norm, year) or ("HMICFRS" if year >= 2018 else "HMIC")
        first = forces[0]
        meta = ReportMeta(
            rid, doc.path, doc.sha256, first.name, first.slug, pillar, year, publisher,
            f"PEEL: Police {pillar} {year} – press release on {len(forces)} force(s): "
            + ", ".join(f.name for f in forces),
            r.evidence(first.span, "structure.force") if first.span else None,
            r.evidence(titled[3], "structure.year") if titled[3] else None,
            template=reference(self), forces=tuple((f.slug, f.name) for f in forces) if len(forces) > 1 else ())
        questions: dict[str, Question] = {}
        judgements: list[Judgement] = []
        for k, (m, force) in enumerate(zip(parts, of_part, strict=True)):
            own = m.group(2).lower()
            span = doc.span(m.start(), max(m.end(), r.sentence_span(m.start()).nend))
            grade = grade_slug(m.group(3) or m.group(4))
            judgements.append(Judgement(0, grade, r.evidence(span, "structure.force-grade"),
                                        pillar=None if own == pillar else own, force=force.slug))
            end = parts[k + 1].start() if k + 1 < len(parts) else _end_of_list(doc.norm, m.end())
            for item in ITEM.finditer(doc.norm, m.end(), end):
                area = re.sub(r"\s+", " ", item.group(2)).strip()
                key = area.lower()
                if key not in questions:
                    qspan = doc.span(item.start(2), item.end(2))
                    questions[key] = Question(len(questions) + 1, area, r.evidence(qspan, "structure.question"))
                ispan = doc.span(item.start(), item.end(2))
                judgements.append(Judgement(questions[key].number, grade_slug(item.group(1)),
                                            r.evidence(ispan, "structure.force-question-grade"),
                                            pillar=None if own == pillar else own, force=force.slug))
        return Structure(meta, tuple(questions.values()), (), tuple(judgements), (), (), tuple(r.warnings), ())


def _end_of_list(norm: str, start: int) -> int:
    """Where the last force's list ends: at a heading-like ``Notes to editors`` or the end of the text."""
    m = re.search(r"(?i)\bnotes to editors\b", norm[start:])
    return start + m.start() if m else len(norm)
