"""Tests for ontology/: the OWL ontology, the SHACL shapes and their examples, the grade
scheme and the shared concept vocabulary (concepts.ttl).

Validation settings (used for every example, and the ones the build should use too):
``pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none",
allow_warnings=False)``. The ontology graph is mixed into the data graph, so
``sh:targetClass pg:Finding`` also reaches nodes typed only ``pg:Recommendation``.

Examples follow a naming convention: ``examples/<ShapeLocalName>-valid.ttl`` must conform;
``examples/<ShapeLocalName>-invalid-<what>.ttl`` must fail, and every validation result must
come from that node shape (directly, or from one of its property or SPARQL constraints).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS

ONTOLOGY_DIR = Path(__file__).parents[1] / "ontology"
EXAMPLES_DIR = ONTOLOGY_DIR / "examples"

PG = Namespace("https://w3id.org/peelgraph/ontology#")
PGG = Namespace("https://w3id.org/peelgraph/grade/")
PGC = Namespace("https://w3id.org/peelgraph/concept/")
ORG = Namespace("http://www.w3.org/ns/org#")
# not rdflib's XSD namespace object: pytest's collection probes module attributes and
# rdflib warns on unknown XSD terms
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")

GRADE_SCHEME = URIRef("https://w3id.org/peelgraph/grade/scheme")
CONCEPT_SCHEME = URIRef("https://w3id.org/peelgraph/concept/scheme")
GRADES = {
    "outstanding": 1,
    "good": 2,
    "adequate": 3,
    "requires-improvement": 4,
    "inadequate": 5,
    "ungraded": 0,
}
ENTITY_TYPES = {
    ORG.Organization,
    ORG.OrganizationalCollaboration,
    ORG.OrganizationalUnit,
    PG.Programme,
    PG.Practice,
    PG.LegalPower,
    PG.InformationSystem,
    PG.Role,
}
SCOPES = {PG.National, PG.Local}

TTL_FILES = sorted(ONTOLOGY_DIR.rglob("*.ttl"))
VALID_EXAMPLES = sorted(EXAMPLES_DIR.glob("*-valid.ttl"))
INVALID_EXAMPLES = sorted(EXAMPLES_DIR.glob("*-invalid-*.ttl"))


def _rel(path: Path) -> str:
    return path.relative_to(ONTOLOGY_DIR).as_posix()


def _shape_of(example: Path) -> URIRef:
    """The node shape an example is about, from its file name."""
    local = re.split(r"-(?:valid|invalid)", example.stem, maxsplit=1)[0]
    return PG[local]


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "peelgraph.ttl")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "shapes.ttl")


@pytest.fixture(scope="module")
def concepts() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "concepts.ttl")


def _node_shapes(shapes: Graph) -> set[URIRef]:
    """Named node shapes that have a target (the shapes the built graph is checked with)."""
    targets = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)
    return {
        s
        for s in shapes.subjects(RDF.type, SH.NodeShape)
        if isinstance(s, URIRef) and any(shapes.value(s, t) is not None for t in targets)
    }


def _owning_shape(shapes: Graph, source: URIRef) -> URIRef:
    """The node shape a validation result's sh:sourceShape belongs to."""
    for link in (SH.property, SH.sparql):
        owner = shapes.value(None, link, source)
        if owner is not None:
            return owner
    return source


def _validate(data: Graph, shapes: Graph, ontology: Graph):
    import pyshacl

    return pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        allow_warnings=False,
    )


# --------------------------------------------------------------------------- parsing


@pytest.mark.parametrize("path", TTL_FILES, ids=_rel)
def test_turtle_parses(path: Path) -> None:
    graph = Graph().parse(path, format="turtle")
    assert len(graph) > 0


def test_there_are_examples() -> None:
    assert VALID_EXAMPLES and INVALID_EXAMPLES
    others = set(EXAMPLES_DIR.glob("*.ttl")) - set(VALID_EXAMPLES) - set(INVALID_EXAMPLES)
    assert not others, f"example files not named <Shape>-valid / <Shape>-invalid-<what>: {others}"


# --------------------------------------------------------------------------- ontology


