"""What every template of the inspectorate's reports reads alike: a text as a template reads it
(:class:`Reading`), the report's force, pillar, year and publisher, core questions and their
sections, grades, areas for improvement, causes of concern, recommendations with deadlines,
footnotes. Each template (``peel_pillar``, ``peel_risk``, ``peel_integrated``, ``peel_areas``,
``web_page``, ``press_release``) combines these with its own wording.

Rules follow the inspectorate's templates, never one report's sentences:

* the force is the one the title or opening names (``An inspection of X``, ``X – PEEL``,
  ``findings for X``, ``X has been assessed as``, a first line ``Kent 2016``), else the one the
  report is "for" or "of" anywhere, else the force named most often (with a warning). Names come
  from ``ontology/forces.ttl`` (the 43 territorial forces); a body the title names that is not one
  of them (British Transport Police, the National Crime Agency ...) is minted from the title, with
  a warning, and never swapped for a force named elsewhere;
* the pillar and year come from a title line (``PEEL: Police effectiveness 2016``) near
  the top, else from the introduction (``effectiveness inspection ... during 2016``);
* core questions are the numbered questions of the introduction, else headings phrased
  ``How effective is the force ...?`` that head a section with a ``Summary of findings``,
  else ``Area: Grade`` lines; a core question's section starts at the occurrence of its
  heading that is followed by prose (the overview table lists them too, followed by grades);
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
    >>> parse_date("1", "May", "2017")
    datetime.date(2017, 5, 1)
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from peelgraph.errors import ReportError
from peelgraph.extract.templates.base import Places, Vocabulary, section_key_at
from peelgraph.extract.vocabulary import forces
from peelgraph.model import Evidence, Finding, Footnote, Judgement, Question, Section
from peelgraph.text.layout import Block, Document, FootnoteBlock, Span
from peelgraph.vocab import GRADE_PHRASE, grade_slug

GRADE_WORDS = re.compile(rf"\b({GRADE_PHRASE})\b", re.I)
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DEADLINE = re.compile(
    rf"\b(?:[Bb]y|[Bb]efore|[Nn]o later than|[Oo]n or before)\s+(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTHS})\s+(\d{{4}})\b"
)
TITLE = re.compile(
    r"PEEL\s*:?\s*(?:Police\s+)?(effectiveness|efficiency|legitimacy|leadership)\s+(?:\([^)]*\)\s+)?(\d{4})", re.I
)
TITLE_INTEGRATED = re.compile(
    r"PEEL\s*:?\s*(?:assessment\s+|inspection\s+|(?:police\s+)?effectiveness,\s*efficiency\s+and\s+legitimacy\s+)?"
    r"((?:19|20)\d\d)\s*([/–-])\s*(\d\d)\b", re.I)
SHOULD = re.compile(r"\b(should|must|needs? to|is required to|ought to)\b", re.I)
_PILLAR_WORD = r"\b(effectiveness|efficiency|legitimacy|leadership)\b"
_PILLAR_LIST = r"(effectiveness|efficiency|legitimacy|leadership)(?:,\s*\w+)*,?\s+and\s+\w+"
OVERARCHING = r"\bHow (effective|efficient|legitimate|well led) is the (?:force|constabulary)\b"
PILLAR_OF_ADJECTIVE = {"effective": "effectiveness", "efficient": "efficiency", "legitimate": "legitimacy",
                        "well led": "leadership"}
_INSPECTED_IN = re.compile(
    r"\b(?:inspected|inspection of|visited|fieldwork)\b[^.]{0,60}?\b(?:in|during|between)\s+(?:[A-Za-z]+\s+){0,3}?"
    r"((?:19|20)\d\d)\b", re.I)
_BETWEEN_MONTHS = rf"\bbetween\s+(?:{MONTHS})\s+and\s+(?:{MONTHS})\s+((?:19|20)\d\d)\b"
_INTRO_YEAR = (
    r"\b(?:inspection|inspected|assessed|fieldwork|examined)\b[^.]{0,80}?\b(?:during|in)\s+((?:19|20)\d\d)\b",
    _BETWEEN_MONTHS,
    r"\bPEEL\s*((?:19|20)\d\d)\b",
    r"\bpeel-?((?:19|20)\d\d)\b",
)


def parse_date(day: str, month: str, year: str) -> dt.date:
    """A date from its spelled parts (``1``, ``May``, ``2017``)."""
    return dt.date(int(year), MONTHS.split("|").index(month) + 1, int(day))


def known_forces() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """``(slug, name, altLabels)`` of every force in ``ontology/forces.ttl``."""
    return forces()


@dataclass(frozen=True)
class Reading:
    """One text as the template reads it: the laid-out document, the template's wording, and the
    warnings the reading gathers (one list, shared by every copy of the reading, in order)."""

    doc: Document
    vocabulary: Vocabulary
    warnings: list[str] = field(default_factory=list)

    @property
    def places(self) -> Places:
        """Where the template puts things."""
        return self.vocabulary.places

    def for_report(self, report_id: str) -> Reading:
        """The same reading (and warnings), its evidence naming the report id."""
        return replace(self, doc=replace(self.doc, report=report_id))

    def evidence(self, span: Span, rule: str, section: str | None = None) -> Evidence:
        """Evidence for a span of the document."""
        return self.doc.evidence(span, rule, section)

    def grade_words(self) -> re.Pattern[str]:
        """A grade as running text writes it (``require improvement``)."""
        return re.compile(rf"\b({self.vocabulary.grade_phrase})\b", re.I)

    def sentence_span(self, nindex: int) -> Span:
        """The sentence holding a normalised offset, else its block, else the one character."""
        s = self.doc.sentence_at(nindex)
        if s is not None:
            return s
        for b in self.doc.blocks:
            if b.span.nstart <= nindex < b.span.nend:
                return b.span
        return self.doc.span(nindex, nindex + 1)

    def headed(self, pattern: str, kinds: tuple[str, ...] = ("heading",)) -> Iterable[tuple[int, Block]]:
        """``(index, block)`` of the blocks of these kinds whose text matches a pattern at its start."""
        for bi, blk in enumerate(self.doc.blocks):
            if blk.kind in kinds and re.match(pattern, self.doc.display(blk.span)):
                yield bi, blk


@dataclass(frozen=True)
class Identity:
    """What the report is: force, pillar, year, publisher, title, and where force and year are stated."""

    force: str
    force_slug: str
    pillar: str
    year: int
    publisher: str
    title: str
    force_span: Span | None
    year_span: Span | None

    @property
    def report_id(self) -> str:
        return f"{self.force_slug}-{self.pillar}-{self.year}"


@dataclass(frozen=True)
class QuestionLayout:
    """Where the questions' sections are: ranges, heading occurrences, each section's heading, sections by offset."""

    ranges: list[tuple[int, int, int]]
    q_heads: list[tuple[int, int]]
    start_block: dict[int, int]
    section_of: list[tuple[int, int, str]]


def norm_question(s: str) -> str:
    s = s.lower().replace("’", "'").replace("‘", "'")
    s = re.sub(r"^overview\s*[–-]\s*", "", s)
    return re.sub(r"[^a-z0-9?]+", " ", s).strip()


# --------------------------------------------------------------------------------------
# what the report is: pillar, year, publisher, force


def identify(r: Reading, has_questions: bool) -> Identity:
    """The report's force, pillar, year, publisher and title.

    Raises:
        ReportError: no inspectorate, or none of pillar, core question and grade; no force; no year.
    """
    doc = r.doc
    pillar, year, title, year_span = pillar_year(r)
    publisher = publisher_of(doc.norm, year)
    if not publisher or (pillar is None and not has_questions and not r.grade_words().search(doc.norm[:20000])):
        raise ReportError("not a PEEL inspection report (no inspectorate, pillar or core question found)",
                          path=doc.path)
    found = find_force(r)
    if found is None:
        raise ReportError("cannot tell which police force the report is about", path=doc.path)
    force, force_slug, force_span = found.name, found.slug, found.span
    if pillar is None:
        r.warnings.append("the inspection pillar is not stated; recorded as 'peel'")
        pillar = "peel"
    if year is None:
        raise ReportError("cannot tell the year of the inspection", path=doc.path)
    cycle = re.match(r"PEEL (\d{4})\D(\d\d)$", title or "")
    if cycle and year - int(cycle.group(1)) >= 2:  # a cycle of several years: the year this force was inspected
        m = next((m for m in _INSPECTED_IN.finditer(doc.norm) if int(cycle.group(1)) <= int(m.group(1)) <= year),
                 None)
        if m:
            year, year_span = int(m.group(1)), r.sentence_span(m.start(1))
            title = f"{title} (inspected {year})"
        else:
            r.warnings.append(f"the year this force was inspected is not stated; recorded as {year}, the year "
                              f"the {title} cycle ends")
    if pillar == "peel":
        title = f"{title or f'PEEL {year}'} – An inspection of {force}"
    else:
        title = f"PEEL: Police {pillar} {year} – An inspection of {force}"
    return Identity(force, force_slug, pillar, year, publisher, title, force_span, year_span)


def publisher_of(norm: str, year: int | None) -> str | None:
    """HMICFRS or HMIC as the text names it; else, for a text that speaks of "HM Inspector" or PEEL,
    the inspectorate of the day (HMIC became HMICFRS in July 2017)."""
    if re.search(r"\bHMICFRS\b|Fire (?:&|and) Rescue Services", norm):
        return "HMICFRS"
    if re.search(r"\bHMIC\b|Inspectorate of Constabulary", norm):
        return "HMIC"
    if year and re.search(r"\bHM Inspector\b|\bPEEL\b", norm):
        return "HMICFRS" if year >= 2017 else "HMIC"
    return None


def pillar_year(r: Reading) -> tuple[str | None, int | None, str | None, Span | None]:
    """``(pillar, year, title of an integrated report, where the year is stated)``: from a title line
    near the top, else from the introduction (and its footnotes)."""
    titled = title_line(r.doc)
    if titled:
        return titled
    end = intro_end(r)
    intro = r.doc.norm[:end]
    year, year_span = intro_year(r, intro, end)
    return intro_pillar(intro), year, None, year_span


def title_line(doc: Document) -> tuple[str | None, int | None, str | None, Span | None] | None:
    """Pillar and year from a title line (``PEEL: Police effectiveness 2016``; ``PEEL 2021/22``)."""
    head = doc.norm[:1500]
    m = TITLE.search(head)
    if m:
        return m.group(1).lower(), int(m.group(2)), None, doc.span(m.start(), m.end())
    m2 = TITLE_INTEGRATED.search(head)
    if m2:
        end_year = int(m2.group(1)[:2] + m2.group(3))  # "2021/22" is recorded as 2022, the year it ends
        period = f"PEEL {m2.group(1)}{m2.group(2)}{m2.group(3)}"
        return "peel", end_year, period, doc.span(m2.start(), m2.end())
    return None


def intro_pillar(intro: str) -> str | None:
    """The pillar named most often in the introduction outside lists of pillars; the pillar's
    overarching question (``How effective is the force ...``) decides when it is asked."""
    stripped = re.sub(_PILLAR_LIST, " ", intro, flags=re.I)
    counts = Counter(w.lower() for w in re.findall(_PILLAR_WORD, stripped, re.I))
    pillar = counts.most_common(1)[0][0] if counts else None
    over = re.search(OVERARCHING, intro)
    return PILLAR_OF_ADJECTIVE[over.group(1)] if over else pillar


def intro_year(r: Reading, intro: str, intro_end: int) -> tuple[int | None, Span | None]:
    """The year inspected, as the introduction states it, else as a footnote of the introduction
    does (``HMIC assessed forces ... between September and December 2016``)."""
    for pat in _INTRO_YEAR:
        ym = re.search(pat, intro)
        if ym:
            return int(ym.group(1)), r.sentence_span(ym.start(1))
    for fb in r.doc.footnotes:
        if fb.start > intro_end + 2000:
            break
        ym = re.search(_BETWEEN_MONTHS, r.doc.text[fb.start:fb.end])
        if ym:
            return int(ym.group(1)), Span(0, 0, fb.start, fb.end)
    return None, None


def intro_end(r: Reading) -> int:
    for _, b in r.headed(r.places.intro_end):
        return b.span.nstart
    return min(len(r.doc.norm), 8000)


@dataclass(frozen=True)
class ForceNamed:
    """A force as the report names it: its name and slug, where it is named, and whether it was
    minted from the title (a body the inspectorate inspects that is not one of the 43 forces)."""

    name: str
    slug: str
    span: Span | None
    minted: bool = False


#: A police body's name as titles write it: capitalised words ending in Police, Constabulary or
#: Crime Agency (British Transport Police, Ministry of Defence Police, Civil Nuclear Constabulary,
#: National Crime Agency), Police Service of Northern Ireland, Police Scotland.
BODY_NAME = (r"(?:(?!(?:Police|Constabulary)\b)[A-Z][\w’'&-]*[ \t]+(?:(?:of|and|the)[ \t]+)?){1,5}?"
             r"(?:Police|Constabulary|Crime[ \t]+Agency)\b"
             r"|Police[ \t]+Service[ \t]+of[ \t]+Northern[ \t]+Ireland\b|Police[ \t]+Scotland\b")


@lru_cache(maxsize=1)
def force_names() -> tuple[dict[str, str], str]:
    """Every name and other name of the 43 forces (longer than 3 characters) with its slug, and a
    regular expression of them, longest first."""
    names: dict[str, str] = {}
    for slug, name, alts in known_forces():
        names.setdefault(name, slug)
        for a in alts:
            if len(a) > 3:
                names.setdefault(a, slug)
    alt = "|".join(re.escape(n) for n in sorted(names, key=lambda n: (-len(n), n)))
    return names, alt


@lru_cache(maxsize=1)
def short_force_names() -> dict[str, str]:
    """A force's name without its last word (``Kent`` for Kent Police, ``Avon and Somerset`` for Avon and
    Somerset Constabulary), as force pages head themselves (``Kent 2016``)."""
    out: dict[str, str] = {}
    for slug, name, _ in known_forces():
        short = re.sub(r"\s+(?:Police(?:\s+Service)?|Constabulary)$", "", name)
        if short != name:
            out.setdefault(short, slug)
    return out


def slugify(name: str) -> str:
    """A slug of a name (``British Transport Police`` -> ``british-transport-police``).

    Example:
        >>> slugify("Ministry of Defence Police")
        'ministry-of-defence-police'
    """
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("’", "").replace("'", "")).strip("-")


def resolve_force(name: str, r: Reading, span: Span | None, *, mint: bool = True) -> ForceNamed | None:
    """A named body as a force: one of the 43 (by any of its names, in any case), else, when ``mint``,
    minted from the name with a warning (never swapped for another force)."""
    name = re.sub(r"\s+", " ", name.strip())
    name = re.sub(r"^the\s+", "", name, flags=re.I)
    names, _ = force_names()
    lowered = {n.lower(): s for n, s in names.items()}
    slug = names.get(name) or lowered.get(name.lower())
    if slug is not None:
        return ForceNamed(canonical_force(slug), slug, span)
    if not mint:
        return None
    r.warnings.append(f"{name} is not one of the 43 territorial police forces (ontology/forces.ttl); "
                      "recorded under the name the text gives it")
    return ForceNamed(name, slugify(name), span, minted=True)


def find_force(r: Reading) -> ForceNamed | None:
    """The force the report is about: the one its title or opening names (a body outside the 43 is
    minted from it), else the one it is "for" or "of" anywhere, else the one named most often (with a
    warning); None when no force is named."""
    norm = r.doc.norm
    names, alt = force_names()
    opening_end = max(min(len(norm), 1500), min(intro_end(r), 4000))
    named = rf"(?:the\s+)?({alt}|{BODY_NAME})"
    titled = (
        rf"\bAn inspection of\s+{named}",
        rf"(?m)^\s*{named}\s*[–-]\s*PEEL\b",
        rf"\bPEEL\b[^\n]{{0,80}}?\s[–-]\s+{named}",
        rf"\bfindings for\s+{named}",
        rf"\binspection of\s+{named}",
        rf"{named}\s+(?:has been|was|is)\s+(?:assessed|judged|graded)\s+(?:as|to be)\b",
    )
    for pat in titled:
        m = re.search(pat, norm[:opening_end])
        if m:
            return resolve_force(m.group(1), r, r.sentence_span(m.start(1)))
    short = "|".join(re.escape(n) for n in sorted(short_force_names(), key=lambda n: (-len(n), n)))
    m = re.match(rf"\s*({short})[ \t]+((?:19|20)\d\d)[ \t]*(?:\r?\n|$)", r.doc.text)  # a page's first line
    if m:
        slug = short_force_names()[m.group(1)]
        return ForceNamed(canonical_force(slug), slug, Span(0, 0, m.start(1), m.end(2)))
    known = rf"(?:the\s+)?({alt})"
    for pat in (rf"\bfindings for\s+{known}", rf"\binspection of\s+{known}",
                rf"{known}\s+(?:has been|was|is)\s+(?:assessed|judged|graded)\s+(?:as|to be)\b",
                rf"\b{known}\s*[–-]\s*PEEL\b", rf"\bPEEL\b[^\n]{{0,80}}\b{known}"):
        m = re.search(pat, norm)
        if m:
            return resolve_force(m.group(1), r, r.sentence_span(m.start(1)))
    counts = Counter(m.group(1) for m in re.finditer(rf"\b({alt})\b", norm))
    if counts:
        name, _ = counts.most_common(1)[0]
        first = re.search(rf"\b{re.escape(name)}\b", norm)
        slug = names[name]
        r.warnings.append(f"the force was inferred as the one named most often ({canonical_force(slug)})")
        return ForceNamed(canonical_force(slug), slug, r.sentence_span(first.start()) if first else None)
    return None


def canonical_force(slug: str) -> str:
    """The name of one of the 43 forces, by slug."""
    return next(n for s, n, _ in known_forces() if s == slug)


# --------------------------------------------------------------------------------------
# core questions and their sections


def label_of(text: str) -> str:
    """The label part of a ``Label: Grade`` line."""
    return text.rsplit(":", 1)[0].strip()


def inline_grade(text: str) -> str:
    return grade_slug(text.rsplit(":", 1)[1])


def core_questions(r: Reading) -> tuple[dict[int, tuple[str, Span]], list[tuple[int, int]]]:
    """Core questions (or graded areas) as ``{number: (text, span)}``, and ``(number, block index)``
    of every occurrence of one as a heading or ``Label: Grade`` line.

    Three general readings, tried in order: the introduction's numbered list of questions;
    headings ``How effective is/are the force ...?``; ``Area: Grade`` lines (web summaries
    and the 2021/22 template), numbered in order of appearance.
    """
    doc = r.doc
    candidates = [(bi, b) for bi, b in enumerate(doc.blocks) if b.kind in ("heading", "graded")]
    listed = _numbered_questions(r) or _headed_questions(r, candidates) or _graded_areas(r, candidates)
    by_text = {norm_question(t): n for n, (t, _) in listed.items()}
    occurrences: list[tuple[int, int]] = []
    for bi, block in candidates:
        text = doc.display(block.span)
        key = norm_question(label_of(text) if block.kind == "graded" else text)
        if key in by_text:
            occurrences.append((by_text[key], bi))
    return listed, occurrences


def _numbered_questions(r: Reading) -> dict[int, tuple[str, Span]]:
    """The introduction's numbered list (``1. How effective ...?``), numbers in sequence from 1."""
    listed: dict[int, tuple[str, Span]] = {}
    for m in re.finditer(r.vocabulary.questions.numbered, r.doc.norm):
        n = int(m.group(1))
        if n not in listed and (n == 1 or n - 1 in listed):
            listed[n] = (m.group(2), r.doc.span(m.start(1), m.end(2)))
    return listed


