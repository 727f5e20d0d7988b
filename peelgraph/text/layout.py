"""Lay out a report's text: lines, footnotes, headings, blocks, sentences (reading the file is ``read``).

The shipped file is never changed. Normalisation happens in a copy (``Document.norm``)
with a map from every normalised character back to its offset in the original text, so
that every span found in the copy becomes an exact slice of the original.

What the layout pass knows about text extracted from PEEL report PDFs (general rules,
not one report's wording):

* a page break is a line that starts with exactly one space;
* a footnote is a bare number on its own line, a blank line, then the footnote's text
  (a few lines that read as prose), pasted where the page ended; footnote numbers rise
  through the report (a bare number that breaks the sequence is a page number or a
  table cell and is dropped); the footnote's reference is the same number glued to a
  word or punctuation earlier on the same page (``THRIVE.4``, ``DASH17``) and is
  removed from the normalised copy;
* a footnote whose text ends mid-sentence carries over to the next page: its rest is pasted at
  that page's foot, after a blank line, before the page's own footnotes, in lower case;
* a line ``Figure N: ...`` starts a caption, which is kept out of the running text; a bare
  number inside it (a page number, a reference line) is left out of it;
* a table arrives one cell per line: a run of at least six short lines that end no sentence,
  four or more of them (and a third or more) numbers, is a table; directly after a caption, a
  run of such lines followed by a blank line or a note is a chart's labels; a figure's note
  (``Source:``, ``Note:``, ``*``) after a caption or a table runs to a blank line; all are kept
  out of the running text;
* a running header is a page's first line that repeats, digits aside, on at least three pages
  and on more than half of them; a table of contents is the line ``Contents`` and the entries
  after it (to a blank line or a page break) when half or more of them end in a page number;
* everything kept out of the running text is recorded as :class:`Furniture` (ranges of the
  file), and evidence for a span with furniture inside it is in parts, the furniture cut out
  (:meth:`Document.evidence`), so that no quote holds a footnote, caption, table or page number;
* headings: lines phrased as questions (``How effective is ...?``, ``Does the force
  ...?``, possibly wrapped over up to three lines), a short line standing just above a
  grade, and the fixed headings the caller passes in (:class:`FixedHeadings`: the layer
  knows no template; each template names its own, such as ``Summary of findings``);
* a run of blank lines ends a paragraph only when the text before it ends a sentence
  or a clause (``. ? ! : ;``); bullets became blank lines, so list items stay apart,
  while a sentence interrupted by a footnote or a page break is joined again;
* broken hyphenation (``problemsolving``) is repaired in the copy only when the
  hyphenated form occurs elsewhere in the same text, and never guessed otherwise.

Example:
    >>> doc = layout("r", "Intro line one\\ncontinues here.\\n\\nHow well does it work?\\nIt works.\\n")
    >>> [doc.quote(s) for s in doc.sentences]
    ['Intro line one\\ncontinues here.', 'It works.']
    >>> [doc.quote(h) for h in doc.headings]
    ['How well does it work?']
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from peelgraph.model import PART_SEPARATOR, Evidence
from peelgraph.text.sentences import split
from peelgraph.vocab import GRADE_LABELS

__all__ = ["Span", "Block", "FootnoteBlock", "Furniture", "FURNITURE_KINDS", "Cell", "Table", "Document",
           "FixedHeadings",
           "NO_FIXED_HEADINGS", "layout"]



@dataclass(frozen=True)
class FixedHeadings:
    """A template's fixed headings, which the layout takes as headings when one stands on a line of its own.

    The line is compared in lower case, without a trailing colon or glued footnote number.

    Attributes:
        names: the headings, written in lower case (``"areas for improvement"``).
        patterns: regular expressions for heading families, matched at the start of the
            line (``r"^annex [a-z]\\b"``).

    Example:
        >>> h = FixedHeadings(("next steps",), (r"^annex [a-z]\\b",))
        >>> h.matches("next steps"), h.matches("annex b – data"), h.matches("next")
        (True, True, False)
        >>> h.merged(FixedHeadings(("overview",))).names
        ('next steps', 'overview')
    """

    names: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()

    def matches(self, low: str) -> bool:
        """Whether a lowered line is one of the headings (by name or by pattern)."""
        return low in self.names or any(re.match(p, low) for p in self.patterns)

    def merged(self, other: FixedHeadings) -> FixedHeadings:
        """These headings and another set's, in order, without repeats."""
        return FixedHeadings(tuple(dict.fromkeys(self.names + other.names)),
                             tuple(dict.fromkeys(self.patterns + other.patterns)))


