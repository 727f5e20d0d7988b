"""Measure the rules alone (no curation) against a hand-made gold annotation.

Matching rules (documented here because the figures depend on them):

* **entities**: an extracted entity matches a gold entity when one of its labels (label or
  alias) and one of the gold entity's labels are the same name under
  :func:`peelgraph.text.names.normalise_name` (case, quotes, spaces, a leading "the" and a
  plural ending ignored). The extractor's own label key, which decides its merges, is a rule
  under test, so the evaluator never uses it. Matching is one to one (greedy, best overlap
  first): a second extracted entity for the same gold entity (a missed merge) counts as a
  false positive.
* **relations**: ``(subject, type, object)`` with both ends mapped through the entity
  matching; ``works-with`` is symmetric; ``based-on``, ``depends-on`` and
  ``accessed-through`` are one family (``based-on`` and ``accessed-through`` are
  sub-properties of ``depends-on`` in the ontology), so a type inside the family matches
  any other type of it. A relation is counted once per triple, whatever its evidence.
* **findings**: an extracted finding matches a gold finding when their evidence spans
  overlap (one to one, greatest overlap first); kinds are not compared. **Question
  accuracy** is the share of matched findings whose question equals the gold's.

**Per rule** (:attr:`EvalResult.by_rule`, ``peelgraph eval --by-rule``), a fact is credited
to the rule on its evidence, with the matching above unchanged:

* an entity counts for every rule that produced one of its mentions: a matched entity is a
  true positive of each of them, an unmatched one a false positive of each (rules that only
  teach the lexicon a name, such as acronym definitions, have no mentions of their own:
  their entities count under ``entities.gazetteer``, which finds the mentions);
* a relation triple counts for every rule whose relation gives it (once per rule); a
  finding for the rule on its evidence;
* a rule's false negatives are the gold facts of that type it does not find, so its recall
  is the share of the gold it finds on its own.

Example:
    >>> s = Score.of(8, 2, 1)
    >>> (s.precision, s.recall, round(s.f1, 3))
    (0.8, 0.8888888888888888, 0.842)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from peelgraph.extract.rules import all_rules
from peelgraph.model import Entity, Extraction, Finding, Relation
from peelgraph.text.names import normalise_name
from peelgraph.vocab import RELATION_TYPES

__all__ = ["Score", "RuleScore", "EvalResult", "evaluate", "compare", "format_table", "format_rule_table",
           "to_json"]

_FAMILY = {slug: r.family for slug, r in RELATION_TYPES.items()}


@dataclass(frozen=True)
class Score:
    """True positives, false positives, false negatives, and the measures they give."""

    tp: int
    fp: int
    fn: int

    @classmethod
    def of(cls, tp: int, fp: int, fn: int) -> Score:
        """A score from its counts."""
        return cls(tp, fp, fn)

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 1.0 when nothing was extracted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 1.0 when the gold is empty."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """The harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass(frozen=True)
class RuleScore:
    """The score of the facts one rule produced (``facts``: entities, relations or findings)."""

    facts: str
    rule: str
    score: Score


@dataclass(frozen=True)
class EvalResult:
    """Scores per fact type, question accuracy, the errors to inspect, and scores per rule."""

    report: str
    entities: Score
    relations: Score
    findings: Score
    question_accuracy: float
    question_matched: int
    false_positives: dict[str, tuple[str, ...]]
    false_negatives: dict[str, tuple[str, ...]]
    by_rule: tuple[RuleScore, ...] = ()


def _labels(labels: list[str]) -> set[str]:
    return {normalise_name(x) for x in labels if x and x.strip()}


def _match_entities(ents: tuple[Entity, ...], gold: list[dict]) -> tuple[dict[str, str], list[str], list[str]]:
    gl = {g["id"]: _labels([g["label"], *g.get("aliases", [])]) for g in gold}
    pairs = []
    for e in ents:
        el = _labels([e.label, *e.aliases])
        for gid, labs in gl.items():
            n = len(el & labs)
            if n:
                exact = normalise_name(e.label) in labs
                pairs.append((-int(exact), -n, e.key, gid))
    pairs.sort()
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for _, _, ek, gid in pairs:
        if ek in mapping or gid in taken:
            continue
        mapping[ek] = gid
        taken.add(gid)
    fps = [f"{e.key} ({e.label})" for e in ents if e.key not in mapping]
    fns = [f"{g['id']} ({g['label']})" for g in gold if g["id"] not in taken]
    return mapping, fps, fns


def _norm_rel(s: str, t: str, o: str) -> tuple[str, str, str]:
    t = _FAMILY.get(t, t)
    if t == "works-with" and o < s:
        s, o = o, s
    return s, t, o


