"""The PEEL template: force, year, pillar, questions, grades, sections, areas for
improvement, recommendations with deadlines, and footnotes.

Rules follow the inspectorate's template, never one report's sentences:

* the force is the one the report is "for" or "of" (``findings for X``, ``inspection of
  X``, ``X has been assessed as``), else the force named most often; force names come
  from ``ontology/forces.ttl`` (the 43 territorial forces);
* the pillar and year come from a title line (``PEEL: Police effectiveness 2016``) near
  the top, else from the introduction (``effectiveness inspection ... during 2016``);
* core questions are the numbered questions of the introduction, else headings phrased
  ``How effective is the force ...?`` that head a section with a ``Summary of findings``;
  a core question's section starts at the occurrence of its heading that is followed by
  prose (the overview table lists them too, followed by grades);
* a question's grade is the grade under its ``Summary of findings`` (authoritative); the
  overview table is read in order (questions, then grades) and compared with it;
* the overall judgement is the grade under ``Overall judgement``; the previous year's is
  read from a sentence of the overview that says ``last year`` and names a grade;
* areas for improvement are the statements under ``Areas for improvement`` that say what
  the force should, must or needs to do; a recommendation is a sentence with ``should``,
  ``must`` or ``recommend`` and a deadline (``by 1 May 2017``); a recommendation ending in
  a colon owns the list items that follow it (sub-actions), each with its own deadline
  where it states one; a recommendation the report quotes from another inspection
  (``A recommendation arising from that inspection ...``) is marked as quoted.

Example:
    >>> GRADE_WORDS.search("judged the force to require improvement").group(0)
    'require improvement'
    >>> grade_slug("Requires improvement")
    'requires-improvement'
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from peelgraph.errors import ReportError
from peelgraph.extract.vocabulary import forces
from peelgraph.model import Evidence, Finding, Footnote, Judgement, Question, ReportMeta, Section
from peelgraph.text.layout import Block, Document, Span
from peelgraph.vocab import GRADE_PHRASE, grade_slug

__all__ = ["Structure", "parse", "grade_slug", "GRADE_WORDS", "DEADLINE", "parse_date", "known_forces"]

GRADE_WORDS = re.compile(rf"\b({GRADE_PHRASE})\b", re.I)
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DEADLINE = re.compile(
    rf"\b(?:[Bb]y|[Bb]efore|[Nn]o later than|[Oo]n or before)\s+(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTHS})\s+(\d{{4}})\b"
)
_TITLE = re.compile(
    r"PEEL\s*:?\s*(?:Police\s+)?(effectiveness|efficiency|legitimacy|leadership)\s+(?:\([^)]*\)\s+)?(\d{4})", re.I
)
_TITLE_INTEGRATED = re.compile(r"PEEL\s*:?\s*(?:assessment\s+|inspection\s+)?((?:19|20)\d\d)\s*/\s*(\d\d)\b", re.I)
_SHOULD = re.compile(r"\b(should|must|needs? to|is required to|ought to)\b", re.I)


def parse_date(day: str, month: str, year: str) -> dt.date:
    """A date from its spelled parts (``1``, ``May``, ``2017``)."""
    return dt.date(int(year), _MONTHS.split("|").index(month) + 1, int(day))


def known_forces() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """``(slug, name, altLabels)`` of every force in ``ontology/forces.ttl``."""
    return forces()


@dataclass(frozen=True)
class Structure:
    """The report's template-level facts."""

    meta: ReportMeta
    questions: tuple[Question, ...]
    sections: tuple[Section, ...]
    judgements: tuple[Judgement, ...]
    findings: tuple[Finding, ...]  # areas for improvement and recommendations
    footnotes: tuple[Footnote, ...]
    warnings: tuple[str, ...]
    question_ranges: tuple[tuple[int, int, int], ...]  # (question, nstart, nend); 0 = overview

    def section_at(self, offset: int) -> str | None:
        """The key of the innermost section holding an original offset (None outside sections)."""
        return section_key_at(((s.start, s.end, s.key) for s in self.sections), offset)

    def question_at(self, nindex: int) -> int | None:
        """The core question whose section holds a normalised offset (0 = overview)."""
        for q, a, b in self.question_ranges:
            if a <= nindex < b:
                return q
        return None


