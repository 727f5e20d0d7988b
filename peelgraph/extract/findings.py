"""Findings: the template's areas for improvement, recommendations and causes of concern,
plus the strength and weakness sentences of the overview and the core-question sections.

Rules:

* template findings come from ``structure`` unchanged (their kind, question, deadline);
* every other sentence of the overview (question 0) or of a core-question section is a
  finding when it judges: a positive cue (``good``, ``well``, ``effective``, ``strong``,
  ``thorough``, ``impressive`` ...) makes a strength, a negative cue (``should``, ``must``,
  ``needs to``, ``not always``, ``inconsistent``, ``insufficient``, ``concern``, ``lack``,
  ``poor``, ``limited`` ...) a weakness; when both occur, the clause after a contrast
  (``however``, ``but``, ``although``) decides, then the majority;
* headings, grade lines, figure notes, questions and statistics-only sentences are skipped,
  as are sentences that restate the inspection's method or the general expectations of
  every force (``We expect ...``, ``Forces should ...``, ``HMIC assessed ...``);
* a sentence already covered by a template finding (its span overlaps) is not repeated;
* each finding names the entities the sentence mentions (keys; the anaphoric ``the force``
  does not count) and its question is ``Structure.question_at`` of the sentence.

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

from peelgraph.extract.entities import EntitySet
from peelgraph.extract.structure import Structure
from peelgraph.model import Finding
from peelgraph.text.layout import Document

__all__ = ["extract", "judge"]

_POS = re.compile(
    r"\b(?:good|well|effective(?:ly)?|strong(?:ly)?|thorough(?:ly)?|impressive|positive(?:ly)?|robust|"
    r"comprehensive|commend\w*|excellent|outstanding|encourag\w+|appropriate(?:ly)?|clear(?:ly)?|"
    r"committed|proactive(?:ly)?|improv(?:ed|ing|ement)|success(?:ful|fully)?|innovative|valu(?:ed|able)|"
    r"better|mature|efficient(?:ly)?|consistent(?:ly)?|prompt(?:ly)?|understand(?:s|ing)?|aware(?:ness)?|"
    r"confident|dedicated|focus(?:ed)?|priorit(?:y|ises?|ised)|benefit\w*|sound|effectiveness)\b", re.I)
_NEG = re.compile(
    r"\b(?:should|must|needs? to|need for|not|no|lack\w*|inconsistent(?:ly)?|insufficient(?:ly)?|concern\w*|"
    r"poor(?:ly)?|limited|weak(?:ness|nesses)?|fail\w*|unable|inadequate(?:ly)?|backlogs?|delays?|"
    r"unclear|little|few|absence|gaps?|risk of|worr\w+|disappoint\w*|reduc(?:ed|tion) in|decline\w*|"
    r"requires? improvement|only|yet to|difficult\w*|problem(?:s|atic)|overdue|unaware|below)\b|n[’']t\b",
    re.I)
_SKIP = re.compile(
    r"^(?:We expect|HMIC (?:expects?|assessed|inspected|has (?:examined|inspected))|In this (?:section|part)|"
    r"This (?:section|chapter|part)|Forces? (?:should|must|need)|Figure \d|Source:|For further|"
    r"Please see|The (?:following|next) )", re.I)
_CONTRAST = re.compile(r"\b(?:however|but|although|though|despite|while|whereas|yet)\b", re.I)


def judge(sentence: str) -> str | None:
    """``strength``, ``weakness`` or ``None`` for a sentence, by its judging words."""
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
            part = tail if lead not in {"although", "though", "despite", "while", "whereas"} or m.start() > 0 \
                else tail.split(",", 1)[-1]
            if lead in {"although", "though", "despite", "while", "whereas"} and m.start() > 0:
                part = head
            p2, n2 = len(_POS.findall(part)), len(_NEG.findall(part))
            if p2 != n2:
                return "strength" if p2 > n2 else "weakness"
        return "weakness" if neg >= pos else "strength"
    return "strength" if pos else "weakness"


def extract(doc: Document, st: Structure, ents: EntitySet) -> tuple[Finding, ...]:
    """The template findings and the judging sentences of a report, with entities and question."""
    unit = ents.unit
    template = list(st.findings)
    taken = [(f.evidence.start, f.evidence.end) for f in template]
    out = []
    for f in template:
        if not f.entities and unit is not None:
            keys = _entities_in(ents, f.evidence.start, f.evidence.end)
            f = Finding(f.kind, f.text, f.question, f.evidence, keys, f.deadline, f.parent, f.quoted, f.curated)
        out.append(f)
    force_words = re.compile(r"\b(?:the force|it|its|this force|the alliance|both forces|"
                             + re.escape(st.meta.force.split()[0]) + r")\b", re.I) if st.meta.force else None
    heads = [(b.span.start, b.span.end) for b in doc.blocks if b.kind != "para"]
    for s in doc.sentences:
        q = st.question_at(s.nstart)
        if q is None:
            continue
        if any(a < s.end and s.start < b for a, b in taken) or any(a <= s.start < b for a, b in heads):
            continue
        text = doc.display(s)
        if _generic(text, force_words):
            continue
        kind = judge(text)
        if kind is None:
            continue
        ev = doc.evidence(s, f"findings.{kind}", st.section_at(s.start))
        keys = _entities_in(ents, s.start, s.end)
        out.append(Finding(kind, re.sub(r"\s+", " ", text).strip(), q, ev, keys))
    out.sort(key=lambda f: (f.evidence.start, f.evidence.end))
    return tuple(out)


_GENERAL = re.compile(r"\b(?:forces|police forces|the police service|the police|officers and staff)\b", re.I)
_PAST = re.compile(r"\b(?:(?:in|during) (?:our|HMIC[’']s) (?:19|20)\d\d|HMIC[’']s (?:19|20)\d\d|in (?:19|20)\d\d,|"
                   r"last year[’']s (?:inspection|report))\b", re.I)
_HYPOTHETICAL = re.compile(r"^(?:This|That|These|It|Such \w+) (?:would|could|may|might)\b")


def _generic(text: str, force_words: re.Pattern[str] | None) -> bool:
    """A sentence about forces in general, about a past inspection, or a hypothetical."""
    t = re.sub(r"\s+", " ", text)
    if _PAST.search(t) or _HYPOTHETICAL.search(t):
        return True
    if re.search(r"\d+(?:\.\d+)? (?:\d+(?:\.\d+)? ){2,}", t):
        return True  # a flattened table
    return bool(_GENERAL.search(t)) and (force_words is None or not force_words.search(t))


def _entities_in(ents: EntitySet, start: int, end: int) -> tuple[str, ...]:
    """Keys of entities named (not anaphorically) in an original span."""
    unit = ents.unit
    if unit is None:
        return ()
    keys: list[str] = []
    for m in ents.mentions:
        if m.anaphor or m.key in keys:
            continue
        if start <= unit.omap[m.nstart] < end:
            keys.append(m.key)
    return tuple(keys)