def _headed_questions(r: Reading, candidates: list[tuple[int, Block]]) -> dict[int, tuple[str, Span]]:
    """Headings that ask a core question (not the pillar's overarching one), numbered in order."""
    asked = r.vocabulary.questions
    order: dict[str, tuple[int, Span]] = {}
    for _, block in candidates:
        text = r.doc.display(block.span)
        if block.kind == "heading" and re.match(asked.heading, text) and not re.search(asked.overarching, text):
            order.setdefault(norm_question(text), (len(order) + 1, block.span))
    return {n: (r.doc.display(sp), sp) for n, sp in order.values()}


def _graded_areas(r: Reading, candidates: list[tuple[int, Block]]) -> dict[int, tuple[str, Span]]:
    """``Area: Grade`` lines (not the overall grade), their labels numbered in order."""
    order: dict[str, tuple[int, Span]] = {}
    for _, block in candidates:
        text = r.doc.display(block.span)
        if block.kind == "graded" and not re.match(r.vocabulary.questions.not_an_area, text):
            label = label_of(text)
            span = r.doc.span(block.span.nstart, block.span.nstart + len(label))
            order.setdefault(norm_question(label), (len(order) + 1, span))
    return {n: (r.doc.display(sp), sp) for n, sp in order.values()}


def next_block_kind(r: Reading, bi: int) -> tuple[str, int]:
    j = bi + 1
    while j < len(r.doc.blocks) and r.doc.blocks[j].kind == "caption":
        j += 1
    return (r.doc.blocks[j].kind, j) if j < len(r.doc.blocks) else ("end", j)


