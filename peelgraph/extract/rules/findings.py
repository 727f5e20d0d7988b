"""The finding rules, in the order they run (:data:`FINDING_RULES`), and :func:`judge`.

* ``findings.template``: the template's areas for improvement, recommendations and causes of
  concern, unchanged (their evidence names the structure rule that found them), with the
  entities they mention;
* ``findings.strength`` and ``findings.weakness``: every other sentence of the overview or of
  a core-question section that judges (:func:`judge`): positive cues make a strength,
  negative cues a weakness; when both occur, the clause after a contrast decides, then the
  majority. Headings, grade lines, figure notes, questions, statistics-only sentences,
  sentences about the inspection's method, forces in general, a past inspection or a
  hypothetical are skipped, and so is a sentence a template finding covers.

Each finding names the entities the sentence mentions (the anaphoric ``the force`` does not
count) and its question is ``Structure.question_at`` of the sentence. The judging words are
word lists (``wordlists/judging.toml``).

Example:
    >>> judge("The force has a good understanding of its communities.")
    'strength'
    >>> judge("Supervision is not always effective.")
    'weakness'
    >>> judge("The force has 800 officers.") is None
    True
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from peelgraph.extract import wordlists as wl
from peelgraph.extract.rules.base import Rule
from peelgraph.extract.structure import Structure
from peelgraph.model import Finding
from peelgraph.text.layout import Document, Span

if TYPE_CHECKING:  # entities imports the rules package
    from peelgraph.extract.entities import EntitySet

__all__ = ["FINDING_RULES", "FindingRule", "FindingContext", "judge"]


def _words(name: str) -> str:
    return wl.alternation(wl.patterns("judging", name) or wl.words("judging", name))


_POS = re.compile(rf"\b(?:{_words('positive')})\b", re.I)
_NEG = re.compile(rf"\b(?:{_words('negative')})\b|n[’']t\b", re.I)
_SKIP = re.compile(rf"^(?:{_words('method-openings')})", re.I)
_CONTRAST = re.compile(rf"\b(?:{_words('contrasts')})\b", re.I)
_SUBORDINATE = frozenset(wl.words("judging", "subordinating-contrasts"))
_GENERAL = re.compile(rf"\b(?:{_words('general-subjects')})\b", re.I)
_PAST = re.compile(rf"\b(?:{_words('past-inspections')})\b", re.I)
_HYPOTHETICAL = re.compile(rf"^(?:This|That|These|It|Such \w+) (?:{_words('hypothetical-modals')})\b")


def judge(sentence: str) -> str | None:
    """``strength``, ``weakness`` or ``None`` for a sentence, by its judging words.

    Example:
        >>> judge("The force works well with partners, but it needs to improve how it records outcomes.")
        'weakness'
    """
    t = re.sub(r"\s+", " ", sentence).strip()
    if len(t) < 25 or t.endswith("?") or _SKIP.search(t):
        return None
    pos, neg = len(_POS.findall(t)), len(_NEG.findall(t))
    if not pos and not neg:
        return None
    if pos and neg:
        contrasts = list(_CONTRAST.finditer(t))
        m = contrasts[-1] if contrasts else None
        if m is not None:
            head, tail = t[:m.start()], t[m.end():]
            lead = m.group(0).lower()
            # "Although X, Y": the main clause Y decides; "X, but/however Y": Y decides
            part = tail if lead not in _SUBORDINATE or m.start() > 0 else tail.split(",", 1)[-1]
            if lead in _SUBORDINATE and m.start() > 0:
                part = head
            p2, n2 = len(_POS.findall(part)), len(_NEG.findall(part))
            if p2 != n2:
                return "strength" if p2 > n2 else "weakness"
        return "weakness" if neg >= pos else "strength"
    return "strength" if pos else "weakness"


@dataclass(frozen=True)
class FindingContext:
    """What a finding rule reads: the document, its template, its entities, the spans the
    template's findings cover, the headings, and the words that name the report's force."""

    doc: Document
    st: Structure
    ents: EntitySet
    taken: tuple[tuple[int, int], ...]
    headings: tuple[tuple[int, int], ...]
    force_words: re.Pattern[str] | None

    @classmethod
    def of(cls, doc: Document, st: Structure, ents: EntitySet) -> FindingContext:
        """The context of a report."""
        force_words = re.compile(rf"\b(?:{_words('own-force')}|" + re.escape(st.meta.force.split()[0]) + r")\b",
                                 re.I) if st.meta.force else None
        return cls(doc, st, ents, tuple((f.evidence.start, f.evidence.end) for f in st.findings),
                   tuple((b.span.start, b.span.end) for b in doc.blocks if b.kind != "para"), force_words)

    def entities_in(self, start: int, end: int) -> tuple[str, ...]:
        """Keys of entities named (not anaphorically) in an original span."""
        read = self.ents.read_text
        if read is None:
            return ()
        keys: list[str] = []
        for m in self.ents.mentions:
            if m.anaphor or m.key in keys:
                continue
            if start <= read.omap[m.nstart] < end:
                keys.append(m.key)
        return tuple(keys)

    def generic(self, text: str) -> bool:
        """A sentence about forces in general, about a past inspection, or a hypothetical."""
        t = re.sub(r"\s+", " ", text)
        if _PAST.search(t) or _HYPOTHETICAL.search(t):
            return True
        if re.search(r"\d+(?:\.\d+)? (?:\d+(?:\.\d+)? ){2,}", t):
            return True  # a flattened table
        return bool(_GENERAL.search(t)) and (self.force_words is None or not self.force_words.search(t))


#: A finding rule: ``find(context)`` yields findings.
FindingRule = Rule[FindingContext, Finding]


class TemplateFindings:
    """The template's findings, with the entities they mention."""

    id = "findings.template"
    kind = "finding"
    description = "the template's areas for improvement, recommendations and causes of concern, with their entities"
    emits: tuple[str, ...] = ()  # their evidence names the structure rule that found them

    def find(self, ctx: FindingContext) -> Iterator[Finding]:
        """Each template finding (its entities filled in when it has none)."""
        for f in ctx.st.findings:
            if not f.entities and ctx.ents.read_text is not None:
                f = Finding(f.kind, f.text, f.question, f.evidence, ctx.entities_in(f.evidence.start, f.evidence.end),
                            f.deadline, f.parent, f.quoted, f.curated)
            yield f


