"""peelgraph.store.oxigraph: persisted, reused, rebuilt when an input changes, never half-written."""

from __future__ import annotations

import shutil

import pytest

from peelgraph.errors import ReportError
from peelgraph.store.oxigraph import build_store, ensure_store, is_stale, open_store, read_manifest


def test_store_is_reused_until_the_report_changes(tmp_path, report_path) -> None:
    copy = tmp_path / "reports" / report_path.name
    copy.parent.mkdir()
    shutil.copy(report_path, copy)
    store = tmp_path / "store"
    first = build_store(store, [copy])
    assert not is_stale(store)
    assert ensure_store(store).path == first.path  # reused, not rebuilt
    copy.write_text(copy.read_text(encoding="utf-8").replace("Good\n\nWarwickshire Police has been assessed",
                                                             "Outstanding\n\nWarwickshire Police has been assessed"),
                    encoding="utf-8")
    assert is_stale(store)
    second = ensure_store(store)
    assert second.path != first.path
    assert not first.path.exists()  # old generation removed
    db = open_store(store)
    grades = [str(r["g"].value) for r in db.query(
        "PREFIX pg: <https://w3id.org/peelgraph/ontology#> "
        "SELECT ?g WHERE { ?j pg:isOverall true ; pg:report ?r ; pg:grade ?g }")]
    assert grades == ["https://w3id.org/peelgraph/grade/outstanding"]


def test_failed_build_leaves_the_previous_store_usable(tmp_path, report_path) -> None:
    store = tmp_path / "store"
    build_store(store, [report_path])
    before = read_manifest(store)
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    with pytest.raises(ReportError):
        build_store(store, [report_path, bad])
    assert read_manifest(store) == before
    assert not list(store.glob("gen-tmp-*"))


def test_same_report_twice_is_an_error(tmp_path, report_path) -> None:
    with pytest.raises(ReportError, match="the same report"):
        build_store(tmp_path / "s", [report_path, report_path])
