"""Faults of the store and the file system, and inputs at their worst (issue 14, items 6-11 and 13).

One test (or one parametrised family) per numbered case of the audit, named after it. Commands
run in-process through click's runner where a traceback would show as an exception, and in a
subprocess where the process itself matters (locks, concurrency, exit codes).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from peelgraph.cli import main

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "tests" / "data" / "other" / "essex-effectiveness-2017.txt"


def cli(*args: str) -> Result:
    """Run peelgraph in-process; an exception that escapes the command stays in ``result.exception``."""
    return CliRunner().invoke(main, list(args), catch_exceptions=True)


def assert_ok(res: Result) -> None:
    assert res.exception is None or isinstance(res.exception, SystemExit), _trace(res)
    assert res.exit_code == 0, res.output


def assert_clean_error(res: Result, code: int, fragment: str = "") -> None:
    """Exit ``code``, exactly one ``Error:`` line (containing ``fragment``), no traceback."""
    assert isinstance(res.exception, SystemExit), _trace(res)
    assert res.exit_code == code, res.output
    errors = [ln for ln in res.stderr.splitlines() if ln.startswith("Error: ")]
    assert len(errors) == 1, res.stderr
    assert fragment in errors[0], errors[0]
    assert "Traceback" not in res.output


def _trace(res: Result) -> str:
    import traceback

    if res.exc_info is None:
        return res.output
    return "".join(traceback.format_exception(*res.exc_info))


def _literals(store: Path) -> list[str]:
    import pyoxigraph as ox

    db = ox.Store.read_only(str(store / "current" / "oxigraph"))
    return [str(s["o"].value) for s in db.query("SELECT DISTINCT ?o WHERE { ?s ?p ?o FILTER isLiteral(?o) }")]


# --- 9. One character crashes a build -------------------------------------------------------------

LINE_BREAKERS = {"U+2028": "\u2028", "U+0085": "\u0085", "VT": "\v", "FF": "\f", "U+001C": "\x1c",
                 "U+2029": "\u2029", "CR": "\r"}


@pytest.mark.parametrize("char", LINE_BREAKERS.values(), ids=LINE_BREAKERS.keys())
def test_9_a_line_breaking_character_anywhere_in_a_report_builds(tmp_path: Path, char: str) -> None:
    """Every character Python's ``splitlines`` breaks on, put inside the title, the headings and
    the sentences of a report: the build succeeds and the character is kept in the graph's quotes."""
    text = SMALL.read_text(encoding="utf-8")
    text = text.replace("Essex Police has been", f"Essex{char}Police has been").replace(" the ", f" the{char} ")
    text = text.replace("Overall judgment", f"Overall{char}judgment", 1)
    report = tmp_path / "essex.txt"
    report.write_text(text, encoding="utf-8", newline="")
    store = tmp_path / "store"
    res = cli("--store", str(store), "build", str(report), "-q")
    assert_ok(res)
    assert any(char in lit for lit in _literals(store))
    assert_ok(cli("--store", str(store), "query", "judgments", "--format", "csv"))
    for fmt in ("nt", "nq", "ttl", "jsonld"):
        assert_ok(cli("--store", str(store), "export", "--format", fmt, "-o", str(tmp_path / f"g.{fmt}")))


def test_9_one_such_file_in_a_corpus_folder_does_not_abort_it(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SMALL, corpus / "essex.txt")
    text = (ROOT / "tests" / "data" / "other" / "suffolk-efficiency-2016.txt").read_text(encoding="utf-8")
    (corpus / "suffolk.txt").write_text(text.replace(". ", ".\f ").replace(" the ", " the\u0085"), encoding="utf-8")
    store = tmp_path / "store"
    assert_ok(cli("--store", str(store), "build", str(corpus), "-q"))
    import json

    manifest = json.loads((store / "current" / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["reports"]) == 2 and manifest["skipped"] == []


def test_9_ntriples_of_a_literal_are_one_line() -> None:
    from peelgraph.graph.terms import Literal

    for ch in [*LINE_BREAKERS.values(), "\n", "\x00", "\x1e", "\x7f"]:
        line = Literal(f"a{ch}b").ntriples()
        assert len(f"<s> <p> {line} .".splitlines()) == 1, repr(ch)