def is_cell(r: Reading, bi: int, heads: set[int]) -> bool:
    """A question occurrence that is a cell of a grade table or list, not a section heading."""
    kind, j = next_block_kind(r, bi)
    if j in heads or kind == "end":
        return True
    if kind == "grade":
        kind2, k = next_block_kind(r, j)
        return k in heads or kind2 in ("grade", "end")
    return r.doc.blocks[bi].kind == "graded" and kind == "graded"


def question_ranges(r: Reading, q_heads: list[tuple[int, int]]) -> tuple[list[tuple[int, int, int]], dict[int, int]]:
    """``(question, nstart, nend)`` for each section (0 for the overview), and each section's heading block."""
    doc = r.doc
    heads = {bi for _, bi in q_heads}
    start_block: dict[int, int] = {}
    for n, bi in q_heads:  # the last occurrence that heads a section wins (tables and lists come first)
        if not is_cell(r, bi, heads):
            start_block[n] = bi
    starts = sorted((doc.blocks[bi].span.nstart, n) for n, bi in start_block.items())
    end_all = len(doc.norm)
    for _, b in r.headed(r.places.end):
        if starts and b.span.nstart > starts[-1][0]:
            end_all = b.span.nstart
            break
    ranges: list[tuple[int, int, int]] = []
    overview = next((b.span.nstart for _, b in r.headed(r.places.overview, ("heading", "graded"))), None)
    if overview is not None and starts and overview < starts[0][0]:
        ranges.append((0, overview, starts[0][0]))
    for k, (pos, n) in enumerate(starts):
        ranges.append((n, pos, starts[k + 1][0] if k + 1 < len(starts) else end_all))
    return ranges, start_block


