"""Figures: the counts, percentages, rates, durations and sums a report states in its running text.

Each figure is read from one sentence of the layout (footnotes and page furniture already cut
out) and keeps that sentence as its evidence. What the rules read:

* **a value and its unit**: ``N percent`` (``per cent``, ``%``); ``N <things> per 1,000
  population`` (or ``per one million of the population``); ``£N million``; ``N times a year``;
  a duration ``N days``/``weeks``/``months``/``years``; otherwise a count, a number followed by
  the noun phrase it counts (``25 domestic abuse risk officers``, ``twelve forensic kiosks``), or
  ``N out of M <things>``. Numbers are digits (``1,250``, ``4.1``) or the words two to twenty.
* **the sign** of a change: ``decreased by 3.1 percent``, ``a 15 percent decrease``, ``6 percent
  fewer`` are negative.
* **the comparator**: a percentage or rate that follows ``compared with``/``than``/``against``
  and is said of England and Wales (or "all forces", "the national") is the comparison of the
  figure before it, not a figure of its own.
* **the period**: ``in the 12 months to 30 June 2016``, ``as at 1 July 2016``, ``during 2016``.
* **whose it is**: the report's force when the sentence names the force (its name, its area,
  "the force", "the alliance"), else unknown.
* **what it measures**: for a count or a rate, the noun phrase counted; for a percentage, the words
  after ``of`` (``17.7 percent of all recorded crime``) or the clause the number opens, at most a
  few words. It is the sentence's own words, never a paraphrase; the quote gives the rest.

**Tables** (the layout's :class:`~peelgraph.text.layout.Table`: PDF extraction leaves a table one
cell per line) are read when they compare two columns: the column headers first (the force, then
what it is set against), then each row's label and its two values; the values of the first row
may come before its label (the extraction read them first). Each row is a figure: the first
column's value, the second's as the comparison, the unit and period the caption states
(``Proportion``/``Percentage`` is percent, ``(per 1,000 population)`` a rate), what it measures
the caption's subject and the row's label, whose it is the force when the first header names it,
and the label and value cells as evidence (in parts). A table whose caption gives no unit, with
fewer than two columns, or whose values stand apart from their labels gives nothing.

Not read (unknown is better than wrong): years, dates, the period's own numbers, figure,
question, page and footnote numbers, and "one" (too often not a number: "one of the force's
strengths").

Example:
    >>> from peelgraph.text.layout import layout
    >>> doc = layout("r", "The alliance now employs 25 domestic abuse risk officers. "
    ...   "Crime fell by 3.1 percent in Kent, compared with a decrease of 0.5 percent for England and Wales.\\n")
    >>> [(f.value, f.unit, f.measure, f.comparator_value) for f in read_figures(doc, "kent-police", ("Kent",))]
    [('25', 'count', 'domestic abuse risk officers', None), ('-3.1', 'percent', 'Crime', '-0.5')]
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from peelgraph.extract.wordlists import alternation, words
from peelgraph.model import PART_SEPARATOR, Evidence, Figure
from peelgraph.text.layout import Cell, Document, Table

__all__ = ["read_figures", "FigureMatch"]

_WORDS = {w: i for i, w in enumerate(words("figures", "number-words"), start=2)}
_NUMBER = (r"(?<![\w.,/-])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|"
           r"(?i:" + alternation(words("figures", "number-words")) + r"))(?![\w,]\d|\.\d|\w)")
_NUM = re.compile(_NUMBER)
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december")
_PERCENT = re.compile(r"\s*(?:percent|per\s+cent|%)(?!\w)", re.I)
_DURATION = re.compile(r"\s+(days?|weeks?|months?|years?|hours?)\b", re.I)
_TIMES = re.compile(r"\s+times\s+(?:a|each|per|every)\s+(year|month|week|day)\b", re.I)
_MILLION = re.compile(r"\s*(million|billion|m|bn)\b", re.I)
_PER = re.compile(r"\s+per\s+(?:(1,000|one thousand|100,000|one million|million)(?:\s+of\s+the)?\s+"
                  r"(population|people))", re.I)
#: Words that end the noun phrase a count counts, and those that never are what is measured.
_STOP = frozenset(words("figures", "phrase-end"))
_PRONOUNS = frozenset(words("figures", "pronouns"))
_CHANGE_WORDS = frozenset(words("figures", "change-words"))
_BEFORE_COMPARATOR = re.compile(r"(?:compared\s+(?:with|to)|than|against|while|whereas)\W+(?:\w+\W+){0,6}$", re.I)
_NATIONAL = re.compile(r"^\W*(?:\w+\W+){0,6}?(?:for|in|across|of)\s+(?:all\s+forces\s+in\s+)?(England\s+and\s+Wales|"
                       r"all\s+forces|the\s+national\s+(?:average|rate|figure))", re.I)
_NEGATIVE_BEFORE = re.compile(r"(?:decrease[ds]?|decline[ds]?|fell|fall(?:en)?|reduc(?:ed|tion)|drop(?:ped)?|"
                              r"lower)\s+(?:by|of)\s+(?:around\s+|about\s+|some\s+)?$", re.I)
_NEGATIVE_AFTER = re.compile(r"^\s*(?:percent|per\s+cent|%)?\s*(?:decrease|decline|reduction|fall|drop|fewer|"
                             r"lower|less)\b", re.I)
_PERIOD = re.compile(r"(?:in|for|during|over|of)\s+(?:the\s+)?(?:(?:\d+|twelve|12)\s+months?|year)\s+to\s+"
                     rf"(?:\d{{1,2}}\s+)?(?:{_MONTHS})\s+\d{{4}}|as\s+at\s+\d{{1,2}}\s+(?:{_MONTHS})\s+\d{{4}}|"
                     r"(?:during|in)\s+(?:19|20)\d\d\b", re.I)
_NOT_A_FIGURE_BEFORE = re.compile(r"(?:(?:figure|question|page|paragraph|section|footnote|table|chapter|annex|"
                                  r"appendix)s?\s+(?:\d+\s*(?:,|and|to|-)\s*)*|(?:these|those|both|every|out\s+of|"
                                  rf"{_MONTHS})\s+)$", re.I)
#: Numbers side by side with nothing between them but spaces or percent signs, three in a row or two
#: pairs in one sentence: a flattened table.
_TABLE = re.compile(r"(?:\b\d[\d.,]*%?\s+){2}\d[\d.,]*%?(?!\w)|"
                    r"\b\d[\d.,]*%?\s+\d[\d.,]*%?(?!\w).*\b\d[\d.,]*%?\s+\d[\d.,]*%?(?!\w)")
#: A sentence that sets the figures before it against England and Wales ("This compares with ...").
_COMPARING = re.compile(r"^\W*(?:this|that|these|which)\s+(?:is\s+|are\s+)?compare[sd]?\s+(?:with|to)|"
                        r"^\W*(?:in|across|for)\s+(?:all\s+forces\s+in\s+)?England\s+and\s+Wales\b", re.I)
_NATIONAL_BEFORE = re.compile(r"England\s+and\s+Wales\s+(?:rate|average|figure|proportion|level)?\s*(?:of|at|was|is)"
                              r"\s+(?:an?\s+\w+\s+of\s+)?$", re.I)
_DATE_AFTER = re.compile(rf"^\s+(?:{_MONTHS})\b", re.I)


@dataclass(frozen=True)
class FigureMatch:
    """A number found in a sentence: where it stands in the sentence's text, its value and unit."""

    start: int
    end: int
    value: float
    unit: str
    measure: str


