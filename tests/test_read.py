"""peelgraph.text.read: a report file is read strictly, or refused with the reason."""

from __future__ import annotations

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
        (b"%PDF-1.7\n...", "PDF"),
    ],
    ids=["empty", "blank", "binary", "latin-1", "pdf"],
)
def test_unreadable_files_raise_report_error(tmp_path, content: bytes, message: str) -> None:
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    with pytest.raises(ReportError, match=message):
        read_text(p)


def test_missing_file_raises_report_error(tmp_path) -> None:
    with pytest.raises(ReportError, match="no such file"):
        read_text(tmp_path / "nope.txt")
