"""Facts to triples: deterministic IRIs, Web Annotation evidence, PROV-O provenance, and
canonical serialisation.

IRIs are minted from stable keys (report id, question number, character offsets), never
blank nodes, so two builds of the same inputs give the same graph; serialisations are
canonical (sorted N-Triples; rdflib's sorted Turtle), so they are byte-identical too.

Example:
    >>> from peelgraph.model import Evidence
    >>> span_iri("r", Evidence("r", 3, 9, "quoted", "demo"))
    IRI('https://w3id.org/peelgraph/id/report/r/span/3-9')
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from peelgraph import __version__
from peelgraph.graph.namespaces import OA, ORG, OWL, PG, PGC, PGG, PGR, QB, bind_prefixes
from peelgraph.graph.terms import DCAT, DCTERMS, PROV, RDF, RDFS, SKOS, XSD, Literal
from peelgraph.graph.terms import IRI as URIRef
from peelgraph.model import Entity, Evidence, Extraction, Judgement
from peelgraph.resources import PREFIXES, ontology_dir
from peelgraph.vocab import FINDING_CLASSES, ORGANISATION_KINDS, PILLAR_INDIVIDUALS, RELATION_PROPERTIES
from peelgraph.vocab import KIND_CLASSES as _KIND_CURIES

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = [
    "report_iri",
    "span_iri",
    "entity_iri",
    "force_iri",
    "template_iri",
    "judgement_key",
    "extraction_to_graph",
    "grade_scheme_lines",
    "extraction_ntriples",
    "nt_term",
    "canonical_nt",
    "canonical_turtle",
    "KIND_CLASSES",
    "CATALOG",
    "org_triples",
]

#: Entity kinds (as the extractor, curation and gold files name them) and their classes.
KIND_CLASSES: dict[str, tuple[URIRef, ...]] = {
    kind: tuple(URIRef(PREFIXES[c.split(":")[0]] + c.split(":")[1]) for c in curies)
    for kind, curies in _KIND_CURIES.items()
}

_PILLARS = {slug: getattr(PG, name) for slug, name in PILLAR_INDIVIDUALS.items()}

#: Text unit kinds (``peelgraph.extract.units``) and their classes.
_UNIT_CLASSES = {"sentence": "Sentence", "heading": "Heading", "caption": "Caption", "footnote": "FootnoteText",
                 "cell": "TableCell"}

#: The corpus as a DCAT catalogue: every report's graph names itself one of its datasets.
CATALOG = PGR["catalog"]

_MEDIA = "http://www.iana.org/assignments/media-types/"


def _number(value: str) -> Literal:
    """A figure's value as written: ``xsd:integer`` for a whole number, ``xsd:decimal`` otherwise (so that
    Turtle's bare numbers read back with the same datatype).

    Example:
        >>> _number("25").ntriples(), _number("-4.1").ntriples()
        ('"25"^^<http://www.w3.org/2001/XMLSchema#integer>', '"-4.1"^^<http://www.w3.org/2001/XMLSchema#decimal>')
    """
    return Literal(value, datatype=XSD.decimal if "." in value else XSD.integer)


def org_triples(rtype: str, s: URIRef, o: URIRef, s_kind: str, o_kind: str) -> list[tuple[URIRef, URIRef, URIRef]]:
    """The W3C ORG statements a relation between two entities also makes, so that an ORG-aware query
    needs no peelgraph terms: ``org:memberOf``/``org:hasMember`` for every membership (``pg:memberOf``
    is declared a sub-property of ``org:memberOf``); ``org:unitOf``/``org:hasUnit`` when a unit is part
    of an organisation, ``org:subOrganizationOf``/``org:hasSubOrganization`` when an organisation is;
    ``org:linkedTo`` (both ways for a symmetric type) for every other tie between two organisations.
    Ties that involve a practice, programme, system, power or role make no ORG statement, apart from
    memberships.

    Example:
        >>> a, b = URIRef("http://x/a"), URIRef("http://x/b")
        >>> [str(p).split("#")[1] for _, p, _ in org_triples("part-of", a, b, "unit", "force")]
        ['unitOf', 'hasUnit']
        >>> org_triples("uses", a, b, "unit", "information-system")
        []
    """
    if rtype == "member-of":
        return [(s, ORG.memberOf, o), (o, ORG.hasMember, s)]
    if s_kind not in ORGANISATION_KINDS or o_kind not in ORGANISATION_KINDS:
        return []
    if rtype == "part-of" and s_kind == "unit":
        return [(s, ORG.unitOf, o), (o, ORG.hasUnit, s)]
    if rtype == "part-of":
        return [(s, ORG.subOrganizationOf, o), (o, ORG.hasSubOrganization, s)]
    if rtype in ("works-with", "co-located-with", "at-odds-with"):
        return [(s, ORG.linkedTo, o), (o, ORG.linkedTo, s)]
    return [(s, ORG.linkedTo, o)]


def _h(*parts: object) -> str:
    return hashlib.sha1("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def report_iri(report_id: str) -> URIRef:
    """The IRI of a report."""
    return PGR[f"report/{report_id}"]


def span_iri(report_id: str, ev: Evidence) -> URIRef:
    """The IRI of the text span an evidence points at."""
    return PGR[f"report/{report_id}/span/{ev.start}-{ev.end}"]


def force_iri(slug: str) -> URIRef:
    """The IRI of a police force (shared by every report about it)."""
    return PGR[f"force/{slug}"]


def template_iri(template_id: str) -> URIRef:
    """The IRI of a report template (shared by every report it read).

    Example:
        >>> template_iri("peel-pillar-2014")
        IRI('https://w3id.org/peelgraph/id/template/peel-pillar-2014')
    """
    return PGR[f"template/{template_id}"]


def judgement_key(j: Judgement, force_slug: str, pillar: str) -> str:
    """The local key of a judgement's IRI: its question number or ``overall``, under its force and (for an
    overall judgement) its pillar when they are not the report's own.

    Example:
        >>> from peelgraph.model import Evidence
        >>> ev = Evidence("r", 0, 1, "x", "demo")
        >>> judgement_key(Judgement(0, "good", ev), "kent-police", "effectiveness")
        'overall'
        >>> judgement_key(Judgement(0, "good", ev, pillar="efficiency", force="surrey-police"), "kent-police", "peel")
        'surrey-police/efficiency/overall'
    """
    parts = []
    if j.force and j.force != force_slug:
        parts.append(j.force)
    if j.question == 0 and j.pillar and j.pillar != pillar:
        parts.append(j.pillar)
    parts.append(str(j.question or "overall"))
    return "/".join(parts)


def entity_iri(entity: Entity, force_slug: str) -> URIRef:
    """A national concept keeps its shared IRI; a local body is minted under its force."""
    if entity.kind == "force":
        return force_iri(entity.key)
    if entity.scope == "national" and entity.concept:
        return URIRef(entity.concept)
    return PGR[f"force/{force_slug}/{entity.key}"]


class _Builder:
    def __init__(self, ex: Extraction, sink: set[str]) -> None:
        self.ex = ex
        self.sink = sink
        self.rid = ex.report.id
        self.R = report_iri(self.rid)
        self.activity = PGR[f"report/{self.rid}/extraction"]

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        self.sink.add(f"<{s}> <{p}> {nt_term(o)} .")

    def evidence(self, fact: URIRef, ev: Evidence, prop: URIRef = PG.evidence) -> URIRef:
        span = span_iri(self.rid, ev)
        ann = PGR[f"report/{self.rid}/annotation/{_h(fact, ev.start, ev.end, ev.rule)}"]
        self.add(fact, prop, ann)
        self.add(ann, RDF.type, OA.Annotation)
        self.add(ann, OA.hasBody, fact)
        self.add(ann, OA.hasTarget, span)
        # a mention identifies what the span names; any other evidence describes its fact
        self.add(ann, OA.motivatedBy, OA.identifying if prop == PG.mention else OA.describing)
        self.add(ann, PG.rule, Literal(ev.rule))
        self.add(ann, PROV.wasGeneratedBy, self.activity)
        self.span(ev)
        return ann

    def span(self, ev: Evidence) -> URIRef:
        """The text span of an evidence: its source, its exact quote and its offsets, section and page.

        The position selector holds the whole range (``oa:start`` of the first part, ``oa:end`` of the
        last); where furniture was cut out, ``pg:part`` gives each part (``pg:partIndex``, ``oa:start``,
        ``oa:end``) and ``oa:exact`` is the parts' slices joined by a line break."""
        span = span_iri(self.rid, ev)
        self.add(span, RDF.type, OA.SpecificResource)
        self.add(span, OA.hasSource, self.R)
        quote, pos = URIRef(f"{span}/quote"), URIRef(f"{span}/position")
        self.add(span, OA.hasSelector, quote)
        self.add(span, OA.hasSelector, pos)
        self.add(quote, RDF.type, OA.TextQuoteSelector)
        self.add(quote, OA.exact, Literal(ev.quote))
        self.add(pos, RDF.type, OA.TextPositionSelector)
        self.add(pos, OA.start, Literal(ev.start, datatype=XSD.nonNegativeInteger))
        self.add(pos, OA.end, Literal(ev.end, datatype=XSD.nonNegativeInteger))
        if len(ev.parts) > 1:  # furniture cut out: each part a position of its own, in order
            for i, (a, b) in enumerate(ev.parts, start=1):
                part = URIRef(f"{span}/part/{i}")
                self.add(span, PG.part, part)
                self.add(part, RDF.type, OA.TextPositionSelector)
                self.add(part, PG.partIndex, Literal(i, datatype=XSD.positiveInteger))
                self.add(part, OA.start, Literal(a, datatype=XSD.nonNegativeInteger))
                self.add(part, OA.end, Literal(b, datatype=XSD.nonNegativeInteger))
        if ev.section:
            self.add(span, PG.section, PGR[f"report/{self.rid}/section/{ev.section}"])
        if ev.page:
            self.add(span, PG.page, Literal(ev.page))
        return span

    def question(self, n: int | None) -> URIRef | None:
        return PGR[f"report/{self.rid}/question/{n}"] if n else None

    def build(self) -> None:
        """Every triple of the extraction, fact by fact."""
        self.report()
        self.questions()
        self.sections()
        self.judgements()
        entity_iris = {e.key: entity_iri(e, self.ex.report.force_slug) for e in self.ex.entities}
        self.findings(entity_iris)
        self.footnotes(entity_iris)
        for e in self.ex.entities:
            self.entity(e, entity_iris[e.key])
        self.relations(entity_iris)
        self.units(entity_iris)
        self.figures()

    def figures(self) -> None:
        """The figures as RDF Data Cube observations of the report's data set (structure
        ``pg:figureStructure``): the value with its unit, what it measures, whose it is, its period and
        the comparison it is set against, each with its sentence as evidence."""
        if not self.ex.figures:
            return
        add = self.add
        ds = PGR[f"report/{self.rid}/figures"]
        add(ds, RDF.type, QB.DataSet)
        add(ds, QB.structure, PG.figureStructure)
        add(ds, DCTERMS.isPartOf, self.R)
        for f in self.ex.figures:
            fi = PGR[f"report/{self.rid}/figure/{_h(f.evidence.start, f.value, f.unit, f.measure)}"]
            add(fi, RDF.type, QB.Observation)
            add(fi, QB.dataSet, ds)
            add(fi, PG.value, _number(f.value))
            add(fi, PG.unit, Literal(f.unit))
            if f.measure:
                add(fi, PG.measure, Literal(f.measure))
            if f.entity:
                add(fi, PG.figureOf, force_iri(f.entity))
            if f.period:
                add(fi, PG.period, Literal(f.period))
            if f.comparator and f.comparator_value is not None:
                add(fi, PG.comparator, Literal(f.comparator))
                add(fi, PG.comparatorValue, _number(f.comparator_value))
            self.evidence(fi, f.evidence)

    def units(self, entity_iris: dict[str, URIRef]) -> None:
        """The text itself: every sentence, heading, caption, footnote and table cell is a span typed as its kind of
        text unit, naming the entities it mentions (``pg:mentions``); where the layout cut a footnote,
        caption or page furniture out of it, ``pg:text`` gives the sentence as it reads. A unit is the same
        resource as an evidence span with the same offsets, so a fact's quote leads to its sentence and back."""
        for u in self.ex.units:
            span = self.span(u.evidence)
            self.add(span, RDF.type, PG.TextUnit)
            self.add(span, RDF.type, getattr(PG, _UNIT_CLASSES[u.kind]))
            if u.text != " ".join(u.evidence.quote.split()):  # a footnote, caption or page furniture cut out
                self.add(span, PG.text, Literal(u.text))
            for key in u.mentions:
                if key in entity_iris:
                    self.add(span, PG.mentions, entity_iris[key])

    def report(self) -> None:
        """The report, its inspection, its force and the extraction activity."""
        ex, R, add = self.ex, self.R, self.add
        meta = ex.report
        force = force_iri(meta.force_slug)
        year = Literal(str(meta.year), datatype=XSD.gYear)
        add(R, RDF.type, PG.InspectionReport)
        add(R, DCTERMS.title, Literal(meta.title))
        add(R, DCTERMS.publisher, PGC[meta.publisher.lower()])
        add(R, PG.sha256, Literal(meta.sha256))
        add(R, RDF.type, DCAT.Dataset)
        add(R, DCTERMS.identifier, Literal(self.rid))
        self.distributions()
        add(R, PG.force, force)
        for slug, name in meta.forces:  # a report that judges several forces names each (a press release)
            if slug != meta.force_slug:
                add(R, PG.force, force_iri(slug))
                add(force_iri(slug), RDF.type, PG.Force)
                add(force_iri(slug), RDF.type, ORG.Organization)
                add(force_iri(slug), SKOS.prefLabel, Literal(name))
        add(R, PG.pillar, _PILLARS[meta.pillar])
        add(R, PG.year, year)
        insp = PGR[f"report/{self.rid}/inspection"]
        add(R, PG.inspection, insp)
        add(insp, RDF.type, PG.Inspection)
        add(insp, PG.force, force)
        add(insp, PG.pillar, _PILLARS[meta.pillar])
        add(insp, PG.year, year)
        add(PGC[meta.publisher.lower()], RDF.type, ORG.Organization)
        add(force, RDF.type, PG.Force)
        add(force, RDF.type, ORG.Organization)
        add(force, SKOS.prefLabel, Literal(meta.force))
        if meta.force_evidence:
            self.evidence(force, meta.force_evidence, PG.mention)
        if meta.year_evidence:
            self.evidence(R, meta.year_evidence)
        agent = PGR["agent/peelgraph"]
        add(self.activity, RDF.type, PROV.Activity)
        add(self.activity, PROV.used, R)
        add(self.activity, PROV.wasAssociatedWith, agent)
        add(self.activity, PG.softwareVersion, Literal(__version__))
        add(agent, RDF.type, PROV.SoftwareAgent)
        add(agent, RDFS.label, Literal("peelgraph"))
        if meta.template:  # the template that read the report's structure
            template = template_iri(meta.template.id)
            add(self.activity, PROV.used, template)
            add(template, RDF.type, PG.Template)
            add(template, RDFS.label, Literal(meta.template.title))
            add(template, OWL.versionInfo, Literal(meta.template.version))

    def distributions(self) -> None:
        """The report as a DCAT dataset of the corpus catalogue, with its distributions: the file it was
        read from (``dcterms:source``), and for a PDF the text extracted from it, into which the evidence
        offsets count (kept in the store; ``pg:extractedText`` names its path too)."""
        R, add, meta = self.R, self.add, self.ex.report
        add(CATALOG, RDF.type, DCAT.Catalog)
        add(CATALOG, DCTERMS.title, Literal("PEEL inspection reports read by peelgraph"))
        add(CATALOG, DCAT.dataset, R)
        pdf = meta.source.lower().endswith(".pdf")
        file = PGR[f"report/{self.rid}/file"]
        add(R, DCTERMS.source, file)
        add(R, DCAT.distribution, file)
        add(file, RDF.type, DCAT.Distribution)
        add(file, PG.path, Literal(meta.source))
        add(file, PG.sha256, Literal(meta.sha256))
        add(file, DCAT.mediaType, URIRef(_MEDIA + ("application/pdf" if pdf else "text/plain")))
        if pdf:  # offsets count into the PDF's text, kept in the store
            text = PGR[f"report/{self.rid}/text"]
            add(R, PG.extractedText, Literal(f"texts/{self.rid}.txt"))
            add(R, DCAT.distribution, text)
            add(text, RDF.type, DCAT.Distribution)
            add(text, PG.path, Literal(f"texts/{self.rid}.txt"))
            add(text, DCAT.mediaType, URIRef(_MEDIA + "text/plain"))
            add(text, DCTERMS.source, file)

    def questions(self) -> None:
        """The core questions."""
        ex, R, add = self.ex, self.R, self.add
        for q in ex.questions:
            qi = self.question(q.number)
            assert qi is not None
            add(qi, RDF.type, PG.CoreQuestion)
            add(qi, PG.number, Literal(q.number))
            add(qi, RDFS.label, Literal(q.text))
            add(qi, DCTERMS.isPartOf, R)
            self.evidence(qi, q.evidence)

    def sections(self) -> None:
        """The sections and their headings."""
        ex, R, add = self.ex, self.R, self.add
        for s in ex.sections:
            si = PGR[f"report/{self.rid}/section/{s.key}"]
            add(si, RDF.type, PG.Section)
            add(si, PG.heading, Literal(s.heading))
            add(si, PG.level, Literal(s.level))
            add(si, DCTERMS.isPartOf, R)
            qi = self.question(s.question)
            if qi is not None:
                add(si, PG.question, qi)
            self.evidence(si, s.evidence)

    def judgements(self) -> None:
        """The graded judgements, each with its own force, pillar and year, and the previous year's
        judgement where the text states it (or the one a judgement was carried from)."""
        ex, R, add = self.ex, self.R, self.add
        meta = ex.report
        year = Literal(str(meta.year), datatype=XSD.gYear)
        for j in ex.judgements:
            force = force_iri(j.force or meta.force_slug)
            pillar = _PILLARS[j.pillar or meta.pillar]
            ji = PGR[f"report/{self.rid}/judgement/{judgement_key(j, meta.force_slug, meta.pillar)}"]
            add(ji, RDF.type, PG.Judgement)
            add(ji, PG.grade, PGG[j.grade])
            add(ji, PG.isOverall, Literal(j.question == 0))
            add(ji, PG.report, R)
            add(ji, PG.year, year)
            add(ji, PG.force, force)
            add(ji, PG.pillar, pillar)
            if j.carried_from:
                add(ji, PG.carriedFrom, Literal(str(j.carried_from), datatype=XSD.gYear))
            qi = self.question(j.question)
            if qi is not None:
                add(ji, PG.question, qi)
            self.evidence(ji, j.evidence)
            if j.previous_grade and j.previous_evidence:
                pi = URIRef(f"{ji}/previous")
                add(ji, PG.previousJudgement, pi)
                add(pi, RDF.type, PG.Judgement)
                add(pi, PG.grade, PGG[j.previous_grade])
                add(pi, PG.isOverall, Literal(j.question == 0))
                add(pi, PG.force, force)
                add(pi, PG.pillar, pillar)
                if j.previous_year:
                    add(pi, PG.year, Literal(str(j.previous_year), datatype=XSD.gYear))
                if qi is not None:
                    add(pi, PG.question, qi)
                self.evidence(pi, j.previous_evidence)

    def findings(self, entity_iris: dict[str, URIRef]) -> None:
        """The findings, with the entities they concern."""
        ex, R, add = self.ex, self.R, self.add
        for f in ex.findings:
            fi = PGR[f"report/{self.rid}/finding/{f.key}"]
            add(fi, RDF.type, PG.Finding)
            add(fi, RDF.type, getattr(PG, FINDING_CLASSES[f.kind]))
            add(fi, PG.text, Literal(f.text))
            add(fi, PG.report, R)
            qi = self.question(f.question)
            if qi is not None:
                add(fi, PG.question, qi)
            if f.deadline:
                add(fi, PG.deadline, Literal(f.deadline.isoformat(), datatype=XSD.date))
            if f.parent:
                add(fi, PG.partOfRecommendation, PGR[f"report/{self.rid}/finding/{f.parent}"])
            if f.quoted:
                add(fi, PG.quoted, Literal(True))
            if f.curated:
                add(fi, PG.curated, Literal(True))
            for key in f.entities:
                if key in entity_iris:
                    add(fi, PG.concerns, entity_iris[key])
            self.evidence(fi, f.evidence)

    def footnotes(self, entity_iris: dict[str, URIRef]) -> None:
        """The footnotes, with the entity each defines."""
        ex, R, add = self.ex, self.R, self.add
        for fn in ex.footnotes:
            ni = PGR[f"report/{self.rid}/footnote/{fn.number}"]
            add(ni, RDF.type, PG.Footnote)
            add(ni, PG.number, Literal(fn.number))
            add(ni, PG.text, Literal(fn.text))
            add(ni, DCTERMS.isPartOf, R)
            if fn.defines and fn.defines in entity_iris:
                add(ni, PG.defines, entity_iris[fn.defines])
            self.evidence(ni, fn.evidence)

    def relations(self, entity_iris: dict[str, URIRef]) -> None:
        """Each relation: the plain triple and its qualified statement with evidence."""
        ex, R, add = self.ex, self.R, self.add
        kinds = {e.key: e.kind for e in ex.entities}
        for r in ex.relations:
            s_i, o_i = entity_iris[r.subject], entity_iris[r.object]
            prop = getattr(PG, RELATION_PROPERTIES[r.type])
            add(s_i, prop, o_i)
            for triple in org_triples(r.type, s_i, o_i, kinds.get(r.subject, ""), kinds.get(r.object, "")):
                add(*triple)
            ri = PGR[f"report/{self.rid}/relation/{_h(s_i, prop, o_i, r.evidence.start, r.evidence.end)}"]
            add(ri, RDF.type, PG.Relation)
            add(ri, RDF.type, RDF.Statement)
            add(ri, RDF.subject, s_i)
            add(ri, RDF.predicate, prop)
            add(ri, RDF.object, o_i)
            add(ri, PG.report, R)
            if r.type == "member-of":  # the membership as an n-ary ORG relation, with its evidence
                add(ri, RDF.type, ORG.Membership)
                add(ri, ORG.member, s_i)
                add(ri, ORG.organization, o_i)
            if r.curated:
                add(ri, PG.curated, Literal(True))
            self.evidence(ri, r.evidence)

    def entity(self, e: Entity, iri: URIRef) -> None:
        add = self.add
        for cls in KIND_CLASSES[e.kind]:
            add(iri, RDF.type, cls)
        add(iri, SKOS.prefLabel, Literal(e.label))
        for a in e.aliases:
            add(iri, SKOS.altLabel, Literal(a))
        if e.definition:
            add(iri, SKOS.definition, Literal(e.definition))
        if e.definition_evidence:
            self.evidence(iri, e.definition_evidence, PG.mention)
        if e.concept:  # the concept is in the national scheme, whether or not concepts.ttl is loaded too
            add(URIRef(e.concept), SKOS.inScheme, PGC.scheme)
        if e.concept and e.scope != "national":
            add(iri, PG.instanceOf, URIRef(e.concept))
        add(iri, PG.scope, PG.National if e.scope == "national" else PG.Local)
        if e.scope != "national":
            add(iri, PG.force, force_iri(self.ex.report.force_slug))
        for note in e.notes:
            add(iri, PG.mergeNote, Literal(note))
        if e.curated:
            add(iri, PG.curated, Literal(True))
        for m in e.mentions:
            self.evidence(iri, m, PG.mention)


