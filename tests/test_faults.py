"""Faults of the store and the file system, and inputs at their worst (issue 14, items 6-11 and 13).

One test (or one parametrised family) per numbered case of the audit, named after it. Commands
run in-process through click's runner where a traceback would show as an exception, and in a
subprocess where the process itself matters (locks, concurrency, exit codes).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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


# --- 7. A damaged store is never replaced, and says how to repair it ----------------------------------

@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built from a small report (copy it before damaging it: :func:`fresh`)."""
    from peelgraph.store.oxigraph import build_store

    base = tmp_path_factory.mktemp("small")
    report = base / "reports" / SMALL.name
    report.parent.mkdir()
    shutil.copy(SMALL, report)
    build_store(base / "store", [report])
    return base


def fresh(small_store: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the small store and its report: (store, report)."""
    shutil.copytree(small_store, tmp_path / "w", symlinks=True)
    store = tmp_path / "w" / "store"
    import json

    m = json.loads((store / "current" / "manifest.json").read_text(encoding="utf-8"))
    report = tmp_path / "w" / "reports" / SMALL.name
    old = str(small_store / "reports" / SMALL.name)
    # the copy's manifest records the copy's report, so that it is not stale
    text = (store / "current" / "manifest.json").read_text(encoding="utf-8").replace(old, str(report))
    (store / "current" / "manifest.json").write_text(text, encoding="utf-8")
    if "graph_sha256" in m:
        assert json.loads(text)["graph_sha256"] == m["graph_sha256"]
    return store, report


def _files(store: Path) -> dict[str, bytes]:
    return {str(p.relative_to(store)): p.read_bytes() for p in sorted(store.rglob("*"))
            if p.is_file() and not p.is_symlink() and p.parent.name != "cache" and p.name not in ("lock", "LOCK")}


def _damage_is_reported_then_repaired(store: Path, fragment: str) -> None:
    gens = sorted(p.name for p in store.glob("gen-*"))
    before = _files(store)
    for args in (["query", "judgments"], ["stats"], ["export", "--format", "nq"], ["export", "--format", "ttl"],
                 ["validate"]):
        res = cli("--store", str(store), *args)
        assert_clean_error(res, 3, fragment)
        assert "peelgraph doctor --repair" in res.stderr
    assert sorted(p.name for p in store.glob("gen-*")) == gens  # nothing deleted, nothing rebuilt
    assert _files(store) == before
    res = cli("--store", str(store), "doctor")
    assert_clean_error(res, 3, "damaged")
    assert fragment in res.stdout
    assert_ok(cli("--store", str(store), "doctor", "--repair"))
    assert_ok(cli("--store", str(store), "doctor"))
    res = cli("--store", str(store), "query", "judgments", "--format", "csv")
    assert_ok(res)
    assert "Essex Police" in res.stdout


def test_7_corrupt_manifest(small_store: Path, tmp_path: Path) -> None:
    store, _ = fresh(small_store, tmp_path)
    (store / "current" / "manifest.json").write_text("{not json", encoding="utf-8")
    _damage_is_reported_then_repaired(store, "manifest.json is unreadable")


def test_7_missing_manifest(small_store: Path, tmp_path: Path) -> None:
    store, _ = fresh(small_store, tmp_path)
    (store / "current" / "manifest.json").unlink()
    _damage_is_reported_then_repaired(store, "manifest.json is missing")


def test_7_missing_current(small_store: Path, tmp_path: Path) -> None:
    store, _ = fresh(small_store, tmp_path)
    (store / "current").unlink()
    _damage_is_reported_then_repaired(store, "the link 'current' is missing")


def test_7_dangling_current(small_store: Path, tmp_path: Path) -> None:
    store, _ = fresh(small_store, tmp_path)
    (store / "current").unlink()
    (store / "current").symlink_to("gen-gone")
    _damage_is_reported_then_repaired(store, "points to gen-gone")


def test_7_corrupt_oxigraph_file(small_store: Path, tmp_path: Path) -> None:
    store, _ = fresh(small_store, tmp_path)
    for sst in sorted((store / "current" / "oxigraph").glob("*.sst")):
        data = bytearray(sst.read_bytes())
        for i in range(64, len(data), 97):
            data[i] ^= 0xFF
        sst.write_bytes(bytes(data))
    store_files = _files(store)
    for args in (["query", "judgments"], ["stats"]):
        res = cli("--store", str(store), *args)
        assert_clean_error(res, 3, "damaged")
        assert "peelgraph doctor --repair" in res.stderr
    assert _files(store) == store_files
    res = cli("--store", str(store), "doctor")
    assert_clean_error(res, 3, "damaged")
    assert "oxigraph/ cannot be read" in res.stdout
    assert_ok(cli("--store", str(store), "doctor", "--repair"))
    assert_ok(cli("--store", str(store), "query", "judgments"))


def test_7_corrupt_graph_nq(small_store: Path, tmp_path: Path) -> None:
    store, _ = fresh(small_store, tmp_path)
    nq = store / "current" / "graph.nq"
    nq.write_text(nq.read_text(encoding="utf-8").replace("Essex", "Exxex", 1), encoding="utf-8")  # same size
    for fmt in ("nq", "ttl", "jsonld"):
        res = cli("--store", str(store), "export", "--format", fmt, "-o", str(tmp_path / f"g.{fmt}"))
        assert_clean_error(res, 3, "graph.nq has changed since it was built")
        assert not (tmp_path / f"g.{fmt}").exists()
    res = cli("--store", str(store), "doctor")
    assert_clean_error(res, 3, "damaged")
    assert_ok(cli("--store", str(store), "doctor", "--repair"))  # from the recorded report
    assert_ok(cli("--store", str(store), "export", "--format", "nq", "-o", str(tmp_path / "g.nq")))
    out = (tmp_path / "g.nq").read_text(encoding="utf-8")
    built = (small_store / "store" / "current" / "graph.nq").read_text(encoding="utf-8")
    assert "Exxex" not in out and out.count("\n") == built.count("\n")


def test_7_repair_from_graph_nq_when_the_reports_are_gone(small_store: Path, tmp_path: Path) -> None:
    store, report = fresh(small_store, tmp_path)
    report.unlink()
    shutil.rmtree(store / "current" / "oxigraph")
    res = cli("--store", str(store), "doctor", "--repair")
    assert_ok(res)
    assert "graph.nq" in res.stdout
    built = small_store / "store" / "current" / "graph.nq"
    assert (store / "current" / "graph.nq").read_bytes() == built.read_bytes()
    res = cli("--store", str(store), "query", "judgments", "--format", "csv")
    assert_ok(res)
    assert "Essex Police" in res.stdout


def test_7_the_default_store_is_never_replaced_by_the_shipped_report(tmp_path: Path, monkeypatch) -> None:
    from peelgraph.store.oxigraph import default_store_path

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    default = default_store_path()
    default.parent.mkdir(parents=True)
    store, _ = fresh(_small_for_default(tmp_path), tmp_path / "x")
    shutil.move(str(store), default)
    (default / "current" / "manifest.json").write_text("[]", encoding="utf-8")
    before = _files(default)
    res = cli("query", "judgments")  # no --store: the default store
    assert_clean_error(res, 3, "damaged")
    assert _files(default) == before
    assert "Warwickshire" not in res.stdout


def _small_for_default(tmp_path: Path) -> Path:
    from peelgraph.store.oxigraph import build_store

    base = tmp_path / "base"
    (base / "reports").mkdir(parents=True)
    shutil.copy(SMALL, base / "reports" / SMALL.name)
    build_store(base / "store", [base / "reports" / SMALL.name])
    return base


# --- 6. Readers never see a generation disappear during a rebuild -----------------------------------

_REBUILD_LOOP = """
import sys, pathlib
from peelgraph.store.oxigraph import build_store
store, report, stop = map(pathlib.Path, sys.argv[1:4])
n = 0
while not stop.exists() or n < 3:
    build_store(store, [report])
    n += 1
print(n)
"""


def test_6_queries_during_repeated_rebuilds_all_succeed(small_store: Path, tmp_path: Path) -> None:
    """150 queries in 6 threads while another process rebuilds the same store again and again."""
    from concurrent.futures import ThreadPoolExecutor

    from peelgraph.store.oxigraph import OxigraphBackend

    store, report = fresh(small_store, tmp_path)
    stop = tmp_path / "stop"
    builder = subprocess.Popen([sys.executable, "-c", _REBUILD_LOOP, str(store), str(report), str(stop)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    query = "PREFIX pg: <https://w3id.org/peelgraph/ontology#> SELECT ?j ?g WHERE { ?j a pg:Judgement ; pg:grade ?g }"

    def one(_: int) -> int:
        db = OxigraphBackend.open(store)
        try:
            rows = db.query(query)["results"]["bindings"]
            for _ in range(3):  # keep reading the same generation a while
                assert len(db.query(query)["results"]["bindings"]) == len(rows)
            return len(rows)
        finally:
            db.close()

    try:
        with ThreadPoolExecutor(6) as pool:
            counts = list(pool.map(one, range(150)))
    finally:
        stop.touch()
        out, err = builder.communicate(timeout=600)
    assert builder.returncode == 0, err
    assert int(out) >= 3  # the store was rebuilt while it was read
    assert len(counts) == 150 and len(set(counts)) == 1 and counts[0] > 0
    assert_ok(cli("--store", str(store), "build", str(report), "-q"))
    assert len(list(store.glob("gen-*"))) == 1  # no reader left: the next build removes the old ones


def test_6_a_held_generation_outlives_a_rebuild(small_store: Path, tmp_path: Path) -> None:
    from peelgraph.store.oxigraph import OxigraphBackend, build_store

    store, report = fresh(small_store, tmp_path)
    db = OxigraphBackend.open(store)
    first = (store / "current").resolve()
    build_store(store, [report])
    assert first.is_dir() and (store / "current").resolve() != first  # still there for its reader
    assert db.ask("ASK { ?s ?p ?o }")
    db.close()
    build_store(store, [report])
    assert not first.exists()  # let go: the next build removed it
    assert len(list(store.glob("gen-*"))) == 1


def test_6_queries_in_processes_during_rebuilds(small_store: Path, tmp_path: Path) -> None:
    """Whole commands, each its own process, while the store is rebuilt (fewer: processes are slow)."""
    store, report = fresh(small_store, tmp_path)
    stop = tmp_path / "stop"
    builder = subprocess.Popen([sys.executable, "-c", _REBUILD_LOOP, str(store), str(report), str(stop)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    env = {**os.environ, "PEELGRAPH_STORE": str(store)}
    try:
        procs = [subprocess.Popen([sys.executable, "-m", "peelgraph", "query", "judgments", "--format", "csv"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
                 for _ in range(12)]
        results = [p.communicate(timeout=600) + (p.returncode,) for p in procs]
    finally:
        stop.touch()
        builder.communicate(timeout=600)
    for out, err, code in results:
        assert code == 0 and "Traceback" not in err, err
        assert "Essex Police" in out


# --- 8. Faults of the file system -------------------------------------------------------------------

@pytest.fixture()
def shared_dir() -> Path:
    """A folder another user can enter (pytest's own are private to their owner), removed afterwards."""
    import tempfile

    d = Path(tempfile.mkdtemp(prefix="peelgraph-faults-"))
    d.chmod(0o755)
    yield d
    for p in [d, *d.rglob("*")]:
        if not p.is_symlink():
            p.chmod(0o755 if p.is_dir() else 0o644)
    shutil.rmtree(d)


def as_unprivileged(*args: str, store: Path) -> subprocess.CompletedProcess[str]:
    """Run peelgraph as a user who is bound by file permissions: as is when not root, else as nobody."""
    cmd = [sys.executable, "-m", "peelgraph", "--store", str(store), *args]
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root and setpriv (util-linux) is missing: permissions cannot be tested")
        cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *cmd]
    env = {**os.environ, "HOME": str(store.parent), "XDG_CACHE_HOME": str(store.parent / "cache")}
    env.pop("PEELGRAPH_STORE", None)
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)


