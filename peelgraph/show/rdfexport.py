"""Serialise the built graph to files, atomically (write a temporary file, then rename).

RDF formats: ``nq`` (the canonical N-Quads, one named graph per report), ``nt`` (sorted
N-Triples of the union), ``ttl`` (Turtle of the union), ``trig`` (TriG with the named
graphs) and ``jsonld``. ``nt`` and ``nq`` are byte-identical from build to build; ``ttl``
too, since rdflib sorts subjects and predicates and peelgraph mints no blank nodes.

Example:
    >>> sorted(RDF_FORMATS)
    ['jsonld', 'nq', 'nt', 'trig', 'ttl']
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

from peelgraph.errors import ExportError

__all__ = ["RDF_FORMATS", "rdf_export", "write_atomic", "temp_beside", "publish"]

RDF_FORMATS = {"ttl": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig", "jsonld": "json-ld"}


def temp_beside(target: Path) -> tuple[int, str]:
    """A new temporary file in ``target``'s folder (so the final rename is atomic).

    Raises:
        ExportError: the folder does not exist or cannot be written.
    """
    try:
        return tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    except FileNotFoundError:
        raise ExportError("the output folder does not exist", path=str(target)) from None
    except OSError as exc:
        raise ExportError(f"cannot write here: {exc.strerror}", path=str(target)) from None


def publish(tmp: str, target: Path) -> None:
    """Give a finished temporary file the usual permissions (mkstemp makes it private) and
    rename it over ``target`` in one step."""
    mask = os.umask(0o022)
    os.umask(mask)
    os.chmod(tmp, 0o666 & ~mask)
    os.replace(tmp, target)


def write_atomic(path: str | Path | None, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename (stdout when None or '-')."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if path is None or str(path) == "-":
        sys.stdout.buffer.write(raw)
        sys.stdout.buffer.flush()
        return
    target = Path(path)
    if target.is_dir():
        raise ExportError("is a directory; give a file name", path=str(path))
    fd, tmp = temp_beside(target)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        publish(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise ExportError(f"cannot write: {exc.strerror}", path=str(path)) from None


def rdf_export(nquads: Path, fmt: str) -> str:
    """The store's graph in an RDF format (see the module docstring)."""
    if fmt not in RDF_FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(sorted(RDF_FORMATS))}")
    text = nquads.read_text(encoding="utf-8")
    if fmt == "nq":
        return text
    if fmt == "nt":
        lines = {ln.rsplit(" <", 1)[0] + " ." for ln in text.splitlines() if ln}
        return "\n".join(sorted(lines)) + "\n"
    from rdflib import Dataset, Graph

    from peelgraph.graph.namespaces import bind_prefixes

    ds = Dataset()
    ds.parse(data=text, format="nquads")
    if fmt == "ttl":
        g = bind_prefixes(Graph())
        for s, p, o, _ in ds.quads((None, None, None, None)):
            g.add((s, p, o))
        return g.serialize(format="turtle")
    bind_prefixes(ds)  # type: ignore[arg-type]
    out = ds.serialize(format=RDF_FORMATS[fmt])
    return out if isinstance(out, str) else out.decode("utf-8")
