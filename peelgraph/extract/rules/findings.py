"""The finding rules, in the order they run (:data:`FINDING_RULES`), and :func:`judge`.

* ``findings.template``: the template's areas for improvement, recommendations and causes of
  concern, unchanged (their evidence names the structure rule that found them), with the
  entities they mention;
* ``findings.strength`` and ``findings.weakness``: every other sentence of the overview or of
  a core-question section that judges (:func:`judge`). What does not judge the force is
  masked first (quoted names, purpose clauses, embedded questions, the force's own account,
  an earlier judgement recalled). The clause that decides is read: after a contrast
  ("however", "but", "although") the clause after it, or the conceded clause when the one
  after holds no judging word; its judging words are weighed (strong words such as "good",
  "poor", "strength" count twice), each turned round by a negation before it ("not", "no
  longer", "fails to", "lack of"), praise turned round by a hedging modal ("could be
  improved") and blame by a remedy ("reduced its backlog"); an instruction ("should") counts
  only when the force is told. Positive makes a strength, negative a weakness, zero is
  neutral; a sentence opening with "However" and no judging word turns from the sentence
  before. Descriptions are neutral: headings, grade lines, figure notes, questions,
  statistics judged with no strong word, sentences about the inspection's method (unless
  they say what was found) or the report, statements of general expectation, definition,
  importance or reason ("It is important that", "A profile gives", "This is because"),
  forces in general as the subject, a past inspection (unless the force's present is
  judged) or a hypothetical; a section's opening after a question heading (up to the first
  sentence about the force), the end matter ("Next steps", annexes) and a sentence a
  template finding covers are skipped.

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


def _re(name: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{_words(name)})\b", re.I)


#: The judging words: (pattern, sign, weight).
_CUES = ((_re("positive-strong"), 1, 2), (_re("positive"), 1, 1),
         (_re("negative-strong"), -1, 2), (_re("negative"), -1, 1))
_NEGATOR = re.compile(rf"\b(?:{_words('negators')})\b|n[’']t\b", re.I)
_WEAK_NEGATOR = _re("weak-negators")
_LEXICAL_NEGATOR = _re("lexical-negators")
_MODAL = _re("counterfactual-modals")
_DIMINISHER = _re("diminishers")
_REMEDY = _re("remedies")
_EMBEDDED = re.compile(r"\b(?:which|that|whether|how|when|where|what|who|whom)\b[^,;:]*$", re.I)
_PASSIVE = re.compile(r"^\s+(?:not\s+)?(?:be|have been)\s+\w+(?:ed|en|wn)\b", re.I)
_DIRECTIVE = re.compile(rf"\b(?:{_words('directives')})\b", re.I)
_EXPECTATION = re.compile(rf"\bshould (?:{_words('expectation-verbs')})\b", re.I)
_SKIP = re.compile(rf"^(?:{_words('method-openings')})", re.I)
_METHOD = re.compile(rf"^(?:{_words('method-sentences')})", re.I)
_FOUND = _re("found")
_GENERIC_OPENING = re.compile(rf"^(?:{_words('generic-openings')})", re.I)
_FIGURE = re.compile(rf"(?:{_words('figures')}|{_words('figure-references')})", re.I)
_IMPORTANCE = re.compile(rf"^(?:{_words('importance')})", re.I)
_AGENT = re.compile(rf"\b(?:{_words('agents')})\b", re.I)
_ELLIPSIS = re.compile(r"\b(?:\w+ly|still|also|now|yet|and|but)\b|[^\w]")
#: Where a masked clause stops: a clause boundary or a contrast.
_CLAUSE_STOP = r"(?=[,;:().]|\b(?:but|however|although|whereas|while)\b|$)"
_QUOTED = re.compile(r"[‘“][^’”]{1,300}[’”]|(?<![\w’'])'[^']{1,300}'(?!\w)")
_PURPOSE = re.compile(rf"\b(?:{_words('purposes')})\b.*?{_CLAUSE_STOP}", re.I)
_HOW = re.compile(rf"\b(?:{_words('how-clauses')})\b.*?{_CLAUSE_STOP}", re.I)
_EVALUATED = re.compile(rf"\b(?:{_words('evaluation-topics')})(success\w*|effective\w*)", re.I)
_ATTRIBUTION = re.compile(rf"\b(?:{_words('attributions')}).*?(?=,\s*(?:and|but)\b|;|$)", re.I)
_BACKGROUND = re.compile(rf"(?:{_words('backgrounds')}).*$", re.I)
_SUBORDINATE_OPENING = re.compile(rf"^(?:{wl.alternation(wl.words('judging', 'subordinating-contrasts'))})\b", re.I)
_SENTENCE_CONTRAST = re.compile(rf"^(?:\w+,?\s+)?(?:{_words('sentence-contrasts')})\b,?\s*", re.I)
_TURNING = re.compile(rf"^(?:\w+,?\s+)?(?:{_words('turning-contrasts')})\b,?\s*", re.I)
_CONDITION = re.compile(rf"^(?:{_words('procedure-conditions')})\b", re.I)
_TURNING_WORD = re.compile(rf"\b(?:{_words('clause-contrasts')})", re.I)
_MID_CONTRAST = re.compile(rf"(?:,\s*|\s)(?:{_words('clause-contrasts')})\s+|,\s*(?:{_words('comma-contrasts')})\s+",
                           re.I)
#: A negation, modal or remedy reaches this many words ahead, within its clause.
_REACH = 5
_CLAUSE_END = re.compile(r"[,;:()…]|\b(?:that|which|who|and|or|because|when|where|if)\b", re.I)
_GENERAL = re.compile(rf"^(?:{_words('general-subjects')})", re.I)
_PAST = re.compile(rf"\b(?:{_words('past-inspections')})\b", re.I)
_PRESENT = re.compile(rf"(?:{_words('present-judgements')})", re.I)
_END_MATTER = re.compile(rf"^(?:{_words('end-matter')})")
_SECTION_ENDER = re.compile(rf"(?:{_words('section-enders')})", re.I)
_HYPOTHETICAL = re.compile(rf"^(?:This|That|These|It|Such \w+) (?:{_words('hypothetical-modals')})\b")


@dataclass(frozen=True)
class _Cue:
    """A judging word in a clause: where it is, its sign (+1 praise, -1 blame) and weight."""

    start: int
    end: int
    sign: int
    weight: int


def _cues(text: str) -> list[_Cue]:
    """The judging words of a text, longest first where two overlap, in text order."""
    found = [_Cue(m.start(), m.end(), sign, weight) for rx, sign, weight in _CUES for m in rx.finditer(text)]
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    out: list[_Cue] = []
    for c in found:
        if out and c.start < out[-1].end:
            continue
        out.append(c)
    return out


def _reaches(text: str, end: int, start: int) -> bool:
    """Whether a word ending at ``end`` reaches a cue starting at ``start``: at most
    :data:`_REACH` words apart, with no clause boundary between."""
    gap = text[end:start]
    return len(gap.split()) <= _REACH and not _CLAUSE_END.search(gap)


def _score(text: str) -> tuple[int, int]:
    """The polarity of one clause, and the heaviest cue weight in it.

    Each judging word counts its weight, turned round by a negation or a diminisher within
    reach before it ("not effective", "less effective"), by a counterfactual modal when it
    praises ("could be improved"), by a remedy when it blames ("reduced its backlog").
    Praise after a directive ("should ensure that ... effective") is what is asked for and
    does not count; a directive in a subordinate clause or the passive ("which officers
    should use", "should be rescored") describes a procedure, and "should help", "should
    lead to" state an expectation: neither counts. A negation that turns nothing blames by
    itself: a lexical one ("fails to", "lack of") with weight 2, "not" or "no" with weight 1.
    """
    cues = _cues(text)
    directive = next((m for m in _DIRECTIVE.finditer(text) if not _EXPECTATION.match(text, m.start())), None)
    ops: list[tuple[int, int, str]] = [(m.start(), m.end(), "neg") for m in _NEGATOR.finditer(text)]
    ops += [(m.start(), m.end(), "weak") for m in _WEAK_NEGATOR.finditer(text)]
    ops += [(m.start(), m.end(), "lex") for m in _LEXICAL_NEGATOR.finditer(text)]
    ops += [(m.start(), m.end(), "modal") for m in _MODAL.finditer(text)]
    ops += [(m.start(), m.end(), "dim") for m in _DIMINISHER.finditer(text)]
    ops += [(m.start(), m.end(), "remedy") for m in _REMEDY.finditer(text)]
    ops = [o for o in ops if not any(c.start <= o[0] < c.end for c in cues)]  # "no longer" in a cue
    used: set[int] = set()
    total, heaviest = 0, 0
    for c in cues:
        sign = c.sign
        for i, (_a, b, what) in sorted(enumerate(ops), key=lambda x: -x[1][0]):
            if b > c.start or not _reaches(text, b, c.start):
                continue
            if what in ("neg", "lex", "dim", "weak"):
                sign = -sign
                used.add(i)
            elif (what == "modal" and sign > 0) or (what == "remedy" and sign < 0):
                sign = -sign
            break
        if sign > 0 and directive is not None and c.start >= directive.end():
            continue  # praise after "should ensure", "must make sure": what is asked for
        if _DIRECTIVE.fullmatch(text[c.start:c.end]) and not _directs_the_force(text, c.start):
            continue  # "the model should ensure", "any interpretation should take into account": an expectation
        if _DIRECTIVE.fullmatch(text[c.start:c.end]) and (_EMBEDDED.search(text[:c.start])
                                                           or _PASSIVE.match(text[c.end:])
                                                           or _EXPECTATION.match(text, c.start)):
            continue  # "messages which should be made public": a procedure; "should help": an expectation
        total += sign * c.weight
        heaviest = max(heaviest, c.weight)
    for i, (_a, _b, what) in enumerate(ops):
        if i not in used and what in ("neg", "lex"):
            w = 2 if what == "lex" else 1
            total -= w
            heaviest = max(heaviest, w)
    return total, heaviest


def _mask(text: str) -> str:
    """A sentence with what does not judge the force taken out: quoted names ('evidential
    difficulties prevent further action'), purpose clauses ("designed to ensure ..."),
    embedded questions ("how to communicate effectively"), the judging word a verb of
    evaluating takes as object ("evaluate the success of"), the force's own account ("the
    force told us that ...") and an earlier judgement recalled (", when we judged ...").
    Each is replaced by "…", a boundary no negation reaches across (and no comma, which would
    split the sentence's clauses elsewhere).

    Example:
        >>> _mask("Procedures are designed to ensure that calls are answered promptly.")
        'Procedures are ….'
        >>> _mask("It is not measuring the success of its projects, but it plans well.")
        'It is not measuring the … of its projects, but it plans well.'
    """
    t = _QUOTED.sub("…", text)
    t = _BACKGROUND.sub("…", t)
    t = _ATTRIBUTION.sub("…", t)
    t = _EVALUATED.sub(lambda m: m.group(0)[:m.start(1) - m.start()] + "…", t)
    t = _PURPOSE.sub("…", t)
    return _HOW.sub("…", t)


def _directs_the_force(text: str, at: int) -> bool:
    """Whether an instruction at ``at`` ("should", "must", "needs to") is addressed to the force
    or a part of it: an agent (:data:`_AGENT`) before it in the clause, or no subject at all
    ("..., but needs to improve", "it still needs to")."""
    before = text[:at]
    return bool(_AGENT.search(before)) or not _ELLIPSIS.sub("", before)


def _deciding(text: str) -> tuple[str, str, bool]:
    """The clause that decides a sentence's polarity, the clause it is set against, and
    whether the contrast turns ("but", "however", "whereas") rather than concedes.

    "However, X" and "But X": X (the contrast is with the previous sentence); "Although X,
    Y" and "Despite X, Y": Y; "X, but Y", "X, although Y", "X however Y": Y, the clause
    after the contrast.
    """
    t = _SENTENCE_CONTRAST.sub("", text, count=1) if _SENTENCE_CONTRAST.match(text) else text
    conceded, turns = "", False
    if _SUBORDINATE_OPENING.match(t) and "," in t:
        conceded, t = t.split(",", 1)
    ms = list(_MID_CONTRAST.finditer(t))
    if ms:
        m = ms[-1]
        conceded, t = t[:m.start()], t[m.end():]
        turns = bool(_TURNING_WORD.search(m.group(0)))
    return t, conceded, turns


def judge(sentence: str, previous: str | None = None) -> str | None:
    """``strength``, ``weakness`` or ``None`` (neutral: it describes, or does not judge).

    The clause that decides (:func:`_deciding`) is scored (:func:`_score`); when it holds no
    judging word, the sentence judges by the clause it concedes ("Although few staff are
    trained, the force considers them experienced": a weakness), except that praise before a
    turning "but" is turned ("The meetings are well run, but they deal almost entirely with
    the next day": a weakness). Neutral: questions,
    sentences about the inspection (unless they say what was found), statements of general
    expectation or definition, and statistics judged with nothing stronger than a weight-1
    word.

    A sentence that opens by turning ("However, ...") and holds no judging word judges the
    other way from the sentence before (``previous``: its kind, None when it did not judge),
    or as a shortfall after a sentence that did not judge.

    Example:
        >>> judge("The force works well with partners, but it needs to improve how it records outcomes.")
        'weakness'
        >>> judge("The unit no longer has a backlog of cases.")
        'strength'
        >>> judge("However, the two control rooms run different systems.", previous="strength")
        'weakness'
    """
    t = re.sub(r"\s+", " ", sentence).strip()
    if len(t) < 25 or t.endswith("?") or _SKIP.search(t) or _GENERIC_OPENING.match(t) or _IMPORTANCE.match(t):
        return None
    if _METHOD.match(t) and not _FOUND.search(t):
        return None
    decide, conceded, turns = _deciding(_mask(t))
    if _IMPORTANCE.match(decide.strip()) or _GENERIC_OPENING.match(decide.strip()):
        return None
    score, heaviest = _score(decide)
    if score == 0 and heaviest == 0 and conceded:
        score, heaviest = _score(conceded)
        if turns and score > 0:
            score = -score  # "X works well, but Y": Y, with no judging word, states a shortfall
    elif score == 0 and conceded:
        score, heaviest = _score(conceded)
    if score == 0 and heaviest == 0:
        return _turned(t, previous)
    if score == 0:
        return None
    if _FIGURE.search(t) and max(heaviest, _score(t)[1]) < 2:
        return None
    return "strength" if score > 0 else "weakness"


def _turned(text: str, previous: str | None) -> str | None:
    """The kind of a sentence with no judging word that opens by turning from the one before
    (:data:`_TURNING`): the other kind from ``previous``, a weakness after no judgement;
    ``None`` when it does not open so, or goes on to a condition ("However, if ...")."""
    m = _TURNING.match(text)
    if m is None or _CONDITION.match(text[m.end():]):
        return None
    return "strength" if previous == "weakness" else "weakness"


@dataclass(frozen=True)
class FindingContext:
    """What a finding rule reads: the document, its template, its entities, the spans the
    template's findings cover, the headings, and the word that names the report's force."""

    doc: Document
    st: Structure
    ents: EntitySet
    taken: tuple[tuple[int, int], ...]
    headings: tuple[tuple[int, int], ...]
    force_name: re.Pattern[str] | None

    @classmethod
    def of(cls, doc: Document, st: Structure, ents: EntitySet) -> FindingContext:
        """The context of a report."""
        force_name = re.compile(r"\b" + re.escape(st.meta.force.split()[0]) + r"\b") if st.meta.force else None
        return cls(doc, st, ents, tuple((f.evidence.start, f.evidence.end) for f in st.findings),
                   tuple((b.span.start, b.span.end) for b in doc.blocks if b.kind != "para"), force_name)

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
        """A sentence about forces in general (its subject), about a past inspection (unless
        its main verb judges the force now), or a hypothetical.

        Example:
            >>> ctx = FindingContext(None, None, None, (), (), None)  # type: ignore[arg-type]
            >>> ctx.generic("In co-operation with partners, forces must manage dangerous offenders.")
            True
            >>> ctx.generic("In our 2015 inspection, we found that the force lacked a plan.")
            True
            >>> ctx.generic("The force has responded well to our 2015 recommendations.")
            False
        """
        t = re.sub(r"\s+", " ", text).strip()
        if (_PAST.search(t) and not _PRESENT.search(t)) or _HYPOTHETICAL.search(t):
            return True
        if re.search(r"\d+(?:\.\d+)? (?:\d+(?:\.\d+)? ){2,}", t):
            return True  # a flattened table
        return bool(_GENERAL.match(t))

    def ends_opening(self, text: str) -> bool:
        """Whether a sentence is about the force inspected (its name, "the force" acting) or
        about what the inspectors found: the end of a section's opening on forces in general."""
        t = re.sub(r"\s+", " ", text)
        return bool(self.force_name is not None and self.force_name.search(t)) or bool(_SECTION_ENDER.search(t))


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
    """``(sentence, question, text, kind)`` of every judging sentence no template finding covers.

    Skipped: sentences before the first core question or from the end matter on ("Next
    steps", the annexes), headings, and a section's opening after a question heading (what
    forces in general should do) up to the first sentence about the force inspected.
    """
    opening = False
    heading_ends = sorted(b for _a, b in ctx.headings)
    last_heading = -1
    previous: str | None = None
    for s in ctx.doc.sentences:
        q = ctx.st.question_at(s.nstart)
        if q is None:
            continue
        text = ctx.doc.display(s)
        if _END_MATTER.match(text.strip()):
            return
        if any(a < s.end and s.start < b for a, b in ctx.taken) or any(a <= s.start < b for a, b in ctx.headings):
            continue
        ends = [b for b in heading_ends if b <= s.start]
        if ends and ends[-1] != last_heading:
            last_heading, previous = ends[-1], None
            head = next(a for a, b in ctx.headings if b == last_heading)
            opening = ctx.doc.text[head:last_heading].rstrip().endswith("?")
        if opening and ctx.ends_opening(text):
            opening = False
        if opening or ctx.generic(text):
            previous = None
            continue
        kind = previous = judge(text, previous)
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
