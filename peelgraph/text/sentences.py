"""The one sentence splitter: rule-based, over a stretch of prose, offsets kept.

A sentence ends at ``.``, ``?`` or ``!`` (with any closing quotes or brackets) followed by
space and a capital, a digit or an opening quote; not after an abbreviation (``e.g.``,
``Dr.``, ``No.``), a single letter (an initial), a dotted acronym (``i.e.``), or a
reference word (``para.``, ``section``, ``figure``, ``annex``). Used for the running text
(block by block) and for footnotes.

Example:
    >>> text = "The MASH opened in 2015. Dr. Smith leads it, e.g. on referrals. It works."
    >>> [text[a:b] for a, b in split(text)]
    ['The MASH opened in 2015.', 'Dr. Smith leads it, e.g. on referrals.', 'It works.']
"""

from __future__ import annotations

import re
from collections.abc import Iterator

__all__ = ["split", "ABBREVIATIONS"]

#: Words that end with a full stop without ending a sentence.
ABBREVIATIONS = frozenset({
    "e.g", "i.e", "etc", "mr", "mrs", "ms", "dr", "no", "nos", "vs", "cf", "st", "para", "paras", "fig", "figs",
    "approx", "incl", "inc", "ltd", "co", "dept", "govt",
})

_END = re.compile(r"[.?!][’”'\")\]]*(?=\s+[‘“'\"(\[]?[A-Z0-9])")


def split(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text[start:end]``, whitespace trimmed at both ends."""
    end = len(text) if end is None else end
    at = start
    for m in _END.finditer(text, start, end):
        stop = m.end()
        token = _last_word(text, at, m.start() + 1).lower().rstrip(".")
        token = token.lstrip("(‘“'\"")
        if token in ABBREVIATIONS or re.fullmatch(r"[a-z]", token) or re.fullmatch(r"(?:[a-z]\.)+[a-z]", token):
            continue
        # only the end of the sentence so far is looked at (the word is at most 8 letters and a stop)
        if re.search(r"\b(?:no|para|section|figure|annex)\.?$", text[max(at, stop - 16):stop].lower()):
            continue
        yield from _trimmed(text, at, stop)
        at = stop
    yield from _trimmed(text, at, end)


def _last_word(text: str, lo: int, hi: int) -> str:
    """The run of non-space characters that ends ``text[lo:hi]`` (looked for from the end, so a
    very long word costs its own length once, never once per character before it)."""
    i = hi
    while i > lo and not text[i - 1].isspace():
        i -= 1
    return text[i:hi]


def _trimmed(text: str, a: int, b: int) -> Iterator[tuple[int, int]]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        yield a, b
