"""Relations: typed, directed relations between entities, each stated by one sentence.

Rules work per sentence (running text and footnotes) over the entity mentions in it, with
trigger phrases for each relation type (general wording of the inspectorate's house
style, never one report's sentences). Directions follow ``ontology/README.md``:

* ``member-of`` (member -> collaboration): ``C brings together | is made up of
  (representatives from) | includes representatives from | participating organisations
  include`` a list; ``X has established/set up/formed C (arrangements) with`` a list (X and
  the list are members); ``X works ... through C`` where C is a collaboration;
  a list introduced by ``These/They/Participating organisations include`` takes the one
  collaboration of the previous sentence;
* ``part-of`` (part -> whole): ``A is situated within / within / forms part of B``, and the
  possessive ``B's A`` when B is a named body (not ``the force``) and A a unit;
  ``located-in`` (thing -> place): ``located in | housed in | based at``, and part-of whose
  whole is a site (a centre);
* ``based-on`` (dependent -> basis): ``A ... based on | on the basis of | allocated using | uses
  ... B`` with A a practice, programme, unit or collaboration and B a practice, model or
  system; ``accessed-through``: ``through A ... access to B``;
* ``chaired-by``, ``overseen-by``, ``supported-by`` (also ``validated by``, ``support from``),
  ``funded-by`` (``funded by``, ``funding provided by``): A is the nearest mention before the
  trigger in the clause, B the first mention after it;
* ``works-with``: ``works with | works alongside | worked with | in partnership with | a good
  relationship with | liaise with | seconded ... to``, distributing over a coordinated list.

Coordinated lists (``A, B, C and D``) distribute over every member, including elliptical
ones (``the fire, health and probation services``, resolved in ``entities``). A negation or
hedge in the sentence before the object (``not``, ``no``, ``yet to``, ``lack``, ``without``,
``would``, ``could``, ``plans to``) blocks the relation, and a sentence whose subject cannot be
decided emits nothing. The evidence of a relation is its whole sentence.

Example:
    >>> from peelgraph.text.layout import layout
    >>> from peelgraph.extract.structure import parse
    >>> from peelgraph.extract import entities
    >>> text = ("PEEL: Police effectiveness 2017\\nAn inspection of Cumbria Constabulary\\n\\n"
    ...         "The harm assessment unit (HAU) is situated within the multi-agency safeguarding hub (MASH). "
    ...         "The MASH does not include the probation service.\\n")
    >>> doc = layout("r", text)
    >>> st = parse(doc)
    >>> [(r.subject, r.type, r.object) for r in extract(doc, st, entities.extract(doc, st))]
    [('hau', 'part-of', 'mash')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from peelgraph.extract.entities import EntitySet, Mention
from peelgraph.extract.structure import Structure
from peelgraph.model import Entity, Relation
from peelgraph.text.layout import Document, Span

__all__ = ["extract"]

_AGENTS = {"force", "organisation", "collaboration", "unit", "role"}
_GROUPS = {"collaboration", "information-system", "unit", "programme"}
_BASES = {"practice", "information-system", "programme"}
_DEPENDENTS = {"practice", "programme", "unit", "collaboration", "information-system", "role"}

_NEG = re.compile(r"\b(?:not|no|never|nor|yet to|lacks?|lacking|without|unable|would|could|might|may|plans? to|"
                  r"intends? to|should|absence of|neither)\b|n[’']t\b", re.I)
_MEMBERS = re.compile(r"\b(?:brings? together|bringing together|(?:is|are) made up of|made up of|comprises?|"
                      r"consists? of|includes? representatives (?:from|of)|representatives (?:from|of)|"
                      r"participating (?:organisations|agencies|partners) include|(?:members|partners|membership) "
                      r"includes?|partners? such as)\b", re.I)
_ESTABLISH = re.compile(r"\b(?:has |have |had )?(?:established|set up|formed|created|developed|runs?|operates?)\b",
                        re.I)
_WITHIN = re.compile(r"^[\s,)’']*(?:(?:is|are|was|were)\s+)?(?:situated\s+|sitting\s+|placed\s+|embedded\s+)?"
                     r"(?:within|inside)\s+(?:the\s+|one of the\s+)?$", re.I)
_PART_OF = re.compile(r"^[\s,)’']*(?:(?:is|are|was|were|forms?|formed)\s+)?(?:an?\s+(?:integral\s+)?)?part of\s+"
                      r"(?:the\s+)?$", re.I)
_LOCATED = re.compile(r"\b(?:(?:is|are|was|were)\s+)?(?:located|housed|based|co-located)\s+(?:in|at|within)"
                      r"\s+(?:the\s+|one of the\s+|one of\s+)?$", re.I)
_BASED = re.compile(r"\b(?:based on|on the basis of|underpinned by|informed by|driven by|(?:allocated|prioritised|"
                    r"assessed|compiled|managed|scored|graded|ranked)\b[^.;]{0,60}?\busing|in line with)\b", re.I)
_ACCESS = re.compile(r"\b[Tt]hrough\b")
_BY = {
    "chaired-by": re.compile(r"\b(?:chaired|led|presided over) by\b", re.I),
    "overseen-by": re.compile(r"\b(?:overseen|governed|scrutinised|monitored) by\b", re.I),
    "supported-by": re.compile(r"\b(?:supported|validated|assisted) by\b|\b(?:support|assistance) from\b", re.I),
    "funded-by": re.compile(r"\b(?:funded by|funding (?:provided )?(?:by|from)|financed by)\b", re.I),
}
_WORKS = re.compile(r"\b(?:works?|worked|working) (?:closely |well |effectively |together )?(?:with|alongside)\b|"
                    r"\bin partnership with\b|\b(?:good|strong|close|effective) (?:working )?relationships? with\b|"
                    r"\bliaises? (?:closely )?with\b|\bcollaborates? with\b|\bseconded (?:an? )?\w+ to\b", re.I)
_CLAUSE = re.compile(r";|\bwhile\b|\bwhereas\b|\bbut\b|\bhowever\b", re.I)
_LIST_END = re.compile(r"\bto\s+(?!the\b|a\b)\w+|\bwho\b|\bwhich\b|\bthat\b|;|\.|\bin order\b|\bwhere\b|"
                       r"\bthrough\b|\bwhen\b|,\s+\w+ing\s+(?:the|a|an|its|their|information|details|data)\b|"
                       r"\bon (?:measures|issues)\b", re.I)
_INSPECTORATES = frozenset({"hmic", "hmicfrs", "hmicfrs-wales"})
_POLICE = re.compile(r"\b(?:the )?police\b(?! (?:and crime|authorit|force|officer|staff|community))", re.I)


@dataclass(frozen=True)
class _Sent:
    span: Span
    text: str
    ms: list[Mention]
    prev: _Sent | None = None

    def rel(self, m: Mention) -> tuple[int, int]:
        return m.nstart - self.span.nstart, m.nend - self.span.nstart


def _dedupe(ms: list[Mention]) -> list[Mention]:
    out: list[Mention] = []
    for m in ms:
        if out and out[-1].key == m.key and m.nstart - out[-1].nend <= 3:
            last = out[-1]
            out[-1] = Mention(last.nstart, m.nend, last.key, last.rule,
                              last.anaphor)
            continue
        out.append(m)
    return out


def extract(doc: Document, st: Structure, ents: EntitySet) -> tuple[Relation, ...]:
    """Find typed relations, each with the sentence that states it as evidence."""
    unit = ents.unit
    if unit is None:
        return ()
    kinds = {e.key: e for e in ents.entities}
    out: dict[tuple[str, str, str, int], Relation] = {}
    prev: _Sent | None = None
    for span in unit.sentences:
        if not unit.scoped(span.nstart):
            prev = None
            continue
        text = unit.text[span.nstart:span.nend]
        ms = [m for m in _dedupe(ents.in_span(span.nstart, span.nend)) if m.key in kinds]
        s = _Sent(span, text, ms, prev)
        section = st.section_at(span.start)
        for subj, typ, obj, rule in _relations(s, prev, kinds, ents.force_key):
            if subj == obj or subj not in kinds or obj not in kinds:
                continue
            ev = doc.evidence(span, f"relations.{rule}", section)
            key = (subj, typ, obj, span.start)
            out.setdefault(key, Relation(subj, typ, obj, ev))
        prev = s
    return tuple(out[k] for k in sorted(out, key=lambda k: (k[3], k[0], k[1], k[2])))


def _kind(kinds: dict[str, Entity], key: str) -> str:
    e = kinds.get(key)
    return e.kind if e else ""


def _negated(text: str, a: int, b: int) -> bool:
    return bool(_NEG.search(text, a, b))


def _list_after(s: _Sent, pos: int, kinds: dict[str, Entity], force_key: str | None,
                allowed: set[str]) -> list[str]:
    """Entity keys of the coordinated list starting at ``pos`` (up to a clause end)."""
    end_m = _LIST_END.search(s.text, pos + 1)
    end = end_m.start() if end_m else len(s.text)
    keys: list[str] = []
    covered: list[tuple[int, int]] = []
    for m in s.ms:
        a, b = s.rel(m)
        if a >= pos and b <= end and _kind(kinds, m.key) in allowed and m.key not in keys:
            keys.append(m.key)
            covered.append((a, b))
    if force_key:
        for pm in _POLICE.finditer(s.text, pos, end):
            if not any(a <= pm.start() < b for a, b in covered) and force_key not in keys:
                keys.insert(0, force_key)
    return keys


def _before(s: _Sent, pos: int, kinds: dict[str, Entity], allowed: set[str],
            cross_which: bool = True, first: bool = False) -> Mention | None:
    """The nearest (or ``first``) mention before ``pos`` in the same clause; never the inspectorate."""
    best = None
    for m in s.ms:
        a, b = s.rel(m)
        if m.key in _INSPECTORATES:
            continue
        if b <= pos and _kind(kinds, m.key) in allowed:
            between = s.text[b:pos]
            if _CLAUSE.search(between) or (not cross_which and re.search(r"\bwhich\b", between)):
                continue
            if first:
                return m
            best = m
    return best


def _after(s: _Sent, pos: int, kinds: dict[str, Entity], allowed: set[str], limit: int = 80) -> Mention | None:
    for m in s.ms:
        a, _ = s.rel(m)
        if a >= pos and _kind(kinds, m.key) in allowed:
            if a - pos > limit or _CLAUSE.search(s.text[pos:a]):
                return None
            return m
    return None


def _relations(s: _Sent, prev: _Sent | None, kinds: dict[str, Entity],
               force_key: str | None) -> Iterator[tuple[str, str, str, str]]:
    text = s.text
    # membership lists
    for t in _MEMBERS.finditer(text):
        coll = _before(s, t.start(), kinds, _GROUPS)
        rule = "member-of.list"
        if coll is None and prev is not None and re.match(
                r"^\s*(?:These|They|Its members|Members|Participating|Partners)\b", text):
            groups = [m.key for m in prev.ms if _kind(kinds, m.key) in {"collaboration", "information-system"}]
            if not groups and not prev.ms and prev.prev is not None:
                # "This network ...": a sentence with no mention points one further back
                groups = [m.key for m in prev.prev.ms
                          if _kind(kinds, m.key) in {"collaboration", "information-system"}]
            if groups:
                coll = Mention(0, 0, groups[-1])
                rule = "member-of.list-previous"
        if coll is None:
            continue
        if _negated(text, 0, t.end()):
            continue
        for k in _list_after(s, t.end(), kinds, force_key, _AGENTS):
            yield k, "member-of", coll.key, rule
    # "X has established C (arrangements) with A, B and C"
    for m in s.ms:
        if _kind(kinds, m.key) != "collaboration":
            continue
        a, b = s.rel(m)
        w = re.match(r"^\)?(?:\s*\([^)]*\))?\s*(?:arrangements?|programmes?|schemes?|teams?|partnership)?\s*with\s+",
                     text[b:])
        est = _ESTABLISH.search(text, max(0, a - 40), a)
        if not w or not est or _negated(text, 0, b + w.end()):
            continue
        subj = _before(s, est.start(), kinds, {"force", "organisation", "collaboration"})
        members = _list_after(s, b + w.end(), kinds, force_key, _AGENTS)
        if subj is not None:
            members.insert(0, subj.key)
        for k in members:
            yield k, "member-of", m.key, "member-of.established-with"
    # "X works ... through C" (a collaboration)
    for t in re.finditer(r"\bworks?\b[^.;]{0,60}?\bthrough\b", text):
        c = _after(s, t.end(), kinds, {"collaboration"}, 40)
        subj = _before(s, t.start(), kinds, {"force", "organisation", "unit"})
        if c and subj and not _negated(text, 0, s.rel(c)[1]):
            yield subj.key, "member-of", c.key, "member-of.works-through"
    # containment, location and possessives
    for i, m in enumerate(s.ms):
        a, b = s.rel(m)
        nxt = s.ms[i + 1:i + 3]
        if len(nxt) == 2 and re.fullmatch(r"[’']s\s+", text[s.rel(nxt[0])[1]:s.rel(nxt[1])[0]]):
            nxt = [nxt[1]]
            owner_between = text[b:s.rel(s.ms[i + 1])[0]]
        else:
            nxt = nxt[:1]
            owner_between = None
        for n in nxt:
            na, nb = s.rel(n)
            between = owner_between if owner_between is not None else text[b:na]
            if _negated(text, 0, na):
                break
            whole = kinds.get(n.key)
            site = whole is not None and re.search(r"\b(?:centres?|buildings?|premises|stations?|sites?)$",
                                                   whole.label)
            if _WITHIN.match(between) or _PART_OF.match(between):
                if _kind(kinds, m.key) in _AGENTS | {"programme"} and _kind(kinds, n.key) in _AGENTS:
                    yield m.key, "located-in" if site else "part-of", n.key, "part-of.within"
            elif _LOCATED.search(between) and len(between) < 60:
                if _kind(kinds, n.key) in _AGENTS:
                    yield m.key, "located-in", n.key, "located-in.housed"
            elif re.fullmatch(r"[’']s\s+", between) and not m.anaphor and _kind(kinds, m.key) in {
                    "collaboration", "organisation"} and _kind(kinds, n.key) == "unit":
                yield n.key, "part-of", m.key, "part-of.possessive"
    # dependencies
    for t in _BASED.finditer(text):
        subj = _before(s, t.start(), kinds, _DEPENDENTS, first=True)
        obj = _after(s, t.end(), kinds, _BASES)
        if subj and obj and not subj.anaphor and not _negated(text, s.rel(subj)[0], s.rel(obj)[1]):
            yield subj.key, "based-on", obj.key, "based-on.trigger"
    for t in _ACCESS.finditer(text):
        via = _after(s, t.end(), kinds, _AGENTS, 12)
        acc = re.compile(r"\baccess(?:es)? to\b").search(text, t.end())
        if via and acc:
            target = _after(s, acc.end(), kinds, _AGENTS | {"information-system", "practice"}, 20)
            if target and not _negated(text, 0, acc.end()):
                yield target.key, "accessed-through", via.key, "accessed-through.through"
    # governance and support
    for typ, rx in _BY.items():
        for t in rx.finditer(text):
            subj = _before(s, t.start(), kinds, _DEPENDENTS | _AGENTS)
            obj = _after(s, t.end(), kinds, _AGENTS | ({"practice"} if typ == "supported-by" else set()), 40)
            if not subj or not obj or _negated(text, 0, s.rel(obj)[1]):
                continue
            if re.search(r"\bby\b|\band (?:is|are|was|were|has|have)\b|\bthat\b", text[s.rel(subj)[1]:t.start()]):
                continue
            yield subj.key, typ, obj.key, f"{typ}.by"
    # "A provides (additional) capability/support to B": B supported-by A; "provides staff to C": member-of
    for t in re.finditer(r"\bprovides? (?:additional |extra |specialist )?(capability|capacity|support|"
                         r"assistance|staff|officers|resources)\b[^.;]{0,40}?\b(?:to|for)\b", text):
        subj = _before(s, t.start(), kinds, _AGENTS)
        obj = _after(s, t.end(), kinds, _AGENTS, 40)
        if not subj or not obj or _negated(text, 0, s.rel(obj)[1]):
            continue
        if t.group(1) in {"staff", "officers"}:
            if _kind(kinds, obj.key) == "collaboration":
                yield subj.key, "member-of", obj.key, "member-of.provides-staff"
        elif _kind(kinds, obj.key) in {"force", "organisation", "unit"}:
            yield obj.key, "supported-by", subj.key, "supported-by.provides"
    # "A is (also) used in/by B": B based-on A
    for t in re.finditer(r"\b(?:is|are) (?:also )?used (?:in|by|for)\b", text):
        basis = _before(s, t.start(), kinds, _BASES)
        dep = _after(s, t.end(), kinds, {"programme", "practice", "unit"}, 40)
        if basis and dep and not _negated(text, 0, s.rel(dep)[1]):
            yield dep.key, "based-on", basis.key, "based-on.used-in"
    # "liaise between A and B": A works-with B
    for t in re.finditer(r"\bliaise\w* between\b", text):
        ks = _list_after(s, t.end(), kinds, None, _AGENTS)
        if s.ms and re.search(r"\bthe police\b", text[t.end():t.end() + 20]) and kinds.get(
                force_key or "") is not None:
            ks.insert(0, force_key or "")
        if len(ks) == 2 and not _negated(text, 0, t.end()):
            yield ks[0], "works-with", ks[1], "works-with.liaise-between"
    # works with
    for t in _WORKS.finditer(text):
        subj = _before(s, t.start(), kinds, _AGENTS, cross_which=False)
        if subj is None or _negated(text, s.rel(subj)[0], t.end()):
            continue
        for k in _list_after(s, t.end(), kinds, None, _AGENTS):
            yield subj.key, "works-with", k, "works-with.trigger"
