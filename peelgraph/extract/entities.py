"""Entities: organisations, collaborations, units, programmes, practices, powers, systems
and roles named in a report, each with every mention as evidence.

:func:`extract` runs the entity rules of :data:`peelgraph.extract.rules.ENTITY_RULES` (each
a small named object; see :mod:`peelgraph.extract.rules.entities` for what each finds) over
the read text (:class:`~peelgraph.extract.readtext.ReadText`: the overview and core-question
sections and their footnotes), sharing one :class:`~peelgraph.extract.lexicon.Lexicon`:

1. the forces of ``ontology/forces.ttl`` are known from the start;
2. the ``find`` rules, in order: names the text defines (``X known as 'Y'``, acronym
   definitions, quoted names), the gazetteer, capitalised names, force lists, force
   collaborations, lower-case noun phrases;
3. the resolver (:mod:`peelgraph.extract.resolve`): leftmost-longest overlaps, lower-case
   phrases kept only when they recur or name a body;
4. the ``refer`` rules, in the text no kept mention covers: anaphora (``the alliance``, ``the
   force``) and processes named by what is done;
5. the resolver's merge of a broader local concept into its narrower one;
6. the entities: label, kind, aliases (every surface form), notes, the definition a footnote
   gives, and every (non-anaphoric) mention as evidence.

Unknown is better than wrong: an acronym definition whose long form has no recognised head
noun (a crime type, an outcome) makes no entity unless the vocabulary knows it.

Example:
    >>> from peelgraph.text.layout import layout
    >>> from peelgraph.extract.structure import parse
    >>> text = ("PEEL: Police effectiveness 2017\\nAn inspection of Cumbria Constabulary\\n\\n"
    ...         "The force works with the probation service through the multi-agency "
    ...         "safeguarding hub (MASH). The MASH is good.\\n")
    >>> doc = layout("r", text)
    >>> ents = extract(doc, parse(doc))
    >>> sorted(e.key for e in ents.entities)
    ['cumbria-constabulary', 'mash', 'probation-service']
    >>> len(ents.by_key["mash"].mentions)
    3
    >>> sorted(e.key for e in extract(doc, parse(doc), disabled={"entities.gazetteer"}).entities)
    ['cumbria-constabulary', 'mash', 'probation-service']
    >>> ents.dropped[0].reason
    'same span as a candidate of an earlier rule (entities.gazetteer)'
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace

from peelgraph.extract.labels import is_acronym, label_key, slug
from peelgraph.extract.lexicon import Forces, Lexicon
from peelgraph.extract.readtext import Mention, ReadText
from peelgraph.extract.resolve import Drop, leftmost_longest, merge_broader, settle_phrases
from peelgraph.extract.rules.base import select
from peelgraph.extract.rules.entities import (
    ENTITY_RULES,
    Candidate,
    EntityContext,
    EntityRule,
    Occupied,
    acronym_definitions,
    long_form_for,
)
from peelgraph.extract.structure import Structure
from peelgraph.extract.vocabulary import concepts as concepts_
from peelgraph.extract.vocabulary import forces as forces_
from peelgraph.model import Entity, Evidence
from peelgraph.text.layout import Document

__all__ = ["Mention", "EntitySet", "ReadText", "extract", "acronym_definitions", "long_form_for", "slug",
           "label_key", "is_acronym", "mentions_of"]


@dataclass(frozen=True)
class EntitySet:
    """Entities found in a report, every mention (in the read text's coordinates), the read
    text, the report's own force, and the candidates the resolver dropped (with reasons)."""

    entities: tuple[Entity, ...] = ()
    mentions: tuple[Mention, ...] = ()
    read_text: ReadText | None = None
    force_key: str | None = None
    dropped: tuple[Drop, ...] = ()

    @property
    def by_key(self) -> dict[str, Entity]:
        """Entities by key."""
        return {e.key: e for e in self.entities}

    def in_span(self, nstart: int, nend: int) -> list[Mention]:
        """Mentions lying inside a span of the read text, in text order."""
        i = bisect.bisect_left(self.mentions, Mention(nstart, nstart, ""))
        out = []
        while i < len(self.mentions) and self.mentions[i].nstart < nend:
            if self.mentions[i].nend <= nend:
                out.append(self.mentions[i])
            i += 1
        return out


def extract(doc: Document, st: Structure, *, rules: Sequence[EntityRule] = ENTITY_RULES,
            disabled: Collection[str] = ()) -> EntitySet:
    """Find the entities a report names, with every mention as evidence.

    Args:
        doc: the laid-out report.
        st: its template structure.
        rules: the entity rules to run, in order (default: all of them).
        disabled: ids of rules not to run.

    Raises:
        UsageError: ``disabled`` names an unknown rule.
    """
    active = select(rules, disabled)
    read = ReadText.build(doc, st)
    forces = Forces.of(forces_(), st.meta.force_slug or None)
    lexicon = Lexicon(concepts_())
    for fslug, name in forces.labels.items():
        lexicon.set_key(name, fslug)
    ctx = EntityContext(doc, st, read, lexicon, forces)
    cands = _run(ctx, (r for r in active if r.phase == "find"))
    kept, drops = leftmost_longest(cands)
    mentions, phrase_drops = settle_phrases(kept, lexicon)
    ctx = replace(ctx, kept=tuple(mentions), occupied=Occupied.of(tuple(mentions)))
    mentions += [c.mention() for c in _run(ctx, (r for r in active if r.phase == "refer"))]
    mentions = merge_broader(sorted(mentions), lexicon)
    entities = _entities(ctx, sorted(mentions))
    keys = {e.key for e in entities}
    kept_mentions = tuple(m for m in sorted(mentions) if m.key in keys or m.anaphor)
    return EntitySet(entities, kept_mentions, read, forces.own, tuple(drops + phrase_drops))


def _run(ctx: EntityContext, rules: Iterable[EntityRule]) -> list[Candidate]:
    """Every candidate of the rules, each rule run to the end before the next."""
    out: list[Candidate] = []
    for rule in rules:
        out.extend(rule.find(ctx))
    return out


def _footnote_definitions(st: Structure) -> dict[str, tuple[str, Evidence]]:
    """A footnote that defines a term gives its definition."""
    return {fn.defines: (re.sub(r"^\d+\s+", "", fn.text), fn.evidence) for fn in st.footnotes if fn.defines}


def _entities(ctx: EntityContext, mentions: list[Mention]) -> tuple[Entity, ...]:
    """One entity per key with at least one piece of evidence, in key order."""
    by_entity: dict[str, list[Mention]] = defaultdict(list)
    for mn in mentions:
        by_entity[mn.key].append(mn)
    footdefs = _footnote_definitions(ctx.st)
    out: list[Entity] = []
    for k, ms in sorted(by_entity.items()):
        real = [mn for mn in ms if not mn.anaphor]
        evs = tuple(ctx.doc.evidence(ctx.read.span(mn.nstart, mn.nend), mn.rule,
                                     ctx.st.section_at(ctx.read.omap[mn.nstart])) for mn in real)
        if k in ctx.forces.labels:
            if not evs and k == ctx.forces.own and ctx.st.meta.force_evidence:
                evs = (ctx.st.meta.force_evidence,)
            if evs:
                out.append(Entity(k, ctx.forces.labels[k], "force", mentions=evs))
        elif evs:
            out.append(_entity(ctx, k, real, evs, footdefs))
    return tuple(out)


def _entity(ctx: EntityContext, k: str, real: list[Mention], evs: tuple[Evidence, ...],
            footdefs: dict[str, tuple[str, Evidence]]) -> Entity:
    """An entity from its draft: aliases from every surface form, the definition a footnote gives."""
    lex = ctx.lexicon
    if k not in lex.drafts:
        lex.ensure_concept(lex.concept_by_key[k])
    d = lex.drafts[k]
    surfaces = {re.sub(r"\s+", " ", ctx.text[mn.nstart:mn.nend]) for mn in real}
    if d.concept is not None:  # the acronym of the concept's name names it wherever it is named
        surfaces |= {a for a in d.concept.alts if _abbreviates(a, d.concept.pref)}
    own = {label_key(d.label)}
    aliases: list[str] = []
    for al in sorted(set(d.aliases) | surfaces):
        if label_key(al) not in own and al.lower() not in {x.lower() for x in aliases}:
            aliases.append(al)
    definition: str | None = None
    definition_ev: Evidence | None = None
    for lab in (d.label, *d.aliases, *(d.concept.alts if d.concept else ())):
        for term, (dtext, dev) in footdefs.items():
            if label_key(term) == label_key(lab) or term.endswith(f"({lab})") or term.startswith(f"{lab} ("):
                definition, definition_ev = dtext, dev
    c = d.concept
    return Entity(key=k, label=d.label, kind=d.kind, aliases=tuple(aliases), definition=definition,
                  definition_evidence=definition_ev, concept=c.iri if c else None,
                  scope="national" if c and c.scope == "national" else "local",
                  mentions=tuple(sorted(set(evs))), notes=tuple(d.notes))


def _abbreviates(acr: str, name: str) -> bool:
    """Whether an acronym abbreviates the whole of a name (not an older or narrower name).

    Example:
        >>> _abbreviates("ACC", "assistant chief constable"), _abbreviates("CDRP", "community safety partnership")
        (True, False)
    """
    if not is_acronym(acr):
        return False
    lf = long_form_for(acr, name)
    return lf is not None and label_key(lf) == label_key(" ".join(re.findall(r"[\w’'&][\w’'&\-]*", name)))


def mentions_of(ents: EntitySet, keys: Iterable[str]) -> list[Mention]:
    """Mentions of the given entity keys."""
    ks = set(keys)
    return [m for m in ents.mentions if m.key in ks]
