"""peelgraph's namespace as code (a misspelt term is an error) and the prefix bindings.

Example:
    >>> str(PG.Judgement)
    'https://w3id.org/peelgraph/ontology#Judgement'
    >>> PG.Judgment
    Traceback (most recent call last):
    ...
    AttributeError: term 'Judgment' not in namespace 'https://w3id.org/peelgraph/ontology#'
"""

from __future__ import annotations

from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DefinedNamespace

from .resources import PREFIXES

__all__ = ["PG", "PGC", "PGG", "PGR", "ORG", "OA", "QB", "bind_prefixes"]


class PG(DefinedNamespace):
    """peelgraph's own terms; the list must equal the terms ``ontology/peelgraph.ttl`` defines."""

    _fail = True
    _NS = Namespace(PREFIXES["pg"])

    # classes
    InspectionReport: URIRef
    Inspection: URIRef
    Force: URIRef
    CoreQuestion: URIRef
    Section: URIRef
    Judgement: URIRef
    Finding: URIRef
    AreaForImprovement: URIRef
    Recommendation: URIRef
    CauseOfConcern: URIRef
    Strength: URIRef
    Weakness: URIRef
    Footnote: URIRef
    Relation: URIRef
    Programme: URIRef
    Practice: URIRef
    LegalPower: URIRef
    InformationSystem: URIRef
    Role: URIRef
    Pillar: URIRef
    Scope: URIRef
    # individuals
    Effectiveness: URIRef
    Efficiency: URIRef
    Legitimacy: URIRef
    Leadership: URIRef
    Peel: URIRef
    National: URIRef
    Local: URIRef
    # properties
    force: URIRef
    pillar: URIRef
    year: URIRef
    sha256: URIRef
    inspection: URIRef
    number: URIRef
    heading: URIRef
    question: URIRef
    report: URIRef
    isOverall: URIRef
    grade: URIRef
    previousJudgement: URIRef
    text: URIRef
    concerns: URIRef
    deadline: URIRef
    partOfRecommendation: URIRef
    quoted: URIRef
    defines: URIRef
    evidence: URIRef
    mention: URIRef
    mergeNote: URIRef
    rule: URIRef
    section: URIRef
    softwareVersion: URIRef
    instanceOf: URIRef
    entityType: URIRef
    scope: URIRef
    memberOf: URIRef
    worksWith: URIRef
    partOf: URIRef
    locatedIn: URIRef
    dependsOn: URIRef
    basedOn: URIRef
    accessedThrough: URIRef
    chairedBy: URIRef
    overseenBy: URIRef
    fundedBy: URIRef
    supportedBy: URIRef
    page: URIRef
    curated: URIRef
    rank: URIRef
    area: URIRef
    level: URIRef
    extractedText: URIRef


PGC = Namespace(PREFIXES["pgc"])
PGG = Namespace(PREFIXES["pgg"])
PGR = Namespace(PREFIXES["pgr"])
ORG = Namespace(PREFIXES["org"])
OA = Namespace(PREFIXES["oa"])
QB = Namespace(PREFIXES["qb"])


def bind_prefixes(graph: Graph) -> Graph:
    """Bind every peelgraph prefix on a graph (replacing rdflib's defaults)."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    return graph
