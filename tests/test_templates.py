"""peelgraph.extract.templates: the registry (lazy, ordered), ``best``, refusals, and every template on
texts written in its wording (``tests/data/other/templates.json``): force, year, pillar and every
stated grade; force and year from the title first."""

from __future__ import annotations

import json
import re
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
EXPECTED = {k: v for k, v in json.loads((OTHER / "templates.json").read_text(encoding="utf-8")).items()
            if not k.startswith("_")}
#: Which template reads each text of tests/data/other (those of templates.json, and the earlier ones).
TEMPLATE_OF = {**{name: exp["template"] for name, exp in EXPECTED.items()},
               "cumbria-effectiveness-2017.txt": "peel-pillar-2014",
               "dyfed-powys-effectiveness-2015.txt": "peel-pillar-2014",
               "kent-peel-2022.txt": "peel-areas-2021",
               "northumbria-web-summary-2016.txt": "web-page-2014",
               # the three web summaries written for the relation types (issue 12)
               "avon-and-somerset-web-summary-2016.txt": "web-page-2014",
               "gloucestershire-web-summary-2016.txt": "web-page-2014",
               "lincolnshire-web-summary-2016.txt": "web-page-2014",
               # and the three more written for the relation types
               "devon-and-cornwall-web-summary-2016.txt": "web-page-2014",
               "hampshire-web-summary-2016.txt": "web-page-2014",
               "merseyside-web-summary-2016.txt": "web-page-2014"}
REGISTERED = ["press-release-2014", "web-page-2014", "peel-risk-2017", "peel-integrated-2018", "peel-areas-2021",
              "peel-pillar-2014"]


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


def test_the_templates_are_registered_most_particular_first() -> None:
    assert [t.id for t in templates.templates()] == REGISTERED
    t = templates.get("peel-pillar-2014")
    assert isinstance(t, PeelPillar) and t is templates.get("peel-pillar-2014")  # made once
    assert (t.version, t.vocabulary) == ("2.0", VOCABULARY)
    assert _protocol_check(Newsletter()).id == "toy-newsletter"


def test_a_registered_template_is_imported_on_first_use(registry) -> None:
    sys.modules.pop("peelgraph_toy_never_imported", None)
    templates.register("toy-missing", "peelgraph_toy_never_imported", "Toy")  # nothing imported yet
    with pytest.raises(UsageError, match="cannot import peelgraph_toy_never_imported.Toy"):
        templates.get("toy-missing")


def test_best_picks_a_registered_toy_for_the_text_it_fits(registry) -> None:
    templates.register("toy-newsletter", __name__, "Newsletter")
    doc = templates.load(NEWSLETTER)
    assert [t.id for t in templates.templates()] == [*REGISTERED, "toy-newsletter"]
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
    assert [t.id for t in templates.templates()] == [*REGISTERED[:-1], "toy-everything", "peel-pillar-2014"]
    assert templates.best(doc).id == "toy-everything"  # the other templates do not claim the shipped report


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
    with pytest.raises(UsageError, match=re.escape(f"no template 'nope' (registered: {', '.join(REGISTERED)})")):
        templates.get("nope")
    templates.register("toy-misnamed", __name__, "Misnamed")
    with pytest.raises(UsageError, match="says its id is 'toy-newsletter'"):
        templates.get("toy-misnamed")


def test_every_other_text_has_its_template() -> None:
    assert sorted(TEMPLATE_OF) == OTHER_TEXTS


@pytest.mark.parametrize("name", OTHER_TEXTS)
def test_parse_records_the_template_that_read_each_other_text(name: str) -> None:
    st = parse(templates.load(OTHER / name))
    assert st.template is not None
    assert st.template.id == TEMPLATE_OF[name]
    assert st.template.version == templates.get(TEMPLATE_OF[name]).version
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
    names = templates.headings().names
    assert set(VOCABULARY.headings.names) <= set(names)
    assert {"effectiveness", "efficiency", "legitimacy"} <= set(names)  # the integrated report's pillar headings
    assert VOCABULARY.grades == GRADES and VOCABULARY.grade_phrase == GRADE_PHRASE
    assert {"summary of findings", "areas for improvement", "causes of concern", "recommendations"} <= \
        set(VOCABULARY.headings.names)


