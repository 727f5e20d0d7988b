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
  matching; the symmetric types (``works-with``, ``co-located-with``, ``at-odds-with``) read
  both ways; the types of one family (:attr:`peelgraph.vocab.RelationType.family`: the
  dependency family holds ``depends-on``, ``based-on``, ``accessed-through``, ``uses``,
  ``prioritised-with`` and ``informed-by``) match one another. A relation is counted once
  per triple, whatever its evidence.
* **findings**: an extracted finding matches a gold finding when their evidence spans
  overlap (one to one, greatest overlap first); kinds are not compared. A span is its range,
  from its first part's start to its last part's end: where a footnote interrupts a sentence
  the extractor's evidence is in parts without it, and the gold gives the whole slice, footnote
  included (its stated policy), so the two ranges are the same sentence's and are compared. **Question
  accuracy** is the share of matched findings whose question equals the gold's.

**Strict** scores (:attr:`EvalResult.strict`, the headline figures of ``peelgraph eval``)
match one to one in the same way, each with a further condition:

* an entity matches only a gold entity of the same kind;
* a relation matches only with the same type (no family) and the same direction; only the
  symmetric types of :data:`peelgraph.vocab.RELATION_TYPES` read both ways. Its ends are
  mapped through the entity matching by name above: an end of the wrong kind is still the
  thing the gold names, and its kind is already counted against the entity;
* a finding matches only a gold finding with which it shares at least half of the gold's
  span (in characters) and of the same polarity (a strength or a promising or innovative
  practice is positive; a weakness, an area for improvement, a recommendation or a cause of
  concern negative).

**Polarity accuracy** is the share of findings matched on span (at least half of the gold's
span shared, polarity not compared) whose polarity is the gold's.

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
import re
from dataclasses import dataclass
from pathlib import Path

from peelgraph.extract.rules import all_rules
from peelgraph.extract.vocabulary import forces
from peelgraph.model import Entity, Extraction, Finding, Relation
from peelgraph.text.names import normalise_name
from peelgraph.vocab import RELATION_TYPES

__all__ = ["Score", "RuleScore", "Strict", "EvalResult", "evaluate", "compare", "polarity", "format_table",
           "format_rule_table", "to_json", "OtherResult", "evaluate_other", "compare_other", "format_other_table",
           "other_to_json"]

_FAMILY = {slug: r.family for slug, r in RELATION_TYPES.items()}
_SYMMETRIC = frozenset(slug for slug, r in RELATION_TYPES.items() if r.symmetric)
_POSITIVE_KINDS = frozenset({"strength", "promising-practice", "innovative-practice"})


def polarity(kind: str) -> str:
    """The polarity a finding kind implies: ``positive`` or ``negative``.

    Example:
        >>> polarity("strength"), polarity("area-for-improvement")
        ('positive', 'negative')
    """
    return "positive" if kind in _POSITIVE_KINDS else "negative"


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
class Strict:
    """The strict scores (see the module docstring), polarity accuracy, and the facts that
    match leniently but not strictly (``mismatches``: per fact type, what differs)."""

    entities: Score
    relations: Score
    findings: Score
    polarity_accuracy: float
    polarity_matched: int
    mismatches: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class EvalResult:
    """Scores per fact type (lenient, and ``strict``), question accuracy, the errors to inspect,
    and scores per rule."""

    report: str
    entities: Score
    relations: Score
    findings: Score
    question_accuracy: float
    question_matched: int
    false_positives: dict[str, tuple[str, ...]]
    false_negatives: dict[str, tuple[str, ...]]
    by_rule: tuple[RuleScore, ...] = ()
    strict: Strict | None = None


def _labels(labels: list[str]) -> set[str]:
    return {normalise_name(x) for x in labels if x and x.strip()}


def _match_entities(ents: tuple[Entity, ...], gold: list[dict], *,
                    same_kind: bool = False) -> tuple[dict[str, str], list[str], list[str]]:
    gl = {g["id"]: _labels([g["label"], *g.get("aliases", [])]) for g in gold}
    gkind = {g["id"]: g.get("type") for g in gold}
    pairs = []
    for e in ents:
        el = _labels([e.label, *e.aliases])
        for gid, labs in gl.items():
            if same_kind and gkind[gid] != e.kind:
                continue
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
    if t in _SYMMETRIC and o < s:  # the type's own symmetry (its family's name is not the type's)
        s, o = o, s
    return s, _FAMILY.get(t, t), o


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


