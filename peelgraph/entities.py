"""Entities (placeholder until the entity rules land)."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Entity
from .reports import Document
from .structure import Structure


@dataclass(frozen=True)
class EntitySet:
    """Entities found in a report."""

    entities: tuple[Entity, ...] = ()


def extract(doc: Document, st: Structure) -> EntitySet:
    """Find entities in a report."""
    return EntitySet()
