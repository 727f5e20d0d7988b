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
    >>> VIEW_RELATIONS["dependencies"]
    ('dependsOn', 'basedOn', 'accessedThrough', 'uses', 'prioritisedWith', 'informedBy')
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
    "RELATION_FAMILIES",
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
    PROMISING_PRACTICE = "promising-practice"
    INNOVATIVE_PRACTICE = "innovative-practice"


#: Every finding kind.
FINDING_KINDS: tuple[str, ...] = tuple(k.value for k in FindingKind)

#: Each finding kind and its class (``pg:`` local name).
FINDING_CLASSES: dict[str, str] = {
    "strength": "Strength",
    "weakness": "Weakness",
    "area-for-improvement": "AreaForImprovement",
    "recommendation": "Recommendation",
    "cause-of-concern": "CauseOfConcern",
    "promising-practice": "PromisingPractice",
    "innovative-practice": "InnovativePractice",
}


# ------------------------------------------------------------------------------ relations


@dataclass(frozen=True)
class RelationType:
    """A relation type: its slug, its ``pg:`` property, the inverse property, the family it
    belongs to, the kinds of entity it joins and its definition.

    ``subjects`` and ``objects`` are the entity kinds the ontology's ``rdfs:domain`` and
    ``rdfs:range`` allow; the extraction rules read them so that a relation never joins the
    wrong kinds. ``symmetric`` relations read the same both ways. The ``family`` groups types
    for the lenient score and the network views (the strict score needs the same type)."""

    slug: str
    property: str
    inverse: str
    family: str
    subjects: tuple[str, ...]
    objects: tuple[str, ...]
    definition: str
    symmetric: bool = False


_ALL = ENTITY_KINDS
_AGENTS = ("force", "organisation", "collaboration", "unit", "role")
_BODIES = ("force", "organisation", "collaboration", "unit")
_ACTIVITIES = ("programme", "practice", "information-system", "legal-power")

_RELATIONS = (
    # membership and participation
    RelationType("member-of", "memberOf", "hasMember", "membership", _AGENTS, (*_BODIES, "programme"),
                 "The subject is a member of, or a partner in, the object: a collaboration, board, partnership or "
                 "arrangement (the probation service is a member of the integrated offender management scheme)."),
    RelationType("takes-part-in", "takesPartIn", "hasParticipant", "membership", _AGENTS,
                 ("practice", "programme", "collaboration"),
                 "The subject attends or takes part in the object, a meeting, panel, process or programme, without "
                 "being a member of a body (partners attend the daily management meeting)."),
    RelationType("works-with", "worksWith", "worksWith", "partnership", _AGENTS, _AGENTS,
                 "The subject and the object work together; symmetric.", symmetric=True),
    # sharing and joint running
    RelationType("shared-by", "sharedBy", "shares", "sharing", _ALL, _BODIES,
                 "The subject (a team, role, capability, meeting, plan or system) is shared by, or run jointly "
                 "across, the object (an alliance-wide function; a collaborative unit of two forces)."),
    # location and basing
    RelationType("part-of", "partOf", "hasPart", "containment", _ALL, _ALL,
                 "The subject is a unit, team or component of the object (the harm assessment unit is part of the "
                 "multi-agency safeguarding hub)."),
    RelationType("located-in", "locatedIn", "locationOf", "location", _ALL, _ALL,
                 "The subject is housed in, based at or sits within the premises of the object."),
    RelationType("co-located-with", "coLocatedWith", "coLocatedWith", "location", _AGENTS, _AGENTS,
                 "The subject and the object work from the same place; symmetric.", symmetric=True),
    # governance
    RelationType("chaired-by", "chairedBy", "chairs", "governance", ("collaboration", "practice", "programme"),
                 _AGENTS, "The object chairs the subject, a board, group, panel or meeting."),
    RelationType("led-by", "ledBy", "leads", "governance", _ALL, _AGENTS,
                 "The object leads, heads or manages the subject."),
    RelationType("overseen-by", "overseenBy", "oversees", "governance", _ALL, _AGENTS,
                 "The object oversees, governs or scrutinises the subject."),
    RelationType("reports-to", "reportsTo", "receivesReportsFrom", "governance", _AGENTS,
                 (*_AGENTS, "practice", "programme"),
                 "The subject reports to, or is accountable to, the object."),
    RelationType("portfolio-held-by", "portfolioHeldBy", "holdsPortfolioFor", "governance", _ALL, _AGENTS,
                 "The object holds the portfolio for, or is the lead for, the subject (an area of business, a "
                 "programme or a practice)."),
    # support, funding, validation, commissioning
    RelationType("supported-by", "supportedBy", "supports", "support", _ALL, _ALL,
                 "The object supports or assists the subject."),
    RelationType("funded-by", "fundedBy", "funds", "support", _ALL, _AGENTS,
                 "The object funds, or pays for, the subject."),
    RelationType("validated-by", "validatedBy", "validates", "support", _ALL, _AGENTS,
                 "The object validates, approves or quality-assures the subject (a plan, an assessment, a process)."),
    RelationType("commissioned-by", "commissionedBy", "commissions", "support", _ALL, _AGENTS,
                 "The object commissions the subject (a service, a programme, a provider)."),
    # use and dependency
    RelationType("depends-on", "dependsOn", "dependedOnBy", "dependency", _ALL, _ALL,
                 "The subject relies on, or cannot work without, the object."),
    RelationType("based-on", "basedOn", "basisOf", "dependency", _ALL, _ACTIVITIES,
                 "The subject (a practice, process, meeting or unit) works on the basis of the object (a model, "
                 "assessment or method): daily management meetings are based on THRIVE."),
    RelationType("accessed-through", "accessedThrough", "givesAccessTo", "dependency", _ALL, _ALL,
                 "The subject is reached, or made available, through the object (a capability reached through a "
                 "regional unit)."),
    RelationType("uses", "uses", "usedBy", "dependency", _ALL, _ACTIVITIES,
                 "The subject uses the object, a system, tool, model or method."),
    RelationType("prioritised-with", "prioritisedWith", "usedToPrioritise", "dependency", _ALL, _ACTIVITIES,
                 "The subject (work, cases, groups, calls) is prioritised with the object (a method or matrix): "
                 "what the object is used to prioritise."),
    RelationType("informed-by", "informedBy", "informs", "dependency", _ALL, _ALL,
                 "The subject is informed by, or draws on, the object (a plan informed by an assessment)."),
    # conflict
    RelationType("at-odds-with", "atOddsWith", "atOddsWith", "conflict", _ALL, _ALL,
                 "The subject conflicts with, or is at odds with, the object; symmetric.", symmetric=True),
)