def test_ontology_declares_the_pg_terms(ontology: Graph) -> None:
    classes = {
        "InspectionReport", "Inspection", "Force", "CoreQuestion", "Section", "Judgement",
        "Finding", "AreaForImprovement", "Recommendation", "CauseOfConcern", "Strength",
        "Weakness", "Footnote", "Relation", "Programme", "Practice", "LegalPower",
        "InformationSystem", "Role", "Pillar", "Scope",
    }
    properties = {
        "force", "pillar", "year", "sha256", "inspection", "number", "heading", "question",
        "report", "isOverall", "grade", "previousJudgement", "text", "concerns", "deadline",
        "partOfRecommendation", "defines", "evidence", "mention", "mergeNote", "rule",
        "section", "softwareVersion", "instanceOf", "entityType", "scope", "memberOf",
        "worksWith", "partOf", "locatedIn", "dependsOn", "basedOn", "accessedThrough",
        "chairedBy", "overseenBy", "fundedBy", "supportedBy", "page", "curated", "rank",
    }
    for name in classes:
        assert (PG[name], RDF.type, OWL.Class) in ontology, name
    for name in properties:
        kinds = set(ontology.objects(PG[name], RDF.type))
        assert kinds & {OWL.ObjectProperty, OWL.DatatypeProperty}, name
    for term in {PG[n] for n in classes | properties}:
        assert ontology.value(term, RDFS.label) is not None, term
        assert ontology.value(term, RDFS.comment) is not None, term
    for finding in ("AreaForImprovement", "Recommendation", "CauseOfConcern", "Strength", "Weakness"):
        assert (PG[finding], RDFS.subClassOf, PG.Finding) in ontology
    assert (PG.basedOn, RDFS.subPropertyOf, PG.dependsOn) in ontology
    assert (PG.accessedThrough, RDFS.subPropertyOf, PG.dependsOn) in ontology
    assert (PG.worksWith, RDF.type, OWL.SymmetricProperty) in ontology
    assert (PG.Relation, RDFS.subClassOf, RDF.Statement) in ontology
    for pillar in ("Effectiveness", "Efficiency", "Legitimacy", "Leadership"):
        assert (PG[pillar], RDF.type, PG.Pillar) in ontology
    for scope in SCOPES:
        assert (scope, RDF.type, PG.Scope) in ontology


def test_every_pg_term_used_in_ontology_files_is_declared(ontology: Graph, shapes: Graph, concepts: Graph) -> None:
    declared = set(ontology.subjects(RDFS.label, None))
    used: set[URIRef] = set()
    for graph in (ontology, concepts):
        for triple in graph:
            used |= {t for t in triple if isinstance(t, URIRef) and str(t).startswith(str(PG))}
    for path in VALID_EXAMPLES:
        for triple in Graph().parse(path):
            used |= {t for t in triple if isinstance(t, URIRef) and str(t).startswith(str(PG))}
    shape_names = set(shapes.subjects())
    missing = {t for t in used - declared if t not in shape_names}
    assert not missing, sorted(missing)


# --------------------------------------------------------------------------- grades


def test_grade_scheme(ontology: Graph) -> None:
    assert (GRADE_SCHEME, RDF.type, SKOS.ConceptScheme) in ontology
    in_scheme = set(ontology.subjects(SKOS.inScheme, GRADE_SCHEME))
    assert in_scheme == {PGG[g] for g in GRADES}
    for slug, rank in GRADES.items():
        grade = PGG[slug]
        assert (grade, RDF.type, SKOS.Concept) in ontology
        labels = list(ontology.objects(grade, SKOS.prefLabel))
        assert labels == [Literal(slug.replace("-", " "))], (slug, labels)
        assert ontology.value(grade, SKOS.definition) is not None, slug
        assert ontology.value(grade, PG.rank) == Literal(rank), slug
    assert ontology.value(PGG.adequate, SKOS.note) is not None


# --------------------------------------------------------------------------- shapes


def test_every_shape_has_valid_and_invalid_examples(shapes: Graph) -> None:
    node_shapes = _node_shapes(shapes)
    assert node_shapes
    for shape in sorted(node_shapes):
        local = str(shape).rsplit("#", 1)[-1]
        assert (EXAMPLES_DIR / f"{local}-valid.ttl").exists(), f"no valid example for {local}"
        assert list(EXAMPLES_DIR.glob(f"{local}-invalid-*.ttl")), f"no invalid example for {local}"
    for example in VALID_EXAMPLES + INVALID_EXAMPLES:
        assert _shape_of(example) in node_shapes, f"{example.name} names no shape in shapes.ttl"


def test_every_constraint_has_a_message(shapes: Graph) -> None:
    for shape in _node_shapes(shapes):
        for constraint in list(shapes.objects(shape, SH.property)) + list(shapes.objects(shape, SH.sparql)):
            assert isinstance(constraint, URIRef), f"{shape}: property shapes are named"
            assert shapes.value(constraint, SH.message) is not None, constraint


@pytest.mark.parametrize("path", VALID_EXAMPLES, ids=lambda p: p.stem)
def test_valid_example_conforms(path: Path, shapes: Graph, ontology: Graph) -> None:
    conforms, _, text = _validate(Graph().parse(path), shapes, ontology)
    assert conforms, text


@pytest.mark.parametrize("path", INVALID_EXAMPLES, ids=lambda p: p.stem)
def test_invalid_example_fails_on_its_shape(path: Path, shapes: Graph, ontology: Graph) -> None:
    conforms, report, text = _validate(Graph().parse(path), shapes, ontology)
    assert not conforms, f"{path.name} conforms but should not"
    expected = _shape_of(path)
    sources = set(report.objects(None, SH.sourceShape))
    assert sources, text
    owners = {_owning_shape(shapes, s) for s in sources}
    assert owners == {expected}, f"expected only {expected}, got {owners}\n{text}"


