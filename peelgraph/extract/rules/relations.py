"""The relation rules, in the order they run (:data:`RELATION_RULES`): each reads one sentence
(:class:`Sentence`: its text, the entity mentions in it, the previous sentence) and yields
typed relations. When two rules find the same relation in one sentence, the earlier rule's
id is the evidence's. Trigger phrases, negations and hedges are word lists
(``wordlists/triggers.toml``, ``wordlists/hedges.toml``).

* ``relations.member-of.list``: ``C brings together | draws together | is made up of | includes
  (representatives from) | whose members are`` a list (``member-of.list-previous`` when C is the
  previous sentence's collaboration); ``member-of.has-as-members``: ``C has A, B as its
  members``; ``member-of.of-which``: ``C, of which A is a member alongside B``;
* ``relations.member-of.established-with``: ``X has established C (arrangements) with`` a list;
* ``relations.member-of.works-through``: ``X works | intervenes ... through C`` (a programme:
  ``takes-part-in.works-through``);
* ``relations.containment``: ``A is situated within | forms part of B`` (``part-of.within``;
  ``located-in`` when B is a site), ``located in | housed in | based at | based in the offices
  of`` (``located-in.housed``), the possessive ``B's A`` (``part-of.possessive`` for a unit,
  ``shared-by.possessive`` for what a collaboration runs);
* ``relations.based-on.trigger``: ``A ... based on | built on | set up under | allocated using B``;
* ``relations.accessed-through.through``: ``through A ... access to B``, ``access to B through A``;
* ``relations.chaired-by.by``, ``overseen-by.by``, ``supported-by.by``, ``funded-by.by``: A is
  the verb's subject before the trigger, B the first after it (a list distributes);
* ``relations.provides``: ``A provides capability to B`` (``supported-by.provides``), ``A
  provides staff to C`` (``member-of.provides-staff``);
* ``relations.uses.used-in``: ``A is used in | by B``;
* ``relations.shared-by.active``: ``A shares Y with B``, ``Y, which A shares with B``, ``C
  employs Y``, ``Y across C``, ``Y is shared by | with A and B`` (a shared collaboration:
  ``member-of.shares``);
* ``relations.takes-part-in.involvement``: ``the involvement of A in B``;
* ``relations.co-located-with.both``: ``A and B are co-located``;
* the verb patterns (:data:`PATTERNS`, :class:`Pattern`, ``relations.<type>.<form>``): for each
  relation type of ``peelgraph.vocab.RELATION_TYPES`` its passive (``by``), active (``B chairs
  A``) or forward (``A relies on B``) verbs, each form's triggers a table of ``triggers.toml``
  with its source; the object relative clause ``Y, which X chairs`` reads the same;
* ``relations.works-with.liaise-between``: ``liaise between A and B``;
* ``relations.works-with.trigger``: ``works with | in partnership with | liaises with ...`` a list;
* ``relations.works-with.both``: ``A ... with B, and both collaborate``.

A verb's subject is the nearest mention before it in its clause that is no object of a
preposition, no possessor and not inside a relative clause between subject and verb
(:meth:`Sentence.agent_before`); an opening pronoun or ``the <head noun>`` has been resolved
to the sentence before by :mod:`peelgraph.extract.relations`. Coordinated lists distribute
over every member (elliptical ones, ``the fire, health and probation services``, into the
bodies the entity stage named). A negation, hedge or modal (``not``, ``seldom``, ``should``,
``would``) between subject and object blocks the relation; a sentence whose subject cannot
be decided emits nothing.

Example:
    >>> [r.id for r in RELATION_RULES][:3]
    ['relations.member-of.list', 'relations.member-of.established-with', 'relations.member-of.works-through']
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache

from peelgraph.extract import wordlists as wl
from peelgraph.extract.readtext import Mention
from peelgraph.extract.rules.base import Rule
from peelgraph.model import Entity
from peelgraph.text.layout import Span
from peelgraph.vocab import ENTITY_KINDS, RELATION_TYPES

__all__ = ["RELATION_RULES", "RelationRule", "Sentence", "Found"]

_AGENTS = {"force", "organisation", "collaboration", "unit", "role"}
_GROUPS = {"collaboration", "information-system", "unit", "programme"}
_BASES = {"practice", "information-system", "programme", "legal-power"}
_DEPENDENTS = {"practice", "programme", "unit", "collaboration", "information-system", "role"}


def _trigger(name: str, flags: int = re.I) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{wl.alternation(wl.patterns('triggers', name))})\b", flags)


_NEG = re.compile(rf"\b(?:{wl.alternation(wl.patterns('hedges', 'negations'))})\b|n[’']t\b", re.I)
_CLAUSE = re.compile(";|" + wl.alternation(rf"\b{w}\b" for w in wl.words("hedges", "clause-breaks")), re.I)
_LIST_END = re.compile(wl.alternation(wl.patterns("hedges", "list-ends")), re.I)
_INSPECTORATES = frozenset(wl.words("triggers", "inspectorates"))
_DETS = re.compile(r"(?:\b(?:the|a|an|its|their|both|all|each|this|these|those|his|her|our|two|three|local|new)\s+|"
                   r"\b(?:each|all|some|many|most|both|several|one|two|three|four|none) of\s+|"
                   r"\b\w+[’']s\s+)+$", re.I)
_PREP_END = re.compile(r"\b(?:in|at|on|with|from|to|for|by|of|across|within|through|into|under|between|among|"
                       r"alongside|including|about|via|over|against|during|after|before|like|than|inside|"
                       r"beside|besides|whom)\s*$", re.I)
_RELATIVE = re.compile(r"^[\s,)]*(?:\([^)]*\)\s*)?,?\s*(?:which|who|that)\s+(?:(?:also|now|then|is|are|was|were|has|"
                       r"have|been|actively|regularly|currently|jointly)\s+)*$", re.I)
_OPENING = re.compile(r"\s*(?:[A-Z][\w’'-]*(?:\s+[\w’'-]+){0,5},\s*)?(?:(?:the|a|an|its|their|both|all|each|this|"
                      r"these)\s+)?", re.I)
_ELLIPSIS = re.compile(r"\b(?P<words>(?:[a-z]+,\s+)+[a-z]+,?\s+(?:and|or)\s+[a-z]+|[a-z]+\s+(?:and|or)\s+[a-z]+)\s+"
                       rf"(?P<head>{wl.alternation(wl.words('triggers', 'elliptical-heads'))})\b")
_APPOSED = re.compile(r",\s+(?:the|a|an|its|their)\s+(?:[\w-]+[’']s\s+)?(?:[a-z][\w-]*\s+){0,2}")
#: What joins two names of a list (``A (ACR), B and local C``).
_LIST_LINK = re.compile(r"\)?\d*\s*(?:,|,?\s*and|,?\s*or|,?\s*as well as)\s*"
                        r"(?:(?:the|its|both|local|other|regional|national)\s+){0,2}")
_ALL_AGENTS = frozenset({"force", "organisation", "collaboration", "unit", "role"})
#: ``, whose members are A, B and C, is ...``: a relative clause between a subject and its verb.
_PAREN = re.compile(r",\s*(?:which|who|whose)\b[^;]*?,\s*"
                    r"(?=(?!and\b|or\b|the\b|a\b|an\b|its\b|their\b|both\b)[a-z]+\b)")
_OBJ_RELATIVE = re.compile(r"[\s)]*(?:\([^)]*\)\s*)?,?\s*(?:which|that|whom)\s+(?:the\s+|its\s+|their\s+|both\s+)?",
                           re.I)
_INTRO_PP = re.compile(r"\s*(?:As (?:a )?part of|As a member of|In|Within|Across|Through|With|Under|For|At|On|"
                       r"Alongside|Since|After|Before|During|Like|Beside|Besides|Unlike)\b[^,;]*$")
#: ``Specialist officers within these teams are supported by``: a unit's own people act for the unit;
#: ``Intelligence from B informs ...``: the source of what a sentence opens with acts for it.
_STAFF_OF = re.compile(r"\s*(?:[A-Z]?[a-z-]+\s+)?(?:(?:[Oo]fficers|[Ss]taff|[Mm]embers|[Ii]nvestigators|[Ss]pecialists)"
                       r"\s+(?:within|in|of)|(?:[Ii]ntelligence|[Ii]nformation|[Dd]ata|[Rr]eferrals)\s+from)"
                       r"\s+(?:the|these|this|its|their)?\s*")
_POLICE = re.compile(r"\b(?:the )?police\b(?! (?:and crime|authorit|force|officer|staff|community))", re.I)


@dataclass(frozen=True)
class Found:
    """A relation a rule finds in a sentence, with the rule id for its evidence."""

    subject: str
    type: str
    object: str
    rule: str


@dataclass(frozen=True)
class Sentence:
    """What a relation rule reads: one sentence of the read text, the mentions in it (of
    extracted entities, adjacent repeats merged), the previous sentence, the entities and
    the report's own force."""

    span: Span
    text: str
    ms: tuple[Mention, ...]
    entities: Mapping[str, Entity]
    force_key: str | None = None
    prev: Sentence | None = None

    def rel(self, m: Mention) -> tuple[int, int]:
        """A mention's offsets in the sentence."""
        return m.nstart - self.span.nstart, m.nend - self.span.nstart

    def kind(self, key: str) -> str:
        """An entity's kind ("" when unknown)."""
        e = self.entities.get(key)
        return e.kind if e else ""

    def negated(self, a: int, b: int) -> bool:
        """A negation or hedge in ``text[a:b]``."""
        return bool(_NEG.search(self.text, a, b))

    def list_after(self, pos: int, allowed: set[str], *, police: bool = True) -> list[str]:
        """Entity keys of the coordinated list starting at ``pos`` (up to a clause end);
        ``the police`` in it is the report's force when ``police``."""
        end_m = _LIST_END.search(self.text, pos + 1)
        end = end_m.start() if end_m else len(self.text)
        keys: list[str] = []
        covered: list[tuple[int, int]] = []
        for m in self.ms:
            a, b = self.rel(m)
            if a >= pos and b <= end and self.kind(m.key) in allowed and m.key not in keys:
                keys.append(m.key)
                covered.append((a, b))
        for k in self.elliptical(pos, end):
            if self.kind(k) in allowed and k not in keys:
                keys.append(k)
        if police and self.force_key:
            for pm in _POLICE.finditer(self.text, pos, end):
                if not any(a <= pm.start() < b for a, b in covered) and self.force_key not in keys:
                    keys.insert(0, self.force_key)
        return keys

    def elliptical(self, pos: int, end: int) -> list[str]:
        """The entities of an elliptical list in ``text[pos:end]`` (``the fire, health and
        probation services``: the fire service, the health service, the probation service), each
        only when an extracted entity has that name; the others are left out."""
        found = list(_ELLIPSIS.finditer(self.text, pos, end))
        if not found:
            return []
        names: dict[str, str] = {}
        for e in self.entities.values():
            for label in (e.label, *e.aliases):
                names.setdefault(re.sub(r"[’']", "", label.lower()), e.key)
        out: list[str] = []
        for m in found:
            head = m.group("head").lower()
            for w in re.split(r",\s*|,?\s+(?:and|or)\s+", m.group("words")):
                for h in (head, head[:-1], head[:-3] + "y" if head.endswith("ies") else head):
                    k = names.get(f"{w.lower()} {h}")
                    if k is not None and k not in out:
                        out.append(k)
                        break
        return out

    def before(self, pos: int, allowed: set[str], cross_which: bool = True, first: bool = False) -> Mention | None:
        """The nearest (or ``first``) mention before ``pos`` in the same clause; never the inspectorate."""
        best = None
        for m in self.ms:
            _, b = self.rel(m)
            if m.key in _INSPECTORATES:
                continue
            if b <= pos and self.kind(m.key) in allowed:
                between = self.text[b:pos]
                if _CLAUSE.search(between) or (not cross_which and re.search(r"\bwhich\b", between)):
                    continue
                if first:
                    return m
                best = m
        return best

    def clause_start(self, pos: int) -> int:
        """Where the clause holding ``pos`` begins (after the last clause break before it)."""
        start = 0
        for m in _CLAUSE.finditer(self.text, 0, pos):
            start = m.end()
        return start

    def governed(self, m: Mention) -> bool:
        """Whether a mention is the object of a preposition, of an opening participle or a
        possessor (``in the MASH``, ``Complementing the MASH,``, ``the force's``): then it is not
        the subject of a verb that follows it."""
        a, b = self.rel(m)
        if self.text[b:b + 1] in ("’", "'") and self.text[b:b + 1]:
            return True
        orig = self.text[max(0, a - 60):a]
        head = _DETS.sub("", orig)
        if re.fullmatch(r"\s*[A-Z][a-z]+ing\s+", _DETS.sub("", self.text[:a])):
            return True  # the object of an opening participle (``Complementing the MASH, the force ...``)
        # ``with the district council``: up to two modifiers before the name
        bare = _DETS.sub("", re.sub(r"(?:\b(?!and\b|or\b|which\b|who\b|whom\b|that\b)[a-z][\w-]*\s+){1,2}$", "", head))
        for h in (head, bare):
            if _PREP_END.search(h):
                return True
            coord = re.search(r"(?:(?<!,)\s+and|(?<!,)\s+or|,)\s*$", h)
            if coord:
                end = a - len(orig) + coord.start()
                prev = [x for x in self.ms if self.rel(x)[1] <= end and end - self.rel(x)[1] <= 2]
                if not prev or (coord.group(0).startswith(",") and (
                        _INTRO_PP.match(self.text[:self.rel(prev[-1])[0]])
                        or not re.match(r"\s*(?:,|and\b|or\b|\))", self.text[b:]))):
                    return False  # an introductory phrase, not a list ``with A, B and C``
                return self.governed(prev[-1])
        return False

    def agent_before(self, pos: int, allowed: set[str] | frozenset[str], *, inspectorate: bool = False
                     ) -> Mention | None:
        """The nearest mention before ``pos`` in its clause that can be a verb's subject: not the
        object of a preposition, not a possessor, not across a relative pronoun unless it is
        the pronoun's antecedent (``X, which supports Y``)."""
        lo = self.clause_start(pos)
        skipped = [(p.start(), p.end()) for p in _PAREN.finditer(self.text, lo, pos)]
        for m in reversed(self.ms):
            a, b = self.rel(m)
            if b > pos or a < lo or any(x <= a < y for x, y in skipped):
                continue
            if (m.key in _INSPECTORATES and not inspectorate) or self.kind(m.key) not in allowed:
                continue
            between = self.text[b:pos]
            for x, y in skipped:  # a relative clause between the subject and its verb is left out
                if b <= x and y <= pos:
                    between = between.replace(self.text[x:y], " ")
            head = self._apposed(m, pos)
            if head is not None and self.kind(head.key) in allowed:
                return head
            if (re.search(r"\b(?:which|who|whose)\b", between) or re.match(r"[\s,)]*that\b", between)) \
                    and not _RELATIVE.match(between):
                continue
            if self.governed(m) and not _RELATIVE.match(between) and not _STAFF_OF.fullmatch(self.text[lo:a]):
                continue
            if _RELATIVE.match(between) and len(self.list_before(m, _ALL_AGENTS)) > 1:
                continue  # ``a collaboration of A, B and C, which is led by``: which of them is unknown
            return m
        return None

    def _apposed(self, m: Mention, pos: int) -> Mention | None:
        """The name ``m`` is in apposition to (``Lighthouse, the constabulary’s victim care unit,
        is ...``: Lighthouse), or None."""
        a, b = self.rel(m)
        if not re.match(r"\s*,", self.text[b:pos]):
            return None
        for p in reversed(self.ms):
            if self.rel(p)[1] <= a:
                gap = self.text[self.rel(p)[1]:a]
                return p if _APPOSED.fullmatch(gap) else None
        return None

    def list_before(self, m: Mention, allowed: set[str] | frozenset[str]) -> list[Mention]:
        """``m`` and the mentions coordinated before it (``A, B and C`` ending at ``m``)."""
        out = [m]
        ms = [x for x in self.ms if self.rel(x)[1] <= self.rel(m)[0]]
        kinds = _ALL_AGENTS if self.kind(m.key) in _ALL_AGENTS else {self.kind(m.key)}
        for x in reversed(ms):
            between = self.text[self.rel(x)[1]:self.rel(out[-1])[0]]
            if self.kind(x.key) in allowed and self.kind(x.key) in kinds and _LIST_LINK.fullmatch(between) \
                    and not (between.startswith(",") and self.governed(x) and not self.governed(out[-1])):
                out.append(x)  # (``Complementing the MASH, the force ...``: an opening phrase, no list)
            else:
                break
        return out[::-1]

    def antecedent(self, agent: Mention, allowed: set[str] | frozenset[str]) -> Mention | None:
        """``Y`` of ``Y, which <agent> ...``: what an object relative clause is about."""
        a = self.rel(agent)[0]
        for m in reversed(self.ms):
            if self.rel(m)[1] <= a and self.kind(m.key) in allowed:
                return m if _OBJ_RELATIVE.fullmatch(self.text[self.rel(m)[1]:a]) else None
        return None

    def passive_subject(self, pos: int, allowed: set[str] | frozenset[str]) -> Mention | None:
        """The sentence's subject when the verb at ``pos`` is its second passive (``A is led by B
        and is funded by C``), else None."""
        subj = self.subject()
        if subj is None or self.kind(subj.key) not in allowed:
            return None
        between = self.text[self.rel(subj)[1]:pos]
        if re.search(r"\b(?:is|are|was|were)\b[^;]*\band (?:is|are|was|were|has been|have been)\s+(?:also\s+|now\s+)?$",
                     between) and not re.search(r"\b(?:which|who|that)\b", between):
            return subj
        return None

    def subject(self) -> Mention | None:
        """The mention that opens the sentence (after an introductory phrase): its subject."""
        for m in self.ms:
            a, _ = self.rel(m)
            return m if _OPENING.fullmatch(self.text[:a]) else None
        return None

    def after(self, pos: int, allowed: set[str], limit: int = 80) -> Mention | None:
        """The first mention after ``pos`` (within ``limit`` characters, in the same clause)."""
        for m in self.ms:
            a, _ = self.rel(m)
            if a >= pos and self.kind(m.key) in allowed:
                if a - pos > limit or _CLAUSE.search(self.text[pos:a]):
                    return None
                return m
        return None


