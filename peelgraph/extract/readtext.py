"""The read text: the part of a report the entity, relation and finding rules read, as one
string (the running text, then the footnotes) with one map back to the file's offsets, and
the mention record that points into it.

Only the overview and the core-question sections (and the footnotes referenced from them)
are in scope when the template gives them: the introduction, "next steps" and the annexes
are the inspectorate's boilerplate. Footnote text is read with its newlines as spaces, so
its offsets map one to one.

Example:
    >>> from peelgraph.text.layout import layout
    >>> from peelgraph.extract.structure import parse
    >>> doc = layout("r", "PEEL: Police effectiveness 2017\\nAn inspection of Cumbria Constabulary\\n\\n"
    ...              "The force works with the probation service.\\n")
    >>> rt = ReadText.build(doc, parse(doc))
    >>> rt.text.startswith(doc.norm), rt.scoped(0)
    (True, True)
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from peelgraph.extract.structure import Structure
from peelgraph.text.layout import Document, Span
from peelgraph.text.sentences import split as split_sentences

__all__ = ["ReadText", "Mention"]


@dataclass(frozen=True, order=True)
class Mention:
    """One mention of an entity, in the read text's coordinates (``nstart``/``nend``).

    ``rule`` is the id of the rule that found it (it becomes the evidence's rule);
    ``anaphor`` marks a mention that only refers back (``the force``): relations use it,
    entities do not count it as evidence.
    """

    nstart: int
    nend: int
    key: str
    rule: str = "entities.gazetteer"
    anaphor: bool = False


@dataclass(frozen=True)
class ReadText:
    """The running text, then the footnotes, with one map to the original offsets.

    ``sentences`` are spans of the read text (nstart/nend) with original offsets;
    ``in_scope`` are the read ranges; ``norm_length`` is where the footnotes begin.
    """

    text: str
    omap: tuple[int, ...]
    sentences: tuple[Span, ...]
    norm_length: int
    in_scope: tuple[tuple[int, int], ...]

    def span(self, nstart: int, nend: int) -> Span:
        """Map a span of the read text to the original, trimming whitespace."""
        while nstart < nend and self.text[nstart].isspace():
            nstart += 1
        while nend > nstart and self.text[nend - 1].isspace():
            nend -= 1
        if nstart >= nend:
            return Span(nstart, nstart, self.omap[nstart], self.omap[nstart])
        return Span(nstart, nend, self.omap[nstart], self.omap[nend - 1] + 1)

    def scoped(self, n: int) -> bool:
        """Whether an offset of the read text lies in the part of the report that is read."""
        return any(a <= n < b for a, b in self.in_scope)

    @classmethod
    def build(cls, doc: Document, st: Structure) -> ReadText:
        """The running text and the footnotes as one read text, with the read scope."""
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
                sentences.append(Span(a, b, omap[a], omap[b - 1] + 1))
            if ranges:
                at = fb.reference if fb.reference is not None else fb.start
                nref = bisect.bisect_left(doc.omap, at)
                if any(a <= nref < b for a, b in ranges):
                    scope.append((fstart, pos))
            else:
                scope.append((fstart, pos))
        chunks.append(" ")
        omap.append(omap[-1] if omap else 0)
        return cls("".join(chunks), tuple(omap), tuple(sorted(sentences)), norm_len, tuple(scope))
