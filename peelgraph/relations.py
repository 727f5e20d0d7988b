"""Relations (placeholder until the relation rules land)."""

from __future__ import annotations

from .entities import EntitySet
from .model import Relation
from .reports import Document
from .structure import Structure


def extract(doc: Document, st: Structure, ents: EntitySet) -> tuple[Relation, ...]:
    """Find relations in a report."""
    return ()
