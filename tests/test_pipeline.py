"""peelgraph.graph.build: corpora of reports (PDF input is tested in test_pdf.py), re-extraction only of what changed,
bad files skipped, and no fact of one report leaking into another's named graph."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from peelgraph.errors import ReportError
from peelgraph.graph.build import build
from peelgraph.resources import expand_inputs
from peelgraph.store.oxigraph import build_store, open_store

ROOT = Path(__file__).resolve().parents[1]
OTHER = ROOT / "tests" / "data" / "other"


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


def test_build_jobs_give_the_bytes_of_a_serial_build(tmp_path, report_path) -> None:
    import subprocess
    import sys

    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(report_path, reports)
    for name in ("cumbria-effectiveness-2017.txt", "kent-peel-2022.txt", "norfolk-peel-2018-19.txt",
                 "not-a-report.txt"):
        shutil.copy(OTHER / name, reports)
    out = {}
    for jobs in ("1", "2"):
        store = tmp_path / f"store-{jobs}"
        res = subprocess.run([sys.executable, "-m", "peelgraph", "--store", str(store), "build", str(reports),
                              "-q", "--jobs", jobs], capture_output=True, text=True, check=False)
        assert res.returncode == 0, res.stderr
        assert "not-a-report.txt" in res.stderr  # skipped the same way
        out[jobs] = (store / "current" / "graph.nq").read_bytes()
    assert out["1"] == out["2"]
    assert out["1"].count(b"/id/report/") > 4 * 1000  # four reports' graphs, not one


def test_build_jobs_stop_at_a_bad_report_as_a_serial_build_does(tmp_path, report_path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    with pytest.raises(ReportError) as serial:
        build([report_path, bad], jobs=1)
    with pytest.raises(ReportError) as parallel:
        build([report_path, bad], jobs=2)
    assert parallel.value.message == serial.value.message