def _judging_sentences(ctx: FindingContext) -> Iterator[tuple[Span, int, str, str]]:
    """``(sentence, question, text, kind)`` of every judging sentence no template finding covers."""
    for s in ctx.doc.sentences:
        q = ctx.st.question_at(s.nstart)
        if q is None:
            continue
        if any(a < s.end and s.start < b for a, b in ctx.taken) or any(a <= s.start < b for a, b in ctx.headings):
            continue
        text = ctx.doc.display(s)
        if ctx.generic(text):
            continue
        kind = judge(text)
        if kind is not None:
            yield s, q, text, kind


@dataclass(frozen=True)
class JudgingSentence:
    """Sentences that judge, of one kind (``strength`` or ``weakness``)."""

    finding_kind: str
    kind: str = "finding"

    @property
    def id(self) -> str:
        """``findings.<kind>``."""
        return f"findings.{self.finding_kind}"

    @property
    def description(self) -> str:
        """One line."""
        cue = "positive" if self.finding_kind == "strength" else "negative"
        return f"a sentence of the overview or a core question that judges with {cue} cues"

    @property
    def emits(self) -> tuple[str, ...]:
        """Its own id."""
        return (self.id,)

    def find(self, ctx: FindingContext) -> Iterator[Finding]:
        """A finding for each sentence that judges this way."""
        for s, q, text, kind in _judging_sentences(ctx):
            if kind == self.finding_kind:
                ev = ctx.doc.evidence(s, self.id, ctx.st.section_at(s.start))
                yield Finding(kind, re.sub(r"\s+", " ", text).strip(), q, ev, ctx.entities_in(s.start, s.end))


#: The finding rules in the order they run.
FINDING_RULES: tuple[FindingRule, ...] = (TemplateFindings(), JudgingSentence("strength"), JudgingSentence("weakness"))
