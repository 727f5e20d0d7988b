"""peelgraph.text.pdf: PDFs as published (compressed, object streams, linearised, encrypted with an
empty user password) give the same facts as the text; running headers, footers and page numbers
never enter a sentence; an unreadable PDF says why."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pdfmake import HEADER, make_report_pdf, qpdf

from peelgraph.ask.validate import check_evidence
from peelgraph.errors import ReportError
from peelgraph.extract import templates
from peelgraph.graph.build import extract
from peelgraph.store.oxigraph import build_store
from peelgraph.text.pdf import Line, Page, Word, lay_out_pages
from peelgraph.text.read import read_text

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module", autouse=True)
def _poppler() -> None:
    """Reading a PDF needs poppler's pdftotext (``.ci/run`` installs it; under CI a skip fails)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler's pdftotext is not installed (Debian: apt-get install poppler-utils)")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory, report_path) -> dict[str, Path]:
    """The shipped report as a compressed PDF, and rewritten with object streams and linearised, and
    encrypted with an owner password and an empty user password."""
    d = tmp_path_factory.mktemp("pdfs")
    compressed = d / "warwickshire-effectiveness-2016.pdf"
    make_report_pdf(templates.load(report_path), compressed)
    (d / "os").mkdir()
    (d / "enc").mkdir()
    return {
        "compressed": compressed,
        "object-streams": qpdf(compressed, d / "os" / compressed.name, "--object-streams=generate", "--linearize"),
        "encrypted": qpdf(compressed, d / "enc" / compressed.name, "--encrypt", "", "owner-only-secret", "256", "--"),
    }


def _facts(ex) -> dict:
    """What a reader compares: report, judgements, template findings and relations exactly; the
    rules' findings (kind, question, text) and entities as sets."""
    template_kinds = {"area-for-improvement", "recommendation", "cause-of-concern"}
    return {
        "meta": (ex.report.id, ex.report.force, ex.report.pillar, ex.report.year),
        "judgements": sorted((j.question, j.grade, j.previous_grade) for j in ex.judgements),
        "template": sorted((f.kind, f.question, re.sub(r"\s+", " ", f.text), str(f.deadline))
                           for f in ex.findings if f.kind in template_kinds),
        "relations": sorted((r.subject, r.type, r.object) for r in ex.relations),
        "findings": {(f.kind, f.question, re.sub(r"\s+", " ", f.text)) for f in ex.findings},
        "entities": {(e.key, e.label, e.kind) for e in ex.entities},
    }


@pytest.fixture(scope="module")
def text_facts(report_path) -> dict:
    return _facts(extract(report_path, curate=False))


@pytest.mark.parametrize("kind", ["compressed", "object-streams", "encrypted"])
def test_a_published_pdf_gives_the_facts_of_the_text(pdfs, kind: str, text_facts: dict) -> None:
    data = pdfs[kind].read_bytes()
    if kind == "compressed":
        assert b"/FlateDecode" in data and b"Introduction" not in data  # the text is in compressed streams
    if kind == "object-streams":
        assert b"/ObjStm" in data and b"/Linearized" in data[:1024]
    if kind == "encrypted":
        assert b"/Encrypt" in data
    got = _facts(extract(pdfs[kind], curate=False))
    for key in ("meta", "judgements", "template", "relations"):
        assert got[key] == text_facts[key], key
    # the rules' findings and entities: the same but for a handful that sit where the PDF breaks a page
    # differently (a reference mark after a year, "2015.2", is read as a decimal by the layout)
    assert len(got["findings"] ^ text_facts["findings"]) <= 6
    assert len(got["entities"] ^ text_facts["entities"]) <= 2


def test_headers_footers_and_page_numbers_never_enter_a_sentence(pdfs) -> None:
    doc = templates.load(pdfs["compressed"])
    assert HEADER not in doc.text  # dropped from the text the evidence counts into
    texts = [doc.display(s) for s in doc.sentences]
    assert len(texts) > 600
    assert not [t for t in texts if "PEEL: Police effectiveness 2016" in t and "Warwickshire" in t]
    # no page number left inside a sentence: every bare number in the text is a footnote's number
    bare = {int(m.group(0)) for m in re.finditer(r"(?m)^\s?\d{1,3}$", doc.text)}
    assert bare <= {fb.number for fb in doc.footnotes}
    # the footnotes are read as footnotes, in sequence, and the page numbers stay in the evidence
    numbers = [fb.number for fb in doc.footnotes]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 20
    st = templates.best(doc).read(doc)
    pages = [j.evidence.page for j in st.judgements]
    assert all(p is not None and p >= 1 for p in pages) and max(f.evidence.page or 0 for f in st.findings) > 15


def test_pdf_evidence_reslices_from_the_text_kept_in_the_store(pdfs, tmp_path) -> None:
    store = tmp_path / "store"
    build_store(store, [pdfs["encrypted"]])
    text_file = store / "current" / "texts" / "warwickshire-police-effectiveness-2016.txt"
    assert text_file.is_file()
    check = check_evidence(store / "current" / "graph.nq", root=ROOT)
    assert check.total > 100 and check.matched == check.total


