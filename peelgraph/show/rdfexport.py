"""Serialise the built graph to files, atomically (write a temporary file, then rename).

RDF formats: ``nq`` (the canonical N-Quads, one named graph per report), ``nt`` (sorted
N-Triples of the union), ``ttl`` (Turtle of the union), ``trig`` (TriG with the named
graphs) and ``jsonld`` (compact JSON-LD, see :func:`jsonld`). ``nt``, ``nq`` and ``jsonld``
are byte-identical from build to build whatever ``PYTHONHASHSEED`` is; ``ttl`` too, since
rdflib sorts subjects and predicates and peelgraph mints no blank nodes.

Example:
    >>> sorted(RDF_FORMATS)
    ['jsonld', 'nq', 'nt', 'trig', 'ttl']
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from peelgraph.errors import ExportError

__all__ = ["RDF_FORMATS", "rdf_export", "jsonld", "write_atomic", "output_target", "temp_beside", "publish"]

RDF_FORMATS = {"ttl": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig", "jsonld": "json-ld"}


def output_target(path: str | Path) -> Path:
    """The file an export to ``path`` replaces: ``path`` itself, or, for a symbolic link, the file
    it points to (the link is kept and what it points to is replaced: exports write through links).

    Raises:
        ExportError: ``path`` is a folder, a device, a FIFO or a socket (never replaced by a file),
            or a link in a loop.
    """
    import stat

    target = Path(path)
    if target.is_symlink():
        try:
            target = target.resolve(strict=False)
        except (OSError, RuntimeError):
            raise ExportError("a symbolic link in a loop; give a file name", path=str(path)) from None
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise ExportError(f"cannot write: {exc.strerror or exc}", path=str(path)) from None
    if stat.S_ISDIR(mode):
        raise ExportError("is a directory; give a file name", path=str(path))
    if not stat.S_ISREG(mode):
        raise ExportError("not a regular file (a device, a FIFO or a socket): it is never replaced; "
                          "give a file name", path=str(path))
    return target


def temp_beside(target: Path) -> tuple[int, str]:
    """A new temporary file in ``target``'s folder (so the final rename is atomic).

    Raises:
        ExportError: the folder does not exist or cannot be written.
    """
    folder = target.parent or Path(".")
    try:
        return tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except FileNotFoundError:
        if not folder.is_dir():
            raise ExportError("the output folder does not exist", path=str(target)) from None
        raise ExportError(f"cannot create a file in {folder} (files are written beside their target and "
                          "renamed over it; this folder takes no new files)", path=str(target)) from None
    except OSError as exc:
        raise ExportError(f"cannot write here: {exc.strerror}", path=str(target)) from None


def publish(tmp: str, target: Path) -> None:
    """Give a finished temporary file the permissions of the file it replaces (or the usual ones for
    a new file: mkstemp makes it private) and rename it over ``target`` in one step."""
    try:
        mode = os.stat(target).st_mode & 0o7777
    except OSError:
        mask = os.umask(0o022)
        os.umask(mask)
        mode = 0o666 & ~mask
    os.chmod(tmp, mode)
    os.replace(tmp, target)


def write_atomic(path: str | Path | None, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename (stdout when None or '-')."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if path is None or str(path) == "-":
        sys.stdout.buffer.write(raw)
        sys.stdout.buffer.flush()
        return
    target = output_target(path)
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
        lines = {ln.rsplit(" <", 1)[0] + " ." for ln in text.split("\n") if ln}
        return "\n".join(sorted(lines)) + "\n"
    from rdflib import Dataset, Graph

    from peelgraph.graph.namespaces import bind_prefixes

    ds = Dataset()
    try:
        ds.parse(data=text, format="nquads")
    except Exception as exc:  # rdflib's parser raises its own and plain exceptions  # noqa: BLE001
        line = (str(exc).strip() or type(exc).__name__).splitlines()[0][:200]
        raise ExportError(f"the graph cannot be read ({line}); run 'peelgraph doctor'", path=str(nquads)) from None
    if fmt == "jsonld":
        return jsonld(ds.quads((None, None, None, None)))
    if fmt == "ttl":
        g = bind_prefixes(Graph())
        for s, p, o, _ in ds.quads((None, None, None, None)):
            g.add((s, p, o))
        return g.serialize(format="turtle")
    bind_prefixes(ds)  # type: ignore[arg-type]
    out = ds.serialize(format=RDF_FORMATS[fmt])
    return out if isinstance(out, str) else out.decode("utf-8")


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _compact_iri(iri: str, prefixes: list[tuple[str, str]]) -> str:
    """``prefix:local`` for the longest peelgraph prefix that ``iri`` starts with, else ``iri`` itself."""
    for prefix, ns in prefixes:
        if iri.startswith(ns) and len(iri) > len(ns) and not iri[len(ns):].startswith("//"):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def jsonld(quads: Any) -> str:
    """Compact JSON-LD of rdflib quads ``(s, p, o, graph)``: a ``@context`` of peelgraph's prefixes,
    a node per subject in each named graph, everything in a stable order.

    IRIs are written ``prefix:local`` (``pg:``, ``org:``, ``prov:`` ...), ``rdf:type`` as
    ``@type``, a property with one value as that value (a list otherwise), a plain string as
    a JSON string, any other literal as ``{"@value", "@type"}`` or ``{"@value", "@language"}``
    with its lexical form kept exactly. Named graphs, subjects, properties and values are
    sorted (by their N-Triples form), so the text is the same on every run whatever
    ``PYTHONHASHSEED`` is. Triples outside any named graph go to the top-level ``@graph``.

    Example:
        >>> from rdflib import Literal, URIRef
        >>> pg, g = "https://w3id.org/peelgraph/ontology#", URIRef("https://w3id.org/peelgraph/id/report/r")
        >>> q = [(URIRef(pg + "x"), URIRef(pg + "year"), Literal(2016), g),
        ...      (URIRef(pg + "x"), URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), URIRef(pg + "Force"), g)]
        >>> doc = json.loads(jsonld(q))
        >>> doc["@graph"][0]["@id"], doc["@graph"][0]["@graph"]
        ('pgr:report/r', [{'@id': 'pg:x', '@type': 'pg:Force', 'pg:year': {'@type': 'xsd:integer', '@value': '2016'}}])
    """
    from rdflib import BNode, Literal, URIRef

    from peelgraph.resources import PREFIXES

    prefixes = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))

    def ref(term: Any) -> str:
        return f"_:{term}" if isinstance(term, BNode) else _compact_iri(str(term), prefixes)

    def value(term: Any) -> Any:
        if isinstance(term, Literal):
            if term.language:
                return {"@value": str(term), "@language": term.language}
            if term.datatype is None or str(term.datatype) == _XSD_STRING:
                return str(term)
            return {"@value": str(term), "@type": ref(term.datatype)}
        return {"@id": ref(term)}

    graphs: dict[Any, dict[Any, dict[str, list[Any]]]] = {}
    for s, p, o, g in quads:
        key = None if g is None or not isinstance(g, URIRef | BNode) else g
        props = graphs.setdefault(key, {}).setdefault(s, {})
        props.setdefault("@type" if str(p) == _RDF_TYPE else ref(p), []).append(o)

    def nodes(subjects: dict[Any, dict[str, list[Any]]]) -> list[dict[str, Any]]:
        out = []
        for s in sorted(subjects, key=lambda t: t.n3()):
            node: dict[str, Any] = {"@id": ref(s)}
            for p, objs in subjects[s].items():
                objs = sorted(set(objs), key=lambda t: t.n3())
                vals = [ref(o) for o in objs] if p == "@type" else [value(o) for o in objs]
                node[p] = vals[0] if len(vals) == 1 else vals
            out.append(node)
        return out

    def line(node: dict[str, Any]) -> str:
        return json.dumps(node, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))

    items = [line(n) for n in nodes(graphs.pop(None, {}))]
    for g in sorted(graphs, key=lambda t: t.n3()):
        body = ",\n   ".join(line(n) for n in nodes(graphs[g]))
        items.append(f'{{"@id": {json.dumps(ref(g))}, "@graph": [\n   {body}\n  ]}}')
    context = json.dumps(dict(sorted(PREFIXES.items())), indent=2)
    # one node a line: about the size of the Turtle, and grep-friendly
    return '{"@context": ' + context + ',\n "@graph": [\n  ' + ",\n  ".join(items) + "\n ]\n}\n"
