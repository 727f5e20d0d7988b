"""peelgraph.graph.build: PDF input, corpora of reports, re-extraction only of what changed,
bad files skipped, and no fact of one report leaking into another's named graph."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from peelgraph.ask.validate import check_evidence
from peelgraph.errors import ReportError
from peelgraph.graph.build import build, extract
from peelgraph.resources import expand_inputs
from peelgraph.store.oxigraph import build_store, open_store

ROOT = Path(__file__).resolve().parents[1]
OTHER = ROOT / "tests" / "data" / "other"


def make_pdf(text: str, out: Path) -> int:
    """Lay the text out as a PDF: one PDF page per page of the text (pages start at lines
    beginning with one space), one text line per PDF line, with reportlab's bundled Vera font."""
    reportlab = pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("Vera", os.path.join(os.path.dirname(reportlab.__file__), "fonts", "Vera.ttf")))
    pages: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line.startswith(" ") and not line.startswith("  ") and line.strip() and pages[-1]:
            pages.append([])
        pages[-1].append(line)
    c = canvas.Canvas(str(out), pagesize=(700, 3000))
    for lines in pages:
        c.setFont("Vera", 8)
        y = 2980
        for ln in lines:
            c.drawString(20, y, ln if ln.strip() else "\u00a0")
            y -= 10
        c.showPage()
    c.save()
    return len(pages)


def _facts(ex) -> dict:
    return {
        "meta": (ex.report.id, ex.report.force, ex.report.year),
        "judgements": sorted((j.question, j.grade, j.previous_grade) for j in ex.judgements),
        "findings": sorted((f.kind, f.question, " ".join(f.evidence.quote.split()), str(f.deadline))
                           for f in ex.findings),
        "entities": sorted((e.key, e.label, e.kind) for e in ex.entities),
        "relations": sorted((r.subject, r.type, r.object, " ".join(r.evidence.quote.split()))
                            for r in ex.relations),
    }


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory, report_text) -> Path:
    out = tmp_path_factory.mktemp("pdf") / "warwickshire-effectiveness-2016.pdf"
    make_pdf(report_text, out)
    return out


def test_pdf_and_text_routes_give_the_same_facts_with_page_numbers(pdf_path, report_path) -> None:
    from_pdf = extract(pdf_path, curate=False)
    from_text = extract(report_path, curate=False)
    assert _facts(from_pdf) == _facts(from_text)
    pages = {f.evidence.page for f in from_pdf.findings}
    assert min(pages) >= 1 and max(pages) > 30
    afi = next(f for f in from_pdf.findings if f.kind == "area-for-improvement")
    assert afi.evidence.page == next(f for f in from_text.findings if f.kind == "area-for-improvement").evidence.page


def test_pdf_evidence_reslices_from_the_text_kept_in_the_store(pdf_path, tmp_path) -> None:
    store = tmp_path / "store"
    build_store(store, [pdf_path])
    text_file = store / "current" / "texts" / "warwickshire-police-effectiveness-2016.txt"
    assert text_file.is_file()
    check = check_evidence(store / "current" / "graph.nq", root=ROOT)
    assert check.total > 100 and check.matched == check.total


def test_folders_expand_to_reports(tmp_path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("x", encoding="utf-8")
    (tmp_path / "a" / "y.pdf").write_bytes(b"%PDF")
    (tmp_path / "a" / "notes.md").write_text("x", encoding="utf-8")
    assert [p.name for p in expand_inputs([tmp_path / "a"])] == ["x.txt", "y.pdf"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("corpus")
    shutil.copy(ROOT / "data" / "reports" / "warwickshire-effectiveness-2016.txt", d)
    for name in ("cumbria-effectiveness-2017.txt", "dyfed-powys-effectiveness-2015.txt", "kent-peel-2022.txt",
                 "northumbria-web-summary-2016.txt", "not-a-report.txt"):
        shutil.copy(OTHER / name, d)
    return d


def test_a_bad_file_is_skipped_not_the_corpus(corpus) -> None:
    result = build([corpus], skip_bad=True)
    assert len(result.extractions) == 5
    assert [Path(p).name for p, _ in result.skipped] == ["not-a-report.txt"]
    with pytest.raises(ReportError):
        build([corpus], skip_bad=False)


def test_only_changed_reports_are_extracted_again(corpus, tmp_path) -> None:
    work = tmp_path / "reports"
    shutil.copytree(corpus, work)
    store = tmp_path / "store"
    first = build_store(store, [work], skip_bad=True)
    assert first.manifest["reused"] == 0 and len(first.manifest["reports"]) == 5
    again = build_store(store, [work], skip_bad=True)
    assert again.manifest["reused"] == 5
    (work / "kent-peel-2022.txt").write_text((work / "kent-peel-2022.txt").read_text(encoding="utf-8") + "\n",
                                             encoding="utf-8")
    third = build_store(store, [work], skip_bad=True)
    assert third.manifest["reused"] == 4
    assert third.manifest["skipped"][0][0].endswith("not-a-report.txt")


def test_no_fact_leaks_between_report_graphs(corpus, tmp_path) -> None:
    store = tmp_path / "store"
    build_store(store, [corpus], skip_bad=True)
    nq = (store / "current" / "graph.nq").read_text(encoding="utf-8")
    by_graph: dict[str, list[str]] = {}
    for line in nq.splitlines():
        graph = line.rsplit(" ", 2)[-2]
        by_graph.setdefault(graph, []).append(line)
    assert len(by_graph) == 5
    for graph, lines in by_graph.items():
        rid = graph.rsplit("/", 1)[-1].rstrip(">")
        for line in lines:
            subject = line.split(" ", 1)[0]
            if "/report/" in subject:
                assert f"/report/{rid}/" in subject or subject.endswith(f"/report/{rid}>"), line
        text = "\n".join(lines)
        if "warwickshire" not in rid:
            for word in ("Warwickshire", "StraDA", "Leamington", "Nuneaton", "West Mercia"):
                assert word not in text, (rid, word)
    db = open_store(store)
    rows = db.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert int(next(iter(rows))["n"].value) == len(nq.splitlines())