def _gold_polarity(g: dict) -> str:
    """A gold finding's polarity (its kind's when the gold gives none)."""
    return str(g.get("polarity") or polarity(g["kind"]))


def _strict_rel(s: str, t: str, o: str) -> tuple[str, str, str]:
    if t in _SYMMETRIC and o < s:
        s, o = o, s
    return s, t, o


def _relation_key(r: Relation, mapping: dict[str, str], *, strict: bool = False) -> tuple[str, str, str]:
    s, o = mapping.get(r.subject), mapping.get(r.object)
    if s is None or o is None:
        return "?" + r.subject, r.type, "?" + r.object
    return _strict_rel(s, r.type, o) if strict else _norm_rel(s, r.type, o)


def _match_findings(found: tuple[Finding, ...], gf: list[dict], *, half: bool = False,
                    same_polarity: bool = False) -> dict[int, int]:
    """Extracted finding index -> gold finding index, one to one, greatest overlap first
    (``half``: only pairs sharing at least half of the gold span; ``same_polarity``: only
    pairs of the same polarity)."""
    pairs = []
    for i, f in enumerate(found):
        a, b = f.evidence.start, f.evidence.end
        for j, g in enumerate(gf):
            gs, ge = g["evidence"]["start"], g["evidence"]["end"]
            ov = min(b, ge) - max(a, gs)
            if ov <= 0 or (half and 2 * ov < ge - gs):
                continue
            if same_polarity and polarity(f.kind) != _gold_polarity(g):
                continue
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
                      {"entities": tuple(e_fn), "relations": tuple(r_fn), "findings": tuple(f_fn)}, by_rule,
                      _strict(ex, gold, mapping))


def _strict(ex: Extraction, gold: dict, mapping: dict[str, str]) -> Strict:
    """The strict scores, polarity accuracy and what differs where only the lenient match holds."""
    kinds = {g["id"]: g.get("type") for g in gold["entities"]}
    smap, _, _ = _match_entities(ex.entities, gold["entities"], same_kind=True)
    ent = Score(len(smap), len(ex.entities) - len(smap), len(gold["entities"]) - len(smap))
    e_mis = tuple(f"{e.key} ({e.label}): kind {e.kind}, gold {kinds[mapping[e.key]]}" for e in ex.entities
                  if e.key in mapping and e.key not in smap and kinds[mapping[e.key]] != e.kind)

    gold_rels = {_strict_rel(r["subject"], r["type"], r["object"]) for r in gold["relations"]}
    got = {_relation_key(r, mapping, strict=True): r for r in ex.relations}
    r_tp = len(gold_rels & set(got))
    rel = Score(r_tp, len(got) - r_tp, len(gold_rels) - r_tp)
    gold_by_ends: dict[frozenset[str], list[str]] = {}
    for s, t, o in sorted(gold_rels):
        gold_by_ends.setdefault(frozenset((s, o)), []).append(f"{s} {t} {o}")
    r_mis = tuple(f"{' '.join(k)}: gold {'; '.join(gold_by_ends[frozenset((k[0], k[2]))])}"
                  for k in sorted(set(got) - gold_rels) if frozenset((k[0], k[2])) in gold_by_ends)

    fnd, right, matched, f_mis, _, _ = _strict_findings(ex.findings, gold["findings"])
    pacc = right / matched if matched else 0.0
    return Strict(ent, rel, fnd, pacc, matched,
                  {"entities": e_mis, "relations": r_mis, "findings": f_mis})


