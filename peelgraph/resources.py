"""The one place that knows where ``ontology/``, ``queries/`` and ``data/`` are.

From a source checkout they are the top-level folders beside the package; in an installed
wheel they are shipped inside the package as ``peelgraph/_resources/`` (see
``pyproject.toml``). Light module: no rdflib import.

Example:
    >>> (ontology_dir() / "peelgraph.ttl").is_file()
    True
    >>> PREFIXES["pg"]
    'https://w3id.org/peelgraph/ontology#'
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

__all__ = [
    "PREFIXES",
    "prologue",
    "BASE",
    "ontology_dir",
    "queries_dir",
    "data_dir",
    "shipped_reports",
    "curation_file",
    "gold_file",
    "REPORT_SUFFIXES",
    "expand_inputs",
    "scan_inputs",
    "code_files",
    "code_fingerprint",
]

REPORT_SUFFIXES = (".txt", ".pdf")
#: What decides the graph a report gives: these packages and modules (and the ontology).
_EXTRACTION_CODE = ("text", "extract", "graph", "model.py", "vocab.py")

_PKG = Path(__file__).resolve().parent

BASE = "https://w3id.org/peelgraph/id/"

#: Prefixes bound in every serialisation and prepended to every query.
PREFIXES = {
    "pg": "https://w3id.org/peelgraph/ontology#",
    "pgc": "https://w3id.org/peelgraph/concept/",
    "pgg": "https://w3id.org/peelgraph/grade/",
    "pgr": BASE,
    "org": "http://www.w3.org/ns/org#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "oa": "http://www.w3.org/ns/oa#",
    "qb": "http://purl.org/linked-data/cube#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def prologue() -> str:
    """``PREFIX`` declarations for every peelgraph prefix, on one line (prepended to every query)."""
    return " ".join(f"PREFIX {p}: <{iri}>" for p, iri in PREFIXES.items()) + "\n"


def _find(name: str) -> Path:
    for candidate in (_PKG.parent / name, _PKG / "_resources" / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"peelgraph resource folder {name!r} not found beside or inside the package")


def ontology_dir() -> Path:
    """The folder with the ontology, shapes and concept vocabulary."""
    return _find("ontology")


def queries_dir() -> Path:
    """The folder of canned ``.rq`` queries and their golden answers."""
    return _find("queries")


def data_dir() -> Path:
    """The folder with shipped reports, curation and gold files."""
    return _find("data")


def shipped_reports() -> list[Path]:
    """The report files shipped in ``data/reports/``, sorted by name."""
    return sorted((data_dir() / "reports").glob("*.txt"))


def curation_file(report_path: Path) -> Path:
    """Where the curation file for a report lives (it may not exist)."""
    return report_path.parent.parent / "curation" / f"{report_path.stem}.toml"


def gold_file(report_path: Path) -> Path:
    """Where the gold annotation for a report lives (it may not exist)."""
    return report_path.parent.parent / "gold" / f"{report_path.stem}.json"


def expand_inputs(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given; folders expanded to the ``*.txt`` and ``*.pdf`` files under them, sorted."""
    return scan_inputs(paths)[0]


def scan_inputs(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files as given, folders expanded to the ``*.txt`` and ``*.pdf`` files under them (sorted;
    symbolic links are followed, and a folder reached twice, as a link loop does, is read
    once); and what could not be looked at: ``(path, why)`` for a sub-folder that cannot be
    read and a report-named link that leads nowhere or in a loop.

    Example:
        >>> import tempfile, pathlib
        >>> d = pathlib.Path(tempfile.mkdtemp())
        >>> (d / "a.txt").write_text("x", encoding="utf-8"), (d / "loop.txt").symlink_to("loop.txt")
        (1, None)
        >>> files, problems = scan_inputs([d])
        >>> [f.name for f in files], [(pathlib.Path(p).name, why) for p, why in problems]
        (['a.txt'], [('loop.txt', 'a symbolic link that leads nowhere or in a loop')])
    """
    import os

    out: list[Path] = []
    problems: list[tuple[str, str]] = []
    for p in map(Path, paths):
        if not p.is_dir():
            out.append(p)
            continue
        found: list[Path] = []

        def unreadable(err: OSError, top: Path = p) -> None:
            problems.append((str(err.filename or top), f"cannot read the folder: {err.strerror or err}"))

        seen: set[tuple[int, int]] = set()
        for root, dirs, files in os.walk(p, onerror=unreadable, followlinks=True):
            try:
                st = os.stat(root)
            except OSError:
                dirs[:] = []
                continue
            if (st.st_dev, st.st_ino) in seen:  # reached again through a link: a loop, or twice
                dirs[:] = []
                continue
            seen.add((st.st_dev, st.st_ino))
            dirs.sort()
            for name in files:
                f = Path(root) / name
                if f.suffix.lower() not in REPORT_SUFFIXES:
                    continue
                if f.is_file():
                    found.append(f)
                elif f.is_symlink() and not f.exists():
                    problems.append((str(f), "a symbolic link that leads nowhere or in a loop"))
        out.extend(sorted(found))
    return out, sorted(problems)


def code_files() -> list[Path]:
    """The files whose content decides what the extractor produces: its modules and the ontology."""
    files: list[Path] = []
    for name in _EXTRACTION_CODE:
        p = _PKG / name
        if p.is_dir():
            files.extend(sorted(p.rglob("*.py")))
            files.extend(sorted(p.rglob("*.txt")) + sorted(p.rglob("*.toml")))
        elif p.is_file():
            files.append(p)
    return files + sorted(ontology_dir().glob("*.ttl"))


def code_fingerprint() -> str:
    """A hash of the extractor's code and the ontology files it reads."""
    import hashlib

    from peelgraph import __version__

    h = hashlib.sha256(__version__.encode())
    for f in code_files():
        h.update(str(f.relative_to(_PKG.parent) if f.is_relative_to(_PKG.parent) else f.name).encode())
        h.update(f.read_bytes())
    return h.hexdigest()
