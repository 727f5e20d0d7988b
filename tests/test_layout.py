"""peelgraph.text.layout: layout rules on hand-written texts and on the shipped report."""

from __future__ import annotations

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