#: Relation types by slug (as curation and gold files name them).
RELATION_TYPES: dict[str, RelationType] = {r.slug: r for r in _RELATIONS}

#: Relation slugs and the ``pg:`` property each becomes.
RELATION_PROPERTIES: dict[str, str] = {r.slug: r.property for r in _RELATIONS}

#: The families of relation types, in order.
RELATION_FAMILIES: tuple[str, ...] = tuple(dict.fromkeys(r.family for r in _RELATIONS))


def _family(name: str) -> tuple[str, ...]:
    return tuple(r.property for r in _RELATIONS if r.family == name)


# ------------------------------------------------------------------------------ network views


class View(StrEnum):
    """A projection of the graph into a network (see :mod:`peelgraph.ask.network`)."""

    PARTNERS = "partners"
    COMEMBERS = "comembers"
    DEPENDENCIES = "dependencies"
    IMPACT = "impact"
    GOVERNANCE = "governance"
    RELATIONS = "relations"
    ALL = "all"


#: Every view, as the CLI offers them.
VIEWS: tuple[str, ...] = tuple(v.value for v in View)

#: The relations (``pg:`` properties) each view turns into edges.
VIEW_RELATIONS: dict[str, tuple[str, ...]] = {
    # who takes part in, works with, shares or sits within what
    "partners": (*_family("membership"), *_family("partnership"), *_family("sharing"), *_family("containment"),
                 *_family("location")),
    # bodies linked by the collaborations they share (bipartite projection of membership)
    "comembers": _family("membership"),
    # what rests on what: A -> B when A depends on, is based on, reached through, uses, is prioritised with
    # or informed by B
    "dependencies": _family("dependency"),
    # what is affected when B fails: dependencies, and what sits within, is shared by or funded by B
    "impact": (*_family("dependency"), "partOf", "locatedIn", "sharedBy", "fundedBy", "commissionedBy"),
    # who chairs, leads, oversees, holds the portfolio for what, and who reports to whom
    "governance": (*_family("governance"), "validatedBy"),
    "relations": tuple(r.property for r in _RELATIONS),
    "all": tuple(r.property for r in _RELATIONS),
}

#: The relations an impact analysis follows: A is affected when B fails.
IMPACT_RELATIONS: tuple[str, ...] = VIEW_RELATIONS["impact"]
