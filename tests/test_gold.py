"""The gold annotations (data/gold/*.json): their format, checked against the shipped reports.

Nothing here runs the extractor: the gold is data made by reading, and these tests only check
that it is well-formed and that every quote is where it says in the shipped file.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from peelgraph.vocab import ENTITY_KINDS, FINDING_KINDS, RELATION_TYPES

ROOT = Path(__file__).parents[1]
GOLD_FILES = sorted((ROOT / "data" / "gold").glob("*.json"))
NEGATIVE = {"weakness", "area-for-improvement", "recommendation", "cause-of-concern"}
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def _load(path: Path) -> tuple[dict, str]:
    gold = json.loads(path.read_text(encoding="utf-8"))
    text = (ROOT / gold["report"]).read_text(encoding="utf-8")
    return gold, text


@pytest.fixture(params=GOLD_FILES, ids=lambda p: p.stem, scope="module")
def gold(request) -> tuple[dict, str]:
    return _load(request.param)


def _evidences(g: dict):
    for part in ("entities", "relations", "findings", "figures"):
        for i, item in enumerate(g.get(part, [])):
            yield f"{part}[{i}]", item["evidence"]


def test_there_is_a_gold_for_the_shipped_report() -> None:
    assert [p.stem for p in GOLD_FILES] == ["warwickshire-effectiveness-2016"]


def test_top_level_structure(gold) -> None:
    g, _ = gold
    assert set(g) == {"report", "annotator_note", "entities", "relations", "findings", "figures"}
    assert g["annotator_note"] and g["entities"] and g["relations"] and g["findings"] and g["figures"]


def test_every_evidence_slices_back_exactly(gold) -> None:
    g, text = gold
    bad = []
    for where, ev in _evidences(g):
        if set(ev) != {"quote", "start", "end"} or not (0 <= ev["start"] < ev["end"] <= len(text)):
            bad.append((where, ev))
        elif text[ev["start"]:ev["end"]] != ev["quote"] or ev["quote"] != ev["quote"].strip():
            bad.append((where, ev["quote"][:60]))
    assert not bad, bad


def test_entities(gold) -> None:
    g, _ = gold
    ids = [e["id"] for e in g["entities"]]
    assert len(ids) == len(set(ids)), "entity ids are unique"
    for e in g["entities"]:
        assert set(e) == {"id", "label", "aliases", "type", "evidence"}, e["id"]
        assert SLUG.fullmatch(e["id"]), e["id"]
        assert e["type"] in ENTITY_KINDS, e
        assert e["label"].strip() and all(a.strip() for a in e["aliases"]), e["id"]
        assert e["label"] not in e["aliases"] and len(e["aliases"]) == len(set(e["aliases"])), e["id"]


def test_relations(gold) -> None:
    g, _ = gold
    kinds = {e["id"]: e["type"] for e in g["entities"]}
    seen = set()
    for r in g["relations"]:
        assert set(r) == {"subject", "type", "object", "evidence"}, r
        rt = RELATION_TYPES[r["type"]]  # a KeyError names a type that is not in the vocabulary
        assert r["subject"] in kinds and r["object"] in kinds and r["subject"] != r["object"], r
        assert kinds[r["subject"]] in rt.subjects, (r["subject"], r["type"], kinds[r["subject"]])
        assert kinds[r["object"]] in rt.objects, (r["object"], r["type"], kinds[r["object"]])
        key = (r["subject"], r["type"], r["object"])
        assert key not in seen, f"duplicate triple {key}"
        if rt.symmetric:
            assert (r["object"], r["type"], r["subject"]) not in seen, f"{key} given both ways"
        seen.add(key)


def test_relations_evidence_whole_sentences(gold) -> None:
    # a relation's evidence is the sentence that states it: it starts with a capital (or a
    # quoted or numbered word) and ends with a full stop
    g, _ = gold
    for r in g["relations"]:
        q = r["evidence"]["quote"]
        assert q[0].isupper() or q[0].isdigit() or q[0] in "‘'", q[:40]
        assert q.endswith("."), q[-40:]


def test_findings(gold) -> None:
    g, _ = gold
    ids = {e["id"] for e in g["entities"]}
    spans = set()
    for f in g["findings"]:
        assert set(f) == {"kind", "question", "entities", "polarity", "evidence"}, f
        assert f["kind"] in FINDING_KINDS and f["question"] in range(6), f
        assert f["polarity"] == ("negative" if f["kind"] in NEGATIVE else "positive"), f
        assert set(f["entities"]) <= ids, f
        span = (f["evidence"]["start"], f["evidence"]["end"])
        assert span not in spans, f"duplicate finding {span}"
        spans.add(span)


def test_figures(gold) -> None:
    g, text = gold
    ids = {e["id"] for e in g["entities"]}
    for f in g["figures"]:
        assert set(f) == {"value", "unit", "measure", "entity", "comparator", "period", "evidence"}, f
        assert isinstance(f["value"], int | float) and not isinstance(f["value"], bool), f
        assert isinstance(f["unit"], str) and f["unit"].strip() and f["measure"].strip(), f
        assert f["entity"] is None or f["entity"] in ids, f
        assert f["period"] is None or (isinstance(f["period"], str) and f["period"].strip()), f
        c = f["comparator"]
        if c is not None:
            assert set(c) == {"label", "value"} and c["label"].strip(), f
            assert c["value"] is None or isinstance(c["value"], int | float), f
        # the number is in its evidence, as digits or as a word
        quote = f["evidence"]["quote"].replace(",", "")
        magnitude = abs(f["value"])
        words = {2: "two", 3: "three", 4: "four", 6: "six", 12: "twelve"}
        written = [f"{magnitude:g}", f"{magnitude:.1f}", words.get(int(magnitude), "\0")]
        if f["unit"] == "GBP":
            written.append(f"£{magnitude / 1e6:g} million")
        assert any(w in quote for w in written), (f["value"], quote[:80])


def test_counts_match_the_readme() -> None:
    # the README's count table is of this file: keep them in step
    g, _ = _load(ROOT / "data" / "gold" / "warwickshire-effectiveness-2016.json")
    readme = (ROOT / "data" / "gold" / "README.md").read_text(encoding="utf-8")
    for part in ("entities", "relations", "findings", "figures"):
        assert f"| {part} | {len(g[part])} |" in readme, part