def _strict_findings(found: tuple[Finding, ...], gf: list[dict]
                     ) -> tuple[Score, int, int, tuple[str, ...], list[str], list[str]]:
    """Sentence-level findings scored strictly against a findings gold (at least half the
    gold's span in common and the same polarity, one to one): the score, how many of the
    pairs matched on span alone have the gold's polarity, how many were so matched, those
    of the other polarity, the false positives and the false negatives."""
    strict_map = _match_findings(found, gf, half=True, same_polarity=True)
    fnd = Score(len(strict_map), len(found) - len(strict_map), len(gf) - len(strict_map))
    span_map = _match_findings(found, gf, half=True)
    right = sum(1 for i, j in span_map.items() if polarity(found[i].kind) == _gold_polarity(gf[j]))
    mis = tuple(f"{found[i].kind} q{found[i].question}, gold {gf[j]['kind']}: "
                f"{found[i].text[:100]!r}" for i, j in sorted(span_map.items())
                if polarity(found[i].kind) != _gold_polarity(gf[j]))
    gtaken = set(strict_map.values())
    fps = [f"{f.kind} q{f.question} {f.text[:100]!r}" for i, f in enumerate(found) if i not in strict_map]
    fns = [f"{g['kind']} q{g.get('question')} {g['evidence']['quote'][:100]!r}" for j, g in enumerate(gf)
           if j not in gtaken]
    return fnd, right, len(span_map), mis, fps, fns


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
    """A plain-text table of the scores: strict, then lenient (see the module docstring).

    Example:
        >>> r = EvalResult("r", Score(9, 1, 1), Score(7, 1, 3), Score(5, 5, 0), 1.0, 5, {}, {},
        ...                strict=Strict(Score(8, 2, 2), Score(6, 2, 4), Score(4, 6, 1), 0.8, 5, {}))
        >>> print(format_table(r).splitlines()[3])
        entities      8    2    2   0.800  0.800  0.800      9    1    1   0.900  0.900  0.900
    """
    strict = result.strict
    lines = [f"{'':<10} {'strict':<38}  lenient",
             f"{'facts':<10} {_HEAD}  {_HEAD}",
             "-" * 89]
    for name in ("entities", "relations", "findings"):
        s = getattr(strict, name) if strict is not None else None
        lines.append(f"{name:<10} {_row(s)}  {_row(getattr(result, name))}".rstrip())
    if strict is not None:
        lines.append(f"finding polarity right: {strict.polarity_accuracy:.3f} "
                     f"(of {strict.polarity_matched} matched on span)")
    lines.append(f"findings on the right question: {result.question_accuracy:.3f} "
                 f"(of {result.question_matched} matched)")
    lines.append("strict: an entity of the gold's kind; a relation of the gold's type and direction; a finding "
                 "sharing at least half the gold's span, of its polarity")
    return "\n".join(lines)


_HEAD = f"{'tp':>4} {'fp':>4} {'fn':>4}  {'P':>6} {'R':>6} {'f1':>6}"


def _row(s: Score | None) -> str:
    if s is None:
        return " " * len(_HEAD)
    return f"{s.tp:>4} {s.fp:>4} {s.fn:>4}  {s.precision:>6.3f} {s.recall:>6.3f} {s.f1:>6.3f}"


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


def _score_json(s: Score) -> dict:
    return {"tp": s.tp, "fp": s.fp, "fn": s.fn, "precision": round(s.precision, 4),
            "recall": round(s.recall, 4), "f1": round(s.f1, 4)}


def to_json(result: EvalResult, *, errors: bool = False, by_rule: bool = False) -> dict:
    """The scores as a JSON-ready dict (with the error lists when ``errors``, the scores per
    rule when ``by_rule``)."""
    out: dict = {"report": result.report}
    for name, s in (("entities", result.entities), ("relations", result.relations),
                    ("findings", result.findings)):
        out[name] = _score_json(s)
    out["findings_question_accuracy"] = round(result.question_accuracy, 4)
    if result.strict is not None:
        st = result.strict
        out["strict"] = {"entities": _score_json(st.entities), "relations": _score_json(st.relations),
                         "findings": _score_json(st.findings),
                         "polarity_accuracy": round(st.polarity_accuracy, 4), "polarity_matched": st.polarity_matched}
        if errors:
            out["strict"]["mismatches"] = {k: list(v) for k, v in st.mismatches.items()}
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


# ------------------------------------------------------------------ the texts in other wording

_COUNTED_KINDS = {"areas_for_improvement": "area-for-improvement", "causes_of_concern": "cause-of-concern",
                  "promising_practice": "promising-practice", "innovative_practice": "innovative-practice"}
_DEPENDENCY = "dependency"


@dataclass(frozen=True)
class OtherResult:
    """The strict scores of the rules on the texts in other wording, pooled over the texts
    (see :func:`evaluate_other`), with what was missed and what was wrong, and the strict
    sentence-level findings of the texts that have a findings gold (``sentence_texts``)
    with the polarity accuracy of the pairs matched on span alone."""

    texts: tuple[str, ...]
    entities: Score
    relations: Score
    findings: Score
    false_positives: dict[str, tuple[str, ...]]
    false_negatives: dict[str, tuple[str, ...]]
    sentence_texts: tuple[str, ...] = ()
    sentence_findings: Score = Score(0, 0, 0)
    polarity_right: int = 0
    polarity_matched: int = 0

    @property
    def polarity_accuracy(self) -> float:
        """Of the sentence-level findings matched on span alone, the share of the gold's polarity."""
        return self.polarity_right / self.polarity_matched if self.polarity_matched else 0.0


