"""What the graph holds, counted (``peelgraph stats``), and each report summed up (``peelgraph build``).

Example:
    >>> from peelgraph.store.oxigraph import OxigraphBackend
    >>> stats(OxigraphBackend.empty())["facts"]
    {'total': 0, 'from_curation': 0, 'from_rules': 0}
"""

from __future__ import annotations

from typing import Any, NamedTuple

from peelgraph.ask.execute import select
from peelgraph.resources import PREFIXES
from peelgraph.store.backend import Backend

__all__ = ["stats", "Summary", "summary"]


def stats(db: Backend) -> dict[str, Any]:
    """Counts by class, relations and evidence, and facts from rules against curation."""
    out: dict[str, Any] = {}
    rows = select(db, "SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class } GROUP BY ?class")
    classes = {}
    for r in rows:
        iri = r["class"]
        for p, ns in PREFIXES.items():
            if iri.startswith(ns):
                iri = f"{p}:{iri[len(ns):]}"
                break
        classes[iri] = int(r["n"])
    out["classes"] = dict(sorted(classes.items()))
    out["quads"] = int(select(db, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")[0]["n"])
    out["reports"] = int(select(db, "SELECT (COUNT(?r) AS ?n) WHERE { ?r a pg:InspectionReport }")[0]["n"])
    curated = select(db, """SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE { ?f pg:curated true }""")
    facts = select(db, """SELECT (COUNT(DISTINCT ?f) AS ?n) WHERE {
        { ?f a pg:Relation } UNION { ?f a pg:Finding } UNION { ?f pg:mention ?m } }""")
    out["facts"] = {"total": int(facts[0]["n"]), "from_curation": int(curated[0]["n"]),
                    "from_rules": int(facts[0]["n"]) - int(curated[0]["n"])}
    return out


class Summary(NamedTuple):
    """What ``peelgraph build`` prints for each report."""

    report: str
    title: str
    force: str
    year: int
    pillar: str
    judgements: tuple[tuple[str, str, str | None], ...]  # (question label, grade, previous grade)
    areas_for_improvement: tuple[tuple[str, str], ...]  # (question, text)
    recommendations: tuple[tuple[str, str | None, bool, bool], ...]  # (text, deadline, quoted, is sub-action)


def summary(db: Backend) -> list[Summary]:
    """One :class:`Summary` per report in the store.

    A judgement is labelled by its question, or ``overall``; where a report holds judgements
    of several pillars (an integrated PEEL assessment) or of several forces (a press release),
    the label names the pillar and the force too."""
    out = []
    reports: dict[str, dict[str, Any]] = {}
    for r in select(db, """SELECT ?r ?title ?force ?year ?pillar WHERE {
            ?r a pg:InspectionReport ; dcterms:title ?title ; pg:force/skos:prefLabel ?force ;
               pg:year ?year ; pg:pillar ?p . BIND(LCASE(STRAFTER(STR(?p), "#")) AS ?pillar) } ORDER BY ?r ?force"""):
        reports.setdefault(r["r"], {**r, "forces": []})["forces"].append(r["force"])
    for rid, r in reports.items():
        js = select(db, f"""SELECT ?n ?q ?grade ?prev ?jpillar ?jforce WHERE {{
              ?j a pg:Judgement ; pg:report <{rid}> ; pg:grade/skos:prefLabel ?grade .
              OPTIONAL {{ ?j pg:question ?qq . ?qq pg:number ?n ; rdfs:label ?q }}
              OPTIONAL {{ ?j pg:previousJudgement/pg:grade/skos:prefLabel ?prev }}
              OPTIONAL {{ ?j pg:pillar ?jp BIND(LCASE(STRAFTER(STR(?jp), "#")) AS ?jpillar) }}
              OPTIONAL {{ ?j pg:force/skos:prefLabel ?jforce }}
            }} ORDER BY ?jforce ?jpillar ?n""")
        pillars = {j["jpillar"] for j in js if j["jpillar"]}
        forces = {j["jforce"] for j in js if j["jforce"]}
        afis = select(db, f"""SELECT ?n ?text WHERE {{ ?f a pg:AreaForImprovement ; pg:report <{rid}> ;
              pg:text ?text ; pg:evidence/oa:hasTarget/oa:hasSelector/oa:start ?s .
              OPTIONAL {{ ?f pg:question/pg:number ?n }} }} ORDER BY ?s""")
        recs = select(db, f"""SELECT ?text ?deadline ?quoted ?parent WHERE {{ ?f a pg:Recommendation ;
              pg:report <{rid}> ; pg:text ?text ; pg:evidence/oa:hasTarget/oa:hasSelector/oa:start ?s .
              OPTIONAL {{ ?f pg:deadline ?deadline }} OPTIONAL {{ ?f pg:quoted ?quoted }}
              OPTIONAL {{ ?f pg:partOfRecommendation ?parent }} }} ORDER BY ?s""")
        out.append(Summary(
            rid, r["title"], ", ".join(r["forces"]), int(r["year"]), r["pillar"],
            tuple((_judgement_label(j, len(pillars) > 1, len(forces) > 1), j["grade"], j["prev"]) for j in js),
            tuple((f"question {a['n']}" if a["n"] else "overview", a["text"]) for a in afis),
            tuple((c["text"], c["deadline"], c["quoted"] == "true", c["parent"] is not None) for c in recs),
        ))
    return out


def _judgement_label(j: dict[str, Any], name_pillar: bool, name_force: bool) -> str:
    label = f"{j['n']}. {j['q']}" if j["n"] else "overall"
    where = [x for x, named in ((j["jforce"], name_force), (j["jpillar"], name_pillar)) if named and x]
    return f"{label} ({', '.join(where)})" if where else label