def assert_one_error(res: subprocess.CompletedProcess[str], code: int, fragment: str) -> None:
    assert res.returncode == code, res.stderr
    errors = [ln for ln in res.stderr.splitlines() if ln.startswith("Error: ")]
    assert len(errors) == 1 and fragment in errors[0], res.stderr
    assert "Traceback" not in res.stderr


def _read_only(path: Path) -> None:
    for p in [path, *path.rglob("*")]:
        if not p.is_symlink():
            p.chmod(0o555 if p.is_dir() else 0o444)


def _built_in(shared_dir: Path) -> tuple[Path, Path]:
    from peelgraph.store.oxigraph import build_store

    report = shared_dir / "reports" / SMALL.name
    report.parent.mkdir()
    shutil.copy(SMALL, report)
    store = shared_dir / "store"
    build_store(store, [report])
    return store, report


def test_8_a_read_only_store_gives_one_error_and_deletes_nothing(shared_dir: Path) -> None:
    store, report = _built_in(shared_dir)
    other = shared_dir / "reports" / "suffolk.txt"
    shutil.copy(ROOT / "tests" / "data" / "other" / "suffolk-efficiency-2016.txt", other)
    _read_only(store)
    before = _files(store) | {f"cache/{p.name}": p.read_bytes() for p in (store / "cache").iterdir()}
    res = as_unprivileged("build", str(other), "-q", store=store)
    assert_one_error(res, 3, "cannot write the store")
    assert _files(store) | {f"cache/{p.name}": p.read_bytes() for p in (store / "cache").iterdir()} == before
    res = as_unprivileged("query", "judgments", "--format", "csv", store=store)
    assert res.returncode == 0 and "Essex Police" in res.stdout, res.stderr