def evaluate(report_path: str | Path, gold_path: str | Path) -> EvalResult:
    """Run the rules alone on a report and compare with its gold annotation.

    Args:
        report_path: the report file.
        gold_path: its gold JSON (``data/gold/<stem>.json``).
    """
    from peelgraph.graph.build import extract

    ex = extract(report_path, curate=False)
    gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    return compare(ex, gold)


def _relation_key(r: Relation, mapping: dict[str, str]) -> tuple[str, str, str]:
    s, o = mapping.get(r.subject), mapping.get(r.object)
    return ("?" + r.subject, r.type, "?" + r.object) if s is None or o is None else _norm_rel(s, r.type, o)


def _match_findings(found: tuple[Finding, ...], gf: list[dict]) -> dict[int, int]:
    """Extracted finding index -> gold finding index, one to one, greatest overlap first."""
    pairs = []
    for i, f in enumerate(found):
        a, b = f.evidence.start, f.evidence.end
        for j, g in enumerate(gf):
            ov = min(b, g["evidence"]["end"]) - max(a, g["evidence"]["start"])
            if ov > 0:
                pairs.append((-ov, i, j))
    pairs.sort()
    fmap: dict[int, int] = {}
    gtaken: set[int] = set()
    for _, i, j in pairs:
        if i in fmap or j in gtaken:
            continue
        fmap[i] = j
        gtaken.add(j)
    return fmap


def compare(ex: Extraction, gold: dict) -> EvalResult:
    """Compare an extraction with a gold annotation (already loaded)."""
    mapping, e_fp, e_fn = _match_entities(ex.entities, gold["entities"])
    ent = Score(len(mapping), len(e_fp), len(e_fn))

    gold_rels = {_norm_rel(r["subject"], r["type"], r["object"]) for r in gold["relations"]}
    got: dict[tuple[str, str, str], str] = {}
    r_fp: list[str] = []
    for r in ex.relations:
        desc = f"{r.subject} {r.type} {r.object} [{r.evidence.rule}] {r.evidence.quote[:90]!r}"
        key = _relation_key(r, mapping)
        if key in got:
            continue
        got[key] = desc
        if key not in gold_rels:
            r_fp.append(desc)
    r_tp = len(gold_rels & set(got))
    r_fn = [" ".join(k) for k in sorted(gold_rels - set(got))]
    rel = Score(r_tp, len(r_fp), len(r_fn))

    gf = gold["findings"]
    fmap = _match_findings(ex.findings, gf)
    same_q = sum(1 for i, j in fmap.items() if ex.findings[i].question == gf[j]["question"])
    f_fp = [f"{f.kind} q{f.question} {f.text[:100]!r}" for i, f in enumerate(ex.findings) if i not in fmap]
    gtaken = set(fmap.values())
    f_fn = [f"{g['kind']} q{g['question']} {g['evidence']['quote'][:100]!r}" for j, g in enumerate(gf)
            if j not in gtaken]
    fnd = Score(len(fmap), len(f_fp), len(f_fn))
    qacc = same_q / len(fmap) if fmap else 0.0
    by_rule = _by_rule(ex, gold, mapping, gold_rels, fmap)
    return EvalResult(ex.report.id, ent, rel, fnd, qacc, len(fmap),
                      {"entities": tuple(e_fp), "relations": tuple(r_fp), "findings": tuple(f_fp)},
                      {"entities": tuple(e_fn), "relations": tuple(r_fn), "findings": tuple(f_fn)}, by_rule)


def _by_rule(ex: Extraction, gold: dict, mapping: dict[str, str], gold_rels: set[tuple[str, str, str]],
             fmap: dict[int, int]) -> tuple[RuleScore, ...]:
    """Scores per evidence rule (see the module docstring for the attribution)."""
    counts: dict[tuple[str, str], list[int]] = {}  # (facts, rule) -> [tp, fp]

    def count(facts: str, rule: str, hit: bool) -> None:
        counts.setdefault((facts, rule), [0, 0])[0 if hit else 1] += 1

    for e in ex.entities:
        for rule in sorted({ev.rule for ev in e.mentions}):
            count("entities", rule, e.key in mapping)
    seen: set[tuple[str, tuple[str, str, str]]] = set()
    for r in ex.relations:
        key = _relation_key(r, mapping)
        if (r.evidence.rule, key) not in seen:
            seen.add((r.evidence.rule, key))
            count("relations", r.evidence.rule, key in gold_rels)
    for i, f in enumerate(ex.findings):
        count("findings", f.evidence.rule, i in fmap)
    totals = {"entities": len(gold["entities"]), "relations": len(gold_rels), "findings": len(gold["findings"])}
    return tuple(RuleScore(facts, rule, Score(tp, fp, totals[facts] - tp))
                 for (facts, rule), (tp, fp) in sorted(counts.items(), key=lambda kv: _rule_order(*kv[0])))