class _Ctx:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.warnings: list[str] = []

    def ev(self, span: Span, rule: str, section: str | None = None) -> Evidence:
        return self.doc.evidence(span, rule, section)

    def sentence_span(self, nindex: int) -> Span:
        s = self.doc.sentence_at(nindex)
        if s is not None:
            return s
        for b in self.doc.blocks:
            if b.span.nstart <= nindex < b.span.nend:
                return b.span
        return self.doc.span(nindex, nindex + 1)


def _norm_q(s: str) -> str:
    s = s.lower().replace("’", "'").replace("‘", "'")
    s = re.sub(r"^overview\s*[–-]\s*", "", s)
    return re.sub(r"[^a-z0-9?]+", " ", s).strip()


def parse(doc: Document) -> Structure:
    """Read the template-level structure of a laid-out report.

    Raises:
        ReportError: the text is not a PEEL report (no inspectorate, pillar or question).
    """
    c = _Ctx(doc)
    norm = doc.norm
    headings = [(i, b) for i, b in enumerate(doc.blocks) if b.kind == "heading"]

    pillar, year, title, year_span = _pillar_year(c)
    publisher = _publisher(norm, year)
    questions, q_heads = _questions(c, headings)
    if not publisher or (pillar is None and not questions and not GRADE_WORDS.search(norm[:20000])):
        raise ReportError("not a PEEL inspection report (no inspectorate, pillar or core question found)",
                          path=doc.path)
    force, force_slug, force_span = _force(c)
    if force is None:
        raise ReportError("cannot tell which police force the report is about", path=doc.path)
    if pillar is None:
        c.warnings.append("the inspection pillar is not stated; recorded as 'peel'")
        pillar = "peel"
    if year is None:
        raise ReportError("cannot tell the year of the inspection", path=doc.path)
    report_id = f"{force_slug}-{pillar}-{year}"
    if pillar == "peel":
        title = f"{title or f'PEEL {year}'} – An inspection of {force}"
    else:
        title = f"PEEL: Police {pillar} {year} – An inspection of {force}"
    meta = ReportMeta(report_id, doc.path, doc.sha256, force, force_slug, pillar, year,
                      publisher, title, c.ev(force_span, "structure.force") if force_span else None,
                      c.ev(year_span, "structure.year") if year_span else None)
    c.doc = _rebind(doc, report_id)
    questions, q_heads = _questions(c, headings)  # again, so their evidence names the report

    ranges, start_block = _question_ranges(c, q_heads)
    sections = _sections(c, ranges, questions)
    section_of = _section_lookup(sections)
    judgements = _judgements(c, ranges, q_heads, start_block, section_of)
    listed = _template_findings(c, ranges, section_of)
    findings = listed + _recommendations(c, ranges, section_of, listed)
    footnotes = _footnotes(c)
    if not judgements:
        c.warnings.append("no grades found: the report has no graded judgement")
    return Structure(meta, tuple(questions), tuple(sections), tuple(judgements), tuple(findings),
                     tuple(footnotes), tuple(c.warnings), tuple(ranges))


def _rebind(doc: Document, report_id: str) -> Document:
    from dataclasses import replace

    return replace(doc, report=report_id)


def _publisher(norm: str, year: int | None) -> str | None:
    """HMICFRS or HMIC as the text names it; else, for a text that speaks of "HM Inspector" or PEEL,
    the inspectorate of the day (HMIC became HMICFRS in July 2017)."""
    if re.search(r"\bHMICFRS\b|Fire (?:&|and) Rescue Services", norm):
        return "HMICFRS"
    if re.search(r"\bHMIC\b|Inspectorate of Constabulary", norm):
        return "HMIC"
    if year and re.search(r"\bHM Inspector\b|\bPEEL\b", norm):
        return "HMICFRS" if year >= 2017 else "HMIC"
    return None


