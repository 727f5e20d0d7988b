"""peelgraph.text.layout: layout rules on hand-written texts and on the shipped report."""

from __future__ import annotations

import re
from pathlib import Path

from peelgraph.text.layout import FixedHeadings, layout
from peelgraph.text.read import load


def test_page_break_line_joins_the_sentence_it_interrupts() -> None:
    text = "The force works with\n partners in the county.\n"
    doc = layout("r", text)
    assert [doc.display(s) for s in doc.sentences] == ["The force works with partners in the county."]
    assert doc.quote(doc.sentences[0]) == "The force works with\n partners in the county."


def test_footnote_is_taken_out_of_the_running_text_and_its_reference_dropped() -> None:
    text = (
        "Meetings are based on THRIVE.1 They are held daily and\n"
        "1\n\nThe THRIVE model assesses threat, harm and risk in every call for service.\n"
        " include partners from the council.\n"
    )
    doc = layout("r", text)
    assert [doc.display(s) for s in doc.sentences] == [
        "Meetings are based on THRIVE.",
        "They are held daily and include partners from the council.",
    ]
    (fn,) = doc.footnotes
    assert fn.number == 1 and text[fn.start : fn.end].startswith("The THRIVE model")
    assert fn.reference is not None and text[fn.reference] == "1"


def test_bare_page_numbers_and_table_cells_are_not_footnotes() -> None:
    text = "A sentence ends here.\n12\n\nthis continues the text on a new page.\n7\n\nCaution\n"
    doc = layout("r", text)
    assert doc.footnotes == ()


def test_broken_hyphenation_is_repaired_only_when_the_hyphenated_form_occurs() -> None:
    text = "Problem-solving is good. Officers use problemsolving models. Callhandling varies.\n"
    doc = layout("r", text)
    assert "problem-solving models" in doc.norm
    assert "Callhandling" in doc.norm  # no hyphenated form elsewhere: never guessed
    s = doc.sentences[1]
    assert doc.quote(s) == "Officers use problemsolving models."


def test_question_headings_may_wrap_and_bullets_stay_apart() -> None:
    text = (
        "How effectively does the force work with\npartners to keep people safe?\n"
        "Partners value the force.\n\nAreas for improvement\n\n\n"
        "The force should do one thing.\n\n\n\nThe force should do another.\n"
    )
    doc = layout("r", text, headings=FixedHeadings(("areas for improvement",)))
    assert [doc.display(h) for h in doc.headings] == [
        "How effectively does the force work with partners to keep people safe?",
        "Areas for improvement",
    ]
    paras = [doc.display(b.span) for b in doc.blocks if b.kind == "para"]
    assert paras[-2:] == ["The force should do one thing.", "The force should do another."]


def test_fixed_headings_come_from_the_caller_and_the_layer_knows_none() -> None:
    text = "Introduction\n\nThe force works well.\n\nAnnex B – Data\n\nFigures follow.\n"
    plain = layout("r", text)
    assert plain.headings == ()
    fixed = layout("r", text, headings=FixedHeadings(("introduction",), (r"^annex [a-z]\b",)))
    assert [fixed.display(h) for h in fixed.headings] == ["Introduction", "Annex B – Data"]
    assert [fixed.display(s) for s in fixed.sentences] == ["The force works well.", "Figures follow."]


def test_grade_lines_and_label_grade_lines_are_their_own_blocks() -> None:
    text = "Summary of findings\nRequires\nimprovement\n\nThe force is improving.\nInvestigating crime: Good\n"
    doc = layout("r", text)
    kinds = [(b.kind, doc.display(b.span)) for b in doc.blocks]
    assert ("grade", "Requires improvement") in kinds
    assert ("graded", "Investigating crime: Good") in kinds


