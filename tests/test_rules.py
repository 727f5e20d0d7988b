"""Rules as objects: the registries, each rule on its own (small texts, switched off on the
shipped report), and the size of the functions that implement them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from peelgraph.errors import UsageError
from peelgraph.extract import entities, findings, relations
from peelgraph.extract.rules import ENTITY_RULES, FINDING_RULES, RELATION_RULES, RULE_KINDS, all_rules, rule_for
from peelgraph.extract.structure import parse
from peelgraph.extract.templates import load
from peelgraph.text.layout import layout

EXTRACT = Path(__file__).resolve().parents[1] / "peelgraph" / "extract"
HEAD = "PEEL: Police effectiveness 2018\nAn inspection of Gwent Police\n\n"


@pytest.fixture(scope="module")
def shipped(report_path: Path):
    doc = load(report_path)
    st = parse(doc)
    return doc, st, entities.extract(doc, st)


def test_registries_are_well_formed() -> None:
    rules = all_rules()
    ids = [r.id for r in rules]
    assert len(ids) == len(set(ids))
    emitted = [e for r in rules for e in r.emits]
    assert len(emitted) == len(set(emitted)), "an evidence rule id belongs to one rule"
    for r in rules:
        assert r.kind in RULE_KINDS
        assert r.id.startswith({"entity": "entities.", "relation": "relations.", "finding": "findings."}[r.kind])
        assert r.description and "\n" not in r.description and len(r.description) < 120
        assert all(e.split(".")[0] == r.id.split(".")[0] for e in r.emits)
    assert {r.phase for r in ENTITY_RULES} == {"find", "refer"}
    phases = [r.phase for r in ENTITY_RULES]
    assert phases == sorted(phases), "find rules run before refer rules"


def test_every_evidence_rule_has_its_rule(rules_extraction) -> None:
    ex = rules_extraction
    used = ({ev.rule for e in ex.entities for ev in e.mentions} | {r.evidence.rule for r in ex.relations}
            | {f.evidence.rule for f in ex.findings})
    for rule in sorted(used):
        if rule.startswith("structure."):
            continue  # the template's own facts
        assert rule_for(rule) is not None, rule


def test_unknown_disabled_rule_is_a_usage_error(shipped) -> None:
    doc, st, ents = shipped
    with pytest.raises(UsageError, match="entities.no-such-rule"):
        entities.extract(doc, st, disabled={"entities.no-such-rule"})
    with pytest.raises(UsageError):
        relations.extract(doc, st, ents, disabled={"entities.gazetteer"})


def _only(rule_id: str, body: str) -> set[tuple[str, str]]:
    """(entity key, surface) of the mentions found with only this rule (and the lexicon rules)."""
    doc = layout("t", HEAD + body + "\n")
    lexicon_rules = {"entities.named-as", "entities.acronym-definition", "entities.quoted-name"}
    rules = tuple(r for r in ENTITY_RULES if r.id == rule_id or r.id in lexicon_rules)
    ents = entities.extract(doc, parse(doc), rules=rules)
    assert ents.read_text is not None
    return {(m.key, ents.read_text.text[m.nstart:m.nend]) for m in ents.mentions}


@pytest.mark.parametrize("rule_id, body, expected", [
    ("entities.gazetteer", "The force works with the probation service.",
     {("probation-service", "probation service"), ("gwent-police", "Gwent Police")}),
    ("entities.name", "It works with Newport City Council and the Home Office.",
     {("newport-city-council", "Newport City Council"), ("home-office", "Home Office"),
      ("gwent-police", "Gwent Police")}),
    ("entities.force-list", "It is one of the Gwent, Dyfed-Powys and South Wales forces.",
     {("gwent-police", "Gwent"), ("dyfed-powys-police", "Dyfed-Powys"), ("south-wales-police", "South Wales")}),
    ("entities.force-collaboration", "The Gwent and South Wales alliance shares a control room.",
     {("gwent-and-south-wales-alliance", "Gwent and South Wales alliance")}),
    ("entities.noun-phrase", "The force runs two harm reduction hubs.",
     {("harm-reduction-hubs", "harm reduction hubs")}),
], ids=["gazetteer", "name", "force-list", "force-collaboration", "noun-phrase"])
def test_find_rule_on_its_own(rule_id: str, body: str, expected: set[tuple[str, str]]) -> None:
    assert _only(rule_id, body) == expected


def test_refer_rules_on_their_own() -> None:
    body = ("The force set up the Gwent Harm Panel (GHP). The panel meets weekly. Investigations are "
            "allocated to teams on the basis of a risk assessment.")
    doc = layout("t", HEAD + body + "\n")
    st = parse(doc)
    ents = entities.extract(doc, st)
    rules = {m.rule for m in ents.mentions}
    assert {"entities.anaphor", "entities.anaphor.force", "entities.process"} <= rules
    assert "allocation-of-investigations" in ents.by_key
    assert len(ents.by_key["gwent-harm-panel"].mentions) == 3
    off = entities.extract(doc, st, disabled={"entities.anaphor", "entities.anaphor.force", "entities.process"})
    assert not {m.rule for m in off.mentions} & {"entities.anaphor", "entities.anaphor.force", "entities.process"}
    assert len(off.by_key["gwent-harm-panel"].mentions) == 2 and "allocation-of-investigations" not in off.by_key


@pytest.fixture(scope="module")
def shipped_relations(shipped):
    """Every relation rule's relations on the shipped report (read once for the switched-off tests)."""
    doc, st, ents = shipped
    return relations.extract(doc, st, ents)