def test_8_a_query_after_the_source_was_edited_warns_that_the_graph_is_stale(shared_dir: Path) -> None:
    store, report = _built_in(shared_dir)
    report.write_text(report.read_text(encoding="utf-8") + "\nA new closing line.\n", encoding="utf-8")
    _read_only(store)  # cannot be rebuilt
    res = as_unprivileged("query", "judgments", "--format", "csv", store=store)
    assert res.returncode == 0 and "Essex Police" in res.stdout, res.stderr
    assert "Warning: the graph is stale" in res.stderr and "Traceback" not in res.stderr


def test_8_a_source_edited_into_a_non_report_keeps_the_graph_with_a_warning(small_store: Path, tmp_path: Path) -> None:
    store, report = fresh(small_store, tmp_path)
    report.write_text("nothing like a report\n", encoding="utf-8")
    res = cli("--store", str(store), "query", "judgments", "--format", "csv")
    assert_ok(res)
    assert "Essex Police" in res.stdout
    assert "Warning: the graph is stale" in res.stderr and "rebuilding it failed" in res.stderr


def test_8_a_moved_source_does_not_fail_every_query(small_store: Path, tmp_path: Path) -> None:
    store, report = fresh(small_store, tmp_path)
    report.rename(tmp_path / "moved.txt")
    res = cli("--store", str(store), "query", "judgments", "--format", "csv")
    assert_ok(res)
    assert "Essex Police" in res.stdout
    assert "Warning: the graph is stale: a report it was built from is gone" in res.stderr