def test_every_sentence_of_the_shipped_report_maps_back_to_the_file(report_path, report_text) -> None:
    doc = load(report_path)
    assert doc.text == report_text
    assert len(doc.sentences) > 500
    for s in doc.sentences:
        quote = doc.quote(s)
        assert quote == report_text[s.start : s.end]
        # the display form differs only by layout: whitespace, footnote marks, repaired hyphens
        squash = "".join(ch for ch in quote if not ch.isspace() and not ch.isdigit() and ch != "-")
        disp = "".join(ch for ch in doc.display(s) if not ch.isspace() and not ch.isdigit() and ch != "-")
        assert squash.startswith(disp[:20]) or disp in squash or len(doc.display(s)) < len(quote) + 5


def test_shipped_report_footnotes_are_found_in_sequence(report_path) -> None:
    doc = load(report_path)
    numbers = [f.number for f in doc.footnotes]
    assert numbers == sorted(numbers)
    assert {4, 5, 17, 19, 23, 24, 26} <= set(numbers)
    thrive = next(f for f in doc.footnotes if f.number == 4)
    assert doc.text[thrive.start : thrive.end].startswith("The THRIVE concept assesses threat")


# ---- clean quotes: furniture cut out of every quote -----------------------------------------------------

def test_a_sentence_a_footnote_interrupts_is_evidence_in_parts() -> None:
    text = ("The constabulary shares a control room with the fire service.3 It also works with\n"
            "3\n\nThe control room opened in 2015 and takes every emergency call.\n"
            " 12\n"
            "the ambulance trust. It works well.\n")
    doc = layout("r", text)
    second = doc.sentences[1]
    ev = doc.evidence(second, "demo")
    assert [text[a:b] for a, b in ev.parts] == ["It also works with", "the ambulance trust."]
    assert ev.quote == "It also works with\nthe ambulance trust."
    assert (ev.start, ev.end) == (second.start, second.end) and ev.reslice(text) == ev.quote
    assert {f.kind for f in doc.furniture_in(ev.start, ev.end)} == {"footnote", "page-number"}
    assert doc.evidence(doc.sentences[2], "demo").parts == ((text.index("It works"), len(text) - 1),)
    assert [fn.number for fn in doc.footnotes] == [3]


def test_tables_notes_and_running_headers_are_furniture_not_sentences() -> None:
    header = "PEEL: Police effectiveness 2018 – Exampleshire Constabulary\n"
    text = ("Contents\nOverall summary 1\nHow well does the constabulary prevent\ncrime? 4\nNext steps 9\n\n"
            "The constabulary recorded fewer burglaries this year.\n"
            "Table 2: Outcomes assigned to burglaries, by outcome type\n"
            "Outcome type\n\nExampleshire\n\nEngland and Wales\n\nCharged\n\n12.4\n\n10.1\n\n"
            "Caution\n\n3.0\n\n2.2\n\nNo further action\n\n70.5\n\n71.0\n\n"
            "Source: Home Office data\n\n"
            "Burglary victims are visited within\n" + " " + header + "a day of the report.\n"
            "Officers give crime prevention advice.\n" + " " + header + "Every victim is called back.\n"
            "Neighbourhood teams patrol the streets.\n" + " " + header + "They know the area.\n")
    doc = layout("r", text)
    kinds = sorted({f.kind for f in doc.furniture})
    assert kinds == ["caption", "contents", "header", "note", "table"], kinds
    shown = [doc.display(s) for s in doc.sentences]
    assert shown[:3] == ["The constabulary recorded fewer burglaries this year.",
                         "Burglary victims are visited within a day of the report.",
                         "Officers give crime prevention advice."]
    for s in doc.sentences:
        ev = doc.evidence(s, "demo")
        assert "12.4" not in ev.quote and "PEEL:" not in ev.quote and "Source" not in ev.quote
        assert ev.reslice(text) == ev.quote


#: Whole lines of a file that are not running text: a line that is only a number (a page number, a
#: footnote's number, a table cell), a caption's or a figure note's first line.
_FURNITURE_LINE = re.compile(r"(?m)^[ \t]*(?:\d{1,3}(?:,\d{1,3})*[ \t]*$|(?:Figure|Table|Chart)\s+\d+\s*:|"
                             r"Source\s*:|Note\s*:)[^\n]*")