def _names(name: str) -> set[str]:
    """The labels an expected name stands for: itself and, for ``long form (ACR)``, each part."""
    out = {name}
    m = re.fullmatch(r"(.+?)\s*\(([^()]+)\)", name.strip())
    if m:
        out |= {m.group(1), m.group(2)}
    return _labels(list(out))


def _expected_entities(exp: dict) -> dict[str, tuple[set[str], frozenset[str] | None]]:
    """Expected entity (its first name) -> (its labels, the kinds it may have; None: any)."""
    force_names = _labels([n for f in forces() for n in (f.name, *f.alts)])
    agents = frozenset(RELATION_TYPES["member-of"].subjects)
    out: dict[str, tuple[set[str], frozenset[str] | None]] = {}

    def add(name: str, kinds: frozenset[str] | None, extra: tuple[str, ...] = ()) -> None:
        labels = _names(name) | {x for a in extra for x in _names(a)}
        for key, (labs, ks) in out.items():
            if labs & labels:
                out[key] = (labs | labels, ks if kinds is None else kinds if ks is None else ks & kinds or kinds)
                return
        out[name] = (labels, kinds)

    for e in exp.get("entities", []):
        add(e["name"], frozenset({e["kind"]}), tuple(e.get("aliases", ())))
    aliases = exp.get("aliases", {})
    for collab, members in exp.get("collaborations", {}).items():
        add(collab, frozenset({"collaboration"}), tuple(aliases.get(collab, ())))
        for m in members:
            add(m, frozenset({"force"}) if _names(m) & force_names else agents)
    for chair in exp.get("chaired_by", {}).values():
        add(chair, frozenset(RELATION_TYPES["chaired-by"].objects))
    for a, b in exp.get("dependencies", []):
        add(a, None)
        add(b, None)
    return out


def _match_expected(ents: tuple[Entity, ...], expected: dict[str, tuple[set[str], frozenset[str] | None]]
                    ) -> dict[str, str]:
    """Extracted entity key -> expected name, one to one (best label overlap first), kinds strict."""
    pairs = []
    for e in ents:
        el = _labels([e.label, *e.aliases])
        for name, (labs, kinds) in expected.items():
            n = len(el & labs)
            if n and (kinds is None or e.kind in kinds):
                pairs.append((-int(normalise_name(e.label) in labs), -n, e.key, name))
    pairs.sort()
    mapping: dict[str, str] = {}
    for _, _, key, name in pairs:
        if key not in mapping and name not in mapping.values():
            mapping[key] = name
    return mapping