#: No fixed headings: the layout then finds only question headings and headings above grades.
NO_FIXED_HEADINGS = FixedHeadings()

_QUESTION_START = re.compile(
    r"^(?:Overview\s*[–-]\s*)?(How|Does|Do|Is|Are|Has|Have|What|To what extent|Can|Why|Where|Which)\b"
)
_BARE_NUMBER = re.compile(r"^\d{1,3}(?:,\d{1,3})*$")
_CAPTION = re.compile(r"^(Figure|Table|Chart)\s+\d+[a-z]?\s*:")
_SENTENCE_END = re.compile(r"(?:[.?!:;][’”'\")\]]*|;\s+(?:and|or))$")


@dataclass(frozen=True, order=True)
class Span:
    """A span of the normalised text ``[nstart, nend)`` and of the original ``[start, end)``."""

    nstart: int
    nend: int
    start: int
    end: int


@dataclass(frozen=True)
class Block:
    """A paragraph, heading or caption of the running text."""

    kind: str  # "para" | "heading" | "grade" | "graded" (a "Label: Grade" line) | "caption"
    span: Span


@dataclass(frozen=True)
class FootnoteBlock:
    """A footnote found in the layout: its number, the number's line, and its text span."""

    number: int
    number_start: int
    start: int
    end: int
    reference: int | None  # offset of the glued reference number in the original text


@dataclass(frozen=True, order=True)
class Furniture:
    """Text of the file that is not running text, as whole lines ``[start, end)`` of the original: a
    footnote (its number line and text), a figure caption, a table or chart's cells and labels, a
    figure's note (``Source: ...``), a page number or a running header.

    A span of running text that has furniture inside it (a sentence broken by a page break, with the
    footnotes pasted between its halves) is evidence in parts (:meth:`Document.parts`)."""

    start: int
    end: int
    kind: str  # "footnote" | "caption" | "table" | "note" | "page-number" | "header" | "contents"


@dataclass(frozen=True)
class Cell:
    """A table cell as PDF extraction left it: one line, or a label wrapped over lines (``[start, end)``
    of the original, ``text`` with its whitespace collapsed)."""

    start: int
    end: int
    text: str

    @property
    def number(self) -> float | None:
        """The cell's value when it is a number (``10.7``, ``1,250``, ``26%``), else None."""
        m = re.fullmatch(r"[-–]?\d[\d,]*(?:\.\d+)?\s*%?", self.text)
        return float(self.text.rstrip("% ").replace(",", "").replace("–", "-")) if m else None


@dataclass(frozen=True)
class Table:
    """A table or chart's cells in the order of the file, and the caption it follows (``[start, end)`` of
    the original and its text, page numbers left out), if any."""

    start: int
    end: int
    cells: tuple[Cell, ...]
    caption: str | None = None
    caption_span: tuple[int, int] | None = None


#: The kinds of furniture, as :class:`Furniture` names them.
FURNITURE_KINDS = ("footnote", "caption", "table", "note", "page-number", "header", "contents")