def sections_of(r: Reading, ranges: list[tuple[int, int, int]], questions: list[Question]) -> list[Section]:
    doc = r.doc
    out: list[Section] = []
    qtexts = {norm_question(q.text) for q in questions}
    for q, a, b in ranges:
        heads = [blk for blk in doc.blocks if blk.kind in ("heading", "graded") and a <= blk.span.nstart < b]
        if q == 0:  # the overview's grade table repeats the core questions as cells, not headings
            heads = [h for h in heads if norm_question(doc.display(h.span)) not in qtexts and h.kind == "heading"]
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
                               r.evidence(blk.span, "structure.heading", key)))
    return out


def section_lookup(sections: list[Section]) -> list[tuple[int, int, str]]:
    return sorted(((s.start, s.end, s.key) for s in sections), key=lambda x: (x[0], -x[1]))


def question_of(ranges: list[tuple[int, int, int]], nindex: int) -> int | None:
    for q, a, b in ranges:
        if a <= nindex < b:
            return q
    return None


# --------------------------------------------------------------------------------------
# grades


def grade_after(r: Reading, bi: int) -> tuple[str, Span] | None:
    """The grade a heading (or ``Label: Grade`` line) gives: on its line, or in the next block."""
    blk = r.doc.blocks[bi]
    if blk.kind == "graded":
        return inline_grade(r.doc.display(blk.span)), blk.span
    kind, j = next_block_kind(r, bi)
    if kind == "grade":
        g = r.doc.blocks[j].span
        return grade_slug(r.doc.display(g)), r.doc.span(blk.span.nstart, g.nend)
    return None


