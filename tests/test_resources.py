"""peelgraph.resources: ontology/, queries/ and data/ are found from the source tree and from a wheel."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from peelgraph.resources import data_dir, ontology_dir, queries_dir, shipped_reports

ROOT = Path(__file__).resolve().parents[1]


def test_source_tree_resources() -> None:
    assert (ontology_dir() / "shapes.ttl").is_file()
    assert queries_dir().is_dir()
    assert [p.name for p in shipped_reports()] == ["warwickshire-effectiveness-2016.txt"]
    assert (data_dir() / "reports" / "README.md").is_file()


def test_shipped_report_is_the_shared_file_byte_for_byte() -> None:
    """The SHA-256 recorded beside the file (taken from the file as supplied in ../shared) holds;
    where ../shared is beside this checkout, the bytes are compared too."""
    import hashlib

    data = shipped_reports()[0].read_bytes()
    readme = (data_dir() / "reports" / "README.md").read_text(encoding="utf-8")
    assert hashlib.sha256(data).hexdigest() in readme
    shared = ROOT.parent / "shared" / "reports" / "warwickshire-effectiveness-2016.txt"
    if shared.is_file():
        assert data == shared.read_bytes()


def test_installed_wheel_finds_its_resources(tmp_path) -> None:
    out = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(out)], cwd=ROOT,
                   check=True, capture_output=True)
    (wheel,) = out.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "peelgraph/_resources/ontology/peelgraph.ttl" in names
    assert "peelgraph/_resources/data/reports/warwickshire-effectiveness-2016.txt" in names
    assert any(n.startswith("peelgraph/_resources/queries/") for n in names)
    for vendored in ("cytoscape.min.js", "yasgui.min.js", "yasgui.min.css", "yasgui.LICENSE"):
        assert f"peelgraph/_vendor/{vendored}" in names  # the explorer and the query page work offline
    assert {"peelgraph/serve/static/sparql.js", "peelgraph/serve/static/sparql.css"} <= set(names)
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = ("import peelgraph.resources as r; print(r.ontology_dir()); print(r.queries_dir()); "
            "print(len(r.shipped_reports()))")
    res = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env={"PYTHONPATH": str(site)},
                         capture_output=True, text=True, check=True)
    lines = res.stdout.splitlines()
    assert lines[0].startswith(str(site)) and "_resources" in lines[0]
    assert lines[2] == "1"
    shutil.rmtree(out)