# --------------------------------------------------------------------------- concepts


def _concepts(graph: Graph) -> list[URIRef]:
    return sorted(graph.subjects(RDF.type, SKOS.Concept))


def test_concept_scheme(concepts: Graph) -> None:
    assert (CONCEPT_SCHEME, RDF.type, SKOS.ConceptScheme) in concepts
    found = _concepts(concepts)
    assert len(found) >= 100
    for concept in found:
        assert str(concept).startswith(str(PGC)), concept
        assert (concept, SKOS.inScheme, CONCEPT_SCHEME) in concepts, concept
    # the publisher of every report is a concept
    assert PGC.hmic in found


def test_every_concept_is_complete(concepts: Graph) -> None:
    problems = []
    for concept in _concepts(concepts):
        sources = list(concepts.objects(concept, DCTERMS.source))
        if not sources:
            problems.append((concept, "source", sources))
        for source in sources:
            if isinstance(source, URIRef):
                if not str(source).startswith("https://") or "peelgraph" in str(source):
                    problems.append((concept, "source IRI", source))
            elif not isinstance(source, Literal) or len(str(source).split()) < 3:
                problems.append((concept, "source literal", source))
        prefs = list(concepts.objects(concept, SKOS.prefLabel))
        defs = list(concepts.objects(concept, SKOS.definition))
        types = list(concepts.objects(concept, PG.entityType))
        scopes = list(concepts.objects(concept, PG.scope))
        if len(prefs) != 1:
            problems.append((concept, "prefLabel", prefs))
        if len(defs) != 1:
            problems.append((concept, "definition", defs))
        if len(types) != 1 or types[0] not in ENTITY_TYPES:
            problems.append((concept, "entityType", types))
        if len(scopes) != 1 or scopes[0] not in SCOPES:
            problems.append((concept, "scope", scopes))
        for label in prefs + list(concepts.objects(concept, SKOS.altLabel)) + defs:
            if not isinstance(label, Literal) or label.language or label.datatype not in (None, XSD_STRING):
                problems.append((concept, "plain literal", label))
            elif not str(label).strip() or str(label) != str(label).strip():
                problems.append((concept, "whitespace", label))
        for broader in concepts.objects(concept, SKOS.broader):
            if (broader, RDF.type, SKOS.Concept) not in concepts:
                problems.append((concept, "broader", broader))
    assert not problems, problems


def test_no_concept_is_sourced_from_a_report(concepts: Graph) -> None:
    # a concept's source is a law, national guidance or a body's own site, never an inspection
    # report: what only one report says belongs in that report's curation file
    for concept in _concepts(concepts):
        for source in concepts.objects(concept, DCTERMS.source):
            assert "data/reports" not in str(source) and not str(source).endswith(".txt"), (concept, source)


def test_report_only_phrases_are_not_concepts(concepts: Graph) -> None:
    # phrases of the shipped report that no outside source names (moved to its curation file):
    # they must not come back as concepts or aliases
    labels = {str(label).casefold() for p in (SKOS.prefLabel, SKOS.altLabel) for label in concepts.objects(None, p)}
    for phrase in ("harm assessment unit", "domestic abuse risk officer", "director of intelligence",
                   "daily management meeting", "red/amber/green grading system", "victim support professionals",
                   "control room software", "tactical assessment document", "mapping OCGs", "CSP manager"):
        assert phrase.casefold() not in labels, phrase


def _is_acronym(label: str) -> bool:
    """A single token with two or more capitals or a digit: MASH, MoRiLE, ViSOR, 4P, s136."""
    return not re.search(r"\s", label) and (sum(ch.isupper() for ch in label) >= 2 or any(ch.isdigit() for ch in label))


def _label_key(label: str) -> str:
    return label if _is_acronym(label) else label.casefold()


def test_no_two_concepts_share_a_label(concepts: Graph) -> None:
    owners: dict[str, set[URIRef]] = {}
    for concept in _concepts(concepts):
        for prop in (SKOS.prefLabel, SKOS.altLabel):
            for label in concepts.objects(concept, prop):
                owners.setdefault(_label_key(str(label)), set()).add(concept)
    clashes = {key: sorted(c) for key, c in owners.items() if len(c) > 1}
    assert not clashes, clashes


def test_acronym_key_rules() -> None:
    assert _is_acronym("MASH") and _is_acronym("MoRiLE") and _is_acronym("4P")
    assert not _is_acronym("Athena") and not _is_acronym("local council")
    assert _label_key("Local Council") == _label_key("local council")
    assert _label_key("CSP") != _label_key("Csp")
