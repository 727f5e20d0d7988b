"""peelgraph.text.read: a report file is read strictly, or refused with the reason (a PDF, whose
streams are binary, is told apart before the binary check: tests/test_pdf.py reads real ones)."""

from __future__ import annotations

import shutil

import pytest

from peelgraph.errors import ReportError
from peelgraph.text.read import load, read_text


def test_load_reads_and_lays_out_the_shipped_report(report_path, report_text) -> None:
    doc = load(report_path)
    assert doc.text == report_text and doc.path == str(report_path)
    assert doc.report == report_path.stem
    assert load(report_path, "other").report == "other"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x00\x01\x02binary", "binary"),
        ("caf\u00e9".encode("latin-1") + b" report text", "not UTF-8"),
        (b"%PDF-1.7\n...", "the PDF is damaged"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length 4 /Filter /FlateDecode >>\nstream\n\x00\x01\x02\x03",
         "the PDF is damaged"),
    ],
    ids=["empty", "blank", "binary", "latin-1", "pdf", "pdf-binary-streams"],
)
def test_unreadable_files_raise_report_error(tmp_path, content: bytes, message: str) -> None:
    if content.startswith(b"%PDF") and shutil.which("pdftotext") is None:
        pytest.skip("poppler's pdftotext is not installed (Debian: apt-get install poppler-utils)")
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    with pytest.raises(ReportError, match=message):
        read_text(p)


def test_missing_file_raises_report_error(tmp_path) -> None:
    with pytest.raises(ReportError, match="no such file"):
        read_text(tmp_path / "nope.txt")