def _pillar_year(c: _Ctx) -> tuple[str | None, int | None, str | None, Span | None]:
    norm = c.doc.norm
    head = norm[:1500]
    m = _TITLE.search(head)
    if m:
        return m.group(1).lower(), int(m.group(2)), None, c.doc.span(m.start(), m.end())
    m2 = _TITLE_INTEGRATED.search(head)
    if m2:
        end_year = int(m2.group(1)[:2] + m2.group(2))  # "2021/22" is recorded as 2022, the year it ends
        return "peel", end_year, f"PEEL {m2.group(1)}/{m2.group(2)}", c.doc.span(m2.start(), m2.end())  # period
    # the introduction: the pillar named most often outside lists of pillars, and the year inspected
    intro_end = _intro_end(c)
    intro = norm[:intro_end]
    stripped = re.sub(r"(effectiveness|efficiency|legitimacy|leadership)(?:,\s*\w+)*,?\s+and\s+\w+", " ", intro,
                      flags=re.I)
    counts = Counter(w.lower() for w in re.findall(r"\b(effectiveness|efficiency|legitimacy|leadership)\b",
                                                   stripped, re.I))
    pillar = counts.most_common(1)[0][0] if counts else None
    # each pillar's overarching question: "How effective / efficient / legitimate is the force at ...?"
    over = re.search(r"\bHow (effective|efficient|legitimate|well led) is the (?:force|constabulary)\b", intro)
    if over:
        pillar = {"effective": "effectiveness", "efficient": "efficiency", "legitimate": "legitimacy",
                  "well led": "leadership"}[over.group(1)]
    year = None
    yspan = None
    for pat in (
        r"\b(?:inspection|inspected|assessed|fieldwork|examined)\b[^.]{0,80}?\b(?:during|in)\s+((?:19|20)\d\d)\b",
        rf"\bbetween\s+(?:{_MONTHS})\s+and\s+(?:{_MONTHS})\s+((?:19|20)\d\d)\b",
        r"\bPEEL\s*((?:19|20)\d\d)\b",
        r"\bpeel-?((?:19|20)\d\d)\b",
    ):
        ym = re.search(pat, intro)
        if ym:
            year = int(ym.group(1))
            yspan = c.sentence_span(ym.start(1))
            break
    if year is None:  # the introduction's footnotes ("HMIC assessed forces ... between September and December 2016")
        for fb in c.doc.footnotes:
            if fb.start > intro_end + 2000:
                break
            ym = re.search(rf"\bbetween\s+(?:{_MONTHS})\s+and\s+(?:{_MONTHS})\s+((?:19|20)\d\d)\b",
                           c.doc.text[fb.start:fb.end])
            if ym:
                year = int(ym.group(1))
                yspan = Span(0, 0, fb.start, fb.end)
                break
    return pillar, year, None, yspan


def _intro_end(c: _Ctx) -> int:
    for b in c.doc.blocks:
        if b.kind == "heading" and re.match(r"(?i)^(overview|force in numbers)", c.doc.display(b.span)):
            return b.span.nstart
    return min(len(c.doc.norm), 8000)