#: A relation rule: ``find(sentence)`` yields the relations it states.
RelationRule = Rule[Sentence, Found]


# --------------------------------------------------------------------------- membership

_MEMBERS = _trigger("member-of.list")
_LIST_OPENER = re.compile(rf"^\s*(?:{wl.alternation(wl.words('triggers', 'member-of.list-previous'))})\b")
_ESTABLISH = re.compile(
    rf"\b(?:has |have |had )?(?:{wl.alternation(wl.patterns('triggers', 'member-of.established-with'))})\b", re.I)


class MemberList:
    """``C brings together | is made up of | includes representatives from`` a list."""

    id = "relations.member-of.list"
    kind = "relation"
    description = "C brings together / is made up of / includes representatives from a list (or the previous C)"
    emits = ("relations.member-of.list", "relations.member-of.list-previous")

    def find(self, s: Sentence) -> Iterator[Found]:
        """Each list member is a member of C."""
        for t in _MEMBERS.finditer(s.text):
            coll = s.before(t.start(), _GROUPS)
            named = self._named(s, coll) if coll is not None else None
            coll = named if named is not None else coll
            rule = "relations.member-of.list"
            if coll is None and s.prev is not None and _LIST_OPENER.match(s.text):
                coll = self._previous(s.prev)
                rule = "relations.member-of.list-previous"
            if coll is None or s.negated(0, t.end()):
                continue
            for k in s.list_after(t.end(), _AGENTS):
                yield Found(k, "member-of", coll.key, rule)

    @staticmethod
    def _named(s: Sentence, m: Mention) -> Mention | None:
        """The collaboration a description is apposed to (``Brecon, the regional unit for the
        west, pools officers from ...``: Brecon), or None."""
        a = s.rel(m)[0]
        for p in reversed(s.ms):
            if s.rel(p)[1] <= a:
                ok = _APPOSED.fullmatch(s.text[s.rel(p)[1]:a]) and s.kind(p.key) == "collaboration"
                return p if ok else None
        return None

    @staticmethod
    def _previous(prev: Sentence) -> Mention | None:
        """The last collaboration (or system) of the previous sentence; of the one before when
        the previous sentence names nothing ("This network ...")."""
        groups = [m.key for m in prev.ms if prev.kind(m.key) in {"collaboration", "information-system"}]
        if not groups and not prev.ms and prev.prev is not None:
            groups = [m.key for m in prev.prev.ms if prev.kind(m.key) in {"collaboration", "information-system"}]
        return Mention(0, 0, groups[-1]) if groups else None


