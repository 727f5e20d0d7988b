"""A PDF's text as peelgraph reads extracted text: running text in reading order, one page after
another, without running headers, footers or page numbers, and each page's footnotes at its end.

The words and their boxes come from poppler's ``pdftotext -bbox-layout`` (Debian's
``poppler-utils``), chosen by measurement (README, "PDF reports"): it reads compressed,
object-stream, linearised and encrypted (empty user password) PDFs, orders the words as a
reader would, and is 15-50 times faster than the Python extractors. From the boxes:

* a **running header or footer** is a line in the top or bottom tenth of a page whose text
  (digits aside) repeats there on more than half the pages, or a page number standing alone as
  the page's first or last line (``12``, ``Page 12``, ``12 of 40``, ``xii``); it is dropped;
* a **footnote** is a line at the foot of a page, below the running text, in a smaller type
  than the running text; one that begins with the next footnote number starts a footnote, the
  rest continue it (small type at the top of the next page's foot continues the page before's
  last footnote when that one stops mid-sentence). Each footnote is
  written after its page's running text as the layout expects: the number alone on a line,
  a blank line, then the footnote's text;
* a **reference mark** (a small raised number right after a word) is glued to the word
  (``judgment2``), as the layout expects;
* every page after the first starts on a new line with one leading space, the layout's
  page break, so evidence carries the page number; a page with no text keeps its place
  with its number alone on that line.

Example:
    >>> furniture_key("Warwickshire Police – PEEL 2016 | 12")
    'warwickshire police – peel # | #'
    >>> is_page_number("Page 3 of 40"), is_page_number("xii"), is_page_number("2016 figures")
    (True, True, False)
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from peelgraph.errors import ReportError

__all__ = ["Word", "Line", "Page", "pdf_pages", "pdf_text", "lay_out_pages", "furniture_key", "is_page_number"]

_NS = "{http://www.w3.org/1999/xhtml}"
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?(?:\d{1,4}|[ivxlc]{1,7})(?:\s*(?:of|/)\s*\d{1,4})?$", re.I)
_BAND = 0.1  # the top and bottom tenth of a page hold running headers and footers
_SMALLER = 0.88  # a footnote's type is at most this share of the running text's
_NOTE_START = re.compile(r"^(\d{1,3})(?![\d,.:%])\s*(?=\S)")


@dataclass(frozen=True)
class Word:
    """A word and its box (points from the page's top left)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def height(self) -> float:
        """The box's height, which follows the type size."""
        return self.y1 - self.y0


@dataclass(frozen=True)
class Line:
    """A line of words, and whether it ends a block (a paragraph, a heading, a cell)."""

    words: tuple[Word, ...]
    block_end: bool = False

    @property
    def y0(self) -> float:
        return min(w.y0 for w in self.words)

    @property
    def y1(self) -> float:
        return max(w.y1 for w in self.words)

    @property
    def height(self) -> float:
        """The tallest word's height (a raised reference mark is shorter than its word)."""
        return max(w.height for w in self.words)

    @property
    def text(self) -> str:
        """The words joined by spaces; a small number right after a word is glued to it (a reference mark)."""
        out = ""
        prev: Word | None = None
        for w in self.words:
            glued = (prev is not None and w.text.isdigit() and w.x0 - prev.x1 < 1.5
                     and w.height < _SMALLER * prev.height)
            out += w.text if (prev is None or glued) else " " + w.text
            prev = w
        return out


@dataclass(frozen=True)
class Page:
    """A page's size and its lines in reading order."""

    width: float
    height: float
    lines: tuple[Line, ...]


def furniture_key(text: str) -> str:
    """A line's text as running headers and footers are compared: lower case, numbers as ``#``."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.strip().lower()))


def is_page_number(text: str) -> bool:
    """Whether a line is a page number standing alone (``12``, ``Page 12``, ``12 of 40``, ``xii``)."""
    return bool(_PAGE_NUMBER.match(text.strip()))


def pdf_pages(path: Path, data: bytes) -> list[Page]:
    """The words of every page and their boxes, from poppler's ``pdftotext -bbox-layout``.

    Raises:
        ReportError: pdftotext is not installed; the PDF needs a password; it is damaged.
    """
    exe = shutil.which("pdftotext")
    if exe is None:
        raise ReportError("reading a PDF needs poppler's pdftotext (Debian: apt-get install poppler-utils)",
                          path=str(path))
    try:
        done = subprocess.run([exe, "-bbox-layout", "-enc", "UTF-8", "-", "-"], input=data,
                              capture_output=True, timeout=600, check=False)
    except subprocess.TimeoutExpired:
        raise ReportError("the PDF could not be read within 10 minutes", path=str(path)) from None
    if done.returncode != 0 or not done.stdout.strip():
        raise ReportError(_why_unreadable(data, done), path=str(path))
    try:
        root = ET.fromstring(done.stdout)
    except ET.ParseError as exc:
        raise ReportError(f"the PDF is damaged (its text could not be read: {exc})", path=str(path)) from None
    pages = []
    for page in root.iter(f"{_NS}page"):
        lines: list[Line] = []
        for block in page.iter(f"{_NS}block"):
            blines = [ln for ln in (_line(e) for e in block.iter(f"{_NS}line")) if ln is not None]
            lines.extend(Line(ln.words, k == len(blines) - 1) for k, ln in enumerate(blines))
        pages.append(Page(float(page.get("width", 0)), float(page.get("height", 0)), tuple(lines)))
    return pages


def _line(e: ET.Element) -> Line | None:
    words = tuple(Word(w.text, float(w.get("xMin", 0)), float(w.get("yMin", 0)), float(w.get("xMax", 0)),
                       float(w.get("yMax", 0)))
                  for w in e.iter(f"{_NS}word") if w.text and w.text.strip())
    return Line(words) if words else None


def _why_unreadable(data: bytes, done: subprocess.CompletedProcess[bytes]) -> str:
    """Why pdftotext could not read a PDF: a password (poppler says so), else damage (pypdf names it)."""
    import io

    import pypdf

    said = done.stderr.decode("utf-8", "replace")
    if re.search(r"password", said, re.I):
        return "the PDF is encrypted with a password; save an unprotected copy and read that"
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        _ = len(reader.pages)
    except Exception as exc:  # pypdf raises many types for broken files
        return f"the PDF is damaged ({exc})"
    first = next((ln.strip() for ln in said.splitlines() if ln.strip()), f"exit code {done.returncode}")
    return f"the PDF is damaged (pdftotext: {first})"


def pdf_text(path: Path, data: bytes) -> str:
    """The text of a PDF laid out as the layout reads extracted text (see the module docstring).

    Raises:
        ReportError: the PDF cannot be read (why: a password, damage) or has no text layer (a scan).
    """
    pages = pdf_pages(path, data)
    text = lay_out_pages(pages)
    if not re.search(r"[A-Za-z]{2}", text):
        raise ReportError(f"the PDF has no text layer ({len(pages)} page(s) of images, a scan?); "
                          "run OCR on it first", path=str(path))
    return text


def lay_out_pages(pages: list[Page]) -> str:
    """Pages of positioned lines as text: furniture dropped, footnotes after each page's running text."""
    body_height = _body_height(pages)
    furniture = _furniture(pages)
    parts: list[str] = []
    notes: list[list[str]] = []  # the footnotes of the page being written: [number, line, line ...]
    last = 0  # the number of the last footnote
    for i, page in enumerate(pages):
        lines = [ln for ln in page.lines if not _is_furniture(ln, page, furniture)]
        body, foot = _split_footnotes(lines, page, body_height)
        lead = 0
        while lead < len(foot) and not _footnote_texts(foot[lead:lead + 1], last):
            lead += 1
        unfinished = bool(notes) and not re.search(r"[.!?)”’\"']$", notes[-1][-1].rstrip())
        if lead and unfinished:  # a footnote carried over from the page before: its text joins that footnote
            parts[-1] += "".join(ln.text + "\n" for ln in foot[:lead])
        elif lead:  # small type at the foot that is no footnote stays in the running text
            body = body + foot[:lead]
        foot = foot[lead:]
        page_text = _page_text(body)
        if not page_text.strip():
            page_text = f"{i + 1}\n"  # an empty page keeps its place: its number alone
        if i:
            page_text = " " + page_text.lstrip(" ")
        notes = _footnote_texts(foot, last)
        if foot and not notes:  # small type at the foot that starts no footnote stays in the running text
            page_text += _page_text(foot)
        last = int(notes[-1][0]) if notes else last
        for note in notes:
            page_text += f"\n{note[0]}\n\n" + "\n".join(note[1:]) + "\n"
        parts.append(page_text)
    return "".join(parts)


def _body_height(pages: list[Page]) -> float:
    """The running text's line height: the commonest, weighted by words."""
    counts: Counter[float] = Counter()
    for page in pages:
        for ln in page.lines:
            counts[round(ln.height, 1)] += len(ln.words)
    return counts.most_common(1)[0][0] if counts else 0.0


def _band(ln: Line, page: Page) -> str | None:
    if ln.y1 <= page.height * _BAND:
        return "top"
    if ln.y0 >= page.height * (1 - _BAND):
        return "bottom"
    return None


def _furniture(pages: list[Page]) -> set[tuple[str, str]]:
    """``(band, key)`` of the lines that repeat in the top or bottom band of several pages."""
    seen: Counter[tuple[str, str]] = Counter()
    for page in pages:
        keys = {(band, furniture_key(ln.text)) for ln in page.lines if (band := _band(ln, page))}
        seen.update(keys)
    least = max(2, len(pages) // 2 + 1)  # on more than half the pages (a cover or contents page has none)
    return {k for k, n in seen.items() if n >= least}


def _is_furniture(ln: Line, page: Page, furniture: set[tuple[str, str]]) -> bool:
    """A running header or footer, or a page number: the top-most or bottom-most line of its page (a
    footnote's number standing alone at the foot is not the last line)."""
    band = _band(ln, page)
    if band is None:
        return False
    if (band, furniture_key(ln.text)) in furniture:
        return True
    edge = min(page.lines, key=lambda x: x.y0) if band == "top" else max(page.lines, key=lambda x: x.y1)
    return ln is edge and is_page_number(ln.text)


def _split_footnotes(lines: list[Line], page: Page, body_height: float) -> tuple[list[Line], list[Line]]:
    """The running text, and the footnote area: the lines at the foot of the page in smaller type
    that start with a footnote number (or continue one carried over), below every running line."""
    if not lines or body_height <= 0:
        return lines, []
    small = [ln.height < _SMALLER * body_height for ln in lines]
    k = len(lines)
    while k > 0 and small[k - 1]:
        k -= 1
    foot = lines[k:]
    body = lines[:k]
    lowest_body = max((ln.y1 for ln in body), default=0.0)
    foot = [ln for ln in foot if ln.y0 >= lowest_body - 0.5]
    if not foot or not (_NOTE_START.match(foot[0].text) or foot[0].y0 > page.height * 0.6):
        return lines, []
    return lines[: len(lines) - len(foot)], foot


def _footnote_texts(foot: list[Line], last: int) -> list[list[str]]:
    """Footnotes as ``[number, line, ...]``: a line that begins with the next footnote number (one to
    three past ``last``, the number before) starts one; a number glued to a text that begins with a
    digit (``144Ps`` after footnote 13) is split where the sequence says."""
    out: list[list[str]] = []
    for ln in foot:
        text = ln.text
        m = _NOTE_START.match(text) or re.match(r"^(\d{2,4})", text)
        number = None
        if m:
            digits = m.group(1)
            for cut in range(len(digits), 0, -1):
                if last < int(digits[:cut]) <= last + 3:
                    number = digits[:cut]
                    break
        if number is not None:
            out.append([number, text[len(number):].lstrip()])
            last = int(number)
        elif out:
            out[-1].append(text)
    return out


def _page_text(lines: list[Line]) -> str:
    """Lines of one page, a blank line after each block."""
    out = []
    for ln in lines:
        out.append(ln.text + "\n" + ("\n" if ln.block_end else ""))
    return "".join(out)
