"""peelgraph.vocab: the one vocabulary agrees with the ontology it names."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from peelgraph import vocab
from peelgraph.resources import PREFIXES

ONTOLOGY = Path(__file__).resolve().parents[1] / "ontology" / "peelgraph.ttl"


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY)


def _iri(curie: str) -> URIRef:
    prefix, local = curie.split(":")
    return URIRef(PREFIXES[prefix] + local)


def _defined(onto: Graph, iri: URIRef) -> bool:
    return (iri, RDF.type, None) in onto


def test_every_pg_class_of_a_kind_is_in_the_ontology(onto: Graph) -> None:
    for kind, curies in vocab.KIND_CLASSES.items():
        assert kind in vocab.ENTITY_KINDS
        for c in curies:
            if c.startswith("pg:"):
                assert _defined(onto, _iri(c)), c


def test_every_relation_property_is_in_the_ontology(onto: Graph) -> None:
    for slug, prop in vocab.RELATION_PROPERTIES.items():
        assert _defined(onto, URIRef(PREFIXES["pg"] + prop)), slug
        assert vocab.RELATION_TYPES[slug].family in vocab.RELATION_FAMILIES


def test_the_ontology_section_of_relations_is_what_the_vocabulary_generates() -> None:
    """ontology/peelgraph.ttl's relation section is written by tools/relations_ttl.py from the vocabulary."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("relations_ttl", ONTOLOGY.parents[1] / "tools" / "relations_ttl.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.section() in ONTOLOGY.read_text(encoding="utf-8"), "run: python tools/relations_ttl.py"


def test_every_relation_has_a_definition_domain_range_and_inverse(onto: Graph) -> None:
    from rdflib.namespace import OWL, RDFS

    pg = PREFIXES["pg"]
    for r in vocab.RELATION_TYPES.values():
        prop = URIRef(pg + r.property)
        assert onto.value(prop, RDFS.comment), r.slug
        assert onto.value(prop, RDFS.domain) is not None and onto.value(prop, RDFS.range) is not None, r.slug
        assert (prop, OWL.inverseOf, URIRef(pg + r.inverse)) in onto, r.slug
        assert ((prop, RDF.type, OWL.SymmetricProperty) in onto) == r.symmetric, r.slug
        assert set(r.subjects) <= set(vocab.ENTITY_KINDS) and set(r.objects) <= set(vocab.ENTITY_KINDS)


def test_finding_classes_and_pillars_are_in_the_ontology(onto: Graph) -> None:
    for cls in vocab.FINDING_CLASSES.values():
        assert _defined(onto, URIRef(PREFIXES["pg"] + cls)), cls
    for ind in vocab.PILLAR_INDIVIDUALS.values():
        assert _defined(onto, URIRef(PREFIXES["pg"] + ind)), ind


def test_the_grades_are_the_grade_scheme(onto: Graph) -> None:
    scheme = {str(s).removeprefix(PREFIXES["pgg"]) for s in onto.subjects(SKOS.inScheme, URIRef(PREFIXES["pgg"] +
                                                                                                 "scheme"))}
    assert scheme == set(vocab.GRADES)
    for g in vocab.GRADES:
        assert str(onto.value(URIRef(PREFIXES["pgg"] + g), SKOS.prefLabel)) == vocab.GRADE_LABELS[g]


def test_every_view_has_its_relations() -> None:
    assert set(vocab.VIEW_RELATIONS) == set(vocab.VIEWS)
    props = set(vocab.RELATION_PROPERTIES.values())
    for rels in vocab.VIEW_RELATIONS.values():
        assert set(rels) <= props