_WITH = re.compile(r"^\)?(?:\s*\([^)]*\))?\s*(?:arrangements?|programmes?|schemes?|teams?|partnership)?\s*with\s+")


class EstablishedWith:
    """``X has established C (arrangements) with A, B and C``: X and the list are members of C."""

    id = "relations.member-of.established-with"
    kind = "relation"
    description = "X has established / set up / runs C (arrangements) with a list: X and the list are members"
    emits = ("relations.member-of.established-with",)

    def find(self, s: Sentence) -> Iterator[Found]:
        """The founder and each partner are members of C."""
        text = s.text
        for m in s.ms:
            if s.kind(m.key) != "collaboration":
                continue
            a, b = s.rel(m)
            w = _WITH.match(text[b:])
            est = _ESTABLISH.search(text, max(0, a - 40), a)
            if not w or not est or s.negated(0, b + w.end()):
                continue
            subj = s.before(est.start(), {"force", "organisation", "collaboration"})
            members = s.list_after(b + w.end(), _AGENTS)
            if subj is not None:
                members.insert(0, subj.key)
            for k in members:
                yield Found(k, "member-of", m.key, self.id)


class WorksThrough:
    """``X works | intervenes | operates ... through C``: X is a member of C (a collaboration) or
    takes part in it (a programme); ``X works with A and B through C``: A and B are members too."""

    id = "relations.member-of.works-through"
    kind = "relation"
    description = "X works / intervenes ... through C: member of C (a collaboration), takes part in C (a programme)"
    emits = ("relations.member-of.works-through", "relations.takes-part-in.works-through")

    def find(self, s: Sentence) -> Iterator[Found]:
        """X is a member of C, or takes part in it."""
        for t in re.finditer(r"\b(?:works?|working|worked|interven\w*|operat(?:es?|ing|ed)|deliver(?:s|ing|ed)?)\b"
                             r"[^.;]{0,60}?\bthrough\b", s.text):
            c = s.after(t.end(), {"collaboration", "programme"}, 40)
            subj = s.agent_before(t.start(), {"force", "organisation", "unit"})
            if c and subj and not s.negated(0, s.rel(c)[1]):
                if s.kind(c.key) == "collaboration":
                    yield Found(subj.key, "member-of", c.key, self.id)
                    w = re.match(r"(?:works?|working|worked)\s+(?:closely\s+)?with\s+", t.group(0))
                    first = s.after(t.start() + w.end(), set(_BODIES_K), 4) if w else None
                    for m in _list_from(s, first, _BODIES_K) if first is not None else []:
                        if s.rel(m)[1] <= t.end():  # ``works with A and B through C``: A and B too
                            yield Found(m.key, "member-of", c.key, self.id)
                else:
                    yield Found(subj.key, "takes-part-in", c.key, "relations.takes-part-in.works-through")


