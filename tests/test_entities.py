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


# ---------------------------------------------------------------- general rules, in other wording (issue 12)


def test_short_proper_names_match_case_sensitively() -> None:
    e = _ents(HEAD + "Victims are referred to Victim Support. The victim supports the prosecution.\n")
    assert len(e.by_key["victim-support"].mentions) == 1


def test_place_named_local_bodies() -> None:
    e = _ents(HEAD + "Gwent Police leads the Eastern Valleys Local Resilience Forum. It works with the East "
              "Midlands Special Operations Unit and with the Eastern Region Special Operations Unit.\n")
    assert "Eastern Valleys Local Resilience Forum" in e.by_key["lrf"].aliases
    units = [x for x in e.entities if any(lab.endswith("Special Operations Unit") for lab in (x.label, *x.aliases))]
    assert len(units) == 2 and all(x.kind == "organisation" for x in units)


def test_name_not_split_inside_a_known_and() -> None:
    e = _ents(HEAD + "The plan is scrutinised by the Gwent Police and Crime Panel and by Newport City Council "
              "and Torfaen Fire and Rescue.\n")
    labels = {lab for x in e.entities for lab in (x.label, *x.aliases)}
    assert "Gwent Police and Crime Panel" in labels and "Crime Panel" not in labels
    assert "Torfaen Fire and Rescue" in labels and e.by_key["police-and-crime-panel"].kind == "organisation"


def test_lower_case_bodies_named_once() -> None:
    e = _ents(HEAD + "The constabulary's digital media investigation unit examines phones. A daily threat "
              "meeting reviews risk. The designated safer neighbourhood team patrols. The chief officer team "
              "decides. A multi-agency team exists. The police service changes. The force's performance "
              "review framework is new.\n")
    assert {"digital-media-investigation-unit", "daily-threat-meeting", "snt", "chief-officers",
            "performance-review-framework"} <= set(e.by_key)
    assert e.by_key["daily-threat-meeting"].kind == "practice"
    assert not {"multi-agency-team", "police-service", "designated-safer-neighbourhood-team"} & set(e.by_key)


def test_acronym_before_a_head_noun() -> None:
    e = _ents(HEAD + "The community safety partnership (CSP) meets. CSP managers attend, and the CSP tasking "
              "group sets priorities. The NCA strategic board met. CID teams investigate.\n")
    assert e.by_key["csp-managers"].kind == "role"
    assert e.by_key["nca-strategic-board"].kind == "unit"  # a board of one organisation is a unit of it
    assert e.by_key["csp-tasking-group"].kind == "collaboration"
    assert "CID teams" in e.by_key["cid"].aliases


def test_posts_acts_appositives_quoted_names_and_ellipsis() -> None:
    e = _ents(HEAD + "The head of safeguarding reports to the Mayor of Greater Manchester. Powers under the "
              "Police Reform and Social Responsibility Act 2011 apply. Arrests per head of population fell. "
              "Nexus, the force's victim care hub, opened in 2019. Furthermore, the team works well. The "
              "'safer streets' team patrols. It works with the fire, ambulance and probation services.\n")
    assert e.by_key["head-of-safeguarding"].kind == "role"  # one word after 'of': 'head of crime'
    assert e.by_key["mayor-of-greater-manchester"].kind == "role"
    assert e.by_key["police-reform-and-social-responsibility-act-2011"].kind == "legal-power"
    assert "head-of-population" not in e.by_key and "furthermore" not in e.by_key
    assert e.by_key["nexus"].kind == "collaboration"
    assert e.by_key["safer-streets-team"].kind == "unit"
    assert {"frs", "ambulance-service", "probation-service"} <= set(e.by_key)


def test_shortened_long_form_before_a_defined_acronym() -> None:
    e = _ents(HEAD + "The county lines joint action group (CLJAG) meets monthly. A joint action group (CLJAG) "
              "was also set up in Newport.\n")
    assert "jag" not in e.by_key
    assert "joint action group" in e.by_key["county-lines-joint-action-group"].aliases


def test_place_or_body_before_a_lower_case_local_concept() -> None:
    e = _ents(HEAD + "The Gwent multi-agency safeguarding hub brings together Newport City Council adult social "
              "care, Torfaen County Council children's and adult social care and Newport City Council's "
              "children's social care service.\n")
    assert "Gwent multi-agency safeguarding hub" in e.by_key["mash"].aliases
    assert "Newport City Council adult social care" in e.by_key["adult-social-care"].aliases
    both = e.by_key["torfaen-county-council-childrens-and-adult-social-care"]
    assert both.kind == "unit"
    # a possessive is the owner's phrase, not this area's instance
    assert not any("Council's" in a for x in e.entities for a in x.aliases)


def test_judged_qualities_and_sentence_adverbs_name_nothing() -> None:
    e = _ents(HEAD + "The force gives a consistent service to victims and a poor service to witnesses. Nationally, "
              "the counter terrorism unit, which is new, works well. Moreover, the regional team, a new one, "
              "helps.\n")
    assert not {"consistent-service", "poor-service", "nationally", "moreover"} & set(e.by_key)
