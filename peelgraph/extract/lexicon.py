"""The lexicon of one extraction: the entities in the making (drafts) and the label keys
that name each, shared by the entity rules, the resolver and the entity assembly.

The rules read it (``known``, ``concept_for``) and write it (``add_local``, ``alias``,
``define``) in registry order, so a later rule sees what earlier rules learnt: an acronym
defined in the text is a gazetteer label by the time the gazetteer rule runs. The forces of
``ontology/forces.ttl`` (:class:`Forces`) are known from the start.

Example:
    >>> lex = Lexicon(())
    >>> k = lex.add_local("harm reduction hubs", "collaboration")
    >>> k, lex.known("Harm reduction hub"), lex.known("some other hub")
    ('harm-reduction-hubs', 'harm-reduction-hubs', None)
    >>> lex.alias(k, "HRH", "'HRH' is its acronym")
    >>> sorted(lex.drafts[k].aliases), lex.drafts[k].notes
    (['HRH'], ["'HRH' is its acronym"])
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from peelgraph.extract.labels import label_key, slug
from peelgraph.extract.vocabulary import Concept, Force
from peelgraph.extract.wordlists import alternation, words

__all__ = ["Draft", "Lexicon", "Forces"]


@dataclass
class Draft:
    """An entity in the making: its label, kind, aliases, notes and concept.

    ``strong`` are labels matched case-sensitively (acronyms and names defined in the text).
    """

    label: str
    kind: str
    aliases: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    concept: Concept | None = None
    strong: set[str] = field(default_factory=set)


class Lexicon:
    """Drafts by entity key, and the entity key of every label key learnt so far."""

    def __init__(self, concepts: tuple[Concept, ...]) -> None:
        self.concepts = concepts
        self.concept_by_key = {c.key: c for c in concepts}
        self._by_label: dict[str, Concept] = {}
        for c in concepts:
            for lab in (c.pref, *c.alts):
                self._by_label.setdefault(label_key(lab), c)
        self.drafts: dict[str, Draft] = {}
        self._keys: dict[str, str] = {}  # label key -> entity key
        self._defined: dict[str, str] = {}  # label key of a name or acronym defined in the text -> entity key

    def key_of(self, label: str) -> str | None:
        """The entity key a label names, as learnt so far (no vocabulary lookup)."""
        return self._keys.get(label_key(label))

    def set_key(self, label: str, key: str) -> None:
        """Make a label name an entity key (overriding what it named)."""
        self._keys[label_key(label)] = key

    def concept_for(self, label: str) -> Concept | None:
        """The vocabulary concept one of whose labels has this label's key."""
        return self._by_label.get(label_key(label))

    def ensure_concept(self, c: Concept) -> str:
        """A draft for a vocabulary concept (its labels learnt); its key."""
        if c.key not in self.drafts:
            self.drafts[c.key] = Draft(c.pref, c.kind, concept=c)
            for lab in (c.pref, *c.alts):
                self._keys.setdefault(label_key(lab), c.key)
        return c.key

    def add_local(self, label: str, kind: str) -> str:
        """The key of a label: the entity it already names, else a new local draft."""
        k = self._keys.get(label_key(label))
        if k:
            return k
        k = slug(label)
        if k not in self.drafts:
            self.drafts[k] = Draft(label, kind)
        self._keys[label_key(label)] = k
        return k

    def known(self, label: str) -> str | None:
        """The key of a label learnt so far or of a vocabulary concept (then drafted)."""
        k = self._keys.get(label_key(label))
        if k is None and label_key(label) in self._by_label:
            k = self.ensure_concept(self._by_label[label_key(label)])
        return k

    def alias(self, key: str, label: str, note: str | None = None) -> None:
        """Another label of an entity (unless it names another one), with a note saying why."""
        lk = label_key(label)
        other = self._keys.get(lk)
        if other and other != key:
            return
        self._keys[lk] = key
        d = self.drafts[key]
        if label_key(d.label) != lk:
            d.aliases.add(label)
        if note and note not in d.notes:
            d.notes.append(note)

    def define(self, label: str, key: str) -> None:
        """Record a name or an acronym the text defines, for the entity ``key``."""
        self._defined[label_key(label)] = key

    def defined(self, label: str) -> str | None:
        """The entity a name or an acronym defined in the text stands for."""
        return self._defined.get(label_key(label))


@dataclass(frozen=True)
class Forces:
    """The police forces as the entity rules need them.

    ``names``: a force's name or other name (those with a space or all capitals) -> its key;
    ``places``: its place name (its name without ``Police``, ``Constabulary`` ...) -> its key;
    ``labels``: key -> name; ``own``: the report's own force key, if known.
    """

    names: dict[str, str]
    places: dict[str, str]
    labels: dict[str, str]
    own: str | None

    @classmethod
    def of(cls, forces: tuple[Force, ...], own: str | None) -> Forces:
        """The tables of a force list and the report's own force."""
        names: dict[str, str] = {}
        for fslug, name, falts in forces:
            for n in (name, *falts):
                if " " in n or n.isupper():
                    names[n] = fslug
        suffix = re.compile(rf"\s+({alternation(words('heads', 'force-suffixes'))})$")
        places = {suffix.sub("", name): fslug for fslug, name, _ in forces}
        return cls(names, places, {fslug: name for fslug, name, _ in forces}, own)

    def place_pattern(self) -> str:
        """An alternation of the place names, longest first."""
        return "|".join(sorted((re.escape(p) for p in self.places), key=len, reverse=True))
