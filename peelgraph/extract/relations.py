"""Relations: typed, directed relations between entities, each stated by one sentence.

:func:`extract` reads every sentence of the read text in scope (running text and
footnotes) with the entity mentions in it, and runs the relation rules of
:data:`peelgraph.extract.rules.RELATION_RULES` on it, in order (see
:mod:`peelgraph.extract.rules.relations` for each rule's triggers; directions follow
``ontology/README.md``). A relation is kept once per sentence: the first rule that finds it
names its evidence. Relations to an entity that was not extracted, and a relation of an
entity to itself, are dropped. The evidence of a relation is its whole sentence.

Example:
    >>> from peelgraph.text.layout import layout
    >>> from peelgraph.extract.structure import parse
    >>> from peelgraph.extract import entities
    >>> text = ("PEEL: Police effectiveness 2017\\nAn inspection of Cumbria Constabulary\\n\\n"
    ...         "The harm assessment unit (HAU) is situated within the multi-agency safeguarding hub (MASH). "
    ...         "The MASH does not include the probation service.\\n")
    >>> doc = layout("r", text)
    >>> st = parse(doc)
    >>> [(r.subject, r.type, r.object, r.evidence.rule) for r in extract(doc, st, entities.extract(doc, st))]
    [('harm-assessment-unit', 'part-of', 'mash', 'relations.part-of.within')]
    >>> extract(doc, st, entities.extract(doc, st), disabled={"relations.containment"})
    ()
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from peelgraph.extract.entities import EntitySet, Mention
from peelgraph.extract.rules.base import select
from peelgraph.extract.rules.relations import RELATION_RULES, RelationRule, Sentence
from peelgraph.extract.structure import Structure
from peelgraph.model import Relation
from peelgraph.text.layout import Document

__all__ = ["extract"]


def _dedupe(ms: list[Mention]) -> list[Mention]:
    """Adjacent mentions of one entity (at most 3 characters apart) as one."""
    out: list[Mention] = []
    for m in ms:
        if out and out[-1].key == m.key and m.nstart - out[-1].nend <= 3:
            last = out[-1]
            out[-1] = Mention(last.nstart, m.nend, last.key, last.rule, last.anaphor)
            continue
        out.append(m)
    return out


def extract(doc: Document, st: Structure, ents: EntitySet, *, rules: Sequence[RelationRule] = RELATION_RULES,
            disabled: Collection[str] = ()) -> tuple[Relation, ...]:
    """Find typed relations, each with the sentence that states it as evidence.

    Args:
        doc: the laid-out report.
        st: its template structure.
        ents: its entities (with the read text and the mentions).
        rules: the relation rules to run, in order (default: all of them).
        disabled: ids of rules not to run.

    Raises:
        UsageError: ``disabled`` names an unknown rule.
    """
    active = select(rules, disabled)
    read = ents.read_text
    if read is None:
        return ()
    entities = ents.by_key
    out: dict[tuple[str, str, str, int], Relation] = {}
    prev: Sentence | None = None
    for span in read.sentences:
        if not read.scoped(span.nstart):
            prev = None
            continue
        ms = tuple(m for m in _dedupe(ents.in_span(span.nstart, span.nend)) if m.key in entities)
        s = Sentence(span, read.text[span.nstart:span.nend], ms, entities, ents.force_key, prev)
        section = st.section_at(span.start)
        for rule in active:
            for f in rule.find(s):
                if f.subject == f.object or f.subject not in entities or f.object not in entities:
                    continue
                key = (f.subject, f.type, f.object, span.start)
                if key not in out:
                    out[key] = Relation(f.subject, f.type, f.object, doc.evidence(span, f.rule, section))
        prev = s
    return tuple(out[k] for k in sorted(out, key=lambda k: (k[3], k[0], k[1], k[2])))