def test_read_evidence_names_the_report_id(report_path) -> None:
    st = PeelPillar().read(templates.load(report_path))
    assert st.meta.force_evidence is not None and st.meta.year_evidence is not None
    evs = [st.meta.force_evidence, st.meta.year_evidence, *(q.evidence for q in st.questions)]
    assert {ev.report for ev in evs} == {"warwickshire-police-effectiveness-2016"}


# ---- each template on texts in its wording ---------------------------------------------------------------


def _stated(st) -> list[dict]:
    """Every judgement of a structure as templates.json writes it."""
    labels = {q.number: re.sub(r"\s+", " ", q.text) for q in st.questions}
    names = dict(st.meta.forces) or {st.meta.force_slug: st.meta.force}
    out = []
    for j in st.judgements:
        row = {"pillar": j.pillar or st.meta.pillar, "question": labels[j.question] if j.question else "overall",
               "grade": j.grade.replace("-", " ")}
        if st.meta.forces:
            row = {"force": names[j.force or st.meta.force_slug], **row}
        if j.previous_grade and not j.carried_from:
            row["previous"] = [j.previous_grade.replace("-", " "), j.previous_year]
        if j.carried_from:
            row["carried_from"] = j.carried_from
        out.append(row)
    return out


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_template_reads_force_year_pillar_and_every_stated_grade(name: str) -> None:
    exp = EXPECTED[name]
    doc = templates.load(OTHER / name)
    assert templates.best(doc).id == exp["template"]
    st = parse(doc)
    m = st.meta
    assert (m.force, m.year, m.pillar, m.publisher) == (exp["force"], exp["year"], exp["pillar"], exp["publisher"])
    assert [name for _, name in m.forces] == exp.get("forces", [])
    key = lambda row: sorted(row.items(), key=str)  # noqa: E731
    assert sorted(_stated(st), key=key) == sorted(exp["judgements"], key=key)
    kinds: dict[str, int] = {}
    for f in st.findings:
        kinds[f.kind] = kinds.get(f.kind, 0) + 1
    assert kinds == exp["findings"]
    # every fact's evidence is an exact slice of the text, and names the report
    text = (OTHER / name).read_text(encoding="utf-8")
    evs = [j.evidence for j in st.judgements] + [j.previous_evidence for j in st.judgements if j.previous_evidence]
    evs += [f.evidence for f in st.findings] + [q.evidence for q in st.questions]
    for ev in evs:
        assert text[ev.start:ev.end] == ev.quote and ev.report == m.id


def test_a_carried_judgement_quotes_the_sentence_that_carries_it() -> None:
    st = parse(templates.load(OTHER / "essex-effectiveness-2017.txt"))
    carried = [j for j in st.judgements if j.carried_from]
    assert [j.question for j in carried] == [1, 4]
    assert all(j.previous_grade == j.grade and j.previous_year == 2016 for j in carried)
    assert "was not inspected in 2017" in carried[1].previous_evidence.quote
    assert carried[1].previous_evidence.rule == "structure.carried-grade"


def test_a_cycle_of_several_years_records_the_year_the_force_was_inspected() -> None:
    st = parse(templates.load(OTHER / "surrey-peel-2023-25.txt"))
    assert st.meta.id == "surrey-police-peel-2024"
    assert st.meta.title == "PEEL 2023–25 (inspected 2024) – An inspection of Surrey Police"
    assert "in May 2024" in st.meta.year_evidence.quote
    undated = templates.layout("r", (OTHER / "surrey-peel-2023-25.txt").read_text(encoding="utf-8")
                               .replace("inspected the\nforce in May 2024", "inspected the\nforce"))
    st2 = parse(undated)
    assert st2.meta.year == 2025 and any("the year this force was inspected is not stated" in w
                                         for w in st2.warnings)


