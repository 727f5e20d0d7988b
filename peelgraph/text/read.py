"""Read a report file: strict UTF-8 text, or a PDF's text laid out page by page; ``load`` reads and lays out.

The file is never changed; what is read is what evidence offsets count into.

Example:
    >>> import pathlib, tempfile
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "r.txt"
    >>> _ = p.write_text("How well does it work?\\nIt works.\\n", encoding="utf-8")
    >>> text, digest = read_text(p)
    >>> text.splitlines(), len(digest)
    (['How well does it work?', 'It works.'], 64)
    >>> doc = load(p)
    >>> doc.report, [doc.quote(s) for s in doc.sentences]
    ('r', ['It works.'])
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from peelgraph.errors import ReportError
from peelgraph.text.layout import NO_FIXED_HEADINGS, Document, FixedHeadings, layout

__all__ = ["read_text", "read_pdf", "load"]


def read_text(path: str | Path) -> tuple[str, str]:
    """Read a report file strictly as UTF-8 text (or a PDF's text); return ``(text, sha256 of the file)``.

    Raises:
        ReportError: the file is missing, empty, binary, or not UTF-8.
    """
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise ReportError("no such file", path=str(path)) from None
    except IsADirectoryError:
        raise ReportError("is a directory, not a report file", path=str(path)) from None
    except OSError as exc:
        raise ReportError(f"cannot read: {exc.strerror}", path=str(path)) from None
    if not data.strip():
        raise ReportError("the file is empty", path=str(path))
    if b"%PDF-" in data[:1024]:  # before the binary check: a PDF's streams are binary
        return read_pdf(p, data), hashlib.sha256(data).hexdigest()
    if b"\x00" in data[:8192]:
        raise ReportError("binary file (not a text report)", path=str(path), offset=data.index(b"\x00"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReportError("not UTF-8 text (decode failed)", path=str(path), offset=exc.start) from None
    if text.startswith("\ufeff"):
        raise ReportError("the file starts with a byte-order mark; save it as UTF-8 without BOM", path=str(path))
    return text, hashlib.sha256(data).hexdigest()


def read_pdf(path: Path, data: bytes | None = None) -> str:
    """The text of a PDF, page by page, laid out as peelgraph reads extracted text
    (:mod:`peelgraph.text.pdf`: running headers, footers and page numbers dropped, each page's
    footnotes after its running text, every page after the first starting on a new line with one
    leading space, so evidence carries its page number). The text is what evidence offsets count
    into: the store keeps it beside the graph.

    Raises:
        ReportError: the PDF cannot be read, and why (a password, damage, no pdftotext), or has
            no text layer (a scan).
    """
    from peelgraph.text.pdf import pdf_text

    return pdf_text(path, data if data is not None else path.read_bytes())


def load(path: str | Path, report: str | None = None, *, headings: FixedHeadings = NO_FIXED_HEADINGS) -> Document:
    """Read and lay out a report file (its id defaults to the file's stem).

    ``headings`` are the fixed headings to lay out; to read a report with the headings of
    every registered template, use ``peelgraph.extract.templates.load``.
    """
    text, digest = read_text(path)
    return layout(report or Path(path).stem, text, path=str(path), sha256=digest, headings=headings)