def nt_term(term: URIRef | Literal) -> str:
    r"""One term in N-Triples (IRIs as ``<...>``; literals escaped, with their datatype or language).

    Example:
        >>> print(nt_term(Literal('say "hi"')), nt_term(Literal(5)))
        "say \"hi\"" "5"^^<http://www.w3.org/2001/XMLSchema#integer>
    """
    return term.ntriples() if isinstance(term, Literal) else f"<{term}>"


@lru_cache(maxsize=1)
def grade_scheme_lines() -> tuple[str, ...]:
    """The grade scheme and the pillar individuals from the ontology, as N-Triples lines
    (so that queries find the grades' labels in every report's graph)."""
    import pyoxigraph as ox

    keep = (str(PGG), *(str(p) for p in _PILLARS.values()))
    lines = set()
    for t in ox.parse(path=str(ontology_dir() / "peelgraph.ttl"), format=ox.RdfFormat.TURTLE):
        if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(keep):
            o = t.object
            obj = nt_term(URIRef(o.value)) if isinstance(o, ox.NamedNode) else \
                nt_term(Literal(o.value, lang=o.language or None,
                                datatype=None if o.language else URIRef(o.datatype.value)))
            lines.add(f"<{t.subject.value}> <{t.predicate.value}> {obj} .")
    return tuple(sorted(lines))


