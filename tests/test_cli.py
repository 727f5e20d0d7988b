"""peelgraph.cli: commands, exit codes (0, 1, 2, 3) and bad input, run as a user runs them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OTHER = ROOT / "tests" / "data" / "other"


def run(*args: str, store: Path | None = None, **kw) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if store is not None:
        env["PEELGRAPH_STORE"] = str(store)
    return subprocess.run([sys.executable, "-m", "peelgraph", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, **kw)


def assert_clean_error(res: subprocess.CompletedProcess[str], code: int, fragment: str) -> None:
    assert res.returncode == code, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert lines[0].startswith("Error: ") and fragment in lines[0]
    assert "Traceback" not in res.stderr


def test_build_prints_the_structure(tmp_path) -> None:
    res = run("build", store=tmp_path / "s")
    assert res.returncode == 0, res.stderr
    out = res.stdout
    assert "force: Warwickshire Police" in out and "year: 2016" in out
    assert "good                   overall   (previous year: requires improvement)" in out
    assert "areas for improvement (5):" in out
    assert "due 2017-05-01" in out and "due 2017-06-01" in out and "due 2016-06-30" in out
    assert "triples from 1 report(s)" in out


def test_help_and_version() -> None:
    res = run("--help")
    assert res.returncode == 0
    for cmd in ("build", "stats", "validate", "export"):
        assert cmd in res.stdout
    assert run("--version").stdout.startswith("peelgraph, version")


def test_usage_error_exits_2() -> None:
    res = run("no-such-command")
    assert res.returncode == 2
    assert run("export").returncode == 2  # --format is required
    assert "Traceback" not in res.stderr


def test_stats_and_validate_on_a_built_store(built_store) -> None:
    res = run("stats", store=built_store)
    assert res.returncode == 0 and "pg:Judgement" in res.stdout
    res = run("stats", "--format", "json", store=built_store)
    assert '"from_curation"' in res.stdout
    res = run("validate", store=built_store)
    assert res.returncode == 0, res.stdout + res.stderr
    assert res.stdout.startswith("Conforms")


def _record_graph(store: Path) -> None:
    import hashlib
    import json

    manifest = store / "current" / "manifest.json"
    m = json.loads(manifest.read_text(encoding="utf-8"))
    data = (store / "current" / "graph.nq").read_bytes()
    m["graph_bytes"], m["graph_sha256"] = len(data), hashlib.sha256(data).hexdigest()
    manifest.write_text(json.dumps(m), encoding="utf-8")


def test_validate_exits_1_with_a_readable_report_when_the_graph_does_not_conform(built_store, tmp_path) -> None:
    store = tmp_path / "broken"
    shutil.copytree(built_store, store, symlinks=True)
    nq = store / "current" / "graph.nq"
    lines = [ln for ln in nq.read_text(encoding="utf-8").splitlines()
             if "ontology#grade>" not in ln]  # every judgement loses its grade
    nq.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _record_graph(store)  # as if it had been built so (a graph.nq edited behind the store's back is damage)
    res = run("validate", store=store)
    assert res.returncode == 1
    assert "JudgementShape" in res.stdout
    assert "Does not conform" in res.stderr


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("missing.txt", None, "no such file"),
        ("empty.txt", b"", "the file is empty"),
        ("binary.txt", bytes(range(256)) * 4, "binary file"),
        ("latin1.txt", "Police r\xe9port".encode("latin-1"), "not UTF-8"),
        ("newsletter.txt", (OTHER / "not-a-report.txt").read_bytes(), "not a PEEL inspection report"),
    ],
    ids=["missing", "empty", "binary", "not-utf8", "not-a-report"],
)
def test_bad_input_exits_3_and_damages_nothing(tmp_path, built_store, name, content, fragment) -> None:
    store = tmp_path / "store"
    shutil.copytree(built_store, store, symlinks=True)
    before = (store / "current" / "graph.nq").read_bytes()
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    res = run("build", str(path), store=store)
    assert_clean_error(res, 3, fragment)
    assert (store / "current" / "graph.nq").read_bytes() == before
    assert run("stats", store=store).returncode == 0


def test_a_report_without_grades_builds_with_a_warning(tmp_path) -> None:
    path = tmp_path / "surrey.txt"
    path.write_text("PEEL: Police effectiveness 2018\nAn inspection of Surrey Police\n\n"
                    "HMICFRS inspected the force. The force works well with the county council.\n", encoding="utf-8")
    res = run("build", str(path), store=tmp_path / "s")
    assert res.returncode == 0, res.stderr
    assert "Warning:" in res.stderr and "no grades found" in res.stderr


def test_export_to_an_unwritable_place_is_a_clean_error(built_store, tmp_path) -> None:
    res = run("export", "--format", "ttl", "-o", str(tmp_path / "no" / "such" / "dir" / "g.ttl"), store=built_store)
    assert_clean_error(res, 3, "does not exist")
    res = run("export", "--format", "xml", store=built_store)
    assert_clean_error(res, 3, "unknown format 'xml'")
    assert "ttl" in res.stderr


def test_first_query_command_builds_the_default_store_when_missing(tmp_path) -> None:
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    env.pop("PEELGRAPH_STORE", None)
    res = subprocess.run([sys.executable, "-m", "peelgraph", "query", "judgments", "--format", "csv"],
                         capture_output=True, text=True, env=env, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    assert "Warwickshire Police" in res.stdout
    assert (tmp_path / "cache" / "peelgraph" / "store" / "current" / "graph.nq").is_file()


@pytest.mark.parametrize("how", ["option", "environment"])
def test_an_explicit_empty_store_never_answers_with_the_sample(tmp_path, how: str) -> None:
    store = tmp_path / "mine"
    store.mkdir()
    args = ("--store", str(store)) if how == "option" else ()
    res = run(*args, "query", "judgments", store=store if how == "environment" else None)
    assert_clean_error(res, 3, f"the store at {store} holds no graph; run peelgraph build")
    assert "Warwickshire" not in res.stdout and not (store / "current").exists()


def test_a_store_whose_build_failed_never_answers_with_the_sample(tmp_path) -> None:
    store = tmp_path / "mine"
    failed = run("--store", str(store), "build", str(OTHER / "not-a-report.txt"))
    assert failed.returncode == 3
    for cmd in (("query", "grades"), ("stats",), ("export", "--format", "nt")):
        res = run("--store", str(store), *cmd)
        assert_clean_error(res, 3, f"the store at {store} holds no graph; run peelgraph build")
        assert "Warwickshire" not in res.stdout


def test_store_kind_memory_gives_the_same_answers(built_store) -> None:
    a = run("query", "judgments", "--format", "csv", store=built_store)
    b = run("--store-kind", "memory", "query", "judgments", "--format", "csv", store=built_store)
    assert a.returncode == b.returncode == 0, b.stderr
    assert a.stdout == b.stdout
    c = run("--store-kind", "memory", "network", "central", "--top", "3", store=built_store)
    assert c.returncode == 0 and "Warwickshire and West Mercia alliance" in c.stdout


def test_unreachable_endpoint_is_a_clean_error(built_store) -> None:
    res = run("--endpoint", "http://127.0.0.1:9/query", "query", "judgments", store=built_store)
    assert res.returncode == 3
    assert res.stderr.startswith("Error: ") and "Traceback" not in res.stderr


def _imported(*args: str, store: Path) -> set[str]:
    """The top-level packages a fresh ``python -X importtime -m peelgraph ARGS`` imports."""
    env = dict(os.environ, PEELGRAPH_STORE=str(store))
    res = subprocess.run([sys.executable, "-X", "importtime", "-m", "peelgraph", *args], capture_output=True,
                         text=True, env=env, cwd=ROOT)
    assert res.returncode == 0, res.stderr[-2000:]
    return {line.split("|")[-1].strip().split(".")[0] for line in res.stderr.splitlines()
            if line.startswith("import time:")}


def test_the_query_path_starts_cold_without_the_heavy_libraries(built_store) -> None:
    heavy = {"rdflib", "networkx", "pyshacl", "numpy", "scipy"}
    query = _imported("query", "judgments", store=built_store)
    assert "pyoxigraph" in query and "click" in query
    assert not heavy & query
    assert not heavy & _imported("--help", store=built_store)
    assert not heavy & _imported("query", "--help", store=built_store)


def test_cli_query_errors_exit_3_with_one_line(built_store, tmp_path) -> None:
    for args in (["query", "nope"], ["query", "-e", "SELECT ?x WHERE { ?x }"], ["query", "partners-of"],
                 ["query", "partners-of", "-p", "entity=zzzz"], ["query", str(tmp_path / "missing.rq")]):
        res = run(*args, store=built_store)
        assert res.returncode == 3, args
        assert res.stderr.startswith("Error: ") and len(res.stderr.strip().splitlines()) == 1, res.stderr
    res = run("query", "judgments", "-p", "novalue", store=built_store)
    assert res.returncode == 2


def test_cli_query_from_file_and_inline(built_store, tmp_path) -> None:
    f = tmp_path / "mine.rq"
    f.write_text("SELECT ?grade WHERE { ?j pg:isOverall true ; pg:report ?r ; pg:grade/skos:prefLabel ?grade }",
                 encoding="utf-8")
    res = run("query", str(f), "--format", "csv", store=built_store)
    assert res.returncode == 0 and res.stdout.splitlines() == ["grade", "good"]
    res = run("query", "-e", "SELECT (COUNT(*) AS ?n) WHERE { ?q a pg:CoreQuestion }", "--format", "tsv",
               store=built_store)
    assert res.stdout.splitlines() == ["n", "5"]
    res = run("queries", store=built_store)
    assert "partners-of" in res.stdout and "-p entity=..." in res.stdout
