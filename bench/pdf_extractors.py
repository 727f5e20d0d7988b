"""Which PDF text extractor peelgraph uses, measured: the shipped report laid out by LibreOffice
as a published report (real footnotes at the foot of each page, a running header, a page-number
footer), then read by each extractor that is installed.

Not a test: run it by hand (it needs Debian's ``libreoffice-writer-nogui`` and ``poppler-utils``;
pypdf, pdfminer.six and pdfplumber are measured when importable) and put its table in the README
("PDF reports").

    python bench/pdf_extractors.py            # prints the table; the PDF is kept in a temporary folder

What it measures, per extractor: seconds to extract every page (median of three runs), the share
of the report's words it recovers (words of the layout's sentences, as a multiset), and whether
it reads the PDF encrypted with qpdf (AES-256, an owner password, an empty user password). Then
peelgraph's own reader (``peelgraph.text.pdf``) on that PDF: the facts it gives against the text's.
"""

from __future__ import annotations

import bisect
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "data" / "reports" / "warwickshire-effectiveness-2016.txt"
HEADER = "Warwickshire Police – PEEL: Police effectiveness 2016"


def flat_odt(out: Path) -> None:
    """The shipped report as a Flat ODT: its headings and paragraphs (list items apart), each footnote a
    real footnote where the text cites it, a running header and a page-number footer."""
    from peelgraph.extract.templates import load

    doc = load(REPORT)
    text = doc.text
    at = {fb.reference if fb.reference is not None else fb.number_start: fb for fb in doc.footnotes}
    refs = sorted(at)

    def note(fb) -> str:  # type: ignore[no-untyped-def]
        body = escape(re.sub(r"\s+", " ", text[fb.start:fb.end]).strip())
        return (f'<text:note text:id="n{fb.number}" text:note-class="footnote"><text:note-citation>{fb.number}'
                f'</text:note-citation><text:note-body><text:p text:style-name="Footnote">{body}</text:p>'
                "</text:note-body></text:note>")

    body = []
    for b in doc.blocks:
        parts, cur = [], []
        for i in range(b.span.nstart, b.span.nend):
            if i > b.span.nstart:
                lo, hi = doc.omap[i - 1], doc.omap[i]
                cur.extend(note(at[r]) for r in refs[bisect.bisect_right(refs, lo):bisect.bisect_left(refs, hi)])
                gap = text[lo + 1:hi]
                if (re.search(r"\n[ \t]*\n", gap) and not re.search(r"\n [^ ]", gap)) or \
                        re.match(r"\s*\n\d\.\s", gap + text[hi:hi + 3]):
                    parts.append("".join(cur))
                    cur = []
            cur.append(escape(doc.norm[i]))
        parts.append("".join(cur))
        tag = "text:h" if b.kind == "heading" else "text:p"
        body += [f'<{tag} text:style-name="Text_20_body">{p.strip()}</{tag}>' for p in parts if p.strip()]
    out.write_text(f'''<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.2"
 office:mimetype="application/vnd.oasis.opendocument.text">
<office:styles>
<style:style style:name="Standard" style:family="paragraph"><style:text-properties fo:font-size="11pt"/></style:style>
<style:style style:name="Text_20_body" style:family="paragraph" style:parent-style-name="Standard">
<style:paragraph-properties fo:margin-bottom="0.2cm"/></style:style>
<style:style style:name="Footnote" style:family="paragraph" style:parent-style-name="Standard">
<style:text-properties fo:font-size="8pt"/></style:style>
<style:style style:name="Header" style:family="paragraph" style:parent-style-name="Standard">
<style:text-properties fo:font-size="9pt"/></style:style>
</office:styles>
<office:automatic-styles><style:page-layout style:name="pm1"><style:page-layout-properties fo:page-width="21cm"
 fo:page-height="29.7cm" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2.5cm" fo:margin-right="2.5cm"/>
<style:header-style/><style:footer-style/></style:page-layout></office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1">
<style:header><text:p text:style-name="Header">{escape(HEADER)}</text:p></style:header>
<style:footer><text:p text:style-name="Header">
<text:page-number text:select-page="current">1</text:page-number></text:p>
</style:footer></style:master-page></office:master-styles>
<office:body><office:text>
{chr(10).join(body)}
</office:text></office:body></office:document>
''', encoding="utf-8")


