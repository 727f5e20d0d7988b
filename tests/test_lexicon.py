"""The lexicon: drafts, label keys, aliases that never steal a label, and the forces' tables."""

from __future__ import annotations

from peelgraph.extract.lexicon import Forces, Lexicon
from peelgraph.extract.vocabulary import concepts, forces


def test_known_drafts_a_vocabulary_concept() -> None:
    lex = Lexicon(concepts())
    assert "mash" not in lex.drafts
    assert lex.known("multi-agency safeguarding hubs") == "mash"
    assert lex.drafts["mash"].concept is not None and lex.key_of("MASH") == "mash"


def test_alias_never_takes_another_entitys_label() -> None:
    lex = Lexicon(())
    a = lex.add_local("harm reduction hub", "collaboration")
    b = lex.add_local("safer streets team", "unit")
    lex.alias(a, "Safer Streets Team", "not this one")
    assert lex.known("safer streets team") == b and not lex.drafts[a].aliases and not lex.drafts[a].notes
    assert lex.add_local("Harm reduction hubs", "unit") == a  # one label key, one entity


def test_defined_names_and_acronyms() -> None:
    lex = Lexicon(())
    k = lex.add_local("domestic abuse risk officers", "role")
    lex.define("DAROs", k)
    assert lex.defined("DARO") == k and lex.defined("CSE") is None


def test_forces_tables() -> None:
    f = Forces.of(forces(), "gwent-police")
    assert f.places["Dyfed-Powys"] == "dyfed-powys-police" and f.labels["gwent-police"] == "Gwent Police"
    assert f.names["Gwent Police"] == "gwent-police" and f.own == "gwent-police"
    pattern = f.place_pattern()
    assert pattern.index("Devon") < pattern.index("Gwent")  # longest first