def _force(c: _Ctx) -> tuple[str | None, str, Span | None]:
    norm = c.doc.norm
    names: list[tuple[str, str]] = []
    for slug, name, alts in known_forces():
        names.append((name, slug))
        names.extend((a, slug) for a in alts if len(a) > 3)
    alt = "|".join(re.escape(n) for n, _ in sorted(names, key=lambda x: -len(x[0])))
    by_name = dict(names)
    name_re = rf"(?:the\s+)?({alt})"
    for pat in (
        rf"\bfindings for\s+{name_re}",
        rf"\binspection of\s+{name_re}",
        rf"{name_re}\s+(?:has been|was|is)\s+(?:assessed|judged|graded)\s+(?:as|to be)\b",
        rf"\b{name_re}\s*[–-]\s*PEEL\b",
        rf"\bPEEL\b[^\n]{{0,80}}\b{name_re}",
    ):
        m = re.search(pat, norm)
        if m:
            slug = by_name[m.group(1)]
            canonical = next(n for s, n, _ in known_forces() if s == slug)
            return canonical, slug, c.sentence_span(m.start(1))
    counts = Counter(m.group(1) for m in re.finditer(rf"\b({alt})\b", norm))
    if counts:
        name, _ = counts.most_common(1)[0]
        first = re.search(rf"\b{re.escape(name)}\b", norm)
        slug = by_name[name]
        canonical = next(n for s, n, _ in known_forces() if s == slug)
        c.warnings.append(f"the force was inferred as the one named most often ({canonical})")
        return canonical, slug, c.sentence_span(first.start()) if first else None
    return None, "", None


def _label(text: str) -> str:
    """The label part of a ``Label: Grade`` line."""
    return text.rsplit(":", 1)[0].strip()


def _inline_grade(text: str) -> str:
    return grade_slug(text.rsplit(":", 1)[1])


def _questions(c: _Ctx, headings: list[tuple[int, Block]]) -> tuple[list[Question], list[tuple[int, int]]]:
    """Core questions (or graded areas), and ``(number, block index)`` of every heading occurrence.

    Three general readings, tried in order: the introduction's numbered list of questions;
    headings ``How effective is/are the force ...?``; ``Area: Grade`` lines (web summaries
    and the 2021/22 template), numbered in order of appearance.
    """
    doc = c.doc
    listed: dict[int, tuple[str, Span]] = {}
    for m in re.finditer(r"(?:(?<=\s)|^)([1-9])\.\s+((?:How|To what extent)\b[^?]{10,200}\?)", doc.norm):
        n = int(m.group(1))
        if n not in listed and (n == 1 or n - 1 in listed):
            listed[n] = (m.group(2), doc.span(m.start(1), m.end(2)))
    candidates = [(bi, b) for bi, b in enumerate(doc.blocks) if b.kind in ("heading", "graded")]
    if not listed:
        order: dict[str, tuple[int, Span]] = {}
        for _, block in candidates:
            text = doc.display(block.span)
            if block.kind == "heading" and re.match(r"(?i)^how effective (is|are) (the )?(force|constabulary)", text) \
                    and not re.search(r"keeping people safe and reducing crime", text, re.I):
                order.setdefault(_norm_q(text), (len(order) + 1, block.span))
        if not order:
            for _, block in candidates:
                text = doc.display(block.span)
                if block.kind == "graded" and not re.match(r"(?i)^overall\b", text):
                    label = _label(text)
                    span = doc.span(block.span.nstart, block.span.nstart + len(label))
                    order.setdefault(_norm_q(label), (len(order) + 1, span))
        listed = {n: (doc.display(sp), sp) for n, sp in order.values()}
    by_text = {_norm_q(t): n for n, (t, _) in listed.items()}
    occurrences: list[tuple[int, int]] = []
    for bi, block in candidates:
        text = doc.display(block.span)
        key = _norm_q(_label(text) if block.kind == "graded" else text)
        if key in by_text:
            occurrences.append((by_text[key], bi))
    questions = [Question(n, re.sub(r"\s+", " ", t), c.ev(sp, "structure.question"))
                 for n, (t, sp) in sorted(listed.items())]
    return questions, occurrences


def _next_block_kind(c: _Ctx, bi: int) -> tuple[str, int]:
    j = bi + 1
    while j < len(c.doc.blocks) and c.doc.blocks[j].kind == "caption":
        j += 1
    return (c.doc.blocks[j].kind, j) if j < len(c.doc.blocks) else ("end", j)


