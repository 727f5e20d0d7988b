"""peelgraph.extract.units: the report's text as units (sentences, headings, captions, footnotes),
with the entities each names, on the shipped report and on a text written here."""

from __future__ import annotations

from collections import Counter

from helpers import reslices

from peelgraph.extract.units import text_units
from peelgraph.model import Entity, Evidence
from peelgraph.text.layout import layout


def test_every_unit_reslices_and_every_mention_has_its_unit(extraction, report_text) -> None:
    units = extraction.units
    kinds = Counter(u.kind for u in units)
    assert kinds["sentence"] > 500 and kinds["heading"] > 20 and kinds["footnote"] > 10 and kinds["cell"] > 100, kinds
    for u in units:
        assert reslices(report_text, u.evidence), u.evidence
        assert u.text and u.evidence.page
    placed = {(k, m.start) for u in units for k in u.mentions
              for e in extraction.entities if e.key == k
              for m in e.mentions if u.evidence.start <= m.start and m.end <= u.evidence.end}
    every = {(e.key, m.start) for e in extraction.entities for m in e.mentions}
    assert placed == every


def test_a_footnote_is_its_own_unit_and_the_sentence_it_cut_is_in_parts_without_it(extraction, report_text) -> None:
    foot = [u for u in extraction.units if u.kind == "footnote"]
    assert foot
    cut = [u for u in extraction.units if u.kind == "sentence" and any(
        u.evidence.start <= f.evidence.start and f.evidence.end <= u.evidence.end for f in foot)]
    assert len(cut) >= 10  # sentences broken by a page break, the footnotes pasted between their halves
    for u in cut:  # neither the quote nor the text as it reads holds the footnote
        f = next(f for f in foot if u.evidence.start <= f.evidence.start and f.evidence.end <= u.evidence.end)
        assert len(u.evidence.parts) >= 2 and f.evidence.quote[:40] not in u.evidence.quote
        assert f.text[:40] not in u.text
        assert all(not (a < f.evidence.end and f.evidence.start < b) for a, b in u.evidence.parts)


def test_units_of_a_text_in_other_wording() -> None:
    text = ("Does the constabulary work well with partners?\n"
            "The safeguarding board meets monthly.2 Its chair is independent.\n\n"
            "2\n\nThe board was set up in 2014.\n")
    doc = layout("r", text)
    start = text.index("safeguarding board")
    board = Entity("board", "safeguarding board", "collaboration",
                   mentions=(Evidence("r", start, start + 18, "safeguarding board", "demo"),))
    units = text_units(doc, (), (board,))
    got = [(u.kind, u.text, u.mentions) for u in units]
    assert ("heading", "Does the constabulary work well with partners?", ()) in got
    assert ("sentence", "The safeguarding board meets monthly.", ("board",)) in got
    assert ("sentence", "Its chair is independent.", ()) in got
    assert any(k == "footnote" and t == "The board was set up in 2014." for k, t, _ in got), got
