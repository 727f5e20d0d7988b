"""Shared fixtures: the shipped report, its extraction, and a store built once per session."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "data" / "reports" / "warwickshire-effectiveness-2016.txt"
OTHER = ROOT / "tests" / "data" / "other"

try:  # the property-based tests' profiles: PEELGRAPH_FUZZ=1 runs the long one (tests/test_build_fuzz.py)
    from hypothesis import settings as _hsettings

    _hsettings.register_profile("peelgraph", max_examples=50, deadline=None, database=None, print_blob=True)
    _hsettings.register_profile("fuzz", max_examples=700, deadline=None, database=None, print_blob=True)
    _hsettings.load_profile("fuzz" if os.environ.get("PEELGRAPH_FUZZ") else "peelgraph")
except ImportError:  # without hypothesis, its tests are skipped (failed under CI)
    pass


@pytest.fixture(scope="session")
def report_path() -> Path:
    return REPORT


@pytest.fixture(scope="session")
def report_text() -> str:
    return REPORT.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def extraction():
    from peelgraph.graph.build import extract

    return extract(REPORT, source="data/reports/warwickshire-effectiveness-2016.txt")


@pytest.fixture(scope="session")
def rules_extraction():
    from peelgraph.graph.build import extract

    return extract(REPORT, curate=False, source="data/reports/warwickshire-effectiveness-2016.txt")


@pytest.fixture(scope="session")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built from the shipped report (do not modify it in tests)."""
    from peelgraph.store.oxigraph import build_store

    store = tmp_path_factory.mktemp("store") / "store"
    build_store(store, [REPORT])
    return store


@pytest.fixture(scope="session")
def db(built_store: Path):
    """The shipped report's store as a query backend."""
    from peelgraph.store.oxigraph import OxigraphBackend

    return OxigraphBackend.open(built_store)


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built from a small corpus: the shipped report and three others in other wording
    (Cumbria 2017, Dyfed-Powys 2015, Kent 2022); do not modify it in tests."""
    import shutil

    from peelgraph.store.oxigraph import build_store

    d = tmp_path_factory.mktemp("corpus")
    shutil.copy(REPORT, d)
    for name in ("cumbria-effectiveness-2017.txt", "dyfed-powys-effectiveness-2015.txt", "kent-peel-2022.txt"):
        shutil.copy(OTHER / name, d)
    store = d / "store"
    build_store(store, [d], skip_bad=True)
    return store


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """OpenLink Virtuoso on loopback (tests/virtuoso_server.py): its own database folder and
    ports, the Graph Store grants set, one server for the whole session, stopped at the end.
    Skipped when Virtuoso is not installed (a failure under CI)."""
    import virtuoso_server

    if virtuoso_server.binaries() is None:
        pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource; .ci/run does it)")
    server = virtuoso_server.start(tmp_path_factory.mktemp("virtuoso"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def other_expected() -> dict:
    return json.loads((OTHER / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _isolated_store(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test touches the user's default store: the default store lives under a temporary cache
    folder (``$XDG_CACHE_HOME``), and ``$PEELGRAPH_STORE`` is unset, so a command run without
    ``--store`` still meets the default store (which it may fill with the shipped report)."""
    monkeypatch.delenv("PEELGRAPH_STORE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Under ``CI`` a skip is a failure: a missing browser, server or package must not pass quietly."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if os.environ.get("CI") and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped under CI, which must run every test: {reason}"