def _is_cell(c: _Ctx, bi: int, heads: set[int]) -> bool:
    """A question occurrence that is a cell of a grade table or list, not a section heading."""
    kind, j = _next_block_kind(c, bi)
    if j in heads or kind == "end":
        return True
    if kind == "grade":
        kind2, k = _next_block_kind(c, j)
        return k in heads or kind2 in ("grade", "end")
    return c.doc.blocks[bi].kind == "graded" and kind == "graded"


def _question_ranges(c: _Ctx, q_heads: list[tuple[int, int]]) -> tuple[list[tuple[int, int, int]], dict[int, int]]:
    """``(question, nstart, nend)`` for each section (0 for the overview), and each section's heading block."""
    doc = c.doc
    heads = {bi for _, bi in q_heads}
    start_block: dict[int, int] = {}
    for n, bi in q_heads:  # the last occurrence that heads a section wins (tables and lists come first)
        if not _is_cell(c, bi, heads):
            start_block[n] = bi
    starts = sorted((doc.blocks[bi].span.nstart, n) for n, bi in start_block.items())
    end_all = len(doc.norm)
    for b in doc.blocks:
        if b.kind == "heading" and starts and b.span.nstart > starts[-1][0] and re.match(
                r"(?i)^(next steps|annex\b|about the data|conclusion)", doc.display(b.span)):
            end_all = b.span.nstart
            break
    ranges: list[tuple[int, int, int]] = []
    overview = next((b.span.nstart for b in doc.blocks if b.kind in ("heading", "graded")
                     and re.match(r"(?i)^(overview\b|overall (summary|judge?ment))", doc.display(b.span))), None)
    if overview is not None and starts and overview < starts[0][0]:
        ranges.append((0, overview, starts[0][0]))
    for k, (pos, n) in enumerate(starts):
        ranges.append((n, pos, starts[k + 1][0] if k + 1 < len(starts) else end_all))
    return ranges, start_block


def _sections(c: _Ctx, ranges: list[tuple[int, int, int]], questions: list[Question]) -> list[Section]:
    doc = c.doc
    out: list[Section] = []
    qtexts = {_norm_q(q.text) for q in questions}
    for q, a, b in ranges:
        heads = [blk for blk in doc.blocks if blk.kind in ("heading", "graded") and a <= blk.span.nstart < b]
        if q == 0:  # the overview's grade table repeats the core questions as cells, not headings
            heads = [h for h in heads if _norm_q(doc.display(h.span)) not in qtexts and h.kind == "heading"]
        for k, blk in enumerate(heads):
            end = heads[k + 1].span.nstart if k + 1 < len(heads) else b
            text = doc.display(blk.span)
            if k == 0:
                level = "question"
                key = f"q{q}" if q else "overview"
            else:
                level = "subquestion" if text.endswith("?") else "part"
                key = f"s{blk.span.start}"
            span_end = doc.span(blk.span.nstart, end)
            out.append(Section(key, text, level, q if q else 0, blk.span.start, span_end.end,
                               c.ev(blk.span, "structure.heading", key)))
    return out


def _section_lookup(sections: list[Section]) -> list[tuple[int, int, str]]:
    return sorted(((s.start, s.end, s.key) for s in sections), key=lambda x: (x[0], -x[1]))


def section_key_at(lookup: Iterable[tuple[int, int, str]], offset: int) -> str | None:
    """The innermost section key holding an original offset."""
    best = None
    for a, b, key in lookup:
        if a <= offset < b:
            best = key
    return best


def _grade_after(c: _Ctx, bi: int) -> tuple[str, Span] | None:
    blk = c.doc.blocks[bi]
    if blk.kind == "graded":
        return _inline_grade(c.doc.display(blk.span)), blk.span
    kind, j = _next_block_kind(c, bi)
    if kind == "grade":
        g = c.doc.blocks[j].span
        return grade_slug(c.doc.display(g)), c.doc.span(blk.span.nstart, g.nend)
    return None