def test_an_integrated_report_gives_one_overall_judgement_per_pillar_with_its_evidence() -> None:
    st = parse(templates.load(OTHER / "norfolk-peel-2018-19.txt"))
    overall = {j.pillar: j for j in st.judgements if j.question == 0}
    assert sorted(overall) == ["effectiveness", "efficiency", "legitimacy"]
    assert overall["efficiency"].evidence.quote.startswith("How efficiently does the force operate")
    assert overall["legitimacy"].previous_evidence is not None
    assert "Last year, we judged the constabulary to be good" in overall["legitimacy"].previous_evidence.quote


def test_a_force_page_gives_each_pillar_sentence_as_its_own_judgement() -> None:
    st = parse(templates.load(OTHER / "kent-force-page-2016.txt"))
    quotes = {j.pillar: j.evidence.quote for j in st.judgements}
    assert quotes["legitimacy"] == ("The extent to which the force is legitimate in keeping people safe and reducing "
                                    "crime requires improvement.")
    assert st.meta.force_evidence is not None and st.meta.force_evidence.quote == "Kent 2016"


def test_a_page_without_a_stated_year_uses_its_date_with_a_warning() -> None:
    page = (OTHER / "cheshire-effectiveness-page-2016.txt").read_text(encoding="utf-8")
    text = page.replace("Cheshire 2016\n", "Cheshire Constabulary\n")
    st = parse(templates.layout("r", text))
    assert st.meta.year == 2017 and any("states no inspection year" in w for w in st.warnings)


# ---- force and year from the title first ----------------------------------------------------------------


@pytest.fixture(scope="module")
def renamed(report_path) -> str:
    """The shipped report with its force renamed to a body outside the 43 territorial forces."""
    return report_path.read_text(encoding="utf-8").replace("Warwickshire Police", "British Transport Police")


def test_a_renamed_non_territorial_force_stays_itself(renamed: str) -> None:
    st = parse(templates.layout("btp", renamed))
    m = st.meta
    assert (m.force, m.force_slug, m.id) == ("British Transport Police", "british-transport-police",
                                             "british-transport-police-effectiveness-2016")
    assert m.title == "PEEL: Police effectiveness 2016 – An inspection of British Transport Police"
    assert "findings for British Transport Police" in m.force_evidence.quote
    assert any("British Transport Police is not one of the 43 territorial police forces" in w for w in st.warnings)
    assert "Dorset" not in m.title + m.force  # named most often (in footnotes on data), never the subject
    assert {j.grade for j in st.judgements if j.question == 0} == {"good"}


@pytest.mark.parametrize("body", ["Civil Nuclear Constabulary", "Ministry of Defence Police", "National Crime Agency",
                                  "Police Service of Northern Ireland"])
def test_other_bodies_the_inspectorate_inspects_are_minted_from_the_title(body: str) -> None:
    text = (f"PEEL: Police effectiveness 2016\nAn inspection of {body}\n\nHMIC inspected the force. Kent Police, "
            "Kent Police and Kent Police were compared.\n\nOverall judgement\nGood\n")
    st = parse(templates.layout("r", text))
    assert st.meta.force == body and st.meta.force_slug == body.lower().replace(" ", "-")


def test_a_force_of_the_43_named_in_the_title_keeps_its_canonical_name() -> None:
    text = ("PEEL: Police effectiveness 2016\nAn inspection of Avon and Somerset Police\n\nHMIC inspected the force."
            " Dorset Police, Dorset Police and Dorset Police were compared.\n\nOverall judgement\nGood\n")
    st = parse(templates.layout("r", text))
    assert (st.meta.force, st.meta.force_slug) == ("Avon and Somerset Constabulary", "avon-and-somerset-constabulary")
    assert not any("not one of the 43" in w for w in st.warnings)


def test_the_shapes_accept_the_graph_of_every_template() -> None:
    """The SHACL shapes (pillar lists with pg:Peel, grade schemes, ORG and DCAT statements) accept the
    graph of each text in another template's wording, not only the shipped report's."""
    from peelgraph.ask.validate import validate_graph
    from peelgraph.graph.build import extract
    from peelgraph.graph.rdf import extraction_to_graph

    extractions = [extract(OTHER / name, curate=False) for name in OTHER_TEXTS]
    result = validate_graph(extraction_to_graph(extractions))
    assert result.conforms, result.text[:3000]