def _rule_order(facts: str, rule: str) -> tuple[int, int, int, str]:
    """Fact type, then the rules' run order (structure and other ids last, by name)."""
    for i, r in enumerate(all_rules()):
        if rule in r.emits:
            return ("entities", "relations", "findings").index(facts), i, r.emits.index(rule), rule
    return ("entities", "relations", "findings").index(facts), 10_000, 0, rule


def format_table(result: EvalResult) -> str:
    """A plain-text table of the scores.

    Example:
        >>> r = EvalResult("r", Score(9, 1, 1), Score(7, 1, 3), Score(5, 5, 0), 1.0, 5, {}, {})
        >>> print(format_table(r).splitlines()[2])
        entities       9    1    1      0.900   0.900   0.900
    """
    lines = [f"{'facts':<10} {'tp':>4} {'fp':>4} {'fn':>4}  {'precision':>9} {'recall':>7} {'f1':>7}",
             "-" * 52]
    for name, s in (("entities", result.entities), ("relations", result.relations),
                    ("findings", result.findings)):
        lines.append(f"{name:<10} {s.tp:>4} {s.fp:>4} {s.fn:>4}      {s.precision:.3f}   {s.recall:.3f}"
                     f"   {s.f1:.3f}")
    lines.append(f"findings on the right question: {result.question_accuracy:.3f} "
                 f"(of {result.question_matched} matched)")
    return "\n".join(lines)


def format_rule_table(result: EvalResult) -> str:
    """A plain-text table of the scores per rule, with what the figures mean.

    Example:
        >>> r = EvalResult("r", Score(9, 1, 1), Score(0, 0, 0), Score(0, 0, 0), 1.0, 0, {}, {},
        ...                (RuleScore("entities", "entities.gazetteer", Score(8, 1, 2)),))
        >>> print(format_rule_table(r).splitlines()[2])
        entities   entities.gazetteer                        8    1    2      0.889   0.800   0.842
    """
    lines = [f"{'facts':<10} {'rule':<40} {'tp':>4} {'fp':>4} {'fn':>4}  {'precision':>9} {'recall':>7} {'f1':>7}",
             "-" * 93]
    for rs in result.by_rule:
        s = rs.score
        lines.append(f"{rs.facts:<10} {rs.rule:<40} {s.tp:>4} {s.fp:>4} {s.fn:>4}      {s.precision:.3f}   "
                     f"{s.recall:.3f}   {s.f1:.3f}")
    lines.append("an entity counts for each rule that found one of its mentions; fn and recall: the gold facts "
                 "a rule finds on its own")
    scored = {rs.rule for rs in result.by_rule}
    silent = [r.id for r in all_rules() if r.emits and not scored & set(r.emits)]
    teach = [r.id for r in all_rules() if not r.emits and r.kind == "entity"]
    if teach:
        lines.append(f"rules that only teach the lexicon (scored under entities.gazetteer): {', '.join(teach)}")
    if silent:
        lines.append(f"rules with no scored fact here: {', '.join(silent)}")
    return "\n".join(lines)


def to_json(result: EvalResult, *, errors: bool = False, by_rule: bool = False) -> dict:
    """The scores as a JSON-ready dict (with the error lists when ``errors``, the scores per
    rule when ``by_rule``)."""
    out: dict = {"report": result.report}
    for name, s in (("entities", result.entities), ("relations", result.relations),
                    ("findings", result.findings)):
        out[name] = {"tp": s.tp, "fp": s.fp, "fn": s.fn, "precision": round(s.precision, 4),
                     "recall": round(s.recall, 4), "f1": round(s.f1, 4)}
    out["findings_question_accuracy"] = round(result.question_accuracy, 4)
    if errors:
        out["false_positives"] = {k: list(v) for k, v in result.false_positives.items()}
        out["false_negatives"] = {k: list(v) for k, v in result.false_negatives.items()}
    if by_rule:
        rules = {e: r for r in all_rules() for e in r.emits}
        out["by_rule"] = [{"facts": rs.facts, "rule": rs.rule,
                           "registry_rule": rules[rs.rule].id if rs.rule in rules else None,
                           "description": rules[rs.rule].description if rs.rule in rules else None,
                           "tp": rs.score.tp, "fp": rs.score.fp, "fn": rs.score.fn,
                           "precision": round(rs.score.precision, 4), "recall": round(rs.score.recall, 4),
                           "f1": round(rs.score.f1, 4)} for rs in result.by_rule]
    return out
