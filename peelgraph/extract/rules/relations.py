"""The relation rules, in the order they run (:data:`RELATION_RULES`): each reads one sentence
(:class:`Sentence`: its text, the entity mentions in it, the previous sentence) and yields
typed relations. When two rules find the same relation in one sentence, the earlier rule's
id is the evidence's. Trigger phrases, negations and hedges are word lists
(``wordlists/triggers.toml``, ``wordlists/hedges.toml``).

* ``relations.member-of.list``: ``C brings together | is made up of | includes representatives
  from`` a list (``member-of.list-previous`` when C is the previous sentence's collaboration);
* ``relations.member-of.established-with``: ``X has established C (arrangements) with`` a list;
* ``relations.member-of.works-through``: ``X works ... through C``;
* ``relations.containment``: ``A is situated within | forms part of B`` (``part-of.within``;
  ``located-in`` when B is a site), ``located in | housed in | based at``
  (``located-in.housed``), the possessive ``B's A`` (``part-of.possessive``);
* ``relations.based-on.trigger``: ``A ... based on | on the basis of | allocated using B``;
* ``relations.accessed-through.through``: ``through A ... access to B``;
* ``relations.chaired-by.by``, ``overseen-by.by``, ``supported-by.by``, ``funded-by.by``: A is
  the nearest mention before the trigger in the clause, B the first after it;
* ``relations.provides``: ``A provides capability to B`` (``supported-by.provides``), ``A
  provides staff to C`` (``member-of.provides-staff``);
* ``relations.based-on.used-in``: ``A is used in B``;
* ``relations.works-with.liaise-between``: ``liaise between A and B``;
* ``relations.works-with.trigger``: ``works with | in partnership with | liaises with ...`` a list.

Coordinated lists distribute over every member. A negation or hedge before the object
blocks the relation; a sentence whose subject cannot be decided emits nothing.

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

__all__ = ["RELATION_RULES", "RelationRule", "Sentence", "Found"]

_AGENTS = {"force", "organisation", "collaboration", "unit", "role"}
_GROUPS = {"collaboration", "information-system", "unit", "programme"}
_BASES = {"practice", "information-system", "programme"}
_DEPENDENTS = {"practice", "programme", "unit", "collaboration", "information-system", "role"}


def _trigger(name: str, flags: int = re.I) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{wl.alternation(wl.patterns('triggers', name))})\b", flags)


_NEG = re.compile(rf"\b(?:{wl.alternation(wl.patterns('hedges', 'negations'))})\b|n[’']t\b", re.I)
_CLAUSE = re.compile(";|" + wl.alternation(rf"\b{w}\b" for w in wl.words("hedges", "clause-breaks")), re.I)
_LIST_END = re.compile(wl.alternation(wl.patterns("hedges", "list-ends")), re.I)
_INSPECTORATES = frozenset(wl.words("triggers", "inspectorates"))
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
        if police and self.force_key:
            for pm in _POLICE.finditer(self.text, pos, end):
                if not any(a <= pm.start() < b for a, b in covered) and self.force_key not in keys:
                    keys.insert(0, self.force_key)
        return keys

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
            rule = "relations.member-of.list"
            if coll is None and s.prev is not None and _LIST_OPENER.match(s.text):
                coll = self._previous(s.prev)
                rule = "relations.member-of.list-previous"
            if coll is None or s.negated(0, t.end()):
                continue
            for k in s.list_after(t.end(), _AGENTS):
                yield Found(k, "member-of", coll.key, rule)

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
    """``X works ... through C`` where C is a collaboration."""

    id = "relations.member-of.works-through"
    kind = "relation"
    description = "X works ... through C (a collaboration): X is a member of C"
    emits = ("relations.member-of.works-through",)

    def find(self, s: Sentence) -> Iterator[Found]:
        """X is a member of C."""
        for t in re.finditer(r"\bworks?\b[^.;]{0,60}?\bthrough\b", s.text):
            c = s.after(t.end(), {"collaboration"}, 40)
            subj = s.before(t.start(), {"force", "organisation", "unit"})
            if c and subj and not s.negated(0, s.rel(c)[1]):
                yield Found(subj.key, "member-of", c.key, self.id)


# --------------------------------------------------------------------------- containment and location

_POSITION = wl.alternation(wl.words("triggers", "part-of.within"))
_WITHIN = re.compile(rf"^[\s,)’']*(?:(?:is|are|was|were)\s+)?(?:(?:{_POSITION})\s+)?"
                     r"(?:within|inside)\s+(?:the\s+|one of the\s+)?$", re.I)
_PART_OF = re.compile(r"^[\s,)’']*(?:(?:is|are|was|were|forms?|formed)\s+)?(?:an?\s+(?:integral\s+)?)?part of\s+"
                      r"(?:the\s+)?$", re.I)
_LOCATED = re.compile(rf"\b(?:(?:is|are|was|were)\s+)?(?:{wl.alternation(wl.words('triggers', 'located-in.housed'))})"
                      r"\s+(?:in|at|within)\s+(?:the\s+|one of the\s+|one of\s+)?$", re.I)
_SITE = re.compile(rf"\b(?:{wl.alternation(wl.words('heads', 'site-heads'))})$")


class Containment:
    """``A is situated within | part of B``, ``A is housed in B``, and the possessive ``B's A``."""

    id = "relations.containment"
    kind = "relation"
    description = "A within / part of / housed in B, and B's A (a unit of a named body)"
    emits = ("relations.part-of.within", "relations.located-in.housed", "relations.part-of.possessive")

    def find(self, s: Sentence) -> Iterator[Found]:
        """Part-of or located-in between each mention and the next (or the one after a possessor)."""
        text = s.text
        for i, m in enumerate(s.ms):
            b = s.rel(m)[1]
            nxt = list(s.ms[i + 1:i + 3])
            owner_between = None
            if len(nxt) == 2 and re.fullmatch(r"[’']s\s+", text[s.rel(nxt[0])[1]:s.rel(nxt[1])[0]]):
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
    def _pair(s: Sentence, m: Mention, n: Mention, between: str) -> Iterator[Found]:
        whole = s.entities.get(n.key)
        site = whole is not None and _SITE.search(whole.label)
        if _WITHIN.match(between) or _PART_OF.match(between):
            if s.kind(m.key) in _AGENTS | {"programme"} and s.kind(n.key) in _AGENTS:
                yield Found(m.key, "located-in" if site else "part-of", n.key, "relations.part-of.within")
        elif _LOCATED.search(between) and len(between) < 60:
            if s.kind(n.key) in _AGENTS:
                yield Found(m.key, "located-in", n.key, "relations.located-in.housed")
        elif re.fullmatch(r"[’']s\s+", between) and not m.anaphor and s.kind(m.key) in {
                "collaboration", "organisation"} and s.kind(n.key) == "unit":
            yield Found(n.key, "part-of", m.key, "relations.part-of.possessive")


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
            subj = s.before(t.start(), _DEPENDENTS, first=True)
            obj = s.after(t.end(), _BASES)
            if subj and obj and not subj.anaphor and not s.negated(s.rel(subj)[0], s.rel(obj)[1]):
                yield Found(subj.key, "based-on", obj.key, self.id)


