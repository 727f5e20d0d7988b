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


# --------------------------------------------------------------------------- compact JSON-LD


@pytest.fixture(scope="module")
def jsonld_text(built_store) -> str:
    return rdf_export(built_store / "current" / "graph.nq", "jsonld")


def _quads(ds: Dataset) -> set:
    return set(ds.quads((None, None, None, None)))


def test_jsonld_is_compact_with_peelgraphs_prefixes(built_store, jsonld_text) -> None:
    import json

    from peelgraph.resources import PREFIXES

    doc = json.loads(jsonld_text)
    assert doc["@context"] == PREFIXES
    graphs = doc["@graph"]
    assert [g["@id"] for g in graphs] == ["pgr:report/warwickshire-police-effectiveness-2016"]
    nodes = graphs[0]["@graph"]
    assert [n["@id"] for n in nodes] == sorted((n["@id"] for n in nodes), key=lambda i: _full(i, PREFIXES))
    body = jsonld_text.split('"@graph"', 1)[1]
    for ns in PREFIXES.values():  # every IRI of a known namespace is written prefix:local
        assert '"' + ns not in body, ns
    mash = next(n for n in nodes if n.get("skos:altLabel") == "MASH" or "MASH" in (n.get("skos:altLabel") or []))
    assert mash["@id"].startswith("pgr:") and mash["@type"]
    turtle = rdf_export(built_store / "current" / "graph.nq", "ttl")
    assert len(jsonld_text) < 1.2 * len(turtle), (len(jsonld_text), len(turtle))  # it was twice the size, expanded


def _full(compact: str, prefixes: dict) -> str:
    prefix, _, local = compact.partition(":")
    return "<" + prefixes.get(prefix, prefix + ":") + local + ">"


def test_jsonld_reads_back_with_rdflib(built_store, jsonld_text) -> None:
    want = Dataset()
    want.parse(built_store / "current" / "graph.nq", format="nquads")
    back = Dataset()
    back.parse(data=jsonld_text, format="json-ld")
    assert _quads(back) == _quads(want)


def test_jsonld_reads_back_with_pyld(built_store, jsonld_text) -> None:
    """A second JSON-LD processor (PyLD, JSON-LD 1.1), offline: the inline @context needs no fetch."""
    import json

    from pyld import jsonld

    def no_fetch(url: str, options: object = None) -> None:
        raise AssertionError(f"PyLD tried to fetch {url}")

    jsonld.set_document_loader(no_fetch)
    nquads = jsonld.to_rdf(json.loads(jsonld_text), {"format": "application/n-quads"})
    back = Dataset()
    back.parse(data=nquads, format="nquads")
    want = Dataset()
    want.parse(built_store / "current" / "graph.nq", format="nquads")
    assert _quads(back) == _quads(want)


def test_jsonld_is_byte_identical_across_hash_seeds(built_store, jsonld_text) -> None:
    import hashlib
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    script = ("import hashlib, sys; from pathlib import Path; from peelgraph.show.rdfexport import rdf_export; "
              "print(hashlib.sha256(rdf_export(Path(sys.argv[1]), 'jsonld').encode()).hexdigest())")
    outs = {subprocess.run([sys.executable, "-c", script, str(built_store / "current" / "graph.nq")], check=True,
                           capture_output=True, text=True, timeout=300,
                           env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(root)}).stdout.strip()
            for seed in ("0", "4242")}
    assert outs == {hashlib.sha256(jsonld_text.encode()).hexdigest()}


def test_jsonld_literals_keep_their_datatype_language_and_lexical_form() -> None:
    import json

    from rdflib import Literal, URIRef

    from peelgraph.show.rdfexport import jsonld

    s, g = URIRef("https://w3id.org/peelgraph/id/x"), URIRef("https://w3id.org/peelgraph/id/report/r")
    p = URIRef("https://w3id.org/peelgraph/ontology#text")
    quads = [(s, p, Literal("512.60", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal")), g),
             (s, p, Literal("colour", lang="en-gb"), g), (s, p, Literal('a "quote" \\ ünïcode'), g),
             (s, p, URIRef("http://example.org/elsewhere"), g)]
    text = jsonld(quads)
    assert jsonld(list(reversed(quads))) == text
    node = json.loads(text)["@graph"][0]["@graph"][0]
    assert node["@id"] == "pgr:x"
    assert {"@value": "512.60", "@type": "xsd:decimal"} in node["pg:text"]
    assert {"@value": "colour", "@language": "en-gb"} in node["pg:text"]
    assert 'a "quote" \\ ünïcode' in node["pg:text"]
    assert {"@id": "http://example.org/elsewhere"} in node["pg:text"]
    back = Dataset()
    back.parse(data=text, format="json-ld")
    assert _quads(back) == set(quads)