def test_8_an_unreadable_file_in_a_corpus_is_skipped_with_a_warning(shared_dir: Path) -> None:
    corpus = shared_dir / "corpus"
    corpus.mkdir()
    shutil.copy(SMALL, corpus / "essex.txt")
    shutil.copy(ROOT / "tests" / "data" / "other" / "suffolk-efficiency-2016.txt", corpus / "suffolk.txt")
    (corpus / "suffolk.txt").chmod(0)
    (shared_dir / "store").mkdir(mode=0o777)
    (shared_dir / "store").chmod(0o777)
    res = as_unprivileged("build", str(corpus), "-q", store=shared_dir / "store")
    assert res.returncode == 0, res.stderr
    assert "Warning: skipped" in res.stderr and "suffolk.txt: cannot read: Permission denied" in res.stderr
    assert "Traceback" not in res.stderr


def test_8_an_unreadable_sub_folder_is_reported(shared_dir: Path) -> None:
    corpus = shared_dir / "corpus"
    (corpus / "locked").mkdir(parents=True)
    shutil.copy(SMALL, corpus / "essex.txt")
    shutil.copy(ROOT / "tests" / "data" / "other" / "suffolk-efficiency-2016.txt", corpus / "locked" / "suffolk.txt")
    (corpus / "locked").chmod(0)
    (shared_dir / "store").mkdir()
    (shared_dir / "store").chmod(0o777)
    res = as_unprivileged("build", str(corpus), "-q", store=shared_dir / "store")
    assert res.returncode == 0, res.stderr
    assert "locked: cannot read the folder: Permission denied" in res.stderr and "Traceback" not in res.stderr


