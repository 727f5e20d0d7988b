"""Measure the rules alone (no curation) against a hand-made gold annotation.

Matching rules (documented here because the figures depend on them):

* **entities**: an extracted entity matches a gold entity when one of its labels (label or
  alias) and one of the gold entity's labels have the same :func:`entities.label_key`
  (case-insensitive except acronyms, articles and a plural ``s`` dropped, hyphens and
  apostrophes unified). Matching is one to one (greedy, best overlap first): a second
  extracted entity for the same gold entity (a missed merge) counts as a false positive.
* **relations**: ``(subject, type, object)`` with both ends mapped through the entity
  matching; ``works-with`` is symmetric; ``based-on``, ``depends-on`` and
  ``accessed-through`` are one family (``based-on`` and ``accessed-through`` are
  sub-properties of ``depends-on`` in the ontology), so a type inside the family matches
  any other type of it. A relation is counted once per triple, whatever its evidence.
* **findings**: an extracted finding matches a gold finding when their evidence spans
  overlap (one to one, greatest overlap first); kinds are not compared. **Question
  accuracy** is the share of matched findings whose question equals the gold's.

Example:
    >>> s = Score.of(8, 2, 1)
    >>> (s.precision, s.recall, round(s.f1, 3))
    (0.8, 0.8888888888888888, 0.842)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from peelgraph.extract.entities import label_key
from peelgraph.model import Entity, Extraction
from peelgraph.vocab import RELATION_TYPES

__all__ = ["Score", "EvalResult", "evaluate", "format_table", "to_json"]

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
class EvalResult:
    """Scores per fact type, question accuracy, and the errors to inspect."""

    report: str
    entities: Score
    relations: Score
    findings: Score
    question_accuracy: float
    question_matched: int
    false_positives: dict[str, tuple[str, ...]]
    false_negatives: dict[str, tuple[str, ...]]


def _labels(labels: list[str]) -> set[str]:
    return {label_key(x) for x in labels if x and x.strip()}


def _match_entities(ents: tuple[Entity, ...], gold: list[dict]) -> tuple[dict[str, str], list[str], list[str]]:
    gl = {g["id"]: _labels([g["label"], *g.get("aliases", [])]) for g in gold}
    pairs = []
    for e in ents:
        el = _labels([e.label, *e.aliases])
        for gid, labs in gl.items():
            n = len(el & labs)
            if n:
                exact = label_key(e.label) in labs
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


def compare(ex: Extraction, gold: dict) -> EvalResult:
    """Compare an extraction with a gold annotation (already loaded)."""
    mapping, e_fp, e_fn = _match_entities(ex.entities, gold["entities"])
    ent = Score(len(mapping), len(e_fp), len(e_fn))

    gold_rels = {_norm_rel(r["subject"], r["type"], r["object"]) for r in gold["relations"]}
    got: dict[tuple[str, str, str], str] = {}
    r_fp: list[str] = []
    for r in ex.relations:
        s, o = mapping.get(r.subject), mapping.get(r.object)
        desc = f"{r.subject} {r.type} {r.object} [{r.evidence.rule}] {r.evidence.quote[:90]!r}"
        key = ("?" + r.subject, r.type, "?" + r.object) if s is None or o is None else _norm_rel(s, r.type, o)
        if key in got:
            continue
        got[key] = desc
        if key not in gold_rels:
            r_fp.append(desc)
    r_tp = len(gold_rels & set(got))
    r_fn = [" ".join(k) for k in sorted(gold_rels - set(got))]
    rel = Score(r_tp, len(r_fp), len(r_fn))

    gf = gold["findings"]
    pairs = []
    for i, f in enumerate(ex.findings):
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
    same_q = sum(1 for i, j in fmap.items() if ex.findings[i].question == gf[j]["question"])
    f_fp = [f"{f.kind} q{f.question} {f.text[:100]!r}" for i, f in enumerate(ex.findings) if i not in fmap]
    f_fn = [f"{g['kind']} q{g['question']} {g['evidence']['quote'][:100]!r}" for j, g in enumerate(gf)
            if j not in gtaken]
    fnd = Score(len(fmap), len(f_fp), len(f_fn))
    qacc = same_q / len(fmap) if fmap else 0.0
    return EvalResult(ex.report.id, ent, rel, fnd, qacc, len(fmap),
                      {"entities": tuple(e_fp), "relations": tuple(r_fp), "findings": tuple(f_fp)},
                      {"entities": tuple(e_fn), "relations": tuple(r_fn), "findings": tuple(f_fn)})


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


def to_json(result: EvalResult, *, errors: bool = False) -> dict:
    """The scores as a JSON-ready dict (with the error lists when ``errors``)."""
    out: dict = {"report": result.report}
    for name, s in (("entities", result.entities), ("relations", result.relations),
                    ("findings", result.findings)):
        out[name] = {"tp": s.tp, "fp": s.fp, "fn": s.fn, "precision": round(s.precision, 4),
                     "recall": round(s.recall, 4), "f1": round(s.f1, 4)}
    out["findings_question_accuracy"] = round(result.question_accuracy, 4)
    if errors:
        out["false_positives"] = {k: list(v) for k, v in result.false_positives.items()}
        out["false_negatives"] = {k: list(v) for k, v in result.false_negatives.items()}
    return out