@dataclass(frozen=True)
class Document:
    """A report's original text and its laid-out, normalised copy."""

    report: str
    path: str
    text: str
    sha256: str
    norm: str
    omap: tuple[int, ...]
    blocks: tuple[Block, ...]
    sentences: tuple[Span, ...]
    footnotes: tuple[FootnoteBlock, ...]
    page_starts: tuple[int, ...]
    repairs: tuple[tuple[int, str], ...]
    furniture: tuple[Furniture, ...] = ()
    tables: tuple[Table, ...] = ()

    @property
    def headings(self) -> tuple[Span, ...]:
        """The spans of all heading blocks, in order."""
        return tuple(b.span for b in self.blocks if b.kind == "heading")

    def quote(self, span: Span) -> str:
        """The exact original slice for a span."""
        return self.text[span.start : span.end]

    def display(self, span: Span) -> str:
        """The normalised text of a span (lines joined, footnote marks removed)."""
        return self.norm[span.nstart : span.nend]

    def span(self, nstart: int, nend: int) -> Span:
        """Map a normalised span to the original, trimming whitespace at both ends."""
        while nstart < nend and self.norm[nstart].isspace():
            nstart += 1
        while nend > nstart and self.norm[nend - 1].isspace():
            nend -= 1
        if nstart >= nend:
            return Span(nstart, nstart, self.omap[nstart], self.omap[nstart])
        return Span(nstart, nend, self.omap[nstart], self.omap[nend - 1] + 1)

    def evidence(self, span: Span, rule: str, section: str | None = None) -> Evidence:
        """Evidence for a span: its parts (the span without the furniture inside it), the quote they make,
        the whole range's offsets, its page and rule.

        Example:
            >>> doc = layout("r", "It works with the\\n1\\n\\nA footnote about it.\\n probation service.\\n")
            >>> ev = doc.evidence(doc.sentences[0], "demo")
            >>> ev.quote, ev.parts, ev.reslice(doc.text) == ev.quote
            ('It works with the\\nprobation service.', ((0, 17), (43, 61)), True)
        """
        parts = self.parts(span.start, span.end)
        return Evidence(self.report, span.start, span.end, PART_SEPARATOR.join(self.text[a:b] for a, b in parts),
                        rule, section, self.page_of(span.start), parts)

    def parts(self, start: int, end: int) -> tuple[tuple[int, int], ...]:
        """The range ``[start, end)`` of the original without the furniture that lies wholly inside it,
        each part trimmed of whitespace (furniture that holds the whole range, such as a footnote for a
        span of its own text, is not cut out)."""
        i = bisect.bisect_right(self.furniture, Furniture(start, 10**12, ""))
        cuts = []
        while i < len(self.furniture) and self.furniture[i].start < end:
            if self.furniture[i].end < end:
                cuts.append(self.furniture[i])
            i += 1
        if not cuts:
            return ((start, end),)
        out: list[tuple[int, int]] = []
        a = start
        for f in cuts:
            if f.start > a:
                out.append((a, f.start))
            a = max(a, f.end)
        out.append((a, end))
        trimmed = []
        for a, b in out:
            while a < b and self.text[a].isspace():
                a += 1
            while b > a and self.text[b - 1].isspace():
                b -= 1
            if b > a:
                trimmed.append((a, b))
        return tuple(trimmed) or ((start, end),)

    def furniture_in(self, start: int, end: int) -> tuple[Furniture, ...]:
        """The furniture that overlaps ``[start, end)`` of the original."""
        return tuple(f for f in self.furniture if f.start < end and start < f.end)

    def page_of(self, offset: int) -> int:
        """The 1-based page an original offset falls on (page breaks as laid out)."""
        return bisect.bisect_right(self.page_starts, offset)

    def sentences_in(self, nstart: int, nend: int) -> Iterator[Span]:
        """Sentences lying within a normalised range."""
        i = bisect.bisect_left(self.sentences, Span(nstart, nstart, 0, 0))
        while i < len(self.sentences) and self.sentences[i].nend <= nend:
            yield self.sentences[i]
            i += 1

    def sentence_at(self, nindex: int) -> Span | None:
        """The sentence containing a normalised offset, if any."""
        i = bisect.bisect_right(self.sentences, Span(nindex, 10**12, 0, 0)) - 1
        if i >= 0 and self.sentences[i].nstart <= nindex < self.sentences[i].nend:
            return self.sentences[i]
        return None


# --------------------------------------------------------------------------------------
# layout


@dataclass(frozen=True)
class _Line:
    start: int  # offset of the first character kept (after a page-break space)
    end: int  # offset of the line's end (before the newline)
    text: str
    page_break: bool


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    for raw in text.split("\n"):
        end = pos + len(raw)
        body = raw.rstrip("\r")
        end = pos + len(body)
        page_break = body.startswith(" ") and not body.startswith("  ") and body.strip() != ""
        start = pos + (1 if page_break else 0)
        out.append(_Line(start, end, text[start:end], page_break))
        pos = pos + len(raw) + 1
    return out