class AccessedThrough:
    """``through A ... access to B``: B is accessed through A."""

    id = "relations.accessed-through.through"
    kind = "relation"
    description = "through A ... access to B: B is accessed through A"
    emits = ("relations.accessed-through.through",)

    def find(self, s: Sentence) -> Iterator[Found]:
        """B accessed-through A."""
        for t in re.finditer(r"\b[Tt]hrough\b", s.text):
            via = s.after(t.end(), _AGENTS, 12)
            acc = re.compile(r"\baccess(?:es)? to\b").search(s.text, t.end())
            if via and acc:
                target = s.after(acc.end(), _AGENTS | {"information-system", "practice"}, 20)
                if target and not s.negated(0, acc.end()):
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
            subj = s.before(t.start(), _DEPENDENTS | _AGENTS)
            obj = s.after(t.end(), _AGENTS | ({"practice"} if self.type == "supported-by" else set()), 40)
            if not subj or not obj or s.negated(0, s.rel(obj)[1]):
                continue
            if re.search(r"\bby\b|\band (?:is|are|was|were|has|have)\b|\bthat\b", s.text[s.rel(subj)[1]:t.start()]):
                continue
            yield Found(subj.key, self.type, obj.key, self.id)


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
                if s.kind(obj.key) == "collaboration":
                    yield Found(subj.key, "member-of", obj.key, "relations.member-of.provides-staff")
            elif s.kind(obj.key) in {"force", "organisation", "unit"}:
                yield Found(obj.key, "supported-by", subj.key, "relations.supported-by.provides")


class UsedIn:
    """``A is (also) used in | by B``: B is based on A."""

    id = "relations.based-on.used-in"
    kind = "relation"
    description = "A (a practice, system ...) is used in / by B: B is based on A"
    emits = ("relations.based-on.used-in",)

    def find(self, s: Sentence) -> Iterator[Found]:
        """B based-on A."""
        for t in re.finditer(r"\b(?:is|are) (?:also )?used (?:in|by|for)\b", s.text):
            basis = s.before(t.start(), _BASES)
            dep = s.after(t.end(), {"programme", "practice", "unit"}, 40)
            if basis and dep and not s.negated(0, s.rel(dep)[1]):
                yield Found(dep.key, "based-on", basis.key, self.id)


# --------------------------------------------------------------------------- working together

_WORKS = re.compile(wl.alternation(wl.patterns("triggers", "works-with.trigger")), re.I)


class LiaiseBetween:
    """``liaise between A and B``: A works with B."""

    id = "relations.works-with.liaise-between"
    kind = "relation"
    description = "liaise between A and B: A works with B"
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


#: The relation rules in the order they run.
RELATION_RULES: tuple[RelationRule, ...] = (
    MemberList(), EstablishedWith(), WorksThrough(), Containment(), BasedOn(), AccessedThrough(),
    ByAgent("chaired-by"), ByAgent("overseen-by"), ByAgent("supported-by"), ByAgent("funded-by"),
    Provides(), UsedIn(), LiaiseBetween(), WorksWith(),
)