# --------------------------------------------------------------------------- containment and location

_POSITION = wl.alternation(wl.words("triggers", "part-of.within"))
_WITHIN = re.compile(rf"^[\s,)’']*(?:(?:is|are|was|were)\s+)?(?:(?:{_POSITION})\s+)?"
                     r"(?:within|inside)\s+(?:the\s+|one of the\s+)?$", re.I)
_PART_OF = re.compile(r"^[\s,)’']*(?:(?:is|are|was|were|forms?|formed)\s+)?(?:an?\s+(?:integral\s+)?)?part of\s+"
                      r"(?:the\s+)?$", re.I)
_LOCATED = re.compile(rf"\b(?:(?:is|are|was|were)\s+)?(?:{wl.alternation(wl.words('triggers', 'located-in.housed'))})"
                      r"\s+(?:in|at|within|inside)\s+(?:the\s+|one of the\s+|one of\s+)?"
                      r"(?:(?:offices|premises|buildings?|headquarters|base|site) of\s+(?:the\s+)?)?$", re.I)
#: ``’s`` and up to two modifiers before the possessed name (``the alliance’s recruitment and training programme``).
_POSSESSIVE = re.compile(r"[’']s\s+(?:(?!(?:in|at|on|with|to|by|for|of|from|the|a|an)\b)[a-z][\w-]*\s+"
                         r"(?:and\s+)?){0,2}")
_SITE = re.compile(rf"\b(?:{wl.alternation(wl.words('heads', 'site-heads'))})$")


class Containment:
    """``A is situated within | part of B``, ``A is housed in B``, and the possessive ``B's A``."""

    id = "relations.containment"
    kind = "relation"
    description = "A within / part of / housed in B, and B's A (a unit of a named body)"
    emits = ("relations.part-of.within", "relations.located-in.housed", "relations.part-of.possessive",
             "relations.shared-by.possessive")

    def find(self, s: Sentence) -> Iterator[Found]:
        """Part-of or located-in between each mention and the next (or the one after a possessor)."""
        text = s.text
        yield from self._own_named(s)
        yield from self._its_named(s)
        for i, m in enumerate(s.ms):
            b = s.rel(m)[1]
            nxt = list(s.ms[i + 1:i + 3])
            owner_between = None
            if len(nxt) == 2 and _POSSESSIVE.fullmatch(text[s.rel(nxt[0])[1]:s.rel(nxt[1])[0]]):
                nxt = [nxt[1]]
                owner_between = text[b:s.rel(s.ms[i + 1])[0]]
            else:
                nxt = nxt[:1]
            for n in nxt:
                na = s.rel(n)[0]
                if s.negated(0, na):
                    break
                yield from self._pair(s, m, n, owner_between if owner_between is not None else text[b:na])

    @staticmethod
    def _its_named(s: Sentence) -> Iterator[Found]:
        """``C ... and its programme of change is known as Y``: Y is part of C (a collaboration or an
        organisation that opens the sentence; a force's own things are not made its parts)."""
        subj = s.subject()
        if subj is None or s.kind(subj.key) not in {"collaboration", "organisation"}:
            return
        for t in re.finditer(r"\bits\s+(?:[a-z-]+\s+){1,4}(?:is|are)\s+(?:now\s+)?(?:known as|called|named)\s+",
                             s.text):
            y = s.after(t.end(), {"programme", "unit", "practice", "information-system"}, 8)
            if y is not None and y.key != subj.key and not s.negated(0, t.end()):
                yield Found(y.key, "part-of", subj.key, "relations.part-of.possessive")

    @staticmethod
    def _own_named(s: Sentence) -> Iterator[Found]:
        """``Lighthouse, the constabulary's victim care unit, is ...``: a name explained as the
        report's force's own unit is its part (the description itself, ``the force's unit``, is
        not made one)."""
        if s.force_key is None or s.force_key not in s.entities:
            return
        for p, n in zip(s.ms, s.ms[1:], strict=False):
            gap = s.text[s.rel(p)[1]:s.rel(n)[0]]
            if s.kind(p.key) == "unit" and s.kind(n.key) == "unit" and re.match(r"\s*,", s.text[s.rel(n)[1]:]) \
                    and re.fullmatch(r",\s+the\s+(?:force|constabulary)[’']s\s+", gap):
                yield Found(p.key, "part-of", s.force_key, "relations.part-of.possessive")

    @staticmethod
    def _pair(s: Sentence, m: Mention, n: Mention, between: str) -> Iterator[Found]:
        whole = s.entities.get(n.key)
        site = whole is not None and _SITE.search(whole.label)
        if _WITHIN.match(between) or _PART_OF.match(between):
            if s.kind(m.key) in _AGENTS | {"programme"} and s.kind(n.key) in _AGENTS:
                yield Found(m.key, "located-in" if site else "part-of", n.key, "relations.part-of.within")
        elif _LOCATED.search(between) and len(between) < 60:
            if s.kind(n.key) in _AGENTS:
                yield Found(m.key, "located-in", n.key, "relations.located-in.housed")
        elif _POSSESSIVE.fullmatch(between) and not m.anaphor and s.kind(m.key) in {
                "collaboration", "organisation"} and s.kind(n.key) == "unit":
            yield Found(n.key, "part-of", m.key, "relations.part-of.possessive")
        elif _POSSESSIVE.fullmatch(between) and not m.anaphor and s.kind(m.key) == "collaboration" \
                and s.kind(n.key) in {"role", "practice", "programme", "information-system"}:
            yield Found(n.key, "shared-by", m.key, "relations.shared-by.possessive")



# --------------------------------------------------------------------------- dependencies

_BASED = _trigger("based-on.trigger")


class BasedOn:
    """``A ... based on | on the basis of | allocated using B``."""

    id = "relations.based-on.trigger"
    kind = "relation"
    description = "A (a practice, programme, unit ...) based on / allocated using B (a practice, model, system)"
    emits = ("relations.based-on.trigger",)

    def find(self, s: Sentence) -> Iterator[Found]:
        """A is based on B."""
        for t in _BASED.finditer(s.text):
            subj = s.agent_before(t.start(), _DEPENDENTS)
            obj = s.after(t.end(), _BASES)
            if subj and obj and (not subj.anaphor or subj.rule == "relations.anaphor") \
                    and not s.negated(s.rel(subj)[0], s.rel(obj)[1]):
                yield Found(subj.key, "based-on", obj.key, self.id)