def _is_prose(lines: list[_Line]) -> bool:
    joined = " ".join(ln.text.strip() for ln in lines)
    words = joined.split()
    return bool(words) and (joined.rstrip().endswith(".") or len(words) >= 5) and not joined[:1].islower()


def _find_footnotes(text: str, lines: list[_Line]) -> tuple[list[FootnoteBlock], set[int]]:
    """Find footnote blocks; return them and the indices of the lines they occupy."""
    found: list[FootnoteBlock] = []
    used: set[int] = set()
    last = 0
    last_page_start = 0
    i = 0
    n = len(lines)
    while i < n:
        ln = lines[i]
        if ln.page_break:
            last_page_start = ln.start
        stripped = ln.text.strip()
        if (
            _BARE_NUMBER.match(stripped)
            and "," not in stripped
            and i + 2 < n
            and not lines[i + 1].text.strip()
            and lines[i + 2].text.strip()
            and not lines[i + 2].page_break
        ):
            num = int(stripped)
            j = i + 2
            body: list[_Line] = []
            while (j < n and lines[j].text.strip() and not lines[j].page_break
                   and not _BARE_NUMBER.match(lines[j].text.strip())):
                body.append(lines[j])
                j += 1
            if last < num <= last + 3 and _is_prose(body):
                ref = _find_reference(text, num, last_page_start, ln.start)
                found.append(FootnoteBlock(num, ln.start, body[0].start, body[-1].end, ref))
                used.update(range(i, j))
                last = num
                i = j
                continue
        i += 1
    return found, used


def _continuations(lines: list[_Line], found: list[FootnoteBlock], used: set[int]) -> list[tuple[int, int]]:
    """Footnotes carried over to the next page: when a footnote's text ends mid-sentence, the rest of it is
    pasted at the foot of the next page, a blank line after the running text, just before that page's own
    footnotes (or its end), starting in lower case. Returns the (first, last) lines of each such rest."""
    line_starts = [ln.start for ln in lines]
    breaks = [i for i, ln in enumerate(lines) if ln.page_break]
    out = []
    for fb in found:
        last = bisect.bisect_right(line_starts, fb.end) - 1  # the footnote's last line
        if re.search(r"[.!?)’”\"']$", lines[last].text.strip()):
            continue
        following = [b for b in breaks if b > last][:2]
        if not following:
            continue
        lo = following[0]
        hi = following[1] if len(following) > 1 else len(lines)
        k = next((i for i in range(lo, hi) if i in used), hi)  # the page's first footnote line, or its end
        j = k - 1
        while j > lo and lines[j].text.strip() and j not in used:
            j -= 1
        first = j + 1
        if first < k and not lines[j].text.strip() and lines[first].text.strip()[:1].islower():
            out.append((first, k - 1))
    return out


def _find_reference(text: str, num: int, lo: int, hi: int) -> int | None:
    """The last glued reference to footnote ``num`` in ``text[lo:hi]`` (same page)."""
    pat = re.compile(rf"(?<=[A-Za-z.,:;)’”'])(?: (?=\d+ [A-Z]))?({num})(?![\d%])(?=[\s.,;:)’”']|$)")
    best = None
    for m in pat.finditer(text, lo, hi):
        before = text[max(lo, m.start(1) - 12) : m.start(1)]
        # "i24", "4P" and the like are names, not references: need a word of 2+ letters or punctuation
        word = re.search(r"([A-Za-z]+)$", before)
        if word and len(word.group(1)) < 2:
            continue
        # a decimal number ("12.5") is not a reference unless the number ends a sentence at a line end
        if re.search(r"\d\.$", before) and not (
            re.search(r"(?<!\d)(?:19|20)\d\d\.$", before) and re.match(r"\s*(\n|$)", text[m.end(1) : m.end(1) + 2])
        ):
            continue
        best = m.start(1)
    return best


