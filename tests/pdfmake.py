"""Make PDFs of a report as publishers do, for the PDF tests: reportlab lays the report out on A4
pages with a running header, a footer with the page number, raised reference marks and the
footnotes at the foot of the page that cites them, in compressed content streams; qpdf then
makes object streams, linearises and encrypts (an owner password, an empty user password).

The report is written from its laid-out text (headings, paragraphs, list items, grade lines),
not copied line by line, so the PDF's pages break wherever the layout of the PDF puts them.
"""

from __future__ import annotations

import bisect
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from peelgraph.text.layout import Document

HEADER = "Warwickshire Police – PEEL: Police effectiveness 2016"


@dataclass
class _Piece:
    kind: str  # "heading" or "para"
    words: list[tuple[str, int | None]]  # a word and the footnote it cites (in the source's numbering)


def pieces(doc: Document) -> list[_Piece]:
    """The report's blocks as pieces to set: a paragraph splits where the source had a blank line on
    the same page (a bullet) or a numbered item starts a line; each word keeps the footnote it cites."""
    # a footnote whose reference mark the layout did not find is cited where its text was pasted
    number_at = {fb.reference if fb.reference is not None else fb.number_start: fb.number for fb in doc.footnotes}
    refs = sorted(number_at)
    out: list[_Piece] = []
    for b in doc.blocks:
        kind = "heading" if b.kind in ("heading", "grade", "graded") else "para"
        cur: list[str] = []
        cites: dict[int, int] = {}  # char index in cur -> footnote

        for i in range(b.span.nstart, b.span.nend):
            if i > b.span.nstart:
                lo, hi = doc.omap[i - 1], doc.omap[i]
                for r in refs[bisect.bisect_right(refs, lo):bisect.bisect_left(refs, hi)]:
                    cites[max(0, len(cur) - 1)] = number_at[r]
                gap = doc.text[lo + 1:hi]
                if (re.search(r"\n[ \t]*\n", gap) and not re.search(r"\n [^ ]", gap)) or \
                        re.match(r"\s*\n\d\.\s", gap + doc.text[hi:hi + 3]):
                    _flush(out, kind, cur, cites)
            cur.append(doc.norm[i])
        _flush(out, kind, cur, cites)
    return out


def _flush(out: list[_Piece], kind: str, cur: list[str], cites: dict[int, int]) -> None:
    """Close a piece: its words, each with the footnote it cites; empty ``cur`` and ``cites``."""
    text = "".join(cur)
    words: list[tuple[str, int | None]] = []
    for m in re.finditer(r"\S+", text):
        note = next((n for i, n in cites.items() if m.start() <= i <= m.end()), None)
        words.append((m.group(0), note))
    if words:
        out.append(_Piece(kind, words))
    cur.clear()
    cites.clear()


def _fonts() -> tuple[str, str]:
    import reportlab
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    fonts = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    pdfmetrics.registerFont(TTFont("Vera", os.path.join(fonts, "Vera.ttf")))
    pdfmetrics.registerFont(TTFont("VeraBd", os.path.join(fonts, "VeraBd.ttf")))
    return "Vera", "VeraBd"


def make_report_pdf(doc: Document, out: Path, header: str = HEADER) -> int:
    """Set a laid-out report on A4 pages (see the module docstring); returns the number of pages."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    regular, bold = _fonts()
    notes = {fb.number: re.sub(r"\s+", " ", doc.text[fb.start:fb.end]).strip() for fb in doc.footnotes}
    marked = {fb.number for fb in doc.footnotes if fb.reference is not None}
    width, height = A4
    left, right, top, bottom = 60.0, 60.0, 60.0, 60.0
    measure = width - left - right
    body_size, body_lead, note_size, note_lead = 10.0, 13.0, 7.0, 9.0
    c = canvas.Canvas(str(out), pagesize=A4, pageCompression=1)
    c.setTitle(header)
    page = [1]
    y = [height - top]
    page_notes: list[tuple[int, list[str]]] = []
    numbering: dict[int, int] = {}  # source footnote -> number in this PDF (in order of citation)

    def note_lines(text: str, number: int) -> list[str]:
        words, lines, line = f"{number} {text}".split(), [], ""
        for w in words:
            trial = f"{line} {w}".strip()
            if stringWidth(trial, regular, note_size) > measure and line:
                lines.append(line)
                line = w
            else:
                line = trial
        return [*lines, line] if line else lines

    def foot_height(extra: list[tuple[int, list[str]]]) -> float:
        n = sum(len(ls) for _, ls in page_notes + extra)
        return n * note_lead + (8 if n else 0)

    def finish_page() -> None:
        c.setFont(regular, 8)
        c.drawString(left, height - 35, header)
        c.drawCentredString(width / 2, 30, str(page[0]))
        yy = bottom + foot_height([]) - 8 - note_lead + 2
        if page_notes:
            c.line(left, bottom + foot_height([]) - 4, left + 120, bottom + foot_height([]) - 4)
        for number, lines in page_notes:
            for k, ln in enumerate(lines):
                c.setFont(regular, note_size)
                if k == 0:  # the number raised and smaller, glued to the note's first word
                    num = str(number)
                    c.setFont(regular, note_size - 2)
                    c.drawString(left, yy + 2, num)
                    c.setFont(regular, note_size)
                    c.drawString(left + stringWidth(num, regular, note_size - 2), yy, ln[len(num) + 1:])
                else:
                    c.drawString(left, yy, ln)
                yy -= note_lead
        c.showPage()
        page[0] += 1
        y[0] = height - top
        page_notes.clear()

    for piece in pieces(doc):
        font, size, lead = (bold, 11.0, 14.0) if piece.kind == "heading" else (regular, body_size, body_lead)
        lines: list[list[tuple[str, int | None]]] = [[]]
        used = 0.0
        for w, note in piece.words:
            ww = stringWidth(w, font, size) + (stringWidth("99", font, 6) if note else 0)
            gap = stringWidth(" ", font, size) if lines[-1] else 0
            if used + gap + ww > measure and lines[-1]:
                lines.append([])
                used, gap = 0.0, 0
            lines[-1].append((w, note))
            used += gap + ww
        for line in lines:
            extra = []
            for _, note in line:
                if note is not None and note in notes and note not in numbering:
                    extra.append((note, note_lines(notes[note], len(numbering) + 1 + len(extra))))
            if y[0] - lead < bottom + foot_height(extra):
                finish_page()
            for note, _ in extra:
                numbering[note] = len(numbering) + 1
            page_notes.extend((numbering[note], lines_) for note, lines_ in extra)
            x = left
            for k, (w, note) in enumerate(line):
                if k:
                    x += stringWidth(" ", font, size)
                c.setFont(font, size)
                c.drawString(x, y[0] - size, w)
                x += stringWidth(w, font, size)
                if note is not None and note in numbering and note in marked:
                    c.setFont(regular, 6)
                    c.drawString(x, y[0] - size + 4, str(numbering[note]))
                    x += stringWidth(str(numbering[note]), regular, 6)
            y[0] -= lead
        y[0] -= 6  # space after a block
    finish_page()
    c.save()
    return page[0] - 1


def qpdf(src: Path, out: Path, *args: str) -> Path:
    """Rewrite a PDF with qpdf (object streams, linearisation, encryption)."""
    exe = shutil.which("qpdf")
    if exe is None:
        import pytest

        pytest.skip("qpdf is not installed (Debian: apt-get install qpdf)")
    subprocess.run([exe, *args, str(src), str(out)], check=True, capture_output=True)
    return out