def extractors() -> dict[str, Callable[[Path], str]]:
    """Each installed extractor: a function from a PDF to its text."""
    out: dict[str, Callable[[Path], str]] = {}
    if shutil.which("pdftotext"):
        from peelgraph.text.pdf import pdf_text

        out["poppler pdftotext -bbox-layout (peelgraph.text.pdf)"] = lambda p: pdf_text(p, p.read_bytes())
        out["poppler pdftotext (plain text)"] = lambda p: subprocess.run(
            ["pdftotext", "-q", str(p), "-"], capture_output=True, check=True).stdout.decode("utf-8")
    try:
        import pypdf

        try:
            import cryptography  # noqa: F401  (pypdf needs it for AES)

            crypto = "with"
        except ImportError:
            crypto = "without"
        out[f"pypdf {pypdf.__version__} ({crypto} the cryptography package)"] = lambda p: "\n".join(
            pg.extract_text() or "" for pg in pypdf.PdfReader(p).pages)
    except ImportError:
        pass
    try:
        from pdfminer.high_level import extract_text

        out["pdfminer.six"] = lambda p: extract_text(str(p))
    except ImportError:
        pass
    try:
        import pdfplumber

        def plumber(p: Path) -> str:
            with pdfplumber.open(p) as pdf:
                return "\n".join(pg.extract_text() or "" for pg in pdf.pages)

        out["pdfplumber"] = plumber
    except ImportError:
        pass
    return out


def words(text: str) -> Counter[str]:
    """The words of a text, lower case, hyphenated words whole."""
    return Counter(re.findall(r"\w+(?:-\w+)*", re.sub(r"-\n", "-", text).lower()))


def main() -> None:
    from peelgraph.extract.templates import load
    from peelgraph.graph.build import extract

    if not shutil.which("soffice") or not shutil.which("qpdf"):
        sys.exit("needs LibreOffice (soffice) and qpdf: apt-get install libreoffice-writer-nogui qpdf poppler-utils")
    work = Path(tempfile.mkdtemp(prefix="pdf-extractors-"))
    flat_odt(work / "report.fodt")
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(work), str(work / "report.fodt")],
                   check=True, capture_output=True)
    pdf = work / "report.pdf"
    locked = work / "encrypted.pdf"
    subprocess.run(["qpdf", "--encrypt", "", "owner-secret", "256", "--", str(pdf), str(locked)], check=True)
    doc = load(REPORT)
    source = words(" ".join(doc.display(s) for s in doc.sentences))
    pages = re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout)
    print(f"{pdf}: {pages.group(1) if pages else '?'} pages; the report's words: {sum(source.values())}")
    print("| extractor | time per report | words of the report recovered | encrypted (AES-256, empty user password) |")
    print("|---|---:|---:|---|")
    for name, fn in extractors().items():
        times = []
        for _ in range(3):
            t = time.perf_counter()
            text = fn(pdf)
            times.append(time.perf_counter() - t)
        got = words(text)
        recall = sum(min(n, got[w]) for w, n in source.items()) / sum(source.values())
        try:
            fn(locked)
            enc = "read"
        except Exception as exc:  # each library fails its own way
            enc = f"fails: {str(exc)[:60]}"
        print(f"| {name} | {statistics.median(times):.2f} s | {recall:.2%} | {enc} |")

    def facts(ex) -> dict[str, set]:  # type: ignore[no-untyped-def]
        return {
            "judgements": {(j.question, j.grade, j.previous_grade) for j in ex.judgements},
            "template findings": {(f.kind, f.question, " ".join(f.text.split()), str(f.deadline)) for f in ex.findings
                                  if f.kind in ("area-for-improvement", "recommendation", "cause-of-concern")},
            "rules' findings": {(f.kind, f.question, " ".join(f.text.split())) for f in ex.findings},
            "entities": {(e.key, e.kind) for e in ex.entities},
            "relations": {(r.subject, r.type, r.object) for r in ex.relations},
        }

    a, b = facts(extract(pdf, curate=False)), facts(extract(REPORT, curate=False))
    print("\npeelgraph's reader on the LibreOffice PDF, against the text:")
    for k in b:
        print(f"  {k}: {len(a[k] & b[k])} of {len(b[k])} the same; {len(a[k] - b[k])} only from the PDF")


if __name__ == "__main__":
    main()
