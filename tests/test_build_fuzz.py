"""peelgraph build against generated inputs (hypothesis): random Unicode and bytes, control and
line-breaking characters sprinkled through a real report, huge lines, and mangled PDFs.

Every input goes through the command line (click's runner, in-process, ``--store`` in a temporary
folder holding a graph built before) and must end in exit 0 or 3, with exactly one ``Error:`` line
and the store untouched when it is 3, and never a traceback.

The number of examples comes from the hypothesis profile (tests/conftest.py): ``peelgraph``
(the default, 50 per test, a quarter of that for the slow huge lines: 162 in all) or ``fuzz``
(700 per test, 175 huge lines: 2,275 in all), chosen with ``PEELGRAPH_FUZZ=1``::

    PEELGRAPH_FUZZ=1 .venv/bin/python -m pytest -q tests/test_build_fuzz.py
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from peelgraph.cli import main  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "tests" / "data" / "other" / "essex-effectiveness-2017.txt"
NASTY = ["\u2028", "\u2029", "\u0085", "\v", "\f", "\r", "\r\n", "\x00", "\x1b", "\x7f", "\t", "\ufeff", "\u200b",
         "\u202e", "\ud7ff", "\U0001f600", "\ufffd", "\u00a0", '"', "\\", "<", ">", "\\u0000", "\\n", "@en", "^^",
         " .", "\n\n", "Overall judgment\n", "Good\n", "1.", "2017", "Essex Police", "(HMICFRS)"]
_settings = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                            HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with a graph built from a small report; each example starts from a copy of it."""
    from peelgraph.store.oxigraph import build_store

    d = tmp_path_factory.mktemp("fuzz")
    build_store(d / "store", [SMALL])
    return d


class Checker:
    """Runs ``build`` on one input at a time against the same store and checks the outcome."""

    def __init__(self, store: Path, work: Path) -> None:
        self.store, self.work, self.n = store, work, 0

    def snapshot(self) -> tuple[str, bytes]:
        current = self.store / "current"
        return str(current.resolve()), (current / "manifest.json").read_bytes()

    def check(self, data: bytes, suffix: str = ".txt") -> int:
        from click.testing import CliRunner

        self.n += 1
        report = self.work / f"input-{self.n}{suffix}"
        report.write_bytes(data)
        before = self.snapshot()
        res = CliRunner().invoke(main, ["--store", str(self.store), "build", str(report), "-q"])
        report.unlink()
        if res.exception is not None and not isinstance(res.exception, SystemExit):
            import traceback

            raise AssertionError("".join(traceback.format_exception(*res.exc_info))) from None  # type: ignore[misc]
        assert res.exit_code in (0, 3), res.output
        assert "Traceback" not in res.output
        if res.exit_code == 3:
            errors = [ln for ln in res.stderr.splitlines() if ln.startswith("Error: ")]
            assert len(errors) == 1, res.stderr
            assert self.snapshot() == before  # the store untouched
        else:
            assert (self.store / "current" / "graph.nq").stat().st_size > 0
        assert not list(self.store.glob("gen-tmp-*"))
        return res.exit_code


@pytest.fixture()
def checker(base: Path, tmp_path: Path) -> Checker:
    shutil.copytree(base / "store", tmp_path / "store", symlinks=True)
    (tmp_path / "in").mkdir()
    return Checker(tmp_path / "store", tmp_path / "in")


@_settings
@given(st.one_of(st.text(), st.binary(), st.text(alphabet=st.characters(codec="utf-8"), min_size=1)))
def test_random_text_and_bytes(checker: Checker, data: str | bytes) -> None:
    checker.check(data.encode("utf-8") if isinstance(data, str) else data)


@_settings
@given(st.lists(st.tuples(st.floats(0, 1), st.one_of(st.sampled_from(NASTY), st.text(min_size=1, max_size=8))),
                min_size=1, max_size=12),
       st.lists(st.tuples(st.floats(0, 1), st.integers(1, 400)), max_size=2))
def test_a_report_with_characters_sprinkled_through_it(checker: Checker, inserts: list[tuple[float, str]],
                                                       cuts: list[tuple[float, int]]) -> None:
    text = SMALL.read_text(encoding="utf-8")
    for where, n in cuts:
        i = int(where * len(text))
        text = text[:i] + text[i + n:]
    for where, s in sorted(inserts, reverse=True):
        i = int(where * len(text))
        text = text[:i] + s + text[i:]
    checker.check(text.encode("utf-8", "surrogatepass"))


@settings(parent=_settings, max_examples=max(10, settings.default.max_examples // 4))  # the slowest: fewer
@given(st.sampled_from(["x", "word ", "The force should work with partners. ", "\u2028", "(", "1.", "é"]),
       st.integers(1000, 100_000), st.sampled_from(["alone", "start", "middle", "end"]))
def test_huge_lines(checker: Checker, unit: str, length: int, where: str) -> None:
    line = (unit * (length // len(unit) + 1))[:length]
    text = SMALL.read_text(encoding="utf-8")
    mid = text.index("\n\n", len(text) // 2)
    text = {"alone": line, "start": line + "\n" + text, "middle": text[:mid] + "\n" + line + text[mid:],
            "end": text + line}[where]
    checker.check(text.encode("utf-8", "surrogatepass"))


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    pytest.importorskip("reportlab")
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    from pdfmake import make_report_pdf

    from peelgraph.extract import templates

    out = tmp_path_factory.mktemp("pdf") / "essex.pdf"
    make_report_pdf(templates.load(SMALL), out, header="Essex Police – PEEL: Police effectiveness 2017")
    return out.read_bytes()


@_settings
@given(st.data())
def test_mangled_pdfs(checker: Checker, pdf: bytes, data: st.DataObject) -> None:
    raw = bytearray(pdf)
    how = data.draw(st.sampled_from(["flip", "truncate", "splice", "zero"]))
    if how == "flip":
        for i in data.draw(st.lists(st.integers(0, len(raw) - 1), min_size=1, max_size=40)):
            raw[i] ^= data.draw(st.integers(1, 255))
    elif how == "truncate":
        raw = raw[:data.draw(st.integers(8, len(raw) - 1))]
    elif how == "splice":
        i = data.draw(st.integers(0, len(raw)))
        raw[i:i] = data.draw(st.binary(min_size=1, max_size=200))
    else:
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i:i + data.draw(st.integers(1, 4000))] = b"\x00" * 16
    checker.check(bytes(raw), ".pdf")