def test_8_a_symlink_loop_given_directly_is_one_error(tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    loop.symlink_to("loop.txt")
    res = cli("--store", str(tmp_path / "s"), "build", str(loop))
    assert_clean_error(res, 3, "loop.txt")
    assert not (tmp_path / "s" / "current").exists()


def test_8_a_symlink_loop_in_a_corpus_folder_is_skipped(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SMALL, corpus / "essex.txt")
    (corpus / "loop.txt").symlink_to("loop.txt")
    (corpus / "again").symlink_to(corpus)  # a folder that contains itself
    res = cli("--store", str(tmp_path / "s"), "build", str(corpus), "-q")
    assert_ok(res)
    assert "loop.txt: a symbolic link that leads nowhere or in a loop" in res.stderr


# --- 11. export -o never replaces a special file; keeps a file's mode ---------------------------------

def test_11_export_refuses_a_character_device(small_store: Path, tmp_path: Path) -> None:
    store, _ = fresh(small_store, tmp_path)
    res = cli("--store", str(store), "export", "--format", "nt", "-o", "/dev/null")
    assert_clean_error(res, 3, "not a regular file")
    assert Path("/dev/null").is_char_device()


def test_11_export_refuses_a_fifo(small_store: Path, tmp_path: Path) -> None:
    store, _ = fresh(small_store, tmp_path)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    res = cli("--store", str(store), "export", "--format", "nt", "-o", str(fifo))
    assert_clean_error(res, 3, "not a regular file")
    assert fifo.is_fifo()
    res = cli("--store", str(store), "export", "--view", "partners", "--format", "gexf", "-o", str(fifo))
    assert_clean_error(res, 3, "not a regular file")


def test_11_export_writes_through_a_symlink_and_keeps_the_mode(small_store: Path, tmp_path: Path) -> None:
    store, _ = fresh(small_store, tmp_path)
    real = tmp_path / "real.nt"
    real.write_text("old\n", encoding="utf-8")
    real.chmod(0o600)
    link = tmp_path / "link.nt"
    link.symlink_to(real.name)
    assert_ok(cli("--store", str(store), "export", "--format", "nt", "-o", str(link)))
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith("<https://")
    assert real.stat().st_mode & 0o777 == 0o600
    for fmt, name in (("ttl", "g.ttl"), ("gexf", "g.gexf")):
        target = tmp_path / name
        target.write_text("old\n", encoding="utf-8")
        target.chmod(0o640)
        args = ["--view", "partners"] if fmt == "gexf" else []
        assert_ok(cli("--store", str(store), "export", "--format", fmt, *args, "-o", str(target)))
        assert target.stat().st_mode & 0o777 == 0o640


# --- 13. Small ones --------------------------------------------------------------------------------

def test_13_csv_export_into_a_folder_writes_into_it(small_store: Path, tmp_path: Path) -> None:
    store, _ = fresh(small_store, tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    assert_ok(cli("--store", str(store), "export", "--view", "partners", "--format", "csv", "-o", str(out)))
    assert sorted(p.name for p in out.iterdir()) == ["edges.csv", "nodes.csv"]
    assert not list(tmp_path.glob("out.*"))


def test_13_export_to_proc_version_gives_the_right_reason(small_store: Path, tmp_path: Path) -> None:
    if not Path("/proc/version").is_file():
        pytest.skip("no /proc/version on this system")
    store, _ = fresh(small_store, tmp_path)
    res = cli("--store", str(store), "export", "--format", "nt", "-o", "/proc/version")
    assert_clean_error(res, 3, "cannot create a file in /proc")
    assert "does not exist" not in res.stderr


def test_13_a_killed_builds_leftovers_go_at_the_next_build_whatever_its_outcome(small_store: Path,
                                                                               tmp_path: Path) -> None:
    store, report = fresh(small_store, tmp_path)
    (store / "gen-tmp-killed").mkdir()
    (store / "gen-tmp-killed" / "graph.nq").write_text("half", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    res = cli("--store", str(store), "build", str(empty))  # a build that fails
    assert_clean_error(res, 3, "empty")
    assert not list(store.glob("gen-tmp-*"))
    assert_ok(cli("--store", str(store), "query", "judgments"))


# --- 10. Big inputs --------------------------------------------------------------------------------

def test_10_a_report_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    line = "The force works with partners to keep people safe. " * 20 + "\n"
    big.write_text(SMALL.read_text(encoding="utf-8") + line * (5 * 1024 * 1024 // len(line)), encoding="utf-8")
    res = cli("--store", str(tmp_path / "s"), "build", str(big))
    assert_clean_error(res, 3, "over the limit of 4.0 MiB (peelgraph build --max-size raises it)")
    assert not (tmp_path / "s" / "current").exists()


def test_10_max_size_sets_the_limit(tmp_path: Path) -> None:
    res = cli("--store", str(tmp_path / "s"), "build", str(SMALL), "--max-size", "0.001", "-q")
    assert_clean_error(res, 3, "over the limit")
    assert_ok(cli("--store", str(tmp_path / "s"), "build", str(SMALL), "--max-size", "0.01", "-q"))
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SMALL, corpus / "essex.txt")
    shutil.copy(ROOT / "tests" / "data" / "other" / "cumbria-effectiveness-2017.txt", corpus / "cumbria.txt")
    res = cli("--store", str(tmp_path / "s"), "build", str(corpus), "--max-size", "0.01", "-q")
    assert_ok(res)  # in a corpus the big one is skipped, with a warning
    assert "cumbria.txt: the file is 26.0 KiB, over the limit of 10.2 KiB" in res.stderr
    assert_clean_error(cli("--store", str(tmp_path / "s"), "build", str(SMALL), "--max-size", "0"), 2)


@pytest.mark.parametrize("special", ["/dev/zero", "fifo"])
def test_10_dev_zero_and_a_fifo_are_refused(tmp_path: Path, special: str) -> None:
    if special == "fifo":
        special = str(tmp_path / "r.txt")
        os.mkfifo(special)
    res = cli("--store", str(tmp_path / "s"), "build", special)
    assert_clean_error(res, 3, "not a regular file")


def test_10_an_overall_grade_that_is_not_a_grade_is_a_warning(tmp_path: Path) -> None:
    text = SMALL.read_text(encoding="utf-8").replace("Overall judgment\nRequires improvement",
                                                     "Overall judgment\nExcellent-ish", 1)
    assert "Excellent-ish" in text
    report = tmp_path / "essex.txt"
    report.write_text(text, encoding="utf-8")
    res = cli("--store", str(tmp_path / "s"), "build", str(report), "-q")
    assert_ok(res)
    assert "the overall judgement 'Excellent-ish' is not a grade of the scheme; it is left out" in res.stderr


def test_10_a_very_long_word_is_split_in_linear_time() -> None:
    """A line of one 1,000,000-letter word: the sentence splitter looked for the last word of the
    sentence so far from its start, once per character (hours); now it looks from the end."""
    import time

    from peelgraph.text.sentences import split

    text = "It starts. X" + "(" * 500_000 + "x" * 500_000 + " ends here. Next one."
    t0 = time.perf_counter()
    spans = list(split(text))
    assert time.perf_counter() - t0 < 60  # generous: under a second here, hours before
    assert [text[a:b][-10:] for a, b in spans] == ["It starts.", "ends here.", "Next one."]
