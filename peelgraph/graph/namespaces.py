"""peelgraph's namespace as code (a misspelt term is an error) and the prefix bindings.

Light: the terms are plain strings (:mod:`peelgraph.graph.terms`), so building the graph needs no rdflib.

Example:
    >>> str(PG.Judgement)
    'https://w3id.org/peelgraph/ontology#Judgement'
    >>> PG.Judgment
    Traceback (most recent call last):
    ...
    AttributeError: term 'Judgment' not in namespace 'https://w3id.org/peelgraph/ontology#'
"""

from __future__ import annotations

from typing import Any

from peelgraph.graph.terms import IRI, ClosedNamespace, Namespace
from peelgraph.resources import PREFIXES

__all__ = ["PG", "PGC", "PGG", "PGR", "ORG", "OA", "QB", "OWL", "bind_prefixes"]


class PG(ClosedNamespace):
    """peelgraph's own terms; the list must equal the terms ``ontology/peelgraph.ttl`` defines."""

    _NS = PREFIXES["pg"]

    # classes
    InspectionReport: IRI
    Inspection: IRI
    Force: IRI
    CoreQuestion: IRI
    Section: IRI
    Judgement: IRI
    Finding: IRI
    AreaForImprovement: IRI
    Recommendation: IRI
    CauseOfConcern: IRI
    PromisingPractice: IRI
    InnovativePractice: IRI
    Strength: IRI
    Weakness: IRI
    Footnote: IRI
    Template: IRI
    Relation: IRI
    Programme: IRI
    Practice: IRI
    LegalPower: IRI
    InformationSystem: IRI
    Role: IRI
    Entity: IRI
    Pillar: IRI
    Scope: IRI
    TextUnit: IRI
    Sentence: IRI
    Heading: IRI
    Caption: IRI
    FootnoteText: IRI
    TableCell: IRI
    # individuals
    Effectiveness: IRI
    Efficiency: IRI
    Legitimacy: IRI
    Leadership: IRI
    Peel: IRI
    National: IRI
    Local: IRI
    # properties
    force: IRI
    pillar: IRI
    year: IRI
    sha256: IRI
    inspection: IRI
    number: IRI
    heading: IRI
    question: IRI
    report: IRI
    isOverall: IRI
    grade: IRI
    previousJudgement: IRI
    carriedFrom: IRI
    text: IRI
    concerns: IRI
    deadline: IRI
    partOfRecommendation: IRI
    quoted: IRI
    defines: IRI
    evidence: IRI
    mention: IRI
    mergeNote: IRI
    rule: IRI
    section: IRI
    softwareVersion: IRI
    instanceOf: IRI
    entityType: IRI
    scope: IRI
    memberOf: IRI
    worksWith: IRI
    partOf: IRI
    locatedIn: IRI
    dependsOn: IRI
    basedOn: IRI
    accessedThrough: IRI
    chairedBy: IRI
    overseenBy: IRI
    fundedBy: IRI
    supportedBy: IRI
    # relation types added with the relation vocabulary, their inverses, and annotations
    atOddsWith: IRI
    basisOf: IRI
    chairs: IRI
    coLocatedWith: IRI
    commissionedBy: IRI
    commissions: IRI
    dependedOnBy: IRI
    family: IRI
    funds: IRI
    givesAccessTo: IRI
    hasMember: IRI
    hasPart: IRI
    hasParticipant: IRI
    holdsPortfolioFor: IRI
    informedBy: IRI
    informs: IRI
    leads: IRI
    ledBy: IRI
    locationOf: IRI
    oversees: IRI
    portfolioHeldBy: IRI
    prioritisedWith: IRI
    receivesReportsFrom: IRI
    relationType: IRI
    reportsTo: IRI
    sharedBy: IRI
    shares: IRI
    supports: IRI
    takesPartIn: IRI
    usedBy: IRI
    usedToPrioritise: IRI
    uses: IRI
    validatedBy: IRI
    validates: IRI
    page: IRI
    part: IRI
    partIndex: IRI
    curated: IRI
    rank: IRI
    area: IRI
    level: IRI
    extractedText: IRI
    path: IRI
    mentions: IRI
    figureStructure: IRI
    value: IRI
    unit: IRI
    measure: IRI
    figureOf: IRI
    period: IRI
    comparator: IRI
    comparatorValue: IRI


PGC = Namespace(PREFIXES["pgc"])
PGG = Namespace(PREFIXES["pgg"])
PGR = Namespace(PREFIXES["pgr"])
ORG = Namespace(PREFIXES["org"])
OA = Namespace(PREFIXES["oa"])
QB = Namespace(PREFIXES["qb"])
OWL = Namespace(PREFIXES["owl"])


def bind_prefixes(graph: Any) -> Any:
    """Bind every peelgraph prefix on an rdflib graph (replacing rdflib's defaults)."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
    return graph