def _judgements(c: _Ctx, ranges: list[tuple[int, int, int]], q_heads: list[tuple[int, int]],
                start_block: dict[int, int], section_of: list[tuple[int, int, str]]) -> list[Judgement]:
    doc = c.doc
    out: list[Judgement] = []
    # each section's grade: under its "Summary of findings", else right under its heading
    section_grades: dict[int, tuple[str, Span]] = {}
    for q, a, b in ranges:
        if q == 0:
            continue
        for bi, blk in enumerate(doc.blocks):
            if blk.kind == "heading" and a <= blk.span.nstart < b and \
                    re.match(r"(?i)^summary of findings", doc.display(blk.span)):
                g = _grade_after(c, bi)
                if g:
                    section_grades[q] = g
                    break
        if q not in section_grades and q in start_block:
            g = _grade_after(c, start_block[q])
            if g:
                section_grades[q] = g
    table = _grade_table(c, q_heads, start_block)
    overall = None
    for bi, blk in enumerate(doc.blocks):
        if blk.kind in ("heading", "graded") and re.match(r"(?i)^overall judge?ment", doc.display(blk.span)):
            overall = _grade_after(c, bi)
            if overall:
                break
    if overall:
        grade, span = overall
        prev = _previous(c, ranges, grade)
        out.append(Judgement(0, grade, c.ev(span, "structure.overall-grade", section_key_at(section_of, span.start)),
                             *prev))
    for q in sorted(set(section_grades) | set(table)):
        if q in section_grades:
            grade, span = section_grades[q]
            if q in table and table[q][0] != grade:
                c.warnings.append(f"question {q}: the overview table says {table[q][0]!r} but the section says "
                                  f"{grade!r}; the section's grade is used")
            rule = "structure.section-grade"
        else:
            grade, span = table[q]
            c.warnings.append(f"question {q}: no grade in its own section; the overview's is used")
            rule = "structure.overview-grade"
        out.append(Judgement(q, grade, c.ev(span, rule, section_key_at(section_of, span.start))))
    return out


def _grade_table(c: _Ctx, q_heads: list[tuple[int, int]], start_block: dict[int, int]) -> dict[int, tuple[str, Span]]:
    """Grades given outside the sections: ``Area: Grade`` lists, and the overview table read in order
    (its cells come out of order from PDFs: the questions in order, then the grades in order)."""
    doc = c.doc
    out: dict[int, tuple[str, Span]] = {}
    starts = set(start_block.values())
    for n, bi in q_heads:
        if bi not in starts and doc.blocks[bi].kind == "graded":
            out.setdefault(n, (_inline_grade(doc.display(doc.blocks[bi].span)), doc.blocks[bi].span))
    start = next((i for i, b in enumerate(doc.blocks) if b.kind == "heading"
                  and re.match(r"(?i)^overall summary", doc.display(b.span))), None)
    if start is None:
        return out
    head_q = {bi: n for n, bi in q_heads}
    qs: list[int] = []
    grades: list[Span] = []
    j = start + 1
    while j < len(doc.blocks) and doc.blocks[j].kind in ("heading", "grade", "caption"):
        blk = doc.blocks[j]
        if blk.kind == "heading" and j in head_q and j not in starts:
            qs.append(head_q[j])
        elif blk.kind == "grade":
            grades.append(blk.span)
        elif blk.kind == "heading":
            break
        j += 1
    if len(qs) != len(grades):
        if qs or grades:
            c.warnings.append(f"the overview table has {len(qs)} questions but {len(grades)} grades; not read")
        return out
    for q, g in zip(qs, grades, strict=True):
        out.setdefault(q, (grade_slug(doc.display(g)), g))
    return out