def test_a_pdf_with_a_user_password_says_so(pdfs, tmp_path) -> None:
    locked = qpdf(pdfs["compressed"], tmp_path / "locked.pdf", "--encrypt", "user-secret", "owner-secret", "256",
                  "--")
    with pytest.raises(ReportError, match="encrypted with a password"):
        read_text(locked)


def test_a_scan_with_no_text_layer_says_so(tmp_path) -> None:
    from reportlab.pdfgen import canvas

    scan = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(scan), pageCompression=1)
    for _ in range(2):
        c.rect(50, 50, 400, 600, fill=1)  # a picture of a page, no text
        c.showPage()
    c.save()
    with pytest.raises(ReportError, match=r"no text layer \(2 page\(s\) of images"):
        read_text(scan)


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_a_damaged_pdf_says_so(pdfs, tmp_path, damage: str) -> None:
    data = pdfs["compressed"].read_bytes()
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(data[:1200] if damage == "truncated" else b"%PDF-1.7\n" + bytes(range(256)) * 20)
    with pytest.raises(ReportError, match="the PDF is damaged"):
        read_text(bad)


def test_without_pdftotext_the_error_names_poppler(monkeypatch, pdfs) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(ReportError, match="needs poppler's pdftotext"):
        read_text(pdfs["compressed"])


# ---- the page model, on hand-built pages --------------------------------------------------------------


def _line(text: str, y: float, size: float = 10.0, block_end: bool = True) -> Line:
    words, x = [], 60.0
    for w in text.split():
        words.append(Word(w, x, y, x + 5 * len(w), y + size))
        x += 5 * len(w) + 3
    return Line(tuple(words), block_end)


def _page(*lines: Line) -> Page:
    return Page(600.0, 800.0, lines)


def test_furniture_goes_and_footnotes_follow_their_page() -> None:
    pages = [
        _page(_line("Kent Police – PEEL 2016", 30, 8), _line("The force works well with partners.", 200),
              _line("It shares data.1", 214), _line("1 Data are shared under an agreement.", 700, 7),
              _line("Page 1 of 2", 770, 8)),
        _page(_line("Kent Police – PEEL 2016", 30, 8), _line("Its plans are sound.", 200),
              _line("Page 2 of 2", 770, 8)),
    ]
    assert lay_out_pages(pages) == (
        "The force works well with partners.\n\nIt shares data.1\n\n"
        "\n1\n\nData are shared under an agreement.\n"
        " Its plans are sound.\n\n"
    )


def test_a_footnote_carried_over_joins_its_start_and_glued_numbers_split_by_sequence() -> None:
    pages = [
        _page(_line("Body text one says a good deal more than its footnote does.", 200),
              _line("1 The 4P model has four parts:", 700, 7)),
        _page(_line("Body text two also says a good deal more than its footnotes.", 200),
              _line("pursue, prevent, protect, prepare.", 690, 7),
              _line("24Ps are used nationally.", 700, 7)),
    ]
    text = lay_out_pages(pages)
    assert "\n1\n\nThe 4P model has four parts:\npursue, prevent, protect, prepare.\n" in text
    assert "\n2\n\n4Ps are used nationally.\n" in text
    assert text.index("pursue") < text.index(" Body text two")


def test_an_empty_page_keeps_its_place() -> None:
    pages = [_page(_line("First page text.", 200)), _page(), _page(_line("Third page text.", 200))]
    doc = templates.layout("r", lay_out_pages(pages))
    third = doc.text.index("Third")
    assert doc.page_of(third) == 3


def test_a_heading_at_the_top_of_some_pages_and_a_footnote_number_alone_are_kept() -> None:
    pages = [
        _page(_line("Kent Police – PEEL 2016", 30, 8), _line("Summary of findings", 60),
              _line("The force is good at protecting people.1", 200), _line("1", 690, 7),
              _line("A footnote whose number stands on its own line.", 700, 7), _line("1", 770, 8)),
        _page(_line("Kent Police – PEEL 2016", 30, 8), _line("The force plans well.", 200), _line("2", 770, 8)),
        _page(_line("Kent Police – PEEL 2016", 30, 8), _line("Summary of findings", 60),
              _line("The force is good at investigating crime.", 200), _line("3", 770, 8)),
        _page(_line("Kent Police – PEEL 2016", 30, 8), _line("It works with partners.", 200), _line("4", 770, 8)),
    ]
    text = lay_out_pages(pages)
    assert text.count("Summary of findings") == 2  # on two of four pages: not a running header
    assert "Kent Police – PEEL 2016" not in text
    assert "\n1\n\nA footnote whose number stands on its own line.\n" in text
    assert not re.search(r"(?m)^ ?[234]$", text)  # the page numbers


def test_a_note_in_small_type_after_a_finished_footnote_stays_on_its_own_page() -> None:
    pages = [
        _page(_line("Body text one says a good deal more than its footnote does.", 200),
              _line("1 A finished footnote.", 700, 7)),
        _page(_line("Body text two also says a good deal more than its footnotes.", 200),
              _line("Source: force data for the year.", 700, 7)),
    ]
    text = lay_out_pages(pages)
    assert "\n1\n\nA finished footnote.\n Body text two" in text
    assert text.endswith("Source: force data for the year.\n\n")
