"""peelgraph.extract.templates: the registry (lazy, ordered), ``best``, refusals, and the PEEL pillar template."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from peelgraph.errors import ReportError, UsageError
from peelgraph.extract import templates
from peelgraph.extract.structure import parse
from peelgraph.extract.templates.base import Structure, Template, Vocabulary, reference
from peelgraph.extract.templates.peel_pillar import VOCABULARY, PeelPillar
from peelgraph.model import ReportMeta
from peelgraph.text.layout import Document, FixedHeadings
from peelgraph.vocab import GRADE_PHRASE, GRADES

OTHER = Path(__file__).parent / "data" / "other"
OTHER_TEXTS = sorted(p.name for p in OTHER.glob("*.txt") if p.name != "not-a-report.txt")
NEWSLETTER = OTHER / "not-a-report.txt"


@dataclass(frozen=True)
class Newsletter:
    """A toy template: a council's residents' newsletter (fits when its first line says so)."""

    id: str = "toy-newsletter"
    version: str = "0.1"
    title: str = "a council's residents' newsletter"
    looks_for: str = "'Newsletter' on the first line"
    vocabulary: Vocabulary = Vocabulary(FixedHeadings(("changes to your bin collections",)), GRADES, GRADE_PHRASE,
                                        VOCABULARY.questions, VOCABULARY.places)
    score: float = 1.0

    def detect(self, doc: Document) -> float:
        return self.score if "Newsletter" in doc.text.split("\n", 1)[0] else 0.0

    def read(self, doc: Document) -> Structure:
        meta = ReportMeta("riverside-newsletter", doc.path, doc.sha256, "", "", "peel", 2016, "",
                          doc.text.split("\n", 1)[0], template=reference(self))
        return Structure(meta, (), (), (), (), (), (), ())


@dataclass(frozen=True)
class EverythingFits(Newsletter):
    """A toy template that claims every text fully (to see ties go to the one registered first)."""

    id: str = "toy-everything"

    def detect(self, doc: Document) -> float:
        return 1.0


class Misnamed(Newsletter):
    """Registered under an id its class does not claim."""


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy of the registry for one test: what it registers is gone afterwards."""
    monkeypatch.setattr(templates, "_REGISTRY", dict(templates._REGISTRY))
    monkeypatch.setattr(templates, "_LOADED", dict(templates._LOADED))


def _protocol_check(t: Template) -> Template:  # mypy checks that the toys are Templates
    return t


def test_the_peel_pillar_template_is_registered_first() -> None:
    assert [t.id for t in templates.templates()] == ["peel-pillar-2014"]
    t = templates.get("peel-pillar-2014")
    assert isinstance(t, PeelPillar) and t is templates.get("peel-pillar-2014")  # made once
    assert (t.version, t.vocabulary) == ("1.0", VOCABULARY)
    assert _protocol_check(Newsletter()).id == "toy-newsletter"


def test_a_registered_template_is_imported_on_first_use(registry) -> None:
    sys.modules.pop("peelgraph_toy_never_imported", None)
    templates.register("toy-missing", "peelgraph_toy_never_imported", "Toy")  # nothing imported yet
    with pytest.raises(UsageError, match="cannot import peelgraph_toy_never_imported.Toy"):
        templates.get("toy-missing")


def test_best_picks_a_registered_toy_for_the_text_it_fits(registry) -> None:
    templates.register("toy-newsletter", __name__, "Newsletter")
    doc = templates.load(NEWSLETTER)
    assert [t.id for t in templates.templates()] == ["peel-pillar-2014", "toy-newsletter"]
    assert templates.best(doc).id == "toy-newsletter"
    st = parse(doc)
    assert st.template is not None and (st.template.id, st.template.version) == ("toy-newsletter", "0.1")
    # the toy's fixed heading joins the registry's headings, so the layout now sees it
    assert "changes to your bin collections" in templates.headings().names
    assert "Changes to your bin collections" in [doc.display(h) for h in doc.headings]


def test_a_tie_goes_to_the_template_registered_first(registry, report_path) -> None:
    doc = templates.load(report_path)
    assert PeelPillar().detect(doc) == 1.0
    templates.register("toy-everything", __name__, "EverythingFits")
    assert templates.best(doc).id == "peel-pillar-2014"
    templates.unregister("peel-pillar-2014")
    templates.register("peel-pillar-2014", "peelgraph.extract.templates.peel_pillar", "PeelPillar")
    assert [t.id for t in templates.templates()] == ["toy-everything", "peel-pillar-2014"]
    assert templates.best(doc).id == "toy-everything"


def test_a_text_no_template_fits_is_refused_with_the_reason() -> None:
    doc = templates.load(NEWSLETTER)
    assert PeelPillar().detect(doc) == 0.0
    with pytest.raises(ReportError) as err:
        templates.best(doc)
    message = str(err.value)
    assert "not a PEEL inspection report: no template fits the text" in message
    assert "peel-pillar-2014 looks for the inspectorate (HMIC, HMICFRS) named" in message
    assert err.value.path == str(NEWSLETTER)


def test_unknown_and_misnamed_templates_are_usage_errors(registry) -> None:
    with pytest.raises(UsageError, match="no template 'nope' \\(registered: peel-pillar-2014\\)"):
        templates.get("nope")
    templates.register("toy-misnamed", __name__, "Misnamed")
    with pytest.raises(UsageError, match="says its id is 'toy-newsletter'"):
        templates.get("toy-misnamed")


@pytest.mark.parametrize("name", OTHER_TEXTS)
def test_parse_records_the_template_that_read_each_other_text(name: str) -> None:
    st = parse(templates.load(OTHER / name))
    assert st.template is not None
    assert (st.template.id, st.template.version) == ("peel-pillar-2014", "1.0")
    assert st.meta.template == st.template


def test_detect_weighs_the_inspectorate_then_pillar_questions_and_grades() -> None:
    pillar = PeelPillar()
    head = "PEEL: Police effectiveness 2016\nAn inspection of Kent Police\n\n"
    unnamed = "Police effectiveness in Kent\n\nThe force is good at investigating crime.\n"
    assert pillar.detect(templates.layout("r", unnamed)) == 0.0  # pillar and grade, but no inspectorate
    assert pillar.detect(templates.layout("r", head + "HMIC inspected the force.\n")) == pytest.approx(1 / 3)
    graded = head + "HMIC inspected the force.\n\nOverall judgement\nGood\n"
    assert pillar.detect(templates.layout("r", graded)) == pytest.approx(2 / 3)


def test_the_template_vocabulary_is_the_layout_headings_and_the_vocab_grades() -> None:
    assert templates.headings() == VOCABULARY.headings
    assert VOCABULARY.grades == GRADES and VOCABULARY.grade_phrase == GRADE_PHRASE
    assert {"summary of findings", "areas for improvement", "causes of concern", "recommendations"} <= \
        set(VOCABULARY.headings.names)


def test_read_evidence_names_the_report_id(report_path) -> None:
    st = PeelPillar().read(templates.load(report_path))
    assert st.meta.force_evidence is not None and st.meta.year_evidence is not None
    evs = [st.meta.force_evidence, st.meta.year_evidence, *(q.evidence for q in st.questions)]
    assert {ev.report for ev in evs} == {"warwickshire-police-effectiveness-2016"}