class AccessedThrough:
    """``through A ... access to B`` and ``access to B through | via A``: B is accessed through A."""

    id = "relations.accessed-through.through"
    kind = "relation"
    description = "through A ... access to B; access to B through A: B is accessed through A"
    emits = ("relations.accessed-through.through",)

    def find(self, s: Sentence) -> Iterator[Found]:
        """B accessed-through A."""
        for acc in re.finditer(r"\baccess(?:es)? to\b", s.text):
            target = s.after(acc.end(), _AGENTS | {"information-system", "practice"}, 20)
            if target is None:
                continue
            via_t = re.compile(r"\b(?:through|via)\s+").search(s.text, s.rel(target)[1])
            if via_t is None or via_t.start() - s.rel(target)[1] > 30:
                continue
            via = s.after(via_t.end() - 1, _AGENTS, 6)
            if via is not None and not s.negated(0, s.rel(via)[1]):
                yield Found(target.key, "accessed-through", via.key, self.id)
        for t in re.finditer(r"\b[Tt]hrough\b", s.text):
            via = s.after(t.end(), _AGENTS, 12)
            acc2 = re.compile(r"\baccess(?:es)? to\b").search(s.text, t.end())
            if via and acc2:
                target = s.after(acc2.end(), _AGENTS | {"information-system", "practice"}, 20)
                if target and not s.negated(0, acc2.end()):
                    yield Found(target.key, "accessed-through", via.key, self.id)


# --------------------------------------------------------------------------- governance and support


@cache
def _by_trigger(type_: str) -> re.Pattern[str]:
    return _trigger(f"{type_}.by")


@dataclass(frozen=True)
class ByAgent:
    """``A chaired | overseen | supported | funded by B``: A is the nearest mention before the
    trigger in the clause, B the first after it."""

    type: str
    kind: str = "relation"

    @property
    def id(self) -> str:
        """``relations.<type>.by``."""
        return f"relations.{self.type}.by"

    @property
    def description(self) -> str:
        """One line."""
        return f"A {self.type.replace('-', ' ')} B: the nearest mention before the trigger, the first after it"

    @property
    def emits(self) -> tuple[str, ...]:
        """Its own id."""
        return (self.id,)

    def find(self, s: Sentence) -> Iterator[Found]:
        """A <type> B."""
        for t in _by_trigger(self.type).finditer(s.text):
            subj = s.agent_before(t.start(), _DEPENDENTS | _AGENTS) or s.before(t.start(), _DEPENDENTS | _AGENTS)
            obj = s.after(t.end(), _AGENTS | ({"practice"} if self.type == "supported-by" else set()), 40)
            if subj is not None and re.search(r"\bby\b|\band (?:is|are|was|were|has|have)\b|\bthat\b",
                                              s.text[s.rel(subj)[1]:t.start()]):
                subj = s.passive_subject(t.start(), _DEPENDENTS | _AGENTS)
            if not subj or not obj or s.negated(0, s.rel(obj)[1]) or "," in s.text[t.end():s.rel(obj)[0]]:
                continue
            for o in _list_from(s, obj, frozenset(_AGENTS)):
                yield Found(subj.key, self.type, o.key, self.id)


_PROVIDES = wl.wordlist("triggers", "relations.provides")
_PROVIDES_RX = re.compile(rf"\bprovides? (?:additional |extra |specialist )?({wl.alternation(_PROVIDES.words)})\b"
                          r"[^.;]{0,40}?\b(?:to|for)\b")


class Provides:
    """``A provides (additional) capability to B`` (B supported-by A); ``A provides staff to C``
    (A member-of C, a collaboration)."""

    id = "relations.provides"
    kind = "relation"
    description = "A provides capability / support to B (B supported by A); A provides staff to C (A member of C)"
    emits = ("relations.member-of.provides-staff", "relations.supported-by.provides")

    def find(self, s: Sentence) -> Iterator[Found]:
        """Supported-by or member-of."""
        for t in _PROVIDES_RX.finditer(s.text):
            subj = s.before(t.start(), _AGENTS)
            obj = s.after(t.end(), _AGENTS, 40)
            if not subj or not obj or s.negated(0, s.rel(obj)[1]):
                continue
            if t.group(1) in _PROVIDES.table["members"]:
                if s.kind(obj.key) in {"collaboration", "unit"}:
                    yield Found(subj.key, "member-of", obj.key, "relations.member-of.provides-staff")
            elif s.kind(obj.key) in {"force", "organisation", "unit"}:
                yield Found(obj.key, "supported-by", subj.key, "relations.supported-by.provides")


class UsedIn:
    """``A is (also) used in | by B``: B uses A."""

    id = "relations.uses.used-in"
    kind = "relation"
    description = "A (a practice, system ...) is used in / by B: B uses A"
    emits = ("relations.uses.used-in",)

    def find(self, s: Sentence) -> Iterator[Found]:
        """B uses A."""
        for t in re.finditer(r"\b(?:is|are) (?:also )?used (?:in|by|for)\b", s.text):
            basis = s.before(t.start(), _BASES)
            dep = s.after(t.end(), {"programme", "practice"} | _AGENTS, 40)
            if basis and dep and not s.negated(0, s.rel(dep)[1]):
                yield Found(dep.key, "uses", basis.key, self.id)


# --------------------------------------------------------------------------- working together

_WORKS = re.compile(wl.alternation(wl.patterns("triggers", "works-with.trigger")), re.I)


class LiaiseBetween:
    """``liaise between A and B``: A works with B; a role named as the one who liaises (``X has a
    liaison officer to liaise between X and B``) works with the end that is not its own body."""

    id = "relations.works-with.liaise-between"
    kind = "relation"
    description = "liaise between A and B: A works with B (and the role that liaises with the other body)"
    emits = ("relations.works-with.liaise-between",)

    def find(self, s: Sentence) -> Iterator[Found]:
        """A works-with B (exactly two)."""
        for t in re.finditer(r"\bliaise\w* between\b", s.text):
            ks = s.list_after(t.end(), _AGENTS, police=False)
            if s.ms and re.search(r"\bthe police\b", s.text[t.end():t.end() + 20]) and s.entities.get(
                    s.force_key or "") is not None:
                ks.insert(0, s.force_key or "")
            if len(ks) == 2 and not s.negated(0, t.end()):
                yield Found(ks[0], "works-with", ks[1], self.id)
                role = next((m for m in reversed(s.ms) if s.rel(m)[1] <= t.start()), None)
                if role is None or s.kind(role.key) != "role" or \
                        not re.fullmatch(r"\s+(?:to|who|which|that)\s+(?:\w+\s+)?", s.text[s.rel(role)[1]:t.start()]):
                    continue
                own = s.agent_before(s.rel(role)[0], _BODIES_K)
                if own is not None and own.key in ks:
                    other = ks[1] if own.key == ks[0] else ks[0]
                    yield Found(role.key, "works-with", other, self.id)


class WorksWith:
    """``X works with | in partnership with | liaises with`` a list."""

    id = "relations.works-with.trigger"
    kind = "relation"
    description = "X works with / in partnership with / liaises with / collaborates with a list"
    emits = ("relations.works-with.trigger",)

    def find(self, s: Sentence) -> Iterator[Found]:
        """X works-with each list member."""
        for t in _WORKS.finditer(s.text):
            subj = s.before(t.start(), _AGENTS, cross_which=False)
            if subj is None or s.negated(s.rel(subj)[0], t.end()):
                continue
            for k in s.list_after(t.end(), _AGENTS, police=False):
                yield Found(subj.key, "works-with", k, self.id)


