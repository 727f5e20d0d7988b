"""The one place for peelgraph's closed vocabularies: entity kinds, grades, pillars, finding
kinds, relation types and network views.

The extractor, the graph writer, curation and gold files, the SHACL tests, the CLI's choices
and the network code all read these; nothing else spells them. Values are the slugs used in
curation and gold files and on the command line; each maps to the ontology term it becomes
(local names in ``pg:``, ``org:`` or ``skos:``, resolved to IRIs by :mod:`peelgraph.graph`).
Light module: no imports beyond the standard library.

Example:
    >>> EntityKind("legal-power").name
    'LEGAL_POWER'
    >>> grade_slug("Requires improvement"), grade_slug("judged to require improvement")
    ('requires-improvement', 'requires-improvement')
    >>> RELATION_TYPES["member-of"].property, RELATION_TYPES["member-of"].inverse
    ('memberOf', 'hasMember')
    >>> VIEW_RELATIONS["partners"]
    ('memberOf', 'worksWith', 'partOf', 'locatedIn')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "EntityKind",
    "ENTITY_KINDS",
    "ORGANISATION_KINDS",
    "KIND_CLASSES",
    "KIND_OF_ENTITY_TYPE",
    "Grade",
    "GRADES",
    "GRADE_LABELS",
    "GRADE_PHRASE",
    "grade_slug",
    "Pillar",
    "PILLARS",
    "PILLAR_INDIVIDUALS",
    "FindingKind",
    "FINDING_KINDS",
    "FINDING_CLASSES",
    "RelationType",
    "RELATION_TYPES",
    "RELATION_PROPERTIES",
    "View",
    "VIEWS",
    "VIEW_RELATIONS",
    "IMPACT_RELATIONS",
]


# ------------------------------------------------------------------------------ entities


class EntityKind(StrEnum):
    """What an entity is; the value is the slug used in curation and gold files."""

    FORCE = "force"
    ORGANISATION = "organisation"
    COLLABORATION = "collaboration"
    UNIT = "unit"
    PROGRAMME = "programme"
    PRACTICE = "practice"
    LEGAL_POWER = "legal-power"
    INFORMATION_SYSTEM = "information-system"
    ROLE = "role"


#: Every entity kind, in the order the graph model lists them.
ENTITY_KINDS: tuple[str, ...] = tuple(k.value for k in EntityKind)

#: Kinds that are organisations in the W3C ORG sense.
ORGANISATION_KINDS = frozenset({"force", "organisation", "collaboration", "unit"})

#: Each kind and the classes (CURIEs) an entity of that kind has, most specific first.
KIND_CLASSES: dict[str, tuple[str, ...]] = {
    "force": ("pg:Force", "org:Organization"),
    "organisation": ("org:Organization",),
    "collaboration": ("org:OrganizationalCollaboration", "org:Organization"),
    "unit": ("org:OrganizationalUnit", "org:Organization"),
    "programme": ("pg:Programme",),
    "practice": ("pg:Practice", "skos:Concept"),
    "legal-power": ("pg:LegalPower",),
    "information-system": ("pg:InformationSystem",),
    "role": ("pg:Role",),
}

#: ``pg:entityType`` values of the concept vocabulary (``ontology/concepts.ttl``) and the kind each gives.
KIND_OF_ENTITY_TYPE: dict[str, str] = {
    "org:Organization": "organisation",
    "org:OrganizationalCollaboration": "collaboration",
    "org:OrganizationalUnit": "unit",
    "pg:Programme": "programme",
    "pg:Practice": "practice",
    "pg:LegalPower": "legal-power",
    "pg:InformationSystem": "information-system",
    "pg:Role": "role",
}


# ------------------------------------------------------------------------------ grades


class Grade(StrEnum):
    """A grade of the inspectorate's scale; the value is its local name in ``pgg:``."""

    OUTSTANDING = "outstanding"
    GOOD = "good"
    ADEQUATE = "adequate"
    REQUIRES_IMPROVEMENT = "requires-improvement"
    INADEQUATE = "inadequate"
    UNGRADED = "ungraded"


#: Grade slugs, best first; ``ungraded`` last.
GRADES: tuple[str, ...] = tuple(g.value for g in Grade)

#: How each grade is written (its ``skos:prefLabel``).
GRADE_LABELS: dict[str, str] = {g: g.replace("-", " ") for g in GRADES}

#: A grade as reports write it, in any of its verb forms (``judged ... to require improvement``).
GRADE_PHRASE = r"outstanding|good|adequate|inadequate|ungraded|requires? improvement|requiring improvement"


def grade_slug(text: str) -> str:
    """The grade scheme's local name for a grade phrase (any verb form, any case)."""
    t = re.sub(r"\s+", " ", text.strip().lower())
    if "improvement" in t:
        return Grade.REQUIRES_IMPROVEMENT.value
    return t