@pytest.mark.parametrize("rule", RELATION_RULES, ids=[r.id for r in RELATION_RULES])
def test_relation_rule_switched_off(shipped, shipped_relations, rule) -> None:
    doc, st, ents = shipped
    full = shipped_relations
    without = relations.extract(doc, st, ents, disabled={rule.id})
    assert not [r for r in without if r.evidence.rule in rule.emits]
    # what the other rules found stays, with the same evidence
    assert {r for r in full if r.evidence.rule not in rule.emits} <= set(without)


# rules the shipped report gives nothing to, switched off on a text in other wording instead
_NOT_IN_SHIPPED = {
    "entities.place-concept": "PEEL: Police effectiveness 2018\nAn inspection of Gwent Police\n\nThe force works "
                              "with the Newport multi-agency safeguarding hub.\n",
    "entities.counted-group": "PEEL: Police effectiveness 2018\nAn inspection of Gwent Police\n\nThe force works "
                              "with the five county borough councils of the area.\n",
}


@pytest.mark.parametrize("rule", [r for r in ENTITY_RULES if r.emits], ids=[r.id for r in ENTITY_RULES if r.emits])
def test_entity_rule_switched_off(shipped, rule) -> None:
    doc, st, ents = shipped
    if rule.id in _NOT_IN_SHIPPED:
        doc = layout("t", _NOT_IN_SHIPPED[rule.id])
        st = parse(doc)
        ents = entities.extract(doc, st)
    assert any(m.rule in rule.emits for m in ents.mentions)
    without = entities.extract(doc, st, disabled={rule.id})
    assert not [m for m in without.mentions if m.rule in rule.emits]


def test_finding_rules_switched_off(shipped) -> None:
    doc, st, ents = shipped
    full = findings.extract(doc, st, ents)
    no_strengths = findings.extract(doc, st, ents, disabled={"findings.strength"})
    assert {f.kind for f in no_strengths} == {f.kind for f in full} - {"strength"}
    assert [f for f in full if f.kind != "strength"] == list(no_strengths)
    template = findings.extract(doc, st, ents, rules=FINDING_RULES[:1])
    assert {f.evidence.rule.split(".")[0] for f in template} == {"structure"}


def _functions(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(n.end_lineno - n.lineno + 1, f"{path.name}:{n.lineno} {n.name}") for n in ast.walk(tree)
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.end_lineno is not None]


@pytest.mark.parametrize("module", ["entities.py", "relations.py", "findings.py", "resolve.py", "lexicon.py",
                                    "readtext.py", "labels.py", "rules", "wordlists"])
def test_rule_functions_are_small(module: str) -> None:
    path = EXTRACT / module
    files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
    long = [f for p in files for f in _functions(p) if f[0] > 80]
    assert not long, long
