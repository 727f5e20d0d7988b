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


def _answers(store) -> dict[str, list[tuple]]:
    from peelgraph.ask.catalogue import catalogue
    from peelgraph.ask.run import run
    from peelgraph.store.oxigraph import OxigraphBackend

    db = OxigraphBackend.open(store)
    try:
        return {q.name: sorted(map(repr, run(db, q, q.example).rows)) for q in catalogue()}
    finally:
        db.close()


def test_a_loaded_export_is_the_same_store(tmp_path, built_store) -> None:
    from peelgraph.show.export import export_rdf
    from peelgraph.store.oxigraph import check_store, load_store, reading

    dump = tmp_path / "graph.nq"
    with reading(built_store) as info:
        export_rdf(info.nquads, "nq", dump)
        original = info.nquads.read_bytes()
    store = tmp_path / "copy"
    loaded = load_store(store, dump)
    assert loaded.nquads.read_bytes() == original
    assert loaded.manifest["loaded_from"]["path"] == str(dump.resolve())
    assert loaded.manifest["reports"] == read_manifest(built_store)["reports"]
    chk = check_store(store)
    assert chk.ok and chk.stale is None
    assert _answers(store) == _answers(built_store)


def test_a_dump_in_other_formats_loads_the_same_graph(tmp_path, built_store) -> None:
    import pyoxigraph as ox

    from peelgraph.store.oxigraph import LOADED_GRAPH, load_store

    nq = (built_store / "current" / "graph.nq").read_bytes()
    trig = tmp_path / "graph.trig"
    trig.write_bytes(ox.serialize(ox.parse(nq, format=ox.RdfFormat.N_QUADS), format=ox.RdfFormat.TRIG))
    shuffled = tmp_path / "shuffled.nq"
    shuffled.write_bytes(b"\n".join(reversed(nq.splitlines())) + b"\n")
    a = load_store(tmp_path / "a", trig)
    b = load_store(tmp_path / "b", shuffled)
    assert a.nquads.read_bytes() == b.nquads.read_bytes()
    assert a.manifest["triples"] == b.manifest["triples"] == nq.count(b"\n")
    nt = tmp_path / "graph.nt"
    nt.write_bytes(b"<https://example.org/s> <https://example.org/p> \"o\" .\n")
    c = load_store(tmp_path / "c", nt)
    assert c.nquads.read_text(encoding="utf-8") == \
        f'<https://example.org/s> <https://example.org/p> "o" <{LOADED_GRAPH}> .\n'


@pytest.mark.parametrize(("name", "content", "why"), [
    ("bad.nq", b"<https://example.org/s> <https://example.org/p> \"unterminated .\n", "cannot load bad.nq"),
    ("empty.nq", b"", "holds no triples"),
    ("default.nq", b"<https://example.org/s> <https://example.org/p> <https://example.org/o> .\n",
     "outside any named graph"),
    ("graph.ttl", b"", "a graph dump is a .nq, .trig or .nt file"),
    ("missing.nq", None, "cannot read"),
])
def test_a_bad_dump_is_one_error_and_the_store_is_untouched(tmp_path, report_path, name, content, why) -> None:
    import subprocess
    import sys

    store = tmp_path / "store"
    build_store(store, [report_path])
    before = read_manifest(store)
    dump = tmp_path / name
    if content is not None:
        dump.write_bytes(content)
    res = subprocess.run([sys.executable, "-m", "peelgraph", "--store", str(store), "load", str(dump)],
                         capture_output=True, text=True, check=False)
    assert res.returncode == 3
    assert res.stderr.startswith("Error: ") and len(res.stderr.strip().splitlines()) == 1
    assert why in res.stderr
    assert read_manifest(store) == before
    assert not list(store.glob("gen-tmp-*"))


def test_the_store_holds_the_named_graphs_and_their_union_each_triple_once(tmp_path, built_store) -> None:
    import pyoxigraph as ox

    from peelgraph.store.oxigraph import load_store

    gen = (built_store / "current").resolve()
    lines = (gen / "graph.nq").read_text(encoding="utf-8").splitlines()
    # two report graphs sharing vocabulary: the union holds a shared triple once
    other = [ln.replace("/report/warwickshire-police-effectiveness-2016>", "/report/copy>")
             for ln in lines if ln.endswith("/report/warwickshire-police-effectiveness-2016> .")]
    dump = tmp_path / "two.nq"
    dump.write_text("".join(ln + "\n" for ln in sorted(set(lines) | set(other))), encoding="utf-8")
    info = load_store(tmp_path / "s", dump)
    assert not list(info.path.glob("union.nt"))
    db = ox.Store.read_only(str(info.path / "oxigraph"))
    count = lambda q: int(next(iter(db.query(q)))["n"].value)  # noqa: E731
    triples = {ln.rsplit(" ", 2)[0] for ln in dump.read_text(encoding="utf-8").splitlines()}
    assert count("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == len(triples) < 2 * len(lines)
    assert count("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }") == len(set(lines) | set(other))
    assert info.manifest["reports"] == ["copy", "warwickshire-police-effectiveness-2016"]