def _value(token: str) -> float:
    low = token.lower()
    return float(_WORDS[low]) if low in _WORDS else float(token.replace(",", ""))


def _fmt(v: float) -> str:
    return str(int(v)) if v == int(v) else repr(v)


def _phrase(text: str, limit: int = 6) -> str:
    """The noun phrase at the start of ``text``: words up to a stop word or punctuation."""
    words: list[str] = []
    for m in re.finditer(r"[^\s,;:.()!?’']+|[,;:.()!?]", text):
        w = m.group(0)
        if not re.match(r"[\w-]", w) or (w.lower() in _STOP and words) or len(words) >= limit:
            break
        if w.lower() in _STOP:  # a phrase starts with a content word
            return ""
        words.append(w)
    while words and words[-1].lower() in _STOP:
        words.pop()
    return " ".join(words)


def _matches(s: str) -> Iterator[FigureMatch]:
    for m in _NUM.finditer(s):
        a, b, tok = m.start(), m.end(), m.group("num")
        before, after = s[:a], s[b:]
        if _NOT_A_FIGURE_BEFORE.search(before) or _DATE_AFTER.match(after):
            continue
        if tok.isdigit() and len(tok) == 4 and tok[:2] in ("19", "20"):
            continue  # a year
        value = _value(tok)
        if before.endswith("£"):
            mm = _MILLION.match(after)
            scale = {"million": 1e6, "m": 1e6, "billion": 1e9, "bn": 1e9}[mm.group(1).lower()] if mm else 1
            yield FigureMatch(a - 1, b + (mm.end() if mm else 0), value * scale, "GBP",
                              _phrase(after[mm.end() if mm else 0:].lstrip()))
            continue
        if p := _PERCENT.match(after):
            rest = after[p.end():]
            of = re.match(r"\s+of\s+(?:all\s+|the\s+)?(.*)", rest)
            measure = _phrase(of.group(1)) if of else (_subject(before) or _phrase(
                re.sub(r"^\s*(?:were|was|are|is|had|have)\s+", "", rest)))
            if measure.split()[:1] and measure.split()[0].lower() in _CHANGE_WORDS:
                measure = ""  # "a 15 percent decrease on 2015": the change, not what changed
            yield FigureMatch(a, b + p.end(), value, "percent", measure)
            continue
        if t := _TIMES.match(after):
            yield FigureMatch(a, b + t.end(), value, f"per {t.group(1).lower()}", "")
            continue
        if d := _DURATION.match(after):
            if re.match(r"\s+to\b|-", after[d.end():]) or re.search(
                    r"\b(?:the|previous|next|last|past|first|final|those|this|that)\s+$", before, re.I):
                continue  # "the 12 months to 30 June 2016": the period, not a figure
            unit = d.group(1).lower()
            yield FigureMatch(a, b + d.end(), value, unit if unit.endswith("s") else unit + "s", "")
            continue
        out_of = re.match(r"\s+out\s+of\s+(\d[\d,]*)\s+", after)
        noun_at = out_of.end() if out_of else 0
        noun = _phrase(after[noun_at:].lstrip())
        if not noun or not re.search(r"[A-Za-z]{3,}", noun) or noun.split()[0].lower() in ("of", "and", "to"):
            continue
        rest = after[noun_at:]
        if per := _PER.search(rest[: len(noun) + 60]):
            between = _phrase(rest[: per.start()].lstrip())
            unit = f"per {per.group(1)} {per.group(2)}"
            yield FigureMatch(a, b + noun_at + per.end(), value, unit, between or noun)
            continue
        if not _plural(noun):
            continue
        measure = f"{noun} (out of {out_of.group(1)})" if out_of else noun
        yield FigureMatch(a, b, value, "count", measure)


