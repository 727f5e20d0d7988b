"""The report's structure: ``parse(doc)`` asks the template registry which template fits the text
best, and has it read the text into a :class:`Structure` (force, year, pillar, core questions,
grades, sections, areas for improvement, recommendations, footnotes) that records the template.

The reading rules live with each template (:mod:`peelgraph.extract.templates`).

Example:
    >>> from peelgraph.extract.templates import layout
    >>> doc = layout("r", "PEEL: Police effectiveness 2016\\nAn inspection of Kent Police\\n\\n"
    ...                   "HMIC inspected the force.\\n")
    >>> st = parse(doc)
    >>> st.meta.id, (st.template.id, st.template.version)
    ('kent-police-effectiveness-2016', ('peel-pillar-2014', '2.0'))
"""

from __future__ import annotations

from peelgraph.extract import templates
from peelgraph.extract.templates.base import Structure, section_key_at
from peelgraph.text.layout import Document

__all__ = ["Structure", "parse", "section_key_at"]


def parse(doc: Document) -> Structure:
    """Read the template-level structure of a laid-out report with the template that fits it best.

    Raises:
        ReportError: no template fits the text (it is not a PEEL report), or the template cannot
            tell what every report states (its force, its year).
    """
    return templates.best(doc).read(doc)
