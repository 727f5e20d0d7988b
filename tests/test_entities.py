"""Entities: vocabulary, acronym definitions, name patterns, aliases, anaphora, evidence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from peelgraph.extract import entities
from peelgraph.extract.structure import parse
from peelgraph.extract.vocabulary import concepts
from peelgraph.graph.build import extract
from peelgraph.text.layout import layout

OTHER = Path(__file__).parent / "data" / "other"
EXPECTED = json.loads((OTHER / "expected.json").read_text(encoding="utf-8"))
OTHER_REPORTS = sorted(k for k, v in EXPECTED.items() if v["is_report"])
WARWICKSHIRE_ONLY = ("Warwickshire", "West Mercia", "StraDA", "i24", "Leamington Spa", "Nuneaton", "SOCJAG")


def _ents(text: str) -> entities.EntitySet:
    doc = layout("t", text)
    return entities.extract(doc, parse(doc))


HEAD = "PEEL: Police effectiveness 2018\nAn inspection of Gwent Police\n\n"


def test_vocabulary_reads_concepts_without_rdflib() -> None:
    voc = {c.key: c for c in concepts()}
    assert len(voc) >= 150
    assert voc["mash"].kind == "collaboration" and voc["mash"].scope == "local"
    assert voc["snt"].broader == "npt"


@pytest.mark.parametrize("acr, before, expected", [
    ("MASH", "the multi-agency safeguarding hub", "multi-agency safeguarding hub"),
    ("VRU", "set up the Violence Reduction Unit", "Violence Reduction Unit"),
    ("OCGM", "by organised crime group mapping", "organised crime group mapping"),
    ("XYZ", "a quite unrelated phrase", None),
], ids=["lower", "capitals", "four-letters", "no-match"])
def test_long_form_for(acr: str, before: str, expected: str | None) -> None:
    assert entities.long_form_for(acr, before) == expected


def test_text_defined_acronym_becomes_entity_with_alias_and_plural() -> None:
    e = _ents(HEAD + "The force set up the Gwent Harm Panel (GHP). The GHPs meet weekly.\n")
    got = e.by_key["gwent-harm-panel"]
    assert got.kind == "collaboration" and "GHP" in got.aliases
    assert len(got.mentions) == 3 and got.notes


def test_variant_expansion_merges_with_note() -> None:
    e = _ents(HEAD + "The force employs domestic abuse risk officers (DAROs). Later, the domestic abuse "
              "referral officers (DAROs) were trained.\n")
    # the name comes from the text (DARO is no longer a vocabulary concept: no source outside one
    # report names it), so find the entity by its acronym
    daro = next(x for x in e.entities if {"DARO", "DAROs"} & set(x.aliases))
    assert "domestic abuse referral officers" in daro.aliases or daro.label.startswith("domestic abuse r")
    assert len(daro.mentions) >= 3


def test_coordinated_names_split() -> None:
    e = _ents(HEAD + "It works with Newport City Council and the Aneurin Bevan University Health Board.\n")
    assert {"newport-city-council", "aneurin-bevan-university-health-board"} <= set(e.by_key)


def test_anaphora_only_with_one_candidate() -> None:
    one = _ents(HEAD + "Gwent Police and Dyfed-Powys Police formed the Gwent and Dyfed-Powys alliance. "
                "The alliance shares a control room.\n")
    key = "gwent-and-dyfed-powys-alliance"
    assert len(one.by_key[key].mentions) == 2
    two = _ents(HEAD + "The force runs the Safer Newport Partnership and the Torfaen Community Partnership. "
                "The partnership meets monthly.\n")
    assert all(len(x.mentions) == 1 for x in two.entities if x.kind == "collaboration")


def test_unknown_is_better_than_wrong() -> None:
    e = _ents(HEAD + "Reports of child sexual exploitation (CSE) rose. Serious crime groups (SCGs) were mapped.\n")
    assert not any(k.startswith(("child-sexual", "serious-crime")) for k in e.by_key)


def test_shipped_report_entities(rules_extraction) -> None:
    keys = {e.key for e in rules_extraction.entities}
    # the harm assessment units, the SOCJAG and the DAROs are named from the text's own acronym
    # definitions (their names are this report's, not the shared vocabulary's)
    for k in ("thrive", "mash", "harm-assessment-units", "iom", "mappa",
              "serious-and-organised-crime-joint-action-group", "strada", "west-mercia-police", "csp", "rocu",
              "gain", "riu", "nca", "cps", "probation-service", "housing-provider", "local-authority",
              "childrens-services", "dwp", "hmrc", "action-fraud", "acro", "lrf", "pcc", "dash",
              "domestic-abuse-referral-officers", "dvpn",
              "dvpo", "sara", "four-p", "morile", "apstra", "i24", "troubled-families", "harm-reduction-hubs",
              "warwickshire-and-west-mercia-alliance", "serious-and-organised-crime-unit", "warwickshire-police"):
        assert k in keys, k


def test_shipped_alias_merges(rules_extraction) -> None:
    by = {e.key: e for e in rules_extraction.entities}
    alliance = by["warwickshire-and-west-mercia-alliance"]
    assert {"strategic alliance", "Warwickshire/West Mercia Police strategic alliance"} <= set(alliance.aliases)
    assert alliance.notes
    assert {"ROCU", "ROCUs"} <= set(by["rocu"].aliases)
    assert "npt" not in by and any("broader" in n for n in by["snt"].notes)
    assert by["thrive"].definition and by["thrive"].definition_evidence is not None
    assert by["warwickshire-police"].kind == "force" and by["thrive"].scope == "national"


def test_every_mention_reslices(rules_extraction, report_text: str) -> None:
    n = 0
    for e in rules_extraction.entities:
        assert e.mentions, e.key
        for ev in (*e.mentions, *([e.definition_evidence] if e.definition_evidence else [])):
            assert ev.reslice(report_text) == ev.quote  # every part (a mention a footnote interrupts is in parts)
            n += 1
    assert n > 500


@pytest.mark.parametrize("name", OTHER_REPORTS)
def test_other_texts(name: str) -> None:
    ex = extract(OTHER / name, curate=False)
    exp = EXPECTED[name]
    assert ex.report.force == exp["force"]
    forces = [e for e in ex.entities if e.kind == "force"]
    assert any(e.label == exp["force"] for e in forces)
    for e in ex.entities:
        for s in (e.label, *e.aliases):
            assert not any(w.lower() in s.lower() for w in WARWICKSHIRE_ONLY), (e.key, s)
    assert len(ex.entities) >= 10


def test_other_texts_find_named_collaborations() -> None:
    kent = {e.key for e in extract(OTHER / "kent-peel-2022.txt", curate=False).entities}
    assert {"kent-community-safety-partnership", "kent-resilience-forum", "mappa", "vru"} <= kent
    cumbria = {e.key: e for e in extract(OTHER / "cumbria-effectiveness-2017.txt", curate=False).entities}
    assert {"lrf", "mash", "iom", "thrive", "sara", "morile"} <= set(cumbria)
    assert "Cumbria Local Resilience Forum" in cumbria["lrf"].aliases and cumbria["lrf"].notes