def _heading_at(lines: list[_Line], i: int, skip: set[int], headings: FixedHeadings) -> int:
    """If a heading starts at line ``i``, return how many lines it spans, else 0."""
    first = lines[i].text.strip()
    if not first:
        return 0
    low = re.sub(r"\d+$", "", first.lower()).rstrip(":")
    if headings.matches(low) and not _QUESTION_START.match(re.sub(r"^Overview\s*[–-]\s*", "", first)):
        return 1
    if not _QUESTION_START.match(first):
        return 0
    # the previous kept line must end a sentence (or be blank / a page break)
    k = i - 1
    while k >= 0 and k in skip:
        k -= 1
    if k >= 0 and lines[k].text.strip() and not lines[i].page_break:
        prev = lines[k].text.strip()
        prev_is_heading = prev.lower().rstrip(":") in headings.names
        if not (_SENTENCE_END.search(prev) or prev.endswith("?") or _is_grade_like(prev) or prev_is_heading):
            return 0
    for span in range(1, 4):
        j = i + span - 1
        if j >= len(lines) or j in skip:
            return 0
        t = lines[j].text.strip()
        if not t or (span > 1 and lines[j].page_break):
            return 0
        if re.search(r"[.!;]\s", t) or t.endswith("."):
            return 0
        if t.endswith("?"):
            return span
    return 0


#: A grade as written on a line of its own (the scheme's labels, e.g. "requires improvement").
_GRADE_WORDS = "|".join(GRADE_LABELS.values())

_INLINE_GRADE = re.compile(
    r"^(?P<label>[A-Z][^:.!?]{2,150}?)\s*:\s*"
    rf"(?P<grade>{_GRADE_WORDS})$",
    re.I,
)


def _heading_before_grade(lines: list[_Line], i: int, skip: set[int]) -> int:
    """A short line with no sentence end, directly above a grade line, is a heading (1 line)."""
    t = lines[i].text.strip()
    if not t or len(t) > 120 or _SENTENCE_END.search(t) or t[:1].islower() or _grade_lines(lines, i):
        return 0
    j = i + 1
    while j < len(lines) and (j in skip or not lines[j].text.strip()):
        j += 1
    if j >= len(lines) or not _grade_lines(lines, j):
        return 0
    starts_fresh = lines[i].page_break or i == 0 or not lines[i - 1].text.strip() or \
        _SENTENCE_END.search(lines[i - 1].text.strip())
    return 1 if starts_fresh else 0


_GRADE_LINE = re.compile(rf"^({_GRADE_WORDS}|requires)$", re.I)


def _grade_lines(lines: list[_Line], i: int) -> int:
    """A grade standing alone on a line (``Requires`` / ``improvement`` may wrap): its line count."""
    t = lines[i].text.strip()
    if not _GRADE_LINE.match(t):
        return 0
    if t.lower() == "requires":
        nxt = lines[i + 1].text.strip().lower() if i + 1 < len(lines) else ""
        return 2 if nxt == "improvement" else 0
    return 1


def _is_grade_like(s: str) -> bool:
    return s.lower() in {*GRADE_LABELS.values(), "requires", "improvement"}


def layout(report: str, text: str, path: str = "", sha256: str = "", *,
           headings: FixedHeadings = NO_FIXED_HEADINGS) -> Document:
    """Lay out a report's text (see the module docstring for the rules).

    Args:
        report: the report's id, which evidence names.
        text: the text as read from the file.
        path: the file, as evidence and errors name it.
        sha256: the file's digest (default: of the text, UTF-8 encoded).
        headings: the fixed headings of the templates that may read the text; a report is
            laid out with every registered template's (``peelgraph.extract.templates.layout``).
    """
    if not sha256:
        sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    lines = _lines(text)
    footnotes, fn_lines = _find_footnotes(text, lines)
    ref_drop: dict[int, int] = {fb.reference: len(str(fb.number)) for fb in footnotes if fb.reference is not None}
    page_starts = tuple(sorted({0} | {max(0, ln.start - 1) for ln in lines if ln.page_break}))
    carried = _continuations(lines, footnotes, fn_lines)
    fn_lines = fn_lines | {i for a, b in carried for i in range(a, b + 1)}
    kinds, starts, skip, found, table_lines = _classify(lines, fn_lines, headings)
    tables = tuple(_table(text, lines, a, b, cap, skip) for a, b, cap in table_lines)
    found += [(a, b, "footnote") for a, b in carried]
    furniture = tuple(sorted({Furniture(fb.number_start, fb.end, "footnote") for fb in footnotes}
                             | {Furniture(lines[a].start, lines[b].end, kind) for a, b, kind in found}))
    norm, omap, blocks = _assemble(text, lines, skip, kinds, starts, ref_drop)
    norm, omap, repairs = _repair_hyphenation(norm, omap, text)
    # rebuild block spans with original offsets (repairs never cross block boundaries)
    doc = Document(report, path, text, sha256, norm, tuple(omap), (), (), tuple(footnotes), page_starts,
                   tuple(repairs))
    fixed = tuple(Block(b.kind, doc.span(*_shift(b.span, repairs))) for b in blocks)
    sentences = tuple(s for b in fixed if b.kind == "para" for s in _split_sentences(doc, b.span))
    return Document(report, path, text, sha256, norm, tuple(omap), fixed, sentences, tuple(footnotes),
                    page_starts, tuple(repairs), furniture, tables)