def _previous(c: _Ctx, ranges: list[tuple[int, int, int]], current: str) -> tuple[str | None, int | None,
                                                                                   Evidence | None]:
    doc = c.doc
    a, b = next(((x, y) for q, x, y in ranges if q == 0), (0, 0))
    for s in doc.sentences_in(a, b):
        text = doc.display(s)
        m = re.search(r"\blast year(?:[’']s)?\b", text, re.I)
        if not m or not re.search(r"\b(judged|assessed|graded|rated)\b", text, re.I):
            continue
        g = GRADE_WORDS.search(text, m.end()) or GRADE_WORDS.search(text[: m.start()])
        if g and (g.group(0).lower() != "good" or re.search(r"\b(?:be|as)\s+good\b", text, re.I)):
            return grade_slug(g.group(0)), _year(c) - 1, c.ev(s, "structure.previous-grade")
        if re.search(r"\b(same|unchanged|maintain(?:s|ed)?)\b", text, re.I):
            return current, _year(c) - 1, c.ev(s, "structure.previous-grade-same")
    return None, None, None


def _year(c: _Ctx) -> int:
    return int(re.search(r"-(\d{4})$", c.doc.report).group(1))  # type: ignore[union-attr]


def _question_of(ranges: list[tuple[int, int, int]], nindex: int) -> int | None:
    for q, a, b in ranges:
        if a <= nindex < b:
            return q
    return None


def _under(c: _Ctx, heading: str, through: str | None = None) -> Iterable[tuple[Block, list[Span]]]:
    """Paragraph blocks (and their sentences) under every heading matching ``heading``, continuing
    past headings matching ``through`` (a cause of concern's recommendations sit inside its part)."""
    doc = c.doc
    for i, blk in enumerate(doc.blocks):
        if blk.kind != "heading" or not re.match(heading, doc.display(blk.span), re.I):
            continue
        j = i + 1
        while j < len(doc.blocks) and (doc.blocks[j].kind in ("para", "caption") or through and
                                       doc.blocks[j].kind == "heading" and
                                       re.match(through, doc.display(doc.blocks[j].span), re.I)):
            if doc.blocks[j].kind == "heading":
                j += 1
                continue
            para = doc.blocks[j]
            j += 1
            if para.kind == "para":
                yield para, list(doc.sentences_in(para.span.nstart, para.span.nend))


def _template_findings(c: _Ctx, ranges: list[tuple[int, int, int]],
                       section_of: list[tuple[int, int, str]]) -> list[Finding]:
    """Areas for improvement, causes of concern and recommendations listed under their headings."""
    doc = c.doc
    out: list[Finding] = []
    for _para, sents in _under(c, r"^areas? for improvement$"):
        if not sents or not _SHOULD.search(doc.display(sents[0])) or doc.display(sents[0])[:1].islower():
            continue
        keep: list[Span] = []
        for s in sents:
            if keep and _is_recommendation(doc.display(s)):
                break
            keep.append(s)
        span = doc.span(keep[0].nstart, keep[-1].nend)
        out.append(Finding("area-for-improvement", doc.display(span), _question_of(ranges, span.nstart),
                           c.ev(span, "structure.area-for-improvement", section_key_at(section_of, span.start))))
    for para, sents in _under(c, r"^causes? (of|for) concern$", r"^recommendations?$"):
        if sents and not _SHOULD.search(doc.display(para.span)):
            span = para.span
            out.append(Finding("cause-of-concern", doc.display(span), _question_of(ranges, span.nstart),
                               c.ev(span, "structure.cause-of-concern", section_key_at(section_of, span.start))))
    for para, sents in _under(c, r"^recommendations?$"):
        text = doc.display(para.span)
        if sents and _SHOULD.search(text) and not text[:1].islower():
            d = DEADLINE.search(text)
            out.append(Finding("recommendation", text, _question_of(ranges, para.span.nstart),
                               c.ev(para.span, "structure.recommendation-listed",
                                    section_key_at(section_of, para.span.start)),
                               deadline=parse_date(*d.groups()) if d else None))
    return out


def _is_recommendation(text: str) -> bool:
    return bool(DEADLINE.search(text) and (_SHOULD.search(text) or re.search(r"recommend", text, re.I)))