def judgements_of(r: Reading, where: QuestionLayout, year: int) -> list[Judgement]:
    """The overall judgement (with last year's where stated), then each question's grade: its
    section's, compared with the overview table's; else the overview's, with a warning."""
    out: list[Judgement] = []
    by_section = section_grades(r, where)
    table = grade_table(r, where.q_heads, where.start_block)
    heads = list(r.headed(r.places.overall_judgement, ("heading", "graded")))
    overall = next(filter(None, (grade_after(r, bi) for bi, _ in heads)), None)
    if overall is None and heads:
        kind, j = next_block_kind(r, heads[0][0])
        span = r.doc.blocks[j].span if kind != "end" else None
        said = r.doc.text[span.start:span.end].strip().split("\n")[0].strip() if span else ""
        if said and len(said) <= 40 and not said.endswith("."):  # a word or two where the grade should be
            r.warnings.append(f"the overall judgement {said!r} is not a grade of the scheme; it is left out")
    if overall:
        grade, span = overall
        prev = previous_grade(r, where.ranges, grade, year)
        out.append(Judgement(0, grade, r.evidence(span, "structure.overall-grade",
                                                  section_key_at(where.section_of, span.start)), *prev))
    for q in sorted(set(by_section) | set(table)):
        if q in by_section:
            grade, span = by_section[q]
            if q in table and table[q][0] != grade:
                r.warnings.append(f"question {q}: the overview table says {table[q][0]!r} but the section says "
                                  f"{grade!r}; the section's grade is used")
            rule = "structure.section-grade"
        else:
            grade, span = table[q]
            r.warnings.append(f"question {q}: no grade in its own section; the overview's is used")
            rule = "structure.overview-grade"
        out.append(Judgement(q, grade, r.evidence(span, rule, section_key_at(where.section_of, span.start))))
    return out


