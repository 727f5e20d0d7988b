"""The gazetteers the extractor reads: the shared concept vocabulary (``ontology/concepts.ttl``)
and the police forces (``ontology/forces.ttl``), parsed with pyoxigraph (no regexes over
Turtle, no rdflib on the build path), each read once per process.

Example:
    >>> c = {c.key: c for c in concepts()}["thrive"]
    >>> c.kind, c.scope, "THRIVE" in c.alts
    ('practice', 'national', True)
    >>> [f for f in forces() if f.slug == "warwickshire-police"][0].name
    'Warwickshire Police'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from peelgraph.resources import PREFIXES, ontology_dir
from peelgraph.vocab import KIND_OF_ENTITY_TYPE

__all__ = ["Concept", "Force", "concepts", "forces", "read_turtle"]

PGC = PREFIXES["pgc"]
_SKOS = PREFIXES["skos"]
_PG = PREFIXES["pg"]
_RDF_TYPE = PREFIXES["rdf"] + "type"
_FORCE_BASE = PREFIXES["pgr"] + "force/"


@dataclass(frozen=True)
class Concept:
    """One concept of the shared vocabulary (``ontology/concepts.ttl``)."""

    key: str
    pref: str
    alts: tuple[str, ...]
    definition: str
    kind: str
    scope: str
    broader: str | None = None

    @property
    def iri(self) -> str:
        """The concept's IRI."""
        return PGC + self.key


class Force(NamedTuple):
    """A police force of ``ontology/forces.ttl``: its slug, name and other names."""

    slug: str
    name: str
    alts: tuple[str, ...]


def read_turtle(path: Path) -> dict[str, dict[str, list[str]]]:
    """``{subject IRI: {predicate IRI: [object values]}}`` of a Turtle file, in document order
    (objects are IRIs or literal lexical forms)."""
    import pyoxigraph as ox

    out: dict[str, dict[str, list[str]]] = {}
    for t in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        if not isinstance(t.subject, ox.NamedNode):
            continue
        out.setdefault(t.subject.value, {}).setdefault(t.predicate.value, []).append(t.object.value)
    return out


def _curie(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


@lru_cache(maxsize=1)
def concepts() -> tuple[Concept, ...]:
    """The concepts of ``ontology/concepts.ttl`` that name a kind of entity, in file order."""
    out = []
    for iri, props in read_turtle(ontology_dir() / "concepts.ttl").items():
        if not iri.startswith(PGC) or _SKOS + "Concept" not in props.get(_RDF_TYPE, []):
            continue
        pref = props.get(_SKOS + "prefLabel")
        etype = [_curie(t) for t in props.get(_PG + "entityType", [])]
        if not pref or not etype or etype[0] not in KIND_OF_ENTITY_TYPE:
            continue
        scope = props.get(_PG + "scope", [_PG + "Local"])[0].removeprefix(_PG)
        broader = props.get(_SKOS + "broader")
        out.append(Concept(iri.removeprefix(PGC), pref[0], tuple(props.get(_SKOS + "altLabel", [])),
                           (props.get(_SKOS + "definition") or [""])[0], KIND_OF_ENTITY_TYPE[etype[0]],
                           scope.lower(), broader[0].removeprefix(PGC) if broader else None))
    return tuple(out)


@lru_cache(maxsize=1)
def forces() -> tuple[Force, ...]:
    """The police forces of ``ontology/forces.ttl``, in file order."""
    out = []
    for iri, props in read_turtle(ontology_dir() / "forces.ttl").items():
        if _PG + "Force" in props.get(_RDF_TYPE, []) and props.get(_SKOS + "prefLabel"):
            out.append(Force(iri.removeprefix(_FORCE_BASE), props[_SKOS + "prefLabel"][0],
                             tuple(props.get(_SKOS + "altLabel", []))))
    return tuple(out)
