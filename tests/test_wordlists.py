"""The word lists: each says where its words come from, none is one report's wording, the
patterns compile, and the head nouns give the vocabulary's entity kinds."""

from __future__ import annotations

import re

import pytest

from peelgraph.extract.wordlists import wordlist, wordlists
from peelgraph.resources import code_files
from peelgraph.vocab import ENTITY_KINDS

LISTS = wordlists()


@pytest.mark.parametrize("wl", LISTS, ids=[f"{w.file}:{w.name}" for w in LISTS])
def test_each_list_has_a_source_and_entries(wl) -> None:
    assert len(wl.source) > 20
    assert not re.search(r"warwickshire|west mercia|shipped|the report under test", wl.source, re.I)
    assert wl.words or wl.patterns or wl.table
    assert len(set(wl.words)) == len(wl.words), "a word listed twice"
    for p in wl.patterns:
        re.compile(p)


def test_head_nouns_give_vocabulary_kinds() -> None:
    kinds = [w for w in LISTS if w.file == "heads" and w.name.startswith("kinds.")]
    assert {w.name.removeprefix("kinds.") for w in kinds} <= set(ENTITY_KINDS)
    seen: dict[str, str] = {}
    for w in kinds:
        for word in w.words:
            assert word not in seen, f"{word!r} gives both {seen[word]} and {w.name}"
            seen[word] = w.name


def test_lists_are_part_of_the_code_fingerprint() -> None:
    names = {p.name for p in code_files()}
    assert {"heads.toml", "stopwords.toml", "triggers.toml", "hedges.toml", "judging.toml"} <= names


def test_unknown_list_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        wordlist("heads", "no-such-list")