def _recommendations(c: _Ctx, ranges: list[tuple[int, int, int]], section_of: list[tuple[int, int, str]],
                     listed: list[Finding]) -> list[Finding]:
    """Sentences in the sections that recommend something by a date (not already listed)."""
    doc = c.doc
    out: list[Finding] = []
    taken = [(f.evidence.start, f.evidence.end) for f in listed]
    lo = min((a for _, a, _ in ranges), default=0)
    hi = max((b for _, _, b in ranges), default=len(doc.norm))
    for s in doc.sentences:
        if not (lo <= s.nstart < hi) or any(a <= s.start < b for a, b in taken):
            continue
        text = doc.display(s)
        if not _is_recommendation(text) or text[:1].islower():
            continue
        d = DEADLINE.search(text)
        assert d is not None
        q = _question_of(ranges, s.nstart)
        quoted = bool(re.search(r"\b(?:arising from|\(Recommendation \d+\)|recommendation (?:was|made) (?:that|in))",
                                text, re.I))
        ev = c.ev(s, "structure.recommendation", section_key_at(section_of, s.start))
        parent = Finding("recommendation", text, q, ev, deadline=parse_date(*d.groups()), quoted=quoted)
        out.append(parent)
        if text.rstrip().endswith(":"):
            out.extend(_sub_actions(c, s, q, parent, section_of))
    return out


def _sub_actions(c: _Ctx, s: Span, q: int | None, parent: Finding,
                 section_of: list[tuple[int, int, str]]) -> list[Finding]:
    """The list items following a recommendation that ends in a colon (they start in lower case)."""
    doc = c.doc
    out = []
    idx = next(i for i, b in enumerate(doc.blocks) if b.span.nstart <= s.nstart < b.span.nend)
    for blk in doc.blocks[idx + 1:]:
        text = doc.display(blk.span)
        if blk.kind != "para" or not text[:1].islower():
            break
        d = DEADLINE.search(text)
        out.append(Finding("recommendation", text, q,
                           c.ev(blk.span, "structure.recommendation-sub-action",
                                section_key_at(section_of, blk.span.start)),
                           deadline=parse_date(*d.groups()) if d else None, parent=parent.key))
        if not re.search(r"[;,]\s*(?:and|or)?$", text):
            break
    return out


def _footnotes(c: _Ctx) -> list[Footnote]:
    doc = c.doc
    out = []
    for fb in doc.footnotes:
        span = Span(0, 0, fb.start, fb.end)
        text = re.sub(r"\s+", " ", doc.text[fb.start:fb.end]).strip()
        out.append(Footnote(fb.number, text, c.ev(span, "layout.footnote"), _defined_term(doc, fb, text)))
    return out


def _defined_term(doc: Document, fb: object, text: str) -> str | None:
    """The term a footnote defines: its subject phrase, when the body names it just before the reference."""
    ref = fb.reference  # type: ignore[attr-defined]
    if ref is None:
        return None
    m = re.match(r"^(?:\d+\s+)?(?:The |A |An )?[‘'“]?([^‘’'“”]{1,80}?)[’'”]?(?: concept| model| process)?"
                 r"(?: \(([^)]{2,60})\))?\s+(?:is|are|was|were|provides|brings|assesses|sets|has|have|describes)\b",
                 text)
    if not m:
        return None
    subject, paren = m.group(1).strip(), m.group(2)
    before = doc.text[max(0, ref - 80):ref].replace("\n", " ")
    before_l = before.lower()
    for cand in (subject, paren, re.sub(r"s$", "", subject)):
        if cand and len(cand) >= 2 and re.search(rf"\b{re.escape(cand.lower())}", before_l):
            return paren and subject and f"{subject} ({paren})" or subject
    # "ACR (long form)" — the acronym alone before the reference
    acr = re.match(r"^([A-Z][A-Za-z0-9]{1,9})\b", subject)
    if acr and re.search(rf"\b{re.escape(acr.group(1))}", before):
        return subject
    return None