# --------------------------------------------------------------------------- the relation vocabulary's verbs

_DIRECT_BLOCK = re.compile(r"\b(?:in|at|on|with|to|by|through|across|within|into|under|between|among|alongside|"
                           r"during|after|before|via|against|towards|than|because|when|where|while)\b|,", re.I)
_COORD = re.compile(r"\)?\d*\s*(?:,|,?\s*and|,?\s*or|,?\s*as well as)\s*(?:the\s+|its\s+|their\s+|both\s+)?", re.I)


@cache
def _table(name: str) -> re.Pattern[str]:
    return _trigger(name)


@cache
def _column(table: str) -> re.Pattern[str]:
    """The trigger pattern of ``list:column`` in triggers.toml, compiled once."""
    name, column = table.split(":")
    return re.compile(rf"\b(?:{wl.wordlist('triggers', name).table[column]})", re.I)


def _kinds(type_: str, side: str) -> frozenset[str]:
    rt = RELATION_TYPES[type_]
    return frozenset(rt.subjects if side == "subject" else rt.objects)


#: ``Titan, the North West`` before a mention: an unrecognised name and its description, one thing.
_APPOSITION = re.compile(r"\s*(?:the\s+)?[A-Z][\w’'-]*(?:\s+(?:[A-Z][\w’'-]*|of|and))*,\s+(?:the|a|an|its|their)\s+"
                         r"(?:[A-Z][\w-]*\s+)*")


def _possessed(s: Sentence, m: Mention | None, allowed: frozenset[str]) -> Mention | None:
    """What a possessor owns (``the council’s children’s services``: the services), or None when
    that is no mention; ``m`` itself when it is no possessor."""
    if m is None or s.text[s.rel(m)[1]:s.rel(m)[1] + 1] not in ("’", "'"):
        return m
    for x in s.ms:
        if s.rel(x)[0] > s.rel(m)[1]:
            gap = s.text[s.rel(m)[1]:s.rel(x)[0]]
            return x if s.kind(x.key) in allowed and re.fullmatch(r"[’']s?\s+", gap) else None
    return None


def _list_from(s: Sentence, first: Mention, allowed: frozenset[str]) -> list[Mention]:
    """``first`` and the mentions coordinated after it (``A, B and C``; not ``A, the B``, an
    apposition)."""
    out = [first]
    for m in s.ms:
        if s.rel(m)[0] < s.rel(out[-1])[1]:
            continue
        if s.kind(m.key) in allowed and _COORD.fullmatch(s.text[s.rel(out[-1])[1]:s.rel(m)[0]]):
            out.append(m)
        elif s.rel(m)[0] > s.rel(out[-1])[1]:
            break
    if len(out) == 2 and re.fullmatch(r"\)?\d*\s*,\s*(?:the|a|an|its|their)\s+",
                                      s.text[s.rel(out[0])[1]:s.rel(out[1])[0]]):
        return out[:1]  # ``Titan, the regional unit``: two names of one thing (a list of two needs ``and``)
    return out


@dataclass(frozen=True)
class Pattern:
    """One verb form of a relation type, its triggers in ``triggers.toml`` (``<type>.<form>``):
    the mention before the trigger (the verb's grammatical subject, not the object of a
    preposition) and the coordinated mentions after it (within ``limit`` characters of the
    trigger, in the same clause). ``forward`` (``A relies on B``, ``A is chaired by B``): the
    mention before is the relation's subject; otherwise (``B chairs A``) its object. ``direct``:
    no preposition between the trigger and what follows it (a direct object). A coordinated list
    before the trigger (``A and B attend C``) distributes when ``subjects_list``. When
    ``collab_type`` is set and the other end is a collaboration, that type is emitted instead
    (``A attends C``: member of a partnership, takes part in a meeting)."""

    type: str
    form: str
    forward: bool = True
    limit: int = 40
    direct: bool = False
    subjects_list: bool = False
    inspectorate: bool = False
    collab_type: str = ""
    table: str = ""
    heads: str = ""
    near: frozenset[str] = frozenset()
    kind: str = "relation"

    @property
    def id(self) -> str:
        """``relations.<type>.<form>``."""
        return f"relations.{self.type}.{self.form}"

    @property
    def description(self) -> str:
        """One line."""
        way = "A <trigger> B" if self.forward else "B <trigger> A"
        return f"{self.type}: {way} (triggers: triggers.toml [{self.type}.{self.form}])"

    @property
    def emits(self) -> tuple[str, ...]:
        """Its own id (and the collaboration variant's)."""
        extra: tuple[str, ...] = (self._collab_id,) if self.collab_type else ()
        if self.type == "uses":
            extra += (f"relations.prioritised-with.uses-{self.form}",)
        return (self.id, *extra)

    @property
    def _collab_id(self) -> str:
        return f"relations.{self.collab_type}.{self.type}.{self.form}"

    def _rx(self) -> re.Pattern[str]:
        if self.table:
            return _column(self.table)
        return _table(f"{self.type}.{self.form}")

    def find(self, s: Sentence) -> Iterator[Found]:
        """The relations of every trigger in the sentence."""
        near = self.near or _kinds(self.type, "subject" if self.forward else "object")
        far = _kinds(self.type, "object" if self.forward else "subject")
        if self.collab_type:
            far = far | _kinds(self.collab_type, "object" if self.forward else "subject")
        for t in self._rx().finditer(s.text):
            a = s.agent_before(t.start(), near, inspectorate=self.inspectorate)
            if a is not None and self.form == "by" and re.search(r"\bby\b|\band (?:is|are|was|were)\b",
                                                                 s.text[s.rel(a)[1]:t.start()]):
                a = s.passive_subject(t.start(), near)
            if a is None:
                continue
            ends_in_preposition = re.search(r"\b(?:at|on|to|in|of|for|with|by|from|under)$", t.group(0))
            if re.match(r"\s*(?:[,.;)]|$)", s.text[t.end():]) or (
                    not ends_in_preposition and re.match(r"\s+(?:each|every|in|at|with)\b", s.text[t.end():])):
                y = s.antecedent(a, far)  # ``Y, which X chairs``
                if y is not None and not s.negated(s.rel(y)[0], t.end()):
                    yield from self._emit(s, t, [a], [y])
                continue
            first = _possessed(s, s.after(t.end(), set(far), self.limit), far)
            if first is None or s.rel(first)[0] < t.end():
                continue
            between = s.text[t.end():s.rel(first)[0]]
            if ("," in between and not _APPOSITION.fullmatch(between)) or \
                    re.search(r"\bby\b|\band (?:is|are|was|were|has|have)\b", between):
                continue
            if self.direct and _DIRECT_BLOCK.search(_DETS.sub("", between)):
                continue
            if self.type == "uses" and re.search(r"prioriti[sz]", s.text[s.clause_start(t.start()):t.start()]):
                continue
            if self.heads and not re.search(rf"\b(?:{self.heads})s?$", s.entities[first.key].label, re.I):
                continue
            others = _list_from(s, first, far)
            if s.negated(s.rel(a)[0], s.rel(others[-1])[1]):
                continue
            nears = s.list_before(a, near) if self.subjects_list else [a]
            along = re.match(r"[^.;]{0,60}?\b(?:alongside|together with|as well as)\s+", s.text[s.rel(others[-1])[1]:])
            if self.subjects_list and along:  # ``A takes part in C alongside B and D``
                more = s.after(s.rel(others[-1])[1] + along.end() - 1, set(near), 12)
                nears += _list_from(s, more, near) if more is not None else []
            yield from self._emit(s, t, nears, others)

    def _emit(self, s: Sentence, t: re.Match[str], nears: list[Mention], others: list[Mention]) -> Iterator[Found]:
        for n in nears:
            for o in others:
                type_, rule = self.type, self.id
                if self.collab_type and s.kind((o if self.forward else n).key) == "collaboration":
                    type_, rule = self.collab_type, self._collab_id
                if type_ == "uses" and re.match(r"[^.;]{0,40}?\bto (?:help )?prioriti[sz]e\b",
                                                s.text[s.rel(others[-1])[1]:]):
                    type_, rule = "prioritised-with", f"relations.prioritised-with.uses-{self.form}"
                subj, obj = (n, o) if self.forward else (o, n)
                yield Found(subj.key, type_, obj.key, rule)