def section_grades(r: Reading, where: QuestionLayout) -> dict[int, tuple[str, Span]]:
    """Each question's grade in its own section: under its ``Summary of findings``, else right under its heading."""
    out: dict[int, tuple[str, Span]] = {}
    for q, a, b in where.ranges:
        if q == 0:
            continue
        for bi, blk in r.headed(r.places.question_grade):
            if a <= blk.span.nstart < b:
                g = grade_after(r, bi)
                if g:
                    out[q] = g
                    break
        if q not in out and q in where.start_block:
            g = grade_after(r, where.start_block[q])
            if g:
                out[q] = g
    return out


def grade_table(r: Reading, q_heads: list[tuple[int, int]],
                 start_block: dict[int, int]) -> dict[int, tuple[str, Span]]:
    """Grades given outside the sections: ``Area: Grade`` lists, and the overview table read in order
    (its cells come out of order from PDFs: the questions in order, then the grades in order)."""
    doc = r.doc
    out: dict[int, tuple[str, Span]] = {}
    starts = set(start_block.values())
    for n, bi in q_heads:
        if bi not in starts and doc.blocks[bi].kind == "graded":
            out.setdefault(n, (inline_grade(doc.display(doc.blocks[bi].span)), doc.blocks[bi].span))
    start = next((i for i, _ in r.headed(r.places.overview_table)), None)
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
            r.warnings.append(f"the overview table has {len(qs)} questions but {len(grades)} grades; not read")
        return out
    for q, g in zip(qs, grades, strict=True):
        out.setdefault(q, (grade_slug(doc.display(g)), g))
    return out