def _classify(lines: list[_Line], footnote_lines: set[int], headings: FixedHeadings,
              ) -> tuple[dict[int, str], set[int], set[int], list[tuple[int, int, str]],
                         list[tuple[int, int, tuple[int, int] | None]]]:
    """The kind of every line that is not running text (caption, graded, heading, grade), the lines
    that start a block, the lines left out (footnotes, running headers, then as they are met page
    numbers, tables and charts, figure notes) and the furniture among them as (first line, last line,
    kind)."""
    skip = set(footnote_lines)
    furniture: list[tuple[int, int, str]] = []
    tables: list[tuple[int, int, tuple[int, int] | None]] = []
    for h in _running_headers(lines, skip):
        skip.add(h)
        furniture.append((h, h, "header"))
    kinds: dict[int, str] = {}
    starts: set[int] = set()
    after_figure = False  # the last line kept or left out was a caption, a table or a note
    caption: tuple[int, int] | None = None  # the lines of the caption a table may follow
    i = 0
    while i < len(lines):
        if i in skip:
            i += 1
            continue
        t = lines[i].text.strip()
        if not t:
            i += 1
            continue
        if _BARE_NUMBER.match(t):
            skip.add(i)
            furniture.append((i, i, "page-number"))
            i += 1
            continue
        if n := _contents(lines, i, skip):
            skip.update(range(i, i + n))
            furniture.append((i, i + n - 1, "contents"))
            i += n
            continue
        if _CAPTION.match(t):
            j = i
            while j < len(lines) and lines[j].text.strip() and (j == i or not lines[j].page_break):
                if j > i and _BARE_NUMBER.match(lines[j].text.strip()):  # a page number or reference line
                    skip.add(j)
                    furniture.append((j, j, "page-number"))
                else:
                    kinds[j] = "caption"
                j += 1
            furniture.append((i, j - 1, "caption"))
            caption = (i, j - 1)
            i, after_figure = j, True
            continue
        note = after_figure and bool(_NOTE.match(t))
        cells = 0 if note else _table_run(lines, i, skip, after_figure)
        if note or cells:
            j = _note_end(lines, i, skip) if note else i + cells
            skip.update(range(i, j))
            furniture.append((i, j - 1, "note" if note else "table"))
            if not note:
                tables.append((i, j - 1, caption))
            i, after_figure = j, True
            continue
        after_figure, caption = False, None
        if _INLINE_GRADE.match(t) and len(t) < 160:
            kinds[i] = "graded"
            starts.add(i)
            i += 1
            continue
        kind, n = "heading", _heading_at(lines, i, skip, headings) or _heading_before_grade(lines, i, skip)
        if not n:
            kind, n = "grade", _grade_lines(lines, i)
        if n:
            kinds.update(dict.fromkeys(range(i, i + n), kind))
            starts.add(i)
            i += n
            continue
        i += 1
    return kinds, starts, skip, furniture, tables