_AS_PART = re.compile(r"\b(?:as (?:a )?part of|across|throughout|within) (?:the |both |all |each )?$", re.I)


class Sharing:
    """What a collaboration shares or runs jointly: ``A shares Y with B`` (``Y`` shared by A
    and B, or by the collaboration when the sentence says ``as part of C``), ``C employs Y``
    (a role or unit of the collaboration), ``Y across C``, and ``Y is shared by A and B``. What
    two bodies share that is itself a collaboration makes them its members."""

    id = "relations.shared-by.active"
    kind = "relation"
    description = "A shares Y with B; C employs Y; Y across C; Y shared by A and B (a shared collaboration: members)"
    emits = ("relations.shared-by.active", "relations.shared-by.employs", "relations.shared-by.across",
             "relations.shared-by.by", "relations.member-of.shares")

    def find(self, s: Sentence) -> Iterator[Found]:
        """Shared-by (or member-of) relations."""
        yield from self._active(s)
        yield from self._employs(s)
        yield from self._across(s)
        yield from self._passive(s)

    @staticmethod
    def _collaboration(s: Sentence) -> Mention | None:
        for m in s.ms:
            if s.kind(m.key) == "collaboration" and _AS_PART.search(s.text[:s.rel(m)[0]]):
                return m
        return None

    def _active(self, s: Sentence) -> Iterator[Found]:
        for t in _table("shared-by.active").finditer(s.text):
            a = s.agent_before(t.start(), _BODIES_K)
            if a is None:
                continue
            bodies = s.list_before(a, _BODIES_K)
            if re.match(r"\s+(?:(?:jointly|together)\s+)?(?:with|since|for|in|between)\b|\s*[,.;]", s.text[t.end():]):
                y = s.antecedent(bodies[0], _ALL_K)  # ``Y, which A shares with B``
                at = t.end()
            else:
                y = s.after(t.end(), set(_ALL_K), 40)
                if y is not None and _DIRECT_BLOCK.search(_DETS.sub("", s.text[t.end():s.rel(y)[0]])):
                    continue
                at = s.rel(y)[1] if y is not None else t.end()
            if y is None or s.negated(s.rel(a)[0], at):
                continue
            w = re.match(r"[^.;]{0,40}?\bwith\s+", s.text[at:])
            if w:
                partner = s.after(at + w.end() - 1, set(_BODIES_K), 12)
                if partner is not None:
                    bodies += _list_from(s, partner, _BODIES_K)
            coll = self._collaboration(s)
            yield from _shared(s, y, [coll] if coll is not None and coll.key != y.key else bodies,
                               "relations.shared-by.active")

    def _employs(self, s: Sentence) -> Iterator[Found]:
        rx = re.compile(rf"\b(?:{wl.wordlist('triggers', 'shared-by.active').table['employs']})", re.I)
        for t in rx.finditer(s.text):
            c = s.agent_before(t.start(), {"collaboration"})
            y = s.after(t.end(), {"role", "unit"}, 30)
            if c is None or y is None or s.negated(s.rel(c)[0], s.rel(y)[1]):
                continue
            if _DIRECT_BLOCK.search(_DETS.sub("", s.text[t.end():s.rel(y)[0]])):
                continue
            for m in _list_from(s, y, frozenset({"role", "unit"})):
                yield Found(m.key, "shared-by", c.key, "relations.shared-by.employs")

    def _across(self, s: Sentence) -> Iterator[Found]:
        for t in _table("shared-by.across").finditer(s.text):
            c = s.after(t.end(), {"collaboration"}, 2)
            if c is None:
                continue
            lo = s.clause_start(t.start())
            ys = [m for m in s.ms if lo <= s.rel(m)[0] and s.rel(m)[1] <= t.start()
                  and s.kind(m.key) in _SHAREABLE and t.start() - s.rel(m)[1] <= 60]
            if not ys or s.negated(lo, s.rel(c)[1]):
                continue
            between = s.text[s.rel(ys[-1])[1]:t.start()]
            if re.search(r"\b(?:which|who|that|with|by|to)\b", between):
                continue
            yield Found(ys[-1].key, "shared-by", c.key, "relations.shared-by.across")

    def _passive(self, s: Sentence) -> Iterator[Found]:
        for t in _table("shared-by.by").finditer(s.text):
            y = s.agent_before(t.start(), _ALL_K)
            first = s.after(t.end(), set(_BODIES_K), 12)
            if y is None or first is None:
                continue
            bodies = _list_from(s, first, _BODIES_K)
            if not s.negated(s.rel(y)[0], s.rel(bodies[-1])[1]):
                yield from _shared(s, y, bodies, "relations.shared-by.by")


def _shared(s: Sentence, y: Mention, bodies: list[Mention], rule: str) -> Iterator[Found]:
    for b in bodies:
        if b.key == y.key:
            continue
        if s.kind(y.key) == "collaboration":
            yield Found(b.key, "member-of", y.key, "relations.member-of.shares")
        else:
            yield Found(y.key, "shared-by", b.key, rule)


_AS_MEMBERS = re.compile(r"\bas (?:its |their )?(?:members|partners|member organisations)\b")


class MembersAs:
    """``C has A, B and D as its members``: each is a member of C."""

    id = "relations.member-of.has-as-members"
    kind = "relation"
    description = "C has A, B and D as its members (partners): each is a member of C"
    emits = ("relations.member-of.has-as-members",)

    def find(self, s: Sentence) -> Iterator[Found]:
        """Member-of relations."""
        for t in _table("member-of.has-as-members").finditer(s.text):
            c = s.agent_before(t.start(), {"collaboration"})
            end = _AS_MEMBERS.search(s.text, t.end())
            if c is None or end is None or s.negated(s.rel(c)[0], end.end()):
                continue
            for m in s.ms:
                a, b = s.rel(m)
                if t.end() <= a and b <= end.start() and s.kind(m.key) in _AGENTS and m.key != c.key:
                    yield Found(m.key, "member-of", c.key, self.id)


class CoLocated:
    """``A and B are co-located``: A is co-located with B."""

    id = "relations.co-located-with.both"
    kind = "relation"
    description = "A and B are (now) co-located: A co-located with B"
    emits = ("relations.co-located-with.both",)

    def find(self, s: Sentence) -> Iterator[Found]:
        """Co-located-with relations between the coordinated subjects."""
        rx = re.compile(rf"\b(?:{wl.wordlist('triggers', 'co-located-with.forward').table['both']})", re.I)
        for t in rx.finditer(s.text):
            a = s.agent_before(t.start(), _AGENTS)
            if a is None or s.negated(s.rel(a)[0], t.end()):
                continue
            both = s.list_before(a, _AGENTS)
            for i, x in enumerate(both):
                for y in both[i + 1:]:
                    yield Found(x.key, "co-located-with", y.key, self.id)