def _footnote_bodies(text: str) -> list[tuple[int, int]]:
    """Footnote texts found here without the layout: a number line, a blank line, then the lines up to a
    blank line or a page break, where the number is also glued to a word or a stop earlier in the text
    (the footnote's reference). Only bodies of 40 characters or more, to be safe from table cells."""
    out = []
    for m in re.finditer(r"(?m)^(\d{1,3})\n\n((?:[^ \n][^\n]*(?:\n|$))+)", text):
        n = m.group(1)
        if len(m.group(2).strip()) >= 40 and re.search(rf"[A-Za-z.,;:)’”]{n}(?!\d)", text[: m.start()]):
            out.append((m.start(2), m.start(2) + len(m.group(2).rstrip("\n"))))
    return out


def _quotes(ex):
    """Every evidence of an extraction, with what it is: the units, and the facts' (mentions, definitions,
    relations, findings, figures, judgements, questions, sections)."""
    for u in ex.units:
        yield f"unit:{u.kind}", u.evidence
    for e in ex.entities:
        for m in (*e.mentions, *([e.definition_evidence] if e.definition_evidence else [])):
            yield "mention", m
    yield from (("relation", r.evidence) for r in ex.relations)
    yield from (("finding", f.evidence) for f in ex.findings)
    yield from (("figure", f.evidence) for f in ex.figures)
    yield from (("judgement", j.evidence) for j in ex.judgements)
    yield from (("question", q.evidence) for q in ex.questions)
    yield from (("section", s.evidence) for s in ex.sections)


def _dirty(ex, text: str) -> list[str]:
    """The quotes that hold furniture: by the layout's own classification (furniture overlapping a part
    that it does not hold whole) and by checks made here without it (a footnote's text, a line that is
    only a number, a caption's or a figure note's first line, overlapping a part it does not hold)."""
    doc = layout_of(text)
    bodies = _footnote_bodies(text) + [(m.start(), m.end()) for m in _FURNITURE_LINE.finditer(text)]
    bad = []
    for what, ev in _quotes(ex):
        assert ev.reslice(text) == ev.quote, (what, ev)
        own = what in ("unit:footnote", "unit:caption") or ev.rule == "layout.footnote"
        for a, b in ev.parts:
            inside = [f for f in doc.furniture_in(a, b) if not (f.start <= a and b <= f.end)]
            part = text[a:b]
            if inside or (not own and any(a < e and s < b and not (s <= a and b <= e) for s, e in bodies)):
                bad.append(f"{what} {ev.start}-{ev.end} {[f.kind for f in inside]} {part[:60]!r}")
    return bad


def layout_of(text: str):
    from peelgraph.extract.templates import layout as template_layout

    return template_layout("r", text)


def test_no_quote_of_the_shipped_report_holds_furniture(extraction, report_text) -> None:
    """Before issue 12 item 5: 13 sentences and 13 fact quotes (8 findings, 2 relations, a figure's
    sentence, a mention) held a footnote pasted into them; tables and chart labels made sentences."""
    assert _dirty(extraction, report_text) == []
    multi = [u for u in extraction.units if len(u.evidence.parts) > 1]
    assert len(multi) >= 13  # the sentences broken by a page break with footnotes between their halves
    assert len(_footnote_bodies(report_text)) >= 12


def test_no_quote_of_the_texts_in_other_wording_holds_furniture() -> None:
    from peelgraph.graph.build import extract

    other = Path(__file__).resolve().parent / "data" / "other"
    checked = 0
    for path in sorted(other.glob("*.txt")):
        if path.name == "not-a-report.txt":
            continue
        text = path.read_text(encoding="utf-8")
        assert _dirty(extract(path, source=path.name), text) == [], path.name
        checked += 1
    assert checked >= 15
