"""The resolver: it decides between the entity rules' candidates, and says why.

Three decisions, in this order (anaphora are rules, ``refer`` rules of
:mod:`peelgraph.extract.rules.entities`, that run between the second and the third, in
the text no kept mention covers):

* **overlaps**: leftmost-longest; among candidates with the same span the earlier rule in
  the registry wins;
* **lower-case phrases** (``entities.noun-phrase``): kept only when the phrase recurs among
  the kept candidates or its head names a body (``hub``, ``programme``, ``system`` ...);
  then it becomes a local entity of the kind its head gives;
* **broader local concepts** (a merge): a local concept and its broader local concept named
  in one report are one body; the narrower is the force's own name for it ("safer
  neighbourhood teams" are its neighbourhood policing teams), so the broader's mentions join
  the narrower, with a note.

Every dropped candidate is recorded as a :class:`Drop` (dropped, the candidate kept
instead, the reason) and logged at debug level on the ``peelgraph.extract.resolve`` logger.

Example:
    >>> from peelgraph.extract.rules.entities import Candidate
    >>> kept, drops = leftmost_longest([Candidate(0, 4, "a", "r1"), Candidate(0, 9, "b", "r2"),
    ...                                 Candidate(5, 12, "c", "r1")])
    >>> [c.key for c in kept], [(d.dropped.key, d.kept.key if d.kept else None) for d in drops]
    (['b'], [('a', 'b'), ('c', 'b')])
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from peelgraph.extract.labels import label_key
from peelgraph.extract.lexicon import Lexicon
from peelgraph.extract.readtext import Mention
from peelgraph.extract.rules.entities import Candidate, head_kind, keeps_phrase

__all__ = ["Drop", "leftmost_longest", "settle_phrases", "merge_broader"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Drop:
    """A candidate the resolver dropped, the one it kept instead (if any), and why."""

    dropped: Candidate
    kept: Candidate | None
    reason: str


def _drop(dropped: Candidate, kept: Candidate | None, reason: str) -> Drop:
    log.debug("dropped %s %d-%d %r: %s%s", dropped.rule, dropped.nstart, dropped.nend,
              dropped.key or dropped.phrase, reason,
              f" (kept {kept.rule} {kept.nstart}-{kept.nend} {kept.key or kept.phrase!r})" if kept else "")
    return Drop(dropped, kept, reason)


def leftmost_longest(cands: Iterable[Candidate]) -> tuple[list[Candidate], list[Drop]]:
    """Non-overlapping candidates, leftmost first, the longest at each start (the earlier
    rule on a tie), and the dropped ones."""
    ordered = sorted(cands, key=lambda c: (c.nstart, -(c.nend - c.nstart)))  # stable: rule order on ties
    kept: list[Candidate] = []
    drops: list[Drop] = []
    last_end = -1
    for c in ordered:
        if c.nstart >= last_end:
            kept.append(c)
            last_end = c.nend
            continue
        k = kept[-1]
        if (c.nstart, c.nend) == (k.nstart, k.nend):
            reason = f"same span as a candidate of an earlier rule ({k.rule})"
        elif c.nstart == k.nstart:
            reason = "a longer candidate starts at the same place"
        else:
            reason = "overlaps a candidate that starts earlier"
        drops.append(_drop(c, k, reason))
    return kept, drops


def settle_phrases(kept: list[Candidate], lexicon: Lexicon) -> tuple[list[Mention], list[Drop]]:
    """Mentions of the kept candidates; a lower-case phrase is kept (as a local entity) only
    when it recurs or names a body."""
    counts = Counter(label_key(c.phrase) for c in kept if c.phrase is not None)
    out: list[Mention] = []
    drops: list[Drop] = []
    for c in kept:
        if c.phrase is None:
            out.append(c.mention())
            continue
        if not keeps_phrase(c.phrase, counts[label_key(c.phrase)]):
            drops.append(_drop(c, None, "a lower-case phrase that occurs once and has no named-body head"))
            continue
        out.append(c.mention(lexicon.add_local(c.phrase, head_kind(c.phrase.split()[-1], "unit"))))
    return out, drops


def merge_broader(mentions: list[Mention], lexicon: Lexicon) -> list[Mention]:
    """Mentions of a broader local concept join its one narrower local concept in the report."""
    concepts = lexicon.concept_by_key
    present = {m.key for m in mentions}
    for k in sorted(present):
        nc = concepts.get(k)
        if not (nc and nc.broader and nc.broader in present and nc.scope == "local"
                and concepts[nc.broader].scope == "local"
                and sum(1 for x in present if x in concepts and concepts[x].broader == nc.broader) == 1):
            continue
        lexicon.ensure_concept(nc)
        bc = concepts[nc.broader]
        mentions = [Mention(m.nstart, m.nend, k, m.rule, m.anaphor) if m.key == bc.key else m for m in mentions]
        lexicon.drafts[k].notes.append(f"'{bc.pref}' (pgc:{bc.key}) is the broader kind of '{nc.pref}'; "
                                       f"the report names both, for one body")
        for lab in (bc.pref, *bc.alts):
            lexicon.set_key(lab, k)
        present.discard(bc.key)
        log.debug("merged %s into %s: the broader local concept of one named in the report", bc.key, k)
    return mentions