def extraction_ntriples(ex: Extraction) -> list[str]:
    """All triples of one report's extraction, plus the grade scheme, as sorted N-Triples lines.

    Written straight to N-Triples (rdflib's Graph is not needed to build the graph, and is
    many times slower at it); the lines are canonical: sorted, unique, no blank nodes.
    """
    sink: set[str] = set(grade_scheme_lines())
    _Builder(ex, sink).build()
    return sorted(sink)


def extraction_to_graph(extractions: Iterable[Extraction], graph: Graph | None = None) -> Graph:
    """All triples for some extractions, plus the grade scheme, as an rdflib graph."""
    from rdflib import Graph

    g = bind_prefixes(graph if graph is not None else Graph())
    for ex in extractions:
        g.parse(data="\n".join(extraction_ntriples(ex)) + "\n", format="nt")
    return g


def canonical_nt(graph: Any) -> str:
    """Sorted, deduplicated N-Triples of an rdflib graph: byte-identical for equal graphs without blank nodes."""
    data = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    lines = sorted({ln for ln in data.split("\n") if ln.strip()})
    return "\n".join(lines) + "\n"


def canonical_turtle(graph: Any) -> str:
    """Turtle with peelgraph's prefixes; rdflib sorts subjects and predicates."""
    from rdflib import Graph

    g = bind_prefixes(Graph())
    g += graph
    return g.serialize(format="turtle")