# ------------------------------------------------------------------------------ pillars


class Pillar(StrEnum):
    """What an inspection assesses: one of the 2014-2017 pillars, or ``peel`` for the
    integrated assessments (2018/19 on)."""

    EFFECTIVENESS = "effectiveness"
    EFFICIENCY = "efficiency"
    LEGITIMACY = "legitimacy"
    LEADERSHIP = "leadership"
    PEEL = "peel"


#: Every pillar slug.
PILLARS: tuple[str, ...] = tuple(p.value for p in Pillar)

#: Each pillar and its individual in the ontology (``pg:`` local name).
PILLAR_INDIVIDUALS: dict[str, str] = {p: p.capitalize() for p in PILLARS}


# ------------------------------------------------------------------------------ findings


class FindingKind(StrEnum):
    """What a finding is."""

    STRENGTH = "strength"
    WEAKNESS = "weakness"
    AREA_FOR_IMPROVEMENT = "area-for-improvement"
    RECOMMENDATION = "recommendation"
    CAUSE_OF_CONCERN = "cause-of-concern"


#: Every finding kind.
FINDING_KINDS: tuple[str, ...] = tuple(k.value for k in FindingKind)

#: Each finding kind and its class (``pg:`` local name).
FINDING_CLASSES: dict[str, str] = {
    "strength": "Strength",
    "weakness": "Weakness",
    "area-for-improvement": "AreaForImprovement",
    "recommendation": "Recommendation",
    "cause-of-concern": "CauseOfConcern",
}


# ------------------------------------------------------------------------------ relations


@dataclass(frozen=True)
class RelationType:
    """A relation type: its slug, its ``pg:`` property, the inverse property, and the family it
    belongs to (a type matches any other of its family when scoring, as the ontology makes them
    sub-properties of one another)."""

    slug: str
    property: str
    inverse: str
    family: str
    definition: str


_RELATIONS = (
    RelationType("member-of", "memberOf", "hasMember", "member-of",
                 "the subject takes part in the object, a collaboration or arrangement"),
    RelationType("works-with", "worksWith", "worksWith", "works-with",
                 "the subject and the object work together (symmetric)"),
    RelationType("part-of", "partOf", "hasPart", "part-of",
                 "the subject is a unit or component of the object"),
    RelationType("located-in", "locatedIn", "locationOf", "located-in",
                 "the subject is housed in or based at the object"),
    RelationType("depends-on", "dependsOn", "dependedOnBy", "depends-on",
                 "the subject relies on the object"),
    RelationType("based-on", "basedOn", "basisOf", "depends-on",
                 "the subject (a practice, process or unit) works on the basis of the object"),
    RelationType("accessed-through", "accessedThrough", "givesAccessTo", "depends-on",
                 "the subject is reached through the object"),
    RelationType("chaired-by", "chairedBy", "chairs", "chaired-by",
                 "the object chairs the subject"),
    RelationType("overseen-by", "overseenBy", "oversees", "overseen-by",
                 "the object oversees or scrutinises the subject"),
    RelationType("funded-by", "fundedBy", "funds", "funded-by",
                 "the object funds the subject"),
    RelationType("supported-by", "supportedBy", "supports", "supported-by",
                 "the object supports, assists or validates the subject"),
)

#: Relation types by slug (as curation and gold files name them).
RELATION_TYPES: dict[str, RelationType] = {r.slug: r for r in _RELATIONS}

#: Relation slugs and the ``pg:`` property each becomes.
RELATION_PROPERTIES: dict[str, str] = {r.slug: r.property for r in _RELATIONS}


# ------------------------------------------------------------------------------ network views


class View(StrEnum):
    """A projection of the graph into a network (see :mod:`peelgraph.ask.network`)."""

    PARTNERS = "partners"
    COMEMBERS = "comembers"
    DEPENDENCIES = "dependencies"
    IMPACT = "impact"
    RELATIONS = "relations"
    ALL = "all"


#: Every view, as the CLI offers them.
VIEWS: tuple[str, ...] = tuple(v.value for v in View)

#: The relations (``pg:`` properties) each view turns into edges.
VIEW_RELATIONS: dict[str, tuple[str, ...]] = {
    "partners": ("memberOf", "worksWith", "partOf", "locatedIn"),
    "comembers": ("memberOf",),
    "dependencies": ("dependsOn", "basedOn", "accessedThrough"),
    "impact": ("dependsOn", "basedOn", "accessedThrough", "partOf", "locatedIn", "fundedBy"),
    "relations": tuple(r.property for r in _RELATIONS),
    "all": tuple(r.property for r in _RELATIONS),
}

#: The relations an impact analysis follows: A is affected when B fails.
IMPACT_RELATIONS: tuple[str, ...] = VIEW_RELATIONS["impact"]