def compare_other(ex: Extraction, exp: dict) -> tuple[list[int], dict[str, list[str]], dict[str, list[str]]]:
    """Score one text in other wording against its expectations, strictly.

    Returns ``[tp, fp, fn]`` of entities, relations and findings (flattened, in that order),
    the false positives and the false negatives.
    """
    expected = _expected_entities(exp)
    mapping = _match_expected(ex.entities, expected)
    found = set(mapping.values())
    collabs = {name for name, (_, kinds) in expected.items() if kinds == frozenset({"collaboration"})}
    e_fp = [f"{e.key} ({e.label})" for e in ex.entities if e.kind == "collaboration" and e.key not in mapping]
    e_fn = [name for name in expected if name not in found]

    def key(name: str) -> str:
        return next(k for k, (labs, _) in expected.items() if labs & _names(name))

    gold: set[tuple[str, str, str]] = set()
    for collab, members in exp.get("collaborations", {}).items():
        gold |= {(key(m), "member-of", key(collab)) for m in members}
    for collab, chair in exp.get("chaired_by", {}).items():
        gold.add((key(collab), "chaired-by", key(chair)))
    gold |= {(key(a), _DEPENDENCY, key(b)) for a, b in exp.get("dependencies", [])}
    typed = "relations" in exp  # every relation between two expected entities, typed
    gold |= {_strict_rel(key(a), t, key(b)) for a, t, b in exp.get("relations", [])}
    got: dict[tuple[str, str, str], str] = {}
    for r in ex.relations:
        s, o = mapping.get(r.subject, "?" + r.subject), mapping.get(r.object, "?" + r.object)
        if typed:
            k = _strict_rel(s, r.type, o)
            in_scope = (s in found and o in found) or (r.type == "member-of" and o in collabs) or \
                (r.type == "chaired-by" and s in collabs)
        else:
            t = _DEPENDENCY if _FAMILY.get(r.type) == _DEPENDENCY else r.type
            k = (s, t, o)
            in_scope = (t == "member-of" and o in collabs) or (t == "chaired-by" and s in collabs) or t == _DEPENDENCY
        if in_scope:
            got.setdefault(k, f"{r.subject} {r.type} {r.object} {r.evidence.quote[:80]!r}")
    r_fp = [desc for k, desc in sorted(got.items()) if k not in gold]
    r_fn = [" ".join(k) for k in sorted(gold - set(got))]

    tp = fp = fn = 0
    f_fp: list[str] = []
    f_fn: list[str] = []
    number = _question_numbers(ex, exp)
    for q in exp.get("questions", []):
        for field, kind in _COUNTED_KINDS.items():
            want = q.get(field, 0)
            have = sum(1 for f in ex.findings if f.kind == kind and f.question == number.get(q["number"]))
            tp, fp, fn = tp + min(want, have), fp + max(0, have - want), fn + max(0, want - have)
            if have != want:
                (f_fp if have > want else f_fn).append(f"{kind} q{q['number']}: {abs(have - want)}")
    recs = [f for f in ex.findings if f.kind == "recommendation"]
    taken: set[int] = set()
    for rec in exp.get("recommendations", []):
        start = re.sub(r"\s+", " ", rec["starts_with"]).lower()
        hit = next((i for i, f in enumerate(recs) if i not in taken
                    and re.sub(r"\s+", " ", f.text).lower().startswith(start)
                    and (f.deadline.isoformat() if f.deadline else None) == rec.get("deadline")
                    and f.question == number.get(rec.get("question"), f.question)), None)
        if hit is None:
            fn += 1
            f_fn.append(f"recommendation {rec['starts_with']!r}")
        else:
            taken.add(hit)
            tp += 1
    fp += len(recs) - len(taken)
    f_fp += [f"recommendation {recs[i].text[:80]!r}" for i in range(len(recs)) if i not in taken]
    counts = [len(found), len(e_fp), len(e_fn), len(gold & set(got)), len(r_fp), len(r_fn), tp, fp, fn]
    return counts, {"entities": e_fp, "relations": r_fp, "findings": f_fp}, \
        {"entities": e_fn, "relations": r_fn, "findings": f_fn}


def _question_numbers(ex: Extraction, exp: dict) -> dict[int, int | None]:
    """Expected question number -> the extracted question of the same text (a report may
    number its questions or areas otherwise than the expectations do); None: not found."""
    texts = {q.number: normalise_name(q.text) for q in ex.questions}
    out: dict[int, int | None] = {}
    for q in exp.get("questions", []):
        want = normalise_name(q.get("question") or q.get("area") or "")
        out[q["number"]] = next((n for n, t in texts.items() if want and (t.startswith(want) or want.startswith(t))),
                                None)
    return out


