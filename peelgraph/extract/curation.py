"""Curation: a small per-report file (``data/curation/<report stem>.toml``) for what the
rules cannot decide — alias merges, missed entities and relations, false positives.

Every added fact quotes the report verbatim; the quote must occur exactly once in the
shipped file, or the entry gives ``occurrence`` (1-based) to choose one; otherwise a
:class:`~peelgraph.errors.CurationError` names the file and the quote. Curated facts carry
``curated=True`` (``pg:curated true`` in the graph), so ``peelgraph stats`` tells them from
rule facts. The gold annotation is never read here. File format::

    [[merge]]     # entity `from` becomes an alias of entity `into`
    into = "snt"
    from = "npt"
    why = "..."

    [[entity]]    # an entity the rules miss
    key = "..."; label = "..."; kind = "unit"; quote = "..."; why = "..."

    [[relation]]  # a relation the rules miss; quote = the sentence that states it
    subject = "..."; type = "part-of"; object = "..."; quote = "..."; why = "..."

    [[drop]]      # a false positive: an entity (and its relations) or one relation
    entity = "..."            # or: subject/type/object
    why = "..."

Example:
    >>> find_quote("a b a", "a", "f.toml", occurrence=2)
    4
    >>> find_quote("a b a", "a", "f.toml")
    Traceback (most recent call last):
    ...
    peelgraph.errors.CurationError: f.toml: the quote occurs 2 times; give `occurrence`: 'a'
"""

from __future__ import annotations

import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

from peelgraph.errors import CurationError
from peelgraph.model import Entity, Evidence, Extraction, Finding, Relation
from peelgraph.text.layout import Document
from peelgraph.vocab import ENTITY_KINDS, RELATION_TYPES

__all__ = ["apply", "load", "find_quote"]




def curation_path(report_path: Path) -> Path:
    """Where a report's curation file lives."""
    from peelgraph.resources import curation_file

    return curation_file(report_path)


def load(path: Path) -> dict[str, Any]:
    """Read a curation file (TOML).

    Raises:
        CurationError: the file is not valid TOML.
    """
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CurationError(f"not a valid curation file: {exc}", path=str(path)) from exc


def find_quote(text: str, quote: str, where: str, occurrence: int | None = None) -> int:
    """The start offset of a verbatim quote in the report text.

    Raises:
        CurationError: the quote is missing, or ambiguous without ``occurrence``.
    """
    if not quote:
        raise CurationError("an entry has an empty quote", path=where)
    starts = []
    i = text.find(quote)
    while i >= 0:
        starts.append(i)
        i = text.find(quote, i + 1)
    if not starts:
        raise CurationError(f"the quote is not in the report: {quote!r}", path=where)
    if occurrence is None:
        if len(starts) > 1:
            raise CurationError(f"the quote occurs {len(starts)} times; give `occurrence`: {quote!r}", path=where)
        return starts[0]
    if not 1 <= occurrence <= len(starts):
        raise CurationError(f"occurrence {occurrence} of {len(starts)}: {quote!r}", path=where)
    return starts[occurrence - 1]


def _evidence(doc: Document, entry: dict[str, Any], where: str) -> Evidence:
    quote = entry.get("quote", "")
    start = find_quote(doc.text, quote, where, entry.get("occurrence"))
    return Evidence(doc.report, start, start + len(quote), quote, "curation", None, doc.page_of(start))


def _need(entry: dict[str, Any], keys: tuple[str, ...], where: str) -> None:
    missing = [k for k in keys if not entry.get(k)]
    if missing:
        raise CurationError(f"an entry lacks {', '.join(missing)}: {entry}", path=where)


def apply(ex: Extraction, doc: Document, report_path: Path) -> Extraction:
    """Apply a report's curation file, if it has one; return the curated extraction.

    Raises:
        CurationError: the file is malformed, names an unknown entity or type, or quotes
            text that is not in the report.
    """
    path = curation_path(Path(report_path))
    if not path.is_file():
        return ex
    return apply_data(ex, doc, load(path), str(path))


def apply_data(ex: Extraction, doc: Document, data: dict[str, Any], where: str) -> Extraction:
    """Apply curation entries (already loaded) to an extraction."""
    ents = {e.key: e for e in ex.entities}
    rels = list(ex.relations)
    finds = list(ex.findings)

    for d in data.get("drop", []):
        if d.get("entity"):
            key = d["entity"]
            ents.pop(key, None)
            rels = [r for r in rels if key not in (r.subject, r.object)]
            finds = [replace(f, entities=tuple(k for k in f.entities if k != key)) for f in finds]
        else:
            _need(d, ("subject", "type", "object"), where)
            rels = [r for r in rels if (r.subject, r.type, r.object) != (d["subject"], d["type"], d["object"])]

    for m in data.get("merge", []):
        _need(m, ("into", "from", "why"), where)
        into, src = m["into"], m["from"]
        if into not in ents:
            raise CurationError(f"merge into an unknown entity {into!r}", path=where)
        if src not in ents:
            continue  # nothing to merge in this build
        a, b = ents[into], ents.pop(src)
        aliases = tuple(dict.fromkeys((*a.aliases, b.label, *b.aliases)))
        ents[into] = replace(a, aliases=aliases, mentions=tuple(sorted(set(a.mentions + b.mentions))),
                             notes=(*a.notes, *b.notes, f"curation: {m['why']}"),
                             definition=a.definition or b.definition,
                             definition_evidence=a.definition_evidence or b.definition_evidence)
        rels = [replace(r, subject=into if r.subject == src else r.subject,
                        object=into if r.object == src else r.object) for r in rels]
        rels = [r for r in rels if r.subject != r.object]
        finds = [replace(f, entities=tuple(dict.fromkeys(into if k == src else k for k in f.entities)))
                 for f in finds]

    for e in data.get("entity", []):
        _need(e, ("key", "label", "kind", "quote", "why"), where)
        if e["kind"] not in ENTITY_KINDS:
            raise CurationError(f"unknown entity kind {e['kind']!r}", path=where)
        ev = _evidence(doc, e, where)
        if e["key"] in ents:
            old = ents[e["key"]]
            ents[e["key"]] = replace(old, mentions=tuple(sorted(set((*old.mentions, ev)))))
        else:
            ents[e["key"]] = Entity(e["key"], e["label"], e["kind"], tuple(e.get("aliases", ())),
                                    mentions=(ev,), notes=(f"curation: {e['why']}",), curated=True)

    for r in data.get("relation", []):
        _need(r, ("subject", "type", "object", "quote", "why"), where)
        if r["type"] not in RELATION_TYPES:
            raise CurationError(f"unknown relation type {r['type']!r}", path=where)
        for end in (r["subject"], r["object"]):
            if end not in ents:
                raise CurationError(f"a relation names an unknown entity {end!r}", path=where)
        ev = _evidence(doc, r, where)
        rels.append(Relation(r["subject"], r["type"], r["object"], ev, curated=True))

    keys = set(ents)
    rels = [r for r in rels if r.subject in keys and r.object in keys]
    finds2: list[Finding] = [replace(f, entities=tuple(k for k in f.entities if k in keys)) for f in finds]
    return replace(ex, entities=tuple(sorted(ents.values(), key=lambda e: e.key)), relations=tuple(rels),
                   findings=tuple(finds2))