def _table(text: str, lines: list[_Line], first: int, last: int, caption: tuple[int, int] | None,
           skip: set[int]) -> Table:
    """The cells of a table's lines (a number is a cell of its own; text lines that follow one another
    with no blank line between make one cell) and the caption it follows."""
    cells: list[Cell] = []
    run: list[_Line] = []

    def flush() -> None:
        if run:
            cells.append(Cell(run[0].start, run[-1].end, " ".join(ln.text.strip() for ln in run)))
            run.clear()

    for ln in lines[first : last + 1]:
        t = ln.text.strip()
        if not t or _NUMERIC_CELL.match(t):
            flush()
            if t:
                cells.append(Cell(ln.start + (len(ln.text) - len(ln.text.lstrip())), ln.end - (
                    len(ln.text) - len(ln.text.rstrip())), t))
            continue
        run.append(ln)
    flush()
    cap_text = cap_span = None
    if caption:
        kept = [lines[k] for k in range(caption[0], caption[1] + 1) if k not in skip]
        cap_text = " ".join(ln.text.strip() for ln in kept)
        cap_span = (lines[caption[0]].start, lines[caption[1]].end)
    return Table(lines[first].start, lines[last].end, tuple(cells), cap_text, cap_span)


#: A figure's note: ``Source: ...``, ``Note: ...``, ``* Includes ...``.
_NOTE = re.compile(r"^(?:\*\s*[A-Za-z]|Sources?\s*:|Notes?\s*:)")
#: A table cell that is a number (``10.7``, ``1,250``, ``26%``, ``£4m``) or a marker (``*``).
_NUMERIC_CELL = re.compile(r"^(?:[-–(]?[£$]?\d[\d,]*(?:\.\d+)?\s*(?:%|m|bn)?\)?|\*)$")
#: A cell is a short line that ends no sentence.
_CELL_MAX = 70


def _is_cell(t: str) -> bool:
    return bool(t) and len(t) <= _CELL_MAX and not _SENTENCE_END.search(t) and not t.endswith("?")


def _table_run(lines: list[_Line], i: int, skip: set[int], after_figure: bool) -> int:
    """How many lines a table or chart starting at line ``i`` takes, else 0.

    PDF extraction leaves a table as one cell per line (blank lines between): a run of at least six
    short lines that end no sentence, at least four of them numbers and a third of them or more.
    Directly after a caption, a run of such lines followed by a blank line, a note or the end is a
    chart's labels (its legend, its axis) whatever the numbers."""
    j, cells, numeric, last = i, 0, 0, -1
    while j < len(lines) and j not in skip:
        t = lines[j].text.strip()
        if t:
            if not _is_cell(t) or _NOTE.match(t):
                break
            cells += 1
            numeric += bool(_NUMERIC_CELL.match(t) or _BARE_NUMBER.match(t))
            last = j
        j += 1
    if not cells:
        return 0
    if cells >= 6 and numeric >= 4 and 3 * numeric >= cells:
        return last - i + 1
    after = lines[last + 1].text.strip() if last + 1 < len(lines) else ""
    if after_figure and (not after or _NOTE.match(after)):
        return last - i + 1
    return 0


def _contents(lines: list[_Line], i: int, skip: set[int]) -> int:
    """How many lines a table of contents starting at line ``i`` takes (the line ``Contents`` and its
    entries, up to a blank line or a page break, at least two of them and half or more ending in a page
    number), else 0."""
    if lines[i].text.strip().lower() != "contents":
        return 0
    j, numbered = i + 1, 0
    while j < len(lines) and j not in skip and lines[j].text.strip() and not lines[j].page_break:
        numbered += bool(re.search(r"\S\s+\d{1,3}$", lines[j].text.strip()))
        j += 1
    entries = j - i - 1
    return j - i if numbered >= 2 and 2 * numbered >= entries else 0


def _note_end(lines: list[_Line], i: int, skip: set[int]) -> int:
    """The line after a figure's note: the note runs to a blank line, a left-out line or a page break."""
    j = i + 1
    while j < len(lines) and j not in skip and lines[j].text.strip() and not lines[j].page_break:
        j += 1
    return j


def _running_headers(lines: list[_Line], skip: set[int]) -> list[int]:
    """The first lines of pages that repeat, digits aside, on at least three pages and on more than half
    of them (a running header the text extraction kept)."""
    firsts = [i for i, ln in enumerate(lines) if ln.page_break and i not in skip]
    if len(firsts) < 3:
        return []
    key = {i: re.sub(r"\d+", "#", lines[i].text.strip().lower()) for i in firsts}
    count: dict[str, int] = {}
    for k in key.values():
        count[k] = count.get(k, 0) + 1
    return [i for i in firsts if count[key[i]] >= 3 and 2 * count[key[i]] > len(firsts) and len(key[i]) < 120]