class TogetherPrevious:
    """``C is ... (a collaboration). A, B and D act | work together ...``: when a sentence opens
    with a list of bodies that act or work together, names no collaboration itself, and the
    sentence before names exactly one, each body is a member of it (as ``These include ...``
    continues the sentence before)."""

    id = "relations.member-of.together-previous"
    kind = "relation"
    description = "A, B and D act / work together (the sentence before names one collaboration C): members of C"
    emits = ("relations.member-of.together-previous",)

    def find(self, s: Sentence) -> Iterator[Found]:
        """Member-of relations."""
        t = re.search(r"\b(?:act|acts|work|works|operate|operates)\s+(?:closely\s+)?(?:together|jointly)\b", s.text)
        if t is None or s.prev is None or s.negated(0, t.end()):
            return
        if any(s.kind(m.key) == "collaboration" for m in s.ms):
            return
        a = s.agent_before(t.start(), {"force", "organisation", "unit"})
        if a is None:
            return
        bodies = s.list_before(a, {"force", "organisation", "unit"})
        colls = {m.key for m in s.prev.ms if s.prev.kind(m.key) == "collaboration"}
        if len(bodies) < 2 or len(colls) != 1 or not _OPENING.fullmatch(s.text[:s.rel(bodies[0])[0]]):
            return
        (c,) = colls
        for b in bodies:
            yield Found(b.key, "member-of", c, self.id)


class MemberOfWhich:
    """``C, of which A is a member alongside B and D``: A, B and D are members of C."""

    id = "relations.member-of.of-which"
    kind = "relation"
    description = "C, of which A is a member (alongside B, D): each is a member of C"
    emits = ("relations.member-of.of-which",)

    def find(self, s: Sentence) -> Iterator[Found]:
        """Member-of relations."""
        for t in re.finditer(r"\bof which\b", s.text):
            c = s.before(t.start(), {"collaboration"})
            a = s.after(t.end(), set(_AGENTS), 12)
            m = re.compile(r"\s+(?:is|are) (?:a |all |also )?(?:member|members|partner|partners)\b(?:\s+alongside\s+)?")
            if c is None or a is None:
                continue
            mm = m.match(s.text, s.rel(a)[1])
            if not mm or s.negated(t.start(), mm.end()):
                continue
            members = [a.key]
            if "alongside" in mm.group(0):
                members += s.list_after(mm.end() - 1, _AGENTS, police=False)
            for k in members:
                yield Found(k, "member-of", c.key, self.id)


class Involvement:
    """``the involvement of A in B``: A takes part in B (a member, when B is a collaboration)."""

    id = "relations.takes-part-in.involvement"
    kind = "relation"
    description = "the involvement / participation of A in B: A takes part in B"
    emits = ("relations.takes-part-in.involvement",)

    def find(self, s: Sentence) -> Iterator[Found]:
        """Takes-part-in relations."""
        for t in re.finditer(r"\b(?:involvement|participation) of\b", s.text, re.I):
            a = s.after(t.end(), set(_AGENTS), 12)
            if a is None:
                continue
            i = re.match(r"[^.;,]{0,10}?\bin\b", s.text[s.rel(a)[1]:])
            b = s.after(s.rel(a)[1] + i.end(), {"practice", "programme", "collaboration"}, 50) if i else None
            if b is not None and not s.negated(0, s.rel(b)[1]):
                yield Found(a.key, "takes-part-in", b.key, self.id)


class BothCollaborate:
    """``A has formed ... with B, and both forces collaborate``: two bodies of one sentence that
    ``both`` collaborate or work together work with each other."""

    id = "relations.works-with.both"
    kind = "relation"
    description = "A ... B, and both (forces) collaborate / work together: A works with B"
    emits = ("relations.works-with.both",)

    def find(self, s: Sentence) -> Iterator[Found]:
        """One works-with relation."""
        t = re.search(r"\b(?:both|the two)(?: \w+)? (?:now )?"
                      r"(?:collaborate|co-operate|cooperate|work (?:closely )?together)\b", s.text)
        if t is None or s.negated(0, t.end()):
            return
        keys = list(dict.fromkeys(m.key for m in s.ms if s.rel(m)[1] <= t.start()
                                  and s.kind(m.key) in {"force", "organisation"} and m.key not in _INSPECTORATES))
        if len(keys) == 2:
            yield Found(keys[0], "works-with", keys[1], self.id)


_ALL_K = frozenset(ENTITY_KINDS)
_USERS = frozenset({"force", "organisation", "collaboration", "unit", "role", "programme", "practice"})
_BODIES_K = frozenset({"force", "organisation", "collaboration", "unit"})
_SHAREABLE = frozenset({"unit", "role", "practice", "programme", "information-system"})

#: The verb forms of the relation vocabulary (:class:`Pattern`), in the order they run.
PATTERNS: tuple[Pattern, ...] = (
    Pattern("uses", "active", limit=40, direct=True, near=_USERS),
    Pattern("uses", "with", limit=12, near=_USERS),
    Pattern("prioritised-with", "active", limit=20),
    Pattern("led-by", "by", limit=40),
    Pattern("led-by", "active", forward=False, direct=True, subjects_list=True),
    Pattern("overseen-by", "active", forward=False, direct=True, subjects_list=True),
    Pattern("portfolio-held-by", "active", forward=False, limit=40),
    Pattern("validated-by", "by", limit=40),
    Pattern("validated-by", "active", forward=False, direct=True, subjects_list=True),
    Pattern("commissioned-by", "by", limit=40, inspectorate=True),
    Pattern("commissioned-by", "active", forward=False, direct=True, inspectorate=True),
    Pattern("informed-by", "by", limit=45),
    Pattern("informed-by", "active", forward=False, direct=True),
    Pattern("at-odds-with", "forward", limit=40),
    Pattern("takes-part-in", "forward", limit=40, subjects_list=True, collab_type="member-of"),
    Pattern("takes-part-in", "by", forward=False, limit=40, collab_type="member-of"),
    Pattern("chaired-by", "active", forward=False, direct=True),
    Pattern("chaired-by", "holds", forward=False, direct=True, table="chaired-by.active:holds",
            heads="meeting|panel|board|forum|conference|group|committee"),
    Pattern("supported-by", "active", forward=False, direct=True, subjects_list=True),
    Pattern("funded-by", "active", forward=False, direct=True, subjects_list=True),
    Pattern("reports-to", "forward", limit=40, subjects_list=True),
    Pattern("depends-on", "forward", limit=40),
    Pattern("co-located-with", "forward", limit=40),
    Pattern("member-of", "forward", limit=40, subjects_list=True),
)


#: The relation rules in the order they run.
RELATION_RULES: tuple[RelationRule, ...] = (
    MemberList(), EstablishedWith(), WorksThrough(), MembersAs(), MemberOfWhich(), TogetherPrevious(), Containment(),
    BasedOn(),
    AccessedThrough(),
    ByAgent("chaired-by"), ByAgent("overseen-by"), ByAgent("supported-by"), ByAgent("funded-by"),
    Provides(), UsedIn(), Sharing(), Involvement(), CoLocated(), *PATTERNS, LiaiseBetween(), WorksWith(),
    BothCollaborate(),
)
