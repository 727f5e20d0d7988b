"""The text itself as units: every sentence, heading, caption, footnote and table cell of a report,
with the entities each names.

A fact the rules could not read is still a sentence of the graph: an analyst can find every
sentence that names the MASH, or search the text by words, and tell "the report doesn't say"
from "the extractor missed it". Units come from the layout (``peelgraph.text.layout``), so a
footnote is a unit of its own and never part of the sentence it interrupted: that sentence's
evidence is in parts, the footnote cut out. A table's or chart's cells are units of their own
(``cell``); figure notes are kept out of the sentences.

An entity is named by a unit when one of its mentions (``Entity.mentions``, the spans the rules
and the curation file found) lies inside the unit.

Example:
    >>> from peelgraph.text.layout import layout
    >>> from peelgraph.model import Entity, Evidence
    >>> doc = layout("r", "How well does it work?\\nThe MASH works well. Partners help.\\n")
    >>> mash = Entity("mash", "MASH", "collaboration", mentions=(Evidence("r", 27, 31, "MASH", "demo"),))
    >>> [(u.kind, u.text, u.mentions) for u in text_units(doc, (), (mash,))]
    [('heading', 'How well does it work?', ()), ('sentence', 'The MASH works well.', ('mash',)), \
('sentence', 'Partners help.', ())]
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence

from peelgraph.extract.templates.base import section_key_at
from peelgraph.model import Entity, Section, TextUnit
from peelgraph.text.layout import Document, Span

__all__ = ["text_units", "UNIT_KINDS"]

#: The kinds of text unit, as the graph types them (``pg:Sentence``, ``pg:Heading``, ...).
UNIT_KINDS = ("sentence", "heading", "caption", "footnote", "cell")


def _spans(doc: Document) -> list[tuple[str, Span]]:
    out: list[tuple[str, Span]] = [("sentence", s) for s in doc.sentences]
    sentence_starts = {s.start for s in doc.sentences}
    for block in doc.blocks:
        if block.kind == "heading":
            out.append(("heading", block.span))
        elif block.kind == "caption" and block.span.start not in sentence_starts:
            out.append(("caption", block.span))
    for fn in doc.footnotes:  # kept out of the normalised copy: a span of the original only
        a, b = fn.start, fn.end
        while a < b and doc.text[a].isspace():
            a += 1
        while b > a and doc.text[b - 1].isspace():
            b -= 1
        out.append(("footnote", Span(0, 0, a, b)))
    for table in doc.tables:  # kept out of the normalised copy too
        out.extend(("cell", Span(0, 0, c.start, c.end)) for c in table.cells)
    return out


def _text(doc: Document, kind: str, sp: Span) -> str:
    return " ".join((doc.text[sp.start : sp.end] if kind in ("footnote", "cell") else doc.display(sp)).split())


def text_units(doc: Document, sections: Sequence[Section], entities: Iterable[Entity]) -> tuple[TextUnit, ...]:
    """Every unit of the laid-out text, in text order, with its section, page and the entities it names."""
    lookup = [(s.start, s.end, s.key) for s in sections]
    units = sorted({(sp.start, sp.end, kind): sp for kind, sp in _spans(doc) if sp.end > sp.start}.items())
    starts = [u[0][0] for u in units]
    named: dict[int, set[str]] = {}
    longest = max((u[0][1] - u[0][0] for u in units), default=0)
    for e in entities:
        for m in e.mentions:
            i = bisect.bisect_right(starts, m.start) - 1
            while i >= 0 and starts[i] >= m.start - longest:  # the innermost unit holding the mention
                if m.end <= units[i][0][1]:
                    named.setdefault(i, set()).add(e.key)
                    break
                i -= 1
    out = []
    for i, ((start, _end, kind), sp) in enumerate(units):
        ev = doc.evidence(sp, f"layout.{kind}", section_key_at(lookup, start))
        out.append(TextUnit(kind, _text(doc, kind, sp), ev, tuple(sorted(named.get(i, ())))))
    return tuple(out)