def previous_grade(r: Reading, ranges: list[tuple[int, int, int]], current: str,
              year: int) -> tuple[str | None, int | None, Evidence | None]:
    """Last year's overall grade, from an overview sentence that says ``last year`` and names it (or says
    it is the same)."""
    doc = r.doc
    a, b = next(((x, y) for q, x, y in ranges if q == 0), (0, 0))
    grade_words = r.grade_words()
    for s in doc.sentences_in(a, b):
        text = doc.display(s)
        m = re.search(r"\blast year(?:[’']s)?\b", text, re.I)
        if not m or not re.search(r"\b(judged|assessed|graded|rated)\b", text, re.I):
            continue
        g = grade_words.search(text, m.end()) or grade_words.search(text[: m.start()])
        if g and (g.group(0).lower() != "good" or re.search(r"\b(?:be|as)\s+good\b", text, re.I)):
            return grade_slug(g.group(0)), year - 1, r.evidence(s, "structure.previous-grade")
        if re.search(r"\b(same|unchanged|maintain(?:s|ed)?)\b", text, re.I):
            return current, year - 1, r.evidence(s, "structure.previous-grade-same")
    return None, None, None


# --------------------------------------------------------------------------------------
# areas for improvement, causes of concern, recommendations


def paragraphs_under(r: Reading, heading: str, through: str | None = None) -> Iterable[tuple[Block, list[Span]]]:
    """Paragraph blocks (and their sentences) under every heading matching ``heading``, continuing
    past headings matching ``through`` (a cause of concern's recommendations sit inside its part)."""
    doc = r.doc
    for i, _ in r.headed(heading):
        j = i + 1
        while j < len(doc.blocks) and (doc.blocks[j].kind in ("para", "caption") or through and
                                       doc.blocks[j].kind == "heading" and
                                       re.match(through, doc.display(doc.blocks[j].span))):
            if doc.blocks[j].kind == "heading":
                j += 1
                continue
            para = doc.blocks[j]
            j += 1
            if para.kind == "para":
                yield para, list(doc.sentences_in(para.span.nstart, para.span.nend))