_CHANGE = re.compile(r"\s*\b(?:(?:has|have|had|was|were|is|are)\s+)?(?:increased|decreased|rose|fell|grew|declined|"
                     r"dropped|went\s+(?:up|down)|changed|reduced|accounted\s+for|was|were|is|are|stood\s+at)"
                     r"(?:\s+(?:by|to|at|of|for))?\s*(?:a|an|around|about|some|nearly|almost|over)?\s*$", re.I)


def _subject(before: str) -> str:
    """The subject of the clause a number ends (``victim-based crime`` in ``..., victim-based crime
    decreased by``): the words after the last clause boundary, without the verb of change."""
    clause = re.split(r"[,;:(]|\b(?:and|but|while|whereas)\b", before)[-1]
    m = _CHANGE.search(clause)
    if not m:
        return ""
    words = [w for w in clause[: m.start()].split() if w.lower() not in ("the", "a", "an")][-6:]
    subject = " ".join(words)
    if not words or all(w.lower() in _STOP | _PRONOUNS for w in words) or re.search(r"[\d()]", subject):
        return ""  # no subject, a pronoun, or a period or aside rather than what is measured
    return subject


def _plural(phrase: str) -> bool:
    """A counted noun phrase has a plural word in it (``officers``, ``people``, ``children``)."""
    return any(re.fullmatch(r"[A-Za-z-]{3,}(?<!ss)s|people|children|staff|personnel|police|crime|women|men", w,
                            re.I) for w in phrase.split()[:4])