def _assemble(text: str, lines: list[_Line], skip: set[int], kinds: dict[int, str], starts: set[int],
              ref_drop: dict[int, int]) -> tuple[str, list[int], list[Block]]:
    """The normalised copy, its map to original offsets (one past the end included), and its blocks
    (spans in the copy only): lines joined, blank-line runs split at sentence ends, references dropped."""
    norm: list[str] = []
    omap: list[int] = []
    blocks: list[Block] = []
    cur_kind: str | None = None
    cur_start = 0
    pending_break = False

    def close() -> None:
        nonlocal cur_kind
        if cur_kind is not None:
            blocks.append(Block(cur_kind, Span(cur_start, len(norm), 0, 0)))
        cur_kind = None

    def put(s: str, at: int) -> None:
        norm.append(s)
        omap.append(at)

    prev_line: _Line | None = None
    for idx, ln in enumerate(lines):
        if idx in skip:
            continue
        t = ln.text
        if not t.strip():
            pending_break = True
            continue
        kind = kinds.get(idx, "para")
        after_break = pending_break and prev_line is not None and _SENTENCE_END.search(prev_line.text.rstrip())
        if cur_kind is None or kind != cur_kind or (kind == "caption" and ln.page_break) or idx in starts \
                or after_break:
            close()
            if norm:
                put("\n", prev_line.end if prev_line else ln.start)
                put("\n", prev_line.end if prev_line else ln.start)
            cur_kind = kind
            cur_start = len(norm)
        elif prev_line is not None and not (prev_line.text.endswith("-") and not prev_line.text.endswith(" -")):
            # the newline (or the page-break space) becomes one space; a hyphen at a line end joins
            # the next line directly ("co-\nordinated")
            put(" ", prev_line.end)
        pending_break = False
        # copy the line, dropping glued footnote references
        lead = len(t) - len(t.lstrip(" ")) if not ln.page_break else 0
        k = ln.start + lead
        while k < ln.end:
            drop = ref_drop.get(k)
            if drop:
                k += drop
                continue
            put(text[k], k)
            k += 1
        prev_line = ln
    close()
    omap.append(omap[-1] + 1 if omap else 0)
    return "".join(norm), omap, blocks


def _shift(span: Span, repairs: list[tuple[int, str]]) -> tuple[int, int]:
    a = span.nstart + sum(1 for pos, _ in repairs if pos < span.nstart)
    b = span.nend + sum(1 for pos, _ in repairs if pos < span.nend)
    return a, b


def _repair_hyphenation(norm: str, omap: list[int], text: str = "") -> tuple[str, list[int], list[tuple[int, str]]]:
    """Insert a hyphen where ``ab`` never occurs hyphenated-free but ``a-b`` occurs in the text (the running
    text or the file's other text: footnotes, captions, tables)."""
    hyphenated: dict[str, str] = {}
    for m in re.finditer(r"\b([A-Za-z]{2,})-([A-Za-z]{2,})\b", norm + "\n" + text):
        hyphenated.setdefault((m.group(1) + m.group(2)).lower(), m.group(0))
    if not hyphenated:
        return norm, omap, []
    inserts: list[tuple[int, str]] = []
    for m in re.finditer(r"\b[A-Za-z]{5,}\b", norm):
        w = m.group(0)
        form = hyphenated.get(w.lower())
        if form is None:
            continue
        cut = form.index("-")
        # only when the joined form is never written that way elsewhere with a hyphenless twin
        inserts.append((m.start() + cut, w))
    if not inserts:
        return norm, omap, []
    out: list[str] = []
    new_map: list[int] = []
    last = 0
    for pos, _ in inserts:
        out.append(norm[last:pos])
        new_map.extend(omap[last:pos])
        out.append("-")
        new_map.append(omap[pos])
        last = pos
    out.append(norm[last:])
    new_map.extend(omap[last:])
    return "".join(out), new_map, inserts


def _split_sentences(doc: Document, block: Span) -> Iterator[Span]:
    """The sentences of one paragraph block (:func:`peelgraph.text.sentences.split`)."""
    for a, b in split(doc.norm, block.nstart, block.nend):
        span = doc.span(a, b)
        if span.nend > span.nstart:
            yield span