def evaluate_other(folder: str | Path, expected_path: str | Path | None = None) -> OtherResult:
    """Run the rules alone on the texts in other wording and score them strictly, pooled.

    The expectations (``expected.json`` beside the texts, written by hand) name for each
    text its collaborations with their members and aliases, who chairs them, what rests on
    what, and its template findings. They are scored strictly:

    * **entities**: every collaboration (kind ``collaboration``), member (kind ``force`` when
      it is one of the 43 forces, else any kind that can be a member), chair, end of a
      dependency and listed entity (of its listed kind) must be found under one of its
      names (``long form (ACR)`` gives both), one to one. The expectations list every
      collaboration of a text but not every entity, so the false positives are the
      extracted collaborations that match none;
    * **relations**: ``member-of`` from each member to its collaboration, ``chaired-by``, and
      each dependency (the expectations give its direction, not its type, so any type of
      the dependency family counts) with both ends matched. The false positives are the
      extracted ``member-of`` relations into, and ``chaired-by`` relations from, an expected
      collaboration, and every dependency, that the expectations do not hold. A text whose
      expectations list its ``entities`` (each with its kind) and ``relations`` (every
      relation between them, ``[subject, type, object]``) is scored on those too, with the
      same type and direction (symmetric types read both ways), and any extracted relation
      between two expected entities that the list does not hold is a false positive;
    * **findings**: areas for improvement, causes of concern, innovative and promising
      practice counted per question, and each recommendation by its opening words, its
      question and its deadline. A question is the extracted question of the same text
      (the expectations number the areas of a 2021/22 report from the ungraded one, the
      report's grade table does not);
    * **sentence findings**: a text with a findings gold (``findings/<stem>.json`` beside
      the texts, annotated by reading before the extractor was run on it) is also scored on
      its sentence-level findings (strengths, weaknesses and the template findings) exactly
      as the shipped report is: an extracted finding is right when it shares at least half
      of a gold finding's span and has its polarity, one to one. Pooled over those texts,
      with the polarity accuracy of the pairs matched on span alone.

    Args:
        folder: the folder of the texts.
        expected_path: the expectations (default ``folder/expected.json``).
    """
    from peelgraph.graph.build import extract

    folder = Path(folder)
    expectations = json.loads(Path(expected_path or folder / "expected.json").read_text(encoding="utf-8"))
    totals = [0] * 9
    sent = [0] * 5  # tp, fp, fn, polarity right, matched on span
    fps: dict[str, list[str]] = {"entities": [], "relations": [], "findings": [], "sentence_findings": []}
    fns: dict[str, list[str]] = {k: [] for k in fps}
    names = tuple(sorted(n for n, exp in expectations.items() if exp.get("is_report")))
    sentence_texts = []
    for name in names:
        ex = extract(folder / name, curate=False)
        counts, fp, fn = compare_other(ex, expectations[name])
        gold_path = folder / "findings" / f"{Path(name).stem}.json"
        if gold_path.is_file():
            gf = json.loads(gold_path.read_text(encoding="utf-8"))["findings"]
            score, right, matched, _, fp["sentence_findings"], fn["sentence_findings"] = \
                _strict_findings(ex.findings, gf)
            sent = [a + b for a, b in zip(sent, (score.tp, score.fp, score.fn, right, matched), strict=True)]
            sentence_texts.append(name)
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        for k in fps:
            fps[k] += [f"{name}: {x}" for x in fp.get(k, [])]
            fns[k] += [f"{name}: {x}" for x in fn.get(k, [])]
    return OtherResult(names, Score(*totals[0:3]), Score(*totals[3:6]), Score(*totals[6:9]),
                       {k: tuple(v) for k, v in fps.items()}, {k: tuple(v) for k, v in fns.items()},
                       tuple(sentence_texts), Score(*sent[0:3]), sent[3], sent[4])


def format_other_table(result: OtherResult) -> str:
    """A plain-text table of the strict pooled scores of the texts in other wording.

    Example:
        >>> r = OtherResult(("a.txt",), Score(8, 2, 2), Score(6, 2, 4), Score(4, 0, 1), {}, {})
        >>> print(format_other_table(r).splitlines()[3])
        entities      8    2    2   0.800  0.800  0.800
    """
    lines = [f"texts in other wording, pooled ({len(result.texts)} texts), strict",
             f"{'facts':<10} {_HEAD}", "-" * 50]
    for name in ("entities", "relations", "findings"):
        lines.append(f"{name:<10} {_row(getattr(result, name))}")
    if result.sentence_texts:
        n = len(result.sentence_texts)
        lines += [f"findings (sentences, {n} text{'s' if n != 1 else ''})",
                  f"{'':<10} {_row(result.sentence_findings)}",
                  f"finding polarity right: {result.polarity_accuracy:.3f} "
                  f"(of {result.polarity_matched} matched on span)"]
    return "\n".join(lines)


def other_to_json(result: OtherResult, *, errors: bool = False) -> dict:
    """The pooled scores of the texts in other wording as a JSON-ready dict."""
    out: dict = {"texts": list(result.texts), "strict": {name: _score_json(getattr(result, name))
                                                         for name in ("entities", "relations", "findings")}}
    if result.sentence_texts:
        out["sentence_findings"] = {"texts": list(result.sentence_texts),
                                    "strict": _score_json(result.sentence_findings),
                                    "polarity_accuracy": round(result.polarity_accuracy, 4),
                                    "polarity_matched": result.polarity_matched}
    if errors:
        out["false_positives"] = {k: list(v) for k, v in result.false_positives.items()}
        out["false_negatives"] = {k: list(v) for k, v in result.false_negatives.items()}
    return out
