"""Curation (placeholder until curation files land)."""

from __future__ import annotations

from pathlib import Path

from .model import Extraction
from .reports import Document


def apply(ex: Extraction, doc: Document, report_path: Path) -> Extraction:
    """Apply a report's curation file."""
    return ex
