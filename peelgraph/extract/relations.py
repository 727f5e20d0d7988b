"""Relations: typed, directed relations between entities, each stated by one sentence.

:func:`extract` reads every sentence of the read text in scope (running text and
footnotes) with the entity mentions in it, and runs the relation rules of
:data:`peelgraph.extract.rules.RELATION_RULES` on it, in order (see
:mod:`peelgraph.extract.rules.relations` for each rule's triggers; directions follow
``ontology/README.md``). A relation is kept once per sentence: the first rule that finds it
names its evidence. Relations to an entity that was not extracted, and a relation of an
entity to itself, are dropped. The evidence of a relation is its whole sentence.

Before the rules read a sentence, its mentions are prepared: a name used as a modifier
(``CSP managers``, ``the Gwent Police firearms unit``) or narrowed by a rank (``deputy chief
constable``), and two names run together with a space between, are left out (they name
something no entity is); ``the constabulary`` is the report's force; and references back are
resolved, conservatively (exactly one candidate, or nothing): an opening ``It``/``They`` is
the previous sentence's subject, an opening ``the unit``/``this team``/``the partnership``/
``the meeting`` the one mention of the sentence before with that head noun (or of that kind),
an opening ``This is ...`` the one practice it names, ``the unit`` inside a sentence the
previous sentence's subject when that is a unit, an ``it`` that does something inside a
sentence the sentence's subject (or, in a sentence naming none, the subject of the clause the
sentence before reports: ``HMIC learned that the alliance ...``), and an opening plural noun
phrase (``Such orders are ...``) each thing of the one coordinated list with that head noun in
the three sentences before (the rules then read the sentence once per thing).

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

import re
from collections.abc import Collection, Sequence
from dataclasses import replace

from peelgraph.extract import wordlists as wl
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


_ANAPHORA = wl.wordlist("hedges", "anaphora")
_HEAD_KINDS: dict[str, tuple[str, ...]] = {}
for _kind in ("unit", "collaboration", "practice", "force"):
    for _w in _ANAPHORA.table[_kind]:
        _HEAD_KINDS[_w] = (*_HEAD_KINDS.get(_w, ()), _kind)
_OPENER = re.compile(r"(?P<intro>(?:[A-Z][\w’'-]*(?:\s+[\w’'-]+){0,4},\s*)?)(?:(?:the|this|that|these|such)\s+"
                     r"(?-i:[a-z][\w-]*\s+)?"  # a lower-case modifier (``The Matrix unit`` is a name)
                     r"(?P<head>" + wl.alternation(sorted(_HEAD_KINDS, key=len, reverse=True)) + r")s?"
                     r"|(?P<pron>" + wl.alternation(_ANAPHORA.words) + r")"
                     r"|(?P<this>this)(?=\s+(?:is|was|has|had|takes|took)\b))\b", re.I)


def _label_head(label: str) -> str:
    """The last word of a label, singular and lower case (``Harm reduction hubs`` -> ``hub``)."""
    words = re.findall(r"[\w-]+", label.lower())
    w = words[-1] if words else ""
    return w[:-1] if w.endswith("s") and not w.endswith("ss") else w


def _antecedent(s: Sentence, head: str | None) -> str | None:
    """The entity a sentence-initial pronoun (``head`` None) or ``the <head>`` refers to, from the
    sentence before (or the one before that when it names nothing): its subject for a pronoun;
    the one mention with that head noun, or else the one mention of a kind the head names, for
    a noun. None when it is not exactly one."""
    prev = s.prev
    if prev is not None and not prev.ms and prev.prev is not None:
        prev = prev.prev
    if prev is None:
        return None
    if head is None:
        subj = prev.subject()
        return subj.key if subj is not None and prev.kind(subj.key) != "role" else None
    same = {m.key for m in prev.ms if _label_head(prev.entities[m.key].label) == head}
    if len(same) == 1:
        return same.pop()
    if same:
        return None
    kinds = set(_HEAD_KINDS.get(head, ())) - {"practice", "force"}
    of_kind = {m.key for m in prev.ms if prev.kind(m.key) in kinds}
    return of_kind.pop() if len(of_kind) == 1 else None


def _this(s: Sentence) -> str | None:
    """What an opening ``This is | has ...`` refers to: the one practice or programme the sentence
    before names (``... a triple-lock process. This is conducted by ...``), or, for ``This is a
    <collaboration noun>`` (``This is a mature arrangement``), the one collaboration it names;
    else None."""
    prev = s.prev
    if prev is None:
        return None
    named = re.match(r"\s*This\s+(?:is|was)\s+(?:an?|the)\s+(?:[a-z-]+\s+)?(?P<head>[a-z]+)\b", s.text)
    if named and "collaboration" in _HEAD_KINDS.get(named.group("head"), ()):
        # ``This is a mature arrangement``: the one collaboration the sentence before names
        colls = {m.key for m in prev.ms if prev.kind(m.key) == "collaboration"}
        return colls.pop() if len(colls) == 1 else None
    keys = {m.key for m in prev.ms if prev.kind(m.key) in {"practice", "programme"}}
    return keys.pop() if len(keys) == 1 else None


_BACK = re.compile(r"(?<=\s)the (?P<head>unit|team|hub|partnership|board|forum|meeting|panel|group)\b(?![’'])")
_THESE = re.compile(r"(?<=\s)(?:these|this|such) "
                    r"(?P<head>unit|team|hub|partnership|board|forum|meeting|panel|group)s?\b(?![’'])", re.I)


_IT = re.compile(r"(?<=\s)it\s+(?=(?:(?:has|have|had|also|now|then|still)\s+){0,2}"
                 r"(?:work|use|share|run|lead|provide|fund|support|rel|depend|take|took|chair|commission|hold"
                 r"|collaborat|liais)\w*\b)")
_AGENT_KINDS = frozenset({"force", "organisation", "collaboration", "unit"})


_REPORTED = re.compile(r"\s*(?:[A-Z][\w’'-]*(?:\s+[\w’'-]+){0,4},\s*)?(?:HMIC\w*|[Ww]e|[Ii]nspectors)\s+"
                       r"(?:\w+\s+){0,2}?(?:learned|learnt|found|noted|observed|saw|heard|established|told|was told|"
                       r"were told)\s+(?:\w+\s+)?that\s+(?:the\s+)?$")


def _reported_subject(prev: Sentence) -> Mention | None:
    """The subject of the clause an inspectorate reports (``HMIC learned that the alliance has
    ...``: the alliance), or None."""
    for m in prev.ms:
        if _REPORTED.fullmatch(prev.text[:prev.rel(m)[0]]):
            return m
    return None


def _it(s: Sentence) -> Sentence:
    """The sentence with a mention for an ``it`` inside it that does something (``... and it has
    worked with care homes``): the sentence's own subject, or, when the sentence opens with
    ``Its`` or with no name (``These cover the ways that it works with ...``), the subject of the
    sentence before (of the clause it reports: ``HMIC learned that the alliance ...``);
    unchanged otherwise."""
    subj = s.subject()
    after = s.rel(subj)[1] if subj is not None else 0
    if subj is None and re.match(r"\s*Its\b", s.text) and s.prev is not None:
        subj = s.prev.subject()
    elif subj is None and s.prev is not None and re.match(r"\s*(?:These|This|They|Those)\b", s.text):
        subj = _reported_subject(s.prev)
    if subj is None or s.kind(subj.key) not in _AGENT_KINDS:
        return s
    extra = [Mention(s.span.nstart + m.start(), s.span.nstart + m.start() + 2, subj.key, "relations.anaphor", True)
             for m in _IT.finditer(s.text) if after <= m.start()]
    return replace(s, ms=tuple(sorted((*s.ms, *extra), key=lambda x: (x.nstart, x.nend)))) if extra else s


def _refer_back(s: Sentence) -> Sentence:
    """The sentence with a mention for ``the unit`` (``the team``, ``the hub`` ...) inside it
    when the sentence before has a subject with that head noun (``The digital forensics unit
    is ... A and B fund the unit``), and for ``these teams`` (``this unit``, ``such boards``)
    when the sentence before names exactly one thing with that head noun; unchanged otherwise."""
    prev = s.prev
    extra = []
    if prev is not None:  # ``these teams``: the one mention of the sentence before with that head noun
        for m in _THESE.finditer(s.text):
            a, b = s.span.nstart + m.start(), s.span.nstart + m.end()
            keys = {x.key for x in prev.ms if _label_head(prev.entities[x.key].label) == m.group("head").lower()}
            if len(keys) == 1 and not any(x.nstart < b and a < x.nend for x in s.ms):
                extra.append(Mention(a, b, keys.pop(), "relations.anaphor", True))
    subj = prev.subject() if prev is not None else None
    if prev is None or subj is None:
        return replace(s, ms=tuple(sorted((*s.ms, *extra), key=lambda x: (x.nstart, x.nend)))) if extra else s
    for m in _BACK.finditer(s.text):
        a, b = s.span.nstart + m.start(), s.span.nstart + m.end()
        if _label_head(prev.entities[subj.key].label) == m.group("head") and \
                not any(x.nstart < b and a < x.nend for x in s.ms):
            extra.append(Mention(a, b, subj.key, "relations.anaphor", True))
    return replace(s, ms=tuple(sorted((*s.ms, *extra), key=lambda x: (x.nstart, x.nend)))) if extra else s


def _resolve(s: Sentence) -> Sentence:
    """The sentence with a mention for its opening pronoun or ``the <head noun>`` when that
    resolves (``the force``/``the constabulary``: the report's force); unchanged otherwise."""
    m = _OPENER.match(s.text)
    if m is None or re.match(r"[’']s?\b", s.text[m.end():m.end() + 2]):
        return s  # ``The force's plan``: the plan is the subject
    start = m.end("intro")
    covering = [x for x in s.ms if s.rel(x)[0] <= start < s.rel(x)[1] or start <= s.rel(x)[0] < m.end()]
    head = (m.group("head") or "").lower() or None
    if covering and not (head and len(covering) == 1 and covering[0].rule == "entities.anaphor"):
        return s
    if head is not None and "force" in _HEAD_KINDS.get(head, ()):
        key = s.force_key if head in {"force", "constabulary"} else None
    elif m.group("this"):
        key = _this(s)
    else:
        key = _antecedent(s, head)
    if key is None or key not in s.entities:
        return s
    # the nearest compatible mention (the sentence before) wins over the one entity with that head
    mention = Mention(s.span.nstart + start, s.span.nstart + m.end(), key, "relations.anaphor", True)
    ms = tuple(x for x in s.ms if x not in covering) if covering else s.ms
    return replace(s, ms=tuple(sorted((*ms, mention), key=lambda x: (x.nstart, x.nend))))


_PLURAL_OPENER = re.compile(r"\s*(?:(?:These|Such|The|Both|All)\s+(?:of\s+these\s+)?)?(?:[A-Za-z][a-z-]+\s+){0,2}?"
                            r"(?P<head>[a-z][a-z-]*[^s\W]s)\b(?=\s+(?:are|were|have|had|can|must|may|is)\b)")
_LINK = re.compile(r"\)?\s*(?:\([^()]*\)\s*)?(?:,\s*|,?\s*and\s+|,?\s*or\s+)(?:the\s+)?")


def _plural_antecedents(s: Sentence) -> tuple[int, int, list[str]] | None:
    """What an opening plural noun phrase refers back to (``Such orders are managed by ...`` after
    ``A orders (AOs) and B orders (BOs)``): the things of one coordinated list, in one of the three
    sentences before, whose names end in the same head noun, when the list is all the mentions
    with that head there; a sentence that names the list's class (``Both of these are prohibition
    orders``) points to the list before it. None otherwise (or when a name covers the phrase)."""
    m = _PLURAL_OPENER.match(s.text)
    if m is None or any(s.rel(x)[0] < m.end("head") for x in s.ms):
        return None
    head = _label_head(m.group("head"))
    named = re.compile(r"\s*(?:Both of (?:these|them)|All of (?:these|them)|Both|These|They)\s+are\s+(?:all\s+)?"
                       rf"(?:[a-z-]+\s+){{0,2}}?{re.escape(m.group('head'))}\b", re.I)
    prev, n = s.prev, 0
    while prev is not None and n < 3:
        if named.match(prev.text) and prev.prev is not None:
            prev, n = prev.prev, 2  # ``Both of these are prohibition orders``: the list before it, last look
        same: list[Mention] = []
        for x in prev.ms:
            if _label_head(prev.entities[x.key].label) == head:
                if same and same[-1].key == x.key and x.nstart - same[-1].nend <= 3:
                    x = Mention(same.pop().nstart, x.nend, x.key, x.rule, x.anaphor)  # ``long form (ACR)``
                same.append(x)
        if same:
            keys = list(dict.fromkeys(x.key for x in same))
            linked = all(_LINK.fullmatch(prev.text[prev.rel(a)[1]:prev.rel(b)[0]])
                         for a, b in zip(same, same[1:], strict=False))
            if len(keys) < 2 or not linked:
                return None
            lead = len(m.group(0)) - len(m.group(0).lstrip())
            return s.span.nstart + lead, s.span.nstart + m.end("head"), keys
        prev, n = prev.prev, n + 1
    return None


_MODIFIED = wl.wordlist("hedges", "modified-mentions")
_MOD_AFTER = re.compile(rf"[’']?\s+(?:{wl.alternation(_MODIFIED.table['after'])})\b", re.I)
_MOD_UNIT = re.compile(rf"\s+(?:{wl.alternation(_MODIFIED.table['unit'])})\b", re.I)
_MOD_BEFORE = re.compile(rf"\b(?:{wl.alternation(_MODIFIED.table['before'])})\s+$", re.I)


def _modifier(text: str, m: Mention, start: int) -> bool:
    """Whether a mention modifies the noun after it (``CSP managers``) or is narrowed by a rank
    before it (``deputy chief constable``): then it names something else.

    Example:
        >>> t = "The CSP managers met the deputy chief constable."
        >>> _modifier(t, Mention(4, 7, "csp"), 0), _modifier(t, Mention(32, 46, "chief-constable"), 0)
        (True, True)
    """
    a, b = m.nstart - start, m.nend - start
    if _MOD_AFTER.match(text, b) and not re.match(r"[’']s\b", text[b:b + 2]):
        return True
    if not m.anaphor and _MOD_UNIT.match(text, b) and re.search(r"\b(?:the|a|an|its|their)\s+$", text[max(0, a - 6):a],
                                                                 re.I):
        return True  # ``the Gwent Police firearms unit``
    return bool(_MOD_BEFORE.search(text[max(0, a - 12):a]))


def _constabulary(text: str, start: int, ms: tuple[Mention, ...], force: str | None) -> tuple[Mention, ...]:
    """The mentions with ``the constabulary`` (not a possessive) as the report's force, where no
    mention covers it; like ``the force``, it refers to the force inspected.

    Example:
        >>> [m.key for m in _constabulary("It is run by the constabulary.", 0, (), "kent-police")]
        ['kent-police']
    """
    if force is None:
        return ms
    extra = [Mention(start + m.start(), start + m.end(), force, "relations.anaphor", True)
             for m in re.finditer(r"\b[Tt]he constabulary\b(?![’']s)", text)
             if not any(x.nstart < start + m.end() and start + m.start() < x.nend for x in ms)]
    return tuple(sorted((*ms, *extra), key=lambda x: (x.nstart, x.nend))) if extra else ms


def _uncompounded(text: str, start: int, ms: tuple[Mention, ...]) -> tuple[Mention, ...]:
    """The mentions without those that run into the next one with only a space between
    (``Cumbria County Council adult social care``): together they name something no entity is.

    Example:
        >>> t = "The County Council adult social care team"
        >>> [m.key for m in _uncompounded(t, 0, (Mention(4, 18, "council"), Mention(19, 36, "asc")))]
        []
    """
    drop: set[int] = set()
    for i in range(len(ms) - 1):
        a, b = ms[i], ms[i + 1]
        if a.key != b.key and b.nstart > a.nend and not (a.anaphor or b.anaphor) \
                and re.fullmatch(r"[ \t]+", text[a.nend - start:b.nstart - start]) \
                and not re.match(r"(?:the|a|an|its|their|this|these)\b", text[b.nstart - start:], re.I):
            drop |= {i, i + 1}
    return tuple(m for i, m in enumerate(ms) if i not in drop)


def _variants(s: Sentence) -> list[Sentence]:
    """The sentence as the rules read it: once, or, when it opens with a plural noun phrase that
    refers back to a list (:func:`_plural_antecedents`), once for each thing of the list."""
    found = _plural_antecedents(s)
    if found is None:
        return [s]
    a, b, keys = found
    return [replace(s, ms=tuple(sorted((*s.ms, Mention(a, b, k, "relations.anaphor", True)),
                                       key=lambda x: (x.nstart, x.nend)))) for k in keys]


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
        text = read.text[span.nstart:span.nend]
        ms = _uncompounded(text, span.nstart, tuple(m for m in _dedupe(ents.in_span(span.nstart, span.nend))
                                                    if m.key in entities and not _modifier(text, m, span.nstart)))
        ms = _constabulary(text, span.nstart, ms, ents.force_key if ents.force_key in entities else None)
        s = _it(_refer_back(_resolve(Sentence(span, text, ms, entities, ents.force_key, prev))))
        section = st.section_at(span.start)
        for variant in _variants(s):
            for rule in active:
                for f in rule.find(variant):
                    if f.subject == f.object or f.subject not in entities or f.object not in entities:
                        continue
                    key = (f.subject, f.type, f.object, span.start)
                    if key not in out:
                        out[key] = Relation(f.subject, f.type, f.object, doc.evidence(span, f.rule, section))
        prev = s
    return tuple(out[k] for k in sorted(out, key=lambda k: (k[3], k[0], k[1], k[2])))
