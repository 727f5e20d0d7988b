"""Entities: organisations, collaborations, units, programmes, practices, powers, systems
and roles named in a report, each with every mention as evidence.

General rules (never one report's wording), applied in this order:

* **text units**: the running text (``Document.norm``) and the footnotes (their original
  text, newlines read as spaces, so offsets map one to one) form one virtual text with one
  offset map; only the overview and the core-question sections (and the footnotes
  referenced from them) are read when the template gives them, because the introduction,
  "next steps" and the annexes are the inspectorate's boilerplate;
* **acronym definitions**: ``long form (ACR)`` (the Schwartz-Hearst match of the acronym's
  letters against the words before it), ``ACR (long form)``, and ``X known as / called
  'Y'`` namings; plural acronyms (``DAROs``) and a second, different expansion of the
  same acronym resolve to one entity, with a note saying why;
* **the concept vocabulary** (``ontology/concepts.ttl``, read by :mod:`peelgraph.extract.vocabulary`):
  every prefLabel and altLabel is a gazetteer pattern; acronyms and proper names (labels
  with a capital) match case-sensitively, lower-case long forms case-insensitively, with
  plurals, hyphen/space variants and both apostrophes;
* **organisation names**: capitalised phrases ending in a head noun (``Police``,
  ``Service``, ``Agency``, ``Unit``, ``Team``, ``Centre`` ...) or headed by ``Ministry of``,
  ``Department for``, ``College of`` ...; the 43 forces of ``ontology/forces.ttl``; bare
  place names of forces only in ``A, B and C forces`` lists; a collaboration named by two
  forces (``A and B alliance``);
* **lower-case named bodies**: ``modifier+ head`` noun phrases whose head is a body,
  programme or system noun (``harm reduction hubs``, ``crime management system``), only
  after a determiner and only when a modifier is not a generic word;
* **anaphora**: ``the alliance`` (and ``strategic``/``formal alliance``) refer to the one
  entity whose label has that head noun, only when exactly one candidate exists; ``the
  force`` is the report's own force (kept as an anaphoric mention for relations only).

Overlapping candidates are resolved leftmost-longest. Unknown is better than wrong: an
acronym definition whose long form has no recognised head noun (a crime type, an outcome)
makes no entity unless the vocabulary knows it.

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
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from peelgraph.extract.structure import Structure
from peelgraph.extract.vocabulary import Concept
from peelgraph.extract.vocabulary import concepts as concepts_
from peelgraph.extract.vocabulary import forces as forces_
from peelgraph.model import Entity, Evidence
from peelgraph.text.layout import Document, Span
from peelgraph.text.sentences import split as split_sentences

__all__ = ["Mention", "EntitySet", "Unit", "extract", "acronym_definitions",
           "long_form_for", "slug", "label_key"]


# Head nouns of names and the kind they give (the last word of a long form or a name).
_HEADS: dict[str, str] = {}
for _kind, _words in {
    "organisation": "police constabulary service services agency office council authority authorities "
                    "department ministry commission inspectorate university college association company "
                    "trust directorate executive court courts charity commissioner's",
    "collaboration": "partnership partnerships hub hubs forum forums board boards alliance group groups "
                     "panel panels network arrangements collaboration conference conferences "
                     "consortium",
    "unit": "unit units team teams bureau squad squads department's centre centres desk cell",
    "programme": "programme programmes project projects initiative initiatives plan plans strategy scheme "
                 "schemes operation",
    "practice": "model models process processes assessment assessments framework frameworks checklist "
                "approach methodology profile profiles requirement principles code meeting meetings "
                "mapping review reviews",
    "legal-power": "order orders notice notices power powers injunction injunctions warrant warrants",
    "information-system": "system systems database computer intranet repository",
    "role": "officer officers adviser advisers advisor advisors coordinator coordinators co-ordinator "
            "co-ordinators manager managers constable constables investigator investigators commissioner "
            "commissioners director inspector lead leads",
}.items():
    for _w in _words.split():
        _HEADS[_w] = _kind

# Capitalised head nouns that end an organisation name.
_NAME_HEADS = ("Police|Constabulary|Service|Services|Agency|Office|Council|Authority|Unit|Team|Hub|Centre|"
               "Partnership|Board|Forum|Group|Panel|Programme|Project|Network|Directorate|Commission|"
               "Inspectorate|University|College|Trust|Company|Bureau|Squad|Department|Court|Alliance|"
               "Initiative|Scheme|Executive|Association")
_NAME_FIRST = ("Ministry|Department|Office|College|Association|Inspectorate|Commission|Council|Board|"
               "Institute|Crown|Chartered")
_STOP_START = frozenset(
    [
        "The", "A", "An", "This", "That", "These", "Those", "Each", "Every", "In", "On", "At", "Of", "For",
        "From", "To", "By", "With", "Within", "Across", "Its", "Their", "Our", "Some", "Many", "Most", "All",
        "Both", "Any", "No", "Where", "When", "While", "Although", "Because", "However", "Overall", "Further",
        "Additionally", "It", "We", "They", "He", "She", "There", "Through", "During", "Following", "After",
        "Before", "As", "If", "Since", "Also", "Under", "And", "But", "Or", "Her", "His", "Such", "Other",
        "Another", "Several", "Two", "Three", "Four", "Five", "New", "Daily", "Monthly", "Weekly", "Annual",
        "Does", "Do", "Is", "Are", "Has", "Have", "How", "What", "Why", "Which", "Good", "Ungraded",
        "Outstanding", "Requires", "Inadequate", "Adequate", "Summary", "Figure", "Table", "Annex", "Overview",
        "Then", "Not", "Only", "Like", "Including", "Working", "Using",
    ]
)
# Generic modifiers that never make a lower-case phrase a name.
_GENERIC = frozenset(
    [
        "new", "same", "other", "whole", "own", "different", "separate", "various", "several", "many", "some",
        "all", "any", "each", "every", "this", "that", "these", "those", "its", "their", "our", "his", "her", "a",
        "an", "the", "one", "two", "three", "four", "five", "specialist", "dedicated", "relevant", "appropriate",
        "existing", "current", "previous", "further", "additional", "particular", "specific", "local", "wider",
        "single", "central", "force's", "alliance's", "more", "most", "good", "effective", "such", "and", "or",
        "of", "for", "to", "with", "in", "on", "by", "at", "from", "as", "which", "who", "that", "what", "where",
        "when", "well", "not", "no", "does", "do", "is", "are", "was", "were", "has", "have", "had", "be", "been",
        "provide", "provides", "provided", "use", "uses", "used", "make", "makes", "made", "include", "includes",
        "including", "help", "helps", "support", "supports", "supported", "work", "works", "working", "take",
        "takes", "also", "now", "there", "than", "then", "into", "its", "it",
    ]
)
_DETERMINERS = (r"(?i:the|a|an|its|their|two|three|four|our|this|these|each|every|both|several|all|his|her|"
                r"(?:the\s+)?(?:force|alliance|forces|partnership|region)[’']s)")
_LOWER_HEADS = ("hub|hubs|unit|units|team|teams|board|boards|group|groups|panel|panels|programme|programmes|"
                "project|projects|system|systems|forum|forums|partnership|partnerships|bureau|intranet|"
                "repository hub|meeting|meetings|action plan|centre|centres")
# Phrases with a body noun that name a kind of crime or a generic system, not a body.
_NOT_BODY = re.compile(r"\bcrime groups?$|\bjustice system$|\bcriminal groups?$|\bgangs?$|\bpeer groups?$|"
                       r"\bage groups?$|\bsupport system$|\bvictims?'? groups?$")
_ANAPHORA = ("alliance", "partnership", "hub", "forum", "board", "programme", "panel", "collaboration")


@dataclass(frozen=True, order=True)
class Mention:
    """One mention of an entity, in the virtual text (``EntitySet.unit``) coordinates."""

    nstart: int
    nend: int
    key: str
    rule: str = "entities.gazetteer"
    anaphor: bool = False


@dataclass(frozen=True)
class Unit:
    """The virtual text: the running text, then the footnotes, with one map to the original.

    ``sentences`` are spans of the virtual text (nstart/nend) with original offsets.
    ``questions`` gives, per sentence index, the core question it belongs to.
    """

    text: str
    omap: tuple[int, ...]
    sentences: tuple[Span, ...]
    norm_length: int
    in_scope: tuple[tuple[int, int], ...]

    def span(self, nstart: int, nend: int) -> Span:
        """Map a virtual span to the original, trimming whitespace."""
        while nstart < nend and self.text[nstart].isspace():
            nstart += 1
        while nend > nstart and self.text[nend - 1].isspace():
            nend -= 1
        if nstart >= nend:
            return Span(nstart, nstart, self.omap[nstart], self.omap[nstart])
        return Span(nstart, nend, self.omap[nstart], self.omap[nend - 1] + 1)

    def scoped(self, n: int) -> bool:
        """Whether a virtual offset lies in the part of the report that is read."""
        return any(a <= n < b for a, b in self.in_scope)


@dataclass(frozen=True)
class EntitySet:
    """Entities found in a report, and every mention (the virtual text's coordinates)."""

    entities: tuple[Entity, ...] = ()
    mentions: tuple[Mention, ...] = ()
    unit: Unit | None = None
    force_key: str | None = None

    @property
    def by_key(self) -> dict[str, Entity]:
        """Entities by key."""
        return {e.key: e for e in self.entities}

    def in_span(self, nstart: int, nend: int) -> list[Mention]:
        """Mentions lying inside a virtual span, in text order."""
        i = bisect.bisect_left(self.mentions, Mention(nstart, nstart, ""))
        out = []
        while i < len(self.mentions) and self.mentions[i].nstart < nend:
            if self.mentions[i].nend <= nend:
                out.append(self.mentions[i])
            i += 1
        return out


# --------------------------------------------------------------------------- vocabulary


def is_acronym(label: str) -> bool:
    """A single token with two or more capitals or a digit (``MASH``, ``MoRiLE``, ``4P``).

    Example:
        >>> is_acronym("MoRiLE"), is_acronym("Athena"), is_acronym("local council")
        (True, False, False)
    """
    return not re.search(r"\s", label) and (sum(ch.isupper() for ch in label) >= 2
                                            or any(ch.isdigit() for ch in label))


def label_key(label: str) -> str:
    """The key two labels share when they name the same thing: case kept for acronyms,
    otherwise lower case, apostrophes, hyphens and whitespace unified, a plural 's' dropped.

    Example:
        >>> label_key("Harm reduction-hubs") == label_key("harm reduction hub")
        True
        >>> label_key("DAROs") == label_key("DARO"), label_key("CSP") == label_key("Csp")
        (True, False)
    """
    s = label.strip().replace("’", "'").replace("‘", "'").strip("'\"")
    s = re.sub(r"(?<=\w)'(?=s\b)|(?<=s)'(?!\w)", "", s)
    if is_acronym(s) or is_acronym(s[:-1]):
        return re.sub(r"(?<=[A-Z0-9])s$", "", s)
    s = re.sub(r"[\s\-/]+", " ", s.lower())
    s = re.sub(r"^(the|a|an) ", "", s)
    words = s.split(" ")
    last = words[-1]
    if last.endswith("ies") and len(last) > 4:
        last = last[:-3] + "y"
    elif re.search(r"(ss|sh|ch|x)es$", last):
        last = last[:-2]
    elif last.endswith("s") and not last.endswith(("ss", "us", "is")) and len(last) > 3:
        last = last[:-1]
    words[-1] = last
    return " ".join(words)


def slug(label: str) -> str:
    """A key for an entity found only in the text.

    Example:
        >>> slug("Hill Street Project"), slug("children’s services")
        ('hill-street-project', 'childrens-services')
    """
    s = label.lower().replace("’", "").replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def _label_regex(label: str) -> str:
    """A regex for a label: flexible whitespace/hyphens, both apostrophes, plural endings."""
    s = label.strip()
    parts = re.split(r"[\s\-]+", s)
    out = []
    for p in parts:
        out.append(re.sub(r"['’]", "['’]", re.escape(p)))
    rx = r"[\s\-]+".join(out)
    if is_acronym(s):
        return rx + r"s?"
    last = parts[-1]
    if last.endswith("y") and not last.endswith(("ay", "ey", "oy")):
        return rx[:-1] + r"(?:y|ies)"
    return rx + r"(?:s|es)?"


# --------------------------------------------------------------------------- the virtual text


def build_unit(doc: Document, st: Structure) -> Unit:
    """The running text and the footnotes as one virtual text, with the read scope."""
    text = doc.norm
    omap = list(doc.omap[:-1])  # without the end sentinel: footnote text is appended after the running text
    sentences = list(doc.sentences)
    norm_len = len(text)
    ranges = [(a, b) for _, a, b in st.question_ranges]
    scope: list[tuple[int, int]] = ranges[:] if ranges else [(0, norm_len)]
    chunks = [text]
    pos = norm_len
    for fb in doc.footnotes:
        body = doc.text[fb.start:fb.end].replace("\n", " ")
        chunks.append("\n\n")
        omap.extend([fb.start] * 2)
        pos += 2
        fstart = pos
        chunks.append(body)
        omap.extend(range(fb.start, fb.end))
        pos += len(body)
        for a, b in ((fstart + x, fstart + y) for x, y in split_sentences(body)):
            sp = Span(a, b, omap[a], omap[b - 1] + 1)
            sentences.append(sp)
        if ranges:
            at = fb.reference if fb.reference is not None else fb.start
            nref = bisect.bisect_left(doc.omap, at)
            if any(a <= nref < b for a, b in ranges):
                scope.append((fstart, pos))
        elif not ranges:
            scope.append((fstart, pos))
    chunks.append(" ")
    omap.append(omap[-1] if omap else 0)
    return Unit("".join(chunks), tuple(omap), tuple(sorted(sentences)), norm_len, tuple(scope))


# --------------------------------------------------------------------------- acronym definitions


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
    cand = words[-max_words:]
    text = " ".join(cand)
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
    lf = text[start:].strip(" ,;")
    lw = lf.split()
    if not lw or lw[0].lower() in {"the", "a", "an", "of", "and", "its", "their", "to", "with", "for"}:
        lw = lw[1:]
    lf = " ".join(lw)
    if len(lw) < 1 or len(lw) > 2 * len(letters) + 1 or lf.lower() == acr.lower():
        return None
    if lw[0][0].lower() != letters[0]:
        return None
    return lf


_QUOTED = re.compile(r"[‘“']([a-z][a-z\- ]{3,60} (?:manager|officer|coordinator|co-ordinator|team|unit|hub|"
                     r"panel|board|group|programme|project|lead|adviser|advisor|champion|desk))[’”]")
_PAREN_ACR = re.compile(r"\(([A-Z][A-Za-z0-9&]*[A-Z0-9](?:s)?|[0-9][A-Z][a-z]?s?)\)")
_ACR_PAREN = re.compile(r"(?<![\w-])([A-Z][A-Za-z0-9]*[A-Z](?:s)?)\s+\(([a-z][^()]{3,90})\)")
_NAMED = re.compile(
    r"\b(team|unit|programme|project|model|process|system|scheme|initiative|hub|meeting|panel|group|"
    r"board|network|operation|arrangement|approach|framework|tool)(?:\s+of\s+\w+)?\s+(?:is\s+)?"
    r"(?:called|known as|named)\s+"
    r"(?:the\s+)?[‘'“\"]?([A-Za-z0-9][\w\-]*(?:\s+[A-Z0-9][\w\-]*)*)[’'”\"]?"
)


@dataclass
class _Cand:
    label: str
    kind: str
    aliases: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    concept: Concept | None = None
    defn: tuple[str, Span] | None = None
    strong: set[str] = field(default_factory=set)  # labels matched case-sensitively


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
                hm = re.match(r" (teams?|units?|hubs?|boards?|panels?|groups?|programmes?|orders?|notices?)\b",
                              text[m.end():m.end() + 20])
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


# --------------------------------------------------------------------------- extraction


_NOMINAL = {"allocated": "allocation", "assigned": "assignment", "prioritised": "prioritisation",
            "prioritized": "prioritisation", "triaged": "triage", "graded": "grading", "tasked": "tasking",
            "deployed": "deployment"}
_PROCESS = re.compile(
    r"\b(?P<subject>(?:[A-Z]?[a-z]+)(?: of [a-z]+)?)\s+(?:are|is)\s+(?:routinely\s+|then\s+|now\s+)?"
    r"(?P<verb>allocated|assigned|prioriti[sz]ed|triaged|graded|tasked|deployed)\b"
    r"(?=(?:\s+(?:to|for)\s+[a-z]+(?:\s+[a-z]+){0,3})?\s+(?:on the basis of|based on|using|according to)\b)")


def extract(doc: Document, st: Structure) -> EntitySet:
    """Find the entities a report names, with every mention as evidence."""
    unit = build_unit(doc, st)
    text = unit.text
    concepts = concepts_()
    concept_by_key = {c.key: c for c in concepts}
    by_label: dict[str, Concept] = {}
    for c in concepts:
        for lab in (c.pref, *c.alts):
            by_label.setdefault(label_key(lab), c)
    cands: dict[str, _Cand] = {}
    lex: dict[str, str] = {}  # label key -> entity key

    def ensure_concept(c: Concept) -> str:
        if c.key not in cands:
            cands[c.key] = _Cand(c.pref, c.kind, concept=c)
            for lab in (c.pref, *c.alts):
                lex.setdefault(label_key(lab), c.key)
        return c.key

    def add_local(label: str, kind: str) -> str:
        k = lex.get(label_key(label))
        if k:
            return k
        k = slug(label)
        if k not in cands:
            cands[k] = _Cand(label, kind)
        lex[label_key(label)] = k
        return k

    def known(label: str) -> str | None:
        k = lex.get(label_key(label))
        if k is None and label_key(label) in by_label:
            k = ensure_concept(by_label[label_key(label)])
        return k

    def alias(key: str, label: str, note: str | None = None) -> None:
        lk = label_key(label)
        other = lex.get(lk)
        if other and other != key:
            return
        lex[lk] = key
        c = cands[key]
        if label_key(c.label) != lk:
            c.aliases.add(label)
        if note and note not in c.notes:
            c.notes.append(note)

    # 1. the report's own force and the other forces
    forces = forces_()
    force_key = st.meta.force_slug if st.meta.force_slug else None
    force_names: dict[str, str] = {}
    for fslug, name, falts in forces:
        for n in (name, *falts):
            if " " in n or n.isupper():
                force_names[n] = fslug
    for fslug, name, _ in forces:
        lex[label_key(name)] = fslug
    force_places = {re.sub(r"\s+(Police|Constabulary|Police Service)$", "", name): fslug
                    for fslug, name, _ in forces}

    # 2. acronym definitions and namings in the text (in scope)
    defined: dict[str, str] = {}  # acronym key -> entity key
    for m in _NAMED.finditer(text):
        if not unit.scoped(m.start()):
            continue
        name = m.group(2).strip()
        if label_key(name) in lex or by_label.get(label_key(name)):
            continue
        kind = _HEADS.get(m.group(1).lower(), "practice")
        if len(name) < 2 or name.lower() in _GENERIC:
            continue
        key = add_local(name, kind)
        cands[key].strong.add(name)
        defined[label_key(name)] = key
    for acr, lf, a, _ in acronym_definitions(text):
        if not unit.scoped(a):
            continue
        concept = by_label.get(label_key(acr)) or by_label.get(label_key(lf))
        ak = label_key(acr)
        if ak in defined:
            key = defined[ak]
            cand = cands[key]
            if label_key(lf) != label_key(cand.label) and lf not in cand.aliases:
                alias(key, lf, f"'{acr}' is expanded as '{lf}' and as '{cand.label}' in the text: one entity")
            continue
        if concept is not None:
            key = ensure_concept(concept)
            alias(key, lf, f"'{lf} ({acr})' defined in the text is the vocabulary concept pgc:{concept.key}"
                  if label_key(lf) not in {label_key(x) for x in (concept.pref, *concept.alts)} else None)
            alias(key, acr)
        else:
            lkind = _kind_of(lf)
            if lkind is None or _NOT_BODY.search(lf.lower()):
                continue
            key = add_local(lf, lkind)
            alias(key, acr, f"'{acr}' is defined in the text as the acronym of '{lf}'")
        cands[key].strong.add(acr)
        defined[ak] = key

    for m in _QUOTED.finditer(text):
        if unit.scoped(m.start()) and not known(m.group(1)):
            add_local(m.group(1), _HEADS.get(m.group(1).split()[-1], "unit"))

    # 3. footnote definitions: a footnote that defines a term gives its definition
    footdefs: dict[str, tuple[str, Evidence]] = {}
    for fn in st.footnotes:
        if fn.defines:
            footdefs[fn.defines] = (re.sub(r"^\d+\s+", "", fn.text), fn.evidence)

    # 4. candidates from patterns over the whole scoped text
    raw: list[tuple[int, int, str, str, bool]] = []  # (start, end, key, rule, anaphor)

    # 4a. vocabulary and text-defined labels
    cs_labels: dict[str, str] = {}
    ci_labels: dict[str, str] = {}
    for c in concepts:
        for lab in (c.pref, *c.alts):
            if is_acronym(lab) or (lab != lab.lower() and " " not in lab):
                cs_labels.setdefault(lab, c.key)
            else:
                ci_labels.setdefault(lab, c.key)
    for key, cand in cands.items():
        if cand.concept is None:
            for lab in (cand.label, *cand.aliases):
                if is_acronym(lab) or lab in cand.strong or lab != lab.lower():
                    cs_labels.setdefault(lab, key)
                else:
                    ci_labels.setdefault(lab, key)
        else:
            for lab in cand.aliases:
                (cs_labels if is_acronym(lab) or lab in cand.strong else ci_labels).setdefault(lab, key)
    for name, fslug in force_names.items():
        cs_labels.setdefault(name, fslug)
    for labels, flags in ((cs_labels, 0), (ci_labels, re.I)):
        keyed = {label_key(lab): k for lab, k in labels.items()}
        ordered = sorted(labels, key=len, reverse=True)
        if not ordered:
            continue
        first_ci = flags == 0
        pats = []
        for lab in ordered:
            rx = _label_regex(lab)
            if first_ci and not is_acronym(lab) and lab[0].isupper() and " " in lab:
                rx = f"[{lab[0]}{lab[0].lower()}]" + rx[len(re.escape(lab[0])):]
            pats.append(rx)
        rx_all = re.compile(r"(?<![\w\-’'])(?:" + "|".join(pats) + r")(?![\w\-])", flags)
        for m in rx_all.finditer(text):
            if not unit.scoped(m.start()):
                continue
            k = keyed.get(label_key(m.group(0)))
            if k is None:
                continue
            w = m.group(0)
            if (flags == 0 and not is_acronym(w) and " " not in w
                    and re.search(r"(^|[.!?:;–\-•]\s*|\n\s*)$", text[max(0, m.start() - 3):m.start()])):
                continue
            raw.append((m.start(), m.end(), k, "entities.gazetteer", False))

    # 4b. capitalised organisation names
    cap = r"[A-Z][\w’'&\-]*"
    name_rx = re.compile(
        rf"(?<![\w’'])((?:{cap} (?:(?:of|and|for|&) (?:the )?)?)*(?:{_NAME_HEADS}))(?![\w\-])"
    )
    first_rx = re.compile(rf"(?<![\w’'])((?:{_NAME_FIRST}) (?:of|for) (?:the )?{cap}"
                          rf"(?: {cap})*(?: and {cap}(?: {cap})*)?)")
    for name_pat, rule in ((name_rx, "entities.name"), (first_rx, "entities.name")):
        for m in name_pat.finditer(text):
            if not unit.scoped(m.start()):
                continue
            s, e = m.start(1), m.end(1)
            name = text[s:e]
            words = name.split()
            while words and (words[0] in _STOP_START or words[0].lower() in {"of", "and", "for", "&", "the"}):
                s += len(words[0])
                while s < e and text[s].isspace():
                    s += 1
                words = words[1:]
            if len(words) < 2:
                continue
            name = text[s:e]
            # a possessor before the name ("the ROCU’s Regional Asset Recovery Team")
            pm = re.match(r"^(\S+?)[’']s ", name)
            if pm:
                s += pm.end()
                name = text[s:e]
                words = name.split()
                if len(words) < 2:
                    continue
            # coordinated names ("College of Policing and Home Office", "A and B Police")
            parts = _split_coordination(name, known, force_names, force_places)
            if parts is not None:
                for off, part, k in parts:
                    if not k:
                        pw = part.split()
                        k = add_local(part, _HEADS.get(pw[-1].lower(), "organisation"))
                    raw.append((s + off, s + off + len(part), k, "entities.name", False))
                continue
            if known(name):
                raw.append((s, e, lex[label_key(name)], rule, False))
                continue
            # "<Place> <known local body>" ("Cumbria Local Resilience Forum") is that body
            pm2 = re.match(r"^((?:[A-Z][\w\-]* ){1,3}?(?:and [A-Z][\w\-]* )?)(.+)$", name)
            if pm2 and len(pm2.group(2).split()) >= 2:
                inner = known(pm2.group(2))
                ic = concept_by_key.get(inner or "")
                if inner and ic is not None and ic.scope == "local":
                    alias(inner, name, f"'{name}' is this area's {ic.pref}")
                    raw.append((s, e, inner, rule, False))
                    continue
            if name in force_names:
                raw.append((s, e, force_names[name], "entities.force", False))
                continue
            if re.match(r"^(?:Police|Chief|Crime|Home|Force)\b", name) and len(words) < 3:
                continue
            kind = _HEADS.get(words[-1].lower(), "organisation") if name_pat is name_rx else "organisation"
            # a place name before a known acronym's head is a variant of that body
            key = add_local(name, kind)
            raw.append((s, e, key, rule, False))

    # 4c. place names of forces in "A, B and C forces" lists
    places = "|".join(sorted((re.escape(p) for p in force_places), key=len, reverse=True))
    for m in re.finditer(rf"((?:(?:{places}),?\s+)+(?:and\s+(?:{places})))\s+forces\b", text):
        if not unit.scoped(m.start()):
            continue
        for pm in re.finditer(places, m.group(1)):
            raw.append((m.start(1) + pm.start(), m.start(1) + pm.end(), force_places[pm.group(0)],
                        "entities.force-list", False))

    # 4d. a collaboration named by two forces: "A and B (strategic) alliance"
    pair_keys: dict[tuple[str, ...], str] = {}
    for m in re.finditer(rf"\b(({places})(?:\s+Police)?\s*(?:and|/)\s*({places})(?:\s+Police)?\s+"
                         rf"(?:strategic\s+)?(alliance|collaboration|partnership))\b", text):
        if not unit.scoped(m.start()):
            continue
        label = re.sub(r"\s+", " ", m.group(1))
        pair = tuple(sorted((force_places[m.group(2)], force_places[m.group(3)]))) + (m.group(4),)
        if pair in pair_keys:
            key = pair_keys[pair]
            alias(key, label, f"'{label}' names the same forces' {m.group(4)} as '{cands[key].label}'")
        else:
            key = pair_keys[pair] = add_local(label, "collaboration")
        raw.append((m.start(1), m.end(1), key, "entities.force-collaboration", False))

    # 4e. lower-case named bodies after a determiner
    low_rx = re.compile(rf"\b{_DETERMINERS}\s+((?:[a-z][a-z\-’']+\s+){{1,4}}?(?:{_LOWER_HEADS}))\b")
    for m in low_rx.finditer(text):
        if not unit.scoped(m.start()):
            continue
        phrase = m.group(1)
        words = phrase.replace("’", "'").split()
        while words and words[0] in _GENERIC:
            words = words[1:]
        if len(words) < 2 or any(w in _GENERIC for w in words[:-1]) or _NOT_BODY.search(" ".join(words)):
            continue
        s = m.end(1) - len(" ".join(words))
        phrase = text[s:m.end(1)]
        if known(phrase):
            raw.append((s, m.end(1), lex[label_key(phrase)], "entities.noun-phrase", False))
            continue
        kind = _HEADS.get(words[-1], "unit")
        raw.append((s, m.end(1), "?" + phrase, "entities.noun-phrase", False))
        _ = kind

    # 5. leftmost-longest resolution
    raw.sort(key=lambda r: (r[0], -(r[1] - r[0])))
    chosen: list[tuple[int, int, str, str, bool]] = []
    last_end = -1
    for r in raw:
        if r[0] >= last_end:
            chosen.append(r)
            last_end = r[1]
    # noun phrases: keep one only when it recurs, or when its head is a named-body noun
    counts: dict[str, int] = defaultdict(int)
    for r in chosen:
        if r[2].startswith("?"):
            counts[label_key(r[2][1:])] += 1
    final: list[tuple[int, int, str, str, bool]] = []
    for r in chosen:
        k = r[2]
        if k.startswith("?"):
            phrase = k[1:]
            if counts[label_key(phrase)] < 2 and not re.search(r"\b(hubs?|programme|system|intranet|board)$",
                                                               phrase):
                continue
            k = add_local(phrase, _HEADS.get(phrase.split()[-1], "unit"))
        final.append((r[0], r[1], k, r[3], r[4]))

    # 6. anaphora: "the alliance" etc. when exactly one entity has that head noun
    heads: dict[str, set[str]] = defaultdict(set)
    used = {r[2] for r in final}
    for k in used:
        uc = cands.get(k)
        if uc is None:
            continue
        for lab in (uc.label, *uc.aliases):
            hw = lab.lower().split()
            if len(hw) > 1 and hw[-1] in _ANAPHORA and _HEADS.get(hw[-1]) == uc.kind:
                heads[hw[-1]].add(k)
    occupied = [(r[0], r[1]) for r in final]
    starts = [o[0] for o in occupied]

    def free(a: int, b: int) -> bool:
        i = bisect.bisect_right(starts, a) - 1
        return not any(0 <= j < len(occupied) and occupied[j][0] < b and a < occupied[j][1] for j in (i, i + 1))

    for head, keys in heads.items():
        if len(keys) != 1:
            continue
        (k,) = keys
        for m in re.finditer(rf"\b(?:[Tt]he\s+|[Ss]trategic\s+|[Ff]ormal\s+|[Aa]\s+formal\s+)+({head})(?:[’']s)?\b",
                             text):
            if unit.scoped(m.start()) and free(m.start(), m.end()):
                s = m.start()
                if text[s:s + 4].lower() == "the ":
                    s += 4
                final.append((s, m.end(1), k, "entities.anaphor", False))
                alias(k, text[s:m.end(1)], None)
    if force_key:
        for m in re.finditer(r"\b[Tt]he force\b(?![’']s)", text):
            if unit.scoped(m.start()) and free(m.start(), m.end()):
                final.append((m.start(), m.end(), force_key, "entities.anaphor.force", True))
    # 6a. a process named by what is done with things on some basis: "investigations are
    # allocated to investigators on the basis of THRIVE assessments" names the practice
    # "allocation of investigations" (whose basis the relation rules then find)
    for m in _PROCESS.finditer(text):
        if unit.scoped(m.start()) and free(m.start(), m.end("verb")):
            subject = m.group("subject").lower()
            label = f"{_NOMINAL[m.group('verb').lower()]} of {subject}"
            k = add_local(label, "practice")
            final.append((m.start(), m.end("verb"), k, "entities.process", False))
    final.sort()

    # 6b. a local concept and its broader local concept in one report are one body: the
    # narrower is the force's own name for it ("safer neighbourhood teams" are its
    # neighbourhood policing teams); the broader's mentions join the narrower
    present = {r[2] for r in final}
    for k in sorted(present):
        nc = concept_by_key.get(k)
        if nc and nc.broader and nc.broader in present and nc.scope == "local" \
                and concept_by_key[nc.broader].scope == "local" \
                and sum(1 for x in present if x in concept_by_key and concept_by_key[x].broader == nc.broader) == 1:
            ensure_concept(nc)
            bc = concept_by_key[nc.broader]
            final = [(r[0], r[1], k if r[2] == bc.key else r[2], r[3], r[4]) for r in final]
            cands[k].notes.append(f"'{bc.pref}' (pgc:{bc.key}) is the broader kind of '{nc.pref}'; "
                                  f"the report names both, for one body")
            for lab in (bc.pref, *bc.alts):
                lex[label_key(lab)] = k
            present.discard(bc.key)

    # 7. entities
    mentions = tuple(sorted(Mention(a, b, k, rule, ana) for a, b, k, rule, ana in final))
    by_entity: dict[str, list[Mention]] = defaultdict(list)
    for mn in mentions:
        by_entity[mn.key].append(mn)
    force_labels = {fslug: name for fslug, name, _ in forces}
    entities: list[Entity] = []
    for k, ms in sorted(by_entity.items()):
        real = [mn for mn in ms if not mn.anaphor]
        evs = tuple(doc.evidence(unit.span(mn.nstart, mn.nend), mn.rule,
                                 st.section_at(unit.omap[mn.nstart])) for mn in real)
        if k in force_labels:
            if not evs and k == force_key and st.meta.force_evidence:
                evs = (st.meta.force_evidence,)
            if not evs:
                continue
            entities.append(Entity(k, force_labels[k], "force", mentions=evs))
            continue
        if not evs:
            continue
        if k not in cands:
            ensure_concept(concept_by_key[k])
        ec = cands[k]
        surfaces = {re.sub(r"\s+", " ", unit.text[mn.nstart:mn.nend]) for mn in real}
        own = {label_key(ec.label)}
        aliases: list[str] = []
        for al in sorted(set(ec.aliases) | surfaces):
            if label_key(al) not in own and al.lower() not in {x.lower() for x in aliases}:
                aliases.append(al)
        definition: str | None = None
        definition_ev: Evidence | None = None
        for lab in (ec.label, *ec.aliases, *(ec.concept.alts if ec.concept else ())):
            for term, (dtext, dev) in footdefs.items():
                if label_key(term) == label_key(lab) or term.endswith(f"({lab})") or term.startswith(f"{lab} ("):
                    definition, definition_ev = dtext, dev
        econcept = ec.concept
        entities.append(Entity(
            key=k, label=ec.label, kind=ec.kind, aliases=tuple(aliases), definition=definition,
            definition_evidence=definition_ev, concept=econcept.iri if econcept else None,
            scope="national" if econcept and econcept.scope == "national" else "local",
            mentions=tuple(sorted(set(evs))), notes=tuple(ec.notes)))
    keys = {e.key for e in entities}
    mentions = tuple(mn for mn in mentions if mn.key in keys or mn.anaphor)
    return EntitySet(tuple(entities), mentions, unit, force_key)


def mentions_of(ents: EntitySet, keys: Iterable[str]) -> list[Mention]:
    """Mentions of the given entity keys."""
    ks = set(keys)
    return [m for m in ents.mentions if m.key in ks]


def _split_coordination(name: str, known: Callable[[str], str | None], force_names: dict[str, str],
                        force_places: dict[str, str]) -> list[tuple[int, str, str]] | None:
    """Split ``A and B`` when both sides are known names (or force places before a force)."""
    head_end = re.compile(rf"\b(?:{_NAME_HEADS})$")
    for m in re.finditer(r" and (?:the )?", name):
        left, right = name[:m.start()], name[m.end():]
        rk = known(right) or force_names.get(right)
        if rk is None:
            if not (head_end.search(left) and head_end.search(right) and len(left.split()) >= 2
                    and len(right.split()) >= 2 and right[0].isupper()):
                continue
            return [(0, left, known(left) or force_names.get(left) or ""), (m.end(), right, "")]
        lk = known(left) or force_names.get(left) or force_places.get(left)
        if lk is None and right.endswith(("Police", "Constabulary")):
            lk = force_places.get(left)
        if lk is None:
            # "A B Office and C D Office": left must at least end with a head noun
            if not re.search(rf"\b(?:{_NAME_HEADS})$", left) or len(left.split()) < 2:
                continue
            lk = ""
        return [(0, left, lk), (m.end(), right, rk)]
    return None