def template_findings(r: Reading, ranges: list[tuple[int, int, int]],
                       section_of: list[tuple[int, int, str]]) -> list[Finding]:
    """Areas for improvement, causes of concern and recommendations listed under their headings."""
    doc = r.doc
    places = r.places
    out: list[Finding] = []
    for _para, sents in paragraphs_under(r, places.areas_for_improvement):
        if not sents or not SHOULD.search(doc.display(sents[0])) or doc.display(sents[0])[:1].islower():
            continue
        keep: list[Span] = []
        for s in sents:
            if keep and is_recommendation(doc.display(s)):
                break
            keep.append(s)
        span = doc.span(keep[0].nstart, keep[-1].nend)
        out.append(Finding("area-for-improvement", doc.display(span), question_of(ranges, span.nstart),
                           r.evidence(span, "structure.area-for-improvement", section_key_at(section_of, span.start))))
    for para, sents in paragraphs_under(r, places.causes_of_concern, places.recommendations):
        if sents and not SHOULD.search(doc.display(para.span)):
            span = para.span
            out.append(Finding("cause-of-concern", doc.display(span), question_of(ranges, span.nstart),
                               r.evidence(span, "structure.cause-of-concern", section_key_at(section_of, span.start))))
    for para, sents in paragraphs_under(r, places.recommendations):
        text = doc.display(para.span)
        if sents and SHOULD.search(text) and not text[:1].islower():
            d = DEADLINE.search(text)
            out.append(Finding("recommendation", text, question_of(ranges, para.span.nstart),
                               r.evidence(para.span, "structure.recommendation-listed",
                                          section_key_at(section_of, para.span.start)),
                               deadline=parse_date(*d.groups()) if d else None))
    return out


def is_recommendation(text: str) -> bool:
    return bool(DEADLINE.search(text) and (SHOULD.search(text) or re.search(r"recommend", text, re.I)))


def recommendations(r: Reading, ranges: list[tuple[int, int, int]], section_of: list[tuple[int, int, str]],
                     listed: list[Finding]) -> list[Finding]:
    """Sentences in the sections that recommend something by a date (not already listed)."""
    doc = r.doc
    out: list[Finding] = []
    taken = [(f.evidence.start, f.evidence.end) for f in listed]
    lo = min((a for _, a, _ in ranges), default=0)
    hi = max((b for _, _, b in ranges), default=len(doc.norm))
    for s in doc.sentences:
        if not (lo <= s.nstart < hi) or any(a <= s.start < b for a, b in taken):
            continue
        text = doc.display(s)
        if not is_recommendation(text) or text[:1].islower():
            continue
        d = DEADLINE.search(text)
        assert d is not None
        q = question_of(ranges, s.nstart)
        quoted = bool(re.search(r"\b(?:arising from|\(Recommendation \d+\)|recommendation (?:was|made) (?:that|in))",
                                text, re.I))
        ev = r.evidence(s, "structure.recommendation", section_key_at(section_of, s.start))
        parent = Finding("recommendation", text, q, ev, deadline=parse_date(*d.groups()), quoted=quoted)
        out.append(parent)
        if text.rstrip().endswith(":"):
            out.extend(_sub_actions(r, s, q, parent, section_of))
    return out


def _sub_actions(r: Reading, s: Span, q: int | None, parent: Finding,
                 section_of: list[tuple[int, int, str]]) -> list[Finding]:
    """The list items following a recommendation that ends in a colon (they start in lower case)."""
    doc = r.doc
    out = []
    idx = next(i for i, b in enumerate(doc.blocks) if b.span.nstart <= s.nstart < b.span.nend)
    for blk in doc.blocks[idx + 1:]:
        text = doc.display(blk.span)
        if blk.kind != "para" or not text[:1].islower():
            break
        d = DEADLINE.search(text)
        out.append(Finding("recommendation", text, q,
                           r.evidence(blk.span, "structure.recommendation-sub-action",
                                      section_key_at(section_of, blk.span.start)),
                           deadline=parse_date(*d.groups()) if d else None, parent=parent.key))
        if not re.search(r"[;,]\s*(?:and|or)?$", text):
            break
    return out


# --------------------------------------------------------------------------------------
# footnotes


def footnotes_of(r: Reading) -> list[Footnote]:
    doc = r.doc
    out = []
    for fb in doc.footnotes:
        span = Span(0, 0, fb.start, fb.end)
        text = re.sub(r"\s+", " ", doc.text[fb.start:fb.end]).strip()
        out.append(Footnote(fb.number, text, r.evidence(span, "layout.footnote"), _defined_term(doc, fb, text)))
    return out


def _defined_term(doc: Document, fb: FootnoteBlock, text: str) -> str | None:
    """The term a footnote defines: its subject phrase, when the body names it just before the reference."""
    ref = fb.reference
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