#: What a table's caption says its numbers are: a rate in brackets, or a share.
_CAPTION_PER = re.compile(r"\(per\s+([^)]+)\)|\bper\s+(1,000|one thousand|100,000|one million|million)\s+"
                          r"(?:of\s+the\s+)?(population|people)\b", re.I)
_CAPTION_SHARE = re.compile(r"\b(?:percentage|proportion|percent|per\s+cent|share)\b", re.I)
_CAPTION_LEAD = re.compile(r"^(?:Figure|Table|Chart)\s+\d+[a-z]?\s*:\s*")


def _table_unit(caption: str, table: Table) -> str | None:
    """The unit of a table's numbers, as its caption (or its cells' percent signs) states it, else None."""
    if m := _CAPTION_PER.search(caption):
        return "per " + " ".join((m.group(1) or f"{m.group(2)} {m.group(3)}").split())
    if _CAPTION_SHARE.search(caption) or any(c.text.endswith("%") for c in table.cells):
        return "percent"
    return None


def _table_rows(table: Table) -> tuple[list[Cell], list[tuple[Cell, list[Cell]]]]:
    """A two-column table's headers (the column of the force, then the one it is compared with) and its
    rows (a label and its two values), as PDF extraction leaves them: the column headers first, then
    each row's label followed by its values. The values of the first row may come before its label (the
    extraction read them first); numbers beyond a row's two values (an outcome number, a total) and
    labels without values are left alone (unknown is better than wrong)."""
    cells = [c for c in table.cells if c.text != "*"]
    heads: list[Cell] = []
    while len(cells) > len(heads) and cells[len(heads)].number is None:
        heads.append(cells[len(heads)])
    runs = []  # (label index, the values that follow it)
    for i, c in enumerate(cells):
        if c.number is None:
            vals = []
            for d in cells[i + 1:]:
                if d.number is None:
                    break
                vals.append(d)
            runs.append((i, vals))
    widths = [len(v) for _, v in runs if len(v) >= 2]
    if not widths or min(widths) != 2 or len(heads) < 2:
        return [], []
    rows: list[tuple[Cell, list[Cell]]] = []
    first_label = 2 if len(heads) > 2 else next((i for i, _ in runs if i >= 2), None)
    for i, vals in runs:
        if i < 2:
            continue
        if len(vals) >= 2:
            rows.append((cells[i], vals[:2]))
        elif i == first_label and len(heads) == 2:  # the first row's values, read before its label
            before = cells[2:i]
            if len(before) >= 2 and all(c.number is not None for c in before):
                rows.append((cells[i], before[:2]))
    return heads[:2], rows


