"""peelgraph.show.rdfexport and peelgraph.show.export: every RDF format re-reads to the same graph;
formats and output folders are checked before any work; writes are atomic."""

from __future__ import annotations

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from peelgraph.errors import ExportError
from peelgraph.show.export import EXPORT_FORMATS, check_format, check_writable, export_rdf, export_view
from peelgraph.show.netexport import NETWORK_FORMATS
from peelgraph.show.rdfexport import RDF_FORMATS, rdf_export, write_atomic


@pytest.fixture(scope="module")
def union(built_store) -> Graph:
    ds = Dataset()
    ds.parse(built_store / "current" / "graph.nq", format="nquads")
    g = Graph()
    for s, p, o, _ in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


@pytest.mark.parametrize("fmt", sorted(RDF_FORMATS))
def test_every_format_reads_back_to_the_same_graph(built_store, union, fmt) -> None:
    text = rdf_export(built_store / "current" / "graph.nq", fmt)
    if fmt in ("nq", "trig", "jsonld"):
        ds = Dataset()
        ds.parse(data=text, format=RDF_FORMATS[fmt])
        back = Graph()
        for s, p, o, g in ds.quads((None, None, None, None)):
            assert g is not None and str(g).startswith("https://w3id.org/peelgraph/id/report/")
            back.add((s, p, o))
    else:
        back = Graph().parse(data=text, format=RDF_FORMATS[fmt])
    assert isomorphic(back, union)


def test_nt_and_nq_are_sorted_and_stable(built_store) -> None:
    nq = built_store / "current" / "graph.nq"
    a, b = rdf_export(nq, "nt"), rdf_export(nq, "nt")
    assert a == b
    lines = a.splitlines()
    assert lines == sorted(lines)


def test_write_atomic_replaces_whole_file_or_nothing(tmp_path) -> None:
    target = tmp_path / "out.ttl"
    target.write_text("old", encoding="utf-8")
    write_atomic(target, "new content")
    assert target.read_text(encoding="utf-8") == "new content"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]
    with pytest.raises(ExportError, match="is a directory"):
        write_atomic(tmp_path, "x")
    with pytest.raises(ExportError, match="does not exist"):
        write_atomic(tmp_path / "missing" / "x.ttl", "x")


def test_export_formats_are_the_rdf_and_the_network_ones() -> None:
    assert set(EXPORT_FORMATS) == set(RDF_FORMATS) | set(NETWORK_FORMATS)
    assert len(EXPORT_FORMATS) == len(RDF_FORMATS) + len(NETWORK_FORMATS)
    assert check_format(" GEXF ") == "gexf"
    with pytest.raises(ExportError) as err:
        check_format("xlsx")
    assert all(f in str(err.value) for f in EXPORT_FORMATS)


def test_the_output_folder_is_checked_before_any_work(tmp_path) -> None:
    check_writable(None)
    check_writable("-")
    check_writable(tmp_path / "x.ttl")
    with pytest.raises(ExportError, match="does not exist"):
        check_writable(tmp_path / "missing" / "x.ttl")


def test_export_rdf_and_export_view_write_their_own_kind_of_format(built_store, db, tmp_path) -> None:
    nq = built_store / "current" / "graph.nq"
    assert export_rdf(nq, "NT", tmp_path / "g.nt") == [tmp_path / "g.nt"]
    assert (tmp_path / "g.nt").read_text(encoding="utf-8") == rdf_export(nq, "nt")
    assert export_view(db, "dependencies", "csv", tmp_path / "d.csv") == [tmp_path / "d.nodes.csv",
                                                                         tmp_path / "d.edges.csv"]
    with pytest.raises(ExportError, match="network format"):
        export_rdf(nq, "gexf", tmp_path / "x.gexf")
    with pytest.raises(ExportError, match="whole RDF graph"):
        export_view(db, "partners", "ttl", tmp_path / "x.ttl")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.edges.csv", "d.nodes.csv", "g.nt"]
