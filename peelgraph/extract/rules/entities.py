"""The entity rules, in the order they run (:data:`ENTITY_RULES`).

``find`` rules run first, each over the whole read text, in registry order; the first four
mostly teach the lexicon names the text defines (their mentions are then found by the
gazetteer, and carry its id). Their candidates then go to the resolver
(:mod:`peelgraph.extract.resolve`: leftmost-longest overlaps, lower-case phrases kept only
when they recur). ``refer`` rules run after it, only in text no kept mention covers:
anaphora and processes named by what is done.

* ``entities.named-as``: ``X known as / called 'Y'`` names Y (the kind from X);
* ``entities.acronym-definition``: ``long form (ACR)`` (Schwartz-Hearst) and ``ACR (long
  form)``; plural acronyms and a second expansion resolve to one entity, with a note; a
  long form with no head noun (a crime type, an outcome) makes no entity unless the
  vocabulary knows it; ``long form (ACR) head`` (``registered sexual offender (RSO) teams``) is a mention; a
  shorter form before a defined acronym (``a joint action group (SOCJAG)``) is another name;
* ``entities.quoted-name``: a lower-case role or body name in quotation marks;
* ``entities.appositive``: ``Name, the ... unit, ...`` at a sentence start names a body;
* ``entities.pooled``: ``Name, the ..., pools officers from A, B and C``, ``A, B and C contribute
  officers to Name``, ``A and B share a Name``, ``works with A and B through Name`` (two or more
  forces) name a collaboration;
* ``entities.collaboration-of``: ``Name, a collaboration of A, B and C`` names a collaboration;
* ``entities.named-unit``: ``the Matrix unit`` (a proper name before a unit noun) names the unit;
* ``entities.gazetteer``: every label of the vocabulary, of the forces and of the names the
  text defines (acronyms, names and short proper names case-sensitively, lower-case long
  forms not), with plurals, hyphen/space variants and both apostrophes;
* ``entities.name``: capitalised phrases ending in a head noun or headed by ``Ministry of``
  ...; coordinated names split (not inside a known name with ``and``); a place before a local
  concept is this area's one (another place's is its own entity); another name of a force is
  recorded as ``entities.force``;
* ``entities.act``: ``Crime and Disorder Act 1998``; ``entities.role-of``: ``the director of
  intelligence``, ``the Mayor of Bristol``;
* ``entities.acronym-head``: ``IOM teams`` (the IOM), ``CSP managers`` (a role), ``ROCU
  executive board`` (a unit of the ROCU);
* ``entities.quoted-modifier``: ``the 'youth engagement' team``;
* ``entities.counted-group``: ``the six district councils`` (a counted group of councils, one party);
* ``entities.ellipsis``: the fire service in ``the fire, health and probation services``;
* ``entities.force-list``: place names of forces in ``A, B and C forces``;
* ``entities.force-collaboration``: ``A and B (strategic) alliance``;
* ``entities.noun-phrase``: ``modifier+ head`` lower-case bodies after a determiner (kept when
  they recur, name a body, or are a body's own: ``the force's performance management framework``);
* ``entities.phrase-repeat``: a kept lower-case name also where no determiner comes before it
  (``Daily management meetings are ...``);
* ``entities.anaphor``: ``the alliance`` (``strategic``/``formal alliance``) when exactly one
  entity has that head noun; ``entities.anaphor.force``: ``the force`` (for relations only);
* ``entities.process``: ``investigations are allocated ... on the basis of`` names the practice
  ``allocation of investigations``.

Example:
    >>> [(r.id, r.phase) for r in ENTITY_RULES][:2]
    [('entities.named-as', 'find'), ('entities.acronym-definition', 'find')]
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

from peelgraph.extract import wordlists as wl
from peelgraph.extract.labels import is_acronym, label_key, label_regex
from peelgraph.extract.lexicon import Forces, Lexicon
from peelgraph.extract.readtext import Mention, ReadText
from peelgraph.extract.rules.base import Rule
from peelgraph.extract.structure import Structure
from peelgraph.text.layout import Document

__all__ = ["ENTITY_RULES", "EntityRule", "Candidate", "EntityContext", "Occupied", "keeps_phrase", "head_kind",
           "long_form_for", "acronym_definitions"]


def _head_kinds() -> dict[str, str]:
    out: dict[str, str] = {}
    for lst in wl.wordlists():
        if lst.file == "heads" and lst.name.startswith("kinds."):
            out.update(dict.fromkeys(lst.words, lst.name.removeprefix("kinds.")))
    return out


# Head nouns of names and the kind they give (the last word of a long form or a name).
_HEADS = _head_kinds()
_NAME_HEADS = wl.alternation(wl.words("heads", "name-heads"))
_NAME_FIRST = wl.alternation(wl.words("heads", "name-first"))
_STOP_START = frozenset(wl.words("stopwords", "name-start"))
_JOINERS = frozenset(wl.words("stopwords", "name-joiners"))
_GENERIC = frozenset(wl.words("stopwords", "generic-modifiers"))
_SOLE = frozenset(wl.words("stopwords", "sole-modifiers"))
_POSSESSIVES = frozenset(f"{w}'s" for w in wl.words("stopwords", "possessors"))
# a judged quality is no part of a name ("a consistent service", "the poor response team")
_JUDGED = re.compile("|".join(f"(?:{p})" for lst in ("positive-strong", "positive", "negative-strong")
                              for p in wl.patterns("judging", lst)), re.I)
_DETERMINERS = (rf"(?i:{wl.alternation(wl.words('stopwords', 'determiners'))}|"
                rf"(?:the\s+)?(?:{wl.alternation(wl.words('stopwords', 'possessors'))})[’']s)")
_LOWER_HEADS = wl.alternation(wl.words("heads", "lower-heads"))
_NOT_BODY = re.compile(wl.alternation(wl.patterns("heads", "not-body")))
_NAMED_BODY = re.compile(rf"\b(?:{wl.alternation(wl.words('heads', 'named-body-heads'))})$")
_ANAPHORA = frozenset(wl.words("heads", "anaphora-heads"))
_NOT_NAME_START = re.compile(rf"^(?:{wl.alternation(wl.words('heads', 'not-name-starts'))})\b")
_LEADING = frozenset(wl.words("stopwords", "long-form-leading"))
_ACR_HEAD = re.compile(rf" ({wl.alternation(wl.words('heads', 'acronym-heads'))})\b")


def head_kind(word: str, default: str) -> str:
    """The entity kind a head noun gives (``hub`` -> collaboration), else ``default``.

    Example:
        >>> head_kind("hubs", "unit"), head_kind("stuff", "unit")
        ('collaboration', 'unit')
    """
    return _HEADS.get(word, default)


@dataclass(frozen=True)
class Candidate:
    """A mention a rule proposes, in the read text's coordinates.

    ``phrase`` is set (and ``key`` empty) for a lower-case phrase whose entity the resolver
    decides (it keeps the phrase only when it recurs or names a body).
    """

    nstart: int
    nend: int
    key: str
    rule: str
    anaphor: bool = False
    phrase: str | None = None

    def mention(self, key: str | None = None) -> Mention:
        """The mention it becomes (with ``key`` for a settled phrase)."""
        return Mention(self.nstart, self.nend, key or self.key, self.rule, self.anaphor)


@dataclass(frozen=True)
class Occupied:
    """The spans the resolver kept (in text order), for ``refer`` rules that only read the rest."""

    spans: tuple[tuple[int, int], ...] = ()
    starts: tuple[int, ...] = ()

    @classmethod
    def of(cls, mentions: tuple[Mention, ...]) -> Occupied:
        """The spans of mentions (in text order)."""
        spans = tuple((m.nstart, m.nend) for m in mentions)
        return cls(spans, tuple(s for s, _ in spans))

    def free(self, a: int, b: int) -> bool:
        """Whether ``[a, b)`` overlaps no kept span.

        Example:
            >>> occ = Occupied.of((Mention(0, 4, "x"), Mention(10, 14, "y")))
            >>> occ.free(4, 10), occ.free(3, 5), occ.free(12, 20)
            (True, False, False)
        """
        i = bisect.bisect_right(self.starts, a) - 1
        return not any(0 <= j < len(self.spans) and self.spans[j][0] < b and a < self.spans[j][1]
                       for j in (i, i + 1))


@dataclass(frozen=True)
class EntityContext:
    """What an entity rule reads: the document, its template, the read text, the lexicon (which
    ``find`` rules also teach) and the forces; for ``refer`` rules, the mentions kept so far."""

    doc: Document
    st: Structure
    read: ReadText
    lexicon: Lexicon
    forces: Forces
    kept: tuple[Mention, ...] = ()
    occupied: Occupied = Occupied()

    @property
    def text(self) -> str:
        """The read text."""
        return self.read.text


class EntityRule(Rule[EntityContext, Candidate], Protocol):
    """An entity rule: ``phase`` is ``find`` (before overlaps are resolved) or ``refer`` (after,
    in the text no kept mention covers)."""

    @property
    def phase(self) -> str:
        """``find`` or ``refer``."""
        ...



# --------------------------------------------------------------------------- names the text defines


def long_form_for(acronym: str, before: str) -> str | None:
    """The long form an acronym abbreviates, from the words just before it (Schwartz-Hearst).

    Example:
        >>> long_form_for("MASH", "works within the multi-agency safeguarding hub")
        'multi-agency safeguarding hub'
        >>> long_form_for("DAROs", "employs 25 domestic abuse risk officers")
        'domestic abuse risk officers'
        >>> long_form_for("RIU", "made available through the Regional Intelligence Unit")
        'Regional Intelligence Unit'
        >>> long_form_for("CSE", "a rise in reports") is None
        True
    """
    acr = re.sub(r"(?<=[A-Z0-9])s$", "", acronym)
    letters = [c.lower() for c in acr if c.isalnum()]
    if len(letters) < 2:
        return None
    words = re.findall(r"[\w’'&][\w’'&\-]*", before)
    if not words:
        return None
    max_words = min(len(letters) + 5, len(letters) * 2)
    text = " ".join(words[-max_words:])
    # Schwartz-Hearst: match letters right to left; the first letter must start a word.
    si, li = len(text) - 1, len(letters) - 1
    while li >= 0:
        c = letters[li]
        while si >= 0 and (text[si].lower() != c or (li == 0 and si > 0 and text[si - 1].isalnum())):
            si -= 1
        if si < 0:
            return None
        si -= 1
        li -= 1
    start = text.rfind(" ", 0, si + 1) + 1
    lw = text[start:].strip(" ,;").split()
    if not lw or lw[0].lower() in _LEADING:
        lw = lw[1:]
    lf = " ".join(lw)
    if len(lw) < 1 or len(lw) > 2 * len(letters) + 1 or lf.lower() == acr.lower():
        return None
    if lw[0][0].lower() != letters[0]:
        return None
    return lf


_QUOTED = re.compile(rf"[‘“']([a-z][a-z\- ]{{3,60}} (?:{wl.alternation(wl.words('heads', 'quoted-heads'))}))[’”]")
_PAREN_ACR = re.compile(r"\(([A-Z][A-Za-z0-9&]*[A-Z0-9](?:s)?|[0-9][A-Z][a-z]?s?)\)")
_ACR_PAREN = re.compile(r"(?<![\w-])([A-Z][A-Za-z0-9]*[A-Z](?:s)?)\s+\(([a-z][^()]{3,90})\)")
_NAMED = re.compile(
    rf"\b({wl.alternation(wl.words('heads', 'named-as-heads'))})(?:\s+of\s+\w+)?\s+(?:is\s+)?"
    r"(?:called|known as|named)\s+"
    r"(?:the\s+)?[‘'“\"]?([A-Za-z0-9][\w\-]*(?:\s+[A-Z0-9][\w\-]*)*)[’'”\"]?"
)


def _kind_of(long_form: str) -> str | None:
    words = re.findall(r"[\w’'\-]+", long_form.lower())
    if not words:
        return None
    return _HEADS.get(words[-1])


def acronym_definitions(text: str) -> Iterator[tuple[str, str, int, int]]:
    """``(acronym, long form, start, end)`` for every definition in a text.

    Example:
        >>> text = "the harm assessment unit (HAU) and SARA (scanning, analysis, response and assessment)"
        >>> list(acronym_definitions(text))
        [('HAU', 'harm assessment unit', 4, 30), ('SARA', 'scanning, analysis, response and assessment', 35, 85)]
    """
    for m in _PAREN_ACR.finditer(text):
        acr = m.group(1)
        before = text[max(0, m.start() - 160):m.start()]
        before = re.split(r"[.;:()]", before)[-1]
        lf = long_form_for(acr, before)
        if lf:
            start = text.rfind(lf, 0, m.start())
            if start >= 0:
                hm = _ACR_HEAD.match(text[m.end():m.end() + 20])
                if hm and _kind_of(lf) is None:
                    yield f"{acr} {hm.group(1)}", f"{lf} {hm.group(1)}", start, m.end() + hm.end()
                else:
                    yield acr, lf, start, m.end()
    for m in _ACR_PAREN.finditer(text):
        acr, inner = m.group(1), m.group(2)
        lf = long_form_for(acr, inner.split(",")[0] if len(inner.split()) > 8 else inner)
        letters = re.sub(r"(?<=[A-Z0-9])s$", "", acr)
        if lf and inner.lower().startswith(lf.lower()[:3]) and lf.split()[0][0].lower() == letters[0].lower():
            yield acr, inner.strip(), m.start(), m.end()


class NamedAs:
    """``a team known as 'Y'``: Y is a name (matched case-sensitively), of the kind of its noun."""

    id = "entities.named-as"
    kind = "entity"
    phase = "find"
    description = "X known as / called / named 'Y' teaches the lexicon the name Y"
    emits: tuple[str, ...] = ()

    def find(self, ctx: EntityContext) -> Iterator[Candidate]:
        """Teach the lexicon; no mentions."""
        lex = ctx.lexicon
        for m in _NAMED.finditer(ctx.text):
            if not ctx.read.scoped(m.start()):
                continue
            name = m.group(2).strip()
            if lex.key_of(name) is not None or lex.concept_for(name):
                continue
            kind = _HEADS.get(m.group(1).lower(), "practice")
            if len(name) < 2 or name.lower() in _GENERIC:
                continue
            key = lex.add_local(name, kind)
            lex.drafts[key].strong.add(name)
            lex.define(name, key)
        return iter(())


class AcronymDefinition:
    """``long form (ACR)`` and ``ACR (long form)``: the acronym and the long form name one entity."""

    id = "entities.acronym-definition"
    kind = "entity"
    phase = "find"
    description = "long form (ACR) and ACR (long form) teach the lexicon an acronym and its expansion"
    emits = ("entities.acronym-definition",)

    def find(self, ctx: EntityContext) -> Iterator[Candidate]:
        """Teach the lexicon; a mention only for ``long form (ACR) head``, which is named so only there."""
        lex = ctx.lexicon
        for acr, lf, a, b in acronym_definitions(ctx.text):
            if not ctx.read.scoped(a):
                continue
            if " " in acr:  # "registered sexual offender (RSO) teams": named nowhere else in one piece
                whole = lex.known(lf) or lex.add_local(lf, _kind_of(lf) or "unit")
                lex.alias(whole, lf)
                lex.alias(whole, acr, f"'{acr}' is defined in the text as the acronym of '{lf}'")
                lex.drafts[whole].strong.add(acr)
                yield Candidate(a, b, whole, self.id)
                continue
            concept = lex.concept_for(acr) or lex.concept_for(lf)
            key = lex.defined(acr)
            if key is not None:
                d = lex.drafts[key]
                if label_key(lf) != label_key(d.label) and lf not in d.aliases:
                    lex.alias(key, lf, f"'{acr}' is expanded as '{lf}' and as '{d.label}' in the text: one entity")
                continue
            if concept is not None:
                key = lex.ensure_concept(concept)
                lex.alias(key, lf, f"'{lf} ({acr})' defined in the text is the vocabulary concept pgc:{concept.key}"
                          if label_key(lf) not in {label_key(x) for x in (concept.pref, *concept.alts)} else None)
                lex.alias(key, acr)
            else:
                lkind = _kind_of(lf)
                if lkind is None or _NOT_BODY.search(lf.lower()):
                    continue
                key = lex.add_local(lf, _local_kind(lex, lf) or lkind)
                lex.alias(key, acr, f"'{acr}' is defined in the text as the acronym of '{lf}'")
            lex.drafts[key].strong.add(acr)
            lex.define(acr, key)
        _shortened_long_forms(ctx)


def _shortened_long_forms(ctx: EntityContext) -> None:
    """``a joint action group (SOCJAG)`` where SOCJAG is defined elsewhere as ``serious and
    organised crime joint action group``: the last words of the long form, before the acronym,
    are another name of the same entity (and win over a vocabulary label)."""
    lex, text = ctx.lexicon, ctx.text
    for m in _PAREN_ACR.finditer(text):
        key = lex.defined(m.group(1))
        if key is None or not ctx.read.scoped(m.start()):
            continue
        before = re.sub(r"\s+", " ", text[max(0, m.start() - 120):m.start()]).rstrip().lower()
        labels = (lex.drafts[key].label, *sorted(lex.drafts[key].aliases))
        if any(re.search(rf"\b{label_regex(lab)}$", before, re.I) for lab in labels if " " in lab):
            continue  # the definition itself, or a full name
        for lab in labels:
            words = lab.lower().split()
            for n in range(len(words) - 1, 1, -1):
                tail = " ".join(words[-n:])
                if before.endswith(" " + tail) and _HEADS.get(words[-1]):
                    lex.alias(key, tail, f"'{tail} ({m.group(1)})' is a shorter form of '{lab}'")
                    if lex.key_of(tail) == key:
                        lex.drafts[key].strong.add(tail)
                    break


class QuotedName:
    """A lower-case role or body name set in quotation marks (``'hate crime champion'``)."""

    id = "entities.quoted-name"
    kind = "entity"
    phase = "find"
    description = "a lower-case role or body name in quotation marks teaches the lexicon that name"
    emits: tuple[str, ...] = ()

    def find(self, ctx: EntityContext) -> Iterator[Candidate]:
        """Teach the lexicon; no mentions."""
        for m in _QUOTED.finditer(ctx.text):
            if ctx.read.scoped(m.start()) and not ctx.lexicon.known(m.group(1)):
                ctx.lexicon.add_local(m.group(1), _HEADS.get(m.group(1).split()[-1], "unit"))
        return iter(())


# --------------------------------------------------------------------------- the gazetteer


def _proper_short(label: str) -> bool:
    """A proper name of one or two capitalised words (``Athena``, ``Victim Support``, ``Home
    Office``): matched case-sensitively (but for its first letter), since in lower case the
    same words are ordinary English (``the victim supports``, ``home office``).

    Example:
        >>> _proper_short("Victim Support"), _proper_short("Code of Practice for Victims of Crime")
        (True, False)
    """
    words = label.split()
    return len(words) <= 2 and all(w[:1].isupper() for w in words)


def _gazetteer_labels(ctx: EntityContext) -> tuple[dict[str, str], dict[str, str]]:
    """Labels matched case-sensitively and case-insensitively, each with its entity key."""
    cs: dict[str, str] = {}
    ci: dict[str, str] = {}
    for key, d in ctx.lexicon.drafts.items():  # names the text defines come before the vocabulary's
        if d.concept is None and d.strong:
            for lab in sorted(d.strong):
                cs.setdefault(lab, key)
    for c in ctx.lexicon.concepts:
        for lab in (c.pref, *c.alts):
            if is_acronym(lab) or _proper_short(lab):
                cs.setdefault(lab, c.key)
            else:
                ci.setdefault(lab, c.key)
    for key, d in ctx.lexicon.drafts.items():
        if d.concept is None:
            for lab in (d.label, *d.aliases):
                if is_acronym(lab) or lab in d.strong or lab != lab.lower():
                    cs.setdefault(lab, key)
                else:
                    ci.setdefault(lab, key)
        else:
            for lab in d.aliases:
                (cs if is_acronym(lab) or lab in d.strong else ci).setdefault(lab, key)
    for name, fslug in ctx.forces.names.items():
        cs.setdefault(name, fslug)
    return cs, ci


def _gazetteer_regex(labels: dict[str, str], flags: int) -> re.Pattern[str]:
    """One regex for all labels, longest first; a capitalised multi-word name also matches
    with a lower-case first letter."""
    pats = []
    for lab in sorted(labels, key=len, reverse=True):
        rx = label_regex(lab)
        if flags == 0 and not is_acronym(lab) and lab[0].isupper() and " " in lab:
            rx = f"[{lab[0]}{lab[0].lower()}]" + rx[len(re.escape(lab[0])):]
        pats.append(rx)
    return re.compile(r"(?<![\w\-])(?<!\w[’'])(?:" + "|".join(pats) + r")(?![\w\-])", flags)


class Gazetteer:
    """Every label the lexicon knows (vocabulary, forces, names the text defines)."""

    id = "entities.gazetteer"
    kind = "entity"
    phase = "find"
    description = "labels of the concept vocabulary, the forces and the names the text defines"
    emits = ("entities.gazetteer",)

    def find(self, ctx: EntityContext) -> Iterator[Candidate]:
        """A candidate for every match of a known label in the read scope."""
        text = ctx.text
        for labels, flags in zip(_gazetteer_labels(ctx), (0, re.I), strict=True):
            if not labels:
                continue
            keyed = {label_key(lab): k for lab, k in labels.items()}
            for m in _gazetteer_regex(labels, flags).finditer(text):
                if not ctx.read.scoped(m.start()):
                    continue
                k = keyed.get(label_key(m.group(0)))
                if k is None:
                    continue
                w = m.group(0)
                # a capitalised single word at the start of a sentence or a list item is not a name
                if (flags == 0 and not is_acronym(w) and " " not in w and ctx.lexicon.defined(w) is None
                        and re.search(r"(^|[.!?:;–\-•]\s*|\n\s*)$", text[max(0, m.start() - 3):m.start()])):
                    continue
                yield Candidate(m.start(), m.end(), k, self.id)


# --------------------------------------------------------------------------- capitalised names

_CAP = r"[A-Z][\w’'&\-]*"
_NAME_RX = re.compile(rf"(?<![\w’'])((?:{_CAP} (?:(?:of|and|for|&) (?:the )?)?)*(?:{_NAME_HEADS}))(?![\w\-])")
_FIRST_RX = re.compile(rf"(?<![\w’'])((?:{_NAME_FIRST}) (?:of|for) (?:the )?{_CAP}"
                       rf"(?: {_CAP})*(?: and {_CAP}(?: {_CAP})*)?)")
_HEAD_END = re.compile(rf"\b(?:{_NAME_HEADS})$")


def _name_phrases(ctx: EntityContext) -> Iterator[tuple[int, int, bool]]:
    """``(start, end, ends in a head noun)`` of capitalised names: leading stop words and a
    possessor (``the ROCU’s``) trimmed; at least two words."""
    text = ctx.text
    for rx in (_NAME_RX, _FIRST_RX):
        for m in rx.finditer(text):
            if not ctx.read.scoped(m.start()):
                continue
            s, e = m.start(1), m.end(1)
            words = text[s:e].split()
            while words and (words[0] in _STOP_START or words[0].lower() in _JOINERS):
                s += len(words[0])
                while s < e and text[s].isspace():
                    s += 1
                words = words[1:]
            if len(words) < 2:
                continue
            pm = re.match(r"^(\S+?)[’']s ", text[s:e])
            if pm:
                s += pm.end()
                if len(text[s:e].split()) < 2:
                    continue
            yield s, e, rx is _NAME_RX


def _straddles(name: str, at: int, lex: Lexicon) -> bool:
    """Whether a known label spans the ``and`` at ``at`` (``Police and Crime Panel``, ``Fire and
    Rescue Service``): the name is not split there."""
    starts = [0] + [m.end() for m in re.finditer(r" ", name[:at])]
    ends = [m.start() for m in re.finditer(r" ", name[at + 5:])]
    ends = [at + 5 + e for e in ends] + [len(name)]
    return any(lex.known(name[a:b]) for a in starts for b in ends if len(name[a:b].split()) >= 3)


def _split_coordination(name: str, lex: Lexicon, forces: Forces) -> list[tuple[int, str, str]] | None:
    """Split ``A and B`` when both sides are known names (or force places before a force), not
    inside a known name that has ``and`` in it; a known name before one head word (the start of
    a name cut short) is kept alone."""
    for m in re.finditer(r" and (?:the )?", name):
        if _straddles(name, m.start(), lex):
            continue
        left, right = name[:m.start()], name[m.end():]
        rk = lex.known(right) or forces.names.get(right)
        lk0 = lex.known(left) or forces.names.get(left)
        if rk is None and lk0 is not None and " " not in right:
            # ``HM Revenue and Customs and the Department [for Work and Pensions]``: a known name, then
            # the first word of a name the phrase cut short (found whole by the gazetteer, or not at all)
            return [(0, left, lk0)]
        if rk is None:
            if not (_HEAD_END.search(left) and _HEAD_END.search(right) and len(left.split()) >= 2
                    and len(right.split()) >= 2 and right[0].isupper()):
                continue
            return [(0, left, lex.known(left) or forces.names.get(left) or ""), (m.end(), right, "")]
        lk = lex.known(left) or forces.names.get(left) or forces.places.get(left)
        if lk is None and right.endswith(("Police", "Constabulary")):
            lk = forces.places.get(left)
        if lk is None:
            # "A B Office and C D Office": left must at least end with a head noun
            if not _HEAD_END.search(left) or len(left.split()) < 2:
                continue
            lk = ""
        return [(0, left, lk), (m.end(), right, rk)]
    return None


def _local_kind(lex: Lexicon, name: str) -> str | None:
    """The kind of the local concept a capitalised ``<Place> <concept>`` name is an instance of
    (``South West Regional Organised Crime Unit``: the ROCU's kind), if it is one."""
    words = name.split()
    if not name[:1].isupper():
        return None
    for n in range(1, min(4, len(words) - 1)):
        c = lex.concept_for(" ".join(words[n:]))
        if c is not None and c.scope == "local" and words[n - 1] != "and":
            return c.kind
    return None


def _local_instance(lex: Lexicon, name: str) -> str | None:
    """``<Place> <local concept>`` (``Cumbria Local Resilience Forum``, ``South West Regional
    Organised Crime Unit``): this area's instance of the concept, its key; the first place so
    named is the concept's entity, another place's is an entity of its own."""
    words = name.split()
    for n in range(1, min(4, len(words) - 1)):
        rest = " ".join(words[n:])
        if not all(w[:1].isupper() or w == "and" for w in words[:n]) or words[n - 1] == "and":
            continue
        inner = lex.known(rest)
        ic = lex.concept_by_key.get(inner or "")
        if inner is None or ic is None or ic.scope != "local":
            continue
        d = lex.drafts[inner]
        if any(note.endswith(f"this area's {ic.pref}") for note in d.notes):
            key = lex.add_local(name, ic.kind)
            lex.drafts[key].concept = lex.drafts[key].concept or ic
            return key
        lex.alias(inner, name, f"'{name}' is this area's {ic.pref}")
        return inner
    return None


class CapitalisedName:
    """Capitalised names ending in a head noun (``Newport City Council``) or headed by one
    (``Ministry of Justice``)."""

    id = "entities.name"
    kind = "entity"
    phase = "find"
    description = "capitalised names ending in a head noun or headed by 'Ministry of' ...; other names of forces"
    emits = ("entities.name", "entities.force")

    def find(self, ctx: EntityContext) -> Iterator[Candidate]:
        """A candidate for every name (or each part of a coordinated name)."""
        for s, e, by_head in _name_phrases(ctx):
            yield from self._candidates(ctx, s, e, by_head)

    def _candidates(self, ctx: EntityContext, s: int, e: int, by_head: bool) -> Iterator[Candidate]:
        lex, name = ctx.lexicon, ctx.text[s:e]
        parts = _split_coordination(name, lex, ctx.forces)
        if parts is None:
            yield from self._one(ctx, s, e, by_head)
            return
        for off, part, k in parts:
            if k:
                yield Candidate(s + off, s + off + len(part), k, self.id)
            else:
                yield from self._one(ctx, s + off, s + off + len(part), True)

    def _one(self, ctx: EntityContext, s: int, e: int, by_head: bool) -> Iterator[Candidate]:
        lex, name = ctx.lexicon, ctx.text[s:e]
        words = name.split()
        known = lex.known(name) or _local_instance(lex, name)
        if known:
            yield Candidate(s, e, known, self.id)
            return
        if name in ctx.forces.names:
            yield Candidate(s, e, ctx.forces.names[name], "entities.force")
            return
        if _NOT_NAME_START.match(name) and len(words) < 3:
            return
        kind = _HEADS.get(words[-1].lower(), "organisation") if by_head else "organisation"
        yield Candidate(s, e, lex.add_local(name, kind), self.id)


_ACT_RX = re.compile(rf"(?<![\w’'])((?:{_CAP}(?:,)? (?:(?:and|of|for|the) )*)+Act(?: \d{{4}})?)(?![\w\-])")


class Legislation:
    """An Act of Parliament by its title: capitalised words ending in ``Act`` and its year
    (``Crime and Disorder Act 1998``), a legal power (legislation.gov.uk titles)."""

    id = "entities.act"
    kind = "entity"
    phase = "find"
    description = "capitalised titles ending in 'Act' and a year: an Act of Parliament"
    emits = ("entities.act",)

    def find(self, ctx: EntityContext) -> Iterator[Candidate]:
        """A candidate for every title."""
        text, lex = ctx.text, ctx.lexicon
        for m in _ACT_RX.finditer(text):
            if not ctx.read.scoped(m.start()):
                continue
            s, words = m.start(1), m.group(1).split()
            while words and (words[0] in _STOP_START or words[0].lower() in _JOINERS):
                s = text.index(words[1], s + len(words[0])) if len(words) > 1 else m.end(1)
                words = words[1:]
            if len(words) < 2 or not re.search(r"\d{4}$", m.group(1)):
                continue
            name = text[s:m.end(1)]
            yield Candidate(s, m.end(1), lex.known(name) or lex.add_local(name, "legal-power"), self.id)


_ROLE_HEADS = wl.alternation(wl.words("heads", "role-of-heads"))
_ROLE_OF = re.compile(rf"\b(?:[Tt]he|[Aa]|[Ii]ts|[Tt]heir)\s+((?:[Dd]eputy |[Aa]ssistant )?(?:{_ROLE_HEADS}) of "
                      r"(?:[a-z][a-z\-]+(?: and [a-z][a-z\-]+)?|[A-Z][\w\-]+(?: [A-Z][\w\-]+)*))\b")


class RoleOf:
    """A post named by its function or its place: ``director of intelligence``, ``head of
    crime``, ``Mayor of Bristol``."""

    id = "entities.role-of"
    kind = "entity"
    phase = "find"
    description = "'director of X', 'head of X', 'Mayor of X': a role"
    emits = ("entities.role-of",)

    def find(self, ctx: EntityContext) -> Iterator[Candidate]:
        """A role candidate for every such post."""
        lex = ctx.lexicon
        for m in _ROLE_OF.finditer(ctx.text):
            if not ctx.read.scoped(m.start()):
                continue
            name = re.sub(r"\s+", " ", m.group(1))
            if name.split()[-1].lower() in _GENERIC:
                continue
            yield Candidate(m.start(1), m.end(1), lex.known(name) or lex.add_local(name, "role"), self.id)


_ACR_THEN = re.compile(rf"(?<![\w\-’'])([A-Z][A-Za-z0-9]*[A-Z0-9])s?((?: [a-z][a-z\-]+){{0,2}}?) "
                       rf"({wl.alternation(wl.words('heads', 'after-acronym'))})\b")


class AcronymHead:
    """An acronym the text or the vocabulary knows, before a head noun: ``IOM teams`` and ``CID
    teams`` are the IOM and the CID; ``CSP managers`` is a role; ``ROCU executive board`` and
    ``OCG action plans`` are named things of their own, of their head's kind (but a board, group
    or panel of one organisation is a unit of it)."""

    id = "entities.acronym-head"
    kind = "entity"
    phase = "find"
    description = "an acronym before a head noun: the body (IOM teams), its role (CSP managers) or a thing of its own"
    emits = ("entities.acronym-head",)

    def find(self, ctx: EntityContext) -> Iterator[Candidate]:
        """A candidate for each acronym-and-head phrase."""
        lex = ctx.lexicon
        for m in _ACR_THEN.finditer(ctx.text):
            if not ctx.read.scoped(m.start()):
                continue
            acr, mods, head = m.group(1), m.group(2).split(), m.group(3).lower()
            if any(w in _GENERIC for w in mods):
                continue
            k = lex.known(acr) or lex.known(acr + "s")
            name = re.sub(r"\s+", " ", m.group(0))
            kind = _HEADS.get(head, "unit")
            if not mods and k is not None:
                if kind == "role":
                    yield Candidate(m.start(), m.end(), lex.known(name) or lex.add_local(name, "role"), self.id)
                elif lex.drafts[k].kind in ("collaboration", "unit") and kind in ("unit", "collaboration"):
                    lex.alias(k, name)
                    yield Candidate(m.start(), m.end(), k, self.id)
            elif mods and (k is not None or acr.isupper()):
                if k is not None and lex.drafts[k].kind in ("organisation", "force") and kind == "collaboration":
                    kind = "unit"  # the board of one organisation is a unit of it (ROCU executive board)
                yield Candidate(m.start(), m.end(), lex.known(name) or lex.add_local(name, kind), self.id)


_APPOSITIVE = re.compile(rf"(?:^|(?<=[.!?]\s)|(?<=\n))([A-Z][a-z]+), (?:the|a|an) ((?:[\w’'\-]+ ){{0,6}}?"
                         rf"(?:{wl.alternation(wl.words('heads', 'appositive-heads'))}))\b"
                         r"(?:\s+(?:for|of|in)\s+[^,.;()]{1,40})?,")


class Appositive:
    """A one-word name opening a sentence and explained by an appositive set off by commas on
    both sides: ``Lighthouse, the constabulary's victim care unit, is ...`` names a unit
    ``Lighthouse`` (``Furthermore, the team works ...`` has no closing comma: no name)."""

    id = "entities.appositive"
    kind = "entity"
    phase = "find"
    description = "'Name, the ... unit/team/hub, ...' at a sentence start teaches the lexicon the name"
    emits: tuple[str, ...] = ()

    def find(self, ctx: EntityContext) -> Iterator[Candidate]:
        """Teach the lexicon; no mentions."""
        lex = ctx.lexicon
        for m in _APPOSITIVE.finditer(ctx.text):
            name = m.group(1)
            if (not ctx.read.scoped(m.start()) or name in _STOP_START or name.endswith("ly") or lex.key_of(name)
                    or lex.concept_for(name)):
                continue
            inner = lex.known(m.group(2).split("’s ")[-1].split("'s ")[-1])
            kind = lex.drafts[inner].kind if inner else _HEADS.get(m.group(2).split()[-1].lower(), "unit")
            key = lex.add_local(name, kind)
            lex.drafts[key].strong.add(name)
            lex.define(name, key)
        return iter(())


_COLLAB_OF = re.compile(r"(?<![\w’'-])([A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,4}),\s+(?:the\s+[^,.;()]{3,80},\s+"
                        r"(?:is|was)\s+)?an?\s+(?:[a-z-]+\s+){0,2}?collaboration\s+(?:of|between)\s+[A-Z]")


class CollaborationOf:
    """A name the text says is a collaboration of named bodies (``Tri-Force Specialist Operations,
    a collaboration of A, B and C``; ``SEROCU, the South East ..., is a collaboration of A and B``)
    names a collaboration, whatever its head noun."""

    id = "entities.collaboration-of"
    kind = "entity"
    phase = "find"
    description = "'Name, a collaboration of A, B and C' teaches the lexicon a collaboration"
    emits: tuple[str, ...] = ()

    def find(self, ctx: EntityContext) -> Iterator[Candidate]:
        """Teach the lexicon; no mentions."""
        lex = ctx.lexicon
        for m in _COLLAB_OF.finditer(ctx.text):
            name = re.sub(r"\s+", " ", m.group(1))
            if (not ctx.read.scoped(m.start()) or name.split()[0] in _STOP_START or lex.key_of(name)
                    or lex.concept_for(name) or ctx.forces.names.get(name)):
                continue
            key = lex.add_local(name, "collaboration")
            lex.drafts[key].strong.add(name)
            lex.define(name, key)
        return iter(())


_POOLED_NAME = r"([A-Z][\w’'-]*(?:\s+(?:of\s+|and\s+)?[A-Z][\w’'-]*){0,5})(?![\w’'-])(?!\s+[A-Z])"
_POOLED = wl.alternation(("officers", "staff", "resources", "investigators", "analysts", "personnel"))
_POOLS_FROM = re.compile(rf"(?<![\w’'-]){_POOLED_NAME},\s+(?:the|a|an)\s+[^,.;()]{{3,80}}?,\s+(?:pools?|draws?)\s+"
                         rf"(?:\w+\s+){{0,2}}?(?:{_POOLED})\s+from\s+([^.;]{{5,200}})")
_CONTRIBUTE_TO = re.compile(rf"([^.;]{{5,200}}?)\s+(?:all\s+|both\s+|each\s+|jointly\s+)?"
                            rf"(?:contribute|second|provide|commit)s?\s+(?:\w+\s+){{0,2}}?(?:{_POOLED})(?:\s+and\s+(?:{_POOLED}))?\s+to\s+{_POOLED_NAME}")

_SHARE_NAMED = re.compile(rf"([^.;]{{5,200}}?)\s+share\s+(?:a|an)\s+{_POOLED_NAME}")
_WHICH_SHARED = re.compile(rf"{_POOLED_NAME},\s+which\s+([^.;]{{5,120}}?)\s+(?:have\s+|has\s+|had\s+)?(?:jointly\s+)?"
                           r"(?:shared|share)\b")
_WITH_THROUGH = re.compile(rf"\b(?:works?|worked|working)\s+(?:closely\s+)?with\s+([^.;]{{5,150}}?)\s+through\s+"
                           rf"(?:the\s+)?{_POOLED_NAME}")

_CUES = {_POOLS_FROM: re.compile(r"\b(?:pools?|draws?)\b"),
         _CONTRIBUTE_TO: re.compile(r"\b(?:contribute|second|provide|commit)s?\b"),
         _SHARE_NAMED: re.compile(r"\bshare\b"), _WITH_THROUGH: re.compile(r"\bthrough\b"),
         _WHICH_SHARED: re.compile(r"\bshared?\b")}
_CLAUSE_SPANS = re.compile(r"[^.;]+")


def _in_clauses(rx: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)``, searched only in the clauses (runs without '.' or ';', which no match
    of these patterns holds) that hold the pattern's verb: the same matches, at the same offsets
    (``finditer(text, pos, endpos)`` still sees the characters around the clause), without trying
    the patterns' long lazy openings at every position of the report.

    Example:
        >>> text = "A met. Gwent Police and Dyfed-Powys Police share a Joint Unit."
        >>> [m.group(1).strip() for m in _in_clauses(_SHARE_NAMED, text)]
        ['Gwent Police and Dyfed-Powys Police']
    """
    cue = _CUES[rx]
    for clause in _CLAUSE_SPANS.finditer(text):
        if cue.search(clause.group()):
            yield from rx.finditer(text, clause.start(), clause.end())


class Pooled:
    """A name that two or more named forces staff, share or work through together is a
    collaboration (the forces' joint unit under a collaboration agreement, Police Act 1996 s. 22A):
    ``Name, the regional unit, pools officers from A, B and C``; ``A, B and C all contribute
    officers and staff to Name``; ``A and B share a Name``; ``Name, which A and B have shared``;
    ``works with A and B through Name`` (``A and B jointly run the Name`` stays a unit the two
    share).
    A name the text defined as a unit or organisation of its own is retyped."""

    id = "entities.pooled"
    kind = "entity"
    phase = "find"
    description = "'Name, the ..., pools officers from A, B and C'; 'A and B contribute officers to Name'"
    emits: tuple[str, ...] = ()

    def find(self, ctx: EntityContext) -> Iterator[Candidate]:
        """Teach the lexicon; no mentions."""
        lex = ctx.lexicon
        text = ctx.text
        found = [(m.start(), m.group(1), m.group(2)) for m in _in_clauses(_POOLS_FROM, text)]
        found += [(m.start(2), m.group(2), m.group(1)) for rx in (_CONTRIBUTE_TO, _SHARE_NAMED, _WITH_THROUGH)
                  for m in _in_clauses(rx, text)]
        found += [(m.start(), m.group(1), m.group(2)) for m in _in_clauses(_WHICH_SHARED, text)]
        for at, raw, bodies in found:
            name = re.sub(r"\s+", " ", raw)
            flat = re.sub(r"\s+", " ", bodies)
            if (not ctx.read.scoped(at) or name.split()[0] in _STOP_START or lex.concept_for(name)
                    or name in ctx.forces.names or sum(1 for f in ctx.forces.names if f in flat) < 2):
                continue
            known = lex.key_of(name)
            if known is not None:  # a name the text defined (``Joint Firearms Unit (JFU)``): retyped
                d = lex.drafts[known]
                if d.concept is None and d.kind in {"unit", "organisation"}:
                    d.kind = "collaboration"
                continue
            key = lex.add_local(name, "collaboration")
            lex.drafts[key].strong.add(name)
            lex.define(name, key)
        return iter(())


_NAMED_UNIT = re.compile(r"\b[Tt]he ([A-Z][a-z]{2,}) (unit|team|hub|programme|project|scheme|squad|desk)\b(?![’'])")


class NamedUnit:
    """A one-word proper name before a lower-case unit noun names that unit (``the Matrix unit``,
    ``the Athena team``); not a place, a force, or a word the lexicon knows."""

    id = "entities.named-unit"
    kind = "entity"
    phase = "find"
    description = "'the Matrix unit': a proper name before a unit noun names the unit"
    emits: tuple[str, ...] = ()

    def find(self, ctx: EntityContext) -> Iterator[Candidate]:
        """Teach the lexicon; no mentions."""
        lex = ctx.lexicon
        for m in _NAMED_UNIT.finditer(ctx.text):
            word, label = m.group(1), f"{m.group(1)} {m.group(2)}"
            if (not ctx.read.scoped(m.start()) or word in _STOP_START or word in ctx.forces.places
                    or lex.known(word) or lex.concept_for(word) or lex.known(label)):
                continue
            key = lex.add_local(label, _HEADS.get(m.group(2), "unit"))
            lex.drafts[key].strong.add(label)
            lex.define(label, key)
        return iter(())


_COUNTED = re.compile(r"\b[Tt]he\s+((?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})\s+"
                      r"(?:district|borough|county|unitary|city|metropolitan|local|parish|town)"
                      r"(?:\s+(?:and\s+)?(?:district|borough|county|unitary|city|metropolitan|parish|town))?"
                      r"\s+(?:councils|authorities))\b")


class CountedGroup:
    """A counted set of councils named as one party (``the six district councils``, ``the 12
    district and borough councils``): the group is an entity of its own, not the generic local
    authority (it is what a list of members names)."""

    id = "entities.counted-group"
    kind = "entity"
    phase = "find"
    description = "'the six district councils': a counted group of councils names one party"
    emits = ("entities.counted-group",)

    def find(self, ctx: EntityContext) -> Iterator[Candidate]:
        """A mention of the group, as one local entity."""
        for m in _COUNTED.finditer(ctx.text):
            if ctx.read.scoped(m.start()):
                label = re.sub(r"\s+", " ", m.group(1))
                key = ctx.lexicon.known(label) or ctx.lexicon.add_local(label, "organisation")
                yield Candidate(m.start(1), m.end(1), key, self.id)


_QUOTED_MOD = re.compile(rf"(?<=\s)[‘'“]([a-z0-9][\w\- ]{{1,60}}?)[’'”]\s+((?:[a-z][a-z\-]+\s+){{0,2}}?"
                         rf"(?:{_LOWER_HEADS}|process|processes))\b")


class QuotedModifier:
    """A name set in quotation marks before its head noun: ``the 'youth engagement and safer
    schools' team``, ``a 'triple-lock' supervisory process`` (the head's kind)."""

    id = "entities.quoted-modifier"
    kind = "entity"
    phase = "find"
    description = "a quoted name before its head noun: 'X' team, 'X' supervisory process"
    emits = ("entities.quoted-modifier",)

    def find(self, ctx: EntityContext) -> Iterator[Candidate]:
        """A candidate for each quoted name and head."""
        lex = ctx.lexicon
        for m in _QUOTED_MOD.finditer(ctx.text):
            if not ctx.read.scoped(m.start()):
                continue
            rest = m.group(2).split()
            if any(w in _GENERIC for w in rest[:-1]):
                continue
            name = " ".join([m.group(1), *rest])
            kind = _HEADS.get(rest[-1].lower(), "unit")
            yield Candidate(m.start(), m.end(), lex.known(name) or lex.add_local(name, kind), self.id)


_ELLIPSIS = re.compile(r"\b((?:[a-z]+,\s+)*[a-z]+,?)\s+and\s+([a-z]+)\s+(services|teams|units|councils|boards)\b")


class Ellipsis:
    """A list of modifiers sharing one head: in ``the fire, health and probation services`` the
    fire service and the health service are named too, when the vocabulary or the text knows them."""

    id = "entities.ellipsis"
    kind = "entity"
    phase = "find"
    description = "'the A, B and C services': A service and B service, when known"
    emits = ("entities.ellipsis",)

    def find(self, ctx: EntityContext) -> Iterator[Candidate]:
        """A candidate (the modifier's word) for each known elided name."""
        lex, text = ctx.lexicon, ctx.text
        for m in _ELLIPSIS.finditer(text):
            head = m.group(3)[:-1]
            if not ctx.read.scoped(m.start()) or not lex.known(f"{m.group(2)} {head}"):
                continue
            for w in re.finditer(r"[a-z]+", m.group(1)):
                k = lex.known(f"{w.group(0)} {head}")
                if k is not None and w.group(0) not in _GENERIC:
                    yield Candidate(m.start(1) + w.start(), m.start(1) + w.end(), k, self.id)


_PLACE_BEFORE = re.compile(r"((?:[A-Z][\w’'\-]+[ \t]*\n?[ \t]*(?:and\s+)?){1,5})$")


class PlaceConcept:
    """A place or a body's name before a lower-case local concept: ``Kent and Medway
    multi-agency safeguarding hub``, ``Cumbria County Council adult social care`` are this
    area's (this council's) MASH and adult social care; ``Kent County Council children's and
    adult social care`` names the council's two services as one unit."""

    id = "entities.place-concept"
    kind = "entity"
    phase = "find"
    description = "'<Place or Name> <lower-case local concept>': this area's instance of the concept"
    emits = ("entities.place-concept",)

    def find(self, ctx: EntityContext) -> Iterator[Candidate]:
        """A candidate for each capitalised name before a lower-case local concept label."""
        lex, text = ctx.lexicon, ctx.text
        labels = sorted({lab for c in lex.concepts if c.scope == "local" for lab in (c.pref, *c.alts)
                         if lab == lab.lower() and " " in lab}, key=len, reverse=True)
        if not labels:
            return
        alts = "|".join(label_regex(x) for x in labels)
        rx = re.compile(rf"(?<![\w’'\-])(?:([a-z][\w’'\-]*)\s+and\s+)?((?:{alts}))(?![\w\-])")
        for m in rx.finditer(text):
            pm = _PLACE_BEFORE.search(text[max(0, m.start() - 80):m.start()].split("\n\n")[-1])
            if pm is None or not ctx.read.scoped(m.start()) or not m.group(2)[:1].islower():
                continue
            words = pm.group(1).split()
            start = m.start() - len(pm.group(1))
            while any(w in _STOP_START for w in words):  # the name begins after the last "The", "In" ...
                start = text.index(words[1], start + len(words[0])) if len(words) > 1 else m.start()
                words = words[1:]
            if not words or words[-1] == "and" or re.search(r"[’']s$", words[-1]):
                continue  # "the Council's children's services": the owner's phrase, not this area's instance
            name = re.sub(r"\s+", " ", text[start:m.end()])
            if m.group(1):  # "<Council> children's and adult social care": the council's two services as one
                head = re.sub(r"\s+", " ", m.group(2)).split(" ", 1)
                if len(head) < 2 or not lex.known(f"{m.group(1)} {head[1]}"):
                    continue
                yield Candidate(start, m.end(), lex.known(name) or lex.add_local(name, "unit"), self.id)
                continue
            key = lex.known(name) or _local_instance(lex, name)
            if key is not None:
                yield Candidate(start, m.end(), key, self.id)


# --------------------------------------------------------------------------- forces


class ForceList:
    """Place names of forces in ``A, B and C forces`` lists."""

    id = "entities.force-list"
    kind = "entity"
    phase = "find"
    description = "place names of forces in 'A, B and C forces' lists"
    emits = ("entities.force-list",)

    def find(self, ctx: EntityContext) -> Iterator[Candidate]:
        """A candidate for each place of such a list."""
        places = ctx.forces.place_pattern()
        for m in re.finditer(rf"((?:(?:{places}),?\s+)+(?:and\s+(?:{places})))\s+forces\b", ctx.text):
            if not ctx.read.scoped(m.start()):
                continue
            for pm in re.finditer(places, m.group(1)):
                yield Candidate(m.start(1) + pm.start(), m.start(1) + pm.end(), ctx.forces.places[pm.group(0)],
                                self.id)


class ForceCollaboration:
    """A collaboration named by two forces: ``A and B (strategic) alliance``."""

    id = "entities.force-collaboration"
    kind = "entity"
    phase = "find"
    description = "a collaboration named by two forces: 'A and B (strategic) alliance'"
    emits = ("entities.force-collaboration",)

    def find(self, ctx: EntityContext) -> Iterator[Candidate]:
        """A candidate for each naming; two namings of the same pair are one entity."""
        places, lex = ctx.forces.place_pattern(), ctx.lexicon
        pair_keys: dict[tuple[str, ...], str] = {}
        for m in re.finditer(rf"\b(({places})(?:\s+Police)?\s*(?:and|/)\s*({places})(?:\s+Police)?\s+"
                             rf"(?:strategic\s+)?(alliance|collaboration|partnership))\b", ctx.text):
            if not ctx.read.scoped(m.start()):
                continue
            label = re.sub(r"\s+", " ", m.group(1))
            pair = tuple(sorted((ctx.forces.places[m.group(2)], ctx.forces.places[m.group(3)]))) + (m.group(4),)
            if pair in pair_keys:
                key = pair_keys[pair]
                lex.alias(key, label, f"'{label}' names the same forces' {m.group(4)} as '{lex.drafts[key].label}'")
            else:
                key = pair_keys[pair] = lex.add_local(label, "collaboration")
            yield Candidate(m.start(1), m.end(1), key, self.id)


# --------------------------------------------------------------------------- lower-case bodies

_LOW_RX = re.compile(rf"\b{_DETERMINERS}\s+((?:[a-z][a-z\-’']+\s+){{1,4}}?(?:{_LOWER_HEADS})"
                     rf"(?:\s+(?:{_LOWER_HEADS}))?)\b")


def _trim_phrase(words: list[str], known: Callable[[str], str | None]) -> list[str]:
    """The words of a lower-case phrase that name the body: leading generic words dropped, then,
    unless the phrase is known as it is, ``force`` when two words remain (the force's own: ``force
    intelligence bureau`` is its ``intelligence bureau``) and a leading participle
    (``designated``, ``mapped``, ``enhanced``).

    Example:
        >>> _trim_phrase("the designated safer neighbourhood team".split(), lambda s: None)
        ['safer', 'neighbourhood', 'team']
        >>> _trim_phrase(["force", "intranet"], lambda s: None)
        ['force', 'intranet']
    """
    while words and (words[0] in _GENERIC or words[0] in _POSSESSIVES):
        words = words[1:]
    if known(" ".join(words)):
        return words
    while len(words) > 2 and words[0] == "force":
        words = words[1:]
    while words and words[0].endswith("ed") and len(words[0]) > 4:
        words = words[1:]
    return words


def _role_team(lex: Lexicon, words: list[str]) -> str | None:
    """``the chief officer team`` is the chief officers (a role's holders as a team).

    Example:
        >>> from peelgraph.extract.vocabulary import concepts
        >>> _role_team(Lexicon(concepts()), ["chief", "officer", "team"])
        'chief-officers'
    """
    if words[-1] not in ("team", "teams") or len(words) < 2:
        return None
    k = lex.known(" ".join(words[:-1]))
    return k if k is not None and lex.drafts[k].kind == "role" else None


def _phrase_kind(lex: Lexicon, words: list[str]) -> str:
    """The kind of a lower-case phrase: a unit when its words before the head name a unit (``the
    children's social care service``), else its head's kind."""
    inner = lex.known(" ".join(words[:-1])) if len(words) > 2 else None
    if inner is not None and lex.drafts[inner].kind == "unit":
        return "unit"
    return _HEADS.get(words[-1], "unit")


class NounPhrase:
    """Lower-case named bodies after a determiner (``the harm reduction hubs``)."""

    id = "entities.noun-phrase"
    kind = "entity"
    phase = "find"
    description = "lower-case 'modifier+ head' bodies after a determiner, no modifier generic"
    emits = ("entities.noun-phrase",)

    def find(self, ctx: EntityContext) -> Iterator[Candidate]:
        """A candidate for a known phrase, else a pending phrase the resolver decides."""
        text = ctx.text
        for m in _LOW_RX.finditer(text):
            if not ctx.read.scoped(m.start()):
                continue
            words = _trim_phrase(m.group(1).replace("’", "'").split(), ctx.lexicon.known)
            if (len(words) < 2 or any(w in _GENERIC or _JUDGED.fullmatch(w) for w in words[:-1])
                    or _NOT_BODY.search(" ".join(words)) or (len(words) == 2 and words[0] in _SOLE)):
                continue
            s = m.end(1) - len(" ".join(words))
            phrase = text[s:m.end(1)]
            known = ctx.lexicon.known(phrase) or _role_team(ctx.lexicon, words)
            if known:
                yield Candidate(s, m.end(1), known, self.id)
            elif re.search(r"[’']s\s+$", text[m.start():s]):
                # "the force's performance management framework": a body's own named thing
                yield Candidate(s, m.end(1), ctx.lexicon.add_local(phrase, _phrase_kind(ctx.lexicon, words)), self.id)
            else:
                yield Candidate(s, m.end(1), "", self.id, phrase=phrase)


def keeps_phrase(phrase: str, count: int) -> bool:
    """Whether a lower-case phrase names a body: it recurs, or its head is a named-body noun.

    Example:
        >>> keeps_phrase("harm reduction hubs", 1), keeps_phrase("community forums", 1)
        (True, False)
    """
    return count >= 2 or bool(_NAMED_BODY.search(phrase))


# --------------------------------------------------------------------------- refer rules (after resolution)


class Anaphor:
    """``the alliance`` (``strategic``/``formal alliance``) is the one kept entity with that head."""

    id = "entities.anaphor"
    kind = "entity"
    phase = "refer"
    description = "'the alliance', 'the hub' ... when exactly one kept entity has that head noun"
    emits = ("entities.anaphor",)

    def find(self, ctx: EntityContext) -> Iterator[Candidate]:
        """A mention (and an alias) for each anaphor in free text."""
        heads: dict[str, set[str]] = defaultdict(set)
        for k in sorted({m.key for m in ctx.kept}):
            d = ctx.lexicon.drafts.get(k)
            if d is None:
                continue
            for lab in (d.label, *d.aliases):
                hw = lab.lower().split()
                if len(hw) > 1 and hw[-1] in _ANAPHORA and _HEADS.get(hw[-1]) == d.kind:
                    heads[hw[-1]].add(k)
        text = ctx.text
        for head, keys in sorted(heads.items()):
            if len(keys) != 1:
                continue
            (k,) = keys
            for m in re.finditer(rf"\b(?:[Tt]he\s+|[Ss]trategic\s+|[Ff]ormal\s+|[Aa]\s+formal\s+)+({head})(?:[’']s)?\b",
                                 text):
                if ctx.read.scoped(m.start()) and ctx.occupied.free(m.start(), m.end()):
                    s = m.start()
                    if text[s:s + 4].lower() == "the ":
                        s += 4
                    ctx.lexicon.alias(k, text[s:m.end(1)], None)
                    yield Candidate(s, m.end(1), k, self.id)


class PhraseRepeat:
    """A lower-case body name the text keeps (``daily management meetings``) is also a mention
    where no determiner comes before it (``Daily management meetings in both forces are ...``,
    ``provides staff to youth diversion hubs``): the same words name the same thing."""

    id = "entities.phrase-repeat"
    kind = "entity"
    phase = "refer"
    description = "a kept lower-case name also where no determiner comes before it"
    emits = ("entities.phrase-repeat",)

    def find(self, ctx: EntityContext) -> Iterator[Candidate]:
        """A mention for each other occurrence of a kept lower-case name, in free text."""
        text = ctx.text
        for k in sorted({m.key for m in ctx.kept}):
            d = ctx.lexicon.drafts.get(k)
            if d is None or d.concept is not None or d.label != d.label.lower() or len(d.label.split()) < 2:
                continue
            first = d.label[0]
            rx = re.compile(rf"(?<![\w\-’'])([{first.upper()}{first}]{label_regex(d.label)[1:]})(?![\w\-])")
            for m in rx.finditer(text):
                if ctx.read.scoped(m.start(1)) and ctx.occupied.free(m.start(1), m.end(1)):
                    yield Candidate(m.start(1), m.end(1), k, self.id)


class ForceAnaphor:
    """``the force`` is the report's own force: an anaphoric mention, for relations only."""

    id = "entities.anaphor.force"
    kind = "entity"
    phase = "refer"
    description = "'the force' refers to the report's own force (kept for relations, not as evidence)"
    emits = ("entities.anaphor.force",)

    def find(self, ctx: EntityContext) -> Iterator[Candidate]:
        """An anaphoric mention for each ``the force`` in free text."""
        own = ctx.forces.own
        if not own:
            return
        for m in re.finditer(r"\b[Tt]he force\b(?![’']s)", ctx.text):
            if ctx.read.scoped(m.start()) and ctx.occupied.free(m.start(), m.end()):
                yield Candidate(m.start(), m.end(), own, self.id, anaphor=True)


_NOMINAL: dict[str, str] = dict(wl.wordlist("processes", "nominalisations").table)
_PROCESS = re.compile(
    r"\b(?P<subject>(?:[A-Z]?[a-z]+)(?: of [a-z]+)?)\s+(?:are|is)\s+(?:routinely\s+|then\s+|now\s+)?"
    rf"(?P<verb>{wl.alternation(_NOMINAL)})\b"
    r"(?=(?:\s+(?:to|for)\s+[a-z]+(?:\s+[a-z]+){0,3})?\s+(?:on the basis of|based on|using|according to)\b)")


class Process:
    """A process named by what is done with things on some basis: ``investigations are
    allocated to investigators on the basis of THRIVE`` names ``allocation of investigations``
    (whose basis the relation rules then find)."""

    id = "entities.process"
    kind = "entity"
    phase = "refer"
    description = "'investigations are allocated ... on the basis of' names the practice 'allocation of investigations'"
    emits = ("entities.process",)

    def find(self, ctx: EntityContext) -> Iterator[Candidate]:
        """A practice mention for each such clause in free text."""
        for m in _PROCESS.finditer(ctx.text):
            if ctx.read.scoped(m.start()) and ctx.occupied.free(m.start(), m.end("verb")):
                label = f"{_NOMINAL[m.group('verb').lower()]} of {m.group('subject').lower()}"
                yield Candidate(m.start(), m.end("verb"), ctx.lexicon.add_local(label, "practice"), self.id)


#: The entity rules in the order they run.
ENTITY_RULES: tuple[EntityRule, ...] = (
    NamedAs(), AcronymDefinition(), QuotedName(), Pooled(), Appositive(), CollaborationOf(), CountedGroup(),
    NamedUnit(),
    Gazetteer(), CapitalisedName(), Legislation(), RoleOf(), AcronymHead(), QuotedModifier(), Ellipsis(),
    PlaceConcept(), ForceList(), ForceCollaboration(), NounPhrase(), Anaphor(), PhraseRepeat(),
    ForceAnaphor(), Process(),
)