def _table_figures(doc: Document, table: Table, force: str | None, own: re.Pattern[str]) -> list[Figure]:
    """The figures of a table that follows a caption: for each row, the force's column's value as a figure,
    the other column's as its comparison, the caption's unit and period, the row's label and the
    caption's subject as what it measures, and the label and value cells as evidence (in parts)."""
    if not table.caption:
        return []
    unit = _table_unit(table.caption, table)
    heads, rows = _table_rows(table)
    if unit is None or not rows:
        return []
    caption = _CAPTION_LEAD.sub("", table.caption)
    subject = re.split(r",|\s+(?:in|by|for|as at)\s+|\s*\(", caption, maxsplit=1)[0].strip()
    period = _PERIOD.search(caption)
    when = re.sub(r"^(?:in|for|during|over|of|as)\s+(?:the\s+|at\s+)?", "", " ".join(period.group(0).split()),
                  flags=re.I) if period else None
    who = force if force and own.search(heads[0].text) else None
    out = []
    for label, (value, versus) in rows:
        parts = tuple(sorted((c.start, c.end) for c in (label, value, versus)))
        ev = Evidence(doc.report, parts[0][0], parts[-1][1], PART_SEPARATOR.join(doc.text[a:b] for a, b in parts),
                      "figures.table-cell", None, doc.page_of(parts[0][0]), parts)
        out.append(Figure(_fmt(value.number or 0.0), unit, f"{subject}: {label.text}", ev, who, heads[1].text,
                          _fmt(versus.number or 0.0), when))
    return out


def read_figures(doc: Document, force: str | None, force_names: Iterable[str] = ()) -> tuple[Figure, ...]:
    """Every figure stated in the sentences of a laid-out report.

    Args:
        doc: the laid-out report.
        force: the key of the report's force (the entity a figure is about when its sentence names it).
        force_names: the force's names and its area's (``Warwickshire Police``, ``Warwickshire``).
    """
    names = [n for n in force_names if n]
    own = re.compile(r"\b(?:the\s+(?:force|constabulary|alliance)|" + "|".join(re.escape(n) for n in names) + r")\b"
                     if names else r"\bthe\s+(?:force|constabulary|alliance)\b", re.I)
    out: list[Figure] = []
    for span in doc.sentences:
        s = doc.display(span)
        if _TABLE.search(s):
            continue  # a table flattened into lines of numbers: no sentence says what each one is
        found = list(_matches(s))
        if not found:
            continue
        period = _PERIOD.search(s)
        when = re.sub(r"^(?:in|for|during|over|of|as)\s+(?:the\s+|at\s+)?", "", " ".join(period.group(0).split()),
                      flags=re.I) if period else None
        who = force if force and own.search(s) else None
        ev = doc.evidence(span, "figures.sentence")
        kept: list[tuple[FigureMatch, str | None, str | None]] = []
        comparing = bool(_COMPARING.match(s))
        for f in found:
            sign = -1.0 if (_NEGATIVE_BEFORE.search(s[max(0, f.start - 40): f.start])
                            or _NEGATIVE_AFTER.match(s[f.end:])) else 1.0
            value = sign * f.value
            if kept and f.unit == kept[-1][0].unit and _NATIONAL_BEFORE.search(s[: f.start]):
                prev, _, _ = kept[-1]
                kept[-1] = (prev, "England and Wales", _fmt(value))
                continue
            if comparing and not kept and out and out[-1].unit == f.unit and out[-1].comparator is None \
                    and (_NATIONAL.match(s[f.end:]) or "england and wales" in s[: f.start].lower()):
                out[-1] = replace(out[-1], comparator="England and Wales", comparator_value=_fmt(value))
                continue
            if kept and f.unit == kept[-1][0].unit and _BEFORE_COMPARATOR.search(s[kept[-1][0].end: f.start]) \
                    and (nat := _NATIONAL.match(s[f.end:])):
                prev, _, _ = kept[-1]
                kept[-1] = (prev, " ".join(nat.group(1).split()), _fmt(value))
                continue
            kept.append((FigureMatch(f.start, f.end, value, f.unit, f.measure), None, None))
        for f, comparator, comparator_value in kept:
            out.append(Figure(_fmt(f.value), f.unit, f.measure, ev, who, comparator, comparator_value, when))
    for table in doc.tables:
        out.extend(_table_figures(doc, table, force, own))
    return tuple(out)
